/**
 * One file's work in `trace-nesting fix`, the same in the main thread and in a worker: fix the text, or describe
 * why it could not be fixed, as plain data.
 */
import { SourceParseError } from "../js/parse.js";
import { fixEmbeddedText, isEmbeddedDoc } from "./embedded.js";
import { transformSource, type PlainFinding, type TransformOptions } from "./transform.js";

export type FixTaskResult =
  | { ok: true; output: string; changed: boolean; fixesApplied: number; remaining: PlainFinding[] }
  | { ok: false; error: TaskError };

export interface TaskError {
  /** `parse`: the file does not parse; `internal`: a fix or the analysis failed. */
  kind: "parse" | "internal";
  message: string;
  line?: number;
  column?: number;
}

export function fixFileText(text: string, file: string, options: TransformOptions): FixTaskResult {
  try {
    if (isEmbeddedDoc(file)) return fixEmbeddedText(text, file, options);
    const result = transformSource(text, file, options);
    return { ok: true, output: result.output, changed: result.changed, fixesApplied: result.fixesApplied, remaining: result.remaining };
  } catch (error) {
    if (error instanceof SourceParseError) {
      return { ok: false, error: { kind: "parse", message: error.reason, line: error.line, column: error.column } };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { kind: "internal", message } };
  }
}
