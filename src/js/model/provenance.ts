/**
 * Provenance: whether the object an expression evaluates to was created during one invocation of a function (so its
 * async context was captured there), or outside it. Objects made inside, by a call made inside (a local factory's
 * fresh object, a Node core API's result), or handed by such a call to its callback (the response of
 * `http.get(url, (res) => ...)`) count as inside; parameters, `this`, globals and module-level or outer bindings do not.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { builtinModules } from "node:module";
import type { MinimalVariable } from "../scope.js";
import { awaitsWithin, contains, enclosingFunction, isFunctionNode, memberName, propertyKey, unwrapExpression, walkNodes, type FileNodes, type FunctionNode, type Node } from "./ast.js";
import type { Bindings } from "./bindings.js";
import type { ValueFlow } from "./values.js";

/** Methods that return their receiver, so `a.on(...).on(...)` is `a`. */
const CHAINING_METHODS = new Set([
  "on", "once", "addListener", "prependListener", "prependOnceListener", "off", "removeListener",
  "setEncoding", "setMaxListeners", "resume", "pause", "setTimeout", "ref", "unref", "cork",
]);

const MAX_DEPTH = 8;

/**
 * Methods that keep what they are given for later: a collection's (`add`, `set`, `push`, ...) or a registry's
 * (`register`, `track`, `watch`, `guard`, ...). A helper method that only uses its argument during the call (registers
 * a listener on it, reads it) does not make it older than the call.
 */
const KEEPING = new Set([
  "add", "set", "push", "unshift", "splice", "append", "insert", "put", "enqueue", "schedule",
  "register", "track", "watch", "guard", "subscribe", "attach", "adopt", "keep", "remember", "retain",
]);

const BUILTINS = new Set(builtinModules);
function isBuiltinModule(specifier: string): boolean {
  return specifier.startsWith("node:") || BUILTINS.has(specifier.split("/")[0]);
}

/** Methods that return an element already held by an array or a Map. */
const COLLECTION_READS = new Set(["get", "at", "shift", "pop", "find", "findLast"]);

export class Provenance {
  constructor(
    private readonly nodes: FileNodes,
    private readonly bindings: Bindings,
    private readonly values: ValueFlow,
    /** For a function other files call in their traces: the parameters every such call fills with an object made there. */
    private readonly freshParamsOf: (fn: FunctionNode) => readonly number[] | undefined = () => undefined,
  ) {}

