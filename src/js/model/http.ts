/**
 * HTTP: outgoing calls (fetch, axios, got, ky, undici, `http(s).request`, the LangGraph SDK) with where their target
 * URL points and where their headers travel, whether a target belongs to the project (`settings.services`, relative
 * URLs, loopback, LangGraph deployments), and server handlers (Express, Fastify, Hono, Koa, Next.js route handlers,
 * `http.createServer`) with the expression that holds the request's headers.
 *
 * Ownership is decided from what the file shows: a URL whose host the model cannot read (an unknown variable, an
 * environment variable not listed in `services`) is not owned, so nothing is ever sent to a host by guess.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { minimatch } from "minimatch";
import path from "node:path";
import type { ResolvedSettings } from "../settings.js";
import type { ApiRef, ApiResolver } from "./api.js";
import { isFunctionNode, memberName, objectProperty, stringLiteralValue, unwrapExpression, type FileNodes, type FunctionNode, type Node } from "./ast.js";
import type { Bindings } from "./bindings.js";
import type { ValueFlow } from "./values.js";

export type HttpLibrary = "fetch" | "axios" | "got" | "ky" | "undici" | "http" | "langgraph-sdk";

/** An outgoing call and where its trace context would go. */
export interface OutgoingCall {
  call: TSESTree.CallExpression;
  library: HttpLibrary;
  /** Text for messages: `fetch`, `axios.post`, `client.runs.create`. */
  label: string;
  /** Where the trace travels: request headers, or the run's `config.configurable` (LangGraph SDK). */
  carrier: "headers" | "configurable";
  /** Index of the argument that holds the options (init, config, payload); may be past the last argument. */
  optionsIndex: number;
  /** Whether the target is a service of the project. */
  owned: boolean;
  /** A LangGraph run scheduled for later (`afterSeconds`, `multitaskStrategy: "enqueue"`, a cron). */
  scheduled: boolean;
  /** Whether the call already sends the trace (`toHeaders()`, `langsmith-trace`). */
  passesTrace: boolean;
  /** Whether every URL it may call is on this machine's loopback (`http://127.0.0.1:${port}/...`, `localhost`). */
  loopback?: boolean;
  /** RemoteGraph: the argument at `optionsIndex` is the RunnableConfig itself (not an SDK payload holding `config`). */
  configArgument?: boolean;
  /** `http.request(url, callback)`: the options argument is absent and goes before the callback at `optionsIndex`. */
  optionsBeforeCallback?: boolean;
}

export type ServerFramework = "express" | "fastify" | "hono" | "koa" | "next" | "http";

export interface ServerHandler {
  fn: FunctionNode;
  framework: ServerFramework;
  /** The registering call (`app.post(...)`, `createServer(...)`), or the exported function for Next.js. */
  site: Node;
  /** The route path when written as a literal (`/api/answer`), for finding callers. */
  route?: string;
  /** Source text of the request's headers inside the handler (`req.headers`), or undefined (no request parameter). */
  headersText?: string;
}

/** An URL as far as its text is known: a static prefix, complete or continued by unknown text, or an env variable. */
interface UrlShape {
  prefix: string;
  complete: boolean;
  env?: string;
}

