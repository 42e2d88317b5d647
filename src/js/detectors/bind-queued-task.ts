/**
 * bind-queued-task: a task handed to a concurrency limiter or queue that does not keep the submitter's async
 * context: p-queue < 10 (`add`, `addAll`), p-limit < 5 (`limit(fn)`), the `async` library's queues and fastq queues. A queued
 * task starts from whichever call freed a slot, so its runs land under another trace's run (SPLIT other) or start
 * a new trace. Limiters created inside the traced scope serve one trace and nest; p-queue >= 10 and p-limit >= 5
 * keep the context and are never flagged. Ground truth §2.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import semver from "semver";
import { CONTEXT_PRESERVING_SINCE, isLangchainModule, isWorkerQueueLibrary, type WorkerQueueLibrary } from "../apis.js";
import { ASYNC_LOCAL_STORAGE, planImport } from "../imports.js";
import { isFunctionNode, unwrapExpression, type Handoff, type JsModel, type Node, type TracedScope } from "../model.js";
import { isProjectSpecifier } from "../model/api.js";
import { contains, enclosingFunction, memberName, propertyKey, repeatedPerElement, runningFrame } from "../model/ast.js";
import { enclosingClass } from "../model/values.js";
import { asyncQueueWorker } from "../model/handoffs.js";
import { callersInFlight, callersRunOneAtATime, tracesAtOnce, tracesRunOneAtATime, tracesSpacedBeyond, waitedForIn } from "../model/sequential.js";
import type { SummaryReceiver } from "../model/summaries.js";
import { calledAtLoadFrom } from "../project/index.js";
import { installedVersion } from "../versions.js";
import { wrapEdits } from "./edits.js";
import { AUTOFIX_OPTION, type CommonOptions, type JsDetector, type JsFindingData } from "./types.js";

/** The report-only data items, by the kind of consumer: the message and the receiver's name when the code gives none. */
const DATA_ITEM_REPORTS = {
  channel: { messageId: "channelData", receiver: "the channel" },
  poller: { messageId: "polledData", receiver: "the store" },
  batcher: { messageId: "batcherData", receiver: "the batcher" },
} as const;

/** Whether every element an array may hold is a function (a task), as far as the value flow knows them. */
function elementsAreFunctions(model: JsModel, array: Node): boolean {
  const elements = model.values.elementValues(model.valuesOf(array), 0);
  return elements.length > 0 && elements.every((v) => v.type === "function" || v.type === "bound" || (v.type === "injected" && (v.kind === "traceable-fn" || v.kind === "task-fn" || v.kind === "traced-work-fn")));
}

/** Findings for the tasks of one submission (made directly, or by a helper called at `site`). */
/**
 * An array an in-file function builds and returns with every task pinned as it is made (`buildStampTasks(id,
 * learners)` returning `learners.map((l) => () => withRunTree(cohortRun, () => stamp(l)))`), called there or held
 * in a local.
 */
function madeByPinningBuilder(model: JsModel, array: Node): boolean {
  const calls = array.type === "CallExpression" ? [array] : model.valuesOf(array).flatMap((v) => (v.type === "call" && v.node.type === "CallExpression" ? [v.node] : []));
  if (calls.length === 0 || (array.type !== "CallExpression" && calls.length !== model.valuesOf(array).length)) return false;
  return calls.every((call) => {
    const builder = model.resolveFunction(call.callee);
    const returned = builder && !builder.inline ? (model.nodes.returns.get(builder.fn) ?? []) : [];
    return returned.length > 0 && returned.every((r) => model.work.mapsToPinned(r));
  });
}

