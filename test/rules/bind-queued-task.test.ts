import type { InvalidTestCase, ValidTestCase } from "@typescript-eslint/rule-tester";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TraceNestingSettings } from "../../src/js/settings.js";
import { describeIdempotency, projectOnDisk, rule, tester, withAlsImport } from "./helpers.js";

const RULE = "bind-queued-task";
type Options = [Record<string, unknown>];

const OLD: TraceNestingSettings = { runtime: "node", versions: { "p-queue": "8.1.1", "p-limit": "4.0.0" } };
const NEW = { "trace-nesting": { runtime: "node", versions: { "p-queue": "10.0.0", "p-limit": "5.0.0" } } };

const H = `import { traceable } from "langsmith/traceable";
const child = traceable(async (x: number) => x, { name: "child" });
`;
const PQ = `import PQueue from "p-queue";
${H}const queue = new PQueue({ concurrency: 1 });
`;
const PL = `import pLimit from "p-limit";
${H}const limit = pLimit(1);
`;
const IMPORT = `import { AsyncLocalStorage } from "node:async_hooks";\n`;

/** A directory with no package.json or node_modules above it: versions cannot be resolved. */
const nowhere = mkdtempSync(path.join(tmpdir(), "trace-nesting-nowhere-"));

function project(manifest: object, installed?: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "trace-nesting-project-"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
  for (const [name, version] of Object.entries(installed ?? {})) {
    mkdirSync(path.join(dir, "node_modules", name), { recursive: true });
    writeFileSync(path.join(dir, "node_modules", name, "package.json"), JSON.stringify({ name, version }));
  }
  return dir;
}
const declared10 = project({ dependencies: { "p-queue": "^10.0.0" } });
const declared4 = project({ dependencies: { "p-limit": "^4.0.0" } });
const installed3 = project({ dependencies: { "p-limit": "^5.0.0" } }, { "p-limit": "3.1.0" });
/** npm aliases (`"p-queue-8": "npm:p-queue@8"`): installed under the alias, with the package's own name inside. */
function aliased(installs: Record<string, { name: string; version: string }>): string {
  const dir = project({ dependencies: {} });
  for (const [alias, manifest] of Object.entries(installs)) {
    mkdirSync(path.join(dir, "node_modules", alias), { recursive: true });
    writeFileSync(path.join(dir, "node_modules", alias, "package.json"), JSON.stringify(manifest));
  }
  return dir;
}
const aliases = aliased({ "p-queue-8": { name: "p-queue", version: "8.1.1" }, "p-queue-10": { name: "p-queue", version: "10.0.0" }, "p-limit-legacy": { name: "p-limit", version: "4.0.0" }, pq: { name: "p-queue", version: "8.1.1" } });

const WRITABLES = `import { Writable } from "node:stream";
${H}class Outbox extends Writable {
  _write(job: { run: () => Promise<unknown> }, _e: string, done: () => void) {
    job.run().then(() => done());
  }
}
const makeWriter = (write: (n: number) => Promise<unknown>) => new Writable({ objectMode: true, write(n, _e, done) { write(n).then(() => done()); } });
`;

const valid: ValidTestCase<Options>[] = [
  {
    name: "writes to a stream made inside the traced function, or to a shared one that only stores the data",
    code: `${WRITABLES}const log: unknown[] = [];
const plain = new Writable({ objectMode: true, write(row, _e, done) { log.push(row); done(); } });
export const own = traceable(async (n: number) => {
  const outbox = new Outbox();
  outbox.write({ run: () => child(n) });
  const writer = makeWriter(child);
  writer.write(n);
  plain.write({ run: () => child(n) });
});`,
  },
  {
    name: "a shared stream whose write side runs the chunk and completes synchronously (nothing waits in its buffer)",
    code: `${WRITABLES}const sink = new Writable({ objectMode: true, write(record, _e, done) { record.deliver(); done(); } });
export const track = traceable(async (n: number) => {
  sink.write({ deliver: () => child(n) });
});`,
  },
  // Shared queues with free slots: a task starts inside its own submitting call and nests until the queue is
  // saturated (probe: p-queue 9 / p-limit 3 at concurrency 4 under two traces). `wideLimiters` reports them.
  {
    name: "a shared p-limit with concurrency 4",
    code: `import pLimit from "p-limit";\n${H}const limit = pLimit(4);\nexport const parent = traceable(async (x: number) => limit(() => child(x)));`,
  },
  {
    name: "a shared p-limit with concurrency 4, each task of the trace awaited before the next is submitted",
    code: `import pLimit from "p-limit";\n${H}const limit = pLimit(4);\nexport const parent = traceable(async (xs: number[]) => {\n  const out = [];\n  for (const x of xs) out.push(await limit(() => child(x)));\n  return out;\n});`,
  },
  {
    name: "a shared p-limit with concurrency 3, mapped over an array literal of 3 (one trace cannot fill it)",
    code: `import pLimit from "p-limit";\n${H}const limit = pLimit(3);\nexport const parent = traceable(async (x: number) => Promise.all([x, x + 1, x + 2].map((n) => limit(() => child(n)))));`,
  },
  {
    name: "a shared p-queue with concurrency 2 given an addAll array literal of 2 tasks",
    code: `import PQueue from "p-queue";\n${H}const queue = new PQueue({ concurrency: 2 });\nexport const parent = traceable(async (x: number) => queue.addAll([() => child(x), () => child(x + 1)]));`,
  },
  {
    name: "a shared p-queue whose concurrency is a constant above 1",
    code: `import PQueue from "p-queue";\n${H}const WIDTH = 3;\nconst queue = new PQueue({ concurrency: WIDTH });\nexport const parent = traceable(async (x: number) => queue.add(() => child(x)));`,
  },
  {
    name: "a limiter made by an in-file factory whose every call site passes a concurrency above 1",
    code: `import pLimit from "p-limit";\n${H}function limited<T>(fn: (x: number) => Promise<T>, { concurrency }: { concurrency: number }) {\n  const limit = pLimit(concurrency);\n  return (x: number) => limit(() => fn(x));\n}\nconst score = limited(child, { concurrency: 4 });\nexport const parent = traceable(async (x: number) => score(x));`,
  },
  {
    name: "a fastq queue with concurrency 2 fed a function",
    code: `import fastq from "fastq";\n${H}const tasks = fastq.promise(async (task: () => Promise<number>) => task(), 2);\nexport const parent = traceable(async (x: number) => tasks.push(() => child(x)));`,
  },
  {
    name: "an async queue item whose method is bound already, and one whose methods do no traced work",
    code: `import { queue } from "async";
import { AsyncLocalStorage } from "node:async_hooks";
${H}const jobs = queue(async (task: { run: () => unknown }) => task.run(), 1);
export const parent = traceable(async (n: number) => {
  await jobs.pushAsync({ run: AsyncLocalStorage.bind(() => child(n)) });
  await jobs.pushAsync({ run: () => n * 2 });
});`,
  },
  {
    name: "a map of bound traceables whose results are submitted by value (numbers, not tasks)",
    code: `${PQ}export const parent = traceable(async (ids: number[]) => {
  const sizes = ids.map((id) => id * 2);
  return Promise.all(sizes.map((size) => queue.add(size as never)));
});`,
  },
  {
    name: "p-queue >= 10 keeps the submitter's context",
    code: `${PQ}export const parent = traceable(async () => queue.add(() => child(1)));`,
    settings: NEW,
  },
  {
    name: "p-limit >= 5 keeps the submitter's context",
    code: `${PL}export const parent = traceable(async (xs: number[]) => Promise.all(xs.map((x) => limit(() => child(x)))));`,
    settings: NEW,
  },
  {
    name: "limiter created inside the traced scope serves one trace",
    code: `import pLimit from "p-limit";
${H}export const parent = traceable(async (xs: number[]) => {
  const own = pLimit(1);
  return Promise.all(xs.map((x) => own(() => child(x))));
});`,
  },
  {
    name: "queue created inside the traced scope",
    code: `import PQueue from "p-queue";
${H}export const parent = traceable(async () => {
  const q = new PQueue({ concurrency: 1 });
  await q.add(() => child(1));
});`,
  },
  {
    name: "task already bound",
    code: `${PQ}${IMPORT}export const parent = traceable(async () => queue.add(AsyncLocalStorage.bind(() => child(1))));`,
  },
  {
    name: "task hands over the run tree explicitly",
    code: `${PQ}import { getCurrentRunTree } from "langsmith/traceable";
export const parent = traceable(async () => {
  const rt = getCurrentRunTree();
  await queue.add(() => child(rt, 1));
});`,
  },
  {
    name: "task pinned with withRunTree",
    code: `${PQ}import { getCurrentRunTree, withRunTree } from "langsmith/traceable";
export const parent = traceable(async () => {
  const rt = getCurrentRunTree();
  await queue.add(() => withRunTree(rt, () => child(1)));
});`,
  },
  {
    name: "outside any trace, a task that does no traced work",
    code: `${PQ}export async function download(urls: string[]) { return Promise.all(urls.map((u) => queue.add(() => fetch(u)))); }`,
  },
  {
    name: "inside a trace, a task that only calls globals",
    code: `${PQ}export const parent = traceable(async (u: string) => queue.add(() => fetch(u)));`,
  },
  {
    name: "no AsyncLocalStorage in this file",
    code: `${PQ}export const parent = traceable(async () => queue.add(() => child(1)));`,
    settings: { "trace-nesting": { runtime: "browser" } },
  },
];

/** An invalid case whose fix binds one task: `body` holds it as %CALLBACK%, after `header` (imports first). */
function boundCase(name: string, body: string, task: string, header: string): InvalidTestCase<string, Options> {
  return { name, code: `${header}${body.replace("%CALLBACK%", task)}`, output: `${withAlsImport(header)}${body.replace("%CALLBACK%", `AsyncLocalStorage.bind(${task})`)}`, errors: [{ messageId: "queued" }] };
}

const invalid: InvalidTestCase<string, Options>[] = [
  {
    name: "a job carrying its work written to a stream made at load whose write side runs it: the function bound",
    code: `${WRITABLES}const outbox = new Outbox();
export const send = traceable(async (n: number) => {
  outbox.write({ id: n, run: () => child(n) });
});`,
    output: `${WRITABLES.replace(`{ traceable } from "langsmith/traceable";\n`, `{ traceable } from "langsmith/traceable";\nimport { AsyncLocalStorage } from "node:async_hooks";\n`)}const outbox = new Outbox();
export const send = traceable(async (n: number) => {
  outbox.write({ id: n, run: AsyncLocalStorage.bind(() => child(n)) });
});`,
    errors: [{ messageId: "streamTask", data: { where: "traceable", receiver: "outbox" } }],
  },
  {
    name: "data written to a shared stream whose write side calls the traceable it was made with: reported only",
    code: `${WRITABLES}const writer = makeWriter(child);
export const index = traceable(async (n: number) => {
  writer.write(n);
});`,
    output: null,
    errors: [{ messageId: "streamData", data: { where: "traceable", receiver: "writer" } }],
  },
  {
    name: "a shared p-limit with concurrency 2 given one task per element by the trace: it fills the slots on its own",
    code: `import pLimit from "p-limit";\n${H}const limit = pLimit(2);\nexport const parent = traceable(async (xs: number[]) => Promise.all(xs.map((x) => limit(() => child(x)))));`,
    output: `import pLimit from "p-limit";\nimport { traceable } from "langsmith/traceable";\n${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });\nconst limit = pLimit(2);\nexport const parent = traceable(async (xs: number[]) => Promise.all(xs.map((x) => limit(AsyncLocalStorage.bind(() => child(x))))));`,
    errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
  },
  {
    name: "a shared p-limit with concurrency 4 fed in a loop that does not await each task",
    code: `import pLimit from "p-limit";\n${H}const limit = pLimit(4);\nexport const parent = traceable(async (xs: number[]) => {\n  const pending = [];\n  for (const x of xs) pending.push(limit(() => child(x)));\n  return Promise.all(pending);\n});`,
    output: `import pLimit from "p-limit";\nimport { traceable } from "langsmith/traceable";\n${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });\nconst limit = pLimit(4);\nexport const parent = traceable(async (xs: number[]) => {\n  const pending = [];\n  for (const x of xs) pending.push(limit(AsyncLocalStorage.bind(() => child(x))));\n  return Promise.all(pending);\n});`,
    errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
  },
  {
    name: "a helper every trace calls hands a shared p-queue with concurrency 2 one traced task per element (addAll over map)",
    code: `import PQueue from "p-queue";\n${H}const queue = new PQueue({ concurrency: 2 });\nexport function prefetch(xs: number[]) {\n  return queue.addAll(xs.map((x) => () => child(x)));\n}`,
    output: `import PQueue from "p-queue";\nimport { traceable } from "langsmith/traceable";\n${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });\nconst queue = new PQueue({ concurrency: 2 });\nexport function prefetch(xs: number[]) {\n  return queue.addAll(xs.map((x) => () => child(x)).map((task) => AsyncLocalStorage.bind(task)));\n}`,
    errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "caller's trace" } }],
  },
  {
    name: "wideLimiters: a shared p-limit with concurrency 4 is reported too",
    code: `import pLimit from "p-limit";\n${H}const limit = pLimit(4);\nexport const parent = traceable(async (x: number) => limit(() => child(x)));`,
    options: [{ wideLimiters: true }],
    output: `import pLimit from "p-limit";\nimport { traceable } from "langsmith/traceable";\n${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });\nconst limit = pLimit(4);\nexport const parent = traceable(async (x: number) => limit(AsyncLocalStorage.bind(() => child(x))));`,
    errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
  },
  {
    name: "a limiter made by an in-file factory with one call site passing concurrency 1",
    code: `import pLimit from "p-limit";\n${H}function limited<T>(fn: (x: number) => Promise<T>, { concurrency }: { concurrency: number }) {\n  const limit = pLimit(concurrency);\n  return (x: number) => limit(() => fn(x));\n}\nconst wide = limited(child, { concurrency: 4 });\nconst serial = limited(child, { concurrency: 1 });\nexport const parent = traceable(async (x: number) => [await wide(x), await serial(x)]);`,
    output: `import pLimit from "p-limit";\nimport { traceable } from "langsmith/traceable";\n${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });\nfunction limited<T>(fn: (x: number) => Promise<T>, { concurrency }: { concurrency: number }) {\n  const limit = pLimit(concurrency);\n  return (x: number) => limit(AsyncLocalStorage.bind(() => fn(x)));\n}\nconst wide = limited(child, { concurrency: 4 });\nconst serial = limited(child, { concurrency: 1 });\nexport const parent = traceable(async (x: number) => [await wide(x), await serial(x)]);`,
    errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "caller's trace" } }],
  },
  {
    name: "an async queue with concurrency 4 is reported: its first push schedules the pass that starts every waiting item",
    code: `import { queue } from "async";\n${H}const jobs = queue(async (task: () => Promise<number>) => task(), 4);\nexport const parent = traceable(async (x: number) => jobs.pushAsync(() => child(x)));`,
    output: `import { queue } from "async";\nimport { traceable } from "langsmith/traceable";\n${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });\nconst jobs = queue(async (task: () => Promise<number>) => task(), 4);\nexport const parent = traceable(async (x: number) => jobs.pushAsync(AsyncLocalStorage.bind(() => child(x))));`,
    errors: [{ messageId: "queued", data: { library: "async", where: "traceable" } }],
  },
  boundCase(
    "a queue per tenant, kept in a module-level Map by a local helper (shared by every trace of the tenant)",
    `const queues = new Map<string, PQueue>();
function queueFor(tenant: string) {
  let q = queues.get(tenant);
  if (!q) { q = new PQueue({ concurrency: 1 }); queues.set(tenant, q); }
  return q;
}
export const parent = traceable(async (tenant: string) => {
  const q = queueFor(tenant);
  return q.add(%CALLBACK%);
});`,
    `() => child(1)`,
    `import PQueue from "p-queue";\n${H}`,
  ),
  boundCase(
    "tasks kept in an array property of a plan object, submitted from an array callback",
    `function planFor(topic: string) {
  return { topic, steps: [() => child(1), () => child(2)] };
}
export const parent = traceable(async (topic: string) => {
  const plan = planFor(topic);
  return Promise.all(plan.steps.map((step) => queue.add(%CALLBACK%)));
});`,
    `step`,
    PQ,
  ),
  boundCase(
    "bound traceables made by a map, submitted by another map to a p-queue read off the module's default export",
    `const PQueue = PQueueModule.default;
const renderQueue = new PQueue({ concurrency: 1 });
export const parent = traceable(async (id: number) => {
  const jobs = [1, 2].map((n) => child.bind(null, id + n));
  return Promise.all(jobs.filter(Boolean).map((job) => renderQueue.add(%CALLBACK%)));
});`,
    `job`,
    `import PQueueModule from "p-queue";\n${H}`,
  ),
  boundCase(
    "a p-queue class taken with the interop idiom (mod.default || mod)",
    `const Queue = PQueueModule.default || PQueueModule;
const shared = new Queue({ concurrency: 1 });
export const parent = traceable(async () => shared.add(%CALLBACK%));`,
    `() => child(1)`,
    `import PQueueModule from "p-queue";\n${H}`,
  ),
  boundCase(
    "an async queue item that carries its work as a method the worker calls, pushed by a helper",
    `const moderation = queue(async (task: { run: () => unknown }) => task.run(), 1);
function submit(text: string) {
  return moderation.pushAsync({ run: %CALLBACK% });
}
export const parent = traceable(async (text: string) => submit(text));`,
    `() => child(text.length)`,
    `import { queue } from "async";\n${H}`,
  ),
  boundCase(
    "an async cargo row whose method is assigned after the row is made",
    `const writer = cargo(async (rows: { persist?: () => unknown }[]) => { for (const row of rows) await row.persist?.(); }, 10);
export const parent = traceable(async (n: number) => {
  const row: { n: number; persist?: () => unknown } = { n };
  row.persist = %CALLBACK%;
  await writer.pushAsync(row);
});`,
    `() => child(row.n)`,
    `import { cargo } from "async";\n${H}`,
  ),
  {
    name: "p-queue 8: add(fn) bound at submit time",
    code: `${PQ}export const parent = traceable(async () => {
  await queue.add(() => child(1));
});`,
    output: `import PQueue from "p-queue";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
const queue = new PQueue({ concurrency: 1 });
export const parent = traceable(async () => {
  await queue.add(AsyncLocalStorage.bind(() => child(1)));
});`,
    errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
  },
  {
    name: "p-queue 6: addAll with an array literal binds each task",
    code: `${PQ}export const parent = traceable(async () => {
  await queue.addAll([() => child(1), () => child(2)]);
});`,
    settings: { "trace-nesting": { runtime: "node", versions: { "p-queue": "6.6.2" } } },
    output: [
      `import PQueue from "p-queue";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
const queue = new PQueue({ concurrency: 1 });
export const parent = traceable(async () => {
  await queue.addAll([AsyncLocalStorage.bind(() => child(1)), () => child(2)]);
});`,
      `import PQueue from "p-queue";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
const queue = new PQueue({ concurrency: 1 });
export const parent = traceable(async () => {
  await queue.addAll([AsyncLocalStorage.bind(() => child(1)), AsyncLocalStorage.bind(() => child(2))]);
});`,
    ],
    errors: [
      { messageId: "queued", data: { library: "p-queue 6.6.2", where: "traceable" } },
      { messageId: "queued", data: { library: "p-queue 6.6.2", where: "traceable" } },
    ],
  },
  {
    name: "p-queue: addAll with a task array variable",
    code: `${PQ}export const parent = traceable(async (tasks: (() => Promise<number>)[]) => {
  await queue.addAll(tasks);
});`,
    output: `import PQueue from "p-queue";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
const queue = new PQueue({ concurrency: 1 });
export const parent = traceable(async (tasks: (() => Promise<number>)[]) => {
  await queue.addAll(tasks.map((task) => AsyncLocalStorage.bind(task)));
});`,
    errors: [{ messageId: "queued" }],
  },
  {
    name: "p-limit 4 shared across traces",
    code: `${PL}export const parent = traceable(async (xs: number[]) => {
  return Promise.all(xs.map((x) => limit(() => child(x))));
});`,
    output: `import pLimit from "p-limit";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
const limit = pLimit(1);
export const parent = traceable(async (xs: number[]) => {
  return Promise.all(xs.map((x) => limit(AsyncLocalStorage.bind(() => child(x)))));
});`,
    errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
  },
  {
    name: "p-limit 3 through CommonJS require",
    filename: "batch.cjs",
    code: `const pLimit = require("p-limit");
const { traceable } = require("langsmith/traceable");
const limit = pLimit(1);
const child = traceable(async (x) => x, { name: "child" });
exports.run = traceable(async (xs) => Promise.all(xs.map((x) => limit(() => child(x)))));`,
    settings: { "trace-nesting": { runtime: "node", versions: { "p-limit": "3.1.0" } } },
    output: `const pLimit = require("p-limit");
const { traceable } = require("langsmith/traceable");
const { AsyncLocalStorage } = require("node:async_hooks");
const limit = pLimit(1);
const child = traceable(async (x) => x, { name: "child" });
exports.run = traceable(async (xs) => Promise.all(xs.map((x) => limit(AsyncLocalStorage.bind(() => child(x))))));`,
    errors: [{ messageId: "queued", data: { library: "p-limit 3.1.0", where: "traceable" } }],
  },
  {
    name: "outside a traced scope, a task doing traced work",
    code: `${PL}export function fanOut(xs: number[]) {
  return xs.map((x) => limit(() => child(x)));
}`,
    output: `import pLimit from "p-limit";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
const limit = pLimit(1);
export function fanOut(xs: number[]) {
  return xs.map((x) => limit(AsyncLocalStorage.bind(() => child(x))));
}`,
    errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "caller's trace" } }],
  },
  {
    name: "a file that loads no tracing module: a task invoking the project's agent, shared by every caller",
    code: `import pLimit from "p-limit";
import { agent } from "./agent";
const limit = pLimit(1);
export const ask = (question: string) => limit(() => agent.invoke({ question }));`,
    output: `import pLimit from "p-limit";
import { agent } from "./agent";
${IMPORT}const limit = pLimit(1);
export const ask = (question: string) => limit(AsyncLocalStorage.bind(() => agent.invoke({ question })));`,
    errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "caller's trace" } }],
  },
  {
    name: "inside a trace, a task calling the project's own (possibly traced) function",
    code: `${PQ}import { summarize } from "./summarize";
export const parent = traceable(async (doc: string) => queue.add(() => summarize(doc)));`,
    output: `${PQ}import { summarize } from "./summarize";
${IMPORT}export const parent = traceable(async (doc: string) => queue.add(AsyncLocalStorage.bind(() => summarize(doc))));`,
    errors: [{ messageId: "queued" }],
  },
  {
    name: "async queue fed functions",
    code: `import { queue } from "async";
${H}const q = queue((task: () => Promise<unknown>, done: () => void) => { task().then(() => done()); }, 2);
export const parent = traceable(async () => {
  q.push(() => child(1));
});`,
    output: `import { queue } from "async";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
const q = queue((task: () => Promise<unknown>, done: () => void) => { task().then(() => done()); }, 2);
export const parent = traceable(async () => {
  q.push(AsyncLocalStorage.bind(() => child(1)));
});`,
    errors: [{ messageId: "queued", data: { library: "async", where: "traceable" } }],
  },
  {
    name: "async queue fed data items for a traced worker: reported without a fix",
    code: `import async from "async";
${H}const q = async.queue(async (n: number) => child(n), 2);
export const parent = traceable(async () => {
  q.push(1);
});`,
    output: null,
    errors: [{ messageId: "queuedData" }],
  },
  {
    name: "async cargo whose worker hands each item of a batch point-free to a traceable (items.map(child))",
    code: `import async from "async";
${H}const cargo = async.cargo((items: number[], done: () => void) => { Promise.all(items.map(child)).then(() => done(), done); }, 10);
export const parent = traceable(async (n: number) => cargo.pushAsync(n));`,
    output: null,
    errors: [{ messageId: "queuedData" }],
  },
];
valid.push({
  name: "async cargo whose worker maps each item with a function that does no traced work",
  code: `import async from "async";
${H}const cargo = async.cargo((items: number[], done: () => void) => { Promise.all(items.map(String)).then(() => done(), done); }, 10);
export const parent = traceable(async (n: number) => cargo.pushAsync(n));`,
});

