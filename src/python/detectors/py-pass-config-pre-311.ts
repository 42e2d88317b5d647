/**
 * py-pass-config-pre-311: on Python < 3.11 asyncio cannot start a task in a given context, so LangGraph does not
 * set the config context for async graphs: inside a node, a runnable or traceable call that does not receive
 * `config` becomes its own trace (ground truth §5). Plain langsmith async code and LangChain chains outside
 * LangGraph still nest on < 3.11, and everything nests on 3.11+: silent there.
 */
import type { TextEdit } from "../../engine/types.js";
import { PY_APIS, RUNNABLE_METHODS } from "../apis.js";
import { mergeInsertions, planFromImport } from "../imports.js";
import type { PyFunction, PyModel } from "../model.js";
import { syncNodeRunAsync } from "../graph-runs.js";
import { field, kids, type PyNode } from "../parse.js";
import { importStatements, registersLocalFunction, type PyPrecheckContext } from "../precheck.js";
import { finding, VERSION_NOTE, type PyDetector, type PyFinding } from "./types.js";

const meta = {
  name: "py-pass-config-pre-311",
  description: "In LangGraph async nodes on Python < 3.11, pass the node's config to runnables and traceables.",
  recommended: true,
  messages: {
    runnable:
      "Before Python 3.11 LangGraph cannot put the node's config into the async context, so `{{call}}` without `config` starts its own trace. {{fix}}" + VERSION_NOTE,
    traceable:
      "Before Python 3.11 LangGraph cannot put the node's config into the async context, so the traceable `{{call}}` called without `config` starts its own trace. {{fix}}" +
      VERSION_NOTE,
    suggestConfig: "Declare `config` and pass it on.",
  },
} as const;

function hasSplatParams(fn: PyFunction): boolean {
  return kids(fn.paramsNode).some((p) => p.type === "list_splat_pattern" || p.type === "dictionary_splat_pattern" || p.type === "keyword_separator" || p.type === "positional_separator");
}

/** Edits that give `fn` a `config` parameter (none when it has one). */
function configParamEdits(model: PyModel, fn: PyFunction, optional: boolean): TextEdit[] | undefined {
  if (fn.params.includes("config")) return [];
  if (hasSplatParams(fn)) return undefined;
  const params = kids(fn.paramsNode).filter((p) => p.type !== "comment");
  const last = params[params.length - 1];
  const edits: TextEdit[] = [];
  let text = "config";
  if (fn.annotated) {
    const plan = planFromImport(model, "langchain_core.runnables", "RunnableConfig", PY_APIS.runnableConfig);
    edits.push(...plan.edits);
    text = optional ? `config: ${plan.ref} | None = None` : `config: ${plan.ref}`;
    if (optional && !(model.target.major > 3 || model.target.minor >= 10)) text = `config: "${plan.ref} | None" = None`;
  } else if (optional) text = "config=None";
  if (!last) edits.push({ range: [fn.paramsNode.startIndex + 1, fn.paramsNode.startIndex + 1], text });
  else edits.push({ range: [last.endIndex, last.endIndex], text: `, ${text}` });
  return edits;
}

/** Insert `, config` after the last positional argument. */
function passPositional(model: PyModel, call: PyNode): TextEdit[] | undefined {
  const positional = model.positionalArgs(call);
  const last = positional[positional.length - 1];
  if (!last) return undefined;
  return [{ range: [last.endIndex, last.endIndex], text: ", config" }];
}

function passKeyword(model: PyModel, call: PyNode): TextEdit[] {
  const args = field(call, "arguments")!;
  const list = kids(args).filter((a) => a.type !== "comment");
  const last = list[list.length - 1];
  if (!last) return [{ range: [args.startIndex + 1, args.startIndex + 1], text: "config=config" }];
  return [{ range: [last.endIndex, last.endIndex], text: ", config=config" }];
}

