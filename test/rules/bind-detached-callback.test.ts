import type { InvalidTestCase, ValidTestCase } from "@typescript-eslint/rule-tester";
import path from "node:path";
import { describeIdempotency, NODE, projectOnDisk, rule, tester, withAlsImport } from "./helpers.js";

const RULE = "bind-detached-callback";
type Options = [Record<string, unknown>];

const H = `import { traceable } from "langsmith/traceable";
import { EventEmitter } from "node:events";
const child = traceable(async (x: unknown) => x, { name: "child" });
`;

/** A socket (a Node core object: its events fire in the context it was made in) kept in an outer variable. */
const SOCKET_HOLDER = (between: string) => `import { traceable } from "langsmith/traceable";
import net from "node:net";
const child = traceable(async (x: unknown) => x, { name: "child" });
let socket: net.Socket | undefined;
function connect(port: number) { return new Promise<net.Socket>((resolve) => { const s = net.connect(port, "127.0.0.1", () => resolve(s)); }); }
export const parent = traceable(async (port: number) => {
  socket = await connect(port);
  ${between}socket.on("data", (buf) => child(String(buf)));
});`;

const SEMAPHORE = `class Semaphore {
  permits = 1;
  waiting: (() => void)[] = [];
  run(fn: () => Promise<unknown>) {
    return new Promise((resolve) => {
      const start = () => {
        this.permits--;
        Promise.resolve().then(fn).then(resolve).finally(() => {
          this.permits++;
          this.waiting.shift()?.();
        });
      };
      if (this.permits > 0) start();
      else this.waiting.push(start);
    });
  }
}
`;


/** A runner drained by a timer started at load; `record` is the job record its submit() stores. */
const RUNNER = (before: string, record: string) => `import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
class TaskRunner {
  #pending: { fn: () => unknown; [key: string]: unknown }[] = [];
  constructor() {
    setInterval(() => this.#drain(), 5);
  }
  submit(fn: () => unknown) {
    return new Promise((resolve) => {
      ${before}this.#pending.push(${record});
    });
  }
  #drain() {
    for (const job of this.#pending.splice(0)) (job.restore as ((f: () => unknown) => unknown) | undefined)?.(job.fn) ?? job.fn();
  }
}
const runner = new TaskRunner();
`;
/** A hand-written channel whose worker loops start at module load and take jobs as they come. */
const CHANNEL = `function createChannel() {
  const buffer: unknown[] = [];
  const takers: ((item: unknown) => void)[] = [];
  return {
    put(item: unknown) { const t = takers.shift(); if (t) t(item); else buffer.push(item); },
    take() { return buffer.length ? Promise.resolve(buffer.shift()) : new Promise((r) => takers.push(r)); },
  };
}
const jobs = createChannel();
async function workerLoop() { for (;;) { const job = (await jobs.take()) as { fn: () => Promise<unknown>; done: (v: unknown) => void }; job.done(await job.fn()); } }
void workerLoop();
const submit = (fn: () => Promise<unknown>) => new Promise((done) => jobs.put({ fn, done }));
`;

/** An express-style chain: `compose(stack)` returns a dispatcher that calls each middleware with `next`. */
const COMPOSE = `class Res extends EventEmitter {
  statusCode = 200;
  end() { this.emit("finish"); }
}
const metrics = (req: { tag: string }, res: Res, next: () => unknown) => {
  res.on("finish", %CALLBACK%);
  return next();
};
const route = async (req: { tag: string }, res: Res) => res.statusCode;
function compose(stack: ((req: { tag: string }, res: Res, next: () => unknown) => unknown)[]) {
  return (req: { tag: string }, res: Res) => {
    const dispatch = (i: number): unknown => (i < stack.length ? stack[i](req, res, () => dispatch(i + 1)) : undefined);
    return dispatch(0);
  };
}
`;

const PARKED = `const pending = new Map<string, (() => unknown)[]>();
function park(id: string, jobs: (() => unknown)[]) {
  const list = pending.get(id) ?? [];
  list.push(...jobs);
  pending.set(id, list);
}
async function drain() {
  for (const [id, jobs] of pending) {
    for (const job of jobs) await job();
    pending.delete(id);
  }
}
`;
const KEPT_RUN = (drain: string) => `import { getCurrentRunTree, withRunTree } from "langsmith/traceable";
const jobs: { run: (...args: any[]) => unknown; payload: string; owner: unknown }[] = [];
function submit(run: (...args: any[]) => unknown, payload: string) {
  const owner = getCurrentRunTree(true);
  jobs.push({ run, payload, owner });
}
setInterval(() => { for (const job of jobs.splice(0)) ${drain}; }, 10);
`;
const INBOX = (event: string) => `import { on } from "node:events";
const inbox = new EventEmitter();
(async () => {
  for await (const [entry, done] of on(inbox, "${event}")) await done(entry);
})();
`;
const ALARMS = (body: string) => `${H}import { AsyncLocalStorage } from "node:async_hooks";
const armed: { limit: number; onTrip?: (c: number) => unknown }[] = [];
function makeAlarm(limit: number) { return { limit } as { limit: number; onTrip?: (c: number) => unknown }; }
function sweep() { for (const a of armed.splice(0)) a.onTrip?.(30); }
setInterval(sweep, 5).unref();
export const parent = traceable(async (tank: string) => {
  const alarm = makeAlarm(25);
  const trip = (c: number) => child(tank + c);
${body}
});`;
const HANDLERS = (body: string) => `${H}import { AsyncLocalStorage } from "node:async_hooks";
const scanner = new EventTarget();
setInterval(() => scanner.dispatchEvent(new Event("scan")), 10).unref();
const handlers = { scanned: (e: Event) => child(e.type) };
export const open = traceable(async () => {
${body}
  scanner.addEventListener("scan", handlers.scanned);
});`;
const valid: ValidTestCase<Options>[] = [
  { name: "a handler property rewrapped through a snapshot the trace takes, just before it is added as a listener", code: HANDLERS("  const inTrace = AsyncLocalStorage.snapshot();\n  const scanned = handlers.scanned;\n  handlers.scanned = (e: Event) => inTrace(scanned, e);") },
  { name: "a handler property replaced by one that does no traced work, just before it is added as a listener", code: HANDLERS("  handlers.scanned = (e: Event) => console.log(e.type);") },
  { name: "a callback field run through a snapshot taken in the trace, the object pushed onto a module-level array", code: ALARMS("  const inTrace = AsyncLocalStorage.snapshot();\n  alarm.onTrip = (c: number) => inTrace(trip, c);\n  armed.push(alarm);") },
  { name: "a callback field of an object a function made, run by the trace itself before it ends", code: ALARMS("  alarm.onTrip = trip;\n  alarm.onTrip(31);\n  return alarm.limit;") },
  { name: "a callback field of an object a function made, the object kept in a local array the trace drains", code: ALARMS("  const mine = [];\n  alarm.onTrip = trip;\n  mine.push(alarm);\n  for (const a of mine) a.onTrip?.(31);") },
  {
    name: "an emitted callback whose for-await consumer (events.on) listens to another event, and one for a plain listener",
    code: `${H}${INBOX("other")}inbox.on("feedback", (entry: unknown, done: (x: unknown) => unknown) => done(entry));
export const parent = traceable(async (entry: string) => inbox.emit("feedback", entry, (x: unknown) => child(x)));`,
  },
  ...[
    ["handed back as the traceable's first argument", "job.run(job.owner, job.payload)"],
    ["re-entered with withRunTree", "withRunTree(job.owner, () => job.run(job.payload))"],
  ].map(([form, drain]) => ({
    name: `a task kept with the run tree current when it was submitted, ${form} by the tick that runs it`,
    code: `${H}${KEPT_RUN(drain)}export const parent = traceable(async (p: string) => submit(() => child(p), p));`,
  })),
  {
    name: "callbacks spread into a map's bucket, drained by the scope itself (for over the map's lists)",
    code: `${H}${PARKED}export const parent = traceable(async (id: string, parts: string[]) => {
  park(id, parts.map((part) => () => child(part)));
  await drain();
});`,
  },
  {
    name: "a helper that destructures its options and stores only a plain value; the callback it calls at once",
    code: `${H}const jobs: { name: string; label: string }[] = [];
setInterval(() => { jobs.splice(0); }, 10);
function log(name: string, { label, onDone }: { label: string; onDone: () => unknown }) {
  jobs.push({ name, label });
  return onDone();
}
export const parent = traceable(async () => log("x", { label: "y", onDone: () => child(1) }));`,
  },
  {
    name: "an abort listener calling a private method, on a controller the traceable creates and aborts itself",
    code: `${H}export class Sessions {
  open = traceable(async (id: string) => {
    const controller = new AbortController();
    controller.signal.addEventListener("abort", () => this.#close(id), { once: true });
    controller.abort();
    return id;
  });
  #close(id: string) {
    return child(id);
  }
}`,
  },
  {
    name: "a private method that does no traced work, registered on a module-level signal",
    code: `${H}const controller = new AbortController();
export class Sessions {
  open = traceable(async (id: string) => {
    controller.signal.addEventListener("abort", () => this.#close(id), { once: true });
    return child(id);
  });
  #close(id: string) {
    return id.length;
  }
}`,
  },
  {
    name: "a job record carrying AsyncLocalStorage.snapshot() through a local, stored by a runner drained at load",
    code: `${H}${RUNNER("const restore = AsyncLocalStorage.snapshot();\n      ", "{ restore, fn, resolve }")}export const parent = traceable(async () => runner.submit(() => child(1)));`,
  },
  {
    name: "a job record carrying AsyncLocalStorage.snapshot() inline, or an AsyncResource made through a local",
    code: `${H}${RUNNER("const resource = new AsyncResource(\"job\");\n      ", "{ fn, resolve, resource, restore: AsyncLocalStorage.snapshot() }")}export const parent = traceable(async () => runner.submit(() => child(1)));`,
  },
  {
    name: "a middleware reached through a composed dispatcher listens on a response the trace creates and ends",
    code: `${H}${COMPOSE.replace("%CALLBACK%", "() => child(req.tag)")}export const handle = traceable(async (req: { tag: string }) => {
  const res = new Res();
  await compose([metrics, route])(req, res);
  res.end();
});`,
  },
  {
    name: "a composed middleware chain run outside any trace",
    code: `${H}${COMPOSE.replace("%CALLBACK%", "() => child(req.tag)")}export async function serve(req: { tag: string }) {
  const res = new Res();
  await compose([metrics, route])(req, res);
  res.end();
}`,
  },
  {
    name: "a partial application made at module level and submitted point-free outside any trace",
    code: `${H}${CHANNEL}const warm = child.bind(null, "warm");
void Promise.all([warm].map(submit));
export const parent = traceable(async () => child(1));`,
  },
  {
    name: "a channel a module-level factory makes for each trace, drained by workers the trace starts, its put handed point-free",
    code: `${H}function createChannel() {
  const buffer: (() => Promise<unknown>)[] = [];
  return {
    put(task: () => Promise<unknown>) { buffer.push(task); },
    async drain() { while (buffer.length) await buffer.shift()!(); },
  };
}
export const parent = traceable(async (pages: number[]) => {
  const channel = createChannel();
  pages.map((page) => child.bind(null, page)).forEach(channel.put);
  await channel.drain();
});`,
  },
  {
    name: "a channel the trace makes and drains itself, its put handed point-free",
    code: `${H}export const parent = traceable(async (pages: number[]) => {
  ${CHANNEL.replace(/\n/g, "\n  ")}const work = pages.map((page) => child.bind(null, page));
  return Promise.all(work.map(submit));
});`,
  },
  {
    name: "a point-free map whose function hands nothing over (it runs each task at once, or reads its name)",
    code: `${H}${CHANNEL}const runNow = (fn: () => Promise<unknown>) => fn();
const describe = (fn: () => unknown) => fn.name;
export const parent = traceable(async (pages: number[]) => {
  const work = pages.map((page) => child.bind(null, page));
  work.map(describe);
  return Promise.all(work.map(runNow));
});`,
  },
  {
    name: "bound traceables submitted point-free, each already bound to the trace",
    code: `${H}import { AsyncLocalStorage } from "node:async_hooks";
${CHANNEL}export const parent = traceable(async (pages: number[]) => {
  const work = pages.map((page) => AsyncLocalStorage.bind(child.bind(null, page)));
  return Promise.all(work.map(submit));
});`,
  },

  {
    name: "a module-level emitter reached through a getter to listen, and by name to emit, inside the parent",
    code: `${H}const progress = new EventEmitter();
function getProgress() { return progress; }
export const parent = traceable(async () => {
  getProgress().once("done", (m) => child(m));
  progress.emit("done", 1);
});`,
  },
  {
    name: "a subscription service the traced function makes itself with the factory",
    code: `${H}function createFeed() {
  const subscribers = new Set<(q: number) => unknown>();
  setInterval(() => { for (const sub of subscribers) sub(1); }, 10).unref();
  return { subscribe(fn: (q: number) => unknown) { subscribers.add(fn); } };
}
export const watch = traceable(async () => {
  const feed = createFeed();
  feed.subscribe((q) => child(q));
});`,
  },
  {
    name: "a helper called by the scope creates a listener on an emitter it makes itself and emits on it",
    code: `${H}function once(tag: string) {
  const local = new EventEmitter();
  local.on(tag, (m) => child(m));
  local.emit(tag, 1);
}
export const parent = traceable(async () => {
  once("tick");
});`,
  },
  {
    name: "a helper called by the scope registers its listener on an emitter the scope creates",
    code: `${H}function watch(target: EventEmitter) {
  target.on("tick", (m) => child(m));
}
export const parent = traceable(async () => {
  const own = new EventEmitter();
  watch(own);
  setTimeout(() => own.emit("tick", 1), 5);
});`,
  },
  {
    name: "a helper called only outside any trace registers a listener on a module-level emitter",
    code: `${H}const bus = new EventEmitter();
function watch() {
  bus.on("tick", (m) => child(m));
}
watch();
export const parent = traceable(async () => bus.emit("tick", 1));`,
  },
  {
    name: "a semaphore created inside the parent queues its closures on its own waiting list",
    code: `${H}${SEMAPHORE}export const parent = traceable(async (items: string[]) => {
  const gpu = new Semaphore();
  return Promise.all(items.map((item) => gpu.run(() => child(item))));
});`,
  },
  {
    name: "a helper whose closure hands the callback to a then and runs at once (nothing stored)",
    code: `${H}const settle = (fn: () => Promise<unknown>) => {
  const start = () => Promise.resolve().then(fn);
  return start();
};
export const parent = traceable(async () => settle(() => child(1)));`,
  },
  {
    name: "listener and emit() both inside the parent",
    code: `${H}const bus = new EventEmitter();
export const parent = traceable(async () => {
  bus.once("done", (m) => child(m));
  bus.emit("done", 1);
});`,
  },
  {
    name: "emitter created inside the parent",
    code: `${H}export const parent = traceable(async () => {
  const local = new EventEmitter();
  local.on("x", (m) => child(m));
  setTimeout(() => local.emit("x", 1), 5);
});`,
  },
  {
    name: "a socket an outer variable holds, connected by the parent just before it listens (nothing awaited between)",
    code: SOCKET_HOLDER(""),
  },
  {
    name: "EventEmitterAsyncResource created inside the parent",
    code: `import { traceable } from "langsmith/traceable";
import { EventEmitterAsyncResource } from "node:events";
const child = traceable(async (x: unknown) => x, { name: "child" });
export const parent = traceable(async () => {
  const ee = new EventEmitterAsyncResource({ name: "work" });
  ee.on("x", (m) => child(m));
  return ee;
});`,
  },
  {
    name: "timers, nextTick and queueMicrotask scheduled inside the parent (fire-and-forget too)",
    code: `${H}export const parent = traceable(async () => {
  setTimeout(() => child(1), 10);
  setInterval(() => child(2), 10);
  setImmediate(() => child(3));
  process.nextTick(() => child(4));
  queueMicrotask(() => child(5));
});`,
  },
  {
    name: "Readable created and read inside the parent",
    code: `${H}import { Readable } from "node:stream";
export const parent = traceable(async () => {
  const stream = Readable.from(["a", "b"]);
  stream.on("data", (chunk) => child(chunk));
});`,
  },
  {
    name: "pipes into a sink doing traced work from streams made or fed inside the parent",
    code: `${H}import { PassThrough, Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
const feed = new PassThrough();
const sinkFor = (out: unknown[]) => new Writable({ write(chunk, _e, done) { child(chunk).then((r) => (out.push(r), done())); } });
class Shorten extends Transform {
  _transform(chunk: unknown, _e: string, done: (e?: Error | null, c?: unknown) => void) { child(chunk).then((c) => done(null, c)); }
}
export const fromItems = traceable(async (items: string[]) => {
  const out: unknown[] = [];
  await pipeline(Readable.from(items), new Shorten(), sinkFor(out));
  Readable.from(items).pipe(new Shorten()).pipe(sinkFor(out));
  return out;
});
export const fedHere = traceable(async (items: string[]) => {
  const out: unknown[] = [];
  feed.pipe(sinkFor(out));
  for (const item of items) feed.write(item);
  feed.end();
  return out;
});
export const plain = traceable(async () => {
  feed.pipe(new Writable({ write(_c, _e, done) { done(); } }));
});`,
  },
  {
    name: "MessageChannel created inside the parent",
    code: `${H}export const parent = traceable(async () => {
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = (e) => child(e.data);
  port1.addEventListener("message", (e) => child(e.data));
  port2.postMessage(1);
});`,
  },
  {
    name: "a MessageChannel made inside the parent, taken apart into outer variables just before it listens",
    code: `${H}import { MessageChannel } from "node:worker_threads";
let inbox: MessagePort | undefined, outbox: MessagePort | undefined;
export const parent = traceable(async () => {
  ({ port1: inbox, port2: outbox } = new MessageChannel());
  inbox.on("message", (m) => child(m));
});
export function feed(m: unknown) { outbox?.postMessage(m); }`,
  },
  {
    name: "Node core callbacks",
    code: `${H}import { readFile } from "node:fs";
export const parent = traceable(async (p: string) => {
  readFile(p, "utf8", (err, text) => child(text));
});`,
  },
  {
    name: "EventTarget listener and dispatchEvent both inside the parent",
    code: `${H}const target = new EventTarget();
export const parent = traceable(async () => {
  target.addEventListener("tick", () => child("tick"));
  target.dispatchEvent(new Event("tick"));
});`,
  },
  {
    name: "a traceable stored in a registry nests under whoever calls it later",
    code: `${H}const registry = new Map<string, (x: unknown) => Promise<unknown>>();
export const setup = traceable(async () => {
  registry.set("search", traceable(async (q: unknown) => child(q), { name: "search" }));
  registry.set("child", child);
  registry.set("bound", child.bind(null));
});`,
  },
  {
    name: "a listener that does no traced work",
    code: `${H}const bus = new EventEmitter();
export const parent = traceable(async () => {
  bus.on("log", (m) => console.log(m));
});`,
  },
  {
    name: "already bound",
    code: `${H}import { AsyncLocalStorage } from "node:async_hooks";
const bus = new EventEmitter();
export const parent = traceable(async () => {
  bus.on("msg", AsyncLocalStorage.bind((m) => child(m)));
});`,
  },
  {
    name: "withRunTree pins the parent inside the listener",
    code: `${H}import { getCurrentRunTree, withRunTree } from "langsmith/traceable";
const bus = new EventEmitter();
export const parent = traceable(async () => {
  const rt = getCurrentRunTree();
  bus.on("msg", (m) => withRunTree(rt, () => child(m)));
});`,
  },
  {
    name: "explicit run tree passed to the child",
    code: `${H}import { getCurrentRunTree } from "langsmith/traceable";
const bus = new EventEmitter();
export const parent = traceable(async () => {
  const runTree = getCurrentRunTree();
  bus.on("msg", (m) => child(runTree, m));
});`,
  },
  {
    name: "outside any traced scope",
    code: `${H}const bus = new EventEmitter();
bus.on("msg", (m) => child(m));`,
  },
  {
    name: "no AsyncLocalStorage in this file: binding cannot help",
    code: `${H}import { StateGraph } from "@langchain/langgraph/web";
const bus = new EventEmitter();
export const parent = traceable(async () => {
  bus.on("msg", (m) => child(m));
});`,
    settings: { "trace-nesting": { runtime: "auto" } },
  },
  {
    name: "storing results, not callbacks",
    code: `${H}const results: unknown[] = [];
export const parent = traceable(async () => {
  results.push(await child(1));
});`,
  },
  {
    name: "array owned by the parent and drained there",
    code: `${H}export const parent = traceable(async () => {
  const tasks: (() => Promise<unknown>)[] = [];
  tasks.push(() => child(1));
  await Promise.all(tasks.map((t) => t()));
});`,
  },
  {
    name: "then() on a native promise",
    code: `${H}export const parent = traceable(async () => {
  await child(1).then((v) => child(v));
  await Promise.resolve(1).then((v) => child(v));
});`,
  },
  {
    name: "a class instance created inside the scope keeps the callback in its own field (its timer starts there too)",
    code: `${H}class Scheduler {
  queue: (() => unknown)[] = [];
  handle = setInterval(() => this.tick(), 10);
  schedule(fn: () => unknown) { this.queue.push(fn); }
  tick() { for (const fn of this.queue.splice(0)) fn(); }
  stop() { clearInterval(this.handle); }
}
export const parent = traceable(async (n: number) => {
  const scheduler = new Scheduler();
  for (let i = 0; i < n; i++) scheduler.schedule(() => child(i));
  await new Promise((r) => setTimeout(r, 40));
  scheduler.stop();
});`,
  },
  {
    name: "a work list made by a local factory inside the scope keeps the callback in the factory's variable",
    code: `${H}function createWorkList() {
  const backlog: (() => Promise<unknown>)[] = [];
  return {
    schedule(task: () => Promise<unknown>) { backlog.push(task); },
    async drain() { const out = []; while (backlog.length) out.push(await backlog.shift()!()); return out; },
  };
}
export const parent = traceable(async (id: string) => {
  const work = createWorkList();
  work.schedule(() => child(id));
  return work.drain();
});`,
  },
  {
    name: "listener registered and the event emitted through in-file helpers, both inside the parent",
    code: `${H}export const events = new EventEmitter();
function subscribe(bus: EventEmitter, name: string, cb: (x: unknown) => unknown) { bus.once(name, cb); }
function announce(bus: EventEmitter, name: string, payload: unknown) { bus.emit(name, payload); }
export const parent = traceable(async (goal: string) => {
  subscribe(events, "planned", (draft) => child(draft));
  await new Promise((r) => setTimeout(r, 10));
  announce(events, "planned", goal);
});`,
  },
];

/**
 * An invalid case whose fix binds one callback: `body` holds it as %CALLBACK%, after `header` (imports first); the
 * fix adds the AsyncLocalStorage import after the header's last import.
 */
function boundCase(name: string, body: string, callback: string, errors: InvalidTestCase<string, Options>["errors"], header = H, filename?: string): InvalidTestCase<string, Options> {
  return { name, ...(filename ? { filename } : {}), code: `${header}${body.replace("%CALLBACK%", callback)}`, output: `${withAlsImport(header)}${body.replace("%CALLBACK%", `AsyncLocalStorage.bind(${callback})`)}`, errors };
}

