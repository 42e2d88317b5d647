#!/usr/bin/env node
/**
 * `npm run bench`: the cost of trace-nesting over real code, against the built package (dist/).
 *
 * Corpora:
 * - library: every JS/TS source file shipped in the installed @langchain/core, @langchain/langgraph, langchain and
 *   langsmith (nested node_modules excluded; declaration files and minified bundles excluded too, because `check`
 *   and `fix` skip them by design and every variant must see the same files), copied to a temporary directory so
 *   that no default ignore (node_modules, build output, .gitignore) hides any of it from any of the tools;
 * - app: a multi-file LangGraph app of 300+ files written by bench/make-langgraph-app.mjs (fixed seed): a node per
 *   file registered with `addNode` in graph files, helpers, types, services, tests, a tsconfig with `paths`.
 *
 * Every variant runs in its own process (bench/variant.mjs), so that its peak resident set size (`maxRSS`) is its
 * own and no variant warms another's caches.
 *
 * A. Rules, on the library corpus: ESLint (Node API) with @typescript-eslint/parser and no rules ("parse-only", the
 *    baseline), with `configs.strict`, and a control with the same three rules configured but returning no visitors
 *    ("idle rules": ESLint's own cost of running any rule at all, which is not ours; strict / idle rules is what our
 *    rules themselves cost). Then a typical project config (`@eslint/js` recommended + typescript-eslint
 *    recommended) without and with `configs.recommended`. Each round starts one fresh process per variant (like
 *    one `eslint` run: nothing cached from an earlier round); the corpus is cut into chunks and the variants take
 *    turns on every chunk, in rotating order, so that load changes on the machine hit all variants alike. A round's
 *    time is the sum of its chunks (loading the plugin and building the ESLint instance are printed apart).
 * B. Commands, on both corpora: `check` (`runCheck`, which pre-checks text before parsing) against a parse-only
 *    ESLint run over the same directory, and on the library corpus `fix --dry` too; a fresh process per variant and
 *    round, order rotated per round, time measured inside the process around the call.
 *
 * Every figure is a median over the rounds, and each ratio is the median of the per-round ratios, with the
 * spread (lowest and highest per-round ratio) alongside: the machine may be loaded by other work. Wall time is what
 * users wait for; CPU time (the whole process, worker threads included) is printed alongside, since it is less
 * disturbed by other load.
 *
 * Targets (printed, never fatal): strict / idle rules <= 1.03, typical + recommended / typical <= 1.03,
 * strict / parse-only <= 1.10, check / parse-only <= 0.3 on both corpora; fix --dry / check <= 1.2.
 * C. Python: bench/python.mjs (`check --lang python` against `ruff check` over the Python sources of the venv's
 *    langsmith, langchain_core and langgraph; target <= 3x ruff's wall time), run only when .venv-py311 and
 *    src/python exist (otherwise it prints why it was skipped).
 *
 * Options: --rounds N (default 2, to stay near 10 minutes on 2 idle cores; env BENCH_ROUNDS), --chunk N (files per chunk in A, default 50), --keep,
 * --only A|B|C (some parts), --sample K (every K-th library file only: a quick look, not the bench's figures).
 */
