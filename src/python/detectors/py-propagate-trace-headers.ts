/**
 * py-propagate-trace-headers: a request from traced code to one of the user's own services carries no trace
 * headers, so the service's runs start their own trace (ground truth §5: `headers=run_tree.to_headers()` nests).
 * Only owned URLs (relative, loopback, the `services` setting) are ever touched: trace ids must not leak to third
 * parties. `RemoteGraph(...)` needs `distributed_tracing=True` to send the trace along.
 */
import type { TextEdit } from "../../engine/types.js";
import { HTTP_CLIENTS, HTTP_METHODS, HTTP_MODULE_CALLS, PY_APIS } from "../apis.js";
import { planFromImport } from "../imports.js";
import type { PyModel } from "../model.js";
import { field, kids, type PyNode } from "../parse.js";
import { importsModule, mayHoldTracedScope, type PyPrecheckContext } from "../precheck.js";
import { isOwnedUrl, urlShape } from "../urls.js";
import { finding, VERSION_NOTE, type PyDetector, type PyFinding } from "./types.js";

const meta = {
  name: "py-propagate-trace-headers",
  description: "Send the current run's trace headers to the user's own services (never to third parties).",
  recommended: true,
  messages: {
    request:
      "This request to your own service carries no trace headers, so the service's runs start their own trace. {{fix}}" + VERSION_NOTE,
    remoteGraph:
      "RemoteGraph without `distributed_tracing=True` does not send the trace to the deployment, so the remote graph's runs start their own trace. {{fix}}" + VERSION_NOTE,
    suggestHeaders: "Merge the current run tree's headers into the request's headers.",
    suggestRemote: "Pass `distributed_tracing=True`.",
  },
} as const;

/** The client object a method is called on, if it is an HTTP client (`httpx.Client()`, `requests.Session()`...). */
function httpClient(model: PyModel, receiver: PyNode): PyNode | undefined {
  const value = model.valueOf(receiver);
  if (value.type !== "call") return undefined;
  const name = model.qualifiedName(model.callee(value));
  return name && HTTP_CLIENTS.has(name) ? value : undefined;
}

/** The URL argument of a request call. */
function urlArgument(model: PyModel, call: PyNode, method: string): PyNode | undefined {
  const keyword = model.keywordArg(call, "url");
  if (keyword) return field(keyword, "value");
  const positional = model.positionalArgs(call);
  return method === "request" || method === "stream" ? positional[1] : positional[0];
}

const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "route", "api_route", "websocket"]);

/**
 * Whether the URL is `f"{base}/path..."` (or `base + "/path"`) with a path that a route decorator of this file
 * (`@app.post("/path")`) serves.
 */
