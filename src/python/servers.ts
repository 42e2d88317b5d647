/**
 * Web servers in Python, as the model sees them: which functions serve requests (and so may need to continue the
 * caller's trace), for which framework, and with which request object.
 *
 * - ASGI apps (`FastAPI(...)`, `Starlette(...)`): handlers registered with decorators on the app or on routers it
 *   includes, listed in `routes=[Route(...), Mount(..., routes=[...]), WebSocketRoute(...)]` (a literal or a variable
 *   holding one, also `APIRouter(routes=...)`), or added with `add_route`/`add_api_route`/`add_websocket_route`;
 *   endpoints may be local functions or imported from another module of the project.
 * - Flask/Quart: handlers decorated with `@app.route(...)`/`@app.get(...)` on an app, or on a `Blueprint` (the app
 *   that registers it may live elsewhere), and `add_url_rule(..., view_func=f)`.
 * - Django: function views and class-based view methods, marked robustly: registered by `path()`/`re_path()` in
 *   this file or (project index) in another module, decorated with DRF's `@api_view`, or methods of a class whose
 *   bases are Django/DRF views.
 */
import type { ImportBinding, PyFunction, PyModel } from "./model.js";
import { field, kids, walk, type PyNode } from "./parse.js";

const ASGI_APPS = ["fastapi.FastAPI", "fastapi.applications.FastAPI", "starlette.applications.Starlette"];
const ASGI_ROUTERS = ["fastapi.APIRouter", "fastapi.routing.APIRouter"];
const ASGI_ROUTES = [
  "starlette.routing.Route",
  "starlette.routing.WebSocketRoute",
  "fastapi.routing.APIRoute",
  "fastapi.routing.APIWebSocketRoute",
];
const ASGI_MOUNTS = ["starlette.routing.Mount", "starlette.routing.Host"];
const ASGI_ADD_ROUTE = new Set(["add_route", "add_api_route", "add_websocket_route", "add_api_websocket_route"]);
const FLASK_APPS: Record<string, Framework> = { "flask.Flask": "flask", "flask.app.Flask": "flask", "quart.Quart": "quart", "quart.app.Quart": "quart" };
const FLASK_BLUEPRINTS: Record<string, Framework> = {
  "flask.Blueprint": "flask",
  "flask.blueprints.Blueprint": "flask",
  "quart.Blueprint": "quart",
  "quart.blueprints.Blueprint": "quart",
};
const DJANGO_ROUTES = ["django.urls.path", "django.urls.re_path", "django.conf.urls.url"];
const DRF_API_VIEW = ["rest_framework.decorators.api_view"];
/** Bases of class-based views: everything under these modules that a class may inherit from. */
const VIEW_BASE_MODULES = ["django.views.", "rest_framework.views.", "rest_framework.generics.", "rest_framework.viewsets.", "adrf.views.", "adrf.viewsets."];
const VIEW_METHODS = new Set([
  "get",
  "post",
  "put",
  "patch",
  "delete",
  "head",
  "options",
  // DRF viewset actions
  "list",
  "create",
  "retrieve",
  "update",
  "partial_update",
  "destroy",
]);
const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "route", "api_route", "websocket"]);

export type Framework = "asgi" | "flask" | "quart" | "django";

/** What a route points at: a local function, or a function imported from another module of the project. */
export interface Endpoint {
  /** The expression naming the endpoint where it is registered. */
  expr: PyNode;
  fn?: PyFunction;
  /** For an imported endpoint: the module (as the import spells it) and the function's name. */
  imported?: { module: string; name: string };
}

export interface AsgiApp {
  /** The constructor call (`FastAPI(...)`, `Starlette(...)`). */
  ctor: PyNode;
  /** The variable the app is bound to. */
  name: string;
  endpoints: Endpoint[];
  /** Routers imported from other modules of the project and included into the app. */
  importedRouters: ImportedName[];
}

export interface ServerHandler {
  fn: PyFunction;
  framework: Exclude<Framework, "asgi">;
  /** The request expression whose headers carry the caller's trace: `request` (Flask/Quart global) or the view's parameter. */
  request: string;
  /** How messages name it: `ask`, or `AskView.post` for a method. */
  label: string;
}

