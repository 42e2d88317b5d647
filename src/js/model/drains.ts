/**
 * Store drains: the functions that run the callbacks a store keeps (an array, set or map held in a module-level
 * binding or a field of `this`). When every such function is a method (or a named function) of the store's module
 * that the module only ever calls directly, never from a timer, a listener or a callback it hands away, the stored
 * callbacks run in the async context of whoever calls that method: a traced scope that stores a callback and then
 * drains the store itself runs it inside its own trace (as a listener does on an emitter the scope emits on).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { classMemberKey, isFunctionNode, walkNodes, memberName, rootedAtThis, runningFrame, SYNC_CALLBACK_METHODS, unwrapExpression, type FunctionNode, type Node } from "./ast.js";
import { enclosingClass, type Value } from "./values.js";

/** What this needs of the model: the variable an expression is rooted at. */
export interface DrainModel {
  rootVariable(expr: Node): { defs: readonly { type: string }[]; references: readonly { identifier: unknown }[] } | undefined;
  valuesOf(expr: Node | undefined | null): Value[];
  /** Whether a function is a traced scope (a call made there runs in a trace, on behalf of that trace). */
  tracedScopeOf(fn: FunctionNode): unknown;
}

/** Copies of a store (or the part taken out of it) iterated in its place (`[...store]`, `store.splice(0)`, `Array.from(store)`). */
const COPY_METHODS = new Set(["slice", "splice", "values", "concat"]);

/**
 * The names of the functions that run the callbacks kept in `receiver`, when each is a method of the store's owner
 * (or a function of its module) that the module calls only directly; undefined when some read runs them from
 * anywhere else (a timer's callback, a listener, module code handing the drain away), or when no read of the module
 * runs them (another module does: unknown).
 */
export function storeDrainers(model: DrainModel, receiver: Node): string[] | undefined {
  const reads = storeReads(model, receiver);
  if (!reads) return undefined;
  const names = new Set<string>();
  for (const read of reads) {
    if (!invokesElements(read)) continue;
    const name = drainerName(runningFrame(read));
    if (!name) return undefined;
    names.add(name);
  }
  if (names.size === 0) return undefined;
  // For a field of a class: uses of the names on objects of other classes (`relay.set(...)` for another store) are
  // not this store's.
  const target = unwrapExpression(receiver);
  const cls = target.type === "MemberExpression" ? enclosingClass(target) : undefined;
  // Calls of the elements' own methods in the drains (`obs.next(...)` in a store whose drain is named `next` too).
  const elements = elementNames(reads.filter((read) => invokesElements(read)));
  const otherClass = (use: Node): boolean => {
    if (use.type === "MemberExpression") {
      const object = unwrapExpression(use.object);
      if (object.type === "Identifier" && elements.has(object.name)) return true;
    }
    if (!cls || use.type !== "MemberExpression") return false;
    const object = unwrapExpression(use.object);
    if (object.type === "ThisExpression") return enclosingClass(object) !== cls;
    const values = model.valuesOf(object);
    return values.length > 0 && values.every((v) => v.type === "new" && model.valuesOf(v.node.callee).some((c) => c.type === "class" && c.node !== cls));
  };
  return onlyCalledDirectly(programOf(receiver), names, otherClass, (fn) => !!model.tracedScopeOf(fn)) ? [...names].sort() : undefined;
}

/** The reads of the store: `this.<field>` in the same class, or the references of the module-level binding. */
function storeReads(model: DrainModel, receiver: Node): Node[] | undefined {
  const target = unwrapExpression(receiver);
  if (target.type === "MemberExpression" && rootedAtThis(target) && unwrapExpression(target.object).type === "ThisExpression") {
    const name = memberName(target);
    const cls = enclosingClass(target);
    if (!name || !cls) return undefined;
    const reads: Node[] = [];
    walkNodes(cls.body, (node) => {
      if (node.type === "MemberExpression" && memberName(node) === name && unwrapExpression(node.object).type === "ThisExpression" && enclosingClass(node) === cls) reads.push(node);
    });
    return reads;
  }
  if (target.type !== "Identifier") return undefined;
  const variable = model.rootVariable(target);
  if (!variable || variable.defs[0]?.type === "Parameter") return undefined;
  return variable.references.map((r) => r.identifier as Node);
}

/**
 * Whether a read of the store runs its elements: iterated (`for (const o of store)`, also over a copy) or walked by
 * an array method, with each element called or a method of it called (`o()`, `o.notify(...)`).
 */
function invokesElements(read: Node): boolean {
  let node: Node = read;
  for (;;) {
    const parent = node.parent;
    if (!parent) return false;
    if (parent.type === "SpreadElement" && parent.parent?.type === "ArrayExpression") node = parent.parent;
    else if (parent.type === "MemberExpression" && parent.object === node && COPY_METHODS.has(memberName(parent) ?? "") && parent.parent?.type === "CallExpression") node = parent.parent;
    else if (parent.type === "CallExpression" && parent.arguments[0] === node && calleeText(parent) === "Array.from") node = parent;
    else if (parent.type === "TSAsExpression" || parent.type === "TSNonNullExpression") node = parent;
    else break;
  }
  const parent = node.parent!;
  if (parent.type === "ForOfStatement" && parent.right === node) {
    const left = parent.left;
    const id = left.type === "VariableDeclaration" ? left.declarations[0]?.id : left;
    return !!id && id.type === "Identifier" && callsName(parent.body, id.name);
  }
  if (parent.type === "MemberExpression" && parent.object === node && SYNC_CALLBACK_METHODS.has(memberName(parent) ?? "")) {
    const call = parent.parent;
    const callback = call && call.type === "CallExpression" ? call.arguments[0] : undefined;
    if (!callback || !isFunctionNode(callback)) return false;
    const param = callback.params[0];
    return !!param && param.type === "Identifier" && callsName(callback.body, param.name);
  }
  return false;
}

