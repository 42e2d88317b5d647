/**
 * Python files in `check` and `fix`: which paths name Python files, and the Python engine's results in the shapes
 * the two commands already print (ESLint lint results for `check`, plain findings and changed files for `fix`).
 * Python files are linted by the Python engine directly (`src/python/`), with the settings given on the command
 * line (`--settings`, `--python`); the project's ESLint config does not apply to them.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { ESLint, Linter } from "eslint";
import { mergeEdits } from "../engine/apply.js";
import { fixPython, initPythonParser, lintPython, PythonParseError, pythonPrecheck, pythonPrecheckDetectors, type PyLintFinding } from "../python/index.js";
import type { PyDetector } from "../python/detectors/types.js";
import { PY_RULE_NAMES } from "../python/detectors/index.js";
import { withKnownTexts } from "../python/project.js";
import { resolvePySettings } from "../python/settings.js";
import type { TraceNestingSettings } from "../js/settings.js";
import { collectFiles } from "./files.js";
import { displayPath } from "./options.js";
import type { PlainFinding } from "./transform.js";
import { UsageError } from "./usage.js";

export const LANGS = ["js", "python"] as const;
export type Lang = (typeof LANGS)[number];

const NAMESPACE = "trace-nesting";

/** Validate `--lang`. */
export function parseLang(value: string | undefined): Lang | undefined {
  if (value === undefined) return undefined;
  if (!(LANGS as readonly string[]).includes(value)) throw new UsageError(`--lang must be one of ${LANGS.join(", ")}, got ${JSON.stringify(value)}`);
  return value as Lang;
}

/** The settings with `--python` applied, validated. */
export function pythonSettings(settings: TraceNestingSettings | undefined, python: string | undefined): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...((settings as Record<string, unknown> | undefined) ?? {}) };
  if (python !== undefined) merged.python = python;
  try {
    resolvePySettings(merged);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^trace-nesting: /, ""));
  }
  return merged;
}

/** Split the command's paths: named `.py` files go to Python only, named JS/TS files to JavaScript only. */
export function splitPaths(cwd: string, paths: readonly string[], lang: Lang | undefined): { js: string[]; python: string[] } {
  const js: string[] = [];
  const python: string[] = [];
  for (const given of paths) {
    let isFile = false;
    try {
      isFile = statSync(path.resolve(cwd, given)).isFile();
    } catch {
      // globs and missing paths: both collectors see them
    }
    const isPy = isFile && given.toLowerCase().endsWith(".py");
    if (lang !== "python" && !isPy) js.push(given);
    if (lang !== "js" && (isPy || !isFile)) python.push(given);
  }
  return { js, python };
}

export interface PythonFiles {
  files: string[];
  gitignored: number;
}

/** The `.py` files under the paths (none when `paths` is empty). */
export async function collectPythonFiles(cwd: string, paths: readonly string[], noIgnore: boolean, onlyPython = false): Promise<PythonFiles> {
  if (paths.length === 0) return { files: [], gitignored: 0 };
  // Compiling the parser's WebAssembly (asynchronous, partly on other threads) goes on while the files are listed and
  // read; a failure surfaces where the parser is awaited.
  initPythonParser().catch(() => undefined);
  try {
    return await collectFiles({ cwd, paths, skipBuildOutput: !noIgnore, respectGitignore: !noIgnore, language: "python" });
  } catch (error) {
    // A path that does not exist is reported by the JavaScript side when it also looks at it.
    if (!onlyPython && error instanceof UsageError && /no such file or directory/.test(error.message)) return { files: [], gitignored: 0 };
    throw error;
  }
}

export function selectedPyRules(rules: readonly string[] | undefined): string[] | undefined {
  if (!rules || rules.length === 0) return undefined;
  return rules.filter((rule) => PY_RULE_NAMES.includes(rule));
}

function toLintMessage(text: string, finding: PyLintFinding): Linter.LintMessage {
  const message: Linter.LintMessage = {
    ruleId: `${NAMESPACE}/${finding.ruleId}`,
    severity: 2,
    message: finding.message,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    messageId: finding.messageId,
  };
  const merged = mergeEdits(text, finding.edits);
  if (merged && finding.fixKind === "fix") message.fix = { range: [merged.range[0], merged.range[1]], text: merged.text };
  if (merged && finding.fixKind === "suggestion") {
    message.suggestions = [{ desc: finding.suggestion ?? "", messageId: finding.suggestionMessageId, fix: { range: [merged.range[0], merged.range[1]], text: merged.text } }];
  }
  return message;
}

export interface PythonCheckResult {
  results: ESLint.LintResult[];
  skippedByPrecheck: number;
}

/** Lint Python files; results in ESLint's shape so every `check` format prints them. */
export async function checkPythonFiles(files: readonly string[], options: { cwd: string; settings: Record<string, unknown>; rules?: readonly string[] }): Promise<PythonCheckResult> {
  const rules = selectedPyRules(options.rules);
  const results: ESLint.LintResult[] = [];
  let skippedByPrecheck = 0;
  if (rules && rules.length === 0) return { results, skippedByPrecheck: files.length };
  // Every file is read first: the project index (graph registrations in other modules) reads the texts from here.
  const texts = new Map<string, string>();
  for (const file of files) {
    try {
      // Synchronous reads: many small files, read one after the other, are faster so than through promises.
      texts.set(file, readFileSync(file, "utf8"));
    } catch (error) {
      const messages = [{ ruleId: null, fatal: true, severity: 2, message: `could not read the file: ${(error as Error).message}`, line: 1, column: 1 } as Linter.LintMessage];
      results.push(lintResult(file, messages));
    }
  }
  // The pre-check may parse other modules of the project (graph registrations): the parser must be loaded.
  await initPythonParser();
  return withKnownTexts(texts, async () => {
    skippedByPrecheck = await lintPythonTexts(texts, options, rules, results);
    return { results, skippedByPrecheck };
  });
}

