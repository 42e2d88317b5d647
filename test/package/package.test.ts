/**
 * Package acceptance: `npm pack` the repository, install the tarball's contents into a scratch project outside the
 * repository without network (extract it to node_modules/trace-nesting, link its dependencies and `eslint` from
 * this repository's node_modules, as an install would), then lint broken patterns and NESTED look-alikes with the
 * scratch project's own `eslint.config.js` (`configs.recommended`), once with ESLint 10 and once with ESLint 9.
 * Also runs the installed bin (`npx trace-nesting`) there.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_MODULES, stagePackage } from "./stage.js";
import { ESLINT_CONFIG, expectedFindings, FILES, LEGACY_PACKAGE_JSON, PACKAGE_JSON, sortFindings, type Expected } from "./project.js";

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 180_000,
    env: { ...process.env, npm_config_offline: "true", npm_config_update_notifier: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  if (result.error) throw result.error;
  return result;
}

let work: string;
let tarball: string;
let packedFiles: string[];
let packedManifest: { dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; bin?: Record<string, string> };

/** Pack the staged package (what `npm pack` in the repository packs, built from the current sources). */
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "trace-nesting-package-"));
  const stage = stagePackage(work);
  const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], stage.dir);
  expect(pack.status, pack.stderr).toBe(0);
  const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, info[0].filename);
  packedFiles = info[0].files.map((f) => f.path);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function link(target: string, at: string): void {
  mkdirSync(path.dirname(at), { recursive: true });
  symlinkSync(target, at, "dir");
}

