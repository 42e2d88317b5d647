import { bindDetachedCallback } from "./bind-detached-callback.js";
import { bindQueuedTask } from "./bind-queued-task.js";
import { continueDistributedTrace } from "./continue-distributed-trace.js";
import { passRunnableConfig } from "./pass-runnable-config.js";
import { propagateTraceHeaders } from "./propagate-trace-headers.js";
import { continueTraceInWorker } from "./continue-trace-in-worker.js";
import { propagateTraceToWorker } from "./propagate-trace-to-worker.js";
import { noDetachedIterator } from "./no-detached-iterator.js";
import { passParentRunTree } from "./pass-parent-run-tree.js";
import { setUpAsyncContext } from "./set-up-async-context.js";
import type { CommonOptions, JsDetector } from "./types.js";

/** Every JavaScript/TypeScript detector, in rule-name order. */
export const jsDetectors: readonly JsDetector<CommonOptions>[] = [
  bindDetachedCallback,
  bindQueuedTask as JsDetector<CommonOptions>,
  continueDistributedTrace as JsDetector<CommonOptions>,
  continueTraceInWorker,
  noDetachedIterator,
  passParentRunTree as JsDetector<CommonOptions>,
  passRunnableConfig as JsDetector<CommonOptions>,
  propagateTraceHeaders,
  propagateTraceToWorker,
  setUpAsyncContext,
];

/**
 * The rule options `strict` (the ESLint config and the CLI's `--strict`) sets on top of `recommended`: portability
 * hazards (code that nests only because AsyncLocalStorage is set up), every handler that does not continue an incoming
 * trace, and shared limiters whose concurrency leaves free slots (they split only once saturated).
 */
export const STRICT_RULE_OPTIONS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  "bind-queued-task": { wideLimiters: true },
  "continue-distributed-trace": { reportRoots: true },
  "pass-parent-run-tree": { portability: true },
  "pass-runnable-config": { portability: true },
};

export function detectorByName(name: string): JsDetector<CommonOptions> | undefined {
  return jsDetectors.find((detector) => detector.meta.name === name);
}

export {
  bindDetachedCallback,
  bindQueuedTask,
  continueDistributedTrace,
  continueTraceInWorker,
  noDetachedIterator,
  passParentRunTree,
  passRunnableConfig,
  propagateTraceHeaders,
  propagateTraceToWorker,
  setUpAsyncContext,
};
export type { JsDetector, JsFindingData, CommonOptions } from "./types.js";
