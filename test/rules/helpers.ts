import { RuleTester } from "@typescript-eslint/rule-tester";
import { Linter } from "eslint";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import type { TraceNestingSettings } from "../../src/js/settings.js";

export const BROWSER: TraceNestingSettings = { runtime: "browser" };
export const NODE: TraceNestingSettings = { runtime: "node" };

export function tester(settings: TraceNestingSettings = {}): RuleTester {
  return new RuleTester({ settings: { "trace-nesting": settings } });
}

export interface CaseLike {
  code: string;
  filename?: string;
  options?: readonly unknown[];
  settings?: Record<string, unknown>;
  name?: string;
}

/**
 * Lint, then apply every fix and, for problems that only offer one, the first suggestion, until nothing changes.
 * Returns the final text and the problems our rule still reports there.
 */
export function fixCompletely(ruleName: string, testCase: CaseLike, baseSettings: TraceNestingSettings) {
  const filename = testCase.filename ?? "file.ts";
  // A file of a scratch project on disk lies outside the working directory, where no flat config would match it.
  const linter = new Linter({ configType: "flat", ...(path.isAbsolute(filename) ? { cwd: path.dirname(filename) } : {}) });
  const config = [
    {
      ...plugin.configs.recommended,
      rules: { [`trace-nesting/${ruleName}`]: ["error", ...(testCase.options ?? [])] },
      settings: (testCase.settings as Record<string, unknown>) ?? { "trace-nesting": baseSettings },
    },
  ] as Linter.Config[];
  let text = testCase.code;
  for (let i = 0; i < 10; i++) {
    const fixed = linter.verifyAndFix(text, config, { filename });
    expect(fixed.messages.filter((m) => m.fatal)).toEqual([]);
    text = fixed.output;
    const withSuggestion = fixed.messages.find((m) => m.suggestions && m.suggestions.length > 0);
    if (!withSuggestion) return { text, remaining: fixed.messages };
    const { range, text: replacement } = withSuggestion.suggestions![0].fix;
    text = text.slice(0, range[0]) + replacement + text.slice(range[1]);
  }
  throw new Error("fixes did not converge");
}

/** Every invalid case whose problems all offer a fix or a suggestion ends clean after applying them. */
export function describeIdempotency(ruleName: string, cases: readonly (CaseLike & { errors: readonly { messageId: string }[] })[], baseSettings: TraceNestingSettings, reportOnly: readonly string[] = []) {
  describe(`${ruleName}: fixed output reports nothing`, () => {
    for (const testCase of cases) {
      if (testCase.errors.some((e) => reportOnly.includes(e.messageId))) continue;
      it(testCase.name ?? testCase.code.slice(0, 60), () => {
        const { text, remaining } = fixCompletely(ruleName, testCase, baseSettings);
        expect(remaining.map((m) => m.message)).toEqual([]);
        expect(text).not.toBe(testCase.code);
        // A second pass changes nothing.
        expect(fixCompletely(ruleName, { ...testCase, code: text }, baseSettings).text).toBe(text);
      });
    }
  });
}

/** The rule as RuleTester types it (the tester bundles its own copy of typescript-eslint's scope types). */
type TestedRule = Parameters<RuleTester["run"]>[1];

export function rule(name: string): TestedRule {
  const r = plugin.rules[name];
  if (!r) throw new Error(`no rule ${name}`);
  return r as unknown as TestedRule;
}

/** A scratch project on disk (a package.json and `files`), for cases whose file imports another module of the project. */
export function projectOnDisk(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "trace-nesting-files-"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** `header` (a test's imports and declarations) with `import { AsyncLocalStorage } from "node:async_hooks"` after its last import, as the bind fixes add it. */
export function withAlsImport(header: string): string {
  const lines = header.split("\n");
  let last = -1;
  lines.forEach((line, i) => {
    if (line.startsWith("import ")) last = i;
  });
  lines.splice(last + 1, 0, 'import { AsyncLocalStorage } from "node:async_hooks";');
  return lines.join("\n");
}
