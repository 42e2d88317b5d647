/**
 * The runtime oracle: every fixture under fixtures/runtime/ runs against the local recorder and must produce the
 * tree its case declares; every broken fixture is linted with the real rule, fixed as `eslint --fix` would, and
 * the fixed source is run to prove that it nests. Look-alikes (code that nests) must lint clean.
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  createPool,
  fixKindOf,
  lintAndFix,
  lintCompanion,
  loadCases,
  retargetModule,
  runProblems,
  runProgram,
  shapeProblems,
  type LintCheck,
  type LoadedCase,
  type ProgramResult,
} from "./harness.js";

const cases = loadCases();
const pool = createPool(2);
const results = new Map<string, Promise<ProgramResult>>();
const tempFiles: string[] = [];

function run(program: string, env?: Record<string, string>): Promise<ProgramResult> {
  const key = `${program}\0${JSON.stringify(env ?? {})}`;
  let result = results.get(key);
  if (!result) {
    result = pool(() => runProgram(program, env));
    results.set(key, result);
  }
  return result;
}

/** Write fix output next to its fixture (so its imports resolve) and run it. */
function runSource(c: LoadedCase, source: string): Promise<ProgramResult> {
  return run(writeTemp(c.program, source), c.env);
}

function writeTemp(original: string, source: string): string {
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 12);
  const file = path.join(path.dirname(original), `.oracle-${path.basename(original, path.extname(original))}-${hash}${path.extname(original)}`);
  if (!tempFiles.includes(file)) {
    writeFileSync(file, source);
    tempFiles.push(file);
  }
  return file;
}

afterAll(() => {
  for (const file of tempFiles) rmSync(file, { force: true });
});

function describeCheck(check: LintCheck): string {
  const where = check.options ? `options ${JSON.stringify(check.options)}` : (check.config ?? "recommended");
  const settings = check.settings ? ` settings ${JSON.stringify(check.settings)}` : "";
  const apply = check.apply && check.apply !== "none" ? `, ${check.apply} applied and run` : "";
  return `${where}${settings}: ${check.findings} finding(s)${apply}`;
}

function assertNested(result: ProgramResult, c: LoadedCase): void {
  expect(runProblems(result, { ...c, mode: c.fixedMode ?? c.mode }), `${result.program}\n${result.forestText}`).toEqual([]);
  expect(shapeProblems(result.runs, c.expect, "nested"), `${result.program}\n${result.forestText}`).toEqual([]);
}

describe("fixture declarations", () => {
  it("cover every rule with broken programs and look-alikes", () => {
    for (const rule of ["pass-runnable-config", "bind-detached-callback", "bind-queued-task", "propagate-trace-headers", "continue-distributed-trace", "propagate-trace-to-worker", "continue-trace-in-worker", "no-detached-iterator", "pass-parent-run-tree", "set-up-async-context"]) {
      const mine = cases.filter((c) => c.rule === rule);
      expect(mine.filter((c) => c.kind === "broken").length, rule).toBeGreaterThan(0);
      expect(mine.filter((c) => c.kind === "lookalike").length, rule).toBeGreaterThan(0);
    }
  });

  it("cover every runtime mode pass-runnable-config cares about", () => {
    const modes = new Set(cases.filter((c) => c.rule === "pass-runnable-config" && c.kind === "broken").map((c) => c.mode));
    // `als`: callbacks of one call kept for later calls split with AsyncLocalStorage too (als-memoized-callbacks).
    expect([...modes].sort()).toEqual(["als", "core-only", "mock", "web"]);
  });

  it("declare a split for every broken program", () => {
    for (const c of cases.filter((c) => c.kind === "broken")) {
      expect(c.expect.some((e) => e.split), c.id).toBe(true);
      expect(c.lintChecks.some((check) => check.findings > 0) || (c.companion?.findings ?? 0) > 0, c.id).toBe(true);
    }
  });
});

