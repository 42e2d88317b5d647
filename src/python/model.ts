/**
 * The Python model of one file: what its names resolve to (imports and aliases), its functions, which of them are
 * traced scopes (a run starts when they are called) or LangGraph nodes, which calls do traced work, value flow of
 * simple variables and parameters, and what is inside a trace. Cross-file facts (a helper imported from another
 * module does traced work; a function registered as a graph node in another file) come from the project index.
 * Detectors ask this model; they never walk imports or scopes themselves.
 */
import { PY_APIS, RUNNABLE_METHODS, type PyApi } from "./apis.js";
import { field, kids, walk, type PyNode, type PyTree } from "./parse.js";
import type { PythonProject } from "./project.js";
import { serverFacts, werkzeugHeaderParents, type ServerFacts, type WerkzeugParent } from "./servers.js";
import type { PySettings } from "./settings.js";
import type { PythonTarget } from "./version.js";

export interface PyFunction {
  node: PyNode;
  name: string;
  isAsync: boolean;
  /** Parameter names in order (without `*`/`**` markers). */
  params: string[];
  /** The `parameters` node. */
  paramsNode: PyNode;
  decorators: PyNode[];
  body: PyNode;
  /** Whether any parameter or the return carries a type annotation. */
  annotated: boolean;
}

export interface ImportBinding {
  /** Qualified name the local name stands for: `langsmith.traceable`, or a module `langsmith`. */
  qualified: string;
  /** The import statement. */
  statement: PyNode;
  /** `from x import y` (true) or `import x` (false). */
  fromImport: boolean;
  module: string;
}

export type GraphNodeKind = "add_node" | "task" | "entrypoint";

const MAX_DEPTH = 6;

function idKey(node: PyNode): number {
  return node.id;
}

export class PyModel {
  readonly root: PyNode;
  readonly imports = new Map<string, ImportBinding>();
  readonly functions: PyFunction[] = [];
  private readonly functionByNode = new Map<number, PyFunction>();
  /** Assignments by scope (function node id, or -1 for the module) and name. */
  private readonly assignments = new Map<number, Map<string, PyNode[]>>();
  private readonly calls: PyNode[] = [];
  private readonly tracedScopeCache = new Map<number, boolean>();
  private readonly tracedWorkCache = new Map<number, boolean>();
  private insideTraceSet: Set<number> | undefined;
  private graphNodeCache: Map<number, GraphNodeKind> | undefined;

  constructor(
    readonly tree: PyTree,
    readonly text: string,
    readonly filename: string,
    readonly target: PythonTarget,
    readonly settings: PySettings,
    readonly project?: PythonProject,
  ) {
    this.root = tree.rootNode;
    this.collect();
  }

  // ---------------------------------------------------------------- collection

  private collect(): void {
    walk(this.root, (node) => {
      switch (node.type) {
        case "import_statement":
        case "import_from_statement":
          this.collectImport(node);
          break;
        case "function_definition":
          this.collectFunction(node);
          break;
        case "assignment": {
          const left = field(node, "left");
          const right = field(node, "right");
          if (left?.type === "identifier" && right) this.addAssignment(node, left.text, right);
          break;
        }
        case "with_item": {
          const value = field(node, "value");
          if (value?.type === "as_pattern") {
            const target = value.namedChildren.find((c) => c?.type === "as_pattern_target");
            const source = kids(value)[0];
            const name = target ? kids(target)[0] : undefined;
            if (name?.type === "identifier" && source) this.addAssignment(node, name.text, source);
          }
          break;
        }
        case "call":
          this.calls.push(node);
          break;
      }
    });
  }

  private collectImport(node: PyNode): void {
    if (node.type === "import_statement") {
      for (const child of kids(node)) {
        if (child.type === "dotted_name") {
          const dotted = child.text;
          // `import a.b` binds `a` to module `a`.
          const first = dotted.split(".")[0];
          this.imports.set(first, { qualified: first, statement: node, fromImport: false, module: first });
        } else if (child.type === "aliased_import") {
          const name = field(child, "name")?.text ?? "";
          const alias = field(child, "alias")?.text ?? "";
          this.imports.set(alias, { qualified: name, statement: node, fromImport: false, module: name });
        }
      }
      return;
    }
    const moduleNode = field(node, "module_name");
    if (!moduleNode) return;
    const module = moduleNode.text;
    for (const child of kids(node)) {
      if (child.id === moduleNode.id) continue;
      if (child.type === "dotted_name") {
        this.imports.set(child.text, { qualified: `${module}.${child.text}`, statement: node, fromImport: true, module });
      } else if (child.type === "aliased_import") {
        const name = field(child, "name")?.text ?? "";
        const alias = field(child, "alias")?.text ?? "";
        this.imports.set(alias, { qualified: `${module}.${name}`, statement: node, fromImport: true, module });
      }
    }
  }

