/**
 * pass-parent-run-tree: a traceable called inside another traceable (a traced generator iterating a traced
 * generator child included) that relies on the implicit context to find its parent. Without AsyncLocalStorage
 * (browsers, `/web` builds, core-only Node; ground truth §3) every such call starts its own trace; the only thing
 * that nests is handing the parent over: `child(runTree, x)` with the parent declared `(runTree, x)` and entry
 * points calling it with `ROOT`.
 *
 * HAZARD (ground truth §4): langsmith passes the child RunTree to the wrapped function as its first argument, so
 * `child(runTree, x)` on `traceable(async (x) => ...)` hands it `x = RunTree`, and TypeScript accepts it. The fix is
 * automatic only when the callee is known to declare a RunTree first parameter (this file, or another file through
 * the project index) and the parent already has its run tree; otherwise it is a suggestion that also rewrites the
 * callee's (and, when needed, the parent's) signature and every call of them in this file.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import type { TextEdit } from "../../engine/types.js";
import { planImport, type ImportRequest } from "../imports.js";
import { runTreeParamName, unwrapExpression, type FunctionNode, type JsModel, type TracedScope } from "../model.js";
import { calleeText, isTypeScriptFile, prependArgumentEdits } from "./edits.js";
import { AUTOFIX_OPTION, type CommonOptions, type JsDetector, type JsFindingData } from "./types.js";

export interface PassParentRunTreeOptions extends CommonOptions {
  /** Also report where AsyncLocalStorage carries the parent today (Node). On in `strict`. */
  portability?: boolean;
}

const RUN_TREE_TYPE: ImportRequest = { module: "langsmith/run_trees", name: "RunTree", typeOnly: true };

const WHY_NO_ALS = "this file runs without AsyncLocalStorage ({{runtime}}), so the child cannot find its parent and starts its own trace";
const WHY_PORTABLE = "it nests here only because AsyncLocalStorage is set up; in browsers, `/web` builds and core-only Node the child starts its own trace";

