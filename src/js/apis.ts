/**
 * What the model knows about library APIs, by module specifier and exported name.
 * Kept as data so that rules ask the model ("is this `traceable`?") instead of matching names themselves.
 */

/** langsmith and every subpath (`langsmith/traceable`, `langsmith/singletons/traceable`, ...). */
export function isLangsmithModule(specifier: string): boolean {
  return specifier === "langsmith" || specifier.startsWith("langsmith/");
}

/** `@langchain/*` packages and the `langchain` package with its subpaths. */
export function isLangchainModule(specifier: string): boolean {
  return specifier.startsWith("@langchain/") || specifier === "langchain" || specifier.startsWith("langchain/");
}

export function isLanggraphModule(specifier: string): boolean {
  return specifier === "@langchain/langgraph" || specifier.startsWith("@langchain/langgraph/");
}

/** Modules whose import means the file runs without AsyncLocalStorage (ground truth §1). */
export const NO_ALS_MODULES: ReadonlySet<string> = new Set([
  "@langchain/langgraph/web",
  "@langchain/core/callbacks/dispatch/web",
]);

export const QUEUE_LIBRARIES = ["p-queue", "p-limit", "async", "fastq"] as const;
export type QueueLibrary = (typeof QUEUE_LIBRARIES)[number];

/**
 * Queue libraries whose queue is made around one worker function and fed items with `push`/`unshift`: the worker runs
 * an item from whichever call freed a slot (measured in every version: fixtures/runtime/bind-queued-task/async-queue-*,
 * fastq-*). An item may be a function the worker calls (bound at push time) or data for the worker (nothing to bind).
 */
export type WorkerQueueLibrary = "async" | "fastq";
export function isWorkerQueueLibrary(library: string | undefined): library is WorkerQueueLibrary {
  return library === "async" || library === "fastq";
}

/** The methods that hand a worker queue an item, per library (the item is their first argument). */
export const WORKER_QUEUE_METHODS: Record<WorkerQueueLibrary, ReadonlySet<string>> = {
  async: new Set(["push", "unshift", "pushAsync", "unshiftAsync"]),
  // `fastq.promise` queues return a promise from the same two methods.
  fastq: new Set(["push", "unshift"]),
};

/**
 * Which argument of a worker queue's factory call is its worker: `async.queue(worker, n)` and `cargoQueue(worker, n,
 * payload)` take it first; `fastq(worker, n)` / `fastq.promise(worker, n)` too, but `fastq(that, worker, n)` takes
 * the worker's `this` first.
 */
export function workerArgumentIndex(library: WorkerQueueLibrary, argumentCount: number): number {
  return library === "fastq" && argumentCount >= 3 ? 1 : 0;
}

/** The package a specifier belongs to, for queue libraries (`async/queue` -> `async`). */
export function queueLibraryOf(specifier: string): QueueLibrary | undefined {
  // neo-async is a drop-in replacement of async (`queue`, `priorityQueue`, `cargo`, same worker and push API).
  if (specifier === "neo-async" || specifier.startsWith("neo-async/")) return "async";
  for (const lib of QUEUE_LIBRARIES) {
    if (specifier === lib || specifier.startsWith(`${lib}/`)) return lib;
  }
  return undefined;
}

/** First version of each queue library that keeps the submitter's async context (ground truth §2). */
export const CONTEXT_PRESERVING_SINCE: Record<Exclude<QueueLibrary, WorkerQueueLibrary>, string> = {
  "p-queue": "10.0.0",
  "p-limit": "5.0.0",
};

/** Runnable methods that start a child run. */
export const RUNNABLE_METHODS: ReadonlySet<string> = new Set([
  "invoke",
  "stream",
  "batch",
  "streamEvents",
  "streamLog",
  "transform",
]);

/** Runnable methods specific enough to LangChain to count on a receiver of unknown origin. */
export const DISTINCTIVE_RUNNABLE_METHODS: ReadonlySet<string> = new Set(["invoke", "streamEvents", "streamLog"]);

/**
 * Keys of a `RunnableConfig` no other library's options share: `.batch(xs, { maxConcurrency: 2 })` or
 * `.stream(x, { runName })` on a receiver of unknown origin is a runnable call.
 */
export const DISTINCTIVE_CONFIG_KEYS: ReadonlySet<string> = new Set(["maxConcurrency", "runName", "recursionLimit", "configurable", "runId"]);

