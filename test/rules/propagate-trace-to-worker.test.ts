/**
 * propagate-trace-to-worker: RuleTester cases (direct and indirect forms: payloads and handlers in variables, helpers, CommonJS,
 * worker modules resolved through the project) and the NESTED look-alikes, plus idempotency of the fixes.
 * Runtime proof: fixtures/runtime/propagate-trace-to-worker/ and fixtures/runtime/propagate-trace-to-worker/ (test/runtime/oracle.test.ts).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describeIdempotency, rule, tester } from "./helpers.js";

const RULE = "propagate-trace-to-worker";

/** A throw-away project (with a package.json) holding the other modules a case resolves. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "trace-nesting-workers-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const valid = [
  {
    name: "worker used outside any trace",
    code: "import { Worker } from \"node:worker_threads\";\nimport { traceable } from \"langsmith/traceable\";\nexport const child = traceable(async () => 1);\nconst worker = new Worker(\"./w.js\");\nworker.postMessage({ id: 1 });\nexport function later(id: string) { worker.postMessage({ id }); }\n",
  },
  {
    name: "payload already carries toHeaders()",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { getCurrentRunTree } from \"langsmith/traceable\";\nimport { Worker } from \"node:worker_threads\";\nconst worker = new Worker(\"./w.js\");\nexport const parent = traceable(async (id: string) => worker.postMessage({ id, headers: getCurrentRunTree().toHeaders() }));\n",
  },
  {
    name: "payload in a variable carries headers from a local helper",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { getCurrentRunTree } from \"langsmith/traceable\";\nimport { Worker } from \"node:worker_threads\";\nconst worker = new Worker(\"./w.js\");\nfunction headers() { return getCurrentRunTree(true)?.toHeaders(); }\nexport const parent = traceable(async (id: string) => {\n  const job = { id, trace: headers() };\n  worker.postMessage(job);\n});\n",
  },
  {
    name: "postMessage and run on things that are not workers or pools",
    code: "import { traceable } from \"langsmith/traceable\";\nconst channel = new BroadcastChannel(\"x\");\nconst pool = { run: (x: unknown) => x };\nexport const parent = traceable(async (id: string) => { channel.postMessage({ id }); pool.run({ id }); });\n",
  },
  {
    name: "resolved worker that does no traced work",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { Worker } from \"node:worker_threads\";\nconst worker = new Worker(new URL(\"./w.mjs\", import.meta.url));\nexport const parent = traceable(async (ticket) => worker.postMessage({ ticket }));\n",
    filename: path.join(project({"package.json": "{\"name\":\"p\",\"type\":\"module\"}", "w.mjs": "import { parentPort } from \"node:worker_threads\";\nparentPort.on(\"message\", (job) => parentPort.postMessage(job.ticket.length));\n", "caller.mjs": "import { traceable } from \"langsmith/traceable\";\nimport { Worker } from \"node:worker_threads\";\nconst worker = new Worker(new URL(\"./w.mjs\", import.meta.url));\nexport const parent = traceable(async (ticket) => worker.postMessage({ ticket }));\n"}), "caller.mjs"),
  },
  {
    name: "object method handing work to a pool, called outside any trace",
    code: "import { traceable } from \"langsmith/traceable\";\nimport Piscina from \"piscina\";\nconst pool = new Piscina({ filename: \"./task.js\" });\nconst jobs = { submit: (id: string) => pool.run({ id }) };\nexport const child = traceable(async () => 1);\njobs.submit(\"warm-up\");\n",
  },
  {
    name: "workerpool exec of an inline function (sent as source, cannot trace)",
    code: "import { traceable } from \"langsmith/traceable\";\nimport workerpool from \"workerpool\";\nconst pool = workerpool.pool();\nexport const parent = traceable(async (n: number) => pool.exec((x: number) => x * 2, [n]));\n",
  },
];

const invalid = [
  {
    name: "postMessage of an object literal inside a traceable",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { Worker } from \"node:worker_threads\";\nconst worker = new Worker(\"./w.js\");\nexport const parent = traceable(async (id: string) => {\n  worker.postMessage({ id });\n});\n",
    errors: [{ messageId: "missingHeaders", line: 5, column: 3 }],
    output: "import { traceable, getCurrentRunTree } from \"langsmith/traceable\";\nimport { Worker } from \"node:worker_threads\";\nimport { isRunTree } from \"langsmith/run_trees\";\nconst worker = new Worker(\"./w.js\");\nexport const parent = traceable(async (id: string) => {\n  worker.postMessage({ id, langsmithHeaders: currentTraceHeaders() });\n});\n\n/** The current run tree as headers for another thread or process (trace-nesting); undefined outside a trace and with tracing off. */\nfunction currentTraceHeaders(): Record<string, string> | undefined {\n  const run = getCurrentRunTree(true);\n  return isRunTree(run) ? run.toHeaders() : undefined;\n}\n",
  },
  {
    name: "workerData of a worker created inside a traceable",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { Worker } from \"node:worker_threads\";\nexport const parent = traceable(async (id: string) => new Worker(new URL(\"./w.js\", import.meta.url), { workerData: { id } }));\n",
    errors: [{ messageId: "missingHeaders", line: 3, column: 55 }],
    output: "import { traceable, getCurrentRunTree } from \"langsmith/traceable\";\nimport { Worker } from \"node:worker_threads\";\nimport { isRunTree } from \"langsmith/run_trees\";\nexport const parent = traceable(async (id: string) => new Worker(new URL(\"./w.js\", import.meta.url), { workerData: { id, langsmithHeaders: currentTraceHeaders() } }));\n\n/** The current run tree as headers for another thread or process (trace-nesting); undefined outside a trace and with tracing off. */\nfunction currentTraceHeaders(): Record<string, string> | undefined {\n  const run = getCurrentRunTree(true);\n  return isRunTree(run) ? run.toHeaders() : undefined;\n}\n",
  },
  {
    name: "shared object sent to a forked child: sent as a copy with the headers",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { fork } from \"node:child_process\";\nconst child = fork(\"./child.js\");\nconst defaults = { lang: \"en\" };\nexport const parent = traceable(async () => child.send(defaults));\n",
    errors: [{ messageId: "missingHeaders", line: 5, column: 45 }],
    output: "import { traceable, getCurrentRunTree } from \"langsmith/traceable\";\nimport { fork } from \"node:child_process\";\nimport { isRunTree } from \"langsmith/run_trees\";\nconst child = fork(\"./child.js\");\nconst defaults = { lang: \"en\" };\nexport const parent = traceable(async () => child.send({ ...defaults, langsmithHeaders: currentTraceHeaders() }));\n\n/** The current run tree as headers for another thread or process (trace-nesting); undefined outside a trace and with tracing off. */\nfunction currentTraceHeaders(): Record<string, string> | undefined {\n  const run = getCurrentRunTree(true);\n  return isRunTree(run) ? run.toHeaders() : undefined;\n}\n",
  },
  {
    name: "string task for piscina: suggestion (the worker's input changes shape)",
    code: "import { traceable } from \"langsmith/traceable\";\nimport Piscina from \"piscina\";\nconst pool = new Piscina({ filename: \"./task.js\" });\nexport const parent = traceable(async (id: string) => pool.run(`doc-${id}`));\n",
    errors: [{ messageId: "missingHeaders", line: 4, column: 55, suggestions: [{ messageId: "suggestHeaders", output: "import { traceable, getCurrentRunTree } from \"langsmith/traceable\";\nimport Piscina from \"piscina\";\nimport { isRunTree } from \"langsmith/run_trees\";\nconst pool = new Piscina({ filename: \"./task.js\" });\nexport const parent = traceable(async (id: string) => pool.run({ payload: `doc-${id}`, langsmithHeaders: currentTraceHeaders() }));\n\n/** The current run tree as headers for another thread or process (trace-nesting); undefined outside a trace and with tracing off. */\nfunction currentTraceHeaders(): Record<string, string> | undefined {\n  const run = getCurrentRunTree(true);\n  return isRunTree(run) ? run.toHeaders() : undefined;\n}\n" }] }],
    output: null,
  },
  {
    name: "tinypool run through a helper held in a const, payload in a variable",
    code: "import { traceable } from \"langsmith/traceable\";\nimport Tinypool from \"tinypool\";\nconst pool = new Tinypool({ filename: \"./task.js\" });\nconst submit = async (id: string) => {\n  const task = { id };\n  return pool.run(task);\n};\nexport const parent = traceable(async (id: string) => submit(id));\n",
    errors: [{ messageId: "missingHeaders", line: 6, column: 10 }],
    output: "import { traceable, getCurrentRunTree } from \"langsmith/traceable\";\nimport Tinypool from \"tinypool\";\nimport { isRunTree } from \"langsmith/run_trees\";\nconst pool = new Tinypool({ filename: \"./task.js\" });\nconst submit = async (id: string) => {\n  const task = { id, langsmithHeaders: currentTraceHeaders() };\n  return pool.run(task);\n};\nexport const parent = traceable(async (id: string) => submit(id));\n\n/** The current run tree as headers for another thread or process (trace-nesting); undefined outside a trace and with tracing off. */\nfunction currentTraceHeaders(): Record<string, string> | undefined {\n  const run = getCurrentRunTree(true);\n  return isRunTree(run) ? run.toHeaders() : undefined;\n}\n",
  },
  {
    name: "piscina run inside a method of an object literal the traceable calls",
    code: "import { traceable } from \"langsmith/traceable\";\nimport Piscina from \"piscina\";\nconst pool = new Piscina({ filename: \"./task.js\" });\nconst jobs = {\n  submit(id: string) {\n    return pool.run({ id });\n  },\n};\nexport const parent = traceable(async (id: string) => jobs.submit(id));\n",
    errors: [{ messageId: "missingHeaders", line: 6, column: 12 }],
    output: "import { traceable, getCurrentRunTree } from \"langsmith/traceable\";\nimport Piscina from \"piscina\";\nimport { isRunTree } from \"langsmith/run_trees\";\nconst pool = new Piscina({ filename: \"./task.js\" });\nconst jobs = {\n  submit(id: string) {\n    return pool.run({ id, langsmithHeaders: currentTraceHeaders() });\n  },\n};\nexport const parent = traceable(async (id: string) => jobs.submit(id));\n\n/** The current run tree as headers for another thread or process (trace-nesting); undefined outside a trace and with tracing off. */\nfunction currentTraceHeaders(): Record<string, string> | undefined {\n  const run = getCurrentRunTree(true);\n  return isRunTree(run) ? run.toHeaders() : undefined;\n}\n",
  },
  {
    name: "workerpool exec with an unresolvable worker: suggestion",
    code: "import { traceable } from \"langsmith/traceable\";\nimport workerpool from \"workerpool\";\nconst pool = workerpool.pool(\"./worker.js\");\nexport const parent = traceable(async (id: string) => pool.exec(\"score\", [id]));\n",
    errors: [{ messageId: "missingHeaders", line: 4, column: 55, suggestions: [{ messageId: "suggestHeaders", output: "import { traceable, getCurrentRunTree } from \"langsmith/traceable\";\nimport workerpool from \"workerpool\";\nimport { isRunTree } from \"langsmith/run_trees\";\nconst pool = workerpool.pool(\"./worker.js\");\nexport const parent = traceable(async (id: string) => pool.exec(\"score\", [id, currentTraceHeaders()]));\n\n/** The current run tree as headers for another thread or process (trace-nesting); undefined outside a trace and with tracing off. */\nfunction currentTraceHeaders(): Record<string, string> | undefined {\n  const run = getCurrentRunTree(true);\n  return isRunTree(run) ? run.toHeaders() : undefined;\n}\n" }] }],
    output: null,
  },
  {
    name: "worker module resolved: it traces, so the message names it",
    code: "import { traceable } from \"langsmith/traceable\";\nimport { Worker } from \"node:worker_threads\";\nconst worker = new Worker(new URL(\"./w.mjs\", import.meta.url));\nexport const parent = traceable(async (ticket) => worker.postMessage({ ticket }));\n",
    filename: path.join(project({"package.json": "{\"name\":\"p\",\"type\":\"module\"}", "w.mjs": "import { parentPort } from \"node:worker_threads\";\nimport { traceable } from \"langsmith/traceable\";\nconst score = traceable(async (t) => t.length);\nparentPort.on(\"message\", async (job) => parentPort.postMessage(await score(job.ticket)));\n", "caller.mjs": "import { traceable } from \"langsmith/traceable\";\nimport { Worker } from \"node:worker_threads\";\nconst worker = new Worker(new URL(\"./w.mjs\", import.meta.url));\nexport const parent = traceable(async (ticket) => worker.postMessage({ ticket }));\n"}), "caller.mjs"),
    errors: [{ messageId: "missingHeaders", line: 4, column: 51 }],
    output: "import { traceable, getCurrentRunTree } from \"langsmith/traceable\";\nimport { Worker } from \"node:worker_threads\";\nimport { isRunTree } from \"langsmith/run_trees\";\nconst worker = new Worker(new URL(\"./w.mjs\", import.meta.url));\nexport const parent = traceable(async (ticket) => worker.postMessage({ ticket, langsmithHeaders: currentTraceHeaders() }));\n\n/** The current run tree as headers for another thread or process (trace-nesting); undefined outside a trace and with tracing off. */\nfunction currentTraceHeaders() {\n  const run = getCurrentRunTree(true);\n  return isRunTree(run) ? run.toHeaders() : undefined;\n}\n",
  },
  {
    name: "worker in a module-level const, CommonJS, path.join(__dirname), payload in a variable",
    code: "const path = require(\"node:path\");\nconst { Worker } = require(\"node:worker_threads\");\nconst { traceable } = require(\"langsmith/traceable\");\nconst worker = new Worker(path.join(__dirname, \"w.cjs\"));\nconst parent = traceable(async (ticket) => {\n  const message = { ticket };\n  worker.postMessage(message);\n});\nmodule.exports = { parent };\n",
    filename: path.join(project({"package.json": "{\"name\":\"p\",\"type\":\"module\"}", "w.cjs": "const { parentPort } = require(\"node:worker_threads\");\nconst { traceable } = require(\"langsmith/traceable\");\nconst score = traceable(async (t) => t.length);\nparentPort.on(\"message\", async (job) => parentPort.postMessage(await score(job.ticket)));\n", "caller.cjs": "const path = require(\"node:path\");\nconst { Worker } = require(\"node:worker_threads\");\nconst { traceable } = require(\"langsmith/traceable\");\nconst worker = new Worker(path.join(__dirname, \"w.cjs\"));\nconst parent = traceable(async (ticket) => {\n  const message = { ticket };\n  worker.postMessage(message);\n});\nmodule.exports = { parent };\n"}), "caller.cjs"),
    errors: [{ messageId: "missingHeaders", line: 7, column: 3 }],
    output: "const path = require(\"node:path\");\nconst { Worker } = require(\"node:worker_threads\");\nconst { traceable, getCurrentRunTree } = require(\"langsmith/traceable\");\nconst { isRunTree } = require(\"langsmith/run_trees\");\nconst worker = new Worker(path.join(__dirname, \"w.cjs\"));\nconst parent = traceable(async (ticket) => {\n  const message = { ticket, langsmithHeaders: currentTraceHeaders() };\n  worker.postMessage(message);\n});\nmodule.exports = { parent };\n\n/** The current run tree as headers for another thread or process (trace-nesting); undefined outside a trace and with tracing off. */\nfunction currentTraceHeaders() {\n  const run = getCurrentRunTree(true);\n  return isRunTree(run) ? run.toHeaders() : undefined;\n}\n",
  },
];

