/**
 * Config helpers: functions, called from inside a runnable, tool or graph node, that start child runs of their own
 * (runnable method calls, traceable calls) without a RunnableConfig. Without AsyncLocalStorage those children split
 * unless the scope's config is threaded through the helper: a trailing `config` parameter, passed on to each of
 * those calls. This part answers which calls need it and whether the helper already has such a parameter; the
 * pass-runnable-config detector writes the edits (for an in-file helper, and for a helper exported to other files).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { enclosingFunction, memberName, propertyKey, unwrapExpression, type CallLike, type FunctionNode, type Node } from "./ast.js";
import { isLanggraphModule } from "../apis.js";
import type { ApiRef } from "./api.js";
import type { MinimalVariable } from "../scope.js";
import type { ExportFacts, Value } from "./values.js";

/** What a helper needs to be given a config, as plain data other modules can read (no syntax nodes). */
export interface ConfigHelperFacts {
  /** The helper's number of parameters (a config goes after them, unless it has one already). */
  paramCount: number;
  /** Its existing config parameter, when it has one (a trailing one named like a config, or one it hands on). */
  configParamIndex?: number;
  /** The callees of the child runs it starts without a config, as written (for messages). */
  inner: string[];
  /**
   * Whether the config parameter is handed to child runs as their config (`model.invoke(messages, options)`): a
   * caller that passes none there, or a fresh options object without the parent's callbacks, splits them.
   */
  configPassedOn?: boolean;
  /**
   * The config is a property of an options parameter (`complete(prompt, { config, retries })`, read as
   * `options.config` or destructured): callers hand it over inside the object they pass there.
   */
  configProperty?: string;
}

export interface ConfigHelper {
  fn: FunctionNode;
  /** Runnable method calls with no config argument. */
  runnableCalls: TSESTree.CallExpression[];
  /**
   * Calls given a fresh config (options without the parent's callbacks) where a config goes: runnable method calls,
   * and calls of helpers that hand their config parameter on. The config is spread first: into the literal written
   * there (`literal`), or around the expression that makes one (`{ ...config, ...makeOptions(state) }`).
   */
  freshConfigCalls: FreshConfig[];
  /**
   * Runnable method calls whose config comes from `ensureConfig()` without an argument (also through `patchConfig`,
   * `mergeConfigs`, a spread or a local): without AsyncLocalStorage it finds no parent. `ensure` gets the config.
   */
  ambientConfigCalls: { call: TSESTree.CallExpression; ensure: TSESTree.CallExpression[] }[];
  /** Traceable calls that hand no parent over. */
  traceableCalls: TSESTree.CallExpression[];
  /**
   * Calls of other config helpers that pass no config: in-file ones (`helper`, threaded through as well) and imported
   * ones (`index`: where the imported helper takes the config).
   */
  helperCalls: { call: TSESTree.CallExpression; helper?: ConfigHelper; index: number; property?: string }[];
  /**
   * An existing config parameter: a trailing one named like a config, or one the helper hands to child runs as their
   * config (`passedOn`, whatever its name).
   */
  existing?: ExistingConfigParam;
}

/**
 * A helper's existing config parameter. With `property`, the parameter is an options object and the config is that
 * property of it (`{ config, retries }`); `name` is then how the helper's body reads it (a local, or `options?.config`).
 */
export interface ExistingConfigParam {
  name: string;
  index: number;
  passedOn?: boolean;
  property?: string;
  /** For `property`: the child runs given that config. */
  via?: TSESTree.CallExpression[];
}

/** A fresh config handed to `call` as `argument`: the literal itself when written there. */
export interface FreshConfig {
  call: TSESTree.CallExpression;
  argument: TSESTree.Expression;
  literal?: TSESTree.ObjectExpression;
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
  importedFunctionFacts(callee: Node): { facts: Pick<ExportFacts, "configHelper" | "returnsPlainOptions" | "returnsWithoutCallbacks" | "ignoredParams"> } | undefined;
  /** The returned expressions of each function. */
  readonly nodes: { returns: Map<FunctionNode, Node[]> };
  valuesOf(expr: Node | undefined | null): Value[];
  variableOf(id: TSESTree.Identifier): MinimalVariable | undefined;
  /** Facts the project index has about an imported value. */
  importFacts(value: Extract<Value, { type: "import" }>): Pick<ExportFacts, "plainOptions"> | undefined;
}

/** How many helpers deep a config is threaded (the scope's helper, and the helpers it calls in turn). */
const HELPER_DEPTH = 2;