export interface ServerFacts {
  asgiApps: AsgiApp[];
  /** Flask/Quart handlers and Django views of this file (each once). */
  handlers: ServerHandler[];
}

/** Whether a function continues the caller's trace by hand (`tracing_context(parent=...)`, `langsmith_extra={"parent": ...}`). */
export function continuesTrace(body: string): boolean {
  return /tracing_context\s*\(\s*(?:[^()]*,\s*)?parent\s*=|["']parent["']\s*:\s*\w+\.headers|langsmith_extra\s*=\s*\{[^}]*["']parent["']/.test(body);
}

/** The module a from-imported name lives in, when the name is itself a module (`from . import views` gives `.views`). */
export function importedModulePath(binding: ImportBinding): string {
  if (!binding.fromImport) return binding.qualified;
  const name = binding.qualified.slice(binding.module.length + 1);
  return binding.module.endsWith(".") ? `${binding.module}${name}` : binding.qualified;
}

/** An endpoint expression: a local function (through variables), or a name/attribute imported from another module. */
function endpointOf(model: PyModel, expr: PyNode): Endpoint | undefined {
  const fn = model.functionExpr(expr);
  if (fn) return { expr, fn };
  if (expr.type === "identifier") {
    const binding = model.imports.get(expr.text);
    if (binding?.fromImport) return { expr, imported: { module: binding.module, name: binding.qualified.slice(binding.module.length + 1) } };
    return undefined;
  }
  if (expr.type === "attribute") {
    const object = field(expr, "object");
    const binding = object?.type === "identifier" ? model.imports.get(object.text) : undefined;
    const name = field(expr, "attribute")?.text;
    if (binding && name) return { expr, imported: { module: importedModulePath(binding), name } };
  }
  return undefined;
}

function qualifiedIn(model: PyModel, expr: PyNode | undefined, names: readonly string[]): boolean {
  const name = model.qualifiedName(expr);
  return name !== undefined && names.includes(name);
}

/** The argument of a call given positionally at `index` or by keyword `keyword`. */
function argument(model: PyModel, call: PyNode, index: number, keyword: string): PyNode | undefined {
  const kw = model.keywordArg(call, keyword);
  if (kw) return field(kw, "value");
  return model.positionalArgs(call)[index];
}

/** The elements of a `routes` list: a list literal, or a variable bound once to one. */
function listElements(model: PyModel, expr: PyNode | undefined): PyNode[] {
  if (!expr) return [];
  const value = model.valueOf(expr);
  if (value.type !== "list") return [];
  return kids(value).filter((c) => c.type !== "comment");
}

/** Endpoints of a Starlette/FastAPI routes list, into mounts. */
function routeEndpoints(model: PyModel, routes: PyNode | undefined, out: Endpoint[], depth = 0): void {
  if (depth > 6) return;
  for (const element of listElements(model, routes)) {
    if (element.type !== "call") continue;
    const callee = model.callee(element);
    if (qualifiedIn(model, callee, ASGI_ROUTES)) {
      const target = argument(model, element, 1, "endpoint");
      const endpoint = target ? endpointOf(model, target) : undefined;
      if (endpoint) out.push(endpoint);
    } else if (qualifiedIn(model, callee, ASGI_MOUNTS)) {
      routeEndpoints(model, model.keywordArg(element, "routes") ? field(model.keywordArg(element, "routes")!, "value") : undefined, out, depth + 1);
    }
  }
}

/** The name a constructor call is assigned to (`app = FastAPI()`), if any. */
function assignedName(call: PyNode): string | undefined {
  const assignment = call.parent;
  if (assignment?.type !== "assignment" || field(assignment, "right")?.id !== call.id) return undefined;
  const left = field(assignment, "left");
  return left?.type === "identifier" ? left.text : undefined;
}

/** Functions decorated with `@<one of names>.<route method>(...)`. */
function decoratedHandlers(model: PyModel, names: ReadonlySet<string>): PyFunction[] {
  return model.functions.filter((fn) =>
    fn.decorators.some((decorator) => {
      const callee = model.decoratorCallee(decorator);
      if (callee?.type !== "attribute") return false;
      const object = field(callee, "object");
      return object?.type === "identifier" && names.has(object.text) && ROUTE_METHODS.has(field(callee, "attribute")?.text ?? "");
    }),
  );
}

/** A name imported from another module of the project: the module as the import spells it, and the name. */
export interface ImportedName {
  module: string;
  name: string;
}

/**
 * Routers included into `names` (`x.include_router(router)`), transitively: local ones are added to `names`,
 * imported ones (`from .api import router`, `api.router`) listed in `imported`.
 */
function includedRouters(model: PyModel, names: Set<string>, imported: ImportedName[]): void {
  for (let grew = true; grew; ) {
    grew = false;
    for (const call of model.allCalls()) {
      const receiver = model.receiver(call);
      if (model.methodName(call) !== "include_router" || receiver?.type !== "identifier" || !names.has(receiver.text)) continue;
      const router = argument(model, call, 0, "router");
      if (router?.type === "identifier") {
        const binding = model.imports.get(router.text);
        if (binding?.fromImport) {
          const entry = { module: binding.module, name: binding.qualified.slice(binding.module.length + 1) };
          if (!imported.some((i) => i.module === entry.module && i.name === entry.name)) imported.push(entry);
        } else if (!names.has(router.text)) {
          names.add(router.text);
          grew = true;
        }
      } else if (router?.type === "attribute") {
        const object = field(router, "object");
        const binding = object?.type === "identifier" ? model.imports.get(object.text) : undefined;
        const attribute = field(router, "attribute")?.text;
        if (binding && attribute && !imported.some((i) => i.module === importedModulePath(binding) && i.name === attribute)) imported.push({ module: importedModulePath(binding), name: attribute });
      }
    }
  }
}

/** Endpoints this file registers on `names` (an app or router and the routers included into it). */
function endpointsOf(model: PyModel, names: ReadonlySet<string>, routes: PyNode | undefined): Endpoint[] {
  const endpoints: Endpoint[] = decoratedHandlers(model, names).map((fn) => ({ expr: fn.node, fn }));
  routeEndpoints(model, routes, endpoints);
  for (const router of names) {
    // `APIRouter(routes=[...])`
    for (const value of model.valuesOf(router, model.root)) {
      if (value.type === "call" && qualifiedIn(model, model.callee(value), ASGI_ROUTERS)) routeEndpoints(model, argument(model, value, -1, "routes"), endpoints);
    }
  }
  for (const other of model.allCalls()) {
    const method = model.methodName(other);
    const receiver = model.receiver(other);
    if (!method || !ASGI_ADD_ROUTE.has(method) || receiver?.type !== "identifier" || !names.has(receiver.text)) continue;
    const target = argument(model, other, 1, "endpoint") ?? argument(model, other, 1, "route");
    const endpoint = target ? endpointOf(model, target) : undefined;
    if (endpoint) endpoints.push(endpoint);
  }
  const seen = new Set<number>();
  return endpoints.filter((e) => {
    const key = e.fn?.node.id ?? e.expr.id;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The endpoints of a router defined in this file (`router = APIRouter()`), with the routers included into it here. */
export function routerEndpoints(model: PyModel, router: string): Endpoint[] {
  const names = new Set([router]);
  includedRouters(model, names, []);
  return endpointsOf(model, names, undefined);
}

function asgiApps(model: PyModel): AsgiApp[] {
  const apps: AsgiApp[] = [];
  for (const call of model.allCalls()) {
    if (!qualifiedIn(model, model.callee(call), ASGI_APPS)) continue;
    const name = assignedName(call);
    if (!name) continue;
    const names = new Set([name]);
    const importedRouters: ImportedName[] = [];
    includedRouters(model, names, importedRouters);
    apps.push({ ctor: call, name, endpoints: endpointsOf(model, names, argument(model, call, -1, "routes")), importedRouters });
  }
  return apps;
}

function flaskHandlers(model: PyModel, out: Map<number, ServerHandler>): void {
  const frameworks = new Map<string, Framework>();
  for (const call of model.allCalls()) {
    const qualified = model.qualifiedName(model.callee(call));
    const framework = qualified ? (FLASK_APPS[qualified] ?? FLASK_BLUEPRINTS[qualified]) : undefined;
    const name = framework ? assignedName(call) : undefined;
    if (framework && name) frameworks.set(name, framework);
  }
  if (frameworks.size === 0) return;
  for (const fn of decoratedHandlers(model, new Set(frameworks.keys()))) {
    const decorator = fn.decorators.map((d) => model.decoratorCallee(d)).find((c) => c?.type === "attribute" && frameworks.has(field(c, "object")?.text ?? ""));
    const framework = frameworks.get(field(decorator!, "object")!.text)! as "flask" | "quart";
    if (!out.has(fn.node.id)) out.set(fn.node.id, { fn, framework, request: "request", label: fn.name });
  }
  // `app.add_url_rule("/x", view_func=f)` / `bp.add_url_rule("/x", "name", f)`
  for (const call of model.allCalls()) {
    const receiver = model.receiver(call);
    if (model.methodName(call) !== "add_url_rule" || receiver?.type !== "identifier" || !frameworks.has(receiver.text)) continue;
    const target = argument(model, call, 2, "view_func");
    const fn = target ? model.functionExpr(target) : undefined;
    if (fn && !out.has(fn.node.id)) out.set(fn.node.id, { fn, framework: frameworks.get(receiver.text) as "flask" | "quart", request: "request", label: fn.name });
  }
}

/** A Django view function's request parameter (the first, after `self` for methods). */
function requestParam(fn: PyFunction, method: boolean): string | undefined {
  return fn.params[method ? 1 : 0];
}

/** Methods of a class definition. */
function methodsOf(model: PyModel, cls: PyNode): PyFunction[] {
  const body = field(cls, "body");
  if (!body) return [];
  const out: PyFunction[] = [];
  for (const child of kids(body)) {
    const def = child.type === "decorated_definition" ? field(child, "definition") : child;
    const fn = def?.type === "function_definition" ? model.functionOf(def) : undefined;
    if (fn) out.push(fn);
  }
  return out;
}

function classNamed(model: PyModel, name: string): PyNode | undefined {
  let found: PyNode | undefined;
  walk(model.root, (node) => {
    if (found) return false;
    if (node.type === "class_definition" && field(node, "name")?.text === name) found = node;
    return node.type === "module" || node.type === "decorated_definition" || node.type === "block" || node.type === "if_statement";
  });
  return found;
}

/** Whether a class inherits (directly, or through classes of this file) from a Django or DRF view. */
function isViewClass(model: PyModel, cls: PyNode, depth = 0): boolean {
  if (depth > 6) return false;
  const bases = field(cls, "superclasses");
  if (!bases) return false;
  return kids(bases).some((base) => {
    if (base.type === "keyword_argument") return false;
    const qualified = model.qualifiedName(base);
    if (qualified && VIEW_BASE_MODULES.some((prefix) => qualified.startsWith(prefix))) return true;
    if (base.type === "identifier" && !model.imports.has(base.text)) {
      const local = classNamed(model, base.text);
      return local !== undefined && local.id !== cls.id && isViewClass(model, local, depth + 1);
    }
    return false;
  });
}

function addView(out: Map<number, ServerHandler>, fn: PyFunction, className?: string): void {
  const request = requestParam(fn, className !== undefined);
  if (request && !out.has(fn.node.id)) out.set(fn.node.id, { fn, framework: "django", request, label: className ? `${className}.${fn.name}` : fn.name });
}

function addViewClass(model: PyModel, cls: PyNode, out: Map<number, ServerHandler>): void {
  const className = field(cls, "name")?.text ?? "";
  for (const fn of methodsOf(model, cls)) if (VIEW_METHODS.has(fn.name)) addView(out, fn, className);
}

/** The class a `path()` view argument names through `.as_view()` (`V.as_view()`, `views.V.as_view()`). */
function asViewClass(model: PyModel, expr: PyNode): PyNode | undefined {
  if (expr.type !== "call" || model.methodName(expr) !== "as_view") return undefined;
  return model.receiver(expr);
}

function djangoViews(model: PyModel, out: Map<number, ServerHandler>): void {
  for (const call of model.allCalls()) {
    if (!qualifiedIn(model, model.callee(call), DJANGO_ROUTES)) continue;
    const view = argument(model, call, 1, "view");
    if (!view) continue;
    const cls = asViewClass(model, view);
    if (cls?.type === "identifier" && !model.imports.has(cls.text)) {
      const local = classNamed(model, cls.text);
      if (local) addViewClass(model, local, out);
      continue;
    }
    const fn = model.functionExpr(view);
    if (fn) addView(out, fn);
  }
  for (const fn of model.functions) {
    if (fn.decorators.some((d) => qualifiedIn(model, model.decoratorCallee(d), DRF_API_VIEW)) && !model.enclosingFunction(fn.node)) addView(out, fn);
  }
  walk(model.root, (node) => {
    if (node.type === "class_definition" && isViewClass(model, node)) addViewClass(model, node, out);
    return node.type === "module" || node.type === "decorated_definition" || node.type === "block" || node.type === "if_statement" || node.type === "class_definition";
  });
  // Registered by a urls module of the project (`path("x", views.view)`, `path("x", views.V.as_view())`).
  if (model.project) {
    for (const name of model.project.djangoViews(model.filename)) {
      const fn = model.functions.find((f) => f.name === name && !model.enclosingFunction(f.node) && f.node.parent?.parent?.type !== "class_definition");
      if (fn) addView(out, fn);
      else {
        const cls = classNamed(model, name);
        if (cls) addViewClass(model, cls, out);
      }
    }
  }
}

export function serverFacts(model: PyModel): ServerFacts {
  const handlers = new Map<number, ServerHandler>();
  flaskHandlers(model, handlers);
  djangoViews(model, handlers);
  return { asgiApps: asgiApps(model), handlers: [...handlers.values()] };
}

/** A werkzeug headers expression passed as a trace parent, and the `request.headers` text inside it. */
export interface WerkzeugParent {
  /** The parent expression: `request.headers` or `dict(request.headers)`. */
  node: PyNode;
  headers: string;
}

/**
 * Flask/Quart `request.headers` passed as a trace parent (`tracing_context(parent=request.headers)`,
 * `langsmith_extra={"parent": request.headers}`, also through `dict(request.headers)`): werkzeug's headers are no
 * `Mapping` and `dict()` keeps their title-cased names, so langsmith finds no parent in either (measured: the run
 * starts a new trace).
 */
export function werkzeugHeaderParents(model: PyModel): WerkzeugParent[] {
  const out: WerkzeugParent[] = [];
  const isWerkzeugHeaders = (node: PyNode | undefined): boolean => {
    if (node?.type !== "attribute" || field(node, "attribute")?.text !== "headers") return false;
    const request = model.qualifiedName(field(node, "object"));
    return request === "flask.request" || request === "quart.request";
  };
  const parentOf = (value: PyNode | undefined): WerkzeugParent | undefined => {
    if (!value) return undefined;
    if (isWerkzeugHeaders(value)) return { node: value, headers: value.text };
    if (value.type === "call" && model.callee(value)?.type === "identifier" && model.callee(value)!.text === "dict" && !model.imports.has("dict")) {
      const args = model.positionalArgs(value);
      const kw = field(value, "arguments");
      if (args.length === 1 && kw && kids(kw).length === 1 && isWerkzeugHeaders(args[0])) return { node: value, headers: args[0].text };
    }
    return undefined;
  };
  walk(model.root, (node) => {
    let found: WerkzeugParent | undefined;
    if (node.type === "keyword_argument" && field(node, "name")?.text === "parent") {
      const call = node.parent?.parent;
      if (call?.type === "call" && model.is(model.callee(call), "tracingContext")) found = parentOf(field(node, "value"));
    } else if (node.type === "pair") {
      const key = field(node, "key");
      if (key?.type === "string" && /^["']parent["']$/.test(key.text)) found = parentOf(field(node, "value"));
    }
    if (found) out.push(found);
    return true;
  });
  return out;
}
