import type { InvalidTestCase, ValidTestCase } from "@typescript-eslint/rule-tester";
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bindIterableText, bindIteratorText } from "../../src/js/detectors/no-detached-iterator.js";
import { BROWSER, NODE, describeIdempotency, rule, tester } from "./helpers.js";

const RULE = "no-detached-iterator";
type Options = [Record<string, unknown>];

const H = `import { traceable } from "langsmith/traceable";
const callModel = traceable(async (x: string) => x, { name: "call_model" });
async function* tokens(q: string) {
  yield await callModel(q);
}
function* lookups(q: string) {
  yield callModel(q);
}
`;
const IMPORT = `import { AsyncLocalStorage } from "node:async_hooks";\n`;
const HI = H.replace(`{ name: "call_model" });\n`, `{ name: "call_model" });\n`);
/** The header with the import the fix adds after the last import. */
const HF = `import { traceable } from "langsmith/traceable";\n${IMPORT}${HI.slice(HI.indexOf("\n") + 1)}`;
const TS = bindIteratorText("AsyncLocalStorage", true);
const JS = bindIteratorText("AsyncLocalStorage", false);
const bound = (call: string, typed = true) => `${(typed ? TS : JS).before}${call}${(typed ? TS : JS).after}`;

const PUMP = `class Pump {
  #sources = new Set<AsyncIterator<unknown>>();
  #timer = setInterval(() => { for (const it of this.#sources) void it.next(); }, 5);
  attach(iterable: AsyncIterable<unknown>) {
    const it = iterable[Symbol.asyncIterator]();
    this.#sources.add(it);
  }
}
`;

const valid: ValidTestCase<Options>[] = [
  {
    name: "a generator handed to a pump made inside the traced function, or carrying getCurrentRunTree() to its child",
    code: `import { getCurrentRunTree } from "langsmith/traceable";
${H}const childOf = traceable(async (_run: unknown, x: string) => x, { name: "child" });
async function* explicit(run: unknown, q: string) {
  yield await childOf(run, q);
}
${PUMP}const shared = new Pump();
export const own = traceable(async (q: string) => {
  const pump = new Pump();
  pump.attach(tokens(q));
});
export const carried = traceable(async (q: string) => {
  shared.attach(explicit(getCurrentRunTree(), q));
});`,
  },
  { name: "async generator returned itself (langsmith wraps it)", code: `${H}export const answer = traceable((q: string) => tokens(q));` },
  {
    name: "async generator returned through a variable",
    code: `${H}export const answer = traceable(async (q: string) => {
  const stream = tokens(q);
  return stream;
});`,
  },
  {
    name: "ReadableStream returned itself",
    code: `${H}export const answer = traceable(async (q: string) => {
  const it = tokens(q);
  return new ReadableStream({ async pull(c) { const r = await it.next(); if (r.done) c.close(); else c.enqueue(r.value); } });
});`,
  },
  {
    name: "generators consumed inside the traced function",
    code: `${H}export const answer = traceable(async (q: string) => {
  const parts: string[] = [];
  for await (const t of tokens(q)) parts.push(t);
  const steps = [...lookups(q)];
  const held = { stream: tokens(q) };
  for await (const t of held.stream) parts.push(t);
  return { parts, steps: steps.length };
});`,
  },
  {
    name: "traceable generator over traceable generator",
    code: `${H}const child = traceable(async function* (q: string) { yield await callModel(q); });
export const parent = traceable(async function* (q: string) {
  yield* child(q);
  return { rest: child(q) };
});`,
  },
  {
    name: "a generator that does no traced work",
    code: `${H}async function* numbers() { yield 1; yield 2; }
export const answer = traceable(async () => ({ stream: numbers() }));`,
  },
  { name: "an object built outside any traced function", code: `${H}export function answer(q: string) { return { stream: tokens(q) }; }` },
  { name: "already bound (the fix's output)", code: `${HF}export const answer = traceable(async (q: string) => ({ stream: ${bound("tokens(q)")} }));` },
  {
    name: "bound by hand with AsyncLocalStorage.bind around the scope's work",
    code: `${H}import { AsyncLocalStorage } from "node:async_hooks";
export const answer = traceable(async (q: string) => AsyncLocalStorage.bind(() => ({ stream: tokens(q) }))());`,
  },
  {
    name: "no AsyncLocalStorage (browser): nothing to capture, pass-parent-run-tree's job",
    code: `${H}export const answer = traceable(async (q: string) => ({ stream: tokens(q) }));`,
    settings: { "trace-nesting": BROWSER },
  },
];

