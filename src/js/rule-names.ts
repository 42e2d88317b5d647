/**
 * The JavaScript rules' names, in rule-name order (the order of `jsDetectors`), for code that must know them
 * without loading the JavaScript engine: the CLI's `--rule` help and validation (`check --lang python` loads no
 * JavaScript analysis). `test/cli/rule-names.test.ts` checks that this list equals the detectors' names.
 */
export const JS_RULE_NAMES: readonly string[] = [
  "bind-detached-callback",
  "bind-queued-task",
  "continue-distributed-trace",
  "continue-trace-in-worker",
  "no-detached-iterator",
  "pass-parent-run-tree",
  "pass-runnable-config",
  "propagate-trace-headers",
  "propagate-trace-to-worker",
  "set-up-async-context",
];
