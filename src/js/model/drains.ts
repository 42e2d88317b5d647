/**
 * Store drains: the functions that run the callbacks a store keeps (an array, set or map held in a module-level
 * binding or a field of `this`). When every such function is a method (or a named function) of the store's module
 * that the module only ever calls directly, never from a timer, a listener or a callback it hands away, the stored
 * callbacks run in the async context of whoever calls that method: a traced scope that stores a callback and then
 * drains the store itself runs it inside its own trace (as a listener does on an emitter the scope emits on).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { classMemberKey, contains, enclosingFunction, isFunctionNode, walkNodes, memberName, rootedAtThis, runningFrame, runsInCallContext, SYNC_CALLBACK_METHODS, unwrapExpression, type FunctionNode, type Node } from "./ast.js";
import { enclosingClass, type Value } from "./values.js";
import type { MinimalVariable } from "../scope.js";

/** What this needs of the model: the variable an expression is rooted at. */
export interface DrainModel {
  rootVariable(expr: Node): { defs: readonly { type: string }[]; references: readonly { identifier: unknown }[] } | undefined;
  valuesOf(expr: Node | undefined | null): Value[];
  /** Whether a function is a traced scope (a call made there runs in a trace, on behalf of that trace). */
  tracedScopeOf(fn: FunctionNode): unknown;
}

/** What {@link storeNeverRunsValues} needs besides: the file's text, tree, calls and returns. */
export interface StoreModel extends DrainModel {
  readonly text: string;
  readonly ast: TSESTree.Program;
  readonly calls: readonly Node[];
  readonly nodes: { readonly returns: ReadonlyMap<FunctionNode, Node[]> };
}

/** Methods that take one element out of a store (`store.shift()`). */
const TAKE_ONE_METHODS = new Set(["shift", "pop"]);

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
  const names = reads ? elementRunners(reads) : undefined;
  if (!reads || !names) return undefined;
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
  const runners = onlyCalledDirectly(programOf(receiver), names, otherClass, (fn) => !!model.tracedScopeOf(fn));
  return runners ? [...runners].sort() : undefined;
}

/**
 * The methods (or functions) of the store's module that run the callbacks it keeps, whoever else also calls them (a
 * timer the constructor arms: `setInterval(() => this.flush())`). A caller that stores a callback and calls one of
 * them at once, with nothing awaited between, runs its own callback (see the detector's `flushesAtOnce`).
 */
export function storeFlushers(model: DrainModel, receiver: Node): string[] | undefined {
  const reads = storeReads(model, receiver);
  const names = reads ? elementRunners(reads) : undefined;
  return names ? [...names].sort() : undefined;
}

/** The names of the functions in which `reads` run the store's elements; undefined when one runs them elsewhere (an unnamed callback) or none does. */
function elementRunners(reads: Node[]): Set<string> | undefined {
  const names = new Set<string>();
  for (const read of reads) {
    if (!invokesElements(read)) continue;
    const name = drainerName(runningFrame(read));
    if (!name) return undefined;
    names.add(name);
  }
  return names.size > 0 ? names : undefined;
}

const LISTENING_METHODS = new Set(["on", "once", "addListener", "prependListener", "prependOnceListener"]);

/**
 * For a module-level store whose only drains are listeners the module adds at load to emitters it exports
 * (`gridBus.on("curtailment", (msg) => { for (const h of handlers.get(msg.turbineId) ?? []) h(msg); })`): each such
 * emitter's export name and the event (when a literal). Whoever emits there runs the stored callbacks, in the
 * emitting call's context; undefined when some other read runs them, or none does.
 */