const invalid: InvalidTestCase<"detached", Options>[] = [
  {
    name: "a generator handed to a pump started at load, which keeps its iterator: bound where it is made",
    code: `${H}${PUMP}const pump = new Pump();
export const schedule = traceable(async (q: string) => {
  const jobs = tokens(q);
  pump.attach(jobs);
});`,
    output: `${HF}${PUMP}const pump = new Pump();
export const schedule = traceable(async (q: string) => {
  const jobs = ${bound("tokens(q)")};
  pump.attach(jobs);
});`,
    errors: [{ messageId: "detached", data: { kind: "Async generator", generator: "tokens", where: "traceable", how: "handed to a call that keeps it for later (whoever pulls it then runs it)" } }],
  },
  {
    name: "async generator inside a returned object",
    code: `${H}export const answer = traceable(async (q: string) => ({ id: q, stream: tokens(q) }));`,
    output: `${HF}export const answer = traceable(async (q: string) => ({ id: q, stream: ${bound("tokens(q)")} }));`,
    errors: [{ messageId: "detached", data: { kind: "Async generator", generator: "tokens", where: "traceable", how: "inside an object" } }],
  },
  {
    name: "JavaScript file: untyped wrapper",
    filename: "file.mjs",
    code: `${H.replace(/: string/g, "")}export const answer = traceable(async (q) => ({ id: q, stream: tokens(q) }));`,
    output: `${HF.replace(/: string/g, "")}export const answer = traceable(async (q) => ({ id: q, stream: ${bound("tokens(q)", false)} }));`,
    errors: [{ messageId: "detached" }],
  },
  {
    name: "sync generator inside a returned object",
    code: `${H}export const plan = traceable(async (q: string) => ({ steps: lookups(q) }));`,
    output: `${HF}export const plan = traceable(async (q: string) => ({ steps: ${bound("lookups(q)")} }));`,
    errors: [{ messageId: "detached", data: { kind: "Generator", generator: "lookups", where: "traceable", how: "inside an object" } }],
  },
  {
    name: "sync generator returned itself (langsmith wraps only async iterables)",
    code: `${H}export const plan = traceable(async (q: string) => lookups(q));`,
    output: `${HF}export const plan = traceable(async (q: string) => ${bound("lookups(q)")});`,
    errors: [{ messageId: "detached", data: { kind: "Generator", generator: "lookups", where: "traceable", how: "returned as a plain sync generator" } }],
  },
  {
    name: "Response body pulling from the generator",
    code: `${H}export const handle = traceable(async (q: string) => {
  const it = tokens(q);
  const body = new ReadableStream({ async pull(c) { const r = await it.next(); if (r.done) c.close(); else c.enqueue(r.value); } });
  return new Response(body);
});`,
    output: `${HF}export const handle = traceable(async (q: string) => {
  const it = ${bound("tokens(q)")};
  const body = new ReadableStream({ async pull(c) { const r = await it.next(); if (r.done) c.close(); else c.enqueue(r.value); } });
  return new Response(body);
});`,
    errors: [{ messageId: "detached", data: { kind: "Async generator", generator: "tokens", where: "traceable", how: "as the pull source of a `Response` body" } }],
  },
  {
    name: "stored on a field and on a module-level holder",
    code: `${H}let pending: AsyncGenerator<string> | undefined;
const session: { stream?: AsyncGenerator<string> } = {};
export const start = traceable(async (q: string) => {
  pending = tokens(q);
  session.stream = tokens(q);
});`,
    output: [
      `${HF}let pending: AsyncGenerator<string> | undefined;
const session: { stream?: AsyncGenerator<string> } = {};
export const start = traceable(async (q: string) => {
  pending = ${bound("tokens(q)")};
  session.stream = tokens(q);
});`,
      `${HF}let pending: AsyncGenerator<string> | undefined;
const session: { stream?: AsyncGenerator<string> } = {};
export const start = traceable(async (q: string) => {
  pending = ${bound("tokens(q)")};
  session.stream = ${bound("tokens(q)")};
});`,
    ],
    errors: [{ messageId: "detached", data: { kind: "Async generator", generator: "tokens", where: "traceable", how: "stored outside the function" } }, { messageId: "detached", data: { kind: "Async generator", generator: "tokens", where: "traceable", how: "stored outside the function" } }],
  },
  {
    name: "object built in a variable, by a helper, and an array",
    code: `${H}function pack(stream: AsyncGenerator<string>) { return { stream }; }
export const a = traceable(async (q: string) => {
  const reply = { stream: tokens(q) };
  return reply;
});
export const b = traceable(async (q: string) => pack(tokens(q)));
export const c = traceable(async (q: string) => [q, tokens(q)]);`,
    output: [
      `${HF}function pack(stream: AsyncGenerator<string>) { return { stream }; }
export const a = traceable(async (q: string) => {
  const reply = { stream: ${bound("tokens(q)")} };
  return reply;
});
export const b = traceable(async (q: string) => pack(tokens(q)));
export const c = traceable(async (q: string) => [q, tokens(q)]);`,
      `${HF}function pack(stream: AsyncGenerator<string>) { return { stream }; }
export const a = traceable(async (q: string) => {
  const reply = { stream: ${bound("tokens(q)")} };
  return reply;
});
export const b = traceable(async (q: string) => pack(${bound("tokens(q)")}));
export const c = traceable(async (q: string) => [q, ${bound("tokens(q)")}]);`,
    ],
    errors: [
      { messageId: "detached", data: { kind: "Async generator", generator: "tokens", where: "traceable", how: "inside an object" } },
      { messageId: "detached", data: { kind: "Async generator", generator: "tokens", where: "traceable", how: "packed into an object by a helper" } },
      { messageId: "detached", data: { kind: "Async generator", generator: "tokens", where: "traceable", how: "inside an array" } },
    ],
  },
  {
    name: "traced function held in a variable before it is wrapped",
    code: `${H}const handler = async (q: string) => ({ stream: tokens(q) });
export const answer = traceable(handler);`,
    output: `${HF}const handler = async (q: string) => ({ stream: ${bound("tokens(q)")} });
export const answer = traceable(handler);`,
    errors: [{ messageId: "detached" }],
  },
];

