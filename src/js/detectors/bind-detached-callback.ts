/**
 * bind-detached-callback: inside a traced scope, a callback that does traced work is handed to something whose
 * async context was captured outside the scope (an emitter, stream, EventTarget, port, userland thenable, an
 * array/set/map or a variable/field that outlives the scope), directly or through in-file helpers that do the
 * hand-off. When it fires, AsyncLocalStorage holds whatever context the caller had: no run (SPLIT root) or another
 * trace's run (SPLIT other). Ground truth §2. Things created and fired inside the scope, timers scheduled inside it
 * and Node core callbacks nest: not flagged. Where values come from and go is the model's (value flow, hand-off
 * summaries, provenance); this file decides which hand-offs detach.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { RUNNABLE_METHODS } from "../apis.js";
import { ASYNC_LOCAL_STORAGE, planImport } from "../imports.js";
import { calleeMethodName, isFunctionNode, memberName, unwrapExpression, type FunctionNode, type Handoff, type ImportedHandoff, type JsModel, type Node, type ParamHandoff, type TracedScope } from "../model.js";
import { awaitsWithin, contains, enclosingFunction, propertyKey, rootedAtThis, rootIdentifier, runningFrame, runsInBody, runsInCallContext, SYNC_CALLBACK_METHODS, stringLiteralValue, walkNodes } from "../model/ast.js";
import { traceRunsAlone, traceRunsOnce } from "../model/sequential.js";
import { isPromiseResolver, rearmedByEveryCall, runsOwnEntryLater, storeDrainers, storeDrainStarters, storeNeverRunsValues, storesPendingRecord, timerCallbackAround } from "../model/drains.js";
import { derivedArray, enclosingClass, type Value } from "../model/values.js";
import { isLoopbackStream, isPinningEmitter, isPinningEmitterClass, isPlainEmitter } from "../model/summaries.js";
import { wrapEdits } from "./edits.js";
import { AUTOFIX_OPTION, type CommonOptions, type JsDetector, type JsFindingData } from "./types.js";

/** Methods whose use of a callback variable means its identity matters (wrapping it would break them). */
const IDENTITY_METHODS = new Set(["off", "removeListener", "removeEventListener", "delete", "indexOf", "lastIndexOf", "includes", "remove", "has"]);
const BINDING_KINDS = new Set(["p-queue", "p-limit", "async-queue", "fastq-queue", "runnable"]);

type MessageId = "listener" | "handler" | "thenable" | "stored" | "assigned" | "resource" | "afterRunEnds" | "stream";

/**
 * Scopes whose run is a LangChain callback run (a runnable's, a tool's, a graph node's): the tracer drops the run when
 * it ends, so a child started after that, even in the scope's restored context, finds no parent and starts a trace of
 * its own. A traceable's run tree is held by the child itself and still nests (ground truth §2, fire-and-forget).
 */
const CALLBACK_RUN_KINDS: ReadonlySet<string> = new Set(["runnable", "tool", "dynamic-tool", "graph-node", "task", "entrypoint", "retriever", "chat-model", "with-config-callback"]);

export const bindDetachedCallback: JsDetector<CommonOptions> = {
  meta: {
    name: "bind-detached-callback",
    description: "Bind callbacks that do traced work when they are handed to emitters, streams, ports, stores or queues that outlive the traced scope.",
    recommended: true,
    messages: {
      listener:
        "This `{{method}}` listener does traced work, but it runs in the async context of whoever emits later, not of this {{scope}}, so its runs start a new trace or land in another one. `AsyncLocalStorage.bind` pins it to the current run.",
      handler:
        "This `{{method}}` handler does traced work, but it runs in the async context of whoever dispatches the event later, not of this {{scope}}, so its runs start a new trace or land in another one. `AsyncLocalStorage.bind` pins it to the current run.",
      thenable:
        "This callback on a non-native thenable does traced work, but it runs in the async context of whatever settles the thenable, not of this {{scope}}, so its runs start a new trace or land in another one. `AsyncLocalStorage.bind` pins it to the current run.",
      stored:
        "This callback does traced work and is stored in `{{receiver}}`{{via}}, which outlives this {{scope}}: whoever calls it later runs it in their own async context, so its runs start a new trace or land in another one. `AsyncLocalStorage.bind` pins it to the current run.",
      storedEach:
        "Each function in this array does traced work and is stored in `{{receiver}}`{{via}}, which outlives this {{scope}}: whoever calls them later runs them in their own async context, so their runs start a new trace or land in another one. Binding each with `AsyncLocalStorage.bind` as the array is handed on pins them to the current run.",
      assigned:
        "This callback does traced work and is kept in `{{receiver}}`{{via}}, which outlives this {{scope}} and is called from outside it: it then runs in that caller's async context, so its runs start a new trace or land in another one. `AsyncLocalStorage.bind` pins it to the current run.",
      afterRunEnds:
        "This `{{method}}` callback starts traced work after this {{scope}} has returned (nothing in the {{scope}} waits for it): the {{scope}}'s run has ended by then, and its child starts a new trace even with the config passed or the callback bound. Wait for it inside the {{scope}} (await a Promise it settles; bind it too when something else fires it) so the child runs while the run is open.",
      resource:
        "This callback does traced work, but `{{receiver}}.runInAsyncScope`{{via}} runs it in the async context `{{receiver}}` was created in, outside this {{scope}}, so its runs start a new trace or land in another one. `AsyncLocalStorage.bind` pins it to the current run.",
      stream:
        "`{{callback}}` does traced work{{via}}, but the stream runs it when `{{receiver}}` feeds the stream (`{{method}}`), in the async context of whoever writes to `{{receiver}}`, not of this {{scope}}, so its runs start a new trace or land in another one. `AsyncLocalStorage.bind` pins it to the current run where it is made inside the {{scope}}.",
      suggestBind:
        "Wrap the callback in `AsyncLocalStorage.bind(...)` (this changes its identity: update code that removes or compares it).",
    },
  },
  optionProperties: { autofix: AUTOFIX_OPTION },
  defaultOptions: { autofix: true },
  detect(model) {
    // Timers a LangChain scope arms and never waits for: their child starts after the scope's run ended, with or
    // without AsyncLocalStorage.
    const afterEnd = timersAfterRunEnds(model);
    if (!model.runtime.als) return afterEnd; // without AsyncLocalStorage every implicit hop splits; binding cannot help
    // Functions this file exports that other files call inside their traces: the project index is asked first (it
    // answers from its cache, and no other file calls most files inside a trace); the file's own text then, whether
    // it could hand over a callback doing traced work outside its own scopes.
    const callerScopes = mayHandOverForCallers(model, false) && model.scopeCallers().length > 0 && mayHandOverForCallers(model, true) ? model.tracedCallerScopes() : [];
    if (model.tracedScopes().length === 0 && callerScopes.length === 0) return [];
    const findings: JsFindingData[] = [];
    const reported = new Set<Node>();
    const report = (callback: Node, messageId: MessageId, data: Record<string, string>, at?: { scope: TracedScope; site: Node }) => {
      if (reported.has(callback)) return;
      reported.add(callback);
      if (at && runEndsFirst(model, at.scope, at.site)) findings.push({ node: callback, range: callback.range, messageId: "afterRunEnds", data, fixKind: "none", edits: [] });
      else findings.push(bindFinding(model, callback, messageId, data));
    };

    // Hand-offs written inside a traced scope.
    for (const handoff of model.handoffs.all()) {
      if (handoff.kind === "queued") continue; // bind-queued-task
      const scope = model.enclosingTracedScope(handoff.site);
      if (!scope) continue;
      if (!isDetached(model, handoff, handoff.receiver, scope, handoff.site)) continue;
      for (const value of handoff.values) {
        if (value.type === "SpreadElement") continue;
        for (const callback of tracedCallbacks(model, value, handoff)) {
          report(callback, messageOf(handoff), dataOf(model, handoff, scope), { scope, site: handoff.site });
        }
      }
    }

    // `jobs.emit("suggest-tags", { ticket, run: () => suggest(subject) })` in a traced scope, on an emitter made outside
    // it whose listener for that event (in this file, or in the emitter's module) keeps the payload in a store that
    // outlives it: the payload's callbacks run later, from whatever drains that store.
    for (const call of model.calls) {
      if (call.type !== "CallExpression" || calleeMethodName(call) !== "emit" || call.arguments.length < 2) continue;
      const scope = model.enclosingTracedScope(call);
      const event = stringLiteralValue(call.arguments[0] as Node);
      const payload = call.arguments[1];
      if (!scope || event === undefined || payload.type === "SpreadElement") continue;
      const emitter = unwrapExpression((unwrapExpression(call.callee) as TSESTree.MemberExpression).object);
      if (model.isCreatedInside(emitter, scope.fn)) continue;
      let keeper: string | undefined;
      const local = model.handoffs.eventPayloadKeeper(emitter, event);
      if (local) keeper = textOf(model, local);
      else {
        const imported = model.valuesOf(emitter);
        if (imported.length === 1 && imported[0].type === "import") keeper = model.importFacts(imported[0])?.payloadKeeper?.(event);
      }
      if (!keeper) continue;
      const handoff: Handoff = { kind: "stored", site: call, method: "emit", receiver: emitter, values: [payload] };
      for (const callback of tracedCallbacks(model, payload, handoff, 0, call)) {
        report(callback, "stored", { ...dataOf(model, handoff, scope), receiver: keeper, via: ` (through the \`${event}\` listener)` }, { scope, site: call });
      }
    }

    // `source.pipe(sink)` / `pipeline(source, ..., sink)` in a traced scope, with a sink whose write side does traced
    // work and a source something outside the scope writes to: the sink's callbacks run in that writer's context.
    for (const pipe of model.streams.pipes()) {
      const scope = model.enclosingTracedScope(pipe.site);
      if (!scope || !model.streams.drivenOutside(pipe, scope.fn)) continue;
      const handoff: Handoff = { kind: "listener", site: pipe.site, method: pipe.method, receiver: model.streams.head(pipe), values: [] };
      for (const sink of pipe.sinks) {
        // Binding pins a callback to the context it is bound in: only a sink made during the scope's call.
        const madeInside = model.isCreatedInside(sink.node, scope.fn);
        for (const callback of sink.callbacks) {
          const data = { ...dataOf(model, handoff, scope), callback: callback.name };
          if (callback.type === "argument") {
            const arg = callback.call.arguments[callback.index] as Node;
            Object.assign(data, { callback: textOf(model, arg), via: ` (in the stream \`${callback.name}()\` returns)` });
            if (contains(scope.fn, callback.call)) report(arg, "stream", data, { scope, site: pipe.site });
            else if (!reported.has(arg)) (reported.add(arg), findings.push({ node: sink.node, range: sink.node.range, messageId: "stream", data, fixKind: "none", edits: [] }));
          } else if (madeInside && callback.fn.parent?.type === "Property") report(callback.fn, "stream", data, { scope, site: pipe.site });
          else if (!reported.has(callback.fn)) {
            reported.add(callback.fn);
            findings.push({ node: sink.node, range: sink.node.range, messageId: "stream", data, fixKind: "none", edits: [] });
          }
        }
      }
    }

    // `x.then(cb)` on a thenable whose `then` keeps the callback for later.
    for (const handoff of model.handoffs.all()) {
      if (handoff.kind !== "thenable" || !handoff.receiver) continue;
      const scope = model.enclosingTracedScope(handoff.site);
      if (!scope || handoff.values.every((v) => reported.has(v))) continue;
      const thenFns = thenMethods(model, handoff.receiver);
      // Or what another module's function returns (`quote(symbol).then(cb)`), as that module's summary says.
      const keeps = thenFns.some((fn) => [0, 1].some((i) => (model.handoffs.summaryOf(fn).get(i) ?? []).some((e) => entryDetaches(model, e, fn, handoff.site as TSESTree.CallExpression, scope)))) || model.values.importedResultKeepsThenCallbacks(handoff.receiver);
      if (!keeps) continue;
      for (const value of handoff.values) {
        if (value.type === "SpreadElement") continue;
        for (const callback of tracedCallbacks(model, value, handoff)) report(callback, "thenable", dataOf(model, handoff, scope));
      }
    }
    // Calls, inside a traced scope, of functions (in this file, or imported from a project module) whose parameters
    // reach a detaching hand-off. `made` limits the callbacks to those created in that function (see below).
    const helperCalls = (call: TSESTree.CallExpression, scope: TracedScope, made?: FunctionNode, madeCall?: TSESTree.CallExpression | TSESTree.NewExpression) => {
      for (const helper of model.handoffs.helperSummaries(call)) {
        if (helper.fn && (helper.fn === scope.fn || (helper.fn.range[0] <= call.range[0] && call.range[1] <= helper.fn.range[1]))) continue;
        for (const [index, entries] of helper.summary) {
          const arg = call.arguments[index];
          if (!arg || arg.type === "SpreadElement") continue;
          const detaching = entries.filter((e) => e.handoff.kind !== "queued" && !storesInFreshObject(model, e, helper.fn, call.callee, scope, made, madeCall) && !ownsFreshImportedStore(model, e, call, scope, made, madeCall) && entryDetaches(model, e, helper.fn, call, scope));
          // A helper that hands on each element of the array passed (`runAll(jobs)` doing `jobs.map((j) => schedule(j))`).
          const each = !made ? detaching.find((e) => e.elements) : undefined;
          if (each) reportElements(arg, each, helper.name, scope);
          const entry = detaching.find((e) => !e.elements);
          if (!entry) continue;
          // A record for another module that also carries the run tree (`{ handler, args: [getCurrentRunTree(), x] }`):
          // that module may hand it to the callback as its parent, which this file cannot see.
          if (entry.imported && model.work.carriesRunTree(arg)) continue;
          const receiver = entry.imported?.receiver?.text ?? receiverText(model, entry.handoff);
          for (const callback of handedParts(arg, entry.keys).flatMap((part) => tracedCallbacks(model, part, entry.handoff, 0, call))) {
            if (made && !madeIn(model, made, callback)) continue;
            report(callback, messageOf(entry.handoff), { ...dataOf(model, entry.handoff, scope), receiver, via: ` (through \`${helper.name}()\`)` }, made ? undefined : { scope, site: call });
          }
        }
      }
    };
    // The elements of an array that a helper hands over one by one: each partial application or closure the scope
    // makes is bound where it is made; elements made elsewhere during the call are bound as the array is handed on.
    const reportElements = (array: Node, entry: ParamHandoff, helperName: string, scope: TracedScope) => {
      const found = elementCallbacks(model, array, entry.handoff, scope);
      if (!found) return;
      const data = { ...dataOf(model, entry.handoff, scope), receiver: entry.imported?.receiver?.text ?? receiverText(model, entry.handoff), via: ` (through \`${helperName}()\`)` };
      if ("callbacks" in found) for (const callback of found.callbacks) report(callback, messageOf(entry.handoff), data);
      else if (!reported.has(found.array)) {
        reported.add(found.array);
        findings.push(arrayFinding(model, found.array, messageOf(entry.handoff), data));
      }
    };
    const scopeCalls: { call: TSESTree.CallExpression | TSESTree.NewExpression; scope: TracedScope }[] = [];
    for (const call of model.calls) {
      const scope = model.enclosingTracedScope(call);
      if (!scope) continue;
      // `new Monitor(feed)`: its constructor is a helper the scope calls (walked below).
      if (call.type === "NewExpression") {
        scopeCalls.push({ call, scope });
        continue;
      }
      if (call.type !== "CallExpression") continue;
      scopeCalls.push({ call, scope });
      helperCalls(call, scope);
      // `work.map(submit)`: the helper is called with each element of `work`.
      const pointFree = model.handoffs.pointFreeHelpers(call);
      for (const helper of pointFree?.helpers ?? []) {
        if (helper.fn && (helper.fn === scope.fn || contains(helper.fn, call))) continue;
        const entry = (helper.summary.get(0) ?? []).find((e) => e.handoff.kind !== "queued" && e.receiverParam === undefined && (e.imported || !e.elements) && !storesInFreshObject(model, e, helper.fn, pointFree!.callback, scope) && entryDetaches(model, e, helper.fn, call, scope));
        if (entry) reportElements(pointFree!.array, entry, helper.name, scope);
      }
    }

    // An in-file helper the scope calls that creates a callback itself and hands it over (`installPlugin(hooks)`, whose
    // body does `registry.register("after", async () => traced())`): the helper runs on the scope's behalf, so the
    // hand-off is judged as if the scope made it, with the helper's own objects counted as made during the call.
    // Calls, in a helper reached through other helpers, of helpers that hand over a callback the first one makes
    // (`handOver(res, "finish", () => record(...))`): judged with the receiver traced back along the calls.
    const deepHelperCalls = (inner: TSESTree.CallExpression, visit: HelperVisit, scopeCall: TSESTree.CallExpression | TSESTree.NewExpression, scope: TracedScope) => {
      for (const helper of model.handoffs.helperSummaries(inner)) {
        if (helper.fn && (helper.fn === visit.fn || contains(helper.fn, inner))) continue;
        for (const [index, entries] of helper.summary) {
          const arg = inner.arguments[index];
          if (!arg || arg.type === "SpreadElement") continue;
          const entry = entries.find((e) => {
            if (e.handoff.kind === "queued" || e.elements) return false;
            if (e.receiverParam !== undefined) {
              const receiver = inner.arguments[e.receiverParam];
              return !!receiver && receiver.type !== "SpreadElement" && deepHandoffDetaches(model, { ...e.handoff, receiver }, visit, scopeCall, scope);
            }
            if (e.imported) return importedReceiverDetaches(e.handoff, e.imported.receiver);
            return !!helper.fn && entryDetaches(model, e, helper.fn, scopeCall, scope);
          });
          if (!entry) continue;
          for (const callback of handedParts(arg, entry.keys).flatMap((part) => tracedCallbacks(model, part, entry.handoff))) {
            if (madeIn(model, visit.fn, callback)) report(callback, messageOf(entry.handoff), { ...dataOf(model, entry.handoff, scope), via: ` (in \`${model.handoffs.nameOf(visit.fn)}()\`, through \`${helper.name}()\`)` });
          }
        }
      }
    };
    const helpersSeen = new Set<FunctionNode>();
    for (const { call, scope } of scopeCalls) {
      // The helpers the scope's call reaches, through the in-file functions they call in turn (a middleware reached
      // through the dispatcher `compose(stack)` returns: `stack[i](req, res, next)`), to a depth bound.
      const callees = call.type === "NewExpression" ? model.values.constructorsOf(call) : model.handoffs.localCallees(call);
      const queue: HelperVisit[] = callees.map((fn) => ({ fn, call, depth: 0 }));
      while (queue.length > 0) {
        const visit = queue.shift()!;
        const helper = visit.fn;
        if (helper === scope.fn || contains(helper, call) || contains(helper, visit.call) || model.tracedScopeOf(helper) || helpersSeen.has(helper)) continue;
        helpersSeen.add(helper);
        for (const handoff of model.handoffs.all()) {
          // Made in the helper's body, or in a callback that runs there (a `new Promise` executor the helper returns).
          if (handoff.kind === "queued" || runningFrame(handoff.site) !== helper) continue;
          if (visit.depth === 0) {
            const receiverParam = handoff.receiver ? model.handoffs.paramIndexOf(rootIdentifier(handoff.receiver), helper) : undefined;
            const entry: ParamHandoff = { handoff, receiverParam, via: [] };
            if (storesInFreshObject(model, entry, helper, call.callee, scope) || !entryDetaches(model, entry, helper, call, scope)) continue;
          } else if (!deepHandoffDetaches(model, handoff, visit, call, scope)) continue;
          for (const value of handoff.values) {
            if (value.type === "SpreadElement") continue;
            for (const callback of tracedCallbacks(model, value, handoff)) {
              if (madeIn(model, helper, callback)) report(callback, messageOf(handoff), { ...dataOf(model, handoff, scope), via: ` (in \`${model.handoffs.nameOf(helper)}()\`)` });
            }
          }
        }
        for (const inner of model.callsWithin(helper)) {
          if (inner.type !== "CallExpression" || !isOwnCall(inner, helper)) continue;
          if (visit.depth === 0 && runsInBody(inner, helper)) helperCalls(inner, scope, helper, visit.call);
          else if (runsInBody(inner, helper)) deepHelperCalls(inner, visit, call, scope);
          if (visit.depth < HELPER_DEPTH) for (const fn of model.handoffs.localCallees(inner)) queue.push({ fn, call: inner, parent: visit, depth: visit.depth + 1 });
        }
      }
    }

    // An exported function other files call inside their traces (`github.getRepo(slug)` in a traceable elsewhere): a
    // callback it makes during the call and hands to something that outlives the call (a module-level limiter's
    // queue, drained by a timer started at load) is the caller's trace's work, judged as if the caller's scope made it.
    for (const scope of callerScopes) {
      for (const handoff of model.handoffs.all()) {
        if (handoff.kind === "queued" || !contains(scope.fn, handoff.site) || model.enclosingTracedScope(handoff.site)) continue;
        if (!isDetached(model, handoff, handoff.receiver, scope, handoff.site)) continue;
        for (const value of handoff.values) {
          if (value.type === "SpreadElement") continue;
          for (const callback of tracedCallbacks(model, value, handoff)) if (madeIn(model, scope.fn, callback)) report(callback, messageOf(handoff), dataOf(model, handoff, scope));
        }
      }
      for (const call of model.callsWithin(scope.fn)) {
        if (call.type === "CallExpression" && !model.enclosingTracedScope(call)) helperCalls(call, scope, scope.fn);
      }
    }

    findings.sort((a, b) => a.range[0] - b.range[0]);
    return [...findings, ...afterEnd.filter((f) => !reported.has(f.node))];
  },
};

