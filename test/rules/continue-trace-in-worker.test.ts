/**
 * continue-trace-in-worker: RuleTester cases (direct and indirect forms: payloads and handlers in variables, helpers, CommonJS,
 * worker modules resolved through the project) and the NESTED look-alikes, plus idempotency of the fixes.
 * Runtime proof: fixtures/runtime/continue-trace-in-worker/ and fixtures/runtime/propagate-trace-to-worker/ (test/runtime/oracle.test.ts).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { describeIdempotency, rule, tester } from "./helpers.js";

const RULE = "continue-trace-in-worker";

/** A throw-away project (with a package.json) holding the other modules a case resolves. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "trace-nesting-workers-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Programs of the cases whose handler is registered through a helper exported by another module (issue 8). */
const PKG = "{\"name\":\"p\",\"type\":\"module\"}";
const PKG_CJS = "{\"name\":\"p\"}";
const helperFileWorker = "import { traceable } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nimport { onJob } from \"./helpers.mjs\";\nconst embed = traceable(async (text) => [text.length]);\nonJob(async ({ text }) => {\n  const vector = await embed(text);\n  parentPort.postMessage(vector);\n});\n";
const helperFileCjs = "const { traceable } = require(\"langsmith/traceable\");\nconst { listen } = require(\"./helpers.cjs\");\nconst draft = traceable(async (t) => t);\nlisten(\"message\", async (job) => {\n  process.send(await draft(job.ticket));\n});\nlisten(\"disconnect\", async () => {\n  await draft(\"bye\");\n});\n";
const continuingWorker = "import { withRunTree, traceable } from \"langsmith/traceable\";\nimport { RunTree } from \"langsmith/run_trees\";\nimport { parentPort } from \"node:worker_threads\";\nimport { onJob } from \"./helpers.mjs\";\nconst embed = traceable(async (text) => [text.length]);\nonJob(async ({ text, langsmithHeaders }) => {\n  const parent = langsmithHeaders ? RunTree.fromHeaders(langsmithHeaders) : undefined;\n  const vector = parent ? await withRunTree(parent, () => embed(text)) : await embed(text);\n  await RunTree.getSharedClient().awaitPendingTraceBatches();\n  parentPort.postMessage(vector);\n});\n";
const idleWorker = "import { traceable } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nimport { onJob } from \"./helpers.mjs\";\nexport const embed = traceable(async (text) => [text.length]);\nonJob(async ({ text }) => parentPort.postMessage(text.length));\n";
const syncWorker = "import { traceable } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nimport { runNow } from \"./helpers.mjs\";\nconst embed = traceable(async (text) => [text.length]);\nrunNow(\"message\", async (job) => parentPort.postMessage(await embed(job.text)));\n";
const otherEventWorker = "import { traceable } from \"langsmith/traceable\";\nimport { listen } from \"./helpers.mjs\";\nconst flush = traceable(async () => 1);\nlisten(\"close\", async () => {\n  await flush();\n});\n";
const HELPERS = "import { parentPort } from \"node:worker_threads\";\nexport function onJob(handler) {\n  parentPort.on(\"message\", handler);\n}\nexport function listen(event, handler) {\n  parentPort.on(event, handler);\n}\nexport function runNow(event, handler) {\n  parentPort.on(\"close\", () => {});\n  return handler({ text: event });\n}\n";

