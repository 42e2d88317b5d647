/**
 * Store drains (src/js/model/drains.ts): which functions of a module run the callbacks a store keeps, and only when
 * the module calls those directly (never from a timer, a listener or a function it hands away).
 */
import { describe, expect, it } from "vitest";
import { JsModel } from "../../src/js/model.js";
import { storeDrainers, storeDrainStarters, storeNeverRunsValues } from "../../src/js/model/drains.js";
import { walkNodes, type Node } from "../../src/js/model/ast.js";
import { parseSource } from "../../src/js/parse.js";
import { resolveSettings } from "../../src/js/settings.js";

/** The drainers of the store the first `.push(` of `text` stores into. */
function drainersOf(text: string): string[] | undefined {
  const model = new JsModel({ ...parseSource(text, "store.ts"), settings: resolveSettings({}) });
  const push = model.calls.find((c) => c.type === "CallExpression" && c.callee.type === "MemberExpression" && model.text.slice(c.callee.range[0], c.callee.range[1]).endsWith(".push"));
  if (!push || push.callee.type !== "MemberExpression") throw new Error("no push in the test text");
  return storeDrainers(model, push.callee.object as Node);
}

/** The drainers of the store the first member expression written `field` (`this.#topics`) is. */
function fieldDrainersOf(field: string, text: string): string[] | undefined {
  const model = new JsModel({ ...parseSource(text, "store.ts"), settings: resolveSettings({}) });
  let found: Node | undefined;
  walkNodes(model.ast as unknown as Node, (n) => {
    if (!found && n.type === "MemberExpression" && model.text.slice(n.range[0], n.range[1]) === field) found = n;
  });
  if (!found) throw new Error(`no ${field} in the test text`);
  return storeDrainers(model, found);
}