/**
 * Test before and after asking the project index who calls this file's exports: the file exports something, and a
 * call outside its traced scopes, in a function, passes a function written there (that does traced work: `tracedWork`,
 * the costlier test, asked only of files other files call inside their traces).
 */
function mayHandOverForCallers(model: JsModel, tracedWork: boolean): boolean {
  if (!/\bexport\b|\bmodule\.exports\b|\bexports\./.test(model.text)) return false;
  return model.calls.some((c) => c.type === "CallExpression" && !!enclosingFunction(c) && !SYNC_CALLBACK_METHODS.has(calleeMethodName(c) ?? "") && !model.enclosingTracedScope(c) && c.arguments.some((a) => {
    const node = unwrapExpression(a as Node);
    return isFunctionNode(node) && (!tracedWork || model.work.functionDoesTracedWork(node));
  }));
}


/** How many calls deep the helpers a scope's call reaches are followed. */
const HELPER_DEPTH = 3;

/** A helper reached from a scope's call: the call that invoked it, and the visit of the helper that made that call. */
interface HelperVisit {
  fn: FunctionNode;
  call: TSESTree.CallExpression | TSESTree.NewExpression;
  parent?: HelperVisit;
  depth: number;
}

/** Whether `call` runs when `helper` runs: in its body, or in a closure of it that is no helper of its own. */
function isOwnCall(call: Node, helper: FunctionNode): boolean {
  for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) {
    if (fn === helper) return true;
    // A closure called in turn (`const dispatch = (i) => ...`) is visited as a helper itself; other inline closures
    // (`() => dispatch(i + 1)` handed as `next`) run when called, as part of whoever calls them.
    if (fn.parent?.type === "VariableDeclarator") return false;
  }
  return false;
}

/**
 * For a hand-off in a helper reached through other helpers: the receiver traced back through the calls on the way
 * (a parameter of a helper is what its call passed, a variable a closure captures is its owner's), and whether it
 * detaches, judged where it ends: in the scope (as a hand-off written there), or in a helper (as one of its own).
 */
function deepHandoffDetaches(model: JsModel, handoff: Handoff, visit: HelperVisit, scopeCall: TSESTree.CallExpression | TSESTree.NewExpression, scope: TracedScope): boolean {
  if (!handoff.receiver) return false;
  let node: Node = handoff.receiver;
  let frame: FunctionNode = visit.fn;
  for (let hops = 0; hops <= HELPER_DEPTH + 1; hops++) {
    const root = rootIdentifier(node);
    const variable = root ? model.variableOf(root) : undefined;
    const def = variable?.defs[0];
    const owner = def && def.type === "Parameter" ? (def.node as Node) : undefined;
    if (!owner || !isFunctionNode(owner)) break;
    if (owner === scope.fn) return isDetached(model, handoff, node, scope, scopeCall);
    let step: HelperVisit | undefined = visit;
    while (step && step.fn !== owner) step = step.parent;
    if (!step) return false; // a parameter of a function off the path: unknown
    const index = model.handoffs.paramIndexOf(root, owner);
    const arg = index === undefined ? undefined : step.call.arguments[index];
    // `ctx.res.on(...)` on a parameter's member: not followed (the caller's argument is the whole object).
    if (!arg || arg.type === "SpreadElement" || root !== unwrapExpression(node)) return false;
    node = arg;
    frame = step.parent?.fn ?? scope.fn;
    if (frame === scope.fn) return contains(scope.fn, node) && isDetached(model, handoff, node, scope, scopeCall);
  }
  if (frame === scope.fn) return false;
  return entryDetaches(model, { handoff: { ...handoff, receiver: node }, via: [] }, frame, scopeCall, scope);
}

/**
 * Whether a callback handed over at `site` (a statement of the scope's own body) can only run after the scope's run has
 * ended: the scope is a LangChain callback run, and after the site its body neither awaits nor returns anything that
 * could wait (a promise the callback settles). A registration inside a Promise executor or a nested function is not
 * judged (the scope may await it).
 */
