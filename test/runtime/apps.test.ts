/**
 * Multi-file programs (fixtures/apps/<app>/, each with an app.json): `check` reports the findings in the files that
 * hold them (nodes registered in another file, helpers in a third), the program runs SPLIT as declared, `fix` over
 * the app's directory makes it run NESTED, and a second `fix` changes nothing.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/cli/check.js";
import { runFix } from "../../src/cli/fix.js";
import { clearProjectIndex } from "../../src/js/project/index.js";
import { runProblems, runProgram, shapeProblems, type Expectation, type FixtureCase } from "./harness.js";

const APPS = path.resolve(import.meta.dirname, "../../fixtures/apps");

interface AppCase {
  title: string;
  entry: string;
  mode: FixtureCase["mode"];
  expect: Expectation[];
  /** Findings per file (relative to the app), before the fix. */
  findings: Record<string, number>;
}

const apps = readdirSync(APPS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith(".") && existsSync(path.join(APPS, d.name, "app.json")))
  .map((d) => ({ name: d.name, dir: path.join(APPS, d.name), spec: JSON.parse(readFileSync(path.join(APPS, d.name, "app.json"), "utf8")) as AppCase }));

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy next to the original (so that its imports of the oracle's support module and of packages resolve). */
function copyOf(dir: string, tag: string): string {
  const copy = path.join(path.dirname(dir), `_run-${path.basename(dir)}-${tag}-${process.pid}`);
  rmSync(copy, { recursive: true, force: true });
  cpSync(dir, copy, { recursive: true, filter: (source) => path.basename(source) !== "app.json" });
  copies.push(copy);
  return copy;
}

function relativeFindings(results: Awaited<ReturnType<typeof runCheck>>["results"], root: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const result of results) {
    const ours = result.messages.filter((m) => m.ruleId?.startsWith("trace-nesting/"));
    if (ours.length > 0) out[path.relative(root, result.filePath).split(path.sep).join("/")] = ours.length;
  }
  return out;
}

it("finds the apps", () => {
  expect(apps.length).toBeGreaterThan(0);
});

describe.each(apps)("$name", ({ dir, spec }) => {
  const caseLike = { mode: spec.mode } as FixtureCase;

  it(`${spec.title}: runs SPLIT as declared`, { timeout: 120_000 }, async () => {
    const result = await runProgram(path.join(dir, spec.entry));
    expect(runProblems(result, caseLike), result.forestText).toEqual([]);
    expect(shapeProblems(result.runs, spec.expect, "as-declared"), result.forestText).toEqual([]);
  });

  it("check reports the findings in the files that hold them; fix makes it run NESTED; a second fix changes nothing", { timeout: 180_000 }, async () => {
    const copy = copyOf(dir, "fix");
    clearProjectIndex();
    const checked = await runCheck({ cwd: copy, paths: ["."], format: "json" });
    expect(relativeFindings(checked.results, copy)).toEqual(spec.findings);

    const first = await runFix({ cwd: copy, paths: ["."], force: true, jobs: 0 });
    expect(first.errors).toEqual([]);
    expect(first.changedFiles.map((c) => c.file).sort()).toEqual(Object.keys(spec.findings).sort());
    const after = await runProgram(path.join(copy, spec.entry));
    const fixedText = Object.keys(spec.findings).map((f) => `// ${f}\n${readFileSync(path.join(copy, f), "utf8")}`).join("\n");
    expect(runProblems(after, caseLike), `${fixedText}\n${after.forestText}`).toEqual([]);
    expect(shapeProblems(after.runs, spec.expect, "nested"), `the fix did not nest:\n${fixedText}\n${after.forestText}`).toEqual([]);

    clearProjectIndex();
    const second = await runFix({ cwd: copy, paths: ["."], force: true, jobs: 0 });
    expect(second.changedFiles).toEqual([]);
    clearProjectIndex();
    const recheck = await runCheck({ cwd: copy, paths: ["."], format: "json" });
    expect(relativeFindings(recheck.results, copy)).toEqual({});
  });
});
