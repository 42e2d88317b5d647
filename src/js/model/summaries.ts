/**
 * Cross-file function summaries: what a function exported by one of the project's modules does with its
 * parameters, as plain serialisable data (no syntax node of the helper's module leaves it), so that a call of the
 * function in another file counts as what it does there:
 * - hand-offs: which parameters it hands to a listener, handler, thenable, store, variable or queue, and of what
 *   kind; when the receiver is itself a parameter, the hand-off is classified at the call site by what the caller
 *   passes (`target.add(task)` is a p-queue submission when the caller passes a p-queue);
 * - registrations: which parameters it registers as a graph node, task, runnable or traceable, and at which
 *   parameter the library passes the RunnableConfig;
 * - server handlers: which parameters it gives to a server it creates or holds as request handlers;
 * - what its return values are (`async.queue(worker)` built by a helper is a queue).
 *
 * The summary is computed in the helper's own module (`summarizeExport`), cached by the project index with that
 * module's entry (dropped when the file changes), and asked for lazily: only for a call of an imported project
 * function that passes a function (`importedCallSummary`).
 */
import { rearmedByEveryCall, runsOwnEntryLater, storeDrainers, storeDrainEvents, storeDrainStarters, storeFlushers, storeNeverRunsValues, storesPendingRecord, timerCallbackAround } from "./drains.js";
import type { BatcherDrain, ChannelConsumer } from "./handoffs.js";
import path from "node:path";
import type { TSESTree } from "@typescript-eslint/utils";
import { isWorkerQueueLibrary, workerArgumentIndex, type ScopeKind, type WorkerQueueLibrary } from "../apis.js";
import { calleeMethodName, classMemberKey, contains, enclosingFunction, isFunctionNode, memberName, nodesWithin, propertyKey, repeatedPerElement, rootedAtThis, rootIdentifier, runsInBody, runsInCallContext, stringLiteralValue, unwrapExpression, walkNodes, type CallLike, type FileNodes, type FunctionNode, type Node } from "./ast.js";
import { asyncQueueWorker, type HandoffKind } from "./handoffs.js";
import type { ServerFramework } from "./http.js";
import { enclosingClass, importedCalleeOf, ITERATING_METHODS, objectIteration, type LoadedBy, type Value, type ValueKind } from "./values.js";
import { returnsRetained } from "./streams.js";

/** The queue library a value kind belongs to (`async` is judged in every version). */
export function queueLibraryOfKind(kind: ValueKind): "p-queue" | "p-limit" | undefined {
  return kind === "p-queue" || kind === "p-limit" ? kind : undefined;
}

/** The worker-queue library a value kind is a queue of (`fastq-queue`: fastq), if any. */
export function workerQueueLibraryOfKind(kind: ValueKind): WorkerQueueLibrary | undefined {
  return kind === "fastq-queue" ? "fastq" : kind === "async-queue" ? "async" : undefined;
}

/** A parameter of an exported function reaching a hand-off. */
export interface SummaryHandoff {
  /** The parameter handed over. */
  param: number;
  /** The hand-off runs after the function returns, in a closure it makes (see `ParamHandoff.deferred`). */
  deferred?: boolean;
  /**
   * The hand-off as the helper's module classifies it; absent when it depends on what the caller passes as the
   * receiver (`receiverParam`): then `method`, `argIndex` and `callsReceiver` let the call site classify it.
   */
  kind?: HandoffKind;
  /** `on`, `then`, `push`, `add`, `=`, ...; for a call of the receiver itself (`limit(task)`), `limit`. */
  method: string;
  /** The position of the handed-over value among the hand-off call's arguments. */
  argIndex: number;
  /** The receiver is called itself (`target(task)`): a p-limit limiter when the caller passes one. */
  callsReceiver?: boolean;
  /** An assignment (`target.onmessage = cb`, `target.cb = cb`) rather than a call. */
  assignment?: boolean;
  library?: "p-queue" | "p-limit" | WorkerQueueLibrary | "channel" | "batcher" | "poller";
  /** The parameter is an array of tasks (`queue.addAll(tasks)`), not one task. */
  taskArray?: boolean;
  /** The receiver is this parameter of the exported function. */
  receiverParam?: number;
  /**
   * For a receiver parameter with a default (`signal = shutdown.signal`): that default as the module judges it, the
   * receiver of a call that leaves the argument out.
   */
  receiverDefault?: SummaryReceiver;
  /** A receiver of the helper's own module (not a parameter), as its module judges it. */
  receiver?: SummaryReceiver;
  /** The helper functions on the way, outermost first (names, for messages). */
  via: string[];
  /** Only these properties of the object the caller passes are handed over (see `ParamHandoff.keys`). */
  keys?: string[];
  /** For a batcher's or poller's item: the methods of the object that drain it (`Handoff.drainMethods`). */
  drainMethods?: string[];
  /**
   * The hand-off is made once per element of a collection during one call (`windows.map((w) => queue.push(...))`):
   * the parameter that collection is, or -1 when it is none.
   */
  perElementOf?: number;
}

export interface SummaryReceiver {
  /** Its source text (for messages). */
  text: string;
  /** Made afresh by each call of the helper (created inside its frame): it lives and fires within the call. */
  createdPerCall: boolean;
  /** Held by a module-level binding or a field of `this`: it outlives the call. */
  outlives: boolean;
  /** Its kinds (a limiter, a queue, a runnable: not a callback store). */
  kinds: ValueKind[];
  /**
   * For a queue library's receiver: the helper's module and the package names it loads the library as (`p-limit-5`),
   * so that the installed version is the one that module gets, not the one the calling file would.
   */
  loadedBy?: LoadedBy;
  /** A field of `this` or a variable of the factory that made the helper's object: each object has its own. */
  perObject?: boolean;
  /** For a thenable: its `then` is userland code. */
  userlandThenable?: boolean;
  /** For an assignment to a variable: the function stored there is called somewhere else in the helper's module. */
  calledOutside?: boolean;
  /**
   * For a store of callbacks: the methods (or functions) of its module that run them, when that module only ever
   * calls those directly (`model/drains.ts`). A scope that stores a callback and then calls one runs it itself.
   */
  drainedBy?: string[];
  /**
   * For a store of callbacks whose drains something else also runs (a timer its constructor arms): the methods (or
   * functions) of its module that run them. A scope that stores a callback and calls one at once, with nothing
   * awaited between, in traces that run one at a time, runs its own callback (`drains.ts`, `storeFlushers`).
   */
  flushedBy?: string[];
  /**
   * For a module-level store of callbacks whose only drain is a timer some functions of its module arm (`startPoller()`):
   * those functions. A scope that calls one runs the drain in its own context (`model/drains.ts`).
   */
  drainStartedBy?: string[];
  /**
   * For a module-level store of callbacks whose only drains are listeners its module adds at load to emitters it
   * exports (`gridBus.on("curtailment", (msg) => { for (const h of handlers.get(msg.id) ?? []) h(msg); })`): those
   * emitters' export names and events. An emit on one runs the stored callbacks in the emitting caller's context.
   */
  drainedOnEvents?: { emitter: string; event?: string }[];
  /** The file of the module those functions belong to (a helper of a third module may pass the store on). */
  drainFile?: string;
  /** The storing function calls one of `drainStartedBy` itself: the first call arms the drain, in its own context. */
  storerStartsDrain?: boolean;
  /**
   * For a listener on an object of the module (`shutdown.signal.addEventListener("abort", cb)`): the module's functions
   * that emit, dispatch or abort on it (`beginShutdown` calling `shutdown.abort()`). A scope that adds the listener and
   * then calls one runs it itself, synchronously.
   */
  emittedBy?: string[];
  /** For an `async` or fastq queue: its worker (given to the factory) does traced work, so a data item's runs trace. */
  workerTraces?: boolean;
  /** The least concurrency the queue is made with, when the code spells it (`model/concurrency.ts`). */
  concurrency?: number;
  /** For a store: the storing call arms a timer that runs its own entry, in its own context (`drains.ts`, `runsOwnEntryLater`). */
  runsOwnEntry?: boolean;
  /** For a store: it keeps the callbacks only in records whose function-holding keys its module never reads (`storeNeverRunsValues`). */
  neverRuns?: boolean;
  /** For a store: each stored value is the pending record of the storing call (it holds that call's promise resolver: `storesPendingRecord`). */
  pendingRecord?: boolean;
  /**
   * For a listener added to the object itself (`this.once("ready", cb)` in a method of an emitter class): the class's
   * methods that emit or dispatch on `this`, directly or through its other methods (`start`, `#commit`). The caller's
   * instance decides: made outside the scope, and none of these called on it inside the scope, its event comes from
   * outside (a timer armed at construction, a `start()` at load).
   */
  instanceEmitters?: string[];
}

/** A parameter of an exported function registered as a traced scope. */
export interface SummaryRegistration {
  param: number;
  kind: ScopeKind;
  label: string;
  configParamIndex?: number;
  /** The node's name is this parameter (a literal at the call site names the node in messages). */
  nameParam?: number;
  /** Registered on this parameter (`target.addNode(...)`): the caller must pass a graph builder. */
  receiverParam?: number;
  /**
   * The parameter is an object of functions, each registered under its key (`for (const [name, node] of
   * Object.entries(nodes)) g.addNode(name, node)`): at the call site, every property value of the argument is.
   */
  eachValue?: boolean;
}

/** A parameter of an exported function given to a server as a request handler. */
export interface SummaryServerHandler {
  param: number;
  framework: ServerFramework;
  route?: string;
}

