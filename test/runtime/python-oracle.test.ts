/**
 * The Python runtime oracle: every fixture under fixtures/python/runtime/ runs with the real `langsmith`,
 * `langchain-core` and `langgraph` Python packages (the venv of scripts/python-env.sh) against the local recorder
 * and must produce the tree its case declares; hand-written fixed forms and look-alikes must nest. Cases that
 * declare `lint` checks are linted and fixed with src/python (lintPython / fixPython) and the fix output is run.
 * A missing venv, or a missing src/python for a case that declares lint checks, fails the suite: it never skips.
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyOnePass } from "../../src/engine/apply.js";
import type { Finding } from "../../src/engine/types.js";
import {
  PY_RULES,
  createPool,
  isRule,
  loadPyCases,
  loadPythonEngine,
  pyRunProblems,
  requireVenv,
  runPythonProgram,
  shapeProblems,
  type PyLintCheck,
  type PyLoadedCase,
  type PyProgramResult,
  type PyVersion,
} from "./python-harness.js";

const cases = loadPyCases();
/** A Python program takes 2-10 s (interpreter start, imports, flush) and waits for a free slot of two. */
const RUN_TIMEOUT_MS = 240_000;
const pool = createPool(2);
const results = new Map<string, Promise<PyProgramResult>>();
const tempFiles: string[] = [];

function run(program: string, python: PyVersion, env?: Record<string, string>): Promise<PyProgramResult> {
  const key = `${program}\0${python}\0${JSON.stringify(env ?? {})}`;
  let result = results.get(key);
  if (!result) {
    result = pool(() => runPythonProgram(program, python, env));
    results.set(key, result);
  }
  return result;
}

afterAll(() => {
  for (const file of tempFiles) rmSync(file, { force: true });
});

/** A fixed form or fix output: it must run cleanly on the case's Python and nest (the case's stdout/stderr texts
 * describe the broken program, e.g. the exception a look-right-but-fails form raises). */
function assertNested(result: PyProgramResult, c: PyLoadedCase): void {
  expect(pyRunProblems(result, { python: c.python }), `${result.program}\n${result.forestText}`).toEqual([]);
  expect(shapeProblems(result.runs, c.expect, "nested"), `${result.program}\n${result.forestText}`).toEqual([]);
}

describe("the Python environment", () => {
  it("is installed (scripts/python-env.sh)", () => {
    expect(requireVenv()).toMatch(/python$/);
  });
});

describe("Python fixture declarations", () => {
  it("cover every Python rule", () => {
    for (const rule of PY_RULES) expect(cases.filter((c) => c.rule === rule).length, rule).toBeGreaterThan(0);
  });

  it("have broken programs and look-alikes for the rules that fix", () => {
    for (const rule of ["py-context-to-thread", "py-pass-config-pre-311", "py-propagate-trace-headers", "py-continue-distributed-trace"]) {
      const mine = cases.filter((c) => c.rule === rule);
      expect(mine.filter((c) => c.kind === "broken").length, rule).toBeGreaterThan(0);
      expect(mine.filter((c) => c.kind === "lookalike").length, rule).toBeGreaterThan(0);
    }
  });

  it("run the < 3.11 split cases on the simulation and the same code on 3.11", () => {
    const sim = cases.filter((c) => c.rule === "py-pass-config-pre-311" && c.kind === "broken");
    expect(sim.length).toBeGreaterThan(0);
    for (const c of sim) {
      expect(c.python, c.id).toBe("3.10-sim");
      expect(
        cases.some((o) => o.python === "3.11" && o.kind === "lookalike" && path.resolve(o.program) === path.resolve(c.program)),
        `${c.id}: a 3.11 look-alike running the same program`,
      ).toBe(true);
    }
  });
});

describe.concurrent.each(cases)("$id (python $python, $kind): $title", (c) => {
  const phase = c.kind === "lookalike" ? "nested" : "as-declared";

  it(c.kind === "lookalike" ? "runs NESTED" : c.kind === "broken" ? "runs SPLIT as declared" : "runs as measured", async () => {
    const result = await run(c.program, c.python, c.env);
    expect(pyRunProblems(result, c), `${c.program}\n${result.forestText}`).toEqual([]);
    expect(shapeProblems(result.runs, c.expect, phase), `${c.program}\n${result.forestText}`).toEqual([]);
  }, RUN_TIMEOUT_MS);

  if (c.fixedProgram) {
    const fixedProgram = c.fixedProgram;
    it("its hand-written fixed form runs NESTED", async () => {
      assertNested(await run(fixedProgram, c.python, c.env), c);
    }, RUN_TIMEOUT_MS);
  }

  for (const check of c.lintChecks) {
    it(`lint with src/python: ${check.findings} finding(s)${check.apply === "fix" || check.apply === "suggestion" ? `, ${check.apply} applied and run` : ""}`, async () => {
      await lintCheck(c, check);
    }, RUN_TIMEOUT_MS);
  }
});

async function lintCheck(c: PyLoadedCase, check: PyLintCheck): Promise<void> {
  const engine = await loadPythonEngine();
  const text = readFileSync(c.program, "utf8");
  const all = await engine.lintPython(text, c.program, check.settings);
  // A look-alike nests: every Python rule stays silent on it, not only the case's own.
  if (c.kind === "lookalike") expect(all.map((f) => `${f.ruleId} ${f.line ?? f.range?.[0]} ${f.message ?? f.messageId}`), `findings in ${c.program}`).toEqual([]);
  const findings = all.filter((f) => isRule(f, c.rule));
  expect(findings.map((f) => `${f.line ?? f.range?.[0]} ${f.message ?? f.messageId}`), `findings of ${c.rule} in ${c.program}`).toHaveLength(check.findings);
  if (check.fixKind) expect(findings.map((f) => f.fixKind)).toEqual(findings.map(() => check.fixKind));
  if (c.fixedProgram) {
    const fixedFindings = (await engine.lintPython(readFileSync(c.fixedProgram, "utf8"), c.fixedProgram, check.settings)).filter((f) => isRule(f, c.rule));
    expect(fixedFindings.map((f) => f.message ?? f.messageId), `${c.fixedProgram} still has findings`).toEqual([]);
  }
  if (check.apply !== "fix" && check.apply !== "suggestion") return;
  let output: string;
  if (check.apply === "fix") {
    output = (await engine.fixPython(text, c.program, check.settings)).output;
    expect(output, "the fix changed nothing").not.toBe(text);
  } else {
    // The rule's suggestions (and fixes), applied in one pass as an editor user would accept them.
    output = applyOnePass(text, findings as unknown as Finding[], ["fix", "suggestion"]).output;
    expect(output, "the suggestions changed nothing").not.toBe(text);
  }
  const remaining = (await engine.lintPython(output, c.program, check.settings)).filter((f) => isRule(f, c.rule));
  expect(remaining.map((f) => f.message ?? f.messageId), `findings left after applying (${check.apply})`).toEqual([]);
  if (c.fixedProgram && check.sameAsFixed !== false) expect(output).toBe(readFileSync(c.fixedProgram, "utf8"));
  const hash = createHash("sha256").update(output).digest("hex").slice(0, 12);
  const file = path.join(path.dirname(c.program), `.oracle-${path.basename(c.program, ".py")}-${hash}.py`);
  if (!tempFiles.includes(file)) {
    writeFileSync(file, output);
    tempFiles.push(file);
  }
  assertNested(await run(file, c.python, c.env), c);
}
