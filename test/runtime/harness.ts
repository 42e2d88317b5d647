/**
 * The runtime oracle's machinery: load the fixture cases, run programs under the local recorder, check the recorded
 * tree against a case's declared shape, and lint / fix programs with the real ESLint rules.
 */
import { Ajv } from "ajv";
import { Linter } from "eslint";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import plugin from "../../src/index.js";
import { buildForest, formatForest, startRecorder, type RecordedRun, type RecorderStats } from "../../src/recorder/index.js";

export const FIXTURES = fileURLToPath(new URL("../../fixtures/runtime/", import.meta.url));

export type Mode = "als" | "core-only" | "web" | "mock";
export type RuleName =
  | "pass-runnable-config"
  | "bind-detached-callback"
  | "bind-queued-task"
  | "propagate-trace-headers"
  | "continue-distributed-trace"
  | "propagate-trace-to-worker"
  | "continue-trace-in-worker"
  | "no-detached-iterator"
  | "pass-parent-run-tree"
  | "set-up-async-context";

export interface Expectation {
  run: string;
  parent: string | null;
  split?: "root" | "other" | "absent";
  under?: string;
}

export interface LintCheck {
  config?: "recommended" | "strict" | "distributed";
  options?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  findings: number;
  fixKind?: "fix" | "suggestion" | "none";
  apply?: "fix" | "suggestion" | "none";
  sameAsFixed?: boolean;
  note?: string;
}

export interface FixtureCase {
  title: string;
  rule: RuleName;
  mode: Mode;
  /** The mode the fixed form runs in, when the fix changes it. */
  fixedMode?: Mode;
  kind: "broken" | "lookalike" | "measurement";
  program?: string;
  fixed?: string;
  env?: Record<string, string>;
  specifiers?: Record<string, string>;
  stdout?: string[];
  expect: Expectation[];
  lint?: LintCheck[];
  /** A second file fixed in the same run (the worker module of a caller): linted with its own rule. */
  companion?: Companion;
  note?: string;
}

export interface Companion {
  /** The module as the program loads it, in the same directory. */
  file: string;
  rule: RuleName;
  /** Its hand-written fixed form (the program's `fixed` form loads this one). */
  fixed: string;
  /** Exact number of the companion rule's findings in `file` (all fixed when the case applies fixes). */
  findings: number;
}

export interface LoadedCase extends FixtureCase {
  /** `<rule dir>/<base name>`, e.g. `bind-queued-task/p-limit-3-shared`. */
  id: string;
  /** Absolute path of the program. */
  program: string;
  /** Absolute path of the hand-written fixed form, for broken cases. */
  fixedProgram?: string;
  /** The lint checks with defaults applied. */
  lintChecks: LintCheck[];
  /** Absolute paths of the companion module and its fixed form. */
  companionFile?: string;
  companionFixed?: string;
}

const PROGRAM_EXTENSIONS = [".mjs", ".cjs"];

