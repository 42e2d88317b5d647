/**
 * Hand-offs: the places where a value leaves the code that made it, to be called later by someone else: a
 * listener or handler registration, a `then` callback, a store into a collection, an assignment to a variable or
 * field that outlives the call, a submission to a limiter or queue. And, per function, a summary of which
 * parameters reach such a place (directly, inside an object literal or closure, or through another local function,
 * to a fixpoint with a depth bound), so that a call of an in-file helper counts as the hand-off it performs.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { debounceFunctionIndex, WORKER_QUEUE_METHODS, workerArgumentIndex, type WorkerQueueLibrary } from "../apis.js";
import { calleeMethodName, classMemberKey, constNumber, contains, enclosingFunction, isFunctionNode, memberName, nodesWithin, parameterPlace, propertyKey, rootIdentifier, runningFrame as runningFrameOf, runsInBody, unwrapExpression, walkNodes, type CallLike, type FileNodes, type FunctionNode, type Node } from "./ast.js";
import type { Bindings } from "./bindings.js";
import type { TracedWork } from "./traced-work.js";
import { eachValueParam, type SummaryHandoff, type SummaryReceiver } from "./summaries.js";
import { enclosingClass, ITERATING_METHODS, pointFreeCallback, sameObject, type LoadedBy, type Value, type ValueFlow } from "./values.js";

export type HandoffKind = "listener" | "handler" | "thenable" | "stored" | "assigned" | "queued" | "resource";

export interface Handoff {
  kind: HandoffKind;
  /** The registering call or the assignment. */
  site: Node;
  /** `on`, `addEventListener`, `then`, `push`, `onmessage`, `=`, `add`, `limit`, ... */
  method: string;
  /** The emitter, collection, queue, or the object / variable assigned to. */
  receiver?: Node;
  /** The expressions handed over. */
  values: Node[];
  /**
   * For `queued`: which library the queue belongs to; `channel` for a data item sent to an object this file's traced
   * `for await` consumer loop iterates (a hand-written channel: the consumer runs it in the loop's context);
   * `batcher` for a data item handed to a hand-written batcher of this file whose timer drains it into traced work.
   */
  library?: "p-queue" | "p-limit" | WorkerQueueLibrary | "channel" | "batcher" | "poller";
  /** For `queued` `addAll(tasks)` with a non-literal array: the array expression. */
  taskArray?: Node;
  /** For `queued`: the module that makes the queue, when another one does (its install decides the version). */
  loadedBy?: LoadedBy;
  /**
   * For `stored` by another module's helper: the helper keeps the value in the pending record of the call (a record
   * that also holds the resolver of the promise the call returns: see drains.ts `storesPendingRecord`).
   */
  pendingRecord?: boolean;
  /** For a batcher's item: the methods of the batcher object its drain is (`this.flush()` in the timer), which a caller may call itself. */
  drainMethods?: string[];
  /**
   * For a batcher's item: its drain runs other traces' items even when the traces run one at a time. The constructor
   * of an instance made at load arms it (`setInterval(() => this.flush(), ms)`: it runs in the load's context), or the
   * call that fills the batch runs it (`if (buf.length >= size) onBatch(buf)`: the items of earlier traces with it).
   */
  drainsOtherTraces?: boolean;
  /** For a batcher or debouncer: the delay, in ms, of the timer that flushes it, when the file spells it. */
  delayMs?: number;
  /**
   * For a helper of another module that submits once per element of a collection during its call: the caller's
   * argument that collection is, or null when the caller cannot see it (see `SummaryHandoff.perElementOf`).
   */
  perElementOf?: Node | null;
}

/** A parameter of a function reaching a hand-off. */
export interface ParamHandoff {
  handoff: Handoff;
  /** The receiver is this parameter of the summarised function (resolve it at the call site). */
  receiverParam?: number;
  /** The helper calls on the way, outermost first (for messages); empty for a helper imported from another module. */
  via: FunctionNode[];
  /** For a helper imported from a project module: which, the helpers on the way there, and its own receiver. */
  imported?: ImportedHandoff;
  /**
   * The parameter's elements reach the hand-off, not the parameter itself (`jobs.map((job) => schedule(job))`,
   * `for (const job of jobs) backlog.push(job)`, `jobs.map(schedule)`): the caller passes an array of callbacks.
   */
  elements?: boolean;
  /**
   * The hand-off runs after the helper returns, in a closure it makes (`(x) => limit(() => fn(x))` returned by a
   * factory, a timer's callback): binding at the helper's call site would pin the task to the caller's context then.
   */
  deferred?: boolean;
  /**
   * Only these properties of the object the caller passes reach the hand-off: the parameter is destructured and only
   * the names bound to them are handed over (`every(name, { times, run })` storing `run`).
   */
  keys?: string[];
}

/** A function reference handed point-free to an array method (`work.map(submit)`): called with each element of `array`. */
export interface PointFreeCall {
  array: Node;
  /** The function reference handed (`submit`, `channel.put`). */
  callback: Node;
  helpers: HelperSummary[];
}

/** What the call site knows of a hand-off made by a function of another module (plain data from its summary). */
export interface ImportedHandoff {
  module: string;
  name: string;
  /** The helper functions on the way in the other module, outermost first (names). */
  via: string[];
  /** A receiver of the other module (not one the caller passes), as that module judges it. */
  receiver?: SummaryReceiver;
}

/** A function a call invokes whose parameters may reach hand-offs: in this file (`fn`), or imported from a project module. */
export interface HelperSummary {
  /** The name the call uses, for messages. */
  name: string;
  fn?: FunctionNode;
  summary: Map<number, ParamHandoff[]>;
}

const LISTENER_METHODS = new Set(["on", "once", "addListener", "prependListener", "prependOnceListener", "addEventListener"]);
/** Methods that store a callback for later: argument positions that hold it. */
/** Methods that put a data item into a store or queue object, with the item's position. */
const POLLED_SEND_METHODS: Record<string, number> = { push: 0, unshift: 0, add: 0, enqueue: 0, put: 0, offer: 0, submit: 0, append: 0, insert: 0, set: 1 };
/** Methods that take items out of a store or queue object (a poller's reads). */
const TAKING_METHODS = new Set(["shift", "pop", "splice", "take", "dequeue", "poll", "next", "claim", "reserve", "drain", "values", "entries", "get", "peek", "first", "find", "filter"]);

/** A timer armed outside every traced scope whose callback drains a store into traced work. */
interface Poller {
  timer: TSESTree.CallExpression;
  drains: FunctionNode[];
  stores: Node[];
}

/** Calls `visit` with each `for ... of` loop inside `fn` (not inside nested functions other than `fn`). */
function walkFor(fn: FunctionNode, visit: (loop: TSESTree.ForOfStatement) => void): void {
  const walk = (node: Node) => {
    if (node !== fn && isFunctionNode(node)) return;
    if (node.type === "ForOfStatement") visit(node);
    for (const key of Object.keys(node)) {
      if (key === "parent") continue;
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) for (const c of child) { if (c && typeof (c as Node).type === "string") walk(c as Node); }
      else if (child && typeof (child as Node).type === "string") walk(child as Node);
    }
  };
  walk(fn.body as Node);
}

const STORING_METHODS: Record<string, "all" | number> = { push: "all", unshift: "all", add: 0, set: 1, enqueue: 0, schedule: 0 };
const ASYNC_QUEUE_METHODS = WORKER_QUEUE_METHODS.async;
/** The worker queue library of a receiver's kinds (`async` queue, fastq queue), if the method hands it an item. */
function workerQueueOf(kinds: readonly string[], method: string): WorkerQueueLibrary | undefined {
  if (kinds.includes("async-queue") && WORKER_QUEUE_METHODS.async.has(method)) return "async";
  if (kinds.includes("fastq-queue") && WORKER_QUEUE_METHODS.fastq.has(method)) return "fastq";
  return undefined;
}
const SUMMARY_DEPTH = 4;
/** A hand-written batcher: the function its factory returns, the factory, and the timer callback that drains it. */
interface Batcher {
  factory: FunctionNode;
  drain: FunctionNode;
  /** The timer call that arms the drain (none for a batch its filling call drains). */
  timer?: TSESTree.CallExpression;
  /** The key the adder has in the object the factory returns (`return { load(item) { ... } }`), if it is a method. */
  key?: string;
  /** The adder itself drains once the batch is full (`if (buf.length >= size) onBatch(full)`): the filling call runs it. */
  filler?: true;
}

/**
 * A `for await` loop a function runs over a channel (see `Handoffs.consumerFacts`): the channel is its parameter
 * `param`, or `events.on` of an emitter its module exports as `exported`; `event` for `events.on`. `handlerParams`:
 * its parameters the loop body calls; `work`: the body does traced work of its own.
 */
export interface ChannelConsumer {
  param?: number;
  exported?: string;
  event?: string;
  handlerParams: number[];
  work: boolean;
  /**
   * A poller rather than a loop: a timer the function arms takes items out of the parameter by these methods
   * (`queue.take()`); an item reaches it through the other methods that keep one (`queue.add(job)`).
   */
  polls?: string[];
}

/** The event name a literal spells (`"job"`), or undefined. */
function eventNameOf(node: Node): string | undefined {
  const n = unwrapExpression(node);
  if (n.type === "Literal" && typeof n.value === "string") return n.value;
  if (n.type === "TemplateLiteral" && n.expressions.length === 0) return n.quasis[0].value.cooked ?? undefined;
  return undefined;
}

function sameEventName(node: Node, event: string): boolean {
  const name = eventNameOf(node);
  return name === undefined || name === event;
}
/** Global timers a hand-written batcher arms to drain its items. */
const TIMER_GLOBALS = new Set(["setTimeout", "setImmediate", "setInterval", "queueMicrotask"]);

export class Handoffs {
  private direct: Handoff[] | undefined;
  private readonly summaries = new Map<FunctionNode, Map<number, ParamHandoff[]>>();
  private readonly computing = new Set<FunctionNode>();

  constructor(
    private readonly nodes: FileNodes,
    private readonly bindings: Bindings,
    private readonly values: ValueFlow,
    private readonly work: TracedWork,
    /** Whether a node sits in a traced scope (a timer armed there is armed in that trace's context). */
    private readonly inTracedScope: (node: Node) => boolean = () => false,
  ) {}

  /** Whether an argument is data: no spread, no function written there, no value that may be a function. */
  private isDataArgument(arg: TSESTree.CallExpressionArgument): boolean {
    if (arg.type === "SpreadElement" || isFunctionNode(unwrapExpression(arg))) return false;
    return !this.values.valuesOf(arg).some((v) => v.type === "function" || v.type === "bound");
  }