/** Names that hold a RunnableConfig: parameters, and properties of an options object (`{ config }`). */
export const CONFIG_PARAM = /^(config|runnableConfig|parentConfig|runConfig|cfg)$/;
/** Names of an options parameter that may be the config itself (`opts.callbacks`). */
export const OPTIONS_PARAM = /^(options|opts)$/;
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
  const runnableCalls = inner.filter((c) => model.runnableMethodCall(c) && !c.arguments.some((a) => a.type === "SpreadElement") && !configArgument(c));
  const freshConfigCalls: FreshConfig[] = [];
  const ambientConfigCalls: ConfigHelper["ambientConfigCalls"] = [];
  for (const c of inner) {
    if (!model.runnableMethodCall(c) || c.arguments.length < 2 || !configArgument(c) || c.arguments[0].type === "SpreadElement" || c.arguments[1].type === "SpreadElement") continue;
    const fresh = freshConfigAt(model, c, 1);
    if (fresh) freshConfigCalls.push(fresh);
    const ensure = ambientEnsureConfigCalls(model, c.arguments[1]);
    if (ensure.length > 0) ambientConfigCalls.push({ call: c, ensure });
  }
  const traceableCalls = inner.filter((c) => !model.runnableMethodCall(c) && model.traceableCall(c) === "traceable-fn" && !traceableHasParent(model, c));
  const helperCalls: ConfigHelper["helperCalls"] = [];
  /** Where each helper this one calls takes a config it hands to child runs (for `passedOn`). */
  const passingIndex = new Map<TSESTree.CallExpression, number>();
  if (depth + 1 < HELPER_DEPTH) {
    seen.add(fn);
    for (const call of inner) {
      if (runnableCalls.includes(call) || traceableCalls.includes(call) || call.arguments.some((a) => a.type === "SpreadElement")) continue;
      const resolved = model.resolveFunction(call.callee);
      if (resolved) {
        if (resolved.inline || seen.has(resolved.fn) || model.tracedScopeOf(resolved.fn) || call.arguments.length > resolved.fn.params.length) continue;
        const helper = configHelperOf(model, resolved.fn, depth + 1, seen);
        // Only helpers that start child runs themselves (or through theirs), or hand their config parameter to child
        // runs: one that merely has a parameter named like a config may take something else there.
        if (!helper || (startsNothing(helper) && !helper.existing?.passedOn)) continue;
        const index = helper.existing?.index ?? resolved.fn.params.length;
        const property = helper.existing?.property;
        if (property) {
          if (lacksConfigProperty(model, call, index, property)) helperCalls.push({ call, helper, index, property });
          continue;
        }
        if (helper.existing?.passedOn) passingIndex.set(call, index);
        if (call.arguments.length <= index) helperCalls.push({ call, helper, index });
        else if (helper.existing?.passedOn) {
          const fresh = freshConfigAt(model, call, index);
          if (fresh) freshConfigCalls.push(fresh);
        }
        continue;
      }
      const facts = model.importedFunctionFacts(call.callee)?.facts.configHelper;
      if (!facts || (facts.inner.length === 0 && !facts.configPassedOn)) continue;
      const index = facts.configParamIndex ?? facts.paramCount;
      if (facts.configProperty) {
        if (lacksConfigProperty(model, call, index, facts.configProperty)) helperCalls.push({ call, index, property: facts.configProperty });
        continue;
      }
      if (facts.configPassedOn) passingIndex.set(call, index);
      if (call.arguments.length <= index) helperCalls.push({ call, index });
      else if (facts.configPassedOn) {
        const fresh = freshConfigAt(model, call, index);
        if (fresh) freshConfigCalls.push(fresh);
      }
    }
  }
  const existing = existingConfigParam(model, fn, inner, passingIndex);
  if (!existing && runnableCalls.length + freshConfigCalls.length + ambientConfigCalls.length + traceableCalls.length + helperCalls.length === 0) return undefined;
  return { fn, runnableCalls, freshConfigCalls, ambientConfigCalls, traceableCalls, helperCalls, existing };
}

/**
 * The helper's config parameter: the trailing one named like a config, or else one it hands to child runs as their
 * config, as it is (`model.invoke(messages, options)`) or spread into a literal there (`{ ...options, runName }`).
 */
