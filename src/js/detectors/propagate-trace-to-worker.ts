/**
 * propagate-trace-to-worker: inside a traced scope (directly or through local helpers), work handed to another
 * thread or process (`new Worker(..., { workerData })`, `worker.postMessage`, piscina / tinypool `run`, workerpool
 * `exec`, `child_process.fork(...)` + `child.send`) without the run tree's headers. AsyncLocalStorage never crosses a
 * thread or a process, so the worker's runs become traces of their own (ground truth §2). The fix puts
 * `getCurrentRunTree(true)`'s headers (guarded: undefined outside a trace and with tracing off) in a payload field,
 * `langsmithHeaders`; the worker side continues from them (continue-trace-in-worker).
 */
import path from "node:path";
import type { TSESTree } from "@typescript-eslint/utils";
import type { TextEdit } from "../../engine/types.js";
import { planImport, type ImportRequest } from "../imports.js";
import { enclosingFunction } from "../model/ast.js";
import { HEADERS_FIELD } from "../model/workers.js";
import { unwrapExpression, type JsModel, type Node, type WorkerSend } from "../model.js";
import { isTypeScriptFile } from "./edits.js";
import { AUTOFIX_OPTION, type CommonOptions, type JsDetector, type JsFindingData } from "./types.js";

export const GET_CURRENT_RUN_TREE: ImportRequest = { module: "langsmith/traceable", equivalentModules: ["langsmith/singletons/traceable"], name: "getCurrentRunTree" };
export const IS_RUN_TREE: ImportRequest = { module: "langsmith/run_trees", name: "isRunTree" };
const HELPER = "currentTraceHeaders";

const UNIT: Record<WorkerSend["library"], string> = {
  worker_threads: "worker thread",
  piscina: "piscina worker thread",
  tinypool: "tinypool worker thread",
  workerpool: "workerpool worker",
  child_process: "child process",
};

/** The name of the module-level helper returning the headers, and the edits that add it (none when it exists). */
function headersHelper(model: JsModel): { name: string; edits: TextEdit[] } {
  const existing = model.ast.body.find((s) => s.type === "FunctionDeclaration" && s.id?.name === HELPER) as TSESTree.FunctionDeclaration | undefined;
  if (existing && model.text.slice(existing.range[0], existing.range[1]).includes(".toHeaders()")) return { name: HELPER, edits: [] };
  const name = existing || model.isNameTaken(HELPER, model.ast) ? `${HELPER}ForWorker` : HELPER;
  const site = model.ast;
  const get = planImport(model, GET_CURRENT_RUN_TREE, site);
  const is = planImport(model, IS_RUN_TREE, site);
  const semi = /;\s*$/m.test(model.text) ? ";" : "";
  const ts = isTypeScriptFile(model.filename);
  const lines = [
    "/** The current run tree as headers for another thread or process (trace-nesting); undefined outside a trace and with tracing off. */",
    `function ${name}()${ts ? ": Record<string, string> | undefined" : ""} {`,
    `  const run = ${get.expression}(true)${semi}`,
    `  return ${is.expression}(run) ? run.toHeaders() : undefined${semi}`,
    "}",
  ];
  return { name, edits: [...get.edits, ...is.edits, endOfFileEdit(model, lines)] };
}

/** An edit appending module-level lines at the end of the file, after one blank line. */
export function endOfFileEdit(model: JsModel, lines: string[]): TextEdit {
  const eol = model.text.includes("\r\n") ? "\r\n" : "\n";
  const end = model.text.length;
  const prefix = model.text.endsWith("\n") ? eol : eol + eol;
  return { range: [end, end], text: prefix + lines.join(eol) + eol };
}

/** Edits that add `langsmithHeaders: <headers>` to an object literal. */
function addPropertyEdits(model: JsModel, object: TSESTree.ObjectExpression, value: string): TextEdit[] {
  const field = `${HEADERS_FIELD}: ${value}`;
  if (object.properties.length === 0) return [{ range: [object.range[0] + 1, object.range[1] - 1], text: ` ${field} ` }];
  const last = object.properties[object.properties.length - 1];
  return [{ range: [last.range[1], last.range[1]], text: `, ${field}` }];
}