export const passParentRunTree: JsDetector<PassParentRunTreeOptions> = {
  meta: {
    name: "pass-parent-run-tree",
    description: "Pass the parent run tree explicitly from a traceable to the traceables it calls where AsyncLocalStorage is missing.",
    recommended: true,
    messages: {
      implicitParent:
        "Traceable `{{callee}}` is called inside traceable `{{parent}}` without its parent run tree: {{why}}. Passing `{{runTree}}` first hands the parent over; `{{callee}}` declares a RunTree first parameter, so its own arguments stay in place.",
      implicitParentRewrite:
        "Traceable `{{callee}}` is called inside traceable `{{parent}}` without its parent run tree: {{why}}. Passing a run tree first needs `{{callee}}` to declare `runTree` as its first parameter (otherwise langsmith hands it the RunTree in place of its first argument): {{fix}}",
      runnableInTraceable:
        "Runnable `{{callee}}` is called inside traceable `{{parent}}` without callbacks built from its run tree: {{why}}. Pass `{ callbacks }` from `getLangchainCallbacks(runTree)` (langsmith/langchain) after calling `updateFromRunTree(runTree)` on its `langchain_tracer` handler; `getLangchainCallbacks` alone does not nest in langsmith 0.12.0.",
      suggestRewrite: "Declare `runTree` first in the traceables involved and pass the parent (or `ROOT` at entry points) at every call in this file.",
    },
  },
  optionProperties: {
    portability: {
      type: "boolean",
      description: "Also report in files that have AsyncLocalStorage (Node), where the call nests only because AsyncLocalStorage is set up. On in the strict config.",
    },
    autofix: AUTOFIX_OPTION,
  },
  defaultOptions: { portability: false, autofix: true },
  detect(model, options) {
    const runtime = model.runtime;
    if (runtime.als && !options.portability) return [];
    const why = runtime.als ? WHY_PORTABLE : WHY_NO_ALS.replace("{{runtime}}", runtime.reason);
    const findings: JsFindingData[] = [];
    for (const call of model.calls) {
      if (call.type !== "CallExpression") continue;
      if (model.runnableMethodCall(call)) {
        // A runnable inside a traceable: the hand-off needs statements (callbacks from the run tree), so report only.
        const scope = model.enclosingTracedScope(call);
        if (!scope || scope.kind !== "traceable" || call.arguments.length >= 2) continue;
        const parentTraceable = model.runTrees.traceableCallWrapping(scope.fn);
        findings.push({
          node: call,
          range: call.range,
          messageId: "runnableInTraceable",
          data: { callee: calleeText(model, call), parent: parentTraceable ? traceableName(model, parentTraceable) : "parent", why },
          fixKind: "none",
          edits: [],
        });
        continue;
      }
      if (model.traceableCall(call) !== "traceable-fn") continue;
      if (call.arguments.some((a) => a.type === "SpreadElement")) continue;
      const scope = model.enclosingTracedScope(call);
      if (!scope || scope.kind !== "traceable") continue;
      if (model.passesParentExplicitly(call, 0)) continue;
      const finding = checkCall(model, call, scope, why);
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

function checkCall(model: JsModel, call: TSESTree.CallExpression, scope: TracedScope, why: string): JsFindingData | undefined {
  const parentName = runTreeParamName(scope.fn);
  const parentVisible = parentName !== undefined && model.lookupName(call, parentName) === model.variableOf(scope.fn.params[0] as TSESTree.Identifier);
  const declares = model.runTrees.declaresRunTree(call);
  const parentTraceable = model.runTrees.traceableCallWrapping(scope.fn);
  const data = {
    callee: calleeText(model, call),
    parent: parentTraceable ? traceableName(model, parentTraceable) : "parent",
    why,
    runTree: parentName ?? "runTree",
    fix: "",
  };
  if (declares === "yes" && parentVisible) {
    return {
      node: call,
      range: call.range,
      messageId: "implicitParent",
      data,
      fixKind: "fix",
      edits: prependArgumentEdits(call, parentName!),
      suggestionMessageId: "suggestRewrite",
    };
  }
  const plan = new RewritePlan(model);
  // The parent needs its own run tree: declared first, and handed over by its callers.
  let runTreeName = parentVisible ? parentName! : undefined;
  if (!runTreeName) {
    if (parentName !== undefined || !parentTraceable) return none(call, data, "give the parent traceable a `runTree` first parameter");
    if (isExported(model, parentTraceable)) return none(call, data, "the parent traceable is exported: declare `runTree: RunTree` first in it and update every caller, then pass it on");
    runTreeName = plan.addParameter(scope.fn);
    if (!runTreeName || !plan.rewriteCalls(parentTraceable)) return none(call, data, "give the parent traceable a `runTree` first parameter and pass it from its callers");
  }
  data.runTree = runTreeName;
  if (declares === "yes") {
    plan.prepend(call, runTreeName);
  } else {
    const calleeTraceable = model.runTrees.traceableCallOf(call.callee);
    const calleeFn = calleeTraceable && model.runTrees.wrappedFunction(calleeTraceable);
    if (!calleeTraceable || !calleeFn || declares === "unknown") return none(call, data, "declare `runTree: RunTree` first in the callee, then pass the parent run tree");
    if (isExported(model, calleeTraceable)) return none(call, data, "the callee is exported: declare `runTree: RunTree` first in it and update every caller, then pass the parent run tree");
    if (!plan.addParameter(calleeFn, "runTree")) return none(call, data, "declare `runTree: RunTree` first in the callee");
    plan.inside.set(scope.fn, runTreeName);
    if (!plan.rewriteCalls(calleeTraceable)) return none(call, data, "declare `runTree: RunTree` first in the callee and pass the parent from every caller");
  }
  data.fix = "the suggestion declares it and passes the parent run tree (or `ROOT` at entry points) at every call in this file.";
  return {
    node: call,
    range: call.range,
    messageId: "implicitParentRewrite",
    data,
    fixKind: "suggestion",
    edits: plan.edits(),
    suggestionMessageId: "suggestRewrite",
  };
}

function none(call: TSESTree.CallExpression, data: Record<string, string>, fix: string): JsFindingData {
  return { node: call, range: call.range, messageId: "implicitParentRewrite", data: { ...data, fix: `${fix}.` }, fixKind: "none", edits: [] };
}

function traceableName(model: JsModel, traceableCall: TSESTree.CallExpression): string {
  const options = traceableCall.arguments[1];
  if (options && options.type === "ObjectExpression") {
    const name = model.objectProperty(options, "name");
    if (name && name.type === "Literal" && typeof name.value === "string") return name.value;
  }
  const parent = traceableCall.parent;
  if (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier") return parent.id.name;
  return "parent";
}

/** Whether the traceable is exported (callers in other files would shift their arguments after a rewrite). */
function isExported(model: JsModel, traceableCall: TSESTree.CallExpression): boolean {
  const parent = traceableCall.parent;
  if (parent?.type === "ExportDefaultDeclaration") return true;
  if (parent?.type !== "VariableDeclarator" || parent.id.type !== "Identifier") return false;
  if (parent.parent?.parent?.type === "ExportNamedDeclaration") return true;
  const variable = model.variableOf(parent.id);
  return (variable?.references ?? []).some((reference) => {
    const node = (reference.identifier as TSESTree.Node).parent;
    return node?.type === "ExportSpecifier" || node?.type === "ExportDefaultDeclaration" || (node?.type === "Property" && node.parent?.parent?.type === "AssignmentExpression") || node?.type === "AssignmentExpression";
  });
}

/** Edits that give traceables a `runTree` first parameter and hand a parent over at their calls, deduplicated. */
class RewritePlan {
  private readonly all = new Map<string, TextEdit>();
  /** Functions that get (or have) a run tree, and its name there. */
  readonly inside = new Map<FunctionNode, string>();
  private rootExpression: string | undefined;

  constructor(private readonly model: JsModel) {}

  edits(): TextEdit[] {
    return [...this.all.values()];
  }

  private add(edits: readonly TextEdit[]): void {
    for (const edit of edits) this.all.set(`${edit.range[0]}:${edit.range[1]}:${edit.text}`, edit);
  }

  prepend(call: TSESTree.CallExpression, name: string): void {
    this.add(prependArgumentEdits(call, name));
  }

  /** Declare a run tree first in `fn`; returns its name. */
  addParameter(fn: FunctionNode, preferred = "runTree"): string | undefined {
    const name = [preferred, "parentRunTree", "langsmithRunTree"].find((candidate) => !this.model.isNameTaken(candidate, fn.body, fn));
    if (!name) return undefined;
    let text = name;
    if (isTypeScriptFile(this.model.filename)) {
      const plan = planImport(this.model, RUN_TREE_TYPE, this.model.ast);
      this.add(plan.edits);
      text = `${name}: ${plan.expression}`;
    }
    const params = fn.params;
    if (params.length > 0) {
      const first = params[0];
      const before = this.model.text.slice(fn.range[0], first.range[0]);
      if (fn.type === "ArrowFunctionExpression" && params.length === 1 && !before.includes("(")) {
        this.add([{ range: first.range, text: `(${text}, ${this.model.text.slice(first.range[0], first.range[1])})` }]);
      } else {
        this.add([{ range: [first.range[0], first.range[0]], text: `${text}, ` }]);
      }
    } else {
      const open = this.model.text.indexOf("(", fn.type !== "ArrowFunctionExpression" && fn.id ? fn.id.range[1] : fn.range[0]);
      if (open < 0 || open > fn.body.range[0]) return undefined;
      this.add([{ range: [open + 1, open + 1], text }]);
    }
    this.inside.set(fn, name);
    return name;
  }

  /** Hand a parent over at every call of the traceable: the enclosing traceable's run tree, or `ROOT` outside traces. */
  rewriteCalls(traceableCall: TSESTree.CallExpression): boolean {
    for (const call of this.model.runTrees.callsOf(traceableCall)) {
      if (call.arguments.some((a) => a.type === "SpreadElement")) return false;
      if (this.model.passesParentExplicitly(call, 0)) continue;
      const scope = this.model.enclosingTracedScope(call);
      if (!scope) {
        this.prepend(call, this.root(traceableCall));
        continue;
      }
      const name = this.inside.get(scope.fn) ?? runTreeParamName(scope.fn);
      if (!name || scope.kind !== "traceable") return false;
      this.prepend(call, name);
    }
    return true;
  }

  /** `ROOT`, imported from the module the file takes `traceable` from (never a module that sets AsyncLocalStorage up anew). */
  private root(traceableCall: TSESTree.CallExpression): string {
    if (this.rootExpression) return this.rootExpression;
    const api = this.model.resolveApi(unwrapExpression(traceableCall.callee));
    const module = api?.module ?? "langsmith/traceable";
    const plan = planImport(this.model, { module, name: "ROOT" }, this.model.ast);
    this.add(plan.edits);
    this.rootExpression = plan.expression;
    return plan.expression;
  }
}