function existingConfigParam(model: ConfigHelperModel, fn: FunctionNode, inner: TSESTree.CallExpression[], passingIndex: Map<TSESTree.CallExpression, number>): ConfigHelper["existing"] {
  const names = fn.params.map((p) => (p.type === "Identifier" ? p : p.type === "AssignmentPattern" && p.left.type === "Identifier" ? p.left : undefined));
  const passedOn = (id: TSESTree.Identifier | undefined): boolean => {
    const variable = id && model.variableOf(id);
    if (!variable) return false;
    const carries = (arg: TSESTree.Node | undefined): boolean => {
      if (!arg || arg.type === "SpreadElement") return false;
      const expr = unwrapExpression(arg);
      if (expr.type === "Identifier") return model.variableOf(expr) === variable;
      return expr.type === "ObjectExpression" && expr.properties.some((p) => p.type === "SpreadElement" && carries(p.argument));
    };
    return inner.some((c) => {
      const index = model.runnableMethodCall(c) ? 1 : passingIndex.get(c);
      return index !== undefined && carries(c.arguments[index]);
    });
  };
  const last = names[names.length - 1];
  if (last && CONFIG_PARAM.test(last.name)) return { name: last.name, index: names.length - 1, passedOn: passedOn(last) };
  const index = names.findIndex((id) => passedOn(id));
  if (index >= 0) return { name: names[index]!.name, index, passedOn: true };
  return optionsConfigParam(model, fn, inner, passingIndex);
}

/**
 * A config read from a property of an options parameter and handed to child runs as their config: `function
 * complete(prompt, { config, retries } = {})`, `const { config } = options`, or `options.config` / `options?.config`
 * written at the child's call.
 */
function optionsConfigParam(model: ConfigHelperModel, fn: FunctionNode, inner: TSESTree.CallExpression[], passingIndex: Map<TSESTree.CallExpression, number>): ExistingConfigParam | undefined {
  // What each config argument reads, through a spread into a literal (`{ ...config, runName }`).
  const read = (expr: Node): Node[] => (expr.type === "ObjectExpression" ? expr.properties.flatMap((p) => (p.type === "SpreadElement" ? read(unwrapExpression(p.argument)) : [])) : [expr]);
  const readBy = new Map<Node, TSESTree.CallExpression>();
  for (const c of inner) {
    const at = model.runnableMethodCall(c) ? 1 : passingIndex.get(c);
    const arg = at === undefined ? undefined : c.arguments[at];
    if (arg && arg.type !== "SpreadElement") for (const r of read(unwrapExpression(arg))) readBy.set(r, c);
  }
  // The `callbacks` a child's config literal is given (`batch(items, { callbacks, maxConcurrency })`).
  const callbacksBy = new Map<Node, TSESTree.CallExpression>();
  for (const c of inner) {
    const at = model.runnableMethodCall(c) ? 1 : passingIndex.get(c);
    const arg = at === undefined ? undefined : c.arguments[at];
    const literal = arg && arg.type !== "SpreadElement" ? unwrapExpression(arg) : undefined;
    if (literal?.type !== "ObjectExpression") continue;
    for (const p of literal.properties) if (p.type === "Property" && !p.computed && propertyKey(p) === "callbacks") callbacksBy.set(unwrapExpression(p.value as Node), c);
  }
  const reads = [...readBy.keys()];
  const via = (variableOrNode: MinimalVariable | Node) => [...new Set(reads.filter((r) => r === variableOrNode || (r.type === "Identifier" && model.variableOf(r) === variableOrNode)).map((r) => readBy.get(r)!))];
  for (const [index, raw] of fn.params.entries()) {
    const param = raw.type === "AssignmentPattern" ? raw.left : raw;
    if (param.type === "ObjectPattern") {
      for (const p of param.properties) {
        if (p.type !== "Property" || p.computed) continue;
        const key = propertyKey(p);
        const value = p.value.type === "AssignmentPattern" ? p.value.left : p.value;
        if (!key || !CONFIG_PARAM.test(key) || value.type !== "Identifier") continue;
        const variable = model.variableOf(value);
        if (variable && reads.some((r) => r.type === "Identifier" && model.variableOf(r) === variable)) return { name: value.name, index, passedOn: true, property: key, via: via(variable) };
      }
      // The rest of the options handed on as the child's config (`{ attempts = 3, ...config } = {}`, `invoke(input,
      // config)`): the argument is the config, with the helper's own keys besides.
      const rest = param.properties.find((p): p is TSESTree.RestElement => p.type === "RestElement");
      const restVariable = rest && rest.argument.type === "Identifier" ? model.variableOf(rest.argument) : undefined;
      if (rest && restVariable && reads.some((r) => r.type === "Identifier" && model.variableOf(r) === restVariable)) return { name: (rest.argument as TSESTree.Identifier).name, index, passedOn: true, via: via(restVariable) };
      // Options that are a config in part (`{ callbacks, maxConcurrency } = {}` whose `callbacks` a child's config
      // literal is given): the caller's config is what to pass there.
      for (const p of param.properties) {
        if (p.type !== "Property" || p.computed || propertyKey(p) !== "callbacks") continue;
        const value = p.value.type === "AssignmentPattern" ? p.value.left : p.value;
        const variable = value.type === "Identifier" ? model.variableOf(value) : undefined;
        const calls = variable ? [...callbacksBy].filter(([r]) => r.type === "Identifier" && model.variableOf(r) === variable).map(([, c]) => c) : [];
        if (calls.length > 0) return { name: "callbacks", index, passedOn: true, via: [...new Set(calls)] };
      }
      continue;
    }
    if (param.type !== "Identifier") continue;
    const options = model.variableOf(param);
    if (!options) continue;
    const isOptions = (expr: Node | null | undefined): boolean => {
      const e = expr && unwrapExpression(expr);
      return !!e && e.type === "Identifier" && model.variableOf(e) === options;
    };
    for (const r of reads) {
      // `options.config` / `options?.config` at the call.
      if (r.type === "MemberExpression" && !r.computed && r.property.type === "Identifier" && CONFIG_PARAM.test(r.property.name) && isOptions(r.object)) {
        return { name: model.text.slice(r.range[0], r.range[1]), index, passedOn: true, property: r.property.name, via: via(r) };
      }
      // A local destructured from the options: `const { config } = options`.
      if (r.type !== "Identifier") continue;
      const def = model.variableOf(r)?.defs[0];
      const declarator = def?.node as Node | undefined;
      if (!def || def.type !== "Variable" || declarator?.type !== "VariableDeclarator" || declarator.id.type !== "ObjectPattern" || !isOptions(declarator.init)) continue;
      const prop = declarator.id.properties.find((p): p is TSESTree.Property => p.type === "Property" && !p.computed && (p.value.type === "AssignmentPattern" ? p.value.left : p.value) === def.name);
      const key = prop && propertyKey(prop);
      if (key && CONFIG_PARAM.test(key)) return { name: r.name, index, passedOn: true, property: key, via: via(model.variableOf(r)!) };
    }
  }
  return undefined;
}

