/**
 * A LangSmith-compatible recording endpoint on 127.0.0.1: it implements what the JS and Python SDKs send when
 * tracing (`GET /info`, `POST /runs/multipart`, `POST /runs/batch`, `POST /runs`, `PATCH /runs/<id>`,
 * `POST /feedback`) and keeps every run in memory.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { buildForest } from "./forest.js";
import { IngestError, RunStore, parseBatch, parseJson, parseMultipart, parseSingleRun, type RunOperation } from "./ingest.js";
import type { RecordedRun, RecorderStats, TraceNode } from "./types.js";

export type IngestMode = "multipart" | "batch";

export interface RecorderOptions {
  /** Port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /**
   * Which endpoint `/info` tells the SDKs to use: "multipart" (`batch_ingest_config.use_multipart_endpoint: true`,
   * the default) or "batch" (`false`: the JS SDK then sends JSON to `/runs/batch`). Both endpoints always work.
   */
  ingest?: IngestMode;
  /**
   * Advertise `instance_flags.gzip_body_enabled` (default false). With it the JS SDK gzips multipart bodies as it
   * queues runs; without it bodies come uncompressed. zstd is never advertised (Node 20 has no zstd).
   */
  gzip?: boolean;
  /** Largest accepted body, compressed or decompressed (default 512 MiB); larger gets 413. */
  maxBodyBytes?: number;
}

export interface WaitForQuietOptions {
  /** How long no request may have arrived or be in progress (default 200 ms). */
  quietMs?: number;
  /** Reject after this long (default 30 s). */
  timeoutMs?: number;
}

export interface Recorder {
  /** e.g. http://127.0.0.1:PORT: the value for LANGSMITH_ENDPOINT. */
  url: string;
  port: number;
  /** Post and patch merged per run id, in order of first arrival. */
  runs(): RecordedRun[];
  /** Roots sorted by start time, children by dotted order then start time. */
  forest(): TraceNode[];
  /** Feedback received (multipart `feedback.<id>` parts and `POST /feedback`). */
  feedback(): Record<string, unknown>[];
  /** Resolves once no request has arrived or been in progress for `quietMs` (counted from the call at the earliest). */
  waitForQuiet(opts?: WaitForQuietOptions): Promise<void>;
  stats(): RecorderStats;
  close(): Promise<void>;
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotli = promisify(zlib.brotliDecompress);

const MAX_REJECTIONS = 20;

class BodyTooLarge extends IngestError {
  constructor(limit: number) {
    super(`request body larger than ${limit} bytes`, 413);
  }
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on("end", () => {
      ended = true;
      if (!failed) resolve(Buffer.concat(chunks));
    });
    const aborted = (): void => {
      if (failed || ended) return;
      failed = true;
      reject(new IngestError("the client closed the connection before the body was complete"));
    };
    req.on("error", aborted);
    req.on("close", aborted);
  });
}

