import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RECORDER_API_KEY, recordEnv, runRecord, type RecordIO } from "../../src/cli/record.js";
import type { TraceNode } from "../../src/recorder/index.js";
import { capture, cleanEnv, fixture, shape, tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.remove());

async function run(argv: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
  const io = capture();
  const options: RecordIO = { env, childStdio: "pipe", forwardSignals: false, stdout: io.stdout, stderr: io.stderr };
  const code = await runRecord(argv, options);
  return { code, out: io.out(), err: io.err() };
}

const node = process.execPath;

describe("trace-nesting record on small programs", () => {
  it("prints the nested tree and the summary after the command's own output", async () => {
    const r = await run(["--", node, fixture("nested.mjs")]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toBe("HELLO!");
    expect(lines[1]).toMatch(/^pipeline {2}chain {2}(?:\d+ms|\d+\.\d+s)$/);
    expect(lines[2]).toMatch(/^├─ lookup {2}retriever {2}(?:\d+ms|\d+\.\d+s)$/);
    expect(lines[3]).toMatch(/^└─ answer {2}llm {2}(?:\d+ms|\d+\.\d+s)$/);
    expect(lines.slice(4)).toEqual(["", "1 trace, 3 runs", ""]);
  });

  it("shows the child of a detached listener as its own trace", async () => {
    const r = await run(["--json", "--", node, fixture("split-emitter.mjs")]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { forest: TraceNode[]; summary: { traces: number; runs: number } };
    expect(shape(report.forest)).toEqual(["setup", "handle"]);
    expect(report.summary).toMatchObject({ traces: 2, runs: 2 });
    expect(report.forest[1]!.run.parent_run_id ?? null).toBeNull();
  });

  it("passes options after the command through to it", async () => {
    // --json after the script belongs to the script, not to record: the report stays a tree.
    const r = await run([node, fixture("nested.mjs"), "--json"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("1 trace, 3 runs");
    expect(r.out).not.toContain('"forest"');
  });

  it("exits with the command's exit code and still prints what was recorded", async () => {
    const r = await run(["--", node, fixture("exit-code.mjs")]);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^before-exit {2}chain {2}(?:\d+ms|\d+\.\d+s)\n\n1 trace, 1 run\n$/);
  });

  it("writes the report to --out instead of stdout", async () => {
    const file = path.join(tmp.dir, "report.json");
    const r = await run(["--json", "--out", file, "--", node, fixture("nested.mjs")]);
    expect(r.code).toBe(0);
    expect(r.out).toBe("HELLO!\n");
    const report = JSON.parse(readFileSync(file, "utf8")) as { command: string[]; exitCode: number; forest: TraceNode[] };
    expect(report.command).toEqual([node, fixture("nested.mjs")]);
    expect(report.exitCode).toBe(0);
    expect(shape(report.forest)).toEqual([["pipeline", ["lookup", "answer"]]]);
  });

  it("exits 2 and says why when the recorder had to reject runs", async () => {
    const r = await run(["--", node, fixture("bad-post.mjs")]);
    expect(r.out).toContain("400 202");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/1 ingest request\(s\) were rejected, so runs may be missing:\n {2}400 POST \/runs\/batch: invalid JSON/);
    expect(r.out).toContain("accepted  chain  1.00s");
  });

  it("reports a command that cannot be started with 127", async () => {
    const r = await run(["--", "trace-nesting-no-such-command-xyz"]);
    expect(r.code).toBe(127);
    expect(r.err).toMatch(/cannot run "trace-nesting-no-such-command-xyz"/);
    expect(r.out).toBe("0 traces, 0 runs\n");
  });

  it("warns when no run arrives", async () => {
    const r = await run(["--", node, "-e", "console.log('untraced')"]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/no runs were received/);
  });

  it.each([
    [[], /missing required argument 'command'/],
    [["--ingest", "grpc", "--", node, "x.mjs"], /argument 'grpc' is invalid/],
    [["--quiet-ms", "soon", "--", node, "x.mjs"], /expected a whole number of milliseconds/],
  ])("answers a usage error %j with exit 2", async (argv, message) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe("the command's environment", () => {
  const envOf = async (argv: string[], env: NodeJS.ProcessEnv) => {
    const r = await run([...argv, "--", node, fixture("print-env.mjs")], env);
    return { ...r, env: JSON.parse(r.out.split("\n")[0]!) as Record<string, string | null> };
  };

  it("turns tracing on and points every name at the recorder, with a dummy key", async () => {
    const r = await envOf([], cleanEnv());
    expect(r.env).toMatchObject({
      LANGSMITH_TRACING: "true",
      LANGSMITH_TRACING_V2: "true",
      LANGCHAIN_TRACING_V2: "true",
      LANGCHAIN_TRACING: "true",
      LANGSMITH_API_KEY: RECORDER_API_KEY,
      LANGCHAIN_API_KEY: RECORDER_API_KEY,
    });
    expect(r.env.LANGSMITH_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(r.env.LANGCHAIN_ENDPOINT).toBe(r.env.LANGSMITH_ENDPOINT);
    expect(r.err).toMatch(/no runs were received/);
  });

  it("keeps the user's explicit settings, warning about those that divert runs", async () => {
    const r = await envOf(
      [],
      cleanEnv({ LANGCHAIN_ENDPOINT: "http://127.0.0.1:9/elsewhere", LANGSMITH_API_KEY: "users-key", LANGSMITH_RUNS_ENDPOINTS: '{"http://127.0.0.1:9":"k"}' }),
    );
    expect(r.env.LANGCHAIN_ENDPOINT).toBe("http://127.0.0.1:9/elsewhere");
    // Not set: LANGSMITH_ENDPOINT would override the user's LANGCHAIN_ENDPOINT.
    expect(r.env.LANGSMITH_ENDPOINT).toBeNull();
    expect(r.env.LANGSMITH_API_KEY).toBe("users-key");
    expect(r.env.LANGSMITH_RUNS_ENDPOINTS).toBe('{"http://127.0.0.1:9":"k"}');
    expect(r.err).toMatch(/keeping LANGCHAIN_ENDPOINT=http:\/\/127\.0\.0\.1:9\/elsewhere \(the endpoint\); runs may not reach the recorder\. Use --force-env/);
    expect(r.err).toMatch(/keeping LANGSMITH_RUNS_ENDPOINTS=.* which sends runs to other endpoints/);
    expect(r.err).not.toMatch(/API key/);
  });

  it("replaces them with --force-env", async () => {
    const r = await envOf(["--force-env"], cleanEnv({ LANGCHAIN_ENDPOINT: "http://127.0.0.1:9", LANGSMITH_TRACING: "false", LANGSMITH_RUNS_ENDPOINTS: "{}" }));
    expect(r.env.LANGCHAIN_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(r.env.LANGCHAIN_ENDPOINT).not.toBe("http://127.0.0.1:9");
    expect(r.env.LANGSMITH_TRACING).toBe("true");
    expect(r.env.LANGSMITH_RUNS_ENDPOINTS).toBeNull();
    expect(r.err).toMatch(/--force-env: replacing LANGSMITH_TRACING=false/);
    expect(r.err).toMatch(/--force-env: removing LANGSMITH_RUNS_ENDPOINTS=\{\}/);
  });
});

describe("recordEnv", () => {
  const url = "http://127.0.0.1:4000";
  it("fills in the names the user left unset when the ones set agree", () => {
    const { env, warnings } = recordEnv({ LANGSMITH_TRACING: "true", LANGSMITH_ENDPOINT: `${url}/` }, url);
    expect(warnings).toEqual([]);
    expect(env).toMatchObject({ LANGSMITH_TRACING: "true", LANGCHAIN_TRACING_V2: "true", LANGSMITH_ENDPOINT: `${url}/`, LANGCHAIN_ENDPOINT: url });
  });

  it("asks for uncompressed bodies unless gzip is advertised, keeping the user's own choice", () => {
    expect(recordEnv({}, url).env.LANGSMITH_DISABLE_RUN_COMPRESSION).toBe("true");
    expect(recordEnv({}, url, { gzip: true }).env.LANGSMITH_DISABLE_RUN_COMPRESSION).toBeUndefined();
    expect(recordEnv({ LANGSMITH_DISABLE_RUN_COMPRESSION: "false" }, url).env.LANGSMITH_DISABLE_RUN_COMPRESSION).toBe("false");
  });

  it("treats empty values as unset and keeps a tracing switch turned off, with a warning", () => {
    const { env, warnings } = recordEnv({ LANGSMITH_ENDPOINT: "", LANGCHAIN_TRACING_V2: "false" }, url);
    expect(env.LANGSMITH_ENDPOINT).toBe(url);
    expect(env.LANGCHAIN_TRACING_V2).toBe("false");
    expect(env.LANGSMITH_TRACING).toBeUndefined();
    expect(warnings).toEqual([
      "keeping LANGCHAIN_TRACING_V2=false (the tracing switch); runs may not reach the recorder. Use --force-env to override.",
    ]);
  });

  it("warns about sampling and OpenTelemetry mode, and ignores a sampling rate of 1", () => {
    expect(recordEnv({ LANGSMITH_TRACING_SAMPLING_RATE: "1" }, url).warnings).toEqual([]);
    const { warnings, env } = recordEnv({ LANGSMITH_TRACING_SAMPLING_RATE: "0.5", LANGSMITH_TRACING_MODE: "otel" }, url, { forceEnv: true });
    expect(warnings).toEqual([
      "--force-env: removing LANGSMITH_TRACING_SAMPLING_RATE=0.5",
      "--force-env: removing LANGSMITH_TRACING_MODE=otel",
    ]);
    expect(env.LANGSMITH_TRACING_SAMPLING_RATE).toBeUndefined();
  });

  it("does not modify the environment it is given", () => {
    const base = { LANGSMITH_TRACING: "false" };
    recordEnv(base, url, { forceEnv: true });
    expect(base).toEqual({ LANGSMITH_TRACING: "false" });
  });
});