const invalid: InvalidTestCase<string, Options>[] = [
  boundCase(
    "a callback emitted on a bus that a for-await loop over events.on, started at load, consumes",
    `export const parent = traceable(async (entry: string) => inbox.emit("feedback", entry, %CALLBACK%));`,
    `(x: unknown) => child(x)`,
    [{ messageId: "stored", data: { method: "emit", scope: "traceable", receiver: "inbox", via: "" } }],
    `${H}${INBOX("feedback")}`,
  ),
  {
    // Also reported in `submit` itself, a scope that reads the run tree: its shorthand property is written out.
    name: "a task kept with the run tree current when it was submitted, which the tick never hands over",
    code: `${H}${KEPT_RUN("job.run(job.payload)")}export const parent = traceable(async (p: string) => submit(() => child(p), p));`,
    output: `${withAlsImport(`${H}${KEPT_RUN("job.run(job.payload)")}`.replace(/\n$/, "")).replace("jobs.push({ run, payload, owner })", "jobs.push({ run: AsyncLocalStorage.bind(run), payload, owner })")}\nexport const parent = traceable(async (p: string) => submit(() => child(p), p));`,
    errors: [
      { messageId: "stored", data: { method: "push", scope: "function reading getCurrentRunTree()", receiver: "jobs", via: "" } },
      { messageId: "stored", data: { method: "push", scope: "traceable", receiver: "jobs", via: " (through `submit()`)" } },
    ],
  },
  boundCase(
    "callbacks spread into a map's bucket (get ?? [], push(...jobs), set) and drained by a timer started at load",
    `${PARKED}setInterval(drain, 10);
export const parent = traceable(async (id: string, parts: string[]) => park(id, parts.map((part) => %CALLBACK%)));`,
    `() => child(part)`,
    [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "pending", via: " (through `park()`)" } }],
  ),
  boundCase(
    "a callback in an options object a helper destructures ({ times, run }) and stores for a tick started at load",
    `const jobs: { name: string; run: () => unknown }[] = [];
setInterval(() => { for (const job of jobs.splice(0)) job.run(); }, 10);
function every(name: string, { times, run }: { times: number; run: () => unknown }) {
  jobs.push({ name, run });
  return times;
}
export const parent = traceable(async (team: string) => every(team, { times: 2, run: %CALLBACK% }));`,
    `() => child(1)`,
    [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "jobs", via: " (through `every()`)" } }],
  ),
  boundCase(
    "an abort listener on a module-level controller's signal calling a private method of the class whose field is the traceable",
    `const controller = new AbortController();
export class Sessions {
  open = traceable(async (id: string) => {
    controller.signal.addEventListener("abort", %CALLBACK%, { once: true });
    return id;
  });
  #close(id: string) {
    return child(id);
  }
}
export function shutdown() { controller.abort(); }`,
    `() => this.#close(id)`,
    [{ messageId: "handler", data: { method: "addEventListener", scope: "traceable", receiver: "controller.signal", via: "" } }],
  ),
  {
    name: "the same runner storing a job record without the means to restore its context",
    code: `${H}${RUNNER("", "{ fn, resolve }")}export const parent = traceable(async () => runner.submit(() => child(1)));`,
    output: `${H}${RUNNER("", "{ fn, resolve }")}export const parent = traceable(async () => runner.submit(AsyncLocalStorage.bind(() => child(1))));`,
    errors: [{ messageId: "stored" }],
  },
  boundCase(
    "a middleware reached through the dispatcher compose() returns (three calls deep) listens on the response the caller passes and ends later",
    `${COMPOSE}export const handle = traceable(async (req: { tag: string }, res: Res) => compose([metrics, route])(req, res));
export async function serve(req: { tag: string }) {
  const res = new Res();
  await handle(req, res);
  res.end();
}`,
    `() => child(req.tag)`,
    [{ messageId: "listener", data: { method: "on", scope: "traceable", receiver: "res", via: " (in \`metrics()\`)" } }],
  ),
  boundCase(
    "bound traceables made by a map and submitted point-free (work.map(submit)) to a channel drained by loops started at load",
    `${CHANNEL}export const parent = traceable(async (req: string, pages: number[]) => {
  const work = pages.map((page) => %CALLBACK%);
  return Promise.all(work.map(submit));
});`,
    `child.bind(null, { req, page })`,
    [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "buffer", via: " (through `submit()`)" } }],
  ),
  boundCase(
    "closures made by a map and handed point-free to a submit helper",
    `${CHANNEL}export const parent = traceable(async (pages: number[]) => {
  const work = pages.map((page) => %CALLBACK%);
  return Promise.all(work.map(submit));
});`,
    `() => child(page)`,
    [{ messageId: "stored" }],
  ),
  boundCase(
    "bound traceables handed to a helper that submits each element of its array (jobs.map((job) => submit(job)))",
    `${CHANNEL}function runAll(list: (() => Promise<unknown>)[]) { return Promise.all(list.map((job) => submit(job))); }
export const parent = traceable(async (pages: number[]) => {
  const work = pages.map((page) => %CALLBACK%);
  return runAll(work);
});`,
    `child.bind(null, page)`,
    [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "buffer", via: " (through `runAll()`)" } }],
  ),
  boundCase(
    "bound traceables handed to a helper that submits them in a for...of",
    `${CHANNEL}function runAll(list: (() => Promise<unknown>)[]) { const out = []; for (const job of list) out.push(submit(job)); return Promise.all(out); }
export const parent = traceable(async (pages: number[]) => runAll(pages.map((page) => %CALLBACK%)));`,
    `child.bind(null, page)`,
    [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "buffer", via: " (through `runAll()`)" } }],
  ),
  boundCase(
    "bound traceables handed to a helper that submits them point-free (list.map(submit))",
    `${CHANNEL}function runEach(list: (() => Promise<unknown>)[]) { return Promise.all(list.map(submit)); }
export const parent = traceable(async (pages: number[]) => runEach(pages.map((page) => %CALLBACK%)));`,
    `child.bind(null, page)`,
    [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "buffer", via: " (through `runEach()`)" } }],
  ),
  {
    name: "tasks made by an in-file helper outside the scope (a partial application per page) and handed to a helper that submits each",
    code: `${H}${CHANNEL}const makeJobs = (req: string, pages: number[]) => pages.map((page) => child.bind(null, { req, page }));
function runAll(list: (() => Promise<unknown>)[]) { return Promise.all(list.map((job) => submit(job))); }
export const parent = traceable(async (req: string, pages: number[]) => runAll(makeJobs(req, pages)));`,
    output: `${withAlsImport(H)}${CHANNEL}const makeJobs = (req: string, pages: number[]) => pages.map((page) => child.bind(null, { req, page }));
function runAll(list: (() => Promise<unknown>)[]) { return Promise.all(list.map((job) => submit(job))); }
export const parent = traceable(async (req: string, pages: number[]) => runAll(makeJobs(req, pages).map((task) => AsyncLocalStorage.bind(task))));`,
    errors: [{ messageId: "storedEach", data: { method: "push", scope: "traceable", receiver: "buffer", via: " (through `runAll()`)" } }],
  },
  boundCase(
    "a hook registry object literal whose method stores the callback under this (this.table.get(name).push)",
    `const hooks = {
  table: new Map<string, ((x: unknown) => unknown)[]>(),
  register(name: string, fn: (x: unknown) => unknown) {
    if (!this.table.has(name)) this.table.set(name, []);
    this.table.get(name)!.push(fn);
  },
  run(name: string, x: unknown) { for (const fn of this.table.get(name) ?? []) fn(x); },
};
setTimeout(() => hooks.run("after", 1), 50);
export const parent = traceable(async () => {
  hooks.register("after", %CALLBACK%);
});`,
    `async (res) => { await child(res); }`,
    [{ messageId: "stored" }],
  ),
  boundCase(
    "a semaphore whose run(fn) queues a closure that hands fn to a then (the waiting list of a module-level instance)",
    `${SEMAPHORE}const gpu = new Semaphore();
export const parent = traceable(async (items: string[]) => Promise.all(items.map((item) => gpu.run(%CALLBACK%))));`,
    `() => child(item)`,
    [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "this.waiting", via: " (through \`run()\`)" } }],
  ),
  boundCase(
    "a helper called by the scope creates the callback and registers it on a registry the scope passes in",
    `const hooks = {
  table: new Map<string, ((x: unknown) => unknown)[]>(),
  register(name: string, fn: (x: unknown) => unknown) {
    if (!this.table.has(name)) this.table.set(name, []);
    this.table.get(name)!.push(fn);
  },
};
function installPlugin(registry: typeof hooks) {
  registry.register("after", %CALLBACK%);
}
export const parent = traceable(async () => {
  installPlugin(hooks);
});`,
    `async (res) => { await child(res); }`,
    [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "this.table.get(name)!", via: " (through \`register()\`)" } }],
  ),
  boundCase(
    "a helper called by the scope creates a listener and adds it to a module-level emitter it names itself",
    `const bus = new EventEmitter();
function watch(tag: string) {
  bus.on(tag, %CALLBACK%);
}
setInterval(() => bus.emit("tick", 1), 50);
export const parent = traceable(async () => {
  watch("tick");
});`,
    `(m) => child(m)`,
    [{ messageId: "listener", data: { method: "on", scope: "traceable", receiver: "bus", via: " (in \`watch()\`)" } }],
  ),
  boundCase(
    "a subscription service made by a factory and handed to the traced function by its caller",
    `function createFeed() {
  const subscribers = new Set<(q: number) => unknown>();
  setInterval(() => { for (const sub of subscribers) sub(1); }, 10).unref();
  return { subscribe(fn: (q: number) => unknown) { subscribers.add(fn); } };
}
const watch = traceable(async (feed: ReturnType<typeof createFeed>) => {
  feed.subscribe(%CALLBACK%);
});
export const run = () => watch(createFeed());`,
    `(q) => child(q)`,
    [{ messageId: "stored", data: { method: "add", scope: "traceable", receiver: "subscribers", via: " (through \`subscribe()\`)" } }],
  ),
  boundCase(
    "a micro-batcher whose first add() arms the flush: a traceable bound to this call's arguments is this call's work",
    `function createBatcher() {
  let items: { work: () => unknown }[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = async () => { const batch = items; items = []; timer = null; for (const it of batch) await it.work(); };
  return { add(work: () => unknown) { items.push({ work }); if (!timer) timer = setTimeout(flush, 10); } };
}
const batcher = createBatcher();
export const parent = traceable(async (n: number) => batcher.add(%CALLBACK%));`,
    `child.bind(null, n)`,
    [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "items", via: " (through \`add()\`)" } }],
  ),
  boundCase(
    "a retry helper whose later attempts are closures handed to a module-level scheduler (the attempt called through another closure)",
    `const due: { at: number; run: () => void }[] = [];
setInterval(() => { for (const task of due.splice(0)) task.run(); }, 10).unref();
function withRetry(attempt: (n: number) => Promise<unknown>) {
  return new Promise((resolve, reject) => {
    const tryOnce = (n: number) => {
      attempt(n).then(resolve, (err) => (n >= 3 ? reject(err) : due.push({ at: Date.now() + 10, run: () => tryOnce(n + 1) })));
    };
    tryOnce(0);
  });
}
export const parent = traceable(async () => withRetry(%CALLBACK%));`,
    `(n) => child(n)`,
    [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "due", via: " (through \`withRetry()\`)" } }],
  ),
  boundCase(
    "a constructor function whose prototype method pushes onto this.callbacks",
    `function Dispatcher() { this.callbacks = []; }
Dispatcher.prototype.register = function (fn) { this.callbacks.push(fn); };
const dispatcher = new Dispatcher();
setInterval(() => { for (const cb of dispatcher.callbacks.splice(0)) cb(); }, 20).unref();
export const parent = traceable(async (orderId) => {
  dispatcher.register(%CALLBACK%);
});`,
    `() => child(orderId)`,
    [{ messageId: "stored" }],
    `import { traceable } from "langsmith/traceable";\nconst child = traceable(async (x) => x, { name: "child" });\n`,
    "dispatcher.js",
  ),

  boundCase("a class method that stores the callback by index assignment (this.callbacks[this.callbacks.length] = fn)", `class Registry {
  callbacks: (() => unknown)[] = [];
  register(fn: () => unknown) { this.callbacks[this.callbacks.length] = fn; }
}
const registry = new Registry();
setInterval(() => { for (const cb of registry.callbacks.splice(0)) cb(); }, 20).unref();
export const parent = traceable(async (orderId: string) => {
  registry.register(%CALLBACK%));
});`, `() => child(orderId`, [{ messageId: "stored" }]),
  boundCase("a closure kept in a module-level variable that a module-level timer copies and calls", `let pendingFlush: (() => unknown) | null = null;
setInterval(function beat() {
  if (pendingFlush) { const f = pendingFlush; pendingFlush = null; f(); }
}, 20).unref();
export const parent = traceable(async (rows: number[]) => {
  pendingFlush = %CALLBACK%);
});`, `() => child(rows`, [{ messageId: "assigned" }]),
  boundCase("a field of a module-level instance, read into a local and called by the instance's own timer", `class Poller {
  onResult: ((r: unknown) => unknown) | undefined;
  handle = setInterval(() => this.poll(), 20);
  poll() { const cb = this.onResult; if (cb) { this.onResult = undefined; cb({ status: "ready" }); } }
}
const statusPoller = new Poller();
export const parent = traceable(async () => {
  statusPoller.onResult = %CALLBACK%);
});`, `(res) => child(res`, [{ messageId: "assigned" }]),
  boundCase("a job object built in a local, then pushed onto a module-level array", `const jobs: { id: string; run: () => unknown }[] = [];
setInterval(() => { const job = jobs.shift(); job?.run(); }, 5).unref();
export const parent = traceable(async (orderId: string) => {
  const job = { id: orderId, run: %CALLBACK%) };
  jobs.push(job);
});`, `() => child(orderId`, [{ messageId: "stored" }]),
  boundCase("a callback written to a field of an object a function made, then the object pushed onto a module-level array", `const armed: { limit: number; onTrip?: (c: number) => unknown }[] = [];
function makeAlarm(limit: number) { return { limit, onTrip: undefined as undefined | ((c: number) => unknown) }; }
setInterval(() => { for (const a of armed.splice(0)) a.onTrip?.(30); }, 5).unref();
export const parent = traceable(async (tank: string) => {
  const alarm = makeAlarm(25);
  const trip = (c: number) => child(tank + c);
  alarm.onTrip = %CALLBACK%;
  armed.push(alarm);
});`, `trip`, [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "armed", via: "" } }]),
  boundCase("a callback written to a field of an object a function made, the object handed to a helper that stores it", `const armed: { limit: number; onTrip?: (c: number) => unknown }[] = [];
function makeAlarm(limit: number) { return { limit } as { limit: number; onTrip?: (c: number) => unknown }; }
function arm(alarm: { limit: number }) { armed.push(alarm); }
setInterval(() => { for (const a of armed.splice(0)) a.onTrip?.(30); }, 5).unref();
export const parent = traceable(async (tank: string) => {
  const alarm = makeAlarm(25);
  alarm.onTrip = %CALLBACK%);
  arm(alarm);
});`, `(c: number) => child(tank + c`, [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "armed", via: " (through `arm()`)" } }]),
  {
    name: "a handler property replaced by another traced one just before it is added as a listener: bound where written",
    code: HANDLERS("  handlers.scanned = (e: Event) => child(e.timeStamp);"),
    output: HANDLERS("  handlers.scanned = AsyncLocalStorage.bind((e: Event) => child(e.timeStamp));"),
    errors: [{ messageId: "handler" }],
  },
  boundCase("a class instance created at module level whose method stores the callback", `class Scheduler {
  queue: (() => unknown)[] = [];
  schedule(fn: () => unknown) { this.queue.push(fn); }
}
const scheduler = new Scheduler();
setInterval(() => { for (const fn of scheduler.queue.splice(0)) fn(); }, 10).unref();
export const parent = traceable(async () => {
  scheduler.schedule(%CALLBACK%));
});`, `() => child(1`, [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "this.queue", via: " (through \`schedule()\`)" } }]),
  boundCase("module-level emitter: bound, import added after the imports", `const bus = new EventEmitter();
export const parent = traceable(async () => {
  bus.on("msg", %CALLBACK%);
});`, `async (m) => {
    await child(m);
  }`, [{ messageId: "listener", data: { method: "on", scope: "traceable", receiver: "bus" } }]),
  {
    name: "a sink made inside the trace (through a helper) and a transform, piped from a stream fed at load: each callback bound",
    code: `${H}import { PassThrough, Transform, Writable } from "node:stream";
export const tail = new PassThrough();
setInterval(() => tail.write("line"), 5);
function sinkFor(out: unknown[]) {
  return new Writable({
    write(chunk, _e, done) {
      child(chunk).then((r) => (out.push(r), done()));
    },
  });
}
export const watch = traceable(async () => {
  const out: unknown[] = [];
  const upper = new Transform({ transform: (c, _e, done) => void child(c).then((u) => done(null, u)) });
  tail.pipe(upper).pipe(sinkFor(out));
  return out;
});`,
    output: [
      `${H}import { PassThrough, Transform, Writable } from "node:stream";
import { AsyncLocalStorage } from "node:async_hooks";
export const tail = new PassThrough();
setInterval(() => tail.write("line"), 5);
function sinkFor(out: unknown[]) {
  return new Writable({
    write: AsyncLocalStorage.bind(function (chunk, _e, done) {
      child(chunk).then((r) => (out.push(r), done()));
    }),
  });
}
export const watch = traceable(async () => {
  const out: unknown[] = [];
  const upper = new Transform({ transform: (c, _e, done) => void child(c).then((u) => done(null, u)) });
  tail.pipe(upper).pipe(sinkFor(out));
  return out;
});`,
      `${H}import { PassThrough, Transform, Writable } from "node:stream";
import { AsyncLocalStorage } from "node:async_hooks";
export const tail = new PassThrough();
setInterval(() => tail.write("line"), 5);
function sinkFor(out: unknown[]) {
  return new Writable({
    write: AsyncLocalStorage.bind(function (chunk, _e, done) {
      child(chunk).then((r) => (out.push(r), done()));
    }),
  });
}
export const watch = traceable(async () => {
  const out: unknown[] = [];
  const upper = new Transform({ transform: AsyncLocalStorage.bind((c, _e, done) => void child(c).then((u) => done(null, u))) });
  tail.pipe(upper).pipe(sinkFor(out));
  return out;
});`,
    ],
    errors: [
      { messageId: "stream", data: { callback: "write", via: "", receiver: "tail", method: "pipe", scope: "traceable" } },
      { messageId: "stream", data: { callback: "transform", via: "", receiver: "tail", method: "pipe", scope: "traceable" } },
    ],
  },
  {
    name: "a stream subclass, or a sink made at load, fed by an imported stream through pipeline: reported, not bound",
    code: `${H}import { Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { feed } from "./feed";
class Shorten extends Transform {
  _transform(chunk: unknown, _e: string, done: (e?: Error | null, c?: unknown) => void) {
    child(chunk).then((c) => done(null, c));
  }
}
const audit = new Writable({ write: (c, _e, done) => void child(c).then(() => done()) });
export const run = traceable(async () => {
  await pipeline(feed, new Shorten(), audit);
});`,
    output: null,
    errors: [
      { messageId: "stream", data: { callback: "_transform", via: "", receiver: "feed", method: "pipeline", scope: "traceable" } },
      { messageId: "stream", data: { callback: "write", via: "", receiver: "feed", method: "pipeline", scope: "traceable" } },
    ],
  },
  {
    name: "once / prependListener on a parameter stream; import merged into an existing one",
    code: `import { traceable } from "langsmith/traceable";
import { AsyncResource } from "node:async_hooks";
import type { Readable } from "node:stream";
const child = traceable(async (x: unknown) => x, { name: "child" });
export const consume = traceable(async (stream: Readable) => {
  stream.once("end", () => child("end"));
});
export { AsyncResource };`,
    output: `import { traceable } from "langsmith/traceable";
import { AsyncResource, AsyncLocalStorage } from "node:async_hooks";
import type { Readable } from "node:stream";
const child = traceable(async (x: unknown) => x, { name: "child" });
export const consume = traceable(async (stream: Readable) => {
  stream.once("end", AsyncLocalStorage.bind(() => child("end")));
});
export { AsyncResource };`,
    errors: [{ messageId: "listener" }],
  },
  {
    name: "a type-only import is never merged into; the name is aliased when the type import holds it",
    code: `import { traceable } from "langsmith/traceable";
import type { AsyncLocalStorage } from "node:async_hooks";
import { bus } from "./bus";
const child = traceable(async (x: unknown) => x, { name: "child" });
export type Store = AsyncLocalStorage<unknown>;
export const parent = traceable(async () => {
  bus.prependListener("msg", (m: unknown) => child(m));
});`,
    output: `import { traceable } from "langsmith/traceable";
import type { AsyncLocalStorage } from "node:async_hooks";
import { bus } from "./bus";
import { AsyncLocalStorage as AsyncLocalStorageForTracing } from "node:async_hooks";
const child = traceable(async (x: unknown) => x, { name: "child" });
export type Store = AsyncLocalStorage<unknown>;
export const parent = traceable(async () => {
  bus.prependListener("msg", AsyncLocalStorageForTracing.bind((m: unknown) => child(m)));
});`,
    errors: [{ messageId: "listener" }],
  },
  boundCase("EventTarget created outside: addEventListener", `const target = new EventTarget();
export const parent = traceable(async () => {
  target.addEventListener("tick", %CALLBACK%));
});`, `() => child("tick"`, [{ messageId: "handler" }]),
  boundCase("port created outside: onmessage handler assignment", `const { port1 } = new MessageChannel();
export const parent = traceable(async () => {
  port1.onmessage = %CALLBACK%);
});`, `(e) => child(e.data`, [{ messageId: "handler" }]),
  {
    name: "posting to a worker does not make its replies arrive inside the scope",
    code: `${H}import { Worker } from "node:worker_threads";
const worker = new Worker("./worker.js");
export const parent = traceable(async (job: unknown) => {
  worker.once("message", (reply) => child(reply));
  worker.postMessage(job);
});`,
    output: `${H}import { Worker } from "node:worker_threads";
import { AsyncLocalStorage } from "node:async_hooks";
const worker = new Worker("./worker.js");
export const parent = traceable(async (job: unknown) => {
  worker.once("message", AsyncLocalStorage.bind((reply) => child(reply)));
  worker.postMessage(job);
});`,
    errors: [{ messageId: "listener" }],
  },
  {
    name: "request coalescing: registration and emit on exclusive branches run in different traces",
    code: `${H}const profiles = new EventEmitter();
let inFlight = false;
export const showProfile = traceable(async (id: string) => {
  if (inFlight) {
    profiles.once("loaded", (p) => child(p));
  } else {
    inFlight = true;
    profiles.emit("loaded", await child(id));
    inFlight = false;
  }
});`,
    output: `import { traceable } from "langsmith/traceable";
import { EventEmitter } from "node:events";
import { AsyncLocalStorage } from "node:async_hooks";
const child = traceable(async (x: unknown) => x, { name: "child" });
const profiles = new EventEmitter();
let inFlight = false;
export const showProfile = traceable(async (id: string) => {
  if (inFlight) {
    profiles.once("loaded", AsyncLocalStorage.bind((p) => child(p)));
  } else {
    inFlight = true;
    profiles.emit("loaded", await child(id));
    inFlight = false;
  }
});`,
    errors: [{ messageId: "listener" }],
  },
  boundCase("request coalescing: the registering branch returns before the emit", `const profiles = new EventEmitter();
let loading = false;
export const showProfile = traceable(async (id: string) => {
  if (loading) {
    return new Promise((resolve) => profiles.once("loaded", %CALLBACK%))));
  }
  loading = true;
  const profile = await child(id);
  loading = false;
  profiles.emit("loaded", profile);
  return profile;
});`, `async (p) => resolve(await child(p`, [{ messageId: "listener" }]),
  boundCase("an emit before the registration does not reach the listener", `const bus = new EventEmitter();
export const parent = traceable(async () => {
  bus.emit("ready");
  bus.on("msg", %CALLBACK%));
});`, `(m) => child(m`, [{ messageId: "listener" }]),
  boundCase("an emit of another event does not reach the listener", `const crawler = new EventEmitter();
export const crawl = traceable(async (url: string) => {
  crawler.on("page", %CALLBACK%));
  crawler.emit("start", url);
});`, `(page) => child(page`, [{ messageId: "listener" }]),
  boundCase("the listener is a traceable itself", `const bus = new EventEmitter();
export const parent = traceable(async () => {
  bus.on("msg", %CALLBACK%);
});`, `child`, [{ messageId: "listener" }]),
  {
    name: "listener removed later through the const that holds it: bound where it is declared, so both uses keep one identity",
    code: `${H}const bus = new EventEmitter();
export const parent = traceable(async () => {
  const onMsg = (m: unknown) => child(m);
  bus.on("msg", onMsg);
  return () => bus.off("msg", onMsg);
});`,
    output: `${withAlsImport(H)}const bus = new EventEmitter();
export const parent = traceable(async () => {
  const onMsg = AsyncLocalStorage.bind((m: unknown) => child(m));
  bus.on("msg", onMsg);
  return () => bus.off("msg", onMsg);
});`,
    errors: [{ messageId: "listener" }],
  },
  {
    name: "listener declared at module level, registered in the trace and removed later: identity matters, suggestion only",
    code: `${H}const bus = new EventEmitter();
let current = "";
const onMsg = (m: unknown) => child([current, m]);
export const parent = traceable(async (id: string) => {
  current = id;
  bus.on("msg", onMsg);
  return () => bus.off("msg", onMsg);
});`,
    output: null,
    errors: [
      {
        messageId: "listener",
        suggestions: [
          {
            messageId: "suggestBind",
            output: `${withAlsImport(H)}const bus = new EventEmitter();
let current = "";
const onMsg = (m: unknown) => child([current, m]);
export const parent = traceable(async (id: string) => {
  current = id;
  bus.on("msg", AsyncLocalStorage.bind(onMsg));
  return () => bus.off("msg", onMsg);
});`,
          },
        ],
      },
    ],
  },
  {
    name: "callback pushed into a module-level array drained by a timer started at load",
    code: `${H}const pending: (() => unknown)[] = [];
setInterval(() => pending.splice(0).forEach((cb) => cb()), 50);
export const parent = traceable(async (x: number) => {
  pending.push(() => child(x));
});`,
    output: `import { traceable } from "langsmith/traceable";
import { EventEmitter } from "node:events";
import { AsyncLocalStorage } from "node:async_hooks";
const child = traceable(async (x: unknown) => x, { name: "child" });
const pending: (() => unknown)[] = [];
setInterval(() => pending.splice(0).forEach((cb) => cb()), 50);
export const parent = traceable(async (x: number) => {
  pending.push(AsyncLocalStorage.bind(() => child(x)));
});`,
    errors: [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "pending", via: "" } }],
  },
  boundCase("callback stored on this.handlers (Map.set)", `export class Agent {
  handlers = new Map<string, () => unknown>();
  run = traceable(async (id: string) => {
    this.handlers.set(id, %CALLBACK%));
  });
}`, `() => child(id`, [{ messageId: "stored" }]),
  boundCase("then() on a userland thenable", `class Deferred {
  callbacks: ((v: unknown) => void)[] = [];
  then(cb: (v: unknown) => void) { this.callbacks.push(cb); }
  resolve(v: unknown) { for (const cb of this.callbacks) cb(v); }
}
const ready = new Deferred();
export const parent = traceable(async () => {
  ready.then(%CALLBACK%));
});`, `(v) => child(v`, [{ messageId: "thenable" }]),
  {
    name: "CommonJS, single quotes, no semicolons, bare builtin specifiers",
    filename: "worker.cjs",
    code: `const { traceable } = require('langsmith/traceable')
const { EventEmitter } = require('events')
const bus = new EventEmitter()
const child = traceable(async (x) => x, { name: 'child' })
exports.parent = traceable(async () => {
  bus.on('msg', (m) => child(m))
})`,
    output: `const { traceable } = require('langsmith/traceable')
const { EventEmitter } = require('events')
const { AsyncLocalStorage } = require('async_hooks')
const bus = new EventEmitter()
const child = traceable(async (x) => x, { name: 'child' })
exports.parent = traceable(async () => {
  bus.on('msg', AsyncLocalStorage.bind((m) => child(m)))
})`,
    errors: [{ messageId: "listener" }],
  },
  {
    name: "CommonJS: merged into an existing async_hooks destructuring",
    filename: "worker.cjs",
    code: `const { traceable } = require("langsmith/traceable");
const { AsyncResource } = require("node:async_hooks");
const { bus } = require("./bus");
const child = traceable(async (x) => x, { name: "child" });
exports.parent = traceable(async () => {
  bus.on("msg", (m) => child(m));
});
exports.AsyncResource = AsyncResource;`,
    output: `const { traceable } = require("langsmith/traceable");
const { AsyncResource, AsyncLocalStorage } = require("node:async_hooks");
const { bus } = require("./bus");
const child = traceable(async (x) => x, { name: "child" });
exports.parent = traceable(async () => {
  bus.on("msg", AsyncLocalStorage.bind((m) => child(m)));
});
exports.AsyncResource = AsyncResource;`,
    errors: [{ messageId: "listener" }],
  },
  {
    name: "two listeners: the import is added once (two passes)",
    code: `${H}const bus = new EventEmitter();
export const parent = traceable(async () => {
  bus.on("a", () => child("a"));
  bus.on("b", () => child("b"));
});`,
    output: [
      `import { traceable } from "langsmith/traceable";
import { EventEmitter } from "node:events";
import { AsyncLocalStorage } from "node:async_hooks";
const child = traceable(async (x: unknown) => x, { name: "child" });
const bus = new EventEmitter();
export const parent = traceable(async () => {
  bus.on("a", AsyncLocalStorage.bind(() => child("a")));
  bus.on("b", () => child("b"));
});`,
      `import { traceable } from "langsmith/traceable";
import { EventEmitter } from "node:events";
import { AsyncLocalStorage } from "node:async_hooks";
const child = traceable(async (x: unknown) => x, { name: "child" });
const bus = new EventEmitter();
export const parent = traceable(async () => {
  bus.on("a", AsyncLocalStorage.bind(() => child("a")));
  bus.on("b", AsyncLocalStorage.bind(() => child("b")));
});`,
    ],
    errors: [{ messageId: "listener" }, { messageId: "listener" }],
  },
  {
    name: "traced work through a local helper function, inside a RunnableLambda that returns before the event",
    code: `import { RunnableLambda } from "@langchain/core/runnables";
import { bus } from "./bus";
const summarize = RunnableLambda.from(async (x: string) => x);
async function onDoc(doc: string) {
  await summarize.invoke(doc);
}
export const ingest = RunnableLambda.from(async (_: unknown) => {
  bus.on("doc", onDoc);
});`,
    output: null,
    errors: [{ messageId: "afterRunEnds", data: { method: "on", scope: "RunnableLambda", receiver: "bus" } }],
  },
  {
    name: "a graph node hands a listener to a helper and returns a status: reported without a fix",
    code: `import { StateGraph } from "@langchain/langgraph";
import { tool } from "@langchain/core/tools";
import { approvals } from "./approvals";
const audit = tool(async (x: { id: string }) => x.id, { name: "audit" });
function whenApproved(id: string, cb: (e: { by: string }) => unknown) {
  approvals.once(\`approved:\${id}\`, cb);
}
export const graph = new StateGraph(State).addNode("refund", async (state: { id: string }) => {
  whenApproved(state.id, () => audit.invoke({ id: state.id }));
  return { status: "awaiting_approval" };
});`,
    output: null,
    errors: [{ messageId: "afterRunEnds" }],
  },
  {
    name: "traced work through a local helper function, inside a RunnableLambda that waits for the event",
    code: `import { RunnableLambda } from "@langchain/core/runnables";
import { bus } from "./bus";
const summarize = RunnableLambda.from(async (x: string) => x);
async function onDoc(doc: string) {
  await summarize.invoke(doc);
}
export const ingest = RunnableLambda.from(async (_: unknown) => {
  bus.on("doc", onDoc);
  await bus.drained();
});`,
    output: `import { RunnableLambda } from "@langchain/core/runnables";
import { bus } from "./bus";
import { AsyncLocalStorage } from "node:async_hooks";
const summarize = RunnableLambda.from(async (x: string) => x);
async function onDoc(doc: string) {
  await summarize.invoke(doc);
}
export const ingest = RunnableLambda.from(async (_: unknown) => {
  bus.on("doc", AsyncLocalStorage.bind(onDoc));
  await bus.drained();
});`,
    errors: [{ messageId: "listener", data: { method: "on", scope: "RunnableLambda", receiver: "bus" } }],
  },
];

// Helpers in another module of the project: a call of an imported helper counts as the hand-off the helper makes.
const helpers = projectOnDisk({
  "src/bus.ts": `import { AsyncLocalStorage } from "node:async_hooks";
export function subscribe(target, event, callback) {
  target.once(event, callback);
}
export function runNow(callback) {
  return callback();
}
export function subscribeBound(target, event, callback) {
  target.once(event, AsyncLocalStorage.bind(callback));
}
export function describeTarget(target, callback) {
  return String(target) + callback.name;
}
export function registerOn(target, name, callback) {
  return target.register(name, callback);
}
const pending: Array<() => void> = [];
export function later(callback: () => void) {
  pending.push(callback);
}
setInterval(() => {
  for (const callback of pending.splice(0)) callback();
}, 10);
class Quote {
  #callbacks: ((price: number) => unknown)[] = [];
  constructor(readonly symbol: string) {}
  then(onFulfilled: (price: number) => unknown) {
    this.#callbacks.push(onFulfilled);
    return this;
  }
  settle(price: number) {
    for (const callback of this.#callbacks.splice(0)) callback(price);
  }
}
const waiting: Quote[] = [];
setInterval(() => {
  for (const quote of waiting.splice(0)) quote.settle(100);
}, 10);
export function quote(symbol: string) {
  const q = new Quote(symbol);
  waiting.push(q);
  return q;
}
export async function fetchQuote(symbol: string) {
  return symbol.length;
}
export function readyQuote(symbol: string) {
  return { then: (resolve: (price: number) => unknown) => resolve(symbol.length) };
}
const controller = new AbortController();
export function onShutdown(callback: () => void) {
  controller.signal.addEventListener("abort", callback, { once: true });
}
export function onAbort(signal: AbortSignal, callback: () => void) {
  signal.addEventListener("abort", callback, { once: true });
}
export function shutdown() {
  controller.abort();
}
`,
});
const MAIN = path.join(helpers, "src/main.ts");
const XH = `import { traceable } from "langsmith/traceable";
import { EventEmitter } from "node:events";
import { subscribe, runNow, subscribeBound, describeTarget, later, registerOn, quote, fetchQuote, readyQuote, onShutdown, onAbort } from "./bus";
const child = traceable(async (x: unknown) => x, { name: "child" });
const bus = new EventEmitter();
`;
const XH_FIXED = `import { traceable } from "langsmith/traceable";
import { EventEmitter } from "node:events";
import { subscribe, runNow, subscribeBound, describeTarget, later, registerOn, quote, fetchQuote, readyQuote, onShutdown, onAbort } from "./bus";
import { AsyncLocalStorage } from "node:async_hooks";
const child = traceable(async (x: unknown) => x, { name: "child" });
const bus = new EventEmitter();
`;
const HOOKS = `const hooks = {
  table: new Map<string, ((x: unknown) => unknown)[]>(),
  register(name: string, fn: (x: unknown) => unknown) {
    if (!this.table.has(name)) this.table.set(name, []);
    this.table.get(name)!.push(fn);
  },
};
`;
// A plain emitter the scope makes, listens to and hands back: the caller emits after the scope returned, from its own
// context (fixtures/runtime/bind-detached-callback/emitter-returned).
const STAY = (make: string, back: string) => `${H}${make}export const startStay = traceable(async (member: string) => {
  const stay = ${make ? "openStay(member)" : "new EventEmitter()"};
  stay.on("checkout", (extras: number) => child(extras));
  ${back}
});`;
// An emitter subclass made in the scope and handed to a module-level frontier that emits on it from a timer started
// at load: an EventEmitterAsyncResource subclass runs its listeners where it was made; a plain one does not.
const FRONTIER = (base: string) => `import { traceable } from "langsmith/traceable";
import { ${base} } from "node:events";
const extract = traceable(async (page: string) => page.length, { name: "extract" });
let sink: { emit(event: string, page: string): boolean } | undefined;
const pages: string[] = [];
const frontier = { attach(emitter: { emit(event: string, page: string): boolean }) { sink = emitter; } };
setInterval(() => { const page = pages.shift(); if (page) sink?.emit("page", page); }, 5);
class SiteCrawler extends ${base} {
  constructor(readonly root: string) { super(${base === "EventEmitter" ? "" : '{ name: "crawler" }'}); }
}
export const indexSite = traceable(async (root: string) => {
  const crawler = new SiteCrawler(root);
  crawler.on("page", (page: string) => extract(page));
  frontier.attach(crawler);
  pages.push(root);
});`;
valid.push({ name: "an EventEmitterAsyncResource subclass made in the scope, handed to a frontier that emits from a timer started at load", code: FRONTIER("EventEmitterAsyncResource") });
invalid.push({
  name: "a plain EventEmitter subclass made in the scope, handed to a frontier that emits from a timer started at load",
  code: FRONTIER("EventEmitter"),
  output: withAlsImport(FRONTIER("EventEmitter")).replace('crawler.on("page", (page: string) => extract(page));', 'crawler.on("page", AsyncLocalStorage.bind((page: string) => extract(page)));'),
  errors: [{ messageId: "listener" }],
});
// A helper that pins its callback parameter before it stores it for a pump started at load.
const DISPATCH = (pin: string) => `${H}import { AsyncLocalStorage } from "node:async_hooks";
const pending = new Map<number, (ack: number) => unknown>();
let seq = 0;
function enqueueCommand(onSend: (ack: number) => unknown) {
${pin}  pending.set(++seq, onSend);
  return seq;
}
setInterval(() => { for (const [id, send] of pending) { pending.delete(id); send(id); } }, 20);
export const setThermostat = traceable(async (target: number) => enqueueCommand((ack: number) => child(ack + target)));`;
valid.push({ name: "a helper that pins its callback parameter (onSend = AsyncLocalStorage.bind(onSend)) before storing it", code: DISPATCH("  onSend = AsyncLocalStorage.bind(onSend);\n") });
invalid.push({
  name: "a helper that re-assigns its callback parameter with something that does not pin it before storing it",
  code: DISPATCH("  onSend = onSend.bind(null);\n"),
  output: DISPATCH("  onSend = onSend.bind(null);\n").replace("enqueueCommand((ack: number) => child(ack + target))", "enqueueCommand(AsyncLocalStorage.bind((ack: number) => child(ack + target)))"),
  errors: [{ messageId: "stored" }],
});
// A queue defaulted per call in the scope's own parameters (`writes = new SerialQueue()`).
// Its timer is armed by the first push of a round and runs every item pushed before it fires (with one timer per
// item, each timer would run its own pusher's item: that nests).
const SERIAL = (calls: string) => `${H}class SerialQueue {
  items: (() => unknown)[] = [];
  timer: ReturnType<typeof setTimeout> | undefined;
  push(fn: () => unknown) {
    this.items.push(fn);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      for (const item of this.items.splice(0)) item();
    }, 5);
  }
}
const shared = new SerialQueue();
export const persist = traceable(async (doc: string, chunks: string[], writes = new SerialQueue()) => {
  for (const chunk of chunks) writes.push(() => child(\`\${doc}:\${chunk}\`));
});
${calls}`;
valid.push({ name: "a queue defaulted per call in the scope's parameters, which no call of the file passes", code: SERIAL('export const run = () => persist("a", ["1"]);\n') });
invalid.push({
  name: "a queue defaulted per call in the scope's parameters, which a call of the file passes a shared one to",
  code: SERIAL('export const run = () => persist("a", ["1"], shared);\n'),
  output: SERIAL('export const run = () => persist("a", ["1"], shared);\n').replace("writes.push(() => child(", "writes.push(AsyncLocalStorage.bind(() => child(").replace("chunk}`));", "chunk}`)));").replace('const child = traceable', 'import { AsyncLocalStorage } from "node:async_hooks";\nconst child = traceable'),
  errors: [{ messageId: "stored" }],
});
// An emitter another module exports with a function that emits on it: a scope that has it emit (a call, or a
// timer armed inside) runs the listener in its own context.
// A store of another module whose only drain is an interval a function of that module arms (`startPoller()`).
const pollers = projectOnDisk({
  "src/poller.cjs": `const watchers = [];
let timer = null;
function startPoller(ms = 10) {
  timer = setInterval(() => {
    while (watchers.length) {
      const { check, onStatus } = watchers.shift();
      onStatus({ check, state: "success" });
    }
  }, ms);
}
function watchCheck(check, onStatus) {
  watchers.push({ check, onStatus });
}
function stopPoller() { clearInterval(timer); }
module.exports = { startPoller, watchCheck, stopPoller };
`,
});
const AWAIT_CHECKS = (flow: string) => `const { traceable } = require("langsmith/traceable");
const { startPoller, watchCheck, stopPoller } = require("./poller.cjs");
const recordStatus = traceable(async (s) => s, { name: "recordStatus" });
const awaitChecks = traceable(async (sha, checks) => {
  startPoller();
  const results = await Promise.all(checks.map((check) => new Promise((resolve) => watchCheck(sha + check, (s) => resolve(recordStatus(s))))));
  stopPoller();
  return results;
}, { name: "awaitChecks" });
${flow}`;
valid.push({
  name: "a callback stored in another module's store whose drain the scope starts itself, in a script that runs one trace at a time",
  filename: path.join(pollers, "src/main.cjs"),
  code: AWAIT_CHECKS(`(async () => {\n  await awaitChecks("a1", ["lint"]);\n  await awaitChecks("b2", ["test"]);\n})();`),
});
invalid.push({
  name: "the same, with two traces at once (one trace's interval may run the other's callbacks)",
  filename: path.join(pollers, "src/main.cjs"),
  code: AWAIT_CHECKS(`Promise.all([awaitChecks("a1", ["lint"]), awaitChecks("b2", ["test"])]);`),
  output: AWAIT_CHECKS(`Promise.all([awaitChecks("a1", ["lint"]), awaitChecks("b2", ["test"])]);`).replace('const { startPoller, watchCheck, stopPoller } = require("./poller.cjs");\n', 'const { startPoller, watchCheck, stopPoller } = require("./poller.cjs");\nconst { AsyncLocalStorage } = require("node:async_hooks");\n').replace("watchCheck(sha + check, (s) => resolve(recordStatus(s)))", "watchCheck(sha + check, AsyncLocalStorage.bind((s) => resolve(recordStatus(s))))"),
  errors: [{ messageId: "stored" }],
});

// The same poller written in the file that uses it.
const LOCAL_POLLER = (start: string, flow: string) => `const { traceable } = require("langsmith/traceable");
const watchers = [];
let timer = null;
function startPoller(ms = 10) {
  timer = setInterval(() => {
    while (watchers.length) {
      const { check, onStatus } = watchers.shift();
      onStatus({ check, state: "success" });
    }
  }, ms);
}
function watchCheck(check, onStatus) {
  watchers.push({ check, onStatus });
}
function stopPoller() { clearInterval(timer); }
const recordStatus = traceable(async (s) => s, { name: "recordStatus" });
const awaitChecks = traceable(async (sha, checks) => {
  ${start}
  const results = await Promise.all(checks.map((check) => new Promise((resolve) => watchCheck(sha + check, (s) => resolve(recordStatus(s))))));
  stopPoller();
  return results;
}, { name: "awaitChecks" });
${flow}`;
const LOCAL_POLLER_BOUND = (code: string) =>
  code.replace('const { traceable } = require("langsmith/traceable");\n', 'const { traceable } = require("langsmith/traceable");\nconst { AsyncLocalStorage } = require("node:async_hooks");\n').replace("watchCheck(sha + check, (s) => resolve(recordStatus(s)))", "watchCheck(sha + check, AsyncLocalStorage.bind((s) => resolve(recordStatus(s))))");
