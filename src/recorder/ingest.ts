/**
 * Request bodies of the LangSmith ingest endpoints, parsed into run operations, and the store that merges them.
 *
 * Every parser is all-or-nothing: it either returns every operation in the body or throws an `IngestError` (the
 * server answers 400 with its message and applies nothing), so a half-understood request never leaves half a
 * trace behind.
 */
import { Readable } from "node:stream";
import { Busboy } from "@fastify/busboy";
import type { RecordedRun } from "./types.js";

export type RunOperation =
  | { kind: "post" | "patch"; id: string; fields: Record<string, unknown> }
  | { kind: "attachment"; runId: string; name: string; contentType: string; size: number }
  | { kind: "feedback"; id: string; body: Record<string, unknown> };

/** A body the recorder refuses: `status` is the HTTP status to answer, `message` the reason. */
export class IngestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "IngestError";
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new IngestError(`${where}: invalid JSON (${(e as Error).message})`);
  }
}

function runFromObject(value: unknown, kind: "post" | "patch", where: string, pathId?: string): RunOperation {
  if (!isPlainObject(value)) throw new IngestError(`${where}: expected a JSON object, got ${describe(value)}`);
  const id = value.id ?? pathId;
  if (typeof id !== "string" || id.length === 0) throw new IngestError(`${where}: the run has no string "id"`);
  if (pathId !== undefined && value.id !== undefined && value.id !== pathId)
    throw new IngestError(`${where}: body id ${JSON.stringify(value.id)} differs from the id in the path ${JSON.stringify(pathId)}`);
  return { kind, id, fields: { ...value, id } };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

/** `POST /runs` (one run create) and `PATCH /runs/<id>` (one run update). */
export function parseSingleRun(text: string, kind: "post" | "patch", pathId?: string): RunOperation[] {
  const where = kind === "post" ? "POST /runs" : `PATCH /runs/${pathId ?? ""}`;
  return [runFromObject(parseJson(text, where), kind, where, pathId)];
}

/** `POST /runs/batch`: `{ post?: RunCreate[], patch?: RunUpdate[] }` (both SDKs). */
export function parseBatch(text: string): RunOperation[] {
  const body = parseJson(text, "POST /runs/batch");
  if (!isPlainObject(body)) throw new IngestError(`POST /runs/batch: expected a JSON object, got ${describe(body)}`);
  const ops: RunOperation[] = [];
  for (const kind of ["post", "patch"] as const) {
    const list = body[kind];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new IngestError(`POST /runs/batch: "${kind}" must be an array, got ${describe(list)}`);
    list.forEach((item, i) => ops.push(runFromObject(item, kind, `POST /runs/batch ${kind}[${i}]`)));
  }
  return ops;
}

interface RawPart {
  name: string;
  contentType: string;
  data: Buffer;
}

/** Splits a multipart/form-data body into raw parts (every part kept as bytes, whatever its content type). */
export async function readMultipartParts(body: Buffer, contentType: string): Promise<RawPart[]> {
  const parts: RawPart[] = [];
  let parser: InstanceType<typeof Busboy>;
  try {
    parser = new Busboy({
      headers: { "content-type": contentType },
      // Every part is a binary stream: attachments keep their exact size and JSON is decoded as UTF-8 below.
      isPartAFile: () => true,
      limits: { fieldNameSize: 1024, fileSize: Number.POSITIVE_INFINITY, headerPairs: 100 },
    });
  } catch (e) {
    throw new IngestError(`POST /runs/multipart: ${(e as Error).message} (Content-Type: ${contentType || "none"})`, 415);
  }
  await new Promise<void>((resolve, reject) => {
    const malformed = (e: Error): void => reject(new IngestError(`POST /runs/multipart: malformed multipart body (${e.message})`));
    const pending: Promise<void>[] = [];
    parser.on("file", (name, stream, _filename, _encoding, mimeType) => {
      const read = (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        parts.push({ name, contentType: mimeType, data: Buffer.concat(chunks) });
      })();
      // A part cut short fails its own stream: handled here, so it never becomes an unhandled rejection.
      read.catch(malformed);
      pending.push(read);
    });
    parser.on("error", malformed);
    parser.on("finish", () => {
      Promise.all(pending).then(() => resolve(), malformed);
    });
    Readable.from([body]).pipe(parser);
  });
  return parts;
}

const RUN_PART = /^(post|patch)\.([^.]+)(?:\.([^.]+))?$/;
const ATTACHMENT_PART = /^attachment\.([^.]+)\.(.+)$/;
const FEEDBACK_PART = /^feedback\.([^.]+)$/;

/**
 * `POST /runs/multipart`: parts `post.<id>` / `patch.<id>` (the run without its large fields), `post.<id>.<field>`
 * (inputs, outputs, events, extra, error, serialized: each its own JSON part), `attachment.<id>.<name>` (raw bytes)
 * and `feedback.<id>`.
 */
