/**
 * The oracle's own checks: the shape checker must tell nested, root and other-trace runs apart, selectors must be
 * exact, specifier rewriting must be reversible, and bad case files must fail with their file name.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RecordedRun } from "../../src/recorder/index.js";
import { FIXTURES, loadCases, retargetModule, rewriteSpecifiers, selectRuns, shapeProblems } from "./harness.js";

function run(id: string, name: string, trace: string, parent?: string, input?: string): RecordedRun {
  return { id, name, trace_id: trace, parent_run_id: parent ?? null, inputs: input ? { input } : {}, start_time: 1, end_time: 2 };
}

// Two traces: A (a1 -> c1) and B (b1), with B's child c2 either under b1, under a1, or a root.
const base = [run("a1", "handle", "a1", undefined, "ticket-A"), run("b1", "handle", "b1", undefined, "ticket-B"), run("c1", "call", "a1", "a1", "ticket-A")];
const nested = [...base, run("c2", "call", "b1", "b1", "ticket-B")];
const other = [...base, run("c2", "call", "a1", "a1", "ticket-B")];
const root = [...base, run("c2", "call", "c2", undefined, "ticket-B")];
const entry = { run: "call:ticket-B", parent: "handle:ticket-B" };

describe("shapeProblems", () => {
  it("accepts a nested child and rejects a split one in the nested phase", () => {
    expect(shapeProblems(nested, [entry], "nested")).toEqual([]);
    expect(shapeProblems(other, [entry], "nested")).toHaveLength(1);
    expect(shapeProblems(root, [entry], "nested")).toHaveLength(1);
  });

  it("checks the declared kind of split", () => {
    expect(shapeProblems(root, [{ ...entry, split: "root" }], "as-declared")).toEqual([]);
    expect(shapeProblems(other, [{ ...entry, split: "root" }], "as-declared")).toHaveLength(1);
    expect(shapeProblems(other, [{ ...entry, split: "other", under: "handle:ticket-A" }], "as-declared")).toEqual([]);
    expect(shapeProblems(root, [{ ...entry, split: "other" }], "as-declared")).toHaveLength(1);
    expect(shapeProblems(nested, [{ ...entry, split: "other" }], "as-declared")).toHaveLength(1);
    expect(shapeProblems(nested, [{ ...entry, split: "root" }], "as-declared")).toHaveLength(1);
  });

  it("checks absence", () => {
    expect(shapeProblems(base, [{ run: "call:ticket-B", parent: "handle", split: "absent" }], "as-declared")).toEqual([]);
    expect(shapeProblems(nested, [{ run: "call:ticket-B", parent: "handle", split: "absent" }], "as-declared")).toHaveLength(1);
  });

  it("requires a nested child to share its parent's trace id", () => {
    const wrongTrace = [...base, run("c2", "call", "zz", "b1", "ticket-B")];
    expect(shapeProblems(wrongTrace, [entry], "nested")).toHaveLength(1);
  });

  it("reports ambiguous and missing selectors instead of guessing", () => {
    expect(shapeProblems(nested, [{ run: "call", parent: "handle:ticket-A" }], "nested")[0]).toMatch(/exactly one run "call", found 2/);
    expect(shapeProblems(nested, [{ run: "missing", parent: "handle:ticket-A" }], "nested")[0]).toMatch(/found 0/);
  });

  it("selects by name and input marker", () => {
    expect(selectRuns(nested, "call:ticket-A").map((r) => r.id)).toEqual(["c1"]);
    expect(selectRuns(nested, "handle").map((r) => r.id)).toEqual(["a1", "b1"]);
  });
});

describe("rewriteSpecifiers", () => {
  it("rewrites whole specifiers only, and back", () => {
    const text = `import PQueue from "p-queue-8";\nimport x from "p-queue-80";\nconst y = require('p-queue-8');`;
    const real = rewriteSpecifiers(text, { "p-queue-8": "p-queue" });
    expect(real).toBe(`import PQueue from "p-queue";\nimport x from "p-queue-80";\nconst y = require('p-queue');`);
    expect(rewriteSpecifiers(real, { "p-queue-8": "p-queue" }, true)).toBe(text);
  });
});

describe("retargetModule", () => {
  it("points whole module file names at another file, in URLs and path.join, and nothing else", () => {
    const text = `new URL("./w.mjs", import.meta.url); path.join(__dirname, 'w.mjs'); "./w.mjs.map"; "./aw.mjs"; // w.mjs`;
    expect(retargetModule(text, "w.mjs", ".oracle-w-1.mjs")).toBe(`new URL("./.oracle-w-1.mjs", import.meta.url); path.join(__dirname, '.oracle-w-1.mjs'); "./w.mjs.map"; "./aw.mjs"; // w.mjs`);
  });
});

describe("loadCases", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function tree(files: Record<string, string>): string {
    dir = mkdtempSync(path.join(os.tmpdir(), "oracle-cases-"));
    copyFileSync(path.join(FIXTURES, "case.schema.json"), path.join(dir, "case.schema.json"));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }

  const good = { title: "t", rule: "bind-queued-task", mode: "als", kind: "lookalike", expect: [{ run: "a", parent: "b" }] };

  it("loads the repository's cases", () => {
    expect(loadCases().length).toBeGreaterThan(20);
  });

  it("names the file of an invalid case", () => {
    const root = tree({ "bind-queued-task/x.json": JSON.stringify({ ...good, mode: "deno" }), "bind-queued-task/x.mjs": "" });
    expect(() => loadCases(root)).toThrow(/bind-queued-task[/\\]x\.json: .*mode/);
  });

  it("names the file of unparsable JSON", () => {
    const root = tree({ "bind-queued-task/x.json": "{", "bind-queued-task/x.mjs": "" });
    expect(() => loadCases(root)).toThrow(/x\.json/);
  });

  it("rejects a case without its program, a rule in the wrong directory, and a split look-alike", () => {
    expect(() => loadCases(tree({ "bind-queued-task/x.json": JSON.stringify(good) }))).toThrow(/no program/);
    rmSync(dir!, { recursive: true, force: true });
    expect(() => loadCases(tree({ "pass-runnable-config/x.json": JSON.stringify(good), "pass-runnable-config/x.mjs": "" }))).toThrow(/directory/);
    rmSync(dir!, { recursive: true, force: true });
    const split = { ...good, expect: [{ run: "a", parent: "b", split: "root" }] };
    expect(() => loadCases(tree({ "bind-queued-task/x.json": JSON.stringify(split), "bind-queued-task/x.mjs": "" }))).toThrow(/lookalike nests/);
  });

  it("requires a fixed form for a broken case", () => {
    const broken = { ...good, kind: "broken", expect: [{ run: "a", parent: "b", split: "root" }] };
    expect(() => loadCases(tree({ "bind-queued-task/x.json": JSON.stringify(broken), "bind-queued-task/x.mjs": "" }))).toThrow(/needs "fixed"/);
  });
});