valid.push({
  name: "a callback stored in an in-file store whose only drain the scope starts itself, in a script that runs one trace at a time",
  code: LOCAL_POLLER("startPoller();", `(async () => {\n  await awaitChecks("a1", ["lint"]);\n  await awaitChecks("b2", ["test"]);\n})();`),
});
for (const [name, start, flow] of [
  ["the in-file poller started by the scope, with two traces at once", "startPoller();", `Promise.all([awaitChecks("a1", ["lint"]), awaitChecks("b2", ["test"])]);`],
  ["the in-file poller started at load, not by the scope", "", `startPoller();\n(async () => {\n  await awaitChecks("a1", ["lint"]);\n})();`],
  ["the in-file poller started by the scope and also at load", "startPoller();", `startPoller();\n(async () => {\n  await awaitChecks("a1", ["lint"]);\n})();`],
  ["the in-file poller started by a helper outside the scope", "", `function boot() { startPoller(); }\nboot();\n(async () => {\n  await awaitChecks("a1", ["lint"]);\n})();`],
] as const) {
  invalid.push({ name, code: LOCAL_POLLER(start, flow), output: LOCAL_POLLER_BOUND(LOCAL_POLLER(start, flow)), errors: [{ messageId: "stored" }] });
}

// A helper of another file adds a listener to a signal its callers pass; it is a scope because they call it in their
// traces. A signal each caller makes during its trace fires there (`AbortSignal.timeout`); one it takes out of a
// module-level map was made at load, and whoever aborts it later runs the listener.
const ROOM_BOOKING = `const { traceable } = require("langsmith/traceable");
const releaseRoom = traceable(async (room, reason) => ({ room, reason }), { name: "releaseRoom" });
function holdRoom(room, signal) {
  signal.addEventListener("abort", () => releaseRoom(room, String(signal.reason)), { once: true });
  return { room, held: true };
}
module.exports = { holdRoom };
`;
const CHECK_IN = (signal: string, extra = "") => `const { traceable } = require("langsmith/traceable");
const { holdRoom } = require("./roomBooking.cjs");
const controllers = new Map([["V-51", new AbortController()]]);
exports.checkIn = traceable(async ({ visitId, room }) => {
  ${signal}
  return { visitId, ...holdRoom(room, signal) };
}, { name: "checkIn" });
${extra}`;
const ROOM_BOOKING_BOUND = ROOM_BOOKING.replace('const { traceable } = require("langsmith/traceable");\n', 'const { traceable } = require("langsmith/traceable");\nconst { AsyncLocalStorage } = require("node:async_hooks");\n').replace('signal.addEventListener("abort", () => releaseRoom(room, String(signal.reason)), { once: true });', 'signal.addEventListener("abort", AsyncLocalStorage.bind(() => releaseRoom(room, String(signal.reason))), { once: true });');
for (const signal of ["const signal = AbortSignal.timeout(10);", "const { signal } = new AbortController();"]) {
  valid.push({
    name: `a listener another file's traces add to a signal each makes during its trace (${signal})`,
    filename: path.join(projectOnDisk({ "src/roomBooking.cjs": ROOM_BOOKING, "src/main.cjs": CHECK_IN(signal) }), "src/roomBooking.cjs"),
    code: ROOM_BOOKING,
  });
}
for (const [name, main] of [
  ["taken out of a module-level map", CHECK_IN("const { signal } = controllers.get(visitId);")],
  ["made in the trace by one caller and taken from a map by another", CHECK_IN("const signal = AbortSignal.timeout(10);", 'exports.later = traceable(async (room) => holdRoom(room, controllers.get("V-51").signal), { name: "later" });\n')],
] as const) {
  invalid.push({
    name: `a listener another file's traces add to a signal ${name}`,
    filename: path.join(projectOnDisk({ "src/roomBooking.cjs": ROOM_BOOKING, "src/main.cjs": main }), "src/roomBooking.cjs"),
    code: ROOM_BOOKING,
    output: ROOM_BOOKING_BOUND,
    errors: [{ messageId: "handler" }],
  });
}
// A scheduler another module's factory makes: a job list and a drain loop per factory call. A trace that makes its
// own runs its jobs itself; one made at load is shared by every trace, and the first trace's loop runs the others'.
const smsSchedulers = projectOnDisk({
  "src/scheduler.mjs": `export function createScheduler() {
  const jobs = [];
  let draining = false;
  async function drain() {
    draining = true;
    while (jobs.length) {
      const { send, resolve } = jobs.shift();
      resolve(await send());
    }
    draining = false;
  }
  return function schedule(send) {
    return new Promise((resolve) => {
      jobs.push({ send, resolve });
      if (!draining) drain();
    });
  };
}
`,
});
const REMIND = (made: string, inside: string) => `import { traceable } from "langsmith/traceable";
import { createScheduler } from "./scheduler.mjs";
const sendSms = traceable(async (phone) => phone, { name: "sendSms" });
${made}export const remind = traceable(async (phone) => {
${inside}  return schedule(() => sendSms(phone));
});
`;
valid.push({ name: "a callback handed to the function another module's factory returned, called by the scope itself", filename: path.join(smsSchedulers, "src/main.mjs"), code: REMIND("", "  const schedule = createScheduler();\n") });
invalid.push({
  name: "a callback handed to the function another module's factory returned, called once at load",
  filename: path.join(smsSchedulers, "src/main.mjs"),
  code: REMIND("const schedule = createScheduler();\n", ""),
  output: REMIND("const schedule = createScheduler();\n", "").replace('import { createScheduler } from "./scheduler.mjs";\n', 'import { createScheduler } from "./scheduler.mjs";\nimport { AsyncLocalStorage } from "node:async_hooks";\n').replace("schedule(() => sendSms(phone))", "schedule(AsyncLocalStorage.bind(() => sendSms(phone)))"),
  errors: [{ messageId: "stored" }],
});

// A class poller of another module: `subscribe` keeps the callback in a field, `start` arms the interval that runs
// them (through `tick`). A scope that subscribes and then starts the shared poller itself, in a script that runs one
// trace at a time, has the interval run its callback in its trace.
const carrierPollers = projectOnDisk({
  "src/carrierPoller.mjs": `export class CarrierPoller {
  subscribers = [];
  #timer = null;
  subscribe(tracking, cb) {
    this.subscribers.push({ tracking, cb });
  }
  start() {
    this.#timer ??= setInterval(() => this.tick(), 10);
  }
  tick() {
    for (const { tracking, cb } of this.subscribers.splice(0)) cb(tracking);
  }
  stop() {
    clearInterval(this.#timer);
  }
}
`,
});
const ETA = (inside: string, flow: string) => `import { traceable } from "langsmith/traceable";
import { CarrierPoller } from "./carrierPoller.mjs";
const poller = new CarrierPoller();
const updateEta = traceable(async (tracking) => tracking, { name: "updateEta" });
const answer = traceable(async (tracking) => {
  poller.subscribe(tracking, updateEta);
${inside}});
${flow}`;
valid.push({ name: "a callback kept by another module's class poller that the scope starts itself, one trace at a time", filename: path.join(carrierPollers, "src/main.mjs"), code: ETA("  poller.start();\n", 'await answer("JD1");\n') });
for (const [name, inside, flow] of [
  ["started at load", "", 'poller.start();\nawait answer("JD1");\n'],
  ["started by the scope, two traces at once", "  poller.start();\n", 'await Promise.all([answer("JD1"), answer("JD2")]);\n'],
] as const) {
  invalid.push({
    name: `a callback kept by another module's class poller, ${name}`,
    filename: path.join(carrierPollers, "src/main.mjs"),
    code: ETA(inside, flow),
    output: ETA(inside, flow).replace('import { CarrierPoller } from "./carrierPoller.mjs";\n', 'import { CarrierPoller } from "./carrierPoller.mjs";\nimport { AsyncLocalStorage } from "node:async_hooks";\n').replace("poller.subscribe(tracking, updateEta)", "poller.subscribe(tracking, AsyncLocalStorage.bind(updateEta))"),
    errors: [{ messageId: "stored" }],
  });
}
// A keyed store another module's helper writes, with a timer the same call arms that reads back its own key.
const HEARTBEAT = (check: string) => `const sessions = new Map();
export function watchSession(sessionId, { idleMs = 30, onIdle }) {
  const check = () => {
    const s = ${check};
    if (!s) return;
    if (Date.now() - s.lastSeen >= s.idleMs) {
      sessions.delete(sessionId);
      s.onIdle(sessionId);
    } else setTimeout(check, 10);
  };
  sessions.set(sessionId, { lastSeen: Date.now(), idleMs, onIdle });
  setTimeout(check, 10);
}
`;
const IDLE_CHAT = `import { traceable } from "langsmith/traceable";
import { watchSession } from "./heartbeat.mjs";
const closeIdleChat = traceable(async (id) => id, { name: "closeIdleChat" });
export const startChat = traceable(async (sessionId) => {
  watchSession(sessionId, { onIdle: (id) => closeIdleChat(id) });
});
`;
valid.push({ name: "a callback kept in another module's keyed store whose timer, armed by the same call, reads back its own key", filename: path.join(projectOnDisk({ "src/heartbeat.mjs": HEARTBEAT("sessions.get(sessionId)"), "src/main.mjs": IDLE_CHAT }), "src/main.mjs"), code: IDLE_CHAT });
invalid.push({
  name: "a callback kept in another module's keyed store whose timer, armed by the same call, reads whichever entry comes first",
  filename: path.join(projectOnDisk({ "src/heartbeat.mjs": HEARTBEAT("sessions.values().next().value"), "src/main.mjs": IDLE_CHAT }), "src/main.mjs"),
  code: IDLE_CHAT,
  output: IDLE_CHAT.replace('import { watchSession } from "./heartbeat.mjs";\n', 'import { watchSession } from "./heartbeat.mjs";\nimport { AsyncLocalStorage } from "node:async_hooks";\n').replace("onIdle: (id) => closeIdleChat(id)", "onIdle: AsyncLocalStorage.bind((id) => closeIdleChat(id))"),
  errors: [{ messageId: "stored" }],
});

// A lock of another module whose waiters run from the previous holder's release (its promise continuation), kept per
// patient in a map: `locks.set(id, new ChartLock()).get(id)` is the lock.
const chartLocks = projectOnDisk({
  "src/chartLock.mjs": `export class ChartLock {
  locked = false;
  waiters = [];
  runExclusive(fn) {
    return new Promise((resolve, reject) => {
      const task = () => {
        this.locked = true;
        fn().then(resolve, reject).finally(() => this.release());
      };
      if (this.locked) this.waiters.push(task);
      else task();
    });
  }
  release() {
    this.locked = false;
    const next = this.waiters.shift();
    if (next) next();
  }
}
`,
});
const TRIAGE_LOCK = `import { traceable } from "langsmith/traceable";
import { ChartLock } from "./chartLock.mjs";
const locks = new Map();
const lockFor = (id) => locks.get(id) ?? locks.set(id, new ChartLock()).get(id);
const appendToChart = traceable(async (id) => id, { name: "appendToChart" });
export const recordTriage = traceable(async (id) => lockFor(id).runExclusive(() => appendToChart(id)));
`;
invalid.push({
  name: "a callback handed to another module's lock, kept per key in a map filled with set(...).get(...)",
  filename: path.join(chartLocks, "src/main.mjs"),
  code: TRIAGE_LOCK,
  output: TRIAGE_LOCK.replace('import { ChartLock } from "./chartLock.mjs";\n', 'import { ChartLock } from "./chartLock.mjs";\nimport { AsyncLocalStorage } from "node:async_hooks";\n').replace("runExclusive(() => appendToChart(id))", "runExclusive(AsyncLocalStorage.bind(() => appendToChart(id)))"),
  errors: [{ messageId: "stored" }],
});

// A traced function whose receiver is a parameter defaulting to another module's shared poller, every call of it
// seen in this file: the default is the object whose store keeps the callback.
const cdcPollers = projectOnDisk({
  "src/poller.cjs": `class CdcPoller {
  constructor({ intervalMs = 20 } = {}) {
    this.subscribers = [];
    this.timer = setInterval(() => this.poll(), intervalMs);
  }
  subscribe(fn) {
    this.subscribers.push(fn);
  }
  poll() {
    this.subscribers.forEach((fn) => fn({ lsn: 1 }));
  }
}
module.exports = { CdcPoller, sharedPoller: new CdcPoller() };
`,
});
const WATCH = (poller: string) => `const { traceable } = require("langsmith/traceable");
const { CdcPoller, sharedPoller } = require("./poller.cjs");
const merge = traceable(async (batch) => batch, { name: "merge" });
const watchTable = traceable(async (table, poller = ${poller}) => {
  poller.subscribe((batch) => merge({ table, ...batch }));
}, { name: "watch_table" });
watchTable("inventory");
`;
valid.push({ name: "a callback kept by a poller defaulted per call in the traced function's parameters", filename: path.join(cdcPollers, "src/main.cjs"), code: WATCH("new CdcPoller()") });
invalid.push({
  name: "a callback kept by another module's shared poller, the default of the traced function's parameter that no call passes",
  filename: path.join(cdcPollers, "src/main.cjs"),
  code: WATCH("sharedPoller"),
  output: WATCH("sharedPoller").replace('const { CdcPoller, sharedPoller } = require("./poller.cjs");\n', 'const { CdcPoller, sharedPoller } = require("./poller.cjs");\nconst { AsyncLocalStorage } = require("node:async_hooks");\n').replace("poller.subscribe((batch) => merge({ table, ...batch }))", "poller.subscribe(AsyncLocalStorage.bind((batch) => merge({ table, ...batch })))"),
  errors: [{ messageId: "stored" }],
});

const mailers = projectOnDisk({
  "src/mailer.ts": `import { EventEmitter } from "node:events";
export const smtpEvents = new EventEmitter();
const outbox: string[] = [];
export function enqueueMail(id: string) {
  outbox.push(id);
}
export function pumpOutbox() {
  while (outbox.length) smtpEvents.emit("delivered", outbox.shift());
}
`,
});
const CONFIRM = (after: string) => `import { traceable } from "langsmith/traceable";
import { smtpEvents, enqueueMail, pumpOutbox } from "./mailer";
const markSent = traceable(async (id: string) => id, { name: "mark_sent" });
export const confirm = traceable(async (id: string) => {
  enqueueMail(id);
  smtpEvents.once("delivered", (sent: string) => markSent(sent));
  ${after}
});`;
valid.push(
  { name: "a listener on another module's emitter, which the scope then has emit from a timer it arms", filename: path.join(mailers, "src/confirm.ts"), code: CONFIRM("setTimeout(pumpOutbox, 20);") },
  { name: "a listener on another module's emitter, which the scope then has emit by calling its function", filename: path.join(mailers, "src/confirm.ts"), code: CONFIRM("pumpOutbox();") },
  {
    name: "a listener an in-file helper adds to another module's emitter, which the scope then has emit from a timer it arms",
    filename: path.join(mailers, "src/confirm.ts"),
    code: CONFIRM("setTimeout(pumpOutbox, 20);").replace('smtpEvents.once("delivered", (sent: string) => markSent(sent));', 'handOver("delivered", (sent: string) => markSent(sent));') + '\nfunction handOver(event: string, cb: (sent: string) => unknown) {\n  return smtpEvents.once(event, cb);\n}',
  },
);
// The same with a CommonJS module exporting the emitter by name (`module.exports = { verdicts, startPoller }`).
const anticheat = projectOnDisk({
  "src/anticheat.cjs": `const { EventEmitter } = require("node:events");
const verdicts = new EventEmitter();
const pending = [];
let poller = null;
function startPoller() {
  if (poller) return;
  poller = setInterval(() => {
    const review = pending.shift();
    if (review) verdicts.emit("verdict:" + review.matchId, review);
    if (!pending.length) { clearInterval(poller); poller = null; }
  }, 10);
}
module.exports = { verdicts, pending, startPoller };
`,
});
const REVIEW = (inside: string) => `const { traceable } = require("langsmith/traceable");
const anticheat = require("./anticheat.cjs");
const applyPenalty = traceable(async (v) => v, { name: "applyPenalty" });
exports.review = traceable(async (matchId) => {
  anticheat.verdicts.once("verdict:" + matchId, (v) => applyPenalty(v));
  anticheat.pending.push({ matchId });
  ${inside}
});`;
valid.push({ name: "a listener on a CommonJS module's exported emitter, whose poller the scope then starts", filename: path.join(anticheat, "src/review.cjs"), code: REVIEW("anticheat.startPoller();") });
invalid.push({
  name: "a listener on a CommonJS module's exported emitter, whose poller something else starts",
  filename: path.join(anticheat, "src/review.cjs"),
  code: REVIEW("return matchId;"),
  output: REVIEW("return matchId;").replace('const anticheat = require("./anticheat.cjs");\n', 'const anticheat = require("./anticheat.cjs");\nconst { AsyncLocalStorage } = require("node:async_hooks");\n').replace("(v) => applyPenalty(v))", "AsyncLocalStorage.bind((v) => applyPenalty(v)))"),
  errors: [{ messageId: "listener" }],
});
invalid.push({
  name: "a listener on another module's emitter, which something else has emit later",
  filename: path.join(mailers, "src/confirm.ts"),
  code: CONFIRM("return id;"),
  output: withAlsImport(CONFIRM("return id;")).replace('smtpEvents.once("delivered", (sent: string) => markSent(sent));', 'smtpEvents.once("delivered", AsyncLocalStorage.bind((sent: string) => markSent(sent)));'),
  errors: [{ messageId: "listener" }],
});
const sensors = projectOnDisk({
  "src/sensor.ts": `import { EventEmitter, EventEmitterAsyncResource } from "node:events";
export function createSensorHandle(id: string) {
  const handle = new EventEmitter();
  return handle;
}
export function createPinnedHandle(id: string) {
  return new EventEmitterAsyncResource({ name: id });
}
`,
});
const ATTACH = (factory: string) => `import { traceable } from "langsmith/traceable";
import { ${factory} } from "./sensor";
const flag = traceable(async (n: number) => n > 30, { name: "flag" });
export const attach = traceable(async (id: string) => {
  const handle = ${factory}(id);
  handle.on("count", (n: number) => flag(n));
  return handle;
});`;
valid.push({ name: "an EventEmitterAsyncResource made by another module's factory, listened to in the scope and handed back", filename: path.join(sensors, "src/attach.ts"), code: ATTACH("createPinnedHandle") });
invalid.push({
  name: "a plain emitter made by another module's factory, listened to in the scope and handed back",
  filename: path.join(sensors, "src/attach.ts"),
  code: ATTACH("createSensorHandle"),
  output: withAlsImport(ATTACH("createSensorHandle")).replace('handle.on("count", (n: number) => flag(n));', 'handle.on("count", AsyncLocalStorage.bind((n: number) => flag(n)));'),
  errors: [{ messageId: "listener" }],
});
valid.push(
  { name: "a plain emitter made in the scope and listened to there, not handed back", code: STAY("", "return member;") },
  { name: "a plain emitter made in the scope, handed back after the scope emits on it itself", code: STAY("", 'stay.emit("checkout", 0);\n  return stay;') },
);
invalid.push(
  {
    name: "a plain emitter made in the scope, listened to there and handed back to the caller",
    code: STAY("", "return stay;"),
    output: withAlsImport(STAY("", "return stay;")).replace('stay.on("checkout", (extras: number) => child(extras));', 'stay.on("checkout", AsyncLocalStorage.bind((extras: number) => child(extras)));'),
    errors: [{ messageId: "listener" }],
  },
  {
    name: "a plain emitter made by an in-file factory, listened to in the scope and handed back in an object",
    code: STAY("function openStay(member: string) {\n  const stay = new EventEmitter();\n  return stay;\n}\n", "return { stay, member };"),
    output: withAlsImport(STAY("function openStay(member: string) {\n  const stay = new EventEmitter();\n  return stay;\n}\n", "return { stay, member };")).replace('stay.on("checkout", (extras: number) => child(extras));', 'stay.on("checkout", AsyncLocalStorage.bind((extras: number) => child(extras)));'),
    errors: [{ messageId: "listener" }],
  },
);
invalid.push(
  {
    name: "then on a thenable another module's function returns, whose then keeps the callback for that module's feed",
    filename: MAIN,
    code: `${XH}export const parent = traceable(async (symbol: string) => {
  quote(symbol).then((price) => child(price));
});`,
    output: `${XH_FIXED}export const parent = traceable(async (symbol: string) => {
  quote(symbol).then(AsyncLocalStorage.bind((price) => child(price)));
});`,
    errors: [{ messageId: "thenable", data: { method: "then", scope: "traceable", receiver: "quote(symbol)", via: "" } }],
  },
  {
    name: "the same thenable held in a local first",
    filename: MAIN,
    code: `${XH}export const parent = traceable(async (symbol: string) => {
  const pending = quote(symbol);
  pending.then(async (price) => { await child(price); });
});`,
    output: `${XH_FIXED}export const parent = traceable(async (symbol: string) => {
  const pending = quote(symbol);
  pending.then(AsyncLocalStorage.bind(async (price) => { await child(price); }));
});`,
    errors: [{ messageId: "thenable" }],
  },
  {
    name: "an imported helper that adds an abort listener to its module's long-lived controller",
    filename: MAIN,
    code: `${XH}export const parent = traceable(async (id: string) => {
  onShutdown(() => child(id));
});`,
    output: `${XH_FIXED}export const parent = traceable(async (id: string) => {
  onShutdown(AsyncLocalStorage.bind(() => child(id)));
});`,
    errors: [{ messageId: "handler", data: { method: "addEventListener", scope: "traceable", receiver: "controller.signal", via: " (through \`onShutdown()\`)" } }],
  },
);
invalid.push({
  name: "an imported helper that calls a method of this file's module-level registry, which stores the callback",
  filename: MAIN,
  code: `${XH}${HOOKS}export const parent = traceable(async () => {
  registerOn(hooks, "after", (m) => child(m));
});`,
  output: `${XH_FIXED}${HOOKS}export const parent = traceable(async () => {
  registerOn(hooks, "after", AsyncLocalStorage.bind((m) => child(m)));
});`,
  errors: [{ messageId: "stored" }],
});
valid.push(
  {
    name: "an imported helper that calls a method of a registry the parent creates",
    filename: MAIN,
    code: `${XH}export const parent = traceable(async () => {
  ${HOOKS.replace(/\n/g, "\n  ")}registerOn(hooks, "after", (m) => child(m));
});`,
  },
  {
    name: "an awaited thenable of another module's function, and thenables whose then is native (async) or calls back at once",
    filename: MAIN,
    code: `${XH}export const parent = traceable(async (symbol: string) => {
  const price = await quote(symbol);
  fetchQuote(symbol).then((p) => child(p));
  readyQuote(symbol).then((p) => child(p));
  return child(price);
});`,
  },
  {
    name: "an imported helper adding an abort listener to a signal of a controller the parent creates",
    filename: MAIN,
    code: `${XH}export const parent = traceable(async (id: string) => {
  const controller = new AbortController();
  onAbort(controller.signal, () => child(id));
  controller.abort();
});`,
  },
  { name: "imported helper that calls the callback at once", filename: MAIN, code: `${XH}export const parent = traceable(async () => runNow(() => child(1)));` },
  { name: "imported helper that binds the callback itself", filename: MAIN, code: `${XH}export const parent = traceable(async () => subscribeBound(bus, "done", (m) => child(m)));` },
  { name: "imported helper that registers nothing", filename: MAIN, code: `${XH}export const parent = traceable(async () => describeTarget(bus, (m) => child(m)));` },
  {
    name: "imported helper subscribing to an emitter created inside the parent",
    filename: MAIN,
    code: `${XH}export const parent = traceable(async () => {
  const local = new EventEmitter();
  subscribe(local, "done", (m) => child(m));
  local.emit("done", 1);
});`,
  },
  {
    name: "imported helper subscribing to a shared emitter the parent itself emits on",
    filename: MAIN,
    code: `${XH}export const parent = traceable(async () => {
  subscribe(bus, "done", (m) => child(m));
  bus.emit("done", 1);
});`,
  },
);
invalid.push(
  {
    name: "listener registered by an imported helper on a shared emitter",
    filename: MAIN,
    code: `${XH}export const parent = traceable(async () => {
  subscribe(bus, "done", (m) => child(m));
});`,
    output: `${XH_FIXED}export const parent = traceable(async () => {
  subscribe(bus, "done", AsyncLocalStorage.bind((m) => child(m)));
});`,
    errors: [{ messageId: "listener", data: { method: "once", scope: "traceable", receiver: "bus", via: " (through `subscribe()`)" } }],
  },
  {
    name: "callback stored by an imported helper in its module's pool, drained by its timer",
    filename: MAIN,
    code: `${XH}export const parent = traceable(async () => {
  later(() => child(1));
});`,
    output: `${XH_FIXED}export const parent = traceable(async () => {
  later(AsyncLocalStorage.bind(() => child(1)));
});`,
    errors: [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "pending", via: " (through `later()`)" } }],
  },
  {
    name: "an in-file wrapper around an imported helper that registers a listener",
    filename: MAIN,
    code: `${XH}function whenDone(target: EventEmitter, callback: (m: unknown) => unknown) {
  subscribe(target, "done", callback);
}
export const parent = traceable(async () => {
  whenDone(bus, (m) => child(m));
});`,
    output: `${XH_FIXED}function whenDone(target: EventEmitter, callback: (m: unknown) => unknown) {
  subscribe(target, "done", callback);
}
export const parent = traceable(async () => {
  whenDone(bus, AsyncLocalStorage.bind((m) => child(m)));
});`,
    errors: [{ messageId: "listener", data: { method: "once", scope: "traceable", receiver: "bus", via: " (through `whenDone()`)" } }],
  },
);


// Arrays of tasks handed to helpers of other modules that schedule each element on a job runner of their own.
// Another module's store that keeps callbacks for a timer started at its load (a ready gate, an observer set), reached
// from a helper the traced scope calls, with the hand-off inside the helper's `new Promise` executor.
const gateProject = projectOnDisk({
  "src/store.ts": `const state: { ready: boolean; callbacks: (() => void)[] } = { ready: false, callbacks: [] };
export const store = {
  onReady(cb: () => void) {
    if (state.ready) return cb();
    state.callbacks.push(cb);
  },
};
setTimeout(() => {
  state.ready = true;
  for (const cb of state.callbacks.splice(0)) cb();
}, 20);
`,
});
const GATE = (body: string) => `import { traceable } from "langsmith/traceable";
import { store } from "./store";
const retrieve = traceable(async (q: string) => [q], { name: "retrieve" });
${body}`;
valid.push({
  name: "a helper made by a factory hands the store a callback that does no traced work",
  filename: path.join(gateProject, "src/main.ts"),
  code: GATE(`const whenReady = (fn: (q: string) => string[]) => (q: string) => new Promise((resolve) => store.onReady(() => resolve(fn(q))));
const plain = whenReady((q) => [q]);
export const answer = traceable(async (q: string) => plain(q));`),
});
invalid.push(
  {
    name: "a helper made by a factory hands another module's ready gate a callback inside its promise executor",
    filename: path.join(gateProject, "src/main.ts"),
    code: GATE(`const whenReady = (fn: (q: string) => Promise<string[]>) => (q: string) => new Promise((resolve, reject) => store.onReady(() => fn(q).then(resolve, reject)));
const retrieveWhenReady = whenReady(retrieve);
export const answer = traceable(async (q: string) => retrieveWhenReady(q));`),
    output: withAlsImport(GATE(`const whenReady = (fn: (q: string) => Promise<string[]>) => (q: string) => new Promise((resolve, reject) => store.onReady(AsyncLocalStorage.bind(() => fn(q).then(resolve, reject))));
const retrieveWhenReady = whenReady(retrieve);
export const answer = traceable(async (q: string) => retrieveWhenReady(q));`)),
    errors: [{ messageId: "stored" }],
  },
);

// An object made during the call but handed to something that outlives it (a module-level set, a shared watchdog):
// whoever keeps it drives it later, from their own context (fixtures/runtime/bind-detached-callback/kept-stream-*).
const KEPT = `${H}import { Readable, finished } from "node:stream";
const subscribers = new Set<Readable>();
setInterval(() => { for (const s of subscribers) s.push({ tick: 1 }); }, 5);
function openTicker() {
  const stream = new Readable({ objectMode: true, read() {} });
  subscribers.add(stream);
  stream.once("end", () => subscribers.delete(stream));
  return stream;
}
function openLocal() {
  const stream = new Readable({ objectMode: true, read() {} });
  console.log(stream);
  finished(stream, () => {});
  return stream;
}
class Watchdog {
  #entries: AbortController[] = [];
  guard(controller: AbortController) { this.#entries.push(controller); }
  sweep() { for (const c of this.#entries.splice(0)) c.abort(); }
}
const watchdog = new Watchdog();
setInterval(() => watchdog.sweep(), 5);
`;
valid.push({
  name: "listeners on objects made in the call that only the call drives, or that are handed to methods that only read",
  code: `${KEPT}export const parent = traceable(async () => {
  const local = openLocal();
  local.on("data", (tick) => child(tick));
  const controller = new AbortController();
  controller.signal.addEventListener("abort", () => child("aborted"));
  console.log(controller);
  await Promise.race([new Promise((r) => setTimeout(r, 5))]);
  controller.abort();
});`,
});
invalid.push(
  {
    name: "a 'data' listener on a stream a local helper makes but keeps in a module-level set fed by an interval",
    code: `${KEPT}export const parent = traceable(async () => {
  const ticker = openTicker();
  ticker.on("data", (tick) => child(tick));
});`,
    output: `${withAlsImport(KEPT)}export const parent = traceable(async () => {
  const ticker = openTicker();
  ticker.on("data", AsyncLocalStorage.bind((tick) => child(tick)));
});`,
    errors: [{ messageId: "listener" }],
  },
  {
    name: "an abort listener on a controller the scope hands to a shared watchdog, which aborts it from its interval",
    code: `${KEPT}export const parent = traceable(async () => {
  const controller = new AbortController();
  controller.signal.addEventListener("abort", () => child("aborted"));
  watchdog.guard(controller);
});`,
    output: `${withAlsImport(KEPT)}export const parent = traceable(async () => {
  const controller = new AbortController();
  controller.signal.addEventListener("abort", AsyncLocalStorage.bind(() => child("aborted")));
  watchdog.guard(controller);
});`,
    errors: [{ messageId: "handler" }],
  },
);

// `resource.runInAsyncScope(fn)` runs `fn` where the AsyncResource was made (fixtures/runtime/bind-detached-callback/
// shared-async-resource, async-resource-per-call).
const RESOURCES = `${H}import { AsyncResource } from "node:async_hooks";
const deferred = new AsyncResource("deferred");
function defer(fn: () => unknown) {
  setTimeout(() => deferred.runInAsyncScope(fn), 5);
}
function deferOwn(fn: () => unknown) {
  const own = new AsyncResource("own");
  setTimeout(() => own.runInAsyncScope(fn), 5);
}
class Pool {
  #resource = new AsyncResource("pool");
  withConnection(fn: (conn: number) => unknown) {
    setImmediate(() => this.#resource.runInAsyncScope(fn, null, 1));
  }
}
const pool = new Pool();
`;
valid.push({
  name: "a callback run by an AsyncResource made in each call, or in the scope itself",
  code: `${RESOURCES}export const parent = traceable(async (x: number) => {
  deferOwn(() => child(x));
  const mine = new AsyncResource("mine");
  setTimeout(() => mine.runInAsyncScope(() => child(x)), 5);
});`,
});
invalid.push(
  {
    name: "a callback a helper runs with runInAsyncScope of an AsyncResource made at module load",
    code: `${RESOURCES}export const parent = traceable(async (x: number) => defer(() => child(x)));`,
    output: `${RESOURCES.replace('import { AsyncResource } from "node:async_hooks";', 'import { AsyncResource, AsyncLocalStorage } from "node:async_hooks";')}export const parent = traceable(async (x: number) => defer(AsyncLocalStorage.bind(() => child(x))));`,
    errors: [{ messageId: "resource", data: { receiver: "deferred", scope: "traceable", via: " (through `defer()`)" } }],
  },
  {
    name: "a callback a shared pool runs with runInAsyncScope of the AsyncResource its constructor made",
    code: `${RESOURCES}export const parent = traceable(async (x: number) => pool.withConnection((conn) => child(conn + x)));`,
    output: `${RESOURCES.replace('import { AsyncResource } from "node:async_hooks";', 'import { AsyncResource, AsyncLocalStorage } from "node:async_hooks";')}export const parent = traceable(async (x: number) => pool.withConnection(AsyncLocalStorage.bind((conn) => child(conn + x))));`,
    errors: [{ messageId: "resource", data: { receiver: "this.#resource", scope: "traceable", via: " (through `withConnection()`)" } }],
  },
);

