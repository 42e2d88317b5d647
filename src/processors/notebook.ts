/**
 * Jupyter notebooks (`.ipynb`, nbformat 4): the JavaScript/TypeScript code cells, as an ESLint processor and as
 * plain data for `trace-nesting fix`, and a clean write-back that changes only the edited cells' `source`.
 *
 * Why our own: there is no maintained ESLint processor for notebooks (the few npm packages that exist are
 * unmaintained and Python-oriented), and the format is small: JSON with a `cells` array whose code cells hold
 * `source` as a string or a list of lines. JSON positions and the write-back use `jsonc-parser` (the JSON library
 * of VS Code), so every byte outside an edited `source` value is kept: metadata, outputs, other cells, key order
 * and the file's indentation.
 *
 * A cell's language: a first-line cell magic (`%%javascript`, `%%js`, `%%typescript`, `%%ts`), then the cell's
 * `metadata.vscode.languageId` (VS Code and polyglot notebooks), then the notebook's
 * `metadata.kernelspec.language` / `metadata.language_info.name` (a Deno or tslab kernel is TypeScript,
 * ijavascript is JavaScript, ipykernel is Python). Python cells are handed to {@link pythonCells} consumers.
 *
 * Positions: a finding's line and column are those inside the cell, and its message starts with `cell N:` (N
 * counts every cell from 1, as Jupyter shows them top to bottom).
 */
import type { Linter } from "eslint";
import { applyEdits, modify, parseTree, findNodeAtLocation, type Node as JsonNode } from "jsonc-parser";

export type CellLanguage = "javascript" | "typescript" | "python" | "other";

export interface NotebookCell {
  /** 0-based index in `cells`. */
  index: number;
  language: CellLanguage;
  /** The code to analyse: the source with a leading cell magic line blanked (so that line numbers stay). */
  code: string;
  /** The cell's source as written. */
  source: string;
  /** The cell magic line that was blanked, if any (with its line break). */
  magic?: string;
  /** Whether `source` is stored as a list of lines. */
  sourceIsList: boolean;
}

const MAGICS: Record<string, CellLanguage> = {
  "%%javascript": "javascript",
  "%%js": "javascript",
  "%%typescript": "typescript",
  "%%ts": "typescript",
  "%%python": "python",
  "%%python3": "python",
};

function normaliseLanguage(name: unknown): CellLanguage | undefined {
  if (typeof name !== "string") return undefined;
  const lower = name.toLowerCase();
  if (lower === "javascript" || lower === "js" || lower === "javascriptreact") return "javascript";
  if (lower === "typescript" || lower === "ts" || lower === "typescriptreact") return "typescript";
  if (lower === "python" || lower.startsWith("python")) return "python";
  return "other";
}

interface NotebookJson {
  cells?: { cell_type?: string; source?: string | string[]; metadata?: { vscode?: { languageId?: string } } }[];
  metadata?: { kernelspec?: { language?: string; name?: string }; language_info?: { name?: string } };
}

/** The notebook's code cells with their languages. Throws a SyntaxError when the text is not JSON. */
export function notebookCells(text: string): NotebookCell[] {
  const notebook = JSON.parse(text) as NotebookJson;
  const defaultLanguage =
    normaliseLanguage(notebook.metadata?.kernelspec?.language) ?? normaliseLanguage(notebook.metadata?.language_info?.name) ?? "python";
  const cells: NotebookCell[] = [];
  (notebook.cells ?? []).forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const sourceIsList = Array.isArray(cell.source);
    const source = Array.isArray(cell.source) ? cell.source.join("") : (cell.source ?? "");
    const firstLine = /^[^\n]*/.exec(source)![0];
    const magic = MAGICS[firstLine.trim().split(/\s+/)[0]];
    let language = magic ?? normaliseLanguage(cell.metadata?.vscode?.languageId) ?? defaultLanguage;
    let code = source;
    let magicLine: string | undefined;
    if (magic) {
      magicLine = source.slice(0, firstLine.length + (source[firstLine.length] === "\n" ? 1 : 0));
      code = `${magicLine.endsWith("\n") ? "\n" : ""}${source.slice(magicLine.length)}`;
    } else if (firstLine.startsWith("%%")) {
      language = "other"; // another cell magic (%%bash, %%html, ...)
    }
    cells.push({ index, language, code, source, magic: magicLine, sourceIsList });
  });
  return cells;
}

