/**
 * bind-detached-callback: inside a traced scope, a callback that does traced work is handed to something whose
 * async context was captured outside the scope (an emitter, stream, EventTarget, port, userland thenable, or an
 * array/set/map that outlives the scope). When it fires, AsyncLocalStorage holds whatever context the emitter's
 * caller had: no run (SPLIT root) or another trace's run (SPLIT other). Ground truth §2.
 * Things created and fired inside the scope, timers scheduled inside it and Node core callbacks nest: not flagged.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { ASYNC_LOCAL_STORAGE, planImport } from "../imports.js";
import { calleeMethodName, memberName, unwrapExpression, type JsModel, type Node, type TracedScope } from "../model.js";
import { wrapEdits } from "./edits.js";
import { AUTOFIX_OPTION, type CommonOptions, type JsDetector, type JsFindingData } from "./types.js";

const LISTENER_METHODS = new Set(["on", "once", "addListener", "prependListener", "prependOnceListener", "addEventListener"]);
/** Methods that store a callback for later: argument positions that hold it. */
const STORING_METHODS: Record<string, "all" | number> = {
  push: "all",
  unshift: "all",
  add: 0,
  set: 1,
  enqueue: 0,
  schedule: 0,
};
/** Methods whose use of a callback variable means its identity matters (wrapping it would break them). */
const IDENTITY_METHODS = new Set(["off", "removeListener", "removeEventListener", "delete", "indexOf", "lastIndexOf", "includes", "remove", "has"]);

export const bindDetachedCallback: JsDetector<CommonOptions> = {
  meta: {
    name: "bind-detached-callback",
    description: "Bind callbacks that do traced work when they are handed to emitters, streams, ports or queues created outside the traced scope.",
    recommended: true,
    messages: {
      listener:
        "This `{{method}}` listener does traced work, but it runs in the async context of whoever emits later, not of this {{scope}}, so its runs start a new trace or land in another one. `AsyncLocalStorage.bind` pins it to the current run.",
      handler:
        "This `{{method}}` handler does traced work, but it runs in the async context of whoever dispatches the event later, not of this {{scope}}, so its runs start a new trace or land in another one. `AsyncLocalStorage.bind` pins it to the current run.",
      thenable:
        "This callback on a non-native thenable does traced work, but it runs in the async context of whatever settles the thenable, not of this {{scope}}, so its runs start a new trace or land in another one. `AsyncLocalStorage.bind` pins it to the current run.",
      stored:
        "This callback does traced work and is stored in `{{receiver}}`, which outlives this {{scope}}: whoever calls it later runs it in their own async context, so its runs start a new trace or land in another one. `AsyncLocalStorage.bind` pins it to the current run.",
      suggestBind:
        "Wrap the callback in `AsyncLocalStorage.bind(...)` (this changes its identity: update code that removes or compares it).",
    },
  },
  optionProperties: { autofix: AUTOFIX_OPTION },
  defaultOptions: { autofix: true },
  detect(model) {
    if (!model.runtime.als) return []; // without AsyncLocalStorage every implicit hop splits; binding cannot help
    const findings: JsFindingData[] = [];
    if (model.tracedScopes().length === 0) return findings;
    for (const call of model.calls) {
      if (call.type !== "CallExpression") continue;
      const method = calleeMethodName(call);
      if (!method) continue;
      let messageId: "listener" | "handler" | "thenable" | "stored";
      let callbacks: TSESTree.Node[];
      if (LISTENER_METHODS.has(method)) {
        messageId = method === "addEventListener" ? "handler" : "listener";
        callbacks = call.arguments.slice(1, 2);
      } else if (method === "then") {
        messageId = "thenable";
        callbacks = call.arguments.slice(0, 2);
      } else if (method in STORING_METHODS) {
        messageId = "stored";
        const position = STORING_METHODS[method];
        callbacks = position === "all" ? [...call.arguments] : call.arguments.slice(position, position + 1);
      } else continue;
      if (callbacks.length === 0) continue;
      const scope = model.enclosingTracedScope(call);
      if (!scope) continue;
      const receiver = (unwrapExpression(call.callee) as TSESTree.MemberExpression).object;
      if (!isDetachedReceiver(model, receiver, scope, messageId, call)) continue;
      for (const callback of callbacks) {
        if (callback.type === "SpreadElement") continue;
        if (!model.callbackDoesTracedWork(callback)) continue;
        // A traceable stored in a registry makes its own run under whoever calls it later, as intended:
        // binding it would pin it to the trace that registered it.
        if (messageId === "stored" && isTraceableValue(model, callback)) continue;
        findings.push(bindFinding(model, callback, messageId, { method, scope: scope.label, receiver: receiverText(model, receiver) }));
      }
    }
    for (const assignment of model.handlerAssignments) {
      const scope = model.enclosingTracedScope(assignment);
      if (!scope) continue;
      const target = assignment.left as TSESTree.MemberExpression;
      if (model.isCreatedInside(target.object, scope.fn)) continue;
      if (!model.callbackDoesTracedWork(assignment.right)) continue;
      const method = memberName(target) ?? "on...";
      findings.push(bindFinding(model, assignment.right, "handler", { method, scope: scope.label, receiver: receiverText(model, target.object) }));
    }
    return findings;
  },
};

