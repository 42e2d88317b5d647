/**
 * The analysis model of one JavaScript/TypeScript file, shared by every rule, codemod and CLI command.
 *
 * It answers the questions every trace-nesting rule needs, so that rules never re-derive them:
 * - which bindings are langsmith / LangChain / LangGraph / queue-library APIs (by module specifier, through
 *   renamed and namespace imports, local aliases, CommonJS `require` and destructuring, `await import()`);
 * - which functions are traced scopes (traceable, RunnableLambda, tool(), graph nodes, tasks, entrypoints, the
 *   user's own wrappers and factories, functions that read `getCurrentRunTree()`);
 * - which calls do traced work (call a traceable, a runnable method, a wrapped client, or a local function that does);
 * - what a value is (runnable, traceable function, limiter, queue, ...) and where it was created;
 * - the runtime: whether AsyncLocalStorage carries the run tree in this file.
 *
 * The model is built once per file (one walk over the AST) and cached per AST, so all rules share it.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { visitorKeys as defaultVisitorKeys } from "@typescript-eslint/visitor-keys";
import path from "node:path";
import { minimatch } from "minimatch";
import {
  DISTINCTIVE_RUNNABLE_METHODS,
  NO_ALS_MODULES,
  RUNNABLE_DERIVING_METHODS,
  RUNNABLE_METHODS,
  TRACED_CLIENT_WRAPPERS,
  TRACEABLE_NAMES,
  isLangchainModule,
  isLanggraphModule,
  isLangsmithModule,
  queueLibraryOf,
} from "./apis.js";
import type { ResolvedSettings } from "./settings.js";
import type { MinimalScope, MinimalScopeManager, MinimalVariable } from "./scope.js";

export type Node = TSESTree.Node;
export type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | TSESTree.FunctionDeclaration;
export type CallLike = TSESTree.CallExpression | TSESTree.NewExpression;

/** An imported API: `name` is the exported name, `default`, or `*` for the module object itself. */
export interface ApiRef {
  module: string;
  name: string;
}

/** What kind of traced scope a function is, and where the library hands it a RunnableConfig. */
export type ScopeKind =
  | "traceable"
  | "runnable"
  | "tool"
  | "dynamic-tool"
  | "graph-node"
  | "task"
  | "entrypoint"
  | "run-tree-reader";

export interface TracedScope {
  fn: FunctionNode;
  kind: ScopeKind;
  /** Index of the parameter that receives the RunnableConfig, when the library passes one. */
  configParamIndex?: number;
  /** The function is written inline as the factory's argument, so TypeScript types its parameters from context. */
  inline: boolean;
  /** Human-readable description for messages, e.g. `RunnableLambda`, `graph node "retrieve"`. */
  label: string;
}

/** What a value is, as far as one file can tell. */
export type ValueKind =
  | "traceable-fn"
  | "task-fn"
  | "runnable"
  | "graph-builder"
  | "traced-client"
  | "p-limit"
  | "p-queue"
  | "async-queue"
  | "foreign"
  | "unknown";

export interface RuntimeInfo {
  /** Whether AsyncLocalStorage carries the current run tree in this file. */
  als: boolean;
  /** Why, in words, e.g. `imports @langchain/langgraph/web`. */
  reason: string;
}

export interface ModelInput {
  ast: TSESTree.Program;
  scopeManager: MinimalScopeManager;
  text: string;
  filename: string;
  settings: ResolvedSettings;
  /** Working directory that `browserFiles` globs are relative to. */
  cwd?: string;
  visitorKeys?: Readonly<Record<string, readonly string[] | undefined>>;
}

/** Methods that return their receiver, so `a.on(...).on(...)` is `a`. */
const CHAINING_METHODS = new Set([
  "on", "once", "addListener", "prependListener", "prependOnceListener", "off", "removeListener",
  "setEncoding", "setMaxListeners", "resume", "pause", "setTimeout", "ref", "unref", "cork",
]);

const FUNCTION_TYPES = new Set(["ArrowFunctionExpression", "FunctionExpression", "FunctionDeclaration"]);

export function isFunctionNode(node: Node | null | undefined): node is FunctionNode {
  return !!node && FUNCTION_TYPES.has(node.type);
}

/** Strip TypeScript-only wrappers and `await` around an expression. */
export function unwrapExpression(node: Node): Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case "TSAsExpression":
      case "TSNonNullExpression":
      case "TSSatisfiesExpression":
      case "TSTypeAssertion":
      case "TSInstantiationExpression":
        current = current.expression;
        continue;
      case "ChainExpression":
        current = current.expression;
        continue;
      default:
        return current;
    }
  }
}

/** The static name of a member expression's property (`a.b`, `a["b"]`), if any. */
export function memberName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === "Identifier") return node.property.name;
  if (node.computed && node.property.type === "Literal" && typeof node.property.value === "string") return node.property.value;
  return undefined;
}

/** The method name of a call like `x.name(...)`. */
export function calleeMethodName(call: CallLike): string | undefined {
  const callee = unwrapExpression(call.callee);
  return callee.type === "MemberExpression" ? memberName(callee) : undefined;
}

