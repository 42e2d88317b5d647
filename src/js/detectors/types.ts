import type { JSONSchema4 } from "@typescript-eslint/utils/json-schema";
import type { TSESTree } from "@typescript-eslint/utils";
import type { DetectorMeta, Finding } from "../../engine/types.js";
import type { JsModel } from "../model.js";

export type JsFindingData = Finding<TSESTree.Node>;

/** Options every rule accepts. */
export interface CommonOptions {
  /** When false, fixes are offered as editor suggestions only and never applied by `--fix`. Default true. */
  autofix?: boolean;
}

/** One detector: a pattern that splits traces, found in a file's model, with its edits. */
export interface JsDetector<O extends CommonOptions = CommonOptions> {
  meta: DetectorMeta;
  /** JSON schema of the rule's option properties (besides `autofix`), each with a description. */
  optionProperties: Record<string, JSONSchema4>;
  defaultOptions: Required<O>;
  /**
   * Identifiers a file must mention for this detector to find anything (in addition to the tracing APIs every
   * detector needs). Used by the text pre-check.
   */
  detect(model: JsModel, options: Required<O>): JsFindingData[];
}

export const AUTOFIX_OPTION: JSONSchema4 = {
  type: "boolean",
  description: "Apply safe fixes with --fix (default). When false, every fix is offered as an editor suggestion instead.",
};
