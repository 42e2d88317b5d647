/**
 * Traced work: which calls start a traced run whose parent comes from the async context (a traceable, a runnable
 * method, a wrapped client, a function that does such a call: local, a parameter bound at the file's call sites,
 * or imported from the project), and which contexts are pinned (`withRunTree`, `AsyncLocalStorage.bind`, ...).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { DISTINCTIVE_CONFIG_KEYS, DISTINCTIVE_RUNNABLE_METHODS, RUNNABLE_METHODS, isLangsmithModule } from "../apis.js";
import type { ApiResolver } from "./api.js";
import { calleeMethodName, contains, enclosingFunction, isFunctionNode, memberName, nodesWithin, propertyKey, unwrapExpression, type CallLike, type FileNodes, type FunctionNode, type Node } from "./ast.js";
import type { Bindings } from "./bindings.js";
import { enclosingClass, ITERATING_METHODS, type ValueFlow, type ValueKind } from "./values.js";

const TRACEABLE_KINDS: readonly ValueKind[] = ["traceable-fn", "task-fn"];
/** What another module may pass for a parameter this file calls, that starts child runs when called. */
const INJECTED_TRACED_KINDS: readonly ValueKind[] = ["traceable-fn", "task-fn", "traced-work-fn"];

/** Keys of a runnable's `batch` options (its third argument). */
const BATCH_OPTION_KEYS = new Set(["maxConcurrency", "returnExceptions"]);

/** Methods of a run tree whose result carries it on (its propagation headers, a child run). */
const RUN_TREE_CARRIERS = new Set(["toHeaders", "createChild"]);

export class TracedWork {
  private readonly byFunction = new Map<FunctionNode, boolean>();

  constructor(
    private readonly nodes: FileNodes,
    private readonly bindings: Bindings,
    private readonly apis: ApiResolver,
    private readonly values: ValueFlow,
  ) {}

