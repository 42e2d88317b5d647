/**
 * Notebook Python cells for `check` and `fix`: the cells of one notebook share a namespace (a traceable defined in
 * one cell is called in another), so they are linted together as one program, each finding reported at its cell
 * and its line inside the cell. IPython lines (`%magic`, `!shell`) become blank lines. When the joined program does
 * not parse, each cell that parses is linted alone. Findings in cells are reports: `fix` does not edit them.
 */
import { detectPython, initPythonParser, PythonParseError, type PyLintFinding } from "../python/index.js";
import { resolvePySettings } from "../python/settings.js";
import { getPythonCellLinter, setPythonCellLinter, type EmbeddedFinding, type PythonCell, type PythonCellLinter } from "./embedded.js";
import { pythonSettings, selectedPyRules } from "./python.js";

/** Blank out IPython-only lines (`%pip install`, `!ls`, `%%time`) so that the cell parses as Python. */
function pythonSource(source: string): string {
  return source
    .split("\n")
    .map((line) => (/^\s*[%!]/.test(line) ? "" : line))
    .join("\n");
}

function toCellFinding(finding: PyLintFinding, cell: number, lineOffset: number): EmbeddedFinding {
  return {
    rule: finding.ruleId,
    messageId: finding.messageId,
    message: finding.message,
    kind: finding.fixKind,
    line: finding.line - lineOffset,
    column: finding.column,
    endLine: finding.endLine - lineOffset,
    endColumn: finding.endColumn,
    suggestion: finding.suggestion,
    cell,
  };
}

/** Lint a notebook's Python cells with the Python rules (`detectPython`: the parser must be initialised). */
export function lintNotebookPython(cells: readonly PythonCell[], notebook: string, settings: Record<string, unknown>, rules?: readonly string[]): EmbeddedFinding[] {
  const resolved = resolvePySettings(settings);
  const sources = cells.map((cell) => pythonSource(cell.source).replace(/\n*$/, "\n"));
  const starts: number[] = [];
  let line = 0;
  for (const source of sources) {
    starts.push(line);
    line += source.split("\n").length - 1;
  }
  const cellAt = (findingLine: number) => {
    let index = 0;
    while (index + 1 < starts.length && starts[index + 1] < findingLine) index++;
    return index;
  };
  try {
    const findings = detectPython(sources.join(""), notebook, resolved, { rules });
    return findings.map((finding) => {
      const index = cellAt(finding.line);
      return toCellFinding(finding, cells[index].cell, starts[index]);
    });
  } catch (error) {
    if (!(error instanceof PythonParseError)) throw error;
  }
  const out: EmbeddedFinding[] = [];
  cells.forEach((cell, index) => {
    try {
      out.push(...detectPython(sources[index], notebook, resolved, { rules }).map((finding) => toCellFinding(finding, cell.cell, 0)));
    } catch (error) {
      if (!(error instanceof PythonParseError)) throw error;
    }
  });
  return out;
}

const ours = new WeakSet<PythonCellLinter>();

/**
 * Connect the Python rules to notebooks' Python cells for this command (`--python` and `--rule` apply). A linter
 * registered by the embedding program (not one of ours) is left in place.
 */
export async function connectPythonCells(python: string | undefined, rules: readonly string[] | undefined): Promise<void> {
  const current = getPythonCellLinter();
  if (current && !ours.has(current)) return;
  await initPythonParser();
  const selected = selectedPyRules(rules);
  const linter: PythonCellLinter = (cells, notebook, settings) => {
    if (selected && selected.length === 0) return [];
    return lintNotebookPython(cells, notebook, pythonSettings(settings, python), selected);
  };
  ours.add(linter);
  setPythonCellLinter(linter);
}
