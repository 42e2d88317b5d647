import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startRecorder, type Recorder } from "../../src/recorder/index.js";
import { fixture, shape } from "./helpers.js";

// Requests the Python SDK (langsmith 0.14.0, CPython 3.11) really sent for fixtures/py_trace.py, captured with
// fixtures/capture-wire.mjs, replayed byte for byte: the recorder must read Python's wire format without Python.
interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

let recorder: Recorder;
afterEach(async () => {
  await recorder?.close();
});

describe.each(["multipart", "batch"] as const)("Python SDK requests to the %s endpoint", (ingest) => {
  it("are all accepted and give the nested trace plus the thread-pool split", async () => {
    recorder = await startRecorder({ ingest });
    const requests = JSON.parse(readFileSync(fixture(`python-wire/py_trace.${ingest}.json`), "utf8")) as WireRequest[];
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) {
      expect(r.path).toBe(ingest === "multipart" ? "/runs/multipart" : "/runs/batch");
      const res = await fetch(`${recorder.url}${r.path}`, { method: r.method, headers: r.headers, body: Buffer.from(r.body, "base64") });
      expect(res.status, await res.text()).toBe(202);
    }
    const forest = recorder.forest();
    expect(shape(forest)).toEqual([["py_parent", ["py_leaf"]], "py_leaf"]);
    const [parent, split] = forest;
    expect(parent!.run).toMatchObject({ run_type: "chain", inputs: { x: 1 }, outputs: { output: 3 } });
    expect(parent!.children[0]!.run).toMatchObject({ parent_run_id: parent!.run.id, inputs: { x: 1 }, outputs: { output: 2 } });
    // The split child ran inside the parent's time span, in a trace of its own.
    expect(split!.run.trace_id).toBe(split!.run.id);
    expect(split!.flags.startedWhileOtherTraceOpen).toBe(true);
    expect(recorder.stats()).toMatchObject({ badRequests: 0, runsReceived: 3 });
  });
});
