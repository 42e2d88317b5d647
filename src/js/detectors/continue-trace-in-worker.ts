/**
 * continue-trace-in-worker: the worker side of propagate-trace-to-worker. A worker entry (a `parentPort.on("message")`
 * handler, a forked child's `process.on("message")` handler, a `workerpool.worker({...})` method, the task function
 * a piscina or tinypool pool of the project loads) that does traced work without continuing from the headers its
 * caller sends: AsyncLocalStorage does not cross threads or processes, so its runs start traces of their own
 * (ground truth §2). The fix runs the entry's work in `withRunTree(RunTree.fromHeaders(headers), ...)` when the
 * payload carries `langsmithHeaders` (and exactly as before when it does not), and sends the worker's runs before
 * it replies: a worker that answers first loses them when its caller terminates it.
 */
import path from "node:path";
import type { TSESTree } from "@typescript-eslint/utils";
import type { TextEdit } from "../../engine/types.js";
import { planImport, type ImportRequest } from "../imports.js";
import { enclosingFunction, propertyKey, unwrapExpression } from "../model/ast.js";
import { HEADERS_FIELD } from "../model/workers.js";
import { calleeMethodName, type FunctionNode, type JsModel, type WorkerEntry } from "../model.js";
import { nodesWithin } from "../model/ast.js";
import { isTypeScriptFile } from "./edits.js";
import { endOfFileEdit } from "./propagate-trace-to-worker.js";
import { AUTOFIX_OPTION, type CommonOptions, type JsDetector, type JsFindingData } from "./types.js";

const WITH_RUN_TREE: ImportRequest = { module: "langsmith/traceable", equivalentModules: ["langsmith/singletons/traceable"], name: "withRunTree" };
const RUN_TREE: ImportRequest = { module: "langsmith/run_trees", name: "RunTree" };
const HELPER = "continueTraceInWorker";

const ENTRY: Record<WorkerEntry["form"], string> = {
  message: "`parentPort` message handler",
  "process-message": "child process message handler",
  method: "workerpool method",
  task: "pool task function",
};

function helperEdits(model: JsModel): { name: string; runTree: string; edits: TextEdit[] } {
  const existing = model.ast.body.find((s) => s.type === "FunctionDeclaration" && s.id?.name === HELPER) as TSESTree.FunctionDeclaration | undefined;
  const run = planImport(model, RUN_TREE, model.ast);
  if (existing && model.text.slice(existing.range[0], existing.range[1]).includes("fromHeaders")) return { name: HELPER, runTree: run.expression, edits: run.edits };
  const name = existing || model.isNameTaken(HELPER, model.ast) ? `${HELPER}FromHeaders` : HELPER;
  const withRun = planImport(model, WITH_RUN_TREE, model.ast);
  const semi = /;\s*$/m.test(model.text) ? ";" : "";
  const client = sharedTraceableClient(model);
  const ts = isTypeScriptFile(model.filename);
  const signature = ts
    ? `async function ${name}<T>(headers: Record<string, string> | undefined, work: () => Promise<T>): Promise<T>`
    : `async function ${name}(headers, work)`;
  const lines = [
    "/** Runs `work` under the run tree whose headers the caller sent (trace-nesting), then sends the worker's runs. */",
    `${signature} {`,
    `  const parentRun = headers ? ${run.expression}.fromHeaders(headers${client ? (client === "client" ? ", { client }" : `, { client: ${client} }`) : ""}) : undefined${semi}`,
    `  if (!parentRun) return work()${semi}`,
    "  try {",
    `    return await ${withRun.expression}(parentRun, work)${semi}`,
    "  } finally {",
    `    await ${run.expression}.getSharedClient().awaitPendingTraceBatches()${semi}`,
    ...(client ? [`    await ${client}.awaitPendingTraceBatches()${semi}`] : []),
    "  }",
    "}",
  ];
  return { name, runTree: run.expression, edits: [...run.edits, ...withRun.edits, endOfFileEdit(model, lines)] };
}

/**
 * The client the traceables of the file are given (`traceable(fn, { name, client })`: every one that names a client
 * names the same module-level binding), or undefined. A run tree made from headers hands its own client to its children, not the traceable's: the worker's
 * runs then go through that client, which the worker flushes itself before it replies (measured: with the shared
 * client instead, a caller that terminates the worker on the reply loses the runs).
 */
function sharedTraceableClient(model: JsModel): string | undefined {
  let found: string | undefined;
  for (const call of model.calls) {
    if (call.type !== "CallExpression" || !model.isTraceableFactory(call.callee)) continue;
    const options = call.arguments[1];
    const literal = options && options.type !== "SpreadElement" ? unwrapExpression(options) : undefined;
    const property = literal?.type === "ObjectExpression" ? literal.properties.find((p): p is TSESTree.Property => p.type === "Property" && propertyKey(p) === "client") : undefined;
    if (!property) continue;
    const value = unwrapExpression(property.value as TSESTree.Node);
    if (value.type !== "Identifier") return undefined;
    const variable = model.variableOf(value);
    if (!variable || variable.scope.type !== "module" && variable.scope.type !== "global" || (found !== undefined && found !== value.name)) return undefined;
    found = value.name;
  }
  return found;
}

