/**
 * The factory behind every module in `codemods/`: a standard jscodeshift transform
 * (`transformer(file, api, options)`) that parses with typescript-estree and applies the rules' own fixes through
 * {@link transformSource}. It never uses jscodeshift's recast printer, so untouched code keeps every byte.
 *
 * Options (jscodeshift passes unknown command-line options through, JSON-parsed when they parse):
 * - `--runtime=node|browser|auto`: `settings["trace-nesting"].runtime`;
 * - `--settings='{"versions":{"p-queue":"8.1.0"}}'`: the whole `settings["trace-nesting"]` object (JSON);
 * - `--strict` (or `--portability`): the `strict` config's rule options (shared queues with free slots too;
 *   pass-runnable-config and pass-parent-run-tree also where AsyncLocalStorage carries the parent today);
 * - `--rules=a,b` (`all` only): run only these rules.
 */
import { STRICT_RULE_OPTIONS } from "../js/detectors/index.js";
import { expectProjectFileText } from "../js/project/index.js";
import type { TraceNestingSettings } from "../js/settings.js";
import { parseRuntime, transformSource, UsageError, validateRuleNames, withRuntime, type TransformOptions } from "./transform.js";

export interface CodemodFile {
  path: string;
  source: string;
}

/** The subset of jscodeshift's API a transform receives that we use. */
export interface CodemodApi {
  report?: (message: string) => void;
  [key: string]: unknown;
}

export type Transformer = (file: CodemodFile, api: CodemodApi, options?: Record<string, unknown>) => string | undefined;

function parseSettings(value: unknown): TraceNestingSettings | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "object" && !Array.isArray(value)) return value as TraceNestingSettings;
  if (typeof value === "string") {
    try {
      const parsed = JSON.parse(value) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as TraceNestingSettings;
    } catch {
      // fall through to the error below
    }
  }
  throw new UsageError(`trace-nesting codemod: --settings must be a JSON object (settings["trace-nesting"]), got ${JSON.stringify(value)}`);
}

function parseRuleList(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === true || value === "") return undefined;
  const items = Array.isArray(value) ? value.flatMap((v) => String(v).split(",")) : String(value).split(",");
  const names = items.map((s) => s.trim()).filter(Boolean);
  validateRuleNames(names);
  return names;
}

/** Translate jscodeshift options into {@link TransformOptions} for the given rules. */
export function codemodOptions(rules: readonly string[] | undefined, options: Record<string, unknown> = {}): TransformOptions {
  const settings = withRuntime(parseSettings(options.settings), parseRuntime(options.runtime));
  let selected = rules ? [...rules] : parseRuleList(options.rules);
  if (rules && options.rules !== undefined) {
    const requested = parseRuleList(options.rules) ?? [];
    selected = selected!.filter((name) => requested.includes(name));
  }
  const portability = options.strict === true || options.portability === true;
  return {
    settings,
    rules: selected,
    ruleOptions: portability ? STRICT_RULE_OPTIONS : undefined,
  };
}

/**
 * A jscodeshift transform running `rules` (all rules when undefined). Returns the new source, or `undefined` when
 * nothing changed (jscodeshift then reports the file as skipped). A file that does not parse throws an error whose
 * message starts with `file:line:column`; jscodeshift reports it and goes on with the other files.
 */
export function createTransformer(rules?: readonly string[]): Transformer {
  if (rules) validateRuleNames(rules);
  return function transformer(file, _api, options) {
    const transformOptions = codemodOptions(rules, options);
    if (transformOptions.rules && transformOptions.rules.length === 0) return undefined;
    const result = transformSource(file.source, file.path, transformOptions);
    if (!result.changed) return undefined;
    // jscodeshift writes the output once we return (unless `--dry`): the files this worker transforms next see it.
    if (options?.dry !== true) expectProjectFileText(file.path, result.output);
    return result.output;
  };
}
