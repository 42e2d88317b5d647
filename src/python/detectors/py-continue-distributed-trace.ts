/**
 * py-continue-distributed-trace: a server whose handlers do traced work but never read the caller's trace headers
 * starts a new trace per request (ground truth §5: `app.add_middleware(TracingMiddleware)` and
 * `with tracing_context(parent=request.headers):` nest; a handler with neither starts its own trace). Which
 * functions serve requests is the model's question (../servers.ts): ASGI apps with decorators, `routes=[...]` and
 * `add_route`; Flask/Quart apps and blueprints; Django views. Measured: Django's `request.headers` nests as it is;
 * Flask's (werkzeug) does not, `dict(request.headers.items(lower=True))` does.
 */
import type { TextEdit } from "../../engine/types.js";
import { PY_APIS } from "../apis.js";
import { statementOf } from "../handoffs.js";
import { mergeInsertions, planFromImport } from "../imports.js";
import type { PyFunction, PyModel } from "../model.js";
import { continuesTrace, type Endpoint, type ServerHandler } from "../servers.js";
import { field, kids, walk } from "../parse.js";
import { finding, VERSION_NOTE, type PyDetector, type PyFinding } from "./types.js";

const meta = {
  name: "py-continue-distributed-trace",
  description:
    "Continue the caller's trace in servers: TracingMiddleware for FastAPI/Starlette, tracing_context(parent=...) in Flask/Quart handlers and Django views.",
  recommended: true,
  messages: {
    middleware:
      "`{{app}}` has handlers that do traced work but no TracingMiddleware, so each request starts a new trace instead of continuing the caller's. Fix: `{{app}}.add_middleware(TracingMiddleware)` after the app is created." +
      VERSION_NOTE,
    handler:
      "The {{kind}} `{{name}}` does traced work without reading the caller's trace headers, so each request starts a new trace. {{fix}}" + VERSION_NOTE,
    werkzeugHeaders:
      "`{{parent}}` holds werkzeug's headers, which langsmith does not read as a parent (no Mapping; `dict()` of them keeps title-cased names), so the request still starts a new trace. Fix: pass `dict({{headers}}.items(lower=True))`, the headers under the lower-case names langsmith reads." +
      VERSION_NOTE,
    suggestContext: "Run the body in `with tracing_context(parent={{parent}}):`.",
  },
} as const;

/** The parent expression that continues the caller's trace from a handler's request. */
function parentExpression(framework: ServerHandler["framework"], request: string): string {
  // Werkzeug's headers (Flask, Quart) are no Mapping and keep title-cased names: measured SPLIT as they are.
  return framework === "django" ? `${request}.headers` : `dict(${request}.headers.items(lower=True))`;
}

/** Whether an ASGI endpoint does traced work without continuing the trace by hand. */
function endpointStartsTrace(model: PyModel, endpoint: Endpoint): boolean {
  if (endpoint.fn) return model.functionDoesTracedWork(endpoint.fn) && !continuesTrace(endpoint.fn.body.text);
  if (!endpoint.imported || !model.project) return false;
  return model.project.importedEndpointStartsTrace(model.filename, endpoint.imported.module, endpoint.imported.name);
}

/** Re-indent the handler's body (after its docstring) under `with tracing_context(parent=request.headers):`. */
function wrapBody(model: PyModel, fn: PyFunction, contextRef: string, parent: string): TextEdit[] | undefined {
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
  return [{ range: [start, end], text: `${indent}with ${contextRef}(parent=${parent}):${eol}${body}` }];
}