const valid = [
  {
    name: "handler without traced work",
    code: "import { parentPort } from \"node:worker_threads\";\nparentPort?.on(\"message\", (n: number) => parentPort?.postMessage(n * 2));\n",
  },
  {
    name: "handler that already continues from the headers",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { withRunTree } from \"langsmith/traceable\";\nimport { RunTree } from \"langsmith/run_trees\";\nimport { parentPort } from \"node:worker_threads\";\nconst score = traceable(async (t: string) => t.length);\nparentPort?.on(\"message\", async (job) => {\n  const rt = RunTree.fromHeaders(job.headers);\n  parentPort?.postMessage(rt ? await withRunTree(rt, () => score(job.t)) : await score(job.t));\n});\n",
  },
  {
    name: "handler that continues through a local helper",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { withRunTree } from \"langsmith/traceable\";\nimport { RunTree } from \"langsmith/run_trees\";\nimport { parentPort } from \"node:worker_threads\";\nconst score = traceable(async (t: string) => t.length);\nasync function scoreFor(job: { t: string; headers?: Record<string, string> }) {\n  const rt = job.headers ? RunTree.fromHeaders(job.headers) : undefined;\n  return rt ? withRunTree(rt, () => score(job.t)) : score(job.t);\n}\nparentPort?.on(\"message\", async (job) => parentPort?.postMessage(await scoreFor(job)));\n",
  },
  {
    name: "worker script working at load time that continues from workerData's headers",
    code: "import { parentPort, workerData } from \"node:worker_threads\";\nimport { traceable, withRunTree } from \"langsmith/traceable\";\nimport { RunTree } from \"langsmith/run_trees\";\nconst embed = traceable(async (text) => [text.length]);\nconst parent = RunTree.fromHeaders(workerData.headers);\nparentPort.postMessage(parent ? await withRunTree(parent, () => embed(workerData.text)) : await embed(workerData.text));\n",
    filename: "w.mjs",
  },
  {
    name: "a message listener on an ordinary emitter",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\nconst bus = new EventEmitter();\nconst score = traceable(async (t: string) => t.length);\nbus.on(\"message\", async (t: string) => score(t));\n",
  },
  {
    name: "a default export nobody loads as a pool task",
    code: "import { traceable } from \"langsmith/traceable\";\nconst summarize = traceable(async (doc) => doc);\nexport default async ({ doc }) => summarize(doc);\n",
    filename: path.join(project({"package.json": "{\"name\":\"p\",\"type\":\"module\"}", "mod.mjs": "import { traceable } from \"langsmith/traceable\";\nconst summarize = traceable(async (doc) => doc);\nexport default async ({ doc }) => summarize(doc);\n"}), "mod.mjs"),
  },
  // Handlers registered through helpers (in the file, two deep, from another module) that are no split.
  {
    name: "handler registered two helpers deep that does no traced work",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nexport const score = traceable(async (n: number) => n);\nfunction register(event: string, handler: (n: number) => unknown) {\n  parentPort?.on(event, handler);\n}\nfunction onMessage(handler: (n: number) => unknown) {\n  register(\"message\", handler);\n}\nonMessage(async (n) => parentPort?.postMessage(n * 2));\nonMessage(async (n) => parentPort?.postMessage(n * 3));\n",
  },
  {
    name: "handler registered through a helper that already continues from the headers",
    code: "import { traceable, withRunTree } from \"langsmith/traceable\";\nimport { RunTree } from \"langsmith/run_trees\";\nimport { parentPort } from \"node:worker_threads\";\nconst score = traceable(async (t: string) => t.length);\nfunction listen(event: string, handler: (job: any) => unknown) {\n  parentPort?.on(event, handler);\n}\nlisten(\"message\", async (job) => {\n  const rt = RunTree.fromHeaders(job.langsmithHeaders);\n  parentPort?.postMessage(rt ? await withRunTree(rt, () => score(job.t)) : await score(job.t));\n});\nlisten(\"message\", async (job) => parentPort?.postMessage(job.t));\n",
  },
  {
    name: "helper that calls the function at once and registers nothing",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nconst embed = traceable(async (text) => [text.length]);\nfunction runNow(event, handler) {\n  return handler({ text: event });\n}\nrunNow(\"message\", async (job) => parentPort.postMessage(await embed(job.text)));\nrunNow(\"message\", async (job) => parentPort.postMessage(job.text));\n",
    filename: "w.mjs",
  },
  {
    name: "helper that registers the handler on an ordinary emitter it is given",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\nconst bus = new EventEmitter();\nconst score = traceable(async (t) => t.length);\nfunction subscribe(target, handler) {\n  target.on(\"message\", handler);\n}\nsubscribe(bus, async (t) => score(t));\nsubscribe(bus, async (t) => score(t + \"!\"));\n",
    filename: "w.mjs",
  },
  {
    name: "helper that registers the handler for another event of the process",
    code: "const { traceable } = require(\"langsmith/traceable\");\nconst flush = traceable(async () => 1);\nfunction listen(event, handler) {\n  process.on(event, handler);\n}\nlisten(\"exit\", async () => { await flush(); });\nlisten(\"SIGTERM\", async () => { await flush(); });\n",
    filename: "child.cjs",
  },
  {
    name: "handler registered through a helper from another module that already continues from the headers",
    code: continuingWorker,
    filename: path.join(project({ "package.json": PKG, "helpers.mjs": HELPERS, "worker.mjs": continuingWorker }), "worker.mjs"),
  },
  {
    name: "handler registered through a helper from another module that does no traced work",
    code: idleWorker,
    filename: path.join(project({ "package.json": PKG, "helpers.mjs": HELPERS, "worker.mjs": idleWorker }), "worker.mjs"),
  },
  {
    name: "helper from another module that calls the function at once and registers nothing",
    code: syncWorker,
    filename: path.join(project({ "package.json": PKG, "helpers.mjs": HELPERS, "worker.mjs": syncWorker }), "worker.mjs"),
  },
  {
    name: "helper from another module that registers the handler for another event",
    code: otherEventWorker,
    filename: path.join(project({ "package.json": PKG, "helpers.mjs": HELPERS, "worker.mjs": otherEventWorker }), "worker.mjs"),
  },
];

const invalid = [
  {
    name: "parentPort handler replying through an optional chain",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nconst score = traceable(async (t: string) => t.length);\nparentPort?.on(\"message\", async (job) => {\n  const result = await score(job.ticket);\n  parentPort?.postMessage(result);\n});\n",
    errors: [{ messageId: "notContinued", line: 4, column: 27 }],
    output: "import { traceable, withRunTree } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nimport { RunTree } from \"langsmith/run_trees\";\nconst score = traceable(async (t: string) => t.length);\nparentPort?.on(\"message\", async (job) => { return continueTraceInWorker(job?.langsmithHeaders, async () => {\n  const result = await score(job.ticket);\n  await RunTree.getSharedClient().awaitPendingTraceBatches();\n  parentPort?.postMessage(result);\n}); });\n\n/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */\nasync function continueTraceInWorker<T>(headers: Record<string, string> | undefined, work: () => Promise<T>): Promise<T> {\n  const parentRun = headers ? RunTree.fromHeaders(headers) : undefined;\n  if (!parentRun) return work();\n  try {\n    return await withRunTree(parentRun, work);\n  } finally {\n    await RunTree.getSharedClient().awaitPendingTraceBatches();\n  }\n}\n",
  },
  {
    name: "workerpool method gets the headers as its last parameter (TypeScript)",
    code: "import { traceable } from \"langsmith/traceable\";\nimport workerpool from \"workerpool\";\nconst score = traceable(async (t: string) => t.length);\nworkerpool.worker({ score: async (t: string) => score(t) });\n",
    errors: [{ messageId: "notContinued", line: 4, column: 28 }],
    output: "import { traceable, withRunTree } from \"langsmith/traceable\";\nimport workerpool from \"workerpool\";\nimport { RunTree } from \"langsmith/run_trees\";\nconst score = traceable(async (t: string) => t.length);\nworkerpool.worker({ score: async (t: string, langsmithHeaders?: Record<string, string>) => continueTraceInWorker(langsmithHeaders, async () => (score(t))) });\n\n/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */\nasync function continueTraceInWorker<T>(headers: Record<string, string> | undefined, work: () => Promise<T>): Promise<T> {\n  const parentRun = headers ? RunTree.fromHeaders(headers) : undefined;\n  if (!parentRun) return work();\n  try {\n    return await withRunTree(parentRun, work);\n  } finally {\n    await RunTree.getSharedClient().awaitPendingTraceBatches();\n  }\n}\n",
  },
  {
    name: "traceables given the file's own client: the run tree from the headers uses it too (the worker flushes it before replying)",
    code: "import { Client } from \"langsmith\";\nimport { traceable } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nconst client = new Client();\nconst tick = traceable(async () => 1, { name: \"tick\", client });\nconst onMessage = async () => { await tick(); };\nparentPort.on(\"message\", onMessage);\n",
    filename: "w.mjs",
    errors: [{ messageId: "notContinued" }],
    output: "import { Client } from \"langsmith\";\nimport { traceable, withRunTree } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nimport { RunTree } from \"langsmith/run_trees\";\nconst client = new Client();\nconst tick = traceable(async () => 1, { name: \"tick\", client });\nconst onMessage = async (message) => { return continueTraceInWorker(message?.langsmithHeaders, async () => { await tick(); }); };\nparentPort.on(\"message\", onMessage);\n\n/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */\nasync function continueTraceInWorker(headers, work) {\n  const parentRun = headers ? RunTree.fromHeaders(headers, { client }) : undefined;\n  if (!parentRun) return work();\n  try {\n    return await withRunTree(parentRun, work);\n  } finally {\n    await RunTree.getSharedClient().awaitPendingTraceBatches();\n    await client.awaitPendingTraceBatches();\n  }\n}\n",
  },
  {
    name: "handler held in a variable, with no parameter",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nconst tick = traceable(async () => 1);\nconst onMessage = async () => { await tick(); };\nparentPort.on(\"message\", onMessage);\n",
    filename: "w.mjs",
    errors: [{ messageId: "notContinued", line: 4, column: 19 }],
    output: "import { traceable, withRunTree } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nimport { RunTree } from \"langsmith/run_trees\";\nconst tick = traceable(async () => 1);\nconst onMessage = async (message) => { return continueTraceInWorker(message?.langsmithHeaders, async () => { await tick(); }); };\nparentPort.on(\"message\", onMessage);\n\n/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */\nasync function continueTraceInWorker(headers, work) {\n  const parentRun = headers ? RunTree.fromHeaders(headers) : undefined;\n  if (!parentRun) return work();\n  try {\n    return await withRunTree(parentRun, work);\n  } finally {\n    await RunTree.getSharedClient().awaitPendingTraceBatches();\n  }\n}\n",
  },
  {
    name: "forked child, destructured message, CommonJS",
    code: "const { traceable } = require(\"langsmith/traceable\");\nconst draft = traceable(async (t) => t);\nprocess.on(\"message\", async ({ ticket }) => {\n  const text = await draft(ticket);\n  process.send(text);\n});\n",
    filename: "child.cjs",
    errors: [{ messageId: "notContinued", line: 3, column: 23 }],
    output: "const { traceable, withRunTree } = require(\"langsmith/traceable\");\nconst { RunTree } = require(\"langsmith/run_trees\");\nconst draft = traceable(async (t) => t);\nprocess.on(\"message\", async ({ ticket, langsmithHeaders }) => { return continueTraceInWorker(langsmithHeaders, async () => {\n  const text = await draft(ticket);\n  await RunTree.getSharedClient().awaitPendingTraceBatches();\n  process.send(text);\n}); });\n\n/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */\nasync function continueTraceInWorker(headers, work) {\n  const parentRun = headers ? RunTree.fromHeaders(headers) : undefined;\n  if (!parentRun) return work();\n  try {\n    return await withRunTree(parentRun, work);\n  } finally {\n    await RunTree.getSharedClient().awaitPendingTraceBatches();\n  }\n}\n",
  },
  {
    name: "worker script working at load time from workerData: reported without a fix",
    code: "import { parentPort, workerData } from \"node:worker_threads\";\nimport { traceable } from \"langsmith/traceable\";\nconst embed = traceable(async (text) => [text.length]);\nparentPort.postMessage(await embed(workerData.text));\n",
    filename: "w.mjs",
    errors: [{ messageId: "workerDataScript", line: 4, column: 30 }],
    output: null,
  },
  {
    name: "synchronous handler: reported without a fix",
    code: "import { traceable } from \"langsmith/traceable\";\nconst score = traceable(async (t: string) => t.length);\nprocess.on(\"message\", (job: { t: string }) => { void score(job.t); });\n",
    errors: [{ messageId: "notContinuedSync", line: 3, column: 23 }],
    output: null,
  },
  {
    name: "piscina task module found through the pool that loads it",
    code: "import { traceable } from \"langsmith/traceable\";\nconst summarize = traceable(async (doc) => `summary of ${doc}`);\nexport default async ({ doc }) => summarize(doc);\n",
    filename: path.join(project({"package.json": "{\"name\":\"p\",\"type\":\"module\"}", "pool.mjs": "import Piscina from \"piscina\";\nexport const pool = new Piscina({ filename: new URL(\"./task.mjs\", import.meta.url).pathname });\nexport const pool2 = new Piscina({ filename: \"./task.mjs\" });\n", "task.mjs": "import { traceable } from \"langsmith/traceable\";\nconst summarize = traceable(async (doc) => `summary of ${doc}`);\nexport default async ({ doc }) => summarize(doc);\n"}), "task.mjs"),
    errors: [{ messageId: "notContinued", line: 3, column: 16 }],
    output: "import { traceable, withRunTree } from \"langsmith/traceable\";\nimport { RunTree } from \"langsmith/run_trees\";\nconst summarize = traceable(async (doc) => `summary of ${doc}`);\nexport default async ({ doc, langsmithHeaders }) => continueTraceInWorker(langsmithHeaders, async () => (summarize(doc)));\n\n/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */\nasync function continueTraceInWorker(headers, work) {\n  const parentRun = headers ? RunTree.fromHeaders(headers) : undefined;\n  if (!parentRun) return work();\n  try {\n    return await withRunTree(parentRun, work);\n  } finally {\n    await RunTree.getSharedClient().awaitPendingTraceBatches();\n  }\n}\n",
  },
  {
    name: "worker whose traced work is imported from the project and computed in the reply",
    code: "import { parentPort } from \"node:worker_threads\";\nimport { scoreTicket } from \"./scoring.mjs\";\n\nparentPort.on(\"message\", async (job) => {\n  parentPort.postMessage(await scoreTicket(job.ticket));\n});\n",
    filename: path.join(project({"package.json": "{\"name\":\"p\",\"type\":\"module\"}", "scoring.mjs": "import { traceable } from \"langsmith/traceable\";\nexport const scoreTicket = traceable(async (t) => t.length, { name: \"score\" });\n", "w.mjs": "import { parentPort } from \"node:worker_threads\";\nimport { scoreTicket } from \"./scoring.mjs\";\n\nparentPort.on(\"message\", async (job) => {\n  parentPort.postMessage(await scoreTicket(job.ticket));\n});\n"}), "w.mjs"),
    errors: [{ messageId: "notContinued", line: 4, column: 26 }],
    output: "import { parentPort } from \"node:worker_threads\";\nimport { scoreTicket } from \"./scoring.mjs\";\nimport { RunTree } from \"langsmith/run_trees\";\nimport { withRunTree } from \"langsmith/traceable\";\n\nparentPort.on(\"message\", async (job) => { return continueTraceInWorker(job?.langsmithHeaders, async () => {\n  const workerReply = await scoreTicket(job.ticket);\n  await RunTree.getSharedClient().awaitPendingTraceBatches();\n  parentPort.postMessage(workerReply);\n}); });\n\n/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */\nasync function continueTraceInWorker(headers, work) {\n  const parentRun = headers ? RunTree.fromHeaders(headers) : undefined;\n  if (!parentRun) return work();\n  try {\n    return await withRunTree(parentRun, work);\n  } finally {\n    await RunTree.getSharedClient().awaitPendingTraceBatches();\n  }\n}\n",
  },
  // Handlers registered through helpers: in the file (called twice, so value flow alone cannot tell the handler), two deep, from another module.
  {
    name: "handler registered through an in-file helper that takes the event and the handler (helper called twice)",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nconst score = traceable(async (t: string) => t.length);\nfunction listen(event: string, handler: (job: any) => unknown) {\n  parentPort?.on(event, handler);\n}\nlisten(\"message\", async ({ ticket }) => {\n  const result = await score(ticket);\n  parentPort?.postMessage(result);\n});\nlisten(\"close\", async () => {\n  await score(\"bye\");\n});\n",
    errors: [{ messageId: "notContinued", line: 7, column: 19 }],
    output: "import { traceable, withRunTree } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nimport { RunTree } from \"langsmith/run_trees\";\nconst score = traceable(async (t: string) => t.length);\nfunction listen(event: string, handler: (job: any) => unknown) {\n  parentPort?.on(event, handler);\n}\nlisten(\"message\", async ({ ticket, langsmithHeaders }) => { return continueTraceInWorker(langsmithHeaders, async () => {\n  const result = await score(ticket);\n  await RunTree.getSharedClient().awaitPendingTraceBatches();\n  parentPort?.postMessage(result);\n}); });\nlisten(\"close\", async () => {\n  await score(\"bye\");\n});\n\n/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */\nasync function continueTraceInWorker<T>(headers: Record<string, string> | undefined, work: () => Promise<T>): Promise<T> {\n  const parentRun = headers ? RunTree.fromHeaders(headers) : undefined;\n  if (!parentRun) return work();\n  try {\n    return await withRunTree(parentRun, work);\n  } finally {\n    await RunTree.getSharedClient().awaitPendingTraceBatches();\n  }\n}\n",
  },
  {
    name: "handler registered two helpers deep, the event named by the middle one",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nconst embed = traceable(async (text) => [text.length]);\nfunction register(event, handler) {\n  return parentPort.once(event, handler);\n}\nfunction onMessage(handler) {\n  return register(\"message\", handler);\n}\nonMessage(async (job) => {\n  parentPort.postMessage(await embed(job.text));\n});\nonMessage(async (job) => parentPort.postMessage(job.text.length));\n",
    filename: "w.mjs",
    errors: [{ messageId: "notContinued", line: 10, column: 11 }],
    output: "import { traceable, withRunTree } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nimport { RunTree } from \"langsmith/run_trees\";\nconst embed = traceable(async (text) => [text.length]);\nfunction register(event, handler) {\n  return parentPort.once(event, handler);\n}\nfunction onMessage(handler) {\n  return register(\"message\", handler);\n}\nonMessage(async (job) => { return continueTraceInWorker(job?.langsmithHeaders, async () => {\n  const workerReply = await embed(job.text);\n  await RunTree.getSharedClient().awaitPendingTraceBatches();\n  parentPort.postMessage(workerReply);\n}); });\nonMessage(async (job) => parentPort.postMessage(job.text.length));\n\n/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */\nasync function continueTraceInWorker(headers, work) {\n  const parentRun = headers ? RunTree.fromHeaders(headers) : undefined;\n  if (!parentRun) return work();\n  try {\n    return await withRunTree(parentRun, work);\n  } finally {\n    await RunTree.getSharedClient().awaitPendingTraceBatches();\n  }\n}\n",
  },
  {
    name: "forked child's handler registered through a helper that takes the receiver (CommonJS)",
    code: "const { traceable } = require(\"langsmith/traceable\");\nconst draft = traceable(async (t) => t);\nfunction subscribe(target, handler) {\n  target.on(\"message\", handler);\n}\nsubscribe(process, async ({ ticket }) => {\n  const text = await draft(ticket);\n  process.send(text);\n});\nsubscribe(process, async ({ ticket }) => {\n  process.send(ticket);\n});\n",
    filename: "child.cjs",
    errors: [{ messageId: "notContinued", line: 6, column: 20 }],
    output: "const { traceable, withRunTree } = require(\"langsmith/traceable\");\nconst { RunTree } = require(\"langsmith/run_trees\");\nconst draft = traceable(async (t) => t);\nfunction subscribe(target, handler) {\n  target.on(\"message\", handler);\n}\nsubscribe(process, async ({ ticket, langsmithHeaders }) => { return continueTraceInWorker(langsmithHeaders, async () => {\n  const text = await draft(ticket);\n  await RunTree.getSharedClient().awaitPendingTraceBatches();\n  process.send(text);\n}); });\nsubscribe(process, async ({ ticket }) => {\n  process.send(ticket);\n});\n\n/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */\nasync function continueTraceInWorker(headers, work) {\n  const parentRun = headers ? RunTree.fromHeaders(headers) : undefined;\n  if (!parentRun) return work();\n  try {\n    return await withRunTree(parentRun, work);\n  } finally {\n    await RunTree.getSharedClient().awaitPendingTraceBatches();\n  }\n}\n",
  },
  {
    name: "handler registered through a helper exported by another module",
    code: helperFileWorker,
    filename: path.join(project({ "package.json": PKG, "helpers.mjs": "import { parentPort } from \"node:worker_threads\";\nexport function onJob(handler) {\n  parentPort.on(\"message\", handler);\n}\n", "worker.mjs": helperFileWorker }), "worker.mjs"),
    errors: [{ messageId: "notContinued", line: 5, column: 7 }],
    output: "import { traceable, withRunTree } from \"langsmith/traceable\";\nimport { parentPort } from \"node:worker_threads\";\nimport { onJob } from \"./helpers.mjs\";\nimport { RunTree } from \"langsmith/run_trees\";\nconst embed = traceable(async (text) => [text.length]);\nonJob(async ({ text, langsmithHeaders }) => { return continueTraceInWorker(langsmithHeaders, async () => {\n  const vector = await embed(text);\n  await RunTree.getSharedClient().awaitPendingTraceBatches();\n  parentPort.postMessage(vector);\n}); });\n\n/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */\nasync function continueTraceInWorker(headers, work) {\n  const parentRun = headers ? RunTree.fromHeaders(headers) : undefined;\n  if (!parentRun) return work();\n  try {\n    return await withRunTree(parentRun, work);\n  } finally {\n    await RunTree.getSharedClient().awaitPendingTraceBatches();\n  }\n}\n",
  },
  {
    name: "forked child's handler registered through a helper required from another module (CommonJS)",
    code: helperFileCjs,
    filename: path.join(project({ "package.json": PKG_CJS, "helpers.cjs": "function listen(event, handler) {\n  process.on(event, handler);\n}\nmodule.exports = { listen };\n", "child.cjs": helperFileCjs }), "child.cjs"),
    errors: [{ messageId: "notContinued", line: 4, column: 19 }],
    output: "const { traceable, withRunTree } = require(\"langsmith/traceable\");\nconst { listen } = require(\"./helpers.cjs\");\nconst { RunTree } = require(\"langsmith/run_trees\");\nconst draft = traceable(async (t) => t);\nlisten(\"message\", async (job) => { return continueTraceInWorker(job?.langsmithHeaders, async () => {\n  const workerReply = await draft(job.ticket);\n  await RunTree.getSharedClient().awaitPendingTraceBatches();\n  process.send(workerReply);\n}); });\nlisten(\"disconnect\", async () => {\n  await draft(\"bye\");\n});\n\n/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */\nasync function continueTraceInWorker(headers, work) {\n  const parentRun = headers ? RunTree.fromHeaders(headers) : undefined;\n  if (!parentRun) return work();\n  try {\n    return await withRunTree(parentRun, work);\n  } finally {\n    await RunTree.getSharedClient().awaitPendingTraceBatches();\n  }\n}\n",
  },
];

tester({ runtime: "node" }).run(RULE, rule(RULE), { valid, invalid });
// Cases in a throw-away project outside the working directory are fixed and re-linted by the runtime oracle instead.
describeIdempotency(RULE, invalid.filter((c) => !("filename" in c && path.isAbsolute(c.filename ?? ""))), { runtime: "node" }, ["notContinuedSync", "workerDataScript"]);

// The same for the cases in a throw-away project, linted with the project as the working directory (a flat config
// matches no file outside it): the fix is the expected output, and a second pass reports and changes nothing.
describe(`${RULE}: fixed output in a project reports nothing`, () => {
  const config = [{ ...plugin.configs.recommended, rules: { [`trace-nesting/${RULE}`]: "error" }, settings: { "trace-nesting": { runtime: "node" } } }] as Linter.Config[];
  for (const testCase of invalid) {
    if (!("filename" in testCase) || !path.isAbsolute(testCase.filename ?? "") || !testCase.output) continue;
    it(testCase.name, () => {
      const filename = testCase.filename!;
      const linter = new Linter({ configType: "flat", cwd: path.dirname(filename) });
      const fixed = linter.verifyAndFix(testCase.code, config, { filename });
      expect(fixed.output).toBe(testCase.output);
      expect(fixed.messages.map((m) => m.message)).toEqual([]);
      const again = linter.verifyAndFix(fixed.output, config, { filename });
      expect(again.messages.map((m) => m.message)).toEqual([]);
      expect(again.output).toBe(fixed.output);
    });
  }
});
