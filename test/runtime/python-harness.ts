/**
 * The Python runtime oracle's machinery: load the Python fixture cases (fixtures/python/runtime/), run each program
 * with the venv's CPython 3.11 (and, for `3.10-sim` cases, the < 3.11 simulation on PYTHONPATH) against a fresh
 * local recorder, and lint / fix programs with src/python once that module exists. Shapes are checked with the
 * JavaScript oracle's `shapeProblems` (same `expect` language).
 */
import { Ajv } from "ajv";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildForest, formatForest, startRecorder, type RecordedRun, type RecorderStats } from "../../src/recorder/index.js";
import type { Expectation } from "./harness.js";

export { createPool, selectRuns, shapeProblems } from "./harness.js";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const PY_FIXTURES = path.join(REPO, "fixtures/python/runtime");
export const PY_SUPPORT = path.join(PY_FIXTURES, "_support");
export const PY310_SIM = path.join(PY_SUPPORT, "py310sim");
/** The venv scripts/python-env.sh creates (`.ci/run` runs it before the tests). */
export const VENV_PYTHON = path.join(REPO, ".venv-py311/bin/python");
/** A real CPython 3.10 for the simulation check (stdlib only). */
export const PYTHON310 = process.env.PYTHON310 ?? path.join(process.env.HOME ?? "~", ".pyenv/versions/3.10.13/bin/python");
/** The engine's Python entry point; it may not exist yet (it lands with the Python static side). */
export const PYTHON_ENGINE = path.join(REPO, "src/python/index.ts");

export type PyRuleName =
  | "py-context-to-thread"
  | "py-pass-config-pre-311"
  | "py-ineffective-parent-handoff"
  | "py-propagate-trace-headers"
  | "py-continue-distributed-trace";
export const PY_RULES: PyRuleName[] = [
  "py-context-to-thread",
  "py-pass-config-pre-311",
  "py-ineffective-parent-handoff",
  "py-propagate-trace-headers",
  "py-continue-distributed-trace",
];
export type PyVersion = "3.11" | "3.10-sim";

export interface PyLintCheck {
  settings?: Record<string, unknown>;
  findings: number;
  fixKind?: "fix" | "suggestion" | "none";
  apply?: "fix" | "suggestion" | "none";
  sameAsFixed?: boolean;
  note?: string;
}

export interface PyFixtureCase {
  title: string;
  rule: PyRuleName;
  python: PyVersion;
  kind: "broken" | "lookalike" | "measurement";
  program?: string;
  fixed?: string;
  env?: Record<string, string>;
  stdout?: string[];
  stderr?: string[];
  expect: Expectation[];
  lint?: PyLintCheck[];
  expectFindings?: Record<string, number>;
  note?: string;
}

export interface PyLoadedCase extends PyFixtureCase {
  /** `<rule dir>/<base name>`. */
  id: string;
  program: string;
  fixedProgram?: string;
  lintChecks: PyLintCheck[];
}