function calleeText(call: TSESTree.CallExpression): string | undefined {
  const callee = unwrapExpression(call.callee);
  if (callee.type !== "MemberExpression") return undefined;
  const object = unwrapExpression(callee.object);
  return object.type === "Identifier" ? `${object.name}.${memberName(callee)}` : undefined;
}

/** Whether `body` calls `name` or one of its methods (`name(...)`, `name.notify(...)`, `name.next.call(name, x)`). */
function callsName(body: Node, name: string): boolean {
  let found = false;
  walkNodes(body, (node) => {
    if (found || node.type !== "CallExpression") return;
    let callee = unwrapExpression(node.callee);
    while (callee.type === "MemberExpression") callee = unwrapExpression(callee.object);
    if (callee.type === "Identifier" && callee.name === name) found = true;
  });
  return found;
}

/** The names the drains give the store's elements (`obs` in `for (const obs of [...this.observers])`). */
function elementNames(reads: Node[]): Set<string> {
  const names = new Set<string>();
  for (const read of reads) {
    for (let node: Node | undefined = read; node && node.parent; node = node.parent) {
      const parent: Node = node.parent;
      if (parent.type === "ForOfStatement" && parent.right === node) {
        const left = parent.left;
        const id = left.type === "VariableDeclaration" ? left.declarations[0]?.id : left;
        if (id && id.type === "Identifier") names.add(id.name);
        break;
      }
      if (parent.type === "CallExpression" && parent.callee === node) {
        const callback = parent.arguments[0];
        if (callback && isFunctionNode(callback) && callback.params[0]?.type === "Identifier") names.add(callback.params[0].name);
        break;
      }
      if (isFunctionNode(parent) || parent.type === "BlockStatement") break;
    }
  }
  return names;
}

/** The name a drain runs under: a method of a class or object literal, or a named function. */
function drainerName(frame: FunctionNode | undefined): string | undefined {
  if (!frame) return undefined;
  const parent = frame.parent;
  if (parent && parent.type === "MethodDefinition" && parent.kind === "method") return classMemberKey(parent);
  if (parent && parent.type === "Property" && (parent.method || parent.value === frame) && !parent.computed && parent.key.type === "Identifier") return parent.key.name;
  if (frame.type === "FunctionDeclaration" && frame.id) return frame.id.name;
  if (parent && parent.type === "VariableDeclarator" && parent.id.type === "Identifier" && parent.init === frame) return parent.id.name;
  return undefined;
}

/**
 * Whether every use of the `names` in the module calls them directly, from module code, a constructor, a traced scope
 * or a function that is itself only called directly (followed to the functions that call those), never from a function handed away
 * (`setInterval(() => this.flush())`) and never as a value (`emitter.on("x", this.flush)`).
 */
function onlyCalledDirectly(program: Node, names: Iterable<string>, ignored: (use: Node) => boolean, isScope: (fn: FunctionNode) => boolean): boolean {
  const uses = new Map<string, Node[]>();
  walkNodes(program, (node) => {
    const name = node.type === "MemberExpression" ? memberName(node) : node.type === "Identifier" && isReference(node) ? node.name : undefined;
    if (name === undefined) return;
    const list = uses.get(name);
    if (list) list.push(node);
    else uses.set(name, [node]);
  });
  const checked = new Set<string>();
  const pending = [...names];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (checked.has(name)) continue;
    checked.add(name);
    for (const found of uses.get(name) ?? []) {
      if (ignored(found)) continue;
      let use: Node = found;
      let parent = use.parent;
      // `x.drain.call(thisArg, ...)` / `.apply(...)` calls it too.
      if (parent && parent.type === "MemberExpression" && parent.object === use && ["call", "apply"].includes(memberName(parent) ?? "")) {
        use = parent;
        parent = parent.parent;
      }
      if (!parent || parent.type !== "CallExpression" || parent.callee !== use) return false;
      const frame = runningFrame(parent);
      if (!frame || isScope(frame) || (frame.parent?.type === "MethodDefinition" && frame.parent.kind === "constructor")) continue;
      const caller = drainerName(frame);
      if (!caller) return false;
      pending.push(caller);
    }
  }
  return true;
}

/** An identifier used as a value (not a declaration's name, a property key or a member's property). */
function isReference(id: TSESTree.Identifier): boolean {
  const parent = id.parent;
  if (!parent) return false;
  // A name in a type (`{ next(v: unknown): void }`), not a value.
  if (parent.type.startsWith("TS") && !["TSAsExpression", "TSNonNullExpression", "TSSatisfiesExpression", "TSTypeAssertion"].includes(parent.type)) return false;
  if (parent.type === "MemberExpression" && parent.property === id && !parent.computed) return false;
  if ((parent.type === "Property" || parent.type === "MethodDefinition" || parent.type === "PropertyDefinition") && parent.key === id && !parent.computed) return parent.type === "Property" && parent.shorthand;
  if ((parent.type === "FunctionDeclaration" || parent.type === "FunctionExpression" || parent.type === "ClassDeclaration") && parent.id === id) return false;
  if (parent.type === "VariableDeclarator" && parent.id === id) return false;
  return true;
}

function programOf(node: Node): Node {
  let current = node;
  while (current.parent) current = current.parent;
  return current;
}
