import { createRule } from "../src/eslint/create-rule.js";
import { bindDetachedCallback } from "../src/js/detectors/bind-detached-callback.js";

/** `trace-nesting/bind-detached-callback`: see docs/rules/bind-detached-callback.md. */
export default createRule(bindDetachedCallback);