  private collectFunction(node: PyNode): void {
    const paramsNode = field(node, "parameters")!;
    const params: string[] = [];
    let annotated = field(node, "return_type") !== undefined;
    for (const param of kids(paramsNode)) {
      let nameNode: PyNode | undefined;
      if (param.type === "identifier") nameNode = param;
      else if (param.type === "typed_parameter" || param.type === "typed_default_parameter") {
        annotated = true;
        nameNode = param.type === "typed_default_parameter" ? field(param, "name") : kids(param).find((c) => c.type === "identifier");
      } else if (param.type === "default_parameter") nameNode = field(param, "name");
      else if (param.type === "list_splat_pattern" || param.type === "dictionary_splat_pattern") nameNode = kids(param)[0];
      if (nameNode?.type === "identifier") params.push(nameNode.text);
    }
    const decorators = node.parent?.type === "decorated_definition" ? kids(node.parent).filter((c) => c.type === "decorator") : [];
    const fn: PyFunction = {
      node,
      name: field(node, "name")?.text ?? "",
      isAsync: node.text.startsWith("async"),
      params,
      paramsNode,
      decorators,
      body: field(node, "body")!,
      annotated,
    };
    this.functions.push(fn);
    this.functionByNode.set(idKey(node), fn);
  }

  private addAssignment(node: PyNode, name: string, value: PyNode): void {
    const scope = this.enclosingFunction(node);
    const key = scope ? idKey(scope.node) : -1;
    let byName = this.assignments.get(key);
    if (!byName) this.assignments.set(key, (byName = new Map()));
    const list = byName.get(name) ?? [];
    list.push(value);
    byName.set(name, list);
  }

  // ---------------------------------------------------------------- structure

  functionOf(node: PyNode): PyFunction | undefined {
    return this.functionByNode.get(idKey(node));
  }

  /** The innermost function definition containing `node` (not `node` itself). */
  enclosingFunction(node: PyNode): PyFunction | undefined {
    for (let current = node.parent; current; current = current.parent) {
      if (current.type === "function_definition") return this.functionByNode.get(idKey(current));
    }
    return undefined;
  }

  /** Every call expression in the file, in source order. */
  allCalls(): readonly PyNode[] {
    return this.calls;
  }

  /** Calls inside `scope` (nested functions excluded, lambdas included). */
  callsIn(scope: PyNode): PyNode[] {
    const out: PyNode[] = [];
    walk(scope, (node) => {
      if (node.id !== scope.id && node.type === "function_definition") return false;
      if (node.type === "call") out.push(node);
      return true;
    });
    return out;
  }

  /** A function defined under `name` visible from `from` (innermost scope first, then the module). */
  functionNamed(name: string, from?: PyNode): PyFunction | undefined {
    const candidates = this.functions.filter((fn) => fn.name === name);
    if (candidates.length === 0) return undefined;
    if (from) {
      for (let scope = this.enclosingFunction(from); scope; scope = this.enclosingFunction(scope.node)) {
        const local = candidates.find((fn) => this.enclosingFunction(fn.node)?.node.id === scope!.node.id);
        if (local) return local;
      }
    }
    return candidates.find((fn) => !this.enclosingFunction(fn.node) || fn.node.parent?.parent?.type === "class_definition") ?? candidates[0];
  }

  /** The values assigned to `name` as seen from `from` (innermost function scope first, then the module). */
  valuesOf(name: string, from: PyNode): PyNode[] {
    for (let scope = this.enclosingFunction(from); scope; scope = this.enclosingFunction(scope.node)) {
      const values = this.assignments.get(idKey(scope.node))?.get(name);
      if (values) return values;
    }
    return this.assignments.get(-1)?.get(name) ?? [];
  }

