/**
 * pass-runnable-config: inside a runnable / tool / graph node / entrypoint, a child runnable or traceable called
 * without the parent's RunnableConfig. Without AsyncLocalStorage (browsers, `/web` builds, core-only Node) the
 * config is the only way LangChain finds the parent run, so the child starts its own trace (ground truth §3).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import path from "node:path";
import type { TextEdit } from "../../engine/types.js";
import { RUN_MANAGER_PARAM_INDEX, RUNNABLE_METHODS as RUNNABLE_METHOD_NAMES } from "../apis.js";
import { IS_RUNNABLE_CONFIG_LIKE, PATCH_CONFIG, planImport, RUNNABLE_CONFIG_TYPE } from "../imports.js";
import { isFunctionNode, unwrapExpression, type FunctionNode, type JsModel, type Node, type TracedScope } from "../model.js";
import { calleeMethodName, contains, enclosingFunction, memberName, propertyKey, walkNodes } from "../model/ast.js";
import { RELATIVE_IMPORT } from "../precheck.js";
import { writtenOnlyWhenMissing } from "../model/kept-configs.js";
import { installedVersion } from "../versions.js";
import semver from "semver";
import { ambientEnsureConfigCalls, CONFIG_PARAM, OPTIONS_PARAM, childRunCalls, clearedCallbacks, configHelperOf, freshConfigAt, isAmbientGetConfig, isCoreApi, isGuardedBranch, isNothing, isPlainOptions, lacksConfigProperty, RUN_TREE_NAME, spreadsPlainOptions, startsNothing, traceableHasParent, type ConfigHelper, type FreshConfig } from "../model/config-helpers.js";
import type { MinimalVariable } from "../scope.js";
import { appendArgumentEdits, appendParamsEdits, calleeText, configArgumentEdits, isTypeScriptFile, prependArgumentEdits } from "./edits.js";
import { AUTOFIX_OPTION, type CommonOptions, type JsDetector, type JsFindingData } from "./types.js";

export interface PassRunnableConfigOptions extends CommonOptions {
  /**
   * Also report where AsyncLocalStorage carries the parent today (Node): the code nests there only because of it,
   * and splits in browsers, `/web` builds and core-only Node. On in `strict`.
   */
  portability?: boolean;
}

const NAME = "pass-runnable-config";

// `{{alsReason}}` is the AsyncLocalStorage verdict's reason, filled in before the message data (whose `config` may be
// a LangGraph `runtime` parameter: a different thing, named as written in the code).
const WHY_NO_ALS =
  "this file runs without AsyncLocalStorage ({{alsReason}}), where LangChain finds the parent run only through the config, so the child starts its own trace";
const WHY_OUTSIDE_ALS =
  "LangChain does not enter AsyncLocalStorage for the function a Runnable subclass hands to `_callWithConfig`, so even where AsyncLocalStorage is set up the child finds its parent only through the config, and starts its own trace";
/** Scopes the library runs outside AsyncLocalStorage's context even when it is set up (measured: als-call-with-config). */
const OUTSIDE_ALS_KINDS: ReadonlySet<string> = new Set(["with-config-callback"]);
const WHY_PORTABLE =
  "it nests here only because AsyncLocalStorage is set up; in browsers, `/web` builds and core-only Node, where the config is the only link to the parent run, the child starts its own trace";