const resourceProject = projectOnDisk({
  "src/defer.ts": `import { AsyncResource } from "node:async_hooks";
const deferred = new AsyncResource("deferred");
export function defer(fn: () => unknown) {
  setTimeout(() => deferred.runInAsyncScope(() => Promise.resolve().then(fn)), 5);
}
export function deferOwn(fn: () => unknown) {
  const own = new AsyncResource("own");
  setTimeout(() => own.runInAsyncScope(fn), 5);
}
`,
});
const RESOURCE_MAIN = path.join(resourceProject, "src/main.ts");
const RESOURCE_H = `import { traceable } from "langsmith/traceable";
import { defer, deferOwn } from "./defer";
const child = traceable(async (x: number) => x, { name: "child" });
`;
valid.push({ name: "an imported helper that runs the callback in an AsyncResource it makes per call", filename: RESOURCE_MAIN, code: `${RESOURCE_H}export const parent = traceable(async (x: number) => deferOwn(() => child(x)));` });
invalid.push({
  name: "an imported helper that runs the callback in its module's AsyncResource, made at module load",
  filename: RESOURCE_MAIN,
  code: `${RESOURCE_H}export const parent = traceable(async (x: number) => defer(() => child(x)));`,
  output: `${withAlsImport(RESOURCE_H)}export const parent = traceable(async (x: number) => defer(AsyncLocalStorage.bind(() => child(x))));`,
  errors: [{ messageId: "resource", data: { receiver: "deferred", scope: "traceable", via: " (through `defer()`)" } }],
});

// A function an imported factory returns (`const requestSave = coalesce(save, 10)`) that keeps its callback parameter
// in the factory's array for a timer to run: summarized as the factory's `coalesce()` export.
const coalesceProject = projectOnDisk({
  "src/autosave.ts": `export function coalesce(save: (doc: unknown) => Promise<number>, quietMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest: unknown;
  let callbacks: ((rev: number) => unknown)[] = [];
  return function request(doc: unknown, onSaved: (rev: number) => unknown) {
    latest = doc;
    callbacks.push(onSaved);
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const cbs = callbacks;
      callbacks = [];
      const rev = await save(latest);
      await Promise.all(cbs.map((cb) => cb(rev)));
    }, quietMs);
  };
}
export function immediate(save: (doc: unknown) => Promise<number>) {
  return async function request(doc: unknown, onSaved: (rev: number) => unknown) {
    return onSaved(await save(doc));
  };
}
`,
});
const COALESCE_MAIN = path.join(coalesceProject, "src/main.ts");
const CH = (factory: string) => `import { traceable } from "langsmith/traceable";
import { ${factory} } from "./autosave";
const child = traceable(async (rev: number) => rev, { name: "child" });
const requestSave = ${factory}(async () => 1${factory === "coalesce" ? ", 10" : ""});
`;
valid.push({
  name: "a callback handed to a function an imported factory returns, which runs it during the call",
  filename: COALESCE_MAIN,
  code: `${CH("immediate")}export const parent = traceable((text: string) => new Promise((resolve) => requestSave({ text }, (rev) => child(rev).then(resolve))));`,
});
invalid.push({
  name: "a callback handed to a function an imported factory returns, which keeps it in the factory's array for a timer",
  filename: COALESCE_MAIN,
  code: `${CH("coalesce")}export const parent = traceable((text: string) => new Promise((resolve) => requestSave({ text }, (rev) => child(rev).then(resolve))));`,
  output: `${withAlsImport(CH("coalesce"))}export const parent = traceable((text: string) => new Promise((resolve) => requestSave({ text }, AsyncLocalStorage.bind((rev) => child(rev).then(resolve)))));`,
  errors: [{ messageId: "stored", data: { receiver: "callbacks", scope: "traceable", via: " (through `requestSave()`)" } }],
});

const jobsProject = projectOnDisk({
  "src/jobs.ts": `const backlog: { job: () => Promise<unknown>; done: (v: unknown) => void }[] = [];
let draining = false;
async function drain() {
  draining = true;
  while (backlog.length > 0) {
    const { job, done } = backlog.shift()!;
    done(await job());
  }
  draining = false;
}
export function schedule(job: () => Promise<unknown>) {
  const finished = new Promise((done) => backlog.push({ job, done }));
  if (!draining) void drain();
  return finished;
}
export function runAll(jobs: (() => Promise<unknown>)[]) {
  return Promise.all(jobs.map((job) => schedule(job)));
}
export function runEach(jobs: (() => Promise<unknown>)[]) {
  return Promise.all(jobs.map(schedule));
}
export function runInline(jobs: (() => Promise<unknown>)[]) {
  return Promise.all(jobs.map((job) => job()));
}
`,
  "src/album.ts": `import { traceable } from "langsmith/traceable";
const caption = traceable(async (x: { req: string; image: string }) => x.image, { name: "caption" });
export const captionJobs = (req: string, images: string[]) => images.map((image) => caption.bind(null, { req, image }));
export const labels = (images: string[]) => images.map((image) => () => Promise.resolve(image.toUpperCase()));
`,
});
const JOBS_MAIN = path.join(jobsProject, "src/main.ts");
const JH = `import { traceable } from "langsmith/traceable";
import { runAll, runEach, runInline } from "./jobs";
import { captionJobs, labels } from "./album";
const child = traceable(async (x: unknown) => x, { name: "child" });
`;
const JH_FIXED = `import { traceable } from "langsmith/traceable";
import { runAll, runEach, runInline } from "./jobs";
import { captionJobs, labels } from "./album";
import { AsyncLocalStorage } from "node:async_hooks";
const child = traceable(async (x: unknown) => x, { name: "child" });
`;
valid.push(
  { name: "an imported helper that runs each task of the array at once", filename: JOBS_MAIN, code: `${JH}export const parent = traceable(async (req: string, images: string[]) => runInline(captionJobs(req, images)));` },
  { name: "tasks that do no traced work, scheduled by an imported helper", filename: JOBS_MAIN, code: `${JH}export const parent = traceable(async (images: string[]) => runAll(labels(images)));` },
);
invalid.push(
  {
    name: "partial applications made by a helper of another module, handed to an imported helper that schedules each on its runner",
    filename: JOBS_MAIN,
    code: `${JH}export const parent = traceable(async (req: string, images: string[]) => runAll(captionJobs(req, images)));`,
    output: `${JH_FIXED}export const parent = traceable(async (req: string, images: string[]) => runAll(captionJobs(req, images).map((task) => AsyncLocalStorage.bind(task))));`,
    errors: [{ messageId: "storedEach", data: { method: "push", scope: "traceable", receiver: "backlog", via: " (through `runAll()`)" } }],
  },
  {
    name: "partial applications made by a helper of another module, scheduled point-free by an imported helper (jobs.map(schedule))",
    filename: JOBS_MAIN,
    code: `${JH}export const parent = traceable(async (req: string, images: string[]) => {
  const jobs = captionJobs(req, images);
  return runEach(jobs);
});`,
    output: `${JH_FIXED}export const parent = traceable(async (req: string, images: string[]) => {
  const jobs = captionJobs(req, images);
  return runEach(jobs.map((task) => AsyncLocalStorage.bind(task)));
});`,
    errors: [{ messageId: "storedEach" }],
  },
  {
    name: "partial applications the scope makes, handed to an imported helper that schedules each: bound where they are made",
    filename: JOBS_MAIN,
    code: `${JH}export const parent = traceable(async (images: string[]) => runAll(images.map((image) => child.bind(null, image))));`,
    output: `${JH_FIXED}export const parent = traceable(async (images: string[]) => runAll(images.map((image) => AsyncLocalStorage.bind(child.bind(null, image)))));`,
    errors: [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "backlog", via: " (through `runAll()`)" } }],
  },
);

// Objects of other modules whose methods take callbacks: what the method does is its summary's to say, not its name's.
const registries = projectOnDisk({
  "src/outbox.ts": `import { AsyncLocalStorage } from "node:async_hooks";
const pending: (() => Promise<unknown>)[] = [];
export function enqueue(fn: () => Promise<unknown>) {
  const runInCaller = AsyncLocalStorage.snapshot();
  return new Promise((resolve, reject) => {
    pending.push(() => runInCaller(fn).then(resolve, reject));
  });
}
export function enqueueLater(fn: () => Promise<unknown>) {
  return new Promise((resolve) => pending.push(() => fn().then(resolve)));
}
setInterval(() => pending.shift()?.(), 5);
`,
  "src/hooks.ts": `import { AsyncLocalStorage } from "node:async_hooks";
import { EventEmitter } from "node:events";
class HookRegistry {
  #hooks = new Map<string, ((x: unknown) => unknown)[]>();
  on(event: string, handler: (x: unknown) => unknown) {
    const list = this.#hooks.get(event) ?? [];
    list.push(AsyncLocalStorage.bind(handler));
    this.#hooks.set(event, list);
  }
}
class PlainRegistry {
  #hooks: ((x: unknown) => unknown)[] = [];
  on(event: string, handler: (x: unknown) => unknown) {
    this.#hooks.push(handler);
  }
}
export const hooks = new HookRegistry();
export const plain = new PlainRegistry();
export const bus = new EventEmitter();
`,
  "src/index.ts": `export { hooks, plain, bus } from "./hooks";\n`,
});
const REG_MAIN = path.join(registries, "src/main.ts");
const RH = `import { traceable } from "langsmith/traceable";
import * as outbox from "./outbox";
import { hooks, plain, bus } from "./index";
const child = traceable(async (x: unknown) => x, { name: "child" });
`;
const RH_FIXED = withAlsImport(RH);
valid.push(
  {
    name: "a task stored by another module's enqueue() that runs it through an AsyncLocalStorage.snapshot() taken there",
    filename: REG_MAIN,
    code: `${RH}export const parent = traceable(async (id: string) => outbox.enqueue(() => child(id)));`,
  },
  {
    name: "a listener given to another module's registry whose on() binds it (not an emitter, despite the name)",
    filename: REG_MAIN,
    code: `${RH}export const parent = traceable(async () => {
  hooks.on("placed", (order) => child(order));
});`,
  },
);
invalid.push(
  {
    name: "a task stored by another module's enqueueLater() without a snapshot (the namespace call is judged by its summary)",
    filename: REG_MAIN,
    code: `${RH}export const parent = traceable(async (id: string) => outbox.enqueueLater(() => child(id)));`,
    output: `${RH_FIXED}export const parent = traceable(async (id: string) => outbox.enqueueLater(AsyncLocalStorage.bind(() => child(id))));`,
    errors: [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "pending", via: " (through `enqueueLater()`)" } }],
  },
  {
    name: "a listener given to another module's registry whose on() keeps it as is, and one on another module's emitter",
    filename: REG_MAIN,
    code: `${RH}export const parent = traceable(async () => {
  plain.on("placed", (order) => child(order));
  bus.on("placed", (order) => child(order));
});`,
    // Each fix adds the import, so they apply in two passes.
    output: [
      `${RH_FIXED}export const parent = traceable(async () => {
  plain.on("placed", AsyncLocalStorage.bind((order) => child(order)));
  bus.on("placed", (order) => child(order));
});`,
      `${RH_FIXED}export const parent = traceable(async () => {
  plain.on("placed", AsyncLocalStorage.bind((order) => child(order)));
  bus.on("placed", AsyncLocalStorage.bind((order) => child(order)));
});`,
    ],
    errors: [{ messageId: "stored" }, { messageId: "listener" }],
  },
);

// An instance another module exports of a class from a third module (`export const jobs = new JobQueue()`): its method
// does what the class's method does there (keeps the job in a field of the instance, for a loop started elsewhere).
const jobModules = projectOnDisk({
  "src/job-queue.ts": `export class JobQueue {
  items = [];
  put(job) {
    this.items.push(job);
  }
  async take() {
    return this.items.shift();
  }
}
export class Inline {
  put(job) {
    return job.deliver();
  }
}
`,
  "src/jobs.ts": `import { Inline, JobQueue } from "./job-queue";
export const jobs = new JobQueue();
export const inline = new Inline();
`,
});
const PUBLISH = path.join(jobModules, "src/publish.ts");
const XJ = `import { traceable } from "langsmith/traceable";
import { inline, jobs } from "./jobs";
const child = traceable(async (x: unknown) => x, { name: "child" });
`;
valid.push({ name: "an exported instance of an imported class whose method runs the job at once", filename: PUBLISH, code: `${XJ}export const publish = traceable(async (x: unknown) => inline.put({ deliver: () => child(x) }));` });
invalid.push({
  name: "an exported instance of an imported class whose method keeps the job in a field",
  filename: PUBLISH,
  code: `${XJ}export const publish = traceable(async (x: unknown) => {
  jobs.put({ deliver: () => child(x) });
});`,
  output: `${withAlsImport(XJ)}export const publish = traceable(async (x: unknown) => {
  jobs.put({ deliver: AsyncLocalStorage.bind(() => child(x)) });
});`,
  errors: [{ messageId: "stored", data: { receiver: "this.items", scope: "traceable", via: " (through `put()`)" } }],
});

invalid.push({
  name: "the same jobs made as an array in the trace and put one by one (jobs.map((job) => jobs.put(job)))",
  filename: PUBLISH,
  code: `${XJ}export const publish = traceable(async (xs: unknown[]) => {
  const made = xs.map((x) => ({ deliver: () => child(x) }));
  made.forEach((job) => jobs.put(job));
});`,
  output: `${withAlsImport(XJ)}export const publish = traceable(async (xs: unknown[]) => {
  const made = xs.map((x) => ({ deliver: AsyncLocalStorage.bind(() => child(x)) }));
  made.forEach((job) => jobs.put(job));
});`,
  errors: [{ messageId: "stored", data: { receiver: "this.items", scope: "traceable", via: " (through `put()`)" } }],
});
valid.push({
  name: "jobs made as an array in the trace and put one by one to the instance that runs each at once",
  filename: PUBLISH,
  code: `${XJ}export const publish = traceable(async (xs: unknown[]) => {
  const made = xs.map((x) => ({ deliver: () => child(x) }));
  made.forEach((job) => inline.put(job));
});`,
});

// A function of this module that other modules call inside their traces (a plain traceable's too: the project index
// records those calls), which makes a traced callback and hands it to a store drained by a timer started at load.
const SMS_BASE = `import { traceable } from "langsmith/traceable";
const deliver = traceable(async (to: string) => to, { name: "deliver" });
const pending: (() => unknown)[] = [];
setInterval(() => {
  for (const run of pending.splice(0)) run();
}, 10);
function later(job: () => unknown) {
  pending.push(job);
}
`;
const smsProject = projectOnDisk({
  "src/sms.ts": `${SMS_BASE}export function sendSms(to: string) {
  later(() => deliver(to));
}
`,
  "src/app.ts": `import { traceable } from "langsmith/traceable";
import { sendSms, sms, warmUp, sendOwn } from "./sms";
warmUp("+1");
export const confirm = traceable(async (booking: string) => {
  sendSms(booking);
  sms.notify(booking);
  sendOwn(booking);
}, { name: "confirm" });
`,
});
const SMS = path.join(smsProject, "src/sms.ts");
valid.push(
  {
    name: "a function of this module called only outside traces elsewhere (at load)",
    filename: SMS,
    code: `${SMS_BASE}export function warmUp(to: string) {
  later(() => deliver(to));
}
`,
  },
  {
    name: "a function called inside a trace elsewhere that binds the callback it stores, or stores it in a store made per call",
    filename: SMS,
    code: `import { AsyncLocalStorage } from "node:async_hooks";
${SMS_BASE}export function sendSms(to: string) {
  later(AsyncLocalStorage.bind(() => deliver(to)));
}
export function sendOwn(to: string) {
  const own: (() => unknown)[] = [];
  own.push(() => deliver(to));
  for (const run of own.splice(0)) run();
}
`,
  },
);
invalid.push(
  {
    name: "a function called inside a traceable of another module stores the traced callback it makes for a timer started at load",
    filename: SMS,
    code: `${SMS_BASE}export function sendSms(to: string) {
  later(() => deliver(to));
}
`,
    output: `import { traceable } from "langsmith/traceable";
import { AsyncLocalStorage } from "node:async_hooks";
const deliver = traceable(async (to: string) => to, { name: "deliver" });
const pending: (() => unknown)[] = [];
setInterval(() => {
  for (const run of pending.splice(0)) run();
}, 10);
function later(job: () => unknown) {
  pending.push(job);
}
export function sendSms(to: string) {
  later(AsyncLocalStorage.bind(() => deliver(to)));
}
`,
    errors: [{ messageId: "stored", data: { receiver: "pending", scope: "call of `sendSms` made inside a traceable in app.ts", via: " (through `later()`)" } }],
  },
  {
    name: "a method of an exported object, called inside a traceable of another module, pushes the traced callback it makes",
    filename: SMS,
    code: `${SMS_BASE}export const sms = {
  notify: (to: string) => pending.push(() => deliver(to)),
};
`,
    output: `import { traceable } from "langsmith/traceable";
import { AsyncLocalStorage } from "node:async_hooks";
const deliver = traceable(async (to: string) => to, { name: "deliver" });
const pending: (() => unknown)[] = [];
setInterval(() => {
  for (const run of pending.splice(0)) run();
}, 10);
function later(job: () => unknown) {
  pending.push(job);
}
export const sms = {
  notify: (to: string) => pending.push(AsyncLocalStorage.bind(() => deliver(to))),
};
`,
    errors: [{ messageId: "stored", data: { receiver: "pending", scope: "call of `sms.notify` made inside a traceable in app.ts", via: "" } }],
  },
);

// An object another module's factory makes (`createLoader(fn)`), kept in a variable here: its method keeps the
// callback in the factory's closure, and a timer the first caller started calls it.
const loaderProject = projectOnDisk({
  "src/loader.ts": `export function createLoader(fetchMany: (keys: string[]) => Promise<unknown[]>) {
  let waiting: { key: string; callback: (err: unknown, value?: unknown) => void }[] = [];
  let scheduled = false;
  const dispatch = async () => {
    const batch = waiting;
    waiting = [];
    scheduled = false;
    const values = await fetchMany(batch.map((b) => b.key));
    batch.forEach((b, i) => b.callback(null, values[i]));
  };
  return {
    load(key: string, callback: (err: unknown, value?: unknown) => void) {
      waiting.push({ key, callback });
      if (!scheduled) {
        scheduled = true;
        setTimeout(dispatch, 2);
      }
    },
  };
}
`,
});
const LOADER_APP = path.join(loaderProject, "src/app.ts");
const LOADER_HEAD = `import { traceable } from "langsmith/traceable";
import { createLoader } from "./loader";
const render = traceable(async (user: unknown) => String(user), { name: "render" });
`;
valid.push({
  name: "a loader made by another module's factory inside the traced function: its store and timer are the trace's own",
  filename: LOADER_APP,
  code: `${LOADER_HEAD}export const handle = traceable((id: string) => {
  const users = createLoader(async (ids) => ids);
  return new Promise((resolve) => users.load(id, (_err, user) => resolve(render(user))));
});`,
});
invalid.push({
  name: "a loader made by another module's factory at module level keeps the callback for a timer the first caller starts",
  filename: LOADER_APP,
  code: `${LOADER_HEAD}const users = createLoader(async (ids) => ids);
export const handle = traceable((id: string) => new Promise((resolve) => users.load(id, (_err, user) => resolve(render(user)))));`,
  output: `import { traceable } from "langsmith/traceable";
import { createLoader } from "./loader";
import { AsyncLocalStorage } from "node:async_hooks";
const render = traceable(async (user: unknown) => String(user), { name: "render" });
const users = createLoader(async (ids) => ids);
export const handle = traceable((id: string) => new Promise((resolve) => users.load(id, AsyncLocalStorage.bind((_err, user) => resolve(render(user))))));`,
  errors: [{ messageId: "stored", data: { receiver: "waiting", scope: "traceable", via: " (through `load()`)" } }],
});

valid.push({
  name: "a loader the traced function makes, handed to an in-file helper that calls its load",
  filename: LOADER_APP,
  code: `${LOADER_HEAD}function loadWith(loader: ReturnType<typeof createLoader>, id: string, cb: (err: unknown, user?: unknown) => void) {
  loader.load(id, cb);
}
export const handle = traceable((id: string) => {
  const users = createLoader(async (ids) => ids);
  return new Promise((resolve) => loadWith(users, id, (_err, user) => resolve(render(user))));
});`,
});
invalid.push(
  {
    name: "the module-level loader handed to an in-file helper that calls its load",
    filename: LOADER_APP,
    code: `${LOADER_HEAD}const users = createLoader(async (ids) => ids);
function loadWith(loader: ReturnType<typeof createLoader>, id: string, cb: (err: unknown, user?: unknown) => void) {
  loader.load(id, cb);
}
export const handle = traceable((id: string) => new Promise((resolve) => loadWith(users, id, (_err, user) => resolve(render(user)))));`,
    output: `import { traceable } from "langsmith/traceable";
import { createLoader } from "./loader";
import { AsyncLocalStorage } from "node:async_hooks";
const render = traceable(async (user: unknown) => String(user), { name: "render" });
const users = createLoader(async (ids) => ids);
function loadWith(loader: ReturnType<typeof createLoader>, id: string, cb: (err: unknown, user?: unknown) => void) {
  loader.load(id, cb);
}
export const handle = traceable((id: string) => new Promise((resolve) => loadWith(users, id, AsyncLocalStorage.bind((_err, user) => resolve(render(user))))));`,
    errors: [{ messageId: "stored" }],
  },
  {
    name: "the module-level loader reached through a getter",
    filename: LOADER_APP,
    code: `${LOADER_HEAD}const users = createLoader(async (ids) => ids);
const getUsers = () => users;
export const handle = traceable((id: string) => new Promise((resolve) => getUsers().load(id, (_err, user) => resolve(render(user)))));`,
    output: `import { traceable } from "langsmith/traceable";
import { createLoader } from "./loader";
import { AsyncLocalStorage } from "node:async_hooks";
const render = traceable(async (user: unknown) => String(user), { name: "render" });
const users = createLoader(async (ids) => ids);
const getUsers = () => users;
export const handle = traceable((id: string) => new Promise((resolve) => getUsers().load(id, AsyncLocalStorage.bind((_err, user) => resolve(render(user))))));`,
    errors: [{ messageId: "stored" }],
  },
);

// Thenables another module exports as values (made at its load), reached by name or through a getter.
const gates = projectOnDisk({
  "src/gates.ts": `class Gate {
  #waiting: (() => unknown)[] = [];
  then(onOpen: () => unknown) {
    this.#waiting.push(onOpen);
  }
  open() {
    for (const callback of this.#waiting.splice(0)) callback();
  }
}
export const warm = new Gate();
setTimeout(() => warm.open(), 10);
const queued: ((plan: string) => unknown)[] = [];
export const licence = { then(onGranted: (plan: string) => unknown) { queued.push(onGranted); } };
setTimeout(() => queued.splice(0).forEach((callback) => callback("pro")), 10);
export const started = new Promise<void>((resolve) => setTimeout(resolve, 10));
export const direct = { then(onOpen: () => unknown) { return onOpen(); } };
`,
});
const GATES_MAIN = path.join(gates, "src/main.ts");
const GH = `import { traceable } from "langsmith/traceable";
import { warm, licence, started, direct } from "./gates";
const child = traceable(async (x: unknown) => x, { name: "child" });
`;
const GH_FIXED = `import { traceable } from "langsmith/traceable";
import { warm, licence, started, direct } from "./gates";
import { AsyncLocalStorage } from "node:async_hooks";
const child = traceable(async (x: unknown) => x, { name: "child" });
`;
invalid.push(
  {
    name: "then on an instance another module exports, whose class's then keeps the callback in a private field, reached through a getter of this class",
    filename: GATES_MAIN,
    code: `${GH}class Bot {
  get ready() { return warm; }
  handle = traceable((id: string) => new Promise((done) => { this.ready.then(() => child(id).then(done)); }), { name: "handle" });
}
export const bot = new Bot();`,
    output: `${GH_FIXED}class Bot {
  get ready() { return warm; }
  handle = traceable((id: string) => new Promise((done) => { this.ready.then(AsyncLocalStorage.bind(() => child(id).then(done))); }), { name: "handle" });
}
export const bot = new Bot();`,
    errors: [{ messageId: "thenable", data: { method: "then", scope: "traceable", receiver: "this.ready", via: "" } }],
  },
  {
    name: "then on a thenable object another module exports, whose then keeps the callback in a module-level list, by name",
    filename: GATES_MAIN,
    code: `${GH}export const parent = traceable(async (id: string) => {
  licence.then((plan) => child([id, plan]));
});`,
    output: `${GH_FIXED}export const parent = traceable(async (id: string) => {
  licence.then(AsyncLocalStorage.bind((plan) => child([id, plan])));
});`,
    errors: [{ messageId: "thenable", data: { method: "then", scope: "traceable", receiver: "licence", via: "" } }],
  },
  {
    name: "the exported thenable reached through a getter of an object literal",
    filename: GATES_MAIN,
    code: `${GH}const services = { get licence() { return licence; } };
export const parent = traceable(async (id: string) => {
  services.licence.then((plan) => child([id, plan]));
});`,
    output: `${GH_FIXED}const services = { get licence() { return licence; } };
export const parent = traceable(async (id: string) => {
  services.licence.then(AsyncLocalStorage.bind((plan) => child([id, plan])));
});`,
    errors: [{ messageId: "thenable", data: { method: "then", scope: "traceable", receiver: "services.licence", via: "" } }],
  },
);
valid.push(
  {
    name: "then on a native Promise another module exports, reached through a getter",
    filename: GATES_MAIN,
    code: `${GH}class Bot {
  get ready() { return started; }
  handle = traceable((id: string) => new Promise((done) => { this.ready.then(() => child(id).then(done)); }), { name: "handle" });
}
export const bot = new Bot();`,
  },
  {
    name: "an exported thenable whose then keeps the callback, awaited",
    filename: GATES_MAIN,
    code: `${GH}export const parent = traceable(async (id: string) => {
  await warm;
  await licence;
  return child(id);
});`,
  },
  {
    name: "then on an exported thenable whose then calls the callback at once",
    filename: GATES_MAIN,
    code: `${GH}export const parent = traceable(async (id: string) => {
  direct.then(() => child(id));
});`,
  },
);

// Stores whose callbacks run when a method of their module is called: a scope that stores a callback and then calls
// that method itself runs the callback in its own trace (as a listener on an emitter the scope emits on). Drained by a
// timer, or by a method the module also calls from a timer, the callbacks run outside the scope.
const stores = projectOnDisk({
  "src/store.ts": `class ObservableStore {
  #observers: { key: string; notify(keys: string[]): void }[] = [];
  subscribe(observer: { key: string; notify(keys: string[]): void }) {
    this.#observers.push(observer);
    return () => {
      this.#observers = this.#observers.filter((o) => o !== observer);
    };
  }
  set(key: string) {
    for (const observer of [...this.#observers]) observer.notify([key]);
  }
}
class TickingStore {
  #observers: { notify(): void }[] = [];
  constructor() {
    setInterval(() => this.tick(), 5);
  }
  subscribe(observer: { notify(): void }) {
    this.#observers.push(observer);
  }
  set(_key: string) {}
  tick() {
    this.flush();
  }
  flush() {
    this.#observers.forEach((observer) => observer.notify());
  }
}
class RelayStore {
  #listeners: ((key: string) => void)[] = [];
  subscribe(listener: (key: string) => void) {
    this.#listeners.push(listener);
  }
  set(key: string) {
    this.#listeners.forEach((listener) => listener(key));
  }
}
export const sessions = new ObservableStore();
export const ticking = new TickingStore();
export const relay = new RelayStore();
setInterval(() => relay.set("tick"), 5);
`,
});
const STORE_MAIN = path.join(stores, "src/main.ts");
const SH = `import { traceable } from "langsmith/traceable";
import { sessions, ticking, relay } from "./store";
const child = traceable(async (x: unknown) => x, { name: "child" });
`;
const SH_FIXED = withAlsImport(SH);
const WAITERS = `${H}const waiters: ((value: string) => void)[] = [];
function publish(value: string) {
  for (const waiter of waiters.splice(0)) waiter(value);
}
`;
valid.push(
  {
    name: "an observer stored in another module's store that the scope then notifies itself (set() runs the observers)",
    filename: STORE_MAIN,
    code: `${SH}function watch(store: typeof sessions, key: string, onChange: (k: string[]) => void) {
  return store.subscribe({
    key,
    notify(keys) {
      if (keys.includes(this.key)) onChange(keys);
    },
  });
}
export const parent = traceable(async (id: string) => {
  const stop = watch(sessions, id, (keys) => void child(keys));
  sessions.set(id);
  stop();
});`,
  },
  {
    name: "a callback stored in a module-level array that the scope then drains through a function of this file",
    filename: MAIN,
    code: `${WAITERS}export const parent = traceable(async (id: string) => {
  waiters.push((value) => void child(value));
  publish(id);
});`,
  },
);
invalid.push(
  {
    name: "an observer (a shorthand method) stored in a store whose draining method runs from a timer; the fix binds the method",
    filename: STORE_MAIN,
    code: `${SH}export const parent = traceable(async (id: string) => {
  ticking.subscribe({
    async notify() {
      await child(id);
    },
  });
  ticking.set(id);
});`,
    output: `${SH_FIXED}export const parent = traceable(async (id: string) => {
  ticking.subscribe({
    notify: AsyncLocalStorage.bind(async function () {
      await child(id);
    }),
  });
  ticking.set(id);
});`,
    errors: [{ messageId: "stored", data: { receiver: "this.#observers", scope: "traceable", via: " (through `subscribe()`)" } }],
  },
  {
    name: "a listener stored in a store whose draining method the module also calls from a timer",
    filename: STORE_MAIN,
    code: `${SH}export const parent = traceable(async (id: string) => {
  relay.subscribe((key) => void child(key));
  relay.set(id);
});`,
    output: `${SH_FIXED}export const parent = traceable(async (id: string) => {
  relay.subscribe(AsyncLocalStorage.bind((key) => void child(key)));
  relay.set(id);
});`,
    errors: [{ messageId: "stored", data: { receiver: "this.#listeners", scope: "traceable", via: " (through `subscribe()`)" } }],
  },
  {
    name: "an observer stored in a store the scope never notifies itself (someone else's set() runs it)",
    filename: STORE_MAIN,
    code: `${SH}export const parent = traceable(async (id: string) => {
  sessions.subscribe({ key: id, notify: (keys) => void child(keys) });
});`,
    output: `${SH_FIXED}export const parent = traceable(async (id: string) => {
  sessions.subscribe({ key: id, notify: AsyncLocalStorage.bind((keys) => void child(keys)) });
});`,
    errors: [{ messageId: "stored", data: { receiver: "this.#observers", scope: "traceable", via: " (through `subscribe()`)" } }],
  },
  {
    name: "a callback stored in a module-level array drained before it is stored (by the next caller)",
    filename: MAIN,
    code: `${WAITERS}export const parent = traceable(async (id: string) => {
  publish(id);
  waiters.push((value) => void child(value));
});`,
    output: `${withAlsImport(WAITERS)}export const parent = traceable(async (id: string) => {
  publish(id);
  waiters.push(AsyncLocalStorage.bind((value) => void child(value)));
});`,
    errors: [{ messageId: "stored", data: { method: "push", receiver: "waiters", scope: "traceable", via: "" } }],
  },
  {
    name: "a getter or a method using super as the stored callback is reported without a fix",
    filename: MAIN,
    code: `${H}const pending: { run(): unknown }[] = [];
setInterval(() => pending.shift()?.run(), 5);
export const parent = traceable(async (id: string) => {
  pending.push({
    __proto__: { base() {} },
    run() {
      super.base();
      return child(id);
    },
  });
});`,
    output: null,
    errors: [{ messageId: "stored", data: { method: "push", receiver: "pending", scope: "traceable", via: "" } }],
  },
);

// A method of the emitter's own class that emits on `this`, called by the scope after it registers: in its body or in a
// timer it schedules, the emit runs in the scope's context; from a listener it adds elsewhere, it does not.
const JOB_BUS = (emit: string) => `${H}class JobBus extends EventEmitter {
  complete(id: string, result: unknown) {
    ${emit}
  }
}
const bus = new JobBus();
`;
valid.push(
  {
    name: "a method of the emitter's class emits on `this` from a setImmediate it schedules, called by the scope",
    code: `${JOB_BUS("setImmediate(() => this.emit(`done:${id}`, result));")}export const parent = traceable(async (id: string) => {
  const done = new Promise((resolve) => bus.once(\`done:\${id}\`, (r) => child(r).then(resolve)));
  bus.complete(id, { id });
  return done;
});`,
  },
  {
    name: "a method of the emitter's class emits on `this` at once, called by the scope",
    code: `${JOB_BUS("this.emit(`done:${id}`, result);")}export const parent = traceable(async (id: string) => {
  const done = new Promise((resolve) => bus.once(\`done:\${id}\`, (r) => child(r).then(resolve)));
  bus.complete(id, { id });
  return done;
});`,
  },
);
invalid.push({
  name: "a method of the emitter's class emits on `this` from a listener on another emitter",
  code: `${JOB_BUS("process.once(\"beforeExit\", () => this.emit(`done:${id}`, result));")}export const parent = traceable(async (id: string) => {
  const done = new Promise((resolve) => bus.once(\`done:\${id}\`, (r) => child(r).then(resolve)));
  bus.complete(id, { id });
  return done;
});`,
  output: `${withAlsImport(JOB_BUS("process.once(\"beforeExit\", () => this.emit(`done:${id}`, result));"))}export const parent = traceable(async (id: string) => {
  const done = new Promise((resolve) => bus.once(\`done:\${id}\`, AsyncLocalStorage.bind((r) => child(r).then(resolve))));
  bus.complete(id, { id });
  return done;
});`,
  errors: [{ messageId: "listener", data: { method: "once", scope: "traceable" } }],
});

