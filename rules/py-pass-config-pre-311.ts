import { pyPassConfigPre311 } from "../src/python/detectors/py-pass-config-pre-311.js";
import { createPyRule } from "../src/python/eslint-rule.js";

export default createPyRule(pyPassConfigPre311);
