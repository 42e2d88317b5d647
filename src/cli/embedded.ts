/**
 * Code embedded in documents: fenced ```js/ts/jsx/tsx/javascript/typescript blocks of Markdown and MDX files, and
 * the JavaScript/TypeScript code cells of Jupyter notebooks.
 *
 * - Markdown and MDX go through `@eslint/markdown`'s code-block processor (the one ESLint users configure), for
 *   `check` (inside ESLint) and for `fix` (its block extraction, position mapping and re-indentation of fixes in
 *   indented blocks). Fenced blocks are CommonMark in MDX too; for ESLint users who lint MDX
 *   itself, `eslint-plugin-mdx` is the maintained option (see docs/cli.md).
 * - Notebooks go through our own processor (src/processors/notebook.ts); `fix` writes back only the edited cells'
 *   `source`.
 * - Python cells of notebooks are handed to the Python linter once one is registered with
 *   {@link setPythonCellLinter} (the Python engine, `src/python/index.ts`, is connected there).
 */
import { createRequire } from "node:module";
import type { Linter } from "eslint";
import { notebookCells, notebookProcessor, cellFilename, cellMessage, isScriptCell, replaceCellCode, type NotebookCell } from "../processors/notebook.js";
import { isJsTsFile, SourceParseError } from "../js/parse.js";
import type { TraceNestingSettings } from "../js/settings.js";
import type { FixTaskResult } from "./fix-task.js";
import { transformSource, type PlainFinding, type TransformOptions } from "./transform.js";
import { isNotebookFile } from "./doc-files.js";

export { EMBEDDED_EXTENSIONS, isEmbeddedDoc, isMarkdownFile, isNotebookFile, MARKDOWN_EXTENSIONS, NOTEBOOK_EXTENSIONS } from "./doc-files.js";

/** A finding in embedded code: `line`/`column` are in the document, or, with `cell`, inside that notebook cell. */
export interface EmbeddedFinding extends PlainFinding {
  /** 1-based notebook cell number. */
  cell?: number;
}

/** The text the pre-check reads for a document: a notebook's JS/TS cells (its JSON escapes quotes), else the text. */
export function precheckTextOf(text: string, file: string): string {
  if (!isNotebookFile(file)) return text;
  try {
    return notebookCells(text)
      .filter(isScriptCell)
      .map((cell) => cell.code)
      .join("\n");
  } catch {
    return "";
  }
}

// Python cells ------------------------------------------------------------------------------------------------------

export interface PythonCell {
  /** 1-based cell number. */
  cell: number;
  source: string;
}

/** Lints Python cells; findings' lines and columns are inside the cell. */
export type PythonCellLinter = (cells: readonly PythonCell[], notebook: string, settings: TraceNestingSettings | undefined) => EmbeddedFinding[];

let pythonCellLinter: PythonCellLinter | undefined;

/** Connect the Python engine: from then on, `check` and `fix` report findings in Python notebook cells. */
export function setPythonCellLinter(linter: PythonCellLinter | undefined): void {
  pythonCellLinter = linter;
}

/** The connected Python cell linter, if any. */
export function getPythonCellLinter(): PythonCellLinter | undefined {
  return pythonCellLinter;
}

/** Findings in a notebook's Python cells (none until a Python linter is connected). */
export function lintPythonCells(text: string, notebook: string, settings: TraceNestingSettings | undefined): EmbeddedFinding[] {
  if (!pythonCellLinter) return [];
  let cells: NotebookCell[];
  try {
    cells = notebookCells(text).filter((cell) => cell.language === "python");
  } catch {
    return [];
  }
  if (cells.length === 0) return [];
  return pythonCellLinter(
    cells.map((cell) => ({ cell: cell.index + 1, source: cell.code })),
    notebook,
    settings,
  ).map((finding) => ({ ...finding, message: finding.cell ? `cell ${finding.cell}: ${finding.message}` : finding.message }));
}

// check (through ESLint) ---------------------------------------------------------------------------------------------

/** ESLint config objects that make Markdown/MDX code blocks and notebook cells lintable by the JS/TS configs. */
export function embeddedConfigs(): Linter.Config[] {
  return [
    { name: "trace-nesting/markdown-code-blocks", files: ["**/*.md", "**/*.mdx"], plugins: { markdown: markdownPlugin() as never }, processor: "markdown/markdown" },
    { name: "trace-nesting/notebook-cells", files: ["**/*.ipynb"], processor: notebookProcessor },
  ];
}

// fix (without ESLint) -----------------------------------------------------------------------------------------------

type MarkdownProcessor = {
  preprocess(text: string, filename: string): { text: string; filename: string }[];
  postprocess(messages: Linter.LintMessage[][], filename: string): Linter.LintMessage[];
};
type MarkdownPlugin = { processors: { markdown: MarkdownProcessor } };

/**
 * `@eslint/markdown`, loaded on first use (it brings a Markdown parser that JS/TS-only runs do not need), with
 * Node's `require` of an ES module (Node >= 20.19), so that `fix` can stay synchronous per file.
 */
let markdownModule: MarkdownPlugin | undefined;
function markdownPlugin(): MarkdownPlugin {
  if (!markdownModule) {
    const loaded = createRequire(import.meta.url)("@eslint/markdown") as { default?: MarkdownPlugin } & MarkdownPlugin;
    markdownModule = loaded.default ?? loaded;
  }
  return markdownModule;
}

