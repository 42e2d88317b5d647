/**
 * propagate-trace-headers: an outgoing call, inside a traced scope (directly or through in-file helpers), to a service
 * the project owns, that does not send the current run's `langsmith-trace` / `baggage` headers. AsyncLocalStorage
 * never crosses a process, so the service's runs start their own trace (ground truth §2, "fetch to another process").
 * The fix merges the headers into what the call already sends, guarded for no current run and tracing off (§4).
 * LangGraph SDK runs (`client.runs.create/stream/wait`) take no per-call headers: the trace travels in the run's
 * `config.configurable`. Calls to hosts the project does not own are never touched: the headers would leak trace ids
 * and metadata to a third party.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import type { TextEdit } from "../../engine/types.js";
import { planImport, type ImportRequest } from "../imports.js";
import { unwrapExpression, type JsModel, type Node, type OutgoingCall, type TracedScope } from "../model.js";
import { enclosingFunction, objectProperty } from "../model/ast.js";
import { AUTOFIX_OPTION, type CommonOptions, type JsDetector, type JsFindingData } from "./types.js";

export const HELPER_NAME = "langsmithTraceHeaders";
const GET_CURRENT_RUN_TREE: ImportRequest = { module: "langsmith/traceable", name: "getCurrentRunTree" };
const IS_RUN_TREE: ImportRequest = { module: "langsmith/run_trees", name: "isRunTree" };
const MAX_HELPER_DEPTH = 3;

/** The traced scope a node runs in: its own, or (through in-file helpers) one of its callers'. */
export function tracedScopeReaching(model: JsModel, node: Node, depth = 0): TracedScope | undefined {
  const scope = model.enclosingTracedScope(node);
  if (scope || depth >= MAX_HELPER_DEPTH) return scope;
  // The nearest enclosing function that is called by name; inline callbacks (a Promise executor) run inside it.
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const { sites } = model.values.callSites(fn);
    if (sites.length > 0) {
      for (const site of sites) {
        const found = tracedScopeReaching(model, site, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    const parent = fn.parent;
    if (!parent || (parent.type !== "CallExpression" && parent.type !== "NewExpression")) return undefined;
  }
  return undefined;
}

/** Merge two lists of edits, joining insertions at the same offset in order. */
function mergeSamePoint(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const edit of edits) {
    const same = out.find((e) => e.range[0] === edit.range[0] && e.range[1] === edit.range[1] && e.range[0] === e.range[1]);
    if (same && edit.range[0] === edit.range[1]) same.text += edit.text;
    else out.push({ range: [edit.range[0], edit.range[1]], text: edit.text });
  }
  return out;
}

/** `{ a }` plus a property: after the last property, or inside an empty literal. */
function addPropertyEdits(model: JsModel, object: TSESTree.ObjectExpression, text: string): TextEdit[] {
  const last = object.properties[object.properties.length - 1];
  if (last) return [{ range: [last.range[1], last.range[1]], text: `, ${text}` }];
  return [{ range: [object.range[0], object.range[1]], text: `{ ${text} }` }];
}

/** For a shorthand property (`{ headers }`), edits that replace its value must write the key too. */
function shorthand(object: TSESTree.ObjectExpression, key: string, edits: TextEdit[] | undefined): TextEdit[] | undefined {
  const property = object.properties.find((p): p is TSESTree.Property => p.type === "Property" && !p.computed && p.key.type === "Identifier" && p.key.name === key);
  if (!edits || !property?.shorthand) return edits;
  return edits.map((edit) => (edit.range[0] === property.value.range[0] && edit.range[1] === property.value.range[1] ? { range: property.range, text: `${key}: ${edit.text}` } : edit));
}

function hasSpread(object: TSESTree.ObjectExpression): boolean {
  return object.properties.some((p) => p.type === "SpreadElement");
}

/** The helper the fixes call, as text to append to the file. */
function helperText(model: JsModel, getCurrent: string, isRunTree: string): string {
  const eol = model.text.includes("\r\n") ? "\r\n" : "\n";
  const lead = model.text.endsWith("\n") ? "" : eol;
  return [
    `${lead}${eol}/** The current run's \`langsmith-trace\` and \`baggage\` headers; none outside a trace or with tracing off. */`,
    `function ${HELPER_NAME}() {`,
    `  const runTree = ${getCurrent}(true);`,
    `  return ${isRunTree}(runTree) ? runTree.toHeaders() : {};`,
    `}${eol}`,
  ].join(eol);
}

/** Whether the file already has the helper at module level; false when the name means something else. */
function helperState(model: JsModel): "present" | "absent" | "taken" {
  for (const statement of model.ast.body) {
    if (statement.type === "FunctionDeclaration" && statement.id?.name === HELPER_NAME) return "present";
  }
  const global = model.scopeManager.scopes[0];
  const taken = !!global && (global.set.has(HELPER_NAME) || global.childScopes.some((s) => s.type === "module" && s.set.has(HELPER_NAME)));
  return taken ? "taken" : "absent";
}

/** Edits that make `langsmithTraceHeaders()` callable at `site`. */
function helperEdits(model: JsModel, site: Node): TextEdit[] | undefined {
  const state = helperState(model);
  if (state === "present") return [];
  if (state === "taken") return undefined;
  const getCurrent = planImport(model, GET_CURRENT_RUN_TREE, site);
  const isRunTree = planImport(model, IS_RUN_TREE, site);
  const end = model.text.length;
  return [...getCurrent.edits, ...isRunTree.edits, { range: [end, end], text: helperText(model, getCurrent.expression, isRunTree.expression) }];
}

/** The headers value merged with the trace headers, as edits; undefined when its kind is unknown. */
function mergeHeadersValue(model: JsModel, value: Node, call: string): TextEdit[] | undefined {
  const node = unwrapExpression(value);
  if (node.type === "ObjectExpression") return addPropertyEdits(model, node, `...${call}`);
  const values = model.valuesOf(node);
  if (values.length === 0) return undefined;
  const text = model.text.slice(value.range[0], value.range[1]);
  if (values.every((v) => v.type === "object")) return [{ range: value.range, text: `{ ...${text}, ...${call} }` }];
  if (values.every((v) => v.type === "new" && model.text.slice(v.node.callee.range[0], v.node.callee.range[1]) === "Headers")) {
    return [{ range: value.range, text: `new Headers([...${text}, ...Object.entries(${call})])` }];
  }
  return undefined;
}

/** Edits that send the trace headers with an HTTP call. */
function headerEdits(model: JsModel, outgoing: OutgoingCall, call: string): TextEdit[] | undefined {
  const c = outgoing.call;
  const index = outgoing.optionsIndex;
  const arg = c.arguments[index];
  if (arg && arg.type === "SpreadElement") return undefined;
  if (!arg) {
    if (c.arguments.some((a) => a.type === "SpreadElement")) return undefined;
    const missing = index - c.arguments.length;
    const filler = "undefined, ".repeat(missing);
    const last = c.arguments[c.arguments.length - 1];
    if (!last) return undefined;
    return [{ range: [last.range[1], last.range[1]], text: `, ${filler}{ headers: ${call} }` }];
  }
  const node = unwrapExpression(arg);
  if (outgoing.optionsBeforeCallback) {
    // `http.request(url, callback)`: the options go before the callback.
    return [{ range: [arg.range[0], arg.range[0]], text: `{ headers: ${call} }, ` }];
  }
  if (node.type === "ObjectExpression") {
    const headers = objectProperty(node, "headers");
    if (headers) return shorthand(node, "headers", mergeHeadersValue(model, headers, call));
    if (hasSpread(node)) return undefined;
    return addPropertyEdits(model, node, `headers: ${call}`);
  }
  // A variable holding the options: copy it with merged headers.
  const object = model.http.objectOf(node);
  if (!object || hasSpread(object) || node.type !== "Identifier") return undefined;
  const text = node.name;
  const headers = objectProperty(object, "headers");
  if (!headers) return [{ range: arg.range, text: `{ ...${text}, headers: ${call} }` }];
  if (unwrapExpression(headers).type === "ObjectExpression") return [{ range: arg.range, text: `{ ...${text}, headers: { ...${text}.headers, ...${call} } }` }];
  return undefined;
}

/** Edits that put the trace headers in a LangGraph run's `config.configurable`. */
function configurableEdits(model: JsModel, outgoing: OutgoingCall, call: string): TextEdit[] | undefined {
  const c = outgoing.call;
  const index = outgoing.optionsIndex;
  const arg = c.arguments[index];
  if (!arg) {
    if (c.arguments.length !== index || c.arguments.some((a) => a.type === "SpreadElement")) return undefined;
    const last = c.arguments[c.arguments.length - 1];
    return [{ range: [last.range[1], last.range[1]], text: outgoing.configArgument ? `, { configurable: ${call} }` : `, { config: { configurable: ${call} } }` }];
  }
  if (arg.type === "SpreadElement") return undefined;
  const node = unwrapExpression(arg);
  if (outgoing.configArgument) {
    // RemoteGraph: the argument is the RunnableConfig; its `configurable` reaches the remote run.
    if (node.type === "ObjectExpression") {
      const configurable = objectProperty(node, "configurable");
      if (!configurable) return hasSpread(node) ? undefined : addPropertyEdits(model, node, `configurable: ${call}`);
      const configurableNode = unwrapExpression(configurable);
      if (configurableNode.type === "ObjectExpression") return addPropertyEdits(model, configurableNode, `...${call}`);
      return shorthand(node, "configurable", [{ range: configurable.range, text: `{ ...${model.text.slice(configurable.range[0], configurable.range[1])}, ...${call} }` }]);
    }
    if (node.type === "Identifier") return [{ range: arg.range, text: `{ ...${node.name}, configurable: { ...${node.name}?.configurable, ...${call} } }` }];
    return undefined;
  }
  if (node.type === "ObjectExpression") {
    const config = objectProperty(node, "config");
    if (!config) return hasSpread(node) ? undefined : addPropertyEdits(model, node, `config: { configurable: ${call} }`);
    const configNode = unwrapExpression(config);
    if (configNode.type === "ObjectExpression") {
      const configurable = objectProperty(configNode, "configurable");
      if (!configurable) return hasSpread(configNode) ? undefined : addPropertyEdits(model, configNode, `configurable: ${call}`);
      const configurableNode = unwrapExpression(configurable);
      if (configurableNode.type === "ObjectExpression") return addPropertyEdits(model, configurableNode, `...${call}`);
      return shorthand(configNode, "configurable", [{ range: configurable.range, text: `{ ...${model.text.slice(configurable.range[0], configurable.range[1])}, ...${call} }` }]);
    }
    if (configNode.type === "Identifier") {
      const name = configNode.name;
      return shorthand(node, "config", [{ range: config.range, text: `{ ...${name}, configurable: { ...${name}?.configurable, ...${call} } }` }]);
    }
    return undefined;
  }
  if (node.type === "Identifier") {
    const name = node.name;
    return [{ range: arg.range, text: `{ ...${name}, config: { ...${name}?.config, configurable: { ...${name}?.config?.configurable, ...${call} } } }` }];
  }
  return undefined;
}

/** Whether this file serves requests itself and none of its handlers does traced work. */
function servesWithoutTracing(model: JsModel): boolean {
  const handlers = model.http.handlers();
  return handlers.length > 0 && handlers.every((h) => !model.callbackDoesTracedWork(h.fn));
}

export const propagateTraceHeaders: JsDetector<CommonOptions> = {
  meta: {
    name: "propagate-trace-headers",
    description: "Send the current run's trace headers with calls, made inside a traced scope, to services the project owns.",
    recommended: true,
    messages: {
      missing:
        "`{{label}}` calls a service of this project from a {{where}} without the `langsmith-trace` and `baggage` headers, so the service's runs start their own trace: the async context never crosses a process. The fix sends the current run's headers with the call (nothing when there is no run or tracing is off).",
      missingRun:
        "`{{label}}` starts a LangGraph run from a {{where}} without the current trace, so the remote run becomes an unrelated root trace. The fix puts the current run's `langsmith-trace` and `baggage` in the run's `config.configurable`, where the remote graph can continue from them.",
      scheduled:
        "`{{label}}` schedules a LangGraph run for later from a {{where}} without the current trace; a scheduled run may be meant as its own trace, so the headers are only suggested, not added.",
      suggestHeaders: "Send the current run's trace headers with this call.",
    },
  },
  optionProperties: { autofix: AUTOFIX_OPTION },
  defaultOptions: { autofix: true },
  detect(model) {
    if (!model.runtime.als) return []; // getCurrentRunTree() needs AsyncLocalStorage
    const findings: JsFindingData[] = [];
    for (const outgoing of model.http.outgoingCalls()) {
      // Never propagate to a host the project does not own: trace ids and metadata would leak.
      if (!outgoing.owned || outgoing.passesTrace) continue;
      // A request to a server of this very file (on the loopback) whose handlers start no runs: nothing there to nest.
      if (outgoing.loopback && servesWithoutTracing(model)) continue;
      const scope = tracedScopeReaching(model, outgoing.call);
      if (!scope) continue;
      const helper = helperEdits(model, outgoing.call);
      const call = `${HELPER_NAME}()`;
      const merge = helper && (outgoing.carrier === "headers" ? headerEdits(model, outgoing, call) : configurableEdits(model, outgoing, call));
      const edits = helper && merge ? mergeSamePoint([...helper, ...merge]) : [];
      const messageId = outgoing.scheduled ? "scheduled" : outgoing.carrier === "configurable" ? "missingRun" : "missing";
      findings.push({
        node: outgoing.call,
        range: outgoing.call.range,
        messageId,
        data: { label: outgoing.label, where: scope.label },
        fixKind: edits.length === 0 ? "none" : outgoing.scheduled ? "suggestion" : "fix",
        edits,
        suggestionMessageId: "suggestHeaders",
      });
    }
    return findings;
  },
};