function detect(model: PyModel): PyFinding[] {
  if (model.target.major > 3 || model.target.minor >= 11) return [];
  const out: PyFinding[] = [];
  for (const fn of model.functions) {
    const kind = model.graphNodeKind(fn);
    if (!kind) continue;
    // A sync node runs in an executor thread when its graph is run asynchronously.
    if (!fn.isAsync && !(kind === "add_node" && syncNodeRunAsync(model, fn))) continue;
    const nodeEdits = configParamEdits(model, fn, false);
    for (const call of model.callsIn(fn.body)) {
      if (model.hasSplatArgs(call) || model.keywordArg(call, "config")) continue;
      const method = model.methodName(call);
      const callText = model.text.slice(call.startIndex, field(call, "arguments")!.startIndex) + "(...)";
      if (method && RUNNABLE_METHODS.has(method)) {
        if (model.positionalArgs(call).length >= 2 || !model.receiverMayBeRunnable(call)) continue;
        const passEdits = passPositional(model, call);
        const ok = nodeEdits && passEdits && kind !== "task";
        const edits = mergeInsertions([...(nodeEdits ?? []), ...(passEdits ?? [])]);
        const fix = ok
          ? `Fix: ${fn.params.includes("config") ? "pass the node's `config`" : "declare a `config` parameter on the node (LangGraph passes it) and pass it on"}.`
          : "Declare `config` on the node and pass it on (a suggestion: LangGraph injects `config` into graph nodes and entrypoints, not into every task signature).";
        out.push(finding(model, call, "runnable", ok ? "fix" : "suggestion", nodeEdits && passEdits ? edits : [], { call: callText, fix }, ok ? undefined : "suggestConfig"));
        continue;
      }
      const callee = model.callee(call);
      const target = callee?.type === "identifier" ? model.functionNamed(callee.text, callee) : undefined;
      if (!target || !model.isTraceable(target) || target.node.id === fn.node.id) continue;
      const index = target.params.indexOf("config");
      if (index >= 0 && model.positionalArgs(call).length > index) continue;
      if (index >= 0) {
        const ok = nodeEdits !== undefined && kind !== "task";
        const edits = mergeInsertions([...(nodeEdits ?? []), ...passKeyword(model, call)]);
        const fix = ok ? "Fix: pass the node's `config` to it (it declares `config`, from which a traceable takes its parent)." : "Pass the node's `config` to it.";
        out.push(finding(model, call, "traceable", ok ? "fix" : "suggestion", nodeEdits ? edits : [], { call: callText, fix }, ok ? undefined : "suggestConfig"));
      } else {
        // A traceable takes its parent from `config=` only when it declares `config`: declaring it changes its signature.
        const declare = configParamEdits(model, target, true);
        const edits = nodeEdits && declare ? mergeInsertions([...nodeEdits, ...declare, ...passKeyword(model, call)]) : [];
        const fix =
          "It declares no `config` parameter, so `config=` would be dropped: declare `config=None` on it and pass the node's config (a suggestion: it changes the traceable's signature).";
        out.push(finding(model, call, "traceable", "suggestion", edits, { call: callText, fix }, "suggestConfig"));
      }
    }
  }
  return out;
}

/**
 * Only below Python 3.11, and only in graph nodes: functions of this file registered with `add_node` here (sync or
 * async), or async ones made by LangGraph's `@task`/`@entrypoint` or registered by another module of the project.
 */
function precheck(code: string, context: PyPrecheckContext): boolean {
  const target = context.target();
  if (target.major > 3 || target.minor >= 11) return false;
  if (code.includes("add_node") && registersLocalFunction(code)) return true;
  if (!/\basync\s+def\b/.test(code)) return false;
  const taskDecorator = /@\s*(?:[A-Za-z_][\w.]*\.)?(?:task|entrypoint)\b/.test(code) || importStatements(code).some((statement) => /\b(?:task|entrypoint)\b/.test(statement));
  return (/\blanggraph\b/.test(code) && taskDecorator) || context.registeredElsewhere();
}

export const pyPassConfigPre311: PyDetector = { meta, detect, precheck };