// A store whose records keep the callback under a key the file never reads back: nothing can call it later.
const CACHE = (expire: string) => `${H}class Cache {
  #entries = new Map<string, { loader: (k: string) => Promise<unknown>; promise: Promise<unknown>; stale: boolean }>();
  #timer = setInterval(() => this.#expire(), 5);
  getOrLoad(key: string, loader: (k: string) => Promise<unknown>) {
    const hit = this.#entries.get(key);
    if (hit && !hit.stale) return hit.promise;
    const promise = loader(key);
    this.#entries.set(key, { loader, promise, stale: false });
    return promise;
  }
  #expire() {
    ${expire}
  }
}
const cache = new Cache();
`;
valid.push({
  name: "a loader kept in a cache record whose loader key nothing reads back (the timer only marks records stale)",
  code: `${CACHE("for (const entry of this.#entries.values()) entry.stale = true;")}export const parent = traceable(async (key: string) => cache.getOrLoad(key, (k) => child(k)));`,
});
invalid.push({
  name: "a loader kept in a cache record that the refresh timer calls again",
  code: `${CACHE("for (const [key, entry] of this.#entries) entry.promise = entry.loader(key);")}export const parent = traceable(async (key: string) => cache.getOrLoad(key, (k) => child(k)));`,
  output: `${withAlsImport(CACHE("for (const [key, entry] of this.#entries) entry.promise = entry.loader(key);"))}export const parent = traceable(async (key: string) => cache.getOrLoad(key, AsyncLocalStorage.bind((k) => child(k))));`,
  errors: [{ messageId: "stored", data: { receiver: "this.#entries", scope: "traceable", via: " (through `getOrLoad()`)" } }],
});

// A callback the scope hands a helper inside an object of handlers (`{ cleanup }`), which the helper registers.
const SHUTDOWN = `${H}const lifecycle = new AbortController();
function onShutdown(signal: AbortSignal, handlers: { cleanup: () => unknown }) {
  signal.addEventListener("abort", handlers.cleanup, { once: true });
}
`;
valid.push({
  name: "an object of handlers whose cleanup a helper registers on a signal made in the scope",
  code: `${SHUTDOWN}export const parent = traceable(async (id: string) => {
  const local = new AbortController();
  onShutdown(local.signal, { cleanup: () => child(id) });
  local.abort();
});`,
});
invalid.push({
  name: "an object of handlers whose cleanup a helper registers on a module-level AbortController's signal",
  code: `${SHUTDOWN}export const parent = traceable(async (id: string) => {
  onShutdown(lifecycle.signal, { cleanup: () => child(id) });
});`,
  output: `${withAlsImport(SHUTDOWN)}export const parent = traceable(async (id: string) => {
  onShutdown(lifecycle.signal, { cleanup: AsyncLocalStorage.bind(() => child(id)) });
});`,
  errors: [{ messageId: "handler", data: { method: "addEventListener", scope: "traceable" } }],
});

// A traceable handed to a store with the call's data and the resolver of the promise the call waits on: a job of this
// call, not a registry's handler.
const MICRO = `${H}class MicroBatcher {
  items: { payload: unknown; handler: (p: unknown) => Promise<unknown>; resolve: (v: unknown) => void }[] = [];
  timer: ReturnType<typeof setTimeout> | null = null;
  add(payload: unknown, handler: (p: unknown) => Promise<unknown>) {
    return new Promise((resolve) => {
      this.items.push({ payload, handler, resolve });
      this.timer ??= setTimeout(() => this.flush(), 3);
    });
  }
  flush() {
    this.timer = null;
    for (const { payload, handler, resolve } of this.items.splice(0)) handler(payload).then(resolve);
  }
}
const batcher = new MicroBatcher();
const handlers = new Map<string, (p: unknown) => unknown>();
function register(name: string, handler: (p: unknown) => unknown) {
  handlers.set(name, handler);
}
`;
valid.push({ name: "a traceable registered in a registry of handlers (it runs as its own trace by design)", code: `${MICRO}export const parent = traceable(async () => register("child", child));` });
invalid.push({
  name: "a traceable handed to a batcher with the call's data and the resolver it waits on",
  code: `${MICRO}export const parent = traceable(async (x: number) => batcher.add(x, child));`,
  output: `${withAlsImport(MICRO)}export const parent = traceable(async (x: number) => batcher.add(x, AsyncLocalStorage.bind(child)));`,
  errors: [{ messageId: "stored", data: { receiver: "this.items", scope: "traceable", via: " (through `add()`)" } }],
});

const COALESCER = `class Coalescer {
  calls: [(...a: unknown[]) => unknown, unknown[]][] = [];
  handle: ReturnType<typeof setImmediate> | null = null;
  schedule(fn: (...a: unknown[]) => unknown, args: unknown[]) {
    this.calls.push([fn, args]);
    this.handle ??= setImmediate(() => {
      this.handle = null;
      for (const [f, a] of this.calls.splice(0)) f(...a);
    });
  }
}
const coalescer = new Coalescer();
`;
// Another module's object with a `push` method of its own: what it does is its summary's to say, not the name's.
const pumps = projectOnDisk({
  "src/pump.ts": `import { AsyncResource } from "node:async_hooks";
class Job extends AsyncResource {
  constructor(readonly payload: unknown, readonly handler: (p: unknown) => Promise<unknown>, readonly ack: (v: unknown) => void) {
    super("job");
  }
  run() {
    return this.runInAsyncScope(this.handler, null, this.payload);
  }
}
class BoundPump {
  #items: Job[] = [];
  push({ payload, handler, ack }: { payload: unknown; handler: (p: unknown) => Promise<unknown>; ack: (v: unknown) => void }) {
    this.#items.push(new Job(payload, handler, ack));
  }
}
class PlainPump {
  #items: { payload: unknown; handler: (p: unknown) => Promise<unknown>; ack: (v: unknown) => void }[] = [];
  constructor() {
    setInterval(() => {
      const job = this.#items.shift();
      if (job) void job.handler(job.payload).then(job.ack);
    }, 5);
  }
  push(job: { payload: unknown; handler: (p: unknown) => Promise<unknown>; ack: (v: unknown) => void }) {
    this.#items.push(job);
  }
}
export const bound = new BoundPump();
export const plain = new PlainPump();
`,
});
const PUMP_MAIN = path.join(pumps, "src/main.ts");
const PH = `import { traceable } from "langsmith/traceable";
import { bound, plain } from "./pump";
const child = traceable(async (x: unknown) => x, { name: "child" });
`;
valid.push({
  name: "a job record with a traceable given to another module's push that wraps it in an AsyncResource",
  filename: PUMP_MAIN,
  code: `${PH}export const parent = traceable(async (x: number) => new Promise((ack) => bound.push({ payload: x, handler: child, ack })));`,
});
invalid.push(
  {
    name: "a job record with a traceable and the resolver given to another module's push that keeps it for a timer",
    filename: PUMP_MAIN,
    code: `${PH}export const parent = traceable(async (x: number) => new Promise((ack) => plain.push({ payload: x, handler: child, ack })));`,
    output: `${withAlsImport(PH)}export const parent = traceable(async (x: number) => new Promise((ack) => plain.push({ payload: x, handler: AsyncLocalStorage.bind(child), ack })));`,
    errors: [{ messageId: "stored", data: { receiver: "this.#items", scope: "traceable", via: " (through `push()`)" } }],
  },
  {
    name: "a traceable handed to a coalescer with its arguments and the resolver the call waits on",
    code: `${H}${COALESCER}export const parent = traceable(async (x: number) => new Promise((resolve) => coalescer.schedule(child, [x, resolve])));`,
    output: `${withAlsImport(H)}${COALESCER}export const parent = traceable(async (x: number) => new Promise((resolve) => coalescer.schedule(AsyncLocalStorage.bind(child), [x, resolve])));`,
    errors: [{ messageId: "stored", data: { receiver: "this.calls", scope: "traceable", via: " (through `schedule()`)" } }],
  },
);

// A shared instance kept as a static member of a CommonJS module's class (`Ticker.shared = new Ticker(4)`).
const tickers = projectOnDisk({
  "src/ticker.cjs": `class Ticker {
  constructor(ms) {
    this.observers = new Set();
    this.handle = setInterval(() => this.tick(), ms);
  }
  tick() {
    for (const observer of [...this.observers]) observer.next(Date.now());
  }
  subscribe(observer) {
    this.observers.add(observer);
  }
}
Ticker.shared = new Ticker(5);
module.exports = Ticker;
`,
});
const TICK = `import { createRequire } from "node:module";
import { traceable } from "langsmith/traceable";
const require = createRequire(import.meta.url);
const Ticker = require("./ticker.cjs");
const child = traceable(async (x) => x, { name: "child" });
`;
invalid.push({
  name: "an observer subscribed to the shared instance a CommonJS class keeps as a static member, ticked by its interval",
  filename: path.join(tickers, "src/main.mjs"),
  code: `${TICK}export const parent = traceable(async (id) => {
  Ticker.shared.subscribe({ next: (tick) => child({ id, tick }) });
});`,
  output: `${withAlsImport(TICK)}export const parent = traceable(async (id) => {
  Ticker.shared.subscribe({ next: AsyncLocalStorage.bind((tick) => child({ id, tick })) });
});`,
  errors: [{ messageId: "stored", data: { receiver: "this.observers", scope: "traceable", via: " (through `subscribe()`)" } }],
});

// The traced callback is a member a static factory sets on each instance it makes (`sync.emit = traceable(...)`), read
// back as `this.emit` in a method: the instance's member holds the traceable.
const STATIC_FACTORY = (handOver: string) => `${H}const rows: { row: number; done: (row: number) => unknown }[] = [];
setInterval(() => { for (const r of rows.splice(0)) r.done(r.row); }, 50);
function addRow(row: number, afterWrite: (row: number) => unknown) {
  rows.push({ row, done: afterWrite });
}
class WarehouseSync {
  emitChange!: (row: number) => Promise<unknown>;
  static for(key: string) {
    const sync = new WarehouseSync();
    sync.emitChange = traceable(async (row: number) => ({ key, row }), { name: "emit_change" });
    return sync;
  }
  run = traceable(async (row: number) => {
    addRow(row, ${handOver});
  }, { name: "sync_rows" });
}
`;
invalid.push({
  name: "a traceable a static factory sets on each instance it makes, read back as this.member and stored for a drain started at load",
  code: `${STATIC_FACTORY("this.emitChange")}export const east = WarehouseSync.for("east");`,
  output: `${withAlsImport(STATIC_FACTORY("AsyncLocalStorage.bind(this.emitChange)"))}export const east = WarehouseSync.for("east");`,
  errors: [{ messageId: "stored", data: { receiver: "rows", scope: "traceable", via: " (through `addRow()`)" } }],
});
valid.push({
  name: "a plain function a static factory sets on each instance it makes, stored for a drain started at load (no traced work)",
  code: `${STATIC_FACTORY("this.emitChange")}export const east = WarehouseSync.for("east");`.replace("traceable(async (row: number) => ({ key, row }), { name: \"emit_change\" })", "async (row: number) => ({ key, row })"),
});

// Another module's batcher keeps a traceable it is given in the pending record of the call (a record whose function
// settles the promise the call returns), and a timer armed by the first caller runs every record: that call's work,
// run in the first caller's context. A registry keeps traceables for whoever calls them later (valid), and a record
// that runs the traceable inside a snapshot taken by the storing call is pinned (valid).
const batchers = projectOnDisk({
  "src/stock-loader.js": `import { AsyncLocalStorage } from "node:async_hooks";
export class StockLoader {
  #pending = [];
  #timer = null;
  load(sku, then) {
    return new Promise((resolve) => {
      this.#pending.push({ sku, done: (level) => resolve(then(level)) });
      this.#timer ??= setTimeout(() => this.#dispatch(), 5);
    });
  }
  loadPinned(sku, then) {
    const inCaller = AsyncLocalStorage.snapshot();
    return new Promise((resolve) => {
      this.#pending.push({ sku, done: (level) => inCaller(() => resolve(then(level))) });
      this.#timer ??= setTimeout(() => this.#dispatch(), 5);
    });
  }
  #dispatch() {
    this.#timer = null;
    for (const entry of this.#pending.splice(0)) entry.done(entry.sku.length);
  }
}
export class Handlers {
  #byName = new Map();
  register(name, handler) {
    this.#byName.set(name, handler);
  }
  run(name, input) {
    return this.#byName.get(name)(input);
  }
}
`,
});
const BATCH = `import { traceable } from "langsmith/traceable";
import { StockLoader, Handlers } from "./stock-loader.js";
const loader = new StockLoader();
const handlers = new Handlers();
`;
invalid.push({
  name: "a traceable made by a factory, kept by another module's batcher in the pending record of the call (its function settles the call's promise)",
  filename: path.join(batchers, "src/main.js"),
  code: `${BATCH}export function productPage(key, sku) {
  const reserve = traceable(async (level) => ({ sku, reserved: level > 0 }), { name: "reserve" });
  return traceable(async () => loader.load(sku, reserve), { name: "product_page" });
}`,
  output: `${withAlsImport(BATCH)}export function productPage(key, sku) {
  const reserve = traceable(async (level) => ({ sku, reserved: level > 0 }), { name: "reserve" });
  return traceable(async () => loader.load(sku, AsyncLocalStorage.bind(reserve)), { name: "product_page" });
}`,
  errors: [{ messageId: "stored", data: { receiver: "this.#pending", scope: "traceable", via: " (through `load()`)" } }],
});
valid.push(
  {
    name: "a traceable made by a factory, registered by another module's registry (a handler for whoever runs it later)",
    filename: path.join(batchers, "src/main.js"),
    code: `${BATCH}export function productPage(key, sku) {
  const reserve = traceable(async (level) => ({ sku, reserved: level > 0 }), { name: "reserve" });
  return traceable(async () => handlers.register(key, reserve), { name: "product_page" });
}`,
  },
  {
    name: "a traceable kept by another module's batcher in a pending record that runs it inside a snapshot the storing call takes",
    filename: path.join(batchers, "src/main.js"),
    code: `${BATCH}export function productPage(key, sku) {
  const reserve = traceable(async (level) => ({ sku, reserved: level > 0 }), { name: "reserve" });
  return traceable(async () => loader.loadPinned(sku, reserve), { name: "product_page" });
}`,
  },
);

// A coalescer that keeps the latest job in a variable of its factory and runs it from a timer: armed only when none is
// pending, the first caller's timer runs later callers' jobs (split); cancelled and re-armed by every call, the timer
// that fires is the last caller's, running the last job in that caller's context (nests).
const COALESCE = (arm: string) => `${H}function coalesce(waitMs: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let latest: (() => unknown) | null = null;
  const waiters: ((v: unknown) => void)[] = [];
  return (job: () => unknown) =>
    new Promise((resolve) => {
      latest = job;
      waiters.push(resolve);
${arm}
    });
}
const saveCart = coalesce(20);
`;
const FIRE = "() => {\n        timer = null;\n        const result = latest!();\n        waiters.splice(0).forEach((w) => w(result));\n      }";
invalid.push({
  name: "a job kept in a factory variable, run by a timer only the first caller arms (if (!timer))",
  code: `${COALESCE(`      if (!timer) timer = setTimeout(${FIRE}, waitMs);`)}export const update = traceable(async (cart: string[]) => saveCart(() => child(cart)));`,
  output: `${withAlsImport(COALESCE(`      if (!timer) timer = setTimeout(${FIRE}, waitMs);`))}export const update = traceable(async (cart: string[]) => saveCart(AsyncLocalStorage.bind(() => child(cart))));`,
  errors: [{ messageId: "assigned" }],
});
valid.push(
  {
    name: "a job kept in a factory variable, run by a timer every call cancels and re-arms (the last call wins)",
    code: `${COALESCE(`      clearTimeout(timer!);\n      timer = setTimeout(${FIRE}, waitMs);`)}export const update = traceable(async (cart: string[]) => saveCart(() => child(cart)));`,
  },
  {
    name: "a job kept in a factory variable, run by a timer every call cancels (behind if (timer)) and re-arms",
    code: `${COALESCE(`      if (timer) clearTimeout(timer);\n      timer = setTimeout(${FIRE}, waitMs);`)}export const update = traceable(async (cart: string[]) => saveCart(() => child(cart)));`,
  },
);
invalid.push({
  name: "a job kept in a factory variable, run by a timer every call arms without cancelling the pending one",
  code: `${COALESCE(`      timer = setTimeout(${FIRE}, waitMs);`)}export const update = traceable(async (cart: string[]) => saveCart(() => child(cart)));`,
  output: `${withAlsImport(COALESCE(`      timer = setTimeout(${FIRE}, waitMs);`))}export const update = traceable(async (cart: string[]) => saveCart(AsyncLocalStorage.bind(() => child(cart))));`,
  errors: [{ messageId: "assigned" }],
});
// The same coalescers exported by another module of the project.
const coalescers = projectOnDisk({
  "src/coalesce.js": `export function firstArms(waitMs) {
  let timer = null;
  let latest = null;
  return (job) =>
    new Promise((resolve) => {
      latest = job;
      if (!timer) {
        timer = setTimeout(() => {
          timer = null;
          resolve(latest());
        }, waitMs);
      }
    });
}
export function lastWins(waitMs) {
  let timer = null;
  let latest = null;
  return (job) =>
    new Promise((resolve) => {
      latest = job;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        resolve(latest());
      }, waitMs);
    });
}
`,
});
const COALESCED = (factory: string) => `import { traceable } from "langsmith/traceable";
import { ${factory} } from "./coalesce.js";
const saveCart = ${factory}(20);
const persist = traceable(async (cart) => cart, { name: "persist" });
`;
invalid.push({
  name: "a job handed to the function another module's factory returns, run by a timer only its first caller arms",
  filename: path.join(coalescers, "src/main.js"),
  code: `${COALESCED("firstArms")}export const update = traceable(async (cart) => saveCart(() => persist(cart)), { name: "update" });`,
  output: `${withAlsImport(COALESCED("firstArms"))}export const update = traceable(async (cart) => saveCart(AsyncLocalStorage.bind(() => persist(cart))), { name: "update" });`,
  errors: [{ messageId: "assigned" }],
});
valid.push({
  name: "a job handed to the function another module's factory returns, run by a timer every call cancels and re-arms",
  filename: path.join(coalescers, "src/main.js"),
  code: `${COALESCED("lastWins")}export const update = traceable(async (cart) => saveCart(() => persist(cart)), { name: "update" });`,
});

// A method of the instance another module's class keeps in a static getter (`SurveyScheduler.shared.schedule`), ticked
// by an interval its constructor starts (at load: the module warms the getter up), and a static property holding one.
const schedulers = projectOnDisk({
  "src/surveys.js": `export class SurveyScheduler {
  static #instance;
  #due = [];
  static get shared() {
    return (SurveyScheduler.#instance ??= new SurveyScheduler());
  }
  constructor() {
    setInterval(() => this.#tick(), 5);
  }
  schedule(delayMs, send) {
    this.#due.push({ at: Date.now() + delayMs, send });
  }
  #tick() {
    const now = Date.now();
    while (this.#due.length && this.#due[0].at <= now) this.#due.shift().send();
  }
}
SurveyScheduler.shared;
export class Reminders {
  static daily = new Reminders();
  #jobs = [];
  constructor() {
    setInterval(() => this.#jobs.splice(0).forEach((job) => job()), 5);
  }
  add(job) {
    this.#jobs.push(job);
  }
  count() {
    return this.#jobs.length;
  }
}
`,
});
const SURVEY = `import { traceable } from "langsmith/traceable";
import { SurveyScheduler, Reminders } from "./surveys.js";
const sendSurvey = traceable(async (conv) => conv, { name: "send_survey" });
`;
invalid.push(
  {
    name: "a callback handed to a method of the instance another module's class keeps in a static getter (Class.shared.method)",
    filename: path.join(schedulers, "src/main.js"),
    code: `${SURVEY}export const resolve = traceable(async (conv) => {
  SurveyScheduler.shared.schedule(15, () => sendSurvey(conv));
}, { name: "resolve" });`,
    output: `${withAlsImport(SURVEY)}export const resolve = traceable(async (conv) => {
  SurveyScheduler.shared.schedule(15, AsyncLocalStorage.bind(() => sendSurvey(conv)));
}, { name: "resolve" });`,
    errors: [{ messageId: "stored", data: { receiver: "this.#due", scope: "traceable", via: " (through `schedule()`)" } }],
  },
  {
    name: "a callback handed to a method of the instance another module's class keeps in a static property",
    filename: path.join(schedulers, "src/main.js"),
    code: `${SURVEY}export const resolve = traceable(async (conv) => {
  Reminders.daily.add(() => sendSurvey(conv));
}, { name: "resolve" });`,
    output: `${withAlsImport(SURVEY)}export const resolve = traceable(async (conv) => {
  Reminders.daily.add(AsyncLocalStorage.bind(() => sendSurvey(conv)));
}, { name: "resolve" });`,
    errors: [{ messageId: "stored", data: { receiver: "this.#jobs", scope: "traceable", via: " (through `add()`)" } }],
  },
);
valid.push({
  name: "a method of the kept instance that only reads (Class.static.count())",
  filename: path.join(schedulers, "src/main.js"),
  code: `${SURVEY}export const resolve = traceable(async (conv) => {
  return Reminders.daily.count() + (await sendSurvey(conv));
}, { name: "resolve" });`,
});

// A helper that parks an optional callback for a replay started elsewhere: bound where it is parked (`cb &&
// AsyncResource.bind(cb)`: the stored value is the bound one), or kept as it is (`cb ?? noop`).
const PARKED_OPTIONAL = (kept: string) => `import { AsyncResource } from "node:async_hooks";
${H}const parked: { req: number; onSent?: (v: unknown) => unknown }[] = [];
setInterval(() => { for (const p of parked.splice(0)) p.onSent?.(p.req); }, 10);
function park(req: number, onSent?: (v: unknown) => unknown) {
  parked.push({ req, onSent: ${kept} });
}
`;
valid.push({
  name: "an optional callback parked bound to the parking call's context (cb && AsyncResource.bind(cb))",
  code: `${PARKED_OPTIONAL("onSent && AsyncResource.bind(onSent)")}export const label = traceable(async (req: number) => park(req, (v) => child(v)));`,
});
invalid.push({
  name: "an optional callback parked as it is, with a fallback (cb ?? noop)",
  code: `${PARKED_OPTIONAL("onSent ?? (() => undefined)")}export const label = traceable(async (req: number) => park(req, (v) => child(v)));`,
  output: `${PARKED_OPTIONAL("onSent ?? (() => undefined)").replace("import { AsyncResource } from", "import { AsyncResource, AsyncLocalStorage } from")}export const label = traceable(async (req: number) => park(req, AsyncLocalStorage.bind((v) => child(v))));`,
  errors: [{ messageId: "stored", data: { receiver: "parked", scope: "traceable", via: " (through `park()`)" } }],
});

// An event whose payload carries a callback, emitted on an emitter whose listener for that event keeps the payload in
// a store a timer drains later (a job bus with a buffering worker): the callback runs from that timer.
const BUFFERING_BUS = (listener: string) => `${H}const jobs = new EventEmitter();
const buffer: { run: () => unknown }[] = [];
setInterval(() => { for (const job of buffer.splice(0, 4)) job.run(); }, 5);
jobs.on("suggest-tags", ${listener});
`;
invalid.push({
  name: "a payload callback emitted to a listener that buffers the payload for a timer started at load",
  code: `${BUFFERING_BUS("(job: { run: () => unknown }) => { buffer.push(job); }")}export const createTicket = traceable(async (subject: string) => {
  jobs.emit("suggest-tags", { ticket: subject.length, run: () => child(subject) });
});`,
  output: `${withAlsImport(BUFFERING_BUS("(job: { run: () => unknown }) => { buffer.push(job); }"))}export const createTicket = traceable(async (subject: string) => {
  jobs.emit("suggest-tags", { ticket: subject.length, run: AsyncLocalStorage.bind(() => child(subject)) });
});`,
  errors: [{ messageId: "stored", data: { receiver: "buffer", scope: "traceable", via: " (through the `suggest-tags` listener)" } }],
});
valid.push(
  {
    name: "a payload callback emitted to a listener that runs it at once (inside the emit, in the trace)",
    code: `${BUFFERING_BUS("(job: { run: () => unknown }) => job.run()")}export const createTicket = traceable(async (subject: string) => {
  jobs.emit("suggest-tags", { ticket: subject.length, run: () => child(subject) });
});`,
  },
  {
    name: "a payload callback emitted for another event than the buffering listener's",
    code: `${BUFFERING_BUS("(job: { run: () => unknown }) => { buffer.push(job); }")}export const createTicket = traceable(async (subject: string) => {
  jobs.emit("audit", { ticket: subject.length, run: () => child(subject) });
});`,
  },
);
// The job bus in a CommonJS module of its own.
const jobBuses = projectOnDisk({
  "src/jobs.cjs": `const { EventEmitter } = require("node:events");
const jobs = new EventEmitter();
const buffer = [];
const batcher = setInterval(() => {
  for (const job of buffer.splice(0, 4)) job.run();
}, 5);
jobs.on("suggest-tags", (job) => {
  buffer.push(job);
});
jobs.on("audit", (entry) => entry.run());
module.exports = { jobs, stopWorkers: () => clearInterval(batcher) };
`,
});
const BUS_MAIN = `const { traceable } = require("langsmith/traceable");
const { jobs } = require("./jobs.cjs");
const suggestTags = traceable(async (subject) => subject.split(" "), { name: "suggest_tags" });
`;
invalid.push({
  name: "a payload callback emitted on another module's emitter whose listener buffers it for a timer started at load",
  filename: path.join(jobBuses, "src/main.cjs"),
  code: `${BUS_MAIN}exports.createTicket = traceable(async (subject) => {
  jobs.emit("suggest-tags", { subject, run: () => suggestTags(subject) });
}, { name: "create_ticket" });`,
  output: `${BUS_MAIN.replace('const { jobs } = require("./jobs.cjs");', 'const { jobs } = require("./jobs.cjs");\nconst { AsyncLocalStorage } = require("node:async_hooks");')}exports.createTicket = traceable(async (subject) => {
  jobs.emit("suggest-tags", { subject, run: AsyncLocalStorage.bind(() => suggestTags(subject)) });
}, { name: "create_ticket" });`,
  errors: [{ messageId: "stored", data: { receiver: "buffer", scope: "traceable", via: " (through the `suggest-tags` listener)" } }],
});
valid.push({
  name: "a payload callback emitted on another module's emitter whose listener runs it at once",
  filename: path.join(jobBuses, "src/main.cjs"),
  code: `${BUS_MAIN}exports.createTicket = traceable(async (subject) => {
  jobs.emit("audit", { subject, run: () => suggestTags(subject) });
}, { name: "create_ticket" });`,
});

// A helper that stores the callback and, in the same call, schedules a microtask that runs that very entry.
const PER_ENTRY = (schedule: string) => `${H}const batch: { entries: (() => unknown)[]; scheduled: boolean } = { entries: [], scheduled: false };
function addToBatch(fn: () => unknown) {
  batch.entries.push(fn);
  ${schedule}
}
`;
valid.push(
  {
    name: "a microtask scheduled per entry that takes its own entry back out by identity and runs it",
    code: `${PER_ENTRY("queueMicrotask(() => {\n    const run = batch.entries.splice(batch.entries.indexOf(fn), 1)[0];\n    run();\n  });")}export const parent = traceable(async (x: number) => addToBatch(() => child(x)));`,
  },
);
invalid.push(
  {
    name: "a microtask scheduled once, by the first caller, that runs every entry",
    code: `${PER_ENTRY("if (batch.scheduled) return;\n  batch.scheduled = true;\n  queueMicrotask(() => {\n    batch.scheduled = false;\n    for (const run of batch.entries.splice(0)) run();\n  });")}export const parent = traceable(async (x: number) => addToBatch(() => child(x)));`,
    output: `${withAlsImport(PER_ENTRY("if (batch.scheduled) return;\n  batch.scheduled = true;\n  queueMicrotask(() => {\n    batch.scheduled = false;\n    for (const run of batch.entries.splice(0)) run();\n  });"))}export const parent = traceable(async (x: number) => addToBatch(AsyncLocalStorage.bind(() => child(x))));`,
    errors: [{ messageId: "stored" }],
  },
  {
    name: "a microtask scheduled per entry that runs every entry (other calls' entries too)",
    code: `${PER_ENTRY("queueMicrotask(() => {\n    for (const run of batch.entries.splice(0)) run();\n  });")}export const parent = traceable(async (x: number) => addToBatch(() => child(x)));`,
    output: `${withAlsImport(PER_ENTRY("queueMicrotask(() => {\n    for (const run of batch.entries.splice(0)) run();\n  });"))}export const parent = traceable(async (x: number) => addToBatch(AsyncLocalStorage.bind(() => child(x))));`,
    errors: [{ messageId: "stored" }],
  },
);

// An instance of another module's class handed in by the program's entry (`createChat(new ModelHost(10))`): the
// chat module's parameter holds that instance, and the class's module summarizes its methods.
const injected = projectOnDisk({
  "src/model-host.ts": `export class ModelHost {
  #ready = false;
  #waiters: ((host: ModelHost) => unknown)[] = [];
  constructor(loadMs: number) {
    setTimeout(() => {
      this.#ready = true;
      for (const fn of this.#waiters.splice(0)) fn(this);
    }, loadMs);
  }
  whenReady(fn: (host: ModelHost) => unknown) {
    if (this.#ready) fn(this);
    else this.#waiters.push(fn);
  }
  now(fn: (host: ModelHost) => unknown) {
    return fn(this);
  }
}
`,
  "src/main.ts": `import { ModelHost } from "./model-host";
import { createChat } from "./chat";
const chat = createChat(new ModelHost(10));
void chat.request("hi");
`,
  // The linted file's text is the case's; the file is on disk so that main.ts's import of it resolves.
  "src/chat.ts": `export function createChat(host: any) { return host; }\n`,
});
const CHAT = `import { traceable } from "langsmith/traceable";
const child = traceable(async (x: unknown) => x, { name: "child" });
export function createChat(host: any) {
  return {
    request: traceable(async (text: string) => {
      %BODY%
    }),
  };
}`;
valid.push({
  name: "an injected instance of another module's class whose method runs the callback at once",
  filename: path.join(injected, "src/chat.ts"),
  code: CHAT.replace("%BODY%", "return host.now(() => child(text));"),
});
invalid.push({
  name: "an injected instance of another module's class whose method keeps the callback for its constructor's timer",
  filename: path.join(injected, "src/chat.ts"),
  code: CHAT.replace("%BODY%", "return new Promise((resolve) => host.whenReady(async () => resolve(await child(text))));"),
  output: withAlsImport(CHAT.replace("%BODY%", "return new Promise((resolve) => host.whenReady(AsyncLocalStorage.bind(async () => resolve(await child(text)))));")),
  errors: [{ messageId: "stored", data: { receiver: "this.#waiters", via: " (through `whenReady()`)", scope: "traceable" } }],
});

// A callback that hands the run tree it captured to the traceable, and calls it without one only when there is none
// (no trace to split from).
valid.push({
  name: "a stored callback that passes a captured run tree, and calls the traceable bare only when there is none",
  code: `${H}import { getCurrentRunTree } from "langsmith/traceable";
const feed: ((r: unknown) => unknown)[] = [];
setInterval(() => { for (const commit of feed.splice(0)) commit({}); }, 5);
export const parent = traceable(async () => {
  const parentRun = getCurrentRunTree(true);
  feed.push((r) => (parentRun ? child(parentRun, r) : child(r)));
  feed.push((r) => { if (!parentRun) return child(r); return child(parentRun, r); });
});`,
});
// A helper handed this call's data beside a traceable keeps both for a relay started at load (a transactional
// outbox): the traceable runs later for this call's data, so it is this call's work and splits like a closure.
const OUTBOX = `${H}const buffer: { message: unknown; publish: (m: unknown) => unknown }[] = [];
setInterval(() => {
  while (buffer.length) {
    const { message, publish } = buffer.shift()!;
    publish(message);
  }
}, 8);
function enqueue(message: unknown, publish: (m: unknown) => unknown) {
  buffer.push({ message, publish });
}
`;
valid.push({
  name: "a traceable handed to a helper that keeps it under a literal name (a registry), with no data of the call",
  code: `${OUTBOX}export const setup = traceable(async () => {
  enqueue("order.placed", child);
});`,
});
invalid.push({
  name: "a traceable handed to a helper with this call's data, kept together for a relay started at load",
  code: `${OUTBOX}export const placeOrder = traceable(async (order: { id: string }) => {
  enqueue({ type: "order.placed", id: order.id }, child);
});`,
  output: `${withAlsImport(OUTBOX)}export const placeOrder = traceable(async (order: { id: string }) => {
  enqueue({ type: "order.placed", id: order.id }, AsyncLocalStorage.bind(child));
});`,
  errors: [{ messageId: "stored", data: { receiver: "buffer", via: " (through `enqueue()`)", scope: "traceable" } }],
});
const outboxProject = projectOnDisk({
  "src/outbox.cjs": `const buffer = [];
const relayTimer = setInterval(relay, 8);
function relay() {
  while (buffer.length) {
    const { message, publish } = buffer.shift();
    publish(message);
  }
}
module.exports = {
  enqueue(message, publish) { buffer.push({ message, publish }); },
  shutdown() { clearInterval(relayTimer); relay(); },
};
`,
});
invalid.push({
  name: "the same outbox in a CommonJS module of its own, whose exported object's method keeps the pair",
  filename: path.join(outboxProject, "src/orders.cjs"),
  code: `const { traceable } = require("langsmith/traceable");
const outbox = require("./outbox.cjs");
const publishEvent = traceable(async (evt) => evt, { name: "child" });
const placeOrder = traceable(async (order) => {
  outbox.enqueue({ type: "order.placed", id: order.id }, publishEvent);
}, { name: "parent" });
module.exports = { placeOrder };`,
  output: `const { traceable } = require("langsmith/traceable");
const outbox = require("./outbox.cjs");
const { AsyncLocalStorage } = require("node:async_hooks");
const publishEvent = traceable(async (evt) => evt, { name: "child" });
const placeOrder = traceable(async (order) => {
  outbox.enqueue({ type: "order.placed", id: order.id }, AsyncLocalStorage.bind(publishEvent));
}, { name: "parent" });
module.exports = { placeOrder };`,
  errors: [{ messageId: "stored" }],
});

