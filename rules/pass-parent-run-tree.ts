import { createRule } from "../src/eslint/create-rule.js";
import { passParentRunTree } from "../src/js/detectors/pass-parent-run-tree.js";

/** `trace-nesting/pass-parent-run-tree`: see docs/rules/pass-parent-run-tree.md. */
export default createRule(passParentRunTree);
