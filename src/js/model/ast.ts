/**
 * Syntax helpers and the one walk over a file's AST that every model part builds on. Nothing here knows about
 * tracing: it answers "what kind of node is this" and "which nodes does the file have".
 */
import type { TSESTree } from "@typescript-eslint/utils";

export type Node = TSESTree.Node;
export type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | TSESTree.FunctionDeclaration;
export type CallLike = TSESTree.CallExpression | TSESTree.NewExpression;
export type VisitorKeys = Readonly<Record<string, readonly string[] | undefined>>;

const FUNCTION_TYPES = new Set(["ArrowFunctionExpression", "FunctionExpression", "FunctionDeclaration"]);

export function isFunctionNode(node: Node | null | undefined): node is FunctionNode {
  return !!node && FUNCTION_TYPES.has(node.type);
}

/** Strip TypeScript-only wrappers and optional chains around an expression. */
export function unwrapExpression(node: Node): Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case "TSAsExpression":
      case "TSNonNullExpression":
      case "TSSatisfiesExpression":
      case "TSTypeAssertion":
      case "TSInstantiationExpression":
      case "ChainExpression":
        current = current.expression;
        continue;
      default:
        return current;
    }
  }
}

/** The static name of a member expression's property (`a.b`, `a["b"]`), if any. */
export function memberName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === "Identifier") return node.property.name;
  // A private member (`this.#classify`): its own key, which no public name can collide with.
  if (node.property.type === "PrivateIdentifier") return `#${node.property.name}`;
  if (node.computed && node.property.type === "Literal" && typeof node.property.value === "string") return node.property.value;
  return undefined;
}

/** The method name of a call like `x.name(...)`. */
export function calleeMethodName(call: CallLike): string | undefined {
  const callee = unwrapExpression(call.callee);
  return callee.type === "MemberExpression" ? memberName(callee) : undefined;
}