describe("storeDrainers", () => {
  it("finds the method that iterates a copy of a field and calls a method of each element", () => {
    expect(
      drainersOf(`class Store {
  #observers: { notify(): void }[] = [];
  subscribe(o: { notify(): void }) { this.#observers.push(o); return () => { this.#observers = this.#observers.filter((x) => x !== o); }; }
  set() { for (const o of [...this.#observers]) o.notify(); }
  emit() { this.#observers.forEach((o) => o.notify()); }
}
export const store = new Store();`),
    ).toEqual(["emit", "set"]);
  });

  it("finds the function that drains a module-level array through splice", () => {
    expect(drainersOf(`const waiters: (() => void)[] = [];\nexport function wait(w: () => void) { waiters.push(w); }\nexport function wake() { for (const w of waiters.splice(0)) w(); }`)).toEqual(["wake"]);
  });

  it("finds the method that runs one list of a map of lists (`this.#topics.get(topic) ?? []`)", () => {
    expect(
      fieldDrainersOf("this.#topics", `class ScoreBus {
  #topics = new Map<string, ((p: unknown) => unknown)[]>();
  on(topic: string, handler: (p: unknown) => unknown) { const list = this.#topics.get(topic) ?? []; list.push(handler); this.#topics.set(topic, list); }
  async publish(topic: string, payload: unknown) { for (const handler of this.#topics.get(topic) ?? []) await handler(payload); }
}
export const scoreBus = new ScoreBus();`),
    ).toEqual(["publish"]);
  });

  it("gives nothing when the drain runs from a timer's callback", () => {
    expect(drainersOf(`const waiters: (() => void)[] = [];\nexport function wait(w: () => void) { waiters.push(w); }\nsetInterval(() => { for (const w of waiters.splice(0)) w(); }, 5);`)).toBeUndefined();
  });

  it("gives nothing when the draining method is called from a timer, also through another method", () => {
    const store = (ctor: string) => `class Store {
  #fns: (() => void)[] = [];
  constructor() { ${ctor} }
  add(f: () => void) { this.#fns.push(f); }
  tick() { this.flush(); }
  flush() { this.#fns.forEach((f) => f()); }
}
export const store = new Store();`;
    // `tick` drains too: it calls `flush`.
    expect(drainersOf(store(""))).toEqual(["flush", "tick"]);
    expect(drainersOf(store("setInterval(() => this.tick(), 5);"))).toBeUndefined();
    expect(drainersOf(store("process.on('exit', this.flush);"))).toBeUndefined();
  });

  it("takes an element out with shift() and calls it, and names a drain the module exports under another name", () => {
    const outbox = (start: string) => `const buffer = [];
${start}
function relay() {
  while (buffer.length) {
    const { message, publish } = buffer.shift();
    publish(message);
  }
}
module.exports = { enqueue(message, publish) { buffer.push({ message, publish }); }, commit: relay, shutdown() { return relay(); } };`;
    expect(drainersOf(outbox(""))).toEqual(["commit", "relay", "shutdown"]);
    expect(drainersOf(outbox("setInterval(relay, 8);"))).toBeUndefined();
  });

  it("ignores a method of the same name on another class's object, but not on an object it cannot place", () => {
    const text = (use: string) => `class Store {
  #fns: (() => void)[] = [];
  add(f: () => void) { this.#fns.push(f); }
  set() { this.#fns.forEach((f) => f()); }
}
class Other { set() {} }
const other = new Other();
export const store = new Store();
${use}`;
    expect(drainersOf(text("setInterval(() => other.set(), 5);"))).toEqual(["set"]);
    expect(drainersOf(text("setInterval(() => store.set(), 5);"))).toBeUndefined();
    expect(drainersOf(text("export const tick = (x: any) => setInterval(() => x.set(), 5);"))).toBeUndefined();
  });

  it("tells the elements' own methods from the drain of the same name (a subject whose next() calls each observer's next)", () => {
    const subject = (extra: string) => `class Subject {
  observers: { next(v: unknown): void }[] = [];
  next(value: unknown) { for (const obs of [...this.observers]) obs.next.call(obs, value); }
  subscribe(o: { next(v: unknown): void }) { this.observers.push(o); }
}
export const shared = new Subject();
${extra}`;
    expect(drainersOf(subject(""))).toEqual(["next"]);
    expect(drainersOf(subject("setInterval(() => shared.next(1), 5);"))).toBeUndefined();
  });

  it("gives nothing for a store no function of the module runs", () => {
    expect(drainersOf(`const jobs: (() => void)[] = [];\nexport function add(j: () => void) { jobs.push(j); }\nexport const all = () => jobs;`)).toBeUndefined();
  });
});

/** Whether the first `.set(` of `text` stores its second argument into a store whose records nothing calls back. */
function neverRunsStored(text: string): boolean {
  const model = new JsModel({ ...parseSource(text, "cache.ts"), settings: resolveSettings({}) });
  const set = model.calls.find((c) => c.type === "CallExpression" && c.callee.type === "MemberExpression" && model.text.slice(c.callee.range[0], c.callee.range[1]).endsWith(".set"));
  if (!set || set.type !== "CallExpression" || set.callee.type !== "MemberExpression") throw new Error("no set in the test text");
  return storeNeverRunsValues(model, [set.arguments[1] as Node], set.callee.object as Node);
}

/** The drain starters of the store the first `.push(` of `text` stores into. */
function startersOf(text: string): string[] | undefined {
  const model = new JsModel({ ...parseSource(text, "store.ts"), settings: resolveSettings({}) });
  const push = model.calls.find((c) => c.type === "CallExpression" && c.callee.type === "MemberExpression" && model.text.slice(c.callee.range[0], c.callee.range[1]).endsWith(".push"));
  if (!push || push.callee.type !== "MemberExpression") throw new Error("no push in the test text");
  return storeDrainStarters(model, push.callee.object as Node);
}

