import { createRule } from "../src/eslint/create-rule.js";
import { propagateTraceHeaders } from "../src/js/detectors/propagate-trace-headers.js";

/** `trace-nesting/propagate-trace-headers`: see docs/rules/propagate-trace-headers.md. */
export default createRule(propagateTraceHeaders);