/** Every case under fixtures/runtime/, validated against case.schema.json; throws with the file name on bad input. */
export function loadCases(root: string = FIXTURES): LoadedCase[] {
  const schema = JSON.parse(readFileSync(path.join(root, "case.schema.json"), "utf8"));
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(schema);
  const cases: LoadedCase[] = [];
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
      const spec = data as FixtureCase;
      if (spec.rule !== dir.name) throw new Error(`${jsonPath}: rule "${spec.rule}" does not match its directory "${dir.name}"`);
      const base = file.slice(0, -".json".length);
      const program = spec.program
        ? path.join(ruleDir, spec.program)
        : PROGRAM_EXTENSIONS.map((ext) => path.join(ruleDir, base + ext)).find((p) => exists(p));
      if (!program || !exists(program)) throw new Error(`${jsonPath}: no program ${spec.program ?? `${base}.mjs or ${base}.cjs`} next to it`);
      if (spec.kind === "broken" && !spec.fixed) throw new Error(`${jsonPath}: a broken case needs "fixed"`);
      if (spec.kind !== "broken" && spec.fixed) throw new Error(`${jsonPath}: only broken cases have "fixed"`);
      const fixedProgram = spec.fixed ? path.join(ruleDir, spec.fixed) : undefined;
      if (fixedProgram && !exists(fixedProgram)) throw new Error(`${jsonPath}: fixed program ${spec.fixed} not found`);
      if (spec.kind !== "broken" && spec.kind !== "measurement" && spec.expect.some((e) => e.split)) {
        throw new Error(`${jsonPath}: a lookalike nests: "split" is not allowed`);
      }
      const lintChecks = spec.lint ?? (spec.kind === "broken" ? [{ findings: 1, apply: "fix" as const }] : [{ findings: 0 }]);
      for (const check of lintChecks) {
        if (spec.kind !== "broken" && check.apply && check.apply !== "none") throw new Error(`${jsonPath}: only broken cases apply fixes`);
        if (spec.kind === "lookalike" && check.findings !== 0) throw new Error(`${jsonPath}: a lookalike must lint clean`);
      }
      const companionFile = spec.companion ? path.join(ruleDir, spec.companion.file) : undefined;
      const companionFixed = spec.companion ? path.join(ruleDir, spec.companion.fixed) : undefined;
      if (companionFile && (!exists(companionFile) || !exists(companionFixed!))) throw new Error(`${jsonPath}: companion ${spec.companion!.file} or its fixed form not found`);
      cases.push({ ...spec, id: `${dir.name}/${base}`, program, fixedProgram, lintChecks, companionFile, companionFixed });
    }
  }
  return cases;
}

function exists(file: string): boolean {
  return existsSync(file);
}

// -------------------------------------------------------------------------------------------------------------------
// Running programs
// -------------------------------------------------------------------------------------------------------------------

export interface ProgramResult {
  program: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  runs: RecordedRun[];
  stats: RecorderStats;
  /** What the program reported as the global AsyncLocalStorage slot: a class name or "none"; undefined if it did not report. */
  als?: string;
  /** The recorded forest, formatted, for failure messages. */
  forestText: string;
}

