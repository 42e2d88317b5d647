/**
 * Worker threads and processes: where a file hands work to another thread or process (`new Worker(...)` with
 * `workerData` or `postMessage`, piscina and tinypool `run`, workerpool `exec`, `child_process.fork(...)` and
 * `child.send`), which module runs that work, and the worker side: the entries of a worker module (a
 * `parentPort.on("message")` handler, a forked child's `process.on("message")` handler, `workerpool.worker({...})`
 * methods, the task function a piscina or tinypool pool loads). AsyncLocalStorage never crosses a thread or a
 * process (ground truth §2): only headers sent with the work and continued on the other side keep one trace.
 *
 * Cross-file questions (which module a pool loads, what that module's entries do, which pools load this file) are
 * answered by building the other file's model through a hook set by the model facade (no import cycle), cached by
 * the file's modification time and size, one level deep.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { projectMemo } from "../project/index.js";
import { mayNameProjectModule, resolveProjectModule } from "../project/resolve.js";
import type { ResolvedSettings } from "../settings.js";
import type { ApiRef, ApiResolver } from "./api.js";
import type { Handoffs } from "./handoffs.js";
import { calleeMethodName, contains, isFunctionNode, memberName, nodesWithin, objectProperty, propertyKey, runningFrame, stringLiteralValue, unwrapExpression, type CallLike, type FileNodes, type FunctionNode, type Node } from "./ast.js";
import type { Bindings } from "./bindings.js";
import type { TracedScopes } from "./scopes.js";
import type { TracedWork } from "./traced-work.js";
import { importedCalleeOf, type ValueFlow } from "./values.js";

export type WorkerLibrary = "worker_threads" | "piscina" | "tinypool" | "workerpool" | "child_process";

/** The payload field the fixes put the run tree's headers in (and the worker side reads them from). */
export const HEADERS_FIELD = "langsmithHeaders";

/** Work handed to another thread or process. */
export interface WorkerSend {
  /** The call that hands the payload over (`new Worker`, `postMessage`, `run`, `exec`, `send`). */
  site: CallLike;
  library: WorkerLibrary;
  form: "workerData" | "postMessage" | "run" | "exec" | "send";
  /** The expression sent: the `workerData` value, the message, the task, workerpool's params array. */
  payload: Node | undefined;
  /** workerpool's method name, or the piscina / tinypool `name` option (the exported task). */
  method?: string;
  /** The module that runs the work, when it resolves to a file of the project. */
  workerFile?: string;
  /** The module as written (for messages). */
  workerSpec?: string;
}

/** A function of a worker module that receives work from another thread or process. */
export interface WorkerEntry {
  fn: FunctionNode;
  library: WorkerLibrary;
  form: "message" | "process-message" | "method" | "task";
  /** workerpool method or exported task name. */
  name?: string;
  /** Explicit replies inside the entry (`parentPort.postMessage`, `process.send`). */
  replies: TSESTree.CallExpression[];
  /** Where the module's launcher was found (piscina / tinypool task modules). */
  launchedFrom?: string;
  /** The call of the helper that registers the handler (an in-file helper or one imported from another module). */
  registeredVia?: { call: TSESTree.CallExpression; helper: string; file?: string };
}

/**
 * A parameter of a function that the function (itself, or through the helpers it calls) registers as a worker's
 * message handler: `function listen(h) { parentPort.on("message", h) }`. The receiver and the event name may be
 * parameters too; the call site then decides.
 */
export interface HandlerParam {
  /** The parameter that becomes the handler. */
  index: number;
  /** `parentPort` / the global `process` written in the helper, or the helper's parameter that receives it. */
  owner: "parentPort" | "process" | { param: number };
  /** `"message"` written in the helper, or the helper's parameter that names the event. */
  event: "message" | { param: number };
}

/** What a launcher learns about the worker module it loads. */
export interface WorkerModuleFacts {
  /** Some entry (or, with none, module-level code) does traced work. */
  doesTracedWork: boolean;
  /** Entries doing traced work that do not continue from received headers. */
  splitting: number;
  /** For workerpool: the parameter count of each method. */
  methodArity: Map<string, number>;
}

/** The subset of the model the worker analysis asks (the facade passes itself). */
export interface WorkerModelView {
  readonly filename: string;
  readonly cwd: string;
  readonly settings: ResolvedSettings;
  readonly nodes: FileNodes;
  readonly bindings: Bindings;
  readonly apis: ApiResolver;
  readonly values: ValueFlow;
  readonly scopes: TracedScopes;
  readonly work: TracedWork;
  readonly handoffs: Handoffs;
  exportedFunction(name: string): FunctionNode | undefined;
  exportedValue(name: string): { node: Node } | { module: string; name: string } | undefined;
  resolveFunction(expr: Node | undefined | null): { fn: FunctionNode; inline: boolean } | undefined;
  /** The exported functions (class methods too) other project files call inside their traces, as scopes. */
  tracedCallerScopes?(): readonly { fn: FunctionNode }[];
  workers: Workers;
}