function runEndsFirst(model: JsModel, scope: TracedScope, site: Node): boolean {
  if (!CALLBACK_RUN_KINDS.has(scope.kind) || !runsInBody(site, scope.fn) || scope.fn.body.type !== "BlockStatement") return false;
  let waits = false;
  walkNodes(scope.fn.body, (node) => {
    if (waits || node.range[1] <= site.range[1]) return;
    if (node !== scope.fn && isFunctionNode(node)) return;
    if (enclosingFunction(node) !== scope.fn) return;
    if (node.type === "AwaitExpression" || (node.type === "ForOfStatement" && node.await) || node.type === "YieldExpression") waits = true;
    else if (node.type === "ReturnStatement" && node.argument) {
      const returned = unwrapExpression(node.argument);
      const plain = (n: Node) => n.type === "ObjectExpression" || n.type === "Literal" || n.type === "TemplateLiteral" || n.type === "ArrayExpression";
      // A variable holding plain data (`const reply = \`...\``, `{ ... }`) is no promise either.
      const variable = returned.type === "Identifier" ? model.variableOf(returned) : undefined;
      const def = variable?.defs.length === 1 ? (variable.defs[0].node as Node) : undefined;
      const init = def && def.type === "VariableDeclarator" && def.init ? unwrapExpression(def.init) : undefined;
      if (!plain(returned) && !(init && plain(init))) waits = true;
    }
  });
  return !waits;
}

const TIMERS = new Set(["setTimeout", "setImmediate", "setInterval"]);

/**
 * A timer armed in the body of a LangChain scope (directly or in a Promise executor) whose callback calls a runnable,
 * when the scope then returns without waiting: the child starts after the scope's run ended and is a trace of its
 * own, whatever config it is given (a traceable child still nests: not reported).
 */
function timersAfterRunEnds(model: JsModel): JsFindingData[] {
  const out: JsFindingData[] = [];
  if (!/\bset(?:Timeout|Immediate|Interval)\b/.test(model.text)) return out;
  for (const call of model.calls) {
    if (call.type !== "CallExpression") continue;
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "Identifier" || !TIMERS.has(callee.name) || (model.variableOf(callee)?.defs.length ?? 0) > 0) continue;
    const arg = call.arguments[0] && call.arguments[0].type !== "SpreadElement" ? unwrapExpression(call.arguments[0]) : undefined;
    // The callback written there, or the one function a variable, property or field holding it has.
    const held = arg && !isFunctionNode(arg) ? model.valuesOf(arg) : [];
    const callback = arg && isFunctionNode(arg) ? arg : held.length === 1 && held[0].type === "function" ? held[0].fn : undefined;
    if (!callback) continue;
    const scope = model.enclosingTracedScope(call);
    if (!scope || !CALLBACK_RUN_KINDS.has(scope.kind) || !callsRunnable(model, callback)) continue;
    if (!runEndsFirst(model, scope, call)) continue;
    out.push({ node: callback, range: callback.range, messageId: "afterRunEnds", data: { method: callee.name, scope: scope.label, receiver: "", via: "" }, fixKind: "none", edits: [] });
  }
  return out;
}

/** Whether a function calls a LangChain runnable (`chain.invoke(...)`) in its own body. */
function callsRunnable(model: JsModel, fn: FunctionNode): boolean {
  return model.callsWithin(fn).some((call) => {
    if (call.type !== "CallExpression" || !runsInBody(call, fn)) return false;
    const callee = unwrapExpression(call.callee);
    const method = calleeMethodName(call);
    return callee.type === "MemberExpression" && !!method && RUNNABLE_METHODS.has(method) && model.valueKinds(callee.object).includes("runnable");
  });
}

function messageOf(handoff: Handoff): MessageId {
  return handoff.kind === "queued" ? "stored" : handoff.kind;
}