  /**
   * For `emitter.emit(event, payload)`: the store a listener of this file keeps the payload in, when a listener for
   * that event on the same emitter (`jobs.on("suggest-tags", (job) => buffer.push(job))`) hands its first parameter to
   * a store that outlives it (drained later by a timer or loop: its callbacks then run there). The store, or undefined.
   */
  eventPayloadKeeper(emitter: Node, event: string): Node | undefined {
    // The emitter as its declaration makes it (`export const jobs = new EventEmitter()`): its variable.
    const declared = emitter.parent?.type === "VariableDeclarator" && emitter.parent.init === emitter && emitter.parent.id.type === "Identifier" ? emitter.parent.id : undefined;
    const root = this.bindings.variableOf(declared ?? rootIdentifier(emitter) ?? emitter);
    if (!root) return undefined;
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression" || !LISTENER_METHODS.has(calleeMethodName(call) ?? "") || call.arguments.length < 2) continue;
      const target = unwrapExpression((unwrapExpression(call.callee) as TSESTree.MemberExpression).object);
      if (this.bindings.variableOf(rootIdentifier(target) ?? target) !== root || eventNameOf(call.arguments[0] as Node) !== event) continue;
      const listener = this.values.valuesOf(call.arguments[1] as Node).find((v): v is Extract<Value, { type: "function" }> => v.type === "function");
      if (!listener) continue;
      for (const entry of this.summaryOf(listener.fn).get(0) ?? []) {
        const held = entry.handoff.receiver;
        if (entry.handoff.kind !== "stored" || entry.receiverParam !== undefined || !held) continue;
        const variable = this.bindings.variableOf(rootIdentifier(held) ?? held);
        if (variable && variable.defs[0]?.type !== "Parameter" && !this.bindings.isDeclaredInside(variable, listener.fn)) return held;
      }
    }
    return undefined;
  }

  /** Every hand-off written in the file, in source order. */
  all(): Handoff[] {
    if (this.direct) return this.direct;
    const out: Handoff[] = [];
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression") continue;
      const queued = this.queueSubmission(call) ?? this.channelSend(call) ?? this.batcherSend(call) ?? this.polledSend(call) ?? this.debouncedSend(call);
      if (queued) {
        out.push(queued);
        continue;
      }
      const method = calleeMethodName(call);
      if (!method) continue;
      const receiver = (unwrapExpression(call.callee) as TSESTree.MemberExpression).object;
      if (method === "emit" && this.consumedByAsyncIterator(receiver, call.arguments[0])) {
        // `bus.emit("row", row, onRecorded)` with `for await (const [row, done] of on(bus, "row"))` in this file: the
        // event's arguments wait in the iterator's buffer for that loop, which runs them in its own context.
        out.push({ kind: "stored", site: call, method, receiver, values: call.arguments.slice(1) });
        continue;
      }
      if (LISTENER_METHODS.has(method)) {
        // A listener method of another module's object (a registry's `on` that binds or stores): its summary's to say.
        if (this.values.importedFunction(call.callee) !== undefined) continue;
        out.push({ kind: method === "addEventListener" ? "handler" : "listener", site: call, method, receiver, values: call.arguments.slice(1, 2) });
      } else if (method === "then") {
        out.push({ kind: "thenable", site: call, method, receiver, values: call.arguments.slice(0, 2) });
      } else if (method === "runInAsyncScope" && this.values.importedFunction(call.callee) === undefined) {
        // `resource.runInAsyncScope(fn)` runs `fn` in the context `resource` was made in (an AsyncResource).
        out.push({ kind: "resource", site: call, method, receiver, values: call.arguments.slice(0, 1) });
      } else if (method in STORING_METHODS && ((method === "push" || method === "unshift") ? this.values.importedFunction(call.callee) === undefined : !this.ownFunctionCalled(call) && !this.injectedMethodKnown(call))) {
        // `runner.enqueue(task)` on an object of this file, or `outbox.enqueue(task)` / `pump.push(job)` of a project
        // module: what the function does is its summary's to say.
        const position = STORING_METHODS[method];
        // A bucket of a map (`const list = pending.get(id) ?? []; list.push(...jobs); pending.set(id, list)`): the map keeps it.
        const owner = method === "push" || method === "unshift" ? this.bucketOwner(receiver) : undefined;
        out.push({ kind: "stored", site: call, method, receiver: owner ?? receiver, values: position === "all" ? [...call.arguments] : call.arguments.slice(position, position + 1) });
      }
    }
    for (const assignment of this.nodes.assignments) {
      if (assignment.operator !== "=" && assignment.operator !== "??=" && assignment.operator !== "||=") continue;
      const left = assignment.left;
      if (left.type === "MemberExpression") {
        const name = memberName(left);
        if (name && /^on[a-z]+$/.test(name)) out.push({ kind: "handler", site: assignment, method: name, receiver: left.object, values: [assignment.right] });
        else if (name !== undefined && !left.computed) out.push({ kind: "assigned", site: assignment, method: name, receiver: left, values: [assignment.right] });
        // `list[list.length] = fn`, `handlers[id] = fn`: stored in the collection.
        else if (name === undefined && left.computed) out.push({ kind: "stored", site: assignment, method: "[]", receiver: left.object, values: [assignment.right] });
      } else if (left.type === "Identifier") {
        out.push({ kind: "assigned", site: assignment, method: "=", receiver: left, values: [assignment.right] });
      }
    }
    out.sort((a, b) => a.site.range[0] - b.site.range[0]);
    return (this.direct = out);
  }

  /** A task handed to p-limit, p-queue or an `async` queue. */
  queueSubmission(call: TSESTree.CallExpression): Handoff | undefined {
    const callee = unwrapExpression(call.callee);
    if ((callee.type === "Identifier" || callee.type === "MemberExpression" || callee.type === "CallExpression") && this.values.valueKinds(callee).includes("p-limit")) {
      const task = call.arguments[0];
      const loadedBy = this.values.loadedBy(callee, "p-limit");
      return task && task.type !== "SpreadElement" ? { kind: "queued", site: call, method: "limit", receiver: callee, values: [task], library: "p-limit", ...(loadedBy ? { loadedBy } : {}) } : undefined;
    }
    if (callee.type !== "MemberExpression") return undefined;
    const method = memberName(callee);
    if (!method) return undefined;
    if (method !== "add" && method !== "addAll" && !ASYNC_QUEUE_METHODS.has(method)) return undefined;
    const kinds = this.values.valueKinds(callee.object);
    const first = call.arguments[0];
    if (!first || first.type === "SpreadElement") return undefined;
    if (kinds.includes("p-queue") && (method === "add" || method === "addAll")) {
      // A queue made by another module (imported, or handed to this file's class by its caller): read its version there.
      const loadedBy = this.values.loadedBy(callee.object, "p-queue");
      const made = loadedBy ? { loadedBy } : {};
      if (method === "add") return { kind: "queued", site: call, method, receiver: callee.object, values: [first], library: "p-queue", ...made };
      const array = unwrapExpression(first);
      if (array.type === "ArrayExpression") {
        const tasks = array.elements.filter((e): e is TSESTree.Expression => !!e && e.type !== "SpreadElement");
        return { kind: "queued", site: call, method, receiver: callee.object, values: tasks, library: "p-queue", ...made };
      }
      return { kind: "queued", site: call, method, receiver: callee.object, values: [], taskArray: first, library: "p-queue", ...made };
    }
    const workerQueue = workerQueueOf(kinds, method);
    if (!workerQueue) return undefined;
    // The completion callback (`cargo.push(row, () => commit(row))`, `queue.push(job, (err, r) => ...)`): the worker
    // calls it when the batch or task is done, in the context the worker runs in (the first caller's).
    const done = (method === "push" || method === "unshift") && call.arguments.length === 2 ? call.arguments[1] : undefined;
    const callback = done && done.type !== "SpreadElement" && (isFunctionNode(unwrapExpression(done)) || this.values.valuesOf(done).some((v) => v.type === "function")) ? [done] : [];
    return { kind: "queued", site: call, method, receiver: callee.object, values: [first, ...callback], library: workerQueue };
  }

  /**
   * A data item sent to an object that a `for await` loop of this file iterates, when the loop's body does traced
   * work (`this.#updates.send(doc)` with `for await (const doc of this.#updates) await upsert(doc)`): the loop runs
   * every item in the async context it was started in. A function item is left to the other hand-offs.
   */
  private channelSend(call: TSESTree.CallExpression): Handoff | undefined {
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "MemberExpression") return undefined;
    if (memberName(callee) === "emit" && call.arguments.length >= 2) return this.emitToLoop(call, callee) ?? this.importedChannelSend(call, callee);
    if (call.arguments.length !== 1 || callee.property.type === "PrivateIdentifier") return this.importedChannelSend(call, callee);
    const item = call.arguments[0];
    if (item.type === "SpreadElement") return undefined;
    const loops = this.tracedConsumerLoops();
    if (loops.length === 0) return this.importedChannelSend(call, callee);
    const method = memberName(callee);
    if (!method || ITERATING_METHODS.has(method)) return undefined;
    if (!loops.some((loop) => !contains(loop, call) && this.sameObject(loop.right, callee.object))) return this.importedChannelSend(call, callee);
    if (this.values.valuesOf(item).some((v) => v.type === "function" || v.type === "bound") || this.itemCarriesRunTree(item)) return undefined;
    return { kind: "queued", site: call, method, receiver: callee.object, values: [item], library: "channel" };
  }

  /** Whether an item (or the literal a variable holds) carries the sender's run tree ({@link TracedWork.carriesRunTree}). */
  private itemCarriesRunTree(item: Node): boolean {
    const literals = [unwrapExpression(item), ...this.values.valuesOf(item).filter((v) => v.type === "object" && contains(enclosingFunction(item) ?? v.node, v.node)).map((v) => (v as { node: Node }).node)];
    const carrying = literals.filter((literal) => this.work.carriesRunTree(literal));
    if (carrying.length === 0) return false;
    // A run tree kept under a key nothing in this file reads back (`{ payload, trace: getCurrentRunTree() }`, with
    // no `.trace` anywhere): the consumer does not use it, so the item carries nothing.
    const keys = carrying.flatMap((literal) => (literal.type === "ObjectExpression" ? literal.properties.flatMap((p) => (p.type === "Property" && !p.computed && this.work.carriesRunTree(p.value as Node) ? [propertyKey(p)] : [])) : [undefined]));
    if (keys.some((k) => k === undefined)) return true;
    const read = this.keysReadBack();
    return keys.some((k) => read.has(k!));
  }

  /** The property names this file reads (`x.trace`, `x?.trace`, `const { trace } = x`, `x["trace"]`). */
  keysReadBack(): ReadonlySet<string> {
    if (this.readKeys) return this.readKeys;
    const out = new Set<string>();
    const root = this.nodes.functions[0] ? programOf(this.nodes.functions[0]) : undefined;
    if (root) {
      walkNodes(root, (node) => {
        if (node.type === "MemberExpression") {
          const name = memberName(node);
          if (name !== undefined) out.add(name);
        } else if (node.type === "ObjectPattern") {
          for (const p of node.properties) if (p.type === "Property") out.add(propertyKey(p) ?? "");
        }
      });
    }
    return (this.readKeys = out);
  }
  private readKeys: Set<string> | undefined;

  /**
   * `emitter.emit("job", item)` when a traced `for await` loop of this file iterates `events.on(emitter, "job")`
   * (outside the emitting call): the loop handles the item in the context it was started in.
   */
  private emitToLoop(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression): Handoff | undefined {
    const item = call.arguments[1];
    if (item.type === "SpreadElement") return undefined;
    const consumed = this.tracedConsumerLoops().some((loop) => {
      const right = unwrapExpression(loop.right);
      if (contains(loop, call) || right.type !== "CallExpression" || !this.isEventsOn(right.callee)) return false;
      const [emitter, name] = right.arguments;
      const event = name && name.type !== "SpreadElement" ? eventNameOf(name) : undefined;
      return !!emitter && emitter.type !== "SpreadElement" && event !== undefined && sameEventName(call.arguments[0], event) && this.sameObject(emitter, callee.object);
    });
    if (!consumed || this.values.valuesOf(item).some((v) => v.type === "function" || v.type === "bound") || this.itemCarriesRunTree(item)) return undefined;
    return { kind: "queued", site: call, method: "emit", receiver: callee.object, values: [item], library: "channel" };
  }

  /**
   * A data item sent to a channel that a consumer of another project module iterates (its summary's
   * `channelConsumers`), started by a call in this file outside the sending function: the channel handed to it
   * (`consume(inbox, handle)`, then `inbox.send(msg)`), or an emitter that module exports and iterates with
   * `events.on(bus, "job")` (then `bus.emit("job", job)`). The loop's body does traced work itself, or calls a handler
   * this file passes that does.
   */
  private importedChannelSend(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression): Handoff | undefined {
    const method = memberName(callee);
    if (!method || ITERATING_METHODS.has(method)) return undefined;
    const consumers = this.importedConsumers();
    if (consumers.length === 0) return undefined;
    for (const { start, module, consumer } of consumers) {
      const sender = enclosingFunction(call);
      const starter = enclosingFunction(start);
      if (starter && sender && (starter === sender || contains(starter, call))) continue;
      const emits = consumer.event !== undefined;
      if (emits && (method !== "emit" || call.arguments.length < 2 || !sameEventName(call.arguments[0], consumer.event!))) continue;
      if (consumer.polls) {
        if (!(method in POLLED_SEND_METHODS) || consumer.polls.includes(method)) continue;
      } else if (!emits && call.arguments.length !== 1) continue;
      let channel = false;
      if (consumer.param !== undefined) {
        const arg = start.arguments[consumer.param];
        channel = !!arg && arg.type !== "SpreadElement" && this.sameObject(arg, callee.object);
      } else if (consumer.exported !== undefined) {
        channel = this.values.valuesOf(callee.object).some((v) => v.type === "import" && v.module === module && v.name === consumer.exported);
      }
      if (!channel) continue;
      const traced = consumer.work || consumer.handlerParams.some((index) => {
        const arg = start.arguments[index];
        return !!arg && arg.type !== "SpreadElement" && this.work.callbackDoesTracedWork(arg);
      });
      if (!traced) continue;
      const item = call.arguments[consumer.polls ? POLLED_SEND_METHODS[method] : emits ? 1 : 0];
      if (!item || item.type === "SpreadElement" || (consumer.polls ? this.holdsCallbacks(item) : this.values.valuesOf(item).some((v) => v.type === "function" || v.type === "bound"))) return undefined;
      if (call.arguments.some((arg) => arg.type !== "SpreadElement" && this.work.carriesRunTree(arg))) return undefined;
      return { kind: "queued", site: call, method, receiver: callee.object, values: [item], library: consumer.polls ? "poller" : "channel" };
    }
    return undefined;
  }

  /** Calls in this file of project functions whose summaries say they consume a channel (see {@link consumerFacts}). */
  private importedConsumers(): { start: TSESTree.CallExpression; module: string; consumer: ChannelConsumer }[] {
    if (this.consumerCalls) return this.consumerCalls;
    const out: { start: TSESTree.CallExpression; module: string; consumer: ChannelConsumer }[] = [];
    this.consumerCalls = out; // cycle guard
    for (const call of this.nodes.calls) {
      if (call.arguments.length === 0) continue;
      const imported = call.type === "CallExpression" ? this.values.importedCall(call) : this.values.importedCalleeSummary(call);
      for (const consumer of imported?.summary.channelConsumers ?? []) out.push({ start: call as TSESTree.CallExpression, module: imported!.module, consumer });
    }
    return out;
  }
  private consumerCalls: { start: TSESTree.CallExpression; module: string; consumer: ChannelConsumer }[] | undefined;

  /**
   * For a function of this file: the `for await` loops it runs over a channel (also in a closure it starts, such as
   * an async IIFE): over a parameter (`for await (const msg of channel)`), or over `events.on(emitter, "name")` of a
   * parameter or of an emitter this module exports. With the parameters the loop body calls (handlers its caller
   * passes), and whether the body does traced work of its own. What another module's summary says of the function.
   */
  consumerFacts(fn: FunctionNode, exportedAs: (variable: unknown) => string | undefined): ChannelConsumer[] {
    const loops = new Set<TSESTree.ForOfStatement>();
    for (const call of nodesWithin(this.nodes.calls, fn)) {
      for (let node: Node | undefined = call.parent; node && node !== fn; node = node.parent) {
        if (node.type === "ForOfStatement" && node.await && contains(node.body, call)) loops.add(node);
      }
    }
    const out: ChannelConsumer[] = [];
    for (const loop of loops) {
      const right = unwrapExpression(loop.right);
      let consumer: Omit<ChannelConsumer, "handlerParams" | "work"> | undefined;
      const param = this.paramIndexOf(right, fn);
      if (param !== undefined) consumer = { param };
      else if (right.type === "CallExpression" && this.isEventsOn(right.callee)) {
        const [emitter, name] = right.arguments;
        const event = name && name.type !== "SpreadElement" ? eventNameOf(name) : undefined;
        if (emitter && emitter.type !== "SpreadElement" && event !== undefined) {
          const emitterParam = this.paramIndexOf(unwrapExpression(emitter), fn);
          const variable = emitterParam === undefined && unwrapExpression(emitter).type === "Identifier" ? this.bindings.variableOf(unwrapExpression(emitter) as TSESTree.Identifier) : undefined;
          const exported = variable ? exportedAs(variable) : undefined;
          if (emitterParam !== undefined) consumer = { param: emitterParam, event };
          else if (exported !== undefined) consumer = { exported, event };
        }
      }
      if (!consumer) continue;
      const handlerParams: number[] = [];
      let work = false;
      for (const call of nodesWithin(this.nodes.calls, loop.body)) {
        const index = this.paramIndexOf(unwrapExpression(call.callee), fn);
        if (index !== undefined) {
          if (!handlerParams.includes(index)) handlerParams.push(index);
        } else if (this.work.isTracedWork(call) && !this.work.isInPinnedContext(call, fn)) work = true;
      }
      if (handlerParams.length > 0 || work) out.push({ ...consumer, handlerParams, work });
    }
    out.push(...this.pollerFacts(fn));
    return out;
  }

  /**
   * For a function (a constructor) of this file: the timers it arms whose callbacks take items out of one of its
   * parameters (`setInterval(async () => { const job = queue.take(); if (job) await processor(job); })` in `new
   * Worker(queue, processor)`), with the parameters the callbacks call and whether they do traced work of their own.
   */
  private pollerFacts(fn: FunctionNode): ChannelConsumer[] {
    const out: ChannelConsumer[] = [];
    // Fields the function sets from its parameters (`this.#table = table`): the object a drain method reads there.
    const fieldParams = new Map<string, number>();
    for (const assignment of this.nodes.assignments) {
      if (assignment.operator !== "=" || enclosingFunction(assignment) !== fn || assignment.left.type !== "MemberExpression" || unwrapExpression(assignment.left.object).type !== "ThisExpression") continue;
      const key = memberName(assignment.left);
      const index = this.paramIndexOf(unwrapExpression(assignment.right), fn);
      if (key && index !== undefined) fieldParams.set(`${assignment.left.property.type === "PrivateIdentifier" ? "#" : ""}${key}`, index);
    }
    const paramOf = (node: Node): number | undefined => {
      const n = unwrapExpression(node);
      const direct = this.paramIndexOf(n, fn);
      if (direct !== undefined) return direct;
      if (n.type !== "MemberExpression" || unwrapExpression(n.object).type !== "ThisExpression") return undefined;
      const key = memberName(n);
      return key ? fieldParams.get(`${n.property.type === "PrivateIdentifier" ? "#" : ""}${key}`) : undefined;
    };
    for (const timer of nodesWithin(this.nodes.calls, fn)) {
      const timerCallee = timer.callee;
      if (timer.type !== "CallExpression" || timerCallee.type !== "Identifier" || (timerCallee.name !== "setInterval" && timerCallee.name !== "setTimeout") || enclosingFunction(timer) !== fn) continue;
      const first = timer.arguments[0];
      if (!first || first.type === "SpreadElement") continue;
      const callback = isFunctionNode(unwrapExpression(first)) ? (unwrapExpression(first) as FunctionNode) : this.values.valuesOf(first).find((v) => v.type === "function")?.fn;
      if (!callback) continue;
      // The callback and the methods of this object it calls (`() => this.#tick()`), two levels down.
      const drains: FunctionNode[] = [callback];
      for (let i = 0; i < drains.length && drains.length < 8; i++) {
        for (const inner of nodesWithin(this.nodes.calls, drains[i])) {
          const target = unwrapExpression(inner.callee);
          if (target.type !== "MemberExpression" || unwrapExpression(target.object).type !== "ThisExpression" || paramOf(target) !== undefined) continue;
          for (const callee of this.localCallees(inner)) if (!drains.includes(callee) && drains.length < 8) drains.push(callee);
        }
      }
      const takes = new Map<number, Set<string>>();
      const handlerParams: number[] = [];
      let work = false;
      for (const drain of drains) {
        for (const call of nodesWithin(this.nodes.calls, drain)) {
          const callee = unwrapExpression(call.callee);
          const called = paramOf(callee);
          if (called !== undefined) {
            if (!handlerParams.includes(called)) handlerParams.push(called);
            continue;
          }
          if (callee.type === "MemberExpression") {
            const method = memberName(callee);
            const taken = paramOf(callee.object);
            if (method && taken !== undefined) {
              const set = takes.get(taken) ?? new Set<string>();
              set.add(method);
              takes.set(taken, set);
              continue;
            }
          }
          if (this.work.isTracedWork(call) && !this.work.isInPinnedContext(call, drain)) work = true;
        }
      }
      for (const [param, methods] of takes) {
        if (![...methods].some((m) => !(m in POLLED_SEND_METHODS))) continue; // only keeps items: not a drain
        const handlers = handlerParams.filter((h) => h !== param);
        if (handlers.length > 0 || work) out.push({ param, handlerParams: handlers, work, polls: [...methods].sort() });
      }
    }
    return out;
  }


  /** `on` of `node:events` (`on(bus, "job")`, `events.on(...)`, `EventEmitter.on(...)`): an async iterator of an event. */
  private isEventsOn(callee: Node): boolean {
    const node = unwrapExpression(callee);
    const eventsName = (v: Value): string | undefined => {
      const source = v.type === "api" ? v.api : v.type === "import" ? v : undefined;
      return source && /^(?:node:)?events$/.test(source.module) ? source.name : undefined;
    };
    if (node.type === "Identifier") return this.values.valuesOf(node).some((v) => eventsName(v) === "on");
    if (node.type !== "MemberExpression" || memberName(node) !== "on") return false;
    return this.values.valuesOf(node.object).some((v) => ["*", "default", "EventEmitter"].includes(eventsName(v) ?? ""));
  }

  /**
   * A data item put into a store that a poller of this file drains (`jobs.push(job)` with `setInterval(() => { const
   * job = jobs.shift(); if (job) send(job); }, 5)` armed at module load, or `emails.add(x)` with a `Worker` whose
   * constructor polls `queue.take()` for it): the timer's callback runs in the context it was armed in, outside any
   * trace, so the traced work it does for the item starts a new trace. A function item is left to the other hand-offs.
   */
  private polledSend(call: TSESTree.CallExpression): Handoff | undefined {
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "MemberExpression") return undefined;
    const method = memberName(callee);
    if (!method || !(method in POLLED_SEND_METHODS)) return undefined;
    const item = call.arguments[POLLED_SEND_METHODS[method]];
    if (!item || item.type === "SpreadElement" || isFunctionNode(unwrapExpression(item))) return undefined;
    if (this.holdsCallbacks(item) || call.arguments.some((arg) => arg.type !== "SpreadElement" && this.work.carriesRunTree(arg))) return undefined;
    const pollers = this.pollers();
    if (pollers.length === 0) return undefined;
    const sender = enclosingFunction(call);
    if (!sender) return undefined;
    for (const poller of pollers) {
      if (poller.drains.some((fn) => contains(fn, call)) || contains(sender, poller.timer)) continue;
      // The sender drains the store itself (`jobs.push(job); await relay()`): the work runs in its call.
      if (nodesWithin(this.nodes.calls, sender).some((inner) => this.localCallees(inner).some((fn) => poller.drains.includes(fn)))) continue;
      if (!poller.stores.some((store) => this.storeMatches(poller, store, callee.object))) continue;
      const drainMethods = poller.drains.flatMap((fn) => (fn.parent?.type === "MethodDefinition" ? [methodName(fn)!] : []));
      return { kind: "queued", site: call, method, receiver: callee.object, values: [item], library: "poller", ...(drainMethods.length > 0 ? { drainMethods } : {}) };
    }
    return undefined;
  }

  /**
   * Whether an item is, or carries, a function (`{ message, publish }`, a job object with a `run` method): a record of
   * callbacks, left to the other hand-offs.
   */
  private holdsCallbacks(item: Node, depth = 0): boolean {
    const node = unwrapExpression(item);
    if (isFunctionNode(node)) return true;
    const values = this.values.valuesOf(node);
    if (values.some((v) => v.type === "function" || v.type === "bound") || this.work.callbackDoesTracedWork(node)) return true;
    if (depth > 2) return false;
    const literals = [node, ...values.map((v) => (v.type === "object" || v.type === "array" ? (v as { node: Node }).node : undefined))].filter((n): n is Node => !!n && (n.type === "ObjectExpression" || n.type === "ArrayExpression"));
    return literals.some((literal) => {
      const parts = literal.type === "ObjectExpression" ? literal.properties.map((p) => (p.type === "Property" ? p.value : p.argument)) : (literal as TSESTree.ArrayExpression).elements;
      return parts.some((part) => !!part && this.holdsCallbacks(part.type === "SpreadElement" ? part.argument : part, depth + 1));
    });
  }

  /**
   * Whether a poller's store is the object a send puts its item into. A store that is a parameter of the function
   * arming the timer (`new Worker(emails, processor)` polling `queue.take()`) is matched per call site: the one that
   * passes this object, whose handler arguments do the traced work (unless the drain does some of its own).
   */
  private storeMatches(poller: Poller, store: Node, receiver: Node): boolean {
    const armer = enclosingFunction(poller.timer);
    const index = armer ? this.paramIndexOf(unwrapExpression(store), armer) : undefined;
    if (armer === undefined || index === undefined) return this.sameObject(store, receiver) || this.sameMadeObject(store, receiver);
    const sites = this.callersOf(armer) ?? [];
    // The drains written with the poller, not the handlers its callers pass (which `localCallees` also resolves).
    const own = poller.drains.filter((fn) => !sites.some((site) => (site.type === "CallExpression" || site.type === "NewExpression") && site.arguments.some((a) => contains(a, fn))));
    const ownWork = own.some((fn) =>
      nodesWithin(this.nodes.calls, fn).some((call) => {
        if (!this.work.isTracedWork(call) || this.work.isInPinnedContext(call, fn)) return false;
        const callee = unwrapExpression(call.callee);
        return !(callee.type === "Identifier" && this.paramIndexOf(callee, armer) !== undefined);
      }),
    );
    return sites.some((site) => {
      if (site.type !== "CallExpression" && site.type !== "NewExpression") return false;
      const arg = site.arguments[index];
      if (!arg || arg.type === "SpreadElement" || !(this.sameObject(arg, receiver) || this.sameMadeObject(arg, receiver))) return false;
      return ownWork || site.arguments.some((other, i) => i !== index && other.type !== "SpreadElement" && this.work.callbackDoesTracedWork(other));
    });
  }

  /** Whether two expressions may hold one object made in this file (`queue`, a parameter given `emails`, and `emails`). */
  private sameMadeObject(a: Node, b: Node): boolean {
    const made = (expr: Node) => this.values.valuesOf(expr).filter((v) => v.type === "new" || v.type === "object" || v.type === "array").map((v) => (v as { node: Node }).node);
    const left = made(a);
    return left.length > 0 && made(b).some((node) => left.includes(node));
  }

  /**
   * The pollers of this file: a timer (`setInterval`, `setTimeout`) armed outside every traced scope, whose callback
   * (or the function of this file it calls) takes items out of a store (`store.shift()`, `queue.take()`, `for (const x
   * of store)`) and does traced work outside a pinned context.
   */
  private pollers(): Poller[] {
    if (this.pollerList) return this.pollerList;
    const out: Poller[] = [];
    this.pollerList = out;
    for (const call of this.nodes.calls) {
      const callee = call.callee;
      if (call.type !== "CallExpression" || callee.type !== "Identifier" || (callee.name !== "setInterval" && callee.name !== "setTimeout") || call.arguments.length === 0) continue;
      const global = this.bindings.variableOf(callee);
      if ((global && global.defs.length > 0) || this.inTracedScope(call)) continue;
      if (this.armedFromTrace(call)) continue;
      const first = call.arguments[0];
      if (first.type === "SpreadElement") continue;
      const callback = isFunctionNode(unwrapExpression(first)) ? (unwrapExpression(first) as FunctionNode) : this.values.valuesOf(first).find((v) => v.type === "function")?.fn;
      if (!callback) continue;
      // The callback, and the functions of this file it calls (`() => this.#poll()`, `relay`), one level down.
      // Only functions called by name or on `this` (`relay()`, `this.#poll()`) drain stores of their own; one called on
      // another object (`queue.take()`) takes from that object, the store.
      const callees = nodesWithin(this.nodes.calls, callback).flatMap((inner) => {
        const target = unwrapExpression(inner.callee);
        const own = target.type === "Identifier" || (target.type === "MemberExpression" && unwrapExpression(target.object).type === "ThisExpression");
        return own ? this.localCallees(inner) : [];
      });
      const drains = [callback, ...callees].filter((fn, i, all) => all.indexOf(fn) === i);
      if (!drains.some((fn) => this.work.functionDoesTracedWork(fn))) continue;
      const stores: Node[] = [];
      for (const fn of drains) {
        for (const inner of nodesWithin(this.nodes.calls, fn)) {
          const innerCallee = unwrapExpression(inner.callee);
          if (inner.type === "CallExpression" && innerCallee.type === "MemberExpression" && TAKING_METHODS.has(memberName(innerCallee) ?? "")) stores.push(innerCallee.object);
        }
        walkFor(fn, (loop) => stores.push(loop.right));
      }
      if (stores.length > 0) out.push({ timer: call, drains, stores });
    }
    return out;
  }
  private pollerList: Poller[] | undefined;

  /**
   * Whether a timer may be armed from inside a trace: the functions around it (up to a constructor, or the module) are
   * called, or their class instantiated, in a traced scope or in a function called there (a poller started lazily by
   * the first request runs in that request's trace).
   */
  private armedFromTrace(timer: Node): boolean {
    const seen = new Set<FunctionNode>();
    const pending: FunctionNode[] = [];
    const fn = enclosingFunction(timer);
    if (fn) pending.push(fn);
    while (pending.length > 0) {
      const current = pending.pop()!;
      if (seen.has(current) || seen.size > 16) continue;
      seen.add(current);
      const callers = this.callersOf(current);
      if (callers === undefined) return true; // handed away or unknown: assume the worst
      for (const site of callers) {
        if (this.inTracedScope(site)) return true;
        const outer = enclosingFunction(site);
        if (outer) pending.push(outer);
      }
    }
    return false;
  }

  /**
   * The call sites of a function of this file: of its name (a declaration or a variable holding it), of `this.name()`
   * for a method, of `new C()` for a constructor; `[]` for an IIFE's own call site's outer frame; undefined when it is
   * used otherwise (handed away).
   */
  private callersOf(fn: FunctionNode): Node[] | undefined {
    const parent = fn.parent;
    if (parent && parent.type === "CallExpression" && parent.callee === fn) return [parent];
    if (parent && parent.type === "MethodDefinition") {
      const cls = enclosingClass(parent);
      const key = classMemberKey(parent);
      if (!cls || !key) return undefined;
      if (parent.kind === "constructor") {
        const name = cls.id?.name ?? (cls.parent?.type === "VariableDeclarator" && cls.parent.id.type === "Identifier" ? cls.parent.id.name : undefined);
        if (!name) return undefined;
        return this.nodes.calls.filter((c) => c.type === "NewExpression" && unwrapExpression(c.callee).type === "Identifier" && (unwrapExpression(c.callee) as TSESTree.Identifier).name === name);
      }
      return this.nodes.calls.filter((c) => {
        const callee = unwrapExpression(c.callee);
        return callee.type === "MemberExpression" && memberName(callee) === key && enclosingClass(c) === cls;
      });
    }
    const variable = this.values.functionVariable(fn);
    if (!variable) return undefined;
    const sites: Node[] = [];
    for (const reference of variable.references) {
      const id = reference.identifier as Node;
      const ref = id.parent;
      if (ref && ref.type === "CallExpression" && ref.callee === id) sites.push(ref);
      else if (ref && (ref.type === "CallExpression" || ref.type === "NewExpression") && ref.arguments.includes(id as TSESTree.Identifier) && TIMER_GLOBALS.has((ref.callee as TSESTree.Identifier).name ?? "")) sites.push(ref);
      else if (!(ref && ref.type === "VariableDeclarator" && ref.id === id)) return undefined;
    }
    return sites;
  }

  /**
   * A data item handed to a hand-written batcher or debouncer of this file: a function returned by a factory that
   * collects its parameter into an array of the factory and arms a timer whose callback drains that array into traced
   * work (`timer ??= setTimeout(() => flush(pending.splice(0)), ms)`). The timer is armed in the async context of the
   * call that armed it (the first caller's trace), so the flush runs every other caller's item there. A function item
   * is left to the other hand-offs (stored in the array).
   */
  private batcherSend(call: TSESTree.CallExpression): Handoff | undefined {
    if (call.arguments.length === 0) return undefined;
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "Identifier" && callee.type !== "MemberExpression") return undefined;
    const batchers = this.batcherFunctions();
    const item = call.arguments[0];
    if (item.type === "SpreadElement") return undefined;
    const target = this.values.valuesOf(callee).find((v): v is Extract<typeof v, { type: "function" }> => v.type === "function" && batchers.has(v.fn));
    if (!target) return this.classBatcherSend(call, callee) ?? this.importedBatcherSend(call, callee);
    if (contains(target.fn, call)) return undefined;
    const batcher = batchers.get(target.fn)!;
    // The factory call that made this batcher (`const embedLater = makeBatcher(flush, 10)`), when the callee names it
    // (or the object it returned: `rates.load(id)` on `const rates = createBatcher(...)`).
    const holder = callee.type === "Identifier" ? callee : batcher.key && unwrapExpression(callee.object).type === "Identifier" ? unwrapExpression(callee.object) : undefined;
    const variable = holder ? this.bindings.variableOf(holder) : undefined;
    const init = variable ? this.bindings.initializerOf(variable) : undefined;
    const made = init && unwrapExpression(init).type === "CallExpression" ? (unwrapExpression(init) as TSESTree.CallExpression) : undefined;
    const factoryCall = made && this.values.valuesOf(made.callee).some((v) => v.type === "function" && v.fn === batcher.factory) ? made : undefined;
    // One made by the function that sends to it serves that call alone.
    const maker = factoryCall && enclosingFunction(factoryCall);
    if (maker && contains(maker, call)) return undefined;
    if (!this.drainTraces(batcher, factoryCall)) return undefined;
    if (!this.isDataArgument(item)) return undefined;
    const delayMs = this.delayOf(this.timerDelay(batcher), factoryCall);
    return { kind: "queued", site: call, method: callee.type === "Identifier" ? callee.name : (memberName(callee) ?? "call"), receiver: callee, values: [item], library: "batcher", ...(batcher.filler ? { drainsOtherTraces: true } : {}), ...(delayMs !== undefined ? { delayMs } : {}) };
  }

  /**
   * A call of a function a package debounced or throttled at module level (`const flush = debounce(() => ..., 15)` from
   * lodash), whose function does traced work: its timer is armed by the first call of a wait, in that call's context,
   * so the work it does for every later call's data runs there (another trace, or none). The data: the call's
   * arguments, or what the calling function put into a module-level store just before (`dirty.set(docId, ...);
   * flush()`: the key, the item pushed or added). A call without data leaves nothing of its own to the timer.
   */
  private debouncedSend(call: TSESTree.CallExpression): Handoff | undefined {
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "Identifier" && callee.type !== "MemberExpression") return undefined;
    if (!this.makesDebouncedAtLoad()) return undefined;
    const run = this.debouncedRun(callee);
    if (!run || !this.runsTracedWork(run)) return undefined;
    if (!call.arguments.every((a) => this.isDataArgument(a))) return undefined;
    const items: Node[] = [...(call.arguments as TSESTree.Expression[])];
    if (items.length === 0) {
      const stored = this.storedBefore(call);
      // A record that carries its caller's context (`{ resume: AsyncLocalStorage.snapshot(), ... }`): the flush may
      // restore it for each item.
      if (stored.some((store) => store.arguments.some((a) => a.type === "ObjectExpression" && this.work.carriesContext(a)))) return undefined;
      items.push(...stored.flatMap((store) => (store.arguments[0] && store.arguments[0].type !== "SpreadElement" && !isFunctionNode(unwrapExpression(store.arguments[0])) ? [store.arguments[0]] : [])));
    }
    if (items.length === 0) return undefined;
    const delayMs = this.debounceWait(callee);
    return { kind: "queued", site: call, method: callee.type === "Identifier" ? callee.name : (memberName(callee) ?? "call"), receiver: callee, values: items, library: "batcher", ...(delayMs !== undefined ? { delayMs } : {}) };
  }

  /**
   * Whether a call at module level may make a debounced function: a package's debounce, a factory of this file that
   * returns one, or another module's (summary fact `debounces`). Asked once per file: most files make none, and
   * {@link debouncedSend} would otherwise follow every call's callee.
   */
  private makesDebouncedAtLoad(): boolean {
    if (this.debouncedAtLoad !== undefined) return this.debouncedAtLoad;
    this.debouncedAtLoad = this.nodes.calls.some((made) => {
      if (made.type !== "CallExpression" || enclosingFunction(made)) return false;
      const api = this.values.apiOf(made.callee);
      if (api && debounceFunctionIndex(api) !== undefined) return true;
      const factory = this.values.valuesOf(made.callee).find((v): v is Extract<Value, { type: "function" }> => v.type === "function")?.fn;
      return factory ? this.debounces(factory) !== undefined : this.values.importedCalleeSummary(made)?.summary.debounces !== undefined;
    });
    return this.debouncedAtLoad;
  }
  private debouncedAtLoad: boolean | undefined;

  /**
   * For a callee that holds a function a package debounced once, at module level: the function it runs. Made by the
   * package's function itself (`debounce(flush, 15)`), by an in-file factory that debounces its parameter
   * (`makeLazy(flush, 15)` returning `debounce(fn, ms)`), or by another module's (summary fact `debounces`).
   */
  private debouncedRun(callee: Node): Node | undefined {
    const values = this.values.valuesOf(callee);
    if (values.length !== 1 || values[0].type !== "call") return undefined;
    let made = values[0].node;
    const direct = this.packageDebounce(made);
    if (direct) {
      const fn = made.arguments[direct.index];
      return fn && fn.type !== "SpreadElement" ? fn : undefined;
    }
    if (enclosingFunction(made)) {
      // Made inside a factory of this file: the module-level call that holds it (`const flush = makeLazy(fn, 15)`).
      const variable = callee.type === "Identifier" ? this.bindings.variableOf(callee) : undefined;
      const init = variable ? this.bindings.initializerOf(variable) : undefined;
      const outer = init ? unwrapExpression(init) : undefined;
      if (!outer || outer.type !== "CallExpression" || enclosingFunction(outer)) return undefined;
      made = outer;
    }
    const factory = this.values.valuesOf(made.callee).find((v): v is Extract<Value, { type: "function" }> => v.type === "function")?.fn;
    const param = factory ? this.debounces(factory) : this.values.importedCalleeSummary(made)?.summary.debounces;
    const arg = param !== undefined ? made.arguments[param] : undefined;
    return arg && arg.type !== "SpreadElement" ? arg : undefined;
  }

  /** The wait of a package's debounce made at module level that a callee holds (`debounce(flush, 15)`: 15). */
  private debounceWait(callee: Node): number | undefined {
    const values = this.values.valuesOf(callee);
    const made = values.length === 1 && values[0].type === "call" ? values[0].node : undefined;
    const direct = made && this.packageDebounce(made);
    const wait = direct ? made.arguments[direct.index + 1] : undefined;
    return wait && wait.type !== "SpreadElement" ? this.numberOf(wait) : undefined;
  }

  /** A package's debounce called at module level (`debounce(flush, 15)`): where its function argument is. */
  private packageDebounce(made: CallLike): { index: number } | undefined {
    const api = this.values.apiOf(made.callee);
    const index = api ? debounceFunctionIndex(api) : undefined;
    return index !== undefined && !enclosingFunction(made) ? { index } : undefined;
  }

  /** Whether a function a debounce runs does traced work outside a context it restores per item. */
  private runsTracedWork(fn: Node): boolean {
    // Work the function runs in a context each item carries (`resume(() => reindex(id))` with a snapshot kept in the
    // store, `withRunTree(item.parent, ...)`) keeps that item's trace.
    const target = unwrapExpression(fn);
    const body = isFunctionNode(target) ? target : this.values.valuesOf(target).find((v): v is Extract<Value, { type: "function" }> => v.type === "function")?.fn;
    return body ? nodesWithin(this.nodes.calls, body).some((inner) => this.work.isTracedWork(inner) && !this.work.isInPinnedContext(inner, body)) : this.work.callbackDoesTracedWork(fn);
  }

  /**
   * For a factory of this file: the parameter it returns debounced by a package on every return (`return debounce(fn,
   * ms)`, or what another factory of this file that does so returns for it).
   */
  debounces(fn: FunctionNode, depth = 0): number | undefined {
    const returns = this.nodes.returns.get(fn) ?? [];
    let found: number | undefined;
    for (const returned of returns) {
      const made = unwrapExpression(returned);
      if (made.type !== "CallExpression") return undefined;
      const api = this.values.apiOf(made.callee);
      let index = api ? debounceFunctionIndex(api) : undefined;
      if (index === undefined && depth < 3) {
        const inner = this.values.valuesOf(made.callee).find((v): v is Extract<Value, { type: "function" }> => v.type === "function")?.fn;
        index = inner && inner !== fn ? this.debounces(inner, depth + 1) : undefined;
      }
      const arg = index !== undefined ? made.arguments[index] : undefined;
      const param = arg ? this.paramIndexOf(unwrapExpression(arg), fn) : undefined;
      if (param === undefined || (found !== undefined && found !== param)) return undefined;
      found = param;
    }
    return found;
  }

  /**
   * The calls by which the function running `call` put something into module-level stores before it
   * (`dirty.set(docId, waiters)`, `pending.push(item)`, `ids.add(id)`), in its own frame.
   */
  private storedBefore(call: TSESTree.CallExpression): TSESTree.CallExpression[] {
    const frame = runningFrameOf(call);
    if (!frame) return [];
    const out: TSESTree.CallExpression[] = [];
    for (const store of nodesWithin(this.nodes.calls, frame)) {
      if (store.type !== "CallExpression" || store.range[0] >= call.range[0] || runningFrameOf(store) !== frame) continue;
      const method = calleeMethodName(store);
      if (method !== "push" && method !== "unshift" && method !== "set" && method !== "add") continue;
      const target = unwrapExpression((unwrapExpression(store.callee) as TSESTree.MemberExpression).object);
      const variable = target.type === "Identifier" ? this.bindings.variableOf(target) : undefined;
      if (!variable || variable.scope.type !== "module" && variable.scope.type !== "global" || !variable.defs.some((d) => d.type === "Variable")) continue;
      out.push(store);
    }
    return out;
  }

  /**
   * A data item handed to the function a factory of another project module returned (`const scheduleReindex =
   * debounce(flush, 10)` with `debounce` imported), when that module's summary says the function is a batcher
   * (`batcher`: see {@link batcherFacts}) whose drain does traced work with what this file's factory call passes.
   */
  private importedBatcherSend(call: TSESTree.CallExpression, callee: Node): Handoff | undefined {
    const values = this.values.valuesOf(callee);
    // A batcher another module makes at load and exports (`export const loadArtist = createLoader(fetchArtists)`).
    // (Not when the call sends its run tree along, for that module to restore.)
    if (values.length === 1 && values[0].type === "import" && call.arguments.length > 0 && this.isDataArgument(call.arguments[0]) && !call.arguments.some((a) => a.type !== "SpreadElement" && this.work.carriesRunTree(a)) && this.values.importFacts(values[0])?.sharedBatcher) {
      return { kind: "queued", site: call, method: callee.type === "Identifier" ? callee.name : (memberName(callee as TSESTree.MemberExpression) ?? "call"), receiver: callee, values: [call.arguments[0] as Node], library: "batcher" };
    }
    // A method of the object the factory returned (`rates.load(id)` on `const rates = createBatcher(flush)`).
    const owner = callee.type === "MemberExpression" ? this.values.valuesOf(callee.object) : [];
    const viaMethod = callee.type === "MemberExpression" && owner.length === 1 && owner[0].type === "call" && owner[0].node.type === "CallExpression" ? owner[0].node : undefined;
    const methodFacts = viaMethod ? this.values.importedCalleeSummary(viaMethod)?.summary.batcher : undefined;
    const byMethod = !!methodFacts?.key && methodFacts.key === memberName(callee as TSESTree.MemberExpression);
    if (callee.type === "MemberExpression" && !byMethod && !values.some((v) => v.type === "call")) return this.importedClassBatcherSend(call, callee);
    if (!byMethod && (values.length !== 1 || values[0].type !== "call" || values[0].node.type !== "CallExpression")) return undefined;
    const factoryCall = byMethod ? viaMethod! : (values[0] as Extract<Value, { type: "call" }>).node as TSESTree.CallExpression;
    // Only a batcher made once, at module level, is certainly shared by every caller (one made in a function may be
    // one per key or per call: `perAuthor.get(req) ?? debounce(...)`).
    if (enclosingFunction(factoryCall)) return undefined;
    // Whatever the factory is given (`createRateBatcher()` may trace in its own drain).
    const facts = byMethod ? methodFacts : this.values.importedCalleeSummary(factoryCall)?.summary.batcher;
    if (!facts || (!byMethod && facts.key)) return undefined;
    const traced = facts.drainWork || facts.drainParams.some((index) => {
      const arg = factoryCall.arguments[index];
      return !!arg && arg.type !== "SpreadElement" && this.work.callbackDoesTracedWork(arg);
    });
    const item = call.arguments[0];
    if (!traced || !this.isDataArgument(item)) return undefined;
    const delayMs = this.delayOf(facts.delay, factoryCall);
    return { kind: "queued", site: call, method: callee.type === "Identifier" ? callee.name : (memberName(callee as TSESTree.MemberExpression) ?? "call"), receiver: callee, values: [item], library: "batcher", ...(delayMs !== undefined ? { delayMs } : {}) };
  }

  /**
   * For a factory of this file whose returned function is a batcher (see `batcherSend`): the factory's parameters its
   * drain calls (`flush(items)`), and whether the drain does traced work of its own. What another module's summary
   * says of the factory it exports.
   */
  /**
   * Whether `made` (a call made at load) makes a batcher whose drain does traced work: a factory of this file or of
   * another project module whose batcher facts say so, given what this call passes.
   */
  makesTracedBatcher(made: TSESTree.CallExpression): boolean {
    if (enclosingFunction(made)) return false;
    const facts = this.localCallees(made).map((fn) => this.batcherFacts(fn)).find(Boolean) ?? this.values.importedCalleeSummary(made)?.summary.batcher;
    if (!facts || facts.key) return false;
    return facts.drainWork || facts.drainParams.some((index) => {
      const arg = made.arguments[index];
      return !!arg && arg.type !== "SpreadElement" && this.work.callbackDoesTracedWork(arg);
    });
  }

  batcherFacts(factory: FunctionNode): (BatcherDrain & { key?: string }) | undefined {
    // A method of a class that batches (see `classBatcherMethods`): the drain's calls of constructor parameters.
    const method = this.classBatcherMethods().get(factory);
    if (method) return method;
    for (const batcher of this.batcherFunctions().values()) {
      if (batcher.factory !== factory) continue;
      const drainParams: number[] = [];
      let drainWork = false;
      for (const call of nodesWithin(this.nodes.calls, batcher.drain)) {
        const index = this.factoryParamCalled(batcher, call);
        if (index >= 0) {
          // Called where each item's own context is restored (`entry.scope.runInAsyncScope(() => handler(...))`).
          if (!this.work.isInPinnedContext(call, batcher.drain) && !drainParams.includes(index)) drainParams.push(index);
        } else if (this.work.isTracedWork(call) && !this.work.isInPinnedContext(call, batcher.drain)) drainWork = true;
      }
      const delay = this.timerDelay(batcher);
      return { drainParams, drainWork, ...(batcher.key ? { key: batcher.key } : {}), ...(batcher.filler ? { drainsAcross: "filler" as const } : {}), ...(delay ? { delay } : {}) };
    }
    return undefined;
  }

  /** The index of the factory's parameter a call in the drain calls (`flush(batch)`), or -1. */
  private factoryParamCalled(batcher: Batcher, call: CallLike): number {
    const callee = unwrapExpression(call.callee);
    const variable = callee.type === "Identifier" ? this.bindings.variableOf(callee) : undefined;
    return variable?.defs[0]?.type === "Parameter" && variable.defs[0].node === batcher.factory ? batcher.factory.params.findIndex((p) => p.type === "Identifier" && p.name === (callee as TSESTree.Identifier).name) : -1;
  }

  /**
   * Whether a batcher's drain does traced work: a call of one of the factory's parameters (`flush(batch)`) as the
   * factory call that made it passes (any call site's when that call is not known), any other call as it is.
   */
  private drainTraces(batcher: Batcher, factoryCall: TSESTree.CallExpression | undefined): boolean {
    if (!factoryCall) return this.work.functionDoesTracedWork(batcher.drain);
    for (const call of nodesWithin(this.nodes.calls, batcher.drain)) {
      const index = this.factoryParamCalled(batcher, call);
      if (index >= 0) {
        if (this.work.isInPinnedContext(call, batcher.drain)) continue;
        const arg = factoryCall.arguments[index];
        if (arg && arg.type !== "SpreadElement" && this.work.callbackDoesTracedWork(arg)) return true;
      } else if (this.work.isTracedWork(call) && !this.work.isInPinnedContext(call, batcher.drain)) return true;
    }
    return false;
  }

  /**
   * A data item handed to a method of an instance of a class of this file that batches (see `classBatcherMethods`):
   * `loader.load(key)` on a module-level `new DocLoader(loadDocument)`. Its timer runs every item collected since it
   * was armed in the context of the call that armed it.
   */
  private classBatcherSend(call: TSESTree.CallExpression, callee: Node): Handoff | undefined {
    if (callee.type !== "MemberExpression") return undefined;
    const methods = this.classBatcherMethods();
    const target = this.values.valuesOf(callee).find((v): v is Extract<typeof v, { type: "function" }> => v.type === "function" && methods.has(v.fn));
    if (!target || contains(target.fn, call)) return undefined;
    const batcher = methods.get(target.fn)!;
    const instances = this.values.valuesOf(callee.object);
    if (instances.length !== 1 || instances[0].type !== "new") return undefined;
    const made = instances[0].node;
    // One instance made by the function that sends to it serves that call alone.
    const maker = enclosingFunction(made);
    if (maker && contains(maker, call)) return undefined;
    // Armed by a constructor run at module level: the drain runs outside any trace.
    const construction = this.constructionOf(made);
    return this.batcherItem(call, callee, construction.args, batcher, batcher.drainsAcross === "filler" || (batcher.drainsAcross === "creation" && construction.atLoad));
  }

  /** The same for a method of a module-level instance of another module's batching class, or of an instance it exports. */
  private importedClassBatcherSend(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression): Handoff | undefined {
    // Asked only where a method of another module's object takes plain arguments (data items).
    if (call.arguments.length === 0) return undefined;
    const instances = this.values.valuesOf(callee.object);
    if (instances.length !== 1 || (instances[0].type !== "new" && instances[0].type !== "import")) return undefined;
    if (call.arguments.some((a) => a.type === "SpreadElement" || isFunctionNode(unwrapExpression(a)))) return undefined;
    const instance = instances[0];
    const facts = this.values.importedCalleeSummary(call)?.summary.batcher;
    if (!facts) return undefined;
    // An instance another module exports is made at its load; one made here must be made at module level.
    if (instance.type === "new") {
      const construction = this.constructionOf(instance.node);
      return construction.atLoad ? this.batcherItem(call, callee, construction.args, facts, !!facts.drainsAcross) : undefined;
    }
    return instance.type === "import" ? this.batcherItem(call, callee, undefined, facts, !!facts.drainsAcross) : undefined;
  }

  /**
   * The arguments a batching class's instance was made with, and whether it was made at load: by a `new` at module
   * level, or by an in-file function returning it (`makeBatcher(3, flush)` doing `return new Batcher(size, flush)`)
   * whose one call is at module level, its parameters read as that call passes them.
   */
  private constructionOf(made: TSESTree.NewExpression): { args: CallLike["arguments"]; atLoad: boolean } {
    const maker = enclosingFunction(made);
    if (!maker) return { args: made.arguments, atLoad: true };
    const returned = (this.nodes.returns.get(maker) ?? []).some((r) => unwrapExpression(r) === made);
    const { sites, escapes } = this.values.callSites(maker);
    if (!returned || escapes || sites.length !== 1 || enclosingFunction(sites[0])) return { args: made.arguments, atLoad: false };
    const site = sites[0];
    const args = made.arguments.map((arg) => {
      const index = arg.type === "SpreadElement" ? undefined : this.paramIndexOf(unwrapExpression(arg), maker);
      return (index === undefined ? undefined : site.arguments[index]) ?? arg;
    });
    return { args, atLoad: true };
  }

  /**
   * The queued hand-off of a data item to a batcher whose drain traces (itself, or through `made`, the arguments of
   * the `new` that made it). `drainsOtherTraces`: see `Handoff.drainsOtherTraces`.
   */
  private batcherItem(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression, made: CallLike["arguments"] | undefined, { drainWork, drainParams, drainMethods, fillsAt }: BatcherDrain, drainsOtherTraces: boolean): Handoff | undefined {
    // A batch of one item: the call that adds it flushes it at once, in the caller's context.
    const fillArgument = fillsAt && "param" in fillsAt && made ? made[fillsAt.param] : undefined;
    const fill = fillsAt && "size" in fillsAt ? fillsAt.size : fillsAt && "extra" in fillsAt && fillArgument && fillArgument.type !== "SpreadElement" ? (this.numberOf(fillArgument) ?? Number.NaN) + fillsAt.extra : undefined;
    if (fill !== undefined && fill <= 1) return undefined;
    const traced = drainWork || (!!made && drainParams.some((index) => {
      const arg = made[index];
      if (!arg || arg.type === "SpreadElement") return false;
      // An options literal (`{ size: 2, handle: (image) => caption(image) }`): a function in it.
      const object = unwrapExpression(arg);
      if (object.type === "ObjectExpression") return object.properties.some((q) => q.type === "Property" && this.work.callbackDoesTracedWork(q.value as Node));
      return this.work.callbackDoesTracedWork(arg);
    }));
    const item = call.arguments[0];
    if (!traced || !item || item.type === "SpreadElement") return undefined;
    // Every argument is data (`watch(route, ceiling)`): a function among them is left to the other hand-offs.
    if (!call.arguments.every((a) => this.isDataArgument(a))) return undefined;
    // One that carries the caller's run tree (`loader.load(id, getCurrentRunTree())`): the flush may hand it over.
    if (call.arguments.some((a) => a.type !== "SpreadElement" && this.work.carriesRunTree(a))) return undefined;
    return { kind: "queued", site: call, method: memberName(callee) ?? "call", receiver: callee, values: [item], library: "batcher", ...(drainMethods && drainMethods.length > 0 ? { drainMethods } : {}), ...(drainsOtherTraces ? { drainsOtherTraces: true } : {}) };
  }

  /**
   * Methods of this file's classes that batch: a method that collects its first parameter (or a record holding it) into
   * an array of `this` and, in the same call, arms a timer whose callback drains the instance into traced work
   * (`this.#timer ??= setTimeout(() => this.#flush(), ms)`, `if (!this.#batch) queueMicrotask(() => this.#dispatch())`).
   * `drainParams`: the constructor's parameters the drain calls (`this.#loadOne = loadOne`, then `this.#loadOne(key)`);
   * `drainWork`: the drain does traced work of its own.
   */
  private classBatcherMethods(): Map<FunctionNode, BatcherDrain> {
    if (this.classBatchers) return this.classBatchers;
    const out = new Map<FunctionNode, BatcherDrain>();
    this.classBatchers = out;
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression") continue;
      const callee = call.callee;
      const armer = runningFrameOf(call);
      const definition = armer?.parent;
      if (!armer || !definition || definition.type !== "MethodDefinition" || definition.static) continue;
      const cls = enclosingClass(armer);
      if (!cls) continue;
      // An interval the constructor arms (`this.timer = setInterval(() => this.flush(), ms)`): it drains what every
      // collecting method of the instance keeps, in the context the instance was made in.
      const byConstructor = definition.kind === "constructor" && call.arguments.length > 0 && this.isGlobalTimer(call) && unwrapExpression(callee).type === "Identifier" && (unwrapExpression(callee) as TSESTree.Identifier).name === "setInterval";
      if (!byConstructor && definition.kind !== "method") continue;
      const adders = byConstructor
        ? cls.body.body.flatMap((m) => (m.type === "MethodDefinition" && !m.static && m.kind === "method" ? [m.value as FunctionNode] : []))
        : [armer];
      // What the method arms: a timer's callback, or a drain loop of the class it starts without waiting for it
      // (`if (!this.#running) this.#loop()`: the loop runs every item pushed while it runs in the starter's context).
      let drainArg: Node | undefined;
      let filled: FunctionNode | undefined;
      if (byConstructor) drainArg = unwrapExpression(call.arguments[0] as Node);
      else if (call.arguments.length > 0 && this.isGlobalTimer(call)) {
        // An interval is a drain only when armed once for the instance (`this.#timer ??= setInterval(...)`): one armed
        // per call may serve that call's item alone.
        if (callee.type === "Identifier" && callee.name === "setInterval" && !armedOncePerInstance(call, armer)) continue;
        drainArg = unwrapExpression(call.arguments[0] as Node);
      } else {
        drainArg = this.drainLoopStarted(call, cls);
        if (!drainArg) drainArg = filled = this.flushWhenFull(call, armer, cls);
      }
      if (!drainArg || !isFunctionNode(drainArg)) continue;
      for (const adder of adders) {
        const param = adder.params[0];
        if (out.has(adder) || !param || param.type !== "Identifier" || !this.collectsIntoThis(adder, param)) continue;
        this.addClassBatcher(out, cls, adder, drainArg, byConstructor ? "creation" : filled ? "filler" : undefined, filled ? fillThreshold(call, armer) : undefined);
      }
    }
    return out;
  }

  /** Records `adder` as a batcher method whose items `drain` runs: with the constructor parameters it calls, or traced work. */
  private addClassBatcher(out: Map<FunctionNode, BatcherDrain>, cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, adder: FunctionNode, drainArg: FunctionNode, drainsAcross: DrainsAcross | undefined, threshold?: { node: Node; extra: number }): void {
    const ctor = cls.body.body.find((m): m is TSESTree.MethodDefinition => m.type === "MethodDefinition" && m.kind === "constructor")?.value as FunctionNode | undefined;
    const ctorParams: number[] = [];
    let drainWork = false;
    const visit = (fn: FunctionNode, depth: number) => {
      for (const inner of nodesWithin(this.nodes.calls, fn)) {
        const target = unwrapExpression(inner.callee);
        if (target.type === "MemberExpression" && unwrapExpression(target.object).type === "ThisExpression") {
          const key = memberName(target);
          const index = ctor && key ? this.ctorParamHeld(ctor, key) : undefined;
          if (index !== undefined) {
            // Run in a context the record carries (`scope.runInAsyncScope(() => this.#loadOne(key))`): pinned.
            if (!ctorParams.includes(index) && !this.work.isInPinnedContext(inner, fn)) ctorParams.push(index);
            continue;
          }
          const method = key ? cls.body.body.find((m): m is TSESTree.MethodDefinition => m.type === "MethodDefinition" && !m.static && classMemberKey(m) === key) : undefined;
          if (method && depth < 2) {
            visit(method.value as FunctionNode, depth + 1);
            continue;
          }
        }
        if (this.work.isTracedWork(inner) && !this.work.isInPinnedContext(inner, fn)) drainWork = true;
      }
    };
    visit(drainArg, 0);
    // The methods the drain is (`() => this.flush()`, or the flush method itself): what a caller may call to flush the
    // batch itself.
    const drainMethods: string[] = [];
    const own = drainArg.parent?.type === "MethodDefinition" ? classMemberKey(drainArg.parent) : undefined;
    if (own) drainMethods.push(own);
    for (const inner of nodesWithin(this.nodes.calls, drainArg)) {
      const target = unwrapExpression(inner.callee);
      const key = target.type === "MemberExpression" && unwrapExpression(target.object).type === "ThisExpression" ? memberName(target) : undefined;
      if (key && !drainMethods.includes(key) && runningFrameOf(inner) === drainArg && cls.body.body.some((m) => m.type === "MethodDefinition" && !m.static && classMemberKey(m) === key)) drainMethods.push(key);
    }
    // How many items fill the batch: a number, or the constructor parameter a field holds (`this.size = size`).
    let fillsAt: BatcherDrain["fillsAt"];
    if (threshold) {
      const size = this.numberOf(threshold.node);
      const held = unwrapExpression(threshold.node);
      const key = held.type === "MemberExpression" && unwrapExpression(held.object).type === "ThisExpression" ? memberName(held) : undefined;
      const param = ctor && key ? this.ctorParamHeld(ctor, key) : undefined;
      if (size !== undefined) fillsAt = { size: size + threshold.extra };
      else if (param !== undefined) fillsAt = { param, extra: threshold.extra };
    }
    if (drainWork || ctorParams.length > 0) out.set(adder, { drainWork, drainParams: ctorParams, ...(drainMethods.length > 0 ? { drainMethods } : {}), ...(drainsAcross ? { drainsAcross } : {}), ...(fillsAt ? { fillsAt } : {}) });
  }

  /**
   * For `this.#loop()` called and not awaited: the class's async method it starts, when that method loops (`while`,
   * `for`) and awaits inside the loop: a drain loop that keeps running while later calls push more items.
   */
  private drainLoopStarted(call: TSESTree.CallExpression, cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): FunctionNode | undefined {
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "MemberExpression" || unwrapExpression(callee.object).type !== "ThisExpression" || call.parent?.type === "AwaitExpression") return undefined;
    const key = memberName(callee);
    const method = key ? cls.body.body.find((m): m is TSESTree.MethodDefinition => m.type === "MethodDefinition" && !m.static && m.kind === "method" && classMemberKey(m) === key) : undefined;
    const fn = method?.value as FunctionNode | undefined;
    if (!fn || !fn.async) return undefined;
    let loops = false;
    walkNodes(fn.body, (node) => {
      if (loops || !/^(While|DoWhile|For|ForOf)Statement$/.test(node.type)) return;
      walkNodes((node as TSESTree.WhileStatement).body, (inner) => {
        if (inner.type === "AwaitExpression") loops = true;
      });
    });
    return loops ? fn : undefined;
  }

  /** Whether a method puts its parameter (or a record holding it) into an array, set or map of `this`, during its call. */
  private collectsIntoThis(method: FunctionNode, param: TSESTree.Identifier): boolean {
    const variable = this.bindings.variableOf(param);
    if (!variable) return false;
    return nodesWithin(this.nodes.calls, method).some((call) => {
      if (call.type !== "CallExpression" || runningFrameOf(call) !== method) return false;
      const method_ = calleeMethodName(call);
      // Into an array, a set or a map of `this` (`this.buffer.set(ping.vehicleId, list)`).
      if (method_ !== "push" && method_ !== "unshift" && method_ !== "add" && method_ !== "set") return false;
      const array = unwrapExpression((unwrapExpression(call.callee) as TSESTree.MemberExpression).object);
      if (array.type !== "MemberExpression" || unwrapExpression(array.object).type !== "ThisExpression") return false;
      return variable.references.some((r) => call.arguments.some((a) => contains(a, r.identifier as Node)));
    });
  }

  /** The delay of the timer that arms a batcher's drain: a number it spells, or the factory parameter it is. */
  private timerDelay(batcher: Batcher): { ms: number } | { param: number } | undefined {
    const arg = batcher.timer?.arguments[1];
    if (!arg || arg.type === "SpreadElement") return undefined;
    const ms = this.numberOf(arg);
    if (ms !== undefined) return { ms };
    const param = this.paramIndexOf(unwrapExpression(arg), batcher.factory);
    return param !== undefined ? { param } : undefined;
  }

  /** The delay in ms a batcher's facts give for the call that made it (`makeBatcher(flush, 40)`). */
  private delayOf(delay: BatcherDrain["delay"], made: TSESTree.CallExpression | undefined): number | undefined {
    if (!delay) return undefined;
    if ("ms" in delay) return delay.ms;
    const arg = made?.arguments[delay.param];
    return arg && arg.type !== "SpreadElement" ? this.numberOf(arg) : undefined;
  }

  /** The number an expression spells: a numeric literal, or a `const` initialised with one. */
  private numberOf(expr: Node): number | undefined {
    return constNumber(expr, (id) => this.bindings.variableOf(id));
  }

  /** The constructor parameter a field of `this` holds (`this.#loadOne = loadOne`), by its key. */
  private ctorParamHeld(ctor: FunctionNode, key: string): number | undefined {
    // A parameter, or a name an options pattern takes (`constructor({ size, handle })`): the parameter's index.
    const paramOf = (name: string) => parameterPlace(ctor, name)?.index ?? -1;
    // A parameter property (`constructor(private size: number)`) is the field of its name.
    const own = parameterPlace(ctor, key);
    if (own && own.key === undefined && ctor.params[own.index].type === "TSParameterProperty") return own.index;
    for (const assignment of this.nodes.assignments) {
      if (!contains(ctor, assignment) || assignment.operator !== "=") continue;
      const left = unwrapExpression(assignment.left);
      if (left.type !== "MemberExpression" || unwrapExpression(left.object).type !== "ThisExpression" || memberName(left) !== key) continue;
      const right = unwrapExpression(assignment.right);
      if (right.type !== "Identifier") continue;
      const index = paramOf(right.name);
      if (index >= 0) return index;
    }
    // `Object.assign(this, { size, handle })`.
    for (const call of nodesWithin(this.nodes.calls, ctor)) {
      const callee = unwrapExpression(call.callee);
      if (call.type !== "CallExpression" || callee.type !== "MemberExpression" || memberName(callee) !== "assign" || unwrapExpression(callee.object).type !== "Identifier" || (unwrapExpression(callee.object) as TSESTree.Identifier).name !== "Object") continue;
      const [target, source] = call.arguments;
      if (!target || unwrapExpression(target as Node).type !== "ThisExpression" || !source || source.type === "SpreadElement") continue;
      const object = unwrapExpression(source);
      if (object.type !== "ObjectExpression") continue;
      const property = object.properties.find((q): q is TSESTree.Property => q.type === "Property" && propertyKey(q) === key);
      const value = property ? unwrapExpression(property.value as Node) : undefined;
      const index = value?.type === "Identifier" ? paramOf(value.name) : -1;
      if (index >= 0) return index;
    }
    return undefined;
  }

  /**
   * A method of the class the adder calls on `this` only once the store is full (`if (this.pending.length >= this.size)
   * this.flush()`): the caller that fills it runs every item collected before, those of other callers too.
   */
  private flushWhenFull(call: TSESTree.CallExpression, adder: FunctionNode, cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): FunctionNode | undefined {
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "MemberExpression" || unwrapExpression(callee.object).type !== "ThisExpression" || call.arguments.length > 0) return undefined;
    if (!fullTestAround(call, adder)) return undefined;
    const key = memberName(callee);
    const method = key ? cls.body.body.find((m): m is TSESTree.MethodDefinition => m.type === "MethodDefinition" && !m.static && m.kind === "method" && classMemberKey(m) === key) : undefined;
    return method ? (method.value as FunctionNode) : undefined;
  }

  /** The hand-written batchers of this file (see `batcherSend`), found from the timer calls up. */
  private batcherFunctions(): Map<FunctionNode, Batcher> {
    if (this.batchers) return this.batchers;
    const out = new Map<FunctionNode, Batcher>();
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression" || call.arguments.length === 0 || !this.isGlobalTimer(call)) continue;
      // The function whose call arms it (past a `new Promise` executor around it).
      const adder = runningFrameOf(call);
      const param = adder?.params[0];
      if (!adder || !param || param.type !== "Identifier" || out.has(adder)) continue;
      const factory = enclosingFunction(adder);
      if (!factory) continue;
      // The factory returns the adder, or an object holding it (`return { load(item) { ... } }`).
      const handedBack = this.returnedAdder(adder, factory);
      if (!handedBack) continue;
      const pending = this.pendingArrayOf(adder, param, factory);
      if (!pending) continue;
      const drainArg = call.arguments[0];
      const drain = drainArg.type === "SpreadElement" ? undefined : isFunctionNode(unwrapExpression(drainArg)) ? (unwrapExpression(drainArg) as FunctionNode) : this.values.valuesOf(drainArg).find((v) => v.type === "function")?.fn;
      if (!drain || !pending.references.some((r) => contains(drain, r.identifier as Node))) continue;
      out.set(adder, { factory, drain, timer: call, ...handedBack });
    }
    // An adder that drains the batch itself once it is full (`if (buf.length >= size) { ...; onBatch(full) }`), with a
    // call of one of the factory's parameters, or traced work, under that test.
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression" || !fullTestAround(call)) continue;
      const adder = runningFrameOf(call);
      const param = adder?.params[0];
      const factory = adder && enclosingFunction(adder);
      if (!adder || !factory || !param || param.type !== "Identifier" || out.has(adder)) continue;
      const callee = unwrapExpression(call.callee);
      const variable = callee.type === "Identifier" ? this.bindings.variableOf(callee) : undefined;
      const callsFactoryParam = variable?.defs[0]?.type === "Parameter" && variable.defs[0].node === factory;
      if (!callsFactoryParam && !this.work.isTracedWork(call)) continue;
      const handedBack = this.returnedAdder(adder, factory);
      if (!handedBack) continue;
      if (!this.pendingArrayOf(adder, param, factory)) continue;
      out.set(adder, { factory, drain: adder, filler: true, ...handedBack });
    }
    return (this.batchers = out);
  }

  /** How `factory` hands `adder` back: itself (`{}`), or as the method `key` of an object it returns; undefined when it does not. */
  private returnedAdder(adder: FunctionNode, factory: FunctionNode): { key?: string } | undefined {
    const returned = (this.nodes.returns.get(factory) ?? []).flatMap((r) => this.values.valuesOf(r));
    const key = adder.parent?.type === "Property" && returned.some((v) => v.type === "object" && v.node.properties.includes(adder.parent as TSESTree.Property)) ? propertyKey(adder.parent) : undefined;
    if (key) return { key };
    return returned.some((v) => v.type === "function" && v.fn === adder) ? {} : undefined;
  }

  /** `setTimeout(...)` and the other global timers (not a local of that name), or `process.nextTick(...)`. */
  private isGlobalTimer(call: TSESTree.CallExpression): boolean {
    const callee = unwrapExpression(call.callee);
    if (callee.type === "Identifier") return TIMER_GLOBALS.has(callee.name) && this.bindings.isGlobal(callee);
    return callee.type === "MemberExpression" && memberName(callee) === "nextTick" && unwrapExpression(callee.object).type === "Identifier" && (unwrapExpression(callee.object) as TSESTree.Identifier).name === "process";
  }

  /** The factory's array a batcher function pushes its parameter into (`pending.push(item)`, `pending.push({ item, resolve })`). */
  private pendingArrayOf(adder: FunctionNode, param: TSESTree.Identifier, factory: FunctionNode) {
    const paramVariable = this.bindings.variableOf(param);
    if (!paramVariable) return undefined;
    for (const call of nodesWithin(this.nodes.calls, adder)) {
      if (call.type !== "CallExpression" || runningFrameOf(call) !== adder) continue;
      const method = calleeMethodName(call);
      // An array, or a map or set keyed by the call (`pending.set(key, { payload, resolve })`) whose drain walks it all.
      const keyed = method === "set" || method === "add";
      if (method !== "push" && method !== "unshift" && !keyed) continue;
      const array = unwrapExpression((unwrapExpression(call.callee) as TSESTree.MemberExpression).object);
      if (keyed && !this.walkedWhole(array, adder)) continue;
      // The array itself, or one of an object the factory holds (`pending.keys.push(key)`, `pending` made per batch).
      const holder = array.type === "Identifier" ? array : !keyed && array.type === "MemberExpression" ? rootIdentifier(array) : undefined;
      if (!holder || holder.type !== "Identifier") continue;
      const variable = this.bindings.variableOf(holder);
      if (!variable || !this.bindings.isDeclaredInside(variable, factory) || this.bindings.isDeclaredInside(variable, adder)) continue;
      if (paramVariable.references.some((r) => call.arguments.some((a) => contains(a, r.identifier as Node)))) return variable;
    }
    return undefined;
  }

  /**
   * Whether a map or set of a factory is walked whole by a timer callback its adder arms (`[...pending.entries()]`,
   * `pending.forEach(...)`, `for (const x of pending)`): one drain for every caller's entry, not one per key.
   */
  private walkedWhole(store: Node, adder: FunctionNode): boolean {
    if (store.type !== "Identifier") return false;
    const variable = this.bindings.variableOf(store);
    const isStore = (node: Node | null | undefined): boolean => {
      const target = node ? unwrapExpression(node) : undefined;
      return target?.type === "Identifier" && this.bindings.variableOf(target) === variable;
    };
    return nodesWithin(this.nodes.calls, adder).some((call) => {
      if (call.type !== "CallExpression" || !this.isGlobalTimer(call)) return false;
      const first = call.arguments[0] ? unwrapExpression(call.arguments[0] as Node) : undefined;
      if (!first || !isFunctionNode(first)) return false;
      let found = false;
      walkNodes(first.body, (node) => {
        if (found) return;
        if (node.type === "SpreadElement" && isStore(node.argument)) found = true;
        else if (node.type === "ForOfStatement" && isStore(node.right)) found = true;
        else if (node.type === "CallExpression") {
          const callee = unwrapExpression(node.callee);
          if (callee.type === "MemberExpression" && ["entries", "values", "keys", "forEach"].includes(memberName(callee) ?? "") && isStore(callee.object)) found = true;
          if (callee.type === "MemberExpression" && memberName(callee) === "from" && node.arguments[0] && isStore(node.arguments[0] as Node)) found = true;
        }
      });
      return found;
    });
  }

  /**
   * `for await` loops whose body does traced work outside a pinned context (found from the calls up). Asked for every
   * one-argument method call: a call is asked whether it is traced work only when it sits in such a loop's body.
   */
  private tracedConsumerLoops(): TSESTree.ForOfStatement[] {
    if (this.consumerLoops) return this.consumerLoops;
    const loops = new Set<TSESTree.ForOfStatement>();
    for (const call of this.nodes.calls) {
      for (let child: Node = call, node: Node | undefined = call.parent; node && !isFunctionNode(node); child = node, node = node.parent) {
        if (node.type === "ForOfStatement" && node.await && child === node.body) {
          if (!this.work.isTracedWork(call)) break;
          const fn = enclosingFunctionOf(node);
          if (!fn || !this.work.isInPinnedContext(call, fn)) loops.add(node);
          break;
        }
      }
    }
    return (this.consumerLoops = [...loops]);
  }
  private consumerLoops: TSESTree.ForOfStatement[] | undefined;
  private batchers: Map<FunctionNode, Batcher> | undefined;
  private classBatchers: Map<FunctionNode, BatcherDrain> | undefined;

  /** Whether two expressions name the same object: one variable, or one member of `this` in the same class. */
  private sameObject(a: Node, b: Node): boolean {
    const x = unwrapExpression(a);
    const y = unwrapExpression(b);
    if (x.type === "Identifier" && y.type === "Identifier") {
      const variable = this.bindings.variableOf(x);
      return !!variable && variable === this.bindings.variableOf(y);
    }
    if (x.type !== "MemberExpression" || y.type !== "MemberExpression" || x.computed || y.computed) return false;
    const name = memberName(x);
    if (!name || name !== memberName(y) || (x.property.type === "PrivateIdentifier") !== (y.property.type === "PrivateIdentifier")) return false;
    const ox = unwrapExpression(x.object);
    const oy = unwrapExpression(y.object);
    if (ox.type === "ThisExpression" && oy.type === "ThisExpression") return !!enclosingClass(ox) && enclosingClass(ox) === enclosingClass(oy);
    return this.sameObject(ox, oy);
  }

  /** Which parameters of `fn` reach a hand-off, and which. */
  summaryOf(fn: FunctionNode, depth = 0): Map<number, ParamHandoff[]> {
    const cached = this.summaries.get(fn);
    if (cached) return cached;
    const result = new Map<number, ParamHandoff[]>();
    if (depth > SUMMARY_DEPTH || this.computing.has(fn)) return result;
    this.computing.add(fn);
    try {
      const add = (index: number, entry: ParamHandoff) => {
        const list = result.get(index);
        if (list) list.push(entry);
        else result.set(index, [entry]);
      };
      for (const handoff of this.all()) {
        if (!contains(fn, handoff.site) || handoff.site === fn) continue;
        if (this.work.isInPinnedContext(handoff.site, fn)) continue;
        const receiverParam = handoff.receiver ? this.paramIndexOf(rootIdentifier(handoff.receiver), fn) : undefined;
        const deferred = runsInBody(handoff.site, fn) ? {} : { deferred: true };
        for (const value of handoff.values) {
          for (const index of this.paramsIn(value, fn, 0)) {
            if (this.repinnedParam(fn, index)) continue;
            const keys = this.destructuredKeysIn(value, fn, index);
            add(index, { handoff, receiverParam, via: [], ...deferred, ...(keys ? { keys } : {}) });
          }
          for (const index of this.elementParamsIn(value, fn)) add(index, { handoff, receiverParam, via: [], elements: true, ...deferred });
        }
        // `queue.addAll(tasks)` with the array a parameter: the caller's array holds the tasks.
        if (handoff.taskArray) {
          const index = this.paramIndexOf(unwrapExpression(handoff.taskArray), fn);
          if (index !== undefined) add(index, { handoff, receiverParam, via: [], ...deferred });
        }
      }
      // What the functions `fn` calls hand over, mapped onto `fn`'s parameters.
      const mapInner = (call: TSESTree.CallExpression, inner: Map<number, ParamHandoff[]>, callee?: FunctionNode) => {
        for (const [innerIndex, entries] of inner) {
          const arg = call.arguments[innerIndex];
          if (!arg || arg.type === "SpreadElement") continue;
          // The argument is the parameter (or holds it), or one element of it (`jobs.map((job) => schedule(job))`).
          const reached = [...this.paramsIn(arg, fn, 0).map((index) => ({ index, elements: false })), ...this.elementParamsIn(arg, fn).map((index) => ({ index, elements: true }))];
          for (const { index, elements } of reached) {
            for (const entry of entries) {
              if (elements && entry.elements) continue; // arrays of arrays: not followed
              let receiverParam: number | undefined;
              if (entry.receiverParam !== undefined) {
                const receiverArg = call.arguments[entry.receiverParam];
                if (!receiverArg || receiverArg.type === "SpreadElement") continue;
                receiverParam = this.paramIndexOf(rootIdentifier(receiverArg), fn);
                if (receiverParam === undefined) continue; // a concrete receiver in this frame: judged by the caller's detector
              } else if (!callee && entry.imported?.receiver?.perObject) {
                // A store of the object whose method this is (`target.get(key, cb)` on a loader the caller passes): the
                // object is what the caller passes, judged at its call.
                const method = unwrapExpression(call.callee);
                if (method.type === "MemberExpression") receiverParam = this.paramIndexOf(rootIdentifier(method.object), fn);
              }
              const mapped: ParamHandoff = { handoff: entry.handoff, receiverParam, via: callee ? [callee, ...entry.via] : entry.via };
              const keys = elements ? undefined : this.destructuredKeysIn(arg, fn, index);
              if (keys) mapped.keys = keys;
              if (entry.imported) mapped.imported = entry.imported;
              if (elements || entry.elements) mapped.elements = true;
              if (entry.deferred || !runsInBody(call, fn)) mapped.deferred = true;
              add(index, mapped);
            }
          }
        }
      };
      for (const call of nodesWithin(this.nodes.calls, fn)) {
        if (call.type !== "CallExpression") continue;
        for (const callee of this.values.valuesOf(call.callee)) {
          if (callee.type !== "function" || callee.fn === fn || contains(callee.fn, call)) continue;
          mapInner(call, this.summaryOf(callee.fn, depth + 1), callee.fn);
        }
        // A function imported from a project module (its summary resolved at this call).
        const imported = this.importedSummaryOf(call);
        if (imported) mapInner(call, imported.summary);
        // `jobs.map(schedule)` over a parameter: the helper's first parameter takes each of its elements.
        const pointFree = this.pointFreeHelpers(call);
        if (pointFree) {
          for (const index of this.paramsIn(pointFree.array, fn, 0)) {
            for (const helper of pointFree.helpers) {
              if (helper.fn === fn) continue;
              for (const entry of helper.summary.get(0) ?? []) {
                if (entry.elements || entry.receiverParam !== undefined) continue;
                const mapped: ParamHandoff = { handoff: entry.handoff, via: helper.fn ? [helper.fn, ...entry.via] : entry.via, elements: true };
                if (entry.imported) mapped.imported = entry.imported;
                add(index, mapped);
              }
            }
          }
        }
      }
    } finally {
      this.computing.delete(fn);
    }
    this.summaries.set(fn, result);
    return result;
  }

  /**
   * A method call on an object other modules inject (`outbox.enqueue(task)` with `outbox` a parameter that every
   * caller fills with an instance of one project class): that class's summary says what the method does.
   */
  private injectedMethodKnown(call: TSESTree.CallExpression): boolean {
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "MemberExpression" || unwrapExpression(callee.object).type !== "Identifier") return false;
    const values = this.values.valuesOf(callee.object);
    if (values.length > 0 && !values.every((v) => v.type === "unknown")) return false;
    return this.values.importedCall(call) !== undefined;
  }

  /** The parameters of `fn` that `expr` hands over: the parameter itself, inside an object or array literal, or captured by a closure. */
  paramsIn(expr: Node, fn: FunctionNode, depth: number): number[] {
    if (depth > 4) return [];
    const node = unwrapExpression(expr);
    switch (node.type) {
      case "Identifier": {
        // A parameter the function replaced before this read (`job = { ...job, run: AsyncLocalStorage.bind(job.run) }`):
        // what it holds here is the new value.
        const replaced = this.replacedParameterValue(node, fn);
        if (replaced) return this.paramsIn(replaced, fn, depth + 1);
        const direct = this.paramIndexOf(node, fn) ?? this.destructuredParamIndexOf(node, fn);
        if (direct !== undefined) return [direct];
        // A value of a parameter object, taken in a loop (`for (const [event, fn] of Object.entries(handlers))`): the
        // caller's object holds it.
        const each = eachValueParam({ handoffs: this }, node, fn);
        if (each !== undefined) return [each];
        const variable = this.bindings.variableOf(node);
        if (!variable || !this.bindings.isDeclaredInside(variable, fn)) return [];
        const init = this.bindings.initializerOf(variable);
        return init ? this.paramsIn(init, fn, depth + 1) : [];
      }
      case "MemberExpression":
        // A function the caller passes inside an object (`handlers.cleanup` of a `handlers` parameter): the caller's
        // argument holds it.
        return !node.computed && unwrapExpression(node.object).type === "Identifier" ? this.paramsIn(node.object, fn, depth + 1) : [];
      case "ObjectExpression":
        if (this.work.carriesContext(node)) return [];
        return node.properties.flatMap((p, i) => {
          if (p.type === "Property") return this.paramsIn(p.value, fn, depth + 1);
          // `{ ...job, run: AsyncLocalStorage.bind(job.run) }`: the spread object's function is replaced by itself,
          // pinned (a later key whose value pins a member of the spread object).
          const spread = unwrapExpression(p.argument);
          const repinned = node.properties.slice(i + 1).some((q) => {
            const value = q.type === "Property" ? unwrapExpression(q.value as Node) : undefined;
            if (!q || q.type !== "Property" || value?.type !== "CallExpression" || !this.work.isContextPinningCall(value)) return false;
            const pinned = value.arguments[0];
            const member = pinned && pinned.type !== "SpreadElement" ? unwrapExpression(pinned) : undefined;
            return member?.type === "MemberExpression" && memberName(member) === propertyKey(q) && spread.type === "Identifier" && unwrapExpression(member.object).type === "Identifier" && (unwrapExpression(member.object) as TSESTree.Identifier).name === spread.name;
          });
          return repinned ? [] : this.paramsIn(p.argument, fn, depth + 1);
        });
      case "ArrayExpression":
        return node.elements.flatMap((e) => (e ? this.paramsIn(e.type === "SpreadElement" ? e.argument : e, fn, depth + 1) : []));
      case "ConditionalExpression":
        // `rt ? () => withRunTree(rt, task) : task`: the bare branch is the fallback when there is no context to pin.
        if (this.work.pinsContext(node.consequent) || this.work.pinsContext(node.alternate)) return [];
        return [...this.paramsIn(node.consequent, fn, depth + 1), ...this.paramsIn(node.alternate, fn, depth + 1)];
      case "LogicalExpression":
        // `cb && AsyncResource.bind(cb)`: when the left side is truthy (a function), the right side is the value.
        if (node.operator === "&&") return this.paramsIn(node.right, fn, depth + 1);
        return [...this.paramsIn(node.left, fn, depth + 1), ...this.paramsIn(node.right, fn, depth + 1)];
      case "CallExpression": {
        if (this.work.isContextPinningCall(node)) return [];
        const callee = unwrapExpression(node.callee);
        if (callee.type === "MemberExpression" && memberName(callee) === "bind") return this.paramsIn(callee.object, fn, depth + 1);
        // `iterable[Symbol.asyncIterator]()`: a generator object's iterator is the object itself.
        if (callee.type === "MemberExpression" && callee.computed && node.arguments.length === 0 && isSymbolIterator(callee.property)) return this.paramsIn(callee.object, fn, depth + 1);
        // A hook that gives its argument back as it is (`prepare(run)` with `prepare = (fn) => fn` the only value the
        // model sees): the argument is what is handed over.
        if (this.values.returnsArgumentAsIs(node)) return node.arguments.flatMap((a) => (a.type === "SpreadElement" ? [] : this.paramsIn(a, fn, depth + 1)));
        return [];
      }
      case "ArrowFunctionExpression":
      case "FunctionExpression": {
        // A closure that calls a parameter, or hands it to a call it makes (`Promise.resolve().then(task)`), hands
        // that parameter on: whoever calls the closure runs it.
        const out: number[] = [];
        for (const call of nodesWithin(this.nodes.calls, node)) {
          if (call.type === "CallExpression" && this.work.isContextPinningCall(call)) continue;
          // Run inside a pinning call made in the closure (`inCallerContext(() => resolve(task(row)))` with
          // `inCallerContext = AsyncLocalStorage.snapshot()`): pinned to where the pin was made.
          if (this.work.isInPinnedContext(call, node)) continue;
          for (const used of [call.callee, ...call.arguments]) {
            const index = this.paramIndexOf(unwrapExpression(used), fn);
            if (index !== undefined && !out.includes(index)) out.push(index);
          }
          // A closure of `fn` that calls another closure of `fn` which uses the parameter (`() => tryOnce(n + 1)`,
          // where `tryOnce` calls `attempt`): whoever calls the first runs the parameter too.
          const callee = unwrapExpression(call.callee);
          if (callee.type === "Identifier" && this.paramIndexOf(callee, fn) === undefined) {
            for (const index of this.paramsIn(callee, fn, depth + 1)) if (!out.includes(index)) out.push(index);
          }
        }
        return out;
      }
      default:
        return [];
    }
  }

  /**
   * The parameters of `fn` of which `expr` is one element: the first parameter of an inline callback of an array
   * method called on the parameter (`jobs.map((job) => ...)`), or the variable of a `for…of` over it.
   */
  elementParamsIn(expr: Node, fn: FunctionNode): number[] {
    // `list.push(...jobs)`: each element of the array parameter.
    if (expr.type === "SpreadElement") {
      const spread = unwrapExpression(expr.argument);
      const index = spread.type === "Identifier" ? this.paramIndexOf(spread, fn) : undefined;
      return index === undefined ? [] : [index];
    }
    const node = unwrapExpression(expr);
    if (node.type !== "Identifier") return [];
    const variable = this.bindings.variableOf(node);
    const def = variable?.defs[0];
    const owner = def?.node as Node | undefined;
    if (!variable || !def || !owner || owner === fn || !contains(fn, owner)) return [];
    let source: Node | undefined;
    if (def.type === "Parameter" && isFunctionNode(owner) && owner !== fn && owner.params[0] === def.name) {
      const call = owner.parent;
      const callee = call && call.type === "CallExpression" && call.arguments[0] === owner ? unwrapExpression(call.callee) : undefined;
      if (callee && callee.type === "MemberExpression" && ITERATING_METHODS.has(memberName(callee) ?? "")) source = callee.object;
    } else if (def.type === "Variable" && owner.type === "VariableDeclarator" && !owner.init && owner.id === def.name) {
      const loop = owner.parent?.parent;
      if (loop && loop.type === "ForOfStatement") source = loop.right;
    }
    if (!source) return [];
    const index = this.paramIndexOf(unwrapExpression(source), fn);
    return index === undefined ? [] : [index];
  }

  /**
   * `work.map(submit)`: the helpers a function reference handed point-free to an array method stands for (in this
   * file, or imported from a project module), each called with every element of the array. Of an imported helper,
   * only what it does with its first parameter on a receiver of its own counts (the array method passes no receiver).
   */
  pointFreeHelpers(call: CallLike): PointFreeCall | undefined {
    const form = pointFreeCallback(call);
    if (!form) return undefined;
    const helpers: HelperSummary[] = [];
    for (const value of this.values.valuesOf(form.callback)) {
      if (value.type === "function" && isFunctionNode(value.fn)) helpers.push({ name: this.nameOf(value.fn), fn: value.fn, summary: this.summaryOf(value.fn) });
    }
    const imported = helpers.length === 0 && call.type === "CallExpression" ? this.values.importedFunction(form.callback) : undefined;
    if (imported) {
      const entries: ParamHandoff[] = [];
      for (const entry of imported.summary.handoffs) {
        if (entry.param !== 0 || entry.receiverParam !== undefined || !entry.kind || entry.taskArray) continue;
        const handoff: Handoff = { kind: entry.kind, site: call, method: entry.method, values: [], taskArray: form.array, library: entry.library };
        entries.push({ handoff, via: [], elements: true, imported: { module: imported.module, name: imported.name, via: entry.via, receiver: entry.receiver } });
      }
      if (entries.length > 0) helpers.push({ name: imported.localName, summary: new Map([[0, entries]]) });
    }
    return helpers.length > 0 ? { array: form.array, callback: form.callback, helpers } : undefined;
  }

  /** If `identifier` names a parameter of `fn` (not destructured), its index. */
  /**
   * Whether this file consumes `receiver`'s event `event` with `for await (... of on(receiver, event))` (`events.on`,
   * the same binding): the emitted arguments are queued for that loop.
   */
  private consumedByAsyncIterator(receiver: Node, event: Node | undefined): boolean {
    const name = event && event.type === "Literal" && typeof event.value === "string" ? event.value : undefined;
    const emitter = unwrapExpression(receiver);
    const variable = emitter.type === "Identifier" ? this.bindings.variableOf(emitter) : undefined;
    if (name === undefined || !variable) return false;
    return this.nodes.calls.some((call) => {
      if (call.type !== "CallExpression" || call.parent?.type !== "ForOfStatement" || !call.parent.await || call.parent.right !== call) return false;
      const api = this.values.apiOf(call.callee);
      if (!api || !/^(node:)?events$/.test(api.module) || api.name !== "on") return false;
      const [target, type] = call.arguments;
      const source = target && target.type !== "SpreadElement" ? unwrapExpression(target) : undefined;
      return !!source && source.type === "Identifier" && this.bindings.variableOf(source) === variable && !!type && type.type === "Literal" && type.value === name;
    });
  }

  /**
   * For an array held in a local that is a bucket of a map: `const list = map.get(key) ?? []` (or `|| []`) put back
   * with `map.set(key, list)`, or `const list = map.get(key)` (already in it): the map, which keeps what is pushed.
   */
  private bucketOwner(receiver: Node): Node | undefined {
    const local = unwrapExpression(receiver);
    if (local.type !== "Identifier") return undefined;
    const variable = this.bindings.variableOf(local);
    const init = variable ? this.bindings.initializerOf(variable) : undefined;
    if (!variable || !init) return undefined;
    let read = unwrapExpression(init);
    const fallback = read.type === "LogicalExpression" && (read.operator === "??" || read.operator === "||") ? unwrapExpression(read.right) : undefined;
    if (fallback) {
      if (fallback.type !== "ArrayExpression" || fallback.elements.length > 0) return undefined;
      read = unwrapExpression((read as TSESTree.LogicalExpression).left);
    }
    if (read.type !== "CallExpression" || calleeMethodName(read) !== "get") return undefined;
    const map = unwrapExpression((unwrapExpression(read.callee) as TSESTree.MemberExpression).object);
    if (!fallback) return map;
    const putBack = variable.references.some((reference) => {
      const id = reference.identifier as Node;
      const set = id.parent;
      if (!set || set.type !== "CallExpression" || set.arguments[1] !== id || calleeMethodName(set) !== "set") return false;
      return sameObject(this.bindings, (unwrapExpression(set.callee) as TSESTree.MemberExpression).object, map);
    });
    return putBack ? map : undefined;
  }

  /**
   * The keys of parameter `index` that `expr` hands over when that parameter is destructured (`{ times, run }`, `run`
   * stored): undefined when the parameter is reached whole, or not destructured.
   */
  private destructuredKeysIn(expr: Node, fn: FunctionNode, index: number): string[] | undefined {
    const raw = fn.params[index];
    const pattern = raw?.type === "AssignmentPattern" ? raw.left : raw;
    if (!pattern || pattern.type !== "ObjectPattern") return undefined;
    const keys = new Set<string>();
    let whole = false;
    const visit = (node: Node, depth: number): void => {
      if (whole || depth > 4) return;
      const n = unwrapExpression(node);
      if (isFunctionNode(n)) return;
      if (n.type === "Identifier") {
        const def = this.bindings.variableOf(n)?.defs[0];
        if (def?.type === "Parameter" && def.node === fn) {
          // A name of this parameter's pattern (another parameter's names are not this one's).
          const declared = def.name as Node;
          if (!(pattern.range[0] <= declared.range[0] && declared.range[1] <= pattern.range[1])) return;
          const property = pattern.properties.find((q): q is TSESTree.Property => q.type === "Property" && (q.value === declared || (q.value.type === "AssignmentPattern" && q.value.left === declared)));
          const key = property ? propertyKey(property) : undefined;
          if (key === undefined) whole = true;
          else keys.add(key);
          return;
        }
        const variable = this.bindings.variableOf(n);
        const init = variable && this.bindings.isDeclaredInside(variable, fn) ? this.bindings.initializerOf(variable) : undefined;
        if (init) visit(init, depth + 1);
        return;
      }
      if (n.type === "MemberExpression") return visit(n.object, depth + 1);
      if (n.type === "Property" && !n.computed) return visit(n.value, depth + 1);
      for (const key of Object.keys(n)) {
        if (key === "parent") continue;
        const child = (n as unknown as Record<string, unknown>)[key];
        if (Array.isArray(child)) for (const c of child) { if (c && typeof (c as Node).type === "string") visit(c as Node, depth + 1); }
        else if (child && typeof (child as Node).type === "string") visit(child as Node, depth + 1);
      }
    };
    visit(expr, 0);
    return whole || keys.size === 0 ? undefined : [...keys];
  }

  /**
   * For a name destructured from an object parameter (`every(name, { times, run })`): that parameter's index (the
   * caller's object holds the value under the name's key).
   */
  private destructuredParamIndexOf(identifier: TSESTree.Identifier, fn: FunctionNode): number | undefined {
    const def = this.bindings.variableOf(identifier)?.defs[0];
    if (!def || def.type !== "Parameter" || def.node !== fn) return undefined;
    const index = fn.params.findIndex((p) => {
      const param = p.type === "AssignmentPattern" ? p.left : p;
      return param.type === "ObjectPattern" && param.properties.some((q) => q.type === "Property" && (q.value === def.name || (q.value.type === "AssignmentPattern" && q.value.left === def.name)));
    });
    return index >= 0 ? index : undefined;
  }

  /** A parameter the function pins before it hands it on (`onSend = AsyncLocalStorage.bind(onSend)`): every write pins. */
  private repinnedParam(fn: FunctionNode, index: number): boolean {
    const param = fn.params[index];
    const id = param && (param.type === "AssignmentPattern" ? param.left : param);
    if (!id || id.type !== "Identifier") return false;
    const variable = this.bindings.variableOf(id);
    const writes = (variable?.references ?? []).filter((r) => (r as { writeExpr?: unknown; init?: boolean }).writeExpr && !(r as { init?: boolean }).init).map((r) => unwrapExpression((r as unknown as { writeExpr: Node }).writeExpr));
    return writes.length > 0 && writes.every((w) => w.type === "CallExpression" && this.work.isContextPinningCall(w));
  }

  /**
   * For a read of a parameter of `fn` that the function's body reassigns once, in a statement of its own at the top of
   * the body, before the read (`job = { ...job, run: bind(job.run) };`): the assigned value. Undefined when the
   * parameter is written anywhere else (a branch may keep the caller's value).
   */
  private replacedParameterValue(read: TSESTree.Identifier, fn: FunctionNode): Node | undefined {
    if (this.paramIndexOf(read, fn) === undefined || fn.body.type !== "BlockStatement") return undefined;
    const variable = this.bindings.variableOf(read);
    const references = (variable?.references ?? []).map((r) => r.identifier as Node);
    // Written by destructuring or `++`: not followed.
    if (references.some((id) => id.parent && (/Pattern$|^RestElement$|^UpdateExpression$/.test(id.parent.type) || (id.parent.type === "Property" && id.parent.parent?.type === "ObjectPattern")))) return undefined;
    const writes = references.filter((id) => id.parent?.type === "AssignmentExpression" && id.parent.left === id);
    if (writes.length !== 1) return undefined;
    const assignment = writes[0].parent as TSESTree.AssignmentExpression;
    const statement = assignment.parent;
    if (assignment.operator !== "=" || statement?.type !== "ExpressionStatement") return undefined;
    // Directly in the body, or in a block run only when the parameter holds something (`if (job) { ...; job = wrap }`):
    // otherwise it holds nothing to run.
    let top: Node = statement;
    const block = statement.parent;
    const guard = block?.type === "BlockStatement" ? block.parent : undefined;
    if (guard?.type === "IfStatement" && !guard.alternate && guard.consequent === block && guard.parent === fn.body) {
      const test = unwrapExpression(guard.test);
      if (test.type !== "Identifier" || this.bindings.variableOf(test) !== variable) return undefined;
      top = guard;
    } else if (statement.parent !== fn.body) return undefined;
    return top.range[1] <= read.range[0] ? assignment.right : undefined;
  }

  paramIndexOf(identifier: Node | undefined, fn: FunctionNode): number | undefined {
    if (!identifier || identifier.type !== "Identifier") return undefined;
    const variable = this.bindings.variableOf(identifier);
    const def = variable?.defs[0];
    if (!def || def.type !== "Parameter" || def.node !== fn) return undefined;
    const index = fn.params.findIndex((p) => {
      const param = p.type === "AssignmentPattern" ? p.left : p;
      return param.type === "Identifier" && param.name === variable!.name;
    });
    return index >= 0 ? index : undefined;
  }

  /**
   * What a call of `fn` passes for a name bound by one of its parameters: the argument itself (`signal`), or, for a
   * name an object pattern takes from it (`function hold({ offerId, signal })`), that property of the object literal
   * the call passes (`hold({ offerId, signal: ctl.signal })`).
   */
  argumentFor(identifier: Node, fn: FunctionNode, call: CallLike): Node | undefined {
    const id = unwrapExpression(identifier);
    if (id.type !== "Identifier") return undefined;
    const direct = this.paramIndexOf(id, fn);
    if (direct !== undefined) {
      const arg = call.arguments[direct];
      return arg && arg.type !== "SpreadElement" ? arg : undefined;
    }
    const variable = this.bindings.variableOf(id);
    const def = variable?.defs[0];
    if (!def || def.type !== "Parameter" || def.node !== fn) return undefined;
    const place = parameterPlace(fn, def.name as Node);
    const arg = place?.key !== undefined ? call.arguments[place.index] : undefined;
    if (!arg || arg.type === "SpreadElement") return undefined;
    const object = unwrapExpression(arg);
    if (object.type !== "ObjectExpression") return undefined;
    const passed = object.properties.find((q): q is TSESTree.Property => q.type === "Property" && propertyKey(q) === place!.key);
    return passed ? (passed.value as Node) : undefined;
  }

  /**
   * The helpers a call invokes, with their parameter summaries: the in-file functions it may call, and a function
   * imported from one of the project's modules (its summary comes from the project index, `summaries.ts`).
   */
  helperSummaries(call: CallLike, dataToo: boolean | "any" = false): HelperSummary[] {
    const out: HelperSummary[] = this.localCallees(call).map((fn) => ({ name: this.nameOf(fn), fn, summary: this.summaryOf(fn) }));
    const imported = this.importedSummaryOf(call, dataToo);
    if (imported) out.push(imported);
    out.push(...this.forwardedSummaries(call));
    return out;
  }

  /**
   * For a call of another module's function that calls one of its parameters with its other ones (`handOver(onScan,
   * id, cb)` doing `target(p0, p1)`): the function of this file passed there, with its summary mapped onto the call's
   * arguments. The call hands over whatever that function does.
   */
  forwardedSummaries(call: CallLike): HelperSummary[] {
    if (call.type !== "CallExpression") return [];
    const forwards = this.values.importedCall(call)?.summary.callsParams ?? this.values.importedFunction(call.callee)?.summary.callsParams;
    if (!forwards) return [];
    const out: HelperSummary[] = [];
    for (const forward of forwards) {
      const target = call.arguments[forward.param];
      if (!target || target.type === "SpreadElement") continue;
      for (const value of this.values.valuesOf(target)) {
        if (value.type !== "function" || !isFunctionNode(value.fn)) continue;
        const summary = new Map<number, ParamHandoff[]>();
        for (const [inner, entries] of this.summaryOf(value.fn)) {
          const outer = forward.args[inner];
          if (outer === null || outer === undefined) continue;
          for (const entry of entries) {
            const receiverParam = entry.receiverParam === undefined ? undefined : forward.args[entry.receiverParam];
            if (receiverParam === null) continue;
            const list = summary.get(outer) ?? [];
            list.push({ ...entry, receiverParam });
            summary.set(outer, list);
          }
        }
        if (summary.size > 0) out.push({ name: this.nameOf(value.fn), fn: value.fn, summary });
      }
    }
    return out;
  }

  /** For a call of a function imported from a project module: the hand-offs it performs, resolved at this call site. */
  importedSummaryOf(call: CallLike, dataToo: boolean | "any" = false): HelperSummary | undefined {
    if (call.type !== "CallExpression") return undefined;
    // `dataToo`: also a call passing data only (a helper that pushes it to a worker queue of its module); `any`: a call
    // of any imported function, whatever it passes (an iterator handed to a pump).
    const imported = dataToo === "any" ? this.values.importedCall(call) ?? this.values.importedCallOfAnyArgument(call) : dataToo ? this.values.importedDataCall(call) : this.values.importedCall(call);
    if (!imported || imported.summary.handoffs.length === 0) return undefined;
    // A method of what an imported function returns (`flags().onChange(cb)`): only a kept object (a singleton) is a
    // store that outlives the caller; a fresh one per call lives in the caller's frame. Held in a variable
    // (`const users = createLoader(fn)`, then `users.load(key, cb)`), the object is as old as the variable's value:
    // the caller judges that (its summary entry says whether the store belongs to the object).
    const callee = unwrapExpression(call.callee);
    if (imported.name.includes("().") && !(callee.type === "MemberExpression" && this.keptResult(callee.object))) return undefined;
    const summary = new Map<number, ParamHandoff[]>();
    for (const entry of imported.summary.handoffs) {
      // A receiver parameter this call leaves out: its default, as the helper's module judged it.
      const defaulted = entry.receiverParam !== undefined && entry.receiverDefault && call.arguments.length <= entry.receiverParam ? entry.receiverDefault : undefined;
      const handoff = defaulted ? this.classifyDefaulted(call, entry) : this.classifyImported(call, entry);
      if (!handoff) continue;
      // A store of the instance the caller passes (a field its class calls later, a list its poller drains): that
      // method's own facts judge the store.
      const field = (handoff.kind === "assigned" || handoff.kind === "stored") && !defaulted && entry.receiverParam !== undefined ? this.objectStoreOf(call.arguments[entry.receiverParam], entry) : undefined;
      const item: ParamHandoff = { handoff, receiverParam: defaulted ? undefined : entry.receiverParam, via: [], imported: { module: imported.module, name: imported.name, via: entry.via, receiver: defaulted ?? field?.receiver ?? entry.receiver } };
      if (entry.deferred) item.deferred = true;
      if (entry.keys) item.keys = entry.keys;
      // An array whose elements a helper of another module hands over (to a store of its own, or a queue's `addAll`).
      if (entry.taskArray) item.elements = true;
      const list = summary.get(entry.param);
      if (list) list.push(item);
      else summary.set(entry.param, [item]);
    }
    return summary.size > 0 ? { name: imported.localName, summary } : undefined;
  }

  /**
   * For `object.method(...)` where `object` holds what another module's function returned: whether the object may be
   * kept beyond the call that uses it. Called right there (`flags().onChange(cb)`): only when that function gives back
   * something it keeps. Held in a variable or returned by a local getter: as old as that value, which the detector
   * judges where the method is called.
   */
  private keptResult(object: Node): boolean {
    const node = unwrapExpression(object);
    const values = this.values.valuesOf(node);
    const direct = node.type === "CallExpression" && values.length === 1 && values[0].type === "call" && values[0].node === node;
    return direct ? this.values.importedResultIsShared(node) === true : true;
  }

  /** The hand-off to a receiver parameter's default (a call leaving it out): a listener or a store, by the method. */
  private classifyDefaulted(call: TSESTree.CallExpression, entry: SummaryHandoff): Handoff | undefined {
    const value = call.arguments[entry.param];
    if (!value || value.type === "SpreadElement" || entry.callsReceiver || entry.assignment) return undefined;
    return listenerOrStore({ site: call, values: [value] }, entry.method, entry.argIndex);
  }

  /**
   * The hand-off an imported helper performs at `call`: as its module classified it, or, when its receiver is what
   * the caller passes, by the kind of that argument (as `all()` classifies a hand-off written here).
   */
  private classifyImported(call: TSESTree.CallExpression, entry: SummaryHandoff): Handoff | undefined {
    const value = call.arguments[entry.param];
    if (!value || value.type === "SpreadElement") return undefined;
    if (entry.receiverParam === undefined) {
      if (entry.taskArray) return entry.kind ? { kind: entry.kind, site: call, method: entry.method, values: [], taskArray: value, library: entry.library } : undefined;
      return entry.kind ? { kind: entry.kind, site: call, method: entry.method, values: [value], library: entry.library, ...(entry.receiver?.pendingRecord ? { pendingRecord: true } : {}), ...(entry.drainMethods ? { drainMethods: entry.drainMethods } : {}), ...(entry.perElementOf !== undefined ? { perElementOf: perElementArgument(call, entry.perElementOf) } : {}) } : undefined;
    }
    const receiver = call.arguments[entry.receiverParam];
    if (!receiver || receiver.type === "SpreadElement") return undefined;
    const base = { site: call, receiver, values: [value] };
    const kinds = this.values.valueKinds(receiver);
    const method = entry.method;
    if (entry.callsReceiver) return kinds.includes("p-limit") && entry.argIndex === 0 ? { ...base, kind: "queued", method: "limit", library: "p-limit" } : undefined;
    if (entry.assignment) return /^on[a-z]+$/.test(method) ? { ...base, kind: "handler", method } : undefined;
    if (kinds.includes("p-queue") && method === "add" && entry.argIndex === 0) return { ...base, kind: "queued", method, library: "p-queue" };
    if (kinds.includes("p-queue") && method === "addAll" && entry.argIndex === 0) return { ...base, values: [], taskArray: value, kind: "queued", method, library: "p-queue" };
    const workerQueue = workerQueueOf(kinds, method);
    if (workerQueue && entry.argIndex === 0) return { ...base, kind: "queued", method, library: workerQueue };
    if (method === "then") return entry.argIndex <= 1 ? { ...base, kind: "thenable", method } : undefined;
    if (LISTENER_METHODS.has(method)) return listenerOrStore(base, method, entry.argIndex);
    const stored = listenerOrStore(base, method, entry.argIndex);
    if (stored) return stored;
    // An object a third module made (a factory's result, an instance of its class) whose method keeps the argument in
    // a store of the object: stored in the object the caller passes.
    const kept = this.objectStoreOf(receiver, entry);
    if (kept) return { ...base, kind: kept.kind === "assigned" ? "assigned" : "stored", method };
    // A method of this file's own object the caller passes (`handOver(registry, cb)` doing `target.register(cb)`):
    // what that method does with the argument, by its summary here.
    for (const object of this.values.valuesOf(receiver)) {
      for (const member of this.values.propertyValues([object], method, undefined, 0)) {
        if (member.type !== "function") continue;
        // A native `then` on the way (`Promise.resolve().then(task)`) keeps the context: the store that holds it counts.
        const entries = (this.summaryOf(member.fn).get(entry.argIndex) ?? []).filter((e) => e.handoff.kind !== "queued" || e.handoff.library);
        const inner = entries.find((e) => e.handoff.kind !== "thenable") ?? entries[0];
        if (inner) return { ...base, kind: inner.handoff.kind, method: inner.handoff.method, library: inner.handoff.library };
      }
    }
    return undefined;
  }

  /**
   * For a helper of another module calling a method of the object its caller passes (`target.submit(page, cb)`): the
   * method's own hand-off when that object is an instance another module made and the method keeps the argument in a
   * store of it (`this.onDone = cb`, `this.callbacks.push(cb)`).
   */
  private objectStoreOf(receiver: Node | TSESTree.SpreadElement | undefined, entry: SummaryHandoff): SummaryHandoff | undefined {
    if (!receiver || receiver.type === "SpreadElement" || entry.callsReceiver || entry.assignment) return undefined;
    return this.values.importedMethodSummary(receiver, entry.method)?.handoffs.find((h) => h.param === entry.argIndex && h.receiverParam === undefined && (h.kind === "assigned" || h.kind === "stored") && h.receiver?.perObject);
  }

  /**
   * Whether a call invokes a function the project writes, whose summary says what it does with its arguments: a
   * function of this file, or one exported by another module (`outbox.enqueue`, a method of an exported instance).
   */
  private ownFunctionCalled(call: TSESTree.CallExpression): boolean {
    return this.localCallees(call).length > 0 || this.values.importedFunction(call.callee) !== undefined;
  }

  /** A local function's name for messages: its variable's, or its method key. */
  nameOf(fn: FunctionNode): string {
    // A named function expression (`return function submit(run) { ... }`) by its own name.
    const own = fn.type === "FunctionExpression" && fn.id ? fn.id.name : undefined;
    return this.values.functionVariable(fn)?.name ?? methodName(fn) ?? own ?? "a helper";
  }

  /** The local functions a call may invoke. */
  localCallees(call: CallLike): FunctionNode[] {
    return this.values.valuesOf(call.callee).flatMap((v) => (v.type === "function" && isFunctionNode(v.fn) ? [v.fn] : []));
  }
}

