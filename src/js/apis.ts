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

export const QUEUE_LIBRARIES = ["p-queue", "p-limit", "async"] as const;
export type QueueLibrary = (typeof QUEUE_LIBRARIES)[number];

/** The package a specifier belongs to, for queue libraries (`async/queue` -> `async`). */
export function queueLibraryOf(specifier: string): QueueLibrary | undefined {
  for (const lib of QUEUE_LIBRARIES) {
    if (specifier === lib || specifier.startsWith(`${lib}/`)) return lib;
  }
  return undefined;
}

/** First version of each queue library that keeps the submitter's async context (ground truth §2). */
export const CONTEXT_PRESERVING_SINCE: Record<Exclude<QueueLibrary, "async">, string> = {
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

/**
 * Every exported name through which the model finds a traced scope (`traceable(fn)`, `RunnableLambda.from(fn)`,
 * `new RunnableLambda({ func })`, `tool(fn)`, `new DynamicTool({ func })`, `task(name, fn)`, `entrypoint(name, fn)`,
 * `RunnableSequence.from([...])`, `RunnableParallel.from({...})`, a function calling `getCurrentRunTree()`).
 * The text pre-check skips files that import none of these: a scope the model finds in a new way must add its name
 * here (or its method to {@link TRACED_SCOPE_METHODS}).
 */
export const TRACED_SCOPE_FACTORIES = [
  "traceable",
  "getCurrentRunTree",
  "RunnableLambda",
  "RunnableSequence",
  "RunnableParallel",
  "DynamicTool",
  "DynamicStructuredTool",
  "tool",
  "task",
  "entrypoint",
] as const;

/** Methods whose function argument the model takes as a traced scope on a receiver of any origin: `.pipe(fn)`, `.addNode(name, fn)`. */
export const TRACED_SCOPE_METHODS = ["pipe", "addNode"] as const;

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
