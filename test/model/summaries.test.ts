/**
 * Cross-file function summaries (src/js/model/summaries.ts): what a function exported by a project module does with
 * its parameters, asked through the project index for modules on disk, as plain data; re-computed when the module
 * changes; and asked only for calls that pass a function.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { JsModel } from "../../src/js/model.js";
import { importedCallSummary, summarizeExport, type FacetGuard, type FunctionSummary } from "../../src/js/model/summaries.js";
import { parseSource } from "../../src/js/parse.js";
import { projectFacts, STAT_TTL_MS } from "../../src/js/project/index.js";
import { resolveSettings } from "../../src/js/settings.js";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "trace-nesting-summaries-"));
  roots.push(root);
  writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const settings = resolveSettings({});

function summaryOf(root: string, module: string, name: string): FunctionSummary | undefined {
  void JsModel; // loading the model module installs the project index's hooks
  return projectFacts(path.join(root, "src/main.ts"), root, settings)!.importSummary(module, name);
}

const HELPERS = `import { AsyncLocalStorage } from "node:async_hooks";
import { traceable } from "langsmith/traceable";
import http from "node:http";
import async from "async";
import PQueue from "p-queue";

const shared = new PQueue({ concurrency: 1 });
const waiting: Array<() => void> = [];

export function listen(target, event, callback) {
  return target.once(event, callback);
}
export const submit = (limit, task) => limit(task);
export function enqueue(task) {
  return shared.add(task);
}
export function later(callback) {
  waiting.push(callback);
}
export function ownQueue(task) {
  const queue = new PQueue({ concurrency: 1 });
  return queue.add(task);
}
export function register(builder, name, node) {
  return builder.addNode(name, node);
}
export function serve(handler) {
  return http.createServer(handler);
}
export function makeQueue(worker) {
  return async.queue(worker, 2);
}
export function runNow(callback) {
  return callback();
}
export function bindItself(target, callback) {
  target.on("done", AsyncLocalStorage.bind(callback));
}
function inner(target, callback) {
  target.push(callback);
}
export function outer(target, callback) {
  inner(target, callback);
}
const limiters = new Map();
export function limiterFor(key) {
  if (!limiters.has(key)) limiters.set(key, new PQueue({ concurrency: 1 }));
  return limiters.get(key);
}
export function freshLimiter() {
  return new PQueue({ concurrency: 1 });
}
export function laterEach(callbacks) {
  for (const callback of callbacks) waiting.push(callback);
}
export function laterAll(callbacks) {
  callbacks.forEach(later);
}
const caption = traceable(async (image) => image, { name: "caption" });
export const captionTasks = (images) => images.map((image) => caption.bind(null, image));
export const plainCaptions = () => [caption, caption];
export const notAFunction = 42;
`;

describe("summaries of functions exported by a project module", () => {
  const root = project({ "src/helpers.ts": HELPERS, "src/main.ts": "", "src/again.ts": `export { listen as onEvent } from "./helpers";\n` });

  it("a hand-off to a receiver the caller passes is left for the call site to classify", () => {
    // Every argument of the call is recorded with its position; the call site keeps the listener's (position 1).
    expect(summaryOf(root, "./helpers", "listen")?.handoffs).toEqual([
      { param: 1, method: "once", argIndex: 0, receiverParam: 0, via: ["listen"] },
      { param: 2, method: "once", argIndex: 1, receiverParam: 0, via: ["listen"] },
    ]);
    expect(summaryOf(root, "./helpers", "submit")?.handoffs).toEqual([{ param: 1, method: "limit", argIndex: 0, callsReceiver: true, receiverParam: 0, via: ["submit"] }]);
    expect(summaryOf(root, "./helpers", "outer")?.handoffs).toEqual([{ param: 1, method: "push", argIndex: 0, receiverParam: 0, via: ["outer", "inner"] }]);
  });

  it("a hand-off to a receiver of the module itself is classified there, with what the module knows of the receiver", () => {
    expect(summaryOf(root, "./helpers", "enqueue")?.handoffs).toEqual([
      { param: 0, kind: "queued", method: "add", argIndex: 0, library: "p-queue", receiver: { text: "shared", createdPerCall: false, outlives: true, kinds: ["p-queue"], concurrency: 1, loadedBy: { file: expect.stringMatching(/helpers\.ts$/), packages: ["p-queue"] } }, via: ["enqueue"] },
    ]);
    expect(summaryOf(root, "./helpers", "later")?.handoffs).toMatchObject([{ param: 0, kind: "stored", method: "push", receiver: { text: "waiting", createdPerCall: false, outlives: true } }]);
    expect(summaryOf(root, "./helpers", "ownQueue")?.handoffs).toMatchObject([{ param: 0, kind: "queued", receiver: { createdPerCall: true } }]);
  });

  it("registrations, server handlers and returned kinds", () => {
    expect(summaryOf(root, "./helpers", "register")?.registrations).toEqual([{ param: 2, kind: "graph-node", label: "graph node", configParamIndex: 1, nameParam: 1, receiverParam: 0 }]);
    expect(summaryOf(root, "./helpers", "serve")?.serverHandlers).toEqual([{ param: 0, framework: "http" }]);
    expect(summaryOf(root, "./helpers", "makeQueue")?.returns).toEqual(["async-queue"]);
  });

  it("whether what a function returns may outlive the call (a limiter kept in a module-level Map) or is made afresh", () => {
    expect(summaryOf(root, "./helpers", "limiterFor")).toMatchObject({ returns: ["p-queue"], returnsShared: true });
    expect(summaryOf(root, "./helpers", "freshLimiter")).toMatchObject({ returns: ["p-queue"], returnsShared: false });
    // Where the queue it returns was made: this module, with the names it loads p-queue under (its version is read there).
    expect(summaryOf(root, "./helpers", "limiterFor")?.returnsLoadedBy).toEqual({ file: path.join(root, "src/helpers.ts"), packages: ["p-queue"] });
    expect(summaryOf(root, "./helpers", "makeQueue")?.returnsLoadedBy).toBeUndefined();
  });

  it("whether what a function returns is a userland thenable that keeps its callbacks for whoever settles it", () => {
    const thenables = project({
      "src/thenables.ts": `class Quote {
  #callbacks: ((v: number) => void)[] = [];
  then(onFulfilled: (v: number) => void) {
    this.#callbacks.push(onFulfilled);
  }
}
const waiters: ((v: number) => void)[] = [];
export function quote() {
  return new Quote();
}
export function ready() {
  return { then: (resolve: (v: number) => void) => void waiters.push(resolve) };
}
export function now() {
  return { then: (resolve: (v: number) => void) => resolve(1) };
}
export async function later() {
  return new Quote();
}
`,
      "src/main.ts": "",
    });
    expect(summaryOf(thenables, "./thenables", "quote")?.returnsKeepingThenable).toBe(true);
    expect(summaryOf(thenables, "./thenables", "ready")?.returnsKeepingThenable).toBe(true);
    expect(summaryOf(thenables, "./thenables", "now")?.returnsKeepingThenable).toBeUndefined();
    expect(summaryOf(thenables, "./thenables", "later")?.returnsKeepingThenable).toBeUndefined();
  });

  it("a function that calls its callback at once, or binds it itself, hands nothing over", () => {
    expect(summaryOf(root, "./helpers", "runNow")).toEqual({ handoffs: [], registrations: [], serverHandlers: [], returns: [], returnsShared: false, returnsTracedTasks: false, channelConsumers: [] });
    expect(summaryOf(root, "./helpers", "bindItself")?.handoffs).toEqual([]);
  });

  it("an array parameter whose elements are handed over one by one (for…of, point-free forEach) is an array of tasks", () => {
    expect(summaryOf(root, "./helpers", "laterEach")?.handoffs).toMatchObject([{ param: 0, kind: "stored", method: "push", taskArray: true, receiver: { text: "waiting", outlives: true } }]);
    expect(summaryOf(root, "./helpers", "laterAll")?.handoffs).toMatchObject([{ param: 0, kind: "stored", method: "push", taskArray: true, receiver: { text: "waiting", outlives: true } }]);
  });

  it("whether a function returns traced tasks it makes per call (partial applications of a traceable), not the traceable itself", () => {
    expect(summaryOf(root, "./helpers", "captionTasks")?.returnsTracedTasks).toBe(true);
    expect(summaryOf(root, "./helpers", "plainCaptions")?.returnsTracedTasks).toBe(false);
  });

  it("follows one re-export; a value that is no function, or no export, has no summary", () => {
    expect(summaryOf(root, "./again", "onEvent")).toEqual(summaryOf(root, "./helpers", "listen"));
    expect(summaryOf(root, "./helpers", "notAFunction")).toBeUndefined();
    expect(summaryOf(root, "./helpers", "missing")).toBeUndefined();
    expect(summaryOf(root, "some-package", "listen")).toBeUndefined();
  });

  it("is plain data: it survives a JSON round trip unchanged", () => {
    for (const name of ["listen", "enqueue", "register", "serve", "makeQueue", "outer"]) {
      const summary = summaryOf(root, "./helpers", name);
      expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    }
  });

  it("follows a helper that passes its parameters on to a helper of a third module", () => {
    const chained = project({
      "src/main.ts": "",
      "src/helpers.ts": HELPERS,
      "src/ready.ts": `import { listen, enqueue } from "./helpers";\nexport function onReady(target, cb) {\n  return listen(target, "ready", cb);\n}\nexport function queueIt(task) {\n  return enqueue(task);\n}\n`,
    });
    expect(summaryOf(chained, "./ready", "onReady")?.handoffs).toEqual([{ param: 1, method: "once", argIndex: 1, receiverParam: 0, via: ["onReady", "listen"] }]);
    // A queue of the third module, as that module judged it.
    expect(summaryOf(chained, "./ready", "queueIt")?.handoffs).toEqual([
      { param: 0, kind: "queued", method: "add", argIndex: 0, library: "p-queue", receiver: { text: "shared", createdPerCall: false, outlives: true, kinds: ["p-queue"], concurrency: 1, loadedBy: { file: expect.stringMatching(/helpers\.ts$/), packages: ["p-queue"] } }, via: ["queueIt", "enqueue"] },
    ]);
  });

  it("CommonJS exports: `module.exports = { f }` and `exports.f = ...`", () => {
    const cjs = project({
      "src/main.ts": "",
      "src/a.cjs": `function listen(target, cb) {\n  target.on("x", cb);\n}\nmodule.exports = { listen };\n`,
      "src/b.cjs": `exports.keep = (store, cb) => store.add(cb);\n`,
    });
    expect(summaryOf(cjs, "./a.cjs", "listen")?.handoffs).toMatchObject([{ param: 1, method: "on", receiverParam: 0 }]);
    expect(summaryOf(cjs, "./b.cjs", "keep")?.handoffs).toMatchObject([{ param: 1, method: "add", receiverParam: 0 }]);
  });

  it("sees an edit of the helper's module once the file changes on disk", () => {
    // A frozen clock: the cached text is trusted for STAT_TTL_MS after the last look, then looked at again.
    let now = Date.now();
    const clock = vi.spyOn(Date, "now").mockImplementation(() => now);
    try {
      const edited = project({ "src/main.ts": "", "src/helpers.ts": `export function hand(target, cb) {\n  return cb();\n}\n` });
      expect(summaryOf(edited, "./helpers", "hand")?.handoffs).toEqual([]);
      const file = path.join(edited, "src/helpers.ts");
      writeFileSync(file, `export function hand(target, cb) {\n  target.on("ready", cb);\n}\n`);
      const later = new Date(statSync(file).mtimeMs + 5000);
      utimesSync(file, later, later);
      expect(summaryOf(edited, "./helpers", "hand")?.handoffs).toEqual([]);
      now += STAT_TTL_MS + 1;
      expect(summaryOf(edited, "./helpers", "hand")?.handoffs).toMatchObject([{ param: 1, method: "on", receiverParam: 0 }]);
    } finally {
      clock.mockRestore();
    }
  });
});

describe("a summary's parts are computed when first read", () => {
  const text = `import PQueue from "p-queue";\nconst shared = new PQueue({ concurrency: 1 });\nexport function enqueue(task) {\n  return shared.add(task);\n}\nexport function makeQueue() {\n  return new PQueue();\n}\n`;
  const model = () => new JsModel({ ...parseSource(text, "helpers.ts"), settings, project: false });
  /** A guard that records each computation, and answers incompletely (past the nesting bound) while `bounded`. */
  function recordingGuard() {
    const state = { computed: 0, bounded: false };
    const guard: FacetGuard = (compute, fallback) => {
      if (state.bounded) return { value: fallback, complete: false };
      state.computed++;
      return { value: compute(), complete: true };
    };
    return { state, guard };
  }

  it("reading one part computes that part only, once", () => {
    const { state, guard } = recordingGuard();
    const m = model();
    const summary = summarizeExport(m, "enqueue", () => m, guard)!;
    expect(state.computed).toBe(0);
    expect(summary.registrations).toEqual([]);
    expect(state.computed).toBe(1);
    expect(summary.handoffs).toMatchObject([{ param: 0, kind: "queued", method: "add", library: "p-queue" }]);
    expect(summary.handoffs).toMatchObject([{ param: 0, kind: "queued" }]);
    expect(state.computed).toBe(2);
  });

  it("an answer cut short by the nesting bound is not kept: a later read computes it", () => {
    const { state, guard } = recordingGuard();
    const m = model();
    const summary = summarizeExport(m, "makeQueue", () => m, guard)!;
    state.bounded = true;
    expect(summary.returns).toEqual([]);
    state.bounded = false;
    expect(summary.returns).toEqual(["p-queue"]);
    expect(summary.returnsLoadedBy).toMatchObject({ packages: ["p-queue"] });
  });

  it("a part is computed from the module's current model (the index may have dropped the first one)", () => {
    const first = model();
    const second = model();
    const asked: unknown[] = [];
    const summary = summarizeExport(first, "enqueue", () => (asked.push(second), second))!;
    expect(summary.handoffs).toMatchObject([{ param: 0, kind: "queued" }]);
    expect(asked).toEqual([second]);
  });
});

