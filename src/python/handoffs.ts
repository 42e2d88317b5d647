/**
 * Hand-offs to other threads in Python, as the model sees them: thread pools and what created them, `Thread`
 * targets, `run_in_executor`, the `copy_context().run` wrapper, explicit parents, sized iterables.
 */
import type { PyModel, PyFunction } from "./model.js";
import { field, kids, walk, type PyNode } from "./parse.js";

export type PoolKind = "thread-pool" | "context-pool" | "unknown";

export interface PoolInfo {
  kind: PoolKind;
  /** The constructor call (`ThreadPoolExecutor(...)`), when the pool's creation is known. */
  ctor?: PyNode;
  /** The variable the pool is bound to, when it is one. */
  name?: string;
  /** The pool lives in a module-level variable (shared by every trace). */
  moduleLevel: boolean;
}

/** What executor the receiver of `.submit`/`.map` (or `run_in_executor`'s first argument) is. */
export function poolOf(model: PyModel, receiver: PyNode): PoolInfo {
  const value = model.valueOf(receiver);
  const name = receiver.type === "identifier" ? receiver.text : undefined;
  const moduleLevel = name !== undefined && model.isModuleLevel(name, receiver);
  if (value.type === "call") {
    const callee = model.callee(value);
    if (model.is(callee, "threadPool")) return { kind: "thread-pool", ctor: value, name, moduleLevel };
    if (model.is(callee, "contextPool") || model.is(callee, "getExecutorForConfig")) return { kind: "context-pool", ctor: value, name, moduleLevel };
  }
  return { kind: "unknown", name, moduleLevel };
}

/** `copy_context().run` or `ctx.run` with `ctx = copy_context()`: returns the context expression. */
export function copyContextRun(model: PyModel, expr: PyNode): PyNode | undefined {
  if (expr.type !== "attribute" || field(expr, "attribute")?.text !== "run") return undefined;
  const object = field(expr, "object");
  if (!object) return undefined;
  const value = model.valueOf(object);
  if (value.type === "call" && model.is(model.callee(value), "copyContext")) return object;
  return undefined;
}

/** Whether a worker is already wrapped: `copy_context().run`, `partial(copy_context().run, f)`, `ctx.run`. */
export function isContextWrapped(model: PyModel, expr: PyNode): boolean {
  if (copyContextRun(model, expr)) return true;
  const value = model.valueOf(expr);
  if (value.type === "call" && model.is(model.callee(value), "partial")) {
    const first = model.positionalArgs(value)[0];
    return first !== undefined && copyContextRun(model, first) !== undefined;
  }
  return false;
}