/** Builds the model of another file on disk (set by the model facade). */
export type WorkerModelLoader = (file: string, text: string, settings: ResolvedSettings) => WorkerModelView | undefined;
let loader: WorkerModelLoader | undefined;
export function setWorkerModelLoader(value: WorkerModelLoader): void {
  loader = value;
}

const otherModels = new Map<string, { mtimeMs: number; size: number; model: WorkerModelView | null }>();
let crossFileDepth = 0;
const LAUNCHER_HINT = /\b(?:Piscina|Tinypool|piscina|tinypool)\b/;

function otherModel(file: string, settings: ResolvedSettings): WorkerModelView | undefined {
  if (!loader || crossFileDepth > 0) return undefined;
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return undefined;
  }
  const cached = otherModels.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.model ?? undefined;
  let model: WorkerModelView | undefined;
  try {
    model = loader(file, readFileSync(file, "utf8"), settings);
  } catch {
    model = undefined;
  }
  otherModels.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, model: model ?? null });
  return model;
}

/** Run `fn` as a cross-file question (the other file's own cross-file questions are not asked). */
function crossFile<T>(fn: () => T): T {
  crossFileDepth++;
  try {
    return fn();
  } finally {
    crossFileDepth--;
  }
}

interface Launcher {
  library: WorkerLibrary;
  /** The task name the pool runs (`default` for the module's default export). */
  name: string;
  /** The file holding the pool. */
  from: string;
  /** The worker module it loads. */
  workerFile: string;
}

/** The piscina / tinypool pools of one file: which worker modules they load, and which task names they run. */
function launchersIn(model: WorkerModelView, from: string): Launcher[] {
  const out: Launcher[] = [];
  for (const pool of model.workers.poolModules()) out.push({ library: pool.library, name: "default", from, workerFile: pool.file });
  for (const send of model.workers.sends()) {
    if ((send.library === "piscina" || send.library === "tinypool") && send.workerFile) out.push({ library: send.library, name: send.method ?? "default", from, workerFile: send.workerFile });
  }
  return out;
}

const settingsIds = new WeakMap<ResolvedSettings, number>();
let nextSettingsId = 0;
/**
 * Every pool of the project, by the worker module it loads: computed once per project (and kept while no project file
 * changes on disk: the project index's memo), not once per file asking whether it is a task module.
 */
function launcherIndex(self: string, cwd: string, settings: ResolvedSettings): Map<string, Launcher[]> {
  let id = settingsIds.get(settings);
  if (id === undefined) settingsIds.set(settings, (id = nextSettingsId++));
  return projectMemo(self, cwd, `worker-launchers:${id}`, (files, textOf) => {
    const index = new Map<string, Launcher[]>();
    if (files.length > 2000) return index;
    for (const file of files) {
      const text = textOf(file);
      if (!text || !LAUNCHER_HINT.test(text)) continue;
      const model = otherModel(file, settings);
      if (!model) continue;
      for (const launch of crossFile(() => launchersIn(model, file))) {
        const list = index.get(launch.workerFile) ?? [];
        list.push(launch);
        index.set(launch.workerFile, list);
      }
    }
    return index;
  });
}

const WORKER_THREADS = /^(node:)?worker_threads$/;
const CHILD_PROCESS = /^(node:)?child_process$/;
const POOL_CLASS_NAMES = new Set(["default", "*", "Piscina", "Tinypool"]);

export class Workers {
  private sendsCache: WorkerSend[] | undefined;
  private entriesCache: WorkerEntry[] | undefined;
  private readonly reachCache = new Map<FunctionNode, boolean>();
  private readonly handlerParamsCache = new Map<FunctionNode, HandlerParam[]>();

  constructor(private readonly model: WorkerModelView) {}

  // Creations ---------------------------------------------------------------------------------------------------------

  /** What kind of worker or pool `expr` creates, when it is a creation call itself. */
  creationOf(node: Node): { library: WorkerLibrary; creation: CallLike } | undefined {
    const n = unwrapExpression(node);
    if (n.type !== "NewExpression" && n.type !== "CallExpression") return undefined;
    const api = this.model.apis.resolveApi(n.callee);
    if (!api) return undefined;
    if (n.type === "NewExpression") {
      if (WORKER_THREADS.test(api.module) && api.name === "Worker") return { library: "worker_threads", creation: n };
      if (api.module === "piscina" && POOL_CLASS_NAMES.has(api.name)) return { library: "piscina", creation: n };
      if (api.module === "tinypool" && POOL_CLASS_NAMES.has(api.name)) return { library: "tinypool", creation: n };
      return undefined;
    }
    if (api.module === "workerpool" && api.name === "pool") return { library: "workerpool", creation: n };
    if (CHILD_PROCESS.test(api.module) && api.name === "fork") return { library: "child_process", creation: n };
    return undefined;
  }

  /** The worker or pool an expression may hold (exactly one kind of creation). */
  creationHeldBy(expr: Node): { library: WorkerLibrary; creation: CallLike } | undefined {
    const direct = this.creationOf(expr);
    if (direct) return direct;
    const found: { library: WorkerLibrary; creation: CallLike }[] = [];
    for (const value of this.model.values.valuesOf(expr)) {
      if (value.type === "new" || value.type === "call") {
        const c = this.creationOf(value.node);
        if (c) found.push(c);
      }
    }
    return found.length > 0 && found.every((c) => c.library === found[0].library) ? found[0] : undefined;
  }

