/**
 * continue-distributed-trace: a request handler (Express and routers, Fastify, Hono, Koa, Next.js route handlers,
 * `http.createServer`) that does traced work without continuing the trace its request may carry. A caller that
 * sends `langsmith-trace` / `baggage` is then not continued: the handler's runs start their own trace (ground truth
 * §2, "fetch to another process"). The fix runs the handler's body in `withRunTree(RunTree.fromHeaders(headers), …)`
 * when the headers carry a trace, and exactly as before when they do not.
 *
 * Many servers are trace roots by design, so by default (option `reportRoots: false`, the `recommended` config) only
 * handlers whose callers are in the project are reported: a call somewhere in the project names the handler's route.
 * `configs.distributed` and `configs.strict` report every handler that does traced work.
 *
 * Also reported, always: a server started (`listen()`) inside a traced scope. Its later requests run in that
 * scope's async context and land in that trace (SPLIT other); start servers outside traces.
 */
import { readFileSync } from "node:fs";
import type { TSESTree } from "@typescript-eslint/utils";
import type { TextEdit } from "../../engine/types.js";
import { planImport, type ImportRequest } from "../imports.js";
import { memberName, unwrapExpression, type FunctionNode, type JsModel, type ServerHandler } from "../model.js";
import { listensOnMadeServer, listensOnParam, madeServer } from "../model/summaries.js";
import { enclosingFunction, type Node } from "../model/ast.js";
import { projectFiles, projectRoot } from "../project/index.js";
import { isTypeScriptFile } from "./edits.js";
import { AUTOFIX_OPTION, type CommonOptions, type JsDetector, type JsFindingData } from "./types.js";

export interface ContinueOptions extends CommonOptions {
  /** Report every handler that does traced work, also those no caller in the project sends a trace to. */
  reportRoots?: boolean;
}