/**
 * A hand-off by a listener or storing method (`on(event, cb)`, `push(cb)`, `set(key, cb)`) of the argument at
 * `argIndex`: a listener (a handler for `addEventListener`) or a stored callback; undefined for another argument.
 */
function listenerOrStore(base: { site: TSESTree.CallExpression; values: Node[]; receiver?: Node }, method: string, argIndex: number): Handoff | undefined {
  if (LISTENER_METHODS.has(method)) return argIndex === 1 ? { ...base, kind: method === "addEventListener" ? "handler" : "listener", method } : undefined;
  const position = Object.hasOwn(STORING_METHODS, method) ? STORING_METHODS[method] : undefined;
  return position !== undefined && (position === "all" || position === argIndex) ? { ...base, kind: "stored", method } : undefined;
}

/**
 * Whether `call` runs only once a store is full: in the consequent of an `if` whose test reads a `length` or `size`
 * (`if (buf.length >= size) onBatch(full)`), in the same function (or anywhere inside `within`).
 */
function fullTestAround(call: Node, within?: FunctionNode): boolean {
  for (let node: Node | undefined = call.parent; node && (within ? node !== within : !isFunctionNode(node)); node = node.parent) {
    if (node.type !== "IfStatement" || !contains(node.consequent, call)) continue;
    let found = false;
    walkNodes(node.test, (n) => {
      if (n.type === "MemberExpression" && (memberName(n) === "length" || memberName(n) === "size")) found = true;
    });
    if (found) return true;
  }
  return false;
}

