/**
 * Iterators: generators created inside a traced scope that leave it in a way langsmith does not wrap, so their
 * traced work runs when the consumer pulls, outside the scope's run (ground truth §2: SPLIT). langsmith wraps an
 * async iterable or ReadableStream that a traceable returns itself (NESTED); it does not look inside objects or
 * arrays, at a `Response` built on a pull source, at fields or module-level holders, or at sync generators.
 *
 * The question answered here: which generator calls create an iterator that does traced work and escapes its
 * traced scope, and how it escapes.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { enclosingFunction, isFunctionNode, unwrapExpression, type FileNodes, type FunctionNode, type Node } from "./ast.js";
import type { Bindings } from "./bindings.js";
import type { TracedScope, TracedScopes } from "./scopes.js";
import type { TracedWork } from "./traced-work.js";
import type { ValueFlow } from "./values.js";

/** How an iterator leaves its traced scope. */
export type IteratorEscape = "object" | "array" | "response" | "stored" | "helper" | "handed" | "returned-sync";

export interface DetachedIterator {
  /** The call that creates the iterator (`streamTokens(question)`). */
  creation: TSESTree.CallExpression;
  /**
   * The call makes a lazy iterable rather than an iterator: an object whose `[Symbol.asyncIterator]()` (or
   * `[Symbol.iterator]()`) is a generator doing traced work (`paginate(query)` returning
   * `{ async *[Symbol.asyncIterator]() { ... } }`); each iterator it hands out runs the generator.
   */
  iterable?: boolean;
  /** The generator function it runs, when it is in this file. */
  generator?: FunctionNode;
  /** `async function*` rather than `function*`. */
  async: boolean;
  scope: TracedScope;
  escape: IteratorEscape;
  /** A ReadableStream pulls from the iterator on the way out. */
  viaStream: boolean;
}

const MAX_DEPTH = 4;

export class Iterators {
  private result: DetachedIterator[] | undefined;

  constructor(
    private readonly nodes: FileNodes,
    private readonly bindings: Bindings,
    private readonly values: ValueFlow,
    private readonly work: TracedWork,
    private readonly scopes: TracedScopes,
    /** Whether argument `index` of `call` is kept by a function (of this file or another) beyond the call, in storage that outlives `scope`. */
    private readonly keptByCall: (call: TSESTree.CallExpression, index: number, scope: FunctionNode) => boolean = () => false,
  ) {}

  /**
   * The generator a call runs, when its callee is one generator function of this file, or a generator imported from
   * another module of the project (through the project index); with whether its body does traced work.
   */
  generatorOf(call: TSESTree.CallExpression): { fn?: FunctionNode; async: boolean; tracedWork: boolean; iterable?: boolean } | undefined {
    const callee = unwrapExpression(call.callee);
    const values = this.values.valuesOf(callee);
    if (values.length !== 1 || values[0].type === "unknown") {
      // A generator method of another module's class or object (`chunker.chunks(text, embed)` on `new Chunker()`): a
      // traced function handed to it counts as its traced work.
      const facts = callee.type === "MemberExpression" ? this.values.importedMemberFacts(callee) : undefined;
      if (!facts?.generator) return undefined;
      const passesTraced = call.arguments.some((a) => a.type !== "SpreadElement" && this.work.callbackDoesTracedWork(a));
      return { async: facts.generator === "async", tracedWork: facts.doesTracedWork || passesTraced };
    }
    const value = values[0];
    if (value.type === "function") {
      const fn = value.fn;
      if (fn.generator) return { fn, async: fn.async, tracedWork: this.work.functionDoesTracedWork(fn) };
      const lazy = this.lazyIterableOf(fn);
      return lazy && { fn: lazy.generator, async: lazy.generator.async, tracedWork: this.work.functionDoesTracedWork(lazy.generator), iterable: true };
    }
    if (value.type === "import") {
      const facts = this.values.importFacts(value);
      if (facts?.generator) return { async: facts.generator === "async", tracedWork: facts.doesTracedWork };
      return facts?.iterable ? { async: facts.iterable === "async", tracedWork: facts.doesTracedWork, iterable: true } : undefined;
    }
    return undefined;
  }