function textOf(model: JsModel, node: Node): string {
  const text = model.text.slice(node.range[0], node.range[1]).replace(/\s+/g, " ");
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function dataOf(model: JsModel, handoff: Handoff, scope: TracedScope): Record<string, string> {
  return { method: handoff.method, scope: scope.label, receiver: receiverText(model, handoff), via: "" };
}

function receiverText(model: JsModel, handoff: Handoff): string {
  const receiver = handoff.receiver;
  if (!receiver) return "?";
  const text = model.text.slice(receiver.range[0], receiver.range[1]).replace(/\s+/g, " ");
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * What of an argument a helper hands over: the whole argument, or, for a destructured parameter of which only some
 * names are handed over (`keys`), those properties of the object literal passed (`{ times: 2, run: () => ... }`).
 */
function handedParts(arg: Node, keys: string[] | undefined): Node[] {
  const node = unwrapExpression(arg);
  if (!keys || node.type !== "ObjectExpression") return [arg];
  return node.properties.flatMap((p) => (p.type === "Property" && keys.includes(propertyKey(p) ?? "") ? [p.value as Node] : p.type === "SpreadElement" ? [p.argument] : []));
}

/**
 * The callbacks inside a handed-over value that do traced work: the value itself, or the function-valued
 * properties / elements of an object or array literal handed over. Traceables kept in a registry make their own
 * runs under whoever calls them later, as intended: binding them would pin them to the trace that registered them.
 */
function tracedCallbacks(model: JsModel, value: Node, handoff: Handoff, depth = 0, call?: TSESTree.CallExpression | TSESTree.NewExpression): Node[] {
  const node = unwrapExpression(value);
  if (node.type === "ObjectExpression" && model.work.carriesContext(node)) return [];
  if (node.type === "ObjectExpression" || node.type === "ArrayExpression") {
    const parts = node.type === "ObjectExpression" ? node.properties.map((p) => (p.type === "Property" ? p.value : undefined)) : node.elements;
    return parts.flatMap((part) => (part && part.type !== "SpreadElement" ? tracedCallbacks(model, part, handoff, depth, call) : []));
  }
  // A property the function wrote just before (`handlers.scanned = (e) => inPosition(scanned, e)`): that value.
  if (node.type === "MemberExpression" && depth === 0) {
    const written = model.values.memberWrittenBefore(node, call ?? handoff.site);
    if (written) return tracedCallbacks(model, written, handoff, depth + 1, call);
  }
  // The instance itself (`clock.subscribe(this)`, the clock calling `sub.onTick(...)` later): the functions it carries
  // as own fields.
  if (node.type === "ThisExpression" && depth === 0) {
    const cls = enclosingClass(node);
    return cls ? model.values.instanceFunctions(cls).flatMap((fn) => tracedCallbacks(model, fn, handoff, depth + 1, call)) : [];
  }
  if (node.type === "Identifier" && depth === 0) {
    // A job object built just before (`const job = { run: () => work(), id }; jobs.push(job)`), also an element of
    // an array of them made in the same call (`jobs.map((job) => pool.submit(job))`): its callbacks.
    const values = model.valuesOf(node);
    const frame = runningFrame(node);
    if (frame && values.length === 1 && values[0].type === "object" && contains(frame, values[0].node)) return tracedCallbacks(model, values[0].node, handoff, depth + 1, call);
    // An object made elsewhere (`const alarm = makeTankAlarm(id)`) given a callback field here before it is handed
    // over (`alarm.onTrip = trip; armAlarm(alarm)`): that callback.
    if (frame && values.every((v) => v.type !== "function")) {
      const fields = model.values.fieldsWrittenBefore(node, call ?? handoff.site).flatMap((field) => tracedCallbacks(model, field, handoff, depth + 1, call));
      if (fields.length > 0) return fields;
    }
  }
  if (!model.callbackDoesTracedWork(value)) return [];
  // A traceable kept in a registry runs as its own trace by design; one bound to this call's arguments
  // (`rerank.bind(null, req, items)`) is this call's work, queued.
  if ((handoff.kind === "stored" || handoff.kind === "assigned") && model.work.isTraceableValue(value) && !isPartialApplication(model, node) && !storesJobRecord(model, handoff, call)) return [];
  return [value];
}

/**
 * Whether a stored value is a job record of the call that stores it: an object literal that also holds the resolver
 * of a promise the call waits on (`this.items.push({ payload, handler, resolve })` inside `new Promise((resolve) =>
 * ...)`). A traceable in it runs for this call, with its data: this call's work, not a registry's handler.
 */
function storesJobRecord(model: JsModel, handoff: Handoff, call?: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  // The call itself hands over the resolver it waits on (`coalescer.schedule(fn, [metric, resolve])`).
  if (call && call.arguments.some((arg) => holdsResolver(model, arg))) return true;
  // A helper handed this call's own data beside the traceable (`outbox.enqueue({ id: order.id }, publish)`, which
  // keeps `{ message, publish }`): the traceable runs later for that data, as this call's work.
  if (call && call.callee.type !== "Super" && handoff.kind === "stored" && call.arguments.some((arg) => arg.type !== "SpreadElement" && holdsCallData(model, arg, call))) return true;
  // Another module's helper that keeps it in such a record (its summary says so), or a record written here.
  return !!handoff.pendingRecord || storesPendingRecord(model, handoff.values);
}

/**
 * Whether an argument carries data of the function making the call: it reads a parameter or local variable of that
 * function that holds no function (`{ id: order.id }`, `payload`), rather than a literal or a module-level name.
 */
function holdsCallData(model: JsModel, arg: Node, call: Node): boolean {
  const frame = enclosingFunction(call);
  if (!frame) return false;
  let found = false;
  const visit = (node: Node) => {
    if (found) return;
    const n = unwrapExpression(node);
    if (isFunctionNode(n)) return;
    if (n.type === "Identifier") {
      const variable = model.variableOf(n);
      const declared = variable?.defs[0]?.name as Node | undefined;
      if (declared && contains(frame, declared) && !model.valuesOf(n).some((v) => v.type === "function" || v.type === "bound")) found = true;
      return;
    }
    if (n.type === "MemberExpression") return visit(n.object);
    if (n.type === "ObjectExpression") {
      for (const p of n.properties) visit(p.type === "Property" ? p.value : p.argument);
      return;
    }
    if (n.type === "ArrayExpression") {
      for (const e of n.elements) if (e) visit(e.type === "SpreadElement" ? e.argument : e);
      return;
    }
    if (n.type === "TemplateLiteral") for (const e of n.expressions) visit(e);
  };
  visit(arg);
  return found;
}

/** An argument that is, or is an array literal holding, the resolver of a promise (`resolve`, `[data, resolve]`). */
function holdsResolver(model: JsModel, arg: Node): boolean {
  const node = unwrapExpression(arg);
  if (node.type === "ArrayExpression") return node.elements.some((e) => !!e && e.type !== "SpreadElement" && isPromiseResolver(model, e));
  return isPromiseResolver(model, node);
}


/**
 * The callbacks to bind among the elements of an array handed over one by one (`work`, `captionJobs(req, images)`):
 * the partial applications and closures that start traced runs, where the scope makes them; or, when some are made
 * elsewhere during the call (by a helper, in another module), the array itself. Traceables themselves (a registry's)
 * and partial applications made at module level are nobody's call's work.
 */
function elementCallbacks(model: JsModel, array: Node, handoff: Handoff, scope: TracedScope): { callbacks: Node[] } | { array: Node } | undefined {
  const node = unwrapExpression(array);
  if (node.type === "ArrayExpression") return { callbacks: node.elements.flatMap((e) => (e && e.type !== "SpreadElement" ? tracedCallbacks(model, e, handoff) : [])) };
  const simple = node.type === "Identifier" || node.type === "MemberExpression" || node.type === "CallExpression";
  if (model.work.mapsToPinned(node)) return undefined;
  const values = model.valuesOf(node);
  if (values.some((v) => v.type === "call" && !derivedArray(v.node) && model.values.importedReturnsTracedTasks(v.node))) return simple ? { array: node } : undefined;
  const arrays = values.filter((v) => v.type === "array" || (v.type === "call" && derivedArray(v.node)));
  if (arrays.length === 0) return undefined;
  const made: Node[] = [];
  for (const element of model.values.elementValues(arrays, 0)) {
    if (element.type === "bound" && enclosingFunction(element.node)) made.push(element.node);
    else if (element.type === "function" && model.work.functionDoesTracedWork(element.fn) && !model.work.isTraceableValue(element.fn)) made.push(element.fn);
  }
  if (made.length === 0) return undefined;
  if (made.every((n) => contains(scope.fn, n) && model.enclosingTracedScope(n) === scope)) return { callbacks: made };
  return simple ? { array: node } : undefined;
}

/** Bind every element of an array as it is handed on: `jobs` becomes `jobs.map((task) => AsyncLocalStorage.bind(task))`. */
function arrayFinding(model: JsModel, array: Node, messageId: string, data: Record<string, string>): JsFindingData {
  const plan = planImport(model, ASYNC_LOCAL_STORAGE, array);
  return {
    node: array,
    range: array.range,
    messageId: messageId === "stored" || messageId === "assigned" ? "storedEach" : messageId,
    data,
    fixKind: "fix",
    edits: [...plan.edits, { range: [array.range[1], array.range[1]], text: `.map((task) => ${plan.expression}.bind(task))` }],
    suggestionMessageId: "suggestBind",
  };
}

/** Whether `callback` is a function created in `fn`'s body (written there, or held by a variable that holds one). */
function madeIn(model: JsModel, fn: FunctionNode, callback: Node): boolean {
  if (!contains(fn, callback)) return false;
  const node = unwrapExpression(callback);
  if (isFunctionNode(node)) return true;
  const values = model.valuesOf(node);
  return values.length > 0 && values.every((v) => v.type === "function" && contains(fn, v.fn) && v.fn !== fn);
}

/** `f.bind(thisArg, x, ...)`, or a variable that holds one: a function with some of its arguments fixed. */
function isPartialApplication(model: JsModel, node: Node): boolean {
  if (node.type === "CallExpression") return node.arguments.length > 1 && calleeMethodName(node) === "bind";
  const values = model.valuesOf(node);
  return values.length > 0 && values.every((v) => v.type === "bound");
}


/** Whether a hand-off inside `scope` detaches its callbacks from the scope's context. */
/**
 * An `EventEmitterAsyncResource` made by a function (a constructor, a factory), not at load: it runs its listeners in
 * the context it was made in, the call that made it (ground truth §2: one made inside the parent nests).
 */
function pinsItsListeners(model: JsModel, receiver: Node): boolean {
  const values = model.valuesOf(receiver);
  return values.length > 0 && values.every((v) => {
    // Made per call by another module's function (`openChannel(id)` returning a new one), or the signal of a
    // controller it makes and only aborts from a timer it arms then (`registry.open(id)`).
    if (v.type === "call") {
      const summary = v.node.type === "CallExpression" ? model.values.importedCalleeSummary(v.node)?.summary : undefined;
      if (summary?.returnsNewOfParam !== undefined && v.node.type === "CallExpression") {
        // `openSession(id, EventEmitterAsyncResource)`: the class this call hands over is the one made.
        const arg = v.node.arguments[summary.returnsNewOfParam];
        if (arg && arg.type !== "SpreadElement" && isPinningEmitterClass(model, arg)) return true;
      }
      return summary?.returnsPinningEmitter === true || summary?.returnsCallScopedSignal === true;
    }
    if (v.type !== "new") return false;
    return isPinningEmitter(model, v.node) && !!enclosingFunction(v.node);
  });
}

/**
 * A plain `EventEmitter` the scope makes (itself, or through a factory that makes one per call), adds the listener to
 * and hands back to its caller (`return stay`, `return { stay }`) without emitting on it: whoever emits later does so
 * from their own async context, after the scope's run has ended. (An `EventEmitterAsyncResource` pins its listeners.)
 */
function handsBackPlainEmitter(model: JsModel, receiver: Node, scope: TracedScope, registration: Node): boolean {
  const target = unwrapExpression(receiver);
  const variable = target.type === "Identifier" ? model.variableOf(target) : undefined;
  if (!variable) return false;
  const values = model.valuesOf(target);
  if (values.length === 0 || !values.every((v) => madePlainEmitter(model, v, 0))) return false;
  return returnsHolding(model, scope.fn, (n) => n.type === "Identifier" && model.variableOf(n) === variable) && !emitsInside(model, receiver, scope.fn, registration);
}

/**
 * Whether `fn` returns what `isIt` accepts: itself, or inside an object or array literal (`return { session }`), also
 * through a local that holds it (`const out = { session }; return out`).
 */
function returnsHolding(model: JsModel, fn: FunctionNode, isIt: (node: Node) => boolean): boolean {
  const holds = (node: Node | null | undefined, depth: number): boolean => {
    if (!node || depth > 3) return false;
    const n = unwrapExpression(node);
    if (isIt(n)) return true;
    if (n.type === "ObjectExpression") return n.properties.some((p) => p.type === "Property" && holds(p.value, depth + 1));
    if (n.type === "ArrayExpression") return n.elements.some((e) => !!e && e.type !== "SpreadElement" && holds(e, depth + 1));
    if (n.type === "Identifier") {
      const local = model.variableOf(n);
      const def = local?.defs.length === 1 ? (local.defs[0].node as Node) : undefined;
      return def?.type === "VariableDeclarator" && !!def.init && contains(fn, def) && holds(def.init, depth + 1);
    }
    return false;
  };
  return (model.nodes.returns.get(fn) ?? []).some((r) => holds(r, 0));
}

/**
 * A plain `EventEmitter` an in-file helper makes, adds the listener to and returns (`openCheckout(visitId)`), when
 * the scope's call of the helper hands its result back in turn (`return { session: openCheckout(id) }`) and neither
 * emits on it: whoever emits later does so from their own context, after the scope's run has ended.
 */
function helperHandsBackPlainEmitter(model: JsModel, receiver: Node, helper: FunctionNode, call: Node, scope: TracedScope, registration: Node): boolean {
  const target = unwrapExpression(receiver);
  const variable = target.type === "Identifier" ? model.variableOf(target) : undefined;
  if (!variable || !contains(scope.fn, call) || contains(helper, scope.fn)) return false;
  const values = model.valuesOf(target);
  if (values.length === 0 || !values.every((v) => madePlainEmitter(model, v, 0))) return false;
  if (!returnsHolding(model, helper, (n) => n.type === "Identifier" && model.variableOf(n) === variable) || emitsInside(model, receiver, helper, registration)) return false;
  // The helper's result leaves the scope: returned by it (in a literal, or through a local holding it).
  return returnsHolding(model, scope.fn, (n) => n === call || (n.type === "AwaitExpression" && unwrapExpression(n.argument) === call));
}

function madePlainEmitter(model: JsModel, value: Value, depth: number): boolean {
  if (value.type === "new") return isPlainEmitter(model, value.node);
  if (value.type !== "call" || depth > 2) return false;
  const local = model.valuesOf(value.node.callee).filter((v): v is Extract<Value, { type: "function" }> => v.type === "function");
  if (local.length === 0) return model.values.importedCalleeSummary(value.node)?.summary.returnsPlainEmitter === true;
  return local.every((v) => {
    const returned = model.nodes.returns.get(v.fn) ?? [];
    return returned.length > 0 && returned.every((r) => contains(v.fn, r) && model.valuesOf(r).length > 0 && model.valuesOf(r).every((inner) => madePlainEmitter(model, inner, depth + 1)));
  });
}

/**
 * An emitter another module exports, on which the scope itself then has that module emit: it calls one of the
 * module's functions that emit on it (`pumpOutbox()`), or arms a timer with one (`setTimeout(pumpOutbox, 20)`),
 * after adding the listener. The emit then runs in the scope's context (a timer armed inside keeps it).
 */
function dispatchedByScope(model: JsModel, receiver: Node, scope: TracedScope, registration: Node): boolean {
  const values = model.valuesOf(receiver);
  const source = values.length === 1 && values[0].type === "import" ? values[0] : undefined;
  // The emitter itself, exported; or what a function of that module returns from storage it keeps
  // (`embargoFor(slug)` giving a signal that the module's `lift(slug)` aborts).
  let module = source?.module;
  let names = source ? model.importFacts(source)?.emittedBy : undefined;
  if (!source && values.length === 1 && values[0].type === "call") {
    const callee = model.values.importedCalleeSummary(values[0].node);
    module = callee?.module;
    names = callee?.summary.returnsEmittedBy;
  }
  if (!module || !names) return false;
  const isDispatcher = (node: Node | undefined): boolean => {
    if (!node || node.type === "SpreadElement") return false;
    return model.valuesOf(unwrapExpression(node)).some((v) => v.type === "import" && v.module === module && names!.includes(v.name));
  };
  // A timer callback that calls one right away (`setTimeout(() => lift(slug), 20)`).
  const callsDispatcher = (node: Node | undefined): boolean => {
    const fn = node && node.type !== "SpreadElement" ? unwrapExpression(node) : undefined;
    if (!fn || !isFunctionNode(fn)) return isDispatcher(node);
    return model.callsWithin(fn).some((inner) => inner.type === "CallExpression" && runsInCallContext(inner, fn) && isDispatcher(inner.callee));
  };
  return model.callsWithin(scope.fn).some((call) => {
    if (call.type !== "CallExpression" || call.range[0] < registration.range[1] || !runsInCallContext(call, scope.fn)) return false;
    if (isDispatcher(call.callee)) return true;
    const callee = unwrapExpression(call.callee);
    return callee.type === "Identifier" && ["setTimeout", "setImmediate", "queueMicrotask"].includes(callee.name) && callsDispatcher(call.arguments[0] as Node | undefined);
  });
}

function isDetached(model: JsModel, handoff: Handoff, receiver: Node | undefined, scope: TracedScope, registration: Node): boolean {
  if (!receiver) return false;
  if (handoff.kind === "assigned") return outlivesAndIsCalledOutside(model, receiver, scope);
  if (model.isCreatedInside(receiver, scope.fn)) return handoff.kind === "listener" && handsBackPlainEmitter(model, receiver, scope, registration);
  // Queues and limiters belong to bind-queued-task; runnables' methods are not callback stores.
  if (model.valueKinds(receiver).some((k) => BINDING_KINDS.has(k))) return false;
  switch (handoff.kind) {
    case "thenable":
      return isUserlandThenable(model, receiver);
    case "listener":
    case "handler":
      if (pinsItsListeners(model, receiver)) return false;
      // Emitted by the scope itself after the registration; a listener that stays (`on`) is run again by the emits
      // made elsewhere (another trace posting to the same ledger).
      if (emitsInside(model, receiver, scope.fn, registration) || dispatchedByScope(model, receiver, scope, registration)) return staysRegistered(registration) && emittedElsewhere(model, receiver, scope);
      return true;
    case "resource":
      // An AsyncResource made outside the scope: it runs the callback in its own creation context.
      return true;
    case "stored":
      // Only collections that outlive the scope: a binding from an outer scope, or a member of `this`; unless the
      // scope itself then calls what runs the stored callbacks.
      return (!!model.rootVariable(receiver) || rootedAtThis(receiver)) && !drainedByScope(model, handoff, receiver, scope, registration) && !storeNeverRunsValues(model, handoff.values, receiver);
    default:
      return false;
  }
}

/**
 * A method called on an object created inside the scope (`const s = new Scheduler(); s.schedule(cb)`, `const work =
 * createWorkList(); work.schedule(cb)`) that keeps the callback in that object's own store: a field of `this`, or a
 * variable of the function that encloses the method (the factory that made the object). The store is made afresh in
 * the scope, and whatever drains it was started there too.
 */
function storesInFreshObject(model: JsModel, entry: ParamHandoff, helper: FunctionNode | undefined, calleeNode: Node, scope: TracedScope, made?: FunctionNode, madeCall?: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  const receiver = entry.handoff.receiver;
  if (!helper || !receiver || entry.receiverParam !== undefined || entry.imported) return false;
  let root = unwrapExpression(receiver);
  while (root.type === "MemberExpression" || root.type === "CallExpression") root = unwrapExpression(root.type === "MemberExpression" ? root.object : root.callee);
  // A field of a class whose every instance this scope creates (reached through any helpers): per call.
  const frame = entry.via.length > 0 ? entry.via[entry.via.length - 1] : helper;
  const owner = frame.parent;
  const isStatic = !!owner && owner.type === "MethodDefinition" && owner.static;
  const cls = root.type === "ThisExpression" && !isStatic ? enclosingClass(root) : undefined;
  // A field that holds an object made outside the call (`this.feed = feed`, with `new Monitor(sharedFeed)`): the
  // instance is fresh, the emitter or store it points at is not.
  if (root.type === "ThisExpression" && fieldHoldsOutsideObject(model, receiver, scope, cls)) return false;
  if (cls && instancesAllInside(model, cls, scope)) return true;
  const callee = unwrapExpression(calleeNode);
  // A method of an object made during the call, or a function a factory returned during it (`const submit =
  // createJobRunner()`, then `submit(task)` storing in the factory's `jobs`).
  const object = callee.type === "MemberExpression" ? callee.object : callee.type === "Identifier" && root.type === "Identifier" ? callee : undefined;
  if (!object || !(model.isCreatedInside(object, scope.fn) || filledFreshByScope(model, object, scope, made, madeCall))) return false;
  const method = helper.parent;
  if (method && method.type === "MethodDefinition" && method.static) return false;
  if (root.type === "ThisExpression") return true;
  const variable = root.type === "Identifier" ? model.variableOf(root) : undefined;
  if (!variable || variable.defs[0]?.type === "Parameter") return false;
  for (let current: Node | undefined = helper.parent; current; current = current.parent) {
    if (isFunctionNode(current) && model.isDeclaredInside(variable, current)) return true;
  }
  return false;
}

/**
 * A method of an object another module's factory or class made during the scope's call (`const users =
 * createLoader(fn)` inside it, then `users.load(key, cb)`), keeping the callback in a store of that object (a field of
 * `this`, a variable of the factory): made afresh in the scope, and drained by whatever the scope started.
 */
function ownsFreshImportedStore(model: JsModel, entry: ParamHandoff, call: TSESTree.CallExpression, scope: TracedScope, helper?: FunctionNode, helperCall?: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  if (!entry.imported?.receiver?.perObject || entry.receiverParam !== undefined) return false;
  const callee = unwrapExpression(call.callee);
  // An object made during the scope's call: by the scope, or by the helper of this file it calls (`const pump = make()`);
  // or the function such a call returned (`const schedule = createScheduler()`, then `schedule(cb)`).
  const made = callee.type === "MemberExpression" ? callee.object : callee.type === "Identifier" ? callee : undefined;
  if (!made) return false;
  return model.isCreatedInside(made, scope.fn) || (!!helper && model.isCreatedInside(made, helper)) || filledFreshByScope(model, made, scope, helper, helperCall) || (lazilyMadeIn(model, made, scope.fn) && traceRunsOnce(model, scope.fn));
}

/**
 * Whether `node` is an outer variable that only `fn` assigns, each time lazily with an object it makes
 * (`scheduler = scheduler || new RefillScheduler(30)`, `scheduler ??= new ...`): the first call makes it.
 */
function lazilyMadeIn(model: JsModel, node: Node, fn: FunctionNode): boolean {
  const id = unwrapExpression(node);
  if (id.type !== "Identifier") return false;
  const variable = model.variableOf(id);
  if (!variable || variable.defs[0]?.type !== "Variable") return false;
  const declarator = variable.defs[0].node as Node;
  if (model.isDeclaredInside(variable, fn)) {
    // A local holding the lazy write (`const scheduler = (reminders ??= new Scheduler())`): the outer variable.
    const init = declarator.type === "VariableDeclarator" && declarator.init && variable.defs.length === 1 ? unwrapExpression(declarator.init) : undefined;
    return init?.type === "AssignmentExpression" && init.left.type === "Identifier" && init.left !== id && lazilyMadeIn(model, init.left, fn);
  }
  if (declarator.type === "VariableDeclarator" && declarator.init) return false;
  const writes = variable.references.filter((r) => (r as { writeExpr?: unknown; init?: boolean }).writeExpr && !(r as { init?: boolean }).init).map((r) => r.identifier as Node);
  return writes.length > 0 && writes.every((write) => {
    const assignment = write.parent;
    if (!assignment || assignment.type !== "AssignmentExpression" || assignment.left !== write || !contains(fn, assignment)) return false;
    const right = unwrapExpression(assignment.right);
    if ((assignment.operator === "||=" || assignment.operator === "??=") && right.type === "NewExpression") return true;
    if (assignment.operator !== "=" || right.type !== "LogicalExpression" || right.operator === "&&") return false;
    const left = unwrapExpression(right.left);
    return left.type === "Identifier" && model.variableOf(left) === variable && unwrapExpression(right.right).type === "NewExpression";
  });
}

/**
 * Whether `node` is a parameter of `helper` (`constructor(clock)` doing `clock.subscribe(this)`) that the scope's call
 * of the helper fills with an object made during the scope's call (`new Timer(createClock())`).
 */
function filledFreshByScope(model: JsModel, node: Node, scope: TracedScope, helper?: FunctionNode, helperCall?: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  const id = unwrapExpression(node);
  if (!helper || !helperCall || id.type !== "Identifier" || !contains(scope.fn, helperCall)) return false;
  const index = model.handoffs.paramIndexOf(id, helper);
  const arg = index === undefined ? undefined : helperCall.arguments[index];
  return !!arg && arg.type !== "SpreadElement" && model.isCreatedInside(arg, scope.fn);
}

/**
 * Whether a member of `this` (`this.feed`) holds an object made outside both the class and the scope's function: an
 * import of another module, or an object this file makes at load and passes to the constructor.
 */
function fieldHoldsOutsideObject(model: JsModel, receiver: Node, scope: TracedScope, cls: Node | undefined): boolean {
  const member = unwrapExpression(receiver);
  if (member.type !== "MemberExpression" || unwrapExpression(member.object).type !== "ThisExpression") return false;
  return model.valuesOf(member).some((v) => {
    if (v.type === "import" || v.type === "imported-part") return true;
    if (v.type !== "new" && v.type !== "object" && v.type !== "array" && v.type !== "call") return false;
    return !contains(scope.fn, v.node) && !(cls && contains(cls, v.node)) && !enclosingFunction(v.node);
  });
}

/**
 * For a hand-off another module's function or method performs (`entry.imported`), reached at `call` inside `scope`:
 * whether it detaches. `owner` is the object whose store keeps the callback: the receiver of the call, or the object
 * the caller passes to a helper that calls the method on it.
 */
function importedEntryDetaches(model: JsModel, entry: ParamHandoff, imported: NonNullable<ParamHandoff["imported"]>, helper: FunctionNode | undefined, call: TSESTree.CallExpression | TSESTree.NewExpression, scope: TracedScope, owner: Node | undefined): boolean {
  const handoff = entry.handoff;
  const drainers = imported.receiver?.drainedBy;
  const module = imported.module;
  // Drained on the object whose method stored it (`store.subscribe(cb)`, then `store.set(...)`), or by a function
  // of that module (`subscribe(cb)`, then `notifyAll()`).
  const fromModule = (node: Node) => model.valuesOf(node).some((v) => v.type === "import" && v.module === module);
  const drained = !!drainers && drainsAfter(model, scope, call, drainers, (object) => (owner ? sameObject(model, object, owner) : false), owner ? undefined : fromModule);
  const emitters = imported.receiver?.instanceEmitters;
  if (emitters) {
    // The instance: the call's receiver, or, through an in-file helper, the receiver of the helper's own call.
    const site = handoff.site.type === "CallExpression" ? unwrapExpression(handoff.site.callee) : undefined;
    let instance = owner ?? (site?.type === "MemberExpression" ? site.object : undefined);
    // A parameter of the helper (`handOver(target, cb)` calling `target.whenOpen(cb)`): what this call passes.
    const param = instance && helper && !owner ? model.handoffs.paramIndexOf(rootIdentifier(instance), helper) : undefined;
    if (param !== undefined) {
      const arg = call.arguments[param];
      instance = arg && arg.type !== "SpreadElement" && unwrapExpression(instance!).type === "Identifier" ? arg : undefined;
    }
    return !!instance && instanceEventFromOutside(model, scope, call, instance, imported.name, emitters);
  }
  // A listener on an object of that module, which the scope then makes it emit on (`onShutdown(cb)`, then
  // `beginShutdown()` aborting the same controller): dispatched synchronously, inside the scope.
  const emittedBy = imported.receiver?.emittedBy;
  if (emittedBy && drainsAfter(model, scope, call, emittedBy, (object) => (owner ? sameObject(model, object, owner) : false), owner ? undefined : fromModule)) return false;
  // A store whose only drains are listeners on an emitter that module exports, on which the scope then emits
  // (`onCurtailment(id, react)`, then `gridBus.emit("curtailment", ...)`): the listeners run the callbacks in the scope.
  const onEvents = imported.receiver?.drainedOnEvents;
  if (onEvents && emitsOnModuleEmitterAfter(model, scope, call, module, onEvents)) return false;
  // A store whose only drain is a timer the scope itself starts (`startPoller()` in its body), in a script that runs
  // the scope's traces one at a time: the timer runs the stored callbacks in this trace's context.
  const starters = imported.receiver?.drainStartedBy;
  if (starters && (startsDrainItself(model, scope, module, starters, imported.receiver?.drainFile) || (!!owner && startsDrainOnObject(model, scope, owner, starters)))) return false;
  // One whose storing method arms the drain itself, called by the program's only trace of the scope: the drain runs
  // in that trace's context. (A second trace's callback would run in the first one's, the drain being armed once.)
  if (starters && imported.receiver?.storerStartsDrain && traceRunsOnce(model, scope.fn)) return false;
  // A queue whose storing function starts its drain when none runs and returns a promise of the task's result
  // (`submitHl7(task)` pushing `{ task, resolve }`), awaited by traces that run one at a time: each trace's drain
  // runs its own task and ends before the next trace stores.
  if (drainers?.includes(imported.name) && imported.receiver?.pendingRecord && awaitedBy(call, scope.fn) && traceRunsAlone(model, scope.fn)) return false;
  // A store something else drains too (a timer its constructor arms), which the scope drains itself at once.
  const flushers = imported.receiver?.flushedBy;
  if (flushers && owner && flushesAtOnce(model, scope, call, flushers, owner)) return false;
  return !drained && importedReceiverDetaches(handoff, imported.receiver);
}

/**
 * For a field write `object.field = cb` on a module-level object of this file (not exported) whose class runs the
 * field only in `callers` (methods such as `run()`): whether every use of the object is a write of a member, a call of
 * another method, or a call of one of `callers` inside `scope` after the write, in the program's only trace of it.
 */
function runOnlyByScope(model: JsModel, target: TSESTree.MemberExpression, callers: readonly string[] | null | undefined, scope: TracedScope): boolean {
  const object = unwrapExpression(target.object);
  if (!callers || object.type !== "Identifier") return false;
  const variable = model.variableOf(object);
  const declarator = variable?.defs[0]?.node as Node | undefined;
  if (!variable || variable.defs[0]?.type !== "Variable" || declarator?.parent?.parent?.type !== "Program" || !traceRunsOnce(model, scope.fn)) return false;
  let started = false;
  for (const reference of variable.references) {
    const id = reference.identifier as Node;
    if (id === (declarator as TSESTree.VariableDeclarator).id) continue;
    const member = id.parent;
    if (!member || member.type !== "MemberExpression" || member.object !== id) return false;
    const method = memberName(member);
    const call = member.parent && member.parent.type === "CallExpression" && member.parent.callee === member ? member.parent : undefined;
    if (!method) return false;
    if (!callers.includes(method)) {
      // A write of a member, or a call of a method that does not run the field.
      if (!call && !(member.parent?.type === "AssignmentExpression" && member.parent.left === member)) return false;
      continue;
    }
    if (!call || !contains(scope.fn, call) || call.range[0] < target.range[1] || !runsInCallContext(call, scope.fn, true)) return false;
    started = true;
  }
  return started;
}

/**
 * An in-file queue whose storing function keeps a pending record (`{ task, resolve }`) and starts the drain when none
 * runs (`if (!this.draining) this.drain()`), its promise awaited by traces that run one at a time: each trace's drain
 * runs its own task and ends before the next trace stores (as for another module's queue, `pendingRecord`).
 */
function drainsOwnPendingAlone(model: JsModel, handoff: Handoff, receiver: Node, frame: FunctionNode, call: Node, scope: TracedScope): boolean {
  if (!storesPendingRecord(model, handoff.values)) return false;
  const drainers = storeDrainers(model, receiver);
  const startsDrain = !!drainers && model.callsWithin(frame).some((inner) => inner.type === "CallExpression" && runsInCallContext(inner, frame) && drainers.includes(calleeMethodName(inner) ?? (unwrapExpression(inner.callee).type === "Identifier" ? (unwrapExpression(inner.callee) as TSESTree.Identifier).name : "")));
  return startsDrain && awaitedBy(call, scope.fn) && traceRunsAlone(model, scope.fn);
}

/** Whether `cls` is instantiated in this file, and only inside `scope`'s function. */
function instancesAllInside(model: JsModel, cls: Node, scope: TracedScope): boolean {
  // Another module may make its own, at its top level.
  if (cls.parent && (cls.parent.type === "ExportNamedDeclaration" || cls.parent.type === "ExportDefaultDeclaration")) return false;
  const made = model.calls.filter((c) => c.type === "NewExpression" && model.valuesOf(c.callee).some((v) => v.type === "class" && v.node === cls));
  return made.length > 0 && made.every((c) => contains(scope.fn, c));
}

/** For a hand-off reached through helper `helper` called at `call` inside `scope`: whether it detaches. */
function entryDetaches(model: JsModel, entry: ParamHandoff, helper: FunctionNode | undefined, call: TSESTree.CallExpression | TSESTree.NewExpression, scope: TracedScope): boolean {
  const handoff = entry.handoff;
  if (entry.receiverParam !== undefined) {
    const arg = call.arguments[entry.receiverParam];
    if (!arg || arg.type === "SpreadElement") return false;
    // The other module's store that the object passed keeps the callback in, which the scope then drains itself.
    const drainers = entry.imported?.receiver?.drainedBy;
    if (drainers && drainsAfter(model, scope, call, drainers, (object) => sameObject(model, object, arg))) return false;
    // A listener another module's class adds to the instance passed (`handOver(connector, cb)` calling `whenOpen`).
    const emitters = entry.imported?.receiver?.instanceEmitters;
    if (emitters) return instanceEventFromOutside(model, scope, call, arg, entry.imported!.name, emitters);
    // A store of another module's instance the object passed is (`handOver(engine, page, cb)` doing
    // `target.submit(page, cb)`): judged as the scope's own `engine.submit(page, cb)` would be.
    if (entry.imported?.receiver?.perObject) return !model.isCreatedInside(arg, scope.fn) && importedEntryDetaches(model, entry, entry.imported, helper, call, scope, arg);
    return isDetached(model, handoff, arg, scope, call);
  }
  if (entry.imported) {
    const callee = unwrapExpression(call.callee);
    return importedEntryDetaches(model, entry, entry.imported, helper, call, scope, callee.type === "MemberExpression" ? callee.object : undefined);
  }
  const receiver = handoff.receiver;
  if (!receiver || !helper) return false;
  const frame = entry.via.length > 0 ? entry.via[entry.via.length - 1] : helper;
  if (handoff.kind === "assigned") return outlivesAndIsCalledOutside(model, receiver, scope, frame);
  // A receiver made fresh in the helper's own frame is created during this call, inside the scope; so is one made
  // by a helper written inside the scope (a channel the traced function makes for itself).
  if (model.isCreatedInside(receiver, frame) || (contains(scope.fn, frame) && model.isCreatedInside(receiver, scope.fn))) {
    // Unless it is a plain emitter the helper returns and the scope hands back to its caller, who emits later.
    return handoff.kind === "listener" && entry.via.length === 0 && helperHandsBackPlainEmitter(model, receiver, frame, call, scope, handoff.site);
  }
  // A name the helper takes from its options (`holdFare({ offerId, signal })`), passed an object made in the scope.
  const passed = entry.via.length === 0 && contains(scope.fn, call) ? model.handoffs.argumentFor(receiver, helper, call) : undefined;
  if (passed && model.isCreatedInside(passed, scope.fn)) return false;
  if (model.valueKinds(receiver).some((k) => BINDING_KINDS.has(k))) return false;
  if (handoff.kind === "stored" && runsOwnEntryLater(model, handoff, frame)) return false;
  switch (handoff.kind) {
    case "thenable":
      return isUserlandThenable(model, receiver);
    case "listener":
    case "handler":
      if (pinsItsListeners(model, receiver)) return false;
      // As for a registration in the scope itself: a listener that stays is run again by emits made elsewhere.
      if (emitsInside(model, receiver, frame, handoff.site) || emitsInside(model, receiver, scope.fn, call) || dispatchedByScope(model, receiver, scope, call)) return staysRegistered(handoff.site) && emittedElsewhere(model, receiver, scope, frame);
      return true;
    case "stored":
      return (!!model.rootVariable(receiver) || rootedAtThis(receiver)) && !drainedByScope(model, handoff, receiver, scope, call) && !storeNeverRunsValues(model, handoff.values, receiver) && !drainsOwnPendingAlone(model, handoff, receiver, frame, call, scope);
    case "resource":
      return !!model.rootVariable(receiver) || rootedAtThis(receiver);
    default:
      return false;
  }
}

/**
 * For a hand-off that a helper of another module makes to a receiver of its own: whether it detaches, from what that
 * module's summary says about the receiver (the same questions `entryDetaches` asks of an in-file receiver).
 */
/**
 * A listener another module's class adds to the instance itself (`host.onReady(cb)` doing `this.once("ready", cb)`):
 * the event comes from outside the scope when the instance was made outside it and the scope calls none of the class's
 * emitting methods on it (`host.start()`), nor `emit` / `dispatchEvent` itself, and the registering method does not
 * emit either (it may drive the event itself).
 */
function instanceEventFromOutside(model: JsModel, scope: TracedScope, call: TSESTree.CallExpression | TSESTree.NewExpression, owner: Node, helperName: string, emitters: string[]): boolean {
  const method = helperName.slice(helperName.lastIndexOf(".") + 1);
  if (emitters.includes(method) || model.isCreatedInside(owner, scope.fn)) return false;
  // An instance that pins its listeners to the context it was made in (an `EventEmitterAsyncResource` made per call).
  if (pinsItsListeners(model, owner)) return false;
  const root = model.rootVariable(owner);
  if ((!root && unwrapExpression(owner).type !== "ThisExpression") || root?.defs[0]?.type === "Parameter") return false;
  const triggers = new Set([...emitters, "emit", "dispatchEvent"]);
  return !model.callsWithin(scope.fn).some((other) => {
    if (other === call || other.type !== "CallExpression") return false;
    const callee = unwrapExpression(other.callee);
    if (callee.type !== "MemberExpression") return false;
    const name = memberName(callee);
    return !!name && triggers.has(name) && sameObject(model, callee.object, owner);
  });
}

function importedReceiverDetaches(handoff: Handoff, receiver: ImportedHandoff["receiver"]): boolean {
  if (!receiver || receiver.createdPerCall) return false;
  if (receiver.kinds.some((k) => BINDING_KINDS.has(k))) return false;
  switch (handoff.kind) {
    case "assigned":
      return receiver.outlives && receiver.calledOutside === true;
    case "thenable":
      return receiver.userlandThenable === true;
    case "stored":
      return receiver.outlives && !receiver.runsOwnEntry && !receiver.neverRuns;
    case "listener":
    case "handler":
    case "resource":
      return receiver.outlives;
    default:
      return false;
  }
}

/**
 * An assignment target (`pending = fn`, `this.onDone = fn`, `state.next = fn`) that outlives the scope (not declared
 * or created in it) and whose stored function is called from outside the scope: a timer or loop started elsewhere.
 */
function outlivesAndIsCalledOutside(model: JsModel, target: Node, scope: TracedScope, frame?: FunctionNode): boolean {
  const node = unwrapExpression(target);
  const inside = (n: Node) => n.range[0] >= scope.fn.range[0] && n.range[1] <= scope.fn.range[1];
  if (node.type === "Identifier") {
    const variable = model.variableOf(node);
    if (!variable || model.isDeclaredInside(variable, scope.fn) || (frame && model.isDeclaredInside(variable, frame))) return false;
    if (variable.defs[0]?.type === "Parameter") return false;
    return variable.references.some((reference) => {
      const identifier = reference.identifier as Node;
      // Called by a timer that every call of the helper cancels and re-arms (a debouncer whose last call wins): the
      // timer that fires runs the last value in the context of the call that stored it.
      if (frame && contains(frame, identifier) && rearmedByEveryCall(identifier, frame)) return false;
      return !inside(identifier) && isCalled(model, identifier) && !timerArmedOnlyByScope(model, identifier, scope);
    });
  }
  if (node.type !== "MemberExpression") return false;
  const name = memberName(node);
  if (!name || model.isCreatedInside(node.object, scope.fn) || (frame && model.isCreatedInside(node.object, frame))) return false;
  const root = model.rootVariable(node.object);
  const isThis = unwrapExpression(node.object).type === "ThisExpression";
  if (!root && !isThis) return false;
  // The objects the target may be, and the local classes they are instances of (`this.cb()` inside the class).
  const objects = new Set<Node>();
  const classes = new Set<Node>();
  for (const value of model.valuesOf(node.object)) {
    // An object another module exports, whose field a callback it arms at load calls (`monitor.onBeat?.(n)`).
    if (value.type === "import" && model.values.projectExportFacts(value)?.calledFields?.includes(name)) return true;
    // An instance of another module's class whose own code calls the field (`this.onComplete?.(result)` from its timer).
    if (value.type === "new") {
      const imported = model.valuesOf(value.node.callee);
      const facts = imported.length === 1 ? model.values.projectExportFacts(imported[0]) : undefined;
      // Unless the field runs only in methods (`run()` polling) that only this scope calls on the object, after the
      // write, in the program's only trace: the loop then runs in the trace's context.
      if (facts?.calledFields?.includes(name) && !runOnlyByScope(model, node, facts.fieldCallers?.[name], scope)) return true;
    }
    if (value.type === "new" || value.type === "object") objects.add(value.node);
    if (value.type === "new") for (const cls of model.valuesOf(value.node.callee)) if (cls.type === "class") classes.add(cls.node);
    if (value.type === "this") {
      const cls = enclosingClass(value.node);
      if (cls) classes.add(cls);
    }
  }
  // Reads of the field outside the scope that call it: `obj.cb()`, or `const cb = this.cb; cb()`.
  const reads: TSESTree.MemberExpression[] = [];
  for (const call of model.calls) {
    if (call.type !== "CallExpression" || inside(call)) continue;
    let callee = unwrapExpression(call.callee);
    if (callee.type === "MemberExpression" && ["call", "apply"].includes(memberName(callee) ?? "")) callee = unwrapExpression(callee.object);
    if (callee.type === "MemberExpression" && memberName(callee) === name) reads.push(callee);
    if (callee.type !== "Identifier") continue;
    const definition = model.variableOf(callee)?.defs[0]?.node as Node | undefined;
    const init = definition && definition.type === "VariableDeclarator" && definition.init ? unwrapExpression(definition.init) : undefined;
    if (init && init.type === "MemberExpression" && memberName(init) === name && !inside(init)) reads.push(init);
  }
  return reads.some((read) => {
    const object = unwrapExpression(read.object);
    if (object.type === "ThisExpression") {
      const cls = enclosingClass(object);
      return (isThis && cls !== undefined && cls === enclosingClass(unwrapExpression(node.object))) || (cls !== undefined && classes.has(cls));
    }
    if (root && model.rootVariable(object) === root) return true;
    return model.valuesOf(object).some((v) => (v.type === "new" || v.type === "object") && objects.has(v.node));
  });
}

/**
 * Whether the function read at `read` (a variable reference or a member expression) is called there: `f()`,
 * `f.call(...)`/`f.apply(...)`, or copied into a local that is called (`const f = pending; f()`).
 */
function isCalled(model: JsModel, read: Node, depth = 0): boolean {
  const parent = read.parent;
  if (!parent) return false;
  if (parent.type === "ChainExpression" || parent.type === "TSNonNullExpression") return isCalled(model, parent, depth);
  if (parent.type === "CallExpression") return unwrapExpression(parent.callee) === read || parent.callee === read;
  if (parent.type === "MemberExpression" && parent.object === read && ["call", "apply"].includes(memberName(parent) ?? "")) {
    const call = parent.parent;
    return !!call && call.type === "CallExpression" && call.callee === parent;
  }
  if (depth === 0 && parent.type === "VariableDeclarator" && parent.init === read && parent.id.type === "Identifier") {
    const copy = model.variableOf(parent.id);
    return !!copy && copy.references.some((reference) => reference.identifier !== parent.id && isCalled(model, reference.identifier as Node, depth + 1));
  }
  return false;
}

/** The `then` functions of the values a receiver may hold (object literals and instances of local classes). */
function thenMethods(model: JsModel, receiver: Node): FunctionNode[] {
  return model.values
    .propertyValues(model.valuesOf(receiver), "then", undefined, 0)
    .flatMap((v) => (v.type === "function" ? [v.fn] : []));
}

/**
 * Whether the same invocation of `frame` fires the emitter after registering (listener and emit both inside the
 * parent: NESTED). The emit must come after the registration and not on a branch exclusive with it: in request
 * coalescing, one call registers (`if (inFlight) once(...)`) and another emits (`else emit(...)`), so the
 * listener runs in the emitting trace.
 */
function emitsInside(model: JsModel, receiver: Node, frame: FunctionNode, registration: Node): boolean {
  const root = model.rootVariable(receiver);
  const text = model.text.slice(receiver.range[0], receiver.range[1]);
  // The one object an expression holds, when value flow knows it (`getBus()` and `bus` both hold `new EventEmitter()`).
  const identity = (object: Node): Node | undefined => {
    const values = model.valuesOf(object);
    return values.length === 1 && (values[0].type === "new" || values[0].type === "object") ? values[0].node : undefined;
  };
  const held = identity(receiver);
  // Writing to a loopback stream (a `PassThrough` the listener is on) makes it emit `data` in the writer's context.
  let loopback: boolean | undefined;
  const feedable = () => (loopback ??= holdsLoopbackStream(model, receiver)) && listensToStreamData(registration);
  for (const call of model.callsWithin(frame)) {
    if (call.type !== "CallExpression" || call.range[0] < registration.range[1]) continue;
    const method = calleeMethodName(call);
    const sameObject = (object: Node) => (root ? model.rootVariable(object) === root : model.text.slice(object.range[0], object.range[1]) === text) || (held !== undefined && identity(object) === held);
    const reachable = () => !onExclusiveBranches(registration, call) && !branchExitsBefore(registration, call);
    const callee = unwrapExpression(call.callee);
    if (method && FEEDING_METHODS.has(method) && callee.type === "MemberExpression" && sameObject(callee.object) && feedable() && reachable()) return true;
    // Only synchronous dispatch to this object's own listeners: `postMessage`, `write` or `end` deliver to the
    // other end of a port, worker or socket, whose listeners still run outside the scope.
    if (method !== "emit" && method !== "dispatchEvent") {
      // An in-file helper that emits on the object the scope passes it (`announce(bus, "done", x)`).
      if (helperEmitsOn(model, call, sameObject, registration, feedable) && reachable()) return true;
      // Another module's function that emits on, or feeds, the object the scope passes it (`feedReadings(telemetry, rows)`).
      const feeds = model.values.importedCalleeSummary(call)?.summary.feedsParams ?? [];
      const fed = feeds.some(({ param, writes }) => {
        const arg = call.arguments[param];
        return !!arg && arg.type !== "SpreadElement" && sameObject(arg) && (!writes || feedable());
      });
      if (fed && reachable()) return true;
      // A method of another module's emitter class that emits on its instance (`channel.flush()` dispatching).
      if (method && callee.type === "MemberExpression" && sameObject(callee.object) && reachable() && model.values.importedMethodSummary(callee.object, method)?.emitsOnThis) return true;
      continue;
    }
    const object = (unwrapExpression(call.callee) as TSESTree.MemberExpression).object;
    if (sameObject(object) && sameEvent(registration, call) && reachable()) return true;
  }
  return false;
}

/** Calls that make a loopback stream emit to its own listeners (see `isLoopbackStream`). */
const FEEDING_METHODS = new Set(["write", "end", "push"]);
/** The events a write or an end makes a stream emit. */
const STREAM_DATA_EVENTS = new Set(["data", "readable", "end", "finish", "close"]);

/** A listener for a stream's data (or its end), or one whose event we cannot read. */
function listensToStreamData(registration: Node): boolean {
  const event = registrationEvent(registration);
  return event === undefined || STREAM_DATA_EVENTS.has(event);
}

/**
 * Whether the object is a loopback stream: made here (`new PassThrough()`), or by another module's function that
 * returns one it makes (`openPadTelemetry()`).
 */
function holdsLoopbackStream(model: JsModel, expr: Node): boolean {
  // A traced function's parameter stands for what its wrapper's calls pass, when the file sees every one.
  const values = model.values.wrappedCallValuesOf(expr);
  return values.length > 0 && values.every((v) => (v.type === "new" && isLoopbackStream(model, v.node)) || (v.type === "call" && model.values.importedCalleeSummary(v.node)?.summary.returnsLoopbackStream === true));
}

/** A registration that stays until removed (`on`, `addListener`, `addEventListener` without `{ once: true }`). */
function staysRegistered(registration: Node): boolean {
  if (registration.type !== "CallExpression") return false;
  const method = calleeMethodName(registration);
  if (method === "on" || method === "addListener" || method === "prependListener") return true;
  if (method !== "addEventListener") return false;
  const options = registration.arguments[2];
  const object = options && options.type === "ObjectExpression" ? options : undefined;
  return !object?.properties.some((p) => p.type === "Property" && propertyKey(p) === "once");
}

/**
 * Whether something outside the scope's function emits on the same object: `emit` / `dispatchEvent`, a write to it when
 * it is a loopback stream, a method of another module's emitter class that emits on its instance (`ledger.post(...)`
 * in another traced function), or, for another module's exported emitter, a call of that module's function that
 * emits on it (`publishReadings(rows)` at the top level).
 */
function emittedElsewhere(model: JsModel, receiver: Node, scope: TracedScope, helper?: FunctionNode): boolean {
  const inHelper = (call: Node) => !!helper && contains(helper, call);
  // A helper only the scope calls (`runLinter(files)` publishing on the bus) emits as part of the scope.
  const onlyForScope = (call: Node) => {
    const fn = enclosingFunction(call);
    if (!fn) return false;
    const { sites, escapes } = model.values.callSites(fn);
    return !escapes && sites.length > 0 && sites.every((site) => contains(scope.fn, site));
  };
  const values = model.valuesOf(receiver);
  const source = values.length === 1 && values[0].type === "import" ? values[0] : undefined;
  const dispatchers = source ? model.importFacts(source)?.emittedBy : undefined;
  if (source && dispatchers) {
    const dispatches = model.calls.some((call) => call.type === "CallExpression" && !contains(scope.fn, call) && !inHelper(call) && model.valuesOf(call.callee).some((v) => v.type === "import" && v.module === source.module && dispatchers.includes(v.name)) && !onlyForScope(call));
    if (dispatches) return true;
  }
  const root = model.rootVariable(receiver);
  if (!root) return false;
  let loopback: boolean | undefined;
  return model.calls.some((call) => {
    if (call.type !== "CallExpression" || contains(scope.fn, call) || inHelper(call)) return false;
    const callee = unwrapExpression(call.callee);
    const method = calleeMethodName(call);
    if (callee.type !== "MemberExpression" || !method || model.rootVariable(callee.object) !== root) return false;
    // A write to the same loopback stream made elsewhere (another trace feeding it) runs the listener there.
    const feeds = FEEDING_METHODS.has(method) && (loopback ??= holdsLoopbackStream(model, receiver));
    if (!feeds && method !== "emit" && method !== "dispatchEvent" && model.values.importedMethodSummary(callee.object, method)?.emitsOnThis !== true) return false;
    return !onlyForScope(call);
  });
}

/**
 * Whether `call` invokes an in-file function that emits (`emit`, `dispatchEvent`) on one of its parameters, and the
 * call passes the registration's object there (and the same event, when both names are literals).
 */
function helperEmitsOn(model: JsModel, call: TSESTree.CallExpression, sameObject: (object: Node) => boolean, registration: Node, feedable: () => boolean): boolean {
  const callee = unwrapExpression(call.callee);
  for (const fn of model.handoffs.localCallees(call)) {
    for (const inner of model.callsWithin(fn)) {
      if (inner.type !== "CallExpression") continue;
      const method = calleeMethodName(inner);
      const innerCallee = unwrapExpression(inner.callee);
      if (innerCallee.type !== "MemberExpression" || !method) continue;
      // `emit` / `dispatchEvent`, a write to a loopback stream, or a method of another module's emitter class that
      // emits on its instance (`bus.publish(kind, payload)` doing `this.emit(kind, payload)`).
      const writes = FEEDING_METHODS.has(method);
      const imported = method !== "emit" && method !== "dispatchEvent" && !writes;
      if (imported && !model.values.importedMethodSummary(innerCallee.object, method)?.emitsOnThis) continue;
      // In the call's own context: its body, or a timer it schedules (`setImmediate(() => this.emit(...))`).
      if (!runsInCallContext(inner, fn)) continue;
      const object = unwrapExpression(innerCallee.object);
      // On a parameter the call passes the object for, on `this` of a method called on the object itself
      // (`bus.complete(id, result)` emitting on `this`), or on the very object, named by the helper (a module-level bus).
      let passed: Node | undefined;
      if (object.type === "ThisExpression") passed = callee.type === "MemberExpression" && thisFunction(object) === fn ? callee.object : undefined;
      else {
        const index = model.handoffs.paramIndexOf(object, fn);
        const arg = index === undefined ? undefined : call.arguments[index];
        passed = arg && arg.type !== "SpreadElement" ? arg : index === undefined && model.rootVariable(object) && !model.isDeclaredInside(model.rootVariable(object)!, fn) ? object : undefined;
      }
      if (!passed || !sameObject(passed)) continue;
      if (writes) {
        if (feedable()) return true;
        continue;
      }
      if (imported) return true;
      // The event: a literal in the helper, or the argument the call passes for the helper's event parameter.
      const eventArg = inner.arguments[0];
      const eventIndex = eventArg ? model.handoffs.paramIndexOf(unwrapExpression(eventArg), fn) : undefined;
      const event = eventIndex === undefined ? eventArg : call.arguments[eventIndex];
      const emitted = event && event.type !== "SpreadElement" ? eventName(event) : undefined;
      const listened = registrationEvent(registration);
      if (emitted === undefined || listened === undefined || emitted === listened) return true;
    }
  }
  return false;
}

/** The function whose `this` a `this` expression is: the nearest enclosing function that is not an arrow. */
function thisFunction(node: Node): FunctionNode | undefined {
  let fn = enclosingFunction(node);
  while (fn && fn.type === "ArrowFunctionExpression") fn = enclosingFunction(fn);
  return fn;
}

/** The event name a listener registration listens to, when it is a literal. */
function registrationEvent(registration: Node): string | undefined {
  if (registration.type !== "CallExpression" || !["on", "once", "addListener", "prependListener", "prependOnceListener", "addEventListener"].includes(calleeMethodName(registration) ?? "")) return undefined;
  return eventName(registration.arguments[0]);
}

/**
 * Whether the registration sits in an `if` branch that always returns or throws, while the emit comes after that
 * `if` (`if (loading) { once(...); return; } ... emit(...)`): the invocation that registers never emits.
 */
function branchExitsBefore(registration: Node, emit: Node): boolean {
  for (let child = registration, current = registration.parent; current; child = current, current = current.parent) {
    if (current.range[0] <= emit.range[0] && emit.range[1] <= current.range[1]) return false; // reached a common ancestor
    if (current.type === "IfStatement" && child !== current.test && alwaysExits(child)) return true;
  }
  return false;
}

function alwaysExits(node: Node): boolean {
  switch (node.type) {
    case "ReturnStatement":
    case "ThrowStatement":
      return true;
    case "BlockStatement":
      return node.body.length > 0 && alwaysExits(node.body[node.body.length - 1]);
    case "IfStatement":
      return !!node.alternate && alwaysExits(node.consequent) && alwaysExits(node.alternate);
    default:
      return false;
  }
}

/** Whether an emit can reach the listener: same event name, or a name we cannot read. */
function sameEvent(registration: Node, emit: TSESTree.CallExpression): boolean {
  if (registration.type !== "CallExpression" || !["on", "once", "addListener", "prependListener", "prependOnceListener", "addEventListener"].includes(calleeMethodName(registration) ?? "")) return true;
  const listened = eventName(registration.arguments[0]);
  const emitted = eventName(emit.arguments[0]);
  if (listened === undefined || emitted === undefined) return true;
  return listened === emitted;
}

function eventName(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const n = unwrapExpression(node);
  if (n.type === "Literal" && typeof n.value === "string") return n.value;
  // dispatchEvent(new Event("tick"))
  if (n.type === "NewExpression" && n.arguments[0]) return eventName(n.arguments[0]);
  return undefined;
}

/**
 * Whether the scope, after storing a callback at `registration`, calls one of the functions that run the store's
 * callbacks (`drainers`, see `model/drains.ts`) on the same store (`sameStore` of the call's object, for a method): in
 * its own body or a timer it schedules there, not from a callback it hands away, and not on a branch exclusive with
 * the registration. The stored
 * callback then runs in the scope's context, as a listener does on an emitter the scope emits on.
 */
/**
 * Whether the scope, after `registration`, emits on an emitter that project module `module` exports under one of the
 * names (the same event, when both are literals): in its body, or in a timer it arms there.
 */
function emitsOnModuleEmitterAfter(model: JsModel, scope: TracedScope, registration: Node, module: string, emitters: readonly { emitter: string; event?: string }[]): boolean {
  return model.callsWithin(scope.fn).some((call) => {
    if (call.type !== "CallExpression" || call.range[0] < registration.range[1] || !runsInCallContext(call, scope.fn, true) || onExclusiveBranches(registration, call) || branchExitsBefore(registration, call)) return false;
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "MemberExpression" || memberName(callee) !== "emit") return false;
    const emitted = eventName(call.arguments[0]);
    return model.valuesOf(callee.object).some((v) => v.type === "import" && v.module === module && emitters.some((e) => e.emitter === v.name && (e.event === undefined || emitted === undefined || e.event === emitted)));
  });
}

function drainsAfter(model: JsModel, scope: TracedScope, registration: Node, drainers: readonly string[], sameStore: (object: Node) => boolean, sameFunction?: (callee: Node) => boolean): boolean {
  const names = new Set(drainers);
  // The drain called directly, or by an in-file function the scope calls (`calendarSync()` doing `calendar.set(...)`).
  const drains = (call: TSESTree.CallExpression, depth: number): boolean => {
    const callee = unwrapExpression(call.callee);
    if (callee.type === "MemberExpression" && names.has(memberName(callee) ?? "") && sameStore(callee.object)) return true;
    if (callee.type === "Identifier" && names.has(callee.name) && !!sameFunction?.(callee)) return true;
    if (depth >= 2) return false;
    return model.handoffs.localCallees(call).some((fn) => !contains(fn, registration) && !contains(fn, scope.fn) && model.callsWithin(fn).some((inner) => inner.type === "CallExpression" && runsInBody(inner, fn) && drains(inner, depth + 1)));
  };
  return model.callsWithin(scope.fn).some((call) => {
    // In its body, or in a timer's callback it schedules there (Node runs that in the scope's context).
    if (call.type !== "CallExpression" || call.range[0] < registration.range[1] || !runsInCallContext(call, scope.fn, true) || onExclusiveBranches(registration, call)) return false;
    return drains(call, 0);
  });
}

/**
 * Whether `read` runs in the callback of a timer that an in-file function arms (`scheduleQuickLook()` doing
 * `setTimeout(() => job?.(), 20)`) which only `scope` calls, in its body, in the program's only trace of the scope:
 * the timer runs in that trace's context.
 */
function timerArmedOnlyByScope(model: JsModel, read: Node, scope: TracedScope): boolean {
  let starter: FunctionNode | undefined = enclosingFunction(read);
  while (starter && enclosingFunction(starter)) starter = enclosingFunction(starter);
  if (!starter || contains(starter, scope.fn) || contains(scope.fn, starter) || !timerCallbackAround(read, starter)) return false;
  const { sites, escapes } = model.values.callSites(starter);
  return !escapes && sites.length > 0 && sites.every((site) => contains(scope.fn, site) && runsInBody(site, scope.fn)) && traceRunsOnce(model, scope.fn);
}

/** Whether `fn`'s own body awaits (or returns) what `call` gives back. */
function awaitedBy(call: Node, fn: FunctionNode): boolean {
  let node: Node = call;
  while (node.parent && ["TSAsExpression", "TSNonNullExpression", "ParenthesizedExpression"].includes(node.parent.type)) node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === "AwaitExpression") return enclosingFunction(parent) === fn;
  if (parent.type === "ReturnStatement") return enclosingFunction(parent) === fn && fn.async;
  return parent === fn && fn.type === "ArrowFunctionExpression" && fn.async;
}

