/**
 * A small worker_threads pool for `trace-nesting fix`: each worker loads the analysis once and fixes the files it
 * is sent; results come back in completion order.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { FixTaskResult } from "./fix-task.js";
import type { TransformOptions } from "./transform.js";

export interface PoolTask {
  file: string;
  text: string;
}

const WORKER_URL = new URL("./fix-worker.js", import.meta.url);

/** Whether the compiled worker module exists (it does in the built package; not when running the sources). */
export function workerAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

/**
 * Run `tasks` over `size` workers; `onResult` is called for each file as it completes. Resolves when every task
 * has a result; a worker that dies fails the tasks it held with an internal error, the others go on.
 */
export async function runPool(
  tasks: readonly PoolTask[],
  size: number,
  options: TransformOptions,
  onResult: (task: PoolTask, result: FixTaskResult) => void,
): Promise<void> {
  let next = 0;
  let done = 0;
  if (tasks.length === 0) return;
  await new Promise<void>((resolve) => {
    const workers: Worker[] = [];
    const finishOne = (index: number, result: FixTaskResult) => {
      onResult(tasks[index], result);
      done++;
      if (done === tasks.length) {
        for (const worker of workers) void worker.terminate();
        resolve();
      }
    };
    const start = () => {
      const worker = new Worker(WORKER_URL, { workerData: { options } });
      workers.push(worker);
      let current: number | undefined;
      const feed = () => {
        if (next < tasks.length) {
          current = next++;
          worker.postMessage({ id: current, file: tasks[current].file, text: tasks[current].text });
        } else {
          current = undefined;
          void worker.terminate();
        }
      };
      worker.on("message", (message: { id: number; result: FixTaskResult }) => {
        current = undefined;
        finishOne(message.id, message.result);
        feed();
      });
      const fail = (reason: string) => {
        if (current === undefined) return;
        const failed = current;
        current = undefined;
        finishOne(failed, { ok: false, error: { kind: "internal", message: `worker failed: ${reason}` } });
        // Hand the remaining work to a fresh worker.
        if (next < tasks.length) start();
      };
      worker.on("error", (error) => fail(error.message));
      worker.on("exit", (code) => fail(`exited with code ${code}`));
      feed();
    };
    for (let i = 0; i < Math.min(size, tasks.length); i++) start();
  });
}