/**
 * Whether a call of a helper that takes its config as property `property` of argument `index` hands none over: no
 * argument there, or an object literal without that property (and no spread that might hold it).
 */
export function lacksConfigProperty(model: ConfigHelperModel, call: TSESTree.CallExpression, index: number, property: string): boolean {
  if (call.arguments.slice(0, index + 1).some((a) => a.type === "SpreadElement")) return false;
  const arg = call.arguments[index];
  if (!arg || isNothing(arg)) return true;
  const literal = unwrapExpression(arg);
  if (literal.type === "Identifier") return heldOptionsLack(model, literal, property);
  return literal.type === "ObjectExpression" && literal.properties.every((p) => p.type === "Property" && propertyKey(p) !== property);
}

/**
 * Options held in a `const` (`const opts = { keyId, retries }; authenticate(cmd, opts)`): a literal without spreads
 * that lacks `property`, and that no code gives one later (`opts.config = ...`).
 */
function heldOptionsLack(model: ConfigHelperModel, id: TSESTree.Identifier, property: string): boolean {
  const variable = model.variableOf(id);
  const declarator = variable?.defs[0]?.node as Node | undefined;
  if (!variable || variable.defs.length !== 1 || declarator?.type !== "VariableDeclarator" || declarator.parent?.type !== "VariableDeclaration" || declarator.parent.kind !== "const" || !declarator.init) return false;
  const init = unwrapExpression(declarator.init);
  if (init.type !== "ObjectExpression" || !init.properties.every((p) => p.type === "Property" && propertyKey(p) !== property)) return false;
  return variable.references.every((reference) => {
    const use = reference.identifier as Node;
    const member = use.parent;
    if (member?.type !== "MemberExpression" || member.object !== use) return true;
    const write = member.parent;
    return !(write?.type === "AssignmentExpression" && write.left === member) && !(write?.type === "CallExpression" && write.callee === member);
  });
}

/**
 * The fresh config `call` is given as argument `index`: every value it may hold an object without the parent's
 * callbacks (a literal of plain options, what an in-file or project function returns that builds one).
 */
export function freshConfigAt(model: ConfigHelperModel, call: TSESTree.CallExpression, index: number): FreshConfig | undefined {
  const arg = call.arguments[index];
  if (!arg || arg.type === "SpreadElement") return undefined;
  const argument = unwrapExpression(arg) as TSESTree.Expression;
  if (argument.type === "ObjectExpression") {
    // Written here: the parent's config goes first in it (an empty literal becomes `{ ...config }`).
    return isFreshObject(model, argument) ? { call, argument: arg, literal: argument } : undefined;
  }
  return isFreshConfig(model, argument) ? { call, argument: arg } : undefined;
}

