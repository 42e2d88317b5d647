/**
 * `check` on files no project ESLint config covers: the config there is ours, so the detectors can run on each file
 * directly, with the parser, parser options, rules, rule options and settings ESLint would use (read from the very
 * ESLint instance that would lint the file), and without ESLint's traversal, code-path analysis and `loc` on every
 * node. Most files have nothing to report: their result is an empty one, as ESLint's would be. A file with any finding,
 * a file that does not parse, a file with comments ESLint reads (`eslint-disable`, inline configs) and a file where a
 * detector throws go to ESLint itself, so that everything reported, suppressed or fixed in the
 * report is ESLint's own doing (directives, severities, fixes, suggestions, parse errors, crashes).
 */
import path from "node:path";
import type { ESLint, Linter } from "eslint";
import type { TSESTree } from "@typescript-eslint/utils";
import { detectorByName } from "../js/detectors/index.js";
import type { CommonOptions, JsDetector } from "../js/detectors/types.js";
import { getModel } from "../js/model.js";
import { keepParse } from "../js/parse.js";
import { precheckSource, worthModelling } from "../js/precheck.js";
import { resolveOptions } from "../js/run.js";
import type { MinimalScopeManager } from "../js/scope.js";
import { settingsFromEslint } from "../js/settings.js";

const NAMESPACE = "trace-nesting";
/** ESLint's: a shebang is parsed as a line comment of the same length. */
const SHEBANG = /^#!([^\r\n\u2028\u2029]*)/u;
/**
 * A comment ESLint reads: an inline config (`/* eslint rule: ... *\/`, which could turn one of our rules on), a
 * directive (`eslint-disable`, `eslint-enable`, `eslint-env`). ESLint may report on it (a rule it does not know, an
 * `eslint-env` comment), and such a file's result carries its source even after `check` keeps only our messages.
 */
const ESLINT_COMMENT = /\/[/*]\s*eslint[\s-]/;

/** ESLint's result for a file with nothing to report (`check` keeps only our rules' messages). */
function emptyResult(filePath: string): ESLint.LintResult {
  return {
    filePath,
    messages: [],
    suppressedMessages: [],
    errorCount: 0,
    fatalErrorCount: 0,
    warningCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
  } as ESLint.LintResult;
}

/**
 * Whether our detectors find anything in `text` under ESLint's config for `file`: false means ESLint would report
 * nothing of ours (an empty result); true means ESLint must lint the file.
 */
async function mayReport(
  eslint: ESLint,
  cwd: string,
  file: string,
  text: string,
  ruleFilter: (rule: { ruleId: string }) => boolean,
  parser: Linter.Parser,
  configs: Map<string, Promise<Linter.Config | undefined>>,
): Promise<boolean> {
  if (ESLINT_COMMENT.test(text)) return true;
  // Our configs (and ESLint's defaults) tell files apart by their extension only: one config per extension.
  const extension = path.extname(file);
  let pending = configs.get(extension);
  if (!pending) configs.set(extension, (pending = eslint.calculateConfigForFile(file) as Promise<Linter.Config | undefined>));
  const config = await pending;
  if (!config) return true;
  const languageOptions = (config.languageOptions ?? {}) as Record<string, unknown>;
  // Our config's parser only: another one would build another AST, and ESLint must run it.
  if (languageOptions.parser !== parser || !("parseForESLint" in parser)) return true;
  const rules: [JsDetector<CommonOptions>, unknown][] = [];
  for (const [ruleId, entry] of Object.entries(config.rules ?? {})) {
    const severity = Array.isArray(entry) ? entry[0] : entry;
    if (severity === 0 || severity === "off" || !ruleFilter({ ruleId })) continue;
    const detector = ruleId.startsWith(`${NAMESPACE}/`) ? detectorByName(ruleId.slice(NAMESPACE.length + 1)) : undefined;
    if (!detector) return true;
    rules.push([detector, Array.isArray(entry) ? entry[1] : undefined]);
  }
  if (rules.length === 0) return false;
  const settings = settingsFromEslint(config.settings as Record<string, unknown> | undefined);
  // As ESLint's JavaScript language parses (BOM already removed by the caller).
  const parserOptions = Object.assign(
    { ecmaVersion: languageOptions.ecmaVersion, sourceType: languageOptions.sourceType },
    languageOptions.parserOptions as Record<string, unknown> | undefined,
    { loc: true, range: true, tokens: true, comment: true, eslintVisitorKeys: true, eslintScopeManager: true, filePath: file, locations: false },
  );
  const source = { text };
  let parsed: Linter.ESLintParseResult;
  try {
    if (!precheckSource(source, settings, file, cwd)) return false;
    parsed = parser.parseForESLint(text.replace(SHEBANG, (_match, rest: string) => `//${rest}`), parserOptions) as Linter.ESLintParseResult;
  } catch {
    return true; // ESLint reports the parse error
  }
  const program = parsed.ast as unknown as TSESTree.Program;
  if (!worthModelling(source, program, settings, file, cwd)) return false;
  try {
    const model = getModel({
      ast: program,
      scopeManager: parsed.scopeManager as unknown as MinimalScopeManager,
      text,
      filename: file,
      settings,
      cwd: cwd,
      visitorKeys: parsed.visitorKeys as Record<string, readonly string[]>,
    });
    for (const [detector, options] of rules) {
      if (detector.detect(model, resolveOptions(detector, options as Partial<CommonOptions> | undefined)).length > 0) return true;
    }
  } catch {
    return true; // ESLint reports the crash
  }
  return false;
}

/**
 * Lint `files` (absolute, under `eslint`'s working directory; `texts` holds what was read of them) with our detectors
 * where ESLint would only find nothing, and with `eslint` where it may report something.
 */
export async function lintWithoutProjectConfig(
  eslint: ESLint,
  cwd: string,
  files: readonly string[],
  texts: ReadonlyMap<string, { text: string }>,
  ruleFilter: (rule: { ruleId: string }) => boolean,
  parser: Linter.Parser,
  lint: (eslint: ESLint, files: readonly string[]) => Promise<ESLint.LintResult[]>,
): Promise<ESLint.LintResult[]> {
  const results: ESLint.LintResult[] = [];
  const toEslint: string[] = [];
  const configs = new Map<string, Promise<Linter.Config | undefined>>();
  for (const file of files) {
    const read = texts.get(file);
    let text = read?.text;
    if (text === undefined) {
      toEslint.push(file);
      continue;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (await mayReport(eslint, cwd, file, text, ruleFilter, parser, configs)) {
      toEslint.push(file);
      keepParse(file); // ESLint gets the same AST, and the rules the same model
    } else results.push(emptyResult(file));
  }
  results.push(...(await lint(eslint, toEslint)));
  return results;
}
