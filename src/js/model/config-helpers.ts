/**
 * Config helpers: functions, called from inside a runnable, tool or graph node, that start child runs of their own
 * (runnable method calls, traceable calls) without a RunnableConfig. Without AsyncLocalStorage those children split
 * unless the scope's config is threaded through the helper: a trailing `config` parameter, passed on to each of
 * those calls. This part answers which calls need it and whether the helper already has such a parameter; the
 * pass-runnable-config detector writes the edits (for an in-file helper, and for a helper exported to other files).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { enclosingFunction, propertyKey, unwrapExpression, type CallLike, type FunctionNode, type Node } from "./ast.js";
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
  /** Runnable method calls given a fresh config literal (options without the parent's callbacks): spread into. */
  freshConfigCalls: { call: TSESTree.CallExpression; literal: TSESTree.ObjectExpression }[];
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
  // Calls in the helper's body, also inside the inline callbacks it makes (`items.map((x) => child.invoke(x))`): the
  // config parameter is in scope there too. Not inside a traced scope of its own (a RunnableLambda's function).
  const inner = model.callsWithin(fn).filter((c): c is TSESTree.CallExpression => c.type === "CallExpression" && reachesFromBody(model, c, fn));
  const runnableCalls = inner.filter((c) => model.runnableMethodCall(c) && c.arguments.length < 2 && !c.arguments.some((a) => a.type === "SpreadElement"));
  const freshConfigCalls: ConfigHelper["freshConfigCalls"] = [];
  for (const c of inner) {
    if (!model.runnableMethodCall(c) || c.arguments.length !== 2 || c.arguments[0].type === "SpreadElement") continue;
    const literal = unwrapExpression(c.arguments[1]);
    if (literal.type === "ObjectExpression" && literal.properties.length > 0 && literal.properties.every((p) => p.type === "Property" && propertyKey(p) !== "callbacks")) freshConfigCalls.push({ call: c, literal });
  }
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
        if (!helper || startsNothing(helper)) continue;
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
  if (!existing && runnableCalls.length + freshConfigCalls.length + traceableCalls.length + helperCalls.length === 0) return undefined;
  return { fn, runnableCalls, freshConfigCalls, traceableCalls, helperCalls, existing };
}

/** Whether `call` runs as part of `fn`'s body: directly, or inside inline functions there that are no traced scopes. */
function reachesFromBody(model: ConfigHelperModel, call: Node, fn: FunctionNode): boolean {
  for (let frame = enclosingFunction(call); frame; frame = enclosingFunction(frame)) {
    if (frame === fn) return true;
    if (frame.type === "FunctionDeclaration" || model.tracedScopeOf(frame)) return false;
  }
  return false;
}


/** The calls through which a helper starts child runs without the parent's config, in source order. */
export function childRunCalls(helper: ConfigHelper): TSESTree.CallExpression[] {
  return [...helper.runnableCalls, ...helper.freshConfigCalls.map((f) => f.call), ...helper.traceableCalls, ...helper.helperCalls.map((h) => h.call)].sort((a, b) => a.range[0] - b.range[0]);
}

/** Whether a helper starts no child run itself or through its helpers (it merely has a config parameter). */
export function startsNothing(helper: ConfigHelper): boolean {
  return childRunCalls(helper).length === 0;
}

/** A helper's facts for other modules. */
export function configHelperFacts(model: ConfigHelperModel, helper: ConfigHelper): ConfigHelperFacts {
  const calleeText = (c: TSESTree.CallExpression) => model.text.slice(c.callee.range[0], c.callee.range[1]);
  return {
    paramCount: helper.fn.params.length,
    configParamIndex: helper.existing?.index,
    inner: childRunCalls(helper).map(calleeText),
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