/** Whether every value `expr` may hold is a fresh object without the parent's callbacks. */
export function isFreshConfig(model: ConfigHelperModel, expr: Node, depth = 0): boolean {
  const values = model.valuesOf(expr);
  return values.length > 0 && values.every((v) => (v.type === "object" && isFreshObject(model, v.node)) || (v.type === "import" && model.importFacts(v)?.plainOptions === true) || (v.type === "call" && (model.importedFunctionFacts(v.node.callee)?.facts.returnsPlainOptions === true || (depth < 2 && patchesFreshConfig(model, v.node, depth)))));
}

/**
 * `patchConfig(base, patch)` / `mergeConfigs(base, patch)` of `@langchain/core` on a base without the parent's
 * callbacks (`patchConfig(BASE_OPTIONS, { runName })` with a module-level literal of options), the patch setting no
 * callbacks either: a fresh config.
 */
function patchesFreshConfig(model: ConfigHelperModel, call: CallLike, depth: number): boolean {
  if (call.type !== "CallExpression" || !isCoreApi(model, call.callee, CONFIG_BUILDERS)) return false;
  const [base, ...patches] = call.arguments;
  if (!base || base.type === "SpreadElement" || patches.some((p) => p.type === "SpreadElement")) return false;
  const noCallbacks = (patch: Node) => {
    const values = model.valuesOf(patch);
    return values.length > 0 && values.every((v) => v.type === "object" && isPlainOptions(v.node));
  };
  return isFreshConfig(model, base, depth + 1) && patches.every((p) => noCallbacks(p));
}

/** An object literal without `callbacks` whose spreads are plain options themselves. */
function isFreshObject(model: ConfigHelperModel, literal: TSESTree.ObjectExpression): boolean {
  return literal.properties.every((p) => (p.type === "Property" ? propertyKey(p) !== "callbacks" : spreadsPlainOptions(model, p.argument)));
}

/**
 * Whether a config expression clears the parent's callbacks: every object it may hold (written at the call, held in a
 * local, or returned by a function that rebuilds the config, `quiet(config)` for `(c) => ({ ...c, callbacks:
 * undefined })`) sets `callbacks` to nothing (`undefined`, `null`, `[]`) after everything it spreads. Without
 * AsyncLocalStorage the callbacks are the child's only link to the parent run, so the child starts its own trace,
 * whatever else the object carries over. Gives the objects, or undefined when some value may keep the callbacks.
 */
export function clearedCallbacks(model: ConfigHelperModel, expr: Node): TSESTree.ObjectExpression[] | undefined {
  const values = model.valuesOf(expr);
  const strips = (v: Value): boolean => {
    if (v.type === "object") return clearsCallbacks(v.node);
    if (v.type !== "call" || v.node.type !== "CallExpression") return false;
    const call = v.node;
    // A function given the scope's config where it never reads it (`stepConfig(step, config)` returning `step.config`).
    const dropsConfig = (ignored: readonly number[] | undefined) => !!ignored && call.arguments.some((a, i) => ignored.includes(i) && isConfigParameter(model, a));
    // A function that hands the config back without its callbacks (`sanitize(config)`), of this file or imported.
    const own = model.resolveFunction(call.callee);
    if (own) return !own.inline && (stripsCallbacks(model, own.fn) || dropsConfig(ignoredParamsOf(model, own.fn)));
    const facts = model.importedFunctionFacts(call.callee)?.facts;
    return facts?.returnsWithoutCallbacks === true || dropsConfig(facts?.ignoredParams);
  };
  // A call of such a function of this file, written there or held by a local: value flow looks through it.
  let written = unwrapExpression(expr);
  if (written.type === "Identifier") {
    const definition = model.variableOf(written)?.defs[0]?.node as Node | undefined;
    if (definition && definition.type === "VariableDeclarator" && definition.id.type === "Identifier" && definition.init && definition.parent?.type === "VariableDeclaration" && definition.parent.kind === "const") written = unwrapExpression(definition.init);
  }
  if (written.type === "CallExpression") {
    const own = model.resolveFunction(written.callee);
    if (own && !own.inline && stripsCallbacks(model, own.fn)) return [];
  }
  if (values.length === 0 || !values.every(strips)) return undefined;
  return values.flatMap((v) => (v.type === "object" ? [v.node] : []));
}

/**
 * Whether every value `fn` returns is a config without its callbacks: the rest of an object pattern that takes
 * `callbacks` out (`const { callbacks, signal, ...plain } = config; return plain`), or a literal that clears them.
 */