  /** The module expression a creation loads. */
  private moduleExpression(library: WorkerLibrary, creation: CallLike): Node | undefined {
    const first = creation.arguments[0];
    if (!first || first.type === "SpreadElement") return undefined;
    if (library === "piscina" || library === "tinypool") {
      const options = this.objectOf(first);
      return options ? objectProperty(options, "filename") : undefined;
    }
    return first;
  }

  /** The single object literal an expression holds. */
  objectOf(expr: Node | undefined): TSESTree.ObjectExpression | undefined {
    if (!expr) return undefined;
    const n = unwrapExpression(expr);
    if (n.type === "ObjectExpression") return n;
    const values = this.model.values.valuesOf(n);
    return values.length === 1 && values[0].type === "object" ? values[0].node : undefined;
  }

  /**
   * The file a module expression names: `new URL("./w.js", import.meta.url)` (also under `fileURLToPath`),
   * `path.join(__dirname, "w.js")` / `path.resolve(...)`, `require.resolve("./w")`, a string literal, or a variable
   * holding one of those.
   */
  resolveModule(expr: Node | undefined, depth = 0): { file?: string; spec: string } | undefined {
    if (!expr || depth > 4) return undefined;
    const node = unwrapExpression(expr);
    const dir = path.dirname(path.resolve(this.model.cwd, this.model.filename));
    const literal = stringLiteralValue(node);
    if (literal !== undefined) {
      if (literal.startsWith("file:")) return { file: existing(fileURLToPath(literal)), spec: literal };
      return { file: existing(path.resolve(dir, literal)) ?? resolveProjectModule(literal, path.join(dir, "index.js")), spec: literal };
    }
    if (node.type === "NewExpression" && node.callee.type === "Identifier" && node.callee.name === "URL") {
      const spec = stringLiteralValue(node.arguments[0]);
      const base = node.arguments[1] && unwrapExpression(node.arguments[1]);
      const isMetaUrl = base?.type === "MemberExpression" && base.object.type === "MetaProperty" && memberName(base) === "url";
      if (spec !== undefined && isMetaUrl) return { file: existing(path.resolve(dir, spec)), spec };
      if (!node.arguments[1] && node.arguments[0] && unwrapExpression(node.arguments[0]).type === "MemberExpression") {
        const only = unwrapExpression(node.arguments[0]) as TSESTree.MemberExpression;
        if (only.object.type === "MetaProperty" && memberName(only) === "url") return { file: path.resolve(this.model.cwd, this.model.filename), spec: "import.meta.url" };
      }
      return undefined;
    }
    if (node.type === "MemberExpression" && (memberName(node) === "href" || memberName(node) === "pathname") && unwrapExpression(node.object).type === "NewExpression") {
      return this.resolveModule(node.object, depth + 1);
    }
    if (node.type === "MemberExpression" && node.object.type === "MetaProperty" && (memberName(node) === "url" || memberName(node) === "filename")) {
      return { file: path.resolve(this.model.cwd, this.model.filename), spec: "import.meta.url" };
    }
    if (node.type === "Identifier" && node.name === "__filename" && !this.model.bindings.variableOf(node)) {
      return { file: path.resolve(this.model.cwd, this.model.filename), spec: "__filename" };
    }
    if (node.type === "CallExpression") {
      const callee = unwrapExpression(node.callee);
      const api = this.model.apis.resolveApi(callee);
      if (api && /^(node:)?url$/.test(api.module) && api.name === "fileURLToPath") return this.resolveModule(node.arguments[0], depth + 1);
      if (api && /^(node:)?path$/.test(api.module) && (api.name === "join" || api.name === "resolve")) {
        const parts: string[] = [];
        for (const arg of node.arguments) {
          const a = unwrapExpression(arg);
          if (a.type === "Identifier" && a.name === "__dirname" && !this.model.bindings.variableOf(a)) parts.push(dir);
          else if (a.type === "MemberExpression" && a.object.type === "MetaProperty" && memberName(a) === "dirname") parts.push(dir);
          else {
            const s = stringLiteralValue(a);
            if (s === undefined) return undefined;
            parts.push(s);
          }
        }
        if (parts.length === 0 || !path.isAbsolute(parts[0])) return undefined;
        const file = path.join(...parts);
        return { file: existing(file), spec: path.relative(dir, file) };
      }
      if (callee.type === "MemberExpression" && memberName(callee) === "resolve" && unwrapExpression(callee.object).type === "Identifier" && (unwrapExpression(callee.object) as TSESTree.Identifier).name === "require") {
        const spec = stringLiteralValue(node.arguments[0]);
        if (spec === undefined) return undefined;
        return { file: resolveProjectModule(spec, path.resolve(this.model.cwd, this.model.filename)) ?? existing(path.resolve(dir, spec)), spec };
      }
      return undefined;
    }
    if (node.type === "Identifier") {
      const values = this.model.values.valuesOf(node);
      const variable = this.model.bindings.variableOf(node);
      const init = variable && this.model.bindings.initializerOf(variable);
      if (init && variable && variable.defs.length === 1) return this.resolveModule(init, depth + 1);
      if (values.length === 1 && (values[0].type === "new" || values[0].type === "call")) return this.resolveModule(values[0].node, depth + 1);
    }
    return undefined;
  }

