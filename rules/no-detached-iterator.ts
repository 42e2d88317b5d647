import { createRule } from "../src/eslint/create-rule.js";
import { noDetachedIterator } from "../src/js/detectors/no-detached-iterator.js";

/** `trace-nesting/no-detached-iterator`: see docs/rules/no-detached-iterator.md. */
export default createRule(noDetachedIterator);
