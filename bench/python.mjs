#!/usr/bin/env node
/**
 * The Python part of `npm run bench`: `trace-nesting check --lang python` (the built CLI, dist/src/cli.js) against
 * `ruff check` over the same files: every .py source of the installed langsmith, langchain_core and langgraph
 * packages in the venv of scripts/python-env.sh (.venv-py311), copied to a temporary directory so that no default
 * ignore (site-packages, .gitignore) hides any of it from either tool.
 *
 * Both run as child processes, as users run them; ruff with `--isolated --no-cache --exit-zero` (no configuration
 * file, no cache between rounds, default rules). Rounds alternate the order; figures are medians over the rounds
 * (after a warm-up) and the ratio is the median of the per-round ratios. Target (printed, never fatal):
 * check / ruff <= 3.0 on wall time.
 * Options: --rounds N (default 3, env BENCH_ROUNDS), --keep. Exits 0 with the reason when it cannot run (no venv,
 * no src/python, no dist/).
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGES = ["langsmith", "langchain_core", "langgraph"];
const TARGET = 3.0;

const out = (text) => process.stdout.write(text);

/** Why the Python bench cannot run here, or undefined. */
export function pythonBenchSkipReason() {
  if (!existsSync(path.join(root, ".venv-py311/bin/python"))) return "no .venv-py311 (run scripts/python-env.sh)";
  if (!existsSync(path.join(root, "src/python"))) return "src/python (the Python engine) does not exist";
  if (!existsSync(path.join(root, "dist/src/cli.js"))) return "dist/ is missing (run npm run build)";
  return undefined;
}

function sitePackages() {
  const lib = path.join(root, ".venv-py311/lib");
  const python = readdirSync(lib).find((name) => /^python3\.\d+$/.test(name));
  if (!python) throw new Error(`no python3.x directory in ${lib}`);
  return path.join(lib, python, "site-packages");
}

function walk(dir, found) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "__pycache__") walk(full, found);
    } else if (entry.isFile() && entry.name.endsWith(".py")) found.push(full);
  }
  return found;
}

/** Run a command with its output discarded; resolves with its wall milliseconds; rejects on an unexpected exit. */
function timed(command, argv, okCodes, onStdout, cwd = root) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd, stdio: ["ignore", onStdout ? "pipe" : "ignore", "pipe"] });
    let stderr = "";
    let stdout = "";
    if (onStdout) child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const ms = performance.now() - started;
      if (okCodes.includes(code)) {
        onStdout?.(stdout);
        resolve(ms);
      }
      else reject(new Error(`${path.basename(command)} ${argv.join(" ")} exited with ${code ?? signal}: ${stderr.slice(-2000)}`));
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const { values: args } = parseArgs({
    options: {
      rounds: { type: "string", default: process.env.BENCH_ROUNDS ?? "3" },
      keep: { type: "boolean", default: false },
    },
  });
  const ROUNDS = Math.max(1, Number.parseInt(args.rounds, 10) || 3);
  const reason = pythonBenchSkipReason();
  if (reason) {
    out(`Python bench skipped: ${reason}\n`);
    return;
  }
  const site = sitePackages();
  const work = mkdtempSync(path.join(os.tmpdir(), "trace-nesting-pybench-"));
  const corpus = path.join(work, "corpus");
  let files = 0;
  let bytes = 0;
  for (const pkg of PACKAGES) {
    const source = path.join(site, pkg);
    if (!existsSync(source)) throw new Error(`${pkg} is not installed in ${site} (run scripts/python-env.sh)`);
    for (const file of walk(source, [])) {
      const destination = path.join(corpus, pkg, path.relative(source, file));
      mkdirSync(path.dirname(destination), { recursive: true });
      cpSync(file, destination);
      files++;
      bytes += statSync(file).size;
    }
  }
  const ruff = path.join(root, ".venv-py311/bin/ruff");
  let reported;
  // The json report lists the files check read (ESLint's json format: one entry per file): a bench over fewer
  // files than the corpus would flatter check.
  const countReported = (stdout) => {
    try {
      const report = JSON.parse(stdout);
      if (Array.isArray(report)) reported = report.length;
    } catch {
      reported = undefined;
    }
  };
  const variants = {
    ruff: () => timed(ruff, ["check", "--isolated", "--no-cache", "--exit-zero", "--quiet", corpus], [0]),
    // check exits 1 when it reports findings; both are a completed run.
    check: () => timed(process.execPath, [path.join(root, "dist/src/cli.js"), "check", "--lang", "python", "--format", "json", "--max-warnings", "-1", "."], [0, 1], countReported, corpus),
  };
  out(`\nPython: ${files} files (${(bytes / 1024 / 1024).toFixed(1)} MiB) of ${PACKAGES.join(", ")} from ${site}\n`);
  out(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, ${os.cpus().length} CPUs\n`);
  try {
    const warm = [];
    for (const [name, fn] of Object.entries(variants)) warm.push(`${name} ${fmt(await fn())}`);
    out(`warm-up: ${warm.join(", ")}\n`);
    out(reported === undefined ? "check's json report could not be read: files checked unknown\n" : `check reported ${reported} of ${files} files${reported < files ? " (fewer: the ratio flatters check)" : ""}\n`);
    const times = { ruff: [], check: [] };
    const ratios = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ["check", "ruff"] : ["ruff", "check"];
      const line = [];
      for (const name of order) {
        const ms = await variants[name]();
        times[name].push(ms);
        line.push(`${name} ${fmt(ms)}`);
      }
      ratios.push(times.check[round] / times.ruff[round]);
      out(`round ${round + 1}: ${line.join(", ")}\n`);
    }
    const ratio = median(ratios);
    out(`\nPython: check --lang python ${fmt(median(times.check))}, ruff check ${fmt(median(times.ruff))} (medians over ${ROUNDS} rounds)\n`);
    out(`  check / ruff            ${ratio.toFixed(3)}  target <= ${TARGET.toFixed(2)}  ${ratio <= TARGET ? "MET" : "MISSED"}\n`);
  } finally {
    if (args.keep) out(`corpus kept at ${corpus}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`bench (python): ${error.message}\n`);
    process.exit(2);
  });
}
