#!/usr/bin/env node
/**
 * `npm run bench`: the cost of trace-nesting over real code, in one process, against the built package (dist/).
 *
 * Corpus: every JS/TS source file shipped in the installed @langchain/core, @langchain/langgraph, langchain and
 * langsmith (nested node_modules excluded; declaration files and minified bundles excluded too, because `check` and
 * `fix` skip them by design and every variant must see the same files), copied to a temporary directory so that no
 * default ignore (node_modules, build output, .gitignore) hides any of it from any of the tools.
 *
 * A. Rules: ESLint (Node API) with @typescript-eslint/parser and no rules ("parse-only", the baseline) against
 *    ESLint with `configs.strict`, plus a control: the same three rules configured but returning no visitors
 *    ("idle rules"). The control is ESLint's own cost of running any rule at all: measured here at 7-8% whether one
 *    rule or thirty are configured (two identical parse-only configs differ by < 1%), and it drops to about 2.5% when ESLint's
 *    `FileContext#extend` builds rule contexts without `Object.create(fileContext)`, so it is ESLint's, not ours.
 *    strict / idle rules is what our rules themselves cost. The corpus is cut
 *    into chunks and the variants take turns on every chunk (in rotating order), so that load changes on the machine
 *    hit all variants alike; each round sums the chunks.
 * B. Commands: `check` (`runCheck`, which pre-checks text before parsing) and `fix --dry` (`runFix({ dry: true })`)
 *    over the whole corpus, each against a whole-corpus parse-only ESLint run in the same round, order rotated.
 *
 * Every figure is a median over the rounds (after a warm-up); each ratio is the median of the per-round ratios.
 * Wall time is what users wait for; CPU time (this process and its worker threads) is printed alongside, since it
 * is less disturbed by other load (the load average is printed too). `fix` uses worker threads, so its wall time can
 * be below its CPU time.
 *
 * Targets (printed, never fatal): strict / parse-only <= 1.10, check / parse-only <= 0.5, fix --dry / check <= 1.2.
 * C. Python: bench/python.mjs (`check --lang python` against `ruff check` over the Python sources of the venv's
 *    langsmith, langchain_core and langgraph; target <= 3x ruff's wall time), run only when .venv-py311 and
 *    src/python exist (otherwise it prints why it was skipped).
 *
 * Options: --rounds N (default 5, env BENCH_ROUNDS), --chunk N (files per chunk in A, default 50), --keep.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import vm from "node:vm";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGES = ["@langchain/core", "@langchain/langgraph", "langchain", "langsmith"];
const EXTENSIONS = [".js", ".cjs", ".mjs", ".jsx", ".ts", ".cts", ".mts", ".tsx"];
/** Declaration files and minified bundles: not source code, and skipped by `check` and `fix`. */
const SKIPPED = /\.d\.[cm]?ts$|\.min\.js$/;

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: process.env.BENCH_ROUNDS ?? "5" },
    chunk: { type: "string", default: "50" },
    keep: { type: "boolean", default: false },
  },
});
const ROUNDS = Math.max(1, Number.parseInt(args.rounds, 10) || 5);
const CHUNK = Math.max(1, Number.parseInt(args.chunk, 10) || 50);

// A collectable heap before each timed run keeps one variant's garbage from being billed to the next.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");

function die(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

async function importDist(relative) {
  const file = path.join(root, "dist", relative);
  if (!existsSync(file)) return undefined;
  return import(pathToFileURL(file).href);
}

const pluginModule = await importDist("src/index.js");
if (!pluginModule) die("dist/ is missing: run `npm run build` first");
const plugin = pluginModule.default;
const checkModule = await importDist("src/cli/check.js");
const fixModule = await importDist("src/cli/fix.js");
const { ESLint } = await import("eslint");

// ---------------------------------------------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------------------------------------------

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    const stats = entry.isSymbolicLink() ? statSync(full) : entry;
    if (stats.isDirectory()) walk(full, out);
    else if (stats.isFile() && EXTENSIONS.includes(path.extname(entry.name)) && !SKIPPED.test(entry.name)) out.push(full);
  }
  return out;
}