  // Caller side ---------------------------------------------------------------------------------------------------------

  /** Every hand-off of work to another thread or process in the file. */
  sends(): WorkerSend[] {
    if (this.sendsCache) return this.sendsCache;
    const out: WorkerSend[] = [];
    for (const call of this.model.nodes.calls) {
      const own = this.creationOf(call);
      if (own && own.library === "worker_threads") {
        const options = call.arguments[1] && call.arguments[1].type !== "SpreadElement" ? this.objectOf(call.arguments[1]) : undefined;
        const data = options && objectProperty(options, "workerData");
        if (data) out.push({ site: call, library: "worker_threads", form: "workerData", payload: data, ...this.moduleOf("worker_threads", call) });
        continue;
      }
      if (call.type !== "CallExpression") continue;
      const callee = unwrapExpression(call.callee);
      if (callee.type !== "MemberExpression") continue;
      const method = memberName(callee);
      if (method !== "postMessage" && method !== "run" && method !== "exec" && method !== "send") continue;
      const held = this.creationHeldBy(callee.object);
      if (!held) continue;
      const arg = (i: number) => (call.arguments[i] && call.arguments[i].type !== "SpreadElement" ? call.arguments[i] : undefined);
      const where = this.moduleOf(held.library, held.creation);
      if (method === "postMessage" && held.library === "worker_threads") out.push({ site: call, library: held.library, form: "postMessage", payload: arg(0), ...where });
      else if (method === "run" && (held.library === "piscina" || held.library === "tinypool")) {
        const options = this.objectOf(arg(1));
        const name = options ? stringLiteralValue(objectProperty(options, "name")) : undefined;
        const filename = options ? objectProperty(options, "filename") : undefined;
        const perCall = filename ? this.resolveModule(filename) : undefined;
        out.push({ site: call, library: held.library, form: "run", payload: arg(0), method: name, ...(perCall ? { workerFile: perCall.file, workerSpec: perCall.spec } : where) });
      } else if (method === "exec" && held.library === "workerpool") {
        const name = stringLiteralValue(arg(0));
        if (name === undefined) continue; // a function sent as source text: it cannot trace through our modules
        out.push({ site: call, library: held.library, form: "exec", payload: arg(1), method: name, ...where });
      } else if (method === "send" && held.library === "child_process") out.push({ site: call, library: held.library, form: "send", payload: arg(0), ...where });
    }
    return (this.sendsCache = out);
  }

  /** The task modules of the piscina and tinypool pools this file creates. */
  poolModules(): { library: WorkerLibrary; file: string }[] {
    const out: { library: WorkerLibrary; file: string }[] = [];
    for (const call of this.model.nodes.calls) {
      const created = call.type === "NewExpression" ? this.creationOf(call) : undefined;
      if (!created || (created.library !== "piscina" && created.library !== "tinypool")) continue;
      const file = this.moduleOf(created.library, call).workerFile;
      if (file) out.push({ library: created.library, file });
    }
    return out;
  }

  private moduleOf(library: WorkerLibrary, creation: CallLike): { workerFile?: string; workerSpec?: string } {
    const resolved = this.resolveModule(this.moduleExpression(library, creation));
    return resolved ? { workerFile: resolved.file, workerSpec: resolved.spec } : {};
  }

  /**
   * Whether `node` runs inside a traced scope: directly, or in a local function whose callers in this file run in
   * one (through helpers, a few levels).
   */
  inTracedReach(node: Node, depth = 0): boolean {
    if (this.model.scopes.enclosing(node)) return true;
    if (depth > 3) return false;
    // The function whose call runs `node`: past a `new Promise` executor, an IIFE or an array method's callback.
    const current = runningFrame(node);
    if (!current) return false;
    const cached = this.reachCache.get(current);
    if (cached !== undefined) return cached;
    this.reachCache.set(current, false);
    // An exported function or class method that other project files call inside their traces (a pool's `run`).
    const calledInTraces = () => (this.model.tracedCallerScopes?.() ?? []).some((scope) => scope.fn === current);
    const sites = [...this.model.values.callSites(current).sites, ...this.methodCallSites(current)];
    const result = sites.some((site) => this.inTracedReach(site, depth + 1)) || calledInTraces();
    this.reachCache.set(current, result);
    return result;
  }

  /** Calls `obj.key(...)` of a function written as property `key` of an object literal that `obj` holds. */
  private methodCallSites(fn: FunctionNode): CallLike[] {
    const property = fn.parent;
    if (!property || property.type !== "Property" || property.value !== fn) return [];
    const object = property.parent;
    const key = propertyKey(property);
    if (!object || object.type !== "ObjectExpression" || !key) return [];
    return this.model.nodes.calls.filter((call) => {
      const callee = unwrapExpression(call.callee);
      return callee.type === "MemberExpression" && memberName(callee) === key && this.model.values.valuesOf(callee.object).some((v) => v.type === "object" && v.node === object);
    });
  }