// A listener another module's emitter class adds to its own instance (`whenOpen(cb)` doing `this.once("open", cb)`):
// the instance's emitting methods (`connect`, through `#announce`) decide where the event comes from.
const connectorProject = projectOnDisk({
  "src/connector.mjs": `import { EventEmitter } from "node:events";
export class Connector extends EventEmitter {
  #options = {};
  configure(options) { this.#options = options; return this; }
  whenOpen(callback) { this.once("open", callback); }
  connect() { setTimeout(() => this.#announce(), 10); }
  #announce() { this.emit("open", this.#options); }
}
`,
  "src/batcher.mjs": `export class EmbedBatcher {
  #items = [];
  #timer = null;
  static withFakeProvider() { return new EmbedBatcher(); }
  add(text, onEmbedded) {
    this.#items.push({ text, onEmbedded });
    this.#timer ??= setTimeout(() => this.#flush(), 10);
  }
  #flush() {
    this.#timer = null;
    for (const item of this.#items.splice(0)) item.onEmbedded([item.text.length]);
  }
}
`,
  "src/indexer.mjs": `import { traceable } from "langsmith/traceable";
export function makeIndexer({ batcher }) {
  const store = traceable(async (vec) => vec, { name: "child" });
  return traceable((text) => new Promise((resolve) => batcher.add(text, (vec) => store(vec).then(resolve))), { name: "parent" });
}
`,
  "src/app.mjs": `import { EmbedBatcher } from "./batcher.mjs";
import { makeIndexer } from "./indexer.mjs";
export const indexDocument = makeIndexer({ batcher: EmbedBatcher.withFakeProvider() });
`,
  "src/debounce.mjs": `export class LastWins {
  #entries = new Map();
  call(key, fn) {
    const prev = this.#entries.get(key);
    if (prev) clearTimeout(prev.timer);
    const entry = { fn, waiters: prev?.waiters ?? [] };
    this.#entries.set(key, entry);
    entry.timer = setTimeout(() => this.#fire(key, entry), 5);
    return new Promise((resolve) => entry.waiters.push(resolve));
  }
  #fire(key, e) {
    this.#entries.delete(key);
    Promise.resolve(e.fn()).then((v) => e.waiters.forEach((w) => w(v)));
  }
}
export class Sweeper {
  #entries = new Map();
  #sweep = setInterval(() => { for (const [key, e] of this.#entries) { this.#entries.delete(key); e.fn(); } }, 5);
  call(key, fn) {
    const entry = { fn };
    this.#entries.set(key, entry);
  }
}
`,
  "src/reindex.mjs": `import { traceable } from "langsmith/traceable";
export function makeReindexer({ debouncer }) {
  const reindex = traceable(async (doc) => doc, { name: "child" });
  return traceable(async (doc) => debouncer.call(doc, () => reindex(doc)), { name: "parent" });
}
`,
  "src/sweep.mjs": `import { traceable } from "langsmith/traceable";
export function makeSweeping({ debouncer }) {
  const reindex = traceable(async (doc) => doc, { name: "child" });
  return traceable(async (doc) => debouncer.call(doc, () => reindex(doc)), { name: "parent" });
}
`,
  "src/wiring.mjs": `import { LastWins, Sweeper } from "./debounce.mjs";
import { makeReindexer } from "./reindex.mjs";
import { makeSweeping } from "./sweep.mjs";
export const reindexDoc = makeReindexer({ debouncer: new LastWins() });
export const sweepDoc = makeSweeping({ debouncer: new Sweeper() });
`,
  "src/subject.cjs": `class Subject {
  #observers = new Set();
  subscribe(observer) {
    const sub = { observer };
    this.#observers.add(sub);
  }
  next(value) {
    for (const sub of [...this.#observers]) sub.observer.next(value);
  }
}
module.exports = { Subject };
`,
  "src/feed.cjs": `const { Subject } = require("./subject.cjs");
const routing = new Subject();
const timer = setInterval(() => routing.next({ model: "small" }), 10);
module.exports = { routing, stop: () => clearInterval(timer) };
`,
  "src/dispatch.mjs": `import { MessageChannel } from "node:worker_threads";
const { port1: producer, port2: consumer } = new MessageChannel();
const tasks = new Map();
let seq = 0;
consumer.on("message", ({ id, payload }) => {
  const entry = tasks.get(id);
  tasks.delete(id);
  entry.done(payload);
});
export async function dispatch(run, payload) {
  const id = ++seq;
  const received = await new Promise((done) => {
    tasks.set(id, { run, done });
    producer.postMessage({ id, payload });
  });
  return run(received);
}
`,
  "src/outbox.mjs": `import { AsyncResource } from "node:async_hooks";
const tasks = new Set();
const moduleResource = new AsyncResource("Outbox");
export function defer(task) {
  const resource = new AsyncResource("OutboxTask");
  tasks.add(() => resource.runInAsyncScope(task));
}
export function deferShared(task) {
  tasks.add(() => moduleResource.runInAsyncScope(task));
}
process.once("beforeExit", () => { for (const run of tasks) run(); });
`,
});
const CONNECTOR_MAIN = path.join(connectorProject, "src/main.mjs");
const CONNECTOR_HEAD = `import { traceable } from "langsmith/traceable";
import { Connector } from "./connector.mjs";
const warmUp = traceable(async (info) => info, { name: "child" });
`;
invalid.push({
  name: "a listener another module's class adds to an instance made and connected at load",
  filename: CONNECTOR_MAIN,
  code: `${CONNECTOR_HEAD}const connector = new Connector().configure({ region: "us" });
connector.connect();
export const first = traceable(async () => new Promise((resolve) => connector.whenOpen((info) => warmUp(info).then(resolve))));`,
  output: `${CONNECTOR_HEAD.replace('import { Connector } from "./connector.mjs";\n', 'import { Connector } from "./connector.mjs";\nimport { AsyncLocalStorage } from "node:async_hooks";\n')}const connector = new Connector().configure({ region: "us" });
connector.connect();
export const first = traceable(async () => new Promise((resolve) => connector.whenOpen(AsyncLocalStorage.bind((info) => warmUp(info).then(resolve)))));`,
  errors: [{ messageId: "listener" }],
});
invalid.push({
  name: "a task deferred to another module that wraps it in an AsyncResource made at load",
  filename: CONNECTOR_MAIN,
  code: `${CONNECTOR_HEAD}import { deferShared } from "./outbox.mjs";
export const grade = traceable(async (score) => {
  deferShared(() => warmUp({ score }));
  return score;
});`,
  output: `${CONNECTOR_HEAD}import { deferShared } from "./outbox.mjs";
import { AsyncLocalStorage } from "node:async_hooks";
export const grade = traceable(async (score) => {
  deferShared(AsyncLocalStorage.bind(() => warmUp({ score })));
  return score;
});`,
  errors: [{ messageId: "stored" }],
});
invalid.push({
  name: "a dependency destructured from a factory's parameter, filled by its caller with what a static factory of a project class returns",
  filename: path.join(connectorProject, "src/indexer.mjs"),
  code: `import { traceable } from "langsmith/traceable";
export function makeIndexer({ batcher }) {
  const store = traceable(async (vec) => vec, { name: "child" });
  return traceable((text) => new Promise((resolve) => batcher.add(text, (vec) => store(vec).then(resolve))), { name: "parent" });
}
`,
  output: `import { traceable } from "langsmith/traceable";
import { AsyncLocalStorage } from "node:async_hooks";
export function makeIndexer({ batcher }) {
  const store = traceable(async (vec) => vec, { name: "child" });
  return traceable((text) => new Promise((resolve) => batcher.add(text, AsyncLocalStorage.bind((vec) => store(vec).then(resolve)))), { name: "parent" });
}
`,
  errors: [{ messageId: "stored" }],
});
invalid.push({
  name: "an observer subscribed to a subject another CommonJS module makes from a third module's class and feeds from an interval",
  filename: path.join(connectorProject, "src/router.cjs"),
  code: `const { traceable } = require("langsmith/traceable");
const { routing } = require("./feed.cjs");
const rebuild = traceable(async (cfg) => cfg, { name: "child" });
const start = traceable(async () => {
  routing.subscribe({ next: (cfg) => rebuild(cfg) });
}, { name: "parent" });
module.exports = { start };`,
  output: `const { traceable } = require("langsmith/traceable");
const { routing } = require("./feed.cjs");
const { AsyncLocalStorage } = require("node:async_hooks");
const rebuild = traceable(async (cfg) => cfg, { name: "child" });
const start = traceable(async () => {
  routing.subscribe({ next: AsyncLocalStorage.bind((cfg) => rebuild(cfg)) });
}, { name: "parent" });
module.exports = { start };`,
  errors: [{ messageId: "stored" }],
});
valid.push({
  name: "a task kept beside its promise's resolver by another module whose consumer only calls the resolver",
  filename: CONNECTOR_MAIN,
  code: `${CONNECTOR_HEAD}import { dispatch } from "./dispatch.mjs";
export const handle = traceable(async (payload) => dispatch((p) => warmUp(p), payload));`,
});
valid.push({
  name: "a last-call-wins debouncer of another module, injected: each call's timer, armed in that call, runs its own entry",
  filename: path.join(connectorProject, "src/reindex.mjs"),
  code: `import { traceable } from "langsmith/traceable";
export function makeReindexer({ debouncer }) {
  const reindex = traceable(async (doc) => doc, { name: "child" });
  return traceable(async (doc) => debouncer.call(doc, () => reindex(doc)), { name: "parent" });
}
`,
});
invalid.push({
  name: "the same call on a debouncer whose interval, armed at construction, sweeps every entry",
  filename: path.join(connectorProject, "src/sweep.mjs"),
  code: `import { traceable } from "langsmith/traceable";
export function makeSweeping({ debouncer }) {
  const reindex = traceable(async (doc) => doc, { name: "child" });
  return traceable(async (doc) => debouncer.call(doc, () => reindex(doc)), { name: "parent" });
}
`,
  output: `import { traceable } from "langsmith/traceable";
import { AsyncLocalStorage } from "node:async_hooks";
export function makeSweeping({ debouncer }) {
  const reindex = traceable(async (doc) => doc, { name: "child" });
  return traceable(async (doc) => debouncer.call(doc, AsyncLocalStorage.bind(() => reindex(doc))), { name: "parent" });
}
`,
  errors: [{ messageId: "stored" }],
});
valid.push(
  {
    name: "the same instance connected inside the trace: the emitting method's timer is armed there",
    filename: CONNECTOR_MAIN,
    code: `${CONNECTOR_HEAD}const connector = new Connector();
export const first = traceable(async () => {
  const opened = new Promise((resolve) => connector.whenOpen((info) => warmUp(info).then(resolve)));
  connector.connect();
  return opened;
});`,
  },
  {
    name: "an instance made inside the trace",
    filename: CONNECTOR_MAIN,
    code: `${CONNECTOR_HEAD}export const first = traceable(async () => {
  const own = new Connector();
  own.connect();
  return new Promise((resolve) => own.whenOpen((info) => warmUp(info).then(resolve)));
});`,
  },
  {
    name: "a listener added directly to the instance, whose emitting method the trace then calls",
    filename: CONNECTOR_MAIN,
    code: `${CONNECTOR_HEAD}const connector = new Connector();
export const first = traceable(async () => {
  const opened = new Promise((resolve) => connector.once("open", (info) => warmUp(info).then(resolve)));
  connector.connect();
  return opened;
});`,
  },
  {
    name: "a task deferred to another module that wraps it in an AsyncResource made when it is deferred",
    filename: CONNECTOR_MAIN,
    code: `${CONNECTOR_HEAD}import { defer } from "./outbox.mjs";
export const grade = traceable(async (score) => {
  defer(() => warmUp({ score }));
  return score;
});`,
  },
  {
    name: "an instance the trace is given (its caller decides where it was made)",
    filename: CONNECTOR_MAIN,
    code: `${CONNECTOR_HEAD}export const first = traceable(async (connector) => new Promise((resolve) => connector.whenOpen((info) => warmUp(info).then(resolve))));`,
  },
);

valid.push({
  name: "a listener on an EventEmitterAsyncResource a constructor makes: it runs listeners where it was made",
  code: `import { traceable } from "langsmith/traceable";
import { EventEmitterAsyncResource } from "node:events";
import { watch } from "./poller";
const evaluate = traceable(async (id: string) => id, { name: "child" });
export class Job {
  #events = new EventEmitterAsyncResource({ name: "JobEvents" });
  wait(id: string) {
    return new Promise((resolve) => {
      this.#events.on("status", () => evaluate(id).then(resolve));
      watch(id, this.#events);
    });
  }
}
export const launch = traceable(async (id: string) => new Job().wait(id), { name: "parent" });`,
});
invalid.push({
  name: "a listener on an EventEmitterAsyncResource made at load: its context is the module's",
  code: `import { traceable } from "langsmith/traceable";
import { EventEmitterAsyncResource } from "node:events";
const evaluate = traceable(async (id: string) => id, { name: "child" });
const events = new EventEmitterAsyncResource({ name: "JobEvents" });
export const launch = traceable(async (id: string) => new Promise((resolve) => {
  events.once("status", () => evaluate(id).then(resolve));
}), { name: "parent" });`,
  output: `import { traceable } from "langsmith/traceable";
import { EventEmitterAsyncResource } from "node:events";
import { AsyncLocalStorage } from "node:async_hooks";
const evaluate = traceable(async (id: string) => id, { name: "child" });
const events = new EventEmitterAsyncResource({ name: "JobEvents" });
export const launch = traceable(async (id: string) => new Promise((resolve) => {
  events.once("status", AsyncLocalStorage.bind(() => evaluate(id).then(resolve)));
}), { name: "parent" });`,
  errors: [{ messageId: "listener" }],
});

// Timers a LangChain scope arms and never waits for: the runnable child starts after the scope's run ended.
const TIMER_HEAD = `import { RunnableLambda } from "@langchain/core/runnables";
const summarize = RunnableLambda.from(async (x: string[]) => x.join(" "));
const memory: { refreshing?: Promise<unknown> } = {};
`;
invalid.push(
  {
    name: "a runnable arms a timer that invokes a runnable with its config and returns (no AsyncLocalStorage needed)",
    code: `${TIMER_HEAD}export const respond = RunnableLambda.from(async (turns: string[], config) => {
  const reply = { text: "ok" };
  memory.refreshing = new Promise((resolve) => {
    setTimeout(() => summarize.invoke(turns, config).then(resolve), 10);
  });
  return reply;
});`,
    output: null,
    errors: [{ messageId: "afterRunEnds", data: { method: "setTimeout", scope: "RunnableLambda" } }],
  },
  {
    name: "the timer's callback held in a variable",
    code: `${TIMER_HEAD}export const respond = RunnableLambda.from(async (turns: string[]) => {
  const refresh = () => summarize.invoke(turns);
  setImmediate(refresh);
  return "ok";
});`,
    output: null,
    errors: [{ messageId: "afterRunEnds", data: { method: "setImmediate", scope: "RunnableLambda" } }],
  },
);
valid.push(
  {
    name: "the runnable waits for the timer's work before it returns",
    code: `${TIMER_HEAD}export const respond = RunnableLambda.from(async (turns: string[], config) => {
  memory.refreshing = new Promise((resolve) => {
    setTimeout(() => summarize.invoke(turns, config).then(resolve), 10);
  });
  await memory.refreshing;
  return "ok";
});`,
  },
  {
    name: "the runnable returns the promise the timer settles",
    code: `${TIMER_HEAD}export const respond = RunnableLambda.from(async (turns: string[], config) => {
  const refreshed = new Promise((resolve) => setTimeout(() => summarize.invoke(turns, config).then(resolve), 10));
  return refreshed;
});`,
  },
  {
    name: "the timer's child is a traceable (it rebuilds its parent from the context the timer kept)",
    code: `import { RunnableLambda } from "@langchain/core/runnables";
import { traceable } from "langsmith/traceable";
const summarize = traceable(async (x: string[]) => x.join(" "));
export const respond = RunnableLambda.from(async (turns: string[]) => {
  setTimeout(() => summarize(turns), 10);
  return "ok";
});`,
  },
  {
    name: "a traceable scope's fire-and-forget timer invoking a runnable (ground truth: nests)",
    code: `import { RunnableLambda } from "@langchain/core/runnables";
import { traceable } from "langsmith/traceable";
const summarize = RunnableLambda.from(async (x: string[]) => x.join(" "));
export const respond = traceable(async (turns: string[]) => {
  setTimeout(() => summarize.invoke(turns), 10);
  return "ok";
});`,
  },
);

// A worker loop of another module, started at load, running the job records it is handed; and a store drained through
// a getter that returns a copy of it.
const workerLoopProject = projectOnDisk({
  "src/jobs.ts": `const queue: { handler: (...args: unknown[]) => unknown; args: unknown[] }[] = [];
let wake: (() => void) | undefined;
export function enqueue(job: { handler: (...args: unknown[]) => unknown; args: unknown[] }) {
  return new Promise((resolve) => {
    queue.push({ ...job, handler: (...a) => resolve(job.handler(...a)) });
    wake?.();
  });
}
async function loop() {
  for (;;) {
    if (queue.length === 0) await new Promise<void>((r) => (wake = r));
    const job = queue.shift();
    if (job) await job.handler(...job.args);
  }
}
void loop();
`,
  "src/permit.ts": `const waiting: (() => void)[] = [];
setInterval(() => waiting.shift()?.(), 5);
export class Permit {
  then(onGranted: () => unknown) {
    return new Promise((resolve) => waiting.push(() => resolve(onGranted())));
  }
}
export class Granted {
  #granted = new Promise<void>((resolve) => waiting.push(resolve));
  then(onGranted: () => unknown) {
    return this.#granted.then(onGranted);
  }
}
`,
  "src/lifecycle.ts": `const shutdown = new AbortController();
export function onShutdown(listener: () => void) {
  shutdown.signal.addEventListener("abort", listener, { once: true });
}
export function beginShutdown(reason: string) {
  shutdown.abort(reason);
}
`,
  "src/outbox.ts": `export class Outbox {
  #rows: { publish: () => unknown; sent: boolean }[] = [];
  insert(publish: () => unknown) {
    this.#rows.push({ publish, sent: false });
  }
  get pending() {
    return this.#rows.filter((row) => !row.sent);
  }
  async relay() {
    for (const row of this.pending) {
      await row.publish();
      row.sent = true;
    }
  }
}
`,
});
const WORKER_JOBS = `import { traceable, getCurrentRunTree } from "langsmith/traceable";
import { enqueue } from "./jobs";
import { Outbox } from "./outbox";
const child = traceable(async (x: unknown) => x, { name: "child" });
const outbox = new Outbox();
`;
invalid.push({
  name: "a job record holding a traceable and this call's data, handed to another module's worker loop started at load",
  code: `${WORKER_JOBS}export const parent = traceable(async (id: string) => enqueue({ handler: child, args: [id] }));`,
  filename: path.join(workerLoopProject, "src/app.ts"),
  output: `${withAlsImport(WORKER_JOBS)}export const parent = traceable(async (id: string) => enqueue({ handler: AsyncLocalStorage.bind(child), args: [id] }));`,
  errors: [{ messageId: "stored" }],
});
const OBSERVABLE = `${H}class Observable {
  #observers = new Set<{ next: (v: unknown) => unknown }>();
  subscribe(observer: { next: (v: unknown) => unknown }) {
    this.#observers.add(observer);
  }
  next(value: unknown) {
    for (const o of this.#observers) o.next(value);
  }
}
class Watcher extends Observable {
  constructor() {
    super();
    setInterval(() => this.next(1), 5);
  }
}
`;
invalid.push({
  name: "an observer subscribed to an instance of a subclass made at load, through the method its base class declares",
  code: `${OBSERVABLE}const watcher = new Watcher();
export const parent = traceable(async () => {
  watcher.subscribe({ next: (v) => child(v) });
});`,
  output: `${withAlsImport(OBSERVABLE)}const watcher = new Watcher();
export const parent = traceable(async () => {
  watcher.subscribe({ next: AsyncLocalStorage.bind((v) => child(v)) });
});`,
  errors: [{ messageId: "stored" }],
});
valid.push({
  name: "the same observer subscribed to a subclass instance made inside the scope",
  code: `${OBSERVABLE}export const parent = traceable(async () => {
  const watcher = new Watcher();
  watcher.subscribe({ next: (v) => child(v) });
});`,
});
invalid.push({
  name: "a listener added through another module's function to its module-level signal, aborted elsewhere",
  code: `import { onShutdown } from "./lifecycle";\n${WORKER_JOBS}export const parent = traceable(async (id: string) => { onShutdown(() => child(id)); });`,
  filename: path.join(workerLoopProject, "src/app.ts"),
  output: `import { onShutdown } from "./lifecycle";\n${withAlsImport(WORKER_JOBS)}export const parent = traceable(async (id: string) => { onShutdown(AsyncLocalStorage.bind(() => child(id))); });`,
  errors: [{ messageId: "handler" }],
});
valid.push({
  name: "the same listener, with the scope then calling that module's function that aborts the signal",
  code: `import { onShutdown, beginShutdown } from "./lifecycle";\n${WORKER_JOBS}export const parent = traceable(async (id: string, large: boolean) => { onShutdown(() => child(id)); if (large) beginShutdown("too large"); });`,
  filename: path.join(workerLoopProject, "src/app.ts"),
});
invalid.push({
  name: "a callback on an instance of another module's thenable class whose then keeps it for a ticker",
  code: `import { Permit } from "./permit";\n${WORKER_JOBS}export const parent = traceable((id: string) => new Permit().then(() => child(id)));`,
  filename: path.join(workerLoopProject, "src/app.ts"),
  output: `import { Permit } from "./permit";\n${withAlsImport(WORKER_JOBS)}export const parent = traceable((id: string) => new Permit().then(AsyncLocalStorage.bind(() => child(id))));`,
  errors: [{ messageId: "thenable" }],
});
valid.push(
  {
    name: "a callback on an instance of another module's class whose then hands it to a native promise",
    code: `import { Granted } from "./permit";\n${WORKER_JOBS}export const parent = traceable((id: string) => new Granted().then(() => child(id)));`,
    filename: path.join(workerLoopProject, "src/app.ts"),
  },
  {
    name: "the same record carrying getCurrentRunTree() among its arguments",
    code: `${WORKER_JOBS}export const parent = traceable(async (id: string) => enqueue({ handler: child, args: [getCurrentRunTree(), id] }));`,
    filename: path.join(workerLoopProject, "src/app.ts"),
  },
  {
    name: "a callback stored by another module's class and drained by the scope through a method reading a getter's copy",
    code: `${WORKER_JOBS}export const parent = traceable(async (id: string) => {
  outbox.insert(() => child(id));
  await outbox.relay();
});`,
    filename: path.join(workerLoopProject, "src/app.ts"),
  },
);

// An instance that hands itself to a store of another module (`clock.subscribe(this)`), the store's timer calling
// its function-valued fields later; and a field holding an emitter made outside the instance.
const clockProject = projectOnDisk({
  "src/ticker.ts": `const subscribers = new Set<{ onTick?: (t: number) => void }>();
setInterval(() => { for (const s of subscribers) s.onTick?.(Date.now()); }, 8).unref();
export const clinicClock = { subscribe(sub: { onTick?: (t: number) => void }) { subscribers.add(sub); return () => subscribers.delete(sub); } };
export function createClock() {
  const subscribers = new Set<{ onTick?: (t: number) => void }>();
  let handle: ReturnType<typeof setInterval> | undefined;
  return { subscribe(sub: { onTick?: (t: number) => void }) { subscribers.add(sub); handle ??= setInterval(() => { for (const s of subscribers) s.onTick?.(Date.now()); }, 8); return () => subscribers.delete(sub); } };
}
`,
  "src/feeds.ts": `import { PassThrough } from "node:stream";
export const feed = new PassThrough({ objectMode: true });
`,
});
const TIMER = (clock: string) => `${H}import { clinicClock, createClock } from "./ticker";
class Timer {
  onTick: (t: number) => void;
  stop: () => boolean;
  constructor(id: string, clock: { subscribe(s: unknown): () => boolean }) {
    this.onTick = (t: number) => { child([id, t]); };
    this.stop = clock.subscribe(this);
  }
}
export const admit = traceable(async (id: string) => { const timer = new Timer(id, ${clock}); return !!timer; });
`;
invalid.push({
  name: "an instance made in the scope hands itself to another module's clock started at load; its function field runs later",
  code: TIMER("clinicClock"),
  filename: path.join(clockProject, "src/app.ts"),
  output: withAlsImport(TIMER("clinicClock")).replace("this.onTick = (t: number) => { child([id, t]); };", "this.onTick = AsyncLocalStorage.bind((t: number) => { child([id, t]); });"),
  errors: [{ messageId: "stored" }],
});
valid.push({
  name: "the same instance handed to a clock the scope makes for it (its timer starts inside the trace)",
  code: TIMER("createClock()"),
  filename: path.join(clockProject, "src/app.ts"),
});
const MONITOR = (feed: string) => `${H}import { feed } from "./feeds";
import { PassThrough } from "node:stream";
class Monitor {
  feed: PassThrough;
  constructor(feed: PassThrough) { this.feed = feed; }
  attach() { this.feed.on("data", (line: unknown) => { child(line); }); }
}
export const start = traceable(async (id: string) => { const m = new Monitor(${feed}); m.attach(); return id; });
`;
invalid.push({
  name: "a listener a method adds to a field that holds another module's stream made at load (the instance is made in the scope)",
  code: MONITOR("feed"),
  filename: path.join(clockProject, "src/app.ts"),
  output: withAlsImport(MONITOR("feed")).replace(`this.feed.on("data", (line: unknown) => { child(line); });`, `this.feed.on("data", AsyncLocalStorage.bind((line: unknown) => { child(line); }));`),
  errors: [{ messageId: "listener" }],
});
valid.push({
  name: "the same monitor over a stream made in the scope and written there",
  code: MONITOR("new PassThrough({ objectMode: true })").replace("m.attach(); return id;", "m.attach(); m.feed.write({ id }); return id;"),
  filename: path.join(clockProject, "src/app.ts"),
});

// Emitters of other modules, judged by what those modules say about them.
const wireProject = projectOnDisk({
  "src/bus.ts": `import { EventEmitter } from "node:events";
class ReviewBus extends EventEmitter { publish(kind: string, payload: unknown) { this.emit(kind, payload); } }
export const bus = new ReviewBus();
`,
  "src/wire.ts": `import { EventEmitter } from "node:events";
export class WireSocket {
  #bus = new EventEmitter();
  onStory(slug: string, handler: (body: string) => void) { this.#bus.once(\`story:\${slug}\`, handler); }
  deliver(slug: string, body: string) { this.#bus.emit(\`story:\${slug}\`, body); }
}
export const socket = new WireSocket();
`,
  "src/sessions.ts": `import { EventEmitterAsyncResource } from "node:events";
export class ReviewSession extends EventEmitterAsyncResource { constructor(readonly pr: number) { super({ name: "ReviewSession" }); } }
`,
  "src/embargo.ts": `const embargoes = new Map<string, AbortController>();
export function embargoFor(slug: string) {
  if (!embargoes.has(slug)) embargoes.set(slug, new AbortController());
  return embargoes.get(slug)!.signal;
}
export function lift(slug: string) { embargoes.get(slug)?.abort("lifted"); embargoes.delete(slug); }
`,
});
valid.push(
  {
    name: "a listener on another module's bus that an in-file helper the scope calls then publishes on (through the bus class's emitting method)",
    code: `${H}import { bus } from "./bus";
function runLinter(files: string[]) { for (const file of files) bus.publish("finding", { file }); }
export const review = traceable(async (files: string[]) => { bus.on("finding", (f: unknown) => child(f)); runLinter(files); });`,
    filename: path.join(wireProject, "src/app.ts"),
  },
  {
    name: "a listener another module's class adds to the emitter in its private field, which the scope then makes it emit on (deliver)",
    code: `${H}import { socket } from "./wire";
export const subscribe = traceable(async (slug: string, body: string) => { socket.onStory(slug, (b: string) => { child(b); }); socket.deliver(slug, body); });`,
    filename: path.join(wireProject, "src/app.ts"),
  },
  {
    name: "a listener on an instance of another module's EventEmitterAsyncResource subclass made in the scope and kept in a map",
    code: `${H}import { ReviewSession } from "./sessions";
const sessions = new Map<number, ReviewSession>();
export const open = traceable(async (pr: number) => { const session = new ReviewSession(pr); session.on("resolved", (id: string) => child(id)); sessions.set(pr, session); });
export function onWebhook(pr: number, id: string) { sessions.get(pr)?.emit("resolved", id); }`,
    filename: path.join(wireProject, "src/app.ts"),
  },
  {
    name: "an abort listener on a signal another module keeps, aborted by that module's function from a timer the scope arms",
    code: `${H}import { embargoFor, lift } from "./embargo";
export const hold = traceable(async (slug: string) => {
  const signal = embargoFor(slug);
  signal.addEventListener("abort", () => child(slug), { once: true });
  setTimeout(() => lift(slug), 20);
  await new Promise((r) => setTimeout(r, 40));
});`,
    filename: path.join(wireProject, "src/app.ts"),
  },
  {
    name: "a helper that takes the signal from its options, handed the signal of a controller made in the scope",
    code: `${H}function holdFare({ offerId, signal }: { offerId: string; signal?: AbortSignal }) {
  signal?.addEventListener("abort", () => child(offerId), { once: true });
  return offerId;
}
export const reserve = traceable(async (offerId: string) => {
  const hold = new AbortController();
  setTimeout(() => hold.abort("expired"), 20);
  return holdFare({ offerId, signal: hold.signal });
});`,
  },
);
invalid.push(
  {
    name: "a listener another module's class adds to the emitter in its private field, emitted later by whoever calls deliver",
    code: `${H}import { socket } from "./wire";
export const subscribe = traceable(async (slug: string) => { socket.onStory(slug, (b: string) => { child(b); }); });`,
    filename: path.join(wireProject, "src/app.ts"),
    output: `${H}import { socket } from "./wire";
import { AsyncLocalStorage } from "node:async_hooks";
export const subscribe = traceable(async (slug: string) => { socket.onStory(slug, AsyncLocalStorage.bind((b: string) => { child(b); })); });`,
    errors: [{ messageId: "listener" }],
  },
  {
    name: "an abort listener on a signal another module keeps, with the module's lift called later from outside the scope",
    code: `${H}import { embargoFor } from "./embargo";
export const hold = traceable(async (slug: string) => { embargoFor(slug).addEventListener("abort", () => child(slug), { once: true }); });`,
    filename: path.join(wireProject, "src/app.ts"),
    output: `${H}import { embargoFor } from "./embargo";
import { AsyncLocalStorage } from "node:async_hooks";
export const hold = traceable(async (slug: string) => { embargoFor(slug).addEventListener("abort", AsyncLocalStorage.bind(() => child(slug)), { once: true }); });`,
    errors: [{ messageId: "handler" }],
  },
);

// Another module's scheduler whose `register(id, cb)` keeps the callback and arms its poller itself, once.
const craneProject = projectOnDisk({
  "src/cranes.cjs": `class CraneScheduler {
  constructor() { this.onComplete = new Map(); this.poller = null; }
  start() { if (this.poller) return; this.poller = setInterval(() => this.pollPlc(), 20); }
  register(jobId, cb) { this.onComplete.set(jobId, cb); this.start(); }
  pollPlc() { for (const [jobId, cb] of this.onComplete) { this.onComplete.delete(jobId); cb({ jobId }); } }
}
module.exports = { CraneScheduler };
`,
});
const CRANE_APP = (calls: string) => `const { traceable } = require("langsmith/traceable");\nconst { CraneScheduler } = require("./cranes.cjs");\nconst child = traceable(async (x) => x, { name: "child" });\nconst scheduler = new CraneScheduler();\nconst dispatch = traceable(async (jobId) => { scheduler.register(jobId, (report) => child(report)); }, { name: "dispatch" });\n${calls}`;
valid.push({
  name: "the program's only trace registers with a scheduler whose register arms its poller itself (the poller runs in that trace)",
  code: CRANE_APP(`(async () => {\n  await dispatch("JOB-1");\n})();`),
  filename: path.join(craneProject, "src/app.cjs"),
});
invalid.push({
  name: "two traces, one after the other, register with that scheduler (the poller runs in the first one's context)",
  code: CRANE_APP(`(async () => {\n  await dispatch("JOB-1");\n  await dispatch("JOB-2");\n})();`),
  filename: path.join(craneProject, "src/app.cjs"),
  output: CRANE_APP(`(async () => {\n  await dispatch("JOB-1");\n  await dispatch("JOB-2");\n})();`).replace('const { CraneScheduler } = require("./cranes.cjs");\n', 'const { CraneScheduler } = require("./cranes.cjs");\nconst { AsyncLocalStorage } = require("node:async_hooks");\n').replace("(report) => child(report)", "AsyncLocalStorage.bind((report) => child(report))"),
  errors: [{ messageId: "stored" }],
});