/** Pre-check and lint the texts read; returns how many the pre-check skipped. */
async function lintPythonTexts(texts: ReadonlyMap<string, string>, options: { cwd: string; settings: Record<string, unknown> }, rules: string[] | undefined, results: ESLint.LintResult[]): Promise<number> {
  let skippedByPrecheck = 0;
  const tasks: { file: string; text: string; detectors: PyDetector[] }[] = [];
  for (const [file, text] of texts) {
    const detectors = pythonPrecheckDetectors(text, file, options.settings, { rules, cwd: options.cwd });
    if (detectors.length === 0) {
      skippedByPrecheck++;
      continue;
    }
    tasks.push({ file, text, detectors });
  }
  for (const { file, text, detectors } of tasks) {
    let messages: Linter.LintMessage[];
    try {
      const findings = await lintPython(text, file, options.settings, { rules, cwd: options.cwd, detectors });
      const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
      messages = findings.map((finding) => toLintMessage(body, finding));
    } catch (error) {
      if (!(error instanceof PythonParseError)) throw error;
      messages = [{ ruleId: null, fatal: true, severity: 2, message: `Parsing error: ${error.reason}`, line: error.line, column: error.column + 1 } as Linter.LintMessage];
    }
    results.push(lintResult(file, messages));
  }
  return skippedByPrecheck;
}

function lintResult(file: string, messages: Linter.LintMessage[]): ESLint.LintResult {
  const errors = messages.filter((m) => m.severity === 2);
  return {
    filePath: file,
    messages,
    suppressedMessages: [],
    errorCount: errors.length,
    fatalErrorCount: messages.filter((m) => m.fatal).length,
    warningCount: messages.length - errors.length,
    fixableErrorCount: errors.filter((m) => m.fix).length,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
  } as ESLint.LintResult;
}

export interface PythonFixed {
  absolute: string;
  display: string;
  bytes: Buffer;
  text: string;
  output: string;
  fixesApplied: number;
}

export interface PythonFixResult {
  changed: PythonFixed[];
  needsPerson: (PlainFinding & { file: string })[];
  errors: { file: string; kind: "parse" | "encoding" | "read" | "internal"; message: string; line?: number; column?: number }[];
  skippedByPrecheck: number;
  analyzed: number;
}

/** Fix Python files to a fixpoint (in this thread); nothing is written here. */
export async function fixPythonFiles(files: readonly string[], options: { cwd: string; settings: Record<string, unknown>; rules?: readonly string[] }): Promise<PythonFixResult> {
  const rules = selectedPyRules(options.rules);
  const out: PythonFixResult = { changed: [], needsPerson: [], errors: [], skippedByPrecheck: 0, analyzed: 0 };
  if (rules && rules.length === 0) {
    out.skippedByPrecheck = files.length;
    return out;
  }
  // The pre-check may parse other modules of the project (graph registrations): the parser must be loaded.
  await initPythonParser();
  for (const absolute of files) {
    const display = displayPath(options.cwd, absolute);
    let bytes: Buffer;
    try {
      // Read in turn, synchronously: one call per file instead of a round trip through libuv's thread pool.
      bytes = readFileSync(absolute);
    } catch (error) {
      out.errors.push({ file: display, kind: "read", message: (error as Error).message });
      continue;
    }
    const text = bytes.toString("utf8");
    if (!pythonPrecheck(text, absolute, options.settings, { rules, cwd: options.cwd })) {
      out.skippedByPrecheck++;
      continue;
    }
    if (!Buffer.from(text, "utf8").equals(bytes)) {
      out.errors.push({ file: display, kind: "encoding", message: "not valid UTF-8; left unchanged" });
      continue;
    }
    try {
      const result = await fixPython(text, absolute, options.settings, { rules, cwd: options.cwd });
      out.analyzed++;
      for (const finding of result.remaining) {
        const plain: PlainFinding & { file: string } = {
          file: display,
          rule: finding.ruleId,
          messageId: finding.messageId,
          message: finding.message,
          kind: finding.fixKind,
          line: finding.line,
          column: finding.column,
          endLine: finding.endLine,
          endColumn: finding.endColumn,
        };
        if (finding.fixKind === "suggestion" && finding.suggestion) plain.suggestion = finding.suggestion;
        out.needsPerson.push(plain);
      }
      if (result.output !== text) out.changed.push({ absolute, display, bytes, text, output: result.output, fixesApplied: result.fixed });
    } catch (error) {
      if (error instanceof PythonParseError) out.errors.push({ file: display, kind: "parse", message: `${error.reason} (not written)`, line: error.line, column: error.column });
      else out.errors.push({ file: display, kind: "internal", message: (error as Error).message });
    }
  }
  return out;
}