function taskFindings(model: JsModel, submission: Handoff, tasks: readonly Node[], scope: TracedScope | undefined, data: Record<string, string>, site: Node, reported: Set<Node>, imported?: SummaryReceiver): JsFindingData[] {
  const out: JsFindingData[] = [];
  const plan = () => planImport(model, ASYNC_LOCAL_STORAGE, site);
  if (submission.taskArray && tasks.length === 0) {
    const array = unwrapExpression(submission.taskArray);
    // Outside a traced scope (a helper every trace calls): reported when a task it makes does traced work.
    if (!scope && !tasksMadeBy(model, array).some((task) => model.callbackDoesTracedWork(task))) return out;
    if (model.work.mapsToPinned(array) || madeByPinningBuilder(model, array)) return out;
    // A worker queue's elements are items for its worker: binding is for functions only. Elements the value flow
    // does not know as functions are data (`adjustments.map((a) => ledger.push(a))` of plain records): reported
    // without a fix when the worker traces.
    if (isWorkerQueueLibrary(submission.library) && !elementsAreFunctions(model, array)) {
      if (scope && (submission.receiver ? asyncWorkerMayTrace(model, submission.receiver, submission.library, scope) : !!imported?.workerTraces)) {
        out.push({ node: submission.taskArray, range: submission.taskArray.range, messageId: "queuedData", data, fixKind: "none", edits: [] });
      }
      return out;
    }
    const simple = array.type === "Identifier" || array.type === "MemberExpression" || array.type === "CallExpression";
    const p = plan();
    out.push({
      node: submission.taskArray,
      range: submission.taskArray.range,
      messageId: "queued",
      data,
      fixKind: simple ? "fix" : "none",
      edits: simple ? [...p.edits, { range: [array.range[1], array.range[1]], text: `.map((task) => ${p.expression}.bind(task))` }] : [],
      suggestionMessageId: "suggestBind",
    });
    return out;
  }
  for (const task of tasks) {
    if (task.type === "SpreadElement" || reported.has(task) || isAlreadyBound(model, task)) continue;
    const node = unwrapExpression(task);
    const isFunctionTask = isFunctionNode(node) || model.valuesOf(node).some((v) => v.type === "function") || model.work.isTraceableValue(node);
    const dataItem = submission.library ? DATA_ITEM_REPORTS[submission.library as keyof typeof DATA_ITEM_REPORTS] : undefined;
    if (dataItem) {
      // A data item for a consumer that runs its traced work in a context of its own (a `for await` loop started
      // outside this call, a poller armed outside every trace, a batcher's timer armed by whichever call came first):
      // reported without a fix. A function item of a poller or batcher is kept in its store: bind-detached-callback's.
      if (scope && (submission.library === "channel" || !isFunctionTask)) {
        reported.add(task);
        const receiver = imported?.text ?? (submission.receiver ? model.text.slice(submission.receiver.range[0], submission.receiver.range[1]) : dataItem.receiver);
        out.push({ node: task, range: task.range, messageId: dataItem.messageId, data: { ...data, receiver }, fixKind: "none", edits: [] });
      }
      continue;
    }
    // An item that carries a context to run its work in (`{ task, enter: AsyncLocalStorage.snapshot() }`) for a worker
    // of this file: the worker restores it.
    // (Written at the call, or the one literal a local holds: `const job = { perform, requestedBy: getCurrentRunTree() }`.)
    const held = node.type === "ObjectExpression" ? [] : model.valuesOf(node);
    const item = node.type === "ObjectExpression" ? node : held.length === 1 && held[0].type === "object" ? held[0].node : undefined;
    if (isWorkerQueueLibrary(submission.library) && item && !!submission.receiver && model.valuesOf(submission.receiver).some((v) => v.type === "call") && model.work.carriesContext(item)) continue;
    if (isWorkerQueueLibrary(submission.library) && !isFunctionTask) {
      // An item that carries its work as methods (`{ run: () => moderate(x) }`, `row.persist = () => write(row)`),
      // which the worker calls: each method that may trace is bound where it is made.
      const carried = itemMethods(model, node);
      // An item whose every method is pinned where it is put in: the worker runs each in its submitter's context.
      if (carried.length > 0 && carried.every((m) => isAlreadyBound(model, m))) continue;
      const methods = carried.filter((m) => !reported.has(m) && !isAlreadyBound(model, m) && taskMayTrace(model, m, scope));
      if (methods.length > 0) {
        for (const method of methods) {
          reported.add(method);
          const p = planImport(model, ASYNC_LOCAL_STORAGE, method);
          // A shorthand property (`{ suite, run }`) is written out: `run: AsyncLocalStorage.bind(run)`.
          const property = method.parent;
          const shorthand = property?.type === "Property" && property.shorthand && method.type === "Identifier";
          const edits = shorthand ? [{ range: [method.range[1], method.range[1]] as [number, number], text: `: ${p.expression}.bind(${method.name})` }] : wrapEdits(method, `${p.expression}.bind(`, ")");
          out.push({ node: method, range: method.range, messageId: "queued", data, fixKind: "fix", edits: [...p.edits, ...edits], suggestionMessageId: "suggestBind" });
        }
        reported.add(task);
        continue;
      }
      // A data item that carries the submitter's run tree (`{ parentRun: getCurrentRunTree(), ... }`) for a worker
      // of another module, which may hand it over as the parent; a worker of this file must be seen to do so.
      const literal = item;
      const workerHere = !!submission.receiver && model.valuesOf(submission.receiver).some((v) => v.type === "call");
      if (literal ? (workerHere ? model.work.carriesContext(literal) : model.work.carriesRunTree(literal) && runTreeKeyRead(model, literal, submission.receiver)) : !workerHere && model.work.carriesRunTree(node)) continue;
      // A data item for the queue's shared worker: nothing to bind at submit time.
      // A helper of another module pushing to its own queue: that module says whether the worker traces.
      if (scope && (submission.receiver ? asyncWorkerMayTrace(model, submission.receiver, submission.library, scope) : !!imported?.workerTraces)) {
        reported.add(task);
        out.push({ node: task, range: task.range, messageId: "queuedData", data, fixKind: "none", edits: [] });
      }
      continue;
    }
    if (!taskMayTrace(model, task, scope)) continue;
    reported.add(task);
    const p = plan();
    out.push({
      node: task,
      range: task.range,
      messageId: "queued",
      data,
      fixKind: "fix",
      edits: [...p.edits, ...wrapEdits(task, `${p.expression}.bind(`, ")")],
      suggestionMessageId: "suggestBind",
    });
  }
  return out;
}

/**
 * The functions an item handed to an `async` queue carries as properties: written in its object literal (directly, or
 * in the one literal a local variable holds), or assigned to the local afterwards (`row.persist = () => ...`).
 */
