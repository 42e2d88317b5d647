#!/usr/bin/env node
/**
 * `npm run demo`: lint the bundled demo project (fixtures/demo-app) with `trace-nesting check`, show what
 * `trace-nesting fix --dry` would change, then run one of its programs under `trace-nesting record` on a temporary
 * copy, before and after `fix`: the split forest, then the nested one. Findings are the point of the demo, so they
 * do not fail it; the script exits non-zero only when the tool crashed, printed no findings, missed one of the
 * rules, touched a file of the demo, or the recorded forests do not show the split and then the nesting.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const demo = path.join(root, "fixtures", "demo-app");
const cli = path.join(root, "dist", "src", "cli.js");
const RULES = ["trace-nesting/pass-runnable-config", "trace-nesting/bind-detached-callback", "trace-nesting/bind-queued-task"];
/** Files made only of NESTED code: a finding there would be a false positive (see fixtures/demo-app/README.md). */
const CLEAN_FILES = ["src/llm.ts", "src/store.ts", "src/retrieval.ts", "src/tools.ts", "src/agent.ts", "src/ingest/crawler.ts"];

function fail(message) {
  process.stderr.write(`\ndemo failed: ${message}\n`);
  process.exit(1);
}

function heading(text) {
  process.stdout.write(`\n=== ${text} ===\n\n`);
}

/** The package is built by `npm ci` (prepare); build it here too when someone runs the demo from a bare checkout. */
function ensureBuilt() {
  if (existsSync(cli)) return;
  process.stdout.write("dist/ is missing: building the package first...\n");
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0 || !existsSync(cli)) fail("the build failed (npm run build)");
}

/**
 * The demo's eslint.config.js does `import traceNesting from "trace-nesting"`, as a user's project would. The demo
 * has its own package.json, so that import resolves through its node_modules: link the repository there
 * (node_modules is git-ignored; this is what installing the package would put in place).
 */
function ensurePackageLink() {
  const modules = path.join(demo, "node_modules");
  const link = path.join(modules, "trace-nesting");
  const target = path.relative(modules, root);
  mkdirSync(modules, { recursive: true });
  try {
    const stat = lstatSync(link);
    if (stat.isSymbolicLink() && path.resolve(modules, readlinkSync(link)) === root) return;
    rmSync(link, { recursive: true, force: true });
  } catch {
    // not there yet
  }
  symlinkSync(target, link, process.platform === "win32" ? "junction" : "dir");
}

/** Hash of every file of the demo (outside node_modules), to prove `fix --dry` writes nothing. */
function snapshot(dir = demo, out = new Map()) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) snapshot(full, out);
    else if (entry.isFile()) out.set(full, createHash("sha256").update(readFileSync(full)).digest("hex"));
  }
  return out;
}

function runCli(args, cwd = demo) {
  const env = { ...process.env };
  if (process.stdout.isTTY && !("NO_COLOR" in env)) env.FORCE_COLOR = "1";
  // record sets up its own local recorder: never send the demo's runs to a real LangSmith project.
  for (const name of Object.keys(env)) if (/^(LANGSMITH|LANGCHAIN)_/.test(name)) delete env[name];
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) fail(`could not run trace-nesting ${args.join(" ")}: ${result.error.message}`);
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result;
}