invalid.push(
  {
    name: "neo-async (async's drop-in replacement) queue fed functions",
    code: `import neo from "neo-async";
${H}const q = neo.queue((task: () => Promise<unknown>, done: () => void) => { task().then(() => done()); }, 1);
export const parent = traceable(async (x: number) => {
  q.push(() => child(x));
});`,
    output: `import neo from "neo-async";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
const q = neo.queue((task: () => Promise<unknown>, done: () => void) => { task().then(() => done()); }, 1);
export const parent = traceable(async (x: number) => {
  q.push(AsyncLocalStorage.bind(() => child(x)));
});`,
    errors: [{ messageId: "queued", data: { library: "async", where: "traceable" } }],
  },
  {
    name: "neo-async cargo and async priorityQueue (namespace import) fed data items for a traced worker: reported without a fix",
    code: `import neo from "neo-async";
import * as async from "async";
${H}const cargo = neo.cargo((items: number[], done: () => void) => { Promise.all(items.map((n) => child(n))).then(() => done()); }, 5);
const urgent = async.priorityQueue(async (n: number) => child(n), 1);
export const parent = traceable(async (x: number) => {
  cargo.push(x);
  urgent.push(x, 1);
});`,
    output: null,
    errors: [{ messageId: "queuedData" }, { messageId: "queuedData" }],
  },
);
valid.push({
  name: "a neo-async queue made inside the trace, and a module-level neo-async cargo whose worker does no traced work",
  code: `import neo from "neo-async";
${H}const counter = neo.cargo((items: number[], done: () => void) => { console.log(items.length); done(); }, 5);
export const parent = traceable(async (x: number) => {
  const own = neo.queue((task: () => Promise<unknown>, done: () => void) => { task().then(() => done()); }, 1);
  own.push(() => child(x));
  counter.push(x);
});`,
});

// Helpers in another module of the project: a call of an imported helper counts as the submission it makes.
const queues = projectOnDisk({
  "src/queues.ts": `import { AsyncLocalStorage } from "node:async_hooks";
import PQueue from "p-queue";
export function submit(queue, task) {
  return queue.add(task);
}
export const throttle = (limit, task) => limit(task);
const shared = new PQueue({ concurrency: 1 });
export function enqueue(task) {
  return shared.add(task);
}
export function ownQueue(task) {
  const queue = new PQueue({ concurrency: 1 });
  return queue.add(task);
}
export function runNow(task) {
  return task();
}
export function submitBound(queue, task) {
  return queue.add(AsyncLocalStorage.bind(task));
}
export function count(queue, task) {
  return queue.size + String(task).length;
}
export function enqueueAll(tasks) {
  return shared.addAll(tasks);
}
export function submitAll(queue, tasks) {
  return queue.addAll(tasks);
}
export function ownQueueAll(tasks) {
  const queue = new PQueue({ concurrency: 1 });
  return queue.addAll(tasks);
}
`,
});
const AGENT = path.join(queues, "src/agent.ts");
const XQ = (extra = "") => `import PQueue from "p-queue";
import pLimit from "p-limit";
import { traceable } from "langsmith/traceable";
import { submit, throttle, enqueue, ownQueue, runNow, submitBound, count, enqueueAll, submitAll, ownQueueAll } from "./queues";
${extra}const child = traceable(async (x: number) => x, { name: "child" });
const queue = new PQueue({ concurrency: 1 });
const limit = pLimit(1);
`;
valid.push(
  { name: "imported helper that runs the task at once", filename: AGENT, code: `${XQ()}export const parent = traceable(async () => runNow(() => child(1)));` },
  { name: "imported helper that binds the task itself", filename: AGENT, code: `${XQ()}export const parent = traceable(async () => submitBound(queue, () => child(1)));` },
  { name: "imported helper that submits nothing", filename: AGENT, code: `${XQ()}export const parent = traceable(async () => count(queue, () => child(1)));` },
  { name: "imported helper submitting to a queue it makes per call", filename: AGENT, code: `${XQ()}export const parent = traceable(async () => ownQueue(() => child(1)));` },
  {
    name: "imported helper submitting to a queue created inside the traced scope",
    filename: AGENT,
    code: `${XQ()}export const parent = traceable(async () => {
  const own = new PQueue({ concurrency: 1 });
  return submit(own, () => child(1));
});`,
  },
  { name: "imported helper submitting to p-queue >= 10", filename: AGENT, code: `${XQ()}export const parent = traceable(async () => submit(queue, () => child(1)));`, settings: NEW },
  { name: "imported addAll helper over p-queue >= 10", filename: AGENT, code: `${XQ()}export const parent = traceable(async () => enqueueAll([() => child(1)]));`, settings: NEW },
  { name: "imported addAll helper with a queue it makes per call", filename: AGENT, code: `${XQ()}export const parent = traceable(async (tasks: (() => Promise<number>)[]) => ownQueueAll(tasks));` },
  { name: "imported addAll helper with tasks already bound", filename: AGENT, code: `${XQ(IMPORT)}export const parent = traceable(async (tasks: (() => Promise<number>)[]) => enqueueAll(tasks.map((task) => AsyncLocalStorage.bind(task))));` },
  {
    name: "imported addAll helper fed a queue created inside the traced scope",
    filename: AGENT,
    code: `${XQ()}export const parent = traceable(async () => {
  const own = new PQueue({ concurrency: 1 });
  return submitAll(own, [() => child(1)]);
});`,
  },
);
// fastq: a queue made around one worker, fed with `push`/`unshift` (callback and `fastq.promise` APIs). Every version
// runs a waiting item from whichever call freed a slot (fixtures/runtime/bind-queued-task/fastq-*).
const FQ = `import fastq from "fastq";
${H}`;
valid.push(
  {
    name: "fastq queue made inside the traced scope",
    code: `${FQ}export const parent = traceable(async (xs: number[]) => {
  const own = fastq.promise(async (x: number) => child(x), 1);
  return Promise.all(xs.map((x) => own.push(x)));
});`,
  },
  {
    name: "fastq queue fed bound functions, and data items for a worker that does not trace",
    code: `${FQ}import { AsyncLocalStorage } from "node:async_hooks";
const tasks = fastq.promise(async (task: () => Promise<number>) => task(), 1);
const lines = fastq((line: string, done: (err: Error | null, n?: number) => void) => done(null, line.length), 1);
export const parent = traceable(async (x: number) => {
  await tasks.push(AsyncLocalStorage.bind(() => child(x)));
  lines.push(\`line \${x}\`, () => undefined);
});`,
  },
);
// An item that carries its work as a function the worker calls (`{ rewrite, query }`), pinned as it is put in.
const CARRIED = (rewrite: string) => `${FQ}import { AsyncLocalStorage } from "node:async_hooks";
const rewrites = fastq.promise(async (item: { rewrite: (q: number) => Promise<number>; query: number }) => item.rewrite(item.query), 1);
export const parent = traceable(async (x: number) => rewrites.push({ rewrite: ${rewrite}, query: x }));`;
valid.push({ name: "fastq items whose function is pinned as it is put in ({ rewrite: AsyncLocalStorage.bind(child) })", code: CARRIED("AsyncLocalStorage.bind(child)") });
// The same queue exported by another module, its worker destructuring the item.
const rewriteQueues = projectOnDisk({
  "src/rewrite-queue.ts": `import fastq from "fastq";
async function runRewrite({ rewrite, query }: { rewrite: (q: string) => Promise<string[]>; query: string }) {
  return rewrite(query);
}
export const rewriteQueue = fastq.promise(runRewrite, 1);
`,
});
const REWRITE = (rewrite: string) => `import { AsyncLocalStorage } from "node:async_hooks";
import { traceable } from "langsmith/traceable";
import { rewriteQueue } from "./rewrite-queue";
const expand = traceable(async (q: string) => [q], { name: "expand" });
export const search = traceable(async (question: string) => rewriteQueue.push({ rewrite: ${rewrite}, query: question }));`;
valid.push({ name: "another module's fastq queue given items whose function is pinned as it is put in", filename: path.join(rewriteQueues, "src/search.ts"), code: REWRITE("AsyncLocalStorage.bind(expand)") });
// The item's function written as a shorthand property, from a helper parameter that defaults to a traceable.
const SHORTHAND = (item: string, calls = "enqueue(x)") => `${FQ}import { AsyncLocalStorage } from "node:async_hooks";
const rewrites = fastq.promise(async (item: { rewrite: (q: number) => Promise<number>; query: number }) => item.rewrite(item.query), 1);
const enqueue = (query: number, rewrite = child) => rewrites.push(${item});
export const parent = traceable(async (x: number) => ${calls});`;
invalid.push({
  name: "fastq items carrying a shorthand property that holds a traceable (a helper parameter defaulting to it), unpinned",
  code: SHORTHAND("{ rewrite, query }"),
  output: SHORTHAND("{ rewrite: AsyncLocalStorage.bind(rewrite), query }"),
  errors: [{ messageId: "queued", data: { library: "fastq", where: "caller's trace" } }],
});
valid.push({ name: "fastq items carrying a shorthand property, pinned where the helper is called", code: SHORTHAND("{ rewrite, query }", "enqueue(x, AsyncLocalStorage.bind(child))").replace("rewrite = child", "rewrite: (q: number) => Promise<number>") });
invalid.push({
  name: "fastq items carrying a traceable the worker calls, unpinned",
  code: CARRIED("child"),
  output: CARRIED("AsyncLocalStorage.bind(child)"),
  errors: [{ messageId: "queued", data: { library: "fastq", where: "traceable" } }],
});
invalid.push(
  {
    name: "fastq.promise queue fed functions the worker calls",
    code: `${FQ}const tasks = fastq.promise(async (task: () => Promise<number>) => task(), 1);
export const parent = traceable(async (x: number) => tasks.push(() => child(x)));`,
    output: `import fastq from "fastq";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
const tasks = fastq.promise(async (task: () => Promise<number>) => task(), 1);
export const parent = traceable(async (x: number) => tasks.push(AsyncLocalStorage.bind(() => child(x))));`,
    errors: [{ messageId: "queued", data: { library: "fastq", where: "traceable" } }],
  },
  {
    name: "fastq callback queue with a \`this\` object: a function put first with unshift",
    code: `${FQ}const stats = { runs: 0 };
const q = fastq(stats, function (this: typeof stats, task: () => Promise<number>, done: (err: Error | null, r?: number) => void) {
  this.runs++;
  task().then((r) => done(null, r), done);
}, 1);
export const parent = traceable((x: number) => new Promise((resolve) => q.unshift(() => child(x), (_err, r) => resolve(r))));`,
    output: `import fastq from "fastq";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
const stats = { runs: 0 };
const q = fastq(stats, function (this: typeof stats, task: () => Promise<number>, done: (err: Error | null, r?: number) => void) {
  this.runs++;
  task().then((r) => done(null, r), done);
}, 1);
export const parent = traceable((x: number) => new Promise((resolve) => q.unshift(AsyncLocalStorage.bind(() => child(x)), (_err, r) => resolve(r))));`,
    errors: [{ messageId: "queued", data: { library: "fastq", where: "traceable" } }],
  },
  {
    name: "fastq data items for a worker (given after a \`this\` argument) that traces: reported without a fix",
    code: `import { promise } from "fastq";
${H}const q = promise(null, async (n: number) => child(n), 1);
export const parent = traceable(async (n: number) => q.push(n + 1));`,
    output: null,
    errors: [{ messageId: "queuedData", data: { library: "fastq", where: "traceable" } }],
  },
);
// A helper that makes the task itself and hands it to the queue its caller passes (`enqueue(queue, item)`).
const ENQUEUE = (made: string, inside: string, calls: string) => `import PQueue from "p-queue";
${H}${made}function enqueueTransfer(queue: PQueue, id: number) {
  return queue.add(() => child(id));
}
const payout = traceable(async (ids: number[]) => {
  ${inside}return Promise.all(ids.map((id) => enqueueTransfer(rail, id)));
}, { name: "payout" });
${calls}`;
invalid.push({
  name: "two concurrent traces call a helper that makes each task and adds it to the module-level queue they pass",
  code: ENQUEUE("const rail = new PQueue({ concurrency: 1 });\n", "", "await Promise.all([payout([1]), payout([2])]);"),
  output: ENQUEUE("const rail = new PQueue({ concurrency: 1 });\n", "", "await Promise.all([payout([1]), payout([2])]);").replace("queue.add(() => child(id))", "queue.add(AsyncLocalStorage.bind(() => child(id)))").replace('import { traceable } from "langsmith/traceable";\n', 'import { traceable } from "langsmith/traceable";\nimport { AsyncLocalStorage } from "node:async_hooks";\n'),
  errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
});
valid.push(
  { name: "the same helper given a queue each trace makes for itself", code: ENQUEUE("", "const rail = new PQueue({ concurrency: 1 });\n  ", "await Promise.all([payout([1]), payout([2])]);") },
  { name: "the same helper and queue, the traces awaited one after the other", code: ENQUEUE("const rail = new PQueue({ concurrency: 1 });\n", "", "await payout([1]);\nawait payout([2]);") },
  { name: "the same helper with a queue of 4 slots, two traces of one task each", code: ENQUEUE("const rail = new PQueue({ concurrency: 4 });\n", "", "await Promise.all([payout([1]), payout([2])]);") },
);

// Tasks an in-file builder makes, each re-entering the run tree it captured (`() => withRunTree(cohortRun, ...)`),
// handed to a shared queue's addAll: pinned as they are made.
const STAMPS = (wrap: (inner: string) => string) => `import PQueue from "p-queue";
import { getCurrentRunTree, withRunTree } from "langsmith/traceable";
${H}const stamps = new PQueue({ concurrency: 1 });
function buildStampTasks(learners: string[]) {
  const cohortRun = getCurrentRunTree();
  return learners.map((learner) => () => ${wrap("child(learner)")});
}
const graduate = traceable(async (learners: string[]) => stamps.addAll(buildStampTasks(learners)), { name: "graduate" });
await Promise.all([graduate(["ana", "bo"]), graduate(["cy", "di"])]);
`;
valid.push({ name: "tasks an in-file builder returns, each re-entering the run tree it captured, handed to a shared queue's addAll", code: STAMPS((inner) => `withRunTree(cohortRun, () => ${inner})`) });
invalid.push({
  name: "the same builder's tasks without the captured run tree",
  code: STAMPS((inner) => inner),
  output: STAMPS((inner) => inner).replace("stamps.addAll(buildStampTasks(learners))", "stamps.addAll(buildStampTasks(learners).map((task) => AsyncLocalStorage.bind(task)))").replace('import { traceable } from "langsmith/traceable";\n', 'import { traceable } from "langsmith/traceable";\nimport { AsyncLocalStorage } from "node:async_hooks";\n'),
  errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
});

// The same helper submitting once per element of a collection its caller passes (`gradeAll(quizId, questions,
// limit)` mapping `questions` to `limit(() => grade(...))`): the caller's collection holds the tasks.
const GRADE_ALL = (slots: number, calls: string) => `import PQueue from "p-queue";
${H}const slotsQueue = new PQueue({ concurrency: ${slots} });
function gradeAll(quiz: string, questions: number[], queue: PQueue) {
  return Promise.all(questions.map((question) => queue.add(() => child(question))));
}
const gradeQuiz = traceable(async (quiz: string, questions: number[]) => gradeAll(quiz, questions, slotsQueue), { name: "grade_quiz" });
${calls}`;
invalid.push({
  name: "two concurrent traces call a helper that submits one task per element of the collection they pass to the queue they pass",
  code: GRADE_ALL(2, 'await Promise.all([gradeQuiz("alg", [1, 2, 3]), gradeQuiz("geo", [1, 2, 3])]);'),
  output: GRADE_ALL(2, 'await Promise.all([gradeQuiz("alg", [1, 2, 3]), gradeQuiz("geo", [1, 2, 3])]);').replace("queue.add(() => child(question))", "queue.add(AsyncLocalStorage.bind(() => child(question)))").replace('import { traceable } from "langsmith/traceable";\n', 'import { traceable } from "langsmith/traceable";\nimport { AsyncLocalStorage } from "node:async_hooks";\n'),
  errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
});
valid.push({ name: "the same helper with a queue whose slots fit every trace's tasks at once", code: GRADE_ALL(6, 'await Promise.all([gradeQuiz("alg", [1, 2, 3]), gradeQuiz("geo", [1, 2, 3])]);') });

// A class of another module whose constructor sizes its p-limit with a parameter (`this.limit = pLimit(sessions)`),
// made in the main module with a number, used by two concurrent traces of one task each.
const EDI_CLIENT = `import pLimit from "p-limit";
export class EdiClient {
  constructor(sessions) { this.limit = pLimit(sessions); }
  send(message, transmit) { return this.limit(() => transmit(message)); }
}
`;
const ediProject = (sessions: number) =>
  projectOnDisk({
    "src/edi.mjs": EDI_CLIENT,
    "src/main.mjs": `import { traceable } from "langsmith/traceable";
import { EdiClient } from "./edi.mjs";
const edi = new EdiClient(${sessions});
const transmit = traceable(async (m) => m, { name: "transmit" });
const report = traceable(async (vessel) => edi.send({ vessel }, transmit), { name: "report" });
await Promise.all([report("V1"), report("V2")]);
`,
  });
valid.push({
  name: "another module's class sized by its constructor's parameter, made here with 2 slots for two traces of one task",
  filename: path.join(ediProject(2), "src/edi.mjs"),
  code: EDI_CLIENT,
  settings: { "trace-nesting": { versions: { "p-limit": "3.1.0" } } },
});
invalid.push({
  name: "the same class made with 1 slot",
  filename: path.join(ediProject(1), "src/edi.mjs"),
  code: EDI_CLIENT,
  settings: { "trace-nesting": { versions: { "p-limit": "3.1.0" } } },
  output: EDI_CLIENT.replace('import pLimit from "p-limit";\n', 'import pLimit from "p-limit";\nimport { AsyncLocalStorage } from "node:async_hooks";\n').replace("this.limit(() => transmit(message))", "this.limit(AsyncLocalStorage.bind(() => transmit(message)))"),
  errors: [{ messageId: "queued" }],
});

// A p-queue made paused (`autoStart: false`): its tasks wait for `start()`, free slots or not.
const PAUSED = (options: string) => `import PQueue from "p-queue";
${H}const releases = new PQueue(${options});
export const clear = traceable(async (id: number) => { releases.add(() => child(id)); return id; }, { name: "clear" });
await clear(1);
setTimeout(() => releases.start(), 20);`;
invalid.push({
  name: "one trace adds a task to a p-queue made with autoStart: false, started later from a timer at load",
  code: PAUSED("{ concurrency: 2, autoStart: false }"),
  output: PAUSED("{ concurrency: 2, autoStart: false }").replace("releases.add(() => child(id))", "releases.add(AsyncLocalStorage.bind(() => child(id)))").replace('import { traceable } from "langsmith/traceable";\n', 'import { traceable } from "langsmith/traceable";\nimport { AsyncLocalStorage } from "node:async_hooks";\n'),
  errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
});
valid.push({ name: "the same one trace with a p-queue of 2 slots that starts at once", code: PAUSED("{ concurrency: 2 }") });
// Started by the trace itself right after its own adds (measured on an unseen look-alike): its slots as for a running queue.
const STARTED_BY_TRACE = PAUSED("{ concurrency: 2, autoStart: false }").replace("releases.add(() => child(id)); return id;", "releases.add(() => child(id)); releases.start(); return id;").replace("\nsetTimeout(() => releases.start(), 20);", "");
valid.push({ name: "a paused p-queue of 2 slots that the program's only trace starts right after adding its task", code: STARTED_BY_TRACE });
invalid.push({
  name: "the same paused queue also started from a timer at load",
  code: `${STARTED_BY_TRACE}\nsetTimeout(() => releases.start(), 20);`,
  output: `${STARTED_BY_TRACE}\nsetTimeout(() => releases.start(), 20);`.replace("releases.add(() => child(id))", "releases.add(AsyncLocalStorage.bind(() => child(id)))").replace('import { traceable } from "langsmith/traceable";\n', 'import { traceable } from "langsmith/traceable";\nimport { AsyncLocalStorage } from "node:async_hooks";\n'),
  errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
});

// An item an in-file helper makes (`jobs.push(inspection(id))` returning `{ inspect }`): its methods, as written there.
const INSPECTION = (method: string) => `import { queue } from "async";
import { AsyncResource } from "node:async_hooks";
${H}const jobs = queue(async (task: { inspect: () => unknown }) => task.inspect(), 1);
function inspection(id: number) {
  return { inspect: ${method} };
}
export const screen = traceable(async (id: number) => jobs.pushAsync(inspection(id)));`;
valid.push({ name: "an async queue item made by an in-file helper whose method it binds (AsyncResource.bind)", code: INSPECTION("AsyncResource.bind(() => child(id))") });
invalid.push({
  name: "an async queue item made by an in-file helper whose method does traced work unbound",
  code: INSPECTION("() => child(id)"),
  output: INSPECTION("AsyncLocalStorage.bind(() => child(id))").replace('import { AsyncResource } from "node:async_hooks";\n', 'import { AsyncResource, AsyncLocalStorage } from "node:async_hooks";\n'),
  errors: [{ messageId: "queued", data: { library: "async", where: "traceable" } }],
});

// A data item that carries the submitter's run tree for the worker to hand over as the parent.
const MANIFEST = (worker: string) => `import fastq from "fastq";
import { getCurrentRunTree } from "langsmith/traceable";
${H}const manifests = fastq.promise(${worker}, 1);
export const parent = traceable(async (n: number) => manifests.push({ parentRun: getCurrentRunTree(), n }));`;
valid.push({ name: "fastq data items carrying getCurrentRunTree() that this file's worker hands over as the parent", code: MANIFEST("async ({ parentRun, n }: { parentRun: unknown; n: number }) => child(parentRun as never, n)") });
invalid.push({
  name: "fastq data items carrying getCurrentRunTree() that this file's worker ignores",
  code: MANIFEST("async ({ n }: { n: number }) => child(n)"),
  output: null,
  errors: [{ messageId: "queuedData", data: { library: "fastq", where: "traceable" } }],
});
// A job record held in a local, carrying its work as a method and the submitter's run tree, which the worker runs the
// method under (`withRunTree(job.requestedBy, job.perform)`).
const CARRIER = (worker: string) => `import async from "async";
import { getCurrentRunTree, withRunTree } from "langsmith/traceable";
${H}const carrierJobs = async.priorityQueue((job: { perform: () => Promise<unknown>; requestedBy: never }, cb: (e: unknown, r?: unknown) => void) => {
  ${worker}.then((r) => cb(null, r), cb);
}, 3);
export const discharge = traceable((container: number, priority: number) => new Promise((resolve, reject) => {
  const job = { perform: () => child(container), requestedBy: getCurrentRunTree() as never };
  carrierJobs.push(job, priority, (err, r) => (err ? reject(err) : resolve(r)));
}), { name: "discharge" });`;
valid.push({ name: "a job record in a local carrying its method and getCurrentRunTree(), run by the worker under withRunTree", code: CARRIER("withRunTree(job.requestedBy, job.perform)") });
invalid.push({
  name: "the same job record whose method the worker calls directly",
  code: CARRIER("job.perform()"),
  output: CARRIER("job.perform()").replace("const job = { perform: () => child(container),", "const job = { perform: AsyncLocalStorage.bind(() => child(container)),").replace('import { traceable } from "langsmith/traceable";\n', 'import { traceable } from "langsmith/traceable";\nimport { AsyncLocalStorage } from "node:async_hooks";\n'),
  errors: [{ messageId: "queued", data: { library: "async", where: "function reading getCurrentRunTree()" } }],
});
const manifestQueues = projectOnDisk({
  "src/queue.mjs": `import fastq from "fastq";
import { traceable } from "langsmith/traceable";
const printManifest = traceable(async (runTree, { vanId }) => vanId, { name: "printManifest" });
export const manifestQueue = fastq.promise(({ parentRun, ...manifest }) => printManifest(parentRun, manifest), 1);
`,
});
valid.push({
  name: "data items carrying getCurrentRunTree() for another module's fastq queue (its worker may hand it over)",
  filename: path.join(manifestQueues, "src/main.mjs"),
  code: `import { traceable, getCurrentRunTree } from "langsmith/traceable";
import { manifestQueue } from "./queue.mjs";
export const loadVan = traceable(async (vanId) => manifestQueue.push({ parentRun: getCurrentRunTree(), vanId }), { name: "loadVan" });`,
});
valid.push({
  name: "the same item held in a local first",
  filename: path.join(manifestQueues, "src/main.mjs"),
  code: `import { traceable, getCurrentRunTree } from "langsmith/traceable";
import { manifestQueue } from "./queue.mjs";
export const loadVan = traceable(async (vanId) => { const manifest = { parentRun: getCurrentRunTree(), vanId }; return manifestQueue.push(manifest); }, { name: "loadVan" });`,
});
invalid.push({
  name: "data items without the run tree for another module's fastq queue whose worker traces",
  filename: path.join(manifestQueues, "src/main.mjs"),
  code: `import { traceable } from "langsmith/traceable";
import { manifestQueue } from "./queue.mjs";
export const loadVan = traceable(async (vanId) => manifestQueue.push({ vanId }), { name: "loadVan" });`,
  output: null,
  errors: [{ messageId: "queuedData", data: { library: "fastq", where: "traceable" } }],
});

