/**
 * Run trees passed explicitly: which traceables declare a `RunTree` as their first parameter (so that calling them
 * as `child(runTree, x)` hands over the parent without shifting their own arguments, ground truth §4), which
 * function a traceable wraps, and where the file calls a given traceable.
 *
 * langsmith hands the child RunTree to the wrapped function as its first argument when the call's first argument
 * is a RunTree or `ROOT`. A function written `async (x) => ...` then receives `x = RunTree`: only a function that
 * declares the run tree first may be called that way.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { isFunctionNode, unwrapExpression, type FileNodes, type FunctionNode, type Node } from "./ast.js";
import type { ApiResolver } from "./api.js";
import type { ExportFacts, ValueFlow } from "./values.js";

/** Parameter names that mean "the parent run tree" when the parameter is untyped (JavaScript). */
const RUN_TREE_PARAM = /^(rt|runTree|run_tree|parentRun|parentRunTree|parentRt)$/;

/** The name of `fn`'s first parameter when it declares a run tree (typed `RunTree`, or named like one). */
export function runTreeParamName(fn: FunctionNode): string | undefined {
  let first: Node | undefined = fn.params[0];
  if (!first) return undefined;
  if (first.type === "AssignmentPattern") first = first.left;
  if (first.type !== "Identifier") return undefined;
  const annotation = first.typeAnnotation?.typeAnnotation;
  if (annotation) {
    if (annotation.type === "TSTypeReference") {
      const typeName = annotation.typeName.type === "Identifier" ? annotation.typeName.name : annotation.typeName.type === "TSQualifiedName" ? annotation.typeName.right.name : undefined;
      if (typeName === "RunTree") return first.name;
    }
    return undefined; // typed as something else: a typed parameter that is not a run tree
  }
  return RUN_TREE_PARAM.test(first.name) ? first.name : undefined;
}

export class RunTrees {
  constructor(
    private readonly nodes: FileNodes,
    private readonly apis: ApiResolver,
    private readonly values: ValueFlow,
  ) {}

  /** The `traceable(fn, ...)` call a callee denotes in this file, when it denotes exactly one. */
  traceableCallOf(callee: Node): TSESTree.CallExpression | undefined {
    const node = unwrapExpression(callee);
    if (node.type === "CallExpression" && this.apis.isTraceableFactory(node.callee)) return node;
    const values = this.values.valuesOf(node);
    if (values.length !== 1) return undefined;
    const value = values[0];
    if (value.type === "call" && this.apis.isTraceableFactory(value.node.callee)) return value.node;
    return undefined;
  }

  /** The function a `traceable(...)` call wraps, when the file shows it. */
  wrappedFunction(traceableCall: TSESTree.CallExpression): FunctionNode | undefined {
    const arg = traceableCall.arguments[0];
    if (!arg || arg.type === "SpreadElement") return undefined;
    const node = unwrapExpression(arg);
    if (isFunctionNode(node)) return node;
    const values = this.values.valuesOf(node);
    return values.length === 1 && values[0].type === "function" ? values[0].fn : undefined;
  }

  /** The `traceable(...)` call that wraps `fn` in this file. */
  traceableCallWrapping(fn: FunctionNode): TSESTree.CallExpression | undefined {
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression" || !this.apis.isTraceableFactory(call.callee)) continue;
      if (this.wrappedFunction(call) === fn) return call;
    }
    return undefined;
  }

  /**
   * Whether the traceable a call invokes declares a run tree first: `yes` / `no` when this file or (through the
   * project index) the module it is imported from shows the wrapped function, `unknown` otherwise.
   */
  declaresRunTree(call: TSESTree.CallExpression): "yes" | "no" | "unknown" {
    const traceableCall = this.traceableCallOf(call.callee);
    if (traceableCall) {
      const fn = this.wrappedFunction(traceableCall);
      if (!fn) return "unknown";
      return runTreeParamName(fn) ? "yes" : "no";
    }
    const values = this.values.valuesOf(unwrapExpression(call.callee));
    if (values.length === 1 && values[0].type === "import") {
      const facts: ExportFacts | undefined = this.values.importFacts(values[0]);
      if (facts?.runTreeFirst !== undefined) return facts.runTreeFirst ? "yes" : "no";
    }
    return "unknown";
  }

  /** Every call in the file of the traceable made by `traceableCall`. */
  callsOf(traceableCall: TSESTree.CallExpression): TSESTree.CallExpression[] {
    const out: TSESTree.CallExpression[] = [];
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression" || call === traceableCall) continue;
      if (this.traceableCallOf(call.callee) === traceableCall && unwrapExpression(call.callee) !== traceableCall) out.push(call);
    }
    return out;
  }
}