  /** Whether the object `expr` evaluates to was created inside an invocation of `fn`. */
  isCreatedInside(expr: Node, fn: FunctionNode, depth = 0): boolean {
    if (depth > MAX_DEPTH) return false;
    const node = unwrapExpression(expr);
    switch (node.type) {
      case "NewExpression":
      case "ObjectExpression":
      case "ArrayExpression":
      // A closure made during the call (a factory's `return (task) => queue.push(task)`): a fresh function each time.
      case "ArrowFunctionExpression":
      case "FunctionExpression":
        return contains(fn, node) && node !== fn;
      case "AwaitExpression":
        return this.isCreatedInside(node.argument, fn, depth + 1);
      case "ConditionalExpression":
        return this.isCreatedInside(node.consequent, fn, depth + 1) && this.isCreatedInside(node.alternate, fn, depth + 1);
      case "LogicalExpression":
        return this.isCreatedInside(node.left, fn, depth + 1) && this.isCreatedInside(node.right, fn, depth + 1);
      case "CallExpression": {
        if (!contains(fn, node)) return false;
        {
          // A plain getter of an outer `let` (`getSocket()`) the call sets just before: as the variable read here.
          const write = this.getterSetJustBefore(node, fn);
          if (write) return this.isCreatedInside(write, fn, depth + 1);
        }
        // `require("./jobs.cjs")`: the module's exports, made when it first loaded.
        if (this.values.isModuleLoad(node)) return false;
        // Chaining methods return their receiver (`x.on(...)`, `x.setEncoding(...)`), `pipe(dest)` returns dest.
        const callee = unwrapExpression(node.callee);
        if (callee.type === "MemberExpression") {
          const method = memberName(callee);
          if (method === "pipe" && node.arguments[0]) return this.isCreatedInside(node.arguments[0], fn, depth + 1);
          if (method && CHAINING_METHODS.has(method)) return this.isCreatedInside(callee.object, fn, depth + 1);
          // An element read out of an array or a Map (`queues.get(tenant)`) was made whenever it was stored: as far as
          // we know, it is as old as the collection.
          if (method && COLLECTION_READS.has(method) && this.values.valuesOf(callee.object).some((v) => this.values.isCollection(v))) return this.isCreatedInside(callee.object, fn, depth + 1);
        }
        // A local function's result: created during this call when every value it returns is created in its body.
        const local = this.values.valuesOf(callee).filter((v) => v.type === "function");
        if (local.length > 0) {
          return local.every((v) => {
            const returned = this.nodes.returns.get((v as { fn: FunctionNode }).fn) ?? [];
            return returned.length > 0 && returned.every((r) => this.isCreatedInside(r, (v as { fn: FunctionNode }).fn, depth + 1));
          });
        }
        // A project function of another module that may give back something it keeps (`limiterFor(tenant)` reading a
        // module-level Map): as old as what it keeps.
        if (this.values.importedResultIsShared(node) === true) return false;
        // Any other call made inside the scope (`Readable.from(...)`, `fs.createReadStream(...)`) returns something
        // created during the scope.
        return true;
      }
      case "MemberExpression": {
        // A getter of an outer `let` (`Services.socket`, `this.socket`) the call sets just before.
        const write = this.getterSetJustBefore(node, fn);
        if (write) return this.isCreatedInside(write, fn, depth + 1);
        // A property of an object literal the value flow knows (`ctx.specs` for `ctx = contextFor(id)` returning
        // `{ requestId, specs }`): as old as the value written there, judged where the literal is made.
        const property = this.literalProperty(node);
        if (property) {
          const home = enclosingFunction(property);
          const value = unwrapExpression(property.value);
          const param = value.type === "Identifier" && this.bindings.variableOf(value)?.defs[0]?.type === "Parameter";
          if (!param && !(home && this.isCreatedInside(value, home, depth + 1))) return false;
        }
        return this.isCreatedInside(node.object, fn, depth + 1);
      }
      case "Identifier": {
        const variable = this.bindings.variableOf(node);
        if (!variable) return false;
        // An outer `let` the call sets just before (`socket = await connect(port); socket.on(...)`): this call's value.
        if (variable.defs[0]?.type === "Variable" && !this.bindings.isDeclaredInside(variable, fn)) {
          const write = setJustBefore(variable, node, fn);
          if (write) return this.isCreatedInside(write, fn, depth + 1);
        }
        return this.variableCreatedInside(variable, fn, depth);
      }
      default:
        return false;
    }
  }

  /** The property `obj.key` reads when `obj` holds one object literal of plain properties, the last one named `key`. */
  private literalProperty(node: TSESTree.MemberExpression): TSESTree.Property | undefined {
    const key = memberName(node);
    if (key === undefined || node.computed) return undefined;
    const owners = this.values.wrappedCallValuesOf(node.object);
    if (owners.length !== 1 || owners[0].type !== "object") return undefined;
    const properties = owners[0].node.properties;
    if (!properties.every((p) => p.type === "Property")) return undefined;
    const property = (properties as TSESTree.Property[]).findLast((p) => propertyKey(p) === key);
    return property && property.kind === "init" && !property.method ? property : undefined;
  }