const RUN_TREE: ImportRequest = { module: "langsmith/run_trees", name: "RunTree" };
const WITH_RUN_TREE: ImportRequest = { module: "langsmith/traceable", name: "withRunTree" };
const CONTINUES = /\bfromHeaders\s*\(|\bwithRunTree\s*\(|\bTracingMiddleware\b/;
const CLIENT_CALL = /\bfetch\s*\(|\baxios\b|\bgot\b|\bky\b|\brequest\s*\(|\bruns\s*\.\s*(?:create|stream|wait)\b/;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether a file of the project calls the route (the path in a string or template, next to an HTTP client call). */
function hasProjectCaller(model: JsModel, handler: ServerHandler, route: string): boolean {
  if (!route.startsWith("/") || route === "/" || /[:*(]/.test(route)) return false;
  const mention = new RegExp(String.raw`["'\x60}]` + escape(route) + String.raw`["'\x60?#]`);
  // The registration itself (`app.post("/api/answer", ...)`) names the route too: it is no caller.
  const site = handler.site.type === "CallExpression" && handler.site.arguments[0] ? handler.site.arguments[0].range : [0, 0];
  const own = model.text.slice(0, site[0]) + " ".repeat(site[1] - site[0]) + model.text.slice(site[1]);
  const texts = [own, ...(model.project ? projectTexts(projectRoot(model.filename, model.cwd), model.filename) : [])];
  return texts.some((text) => mention.test(text) && CLIENT_CALL.test(text));
}

const TEXT_TTL_MS = 3000;
const textCache = new Map<string, { at: number; texts: Map<string, string> }>();

/** The texts of the project's other files that may call a service (cached briefly, like the project listing). */
function projectTexts(root: string, except: string): string[] {
  let cached = textCache.get(root);
  if (!cached || Date.now() - cached.at > TEXT_TTL_MS) {
    const texts = new Map<string, string>();
    for (const file of projectFiles(root)) {
      const text = safeRead(file);
      if (CLIENT_CALL.test(text)) texts.set(file, text);
    }
    cached = { at: Date.now(), texts };
    textCache.set(root, cached);
  }
  return [...cached.texts].filter(([file]) => file !== except).map(([, text]) => text);
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** A name not used at `site`: `base`, `base2`, ... */
function freeName(model: JsModel, base: string, handler: ServerHandler): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}${i}`;
    if (!model.isNameTaken(name, handler.fn.body, handler.fn) && !new RegExp(String.raw`\b${name}\b`).test(model.text.slice(handler.fn.range[0], handler.fn.range[1]))) return name;
  }
}

/** Edits that run the handler's body under the incoming trace when there is one. */
function continueEdits(model: JsModel, handler: ServerHandler): TextEdit[] | undefined {
  const fn = handler.fn;
  if (!handler.headersText) return undefined;
  const runTree = planImport(model, RUN_TREE, fn);
  const withRunTree = planImport(model, WITH_RUN_TREE, fn);
  const parent = freeName(model, "parentRun", handler);
  const handle = freeName(model, "handle", handler);
  const base = lineIndent(model.text, fn.range[0]);
  const inner = `${base}  `;
  const eol = model.text.includes("\r\n") ? "\r\n" : "\n";
  // Node's IncomingHttpHeaders may hold undefined values, which `fromHeaders`' parameter type does not accept.
  const cast = isTypeScriptFile(model.filename) && handler.framework !== "hono" && handler.framework !== "next" ? " as Record<string, string | string[]>" : "";
  const head = `const ${parent} = ${runTree.expression}.fromHeaders(${handler.headersText}${cast});`;
  const tail = `return ${parent} ? ${withRunTree.expression}(${parent}, ${handle}) : ${handle}();`;
  const edits: TextEdit[] = [...runTree.edits, ...withRunTree.edits];
  const body = fn.body;
  if (body.type === "BlockStatement") {
    const open = body.range[0] + 1;
    const close = body.range[1] - 1;
    const lineStart = model.text.lastIndexOf("\n", close - 1) + 1;
    const closeOnOwnLine = /^[ \t]*$/.test(model.text.slice(lineStart, close));
    edits.push({ range: [open, open], text: `${eol}${inner}${head}${eol}${inner}const ${handle} = async () => {` });
    // Indent the body one level (not when a string or template literal could span lines).
    const bodyText = model.text.slice(open, close);
    if (closeOnOwnLine && !bodyText.includes("`") && !/\\\r?\n/.test(bodyText)) {
      for (let at = model.text.indexOf("\n", open); at >= 0 && at + 1 < lineStart; at = model.text.indexOf("\n", at + 1)) {
        if (!/^\r?\n?$/.test(model.text.slice(at + 1, at + 2))) edits.push({ range: [at + 1, at + 1], text: "  " });
      }
    }
    if (closeOnOwnLine) edits.push({ range: [lineStart, lineStart], text: `${inner}};${eol}${inner}${tail}${eol}` });
    else edits.push({ range: [close, close], text: `}; ${tail} ` });
    return edits;
  }
  const expression = model.text.slice(body.range[0], body.range[1]);
  const wrapped = body.type === "ObjectExpression" ? `(${expression})` : expression;
  // Replace from after `=>` to the function's end, so the parentheses of `=> ({ ... })` go too.
  const arrow = model.text.lastIndexOf("=>", body.range[0]);
  const start = arrow >= fn.range[0] ? arrow + 2 : body.range[0];
  edits.push({ range: [start, fn.range[1]], text: ` {${eol}${inner}${head}${eol}${inner}const ${handle} = async () => ${wrapped};${eol}${inner}${tail}${eol}${base}}` });
  return edits;
}

/** `server.listen(...)` / `app.listen(...)` on a server the model recognises. */
function isServerListen(model: JsModel, call: TSESTree.CallExpression): boolean {
  const callee = unwrapExpression(call.callee);
  if (callee.type !== "MemberExpression" || memberName(callee) !== "listen") return false;
  if (model.http.serverKind(callee.object)) return true;
  // Node's `createServer` of http, https, http2, net or tls (a net server serving only on its sockets' events is not one).
  return listensOnMadeServer(model, call);
}

/** `server.listen(...)` on a server a helper made (`createWebhookServer()` of this file or another module). */
/**
 * Whether the server a call starts (`server.listen(...)`, or the one a helper returns: `const daemon = await
 * startDaemon()`) is closed by the scope itself, in its own body (`daemon.close()`), so it lives within the trace.
 */
function closedInScope(model: JsModel, call: TSESTree.CallExpression, fn: Node, direct: boolean): boolean {
  let holder: Node | undefined;
  if (direct) holder = (unwrapExpression(call.callee) as TSESTree.MemberExpression).object;
  else {
    let up: Node = call;
    while (up.parent && (up.parent.type === "AwaitExpression" || up.parent.type === "TSAsExpression")) up = up.parent;
    const declarator = up.parent;
    if (declarator?.type === "VariableDeclarator" && declarator.init === up && declarator.id.type === "Identifier") holder = declarator.id;
  }
  const variable = holder ? model.rootVariable(holder) : undefined;
  if (!variable) return false;
  return variable.references.some((r) => {
    const id = r.identifier as Node;
    const member = id.parent;
    const close = member?.parent;
    return member?.type === "MemberExpression" && member.object === id && memberName(member) === "close" && close?.type === "CallExpression" && close.callee === member && enclosingFunction(close) === fn;
  });
}

function listensOnHelperServer(model: JsModel, call: TSESTree.CallExpression): boolean {
  const callee = unwrapExpression(call.callee);
  return callee.type === "MemberExpression" && memberName(callee) === "listen" && holdsServer(model, callee.object);
}

/** The name of a helper the call runs that starts a server itself (`ensureWebhookServer()`), if any. */
function serverStartingHelper(model: JsModel, call: TSESTree.CallExpression): string | undefined {
  const callee = unwrapExpression(call.callee);
  const name = callee.type === "Identifier" ? callee.name : callee.type === "MemberExpression" ? memberName(callee) : undefined;
  if (!name) return undefined;
  const local = model.handoffs.localCallees(call);
  // A helper that calls `listen` on the server the call passes (`await listen(server)`, `server` made by
  // `createServer` here or by a helper returning one).
  const passesServer = (index: number | undefined) => {
    const arg = index === undefined ? undefined : call.arguments[index];
    return !!arg && arg.type !== "SpreadElement" && holdsServer(model, arg);
  };
  // (`listen` on a parameter is judged by what this call passes, not by what any call passes.)
  const onParam = (inner: TSESTree.CallExpression, fn: FunctionNode) => {
    const callee = unwrapExpression(inner.callee);
    return callee.type === "MemberExpression" && model.handoffs.paramIndexOf(unwrapExpression(callee.object), fn) !== undefined;
  };
  if (local.length > 0) return local.some((fn) => model.callsWithin(fn).some((inner) => inner.type === "CallExpression" && !onParam(inner, fn) && (isServerListen(model, inner) || listensOnMadeServer(model, inner))) || passesServer(listensOnParam(model, fn))) ? name : undefined;
  const summary = model.values.importedCalleeSummary(call)?.summary;
  return summary?.startsServer === true || passesServer(summary?.listensOnParam) ? name : undefined;
}

/** Whether an expression holds a server not yet listening: made by `createServer`, or by a helper that returns one. */
function holdsServer(model: JsModel, expr: Node): boolean {
  if (madeServer(model, expr)) return true;
  // A key of the object another module's factory returns (`createEndpoint().server`, `return { server, routes }`).
  const member = unwrapExpression(expr);
  const key = member.type === "MemberExpression" ? memberName(member) : undefined;
  if (key && member.type === "MemberExpression" && model.valuesOf(member.object).some((v) => v.type === "call" && !!model.values.importedCalleeSummary(v.node)?.summary.returnsServerAt?.includes(key))) return true;
  return model.valuesOf(expr).some((v) => {
    if (v.type !== "call") return false;
    const local = model.handoffs.localCallees(v.node);
    if (local.length > 0) return local.every((fn) => (model.nodes.returns.get(fn) ?? []).some((r) => madeServer(model, r)));
    return model.values.importedCalleeSummary(v.node)?.summary.returnsServer === true;
  });
}

export const continueDistributedTrace: JsDetector<ContinueOptions> = {
  meta: {
    name: "continue-distributed-trace",
    description: "Continue the incoming trace in request handlers that do traced work; never start a server inside a trace.",
    recommended: true,
    messages: {
      notContinued:
        "This {{framework}} handler does traced work without continuing the trace its request carries, so a caller's `langsmith-trace` header is ignored and the handler's runs start their own trace. The fix runs the handler under `RunTree.fromHeaders(...)` when the request carries a trace, and exactly as before when it does not.",
      serverInTrace:
        "This server is started inside a {{where}}: its later requests run in that scope's async context, so their runs land in this trace instead of their own. Start the server outside any traced function.",
      serverStartedByHelper:
        "`{{callee}}()` starts a server, and it is called inside a {{where}}: the server's later requests run in this scope's async context, so their runs land in this trace instead of their own. Start the server outside any traced function.",
      suggestContinue: "Continue the trace from the request's headers.",
    },
  },
  optionProperties: {
    autofix: AUTOFIX_OPTION,
    reportRoots: {
      type: "boolean",
      description: "Report every handler that does traced work (configs.distributed, strict). When false (recommended), only handlers that a call in the project sends requests to.",
    },
  },
  defaultOptions: { autofix: true, reportRoots: false },
  detect(model, options) {
    if (!model.runtime.als) return [];
    const findings: JsFindingData[] = [];
    const seen = new Set<ServerHandler["fn"]>();
    for (const handler of model.http.handlers()) {
      if (seen.has(handler.fn)) continue;
      seen.add(handler.fn);
      if (!model.functionDoesTracedWork(handler.fn)) continue;
      if (CONTINUES.test(model.text.slice(handler.fn.range[0], handler.fn.range[1]))) continue;
      if (model.enclosingTracedScope(handler.fn)) continue; // a handler defined inside a trace: the listen() finding covers it
      if (!options.reportRoots && !(handler.route && hasProjectCaller(model, handler, handler.route))) continue;
      const edits = continueEdits(model, handler);
      const fixKind = !edits ? "none" : handler.fn.async ? "fix" : "suggestion";
      findings.push({
        node: handler.fn,
        range: handler.fn.range,
        messageId: "notContinued",
        data: { framework: handler.framework === "next" ? "Next.js route" : handler.framework === "http" ? "Node http" : handler.framework },
        fixKind,
        edits: edits ?? [],
        suggestionMessageId: "suggestContinue",
      });
    }
    for (const call of model.calls) {
      if (call.type !== "CallExpression") continue;
      const direct = isServerListen(model, call) || listensOnHelperServer(model, call);
      const helper = direct ? undefined : serverStartingHelper(model, call);
      if (!direct && !helper) continue;
      const scope = model.enclosingTracedScope(call);
      if (!scope) continue;
      // A server the scope also closes before it returns serves that trace alone (its own requests to it).
      if (closedInScope(model, call, scope.fn, direct)) continue;
      if (direct) findings.push({ node: call, range: call.range, messageId: "serverInTrace", data: { where: scope.label }, fixKind: "none", edits: [] });
      else findings.push({ node: call, range: call.range, messageId: "serverStartedByHelper", data: { where: scope.label, callee: helper! }, fixKind: "none", edits: [] });
    }
    findings.sort((a, b) => a.range[0] - b.range[0]);
    return findings;
  },
};