/**
 * Whether the scope, in its own body, calls one of `flushers` on `owner` after `registration` with nothing awaited
 * between (`smsBatcher.add(r, onSent); await smsBatcher.flush()`), in traces that run one at a time: no other drain
 * can run between, so the scope's own drain runs the callback, in its context.
 */
function flushesAtOnce(model: JsModel, scope: TracedScope, registration: Node, flushers: readonly string[], owner: Node): boolean {
  if (!traceRunsAlone(model, scope.fn)) return false;
  const flush = model.callsWithin(scope.fn).find((call) => {
    if (call.type !== "CallExpression" || call.range[0] < registration.range[1] || enclosingFunction(call) !== scope.fn || onExclusiveBranches(registration, call)) return false;
    const callee = unwrapExpression(call.callee);
    return callee.type === "MemberExpression" && flushers.includes(memberName(callee) ?? "") && sameObject(model, callee.object, owner);
  });
  // (The `await` of the flush itself does not count.)
  const awaitedFlush = flush?.parent?.type === "AwaitExpression" ? flush.parent : flush;
  return !!awaitedFlush && !awaitsWithin(scope.fn, awaitedFlush.range[0], scope.fn, registration.range[1]);
}

/** Whether two expressions hold the same object: one binding, one import, or one object made in this file. */
function sameObject(model: JsModel, a: Node, b: Node): boolean {
  const root = model.rootVariable(a);
  if (root && root === model.rootVariable(b)) return true;
  const others = model.valuesOf(b);
  return model.valuesOf(a).some((v) => others.some((o) => (v.type === "import" && o.type === "import" && v.module === o.module && v.name === o.name) || ((v.type === "new" || v.type === "object") && (o.type === "new" || o.type === "object") && o.node === v.node)));
}