// The same item for another module's queue whose code never reads the key the run tree sits under.
const payoutProject = projectOnDisk({
  "src/cargo.mjs": `import asyncLib from "async";
import { traceable } from "langsmith/traceable";
const creditWallet = traceable(async (p) => p.wallet, { name: "creditWallet" });
export const payoutCargo = asyncLib.cargo(async (payouts) => { for (const p of payouts) await creditWallet(p); }, 10);
`,
});
invalid.push({
  name: "data items carrying getCurrentRunTree() under a key the queue's module never reads",
  filename: path.join(payoutProject, "src/main.mjs"),
  code: `import { traceable, getCurrentRunTree } from "langsmith/traceable";
import { payoutCargo } from "./cargo.mjs";
export const release = traceable(async (wallet) => payoutCargo.push({ wallet, requestedBy: getCurrentRunTree() }), { name: "release" });`,
  output: null,
  errors: [{ messageId: "queuedData", data: { library: "async", where: "traceable" } }],
});

// A fastq queue of another module behind an exported object's method that pushes data: the call passes data only
// (a template literal), and the module's summary says whether the worker traces.
const fastqStores = projectOnDisk({
  "src/store.ts": `import fastq from "fastq";
import { traceable } from "langsmith/traceable";
const write = traceable(async (entry: { key: string }) => entry.key, { name: "write" });
const writes = fastq.promise(async (entry: { key: string }) => write(entry), 1);
const counts = fastq.promise(async (entry: { key: string }) => entry.key.length, 1);
export const store = {
  save: (key: string) => new Promise((resolve, reject) => writes.push({ key }).then(resolve, reject)),
  count: (key: string) => counts.push({ key }),
};
`,
});
const STORE = `import { traceable } from "langsmith/traceable";
import { store } from "./store";
`;
valid.push({ name: "another module's method pushing data to a fastq queue whose worker does not trace", filename: path.join(fastqStores, "src/app.ts"), code: `${STORE}export const handle = traceable(async (id: string) => store.count(\`k-\${id}\`));` });
invalid.push({
  name: "another module's method pushing data (a template literal) to a fastq queue whose worker traces",
  filename: path.join(fastqStores, "src/app.ts"),
  code: `${STORE}export const handle = traceable(async (id: string) => store.save(\`k-\${id}\`));`,
  output: null,
  errors: [{ messageId: "queuedData", data: { library: "fastq", where: "traceable" } }],
});

// A factory of another module that makes a fastq queue per call and returns a closure pushing to it: a closure made
// by a call inside the scope brings a queue of its own; one made at module load is shared by every trace.
const queueFactories = projectOnDisk({
  "src/upserts.ts": `import fastq from "fastq";
import { traceable } from "langsmith/traceable";
const upsert = traceable(async (ids: string[]) => ids.length, { name: "upsert" });
function worker(ids: string[], done: (err: Error | null, n?: number) => void) {
  upsert(ids).then((n) => done(null, n), done);
}
export function createUpsertQueue(concurrency = 1) {
  const queue = fastq(worker, concurrency);
  return (ids: string[]) => new Promise((resolve, reject) => queue.push(ids, (err, n) => (err ? reject(err) : resolve(n))));
}
`,
});
const UPSERTS = `import { traceable } from "langsmith/traceable";
import { createUpsertQueue } from "./upserts";
`;
valid.push({
  name: "a closure over a fastq queue made by another module's factory, called inside the scope: a queue per trace",
  filename: path.join(queueFactories, "src/sync.ts"),
  code: `${UPSERTS}export const sync = traceable(async (ids: string[]) => {\n  const enqueue = createUpsertQueue();\n  return enqueue(ids);\n});`,
});
invalid.push({
  name: "a closure over a fastq queue made by another module's factory at module load: shared by every trace",
  filename: path.join(queueFactories, "src/sync.ts"),
  code: `${UPSERTS}const enqueue = createUpsertQueue();\nexport const sync = traceable(async (ids: string[]) => enqueue(ids));`,
  output: null,
  errors: [{ messageId: "queuedData", data: { library: "fastq", where: "traceable" } }],
});

// A hand-written channel whose traced `for await` consumer loop runs items in the context it was started in.
const CHANNEL = `${H}function channel<T>() {
  const items: T[] = [];
  const takers: ((r: IteratorResult<T>) => void)[] = [];
  return {
    send(item: T) {
      const take = takers.shift();
      if (take) take({ value: item, done: false });
      else items.push(item);
    },
    [Symbol.asyncIterator]() {
      return { next: () => (items.length > 0 ? Promise.resolve({ value: items.shift()!, done: false }) : new Promise<IteratorResult<T>>((take) => takers.push(take))) };
    },
  };
}
`;
valid.push(
  {
    name: "a channel made with its traced consumer inside the traced function",
    code: `${CHANNEL}export const parent = traceable(async (xs: number[]) => {
  const own = channel<number>();
  void (async () => {
    for await (const x of own) await child(x);
  })();
  for (const x of xs) own.send(x);
});`,
  },
  {
    name: "a module-level channel whose consumer does no traced work, or runs the work in the item's run tree",
    code: `${CHANNEL}import { getCurrentRunTree, withRunTree } from "langsmith/traceable";
const counts = channel<number>();
void (async () => {
  for await (const x of counts) console.log(x);
})();
const work = channel<{ x: number; parentRun: ReturnType<typeof getCurrentRunTree> }>();
void (async () => {
  for await (const item of work) await withRunTree(item.parentRun, () => child(item.x));
})();
export const parent = traceable(async (x: number) => {
  counts.send(x);
  work.send({ x, parentRun: getCurrentRunTree() });
});`,
  },
);
invalid.push({
  name: "data sent to a module-level channel whose traced consumer loop is started lazily: reported without a fix",
  code: `${CHANNEL}const updates = channel<number>();
let consumer: Promise<void> | undefined;
export const parent = traceable(async (x: number) => {
  consumer ??= (async () => {
    for await (const n of updates) await child(n);
  })();
  updates.send(x);
});`,
  output: null,
  errors: [{ messageId: "channelData", data: { receiver: "updates", where: "traceable" } }],
});
/** A hand-written async channel kept in a module of its own (two projects below). */
const CHANNEL_MODULE = `export class Channel<T> {
  #items: T[] = [];
  send(item: T) {
    this.#items.push(item);
  }
  async *[Symbol.asyncIterator]() {
    while (this.#items.length > 0) yield this.#items.shift()!;
  }
}
`;
const channels = projectOnDisk({
  "src/indexer.ts": `import { traceable } from "langsmith/traceable";
import { Channel } from "./channel";
const upsert = traceable(async (doc: { id: string }) => doc.id, { name: "upsert" });
class Indexer {
  #updates = new Channel<{ id: string }>();
  #consumer: Promise<void> | undefined;
  schedule(doc: { id: string }) {
    this.#consumer ??= (async () => {
      for await (const d of this.#updates) await upsert(d);
    })();
    this.#updates.send(doc);
  }
}
export const indexer = new Indexer();
`,
  "src/channel.ts": CHANNEL_MODULE,
});
invalid.push({
  name: "another module's object sends the data to its channel, whose traced consumer its first call starts",
  filename: path.join(channels, "src/app.ts"),
  code: `import { traceable } from "langsmith/traceable";
import { indexer } from "./indexer";
export const saveArticle = traceable(async (id: string) => indexer.schedule({ id: \`article-\${id}\` }));`,
  output: null,
  errors: [{ messageId: "channelData", data: { receiver: "this.#updates", where: "traceable" } }],
});

// A consumer loop kept in a module of its own: `consume(channel, handle)` iterates the channel it is given and calls
// the handler the caller passes; `startWorker(handle)` iterates `events.on` of an emitter its module exports (the
// summary's channelConsumers). Measured in one file: fixtures/runtime/bind-queued-task/events-on-consumer-at-load.
const consumers = projectOnDisk({
  "src/consume.ts": `import { EventEmitter, on } from "node:events";
export async function consume<T>(channel: AsyncIterable<T>, handle: (item: T) => Promise<unknown>) {
  for await (const item of channel) await handle(item);
}
export const bus = new EventEmitter();
export function startWorker(handle: (job: string) => Promise<unknown>) {
  return (async () => {
    for await (const [job] of on(bus, "job")) await handle(job);
  })();
}
export async function drainNow<T>(items: T[], handle: (item: T) => Promise<unknown>) {
  for (const item of items) await handle(item);
}
`,
  "src/channel.ts": CHANNEL_MODULE,
});
const CONSUMER_MAIN = path.join(consumers, "src/main.ts");
const CM = `import { traceable } from "langsmith/traceable";
import { Channel } from "./channel";
import { bus, consume, drainNow, startWorker } from "./consume";
const child = traceable(async (x: string) => x, { name: "child" });
`;
valid.push(
  {
    name: "imported consumers that nest: started inside the sending scope, a handler without traced work, another event, a loop over an array",
    filename: CONSUMER_MAIN,
    code: `${CM}const logged = new Channel<string>();
void consume(logged, async (line) => console.log(line));
void startWorker(async (job) => child(job));
export const parent = traceable(async (x: string) => {
  const own = new Channel<string>();
  const done = consume(own, (item) => child(item));
  own.send(x);
  logged.send(x);
  bus.emit("other", x);
  await drainNow([x], (item) => child(item));
  await done;
});`,
  },
);
invalid.push(
  {
    name: "data sent to a channel that an imported consumer started at module load iterates with a traced handler",
    filename: CONSUMER_MAIN,
    code: `${CM}const inbox = new Channel<string>();
void consume(inbox, (item) => child(item));
export const parent = traceable(async (x: string) => inbox.send(x));`,
    output: null,
    errors: [{ messageId: "channelData", data: { receiver: "inbox", where: "traceable" } }],
  },
  {
    name: "data emitted on an imported emitter that its module's events.on loop, started at module load, consumes with a traced handler",
    filename: CONSUMER_MAIN,
    code: `${CM}void startWorker(async (job) => child(job));
export const parent = traceable(async (x: string) => {
  bus.emit("job", x);
});`,
    output: null,
    errors: [{ messageId: "channelData", data: { receiver: "bus", where: "traceable" } }],
  },
);
// The same in one file: a loop over `events.on(bus, "job")` started at module load, and `bus.emit("job", item)`.
const EVENTS_LOOP = `${H}import { EventEmitter, on } from "node:events";
const bus = new EventEmitter();
void (async () => {
  for await (const [job] of on(bus, "job")) await child(job);
})();
`;
/** The body of a function that makes an emitter, starts its own events.on loop over it and emits to it. */
const OWN_LOOP = `  const bus = new EventEmitter();
  const ac = new AbortController();
  const done = (async () => {
    try {
      for await (const [job] of on(bus, "job", { signal: ac.signal })) await child(job);
    } catch {}
  })();
  for (const item of items) bus.emit("job", item);
  await new Promise((r) => setTimeout(r, 10));
  ac.abort();
  await done;
`;
// A traced function that makes its own emitter or channel, starts its own loop over it and sends in the same call: the
// loop runs in this call's context and sees only this call's items (nests).
valid.push(
  {
    name: "an events.on loop the traced function starts itself over an emitter it makes, then emits to",
    code: `${H}import { EventEmitter, on } from "node:events";
export const parent = traceable(async (items: number[]) => {
${OWN_LOOP}});`,
  },
  {
    name: "a for await loop the traced method starts itself over a channel it makes, then sends to",
    code: `${H}class Inbox<T> { send(item: T) {} async *[Symbol.asyncIterator](): AsyncGenerator<T> {} }
export const parent = traceable(async (items: number[]) => {
  const inbox = new Inbox<number>();
  const done = (async () => { for await (const item of inbox) await child(item); })();
  for (const item of items) inbox.send(item);
  await done;
});`,
  },
);
valid.push({
  name: "a helper, called in the traced scope, that makes an emitter, starts its events.on loop and emits to it",
  code: `${H}import { EventEmitter, on } from "node:events";
async function fanOut(items: number[]) {
${OWN_LOOP}}
export const parent = traceable(async (items: number[]) => fanOut(items));`,
});
valid.push({
  name: "a traced function that starts a helper's events.on loop over an emitter it makes, then emits to it",
  code: `${H}import { EventEmitter, on } from "node:events";
function listen(bus: EventEmitter, signal: AbortSignal) {
  return (async () => {
    try {
      for await (const [job] of on(bus, "job", { signal })) await child(job);
    } catch {}
  })();
}
export const parent = traceable(async (items: number[]) => {
  const bus = new EventEmitter();
  const ac = new AbortController();
  const done = listen(bus, ac.signal);
  for (const item of items) bus.emit("job", item);
  ac.abort();
  await done;
});`,
});
invalid.push({
  name: "data emitted on a module-level emitter whose events.on loop the first traced call starts lazily",
  code: `${H}import { EventEmitter, on } from "node:events";
const bus = new EventEmitter();
let worker: Promise<void> | undefined;
export const parent = traceable(async (x: number) => {
  worker ??= (async () => {
    for await (const [job] of on(bus, "job")) await child(job);
  })();
  bus.emit("job", x);
});`,
  output: null,
  errors: [{ messageId: "channelData", data: { receiver: "bus", where: "traceable" } }],
});
valid.push({
  name: "an item that carries the sender's run tree, for an events.on loop started at load that runs its work under it",
  code: `${H}import { EventEmitter, on } from "node:events";
import { getCurrentRunTree, withRunTree } from "langsmith/traceable";
const bus = new EventEmitter();
void (async () => {
  for await (const [job] of on(bus, "job")) await withRunTree(job.origin, () => child(job.x));
})();
export const parent = traceable(async (x: number) => { const origin = getCurrentRunTree(); bus.emit("job", { x, origin }); });`,
});
invalid.push({
  name: "an item that carries the sender's run tree under a key the loop never reads",
  code: `${EVENTS_LOOP}import { getCurrentRunTree } from "langsmith/traceable";
export const parent = traceable(async (x: number) => { const origin = getCurrentRunTree(); bus.emit("job", { x, origin }); });`,
  output: null,
  errors: [{ messageId: "channelData", data: { receiver: "bus", where: "traceable" } }],
});
valid.push({ name: "an emit of another event than the events.on loop consumes, or of a function", code: `${EVENTS_LOOP}export const parent = traceable(async (x: number) => { bus.emit("other", x); bus.emit("job", () => x); });` });
invalid.push({
  name: "data emitted on an emitter whose events.on loop, started at module load, does traced work",
  code: `${EVENTS_LOOP}export const parent = traceable(async (x: number) => { bus.emit("job", x); });`,
  output: null,
  errors: [{ messageId: "channelData", data: { receiver: "bus", where: "traceable" } }],
});

// A poller: a timer armed outside every trace takes items out of a store and does traced work for them (measured:
// fixtures/runtime/bind-queued-task/poller-at-load, and poller-nests for the look-alikes).
const POLLER = `${H}const jobs: { to: string }[] = [];
setInterval(async () => {
  const job = jobs.shift();
  if (job) await child(job);
}, 5);
`;
const WORKER = `${H}class JobQueue<T> {
  #items: T[] = [];
  add(item: T) { this.#items.push(item); }
  take() { return this.#items.shift(); }
}
class Worker<T> {
  constructor(queue: JobQueue<T>, processor: (item: T) => Promise<unknown>) {
    setInterval(async () => {
      const item = queue.take();
      if (item) await processor(item);
    }, 5);
  }
}
const emails = new JobQueue<{ to: string }>();
const log = new JobQueue<string>();
new Worker(emails, (job) => child(job));
new Worker(log, async (line) => console.log(line));
`;
valid.push(
  { name: "data pushed for a poller whose drain does no traced work, or to a store no poller drains", code: `${H}const audit: string[] = [];
const other: string[] = [];
setInterval(() => { const line = audit.shift(); if (line) console.log(line); }, 5);
export const parent = traceable(async (x: string) => { audit.push(x); other.push(x); });` },
  { name: "data pushed for a poller whose items carry the run tree and run in it", code: `${H}import { getCurrentRunTree, withRunTree } from "langsmith/traceable";
const jobs: { to: string; parentRun: unknown }[] = [];
setInterval(async () => {
  const job = jobs.shift();
  const run = () => child(job);
  if (job) await withRunTree(job.parentRun as never, run);
}, 5);
export const parent = traceable(async (to: string) => { jobs.push({ to, parentRun: getCurrentRunTree() }); });` },
  { name: "a poller the traced scope arms itself, or starts through a helper it calls", code: `${H}const jobs: string[] = [];
function startPolling() {
  setInterval(async () => { const job = jobs.shift(); if (job) await child(job); }, 5);
}
export const parent = traceable(async (x: string) => {
  startPolling();
  jobs.push(x);
});` },
  { name: "data pushed for a poller, then drained by the scope itself", code: `${H}const jobs: string[] = [];
async function relay() { for (const job of jobs.splice(0)) await child(job); }
setInterval(relay, 5);
export const parent = traceable(async (x: string) => { jobs.push(x); await relay(); });` },
  { name: "data pushed for a poller with the sender's run tree", code: `${POLLER}import { getCurrentRunTree } from "langsmith/traceable";
export const parent = traceable(async (to: string) => { const parentRun = getCurrentRunTree(); jobs.push({ to, parentRun } as never); });` },
  { name: "a function task or a job record with a callback, left to the other hand-offs", code: `${POLLER}export const parent = traceable(async (x: string) => { jobs.push({ to: x, run: () => child(x) } as never); });` },
  { name: "data for a worker whose processor does no traced work", code: `${WORKER}export const parent = traceable(async (x: string) => { log.add(x); });` },
);
invalid.push(
  {
    name: "data pushed onto a module-level list that a timer armed at load drains into traced work",
    code: `${POLLER}export const parent = traceable(async (to: string) => { jobs.push({ to }); });`,
    output: null,
    errors: [{ messageId: "polledData", data: { receiver: "jobs", where: "traceable" } }],
  },
  {
    name: "data added to a queue object that a worker made at load polls with a traced processor",
    code: `${WORKER}export const parent = traceable(async (to: string) => { emails.add({ to }); });`,
    output: null,
    errors: [{ messageId: "polledData", data: { receiver: "emails", where: "traceable" } }],
  },
);

// A worker class of another module whose constructor arms a poller over the queue it is given (`new Worker(table)`,
// whose timer claims rows through `this.#table` and runs traced work, or a processor its caller passes).
const workers = projectOnDisk({
  "src/worker.ts": `import { traceable } from "langsmith/traceable";
const transcribe = traceable(async (row: unknown) => row, { name: "transcribe" });
export class Worker {
  #table: { claimNext(): unknown; complete(row: unknown): void };
  constructor(table: { claimNext(): unknown; complete(row: unknown): void }, { pollMs = 3 } = {}) {
    this.#table = table;
    setInterval(() => this.#tick(), pollMs);
  }
  async #tick() {
    let row;
    while ((row = this.#table.claimNext())) this.#table.complete(await this.handle(row));
  }
  handle(row: unknown) { return transcribe(row); }
}
export class Poller<T> {
  constructor(queue: { take(): T | undefined }, processor: (item: T) => Promise<unknown>) {
    setInterval(async () => {
      const item = queue.take();
      if (item) await processor(item);
    }, 5);
  }
}
export class Keeper {
  constructor(store: { add(x: unknown): void }) {
    setInterval(() => store.add("tick"), 5);
  }
}
`,
});
const WM = `import { traceable } from "langsmith/traceable";
import { Keeper, Poller, Worker } from "./worker";
import { JobTable } from "./table";
const child = traceable(async (x: unknown) => x, { name: "child" });
`;
valid.push(
  {
    name: "imported pollers that nest or keep no item: made inside the scope, a processor without traced work, a timer that only adds",
    filename: path.join(workers, "src/main.ts"),
    code: `${WM}const logs = new JobTable();
new Poller(logs, async (line) => console.log(line));
const ticks = new JobTable();
new Keeper(ticks);
export const parent = traceable(async (url: string) => {
  const own = new JobTable();
  new Worker(own);
  own.insert({ url });
  logs.insert(url);
  ticks.add(url);
});`,
  },
  {
    name: "a row for an imported worker that carries the sender's run tree (the worker can run the work in it)",
    filename: path.join(workers, "src/main.ts"),
    code: `${WM}import { getCurrentRunTree } from "langsmith/traceable";
const table = new JobTable();
new Worker(table);
export const parent = traceable(async (url: string) => {
  table.insert({ url }, { parentRun: getCurrentRunTree() });
});`,
  },
);
invalid.push(
  {
    name: "a row inserted into a table that an imported worker, made at load, polls and runs traced work for",
    filename: path.join(workers, "src/main.ts"),
    code: `${WM}const table = new JobTable();
const worker = new Worker(table);
export const parent = traceable(async (url: string) => {
  const id = table.insert({ url });
  return id;
});`,
    output: null,
    errors: [{ messageId: "polledData", data: { receiver: "table", where: "traceable" } }],
  },
  {
    name: "an item added to a queue that an imported poller, made at load, hands to a traced processor",
    filename: path.join(workers, "src/main.ts"),
    code: `${WM}const emails = new JobTable();
new Poller(emails, (job) => child(job));
export const parent = traceable(async (to: string) => {
  emails.add("welcome", { to });
});`,
    output: null,
    errors: [{ messageId: "polledData", data: { receiver: "emails", where: "traceable" } }],
  },
);

// An `async` queue of another module behind a helper that pushes data items (`enqueue(to, template)`): whether its
// worker traces is that module's to say.
const mailers = projectOnDisk({
  "src/mailer.ts": `import async from "async";
import { traceable } from "langsmith/traceable";
const send = traceable(async (message: { to: string }) => message.to, { name: "send" });
const outbox = async.queue(async (message: { to: string }) => send(message), 1);
export function enqueueEmail(to: string, template: string) {
  return outbox.pushAsync({ to, template });
}
const log = async.queue(async (line: string) => console.log(line), 1);
export function logLine(line: string, level: string) {
  return log.pushAsync(\`\${level} \${line}\`);
}
`,
});
const MAIL = `import { traceable } from "langsmith/traceable";
import { enqueueEmail, logLine } from "./mailer";
`;
valid.push({ name: "imported helper pushing data to its module's async queue whose worker does not trace", filename: path.join(mailers, "src/app.ts"), code: `${MAIL}export const signUp = traceable(async (email: string) => logLine(email, "info"));` });
invalid.push({
  name: "imported helper pushing data items to its module's async queue whose worker traces (reported once per call)",
  filename: path.join(mailers, "src/app.ts"),
  code: `${MAIL}export const signUp = traceable(async (email: string) => enqueueEmail(email, "welcome"));`,
  output: null,
  errors: [{ messageId: "queuedData", data: { library: "async", where: "traceable" } }],
});

