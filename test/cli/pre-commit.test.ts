/**
 * The pre-commit hooks for real: pre-commit is pip-installed into a fresh virtual environment (from the local
 * package index, PIP_INDEX_URL), a scratch git repository uses this repository's hook definitions with the
 * package packed into a tarball (`repo: local`, `language: node`, the tarball as `additional_dependencies`: what
 * works offline with the system Node), and a commit with a split is blocked. If pre-commit cannot be installed,
 * the test fails.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { builtPackage, REPO } from "./build.js";
import { git, LISTENER_TS, LISTENER_TS_FIXED, makeProject, read } from "./project.js";

const require = createRequire(import.meta.url);
const yaml = require("js-yaml") as { load(text: string): unknown; dump(value: unknown): string };

const PYTHON = process.env.TRACE_NESTING_TEST_PYTHON ?? path.join(os.homedir(), ".pyenv/versions/3.11.7/bin/python");
const PIP_INDEX_URL = process.env.PIP_INDEX_URL ?? "file:///opt/pypi/simple";

interface HookDefinition {
  id: string;
  entry: string;
  language: string;
  files: string;
  [key: string]: unknown;
}

let preCommit: string;
let tarball: string;
let hooks: HookDefinition[];
const home = makeProject({});

beforeAll(() => {
  // pre-commit, installed for this test.
  const venv = path.join(home, "venv");
  execFileSync(PYTHON, ["-m", "venv", venv], { stdio: "pipe" });
  execFileSync(path.join(venv, "bin", "pip"), ["install", "-q", "pre-commit"], { env: { ...process.env, PIP_INDEX_URL }, stdio: "pipe" });
  preCommit = path.join(venv, "bin", "pre-commit");
  expect(existsSync(preCommit), "pre-commit was not installed").toBe(true);

  // The package as npm would publish it: package.json, README, docs and the compiled dist/.
  const stage = path.join(home, "stage");
  mkdirSync(stage);
  for (const file of ["package.json", "README.md"]) cpSync(path.join(REPO, file), path.join(stage, file));
  cpSync(builtPackage(), path.join(stage, "dist"), { recursive: true });
  execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", home], { cwd: stage, stdio: "pipe" });
  tarball = path.join(home, readdirSync(home).find((f) => f.endsWith(".tgz"))!);

  hooks = yaml.load(readFileSync(path.join(REPO, ".pre-commit-hooks.yaml"), "utf8")) as HookDefinition[];
}, 600_000);

/** A scratch repository whose .pre-commit-config.yaml uses `hookId` from this repository's hook file. */
function scratchRepo(hookId: string): string {
  const hook = hooks.find((h) => h.id === hookId)!;
  expect(hook, hookId).toBeDefined();
  const dir = makeProject({ "README.md": "# scratch\n" });
  const config = { repos: [{ repo: "local", hooks: [{ ...hook, additional_dependencies: [tarball] }] }] };
  writeFileSync(path.join(dir, ".pre-commit-config.yaml"), yaml.dump(config));
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "initial");
  const env = { ...process.env, PRE_COMMIT_HOME: path.join(home, "cache") };
  execFileSync(preCommit, ["install"], { cwd: dir, env, stdio: "pipe" });
  return dir;
}

function commit(dir: string, message: string) {
  const env = { ...process.env, PRE_COMMIT_HOME: path.join(home, "cache"), NO_COLOR: "1" };
  const result = spawnSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "commit", "-m", message], {
    cwd: dir,
    env,
    encoding: "utf8",
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("pre-commit hooks", () => {
  it("the hook file defines trace-nesting-check and trace-nesting-fix for JS/TS, Markdown/MDX and notebooks", () => {
    expect(hooks.map((h) => [h.id, h.language])).toEqual([
      ["trace-nesting-check", "node"],
      ["trace-nesting-fix", "node"],
    ]);
    const files = new RegExp(hooks[0].files);
    for (const name of ["a.ts", "a.tsx", "a.mts", "a.cts", "a.js", "a.jsx", "a.mjs", "a.cjs", "docs/a.md", "docs/a.mdx", "nb/a.ipynb"]) expect(name).toMatch(files);
    for (const name of ["a.py", "a.json", "a.css", "a.tsv"]) expect(name).not.toMatch(files);
  });

  it("trace-nesting-check blocks a commit with a split and lets the fixed file through", () => {
    const dir = scratchRepo("trace-nesting-check");
    writeFileSync(path.join(dir, "app.ts"), LISTENER_TS);
    git(dir, "add", "app.ts");
    const blocked = commit(dir, "add app");
    expect(blocked.code, blocked.output).not.toBe(0);
    expect(blocked.output).toContain("trace-nesting/bind-detached-callback");
    expect(git(dir, "log", "--oneline")).not.toContain("add app");
    writeFileSync(path.join(dir, "app.ts"), LISTENER_TS_FIXED);
    git(dir, "add", "app.ts");
    const passed = commit(dir, "add app");
    expect(passed.code, passed.output).toBe(0);
    expect(git(dir, "log", "--oneline")).toContain("add app");
  }, 600_000);

  it("trace-nesting-fix rewrites the staged file and blocks the commit until the fix is staged", () => {
    const dir = scratchRepo("trace-nesting-fix");
    writeFileSync(path.join(dir, "app.ts"), LISTENER_TS);
    git(dir, "add", "app.ts");
    const blocked = commit(dir, "add app");
    expect(blocked.code, blocked.output).not.toBe(0);
    expect(blocked.output).toContain("files were modified by this hook");
    expect(read(dir, "app.ts")).toBe(LISTENER_TS_FIXED);
    git(dir, "add", "app.ts");
    expect(commit(dir, "add app").code).toBe(0);
  }, 600_000);
});
