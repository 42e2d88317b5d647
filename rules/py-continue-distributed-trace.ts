import { pyContinueDistributedTrace } from "../src/python/detectors/py-continue-distributed-trace.js";
import { createPyRule } from "../src/python/eslint-rule.js";

export default createPyRule(pyContinueDistributedTrace);
