/**
 * py-continue-distributed-trace: a server whose handlers do traced work but never read the caller's trace headers
 * starts a new trace per request (ground truth §5: `app.add_middleware(TracingMiddleware)` and
 * `with tracing_context(parent=request.headers):` nest; a handler with neither starts its own trace).
 */
import type { TextEdit } from "../../engine/types.js";
import { PY_APIS } from "../apis.js";
import { statementOf } from "../handoffs.js";
import { mergeInsertions, planFromImport } from "../imports.js";
import type { PyFunction, PyModel } from "../model.js";
import { field, kids, walk, type PyNode } from "../parse.js";
import { finding, VERSION_NOTE, type PyDetector, type PyFinding } from "./types.js";

const meta = {
  name: "py-continue-distributed-trace",
  description: "Continue the caller's trace in servers: TracingMiddleware for FastAPI/Starlette, tracing_context(parent=request.headers) elsewhere.",
  recommended: true,
  messages: {
    middleware:
      "`{{app}}` has handlers that do traced work but no TracingMiddleware, so each request starts a new trace instead of continuing the caller's. Fix: `{{app}}.add_middleware(TracingMiddleware)` after the app is created." +
      VERSION_NOTE,
    handler:
      "The handler `{{name}}` does traced work without reading the caller's trace headers, so each request starts a new trace. {{fix}}" + VERSION_NOTE,
    suggestContext: "Run the handler's body in `with tracing_context(parent=request.headers):`.",
  },
} as const;

const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "route", "api_route", "websocket"]);

/** Handlers registered with `@<name>.<method>(...)`. */
function handlersOf(model: PyModel, names: ReadonlySet<string>): PyFunction[] {
  return model.functions.filter((fn) =>
    fn.decorators.some((decorator) => {
      const callee = model.decoratorCallee(decorator);
      if (callee?.type !== "attribute") return false;
      const object = field(callee, "object");
      return object?.type === "identifier" && names.has(object.text) && ROUTE_METHODS.has(field(callee, "attribute")?.text ?? "");
    }),
  );
}

function readsHeaders(fn: PyFunction): boolean {
  return /tracing_context\s*\(\s*parent\s*=|["']parent["']\s*:\s*request\.headers|langsmith_extra\s*=\s*\{[^}]*["']parent["']/.test(fn.body.text);
}

/** Re-indent the handler's body (after its docstring) under `with tracing_context(parent=request.headers):`. */
function wrapBody(model: PyModel, fn: PyFunction, contextRef: string, requestRef: string): TextEdit[] | undefined {
  const statements = kids(fn.body).filter((c) => c.type !== "comment");
  let first = statements[0];
  if (first?.type === "expression_statement" && kids(first)[0]?.type === "string") first = statements[1];
  if (!first) return undefined;
  let multilineString = false;
  walk(fn.body, (node) => {
    if (node.type === "string" && node.startPosition.row !== node.endPosition.row) multilineString = true;
    return !multilineString;
  });
  if (multilineString) return undefined;
  const start = model.text.lastIndexOf("\n", first.startIndex - 1) + 1;
  const indent = model.indentAt(first.startIndex);
  const defIndent = model.indentAt(fn.node.startIndex);
  const unit = indent.slice(defIndent.length) || "    ";
  const end = fn.body.endIndex;
  const eol = model.eol;
  const body = model.text
    .slice(start, end)
    .split(/\r?\n/)
    .map((line) => (line.trim() === "" ? line : `${unit}${line}`))
    .join(eol);
  return [{ range: [start, end], text: `${indent}with ${contextRef}(parent=${requestRef}.headers):${eol}${body}` }];
}

function detect(model: PyModel): PyFinding[] {
  const out: PyFinding[] = [];
  for (const call of model.allCalls()) {
    const callee = model.callee(call);
    const isAsgi = model.is(callee, "fastapi");
    const isFlask = model.is(callee, "flask");
    if (!isAsgi && !isFlask) continue;
    const assignment = call.parent;
    if (assignment?.type !== "assignment" || field(assignment, "right")?.id !== call.id) continue;
    const appName = field(assignment, "left");
    if (appName?.type !== "identifier") continue;
    const names = new Set([appName.text]);
    // Routers included into the app in this file serve its requests too.
    for (const other of model.allCalls()) {
      if (model.methodName(other) === "include_router" && model.receiver(other)?.text === appName.text) {
        const router = model.positionalArgs(other)[0];
        if (router?.type === "identifier") names.add(router.text);
      }
    }
    const handlers = handlersOf(model, names).filter((fn) => model.functionDoesTracedWork(fn));
    if (handlers.length === 0) continue;
    if (isAsgi) {
      if (/TracingMiddleware/.test(call.text)) continue;
      const hasMiddleware = model.allCalls().some((other) => {
        if (model.methodName(other) !== "add_middleware" || model.receiver(other)?.text !== appName.text) return false;
        const first = model.positionalArgs(other)[0];
        return first !== undefined && model.is(first, "tracingMiddleware");
      });
      if (hasMiddleware) continue;
      const plan = planFromImport(model, "langsmith.middleware", "TracingMiddleware", PY_APIS.tracingMiddleware);
      const statement = statementOf(call);
      const indent = model.indentAt(statement.startIndex);
      const edits = mergeInsertions([...plan.edits, { range: [statement.endIndex, statement.endIndex], text: `${model.eol}${indent}${appName.text}.add_middleware(${plan.ref})` }]);
      out.push(finding(model, call, "middleware", "fix", edits, { app: appName.text }));
      continue;
    }
    for (const handler of handlers) {
      if (readsHeaders(handler)) continue;
      const nameNode = field(handler.node, "name")!;
      if (model.isTraceable(handler)) {
        out.push(
          finding(model, nameNode, "handler", "none", [], {
            name: handler.name,
            fix: "The handler is itself a traceable, whose run starts before its body: pass the headers as its parent from the route instead (`langsmith_extra={\"parent\": request.headers}`).",
          }),
        );
        continue;
      }
      const contextPlan = planFromImport(model, "langsmith", "tracing_context", PY_APIS.tracingContext);
      const requestPlan = planFromImport(model, isFlask && model.text.includes("quart") ? "quart" : "flask", "request");
      const wrap = wrapBody(model, handler, contextPlan.ref, requestPlan.ref);
      const edits = wrap ? mergeInsertions([...contextPlan.edits, ...requestPlan.edits, ...wrap]) : [];
      out.push(
        finding(model, nameNode, "handler", wrap ? "suggestion" : "none", edits, {
          name: handler.name,
          fix: "Run its body in `with tracing_context(parent=request.headers):` (a suggestion: it re-indents the handler).",
        }, "suggestContext"),
      );
    }
  }
  return out;
}

/** Every finding is about an app made by one of the server classes the model knows. */
function precheck(code: string): boolean {
  return /FastAPI|Starlette|Flask|Quart/.test(code);
}

export const pyContinueDistributedTrace: PyDetector = { meta, detect, precheck };