// A helper that sends inside a `new Promise` executor (waiting for the worker's reply), called by the traceable.
{
  const code = "import { traceable } from \"langsmith/traceable\";\nimport Tinypool from \"tinypool\";\nconst pool = new Tinypool({ filename: \"./task.js\" });\nfunction submit(id: string) {\n  return new Promise((resolve) => {\n    pool.run({ id }).then(resolve);\n  });\n}\nexport const parent = traceable(async (id: string) => submit(id));\n";
  invalid.push({
    name: "tinypool run inside a Promise executor of a helper the traceable calls",
    code,
    errors: [{ messageId: "missingHeaders", line: 6, column: 5 }],
    output: code.replace("import { traceable } from", "import { traceable, getCurrentRunTree } from").replace("import Tinypool from \"tinypool\";\n", "import Tinypool from \"tinypool\";\nimport { isRunTree } from \"langsmith/run_trees\";\n").replace("pool.run({ id })", "pool.run({ id, langsmithHeaders: currentTraceHeaders() })") + "\n/** The current run tree as headers for another thread or process (trace-nesting); undefined outside a trace and with tracing off. */\nfunction currentTraceHeaders(): Record<string, string> | undefined {\n  const run = getCurrentRunTree(true);\n  return isRunTree(run) ? run.toHeaders() : undefined;\n}\n",
  });
}
// A pool of another module: its class method posts to one of the workers it made with Array.from, and other files
// call it inside their traces (the send is judged in the pool's module, where the fix adds the headers).
{
  const HELPER_TEXT = "\n/** The current run tree as headers for another thread or process (trace-nesting); undefined outside a trace and with tracing off. */\nfunction currentTraceHeaders() {\n  const run = getCurrentRunTree(true);\n  return isRunTree(run) ? run.toHeaders() : undefined;\n}\n";
  const POOL = "import { Worker } from \"node:worker_threads\";\nexport class TilePool {\n  constructor(size) {\n    this.workers = Array.from({ length: size }, () => new Worker(new URL(\"./w.mjs\", import.meta.url)));\n    this.next = 0;\n  }\n  run(task) {\n    const worker = this.workers[this.next++ % this.workers.length];\n    return new Promise((resolve) => {\n      worker.once(\"message\", resolve);\n      worker.postMessage({ id: this.next, ...task });\n    });\n  }\n}\n";
  const WORKER = "import { parentPort } from \"node:worker_threads\";\nimport { traceable } from \"langsmith/traceable\";\nconst correct = traceable(async (t) => t.length);\nparentPort.on(\"message\", async (job) => parentPort.postMessage(await correct(job.tile)));\n";
  const caller = (body: string) => `import { traceable } from "langsmith/traceable";\nimport { TilePool } from "./pool.mjs";\nconst pool = new TilePool(2);\n${body}`;
  const traced = project({ "package.json": "{\"name\":\"p\",\"type\":\"module\"}", "w.mjs": WORKER, "pool.mjs": POOL, "main.mjs": caller("export const calibrate = traceable(async (tiles) => Promise.all(tiles.map((tile) => pool.run({ tile }))));\n") });
  const untraced = project({ "package.json": "{\"name\":\"p\",\"type\":\"module\"}", "w.mjs": WORKER, "pool.mjs": POOL, "main.mjs": caller("export const child = traceable(async () => 1);\nexport const warm = (tiles) => Promise.all(tiles.map((tile) => pool.run({ tile })));\n") });
  valid.push({ name: "a pool class of this module whose run posts to a worker of its Array.from list, called by other files outside any trace", code: POOL, filename: path.join(untraced, "pool.mjs") });
  // An optional parameter spread into the message (`exec(job, meta = {})`): the callers may send the headers in it.
  const META_POOL = POOL.replace("run(task) {", "run(task, meta = {}) {").replace("{ id: this.next, ...task }", "{ id: this.next, task, ...meta }");
  const withMeta = project({ "package.json": "{\"name\":\"p\",\"type\":\"module\"}", "w.mjs": WORKER, "pool.mjs": META_POOL, "main.mjs": caller("import { getCurrentRunTree } from \"langsmith/traceable\";\nexport const calibrate = traceable(async (tiles) => Promise.all(tiles.map((tile) => pool.run({ tile }, { trace: getCurrentRunTree().toHeaders() }))));\n") });
  valid.push({ name: "a pool class whose run spreads an optional parameter into the message, called inside another file's trace (the caller may send the headers there)", code: META_POOL, filename: path.join(withMeta, "pool.mjs") });
  // A parameter every caller fills with a job that carries the headers (`pool.run(jobFor(tile))`), spread in.
  const carrying = project({ "package.json": "{\"name\":\"p\",\"type\":\"module\"}", "w.mjs": WORKER, "pool.mjs": POOL, "main.mjs": caller("import { getCurrentRunTree } from \"langsmith/traceable\";\nfunction jobFor(tile) {\n  return { tile, traceHeaders: getCurrentRunTree().toHeaders() };\n}\nexport const calibrate = traceable(async (tiles) => Promise.all(tiles.map((tile) => pool.run(jobFor(tile)))));\n") });
  valid.push({ name: "a pool class whose run spreads its task into the message, when every caller's trace passes a task that carries the headers", code: POOL, filename: path.join(carrying, "pool.mjs") });
  // One caller passes such a task, another a plain one: the plain one's worker runs start traces of their own.
  const mixed = project({ "package.json": "{\"name\":\"p\",\"type\":\"module\"}", "w.mjs": WORKER, "pool.mjs": POOL, "main.mjs": caller("import { getCurrentRunTree } from \"langsmith/traceable\";\nfunction jobFor(tile) {\n  return { tile, traceHeaders: getCurrentRunTree().toHeaders() };\n}\nexport const calibrate = traceable(async (tiles) => Promise.all(tiles.map((tile) => pool.run(jobFor(tile)))));\n"), "other.mjs": caller("export const recalibrate = traceable(async (tile) => pool.run({ tile }));\n") });
  invalid.push({
    name: "the same pool when another file's trace passes a task without the headers",
    code: POOL,
    filename: path.join(mixed, "pool.mjs"),
    errors: [{ messageId: "missingHeaders", line: 11, column: 7 }],
    output: POOL.replace("import { Worker } from \"node:worker_threads\";\n", "import { Worker } from \"node:worker_threads\";\nimport { getCurrentRunTree } from \"langsmith/traceable\";\nimport { isRunTree } from \"langsmith/run_trees\";\n").replace("{ id: this.next, ...task }", "{ id: this.next, ...task, langsmithHeaders: currentTraceHeaders() }") + HELPER_TEXT,
  });
  invalid.push({
    name: "a pool class of this module whose run posts to a worker of its Array.from list, called inside another file's trace",
    code: POOL,
    filename: path.join(traced, "pool.mjs"),
    errors: [{ messageId: "missingHeaders", line: 11, column: 7 }],
    output: POOL.replace("import { Worker } from \"node:worker_threads\";\n", "import { Worker } from \"node:worker_threads\";\nimport { getCurrentRunTree } from \"langsmith/traceable\";\nimport { isRunTree } from \"langsmith/run_trees\";\n").replace("{ id: this.next, ...task }", "{ id: this.next, ...task, langsmithHeaders: currentTraceHeaders() }") + HELPER_TEXT,
  });
  const inFile = "import { traceable } from \"langsmith/traceable\";\nimport { fork } from \"node:child_process\";\nconst children = [\"./a.js\", \"./b.js\"].map((file) => fork(file));\nexport const parent = traceable(async (id: string) => children[id.length % 2].send({ id }));\n";
  invalid.push({
    name: "a child process picked from a list a map of fork made, sent to inside the trace",
    code: inFile,
    errors: [{ messageId: "missingHeaders", line: 4, column: 55 }],
    output: inFile.replace("import { traceable } from", "import { traceable, getCurrentRunTree } from").replace("import { fork } from \"node:child_process\";\n", "import { fork } from \"node:child_process\";\nimport { isRunTree } from \"langsmith/run_trees\";\n").replace(".send({ id })", ".send({ id, langsmithHeaders: currentTraceHeaders() })") + HELPER_TEXT.replace("function currentTraceHeaders() {", "function currentTraceHeaders(): Record<string, string> | undefined {"),
  });
}
tester({ runtime: "node" }).run(RULE, rule(RULE), { valid, invalid });
// Cases in a throw-away project outside the working directory are fixed and re-linted by the runtime oracle instead.
describeIdempotency(RULE, invalid.filter((c) => !("filename" in c && path.isAbsolute(c.filename ?? ""))), { runtime: "node" }, ["notContinuedSync", "workerDataScript"]);