/** What an exported function does with its parameters, as plain data. */
export interface FunctionSummary {
  handoffs: SummaryHandoff[];
  registrations: SummaryRegistration[];
  serverHandlers: SummaryServerHandler[];
  /** Whether every return gives back a server made during the call (`http.createServer(...)`), not yet listening. */
  returnsServer?: boolean;
  /** The keys of a returned object that hold such a server (`return { server, routes }`). */
  returnsServerAt?: string[];
  /** Whether the function starts a server (`server.listen(...)` on one it made): its connections keep the caller's context. */
  startsServer?: boolean;
  /**
   * For a function that returns an async / fastq queue it makes (`queueFor(section, worker)`, kept per key): the
   * parameters its worker is or calls, and whether the worker does traced work of its own.
   */
  returnsQueueWorker?: QueueWorkerFacts;
  /** For such a function: the least concurrency the queues it returns are made with, when the code spells it. */
  returnsQueueConcurrency?: number;
  /** The parameter the function calls `listen` on (`listen(server)` doing `server.listen(0, ...)`), if any. */
  listensOnParam?: number;
  /** The kinds of the values it returns (known kinds only). */
  returns: ValueKind[];
  /**
   * Whether what it returns may outlive the call: a value some return statement gives back that was not created
   * during the call (a module-level queue kept in a `Map`, a singleton). A caller's provenance asks this.
   */
  returnsShared?: boolean;
  /** When it returns a queue or limiter: where that was made (this module). */
  returnsLoadedBy?: LoadedBy;
  /**
   * Whether it returns an array of tasks it made during the call that start traced runs (closures, or partial
   * applications of traceables: `images.map((image) => caption.bind(null, image))`): the caller's work, to be bound
   * where the caller hands them on.
   */
  returnsTracedTasks?: boolean;
  /**
   * Whether what it returns is a userland thenable whose `then` keeps the callbacks it is given for later (in a field
   * of the thenable, or a store of the module) instead of calling them: whoever settles it runs them, in its own
   * async context. An `async` function returns a native promise: never.
   */
  returnsKeepingThenable?: boolean;
  /**
   * The parameters a Node stream it returns calls in its write side (`new Transform({ transform(c, e, cb) {
   * redact(c)... } })` for `redactingStream(redact)`): they run in the context of whoever writes to the stream.
   */
  streamCallsParams?: number[];
  /**
   * Whether every return gives back an object it made and also keeps in storage of its module (`channels.set(id,
   * out); return out`): whoever reads that storage drives it.
   */
  returnsRetained?: boolean;
  /** Whether every return gives back `this` (a fluent method: `new Host().use(plugin)` is the instance). */
  returnsThis?: boolean;
  /**
   * Whether every return gives back an `EventEmitterAsyncResource` made during the call: its listeners run in the
   * caller's context, whoever emits.
   */
  returnsPinningEmitter?: boolean;
  /**
   * The parameter whose class every return makes during the call (`new Emitter(...)` of `(id, Emitter =
   * EventEmitter)`): what the caller passes there (or its default) decides what the caller gets.
   */
  returnsNewOfParam?: number;
  /**
   * For a function that returns an emitter or signal kept in module-level storage (`embargoes.get(slug).signal`):
   * the module's functions that emit on, or abort, what that storage holds (`lift(slug)`).
   */
  returnsEmittedBy?: string[];
  /**
   * Whether every return gives back a plain `EventEmitter` made during the call: its listeners run in the context of
   * whoever emits, so a caller that adds one and hands the emitter on detaches it from its trace.
   */
  returnsPlainEmitter?: boolean;
  /**
   * Whether every return gives back the signal of an `AbortController` made during the call that only the call's own
   * code aborts (a timer it arms: `setTimeout(() => controller.abort(), ms)`): its listeners run in the caller's
   * context.
   */
  returnsCallScopedSignal?: boolean;
  /** When every return is `new C(...)` of a class this module exports as `C` (a static factory): that export. */
  returnsInstanceOf?: string;
  /** For a method: whether it emits or dispatches on `this`, directly or through the class's other methods (`flush()`). */
  emitsOnThis?: boolean;
  /**
   * The parameters it emits on, or writes to (`write` / `end` / `push`), during the call or from a timer it arms
   * (`feedReadings(stream, readings)`): a listener its caller added to that object runs in the caller's context,
   * when the object dispatches to its own listeners (an emitter, a loopback stream; `writes` says which calls).
   */
  feedsParams?: { param: number; writes: boolean }[];
  /** Whether every return gives back a loopback stream made during the call (`new PassThrough(...)`). */
  returnsLoopbackStream?: boolean;
  /**
   * For a factory whose returned function is a hand-written batcher or debouncer (it collects its first argument and
   * arms a timer that drains the collection): the factory's parameters the drain calls, and whether the drain does
   * traced work of its own (`handoffs.ts`, `batcherFacts`).
   */
  batcher?: BatcherDrain & { key?: string };
  /**
   * For a factory that returns its parameter debounced by a package (`return debounce(fn, ms)`): that parameter's
   * index. The debounced function arms its timer in the context of the first call of a wait (`handoffs.ts`).
   */
  debounces?: number;
  /** The `for await` loops it runs over a channel it is given, or over `events.on` of an emitter its module exports (`handoffs.ts`, `consumerFacts`). */
  channelConsumers?: ChannelConsumer[];
  /**
   * The calls of its own parameters it makes in its body (`handOver(target, a, b)` doing `return target(a, b)`): the
   * caller's function runs with the caller's other arguments, so what that function hands over, the call hands over.
   */
  callsParams?: ParamCall[];
}

/** A call of parameter `param` in a function's body, passing at each position the parameter of that index (or null for anything else). */
export interface ParamCall {
  param: number;
  args: (number | null)[];
}

/** The project index as the call site sees it: the summary of `name` exported by `module`. */
export type SummaryLookup = (module: string, name: string) => FunctionSummary | undefined;

/** A call of a function imported from a project module, with that function's summary. */
export interface ImportedCall {
  module: string;
  name: string;
  /** The name the call uses (for messages). */
  localName: string;
  summary: FunctionSummary;
}

/** The parts of a module's model that a summary is computed from (the `JsModel` facade satisfies it). */
export interface SummaryModel {
  text: string;
  readonly ast: TSESTree.Program;
  filename: string;
  cwd: string;
  apis: { packagesLoadedAs(pkg: string): string[]; resolveApi(expr: Node | undefined | null): { module: string; name: string } | undefined };
  nodes: FileNodes;
  calls: CallLike[];
  exportedValue(name: string): { node: Node } | { module: string; name: string } | undefined;
  exportedFunction(name: string): FunctionNode | undefined;
  valuesOf(expr: Node | undefined | null): Value[];
  variableOf(id: TSESTree.Identifier): unknown;
  valueKinds(expr: Node | undefined | null): ValueKind[];
  queueConcurrency(owner: Node, library: "p-queue" | "p-limit" | "async" | "fastq"): number | undefined;
  isCreatedInside(expr: Node, fn: FunctionNode): boolean;
  callsWithin(node: Node): CallLike[];
  bindings: import("./drains.js").OwnEntryModel["bindings"];
  handoffs: {
    summaryOf(fn: FunctionNode): Map<number, { handoff: { kind: HandoffKind; site: Node; method: string; receiver?: Node; library?: SummaryHandoff["library"]; taskArray?: Node; loadedBy?: SummaryReceiver["loadedBy"]; drainMethods?: string[] }; receiverParam?: number; via: FunctionNode[]; imported?: { via: string[]; receiver?: SummaryReceiver }; elements?: boolean; deferred?: boolean; keys?: string[] }[]>;
    paramsIn(expr: Node, fn: FunctionNode, depth: number): number[];
    paramIndexOf(identifier: Node | undefined, fn: FunctionNode): number | undefined;
    localCallees(call: CallLike): FunctionNode[];
    batcherFacts(factory: FunctionNode): FunctionSummary["batcher"];
    debounces(factory: FunctionNode): number | undefined;
    consumerFacts(fn: FunctionNode, exportedAs: (variable: unknown) => string | undefined): ChannelConsumer[];
    /** A function's name for messages (its variable's, its method key, its own name). */
    nameOf(fn: FunctionNode): string;
  };
  scopes: { registrationTargets(): readonly { target: Node; kind: ScopeKind; label: string; configParamIndex?: number }[] };
  http: { serverKind(expr: Node): ServerFramework | undefined };
  values: {
    functionVariable(fn: FunctionNode): { name: string; references: readonly { identifier: unknown }[] } | undefined;
    propertyValues(objects: Value[], key: string, member: undefined, depth: number): Value[];
    importedCall(call: CallLike): ImportedCall | undefined;
    elementValues(arrays: Value[], depth: number): Value[];
  };
  work: { functionDoesTracedWork(fn: FunctionNode): boolean };
  streams: { paramsCalledByReturnedStream(fn: FunctionNode, returns: readonly Node[]): number[] };
  rootVariable(expr: Node): { defs: readonly { type: string }[]; references: readonly { identifier: unknown }[] } | undefined;
  initializerOf(variable: NonNullable<ReturnType<SummaryModel["rootVariable"]>>): Node | undefined;
  callbackDoesTracedWork(expr: Node): boolean;
  tracedScopeOf(fn: FunctionNode): unknown;
  project?: { importSummary(module: string, name: string): FunctionSummary | undefined };
}

const SUMMARY_DEPTH = 3;
const FOR_AWAIT = /\bfor\s+await\b/;

/** The name this module exports a module-level binding under (`export const bus = ...`, `export { bus as events }`). */
function exportNameOfBinding(variable: unknown): string | undefined {
  const v = variable as { name: string; defs: readonly { node: Node; parent?: Node | null }[] };
  const declarator = v.defs[0]?.node;
  if (declarator?.parent?.parent?.type === "ExportNamedDeclaration") return v.name;
  let program: Node | undefined = declarator;
  while (program?.parent) program = program.parent;
  if (!program || program.type !== "Program") return undefined;
  for (const statement of program.body) {
    // CommonJS: `module.exports = { gridBus, ... }` (also `{ events: gridBus }`).
    if (statement.type === "ExpressionStatement" && statement.expression.type === "AssignmentExpression" && statement.expression.right.type === "ObjectExpression") {
      const left = statement.expression.left;
      const isModuleExports = left.type === "MemberExpression" && left.object.type === "Identifier" && left.object.name === "module" && memberName(left) === "exports";
      const property = isModuleExports ? statement.expression.right.properties.find((p) => p.type === "Property" && p.value.type === "Identifier" && p.value.name === v.name) : undefined;
      const key = property && property.type === "Property" ? propertyKey(property) : undefined;
      if (key) return key;
    }
    if (statement.type !== "ExportNamedDeclaration" || statement.source) continue;
    for (const specifier of statement.specifiers) {
      if (specifier.local.type === "Identifier" && specifier.local.name === v.name) return specifier.exported.type === "Identifier" ? specifier.exported.name : String(specifier.exported.value);
    }
  }
  return undefined;
}
const EXPRESS_METHODS = new Set(["get", "post", "put", "patch", "delete", "all", "use", "options", "head"]);