// A factory of one module handed the traced function (and the concurrency) by another module's call: the factory's
// module learns from its importers what it is handed (project index: calls of its exports and their arguments).
const LIMITS = `const pLimit = require("p-limit");
function createLimitedClient(call, { concurrency }) {
  const limit = pLimit(concurrency);
  return (...args) => limit(call, ...args);
}
module.exports = { createLimitedClient };
`;
const CLIENT = (concurrency: number) => `import { createRequire } from "node:module";
import { traceable } from "langsmith/traceable";
const { createLimitedClient } = createRequire(import.meta.url)("./limits.cjs");
const scoreLead = traceable(async (lead: string) => lead.length, { name: "scoreLead" });
const crm = { score: createLimitedClient(scoreLead, { concurrency: ${concurrency} }) };
export const qualifyLead = traceable(async (lead: string) => (await crm.score(lead)) > 20);
`;
const serialClients = projectOnDisk({ "src/limits.cjs": LIMITS, "src/main.mts": CLIENT(1) });
const wideClients = projectOnDisk({ "src/limits.cjs": LIMITS, "src/main.mts": CLIENT(4) });
// An options parameter with a defaulted concurrency (`{ concurrency = 2 } = {}`): the callers' number, else the default.
const EMBED = `import pLimit from "p-limit";
import { traceable } from "langsmith/traceable";
const embedOne = traceable(async (text: string) => text.length, { name: "embedOne" });
export function createEmbeddingClient({ concurrency = 2 } = {}) {
  const limit = pLimit(concurrency);
  return { embedMany: (texts: string[]) => Promise.all(texts.map((t) => limit(() => embedOne(t)))) };
}
`;
const EMBED_MAIN = (args: string) => `import { traceable } from "langsmith/traceable";
import { createEmbeddingClient } from "./client";
const embeddings = createEmbeddingClient(${args});
export const indexDocument = traceable(async (paragraphs: string[]) => embeddings.embedMany(paragraphs));
`;
const serialEmbeds = projectOnDisk({ "src/client.ts": EMBED, "src/main.ts": EMBED_MAIN("{ concurrency: 1 }") });
const defaultEmbeds = projectOnDisk({ "src/client.ts": EMBED, "src/main.ts": EMBED_MAIN("") });
// Concurrency 2, but one call submits a task per text: one trace fills both slots, and another trace's tasks wait
// and start from its completions (measured SPLIT with p-limit 3 under two concurrent traces).
invalid.push({
  name: "a limiter factory whose callers take its defaulted concurrency of 2, fed one task per element",
  filename: path.join(defaultEmbeds, "src/client.ts"),
  code: EMBED,
  output: withAlsImport(EMBED).replace("limit(() => embedOne(t))", "limit(AsyncLocalStorage.bind(() => embedOne(t)))"),
  errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "caller's trace" } }],
});
invalid.push({
  name: "a limiter factory with a defaulted concurrency whose caller passes concurrency 1",
  filename: path.join(serialEmbeds, "src/client.ts"),
  code: EMBED,
  output: withAlsImport(EMBED).replace("limit(() => embedOne(t))", "limit(AsyncLocalStorage.bind(() => embedOne(t)))"),
  errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "caller's trace" } }],
});
// The caller of a factory that submits its parameter only later, from the closure it returns, is not where to bind.
valid.push(
  { name: "a factory handed a traceable by another module, with concurrency 4 from the caller", filename: path.join(wideClients, "src/limits.cjs"), code: LIMITS },
  { name: "the module-level call of a factory whose returned closure submits the traceable later", filename: path.join(serialClients, "src/main.mts"), code: CLIENT(1) },
);
invalid.push({
  name: "a factory handed a traceable by another module, with concurrency 1 from the caller: bound where the returned closure submits it",
  filename: path.join(serialClients, "src/limits.cjs"),
  code: LIMITS,
  output: LIMITS.replace(`const pLimit = require("p-limit");\n`, `const pLimit = require("p-limit");\nconst { AsyncLocalStorage } = require("node:async_hooks");\n`).replace("limit(call, ...args)", "limit(AsyncLocalStorage.bind(call), ...args)"),
  errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "caller's trace" } }],
});

// A factory that makes a limiter for the closure it returns: judged by where the project calls the factory.
const GEOCODER = `import pLimit from "p-limit";
import { traceable } from "langsmith/traceable";
const geocode = traceable(async (address: string) => address, { name: "geocode" });
export function createGeocoder(concurrency = 1) {
  const limit = pLimit(concurrency);
  return (address: string) => limit(() => geocode(address));
}
`;
const PLAN = (setup: string, body: string) => `import { traceable } from "langsmith/traceable";
import { createGeocoder } from "./geocoder";
${setup}
export const plan = traceable(async (addresses: string[]) => {
${body}
});
`;
const perTraceGeocoders = projectOnDisk({ "src/geocoder.ts": GEOCODER, "src/main.ts": PLAN("", "  const geocodeLimited = createGeocoder();\n  return Promise.all(addresses.map(geocodeLimited));") });
const sharedGeocoders = projectOnDisk({ "src/geocoder.ts": GEOCODER, "src/main.ts": PLAN("const geocodeLimited = createGeocoder();", "  return Promise.all(addresses.map(geocodeLimited));") });
valid.push({
  name: "a limiter a factory makes for its returned closure, when the project calls the factory only inside functions (one per trace)",
  filename: path.join(perTraceGeocoders, "src/geocoder.ts"),
  code: GEOCODER,
  settings: { "trace-nesting": { runtime: "node", versions: { "p-limit": "3.1.0" } } },
});
// A file that calls a factory of the same name at load, taken from another module (`./legacy/geocoder-v1`).
const otherGeocoders = projectOnDisk({
  "src/geocoder.ts": GEOCODER,
  "src/main.ts": PLAN("", "  const geocodeLimited = createGeocoder();\n  return Promise.all(addresses.map(geocodeLimited));"),
  "src/batch.ts": `import { createGeocoder } from "./legacy/coords";\nexport const geocodeAll = createGeocoder();\n`,
});
valid.push({
  name: "a limiter a factory makes for its returned closure, when the file that calls a factory of that name at load imports another module's",
  filename: path.join(otherGeocoders, "src/geocoder.ts"),
  code: GEOCODER,
  settings: { "trace-nesting": { runtime: "node", versions: { "p-limit": "3.1.0" } } },
});
invalid.push({
  name: "a limiter a factory makes for its returned closure, when a file of the project calls the factory at load (shared)",
  filename: path.join(sharedGeocoders, "src/geocoder.ts"),
  code: GEOCODER,
  settings: { "trace-nesting": { runtime: "node", versions: { "p-limit": "3.1.0" } } },
  output: withAlsImport(GEOCODER).replace("limit(() => geocode(address))", "limit(AsyncLocalStorage.bind(() => geocode(address)))"),
  errors: [{ messageId: "queued", data: { library: "p-limit 3.1.0", where: "caller's trace" } }],
});

// An exported function whose task hook is an option defaulting to the identity (`{ around = (fn) => fn } = {}`): the
// project index records the option keys every importer's call writes.
const API_CLIENT = `import PQueue from "p-queue";
import { traceable } from "langsmith/traceable";
const limiter = new PQueue({ concurrency: 1 });
const callApi = traceable(async (path: string) => path, { name: "call_api" });
export function api(path: string, { around = (fn: () => unknown) => fn, retries = 0 } = {}) {
  return limiter.add(around(() => callApi(path)), { priority: retries });
}
`;
const SYNC = (call: string, extra = "") => `import { traceable } from "langsmith/traceable";
import { api } from "./client";
${extra}export const sync = traceable(async (path: string) => ${call});
`;
const hookSettings = { "trace-nesting": { runtime: "node", versions: { "p-queue": "6.6.2" } } };
const hookProject = (files: Record<string, string>) => projectOnDisk({ "src/client.ts": API_CLIENT, ...files });
for (const [name, files] of [
  ["an options literal with other keys", { "src/sync.ts": SYNC("api(path, { retries: 1 })") }],
  ["no options", { "src/sync.ts": SYNC("api(path)") }],
  ["no options, in two files", { "src/sync.ts": SYNC("api(path)"), "src/labels.ts": SYNC("api(path + '/labels', {})") }],
  ["a constant options object with other keys", { "src/sync.ts": SYNC("api(path, options)", "const options = { retries: 2 };\n") }],
] as const) {
  invalid.push({
    name: `an exported function's identity-default task hook, when every importer's call passes ${name}`,
    filename: path.join(hookProject(files), "src/client.ts"),
    code: API_CLIENT,
    settings: hookSettings,
    output: withAlsImport(API_CLIENT).replace("limiter.add(around(() => callApi(path))", "limiter.add(AsyncLocalStorage.bind(around(() => callApi(path)))"),
    errors: [{ messageId: "queued" }],
  });
}
for (const [name, files] of [
  ["an importer passes the hook", { "src/sync.ts": SYNC("api(path)"), "src/labels.ts": SYNC("api(path, { around: wrapTask })", 'import { AsyncLocalStorage } from "node:async_hooks";\nconst wrapTask = (fn: () => unknown) => AsyncLocalStorage.bind(fn);\n') }],
  ["an importer passes an options object the index cannot read", { "src/sync.ts": SYNC("api(path, readOptions())", "const readOptions = () => JSON.parse(\"{}\");\n") }],
  ["an importer spreads its options", { "src/sync.ts": SYNC("api(path, { ...defaults })", "const defaults = { retries: 2 };\n") }],
  ["no file of the project calls it", {}],
] as const) {
  valid.push({ name: `an exported function's identity-default task hook, when ${name}`, filename: path.join(hookProject(files), "src/client.ts"), code: API_CLIENT, settings: hookSettings });
}
// The function also leaves its file otherwise than as an export (a registry): callers the index cannot see.
const API_REGISTERED = `${API_CLIENT}export const handlers = { api };
`;
valid.push({
  name: "an exported function's identity-default task hook, when its file also hands the function away",
  filename: path.join(projectOnDisk({ "src/client.ts": API_REGISTERED, "src/sync.ts": SYNC("api(path)") }), "src/client.ts"),
  code: API_REGISTERED,
  settings: hookSettings,
});
// The constructor of an exported CommonJS class, with the hook in its options.
const CODE_HOST = `const { default: PQueue } = require("p-queue");
const { traceable } = require("langsmith/traceable");
class CodeHostClient {
  constructor({ concurrency = 1, wrap = (fn) => fn } = {}) {
    this.queue = new PQueue({ concurrency });
    this.wrap = wrap;
    this.getPull = traceable(async (repo, n) => ({ repo, n }), { name: "getPull" });
  }
  request(repo, n) {
    return this.queue.add(this.wrap(() => this.getPull(repo, n)));
  }
}
module.exports = { CodeHostClient };
`;
const TRIAGE = (made: string) => `const { traceable } = require("langsmith/traceable");
const { CodeHostClient } = require("./codeHost.cjs");
const client = ${made};
exports.triage = traceable(async (repo, n) => client.request(repo, n), { name: "triage" });
`;
invalid.push({
  name: "an exported class's identity-default task hook in its constructor's options, when every importer makes it without options",
  filename: path.join(projectOnDisk({ "src/codeHost.cjs": CODE_HOST, "src/main.cjs": TRIAGE("new CodeHostClient()") }), "src/codeHost.cjs"),
  code: CODE_HOST,
  settings: hookSettings,
  output: CODE_HOST.replace('const { traceable } = require("langsmith/traceable");\n', 'const { traceable } = require("langsmith/traceable");\nconst { AsyncLocalStorage } = require("node:async_hooks");\n').replace("this.queue.add(this.wrap(() => this.getPull(repo, n)))", "this.queue.add(AsyncLocalStorage.bind(this.wrap(() => this.getPull(repo, n))))"),
  errors: [{ messageId: "queued" }],
});
valid.push({
  name: "an exported class's identity-default task hook in its constructor's options, when an importer passes the hook",
  filename: path.join(projectOnDisk({ "src/codeHost.cjs": CODE_HOST, "src/main.cjs": TRIAGE("new CodeHostClient({ wrap: (fn) => AsyncLocalStorage.bind(fn) })") }), "src/codeHost.cjs"),
  code: CODE_HOST,
  settings: hookSettings,
});

// A CommonJS module's fastq queue whose worker calls a sender the importer injects (`sms.useSender(traceable(...))`):
// the index reads the importer's calls of `useSender` as those of `module.exports.useSender`.
const SMS_QUEUE = `const fastq = require("fastq");
let sender = null;
const queue = fastq((msg, cb) => {
  sender(msg).then((r) => cb(null, r), cb);
}, 1);
module.exports = {
  useSender(fn) { sender = fn; },
  sendSms: (msg) => new Promise((resolve, reject) => queue.push(msg, (err, r) => (err ? reject(err) : resolve(r)))),
};
`;
const NOTIFY = (sender: string) => `const { traceable } = require("langsmith/traceable");
const sms = require("./smsQueue.cjs");
sms.useSender(${sender});
exports.notify = traceable(async (phone) => sms.sendSms({ to: phone, body: "refund approved" }), { name: "notify" });
`;
invalid.push({
  name: "a data item for another CommonJS module's fastq queue whose worker calls the traceable this file injects",
  filename: path.join(projectOnDisk({ "src/smsQueue.cjs": SMS_QUEUE, "src/main.cjs": NOTIFY('traceable(async (msg) => msg, { name: "deliverSms" })') }), "src/main.cjs"),
  code: NOTIFY('traceable(async (msg) => msg, { name: "deliverSms" })'),
  errors: [{ messageId: "queuedData" }],
});
valid.push({
  name: "a data item for another CommonJS module's fastq queue whose worker calls a plain function this file injects",
  filename: path.join(projectOnDisk({ "src/smsQueue.cjs": SMS_QUEUE, "src/main.cjs": NOTIFY("async (msg) => msg") }), "src/main.cjs"),
  code: NOTIFY("async (msg) => msg"),
});

// A service class whose constructor makes its own p-queue and keeps the render function its importer passes in an
// options object (`new LabelService({ render: renderLabel })`): the index records which option holds a traceable.
const LABEL_SERVICE = `import PQueue from "p-queue";
export class LabelService {
  constructor({ render, concurrency = 1 }) {
    this.render = render;
    this.queue = new PQueue({ concurrency });
  }
  labelsFor(rma) {
    return Promise.all(rma.parcels.map((parcel) => this.queue.add(() => this.render(rma.id, parcel))));
  }
}
`;
const APPROVE = (made: string, inside: string) => `import { traceable } from "langsmith/traceable";
import { LabelService } from "./labelService.mjs";
const renderLabel = traceable(async (id, parcel) => id + parcel.sku, { name: "renderLabel" });
${made}export const approve = traceable(async (rma) => ${inside}.labelsFor(rma));
`;
const labelSettings = { "trace-nesting": { runtime: "node", versions: { "p-queue": "6.6.2" } } };
invalid.push({
  name: "a p-queue an exported class makes per instance, with an instance made at load by an importer that passes a traceable option",
  filename: path.join(projectOnDisk({ "src/labelService.mjs": LABEL_SERVICE, "src/main.mjs": APPROVE("const labels = new LabelService({ render: renderLabel });\n", "labels") }), "src/labelService.mjs"),
  code: LABEL_SERVICE,
  settings: labelSettings,
  output: withAlsImport(LABEL_SERVICE).replace("this.queue.add(() => this.render(rma.id, parcel))", "this.queue.add(AsyncLocalStorage.bind(() => this.render(rma.id, parcel)))"),
  errors: [{ messageId: "queued" }],
});
valid.push(
  {
    name: "a p-queue an exported class makes per instance, each instance made inside the importer's trace",
    filename: path.join(projectOnDisk({ "src/labelService.mjs": LABEL_SERVICE, "src/main.mjs": APPROVE("", "new LabelService({ render: renderLabel })") }), "src/labelService.mjs"),
    code: LABEL_SERVICE,
    settings: labelSettings,
  },
  {
    name: "a p-queue an exported class makes per instance, made at load in another folder's file that imports a same-named module",
    filename: path.join(projectOnDisk({ "src/labelService.mjs": LABEL_SERVICE, "src/main.mjs": APPROVE("", "new LabelService({ render: renderLabel })"), "src/legacy/labelService.mjs": "export class LabelService { labelsFor() { return []; } }\n", "src/legacy/main.mjs": 'import { LabelService } from "./labelService.mjs";\nexport const labels = new LabelService();\n' }), "src/labelService.mjs"),
    code: LABEL_SERVICE,
    settings: labelSettings,
  },
  {
    name: "a p-queue an exported class makes per instance, with an importer passing a plain render function",
    filename: path.join(projectOnDisk({ "src/labelService.mjs": LABEL_SERVICE, "src/main.mjs": APPROVE("const labels = new LabelService({ render: (id, parcel) => id + parcel.sku });\n", "labels") }), "src/labelService.mjs"),
    code: LABEL_SERVICE,
    settings: labelSettings,
  },
);

// A traced function whose queue is a destructured option defaulting to a shared one, every call of it seen here and
// none passing `queue`: the default is the queue. One defaulting to a queue made per call serves that call alone.
const REFRESH = (queueDefault: string, call = 'refreshJob({ job: "hourly", models: ["a"] });\nrefreshJob({ job: "daily", models: ["b"] });') => `const { default: PQueue } = require("p-queue");
const { traceable } = require("langsmith/traceable");
const refreshQueue = new PQueue({ concurrency: 1 });
const refreshModel = traceable(async (model) => model, { name: "dbt_run_model" });
const refreshJob = traceable(async ({ job, models, queue = ${queueDefault} }) => queue.add(() => refreshModel(models[0]), { priority: job === "hourly" ? 1 : 0 }), { name: "refresh_job" });
${call}
`;
const refreshSettings = { "trace-nesting": { runtime: "node", versions: { "p-queue": "6.6.2" } } };
invalid.push({
  name: "a destructured option defaulting to a shared queue, which no call of the traced function passes",
  code: REFRESH("refreshQueue"),
  settings: refreshSettings,
  output: REFRESH("refreshQueue").replace('const { traceable } = require("langsmith/traceable");\n', 'const { traceable } = require("langsmith/traceable");\nconst { AsyncLocalStorage } = require("node:async_hooks");\n').replace("queue.add(() => refreshModel(models[0])", "queue.add(AsyncLocalStorage.bind(() => refreshModel(models[0]))"),
  errors: [{ messageId: "queued" }],
});
valid.push(
  { name: "a destructured option defaulting to a queue made per call, which no call passes", code: REFRESH("new PQueue({ concurrency: 1 })"), settings: refreshSettings },
);

// A wide limiter fed one task per element of a traced function's parameter, every call of which passes an array
// literal: as many tasks as the longest. No longer than the concurrency, one trace never fills the slots.
const SHIPMENTS = (calls: string) => `import pLimit from "p-limit";
import { traceable } from "langsmith/traceable";
const slots = pLimit(4);
const getShipment = traceable(async (id: string) => id, { name: "getShipment" });
const whereIsMyOrder = traceable(async ({ orderIds }: { orderIds: string[] }) => Promise.all(orderIds.map((id) => slots(() => getShipment(id)))));
${calls}
`;
const shipmentSettings = { "trace-nesting": { runtime: "node", versions: { "p-limit": "3.1.0" } } };
valid.push({ name: "a limiter of 4 fed one task per element of arrays of at most 2, every call seen", code: SHIPMENTS('await Promise.all([whereIsMyOrder({ orderIds: ["a", "b"] }), whereIsMyOrder({ orderIds: ["c"] })]);'), settings: shipmentSettings });
invalid.push({
  name: "a limiter of 4 fed one task per element, with a call passing an array of 5",
  code: SHIPMENTS('await Promise.all([whereIsMyOrder({ orderIds: ["a", "b", "c", "d", "e"] }), whereIsMyOrder({ orderIds: ["f"] })]);'),
  settings: shipmentSettings,
  output: withAlsImport(SHIPMENTS('await Promise.all([whereIsMyOrder({ orderIds: ["a", "b", "c", "d", "e"] }), whereIsMyOrder({ orderIds: ["f"] })]);')).replace("slots(() => getShipment(id))", "slots(AsyncLocalStorage.bind(() => getShipment(id)))"),
  errors: [{ messageId: "queued" }],
});

// An array literal that grows after it is made (`const batches = []` filled by `push`) says nothing of its length.
const GROWN = `import pLimit from "p-limit";
import { traceable } from "langsmith/traceable";
const slots = pLimit(2);
const embed = traceable(async (batch: string[]) => batch.length, { name: "embed" });
export function embedAll(chunks: string[]) {
  const batches: string[][] = [];
  for (let i = 0; i < chunks.length; i += 2) batches.push(chunks.slice(i, i + 2));
  return Promise.all(batches.map((b) => slots(() => embed(b))));
}
`;
invalid.push({
  name: "a limiter of 2 fed one task per element of an array literal that grows by push",
  code: GROWN,
  settings: shipmentSettings,
  output: withAlsImport(GROWN).replace("slots(() => embed(b))", "slots(AsyncLocalStorage.bind(() => embed(b)))"),
  errors: [{ messageId: "queued" }],
});

// A loader reached through a property of a context object an in-file function builds per request: shared when the
// property holds the module-level loader, the request's own when the function makes one for it.
const CONTEXT_LOADER = (specs: string) => `import { traceable } from "langsmith/traceable";
class SpecLoader {
  constructor(fetchOne) { this.fetchOne = fetchOne; this.queue = []; }
  load(key) {
    return new Promise((resolve) => {
      if (this.queue.length === 0) process.nextTick(() => this.dispatch());
      this.queue.push({ key, resolve });
    });
  }
  async dispatch() {
    const batch = this.queue.splice(0);
    await Promise.all(batch.map(({ key, resolve }) => this.fetchOne(key).then(resolve)));
  }
}
const fetchSpec = traceable(async (model) => ({ model }), { name: "fetch_spec" });
const specs = new SpecLoader(fetchSpec);
function contextFor(requestId) {
  return { requestId, specs: ${specs} };
}
export const estimate = traceable(async (model) => {
  const ctx = contextFor(model);
  return (await ctx.specs.load(model)).model;
});
`;
invalid.push({
  name: "a data item for a module-level loader reached through a property of a context object an in-file function builds",
  code: CONTEXT_LOADER("specs"),
  errors: [{ messageId: "batcherData", data: { receiver: "ctx.specs.load", where: "traceable" } }],
});
valid.push({ name: "a data item for a loader a context object an in-file function builds makes per request", code: CONTEXT_LOADER("new SpecLoader(fetchSpec)") });

// The loader handed to the traced function in a context argument its caller writes (`validate(change, { crew })`).
const PARAM_LOADER = (crew: string) => CONTEXT_LOADER("specs").replace(`function contextFor(requestId) {
  return { requestId, specs: specs };
}
export const estimate = traceable(async (model) => {
  const ctx = contextFor(model);
  return (await ctx.specs.load(model)).model;
});`, `const estimate = traceable(async (model, ctx) => (await ctx.specs.load(model)).model);
const handle = (model) => estimate(model, { specs: ${crew} });
Promise.all([handle("a"), handle("b")]);`);
invalid.push({
  name: "a data item for a module-level loader handed to the traced function in a context argument its caller writes",
  code: PARAM_LOADER("specs"),
  errors: [{ messageId: "batcherData", data: { receiver: "ctx.specs.load", where: "traceable" } }],
});
valid.push({ name: "a data item for a loader the caller makes per call and hands to the traced function in a context argument", code: PARAM_LOADER("new SpecLoader(fetchSpec)") });

// A keyed debouncer: each call files its entry in a map of the factory and re-arms one timer, whose callback walks
// the whole map: the last caller's timer runs every entry. One whose timer takes back only its own key does not.
const KEYED = (drain: string) => `import { traceable } from "langsmith/traceable";
function debounceByKey(handler, waitMs = 20) {
  const pending = new Map();
  let timer;
  return (key, payload) =>
    new Promise((resolve) => {
      pending.set(key, { payload, resolve });
      clearTimeout(timer);
      timer = setTimeout(async () => {
${drain}
      }, waitMs);
    });
}
const summarise = traceable(async (id, notes) => id, { name: "summarise" });
const schedule = debounceByKey(summarise);
export const save = traceable(async (id, notes) => schedule(id, notes));
`;
invalid.push({
  name: "a data item for a keyed debouncer whose one timer walks every entry",
  code: KEYED("        const entries = [...pending.entries()];\n        pending.clear();\n        for (const [k, { payload: p, resolve: done }] of entries) done(await handler(k, p));"),
  errors: [{ messageId: "batcherData" }],
});
valid.push({
  name: "a data item for a keyed store whose timer takes back its own key only",
  code: KEYED("        const { payload: p, resolve: done } = pending.get(key);\n        pending.delete(key);\n        done(await handler(key, p));").replace("      clearTimeout(timer);\n", ""),
});