/** A `langsmith_extra={"parent": ...}` among the call's keywords or inside a lambda worker. */
export function hasExplicitParent(model: PyModel, call: PyNode, worker?: PyNode): boolean {
  const extra = model.keywordArg(call, "langsmith_extra");
  if (extra && /["']parent["']/.test(extra.text)) return true;
  if (worker?.type === "lambda" && /langsmith_extra\s*=\s*\{[^}]*["']parent["']|tracing_context\s*\(\s*parent\s*=/.test(worker.text)) return true;
  if (worker && worker.type !== "lambda") {
    const fn = model.functionExpr(worker);
    if (fn && workerTakesParent(model, fn)) return true;
  }
  return false;
}

/**
 * Whether a worker function gets its parent from its caller: it enters `tracing_context(parent=p)` or passes
 * `langsmith_extra={"parent": p}` with `p` one of its own parameters (the run tree is captured in the parent thread
 * and passed as an argument).
 */
export function workerTakesParent(model: PyModel, fn: PyFunction): boolean {
  const params = new Set(fn.params);
  let found = false;
  walk(fn.body, (node) => {
    if (found || node.type === "function_definition" || node.type === "lambda") return false;
    if (node.type === "call") {
      let parent: PyNode | undefined;
      if (model.is(model.callee(node), "tracingContext")) {
        const keyword = model.keywordArg(node, "parent");
        parent = keyword ? field(keyword, "value") : undefined;
      } else {
        const extra = model.keywordArg(node, "langsmith_extra");
        const value = extra ? field(extra, "value") : undefined;
        if (value?.type === "dictionary") {
          for (const pair of kids(value)) {
            const key = pair.type === "pair" ? field(pair, "key") : undefined;
            if (key?.type === "string" && /^["']parent["']$/.test(key.text)) parent = field(pair, "value");
          }
        }
      }
      if (parent?.type === "identifier" && params.has(parent.text)) found = true;
    }
    return !found;
  });
  return found;
}

const SIZED_LITERALS = new Set(["list", "tuple", "set", "dictionary", "list_comprehension", "set_comprehension", "dictionary_comprehension", "string"]);
const SIZED_BUILDERS = new Set(["list", "tuple", "set", "dict", "sorted", "range", "frozenset"]);

/** Whether an iterable is known to be sized (`len()` works): a literal, a comprehension, `list(...)`, `range(...)`. */
export function isSized(model: PyModel, expr: PyNode): boolean {
  const value = model.valueOf(expr);
  if (SIZED_LITERALS.has(value.type)) return true;
  if (value.type === "call") {
    const callee = model.callee(value);
    return callee?.type === "identifier" && SIZED_BUILDERS.has(callee.text) && !model.imports.has(callee.text);
  }
  return false;
}

/** Whether the expression certainly is a generator/iterator (`(x for ...)`, `map(...)`, `zip(...)`, `iter(...)`). */
export function isGenerator(model: PyModel, expr: PyNode): boolean {
  const value = model.valueOf(expr);
  if (value.type === "generator_expression") return true;
  if (value.type === "call") {
    const callee = model.callee(value);
    if (callee?.type === "identifier" && ["map", "filter", "zip", "iter", "enumerate", "reversed"].includes(callee.text)) return true;
    const fn = callee?.type === "identifier" ? model.functionNamed(callee.text, callee) : undefined;
    if (fn) {
      let yields = false;
      walk(fn.body, (node) => {
        if (node.type === "function_definition" || node.type === "lambda") return false;
        if (node.type === "yield") yields = true;
        return !yields;
      });
      return yields;
    }
  }
  return false;
}

/** References (identifiers) to `name` in the scope it is bound in, other than the binding itself. */
export function referencesOf(model: PyModel, name: string, from: PyNode): PyNode[] {
  const scope = model.isModuleLevel(name, from) ? model.root : model.enclosingFunction(from)?.node ?? model.root;
  const out: PyNode[] = [];
  walk(scope, (node) => {
    if (node.type === "identifier" && node.text === name) out.push(node);
    return true;
  });
  return out;
}

/** Whether the thread bound at `threadCall` is joined in the function that starts it. */
export function isJoined(model: PyModel, threadCall: PyNode): boolean {
  const fn = model.enclosingFunction(threadCall);
  const scope = fn?.body ?? model.root;
  return model.callsIn(scope).some((call) => model.methodName(call) === "join" && model.positionalArgs(call).length === 0 && model.receiver(call)?.type === "identifier");
}

/** Whether a worker calls `get_current_run_tree()` itself (in the new thread, where it returns None). */
export function workerReadsRunTree(model: PyModel, worker: PyNode): PyNode | undefined {
  let body: PyNode | undefined;
  if (worker.type === "lambda") body = field(worker, "body");
  else {
    const fn: PyFunction | undefined = model.functionExpr(worker);
    body = fn?.body;
  }
  if (!body) return undefined;
  let found: PyNode | undefined;
  walk(body, (node) => {
    if (found || node.type === "function_definition") return false;
    if (node.type === "call" && model.is(model.callee(node), "getCurrentRunTree")) found = node;
    return !found;
  });
  return found;
}

/** The statement (a direct child of a block or the module) containing `node`. */
export function statementOf(node: PyNode): PyNode {
  let current = node;
  while (current.parent && current.parent.type !== "block" && current.parent.type !== "module") current = current.parent;
  return current;
}

/** `None` literal. */
export function isNone(node: PyNode | undefined): boolean {
  return node?.type === "none";
}

export function argumentList(call: PyNode): PyNode | undefined {
  return field(call, "arguments");
}

export function lastArgument(call: PyNode): PyNode | undefined {
  const args = argumentList(call);
  const list = args ? kids(args).filter((a) => a.type !== "comment") : [];
  return list[list.length - 1];
}
