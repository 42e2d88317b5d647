import { pyPropagateTraceHeaders } from "../src/python/detectors/py-propagate-trace-headers.js";
import { createPyRule } from "../src/python/eslint-rule.js";

export default createPyRule(pyPropagateTraceHeaders);