/**
 * How a facet of a summary is computed when it is first read: `compute` runs with the project index's nesting bound
 * (a facet may ask other modules' summaries in turn); `fallback` is the answer when the bound is reached, or while
 * the same facet is being computed (a cycle through other modules), and is not kept.
 */
export type FacetGuard = <T>(compute: () => T, fallback: T) => { value: T; complete: boolean };

/**
 * The summary of the function `model`'s module exports under `name` (one re-export hop followed), or undefined.
 *
 * Each part of it (`handoffs`, `registrations`, `returns`, ...) is computed when a caller first reads it, and kept:
 * a scope's registration question needs only `registrations`, a queue's kind only `returns`, so the other parts of
 * another module's function are never computed for it. `modelOf` gives the module's model when a part is computed
 * (the project index may have dropped the one `model` is, to bound memory: a later part rebuilds one).
 */
export function summarizeExport(model: SummaryModel, name: string, modelOf: () => SummaryModel = () => model, guard: FacetGuard = (compute) => ({ value: compute(), complete: true })): FunctionSummary | undefined {
  const exported = model.exportedValue(name);
  if (!exported) return undefined;
  if (!("node" in exported)) return model.project?.importSummary(exported.module, exported.name);
  if (!model.exportedFunction(name)) return constructorSummary(model, exported.node, modelOf, guard);
  const at = <T>(compute: (model: SummaryModel, fn: FunctionNode) => T) => () => {
    const current = modelOf();
    return compute(current, current.exportedFunction(name)!);
  };
  const returnsOf = (m: SummaryModel, fn: FunctionNode) => m.nodes.returns.get(fn) ?? [];
  const summary = {} as FunctionSummary;
  lazyFacets(summary, guard, {
    handoffs: [at((m, fn) => [...concreteHandoffs(m, fn), ...receiverParamHandoffs(m, fn, 0)]), []],
    registrations: [at(registrations), []],
    serverHandlers: [at(serverHandlers), []],
    returnsServer: [at((m, fn) => (returnsOf(m, fn).length > 0 && returnsOf(m, fn).every((r) => madeServer(m, r)) ? true : undefined)), undefined],
    returnsServerAt: [at((m, fn) => {
      const keys = returnsOf(m, fn).flatMap((r) => m.valuesOf(r)).flatMap((v) => (v.type === "object" ? v.node.properties : [])).flatMap((p) => (p.type === "Property" && madeServer(m, p.value as Node) ? [propertyKey(p) ?? ""] : [])).filter((k) => k !== "");
      return keys.length > 0 ? [...new Set(keys)] : undefined;
    }), undefined],
    startsServer: [at((m, fn) => (nodesWithin(m.nodes.calls, fn).some((call) => listensOnMadeServer(m, call)) ? true : undefined)), undefined],
    listensOnParam: [at((m, fn) => listensOnParam(m, fn)), undefined],
    returnsQueueWorker: [at((m, fn) => returnedQueueWorkerFacts(m, fn, returnsOf(m, fn))), undefined],
    returnsQueueConcurrency: [at((m, fn) => returnedQueueConcurrency(m, returnsOf(m, fn))), undefined],
    returns: [at(returnKinds), []],
    returnsLoadedBy: [at((m, fn) => returnsLoadedBy(m, summary.returns).returnsLoadedBy), undefined],
    returnsShared: [at((m, fn) => returnsOf(m, fn).some((r) => !m.isCreatedInside(r, fn))), false],
    returnsTracedTasks: [at((m, fn) => returnsOf(m, fn).some((r) => returnsTracedTasks(m, r, fn))), false],
    emitsOnThis: [at((m, fn) => methodEmitsOnThis(fn)), undefined],
    feedsParams: [at(feedsParams), undefined],
    returnsLoopbackStream: [at((m, fn) => (returnsOf(m, fn).length > 0 && returnsOf(m, fn).every((r) => m.valuesOf(r).length > 0 && m.valuesOf(r).every((v) => v.type === "new" && isLoopbackStream(m, v.node) && contains(fn, v.node))) ? true : undefined)), undefined],
    returnsInstanceOf: [at((m, fn) => returnedInstanceExport(m, returnsOf(m, fn))), undefined],
    returnsPinningEmitter: [at((m, fn) => (returnsOf(m, fn).length > 0 && returnsOf(m, fn).every((r) => m.valuesOf(r).length > 0 && m.valuesOf(r).every((v) => v.type === "new" && isPinningEmitter(m, v.node) && contains(fn, v.node))) ? true : undefined)), undefined],
    returnsNewOfParam: [at((m, fn) => returnsNewOfParam(m, fn, returnsOf(m, fn))), undefined],
    returnsPlainEmitter: [at((m, fn) => (returnsOf(m, fn).length > 0 && returnsOf(m, fn).every((r) => m.valuesOf(r).length > 0 && m.valuesOf(r).every((v) => v.type === "new" && isPlainEmitter(m, v.node) && contains(fn, v.node))) ? true : undefined)), undefined],
    returnsEmittedBy: [at((m, fn) => returnsEmittedBy(m, fn, returnsOf(m, fn))), undefined],
    returnsCallScopedSignal: [at((m, fn) => (returnsOf(m, fn).length > 0 && returnsOf(m, fn).every((r) => callScopedSignal(m, r, fn)) ? true : undefined)), undefined],
    streamCallsParams: [at((m, fn) => { const found = /\bstream\b/.test(m.text) ? m.streams.paramsCalledByReturnedStream(fn, returnsOf(m, fn)) : []; return found.length > 0 ? found : undefined; }), undefined],
    returnsRetained: [at((m, fn) => (returnsRetained(m, fn, returnsOf(m, fn)) ? true : undefined)), undefined],
    returnsThis: [at((m, fn) => (!fn.async && returnsOf(m, fn).length > 0 && returnsOf(m, fn).every((r) => unwrapExpression(r).type === "ThisExpression") ? true : undefined)), undefined],
    returnsKeepingThenable: [at((m, fn) => (!fn.async && returnsOf(m, fn).some((r) => thenKeepsCallbacks(m, r)) ? true : undefined)), undefined],
    batcher: [at((m, fn) => m.handoffs.batcherFacts(fn)), undefined],
    debounces: [at((m, fn) => m.handoffs.debounces(fn)), undefined],
    channelConsumers: [at((m, fn) => (FOR_AWAIT.test(m.text) ? m.handoffs.consumerFacts(fn, exportNameOfBinding) : [])), []],
    callsParams: [at(paramCalls), undefined],
  });
  return summary;
}

/**
 * For an exported class with a constructor: what `new` of it does with its arguments, as far as consumers go (a
 * worker whose constructor polls the queue it is given: `channelConsumers`). The other facets are empty.
 */
function constructorSummary(model: SummaryModel, node: Node, modelOf: () => SummaryModel, guard: FacetGuard): FunctionSummary | undefined {
  const cls = unwrapExpression(node);
  if (cls.type !== "ClassDeclaration" && cls.type !== "ClassExpression") return undefined;
  const ctor = cls.body.body.find((m): m is TSESTree.MethodDefinition => m.type === "MethodDefinition" && m.kind === "constructor");
  if (!ctor || !/\bset(?:Interval|Timeout)\b/.test(model.text.slice(ctor.range[0], ctor.range[1]))) return undefined;
  const start = ctor.range[0];
  const summary: FunctionSummary = { handoffs: [], registrations: [], serverHandlers: [], returns: [] } as unknown as FunctionSummary;
  lazyFacets(summary as { channelConsumers?: ChannelConsumer[] }, guard, {
    channelConsumers: [
      () => {
        // The module's model may have been rebuilt: find the constructor again by its position.
        const current = modelOf();
        const fn = current.nodes.functions.find((f) => f.parent?.type === "MethodDefinition" && f.parent.kind === "constructor" && f.parent.range[0] === start);
        return fn ? current.handoffs.consumerFacts(fn, exportNameOfBinding) : [];
      },
      [],
    ],
  });
  return summary;
}

/** Defines each facet of `target` as a getter that computes it once (see {@link summarizeExport}). */
function lazyFacets<T extends object>(target: T, guard: FacetGuard, facets: { [K in keyof T]-?: [() => T[K], T[K]] }): void {
  for (const key of Object.keys(facets) as (keyof T)[]) {
    const [compute, fallback] = facets[key];
    let computing = false;
    Object.defineProperty(target, key, {
      enumerable: true,
      configurable: true,
      get() {
        if (computing) return fallback;
        computing = true;
        let result: { value: T[typeof key]; complete: boolean };
        try {
          result = guard(compute, fallback);
        } catch (error) {
          if (process.env.TRACE_NESTING_DEBUG) console.error(error);
          result = { value: fallback, complete: true }; // a module we cannot analyse tells us nothing
        } finally {
          computing = false;
        }
        if (result.complete) Object.defineProperty(target, key, { value: result.value, enumerable: true, writable: false, configurable: false });
        return result.value;
      },
    });
  }
}

/**
 * Whether a returned array holds tasks made during the call that start traced runs: partial applications of
 * traceables (`caption.bind(null, image)`) or closures that do traced work, written in `fn`.
 */
function returnsTracedTasks(model: SummaryModel, returned: Node, fn: FunctionNode): boolean {
  const arrays = model.valuesOf(returned).filter((v) => v.type === "array" || v.type === "call");
  if (arrays.length === 0) return false;
  return model.values.elementValues(arrays, 0).some((v) => {
    if (v.type === "bound") return contains(fn, v.node);
    return v.type === "function" && v.fn !== fn && contains(fn, v.fn) && model.work.functionDoesTracedWork(v.fn);
  });
}

/** For a function returning a queue or limiter of this module's making: where it was made. */
function returnsLoadedBy(model: SummaryModel, returns: ValueKind[]): { returnsLoadedBy?: LoadedBy } {
  const library = returns.map(queueLibraryOfKind).find((l) => l !== undefined);
  return library ? { returnsLoadedBy: { file: model.filename, packages: model.apis.packagesLoadedAs(library) } } : {};
}

/**
 * Whether the values `expr` may hold have a userland `then` that keeps its callbacks (`onFulfilled`, `onRejected`)
 * in a store that outlives the `then` call: a field of the thenable (`this.#callbacks.push(cb)`) or a module-level
 * collection, variable or emitter.
 */