export const passRunnableConfig: JsDetector<PassRunnableConfigOptions> = {
  meta: {
    name: NAME,
    description: "Pass the parent's RunnableConfig to child runnables and traceables called inside a runnable, tool or graph node.",
    recommended: true,
    messages: {
      missingConfig:
        "`{{callee}}` is called inside a {{scope}} without its `{{config}}`: {{why}}. Passing `{{config}}` as the call's config nests it with or without AsyncLocalStorage.",
      unfilledConfig:
        "`{{callee}}` is handed `{{param}}`, a parameter of this {{scope}}'s function that its library never fills (it calls the function with the input and the config only), so the child gets no config: {{why}}. Passing the config parameter `{{config}}` nests it with or without AsyncLocalStorage.",
      freshConfig:
        "This config for `{{callee}}`, a fresh object of options, drops the {{scope}}'s callbacks: {{why}}. Spreading `{{config}}` into it keeps the parent.",
      ambientConfig:
        "The config for `{{callee}}` comes from `{{ambient}}`, which finds the {{scope}}'s config only through AsyncLocalStorage: {{why}}. Handing `{{config}}` over there (as `ensureConfig`'s argument, or in `getConfig()`'s place) keeps the parent.",
      traceableWithoutConfig:
        "Traceable `{{callee}}` is called inside a {{scope}} without its `{{config}}`: {{why}}. The fix passes `{{config}}` first when `isRunnableConfigLike({{config}})` holds (tracing on: langsmith takes the parent from it) and calls as before otherwise (tracing off: the config would reach the function as its first argument).",
      helperWithoutConfig:
        "`{{callee}}` starts child runs ({{inner}}) but is called inside a {{scope}} without its `{{config}}`: {{why}}. The fix gives `{{callee}}` a `{{config}}` parameter, passes it on to those calls and passes `{{config}}` here; callers that pass none behave as before.",
      importedHelperWithoutConfig:
        "`{{callee}}` (from {{module}}) starts child runs ({{inner}}) but is called inside a {{scope}} without its `{{config}}`: {{why}}. The fix passes `{{config}}` as its argument {{position}}; in the module that defines `{{callee}}`, this rule gives it the matching parameter and passes it on.",
      forwardedWithoutConfig:
        "`{{callee}}` is called inside a {{scope}} without a config, but functions passed as `{{callee}}` take one there and hand it to child runs ({{inner}}), so they get `undefined`: {{why}}. The fix passes `{{config}}` on (functions that take no config ignore it).",
      optionsWithoutConfig:
        "`{{callee}}` hands the `{{property}}` of its options on to child runs ({{inner}}), but it is called inside a {{scope}} without one: {{why}}. The fix passes the scope's `{{config}}` there as `{{property}}`.",
      helperDropsConfig:
        "`{{callee}}` is given the {{scope}}'s config but starts child runs ({{inner}}) without it: {{why}}. The fix passes its `{{config}}` parameter on to those calls (spread first into fresh options); callers that pass none behave as before.",
      missingRunManagerConfig:
        "`{{callee}}` is called inside a {{scope}} without a config made from its run manager, its only link to the retriever's run: {{why}}. Passing `{{config}}` as the call's config nests it under the retriever's run (with AsyncLocalStorage it would otherwise be the retriever's sibling).",
      keptCallbacks:
        "`{{callee}}` binds the callbacks of the call that first gets here, and `{{holder}}` keeps the result for every later call: their children run with the first call's callbacks, which win over AsyncLocalStorage, so they land in the first call's trace or start one of their own once it has ended. Keep the runnable without callbacks and pass each call's config when invoking it.",
      memoizedConfig:
        "The config for `{{callee}}` is `{{holder}}`, which only the first call sets (`??=`): every later call hands its children that first call's config, so they land under its run, or start their own trace once it has ended. Pass each call's own config instead.",
      cachedConfig:
        "The config for `{{callee}}` comes from `{{holder}}`, which `{{keeper}}` keeps from the first call that reaches it: every later call hands its children that first call's config and callbacks, so they land under its run, or start their own trace once it has ended. Pass each call's own config instead.",
      configKeptForLater:
        "The config of this {{scope}} is kept in `{{receiver}}`{{via}} for work that runs after the {{scope}} returns: the child run started then with it finds its parent run ended and starts a trace of its own. Wait for that work before returning (the store's promise), or run the child here.",
      runTreeCallbacks:
        "`{{callee}}` gets its callbacks from `getLangchainCallbacks({{runTree}})`, which in langsmith 0.12 with @langchain/core 1.x sets a field LangChain's tracer no longer reads, so the child does not find `{{runTree}}` as its parent and starts its own trace. Hand it a `LangChainTracer` updated from the run tree instead (`tracer.updateFromRunTree({{runTree}})`, added to `new CallbackManager({{runTree}}.id)`).",
      pointFreeInvoke:
        "`{{method}}` calls `{{callee}}` with each element's index where the config goes, so each child gets no config: {{why}}. The fix calls it with the element and `{{config}}`.",
      bareHandlers:
        "`{{callee}}` gets `{{manager}}.{{handlers}}` as its callbacks, a bare list of handlers that carries no parent run: {{why}}. `{{manager}}?.getChild()` hands over the {{scope}}'s own run, with its inheritable handlers (a suggestion for `handlers`, whose local handlers the child would no longer get).",
      replacedCallbacks:
        "`{{callee}}` gets `callbacks: {{handlers}}`, a list of handlers that replaces the {{scope}}'s callbacks and carries no parent run: {{why}}. Hand the parent's callbacks over as well (keep `{{config}}`'s callbacks and add the handlers to them), or leave the handlers to the caller's config.",
      suggestChildCallbacks: "Hand `{{callee}}` the run manager's child callbacks.",
      partOfConfig:
        "`{{callee}}` is given the `{{part}}` of the {{scope}}'s config as its whole config, without the config's callbacks: {{why}}. Passing `{{config}}` itself keeps the parent (the child then sees its other keys too, so this is a suggestion).",
      toolParentConfig:
        "The config a {{scope}} gets is the one its run was called with, not the run's own: handed to `{{callee}}`, it makes the child a sibling of that run, not its child ({{why}}). The fix passes `{{config}}`, which nests it under the run.",
      exportedHelperWithoutConfig:
        "`{{helper}}` starts child runs ({{inner}}) without a config, and it is called inside a {{scope}} in {{file}}: {{why}}. The fix gives `{{helper}}` a trailing `{{config}}` parameter and passes it on to those calls (the caller's file passes the scope's config); callers that pass none behave as before.",
      destructuredConfig:
        "`{{callee}}` is called inside a {{scope}} whose config parameter is destructured: {{why}}. Take the whole config as a parameter and pass it on.",
      callbackManagerAsConfig:
        "`{{callee}}` gets the callback manager `{{manager}}` as its whole config, where it reads a RunnableConfig and finds no `callbacks` key, so the child gets no parent: {{why}}. The fix passes `{{config}}`.",
      chatModelChild:
        "`{{callee}}` is called in a {{scope}} with no callbacks of its run: the call options hold none and an LLM run manager has no `getChild()`, so {{why}}. Hand it `{ callbacks }` with a CallbackManager made from the run manager (`new CallbackManager(runManager.runId)` with `setHandlers(runManager.inheritableHandlers)`), or run it outside the model (`model.pipe(child)`).",
      clearedCallbacks:
        "This config for `{{callee}}` has no `callbacks` (set to nothing, or left out of the config it copies), which drops the {{scope}}'s callbacks, the child's only link to the parent run: {{why}}. The suggestion hands the parent's callbacks back (`callbacks: {{config}}?.callbacks`); the other callback handlers then see this call too, so it is not applied by `--fix`.",
      suggestPassConfig: "Pass `{{config}}` to `{{callee}}`.",
      suggestRestoreCallbacks: "Hand `{{config}}`'s callbacks to `{{callee}}`.",
      suggestThreadConfig: "Give `{{helper}}` a `{{config}}` parameter and pass it on.",
    },
  },
  optionProperties: {
    portability: {
      type: "boolean",
      description:
        "Also report in files that have AsyncLocalStorage (Node), where the code nests only because AsyncLocalStorage is set up. On in the strict config.",
    },
    autofix: AUTOFIX_OPTION,
  },
  defaultOptions: { portability: false, autofix: true },
  detect(model, options) {
    const runtime = model.runtime;
    // Callbacks of one call kept for later calls split with AsyncLocalStorage too: explicit callbacks win over it.
    // So do configs only the first call sets (`this.#config ??= config`): their callbacks are explicit too.
    const kept = [...keptCallbacksFindings(model), ...memoizedConfigFindings(model), ...cachedConfigFindings(model), ...configKeptForLaterFindings(model), ...runTreeCallbacksFindings(model)];
    // With AsyncLocalStorage, a scope the library runs outside it (the function handed to `_callWithConfig`) still
    // links its children only through the config: those children are reported under every runtime.
    const outsideAls = runtime.als && !options.portability;
    if (outsideAls && !model.tracedScopes().some((s) => OUTSIDE_ALS_KINDS.has(s.kind))) return kept;
    const why = outsideAls ? WHY_OUTSIDE_ALS : runtime.als ? WHY_PORTABLE : WHY_NO_ALS.replace("{{alsReason}}", runtime.reason);
    const findings: JsFindingData[] = [...kept, ...(outsideAls ? [] : exportedHelperFindings(model, why))];
    if (!model.tracedScopes().some(takesConfig)) return findings;

    for (const call of model.calls) {
      if (call.type !== "CallExpression") continue;
      const method = model.runnableMethodCall(call);
      const isTraceable = !method && model.traceableCall(call) === "traceable-fn";
      const scope = model.enclosingTracedScope(call);
      if (!scope || !takesConfig(scope)) continue;
      // Outside AsyncLocalStorage's context only runnable children (also through helpers) are measured (oracle case
      // als-call-with-config).
      if (outsideAls && (!OUTSIDE_ALS_KINDS.has(scope.kind) || isTraceable)) continue;
      if (scope.kind === "chat-model") {
        const finding = method ? checkChatModelCall(model, call, scope, why) : undefined;
        if (finding) findings.push(finding);
        continue;
      }
      if (!method && !isTraceable) {
        const finding = checkHelperCall(model, call, scope, why) ?? checkPointFreeInvoke(model, call, scope, why);
        if (finding) findings.push(finding);
        continue;
      }
      const finding = method ? checkRunnableCall(model, call, scope, why) : checkTraceableCall(model, call, scope, why);
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

/** A scope the library hands a config, or (a retriever's `_getRelevantDocuments`) only a run manager. */
function takesConfig(scope: TracedScope): boolean {
  return scope.configParamIndex !== undefined || RUN_MANAGER_PARAM_INDEX[scope.kind] !== undefined || scope.kind === "chat-model";
}

/**
 * A child started in a chat model's `_generate` (an LLM's `_call`): its call options carry no callbacks and its LLM run
 * manager has no `getChild()`, so without AsyncLocalStorage only a callback manager built from the run manager
 * (`new CallbackManager(runManager.runId)` with its inheritable handlers) links the child. Reported without a fix
 * when the child gets no options, the call options themselves, or options without `callbacks`.
 */
function checkChatModelCall(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string): JsFindingData | undefined {
  const args = call.arguments;
  if (args.some((a) => a.type === "SpreadElement")) return undefined;
  if (args.length >= 2 && !isNothing(args[1])) {
    const second = unwrapExpression(args[1]);
    const options = scope.fn.params[1];
    const isOptions = (node: TSESTree.Node) => node.type === "Identifier" && !!options && options.type === "Identifier" && model.variableOf(node) === model.variableOf(options);
    if (second.type === "ObjectExpression") {
      if (model.objectProperty(second, "callbacks") !== undefined) return undefined;
      if (second.properties.some((p) => p.type === "SpreadElement" && !isOptions(unwrapExpression(p.argument)) && !spreadsPlainOptions(model, p.argument))) return undefined;
    } else if (!isOptions(second)) return undefined;
  }
  return { node: call, range: call.range, messageId: "chatModelChild", data: baseData(model, call, scope, why, "options"), fixKind: "none", edits: [] };
}

interface ConfigAccess {
  /** The expression to write at the call site: the config's name, or a config made from the run manager. */
  name: string;
  /** What to write first in a fresh options literal to keep the parent (`...config`, or the run manager's callbacks). */
  spread?: string;
  /** The existing parameter's variable, when there is one. */
  variable?: MinimalVariable;
  /** Edits that add the parameter (and a type import), when it is missing. */
  edits: TextEdit[];
}

/**
 * How to refer to the scope's config at `site`: an existing parameter, or one the fix adds. A scope the library hands
 * a run manager along with its caller's config (`RUN_MANAGER_PARAM_INDEX`: a `DynamicTool` / `DynamicStructuredTool`
 * function, a tool subclass's `_call`, a function given to `_callWithConfig`) nests its children under its own run with
 * `patchConfig(config, { callbacks: runManager?.getChild() })` (what `tool()` does for its function); the bare config
 * would make them its siblings, under its run name.
 */
function configAccess(model: JsModel, scope: TracedScope, site: TSESTree.Node): ConfigAccess | "destructured" | undefined {
  if (scope.configParamIndex === undefined) return runManagerAccess(model, scope, site);
  const access = parameterAccess(model, scope, site);
  const managerIndex = RUN_MANAGER_PARAM_INDEX[scope.kind];
  if (managerIndex === undefined || !access || access === "destructured") return access;
  const edits = [...access.edits];
  let manager: TSESTree.Node | undefined = scope.fn.params[managerIndex];
  if (manager && manager.type === "AssignmentPattern") manager = manager.left;
  let managerName: string | undefined;
  if (manager) managerName = manager.type === "Identifier" && model.lookupName(site, manager.name) === model.variableOf(manager) ? manager.name : undefined;
  else if (access.edits.length > 0 || managerIndex < scope.configParamIndex!) managerName = "runManager"; // added with the config
  else {
    // The config parameter is there and the run manager, which comes after it, is not: add it.
    if (scope.fn.params.length !== managerIndex || model.isNameTaken("runManager", site, scope.fn)) return undefined;
    const added = appendParamsEdits(model, scope.fn, isTypeScriptFile(model.filename) && !scope.inline ? "runManager?: { getChild(): unknown }" : "runManager");
    if (!added) return undefined;
    edits.push(...added);
    managerName = "runManager";
  }
  if (!managerName) return undefined;
  const plan = planImport(model, PATCH_CONFIG, model.ast);
  return { name: `${plan.expression}(${access.name}, { callbacks: ${managerName}?.getChild() })`, edits: [...edits, ...plan.edits] };
}

/**
 * A scope the library hands a run manager and no config (a retriever's `_getRelevantDocuments(query, runManager)`):
 * its children's config is `{ callbacks: runManager?.getChild() }`, with the run manager parameter added when missing.
 */
function runManagerAccess(model: JsModel, scope: TracedScope, site: TSESTree.Node): ConfigAccess | undefined {
  const index = RUN_MANAGER_PARAM_INDEX[scope.kind];
  const params = scope.fn.params;
  if (index === undefined || params.slice(0, index + 1).some((p) => p.type === "RestElement")) return undefined;
  let name = "runManager";
  const edits: TextEdit[] = [];
  if (params.length > index) {
    let param: TSESTree.Node = params[index];
    if (param.type === "AssignmentPattern") param = param.left;
    if (param.type !== "Identifier" || model.lookupName(site, param.name) !== model.variableOf(param)) return undefined;
    name = param.name;
  } else {
    if (model.isNameTaken(name, site, scope.fn)) return undefined;
    const annotate = isTypeScriptFile(model.filename) && !scope.inline;
    const added: string[] = [];
    for (let i = params.length; i < index; i++) added.push(`${i === 0 ? "_input" : `_arg${i}`}${annotate ? ": unknown" : ""}`);
    added.push(annotate ? "runManager?: { getChild(): unknown }" : "runManager");
    const paramEdits = appendParamsEdits(model, scope.fn, added.join(", "));
    if (!paramEdits) return undefined;
    edits.push(...paramEdits);
  }
  const entry = `callbacks: ${name}?.getChild()`;
  return { name: `{ ${entry} }`, spread: entry, edits };
}

function parameterAccess(model: JsModel, scope: TracedScope, site: TSESTree.Node): ConfigAccess | "destructured" | undefined {
  if (scope.configParamIndex === undefined) return undefined;
  const index = scope.configParamIndex;
  const params = scope.fn.params;
  if (params.slice(0, index + 1).some((p) => p.type === "RestElement")) return undefined;
  if (params.length > index) {
    let param: TSESTree.Node = params[index];
    if (param.type === "AssignmentPattern") param = param.left;
    if (param.type !== "Identifier") return "destructured";
    const variable = model.variableOf(param);
    // The name must still mean the parameter where we write it.
    if (!variable || model.lookupName(site, param.name) !== variable) return undefined;
    return { name: param.name, variable, edits: [] };
  }
  const taken = (name: string) => model.isNameTaken(name, site, scope.fn);
  const name = ["config", "runnableConfig", "parentConfig"].find((candidate) => !taken(candidate));
  if (!name) return undefined;
  const managerIndex = RUN_MANAGER_PARAM_INDEX[scope.kind];
  // The run manager parameter is added under that name when the function lacks it (one it has keeps its name).
  if (managerIndex !== undefined && params.length <= managerIndex && taken("runManager")) return undefined;
  const annotate = isTypeScriptFile(model.filename) && !scope.inline;
  const edits: TextEdit[] = [];
  let typeName = "";
  if (annotate) {
    const plan = planImport(model, RUNNABLE_CONFIG_TYPE, model.ast);
    typeName = plan.expression;
    edits.push(...plan.edits);
  }
  const added: string[] = [];
  for (let i = params.length; i < index; i++) {
    const base = i === 0 ? "_input" : i === managerIndex ? "runManager" : `_arg${i}`;
    added.push(annotate ? `${base}: unknown` : base);
  }
  added.push(annotate ? `${name}?: ${typeName}` : name);
  // A run manager the library passes after the config (`_callWithConfig`'s function): added with it.
  if (managerIndex === index + 1) added.push(annotate ? "runManager?: { getChild(): unknown }" : "runManager");
  const paramEdits = appendParamsEdits(model, scope.fn, added.join(", "));
  if (!paramEdits) return undefined;
  edits.push(...paramEdits);
  return { name, edits };
}

/** `ensureConfig()` gets the config as its argument; `getConfig()`, which takes none, is replaced by it. */
function ambientConfigEdits(model: JsModel, call: TSESTree.CallExpression, config: string): TextEdit[] {
  return isAmbientGetConfig(model, call) ? [{ range: call.range, text: config }] : appendArgumentEdits(model, call, config);
}

function baseData(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string, config: string) {
  return { callee: calleeText(model, call), scope: scope.label, config, why };
}

/**
 * A callback manager handed over as the whole config (`chain.invoke(x, runManager?.getChild())`): `invoke`, `stream`
 * and `batch` read their second argument as a RunnableConfig, find no `callbacks` key in a CallbackManager, and the
 * child starts its own trace. (Only a tool's legacy `call` accepts callbacks there.) The manager's text, or undefined.
 */
function callbackManagerArgument(model: JsModel, call: TSESTree.CallExpression, argument: TSESTree.Node): string | undefined {
  const method = model.runnableMethodCall(call);
  if (!method || method === "call" || method === "run") return undefined;
  let node = unwrapExpression(argument);
  if (node.type === "ChainExpression") node = unwrapExpression(node.expression);
  if (node.type !== "CallExpression") return undefined;
  const callee = unwrapExpression(node.callee);
  if (callee.type !== "MemberExpression" || memberName(callee) !== "getChild") return undefined;
  return model.text.slice(argument.range[0], argument.range[1]);
}

function callbackManagerFinding(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string, argument: TSESTree.Expression, manager: string): JsFindingData {
  const data = { ...baseData(model, call, scope, why, `{ callbacks: ${manager} }`), manager };
  return { node: call, range: call.range, messageId: "callbackManagerAsConfig", data, fixKind: "fix", edits: [{ range: argument.range, text: `{ callbacks: ${manager} }` }], suggestionMessageId: "suggestPassConfig" };
}

function checkRunnableCall(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string): JsFindingData | undefined {
  const args = call.arguments;
  if (args.some((a) => a.type === "SpreadElement")) return undefined;
  if (boundToScopeConfig(model, call, scope)) return undefined;
  let messageId: "missingConfig" | "missingRunManagerConfig" | "freshConfig" | "ambientConfig" | "unfilledConfig" = "missingConfig";
  let literal: TSESTree.ObjectExpression | undefined;
  let fresh: FreshConfig | undefined;
  let ensure: TSESTree.CallExpression[] = [];
  if (args.length >= 2 && !isNothing(args[1])) {
    const second = unwrapExpression(args[1]);
    const manager = callbackManagerArgument(model, call, second);
    if (manager) return callbackManagerFinding(model, call, scope, why, args[1] as TSESTree.Expression, manager);
    const cleared = clearedCallbacks(model, second);
    if (cleared) return clearedCallbacksFinding(model, call, scope, why, second as TSESTree.Expression, cleared);
    // A part of the scope's config handed over as the whole (`config.configurable`, `const { metadata } = config`).
    const part = configPart(model, scope, second);
    if (part) return partOfConfigFinding(model, call, scope, why, second as TSESTree.Expression, part);
    // A tool function's config handed on as it is: the tool's caller's config, not the tool's own.
    const raw = RUN_MANAGER_PARAM_INDEX[scope.kind] !== undefined ? rawToolConfig(model, scope, second) : undefined;
    if (raw) return toolParentConfigFinding(model, call, scope, why, raw);
    // One of the configs it may get replaces the parent's callbacks (`amount > 100 ? { callbacks: [audit] } : config`).
    // Also a literal an in-file helper builds and returns (`withAudit(config)` returning `{ callbacks: [audit] }`).
    const replacing = second.type === "ObjectExpression" ? undefined : model.valuesOf(second).flatMap((v) => (v.type === "object" ? [replacedCallbacks(model, scope, v.node)] : [])).find((r) => !!r);
    if (replacing) return replacedCallbacksFinding(model, call, scope, why, replacing);
    let candidate: TSESTree.Node = second;
    if (second.type !== "ObjectExpression") {
      // A config held in a variable: fresh when every value it may hold is one literal without the parent's callbacks.
      const values = model.valuesOf(second);
      if (values.length === 1 && values[0].type === "object") candidate = values[0].node;
      // `ensureConfig({ runName })`: without AsyncLocalStorage it finds no config to merge, so the literal is all the
      // child gets (measured: a fresh config).
      const ensured = second.type === "CallExpression" ? second : values.length === 1 && values[0].type === "call" ? values[0].node : undefined;
      const literal = ensured?.type === "CallExpression" && ensured.arguments.length === 1 && isCoreApi(model, ensured.callee, "ensureConfig") ? unwrapExpression(ensured.arguments[0]) : undefined;
      if (literal?.type === "ObjectExpression") candidate = literal;
    }
    if (candidate.type === "ObjectExpression" && (candidate === second || contains(scope.fn, candidate) || contains(second, candidate))) {
      // A spread may carry the parent (`{ ...config, tags }`), unless it spreads plain option literals of this file
      // (`{ ...DEFAULTS, runName }`): those hold no callbacks.
      // A list of handlers written after the spread replaces whatever callbacks the spread brought
      // (`{ ...config, callbacks: [meter] }`).
      const lastSpread = candidate.properties.reduce((at, p, i) => (p.type === "SpreadElement" ? i : at), -1);
      const callbacksAt = candidate.properties.findIndex((p) => p.type === "Property" && !p.computed && propertyKey(p) === "callbacks");
      if (lastSpread >= 0 && callbacksAt > lastSpread) {
        const overriding = replacedCallbacks(model, scope, candidate);
        if (overriding) return replacedCallbacksFinding(model, call, scope, why, overriding);
      }
      if (candidate.properties.some((p) => p.type === "SpreadElement" && !spreadsPlainOptions(model, p.argument))) return undefined;
      const handlers = bareHandlers(model, scope, candidate);
      if (handlers) return bareHandlersFinding(model, call, scope, why, handlers);
      const replaced = replacedCallbacks(model, scope, candidate);
      if (replaced) return replacedCallbacksFinding(model, call, scope, why, replaced);
      if (model.objectProperty(candidate, "callbacks") !== undefined) return undefined; // callbacks handled by hand
      messageId = "freshConfig";
      literal = candidate;
    } else if ((fresh = freshConfigAt(model, call, 1))) {
      // Options made elsewhere (a module-level literal, a function returning one): the config spread around them.
      messageId = "freshConfig";
    } else if ((ensure = ambientEnsureConfigCalls(model, second)).length > 0) {
      messageId = "ambientConfig";
    } else if (unfilledParameter(model, scope, second)) {
      // A parameter the library never fills (`tool(async (input, _runManager, config) => ...)`: `tool()` calls its
      // function with the input and the config only): it is undefined, so the child gets no config (measured).
      messageId = "unfilledConfig";
    } else return undefined; // a config expression: assume it carries the parent
  }
  const access = configAccess(model, scope, literal ?? call);
  if (access === "destructured") {
    return { node: call, range: call.range, messageId: "destructuredConfig", data: baseData(model, call, scope, why, "config"), fixKind: "none", edits: [] };
  }
  if (messageId === "missingConfig" && scope.configParamIndex === undefined) messageId = "missingRunManagerConfig";
  const data: Record<string, string> = baseData(model, call, scope, why, access?.name ?? (scope.configParamIndex === undefined ? "{ callbacks: runManager?.getChild() }" : "config"));
  if (ensure.length > 0) data.ambient = `${calleeText(model, ensure[0])}()`;
  if (messageId === "unfilledConfig") data.param = model.text.slice(args[1].range[0], args[1].range[1]);
  if (!access) return { node: call, range: call.range, messageId, data, fixKind: "none", edits: [] };
  const edits = [...access.edits];
  if (literal) {
    edits.push(freshConfigEdit(model, { call, argument: literal, literal }, access));
  } else if (fresh) {
    edits.push(freshConfigEdit(model, fresh, access));
  } else if (messageId === "unfilledConfig") {
    edits.push({ range: args[1].range, text: access.name });
  } else if (ensure.length > 0) {
    // The name must mean the scope's config where `ensureConfig()` is written (a local of the scope, or module level).
    if (ensure.some((e) => !contains(scope.fn, e) || (access.variable && model.lookupName(e, access.name) !== access.variable))) return { node: call, range: call.range, messageId, data, fixKind: "none", edits: [] };
    for (const e of ensure) edits.push(...ambientConfigEdits(model, e, access.name));
  } else {
    edits.push(...configArgumentEdits(model, call, access.name));
  }
  return { node: call, range: call.range, messageId, data, fixKind: "fix", edits: uniqueEdits(edits), suggestionMessageId: "suggestPassConfig" };
}

/**
 * `callbacks: runManager.handlers` (or `inheritableHandlers`) in a scope the library hands a run manager: the run
 * manager's handler list, which carries no parent run. Gives the member expression and the manager's name.
 */
function bareHandlers(model: JsModel, scope: TracedScope, options: TSESTree.ObjectExpression): { member: TSESTree.MemberExpression; manager: string; key: string } | undefined {
  const index = RUN_MANAGER_PARAM_INDEX[scope.kind];
  let param: TSESTree.Node | undefined = index === undefined ? undefined : scope.fn.params[index];
  if (param && param.type === "AssignmentPattern") param = param.left;
  if (!param || param.type !== "Identifier") return undefined;
  const manager = model.variableOf(param);
  const value = model.objectProperty(options, "callbacks");
  if (!value || !manager) return undefined;
  const member = unwrapExpression(value as TSESTree.Node);
  if (member.type !== "MemberExpression") return undefined;
  const key = memberName(member);
  const object = unwrapExpression(member.object);
  if ((key !== "handlers" && key !== "inheritableHandlers") || object.type !== "Identifier" || model.variableOf(object) !== manager) return undefined;
  return { member, manager: object.name, key };
}

function bareHandlersFinding(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string, handlers: { member: TSESTree.MemberExpression; manager: string; key: string }): JsFindingData {
  const data = { ...baseData(model, call, scope, why, "config"), manager: handlers.manager, handlers: handlers.key };
  // The child manager carries the inheritable handlers: the same list as `inheritableHandlers`; `handlers` also holds
  // the run's local ones, which it would no longer get (so a suggestion there).
  const fixKind = handlers.key === "inheritableHandlers" ? "fix" : "suggestion";
  return { node: call, range: call.range, messageId: "bareHandlers", data, fixKind, edits: [{ range: handlers.member.range, text: `${handlers.manager}?.getChild()` }], suggestionMessageId: "suggestChildCallbacks" };
}

/**
 * The key of the scope's config that `argument` reads, when it hands over only that part (`config.configurable`,
 * `config?.metadata`, or a local destructured from the config: `const { configurable } = config`).
 */
function configPart(model: JsModel, scope: TracedScope, argument: TSESTree.Node): string | undefined {
  const access = parameterAccess(model, scope, argument);
  if (!access || access === "destructured" || !access.variable) return undefined;
  const isConfig = (node: TSESTree.Node) => {
    const expr = unwrapExpression(node);
    return expr.type === "Identifier" && model.variableOf(expr) === access.variable;
  };
  const expr = unwrapExpression(argument);
  if (expr.type === "MemberExpression" && isConfig(expr.object)) return memberName(expr);
  if (expr.type !== "Identifier") return undefined;
  const definition = model.variableOf(expr)?.defs[0]?.node as TSESTree.Node | undefined;
  if (!definition || definition.type !== "VariableDeclarator" || definition.id.type !== "ObjectPattern" || !definition.init || !isConfig(definition.init)) return undefined;
  if (definition.parent?.type !== "VariableDeclaration" || definition.parent.kind !== "const") return undefined;
  const property = definition.id.properties.find((p): p is TSESTree.Property => p.type === "Property" && p.value.type === "Identifier" && p.value.name === expr.name);
  return property ? propertyKey(property) : undefined;
}

/**
 * One part of the config handed over as the child's config: it has no `callbacks`, so the child starts its own
 * trace. A suggestion passes the whole config; not a fix, since the child then sees the other keys too.
 */
function partOfConfigFinding(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string, argument: TSESTree.Expression, part: string): JsFindingData {
  const access = configAccess(model, scope, argument);
  const config = access && access !== "destructured" ? access.name : "config";
  const data = { ...baseData(model, call, scope, why, config), part };
  const none: JsFindingData = { node: call, range: call.range, messageId: "partOfConfig", data, fixKind: "none", edits: [] };
  if (!access || access === "destructured") return none;
  return { ...none, fixKind: "suggestion", edits: uniqueEdits([...access.edits, { range: argument.range, text: config }]), suggestionMessageId: "suggestPassConfig" };
}

/**
 * In a `DynamicTool` / `DynamicStructuredTool` function (or a tool subclass's `_call`), the config parameter handed to
 * a child as it is, or spread into options that set no `callbacks` of their own: the identifier to replace.
 */
/**
 * Scope kinds whose library calls the function with its input and the config only (`tool()`: `func(input,
 * childConfig)`; `RunnableLambda`: `func(input, { ...childConfig })`, @langchain/core 1.x): a parameter after the
 * config's is never filled.
 */
const takesTwoArguments = (scope: TracedScope) => scope.kind === "tool" || (scope.kind === "runnable" && /^RunnableLambda\b/.test(scope.label));

/** A parameter of the scope's function after its config parameter, which its library never fills. */
function unfilledParameter(model: JsModel, scope: TracedScope, argument: TSESTree.Node): boolean {
  if (scope.configParamIndex === undefined || !takesTwoArguments(scope)) return false;
  const id = unwrapExpression(argument);
  if (id.type !== "Identifier") return false;
  const variable = model.variableOf(id);
  const def = variable?.defs[0];
  if (!variable || variable.defs.length !== 1 || def?.type !== "Parameter" || def.node !== scope.fn) return false;
  const index = scope.fn.params.findIndex((p) => (p.type === "AssignmentPattern" ? p.left : p) === (def.name as unknown));
  return index > scope.configParamIndex && !model.nodes.assignments.some((a) => { const left = unwrapExpression(a.left); return left.type === "Identifier" && model.variableOf(left) === variable; });
}

function rawToolConfig(model: JsModel, scope: TracedScope, argument: TSESTree.Node): TSESTree.Identifier | undefined {
  const access = parameterAccess(model, scope, argument);
  if (!access || access === "destructured" || !access.variable) return undefined;
  // A parameter the scope assigns again (`config = patchConfig(config, { callbacks: runManager?.getChild() })`) may
  // no longer hold the caller's config where it is handed on.
  if (model.nodes.assignments.some((a) => { const left = unwrapExpression(a.left); return left.type === "Identifier" && model.variableOf(left) === access.variable; })) return undefined;
  const isConfig = (node: TSESTree.Node): node is TSESTree.Identifier => node.type === "Identifier" && model.variableOf(node) === access.variable;
  const expr = unwrapExpression(argument);
  if (isConfig(expr)) return expr;
  // `patchConfig(config, { runName })`: a patch that sets no callbacks keeps the caller's (measured:
  // fixtures/runtime/pass-runnable-config/core-only-call-with-config-patched).
  if (expr.type === "CallExpression" && isCoreApi(model, expr.callee, "patchConfig") && expr.arguments.length === 2) {
    const [base, patch] = expr.arguments.map((a) => unwrapExpression(a));
    if (patch.type === "ObjectExpression" && isPlainOptions(patch) && isConfig(base)) return base;
    return undefined;
  }
  if (expr.type !== "ObjectExpression" || model.objectProperty(expr, "callbacks") !== undefined) return undefined;
  for (const property of expr.properties) {
    if (property.type === "SpreadElement" && isConfig(unwrapExpression(property.argument))) return unwrapExpression(property.argument) as TSESTree.Identifier;
  }
  return undefined;
}

/**
 * A tool function's config (its caller's) handed to a child: the child becomes the tool's sibling, under the tool's
 * run name (measured). The fix hands it the tool's own run: `patchConfig(config, { callbacks: runManager?.getChild() })`.
 */
function toolParentConfigFinding(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string, raw: TSESTree.Identifier): JsFindingData {
  const access = configAccess(model, scope, raw);
  const data = baseData(model, call, scope, why, access && access !== "destructured" ? access.name : raw.name);
  const none: JsFindingData = { node: call, range: call.range, messageId: "toolParentConfig", data, fixKind: "none", edits: [] };
  if (!access || access === "destructured") return none;
  return { ...none, fixKind: "fix", edits: uniqueEdits([...access.edits, { range: raw.range, text: access.name }]), suggestionMessageId: "suggestPassConfig" };
}

/**
 * A config that sets `callbacks` to nothing (`{ ...config, callbacks: undefined }`, `quiet(config)`): the suggestion
 * hands the parent's callbacks back, in the literal written at the call or around the expression. Not a fix: the
 * code clears them on purpose, and its other handlers would then see the child too (also with tracing off).
 */
/**
 * `{ callbacks: [auditTrail] }`, `{ callbacks: [new LangChainTracer()] }`: a list of handlers written here, none of
 * them from the scope's config or run manager. It replaces the parent's callbacks: without AsyncLocalStorage nothing
 * else links the child to the parent run, so it starts its own trace (measured by unseen programs; with
 * AsyncLocalStorage LangChain re-attaches the list to the current run).
 */
function replacedCallbacks(model: JsModel, scope: TracedScope, literal: TSESTree.ObjectExpression): TSESTree.ArrayExpression | undefined {
  const written = model.objectProperty(literal, "callbacks");
  const list = written ? unwrapExpression(written) : undefined;
  if (!list || list.type !== "ArrayExpression" || list.elements.length === 0) return undefined;
  // What the scope is given besides its input (its config, its run manager), or, for a literal a helper builds, what
  // the helper is given: a handler taken from there may be the parent's.
  const owner = contains(scope.fn, literal) ? undefined : enclosingFunction(literal);
  const params = (owner ? owner.params : scope.fn.params.slice(1)).flatMap((p) => {
    const id = p.type === "AssignmentPattern" ? p.left : p;
    return id.type === "Identifier" ? [id.name] : [];
  });
  const fromScope = (node: TSESTree.Node): boolean => {
    let found = false;
    walkNodes(node, (n) => {
      if (n.type === "Identifier" && params.includes(n.name)) found = true;
    });
    return found;
  };
  return list.elements.every((e) => !!e && e.type !== "SpreadElement" && !fromScope(e)) ? list : undefined;
}

function replacedCallbacksFinding(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string, list: TSESTree.ArrayExpression): JsFindingData {
  const access = configAccess(model, scope, call);
  const data = { ...baseData(model, call, scope, why, access && access !== "destructured" ? access.name : "config"), handlers: model.text.slice(list.range[0], list.range[1]) };
  return { node: call, range: call.range, messageId: "replacedCallbacks", data, fixKind: "none", edits: [] };
}

function clearedCallbacksFinding(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string, argument: TSESTree.Expression, cleared: TSESTree.ObjectExpression[]): JsFindingData {
  const access = configAccess(model, scope, call);
  const config = access && access !== "destructured" ? access.name : "config";
  const data = baseData(model, call, scope, why, config);
  if (!access || access === "destructured") return { node: call, range: call.range, messageId: "clearedCallbacks", data, fixKind: "none", edits: [] };
  const restored = `${config}?.callbacks`;
  const edits = [...access.edits];
  const literal = cleared.find((o) => o === argument);
  if (literal) {
    const property = literal.properties.findLast((p): p is TSESTree.Property => p.type === "Property" && propertyKey(p) === "callbacks")!;
    edits.push({ range: property.value.range, text: restored });
  } else {
    edits.push({ range: argument.range, text: `{ ...${model.text.slice(argument.range[0], argument.range[1])}, callbacks: ${restored} }` });
  }
  return { node: call, range: call.range, messageId: "clearedCallbacks", data, fixKind: "suggestion", edits: uniqueEdits(edits), suggestionMessageId: "suggestRestoreCallbacks" };
}

/**
 * The parent's config spread first into a fresh config: into the literal written at the call (an empty one becomes
 * `{ ...config }`), or around the expression that makes the options (`{ ...config, ...makeOptions(state) }`).
 */
function freshConfigEdit(model: JsModel, fresh: FreshConfig, access: ConfigAccess): TextEdit {
  const { literal, argument } = fresh;
  const first = access.spread ?? `...${access.name}`;
  if (literal) {
    if (literal.properties.length === 0) return { range: literal.range, text: `{ ${first} }` };
    return { range: [literal.properties[0].range[0], literal.properties[0].range[0]], text: `${first}, ` };
  }
  return { range: argument.range, text: `{ ${first}, ...${model.text.slice(argument.range[0], argument.range[1])} }` };
}

function checkTraceableCall(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string): JsFindingData | undefined {
  if (isGuardedBranch(model, call)) return undefined;
  const first = call.arguments[0];
  if (first) {
    if (first.type === "SpreadElement") return undefined;
    const arg = unwrapExpression(first);
    // Already handing over a parent: the config, a run tree, ROOT.
    if (arg.type === "Identifier" && RUN_TREE_NAME.test(arg.name)) return undefined;
    if (model.resolveApi(arg)?.name === "ROOT") return undefined;
    if (arg.type === "CallExpression" && model.isGetCurrentRunTree(arg.callee)) return undefined;
    if (arg.type === "Identifier") {
      const variable = model.variableOf(arg);
      const init = variable && model.initializerOf(variable);
      const initCall = init && unwrapExpression(init);
      if (initCall && initCall.type === "CallExpression" && model.isGetCurrentRunTree(initCall.callee)) return undefined;
    }
  }
  const access = configAccess(model, scope, call);
  if (access === "destructured") {
    return { node: call, range: call.range, messageId: "destructuredConfig", data: baseData(model, call, scope, why, "config"), fixKind: "none", edits: [] };
  }
  const data = baseData(model, call, scope, why, access?.name ?? "config");
  if (!access) return { node: call, range: call.range, messageId: "traceableWithoutConfig", data, fixKind: "none", edits: [] };
  // `child(config, x)` alone would, with tracing off, hand the config to the function as its first argument
  // (langsmith consumes it only when it holds a LangChain tracer). Guarded by langsmith's own test, the call is
  // exactly the old one whenever the config would not be consumed. Proven in the oracle with tracing on and off.
  const plan = planImport(model, IS_RUNNABLE_CONFIG_LIKE, call);
  const original = model.text.slice(call.range[0], call.range[1]);
  const withConfig = applyLocal(original, call.range[0], prependArgumentEdits(call, access.name));
  return {
    node: call,
    range: call.range,
    messageId: "traceableWithoutConfig",
    data,
    fixKind: "fix",
    edits: [...access.edits, ...plan.edits, { range: call.range, text: `(${plan.expression}(${access.name}) ? ${withConfig} : ${original})` }],
    suggestionMessageId: "suggestPassConfig",
  };
}

/** Apply edits that lie inside a slice of the file starting at `offset` to that slice. */
function applyLocal(slice: string, offset: number, edits: TextEdit[]): string {
  let out = slice;
  for (const edit of [...edits].sort((a, b) => b.range[0] - a.range[0])) {
    out = out.slice(0, edit.range[0] - offset) + edit.text + out.slice(edit.range[1] - offset);
  }
  return out;
}

/**
 * A call, inside a scope that has a config, of an in-file function declared outside the scope that starts child runs
 * (runnable or traceable calls of its own) without a config. The fix threads the config through: a trailing
 * `config` parameter on the helper, passed on to those calls, and passed at this call site. Other callers pass no
 * config, so their calls get `undefined` (and the guarded traceable call its old form): unchanged behaviour.
 */
function checkHelperCall(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string): JsFindingData | undefined {
  const resolved = model.resolveFunction(call.callee);
  if (!resolved) return forwardedWithoutConfig(model, call, scope, why) ?? checkImportedHelperCall(model, call, scope, why);
  if (resolved.inline) return undefined;
  const fn: FunctionNode = resolved.fn;
  if (fn === scope.fn || contains(scope.fn, fn) || contains(fn, call) || model.tracedScopeOf(fn)) return undefined;
  if (call.arguments.some((a) => a.type === "SpreadElement")) return undefined;
  // The scope's config handed as an argument the helper has no parameter for (`verifyAll(state, config)` for
  // `function verifyAll(state)`): it is dropped as surely as when left out; the fix adds that parameter.
  const unreceived = call.arguments.length === fn.params.length + 1 && !fn.params.some((p) => p.type === "RestElement") && !usesArguments(fn) && givesScopeConfig(model, scope, call.arguments[fn.params.length]);
  if (call.arguments.length > fn.params.length && !unreceived) return undefined;
  const helper = configHelperOf(model, fn);
  if (!helper) return undefined;
  const { existing } = helper;
  if (unreceived && existing) return undefined;
  if (existing?.property && call.arguments.length > existing.index && !lacksConfigProperty(model, call, existing.index, existing.property)) return undefined;
  if (existing && !existing.property && call.arguments.length > existing.index) {
    // Already handed something there: a fresh config without the parent's callbacks gets the config spread in.
    if (existing.passedOn) return freshHelperArgument(model, call, existing.index, scope, why);
    // Handed the scope's config, which the helper then does not pass to the child runs it starts.
    return givesScopeConfig(model, scope, call.arguments[existing.index]) ? droppedByHelper(model, call, scope, why, helper) : undefined;
  }

  const access = configAccess(model, scope, call);
  const callee = calleeText(model, call);
  const data = { ...baseData(model, call, scope, why, access && access !== "destructured" ? access.name : "config"), callee, inner: innerText(model, helper) };
  const none: JsFindingData = { node: call, range: call.range, messageId: existing?.property ? "optionsWithoutConfig" : "helperWithoutConfig", data: existing?.property ? { ...data, property: existing.property } : data, fixKind: "none", edits: [] };
  if (!access || access === "destructured") return none;
  const threaded = threadConfig(model, helper);
  if (!threaded) return none;
  const edits: TextEdit[] = [...access.edits, ...threaded.edits];
  if (!unreceived) edits.push(...handConfigEdits(model, call, threaded.paramIndex, access.name, existing?.property));
  const unique = uniqueEdits(edits);
  // Two calls of one inner helper thread it twice, identically; edits that still overlap cannot be applied together.
  if (overlapping(unique)) return none;
  return { ...none, fixKind: "fix", edits: unique, suggestionMessageId: "suggestPassConfig" };
}

/** Whether a non-arrow function reads `arguments` in its own body. */
function usesArguments(fn: FunctionNode): boolean {
  if (fn.type === "ArrowFunctionExpression") return false;
  let found = false;
  walkNodes(fn.body, (n) => {
    if (!found && n.type === "Identifier" && n.name === "arguments" && enclosingFunction(n) === fn) found = true;
  });
  return found;
}

/**
 * A scope that calls a function parameter of the factory that made it (`makeStep(name, fn)` returning
 * `RunnableLambda.from((input) => fn(input))`) without a config, where some of the functions the factory's call
 * sites pass take a config there and hand it to child runs (`async (doc, config) => tool.invoke(doc.text, config)`):
 * that config is `undefined` at run time. The fix passes the scope's config on; the other functions ignore it.
 */
function forwardedWithoutConfig(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string): JsFindingData | undefined {
  const callee = unwrapExpression(call.callee);
  if (callee.type !== "Identifier" || call.arguments.some((a) => a.type === "SpreadElement")) return undefined;
  const def = model.variableOf(callee)?.defs[0];
  if (def?.type !== "Parameter" || !contains(def.node as Node, scope.fn)) return undefined;
  const values = model.valuesOf(callee);
  const fns = values.filter((v): v is Extract<typeof v, { type: "function" }> => v.type === "function").map((v) => v.fn);
  if (fns.length < 2 || fns.length !== values.length) return undefined;
  const index = call.arguments.length;
  const helpers = fns.flatMap((fn) => {
    if (fn.params.length <= index) return [];
    const param = fn.params[index];
    const name = param.type === "Identifier" ? param.name : param.type === "AssignmentPattern" && param.left.type === "Identifier" ? param.left.name : undefined;
    const helper = name !== undefined && CONFIG_PARAM.test(name) ? configHelperOf(model, fn) : undefined;
    return helper?.existing?.passedOn && helper.existing.index === index && !helper.existing.property ? [helper] : [undefined];
  });
  // Every function taking more arguments takes the config there.
  if (helpers.length === 0 || helpers.some((h) => h === undefined)) return undefined;
  const access = configAccess(model, scope, call);
  const config = access && access !== "destructured" ? access.name : "config";
  const handing = helpers.flatMap((h) => model.callsWithin(h!.fn).filter((c): c is TSESTree.CallExpression => c.type === "CallExpression" && !!model.runnableMethodCall(c)));
  const inner = [...new Set(handing.map((c) => `\`${calleeText(model, c)}\``))].join(", ") || "calls that take it";
  const data = { ...baseData(model, call, scope, why, config), inner };
  const none: JsFindingData = { node: call, range: call.range, messageId: "forwardedWithoutConfig", data, fixKind: "none", edits: [] };
  if (!access || access === "destructured") return none;
  return { ...none, fixKind: "fix", edits: uniqueEdits([...access.edits, ...appendArgumentEdits(model, call, config)]), suggestionMessageId: "suggestPassConfig" };
}

/**
 * Whether the runnable a call invokes was bound to the scope's config during this call (`const scoped =
 * rank.withConfig(config)` in the scope): the bound config carries the parent's callbacks. One bound once and kept
 * (a memoized chain) holds the config of whichever call bound it, and is not excused.
 */
function boundToScopeConfig(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope): boolean {
  const callee = unwrapExpression(call.callee);
  if (callee.type !== "MemberExpression") return false;
  // Bound right there, or held by a local of the scope (not a variable that outlives the call).
  const object = unwrapExpression(callee.object);
  if (object.type === "Identifier") {
    const variable = model.variableOf(object);
    if (!variable || !model.isDeclaredInside(variable, scope.fn)) return false;
  } else if (object.type !== "CallExpression") return false;
  const values = model.valuesOf(callee.object);
  return (
    values.length > 0 &&
    values.every((v) => {
      if (v.type !== "call" || !contains(scope.fn, v.node)) return false;
      const bind = unwrapExpression(v.node.callee);
      return bind.type === "MemberExpression" && memberName(bind) === "withConfig" && givesScopeConfig(model, scope, v.node.arguments[0]);
    })
  );
}

/**
 * A child's config read from a holder that only the first call sets (`bind(config) { this.#config ??= config; }`,
 * then `tool.invoke(args, this.#config)`): every later call hands its children the first call's config, so they land
 * under that call's run, or start their own trace once it has ended (measured: `probe9` config/s08). Reported
 * without a fix: which config each call should pass is the caller's design.
 */
/**
 * A runnable bound to one call's callbacks (`tool.withConfig({ callbacks: config.callbacks })`, `withConfig({ ...config
 * })`) or that call's LangChain callbacks (`getLangchainCallbacks()`), kept for later calls: assigned only by the
 * first call (`toolkit ??= { crm: ... }`, `this.#callbacks ??= ...`), put in a map only when missing (`if
 * (!cache.has(k)) cache.set(k, ...)`), or returned by a function a memoizing helper caches (`memoize((name, config)
 * => ...)`). Every later call, another trace, then runs its child with the first call's callbacks, which win over
 * AsyncLocalStorage: the child lands under the first call's run, or starts a trace of its own once that run has
 * ended (measured by the runtime fixtures `memoized-callbacks-*`). Reported without a fix.
 */
function keptCallbacksFindings(model: JsModel): JsFindingData[] {
  if (!/\bwithConfig\b|\bgetLangchainCallbacks\b|\bcallbacks\b/.test(model.text)) return [];
  const findings: JsFindingData[] = [];
  for (const call of model.calls) {
    if (call.type === "NewExpression" ? !madeWithOneCallsCallbacks(model, call) : !boundToOneCall(model, call)) continue;
    const holder = keptFor(model, call);
    if (!holder) continue;
    findings.push({ node: call, range: call.range, messageId: "keptCallbacks", data: { callee: calleeText(model, call), holder }, fixKind: "none", edits: [] });
  }
  return findings;
}

/**
 * `new PaymentsGateway({ callbacks: config.callbacks })`, `new Client({ ...config })`: an object of this file's class
 * made with one call's callbacks, which its methods hand to their child runs (`{ callbacks: this.#callbacks }`).
 */
function madeWithOneCallsCallbacks(model: JsModel, made: TSESTree.NewExpression): boolean {
  const options = made.arguments[0] ? unwrapExpression(made.arguments[0]) : undefined;
  if (!options || options.type !== "ObjectExpression" || !literalCarriesCallbacks(model, options)) return false;
  // The class hands what it keeps to a child run as its callbacks (`{ callbacks: this.#callbacks }`).
  const cls = model.valuesOf(made.callee).find((v) => v.type === "class");
  if (!cls || cls.type !== "class") return false;
  const body = model.text.slice(cls.node.range[0], cls.node.range[1]);
  return /callbacks\s*:\s*this\.#?\w+/.test(body);
}

/** `x.withConfig({ callbacks: config.callbacks })`, `x.withConfig({ ...config })`, or `getLangchainCallbacks()`. */
function boundToOneCall(model: JsModel, call: TSESTree.CallExpression): boolean {
  const callee = unwrapExpression(call.callee);
  if (model.resolveApi(callee)?.name === "getLangchainCallbacks") return true;
  if (callee.type !== "MemberExpression" || memberName(callee) !== "withConfig") return false;
  const options = call.arguments[0] ? unwrapExpression(call.arguments[0]) : undefined;
  if (!options || options.type !== "ObjectExpression") return false;
  if (literalCarriesCallbacks(model, options)) return true;
  // A local that holds this call's LangChain callbacks (`const callbacks = await getLangchainCallbacks(); ...
  // withConfig({ callbacks })`).
  const value = model.objectProperty(options, "callbacks");
  const held = value && unwrapExpression(value).type === "Identifier" ? model.valuesOf(value) : [];
  return held.length > 0 && held.every((v) => v.type === "call" && model.resolveApi(unwrapExpression(v.node.callee))?.name === "getLangchainCallbacks");
}

/** Where a value made at `node` is kept for later calls (see {@link keptCallbacksFindings}): the holder's text. */
function keptFor(model: JsModel, node: TSESTree.Node): string | undefined {
  for (let child: TSESTree.Node = node, current = node.parent; current; child = current, current = current.parent) {
    if (current.type === "AssignmentExpression" && current.right === child && (current.operator === "??=" || current.operator === "||=")) {
      const target = unwrapExpression(current.left);
      const root = target.type === "Identifier" ? model.variableOf(target) : undefined;
      const outlives = target.type === "MemberExpression" || (!!root && !enclosingFunction(root.defs[0]?.node as TSESTree.Node ?? target));
      return outlives ? model.text.slice(target.range[0], target.range[1]) : undefined;
    }
    if (current.type === "CallExpression" && current.arguments[1] === child && calleeMethodName(current) === "set") {
      const map = unwrapExpression((unwrapExpression(current.callee) as TSESTree.MemberExpression).object);
      const text = model.text.slice(map.range[0], map.range[1]);
      // Written only when the key is missing (the model's answer, kept-configs.ts).
      return writtenOnlyWhenMissing(model, current, text, enclosingFunction(current)) ? text : undefined;
    }
    if (isFunctionNode(current) && current.parent?.type === "CallExpression" && current.parent.callee === current) {
      // Run once, right there (`shared ??= (async () => { c.callbacks = await getLangchainCallbacks(); return c; })()`):
      // what keeps its result keeps what it binds.
      continue;
    }
    if (isFunctionNode(current)) {
      // The function is given to a memoizing helper of this file: `memoize((name, config) => ...)`.
      const parent = current.parent;
      if (parent && parent.type === "CallExpression" && parent.arguments[0] === current && memoizes(model, parent)) return `${calleeText(model, parent)}()`;
      return undefined;
    }
  }
  return undefined;
}

/** A call of a function of this file that caches what the function it is given returns (`cache.set(k, fn(...args))`). */
function memoizes(model: JsModel, call: TSESTree.CallExpression): boolean {
  const helper = model.resolveFunction(call.callee)?.fn;
  const param = helper?.params[0];
  if (!helper || !param || param.type !== "Identifier") return false;
  return model.callsWithin(helper).some((c) => {
    if (c.type !== "CallExpression" || calleeMethodName(c) !== "set") return false;
    const value = c.arguments[1] ? unwrapExpression(c.arguments[1]) : undefined;
    return !!value && value.type === "CallExpression" && unwrapExpression(value.callee).type === "Identifier" && (unwrapExpression(value.callee) as TSESTree.Identifier).name === param.name;
  });
}

/**
 * What a runnable call's config is read from: the config argument itself, or the one object spread into the options
 * written there (`{ ...this.#config, runName }`, `{ ...session.config }`).
 */
function configHolder(model: JsModel, call: TSESTree.CallExpression | TSESTree.NewExpression): Node | undefined {
  if (call.type !== "CallExpression" || !model.runnableMethodCall(call) || call.arguments.length < 2 || call.arguments[1].type === "SpreadElement") return undefined;
  const written = unwrapExpression(call.arguments[1]);
  const spreads = written.type === "ObjectExpression" ? written.properties.filter((p): p is TSESTree.SpreadElement => p.type === "SpreadElement") : [];
  return spreads.length === 1 ? unwrapExpression(spreads[0].argument) : written;
}

function memoizedConfigFindings(model: JsModel): JsFindingData[] {
  if (!/\?\?=|\|\|=/.test(model.text)) return [];
  const findings: JsFindingData[] = [];
  for (const call of model.calls) {
    const holder = call.type === "CallExpression" ? configHolder(model, call) : undefined;
    if (!holder || call.type !== "CallExpression") continue;
    const onThis = holder.type === "MemberExpression" && unwrapExpression(holder.object).type === "ThisExpression";
    const key = holder.type === "MemberExpression" && onThis ? memberName(holder) : undefined;
    const variable = holder.type === "Identifier" ? model.variableOf(holder) : undefined;
    // A property of an object kept across calls (`session.config`, with `session` a per-thread record from a store):
    // its writes are the same text; an object made in the call (`const ctx = {}`) keeps nothing.
    const kept = holder.type === "MemberExpression" && !onThis && !holder.computed && unwrapExpression(holder.object).type === "Identifier" && !createdInCall(model, holder.object, call) ? model.text.slice(holder.range[0], holder.range[1]) : undefined;
    if (!key && !variable && !kept) continue;
    const writes = model.nodes.assignments.filter((a) => {
      const left = unwrapExpression(a.left);
      if (variable) return left.type === "Identifier" && model.variableOf(left) === variable;
      if (kept) return left.type === "MemberExpression" && model.text.slice(left.range[0], left.range[1]) === kept;
      if (left.type !== "MemberExpression" || unwrapExpression(left.object).type !== "ThisExpression") return false;
      return memberName(left) === key;
    });
    // Only first-call writes (`??=`, `||=`) of a config parameter, and no declaration initialiser for a variable.
    if (writes.length === 0 || !writes.every((a) => (a.operator === "??=" || a.operator === "||=") && carriesConfigCallbacks(model, a.right))) continue;
    if (variable && variable.defs.some((d) => (d.node as TSESTree.Node).type === "VariableDeclarator" && (d.node as TSESTree.VariableDeclarator).init)) continue;
    const text = model.text.slice(holder.range[0], holder.range[1]);
    findings.push({ node: call, range: call.range, messageId: "memoizedConfig", data: { callee: calleeText(model, call), holder: text }, fixKind: "none", edits: [] });
  }
  return findings;
}

/**
 * A child's config read from a record a function keeps from its first call (`const session = sessionFor(config);
 * tool.invoke(x, { ...session.config })`, with `sessionFor` putting `{ config }` in a module-level map only when the
 * thread has none, and handing back what the map holds): of this file, imported, or reached through a
 * `RunnableLambda` whose function returns such a call (model/kept-configs.ts). Every later call gets the first
 * call's callbacks, which win over AsyncLocalStorage. Reported without a fix: which config to keep is the design's.
 */
function cachedConfigFindings(model: JsModel): JsFindingData[] {
  const findings: JsFindingData[] = [];
  for (const call of model.calls) {
    const holder = call.type === "CallExpression" ? configHolder(model, call) : undefined;
    if (!holder || call.type !== "CallExpression") continue;
    const key = holder.type === "MemberExpression" && !holder.computed ? memberName(holder) : undefined;
    // The keeper's call written as the config itself (`child.invoke(x, ctx.configFor(config))`).
    const inline = holder.type === "CallExpression" ? firstConfigKeeper(model, holder, undefined) : undefined;
    const record = holder.type === "Identifier" ? holder : holder.type === "MemberExpression" && key ? unwrapExpression(holder.object) : undefined;
    if (!inline && (!record || record.type !== "Identifier")) continue;
    const keeper = inline ?? recordKeeper(model, record as TSESTree.Identifier, key);
    if (!keeper) continue;
    findings.push({ node: call, range: call.range, messageId: "cachedConfig", data: { callee: calleeText(model, call), holder: model.text.slice(holder.range[0], holder.range[1]), keeper }, fixKind: "none", edits: [] });
  }
  return findings;
}

/** The name of the function whose first-call config a record holds at `key` (see {@link cachedConfigFindings}). */
function recordKeeper(model: JsModel, record: TSESTree.Identifier, key: string | undefined): string | undefined {
  const variable = model.variableOf(record);
  const definition = variable?.defs[0]?.node as Node | undefined;
  if (!variable || variable.defs.length !== 1 || !definition || definition.type !== "VariableDeclarator" || definition.id !== variable.defs[0].name || !definition.init) return undefined;
  if (variable.references.some((r) => (r as { writeExpr?: unknown; init?: boolean }).writeExpr && !(r as { init?: boolean }).init)) return undefined;
  const keeps = (call: Node, depth: number): string | undefined => {
    let made = unwrapExpression(call);
    if (made.type === "AwaitExpression") made = unwrapExpression(made.argument);
    if (made.type !== "CallExpression") return undefined;
    const matches = (kept: { param: number; key?: string }[] | undefined) => !!kept && kept.some((k) => k.key === key && made.arguments.length > k.param);
    // `bootstrap.invoke(x)` with `bootstrap = RunnableLambda.from((x, config) => tenantContext(x, config))`.
    const callee = unwrapExpression(made.callee);
    if (callee.type === "MemberExpression" && model.runnableMethodCall(made)) {
      if (depth > 0 || memberName(callee) !== "invoke") return undefined;
      for (const value of model.valuesOf(callee.object)) {
        if (value.type !== "call" || calleeMethodName(value.node) !== "from") continue;
        const fn = model.resolveFunction(value.node.arguments[0] as Node | undefined)?.fn;
        const kept = fn && (model.nodes.returns.get(fn) ?? []).map((r) => keeps(r, depth + 1)).find(Boolean);
        if (kept) return kept;
      }
      return undefined;
    }
    return firstConfigKeeper(model, made, key);
  };
  return keeps(definition.init, 0);
}

/**
 * The name of the function a call runs when that function keeps its first call's config (at `key` of the record it
 * hands back): a function or method of this file, or one another module exports (also a method of an instance of a
 * class it exports: `ctx.configFor(config)`).
 */
function firstConfigKeeper(model: JsModel, made: TSESTree.CallExpression, key: string | undefined): string | undefined {
  const matches = (kept: { param: number; key?: string }[] | undefined) => !!kept && kept.some((k) => k.key === key && made.arguments.length > k.param);
  const own = model.resolveFunction(made.callee);
  if (own && !own.inline) return matches(model.keptConfigParams(own.fn)) ? calleeText(model, made) : undefined;
  const imported = model.importedFunctionFacts(made.callee)?.facts ?? model.values.importedMemberFacts(made.callee);
  return imported && matches(imported.keepsFirstConfig) ? calleeText(model, made) : undefined;
}

/**
 * A traced scope's config handed, as it is or in a record (`outbox.append({ payload, config })`), to a helper (of this
 * file or another module) that keeps it in a store outliving the call (a module-level array, a field of a shared
 * object) for a timer or loop to drain later, while the scope does not wait for it (the call is neither awaited nor
 * returned). The child run started later with that config finds its parent run ended and starts a trace of its own,
 * with or without AsyncLocalStorage (measured: runtime fixtures `als-outbox-config` and `core-only-outbox-config`). Reported without a fix: waiting for
 * the work, or running the child in the scope, is the design's choice.
 */
const QUEUEING_METHODS = new Set(["push", "unshift", "add", "enqueue"]);

function configKeptForLaterFindings(model: JsModel): JsFindingData[] {
  const findings: JsFindingData[] = [];
  for (const scope of model.tracedScopes()) {
    const param = scope.configParamIndex !== undefined ? scope.fn.params[scope.configParamIndex] : undefined;
    const config = param && param.type === "Identifier" ? param : param && param.type === "AssignmentPattern" && param.left.type === "Identifier" ? param.left : undefined;
    if (!config) continue;
    const holdsConfig = (arg: Node): boolean => {
      const node = unwrapExpression(arg);
      const isConfig = (n: Node) => {
        const v = unwrapExpression(n);
        return v.type === "Identifier" && v.name === config.name && model.variableOf(v)?.defs[0]?.name === config;
      };
      if (isConfig(node)) return true;
      return node.type === "ObjectExpression" && node.properties.some((p) => p.type === "Property" && isConfig(p.value as Node));
    };
    for (const call of model.callsWithin(scope.fn)) {
      if (call.type !== "CallExpression" || enclosingFunction(call) !== scope.fn || !call.arguments.some((a) => a.type !== "SpreadElement" && holdsConfig(a))) continue;
      // The scope waits for what the call returns (`await outbox.append(...)`, `return outbox.append(...)`).
      const parent = call.parent;
      if (parent && (parent.type === "AwaitExpression" || parent.type === "ReturnStatement" || (scope.fn.body === call && scope.fn.type === "ArrowFunctionExpression"))) continue;
      for (const helper of model.handoffs.helperSummaries(call, true)) {
        for (const [index, entries] of helper.summary) {
          const arg = call.arguments[index];
          if (!arg || arg.type === "SpreadElement" || !holdsConfig(arg)) continue;
          const entry = entries.find((e) => {
            // A queue-like insertion for a drain to take later (`rows.push(row)`), not a keyed entry kept for lookups
            // (`sessions.set(id, { config })`: see cachedConfig).
            if (e.handoff.kind !== "stored" || e.receiverParam !== undefined || !QUEUEING_METHODS.has(e.handoff.method)) return false;
            const receiver = e.imported?.receiver;
            if (receiver) return receiver.outlives && !receiver.createdPerCall && !receiver.runsOwnEntry && !receiver.neverRuns && !receiver.drainedBy;
            const held = e.handoff.receiver;
            const root = held ? model.rootVariable(held) : undefined;
            return !!held && !!helper.fn && !!root && root.defs[0]?.type !== "Parameter" && !model.isDeclaredInside(root, helper.fn) && !model.isCreatedInside(held, scope.fn);
          });
          if (!entry) continue;
          const receiver = entry.imported?.receiver?.text ?? (entry.handoff.receiver ? model.text.slice(entry.handoff.receiver.range[0], entry.handoff.receiver.range[1]) : "a store");
          findings.push({ node: call, range: call.range, messageId: "configKeptForLater", data: { scope: scope.label, receiver, via: ` (through \`${helper.name}()\`)` }, fixKind: "none", edits: [] });
          break;
        }
      }
    }
  }
  return findings;
}

/**
 * A runnable called with callbacks from `getLangchainCallbacks(runTree)` for a run tree the code hands over itself (a
 * `new RunTree(...)` parent, no traceable around): the ground truth measured that this does not nest with langsmith
 * 0.12.0 (the helper fills the tracer's `runMap`, which @langchain/core 1.x's tracer no longer reads); runtime fixture
 * `als-run-tree-callbacks` and its fixed form with `updateFromRunTree`. Not reported when the file calls
 * `updateFromRunTree` itself, inside a traceable with AsyncLocalStorage (the tracer finds the current run there), or
 * for an installed langsmith of another minor version (unmeasured).
 */
function runTreeCallbacksFindings(model: JsModel): JsFindingData[] {
  if (!/\bgetLangchainCallbacks\b/.test(model.text) || /\bupdateFromRunTree\b/.test(model.text)) return [];
  const version = installedVersion("langsmith", model.filename, model.settings.versions, model.cwd)?.version;
  if (version && !semver.satisfies(version, "0.12.x")) return [];
  const fromRunTree = (node: Node): TSESTree.CallExpression | undefined => {
    let expr = unwrapExpression(node);
    if (expr.type === "AwaitExpression") expr = unwrapExpression(expr.argument);
    if (expr.type === "CallExpression" && model.resolveApi(unwrapExpression(expr.callee))?.name === "getLangchainCallbacks" && expr.arguments.length > 0 && expr.arguments[0].type !== "SpreadElement") return expr;
    if (expr.type !== "Identifier") return undefined;
    const values = model.valuesOf(expr);
    return values.length === 1 && values[0].type === "call" ? fromRunTree(values[0].node) : undefined;
  };
  const findings: JsFindingData[] = [];
  for (const call of model.calls) {
    if (call.type !== "CallExpression" || !model.runnableMethodCall(call) || call.arguments.length < 2 || call.arguments[1].type === "SpreadElement") continue;
    const options = unwrapExpression(call.arguments[1]);
    const value = options.type === "ObjectExpression" ? model.objectProperty(options, "callbacks") : undefined;
    const helper = value ? fromRunTree(value) : undefined;
    if (!helper) continue;
    const scope = model.enclosingTracedScope(call);
    if (model.runtime.als && scope?.kind === "traceable") continue;
    const runTree = model.text.slice(helper.arguments[0].range[0], helper.arguments[0].range[1]);
    findings.push({ node: call, range: call.range, messageId: "runTreeCallbacks", data: { callee: calleeText(model, call), runTree }, fixKind: "none", edits: [] });
  }
  return findings;
}

/** Whether `object` was made during the call of the function around `call`. */
function createdInCall(model: JsModel, object: TSESTree.Node, call: TSESTree.CallExpression): boolean {
  const fn = enclosingFunction(call);
  return !!fn && model.isCreatedInside(object, fn);
}

/**
 * A config parameter, or an object literal that carries its callbacks (`{ callbacks: config?.callbacks, tags }`,
 * `{ ...config, runName }`).
 */
function carriesConfigCallbacks(model: JsModel, node: Node): boolean {
  if (isConfigParameter(model, node)) return true;
  const literal = unwrapExpression(node);
  return literal.type === "ObjectExpression" && literalCarriesCallbacks(model, literal);
}

/** An object literal that spreads a config parameter or sets `callbacks: config.callbacks` (`config?.callbacks`). */
function literalCarriesCallbacks(model: JsModel, literal: TSESTree.ObjectExpression): boolean {
  return literal.properties.some((p) => {
    if (p.type === "SpreadElement") return isConfigParameter(model, p.argument);
    if (propertyKey(p) !== "callbacks") return false;
    let value = unwrapExpression(p.value as Node);
    if (value.type === "ChainExpression") value = unwrapExpression(value.expression);
    return value.type === "MemberExpression" && memberName(value) === "callbacks" && isConfigParameter(model, value.object);
  });
}

/** A parameter named like a config (`config`, `runnableConfig`) or an options object (`options`). */
function isConfigParameter(model: JsModel, node: TSESTree.Node): boolean {
  const expr = unwrapExpression(node);
  if (expr.type !== "Identifier" || !(CONFIG_PARAM.test(expr.name) || OPTIONS_PARAM.test(expr.name))) return false;
  return model.variableOf(expr)?.defs[0]?.type === "Parameter";
}

/** Array methods that call their callback with `(element, index, array)`. */
const INDEXING_METHODS = new Set(["map", "forEach", "flatMap", "filter", "some", "every", "find", "findIndex"]);

/**
 * `items.map(worker.invoke.bind(worker))`, or a bound runnable method held in a local (`const run =
 * worker.invoke.bind(worker); items.map(run)`): the array method hands each element's index to the runnable as its
 * config, so every child starts its own trace. The fix calls it with the element and the scope's config.
 */
function checkPointFreeInvoke(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string): JsFindingData | undefined {
  const callee = unwrapExpression(call.callee);
  if (callee.type !== "MemberExpression" || !INDEXING_METHODS.has(memberName(callee) ?? "")) return undefined;
  const arg = call.arguments[0];
  if (!arg || arg.type === "SpreadElement" || isFunctionNode(unwrapExpression(arg))) return undefined;
  const bound = (node: TSESTree.Node): boolean => {
    const expr = unwrapExpression(node);
    if (expr.type !== "CallExpression") return false;
    const bind = unwrapExpression(expr.callee);
    if (bind.type !== "MemberExpression" || memberName(bind) !== "bind") return false;
    const method = unwrapExpression(bind.object);
    if (method.type !== "MemberExpression" || !RUNNABLE_METHOD_NAMES.has(memberName(method) ?? "")) return false;
    return model.valueKinds(method.object).includes("runnable");
  };
  const values = model.valuesOf(arg);
  if (!bound(arg) && !(values.length > 0 && values.every((v) => v.type === "call" && bound(v.node)))) return undefined;
  const access = configAccess(model, scope, call);
  const config = access && access !== "destructured" ? access.name : "config";
  const data = { ...baseData(model, call, scope, why, config), callee: model.text.slice(arg.range[0], arg.range[1]), method: memberName(callee)! };
  const none: JsFindingData = { node: call, range: call.range, messageId: "pointFreeInvoke", data, fixKind: "none", edits: [] };
  if (!access || access === "destructured") return none;
  const item = ["item", "element", "entry"].find((name) => !model.isNameTaken(name, call, scope.fn));
  if (!item) return none;
  const text = model.text.slice(arg.range[0], arg.range[1]);
  const wrapped = unwrapExpression(arg).type === "Identifier" ? text : `(${text})`;
  return { ...none, fixKind: "fix", edits: uniqueEdits([...access.edits, { range: arg.range, text: `(${item}) => ${wrapped}(${item}, ${config})` }]), suggestionMessageId: "suggestPassConfig" };
}

/** Whether a call's argument is the scope's own config parameter (as it is, or spread into a literal). */
function givesScopeConfig(model: JsModel, scope: TracedScope, arg: TSESTree.Node | undefined): boolean {
  if (!arg || arg.type === "SpreadElement") return false;
  const access = parameterAccess(model, scope, arg);
  if (!access || access === "destructured" || !access.variable) return false;
  const expr = unwrapExpression(arg);
  if (expr.type === "Identifier") return model.variableOf(expr) === access.variable;
  return expr.type === "ObjectExpression" && expr.properties.some((p) => p.type === "SpreadElement" && givesScopeConfig(model, scope, p.argument));
}

/**
 * A helper given the scope's config (`rerank.invoke(docs, config)` on an object whose `invoke` is the helper) that
 * starts its child runs without it, or with a fresh config (`{ signal: config?.signal }`): the fix passes its config
 * parameter on to them (spread first into fresh options). Callers that pass none give `undefined`, as before.
 */
function droppedByHelper(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string, helper: ConfigHelper): JsFindingData | undefined {
  if (startsNothing(helper) || !helper.existing) return undefined;
  const data = { ...baseData(model, call, scope, why, helper.existing.name), inner: innerText(model, helper), helper: calleeText(model, call) };
  const none: JsFindingData = { node: call, range: call.range, messageId: "helperDropsConfig", data, fixKind: "none", edits: [] };
  const threaded = threadConfig(model, helper);
  if (!threaded) return none;
  const unique = uniqueEdits(threaded.edits);
  if (overlapping(unique)) return none;
  return { ...none, fixKind: "fix", edits: unique, suggestionMessageId: "suggestThreadConfig" };
}

/**
 * A helper that hands its config parameter to child runs, called inside a scope with a fresh config there (a literal
 * of options, `makeOptions(state)`): the scope's config is spread in first.
 */
function freshHelperArgument(model: JsModel, call: TSESTree.CallExpression, index: number, scope: TracedScope, why: string): JsFindingData | undefined {
  const fresh = freshConfigAt(model, call, index);
  if (!fresh) return undefined;
  const access = configAccess(model, scope, call);
  if (access === "destructured") {
    return { node: call, range: call.range, messageId: "destructuredConfig", data: baseData(model, call, scope, why, "config"), fixKind: "none", edits: [] };
  }
  const data = baseData(model, call, scope, why, access?.name ?? "config");
  if (!access) return { node: call, range: call.range, messageId: "freshConfig", data, fixKind: "none", edits: [] };
  const edits = uniqueEdits([...access.edits, freshConfigEdit(model, fresh, access)]);
  return { node: call, range: call.range, messageId: "freshConfig", data, fixKind: "fix", edits, suggestionMessageId: "suggestPassConfig" };
}

function overlapping(edits: TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  return sorted.some((edit, i) => i > 0 && edit.range[0] < sorted[i - 1].range[1]);
}

/** The scope's and the helper's parameter may both want the same type import: write it once. */
function uniqueEdits(edits: TextEdit[]): TextEdit[] {
  return edits.filter((edit, i) => edits.findIndex((other) => other.range[0] === edit.range[0] && other.range[1] === edit.range[1] && other.text === edit.text) === i);
}

function innerText(model: JsModel, helper: ConfigHelper): string {
  const calls = childRunCalls(helper);
  return (calls.length > 0 ? calls : (helper.existing?.via ?? [])).map((c) => `\`${calleeText(model, c)}\``).join(", ") || "calls that take it";
}

/**
 * The helper's half of threading a config through: a trailing `config` parameter (unless it has one), passed on to
 * each child run it starts. Callers that pass none give `undefined`, and the guarded traceable call its old form.
 */
function threadConfig(model: JsModel, helper: ConfigHelper): { edits: TextEdit[]; paramName: string; paramIndex: number } | undefined {
  const { fn, runnableCalls, freshConfigCalls, ambientConfigCalls, traceableCalls, helperCalls, existing } = helper;
  const edits: TextEdit[] = [];
  let paramName = existing?.name;
  let paramIndex = existing?.index;
  if (!existing) {
    paramName = ["config", "runnableConfig", "parentConfig"].find((candidate) => !model.isNameTaken(candidate, fn.body, fn));
    if (!paramName) return undefined;
    paramIndex = fn.params.length;
    let declared = paramName;
    if (isTypeScriptFile(model.filename)) {
      const plan = planImport(model, RUNNABLE_CONFIG_TYPE, model.ast);
      edits.push(...plan.edits);
      declared = `${paramName}?: ${plan.expression}`;
    }
    const paramEdits = appendParamsEdits(model, fn, declared);
    if (!paramEdits) return undefined;
    edits.push(...paramEdits);
  }
  for (const c of runnableCalls) edits.push(...configArgumentEdits(model, c, paramName!));
  // A fresh options literal (`{ maxConcurrency: 2 }`), or options made elsewhere (`makeOptions(state)`): the parent's
  // config spread first, the options after it.
  for (const fresh of freshConfigCalls) edits.push(freshConfigEdit(model, fresh, { name: paramName!, edits: [] }));
  // `ensureConfig()` finds no parent without AsyncLocalStorage: `ensureConfig(config)` merges the parent's config in.
  for (const { ensure } of ambientConfigCalls) for (const e of ensure) edits.push(...ambientConfigEdits(model, e, paramName!));
  // Helpers this one calls: threaded in turn (an in-file one), and handed the config where they take it.
  for (const { call, helper: inner, index, property } of helperCalls) {
    let at = index;
    if (inner) {
      const threaded = threadConfig(model, inner);
      if (!threaded) return undefined;
      edits.push(...threaded.edits);
      at = threaded.paramIndex;
    }
    edits.push(...handConfigEdits(model, call, at, paramName!, inner?.existing?.property ?? property));
  }
  if (traceableCalls.length > 0) {
    const plan = planImport(model, IS_RUNNABLE_CONFIG_LIKE, fn);
    edits.push(...plan.edits);
    for (const c of traceableCalls) {
      const original = model.text.slice(c.range[0], c.range[1]);
      const withConfig = applyLocal(original, c.range[0], prependArgumentEdits(c, paramName!));
      edits.push({ range: c.range, text: `(${plan.expression}(${paramName}) ? ${withConfig} : ${original})` });
    }
  }
  return { edits, paramName: paramName!, paramIndex: paramIndex! };
}

/**
 * A call, inside a scope that has a config, of a function imported from another project module that starts child
 * runs without a config: pass the scope's config at the position where the helper takes (or, once its own file is
 * fixed, will take) it. Until then the extra argument is ignored, so the call behaves as before.
 */
function checkImportedHelperCall(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string): JsFindingData | undefined {
  const imported = model.importedFunctionFacts(call.callee);
  const helper = imported?.facts.configHelper;
  if (!imported || !helper) return undefined;
  if (call.arguments.some((a) => a.type === "SpreadElement")) return undefined;
  const index = helper.configParamIndex ?? helper.paramCount;
  const property = helper.configProperty;
  if (property && !lacksConfigProperty(model, call, index, property)) return undefined;
  if (!property && call.arguments.length > index) {
    // Already hands something over there: a fresh config without the parent's callbacks gets the config spread in.
    return helper.configPassedOn ? freshHelperArgument(model, call, index, scope, why) : undefined;
  }
  if (helper.configParamIndex === undefined && helper.inner.length === 0) return undefined;
  const access = configAccess(model, scope, call);
  const config = access && access !== "destructured" ? access.name : "config";
  const data = {
    ...baseData(model, call, scope, why, config),
    inner: helper.inner.map((c) => `\`${c}\``).join(", ") || "calls that take it",
    module: imported.module,
    position: String(index + 1),
  };
  const none: JsFindingData = property
    ? { node: call, range: call.range, messageId: "optionsWithoutConfig", data: { ...data, property }, fixKind: "none", edits: [] }
    : { node: call, range: call.range, messageId: "importedHelperWithoutConfig", data, fixKind: "none", edits: [] };
  if (!access || access === "destructured") return none;
  const edits = [...access.edits, ...handConfigEdits(model, call, index, access.name, property)];
  return { ...none, fixKind: "fix", edits: uniqueEdits(edits), suggestionMessageId: "suggestPassConfig" };
}

/**
 * Edits that hand `config` to a helper call as argument `index`: appended (after `undefined` for the arguments
 * before it), or, for a helper that takes it as a property of an options object, as that property of the literal
 * written there (or of a new one).
 */
function handConfigEdits(model: JsModel, call: TSESTree.CallExpression, index: number, config: string, property?: string): TextEdit[] {
  const entry = property === undefined ? config : property === config ? property : `${property}: ${config}`;
  const arg = call.arguments[index];
  if (property !== undefined && arg) {
    const literal = unwrapExpression(arg);
    // Options held in a variable: a copy of them with the config added.
    if (literal.type === "Identifier") return [{ range: arg.range, text: `{ ...${literal.name}, ${entry} }` }];
    if (literal.type !== "ObjectExpression") return [{ range: arg.range, text: `{ ${entry} }` }];
    const last = literal.properties[literal.properties.length - 1];
    if (!last) return [{ range: literal.range, text: `{ ${entry} }` }];
    return [{ range: [last.range[1], last.range[1]], text: `, ${entry}` }];
  }
  const padding = Array.from({ length: Math.max(0, index - call.arguments.length) }, () => "undefined");
  return appendArgumentEdits(model, call, [...padding, property === undefined ? entry : `{ ${entry} }`].join(", "));
}

/**
 * An exported function that starts child runs without a config, called inside traced scopes of other project files:
 * give it a trailing config parameter and pass it on (the callers' files pass the scope's config to it).
 */
function exportedHelperFindings(model: JsModel, why: string): JsFindingData[] {
  // Cheap before expensive: the file must export something and start a child run outside its own scopes before the
  // project index is asked who calls it.
  if (!/\bexport\b|\bmodule\.exports\b|\bexports\./.test(model.text)) return [];
  const startsChildRuns = model.calls.some((c) => c.type === "CallExpression" && !model.enclosingTracedScope(c) && (model.runnableMethodCall(c) || model.traceableCall(c) === "traceable-fn"));
  if (!startsChildRuns && !RELATIVE_IMPORT.test(model.text)) return [];
  const callers = model.scopeCallers().filter((c) => c.config);
  const findings: JsFindingData[] = [];
  for (const name of new Set(callers.map((c) => c.exportName))) {
    const fn = model.exportedFunction(name);
    if (!fn || model.tracedScopeOf(fn)) continue;
    const helper = model.configHelper(fn);
    if (!helper || startsNothing(helper)) continue;
    const first = childRunCalls(helper)[0];
    const caller = callers.find((c) => c.exportName === name)!;
    const threaded = threadConfig(model, helper);
    const data = {
      helper: name,
      inner: innerText(model, helper),
      scope: caller.label,
      file: path.relative(path.dirname(path.resolve(model.cwd, model.filename)), caller.file).split(path.sep).join("/"),
      config: threaded?.paramName ?? "config",
      why,
    };
    if (!threaded) {
      findings.push({ node: first, range: first.range, messageId: "exportedHelperWithoutConfig", data, fixKind: "none", edits: [] });
      continue;
    }
    findings.push({ node: first, range: first.range, messageId: "exportedHelperWithoutConfig", data, fixKind: "fix", edits: uniqueEdits(threaded.edits), suggestionMessageId: "suggestThreadConfig" });
  }
  return findings;
}
