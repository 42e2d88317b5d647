import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { record } from "../../src/cli/record.js";
import type { RecorderStats, TraceNode } from "../../src/recorder/index.js";
import { capture, cleanEnv, fixture, flatten, tempDir } from "./helpers.js";

// Load self-test: 24 concurrent traces x 17 runs from the real SDK, recorded through `record`, compared with
// what the SDK reported client-side, once per ingest endpoint (and the gzip path of multipart).
const TRACES = 24;
const RUNS_PER_TRACE = 17;
const tmp = tempDir();
afterAll(() => tmp.remove());

interface ClientRun {
  id: string;
  name: string;
  parent_run_id: string | null;
  trace_id: string;
  dotted_order: string;
}

describe.each([
  { ingest: "multipart" as const, gzip: false, endpoint: "POST /runs/multipart" },
  { ingest: "batch" as const, gzip: false, endpoint: "POST /runs/batch" },
  { ingest: "multipart" as const, gzip: true, endpoint: "POST /runs/multipart" },
])("load through the $ingest endpoint (gzip: $gzip)", ({ ingest, gzip, endpoint }) => {
  it(`receives all ${TRACES * RUNS_PER_TRACE} runs with the SDK's own ids, parents and dotted orders`, async () => {
    const name = `${ingest}-${gzip ? "gzip" : "plain"}`;
    const clientFile = path.join(tmp.dir, `${name}.client.json`);
    const reportFile = path.join(tmp.dir, `${name}.report.json`);
    const io = capture();
    const code = await record(
      { command: [process.execPath, fixture("load.mjs")], json: true, out: reportFile, ingest, gzip },
      {
        env: cleanEnv({ LOAD_OUT: clientFile, LOAD_TRACES: String(TRACES) }),
        childStdio: "pipe",
        forwardSignals: false,
        stdout: io.stdout,
        stderr: io.stderr,
      },
    );
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    expect(io.out()).toContain(`load: ${TRACES} traces, ${TRACES * RUNS_PER_TRACE} runs`);

    const client = JSON.parse(readFileSync(clientFile, "utf8")) as ClientRun[];
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as {
      forest: TraceNode[];
      stats: RecorderStats;
      summary: { traces: number; runs: number };
    };
    expect(client).toHaveLength(TRACES * RUNS_PER_TRACE);
    expect(new Set(client.map((r) => r.id)).size).toBe(client.length);

    const received = new Map(flatten(report.forest).map(({ node, parentId }) => [node.run.id, { run: node.run, parentId }]));
    expect(received.size).toBe(client.length);
    for (const c of client) {
      const got = received.get(c.id);
      expect(got, `run ${c.id} (${c.name}) not received`).toBeDefined();
      expect(got!.run.name).toBe(c.name);
      expect(got!.run.trace_id).toBe(c.trace_id);
      expect(got!.run.dotted_order).toBe(c.dotted_order);
      expect(got!.run.parent_run_id ?? null).toBe(c.parent_run_id);
      // The forest puts it under the parent the SDK reported.
      expect(got!.parentId ?? null).toBe(c.parent_run_id);
      expect(got!.run.end_time, `run ${c.id} has no end time (patch lost?)`).toBeDefined();
    }

    expect(report.summary).toMatchObject({ traces: TRACES, runs: TRACES * RUNS_PER_TRACE });
    for (const root of report.forest) {
      expect(root.run.name).toBe("root");
      expect(flatten([root])).toHaveLength(RUNS_PER_TRACE);
      expect(root.children.map((c) => c.run.name)).toEqual(["step", "step", "step", "step"]);
      for (const s of root.children) expect(s.children.map((c) => c.run.name)).toEqual(["leaf", "leaf", "leaf"]);
    }
    const { stats } = report;
    expect(stats.badRequests + stats.serverErrors + stats.unknownPaths).toBe(0);
    expect(Object.keys(stats.byEndpoint).sort()).toEqual(["GET /info", endpoint].sort());
    expect(Object.keys(stats.byEncoding)).toEqual([gzip ? "gzip" : "identity"]);
    expect(stats.runsReceived).toBe(TRACES * RUNS_PER_TRACE);
  });
});
