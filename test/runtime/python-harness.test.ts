/**
 * The Python oracle's own checks (no Python needed): case files load and bad ones fail with their file name, the
 * flush report is parsed, and a program that ran on the wrong Python (simulation missing or leaking) is rejected.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RecorderStats } from "../../src/recorder/index.js";
import { PY_FIXTURES, PY_RULES, loadPyCases, parseReport, pyRunProblems, type PyProgramResult } from "./python-harness.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function caseDir(files: Record<string, string>): string {
  dir = mkdtempSync(path.join(os.tmpdir(), "py-oracle-"));
  copyFileSync(path.join(PY_FIXTURES, "case.schema.json"), path.join(dir, "case.schema.json"));
  mkdirSync(path.join(dir, "py-context-to-thread"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, "py-context-to-thread", name), text);
  return dir;
}

const broken = {
  title: "t",
  rule: "py-context-to-thread",
  python: "3.11",
  kind: "broken",
  fixed: "a.fixed.py",
  expect: [{ run: "child", parent: "parent", split: "root" }],
  expectFindings: { "py-context-to-thread": 1 },
};

describe("loadPyCases", () => {
  it("loads every fixture, for every rule", () => {
    const cases = loadPyCases();
    expect(new Set(cases.map((c) => c.rule))).toEqual(new Set(PY_RULES));
    expect(cases.filter((c) => c.kind === "broken").every((c) => c.fixedProgram)).toBe(true);
  });

  it("accepts a well-formed case", () => {
    const root = caseDir({ "a.json": JSON.stringify(broken), "a.py": "", "a.fixed.py": "" });
    expect(loadPyCases(root).map((c) => c.id)).toEqual(["py-context-to-thread/a"]);
  });

  it.each([
    ["a broken case without a fixed form", { ...broken, fixed: undefined }, /needs "fixed"/],
    ["a broken case without a split", { ...broken, expect: [{ run: "child", parent: "parent" }] }, /must declare a split/],
    ["a broken case expecting no finding of its rule", { ...broken, expectFindings: { "py-context-to-thread": 0 } }, /expects findings/],
    ["a look-alike with a split", { ...broken, kind: "lookalike", fixed: undefined, expectFindings: {} }, /lookalike nests/],
    ["a look-alike with findings", { ...broken, kind: "lookalike", fixed: undefined, expect: [{ run: "c", parent: "p" }] }, /no findings/],
    ["an unknown Python", { ...broken, python: "3.10" }, /a\.json: .*python/],
    ["a case in another rule's directory", { ...broken, rule: "py-pass-config-pre-311" }, /does not match its directory/],
  ])("rejects %s", (_label, data, message) => {
    const root = caseDir({ "a.json": JSON.stringify(data), "a.py": "", "a.fixed.py": "" });
    expect(() => loadPyCases(root)).toThrow(message);
  });
});

const stats: RecorderStats = {
  requests: 2, unknownPaths: 0, badRequests: 0, serverErrors: 0, runsReceived: 0, posts: 0, patches: 0, feedback: 0,
  attachments: 0, byEndpoint: {}, byEncoding: {}, rejections: [],
};

function result(stdout: string): PyProgramResult {
  return { program: "p.py", code: 0, signal: null, stdout, stderr: "", runs: [], stats, report: parseReport(stdout), forestText: "" };
}

describe("the reported Python", () => {
  it("is parsed from the flush line", () => {
    expect(parseReport("x\ntrace-nesting-oracle asyncio_context=0 lc=0 lg_future=- lg_executor=- lg_runnable=0\n")).toEqual({
      asyncioContext: "0",
      flags: { lc: "0", lg_future: "-", lg_executor: "-", lg_runnable: "0" },
    });
    expect(parseReport("no report")).toBeUndefined();
  });

  it("must match the case's python", () => {
    const on311 = result("trace-nesting-oracle asyncio_context=1 lc=1 lg_future=1 lg_executor=1 lg_runnable=1\n");
    const onSim = result("trace-nesting-oracle asyncio_context=0 lc=0 lg_future=0 lg_executor=0 lg_runnable=0\n");
    const halfSim = result("trace-nesting-oracle asyncio_context=0 lc=1 lg_future=0 lg_executor=- lg_runnable=0\n");
    expect(pyRunProblems(on311, { python: "3.11" })).toEqual([]);
    expect(pyRunProblems(onSim, { python: "3.10-sim" })).toEqual([]);
    expect(pyRunProblems(onSim, { python: "3.11" })).not.toEqual([]);
    expect(pyRunProblems(on311, { python: "3.10-sim" })).not.toEqual([]);
    expect(pyRunProblems(halfSim, { python: "3.10-sim" })).toEqual(["python 3.10-sim: library gate lc=1, expected 0"]);
    expect(pyRunProblems(result("done\n"), { python: "3.11" })).toEqual(["did not report (flush_traces was not reached)"]);
  });
});