interface PayloadPlan {
  fixKind: "fix" | "suggestion";
  edits: TextEdit[];
}

function payloadPlan(model: JsModel, send: WorkerSend, headers: string, arity: number | undefined): PayloadPlan | undefined {
  const payload = send.payload;
  if (send.form === "exec") {
    if (!payload) {
      const call = send.site as TSESTree.CallExpression;
      const last = call.arguments[call.arguments.length - 1];
      return { fixKind: arity === 0 ? "fix" : "suggestion", edits: [{ range: [last.range[1], last.range[1]], text: `, [${headers}]` }] };
    }
    const node = unwrapExpression(payload);
    const values = model.valuesOf(node);
    const array = node.type === "ArrayExpression" ? node : values.length === 1 && values[0].type === "array" ? values[0].node : undefined;
    if (!array || array.elements.some((e) => !e || e.type === "SpreadElement")) return undefined;
    const at = array.elements.length > 0 ? array.elements[array.elements.length - 1]!.range[1] : array.range[0] + 1;
    const text = array.elements.length > 0 ? `, ${headers}` : headers;
    const fresh = array === node || isFreshIn(array, send.site);
    const edits: TextEdit[] = fresh ? [{ range: [at, at], text }] : [{ range: [node.range[0], node.range[0]], text: "[..." }, { range: [node.range[1], node.range[1]], text: `, ${headers}]` }];
    // The headers become the method's last parameter: safe only when the method takes exactly the params sent.
    return { fixKind: arity === array.elements.length ? "fix" : "suggestion", edits };
  }
  if (!payload) return undefined;
  const node = unwrapExpression(payload);
  if (node.type === "ObjectExpression") return { fixKind: "fix", edits: addPropertyEdits(model, node, headers) };
  const values = model.valuesOf(node);
  if (values.length === 1 && values[0].type === "object") {
    const object = values[0].node;
    if (isFreshIn(object, send.site)) return { fixKind: "fix", edits: addPropertyEdits(model, object, headers) };
    // A shared object: send a copy with the headers (the structured clone copies own properties either way).
    return { fixKind: "fix", edits: [{ range: [node.range[0], node.range[0]], text: "{ ..." }, { range: [node.range[1], node.range[1]], text: `, ${HEADERS_FIELD}: ${headers} }` }] };
  }
  if (values.length === 0 && (node.type === "Literal" || node.type === "TemplateLiteral" || node.type === "BinaryExpression" || node.type === "UnaryExpression")) {
    // A string or number payload: wrapping it changes what the worker receives.
    return { fixKind: "suggestion", edits: [{ range: [node.range[0], node.range[0]], text: "{ payload: " }, { range: [node.range[1], node.range[1]], text: `, ${HEADERS_FIELD}: ${headers} }` }] };
  }
  return { fixKind: "suggestion", edits: [{ range: [node.range[0], node.range[0]], text: "{ ..." }, { range: [node.range[1], node.range[1]], text: `, ${HEADERS_FIELD}: ${headers} }` }] };
}

/**
 * Whether a send outside this file's traced scopes, in (or under) a function other project files call inside their
 * traces, spreads an optional parameter of that function into its message (`exec(job, meta = {})` posting `{ id, job,
 * ...meta }`): what its callers pass there is theirs, and may be the headers. So does a parameter every caller fills
 * with an object that carries the headers (`pool.run(weighingJob(box))`, the job holding `traceHeaders`), spread in or
 * sent as it is.
 */