/**
 * The size a full-batch test compares with (`if (this.pending.length >= this.size)`): the expression, and what to add
 * to it to get the number of items that fill the batch (1 for `length > size`).
 */
function fillThreshold(call: Node, within: FunctionNode): { node: Node; extra: number } | undefined {
  for (let node: Node | undefined = call.parent; node && node !== within; node = node.parent) {
    if (node.type !== "IfStatement" || !contains(node.consequent, call)) continue;
    const test = unwrapExpression(node.test);
    if (test.type !== "BinaryExpression" || test.left.type === "PrivateIdentifier") continue;
    const counts = (n: Node) => n.type === "MemberExpression" && (memberName(n) === "length" || memberName(n) === "size");
    const left = unwrapExpression(test.left);
    const right = unwrapExpression(test.right);
    // `length >= n`, `length === n`, `length > n`, and the same written the other way round.
    if (counts(left) && Object.hasOwn(FILLS_FORWARD, test.operator)) return { node: right, extra: FILLS_FORWARD[test.operator] };
    if (counts(right) && Object.hasOwn(FILLS_BACKWARD, test.operator)) return { node: left, extra: FILLS_BACKWARD[test.operator] };
  }
  return undefined;
}
const FILLS_FORWARD: Record<string, number> = { ">=": 0, "===": 0, "==": 0, ">": 1 };
const FILLS_BACKWARD: Record<string, number> = { "<=": 0, "===": 0, "==": 0, "<": 1 };