const AXIOS_URL_CONFIG: Record<string, number> = { get: 1, delete: 1, head: 1, options: 1, post: 2, put: 2, patch: 2, postForm: 2, putForm: 2, patchForm: 2 };
const GOT_METHODS = new Set(["get", "post", "put", "patch", "delete", "head"]);
const EXPRESS_METHODS = new Set(["get", "post", "put", "patch", "delete", "all", "use", "options", "head"]);
const NEXT_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const TRACE_MARKER = /toHeaders\s*(?:\?\.\s*)?\(|langsmith-trace|langsmithTraceHeaders/;
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1|[^/?#:]+\.localhost)$/i;

export class HttpModel {
  private outgoingCache: OutgoingCall[] | undefined;
  private handlerCache: ServerHandler[] | undefined;

  constructor(
    private readonly program: TSESTree.Program,
    private readonly nodes: FileNodes,
    private readonly bindings: Bindings,
    private readonly apis: ApiResolver,
    private readonly values: ValueFlow,
    private readonly settings: ResolvedSettings,
    private readonly text: string,
    private readonly filename: string,
  ) {}

  // ---------------------------------------------------------------------------------------------------------------
  // Outgoing calls
  // ---------------------------------------------------------------------------------------------------------------

  /** Every outgoing HTTP call the model recognises in the file. */
  outgoingCalls(): OutgoingCall[] {
    if (this.outgoingCache) return this.outgoingCache;
    const out: OutgoingCall[] = [];
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression") continue;
      const found = this.classify(call);
      if (found) out.push(found);
    }
    return (this.outgoingCache = out);
  }

  private api(expr: Node): ApiRef | undefined {
    return this.apis.resolveApi(expr);
  }

  private classify(call: TSESTree.CallExpression): OutgoingCall | undefined {
    const callee = unwrapExpression(call.callee);
    const make = (library: HttpLibrary, label: string, urlExpr: Node | undefined, optionsIndex: number, base?: UrlShape[]): OutgoingCall => {
      const options = argument(call, optionsIndex);
      const shapes = urlExpr ? this.urlShapes(urlExpr, 0) : undefined;
      let resolved = shapes;
      if (base && shapes) resolved = shapes.flatMap((s) => (isAbsolute(s.prefix) || s.env ? [s] : base.map((b) => join(b, s))));
      else if (base && !urlExpr) resolved = base;
      return {
        call,
        library,
        label,
        carrier: "headers",
        optionsIndex,
        owned: !!resolved && resolved.length > 0 && resolved.every((s) => this.isOwned(s)),
        scheduled: false,
        passesTrace: this.sendsTrace(options),
        ...(!!resolved && resolved.length > 0 && resolved.every((s) => isLoopbackUrl(s.prefix, s.complete)) ? { loopback: true } : {}),
      };
    };

    // fetch: the global, `globalThis.fetch`, undici / node-fetch / cross-fetch.
    if (callee.type === "Identifier" && callee.name === "fetch" && !this.bindings.variableOf(callee)) return make("fetch", "fetch", argument(call, 0), 1);
    if (callee.type === "MemberExpression" && memberName(callee) === "fetch") {
      const object = unwrapExpression(callee.object);
      if (object.type === "Identifier" && ["globalThis", "window", "self"].includes(object.name) && !this.bindings.variableOf(object)) return make("fetch", "fetch", argument(call, 0), 1);
    }
    const api = this.api(callee);
    if (api) {
      const module = api.module.replace(/^node:/, "");
      if ((module === "undici" && (api.name === "fetch" || api.name === "request")) || ((module === "node-fetch" || module === "cross-fetch") && (api.name === "default" || api.name === "*" || api.name === "fetch"))) {
        return make(module === "undici" ? "undici" : "fetch", api.name === "request" ? "request" : "fetch", argument(call, 0), 1);
      }
      if ((module === "http" || module === "https") && (api.name === "request" || api.name === "get")) return this.nodeHttp(call, `${module}.${api.name}`, make);
      if (module === "axios") {
        if (api.name === "default" || api.name === "*") return this.axiosCall(call, "axios", undefined, make);
        if (AXIOS_URL_CONFIG[api.name] !== undefined) return make("axios", `axios.${api.name}`, argument(call, 0), AXIOS_URL_CONFIG[api.name]);
        if (api.name === "request") return this.axiosCall(call, "axios.request", undefined, make);
      }
      if (module === "got" || module === "ky") {
        const lib = module as "got" | "ky";
        if (api.name === "default" || api.name === "*" || api.name === lib) return make(lib, lib, argument(call, 0), 1);
        if (GOT_METHODS.has(api.name)) return make(lib, `${lib}.${api.name}`, argument(call, 0), 1);
      }
    }
    if (callee.type !== "MemberExpression") {
      // An axios / got / ky instance called directly.
      const instance = this.instanceOf(callee);
      if (instance?.library === "axios") return this.axiosCall(call, "axios instance", instance.base, make);
      if (instance && (instance.library === "got" || instance.library === "ky")) return make(instance.library, instance.library, argument(call, 0), 1, instance.base);
      return undefined;
    }
    const method = memberName(callee);
    if (!method) return undefined;
    // LangGraph SDK: `client.runs.create/stream/wait(thread, assistant, payload)`, `client.crons.create...`.
    const receiver = unwrapExpression(callee.object);
    if (receiver.type === "MemberExpression") {
      const group = memberName(receiver);
      if ((group === "runs" || group === "crons") && this.isLanggraphClient(receiver.object)) {
        const clientText = this.text.slice(receiver.object.range[0], receiver.object.range[1]);
        if (group === "runs" && ["create", "stream", "wait"].includes(method)) {
          const payload = argument(call, 2);
          return {
            call,
            library: "langgraph-sdk",
            label: `${clientText}.runs.${method}`,
            carrier: "configurable",
            optionsIndex: 2,
            owned: true,
            scheduled: this.isScheduledPayload(payload),
            passesTrace: this.sendsTrace(payload) || this.clientSendsTrace(receiver.object),
          };
        }
        if (group === "crons" && (method === "create" || method === "createForThread")) {
          const index = method === "create" ? 1 : 2;
          return { call, library: "langgraph-sdk", label: `${clientText}.crons.${method}`, carrier: "configurable", optionsIndex: index, owned: true, scheduled: true, passesTrace: this.sendsTrace(argument(call, index)) };
        }
      }
    }
    // `new RemoteGraph({ graphId, url })` from `@langchain/langgraph/remote`: `invoke/stream(input, config)`.
    if (["invoke", "stream", "streamEvents"].includes(method) && this.isRemoteGraph(receiver)) {
      const config = argument(call, 1);
      return {
        call,
        library: "langgraph-sdk",
        label: `${this.text.slice(receiver.range[0], receiver.range[1])}.${method}`,
        carrier: "configurable",
        optionsIndex: 1,
        configArgument: true,
        owned: true,
        scheduled: false,
        passesTrace: this.sendsTrace(config) || this.values.valuesOf(receiver).some((v) => v.type === "new" && TRACE_MARKER.test(this.text.slice(v.node.range[0], v.node.range[1]))),
      };
    }
    const instance = this.instanceOf(receiver);
    if (instance?.library === "axios") {
      if (AXIOS_URL_CONFIG[method] !== undefined) return make("axios", `${this.text.slice(receiver.range[0], receiver.range[1])}.${method}`, argument(call, 0), AXIOS_URL_CONFIG[method], instance.base);
      if (method === "request") return this.axiosCall(call, `${this.text.slice(receiver.range[0], receiver.range[1])}.request`, instance.base, make);
    }
    if (instance && (instance.library === "got" || instance.library === "ky") && GOT_METHODS.has(method)) {
      return make(instance.library, `${this.text.slice(receiver.range[0], receiver.range[1])}.${method}`, argument(call, 0), 1, instance.base);
    }
    return undefined;
  }

  /** `axios(config)`, `axios(url, config)`, `axios.request(config)`. */
  private axiosCall(call: TSESTree.CallExpression, label: string, base: UrlShape[] | undefined, make: (l: HttpLibrary, label: string, url: Node | undefined, options: number, base?: UrlShape[]) => OutgoingCall): OutgoingCall {
    const first = argument(call, 0);
    const firstNode = first && unwrapExpression(first);
    if (label.endsWith("request") || (firstNode && firstNode.type === "ObjectExpression")) {
      const url = firstNode && firstNode.type === "ObjectExpression" ? objectProperty(firstNode, "url") : undefined;
      const baseURL = firstNode && firstNode.type === "ObjectExpression" ? objectProperty(firstNode, "baseURL") : undefined;
      const ownBase = baseURL ? this.urlShapes(baseURL, 0) : base;
      return make("axios", label, url, 0, ownBase);
    }
    return make("axios", label, first, 1, base);
  }

  /** `http.request(url, options?, cb?)` or `http.request(options, cb?)`. */
  private nodeHttp(call: TSESTree.CallExpression, label: string, make: (l: HttpLibrary, label: string, url: Node | undefined, options: number, base?: UrlShape[]) => OutgoingCall): OutgoingCall {
    const first = argument(call, 0);
    const firstNode = first && this.objectOf(first);
    if (firstNode) {
      const host = objectProperty(firstNode, "hostname") ?? objectProperty(firstNode, "host");
      const result = make("http", label, undefined, 0);
      const hostName = host ? stringLiteralValue(host) : undefined;
      // No host means localhost (Node's default).
      const shapes: UrlShape[] = !host ? [{ prefix: "http://localhost/", complete: false }] : hostName !== undefined ? [{ prefix: `http://${hostName}/`, complete: false }] : [];
      return { ...result, owned: shapes.length > 0 && shapes.every((s) => this.isOwned(s)) };
    }
    const second = argument(call, 1);
    const secondIsCallback = !!second && (isFunctionNode(unwrapExpression(second)) || (!this.objectOf(second) && unwrapExpression(second).type === "Identifier" && !this.values.valuesOf(second).some((v) => v.type === "object")));
    return { ...make("http", label, first, 1), optionsBeforeCallback: secondIsCallback };
  }

  /** An axios / got / ky instance (`axios.create({ baseURL })`, `got.extend({ prefixUrl })`) and its base URL. */
  private instanceOf(expr: Node): { library: "axios" | "got" | "ky"; base?: UrlShape[] } | undefined {
    const values = this.values.valuesOf(expr);
    if (values.length !== 1 || values[0].type !== "call") return undefined;
    const creation = values[0].node;
    const callee = unwrapExpression(creation.callee);
    if (callee.type !== "MemberExpression") return undefined;
    const method = memberName(callee);
    const api = this.api(callee.object);
    if (!api || (api.name !== "default" && api.name !== "*")) return undefined;
    const options = argument(creation, 0);
    const optionsNode = options && unwrapExpression(options);
    const baseProp = (name: string) => (optionsNode && optionsNode.type === "ObjectExpression" ? objectProperty(optionsNode, name) : undefined);
    if (api.module === "axios" && method === "create") {
      const base = baseProp("baseURL");
      return { library: "axios", base: base ? this.urlShapes(base, 0) : undefined };
    }
    if ((api.module === "got" || api.module === "ky") && (method === "extend" || method === "create")) {
      const base = baseProp("prefixUrl");
      return { library: api.module, base: base ? this.urlShapes(base, 0) : undefined };
    }
    return undefined;
  }

  /** Whether an expression holds a `Client` of `@langchain/langgraph-sdk` (or `RemoteGraph`'s `client`). */
  isLanggraphClient(expr: Node): boolean {
    const values = this.values.valuesOf(expr);
    if (values.length === 0) return false;
    return values.every((value) => {
      if (value.type === "new") return this.isSdkClientClass(value.node.callee);
      if (value.type === "call") {
        const api = this.api(value.node.callee);
        return !!api && api.module.startsWith("@langchain/langgraph-sdk") && api.name === "getClient";
      }
      return false;
    });
  }

  /** Whether an expression holds a `RemoteGraph` of `@langchain/langgraph/remote`. */
  isRemoteGraph(expr: Node): boolean {
    const values = this.values.valuesOf(expr);
    return values.length > 0 && values.every((v) => {
      if (v.type !== "new") return false;
      const api = this.api(v.node.callee);
      return !!api && api.module === "@langchain/langgraph/remote" && api.name === "RemoteGraph";
    });
  }

  private isSdkClientClass(callee: Node): boolean {
    const api = this.api(callee);
    return !!api && api.module.startsWith("@langchain/langgraph-sdk") && api.name === "Client";
  }

  private clientSendsTrace(expr: Node): boolean {
    return this.values.valuesOf(expr).some((v) => v.type === "new" && TRACE_MARKER.test(this.text.slice(v.node.range[0], v.node.range[1])));
  }

  private isScheduledPayload(payload: Node | undefined): boolean {
    const node = payload && unwrapExpression(payload);
    const object = node && this.objectOf(node);
    if (!object) return false;
    if (objectProperty(object, "afterSeconds")) return true;
    const strategy = objectProperty(object, "multitaskStrategy");
    return !!strategy && stringLiteralValue(strategy) === "enqueue";
  }

  /** The object literal an expression holds (itself, or a `const` initialised with one). */
  objectOf(expr: Node): TSESTree.ObjectExpression | undefined {
    const node = unwrapExpression(expr);
    if (node.type === "ObjectExpression") return node;
    const values = this.values.valuesOf(node);
    return values.length === 1 && values[0].type === "object" ? values[0].node : undefined;
  }

  /** Whether an options expression (or what it holds) already carries the trace. */
  private sendsTrace(options: Node | undefined): boolean {
    if (!options) return false;
    const texts = [this.text.slice(options.range[0], options.range[1])];
    const node = unwrapExpression(options);
    for (const value of this.values.valuesOf(node)) {
      if (value.type === "object" || value.type === "new" || value.type === "call") texts.push(this.text.slice(value.node.range[0], value.node.range[1]));
    }
    const object = this.objectOf(node);
    const headers = object && (objectProperty(object, "headers") ?? objectProperty(object, "config"));
    if (headers) {
      // Held in a variable: `const headers = getCurrentRunTree().toHeaders()`, `{ ...traceHeaders, accept }`.
      const held = [...this.values.valuesOf(headers)];
      for (const value of [...held]) {
        if (value.type !== "object") continue;
        for (const p of value.node.properties) if (p.type === "SpreadElement") held.push(...this.values.valuesOf(p.argument));
      }
      for (const value of held) {
        if (value.type === "object" || value.type === "new" || value.type === "call") texts.push(this.text.slice(value.node.range[0], value.node.range[1]));
      }
      // `rt.toHeaders(headers)` sets them on a Headers instance.
      const root = unwrapExpression(headers);
      if (root.type === "Identifier") {
        const name = root.name.replace(/\$/g, "\\$");
        if (new RegExp(String.raw`toHeaders\s*(?:\?\.\s*)?\(\s*${name}\s*\)`).test(this.text)) return true;
      }
    }
    return texts.some((t) => TRACE_MARKER.test(t));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // URLs and ownership
  // ---------------------------------------------------------------------------------------------------------------

  /** What an URL expression may be; an empty list when unknown. */
  private urlShapes(expr: Node, depth: number): UrlShape[] {
    if (depth > 6) return [];
    const node = unwrapExpression(expr);
    switch (node.type) {
      case "Literal":
        return typeof node.value === "string" ? [{ prefix: node.value, complete: true }] : [];
      case "TemplateLiteral": {
        const head = node.quasis[0].value.cooked ?? "";
        if (node.expressions.length === 0) return [{ prefix: head, complete: true }];
        if (head !== "") return [{ prefix: head, complete: false }];
        const inner = this.urlShapes(node.expressions[0], depth + 1);
        const rest = node.quasis[1].value.cooked ?? "";
        return inner.map((s) => (s.complete ? { prefix: s.prefix + rest, complete: node.expressions.length === 1 } : s));
      }
      case "BinaryExpression": {
        if (node.operator !== "+") return [];
        const left = this.urlShapes(node.left as Node, depth + 1);
        const right = stringLiteralValue(node.right);
        return left.map((s) => (s.complete ? (right !== undefined ? { prefix: s.prefix + right, complete: true } : { prefix: s.prefix, complete: false }) : s));
      }
      case "LogicalExpression":
        if (node.operator === "&&") return [];
        return both(this.urlShapes(node.left, depth + 1), this.urlShapes(node.right, depth + 1));
      case "ConditionalExpression":
        return both(this.urlShapes(node.consequent, depth + 1), this.urlShapes(node.alternate, depth + 1));
      case "MemberExpression": {
        const env = envName(node);
        if (env) return [{ prefix: "", complete: false, env }];
        if (memberName(node) === "href") return this.urlShapes(node.object, depth + 1);
        return [];
      }
      case "CallExpression": {
        const callee = unwrapExpression(node.callee);
        if (callee.type === "MemberExpression" && memberName(callee) === "toString" && node.arguments.length === 0) return this.urlShapes(callee.object, depth + 1);
        if (callee.type === "Identifier" && callee.name === "String" && node.arguments[0] && node.arguments[0].type !== "SpreadElement") return this.urlShapes(node.arguments[0], depth + 1);
        return [];
      }
      case "NewExpression": {
        if (!this.isUrlClass(node.callee)) return [];
        const [input, base] = node.arguments;
        if (!input || input.type === "SpreadElement") return [];
        const inputShapes = this.urlShapes(input, depth + 1);
        if (!base || base.type === "SpreadElement") return inputShapes;
        const baseShapes = this.urlShapes(base, depth + 1);
        if (inputShapes.length === 0) return [];
        return inputShapes.flatMap((s) => (isAbsolute(s.prefix) ? [s] : baseShapes.map((b) => join(b, s))));
      }
      case "Identifier": {
        const variable = this.bindings.variableOf(node);
        if (!variable || variable.defs.length !== 1) return [];
        const def = variable.defs[0];
        if (def.type !== "Variable") return [];
        const declarator = def.node as TSESTree.VariableDeclarator;
        const declaration = declarator.parent as TSESTree.VariableDeclaration | undefined;
        if (!declarator.init || declarator.id.type !== "Identifier" || declaration?.kind !== "const") return [];
        return this.urlShapes(declarator.init, depth + 1);
      }
      default:
        return [];
    }
  }

  private isUrlClass(callee: Node): boolean {
    const node = unwrapExpression(callee);
    if (node.type === "Identifier" && node.name === "URL" && !this.bindings.variableOf(node)) return true;
    const api = this.api(node);
    return !!api && (api.module === "url" || api.module === "node:url") && api.name === "URL";
  }

  /** Whether an URL shape points at a service of the project. */
  private isOwned(shape: UrlShape): boolean {
    if (shape.env !== undefined) return this.settings.services.includes(`$${shape.env}`);
    return isOwnedUrl(shape.prefix, shape.complete, this.settings.services);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Server handlers
  // ---------------------------------------------------------------------------------------------------------------

  /** Every request handler the model recognises in the file. */
  handlers(): ServerHandler[] {
    if (this.handlerCache) return this.handlerCache;
    const out: ServerHandler[] = [];
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression") continue;
      out.push(...this.registeredHandlers(call));
      out.push(...this.importedHandlers(call));
    }
    if (/(^|[\\/])route\.[cm]?[jt]sx?$/.test(this.filename)) out.push(...this.nextRouteHandlers());
    return (this.handlerCache = out);
  }

  /** What kind of server an expression holds: `express()`, `express.Router()`, `Fastify()`, `new Hono()`, `new Koa()`, `new Router()` (koa-router). */
  serverKind(expr: Node): ServerFramework | undefined {
    for (const value of this.values.valuesOf(expr)) {
      const creation = value.type === "call" || value.type === "new" ? value.node : undefined;
      if (!creation) continue;
      let callee = unwrapExpression(creation.callee);
      let api = this.api(callee);
      if (!api && callee.type === "MemberExpression") {
        api = this.api(callee.object);
        if (api && memberName(callee) !== "Router") api = undefined;
        callee = unwrapExpression(callee.object);
      }
      if (!api) continue;
      if (api.module === "express") return "express";
      if (api.module === "fastify") return "fastify";
      if (api.module === "hono" || api.module.startsWith("hono/")) return "hono";
      if (api.module === "koa" || api.module === "@koa/router" || api.module === "koa-router") return "koa";
    }
    return undefined;
  }

  private registeredHandlers(call: TSESTree.CallExpression): ServerHandler[] {
    const callee = unwrapExpression(call.callee);
    // `http.createServer(handler)`, `createServer(options, handler)`.
    const api = this.api(callee);
    if (api && /^(node:)?https?$/.test(api.module) && api.name === "createServer") {
      // The handler may be written inline or held elsewhere (a variable, a property, a helper's parameter).
      const handler = [...call.arguments].reverse().find((a) => a.type !== "SpreadElement" && this.functionOf(a) !== undefined);
      const fn = handler && this.functionOf(handler);
      return fn ? [this.handler(fn, "http", call, undefined)] : [];
    }
    if (callee.type !== "MemberExpression") return [];
    const method = memberName(callee);
    if (!method) return [];
    // `server.on("request", handler)` on an http server.
    if (method === "on" && stringLiteralValue(call.arguments[0]) === "request") {
      const created = this.values.valuesOf(callee.object).some((v) => v.type === "call" && this.api(v.node.callee)?.name === "createServer");
      const fn = created && call.arguments[1] ? this.functionOf(call.arguments[1]) : undefined;
      return fn ? [this.handler(fn, "http", call, undefined)] : [];
    }
    const framework = this.serverKind(callee.object);
    if (!framework) return [];
    if (framework === "fastify" && method === "route") {
      const options = call.arguments[0] && this.objectOf(call.arguments[0]);
      const handler = options && objectProperty(options, "handler");
      const fn = handler && this.functionOf(handler);
      const url = options && objectProperty(options, "url");
      return fn ? [this.handler(fn, framework, call, url ? stringLiteralValue(url) : undefined)] : [];
    }
    if (!EXPRESS_METHODS.has(method)) return [];
    const route = stringLiteralValue(call.arguments[0]);
    const out: ServerHandler[] = [];
    for (const arg of call.arguments) {
      if (arg.type === "SpreadElement") continue;
      const fn = this.functionOf(arg);
      if (fn) out.push(this.handler(fn, framework, call, route));
    }
    // Middleware handlers run before the last one; only the last handler does the route's work, but any may trace.
    return out;
  }

  /** Handlers passed to a function imported from a project module that gives them to a server (`summaries.ts`). */
  private importedHandlers(call: TSESTree.CallExpression): ServerHandler[] {
    const out: ServerHandler[] = [];
    for (const entry of this.values.importedCall(call)?.summary.serverHandlers ?? []) {
      const arg = call.arguments[entry.param];
      const fn = arg && arg.type !== "SpreadElement" ? this.functionOf(arg) : undefined;
      if (fn) out.push(this.handler(fn, entry.framework, call, entry.route));
    }
    return out;
  }

  private nextRouteHandlers(): ServerHandler[] {
    const out: ServerHandler[] = [];
    const dir = path.dirname(this.filename).split(path.sep).join("/");
    const appIndex = dir.lastIndexOf("/app/");
    const route = appIndex >= 0 ? `/${dir.slice(appIndex + 5)}`.replace(/\/\([^/]+\)/g, "") : undefined;
    for (const statement of this.program.body) {
      if (statement.type !== "ExportNamedDeclaration" || !statement.declaration) continue;
      const declaration = statement.declaration;
      if (declaration.type === "FunctionDeclaration" && declaration.id && NEXT_METHODS.has(declaration.id.name)) {
        out.push(this.handler(declaration, "next", declaration, route));
      } else if (declaration.type === "VariableDeclaration") {
        for (const declarator of declaration.declarations) {
          if (declarator.id.type !== "Identifier" || !NEXT_METHODS.has(declarator.id.name) || !declarator.init) continue;
          const init = unwrapExpression(declarator.init);
          if (isFunctionNode(init)) out.push(this.handler(init, "next", declarator, route));
        }
      }
    }
    return out;
  }

  private functionOf(expr: Node): FunctionNode | undefined {
    const node = unwrapExpression(expr);
    if (isFunctionNode(node)) return node;
    const values = this.values.valuesOf(node);
    return values.length === 1 && values[0].type === "function" ? values[0].fn : undefined;
  }

  private handler(fn: FunctionNode, framework: ServerFramework, site: Node, route: string | undefined): ServerHandler {
    const first = fn.params[0];
    const name = first && first.type === "Identifier" ? first.name : first && first.type === "AssignmentPattern" && first.left.type === "Identifier" ? first.left.name : undefined;
    let headersText: string | undefined;
    if (name) {
      if (framework === "hono") headersText = `${name}.req.raw.headers`;
      else headersText = `${name}.headers`;
    }
    return { fn, framework, site, route, headersText };
  }
}

// -----------------------------------------------------------------------------------------------------------------
// Helpers
// -----------------------------------------------------------------------------------------------------------------

function argument(call: TSESTree.CallExpression | TSESTree.NewExpression, index: number): Node | undefined {
  const arg = call.arguments[index];
  return arg && arg.type !== "SpreadElement" ? arg : undefined;
}

function both(a: UrlShape[], b: UrlShape[]): UrlShape[] {
  // Unknown on either side means unknown as a whole.
  return a.length === 0 || b.length === 0 ? [] : [...a, ...b];
}

/** `process.env.NAME` / `process.env["NAME"]` / `import.meta.env.NAME`. */
function envName(node: TSESTree.MemberExpression): string | undefined {
  const object = unwrapExpression(node.object);
  const name = memberName(node);
  if (!name || object.type !== "MemberExpression") return undefined;
  const inner = unwrapExpression(object.object);
  if (memberName(object) === "env" && ((inner.type === "Identifier" && inner.name === "process") || inner.type === "MetaProperty")) return name;
  return undefined;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function isAbsolute(prefix: string): boolean {
  return SCHEME.test(prefix) || prefix.startsWith("//");
}

function join(base: UrlShape, path: UrlShape): UrlShape {
  if (!base.complete) return base;
  const joined = base.prefix.replace(/\/+$/, "") + "/" + path.prefix.replace(/^\/+/, "");
  return { prefix: joined, complete: path.complete };
}

/** Whether an absolute URL (a static prefix) names a loopback host, fully known (`http://127.0.0.1:${port}/...`). */
export function isLoopbackUrl(prefix: string, complete: boolean): boolean {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(prefix);
  if (!match) return false;
  const authority = match[1];
  const hostEnds = complete || prefix.length > match[0].length || /:\d*$/.test(authority);
  return hostEnds && LOOPBACK.test(authority.replace(/^[^@]*@/, "").replace(/:\d*$/, ""));
}

/**
 * Whether a URL (a static prefix, complete or not) points at a service of the project: relative, loopback, or
 * matched by `services` (URL prefixes and globs). The host must be fully known: `http://localhost` followed by unknown
 * text could go on as `.example.com`.
 */
export function isOwnedUrl(prefix: string, complete: boolean, services: readonly string[]): boolean {
  if (!isAbsolute(prefix)) {
    // Relative to the page or the configured base: the project's own origin. Unknown text first is no URL we know.
    return prefix !== "" && !/^[a-z][a-z0-9+.-]*$/i.test(prefix) || (complete && prefix !== "");
  }
  const match = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#]*)/i.exec(prefix);
  if (!match) return false;
  const authority = match[1];
  const after = prefix.slice(match[0].length);
  const hostEnds = complete || after.length > 0 || /:\d*$/.test(authority);
  const host = authority.replace(/^[^@]*@/, "").replace(/:\d*$/, "");
  if (hostEnds && LOOPBACK.test(host)) return true;
  for (const service of services) {
    if (service.startsWith("$")) continue;
    if (/[*?[\]{}]/.test(service)) {
      if (complete) {
        if (minimatch(prefix, service) || minimatch(prefix.replace(/\/?$/, "/"), service)) return true;
      } else if (hostEnds && service.endsWith("**")) {
        const cut = prefix.slice(0, prefix.lastIndexOf("/") + 1);
        if (cut.length > match[0].length && minimatch(cut + "x", service)) return true;
      }
      continue;
    }
    if (!prefix.startsWith(service)) continue;
    if (prefix.length === service.length ? complete || service.endsWith("/") : service.endsWith("/") || /[/?#:]/.test(prefix[service.length])) return true;
  }
  return false;
}