/** A project on disk whose `stream.ts` exports a traced generator and a plain one (read through the project index). */
const projectDir = mkdtempSync(path.join(tmpdir(), "trace-nesting-iterators-"));
writeFileSync(path.join(projectDir, "package.json"), JSON.stringify({ name: "app", type: "module" }));
writeFileSync(
  path.join(projectDir, "stream.ts"),
  `${H}export { tokens, lookups };
export async function* numbers() { yield 1; }
`,
);
// Functions that return lazy iterables: objects whose [Symbol.asyncIterator] is a generator (traced work or not).
writeFileSync(
  path.join(projectDir, "pager.ts"),
  `import { traceable } from "langsmith/traceable";
const fetchPage = traceable(async (q: string, page: number) => [q, page], { name: "fetch_page" });
export function paginate(q: string) {
  return {
    async *[Symbol.asyncIterator]() {
      for (let page = 1; page <= 2; page++) yield* await fetchPage(q, page);
    },
  };
}
export function countdown(n: number) {
  return { async *[Symbol.asyncIterator]() { for (let i = n; i > 0; i--) yield i; } };
}
`,
);
// A class whose generator method calls the function it is handed.
writeFileSync(
  path.join(projectDir, "chunker.ts"),
  `export class Chunker {
  constructor(private size: number) {}
  async *chunks(text: string, embed: (piece: string) => Promise<unknown>) {
    for (let i = 0; i < text.length; i += this.size) yield await embed(text.slice(i, i + this.size));
  }
}
`,
);
const inProject = path.join(projectDir, "app.ts");
const IMPORTED = `import { traceable } from "langsmith/traceable";
import { tokens, numbers } from "./stream";
`;
valid.push({ name: "imported generator that does no traced work", code: `${IMPORTED}export const a = traceable(async () => ({ stream: numbers() }));`, filename: inProject });
invalid.push({
  name: "traced generator imported from another file (project index)",
  code: `${IMPORTED}export const a = traceable(async (q: string) => ({ stream: tokens(q) }));`,
  filename: inProject,
  output: `import { traceable } from "langsmith/traceable";
import { tokens, numbers } from "./stream";
${IMPORT}export const a = traceable(async (q: string) => ({ stream: ${bound("tokens(q)")} }));`,
  errors: [{ messageId: "detached", data: { kind: "Async generator", generator: "tokens", where: "traceable", how: "inside an object" } }],
});

