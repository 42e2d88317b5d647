/**
 * The Python rules' names, in rule-name order, for code that must know them without loading the Python engine
 * (the JavaScript codemods run under jscodeshift, whose Babel hook cannot load the parser's module).
 * `test/python/model.test.ts` checks that this list equals the detectors' names.
 */
export const PY_RULE_NAMES: readonly string[] = [
  "py-context-to-thread",
  "py-continue-distributed-trace",
  "py-ineffective-parent-handoff",
  "py-pass-config-pre-311",
  "py-propagate-trace-headers",
];
