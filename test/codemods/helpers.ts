import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Linter } from "eslint";
import { applyOnePass, MAX_FIX_PASSES } from "../../src/engine/apply.js";
import plugin from "../../src/index.js";
import { detectInText } from "../../src/js/run.js";
import { isJsTsFile } from "../../src/js/parse.js";
import type { TraceNestingSettings } from "../../src/js/settings.js";
import { detectRules, RULE_NAMES, type TransformOptions } from "../../src/cli/transform.js";

export const REPO = path.resolve(import.meta.dirname, "../..");
export const CASES_DIR = path.join(REPO, "fixtures/codemod");

export interface CaseConfig {
  settings?: TraceNestingSettings;
  strict?: boolean;
}

export interface FixtureCase {
  name: string;
  dir: string;
  config: CaseConfig;
  /** Input files relative to `dir`. */
  inputs: string[];
  hasTsconfig: boolean;
}

const EXPECTED = /\.expected\.[^.]+$/;

/** `src/a.ts` -> `src/a.expected.ts`. */
export function expectedPath(file: string): string {
  const ext = path.extname(file);
  return `${file.slice(0, -ext.length)}.expected${ext}`;
}

function walk(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...walk(full, base));
    else out.push(path.relative(base, full));
  }
  return out;
}

export function listCases(): FixtureCase[] {
  return readdirSync(CASES_DIR)
    .filter((name) => statSync(path.join(CASES_DIR, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = path.join(CASES_DIR, name);
      const configFile = path.join(dir, "case.json");
      const config = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, "utf8")) as CaseConfig) : {};
      const inputs = walk(dir)
        .filter((file) => isJsTsFile(file) && !EXPECTED.test(file) && !/\.d\.ts$/.test(file))
        .sort();
      return { name, dir, config, inputs, hasTsconfig: existsSync(path.join(dir, "tsconfig.json")) };
    });
}

/** The options the codemod receives from jscodeshift's command line for a case. */
export function jscodeshiftOptions(config: CaseConfig): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (config.settings) options.settings = JSON.stringify(config.settings);
  if (config.strict) options.strict = true;
  return options;
}

/** What `eslint --fix` writes for this file with the plugin's config (recommended or strict) and the case's settings. */
export function eslintFix(text: string, file: string, config: CaseConfig, cwd: string, rules: readonly string[] = RULE_NAMES) {
  const base = config.strict ? plugin.configs.strict : plugin.configs.recommended;
  const ruleEntries: Linter.RulesRecord = {};
  for (const [id, entry] of Object.entries(base.rules ?? {})) {
    ruleEntries[id] = rules.includes(id.replace(/^trace-nesting\//, "")) ? entry! : "off";
  }
  const linter = new Linter({ configType: "flat", cwd });
  const result = linter.verifyAndFix(text, [{ ...base, rules: ruleEntries, settings: { "trace-nesting": config.settings ?? {} } }], { filename: file });
  return result;
}

export function transformOptionsOf(config: CaseConfig, cwd: string, rules?: readonly string[]): TransformOptions {
  return {
    settings: config.settings,
    rules,
    ruleOptions: config.strict ? { "pass-runnable-config": { portability: true } } : undefined,
    cwd,
  };
}

export interface TrackedEdit {
  /** Where the edit sits in the original text (`-1` for text that an earlier pass inserted). */
  start: number;
  end: number;
}

/**
 * Re-run the fix loop applying each finding's individual edits (not ESLint's merged span) and keep, for every
 * character of the result, the index it had in the original (-1 for inserted text). Returns the output and the
 * edits in original coordinates. Used to prove that nothing outside the edits changes.
 */
export function fixWithOrigins(sourceText: string, file: string, options: TransformOptions) {
  const bom = sourceText.startsWith("\uFEFF") ? "\uFEFF" : "";
  let text = bom ? sourceText.slice(1) : sourceText;
  let origin: number[] = Array.from({ length: text.length }, (_, i) => i + bom.length);
  const edits: TrackedEdit[] = [];
  const rules = detectRules(options);
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const findings = detectInText(text, file, { settings: options.settings, rules, cwd: options.cwd });
    const { output, applied } = applyOnePass(text, findings);
    if (applied.length === 0) break;
    const passEdits = applied.flatMap((finding) => finding.edits).sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
    let next = "";
    const nextOrigin: number[] = [];
    let position = 0;
    for (const edit of passEdits) {
      const [start, end] = edit.range;
      if (start < position) throw new Error("overlapping edits in one pass");
      next += text.slice(position, start);
      nextOrigin.push(...origin.slice(position, start));
      next += edit.text;
      for (let i = 0; i < edit.text.length; i++) nextOrigin.push(-1);
      const mappedStart = start < origin.length ? origin[start] : sourceText.length;
      const mappedEnd = end > start ? origin[end - 1] + 1 : mappedStart;
      edits.push({ start: mappedStart, end: mappedEnd });
      position = end;
    }
    next += text.slice(position);
    nextOrigin.push(...origin.slice(position));
    if (next !== output) throw new Error(`pass ${pass + 1}: applying the edits one by one differs from the merged application`);
    text = next;
    origin = nextOrigin;
  }
  return { output: bom + text, origin, edits };
}
