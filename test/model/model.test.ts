import type { TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import { getModel, JsModel } from "../../src/js/model.js";
import { parseSource } from "../../src/js/parse.js";
import { loadsTracingApi, precheckText } from "../../src/js/precheck.js";
import { resolveSettings, type TraceNestingSettings } from "../../src/js/settings.js";
import { detectInText } from "../../src/js/run.js";
import { traceRunsAlone } from "../../src/js/model/sequential.js";

function model(text: string, filename = "file.ts", settings: TraceNestingSettings = {}) {
  const parsed = parseSource(text, filename);
  return new JsModel({ ...parsed, settings: resolveSettings(settings) });
}

/** The first call whose callee text is `callee`. */
function callNamed(m: JsModel, callee: string): TSESTree.CallExpression {
  const call = m.calls.find((c) => m.text.slice(c.callee.range[0], c.callee.range[1]) === callee);
  if (!call || call.type !== "CallExpression") throw new Error(`no call ${callee}`);
  return call;
}

describe("API resolution", () => {
  const cases: [string, string, string][] = [
    ["named import", `import { traceable } from "langsmith/traceable";\ntraceable(async () => 1);`, "traceable"],
    ["renamed import", `import { traceable as tr } from "langsmith/traceable";\ntr(async () => 1);`, "tr"],
    ["namespace import", `import * as ls from "langsmith/traceable";\nls.traceable(async () => 1);`, "ls.traceable"],
    ["local alias", `import * as ls from "langsmith/traceable";\nconst t = ls.traceable;\nt(async () => 1);`, "t"],
    ["alias of alias", `import { traceable } from "langsmith/singletons/traceable";\nconst a = traceable;\nconst b = a;\nb(async () => 1);`, "b"],
    ["require", `const ls = require("langsmith/traceable");\nls.traceable(async () => 1);`, "ls.traceable"],
    ["require destructuring with rename", `const { traceable: tr } = require("langsmith/traceable");\ntr(async () => 1);`, "tr"],
    ["await import", `async function f() { const { traceable } = await import("langsmith/traceable"); traceable(async () => 1); }`, "traceable"],
    ["import = require", `import ls = require("langsmith/traceable");\nls.traceable(async () => 1);`, "ls.traceable"],
  ];
  for (const [name, text, callee] of cases) {
    it(name, () => {
      const m = model(text);
      const call = callNamed(m, callee);
      expect(m.resolveApi(call.callee)).toMatchObject({ name: "traceable" });
      expect(m.isTraceableFactory(call.callee)).toBe(true);
      expect(m.tracedScopes().map((s) => s.kind)).toEqual(["traceable"]);
    });
  }

  it("a shadowing local is not the API", () => {
    const m = model(`import { traceable } from "langsmith/traceable";\nfunction f(traceable: (x: unknown) => unknown) { traceable(async () => 1); }`);
    expect(m.isTraceableFactory(callNamed(m, "traceable").callee)).toBe(false);
  });

  it("a same-named function from another module is not the API", () => {
    const m = model(`import { traceable } from "./my-tracing";\ntraceable(async () => 1);`);
    expect(m.tracedScopes()).toEqual([]);
  });

  it("user-named traceable wrappers from settings", () => {
    const m = model(`import { traced } from "./tracing";\nexport const f = traced(async () => 1);`, "file.ts", { traceableWrappers: ["traced"] });
    expect(m.tracedScopes().map((s) => s.kind)).toEqual(["traceable"]);
  });
});

describe("traced scopes", () => {
  it("recognises every kind with its config parameter", () => {
    const m = model(`import { RunnableLambda, RunnableSequence } from "@langchain/core/runnables";
import { tool, DynamicStructuredTool } from "@langchain/core/tools";
import { StateGraph, task, entrypoint } from "@langchain/langgraph";
import { traceable, getCurrentRunTree } from "langsmith/traceable";
const a = RunnableLambda.from(async (x) => x);
const b = new RunnableLambda({ func: async (x) => x });
const c = tool(async (x) => x, { name: "c" });
const d = new DynamicStructuredTool({ name: "d", description: "d", schema: {}, func: async (x) => x });
async function node(state) { return state; }
const g = new StateGraph({}).addNode("n", node).addNode({ m: async (s) => s });
const t = task("t", async (x) => x);
const e = entrypoint("e", async (x) => x);
const s = RunnableSequence.from([async (x) => x, a]);
const tr = traceable(async function* (x) { yield x; });
function reader() { return getCurrentRunTree(); }
`);
    const scopes = m.tracedScopes().map((s) => [s.kind, s.configParamIndex, s.inline]);
    expect(scopes).toEqual(
      expect.arrayContaining([
        ["runnable", 1, true],
        ["tool", 1, true],
        ["dynamic-tool", 2, true],
        ["graph-node", 1, false],
        ["graph-node", 1, true],
        ["task", undefined, true],
        ["entrypoint", 1, true],
        ["traceable", undefined, true],
        ["run-tree-reader", undefined, false],
      ]),
    );
    expect(scopes).toHaveLength(11);
  });

  it("enclosingTracedScope finds the nearest traced function through plain closures", () => {
    const m = model(`import { traceable } from "langsmith/traceable";
export const f = traceable(async (xs: number[]) => xs.map((x) => String(x)));`);
    expect(m.enclosingTracedScope(callNamed(m, "String"))?.kind).toBe("traceable");
  });
});

describe("values and traced work", () => {
  it("classifies runnables, traceables, limiters, queues and foreign objects", () => {
    const m = model(`import { ChatPromptTemplate } from "@langchain/core/prompts";
import { ChatOpenAI } from "@langchain/openai";
import { traceable } from "langsmith/traceable";
import { wrapOpenAI } from "langsmith/wrappers";
import OpenAI from "openai";
import PQueue from "p-queue";
import pLimit from "p-limit";
import { queue } from "async";
const chain = ChatPromptTemplate.fromMessages([]).pipe(new ChatOpenAI()).withRetry();
const fn = traceable(async () => 1);
const client = wrapOpenAI(new OpenAI());
const raw = new OpenAI();
const q = new PQueue();
const l = pLimit(2);
const aq = queue(async () => 1);
chain.invoke(1); fn(); client.chat.completions.create({}); raw.chat.completions.create({}); q.add(fn); l(fn); aq.push(1);
`);
    const kind = (name: string) => m.valueKind(callNamed(m, name).callee);
    const receiver = (name: string) => m.valueKind((callNamed(m, name).callee as TSESTree.MemberExpression).object);
    expect(receiver("chain.invoke")).toBe("runnable");
    expect(kind("fn")).toBe("traceable-fn");
    expect(kind("l")).toBe("p-limit");
    expect(m.isTracedWork(callNamed(m, "chain.invoke"))).toBe(true);
    expect(m.isTracedWork(callNamed(m, "fn"))).toBe(true);
    expect(m.isTracedWork(callNamed(m, "client.chat.completions.create"))).toBe(true);
    expect(m.isTracedWork(callNamed(m, "raw.chat.completions.create"))).toBe(false);
    expect(receiver("q.add")).toBe("p-queue");
    expect(receiver("aq.push")).toBe("async-queue");
  });

  it.each([
    ["a static factory of the class", "static make() { return new Service({ model: RunnableLambda.from(async (x: number) => x) }); }\n}\nService.make();"],
    ["a call after the class", "}\nnew Service({ model: RunnableLambda.from(async (x: number) => x) });"],
  ])("a constructor parameter destructured into a private field holds what %s passes", (_site, rest) => {
    const m = model(`import { RunnableLambda } from "@langchain/core/runnables";
class Service {
  #model: any;
  static count = 0;
  constructor({ model }: { model: any }) { this.#model = model; Service.count++; }
  run() { return this.#model.invoke(1); }
  ${rest}
`);
    expect(m.valueKind((callNamed(m, "this.#model.invoke").callee as TSESTree.MemberExpression).object)).toBe("runnable");
  });

  it("an object made by Object.fromEntries holds the second element of each pair", () => {
    const m = model(`import { traceable } from "langsmith/traceable";
const byDoc = Object.fromEntries(["A", "B"].map((doc) => [doc, traceable(async (v: number) => v, { name: doc })]));
const plain = Object.fromEntries([["a", 1]]);
function pick(doc: string) { return byDoc[doc]; }
byDoc.A(1); pick("B")(2); plain.a;
`);
    expect(m.valueKind(callNamed(m, "byDoc.A").callee)).toBe("traceable-fn");
    expect(m.valueKinds(callNamed(m, "pick"))).toContain("traceable-fn");
    const shadowed = model(`import { traceable } from "langsmith/traceable";
const Object = { fromEntries: (x: unknown) => ({ A: x }) };
const byDoc = Object.fromEntries([["A", traceable(async () => 1)]]);
byDoc.A();
`);
    expect(shadowed.valueKind(callNamed(shadowed, "byDoc.A").callee)).not.toBe("traceable-fn");
  });

  it("traced work through local functions, transitively, and not through pinned contexts", () => {
    const m = model(`import { traceable, withRunTree, getCurrentRunTree } from "langsmith/traceable";
const child = traceable(async () => 1);
async function inner() { return child(); }
async function outer() { return inner(); }
async function pinned() { const rt = getCurrentRunTree(); return withRunTree(rt, () => child()); }
async function readsNow() { const rt = getCurrentRunTree(); return child(rt); }
const rt0 = getCurrentRunTree();
async function explicit() { return child(rt0); }
outer(); pinned(); explicit(); readsNow();`);
    expect(m.isTracedWork(callNamed(m, "outer"))).toBe(true);
    expect(m.isTracedWork(callNamed(m, "pinned"))).toBe(false);
    // A run tree read earlier, elsewhere, is handed over as it is; one read as the function runs is the context's.
    expect(m.isTracedWork(callNamed(m, "explicit"))).toBe(false);
    expect(m.isTracedWork(callNamed(m, "readsNow"))).toBe(true);
  });

  it("a partial application of a traceable is a value of its own that still runs the traceable; bind(thisArg) alone is the traceable", () => {
    const m = model(`import { traceable } from "langsmith/traceable";
const child = traceable(async (x: number) => x);
const same = child.bind(null);
const work = [1, 2].map((n) => child.bind(null, n));
same(); work[0](); submit(work);
function submit(tasks: unknown[]) { return tasks; }
`);
    const held = m.valuesOf((callNamed(m, "submit").arguments[0]));
    expect(held.map((v) => v.type)).toEqual(["call"]);
    const elements = m.values.elementValues(held, 0);
    expect(elements.map((v) => v.type)).toEqual(["bound"]);
    expect(m.values.kindOfValue(elements[0])).toBe("traceable-fn");
    expect(m.valuesOf(callNamed(m, "same").callee).map((v) => v.type)).toEqual(["call"]);
    expect(m.isTracedWork(callNamed(m, "work[0]"))).toBe(true);
  });

  it("a function handed point-free to an array method stands for a call with each element", () => {
    const m = model(`const backlog: unknown[] = [];
const later = (task: unknown) => { backlog.push(task); };
const tasks = [() => 1];
tasks.forEach(later);
tasks.forEach((task) => later(task));
`);
    const pointFree = m.handoffs.pointFreeHelpers(callNamed(m, "tasks.forEach"));
    expect(pointFree?.helpers.map((h) => h.name)).toEqual(["later"]);
    expect(m.text.slice(...pointFree!.array.range)).toBe("tasks");
    expect(pointFree?.helpers[0].summary.get(0)?.map((e) => e.handoff.method)).toEqual(["push"]);
    const inline = m.calls.filter((c) => m.text.slice(c.callee.range[0], c.callee.range[1]) === "tasks.forEach")[1];
    expect(m.handoffs.pointFreeHelpers(inline)).toBeUndefined();
  });

  /** The value kinds of the first call whose callee text is `callee`. */
  const kindsOf = (m: JsModel, callee: string) => m.valuesOf(callNamed(m, callee)).map((v) => v.type).sort();
  const WRAP = (params: string, calls: string) => `import { traceable } from "langsmith/traceable";
const child = traceable(async (x: number) => x);
const wrapAll = (fn: () => unknown) => () => fn();
const publish = traceable(async (${params}) => wrap(() => child(1)));
${calls}`;

  it("a call of a function that returns its parameter as it is holds what the call passes there", () => {
    const m = model(WRAP("{ wrap = (fn: () => unknown) => fn } = {}", "publish();"));
    // The default `(fn) => fn` gives back the task itself: a function.
    expect(kindsOf(m, "wrap")).toEqual(["function"]);
    expect(m.text.slice(...(m.valuesOf(callNamed(m, "wrap"))[0] as { fn: TSESTree.Node }).fn.range)).toBe("() => child(1)");
  });

  it("a destructured default no call leaves to apply is not a value; an unseen caller's is unknown", () => {
    // Every call passes the options with `wrap`: only what they pass (wrapAll's closure), never the default.
    const passed = model(WRAP("{ wrap = (fn: () => unknown) => fn } = {}", "publish({ wrap: wrapAll });\npublish({ wrap: wrapAll });"));
    expect(m_text(passed, passed.valuesOf(callNamed(passed, "wrap")))).toEqual(["() => fn()"]);
    // One call leaves the options out: the default applies there.
    const mixed = model(WRAP("{ wrap = (fn: () => unknown) => fn } = {}", "publish({ wrap: wrapAll });\npublish();"));
    expect(m_text(mixed, mixed.valuesOf(callNamed(mixed, "wrap"))).sort()).toEqual(["() => child(1)", "() => fn()"]);
    // An exported function's callers are other modules: what they pass is unknown, besides the default.
    const exported = model(`export function send(task: () => unknown, { around = (fn: () => unknown) => fn } = {}) {\n  return around(task);\n}`);
    expect(exported.valuesOf(callNamed(exported, "around")).map((v) => v.type)).toEqual(["call"]);
  });
});

describe("provenance", () => {
  /** Whether the argument `arg` of the call of `callee` in the traced scope is created inside that scope. */
  const fresh = (text: string, callee: string, arg = 0) => {
    const m = model(text);
    const call = callNamed(m, callee);
    return m.isCreatedInside(call.arguments[arg] as TSESTree.Node, m.enclosingTracedScope(call)!.fn);
  };
  const SCOPE = (body: string) => `import { traceable } from "langsmith/traceable";
const controllers = new Map([["v1", new AbortController()]]);
declare function hold(signal: AbortSignal): void;
export const checkIn = traceable(async (id: string) => {
${body}
  hold(signal);
});`;
  it("a destructured local is as old as the object it is taken from", () => {
    expect(fresh(SCOPE("  const { signal } = controllers.get(id)!;"), "hold")).toBe(false);
    expect(fresh(SCOPE("  const { signal } = new AbortController();"), "hold")).toBe(true);
    expect(fresh(SCOPE("  const signal = AbortSignal.timeout(10);"), "hold")).toBe(true);
  });
});

describe("collections", () => {
  it("map.set gives back the map, so a get chained on it reads its entries", () => {
    const m = model(`class Lock {}\nconst locks = new Map();\nconst lockFor = (id: string) => locks.get(id) ?? locks.set(id, new Lock()).get(id);\nlockFor("a");`);
    expect(m.valuesOf(callNamed(m, "lockFor")).map((v) => v.type)).toEqual(["new"]);
  });
});

describe("fixed array lengths", () => {
  const length = (code: string) => {
    const m = model(`${code}\nconsume(items);`);
    return m.values.literalArrayLength(callNamed(m, "consume").arguments[0] as TSESTree.Node);
  };
  it("the longest array literal a name may hold, unless one grows or spreads", () => {
    expect(length(`let items = ["a", "b"];\nif (Math.random()) items = ["c"];`)).toBe(2);
    expect(length(`const items = ["a", "b"];\nitems.push("c");`)).toBeUndefined();
    expect(length(`const items = ["a"];\nitems[3] = "d";`)).toBeUndefined();
    expect(length(`const more = ["x"];\nconst items = ["a", ...more];`)).toBeUndefined();
    expect(length(`const items = ["a", "b"];\nconst all = items.concat(["c"]);`)).toBe(2);
    expect(length(`const items = load();`)).toBeUndefined();
  });
});

describe("instances", () => {
  it("the functions an instance carries as own fields, and the constructor a new expression runs", () => {
    const m = model(`class Timer {\n  onStop = () => 0;\n  constructor() { this.onTick = (t: number) => t; this.count = 1; }\n  later() { return 1; }\n}\nconst t = new Timer();`);
    const made = m.calls.find((c) => c.type === "NewExpression") as TSESTree.NewExpression;
    const [ctor] = m.values.constructorsOf(made);
    expect(m.text.slice(...ctor.range).startsWith("() { this.onTick")).toBe(true);
    const cls = m.valuesOf(made.callee)[0] as { node: TSESTree.ClassDeclaration };
    expect(m.values.instanceFunctions(cls.node).map((fn) => m.text.slice(...fn.range)).sort()).toEqual(["() => 0", "(t: number) => t"]);
  });
  it("a Node stream method that returns the stream gives back the stream", () => {
    const m = model(`import { PassThrough } from "node:stream";\nconst feed = new PassThrough().resume();\nuse(feed);`);
    expect(m.valuesOf(callNamed(m, "use").arguments[0] as TSESTree.Node).map((v) => v.type)).toEqual(["new"]);
  });
});

describe("traces that run one at a time", () => {
  const alone = (script: string) => {
    const m = model(`import { traceable } from "langsmith/traceable";\nconst confirm = traceable(async (id: string) => id);\n${script}`);
    const scope = m.tracedScopes()[0];
    return traceRunsAlone(m as never, scope.fn);
  };
  it("awaited in turn, or called once and not waited for when nothing of the file starts after it", () => {
    expect(alone(`await confirm("a");\nawait confirm("b");`)).toBe(true);
    expect(alone(`confirm("a");`)).toBe(true);
    expect(alone(`confirm("a");\nsetTimeout(() => {}, 10);`)).toBe(true);
  });
  it("not when calls overlap: two calls not waited for, one in a loop, or more work of the file started after it", () => {
    expect(alone(`confirm("a");\nconfirm("b");`)).toBe(false);
    expect(alone(`for (const id of ["a", "b"]) confirm(id);`)).toBe(false);
    expect(alone(`async function other() { return 1; }\nconfirm("a");\nother();`)).toBe(false);
    expect(alone(`await Promise.all([confirm("a"), confirm("b")]);`)).toBe(false);
  });
});

describe("hooks that give their argument back", () => {
  const HOOK = (hook: string) => `const prepare = ${hook};\nconst task = () => 1;\nprepare(task);`;
  const asIs = (hook: string) => {
    const m = model(HOOK(hook));
    return m.values.returnsArgumentAsIs(callNamed(m, "prepare"));
  };
  it("only a callee whose every value returns a parameter of its own as it is", () => {
    expect(asIs("(fn: () => number) => fn")).toBe(true);
    expect(asIs("function (fn: () => number) { if (!fn) return fn; return fn; }")).toBe(true);
    expect(asIs("(fn: () => number) => () => fn()")).toBe(false);
    expect(asIs("(fn: () => number) => { fn = fn.bind(null); return fn; }")).toBe(false);
  });
});

function m_text(m: JsModel, values: ReturnType<JsModel["valuesOf"]>): string[] {
  return values.map((v) => ("fn" in v ? m.text.slice(...(v.fn as TSESTree.Node).range) : v.type));
}

describe("runtime", () => {
  const runtime = (text: string, filename = "file.ts", settings: TraceNestingSettings = {}) => model(text, filename, settings).runtime;
  it("Node by default", () => expect(runtime(`import { traceable } from "langsmith/traceable";`)).toEqual({ als: true, reason: "Node with AsyncLocalStorage" }));
  it("/web imports", () => {
    expect(runtime(`import { StateGraph } from "@langchain/langgraph/web";`).als).toBe(false);
    expect(runtime(`import { dispatchCustomEvent } from "@langchain/core/callbacks/dispatch/web";`).als).toBe(false);
    expect(runtime(`const lg = require("@langchain/langgraph/web");`, "a.cjs").als).toBe(false);
  });
  it('"use client"', () => expect(runtime(`"use client";\nimport x from "langsmith";`).reason).toBe('has a "use client" directive'));
  it("browserFiles globs relative to cwd", () => {
    expect(runtime(``, "/repo/app/web/chat.ts", { browserFiles: ["app/web/**"] }).als).toBe(true);
    const m = new JsModel({ ...parseSource(``, "/repo/app/web/chat.ts"), settings: resolveSettings({ browserFiles: ["app/web/**"] }), cwd: "/repo" });
    expect(m.runtime).toEqual({ als: false, reason: 'matches browserFiles "app/web/**"' });
  });
  it("settings override", () => {
    expect(runtime(`import { StateGraph } from "@langchain/langgraph/web";`, "f.ts", { runtime: "node" }).als).toBe(true);
    expect(runtime(``, "f.ts", { runtime: "browser" }).als).toBe(false);
  });
  it("rejects bad settings with a clear error", () => {
    expect(() => resolveSettings({ runtime: "deno" as never })).toThrow(/runtime must be "node", "browser" or "auto"/);
    expect(() => resolveSettings({ browserFiles: "web/**" as never })).toThrow(/browserFiles must be an array of strings/);
    expect(() => resolveSettings({ versions: { "p-queue": "banana" } })).toThrow(/versions\["p-queue"\] must be a version or range, got "banana"/);
  });
});

describe("pre-checks", () => {
  const s = resolveSettings({});
  it("text", () => {
    expect(precheckText(`export const x = 1;`, s)).toBe(false);
    expect(precheckText(`import { traceable } from "langsmith/traceable";`, s)).toBe(true);
    expect(precheckText(`import { traced } from "./t";`, resolveSettings({ traceableWrappers: ["traced"] }))).toBe(true);
  });
  it("text: a tracing module must be loaded in a way that can bring in a traced-scope factory", () => {
    const pass = (text: string) => precheckText(text, s);
    // Loads that can make traced scopes.
    expect(pass(`import { tool as makeTool } from "@langchain/core/tools";`)).toBe(true);
    expect(pass(`const { traceable: t } = require("langsmith/traceable");`)).toBe(true);
    expect(pass(`import * as runnables from "@langchain/core/runnables";\nrunnables.RunnableLambda.from((x) => x);`)).toBe(true);
    expect(pass(`const ls = require("langsmith/traceable");\nls["traceable"](fn);`)).toBe(true);
    expect(pass(`const core_1 = __importDefault(require("@langchain/langgraph"));\ncore_1.default.task("t", fn);`)).toBe(true);
    expect(pass(`import lg, { Annotation } from "@langchain/langgraph";\ngraph.addNode("a", fn);`)).toBe(true);
    expect(pass(`import { ChatOpenAI } from "@langchain/openai";\nprompt.pipe(new ChatOpenAI()).pipe((m) => m);`)).toBe(true);
    expect(pass(`const { entrypoint } = await import("@langchain/langgraph");`)).toBe(true);
    expect(pass(`import "langsmith/traceable";\nexport const f = traceable(fn);`)).toBe(true);
    expect(pass(`import {\n  RunnableLambda,\n} from "@langchain/core/runnables";`)).toBe(true);
    // A queue library: its tasks may call the project's traced code.
    expect(pass(`import pLimit from "p-limit";\nexport const limit = pLimit(2);`)).toBe(true);
    expect(pass(`const async = require("async");`)).toBe(true);
    expect(pass(`import neo from "neo-async";\nexport const q = neo.queue(worker, 1);`)).toBe(true);
    // A subclass of a base class whose methods LangChain calls with a config.
    expect(pass(`import * as core from "@langchain/core/runnables";\nexport class Step extends core.Runnable {}`)).toBe(true);
    expect(pass(`import { StructuredTool } from "@langchain/core/tools";\nexport class Lookup extends StructuredTool {}`)).toBe(true);
    // Loads that cannot: no traced scope can exist, so no rule can report.
    expect(pass(`import { AIMessage } from "@langchain/core/messages";\nexport const m = new AIMessage("tool task");`)).toBe(false);
    expect(pass(`import type { RunnableConfig, Runnable } from "@langchain/core/runnables";\nexport function f(c: RunnableConfig) { return c; }`)).toBe(false);
    expect(pass(`import * as core from "@langchain/core/runnables";\nexport const isRunnable = (x) => x instanceof core.Runnable; // a tool`)).toBe(false);
    expect(pass(`export { traceable } from "langsmith/traceable";`)).toBe(false);
    expect(pass(`/**\n * import { traceable } from "langsmith/traceable";\n * const f = traceable(fn);\n */\nexport const x = 1;`)).toBe(false);
    expect(pass(`// import { tool } from "@langchain/core/tools"\nexport const tool = 1;`)).toBe(false);
    expect(pass(`this.addVersion("@langchain/core", "1.4.0"); // a tool`)).toBe(false);
  });
  it("imports", () => {
    const gate = (text: string) => loadsTracingApi(parseSource(text, "f.ts").ast, text, s);
    expect(gate(`// built on langchain\nexport const x = 1;`)).toBe(false);
    expect(gate(`export * from "@langchain/core/runnables";`)).toBe(true);
    expect(gate(`async function f() { return import("langsmith/traceable"); }`)).toBe(true);
    expect(gate(`function f() { return require('@langchain/core/runnables'); }`)).toBe(true);
  });
  it("a file that only mentions LangChain in a comment has no findings and is not modelled", () => {
    expect(detectInText(`// see langchain docs\nemitter.on("x", () => agent.invoke(1));`, "f.ts")).toEqual([]);
  });
});

it("the model is built once per AST and shared", () => {
  const parsed = parseSource(`import { traceable } from "langsmith/traceable";`, "f.ts");
  const settings = resolveSettings({});
  expect(getModel({ ...parsed, settings })).toBe(getModel({ ...parsed, settings }));
});

describe("the second gate, after parsing", () => {
  it("the ESLint rules build no model for a file that names LangChain only in a string, and do for one that loads it", async () => {
    const { Linter } = await import("eslint");
    const plugin = (await import("../../src/index.js")).default;
    const { observeModels } = await import("../../src/js/model.js");
    const built: string[] = [];
    const stop = observeModels((m) => built.push(m.filename));
    try {
      const linter = new Linter();
      const lint = (code: string, filename: string) => linter.verify(code, [{ ...plugin.configs.strict, files: ["**/*.ts"] }], { filename });
      // The text pre-check lets it through (a quoted module name), the parsed file loads nothing.
      const onlyAString = `export const doc = 'import { traceable } from "langsmith/traceable"';\nsetTimeout(() => doc, 1);\n`;
      expect(precheckText(onlyAString, resolveSettings({}))).toBe(true);
      expect(lint(onlyAString, `${process.cwd()}/gate/only-a-string.ts`).map((m) => m.message)).toEqual([]);
      expect(built).toEqual([]);
      lint(`import { RunnableLambda } from "@langchain/core/runnables";\nexport const r = RunnableLambda.from(async (x: string) => x);\n`, `${process.cwd()}/gate/loads.ts`);
      expect(built).toEqual([`${process.cwd()}/gate/loads.ts`]);
    } finally {
      stop();
    }
  });
});
