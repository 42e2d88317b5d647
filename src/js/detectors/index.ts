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
  bindQueuedTask,
  continueDistributedTrace as JsDetector<CommonOptions>,
  continueTraceInWorker,
  noDetachedIterator,
  passParentRunTree as JsDetector<CommonOptions>,
  passRunnableConfig as JsDetector<CommonOptions>,
  propagateTraceHeaders,
  propagateTraceToWorker,
  setUpAsyncContext,
];

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