export function stripsCallbacks(model: ConfigHelperModel, fn: FunctionNode): boolean {
  if (fn.generator || fn.async) return false;
  const returned = model.nodes.returns.get(fn) ?? [];
  return (
    returned.length > 0 &&
    returned.every((r) => {
      const value = unwrapExpression(r);
      if (value.type === "ObjectExpression") return clearsCallbacks(value) || copiesPickedKeys(model, fn, value) || copiesNamedKeys(model, fn, value);
      if (value.type !== "Identifier") return false;
      if (pickedSource(model, value)) return true;
      const definition = model.variableOf(value)?.defs[0]?.name as Node | undefined;
      const rest = definition?.parent;
      const pattern = rest?.parent;
      return rest?.type === "RestElement" && pattern?.type === "ObjectPattern" && pattern.properties.some((p) => p.type === "Property" && propertyKey(p) === "callbacks");
    })
  );
}

/**
 * A returned literal that copies a picked copy (`{ ...out, ...extra }`, see {@link pickedSource}) and writes no
 * `callbacks`: its other spreads are parameters other than the object the keys were picked from (options the caller
 * adds, `forwardOptions(config, { metadata })`).
 */
function copiesPickedKeys(model: ConfigHelperModel, fn: FunctionNode, literal: TSESTree.ObjectExpression): boolean {
  const sources = new Set<MinimalVariable>();
  const params: MinimalVariable[] = [];
  for (const p of literal.properties) {
    if (p.type === "Property") {
      if (propertyKey(p) === "callbacks") return false;
      continue;
    }
    const spread = unwrapExpression(p.argument);
    if (spread.type !== "Identifier") return false;
    const source = pickedSource(model, spread);
    if (source) {
      sources.add(source);
      continue;
    }
    const variable = model.variableOf(spread);
    if (!variable || variable.defs[0]?.type !== "Parameter" || !isParamOf(fn, variable)) return false;
    params.push(variable);
  }
  return sources.size > 0 && params.every((v) => !sources.has(v));
}

/**
 * A returned literal built from named keys of one parameter, without `callbacks` (`const { tags, metadata,
 * configurable } = config ?? {}; return { tags, metadata, configurable, ...extra }`, or `{ tags: config.tags }`): its
 * other spreads are other parameters (options the caller adds). The parent's callbacks are left behind.
 */
function copiesNamedKeys(model: ConfigHelperModel, fn: FunctionNode, literal: TSESTree.ObjectExpression): boolean {
  let source: MinimalVariable | undefined;
  const others: MinimalVariable[] = [];
  const param = (node: Node): MinimalVariable | undefined => {
    const id = unwrapExpression(node);
    const variable = id.type === "Identifier" ? model.variableOf(id) : undefined;
    return variable && variable.defs[0]?.type === "Parameter" && isParamOf(fn, variable) ? variable : undefined;
  };
  // The parameter a property's value is read from: `config.tags`, or a name destructured from `config` (`?? {}`).
  const readFrom = (node: Node): MinimalVariable | undefined => {
    const value = unwrapExpression(node);
    if (value.type === "MemberExpression" && !value.computed) return memberName(value) === "callbacks" ? undefined : param(value.object);
    if (value.type !== "Identifier") return undefined;
    const variable = model.variableOf(value);
    const declarator = variable?.defs[0]?.node as Node | undefined;
    const name = variable?.defs[0]?.name as Node | undefined;
    if (!variable || declarator?.type !== "VariableDeclarator" || declarator.id.type !== "ObjectPattern" || !declarator.init || !name) return undefined;
    const property = name.parent;
    if (property?.type !== "Property" || property.parent !== declarator.id || propertyKey(property) === "callbacks") return undefined;
    let init = unwrapExpression(declarator.init);
    if (init.type === "LogicalExpression" && (init.operator === "??" || init.operator === "||") && unwrapExpression(init.right).type === "ObjectExpression") init = unwrapExpression(init.left);
    return param(init);
  };
  for (const p of literal.properties) {
    if (p.type === "SpreadElement") {
      const other = param(p.argument);
      if (!other) return false;
      others.push(other);
      continue;
    }
    if (propertyKey(p) === "callbacks") return false;
    const from = readFrom(p.value as Node);
    if (!from) continue;
    if (source && source !== from) return false;
    source = from;
  }
  return !!source && !others.includes(source);
}

/** The parameters (plain names) `fn`'s body never reads. */
export function ignoredParamsOf(model: Pick<ConfigHelperModel, "variableOf">, fn: FunctionNode): number[] {
  return fn.params.flatMap((p, i) => {
    const id = p.type === "AssignmentPattern" ? p.left : p;
    if (id.type !== "Identifier") return [];
    const variable = model.variableOf(id);
    return variable && variable.references.every((r) => (r as { init?: boolean }).init) ? [i] : [];
  });
}

/** A parameter named like a config (`config`, `parentConfig`, `runConfig`): the scope's own, handed on. */
function isConfigParameter(model: ConfigHelperModel, arg: Node): boolean {
  const id = unwrapExpression(arg);
  return id.type === "Identifier" && /config$/i.test(id.name) && model.variableOf(id)?.defs[0]?.type === "Parameter";
}