function itemMethods(model: JsModel, item: Node): Node[] {
  const node = unwrapExpression(item);
  let literal: TSESTree.ObjectExpression | undefined = node.type === "ObjectExpression" ? node : undefined;
  const variable = node.type === "Identifier" ? model.variableOf(node) : undefined;
  // Held in a local, or made by a helper of this file (`queue.push(inspection(demoId))` returning `{ inspect }`).
  if (!literal && (variable || node.type === "CallExpression")) {
    const values = model.valuesOf(node);
    if (values.length === 1 && values[0].type === "object") literal = values[0].node;
  }
  const out: Node[] = [];
  for (const p of literal?.properties ?? []) {
    if (p.type !== "Property" || p.kind !== "init") continue;
    const value = unwrapExpression(p.value);
    if (isFunctionNode(value)) out.push(p.value);
    // A function pinned as it is put in (`{ rewrite: AsyncLocalStorage.bind(expand) }`): the worker runs it there.
    else if (value.type === "CallExpression" && model.isContextPinningCall(value)) out.push(p.value);
    // A function looked up elsewhere (`{ fn: handlers[kind], input }`, `{ run: handler }`): bound as it is put in.
    // Also one written as a shorthand (`{ suite, run }`, with `run` a traceable or a parameter defaulting to one).
    else if ((value.type === "MemberExpression" || value.type === "Identifier") && (model.work.isTraceableValue(value) || model.valuesOf(value).some((v) => v.type === "function"))) out.push(p.value);
  }
  if (variable) {
    for (const assignment of model.nodes.assignments) {
      const left = assignment.left;
      if (left.type !== "MemberExpression" || assignment.operator !== "=") continue;
      const object = unwrapExpression(left.object);
      if (object.type === "Identifier" && model.variableOf(object) === variable && isFunctionNode(unwrapExpression(assignment.right))) out.push(assignment.right);
    }
  }
  return out;
}

/** Whether a task may start traced runs: known traced work, or inside a traced scope a call of the project's own code. */
/** The tasks an `addAll` array holds: a literal's elements, or what the callback of `items.map(…)` returns. */
function tasksMadeBy(model: JsModel, array: Node): Node[] {
  if (array.type === "ArrayExpression") return array.elements.filter((e): e is TSESTree.Expression => !!e && e.type !== "SpreadElement");
  if (array.type !== "CallExpression" || array.callee.type !== "MemberExpression" || !["map", "flatMap"].includes(memberName(array.callee) ?? "")) return [];
  const callback = array.arguments[0] && unwrapExpression(array.arguments[0]);
  if (!callback || !isFunctionNode(callback)) return [];
  return callback.body.type === "BlockStatement" ? (model.nodes.returns.get(callback) ?? []) : [callback.body];
}

function taskMayTrace(model: JsModel, task: Node, scope: TracedScope | undefined): boolean {
  if (model.callbackDoesTracedWork(task)) return true;
  if (!scope) return false;
  const node = unwrapExpression(task);
  if (!isFunctionNode(node)) {
    // A function reference imported from the project's own code.
    const api = model.resolveApi(node);
    return !!api && isProjectSpecifier(api.module);
  }
  return model.callsWithin(node).some((call) => {
    if (call.type !== "CallExpression" || model.isContextPinningCall(call) || model.isInPinnedContext(call, node)) return false;
    const api = model.resolveApi(unwrapExpression(call.callee));
    // Functions imported from the project's own modules may well be traceables; LangChain calls start runs.
    return !!api && (isProjectSpecifier(api.module) || isLangchainModule(api.module));
  });
}


/**
 * For an item of another module's queue that carries the submitter's run tree under a key (`{ ..., requestedBy:
 * getCurrentRunTree() }`): whether that module reads such a key anywhere. One it never reads cannot reach the worker.
 */
function runTreeKeyRead(model: JsModel, literal: TSESTree.ObjectExpression, receiver: Node | undefined): boolean {
  const keys = literal.properties.flatMap((p) => (p.type === "Property" && !p.computed && model.work.carriesRunTree(p.value as Node) ? [propertyKey(p)] : []));
  if (keys.length === 0 || keys.includes(undefined) || !receiver) return true;
  const imported = model.valuesOf(receiver).find((v): v is Extract<typeof v, { type: "import" }> => v.type === "import");
  const read = imported ? model.values.importFacts(imported)?.keysRead : undefined;
  return !read || keys.some((k) => read.includes(k!));
}

/** For an `async` or fastq queue fed data items: whether its worker (given to the queue factory) may trace. */
function asyncWorkerMayTrace(model: JsModel, owner: Node, library: WorkerQueueLibrary, scope: TracedScope): boolean {
  // A queue a function of the project made and returned (`queueFor(section, rankStory)`, `createCargo(measure)`): its
  // worker traces itself, or is or calls a parameter that this file's call fills with something that may trace.
  const held = model.valuesOf(owner);
  const factoryCall = held.length === 1 && held[0].type === "call" && held[0].node.type === "CallExpression" ? held[0].node : undefined;
  const facts = factoryCall ? model.returnedQueueWorker(factoryCall) : undefined;
  if (facts) {
    return facts.traces || facts.params.some((index) => {
      const arg = factoryCall!.arguments[index];
      return !!arg && arg.type !== "SpreadElement" && taskMayTrace(model, arg, scope);
    });
  }
  const worker = asyncQueueWorker(model, owner, library);
  if (worker === undefined) return true; // cannot see the worker: report
  return !!worker && taskMayTrace(model, worker, scope);
}