function receiverText(model: JsModel, receiver: Node): string {
  const text = model.text.slice(receiver.range[0], receiver.range[1]).replace(/\s+/g, " ");
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Whether a receiver's async context was captured outside the traced scope, for this kind of hand-off. */
function isDetachedReceiver(model: JsModel, receiver: Node, scope: TracedScope, kind: string, registration: Node): boolean {
  if (model.isCreatedInside(receiver, scope.fn)) return false;
  const valueKind = model.valueKind(receiver);
  // Queues and limiters belong to bind-queued-task; runnables' methods are not callbacks stores.
  if (valueKind === "p-queue" || valueKind === "p-limit" || valueKind === "async-queue" || valueKind === "runnable") return false;
  if (kind === "thenable") return isUserlandThenable(model, receiver);
  if (kind === "listener" || kind === "handler") return !emitsInside(model, receiver, scope, registration);
  if (kind === "stored") {
    // Only collections that outlive the scope: a binding from an outer scope, or a member of `this`.
    if (model.rootVariable(receiver)) return true;
    const unwrapped = unwrapExpression(receiver);
    return unwrapped.type === "MemberExpression" && unwrapExpression(unwrapped.object).type === "ThisExpression";
  }
  return true;
}

function isTraceableValue(model: JsModel, node: Node): boolean {
  const n = unwrapExpression(node);
  if (n.type === "CallExpression" && model.isTraceableFactory(n.callee)) return true;
  const kind = model.valueKind(n);
  return kind === "traceable-fn" || kind === "task-fn";
}

/**
 * Whether the same invocation of the scope fires the emitter after registering (listener and emit both inside the
 * parent: NESTED). The emit must come after the registration and not on a branch exclusive with it: in request
 * coalescing, one call registers (`if (inFlight) once(...)`) and another emits (`else emit(...)`), so the
 * listener runs in the emitting trace.
 */
function emitsInside(model: JsModel, receiver: Node, scope: TracedScope, registration: Node): boolean {
  const root = model.rootVariable(receiver);
  const text = model.text.slice(receiver.range[0], receiver.range[1]);
  for (const call of model.callsWithin(scope.fn)) {
    if (call.type !== "CallExpression" || call.range[0] < registration.range[1]) continue;
    const method = calleeMethodName(call);
    // Only synchronous dispatch to this object's own listeners: `postMessage`, `write` or `end` deliver to the
    // other end of a port, worker or socket, whose listeners still run outside the scope.
    if (method !== "emit" && method !== "dispatchEvent") continue;
    const object = (unwrapExpression(call.callee) as TSESTree.MemberExpression).object;
    const same = root ? model.rootVariable(object) === root : model.text.slice(object.range[0], object.range[1]) === text;
    if (same && sameEvent(registration, call) && !onExclusiveBranches(registration, call) && !branchExitsBefore(registration, call)) return true;
  }
  return false;
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
  if (registration.type !== "CallExpression") return true;
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

/** A value whose `then` is userland code: an instance of a local class with a `then` method, or a literal with one. */
function isUserlandThenable(model: JsModel, receiver: Node): boolean {
  const root = unwrapExpression(receiver);
  if (root.type !== "Identifier") return false;
  const variable = model.variableOf(root);
  const init = variable && model.initializerOf(variable);
  if (!init) return false;
  const value = unwrapExpression(init);
  if (value.type === "ObjectExpression") return model.objectProperty(value, "then") !== undefined;
  if (value.type !== "NewExpression" || value.callee.type !== "Identifier") return false;
  const classVariable = model.variableOf(value.callee);
  const def = classVariable?.defs[0];
  if (!def || def.type !== "ClassName") return false;
  const classNode = def.node as TSESTree.ClassDeclaration;
  return classNode.body.body.some(
    (member) => (member.type === "MethodDefinition" || member.type === "PropertyDefinition") && !member.computed && member.key.type === "Identifier" && member.key.name === "then",
  );
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
  const edits = [...plan.edits, ...wrapEdits(callback, `${plan.expression}.bind(`, ")")];
  return {
    node: callback,
    range: callback.range,
    messageId,
    data,
    fixKind: identityMatters(model, callback) ? "suggestion" : "fix",
    edits,
    suggestionMessageId: "suggestBind",
  };
}