describe("storeDrainStarters", () => {
  const WATCH = `const watchers: { check: string; onStatus(s: string): void }[] = [];\nexport function watchCheck(check: string, onStatus: (s: string) => void) { watchers.push({ check, onStatus }); }\n`;
  it("names the function that arms the timer whose callback runs the stored callbacks", () => {
    expect(startersOf(`${WATCH}export function startPoller(ms = 10) {\n  return setInterval(() => { while (watchers.length) { const { check, onStatus } = watchers.shift(); onStatus(check); } }, ms);\n}`)).toEqual(["startPoller"]);
  });
  it("finds a drain that takes an element out and calls it right there (splice(i, 1)[0].task(), shift()())", () => {
    const POOL = `const due: { task: () => void; runAt: number }[] = [];\nexport function schedule(task: () => void, runAt = 0) { due.push({ task, runAt }); }\n`;
    expect(startersOf(`${POOL}export function startLoop() {\n  setInterval(() => { for (let i = due.length - 1; i >= 0; i--) if (due[i].runAt <= Date.now()) due.splice(i, 1)[0].task(); }, 25);\n}`)).toEqual(["startLoop"]);
    expect(startersOf(`${POOL}export function startLoop() { setInterval(() => { while (due.length) due.shift()!.task(); }, 25); }`)).toEqual(["startLoop"]);
    // Read, not called: `due[i].runAt` alone runs nothing.
    expect(startersOf(`${POOL}export function startLoop() { setInterval(() => { for (let i = 0; i < due.length; i++) console.log(due[i].runAt); }, 25); }`)).toBeUndefined();
  });
  it("gives nothing for a timer armed at load, or a drain that also runs elsewhere", () => {
    expect(startersOf(`${WATCH}setInterval(() => { for (const w of watchers.splice(0)) w.onStatus(w.check); }, 10);`)).toBeUndefined();
    expect(startersOf(`${WATCH}export function startPoller() { setInterval(() => { for (const w of watchers.splice(0)) w.onStatus(w.check); }, 10); }\nexport function flushNow() { for (const w of watchers.splice(0)) w.onStatus(w.check); }`)).toBeUndefined();
  });
});

describe("storeNeverRunsValues", () => {
  const cache = (tail: string, read = "") => `const entries = new Map();
function load(key, loader) { entries.set(key, { loader, stale: false }); loader(key); ${read} }
${tail}`;

  it("holds for a module-level store whose records' function key nothing reads back", () => {
    expect(neverRunsStored(cache("export function clear() { entries.clear(); }"))).toBe(true);
  });

  it("fails when the file reads the key back, destructures it, or walks records generically", () => {
    expect(neverRunsStored(cache("", "for (const e of entries.values()) e.loader(key);"))).toBe(false);
    expect(neverRunsStored(cache("", "for (const { loader: l } of entries.values()) l(key);"))).toBe(false);
    expect(neverRunsStored(cache("", "for (const e of entries.values()) Object.values(e);"))).toBe(false);
  });

  it("fails when another module can reach the store: exported by declaration, by name, as default, or through CommonJS", () => {
    expect(neverRunsStored(`export ${cache("")}`)).toBe(false);
    expect(neverRunsStored(cache("export { entries as cacheEntries };"))).toBe(false);
    expect(neverRunsStored(cache("export default entries;"))).toBe(false);
    expect(neverRunsStored(cache("module.exports = { entries, load };"))).toBe(false);
    expect(neverRunsStored(cache("exports.entries = entries;"))).toBe(false);
    expect(neverRunsStored(cache("module.exports.entries = entries;"))).toBe(false);
  });

  it("holds when the CommonJS module exports only other names", () => {
    expect(neverRunsStored(cache("module.exports = { load };"))).toBe(true);
  });

  it("fails when a function returns the store or one of its records, but not a part of a record", () => {
    expect(neverRunsStored(cache("export function get(k) { return entries.get(k); }"))).toBe(false);
    expect(neverRunsStored(cache("export function all() { return entries; }"))).toBe(false);
    expect(neverRunsStored(cache("export function stale(k) { return entries.get(k).stale; }"))).toBe(true);
  });
});