/** Methods of a runnable that return another runnable. */
export const RUNNABLE_DERIVING_METHODS: ReadonlySet<string> = new Set([
  "pipe",
  "bind",
  "bindTools",
  "withConfig",
  "withRetry",
  "withFallbacks",
  "withListeners",
  "withStructuredOutput",
  "withTypes",
  "assign",
  "pick",
  "compile",
  "asTool",
  "map",
]);

/** What kind of traced scope a function is, and where the library hands it a RunnableConfig. */
export type ScopeKind =
  | "traceable"
  | "runnable"
  | "tool"
  | "dynamic-tool"
  | "graph-node"
  | "task"
  | "entrypoint"
  | "run-tree-reader"
  | "with-config-callback"
  | "retriever"
  | "chat-model";

/**
 * Scopes the library hands a run manager along with the config it was *called* with (not its own run's): a
 * `DynamicTool` function and a tool subclass's `_call` get `(input, runManager, config)`, the function a `Runnable`
 * subclass hands to `this._callWithConfig` gets `(input, config, runManager)`. Their children nest under their run
 * with `patchConfig(config, { callbacks: runManager?.getChild() })`; the bare config makes them its siblings. A
 * retriever subclass's `_getRelevantDocuments` gets `(query, runManager)` and no config at all: its children nest
 * with `{ callbacks: runManager?.getChild() }` (measured: fixtures/runtime/pass-runnable-config/core-only-retriever).
 */
export const RUN_MANAGER_PARAM_INDEX: Partial<Record<ScopeKind, number>> = { "dynamic-tool": 1, "with-config-callback": 2, retriever: 1 };

/**
 * How a library export makes a traced scope of a function. The model reads this table; the text pre-check reads the
 * names. `form`: `call` (`traceable(fn)`: the function is argument `arg`), `new` (`new RunnableLambda({ func })`:
 * the function is property `property` of the first argument; with `fields`, every function in the object held
 * there: `new RunnableMap({ steps })`), `from` (`RunnableLambda.from(fn)`), `collection` (`RunnableSequence.from([...])`,
 * or the static `method` named: every element / property value), `reader` (a function calling it reads the current
 * run tree), `subclass` (`class Step extends Runnable { invoke(input, options) {} }`: the subclass's `method`, which
 * the library calls with a config).
 */
export interface ScopeFactory {
  name: string;
  library: "langsmith" | "langchain" | "langgraph";
  form: "call" | "new" | "from" | "collection" | "reader" | "subclass";
  kind: ScopeKind;
  label: string;
  arg?: number;
  property?: string;
  /** For `new`: the property holds an object of steps (each function in it a runnable), not one function. */
  fields?: boolean;
  /** For `collection`: the static method that takes the steps (`from` unless named); for `subclass`: the method. */
  method?: string;
  configParamIndex?: number;
}

