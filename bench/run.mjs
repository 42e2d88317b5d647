#!/usr/bin/env node
/**
 * `npm run bench`: the cost of trace-nesting over real code, in one process, against the built package (dist/).
 *
 * Corpus: every JS/TS source file shipped in the installed @langchain/core, @langchain/langgraph, langchain and
 * langsmith (nested node_modules excluded; declaration files and minified bundles excluded too, because `check` and
 * `fix` skip them by design and every variant must see the same files), copied to a temporary directory so that no
 * default ignore (node_modules, build output, .gitignore) hides any of it from any of the tools.
 *
 * Variants, each timed end to end over the whole corpus:
 *   parse-only  ESLint (Node API) with @typescript-eslint/parser and no rules: the baseline
 *   strict      ESLint with `configs.strict` (every rule, portability hazards too)
 *   check       `runCheck` (trace-nesting check), which pre-checks text before parsing
 *   fix --dry   `runFix({ dry: true })`, computing every fix and diff, writing nothing
 * After a warm-up round, rounds alternate the order of the variants; the figures are medians, and each ratio is
 * the median of the per-round ratios against that round's parse-only run. Wall time is what users wait for; CPU time
 * (this process and its worker threads) is printed too, since it is much less disturbed by other load on the
 * machine (the load average is printed before and after). `fix` uses worker threads, so its wall time can be
 * below its CPU time.
 *
 * Targets (printed, never fatal): strict / parse-only <= 1.10, check / parse-only <= 0.5, fix --dry / check <= 1.2.
 * Options: --rounds N (default 5, env BENCH_ROUNDS), --only name[,name] (variants to run), --keep (keep the copy).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGES = ["@langchain/core", "@langchain/langgraph", "langchain", "langsmith"];
const EXTENSIONS = [".js", ".cjs", ".mjs", ".jsx", ".ts", ".cts", ".mts", ".tsx"];
/** Declaration files and minified bundles: not source code, and skipped by `check` and `fix`. */
const SKIPPED = /\.d\.[cm]?ts$|\.min\.js$/;

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: process.env.BENCH_ROUNDS ?? "5" },
    only: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const ROUNDS = Math.max(1, Number.parseInt(args.rounds, 10) || 5);