function isParameterOf(model: JsModel, receiver: Node, fn: Node): boolean {
  const variable = model.rootVariable(receiver);
  if (!variable || !variable.defs.some((def) => def.type === "Parameter" && def.node === fn)) return false;
  // A parameter whose only values are its default (one that a traced function's every call, all seen here, leaves to
  // apply: `{ queue = refreshQueue }`) is judged here, as that value.
  const id = variable.defs[0]?.name as Node | undefined;
  // A traced function's parameter whose every value the calls of its wrapper (all seen here) pass is known: judged
  // here, through those values (`validate(change, { crew: loader })`, then `ctx.crew.load(id)`).
  if (id && model.valuesOf(id).some((v) => v.type === "callback-param")) {
    const passed = model.values.wrappedCallValuesOf(id);
    if (passed.length > 0 && passed.every((v) => v.type === "object" || v.type === "new" || v.type === "call" || v.type === "function")) return false;
  }
  const pattern = id?.parent?.type === "AssignmentPattern" && id.parent.left === id ? id.parent : undefined;
  if (!pattern) return true;
  const defaults = model.valuesOf(pattern.right).map((v) => ("node" in v ? v.node : v));
  const values = model.values.receiverValues(receiver);
  return values.length === 0 || !values.every((v) => defaults.includes("node" in v ? v.node : v));
}

/**
 * Whether a receiver is a field of `this` (`this.queue`) that only the constructor of its class assigns, with a new
 * object, in a class no code makes at load: not this file's top level, not a top-level declaration of the project's
 * files that may take it from this module (`calledAtLoadFrom`). Each instance then has its own queue, and one made
 * per call serves that call's trace alone.
 */
function madePerInstance(model: JsModel, receiver: Node): boolean {
  const target = unwrapExpression(receiver);
  if (target.type !== "MemberExpression" || unwrapExpression(target.object).type !== "ThisExpression") return false;
  const field = memberName(target);
  const cls = enclosingClass(target);
  if (!field || !cls) return false;
  const name = cls.id?.name ?? (cls.parent?.type === "VariableDeclarator" && cls.parent.id.type === "Identifier" ? cls.parent.id.name : undefined);
  if (!name) return false;
  let assignedInConstructor = false;
  let assignedElsewhere = false;
  for (const assignment of model.nodes.assignments) {
    const left = unwrapExpression(assignment.left);
    if (left.type !== "MemberExpression" || unwrapExpression(left.object).type !== "ThisExpression" || memberName(left) !== field || enclosingClass(left) !== cls) continue;
    const fn = enclosingFunction(assignment);
    const inConstructor = fn?.parent?.type === "MethodDefinition" && fn.parent.kind === "constructor";
    if (inConstructor && unwrapExpression(assignment.right).type === "NewExpression") assignedInConstructor = true;
    else assignedElsewhere = true;
  }
  if (!assignedInConstructor || assignedElsewhere) return false;
  const madeAtLoadHere = model.calls.some((c) => c.type === "NewExpression" && !enclosingFunction(c) && unwrapExpression(c.callee).type === "Identifier" && (unwrapExpression(c.callee) as TSESTree.Identifier).name === name);
  return !madeAtLoadHere && !calledAtLoadFrom(model.filename, model.cwd, name);
}

/**
 * Whether a receiver is a variable of a named function around `frame` (the factory that made the closure), and no
 * call of that factory makes a shared one at load: none at this file's top level, none in a top-level declaration of
 * the project's files that may take it from this module (`calledAtLoadFrom`).
 */
function madePerFactoryCall(model: JsModel, receiver: Node, frame: Node): boolean {
  const variable = model.rootVariable(receiver);
  const def = variable?.defs[0];
  if (!variable || !def || def.type !== "Variable") return false;
  const factory = enclosingFunction(def.node as Node);
  if (!factory || factory === frame || !(factory.range[0] <= frame.range[0] && frame.range[1] <= factory.range[1])) return false;
  const holder = model.values.functionVariable(factory);
  if (!holder) return false;
  const atLoadHere = holder.references.some((r) => {
    const id = r.identifier as Node;
    return id.parent?.type === "CallExpression" && id.parent.callee === id && !enclosingFunction(id.parent);
  });
  return !atLoadHere && !calledAtLoadFrom(model.filename, model.cwd, holder.name);
}

function isAlreadyBound(model: JsModel, task: Node): boolean {
  const node = unwrapExpression(task);
  return node.type === "CallExpression" && model.isContextPinningCall(node);
}

interface BindQueuedTaskOptions extends CommonOptions {
  wideLimiters?: boolean;
}

/**
 * Whether a queue made with a concurrency above 1 is left alone: while it has free slots it starts each task inside the
 * submitting call, which nests; it splits only once more tasks wait than it has slots. `wideLimiters` reports it too,
 * and so does a submission that one call makes per element of a collection (`items.map((x) => limit(() => …))`,
 * `addAll(tasks)`, a loop that does not await each task), unless the collection is an array literal no longer than the
 * concurrency: one trace then fills the slots on its own, and another trace's tasks wait and start from its completions.
 */
function wideLeftAlone(model: JsModel, options: BindQueuedTaskOptions, concurrency: number | undefined, site: Node, tasks: Node | undefined, tracesOf: () => number | "many" | undefined): boolean {
  if (options.wideLimiters || concurrency === undefined || concurrency <= 1) return false;
  // How many of the scope's traces run at once: asked only of a queue with free slots (it may read other files).
  const traces = tracesOf();
  if (traces === "many") return false;
  const many = tasks ? tasksOfArray(tasks) : repeatedPerElement(site);
  // A collection whose every value the model knows as an array literal (`orderIds` of a traced function whose calls
  // all pass `{ orderIds: ["ORD-1", "ORD-2"] }`): as many tasks as the longest.
  const count = !many ? 1 : (many.count ?? (many.collection ? model.values.literalArrayLength(many.collection) : undefined));
  // The file's script says how many of the scope's traces run at once: their tasks together must fit the slots
  // (three traces of one task each wait on a limiter of two; on a limiter of four none waits).
  if (traces !== undefined) return count !== undefined && count * traces <= concurrency;
  if (!many) return true;
  return count !== undefined && count <= concurrency;
}