/** Every case under fixtures/python/runtime/, validated against its case.schema.json. */
export function loadPyCases(root: string = PY_FIXTURES): PyLoadedCase[] {
  const schema = JSON.parse(readFileSync(path.join(root, "case.schema.json"), "utf8"));
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(schema);
  const cases: PyLoadedCase[] = [];
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name.startsWith("_")) continue;
    const ruleDir = path.join(root, dir.name);
    for (const file of readdirSync(ruleDir).sort()) {
      if (!file.endsWith(".json")) continue;
      const jsonPath = path.join(ruleDir, file);
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(jsonPath, "utf8"));
      } catch (error) {
        throw new Error(`${jsonPath}: ${(error as Error).message}`);
      }
      if (!validate(data)) throw new Error(`${jsonPath}: ${ajv.errorsText(validate.errors)}`);
      const spec = data as PyFixtureCase;
      if (spec.rule !== dir.name) throw new Error(`${jsonPath}: rule "${spec.rule}" does not match its directory "${dir.name}"`);
      const base = file.slice(0, -".json".length);
      const program = path.join(ruleDir, spec.program ?? `${base}.py`);
      if (!existsSync(program)) throw new Error(`${jsonPath}: no program ${path.basename(program)} next to it`);
      if (spec.kind === "broken" && !spec.fixed) throw new Error(`${jsonPath}: a broken case needs "fixed"`);
      if (spec.kind !== "broken" && spec.fixed) throw new Error(`${jsonPath}: only broken cases have "fixed"`);
      const fixedProgram = spec.fixed ? path.join(ruleDir, spec.fixed) : undefined;
      if (fixedProgram && !existsSync(fixedProgram)) throw new Error(`${jsonPath}: fixed program ${spec.fixed} not found`);
      if (spec.kind === "lookalike" && spec.expect.some((e) => e.split)) throw new Error(`${jsonPath}: a lookalike nests: "split" is not allowed`);
      if (spec.kind === "broken" && !spec.expect.some((e) => e.split)) throw new Error(`${jsonPath}: a broken case must declare a split`);
      const counts = Object.values(spec.expectFindings ?? {});
      if (spec.kind === "lookalike" && counts.some((n) => n !== 0)) throw new Error(`${jsonPath}: a lookalike must have no findings`);
      const lintChecks = spec.lint ?? [];
      if (spec.kind === "broken") {
        if (spec.expectFindings && !(spec.expectFindings[spec.rule] ?? 0)) throw new Error(`${jsonPath}: a broken case expects findings of its rule`);
        if (!spec.expectFindings && lintChecks.length === 0) throw new Error(`${jsonPath}: a broken case needs a lint check`);
        // A broken program the rule misses is declared with its measured count, and says why.
        if (lintChecks.some((check) => check.findings === 0 && !check.note)) throw new Error(`${jsonPath}: a lint check with no findings on a broken program needs a note`);
      }
      for (const check of lintChecks) {
        if (spec.kind !== "broken" && check.apply && check.apply !== "none") throw new Error(`${jsonPath}: only broken cases apply fixes`);
        if (spec.kind === "lookalike" && check.findings !== 0) throw new Error(`${jsonPath}: a lookalike must lint clean`);
      }
      cases.push({ ...spec, id: `${dir.name}/${base}`, program, fixedProgram, lintChecks });
    }
  }
  return cases;
}

// -------------------------------------------------------------------------------------------------------------------
// Running programs
// -------------------------------------------------------------------------------------------------------------------

/** What `oracle_support.flush_traces()` reported: 1/0 for "asyncio and the libraries hand the context to tasks". */
export interface PyReport {
  asyncioContext: string;
  /** Library gates of the loaded modules: lc, lg_future, lg_executor, lg_runnable -> "1" | "0" | "-" (not loaded). */
  flags: Record<string, string>;
}

export interface PyProgramResult {
  program: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  runs: RecordedRun[];
  stats: RecorderStats;
  report?: PyReport;
  forestText: string;
}

const PROGRAM_TIMEOUT_MS = 90_000;

/** Throws, loudly, when the venv is missing: the Python suite never skips. */
export function requireVenv(): string {
  if (!existsSync(VENV_PYTHON)) {
    throw new Error(`${VENV_PYTHON} is missing: run scripts/python-env.sh (.ci/run does) to install the Python packages`);
  }
  return VENV_PYTHON;
}

/** The environment a Python program runs in: tracing on, pointed at `endpoint`, the simulation when asked. */
export function pythonEnv(python: PyVersion, endpoint: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(LANGSMITH|LANGCHAIN)_/.test(k) || k === "OTEL_ENABLED" || k.startsWith("PYTHON")) continue;
    env[k] = v;
  }
  return {
    ...env,
    PYTHONPATH: python === "3.10-sim" ? `${PY310_SIM}${path.delimiter}${PY_SUPPORT}` : PY_SUPPORT,
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONUNBUFFERED: "1",
    LANGSMITH_TRACING: "true",
    LANGSMITH_ENDPOINT: endpoint,
    LANGSMITH_API_KEY: "oracle-dummy-key",
    LANGSMITH_PROJECT: "trace-nesting-oracle",
    // The recorder has no zstd (it says so in /info); this only silences the SDK's warning about it.
    LANGSMITH_DISABLE_RUN_COMPRESSION: "true",
    ...extra,
  };
}