function isParamOf(fn: FunctionNode, variable: MinimalVariable): boolean {
  const name = variable.defs[0]?.name as Node | undefined;
  return !!name && fn.params.some((p) => p.range[0] <= name.range[0] && name.range[1] <= p.range[1]);
}

/**
 * A copy that keeps only a list of keys and not `callbacks`: a local that starts as `{}` and is written only as
 * `out[k] = source[k]` in a loop over a literal list of keys without `"callbacks"` (`for (const k of KEYS)`,
 * `KEYS.forEach((k) => ...)`), or as `out.name = ...` for another name. Gives the variable the keys are read from.
 */
function pickedSource(model: ConfigHelperModel, id: TSESTree.Identifier): MinimalVariable | undefined {
  const variable = model.variableOf(id);
  const declarator = variable?.defs[0]?.node as Node | undefined;
  if (!variable || variable.defs.length !== 1 || declarator?.type !== "VariableDeclarator" || !declarator.init) return undefined;
  const init = unwrapExpression(declarator.init);
  if (init.type !== "ObjectExpression" || init.properties.length > 0) return undefined;
  let source: MinimalVariable | undefined;
  for (const reference of variable.references) {
    const use = reference.identifier as Node;
    if (use === declarator.id) continue;
    const member = use.parent;
    if (member?.type !== "MemberExpression" || member.object !== use) {
      // Read as a whole: returned, spread, handed on. Not written again.
      if (member?.type === "AssignmentExpression" && member.left === use) return undefined;
      continue;
    }
    const write = member.parent;
    if (write?.type === "CallExpression" && write.callee === member) return undefined;
    if (!(write?.type === "AssignmentExpression" && write.left === member)) continue;
    if (!member.computed) {
      if (member.property.type !== "Identifier" || member.property.name === "callbacks") return undefined;
      continue;
    }
    // `out[k] = source[k]` with `k` looping over a list of keys.
    const key = member.property;
    const read = unwrapExpression(write.right);
    if (key.type !== "Identifier" || read.type !== "MemberExpression" || !read.computed || read.property.type !== "Identifier" || read.property.name !== key.name || read.object.type !== "Identifier") return undefined;
    const from = model.variableOf(read.object);
    if (!from || (source && source !== from) || !loopsOverKeysWithoutCallbacks(model, key)) return undefined;
    source = from;
  }
  return source;
}

/** Whether `key` is the variable of a loop over a literal list of string keys that lacks `"callbacks"`. */
function loopsOverKeysWithoutCallbacks(model: ConfigHelperModel, key: TSESTree.Identifier): boolean {
  const variable = model.variableOf(key);
  const name = variable?.defs[0]?.name as Node | undefined;
  if (!variable || !name) return false;
  let list: Node | undefined;
  const declaration = name.parent?.parent;
  if (name.parent?.type === "VariableDeclarator" && declaration?.type === "VariableDeclaration" && declaration.parent?.type === "ForOfStatement" && declaration.parent.left === declaration) list = declaration.parent.right;
  const callback = name.parent;
  if (variable.defs[0]?.type === "Parameter" && callback && (callback.type === "ArrowFunctionExpression" || callback.type === "FunctionExpression") && callback.params[0] === name) {
    const call = callback.parent;
    if (call?.type === "CallExpression" && call.arguments[0] === callback && call.callee.type === "MemberExpression" && !call.callee.computed && call.callee.property.type === "Identifier" && call.callee.property.name === "forEach") list = call.callee.object;
  }
  if (!list) return false;
  const values = model.valuesOf(list);
  return values.length > 0 && values.every((v) => v.type === "array" && v.node.type === "ArrayExpression" && v.node.elements.length > 0 && v.node.elements.every((e) => e?.type === "Literal" && typeof e.value === "string" && e.value !== "callbacks"));
}

/** An object literal whose last word on `callbacks` is an empty value, with no spread after it. */
function clearsCallbacks(literal: TSESTree.ObjectExpression): boolean {
  const props = literal.properties;
  const last = props.findLastIndex((p) => p.type === "Property" && propertyKey(p) === "callbacks");
  if (last < 0 || props.slice(last + 1).some((p) => p.type === "SpreadElement")) return false;
  const value = unwrapExpression((props[last] as TSESTree.Property).value);
  if (value.type === "Identifier") return value.name === "undefined";
  if (value.type === "Literal") return value.value === null;
  if (value.type === "ArrayExpression") return value.elements.length === 0;
  return value.type === "UnaryExpression" && value.operator === "void";
}