function detect(model: PyModel): PyFinding[] {
  const out: PyFinding[] = [];
  const { asgiApps, handlers } = model.servers();
  for (const app of asgiApps) {
    const needsTrace =
      app.endpoints.some((endpoint) => endpointStartsTrace(model, endpoint)) ||
      app.importedRouters.some((router) => model.project?.importedRouterStartsTrace(model.filename, router.module, router.name) ?? false);
    if (!needsTrace) continue;
    if (/TracingMiddleware/.test(app.ctor.text)) continue;
    const hasMiddleware = model.allCalls().some((other) => {
      if (model.methodName(other) !== "add_middleware" || model.receiver(other)?.text !== app.name) return false;
      const first = model.positionalArgs(other)[0];
      return first !== undefined && model.is(first, "tracingMiddleware");
    });
    if (hasMiddleware) continue;
    const plan = planFromImport(model, "langsmith.middleware", "TracingMiddleware", PY_APIS.tracingMiddleware);
    const statement = statementOf(app.ctor);
    const indent = model.indentAt(statement.startIndex);
    const edits = mergeInsertions([...plan.edits, { range: [statement.endIndex, statement.endIndex], text: `${model.eol}${indent}${app.name}.add_middleware(${plan.ref})` }]);
    out.push(finding(model, app.ctor, "middleware", "fix", edits, { app: app.name }));
  }
  for (const handler of handlers) {
    if (!model.functionDoesTracedWork(handler.fn) || continuesTrace(handler.fn.body.text)) continue;
    const nameNode = field(handler.fn.node, "name")!;
    const kind = handler.framework === "django" ? "view" : "handler";
    let request = handler.request;
    let requestEdits: TextEdit[] = [];
    if (handler.framework !== "django") {
      const requestPlan = planFromImport(model, handler.framework, "request");
      request = requestPlan.ref;
      requestEdits = requestPlan.edits;
    }
    const parent = parentExpression(handler.framework, request);
    if (model.isTraceable(handler.fn)) {
      out.push(
        finding(model, nameNode, "handler", "none", [], {
          kind,
          name: handler.label,
          fix: `It is itself a traceable, whose run starts before its body: pass the headers as its parent from the route instead (\`langsmith_extra={"parent": ${parent}}\`).`,
        }),
      );
      continue;
    }
    const contextPlan = planFromImport(model, "langsmith", "tracing_context", PY_APIS.tracingContext);
    const wrap = wrapBody(model, handler.fn, contextPlan.ref, parent);
    const edits = wrap ? mergeInsertions([...contextPlan.edits, ...requestEdits, ...wrap]) : [];
    out.push(
      finding(
        model,
        nameNode,
        "handler",
        wrap ? "suggestion" : "none",
        edits,
        {
          kind,
          name: handler.label,
          parent,
          fix: `Run its body in \`with tracing_context(parent=${parent}):\` (a suggestion: it re-indents the ${kind}).`,
        },
        "suggestContext",
      ),
    );
  }
  for (const { node, headers } of model.werkzeugHeaderParents()) {
    out.push(finding(model, node, "werkzeugHeaders", "fix", [{ range: [node.startIndex, node.endIndex], text: `dict(${headers}.items(lower=True))` }], { parent: node.text, headers }));
  }
  return out;
}

/**
 * Every finding is about a server the model knows: an ASGI app, a Flask/Quart app or blueprint, a Django view. A view
 * registered by another module's `urls.py` may live in a file that names no framework: a function or method taking
 * `request` (the Django convention) lets it through.
 */
function precheck(code: string): boolean {
  if (/FastAPI|Starlette|Flask|Quart|Blueprint|\bflask\b|\bquart\b|django|rest_framework/.test(code)) return true;
  // A Django view module that imports nothing from Django itself (a project base view) still builds or returns a
  // response, or names a view class: a function taking `request` alone (an HTTP client's hook) is no view.
  return /\bdef\s+\w+\s*\(\s*(?:self\s*,\s*)?request\b/.test(code) && /\b(?:HttpRequest|HttpResponse\w*|JsonResponse|render|redirect)\s*[()]|View\b|\bas_view\b|\burlpatterns\b/.test(code);
}

export const pyContinueDistributedTrace: PyDetector = { meta, detect, precheck };