// A completion callback pushed with a data item to a shared async queue: the worker calls it when the task is done,
// in the context it runs in.
const CARGO = (made: string, callback: string) => `import async from "async";
import { traceable } from "langsmith/traceable";
const commit = traceable(async (offset: number) => offset, { name: "commit" });
${made}export const consume = traceable(async (offset: number) => new Promise((resolve) => rows.push({ offset }, ${callback})));
`;
const SHARED_CARGO = "const rows = async.cargo((batch: unknown[], done: () => void) => { setTimeout(done, 10); }, 4);\n";
invalid.push({
  name: "a completion callback doing traced work, pushed with its row to a shared async.cargo",
  code: CARGO(SHARED_CARGO, "() => resolve(commit(offset))"),
  output: withAlsImport(CARGO(SHARED_CARGO, "AsyncLocalStorage.bind(() => resolve(commit(offset)))")),
  errors: [{ messageId: "queued", data: { library: "async", where: "traceable" } }],
});
valid.push(
  { name: "a completion callback that only resolves, pushed to a shared async.cargo", code: CARGO(SHARED_CARGO, "() => resolve(offset)") },
  { name: "a completion callback doing traced work, pushed to an async.cargo the traced function makes", code: CARGO("", "() => resolve(commit(offset))").replace("new Promise((resolve) => rows.push(", "new Promise((resolve) => async.cargo((batch: unknown[], done: () => void) => { setTimeout(done, 10); }, 4).push(") },
);

// A CommonJS class (`module.exports = Sink`) made by another module with a function that starts child runs; its
// queue, kept in a field, is fed data items by a method the traced scope calls.
const SINK = `const neoAsync = require("neo-async");
class AuditSink {
  constructor(writeOne) {
    this.writeOne = writeOne;
    this.cargo = neoAsync.cargo((entries, done) => {
      Promise.all(entries.map((e) => this.writeOne(e))).then(() => done(), done);
    }, 10);
  }
  write(entry) {
    return new Promise((resolve) => this.cargo.push({ ...entry, resolve }));
  }
}
module.exports = AuditSink;
`;
const AUDIT = (writer: string) => `import AuditSink from "./audit.cjs";
import { traceable } from "langsmith/traceable";
const persistAudit = traceable(async (entry: { actor: string }) => entry.actor, { name: "persistAudit" });
const sink = new AuditSink(${writer});
export const updateRole = traceable(async (actor: string) => sink.write({ actor }));
`;
const tracedSinks = projectOnDisk({ "src/audit.cjs": SINK, "src/main.mts": AUDIT("(entry: { actor: string }) => persistAudit(entry)") });
const plainSinks = projectOnDisk({ "src/audit.cjs": SINK, "src/main.mts": AUDIT("(entry: { actor: string }) => console.log(entry.actor)") });
valid.push({ name: "a CommonJS sink class made with a writer that does not trace", filename: path.join(plainSinks, "src/main.mts"), code: AUDIT("(entry: { actor: string }) => console.log(entry.actor)") });
invalid.push({
  name: "a CommonJS sink class made with a writer that starts child runs: its data item is reported without a fix",
  filename: path.join(tracedSinks, "src/main.mts"),
  code: AUDIT("(entry: { actor: string }) => persistAudit(entry)"),
  output: null,
  errors: [{ messageId: "queuedData", data: { library: "async", where: "traceable" } }],
});

// A service class of one module handed its queue through the constructor by another module (`new Service(queue)`).
const SERVICE = (name: string) => `import { traceable } from "langsmith/traceable";
const child = traceable(async (x: number) => x, { name: "child" });
export class ${name} {
  constructor(queue) {
    this.queue = queue;
  }
  run(x: number) {
    const task = () => child(x);
    return this.queue.add(task);
  }
}
`;
const services = projectOnDisk({
  "src/main.ts": `import PQueue from "p-queue";
import { Service } from "./service";
import { Registry } from "./registry";
export const service = new Service(new PQueue({ concurrency: 1 }));
export const registry = new Registry(new Set());
`,
  "src/service.ts": SERVICE("Service"),
  "src/registry.ts": SERVICE("Registry"),
});
valid.push(
  { name: "a service class handed a p-queue >= 10 by its caller's module", filename: path.join(services, "src/service.ts"), code: SERVICE("Service"), settings: NEW },
  { name: "a service class handed a Set by its caller's module (a store, not a queue)", filename: path.join(services, "src/registry.ts"), code: SERVICE("Registry") },
);
invalid.push({
  name: "a service class handed a shared p-queue by its caller's module",
  filename: path.join(services, "src/service.ts"),
  code: SERVICE("Service"),
  output: withAlsImport(SERVICE("Service")).replace("this.queue.add(task)", "this.queue.add(AsyncLocalStorage.bind(task))"),
  errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "caller's trace" } }],
});
invalid.push(
  {
    name: "imported helper submitting to the shared p-queue the caller passes",
    filename: AGENT,
    code: `${XQ()}export const parent = traceable(async () => submit(queue, () => child(1)));`,
    output: `${XQ(IMPORT)}export const parent = traceable(async () => submit(queue, AsyncLocalStorage.bind(() => child(1))));`,
    errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
  },
  {
    name: "imported helper calling the shared p-limit limiter the caller passes",
    filename: AGENT,
    code: `${XQ()}export const parent = traceable(async () => throttle(limit, () => child(1)));`,
    output: `${XQ(IMPORT)}export const parent = traceable(async () => throttle(limit, AsyncLocalStorage.bind(() => child(1))));`,
    errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
  },
  {
    name: "imported addAll helper over its module's shared p-queue, with an array literal",
    filename: AGENT,
    code: `${XQ()}export const parent = traceable(async () => enqueueAll([() => child(1), () => child(2)]));`,
    output: [
      `${XQ(IMPORT)}export const parent = traceable(async () => enqueueAll([AsyncLocalStorage.bind(() => child(1)), () => child(2)]));`,
      `${XQ(IMPORT)}export const parent = traceable(async () => enqueueAll([AsyncLocalStorage.bind(() => child(1)), AsyncLocalStorage.bind(() => child(2))]));`,
    ],
    errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }, { messageId: "queued" }],
  },
  {
    name: "imported addAll helper over its module's shared p-queue, with a task array variable",
    filename: AGENT,
    code: `${XQ()}export const parent = traceable(async (tasks: (() => Promise<number>)[]) => enqueueAll(tasks));`,
    output: `${XQ(IMPORT)}export const parent = traceable(async (tasks: (() => Promise<number>)[]) => enqueueAll(tasks.map((task) => AsyncLocalStorage.bind(task))));`,
    errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
  },
  {
    name: "imported addAll helper fed the shared p-queue the caller passes",
    filename: AGENT,
    code: `${XQ()}export const parent = traceable(async () => submitAll(queue, [() => child(1)]));`,
    output: `${XQ(IMPORT)}export const parent = traceable(async () => submitAll(queue, [AsyncLocalStorage.bind(() => child(1))]));`,
    errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
  },
  {
    name: "in-file addAll helper over a shared p-queue",
    code: `${PQ}function runAll(tasks: (() => Promise<number>)[]) {
  return queue.addAll(tasks);
}
export const parent = traceable(async () => runAll([() => child(1)]));`,
    output: `import PQueue from "p-queue";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
const queue = new PQueue({ concurrency: 1 });
function runAll(tasks: (() => Promise<number>)[]) {
  return queue.addAll(tasks);
}
export const parent = traceable(async () => runAll([AsyncLocalStorage.bind(() => child(1))]));`,
    errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
  },
  {
    name: "imported helper submitting to its module's shared p-queue",
    filename: AGENT,
    code: `${XQ()}export const parent = traceable(async () => enqueue(() => child(1)));`,
    output: `${XQ(IMPORT)}export const parent = traceable(async () => enqueue(AsyncLocalStorage.bind(() => child(1))));`,
    errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
  },
);

const BATCHER = `function makeBatcher<T>(flush: (batch: T[]) => void, ms: number) {
  let pending: T[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (item: T) => {
    pending.push(item);
    timer ??= setTimeout(() => {
      const batch = pending;
      pending = [];
      timer = undefined;
      flush(batch);
    }, ms);
  };
}
`;
valid.push(
  {
    name: "hand-written batchers that nest: made per trace, a flush that does no traced work, items carrying their run tree",
    code: `${H}import { getCurrentRunTree, withRunTree } from "langsmith/traceable";
${BATCHER}const count = makeBatcher<number>((batch) => console.log(batch.length), 10);
const carried = makeBatcher<{ x: number; parentRun: ReturnType<typeof getCurrentRunTree> }>((batch) => {
  for (const { x, parentRun } of batch) void withRunTree(parentRun, () => child(x));
}, 10);
export const parent = traceable(async (x: number) => {
  const own = makeBatcher<number>((batch) => batch.forEach((n) => void child(n)), 10);
  own(x);
  count(x);
  carried({ x, parentRun: getCurrentRunTree() });
});`,
  },
  {
    name: "a batcher whose flush traces, called outside any traced scope",
    code: `${H}${BATCHER}const later = makeBatcher<number>((batch) => batch.forEach((n) => void child(n)), 10);
export function record(x: number) {
  later(x);
}`,
  },
);
invalid.push(
  {
    name: "data handed to a module-level micro-batcher whose timer flushes the batch into traced work: reported without a fix",
    code: `${H}${BATCHER}const count = makeBatcher<number>((batch) => console.log(batch.length), 10);
const embedLater = makeBatcher<string>((batch) => {
  for (const doc of batch) void child(doc.length);
}, 10);
export const parent = traceable(async (doc: string) => {
  count(doc.length);
  embedLater(doc);
});`,
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "embedLater", where: "traceable" }, line: 22 }],
  },
  {
    name: "a trailing debounce re-armed by every call, each caller awaiting a promise the traced flush settles",
    code: `${H}function debounceBatch<T>(flush: (batch: T[]) => void, ms: number) {
  let pending: T[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (item: T) => {
    pending.push(item);
    clearTimeout(timer);
    timer = setTimeout(() => flush(pending.splice(0)), ms);
  };
}
const searchSoon = debounceBatch<{ q: number; resolve: (n: number) => void }>((batch) => {
  for (const { q, resolve } of batch) child(q).then(resolve);
}, 10);
export const parent = traceable(async (q: number) => new Promise<number>((resolve) => searchSoon({ q, resolve })));`,
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "searchSoon", where: "traceable" } }],
  },
);
// The batcher factory kept in a module of its own (`debounce.ts`): its summary says the function it returns collects
// its argument for a timer that calls the factory's flush parameter.
const batchers = projectOnDisk({ "src/batch.ts": `export ${BATCHER}export function eachNow<T>(flush: (batch: T[]) => void) {
  return (item: T) => flush([item]);
}
` });
const BATCH_MAIN = path.join(batchers, "src/main.ts");
valid.push(
  {
    name: "an imported batcher factory: a flush without traced work, a batcher made in the scope or one per key, or a function that flushes at once",
    filename: BATCH_MAIN,
    code: `${H}import { makeBatcher, eachNow } from "./batch";
const perKey = new Map<string, (x: number) => void>();
function batcherFor(key: string) {
  if (!perKey.has(key)) perKey.set(key, makeBatcher<number>((batch) => batch.forEach((n) => void child(n)), 10));
  return perKey.get(key)!;
}
export const keyed = traceable(async (key: string, x: number) => {
  const send = batcherFor(key);
  send(x);
});
const count = makeBatcher<number>((batch) => console.log(batch.length), 10);
const now = eachNow<number>((batch) => batch.forEach((n) => void child(n)));
export const parent = traceable(async (x: number) => {
  const own = makeBatcher<number>((batch) => batch.forEach((n) => void child(n)), 10);
  own(x);
  count(x);
  now(x);
});`,
  },
);
invalid.push({
  name: "data handed to a batcher an imported factory made at module level, whose flush does traced work",
  filename: BATCH_MAIN,
  code: `${H}import { makeBatcher } from "./batch";
const embedLater = makeBatcher<{ doc: string; done: (n: number) => void }>((batch) => {
  for (const { doc, done } of batch) child(doc.length).then(done);
}, 10);
export const parent = traceable(async (doc: string) => new Promise<number>((done) => embedLater({ doc, done })));`,
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "embedLater", where: "traceable" } }],
});

// Batchers that collect inside a `new Promise` executor: one whose drain traces on its own (made with no arguments),
// and a DataLoader-style one armed with `process.nextTick`, whose drain may restore each item's context.
const loaders = projectOnDisk({
  "src/rates.ts": `import { traceable } from "langsmith/traceable";
const convert = traceable(async (amount: number) => amount * 0.9, { name: "convert" });
export function createRateBatcher({ windowMs = 10 } = {}) {
  let pending: { amount: number; resolve: (n: number) => void }[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    const batch = pending;
    pending = [];
    timer = null;
    for (const { amount, resolve } of batch) convert(amount).then(resolve);
  };
  return (amount: number) =>
    new Promise<number>((resolve) => {
      pending.push({ amount, resolve });
      timer ??= setTimeout(flush, windowMs);
    });
}
`,
  "src/loader.ts": `import { AsyncResource } from "node:async_hooks";
export function createLoader<T, R>(handler: (item: T) => Promise<R>) {
  let items: { item: T; resolve: (r: R) => void }[] | null = null;
  return (item: T) =>
    new Promise<R>((resolve) => {
      if (!items) {
        items = [];
        process.nextTick(() => {
          const batch = items ?? [];
          items = null;
          for (const entry of batch) handler(entry.item).then(entry.resolve);
        });
      }
      items.push({ item, resolve });
    });
}
export function createPinnedLoader<T, R>(handler: (item: T) => Promise<R>) {
  let items: { item: T; resolve: (r: R) => void; scope: AsyncResource }[] | null = null;
  return (item: T) =>
    new Promise<R>((resolve) => {
      if (!items) {
        items = [];
        process.nextTick(() => {
          const batch = items ?? [];
          items = null;
          for (const entry of batch) entry.scope.runInAsyncScope(() => handler(entry.item)).then(entry.resolve);
        });
      }
      items.push({ item, resolve, scope: new AsyncResource("item") });
    });
}
`,
});
const LOADERS = path.join(loaders, "src/main.ts");
const LOADER_HEAD = `${H}import { createRateBatcher } from "./rates";
import { createLoader, createPinnedLoader } from "./loader";
`;
valid.push(
  { name: "a rate batcher made in the scope by another module's factory", filename: LOADERS, code: `${LOADER_HEAD}export const price = traceable(async (n: number) => createRateBatcher()(n));` },
  { name: "a nextTick loader whose drain runs each item in its own AsyncResource", filename: LOADERS, code: `${LOADER_HEAD}const load = createPinnedLoader(child);\nexport const enrich = traceable(async (tag: string) => load(tag));` },
);
invalid.push(
  {
    name: "a module-level rate batcher of another module's factory (given nothing) whose drain traces on its own",
    filename: LOADERS,
    code: `${LOADER_HEAD}const convert = createRateBatcher();\nexport const price = traceable(async (n: number) => convert(n));`,
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "convert", where: "traceable" } }],
  },
  {
    name: "a module-level nextTick loader (DataLoader-style) whose drain calls the traceable it was given",
    filename: LOADERS,
    code: `${LOADER_HEAD}const load = createLoader(child);\nexport const enrich = traceable(async (tag: string) => load(tag));`,
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "load", where: "traceable" } }],
  },
);

// A class whose method pushes its argument and starts a drain loop of the class when none runs: the loop runs every
// item pushed while it runs in the context of the call that started it (fixtures/runtime/bind-queued-task/class-drain-loop).
const WRITER = (loop: string, instance: string) => `${H}class TicketWriter {
  #pending: { ticket: number; resolve: (r: number) => void }[] = [];
  #running = false;
  write(ticket: number) {
    return new Promise<number>((resolve) => {
      this.#pending.push({ ticket, resolve });
      if (!this.#running) this.#loop();
    });
  }
  async #loop() {
    this.#running = true;
    while (this.#pending.length) {
      const { ticket, resolve } = this.#pending.shift()!;
      ${loop}
    }
    this.#running = false;
  }
}
${instance}`;
valid.push(
  { name: "a class's drain loop that does not wait inside (it empties the array before the call returns)", code: WRITER("void child(ticket).then(resolve);", "const writer = new TicketWriter();\nexport const triage = traceable(async (n: number) => writer.write(n));") },
  { name: "a class's lazily started drain loop, on an instance the scope makes", code: WRITER("resolve(await child(ticket));", "export const triage = traceable(async (n: number) => new TicketWriter().write(n));") },
);
invalid.push({
  name: "data written to a module-level instance whose class starts a waiting drain loop when none runs",
  code: WRITER("resolve(await child(ticket));", "const writer = new TicketWriter();\nexport const triage = traceable(async (n: number) => writer.write(n));"),
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "writer.write", where: "traceable" } }],
});

// A script that runs its traces one after another (fixtures/runtime/bind-queued-task/p-limit-3-sequential-traces).
const SCRIPT = (scope: string, flow: string, submit = "Promise.all(xs.map((x) => limit(() => child(x))))") => `${PL}${scope}const poll = traceable(async (xs: number[]) => ${submit});
${flow}`;
const SCRIPT_FIXED = (scope: string, flow: string, submit = "Promise.all(xs.map((x) => limit(AsyncLocalStorage.bind(() => child(x)))))") => withAlsImport(`${PL}`).replace(/\n$/, "") + `\n${scope}const poll = traceable(async (xs: number[]) => ${submit});\n${flow}`;
valid.push(
  { name: "a shared limiter in a script that awaits each trace in turn at the top level", code: SCRIPT("", "for (const xs of [[1, 2], [3]]) await poll(xs);") },
  { name: "a shared limiter in a script whose main(), called once, awaits each trace in turn", code: SCRIPT("", "async function main() {\n  for (const xs of [[1, 2], [3]]) console.log(await poll(xs));\n}\nmain();") },
  { name: "a shared limiter in a script whose async IIFE awaits each trace in turn", code: SCRIPT("", "(async () => {\n  for (const xs of [[1, 2], [3]]) await poll(xs);\n})();") },
);
invalid.push({
  name: "a shared limiter in a script that runs an async IIFE per batch (the IIFEs run together)",
  code: SCRIPT("", "for (const batch of [[[1, 2]], [[3]]]) (async () => {\n  for (const xs of batch) await poll(xs);\n})();"),
  output: SCRIPT_FIXED("", "for (const batch of [[[1, 2]], [[3]]]) (async () => {\n  for (const xs of batch) await poll(xs);\n})();"),
  errors: [{ messageId: "queued" }],
});
invalid.push(
  {
    name: "a shared limiter in a script that starts its traces together (Promise.all)",
    code: SCRIPT("", "await Promise.all([poll([1, 2]), poll([3])]);"),
    output: SCRIPT_FIXED("", "await Promise.all([poll([1, 2]), poll([3])]);"),
    errors: [{ messageId: "queued" }],
  },
  {
    name: "a shared limiter in a script that awaits each trace in turn, but the trace does not wait for its tasks",
    code: SCRIPT("", "for (const xs of [[1, 2], [3]]) await poll(xs);", "{\n  xs.forEach((x) => void limit(() => child(x)));\n}"),
    output: SCRIPT_FIXED("", "for (const xs of [[1, 2], [3]]) await poll(xs);", "{\n  xs.forEach((x) => void limit(AsyncLocalStorage.bind(() => child(x))));\n}"),
    errors: [{ messageId: "queued" }],
  },
  {
    name: "a shared limiter whose traced function is exported (other modules may run it concurrently)",
    code: SCRIPT("", "for (const xs of [[1, 2], [3]]) await poll(xs);\nexport { poll };"),
    output: SCRIPT_FIXED("", "for (const xs of [[1, 2], [3]]) await poll(xs);\nexport { poll };"),
    errors: [{ messageId: "queued" }],
  },
);

// The submission made by an in-file helper the traced function awaits (`schedule(x)` returning `limit(...)`).
const HELPER_SCRIPT = (body: string, flow: string) => `${PL}function schedule(x: number) {
  return limit(() => child(x));
}
const poll = traceable(async (x: number) => ${body});
${flow}`;
const HELPER_FIXED = (body: string, flow: string) => withAlsImport(HELPER_SCRIPT(body, flow)).replace("limit(() => child(x))", "limit(AsyncLocalStorage.bind(() => child(x)))");
valid.push({ name: "a shared limiter fed by an in-file helper the trace awaits, each trace awaited in turn", code: HELPER_SCRIPT("await schedule(x)", "for (const x of [1, 2]) await poll(x);") });
invalid.push(
  {
    name: "a shared limiter fed by an in-file helper the trace awaits, the traces started together",
    code: HELPER_SCRIPT("await schedule(x)", "await Promise.all([poll(1), poll(2)]);"),
    output: HELPER_FIXED("await schedule(x)", "await Promise.all([poll(1), poll(2)]);"),
    errors: [{ messageId: "queued" }],
  },
  {
    name: "a shared limiter fed by an in-file helper the trace does not wait for, each trace awaited in turn",
    code: HELPER_SCRIPT("{ void schedule(x); }", "for (const x of [1, 2]) await poll(x);"),
    output: HELPER_FIXED("{ void schedule(x); }", "for (const x of [1, 2]) await poll(x);"),
    errors: [{ messageId: "queued" }],
  },
);

// The traced function held in a field its class's constructor sets, called on the file's own instance.
const FIELD_SCRIPT = (flow: string, exported = "") => `${PL}${exported}class Dispatcher {
  constructor() {
    this.handle = traceable(async (xs: number[]) => Promise.all(xs.map((x) => limit(() => child(x)))));
  }
}
const dispatcher = new Dispatcher();
${flow}`;
valid.push({ name: "a shared limiter whose traced function is a field a constructor sets, each trace awaited in turn at the top level", code: FIELD_SCRIPT("for (const xs of [[1, 2], [3]]) await dispatcher.handle(xs);") });
invalid.push(
  {
    name: "a shared limiter whose traced function is a field a constructor sets, the traces started together",
    code: FIELD_SCRIPT("await Promise.all([dispatcher.handle([1, 2]), dispatcher.handle([3])]);"),
    output: withAlsImport(FIELD_SCRIPT("await Promise.all([dispatcher.handle([1, 2]), dispatcher.handle([3])]);")).replace("limit(() => child(x))", "limit(AsyncLocalStorage.bind(() => child(x)))"),
    errors: [{ messageId: "queued" }],
  },
  {
    name: "a shared limiter whose traced function is a field a constructor of an exported class sets",
    code: FIELD_SCRIPT("for (const xs of [[1, 2], [3]]) await dispatcher.handle(xs);", "export "),
    output: withAlsImport(FIELD_SCRIPT("for (const xs of [[1, 2], [3]]) await dispatcher.handle(xs);", "export ")).replace("limit(() => child(x))", "limit(AsyncLocalStorage.bind(() => child(x)))"),
    errors: [{ messageId: "queued" }],
  },
);

