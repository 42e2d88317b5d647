/**
 * `trace-nesting record -- python app.py` end to end with the real Python SDK (langsmith 0.14.0 on CPython 3.11,
 * from the venv of scripts/python-env.sh): multipart and batch ingest, and compression left on (the recorder's
 * /info offers no zstd, so the SDK must send plain bodies). Fails, never skips, when the venv is missing.
 */
import { describe, expect, it } from "vitest";
import { runRecord, type RecordIO } from "../../src/cli/record.js";
import type { TraceNode } from "../../src/recorder/index.js";
import type { RecorderStats } from "../../src/recorder/index.js";
import { requireVenv } from "../runtime/python-harness.js";
import { capture, cleanEnv, fixture, shape } from "./helpers.js";

interface Report {
  exitCode: number;
  forest: TraceNode[];
  stats: RecorderStats;
  summary: { traces: number; runs: number };
}

async function record(args: string[], env: Record<string, string> = {}): Promise<{ code: number; report: Report; out: string; err: string }> {
  const python = requireVenv();
  const io = capture();
  const options: RecordIO = { env: cleanEnv(env), childStdio: "pipe", forwardSignals: false, stdout: io.stdout, stderr: io.stderr };
  const code = await runRecord(["--json", ...args, "--", python, fixture("py_trace.py")], options);
  // With the report on stdout, the program's own output (its result, 3) goes to stderr: stdout is the JSON alone.
  const report = JSON.parse(io.out()) as Report;
  return { code, report, out: io.err(), err: io.err() };
}

describe.each([
  { name: "multipart", args: [], endpoint: "POST /runs/multipart" },
  { name: "batch", args: ["--ingest", "batch"], endpoint: "POST /runs/batch" },
])("trace-nesting record -- python py_trace.py ($name)", ({ args, endpoint }) => {
  it("records the nested trace and the thread-pool split", async () => {
    const { code, report, out } = await record(args);
    expect(code, out).toBe(0);
    expect(out.startsWith("3\n")).toBe(true);
    expect(shape(report.forest)).toEqual([["py_parent", ["py_leaf"]], "py_leaf"]);
    // The split child is a trace of its own (the "started while another trace was open" mark depends on
    // millisecond timing, so it is not asserted on a live run).
    expect(report.forest[1]!.run.trace_id).toBe(report.forest[1]!.run.id);
    expect(report.stats).toMatchObject({ badRequests: 0, unknownPaths: 0, runsReceived: 3 });
    expect(report.stats.byEndpoint["GET /info"]).toBe(1);
    expect(report.stats.byEndpoint[endpoint]).toBeGreaterThan(0);
    expect(Object.keys(report.stats.byEncoding)).toEqual(["identity"]);
  });
});

describe("the Python SDK with run compression on", () => {
  it("sends plain multipart bodies because /info offers no zstd", async () => {
    const { code, report, err } = await record([], { LANGSMITH_DISABLE_RUN_COMPRESSION: "false" });
    expect(code).toBe(0);
    expect(shape(report.forest)).toEqual([["py_parent", ["py_leaf"]], "py_leaf"]);
    expect(report.stats).toMatchObject({ badRequests: 0, runsReceived: 3 });
    expect(report.stats.byEndpoint["POST /runs/multipart"]).toBeGreaterThan(0);
    expect(Object.keys(report.stats.byEncoding)).toEqual(["identity"]);
    expect(report.stats.rejections).toEqual([]);
    // The SDK says so itself (this is why record sets LANGSMITH_DISABLE_RUN_COMPRESSION by default).
    expect(err).toContain("Falling back to regular multipart ingestion");
  });
});
