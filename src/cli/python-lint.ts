/**
 * Linting the Python files that pass the pre-check, on two threads when that pays: `check` starts one worker
 * (./python-worker.ts) while it lists and reads the files, so the worker has loaded the parser by the time the
 * pre-check is done; then the main thread and the worker take the files, largest first, from one queue. Findings
 * are the same as on one thread (the same `lintPython`, with the same texts for the project index).
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { lintPython, PythonParseError, type PyLintFinding } from "../python/index.js";

export interface PythonLintRequest {
  id: number;
  file: string;
  text: string;
  settings: Record<string, unknown>;
  rules: readonly string[] | undefined;
  cwd: string;
}

export type PythonLintReply =
  | { id: number; findings: PyLintFinding[] }
  | { id: number; parseError: { reason: string; line: number; column: number } }
  | { id: number; error: string };

export interface PythonLintTask {
  file: string;
  text: string;
}

/** A file's findings, or the parse error that stopped it. */
export type PythonLintOutcome = { findings: PyLintFinding[] } | { parseError: PythonParseError };

const WORKER_URL = new URL("./python-worker.js", import.meta.url);
/** Fewer files than this under the paths: no worker (starting one costs about as much as linting a few files). */
export const WORKER_MIN_FILES = 100;
/** Less text than this to lint: the worker, if started, is not used. */
const WORKER_MIN_CHARS = 100_000;

/**
 * `TRACE_NESTING_PYTHON_WORKER`: `0` never uses the worker, `1` always does (tests compare the two); otherwise the
 * sizes above decide.
 */
const forced = (): string | undefined => process.env.TRACE_NESTING_PYTHON_WORKER;

/** A worker for `files` Python files, started now, or undefined when one would not pay (or cannot run). */
export function startPythonWorker(files: number): Worker | undefined {
  if (forced() === "0" || (forced() !== "1" && (files < WORKER_MIN_FILES || availableParallelism() < 2))) return undefined;
  if (!existsSync(fileURLToPath(WORKER_URL))) return undefined; // running the sources (tests): no compiled worker
  return new Worker(WORKER_URL);
}

/** Lint one file on this thread. */
async function lintHere(task: PythonLintTask, settings: Record<string, unknown>, rules: readonly string[] | undefined, cwd: string): Promise<PythonLintOutcome> {
  try {
    return { findings: await lintPython(task.text, task.file, settings, { rules, cwd }) };
  } catch (error) {
    if (error instanceof PythonParseError) return { parseError: error };
    throw error;
  }
}

/**
 * Lint `tasks`, with `worker` (if any) taking files from the same queue; `texts` are every file read (for the
 * worker's project index). The worker is terminated before this returns. Outcomes are in the order of `tasks`.
 */
export async function lintPythonTasks(
  tasks: readonly PythonLintTask[],
  options: { settings: Record<string, unknown>; rules: readonly string[] | undefined; cwd: string; texts: ReadonlyMap<string, string> },
  worker: Worker | undefined,
): Promise<PythonLintOutcome[]> {
  const outcomes: PythonLintOutcome[] = new Array(tasks.length);
  const { settings, rules, cwd } = options;
  const chars = tasks.reduce((sum, task) => sum + task.text.length, 0);
  if (!worker || tasks.length < 2 || (chars < WORKER_MIN_CHARS && forced() !== "1")) {
    if (worker) void worker.terminate();
    for (let i = 0; i < tasks.length; i++) outcomes[i] = await lintHere(tasks[i], settings, rules, cwd);
    return outcomes;
  }
  // Largest first, so that the two threads end close together.
  const order = tasks.map((_, i) => i).sort((a, b) => tasks[b].text.length - tasks[a].text.length);
  let next = 0;
  let failure: Error | undefined;
  let workerDone: () => void = () => undefined;
  let inWorker: number | undefined;
  const workerFinished = new Promise<void>((resolve) => (workerDone = resolve));
  const feedWorker = () => {
    if (failure === undefined && next < order.length) {
      inWorker = order[next++];
      const task = tasks[inWorker];
      const request: PythonLintRequest = { id: inWorker, file: task.file, text: task.text, settings, rules, cwd };
      worker.postMessage(request);
    } else {
      inWorker = undefined;
      workerDone();
    }
  };
  /** The worker failed: what it held is linted here. */
  const workerLost = () => {
    if (inWorker !== undefined) {
      order.push(inWorker);
      inWorker = undefined;
    }
    workerDone();
  };
  worker.on("message", (reply: PythonLintReply) => {
    if ("findings" in reply) outcomes[reply.id] = { findings: reply.findings };
    else if ("parseError" in reply) outcomes[reply.id] = { parseError: new PythonParseError(tasks[reply.id].file, reply.parseError.line, reply.parseError.column, reply.parseError.reason) };
    else failure ??= new Error(`trace-nesting: linting ${tasks[reply.id].file} failed: ${reply.error}`);
    feedWorker();
  });
  worker.on("error", workerLost);
  worker.on("exit", workerLost);
  try {
    worker.postMessage({ texts: options.texts });
    feedWorker();
    while (failure === undefined && next < order.length) {
      const index = order[next++];
      outcomes[index] = await lintHere(tasks[index], settings, rules, cwd);
      // Let the worker's replies in between files.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await workerFinished;
  } finally {
    worker.removeAllListeners("exit");
    await worker.terminate();
  }
  if (failure) throw failure;
  // What the worker could not do (it exited) is linted here.
  for (let i = 0; i < tasks.length; i++) outcomes[i] ??= await lintHere(tasks[i], settings, rules, cwd);
  return outcomes;
}