  /** Whether `name` is assigned at module level (a value shared by every call). */
  isModuleLevel(name: string, from: PyNode): boolean {
    for (let scope = this.enclosingFunction(from); scope; scope = this.enclosingFunction(scope.node)) {
      if (this.assignments.get(idKey(scope.node))?.has(name) || scope.params.includes(name)) return false;
    }
    return this.assignments.get(-1)?.has(name) ?? false;
  }

  /** The single value of an identifier, followed through simple assignments (`ex = pool`, `with X() as ex`). */
  valueOf(expr: PyNode, depth = 0): PyNode {
    if (depth > MAX_DEPTH || expr.type !== "identifier") return expr;
    const values = this.valuesOf(expr.text, expr);
    if (values.length !== 1) return expr;
    return this.valueOf(values[0], depth + 1);
  }

  // ---------------------------------------------------------------- names

  /** The qualified name an expression stands for through imports: `ls.traceable` → `langsmith.traceable`. */
  qualifiedName(expr: PyNode | undefined, depth = 0): string | undefined {
    if (!expr || depth > MAX_DEPTH) return undefined;
    if (expr.type === "identifier") {
      const binding = this.imports.get(expr.text);
      if (binding) return binding.qualified;
      const values = this.valuesOf(expr.text, expr);
      if (values.length === 1 && (values[0].type === "identifier" || values[0].type === "attribute")) return this.qualifiedName(values[0], depth + 1);
      return undefined;
    }
    if (expr.type === "attribute") {
      const base = this.qualifiedName(field(expr, "object"), depth + 1);
      const attr = field(expr, "attribute")?.text;
      return base && attr ? `${base}.${attr}` : undefined;
    }
    return undefined;
  }

  is(expr: PyNode | undefined, api: PyApi): boolean {
    const name = this.qualifiedName(expr);
    return name !== undefined && (PY_APIS[api] as readonly string[]).includes(name);
  }

  /** Whether any import of the file resolves to one of `api`'s names. */
  imports_(api: PyApi): boolean {
    for (const binding of this.imports.values()) if ((PY_APIS[api] as readonly string[]).includes(binding.qualified)) return true;
    return false;
  }

  /** The callee of a decorator (`@traceable` and `@traceable(name=...)` both give `traceable`). */
  decoratorCallee(decorator: PyNode): PyNode | undefined {
    const expr = kids(decorator)[0];
    return expr?.type === "call" ? field(expr, "function") : expr;
  }

  // ---------------------------------------------------------------- calls

  callee(call: PyNode): PyNode | undefined {
    return field(call, "function");
  }

  /** Method name of `x.m(...)`. */
  methodName(call: PyNode): string | undefined {
    const fn = this.callee(call);
    return fn?.type === "attribute" ? field(fn, "attribute")?.text : undefined;
  }

  receiver(call: PyNode): PyNode | undefined {
    const fn = this.callee(call);
    return fn?.type === "attribute" ? field(fn, "object") : undefined;
  }

  positionalArgs(call: PyNode): PyNode[] {
    const args = field(call, "arguments");
    if (!args || args.type !== "argument_list") return [];
    return kids(args).filter((a) => a.type !== "keyword_argument" && a.type !== "comment");
  }

  keywordArg(call: PyNode, name: string): PyNode | undefined {
    const args = field(call, "arguments");
    if (!args) return undefined;
    for (const arg of kids(args)) {
      if (arg.type === "keyword_argument" && field(arg, "name")?.text === name) return arg;
    }
    return undefined;
  }

  hasSplatArgs(call: PyNode): boolean {
    const args = field(call, "arguments");
    return !!args && kids(args).some((a) => a.type === "list_splat" || a.type === "dictionary_splat");
  }

  // ---------------------------------------------------------------- traced scopes