  /** Whether a payload already carries the run tree's headers (`rt.toHeaders()`, a local helper returning them). */
  carriesHeaders(payload: Node | undefined): boolean {
    if (!payload) return false;
    const roots: Node[] = [unwrapExpression(payload)];
    for (const value of this.model.values.valuesOf(payload)) if (value.type === "object" || value.type === "array") roots.push(value.node);
    for (const root of roots) {
      for (const call of nodesWithin(this.model.nodes.calls, root)) if (this.isHeadersCall(call)) return true;
      if (root.type === "ObjectExpression" && objectProperty(root, HEADERS_FIELD)) return true;
      if (root.type === "ObjectExpression") {
        for (const property of root.properties) {
          if (property.type !== "Property") continue;
          for (const value of this.model.values.valuesOf(property.value)) if (value.type === "call" && this.isHeadersCall(value.node)) return true;
        }
      }
    }
    return false;
  }

  private isHeadersCall(call: CallLike, depth = 0): boolean {
    if (calleeMethodName(call) === "toHeaders") return true;
    if (depth > 2) return false;
    const fn = this.model.resolveFunction(call.callee)?.fn;
    return !!fn && nodesWithin(this.model.nodes.calls, fn).some((inner) => this.isHeadersCall(inner, depth + 1));
  }

  /** What the worker module of a send does, when it resolves to a project file. */
  workerFacts(send: WorkerSend): WorkerModuleFacts | undefined {
    if (!send.workerFile) return undefined;
    const self = path.resolve(this.model.cwd, this.model.filename);
    const other = send.workerFile === self ? this.model : otherModel(send.workerFile, this.model.settings);
    if (!other) return undefined;
    return crossFile(() => other.workers.moduleFacts(send.library, send.method));
  }

  /** Facts about this file as the worker module of `library` (task `name` for piscina / tinypool). */
  moduleFacts(library: WorkerLibrary, name?: string): WorkerModuleFacts {
    const entries = this.entriesFor(library, name);
    const methodArity = new Map<string, number>();
    let doesTracedWork = false;
    let splitting = 0;
    for (const entry of entries) {
      if (entry.name !== undefined) methodArity.set(entry.name, entry.fn.params.some((p) => p.type === "RestElement") ? -1 : entry.fn.params.length);
      if (!this.model.work.functionDoesTracedWork(entry.fn)) continue;
      doesTracedWork = true;
      if (!this.continuesTrace(entry.fn)) splitting++;
    }
    if (entries.length === 0) {
      // Module-level code doing the work (a worker reading `workerData` at load time).
      doesTracedWork = this.model.nodes.calls.some((call) => this.model.work.isTracedWork(call) && !this.model.scopes.enclosing(call));
      if (doesTracedWork) splitting = 1;
    }
    return { doesTracedWork, splitting, methodArity };
  }

  // Worker side ---------------------------------------------------------------------------------------------------------

  /** Entries of this file as a worker of `library`. */
  private entriesFor(library: WorkerLibrary, name?: string): WorkerEntry[] {
    if (library === "piscina" || library === "tinypool") {
      const fn = this.model.exportedFunction(name ?? "default");
      return fn ? [{ fn, library, form: "task", name: name ?? "default", replies: [] }] : [];
    }
    return this.entries().filter((e) => e.library === library);
  }

  /** The entries of this file as a worker module. */
  entries(): WorkerEntry[] {
    if (this.entriesCache) return this.entriesCache;
    const out: WorkerEntry[] = [];
    const seen = new Set<FunctionNode>();
    const push = (entry: Omit<WorkerEntry, "replies">, replyOwner: "parentPort" | "process" | undefined) => {
      if (seen.has(entry.fn)) return;
      seen.add(entry.fn);
      out.push({ ...entry, replies: replyOwner ? this.repliesIn(entry.fn, replyOwner) : [] });
    };
    for (const call of this.model.nodes.calls) {
      if (call.type !== "CallExpression") continue;
      const callee = unwrapExpression(call.callee);
      const api = this.model.apis.resolveApi(callee);
      if (api && api.module === "workerpool" && api.name === "worker") {
        const methods = this.objectOf(call.arguments[0]);
        for (const property of methods?.properties ?? []) {
          if (property.type !== "Property") continue;
          const fn = this.model.resolveFunction(property.value)?.fn;
          const key = propertyKey(property);
          if (fn && key) push({ fn, library: "workerpool", form: "method", name: key }, undefined);
        }
        continue;
      }
      if (callee.type !== "MemberExpression") continue;
      const method = memberName(callee);
      if ((method !== "on" && method !== "once" && method !== "addListener") || stringLiteralValue(call.arguments[0]) !== "message") continue;
      const handler = this.model.resolveFunction(call.arguments[1])?.fn;
      if (!handler) continue;
      const owner = unwrapExpression(callee.object);
      if (this.isParentPort(owner)) push({ fn: handler, library: "worker_threads", form: "message" }, "parentPort");
      else if (isGlobalProcess(owner, this.model.bindings)) push({ fn: handler, library: "child_process", form: "process-message" }, "process");
    }
    // Handlers registered through a helper: an in-file one, or one exported by another module of the project.
    for (const call of this.model.nodes.calls) {
      if (call.type !== "CallExpression") continue;
      for (const registered of this.handlersRegisteredBy(call)) push(registered.entry, registered.owner);
    }
    // Task modules a piscina or tinypool pool elsewhere in the project loads.
    for (const launch of this.launchers()) {
      const fn = this.model.exportedFunction(launch.name);
      if (fn) push({ fn, library: launch.library, form: "task", name: launch.name, launchedFrom: launch.from }, undefined);
    }
    return (this.entriesCache = out);
  }

