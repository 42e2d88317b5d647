/**
 * The project index: findings that need another file of the project to see (a graph node registered elsewhere, a
 * helper imported from another module, the program a file belongs to), through ESLint's Linter and the CLI's
 * detector runner, on scratch projects written to disk; and the index's invalidation when a file changes.
 */
import { Linter } from "eslint";
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
import plugin from "../../src/index.js";
import { detectInText } from "../../src/js/run.js";
import { LISTING_TTL_MS, specifiersOf, STAT_TTL_MS } from "../../src/js/project/index.js";
import { createTransformer } from "../../src/cli/codemod.js";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "trace-nesting-project-"));
  roots.push(root);
  writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

function lint(root: string, file: string, settings: Record<string, unknown> = {}) {
  const linter = new Linter({ configType: "flat", cwd: root });
  const config = [{ ...plugin.configs.recommended, settings: { "trace-nesting": settings } }] as Linter.Config[];
  const filename = path.join(root, file);
  const text = require("node:fs").readFileSync(filename, "utf8") as string;
  const messages = linter.verify(text, config, { filename });
  const output = linter.verifyAndFix(text, config, { filename }).output;
  return { messages, output };
}

const GRAPH_APP = {
  "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
import { retrieve } from "./nodes/retrieve";
import { answer } from "./nodes/answer";

const State = Annotation.Root({ q: Annotation<string>(), docs: Annotation<string[]>(), text: Annotation<string>() });
export const graph = new StateGraph(State).addNode("retrieve", retrieve).addNode("answer", answer).addEdge("__start__", "retrieve").compile();
`,
  "src/nodes/retrieve.ts": `import { retriever } from "../retriever";

export async function retrieve(state: { q: string }) {
  const docs = await retriever.invoke(state.q);
  return { docs };
}
`,
  "src/nodes/answer.ts": `import { draft } from "../helpers/draft";

export const answer = async (state: { docs: string[] }) => ({ text: await draft(state.docs.join("\\n")) });
`,
  "src/helpers/draft.ts": `import type { RunnableConfig } from "@langchain/core/runnables";
import { model } from "../model";

export async function draft(text: string, config?: RunnableConfig) {
  return model.invoke(text);
}
`,
  "src/retriever.ts": `import { RunnableLambda } from "@langchain/core/runnables";

export const retriever = RunnableLambda.from(async (q: string) => [q]);
`,
  "src/model.ts": `import { RunnableLambda } from "@langchain/core/runnables";

export const model = RunnableLambda.from(async (text: string) => text.toUpperCase());
`,
};

describe("a LangGraph app with a node per file (/web build)", () => {
  const root = project(GRAPH_APP);

  it("reports the node file, which imports nothing from LangChain, as a graph node registered in graph.ts", () => {
    const { messages, output } = lint(root, "src/nodes/retrieve.ts");
    expect(messages.map((m) => [m.ruleId, m.messageId])).toEqual([["trace-nesting/pass-runnable-config", "missingConfig"]]);
    expect(messages[0].message).toContain("it is part of src/graph.ts, which imports @langchain/langgraph/web");
    expect(output).toBe(`import { retriever } from "../retriever";
import type { RunnableConfig } from "@langchain/core/runnables";

export async function retrieve(state: { q: string }, config?: RunnableConfig) {
  const docs = await retriever.invoke(state.q, config);
  return { docs };
}
`);
  });

  it("reports the helper typed with RunnableConfig in a third file", () => {
    const { messages, output } = lint(root, "src/helpers/draft.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    expect(output).toContain("return model.invoke(text, config);");
  });

  it("the CLI's detector runner sees the same, and the pre-check lets the node file through", () => {
    const file = path.join(root, "src/nodes/retrieve.ts");
    const findings = detectInText(require("node:fs").readFileSync(file, "utf8"), file, { cwd: root });
    expect(findings.map((f) => f.messageId)).toEqual(["missingConfig"]);
  });

  it("forgets the registration when graph.ts stops registering the node", () => {
    const graph = path.join(root, "src/graph.ts");
    writeFileSync(graph, GRAPH_APP["src/graph.ts"].replace(`.addNode("retrieve", retrieve)`, "").replace(`import { retrieve } from "./nodes/retrieve";\n`, ""));
    const later = new Date(statSync(graph).mtimeMs + 5000);
    utimesSync(graph, later, later);
    // Within STAT_TTL_MS of the last look the cached text is trusted; after it the edit is seen.
    const now = Date.now() + STAT_TTL_MS + 1;
    const clock = vi.spyOn(Date, "now").mockImplementation(() => now);
    try {
      expect(lint(root, "src/nodes/retrieve.ts").messages).toEqual([]);
    } finally {
      clock.mockRestore();
    }
  });
});

describe("program runtime", () => {
  const APP = (first: string) => ({
    "src/main.ts": `${first}import { RunnableLambda } from "@langchain/core/runnables";
import { lookup } from "./lookup";

const chain = RunnableLambda.from(async (q: string) => lookup.invoke(q));
console.log(await chain.invoke("refund"));
`,
    "src/lookup.ts": `import { RunnableLambda } from "@langchain/core/runnables";

export const lookup = RunnableLambda.from(async (q: string) => q);
`,
    "src/library.ts": `import { RunnableLambda } from "@langchain/core/runnables";
import { lookup } from "./lookup";

export const wrapped = RunnableLambda.from(async (q: string) => lookup.invoke(q));
`,
  });

  it("a Node program that imports only @langchain/core is reported under recommended, with the program named", () => {
    const root = project(APP(""));
    const { messages } = lint(root, "src/main.ts");
    // set-up-async-context reports the program once, on its entry; pass-runnable-config the call.
    expect(messages.map((m) => m.messageId)).toEqual(["noAsyncContext", "missingConfig"]);
    expect(messages[1].message).toContain("this file is a program entry that loads no module that sets up AsyncLocalStorage (only @langchain/core/runnables)");
  });

  it("the same code in a program that sets AsyncLocalStorage up is not", () => {
    const root = project(APP(`import "@langchain/core/context";\n`));
    expect(lint(root, "src/main.ts").messages).toEqual([]);
  });

  it("a module no program imports is left to the runtime of whoever imports it", () => {
    const root = project(APP(""));
    expect(lint(root, "src/library.ts").messages).toEqual([]);
  });

  it("a module imported by a core-only program inherits its verdict", () => {
    const root = project({
      ...APP(""),
      "src/main.ts": `import { wrapped } from "./library";\n\nconsole.log(await wrapped.invoke("refund"));\n`,
    });
    const { messages } = lint(root, "src/library.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    expect(messages[0].message).toContain("program entry src/main.ts loads no module that sets up AsyncLocalStorage");
  });

  it("an unknown LangChain package in the program counts as one that may set AsyncLocalStorage up", () => {
    const root = project(APP(`import "@langchain/community/llms/fake";\n`));
    expect(lint(root, "src/main.ts").messages).toEqual([]);
  });
});

describe("helpers imported from another module", () => {
  it("a listener calling an imported function that does traced work is reported", () => {
    const root = project({
      "src/summarize.ts": `import { traceable } from "langsmith/traceable";

const summary = traceable(async (text: string) => text.slice(0, 10), { name: "summary" });
export async function summarize(text: string) {
  return summary(text);
}
`,
      "src/worker.ts": `import { traceable } from "langsmith/traceable";
import { EventEmitter } from "node:events";
import { summarize } from "./summarize";

export const bus = new EventEmitter();
export const handle = traceable(async (text: string) => {
  bus.once("flush", async () => summarize(text));
});
`,
    });
    const { messages } = lint(root, "src/worker.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["listener"]);
  });

  it("a listener calling an imported function that does no traced work is not", () => {
    const root = project({
      "src/format.ts": `export function format(text: string) {\n  return text.trim();\n}\n`,
      "src/worker.ts": `import { traceable } from "langsmith/traceable";
import { EventEmitter } from "node:events";
import { format } from "./format";

export const bus = new EventEmitter();
export const handle = traceable(async (text: string) => {
  bus.once("flush", async () => format(text));
});
`,
    });
    expect(lint(root, "src/worker.ts").messages).toEqual([]);
  });
});

describe("registrations through a tsconfig `paths` alias with no `@/` or `~/` prefix", () => {
  it("a node imported as `nodes/retrieve` and registered in graph.ts is reported in its own file", () => {
    const root = project({
      ...GRAPH_APP,
      "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "nodes/*": ["src/nodes/*"] } } }),
      "src/graph.ts": GRAPH_APP["src/graph.ts"].replace(`from "./nodes/retrieve"`, `from "nodes/retrieve"`),
    });
    expect(lint(root, "src/nodes/retrieve.ts").messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
  });

  it("the same node is not a registered node when graph.ts does not register it", () => {
    const root = project({
      ...GRAPH_APP,
      "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "nodes/*": ["src/nodes/*"] } } }),
      "src/graph.ts": GRAPH_APP["src/graph.ts"].replace(`from "./nodes/retrieve"`, `from "nodes/retrieve"`).replace(`.addNode("retrieve", retrieve)`, ""),
    });
    expect(lint(root, "src/nodes/retrieve.ts").messages).toEqual([]);
  });
});

describe("the import graph after the listing is refreshed", () => {
  const files = {
    "src/main.ts": `import { wrapped } from "./library";\n\nconsole.log(await wrapped.invoke("refund"));\n`,
    "src/lookup.ts": `import { RunnableLambda } from "@langchain/core/runnables";\n\nexport const lookup = RunnableLambda.from(async (q: string) => q);\n`,
    "src/library.ts": `import { RunnableLambda } from "@langchain/core/runnables";
import { lookup } from "./lookup";

export const wrapped = RunnableLambda.from(async (q: string) => lookup.invoke(q));
`,
  };
  const later = (ms: number) => {
    const now = Date.now() + ms;
    return vi.spyOn(Date, "now").mockImplementation(() => now);
  };

  it("keeps its verdict while no file changed, and sees an edit that makes the program set AsyncLocalStorage up", () => {
    const root = project(files);
    expect(lint(root, "src/library.ts").messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    const first = later(LISTING_TTL_MS + 1000);
    try {
      expect(lint(root, "src/library.ts").messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    } finally {
      first.mockRestore();
    }
    const main = path.join(root, "src/main.ts");
    writeFileSync(main, `import "@langchain/core/context";\n${files["src/main.ts"]}`);
    const bumped = new Date(statSync(main).mtimeMs + 5000);
    utimesSync(main, bumped, bumped);
    const second = later(2 * LISTING_TTL_MS + 2000);
    try {
      expect(lint(root, "src/library.ts").messages).toEqual([]);
    } finally {
      second.mockRestore();
    }
  });
});

describe("a method of what another module's function returns (a singleton getter)", () => {
  const files = (getter: string) => ({
    "src/flags.ts": `class FlagClient {
  watchers = new Map<string, ((v: boolean) => unknown)[]>();
  timer = setInterval(() => { for (const list of this.watchers.values()) for (const cb of list) cb(true); }, 10);
  onChange(flag: string, cb: (v: boolean) => unknown) {
    if (!this.watchers.has(flag)) this.watchers.set(flag, []);
    this.watchers.get(flag)!.push(cb);
  }
}
${getter}`,
    "src/pricing.ts": `import { traceable } from "langsmith/traceable";
import { flags } from "./flags";

const reload = traceable(async (v: boolean) => v, { name: "reload" });
export const start = traceable(async () => {
  flags().onChange("pricing", (v) => reload(v));
});
`,
  });

  it("a client the getter keeps (made on first use) stores the callback past the trace: bound where it is made", () => {
    const root = project(files(`let instance: FlagClient | null = null;\nexport function flags() {\n  if (!instance) instance = new FlagClient();\n  return instance;\n}\n`));
    const { messages, output } = lint(root, "src/pricing.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["stored"]);
    expect(output).toContain(`flags().onChange("pricing", AsyncLocalStorage.bind((v) => reload(v)));`);
  });

  it("a client made afresh by each call is the caller's own", () => {
    const root = project(files(`export function flags() {\n  return new FlagClient();\n}\n`));
    expect(lint(root, "src/pricing.ts").messages).toEqual([]);
  });
});

describe("a config literal spreading options another module exports", () => {
  const files = (defaults: string) => ({
    "src/settings.ts": defaults,
    "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
import { explain } from "./nodes/explain";

const State = Annotation.Root({ id: Annotation<string>(), text: Annotation<string>() });
export const graph = new StateGraph(State).addNode("explain", explain).addEdge("__start__", "explain").compile();
`,
    "src/nodes/explain.ts": `import type { RunnableConfig } from "@langchain/core/runnables";
import { model } from "../model";
import { LLM_DEFAULTS } from "../settings";

export async function explain(state: { id: string }, config: RunnableConfig) {
  return { text: await model.invoke(state.id, { ...LLM_DEFAULTS, runName: "explain_llm" }) };
}
`,
    "src/model.ts": `import { RunnableLambda } from "@langchain/core/runnables";\n\nexport const model = RunnableLambda.from(async (id: string) => id);\n`,
  });

  it("is a fresh config when the export is a literal of plain options: the scope's config is spread first", () => {
    const root = project(files(`export const LLM_DEFAULTS = { tags: ["billing"], metadata: { app: "billing" } };\n`));
    const { messages, output } = lint(root, "src/nodes/explain.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["freshConfig"]);
    expect(output).toContain("model.invoke(state.id, { ...config, ...LLM_DEFAULTS, runName: \"explain_llm\" })");
  });

  it("is left alone when the export may carry callbacks, or is not a literal", () => {
    expect(lint(project(files(`export const LLM_DEFAULTS = { tags: ["billing"], callbacks: [] };\n`)), "src/nodes/explain.ts").messages).toEqual([]);
    expect(lint(project(files(`import { ensureConfig } from "@langchain/core/runnables";\nexport const LLM_DEFAULTS = ensureConfig({ tags: ["billing"] });\n`)), "src/nodes/explain.ts").messages).toEqual([]);
  });
});