/** How the entry reads the headers, with the edits that make them readable (a parameter, a pattern property). */
function headersSource(model: JsModel, entry: WorkerEntry): { expression: string; edits: TextEdit[] } | undefined {
  const fn = entry.fn;
  const ts = isTypeScriptFile(model.filename);
  if (fn.params.some((p) => p.type === "RestElement")) return undefined;
  if (entry.form === "method") {
    // workerpool passes the caller's params positionally: the headers come last.
    if (model.isNameTaken(HEADERS_FIELD, fn.body, fn)) return undefined;
    if (fn.params.some((p) => p.type === "AssignmentPattern")) return undefined;
    const param = `${HEADERS_FIELD}${ts ? "?: Record<string, string>" : ""}`;
    const edits = appendParam(model, fn, param);
    return edits && { expression: HEADERS_FIELD, edits };
  }
  const first = fn.params[0];
  if (!first) {
    if (model.isNameTaken("message", fn.body, fn)) return undefined;
    const edits = appendParam(model, fn, ts ? "message?: { langsmithHeaders?: Record<string, string> }" : "message");
    return edits && { expression: `message?.${HEADERS_FIELD}`, edits };
  }
  if (first.type === "Identifier") {
    if (ts && first.typeAnnotation) return { expression: `(${first.name} as { ${HEADERS_FIELD}?: Record<string, string> } | undefined)?.${HEADERS_FIELD}`, edits: [] };
    return { expression: `${first.name}?.${HEADERS_FIELD}`, edits: [] };
  }
  if (first.type === "ObjectPattern" && !first.typeAnnotation && !first.properties.some((p) => p.type === "RestElement")) {
    if (model.isNameTaken(HEADERS_FIELD, fn.body, fn)) return undefined;
    const last = first.properties[first.properties.length - 1];
    const edit: TextEdit = last ? { range: [last.range[1], last.range[1]], text: `, ${HEADERS_FIELD}` } : { range: [first.range[0] + 1, first.range[1] - 1], text: ` ${HEADERS_FIELD} ` };
    return { expression: HEADERS_FIELD, edits: [edit] };
  }
  return undefined;
}

function appendParam(model: JsModel, fn: FunctionNode, text: string): TextEdit[] | undefined {
  const params = fn.params;
  if (params.length > 0) {
    const last = params[params.length - 1];
    if (fn.type === "ArrowFunctionExpression" && params.length === 1 && !model.text.slice(fn.range[0], last.range[0]).includes("(")) {
      return [{ range: [last.range[0], last.range[1]], text: `(${model.text.slice(last.range[0], last.range[1])}, ${text})` }];
    }
    return [{ range: [last.range[1], last.range[1]], text: `, ${text}` }];
  }
  const open = model.text.indexOf("(", fn.type !== "ArrowFunctionExpression" && fn.id ? fn.id.range[1] : fn.range[0]);
  if (open < 0 || open > fn.body.range[0]) return undefined;
  const close = model.text.indexOf(")", open);
  return close < 0 ? undefined : [{ range: [close, close], text }];
}

/** Statement edits that flush the worker's runs before each explicit reply; undefined when one cannot be flushed. */
function flushBeforeReplies(model: JsModel, entry: WorkerEntry, runTree: string): TextEdit[] | undefined {
  const fn = entry.fn;
  const flushesAlready = nodesWithin(model.calls, fn).some((call) => calleeMethodName(call) === "awaitPendingTraceBatches");
  if (flushesAlready) return [];
  const edits: TextEdit[] = [];
  const semi = /;\s*$/m.test(model.text) ? ";" : "";
  let hoisted = 0;
  for (const reply of entry.replies) {
    const statement = reply.parent?.type === "ChainExpression" ? reply.parent.parent : reply.parent;
    if (!statement || statement.type !== "ExpressionStatement" || enclosingFunction(reply) !== fn) return undefined;
    const lineStart = model.text.lastIndexOf("\n", statement.range[0] - 1) + 1;
    const before = model.text.slice(lineStart, statement.range[0]);
    const indent = /^\s*$/.test(before) ? before : " ";
    const eol = /^\s*$/.test(before) ? (model.text.includes("\r\n") ? "\r\n" : "\n") : "";
    const flush = `await ${runTree}.getSharedClient().awaitPendingTraceBatches()${semi}${eol}${indent}`;
    const value = reply.arguments[0];
    if (value && value.type !== "SpreadElement" && computesWork(model, value)) {
      // The reply's value is computed in its argument: compute it first, flush, then reply.
      let name = hoisted === 0 ? "workerReply" : `workerReply${hoisted + 1}`;
      while (model.isNameTaken(name, statement, fn)) name = `${name}_`;
      hoisted++;
      edits.push({ range: [statement.range[0], statement.range[0]], text: `const ${name} = ${model.text.slice(value.range[0], value.range[1])}${semi}${eol}${indent}${flush}` });
      edits.push({ range: [value.range[0], value.range[1]], text: name });
      continue;
    }
    edits.push({ range: [statement.range[0], statement.range[0]], text: flush });
  }
  return edits;
}