/** Whether every value a spread argument may hold is an object literal without spreads or `callbacks`. */
export function spreadsPlainOptions(model: ConfigHelperModel, argument: Node): boolean {
  // A parameter holds what the callers pass, which may be (or, once they are fixed, is) the parent's config.
  const spread = unwrapExpression(argument);
  if (spread.type === "Identifier" && model.variableOf(spread)?.defs[0]?.type === "Parameter") return false;
  const values = model.valuesOf(argument);
  // An object literal of this file, or one another module of the project exports (`import { LLM_DEFAULTS }`).
  return values.length > 0 && values.every((v) => (v.type === "object" && isPlainOptions(v.node)) || (v.type === "import" && model.importFacts(v)?.plainOptions === true));
}

/** An object literal of plain options: no spreads, no `callbacks` (a config's defaults, `{ tags, metadata }`). */
export function isPlainOptions(literal: TSESTree.ObjectExpression): boolean {
  return literal.properties.every((p) => p.type === "Property" && propertyKey(p) !== "callbacks");
}

/** The config helpers of `@langchain/core` that build on the config they are given first. */
const CONFIG_BUILDERS = new Set(["patchConfig", "mergeConfigs"]);

export function isCoreApi(model: ConfigHelperModel, callee: Node, name: string | Set<string>): boolean {
  const api = model.resolveApi(callee);
  return !!api && api.module.startsWith("@langchain/core") && (typeof name === "string" ? api.name === name : name.has(api.name));
}

/**
 * The `ensureConfig()` calls without an argument (and LangGraph `getConfig()` calls) a config expression is built from: directly, through
 * `patchConfig`/`mergeConfigs`, a spread in a literal, or a local holding one. Without AsyncLocalStorage each finds no
 * config, so the child run it configures starts its own trace; given the parent's config it nests.
 */
export function ambientEnsureConfigCalls(model: ConfigHelperModel, config: Node, depth = 0): TSESTree.CallExpression[] {
  if (depth > 4) return [];
  const expr = unwrapExpression(config);
  if (expr.type === "Identifier") {
    return model.valuesOf(expr).flatMap((v) => (v.type === "call" || v.type === "object" ? ambientEnsureConfigCalls(model, v.node, depth + 1) : []));
  }
  if (expr.type === "ObjectExpression") return expr.properties.flatMap((p) => (p.type === "SpreadElement" ? ambientEnsureConfigCalls(model, p.argument, depth + 1) : []));
  if (expr.type !== "CallExpression") return [];
  if (isCoreApi(model, expr.callee, "ensureConfig")) return expr.arguments.length === 0 ? [expr] : [];
  // LangGraph's `getConfig()` reads the node's config from AsyncLocalStorage only (without it: `undefined`).
  if (isAmbientGetConfig(model, expr)) return [expr];
  if (isCoreApi(model, expr.callee, CONFIG_BUILDERS)) return expr.arguments.flatMap((a) => (a.type === "SpreadElement" ? [] : ambientEnsureConfigCalls(model, a, depth + 1)));
  return [];
}

/** `getConfig()` of `@langchain/langgraph` (any entry point), which takes no argument: the fix writes the config in its place. */
export function isAmbientGetConfig(model: ConfigHelperModel, call: TSESTree.CallExpression): boolean {
  const api = model.resolveApi(call.callee);
  return !!api && api.name === "getConfig" && isLanggraphModule(api.module) && call.arguments.length === 0;
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
  const calls = [...helper.runnableCalls, ...helper.freshConfigCalls.map((f) => f.call), ...helper.ambientConfigCalls.map((a) => a.call), ...helper.traceableCalls, ...helper.helperCalls.map((h) => h.call)];
  return [...new Set(calls)].sort((a, b) => a.range[0] - b.range[0]);
}

/**
 * The config argument of a runnable method call (its second), unless it passes none: missing, or written as nothing
 * (`undefined`, `void 0`, `null`: `batch(items, undefined, { maxConcurrency: 2 })`).
 */
export function configArgument(call: TSESTree.CallExpression): TSESTree.CallExpressionArgument | undefined {
  const arg = call.arguments[1];
  return arg && !isNothing(arg) ? arg : undefined;
}

/** `undefined`, `void 0` or `null`, written as such. */
export function isNothing(node: Node): boolean {
  const value = unwrapExpression(node);
  if (value.type === "Identifier") return value.name === "undefined";
  if (value.type === "Literal") return value.value === null && !("regex" in value);
  return value.type === "UnaryExpression" && value.operator === "void";
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
    inner: (childRunCalls(helper).length > 0 ? childRunCalls(helper) : (helper.existing?.via ?? [])).map(calleeText),
    ...(helper.existing?.passedOn ? { configPassedOn: true } : {}),
    ...(helper.existing?.property ? { configProperty: helper.existing.property } : {}),
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