// A class that batches: a method collects its argument into an array of `this` and arms a timer (only when none is
// pending) whose callback flushes the batch into traced work: its own (`postComment` in the flush), or a function its
// constructor takes (`new DocLoader(loadDocument)`).
const CLASS_BATCHER = (dispatch: string) => `${H}import { AsyncResource } from "node:async_hooks";
class DocLoader {
  #batch: { key: number; resolve: (v: unknown) => void; scope: AsyncResource }[] | null = null;
  #loadOne: (key: number) => Promise<unknown>;
  constructor(loadOne: (key: number) => Promise<unknown>) {
    this.#loadOne = loadOne;
  }
  load(key: number) {
    if (!this.#batch) {
      this.#batch = [];
      queueMicrotask(() => this.#dispatch());
    }
    const scope = new AsyncResource("DocLoader.load");
    return new Promise((resolve) => this.#batch!.push({ key, resolve, scope }));
  }
  #dispatch() {
    const batch = this.#batch!;
    this.#batch = null;
    for (const { key, resolve, scope } of batch) ${dispatch};
  }
}
class Poster {
  #buffer: { text: string; resolve: (v: unknown) => void }[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  post(text: string) {
    return new Promise((resolve) => {
      this.#buffer.push({ text, resolve });
      this.#timer ??= setTimeout(() => this.#flush(), 10);
    });
  }
  async #flush() {
    this.#timer = null;
    for (const { text, resolve } of this.#buffer.splice(0)) resolve(await child(text.length));
  }
}
`;
const LOADED = "this.#loadOne(key).then(resolve)";
invalid.push(
  {
    name: "data handed to a module-level instance of a class that batches into a traced function its constructor takes",
    code: `${CLASS_BATCHER(LOADED)}const loader = new DocLoader(child);
export const parent = traceable(async (key: number) => loader.load(key));`,
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "loader.load", where: "traceable" } }],
  },
  {
    name: "data handed to a module-level instance of a class whose flush does traced work itself",
    code: `${CLASS_BATCHER(LOADED)}const poster = new Poster();
export const parent = traceable(async (text: string) => poster.post(text));`,
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "poster.post", where: "traceable" } }],
  },
);
valid.push(
  {
    name: "a class batcher that runs each item in an AsyncResource the collecting call made (runInAsyncScope)",
    code: `${CLASS_BATCHER("scope.runInAsyncScope(() => this.#loadOne(key)).then(resolve)")}const loader = new DocLoader(child);
export const parent = traceable(async (key: number) => loader.load(key));`,
  },
  {
    name: "a class batcher whose constructor gets a function without traced work, and one made inside the scope",
    code: `${CLASS_BATCHER(LOADED)}const plain = new DocLoader(async (key: number) => key);
export const parent = traceable(async (key: number) => {
  const own = new Poster();
  await own.post(String(key));
  return plain.load(key);
});`,
  },
);
// The batching class's instance exported by another module (`module.exports = { poster: new Poster() }`).
const classBatchers = projectOnDisk({
  "src/poster.cjs": `const { traceable } = require("langsmith/traceable");
const postComment = traceable(async (c) => c, { name: "post_comment" });
class DebouncedPoster {
  #buffer = [];
  #timer = null;
  enqueue(comment) {
    return new Promise((resolve) => {
      this.#buffer.push({ comment, resolve });
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#flush(), 15);
    });
  }
  async #flush() {
    for (const { comment, resolve } of this.#buffer.splice(0)) resolve(await postComment(comment));
  }
  size() {
    return this.#buffer.length;
  }
}
module.exports = { poster: new DebouncedPoster() };
`,
});
invalid.push({
  name: "data handed to a batching instance another module exports, whose flush does traced work",
  filename: path.join(classBatchers, "src/main.cjs"),
  code: `const { traceable } = require("langsmith/traceable");
const { poster } = require("./poster.cjs");
exports.commentOnPr = traceable(async ({ pr, findings }) => Promise.all(findings.map((body) => poster.enqueue({ pr, body }))), { name: "comment_on_pr" });`,
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "poster.enqueue", where: "traceable" } }],
});
valid.push({
  name: "a method of a batching instance another module exports that only reads",
  filename: path.join(classBatchers, "src/main.cjs"),
  code: `const { traceable } = require("langsmith/traceable");
const { poster } = require("./poster.cjs");
exports.pending = traceable(async (pr) => ({ pr, pending: poster.size() }), { name: "pending" });`,
});

// A class that batches into a map of `this` keyed by the item (`this.buffer.set(ping.vehicleId, list)`).
const PINGS = (made: string) => `${H}class PingBatcher {
  buffer = new Map<string, { id: string; n: number }[]>();
  timer: ReturnType<typeof setTimeout> | null = null;
  add(ping: { id: string; n: number }) {
    const list = this.buffer.get(ping.id) ?? [];
    list.push(ping);
    this.buffer.set(ping.id, list);
    this.timer ??= setTimeout(() => this.flush(), 25);
  }
  flush() {
    this.timer = null;
    for (const [, pings] of this.buffer) child(pings.length);
    this.buffer.clear();
  }
}
${made}`;
invalid.push({
  name: "data handed to a module-level instance of a class that batches into a map of `this`",
  code: PINGS("const batcher = new PingBatcher();\nexport const ingest = traceable(async (id: string) => batcher.add({ id, n: 1 }));"),
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "batcher.add", where: "traceable" } }],
});
valid.push({ name: "a map-batching class instance made inside the trace", code: PINGS("export const ingest = traceable(async (id: string) => new PingBatcher().add({ id, n: 1 }));") });

// A class that polls: a method keeps its arguments in an array of `this` and arms an interval once for the instance
// (`this.#timer ??= setInterval(...)`): the first caller's trace runs every later item's checks.
const WATCHER = (arm: string) => `${H}class PriceWatcher {
  #watches: { route: string; ceiling: number }[] = [];
  #timer: ReturnType<typeof setInterval> | null = null;
  watch(route: string, ceiling: number) {
    this.#watches.push({ route, ceiling });
${arm}
  }
  #poll() {
    for (const w of this.#watches) child(w.ceiling);
  }
}
const watcher = new PriceWatcher();
export const parent = traceable(async (route: string) => watcher.watch(route, 300));`;
invalid.push(
  {
    name: "data handed to a module-level instance whose method arms an interval once for the instance (??=)",
    code: WATCHER("    this.#timer ??= setInterval(() => this.#poll(), 15);"),
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "watcher.watch", where: "traceable" } }],
  },
  {
    name: "data handed to a module-level instance whose method arms an interval when none is kept (if (!this.#timer))",
    code: WATCHER("    if (!this.#timer) this.#timer = setInterval(() => this.#poll(), 15);"),
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "watcher.watch", where: "traceable" } }],
  },
);
valid.push({
  name: "a method that arms an interval on every call, for the item of that call",
  code: WATCHER("    const own = setInterval(() => { child(ceiling); clearInterval(own); }, 15);"),
});
const watchers = projectOnDisk({
  "src/watcher.mjs": `import { traceable } from "langsmith/traceable";
const checkFare = traceable(async (route, ceiling) => ({ route, ceiling }), { name: "check_fare" });
export class PriceWatcher {
  #watches = [];
  #timer = null;
  watch(route, ceiling) {
    this.#watches.push({ route, ceiling, checks: 0 });
    this.#timer ??= setInterval(() => this.#poll(), 15);
  }
  #poll() {
    for (const w of this.#watches) if (w.checks++ < 2) checkFare(w.route, w.ceiling);
  }
}
`,
});
invalid.push({
  name: "two data arguments handed to a module-level instance of another module's class that polls them from an interval armed once",
  filename: path.join(watchers, "src/main.mjs"),
  code: `import { traceable } from "langsmith/traceable";
import { PriceWatcher } from "./watcher.mjs";
const watcher = new PriceWatcher();
export const createAlert = traceable(async ({ route, ceiling }) => { watcher.watch(route, ceiling); }, { name: "create_alert" });`,
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "watcher.watch", where: "traceable" } }],
});
valid.push({
  name: "another module's polling class handed the caller's run tree with the data (its poll may hand it over)",
  filename: path.join(watchers, "src/main.mjs"),
  code: `import { traceable, getCurrentRunTree } from "langsmith/traceable";
import { PriceWatcher } from "./watcher.mjs";
const watcher = new PriceWatcher();
export const createAlert = traceable(async ({ route }) => { watcher.watch(route, getCurrentRunTree()); }, { name: "create_alert" });`,
});
valid.push({
  name: "another module's polling class given a callback (left to the other hand-offs) and one made inside the scope",
  filename: path.join(watchers, "src/main.mjs"),
  code: `import { traceable } from "langsmith/traceable";
import { PriceWatcher } from "./watcher.mjs";
export const createAlert = traceable(async ({ route, ceiling }) => { const own = new PriceWatcher(); own.watch(route, ceiling); }, { name: "create_alert" });`,
});

// A task passed through an option whose default gives it back as it is (`{ capture = (fn) => fn } = {}`).
const CAPTURE = (calls: string) => `import async from "async";
import { AsyncLocalStorage } from "node:async_hooks";
${H}const q = async.queue(async (task: () => unknown) => task(), 1);
const snapshotOf = (fn: () => unknown) => {
  const snapshot = AsyncLocalStorage.snapshot();
  return () => snapshot(fn);
};
const publish = traceable(async (n: number, { capture = (fn: () => unknown) => fn } = {}) => q.pushAsync(capture(() => child(n))));
${calls}`;
invalid.push({
  name: "a task passed through an options hook whose default gives it back as it is, with no call passing the hook",
  code: CAPTURE("export const run = () => Promise.all([publish(1), publish(2)]);"),
  output: CAPTURE("export const run = () => Promise.all([publish(1), publish(2)]);").replace("q.pushAsync(capture(() => child(n)))", "q.pushAsync(AsyncLocalStorage.bind(capture(() => child(n))))"),
  errors: [{ messageId: "queued", data: { library: "async", where: "traceable" } }],
});
valid.push({
  name: "the same options hook, every call passing one that runs the task in a snapshot of its caller",
  code: CAPTURE("export const run = () => Promise.all([publish(1, { capture: snapshotOf }), publish(2, { capture: snapshotOf })]);"),
});

// A helper bound with AsyncLocalStorage.bind at module load: it pins the load's context, no trace's.
const IN_SLOT = (task: string) => `import pLimit from "p-limit";
import { AsyncLocalStorage } from "node:async_hooks";
${H}const slots = pLimit(1);
const inSlot = AsyncLocalStorage.bind((task: () => unknown) => slots(task));
export const gate = traceable(async (n: number) => inSlot(${task}));`;
invalid.push({
  name: "a task handed to a helper that was bound with AsyncLocalStorage.bind at module load (it pins no trace)",
  code: IN_SLOT("() => child(n)"),
  settings: { "trace-nesting": { runtime: "node", versions: { "p-limit": "3.1.0" } } },
  output: IN_SLOT("AsyncLocalStorage.bind(() => child(n))"),
  errors: [{ messageId: "queued", data: { library: "p-limit 3.1.0", where: "traceable" } }],
});
valid.push({
  name: "the same module-level bound helper given a task bound at the call, inside the trace",
  code: IN_SLOT("AsyncLocalStorage.bind(() => child(n))"),
  settings: { "trace-nesting": { runtime: "node", versions: { "p-limit": "3.1.0" } } },
});

// A debouncer whose timer fires before the next trace hands it anything: the traces run one at a time and each waits
// (or the script waits after each) longer than its delay, so every flush runs in the trace that armed it.
const SPACED = (made: string, body: string, flow: string) => `import debounce from "lodash/debounce";
${H}const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
${made}
const mark = traceable(async (id: number) => {
${body}
});
${flow}`;
const LODASH_SAVE = "const save = debounce((id: number) => child(id), 15);";
const COALESCER = `function createCoalescer(flush: (batch: number[]) => unknown, quietMs: number) {
  let batch: number[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (id: number) => {
    batch.push(id);
    clearTimeout(timer);
    timer = setTimeout(() => { const frame = batch; batch = []; flush(frame); }, quietMs);
  };
}
const save = createCoalescer((frame) => frame.map((id) => child(id)), 40);`;
valid.push(
  { name: "a lodash debounce of 15 ms fed by traces run one at a time, each sleeping 40 ms after", code: SPACED(LODASH_SAVE, "  save(id);\n  await new Promise((r) => setTimeout(r, 40));", "await mark(1);\nawait mark(2);") },
  { name: "a hand-written coalescer of 40 ms (the factory's parameter) fed by traces the script spaces by 150 ms sleeps", code: SPACED(COALESCER, "  save(id);", "await mark(1);\nawait sleep(150);\nawait mark(2);\nawait sleep(150);") },
  { name: "the same coalescer, the traces run in a loop that sleeps 150 ms after each", code: SPACED(COALESCER, "  save(id);", "for (const id of [1, 2]) {\n  await mark(id);\n  await sleep(150);\n}") },
);
invalid.push(
  {
    name: "a lodash debounce of 15 ms fed by traces run together, each sleeping 40 ms after",
    code: SPACED(LODASH_SAVE, "  save(id);\n  await new Promise((r) => setTimeout(r, 40));", "await Promise.all([mark(1), mark(2)]);"),
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "save", where: "traceable" } }],
  },
  {
    name: "a lodash debounce of 15 ms fed by traces run one at a time that sleep 5 ms only",
    code: SPACED(LODASH_SAVE, "  save(id);\n  await new Promise((r) => setTimeout(r, 5));", "await mark(1);\nawait mark(2);"),
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "save", where: "traceable" } }],
  },
  {
    name: "a hand-written coalescer of 40 ms fed by traces the script spaces by 10 ms sleeps only",
    code: SPACED(COALESCER, "  save(id);", "await mark(1);\nawait sleep(10);\nawait mark(2);"),
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "save", where: "traceable" } }],
  },
);

// A function a package debounced once at module level, whose function does traced work: the first call of a wait
// arms the timer in its own context, and the flush does every later caller's work there.
const DEBOUNCED = (made: string, body: string) => `import debounce from "lodash/debounce";
${H}const dirty = new Set<number>();
${made}
export const parent = traceable(async (id: number) => {
${body}
});`;
const FLUSH = "() => { for (const id of dirty) child(id); dirty.clear(); }";
invalid.push(
  {
    name: "an id added to a module-level set before a call of a lodash-debounced flush that traces",
    code: DEBOUNCED(`const flush = debounce(${FLUSH}, 15);`, "  dirty.add(id);\n  flush();"),
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "flush", where: "traceable" } }],
  },
  {
    name: "data handed to a lodash-debounced function that traces",
    code: DEBOUNCED("const save = debounce((id: number) => child(id), 15);", "  save(id);"),
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "save", where: "traceable" } }],
  },
  {
    name: "a debounced flush made by an in-file factory that debounces its parameter (two levels)",
    code: DEBOUNCED(`function lazy(fn: () => void, ms: number) {\n  return debounce(fn, ms);\n}\nfunction lazier(fn: () => void) {\n  return lazy(fn, 15);\n}\nconst flush = lazier(${FLUSH});`, "  dirty.add(id);\n  flush();"),
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "flush", where: "traceable" } }],
  },
  {
    name: "_.throttle from lodash's namespace, with data",
    code: `import _ from "lodash";\n${H}const save = _.throttle((id: number) => child(id), 15);\nexport const parent = traceable(async (id: number) => { save(id); });`,
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "save", where: "traceable" } }],
  },
);
valid.push(
  { name: "a debounced flush whose function does no traced work", code: DEBOUNCED("const flush = debounce(() => dirty.clear(), 15);", "  dirty.add(id);\n  flush();") },
  { name: "a debounced flush called without data of the caller", code: DEBOUNCED(`const flush = debounce(${FLUSH}, 15);`, "  flush();") },
  { name: "a debounced function made inside the traced function (one per call)", code: DEBOUNCED("", `  const flush = debounce(${FLUSH}, 15);\n  dirty.add(id);\n  flush();`) },
  {
    name: "each kept record carries an AsyncLocalStorage snapshot its flush runs the work in",
    code: `import { AsyncLocalStorage } from "node:async_hooks";
import debounce from "lodash/debounce";
${H}const dirty = new Map<number, { resume: <R>(fn: () => R) => R }>();
const flush = debounce(() => { for (const [id, { resume }] of dirty) resume(() => child(id)); dirty.clear(); }, 15);
export const parent = traceable(async (id: number) => {
  dirty.set(id, { resume: AsyncLocalStorage.snapshot() });
  flush();
});`,
  },
  { name: "a function named debounce of the file, not a package's", code: `${H}const debounce = (fn: (id: number) => unknown) => fn;\nconst save = debounce((id: number) => child(id));\nexport const parent = traceable(async (id: number) => { save(id); });` },
);
const debouncers = projectOnDisk({
  "src/reindex.cjs": `const debounce = require("lodash/debounce");
const { traceable } = require("langsmith/traceable");
const reindexDoc = traceable(async (docId) => docId, { name: "reindex_doc" });
const dirty = new Map();
const flushDirty = debounce(() => {
  for (const [docId, waiters] of dirty) reindexDoc(docId).then((r) => waiters.forEach((w) => w(r)));
  dirty.clear();
}, 15);
function markDirty(docId) {
  return new Promise((resolve) => {
    dirty.set(docId, [...(dirty.get(docId) ?? []), resolve]);
    flushDirty();
  });
}
function lazy(fn, ms) {
  return debounce(fn, ms);
}
module.exports = { markDirty, lazy };
`,
});
invalid.push(
  {
    name: "data handed to another module's helper that keeps it and calls a debounced flush that traces",
    filename: path.join(debouncers, "src/main.cjs"),
    code: `const { traceable } = require("langsmith/traceable");
const { markDirty } = require("./reindex.cjs");
exports.handleEdit = traceable(async (docId) => markDirty(docId), { name: "handle_edit" });`,
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "flushDirty", where: "traceable" } }],
  },
  {
    name: "data handed to a function another module's factory debounced at this module's load",
    filename: path.join(debouncers, "src/main.cjs"),
    code: `const { traceable } = require("langsmith/traceable");
const { lazy } = require("./reindex.cjs");
const child = traceable(async (x) => x, { name: "child" });
const save = lazy((x) => child(x), 10);
exports.handleEdit = traceable(async (docId) => { save(docId); }, { name: "handle_edit" });`,
    output: null,
    errors: [{ messageId: "batcherData", data: { receiver: "save", where: "traceable" } }],
  },
);

// A container factory of another module injects one queue into a class that keeps it in a private field.
const containers = projectOnDisk({
  "src/services.ts": `import fastq from "fastq";
class Scorer {
  #queue: { push(task: () => unknown): Promise<unknown> };
  constructor({ queue }: { queue: { push(task: () => unknown): Promise<unknown> } }) {
    this.#queue = queue;
  }
  score(task: () => unknown) {
    return this.#queue.push(task);
  }
}
class Ranker {
  constructor(private readonly queue: { push(task: () => unknown): Promise<unknown> }) {}
  rank(task: () => unknown) {
    return this.queue.push(task);
  }
}
export function makeContainer() {
  const queue = fastq.promise(async (task: () => unknown) => task(), 1);
  return { scorer: new Scorer({ queue }), ranker: new Ranker(queue) };
}
`,
});
const CONTAINER_APP = `import { traceable } from "langsmith/traceable";
import { makeContainer } from "./services";
const child = traceable(async (x: number) => x, { name: "child" });
`;
invalid.push({
  name: "a class of another module's container factory keeps the injected queue in a field; the container is made at module level",
  filename: path.join(containers, "src/app.ts"),
  code: `${CONTAINER_APP}const { scorer } = makeContainer();
const container = makeContainer();
export const parent = traceable(async (x: number) => {
  await scorer.score(() => child(x));
  await container.ranker.rank(() => child(x));
});`,
  output: [
    `${CONTAINER_APP.replace('import { makeContainer } from "./services";\n', 'import { makeContainer } from "./services";\nimport { AsyncLocalStorage } from "node:async_hooks";\n')}const { scorer } = makeContainer();
const container = makeContainer();
export const parent = traceable(async (x: number) => {
  await scorer.score(AsyncLocalStorage.bind(() => child(x)));
  await container.ranker.rank(() => child(x));
});`,
    `${CONTAINER_APP.replace('import { makeContainer } from "./services";\n', 'import { makeContainer } from "./services";\nimport { AsyncLocalStorage } from "node:async_hooks";\n')}const { scorer } = makeContainer();
const container = makeContainer();
export const parent = traceable(async (x: number) => {
  await scorer.score(AsyncLocalStorage.bind(() => child(x)));
  await container.ranker.rank(AsyncLocalStorage.bind(() => child(x)));
});`,
  ],
  errors: [{ messageId: "queued", data: { library: "fastq", where: "traceable" } }, { messageId: "queued", data: { library: "fastq", where: "traceable" } }],
});
invalid.push({
  name: "a fastq queue injected through a TypeScript parameter property (`constructor(private readonly queue)`)",
  code: `import fastq from "fastq";
${H}class Ranker {
  constructor(private readonly queue: { push(task: () => unknown): Promise<unknown> }) {}
  rank(task: () => unknown) {
    return this.queue.push(task);
  }
}
const ranker = new Ranker(fastq.promise(async (task: () => unknown) => task(), 1));
export const parent = traceable(async (x: number) => ranker.rank(() => child(x)));`,
  output: `import fastq from "fastq";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
class Ranker {
  constructor(private readonly queue: { push(task: () => unknown): Promise<unknown> }) {}
  rank(task: () => unknown) {
    return this.queue.push(AsyncLocalStorage.bind(task));
  }
}
const ranker = new Ranker(fastq.promise(async (task: () => unknown) => task(), 1));
export const parent = traceable(async (x: number) => ranker.rank(() => child(x)));`,
  // The method's task is what its calls pass: bound where the method submits it, as in a helper function.
  errors: [{ messageId: "queued", data: { library: "fastq", where: "caller's trace" } }],
});
valid.push({
  name: "a container (and its injected queue) made by each trace for itself",
  filename: path.join(containers, "src/app.ts"),
  code: `${CONTAINER_APP}export const parent = traceable(async (x: number) => {
  const { scorer } = makeContainer();
  const own = makeContainer();
  await scorer.score(() => child(x));
  await own.ranker.rank(() => child(x));
});`,
});

// A function injected into a class through a setter or a setter method, called by the tasks the class queues.
const SETTER_SERVICE = `import fastq from "fastq";
${H}const jobs = fastq.promise(async (job: () => unknown) => job(), 1);
class Service {
  #scorer: (x: number) => unknown = (x) => x;
  #ranker: (x: number) => unknown = (x) => x;
  set scorer(fn: (x: number) => unknown) {
    this.#scorer = fn;
  }
  setRanker(fn: (x: number) => unknown) {
    this.#ranker = fn;
  }
  score(x: number) {
    return jobs.push(() => this.#scorer(x));
  }
  rank(x: number) {
    return jobs.push(() => this.#ranker(x));
  }
}
const service = new Service();
`;
invalid.push({
  name: "a traceable injected through a setter and through a setter method, called by the tasks the service queues",
  code: `${SETTER_SERVICE}service.scorer = child;
service.setRanker(child);
export const parent = traceable(async (x: number) => Promise.all([service.score(x), service.rank(x)]));`,
  output: [
    `${SETTER_SERVICE.replace('import { traceable } from "langsmith/traceable";\n', `import { traceable } from "langsmith/traceable";\n${IMPORT}`).replace("jobs.push(() => this.#scorer(x))", "jobs.push(AsyncLocalStorage.bind(() => this.#scorer(x)))")}service.scorer = child;
service.setRanker(child);
export const parent = traceable(async (x: number) => Promise.all([service.score(x), service.rank(x)]));`,
    `${SETTER_SERVICE.replace('import { traceable } from "langsmith/traceable";\n', `import { traceable } from "langsmith/traceable";\n${IMPORT}`).replace("jobs.push(() => this.#scorer(x))", "jobs.push(AsyncLocalStorage.bind(() => this.#scorer(x)))").replace("jobs.push(() => this.#ranker(x))", "jobs.push(AsyncLocalStorage.bind(() => this.#ranker(x)))")}service.scorer = child;
service.setRanker(child);
export const parent = traceable(async (x: number) => Promise.all([service.score(x), service.rank(x)]));`,
  ],
  errors: [{ messageId: "queued", data: { library: "fastq", where: "caller's trace" } }, { messageId: "queued", data: { library: "fastq", where: "caller's trace" } }],
});
valid.push({
  name: "a service whose setters are given functions that do no traced work",
  code: `${SETTER_SERVICE}service.scorer = (x) => x * 2;
service.setRanker((x) => x + 1);
export const parent = traceable(async (x: number) => Promise.all([service.score(x), service.rank(x), child(x)]));`,
});