export async function parseMultipart(body: Buffer, contentType: string): Promise<RunOperation[]> {
  if (!/^multipart\/form-data\b/i.test(contentType))
    throw new IngestError(`POST /runs/multipart: expected Content-Type multipart/form-data, got ${contentType || "none"}`, 415);
  if (!/\bboundary=/i.test(contentType)) throw new IngestError("POST /runs/multipart: Content-Type has no boundary", 400);
  const parts = await readMultipartParts(body, contentType);
  if (parts.length === 0) throw new IngestError("POST /runs/multipart: the body has no parts");
  // Group the parts of each (kind, id); the main part and its field parts may come in any order.
  const runs = new Map<string, { kind: "post" | "patch"; id: string; fields: Record<string, unknown>; main: boolean }>();
  const ops: RunOperation[] = [];
  for (const part of parts) {
    const where = `POST /runs/multipart part "${part.name}"`;
    const run = RUN_PART.exec(part.name);
    if (run) {
      const [, kind, id, field] = run as unknown as [string, "post" | "patch", string, string | undefined];
      const key = `${kind}.${id}`;
      let entry = runs.get(key);
      if (!entry) {
        entry = { kind, id, fields: { id }, main: false };
        runs.set(key, entry);
      }
      const value = parseJson(part.data.toString("utf8"), where);
      if (field === undefined) {
        const op = runFromObject(value, kind, where, id);
        if (op.kind !== "post" && op.kind !== "patch") throw new IngestError(`${where}: not a run`);
        // Field parts already read win over the same key in the main part (the SDK never sends both).
        entry.fields = { ...op.fields, ...entry.fields, id };
        entry.main = true;
      } else {
        entry.fields[field] = value;
      }
      continue;
    }
    const attachment = ATTACHMENT_PART.exec(part.name);
    if (attachment) {
      ops.push({ kind: "attachment", runId: attachment[1]!, name: attachment[2]!, contentType: part.contentType, size: part.data.length });
      continue;
    }
    const feedback = FEEDBACK_PART.exec(part.name);
    if (feedback) {
      const value = parseJson(part.data.toString("utf8"), where);
      if (!isPlainObject(value)) throw new IngestError(`${where}: expected a JSON object, got ${describe(value)}`);
      ops.push({ kind: "feedback", id: feedback[1]!, body: value });
      continue;
    }
    throw new IngestError(`${where}: unknown part name (expected post.<id>[.<field>], patch.<id>[.<field>], attachment.<id>.<name> or feedback.<id>)`);
  }
  const runOps: RunOperation[] = [...runs.values()].map(({ kind, id, fields }) => ({ kind, id, fields }));
  return [...runOps, ...ops];
}

function assignDefined(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(source)) if (v !== undefined) target[k] = v;
}

/** Merges operations per run id: post fields, then every patch in arrival order on top (patches win). */
export class RunStore {
  private readonly posts = new Map<string, Record<string, unknown>>();
  private readonly patches = new Map<string, Record<string, unknown>>();
  private readonly attachments = new Map<string, Record<string, { contentType: string; size: number }>>();
  private readonly order: string[] = [];
  private readonly seen = new Set<string>();
  readonly feedback: Record<string, unknown>[] = [];
  counts = { posts: 0, patches: 0, feedback: 0, attachments: 0 };

  private touch(id: string): void {
    if (!this.seen.has(id)) {
      this.seen.add(id);
      this.order.push(id);
    }
  }

  apply(ops: readonly RunOperation[]): void {
    for (const op of ops) {
      if (op.kind === "post" || op.kind === "patch") {
        const map = op.kind === "post" ? this.posts : this.patches;
        const target = map.get(op.id) ?? {};
        assignDefined(target, op.fields);
        map.set(op.id, target);
        this.touch(op.id);
        if (op.kind === "post") this.counts.posts++;
        else this.counts.patches++;
      } else if (op.kind === "attachment") {
        const entry = this.attachments.get(op.runId) ?? {};
        entry[op.name] = { contentType: op.contentType, size: op.size };
        this.attachments.set(op.runId, entry);
        this.counts.attachments++;
      } else if (op.kind === "feedback") {
        this.feedback.push({ ...op.body, id: op.body.id ?? op.id });
        this.counts.feedback++;
      }
    }
  }

  get size(): number {
    return this.order.length;
  }

  runs(): RecordedRun[] {
    return this.order.map((id) => {
      const run: Record<string, unknown> = {};
      assignDefined(run, this.posts.get(id) ?? {});
      assignDefined(run, this.patches.get(id) ?? {});
      run.id = id;
      const attachments = this.attachments.get(id);
      if (attachments) run.attachments = { ...attachments };
      return structuredClone(run) as RecordedRun;
    });
  }
}