// An outer variable the parent sets, then awaits before it listens: another call may have set it meanwhile.
const bindFeed = (code: string) => code.replace("socket.on(\"data\", (buf) => child(String(buf)))", "socket.on(\"data\", AsyncLocalStorage.bind((buf) => child(String(buf))))").replace('import net from "node:net";\n', 'import net from "node:net";\nimport { AsyncLocalStorage } from "node:async_hooks";\n');
invalid.push(
  {
    name: "a socket an outer variable holds, connected by the parent, with an await before the listener is added",
    code: SOCKET_HOLDER("await child(0);\n  "),
    output: bindFeed(SOCKET_HOLDER("await child(0);\n  ")),
    errors: [{ messageId: "listener" }],
  },
  {
    name: "a socket an outer variable holds, connected only inside a branch before the listener is added",
    code: SOCKET_HOLDER("").replace("  socket = await connect(port);\n", "  if (!socket) socket = await connect(port);\n"),
    output: bindFeed(SOCKET_HOLDER("").replace("  socket = await connect(port);\n", "  if (!socket) socket = await connect(port);\n")),
    errors: [{ messageId: "listener" }],
  },
);

// A function assigned to a field of another module's instance, made at load, that the class's own timer calls.
const runnerProject = projectOnDisk({
  "src/runner.cjs": `class TestRunner {
  constructor() { this.onComplete = null; this.queue = []; }
  start() { this.timer = setInterval(() => { const suite = this.queue.shift(); if (suite) this.onComplete?.(suite); }, 5); return this; }
  schedule(suite) { this.queue.push(suite); }
}
module.exports = { TestRunner };
`,
});
invalid.push({
  name: "a callback assigned to a field of another module's instance made at load, which that class's timer calls",
  code: `const { traceable } = require("langsmith/traceable");\nconst { TestRunner } = require("./runner.cjs");\nconst child = traceable(async (x) => x, { name: "child" });\nconst runner = new TestRunner().start();\nexports.run = traceable(async (suites) => { runner.onComplete = (res) => child(res); suites.forEach((s) => runner.schedule(s)); });`,
  filename: path.join(runnerProject, "src/app.cjs"),
  output: `const { traceable } = require("langsmith/traceable");\nconst { TestRunner } = require("./runner.cjs");\nconst { AsyncLocalStorage } = require("node:async_hooks");\nconst child = traceable(async (x) => x, { name: "child" });\nconst runner = new TestRunner().start();\nexports.run = traceable(async (suites) => { runner.onComplete = AsyncLocalStorage.bind((res) => child(res)); suites.forEach((s) => runner.schedule(s)); });`,
  errors: [{ messageId: "assigned" }],
});
valid.push({
  name: "the same field of an instance of that class made in the scope, or a field the class never calls",
  code: `const { traceable } = require("langsmith/traceable");\nconst { TestRunner } = require("./runner.cjs");\nconst child = traceable(async (x) => x, { name: "child" });\nconst runner = new TestRunner().start();\nexports.run = traceable(async (suites) => { const own = new TestRunner(); own.onComplete = (res) => child(res); runner.label = () => child("x"); suites.forEach((s) => own.schedule(s)); });`,
  filename: path.join(runnerProject, "src/app.cjs"),
});

// A store of another module's class drained by its `publish`, which the scope calls from a timer it schedules itself.
const feedProject = projectOnDisk({
  "src/feed.mjs": `export class ChangeFeed {
  constructor() { this.subscribers = new Set(); }
  subscribe(fn) { this.subscribers.add(fn); return () => this.subscribers.delete(fn); }
  publish(change) { for (const fn of [...this.subscribers]) fn(change); }
}
`,
});
const SYNC_FEED = (publishing: string) => `import { traceable } from "langsmith/traceable";\nimport { ChangeFeed } from "./feed.mjs";\nconst child = traceable(async (x) => x, { name: "child" });\nconst feed = new ChangeFeed();\nexport const sync = traceable(async (change) => {\n  const off = feed.subscribe((c) => { off(); child(c); });\n  ${publishing}\n});`;
valid.push(
  { name: "a store of another module's class that the scope drains from an interval it schedules", code: SYNC_FEED("const timer = setInterval(() => { clearInterval(timer); feed.publish(change); }, 10);"), filename: path.join(feedProject, "src/app.mjs") },
  { name: "a store of another module's class that the scope drains from a timeout it schedules", code: SYNC_FEED("setTimeout(() => feed.publish(change), 10);"), filename: path.join(feedProject, "src/app.mjs") },
);
invalid.push({
  name: "a store of another module's class that something else drains later",
  code: SYNC_FEED("return change;"),
  filename: path.join(feedProject, "src/app.mjs"),
  output: SYNC_FEED("return change;").replace('import { ChangeFeed } from "./feed.mjs";\n', 'import { ChangeFeed } from "./feed.mjs";\nimport { AsyncLocalStorage } from "node:async_hooks";\n').replace("feed.subscribe((c) => { off(); child(c); })", "feed.subscribe(AsyncLocalStorage.bind((c) => { off(); child(c); }))"),
  errors: [{ messageId: "stored" }],
});

// The same field of an instance the other module makes and exports (`module.exports = { scheduler: new MatchScheduler() }`).
const schedulerProject = projectOnDisk({
  "src/scheduler.cjs": `class MatchScheduler {
  constructor() {
    this.slots = []; this.onSlotReady = null;
    const loop = () => { const slot = this.slots.shift(); if (slot && this.onSlotReady) this.onSlotReady(slot); setTimeout(loop, 5).unref(); };
    setImmediate(loop);
  }
  book(slot) { this.slots.push(slot); }
}
module.exports = { scheduler: new MatchScheduler() };
`,
});
const BRACKET = (callback: string) => `const { traceable } = require("langsmith/traceable");\nconst { scheduler } = require("./scheduler.cjs");\nconst child = traceable(async (x) => x, { name: "child" });\nexports.plan = traceable(async (ids) => { scheduler.onSlotReady = ${callback}; ids.forEach((id) => scheduler.book(id)); });`;
invalid.push({
  name: "a callback assigned to a field of an instance another module makes and exports, which that class's loop calls",
  code: BRACKET("(slot) => child(slot)"),
  filename: path.join(schedulerProject, "src/app.cjs"),
  output: BRACKET("AsyncLocalStorage.bind((slot) => child(slot))").replace('const { scheduler } = require("./scheduler.cjs");\n', 'const { scheduler } = require("./scheduler.cjs");\nconst { AsyncLocalStorage } = require("node:async_hooks");\n'),
  errors: [{ messageId: "assigned" }],
});
valid.push({ name: "the same field given a callback bound with AsyncResource.bind", code: `const { AsyncResource } = require("node:async_hooks");\n${BRACKET("AsyncResource.bind((slot) => child(slot))")}`, filename: path.join(schedulerProject, "src/app.cjs") });

// The same kept by a method of the class (`engine.submit(page, cb)` doing `this.onComplete = cb`), which a poll its
// constructor's interval runs calls through a local (`const done = this.onComplete; done(text)`).
const ocrProject = projectOnDisk({
  "src/ocr.cjs": `class OcrEngine {
  constructor() { this.onComplete = null; this.page = null; this.loop = setInterval(() => this.poll(), 5); }
  submit(page, onComplete) { this.page = page; this.onComplete = onComplete; }
  poll() { if (!this.page) return; const done = this.onComplete; this.page = null; clearInterval(this.loop); done(\`text of \${this.page}\`); }
}
class InlineEngine {
  submit(page, onComplete) { this.onComplete = onComplete; this.onComplete(page); }
}
module.exports = { OcrEngine, InlineEngine };
`,
});
const OCR_APP = (made: string, inside: string, engine = "OcrEngine") => `const { traceable } = require("langsmith/traceable");\nconst { ${engine} } = require("./ocr.cjs");\nconst child = traceable(async (x) => x, { name: "child" });\n${made}exports.transcribe = traceable(async (page) => { ${inside}engine.submit(page, (text) => child(text)); });`;
invalid.push({
  name: "a callback a method of another module's class keeps in a field that the constructor's interval calls, on an instance made at load",
  code: OCR_APP("const engine = new OcrEngine();\n", ""),
  filename: path.join(ocrProject, "src/app.cjs"),
  output: OCR_APP("const engine = new OcrEngine();\n", "").replace('const { OcrEngine } = require("./ocr.cjs");\n', 'const { OcrEngine } = require("./ocr.cjs");\nconst { AsyncLocalStorage } = require("node:async_hooks");\n').replace("(text) => child(text)", "AsyncLocalStorage.bind((text) => child(text))"),
  errors: [{ messageId: "assigned" }],
});
valid.push(
  { name: "the same engine made inside the trace", code: OCR_APP("", "const engine = new OcrEngine(); "), filename: path.join(ocrProject, "src/app.cjs") },
  { name: "an engine whose method calls the field it keeps at once, in the caller's call", code: OCR_APP("const engine = new InlineEngine();\n", "", "InlineEngine"), filename: path.join(ocrProject, "src/app.cjs") },
);

// A listener that stays on an emitter the scope itself emits on, and that another traced function emits on later.
const ledgerProject = projectOnDisk({
  "src/ledger.ts": `import { EventEmitter } from "node:events";
class PointsLedger extends EventEmitter { post(memberId: string, points: number) { this.emit("posted", { memberId, points }); return points; } }
export const ledger = new PointsLedger();
`,
});
const LEDGER = (register: string) => `${H}import { ledger } from "./ledger";
export const enroll = traceable(async (memberId: string) => { ledger.${register}("posted", (entry: unknown) => { child(entry); }); return ledger.post(memberId, 500); });
export const postStay = traceable(async (memberId: string) => ledger.post(memberId, 1000));
`;
invalid.push({
  name: "a listener left on an emitter the scope emits on, which another traced function of the file emits on later",
  code: LEDGER("on"),
  filename: path.join(ledgerProject, "src/app.ts"),
  output: withAlsImport(LEDGER("on")).replace(`ledger.on("posted", (entry: unknown) => { child(entry); });`, `ledger.on("posted", AsyncLocalStorage.bind((entry: unknown) => { child(entry); }));`),
  errors: [{ messageId: "listener" }],
});
valid.push({
  name: "the same listener registered with once: the scope's own post runs it, and it is gone",
  code: LEDGER("once"),
  filename: path.join(ledgerProject, "src/app.ts"),
});

// A keyed coalescer: the first call for a key stores its entry and arms the timer that runs it; a later call for the
// same key swaps its own function into that entry (or, in the look-alike, replaces the entry and re-arms).
const KEYED_COALESCE = (existing: string) => `${H}const slots = new Map<string, { fn: () => unknown }>();
function coalesce(key: string, fn: () => unknown) {
  const slot = slots.get(key);
  if (slot) {
    ${existing}
  }
  const entry = { fn };
  slots.set(key, entry);
  setTimeout(() => { slots.delete(key); entry.fn(); }, 20);
}
export const onPush = traceable(async (pr: number, sha: string) => { coalesce(\`summary:\${pr}\`, () => child(sha)); });
`;
invalid.push({
  name: "a keyed coalescer whose later calls swap their function into the entry the first call's timer runs",
  code: KEYED_COALESCE("slot.fn = fn;\n    return;"),
  output: withAlsImport(KEYED_COALESCE("slot.fn = fn;\n    return;")).replace("() => child(sha));", "AsyncLocalStorage.bind(() => child(sha)));"),
  errors: [{ messageId: "assigned" }],
});
valid.push({
  name: "a keyed coalescer whose every call stores its own entry and arms its own timer for it",
  code: KEYED_COALESCE("slots.delete(key);"),
});

// A job runner a factory of this file returns: the function it returns keeps tasks in the factory's own array.
const JOB_RUNNER_FACTORY = `function createJobRunner() {
  const jobs: (() => Promise<unknown>)[] = [];
  let draining = false;
  async function drain() {
    draining = true;
    while (jobs.length) await jobs.shift()!();
    draining = false;
  }
  return function submit(run: () => Promise<unknown>) {
    jobs.push(run);
    if (!draining) void drain();
  };
}
`;
valid.push({
  name: "a task handed to the function a factory returned during the trace (the factory's array is the call's own)",
  code: `${H}${JOB_RUNNER_FACTORY}export const parent = traceable(async (xs: number[]) => {
  const submit = createJobRunner();
  for (const x of xs) submit(() => child(x));
});`,
});
invalid.push(
  boundCase(
    "a task handed to the function a factory returned at load (its array is shared by every trace)",
    `${JOB_RUNNER_FACTORY}const submit = createJobRunner();
export const parent = traceable(async (xs: number[]) => {
  for (const x of xs) submit(%CALLBACK%);
});`,
    `() => child(x)`,
    [{ messageId: "stored", data: { method: "push", scope: "traceable", receiver: "jobs", via: " (through `submit()`)" } }],
  ),
);
// A store reached through `??` whose both sides are one module-level map (`registry.get(id) ?? registry.set(id,
// []).get(id)`), drained by a timer armed at load (measured: map-of-arrays-hooks).
const MAP_OF_ARRAYS = `const registry = new Map<string, ((id: string) => unknown)[]>();
function onDone(id: string, cb: (id: string) => unknown) {
  (registry.get(id) ?? registry.set(id, []).get(id)!).push(cb);
}
setTimeout(() => {
  for (const [id, cbs] of registry) cbs.forEach((cb) => cb(id));
}, 30);
export const schedule = traceable(async (id: string) => {
  onDone(id, %CALLBACK%);
});
`;
invalid.push(boundCase("a callback pushed into a module-level map of arrays reached through `??`, drained by a timer armed at load", MAP_OF_ARRAYS, "(id) => child(id)", [{ messageId: "stored" }]));
valid.push({ name: "the same map of arrays given a callback that does no traced work", code: `${H}${MAP_OF_ARRAYS.replace("%CALLBACK%", "(id) => console.log(id)")}` });

// A plain emitter an in-file helper makes and adds the listener to, returned to the scope, which hands it back to its
// caller: the caller emits later (measured: helper-returns-listened-emitter).
const RETURNED_EMITTER = (kind: string, body: string) => `${H.replace('import { EventEmitter } from "node:events";', `import { ${kind} } from "node:events";`)}function openCheckout(visit: string) {
  const checkout = new ${kind}(${kind === "EventEmitter" ? "" : '{ name: "checkout" }'});
  checkout.once("signed", %CALLBACK%);
  return checkout;
}
${body}`;
const RETURNED_BODY = `export const startCheckout = traceable(async (visit: string) => ({ visit, session: openCheckout(visit) }));
const { session } = await startCheckout("v-1");
setTimeout(() => session.emit("signed"), 10);
`;
invalid.push({
  name: "a helper's plain emitter with a listener, handed back by the traceable inside its result, emitted later by the caller",
  code: RETURNED_EMITTER("EventEmitter", RETURNED_BODY).replace("%CALLBACK%", "() => child(visit)"),
  output: withAlsImport(RETURNED_EMITTER("EventEmitter", RETURNED_BODY)).replace("%CALLBACK%", "AsyncLocalStorage.bind(() => child(visit))"),
  errors: [{ messageId: "listener" }],
});
valid.push(
  { name: "the same helper making an EventEmitterAsyncResource (it pins its listeners)", code: RETURNED_EMITTER("EventEmitterAsyncResource", RETURNED_BODY).replace("%CALLBACK%", "() => child(visit)") },
  { name: "the same helper's emitter emitted by the traceable itself and not handed back", code: RETURNED_EMITTER("EventEmitter", `export const startCheckout = traceable(async (visit: string) => {\n  const session = openCheckout(visit);\n  session.emit("signed");\n  return visit;\n});\n`).replace("%CALLBACK%", "() => child(visit)") },
);

// The values of a handlers object a helper wires as listeners (`for (const [event, fn] of Object.entries(handlers))
// emitter.once(event, fn)`), on a module-level emitter fired from outside (measured: handlers-object-entries).
const WIRED = `const archive = new EventEmitter();
function wireHandlers(emitter: EventEmitter, handlers: Record<string, (e: unknown) => unknown>) {
  for (const [event, fn] of Object.entries(handlers)) emitter.once(event, fn);
}
export const catalog = traceable((scene: string) => new Promise((resolve) => {
  wireHandlers(archive, { archived: %CALLBACK% });
}));
const pending = catalog("s-1");
setImmediate(() => archive.emit("archived", { scene: "s-1" }));
await pending;
`;
invalid.push(boundCase("a handlers object whose values a helper adds as listeners to a module-level emitter fired from outside", WIRED, "(evt) => resolve(child(evt))", [{ messageId: "listener" }]));
valid.push({ name: "the same handlers wired onto an emitter the traceable makes and emits on itself", code: `${H}${WIRED.replace("wireHandlers(archive, { archived: %CALLBACK% });", 'const own = new EventEmitter();\n  wireHandlers(own, { archived: (evt) => resolve(child(evt)) });\n  own.emit("archived", scene);')}` });

// An object another module exports whose field a callback it arms at load calls (`monitor.onBeat?.(n)` in a
// module-level interval): a function assigned there inside a trace runs later in that interval's context.
const heartbeats = projectOnDisk({
  "src/heartbeat.ts": `export const monitor: { onBeat: ((n: number) => unknown) | null; beats: number } = { onBeat: null, beats: 0 };
const interval = setInterval(() => {
  monitor.beats += 1;
  monitor.onBeat?.(monitor.beats);
}, 8);
export const stopHeartbeat = () => clearInterval(interval);
export const status = { onChange: null as ((s: string) => unknown) | null };
export function notify(s: string) {
  status.onChange?.(s);
}
`,
});
const BEAT_MAIN = path.join(heartbeats, "src/main.ts");
invalid.push({
  name: "a callback assigned to a field of another module's exported object, called by that module's interval armed at load",
  filename: BEAT_MAIN,
  code: `${H}import { monitor } from "./heartbeat";\nexport const supervise = traceable(async () => {\n  monitor.onBeat = (beat) => child(beat);\n});`,
  output: `${withAlsImport(`${H}import { monitor } from "./heartbeat";`)}\nexport const supervise = traceable(async () => {\n  monitor.onBeat = AsyncLocalStorage.bind((beat) => child(beat));\n});`,
  errors: [{ messageId: "assigned" }],
});
valid.push({
  name: "a callback assigned to a field of another module's object that only an exported function calls (the caller's context)",
  filename: BEAT_MAIN,
  code: `${H}import { status, notify } from "./heartbeat";\nexport const supervise = traceable(async () => {\n  status.onChange = (s) => child(s);\n  notify("up");\n});`,
});

// A helper that replaces its parameter with a copy whose function it pins (`job = { ...job, run:
// AsyncLocalStorage.bind(job.run) }`) before storing it: the stored job carries the caller's context (probe look-alike).
const REPINNED = (line: string) => `import { AsyncLocalStorage } from "node:async_hooks";
${H}const backlog: { kind: string; run: () => unknown }[] = [];
function submitJob(job: { kind: string; run: () => unknown }) {
  ${line}backlog.push(job);
}
setInterval(() => backlog.shift()?.run(), 10);
export const close = traceable(async (id: string) => {
  submitJob({ kind: "manifest", run: %CALLBACK% });
});
`;
valid.push({ name: "a helper that replaces its job parameter with a copy whose run it pins, then stores it", code: REPINNED("job = { ...job, run: AsyncLocalStorage.bind(job.run) };\n  ").replace("%CALLBACK%", "() => child(id)") });
invalid.push({
  name: "the same helper pinning a copy it does not store (the stored job is the caller's)",
  code: REPINNED("const pinned = { ...job, run: AsyncLocalStorage.bind(job.run) };\n  void pinned;\n  ").replace("%CALLBACK%", "() => child(id)"),
  output: REPINNED("const pinned = { ...job, run: AsyncLocalStorage.bind(job.run) };\n  void pinned;\n  ").replace("%CALLBACK%", "AsyncLocalStorage.bind(() => child(id))"),
  errors: [{ messageId: "stored" }],
});

valid.push({ name: "a helper that replaces its job parameter with a pinned copy when it is given one (`if (job) { job = ... }`), then stores it", code: REPINNED("if (job) {\n    job = { ...job, run: AsyncLocalStorage.bind(job.run) };\n  }\n  ").replace("%CALLBACK%", "() => child(id)") });
invalid.push({
  name: "the same replacement under a test of something else (`if (job.kind === \"x\")`): the stored job may be the caller's",
  code: REPINNED("if (job.kind === \"x\") {\n    job = { ...job, run: AsyncLocalStorage.bind(job.run) };\n  }\n  ").replace("%CALLBACK%", "() => child(id)"),
  output: REPINNED("if (job.kind === \"x\") {\n    job = { ...job, run: AsyncLocalStorage.bind(job.run) };\n  }\n  ").replace("%CALLBACK%", "AsyncLocalStorage.bind(() => child(id))"),
  errors: [{ messageId: "stored" }],
});

// The same stores reached through a helper that calls the method on the object it is given (`handOver(engine, page,
// cb)` doing `target.submit(page, cb)`), in this file or in another module: judged as the direct call would be.
const handOverProject = projectOnDisk({
  "src/ocr.cjs": `class OcrEngine {
  constructor() { this.onComplete = null; this.page = null; this.loop = setInterval(() => this.poll(), 5); }
  submit(page, onComplete) { this.page = page; this.onComplete = onComplete; }
  poll() { if (!this.page) return; const done = this.onComplete; this.page = null; clearInterval(this.loop); done(\`text of \${this.page}\`); }
}
class InlineEngine {
  submit(page, onComplete) { this.onComplete = onComplete; this.onComplete(page); }
}
class CraneScheduler {
  constructor() { this.onComplete = new Map(); this.poller = null; }
  start() { if (this.poller) return; this.poller = setInterval(() => this.pollPlc(), 20); }
  register(jobId, cb) { this.onComplete.set(jobId, cb); this.start(); }
  pollPlc() { for (const [jobId, cb] of this.onComplete) { this.onComplete.delete(jobId); cb({ jobId }); } }
}
module.exports = { OcrEngine, InlineEngine, CraneScheduler };
`,
  "src/hand.cjs": `exports.handOver = (target, a, b) => target.submit(a, b);\nexports.book = (target, a, b) => target.register(a, b);\n`,
  "src/forward.mjs": `export function handOver(target, a, b) {\n  return target(a, b);\n}\n`,
});
const HAND_APP = (made: string, inside: string, via: string, engine = "OcrEngine", helper = "function handOver(target, page, cb) { return target.submit(page, cb); }\n") => `const { traceable } = require("langsmith/traceable");\nconst { ${engine} } = require("./ocr.cjs");\n${via ? `const { ${via} } = require("./hand.cjs");\n` : ""}const child = traceable(async (x) => x, { name: "child" });\n${made}${via ? "" : helper}exports.transcribe = traceable(async (page) => { ${inside}handOver(${inside ? "own" : "engine"}, page, (text) => child(text)); });`;
const bindHandApp = (code: string, after: string) => code.replace(after, `${after}const { AsyncLocalStorage } = require("node:async_hooks");\n`).replace("(text) => child(text)", "AsyncLocalStorage.bind((text) => child(text))");
invalid.push(
  {
    name: "a callback handed with an instance made at load to an in-file helper that calls the method keeping it in the field the class's interval calls",
    code: HAND_APP("const engine = new OcrEngine();\n", "", ""),
    filename: path.join(handOverProject, "src/app.cjs"),
    output: bindHandApp(HAND_APP("const engine = new OcrEngine();\n", "", ""), 'const { OcrEngine } = require("./ocr.cjs");\n'),
    errors: [{ messageId: "assigned" }],
  },
  {
    name: "the same helper in another module (`handOver(engine, page, cb)` doing `target.submit(a, b)`)",
    code: HAND_APP("const engine = new OcrEngine();\n", "", "handOver"),
    filename: path.join(handOverProject, "src/app.cjs"),
    output: bindHandApp(HAND_APP("const engine = new OcrEngine();\n", "", "handOver"), 'const { handOver } = require("./hand.cjs");\n'),
    errors: [{ messageId: "assigned" }],
  },
);
valid.push(
  { name: "the in-file helper given an engine the scope makes", code: HAND_APP("", "const own = new OcrEngine(); ", ""), filename: path.join(handOverProject, "src/app.cjs") },
  { name: "the helper of another module given an engine the scope makes", code: HAND_APP("", "const own = new OcrEngine(); ", "handOver"), filename: path.join(handOverProject, "src/app.cjs") },
  { name: "the helper of another module given an engine whose method calls the field at once", code: HAND_APP("const engine = new InlineEngine();\n", "", "handOver", "InlineEngine"), filename: path.join(handOverProject, "src/app.cjs") },
);
const BOOK_APP = (via: string, calls: string) => `const { traceable } = require("langsmith/traceable");\nconst { CraneScheduler } = require("./ocr.cjs");\n${via ? `const { book } = require("./hand.cjs");\n` : ""}const child = traceable(async (x) => x, { name: "child" });\nconst scheduler = new CraneScheduler();\n${via ? "" : "function book(target, id, cb) { return target.register(id, cb); }\n"}const dispatch = traceable(async (jobId) => { book(scheduler, jobId, (report) => child(report)); }, { name: "dispatch" });\n${calls}`;
valid.push(
  { name: "the only trace registers through an in-file helper with a scheduler whose register arms its poller itself", code: BOOK_APP("", `(async () => {\n  await dispatch("JOB-1");\n})();`), filename: path.join(handOverProject, "src/app.cjs") },
  { name: "the same through a helper of another module", code: BOOK_APP("book", `(async () => {\n  await dispatch("JOB-1");\n})();`), filename: path.join(handOverProject, "src/app.cjs") },
);
for (const via of ["", "book"]) {
  const code = BOOK_APP(via, `(async () => {\n  await dispatch("JOB-1");\n  await dispatch("JOB-2");\n})();`);
  invalid.push({
    name: `two traces in turn register with that scheduler through ${via ? "a helper of another module" : "an in-file helper"}`,
    code,
    filename: path.join(handOverProject, "src/app.cjs"),
    output: code.replace(via ? 'const { book } = require("./hand.cjs");\n' : 'const { CraneScheduler } = require("./ocr.cjs");\n', `${via ? 'const { book } = require("./hand.cjs");\n' : 'const { CraneScheduler } = require("./ocr.cjs");\n'}const { AsyncLocalStorage } = require("node:async_hooks");\n`).replace("(report) => child(report)", "AsyncLocalStorage.bind((report) => child(report))"),
    errors: [{ messageId: "stored" }],
  });
}

// A helper of another module that calls the function it is given with its other arguments (`handOver(onScan, id, cb)`
// doing `target(a, b)`): the call hands over what that function does.
const SCAN_APP = (onScan: string) => `import { traceable } from "langsmith/traceable";\nimport { handOver } from "./forward.mjs";\nconst child = traceable(async (x) => x, { name: "child" });\nconst registry = new Map();\nfunction onScan(id, cb) { ${onScan} }\nsetInterval(() => { for (const [id, cbs] of registry) { registry.delete(id); for (const cb of cbs) cb(id); } }, 10);\nexport const track = traceable(async (id) => { handOver(onScan, id, (scan) => child(scan)); });`;
invalid.push({
  name: "a callback a helper of another module passes to the in-file function it is given, which keeps it in a map an interval drains",
  code: SCAN_APP("(registry.get(id) || registry.set(id, []).get(id)).push(cb);"),
  filename: path.join(handOverProject, "src/app.mjs"),
  output: SCAN_APP("(registry.get(id) || registry.set(id, []).get(id)).push(cb);").replace('import { handOver } from "./forward.mjs";\n', 'import { handOver } from "./forward.mjs";\nimport { AsyncLocalStorage } from "node:async_hooks";\n').replace("(scan) => child(scan)", "AsyncLocalStorage.bind((scan) => child(scan))"),
  errors: [{ messageId: "stored" }],
});
valid.push({ name: "the same helper given a function that calls the callback at once", code: SCAN_APP("cb(id);"), filename: path.join(handOverProject, "src/app.mjs") });

// A store of another module's class the scope drains itself from a timer, subscribed through a helper of another module.
const feedHelperProject = projectOnDisk({
  "src/feed.mjs": `export class ChangeFeed {
  constructor() { this.subscribers = new Set(); }
  subscribe(fn) { this.subscribers.add(fn); return () => this.subscribers.delete(fn); }
  publish(change) { for (const fn of [...this.subscribers]) fn(change); }
}
`,
  "src/hand.mjs": `export function handOver(target, cb) {\n  return target.subscribe(cb);\n}\n`,
});
const FEED_VIA = (publishing: string) => SYNC_FEED(publishing).replace('import { ChangeFeed } from "./feed.mjs";\n', 'import { ChangeFeed } from "./feed.mjs";\nimport { handOver } from "./hand.mjs";\n').replace("feed.subscribe(", "handOver(feed, ");
valid.push({ name: "a store of another module's class subscribed through a helper of another module, drained from a timeout the scope schedules", code: FEED_VIA("setTimeout(() => feed.publish(change), 10);"), filename: path.join(feedHelperProject, "src/app.mjs") });
invalid.push({
  name: "the same store subscribed through that helper, drained by something else later",
  code: FEED_VIA("return change;"),
  filename: path.join(feedHelperProject, "src/app.mjs"),
  output: FEED_VIA("return change;").replace('import { handOver } from "./hand.mjs";\n', 'import { handOver } from "./hand.mjs";\nimport { AsyncLocalStorage } from "node:async_hooks";\n').replace("handOver(feed, (c) => { off(); child(c); })", "handOver(feed, AsyncLocalStorage.bind((c) => { off(); child(c); }))"),
  errors: [{ messageId: "stored" }],
});

// The socket an outer `let` holds, read back through a getter (`getSocket()`, `Services.socket`) just after the parent
// connects it: this call's socket, as the variable read directly is.
const GETTER_SOCKET = (between: string, getter: string, read: string) => SOCKET_HOLDER(between).replace("export const parent", `${getter}\nexport const parent`).replace('socket.on("data"', `${read}.on("data"`);
valid.push(
  { name: "a socket read back through a plain getter function just after the parent connects it", code: GETTER_SOCKET("", "function getSocket() { return socket; }", "getSocket()") },
  { name: "a socket read back through a static getter just after the parent connects it", code: GETTER_SOCKET("", "class Services { static get socket() { return socket; } }", "Services.socket") },
);
invalid.push({
  name: "a socket read back through a getter after an await (another call may have set it)",
  code: GETTER_SOCKET("await child(0);\n  ", "function getSocket() { return socket; }", "getSocket()"),
  output: GETTER_SOCKET("await child(0);\n  ", "function getSocket() { return socket; }", "getSocket()").replace('getSocket().on("data", (buf) => child(String(buf)))', 'getSocket().on("data", AsyncLocalStorage.bind((buf) => child(String(buf))))').replace('import net from "node:net";\n', 'import net from "node:net";\nimport { AsyncLocalStorage } from "node:async_hooks";\n'),
  errors: [{ messageId: "listener" }],
});

