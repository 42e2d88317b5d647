/**
 * How LangGraph graphs are run, as far as one file shows: a sync node of a graph run with `ainvoke`/`astream`
 * runs in an executor thread, where on Python < 3.11 LangGraph cannot set the node's config context (measured:
 * fixtures/python/runtime/py-pass-config-pre-311/graph-sync-node). Run with `invoke`, the same node nests.
 */
import type { PyFunction, PyModel } from "./model.js";
import type { PyNode } from "./parse.js";

const ASYNC_RUNS = new Set(["ainvoke", "astream", "astream_events", "astream_log", "abatch", "abatch_as_completed"]);

/** Whether `expr` is the builder named `builder`, or a graph made from it (`builder.compile().with_config(...)`). */
function madeFrom(model: PyModel, expr: PyNode, builder: string): boolean {
  let node: PyNode | undefined = expr;
  for (let depth = 0; node && depth < 12; depth++) {
    if (node.type === "identifier" && node.text === builder) return true;
    const value = model.valueOf(node);
    if (value.id !== node.id) {
      node = value;
      continue;
    }
    node = node.type === "call" ? model.receiver(node) : undefined;
  }
  return false;
}

/** Whether a sync function registered with `builder.add_node(...)` belongs to a graph this file runs asynchronously. */
export function syncNodeRunAsync(model: PyModel, fn: PyFunction): boolean {
  if (fn.isAsync) return false;
  const builders = new Set<string>();
  for (const call of model.allCalls()) {
    if (model.methodName(call) !== "add_node") continue;
    const args = model.positionalArgs(call);
    const target = args.length >= 2 ? args[1] : args[0];
    const receiver = model.receiver(call);
    if (target && receiver?.type === "identifier" && model.functionExpr(target)?.node.id === fn.node.id) builders.add(receiver.text);
  }
  if (builders.size === 0) return false;
  return model.allCalls().some((call) => {
    const method = model.methodName(call);
    const receiver = model.receiver(call);
    return method !== undefined && ASYNC_RUNS.has(method) && receiver !== undefined && [...builders].some((b) => madeFrom(model, receiver, b));
  });
}