  // Handlers registered through helpers ---------------------------------------------------------------------------------

  /**
   * The message handlers a call registers through a helper: the call's arguments at the positions the helper's
   * {@link handlerParams} name, when the call site supplies the event (`"message"`) and the receiver (`parentPort`,
   * `process`) the helper leaves to it. The helper is an in-file function (its hand-off summary) or a function
   * exported by another module of the project ({@link importedHandlerParams}).
   */
  private handlersRegisteredBy(call: TSESTree.CallExpression): { entry: Omit<WorkerEntry, "replies">; owner: "parentPort" | "process" }[] {
    const helpers: { params: HandlerParam[]; helper: string; file?: string }[] = [];
    for (const fn of this.model.handoffs.localCallees(call)) {
      if (contains(fn, call)) continue; // a helper's own recursive or inner calls
      const params = this.handlerParams(fn);
      if (params.length > 0) helpers.push({ params, helper: helperName(this.model, fn, call) });
    }
    if (helpers.length === 0) {
      // `import { listen } from "./w-helpers.js"`, `const { listen } = require("./w-helpers.cjs")`, `helpers.listen(...)`.
      const imported = importedCalleeOf(call.callee, (expr) => this.model.values.valuesOf(expr));
      if (imported && mayNameProjectModule(imported.module, path.resolve(this.model.cwd, this.model.filename))) {
        const found = this.importedHandlerParams(imported.module, imported.name);
        if (found && found.params.length > 0) helpers.push({ params: found.params, helper: `${imported.name === "default" ? "the default export" : imported.name}()`, file: found.file });
      }
    }
    const out: { entry: Omit<WorkerEntry, "replies">; owner: "parentPort" | "process" }[] = [];
    const argument = (index: number) => {
      const arg = call.arguments[index];
      return arg && arg.type !== "SpreadElement" && !call.arguments.slice(0, index).some((a) => a.type === "SpreadElement") ? arg : undefined;
    };
    for (const { params, helper, file } of helpers) {
      for (const param of params) {
        const handler = this.model.resolveFunction(argument(param.index))?.fn;
        if (!handler) continue;
        if (param.event !== "message" && eventName(argument(param.event.param), this.model.bindings) !== "message") continue;
        const owner = typeof param.owner === "string" ? param.owner : this.ownerOf(argument(param.owner.param));
        if (!owner) continue;
        out.push({
          entry: { fn: handler, library: owner === "parentPort" ? "worker_threads" : "child_process", form: owner === "parentPort" ? "message" : "process-message", registeredVia: { call, helper, file } },
          owner,
        });
      }
    }
    return out;
  }

  /**
   * The parameters of `fn` it registers as a worker's message handler: read from the hand-off summaries
   * (`model/handoffs.ts`), keeping the listener registrations (`on` / `once` / `addListener`) on `parentPort` or the
   * global `process` (or on a parameter) whose handler is the parameter itself, passed on unchanged through every
   * helper on the way (a closure around it would receive the message instead, and could not take the headers).
   */
  handlerParams(fn: FunctionNode): HandlerParam[] {
    const cached = this.handlerParamsCache.get(fn);
    if (cached) return cached;
    const out: HandlerParam[] = [];
    this.handlerParamsCache.set(fn, out);
    for (const [index, entries] of this.model.handoffs.summaryOf(fn)) {
      for (const entry of entries) {
        const handoff = entry.handoff;
        if (handoff.kind !== "listener" || !REGISTERING_METHODS.has(handoff.method) || handoff.site.type !== "CallExpression") continue;
        const site = handoff.site;
        const chain = [fn, ...entry.via];
        const handler = this.passedFrom(chain, site.arguments[1]);
        if (!handler || handler.param !== index) continue;
        const event = eventName(site.arguments[0], this.model.bindings);
        let eventParam: HandlerParam["event"] | undefined;
        if (event === "message") eventParam = "message";
        else if (event === undefined) {
          const passed = this.passedFrom(chain, site.arguments[0]);
          if (passed?.param !== undefined) eventParam = { param: passed.param };
          else if (passed?.literal === "message") eventParam = "message";
        }
        if (!eventParam) continue;
        const receiver = calleeObject(site);
        if (!receiver) continue;
        let owner: HandlerParam["owner"] | undefined = this.ownerOf(receiver);
        if (!owner) {
          const passed = this.passedFrom(chain, receiver);
          if (passed?.param !== undefined) owner = { param: passed.param };
        }
        if (!owner) continue;
        const found: HandlerParam = { index, owner, event: eventParam };
        if (!out.some((p) => JSON.stringify(p) === JSON.stringify(found))) out.push(found);
      }
    }
    return out;
  }