describe("at the call site", () => {
  function calls(text: string) {
    const model = new JsModel({ ...parseSource(text, "main.ts"), settings, project: false });
    const asked: string[] = [];
    const lookup = (module: string, name: string) => {
      asked.push(`${module}:${name}`);
      return { handoffs: [], registrations: [], serverHandlers: [], returns: [] };
    };
    const found = model.calls.map((call) => importedCallSummary(call, (e) => model.valuesOf(e), lookup)?.localName);
    return { asked, found };
  }

  it("asks for the summary only of calls of imported project functions that pass a function", () => {
    const { asked, found } = calls(
      `import { listen, format } from "./helpers";\nimport { on } from "events";\nconst cb = () => 1;\nlisten(emitter, "x", cb);\nlisten(emitter, "x", () => 2);\nformat("text", 3);\non(emitter, "x", cb);\n`,
    );
    expect(asked).toEqual(["./helpers:listen", "./helpers:listen"]);
    expect(found).toEqual(["listen", "listen", undefined, undefined]);
  });

  it("a function required from a project module counts too", () => {
    expect(calls(`const { listen } = require("./helpers.cjs");\nlisten(emitter, "x", () => 1);\n`).asked).toEqual(["./helpers.cjs:listen"]);
  });
});

describe("what a static factory returns", () => {
  const settings = resolveSettings({});
  const summaryOf = (body: string) => {
    const m = new JsModel({ ...parseSource(`export class Store {\n  static #instance: Store | undefined;\n${body}\n}\n`, "store.ts"), settings, project: false });
    return summarizeExport(m, "Store.shared", () => m)!;
  };

  it.each([
    ["a new instance", "  static shared() { return new Store(); }"],
    ["a singleton made on first use (??=)", "  static shared() { return (Store.#instance ??= new Store()); }"],
    ["a singleton made on first use (|| assignment)", "  static shared() { return Store.#instance || (Store.#instance = new Store()); }"],
  ])("%s: an instance of the exported class", (_form, body) => {
    expect(summaryOf(body).returnsInstanceOf).toBe("Store");
  });

  it("something else as well: not said", () => {
    expect(summaryOf("  static shared(flag: boolean) { return flag ? new Store() : null; }").returnsInstanceOf).toBeUndefined();
  });
});
