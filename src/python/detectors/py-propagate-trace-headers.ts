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
    if (!isOwnedUrl(shape, model.settings.services)) continue;
    const headers = model.keywordArg(call, "headers");
    if (headers && /to_headers\s*\(|langsmith-trace/.test(headers.text)) continue;
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

export const pyPropagateTraceHeaders: PyDetector = { meta, detect };