describe("an emitter another module's function makes per call and keeps for a later emit", () => {
  const files = (emitter: string) => ({
    "src/channels.ts": `import { ${emitter} } from "node:events";
const channels = new Map<string, ${emitter}>();
export function openChannel(id: string) {
  const channel = new ${emitter}(${emitter === "EventEmitterAsyncResource" ? `{ name: "Channel" }` : ""});
  channels.set(id, channel);
  return channel;
}
export function joinChannel(id: string, agent: string) {
  channels.get(id)?.emit("joined", agent);
}
`,
    "src/main.ts": `import { traceable } from "langsmith/traceable";
import { openChannel } from "./channels";
const greet = traceable(async (agent: string) => agent, { name: "greet" });
export const wait = traceable((id: string) => new Promise((resolve) => {
  const channel = openChannel(id);
  channel.on("joined", (agent: string) => resolve(greet(agent)));
}), { name: "wait" });
`,
  });

  it("a plain EventEmitter runs the listener where the other request emits: reported", () => {
    expect(lint(project(files("EventEmitter")), "src/main.ts").messages.map((m) => m.messageId)).toEqual(["listener"]);
  });

  it("an EventEmitterAsyncResource runs it in the context it was made in, the scope's: left alone", () => {
    expect(lint(project(files("EventEmitterAsyncResource")), "src/main.ts").messages).toEqual([]);
  });
});

describe("an instance a static method of another module's class keeps in a map (TokenBucket.for(key))", () => {
  const files = (schedule: string) => ({
    "src/bucket.ts": `export class TokenBucket {
  static #buckets = new Map<string, TokenBucket>();
  static for(key: string) {
    if (!TokenBucket.#buckets.has(key)) TokenBucket.#buckets.set(key, new TokenBucket());
    return TokenBucket.#buckets.get(key)!;
  }
  #waiting: (() => void)[] = [];
  #refill = setInterval(() => this.#waiting.shift()?.(), 5);
  acquire() {
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  ${schedule}
}
`,
    "src/main.ts": `import { traceable } from "langsmith/traceable";
import { TokenBucket } from "./bucket";
const bucket = TokenBucket.for("key");
const complete = traceable(async (prompt: string) => prompt, { name: "complete" });
export const explain = traceable(async (code: string) => bucket.schedule(() => complete(code)), { name: "explain" });
`,
  });

  it("whose method parks the task for the refill timer: reported through the class's summary", () => {
    const root = project(files("schedule(fn: () => Promise<unknown>) { return new Promise((resolve) => this.#waiting.push(() => resolve(fn()))); }"));
    expect(lint(root, "src/main.ts").messages.map((m) => m.message.includes("through `schedule()`"))).toEqual([true]);
  });

  it("whose method waits for a token and runs the task itself: left alone", () => {
    const root = project(files("async schedule(fn: () => Promise<unknown>) { await this.acquire(); return fn(); }"));
    expect(lint(root, "src/main.ts").messages).toEqual([]);
  });
});

describe("a listener on a BroadcastChannel another module's function makes per call", () => {
  const files = (made: string) => ({
    "src/sync.ts": `const publisher = new BroadcastChannel("kb");
const open = new Set<BroadcastChannel>();
const shared = new BroadcastChannel("kb");
export function onUpdate(listener: (data: unknown) => unknown) {
  const subscriber = ${made};
  open.add(subscriber);
  subscriber.addEventListener("message", (ev) => listener((ev as MessageEvent).data));
}
export function publish(data: unknown) { publisher.postMessage(data); }
`,
    "src/main.ts": `import { traceable } from "langsmith/traceable";
import { onUpdate } from "./sync";
const refresh = traceable(async (data: unknown) => data, { name: "refresh" });
export const answer = traceable(() => new Promise((resolve) => onUpdate((data) => resolve(refresh(data)))), { name: "answer" });
`,
  });

  it("made in the call (kept in a set for closing): its messages arrive in the caller's context", () => {
    expect(lint(project(files(`new BroadcastChannel("kb")`)), "src/main.ts").messages).toEqual([]);
  });

  it("one channel made at load and shared: reported", () => {
    expect(lint(project(files("shared")), "src/main.ts").messages.map((m) => m.messageId)).toEqual(["handler"]);
  });
});