export const SCOPE_FACTORIES: readonly ScopeFactory[] = [
  { name: "traceable", library: "langsmith", form: "call", arg: 0, kind: "traceable", label: "traceable" },
  { name: "getCurrentRunTree", library: "langsmith", form: "reader", kind: "run-tree-reader", label: "function reading getCurrentRunTree()" },
  { name: "tool", library: "langchain", form: "call", arg: 0, kind: "tool", label: "tool()", configParamIndex: 1 },
  { name: "task", library: "langgraph", form: "call", arg: 1, kind: "task", label: "task()" },
  { name: "entrypoint", library: "langgraph", form: "call", arg: 1, kind: "entrypoint", label: "entrypoint()", configParamIndex: 1 },
  { name: "RunnableLambda", library: "langchain", form: "new", property: "func", kind: "runnable", label: "RunnableLambda", configParamIndex: 1 },
  { name: "RunnableLambda", library: "langchain", form: "from", arg: 0, kind: "runnable", label: "RunnableLambda", configParamIndex: 1 },
  { name: "DynamicTool", library: "langchain", form: "new", property: "func", kind: "dynamic-tool", label: "DynamicTool", configParamIndex: 2 },
  { name: "DynamicStructuredTool", library: "langchain", form: "new", property: "func", kind: "dynamic-tool", label: "DynamicStructuredTool", configParamIndex: 2 },
  { name: "RunnableSequence", library: "langchain", form: "collection", kind: "runnable", label: "RunnableSequence step", configParamIndex: 1 },
  { name: "RunnableParallel", library: "langchain", form: "collection", kind: "runnable", label: "RunnableParallel step", configParamIndex: 1 },
  { name: "RunnableParallel", library: "langchain", form: "new", property: "steps", fields: true, kind: "runnable", label: "RunnableParallel step", configParamIndex: 1 },
  { name: "RunnableMap", library: "langchain", form: "collection", kind: "runnable", label: "RunnableMap step", configParamIndex: 1 },
  { name: "RunnableMap", library: "langchain", form: "new", property: "steps", fields: true, kind: "runnable", label: "RunnableMap step", configParamIndex: 1 },
  // `RunnablePassthrough.assign({ keywords: async (input) => ... })`: a RunnableMap of the fields, each function in it
  // a RunnableLambda handed the config.
  { name: "RunnablePassthrough", library: "langchain", form: "collection", method: "assign", kind: "runnable", label: "RunnablePassthrough.assign field", configParamIndex: 1 },
  // A subclass's own `invoke` is called with the config the caller (a sequence, a graph) hands on; a tool subclass's
  // `_call` with the tool's run manager and its parent config, as a DynamicStructuredTool's function (measured:
  // fixtures/runtime/pass-runnable-config/core-only-runnable-subclass, core-only-tool-subclass).
  { name: "Runnable", library: "langchain", form: "subclass", method: "invoke", kind: "runnable", label: "Runnable subclass's invoke", configParamIndex: 1 },
  { name: "StructuredTool", library: "langchain", form: "subclass", method: "_call", kind: "dynamic-tool", label: "StructuredTool subclass's _call", configParamIndex: 2 },
  { name: "Tool", library: "langchain", form: "subclass", method: "_call", kind: "dynamic-tool", label: "Tool subclass's _call", configParamIndex: 2 },
  // The library calls a retriever's `_getRelevantDocuments(query, runManager)` outside its run's context and with no
  // config: only the run manager links a child to the retriever's run (RUN_MANAGER_PARAM_INDEX).
  { name: "BaseRetriever", library: "langchain", form: "subclass", method: "_getRelevantDocuments", kind: "retriever", label: "retriever's _getRelevantDocuments" },
  // A chat model's `_generate(messages, options, runManager)` (an LLM's, a simple chat model's `_call`) gets call options
  // without callbacks and an LLM run manager, which has no `getChild()`: without AsyncLocalStorage a child started
  // there starts its own trace unless it is handed a callback manager made from the run manager by hand (measured:
  // fixtures/runtime/pass-runnable-config/core-only-chat-model-child).
  { name: "BaseChatModel", library: "langchain", form: "subclass", method: "_generate", kind: "chat-model", label: "chat model's _generate" },
  { name: "SimpleChatModel", library: "langchain", form: "subclass", method: "_call", kind: "chat-model", label: "chat model's _call" },
  { name: "BaseLLM", library: "langchain", form: "subclass", method: "_generate", kind: "chat-model", label: "LLM's _generate" },
  { name: "LLM", library: "langchain", form: "subclass", method: "_call", kind: "chat-model", label: "LLM's _call" },
];

/** Whether a module specifier belongs to a factory's library. */
export function isLibraryModule(library: ScopeFactory["library"], specifier: string): boolean {
  if (library === "langsmith") return isLangsmithModule(specifier);
  if (library === "langgraph") return isLanggraphModule(specifier);
  return isLangchainModule(specifier);
}

/**
 * Every exported name through which the model finds a traced scope ({@link SCOPE_FACTORIES}). The text pre-check
 * skips files that load none of these: a scope found in a new way must be added to the table.
 */
export const TRACED_SCOPE_FACTORIES: readonly string[] = [...new Set(SCOPE_FACTORIES.filter((f) => f.form !== "subclass").map((f) => f.name))];

/** The base classes whose subclasses' methods are traced scopes (the `subclass` form): found after `extends`. */
export const TRACED_SCOPE_BASE_CLASSES: readonly string[] = [...new Set(SCOPE_FACTORIES.filter((f) => f.form === "subclass").map((f) => f.name))];

