import { createRule } from "../src/eslint/create-rule.js";
import { continueDistributedTrace } from "../src/js/detectors/continue-distributed-trace.js";

/** `trace-nesting/continue-distributed-trace`: see docs/rules/continue-distributed-trace.md. */
export default createRule(continueDistributedTrace);