  /** How a function is registered as a LangGraph node (in this file or, through the project index, another). */
  graphNodeKind(fn: PyFunction): GraphNodeKind | undefined {
    if (!this.graphNodeCache) {
      this.graphNodeCache = new Map();
      for (const f of this.functions) {
        for (const decorator of f.decorators) {
          const callee = this.decoratorCallee(decorator);
          if (this.is(callee, "task")) this.graphNodeCache.set(idKey(f.node), "task");
          else if (this.is(callee, "entrypoint")) this.graphNodeCache.set(idKey(f.node), "entrypoint");
        }
      }
      for (const call of this.calls) {
        if (this.methodName(call) !== "add_node") continue;
        const args = this.positionalArgs(call);
        const target = args.length >= 2 ? args[1] : args[0];
        const fn = target ? this.functionExpr(target) : undefined;
        if (fn) this.graphNodeCache.set(idKey(fn.node), "add_node");
      }
      if (this.project) {
        for (const name of this.project.registeredNodes(this.filename)) {
          const fn = this.functions.find((f) => f.name === name && !this.enclosingFunction(f.node));
          if (fn && !this.graphNodeCache.has(idKey(fn.node))) this.graphNodeCache.set(idKey(fn.node), "add_node");
        }
      }
    }
    return this.graphNodeCache.get(idKey(fn.node));
  }

  /** The local function an expression refers to (a name, possibly through a variable). */
  functionExpr(expr: PyNode): PyFunction | undefined {
    const value = this.valueOf(expr);
    if (value.type === "identifier") return this.functionNamed(value.text, value);
    return undefined;
  }

  /** Whether calling `fn` starts a run: decorated (`@traceable`, `@tool`, `@chain`, `@task`...) or wrapped / registered. */
  isTracedScope(fn: PyFunction): boolean {
    const cached = this.tracedScopeCache.get(idKey(fn.node));
    if (cached !== undefined) return cached;
    let traced = fn.decorators.some((d) => {
      const callee = this.decoratorCallee(d);
      return (
        this.is(callee, "traceable") ||
        this.is(callee, "tool") ||
        this.is(callee, "chain") ||
        this.is(callee, "runnableLambda") ||
        this.is(callee, "task") ||
        this.is(callee, "entrypoint") ||
        (callee?.type === "identifier" && this.settings.traceableWrappers.includes(callee.text))
      );
    });
    if (!traced) traced = this.graphNodeKind(fn) !== undefined;
    if (!traced) traced = this.wrappedFunctions().has(idKey(fn.node));
    this.tracedScopeCache.set(idKey(fn.node), traced);
    return traced;
  }

  private wrapped: Set<number> | undefined;

  /** Functions wrapped where they are used: `RunnableLambda(fn)`, `traceable(fn)` (computed once). */
  private wrappedFunctions(): Set<number> {
    if (this.wrapped) return this.wrapped;
    this.wrapped = new Set();
    for (const call of this.calls) {
      const callee = this.callee(call);
      if (callee?.type !== "identifier" && callee?.type !== "attribute") continue;
      if (!this.is(callee, "runnableLambda") && !this.is(callee, "traceable")) continue;
      const first = this.positionalArgs(call)[0];
      const fn = first ? this.functionExpr(first) : undefined;
      if (fn) this.wrapped.add(idKey(fn.node));
    }
    return this.wrapped;
  }

  /** Whether `fn` is decorated with `@traceable` (a langsmith traceable, as opposed to a LangChain runnable). */
  isTraceable(fn: PyFunction): boolean {
    return fn.decorators.some((d) => this.is(this.decoratorCallee(d), "traceable"));
  }

  /** Whether calling `fn` does traced work: it is a traced scope, or its body does traced work. */
  functionDoesTracedWork(fn: PyFunction): boolean {
    const key = idKey(fn.node);
    const cached = this.tracedWorkCache.get(key);
    if (cached !== undefined) return cached;
    this.tracedWorkCache.set(key, false); // cycle guard
    const result = this.isTracedScope(fn) || this.callsIn(fn.body).some((call) => this.callDoesTracedWork(call));
    this.tracedWorkCache.set(key, result);
    return result;
  }

  /** Whether a call starts a run: a traceable or runnable call, or a call of a helper that does. */
  callDoesTracedWork(call: PyNode, depth = 0): boolean {
    const callee = this.callee(call);
    if (!callee) return false;
    const method = this.methodName(call);
    if (method && RUNNABLE_METHODS.has(method)) return this.receiverMayBeRunnable(call);
    return this.calleeDoesTracedWork(callee, depth);
  }