export function storeDrainEvents(model: DrainModel, receiver: Node, exportNameOf: (variable: unknown) => string | undefined): { emitter: string; event?: string }[] | undefined {
  if (unwrapExpression(receiver).type !== "Identifier") return undefined;
  const reads = storeReads(model, receiver);
  if (!reads) return undefined;
  const out: { emitter: string; event?: string }[] = [];
  for (const read of reads) {
    if (!invokesElements(read)) continue;
    const listener = runningFrame(read);
    const registration = listener?.parent;
    if (!listener || !registration || registration.type !== "CallExpression" || registration.arguments[1] !== listener || enclosingFunction(registration)) return undefined;
    const callee = unwrapExpression(registration.callee);
    if (callee.type !== "MemberExpression" || !LISTENING_METHODS.has(memberName(callee) ?? "") || unwrapExpression(callee.object).type !== "Identifier") return undefined;
    const emitter = model.rootVariable(callee.object);
    const name = emitter ? exportNameOf(emitter) : undefined;
    if (!name) return undefined;
    const event = registration.arguments[0];
    out.push({ emitter: name, event: event && event.type === "Literal" && typeof event.value === "string" ? event.value : undefined });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The names of the module's functions that start the only drain of a module-level store: a timer (`setInterval`,
 * `setTimeout`) they arm whose callback runs the stored callbacks (`startPoller()` arming `setInterval(() => {
 * watchers.shift()?.onStatus(...) })`). The drain runs in the context of the call that started it; undefined when
 * some other read runs the stored callbacks, or none does.
 */
export function storeDrainStarters(model: DrainModel, receiver: Node): string[] | undefined {
  const target = unwrapExpression(receiver);
  const field = target.type === "MemberExpression" && unwrapExpression(target.object).type === "ThisExpression" ? enclosingClass(target) : undefined;
  if (target.type !== "Identifier" && !field) return undefined;
  const reads = storeReads(model, receiver);
  if (!reads) return undefined;
  const names = new Set<string>();
  for (const read of reads) {
    if (!invokesElements(read)) continue;
    let callback = runningFrame(read);
    // A field's drain in a method of its class that only a timer of the class calls (`setInterval(() => this.tick())`).
    if (field && callback && callback.parent?.type === "MethodDefinition") {
      const method = classMemberKey(callback.parent);
      const callers: Node[] = [];
      walkNodes(field.body, (node) => {
        if (node.type === "CallExpression" && unwrapExpression(node.callee).type === "MemberExpression" && memberName(unwrapExpression(node.callee) as TSESTree.MemberExpression) === method) callers.push(node);
      });
      if (callers.length !== 1) return undefined;
      callback = runningFrame(callers[0]);
    }
    // A named drain handed by name to the timers that run it (`setTimeout(drainRetries, 25)` in `retryLater`): the
    // functions that arm those timers.
    const byName = callback && !field ? timersRunning(model, callback) : undefined;
    if (byName) {
      for (const timer of byName) {
        const name = drainerName(enclosingFunction(timer));
        if (!name) return undefined;
        names.add(name);
      }
      continue;
    }
    const timer = callback?.parent;
    const callee = timer?.type === "CallExpression" && timer.arguments[0] === callback ? unwrapExpression(timer.callee) : undefined;
    if (!callee || callee.type !== "Identifier" || (callee.name !== "setInterval" && callee.name !== "setTimeout")) return undefined;
    const name = drainerName(enclosingFunction(timer!));
    if (!name) return undefined;
    names.add(name);
  }
  return names.size > 0 ? [...names].sort() : undefined;
}

/**
 * The timer calls that run a function declared by name when every use of that name hands it to one
 * (`setTimeout(drainRetries, 25)`); undefined when it has no such use or any other.
 */
function timersRunning(model: DrainModel, fn: FunctionNode): TSESTree.CallExpression[] | undefined {
  const id = fn.type === "FunctionDeclaration" ? fn.id : fn.parent?.type === "VariableDeclarator" && fn.parent.init === fn && fn.parent.id.type === "Identifier" ? fn.parent.id : undefined;
  if (!id) return undefined;
  const variable = model.rootVariable(id);
  if (!variable) return undefined;
  const uses = variable.references.map((r) => r.identifier as Node).filter((use) => use !== id);
  const timers: TSESTree.CallExpression[] = [];
  for (const use of uses) {
    const call = use.parent;
    const callee = call?.type === "CallExpression" && call.arguments[0] === use ? unwrapExpression(call.callee) : undefined;
    if (!callee || callee.type !== "Identifier" || (callee.name !== "setInterval" && callee.name !== "setTimeout")) return undefined;
    timers.push(call as TSESTree.CallExpression);
  }
  return timers.length > 0 ? timers : undefined;
}

/** The reads of the store: `this.<field>` in the same class, or the references of the module-level binding. */
function storeReads(model: DrainModel, receiver: Node): Node[] | undefined {
  const target = unwrapExpression(receiver);
  if (target.type === "MemberExpression" && rootedAtThis(target) && unwrapExpression(target.object).type === "ThisExpression") {
    const name = memberName(target);
    const cls = enclosingClass(target);
    if (!name || !cls) return undefined;
    const readsOf = (field: string): Node[] => {
      const out: Node[] = [];
      walkNodes(cls.body, (node) => {
        if (node.type === "MemberExpression" && memberName(node) === field && unwrapExpression(node.object).type === "ThisExpression" && enclosingClass(node) === cls) out.push(node);
      });
      return out;
    };
    const reads = readsOf(name);
    // A getter that returns the store, or a copy of it (`get pending() { return this.#rows.filter(...) }`): its reads
    // read the store's elements too.
    for (const read of [...reads]) {
      const getter = returnedByGetter(read);
      if (getter && getter !== name) reads.push(...readsOf(getter));
    }
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
function invokesElements(read: Node, depth = 0): boolean {
  let node: Node = read;
  for (;;) {
    const parent = node.parent;
    if (!parent) return false;
    if (parent.type === "SpreadElement" && parent.parent?.type === "ArrayExpression") node = parent.parent;
    else if (parent.type === "MemberExpression" && parent.object === node && COPY_METHODS.has(memberName(parent) ?? "") && parent.parent?.type === "CallExpression") node = parent.parent;
    else if (parent.type === "CallExpression" && parent.arguments[0] === node && calleeText(parent) === "Array.from") node = parent;
    else if (parent.type === "TSAsExpression" || parent.type === "TSNonNullExpression") node = parent;
    // One list of a map of lists (`this.#topics.get(topic) ?? []`).
    else if (parent.type === "MemberExpression" && parent.object === node && memberName(parent) === "get" && parent.parent?.type === "CallExpression" && parent.parent.callee === parent) node = parent.parent;
    else if (parent.type === "LogicalExpression" && parent.left === node && (parent.operator === "??" || parent.operator === "||")) node = parent;
    else break;
  }
  const parent = node.parent!;
  // Taken and run right there: `store.shift()()`, `store.splice(i, 1)[0].task()`, `store[i].run()`, `store.pop()?.()`.
  if (calledWhereRead(node)) return true;
  // A copy kept in a local first (`const due = store.splice(0); due.map((cb) => cb(x))`): the local's reads.
  if (depth < 2 && parent.type === "VariableDeclarator" && parent.init === node && parent.id.type === "Identifier") {
    const frame = runningFrame(parent);
    const name = parent.id.name;
    let runs = false;
    if (frame) walkNodes(frame.body as Node, (n) => {
      if (!runs && n !== parent.id && n.type === "Identifier" && n.name === name && invokesElements(n, depth + 1)) runs = true;
    });
    return runs;
  }
  // `const job = store.shift(); job()`, `const { message, publish } = store.shift(); publish(message)`.
  if (parent.type === "MemberExpression" && parent.object === node && TAKE_ONE_METHODS.has(memberName(parent) ?? "") && parent.parent?.type === "CallExpression" && parent.parent.callee === parent) {
    // (Through `!` or `as`: `const { task, resolve } = this.pending.shift()!`.)
    let taken: Node = parent.parent;
    while (taken.parent && (taken.parent.type === "TSNonNullExpression" || taken.parent.type === "TSAsExpression")) taken = taken.parent;
    const declarator = taken.parent;
    const frame = runningFrame(parent.parent);
    if (!frame || !declarator || declarator.type !== "VariableDeclarator" || declarator.init !== taken) return false;
    const names = declarator.id.type === "Identifier" ? [declarator.id.name] : declarator.id.type === "ObjectPattern" ? declarator.id.properties.flatMap((p) => (p.type === "Property" && p.value.type === "Identifier" ? [p.value.name] : [])) : [];
    return names.some((name) => callsName(frame.body as Node, name));
  }
  if (parent.type === "ForOfStatement" && parent.right === node) {
    const left = parent.left;
    const id = left.type === "VariableDeclaration" ? left.declarations[0]?.id : left;
    if (id && id.type === "Identifier") return callsName(parent.body, id.name) || runsElementsOf(parent.body, id.name);
    // `for (const { tracking, cb } of store.splice(0)) cb(...)`: a record's function called.
    if (id && id.type === "ObjectPattern") return id.properties.some((p) => p.type === "Property" && p.value.type === "Identifier" && callsName(parent.body, p.value.name));
    // A map of lists: `for (const [key, jobs] of pending) for (const job of jobs) await job()`.
    const value = id && id.type === "ArrayPattern" ? id.elements[1] : undefined;
    return !!value && value.type === "Identifier" && (callsName(parent.body, value.name) || runsElementsOf(parent.body, value.name));
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

/**
 * Whether an element of the store read at `node` is called where it is read: taken with `shift` / `pop`, or indexed
 * (`store[i]`, also in a copy: `store.splice(i, 1)[0]`), then called itself or through one property (`.task()`).
 */
function calledWhereRead(node: Node): boolean {
  let current: Node = node;
  const up = () => {
    let parent = current.parent;
    while (parent && (parent.type === "ChainExpression" || parent.type === "TSNonNullExpression")) {
      current = parent;
      parent = current.parent;
    }
    return parent;
  };
  let parent = up();
  if (parent?.type === "MemberExpression" && parent.object === current && TAKE_ONE_METHODS.has(memberName(parent) ?? "") && parent.parent?.type === "CallExpression" && parent.parent.callee === parent) {
    current = parent.parent;
    parent = up();
  } else if (parent?.type === "MemberExpression" && parent.object === current && parent.computed) {
    current = parent;
    parent = up();
  } else return false;
  if (parent?.type === "CallExpression" && parent.callee === current) return true;
  // One property of the element, called: `.task()`, `.run()`.
  if (parent?.type === "MemberExpression" && parent.object === current && !parent.computed) {
    current = parent;
    parent = up();
    return parent?.type === "CallExpression" && parent.callee === current;
  }
  return false;
}

/** Whether `body` iterates the list `name` and calls each element (`for (const job of jobs) job()`). */
function runsElementsOf(body: Node, name: string): boolean {
  let found = false;
  walkNodes(body, (node) => {
    if (found || node.type !== "ForOfStatement") return;
    const right = unwrapExpression(node.right);
    const left = node.left.type === "VariableDeclaration" ? node.left.declarations[0]?.id : node.left;
    if (right.type === "Identifier" && right.name === name && left?.type === "Identifier" && callsName(node.body, left.name)) found = true;
  });
  return found;
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
 * (`setInterval(() => this.flush())`) and never as a value (`emitter.on("x", this.flush)`), except under another name
 * in the object the module exports (`module.exports = { commit: relay }`). Then every name that runs them (those
 * callers and aliases included); otherwise undefined.
 */
function onlyCalledDirectly(program: Node, names: Iterable<string>, ignored: (use: Node) => boolean, isScope: (fn: FunctionNode) => boolean): Set<string> | undefined {
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
      // Exported under another name (`module.exports = { commit: relay }`): the module's callers call it by that name.
      // (A shorthand `{ runAll }` is walked as its key and its value: both are the export.)
      if (parent && parent.type === "Property" && (parent.value === use || (parent.shorthand && parent.key === use)) && !parent.computed && parent.key.type === "Identifier" && isExportedObject(parent.parent)) {
        pending.push(parent.key.name);
        continue;
      }
      if (!parent || parent.type !== "CallExpression" || parent.callee !== use) return undefined;
      const frame = runningFrame(parent);
      if (!frame || isScope(frame) || (frame.parent?.type === "MethodDefinition" && frame.parent.kind === "constructor")) continue;
      const caller = drainerName(frame);
      if (!caller) return undefined;
      pending.push(caller);
    }
  }
  return checked;
}

/** An object literal a module exports (`module.exports = { ... }`, `export default { ... }`). */
function isExportedObject(node: Node | undefined): boolean {
  if (!node || node.type !== "ObjectExpression") return false;
  const parent = node.parent;
  if (parent?.type === "ExportDefaultDeclaration") return true;
  if (parent?.type !== "AssignmentExpression" || parent.right !== node) return false;
  const left = unwrapExpression(parent.left);
  return left.type === "MemberExpression" && memberName(left) === "exports" && unwrapExpression(left.object).type === "Identifier" && (unwrapExpression(left.object) as TSESTree.Identifier).name === "module";
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

/**
 * Whether a store of this file keeps the callbacks (`values`, what the handoff stores) only as properties of records
 * that the file never reads back (`entries.set(key, { loader, promise })` where nothing reads `.loader`): nothing can
 * call them later. Every stored value must be an object literal; its function-holding keys (a function, a parameter,
 * a value of unknown origin) must never be read as a member or destructured, and the file must not walk records
 * generically (`Object.values(entry)`, `entry[key](...)`).
 */
export function storeNeverRunsValues(model: StoreModel, values: readonly Node[], receiver: Node): boolean {
  if (values.length === 0 || !storeStaysInFile(model, receiver)) return false;
  const keys = new Set<string>();
  for (const value of values) {
    const object = value.type === "SpreadElement" ? value : unwrapExpression(value);
    if (object.type !== "ObjectExpression") return false;
    for (const property of object.properties) {
      if (property.type !== "Property") return false;
      const key = property.computed ? undefined : property.key.type === "Identifier" ? property.key.name : undefined;
      const written = unwrapExpression(property.value);
      if (["Literal", "TemplateLiteral", "ArrayExpression", "ObjectExpression", "UnaryExpression", "BinaryExpression", "NewExpression"].includes(written.type)) continue;
      // A promise's own resolver kept beside the work (`{ run, done }` with `done` from `new Promise((done) => ...)`):
      // calling it settles the caller's promise; it runs nothing of the caller's.
      if (written.type === "Identifier" && isPromiseResolver(model, written)) continue;
      const held = model.valuesOf(property.value);
      const mayBeFunction = held.length === 0 || held.some((v) => v.type === "function" || v.type === "unknown" || v.type === "import" || v.type === "api");
      if (!mayBeFunction) continue;
      if (key === undefined) return false;
      keys.add(key);
    }
  }
  if (keys.size === 0) return false;
  if (/\bObject\.(values|entries)\b/.test(model.text)) return false;
  const computedCall = model.calls.some((c) => {
    if (c.type !== "CallExpression") return false;
    const callee = unwrapExpression(c.callee);
    return callee.type === "MemberExpression" && callee.computed && memberName(callee) === undefined;
  });
  return !computedCall && !readsAnyKey(model.ast, keys);
}

/** A parameter of a `new Promise(...)` executor (its `resolve` or `reject`). */
export function isPromiseResolver(model: Pick<DrainModel, "rootVariable">, id: Node): boolean {
  const variable = model.rootVariable(id);
  const def = variable?.defs.length === 1 ? (variable.defs[0] as unknown as { type: string; node: Node }) : undefined;
  if (!def || def.type !== "Parameter" || !isFunctionNode(def.node)) return false;
  const parent = def.node.parent;
  if (!parent || parent.type !== "NewExpression" || parent.arguments[0] !== def.node) return false;
  const callee = unwrapExpression(parent.callee);
  return callee.type === "Identifier" && callee.name === "Promise";
}

/**
 * Whether no other module can reach a store or its records: a private field (`this.#entries`) or a binding of this
 * module it does not export, whose records no function of the file returns (`return this.#entries.get(key)`).
 */
function storeStaysInFile(model: StoreModel, receiver: Node): boolean {
  const target = unwrapExpression(receiver);
  const text = model.text.slice(target.range[0], target.range[1]);
  if (target.type === "MemberExpression") {
    if (unwrapExpression(target.object).type !== "ThisExpression" || target.property.type !== "PrivateIdentifier") return false;
  } else if (target.type === "Identifier") {
    const variable = model.rootVariable(target);
    if (!variable || variable.defs[0]?.type === "Parameter" || isExported(variable)) return false;
  } else return false;
  const fromStore = (node: Node): boolean => {
    let current = unwrapExpression(node);
    while (current.type === "CallExpression" || current.type === "MemberExpression" || current.type === "ChainExpression") {
      if (model.text.slice(current.range[0], current.range[1]) === text) return true;
      current = unwrapExpression(current.type === "CallExpression" ? current.callee : current.type === "MemberExpression" ? current.object : current.expression);
    }
    return model.text.slice(current.range[0], current.range[1]) === text;
  };
  for (const returned of [...model.nodes.returns.values()].flat()) {
    const value = unwrapExpression(returned);
    // The store itself or one of its records (`this.#entries.get(key)`), also through a local holding one.
    if ((value.type === "MemberExpression" || value.type === "CallExpression" || value.type === "Identifier" || value.type === "ChainExpression") && fromStore(value) && !isRecordPart(value, text, model)) return false;
    if (value.type === "Identifier" && model.valuesOf(value).some((v) => v.type === "call" && fromStore(v.node))) return false;
  }
  return true;
}

/**
 * Whether another module can reach a module-level binding: declared in an `export` statement, named by one
 * (`export { store }`, `export default store`), or assigned into `module.exports` / `exports.x`.
 */
function isExported(variable: { defs: readonly { type: string; node?: unknown }[]; references: readonly { identifier: unknown }[] }): boolean {
  const declared = variable.defs[0]?.node as Node | undefined;
  if (declared && hasAncestor(declared, (n) => n.type === "ExportNamedDeclaration" || n.type === "ExportDefaultDeclaration")) return true;
  return variable.references.some((reference) =>
    hasAncestor(reference.identifier as Node, (n) => {
      if (n.type === "ExportNamedDeclaration" || n.type === "ExportDefaultDeclaration" || n.type === "ExportSpecifier") return true;
      if (n.type !== "AssignmentExpression") return false;
      const left = unwrapExpression(n.left);
      const object = left.type === "MemberExpression" ? unwrapExpression(left.object) : undefined;
      return (object?.type === "Identifier" && (object.name === "exports" || object.name === "module")) || (object?.type === "MemberExpression" && memberName(object) === "exports");
    }),
  );
}

/** Whether an ancestor of `node` passes `test`, up to the nearest enclosing function (a use inside a function exported is not an export of the value). */
function hasAncestor(node: Node, test: (n: Node) => boolean): boolean {
  for (let current = node.parent; current && !isFunctionNode(current); current = current.parent) if (test(current)) return true;
  return false;
}

/** A member of a record read off the store (`this.#entries.get(k).promise`): not the record itself. */
function isRecordPart(value: Node, store: string, model: StoreModel): boolean {
  if (value.type !== "MemberExpression") return false;
  const object = unwrapExpression(value.object);
  return object.type === "CallExpression" && model.text.slice(object.range[0], object.range[1]).startsWith(store);
}

/** Whether the program reads any of `keys` as a member (not only assigns it) or destructures it. */
function readsAnyKey(program: Node, keys: Set<string>): boolean {
  let found = false;
  walkNodes(program, (node) => {
    if (found) return;
    if (node.type === "MemberExpression" && keys.has(memberName(node) ?? "")) {
      const parent = node.parent;
      if (!(parent && parent.type === "AssignmentExpression" && parent.left === node)) found = true;
    }
    if (node.type === "ObjectPattern" && node.properties.some((p) => p.type === "Property" && !p.computed && p.key.type === "Identifier" && keys.has(p.key.name))) found = true;
  });
  return found;
}

/** What {@link runsOwnEntryLater} needs of the model. */
export interface OwnEntryModel {
  readonly text: string;
  handoffs: { paramIndexOf(node: Node, fn: FunctionNode): number | undefined };
  bindings: {
    variableOf(node: Node): MinimalVariable | undefined;
    isGlobal(node: Node): boolean;
    isDeclaredInside(variable: MinimalVariable, fn: FunctionNode): boolean;
    initializerOf(variable: MinimalVariable): Node | undefined;
  };
}

/**
 * A helper that stores its parameter and, in the same call and unconditionally (a statement of its body, after the
 * store), schedules a timer or microtask that runs that very entry: calls the parameter, or the entry it takes back
 * out by identity (`entries.splice(entries.indexOf(fn), 1)[0]`), or hands on the record it made for it
 * (`entry = { fn }` stored, then `entry.timer = setTimeout(() => this.#fire(key, entry))`: a debouncer whose last
 * call wins). The timer keeps the storing call's context, and each call's timer runs its own entry (one that ran
 * every stored entry would run other calls' entries too).
 */
export function runsOwnEntryLater(model: OwnEntryModel, handoff: { values: readonly Node[]; site: Node }, frame: FunctionNode): boolean {
  if (frame.body.type !== "BlockStatement" || handoff.values.length === 0) return false;
  if (readsOwnKeyLater(model, handoff.site, frame)) return true;
  const value = handoff.values[handoff.values.length - 1];
  const stored = value.type === "SpreadElement" ? undefined : unwrapExpression(value);
  if (!stored || stored.type !== "Identifier") return false;
  const name = stored.name;
  // The parameter itself, or a record this call makes around it (`const entry = { fn, ... }`).
  const isParam = model.handoffs.paramIndexOf(stored, frame) !== undefined;
  const record = isParam ? undefined : frame.body.body.find((statement): statement is TSESTree.VariableDeclaration => statement.type === "VariableDeclaration" && statement.declarations.some((d) => d.id.type === "Identifier" && d.id.name === name && !!d.init && unwrapExpression(d.init).type === "ObjectExpression" && (unwrapExpression(d.init) as TSESTree.ObjectExpression).properties.some((p) => p.type === "Property" && unwrapExpression(p.value as Node).type === "Identifier" && model.handoffs.paramIndexOf(unwrapExpression(p.value as Node), frame) !== undefined)));
  if (!isParam && !record) return false;
  const storeStatement = frame.body.body.find((statement) => contains(statement, handoff.site));
  if (!storeStatement) return false;
  // A later call that finds the entry swaps its own function in (`const slot = slots.get(key); slot.fn = fn`): the
  // timer the first call armed then runs the later call's function.
  if (swapsIntoStoredEntry(model, handoff.site, frame)) return false;
  const timerOf = (statement: Node): TSESTree.CallExpression | undefined => {
    if (statement.type !== "ExpressionStatement") return undefined;
    let expression = unwrapExpression(statement.expression);
    // `entry.timer = setTimeout(...)`: the timer call assigned to a field of the record.
    if (record && expression.type === "AssignmentExpression") expression = unwrapExpression(expression.right);
    return expression.type === "CallExpression" ? expression : undefined;
  };
  return frame.body.body.some((statement) => {
    if (statement.range[0] < (record ? Math.min(record.range[1], storeStatement.range[1]) : storeStatement.range[1])) return false;
    const timer = timerOf(statement);
    if (!timer) return false;
    const callback = timer.arguments[0] ? unwrapExpression(timer.arguments[0]) : undefined;
    if (!callback || !isFunctionNode(callback) || !runsInCallContext(callback.body, frame)) return false;
    // The record read there, or the parameter called or looked up (`queue.indexOf(fn)`) there.
    const variable = model.bindings.variableOf(stored);
    let uses = false;
    walkNodes(callback.body, (node) => {
      if (uses || node.type !== "Identifier" || model.bindings.variableOf(node) !== variable) return;
      const parent = node.parent;
      if (parent?.type === "MemberExpression" && parent.property === node && !parent.computed) return;
      if (record) uses = true;
      else if (parent?.type === "CallExpression" && parent.callee === node) uses = true;
      else if (parent?.type === "CallExpression" && parent.arguments[0] === node && parent.callee.type === "MemberExpression" && memberName(parent.callee) === "indexOf") uses = true;
    });
    return uses;
  });
}

/**
 * A keyed store written by this call (`sessions.set(sessionId, { onIdle, ... })`, the key a parameter or a constant of
 * the frame) and a timer the same call arms after it, in its own context, whose callback (inline, or a closure of the
 * frame: `setTimeout(check, 10)`) reads back that key (`sessions.get(sessionId)`): the entry runs in this call's
 * context.
 */
function readsOwnKeyLater(model: OwnEntryModel, site: Node, frame: FunctionNode): boolean {
  if (site.type !== "CallExpression" || frame.body.type !== "BlockStatement") return false;
  const callee = unwrapExpression(site.callee);
  const key = site.arguments[0] ? unwrapExpression(site.arguments[0]) : undefined;
  if (callee.type !== "MemberExpression" || memberName(callee) !== "set" || !key || key.type !== "Identifier") return false;
  const keyVariable = model.bindings.variableOf(key);
  if (!keyVariable || !model.bindings.isDeclaredInside(keyVariable, frame) && model.handoffs.paramIndexOf(key, frame) === undefined) return false;
  if (keyVariable.references.some((r: { identifier: unknown }) => { const ref = r.identifier as Node; return ref.parent?.type === "AssignmentExpression" && ref.parent.left === ref; })) return false;
  // `store.get(key)` for the same store (the same expression) and the same key variable.
  const storeText = model.text.slice(callee.object.range[0], callee.object.range[1]);
  const readsEntry = (body: Node) => {
    let found = false;
    walkNodes(body, (node) => {
      if (found || node.type !== "CallExpression" || node.arguments.length !== 1) return;
      const getter = unwrapExpression(node.callee);
      const arg = unwrapExpression(node.arguments[0] as Node);
      if (getter.type !== "MemberExpression" || memberName(getter) !== "get" || arg.type !== "Identifier") return;
      found = model.bindings.variableOf(arg) === keyVariable && model.text.slice(getter.object.range[0], getter.object.range[1]) === storeText;
    });
    return found;
  };
  const storeStatement = frame.body.body.find((statement) => contains(statement, site));
  if (!storeStatement) return false;
  return frame.body.body.some((statement) => {
    if (statement.range[0] < storeStatement.range[1] || statement.type !== "ExpressionStatement") return false;
    const timer = unwrapExpression(statement.expression);
    if (timer.type !== "CallExpression") return false;
    const timerCallee = unwrapExpression(timer.callee);
    if (timerCallee.type !== "Identifier" || !["setTimeout", "setInterval", "setImmediate"].includes(timerCallee.name) || !model.bindings.isGlobal(timerCallee)) return false;
    const first = timer.arguments[0] ? unwrapExpression(timer.arguments[0]) : undefined;
    let callback: Node | undefined = first && isFunctionNode(first) ? first : undefined;
    if (!callback && first?.type === "Identifier") {
      const variable = model.bindings.variableOf(first);
      const init = variable && model.bindings.isDeclaredInside(variable, frame) ? model.bindings.initializerOf(variable) : undefined;
      callback = init && isFunctionNode(unwrapExpression(init)) ? unwrapExpression(init) : undefined;
    }
    return !!callback && isFunctionNode(callback) && readsEntry(callback.body);
  });
}

/**
 * Whether `frame` writes one of its parameters into a member of an entry it reads back from the store `site` writes
 * to (`const slot = slots.get(key); if (slot) { slot.fn = fn; return; }`).
 */
function swapsIntoStoredEntry(model: OwnEntryModel, site: Node, frame: FunctionNode): boolean {
  if (site.type !== "CallExpression") return false;
  const callee = unwrapExpression(site.callee);
  if (callee.type !== "MemberExpression") return false;
  const storeText = model.text.slice(callee.object.range[0], callee.object.range[1]);
  let swaps = false;
  walkNodes(frame.body, (node) => {
    if (swaps || node.type !== "AssignmentExpression" || node.left.type !== "MemberExpression") return;
    const right = unwrapExpression(node.right);
    if (right.type !== "Identifier" || model.handoffs.paramIndexOf(right, frame) === undefined) return;
    const holder = unwrapExpression(node.left.object);
    const variable = holder.type === "Identifier" ? model.bindings.variableOf(holder) : undefined;
    const init = variable ? model.bindings.initializerOf(variable) : undefined;
    const read = init ? unwrapExpression(init) : undefined;
    if (read?.type !== "CallExpression") return;
    const getter = unwrapExpression(read.callee);
    swaps = getter.type === "MemberExpression" && memberName(getter) === "get" && model.text.slice(getter.object.range[0], getter.object.range[1]) === storeText;
  });
  return swaps;
}


/** For a read of a store returned by a getter of its class, as it is or as a copy (`filter`, `slice`, `map`, ...): the getter's name. */
function returnedByGetter(read: Node): string | undefined {
  let node: Node = read;
  for (let depth = 0; depth < 4; depth++) {
    const parent = node.parent;
    if (!parent) return undefined;
    if (parent.type === "MemberExpression" && parent.object === node && parent.parent?.type === "CallExpression" && parent.parent.callee === parent && COPYING_METHODS.has(memberName(parent) ?? "")) {
      node = parent.parent;
      continue;
    }
    if (parent.type !== "ReturnStatement") return undefined;
    const fn = enclosingFunction(parent);
    const member = fn?.parent;
    return member && member.type === "MethodDefinition" && member.kind === "get" ? classMemberKey(member) : undefined;
  }
  return undefined;
}
const COPYING_METHODS = new Set(["filter", "slice", "map", "concat", "toSorted", "toReversed"]);

/**
 * Whether a stored value is the pending record of the call that stores it: an object literal that also holds the
 * resolver of a promise that call waits on, as a property (`{ key, resolve, reject }`) or called by a function of the
 * record (`{ sku, done: (level) => resolve(then(level)) }`). What it holds runs later for that call, with its data: that
 * call's work, not a registry's handler.
 */
export function storesPendingRecord(model: Pick<DrainModel, "rootVariable">, values: readonly Node[]): boolean {
  return values.some((value) => {
    const record = value.type === "SpreadElement" ? undefined : unwrapExpression(value);
    if (!record || record.type !== "ObjectExpression") return false;
    return record.properties.some((p) => {
      if (p.type !== "Property") return false;
      const held = unwrapExpression(p.value as Node);
      if (isPromiseResolver(model, held)) return true;
      if (!isFunctionNode(held)) return false;
      let calls = false;
      walkNodes(held.body, (n) => {
        if (!calls && n.type === "CallExpression" && isPromiseResolver(model, n.callee)) calls = true;
      });
      return calls;
    });
  });
}

/** Timers whose callback runs in the context of the call that armed them, and the calls that cancel each. */
const ARMING_TIMERS: Record<string, string> = { setTimeout: "clearTimeout", setImmediate: "clearImmediate" };

/** The timer callback (`setTimeout(() => ...)`) around `node` inside `frame`, if any. */
export function timerCallbackAround(node: Node, frame: FunctionNode): FunctionNode | undefined {
  for (let current = node.parent; current && current !== frame; current = current.parent) {
    if (!isFunctionNode(current)) continue;
    const parent = current.parent;
    if (parent && parent.type === "CallExpression" && parent.arguments[0] === current) {
      const callee = unwrapExpression(parent.callee);
      if (callee.type === "Identifier" && (callee.name in ARMING_TIMERS || callee.name === "setInterval")) return current;
    }
  }
  return undefined;
}

/**
 * For a call inside a timer callback that helper `frame` arms (`timer = setTimeout(() => { latest(); }, ms)`): whether
 * every call of the helper cancels the pending timer and arms a new one (`clearTimeout(timer); timer = setTimeout(...)`,
 * both statements of the body that runs during the call, a `new Promise` executor's included). The timer that fires is
 * then the last call's, and what it runs (the last value a holder got: a debouncer whose last call wins) runs in that
 * call's context. A timer armed only when none is pending (`if (!timer)`, `timer ??= ...`) runs later calls' values in
 * the first call's context.
 */
export function rearmedByEveryCall(node: Node, frame: FunctionNode): boolean {
  const callback = timerCallbackAround(node, frame);
  const timer = callback?.parent;
  if (!callback || !timer || timer.type !== "CallExpression") return false;
  const arming = (unwrapExpression(timer.callee) as TSESTree.Identifier).name;
  const cancel = ARMING_TIMERS[arming];
  if (!cancel) return false;
  const assignment = timer.parent;
  if (!assignment || assignment.type !== "AssignmentExpression" || assignment.operator !== "=" || assignment.right !== timer) return false;
  const target = unwrapExpression(assignment.left);
  const statement = assignment.parent;
  const body = statement?.parent;
  const owner = body?.parent;
  if (!statement || statement.type !== "ExpressionStatement" || !body || body.type !== "BlockStatement" || !owner || !isFunctionNode(owner)) return false;
  if (owner !== frame && !runsInCallContext(owner.body, frame)) return false;
  const sameTarget = (arg: Node | undefined) => !!arg && sameReference(unwrapExpression(arg), target);
  const cancels = (s: Node): boolean => {
    if (s.type === "ExpressionStatement") {
      const e = unwrapExpression(s.expression);
      return e.type === "CallExpression" && unwrapExpression(e.callee).type === "Identifier" && (unwrapExpression(e.callee) as TSESTree.Identifier).name === cancel && sameTarget(e.arguments[0] as Node | undefined);
    }
    // `if (timer) clearTimeout(timer);`
    return s.type === "IfStatement" && !s.alternate && (s.consequent.type === "BlockStatement" ? s.consequent.body.length === 1 && cancels(s.consequent.body[0]) : cancels(s.consequent));
  };
  const index = body.body.indexOf(statement as TSESTree.Statement);
  return body.body.slice(0, index).some((s) => cancels(s));
}

/** `timer` and `timer`, `this.#timer` and `this.#timer`, `state.timer` and `state.timer`. */
function sameReference(a: Node, b: Node): boolean {
  if (a.type === "Identifier" && b.type === "Identifier") return a.name === b.name;
  if (a.type === "ThisExpression" && b.type === "ThisExpression") return true;
  if (a.type !== "MemberExpression" || b.type !== "MemberExpression" || a.computed || b.computed) return false;
  const key = (m: TSESTree.MemberExpression) => (m.property.type === "PrivateIdentifier" ? `#${m.property.name}` : m.property.type === "Identifier" ? m.property.name : undefined);
  return key(a) !== undefined && key(a) === key(b) && sameReference(unwrapExpression(a.object), unwrapExpression(b.object));
}
