import { createRule } from "../src/eslint/create-rule.js";
import { bindQueuedTask } from "../src/js/detectors/bind-queued-task.js";

/** `trace-nesting/bind-queued-task`: see docs/rules/bind-queued-task.md. */
export default createRule(bindQueuedTask);