export function thenKeepsCallbacks(model: Pick<SummaryModel, "valuesOf" | "isCreatedInside" | "rootVariable" | "handoffs" | "values">, expr: Node): boolean {
  const thens = model.values.propertyValues(model.valuesOf(expr), "then", undefined, 0).flatMap((v) => (v.type === "function" ? [v.fn] : []));
  return thens.some((then) => thenMethodKeepsCallbacks(model, then));
}

/** Whether a `then` function keeps the callbacks it is given in storage that outlives the call (see {@link thenKeepsCallbacks}). */
export function thenMethodKeepsCallbacks(model: Pick<SummaryModel, "valuesOf" | "isCreatedInside" | "rootVariable" | "handoffs" | "values">, then: FunctionNode): boolean {
  return (
    [0, 1].some((index) =>
      (model.handoffs.summaryOf(then).get(index) ?? []).some((entry) => {
        const handoff = entry.handoff;
        if (entry.receiverParam !== undefined || !handoff.receiver || !["stored", "assigned", "listener", "handler"].includes(handoff.kind)) return false;
        const frame = entry.via.length > 0 ? entry.via[entry.via.length - 1] : then;
        if (model.isCreatedInside(handoff.receiver, frame)) return false;
        const root = model.rootVariable(handoff.receiver);
        return rootedAtThis(unwrapExpression(handoff.receiver)) || (!!root && root.defs[0]?.type !== "Parameter");
      }),
    )
  );
}

const EMIT_METHODS = new Set(["emit", "dispatchEvent"]);

const emittersOfClass = new WeakMap<Node, Map<string, string[]>>();

/**
 * The methods of a class that emit or dispatch on `this` (or, with `field`, on the emitter its instances keep there:
 * `this.#bus.emit(...)`), directly or by calling another such method on `this`.
 */
function instanceEmitters(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, field = ""): string[] {
  let perField = emittersOfClass.get(cls);
  if (!perField) emittersOfClass.set(cls, (perField = new Map()));
  let known = perField.get(field);
  if (!known) perField.set(field, (known = computeInstanceEmitters(cls, field)));
  return known;
}

function computeInstanceEmitters(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, field: string): string[] {
  const methods = new Map<string, Node>();
  for (const member of cls.body.body) {
    if ((member.type === "MethodDefinition" || member.type === "PropertyDefinition") && member.value && !member.static) {
      const key = classMemberKey(member);
      if (key && key !== "constructor" && (member.type === "MethodDefinition" || isFunctionNode(member.value as Node))) methods.set(key, member.value as Node);
    }
  }
  const callsOnThis = new Map<string, Set<string>>();
  for (const [key, body] of methods) {
    const called = new Set<string>();
    walkNodes(body, (node) => {
      if (node.type !== "CallExpression") return;
      const callee = unwrapExpression(node.callee);
      if (callee.type !== "MemberExpression") return;
      const object = unwrapExpression(callee.object);
      const name = memberName(callee);
      if (!name) return;
      if (object.type === "ThisExpression") {
        // Another method of `this`; with a field, `this.emit(...)` is not an emit on the field's emitter.
        if (!field || !EMIT_METHODS.has(name)) called.add(name);
      } else if (field && object.type === "MemberExpression" && unwrapExpression(object.object).type === "ThisExpression" && memberName(object) === field && EMIT_METHODS.has(name)) {
        called.add(name);
      }
    });
    callsOnThis.set(key, called);
  }
  const emitters = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [key, called] of callsOnThis) {
      if (emitters.has(key)) continue;
      if ([...called].some((name) => EMIT_METHODS.has(name) || emitters.has(name))) {
        emitters.add(key);
        changed = true;
      }
    }
  }
  return [...emitters].sort();
}

function returnedInstanceExport(model: SummaryModel, returned: Node[]): string | undefined {
  const names = new Set<string>();
  for (const node of returned) {
    let made = unwrapExpression(node);
    // A singleton made on first use: `return (C.#instance ??= new C())`, `instance || (instance = new C())`.
    if (made.type === "AssignmentExpression" && (made.operator === "??=" || made.operator === "||=" || made.operator === "=")) made = unwrapExpression(made.right);
    else if (made.type === "LogicalExpression" && made.operator !== "&&") {
      const right = unwrapExpression(made.right);
      made = right.type === "AssignmentExpression" && right.operator === "=" ? unwrapExpression(right.right) : right;
    }
    // An instance cached in a map the module fills with `new C(...)` (`return C.#byKey.get(key)` after
    // `C.#byKey.set(key, new C(opts))`).
    if (made.type === "CallExpression" && calleeMethodName(made) === "get") made = cachedInstance(model, made) ?? made;
    if (made.type !== "NewExpression" || made.callee.type !== "Identifier") return undefined;
    names.add(made.callee.name);
  }
  const [name] = names;
  return names.size === 1 && model.exportedValue(name) ? name : undefined;
}

/**
 * `controller.signal` with `controller` a local of `fn` made by `new AbortController()`, where every `abort()` call of
 * the module is on that local and inside `fn` (in its body, or in a callback it arms, which runs in its caller's
 * context).
 */
function callScopedSignal(model: SummaryModel, returned: Node, fn: FunctionNode): boolean {
  const read = unwrapExpression(returned);
  if (read.type !== "MemberExpression" || memberName(read) !== "signal") return false;
  const owner = unwrapExpression(read.object);
  if (owner.type !== "Identifier") return false;
  const variable = model.variableOf(owner);
  const made = model.valuesOf(owner);
  if (!variable || made.length !== 1 || made[0].type !== "new" || !contains(fn, made[0].node) || !isGlobalNew(model, made[0].node, "AbortController")) return false;
  const aborts = model.nodes.calls.filter((c) => c.type === "CallExpression" && unwrapExpression(c.callee).type === "MemberExpression" && memberName(unwrapExpression(c.callee) as TSESTree.MemberExpression) === "abort");
  return aborts.every((c) => {
    const object = unwrapExpression((unwrapExpression(c.callee) as TSESTree.MemberExpression).object);
    return object.type === "Identifier" && model.variableOf(object) === variable && contains(fn, c);
  });
}

/** For `map.get(key)`: the `new C(...)` the module puts in that map (every `map.set(_, value)` of the same text), when one. */
function cachedInstance(model: SummaryModel, get: TSESTree.CallExpression): Node | undefined {
  const map = unwrapExpression((unwrapExpression(get.callee) as TSESTree.MemberExpression).object);
  const text = model.text.slice(map.range[0], map.range[1]);
  const made: Node[] = [];
  for (const call of model.nodes.calls) {
    if (call.type !== "CallExpression" || calleeMethodName(call) !== "set") continue;
    const owner = unwrapExpression((unwrapExpression(call.callee) as TSESTree.MemberExpression).object);
    if (model.text.slice(owner.range[0], owner.range[1]) !== text) continue;
    const value = call.arguments[1] ? unwrapExpression(call.arguments[1]) : undefined;
    if (!value || value.type !== "NewExpression") return undefined;
    made.push(value);
  }
  return made.length === 1 ? made[0] : undefined;
}

/**
 * A `BroadcastChannel` made in `fn` (kept in a module-level set for closing, perhaps): its `message` events are
 * dispatched by the runtime in the context the channel was made in, whoever posts to the channel's name.
 */
function platformChannelMadeIn(model: SummaryModel, receiver: Node, fn: FunctionNode): boolean {
  const values = model.valuesOf(receiver);
  return values.length === 1 && values[0].type === "new" && contains(fn, values[0].node) && isGlobalNew(model, values[0].node, "BroadcastChannel");
}

/** `new Name(...)` of the global class `Name` (not a binding of the module's own). */
function isGlobalNew(model: SummaryModel, made: Node, name: string): boolean {
  if (made.type !== "NewExpression") return false;
  const callee = unwrapExpression(made.callee);
  if (callee.type !== "Identifier" || callee.name !== name) return false;
  const binding = model.variableOf(callee) as { defs: readonly unknown[] } | undefined;
  return !binding || binding.defs.length === 0;
}

/** The parameter every return's `new` is of (`return new Emitter(...)`, `Emitter` a parameter), made during the call. */
function returnsNewOfParam(m: SummaryModel, fn: FunctionNode, returns: Node[]): number | undefined {
  let index: number | undefined;
  for (const r of returns) {
    const values = m.valuesOf(r);
    if (values.length !== 1 || values[0].type !== "new" || !contains(fn, values[0].node)) return undefined;
    const param = m.handoffs.paramIndexOf(unwrapExpression((values[0].node as TSESTree.NewExpression).callee), fn);
    if (param === undefined || (index !== undefined && index !== param)) return undefined;
    index = param;
  }
  return index;
}

/** `new EventEmitterAsyncResource(...)` of `node:events`. */
export function isPinningEmitter(model: Pick<SummaryModel, "apis" | "valuesOf"> & { importFacts?(value: Extract<Value, { type: "import" }>): { instancesPinListeners?: boolean } | undefined }, made: Node): boolean {
  if (made.type !== "NewExpression") return false;
  return isPinningEmitterClass(model, made.callee);
}

/** The members of `this` a class's own methods call (`this.onComplete?.(result)`, `this.handler(x)`), not its methods. */
export function fieldsCalledByClass(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): string[] {
  return [...fieldCalls(cls).keys()].sort();
}

/**
 * For each field a class's own code calls, the methods (not the constructor) in whose call the field runs: in the
 * method's body (an `async run()` loop) or in a timer it arms; null when some call runs elsewhere.
 */
export function fieldCallersOfClass(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): Record<string, string[] | null> {
  const out: Record<string, string[] | null> = {};
  for (const [field, calls] of fieldCalls(cls)) {
    const methods = new Set<string>();
    for (const call of calls) {
      let method: FunctionNode | undefined = enclosingFunction(call);
      while (method && method.parent?.type !== "MethodDefinition") method = enclosingFunction(method);
      const definition = method?.parent as TSESTree.MethodDefinition | undefined;
      const key = definition ? classMemberKey(definition) : undefined;
      if (!method || !definition || definition.kind !== "method" || definition.static || enclosingClass(definition) !== cls || !key || !runsInCallContext(call, method, true)) {
        methods.clear();
        break;
      }
      methods.add(key);
    }
    out[field] = methods.size > 0 ? [...methods].sort() : null;
  }
  return out;
}

