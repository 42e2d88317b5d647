import { afterEach, describe, expect, it } from "vitest";
import { Client } from "langsmith";
import { traceable } from "langsmith/traceable";
import { startRecorder, type Recorder } from "../../src/recorder/index.js";

// The real JS SDK against the recorder, in this process: every endpoint mode the SDK can pick.
let recorder: Recorder | undefined;
afterEach(async () => {
  await recorder?.close();
  recorder = undefined;
});

async function traceSmallProgram(rec: Recorder) {
  const client = new Client({ apiUrl: rec.url, apiKey: "test-key" });
  const leaf = traceable(async (x: number) => x + 1, { name: "leaf", run_type: "tool", client, tracingEnabled: true });
  const middle = traceable(
    async (x: number) => {
      const a = await leaf(x);
      await new Promise((r) => setTimeout(r, 30));
      return leaf(a);
    },
    { name: "middle", run_type: "chain", client, tracingEnabled: true },
  );
  const top = traceable(async (x: number) => middle(x), { name: "top", run_type: "chain", client, tracingEnabled: true });
  const result = await top(1);
  await client.awaitPendingTraceBatches();
  await rec.waitForQuiet({ quietMs: 50 });
  return result;
}

describe.each([
  { ingest: "multipart" as const, gzip: false, endpoint: "POST /runs/multipart", encoding: "identity" },
  { ingest: "multipart" as const, gzip: true, endpoint: "POST /runs/multipart", encoding: "gzip" },
  { ingest: "batch" as const, gzip: false, endpoint: "POST /runs/batch", encoding: "identity" },
])("langsmith JS SDK, $ingest endpoint, gzip=$gzip", ({ ingest, gzip, endpoint, encoding }) => {
  it("receives every run, merged, with the nesting the SDK reported", async () => {
    recorder = await startRecorder({ ingest, gzip });
    expect(await traceSmallProgram(recorder)).toBe(3);
    const stats = recorder.stats();
    expect(stats.byEndpoint[endpoint]).toBeGreaterThan(0);
    expect(Object.keys(stats.byEndpoint).sort()).toEqual(["GET /info", endpoint].sort());
    expect(Object.keys(stats.byEncoding)).toEqual([encoding]);
    expect(stats.badRequests + stats.unknownPaths + stats.serverErrors).toBe(0);
    expect(stats.runsReceived).toBe(4);

    const forest = recorder.forest();
    expect(forest).toHaveLength(1);
    const [top] = forest;
    expect(top!.run.name).toBe("top");
    expect(top!.children.map((c) => c.run.name)).toEqual(["middle"]);
    const middle = top!.children[0]!;
    expect(middle.children.map((c) => c.run.name)).toEqual(["leaf", "leaf"]);
    expect(middle.children.map((c) => c.run.outputs)).toEqual([{ outputs: 2 }, { outputs: 3 }]);
    for (const run of recorder.runs()) {
      expect(run.trace_id).toBe(top!.run.id);
      expect(run.end_time).toBeDefined();
      expect(run.start_time).toBeDefined();
      expect(run.inputs).toBeDefined();
    }
    expect(middle.run.parent_run_id).toBe(top!.run.id);
    expect(middle.children[0]!.run.dotted_order!.startsWith(`${middle.run.dotted_order}.`)).toBe(true);
  });
});