// A collectable heap between runs keeps one variant's garbage from being billed to the next.
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
let files = 0;
let bytes = 0;
for (const pkg of PACKAGES) {
  const source = path.join(root, "node_modules", pkg);
  if (!existsSync(source)) die(`${pkg} is not installed (run npm ci)`);
  const target = path.join(corpus, pkg.replace("/", "__"));
  for (const file of walk(source, [])) {
    const relative = path.relative(source, file);
    const destination = path.join(target, relative);
    mkdirSync(path.dirname(destination), { recursive: true });
    cpSync(file, destination);
    files += 1;
    bytes += statSync(file).size;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Variants
// ---------------------------------------------------------------------------------------------------------------

const quiet = { reportUnusedDisableDirectives: "off" };
const strictConfig = { ...plugin.configs.strict, linterOptions: quiet };
// The very same config without rules: ESLint still reads, parses and traverses every file.
const parseOnlyConfig = { ...plugin.configs.strict, name: "parse-only", rules: {}, linterOptions: quiet };

async function eslintRun(config) {
  const eslint = new ESLint({ cwd: corpus, overrideConfigFile: true, overrideConfig: [config], ignore: false, cache: false });
  const results = await eslint.lintFiles(["."]);
  let problems = 0;
  let fatal = 0;
  for (const result of results) {
    problems += result.messages.length;
    fatal += result.fatalErrorCount;
  }
  return { files: results.length, detail: `${problems} problems, ${fatal} parse errors` };
}

const variants = [
  { name: "parse-only", run: () => eslintRun(parseOnlyConfig) },
  { name: "strict", run: () => eslintRun(strictConfig) },
];

if (typeof checkModule?.runCheck === "function") {
  variants.push({
    name: "check",
    run: async () => {
      const result = await checkModule.runCheck({ cwd: corpus, paths: ["."], format: "json", noIgnore: true });
      return describeCheck(result);
    },
  });
}
if (typeof fixModule?.runFix === "function") {
  variants.push({
    name: "fix --dry",
    run: async () => {
      const summary = await fixModule.runFix({ cwd: corpus, paths: ["."], dry: true, noIgnore: true });
      return {
        files: summary.filesScanned,
        detail: `${summary.filesAnalyzed} analysed, ${summary.skippedByPrecheck} skipped by the pre-check, ${summary.filesChanged} would change, ${summary.errors.length} errors, ${summary.workers} workers`,
      };
    },
  });
}

function describeCheck(result) {
  return {
    files: result.filesScanned,
    detail: `${result.filesLinted} linted, ${result.skippedByPrecheck} skipped by the pre-check, ${result.errorCount} problems, ${result.fatalErrorCount} parse errors`,
  };
}

const selected = args.only ? args.only.split(",").map((s) => s.trim()) : undefined;
const active = variants.filter((v) => v.name === "parse-only" || !selected || selected.includes(v.name));

// ---------------------------------------------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------------------------------------------

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function timed(variant) {
  gc();
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const outcome = await variant.run();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, ...outcome };
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
process.stdout.write(
  `trace-nesting bench: ${files} source files, ${(bytes / 1024 / 1024).toFixed(1)} MB, from ${PACKAGES.join(", ")}\n` +
    `node ${process.version}, eslint ${ESLint.version}, ${os.availableParallelism()} cores, load average ${load()}; ${ROUNDS} rounds after a warm-up\n\n`,
);

const info = new Map();
process.stdout.write("warm-up:");
for (const variant of active) {
  const outcome = await timed(variant);
  info.set(variant.name, outcome);
  process.stdout.write(` ${variant.name} ${fmt(outcome.ms)};`);
}
process.stdout.write("\n");

const times = new Map(active.map((v) => [v.name, []]));
const cpuTimes = new Map(active.map((v) => [v.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order so that no variant always runs first or right after another particular one.
  const order = active.map((_, i) => active[(i + round) % active.length]);
  if (round % 2 === 1) order.reverse();
  const line = [];
  for (const variant of order) {
    const outcome = await timed(variant);
    times.get(variant.name).push(outcome.ms);
    cpuTimes.get(variant.name).push(outcome.cpuMs);
    line.push(`${variant.name} ${fmt(outcome.ms)} (cpu ${fmt(outcome.cpuMs)})`);
  }
  process.stdout.write(`round ${round + 1}: ${line.join(", ")}\n`);
}

/** Median of per-round ratios of `name` over `over`. */
const ratio = (name, over, table = times) => median(table.get(name).map((ms, i) => ms / table.get(over)[i]));

process.stdout.write(
  `\n${"variant".padEnd(12)}${"files".padStart(7)}${"wall".padStart(10)}${"ratio".padStart(8)}${"cpu".padStart(10)}${"ratio".padStart(8)}  details\n`,
);
for (const variant of active) {
  const outcome = info.get(variant.name);
  const base = variant.name === "parse-only";
  process.stdout.write(
    `${variant.name.padEnd(12)}${String(outcome.files).padStart(7)}` +
      `${fmt(median(times.get(variant.name))).padStart(10)}${(base ? 1 : ratio(variant.name, "parse-only")).toFixed(3).padStart(8)}` +
      `${fmt(median(cpuTimes.get(variant.name))).padStart(10)}${(base ? 1 : ratio(variant.name, "parse-only", cpuTimes)).toFixed(3).padStart(8)}` +
      `  ${outcome.detail}\n`,
  );
}

const targets = [
  { label: "strict / parse-only", has: ["strict"], of: ["strict", "parse-only"], max: 1.1 },
  { label: "check / parse-only", has: ["check"], of: ["check", "parse-only"], max: 0.5 },
  { label: "fix --dry / check", has: ["fix --dry", "check"], of: ["fix --dry", "check"], max: 1.2 },
];
process.stdout.write(`\ntargets (wall-time ratios; cpu-time ratios alongside), load average now ${load()}:\n`);
for (const target of targets) {
  if (!target.has.every((name) => times.has(name))) {
    process.stdout.write(`  ${target.label.padEnd(22)} not measured (${target.has.filter((n) => !times.has(n)).join(", ")} not available)\n`);
    continue;
  }
  const wall = ratio(...target.of);
  const cpu = ratio(...target.of, cpuTimes);
  process.stdout.write(
    `  ${target.label.padEnd(22)} ${wall.toFixed(3)}  target <= ${target.max.toFixed(2)}  ${wall <= target.max ? "MET" : "MISSED"}` +
      `   (cpu ${cpu.toFixed(3)}: ${cpu <= target.max ? "met" : "missed"})\n`,
  );
}

if (args.keep) process.stdout.write(`\ncorpus kept at ${corpus}\n`);
else rmSync(work, { recursive: true, force: true });