/**
 * Fix one code block or cell; undefined when it does not parse: documents hold fragments (`...`, elided code),
 * which are skipped, as `check` skips them.
 */
function transformBlock(code: string, filename: string, options: TransformOptions) {
  try {
    return transformSource(code, filename, options);
  } catch (error) {
    if (error instanceof SourceParseError) return undefined;
    throw error;
  }
}

function toMessage(finding: PlainFinding): Linter.LintMessage {
  return {
    ruleId: `trace-nesting/${finding.rule}`,
    messageId: finding.messageId,
    message: finding.message,
    severity: 2,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
  };
}

function fixMarkdown(text: string, file: string, options: TransformOptions): FixTaskResult {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = text.slice(bom.length);
  const markdownProcessor = markdownPlugin().processors.markdown;
  const blocks = markdownProcessor.preprocess(body, file);
  const groups: Linter.LintMessage[][] = [];
  const remainingIndex: PlainFinding[] = [];
  let fixesApplied = 0;
  for (const block of blocks) {
    const group: Linter.LintMessage[] = [];
    groups.push(group);
    if (!isJsTsFile(block.filename)) continue;
    // The block text is [eslint comments from the preceding HTML comments..., code, ""]; fix only the code.
    const end = block.text.length - 1;
    const commentLines = (() => {
      // @eslint/markdown puts each comment as `/*...*/` lines before the code; the code is what the fence holds.
      let start = 0;
      let lines = 0;
      while (block.text.startsWith("/*", start)) {
        const close = block.text.indexOf("*/\n", start);
        if (close < 0) break;
        lines += block.text.slice(start, close).split("\n").length;
        start = close + 3;
      }
      return { start, lines };
    })();
    const code = block.text.slice(commentLines.start, end);
    const result = transformBlock(code, `${file}/${block.filename}`, options);
    if (!result) continue;
    for (const finding of result.remaining) {
      const message = toMessage({ ...finding, line: finding.line + commentLines.lines, endLine: finding.endLine + commentLines.lines });
      group.push(message);
      remainingIndex.push(finding);
    }
    if (result.changed) {
      fixesApplied += result.fixesApplied;
      group.push({ ruleId: "trace-nesting/fix", severity: 2, message: "", line: commentLines.lines + 1, column: 1, fix: { range: [commentLines.start, end], text: result.output } });
    }
  }
  const mapped = markdownProcessor.postprocess(groups, file);
  const byMessage = new Map(remainingIndex.map((finding) => [finding.message, finding]));
  const remaining: PlainFinding[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  for (const message of mapped) {
    if (message.fix) {
      // The processor maps the range and re-indents the text for indented blocks (in lists).
      const [start, end] = message.fix.range;
      // It indents blank lines too: keep them blank.
      edits.push({ start, end, text: message.fix.text.replace(/\n[ \t]+(?=\n)/g, "\n") });
    } else {
      remaining.push({
        rule: (message.ruleId ?? "").replace(/^trace-nesting\//, ""),
        messageId: message.messageId ?? "",
        message: message.message,
        kind: byMessage.get(message.message)?.kind ?? "none",
        line: message.line,
        column: message.column,
        endLine: message.endLine ?? message.line,
        endColumn: message.endColumn ?? message.column,
        ...(byMessage.get(message.message)?.suggestion ? { suggestion: byMessage.get(message.message)!.suggestion } : {}),
      });
    }
  }
  let output = body;
  for (const edit of edits.sort((a, b) => b.start - a.start)) output = output.slice(0, edit.start) + edit.text + output.slice(edit.end);
  return { ok: true, output: bom + output, changed: output !== body, fixesApplied, remaining };
}

function fixNotebook(text: string, file: string, options: TransformOptions): FixTaskResult {
  let cells: NotebookCell[];
  try {
    cells = notebookCells(text);
  } catch (error) {
    return { ok: false, error: { kind: "parse", message: `not a valid notebook (JSON): ${(error as Error).message}` } };
  }
  const replacements = new Map<NotebookCell, string>();
  const remaining: EmbeddedFinding[] = [];
  let fixesApplied = 0;
  for (const cell of cells.filter(isScriptCell)) {
    const result = transformBlock(cell.code, `${file}/${cellFilename(cell)}`, options);
    if (!result) continue;
    for (const finding of result.remaining) remaining.push({ ...finding, message: cellMessage(cell, finding.message), cell: cell.index + 1 });
    if (result.changed) {
      replacements.set(cell, result.output);
      fixesApplied += result.fixesApplied;
    }
  }
  remaining.push(...lintPythonCells(text, file, options.settings));
  const output = replacements.size > 0 ? replaceCellCode(text, replacements) : text;
  return { ok: true, output, changed: output !== text, fixesApplied, remaining };
}

/** `fix` for a Markdown/MDX file or a notebook: the same result shape as for a JS/TS file. */
export function fixEmbeddedText(text: string, file: string, options: TransformOptions): FixTaskResult {
  return isNotebookFile(file) ? fixNotebook(text, file, options) : fixMarkdown(text, file, options);
}