/**
 * What a batcher's drain does: traced work of its own (`drainWork`), calls of what its maker is given at `drainParams`
 * (the constructor's or the factory's parameters), the methods of the object that drain it (`drainMethods`), and
 * why it runs earlier traces' items even when the traces run one at a time (`drainsAcross`).
 */
export interface BatcherDrain {
  drainWork: boolean;
  drainParams: number[];
  drainMethods?: string[];
  drainsAcross?: DrainsAcross;
  /**
   * For a batch flushed by the call that fills it: how many items fill it, as a number or as the constructor argument
   * at `param` (plus `extra`, for `length > size`). One item means every call flushes its own item at once.
   */
  fillsAt?: { size: number } | { param: number; extra: number };
  /** The delay of the timer that arms the drain: a number, or the factory's parameter at `param`. */
  delay?: { ms: number } | { param: number };
}

/**
 * Why a batcher's drain runs earlier traces' items even when traces run one at a time: `creation`, the constructor
 * arms it (it runs in the context the instance was made in); `filler`, the call that fills the batch runs it.
 */
export type DrainsAcross = "creation" | "filler";

/**
 * The worker a worker queue held by `owner` was made with (`const jobs = queue(worker, 1)`, `fastq(that, worker, 1)`):
 * the factory's worker argument; null when the creation passes none (or a spread); undefined when the creation is not
 * in view (a parameter, a value made elsewhere).
 */
