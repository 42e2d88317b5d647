/**
 * The Python front end: parse with tree-sitter, build the file's {@link PyModel}, run the Python detectors, and
 * apply their edits with the same fix loop as JavaScript (`src/engine/apply.ts`).
 *
 * `lintPython` / `fixPython` are the programmatic API (used by the CLI and the runtime oracle).
 */
import path from "node:path";
import { fixToFixpoint } from "../engine/apply.js";
import type { Finding } from "../engine/types.js";
import { pyDetectors } from "./detectors/index.js";
import { PyModel } from "./model.js";
import { initPythonParser, parsePython, PythonParseError } from "./parse.js";
import { projectFor } from "./project.js";
import { resolvePySettings, type PySettings } from "./settings.js";
import { pythonTarget } from "./version.js";
import type { PyDetector } from "./detectors/types.js";
import { mayHoldTracedCode, pythonCode, type PyPrecheckContext } from "./precheck.js";
import type { PythonTarget } from "./version.js";

export { initPythonParser, PythonParseError } from "./parse.js";
export { pyDetectors, PY_RULE_NAMES } from "./detectors/index.js";
export { pythonTarget, lowestAllowed, LOWEST_SUPPORTED } from "./version.js";

export interface PyLintFinding extends Finding {
  ruleId: string;
  /** The message with its placeholders filled in. */
  message: string;
  /** The suggestion's description, for `suggestion` findings. */
  suggestion?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface PyRunOptions {
  /** Rule names (`py-...`) to run; all when omitted. */
  rules?: readonly string[];
  /** Directory relative file names are resolved against. */
  cwd?: string;
  /** Skip the project index (cross-file facts). */
  noProject?: boolean;
  /** false: run every selected detector, without the text pre-check (tests of the pre-check itself). */
  precheck?: boolean;
  /** The detectors the pre-check chose for this very text (from {@link pythonPrecheckDetectors}): not asked again. */
  detectors?: readonly PyDetector[];
}

/** The detectors that may find something in `text` (see ./precheck.ts); none: the file need not be parsed. */
export function pythonDetectorsFor(text: string, absolute: string | undefined, settings: PySettings, options: PyRunOptions = {}): PyDetector[] {
  const selected = pyDetectors.filter((detector) => !options.rules || options.rules.includes(detector.meta.name));
  if (options.precheck === false) return selected;
  // The gate on the whole text first (it holds every token the code does): most files stop here, unscanned.
  if (!mayHoldTracedCode(text, settings)) return [];
  const code = pythonCode(text);
  if (!mayHoldTracedCode(code, settings)) return [];
  let target: PythonTarget | undefined;
  const context: PyPrecheckContext = {
    text,
    settings,
    target: () => (target ??= absolute ? pythonTarget(absolute, settings.python) : pythonTarget(path.resolve(options.cwd ?? process.cwd(), "<input>.py"), settings.python)),
    // Without a file (or a project) nothing is known of other modules: assume they may register this file's functions.
    registeredElsewhere: () => (absolute && !options.noProject ? projectFor(absolute, settings).registeredNodes(absolute).length > 0 : true),
  };
  return selected.filter((detector) => !detector.precheck || detector.precheck(code, context));
}

/**
 * The text pre-check: whether any Python detector may find something in the file (`file` and `settings` let it
 * read the target version and the project's cross-file facts). Files it rejects are not parsed.
 */
export function pythonPrecheck(text: string, file?: string, settings?: object, options: PyRunOptions = {}): boolean {
  return pythonPrecheckDetectors(text, file, settings, options).length > 0;
}

/** The detectors the pre-check keeps for a file ({@link pythonPrecheck}: none, the file need not be parsed). */
export function pythonPrecheckDetectors(text: string, file?: string, settings?: object, options: PyRunOptions = {}): PyDetector[] {
  const resolved = resolvePySettings(settings as Record<string, unknown> | undefined);
  const absolute = file === undefined ? undefined : path.resolve(options.cwd ?? process.cwd(), file);
  return pythonDetectorsFor(text.startsWith("\uFEFF") ? text.slice(1) : text, absolute, resolved, options);
}

export function interpolate(template: string, data: Record<string, string> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (data && key in data ? data[key] : whole));
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Run the detectors on parsed text (the parser must be initialised). Throws {@link PythonParseError}. */
export function detectPython(text: string, filename: string, settings: PySettings, options: PyRunOptions = {}): PyLintFinding[] {
  const absolute = path.resolve(options.cwd ?? process.cwd(), filename);
  const detectors = options.detectors ?? pythonDetectorsFor(text, absolute, settings, options);
  if (detectors.length === 0) return [];
  const tree = parsePython(text, filename);
  try {
    const target = pythonTarget(absolute, settings.python);
    const project = options.noProject ? undefined : projectFor(absolute, settings);
    const model = new PyModel(tree, text, absolute, target, settings, project);
    const out: PyLintFinding[] = [];
    for (const detector of detectors) {
      for (const finding of detector.detect(model)) {
        const start = lineColumn(text, finding.range[0]);
        const end = lineColumn(text, finding.range[1]);
        const messages = detector.meta.messages as Record<string, string>;
        out.push({
          ...finding,
          node: undefined,
          ruleId: detector.meta.name,
          message: interpolate(messages[finding.messageId], finding.data),
          suggestion: finding.suggestionMessageId ? interpolate(messages[finding.suggestionMessageId], finding.data) : undefined,
          line: start.line,
          column: start.column,
          endLine: end.line,
          endColumn: end.column,
        });
      }
    }
    return out.sort((a, b) => a.range[0] - b.range[0] || a.ruleId.localeCompare(b.ruleId));
  } finally {
    tree.delete();
  }
}

/** Findings for a Python file (each with `ruleId`). Throws {@link PythonParseError} when it does not parse. */
export async function lintPython(text: string, filename: string, settings?: object, options: PyRunOptions = {}): Promise<PyLintFinding[]> {
  await initPythonParser();
  return detectPython(text.startsWith("\uFEFF") ? text.slice(1) : text, filename, resolvePySettings(settings as Record<string, unknown> | undefined), options);
}

export interface PyFixResult {
  output: string;
  fixed: number;
  /** Findings left in the output (suggestions and reports). */
  remaining: PyLintFinding[];
}

/** Apply the safe fixes to a fixpoint. Throws {@link PythonParseError}, also when a fix would break the syntax. */
export async function fixPython(text: string, filename: string, settings?: object, options: PyRunOptions = {}): Promise<PyFixResult> {
  await initPythonParser();
  const resolved = resolvePySettings(settings as Record<string, unknown> | undefined);
  let pass = 0;
  const result = fixToFixpoint(text, (current) => {
    try {
      return detectPython(current, filename, resolved, options);
    } catch (error) {
      if (pass > 0 && error instanceof PythonParseError) {
        throw new Error(`${filename}: applying the fixes produced code that does not parse (${error.reason} at ${error.line}:${error.column}); the file was left unchanged. This is a bug in trace-nesting.`);
      }
      throw error;
    } finally {
      pass++;
    }
  });
  if (result.output !== text) {
    // The last pass may have been skipped by the pre-check: the fixed text must still parse.
    try {
      parsePython(result.output, filename);
    } catch (error) {
      if (error instanceof PythonParseError) {
        throw new Error(`${filename}: applying the fixes produced code that does not parse (${error.reason} at ${error.line}:${error.column}); the file was left unchanged. This is a bug in trace-nesting.`);
      }
      throw error;
    }
  }
  return { output: result.output, fixed: result.fixesApplied, remaining: result.remaining };
}