  /**
   * When every value `fn` (no generator itself) returns is an object literal whose `[Symbol.asyncIterator]` (or
   * `[Symbol.iterator]`) is a generator function: a lazy iterable, whose generator runs only when it is iterated.
   */
  lazyIterableOf(fn: FunctionNode): { generator: FunctionNode } | undefined {
    if (fn.generator) return undefined;
    const returned = (this.nodes.returns.get(fn) ?? []).flatMap((r) => this.values.valuesOf(r));
    if (returned.length === 0) return undefined;
    let generator: FunctionNode | undefined;
    for (const value of returned) {
      if (value.type !== "object") return undefined;
      const method = value.node.properties.find((p): p is TSESTree.Property => p.type === "Property" && p.computed && isSymbolIterator(p.key));
      const fnValue = method && unwrapExpression(method.value);
      if (!fnValue || !isFunctionNode(fnValue) || !fnValue.generator) return undefined;
      generator ??= fnValue;
    }
    return generator && { generator };
  }

  /** Generator calls whose iterator does traced work and leaves its traced scope unwrapped. */
  detached(): DetachedIterator[] {
    if (this.result) return this.result;
    const out: DetachedIterator[] = [];
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression") continue;
      const scope = this.scopes.enclosing(call);
      if (!scope || enclosingFunction(call) !== scope.fn) continue;
      const generator = this.generatorOf(call);
      if (!generator || !generator.tracedWork) continue;
      if (scope.fn.generator) continue; // a traced generator drives its own iteration
      if (this.work.isInPinnedContext(call, scope.fn)) continue;
      // A lazy iterable returned as it is counts as an async one whatever its kind (langsmith wraps async iterables;
      // a sync one returned is not reported).
      const found = this.escapeOf(call, scope.fn, generator.async || !!generator.iterable, 0);
      if (found && generator.iterable && found.escape !== "object" && found.escape !== "array" && found.escape !== "stored" && found.escape !== "helper" && found.escape !== "handed") continue;
      if (found) out.push({ creation: call, generator: generator.fn, async: generator.async, scope, escape: found.escape, viaStream: found.viaStream, ...(generator.iterable ? { iterable: true } : {}) });
    }
    this.result = out;
    return out;
  }

  /**
   * How the iterator produced by `expr` leaves `scope`, or undefined when it stays inside (consumed there) or is
   * returned in a form langsmith wraps.
   */
  private escapeOf(expr: Node, scope: FunctionNode, isAsync: boolean, depth: number): { escape: IteratorEscape; viaStream: boolean } | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const { node, parent } = climb(expr);
    if (!parent) return undefined;
    if (isReturnOf(node, parent, scope)) return isAsync ? undefined : { escape: "returned-sync", viaStream: false };
    if (parent.type === "Property" && parent.value === node && parent.parent?.type === "ObjectExpression") {
      return this.containerEscapes(parent.parent, scope, depth + 1) ? { escape: "object", viaStream: false } : undefined;
    }
    if (parent.type === "ArrayExpression") {
      return this.containerEscapes(parent, scope, depth + 1) ? { escape: "array", viaStream: false } : undefined;
    }
    if (parent.type === "AssignmentExpression" && parent.right === node) {
      return this.isStore(parent.left, scope) ? { escape: "stored", viaStream: false } : undefined;
    }
    if (parent.type === "VariableDeclarator" && parent.init === node && parent.id.type === "Identifier") {
      const variable = this.bindings.variableOf(parent.id);
      if (!variable) return undefined;
      for (const reference of variable.references) {
        const identifier = reference.identifier as Node;
        if (identifier === parent.id) continue;
        const inner = enclosingFunction(identifier);
        if (inner !== scope) {
          // Read inside a nested function: the pull / start / transform of a ReadableStream source.
          const stream = inner && streamOfSource(inner, scope);
          if (!stream) continue;
          const escaped = this.streamEscape(stream, scope, depth + 1);
          if (escaped) return { escape: escaped, viaStream: true };
          continue;
        }
        const escaped = this.escapeOf(identifier, scope, isAsync, depth + 1);
        if (escaped) return escaped;
      }
      return undefined;
    }
    if (parent.type === "CallExpression" && parent.arguments.includes(node as TSESTree.CallExpressionArgument)) {
      // A helper of this file that packs its parameter into the object it returns.
      const index = parent.arguments.indexOf(node as TSESTree.CallExpressionArgument);
      const helper = this.helperPacking(parent, index);
      if (helper && this.containerEscapes(parent, scope, depth + 1)) return { escape: "helper", viaStream: false };
      // Handed to something that keeps it for later (`pump.attach(gen)` on a pump started at load): whoever pulls it
      // then runs its body.
      if (this.keptByCall(parent, index, scope)) return { escape: "handed", viaStream: false };
    }
    return undefined;
  }

  /** For a ReadableStream built in `scope` over the iterator: how it leaves (`Response`, object, field...). */
  private streamEscape(stream: TSESTree.NewExpression, scope: FunctionNode, depth: number): IteratorEscape | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const { node, parent } = climb(stream);
    if (!parent) return undefined;
    if (isReturnOf(node, parent, scope)) return undefined; // langsmith wraps a returned ReadableStream
    if (parent.type === "NewExpression" && isGlobalNamed(parent.callee, "Response") && parent.arguments[0] === node) {
      return "response";
    }
    if (parent.type === "VariableDeclarator" && parent.init === node && parent.id.type === "Identifier") {
      const variable = this.bindings.variableOf(parent.id);
      for (const reference of variable?.references ?? []) {
        const identifier = reference.identifier as Node;
        if (identifier === parent.id || enclosingFunction(identifier) !== scope) continue;
        const escaped = this.streamEscape(identifier as unknown as TSESTree.NewExpression, scope, depth + 1);
        if (escaped) return escaped;
      }
      return undefined;
    }
    if (parent.type === "Property" && parent.value === node && parent.parent?.type === "ObjectExpression") {
      return this.containerEscapes(parent.parent, scope, depth + 1) ? "object" : undefined;
    }
    if (parent.type === "AssignmentExpression" && parent.right === node) return this.isStore(parent.left, scope) ? "stored" : undefined;
    return undefined;
  }

  /** Whether an object, array or helper result holding an iterator leaves `scope` (returned, stored, a Response). */
  private containerEscapes(container: Node, scope: FunctionNode, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    const { node, parent } = climb(container);
    if (!parent) return false;
    if (isReturnOf(node, parent, scope)) return true;
    if (parent.type === "NewExpression" && isGlobalNamed(parent.callee, "Response")) return true;
    if (parent.type === "Property" && parent.value === node && parent.parent?.type === "ObjectExpression") return this.containerEscapes(parent.parent, scope, depth + 1);
    if (parent.type === "ArrayExpression") return this.containerEscapes(parent, scope, depth + 1);
    if (parent.type === "AssignmentExpression" && parent.right === node) return this.isStore(parent.left, scope);
    if (parent.type === "CallExpression" && parent.arguments.includes(node as TSESTree.CallExpressionArgument)) {
      // `resolve({ stream })`, `Promise.resolve(...)`: the value is handed out of the scope.
      const callee = unwrapExpression(parent.callee);
      if (callee.type === "Identifier" && callee.name === "resolve") return true;
      if (this.helperPacking(parent, parent.arguments.indexOf(node as TSESTree.CallExpressionArgument))) return this.containerEscapes(parent, scope, depth + 1);
      return false;
    }
    if (parent.type === "VariableDeclarator" && parent.init === node && parent.id.type === "Identifier") {
      const variable = this.bindings.variableOf(parent.id);
      for (const reference of variable?.references ?? []) {
        const identifier = reference.identifier as Node;
        if (identifier === parent.id || enclosingFunction(identifier) !== scope) continue;
        if (this.containerEscapes(identifier, scope, depth + 1)) return true;
      }
    }
    return false;
  }

  /** `this.x = `, `holder.x = `, or a variable declared outside `scope` (a module-level holder). */
  private isStore(left: Node, scope: FunctionNode): boolean {
    const target = unwrapExpression(left);
    if (target.type === "MemberExpression") return true;
    if (target.type === "Identifier") {
      const variable = this.bindings.variableOf(target);
      return !!variable && !this.bindings.isDeclaredInside(variable, scope);
    }
    return false;
  }

  /** When `call` calls a function of this file that puts parameter `index` into an object or array it returns. */
  private helperPacking(call: TSESTree.CallExpression, index: number): FunctionNode | undefined {
    const values = this.values.valuesOf(unwrapExpression(call.callee));
    if (values.length !== 1 || values[0].type !== "function") return undefined;
    const helper = values[0].fn;
    if (helper.generator) return undefined;
    const param = helper.params[index];
    if (!param || param.type !== "Identifier") return undefined;
    const variable = this.bindings.variableOf(param);
    for (const reference of variable?.references ?? []) {
      const identifier = reference.identifier as Node;
      if (identifier === param || enclosingFunction(identifier) !== helper) continue;
      if (this.containerEscapes(identifier, helper, MAX_DEPTH - 1)) return helper;
    }
    return undefined;
  }
}