function callersMayCarryHeaders(model: JsModel, send: WorkerSend): boolean {
  const payload = send.payload ? unwrapExpression(send.payload) : undefined;
  if (!payload || model.enclosingTracedScope(send.site)) return false;
  let fn = enclosingFunction(send.site);
  let scope: ReturnType<JsModel["tracedCallerScopes"]>[number] | undefined;
  while (fn && !(scope = model.tracedCallerScopes().find((s) => s.fn === fn))) fn = enclosingFunction(fn);
  if (!fn || !scope) return false;
  const carried = (node: Node) => {
    const index = node.type === "Identifier" ? model.handoffs.paramIndexOf(node, fn!) : undefined;
    return index !== undefined && (fn!.params[index]?.type === "AssignmentPattern" || !!scope!.headerParams?.includes(index));
  };
  if (payload.type !== "ObjectExpression") return carried(payload);
  return payload.properties.some((p) => p.type === "SpreadElement" && carried(unwrapExpression(p.argument)));
}

/** Whether an object literal is evaluated afresh by the function that makes the send (one object per send). */
function isFreshIn(literal: Node, site: Node): boolean {
  const frame = enclosingFunction(site);
  return !!frame && enclosingFunction(literal) === frame;
}

export const propagateTraceToWorker: JsDetector<CommonOptions> = {
  meta: {
    name: "propagate-trace-to-worker",
    description: "Send the run tree's headers with work handed to worker threads, worker pools and forked processes inside a trace.",
    recommended: true,
    messages: {
      missingHeaders:
        "{{call}} hands work to a {{unit}} inside {{where}}, but the trace context (AsyncLocalStorage) never crosses a thread or process, so the worker's runs start traces of their own. The fix sends the run tree's headers in `{{field}}` (guarded for no trace and tracing off){{pair}}.",
      suggestHeaders: "Send the run tree's headers in `{{field}}` with the payload (the worker must read its data from the new shape).",
    },
  },
  optionProperties: { autofix: AUTOFIX_OPTION },
  defaultOptions: { autofix: true },
  detect(model) {
    const findings: JsFindingData[] = [];
    const sends = model.workers.sends();
    if (sends.length === 0) return findings;
    const hasPostMessage = new Set(sends.filter((s) => s.form === "postMessage").map((s) => s.workerFile));
    for (const send of sends) {
      if (!model.workers.inTracedReach(send.site)) continue;
      if (model.workers.carriesHeaders(send.payload)) continue;
      // A send in a function other files call inside their traces, whose payload spreads an optional parameter
      // (`exec(job, meta = {})` posting `{ id, job, ...meta }`): the callers may put the headers there, unseen here;
      // or a parameter that every such caller fills with an object carrying the headers.
      if (callersMayCarryHeaders(model, send)) continue;
      // A worker started with data but fed by messages too: the messages carry the work.
      if (send.form === "workerData" && send.workerFile && hasPostMessage.has(send.workerFile)) continue;
      const facts = model.workers.workerFacts(send);
      if (facts && !facts.doesTracedWork) continue; // a worker that starts no runs: nothing to nest
      const helper = headersHelper(model);
      const headers = `${helper.name}()`;
      const arity = send.method !== undefined ? facts?.methodArity.get(send.method) : undefined;
      const plan = payloadPlan(model, send, headers, arity === -1 ? undefined : arity);
      if (!plan) continue;
      const scope = model.enclosingTracedScope(send.site);
      const workerName = send.workerFile ? path.relative(path.dirname(path.resolve(model.cwd, model.filename)), send.workerFile) || path.basename(send.workerFile) : undefined;
      const pair = workerName && facts && facts.splitting > 0 ? `; the worker module \`${workerName}\` must continue from them too (continue-trace-in-worker)` : "";
      const callee = (send.site as TSESTree.CallExpression).callee;
      const call = model.text.slice(callee.range[0], callee.range[1]).replace(/\s+/g, " ");
      findings.push({
        node: send.site,
        range: send.site.range,
        messageId: "missingHeaders",
        data: {
          call: `\`${send.site.type === "NewExpression" ? "new " : ""}${call.length > 40 ? `${call.slice(0, 37)}...` : call}(...)\``,
          unit: UNIT[send.library],
          where: scope ? `this ${scope.label}` : "a traced call (through a helper)",
          field: HEADERS_FIELD,
          pair,
        },
        fixKind: plan.fixKind,
        edits: [...helper.edits, ...plan.edits],
        suggestionMessageId: "suggestHeaders",
      });
    }
    return findings;
  },
};
