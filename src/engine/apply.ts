/**
 * Applying findings' edits to text, with the same semantics as ESLint's fixer, so that the codemod and the CLI
 * produce byte-identical output to `eslint --fix` with the same rules:
 * - the edits of one finding are merged into a single replacement spanning from the first to the last edit;
 * - merged fixes are sorted by range and applied left to right, a fix that starts at or before the end of the
 *   previously applied one is left for the next pass;
 * - the caller re-detects on the new text and repeats, at most {@link MAX_FIX_PASSES} times.
 * A leading byte order mark is kept and never offered to detectors.
 */
import type { Finding, FixKind, TextEdit } from "./types.js";

export const MAX_FIX_PASSES = 10;
const BOM = "\uFEFF";

/** Merge the edits of one finding into one replacement of the original `text` (ESLint's `mergeFixes`). */
export function mergeEdits(text: string, edits: readonly TextEdit[]): TextEdit | undefined {
  if (edits.length === 0) return undefined;
  if (edits.length === 1) return { range: [edits[0].range[0], edits[0].range[1]], text: edits[0].text };
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const start = sorted[0].range[0];
  const end = sorted[sorted.length - 1].range[1];
  let out = "";
  let lastPos = Number.MIN_SAFE_INTEGER;
  for (const edit of sorted) {
    if (edit.range[0] < lastPos) throw new Error("Edits of one finding must not overlap.");
    if (edit.range[0] >= 0) out += text.slice(Math.max(0, start, lastPos), edit.range[0]);
    out += edit.text;
    lastPos = edit.range[1];
  }
  out += text.slice(Math.max(0, start, lastPos), end);
  return { range: [start, end], text: out };
}

export interface ApplyResult {
  output: string;
  /** Findings whose edits were applied in this pass. */
  applied: Finding[];
}

/**
 * Apply one pass of fixes to `text` (without BOM). Only findings whose `fixKind` is in `kinds` are applied.
 */
export function applyOnePass(text: string, findings: readonly Finding[], kinds: readonly FixKind[] = ["fix"]): ApplyResult {
  const candidates: { finding: Finding; fix: TextEdit }[] = [];
  for (const finding of findings) {
    if (!kinds.includes(finding.fixKind)) continue;
    const fix = mergeEdits(text, finding.edits);
    if (fix) candidates.push({ finding, fix });
  }
  candidates.sort((a, b) => a.fix.range[0] - b.fix.range[0] || a.fix.range[1] - b.fix.range[1]);
  let output = "";
  let lastPos = Number.NEGATIVE_INFINITY;
  const applied: Finding[] = [];
  for (const { finding, fix } of candidates) {
    const [start, end] = fix.range;
    if (lastPos >= start || start > end) continue;
    output += text.slice(Math.max(0, lastPos), Math.max(0, start));
    output += fix.text;
    lastPos = end;
    applied.push(finding);
  }
  if (applied.length === 0) return { output: text, applied };
  output += text.slice(Math.max(0, lastPos));
  return { output, applied };
}

export interface FixpointResult<F extends Finding = Finding> {
  output: string;
  changed: boolean;
  /** Number of findings applied over all passes. */
  fixesApplied: number;
  passes: number;
  /** Findings of the final text (what is left for a person). */
  remaining: F[];
}

/**
 * Detect and fix repeatedly until nothing more applies (ESLint's `verifyAndFix` loop).
 * `detect` receives text without BOM and must throw on a parse error.
 */
export function fixToFixpoint<F extends Finding>(
  sourceText: string,
  detect: (text: string) => F[],
  kinds: readonly FixKind[] = ["fix"],
): FixpointResult<F> {
  const bom = sourceText.startsWith(BOM) ? BOM : "";
  let text = bom ? sourceText.slice(1) : sourceText;
  let fixesApplied = 0;
  let passes = 0;
  let findings = detect(text);
  let previous: string | undefined;
  let secondPrevious: string | undefined;
  while (passes < MAX_FIX_PASSES) {
    const result = applyOnePass(text, findings, kinds);
    passes++;
    if (result.applied.length === 0) break;
    fixesApplied += result.applied.length;
    secondPrevious = previous;
    previous = text;
    text = result.output;
    findings = detect(text);
    if (passes > 1 && text === secondPrevious) break;
  }
  const output = bom + text;
  return { output, changed: output !== sourceText, fixesApplied, passes, remaining: findings };
}
