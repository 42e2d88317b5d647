import type { DetectorMeta, Finding } from "../../engine/types.js";
import type { PyModel } from "../model.js";
import type { PyNode } from "../parse.js";
import type { PyPrecheckContext } from "../precheck.js";

export type PyFinding = Finding<PyNode>;

export interface PyDetector {
  meta: DetectorMeta;
  detect(model: PyModel): PyFinding[];
  /**
   * The text pre-check of this detector: false only when no finding is possible in a file with this code (the
   * tokens every finding needs are missing). `code` is the file's text without comments and string contents
   * (`pythonCode` in ../precheck.ts). A detector without one runs on every file that passes the first gate.
   */
  precheck?(code: string, context: PyPrecheckContext): boolean;
}

/** Every Python message ends with the version it assumed and where that came from. */
export const VERSION_NOTE = " (Python {{pyVersion}}: {{pySource}}.)";

export function versionData(model: PyModel, data: Record<string, string> = {}): Record<string, string> {
  return { ...data, pyVersion: model.target.version, pySource: model.target.source };
}

export function finding(
  model: PyModel,
  node: PyNode,
  messageId: string,
  fixKind: PyFinding["fixKind"],
  edits: PyFinding["edits"],
  data: Record<string, string> = {},
  suggestionMessageId?: string,
): PyFinding {
  return {
    node,
    range: [node.startIndex, node.endIndex],
    messageId,
    data: versionData(model, data),
    fixKind: edits.length === 0 && fixKind !== "none" ? "none" : fixKind,
    edits,
    suggestionMessageId,
  };
}
