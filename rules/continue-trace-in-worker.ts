import { createRule } from "../src/eslint/create-rule.js";
import { continueTraceInWorker } from "../src/js/detectors/continue-trace-in-worker.js";

/** `trace-nesting/continue-trace-in-worker`: see docs/rules/continue-trace-in-worker.md. */
export default createRule(continueTraceInWorker);