  /**
   * For a call of a local function or a read of a getter whose body only returns an outer variable (`function
   * getSocket() { return socket; }`, `static get socket() { return socket; }`): the value `fn` assigns that variable
   * just before this read (see `setJustBefore`), if it does.
   */
  private getterSetJustBefore(node: TSESTree.CallExpression | TSESTree.MemberExpression, fn: FunctionNode): Node | undefined {
    const getters: FunctionNode[] = [];
    if (node.type === "CallExpression") {
      if (node.arguments.length > 0) return undefined;
      for (const value of this.values.valuesOf(node.callee)) if (value.type === "function" && isFunctionNode(value.fn)) getters.push(value.fn);
    } else {
      const key = memberName(node);
      if (!key || node.computed) return undefined;
      for (const owner of this.values.valuesOf(node.object)) {
        const members = owner.type === "class" ? (owner.node as TSESTree.ClassDeclaration).body.body : owner.type === "object" ? owner.node.properties : [];
        for (const member of members) {
          const getter = member.type === "MethodDefinition" && member.kind === "get" && member.static && !member.computed ? member.value : member.type === "Property" && member.kind === "get" && !member.computed ? member.value : undefined;
          if (getter && isFunctionNode(getter as Node) && (member.type === "MethodDefinition" ? (member.key.type === "Identifier" ? member.key.name : undefined) : propertyKey(member as TSESTree.Property)) === key) getters.push(getter as FunctionNode);
        }
      }
    }
    if (getters.length !== 1) return undefined;
    const getter = getters[0];
    const body = getter.body;
    const returned = body.type === "BlockStatement" ? (body.body.length === 1 && body.body[0].type === "ReturnStatement" ? body.body[0].argument : undefined) : body;
    const id = returned ? unwrapExpression(returned) : undefined;
    if (!id || id.type !== "Identifier") return undefined;
    const variable = this.bindings.variableOf(id);
    if (!variable || variable.defs[0]?.type !== "Variable" || this.bindings.isDeclaredInside(variable, getter) || this.bindings.isDeclaredInside(variable, fn)) return undefined;
    return setJustBefore(variable, node, fn);
  }

  private variableCreatedInside(variable: MinimalVariable, fn: FunctionNode, depth: number): boolean {
    const def = variable.defs[0];
    if (!def) return false;
    if (def.type === "Parameter") {
      const owner = def.node as Node;
      // `writes = new SerialQueue()`: a default made afresh by each call that leaves the argument out.
      if (owner === fn && this.freshDefault(variable, fn, depth)) return !this.handedOutside(variable, fn);
      // A parameter every caller in another file fills with an object it makes during its trace.
      if (owner === fn && isFunctionNode(owner)) {
        const id = variable.defs[0]?.name as Node | undefined;
        const index = id ? owner.params.findIndex((p) => p === id || (p.type === "AssignmentPattern" && p.left === id)) : -1;
        if (index >= 0 && this.freshParamsOf(owner)?.includes(index)) return !this.handedOutside(variable, fn);
        // A traced function's parameter that every call of its wrapper (all seen in this file) fills with an object
        // written in the call, in a function (`validate(change, { crew: loader })` in `handle`): one per trace.
        if (id && this.values.valuesOf(id).some((v) => v.type === "callback-param")) {
          const passed = this.values.wrappedCallValuesOf(id);
          const fresh = (v: (typeof passed)[number]) => (v.type === "object" || v.type === "array" || v.type === "new") && v.node.parent?.type === "CallExpression" && (v.node.parent.arguments as Node[]).includes(v.node) && !!enclosingFunction(v.node);
          if (passed.length > 0 && passed.every(fresh)) return !this.handedOutside(variable, fn);
        }
      }
      // A parameter of a callback that a library call made inside `fn` invokes: the library created the argument
      // during `fn` (`http.get(url, (res) => ...)`, `server.on("connection", ...)` is not: its receiver decides).
      if (isFunctionNode(owner) && owner !== fn && contains(fn, owner)) {
        for (const value of this.values.parameterValues(owner, 0)) {
          if (value.type === "callback-param" && contains(fn, value.call) && isCallbackOfCall(owner, value.call)) {
            const call = value.call;
            const callee = unwrapExpression(call.callee);
            // Listener registrations pass objects made by the emitter's owner, wherever that was.
            if (callee.type === "MemberExpression" && ["on", "once", "addListener", "addEventListener", "then"].includes(memberName(callee) ?? "")) {
              return this.isCreatedInside(callee.object, fn, depth + 1);
            }
            return true;
          }
        }
      }
      return false;
    }
    if (!this.bindings.isDeclaredInside(variable, fn)) return false;
    const sources: Node[] = [];
    const init = this.bindings.initializerOf(variable);
    if (init) sources.push(init);
    // A destructured local (`const { signal } = controllers.get(id)`): a part of the object it is taken from, as old as
    // that object.
    const declarator = variable.defs[0]?.node as Node | undefined;
    if (!init && declarator?.type === "VariableDeclarator" && declarator.id.type !== "Identifier" && declarator.init) sources.push(declarator.init);
    for (const reference of variable.references as readonly { writeExpr?: unknown; init?: boolean }[]) {
      if (reference.writeExpr && !reference.init) sources.push(reference.writeExpr as Node);
    }
    // `let x; x = new EventEmitter()`, a destructured local: assume created where declared.
    if (sources.length > 0 && !sources.every((source) => this.isCreatedInside(source, fn, depth + 1))) return false;
    return !this.handedOutside(variable, fn);
  }

