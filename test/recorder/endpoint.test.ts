import http from "node:http";
import net from "node:net";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { startRecorder, type Recorder } from "../../src/recorder/index.js";

let recorder: Recorder;
afterEach(async () => {
  await recorder?.close();
});

const ID1 = "0190a8a0-0000-7000-8000-000000000001";
const ID2 = "0190a8a0-0000-7000-8000-000000000002";
const TRACE = ID1;
const DOT1 = `20240701T120000000001Z${ID1}`;
const DOT2 = `${DOT1}.20240701T120000005002Z${ID2}`;

async function post(path: string, body: NonNullable<Parameters<typeof fetch>[1]>["body"], headers: Record<string, string> = {}, method = "POST") {
  const res = await fetch(`${recorder.url}${path}`, { method, body, headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** A multipart body exactly as the SDKs lay it out (no filenames; one JSON part per large field). */
async function multipart(parts: { name: string; type: string; data: string | Uint8Array }[]) {
  const form = new FormData();
  for (const p of parts) form.append(p.name, new Blob([p.data], { type: p.type }));
  const req = new Request("http://x/", { method: "POST", body: form });
  return { body: Buffer.from(await req.arrayBuffer()), contentType: req.headers.get("content-type")! };
}

const json = (v: unknown) => JSON.stringify(v);

describe("GET /info", () => {
  it("advertises multipart, no compression, by default", async () => {
    recorder = await startRecorder();
    const info = (await (await fetch(`${recorder.url}/info`)).json()) as any;
    expect(info.batch_ingest_config.use_multipart_endpoint).toBe(true);
    expect(info.instance_flags).toEqual({ gzip_body_enabled: false, zstd_compression_enabled: false });
    expect(typeof info.version).toBe("string");
  });

  it("advertises the batch endpoint and gzip when asked", async () => {
    recorder = await startRecorder({ ingest: "batch", gzip: true });
    const info = (await (await fetch(`${recorder.url}/info`)).json()) as any;
    expect(info.batch_ingest_config.use_multipart_endpoint).toBe(false);
    expect(info.instance_flags.gzip_body_enabled).toBe(true);
    expect(info.instance_flags.zstd_compression_enabled).toBe(false);
  });

  it("binds 127.0.0.1 on a free port, or the port asked for", async () => {
    recorder = await startRecorder();
    expect(recorder.url).toBe(`http://127.0.0.1:${recorder.port}`);
    const port = recorder.port;
    await recorder.close();
    recorder = await startRecorder({ port });
    expect(recorder.port).toBe(port);
    await expect(startRecorder({ port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe("POST /runs/multipart", () => {
  it("merges post.<id>, its field parts, patches, attachments and feedback", async () => {
    recorder = await startRecorder();
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const { body, contentType } = await multipart([
      // A field part may come before the main part.
      { name: `post.${ID2}.inputs`, type: "application/json", data: json({ q: "ü" }) },
      { name: `post.${ID2}`, type: "application/json; length=10", data: json({ id: ID2, name: "child", run_type: "llm", trace_id: TRACE, parent_run_id: ID1, dotted_order: DOT2, start_time: "2024-07-01T12:00:00.005002Z" }) },
      { name: `post.${ID1}`, type: "application/json", data: json({ id: ID1, name: "root", run_type: "chain", trace_id: TRACE, dotted_order: DOT1, start_time: "2024-07-01T12:00:00.000001Z" }) },
      { name: `post.${ID1}.inputs`, type: "application/json", data: json({ input: 1 }) },
      { name: `post.${ID1}.serialized`, type: "application/json", data: json({}) },
      { name: `patch.${ID2}`, type: "application/json", data: json({ id: ID2, trace_id: TRACE, dotted_order: DOT2, end_time: 1719835200010 }) },
      { name: `patch.${ID2}.outputs`, type: "application/json", data: json({ a: 2 }) },
      { name: `attachment.${ID2}.picture`, type: "image/png; length=256", data: bytes },
      { name: "feedback.0190a8a0-0000-7000-8000-0000000000ff", type: "application/json", data: json({ run_id: ID2, key: "score", score: 1 }) },
    ]);
    const res = await post("/runs/multipart", body, { "content-type": contentType });
    expect(res.status).toBe(202);
    const runs = recorder.runs();
    expect(runs.map((r) => r.id)).toEqual([ID2, ID1]);
    const child = runs[0]!;
    expect(child).toMatchObject({ name: "child", parent_run_id: ID1, inputs: { q: "ü" }, outputs: { a: 2 }, end_time: 1719835200010 });
    expect(child.attachments).toEqual({ picture: { contentType: "image/png", size: 256 } });
    expect(runs[1]).toMatchObject({ name: "root", inputs: { input: 1 }, serialized: {} });
    expect(recorder.feedback()).toEqual([{ id: "0190a8a0-0000-7000-8000-0000000000ff", run_id: ID2, key: "score", score: 1 }]);
    expect(recorder.stats()).toMatchObject({ runsReceived: 2, posts: 2, patches: 1, attachments: 1, feedback: 1, badRequests: 0 });
    expect(recorder.forest().map((n) => [n.run.name, n.children.map((c) => c.run.name)])).toEqual([["root", ["child"]]]);
  });

  it("accepts a gzip body", async () => {
    recorder = await startRecorder({ gzip: true });
    const { body, contentType } = await multipart([
      { name: `post.${ID1}`, type: "application/json", data: json({ id: ID1, name: "zipped", trace_id: TRACE, dotted_order: DOT1 }) },
    ]);
    const res = await post("/runs/multipart", gzipSync(body), { "content-type": contentType, "content-encoding": "gzip" });
    expect(res.status).toBe(202);
    expect(recorder.runs().map((r) => r.name)).toEqual(["zipped"]);
    expect(recorder.stats().byEncoding).toEqual({ gzip: 1 });
  });

  it("applies a patch that arrives before its post, and a repeated post, without losing fields", async () => {
    recorder = await startRecorder();
    const send = async (parts: Parameters<typeof multipart>[0]) => {
      const { body, contentType } = await multipart(parts);
      expect((await post("/runs/multipart", body, { "content-type": contentType })).status).toBe(202);
    };
    await send([{ name: `patch.${ID1}`, type: "application/json", data: json({ id: ID1, end_time: 5, outputs: { o: 1 } }) }]);
    const create = { name: `post.${ID1}`, type: "application/json", data: json({ id: ID1, name: "late-post", start_time: 1 }) };
    await send([create]);
    await send([create]);
    expect(recorder.runs()).toEqual([{ id: ID1, name: "late-post", start_time: 1, end_time: 5, outputs: { o: 1 } }]);
    expect(recorder.stats()).toMatchObject({ runsReceived: 1, posts: 2, patches: 1 });
  });

  it.each([
    ["an unknown part name", [{ name: "bogus.1", type: "application/json", data: "{}" }], /unknown part name/],
    ["a part that is not JSON", [{ name: `post.${ID1}`, type: "application/json", data: "{oops" }], /post\.[^"]+" : ?invalid JSON|invalid JSON/],
    ["a run that is not an object", [{ name: `post.${ID1}`, type: "application/json", data: "[1]" }], /expected a JSON object, got an array/],
    ["an id that differs from the part name", [{ name: `post.${ID1}`, type: "application/json", data: json({ id: ID2 }) }], /differs from the id/],
  ])("rejects %s with 400 and applies none of the request", async (_label, badParts, reason) => {
    recorder = await startRecorder();
    const { body, contentType } = await multipart([
      { name: `post.${ID2}`, type: "application/json", data: json({ id: ID2, name: "good" }) },
      ...badParts,
    ]);
    const res = await post("/runs/multipart", body, { "content-type": contentType });
    expect(res.status).toBe(400);
    expect(String(res.json.error)).toMatch(reason);
    expect(recorder.runs()).toEqual([]);
    expect(recorder.stats()).toMatchObject({ badRequests: 1, runsReceived: 0 });
    expect(recorder.stats().rejections[0]).toMatch(reason);
  });

  it("rejects a truncated body, a missing boundary and a non-multipart type", async () => {
    recorder = await startRecorder();
    const { body, contentType } = await multipart([{ name: `post.${ID1}`, type: "application/json", data: json({ id: ID1 }) }]);
    const truncated = await post("/runs/multipart", body.subarray(0, body.length - 30), { "content-type": contentType });
    expect(truncated.status).toBe(400);
    expect(String(truncated.json.error)).toMatch(/malformed multipart body|no parts/);
    const noBoundary = await post("/runs/multipart", body, { "content-type": "multipart/form-data" });
    expect(noBoundary.status).toBe(400);
    const wrongType = await post("/runs/multipart", "{}", { "content-type": "application/json" });
    expect(wrongType.status).toBe(415);
    expect(recorder.stats()).toMatchObject({ badRequests: 3, runsReceived: 0 });
  });
});

describe("POST /runs/batch, POST /runs, PATCH /runs/<id>", () => {
  it("takes post and patch arrays (JS and Python SDK shape)", async () => {
    recorder = await startRecorder({ ingest: "batch" });
    const batch = {
      post: [
        // Python sends timezone-aware ISO strings and the large fields inline.
        { id: ID1, name: "py-root", run_type: "chain", trace_id: TRACE, dotted_order: DOT1, start_time: "2024-07-01T12:00:00.000001+00:00", inputs: { x: 1 }, serialized: { name: "f" } },
        { id: ID2, name: "py-child", run_type: "tool", trace_id: TRACE, parent_run_id: ID1, dotted_order: DOT2, start_time: "2024-07-01T12:00:00.005002+00:00" },
      ],
      patch: [{ id: ID2, end_time: "2024-07-01T12:00:00.009000+00:00", outputs: { y: 2 } }],
      pre_sampled: true,
    };
    expect((await post("/runs/batch", json(batch), { "content-type": "application/json" })).status).toBe(202);
    expect((await post("/runs/batch", gzipSync(json({ patch: [{ id: ID1, end_time: "2024-07-01T12:00:00.010000+00:00" }] })), { "content-type": "application/json", "content-encoding": "gzip" })).status).toBe(202);
    const [root] = recorder.forest();
    expect(root!.run).toMatchObject({ name: "py-root", inputs: { x: 1 }, end_time: "2024-07-01T12:00:00.010000+00:00" });
    expect(root!.children[0]!.run).toMatchObject({ name: "py-child", outputs: { y: 2 } });
  });

  it("takes a single run create and update, also under /api/v1", async () => {
    recorder = await startRecorder();
    expect((await post("/runs", json({ id: ID1, name: "single", start_time: 10 }), { "content-type": "application/json" })).status).toBe(202);
    expect((await post(`/runs/${ID1}`, json({ end_time: 20, outputs: { ok: true } }), { "content-type": "application/json" }, "PATCH")).status).toBe(202);
    expect((await post("/api/v1/runs", json({ id: ID2, name: "prefixed" }), { "content-type": "application/json" })).status).toBe(202);
    expect(recorder.runs()).toEqual([
      { id: ID1, name: "single", start_time: 10, end_time: 20, outputs: { ok: true } },
      { id: ID2, name: "prefixed" },
    ]);
  });

  it.each([
    ["/runs/batch", "POST", "{not json", /invalid JSON/],
    ["/runs/batch", "POST", json([1, 2]), /expected a JSON object, got an array/],
    ["/runs/batch", "POST", json({ post: { id: ID1 } }), /"post" must be an array/],
    ["/runs/batch", "POST", json({ post: [{ name: "no id" }] }), /post\[0\]: the run has no string "id"/],
    ["/runs", "POST", json({ name: "no id" }), /no string "id"/],
    [`/runs/${ID1}`, "PATCH", json({ id: ID2 }), /differs from the id in the path/],
  ])("%s %s with a bad body: 400 with a reason, nothing applied", async (path, method, body, reason) => {
    recorder = await startRecorder();
    const res = await post(path, body, { "content-type": "application/json" }, method);
    expect(res.status).toBe(400);
    expect(String(res.json.error)).toMatch(reason);
    expect(recorder.stats()).toMatchObject({ badRequests: 1, runsReceived: 0, serverErrors: 0 });
  });

  it("rejects an unknown or broken encoding and an oversized body", async () => {
    recorder = await startRecorder({ maxBodyBytes: 1000 });
    const zstd = await post("/runs/batch", "xx", { "content-type": "application/json", "content-encoding": "zstd" });
    expect(zstd.status).toBe(415);
    expect(String(zstd.json.error)).toMatch(/zstd/);
    const notGzip = await post("/runs/batch", json({ post: [] }), { "content-type": "application/json", "content-encoding": "gzip" });
    expect(notGzip.status).toBe(400);
    expect(String(notGzip.json.error)).toMatch(/not valid gzip/);
    const big = await post("/runs/batch", json({ post: [{ id: ID1, inputs: "x".repeat(2000) }] }), { "content-type": "application/json" });
    expect(big.status).toBe(413);
    // A small gzip body that inflates past the limit is refused too.
    const bomb = await post("/runs/batch", gzipSync(json({ post: [{ id: ID1, inputs: "x".repeat(5000) }] })), { "content-type": "application/json", "content-encoding": "gzip" });
    expect(bomb.status).toBe(413);
    expect(recorder.stats()).toMatchObject({ badRequests: 4, runsReceived: 0 });
  });
});

describe("robustness", () => {
  it("answers 404 for unknown paths and 405 for a wrong method, counting them", async () => {
    recorder = await startRecorder();
    expect((await fetch(`${recorder.url}/sessions?name=x`)).status).toBe(404);
    expect((await fetch(`${recorder.url}/nope`, { method: "POST", body: "x" })).status).toBe(404);
    const wrong = await fetch(`${recorder.url}/runs/batch`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    const s = recorder.stats();
    expect(s).toMatchObject({ requests: 3, unknownPaths: 3, badRequests: 0 });
    expect(s.byEndpoint).toEqual({ "GET /sessions": 1, "POST /nope": 1, "GET /runs/batch": 1 });
  });

  it("answers 400 to a path that does not decode", async () => {
    recorder = await startRecorder();
    const res = await fetch(`${recorder.url}/runs/%E0%A4%A`, { method: "PATCH", body: "{}" });
    expect(res.status).toBe(400);
    expect(recorder.stats()).toMatchObject({ badRequests: 1, serverErrors: 0 });
  });

  it("survives a malformed HTTP request and keeps serving", async () => {
    recorder = await startRecorder();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(recorder.port, "127.0.0.1", () => socket.write("THIS IS NOT HTTP\r\n\r\n"));
      let data = "";
      socket.on("data", (d) => (data += d.toString()));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${recorder.url}/info`)).status).toBe(200);
    expect(recorder.stats().badRequests).toBe(1);
  });

  it("waitForQuiet waits for a request still being received, and times out while one stays open", async () => {
    recorder = await startRecorder();
    const req = http.request(`${recorder.url}/runs`, { method: "POST", headers: { "content-type": "application/json" } });
    const done = new Promise<number>((resolve) => req.on("response", (res) => (res.resume(), resolve(res.statusCode!))));
    req.write('{"id":"slow-run",');
    await new Promise((r) => setTimeout(r, 50));
    await expect(recorder.waitForQuiet({ quietMs: 20, timeoutMs: 150 })).rejects.toThrow(/still receiving after 150 ms \(1 request/);
    let quiet = false;
    const waiting = recorder.waitForQuiet({ quietMs: 50, timeoutMs: 5000 }).then(() => (quiet = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(quiet).toBe(false);
    req.end('"name":"slow"}');
    expect(await done).toBe(202);
    await waiting;
    expect(recorder.runs()).toEqual([{ id: "slow-run", name: "slow" }]);
  });

  it("close() ends kept-alive connections promptly", async () => {
    recorder = await startRecorder();
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve) => http.get(`${recorder.url}/info`, { agent }, (res) => (res.resume(), res.on("end", resolve))));
    const started = Date.now();
    await recorder.close();
    expect(Date.now() - started).toBeLessThan(2000);
    agent.destroy();
  });
});

describe("a client that disconnects mid-body", () => {
  it("is counted as a rejected request, with a reason, and the server keeps serving", async () => {
    recorder = await startRecorder();
    const req = http.request(`${recorder.url}/runs`, { method: "POST", headers: { "content-type": "application/json" } });
    req.on("error", () => {});
    req.write('{"id":"cut",');
    await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    await recorder.waitForQuiet({ quietMs: 50 });
    expect(recorder.stats()).toMatchObject({ badRequests: 1, serverErrors: 0, runsReceived: 0 });
    expect(recorder.stats().rejections[0]).toMatch(/closed the connection before the body was complete/);
    expect((await fetch(`${recorder.url}/info`)).status).toBe(200);
  });
});