/**
 * A batcher item whose batch the scope then flushes itself and waits for (`writer.add(row)`, later `await
 * writer.flush()` on the same object): the flush runs the item's work inside the scope.
 */
function flushedByScope(model: JsModel, submission: Handoff, scope: TracedScope, site: Node = submission.site): boolean {
  if ((submission.library !== "batcher" && submission.library !== "poller") || !submission.drainMethods) return false;
  // The object: the batcher whose method was called here (`writer.add(row)`).
  const callee = site.type === "CallExpression" ? unwrapExpression(site.callee) : undefined;
  const owner = callee?.type === "MemberExpression" ? model.rootVariable(callee.object) : undefined;
  if (!owner) return false;
  return model.calls.some((call) => {
    if (call.type !== "CallExpression" || call.range[0] < site.range[1] || !waitedForIn(call, scope.fn) || model.enclosingTracedScope(call)?.fn !== scope.fn) return false;
    const drain = unwrapExpression(call.callee);
    return drain.type === "MemberExpression" && submission.drainMethods!.includes(memberName(drain) ?? "") && model.rootVariable(drain.object) === owner;
  });
}

/**
 * How many traces of `scope` may run at once, when it is the one traced scope of the file that submits to `library`
 * (another scope's tasks would share the slots) and the script spells it (`tracesAtOnce`).
 */
function scopeTracesAtOnce(model: JsModel, scope: TracedScope | undefined, library: Handoff["library"], through?: TSESTree.CallExpression): number | undefined {
  if (!scope) return undefined;
  // Submissions in the file's helpers (outside traced scopes) count through the helpers' calls.
  const scopes = new Set(model.handoffs.all().filter((h) => h.kind === "queued" && h.library === library && !(through && enclosingFunction(h.site) && !model.enclosingTracedScope(h.site))).map((h) => model.enclosingTracedScope(h.site)?.fn));
  // Through a helper: every call of it submits too (`scan(file)` in two traced functions shares the slots).
  if (through) {
    // The helper as the value flow resolves it (`scan`, `this.scan`, an alias); a callee it cannot resolve, by its text.
    const helper = model.resolveFunction(through.callee)?.fn;
    const text = (call: TSESTree.CallExpression) => model.text.slice(call.callee.range[0], call.callee.range[1]);
    const same = (other: TSESTree.CallExpression) => (helper ? model.resolveFunction(other.callee)?.fn === helper : text(other) === text(through));
    for (const other of model.calls) if (other.type === "CallExpression" && same(other)) scopes.add(model.enclosingTracedScope(other)?.fn);
  }
  return scopes.size === 1 && scopes.has(scope.fn) ? tracesAtOnce(model, scope.fn) : undefined;
}

/** The tasks of an `addAll` array: as many as a literal holds, or one per element of what `map` walks. */
function tasksOfArray(tasks: Node): { count?: number; collection?: Node } {
  const array = unwrapExpression(tasks);
  if (array.type === "ArrayExpression") return { count: array.elements.length };
  if (array.type === "CallExpression" && array.callee.type === "MemberExpression") {
    const walked = unwrapExpression(array.callee.object);
    if (walked.type === "ArrayExpression") return { count: walked.elements.length };
    if (memberName(array.callee) === "map") return { collection: walked };
  }
  // An array the value flow may know the length of (`windows = [0, 1]` that no call fills).
  return { collection: array };
}

