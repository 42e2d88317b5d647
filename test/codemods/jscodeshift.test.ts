import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { builtPackage } from "../cli/build.js";
import { makeProject, read, writeFiles } from "../cli/project.js";
import { expectedPath, listCases, REPO } from "./helpers.js";

const JSCODESHIFT = path.join(REPO, "node_modules/.bin/jscodeshift");
const EXTENSIONS = "--extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs";

/** Runs jscodeshift on `dir` from the repository root, where @babel/register keeps its cache. */
function jscodeshift(dir: string, ...args: string[]) {
  const result = spawnSync(JSCODESHIFT, [...args, dir], { cwd: REPO, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** A temporary copy of the inputs of the fixture cases that need no settings. */
function copyOfCases(names: readonly string[]) {
  const files: Record<string, string> = {};
  for (const fixture of listCases().filter((c) => names.includes(c.name))) {
    for (const input of fixture.inputs) files[`${fixture.name}/${input}`] = readFileSync(path.join(fixture.dir, input), "utf8");
  }
  return { dir: makeProject(files), files };
}

describe("the codemods through the real jscodeshift runner", () => {
  const cases = ["bom-crlf", "cjs", "esm-js-single-quotes", "merge-import", "mjs", "type-only-import", "web-runnables"];

  it("all.js with jscodeshift's defaults (babel on) rewrites files exactly as eslint --fix; a parse error is reported and the run goes on", () => {
    const { dir, files } = copyOfCases(cases);
    const broken = 'import { traceable } from "langsmith/traceable";\nexport const t = traceable(async () => { return ; );\n';
    writeFiles(dir, { "broken/bad.ts": broken });
    const result = jscodeshift(dir, "-t", path.join(builtPackage(), "codemods/all.js"), EXTENSIONS);
    expect(result.output).toMatch(/ERR .*broken\/bad\.ts Transformation error \(.*broken\/bad\.ts:2:\d+: /);
    expect(result.output).toMatch(/1 errors/);
    for (const name of Object.keys(files)) {
      const [caseName, ...rest] = name.split("/");
      const expected = readFileSync(path.join(REPO, "fixtures/codemod", caseName, expectedPath(rest.join("/"))), "utf8");
      expect(read(dir, name), name).toBe(expected);
    }
    expect(read(dir, "broken/bad.ts")).toBe(broken);
    // With a cold Babel cache jscodeshift compiles TypeScript's own sources first: allow for it.
  }, 240_000);

  it("a single-rule transform with --no-babel and jscodeshift options (--runtime, --dry)", () => {
    const { dir } = copyOfCases(["web-runnables", "esm-js-single-quotes"]);
    const built = builtPackage();
    const dry = jscodeshift(dir, "--no-babel", "--dry", "-t", path.join(built, "codemods/pass-runnable-config.js"), EXTENSIONS);
    expect(dry.output).toMatch(/2 ok/);
    expect(read(dir, "web-runnables/src/graph.ts")).toBe(readFileSync(path.join(REPO, "fixtures/codemod/web-runnables/src/graph.ts"), "utf8"));
    // --runtime=node: the /web file is taken to have AsyncLocalStorage, so pass-runnable-config has nothing to do.
    const node = jscodeshift(dir, "--no-babel", "--runtime=node", "-t", path.join(built, "codemods/pass-runnable-config.js"), EXTENSIONS);
    expect(node.output).toMatch(/0 ok/);
    const run = jscodeshift(dir, "--no-babel", "-t", path.join(built, "codemods/bind-detached-callback.js"), EXTENSIONS);
    expect(run.output).toMatch(/1 ok/);
    expect(read(dir, "esm-js-single-quotes/worker.js")).toBe(readFileSync(path.join(REPO, "fixtures/codemod/esm-js-single-quotes/worker.expected.js"), "utf8"));
    expect(read(dir, "web-runnables/src/graph.ts")).toBe(readFileSync(path.join(REPO, "fixtures/codemod/web-runnables/src/graph.ts"), "utf8"));
  }, 120_000);
});