// A class of another module with a lazily made static queue and a static method that pushes to it.
const statics = projectOnDisk({
  "src/jobs.ts": `import fastq from "fastq";
type Queue = { push(task: () => unknown): Promise<unknown> };
export class Jobs {
  static #queue: Queue | undefined;
  static get queue(): Queue {
    return (this.#queue ??= fastq.promise(async (task: () => unknown) => task(), 1));
  }
  static enqueue(task: () => unknown) {
    return Jobs.queue.push(task);
  }
}
`,
});
const STATIC_APP = `import { traceable } from "langsmith/traceable";
import { Jobs } from "./jobs";
const child = traceable(async (x: number) => x, { name: "child" });
`;
invalid.push({
  name: "a static method of another module's class, taken apart from the class, pushing to its lazily made static queue",
  filename: path.join(statics, "src/app.ts"),
  code: `${STATIC_APP}const { enqueue } = Jobs;
export const parent = traceable(async (x: number) => enqueue(() => child(x)));`,
  output: `${STATIC_APP.replace('import { Jobs } from "./jobs";\n', 'import { Jobs } from "./jobs";\nimport { AsyncLocalStorage } from "node:async_hooks";\n')}const { enqueue } = Jobs;
export const parent = traceable(async (x: number) => enqueue(AsyncLocalStorage.bind(() => child(x))));`,
  errors: [{ messageId: "queued", data: { library: "fastq", where: "traceable" } }],
});

invalid.push({
  name: "a handler looked up in an object registry, put in the item a fastq worker calls",
  code: `import fastq from "fastq";
${H}const handlers: Record<string, (x: number) => unknown> = { double: (x) => child(x * 2), same: child };
const jobs = fastq.promise(async ({ fn, x }: { fn: (x: number) => unknown; x: number }) => fn(x), 1);
export const parent = traceable(async (kind: string, x: number) => jobs.push({ fn: handlers[kind], x }));`,
  output: `import fastq from "fastq";
import { traceable } from "langsmith/traceable";
${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });
const handlers: Record<string, (x: number) => unknown> = { double: (x) => child(x * 2), same: child };
const jobs = fastq.promise(async ({ fn, x }: { fn: (x: number) => unknown; x: number }) => fn(x), 1);
export const parent = traceable(async (kind: string, x: number) => jobs.push({ fn: AsyncLocalStorage.bind(handlers[kind]), x }));`,
  errors: [{ messageId: "queued", data: { library: "fastq", where: "traceable" } }],
});
valid.push({
  name: "registry handlers that do no traced work, or bound already, put in items a fastq worker calls",
  code: `import fastq from "fastq";
import { AsyncLocalStorage } from "node:async_hooks";
${H}const handlers: Record<string, (x: number) => unknown> = { double: (x) => x * 2, same: (x) => x };
const traced: Record<string, (x: number) => unknown> = { same: child };
const jobs = fastq.promise(async ({ fn, x }: { fn: (x: number) => unknown; x: number }) => fn(x), 1);
export const parent = traceable(async (kind: string, x: number) => {
  await jobs.push({ fn: handlers[kind], x });
  await jobs.push({ fn: AsyncLocalStorage.bind(traced[kind]), x });
});`,
});

// A CommonJS module of the project loaded from an ES module: through a `require` made by `createRequire`, or a default
// import (its `module.exports`), whose queue is a plain member (fixtures/runtime/bind-queued-task/p-queue-6-cjs-*).
const cjsJobs = projectOnDisk({
  "jobs.cjs": `const { default: PQueue } = require("p-queue");
const queue = new PQueue({ concurrency: 1 });
function runBatch(tasks) {
  const own = new PQueue({ concurrency: 1 });
  return own.addAll(tasks);
}
Object.assign(module.exports, { queue, runBatch, stats: { submitted: 0 } });
`,
});
const CJS_MAIN = path.join(cjsJobs, "main.mjs");
const CR = (extra = "") => `import { createRequire } from "node:module";
import { traceable } from "langsmith/traceable";
${extra}const child = traceable(async (x) => x, { name: "child" });
const require = createRequire(import.meta.url);
const jobs = require("./jobs.cjs");
`;
valid.push(
  { name: "a CommonJS module's per-call queue, loaded with createRequire", filename: CJS_MAIN, code: `${CR()}export const parent = traceable(async (x) => jobs.runBatch([() => child(x)]));` },
  { name: "a CommonJS module's member that is no queue", filename: CJS_MAIN, code: `${CR()}export const parent = traceable(async (x) => { jobs.stats.submitted++; return child(x); });` },
);
invalid.push(
  {
    name: "a queue member of a CommonJS module loaded with createRequire",
    filename: CJS_MAIN,
    code: `${CR()}export const parent = traceable(async (x) => jobs.queue.add(() => child(x)));`,
    output: `${CR(IMPORT)}export const parent = traceable(async (x) => jobs.queue.add(AsyncLocalStorage.bind(() => child(x))));`,
    errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
  },
  {
    name: "a queue member of a default-imported CommonJS module",
    filename: CJS_MAIN,
    code: `import { traceable } from "langsmith/traceable";
import jobs from "./jobs.cjs";
const child = traceable(async (x) => x, { name: "child" });
export const parent = traceable(async (x) => jobs.queue.add(() => child(x)));`,
    output: `import { traceable } from "langsmith/traceable";
import jobs from "./jobs.cjs";
${IMPORT}const child = traceable(async (x) => x, { name: "child" });
export const parent = traceable(async (x) => jobs.queue.add(AsyncLocalStorage.bind(() => child(x))));`,
    errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
  },
);

// A rate limit held in a constant of options: the queue holds tasks back whatever its concurrency.
const RATE = (options: string) => `import PQueue from "p-queue";\n${H}const rateLimit = ${options};\nconst queue = new PQueue(rateLimit);\n`;
valid.push({ name: "a shared p-queue whose options constant sets concurrency 5 and no rate limit", code: `${RATE("{ concurrency: 5 }")}export const parent = traceable(async (x: number) => queue.add(() => child(x)));` });
invalid.push({
  name: "a shared p-queue whose options constant sets concurrency 5 with a rate limit",
  code: `${RATE("{ concurrency: 5, intervalCap: 1, interval: 20 }")}export const parent = traceable(async (x: number) => queue.add(() => child(x)));`,
  output: `${withAlsImport(RATE("{ concurrency: 5, intervalCap: 1, interval: 20 }"))}export const parent = traceable(async (x: number) => queue.add(AsyncLocalStorage.bind(() => child(x))));`,
  errors: [{ messageId: "queued" }],
});

// A traceable called through `.call` / `.apply` is traced work all the same.
invalid.push({
  name: "a task calling a traceable through apply, on a shared p-limit",
  code: `${PL}const client = { tag: "upstream" };\nexport const parent = traceable(async (x: number) => limit(() => child.apply(client, [x])));`,
  output: `${withAlsImport(PL)}const client = { tag: "upstream" };\nexport const parent = traceable(async (x: number) => limit(AsyncLocalStorage.bind(() => child.apply(client, [x]))));`,
  errors: [{ messageId: "queued" }],
});
valid.push({ name: "a task calling a plain function through call, on a shared p-limit", code: `${PL}const plain = (x: number) => x;\nexport const parent = traceable(async (x: number) => limit(() => plain.call(null, x)));` });

// An async queue a factory of this file makes from an options object carrying the handler.
const POOL = (handler: string) => `import async from "async";
${H}function createWorkerPool({ handle, concurrency }: { handle: (n: number) => unknown; concurrency: number }) {
  return async.queue(async (task: number) => handle(task), concurrency);
}
const pool = createWorkerPool({ handle: ${handler}, concurrency: 2 });
export const parent = traceable(async (x: number) => pool.pushAsync(x));`;
valid.push({ name: "a data item for an async queue a factory makes from options whose handler does no traced work", code: POOL("(n: number) => n * 2") });
invalid.push({ name: "a data item for an async queue a factory makes from options whose handler is a traceable", code: POOL("child"), output: null, errors: [{ messageId: "queuedData" }] });

const PQG = PQ.replace("import { traceable }", "import { traceable, getCurrentRunTree }");
// A task that reads the current run tree only when it runs (`child(getCurrentRunTree(), x)` inside the task): the queue
// runs it in another trace's context, so the parent it reads is that trace's run.
invalid.push({
  name: "a shared p-queue task that calls getCurrentRunTree() itself when it runs, to hand the parent over",
  code: `${PQG}export const parent = traceable(async (xs: number[]) => Promise.all(xs.map((x) => queue.add(() => child(getCurrentRunTree(), x)))));`,
  output: `${withAlsImport(PQG)}export const parent = traceable(async (xs: number[]) => Promise.all(xs.map((x) => queue.add(AsyncLocalStorage.bind(() => child(getCurrentRunTree(), x))))));`,
  errors: [{ messageId: "queued" }],
});
invalid.push({
  name: "the same task reading the run tree into a variable of its own first",
  code: `${PQG}export const parent = traceable(async (x: number) => queue.add(() => { const rt = getCurrentRunTree(); return child(rt, x); }));`,
  output: `${withAlsImport(PQG)}export const parent = traceable(async (x: number) => queue.add(AsyncLocalStorage.bind(() => { const rt = getCurrentRunTree(); return child(rt, x); })));`,
  errors: [{ messageId: "queued" }],
});
valid.push({
  name: "the run tree read by the traced function before the task is queued, and handed to the child",
  code: `${PQG}export const parent = traceable(async (xs: number[]) => { const rt = getCurrentRunTree(); return Promise.all(xs.map((x) => queue.add(() => child(rt, x)))); });`,
});
// A stream made at load by a factory that returns it resumed (`return stream.resume()`), written through a defaulted
// parameter of the traceable that no call fills.
const RESUMED = `import { Transform } from "node:stream";
${H}function createNormalizer() {
  const stream = new Transform({ objectMode: true, transform(row: number, _e: string, done: (e: unknown, r?: unknown) => void) { child(row).then((out) => done(null, out), done); } });
  return stream.resume();
}
const shared = createNormalizer();
`;
invalid.push({
  name: "rows written to a stream made at load by a factory returning it resumed, through a defaulted parameter no call fills",
  code: `${RESUMED}const load = traceable(async (rows: number[], sink = shared) => { for (const row of rows) sink.write(row); });
export const run = () => Promise.all([load([1, 2]), load([3])]);`,
  output: null,
  errors: [{ messageId: "streamData", data: { where: "traceable", receiver: "sink" } }],
});
valid.push({
  name: "the same traceable given a stream of its own by every call (the defaulted parameter always filled)",
  code: `${RESUMED}const load = traceable(async (rows: number[], sink = shared) => { for (const row of rows) sink.write(row); });
export const run = () => Promise.all([load([1, 2], createNormalizer()), load([3], createNormalizer())]);`,
});

valid.push({
  name: "fastq items that carry AsyncLocalStorage.snapshot() beside their task, for a worker of this file that runs the task through it",
  code: `import fastq from "fastq";\nimport { AsyncLocalStorage } from "node:async_hooks";\n${H}const q = fastq.promise(async ({ task, enter }: { task: () => Promise<number>; enter: <R>(fn: () => R) => R }) => enter(task), 1);\nexport const parent = traceable(async (x: number) => q.push({ task: () => child(x), enter: AsyncLocalStorage.snapshot() }));`,
});

// A class whose constructor takes a task hook in its options (`{ wrap = (fn) => fn }`), judged by what the project's
// importers pass: none passes `wrap` (the identity default runs), or one passes `AsyncLocalStorage.bind`.
const HOOKED_CLIENT = `import PQueue from "p-queue";
${H}export class GitHostClient {
  queue: PQueue;
  wrap: (fn: () => Promise<number>) => () => Promise<number>;
  constructor({ perSecond = 5, wrap = (fn: () => Promise<number>) => fn } = {}) {
    this.queue = new PQueue({ concurrency: 1, intervalCap: perSecond, interval: 1000 });
    this.wrap = wrap;
  }
  listFiles(n: number) {
    return this.queue.add(this.wrap(() => child(n)));
  }
}
`;
const importerOf = (options: string) => projectOnDisk({
  "src/client.ts": HOOKED_CLIENT,
  "src/main.ts": `import { AsyncLocalStorage } from "node:async_hooks";\nimport { traceable } from "langsmith/traceable";\nimport { GitHostClient } from "./client";\nconst client = new GitHostClient(${options});\nexport const triage = traceable(async (n: number) => client.listFiles(n));\nvoid AsyncLocalStorage;\n`,
});
invalid.push({
  name: "a task passed through a constructor option hook whose identity default runs: no importer passes the hook",
  code: HOOKED_CLIENT,
  filename: path.join(importerOf("{ perSecond: 10 }"), "src/client.ts"),
  output: withAlsImport(HOOKED_CLIENT).replace("this.wrap(() => child(n))", "AsyncLocalStorage.bind(this.wrap(() => child(n)))"),
  errors: [{ messageId: "queued" }],
});
valid.push({
  name: "the same client, its importer passing AsyncLocalStorage.bind as the hook",
  code: HOOKED_CLIENT,
  filename: path.join(importerOf("{ perSecond: 10, wrap: AsyncLocalStorage.bind }"), "src/client.ts"),
});

// A stream made at load by another module's plain exported factory (`export function createAnnotator(annotate)`),
// written by every trace: that module's facts say what the write side does.
const annotatorProject = projectOnDisk({
  "src/hunk-stream.ts": `import { Transform } from "node:stream";
export function createAnnotator(annotate: (hunk: unknown) => Promise<unknown>) {
  return new Transform({ objectMode: true, async transform(hunk, _enc, done) { done(null, await annotate(hunk)); } });
}
`,
});
invalid.push({
  name: "data written to a stream another module's exported factory made at load with a traceable, by every trace",
  code: `${H}import { createAnnotator } from "./hunk-stream";\nconst annotator = createAnnotator(child as never);\nannotator.resume();\nexport const annotate = traceable(async (n: number) => new Promise((resolve) => annotator.write(n, resolve)));`,
  filename: path.join(annotatorProject, "src/app.ts"),
  output: null,
  errors: [{ messageId: "streamData", data: { where: "traceable", receiver: "annotator" } }],
});
valid.push({
  name: "the same factory's stream made by each trace for itself",
  code: `${H}import { createAnnotator } from "./hunk-stream";\nexport const annotate = traceable(async (n: number) => { const annotator = createAnnotator(child as never); annotator.resume(); return new Promise((resolve) => annotator.write(n, resolve)); });`,
  filename: path.join(annotatorProject, "src/app.ts"),
});

// A loader class whose first load of a tick arms process.nextTick to dispatch every key collected (DataLoader style).
const BYLINES = (made: string) => `${H}class BylineLoader {
  keys: number[] = [];
  waiters: ((v: unknown) => void)[] = [];
  constructor(private batchFn: (k: number) => Promise<number>) {}
  load(key: number) {
    if (this.keys.length === 0) process.nextTick(() => this.dispatch());
    this.keys.push(key);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  dispatch() {
    const keys = this.keys.splice(0);
    const waiters = this.waiters.splice(0);
    keys.forEach((k, i) => waiters[i](this.batchFn(k)));
  }
}
${made}`;
invalid.push({
  name: "keys handed to a module-level loader class whose process.nextTick dispatch, armed by the first load, runs the traced batch function",
  code: BYLINES(`const bylines = new BylineLoader((k) => child(k));\nexport const render = traceable(async (k: number) => bylines.load(k));`),
  output: null,
  errors: [{ messageId: "batcherData" }],
});
valid.push({
  name: "the same loader made per call of the traced function",
  code: BYLINES(`export const render = traceable(async (k: number) => new BylineLoader((n) => child(n)).load(k));`),
});

// A batcher factory that returns an object with an adder method (`return { load(item) { ... } }`), in this file or
// in another module of the project.
const OBJECT_BATCHER = `export function createBatcher(flushBatch: (items: string[]) => Promise<number[]>) {
  let pending: { item: string; resolve: (v: number) => void }[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = async () => {
    const batch = pending;
    pending = [];
    timer = null;
    const results = await flushBatch(batch.map((b) => b.item));
    batch.forEach((b, i) => b.resolve(results[i]));
  };
  return {
    load(item: string) {
      return new Promise<number>((resolve) => {
        pending.push({ item, resolve });
        timer ??= setTimeout(flush, 15);
      });
    },
  };
}
`;
const objectBatcherProject = projectOnDisk({ "src/batcher.ts": OBJECT_BATCHER });
const RATES = `import { traceable } from "langsmith/traceable";
const fetchRates = traceable(async (ids: string[]) => ids.map((id) => id.length), { name: "fetchRates" });
`;
invalid.push(
  {
    name: "items loaded through the method of the object an in-file batcher factory returned at load",
    code: `${RATES}${OBJECT_BATCHER}const rates = createBatcher((ids) => fetchRates(ids));\nexport const build = traceable(async (ids: string[]) => Promise.all(ids.map((id) => rates.load(id))));`,
    output: null,
    errors: [{ messageId: "batcherData" }],
  },
  {
    name: "items loaded through the method of the object another module's batcher factory returned at load",
    code: `${RATES}import { createBatcher } from "./batcher";\nconst rates = createBatcher((ids) => fetchRates(ids));\nexport const build = traceable(async (ids: string[]) => Promise.all(ids.map((id) => rates.load(id))));`,
    filename: path.join(objectBatcherProject, "src/app.ts"),
    output: null,
    errors: [{ messageId: "batcherData" }],
  },
);
valid.push({
  name: "the same batcher object made by each call of the traced function, or flushing to work that does not trace",
  code: `${RATES}import { createBatcher } from "./batcher";\nconst plain = createBatcher(async (ids) => ids.map((id) => id.length));\nexport const build = traceable(async (ids: string[]) => { const rates = createBatcher((xs) => fetchRates(xs)); return Promise.all(ids.map((id) => rates.load(id).then(() => plain.load(id)))); });`,
  filename: path.join(objectBatcherProject, "src/app.ts"),
});

// A module that keeps one fastq queue per key, made on first use with the worker its caller passes: the queue's worker
// and concurrency come from that module's summary.
const sectionsProject = (concurrency: number) => projectOnDisk({
  "src/sections.ts": `import fastq from "fastq";
const sectionQueues = new Map<string, fastq.queueAsPromised<unknown, unknown>>();
export function queueFor(section: string, worker: (x: unknown) => Promise<unknown>, { concurrency = ${concurrency} } = {}) {
  if (!sectionQueues.has(section)) sectionQueues.set(section, fastq.promise(worker, concurrency));
  return sectionQueues.get(section)!;
}
`,
});
const SECTIONS = `${H}import { queueFor } from "./sections";
export const update = traceable(async (section: string, story: number) => queueFor(section, child as never).push(story));
`;
invalid.push({
  name: "data pushed to a fastq queue another module keeps per key, made with the traced worker the caller passes (concurrency 1)",
  code: SECTIONS,
  filename: path.join(sectionsProject(1), "src/app.ts"),
  output: null,
  errors: [{ messageId: "queuedData" }],
});
valid.push({
  name: "the same per-key queue made with concurrency 8: each push starts the worker in its caller",
  code: SECTIONS,
  filename: path.join(sectionsProject(8), "src/app.ts"),
});

// A shared queue used by an exported traced function, or by a client other files call inside their traces: judged by
// how the importing files run those traces (one at a time, each awaited in turn, or at once).
const DISPATCHER = `import PQueue from "p-queue";
${H}const deliveries = new PQueue({ concurrency: 1 });
export const dispatchBatch = traceable(async (items: number[]) => deliveries.addAll(items.map((item) => () => child(item))));
`;
const dispatcherProject = (script: string) => projectOnDisk({ "src/dispatcher.ts": DISPATCHER, "src/main.ts": `import { dispatchBatch } from "./dispatcher";\nconst batches = [[1, 2], [3]];\n${script}\n` });
const CLIENT_FACTORY = `import pLimit from "p-limit";
${H}export function createApiClient() {
  const limit = pLimit(1);
  return { getReviewers: (repo: number) => limit(() => child(repo)) };
}
`;
const clientProject = (script: string) => projectOnDisk({
  "src/api-client.ts": CLIENT_FACTORY,
  "src/main.ts": `import { traceable } from "langsmith/traceable";\nimport { createApiClient } from "./api-client";\nconst api = createApiClient();\nconst assign = traceable(async (repo: number) => { const users = await api.getReviewers(repo); return users; });\nasync function main() {\n${script}\n}\nmain();\n`,
});
invalid.push(
  {
    name: "an exported traced function sharing a p-queue 8 queue, which the importing script runs at once with Promise.all",
    code: DISPATCHER,
    filename: path.join(dispatcherProject("await Promise.all(batches.map((b) => dispatchBatch(b)));"), "src/dispatcher.ts"),
    output: withAlsImport(DISPATCHER).replace("items.map((item) => () => child(item))", "items.map((item) => () => child(item)).map((task) => AsyncLocalStorage.bind(task))"),
    errors: [{ messageId: "queued" }],
  },
  {
    name: "a client's method other files call inside traces that the importing script runs at once",
    code: CLIENT_FACTORY,
    filename: path.join(clientProject("  await Promise.all([assign(1), assign(2)]);"), "src/api-client.ts"),
    output: withAlsImport(CLIENT_FACTORY).replace("limit(() => child(repo))", "limit(AsyncLocalStorage.bind(() => child(repo)))"),
    errors: [{ messageId: "queued" }],
  },
);
valid.push(
  {
    name: "the same exported traced function, which the importing script awaits once per batch in turn",
    code: DISPATCHER,
    filename: path.join(dispatcherProject("for (const b of batches) await dispatchBatch(b);"), "src/dispatcher.ts"),
  },
  {
    name: "the same client's method, called by traces the importing script awaits one after another",
    code: CLIENT_FACTORY,
    filename: path.join(clientProject("  for (const repo of [1, 2]) await assign(repo);"), "src/api-client.ts"),
  },
);

// An async.cargo another module's factory makes and returns, its worker written there calling the factory's parameter.
const cargoProject = projectOnDisk({
  "src/cargo.ts": `import async from "async";
export function createCargo(measure: (img: string) => unknown, { payload = 4 } = {}) {
  return async.cargo((images: string[], done: (e: unknown, r?: unknown) => void) => done(null, images.map((img) => measure(img))), payload);
}
`,
});
const RETURNED_CARGO = (measure: string) => `${H}import { createCargo } from "./cargo";
const cargo = createCargo(${measure});
export const publish = traceable(async (img: string) => cargo.pushAsync(img));
`;
invalid.push({
  name: "items pushed to another module's async cargo whose worker calls the traced function this file passes",
  code: RETURNED_CARGO("(img) => child(img.length)"),
  filename: path.join(cargoProject, "src/app.ts"),
  output: null,
  errors: [{ messageId: "queuedData" }],
});
valid.push({
  name: "the same cargo made with a plain measuring function: its worker does no traced work",
  code: RETURNED_CARGO("() => ({ w: 1600, h: 900 })"),
  filename: path.join(cargoProject, "src/app.ts"),
});

// An array of plain values a helper pushes one by one to a worker queue: data for the worker, never bound.
invalid.push({
  name: "an array of plain values a helper pushes one by one to a shared fastq queue whose worker traces: reported without a fix",
  code: `import fastq from "fastq";
${H}const ledger = fastq.promise(child, 1);
function adjustAll(items: number[]) {
  return Promise.all(items.map((item) => ledger.push(item)));
}
export const parent = traceable(async (xs: number[]) => adjustAll(xs.map((x) => x + 1)));`,
  output: null,
  errors: [{ messageId: "queuedData" }],
});

// How many traces the script starts at once, against the slots of a shared limiter that each trace gives one task.
const AT_ONCE = (concurrency: number, script: string) => `import pLimit from "p-limit";
${H}const limit = pLimit(${concurrency});
const upload = traceable(async (x: number) => limit(() => child(x)), { name: "upload" });
${script}
`;
for (const [name, concurrency, script] of [
  ["two traces at once, two slots", 2, "await Promise.all([upload(1), upload(2)]);"],
  ["three traces made by mapping an array literal, four slots", 4, "await Promise.all([1, 2, 3].map((x) => upload(x)));"],
  ["two batches of two, the first awaited before the second starts", 2, "await Promise.all([upload(1), upload(2)]);\nawait Promise.all([upload(3), upload(4)]);"],
  ["three traces not awaited as the script's last statement, three slots", 3, "Promise.all([upload(1), upload(2), upload(3)]).then(() => console.log(\"done\"));"],
] as const) {
  valid.push({ name: `a shared p-limit given one task per trace: ${name}`, code: AT_ONCE(concurrency, script) });
}
for (const [name, concurrency, script] of [
  ["three traces at once, two slots", 2, "await Promise.all([upload(1), upload(2), upload(3)]);"],
  ["three traces made by mapping an array literal, two slots", 2, "await Promise.all([1, 2, 3].map((x) => upload(x)));"],
  ["one trace not waited for, then two awaited, two slots", 2, "upload(1);\nawait Promise.all([upload(2), upload(3)]);"],
] as const) {
  const code = AT_ONCE(concurrency, script);
  invalid.push({
    name: `a shared p-limit given one task per trace: ${name}`,
    code,
    output: code.replace('const child', IMPORT + 'const child').replace("limit(() => child(x))", "limit(AsyncLocalStorage.bind(() => child(x)))"),
    errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
  });
}
// Traces the script starts in a loop of unknown length: how many run at once is not spelled, and one task each
// leaves a wide limiter alone as before.
valid.push({ name: "a shared p-limit given one task per trace, traces started in a loop over a parameter", code: AT_ONCE(2, "export function run(xs: number[]) { for (const x of xs) upload(x); }") });