/**
 * A store the scope drains itself after storing the callback (`drainsAfter`): one of this file, or the store of an
 * object another module exports (`sessionStore.subscribe(observer)`), as that module's summary of the method says.
 */
/**
 * Whether the scope calls, in its own body, what arms the store's only drain (`isStart`), and its traces never overlap:
 * the timer then runs the stored callbacks in this trace's context.
 */
function scopeStartsDrain(model: JsModel, scope: TracedScope, isStart: (call: TSESTree.CallExpression) => boolean): boolean {
  return model.calls.some((c) => c.type === "CallExpression" && enclosingFunction(c) === scope.fn && isStart(c)) && traceRunsAlone(model, scope.fn);
}

/** A function of `module` named in `starters` (or of the file that holds the store, when a third module's helper passed the callback on). */
function startsDrainItself(model: JsModel, scope: TracedScope, module: string, starters: readonly string[], drainFile: string | undefined): boolean {
  return scopeStartsDrain(model, scope, (c) => model.valuesOf(c.callee).some((v) => v.type === "import" && starters.includes(v.name) && (v.module === module || (!!drainFile && model.resolvesTo(v.module, drainFile)))));
}

/** A function of this file named in `starters`, which no code outside the scope calls. */
function startsLocalDrainItself(model: JsModel, scope: TracedScope, starters: readonly string[]): boolean {
  const isStart = (c: TSESTree.CallExpression | TSESTree.NewExpression) => {
    const callee = unwrapExpression(c.callee);
    return c.type === "CallExpression" && callee.type === "Identifier" && starters.includes(callee.name) && !!model.resolveFunction(callee);
  };
  if (model.calls.some((c) => isStart(c) && !contains(scope.fn, c))) return false;
  return scopeStartsDrain(model, scope, isStart);
}