const CHUNKER = `import { traceable } from "langsmith/traceable";
import { Chunker } from "./chunker";
const embed = traceable(async (piece: string) => piece.length, { name: "embed" });
`;
invalid.push({
  name: "a generator method of another module's class, handed a traceable, returned inside an object",
  code: `${CHUNKER}export const prepare = traceable(async (text: string) => ({ stream: new Chunker(8).chunks(text, embed) }));`,
  filename: inProject,
  output: `${CHUNKER.replace(`"./chunker";\n`, `"./chunker";\n${IMPORT}`)}export const prepare = traceable(async (text: string) => ({ stream: ${bound("new Chunker(8).chunks(text, embed)")} }));`,
  errors: [{ messageId: "detached", data: { kind: "Async generator", generator: "new Chunker(8).chunks", where: "traceable", how: "inside an object" } }],
});
valid.push({
  name: "the same generator method handed a plain function, or consumed inside the traceable",
  code: `${CHUNKER}export const plain = traceable(async (text: string) => ({ stream: new Chunker(8).chunks(text, async (p) => p) }));
export const drained = traceable(async (text: string) => { const out = []; for await (const v of new Chunker(8).chunks(text, embed)) out.push(v); return { out }; });`,
  filename: inProject,
});

// Lazy iterables: the iterator method of the same object is replaced by one that binds each iterator it hands out.
const LAZY = bindIterableText("AsyncLocalStorage", true, true);
const lazyBound = (call: string) => `${LAZY.before}${call}${LAZY.after}`;
const PAGER = `import { traceable } from "langsmith/traceable";
import { paginate, countdown } from "./pager";
`;
const LOCAL_PAGER = `import { traceable } from "langsmith/traceable";
const fetchPage = traceable(async (q: string, page: number) => [q, page], { name: "fetch_page" });
const pages = (q: string) => ({ q, async *[Symbol.asyncIterator]() { yield* await fetchPage(q, 1); } });
`;
invalid.push(
  {
    name: "a lazy async iterable another module's function returns, in the object the traceable returns (destructured by the caller)",
    code: `${PAGER}export const list = traceable(async (q: string) => {
  const invoices = paginate(q);
  return { q, invoices };
});`,
    filename: inProject,
    output: `${PAGER}${IMPORT}export const list = traceable(async (q: string) => {
  const invoices = ${lazyBound("paginate(q)")};
  return { q, invoices };
});`,
    errors: [{ messageId: "detached", data: { kind: "The lazy async iterable of", generator: "paginate", where: "traceable", how: "inside an object" } }],
  },
  {
    name: "a lazy async iterable made by a function of this file, returned inside an array",
    code: `${LOCAL_PAGER}export const list = traceable(async (q: string) => [q, pages(q)]);`,
    output: `import { traceable } from "langsmith/traceable";
${IMPORT}${LOCAL_PAGER.slice(LOCAL_PAGER.indexOf("\n") + 1)}export const list = traceable(async (q: string) => [q, ${lazyBound("pages(q)")}]);`,
    errors: [{ messageId: "detached", data: { kind: "The lazy async iterable of", generator: "pages", where: "traceable", how: "inside an array" } }],
  },
);
valid.push(
  { name: "a lazy async iterable returned itself (langsmith wraps it)", code: `${PAGER}export const list = traceable(async (q: string) => paginate(q));`, filename: inProject },
  { name: "a lazy async iterable whose generator does no traced work", code: `${PAGER}export const list = traceable(async (n: number) => ({ n, steps: countdown(n) }));`, filename: inProject },
  { name: "a lazy async iterable of this file iterated inside the traceable", code: `${LOCAL_PAGER}export const list = traceable(async (q: string) => { const out = []; for await (const x of pages(q)) out.push(x); return { out }; });` },
);

