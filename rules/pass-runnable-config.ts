import { createRule } from "../src/eslint/create-rule.js";
import { passRunnableConfig } from "../src/js/detectors/pass-runnable-config.js";

/** `trace-nesting/pass-runnable-config`: see docs/rules/pass-runnable-config.md. */
export default createRule(passRunnableConfig);
