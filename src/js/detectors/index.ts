import { bindDetachedCallback } from "./bind-detached-callback.js";
import { bindQueuedTask } from "./bind-queued-task.js";
import { noDetachedIterator } from "./no-detached-iterator.js";
import { passParentRunTree } from "./pass-parent-run-tree.js";
import { passRunnableConfig } from "./pass-runnable-config.js";
import { setUpAsyncContext } from "./set-up-async-context.js";
import type { CommonOptions, JsDetector } from "./types.js";

/** Every JavaScript/TypeScript detector, in rule-name order. */
export const jsDetectors: readonly JsDetector<CommonOptions>[] = [
  bindDetachedCallback,
  bindQueuedTask,
  noDetachedIterator,
  passParentRunTree as JsDetector<CommonOptions>,
  passRunnableConfig as JsDetector<CommonOptions>,
  setUpAsyncContext,
];

export function detectorByName(name: string): JsDetector<CommonOptions> | undefined {
  return jsDetectors.find((detector) => detector.meta.name === name);
}

export { bindDetachedCallback, bindQueuedTask, noDetachedIterator, passParentRunTree, passRunnableConfig, setUpAsyncContext };
export type { JsDetector, JsFindingData, CommonOptions } from "./types.js";