export const bindQueuedTask: JsDetector<BindQueuedTaskOptions> = {
  meta: {
    name: "bind-queued-task",
    description: "Bind tasks handed to p-queue < 10, p-limit < 5, async or fastq queues shared across traces.",
    recommended: true,
    messages: {
      queued:
        "{{library}} starts a queued task from whichever call freed a slot, not from this {{where}}, so the task's runs land in another trace or start a new one. Binding the task with `AsyncLocalStorage.bind` when it is submitted keeps it under the current run.",
      queuedData:
        "The {{library}} queue runs its worker for this item in the async context of whichever call started the queue's work, not of this {{where}}, so the worker's runs land in another trace or start a new one. Push a function bound with `AsyncLocalStorage.bind`, or pass `getCurrentRunTree()` with the item and run the work in `withRunTree`.",
      channelData:
        "The traced `for await` loop that consumes `{{receiver}}` handles this item in the async context it was started in (by the first sender's trace, or outside any trace), not in this {{where}}'s, so its runs land in another trace or start a new one. Send `getCurrentRunTree()` with the item and run the loop's work for it in `withRunTree`.",
      polledData:
        "A poller's timer, armed outside any trace, takes this item out of `{{receiver}}` and does its traced work in the timer's async context, not in this {{where}}'s, so the work's runs start a new trace. Send `getCurrentRunTree()` with the item and run the poller's work for it in `withRunTree`.",
      batcherData:
        "The batcher `{{receiver}}` flushes this item, with traced work, from a timer or a drain loop that whichever call started the batch set going, or from the call that fills the batch (another trace, or none), not from this {{where}}, so the work's runs land in another trace or start a new one. Send `getCurrentRunTree()` with the item and run its work in `withRunTree` when the batch is flushed.",
      streamTask:
        "`{{receiver}}` is a stream shared beyond this {{where}}: a write that arrives while it is busy waits in its buffer and its write side runs this function from the previous write's completion, in that writer's async context, so its runs land in another trace or start a new one. Binding it with `AsyncLocalStorage.bind` keeps it under the current run.",
      streamData:
        "`{{receiver}}` is a stream shared beyond this {{where}} whose write side does traced work: a write that arrives while it is busy waits in its buffer and runs from the previous write's completion, in that writer's async context, so its runs land in another trace or start a new one. Give each caller a stream of its own, or write a function bound with `AsyncLocalStorage.bind` that does the work.",
      suggestBind: "Wrap the task in `AsyncLocalStorage.bind(...)`.",
    },
  },
  optionProperties: {
    autofix: AUTOFIX_OPTION,
    wideLimiters: {
      type: "boolean",
      description:
        "Also report shared queues whose concurrency is a number above 1 (default false; true in `strict`). Such a queue starts a task inside the submitting call while it has a free slot, so the task nests; it splits once the queue is saturated.",
    },
  },
  defaultOptions: { autofix: true, wideLimiters: false },
  detect(model, options) {
    if (!model.runtime.als) return []; // without AsyncLocalStorage binding cannot help; explicit parents are the remedy
    const findings: JsFindingData[] = [];
    const versionCache = new Map<string, string | null>();
    const reported = new Set<Node>();
    /**
     * The installed version of a library that loses the context, or undefined (context-preserving or unknown). `at`:
     * the module that makes the queue, when another module's helper submits to it (its own install and aliases).
     */
    const splittingVersion = (library: Handoff["library"], at?: SummaryReceiver["loadedBy"]): string | undefined | "" => {
      if (isWorkerQueueLibrary(library) || library === "channel" || library === "batcher" || library === "poller") return ""; // every version runs items from whichever call freed a slot
      if (!library) return undefined;
      const file = at?.file ?? model.filename;
      const key = `${library}\0${file}`;
      if (!versionCache.has(key)) {
        // The file may load the library under npm aliases (`p-queue-8`): each is its own install. When it loads
        // several, the queue's own is not known here: report only if every one of them loses the context.
        const loaded = at ? at.packages : model.apis.packagesLoadedAs(library);
        const packages = model.settings.versions[library] === undefined ? loaded : [];
        const found = (packages.length > 0 ? packages : [library]).map((pkg) => installedVersion(pkg, file, pkg === library ? model.settings.versions : {}, model.cwd)?.version);
        const versions = found.every((v): v is string => !!v) ? found.sort(semver.compare) : [];
        const splits = versions.length > 0 && semver.lt(versions[versions.length - 1], CONTEXT_PRESERVING_SINCE[library]);
        versionCache.set(key, splits ? versions[0] : null);
      }
      const found = versionCache.get(key);
      // Unknown version, or one that keeps the context: stay silent rather than guess (documented).
      return found ?? undefined;
    };

    for (const submission of model.handoffs.all()) {
      if (submission.kind !== "queued") continue;
      const version = splittingVersion(submission.library, submission.loadedBy);
      if (version === undefined) continue;
      const call = submission.site as TSESTree.CallExpression;
      const scope = model.enclosingTracedScope(call);
      if (scope && submission.receiver && model.isCreatedInside(submission.receiver, scope.fn)) continue; // one trace's own limiter: NESTED
      // A limiter made afresh by the function that submits to it serves that call (and its caller's trace) alone.
      // (Past callbacks that run where they are made: `items.map((item) => queue.add(...))` in the function that made it.)
      const frame = runningFrame(call);
      if (frame && submission.receiver && model.isCreatedInside(submission.receiver, frame)) continue;
      // A queue the function receives as a parameter: judged at its call sites (the helper loop below).
      if (frame && submission.receiver && isParameterOf(model, submission.receiver, frame)) continue;
      // Outside a traced scope, a queue a factory makes for the closure it returns (`createGeocoder()` returning
      // `(a) => limit(() => geocode(a))`) when no file of the project makes one at load: one queue per factory call,
      // each serving the call that made it (a trace calling the factory itself).
      if (!scope && frame && submission.receiver && madePerFactoryCall(model, submission.receiver, frame)) continue;
      // Likewise a queue each instance of an exported class makes in its constructor, when no file makes one at load.
      if ((!scope || scope.registeredIn !== undefined) && submission.receiver && madePerInstance(model, submission.receiver)) continue;
      if (scope && flushedByScope(model, submission, scope)) continue;
      const data = { library: version ? `${submission.library} ${version}` : submission.library!, where: scope ? scope.label : "caller's trace" };
      // The queue's concurrency is read only for a submission that would be reported (it may ask another module).
      const seen = new Set(reported);
      const found = taskFindings(model, submission, submission.values, scope, data, call, seen);
      if (found.length === 0) continue;
      // A script that runs the scope's traces one after another, each waiting for this hand-off: never shared at once.
      // (Not a batcher whose drain runs earlier traces' items all the same: see `Handoff.drainsOtherTraces`.)
      if (scope && !submission.drainsOtherTraces && tracesRunOneAtATime(model, scope.fn, call)) continue;
      // A debouncer or batcher whose timer fires before the next trace hands it anything: each flush runs in the
      // trace that armed it (the traces run one at a time, spaced by sleeps longer than its delay).
      if (scope && submission.library === "batcher" && submission.delayMs !== undefined && tracesSpacedBeyond(model, scope.fn, call, submission.delayMs)) continue;
      // Likewise for a function other files call inside their traces, when every such caller is one (their scripts
      // run those traces one at a time, each waiting for the call) and the function waits for the hand-off.
      if (!scope && !submission.drainsOtherTraces && callersRunOneAtATime(model, call)) continue;
      const traces = () => (scope ? scopeTracesAtOnce(model, scope, submission.library) : callersInFlight(model, call));
      if (submission.receiver && submission.library && submission.library !== "channel" && submission.library !== "batcher" && wideLeftAlone(model, options, model.queueConcurrency(submission.receiver, submission.library), call, submission.taskArray, traces)) continue;
      for (const node of seen) reported.add(node);
      findings.push(...found);
    }

    // A task a helper of this file makes itself and hands to a queue its caller passes (`enqueue(queue, item)` running
    // `queue.add(() => work(item))`): judged at each call of the helper inside a traced scope, with the queue that call
    // passes, and reported (and bound) where the helper makes the task.
    for (const submission of model.handoffs.all()) {
      if (submission.kind !== "queued" || !submission.receiver || !submission.library || submission.library === "channel" || submission.library === "batcher" || submission.library === "poller") continue;
      const call = submission.site as TSESTree.CallExpression;
      const frame = runningFrame(call);
      if (!frame || model.enclosingTracedScope(call) || !isParameterOf(model, submission.receiver, frame)) continue;
      const index = model.handoffs.paramIndexOf(unwrapExpression(submission.receiver), frame);
      const madeHere = submission.values.length > 0 && submission.values.every((v) => v.type !== "SpreadElement" && isFunctionNode(unwrapExpression(v)) && contains(frame, v));
      if (index === undefined || !madeHere || submission.values.some((v) => reported.has(v))) continue;
      for (const site of model.calls) {
        if (site.type !== "CallExpression" || !model.handoffs.localCallees(site).includes(frame)) continue;
        const scope = model.enclosingTracedScope(site);
        const queue = site.arguments[index];
        if (!scope || !queue || queue.type === "SpreadElement" || model.isCreatedInside(queue, scope.fn) || model.isCreatedInside(queue, runningFrame(site) ?? scope.fn)) continue;
        const version = splittingVersion(submission.library, submission.loadedBy ?? model.values.loadedBy(queue, submission.library === "p-limit" ? "p-limit" : "p-queue"));
        if (version === undefined || tracesRunOneAtATime(model, scope.fn, site)) continue;
        // A helper that submits once per element of a collection (`questions.map((q) => limit(...))`): the caller's
        // argument for it holds the tasks; one the caller cannot name leaves the count unknown.
        const repeated = repeatedPerElement(call);
        const collection = repeated?.collection ? unwrapExpression(repeated.collection) : undefined;
        const collectionIndex = collection ? model.handoffs.paramIndexOf(collection, frame) : undefined;
        const tasks = collectionIndex !== undefined ? site.arguments[collectionIndex] : undefined;
        const countKnown = !repeated || (tasks !== undefined && tasks.type !== "SpreadElement");
        if (countKnown && wideLeftAlone(model, options, model.queueConcurrency(queue, submission.library), site, tasks as Node | undefined, () => scopeTracesAtOnce(model, scope, submission.library, site))) continue;
        const data = { library: version ? `${submission.library} ${version}` : submission.library, where: scope.label };
        const found = taskFindings(model, submission, submission.values, scope, data, call, reported);
        findings.push(...found);
        if (found.length > 0) break;
      }
    }

    // `stream.write(item)` on a Node stream made outside the scope (at load, by another module): a write that comes
    // while the stream is busy is buffered and its write side runs it from the previous write's completion, in that
    // writer's async context (another trace's, or none).
    for (const write of model.streams.writes()) {
      const scope = model.enclosingTracedScope(write.site);
      if (!scope || reported.has(write.item) || model.isCreatedInside(write.stream, scope.fn)) continue;
      const receiver = model.text.slice(write.stream.range[0], write.stream.range[1]);
      const data = { where: scope.label, receiver: receiver.length > 40 ? `${receiver.slice(0, 37)}...` : receiver };
      const item = unwrapExpression(write.item);
      const methods = write.side.runsChunk ? (isFunctionNode(item) ? [write.item] : itemMethods(model, write.item)).filter((m) => !reported.has(m) && !isAlreadyBound(model, m) && taskMayTrace(model, m, scope)) : [];
      for (const method of methods) {
        reported.add(method);
        const p = planImport(model, ASYNC_LOCAL_STORAGE, method);
        findings.push({ node: method, range: method.range, messageId: "streamTask", data, fixKind: "fix", edits: [...p.edits, ...wrapEdits(method, `${p.expression}.bind(`, ")")], suggestionMessageId: "suggestBind" });
      }
      if (methods.length === 0 && write.side.tracedWork) {
        reported.add(write.item);
        findings.push({ node: write.item, range: write.item.range, messageId: "streamData", data, fixKind: "none", edits: [] });
      }
    }

    // Calls of in-file helpers that submit their parameter to a shared queue: inside a traced scope, or anywhere
    // when the task itself does traced work (as for direct submissions).
    for (const call of model.calls) {
      if (call.type !== "CallExpression") continue;
      const scope = model.enclosingTracedScope(call);
      const callerFrame = scope?.fn ?? enclosingFunction(call);
      // A script that runs the scope's traces one after another, each waiting for this call: asked only once a
      // submission of this call would be judged (it reads the whole file's callers of the scope).
      let oneAtATime: boolean | undefined;
      const runsOneAtATime = () => (oneAtATime ??= !!scope && tracesRunOneAtATime(model, scope.fn, call));
      // Inside a traced scope, also a call passing data only: another module's helper may push it to a worker queue.
      for (const helper of model.handoffs.helperSummaries(call, !!scope)) {
        if (helper.fn && (helper.fn === callerFrame || (helper.fn.range[0] <= call.range[0] && call.range[1] <= helper.fn.range[1]))) continue;
        for (const [index, entries] of helper.summary) {
          if (reported.has(call)) break;
          const arg = call.arguments[index];
          if (!arg || arg.type === "SpreadElement" || reported.has(arg)) continue;
          // Outside a traced scope, a task the caller itself received is judged where the caller is called.
          if (!scope && callerFrame && isParameterOf(model, arg, callerFrame)) continue;
          for (const entry of entries) {
            const submission = entry.handoff;
            if (submission.kind !== "queued") continue;
            // A data item sent with the sender's run tree (`{ traceHeaders: getCurrentRunTree().toHeaders() }` in any
            // argument): the helper's module may restore the parent from it, as a direct send would.
            if ((submission.library === "channel" || submission.library === "batcher" || submission.library === "poller") && call.arguments.some((a) => a.type !== "SpreadElement" && model.work.carriesRunTree(a))) continue;
            // Outside a traced scope, a task the helper submits only later, from a closure it returns: binding it at
            // this call would pin it to this (untraced) context. The closure's own submission is judged where it is.
            if (!scope && entry.deferred) continue;
            if (submission.values.some((v) => reported.has(v))) break; // already bound where the helper submits it
            const passedQueue = entry.receiverParam !== undefined ? call.arguments[entry.receiverParam] : undefined;
            const madeIn = submission.loadedBy ?? entry.imported?.receiver?.loadedBy ?? (passedQueue && passedQueue.type !== "SpreadElement" ? model.values.loadedBy(passedQueue, submission.library === "p-limit" ? "p-limit" : "p-queue") : undefined);
            const version = splittingVersion(submission.library, madeIn);
            if (version === undefined) continue;
            const frame = entry.via.length > 0 ? entry.via[entry.via.length - 1] : helper.fn;
            // A queue made with free slots: the helper's own (as its module judged it), or the one the caller passes.
            const queueLibrary = submission.library && submission.library !== "channel" && submission.library !== "batcher" ? submission.library : undefined;
            const queue = entry.receiverParam !== undefined ? call.arguments[entry.receiverParam] : submission.receiver;
            const concurrency = entry.imported && entry.receiverParam === undefined ? entry.imported.receiver?.concurrency : queueLibrary && !options.wideLimiters && queue && queue.type !== "SpreadElement" ? model.queueConcurrency(queue, queueLibrary) : undefined;
            // A helper that submits once per element of a collection: that collection holds the tasks (null: unknown).
            const perElement = submission.perElementOf;
            const leftAlone = perElement === null ? false : wideLeftAlone(model, options, concurrency, call, submission.taskArray ? arg : (perElement ?? undefined), () => scopeTracesAtOnce(model, scope, submission.library, call));
            if (queueLibrary && leftAlone) continue;
            if (entry.receiverParam !== undefined) {
              const owner = call.arguments[entry.receiverParam];
              if (!owner || owner.type === "SpreadElement" || (callerFrame && model.isCreatedInside(owner, callerFrame))) continue;
            } else if (entry.imported) {
              // A queue of the helper's own module: one it makes per call serves that call alone.
              if (!entry.imported.receiver || entry.imported.receiver.createdPerCall) continue;
              // A queue of the object the method belongs to (`this.#queue`), an object made during the caller's call
              // (`const own = makeServices(); own.scorer.run(task)`): one per object, serving that call alone.
              const callee = unwrapExpression(call.callee);
              // A function a factory made during the caller's call (`const enqueue = createUpsertQueue()`): its queue too.
              if (entry.imported.receiver.perObject && callerFrame && (callee.type === "MemberExpression" ? model.isCreatedInside(callee.object, callerFrame) : callee.type === "Identifier" && model.isCreatedInside(callee, callerFrame))) continue;
            } else if (submission.receiver && frame && model.isCreatedInside(submission.receiver, frame)) continue;
            if (runsOneAtATime()) break;
            if (scope && flushedByScope(model, submission, scope, call)) continue;
            if (scope && submission.library === "batcher" && submission.delayMs !== undefined && tracesSpacedBeyond(model, scope.fn, call, submission.delayMs)) continue;
            const data = { library: version ? `${submission.library} ${version}` : submission.library!, where: scope ? scope.label : "caller's trace" };
            // A helper that hands its parameter to `addAll`: the caller's array holds the tasks.
            const array = submission.taskArray ? unwrapExpression(arg) : undefined;
            const found = !array
              ? taskFindings(model, submission, [arg], scope, data, call, reported, entry.imported?.receiver)
              : array.type === "ArrayExpression"
                ? taskFindings(model, { ...submission, taskArray: undefined }, array.elements.filter((e): e is TSESTree.Expression => !!e && e.type !== "SpreadElement"), scope, data, call, reported)
                : taskFindings(model, { ...submission, taskArray: arg }, [], scope, data, call, reported, entry.imported?.receiver);
            findings.push(...found);
            // The helper puts several of the call's arguments in one data item: reported once, at the first.
            if (found.some((f) => f.messageId === "queuedData" || f.messageId === "channelData" || f.messageId === "polledData")) reported.add(call);
            if (found.length > 0) break;
          }
        }
      }
    }
    findings.sort((a, b) => a.range[0] - b.range[0]);
    return findings;
  },
};
