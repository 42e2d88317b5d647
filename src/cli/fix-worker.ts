/**
 * Worker thread of `trace-nesting fix`: receives file texts, returns fix results as plain data. Files are read
 * and written by the main thread only.
 */
import { parentPort, workerData } from "node:worker_threads";
import { fixFileText, type FixTaskResult } from "./fix-task.js";
import type { TransformOptions } from "./transform.js";

interface TaskMessage {
  id: number;
  file: string;
  text: string;
}

const options = (workerData as { options: TransformOptions }).options;

parentPort!.on("message", (message: TaskMessage) => {
  const result: FixTaskResult = fixFileText(message.text, message.file, options);
  parentPort!.postMessage({ id: message.id, result });
});