export function asyncQueueWorker<V>(model: { rootVariable(expr: Node): V | undefined; initializerOf(variable: V): Node | undefined; valuesOf?(expr: Node): Value[] }, owner: Node, library: WorkerQueueLibrary = "async"): Node | null | undefined {
  const variable = model.rootVariable(owner);
  const init = variable && model.initializerOf(variable);
  let creation = init && unwrapExpression(init);
  // A queue kept in a field (`this.#queue = fastq.promise(this, this.#work, 1)`): the call the field holds.
  if ((!creation || creation.type !== "CallExpression") && unwrapExpression(owner).type === "MemberExpression" && model.valuesOf) {
    const made = model.valuesOf(owner).filter((v): v is Extract<Value, { type: "call" }> => v.type === "call");
    if (made.length === 1) creation = made[0].node;
  }
  // A queue a factory of this file makes (`const pool = createWorkerPool({ handle, concurrency })` returning
  // `queue(async (task) => handle(task), concurrency)`): the creation value flow finds behind the call.
  if (creation && creation.type === "CallExpression" && model.valuesOf) {
    const made = model.valuesOf(owner).filter((v): v is Extract<Value, { type: "call" }> => v.type === "call");
    if (made.length === 1 && made[0].node !== creation && made[0].node.type === "CallExpression") creation = made[0].node;
  }
  if (!creation || creation.type !== "CallExpression") return undefined;
  // A function of the project that returns the queue (`queueFor(section, rankStory)`), not the library's factory: its
  // arguments are not the library's (`queueWorkerTraces` asks its summary what the worker does).
  const made = model.valuesOf ? model.valuesOf(creation.callee) : [];
  if (made.some((v) => v.type === "import" || v.type === "function")) return undefined;
  const worker = creation.arguments[workerArgumentIndex(library, creation.arguments.length)];
  return worker && worker.type !== "SpreadElement" ? worker : null;
}

