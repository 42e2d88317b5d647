/**
 * Which URLs belong to the user (and may receive trace headers): relative URLs, loopback hosts, and what the
 * `services` setting lists: URL prefixes, globs (`https://*.corp.example/**`) or `$ENV_NAME` (a URL built from
 * `os.environ["ENV_NAME"]` / `os.getenv("ENV_NAME")`). Anything else, and anything that cannot be read
 * statically, is a third party: trace ids and metadata must never be sent there.
 */
import type * as MinimatchModule from "minimatch";
import { lazyRequire } from "../lazy-require.js";
import type { PyModel } from "./model.js";
import { field, kids, type PyNode } from "./parse.js";

let minimatchModule: typeof MinimatchModule | undefined;

/** `minimatch`, loaded on first use (only `services` globs need it). */
function minimatch(url: string, pattern: string, options: MinimatchModule.MinimatchOptions): boolean {
  minimatchModule ??= lazyRequire<typeof MinimatchModule>("minimatch");
  return minimatchModule.minimatch(url, pattern, options);
}

export type UrlShape = { kind: "literal"; prefix: string } | { kind: "env"; name: string } | { kind: "unknown" };

function stringLiteralText(node: PyNode): { text: string; complete: boolean } | undefined {
  if (node.type !== "string") return undefined;
  let text = "";
  for (const child of kids(node)) {
    if (child.type === "string_content") text += child.text;
    else if (child.type === "interpolation") return { text, complete: false };
    else if (child.type === "escape_sequence") text += child.text;
  }
  return { text, complete: true };
}

/** The environment variable an expression reads, if it is `os.environ["X"]`, `os.environ.get("X")`, `os.getenv("X")`. */
function envName(model: PyModel, node: PyNode): string | undefined {
  const value = model.valueOf(node);
  if (value.type === "subscript" && model.is(field(value, "value"), "environ")) {
    const key = field(value, "subscript");
    const literal = key ? stringLiteralText(key) : undefined;
    return literal?.complete ? literal.text : undefined;
  }
  if (value.type === "call" && model.is(model.callee(value), "getenv")) {
    const first = model.positionalArgs(value)[0];
    const literal = first ? stringLiteralText(first) : undefined;
    return literal?.complete ? literal.text : undefined;
  }
  return undefined;
}

/** What is known of a URL expression: its leading literal text, or the environment variable it starts with. */
export function urlShape(model: PyModel, expr: PyNode, depth = 0): UrlShape {
  if (depth > 4) return { kind: "unknown" };
  const value = model.valueOf(expr);
  const env = envName(model, value);
  if (env) return { kind: "env", name: env };
  if (value.type === "string") {
    const first = kids(value).find((c) => c.type === "string_content" || c.type === "interpolation");
    if (first?.type === "interpolation") {
      const inner = field(first, "expression") ?? kids(first)[0];
      return inner ? urlShape(model, inner, depth + 1) : { kind: "unknown" };
    }
    const literal = stringLiteralText(value);
    return literal ? { kind: "literal", prefix: literal.text } : { kind: "unknown" };
  }
  if (value.type === "binary_operator" && field(value, "operator")?.text === "+") {
    const left = field(value, "left");
    return left ? urlShape(model, left, depth + 1) : { kind: "unknown" };
  }
  if (value.type === "call" && model.methodName(value) === "format") {
    const receiver = model.receiver(value);
    return receiver ? urlShape(model, receiver, depth + 1) : { kind: "unknown" };
  }
  return { kind: "unknown" };
}

const LOOPBACK = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)(?::\d+)?(?:[/?#]|$)/i;

/** Whether the URL is the user's own service. */
export function isOwnedUrl(shape: UrlShape, services: readonly string[]): boolean {
  if (shape.kind === "env") return services.includes(`$${shape.name}`);
  if (shape.kind !== "literal") return false;
  const url = shape.prefix;
  if (url.startsWith("/") && !url.startsWith("//")) return true;
  // A literal with a host: the host must be complete (followed by a path, port, query or the end).
  if (LOOPBACK.test(url)) return true;
  for (const service of services) {
    if (service.startsWith("$")) continue;
    if (/[*?[\]{}]/.test(service)) {
      if (minimatch(url, service, { dot: true })) return true;
      // `https://*.corp.example/**` also covers the bare origin.
      if (service.endsWith("/**") && minimatch(url, service.slice(0, -3), { dot: true })) return true;
      continue;
    }
    const prefix = service.endsWith("/") ? service : `${service}/`;
    if (url === service || url.startsWith(prefix) || (url.startsWith(service) && /^[?#:]/.test(url.slice(service.length)) && !/^:\/\//.test(url.slice(service.length)))) return true;
  }
  return false;
}