export function stringLiteralValue(node: Node | undefined | null): string | undefined {
  if (!node) return undefined;
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  if (node.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

export class JsModel {
  readonly ast: TSESTree.Program;
  readonly text: string;
  readonly filename: string;
  readonly settings: ResolvedSettings;
  readonly scopeManager: MinimalScopeManager;
  readonly cwd: string;
  /** Every call and `new` expression, in source order. */
  readonly calls: CallLike[] = [];
  /** Every function, in source order. */
  readonly functions: FunctionNode[] = [];
  /** `x.onmessage = fn` style handler assignments. */
  readonly handlerAssignments: TSESTree.AssignmentExpression[] = [];
  /** Top-level import declarations. */
  readonly importDeclarations: TSESTree.ImportDeclaration[] = [];
  /** `require("...")` calls anywhere in the file. */
  readonly requireCalls: TSESTree.CallExpression[] = [];
  /** `import("...")` expressions. */
  readonly importExpressions: TSESTree.ImportExpression[] = [];

  private readonly variableByIdentifier = new Map<Node, MinimalVariable | null>();
  private readonly apiByVariable = new Map<MinimalVariable, ApiRef | null>();
  private readonly kindByVariable = new Map<MinimalVariable, ValueKind>();
  private readonly scopeByFunction = new Map<FunctionNode, TracedScope>();
  private readonly enclosingCache = new Map<Node, TracedScope | null>();
  private readonly tracedWorkByFunction = new Map<FunctionNode, boolean>();
  private runtimeInfo: RuntimeInfo | undefined;
  private tracedScopesComputed = false;

  constructor(input: ModelInput) {
    this.ast = input.ast;
    this.text = input.text;
    this.filename = input.filename;
    this.settings = input.settings;
    this.scopeManager = input.scopeManager;
    this.cwd = input.cwd ?? process.cwd();
    this.walk(input.visitorKeys ?? (defaultVisitorKeys as Record<string, readonly string[]>));
    this.indexScopes();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Construction
  // ---------------------------------------------------------------------------------------------------------------

  /** One iterative walk: sets missing parent pointers and collects the node lists the model needs. */
  private walk(keys: Readonly<Record<string, readonly string[] | undefined>>): void {
    const stack: Node[] = [this.ast];
    while (stack.length > 0) {
      const node = stack.pop()!;
      switch (node.type) {
        case "CallExpression": {
          this.calls.push(node);
          const callee = node.callee;
          if (callee.type === "Identifier" && callee.name === "require" && node.arguments.length === 1) {
            this.requireCalls.push(node);
          }
          break;
        }
        case "NewExpression":
          this.calls.push(node);
          break;
        case "ArrowFunctionExpression":
        case "FunctionExpression":
        case "FunctionDeclaration":
          this.functions.push(node);
          break;
        case "ImportDeclaration":
          this.importDeclarations.push(node);
          break;
        case "ImportExpression":
          this.importExpressions.push(node);
          break;
        case "AssignmentExpression":
          if (node.left.type === "MemberExpression") {
            const name = memberName(node.left);
            if (name && /^on[a-z]+$/.test(name)) this.handlerAssignments.push(node);
          }
          break;
        default:
          break;
      }
      const childKeys = keys[node.type];
      if (!childKeys) continue;
      for (let k = childKeys.length - 1; k >= 0; k--) {
        const child = (node as unknown as Record<string, unknown>)[childKeys[k]];
        if (!child) continue;
        if (Array.isArray(child)) {
          for (let i = child.length - 1; i >= 0; i--) {
            const item = child[i] as Node | null;
            if (item && typeof item.type === "string") {
              if (!item.parent) (item as { parent?: Node }).parent = node;
              stack.push(item);
            }
          }
        } else if (typeof (child as Node).type === "string") {
          const item = child as Node;
          if (!item.parent) (item as { parent?: Node }).parent = node;
          stack.push(item);
        }
      }
    }
    // The walk pushes children in reverse so they pop in source order, but siblings of different parents interleave
    // depth-first; sort so that `calls` and `functions` are in source order.
    this.calls.sort((a, b) => a.range[0] - b.range[0]);
    this.functions.sort((a, b) => a.range[0] - b.range[0]);
  }

  /** Map every identifier (reference or declaration) to its variable. */
  private indexScopes(): void {
    for (const scope of this.scopeManager.scopes) {
      for (const reference of scope.references) {
        this.variableByIdentifier.set(reference.identifier as Node, reference.resolved);
      }
      for (const variable of scope.variables) {
        for (const identifier of variable.identifiers) this.variableByIdentifier.set(identifier as Node, variable);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Bindings and scopes
  // ---------------------------------------------------------------------------------------------------------------

  /** The variable an identifier refers to or declares, or undefined for globals and unknowns. */
  variableOf(identifier: Node): MinimalVariable | undefined {
    const variable = this.variableByIdentifier.get(identifier);
    // Globals declared by the environment (`require` under sourceType commonjs, browser globals) have no
    // definitions in the file: treat them as unbound.
    return variable && variable.defs.length > 0 ? variable : undefined;
  }

  /** The innermost scope containing `node`. */
  scopeAt(node: Node): MinimalScope {
    for (let current: Node | undefined = node; current; current = current.parent) {
      const scope = this.scopeManager.acquire(current, true);
      if (scope) {
        // `acquire` on a function returns the function's own scope; for a node inside it we want that scope too,
        // but for the function node itself (as a reference site) the enclosing one. Callers pass inner nodes.
        return scope;
      }
    }
    return this.scopeManager.scopes[0];
  }

  /** Resolve a name visible at `node` (walking out through scopes); undefined when unbound (global). */
  lookupName(node: Node, name: string): MinimalVariable | undefined {
    for (let scope: MinimalScope | null = this.scopeAt(node); scope; scope = scope.upper) {
      const variable = scope.set.get(name);
      if (variable) return variable;
    }
    return undefined;
  }

  /** Whether `name` is bound anywhere in `fn` or visible at `site`. */
  isNameTaken(name: string, site: Node, fn?: FunctionNode): boolean {
    if (this.lookupName(site, name)) return true;
    if (fn) {
      const fnScope = this.scopeManager.acquire(fn, false);
      if (fnScope && this.scopeDeclaresWithin(fnScope, name)) return true;
    }
    return false;
  }

  private scopeDeclaresWithin(scope: MinimalScope, name: string): boolean {
    if (scope.set.has(name)) return true;
    return scope.childScopes.some((child) => this.scopeDeclaresWithin(child, name));
  }

  /** The initializer of a `const x = init` / `let x = init` variable, when it has exactly one simple definition. */
  initializerOf(variable: MinimalVariable): Node | undefined {
    if (variable.defs.length !== 1) return undefined;
    const def = variable.defs[0];
    if (def.type !== "Variable") return undefined;
    const declarator = def.node as TSESTree.VariableDeclarator;
    if (declarator.id.type !== "Identifier") return undefined;
    return declarator.init ?? undefined;
  }

  /** The function a variable names (a function declaration or `const f = () => ...`). */
  functionOf(variable: MinimalVariable): FunctionNode | undefined {
    if (variable.defs.length !== 1) return undefined;
    const def = variable.defs[0];
    if (def.type === "FunctionName" && isFunctionNode(def.node as Node)) return def.node as FunctionNode;
    const init = this.initializerOf(variable);
    if (init) {
      const unwrapped = unwrapExpression(init);
      if (isFunctionNode(unwrapped)) return unwrapped;
    }
    return undefined;
  }

  /** The function an expression denotes: inline, or a local binding of one. */
  resolveFunction(expr: Node | undefined | null): { fn: FunctionNode; inline: boolean } | undefined {
    if (!expr) return undefined;
    const node = unwrapExpression(expr);
    if (isFunctionNode(node)) return { fn: node, inline: true };
    if (node.type === "Identifier") {
      const variable = this.variableOf(node);
      const fn = variable && this.functionOf(variable);
      if (fn) return { fn, inline: false };
    }
    return undefined;
  }

  /** Whether a variable is declared by `let`/`const`/`var`/function inside `fn` (not one of `fn`'s parameters). */
  isDeclaredInside(variable: MinimalVariable, fn: FunctionNode): boolean {
    const def = variable.defs[0];
    if (!def || def.type === "Parameter") {
      // A parameter of a function nested inside `fn` still comes from its caller, which may be outside.
      return false;
    }
    const declNode = def.node as Node;
    return declNode.range[0] >= fn.range[0] && declNode.range[1] <= fn.range[1] && declNode !== fn;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // API resolution
  // ---------------------------------------------------------------------------------------------------------------

  /** The library API an expression denotes, through imports, aliases, namespaces and `require`. */
  resolveApi(expr: Node | undefined | null): ApiRef | undefined {
    if (!expr) return undefined;
    const node = unwrapExpression(expr);
    switch (node.type) {
      case "Identifier": {
        const variable = this.variableOf(node);
        return variable ? this.apiOfVariable(variable) : undefined;
      }
      case "MemberExpression": {
        const name = memberName(node);
        if (!name) return undefined;
        const object = this.resolveApi(node.object);
        if (object && (object.name === "*" || object.name === "default")) return { module: object.module, name };
        return undefined;
      }
      case "CallExpression": {
        const callee = node.callee;
        if (callee.type === "Identifier" && callee.name === "require" && !this.variableOf(callee)) {
          const specifier = stringLiteralValue(node.arguments[0]);
          if (specifier) return { module: specifier, name: "*" };
        }
        return undefined;
      }
      case "AwaitExpression":
        return this.resolveApi(node.argument);
      case "ImportExpression": {
        const specifier = stringLiteralValue(node.source);
        return specifier ? { module: specifier, name: "*" } : undefined;
      }
      default:
        return undefined;
    }
  }

  private apiOfVariable(variable: MinimalVariable): ApiRef | undefined {
    if (this.apiByVariable.has(variable)) return this.apiByVariable.get(variable) ?? undefined;
    this.apiByVariable.set(variable, null); // cycle guard
    const result = this.computeApiOfVariable(variable);
    this.apiByVariable.set(variable, result ?? null);
    return result;
  }

  private computeApiOfVariable(variable: MinimalVariable): ApiRef | undefined {
    if (variable.defs.length !== 1) return undefined;
    const def = variable.defs[0];
    const node = def.node as Node;
    if (def.type === "ImportBinding") {
      if (node.type === "TSImportEqualsDeclaration") {
        const ref = node.moduleReference;
        if (ref.type === "TSExternalModuleReference") {
          const specifier = stringLiteralValue(ref.expression);
          return specifier ? { module: specifier, name: "*" } : undefined;
        }
        return undefined;
      }
      const declaration = node.parent as TSESTree.ImportDeclaration | undefined;
      if (!declaration || declaration.type !== "ImportDeclaration") return undefined;
      const module = declaration.source.value;
      if (node.type === "ImportSpecifier") {
        const imported = node.imported.type === "Identifier" ? node.imported.name : String(node.imported.value);
        return { module, name: imported };
      }
      if (node.type === "ImportDefaultSpecifier") return { module, name: "default" };
      if (node.type === "ImportNamespaceSpecifier") return { module, name: "*" };
      return undefined;
    }
    if (def.type === "Variable") {
      const declarator = node as TSESTree.VariableDeclarator;
      if (!declarator.init) return undefined;
      if (declarator.id.type === "Identifier") return this.resolveApi(declarator.init);
      if (declarator.id.type === "ObjectPattern") {
        const source = this.resolveApi(declarator.init);
        if (!source || (source.name !== "*" && source.name !== "default")) return undefined;
        const key = this.patternKeyFor(declarator.id, def.name as Node);
        return key ? { module: source.module, name: key } : undefined;
      }
    }
    return undefined;
  }

  /** In `{ a: b, c } = ...`, the property key under which `identifier` is bound (one level deep). */
  private patternKeyFor(pattern: TSESTree.ObjectPattern, identifier: Node): string | undefined {
    for (const property of pattern.properties) {
      if (property.type !== "Property") continue;
      let value: Node = property.value;
      if (value.type === "AssignmentPattern") value = value.left;
      if (value !== identifier) continue;
      if (!property.computed && property.key.type === "Identifier") return property.key.name;
      return stringLiteralValue(property.key);
    }
    return undefined;
  }

  /** Whether `expr` resolves to API `name` of a module accepted by `modulePredicate`. */
  isApi(expr: Node | undefined | null, modulePredicate: (specifier: string) => boolean, names: ReadonlySet<string> | string): boolean {
    const api = this.resolveApi(expr);
    if (!api || !modulePredicate(api.module)) return false;
    return typeof names === "string" ? api.name === names : names.has(api.name);
  }

  /** Whether a callee is `traceable` (from any langsmith entry) or a user-named wrapper of it. */
  isTraceableFactory(callee: Node): boolean {
    if (this.isApi(callee, isLangsmithModule, TRACEABLE_NAMES)) return true;
    const node = unwrapExpression(callee);
    if (this.settings.traceableWrappers.size === 0) return false;
    if (node.type === "Identifier") return this.settings.traceableWrappers.has(node.name);
    if (node.type === "MemberExpression") {
      const name = memberName(node);
      return !!name && this.settings.traceableWrappers.has(name);
    }
    return false;
  }

  private isRunnableFactoryName(callee: Node): boolean {
    if (this.settings.runnableFactories.size === 0) return false;
    const node = unwrapExpression(callee);
    if (node.type === "Identifier") return this.settings.runnableFactories.has(node.name);
    if (node.type === "MemberExpression") {
      const name = memberName(node);
      return !!name && this.settings.runnableFactories.has(name);
    }
    return false;
  }

  /** Whether `expr` is `getCurrentRunTree` from langsmith. */
  isGetCurrentRunTree(expr: Node): boolean {
    return this.isApi(expr, isLangsmithModule, "getCurrentRunTree");
  }

  /** Whether the file imports anything from LangGraph. */
  get usesLanggraph(): boolean {
    return this.moduleSpecifiers().some(isLanggraphModule);
  }

  private specifiersCache: string[] | undefined;
  /** Every module specifier the file imports or requires. */
  moduleSpecifiers(): string[] {
    if (this.specifiersCache) return this.specifiersCache;
    const out: string[] = [];
    for (const declaration of this.importDeclarations) out.push(declaration.source.value);
    for (const call of this.requireCalls) {
      const specifier = stringLiteralValue(call.arguments[0]);
      if (specifier) out.push(specifier);
    }
    for (const expression of this.importExpressions) {
      const specifier = stringLiteralValue(expression.source);
      if (specifier) out.push(specifier);
    }
    return (this.specifiersCache = out);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Values
  // ---------------------------------------------------------------------------------------------------------------

  /** What a value is, following local bindings to their initializers. */
  valueKind(expr: Node | undefined | null): ValueKind {
    if (!expr) return "unknown";
    const node = unwrapExpression(expr);
    switch (node.type) {
      case "Identifier": {
        const variable = this.variableOf(node);
        if (!variable) return "unknown";
        return this.kindOfVariable(variable);
      }
      case "AwaitExpression":
        return this.valueKind(node.argument);
      case "CallExpression":
        return this.kindOfCall(node);
      case "NewExpression":
        return this.kindOfNew(node);
      default:
        return "unknown";
    }
  }

  private kindOfVariable(variable: MinimalVariable): ValueKind {
    const cached = this.kindByVariable.get(variable);
    if (cached) return cached;
    this.kindByVariable.set(variable, "unknown"); // cycle guard
    let kind: ValueKind = "unknown";
    const init = this.initializerOf(variable);
    if (init) kind = this.valueKind(init);
    this.kindByVariable.set(variable, kind);
    return kind;
  }

  private kindOfCall(call: TSESTree.CallExpression): ValueKind {
    const callee = unwrapExpression(call.callee);
    if (this.isTraceableFactory(callee)) return "traceable-fn";
    const api = this.resolveApi(callee);
    if (api) {
      if (isLangsmithModule(api.module) && TRACED_CLIENT_WRAPPERS.has(api.name)) return "traced-client";
      if (isLanggraphModule(api.module) && api.name === "task") return "task-fn";
      if (isLanggraphModule(api.module) && api.name === "entrypoint") return "runnable";
      if (isLangchainModule(api.module) && api.name === "tool") return "runnable";
      const queueLib = queueLibraryOf(api.module);
      if (queueLib === "p-limit" && (api.name === "default" || api.name === "*" || api.name === "pLimit")) return "p-limit";
      if (queueLib === "async" && /^(queue|cargo|cargoQueue|priorityQueue)$/.test(api.name)) return "async-queue";
      if (queueLib === "async" && (api.name === "default" || api.name === "*") && api.module !== "async") {
        // `require("async/queue")(worker, n)`
        return "async-queue";
      }
    }
    if (callee.type === "MemberExpression") {
      const method = memberName(callee);
      // Static factories on LangChain classes: RunnableLambda.from, ChatPromptTemplate.fromMessages, ...
      const owner = this.resolveApi(callee.object);
      if (owner && isLangchainModule(owner.module) && owner.name !== "*" && method && /^from/.test(method)) return "runnable";
      if (method && RUNNABLE_DERIVING_METHODS.has(method)) {
        const receiver = this.valueKind(callee.object);
        if (receiver === "runnable" || receiver === "graph-builder") return "runnable";
      }
      if (method && /^(addNode|addEdge|addConditionalEdges|addSequence|setEntryPoint|setFinishPoint)$/.test(method)) {
        if (this.valueKind(callee.object) === "graph-builder") return "graph-builder";
      }
    }
    return "unknown";
  }

  private kindOfNew(expr: TSESTree.NewExpression): ValueKind {
    const api = this.resolveApi(expr.callee);
    if (!api) return "unknown";
    if (isLanggraphModule(api.module) && /Graph$/.test(api.name)) return "graph-builder";
    if (isLangchainModule(api.module)) return "runnable";
    if (queueLibraryOf(api.module) === "p-queue") return "p-queue";
    return "foreign";
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Traced scopes
  // ---------------------------------------------------------------------------------------------------------------

  /** Every traced scope in the file. */
  tracedScopes(): TracedScope[] {
    this.computeTracedScopes();
    return [...this.scopeByFunction.values()];
  }

  /** The traced scope a function is, if it is one. */
  tracedScopeOf(fn: FunctionNode): TracedScope | undefined {
    this.computeTracedScopes();
    return this.scopeByFunction.get(fn);
  }

  /** The nearest enclosing function of `node` that is a traced scope (not `node` itself). */
  enclosingTracedScope(node: Node): TracedScope | undefined {
    this.computeTracedScopes();
    const visited: Node[] = [];
    let result: TracedScope | undefined;
    for (let current = node.parent; current; current = current.parent) {
      if (!isFunctionNode(current)) continue;
      const cached = this.enclosingCache.get(current);
      if (cached !== undefined) {
        result = cached ?? undefined;
        break;
      }
      visited.push(current);
      const scope = this.scopeByFunction.get(current);
      if (scope) {
        result = scope;
        break;
      }
    }
    for (const fn of visited) this.enclosingCache.set(fn, result ?? null);
    return result;
  }

  private addScope(target: Node | undefined | null, kind: ScopeKind, label: string, configParamIndex?: number): void {
    const resolved = this.resolveFunction(target);
    if (!resolved || this.scopeByFunction.has(resolved.fn)) return;
    this.scopeByFunction.set(resolved.fn, { fn: resolved.fn, kind, inline: resolved.inline, label, configParamIndex });
  }

  private computeTracedScopes(): void {
    if (this.tracedScopesComputed) return;
    this.tracedScopesComputed = true;
    const usesLanggraph = this.usesLanggraph;
    for (const call of this.calls) {
      const callee = unwrapExpression(call.callee);
      if (call.type === "NewExpression") {
        const api = this.resolveApi(callee);
        if (!api || !isLangchainModule(api.module)) continue;
        const options = call.arguments[0];
        const func = options && options.type === "ObjectExpression" ? this.objectProperty(options, "func") : undefined;
        if (api.name === "RunnableLambda") this.addScope(func, "runnable", "RunnableLambda", 1);
        else if (api.name === "DynamicTool" || api.name === "DynamicStructuredTool") this.addScope(func, "dynamic-tool", api.name, 2);
        continue;
      }
      if (this.isTraceableFactory(callee)) {
        this.addScope(call.arguments[0], "traceable", "traceable");
        continue;
      }
      if (this.isRunnableFactoryName(callee)) {
        const name = callee.type === "Identifier" ? callee.name : calleeMethodName(call) ?? "factory";
        this.addScope(call.arguments[0], "runnable", name, 1);
        continue;
      }
      if (this.isGetCurrentRunTree(callee)) {
        for (let current: Node | undefined = call.parent; current; current = current.parent) {
          if (isFunctionNode(current)) {
            if (!this.scopeByFunction.has(current)) {
              this.scopeByFunction.set(current, { fn: current, kind: "run-tree-reader", inline: false, label: "function reading getCurrentRunTree()" });
            }
            break;
          }
        }
        continue;
      }
      const api = this.resolveApi(callee);
      if (api && isLangchainModule(api.module)) {
        if (api.name === "tool") this.addScope(call.arguments[0], "tool", "tool()", 1);
        else if (api.name === "task" && isLanggraphModule(api.module)) this.addScope(call.arguments[1], "task", "task()");
        else if (api.name === "entrypoint" && isLanggraphModule(api.module)) this.addScope(call.arguments[1], "entrypoint", "entrypoint()", 1);
        continue;
      }
      if (callee.type !== "MemberExpression") continue;
      const method = memberName(callee);
      if (!method) continue;
      const owner = this.resolveApi(callee.object);
      if (owner && isLangchainModule(owner.module)) {
        if (owner.name === "RunnableLambda" && method === "from") this.addScope(call.arguments[0], "runnable", "RunnableLambda", 1);
        else if ((owner.name === "RunnableSequence" && method === "from") || (owner.name === "RunnableParallel" && method === "from")) {
          this.addCollectionScopes(call.arguments[0], owner.name);
        }
        continue;
      }
      if (method === "addNode" && usesLanggraph) {
        const first = call.arguments[0];
        const nodeName = stringLiteralValue(first);
        if (nodeName !== undefined) this.addScope(call.arguments[1], "graph-node", `graph node "${nodeName}"`, 1);
        else if (first && first.type === "ObjectExpression") {
          for (const property of first.properties) {
            if (property.type === "Property") {
              const key = property.key.type === "Identifier" ? property.key.name : stringLiteralValue(property.key) ?? "?";
              this.addScope(property.value, "graph-node", `graph node "${key}"`, 1);
            }
          }
        } else if (first && first.type === "ArrayExpression") {
          for (const element of first.elements) {
            if (element && element.type === "ArrayExpression") {
              const key = stringLiteralValue(element.elements[0]) ?? "?";
              this.addScope(element.elements[1], "graph-node", `graph node "${key}"`, 1);
            }
          }
        }
        continue;
      }
      if (method === "pipe" && this.valueKind(callee.object) === "runnable") {
        this.addScope(call.arguments[0], "runnable", "RunnableLambda (from .pipe)", 1);
      }
    }
  }

  private addCollectionScopes(collection: Node | undefined, label: string): void {
    if (!collection) return;
    if (collection.type === "ArrayExpression") {
      for (const element of collection.elements) if (element) this.addScope(element, "runnable", `${label} step`, 1);
    } else if (collection.type === "ObjectExpression") {
      for (const property of collection.properties) {
        if (property.type === "Property") this.addScope(property.value, "runnable", `${label} step`, 1);
      }
    }
  }

  /** The value of property `name` in an object literal. */
  objectProperty(object: TSESTree.ObjectExpression, name: string): Node | undefined {
    for (const property of object.properties) {
      if (property.type !== "Property") continue;
      const key = !property.computed && property.key.type === "Identifier" ? property.key.name : stringLiteralValue(property.key);
      if (key === name) return property.value;
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Traced work
  // ---------------------------------------------------------------------------------------------------------------

  /** If `call` is a runnable method call (`x.invoke(...)` on a runnable), the method name. */
  runnableMethodCall(call: CallLike): string | undefined {
    if (call.type !== "CallExpression") return undefined;
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "MemberExpression") return undefined;
    const method = memberName(callee);
    if (!method || !RUNNABLE_METHODS.has(method)) return undefined;
    const receiver = this.valueKind(callee.object);
    if (receiver === "runnable") return method;
    if (receiver === "unknown" && DISTINCTIVE_RUNNABLE_METHODS.has(method)) {
      // An imported value of unknown origin, a parameter, `this.chain`: `.invoke(` is LangChain's signature.
      return method;
    }
    return undefined;
  }

  /** If `call` calls a traceable function (or a LangGraph task), which kind. */
  traceableCall(call: CallLike): "traceable-fn" | "task-fn" | undefined {
    if (call.type !== "CallExpression") return undefined;
    const callee = unwrapExpression(call.callee);
    if (callee.type === "CallExpression" && this.isTraceableFactory(callee.callee)) return "traceable-fn";
    const kind = this.valueKind(callee);
    return kind === "traceable-fn" || kind === "task-fn" ? kind : undefined;
  }

  /** Whether a call is on a client wrapped for tracing (`wrapOpenAI(...)`), e.g. `client.chat.completions.create()`. */
  private isTracedClientCall(call: TSESTree.CallExpression): boolean {
    let object: Node = unwrapExpression(call.callee);
    while (object.type === "MemberExpression") object = unwrapExpression(object.object);
    return object !== unwrapExpression(call.callee) && this.valueKind(object) === "traced-client";
  }

  /**
   * Whether a call starts a traced run whose parent comes from the async context: directly, or through a local
   * function that does. Calls that hand the parent over explicitly (`child(runTree, x)`, `child(config, x)`,
   * `x.invoke(input, config)`) do not depend on the context and do not count.
   */
  isTracedWork(call: CallLike): boolean {
    if (call.type !== "CallExpression") return false;
    if (this.traceableCall(call)) return !this.passesParentExplicitly(call, 0);
    if (this.runnableMethodCall(call)) return !this.passesParentExplicitly(call, 1);
    if (this.isTracedClientCall(call)) return true;
    const resolved = this.resolveFunction(call.callee);
    if (resolved && !resolved.inline) return this.functionDoesTracedWork(resolved.fn);
    return false;
  }

  /** Whether argument `index` of a call is an explicit parent: a config or run tree variable, ROOT, getCurrentRunTree(). */
  passesParentExplicitly(call: TSESTree.CallExpression, index: number): boolean {
    const arg = call.arguments[index];
    if (!arg || arg.type === "SpreadElement") return false;
    const node = unwrapExpression(arg);
    if (node.type === "Identifier") {
      if (/config|runtree|^rt$|^parent(run)?$/i.test(node.name)) return true;
      const variable = this.variableOf(node);
      const def = variable?.defs[0];
      if (def?.type === "Parameter") return index === 1; // a runnable's options parameter passed on
      const init = variable && this.initializerOf(variable);
      const initNode = init && unwrapExpression(init);
      if (initNode?.type === "CallExpression" && this.isGetCurrentRunTree(initNode.callee)) return true;
    }
    if (node.type === "MemberExpression" && index === 1) return true; // `this.config`, `opts.config`
    if (this.resolveApi(node)?.name === "ROOT") return true;
    if (node.type === "CallExpression" && this.isGetCurrentRunTree(node.callee)) return true;
    return false;
  }

  /**
   * Whether `node` runs inside a function whose context is pinned: the callback of langsmith's `withRunTree`, or a
   * function bound with `AsyncLocalStorage.bind` / `AsyncResource.bind` / run through `AsyncLocalStorage.snapshot()`.
   * Stops at `boundary`.
   */
  isInPinnedContext(node: Node, boundary: Node): boolean {
    for (let current = node.parent; current && current !== boundary; current = current.parent) {
      if (!isFunctionNode(current)) continue;
      const parent = current.parent;
      if (parent && parent.type === "CallExpression" && parent.arguments.includes(current as TSESTree.CallExpressionArgument)) {
        if (this.isContextPinningCall(parent)) return true;
      }
    }
    return false;
  }

  /** `withRunTree(rt, fn)`, `AsyncLocalStorage.bind(fn)`, `AsyncResource.bind(fn)`, `als.run(store, fn)`. */
  isContextPinningCall(call: TSESTree.CallExpression): boolean {
    const callee = unwrapExpression(call.callee);
    if (this.isApi(callee, isLangsmithModule, "withRunTree")) return true;
    if (callee.type === "MemberExpression") {
      const method = memberName(callee);
      if (method === "bind" || method === "snapshot") {
        const owner = this.resolveApi(callee.object);
        if (owner && /^(node:)?async_hooks$/.test(owner.module) && (owner.name === "AsyncLocalStorage" || owner.name === "AsyncResource")) return true;
      }
    }
    return false;
  }

  /** Whether any call inside `fn` (at any depth) does traced work that depends on the async context. */
  functionDoesTracedWork(fn: FunctionNode): boolean {
    const cached = this.tracedWorkByFunction.get(fn);
    if (cached !== undefined) return cached;
    this.tracedWorkByFunction.set(fn, false); // recursion guard
    let result = false;
    for (const call of this.callsWithin(fn)) {
      if (this.isTracedWork(call) && !this.isInPinnedContext(call, fn)) {
        result = true;
        break;
      }
    }
    this.tracedWorkByFunction.set(fn, result);
    return result;
  }

  /** Whether an expression handed somewhere as a callback does traced work when called. */
  callbackDoesTracedWork(expr: Node): boolean {
    const node = unwrapExpression(expr);
    if (node.type === "CallExpression" && this.isContextPinningCall(node)) return false;
    if (isFunctionNode(node)) return this.functionDoesTracedWork(node);
    if (node.type === "CallExpression" && this.isTraceableFactory(node.callee)) return true;
    const kind = this.valueKind(node);
    if (kind === "traceable-fn" || kind === "task-fn") return true;
    const resolved = this.resolveFunction(node);
    return !!resolved && this.functionDoesTracedWork(resolved.fn);
  }

  /** Calls whose range lies inside `node`, by binary search over the sorted call list. */
  callsWithin(node: Node): CallLike[] {
    const [start, end] = node.range;
    let lo = 0;
    let hi = this.calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.calls[mid].range[0] < start) lo = mid + 1;
      else hi = mid;
    }
    const out: CallLike[] = [];
    for (let i = lo; i < this.calls.length && this.calls[i].range[0] < end; i++) {
      if (this.calls[i].range[1] <= end) out.push(this.calls[i]);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Where things are created
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Whether the object an expression evaluates to was created inside `fn` (so its async context was captured there).
   * Parameters, `this`, globals, module-level and outer bindings are not.
   */
  isCreatedInside(expr: Node, fn: FunctionNode, depth = 0): boolean {
    if (depth > 8) return false;
    const node = unwrapExpression(expr);
    switch (node.type) {
      case "NewExpression":
      case "ObjectExpression":
      case "ArrayExpression":
        return node.range[0] >= fn.range[0] && node.range[1] <= fn.range[1];
      case "CallExpression": {
        // Chaining methods return their receiver (`x.on(...)`, `x.setEncoding(...)`), `pipe(dest)` returns dest;
        // any other call made inside the scope (`Readable.from(...)`, `fs.createReadStream(...)`) returns something
        // created during the scope.
        const callee = unwrapExpression(node.callee);
        if (callee.type === "MemberExpression") {
          const method = memberName(callee);
          if (method === "pipe" && node.arguments[0]) return this.isCreatedInside(node.arguments[0], fn, depth + 1);
          if (method && CHAINING_METHODS.has(method)) return this.isCreatedInside(callee.object, fn, depth + 1);
        }
        return node.range[0] >= fn.range[0] && node.range[1] <= fn.range[1];
      }
      case "MemberExpression":
        return this.isCreatedInside(node.object, fn, depth + 1);
      case "Identifier": {
        const variable = this.variableOf(node);
        if (!variable || !this.isDeclaredInside(variable, fn)) return false;
        const init = this.initializerOf(variable);
        if (!init) {
          // `let x; x = new EventEmitter()` or a destructured local: assume created where declared.
          return true;
        }
        return this.isCreatedInside(init, fn, depth + 1);
      }
      default:
        return false;
    }
  }

  /** The variable at the root of a receiver expression (`a` in `a.b.c`), if any. */
  rootVariable(expr: Node): MinimalVariable | undefined {
    let node = unwrapExpression(expr);
    while (node.type === "MemberExpression" || node.type === "CallExpression") {
      node = unwrapExpression(node.type === "MemberExpression" ? node.object : node.callee);
    }
    return node.type === "Identifier" ? this.variableOf(node) : undefined;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Runtime
  // ---------------------------------------------------------------------------------------------------------------

  /** Whether AsyncLocalStorage carries the run tree in this file, and why. */
  get runtime(): RuntimeInfo {
    if (this.runtimeInfo) return this.runtimeInfo;
    return (this.runtimeInfo = this.computeRuntime());
  }

  private computeRuntime(): RuntimeInfo {
    const setting = this.settings.runtime;
    if (setting === "node") return { als: true, reason: 'settings runtime "node"' };
    if (setting === "browser") return { als: false, reason: 'settings runtime "browser"' };
    for (const specifier of this.moduleSpecifiers()) {
      if (NO_ALS_MODULES.has(specifier)) return { als: false, reason: `imports ${specifier}` };
    }
    for (const statement of this.ast.body) {
      if (statement.type !== "ExpressionStatement" || !("directive" in statement) || !statement.directive) break;
      if (statement.directive === "use client") return { als: false, reason: 'has a "use client" directive' };
    }
    if (this.settings.browserFiles.length > 0) {
      const relative = path.relative(this.cwd, path.resolve(this.cwd, this.filename)).split(path.sep).join("/");
      for (const glob of this.settings.browserFiles) {
        if (minimatch(relative, glob, { dot: true })) return { als: false, reason: `matches browserFiles "${glob}"` };
      }
    }
    return { als: true, reason: "Node with AsyncLocalStorage" };
  }
}

const modelCache = new WeakMap<object, JsModel>();

/** The model of a file, built once per AST and shared by every rule that asks. */
export function getModel(input: ModelInput): JsModel {
  const cached = modelCache.get(input.ast);
  if (cached && cached.settings === input.settings) return cached;
  const model = new JsModel(input);
  modelCache.set(input.ast, model);
  return model;
}