/** A scratch project with the tarball "installed" and `eslint` linked to the given installed ESLint. */
function makeProject(name: string, eslintPackage: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ ...PACKAGE_JSON, devDependencies: { eslint: "*", "trace-nesting": `file:${tarball}` } }, null, 2)}\n`);
  writeFileSync(path.join(dir, "eslint.config.js"), ESLINT_CONFIG);
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  writeFileSync(path.join(dir, "legacy", "package.json"), `${JSON.stringify(LEGACY_PACKAGE_JSON, null, 2)}\n`);
  // p-queue 10 and p-limit 5 installed for modern/ only.
  link(path.join(REPO_MODULES, "p-queue-10"), path.join(dir, "modern", "node_modules", "p-queue"));
  link(path.join(REPO_MODULES, "p-limit-5"), path.join(dir, "modern", "node_modules", "p-limit"));

  const modules = path.join(dir, "node_modules");
  const pkgDir = path.join(modules, "trace-nesting");
  mkdirSync(pkgDir, { recursive: true });
  const untar = run("tar", ["-xzf", tarball, "-C", pkgDir, "--strip-components=1"], dir);
  expect(untar.status, untar.stderr).toBe(0);
  packedManifest = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  for (const dep of [...Object.keys(packedManifest.dependencies ?? {}), "typescript"]) {
    link(path.join(REPO_MODULES, dep), path.join(modules, dep));
  }
  link(path.join(REPO_MODULES, eslintPackage), path.join(modules, "eslint"));
  // What npm does for a dependency's bin.
  for (const [bin, target] of Object.entries(packedManifest.bin ?? {})) {
    const absolute = path.join(pkgDir, target);
    chmodSync(absolute, 0o755);
    mkdirSync(path.join(modules, ".bin"), { recursive: true });
    symlinkSync(path.relative(path.join(modules, ".bin"), absolute), path.join(modules, ".bin", bin));
  }
  return dir;
}

interface LintMessage {
  ruleId: string | null;
  line: number;
  messageId?: string;
  message: string;
  fatal?: boolean;
}
interface LintResult {
  filePath: string;
  messages: LintMessage[];
}

function findingsOf(results: LintResult[], dir: string): (Expected & { messageId?: string; fatal?: boolean })[] {
  return sortFindings(
    results.flatMap((result) =>
      result.messages.map((m) => ({
        file: path.relative(dir, result.filePath).split(path.sep).join("/"),
        line: m.line,
        ruleId: m.ruleId ?? `(no rule) ${m.message}`,
        messageId: m.messageId,
        fatal: m.fatal,
      })),
    ),
  );
}

const plain = (list: (Expected & { messageId?: string })[]) => list.map(({ file, line, ruleId }) => ({ file, line, ruleId }));

function eslint(dir: string, args: string[]): SpawnSyncReturns<string> {
  return run(process.execPath, [path.join(dir, "node_modules", "eslint", "bin", "eslint.js"), ...args], dir);
}

function lintJson(dir: string): LintResult[] {
  const result = eslint(dir, ["--format", "json", "."]);
  // 1: problems reported (expected here); 2 would be a config or crash error.
  expect(result.status, result.stderr).toBe(1);
  return JSON.parse(result.stdout) as LintResult[];
}

describe("the packed tarball", () => {
  it("holds the built plugin, the CLI, the codemods' home, the docs, and no sources or tests", () => {
    expect(packedFiles).toContain("package.json");
    expect(packedFiles).toContain("dist/src/index.js");
    expect(packedFiles).toContain("dist/src/index.d.ts");
    expect(packedFiles).toContain("dist/src/cli.js");
    for (const rule of ["pass-runnable-config", "bind-detached-callback", "bind-queued-task", "no-detached-iterator", "pass-parent-run-tree", "set-up-async-context"]) {
      expect(packedFiles).toContain(`docs/rules/${rule}.md`);
    }
    expect(packedFiles.filter((f) => f.startsWith("test/") || f.startsWith("src/") || f.startsWith("fixtures/") || f.includes(".test."))).toEqual([]);
  });
});

const EXPECTED = expectedFindings();
/** What stays after `eslint --fix`: findings that only offer a suggestion or need a person. */
const AFTER_FIX = [
  { file: "src/legacy.cjs", ruleId: "trace-nesting/bind-queued-task", messageId: "queuedData" },
  { file: "web/assistant.tsx", ruleId: "trace-nesting/pass-parent-run-tree", messageId: "implicitParentRewrite" },
];

for (const [label, eslintPackage, major] of [
  ["ESLint 10", "eslint", "10"],
  ["ESLint 9", "eslint-9", "9"],
] as const) {
  describe(`installed in a scratch project with ${label}`, () => {
    let dir: string;
    beforeAll(() => {
      dir = makeProject(`scratch-eslint-${major}`, eslintPackage);
    });

    it(`runs ESLint ${major}`, () => {
      const version = eslint(dir, ["--version"]);
      expect(version.stdout.trim()).toMatch(new RegExp(`^v${major}\\.`));
    });

    it("reports every broken pattern and nothing on the NESTED look-alikes, across .ts .tsx .mts .cts .js .mjs .cjs .jsx", () => {
      const found = findingsOf(lintJson(dir), dir);
      expect(found.filter((f) => f.fatal)).toEqual([]);
      expect(plain(found)).toEqual(EXPECTED);
      // Every extension is exercised, with findings in each runtime kind.
      const extensions = new Set(Object.keys(FILES).map((f) => path.extname(f)));
      expect([...extensions].sort()).toEqual([".cjs", ".cts", ".js", ".jsx", ".mjs", ".mts", ".ts", ".tsx"]);
      expect(new Set(EXPECTED.map((e) => path.extname(e.file))).size).toBe(8);
    });

    it("the installed bin runs: `npx trace-nesting --help`, and `check` agrees with ESLint", () => {
      const help = run("npx", ["--no", "--", "trace-nesting", "--help"], dir);
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toMatch(/Usage: trace-nesting/);
      expect(help.stdout).toMatch(/\bcheck\b/);
      expect(help.stdout).toMatch(/\bfix\b/);
      const check = run("npx", ["--no", "--", "trace-nesting", "check", "--format", "json", "."], dir);
      expect(check.status, check.stderr).toBe(1);
      expect(plain(findingsOf(JSON.parse(check.stdout) as LintResult[], dir))).toEqual(EXPECTED);
    });

    it("`eslint --fix` leaves only the suggestion-only findings, in files that still parse, with one import each", () => {
      const fix = eslint(dir, ["--fix", "."]);
      expect([0, 1], fix.stderr).toContain(fix.status);
      const remaining = findingsOf(lintJson(dir), dir);
      expect(remaining.filter((f) => f.fatal)).toEqual([]);
      expect(remaining.map(({ file, ruleId, messageId }) => ({ file, ruleId, messageId }))).toEqual(AFTER_FIX);
      const read = (file: string) => readFileSync(path.join(dir, file), "utf8");
      expect(read("src/server.ts")).toContain('req.on("data", AsyncLocalStorage.bind((chunk: Buffer) => {');
      expect(read("src/server.ts").match(/import \{ AsyncLocalStorage \} from "node:async_hooks";/g)).toHaveLength(1);
      expect(read("src/channels.cts")).toMatch(/const \{ AsyncLocalStorage \} = require\("node:async_hooks"\);/);
      // legacy/jobs.mts already imported AsyncLocalStorage: no second import.
      expect(read("legacy/jobs.mts").match(/node:async_hooks/g)).toHaveLength(1);
      expect(read("legacy/jobs.mts")).toContain("limit(AsyncLocalStorage.bind(() => score(doc)))");
      expect(read("web/widget.jsx")).toContain("tool(async (input, config) => summarizer.invoke(input, config), {");
      // The traceable called in a runnable: handed the config behind langsmith's own test.
      expect(read("web/workflow.mjs")).toContain("isRunnableConfigLike(config) ?");
      // The NESTED files are untouched.
      for (const file of ["modern/jobs.mts", "src/graph.ts", "web/chains.ts"]) expect(read(file)).toBe(FILES[file]);
    });
  });
}