/** `Symbol.asyncIterator` / `Symbol.iterator`, the key of an iterable's method. */
function isSymbolIterator(key: Node): boolean {
  const node = unwrapExpression(key);
  return node.type === "MemberExpression" && !node.computed && node.object.type === "Identifier" && node.object.name === "Symbol" && node.property.type === "Identifier" && (node.property.name === "asyncIterator" || node.property.name === "iterator");
}

/** Step up through parentheses, type assertions and `await` to the expression's real parent. */
function climb(expr: Node): { node: Node; parent: Node | undefined } {
  let node = expr;
  let parent = node.parent;
  while (
    parent &&
    (parent.type === "TSAsExpression" || parent.type === "TSNonNullExpression" || parent.type === "TSSatisfiesExpression" || parent.type === "TSTypeAssertion" || parent.type === "AwaitExpression" ||
      (parent.type === "ChainExpression"))
  ) {
    node = parent;
    parent = node.parent;
  }
  return { node, parent };
}

/** Whether `node` is what `scope` returns: `return node`, or the expression body of an arrow function. */
function isReturnOf(node: Node, parent: Node, scope: FunctionNode): boolean {
  if (parent.type === "ReturnStatement" && parent.argument === node) return enclosingFunction(parent) === scope;
  return parent === scope && scope.type === "ArrowFunctionExpression" && scope.body === node;
}

/** An identifier naming a global (no local binding check: `ReadableStream`, `Response` are shadowed rarely). */
function isGlobalNamed(node: Node, name: string): boolean {
  const callee = unwrapExpression(node);
  return callee.type === "Identifier" && callee.name === name;
}

/** When `fn` is a method or property function of the source object of `new ReadableStream(source)` inside `scope`. */
function streamOfSource(fn: FunctionNode, scope: FunctionNode): TSESTree.NewExpression | undefined {
  let current: Node | undefined = fn;
  // The function itself, or a function nested in it (a callback inside `pull`).
  while (current && current !== scope) {
    const parent: Node | undefined = current.parent;
    if (parent?.type === "Property" && parent.value === current && parent.parent?.type === "ObjectExpression") {
      const source: TSESTree.ObjectExpression = parent.parent;
      const owner: Node | undefined = source.parent;
      if (owner?.type === "NewExpression" && owner.arguments[0] === source && isGlobalNamed(owner.callee, "ReadableStream")) {
        return enclosingFunction(owner) === scope ? owner : undefined;
      }
    }
    current = parent;
    if (current && isFunctionNode(current) && current === scope) break;
  }
  return undefined;
}