export function stringLiteralValue(node: Node | undefined | null): string | undefined {
  if (!node) return undefined;
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  if (node.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** The static key of an object-literal property or pattern property. */
export function propertyKey(property: TSESTree.Property): string | undefined {
  if (!property.computed && property.key.type === "Identifier") return property.key.name;
  return stringLiteralValue(property.key);
}

/**
 * Where a parameter of `fn` binds `target` (the declaring identifier, or a name): the parameter's index, and for a name
 * an object pattern takes (`function hold({ offerId, signal })`), the property's key and the default it is given.
 */
export function parameterPlace(fn: FunctionNode, target: Node | string): { index: number; key?: string; fallback?: Node } | undefined {
  const matches = (node: Node) => (typeof target === "string" ? node.type === "Identifier" && node.name === target : node === target);
  for (const [index, p] of fn.params.entries()) {
    // A parameter property (`constructor(private size = 4)`) binds the name its parameter does.
    const declared = p.type === "TSParameterProperty" ? p.parameter : p;
    const param: Node = declared.type === "AssignmentPattern" ? declared.left : declared;
    if (matches(param)) return { index };
    if (param.type !== "ObjectPattern") continue;
    for (const property of param.properties) {
      if (property.type !== "Property" || property.computed) continue;
      const withDefault = property.value.type === "AssignmentPattern" ? property.value : undefined;
      if (!matches(unwrapExpression((withDefault ? withDefault.left : property.value) as Node))) continue;
      const key = propertyKey(property);
      return key === undefined ? undefined : { index, key, ...(withDefault ? { fallback: withDefault.right } : {}) };
    }
  }
  return undefined;
}

/** The key of a class member (method, field, accessor): its name, `#name` for a private one, or a string key. */
export function classMemberKey(member: TSESTree.MethodDefinition | TSESTree.PropertyDefinition): string | undefined {
  if (member.key.type === "PrivateIdentifier") return `#${member.key.name}`;
  return !member.computed && member.key.type === "Identifier" ? member.key.name : stringLiteralValue(member.key);
}

/** The identifier at the root of `a.b.c` / `a` (not through calls). */
export function rootIdentifier(expr: Node): Node | undefined {
  let node = unwrapExpression(expr);
  while (node.type === "MemberExpression") node = unwrapExpression(node.object);
  return node.type === "Identifier" ? node : undefined;
}

/** A store reached from `this`, also through calls: `this.list`, `this.table.get(name)`. */
export function rootedAtThis(receiver: Node): boolean {
  let node = unwrapExpression(receiver);
  if (node.type !== "MemberExpression" && node.type !== "CallExpression") return false;
  while (node.type === "MemberExpression" || node.type === "CallExpression") node = unwrapExpression(node.type === "MemberExpression" ? node.object : node.callee);
  return node.type === "ThisExpression";
}

/** The value of property `name` in an object literal. */
export function objectProperty(object: TSESTree.ObjectExpression, name: string): Node | undefined {
  for (const property of object.properties) {
    if (property.type === "Property" && propertyKey(property) === name) return property.value;
  }
  return undefined;
}

/** Whether `inner` lies within `outer` (inclusive). */
export function contains(outer: Node, inner: Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

/** The innermost function around `node` (not `node` itself). */
export function enclosingFunction(node: Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current)) return current;
  return undefined;
}

/** The node lists the model needs, collected in one walk (which also sets missing parent pointers). */
export interface FileNodes {
  /** Every call and `new` expression, in source order. */
  calls: CallLike[];
  /** Every function, in source order. */
  functions: FunctionNode[];
  /** `x.onmessage = fn` style handler assignments. */
  handlerAssignments: TSESTree.AssignmentExpression[];
  /** Every assignment expression, in source order. */
  assignments: TSESTree.AssignmentExpression[];
  /** Every return statement and expression-bodied arrow's body, by function. */
  returns: Map<FunctionNode, Node[]>;
  /** Every class (declaration or expression). */
  classes: (TSESTree.ClassDeclaration | TSESTree.ClassExpression)[];
  importDeclarations: TSESTree.ImportDeclaration[];
  /** `require("...")` calls anywhere in the file. */
  requireCalls: TSESTree.CallExpression[];
  importExpressions: TSESTree.ImportExpression[];
}

export function collectNodes(ast: TSESTree.Program, keys: VisitorKeys): FileNodes {
  const out: FileNodes = {
    calls: [],
    functions: [],
    handlerAssignments: [],
    assignments: [],
    returns: new Map(),
    classes: [],
    importDeclarations: [],
    requireCalls: [],
    importExpressions: [],
  };
  const stack: Node[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.type) {
      case "CallExpression": {
        out.calls.push(node);
        const callee = node.callee;
        if (callee.type === "Identifier" && callee.name === "require" && node.arguments.length === 1) out.requireCalls.push(node);
        break;
      }
      case "NewExpression":
        out.calls.push(node);
        break;
      case "ArrowFunctionExpression":
        out.functions.push(node);
        if (node.body.type !== "BlockStatement") out.returns.set(node, [node.body]);
        break;
      case "FunctionExpression":
      case "FunctionDeclaration":
        out.functions.push(node);
        break;
      case "ReturnStatement":
        if (node.argument) {
          const fn = enclosingFunctionOfReturn(node);
          if (fn) {
            const list = out.returns.get(fn);
            if (list) list.push(node.argument);
            else out.returns.set(fn, [node.argument]);
          }
        }
        break;
      case "ClassDeclaration":
      case "ClassExpression":
        out.classes.push(node);
        break;
      case "ImportDeclaration":
        out.importDeclarations.push(node);
        break;
      case "ImportExpression":
        out.importExpressions.push(node);
        break;
      case "AssignmentExpression":
        out.assignments.push(node);
        if (node.left.type === "MemberExpression") {
          const name = memberName(node.left);
          if (name && /^on[a-z]+$/.test(name)) out.handlerAssignments.push(node);
        }
        break;
      default:
        break;
    }
    const childKeys = keys[node.type];
    if (!childKeys) continue;
    for (let k = childKeys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[childKeys[k]];
      if (!child) continue;
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const item = child[i] as Node | null;
          if (item && typeof item.type === "string") {
            if (!item.parent) (item as { parent?: Node }).parent = node;
            stack.push(item);
          }
        }
      } else if (typeof (child as Node).type === "string") {
        const item = child as Node;
        if (!item.parent) (item as { parent?: Node }).parent = node;
        stack.push(item);
      }
    }
  }
  // Children are pushed in reverse so they pop in source order, but siblings of different parents interleave
  // depth-first: sort the lists that callers search by position.
  out.calls.sort((a, b) => a.range[0] - b.range[0]);
  out.functions.sort((a, b) => a.range[0] - b.range[0]);
  out.assignments.sort((a, b) => a.range[0] - b.range[0]);
  return out;
}

