import { pyContextToThread } from "../src/python/detectors/py-context-to-thread.js";
import { createPyRule } from "../src/python/eslint-rule.js";

export default createPyRule(pyContextToThread);