/** Run `<venv python> <program>` against a fresh recorder; resolves once it exited and the recorder is quiet. */
export async function runPythonProgram(program: string, python: PyVersion, env: Record<string, string> = {}): Promise<PyProgramResult> {
  const interpreter = requireVenv();
  const recorder = await startRecorder();
  try {
    const child = spawn(interpreter, [program], {
      cwd: path.dirname(program),
      env: pythonEnv(python, recorder.url, env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), PROGRAM_TIMEOUT_MS);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (c, s) => resolve([c, s]));
    });
    clearTimeout(timer);
    await recorder.waitForQuiet({ quietMs: 50, timeoutMs: 10_000 });
    const runs = recorder.runs();
    return { program, code, signal, stdout, stderr, runs, stats: recorder.stats(), report: parseReport(stdout), forestText: formatForest(buildForest(runs), { color: false }) };
  } finally {
    await recorder.close();
  }
}

export function parseReport(stdout: string): PyReport | undefined {
  const line = /^trace-nesting-oracle (.*)$/m.exec(stdout)?.[1];
  if (!line) return undefined;
  const fields = Object.fromEntries(line.split(/\s+/).map((kv) => kv.split("=") as [string, string]));
  const { asyncio_context: asyncioContext = "?", ...flags } = fields;
  return { asyncioContext, flags };
}

/** Problems with how the program ran: exit, flush report, Python version gates, recorder health, complete runs. */
export function pyRunProblems(result: PyProgramResult, spec: Pick<PyFixtureCase, "python" | "stdout" | "stderr">): string[] {
  const problems: string[] = [];
  if (result.code !== 0) problems.push(`exited with ${result.code ?? result.signal}: ${result.stderr.slice(-3000)}`);
  if (!result.report) problems.push("did not report (flush_traces was not reached)");
  else {
    const want = spec.python === "3.11" ? "1" : "0";
    if (result.report.asyncioContext !== want) problems.push(`python ${spec.python}: asyncio.create_task context support ${result.report.asyncioContext}, expected ${want}`);
    for (const [flag, value] of Object.entries(result.report.flags)) {
      if (value !== "-" && value !== want) problems.push(`python ${spec.python}: library gate ${flag}=${value}, expected ${want}`);
    }
  }
  const s = result.stats;
  if (s.badRequests || s.serverErrors || s.unknownPaths) {
    problems.push(`recorder: ${s.badRequests} bad requests, ${s.serverErrors} server errors, ${s.unknownPaths} unknown paths ${s.rejections.join("; ")}`);
  }
  for (const run of result.runs) {
    if (!run.name || run.start_time === undefined) problems.push(`run ${run.id} has no post (name/start time missing)`);
    else if (run.end_time === undefined) problems.push(`run ${run.name} (${run.id}) never ended (no patch received)`);
  }
  for (const text of spec.stdout ?? []) if (!result.stdout.includes(text)) problems.push(`stdout lacks ${JSON.stringify(text)}`);
  for (const text of spec.stderr ?? []) if (!result.stderr.includes(text)) problems.push(`stderr lacks ${JSON.stringify(text)}`);
  return problems;
}

// -------------------------------------------------------------------------------------------------------------------
// Linting and fixing with src/python (once it exists)
// -------------------------------------------------------------------------------------------------------------------

export interface PyFinding {
  ruleId?: string;
  fixKind?: "fix" | "suggestion" | "none";
  message?: string;
  messageId?: string;
  line?: number;
  range?: readonly [number, number];
}

export interface PythonEngine {
  lintPython(text: string, filename: string, settings?: Record<string, unknown>): Promise<(PyFinding & { edits?: readonly { range: readonly [number, number]; text: string }[] })[]>;
  fixPython(text: string, filename: string, settings?: Record<string, unknown>): Promise<{ output: string; fixed: boolean | number }>;
}

/** The Python engine, imported dynamically; throws (the test fails) when a case needs it and it is missing. */
export async function loadPythonEngine(): Promise<PythonEngine> {
  if (!existsSync(PYTHON_ENGINE)) {
    throw new Error(`a case declares lint checks, but ${path.relative(REPO, PYTHON_ENGINE)} (lintPython/fixPython) does not exist`);
  }
  const engine = (await import(/* @vite-ignore */ pathToFileURL(PYTHON_ENGINE).href)) as Partial<PythonEngine>;
  if (typeof engine.lintPython !== "function" || typeof engine.fixPython !== "function") {
    throw new Error(`${PYTHON_ENGINE} must export lintPython and fixPython`);
  }
  return engine as PythonEngine;
}

/** A finding's rule, with or without the plugin prefix. */
export function isRule(finding: PyFinding, rule: string): boolean {
  return finding.ruleId === rule || finding.ruleId === `trace-nesting/${rule}`;
}