/** Parent pointers are set top-down, so a return statement's ancestors are known when it is visited. */
function enclosingFunctionOfReturn(node: Node): FunctionNode | undefined {
  return enclosingFunction(node);
}

/** Nodes of a sorted list whose range lies inside `node`, by binary search. */
export function nodesWithin<T extends Node>(sorted: readonly T[], node: Node): T[] {
  const [start, end] = node.range;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].range[0] < start) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo; i < sorted.length && sorted[i].range[0] < end; i++) if (sorted[i].range[1] <= end) out.push(sorted[i]);
  return out;
}

/**
 * Whether `call` runs during the call of `helper`, as part of its body: written there, or in a callback that runs
 * before the helper returns (a `new Promise` executor, an IIFE, an array method's callback).
 */
export function runsInBody(call: Node, helper: FunctionNode): boolean {
  for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) {
    if (fn === helper) return true;
    if (!runsWhereMade(fn)) return false;
  }
  return false;
}

/** Global functions that run their callback later, in the async context of the call that scheduled it. */
const CONTEXT_KEEPING_TIMERS = new Set(["setTimeout", "setImmediate", "queueMicrotask"]);

/**
 * Whether `node` runs in the async context of a call of `fn`: in its body, in callbacks that run where they are made,
 * or in a timer's callback scheduled there (`setImmediate(() => this.emit(...))`: Node runs it in the scheduling
 * call's context). `intervals`: `setInterval`'s callback counts too.
 */
export function runsInCallContext(node: Node, fn: FunctionNode, intervals = false): boolean {
  for (let frame = enclosingFunction(node); frame; frame = enclosingFunction(frame)) {
    if (frame === fn) return true;
    if (!runsWhereMade(frame) && !isTimerCallback(frame, intervals)) return false;
  }
  return false;
}

/** A timer's callback (`setInterval`'s too with `intervals`: it runs in the scheduling call's context each time). */
function isTimerCallback(fn: FunctionNode, intervals = false): boolean {
  const parent = fn.parent;
  if (!parent || parent.type !== "CallExpression" || parent.arguments[0] !== fn) return false;
  const callee = unwrapExpression(parent.callee);
  if (callee.type === "Identifier") return CONTEXT_KEEPING_TIMERS.has(callee.name) || (intervals && callee.name === "setInterval");
  return callee.type === "MemberExpression" && unwrapExpression(callee.object).type === "Identifier" && (unwrapExpression(callee.object) as TSESTree.Identifier).name === "process" && memberName(callee) === "nextTick";
}

/** The function whose call `node` runs during: its enclosing function, past callbacks that run where they are made. */
export function runningFrame(node: Node): FunctionNode | undefined {
  let fn = enclosingFunction(node);
  while (fn && runsWhereMade(fn)) {
    const outer = enclosingFunction(fn);
    if (!outer) break;
    fn = outer;
  }
  return fn;
}

/** Like {@link runningFrame}, but a callback that runs where it is made at the top level runs in the script itself. */
export function scriptOrRunningFrame(node: Node): FunctionNode | undefined {
  const fn = runningFrame(node);
  return fn && runsWhereMade(fn) && !enclosingFunction(fn) ? undefined : fn;
}

/**
 * Whether `node` runs once per element of a collection during one call of its running frame, without waiting for the
 * previous element: in an array method's callback (`items.map((x) => …)`) or in a loop whose body does not await it.
 * `count` is the number of elements when the collection is an array literal (`["a", "b"].map(…)`, `for (const x of
 * [a, b])`). Undefined when it runs once per call, or one element after another (`for (…) await …`).
 */