/** The calls a class's own code makes of each of its fields that is not a method (see {@link fieldsCalledByClass}). */
function fieldCalls(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): Map<string, TSESTree.CallExpression[]> {
  const methods = new Set(cls.body.body.flatMap((m) => (m.type === "MethodDefinition" ? [classMemberKey(m)] : [])));
  const out = new Map<string, TSESTree.CallExpression[]>();
  const field = (node: Node): string | undefined => {
    const n = unwrapExpression(node);
    return n.type === "MemberExpression" && unwrapExpression(n.object).type === "ThisExpression" && enclosingClass(n) === cls ? memberName(n) : undefined;
  };
  // Fields read into a local first (`const done = this.onComplete; ... done(text)`, `const { onTick } = this`).
  const aliases = new Map<string, { name: string; within: Node }[]>();
  walkNodes(cls.body, (node) => {
    if (node.type !== "VariableDeclarator" || !node.init) return;
    const within = enclosingFunction(node);
    if (!within) return;
    const read = (local: string, name: string | undefined) => name && (aliases.get(local) ?? aliases.set(local, []).get(local)!).push({ name, within });
    if (node.id.type === "Identifier") read(node.id.name, field(node.init));
    else if (node.id.type === "ObjectPattern" && unwrapExpression(node.init).type === "ThisExpression" && enclosingClass(node) === cls) {
      for (const p of node.id.properties) if (p.type === "Property" && p.value.type === "Identifier") read(p.value.name, propertyKey(p));
    }
  });
  walkNodes(cls.body, (node) => {
    if (node.type !== "CallExpression") return;
    let callee = unwrapExpression(node.callee);
    // `this.onDone.call(this, result)`: the field is what runs.
    if (callee.type === "MemberExpression" && (memberName(callee) === "call" || memberName(callee) === "apply")) callee = unwrapExpression(callee.object);
    const name = callee.type === "Identifier" ? aliases.get(callee.name)?.find((a) => contains(a.within, node))?.name : field(callee);
    if (name && !methods.has(name)) (out.get(name) ?? out.set(name, []).get(name)!).push(node);
  });
  return out;
}

/** Whether a class (`class Session extends EventEmitterAsyncResource`) makes instances that pin their listeners. */
export function classPinsListeners(model: Pick<SummaryModel, "apis" | "valuesOf">, cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
  return !!cls.superClass && isPinningEmitterClass(model, cls.superClass);
}

/**
 * The class itself, a class of this file that extends it, or one another project module exports that does
 * (`import { ReviewSession } from "./sessions"`, as that module's facts say).
 */
export function isPinningEmitterClass(model: Pick<SummaryModel, "apis" | "valuesOf"> & { importFacts?(value: Extract<Value, { type: "import" }>): { instancesPinListeners?: boolean } | undefined }, start: Node): boolean {
  let cls: Node | null | undefined = start;
  for (let depth = 0; cls && depth < 4; depth++) {
    const values = model.valuesOf(cls);
    const imported = values.length === 1 && values[0].type === "import" ? values[0] : undefined;
    if (imported) return model.importFacts?.(imported)?.instancesPinListeners === true;
    const api = model.apis.resolveApi(cls);
    if (api) return /^(node:)?events$/.test(api.module) && api.name === "EventEmitterAsyncResource";
    const local: Value | undefined = values.find((v) => v.type === "class");
    cls = local && local.type === "class" ? local.node.superClass : undefined;
  }
  return false;
}

/** A server object made by Node's `createServer` (`node:http`, `https`, `http2`, `net`, `tls`). */
/** What telling a server apart needs of a model. */
type ServerModel = Pick<SummaryModel, "apis" | "valuesOf"> & { bindings: Pick<SummaryModel["bindings"], "variableOf" | "isGlobal"> };

export function madeServer(model: ServerModel, expr: Node): boolean {
  return model.valuesOf(expr).some((v) => {
    if (v.type !== "call") return false;
    const api = model.apis.resolveApi(v.node.callee);
    if (!api || !/^(node:)?(https?|http2|net|tls)$/.test(api.module) || !/^create(Secure)?Server$/.test(api.name)) return false;
    return !(/^(node:)?(net|tls)$/.test(api.module) && servesOnSocketEvents(v.node)) && !servesOnlyBuiltins(model, v.node);
  });
}

/** Globals whose calls run nothing of the program's own (a server's listener calling only these traces nothing). */
const BUILTIN_GLOBALS = new Set(["setTimeout", "setImmediate", "setInterval", "clearTimeout", "clearInterval", "clearImmediate", "queueMicrotask", "JSON", "console", "Math", "Date", "Buffer", "String", "Number", "Boolean", "Object", "Array", "Error", "TypeError", "RangeError", "Promise", "Map", "Set", "URL", "URLSearchParams", "parseInt", "parseFloat", "encodeURIComponent", "decodeURIComponent", "structuredClone"]);

/**
 * A server whose request or connection listener (written inline) calls nothing but methods of what the listener and
 * its inner callbacks are given (`res.end(...)`, `sock.write(...)`) and builtins (`setTimeout`, `JSON.stringify`): a
 * stub or health-check server, whose requests start no runs, whatever context they run in.
 */
function servesOnlyBuiltins(model: ServerModel, create: CallLike): boolean {
  const listener = [...create.arguments].reverse().find((a) => isFunctionNode(a as Node)) as FunctionNode | undefined;
  if (!listener) return false;
  let builtinOnly = true;
  walkNodes(listener.body, (node) => {
    if (!builtinOnly || (node.type !== "CallExpression" && node.type !== "NewExpression")) return;
    const root = rootIdentifier(node.callee);
    if (!root || root.type !== "Identifier") return void (builtinOnly = false);
    // A builtin no declaration of the file shadows.
    if (model.bindings.isGlobal(root)) return void (builtinOnly &&= BUILTIN_GLOBALS.has(root.name));
    // A method of what the listener or one of its inner callbacks is given (`res.end(...)`), not that value called.
    const def = model.bindings.variableOf(root)?.defs[0];
    const given = def?.type === "Parameter" && contains(listener, def.node as Node);
    if (!given || unwrapExpression(node.callee) === root) builtinOnly = false;
  });
  return builtinOnly;
}

/** Methods of a socket that set it up without running anything of the caller's. */
const SOCKET_SETUP = new Set(["on", "once", "addListener", "setEncoding", "setKeepAlive", "setNoDelay", "setTimeout", "pipe", "write", "end", "resume", "pause"]);

/**
 * A `net` / `tls` server whose connection listener only sets up the socket it is given (`sock.on("data", ...)`,
 * `sock.setEncoding(...)`): the work happens in the socket's events, which run outside the context the server was
 * started in (measured: a `data` listener finds no run there, while the connection listener finds the starter's).
 */
function servesOnSocketEvents(create: CallLike): boolean {
  const listener = [...create.arguments].reverse().find((a) => isFunctionNode(a as Node)) as FunctionNode | undefined;
  const socket = listener?.params[0];
  if (!listener || !socket || socket.type !== "Identifier") return false;
  let onlySetup = true;
  walkNodes(listener.body, (node) => {
    if (!onlySetup || node.type !== "CallExpression") return;
    if (!runsInCallContext(node, listener)) return;
    const callee = unwrapExpression(node.callee);
    const object = callee.type === "MemberExpression" ? unwrapExpression(callee.object) : undefined;
    if (!object || object.type !== "Identifier" || object.name !== socket.name || !SOCKET_SETUP.has(memberName(callee as TSESTree.MemberExpression) ?? "")) onlySetup = false;
  });
  return onlySetup;
}

/** What the worker of the queues a function returns does with the function's parameters (see `returnsQueueWorker`). */
export interface QueueWorkerFacts {
  /** The parameters the worker is (`fastq.promise(worker, 1)`) or calls (`async.cargo((items, done) => measure(...))`). */
  params: number[];
  /** The worker does traced work of its own. */
  traces: boolean;
}

/** The worker facts of the async / fastq queues `fn` returns, when it returns one it makes. */
export function returnedQueueWorkerFacts(model: SummaryModel, fn: FunctionNode, returns: readonly Node[]): QueueWorkerFacts | undefined {
  const facts: QueueWorkerFacts = { params: [], traces: false };
  let found = false;
  for (const returned of returns) {
    for (const value of model.valuesOf(returned)) {
      if (value.type !== "call" || value.node.type !== "CallExpression") continue;
      const library = model.valueKinds(value.node).map(workerQueueLibraryOfKind).find(Boolean);
      if (!library) continue;
      const arg = value.node.arguments[workerArgumentIndex(library, value.node.arguments.length)];
      if (!arg || arg.type === "SpreadElement") return undefined;
      found = true;
      const worker = unwrapExpression(arg);
      const direct = model.handoffs.paramIndexOf(worker, fn);
      if (direct !== undefined) {
        if (!facts.params.includes(direct)) facts.params.push(direct);
        continue;
      }
      // A worker written there: the parameters of `fn` it calls, and its own traced work.
      if (!isFunctionNode(worker)) return undefined;
      for (const call of nodesWithin(model.nodes.calls, worker)) {
        const index = model.handoffs.paramIndexOf(unwrapExpression(call.callee), fn);
        if (index !== undefined && !facts.params.includes(index)) facts.params.push(index);
      }
      facts.traces ||= model.work.functionDoesTracedWork(worker);
    }
  }
  return found ? facts : undefined;
}

/** The least concurrency of the queues a function returns (p-limit, p-queue, async, fastq), when every one spells it. */
function returnedQueueConcurrency(model: SummaryModel, returns: readonly Node[]): number | undefined {
  let least: number | undefined;
  for (const returned of returns) {
    const library = model.valueKinds(returned).map((kind) => workerQueueLibraryOfKind(kind) ?? queueLibraryOfKind(kind)).find(Boolean);
    const found = library ? model.queueConcurrency(returned, library) : undefined;
    if (found === undefined) return undefined;
    least = least === undefined ? found : Math.min(least, found);
  }
  return least;
}