  /**
   * Whether the receiver of `x.invoke(...)`/`x.stream(...)` may be a runnable: not a module, and not an object made by
   * a library outside LangChain/LangGraph/langsmith (`httpx.AsyncClient().stream(...)` is no runnable).
   */
  receiverMayBeRunnable(call: PyNode): boolean {
    const receiver = this.receiver(call);
    if (!receiver) return false;
    if (receiver.type === "identifier") {
      const binding = this.imports.get(receiver.text);
      if (binding && !binding.fromImport) return false;
    }
    const value = this.valueOf(receiver);
    if (value.type === "call") {
      const name = this.qualifiedName(this.callee(value));
      const root = name?.split(".")[0];
      if (root && !/^(?:langchain.*|langgraph.*|langsmith)$/.test(root) && !root.startsWith(".")) {
        const binding = this.imports.get(this.callee(value)!.text.split(".")[0]);
        // A class imported from the project itself may be a runnable; one from another library is not.
        if (binding && !this.project?.resolveModule(this.filename, binding.module)) return false;
      }
    }
    return true;
  }

  /** Whether calling what `expr` refers to does traced work. */
  calleeDoesTracedWork(expr: PyNode, depth = 0): boolean {
    if (depth > MAX_DEPTH) return false;
    if (expr.type === "attribute") {
      const method = field(expr, "attribute")?.text;
      if (method && RUNNABLE_METHODS.has(method)) {
        const object = field(expr, "object");
        return !(object?.type === "identifier" && this.imports.get(object.text)?.fromImport === false);
      }
      const qualified = this.qualifiedName(expr);
      return qualified !== undefined && this.project !== undefined && this.project.moduleAttributeDoesTracedWork(this.filename, qualified);
    }
    if (expr.type === "identifier") {
      const fn = this.functionNamed(expr.text, expr);
      if (fn && this.valuesOf(expr.text, expr).length === 0) return this.functionDoesTracedWork(fn);
      const binding = this.imports.get(expr.text);
      if (binding?.fromImport) return this.project?.importedDoesTracedWork(this.filename, binding.module, binding.qualified.slice(binding.module.length + 1)) ?? false;
      const values = this.valuesOf(expr.text, expr);
      if (values.length === 1) return this.valueIsTracedCallable(values[0], depth + 1);
      const param = this.parameterArguments(expr, depth);
      return param.some((arg) => this.workerDoesTracedWork(arg, depth + 1));
    }
    return false;
  }

  /** Whether a value (`traceable(f)`, `RunnableLambda(f)`, a runnable chain `a | b`, a function) is callable traced work. */
  private valueIsTracedCallable(value: PyNode, depth: number): boolean {
    if (value.type === "call") {
      const callee = this.callee(value);
      if (this.is(callee, "traceable") || this.is(callee, "runnableLambda") || this.is(callee, "tool")) return true;
      if (this.is(callee, "partial")) {
        const first = this.positionalArgs(value)[0];
        return first !== undefined && this.workerDoesTracedWork(first, depth + 1);
      }
      return false;
    }
    return this.workerDoesTracedWork(value, depth);
  }

  /**
   * Whether a function value handed to a worker (`pool.submit(f, x)`, `Thread(target=f)`) does traced work:
   * a local function, an imported one (project index), a bound runnable method (`retriever.invoke`), a lambda, a
   * `functools.partial`, or a parameter whose call sites pass one.
   */
  workerDoesTracedWork(expr: PyNode, depth = 0): boolean {
    if (depth > MAX_DEPTH) return false;
    switch (expr.type) {
      case "lambda": {
        const body = field(expr, "body");
        if (!body) return false;
        let found = false;
        walk(body, (node) => {
          if (node.type === "call" && this.callDoesTracedWork(node, depth + 1)) found = true;
          return !found;
        });
        return found;
      }
      case "attribute":
      case "identifier":
        return this.calleeDoesTracedWork(expr, depth + 1);
      case "call": {
        const callee = this.callee(expr);
        if (this.is(callee, "partial")) {
          const first = this.positionalArgs(expr)[0];
          return first !== undefined && this.workerDoesTracedWork(first, depth + 1);
        }
        return false;
      }
      default:
        return false;
    }
  }