export const isScriptCell = (cell: NotebookCell): boolean => cell.language === "javascript" || cell.language === "typescript";

/** The virtual file name of a cell, as ESLint and the rules see it (`.ts` for TypeScript cells, `.js` otherwise). */
export function cellFilename(cell: NotebookCell): string {
  return `cell-${cell.index + 1}.${cell.language === "typescript" ? "ts" : "js"}`;
}

/** The source value to store for new code, in the cell's own shape (nbformat's list keeps each line's `\n`). */
function sourceValue(cell: NotebookCell, code: string): string | string[] {
  const source = cell.magic !== undefined ? `${cell.magic}${code.slice(cell.magic.endsWith("\n") ? 1 : 0)}` : code;
  if (!cell.sourceIsList) return source;
  return source.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The indentation unit of a JSON text (nbformat writes one space). */
function jsonIndent(text: string): { insertSpaces: boolean; tabSize: number } {
  const match = /\n([ \t]+)\S/.exec(text);
  if (!match) return { insertSpaces: true, tabSize: 1 };
  if (match[1].startsWith("\t")) return { insertSpaces: false, tabSize: 1 };
  return { insertSpaces: true, tabSize: match[1].length };
}

/** Replace the code of some cells; everything else in the file keeps its bytes. */
export function replaceCellCode(text: string, replacements: ReadonlyMap<NotebookCell, string>): string {
  const indent = jsonIndent(text);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  let out = text;
  // From the last cell to the first, so that earlier offsets stay valid (modify recomputes from `out` anyway).
  for (const [cell, code] of [...replacements].sort((a, b) => b[0].index - a[0].index)) {
    const edits = modify(out, ["cells", cell.index, "source"], sourceValue(cell, code), { formattingOptions: { ...indent, eol } });
    out = applyEdits(out, edits);
  }
  return out;
}

/** The JSON node of a cell's source (for positions in the file). */
export function cellSourceNode(text: string, index: number): JsonNode | undefined {
  const tree = parseTree(text);
  return tree ? findNodeAtLocation(tree, ["cells", index, "source"]) : undefined;
}

/** Prefix a message with its cell. */
export const cellMessage = (cell: NotebookCell, message: string): string => `cell ${cell.index + 1}: ${message}`;

const blocksByFile = new Map<string, NotebookCell[]>();

/**
 * The ESLint processor (`processor: traceNesting.processors.notebook` on `**\/*.ipynb`): JS/TS cells become
 * `cell-N.js`/`cell-N.ts` blocks that the configs for JS/TS files lint. No autofix through ESLint (a fix inside a
 * JSON string needs the write-back above): `trace-nesting fix` fixes notebooks.
 */
export const notebookProcessor: Linter.Processor = {
  meta: { name: "trace-nesting/notebook", version: "1" },
  supportsAutofix: false,
  preprocess(text: string, filename: string) {
    let cells: NotebookCell[];
    try {
      cells = notebookCells(text).filter(isScriptCell);
    } catch {
      cells = [];
    }
    blocksByFile.set(filename, cells);
    return cells.map((cell) => ({ text: cell.code, filename: cellFilename(cell) }));
  },
  postprocess(messages: Linter.LintMessage[][], filename: string) {
    const cells = blocksByFile.get(filename) ?? [];
    blocksByFile.delete(filename);
    return messages.flatMap((group, i) =>
      group.map((message) => {
        const { fix: _fix, suggestions: _suggestions, ...rest } = message;
        return { ...rest, message: cellMessage(cells[i], message.message) };
      }),
    );
  },
};