  /**
   * Whether a parameter of `fn` is defaulted to an object made by the call (`queue = new SerialQueue()`, also inside
   * a destructured options object), and no call in this file passes that argument: each call gets its own.
   */
  private freshDefault(variable: MinimalVariable, fn: FunctionNode, depth: number): boolean {
    const id = variable.defs[0]?.name as Node | undefined;
    const pattern = id?.parent;
    if (!id || !pattern || pattern.type !== "AssignmentPattern" || pattern.left !== id) return false;
    if (!this.isCreatedInside(pattern.right, fn, depth + 1)) return false;
    // The top-level parameter the default sits in, and the name the function is called by.
    let top: Node = pattern;
    while (top.parent && top.parent !== fn) top = top.parent;
    const index = fn.params.indexOf(top as TSESTree.Parameter);
    if (index < 0) return false;
    const holder = fn.parent?.type === "CallExpression" ? fn.parent.parent : fn.parent;
    const name = fn.type === "FunctionDeclaration" && fn.id ? fn.id.name : holder?.type === "VariableDeclarator" && holder.id.type === "Identifier" ? holder.id.name : undefined;
    if (!name) return false;
    // A default of a destructured property (`{ queue = new PQueue() }`): a call's options literal without that key
    // (and without spreads) leaves it to apply too.
    const property = pattern.parent?.type === "Property" && pattern.parent.value === pattern ? pattern.parent : undefined;
    const key = property ? propertyKey(property) : undefined;
    const leavesIt = (arg: TSESTree.CallExpressionArgument | undefined): boolean => {
      if (!arg) return true;
      const literal = unwrapExpression(arg);
      if (key === undefined || literal.type !== "ObjectExpression") return false;
      return literal.properties.every((p) => p.type === "Property" && !p.computed && propertyKey(p) !== key);
    };
    return !this.nodes.calls.some((call) => {
      const callee = unwrapExpression(call.callee);
      return callee.type === "Identifier" && callee.name === name && (call.arguments.slice(0, index + 1).some((a) => a.type === "SpreadElement") || !leavesIt(call.arguments[index]));
    });
  }

  /**
   * Whether `fn` hands the object a local holds to an object that outlives the call: as an argument (also a property
   * of an object literal argument) of a method of a module-level binding, an import or `this` (`subscribers.add(stream)`,
   * `deadlines.set(controller, at)`, `watchdog.guard(controller)`: a method that keeps, see {@link KEEPING}). Whoever
   * holds it there may drive it later (`controller.abort()`, `stream.push(x)`), from their own async context. Globals
   * (`Promise.race`, `console.log`) and Node's own modules (`stream.finished(s)`) do not keep it.
   */
  private handedOutside(variable: MinimalVariable, fn: FunctionNode): boolean {
    for (const reference of variable.references) {
      const identifier = reference.identifier as Node;
      let arg: Node = identifier;
      let parent = arg.parent;
      if (parent?.type === "Property" && parent.value === arg && parent.parent?.type === "ObjectExpression") {
        arg = parent.parent;
        parent = arg.parent;
      }
      if (!parent || parent.type !== "CallExpression" || !parent.arguments.includes(arg as TSESTree.CallExpressionArgument)) continue;
      const callee = unwrapExpression(parent.callee);
      if (callee.type !== "MemberExpression") continue;
      const method = memberName(callee);
      if (!method || !KEEPING.has(method)) continue;
      if (this.outlives(callee.object, fn)) return true;
    }
    return false;
  }