const work = mkdtempSync(path.join(os.tmpdir(), "trace-nesting-bench-"));
const corpus = path.join(work, "corpus");
const corpusFiles = [];
let bytes = 0;
for (const pkg of PACKAGES) {
  const source = path.join(root, "node_modules", pkg);
  if (!existsSync(source)) die(`${pkg} is not installed (run npm ci)`);
  const target = path.join(corpus, pkg.replace("/", "__"));
  for (const file of walk(source, [])) {
    const destination = path.join(target, path.relative(source, file));
    mkdirSync(path.dirname(destination), { recursive: true });
    cpSync(file, destination);
    corpusFiles.push(destination);
    bytes += statSync(file).size;
  }
}
corpusFiles.sort();
const chunks = [];
for (let i = 0; i < corpusFiles.length; i += CHUNK) chunks.push(corpusFiles.slice(i, i + CHUNK));

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const out = (text) => process.stdout.write(text);

/** Run `fn`, returning its result with wall and CPU milliseconds. */
async function measure(fn) {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const result = await fn();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  return { result, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Every ordering of `names`, so that rounds and chunks can rotate through them. */
function permutations(names) {
  if (names.length <= 1) return [names];
  return names.flatMap((name, i) => permutations([...names.slice(0, i), ...names.slice(i + 1)]).map((rest) => [name, ...rest]));
}

/** Per-round series of wall and CPU times, by variant. */
class Series {
  wall = new Map();
  cpu = new Map();
  add(name, ms, cpuMs) {
    if (!this.wall.has(name)) {
      this.wall.set(name, []);
      this.cpu.set(name, []);
    }
    this.wall.get(name).push(ms);
    this.cpu.get(name).push(cpuMs);
  }
  median(name, kind = "wall") {
    return median(this[kind].get(name));
  }
  /** Median of the per-round ratios of `name` over `over`. */
  ratio(name, over, kind = "wall") {
    const base = this[kind].get(over);
    return median(this[kind].get(name).map((ms, i) => ms / base[i]));
  }
}

const quiet = { reportUnusedDisableDirectives: "off" };
const strictConfig = { ...plugin.configs.strict, linterOptions: quiet };
// The very same config without rules: ESLint still reads, parses and traverses every file.
const parseOnlyConfig = { ...plugin.configs.strict, name: "parse-only", rules: {}, linterOptions: quiet };
// The same rules, ids and options, each returning no visitors.
const idleRules = Object.fromEntries(Object.entries(plugin.rules).map(([id, rule]) => [id, { ...rule, create: () => ({}) }]));
const idleConfig = { ...strictConfig, name: "idle-rules", plugins: { "trace-nesting": { ...plugin, rules: idleRules } } };

const eslintFor = (config, extra = {}) => new ESLint({ cwd: corpus, overrideConfigFile: true, overrideConfig: [config], ignore: false, cache: false, ...extra });

function summarize(results) {
  let problems = 0;
  let fatal = 0;
  for (const result of results) {
    problems += result.messages.length;
    fatal += result.fatalErrorCount;
  }
  return `${results.length} files, ${problems} problems, ${fatal} parse errors`;
}

out(
  `trace-nesting bench: ${corpusFiles.length} source files, ${(bytes / 1024 / 1024).toFixed(1)} MB, from ${PACKAGES.join(", ")}\n` +
    `node ${process.version}, eslint ${ESLint.version}, ${os.availableParallelism()} cores, load average ${load()}; ${ROUNDS} rounds after a warm-up\n`,
);

// ---------------------------------------------------------------------------------------------------------------
// A. Rules
// ---------------------------------------------------------------------------------------------------------------

out(`\nA. rules: ESLint parse-only vs configs.strict (and idle rules), ${chunks.length} chunks of up to ${CHUNK} files, variants interleaved per chunk\n`);
const ruleVariants = { "parse-only": eslintFor(parseOnlyConfig), strict: eslintFor(strictConfig), "idle rules": eslintFor(idleConfig) };
const ruleNames = Object.keys(ruleVariants);
const ruleOrders = permutations(ruleNames);
const rules = new Series();
const ruleDetails = new Map();

async function ruleRound(round, collect) {
  const totals = Object.fromEntries(ruleNames.map((n) => [n, { ms: 0, cpuMs: 0, results: [] }]));
  for (const [i, chunk] of chunks.entries()) {
    for (const name of ruleOrders[(i + round) % ruleOrders.length]) {
      const { result, ms, cpuMs } = await measure(() => ruleVariants[name].lintFiles(chunk));
      totals[name].ms += ms;
      totals[name].cpuMs += cpuMs;
      if (collect) totals[name].results.push(...result);
    }
  }
  return totals;
}

gc();
const warm = await ruleRound(0, true);
for (const name of ruleNames) ruleDetails.set(name, summarize(warm[name].results));
out(`warm-up: ${ruleNames.map((n) => `${n} ${fmt(warm[n].ms)}`).join(", ")}\n`);
for (let round = 0; round < ROUNDS; round++) {
  gc();
  const totals = await ruleRound(round + 1, false);
  for (const name of ruleNames) rules.add(name, totals[name].ms, totals[name].cpuMs);
  out(
    `round ${round + 1}: ${ruleNames.map((n) => `${n} ${fmt(totals[n].ms)} (cpu ${fmt(totals[n].cpuMs)})`).join(", ")}` +
      `; strict/parse-only ${(totals.strict.ms / totals["parse-only"].ms).toFixed(3)}\n`,
  );
}

// Where strict's time goes, measured inside ESLint (per-file parse and per-rule times; `stats: true` adds timers,
// so this pass is not one of the timed runs).
const statsResults = await eslintFor(strictConfig, { stats: true }).lintFiles(corpusFiles);
let statsParse = 0;
let statsTotal = 0;
const perRule = new Map();
for (const result of statsResults) {
  for (const pass of result.stats?.times?.passes ?? []) {
    statsParse += pass.parse?.total ?? 0;
    statsTotal += pass.total ?? 0;
    for (const [rule, time] of Object.entries(pass.rules ?? {})) perRule.set(rule, (perRule.get(rule) ?? 0) + time.total);
  }
}
const statsRules = [...perRule.values()].reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------------------------
// B. Commands
// ---------------------------------------------------------------------------------------------------------------

const commandVariants = { "parse-only": async () => summarize(await eslintFor(parseOnlyConfig).lintFiles(["."])) };
if (typeof checkModule?.runCheck === "function") {
  commandVariants.check = async () => {
    const r = await checkModule.runCheck({ cwd: corpus, paths: ["."], format: "json", noIgnore: true });
    return `${r.filesScanned} files, ${r.filesLinted} linted, ${r.skippedByPrecheck} skipped by the pre-check, ${r.errorCount} problems, ${r.fatalErrorCount} parse errors`;
  };
}
if (typeof fixModule?.runFix === "function") {
  commandVariants["fix --dry"] = async () => {
    const s = await fixModule.runFix({ cwd: corpus, paths: ["."], dry: true, noIgnore: true });
    return `${s.filesScanned} files, ${s.filesAnalyzed} analysed, ${s.skippedByPrecheck} skipped by the pre-check, ${s.filesChanged} would change, ${s.errors.length} errors, ${s.workers} workers`;
  };
}
const commandNames = Object.keys(commandVariants);
const commandOrders = permutations(commandNames);
const commands = new Series();
const commandDetails = new Map();

if (commandNames.length > 1) {
  out(`\nB. commands over the whole corpus: ${commandNames.join(", ")}, order rotated per round\n`);
  const warmLine = [];
  for (const name of commandNames) {
    gc();
    const { result, ms } = await measure(commandVariants[name]);
    commandDetails.set(name, result);
    warmLine.push(`${name} ${fmt(ms)}`);
  }
  out(`warm-up: ${warmLine.join(", ")}\n`);
  for (let round = 0; round < ROUNDS; round++) {
    const line = [];
    for (const name of commandOrders[round % commandOrders.length]) {
      gc();
      const { ms, cpuMs } = await measure(commandVariants[name]);
      commands.add(name, ms, cpuMs);
      line.push(`${name} ${fmt(ms)} (cpu ${fmt(cpuMs)})`);
    }
    out(`round ${round + 1}: ${line.join(", ")}\n`);
  }
} else {
  out("\nB. commands: not measured (dist/src/cli/check.js and fix.js do not export runCheck / runFix)\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------

const row = (label, series, name, base, detail) =>
  `${label.padEnd(24)}${fmt(series.median(name)).padStart(9)}${(name === base ? 1 : series.ratio(name, base)).toFixed(3).padStart(8)}` +
  `${fmt(series.median(name, "cpu")).padStart(9)}${(name === base ? 1 : series.ratio(name, base, "cpu")).toFixed(3).padStart(8)}  ${detail}\n`;

out(`\n${"variant".padEnd(24)}${"wall".padStart(9)}${"ratio".padStart(8)}${"cpu".padStart(9)}${"ratio".padStart(8)}  (medians over ${ROUNDS} rounds)\n`);
for (const name of ruleNames) out(row(`A ${name}`, rules, name, "parse-only", ruleDetails.get(name)));
for (const name of commandNames.length > 1 ? commandNames : []) out(row(`B ${name}`, commands, name, "parse-only", commandDetails.get(name)));
out(
  `\ninside ESLint (stats, strict): parse ${fmt(statsParse)}, rules ${fmt(statsRules)} = ${((100 * statsRules) / statsTotal).toFixed(1)}% of ${fmt(statsTotal)} linting` +
    ` (${[...perRule].sort((a, b) => b[1] - a[1]).map(([r, t]) => `${r.replace("trace-nesting/", "")} ${fmt(t)}`).join(", ")})\n`,
);

const targets = [
  { label: "strict / parse-only", series: rules, of: ["strict", "parse-only"], max: 1.1 },
  { label: "check / parse-only", series: commands, of: ["check", "parse-only"], max: 0.5 },
  { label: "fix --dry / check", series: commands, of: ["fix --dry", "check"], max: 1.2 },
];
out(`\ntargets (on wall time; CPU time alongside), load average now ${load()}:\n`);
for (const target of targets) {
  const missing = target.of.filter((name) => !target.series.wall.has(name));
  if (missing.length > 0) {
    out(`  ${target.label.padEnd(22)} not measured (${missing.join(", ")} not available)\n`);
    continue;
  }
  const wall = target.series.ratio(...target.of);
  const cpu = target.series.ratio(...target.of, "cpu");
  out(
    `  ${target.label.padEnd(22)} ${wall.toFixed(3)}  target <= ${target.max.toFixed(2)}  ${wall <= target.max ? "MET" : "MISSED"}` +
      `   (cpu ${cpu.toFixed(3)}: ${cpu <= target.max ? "met" : "missed"})\n`,
  );
}
const idle = rules.ratio("idle rules", "parse-only");
const own = rules.ratio("strict", "idle rules");
out(
  `  ESLint's own cost of running any rule: idle rules / parse-only ${idle.toFixed(3)} (cpu ${rules.ratio("idle rules", "parse-only", "cpu").toFixed(3)})\n` +
    `  our rules alone:                      strict / idle rules     ${own.toFixed(3)} (cpu ${rules.ratio("strict", "idle rules", "cpu").toFixed(3)})\n`,
);

if (args.keep) out(`\ncorpus kept at ${corpus}\n`);
else rmSync(work, { recursive: true, force: true });

// C. Python: `check --lang python` against ruff (bench/python.mjs), when the venv and the Python engine exist.
const { pythonBenchSkipReason } = await import("./python.mjs");
const pythonSkip = pythonBenchSkipReason();
if (pythonSkip) out(`\nC. Python: skipped: ${pythonSkip}\n`);
else {
  out("\nC. Python (bench/python.mjs)\n");
  const python = spawnSync(process.execPath, [path.join(root, "bench/python.mjs"), "--rounds", String(ROUNDS), ...(args.keep ? ["--keep"] : [])], { stdio: "inherit" });
  if (python.status !== 0) process.exitCode = python.status ?? 1;
}