describe("nodes of a namespace import registered by a reduce over its entries", () => {
  it("each export is a graph node in its own file", () => {
    const root = project({
      "src/nodes.ts": `import { RunnableLambda } from "@langchain/core/runnables";
const codegen = RunnableLambda.from(async (plan: string[]) => plan.join("\\n"));
export async function coder(state: { plan: string[] }) {
  return { patch: await codegen.invoke(state.plan) };
}
`,
      "src/graph.ts": `import { StateGraph, START } from "@langchain/langgraph/web";
import * as nodes from "./nodes";
export const graph = Object.entries(nodes).reduce((g, [name, fn]) => g.addNode(name, fn), new StateGraph({ channels: {} })).addEdge(START, "coder").compile();
`,
    });
    expect(lint(root, "src/nodes.ts").messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
  });
});

describe("the signal of a controller another module's method makes per call", () => {
  const files = (aborts: string) => ({
    "src/sessions.ts": `export class Sessions {
  #sessions = new Map<string, { controller: AbortController; timer?: ReturnType<typeof setTimeout> }>();
  open(id: string) {
    const controller = new AbortController();
    ${aborts}
    return controller.signal;
  }
  sweep() {
    for (const s of this.#sessions.values()) s.timer ?? s.controller.abort();
  }
}
export const sessions = new Sessions();
`,
    "src/main.ts": `import { traceable } from "langsmith/traceable";
import { sessions } from "./sessions";
const save = traceable(async (id: string) => id, { name: "save" });
export const chat = traceable((id: string) => new Promise((resolve) => {
  const signal = sessions.open(id);
  signal.addEventListener("abort", () => resolve(save(id)), { once: true });
}), { name: "chat" });
`,
  });

  it("aborted by a sweeper of the module as well: reported", () => {
    expect(lint(project(files("this.#sessions.set(id, { controller });")), "src/main.ts").messages.map((m) => m.messageId)).toEqual(["handler"]);
  });

  it("aborted only by a timer the call arms: left alone", () => {
    const text = files("const timer = setTimeout(() => controller.abort(), 10);\n    this.#sessions.set(id, { controller, timer });");
    text["src/sessions.ts"] = text["src/sessions.ts"].replace("s.timer ?? s.controller.abort();", "clearTimeout(s.timer);");
    expect(lint(project(text), "src/main.ts").messages).toEqual([]);
  });
});

describe("instances of a Runnable subclass another module exports", () => {
  const files = (models: Record<string, string>, imported = "EchoModel", from = "./echo") => ({
    ...models,
    "src/relay.ts": `import { RunnableLambda } from "@langchain/core/runnables";
import { ${imported} } from "${from}";
const model = new ${imported}();
export const relay = RunnableLambda.from(async (prompt: string, config) => {
  const frames: string[] = [];
  for await (const token of await model.stream(prompt)) frames.push(String(token));
  return frames;
});
`,
  });
  const ids = (root: string) => lint(root, "src/relay.ts", { runtime: "browser" }).messages.map((m) => m.messageId);

  it("are runnables: directly a subclass of Runnable, or through a base class of a third module", () => {
    expect(ids(project(files({ "src/echo.ts": `import { Runnable } from "@langchain/core/runnables";\nexport class EchoModel extends Runnable { lc_namespace = ["x"]; async invoke(x: string) { return x; } }\n` })))).toEqual(["missingConfig"]);
    expect(ids(project(files({ "src/base.ts": `import { Runnable } from "@langchain/core/runnables";\nexport abstract class BaseModel extends Runnable { lc_namespace = ["x"]; }\n`, "src/echo.ts": `import { BaseModel } from "./base";\nexport class EchoModel extends BaseModel { async invoke(x: string) { return x; } }\n` })))).toEqual(["missingConfig"]);
  });

  it("a class of another module that extends no LangChain class is not a runnable", () => {
    expect(ids(project(files({ "src/echo.ts": `class Streamer { async *stream(x: string) { yield x; } }\nexport class EchoModel extends Streamer {}\n` })))).toEqual([]);
  });
});

describe("a function another module's factory returns, injected through a constructor's options object", () => {
  const files = (limiter: string) => ({
    "src/limiter.ts": limiter,
    "src/reports.ts": `import { traceable } from "langsmith/traceable";
const narrate = traceable(async (rows: number) => rows, { name: "narrate" });
export class ReportService {
  #limit: (task: () => Promise<unknown>) => Promise<unknown>;
  constructor({ limit }: { limit: (task: () => Promise<unknown>) => Promise<unknown> }) {
    this.#limit = limit;
  }
  generate = traceable(async (rows: number) => this.#limit(() => narrate(rows)), { name: "report" });
}
`,
    "src/main.ts": `import { createLimiter } from "./limiter";
import { ReportService } from "./reports";
export const service = new ReportService({ limit: createLimiter(1) });
`,
  });

  it("a limiter that parks the task in a closure for a later task's completion: reported where the service calls it", () => {
    const root = project(files(`export function createLimiter(concurrency: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  const start = (task: () => Promise<unknown>, resolve: (v: unknown) => void) => {
    active++;
    task().then(resolve).finally(() => { active--; waiting.shift()?.(); });
  };
  return (task: () => Promise<unknown>) => new Promise((resolve) => {
    if (active < concurrency) start(task, resolve);
    else waiting.push(() => start(task, resolve));
  });
}
`));
    expect(lint(root, "src/reports.ts").messages.map((m) => m.messageId)).toEqual(["stored"]);
  });

  it("a semaphore that parks only a resolver and runs the task in the caller's context: left alone", () => {
    const root = project(files(`export function createLimiter(concurrency: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = () => (active < concurrency ? (active++, Promise.resolve()) : new Promise<void>((wake) => waiting.push(wake)));
  const release = () => { const wake = waiting.shift(); if (wake) wake(); else active--; };
  return async (task: () => Promise<unknown>) => {
    await acquire();
    try { return await task(); } finally { release(); }
  };
}
`));
    expect(lint(root, "src/reports.ts").messages).toEqual([]);
  });
});

describe("library APIs a project module re-exports (a module that picks the app's LangGraph entry point)", () => {
  const files = (facade: string, facadeName = "src/lg.ts", specifier = "./lg") => ({
    [facadeName]: facade,
    "src/graph.ts": `import { StateGraph, Annotation } from "${specifier}";
import { RunnableLambda } from "@langchain/core/runnables";

const draft = RunnableLambda.from(async (q: string) => q);
const State = Annotation.Root({ q: Annotation<string>(), a: Annotation<string>() });
export const graph = new StateGraph(State).addNode("respond", async (state: { q: string }) => ({ a: await draft.invoke(state.q) })).compile();
`,
  });
  const ids = (root: string) => lint(root, "src/graph.ts", { runtime: "browser" }).messages.map((m) => m.messageId);

  it.each([
    ["export { … } from", `export { StateGraph, Annotation, START, END } from "@langchain/langgraph/web";\n`],
    ["renamed on the way", `export { StateGraph as StateGraph, Annotation } from "@langchain/langgraph/web";\n`],
    ["imported, then exported", `import { StateGraph, Annotation } from "@langchain/langgraph/web";\nexport { StateGraph, Annotation };\n`],
    ["export * from the one library", `export * from "@langchain/langgraph/web";\nexport const APP = "ops";\n`],
    ["CommonJS module.exports = require(…)", `module.exports = require("@langchain/langgraph/web");\n`],
  ])("%s: the node registered with the re-exported StateGraph is a traced scope", (_form, facade) => {
    expect(ids(project(files(facade)))).toEqual(["missingConfig"]);
  });

  it("through a barrel of the project that re-exports the facade", () => {
    const root = project({ ...files(`export * from "./lg";\n`, "src/lib/index.ts", "./lib"), "src/lib/lg.ts": `export { StateGraph, Annotation } from "@langchain/langgraph/web";\n` });
    expect(ids(root)).toEqual(["missingConfig"]);
  });

  it("is left unresolved when the module re-exports two libraries whole, or defines the name itself", () => {
    expect(ids(project(files(`export * from "@langchain/langgraph/web";\nexport * from "./graph-kit";\nexport * from "other-kit";\n`)))).toEqual([]);
    expect(ids(project(files(`export class StateGraph { addNode() { return this; } compile() { return this; } }\nexport const Annotation = Object.assign(() => ({}), { Root: () => ({}) });\n`)))).toEqual([]);
  });
});

describe("a helper of another module that takes its config as a property of an options object", () => {
  const files = (nodeBody: string, params = "state: { q: string }") => ({
    "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
import { answer } from "./nodes/answer";

const State = Annotation.Root({ q: Annotation<string>(), a: Annotation<string>() });
export const graph = new StateGraph(State).addNode("answer", answer).addEdge("__start__", "answer").compile();
`,
    "src/nodes/answer.ts": `import type { RunnableConfig } from "@langchain/core/runnables";
import { complete } from "../llm";
import { ask } from "../ask";

export async function answer(${params}) {
  ${nodeBody}
}
`,
    "src/ask.ts": `import { complete } from "./llm";

export async function ask(q: string) {
  return complete(\`Q: \${q}\`, { retries: 2 });
}
`,
    "src/llm.ts": `import { RunnableLambda } from "@langchain/core/runnables";

const model = RunnableLambda.from(async (prompt: string) => prompt);

export async function complete(prompt: string, { config, retries = 0 }: { config?: object; retries?: number } = {}) {
  return model.invoke(prompt, config);
}
`,
  });

  it("the node passes its options without the config: the fix adds the config to them", () => {
    const root = project(files("return { a: await complete(state.q, { retries: 1 }) };"));
    const node = lint(root, "src/nodes/answer.ts");
    expect(node.messages.map((m) => m.messageId)).toEqual(["optionsWithoutConfig"]);
    expect(node.output).toContain("export async function answer(state: { q: string }, config?: RunnableConfig) {\n  return { a: await complete(state.q, { retries: 1, config }) };");
    expect(lint(root, "src/llm.ts").messages).toEqual([]);
  });

  it("through a helper of a third module: the helper gets a config parameter and adds it to the options", () => {
    const root = project(files("return { a: await ask(state.q) };"));
    expect(lint(root, "src/nodes/answer.ts").messages.map((m) => m.messageId)).toEqual(["importedHelperWithoutConfig"]);
    const ask = lint(root, "src/ask.ts");
    expect(ask.messages.map((m) => m.messageId)).toEqual(["exportedHelperWithoutConfig"]);
    expect(ask.output).toContain("export async function ask(q: string, config?: RunnableConfig) {\n  return complete(`Q: ${q}`, { retries: 2, config });");
  });

  it("is left alone when the node hands its config over in the options", () => {
    const root = project(files("return { a: await complete(state.q, { retries: 1, config }) };", "state: { q: string }, config: RunnableConfig"));
    expect(lint(root, "src/nodes/answer.ts").messages).toEqual([]);
  });
});

describe("options another module's function makes, handed down helpers that pass their options on", () => {
  const files = (makeOptions: string) => ({
    "src/options.ts": makeOptions,
    "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
import { summarize } from "./nodes/summarize";

const State = Annotation.Root({ id: Annotation<string>(), text: Annotation<string>() });
export const graph = new StateGraph(State).addNode("summarize", summarize).addEdge("__start__", "summarize").compile();
`,
    "src/nodes/summarize.ts": `import { runPrompt } from "../prompt";

export async function summarize(state: { id: string }) {
  return { text: await runPrompt(state.id) };
}
`,
    "src/prompt.ts": `import { callModel } from "./client";
import { makeOptions } from "./options";

export async function runPrompt(id: string) {
  return callModel(\`Summarize \${id}\`, makeOptions(id));
}
`,
    "src/client.ts": `import { RunnableLambda } from "@langchain/core/runnables";

const model = RunnableLambda.from(async (prompt: string) => prompt);

export async function callModel(prompt: string, options = {}) {
  return model.invoke(prompt, options);
}
`,
  });

  it("threads the config down, spread around the options: the node, its helper, none in the helper that passes them on", () => {
    const root = project(files(`export const makeOptions = (id: string) => ({ tags: ["summary"], metadata: { id } });\n`));
    const node = lint(root, "src/nodes/summarize.ts");
    expect(node.messages.map((m) => m.messageId)).toEqual(["importedHelperWithoutConfig"]);
    expect(node.output).toContain("export async function summarize(state: { id: string }, config?: RunnableConfig) {\n  return { text: await runPrompt(state.id, config) };");
    const prompt = lint(root, "src/prompt.ts");
    expect(prompt.messages.map((m) => m.messageId)).toEqual(["exportedHelperWithoutConfig"]);
    expect(prompt.output).toContain("export async function runPrompt(id: string, config?: RunnableConfig) {\n  return callModel(`Summarize ${id}`, { ...config, ...makeOptions(id) });");
    expect(lint(root, "src/client.ts").messages).toEqual([]);
  });

  it("is left alone when the options already carry a config the function is given", () => {
    const root = project(files(`export const makeOptions = (id: string, config?: object) => ({ ...config, tags: ["summary"], metadata: { id } });\n`));
    expect(lint(root, "src/prompt.ts").messages).toEqual([]);
    expect(lint(root, "src/nodes/summarize.ts").messages).toEqual([]);
  });
});

describe("helpers and option makers that call each other across modules (an import cycle)", () => {
  it("are read to a bound, not without end", () => {
    const root = project({
      "src/a.ts": `import { b } from "./b";\nexport const a = (n: number): object => (n > 0 ? b(n - 1) : { tags: ["a"] });\nexport const askA = (n: number): Promise<unknown> => (n > 0 ? askB(n - 1) : Promise.resolve(n));\nimport { askB } from "./b";\n`,
      "src/b.ts": `import { a, askA } from "./a";\nexport const b = (n: number) => a(n);\nexport const askB = (n: number) => askA(n);\n`,
      "src/chain.ts": `import { RunnableLambda } from "@langchain/core/runnables";
import { a, askA } from "./a";

const child = RunnableLambda.from(async (x: number) => x);
export const parent = RunnableLambda.from(async (x: number, config) => [await child.invoke(x, a(2)), await askA(x)]);
`,
    });
    const { messages } = lint(root, "src/chain.ts", { runtime: "browser" });
    expect(messages.filter((m) => m.fatal)).toEqual([]);
  });
});

describe("ensureConfig() without an argument in a helper another module's runnable calls", () => {
  const files = (entry: string) => ({
    "src/main.ts": `${entry}import { qa } from "./chain";\n\nconsole.log(await qa.invoke({ question: "why?" }));\n`,
    "src/chain.ts": `import { RunnableLambda } from "@langchain/core/runnables";
import { ask } from "./ask";

export const qa = RunnableLambda.from(async ({ question }: { question: string }) => ask(question, "qa_llm"));
`,
    "src/ask.ts": `import { RunnableLambda, ensureConfig, patchConfig } from "@langchain/core/runnables";

const model = RunnableLambda.from(async (prompt: string) => prompt);

export async function ask(prompt: string, runName = "ask_llm") {
  const config = patchConfig(ensureConfig(), { runName });
  return model.invoke(prompt, config);
}
`,
  });

  it("core-only: the lambda hands its config to the helper, which gives it to ensureConfig", () => {
    const root = project(files(""));
    const chain = lint(root, "src/chain.ts");
    expect(chain.messages.map((m) => m.messageId)).toEqual(["importedHelperWithoutConfig"]);
    expect(chain.output).toContain(`RunnableLambda.from(async ({ question }: { question: string }, config) => ask(question, "qa_llm", config));`);
    const ask = lint(root, "src/ask.ts");
    expect(ask.messages.map((m) => m.messageId)).toEqual(["exportedHelperWithoutConfig"]);
    expect(ask.output).toContain(`export async function ask(prompt: string, runName = "ask_llm", runnableConfig?: RunnableConfig) {\n  const config = patchConfig(ensureConfig(runnableConfig), { runName });`);
  });

  it("is left alone where AsyncLocalStorage is set up (ensureConfig() finds the lambda's config)", () => {
    const root = project(files(`import "@langchain/core/context";\n`));
    expect(lint(root, "src/chain.ts").messages).toEqual([]);
    expect(lint(root, "src/ask.ts").messages).toEqual([]);
  });
});

describe("a core-only program's verdict when its child runs sit in other files", () => {
  const files = {
    "src/main.ts": `import { wrapped } from "./library";\n\nconsole.log(await wrapped.invoke("refund"));\n`,
    "src/lookup.ts": `import { RunnableLambda } from "@langchain/core/runnables";\n\nexport const lookup = RunnableLambda.from(async (q: string) => q);\n`,
    "src/library.ts": `import { RunnableLambda } from "@langchain/core/runnables";
import { lookup } from "./lookup";

export const wrapped = RunnableLambda.from(async (q: string, config) => lookup.invoke(q, config));
`,
  };
  const later = (ms: number) => {
    const now = Date.now() + ms;
    return vi.spyOn(Date, "now").mockImplementation(() => now);
  };

  it("is not reported while every file passes its config, and is once another file's edit drops it", () => {
    const root = project(files);
    expect(lint(root, "src/main.ts").messages).toEqual([]);
    const library = path.join(root, "src/library.ts");
    writeFileSync(library, files["src/library.ts"].replace("lookup.invoke(q, config)", "lookup.invoke(q)"));
    const bumped = new Date(statSync(library).mtimeMs + 5000);
    utimesSync(library, bumped, bumped);
    const moved = later(2 * LISTING_TTL_MS + 2000);
    try {
      expect(lint(root, "src/main.ts").messages.map((m) => m.messageId)).toEqual(["noAsyncContext"]);
    } finally {
      moved.mockRestore();
    }
  });
});

describe("a helper in a third file that starts child runs (pass-runnable-config across files)", () => {
  const APP = {
    "src/main.ts": `import { graph } from "./graph";\n\nawait graph.invoke({ q: "refunds" });\n`,
    "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
import { respond } from "./nodes/respond";

const State = Annotation.Root({ q: Annotation<string>(), text: Annotation<string>() });
export const graph = new StateGraph(State).addNode("respond", respond).addEdge("__start__", "respond").compile();
`,
    "src/nodes/respond.ts": `import { writeAnswer } from "../lib/answer";

export const respond = async (state: { q: string }) => ({ text: await writeAnswer(state.q) });
`,
    "src/lib/answer.ts": `import { draft } from "./runnables";

export async function writeAnswer(question: string, tone = "plain") {
  const text = await draft.invoke(question);
  return \`\${tone}: \${text}\`;
}
`,
    "src/lib/runnables.ts": `import { RunnableLambda } from "@langchain/core/runnables";

export const draft = RunnableLambda.from(async (q: string) => q.toUpperCase());
`,
  };

  it("the node passes its config at the helper's next position, padding the arguments it leaves out", () => {
    const root = project(APP);
    const { messages, output } = lint(root, "src/nodes/respond.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["importedHelperWithoutConfig"]);
    expect(messages[0].message).toContain("`writeAnswer` (from ../lib/answer) starts child runs (`draft.invoke`)");
    expect(messages[0].message).toContain("as its argument 3");
    expect(output).toBe(`import { writeAnswer } from "../lib/answer";
import type { RunnableConfig } from "@langchain/core/runnables";

export const respond = async (state: { q: string }, config?: RunnableConfig) => ({ text: await writeAnswer(state.q, undefined, config) });
`);
  });

  it("the helper's file gets the matching parameter, passed on to its child runs", () => {
    const root = project(APP);
    const { messages, output } = lint(root, "src/lib/answer.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["exportedHelperWithoutConfig"]);
    expect(messages[0].message).toContain("called inside a graph node \"respond\" in ../nodes/respond.ts");
    expect(output).toBe(`import { draft } from "./runnables";
import type { RunnableConfig } from "@langchain/core/runnables";

export async function writeAnswer(question: string, tone = "plain", config?: RunnableConfig) {
  const text = await draft.invoke(question, config);
  return \`\${tone}: \${text}\`;
}
`);
  });

  it("after both fixes neither file is reported", () => {
    const root = project({
      ...APP,
      "src/nodes/respond.ts": `import type { RunnableConfig } from "@langchain/core/runnables";
import { writeAnswer } from "../lib/answer";

export const respond = async (state: { q: string }, config?: RunnableConfig) => ({ text: await writeAnswer(state.q, undefined, config) });
`,
      "src/lib/answer.ts": `import type { RunnableConfig } from "@langchain/core/runnables";
import { draft } from "./runnables";

export async function writeAnswer(question: string, tone = "plain", config?: RunnableConfig) {
  const text = await draft.invoke(question, config);
  return \`\${tone}: \${text}\`;
}
`,
    });
    expect(lint(root, "src/nodes/respond.ts").messages).toEqual([]);
    expect(lint(root, "src/lib/answer.ts").messages).toEqual([]);
  });

  it("a helper that starts no child run, or one called outside any traced scope, is left alone", () => {
    const root = project({
      ...APP,
      "src/lib/answer.ts": `export async function writeAnswer(question: string) {\n  return question.trim();\n}\n`,
      "src/lib/report.ts": `import { draft } from "./runnables";\n\nexport async function report(q: string) {\n  return draft.invoke(q);\n}\n`,
      "src/cli.ts": `import { report } from "./lib/report";\n\nconsole.log(await report("x"));\n`,
    });
    expect(lint(root, "src/nodes/respond.ts").messages).toEqual([]);
    expect(lint(root, "src/lib/answer.ts").messages).toEqual([]);
    expect(lint(root, "src/lib/report.ts").messages).toEqual([]);
  });

  it("in a Node program that sets AsyncLocalStorage up, neither file is reported under recommended", () => {
    const root = project({ ...APP, "src/graph.ts": APP["src/graph.ts"].replace("@langchain/langgraph/web", "@langchain/langgraph") });
    expect(lint(root, "src/nodes/respond.ts").messages).toEqual([]);
    expect(lint(root, "src/lib/answer.ts").messages).toEqual([]);
  });
});

describe("helpers of helpers across files (node, then a helper, then the helper that starts the child run)", () => {
  const CHAIN = {
    "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
import { respond } from "./nodes/respond";

const State = Annotation.Root({ q: Annotation<string>(), text: Annotation<string>() });
export const graph = new StateGraph(State).addNode("respond", respond).addEdge("__start__", "respond").compile();
`,
    "src/nodes/respond.ts": `import { prepare } from "../lib/prepare";

export const respond = async (state: { q: string }) => ({ text: await prepare(state.q) });
`,
    "src/lib/prepare.ts": `import { complete } from "./complete";

export async function prepare(question: string) {
  const prompt = \`Q: \${question}\`;
  return complete(prompt);
}
`,
    "src/lib/complete.ts": `import { draft } from "./runnables";

export async function complete(prompt: string) {
  return draft.invoke(prompt);
}
`,
    "src/lib/runnables.ts": `import { RunnableLambda } from "@langchain/core/runnables";

export const draft = RunnableLambda.from(async (q: string) => q.toUpperCase());
`,
  };

  it("the middle helper, which imports nothing from LangChain, passes the pre-check and is threaded", () => {
    const root = project(CHAIN);
    const { messages, output } = lint(root, "src/lib/prepare.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["exportedHelperWithoutConfig"]);
    expect(messages[0].message).toContain("`prepare` starts child runs (`complete`)");
    expect(messages[0].message).toContain('called inside a graph node "respond" in ../nodes/respond.ts');
    expect(output).toBe(`import { complete } from "./complete";
import type { RunnableConfig } from "@langchain/core/runnables";

export async function prepare(question: string, config?: RunnableConfig) {
  const prompt = \`Q: \${question}\`;
  return complete(prompt, config);
}
`);
  });

  it("the last helper is called on the node's behalf, through the middle one", () => {
    const root = project(CHAIN);
    const { messages, output } = lint(root, "src/lib/complete.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["exportedHelperWithoutConfig"]);
    expect(messages[0].message).toContain('called inside a graph node "respond" (through `prepare`) in prepare.ts');
    expect(output).toContain("export async function complete(prompt: string, config?: RunnableConfig) {\n  return draft.invoke(prompt, config);");
  });

  it("a chain one module longer is followed too", () => {
    const root = project({
      ...CHAIN,
      "src/lib/complete.ts": `import { ask } from "./ask";\n\nexport async function complete(prompt: string) {\n  return ask(prompt);\n}\n`,
      "src/lib/ask.ts": `import { draft } from "./runnables";\n\nexport async function ask(prompt: string) {\n  return draft.invoke(prompt);\n}\n`,
    });
    for (const file of ["src/nodes/respond.ts", "src/lib/prepare.ts", "src/lib/complete.ts", "src/lib/ask.ts"]) {
      expect(lint(root, file).messages.map((m) => m.ruleId), file).toEqual(["trace-nesting/pass-runnable-config"]);
    }
  });

  it("the same chain called outside any traced scope is left alone in every file", () => {
    const root = project({ ...CHAIN, "src/nodes/respond.ts": `import { prepare } from "../lib/prepare";\n\nexport const respond = async (state: { q: string }) => ({ text: state.q });\nconsole.log(await prepare("x"));\n` });
    for (const file of ["src/lib/prepare.ts", "src/lib/complete.ts"]) expect(lint(root, file).messages, file).toEqual([]);
  });

  it("a middle helper whose callees start no child run is left alone", () => {
    const root = project({ ...CHAIN, "src/lib/complete.ts": `export async function complete(prompt: string) {\n  return prompt.trim();\n}\n` });
    expect(lint(root, "src/nodes/respond.ts").messages).toEqual([]);
    expect(lint(root, "src/lib/prepare.ts").messages).toEqual([]);
  });

  it("after the fix of every file, none is reported", () => {
    const root = project(CHAIN);
    const fixed: Record<string, string> = {};
    for (const file of ["src/nodes/respond.ts", "src/lib/prepare.ts", "src/lib/complete.ts"]) fixed[file] = lint(root, file).output;
    const after = project({ ...CHAIN, ...fixed });
    for (const file of Object.keys(fixed)) expect(lint(after, file).messages, file).toEqual([]);
  });
});

/** A node file and the runnable it calls, for the registrations made by helpers below. */
const RETRIEVE_NODE = {
  "src/nodes/retrieve.ts": `import { retriever } from "../retriever";

export async function retrieve(state: { q: string }) {
  const docs = await retriever.invoke(state.q);
  return { docs };
}
`,
  "src/retriever.ts": `import { RunnableLambda } from "@langchain/core/runnables";

export const retriever = RunnableLambda.from(async (q: string) => [q]);
`,
};

/** A /web graph in src/graph.ts that loads its node with `graphImport` and registers `node` (as written) as "retrieve". */
function retrieveGraphApp(graphImport: string, node: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "src/main.ts": `import { graph } from "./graph";\n\nawait graph.invoke({ q: "refunds" });\n`,
    "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
${graphImport}

const State = Annotation.Root({ q: Annotation<string>(), docs: Annotation<string[]>() });
export const graph = new StateGraph(State).addNode("retrieve", ${node}).addEdge("__start__", "retrieve").compile();
`,
    ...RETRIEVE_NODE,
    ...extra,
  };
}

describe("a node registered through a helper that lives in a third file", () => {
  const APP = {
    "src/main.ts": `import { graph } from "./graph";\n\nawait graph.invoke({ q: "refunds" });\n`,
    "src/lib/register.ts": `export function withNode(builder: any, name: string, node: any) {
  return builder.addNode(name, node);
}
`,
    "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
import { withNode } from "./lib/register";
import { retrieve } from "./nodes/retrieve";

const State = Annotation.Root({ q: Annotation<string>(), docs: Annotation<string[]>() });
export const graph = withNode(new StateGraph(State), "retrieve", retrieve).addEdge("__start__", "retrieve").compile();
`,
    ...RETRIEVE_NODE,
  };

  it("is a traced scope in its own file: the missing config is reported and fixed", () => {
    const root = project(APP);
    const { messages, output } = lint(root, "src/nodes/retrieve.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    expect(output).toContain("export async function retrieve(state: { q: string }, config?: RunnableConfig) {");
    expect(output).toContain("await retriever.invoke(state.q, config);");
  });

  it("is not a node when the helper registers nothing", () => {
    const root = project({ ...APP, "src/lib/register.ts": `export function withNode(builder: any, name: string, node: any) {\n  return builder;\n}\n` });
    expect(lint(root, "src/nodes/retrieve.ts").messages).toEqual([]);
  });
});

describe("nodes registered from an object by a helper in a third file", () => {
  const app = (loop: string) => ({
    "src/main.ts": `import { graph } from "./graph";\n\nawait graph.invoke({ q: "refunds" });\n`,
    "src/lib/register.ts": `export function withNodes(builder: any, nodes: Record<string, any>) {\n${loop}\n  return builder;\n}\n`,
    "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
import { withNodes } from "./lib/register";
import { retrieve } from "./nodes/retrieve";

const State = Annotation.Root({ q: Annotation<string>(), docs: Annotation<string[]>() });
export const graph = withNodes(new StateGraph(State), { retrieve }).addEdge("__start__", "retrieve").compile();
`,
    ...RETRIEVE_NODE,
  });

  it.each([
    ["for…of over Object.entries", "  for (const [name, node] of Object.entries(nodes)) builder.addNode(name, node);"],
    ["Object.entries(…).forEach", "  Object.entries(nodes).forEach(([name, node]) => builder.addNode(name, node));"],
  ])("%s: each value is a node in its own file", (_form, loop) => {
    const root = project(app(loop));
    const { messages, output } = lint(root, "src/nodes/retrieve.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    expect(messages[0].message).toContain('graph node "retrieve"');
    expect(output).toContain("await retriever.invoke(state.q, config);");
  });

  it("the object may be held by a variable first", () => {
    const files = app("  for (const [name, node] of Object.entries(nodes)) builder.addNode(name, node);");
    files["src/graph.ts"] = files["src/graph.ts"].replace("withNodes(new StateGraph(State), { retrieve })", "withNodes(new StateGraph(State), NODES)").replace("export const graph", "const NODES = { retrieve };\nexport const graph");
    const { messages } = lint(project(files), "src/nodes/retrieve.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
  });

  it("a loop over the keys only registers nothing", () => {
    const root = project(app("  for (const name of Object.keys(nodes)) builder.addEdge(name, name);"));
    expect(lint(root, "src/nodes/retrieve.ts").messages).toEqual([]);
  });
});

describe("a function wrapped with traceable in another file", () => {
  const APP = (agent: string) => ({
    "src/bus.ts": `import { EventEmitter } from "node:events";\n\nexport const bus = new EventEmitter();\n`,
    "src/children.ts": `import { traceable } from "langsmith/traceable";\n\nexport const record = traceable(async (text: string) => text, { name: "record" });\n`,
    "src/steps.ts": `import { bus } from "./bus";
import { record } from "./children";

export async function summarize(text: string) {
  bus.on("flush", () => record(text));
  return text.length;
}
`,
    "src/agent.ts": agent,
  });

  it("is a traced scope in its own file: a listener registered there is reported", () => {
    const root = project(APP(`import { traceable } from "langsmith/traceable";\nimport { summarize } from "./steps";\n\nexport const tracedSummarize = traceable(summarize, { name: "summarize" });\n`));
    const { messages, output } = lint(root, "src/steps.ts", { runtime: "node" });
    expect(messages.map((m) => m.ruleId)).toEqual(["trace-nesting/bind-detached-callback"]);
    expect(output).toContain(`bus.on("flush", AsyncLocalStorage.bind(() => record(text)));`);
  });

  it("is not a traced scope when the other file only calls it", () => {
    const root = project(APP(`import { summarize } from "./steps";\n\nexport const run = (text: string) => summarize(text);\n`));
    expect(lint(root, "src/steps.ts", { runtime: "node" }).messages).toEqual([]);
  });
});

describe("a node reaching the graph file through barrels", () => {
  const app = (barrel: string, graphImport = `import { retrieve } from "./nodes";`, node = "retrieve") => retrieveGraphApp(graphImport, node, { "src/nodes/index.ts": barrel });

  it.each([
    ["export * from", `export * from "./retrieve";\n`],
    ["export { … } from", `export { retrieve } from "./retrieve";\n`],
    ["an import exported again", `import { retrieve } from "./retrieve";\n\nexport { retrieve };\n`],
    ["module.exports = require(…)", `module.exports = require("./retrieve");\n`],
  ])("%s: the node is a traced scope in its own file", (_form, barrel) => {
    const { messages, output } = lint(project(app(barrel)), "src/nodes/retrieve.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    expect(messages[0].message).toContain('graph node "retrieve"');
    expect(output).toContain("await retriever.invoke(state.q, config);");
  });

  it("a renaming re-export maps the registered name back to the node's own name", () => {
    const files = app(`export { retrieve as fetchDocs } from "./retrieve";\n`, `import { fetchDocs } from "./nodes";`, "fetchDocs");
    expect(lint(project(files), "src/nodes/retrieve.ts").messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
  });

  it("two barrels deep (src/index.ts re-exports src/nodes/index.ts)", () => {
    const files = { ...app(`export * from "./retrieve";\n`, `import { retrieve } from "./index";`), "src/index.ts": `export * from "./nodes";\n` };
    expect(lint(project(files), "src/nodes/retrieve.ts").messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
  });

  it("a barrel re-exporting another name, a namespace or only a type leaves the function alone", () => {
    for (const barrel of [`export { other as retrieve } from "./other";\n`, `export * as retrieve from "./retrieve";\n`, `export type { retrieve } from "./retrieve";\n`]) {
      const files = { ...app(barrel), "src/nodes/other.ts": `export async function other(state: { q: string }) {\n  return { docs: [state.q] };\n}\n` };
      expect(lint(project(files), "src/nodes/retrieve.ts").messages, barrel).toEqual([]);
    }
  });

  it("a helper reached through a barrel is reported in its own file when a node calls it", () => {
    const files = {
      ...app(`export * from "./retrieve";\n`),
      "src/nodes/retrieve.ts": `import { fetchDocs } from "../lib";\n\nexport async function retrieve(state: { q: string }) {\n  return { docs: await fetchDocs(state.q) };\n}\n`,
      "src/lib/index.ts": `export { fetchDocs } from "./fetch";\n`,
      "src/lib/fetch.ts": `import { retriever } from "../retriever";\n\nexport async function fetchDocs(q: string) {\n  return retriever.invoke(q);\n}\n`,
    };
    const root = project(files);
    expect(lint(root, "src/nodes/retrieve.ts").messages.map((m) => m.messageId)).toEqual(["importedHelperWithoutConfig"]);
    const helper = lint(root, "src/lib/fetch.ts");
    expect(helper.messages.map((m) => m.messageId)).toEqual(["exportedHelperWithoutConfig"]);
    expect(helper.output).toContain("return retriever.invoke(q, config);");
  });
});

describe("a node registered under another binding of its module", () => {
  const app = (graphImport: string, node: string) => retrieveGraphApp(graphImport, node);

  it.each([
    ["a member of a namespace import", `import * as nodes from "./nodes/retrieve";`, "nodes.retrieve"],
    ["a destructured require", `const { retrieve } = require("./nodes/retrieve");`, "retrieve"],
    ["a member of a required module", `const nodes = require("./nodes/retrieve");`, "nodes.retrieve"],
  ])("%s", (_form, graphImport, node) => {
    const { messages, output } = lint(project(app(graphImport, node)), "src/nodes/retrieve.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    expect(output).toContain("await retriever.invoke(state.q, config);");
  });

  it("a namespace member of another name is not this node", () => {
    const files = { ...app(`import * as nodes from "./nodes/retrieve";`, "nodes.other"), "src/nodes/retrieve.ts": RETRIEVE_NODE["src/nodes/retrieve.ts"] + `\nexport const other = async () => ({ docs: [] });\n` };
    expect(lint(project(files), "src/nodes/retrieve.ts").messages).toEqual([]);
  });
});

describe("a tool's implementation kept in another file", () => {
  const app = (tools: string) => ({
    "src/tools.ts": tools,
    "src/impl/search.ts": `import { summarizer } from "../runnables";

export async function searchImpl({ q }: { q: string }) {
  return summarizer.invoke(q);
}
`,
    "src/runnables.ts": `import { ChatOpenAI } from "@langchain/openai";\n\nexport const summarizer = new ChatOpenAI({ model: "gpt-4o-mini" });\n`,
  });

  it.each([
    ["tool()", `import { tool } from "@langchain/core/tools";\nimport { searchImpl } from "./impl/search";\n\nexport const search = tool(searchImpl, { name: "search" });\n`],
    ["RunnableLambda.from", `import { RunnableLambda } from "@langchain/core/runnables";\nimport { searchImpl } from "./impl/search";\n\nexport const search = RunnableLambda.from(searchImpl);\n`],
    ["new DynamicStructuredTool", `import { DynamicStructuredTool } from "@langchain/core/tools";\nimport { searchImpl } from "./impl/search";\n\nexport const search = new DynamicStructuredTool({ name: "search", description: "", schema: {}, func: searchImpl });\n`],
  ])("%s: the implementation is a traced scope in its own file", (form, tools) => {
    const { messages, output } = lint(project(app(tools)), "src/impl/search.ts", { runtime: "browser" });
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    expect(messages[0].message).toMatch(/inside a (?:tool\(\)|DynamicStructuredTool|RunnableLambda)/);
    // A DynamicStructuredTool's function gets its caller's config third: its children nest under the tool through
    // the run manager's child callbacks.
    expect(output).toContain(
      form === "new DynamicStructuredTool"
        ? "return summarizer.invoke(q, patchConfig(config, { callbacks: runManager?.getChild() }));"
        : "return summarizer.invoke(q, config);",
    );
  });

  it("the implementation only called by the tools file is no scope", () => {
    const tools = `import { searchImpl } from "./impl/search";\n\nexport const search = (q: string) => searchImpl({ q });\n`;
    expect(lint(project(app(tools)), "src/impl/search.ts", { runtime: "browser" }).messages).toEqual([]);
  });
});

describe("parts of another module's exports registered as nodes", () => {
  const app = (graphBody: string, extra: Record<string, string> = {}) => ({
    "src/main.ts": `import { graph } from "./graph";\n\nawait graph.invoke({ q: "refunds" });\n`,
    "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
${graphBody}
`,
    ...RETRIEVE_NODE,
    ...extra,
  });
  const STATE = `const State = Annotation.Root({ q: Annotation<string>(), docs: Annotation<string[]>() });`;
  const BARREL = { "src/nodes/index.ts": `import { retrieve } from "./retrieve";\n\nexport const NODES = { fetchDocs: retrieve };\n` };

  it.each([
    ["addNode(NODES)", `import { NODES } from "./nodes";\n${STATE}\nexport const graph = new StateGraph(State).addNode(NODES).compile();`],
    ["a loop over Object.entries(NODES)", `import { NODES } from "./nodes";\n${STATE}\nconst builder = new StateGraph(State);\nfor (const [name, node] of Object.entries(NODES)) builder.addNode(name, node);\nexport const graph = builder.compile();`],
    ["Object.values(NODES).forEach", `import { NODES } from "./nodes";\n${STATE}\nconst builder = new StateGraph(State);\nObject.values(NODES).forEach((node) => builder.addNode(node.name, node));\nexport const graph = builder.compile();`],
  ])("each value of an object exported by a barrel: %s", (_form, graphBody) => {
    const { messages, output } = lint(project(app(graphBody, BARREL)), "src/nodes/retrieve.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    if (!graphBody.includes("forEach")) expect(messages[0].message).toContain('graph node "fetchDocs"');
    expect(output).toContain("await retriever.invoke(state.q, config);");
  });

  it.each([
    ["a barrel that re-exports by name", { "src/nodes/index.ts": `export { retrieve } from "./retrieve";\n` }, "./nodes"],
    ["a barrel with export *", { "src/nodes/index.ts": `export * from "./retrieve";\n` }, "./nodes"],
    ["the node's own module", {}, "./nodes/retrieve"],
  ])("each export of a namespace import, registered in a loop over Object.entries: %s", (_form, extra, from) => {
    const graphBody = `import * as nodes from "${from}";\n${STATE}\nconst builder = new StateGraph(State);\nfor (const [name, node] of Object.entries(nodes)) builder.addNode(name, node);\nexport const graph = builder.compile();`;
    const { messages, output } = lint(project(app(graphBody, extra)), "src/nodes/retrieve.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    expect(output).toContain("await retriever.invoke(state.q, config);");
  });

  it("a namespace import of a module whose exports are not registered: nothing", () => {
    const graphBody = `import * as nodes from "./nodes";\n${STATE}\nconst builder = new StateGraph(State);\nfor (const name of Object.keys(nodes)) builder.addNode(name, async () => ({}));\nexport const graph = builder.compile();`;
    expect(lint(project(app(graphBody, { "src/nodes/index.ts": `export { retrieve } from "./retrieve";\n` })), "src/nodes/retrieve.ts").messages).toEqual([]);
  });

  it("an object of nodes defined and exported by the node's own file", () => {
    const node = RETRIEVE_NODE["src/nodes/retrieve.ts"] + `\nexport const NODES = { retrieve };\n`;
    const files = app(`import { NODES } from "./nodes/retrieve";\n${STATE}\nexport const graph = new StateGraph(State).addNode(NODES).compile();`, { "src/nodes/retrieve.ts": node });
    expect(lint(project(files), "src/nodes/retrieve.ts").messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
  });

  it("a loop over the keys of an imported object registers nothing", () => {
    const graphBody = `import { NODES } from "./nodes";\nimport { other } from "./other";\n${STATE}\nconst builder = new StateGraph(State);\nfor (const name of Object.keys(NODES)) builder.addNode(name, other);\nexport const graph = builder.compile();`;
    const files = app(graphBody, { ...BARREL, "src/other.ts": `export const other = async () => ({});\n` });
    expect(lint(project(files), "src/nodes/retrieve.ts").messages).toEqual([]);
  });

  const FACTORY = (body: string) => ({
    "src/nodes/retrieve.ts": `import type { Runnable } from "@langchain/core/runnables";

export function makeRetrieve(retriever: Runnable) {
${body}
}
`,
    "src/retriever.ts": RETRIEVE_NODE["src/retriever.ts"],
  });

  it.each([
    ["an arrow", `  return async (state: { q: string }) => ({ docs: await retriever.invoke(state.q) });`],
    ["a function expression", `  return async function retrieve(state: { q: string }) {\n    return { docs: await retriever.invoke(state.q) };\n  };`],
    ["a local function", `  async function retrieve(state: { q: string }) {\n    return { docs: await retriever.invoke(state.q) };\n  }\n  return retrieve;`],
  ])("the function a factory of another file returns (%s) is a node in that file", (_form, body) => {
    const graphBody = `import { makeRetrieve } from "./nodes/retrieve";\nimport { retriever } from "./retriever";\n${STATE}\nexport const graph = new StateGraph(State).addNode("retrieve", makeRetrieve(retriever)).compile();`;
    const { messages, output } = lint(project({ ...app(graphBody), ...FACTORY(body) }), "src/nodes/retrieve.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    expect(messages[0].message).toContain('graph node "retrieve"');
    expect(output).toContain("retriever.invoke(state.q, config)");
  });

  it("a factory's result that is only called, not registered, is no node", () => {
    const graphBody = `import { makeRetrieve } from "./nodes/retrieve";\nimport { retriever } from "./retriever";\nexport const run = (q: string) => makeRetrieve(retriever)({ q });`;
    const files = { ...app(graphBody), ...FACTORY(`  return async (state: { q: string }) => ({ docs: await retriever.invoke(state.q) });`) };
    expect(lint(project(files), "src/nodes/retrieve.ts").messages).toEqual([]);
  });
});

describe("a node registered as a member of an object another module exports", () => {
  const app = (barrel: string, graphImport: string, node: string) =>
    retrieveGraphApp(graphImport, node, { "src/nodes/index.ts": barrel, "src/nodes/other.ts": `export async function other(state: { q: string }) {\n  return { docs: [state.q] };\n}\n` });
  const IMPORTS = `import { retrieve } from "./retrieve";\nimport { other } from "./other";\n`;

  it.each([
    ["a named object", `${IMPORTS}\nexport const nodes = { retrieve, other };\n`, `import { nodes } from "./nodes";`, "nodes.retrieve"],
    ["a default object", `${IMPORTS}\nexport default { fetch: retrieve, other };\n`, `import nodes from "./nodes";`, "nodes.fetch"],
    ["an object in the node's own file", `export {};\n`, `import { NODES } from "./nodes/retrieve";`, "NODES.retrieve"],
  ])("%s", (form, barrel, graphImport, node) => {
    const files = app(barrel, graphImport, node);
    if (form.includes("own file")) files["src/nodes/retrieve.ts"] += `\nexport const NODES = { retrieve };\n`;
    const { messages, output } = lint(project(files), "src/nodes/retrieve.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    expect(output).toContain("await retriever.invoke(state.q, config);");
  });

  it("another member of the same object is not this node", () => {
    const files = app(`${IMPORTS}\nexport const nodes = { retrieve, other };\n`, `import { nodes } from "./nodes";`, "nodes.other");
    expect(lint(project(files), "src/nodes/retrieve.ts").messages).toEqual([]);
  });
});

describe("a helper that is a method of an object or instance another file exports", () => {
  const app = (service: string, call = "answers.write(state.q)") => ({
    "src/main.ts": `import { graph } from "./graph";\n\nawait graph.invoke({ q: "refunds" });\n`,
    "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
import { respond } from "./nodes/respond";

const State = Annotation.Root({ q: Annotation<string>(), text: Annotation<string>() });
export const graph = new StateGraph(State).addNode("respond", respond).addEdge("__start__", "respond").compile();
`,
    "src/nodes/respond.ts": `import { answers } from "../lib/answers";

export const respond = async (state: { q: string }) => ({ text: await ${call} });
`,
    "src/lib/answers.ts": service,
    "src/lib/runnables.ts": `import { RunnableLambda } from "@langchain/core/runnables";\n\nexport const draft = RunnableLambda.from(async (q: string) => q.toUpperCase());\n`,
  });
  const OBJECT = `import { draft } from "./runnables";

export const answers = {
  async write(question: string) {
    return draft.invoke(question);
  },
};
`;
  const INSTANCE = `import type { Runnable } from "@langchain/core/runnables";
import { draft } from "./runnables";

class Answers {
  constructor(private readonly model: Runnable) {}

  async write(question: string) {
    return this.model.invoke(question);
  }
}

export const answers = new Answers(draft);
`;
  const STATIC = `import { draft } from "./runnables";

export class answers {
  static async write(question: string) {
    return draft.invoke(question);
  }
}
`;

  it.each([
    ["an object literal's method", OBJECT, "return draft.invoke(question, config);"],
    ["an instance's method", INSTANCE, "return this.model.invoke(question, config);"],
    ["a class's static method", STATIC, "return draft.invoke(question, config);"],
  ])("%s: the node passes its config, the method takes it and passes it on", (_form, service, fixed) => {
    const root = project(app(service));
    const node = lint(root, "src/nodes/respond.ts");
    expect(node.messages.map((m) => m.messageId)).toEqual(["importedHelperWithoutConfig"]);
    expect(node.messages[0].message).toContain("`answers.write` (from ../lib/answers)");
    expect(node.output).toContain("await answers.write(state.q, config)");
    const helper = lint(root, "src/lib/answers.ts");
    expect(helper.messages.map((m) => m.messageId)).toEqual(["exportedHelperWithoutConfig"]);
    expect(helper.output).toContain("write(question: string, config?: RunnableConfig)");
    expect(helper.output).toContain(fixed);
  });

  it("a method of an instance the node's file makes of the other file's class", () => {
    const service = INSTANCE.replace("class Answers {", "export class Answers {").replace("\nexport const answers = new Answers(draft);\n", "\n");
    const files = {
      ...app(service),
      "src/nodes/respond.ts": `import { Answers } from "../lib/answers";\nimport { draft } from "../lib/runnables";\n\nconst answers = new Answers(draft);\n\nexport const respond = async (state: { q: string }) => ({ text: await answers.write(state.q) });\n`,
    };
    const root = project(files);
    const node = lint(root, "src/nodes/respond.ts");
    expect(node.messages.map((m) => m.messageId)).toEqual(["importedHelperWithoutConfig"]);
    expect(node.output).toContain("await answers.write(state.q, config)");
    const helper = lint(root, "src/lib/answers.ts");
    expect(helper.messages.map((m) => m.messageId)).toEqual(["exportedHelperWithoutConfig"]);
    expect(helper.output).toContain("return this.model.invoke(question, config);");
  });

  it("a method that starts no child run, or one called outside any scope, is left alone", () => {
    const quiet = OBJECT.replace("return draft.invoke(question);", "return question.trim();");
    const root = project(app(quiet));
    expect(lint(root, "src/nodes/respond.ts").messages).toEqual([]);
    expect(lint(root, "src/lib/answers.ts").messages).toEqual([]);
    const outside = project({ ...app(OBJECT), "src/nodes/respond.ts": `import { answers } from "../lib/answers";\n\nexport const warm = () => answers.write("hello");\n` });
    expect(lint(outside, "src/lib/answers.ts").messages).toEqual([]);
  });
});

describe("a method of a class another file exports, registered on an instance", () => {
  const app = (node: string) => ({
    "src/main.ts": `import { graph } from "./graph";\n\nawait graph.invoke({ q: "refunds" });\n`,
    "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
import { ResearchAgent } from "./agent";
import { retriever } from "./retriever";

const agent = new ResearchAgent(retriever);
const State = Annotation.Root({ q: Annotation<string>(), docs: Annotation<string[]>() });
export const graph = new StateGraph(State).addNode("retrieve", ${node}).addEdge("__start__", "retrieve").compile();
`,
    "src/agent.ts": `import type { Runnable } from "@langchain/core/runnables";

export class ResearchAgent {
  constructor(private readonly retriever: Runnable) {}

  async retrieve(state: { q: string }) {
    return { docs: await this.retriever.invoke(state.q) };
  }

  async other(state: { q: string }) {
    return { docs: await this.retriever.invoke(state.q) };
  }
}
`,
    "src/retriever.ts": RETRIEVE_NODE["src/retriever.ts"],
  });

  it("agent.retrieve.bind(agent): the method is a node in the class's file", () => {
    const { messages, output } = lint(project(app("agent.retrieve.bind(agent)")), "src/agent.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    expect(messages[0].line).toBe(7);
    expect(output).toContain("async retrieve(state: { q: string }, config?: RunnableConfig) {\n    return { docs: await this.retriever.invoke(state.q, config) };");
  });

  it("another method of the class is left alone", () => {
    const { output } = lint(project(app("agent.retrieve.bind(agent)")), "src/agent.ts");
    expect(output).toContain("async other(state: { q: string }) {\n    return { docs: await this.retriever.invoke(state.q) };");
  });
});

describe("a conditional-edge router kept in its own file", () => {
  const app = (edge: string) => ({
    "src/main.ts": `import { graph } from "./graph";\n\nawait graph.invoke({ q: "refunds" });\n`,
    "src/graph.ts": `import { StateGraph, Annotation } from "@langchain/langgraph/web";
import { route } from "./route";

const State = Annotation.Root({ q: Annotation<string>() });
export const graph = new StateGraph(State).addNode("a", async () => ({})).addNode("b", async () => ({}))${edge}.compile();
`,
    "src/route.ts": `import { judge } from "./judge";

export async function route(state: { q: string }) {
  return (await judge.invoke(state.q)) === "a" ? "a" : "b";
}
`,
    "src/judge.ts": `import { RunnableLambda } from "@langchain/core/runnables";\n\nexport const judge = RunnableLambda.from(async (q: string) => q);\n`,
  });

  it("is a traced scope in its own file: the missing config is reported and fixed", () => {
    const { messages, output } = lint(project(app(`.addConditionalEdges("__start__", route, ["a", "b"])`)), "src/route.ts");
    expect(messages.map((m) => m.messageId)).toEqual(["missingConfig"]);
    expect(messages[0].message).toContain("inside a conditional-edge router");
    expect(output).toContain("return (await judge.invoke(state.q, config)) === \"a\" ? \"a\" : \"b\";");
  });

  it("is no scope when the graph file only calls it", () => {
    const files = app("");
    files["src/graph.ts"] += `export const pick = (q: string) => route({ q });\n`;
    expect(lint(project(files), "src/route.ts").messages).toEqual([]);
  });
});

describe("codemod output in the project index", () => {
  const LISTENER = `import { EventEmitter } from "node:events";
import { traceable } from "langsmith/traceable";

export const bus = new EventEmitter();
const child = traceable(async (m: string) => m, { name: "child" });

export const parent = traceable(async () => {
  bus.on("message", (m: string) => child(m));
}, { name: "parent" });
`;

  it("a transform's output is what the index reads of the file until it looks at the disk again (jscodeshift writes it after)", () => {
    const transform = createTransformer();
    const root = project({ "src/a.ts": LISTENER, "src/b.ts": LISTENER });
    const a = path.join(root, "src/a.ts");
    const b = path.join(root, "src/b.ts");
    expect(specifiersOf(a)).not.toContain("node:async_hooks");
    expect(specifiersOf(b)).not.toContain("node:async_hooks");
    const output = transform({ path: a, source: LISTENER }, {}, {});
    expect(output).toContain(`from "node:async_hooks"`);
    // Not written yet (jscodeshift does that), but the next file this worker transforms sees it.
    expect(require("node:fs").readFileSync(a, "utf8")).toBe(LISTENER);
    expect(specifiersOf(a)).toContain("node:async_hooks");
    // `--dry`: nothing will be written, and the index keeps the disk's text.
    expect(transform({ path: b, source: LISTENER }, {}, { dry: true })).toContain(`from "node:async_hooks"`);
    expect(specifiersOf(b)).not.toContain("node:async_hooks");
    // After STAT_TTL_MS the disk decides again (here the file was never written).
    const now = Date.now() + STAT_TTL_MS + 1;
    const clock = vi.spyOn(Date, "now").mockImplementation(() => now);
    try {
      expect(specifiersOf(a)).not.toContain("node:async_hooks");
    } finally {
      clock.mockRestore();
    }
  });
});
