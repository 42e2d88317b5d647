/**
 * The one place where a file's text is fixed outside ESLint: the codemods, `trace-nesting fix` and its worker
 * threads all call {@link transformSource}, which runs the rules' detectors and applies their edits with the
 * ESLint-identical fix loop, so the output is byte for byte what `eslint --fix` writes with the same rules.
 */
import { fixToFixpoint } from "../engine/apply.js";
import type { FixKind } from "../engine/types.js";
import { jsDetectors } from "../js/detectors/index.js";
import { SourceParseError } from "../js/parse.js";
import { detectInText, type JsFinding } from "../js/run.js";
import { resolveSettings, type TraceNestingSettings } from "../js/settings.js";
import { validateRuleNames } from "./usage.js";

export { ALL_RULE_NAMES, parseRuntime, RUNTIMES, UsageError, validateRuleNames, withRuntime } from "./usage.js";

/** The JavaScript rules' names, in order (the codemods' rules). */
export const RULE_NAMES: readonly string[] = jsDetectors.map((detector) => detector.meta.name);
const JS_RULE_NAMES = RULE_NAMES;

export interface TransformOptions {
  /** `settings["trace-nesting"]`, as in an ESLint config. */
  settings?: TraceNestingSettings;
  /** Rules to run (names without the plugin prefix); all when omitted. */
  rules?: readonly string[];
  /** Options per rule, e.g. `{ "pass-runnable-config": { portability: true } }`. */
  ruleOptions?: Readonly<Record<string, Record<string, unknown>>>;
  /** Directory that relative file names and `browserFiles` globs are resolved against. */
  cwd?: string;
}

/** A finding as plain data (no AST), safe to send between threads and to print as JSON. */
export interface PlainFinding {
  rule: string;
  messageId: string;
  message: string;
  /** `fix`: applied by `--fix` (left over only when fixes did not converge); `suggestion`: offered in editors; `none`: report only. */
  kind: FixKind;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** What the editor suggestion would do, for `suggestion` findings. */
  suggestion?: string;
}

export interface TransformResult {
  output: string;
  changed: boolean;
  /** Fixes applied over all passes. */
  fixesApplied: number;
  /** Findings left in the output: they need a person. */
  remaining: PlainFinding[];
}

/** A bug in a fix: the fixed text no longer parses. The file is left as it was. */
export class FixProducedInvalidCodeError extends Error {
  constructor(
    readonly filename: string,
    readonly parseError: SourceParseError,
  ) {
    super(
      `${filename}: applying the fixes produced code that does not parse (${parseError.reason} at ${parseError.line}:${parseError.column} of the fixed text); the file was left unchanged. This is a bug in trace-nesting: please report it with the file.`,
    );
    this.name = "FixProducedInvalidCodeError";
  }
}

/** The `rules` argument of `detectInText` for these options. */
export function detectRules(options: TransformOptions): Record<string, Record<string, unknown> | undefined> {
  const names = options.rules && options.rules.length > 0 ? options.rules : JS_RULE_NAMES;
  validateRuleNames(names);
  const rules: Record<string, Record<string, unknown> | undefined> = {};
  for (const name of names) if (JS_RULE_NAMES.includes(name)) rules[name] = options.ruleOptions?.[name];
  return rules;
}

export function toPlainFinding(finding: JsFinding): PlainFinding {
  const plain: PlainFinding = {
    rule: finding.ruleName,
    messageId: finding.messageId,
    message: finding.message,
    kind: finding.fixKind,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
  };
  if (finding.fixKind === "suggestion" && finding.suggestionMessage) plain.suggestion = finding.suggestionMessage;
  return plain;
}

/**
 * Fix `text` (the content of `filename`) to a fixpoint with the selected rules. Throws `SourceParseError` (file,
 * line, column) when the file does not parse, {@link FixProducedInvalidCodeError} if a fix broke the syntax.
 */
export function transformSource(text: string, filename: string, options: TransformOptions = {}): TransformResult {
  const rules = detectRules(options);
  const settings = options.settings;
  if (settings) resolveSettings(settings); // validate once, with a clear message
  let pass = 0;
  const result = fixToFixpoint(text, (current) => {
    try {
      return detectInText(current, filename, { settings, rules, cwd: options.cwd });
    } catch (error) {
      if (pass > 0 && error instanceof SourceParseError) throw new FixProducedInvalidCodeError(filename, error);
      throw error;
    } finally {
      pass++;
    }
  });
  return {
    output: result.output,
    changed: result.changed,
    fixesApplied: result.fixesApplied,
    remaining: result.remaining.map(toPlainFinding),
  };
}
