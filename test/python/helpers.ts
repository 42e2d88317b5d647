import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyOnePass } from "../../src/engine/apply.js";
import { fixPython, lintPython } from "../../src/python/index.js";

/** A fresh project directory (with a pyproject.toml marker so the project index stays inside it). */
export function tempProject(files: Record<string, string> = {}, pyproject = "[project]\nname = \"app\"\n"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tn-py-"));
  writeFileSync(path.join(dir, "pyproject.toml"), pyproject);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export interface PyCase {
  name?: string;
  code: string;
  /** Other files of the project (relative paths). */
  files?: Record<string, string>;
  settings?: Record<string, unknown>;
  /** pyproject.toml content (default: a project without requires-python). */
  pyproject?: string;
  /** File name inside the project (default `app.py`). */
  filename?: string;
}

export interface PyInvalidCase extends PyCase {
  errors: string[];
  /** Text after applying this rule's fixes to a fixpoint (omit: unchanged). */
  output?: string;
  /** Every message matches this (e.g. the version it assumed and where it read it). */
  message?: RegExp;
  /** Text after applying the first suggestion (suggestion findings only). */
  suggestion?: string;
}

const DEFAULT_SETTINGS = { python: "3.10" };

export async function run(rule: string, testCase: PyCase) {
  const dir = tempProject({ ...(testCase.files ?? {}), [testCase.filename ?? "app.py"]: testCase.code }, testCase.pyproject);
  const filename = path.join(dir, testCase.filename ?? "app.py");
  const settings = { ...DEFAULT_SETTINGS, ...(testCase.settings ?? {}) };
  const findings = await lintPython(testCase.code, filename, settings, { rules: [rule] });
  const fixed = await fixPython(testCase.code, filename, settings, { rules: [rule] });
  return { findings, fixed, filename, settings };
}

/** Valid cases report nothing; invalid cases report exactly `errors` and fix to `output`; fixing again changes nothing. */
export function describeRule(rule: string, cases: { valid: PyCase[]; invalid: PyInvalidCase[] }) {
  describe(rule, () => {
    describe("valid", () => {
      for (const testCase of cases.valid) {
        it(testCase.name ?? testCase.code.slice(0, 70), async () => {
          const { findings } = await run(rule, testCase);
          expect(findings.map((f) => `${f.line}:${f.messageId}`)).toEqual([]);
        });
      }
    });
    describe("invalid", () => {
      for (const testCase of cases.invalid) {
        it(testCase.name ?? testCase.code.slice(0, 70), async () => {
          const { findings, fixed, filename, settings } = await run(rule, testCase);
          expect(findings.map((f) => f.messageId)).toEqual(testCase.errors);
          for (const finding of findings) expect(finding.message).toMatch(/\(Python \d+\.\d+: .+\.\)$/);
          if (testCase.message) for (const finding of findings) expect(finding.message).toMatch(testCase.message);
          expect(fixed.output).toBe(testCase.output ?? testCase.code);
          // Idempotency: fixing the fixed text changes nothing.
          const again = await fixPython(fixed.output, filename, settings, { rules: [rule] });
          expect(again.output).toBe(fixed.output);
          if (testCase.suggestion !== undefined) {
            const suggested = findings.find((f) => f.fixKind === "suggestion");
            expect(suggested).toBeDefined();
            const applied = applyOnePass(testCase.code, [suggested!], ["suggestion"]);
            expect(applied.output).toBe(testCase.suggestion);
          }
        });
      }
    });
  });
}