  /** Whether a receiver is a module-level binding or import of the project's, or `this`: older than one call of `fn`. */
  private outlives(receiver: Node, fn: FunctionNode): boolean {
    let node = unwrapExpression(receiver);
    // `this.method(x)` is a call of the object's own method, not a store: only a field of `this` keeps (`this.#entries.push(x)`).
    if (node.type === "ThisExpression") return false;
    while (node.type === "MemberExpression") node = unwrapExpression(node.object);
    if (node.type === "ThisExpression") return true;
    if (node.type !== "Identifier") return false;
    const variable = this.bindings.variableOf(node);
    if (!variable || variable.defs.length === 0 || this.bindings.isDeclaredInside(variable, fn)) return false;
    return !this.values.valuesOf(node).some((v) => (v.type === "import" && isBuiltinModule(v.module)) || (v.type === "api" && isBuiltinModule(v.api.module)));
  }

  /** The variable at the root of a receiver expression (`a` in `a.b.c`), if any. */
  rootVariable(expr: Node, depth = 0): MinimalVariable | undefined {
    let node = unwrapExpression(expr);
    while (node.type === "MemberExpression" || node.type === "CallExpression") {
      node = unwrapExpression(node.type === "MemberExpression" ? node.object : node.callee);
    }
    // `registry.get(id) ?? registry.set(id, []).get(id)`: both sides reach one variable.
    if ((node.type === "LogicalExpression" || node.type === "ConditionalExpression") && depth < 3) {
      const [a, b] = node.type === "LogicalExpression" ? [node.left, node.right] : [node.consequent, node.alternate];
      const left = this.rootVariable(a, depth + 1);
      return left && left === this.rootVariable(b, depth + 1) ? left : undefined;
    }
    return node.type === "Identifier" ? this.bindings.variableOf(node) : undefined;
  }
}

function isCallbackOfCall(fn: FunctionNode, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  return call.arguments.includes(fn as TSESTree.CallExpressionArgument);
}

/**
 * The value an outer variable holds at `read` (or the object it was taken from), when the statements of `fn` before
 * it assign it with nothing awaited between: in the same block, the read's own statement included (`socket = await
 * connect(port); socket.on("data", ...)`), or in an enclosing block of `fn`, the read sitting in a branch or in a loop
 * that awaits nothing (`scheduler = new Scheduler(); for (const c of counts) scheduler.schedule(...)`). Another call
 * of `fn` cannot have changed it in between.
 */
function setJustBefore(variable: MinimalVariable, read: Node, fn: FunctionNode): Node | undefined {
  const writes = (variable.references as readonly { identifier: unknown; writeExpr?: unknown; init?: boolean }[]).filter((r) => r.writeExpr && !r.init);
  let node: Node = read;
  for (;;) {
    let statement: Node = node;
    while (statement.parent && statement.parent.type !== "BlockStatement") {
      const parent: Node = statement.parent;
      if (isFunctionNode(parent)) return undefined;
      // Climbing out of a loop: a later iteration reads after the awaits of the earlier ones.
      if (node !== read && LOOPS.has(parent.type) && awaitsWithin(parent, Infinity, fn)) return undefined;
      statement = parent;
    }
    const block = statement.parent;
    if (!block || block.type !== "BlockStatement" || !contains(fn, block)) return undefined;
    for (let n: Node | undefined = block; n && n !== fn; n = n.parent) if (isFunctionNode(n)) return undefined;
    if (awaitsWithin(statement, read.range[0], fn)) return undefined;
    const body = block.body as Node[];
    for (let i = body.indexOf(statement) - 1; i >= 0; i--) {
      const before = body[i];
      const write = writes.filter((r) => contains(before, r.identifier as Node)).pop();
      if (write) {
        // A plain statement `x = <value>` (not a write inside a condition or a loop).
        const expression = before.type === "ExpressionStatement" ? unwrapExpression(before.expression) : undefined;
        // (Or a part of what a destructuring assignment takes apart: `({ port1: feed } = new MessageChannel())`.)
        if (expression?.type !== "AssignmentExpression" || expression.operator !== "=") return undefined;
        return expression.left === write.identifier || (expression.left.type === "ObjectPattern" || expression.left.type === "ArrayPattern" ? contains(expression.left, write.identifier as Node) : false) ? expression.right : undefined;
      }
      if (awaitsWithin(before, Infinity, fn)) return undefined;
    }
    // Not in this block: the enclosing block's statements before this one, up to the function's own body.
    if (block === fn.body) return undefined;
    node = block;
  }
}
const LOOPS = new Set(["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"]);

