import { createRule } from "../src/eslint/create-rule.js";
import { propagateTraceToWorker } from "../src/js/detectors/propagate-trace-to-worker.js";

/** `trace-nesting/propagate-trace-to-worker`: see docs/rules/propagate-trace-to-worker.md. */
export default createRule(propagateTraceToWorker);