  /**
   * What an expression written in the last function of `chain` (a helper called, directly or through the functions
   * before it, by `chain[0]`) is, seen from `chain[0]`: a parameter of `chain[0]` passed down unchanged at every call
   * on the way, or a string literal one of those calls passes. Undefined when the calls disagree or pass anything else.
   */
  private passedFrom(chain: FunctionNode[], expr: Node | undefined): { param?: number; literal?: string } | undefined {
    if (!expr || expr.type === "SpreadElement") return undefined;
    const node = unwrapExpression(expr);
    let index = this.model.handoffs.paramIndexOf(node, chain[chain.length - 1]);
    if (index === undefined) {
      const literal = eventName(node, this.model.bindings);
      return literal === undefined ? undefined : { literal };
    }
    for (let i = chain.length - 1; i > 0; i--) {
      const inner = chain[i];
      const outer = chain[i - 1];
      const calls = nodesWithin(this.model.nodes.calls, outer).filter((c) => c.type === "CallExpression" && this.model.handoffs.localCallees(c).includes(inner));
      let next: number | undefined;
      let literal: string | undefined;
      for (const c of calls) {
        const arg = c.arguments[index];
        if (!arg || arg.type === "SpreadElement" || c.arguments.slice(0, index).some((a) => a.type === "SpreadElement")) return undefined;
        const param = this.model.handoffs.paramIndexOf(unwrapExpression(arg), outer);
        const text = param === undefined ? eventName(arg, this.model.bindings) : undefined;
        if (param === undefined && text === undefined) return undefined;
        if ((next !== undefined || literal !== undefined) && (param !== next || text !== literal)) return undefined;
        next = param;
        literal = text;
      }
      if (next === undefined) return literal === undefined ? undefined : { literal };
      index = next;
    }
    return { param: index };
  }

  /** `parentPort` or the global `process`, as a receiver of a registration. */
  private ownerOf(expr: Node | undefined): "parentPort" | "process" | undefined {
    if (!expr || expr.type === "SpreadElement") return undefined;
    const node = unwrapExpression(expr);
    if (this.isParentPort(node)) return "parentPort";
    if (isGlobalProcess(node, this.model.bindings)) return "process";
    return undefined;
  }

  // ---- Cross-file part: a helper exported by another module of the project. ----
  // A small query of its own (not a general cross-file parameter summary): the other module's model is built through
  // the loader above (cached by the file's modification time and size) and asked for its export's handler parameters.
  // A general per-export parameter summary in the project index would carry exactly these `HandlerParam`s (listener
  // registrations on `parentPort` / `process` of a parameter), so this query can fold into it.

  /** The handler parameters of the function `module` (as written in this file) exports under `name`. */
  importedHandlerParams(module: string, name: string): { params: HandlerParam[]; file: string } | undefined {
    const self = path.resolve(this.model.cwd, this.model.filename);
    let from = self;
    // A barrel re-exporting the helper is followed to the module it re-exports from (three barrels deep).
    for (let hop = 0; hop < 4; hop++) {
      const file = resolveProjectModule(module, from);
      if (!file || file === self || !mayRegisterListener(file)) return undefined;
      const other = otherModel(file, this.model.settings);
      if (!other) return undefined;
      const exported = other.exportedValue(name);
      if (exported && !("node" in exported)) {
        ({ module, name } = exported);
        from = file;
        continue;
      }
      const params = crossFile(() => other.workers.exportedHandlerParams(name));
      return { params, file };
    }
    return undefined;
  }

  /** The handler parameters of the function this file exports under `name` (asked by the modules that import it). */
  exportedHandlerParams(name: string): HandlerParam[] {
    const fn = this.model.exportedFunction(name);
    return fn ? this.handlerParams(fn) : [];
  }

  /**
   * For a `worker_threads` script that reads `workerData` and has no message handler: the first call doing traced
   * work outside any traced scope (the script works at load time, so there is no entry function to wrap).
   */
  workerDataWork(): CallLike | undefined {
    if (this.entries().length > 0) return undefined;
    const readsWorkerData = this.model.nodes.importDeclarations.some((d) => WORKER_THREADS.test(d.source.value) && d.specifiers.some((sp) => sp.type === "ImportSpecifier" && sp.imported.type === "Identifier" && sp.imported.name === "workerData"))
      || this.model.nodes.requireCalls.some((call) => WORKER_THREADS.test(stringLiteralValue(call.arguments[0]) ?? "") && call.parent?.type === "VariableDeclarator" && call.parent.id.type === "ObjectPattern" && call.parent.id.properties.some((p) => p.type === "Property" && propertyKey(p) === "workerData"));
    if (!readsWorkerData) return undefined;
    return this.model.nodes.calls.find((call) => this.model.work.isTracedWork(call) && !this.model.scopes.enclosing(call));
  }

  private isParentPort(node: Node): boolean {
    const api: ApiRef | undefined = this.model.apis.resolveApi(node);
    return !!api && WORKER_THREADS.test(api.module) && api.name === "parentPort";
  }