export function repeatedPerElement(node: Node): { count?: number; collection?: Node } | undefined {
  const frame = scriptOrRunningFrame(node);
  let awaited = false;
  for (let child: Node = node, parent = node.parent; parent && child !== frame; child = parent, parent = parent.parent) {
    if (parent.type === "AwaitExpression" || (parent.type === "ForOfStatement" && parent.await)) awaited = true;
    const literalCount = (collection: Node | undefined) => (collection && unwrapExpression(collection).type === "ArrayExpression" ? (unwrapExpression(collection) as TSESTree.ArrayExpression).elements.length : undefined);
    if ((parent.type === "ForOfStatement" || parent.type === "ForInStatement") && child === parent.body) {
      if (!awaited) return parent.type === "ForOfStatement" ? { count: literalCount(parent.right), collection: parent.right } : {};
    } else if ((parent.type === "ForStatement" || parent.type === "WhileStatement" || parent.type === "DoWhileStatement") && child === parent.body) {
      if (!awaited) return {};
    } else if (isFunctionNode(child) && runsWhereMade(child) && parent.type === "CallExpression" && SYNC_CALLBACK_METHODS.has(calleeMethodName(parent) ?? "")) {
      const callee = unwrapExpression(parent.callee);
      return callee.type === "MemberExpression" ? { count: literalCount(callee.object), collection: callee.object } : {};
    } else if (isFunctionNode(child)) {
      awaited = false; // an IIFE or executor: its own awaits do not order the outer loop
    }
  }
  return undefined;
}

/** A callback that runs before the call it is handed to returns: a `new Promise` executor, an IIFE, an array method's. */
function runsWhereMade(fn: FunctionNode): boolean {
  const parent = fn.parent;
  if (!parent) return false;
  if (parent.type === "NewExpression" && parent.arguments[0] === fn && unwrapExpression(parent.callee).type === "Identifier" && (unwrapExpression(parent.callee) as TSESTree.Identifier).name === "Promise") return true;
  if (parent.type === "CallExpression" && parent.callee === fn) return true;
  return parent.type === "CallExpression" && parent.arguments[0] === fn && SYNC_CALLBACK_METHODS.has(calleeMethodName(parent) ?? "");
}
/** Array methods whose callback runs before they return: never a hand-off for later. */
export const SYNC_CALLBACK_METHODS: ReadonlySet<string> = new Set(["map", "forEach", "filter", "flatMap", "some", "every", "find", "findIndex", "reduce", "sort"]);

/** Every node under `root` (parent pointers are set by the model's walk). */
export function walkNodes(root: Node, visit: (node: Node) => void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    for (const key of Object.keys(node)) {
      if (key === "parent" || key === "range" || key === "loc") continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item === "object" && typeof (item as Node).type === "string") stack.push(item as Node);
      } else if (value && typeof value === "object" && typeof (value as Node).type === "string") stack.push(value as Node);
    }
  }
}

/** Whether `node` awaits or yields in `fn`'s own body (not in a function it holds) between the offsets `from` and `until`. */
export function awaitsWithin(node: Node, until: number, fn: FunctionNode, from = -Infinity): boolean {
  let found = false;
  walkNodes(node, (n) => {
    if (!found && n.range[0] >= from && n.range[0] < until && (n.type === "AwaitExpression" || n.type === "YieldExpression" || (n.type === "ForOfStatement" && n.await)) && enclosingFunction(n) === fn) found = true;
  });
  return found;
}

/** The number an expression spells: a numeric literal, or a `const` (found by `variableOf`) initialised with one. */
export function constNumber(expr: Node, variableOf: (id: TSESTree.Identifier) => { defs: readonly { type: string; node?: unknown }[] } | undefined | null): number | undefined {
  let node = unwrapExpression(expr);
  if (node.type === "Identifier") {
    const def = variableOf(node)?.defs[0];
    const declarator = def?.type === "Variable" ? (def.node as Node) : undefined;
    if (declarator?.type !== "VariableDeclarator" || declarator.parent?.type !== "VariableDeclaration" || declarator.parent.kind !== "const" || !declarator.init) return undefined;
    node = unwrapExpression(declarator.init);
  }
  return node.type === "Literal" && typeof node.value === "number" ? node.value : undefined;
}