/** The key of a method (class method, object literal method or function-valued property) `fn` is, if any. */
function methodName(fn: FunctionNode): string | undefined {
  const parent = fn.parent;
  if (!parent || !("value" in parent) || parent.value !== fn) return undefined;
  if (parent.type === "Property") return propertyKey(parent);
  if (parent.type !== "MethodDefinition" && parent.type !== "PropertyDefinition") return undefined;
  return classMemberKey(parent);
}

function enclosingFunctionOf(node: Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current)) return current;
  return undefined;
}

/** `Symbol.asyncIterator` or `Symbol.iterator`. */
function isSymbolIterator(node: Node): boolean {
  const expr = unwrapExpression(node);
  return expr.type === "MemberExpression" && !expr.computed && expr.object.type === "Identifier" && expr.object.name === "Symbol" && (memberName(expr) === "asyncIterator" || memberName(expr) === "iterator");
}

function programOf(node: Node): Node {
  let current = node;
  while (current.parent) current = current.parent;
  return current;
}

/**
 * Whether a timer call in a method is armed once for the instance: kept in a field only when none is kept
 * (`this.#timer ??= setInterval(...)`, `this.timer ||= ...`), or under a test of the instance (`if (!this.#timer)`).
 */
/** The argument of `call` at `index` (a collection the callee walks), or null when none is there. */
function perElementArgument(call: TSESTree.CallExpression, index: number): Node | null {
  const arg = index >= 0 ? call.arguments[index] : undefined;
  return arg && arg.type !== "SpreadElement" ? arg : null;
}

function armedOncePerInstance(call: TSESTree.CallExpression, method: FunctionNode): boolean {
  const parent = call.parent;
  if (parent?.type === "AssignmentExpression" && (parent.operator === "??=" || parent.operator === "||=") && parent.right === call) {
    const left = unwrapExpression(parent.left);
    return left.type === "MemberExpression" && unwrapExpression(left.object).type === "ThisExpression";
  }
  for (let n: Node | undefined = call.parent; n && n !== method; n = n.parent) {
    if (n.type !== "IfStatement") continue;
    let onThis = false;
    walkNodes(n.test, (inner) => {
      if (inner.type === "MemberExpression" && unwrapExpression(inner.object).type === "ThisExpression") onThis = true;
    });
    if (onThis) return true;
  }
  return false;
}