/** Strip ANSI colours before looking for rule ids and diff markers. */
const plain = (text) => text.replace(/\u001b\[[0-9;]*m/g, "");

ensureBuilt();
ensurePackageLink();
const before = snapshot();

heading("trace-nesting check  (fixtures/demo-app, its own eslint.config.js: configs.recommended)");
const check = runCli(["check", "."]);
const checkOut = plain(check.stdout + check.stderr);
// check exits 1 when it reports findings: expected here. 0 (nothing found) or anything else is a failure.
if (check.status !== 1) fail(`trace-nesting check exited ${check.status ?? check.signal}; expected 1 (findings reported)`);
const missing = RULES.filter((rule) => !checkOut.includes(rule));
if (missing.length > 0) fail(`check reported nothing for ${missing.join(", ")}`);
// stylish prints each file with findings on a line of its own.
const reported = new Set(checkOut.split(/\r?\n/).map((line) => line.trim()).filter((line) => path.isAbsolute(line)).map((line) => path.relative(demo, line).split(path.sep).join("/")));
const falsePositives = CLEAN_FILES.filter((file) => reported.has(file));
if (falsePositives.length > 0) fail(`check reported findings in files that only hold NESTED code: ${falsePositives.join(", ")}`);

heading("trace-nesting fix --dry  (what `fix` would change; nothing is written)");
const fix = runCli(["fix", "--dry", "."]);
const fixOut = plain(fix.stdout + fix.stderr);
if (fix.status === null || fix.status >= 2) fail(`trace-nesting fix --dry exited ${fix.status ?? fix.signal}`);
if (!/^@@ .* @@/m.test(fixOut) || !fixOut.includes("AsyncLocalStorage.bind(")) fail("fix --dry printed no diff");

const after = snapshot();
const changed = [...before].filter(([file, hash]) => after.get(file) !== hash).map(([file]) => path.relative(root, file));
if (changed.length > 0 || after.size !== before.size) fail(`fix --dry modified the demo: ${changed.join(", ") || "files added or removed"}`);

/**
 * The split, then the nesting, as traces: run scripts/export-transcripts.cjs under `trace-nesting record` on a
 * temporary copy of the demo, fix the copy, and run it again. The copy's node_modules is the repository's (where
 * langsmith is installed as a devDependency), as the runtime fixtures resolve it.
 */
const PROGRAM = "scripts/export-transcripts.cjs";
const copy = mkdtempSync(path.join(os.tmpdir(), "trace-nesting-demo-"));
try {
  cpSync(demo, copy, { recursive: true, filter: (source) => path.basename(source) !== "node_modules" });
  symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"), process.platform === "win32" ? "junction" : "dir");
  writeFileSync(path.join(copy, "transcript-1.txt"), "Customer: my card 4111 1111 1111 1111 was charged twice.\n");
  writeFileSync(path.join(copy, "transcript-2.txt"), "Customer: thanks, all sorted.\n");
  const recordArgs = ["record", "--", process.execPath, PROGRAM, "transcript-1.txt", "transcript-2.txt"];

  heading(`trace-nesting record -- node ${PROGRAM}  (before fix: the listener's runs split off)`);
  const before = runCli(recordArgs, copy);
  if (before.status !== 0) fail(`record before fix exited ${before.status ?? before.signal}`);
  const beforeTraces = Number(/(\d+) traces?, \d+ runs?/.exec(plain(before.stdout))?.[1]);
  if (!(beforeTraces > 1)) fail(`expected the program to split into several traces before the fix, got ${beforeTraces || "none"}`);

  heading(`trace-nesting fix ${PROGRAM}  (on the temporary copy)`);
  const fixRun = runCli(["fix", PROGRAM], copy);
  if (fixRun.status !== 0) fail(`fix on the copy exited ${fixRun.status ?? fixRun.signal}`);

  heading(`trace-nesting record -- node ${PROGRAM}  (after fix: one nested trace)`);
  const after = runCli(recordArgs, copy);
  if (after.status !== 0) fail(`record after fix exited ${after.status ?? after.signal}`);
  const afterTraces = Number(/(\d+) traces?, \d+ runs?/.exec(plain(after.stdout))?.[1]);
  if (afterTraces !== 1) fail(`expected one nested trace after the fix, got ${afterTraces || "none"}`);
} finally {
  rmSync(copy, { recursive: true, force: true });
}

heading("demo ran as expected");
process.stdout.write(
  "The findings above are the point of the demo: each one is a place where a LangSmith trace splits.\n" +
    "The two recorded forests show the same program before and after `fix`: split into several traces, then one.\n" +
    "See fixtures/demo-app/README.md for what each file shows, and which look-alikes correctly stay clean.\n",
);