tester(NODE).run(RULE, rule(RULE), { valid, invalid });
describeIdempotency(RULE, invalid.filter((c) => c.filename !== inProject) as never, NODE);

/** Evaluate the fix's wrapper around `make()` inside an AsyncLocalStorage run, as the fixed code does. */
function bindUnder<T>(store: AsyncLocalStorage<string>, value: string, make: () => T): T {
  const { before, after } = bindIteratorText("AsyncLocalStorage", false);
  const wrap = new Function("AsyncLocalStorage", "make", `return ${before}make()${after};`) as (als: typeof AsyncLocalStorage, make: () => T) => T;
  return store.run(value, () => wrap(AsyncLocalStorage, make));
}

describe("the fix keeps the iterator protocol", () => {
  it("a sync generator stays synchronous for a synchronous consumer and runs in the captured context", () => {
    const store = new AsyncLocalStorage<string>();
    function* steps() {
      yield `a:${store.getStore()}`;
      yield `b:${store.getStore()}`;
      yield `c:${store.getStore()}`;
    }
    const iterator = bindUnder(store, "plan", steps);
    const first = iterator.next();
    // A Promise here (what withRunTree around next() gives) breaks every synchronous consumer.
    expect(first).not.toBeInstanceOf(Promise);
    expect(first).toEqual({ value: "a:plan", done: false });
    expect(Array.from({ [Symbol.iterator]: () => iterator })).toEqual(["b:plan", "c:plan"]);
    const again = bindUnder(store, "plan", steps);
    const seen: string[] = [];
    for (const step of again) {
      seen.push(step);
      if (seen.length === 2) break; // calls return(): must stay synchronous too
    }
    expect(seen).toEqual(["a:plan", "b:plan"]);
    expect(again.next()).toEqual({ value: undefined, done: true });
    expect(Object.prototype.toString.call(again)).toBe("[object Generator]");
  });

  it("an async generator drawn from outside the run sees the captured context; throw() reaches the generator", async () => {
    const store = new AsyncLocalStorage<string>();
    async function* chunks() {
      await new Promise((resolve) => setTimeout(resolve, 1));
      try {
        yield `1:${store.getStore()}`;
        await new Promise((resolve) => setTimeout(resolve, 1));
        yield `2:${store.getStore()}`;
      } catch (error) {
        yield `caught ${(error as Error).message}:${store.getStore()}`;
      }
    }
    const iterator = bindUnder(store, "answer", chunks);
    const seen: string[] = [];
    for await (const chunk of iterator) seen.push(chunk);
    expect(seen).toEqual(["1:answer", "2:answer"]);
    const failing = bindUnder(store, "answer", chunks);
    await failing.next();
    expect(await failing.throw(new Error("stop"))).toEqual({ value: "caught stop:answer", done: false });
  });
});