// A concurrency read from the environment with a default (`Number(process.env.N ?? 8)`): the default, the number the
// program runs with when the variable is unset (measured: fixtures/runtime/bind-queued-task/p-limit-3-env-*).
const ENV_LIMIT = (spelled: string) => `import pLimit from "p-limit";\n${H}const limit = pLimit(${spelled});\nconst parent = traceable(async (xs: number[]) => Promise.all([xs[0], xs[1]].map((x) => limit(() => child(x)))));\nawait Promise.all([parent([1, 2]), parent([3, 4])]);`;
valid.push(
  { name: "a p-limit whose concurrency is an environment variable defaulting to 8: two traces of two tasks never wait", code: ENV_LIMIT("Number(process.env.OCR_CONCURRENCY ?? 8)") },
  { name: "the same default written as `parseInt(process.env.N ?? \"8\", 10)`", code: ENV_LIMIT('parseInt(process.env.OCR_CONCURRENCY ?? "8", 10)') },
  { name: "the same default written as `Number(process.env.N) || 8`", code: ENV_LIMIT("Number(process.env.OCR_CONCURRENCY) || 8") },
);
invalid.push(
  {
    name: "a p-limit whose concurrency is an environment variable defaulting to 2: four tasks of two traces wait for its slots",
    code: ENV_LIMIT("Number(process.env.OCR_CONCURRENCY ?? 2)"),
    output: withAlsImport(ENV_LIMIT("Number(process.env.OCR_CONCURRENCY ?? 2)")).replace("limit(() => child(x))", "limit(AsyncLocalStorage.bind(() => child(x)))"),
    errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
  },
  {
    name: "a p-limit sized by an environment variable with no default: its concurrency is unknown",
    code: ENV_LIMIT("Number(process.env.OCR_CONCURRENCY)"),
    output: withAlsImport(ENV_LIMIT("Number(process.env.OCR_CONCURRENCY)")).replace("limit(() => child(x))", "limit(AsyncLocalStorage.bind(() => child(x)))"),
    errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
  },
);

// The traced function made by a local factory (`makeTraced(fn, options)` returning `traceable(fn, options)`): the
// wrapper's calls still give the tasks each trace submits (measured: the factory variants of p-limit-3-number-or-8).
const FACTORY_LIMIT = (spelled: string) => ENV_LIMIT(spelled).replace("const parent = traceable(async (xs: number[]) => Promise.all([xs[0], xs[1]].map((x) => limit(() => child(x)))));", "function makeTraced<F extends (...args: any[]) => any>(fn: F, options: { name: string }) { return traceable(fn, options); }\nconst parent = makeTraced(async (xs: number[]) => Promise.all(xs.map((x) => limit(() => child(x)))), { name: \"parent\" });");
valid.push({ name: "a p-limit defaulting to 8 fed by two traces of two tasks, the traced function made by a local factory", code: FACTORY_LIMIT("Number(process.env.OCR_CONCURRENCY ?? 8)") });
invalid.push({
  name: "the same through the local factory with a default of 2",
  code: FACTORY_LIMIT("Number(process.env.OCR_CONCURRENCY ?? 2)"),
  output: withAlsImport(FACTORY_LIMIT("Number(process.env.OCR_CONCURRENCY ?? 2)")).replace("limit(() => child(x))", "limit(AsyncLocalStorage.bind(() => child(x)))"),
  errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
});

// A traceable handed point-free to `map` over an array literal (`zones.map(optimizeZone)`): one trace per element, in
// that statement; its parameter holds each element (measured: p-limit-3-point-free-map).
const POINT_FREE = (zones: string) => `import pLimit from "p-limit";\n${H}const limit = pLimit(8);\nconst optimize = traceable(async ({ moves }: { moves: number[] }) => Promise.all(moves.map((m) => limit(() => child(m)))), { name: "optimize" });\nconst zones = ${zones};\nawait Promise.all(zones.map(optimize));`;
valid.push({ name: "a p-limit of 8 fed two tasks per trace by two traces started point-free (`zones.map(optimize)`)", code: POINT_FREE("[{ moves: [1, 2] }, { moves: [3, 4] }]") });
invalid.push({
  name: "the same p-limit of 8 fed by five traces of two tasks, started point-free",
  code: POINT_FREE("[{ moves: [1, 2] }, { moves: [3, 4] }, { moves: [5, 6] }, { moves: [7, 8] }, { moves: [9, 10] }]"),
  output: withAlsImport(POINT_FREE("[{ moves: [1, 2] }, { moves: [3, 4] }, { moves: [5, 6] }, { moves: [7, 8] }, { moves: [9, 10] }]")).replace("limit(() => child(m))", "limit(AsyncLocalStorage.bind(() => child(m)))"),
  errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
});

// Batchers whose drain runs earlier traces' items even when the traces run one after another: a class whose
// constructor arms the flush interval for an instance made at load, and a factory's adder that flushes once the batch
// is full (measured: class-batcher-interval-one-trace, size-batcher-sequential).
const INTERVAL_BATCHER = (made: string, inside: string) => `${H}class StockBatcher {
  pending: { entry: number; resolve: (v: unknown) => void }[] = [];
  constructor(private writer: (n: number) => Promise<number>, everyMs: number) {
    setInterval(() => this.flush(), everyMs).unref();
  }
  add(entry: number) { return new Promise((resolve) => this.pending.push({ entry, resolve })); }
  flush() { for (const { entry, resolve } of this.pending.splice(0)) resolve(this.writer(entry)); }
}
${made}export const receive = traceable(async (lot: number) => {
  ${inside}return batcher.add(lot);
}, { name: "receive" });
await receive(1);`;
invalid.push({
  name: "one trace hands an item to a module-level batcher whose constructor armed the flush interval at load",
  code: INTERVAL_BATCHER("const batcher = new StockBatcher(child, 20);\n", ""),
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "batcher.add", where: "traceable" } }],
});
valid.push({ name: "the same batcher made inside the trace: its interval runs in the trace", code: INTERVAL_BATCHER("", "const batcher = new StockBatcher(child, 20);\n  ") });
const SIZE_BATCHER = (made: string, inside: string) => `${H}function sizeBatcher<T>(size: number, onBatch: (items: T[]) => void) {
  let buf: T[] = [];
  return {
    add(item: T) {
      buf.push(item);
      if (buf.length >= size) {
        const full = buf;
        buf = [];
        onBatch(full);
      }
    },
  };
}
${made}export const ingest = traceable(async (ids: number[]) => {
  ${inside}ids.forEach((id) => indexer.add(id));
}, { name: "ingest" });
await ingest([1, 2]);
await ingest([3, 4]);`;
invalid.push({
  name: "two traces, awaited one after the other, fill a module-level size batcher whose adder flushes when full",
  code: SIZE_BATCHER("const indexer = sizeBatcher<number>(4, (items) => items.forEach((n) => child(n)));\n", ""),
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "indexer.add", where: "traceable" } }],
});
valid.push(
  { name: "the same size batcher made per trace", code: SIZE_BATCHER("", "const indexer = sizeBatcher<number>(2, (items) => items.forEach((n) => child(n)));\n  ") },
  { name: "a module-level size batcher whose flush does no traced work", code: SIZE_BATCHER("const indexer = sizeBatcher<number>(4, (items) => console.log(items.length));\n", "") },
);

// A micro-batcher that keeps `AsyncLocalStorage.snapshot()` with each item and sends each one through it.
const SNAPSHOT_BATCHER = (record: string, send: string) => `${H}import { AsyncLocalStorage } from "node:async_hooks";
function createBatcher(sendOne: (x: number) => Promise<unknown>, waitMs = 20) {
  let items: { item: number; resolve: (v: unknown) => void; ctx?: <R>(fn: () => R) => R }[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  return function add(item: number) {
    return new Promise((resolve) => {
      items.push(${record});
      if (!timer) timer = setTimeout(async () => {
        const batch = items;
        items = [];
        timer = null;
        for (const entry of batch) entry.resolve(await ${send});
      }, waitMs);
    });
  };
}
const raise = createBatcher((n) => child(n));
export const evaluate = traceable(async (n: number) => raise(n), { name: "evaluate" });
await Promise.all([evaluate(1), evaluate(2)]);`;
valid.push({
  name: "a batcher that keeps a snapshot of each caller's context with its item and sends the item through it",
  code: SNAPSHOT_BATCHER("{ item, resolve, ctx: AsyncLocalStorage.snapshot() }", "entry.ctx!(() => sendOne(entry.item))"),
});
invalid.push({
  name: "the same batcher sending each item without the snapshot it kept",
  code: SNAPSHOT_BATCHER("{ item, resolve, ctx: AsyncLocalStorage.snapshot() }", "sendOne(entry.item)"),
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "raise", where: "traceable" } }],
});

// A class whose `add` flushes once `this.pending` reaches `this.size` (measured: class-batch-in-order, and its look-alikes
// class-batch-size-one and class-batch-own-flush).
const CLASS_SIZE_BATCHER = (size: string, after: string) => `${H}class ModerationBatcher {
  pending: number[] = [];
  constructor(private size: number, private score: (n: number) => Promise<number>) {}
  add(item: number) {
    this.pending.push(item);
    if (this.pending.length >= this.size) return this.flush();
    return undefined;
  }
  flush() { return Promise.all(this.pending.splice(0).map((item) => this.score(item))); }
}
const moderation = new ModerationBatcher(${size}, (n) => child(n));
export const moderate = traceable(async (post: number) => {
  moderation.add(post);${after}
}, { name: "moderate" });
await moderate(1);
await moderate(2);`;
invalid.push({
  name: "traces awaited one after another fill a module-level class batcher of 3 whose add flushes when full",
  code: CLASS_SIZE_BATCHER("3", ""),
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "moderation.add", where: "traceable" } }],
});
invalid.push({
  name: "the same class batcher sized by a constant of 2 (`length > size - ...` aside, a plain constant)",
  code: CLASS_SIZE_BATCHER("BATCH", "").replace("class ModerationBatcher", "const BATCH = 2;\nclass ModerationBatcher"),
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "moderation.add", where: "traceable" } }],
});
valid.push(
  { name: "the same class batcher made with a size of 1: every add flushes its own item at once", code: CLASS_SIZE_BATCHER("1", "") },
  { name: "the same class batcher sized by a constant of 1", code: CLASS_SIZE_BATCHER("ONE", "").replace("class ModerationBatcher", "const ONE = 1;\nclass ModerationBatcher") },
  { name: "the same class batcher of 3, each trace flushing it itself and waiting for the scores", code: CLASS_SIZE_BATCHER("3", "\n  await moderation.flush();") },
);

// The same class batcher made by an in-file function called once at load (`makeModeration(3, score)` returning
// `new ModerationBatcher(size, score)`): its size and drain are what that call passes.
const MADE_BY = (size: string, call = "const moderation = makeModeration") => CLASS_SIZE_BATCHER(size, "").replace(`const moderation = new ModerationBatcher(${size}, (n) => child(n));`, `function makeModeration(size: number, score: (n: number) => Promise<number>) { return new ModerationBatcher(size, score); }\n${call}(${size}, (n) => child(n));`);
invalid.push({
  name: "traces in turn fill a class batcher of 3 that an in-file function made at load",
  code: MADE_BY("3"),
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "moderation.add", where: "traceable" } }],
});
valid.push(
  { name: "the same class batcher made of size 1 by that function", code: MADE_BY("1") },
  {
    name: "the same function called by each trace, which fills and flushes a batcher of its own",
    code: MADE_BY("3").replace("const moderation = makeModeration(3, (n) => child(n));\n", "").replace("export const moderate = traceable(async (post: number) => {\n  moderation.add(post);", "export const moderate = traceable(async (post: number) => {\n  const moderation = makeModeration(3, (n) => child(n));\n  [post, post + 1, post + 2].forEach((p) => moderation.add(p));"),
  },
);

// The same with the class in another module (measured: the helper variants of class-batch-in-order).
const moderationProject = projectOnDisk({
  "src/batcher.mjs": `export class ModerationBatcher {
  constructor(size, score) { this.size = size; this.score = score; this.pending = []; }
  add(item) {
    this.pending.push(item);
    if (this.pending.length >= this.size) return this.flush();
    return undefined;
  }
  flush() { return Promise.all(this.pending.splice(0).map((item) => this.score(item))); }
}
`,
});
const IMPORTED_MADE_BY = (size: number) => `import { traceable } from "langsmith/traceable";\nimport { ModerationBatcher } from "./batcher.mjs";\nconst child = traceable(async (x) => x, { name: "child" });\nfunction makeModeration(size, score) { return new ModerationBatcher(size, score); }\nconst moderation = makeModeration(${size}, (n) => child(n));\nexport const moderate = traceable(async (post) => { await moderation.add(post); }, { name: "moderate" });\nawait moderate(1);\nawait moderate(2);\nawait moderate(3);`;
invalid.push({
  name: "traces in turn fill another module's class batcher of 3 that an in-file function made at load",
  code: IMPORTED_MADE_BY(3),
  filename: path.join(moderationProject, "src/app.mjs"),
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "moderation.add", where: "traceable" } }],
});
valid.push({ name: "the same batcher of another module made of size 1 by that function", code: IMPORTED_MADE_BY(1), filename: path.join(moderationProject, "src/app.mjs") });

// A DataLoader-style loader whose batch record is an object the factory holds (`pending.keys.push(key)`).
const KEYS_LOADER = `${H}export function createBatchLoader(batchFn: (keys: number[]) => Promise<number[]>) {
  let pending: { keys: number[]; waiters: ((v: number) => void)[] } | null = null;
  return {
    load(key: number) {
      if (!pending) {
        pending = { keys: [], waiters: [] };
        const batch = pending;
        process.nextTick(async () => {
          pending = null;
          const rows = await batchFn(batch.keys);
          batch.waiters.forEach((resolve, i) => resolve(rows[i]));
        });
      }
      pending.keys.push(key);
      return new Promise<number>((resolve) => pending!.waiters.push(resolve));
    },
  };
}
const footprints = createBatchLoader(async (ids) => Promise.all(ids.map((id) => child(id))));
export const render = traceable(async (id: number) => footprints.load(id), { name: "render" });
await Promise.all([render(1), render(2)]);`;
invalid.push({
  name: "a module-level loader that collects keys into a property of its per-batch record, flushed on nextTick into traced work",
  code: KEYS_LOADER,
  output: null,
  errors: [{ messageId: "batcherData", data: { receiver: "footprints.load", where: "traceable" } }],
});

tester(OLD).run(RULE, rule(RULE), { valid, invalid });

// Version resolution without overrides: Node resolution from the linted file, then the nearest package.json.
/**
 * A limiter made in another module, which loads p-limit under an alias: the version is that module's install, not the
 * one the calling file would get (the caller loads no p-limit at all; a plain `p-limit` 3.1.0 is installed too).
 */
function limitersProject(alias: string, version: string): string {
  const dir = aliased({ [alias]: { name: "p-limit", version }, "p-limit": { name: "p-limit", version: "3.1.0" } });
  mkdirSync(path.join(dir, "src"), { recursive: true });
  writeFileSync(
    path.join(dir, "src", "limits.ts"),
    `import pLimit from "${alias}";\nconst llmLimit = pLimit(1);\nexport function mapLimited(items, fn) {\n  return Promise.all(items.map((item) => llmLimit(fn, item)));\n}\n`,
  );
  return dir;
}
const limits5 = limitersProject("p-limit-5", "5.0.0");
const limits4 = limitersProject("p-limit-legacy", "4.0.0");
const MAPPED = `import { traceable } from "langsmith/traceable";
import { mapLimited } from "./limits";
const child = traceable(async (x: number) => x, { name: "child" });
export const parent = traceable(async (xs: number[]) => mapLimited(xs, child));`;

/** Queues made in another module that loads p-queue under an alias, while a plain `p-queue` 6.6.2 is installed too. */
function queuesProject(alias: string, version: string): string {
  const dir = aliased({ [alias]: { name: "p-queue", version }, "p-queue": { name: "p-queue", version: "6.6.2" } });
  mkdirSync(path.join(dir, "src"), { recursive: true });
  writeFileSync(
    path.join(dir, "src", "queues.ts"),
    `import PQueue from "${alias}";\nconst byTenant = new Map();\nexport function queueFor(tenant) {\n  let queue = byTenant.get(tenant);\n  if (!queue) byTenant.set(tenant, (queue = new PQueue({ concurrency: 1 })));\n  return queue;\n}\nexport const shared = new PQueue({ concurrency: 1 });\n`,
  );
  return dir;
}
const queues10 = queuesProject("p-queue-10", "10.0.0");
const queues8 = queuesProject("p-queue-8", "8.1.1");
const TENANT = `import { traceable } from "langsmith/traceable";
import { queueFor, shared } from "./queues";
const child = traceable(async (x: number) => x, { name: "child" });
`;

tester({ runtime: "node" }).run(`${RULE} (installed versions)`, rule(RULE), {
  valid: [
    {
      name: "unknown installed version: silent rather than guessing",
      code: `${PQ}export const parent = traceable(async () => queue.add(() => child(1)));`,
      filename: path.join(nowhere, "agent.ts"),
    },
    {
      name: "an alias whose name does not mention the package is not looked up (documented)",
      code: `import PQueue from "pq";\n${H}const queue = new PQueue({ concurrency: 1 });\nexport const parent = traceable(async () => queue.add(() => child(1)));`,
      filename: path.join(aliases, "src", "agent.ts"),
    },
    {
      name: "p-queue 10 loaded under an npm alias keeps the context",
      code: `import PQueue from "p-queue-10";\n${H}const queue = new PQueue({ concurrency: 1 });\nexport const parent = traceable(async () => queue.add(() => child(1)));`,
      filename: path.join(aliases, "src", "agent.ts"),
    },
    {
      name: "a file loading p-queue under two aliases, one of which keeps the context: silent rather than guessing",
      code: `import PQueue from "p-queue-8";\nimport PQueueNext from "p-queue-10";\n${H}const queue = new PQueue({ concurrency: 1 });\nexport const next = new PQueueNext();\nexport const parent = traceable(async () => queue.add(() => child(1)));`,
      filename: path.join(aliases, "src", "agent.ts"),
    },
    {
      name: "declared range p-queue ^10 in the nearest package.json",
      code: `${PQ}export const parent = traceable(async () => queue.add(() => child(1)));`,
      filename: path.join(declared10, "src", "agent.ts"),
    },
    {
      name: "a queue another module returns (per tenant) or exports, made with p-queue 10 there: that install, not the caller's p-queue 6",
      code: `${TENANT}export const parent = traceable(async (tenant: string) => {
  const queue = queueFor(tenant);
  await queue.add(() => child(1));
  return shared.add(() => child(2));
});`,
      filename: path.join(queues10, "src", "agent.ts"),
    },
    {
      name: "a helper of another module limits with p-limit 5 (an alias there): its install, not the caller's p-limit 3.1.0",
      code: MAPPED,
      filename: path.join(limits5, "src", "agent.ts"),
    },
  ],
  invalid: [
    {
      name: "a queue another module returns or exports, made with p-queue 8 there: reported with that install's version",
      code: `${TENANT}export const parent = traceable(async (tenant: string) => {
  await queueFor(tenant).add(() => child(1));
  return shared.add(() => child(2));
});`,
      filename: path.join(queues8, "src", "agent.ts"),
      // Each fix adds the import, so they apply in two passes.
      output: [
        `${withAlsImport(TENANT)}export const parent = traceable(async (tenant: string) => {
  await queueFor(tenant).add(AsyncLocalStorage.bind(() => child(1)));
  return shared.add(() => child(2));
});`,
        `${withAlsImport(TENANT)}export const parent = traceable(async (tenant: string) => {
  await queueFor(tenant).add(AsyncLocalStorage.bind(() => child(1)));
  return shared.add(AsyncLocalStorage.bind(() => child(2)));
});`,
      ],
      errors: [
        { messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } },
        { messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } },
      ],
    },
    {
      name: "a helper of another module limits with p-limit 4 under an alias: the message names that install's version",
      code: MAPPED,
      filename: path.join(limits4, "src", "agent.ts"),
      output: `${withAlsImport(MAPPED.split("\nconst child")[0])}\nconst child = traceable(async (x: number) => x, { name: "child" });\nexport const parent = traceable(async (xs: number[]) => mapLimited(xs, AsyncLocalStorage.bind(child)));`,
      errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
    },
    {
      name: "p-queue 8 loaded under an npm alias (its version read from the alias's install)",
      code: `import PQueue from "p-queue-8";\n${H}const queue = new PQueue({ concurrency: 1 });\nexport const parent = traceable(async () => queue.add(() => child(1)));`,
      filename: path.join(aliases, "src", "agent.ts"),
      output: `import PQueue from "p-queue-8";\n${H.replace('import { traceable } from "langsmith/traceable";\n', `import { traceable } from "langsmith/traceable";\n${IMPORT}`)}const queue = new PQueue({ concurrency: 1 });\nexport const parent = traceable(async () => queue.add(AsyncLocalStorage.bind(() => child(1))));`,
      errors: [{ messageId: "queued", data: { library: "p-queue 8.1.1", where: "traceable" } }],
    },
    {
      name: "p-limit under an alias, per user in a Map filled by set(), given a traceable and its arguments",
      code: `import pLimit from "p-limit-legacy";\n${H}const caps = new Map();\nconst capFor = (user: string) => {\n  if (!caps.has(user)) caps.set(user, pLimit(1));\n  return caps.get(user);\n};\nexport const parent = traceable(async (user: string) => capFor(user)(child, 1));`,
      filename: path.join(aliases, "src", "agent.ts"),
      output: `import pLimit from "p-limit-legacy";\n${H.replace('import { traceable } from "langsmith/traceable";\n', `import { traceable } from "langsmith/traceable";\n${IMPORT}`)}const caps = new Map();\nconst capFor = (user: string) => {\n  if (!caps.has(user)) caps.set(user, pLimit(1));\n  return caps.get(user);\n};\nexport const parent = traceable(async (user: string) => capFor(user)(AsyncLocalStorage.bind(child), 1));`,
      errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
    },
    {
      name: "declared range p-limit ^4.0.0 in the nearest package.json",
      code: `${PL}export const parent = traceable(async (x: number) => limit(() => child(x)));`,
      filename: path.join(declared4, "src", "agent.ts"),
      output: `import pLimit from "p-limit";\nimport { traceable } from "langsmith/traceable";\n${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });\nconst limit = pLimit(1);\nexport const parent = traceable(async (x: number) => limit(AsyncLocalStorage.bind(() => child(x))));`,
      errors: [{ messageId: "queued", data: { library: "p-limit 4.0.0", where: "traceable" } }],
    },
    {
      name: "installed p-limit 3.1.0 found in node_modules",
      code: `${PL}export const parent = traceable(async (x: number) => limit(() => child(x)));`,
      filename: path.join(installed3, "src", "agent.ts"),
      output: `import pLimit from "p-limit";\nimport { traceable } from "langsmith/traceable";\n${IMPORT}const child = traceable(async (x: number) => x, { name: "child" });\nconst limit = pLimit(1);\nexport const parent = traceable(async (x: number) => limit(AsyncLocalStorage.bind(() => child(x))));`,
      errors: [{ messageId: "queued", data: { library: "p-limit 3.1.0", where: "traceable" } }],
    },
  ],
});
describeIdempotency(RULE, invalid as never, OLD, ["queuedData", "channelData", "batcherData", "polledData", "streamData"]);