  /** Reply calls inside an entry: `parentPort.postMessage(...)` or `process.send(...)`. */
  private repliesIn(fn: FunctionNode, owner: "parentPort" | "process"): TSESTree.CallExpression[] {
    return nodesWithin(this.model.nodes.calls, fn).filter((call): call is TSESTree.CallExpression => {
      if (call.type !== "CallExpression") return false;
      const callee = unwrapExpression(call.callee);
      if (callee.type !== "MemberExpression") return false;
      const object = unwrapExpression(callee.object);
      if (owner === "parentPort") return memberName(callee) === "postMessage" && this.isParentPort(object);
      return memberName(callee) === "send" && isGlobalProcess(object, this.model.bindings);
    });
  }

  /** Piscina / tinypool pools in other project files (or this one) that load this file: the task names they run. */
  launchers(): { library: WorkerLibrary; name: string; from: string }[] {
    const self = path.resolve(this.model.cwd, this.model.filename);
    const out: { library: WorkerLibrary; name: string; from: string }[] = [];
    if (crossFileDepth > 0 || !loader) return out;
    const add = (launch: Launcher) => {
      if (!out.some((o) => o.name === launch.name)) out.push({ library: launch.library, name: launch.name, from: launch.from });
    };
    // This file as it is now (an editor's buffer may differ from the disk), then the other files of the project.
    for (const launch of launchersIn(this.model, self)) if (launch.workerFile === self) add(launch);
    let index: Map<string, Launcher[]>;
    try {
      index = launcherIndex(self, this.model.cwd, this.model.settings);
    } catch {
      return out;
    }
    for (const launch of index.get(self) ?? []) if (launch.from !== self) add(launch);
    return out;
  }


  /**
   * Whether an entry already continues a received trace: it (or a local function it calls) reads
   * `RunTree.fromHeaders(...)` or runs work in `withRunTree(...)`.
   */
  continuesTrace(fn: FunctionNode, depth = 0): boolean {
    for (const call of nodesWithin(this.model.nodes.calls, fn)) {
      if (calleeMethodName(call) === "fromHeaders") return true;
      if (call.type === "CallExpression" && this.model.work.isContextPinningCall(call)) return true;
      if (depth < 2) {
        const local = this.model.resolveFunction(call.callee)?.fn;
        if (local && local !== fn && !(local.range[0] >= fn.range[0] && local.range[1] <= fn.range[1]) && this.continuesTrace(local, depth + 1)) return true;
      }
    }
    return false;
  }
}

const REGISTERING_METHODS = new Set(["on", "once", "addListener"]);

/** The object a `receiver.method(...)` call is made on. */
function calleeObject(call: TSESTree.CallExpression): Node | undefined {
  const callee = unwrapExpression(call.callee);
  return callee.type === "MemberExpression" ? unwrapExpression(callee.object) : undefined;
}

/** An event name: a string literal, or a constant initialised with one. */
function eventName(expr: Node | undefined, bindings: Bindings): string | undefined {
  if (!expr || expr.type === "SpreadElement") return undefined;
  const node = unwrapExpression(expr);
  const literal = stringLiteralValue(node);
  if (literal !== undefined || node.type !== "Identifier") return literal;
  const variable = bindings.variableOf(node);
  const def = variable?.defs[0];
  if (!variable || def?.type !== "Variable" || (def.node as TSESTree.VariableDeclarator).parent?.kind !== "const") return undefined;
  const init = bindings.initializerOf(variable);
  return init ? stringLiteralValue(unwrapExpression(init)) : undefined;
}

/** How a message names the helper called at `call`. */
function helperName(model: WorkerModelView, fn: FunctionNode, call: TSESTree.CallExpression): string {
  const variable = model.values.functionVariable(fn);
  if (variable) return `${variable.name}()`;
  const callee = unwrapExpression(call.callee);
  return callee.type === "MemberExpression" ? `${memberName(callee) ?? "a helper"}()` : "a helper";
}

/** A module that may register a listener (read once per version of the file): only those are parsed for the query. */
const listenerHints = new Map<string, { mtimeMs: number; size: number; hint: boolean }>();
function mayRegisterListener(file: string): boolean {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return false;
  }
  const cached = listenerHints.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.hint;
  let hint = false;
  try {
    // A listener registration, or a re-export (a barrel in front of the helper's module).
    hint = /\.\s*(?:on|once|addListener)\s*\(|\bexport\s*(?:\*|\{[^}]*\}\s*from)|\bmodule\.exports\s*=\s*require\b|__exportStar\s*\(/.test(readFileSync(file, "utf8"));
  } catch {
    hint = false;
  }
  listenerHints.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, hint });
  return hint;
}

function isGlobalProcess(node: Node, bindings: Bindings): boolean {
  return node.type === "Identifier" && node.name === "process" && !bindings.variableOf(node);
}

function existing(file: string): string | undefined {
  try {
    if (statSync(file).isFile()) return path.resolve(file);
  } catch {
    /* not there */
  }
  // `./w.js` written for a TypeScript source `./w.ts`.
  const ts = file.replace(/\.([cm]?)js$/, ".$1ts");
  if (ts !== file) {
    try {
      if (statSync(ts).isFile()) return path.resolve(ts);
    } catch {
      /* not there */
    }
  }
  return undefined;
}