/** The calls of `fn`'s own parameters in its body that pass some of its other parameters on (see `FunctionSummary.callsParams`). */
export function paramCalls(model: Pick<SummaryModel, "nodes" | "handoffs">, fn: FunctionNode): ParamCall[] | undefined {
  const out: ParamCall[] = [];
  for (const call of nodesWithin(model.nodes.calls, fn)) {
    if (call.type !== "CallExpression" || !runsInBody(call, fn)) continue;
    const param = model.handoffs.paramIndexOf(unwrapExpression(call.callee), fn);
    if (param === undefined) continue;
    const args = call.arguments.map((a) => (a.type === "SpreadElement" ? null : (model.handoffs.paramIndexOf(unwrapExpression(a), fn) ?? null)));
    if (args.some((a) => a !== null)) out.push({ param, args });
  }
  return out.length > 0 ? out : undefined;
}

/** The parameter of `fn` it calls `listen(...)` on, in its own call (also inside a `new Promise` executor). */
export function listensOnParam(model: Pick<SummaryModel, "nodes" | "handoffs">, fn: FunctionNode): number | undefined {
  for (const call of nodesWithin(model.nodes.calls, fn)) {
    const callee = unwrapExpression(call.callee);
    if (call.type !== "CallExpression" || callee.type !== "MemberExpression" || memberName(callee) !== "listen") continue;
    const index = model.handoffs.paramIndexOf(unwrapExpression(callee.object), fn);
    if (index !== undefined) return index;
  }
  return undefined;
}

/** `server.listen(...)` on a server made by `createServer`. */
export function listensOnMadeServer(model: ServerModel, call: CallLike): boolean {
  const callee = call.type === "CallExpression" ? unwrapExpression(call.callee) : undefined;
  return !!callee && callee.type === "MemberExpression" && memberName(callee) === "listen" && madeServer(model, callee.object);
}

/** `new EventEmitter()` of `node:events` (or eventemitter3): its listeners run in whichever context emits. */
export function isPlainEmitter(model: Pick<SummaryModel, "apis">, made: Node): boolean {
  if (made.type !== "NewExpression") return false;
  const api = model.apis.resolveApi(made.callee);
  if (!api) return false;
  if (/^(node:)?events$/.test(api.module)) return api.name === "EventEmitter" || api.name === "default";
  return api.module === "eventemitter3" && (api.name === "default" || api.name === "EventEmitter");
}

function methodEmitsOnThis(fn: FunctionNode): true | undefined {
  const member = fn.parent;
  const cls = enclosingClass(fn);
  if (!cls || !member || (member.type !== "MethodDefinition" && member.type !== "PropertyDefinition")) return undefined;
  const key = classMemberKey(member);
  return key && instanceEmitters(cls).includes(key) ? true : undefined;
}

function nameOf(model: SummaryModel, fn: FunctionNode): string {
  return model.handoffs.nameOf(fn);
}

/** A receiver parameter's default (`signal = shutdown.signal`): whether it outlives the call, and its kinds. */
function defaultReceiverFacts(model: SummaryModel, receiver: Node): SummaryReceiver {
  const root = model.rootVariable(receiver);
  return {
    text: clip(model.text.slice(receiver.range[0], receiver.range[1])),
    // A default is evaluated at each call that leaves the argument out: made per call unless it reads a variable.
    createdPerCall: !root,
    outlives: !!root && root.defs[0]?.type !== "Parameter" && !enclosingFunction((root.defs[0] as unknown as { node: Node }).node),
    kinds: model.valueKinds(receiver),
  };
}

/** Hand-offs to receivers of the helper's own module, classified there (its in-file summary). */
function concreteHandoffs(model: SummaryModel, fn: FunctionNode): SummaryHandoff[] {
  const out: SummaryHandoff[] = [];
  for (const [param, entries] of model.handoffs.summaryOf(fn)) {
    for (const entry of entries) {
      const handoff = entry.handoff;
      // Receivers that are parameters are classified at the call site (receiverParamHandoffs).
      if (entry.receiverParam !== undefined) continue;
      const taskArray: Pick<SummaryHandoff, "taskArray" | "keys" | "drainMethods" | "perElementOf"> = { ...(handoff.taskArray || entry.elements ? { taskArray: true } : {}), ...(entry.keys ? { keys: entry.keys } : {}) };
      if (entry.imported?.receiver) {
        // A receiver of a module this one imports the helper from: as that module judged it.
        out.push({ param, kind: handoff.kind, method: handoff.method, argIndex: 0, library: handoff.library, receiver: entry.imported.receiver, ...taskArray, ...(entry.deferred ? { deferred: true } : {}), via: [nameOf(model, fn), ...entry.via.map((f) => nameOf(model, f)), ...entry.imported.via] });
        continue;
      }
      if (!handoff.receiver) continue;
      if (handoff.drainMethods) taskArray.drainMethods = handoff.drainMethods;
      const repeated = handoff.kind === "queued" ? repeatedPerElement(handoff.site) : undefined;
      if (repeated) taskArray.perElementOf = repeated.collection ? (model.handoffs.paramIndexOf(unwrapExpression(repeated.collection), fn) ?? -1) : -1;
      const frame = entry.via.length > 0 ? entry.via[entry.via.length - 1] : fn;
      const receiver = handoff.receiver;
      const target = unwrapExpression(receiver);
      const root = model.rootVariable(receiver);
      const facts: SummaryReceiver = {
        text: clip(model.text.slice(receiver.range[0], receiver.range[1])),
        createdPerCall: model.isCreatedInside(receiver, frame) || platformChannelMadeIn(model, receiver, frame),
        outlives: (!!root && root.defs[0]?.type !== "Parameter") || rootedAtThis(target),
        kinds: model.valueKinds(receiver),
      };
      // A field of `this`, or a variable of a function around the helper (the factory that made the object whose
      // method it is): one per object, so an object made during the caller's call brings a store of its own.
      const declaredIn = root && root.defs[0]?.type !== "Parameter" ? enclosingFunction((root.defs[0] as unknown as { node: Node }).node) : undefined;
      if (rootedAtThis(target) || (!!declaredIn && declaredIn !== frame && contains(declaredIn, frame))) facts.perObject = true;
      // A hand-off made only when the consumer loop / the batcher's flush traces.
      if (handoff.library === "channel" || handoff.library === "batcher" || handoff.library === "poller") facts.workerTraces = true;
      else if (handoff.library && !isWorkerQueueLibrary(handoff.library)) facts.loadedBy = handoff.loadedBy ?? { file: model.filename, packages: model.apis.packagesLoadedAs(handoff.library) };
      if (handoff.kind === "queued" && handoff.library && handoff.library !== "channel" && handoff.library !== "batcher" && handoff.library !== "poller") {
        const concurrency = model.queueConcurrency(receiver, handoff.library);
        if (concurrency !== undefined) facts.concurrency = concurrency;
      }
      if (isWorkerQueueLibrary(handoff.library)) {
        const worker = asyncQueueWorker(model, receiver, handoff.library);
        facts.workerTraces = !!worker && model.callbackDoesTracedWork(worker);
      }
      if (handoff.kind === "stored" && facts.outlives) {
        const drainers = storeDrainers(model, receiver);
        if (drainers) facts.drainedBy = drainers;
        const flushers = drainers ? undefined : storeFlushers(model, receiver);
        if (flushers) facts.flushedBy = flushers;
        const onEvents = drainers ? undefined : storeDrainEvents(model, receiver, exportNameOfBinding);
        if (onEvents) facts.drainedOnEvents = onEvents;
        const starters = drainers ? undefined : storeDrainStarters(model, receiver);
        if (starters) {
          facts.drainStartedBy = starters;
          facts.drainFile = path.resolve(model.cwd, model.filename);
          // The storing function arms the drain itself (`register(id, cb)` calling `this.start()`).
          if (nodesWithin(model.nodes.calls, frame).some((call) => call.type === "CallExpression" && runsInBody(call, frame) && starters.includes(calleeMethodName(call) ?? ""))) facts.storerStartsDrain = true;
        }
        if (runsOwnEntryLater(model, entry.handoff as unknown as { values: Node[]; site: Node }, frame)) facts.runsOwnEntry = true;
        if (storeNeverRunsValues(model, (entry.handoff as unknown as { values: Node[] }).values, receiver)) facts.neverRuns = true;
        if (storesPendingRecord(model, (entry.handoff as unknown as { values: Node[] }).values)) facts.pendingRecord = true;
      }
      if ((handoff.kind === "listener" || handoff.kind === "handler") && facts.outlives && root && target.type !== "ThisExpression") {
        const emitters = moduleDispatchers(model, root);
        if (emitters.length > 0) facts.emittedBy = emitters;
      }
      if ((handoff.kind === "listener" || handoff.kind === "handler") && target.type === "ThisExpression") {
        const cls = enclosingClass(frame);
        if (cls) facts.instanceEmitters = instanceEmitters(cls);
      }
      // An emitter the instance keeps in a field (`this.#bus.once(...)`): the methods that emit on that field.
      const field = target.type === "MemberExpression" && unwrapExpression(target.object).type === "ThisExpression" ? memberName(target) : undefined;
      if ((handoff.kind === "listener" || handoff.kind === "handler") && field) {
        const cls = enclosingClass(frame);
        const emitters = cls ? instanceEmitters(cls, field) : [];
        if (emitters.length > 0) facts.instanceEmitters = emitters;
      }
      if (handoff.kind === "thenable") facts.userlandThenable = model.values.propertyValues(model.valuesOf(receiver), "then", undefined, 0).some((v) => v.type === "function");
      if (handoff.kind === "assigned" && target.type === "Identifier" && root) {
        facts.calledOutside = root.references.some((reference) => {
          const identifier = reference.identifier as Node;
          const parent = identifier.parent;
          if (!parent || parent.type !== "CallExpression" || unwrapExpression(parent.callee) !== identifier) return false;
          if (!contains(frame, parent)) return true;
          // By a timer the helper arms only when none is pending (`if (!timer) timer = setTimeout(() => latest())`):
          // it runs a later call's value in the context of the call that armed it. One every call cancels and re-arms
          // runs the last value in its own call's context.
          return !!timerCallbackAround(parent, frame) && !rearmedByEveryCall(parent, frame);
        });
      }
      // A field of the instance (`this.onComplete = cb`) the class's own code calls outside the storing call: from
      // another method (a poll its constructor's interval runs), or from a timer the storing method arms.
      const cls = field && handoff.kind === "assigned" ? enclosingClass(frame) : undefined;
      if (cls) facts.calledOutside = (fieldCalls(cls).get(field!) ?? []).some((call) => !contains(frame, call) || !!timerCallbackAround(call, frame));
      const site = handoff.site;
      const argIndex = site.type === "CallExpression" ? Math.max(0, site.arguments.findIndex((a) => model.handoffs.paramsIn(a, frame, 0).length > 0)) : 0;
      out.push({ param, kind: handoff.kind, method: handoff.method, argIndex, library: handoff.library, receiver: facts, ...taskArray, ...(entry.deferred ? { deferred: true } : {}), via: [nameOf(model, fn), ...entry.via.map((f) => nameOf(model, f))] });
    }
  }
  return out;
}