/** Whether evaluating an expression calls or awaits anything (so traced work may run while it is evaluated). */
function computesWork(model: JsModel, expr: TSESTree.Node): boolean {
  if (nodesWithin(model.calls, expr).length > 0) return true;
  let found = false;
  const visit = (node: unknown): void => {
    if (found || !node || typeof node !== "object") return;
    if ((node as { type?: string }).type === "AwaitExpression") {
      found = true;
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === "parent") continue;
      if (Array.isArray(child)) child.forEach(visit);
      else if (child && typeof child === "object" && "type" in child) visit(child);
    }
  };
  visit(expr);
  return found;
}

/** How the message names the helper that registers the handler, when one does. */
function registeredVia(entry: WorkerEntry, here: string): string {
  const via = entry.registeredVia;
  if (!via) return "";
  return ` (registered by \`${via.helper}\`${via.file ? ` of \`${path.relative(here, via.file)}\`` : ""})`;
}

function bodyEdits(fn: FunctionNode, helper: string, headers: string): TextEdit[] {
  const body = fn.body;
  if (body.type === "BlockStatement") {
    return [
      { range: [body.range[0] + 1, body.range[0] + 1], text: ` return ${helper}(${headers}, async () => {` },
      { range: [body.range[1] - 1, body.range[1] - 1], text: "}); " },
    ];
  }
  return [
    { range: [body.range[0], body.range[0]], text: `${helper}(${headers}, async () => (` },
    { range: [body.range[1], body.range[1]], text: "))" },
  ];
}

export const continueTraceInWorker: JsDetector<CommonOptions> = {
  meta: {
    name: "continue-trace-in-worker",
    description: "Continue the caller's trace in worker threads, pool tasks and forked processes, and flush before replying.",
    recommended: true,
    messages: {
      notContinued:
        "This {{entry}}{{via}} does traced work, but the trace context (AsyncLocalStorage) does not cross into a worker thread or process, so its runs start traces of their own{{launcher}}. The fix runs the work in `withRunTree(RunTree.fromHeaders(...))` when the caller sent `{{field}}` (unchanged otherwise) and sends the worker's runs before it replies.",
      workerDataScript:
        "This worker script does traced work when it loads (with `workerData`), but the trace context (AsyncLocalStorage) does not cross into a worker thread, so its runs start traces of their own. Send the caller's `{{field}}` in `workerData`, run the work in `withRunTree(RunTree.fromHeaders(workerData.{{field}}), work)`, and flush the client before replying; no automatic fix for load-time work.",
      notContinuedSync:
        "This {{entry}}{{via}} does traced work, but the trace context (AsyncLocalStorage) does not cross into a worker thread or process, so its runs start traces of their own{{launcher}}. Continue from the headers the caller sends (`withRunTree(RunTree.fromHeaders(headers), work)`) and flush the client before replying; no automatic fix for a synchronous entry.",
      suggestContinue: "Continue from the caller's `{{field}}` with `withRunTree(RunTree.fromHeaders(...))`.",
    },
  },
  optionProperties: { autofix: AUTOFIX_OPTION },
  defaultOptions: { autofix: true },
  detect(model) {
    const findings: JsFindingData[] = [];
    for (const entry of model.workers.entries()) {
      const fn = entry.fn;
      if (!model.functionDoesTracedWork(fn) || model.workers.continuesTrace(fn)) continue;
      const here = path.dirname(path.resolve(model.cwd, model.filename));
      const data = {
        entry: entry.name && entry.form === "method" ? `${ENTRY[entry.form]} "${entry.name}"` : ENTRY[entry.form],
        field: HEADERS_FIELD,
        launcher: entry.launchedFrom && entry.launchedFrom !== path.resolve(model.cwd, model.filename) ? ` (loaded by \`${path.relative(here, entry.launchedFrom)}\`)` : "",
        via: registeredVia(entry, here),
      };
      const node = fn;
      const range = fn.range;
      const source = fn.async ? headersSource(model, entry) : undefined;
      if (!fn.async || !source) {
        findings.push({ node, range, messageId: fn.async ? "notContinued" : "notContinuedSync", data, fixKind: "none", edits: [] });
        continue;
      }
      const helper = helperEdits(model);
      const flush = flushBeforeReplies(model, entry, helper.runTree);
      findings.push({
        node,
        range,
        messageId: "notContinued",
        data,
        fixKind: flush ? "fix" : "suggestion",
        edits: [...helper.edits, ...source.edits, ...bodyEdits(fn, helper.name, source.expression), ...(flush ?? [])],
        suggestionMessageId: "suggestContinue",
      });
    }
    const loadTime = model.workers.workerDataWork();
    if (loadTime && !model.nodes.calls.some((call) => calleeMethodName(call) === "fromHeaders")) {
      findings.push({ node: loadTime, range: loadTime.range, messageId: "workerDataScript", data: { field: HEADERS_FIELD }, fixKind: "none", edits: [] });
    }
    return findings;
  },
};
