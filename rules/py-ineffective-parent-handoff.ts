import { pyIneffectiveParentHandoff } from "../src/python/detectors/py-ineffective-parent-handoff.js";
import { createPyRule } from "../src/python/eslint-rule.js";

export default createPyRule(pyIneffectiveParentHandoff);
