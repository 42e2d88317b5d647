/**
 * Worker thread of `check` for Python files: lints the files it is sent (parse, model, rules) and returns the
 * findings as plain data. The main thread reads the files and sends, once, the texts of the files it read (the
 * project index reads other modules from them, as in the main thread). See ./python-lint.ts.
 */
import { parentPort } from "node:worker_threads";
import { initPythonParser, lintPython, PythonParseError } from "../python/index.js";
import { withKnownTexts } from "../python/project.js";
import type { PythonLintReply, PythonLintRequest } from "./python-lint.js";

const ready = initPythonParser();
let texts: ReadonlyMap<string, string> = new Map();
const queue: PythonLintRequest[] = [];
let running = false;

async function lintOne(task: PythonLintRequest): Promise<PythonLintReply> {
  try {
    await ready;
    const findings = await withKnownTexts(texts, () => lintPython(task.text, task.file, task.settings, { rules: task.rules, cwd: task.cwd }));
    return { id: task.id, findings };
  } catch (error) {
    if (error instanceof PythonParseError) return { id: task.id, parseError: { reason: error.reason, line: error.line, column: error.column } };
    return { id: task.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

/** One task at a time, in the order they came. */
async function drain(): Promise<void> {
  if (running) return;
  running = true;
  while (queue.length > 0) parentPort!.postMessage(await lintOne(queue.shift()!));
  running = false;
}

parentPort!.on("message", (message: { texts: ReadonlyMap<string, string> } | PythonLintRequest) => {
  if ("texts" in message) texts = message.texts;
  else {
    queue.push(message);
    void drain();
  }
});