// Measured on unseen look-alikes: stores drained, dispatched or armed by the scope itself in forms the rule missed.
const clinicProject = projectOnDisk({
  // An EventTarget another module exports next to a method of its exports object that dispatches on it.
  "src/events.cjs": `const clinicEvents = new EventTarget();\nmodule.exports = {\n  clinicEvents,\n  announceDischarge(patient) { clinicEvents.dispatchEvent(Object.assign(new Event("discharged"), { patient })); },\n};\n`,
  // A store another module's factory makes and exports, drained by its `set`.
  "src/store.mjs": `export function createStore(initial) {\n  let state = initial;\n  const listeners = new Set();\n  return {\n    get: () => state,\n    set(next) { state = { ...state, ...next }; for (const l of listeners) l(state); },\n    subscribe(l) { listeners.add(l); return () => listeners.delete(l); },\n  };\n}\nexport const calendar = createStore({ slots: [] });\n`,
  // A batcher whose constructor's interval flushes it, and whose flush the caller may run itself.
  "src/batcher.mjs": `export class ReminderBatcher {\n  constructor(everyMs) { this.pending = []; this.timer = setInterval(() => this.flush(), everyMs); }\n  add(reminder, onSent) { this.pending.push({ reminder, onSent }); }\n  async flush() { for (const { reminder, onSent } of this.pending.splice(0)) await onSent(reminder); }\n}\n`,
  // A queue whose storing function starts its drain when none runs and returns the task's result.
  "src/inbox.mjs": `const inbox = [];\nlet draining = null;\nasync function drainInbox() {\n  while (inbox.length) { const { handle, resolve } = inbox.shift(); resolve(await handle()); }\n  draining = null;\n}\nexport function submitHl7(handle) {\n  return new Promise((resolve) => { inbox.push({ handle, resolve }); if (!draining) draining = drainInbox(); });\n}\n`,
  // A registry whose drain the module exports by shorthand.
  "src/registry.cjs": `const jobs = [];\nfunction register(name, fn) { jobs.push({ name, fn }); }\nasync function runAll() { while (jobs.length) { const { fn } = jobs.shift(); await fn(); } }\nmodule.exports = { register, runAll };\n`,
  // A scheduler whose constructor arms the interval that runs its jobs.
  "src/scheduler.cjs": `class RefillScheduler {\n  constructor(ms) { this.jobs = new Map(); this.timer = setInterval(() => this.tick(), ms); }\n  schedule(id, job) { this.jobs.set(id, job); }\n  tick() { for (const [id, job] of this.jobs) { this.jobs.delete(id); job(); } }\n}\nmodule.exports = { RefillScheduler };\n`,
  // A backlog whose storing function arms, by name, the timer that drains it; and one whose timer is armed at load.
  "src/retry.mjs": `const retryBacklog = [];\nfunction drainRetries() {\n  while (retryBacklog.length) retryBacklog.shift()();\n}\nexport function retryLater(task) {\n  retryBacklog.push(task);\n  setTimeout(drainRetries, 25);\n}\n`,
  "src/retry-at-load.mjs": `const retryBacklog = [];\nfunction drainRetries() {\n  while (retryBacklog.length) retryBacklog.shift()();\n}\nsetTimeout(drainRetries, 25);\nexport function retryLater(task) {\n  retryBacklog.push(task);\n}\n`,
  // A handler factory and a re-exported traceable.
  "src/triage.cjs": `const { traceable } = require("langsmith/traceable");\nconst classify = traceable(async (ev) => ev, { name: "classify" });\nfunction makeHandler() { return (ev) => classify(ev); }\nmodule.exports = { makeHandler, traceable };\n`,
  "src/feed.cjs": `class AnomalyFeed {\n  constructor() { this.subscribers = new Set(); }\n  subscribe(fn) { this.subscribers.add(fn); return () => this.subscribers.delete(fn); }\n  publish(event) { for (const fn of [...this.subscribers]) fn(event); }\n}\nmodule.exports = { feed: new AnomalyFeed() };\n`,
});
const CLINIC = (name: string) => path.join(clinicProject, `src/${name}`);
const CJS_ALS = 'const { AsyncLocalStorage } = require("node:async_hooks");\n';
const ESM_ALS = 'import { AsyncLocalStorage } from "node:async_hooks";\n';
const afterLine = (code: string, line: string, added: string) => code.replace(line, `${line}${added}`);

const DISCHARGE = (after: string) => `const { traceable } = require("langsmith/traceable");\nconst events = require("./events.cjs");\nconst child = traceable(async (x) => x, { name: "child" });\nexports.admit = traceable(async (patient) => {\n  events.clinicEvents.addEventListener("discharged", (ev) => { child(ev.patient); });\n  ${after}\n});`;
valid.push({ name: "a listener on another module's EventTarget, dispatched by a method of that module's exports object the scope then calls", code: DISCHARGE("events.announceDischarge(patient);"), filename: CLINIC("app.cjs") });
invalid.push({
  name: "the same listener when the scope never calls that method",
  code: DISCHARGE("return patient;"),
  filename: CLINIC("app.cjs"),
  output: afterLine(DISCHARGE("return patient;"), 'const events = require("./events.cjs");\n', CJS_ALS).replace("(ev) => { child(ev.patient); }", "AsyncLocalStorage.bind((ev) => { child(ev.patient); })"),
  errors: [{ messageId: "handler" }],
});

const APPOINTMENT = (sync: string) => `import { traceable } from "langsmith/traceable";\nimport { calendar } from "./store.mjs";\nconst child = traceable(async (x) => x, { name: "child" });\nconst calendarSync = () => { ${sync} };\nexport const request = traceable(async (pet) => {\n  const off = calendar.subscribe((state) => { off(); child(state); });\n  calendarSync();\n  return pet;\n});`;
valid.push({ name: "a store of another module the scope drains through an in-file helper it calls after subscribing", code: APPOINTMENT("calendar.set({ slots: [1] });"), filename: CLINIC("app.mjs") });
invalid.push({
  name: "the same helper when it does not drain the store",
  code: APPOINTMENT("calendar.get();"),
  filename: CLINIC("app.mjs"),
  output: afterLine(APPOINTMENT("calendar.get();"), 'import { calendar } from "./store.mjs";\n', ESM_ALS).replace("(state) => { off(); child(state); }", "AsyncLocalStorage.bind((state) => { off(); child(state); })"),
  errors: [{ messageId: "stored" }],
});

const REMINDERS = (between: string, calls = "await schedule(['Nala']);") => `import { traceable } from "langsmith/traceable";\nimport { ReminderBatcher } from "./batcher.mjs";\nconst child = traceable(async (x) => x, { name: "child" });\nconst sms = new ReminderBatcher(80);\nconst schedule = traceable(async (pets) => {\n  for (const pet of pets) sms.add({ pet }, child);\n  ${between}await sms.flush();\n});\n${calls}`;
valid.push({ name: "a batcher also flushed by its own interval, which the program's only trace flushes itself right after adding", code: REMINDERS(""), filename: CLINIC("app.mjs") });
invalid.push(
  {
    name: "the same batcher with an await between adding and flushing (the interval may run first)",
    code: REMINDERS("await new Promise((r) => setTimeout(r, 100));\n  "),
    filename: CLINIC("app.mjs"),
    output: afterLine(REMINDERS("await new Promise((r) => setTimeout(r, 100));\n  "), 'import { ReminderBatcher } from "./batcher.mjs";\n', ESM_ALS).replace("sms.add({ pet }, child)", "sms.add({ pet }, AsyncLocalStorage.bind(child))"),
    errors: [{ messageId: "stored" }],
  },
  {
    name: "the same batcher flushed at once by traces that overlap",
    code: REMINDERS("", "await Promise.all([schedule(['Nala']), schedule(['Rex'])]);"),
    filename: CLINIC("app.mjs"),
    output: afterLine(REMINDERS("", "await Promise.all([schedule(['Nala']), schedule(['Rex'])]);"), 'import { ReminderBatcher } from "./batcher.mjs";\n', ESM_ALS).replace("sms.add({ pet }, child)", "sms.add({ pet }, AsyncLocalStorage.bind(child))"),
    errors: [{ messageId: "stored" }],
  },
);

const LAB_FEED = (calls: string) => `import { traceable } from "langsmith/traceable";\nimport { submitHl7 } from "./inbox.mjs";\nconst child = traceable(async (x) => x, { name: "child" });\nconst receive = traceable(async (msg) => {\n  const parsed = await submitHl7(() => child(msg));\n  return parsed;\n});\n${calls}`;
valid.push({ name: "a queue whose submit starts its drain and returns the task's result, awaited by traces run one after another", code: LAB_FEED("for (const msg of ['a', 'b']) await receive(msg);"), filename: CLINIC("app.mjs") });
invalid.push({
  name: "the same queue fed by traces that run together",
  code: LAB_FEED("await Promise.all([receive('a'), receive('b')]);"),
  filename: CLINIC("app.mjs"),
  output: afterLine(LAB_FEED("await Promise.all([receive('a'), receive('b')]);"), 'import { submitHl7 } from "./inbox.mjs";\n', ESM_ALS).replace("submitHl7(() => child(msg))", "submitHl7(AsyncLocalStorage.bind(() => child(msg)))"),
  errors: [{ messageId: "stored" }],
});

const CLOSE = (scheduling: string, atLoad: string) => `const { traceable } = require("langsmith/traceable");\nconst registry = require("./registry.cjs");\nconst child = traceable(async (x) => x, { name: "child" });\n${atLoad}exports.transfer = traceable(async (lot) => {\n  registry.register(lot, () => child(lot));\n  ${scheduling}\n});`;
valid.push({ name: "a registry drain another module exports by shorthand, run from a timer the scope schedules", code: CLOSE("setTimeout(() => registry.runAll(), 60);", ""), filename: CLINIC("app.cjs") });
invalid.push({
  name: "the same drain run from a timer armed at load",
  code: CLOSE("return lot;", "setTimeout(() => registry.runAll(), 60);\n"),
  filename: CLINIC("app.cjs"),
  output: afterLine(CLOSE("return lot;", "setTimeout(() => registry.runAll(), 60);\n"), 'const registry = require("./registry.cjs");\n', CJS_ALS).replace("() => child(lot)", "AsyncLocalStorage.bind(() => child(lot))"),
  errors: [{ messageId: "stored" }],
});

const QUICK_LOOK = (calls: string) => `${H}let nextJob: (() => unknown) | null = null;\nconst scheduleQuickLook = () => setTimeout(() => { if (nextJob) nextJob(); }, 20);\nconst ingest = traceable(async (id: string) => {\n  nextJob = () => child(id);\n  scheduleQuickLook();\n});\n${calls}`;
valid.push({ name: "a job kept in an outer variable, called by a timer an in-file function arms that only the program's only trace calls", code: QUICK_LOOK("await ingest('a');") });
invalid.push({
  name: "the same job when two traces in turn arm the timer",
  code: QUICK_LOOK("await ingest('a');\nawait ingest('b');"),
  output: withAlsImport(QUICK_LOOK("await ingest('a');\nawait ingest('b');")).replace("nextJob = () => child(id);", "nextJob = AsyncLocalStorage.bind(() => child(id));"),
  errors: [{ messageId: "assigned" }],
});

const REFILL = (calls: string) => `const { traceable } = require("langsmith/traceable");\nconst { RefillScheduler } = require("./scheduler.cjs");\nconst child = traceable(async (x) => x, { name: "child" });\nlet scheduler;\nconst refill = traceable(async (rx) => {\n  scheduler = scheduler || new RefillScheduler(30);\n  scheduler.schedule(rx, () => child(rx));\n});\n${calls}`;
valid.push({ name: "a scheduler the program's only trace makes lazily (`x = x || new C()`), whose constructor arms its drain", code: REFILL("refill('RX-1');"), filename: CLINIC("app.cjs") });
invalid.push({
  name: "the same lazily made scheduler used by two traces (the second one's job runs in the first one's context)",
  code: REFILL("refill('RX-1').then(() => refill('RX-2'));"),
  filename: CLINIC("app.cjs"),
  output: afterLine(REFILL("refill('RX-1').then(() => refill('RX-2'));"), 'const { RefillScheduler } = require("./scheduler.cjs");\n', CJS_ALS).replace("() => child(rx)", "AsyncLocalStorage.bind(() => child(rx))"),
  errors: [{ messageId: "stored" }],
});

const REFILL_LOCAL = (calls: string) => REFILL(calls).replace("  scheduler = scheduler || new RefillScheduler(30);\n  scheduler.schedule(rx, () => child(rx));", "  const refills = (scheduler ??= new RefillScheduler(30));\n  refills.schedule(rx, () => child(rx));");
valid.push({ name: "a scheduler the program's only trace makes lazily into a local (`const s = (x ??= new C())`), whose constructor arms its drain", code: REFILL_LOCAL("refill('RX-1');"), filename: CLINIC("app.cjs") });
invalid.push({
  name: "the same lazily made scheduler held in a local, used by two traces",
  code: REFILL_LOCAL("refill('RX-1').then(() => refill('RX-2'));"),
  filename: CLINIC("app.cjs"),
  output: afterLine(REFILL_LOCAL("refill('RX-1').then(() => refill('RX-2'));"), 'const { RefillScheduler } = require("./scheduler.cjs");\n', CJS_ALS).replace("() => child(rx)", "AsyncLocalStorage.bind(() => child(rx))"),
  errors: [{ messageId: "stored" }],
});

const RETRY = (module: string, calls: string) => `${H}import { retryLater } from "./${module}";\nconst place = traceable(async (id: string) => {\n  retryLater(() => child(id));\n});\n${calls}`;
valid.push({ name: "a backlog whose storing function arms the timer that drains it (handed by name), in the program's only trace", code: RETRY("retry.mjs", "await place('ILL-1');"), filename: CLINIC("app.mjs") });
invalid.push(
  {
    name: "the same backlog, stored by two traces at once (the first timer runs both)",
    code: RETRY("retry.mjs", "await Promise.all([place('ILL-1'), place('ILL-2')]);"),
    filename: CLINIC("app.mjs"),
    output: afterLine(RETRY("retry.mjs", "await Promise.all([place('ILL-1'), place('ILL-2')]);"), 'import { retryLater } from "./retry.mjs";\n', ESM_ALS).replace("retryLater(() => child(id))", "retryLater(AsyncLocalStorage.bind(() => child(id)))"),
    errors: [{ messageId: "stored" }],
  },
  {
    name: "a backlog drained by a named function whose timer is armed at load",
    code: RETRY("retry-at-load.mjs", "await place('ILL-1');"),
    filename: CLINIC("app.mjs"),
    output: afterLine(RETRY("retry-at-load.mjs", "await place('ILL-1');"), 'import { retryLater } from "./retry-at-load.mjs";\n', ESM_ALS).replace("retryLater(() => child(id))", "retryLater(AsyncLocalStorage.bind(() => child(id)))"),
    errors: [{ messageId: "stored" }],
  },
);

const TRIAGE = (subscribe: string, traceableFrom = 'const { traceable } = require("langsmith/traceable");\nconst { makeHandler } = require("./triage.cjs");\n') => `const { feed } = require("./feed.cjs");\n${traceableFrom}exports.shift = traceable(async (op) => {\n  ${subscribe}\n  return op;\n});\nsetInterval(() => feed.publish({ code: "PWR" }), 15);`;
invalid.push(
  {
    name: "a handler another module's factory makes (a closure calling its traceable), subscribed to another module's feed published at load",
    code: TRIAGE("feed.subscribe(makeHandler());"),
    filename: CLINIC("app.cjs"),
    output: afterLine(TRIAGE("feed.subscribe(makeHandler());"), 'const { makeHandler } = require("./triage.cjs");\n', CJS_ALS).replace("feed.subscribe(makeHandler())", "feed.subscribe(AsyncLocalStorage.bind(makeHandler()))"),
    errors: [{ messageId: "stored" }],
  },
  {
    name: "the same handler held in a local first",
    code: TRIAGE("const handler = makeHandler();\n  feed.subscribe(handler);"),
    filename: CLINIC("app.cjs"),
    output: afterLine(TRIAGE("const handler = makeHandler();\n  feed.subscribe(handler);"), 'const { makeHandler } = require("./triage.cjs");\n', CJS_ALS).replace("feed.subscribe(handler)", "feed.subscribe(AsyncLocalStorage.bind(handler))"),
    errors: [{ messageId: "stored" }],
  },
  {
    name: "the same with `traceable` taken from that module, which re-exports langsmith's",
    code: TRIAGE("feed.subscribe(makeHandler());", 'const { makeHandler, traceable } = require("./triage.cjs");\n'),
    filename: CLINIC("app.cjs"),
    output: afterLine(TRIAGE("feed.subscribe(makeHandler());", 'const { makeHandler, traceable } = require("./triage.cjs");\n'), 'const { makeHandler, traceable } = require("./triage.cjs");\n', CJS_ALS).replace("feed.subscribe(makeHandler())", "feed.subscribe(AsyncLocalStorage.bind(makeHandler()))"),
    errors: [{ messageId: "stored" }],
  },
);
valid.push({ name: "the same handler pinned with AsyncLocalStorage.bind", code: `${CJS_ALS}${TRIAGE("feed.subscribe(AsyncLocalStorage.bind(makeHandler()));")}`, filename: CLINIC("app.cjs") });

// Loopback streams (`PassThrough`, `Transform`, `Readable`): a write, an end or a push makes the stream emit `data` to
// its own listeners in the writer's context. A listener added in the scope to a stream that the scope then writes to
// (itself, through an in-file helper, or through another module's function) runs in the trace. A socket's write goes
// to the other end: its `data` still comes from the socket's own context.
const padFeeds = projectOnDisk({
  "src/telemetry.ts": `import { PassThrough } from "node:stream";
import net from "node:net";
export function openPadTelemetry() {
  return new PassThrough({ objectMode: true });
}
export function feedReadings(stream: PassThrough, readings: unknown[]) {
  let i = 0;
  const timer = setInterval(() => {
    if (i < readings.length) stream.write(readings[i++]);
    else {
      clearInterval(timer);
      stream.end();
    }
  }, 5);
}
export const vendorFeed = new PassThrough({ objectMode: true });
export function replayFeed(records: unknown[]) {
  for (const record of records) vendorFeed.write(record);
  vendorFeed.end();
}
export function sendFrame(socket: net.Socket, frame: string) {
  socket.write(frame);
}
`,
});
const SPRAY = (inside: string, after = "") => `import { traceable } from "langsmith/traceable";
import { feedReadings, openPadTelemetry } from "./telemetry";
const padTelemetry = openPadTelemetry();
const recordFluidUsage = traceable(async (reading: unknown) => reading, { name: "record_fluid_usage" });
const monitor = traceable(async (flight: string, telemetry: typeof padTelemetry) => {
  telemetry.on("data", (reading: unknown) => recordFluidUsage(reading));
  ${inside}
  return flight;
});
await monitor("KL1575", padTelemetry);
${after}`;
const INGEST = (inside: string) => `import { traceable } from "langsmith/traceable";
import { replayFeed, vendorFeed } from "./telemetry";
const normalise = traceable(async (record: unknown) => record, { name: "normalise" });
const ingest = traceable(async (job: { source: typeof vendorFeed; records: unknown[] }) => {
  const stream = job.source;
  stream.on("data", (record: unknown) => normalise(record));
  ${inside}
});
await ingest({ source: vendorFeed, records: [{ title: "Middlemarch" }] });
`;
const LOCAL_FEED = (inside: string, after = "") => `import { traceable } from "langsmith/traceable";
import { PassThrough } from "node:stream";
const feed = new PassThrough({ objectMode: true });
const child = traceable(async (x: unknown) => x, { name: "child" });
function pump(stream: PassThrough, items: unknown[]) {
  for (const item of items) stream.write(item);
  stream.end();
}
export const parent = traceable(async (items: unknown[]) => {
  feed.on("data", (item: unknown) => child(item));
  ${inside}
});
${after}`;
valid.push(
  { name: "a data listener on a loopback stream passed in, which another module's function the scope calls then writes to", filename: path.join(padFeeds, "src/spray.ts"), code: SPRAY("feedReadings(telemetry, [{ flight, litres: 420 }]);") },
  { name: "a data listener on another module's stream made at load, which that module's function the scope calls then writes to", filename: path.join(padFeeds, "src/ingest.ts"), code: INGEST("replayFeed(job.records);") },
  { name: "a data listener on a module-level PassThrough that the scope then writes to itself", code: LOCAL_FEED("for (const item of items) feed.write(item);\n  feed.end();") },
  { name: "a data listener on a module-level PassThrough that the scope then feeds through an in-file helper", code: LOCAL_FEED("pump(feed, items);") },
);
invalid.push(
  {
    name: "a data listener on a loopback stream passed in, which another module's function writes to after the trace",
    filename: path.join(padFeeds, "src/spray.ts"),
    code: SPRAY("", 'feedReadings(padTelemetry, [{ flight: "KL1575", litres: 420 }]);'),
    output: withAlsImport(SPRAY("", 'feedReadings(padTelemetry, [{ flight: "KL1575", litres: 420 }]);')).replace('telemetry.on("data", (reading: unknown) => recordFluidUsage(reading))', 'telemetry.on("data", AsyncLocalStorage.bind((reading: unknown) => recordFluidUsage(reading)))'),
    errors: [{ messageId: "listener" }],
  },
  {
    name: "a data listener on another module's stream made at load, which that module's function writes to outside the scope",
    filename: path.join(padFeeds, "src/ingest.ts"),
    code: INGEST("return job.records.length;") + "replayFeed([]);\n",
    output: withAlsImport(INGEST("return job.records.length;") + "replayFeed([]);\n").replace('stream.on("data", (record: unknown) => normalise(record))', 'stream.on("data", AsyncLocalStorage.bind((record: unknown) => normalise(record)))'),
    errors: [{ messageId: "listener" }],
  },
  {
    name: "a data listener on another module's stream that the scope has that module write to, and that code outside the scope has it write to as well",
    filename: path.join(padFeeds, "src/ingest.ts"),
    code: INGEST("if (job.records.length) replayFeed(job.records);") + "replayFeed([{ title: \"Emma\" }]);\n",
    output: withAlsImport(INGEST("if (job.records.length) replayFeed(job.records);") + "replayFeed([{ title: \"Emma\" }]);\n").replace('stream.on("data", (record: unknown) => normalise(record))', 'stream.on("data", AsyncLocalStorage.bind((record: unknown) => normalise(record)))'),
    errors: [{ messageId: "listener" }],
  },
  {
    name: "a data listener on a module-level PassThrough that the scope writes to, and that code outside the scope writes to as well",
    code: LOCAL_FEED("feed.write(items[0]);", 'setInterval(() => feed.write("tick"), 50);\n'),
    output: withAlsImport(LOCAL_FEED("feed.write(items[0]);", 'setInterval(() => feed.write("tick"), 50);\n')).replace('feed.on("data", (item: unknown) => child(item))', 'feed.on("data", AsyncLocalStorage.bind((item: unknown) => child(item)))'),
    errors: [{ messageId: "listener" }],
  },
  {
    name: "a data listener on a socket made at load, to which another module's function the scope calls writes (the reply comes from the other end)",
    filename: path.join(padFeeds, "src/wire.ts"),
    code: `import { traceable } from "langsmith/traceable";
import net from "node:net";
import { sendFrame } from "./telemetry";
const socket = net.connect(7000, "127.0.0.1");
const child = traceable(async (x: unknown) => x, { name: "child" });
export const parent = traceable(async (frame: string) => {
  socket.on("data", (buf: Buffer) => child(String(buf)));
  sendFrame(socket, frame);
});
`,
    output: `import { traceable } from "langsmith/traceable";
import net from "node:net";
import { sendFrame } from "./telemetry";
import { AsyncLocalStorage } from "node:async_hooks";
const socket = net.connect(7000, "127.0.0.1");
const child = traceable(async (x: unknown) => x, { name: "child" });
export const parent = traceable(async (frame: string) => {
  socket.on("data", AsyncLocalStorage.bind((buf: Buffer) => child(String(buf))));
  sendFrame(socket, frame);
});
`,
    errors: [{ messageId: "listener" }],
  },
);

// A store drained by listeners its module adds at load to an emitter it exports: an emit on that emitter runs the
// stored callbacks in the emitting call's context.
const gridAlerts = projectOnDisk({
  "src/alerts.mjs": `import { EventEmitter } from "node:events";
export const gridBus = new EventEmitter();
const handlersByTurbine = new Map();
export function onCurtailment(turbineId, handler) {
  const list = handlersByTurbine.get(turbineId) ?? [];
  list.push(handler);
  handlersByTurbine.set(turbineId, list);
}
gridBus.on("curtailment", (msg) => {
  for (const h of handlersByTurbine.get(msg.turbineId) ?? []) h(msg);
});
`,
  "src/alerts.cjs": `const { EventEmitter } = require("node:events");
const gridBus = new EventEmitter();
const handlers = [];
function onCurtailment(handler) {
  handlers.push(handler);
}
gridBus.on("curtailment", (msg) => handlers.forEach((h) => h(msg)));
module.exports = { bus: gridBus, onCurtailment };
`,
});
const ARM = (inside: string, after = "") => `import { traceable } from "langsmith/traceable";
import { gridBus, onCurtailment } from "./alerts.mjs";
const derate = traceable(async (id, kw) => ({ id, kw }), { name: "derate" });
const arm = traceable(async (turbineId) => {
  const react = (msg) => derate(msg.turbineId, msg.limitKw);
  onCurtailment(turbineId, react);
  ${inside}
  return turbineId;
});
await arm("WTG-07");
${after}`;
const ARM_CJS = (inside: string) => `const { traceable } = require("langsmith/traceable");
const alerts = require("./alerts.cjs");
const derate = traceable(async (msg) => msg, { name: "derate" });
exports.arm = traceable(async (turbineId) => {
  alerts.onCurtailment((msg) => derate(msg));
  ${inside}
});
`;
valid.push(
  { name: "a callback kept in another module's store that a listener on its exported bus drains, on which the scope then emits", filename: path.join(gridAlerts, "src/main.mjs"), code: ARM('gridBus.emit("curtailment", { turbineId, limitKw: 1800 });') },
  { name: "the same in CommonJS, the bus exported under another name", filename: path.join(gridAlerts, "src/main.cjs"), code: ARM_CJS('alerts.bus.emit("curtailment", { turbineId });') },
);
invalid.push(
  {
    name: "a callback kept in another module's store that a listener on its exported bus drains, emitted after the trace",
    filename: path.join(gridAlerts, "src/main.mjs"),
    code: ARM("", 'gridBus.emit("curtailment", { turbineId: "WTG-07", limitKw: 1800 });\n'),
    output: withAlsImport(ARM("", 'gridBus.emit("curtailment", { turbineId: "WTG-07", limitKw: 1800 });\n')).replace("onCurtailment(turbineId, react)", "onCurtailment(turbineId, AsyncLocalStorage.bind(react))"),
    errors: [{ messageId: "stored" }],
  },
  {
    name: "the same, with the scope emitting another event on the bus",
    filename: path.join(gridAlerts, "src/main.mjs"),
    code: ARM('gridBus.emit("restored", { turbineId });'),
    output: withAlsImport(ARM('gridBus.emit("restored", { turbineId });')).replace("onCurtailment(turbineId, react)", "onCurtailment(turbineId, AsyncLocalStorage.bind(react))"),
    errors: [{ messageId: "stored" }],
  },
);

// A module-level `let` the scope sets to a fresh instance just before it uses it, the use sitting in a branch or in a
// loop of the scope that awaits nothing: this call's own instance (its constructor's interval started in the trace).
const reorders = projectOnDisk({
  "src/scheduler.mjs": `export class ReorderScheduler {
  constructor(periodMs) {
    this.jobs = [];
    this.timer = setInterval(() => this.tick(), periodMs);
  }
  schedule(job) {
    this.jobs.push(job);
  }
  tick() {
    for (const job of this.jobs.splice(0)) job();
  }
}
`,
});
const RECONCILE = (made: string, loop: string) => `import { traceable } from "langsmith/traceable";
import { ReorderScheduler } from "./scheduler.mjs";
${made}
const submitPo = traceable(async (line) => line, { name: "submit_po" });
export const reconcile = traceable(async (counts) => {
  ${made.startsWith("let") ? "scheduler = new ReorderScheduler(20);\n  " : ""}for (const c of counts) {
    ${loop}if (c.onHand < c.par) scheduler.schedule(() => submitPo(c));
  }
});
`;
const RECONCILE_FIXED = (made: string, loop: string) => withAlsImport(RECONCILE(made, loop)).replace("scheduler.schedule(() => submitPo(c))", "scheduler.schedule(AsyncLocalStorage.bind(() => submitPo(c)))");
valid.push({ name: "a module-level let set to a fresh scheduler in the scope, used in a loop of the scope that awaits nothing", filename: path.join(reorders, "src/main.mjs"), code: RECONCILE("let scheduler;", "") });
invalid.push(
  { name: "the same scheduler made at load", filename: path.join(reorders, "src/main.mjs"), code: RECONCILE("const scheduler = new ReorderScheduler(20);", ""), output: RECONCILE_FIXED("const scheduler = new ReorderScheduler(20);", ""), errors: [{ messageId: "stored" }] },
  {
    name: "a module-level let set to a fresh scheduler in the scope, used in a loop that awaits (another call may have set it since)",
    filename: path.join(reorders, "src/main.mjs"),
    code: RECONCILE("let scheduler;", "await Promise.resolve();\n    "),
    output: RECONCILE_FIXED("let scheduler;", "await Promise.resolve();\n    "),
    errors: [{ messageId: "stored" }],
  },
  {
    name: "the same with the loop awaiting after the use (a later iteration reads after that await)",
    filename: path.join(reorders, "src/main.mjs"),
    code: RECONCILE("let scheduler;", "").replace("submitPo(c));\n", "submitPo(c));\n    await Promise.resolve();\n"),
    output: RECONCILE_FIXED("let scheduler;", "").replace("submitPo(c)));\n", "submitPo(c)));\n    await Promise.resolve();\n"),
    errors: [{ messageId: "stored" }],
  },
);

// A callback written to a field of another module's class instance, which the class runs only in a method's loop
// (`async run()` polling): nested when only the program's one trace starts that loop, after the write.
const reeferMonitors = projectOnDisk({
  "src/monitor.cjs": `const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
class ReeferMonitor {
  constructor(readPlug) {
    this.readPlug = readPlug;
    this.onAlarm = null;
    this.stopped = false;
  }
  async run(pollMs) {
    while (!this.stopped) {
      await sleep(pollMs);
      const reading = this.readPlug();
      if (reading && this.onAlarm) await this.onAlarm(reading);
    }
  }
  stop() {
    this.stopped = true;
  }
}
module.exports = { ReeferMonitor };
`,
});
const WATCH_REEFER = (atLoad: string, inside: string, calls: string) => `const { traceable } = require("langsmith/traceable");
const { ReeferMonitor } = require("./monitor.cjs");
const monitor = new ReeferMonitor(() => undefined);
let polling;
${atLoad}const dispatchCrew = traceable(async (reading) => reading, { name: "dispatch_crew" });
const arm = traceable(async (block) => {
  monitor.onAlarm = (reading) => dispatchCrew(reading);
  ${inside}monitor.stop();
  return block;
}, { name: "arm" });
${calls}
`;
const WATCH_REEFER_FIXED = (atLoad: string, inside: string, calls: string) =>
  WATCH_REEFER(atLoad, inside, calls).replace('const { ReeferMonitor } = require("./monitor.cjs");\n', 'const { ReeferMonitor } = require("./monitor.cjs");\nconst { AsyncLocalStorage } = require("node:async_hooks");\n').replace("monitor.onAlarm = (reading) => dispatchCrew(reading);", "monitor.onAlarm = AsyncLocalStorage.bind((reading) => dispatchCrew(reading));");
valid.push({ name: "a callback written to a field that another module's class runs only in its run() loop, which the program's only trace starts after the write", filename: path.join(reeferMonitors, "src/main.cjs"), code: WATCH_REEFER("", "polling = monitor.run(10);\n  ", 'arm("R7").then(() => polling);') });
invalid.push(
  {
    name: "the same run() loop started at load",
    filename: path.join(reeferMonitors, "src/main.cjs"),
    code: WATCH_REEFER("polling = monitor.run(10);\n", "", 'arm("R7");'),
    output: WATCH_REEFER_FIXED("polling = monitor.run(10);\n", "", 'arm("R7");'),
    errors: [{ messageId: "assigned" }],
  },
  {
    name: "the same loop started inside, by two traces (the first loop runs the second trace's callback)",
    filename: path.join(reeferMonitors, "src/main.cjs"),
    code: WATCH_REEFER("", "polling = monitor.run(10);\n  ", 'arm("R7");\narm("R8");'),
    output: WATCH_REEFER_FIXED("", "polling = monitor.run(10);\n  ", 'arm("R7");\narm("R8");'),
    errors: [{ messageId: "assigned" }],
  },
);

// A hand-written queue whose storing method keeps a pending record and starts the drain when none runs, awaited by
// traces that run one at a time (awaited in turn, or chained by `reduce`): each trace's drain runs its own task.
const RENDER_QUEUE = (calls: string) => `import { traceable } from "langsmith/traceable";
class RenderQueue {
  pending: { task: () => Promise<unknown>; resolve: (v: unknown) => void }[] = [];
  draining = false;
  submit(task: () => Promise<unknown>) {
    return new Promise((resolve) => {
      this.pending.push({ task, resolve });
      if (!this.draining) this.drain();
    });
  }
  async drain() {
    this.draining = true;
    while (this.pending.length) {
      const { task, resolve } = this.pending.shift()!;
      resolve(await task());
    }
    this.draining = false;
  }
}
const renderQueue = new RenderQueue();
const renderPdf = traceable(async (id: string) => id, { name: "render_pdf" });
const issue = traceable(async (id: string) => renderQueue.submit(() => renderPdf(id)), { name: "issue" });
${calls}
`;
valid.push(
  { name: "an in-file queue that keeps a pending record and starts its drain when idle, awaited by traces awaited in turn", code: RENDER_QUEUE('await issue("l-1");\nawait issue("l-2");') },
  { name: "the same queue, the traces chained one after another by reduce", code: RENDER_QUEUE('["l-1", "l-2"].reduce((prev, id) => prev.then(() => issue(id)), Promise.resolve());') },
  { name: "the same queue, the traces chained by an async reducer that waits for the previous one first", code: RENDER_QUEUE('await ["l-1", "l-2"].reduce(async (prev, id) => {\n  await prev;\n  await issue(id);\n}, Promise.resolve());') },
);
for (const [name, calls] of [
  ["the same queue, the traces run at once", 'await Promise.all([issue("l-1"), issue("l-2")]);'],
  ["the same queue, a reducer that does not chain on the previous promise", '["l-1", "l-2"].reduce((prev, id) => { issue(id); return prev; }, Promise.resolve());'],
] as const) {
  invalid.push({ name, code: RENDER_QUEUE(calls), output: withAlsImport(RENDER_QUEUE(calls)).replace("renderQueue.submit(() => renderPdf(id))", "renderQueue.submit(AsyncLocalStorage.bind(() => renderPdf(id)))"), errors: [{ messageId: "stored" }] });
}

tester(NODE).run(RULE, rule(RULE), { valid, invalid });
describeIdempotency(RULE, invalid.filter((c) => c.output !== null) as never, NODE);
