import { createRule } from "../src/eslint/create-rule.js";
import { setUpAsyncContext } from "../src/js/detectors/set-up-async-context.js";

/** `trace-nesting/set-up-async-context`: see docs/rules/set-up-async-context.md. */
export default createRule(setUpAsyncContext);
