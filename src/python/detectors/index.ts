import { pyContextToThread } from "./py-context-to-thread.js";
import { pyContinueDistributedTrace } from "./py-continue-distributed-trace.js";
import { pyIneffectiveParentHandoff } from "./py-ineffective-parent-handoff.js";
import { pyPassConfigPre311 } from "./py-pass-config-pre-311.js";
import { pyPropagateTraceHeaders } from "./py-propagate-trace-headers.js";
import type { PyDetector } from "./types.js";

/** The Python detectors, in rule-name order. */
export const pyDetectors: readonly PyDetector[] = [
  pyContextToThread,
  pyContinueDistributedTrace,
  pyIneffectiveParentHandoff,
  pyPassConfigPre311,
  pyPropagateTraceHeaders,
];

export const PY_RULE_NAMES: readonly string[] = pyDetectors.map((d) => d.meta.name);