import { fork, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { makeLanggraphApp } from "./make-langgraph-app.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const PACKAGES = ["@langchain/core", "@langchain/langgraph", "langchain", "langsmith"];
const EXTENSIONS = [".js", ".cjs", ".mjs", ".jsx", ".ts", ".cts", ".mts", ".tsx"];
/** Declaration files and minified bundles: not source code, and skipped by `check` and `fix`. */
const SKIPPED = /\.d\.[cm]?ts$|\.min\.js$/;

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: process.env.BENCH_ROUNDS ?? "2" },
    chunk: { type: "string", default: "50" },
    sample: { type: "string", default: "1" },
    keep: { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const ROUNDS = Math.max(1, Number.parseInt(args.rounds, 10) || 2);
const CHUNK = Math.max(1, Number.parseInt(args.chunk, 10) || 50);
const SAMPLE = Math.max(1, Number.parseInt(args.sample, 10) || 1);
const PARTS = args.only ? new Set(args.only.toUpperCase().split(",")) : new Set(["A", "B", "C"]);

function die(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}
if (!existsSync(path.join(root, "dist", "src", "index.js"))) die("dist/ is missing: run `npm run build` first");
const { ESLint } = await import("eslint");
const benchStarted = performance.now();

// ---------------------------------------------------------------------------------------------------------------
// Corpora
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
  for (const [i, file] of walk(source, []).sort().entries()) {
    if (i % SAMPLE !== 0) continue;
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
const app = makeLanggraphApp({ out: path.join(work, "langgraph-app") });

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kb) => `${Math.round(kb / 1024)} MB`;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const out = (text) => process.stdout.write(text);

/** Every ordering of `names`, so that rounds and chunks can rotate through them. */
function permutations(names) {
  if (names.length <= 1) return [names];
  return names.flatMap((name, i) => permutations([...names.slice(0, i), ...names.slice(i + 1)]).map((rest) => [name, ...rest]));
}

/** A variant's process: `request` sends one message and resolves with the reply. */
class Child {
  constructor(mode, name, cwd) {
    this.name = name;
    this.process = fork(path.join(here, "variant.mjs"), [mode, name, cwd], { execArgv: ["--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.pending = undefined;
    this.process.on("message", (message) => {
      const pending = this.pending;
      this.pending = undefined;
      if (!pending) return;
      if (message.type === "error") pending.reject(new Error(`${name}: ${message.message}`));
      else pending.resolve(message);
    });
    this.process.on("exit", (code) => {
      if (this.pending) this.pending.reject(new Error(`${name}: process exited with ${code}`));
    });
    this.ready = new Promise((resolve, reject) => (this.pending = { resolve, reject }));
  }
  request(message) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.process.send(message);
    });
  }
  /** The process's peak resident set size in KB; the process exits. */
  async close() {
    const { maxRssKb } = await this.request({ type: "exit" });
    return maxRssKb;
  }
}

/** Per-round series of wall time, CPU time, peak memory and load time, by variant. */
class Series {
  wall = new Map();
  cpu = new Map();
  rss = new Map();
  loadMs = new Map();
  add(name, { ms, cpuMs, rssKb, loadMs }) {
    for (const [map, value] of [[this.wall, ms], [this.cpu, cpuMs], [this.rss, rssKb], [this.loadMs, loadMs]]) {
      if (!map.has(name)) map.set(name, []);
      map.get(name).push(value);
    }
  }
  median(name, kind = "wall") {
    return median(this[kind].get(name));
  }
  ratios(name, over, kind = "wall") {
    const base = this[kind].get(over);
    return this[kind].get(name).map((ms, i) => ms / base[i]);
  }
  /** Median of the per-round ratios of `name` over `over`, with the lowest and highest. */
  ratio(name, over, kind = "wall") {
    const r = this.ratios(name, over, kind);
    return { median: median(r), min: Math.min(...r), max: Math.max(...r) };
  }
}

const fmtSummary = (s) => (typeof s === "string" ? s : `${s.files} files, ${s.problems} problems (${s.ours} ours), ${s.fatal} parse errors`);

out(
  `trace-nesting bench: library corpus ${corpusFiles.length} source files, ${(bytes / 1024 / 1024).toFixed(1)} MB, from ${PACKAGES.join(", ")};\n` +
    `  LangGraph app ${app.sources} source files, ${(app.bytes / 1024).toFixed(0)} KB (bench/make-langgraph-app.mjs: ${Object.entries(app.byKind)
      .filter(([k]) => k.startsWith("node") || k === "graph")
      .map(([k, n]) => `${n} ${k}`)
      .join(", ")}, ...)\n` +
    `node ${process.version}, eslint ${ESLint.version}, ${os.availableParallelism()} cores, load average ${load()}; ${ROUNDS} rounds, one process per variant and round` +
    `${SAMPLE > 1 ? `; SAMPLE: 1 library file in ${SAMPLE} only` : ""}\n`,
);

// ---------------------------------------------------------------------------------------------------------------
// A. Rules
// ---------------------------------------------------------------------------------------------------------------

const ruleNames = ["parse-only", "idle rules", "strict", "typical", "typical + recommended"];
const rules = new Series();
const ruleDetails = new Map();

if (PARTS.has("A")) {
  out(`\nA. rules on the library corpus: ${ruleNames.join(", ")}; ${chunks.length} chunks of up to ${CHUNK} files, variants interleaved per chunk\n`);
  const orders = permutations(ruleNames);
  for (let round = 0; round < ROUNDS; round++) {
    const children = {};
    for (const name of ruleNames) {
      children[name] = new Child("lint", name, corpus);
      children[name].loadMs = (await children[name].ready).loadMs;
    }
    const totals = Object.fromEntries(ruleNames.map((n) => [n, { ms: 0, cpuMs: 0, files: 0, problems: 0, ours: 0, fatal: 0 }]));
    for (const [i, chunk] of chunks.entries()) {
      // Rotate through the orderings with a stride that is coprime with their count, so that consecutive chunks and
      // rounds put different variants first.
      for (const name of orders[(i * 7 + round * 31) % orders.length]) {
        const { ms, cpuMs, summary } = await children[name].request({ type: "lint", files: chunk });
        const t = totals[name];
        t.ms += ms;
        t.cpuMs += cpuMs;
        for (const key of ["files", "problems", "ours", "fatal"]) t[key] += summary[key];
      }
    }
    for (const name of ruleNames) {
      const rssKb = await children[name].close();
      rules.add(name, { ms: totals[name].ms, cpuMs: totals[name].cpuMs, rssKb, loadMs: children[name].loadMs });
      ruleDetails.set(name, fmtSummary(totals[name]));
    }
    out(
      `round ${round + 1}: ${ruleNames.map((n) => `${n} ${fmt(totals[n].ms)}`).join(", ")}; strict/parse-only ${(totals.strict.ms / totals["parse-only"].ms).toFixed(3)}, ` +
        `strict/idle ${(totals.strict.ms / totals["idle rules"].ms).toFixed(3)}, typical+rec/typical ${(totals["typical + recommended"].ms / totals.typical.ms).toFixed(3)} (load ${load()})\n`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// B. Commands
// ---------------------------------------------------------------------------------------------------------------

const commandSets = [
  { corpus: "library", cwd: corpus, names: ["parse-only", "check", "fix --dry"], series: new Series(), details: new Map() },
  { corpus: "app", cwd: app.out, names: ["parse-only", "check"], series: new Series(), details: new Map() },
];

if (PARTS.has("B")) {
  for (const set of commandSets) {
    out(`\nB. commands on the ${set.corpus === "app" ? "LangGraph app" : "library corpus"}: ${set.names.join(", ")}, a fresh process each, order rotated per round\n`);
    const orders = permutations(set.names);
    for (let round = 0; round < ROUNDS; round++) {
      const line = [];
      for (const name of orders[(round * 5) % orders.length]) {
        const child = new Child("run", name, set.cwd);
        const { loadMs } = await child.ready;
        const { ms, cpuMs, summary } = await child.request({ type: "run" });
        const rssKb = await child.close();
        set.series.add(name, { ms, cpuMs, rssKb, loadMs });
        set.details.set(name, summary);
        line.push(`${name} ${fmt(ms)} (cpu ${fmt(cpuMs)}, ${mb(rssKb)})`);
      }
      out(`round ${round + 1}: ${line.join(", ")} (load ${load()})\n`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------

const fmtRatio = (r) => `${r.median.toFixed(3)} [${r.min.toFixed(3)}-${r.max.toFixed(3)}]`;
const one = { median: 1, min: 1, max: 1 };
function table(title, series, names, base, details) {
  out(
    `\n${title}\n${"variant".padEnd(24)}${"wall".padStart(9)}  ${"ratio [spread]".padEnd(20)}${"cpu".padStart(9)}  ${"ratio [spread]".padEnd(20)}${"peak RSS".padStart(9)}${"load".padStart(8)}  result\n`,
  );
  for (const name of names) {
    if (!series.wall.has(name)) continue;
    const wall = name === base ? one : series.ratio(name, base);
    const cpu = name === base ? one : series.ratio(name, base, "cpu");
    out(
      `${name.padEnd(24)}${fmt(series.median(name)).padStart(9)}  ${fmtRatio(wall).padEnd(20)}${fmt(series.median(name, "cpu")).padStart(9)}  ${fmtRatio(cpu).padEnd(20)}` +
        `${mb(series.median(name, "rss")).padStart(9)}${fmt(series.median(name, "loadMs")).padStart(8)}  ${fmtSummary(details.get(name))}\n`,
    );
  }
}

out(`\nmedians over ${ROUNDS} rounds; ratios are medians of the per-round ratios [lowest-highest]; peak RSS is the variant process's maxRSS; load is loading the plugin and building ESLint (not in wall)\n`);
if (PARTS.has("A")) table("A. rules, library corpus (ratios over parse-only)", rules, ruleNames, "parse-only", ruleDetails);
if (PARTS.has("B")) for (const set of commandSets) table(`B. commands, ${set.corpus === "app" ? "LangGraph app" : "library corpus"} (ratios over parse-only)`, set.series, set.names, "parse-only", set.details);

const [library, appSet] = commandSets;
const targets = [
  { label: "strict / idle rules", part: "A", series: rules, of: ["strict", "idle rules"], max: 1.03 },
  { label: "typical + ours / typical", part: "A", series: rules, of: ["typical + recommended", "typical"], max: 1.03 },
  { label: "strict / parse-only", part: "A", series: rules, of: ["strict", "parse-only"], max: 1.1 },
  { label: "check / parse-only (library)", part: "B", series: library.series, of: ["check", "parse-only"], max: 0.3 },
  { label: "check / parse-only (app)", part: "B", series: appSet.series, of: ["check", "parse-only"], max: 0.3 },
  { label: "fix --dry / check (library)", part: "B", series: library.series, of: ["fix --dry", "check"], max: 1.2 },
];
out(`\ntargets (on wall time; CPU time alongside), load average now ${load()}:\n`);
for (const target of targets) {
  if (!PARTS.has(target.part) || target.of.some((name) => !target.series.wall.has(name))) {
    out(`  ${target.label.padEnd(30)} not measured\n`);
    continue;
  }
  const wall = target.series.ratio(...target.of);
  const cpu = target.series.ratio(...target.of, "cpu");
  out(
    `  ${target.label.padEnd(30)} ${fmtRatio(wall).padEnd(20)} target <= ${target.max.toFixed(2)}  ${wall.median <= target.max ? "MET   " : "MISSED"}` +
      `   (cpu ${fmtRatio(cpu)}: ${cpu.median <= target.max ? "met" : "missed"})\n`,
  );
}
if (PARTS.has("A")) out(`  ESLint's own cost of running any rule: idle rules / parse-only ${fmtRatio(rules.ratio("idle rules", "parse-only"))}\n`);
out(`\nbench took ${fmt(performance.now() - benchStarted)}\n`);

if (args.keep) out(`corpora kept at ${work}\n`);
else rmSync(work, { recursive: true, force: true });

// C. Python: `check --lang python` against ruff (bench/python.mjs), when the venv and the Python engine exist.
const { pythonBenchSkipReason } = await import("./python.mjs");
const pythonSkip = PARTS.has("C") ? pythonBenchSkipReason() : "not selected (--only)";
if (pythonSkip) out(`\nC. Python: skipped: ${pythonSkip}\n`);
else {
  out("\nC. Python (bench/python.mjs)\n");
  const python = spawnSync(process.execPath, [path.join(root, "bench/python.mjs"), "--rounds", String(ROUNDS), ...(args.keep ? ["--keep"] : [])], { stdio: "inherit" });
  if (python.status !== 0) process.exitCode = python.status ?? 1;
}