/**
 * Hand-offs whose receiver is a parameter of `fn` (`target.on(event, cb)`, `target.add(task)`, `limit(task)`,
 * `target.onmessage = cb`): their kind depends on what the caller passes, so they stay unclassified here. Followed
 * through the module's local helpers (to a depth bound), mapping their parameters onto `fn`'s.
 */
function receiverParamHandoffs(model: SummaryModel, fn: FunctionNode, depth: number): SummaryHandoff[] {
  if (depth > SUMMARY_DEPTH) return [];
  const out: SummaryHandoff[] = [];
  const paramOf = (node: Node) => model.handoffs.paramIndexOf(rootIdentifier(node), fn);
  for (const call of model.callsWithin(fn)) {
    if (call.type !== "CallExpression") continue;
    const callee = unwrapExpression(call.callee);
    let receiverParam: number | undefined;
    let method: string | undefined;
    let callsReceiver = false;
    if (callee.type === "MemberExpression") {
      receiverParam = paramOf(callee.object);
      method = memberName(callee);
    } else if (callee.type === "Identifier") {
      receiverParam = model.handoffs.paramIndexOf(callee, fn);
      method = "limit";
      callsReceiver = true;
    }
    if (receiverParam !== undefined && method) {
      call.arguments.forEach((arg, argIndex) => {
        if (arg.type === "SpreadElement") return;
        for (const param of model.handoffs.paramsIn(arg, fn, 0)) {
          if (param === receiverParam) continue;
          const entry: SummaryHandoff = { param, method: method!, argIndex, receiverParam, via: [nameOf(model, fn)] };
          if (callsReceiver) entry.callsReceiver = true;
          const declared = fn.params[receiverParam!];
          if (declared?.type === "AssignmentPattern") entry.receiverDefault = defaultReceiverFacts(model, declared.right);
          out.push(entry);
        }
      });
      continue;
    }
    // A local helper, or one imported from another project module, that hands over to a receiver parameter: map its
    // parameters onto ours.
    const inners = model.handoffs.localCallees(call).filter((inner) => inner !== fn && !contains(inner, call)).map((inner) => receiverParamHandoffs(model, inner, depth + 1));
    const imported = model.values.importedCall(call)?.summary.handoffs.filter((entry) => entry.receiverParam !== undefined);
    if (imported) inners.push(imported);
    for (const innerEntries of inners) {
      for (const entry of innerEntries) {
        const arg = call.arguments[entry.param];
        const receiverArg = call.arguments[entry.receiverParam!];
        if (!arg || arg.type === "SpreadElement" || !receiverArg || receiverArg.type === "SpreadElement") continue;
        const outerReceiver = model.handoffs.paramIndexOf(rootIdentifier(receiverArg), fn);
        if (outerReceiver === undefined) continue; // a concrete receiver here: the in-file summary covers it
        for (const param of model.handoffs.paramsIn(arg, fn, 0)) {
          if (param !== outerReceiver) out.push({ ...entry, param, receiverParam: outerReceiver, via: [nameOf(model, fn), ...entry.via] });
        }
      }
    }
  }
  for (const node of nodesWithin(model.nodes.assignments, fn)) {
    const left = node.left;
    if (left.type !== "MemberExpression" || left.computed) continue;
    const receiverParam = paramOf(left.object);
    const name = memberName(left);
    if (receiverParam === undefined || !name) continue;
    for (const param of model.handoffs.paramsIn(node.right, fn, 0)) {
      if (param !== receiverParam) out.push({ param, method: name, argIndex: 0, assignment: true, receiverParam, via: [nameOf(model, fn)] });
    }
  }
  return out;
}

/** Parameters of `fn` registered as traced scopes (`graph.addNode(name, node)`, `traceable(fn)`, `RunnableLambda.from(fn)`, ...). */
function registrations(model: SummaryModel, fn: FunctionNode): SummaryRegistration[] {
  const out: SummaryRegistration[] = [];
  const seen = new Set<Node>();
  // A registration of a parameter names it as an argument of a call written in `fn`; without one, the file's
  // registrations (which ask the summaries of every helper its calls reach) need not be computed.
  const targets = passesParameter(model, fn) ? model.scopes.registrationTargets() : [];
  for (const registration of targets) {
    if (!contains(fn, registration.target)) continue;
    const param = model.handoffs.paramIndexOf(unwrapExpression(registration.target), fn);
    if (param === undefined) continue;
    seen.add(registration.target);
    const call = registration.target.parent;
    const entry: SummaryRegistration = { param, kind: registration.kind, label: registration.label, configParamIndex: registration.configParamIndex };
    if (call && call.type === "CallExpression" && memberNameOf(call) === "addNode") {
      entry.nameParam = model.handoffs.paramIndexOf(unwrapExpression(call.arguments[0] ?? call), fn);
      entry.receiverParam = model.handoffs.paramIndexOf(rootIdentifier((unwrapExpression(call.callee) as TSESTree.MemberExpression).object), fn);
    }
    out.push(entry);
  }
  // `target.addNode(name, node)` on a parameter, in a module that does not import LangGraph itself: the caller's
  // argument decides whether `target` is a graph builder.
  for (const call of model.callsWithin(fn)) {
    if (call.type !== "CallExpression" || memberNameOf(call) !== "addNode") continue;
    const target = call.arguments[1];
    if (!target || target.type === "SpreadElement" || seen.has(target)) continue;
    const receiverParam = model.handoffs.paramIndexOf(rootIdentifier((unwrapExpression(call.callee) as TSESTree.MemberExpression).object), fn);
    if (receiverParam === undefined) continue;
    const param = model.handoffs.paramIndexOf(unwrapExpression(target), fn);
    if (param === undefined) {
      const each = eachValueParam(model, unwrapExpression(target), fn);
      if (each !== undefined) out.push({ param: each, kind: "graph-node", label: "graph node", configParamIndex: 1, receiverParam, eachValue: true });
      continue;
    }
    const name = stringLiteralValue(call.arguments[0]);
    out.push({ param, kind: "graph-node", label: name !== undefined ? `graph node "${name}"` : "graph node", configParamIndex: 1, nameParam: model.handoffs.paramIndexOf(unwrapExpression(call.arguments[0] ?? call), fn), receiverParam });
  }
  return out;
}

/**
 * Whether a call written in `fn` has one of `fn`'s (plain) parameters as an argument, or as a property value or
 * element of an object or array written as an argument: the only places a registration target naming a parameter
 * can be.
 */
function passesParameter(model: SummaryModel, fn: FunctionNode): boolean {
  const names = new Set<string>();
  for (const p of fn.params) {
    const param = p.type === "AssignmentPattern" ? p.left : p;
    if (param.type === "Identifier") names.add(param.name);
  }
  if (names.size === 0) return false;
  const mentions = (node: Node | null | undefined, depth: number): boolean => {
    if (!node) return false;
    const n = unwrapExpression(node);
    if (n.type === "Identifier") return names.has(n.name);
    if (depth >= 3) return false;
    if (n.type === "ObjectExpression") return n.properties.some((p) => p.type === "Property" && mentions(p.value as Node, depth + 1));
    if (n.type === "ArrayExpression") return n.elements.some((e) => !!e && e.type !== "SpreadElement" && mentions(e, depth + 1));
    return false;
  };
  return model.callsWithin(fn).some((call) => call.arguments.some((a) => a.type !== "SpreadElement" && mentions(a, 0)));
}

/**
 * When `target` is a value taken from a parameter object of `fn` in a loop (`for (const [name, node] of
 * Object.entries(nodes))`, `for (const node of Object.values(nodes))`, `Object.entries(nodes).forEach(([name, node]) =>
 * ...)`), that parameter's index.
 */
export function eachValueParam(model: { handoffs: { paramIndexOf(node: Node | undefined, fn: FunctionNode): number | undefined } }, target: Node, fn: FunctionNode): number | undefined {
  if (target.type !== "Identifier") return undefined;
  const name = target.name;
  /** `Object.entries(p)` / `Object.values(p)` (value flow's {@link objectIteration}) with `p` a parameter of `fn`. */
  const source = (expr: Node | null | undefined): { index: number; entries: boolean } | undefined => {
    const iterated = expr ? objectIteration(expr) : undefined;
    const index = iterated ? model.handoffs.paramIndexOf(unwrapExpression(iterated.object), fn) : undefined;
    return index === undefined ? undefined : { index, entries: iterated!.form === "entries" };
  };
  /** Whether `pattern` binds `name` to the value (`[key, name]` for entries, `name` for values). */
  const binds = (pattern: Node | undefined, entries: boolean): boolean => {
    if (!pattern) return false;
    if (!entries) return pattern.type === "Identifier" && pattern.name === name;
    if (pattern.type !== "ArrayPattern") return false;
    const second = pattern.elements[1];
    return !!second && second.type === "Identifier" && second.name === name;
  };
  for (let current: Node | undefined = target.parent; current && current !== fn; current = current.parent) {
    if (current.type === "ForOfStatement") {
      const from = source(current.right);
      const left = current.left.type === "VariableDeclaration" ? current.left.declarations[0]?.id : undefined;
      if (from && binds(left as Node | undefined, from.entries)) return from.index;
    }
    if (isFunctionNode(current) && current.parent?.type === "CallExpression" && current.parent.arguments[0] === current) {
      const loop = current.parent;
      const callee = unwrapExpression(loop.callee);
      if (callee.type === "MemberExpression" && ITERATING_METHODS.has(memberName(callee) ?? "")) {
        const from = source(callee.object);
        if (from && binds(current.params[0] as Node | undefined, from.entries)) return from.index;
      }
    }
  }
  return undefined;
}