/** A method named in `starters` on the object whose store keeps the callback (`poller.start()` after `poller.subscribe(cb)`). */
function startsDrainOnObject(model: JsModel, scope: TracedScope, owner: Node, starters: readonly string[]): boolean {
  return scopeStartsDrain(model, scope, (c) => {
    const callee = unwrapExpression(c.callee);
    return callee.type === "MemberExpression" && starters.includes(memberName(callee) ?? "") && sameObject(model, callee.object, owner);
  });
}

function drainedByScope(model: JsModel, handoff: Handoff, receiver: Node, scope: TracedScope, registration: Node): boolean {
  const imports = model.valuesOf(receiver).filter((v): v is Extract<typeof v, { type: "import" }> => v.type === "import");
  if (imports.length > 0) {
    const drainers = model.values.importedMethodSummary(receiver, handoff.method)?.handoffs.find((h) => h.kind === "stored" && h.receiver?.drainedBy)?.receiver?.drainedBy;
    return !!drainers && drainsAfter(model, scope, registration, drainers, (object) => sameObject(model, object, receiver));
  }
  const drainers = storeDrainers(model, receiver);
  if (!drainers) {
    // Its only drain a timer that a function of this file arms (`startPoller()`), called by this scope alone.
    const starters = storeDrainStarters(model, receiver);
    return !!starters && startsLocalDrainItself(model, scope, starters);
  }
  const target = unwrapExpression(receiver);
  const cls = target.type === "MemberExpression" ? enclosingClass(target) : undefined;
  const root = model.rootVariable(receiver);
  const sameStore = (object: Node) =>
    cls ? model.valuesOf(object).some((v) => v.type === "new" && model.valuesOf(v.node.callee).some((c) => c.type === "class" && c.node === cls)) : !!root && model.rootVariable(object) === root;
  // A function of the module that drains a module-level store (`notifyAll()`).
  const sameFunction = (callee: Node) => !cls && !!model.resolveFunction(callee);
  return drainsAfter(model, scope, registration, drainers, sameStore, sameFunction);
}