describe.concurrent.each(cases)("$id ($mode, $kind): $title", (c) => {
  const phase = c.kind === "lookalike" ? "nested" : "as-declared";

  it(c.kind === "lookalike" ? "runs NESTED" : c.kind === "broken" ? "runs SPLIT as declared" : "runs as measured", async () => {
    const result = await run(c.program, c.env);
    expect(runProblems(result, c), `${c.program}\n${result.forestText}`).toEqual([]);
    expect(shapeProblems(result.runs, c.expect, phase), `${c.program}\n${result.forestText}`).toEqual([]);
  });

  if (c.fixedProgram) {
    const fixedProgram = c.fixedProgram;
    it("its hand-written fixed form runs NESTED", async () => {
      assertNested(await run(fixedProgram, c.env), c);
    });
  }

  for (const check of c.lintChecks) {
    it(`lint, ${describeCheck(check)}`, async () => {
      const outcome = lintAndFix(c, check);
      expect(outcome.otherMessages, "parse errors or rule crashes").toEqual([]);
      expect(
        outcome.findings.map((m) => `${m.line}:${m.column} ${m.message}`),
        `findings of ${c.rule} in ${c.program}`,
      ).toHaveLength(check.findings);
      if (check.fixKind) expect(outcome.findings.map(fixKindOf)).toEqual(outcome.findings.map(() => check.fixKind));
      if (c.fixedProgram) {
        // The hand-written fixed form is what the fix should produce: it must lint clean too.
        const fixedLint = lintAndFix({ ...c, program: c.fixedProgram }, { ...check, apply: "none" });
        expect(fixedLint.otherMessages).toEqual([]);
        expect(fixedLint.findings.map((m) => m.message), `${c.fixedProgram} still has findings`).toEqual([]);
      }
      const companion = c.companion ? lintCompanion(c, check) : undefined;
      if (companion) {
        expect(companion.otherMessages, "parse errors or rule crashes in the companion").toEqual([]);
        expect(companion.findings.map((m) => `${m.line}:${m.column} ${m.message}`), `findings of ${c.companion!.rule} in ${c.companion!.file}`).toHaveLength(c.companion!.findings);
        const fixedCompanion = lintAndFix({ ...c, rule: c.companion!.rule, program: c.companionFixed! }, { ...check, options: undefined, apply: "none" });
        expect(fixedCompanion.findings.map((m) => m.message), `${c.companion!.fixed} still has findings`).toEqual([]);
      }
      if (!check.apply || check.apply === "none") return;
      expect(outcome.remaining.map((m) => m.message), "findings left after fixing").toEqual([]);
      // A program that only hands its companion what it submits to (an injected queue) has nothing of its own to fix.
      if (!companion || check.findings > 0) expect(outcome.output, "the fix changed nothing").not.toBe(readFileSync(c.program, "utf8"));
      let output = outcome.output;
      if (companion && c.companion) {
        // Both files fixed in one run: the fixed caller loads the fixed worker module.
        expect(companion.remaining.map((m) => m.message), "companion findings left after fixing").toEqual([]);
        expect(companion.output, `companion fix output differs from ${c.companion.fixed}`).toBe(readFileSync(c.companionFixed!, "utf8"));
        if (c.fixedProgram && check.sameAsFixed !== false) {
          const expected = retargetModule(readFileSync(c.fixedProgram, "utf8"), c.companion.fixed, c.companion.file);
          expect(output, `fix output differs from ${c.fixed}`).toBe(expected);
        }
        output = retargetModule(output, c.companion.file, path.basename(writeTemp(c.companionFile!, companion.output)));
      } else if (c.fixedProgram && check.sameAsFixed !== false) {
        expect(outcome.output, `fix output differs from ${c.fixed}`).toBe(readFileSync(c.fixedProgram, "utf8"));
      }
      assertNested(await runSource(c, output), c);
    });
  }
});