async function decodeBody(raw: Buffer, encodingHeader: string | undefined, limit: number): Promise<Buffer> {
  const encodings = (encodingHeader ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.length > 0 && e !== "identity");
  let body = raw;
  // Content-Encoding lists codings in the order they were applied: undo them last to first.
  for (const enc of encodings.reverse()) {
    const opts = { maxOutputLength: limit };
    try {
      if (enc === "gzip" || enc === "x-gzip") body = await gunzip(body, opts);
      else if (enc === "deflate") body = await inflate(body, opts);
      else if (enc === "br") body = await brotli(body, opts);
      else
        throw new IngestError(
          `unsupported Content-Encoding "${enc}" (accepted: gzip, deflate, br, identity; /info does not advertise zstd_compression_enabled)`,
          415,
        );
    } catch (e) {
      if (e instanceof IngestError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ERR_BUFFER_TOO_LARGE") throw new BodyTooLarge(limit);
      throw new IngestError(`body is not valid ${enc} (${(e as Error).message})`);
    }
  }
  return body;
}

const UUID_SEGMENT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function endpointKey(method: string, path: string): string {
  return `${method} ${path
    .split("/")
    .map((s) => (UUID_SEGMENT.test(s) ? ":id" : s))
    .join("/")}`;
}

export function startRecorder(options: RecorderOptions = {}): Promise<Recorder> {
  const ingest: IngestMode = options.ingest ?? "multipart";
  const limit = options.maxBodyBytes ?? 512 * 1024 * 1024;
  const store = new RunStore();
  const stats = {
    requests: 0,
    unknownPaths: 0,
    badRequests: 0,
    serverErrors: 0,
    byEndpoint: {} as Record<string, number>,
    byEncoding: {} as Record<string, number>,
    rejections: [] as string[],
  };
  let inFlight = 0;
  let lastActivity = performance.now();

  const info = {
    version: "0.0.0-trace-nesting-recorder",
    license_expiration_time: null,
    tenant_handle: null,
    batch_ingest_config: {
      use_multipart_endpoint: ingest === "multipart",
      scale_up_qsize_trigger: 1000,
      scale_up_nthreads_limit: 16,
      scale_down_nempty_trigger: 4,
      size_limit: 100,
      size_limit_bytes: 20 * 1024 * 1024,
    },
    instance_flags: {
      gzip_body_enabled: options.gzip === true,
      zstd_compression_enabled: false,
    },
  };

  const send = (res: http.ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  };

  const reject = (res: http.ServerResponse, status: number, reason: string): void => {
    if (status >= 500) stats.serverErrors++;
    else stats.badRequests++;
    stats.rejections.push(`${status} ${reason}`);
    if (stats.rejections.length > MAX_REJECTIONS) stats.rejections.shift();
    send(res, status, { error: reason });
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const method = (req.method ?? "GET").toUpperCase();
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname).replace(/\/+$/, "") || "/";
    } catch {
      req.resume();
      reject(res, 400, `malformed request path ${JSON.stringify(req.url)}`);
      return;
    }
    // Self-hosted LangSmith serves the same API under /api/v1.
    if (path.startsWith("/api/v1/")) path = path.slice("/api/v1".length);
    const key = endpointKey(method, path);
    stats.byEndpoint[key] = (stats.byEndpoint[key] ?? 0) + 1;

    const route = routeOf(path);
    if (route === undefined) {
      stats.unknownPaths++;
      req.resume();
      send(res, 404, { error: `unknown path ${path}` });
      return;
    }
    if (!route.methods.includes(method)) {
      stats.unknownPaths++;
      req.resume();
      res.setHeader("allow", route.methods.join(", "));
      send(res, 405, { error: `${method} not allowed on ${path}` });
      return;
    }
    if (route.name === "info") {
      req.resume();
      send(res, 200, info);
      return;
    }

    let body: Buffer;
    try {
      const raw = await readBody(req, limit);
      const enc = (req.headers["content-encoding"] ?? "").trim().toLowerCase() || "identity";
      stats.byEncoding[enc] = (stats.byEncoding[enc] ?? 0) + 1;
      body = await decodeBody(raw, req.headers["content-encoding"], limit);
    } catch (e) {
      if (e instanceof IngestError) {
        reject(res, e.status, `${key}: ${e.message}`);
        if (e instanceof BodyTooLarge) req.resume();
        return;
      }
      throw e;
    }

    let ops: RunOperation[];
    try {
      const contentType = req.headers["content-type"] ?? "";
      switch (route.name) {
        case "multipart":
          ops = await parseMultipart(body, contentType);
          break;
        case "batch":
          ops = parseBatch(body.toString("utf8"));
          break;
        case "create":
          ops = parseSingleRun(body.toString("utf8"), "post");
          break;
        case "update":
          ops = parseSingleRun(body.toString("utf8"), "patch", path.slice("/runs/".length));
          break;
        case "feedback": {
          const value = parseJson(body.toString("utf8"), "POST /feedback");
          if (typeof value !== "object" || value === null || Array.isArray(value))
            throw new IngestError("POST /feedback: expected a JSON object");
          const fb = value as Record<string, unknown>;
          ops = [{ kind: "feedback", id: typeof fb.id === "string" ? fb.id : "", body: fb }];
          break;
        }
      }
    } catch (e) {
      if (e instanceof IngestError) {
        reject(res, e.status, e.message);
        return;
      }
      throw e;
    }
    store.apply(ops);
    send(res, 202, { accepted: ops.length });
  };

  const busySockets = new WeakSet<object>();
  const server = http.createServer((req, res) => {
    stats.requests++;
    inFlight++;
    busySockets.add(req.socket);
    lastActivity = performance.now();
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      busySockets.delete(req.socket);
      inFlight--;
      lastActivity = performance.now();
    };
    res.on("close", finish);
    res.on("finish", finish);
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) reject(res, 500, `internal error: ${(e as Error)?.message ?? String(e)}`);
      else {
        stats.serverErrors++;
        res.destroy();
      }
    });
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    // A request cut mid-body is counted where its body was being read; an idle connection reset is no request.
    if (busySockets.has(socket) || err.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    stats.badRequests++;
    stats.rejections.push(`400 malformed HTTP request (${err.message})`);
    if (stats.rejections.length > MAX_REJECTIONS) stats.rejections.shift();
    socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  });

  return new Promise((resolve, rejectStart) => {
    const onError = (e: Error): void => rejectStart(e);
    server.once("error", onError);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", onError);
      const port = (server.address() as AddressInfo).port;
      const url = `http://127.0.0.1:${port}`;
      let closed: Promise<void> | undefined;
      const recorder: Recorder = {
        url,
        port,
        runs: () => store.runs(),
        forest: () => buildForest(store.runs()),
        feedback: () => structuredClone(store.feedback),
        stats: () => ({
          requests: stats.requests,
          unknownPaths: stats.unknownPaths,
          badRequests: stats.badRequests,
          serverErrors: stats.serverErrors,
          runsReceived: store.size,
          ...store.counts,
          byEndpoint: { ...stats.byEndpoint },
          byEncoding: { ...stats.byEncoding },
          rejections: [...stats.rejections],
        }),
        waitForQuiet: ({ quietMs = 200, timeoutMs = 30_000 } = {}) =>
          new Promise<void>((resolveQuiet, rejectQuiet) => {
            const started = performance.now();
            const tick = (): void => {
              const now = performance.now();
              const since = Math.max(lastActivity, started);
              if (inFlight === 0 && now - since >= quietMs) {
                resolveQuiet();
                return;
              }
              if (now - started >= timeoutMs) {
                rejectQuiet(
                  new Error(
                    `recorder still receiving after ${timeoutMs} ms (${inFlight} request(s) in progress); ` +
                      `${store.size} run(s) so far`,
                  ),
                );
                return;
              }
              const wait = inFlight > 0 ? 10 : Math.max(1, Math.min(quietMs - (now - since), timeoutMs - (now - started)));
              setTimeout(tick, wait);
            };
            tick();
          }),
        close: () => {
          closed ??= new Promise<void>((resolveClose) => {
            server.close(() => resolveClose());
            server.closeAllConnections();
          });
          return closed;
        },
      };
      resolve(recorder);
    });
  });
}

type RouteName = "info" | "multipart" | "batch" | "create" | "update" | "feedback";

function routeOf(path: string): { name: RouteName; methods: string[] } | undefined {
  if (path === "/info") return { name: "info", methods: ["GET"] };
  if (path === "/runs/multipart") return { name: "multipart", methods: ["POST"] };
  if (path === "/runs/batch") return { name: "batch", methods: ["POST"] };
  if (path === "/runs") return { name: "create", methods: ["POST"] };
  if (path === "/feedback") return { name: "feedback", methods: ["POST"] };
  if (/^\/runs\/[^/]+$/.test(path)) return { name: "update", methods: ["PATCH"] };
  return undefined;
}