/** A tiny counting semaphore: the machine has 2 cores. */
export function createPool(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

const PROGRAM_TIMEOUT_MS = 60_000;

/** Run `node <program>` against a fresh recorder; resolves once the program exited and the recorder is quiet. */
export async function runProgram(program: string, env: Record<string, string> = {}): Promise<ProgramResult> {
  const recorder = await startRecorder();
  try {
    const child = spawn(process.execPath, [program], {
      cwd: path.dirname(program),
      env: {
        ...process.env,
        LANGSMITH_TRACING: "true",
        LANGSMITH_ENDPOINT: recorder.url,
        LANGSMITH_API_KEY: "oracle-dummy-key",
        LANGSMITH_PROJECT: "trace-nesting-oracle",
        LANGCHAIN_TRACING_V2: "",
        LANGCHAIN_ENDPOINT: "",
        LANGCHAIN_API_KEY: "",
        ...env,
      },
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
    // The program flushed its clients before exiting; this only guards against a request still being read.
    await recorder.waitForQuiet({ quietMs: 50, timeoutMs: 10_000 });
    const runs = recorder.runs();
    const als = /^trace-nesting-oracle als=(\S+)$/m.exec(stdout)?.[1];
    return { program, code, signal, stdout, stderr, runs, stats: recorder.stats(), als, forestText: formatForest(buildForest(runs), { color: false }) };
  } finally {
    await recorder.close();
  }
}

/** What a mode must look like at run time: the class in the global AsyncLocalStorage slot. */
export const MODE_ALS: Record<Mode, string> = {
  als: "AsyncLocalStorage",
  "core-only": "none",
  web: "none",
  mock: "MockAsyncLocalStorage",
};

/** Problems with how the program ran: exit, flush report, mode, recorder health, every run complete. */
export function runProblems(result: ProgramResult, spec: FixtureCase): string[] {
  const problems: string[] = [];
  if (result.code !== 0) problems.push(`exited with ${result.code ?? result.signal}: ${result.stderr.slice(-2000)}`);
  if (result.als === undefined) problems.push("did not report (flushTraces was not reached)");
  else if (result.als !== MODE_ALS[spec.mode]) problems.push(`mode ${spec.mode} needs the ALS slot to hold ${MODE_ALS[spec.mode]}, found ${result.als}`);
  const s = result.stats;
  if (s.badRequests || s.serverErrors || s.unknownPaths) {
    problems.push(`recorder: ${s.badRequests} bad requests, ${s.serverErrors} server errors, ${s.unknownPaths} unknown paths ${s.rejections.join("; ")}`);
  }
  for (const run of result.runs) {
    if (!run.name || run.start_time === undefined) problems.push(`run ${run.id} has no post (name/start time missing)`);
    else if (run.end_time === undefined) problems.push(`run ${run.name} (${run.id}) never ended (no patch received)`);
  }
  for (const text of spec.stdout ?? []) if (!result.stdout.includes(text)) problems.push(`stdout lacks ${JSON.stringify(text)}`);
  return problems;
}

// -------------------------------------------------------------------------------------------------------------------
// Shapes
// -------------------------------------------------------------------------------------------------------------------

/** The runs a selector denotes: `name`, or `name:marker` (the marker appears in the run's inputs). */
export function selectRuns(runs: readonly RecordedRun[], selector: string): RecordedRun[] {
  const colon = selector.indexOf(":");
  const name = colon < 0 ? selector : selector.slice(0, colon);
  const marker = colon < 0 ? undefined : selector.slice(colon + 1);
  return runs.filter((run) => run.name === name && (marker === undefined || JSON.stringify(run.inputs ?? null).includes(marker)));
}

function parentId(run: RecordedRun): string | undefined {
  return run.parent_run_id ?? undefined;
}

/**
 * Check a recorded run list against the expectations. `phase` "as-declared" asserts each entry's `split` (the broken
 * program, a measurement); "nested" asserts every entry nests under its intended parent (a fixed program, a lookalike).
 */
export function shapeProblems(runs: readonly RecordedRun[], expect: readonly Expectation[], phase: "as-declared" | "nested"): string[] {
  const problems: string[] = [];
  const one = (selector: string): RecordedRun | undefined => {
    const found = selectRuns(runs, selector);
    if (found.length !== 1) {
      problems.push(`expected exactly one run "${selector}", found ${found.length}`);
      return undefined;
    }
    return found[0];
  };
  for (const entry of expect) {
    const split = phase === "as-declared" ? entry.split : undefined;
    if (split === "absent") {
      const found = selectRuns(runs, entry.run);
      if (found.length > 0) problems.push(`"${entry.run}" should never run, found ${found.length}`);
      continue;
    }
    const run = one(entry.run);
    if (!run) continue;
    const parent = entry.parent === null ? undefined : one(entry.parent);
    if (entry.parent !== null && !parent) continue;
    const actualParent = parentId(run);
    const actualParentName = actualParent ? (runs.find((r) => r.id === actualParent)?.name ?? `unknown ${actualParent}`) : "none (root)";
    const trace = run.trace_id;
    if (!trace) problems.push(`"${entry.run}" has no trace_id`);
    if (split === undefined) {
      if (entry.parent === null) {
        if (actualParent || trace !== run.id) problems.push(`"${entry.run}" should be a root, but its parent is ${actualParentName}`);
      } else if (actualParent !== parent!.id || trace !== parent!.trace_id) {
        problems.push(`"${entry.run}" should nest under "${entry.parent}", but its parent is ${actualParentName} (trace ${trace}, expected ${parent!.trace_id})`);
      }
    } else if (split === "root") {
      if (actualParent || trace !== run.id) problems.push(`"${entry.run}" should split as a root, but its parent is ${actualParentName}`);
    } else {
      if (!actualParent) problems.push(`"${entry.run}" should land in another trace, but it is a root`);
      else if (parent && trace === parent.trace_id) problems.push(`"${entry.run}" should land outside "${entry.parent}"'s trace, but its parent is ${actualParentName} in the same trace`);
      if (entry.under && actualParent) {
        const under = one(entry.under);
        if (under && under.id !== actualParent) problems.push(`"${entry.run}" should land under "${entry.under}", but its parent is ${actualParentName}`);
      }
    }
  }
  return problems;
}

// -------------------------------------------------------------------------------------------------------------------
// Linting and fixing with the real rules
// -------------------------------------------------------------------------------------------------------------------

/** Replace whole string-literal specifiers (`"p-queue-8"` -> `"p-queue"`). */
export function rewriteSpecifiers(text: string, map: Record<string, string> | undefined, reverse = false): string {
  let out = text;
  for (const [alias, real] of Object.entries(map ?? {})) {
    const [from, to] = reverse ? [real, alias] : [alias, real];
    out = out.replace(new RegExp(`(["'])${from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\1`, "g"), `$1${to}$1`);
  }
  return out;
}

function ruleOptions(rule: RuleName, check: LintCheck): Record<string, unknown> {
  if (check.options) return check.options;
  const entry = plugin.configs[check.config ?? "recommended"].rules?.[`trace-nesting/${rule}`];
  if (Array.isArray(entry) && entry.length > 1) return entry[1] as Record<string, unknown>;
  return {};
}

function linterConfig(rule: RuleName, check: LintCheck): Linter.Config[] {
  return [
    {
      files: ["**/*.mjs", "**/*.cjs"],
      plugins: { "trace-nesting": plugin as never },
      rules: { [`trace-nesting/${rule}`]: ["error", ruleOptions(rule, check)] },
      settings: { "trace-nesting": check.settings ?? {} },
    },
  ];
}

/** What a finding offers: an autofix, editor suggestions only, or nothing. */
export function fixKindOf(message: Linter.LintMessage): "fix" | "suggestion" | "none" {
  if (message.fix) return "fix";
  return message.suggestions && message.suggestions.length > 0 ? "suggestion" : "none";
}

export interface LintOutcome {
  /** This rule's findings in the program as written (specifiers rewritten to the real packages). */
  findings: Linter.LintMessage[];
  /** Messages that are not this rule's findings: parse errors, rule crashes. */
  otherMessages: Linter.LintMessage[];
  /** The program after applying fixes (and suggestions when asked), specifiers mapped back to the aliases. */
  output: string;
  /** Findings left after fixing. */
  remaining: Linter.LintMessage[];
}

const SUGGESTION_PASSES = 10;

/**
 * Lint a case's companion module with the companion's rule (the case's settings), applying fixes when the check
 * does: the other half of a fix that spans two files.
 */
export function lintCompanion(c: LoadedCase, check: LintCheck): LintOutcome {
  const companion = c.companion!;
  return lintAndFix({ ...c, rule: companion.rule, program: c.companionFile! }, { ...check, options: undefined });
}

/** Replace every reference to module file `from` in a program's text (`"./w.mjs"`, `"w.cjs"` in `path.join`) by `to`. */
export function retargetModule(text: string, from: string, to: string): string {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`(["'\`/])${escaped}(["'\`])`, "g"), (_, open: string, close: string) => `${open}${to}${close}`);
}

/** Lint a program with one rule, apply its fixes as `eslint --fix` does (and, if asked, each first suggestion). */
export function lintAndFix(c: LoadedCase, check: LintCheck, text: string = readFileSync(c.program, "utf8")): LintOutcome {
  const linter = new Linter({ configType: "flat" });
  const config = linterConfig(c.rule, check);
  const filename = c.program;
  const source = rewriteSpecifiers(text, c.specifiers);
  const ruleId = `trace-nesting/${c.rule}`;
  const split = (messages: Linter.LintMessage[]) => ({
    mine: messages.filter((m) => m.ruleId === ruleId),
    other: messages.filter((m) => m.ruleId !== ruleId),
  });
  const first = split(linter.verify(source, config, filename));
  let output = source;
  if (check.apply && check.apply !== "none") {
    output = linter.verifyAndFix(source, config, filename).output;
    if (check.apply === "suggestion") {
      for (let pass = 0; pass < SUGGESTION_PASSES; pass++) {
        const message = split(linter.verify(output, config, filename)).mine.find((m) => m.suggestions && m.suggestions.length > 0);
        if (!message) break;
        const fix = message.suggestions![0].fix;
        output = output.slice(0, fix.range[0]) + fix.text + output.slice(fix.range[1]);
        output = linter.verifyAndFix(output, config, filename).output;
      }
    }
  }
  const after = split(linter.verify(output, config, filename));
  return {
    findings: first.mine,
    otherMessages: [...first.other, ...after.other],
    output: rewriteSpecifiers(output, c.specifiers, true),
    remaining: after.mine,
  };
}