  /** For a name that is a parameter of the enclosing function: the arguments in-file call sites pass for it. */
  parameterArguments(name: PyNode, depth = 0): PyNode[] {
    if (depth > MAX_DEPTH) return [];
    const fn = this.enclosingFunction(name);
    if (!fn) return [];
    const index = fn.params.indexOf(name.text);
    if (index < 0) return [];
    const out: PyNode[] = [];
    const offset = fn.params[0] === "self" || fn.params[0] === "cls" ? 1 : 0;
    for (const call of this.calls) {
      const callee = this.callee(call);
      const calleeName = callee?.type === "identifier" ? callee.text : callee?.type === "attribute" ? field(callee, "attribute")?.text : undefined;
      if (calleeName !== fn.name) continue;
      const keyword = this.keywordArg(call, name.text);
      const value = keyword ? field(keyword, "value") : this.positionalArgs(call)[index - (callee?.type === "attribute" ? offset : 0)];
      if (value) out.push(value);
    }
    return out;
  }

  // ---------------------------------------------------------------- inside a trace

  /**
   * Whether `node` runs inside a trace: in a traced scope, in a `with trace(...)`/`with tracing_context(...)`
   * block, or in a function that in-file traced code calls (transitively).
   */
  insideTrace(node: PyNode): boolean {
    for (let current = node.parent; current; current = current.parent) {
      if (current.type === "with_statement" && this.withStartsTrace(current)) return true;
      if (current.type === "function_definition") {
        const fn = this.functionByNode.get(idKey(current));
        if (fn && this.tracedCallers().has(idKey(fn.node))) return true;
      }
    }
    return false;
  }

  /** The traced function that encloses `node` (the trace's nearest scope), if any. */
  enclosingTracedScope(node: PyNode): PyFunction | undefined {
    for (let fn = this.enclosingFunction(node); fn; fn = this.enclosingFunction(fn.node)) {
      if (this.isTracedScope(fn)) return fn;
    }
    return undefined;
  }

  private withStartsTrace(statement: PyNode): boolean {
    let found = false;
    walk(statement, (node) => {
      if (node.type === "block") return false;
      if (node.type === "call" && (this.is(this.callee(node), "trace") || this.is(this.callee(node), "tracingContext"))) found = true;
      return !found;
    });
    return found;
  }

  /** Functions that run inside a trace: traced scopes and what they call in this file, transitively. */
  private tracedCallers(): Set<number> {
    if (this.insideTraceSet) return this.insideTraceSet;
    const set = new Set<number>();
    const queue: PyFunction[] = [];
    for (const fn of this.functions) {
      if (this.isTracedScope(fn)) {
        set.add(idKey(fn.node));
        queue.push(fn);
      }
    }
    this.insideTraceSet = set;
    while (queue.length > 0) {
      const fn = queue.pop()!;
      // Functions defined inside it run inside it when called there.
      for (const inner of this.functions) {
        if (this.enclosingFunction(inner.node)?.node.id === fn.node.id && !set.has(idKey(inner.node))) {
          set.add(idKey(inner.node));
          queue.push(inner);
        }
      }
      for (const call of this.callsIn(fn.body)) {
        const callee = this.callee(call);
        const target = callee?.type === "identifier" ? this.functionNamed(callee.text, callee) : undefined;
        if (target && !set.has(idKey(target.node))) {
          set.add(idKey(target.node));
          queue.push(target);
        }
      }
    }
    return set;
  }

  // ---------------------------------------------------------------- servers

  private serverFactsCache: ServerFacts | undefined;

  /** The file's web servers: ASGI apps with their endpoints, Flask/Quart handlers, Django views (./servers.ts). */
  servers(): ServerFacts {
    return (this.serverFactsCache ??= serverFacts(this));
  }

  /** Flask/Quart `request.headers` passed as a trace parent, which langsmith ignores (not a `Mapping`). */
  werkzeugHeaderParents(): WerkzeugParent[] {
    return werkzeugHeaderParents(this);
  }

  // ---------------------------------------------------------------- text helpers

  /** The indentation of the line `offset` is on. */
  indentAt(offset: number): string {
    const lineStart = this.text.lastIndexOf("\n", offset - 1) + 1;
    return /^[ \t]*/.exec(this.text.slice(lineStart))![0];
  }

  /** The newline the file uses. */
  get eol(): string {
    return this.text.includes("\r\n") ? "\r\n" : "\n";
  }
}