/** Whether two nodes sit on branches of one `if`, `?:` or `switch` that cannot both run. */
function onExclusiveBranches(a: Node, b: Node): boolean {
  const ancestorsOfA = new Map<Node, Node>(); // ancestor -> its child on the path to a
  for (let child = a, current = a.parent; current; child = current, current = current.parent) ancestorsOfA.set(current, child);
  for (let child = b, current = b.parent; current; child = current, current = current.parent) {
    const childOfA = ancestorsOfA.get(current);
    if (!childOfA) continue;
    if (childOfA === child) return false;
    switch (current.type) {
      case "IfStatement":
      case "ConditionalExpression":
        return childOfA !== current.test && child !== current.test;
      case "SwitchStatement":
        return childOfA.type === "SwitchCase" && child.type === "SwitchCase";
      default:
        return false;
    }
  }
  return false;
}

/** A value whose `then` is userland code: an object literal with a `then`, or an instance of a local class with one. */
function isUserlandThenable(model: JsModel, receiver: Node): boolean {
  return thenMethods(model, receiver).length > 0;
}

/** Whether wrapping a callback changes behaviour: the same function is also removed or compared elsewhere. */
function identityMatters(model: JsModel, callback: Node): boolean {
  const node = unwrapExpression(callback);
  if (node.type !== "Identifier") return false;
  const variable = model.variableOf(node);
  if (!variable) return true; // a global we cannot see: be careful
  for (const reference of variable.references) {
    const identifier = reference.identifier as Node;
    if (identifier === node) continue;
    const parent = identifier.parent;
    if (!parent) continue;
    if (parent.type === "BinaryExpression" && /^[!=]==?$/.test(parent.operator)) return true;
    if (parent.type === "CallExpression" && parent.arguments.includes(identifier as TSESTree.CallExpressionArgument)) {
      const method = calleeMethodName(parent);
      if (method && IDENTITY_METHODS.has(method)) return true;
    }
  }
  return false;
}

function bindFinding(model: JsModel, callback: Node, messageId: string, data: Record<string, string>): JsFindingData {
  const plan = planImport(model, ASYNC_LOCAL_STORAGE, callback);
  const base = { node: callback, range: callback.range, messageId, data, suggestionMessageId: "suggestBind" };
  const parent = callback.parent;
  if (parent && (parent.type === "MethodDefinition" || (parent.type === "Property" && (parent.method || parent.kind !== "init")))) {
    const wrapped = isFunctionNode(callback) && parent.type === "Property" ? methodAsBoundProperty(model, parent, callback, plan.expression) : undefined;
    if (!wrapped) return { ...base, fixKind: "none", edits: [] };
    return { ...base, fixKind: identityMatters(model, callback) ? "suggestion" : "fix", edits: [...plan.edits, ...wrapped] };
  }
  if (identityMatters(model, callback)) {
    // A function held in a `const` declared where it is registered (`const onReady = (evt) => { bus.off(e, onReady);
    // ... }; bus.on(e, onReady)`): binding it where it is made keeps one identity for every use, so removing or
    // comparing it still works.
    const init = boundWhereDeclared(model, callback);
    if (init) return { ...base, fixKind: "fix", edits: [...plan.edits, ...wrapEdits(init, `${plan.expression}.bind(`, ")")] };
    return { ...base, fixKind: "suggestion", edits: [...plan.edits, ...wrapEdits(callback, `${plan.expression}.bind(`, ")")] };
  }
  const edits = [...plan.edits, ...wrapEdits(callback, `${plan.expression}.bind(`, ")")];
  return { ...base, fixKind: "fix", edits };
}

/**
 * For a callback named by a `const` that holds a function written in its declaration, declared in the same running
 * frame as the registration (the same call, so the same async context): that function expression.
 */
function boundWhereDeclared(model: JsModel, callback: Node): Node | undefined {
  const node = unwrapExpression(callback);
  if (node.type !== "Identifier") return undefined;
  const variable = model.variableOf(node);
  const declarator = variable?.defs.length === 1 ? (variable.defs[0].node as Node) : undefined;
  if (!variable || !declarator || declarator.type !== "VariableDeclarator" || declarator.parent?.type !== "VariableDeclaration" || declarator.parent.kind !== "const") return undefined;
  const init = declarator.init ? unwrapExpression(declarator.init) : undefined;
  if (!init || !isFunctionNode(init)) return undefined;
  const frame = runningFrame(declarator);
  return frame && frame === runningFrame(node) ? init : undefined;
}

/**
 * A method written in shorthand in an object literal (`{ notify(keys) { ... } }`) becomes a property holding the
 * bound function (`notify: AsyncLocalStorage.bind(function (keys) { ... })`): a bound function keeps the `this` it
 * is called with, so `this.key` inside still means the object. Not for getters and setters, nor for a method that
 * uses `super` (a function expression cannot).
 */
function methodAsBoundProperty(model: JsModel, property: TSESTree.Property, fn: FunctionNode, bind: string): { range: [number, number]; text: string }[] | undefined {
  if (property.kind !== "init" || !property.method || fn.type !== "FunctionExpression") return undefined;
  if (/\bsuper\b/.test(model.text.slice(fn.range[0], fn.range[1]))) return undefined;
  const key = model.text.slice(property.key.range[0], property.key.range[1]);
  const head = `${property.computed ? `[${key}]` : key}: ${bind}.bind(${fn.async ? "async " : ""}function${fn.generator ? "*" : ""} `;
  return [
    { range: [property.range[0], fn.range[0]], text: head },
    { range: [fn.range[1], fn.range[1]], text: ")" },
  ];
}