/**
 * A call that may register a function of another module (or a parameter) as a traced scope, as text: a scope
 * factory of {@link SCOPE_FACTORIES} (`tool(impl`, `task("name", impl`, `new DynamicTool(`,
 * `RunnableLambda.from(impl`, `RunnableSequence.from(`, ...) or LangGraph's `.addNode(` / `.addSequence(`. A factory
 * whose function argument comes first is matched only when that argument is not written in place (`async`,
 * `function`, `(`): a function written in the call is this file's own. `traceable(` is left out: it is everywhere,
 * and the project index asks for it only with a plain identifier as its argument.
 */
export const REGISTRATION_CALL_PATTERN: RegExp = new RegExp(
  [
    String.raw`\.add(?:Node|Sequence|ConditionalEdges)\s*\(`,
    ...SCOPE_FACTORIES.filter((f) => f.name !== "traceable").flatMap((f) => {
      const given = f.arg === 0 ? String.raw`\s*(?!async\b|function\b)[A-Za-z_$]` : "";
      switch (f.form) {
        case "call":
          return [String.raw`\b${f.name}\s*\(${given}`];
        case "new":
          return [String.raw`\bnew\s+${f.name}\s*\(`];
        case "from":
          return [String.raw`\b${f.name}\s*\.\s*from\s*\(${given}`];
        case "collection":
          return [String.raw`\b${f.name}\s*\.\s*${f.method ?? "from"}\s*\(`];
        default:
          return [];
      }
    }),
  ].join("|"),
);

/**
 * Type names whose use on a parameter marks the function as a traced scope that receives a config there (a
 * LangGraph node or a runnable kept in its own file): `(state, config: RunnableConfig)`, LangGraph's
 * `LangGraphRunnableConfig` and `Runtime`.
 */
export const CONFIG_TYPE_NAMES: ReadonlySet<string> = new Set(["RunnableConfig", "LangGraphRunnableConfig", "Runtime"]);

/**
 * Methods whose function argument the model takes as a traced scope on a receiver of any origin: `.pipe(fn)`,
 * `.addNode(name, fn)`, `.addSequence([[name, fn], ...])`, `.addConditionalEdges(source, router)`; and on a runnable,
 * the functions in the object given to `.assign({ ... })`.
 */
export const TRACED_SCOPE_METHODS = ["pipe", "assign", "addNode", "addSequence", "addConditionalEdges"] as const;

/** langsmith exports that are function wrappers creating traced functions. */
export const TRACEABLE_NAMES: ReadonlySet<string> = new Set(["traceable"]);

/** langsmith wrappers whose result is a client whose methods are traced (`wrapOpenAI(new OpenAI())`). */
export const TRACED_CLIENT_WRAPPERS: ReadonlySet<string> = new Set([
  "wrapOpenAI",
  "wrapAnthropic",
  "wrapSDK",
  "wrapAISDK",
  "wrapGemini",
]);

/** A runnable method call, as text (`x.invoke(`, `.stream(`, ...): what a file that starts child runs says. */
export const CHILD_RUN_CALL = /\.(?:invoke|stream|batch|streamEvents|streamLog|transform)\s*\(/;

/**
 * Debounce and throttle functions of packages (`debounce(fn, ms)` from lodash, `lodash.debounce`, `lodash-es`,
 * `debounce`, `just-debounce-it`, `throttle-debounce`): the function they return arms its timer at the first call of a
 * wait, in that call's async context, and later calls of the wait only leave their arguments, so `fn` runs every
 * later caller's work in the first caller's context. The index of `fn` among the factory's arguments, or undefined.
 */
export function debounceFunctionIndex(api: { module: string; name: string }): number | undefined {
  const { module, name } = api;
  const whole = name === "default" || name === "*";
  if (module === "lodash" || module === "lodash-es" || module === "underscore") return name === "debounce" || name === "throttle" ? 0 : undefined;
  if (/^lodash(?:-es)?\/(?:debounce|throttle)(?:\.js)?$/.test(module) || module === "lodash.debounce" || module === "lodash.throttle") return whole ? 0 : undefined;
  if (module === "debounce" || module === "just-debounce-it" || module === "just-throttle") return whole || name === "debounce" ? 0 : undefined;
  // `debounce(delay, callback)`, `throttle(delay, callback)`.
  if (module === "throttle-debounce") return name === "debounce" || name === "throttle" ? 1 : undefined;
  return undefined;
}