/** Parameters of `fn` given to a server as request handlers. */
function serverHandlers(model: SummaryModel, fn: FunctionNode): SummaryServerHandler[] {
  const out: SummaryServerHandler[] = [];
  for (const call of model.callsWithin(fn)) {
    if (call.type !== "CallExpression") continue;
    const callee = unwrapExpression(call.callee);
    const createsServer = model.valuesOf(callee).some((v) => v.type === "api" && /^(node:)?https?$/.test(v.api.module) && v.api.name === "createServer");
    if (createsServer) {
      for (const arg of call.arguments) {
        const param = arg.type === "SpreadElement" ? undefined : model.handoffs.paramIndexOf(unwrapExpression(arg), fn);
        if (param !== undefined) out.push({ param, framework: "http" });
      }
      continue;
    }
    if (callee.type !== "MemberExpression") continue;
    const method = memberName(callee);
    if (!method || !EXPRESS_METHODS.has(method)) continue;
    const framework = model.http.serverKind(callee.object);
    if (!framework) continue;
    const route = stringLiteralValue(call.arguments[0]);
    for (const arg of call.arguments) {
      const param = arg.type === "SpreadElement" ? undefined : model.handoffs.paramIndexOf(unwrapExpression(arg), fn);
      if (param !== undefined) out.push({ param, framework, route });
    }
  }
  return out;
}

function returnKinds(model: SummaryModel, fn: FunctionNode): ValueKind[] {
  const kinds = new Set<ValueKind>();
  for (const node of model.nodes.returns.get(fn) ?? []) {
    for (const kind of model.valueKinds(node)) if (kind !== "unknown") kinds.add(kind);
    // A closure that does traced work (`return (ev) => classify(ev)`): the caller's callback, as one written there.
    if (model.valuesOf(node).some((v) => v.type === "function" && v.fn !== fn && model.work.functionDoesTracedWork(v.fn))) kinds.add("traced-work-fn");
  }
  return [...kinds];
}

// -----------------------------------------------------------------------------------------------------------------
// At the call site
// -----------------------------------------------------------------------------------------------------------------

/**
 * The summary of the project function `call` invokes, when its callee is a function imported from one of the
 * project's modules and the call passes a function (the only calls whose summary can matter: the gate that keeps the
 * lookup lazy).
 */
export function importedCallSummary(call: CallLike, valuesOf: (expr: Node) => Value[], lookup: SummaryLookup | undefined, holdsTasks?: (expr: Node) => boolean, anyArgument = false, receiverValuesOf?: (expr: Node) => Value[]): ImportedCall | undefined {
  if (!lookup || call.type !== "CallExpression") return undefined;
  const callee = unwrapExpression(call.callee);
  if (callee.type !== "Identifier" && callee.type !== "MemberExpression") return undefined;
  // `import { f } from "./m"` gives an import value; `const { f } = require("./m")` an api value of a project module;
  // `service.f(...)` a method of an object or instance the module exports (`service.f`).
  let target = importedCalleeOf(callee, valuesOf);
  // Without a target, only a method of a plain identifier (a parameter another module fills) may still have one.
  if (!target && !(receiverValuesOf && callee.type === "MemberExpression" && unwrapExpression(callee.object).type === "Identifier")) return undefined;
  const passesFunction = (arg: Node | null, inArray = false): boolean => {
    if (!arg || arg.type === "SpreadElement") return false;
    const node = unwrapExpression(arg);
    if (isFunctionNode(node)) return true;
    // An array of tasks (`addAll([...])`) or an object of functions (`{ retrieve, answer }`), one level deep.
    if (node.type === "ArrayExpression") return !inArray && node.elements.some((element) => passesFunction(element, true));
    if (node.type === "ObjectExpression") return !inArray && node.properties.some((p) => p.type === "Property" && passesFunction(p.value as Node, true));
    // A function made by an expression (`(held = () => work())`, `makeCallback(step)`, `cb ?? fallback`).
    // Also what a function of another module returns (`feed.subscribe(makeHandler())`): a closure, maybe.
    const importedResult = (v: Value) => v.type === "call" && v.node.type === "CallExpression" && valuesOf(v.node.callee).some((c) => c.type === "import");
    if (node.type !== "Identifier" && node.type !== "MemberExpression") return !inArray && valuesOf(node).some((v) => v.type === "function" || v.type === "bound" || (v.type === "call" && v.node === node && importedResult(v)));
    // A function, an imported one, or a parameter of a function others call (a helper passing its callback on).
    // A parameter of a callback given to a library (a traced scope's argument) may hold functions too.
    // A traceable held in a variable (`{ handler: generateInvoice, args }`) is a function too.
    if (inArray && holdsTasks?.(node)) return true;
    return valuesOf(node).some((v) => v.type === "function" || v.type === "import" || v.type === "callback-param" || (!inArray && node.type === "Identifier" && importedResult(v)) || (!inArray && (v.type === "object" || v.type === "array") && passesFunction(v.node, false)) || (v.type === "unknown" && isFunctionNode(v.node.parent) && v.node.parent.params.includes(v.node as TSESTree.Parameter)));
  };
  // Or an array of tasks made elsewhere (`runAll(captionJobs(req, images))`, `runAll(work)` with `work` built by a map).
  // (`anyArgument`: data too, for a helper that may push it to a worker queue.)
  if (anyArgument ? call.arguments.length === 0 : !call.arguments.some((arg) => passesFunction(arg) || (!!holdsTasks && arg.type !== "SpreadElement" && holdsTasks(arg)))) return undefined;
  // A method of an object a caller of this module injects (`host.whenReady(cb)` with `host` a parameter): asked only
  // for calls that pass a function, because it reads the other modules' calls.
  if (!target && receiverValuesOf && callee.type === "MemberExpression") target = importedCalleeOf(callee, valuesOf, receiverValuesOf);
  if (!target) return undefined;
  const { module, name } = target;
  const summary = lookup(module, name);
  if (!summary) return undefined;
  const localName = callee.type === "Identifier" ? callee.name : memberName(callee) ?? name;
  return { module, name, localName, summary };
}

function memberNameOf(call: TSESTree.CallExpression): string | undefined {
  const callee = unwrapExpression(call.callee);
  return callee.type === "MemberExpression" ? memberName(callee) : undefined;
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}

const DISPATCHING_METHODS = new Set(["emit", "dispatchEvent", "abort"]);
/** Calls that make a loopback stream (`PassThrough`, `Transform`, `Readable`) emit `data` to its own listeners. */
const FEEDING_METHODS = new Set(["write", "end", "push"]);
const LOOPBACK_STREAMS = new Set(["PassThrough", "Transform", "Readable"]);
const STREAM_MODULE = /^(?:node:)?stream$/;

/**
 * `new PassThrough()` / `new Transform(...)` / `new Readable(...)` of `node:stream`: a stream whose `write`, `end` or
 * `push` delivers to its own `data` listeners, in the writer's context. (A socket's, port's or worker's `write` goes
 * to the other end, and its `data` comes from there.)
 */
export function isLoopbackStream(model: Pick<SummaryModel, "apis">, made: Node): boolean {
  if (made.type !== "NewExpression") return false;
  const api = model.apis.resolveApi(made.callee);
  return !!api && STREAM_MODULE.test(api.module) && LOOPBACK_STREAMS.has(api.name);
}

/** See `FunctionSummary.feedsParams`. */
function feedsParams(model: SummaryModel, fn: FunctionNode): FunctionSummary["feedsParams"] {
  const out = new Map<number, boolean>();
  for (const call of nodesWithin(model.nodes.calls, fn)) {
    if (call.type !== "CallExpression" || !runsInCallContext(call, fn, true)) continue;
    const callee = unwrapExpression(call.callee);
    const method = callee.type === "MemberExpression" ? memberName(callee) : undefined;
    const writes = !!method && FEEDING_METHODS.has(method);
    if (!method || (!writes && method !== "emit" && method !== "dispatchEvent")) continue;
    const param = model.handoffs.paramIndexOf(unwrapExpression((callee as TSESTree.MemberExpression).object), fn);
    if (param !== undefined) out.set(param, (out.get(param) ?? false) || writes);
  }
  return out.size > 0 ? [...out].map(([param, writes]) => ({ param, writes })) : undefined;
}

/** Whether every value `expr` may hold is a loopback stream (see {@link isLoopbackStream}). */
function holdsLoopbackStream(model: SummaryModel, expr: Node): boolean {
  const values = model.valuesOf(expr);
  return values.length > 0 && values.every((v) => v.type === "new" && isLoopbackStream(model, v.node));
}

/** The dispatchers of the one module-level store every value `fn` returns is read from (see `returnsEmittedBy`). */
function returnsEmittedBy(model: SummaryModel, fn: FunctionNode, returns: readonly Node[]): string[] | undefined {
  if (returns.length === 0) return undefined;
  const roots = new Set(returns.map((r) => model.rootVariable(r)));
  const [root] = roots;
  const def = root?.defs[0];
  if (roots.size !== 1 || !root || !def || def.type === "Parameter" || contains(fn, (def as unknown as { node: Node }).node)) return undefined;
  const dispatchers = moduleDispatchers(model, root).filter((name) => name !== model.values.functionVariable(fn)?.name);
  return dispatchers.length > 0 ? dispatchers : undefined;
}

/**
 * The named functions of the module that emit, dispatch or abort on the object `root` holds (or its `.signal`), or
 * feed it when it is a loopback stream (`vendorFeed.write(record)`: its `data` listeners run in the writer's context).
 */
export function moduleDispatchers(model: SummaryModel, root: NonNullable<ReturnType<SummaryModel["rootVariable"]>>): string[] {
  const out = new Set<string>();
  let loopback: boolean | undefined;
  for (const call of model.calls) {
    if (call.type !== "CallExpression") continue;
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "MemberExpression" || model.rootVariable(callee.object) !== root) continue;
    const method = memberName(callee) ?? "";
    if (!DISPATCHING_METHODS.has(method) && !(FEEDING_METHODS.has(method) && (loopback ??= holdsLoopbackStream(model, callee.object)))) continue;
    let fn = enclosingFunction(call);
    while (fn && enclosingFunction(fn)) fn = enclosingFunction(fn);
    // A method of the module's exported object literal (`module.exports = { announce(p) { ... } }`) by its key.
    const key = fn?.parent?.type === "Property" && fn.parent.value === fn ? propertyKey(fn.parent) : undefined;
    const name = fn ? (model.values.functionVariable(fn)?.name ?? key) : undefined;
    if (name) out.add(name);
  }
  return [...out];
}