function servedRoute(model: PyModel, url: PyNode): boolean {
  const value = model.valueOf(url);
  let path: string | undefined;
  if (value.type === "string") {
    const parts = kids(value).filter((c) => c.type === "string_content" || c.type === "interpolation");
    if (parts[0]?.type === "interpolation" && parts[1]?.type === "string_content") path = parts[1].text;
  } else if (value.type === "binary_operator" && field(value, "operator")?.text === "+") {
    const right = field(value, "right");
    if (right?.type === "string") {
      const parts = kids(right).filter((c) => c.type === "string_content" || c.type === "interpolation");
      if (parts[0]?.type === "string_content") path = parts[0].text;
    }
  }
  path = path?.replace(/[?#].*$/s, "");
  if (!path || !path.startsWith("/")) return false;
  return model.functions.some((fn) =>
    fn.decorators.some((decorator) => {
      const callee = model.decoratorCallee(decorator);
      if (callee?.type !== "attribute" || !ROUTE_METHODS.has(field(callee, "attribute")?.text ?? "")) return false;
      const call = kids(decorator)[0];
      const first = call?.type === "call" ? model.positionalArgs(call)[0] : undefined;
      if (first?.type !== "string") return false;
      const parts = kids(first).filter((c) => c.type === "string_content" || c.type === "interpolation");
      return parts.length === 1 && parts[0].type === "string_content" && parts[0].text === path;
    }),
  );
}

function headersExpression(grt: string): string {
  return `${grt}().to_headers() if ${grt}() else {}`;
}

function detect(model: PyModel): PyFinding[] {
  const out: PyFinding[] = [];
  for (const call of model.allCalls()) {
    const callee = model.callee(call);
    if (model.is(callee, "remoteGraph")) {
      if (model.keywordArg(call, "distributed_tracing") || model.hasSplatArgs(call)) continue;
      const urlKeyword = model.keywordArg(call, "url");
      const url = urlKeyword ? field(urlKeyword, "value") : undefined;
      const owned = url !== undefined && isOwnedUrl(urlShape(model, url), model.settings.services);
      const args = field(call, "arguments")!;
      const list = kids(args).filter((a) => a.type !== "comment");
      const last = list[list.length - 1];
      const edits: TextEdit[] = [last ? { range: [last.endIndex, last.endIndex], text: ", distributed_tracing=True" } : { range: [args.startIndex + 1, args.startIndex + 1], text: "distributed_tracing=True" }];
      const fix = owned
        ? "Fix: pass `distributed_tracing=True` (the deployment is yours: loopback or listed in `services`)."
        : "Pass `distributed_tracing=True` if the deployment is yours (a suggestion: its URL is not loopback nor listed in the `services` setting).";
      out.push(finding(model, call, "remoteGraph", owned ? "fix" : "suggestion", edits, { fix }, owned ? undefined : "suggestRemote"));
      continue;
    }
    const qualified = model.qualifiedName(callee);
    let method: string | undefined;
    let client: PyNode | undefined;
    if (qualified && HTTP_MODULE_CALLS.has(qualified)) method = qualified.slice(qualified.lastIndexOf(".") + 1);
    else {
      const name = model.methodName(call);
      const receiver = model.receiver(call);
      if (name && HTTP_METHODS.has(name) && receiver) {
        client = httpClient(model, receiver);
        if (client) method = name;
      }
    }
    if (!method || method === "send" || model.hasSplatArgs(call)) continue;
    const url = urlArgument(model, call, method);
    if (!url || !model.insideTrace(call)) continue;
    let shape = urlShape(model, url);
    const baseUrl = client ? model.keywordArg(client, "base_url") : undefined;
    if (baseUrl && shape.kind === "literal" && shape.prefix.startsWith("/")) shape = urlShape(model, field(baseUrl, "value")!);
    const owned = isOwnedUrl(shape, model.settings.services);
    // A URL built from an unknown base whose path is a route this file serves: the team's own service, most
    // likely, but the base is not known, so only a suggestion (trace ids must not reach third parties).
    if (!owned && !servedRoute(model, url)) continue;
    const headers = model.keywordArg(call, "headers");
    if (headers && /to_headers\s*\(|langsmith-trace/.test(headers.text)) continue;
    if (!owned) {
      const plan = planFromImport(model, "langsmith", "get_current_run_tree", PY_APIS.getCurrentRunTree);
      const value = headers ? field(headers, "value") : undefined;
      const args = field(call, "arguments")!;
      const list = kids(args).filter((a) => a.type !== "comment");
      const last = list[list.length - 1];
      const expression = headersExpression(plan.ref);
      const edits: TextEdit[] = !headers || !value
        ? [...plan.edits, { range: [last.endIndex, last.endIndex], text: `, headers=${expression}` }]
        : [...plan.edits, { range: [value.startIndex, value.endIndex], text: `{**(${model.text.slice(value.startIndex, value.endIndex)} or {}), **(${expression})}` }];
      out.push(
        finding(model, call, "request", "suggestion", edits, {
          fix: "Send `get_current_run_tree().to_headers()` (a suggestion: the path is a route this file serves, but the base URL is not known to be yours: make it loopback or list it in the `services` setting to get a fix).",
        }, "suggestHeaders"),
      );
      continue;
    }
    const plan = planFromImport(model, "langsmith", "get_current_run_tree", PY_APIS.getCurrentRunTree);
    const expression = headersExpression(plan.ref);
    const value = headers ? field(headers, "value") : undefined;
    if (!headers || !value) {
      const args = field(call, "arguments")!;
      const list = kids(args).filter((a) => a.type !== "comment");
      const last = list[list.length - 1];
      out.push(
        finding(model, call, "request", "fix", [...plan.edits, { range: [last.endIndex, last.endIndex], text: `, headers=${expression}` }], {
          fix: "Fix: send `get_current_run_tree().to_headers()` (nothing when no run is active).",
        }),
      );
    } else if (value.type === "dictionary") {
      const entries = kids(value).filter((c) => c.type !== "comment");
      const last = entries[entries.length - 1];
      const insertAt = last ? last.endIndex : value.endIndex - 1;
      const text = `${last ? ", " : ""}**(${expression})`;
      out.push(
        finding(model, call, "request", "fix", [...plan.edits, { range: [insertAt, insertAt], text }], {
          fix: "Fix: merge `get_current_run_tree().to_headers()` into the headers (nothing when no run is active).",
        }),
      );
    } else {
      out.push(
        finding(
          model,
          call,
          "request",
          "suggestion",
          [...plan.edits, { range: [value.startIndex, value.endIndex], text: `{**(${model.text.slice(value.startIndex, value.endIndex)} or {}), **(${expression})}` }],
          { fix: "Merge `get_current_run_tree().to_headers()` into the headers (a suggestion: the headers object is not a dict literal)." },
          "suggestHeaders",
        ),
      );
    }
  }
  return out;
}

/**
 * A `RemoteGraph`, or an import of the HTTP client modules the model knows (`requests`, `httpx`, `aiohttp`) in a
 * file that may hold a traced scope (requests are reported inside a trace only).
 */
function precheck(code: string, context: PyPrecheckContext): boolean {
  return code.includes("RemoteGraph") || (importsModule(code, ["requests", "httpx", "aiohttp"]) && mayHoldTracedScope(code, context));
}

export const pyPropagateTraceHeaders: PyDetector = { meta, detect, precheck };