  /** If `call` is a runnable method call (`x.invoke(...)` on a runnable), the method name. */
  runnableMethodCall(call: CallLike): string | undefined {
    if (call.type !== "CallExpression") return undefined;
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "MemberExpression") return undefined;
    const method = memberName(callee);
    if (!method || !RUNNABLE_METHODS.has(method)) return undefined;
    const kinds = this.values.valueKinds(callee.object);
    if (kinds.includes("runnable")) return method;
    // An imported value of unknown origin, a parameter, `this.chain`: `.invoke(` is LangChain's signature. Not on an
    // object literal of this file (a client with an `invoke` method of its own).
    if (kinds.length === 1 && kinds[0] === "unknown" && (DISTINCTIVE_RUNNABLE_METHODS.has(method) || this.hasConfigOptions(call))) {
      const values = this.values.valuesOf(callee.object);
      if (values.length > 0 && values.every((v) => v.type === "object")) return undefined;
      return method;
    }
    // A member of a LangChain Runnable subclass that its constructor takes from its caller (`this.summarizer.batch(chunks)`
    // with `this.summarizer = summarizer`): a runnable the subclass composes.
    if (kinds.length === 1 && kinds[0] === "unknown" && this.isComposedMember(callee.object)) return method;
    // A parameter of an exported factory that other modules fill with a runnable (`makePublisher(tileRenderer)`).
    if (kinds.length === 1 && kinds[0] === "unknown" && this.values.callersPass(callee.object, "runnable")) return method;
    return undefined;
  }

  /** `this.x` in a class that extends a LangChain `Runnable`, where `x` holds nothing this file makes. */
  private isComposedMember(object: Node): boolean {
    const member = unwrapExpression(object);
    if (member.type !== "MemberExpression" || unwrapExpression(member.object).type !== "ThisExpression") return false;
    const cls = enclosingClass(member);
    if (!cls || !cls.superClass || this.values.kindOfNewClass(cls) !== "runnable") return false;
    return this.values.valuesOf(member).every((v) => v.type === "unknown" || v.type === "callback-param");
  }

  /**
   * Whether the call's options (its second argument: a literal, or a variable holding one) name a key only a
   * `RunnableConfig` has (`this.grader.batch(items, { maxConcurrency: 2 })`).
   */
  private hasConfigOptions(call: TSESTree.CallExpression): boolean {
    // `batch(inputs, config, { maxConcurrency })`: the batch options come third.
    if (call.arguments.length === 3 && calleeMethodName(call) === "batch") {
      const batchOptions = call.arguments[2];
      const node = batchOptions.type === "SpreadElement" ? undefined : unwrapExpression(batchOptions);
      if (node && node.type === "ObjectExpression" && node.properties.some((p) => p.type === "Property" && BATCH_OPTION_KEYS.has(propertyKey(p) ?? ""))) return true;
    }
    const options = call.arguments[1];
    if (!options || options.type === "SpreadElement") return false;
    const node = unwrapExpression(options);
    const values = node.type === "ObjectExpression" ? [{ type: "object" as const, node }] : this.values.valuesOf(node);
    return values.length === 1 && values[0].type === "object" && values[0].node.properties.some((p) => p.type === "Property" && DISTINCTIVE_CONFIG_KEYS.has(propertyKey(p) ?? ""));
  }

  /**
   * If `call` calls a traceable function (or a LangGraph task): `traceable-fn` / `task-fn` when every value the
   * callee may hold is one, `may-trace` when only some are (a factory parameter whose call sites pass a traceable
   * and something else).
   */
  traceableCallKind(call: CallLike): "traceable-fn" | "task-fn" | "may-trace" | undefined {
    if (call.type !== "CallExpression") return undefined;
    const callee = unwrapExpression(call.callee);
    if (callee.type === "CallExpression" && this.apis.isTraceableFactory(callee.callee)) return "traceable-fn";
    const values = this.values.valuesOf(callee);
    const kinds = values.map((v) => this.values.kindOfValue(v));
    const traced = kinds.filter((k) => TRACEABLE_KINDS.includes(k));
    if (traced.length === 0) return undefined;
    if (traced.length === kinds.length) return traced.every((k) => k === "task-fn") ? "task-fn" : "traceable-fn";
    return "may-trace";
  }

  /** `traceable-fn` / `task-fn` when the callee is certainly one. */
  traceableCall(call: CallLike): "traceable-fn" | "task-fn" | undefined {
    const kind = this.traceableCallKind(call);
    return kind === "may-trace" ? undefined : kind;
  }

  /** Whether a call is on a client wrapped for tracing (`wrapOpenAI(...)`), e.g. `client.chat.completions.create()`. */
  private isTracedClientCall(call: TSESTree.CallExpression): boolean {
    let object: Node = unwrapExpression(call.callee);
    while (object.type === "MemberExpression") object = unwrapExpression(object.object);
    return object !== unwrapExpression(call.callee) && this.values.valueKinds(object).includes("traced-client");
  }

  /**
   * Whether a call starts a traced run whose parent comes from the async context: directly, or through a function
   * that does. Calls that hand the parent over explicitly (`child(runTree, x)`, `child(config, x)`,
   * `x.invoke(input, config)`) do not depend on the context and do not count.
   */
  isTracedWork(call: CallLike): boolean {
    if (call.type !== "CallExpression") return false;
    if (this.traceableCallKind(call)) return (!this.passesParentExplicitly(call, 0) || this.readsParentFromContext(call, 0)) && !this.onlyWithoutRunTree(call);
    if (this.runnableMethodCall(call)) return !this.passesParentExplicitly(call, 1) && !this.onlyWithoutRunTree(call);
    if (this.isTracedClientCall(call)) return true;
    const callee = unwrapExpression(call.callee);
    if (isFunctionNode(callee)) return false; // an IIFE's body is part of the caller: its calls are looked at there
    // `child.call(thisArg, x)` / `child.apply(thisArg, [x])` on a traceable: its run, with `this` set.
    if (callee.type === "MemberExpression" && (memberName(callee) === "call" || memberName(callee) === "apply")) {
      const kinds = this.values.valuesOf(callee.object).map((v) => this.values.kindOfValue(v));
      if (kinds.length > 0 && kinds.every((k) => TRACEABLE_KINDS.includes(k))) return true;
    }
    for (const value of this.values.valuesOf(callee)) {
      if (value.type === "function" && this.functionDoesTracedWork(value.fn)) return true;
      if (value.type === "import" && this.values.importFacts(value)?.doesTracedWork) return true;
      // A function another module hands this file that starts child runs (`new Sink((e) => persist(e))`,
      // `createClient(score)` calling its parameter).
      if (value.type === "injected" && INJECTED_TRACED_KINDS.includes(value.kind)) return true;
    }
    // A traced function handed point-free to an array's iteration (`items.map(composeText)`): called right there.
    if (callee.type === "MemberExpression" && ITERATING_METHODS.has(memberName(callee) ?? "") && call.arguments.length > 0) {
      const fn = call.arguments[0];
      if (fn.type !== "SpreadElement" && !isFunctionNode(unwrapExpression(fn)) && this.callbackDoesTracedWork(fn)) return true;
    }
    return false;
  }

  /**
   * Whether a call runs only when a run tree the code holds is missing: the other branch of `parentRun ? child(parentRun,
   * x) : child(x)` or `if (parentRun) ... else child(x)`. Without a run there is no trace to split from.
   */
  private onlyWithoutRunTree(call: TSESTree.CallExpression): boolean {
    for (let child: Node = call, node: Node | undefined = call.parent; node && !isFunctionNode(node); child = node, node = node.parent) {
      if ((node.type === "ConditionalExpression" || node.type === "IfStatement") && child === node.alternate && this.isRunTreeExpression(node.test)) return true;
      if ((node.type === "ConditionalExpression" || node.type === "IfStatement") && child === node.consequent && node.test.type === "UnaryExpression" && node.test.operator === "!" && this.isRunTreeExpression(node.test.argument)) return true;
    }
    return false;
  }

  /** A name that holds a run tree: named so (`parentRun`, `row.runTree`), or a variable set from `getCurrentRunTree()`. */
  private isRunTreeExpression(expr: Node): boolean {
    const node = unwrapExpression(expr);
    if (node.type === "MemberExpression") return /runtree|^rt$|^parent(run)?$/i.test(memberName(node) ?? "");
    if (node.type !== "Identifier") return false;
    if (/runtree|^rt$|^parent(run)?$/i.test(node.name)) return true;
    const variable = this.bindings.variableOf(node);
    const init = variable && this.bindings.initializerOf(variable);
    const initNode = init && unwrapExpression(init);
    return initNode?.type === "CallExpression" && this.apis.isGetCurrentRunTree(initNode.callee);
  }

  /**
   * Whether an item handed over carries the sender's run (`{ url, parentRun: getCurrentRunTree() }`, a second argument
   * `{ parentRun }`): whoever takes it out can run the work in that run, so the hand-off is the receiver's to judge.
   */
  carriesRunTree(expr: Node): boolean {
    let found = false;
    const visit = (node: Node, depth: number) => {
      if (found || depth > 3) return;
      const n = unwrapExpression(node);
      if (n.type === "CallExpression" && this.apis.isGetCurrentRunTree(n.callee)) found = true;
      else if (n.type === "CallExpression" && n.callee.type === "MemberExpression" && RUN_TREE_CARRIERS.has(memberName(n.callee) ?? "")) {
        // Its headers, or a child of it (`getCurrentRunTree().toHeaders()`): the receiver restores the parent from them.
        visit(n.callee.object, depth);
      } else if (n.type === "Identifier") {
        const variable = this.bindings.variableOf(n);
        const init = variable && this.bindings.initializerOf(variable);
        const initNode = init && unwrapExpression(init);
        if (initNode?.type === "CallExpression" && this.apis.isGetCurrentRunTree(initNode.callee)) found = true;
        else if (initNode?.type === "CallExpression" && initNode.callee.type === "MemberExpression" && RUN_TREE_CARRIERS.has(memberName(initNode.callee) ?? "")) visit(initNode, depth + 1);
      } else if (n.type === "ObjectExpression") {
        for (const p of n.properties) visit(p.type === "Property" ? p.value : p.argument, depth + 1);
      } else if (n.type === "ArrayExpression") {
        for (const e of n.elements) if (e) visit(e.type === "SpreadElement" ? e.argument : e, depth + 1);
      }
    };
    visit(expr, 0);
    return found;
  }

  /**
   * Whether the parent handed over at argument `index` is read from the async context as the call runs:
   * `child(getCurrentRunTree(), x)`, or a variable set from `getCurrentRunTree()` in the same function. Such a call
   * depends on the context just like `child(x)` (run later, from a queue, it finds the context of whoever runs it);
   * one captured earlier, in an enclosing function, does not.
   */
  readsParentFromContext(call: TSESTree.CallExpression, index: number): boolean {
    const arg = call.arguments[index];
    if (!arg || arg.type === "SpreadElement") return false;
    const node = unwrapExpression(arg);
    if (node.type === "CallExpression") return this.apis.isGetCurrentRunTree(node.callee);
    if (node.type !== "Identifier") return false;
    const variable = this.bindings.variableOf(node);
    const init = variable && this.bindings.initializerOf(variable);
    const initNode = init && unwrapExpression(init);
    return initNode?.type === "CallExpression" && this.apis.isGetCurrentRunTree(initNode.callee) && enclosingFunction(initNode) === enclosingFunction(call);
  }

  /** Whether argument `index` of a call is an explicit parent: a config or run tree, ROOT, getCurrentRunTree(). */
  passesParentExplicitly(call: TSESTree.CallExpression, index: number): boolean {
    const arg = call.arguments[index];
    if (!arg || arg.type === "SpreadElement") return false;
    const node = unwrapExpression(arg);
    if (node.type === "Identifier") {
      if (/config|runtree|^rt$|^parent(run)?$/i.test(node.name)) return true;
      const variable = this.bindings.variableOf(node);
      const def = variable?.defs[0];
      if (def?.type === "Parameter") {
        if (index === 1) return true; // a runnable's options parameter passed on
        // A parameter every call site of this file fills with `getCurrentRunTree()` (`spawn(reviewDiff(getCurrentRunTree(), id))`).
        const fn = def.node as Node;
        const position = isFunctionNode(fn) ? fn.params.findIndex((p) => p.type === "Identifier" && p.name === node.name) : -1;
        if (position < 0) return false;
        const passed = this.values.parameterValues(fn as FunctionNode, position);
        return passed.length > 0 && passed.every((v) => v.type === "call" && v.node.type === "CallExpression" && this.apis.isGetCurrentRunTree(v.node.callee));
      }
      const init = variable && this.bindings.initializerOf(variable);
      const initNode = init && unwrapExpression(init);
      if (initNode?.type === "CallExpression" && this.apis.isGetCurrentRunTree(initNode.callee)) return true;
    }
    if (node.type === "MemberExpression" && index === 1) return true; // `this.config`, `opts.config`
    // A run tree carried by an item (`transcribe(row.parentRun, args)`).
    if (node.type === "MemberExpression" && /runtree|^rt$|^parent(run)?$/i.test(memberName(node) ?? "")) return true;
    if (this.apis.resolveApi(node)?.name === "ROOT") return true;
    if (node.type === "CallExpression" && this.apis.isGetCurrentRunTree(node.callee)) return true;
    return false;
  }

  /**
   * Whether `node` runs inside a function whose context is pinned: the callback of langsmith's `withRunTree`, or a
   * function bound with `AsyncLocalStorage.bind` / `AsyncResource.bind` / run through `AsyncLocalStorage.snapshot()`.
   * Stops at `boundary`.
   */
  isInPinnedContext(node: Node, boundary: Node): boolean {
    for (let current = node.parent; current && current !== boundary; current = current.parent) {
      if (!isFunctionNode(current)) continue;
      const parent = current.parent;
      if (parent && parent.type === "CallExpression" && parent.arguments.includes(current as TSESTree.CallExpressionArgument)) {
        if (this.isContextPinningCall(parent)) return true;
      }
      // A function that reaches a pinning call through a value (`const run = () => work(job); withRunTree(rt, run)`,
      // a property, a helper's parameter that it hands to `withRunTree`).
      if (this.pinnedFunctions().has(current)) return true;
    }
    return false;
  }

  /** The functions of this file that some pinning call of it may run, by value flow (see {@link isInPinnedContext}). */
  private pinnedFunctions(): Set<Node> {
    if (this.pinned) return this.pinned;
    const out = new Set<Node>();
    this.pinned = out;
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression" || !this.isContextPinningCall(call)) continue;
      for (const arg of call.arguments) {
        if (arg.type === "SpreadElement" || isFunctionNode(arg)) continue;
        for (const value of this.values.valuesOf(arg)) if (value.type === "function") out.add(value.fn);
      }
    }
    return out;
  }
  private pinned: Set<Node> | undefined;

  /** `withRunTree(rt, fn)`, `AsyncLocalStorage.bind(fn)`, `AsyncResource.bind(fn)`, `AsyncLocalStorage.snapshot()`. */
  isContextPinningCall(call: TSESTree.CallExpression): boolean {
    const callee = unwrapExpression(call.callee);
    if (this.apis.isApi(callee, isLangsmithModule, "withRunTree")) return true;
    // `const runInCaller = AsyncLocalStorage.snapshot(); ... runInCaller(fn)`: runs `fn` in the snapshot's context.
    // Also one kept in each queued record (`items.push({ item, ctx: AsyncLocalStorage.snapshot() })`, then `entry.ctx(fn)`).
    if ((callee.type === "Identifier" || callee.type === "MemberExpression") && this.values.valuesOf(callee).some((v) => v.type === "call" && v.node !== call && this.isSnapshotCall(v.node))) return true;
    if (callee.type === "MemberExpression") {
      const method = memberName(callee);
      if (method === "bind" || method === "snapshot") {
        const owner = this.apis.resolveApi(callee.object);
        // Made at module load (`const inSlot = AsyncLocalStorage.bind((task) => slots(task))`): it pins the load's
        // context, which is no trace's, so whatever runs there starts a trace of its own (measured on an unseen program).
        if (owner && /^(node:)?async_hooks$/.test(owner.module) && (owner.name === "AsyncLocalStorage" || owner.name === "AsyncResource")) return !!enclosingFunction(call);
      }
      // `resource.runInAsyncScope(task)` on an `AsyncResource` made by a function around the call (`defer(task)`
      // making `new AsyncResource(...)` and storing `() => resource.runInAsyncScope(task)`): the context of the call
      // that made it. One made at load pins nothing of the caller's.
      if ((method === "runInAsyncScope" || method === "bind") && call.arguments.length > 0) {
        const made = this.values.valuesOf(callee.object);
        // A resource carried in a record this file cannot follow (`for (const { key, scope } of batch)
        // scope.runInAsyncScope(...)`): made by whoever kept the record, for that purpose.
        if (method === "runInAsyncScope" && made.every((v) => v.type === "unknown")) return true;
        if (made.length === 1 && made[0].type === "new") {
          const created = made[0].node;
          const owner = this.apis.resolveApi((created as TSESTree.NewExpression).callee);
          const maker = enclosingFunction(created);
          if (owner && /^(node:)?async_hooks$/.test(owner.module) && owner.name === "AsyncResource" && maker && contains(maker, call)) return true;
        }
      }
    }
    // A function of another project module that hands its callback to one of these (`handOver(rt, fn)`).
    if (call.arguments.length > 0 && (callee.type === "Identifier" || callee.type === "MemberExpression")) {
      for (const value of this.values.valuesOf(callee)) if (value.type === "import" && this.values.importFacts(value)?.pinsCallbacks) return true;
    }
    return false;
  }

  /** `AsyncLocalStorage.snapshot`, the function itself (handed on, to be called where a caller's context is to be kept). */
  isSnapshotFunction(expr: Node): boolean {
    const node = unwrapExpression(expr);
    if (node.type !== "MemberExpression" || memberName(node) !== "snapshot") return false;
    const owner = this.apis.resolveApi(node.object);
    return !!owner && /^(node:)?async_hooks$/.test(owner.module) && owner.name === "AsyncLocalStorage";
  }

  /** `AsyncLocalStorage.snapshot()`. */
  private isSnapshotCall(call: TSESTree.CallExpression): boolean {
    const callee = unwrapExpression(call.callee);
    return callee.type === "MemberExpression" && memberName(callee) === "snapshot" && this.isContextPinningCall(call);
  }

  /**
   * A value that runs its work in a pinned context: `AsyncLocalStorage.bind(fn)`, `withRunTree(rt, fn)` itself, or a
   * function whose body is such a call (`() => withRunTree(rt, task)`).
   */
  pinsContext(expr: Node): boolean {
    const node = unwrapExpression(expr);
    if (node.type === "CallExpression") return this.isContextPinningCall(node);
    if (node.type !== "ArrowFunctionExpression" && node.type !== "FunctionExpression") return false;
    const body = node.body;
    if (body.type !== "BlockStatement") return this.pinsContext(body);
    const statement = body.body.length === 1 ? body.body[0] : undefined;
    return !!statement && statement.type === "ReturnStatement" && !!statement.argument && this.pinsContext(statement.argument);
  }

  /** `tasks.map((task) => AsyncLocalStorage.bind(task))`: an array whose every element is pinned as it is made. */
  mapsToPinned(expr: Node): boolean {
    const node = unwrapExpression(expr);
    if (node.type !== "CallExpression" || calleeMethodName(node) !== "map") return false;
    const mapper = node.arguments[0] && unwrapExpression(node.arguments[0]);
    return !!mapper && isFunctionNode(mapper) && this.pinsContext(mapper);
  }

  /**
   * An object literal that carries the async context it was made in (`{ fn, restore: AsyncLocalStorage.snapshot() }`,
   * `{ fn, resource: new AsyncResource("job") }`): whoever runs its callbacks later is given the means to restore it.
   */
  carriesContext(object: TSESTree.ObjectExpression): boolean {
    return object.properties.some((p) => {
      if (p.type !== "Property") return false;
      const value = unwrapExpression(p.value);
      const restoring = this.restoresContext(value) ? value : value.type === "Identifier" ? this.values.valuesOf(value).flatMap((v) => ((v.type === "call" || v.type === "new") && this.restoresContext(v.node) ? [v.node as Node] : []))[0] : undefined;
      if (!restoring) return false;
      // A run tree kept beside the task restores nothing unless this module hands it back over as a parent.
      if (restoring.type === "CallExpression" && this.apis.isGetCurrentRunTree(restoring.callee)) {
        const key = propertyKey(p);
        return key !== undefined && this.handsOverKept(key);
      }
      return true;
    });
  }

  /**
   * Whether the module hands a kept run tree back over as a parent: `withRunTree(x.key, ...)`, or a call given
   * `x.key` (or a local destructured from `key`) first (a traceable takes a run tree first as its parent).
   */
  private handsOverKept(key: string): boolean {
    return this.nodes.calls.some((call) => {
      const first = call.arguments[0];
      if (!first || first.type === "SpreadElement") return false;
      const arg = unwrapExpression(first);
      if (arg.type === "MemberExpression") return memberName(arg) === key;
      if (arg.type !== "Identifier") return false;
      const def = this.bindings.variableOf(arg)?.defs[0];
      const pattern = (def?.name as Node | undefined)?.parent;
      return !!pattern && pattern.type === "Property" && propertyKey(pattern) === key && pattern.parent?.type === "ObjectPattern";
    });
  }

  /** `AsyncLocalStorage.snapshot()` or `new AsyncResource(...)`: the means to run later in this async context. */
  private restoresContext(value: Node): boolean {
    if (value.type === "CallExpression") {
      // The current run tree, kept beside the task so that whoever runs it later hands it over as the parent
      // (`withRunTree(job.parentRun, ...)`, or a traceable's first argument).
      if (this.apis.isGetCurrentRunTree(value.callee)) return true;
      const callee = unwrapExpression(value.callee);
      if (callee.type === "MemberExpression" && memberName(callee) === "snapshot" && this.isContextPinningCall(value)) return true;
      // A capture function every importer passes in (`captureContext: AsyncLocalStorage.snapshot`), called here.
      const held = this.values.valuesOf(callee);
      return held.length > 0 && held.every((v) => v.type === "injected" && v.kind === "context-capture");
    }
    if (value.type !== "NewExpression") return false;
    const owner = this.apis.resolveApi(value.callee);
    return !!owner && /^(node:)?async_hooks$/.test(owner.module) && owner.name === "AsyncResource";
  }

  /** Whether any call inside `fn` (at any depth) does traced work that depends on the async context. */
  functionDoesTracedWork(fn: FunctionNode): boolean {
    const cached = this.byFunction.get(fn);
    if (cached !== undefined) return cached;
    this.byFunction.set(fn, false); // recursion guard
    let result = false;
    for (const call of nodesWithin(this.nodes.calls, fn)) {
      if (this.isTracedWork(call) && !this.isInPinnedContext(call, fn)) {
        result = true;
        break;
      }
    }
    this.byFunction.set(fn, result);
    return result;
  }

  /** Whether an expression handed somewhere as a callback does traced work when called. */
  callbackDoesTracedWork(expr: Node): boolean {
    const node = unwrapExpression(expr);
    if (node.type === "CallExpression" && this.isContextPinningCall(node)) return false;
    if (node.type === "CallExpression" && this.apis.isTraceableFactory(node.callee)) return true;
    for (const value of this.values.valuesOf(node)) {
      if (value.type === "function") {
        if (this.functionDoesTracedWork(value.fn)) return true;
        continue;
      }
      if (value.type === "call" && this.isContextPinningCall(value.node)) continue;
      if (value.type === "import" && this.values.importFacts(value)?.doesTracedWork) return true;
      const kind = this.values.kindOfValue(value);
      if (kind === "traceable-fn" || kind === "task-fn" || kind === "traced-work-fn") return true;
    }
    return false;
  }

  /** Whether an expression holds a traceable (or a LangGraph task) itself, rather than a function calling one. */
  isTraceableValue(expr: Node): boolean {
    const node = unwrapExpression(expr);
    if (node.type === "CallExpression" && this.apis.isTraceableFactory(node.callee)) return true;
    const kinds = this.values.valueKinds(node);
    return kinds.includes("traceable-fn") || kinds.includes("task-fn");
  }
}
