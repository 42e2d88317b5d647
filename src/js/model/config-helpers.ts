/**
 * Config helpers: functions, called from inside a runnable, tool or graph node, that start child runs of their own
 * (runnable method calls, traceable calls) without a RunnableConfig. Without AsyncLocalStorage those children split
 * unless the scope's config is threaded through the helper: a trailing `config` parameter, passed on to each of
 * those calls. This part answers which calls need it and whether the helper already has such a parameter; the
 * pass-runnable-config detector writes the edits (for an in-file helper, and for a helper exported to other files).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { enclosingFunction, unwrapExpression, type CallLike, type FunctionNode, type Node } from "./ast.js";
import type { ApiRef } from "./api.js";

/** What a helper needs to be given a config, as plain data other modules can read (no syntax nodes). */
export interface ConfigHelperFacts {
  /** The helper's number of parameters (a config goes after them, unless it has one already). */
  paramCount: number;
  /** Its existing trailing config parameter, when it has one. */
  configParamIndex?: number;
  /** The callees of the child runs it starts without a config, as written (for messages). */
  inner: string[];
}

export interface ConfigHelper {
  fn: FunctionNode;
  /** Runnable method calls with no config argument. */
  runnableCalls: TSESTree.CallExpression[];
  /** Traceable calls that hand no parent over. */
  traceableCalls: TSESTree.CallExpression[];
  /**
   * Calls of other config helpers that pass no config: in-file ones (`helper`, threaded through as well) and imported
   * ones (`index`: where the imported helper takes the config).
   */
  helperCalls: { call: TSESTree.CallExpression; helper?: ConfigHelper; index: number }[];
  /** An existing trailing parameter named like a config. */
  existing?: { name: string; index: number };
}

/** The parts of the model this needs. */
export interface ConfigHelperModel {
  readonly text: string;
  callsWithin(node: Node): CallLike[];
  runnableMethodCall(call: CallLike): string | undefined;
  traceableCall(call: CallLike): "traceable-fn" | "task-fn" | undefined;
  resolveApi(expr: Node | undefined | null): ApiRef | undefined;
  isGetCurrentRunTree(expr: Node): boolean;
  /** The in-file function a callee denotes (not an inline one), to follow helpers that call helpers. */
  resolveFunction(expr: Node | undefined | null): { fn: FunctionNode; inline: boolean } | undefined;
  tracedScopeOf(fn: FunctionNode): unknown;
  /** The config-helper facts of the imported project function a callee denotes. */
  importedFunctionFacts(callee: Node): { facts: { configHelper?: ConfigHelperFacts } } | undefined;
}

/** How many helpers deep a config is threaded (the scope's helper, and the helpers it calls in turn). */
const HELPER_DEPTH = 2;

export const CONFIG_PARAM = /^(config|runnableConfig|parentConfig)$/;
export const RUN_TREE_NAME = /config|runtree|^rt$|^parent(run)?$/i;

/**
 * `fn` as a config helper: undefined when a config cannot be threaded through it (a rest parameter, `arguments`) or
 * when it starts no child run and has no config parameter to pass on.
 */
export function configHelperOf(model: ConfigHelperModel, fn: FunctionNode, depth = 0, seen: Set<FunctionNode> = new Set()): ConfigHelper | undefined {
  if (fn.params.some((p) => p.type === "RestElement" || p.type === "TSParameterProperty")) return undefined;
  if (/\barguments\b/.test(model.text.slice(fn.body.range[0], fn.body.range[1]))) return undefined;
  const inner = model.callsWithin(fn).filter((c): c is TSESTree.CallExpression => c.type === "CallExpression" && enclosingFunction(c) === fn);
  const runnableCalls = inner.filter((c) => model.runnableMethodCall(c) && c.arguments.length < 2 && !c.arguments.some((a) => a.type === "SpreadElement"));
  const traceableCalls = inner.filter((c) => !model.runnableMethodCall(c) && model.traceableCall(c) === "traceable-fn" && !traceableHasParent(model, c));
  const last = fn.params[fn.params.length - 1];
  const lastName = last && (last.type === "Identifier" ? last.name : last.type === "AssignmentPattern" && last.left.type === "Identifier" ? last.left.name : undefined);
  const existing = lastName && CONFIG_PARAM.test(lastName) ? { name: lastName, index: fn.params.length - 1 } : undefined;
  const helperCalls: ConfigHelper["helperCalls"] = [];
  if (depth + 1 < HELPER_DEPTH) {
    seen.add(fn);
    for (const call of inner) {
      if (runnableCalls.includes(call) || traceableCalls.includes(call) || call.arguments.some((a) => a.type === "SpreadElement")) continue;
      const resolved = model.resolveFunction(call.callee);
      if (resolved) {
        if (resolved.inline || seen.has(resolved.fn) || model.tracedScopeOf(resolved.fn) || call.arguments.length > resolved.fn.params.length) continue;
        const helper = configHelperOf(model, resolved.fn, depth + 1, seen);
        // Only helpers that start child runs themselves (or through theirs): one that merely has a config parameter
        // may take something else there.
        if (!helper || helper.runnableCalls.length + helper.traceableCalls.length + helper.helperCalls.length === 0) continue;
        const index = helper.existing?.index ?? resolved.fn.params.length;
        if (call.arguments.length <= index) helperCalls.push({ call, helper, index });
        continue;
      }
      const facts = model.importedFunctionFacts(call.callee)?.facts.configHelper;
      if (!facts || facts.inner.length === 0) continue;
      const index = facts.configParamIndex ?? facts.paramCount;
      if (call.arguments.length <= index) helperCalls.push({ call, index });
    }
  }
  if (!existing && runnableCalls.length + traceableCalls.length + helperCalls.length === 0) return undefined;
  return { fn, runnableCalls, traceableCalls, helperCalls, existing };
}

/** A helper's facts for other modules. */
export function configHelperFacts(model: ConfigHelperModel, helper: ConfigHelper): ConfigHelperFacts {
  const calleeText = (c: TSESTree.CallExpression) => model.text.slice(c.callee.range[0], c.callee.range[1]);
  return {
    paramCount: helper.fn.params.length,
    configParamIndex: helper.existing?.index,
    inner: [...helper.runnableCalls, ...helper.traceableCalls, ...helper.helperCalls.map((h) => h.call)].map(calleeText),
  };
}

/** `isRunnableConfigLike(config) ? child(config, x) : child(x)`: a call that is one branch of our own guard. */
export function isGuardedBranch(model: ConfigHelperModel, call: TSESTree.CallExpression): boolean {
  let node: TSESTree.Node = call;
  while (node.parent && node.parent.type === "TSAsExpression") node = node.parent;
  const parent = node.parent;
  if (!parent || parent.type !== "ConditionalExpression" || parent.test === node) return false;
  const test = unwrapExpression(parent.test);
  return test.type === "CallExpression" && model.resolveApi(test.callee)?.name === "isRunnableConfigLike";
}

/** Whether a traceable call already hands a parent over (config, run tree, ROOT) or is a branch of our guard. */
export function traceableHasParent(model: ConfigHelperModel, call: TSESTree.CallExpression): boolean {
  if (isGuardedBranch(model, call)) return true;
  const first = call.arguments[0];
  if (!first) return false;
  if (first.type === "SpreadElement") return true;
  const arg = unwrapExpression(first);
  if (arg.type === "Identifier" && RUN_TREE_NAME.test(arg.name)) return true;
  if (model.resolveApi(arg)?.name === "ROOT") return true;
  return arg.type === "CallExpression" && model.isGetCurrentRunTree(arg.callee);
}
