/**
 * The analysis model of one JavaScript/TypeScript file, shared by every rule, codemod and CLI command. It is a
 * facade over parts that each answer one question (see `src/js/model/`):
 * - `api.ts`: which bindings are langsmith / LangChain / LangGraph / queue-library APIs;
 * - `values.ts`: the values an expression may hold (value flow) and what kind each is;
 * - `scopes.ts`: which functions are traced scopes;
 * - `traced-work.ts`: which calls do traced work, which contexts are pinned;
 * - `provenance.ts`: whether an object was created inside a traced scope;
 * - `handoffs.ts`: where values are handed to emitters, stores and queues, and per-function summaries of it;
 * - `runtime.ts`: whether AsyncLocalStorage carries the run tree where the file runs;
 * - `../project/`: what the project's other modules export and register (the project index).
 *
 * The model is built once per file (one walk over the AST) and cached per AST, so all rules share it.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { visitorKeys as defaultVisitorKeys } from "@typescript-eslint/visitor-keys";
import { isLanggraphModule } from "./apis.js";
import path from "node:path";
import { resolveProjectModule } from "./project/resolve.js";
import { parseForIndex } from "./parse.js";
import { KEEPS_WORK_HINT, precheckText, RELATIVE_IMPORT } from "./precheck.js";
import { aliasedSpecifier } from "./versions.js";
import { importsRegistrationHelper, isCalledFromScopesElsewhere, isRegisteredElsewhere, projectFacts, setModelHooks, withinNesting, type ImportedConstruction, type ImportedScopeCall, type ProjectFacts, type ScopeCaller } from "./project/index.js";
import type { ResolvedSettings } from "./settings.js";
import type { MinimalScope, MinimalScopeManager, MinimalVariable } from "./scope.js";
import { ApiResolver, isProjectSpecifier, type ApiRef } from "./model/api.js";
import { collectNodes, contains, enclosingFunction, isFunctionNode, propertyKey, repeatedPerElement, rootedAtThis, memberName, nodesWithin, objectProperty, unwrapExpression, type CallLike, type FileNodes, type FunctionNode, type Node, type VisitorKeys } from "./model/ast.js";
import { Bindings } from "./model/bindings.js";
import { queueConcurrency } from "./model/concurrency.js";
import { configHelperFacts, configHelperOf, ignoredParamsOf, isFreshConfig, stripsCallbacks, type ConfigHelper, type ConfigHelperFacts } from "./model/config-helpers.js";
import { Handoffs } from "./model/handoffs.js";
import { HttpModel } from "./model/http.js";
import { Iterators } from "./model/iterators.js";
import { RunTrees, runTreeParamName } from "./model/run-trees.js";
import { Streams } from "./model/streams.js";
import { Provenance } from "./model/provenance.js";
import { fileRuntime, type RuntimeInfo } from "./model/runtime.js";
import { TracedScopes, type TracedScope } from "./model/scopes.js";
import { TracedWork } from "./model/traced-work.js";
import { importedCalleeOf, projectExportOf, ValueFlow, type ClassNode, type ExportFacts, type InjectedArgument, type Value, type ValueKind } from "./model/values.js";
import { callsRunAlone, tracesAtOnce, tracesRunOneAtATime } from "./model/sequential.js";
import { setWorkerModelLoader, Workers } from "./model/workers.js";
import { keptConfigParams, type KeptConfig } from "./model/kept-configs.js";
import { classPinsListeners, fieldCallersOfClass, fieldsCalledByClass, moduleDispatchers, returnedQueueWorkerFacts, queueLibraryOfKind, type QueueWorkerFacts, summarizeExport, thenKeepsCallbacks, thenMethodKeepsCallbacks, type FunctionSummary } from "./model/summaries.js";

export type { ScopeKind } from "./apis.js";
export type { ApiRef } from "./model/api.js";
export type { CallLike, FunctionNode, Node } from "./model/ast.js";
export type { Handoff, HandoffKind, HelperSummary, ImportedHandoff, ParamHandoff } from "./model/handoffs.js";
export type { FunctionSummary } from "./model/summaries.js";
export type { OutgoingCall, ServerFramework, ServerHandler } from "./model/http.js";
export type { DetachedIterator, IteratorEscape } from "./model/iterators.js";
export { runTreeParamName } from "./model/run-trees.js";
export type { ConfigHelper, ConfigHelperFacts } from "./model/config-helpers.js";
export type { RuntimeInfo } from "./model/runtime.js";
export type { TracedScope } from "./model/scopes.js";
export type { Value, ValueKind } from "./model/values.js";
export type { WorkerEntry, WorkerLibrary, WorkerModuleFacts, WorkerSend } from "./model/workers.js";
export { calleeMethodName, isFunctionNode, memberName, stringLiteralValue, unwrapExpression } from "./model/ast.js";

export interface ModelInput {
  ast: TSESTree.Program;
  scopeManager: MinimalScopeManager;
  text: string;
  filename: string;
  settings: ResolvedSettings;
  /** Working directory that `browserFiles` globs are relative to. */
  cwd?: string;
  visitorKeys?: VisitorKeys;
  /**
   * Whether to consult the project's other modules (default true; off for text that is not on disk). `"imports"`:
   * only what the file imports (facts and summaries of its imports), not who registers or calls its own exports.
   */
  project?: boolean | "imports";
}

export class JsModel {
  readonly ast: TSESTree.Program;
  readonly text: string;
  readonly filename: string;
  readonly settings: ResolvedSettings;
  readonly scopeManager: MinimalScopeManager;
  readonly cwd: string;
  readonly nodes: FileNodes;
  readonly bindings: Bindings;
  readonly apis: ApiResolver;
  readonly values: ValueFlow;
  readonly scopes: TracedScopes;
  readonly work: TracedWork;
  readonly provenance: Provenance;
  readonly handoffs: Handoffs;
  /** Outgoing HTTP calls, service ownership and server handlers. */
  readonly http: HttpModel;
  /** Generators that leave their traced scope unwrapped (`src/js/model/iterators.ts`). */
  readonly iterators: Iterators;
  /** Traceables that declare a RunTree first parameter, and their call sites (`src/js/model/run-trees.ts`). */
  readonly runTrees: RunTrees;
  /** Node streams whose write side does traced work, and the pipes that feed them (`src/js/model/streams.ts`). */
  readonly streams: Streams;
  /** What the project index knows about this file's neighbours (undefined when the file is not on disk). */
  readonly project: ProjectFacts | undefined;
  private runtimeInfo: RuntimeInfo | undefined;
  private workersPart: Workers | undefined;
  private exportNameList: string[] | undefined;
  private keepsWorkHint: boolean | undefined;
  private readonly exportNameMemo = new Map<Node, string | undefined>();

  constructor(input: ModelInput) {
    this.ast = input.ast;
    this.text = input.text;
    this.filename = input.filename;
    this.settings = input.settings;
    this.scopeManager = input.scopeManager;
    this.cwd = input.cwd ?? process.cwd();
    this.nodes = collectNodes(input.ast, input.visitorKeys ?? (defaultVisitorKeys as VisitorKeys));
    this.bindings = new Bindings(input.scopeManager);
    const facts = input.project === false ? undefined : projectFacts(this.filename, this.cwd, this.settings);
    this.apis = new ApiResolver(this.bindings, this.nodes, this.settings, (specifier) => aliasedSpecifier(specifier, this.filename, this.cwd), input.text.includes("createRequire"), (specifier, name) => facts?.libraryReexport(specifier, name));
    this.project = facts && input.project === "imports" ? { ...facts, registrations: () => [], scopeCallers: () => [], constructorArguments: () => [], callArguments: () => [], argumentKeys: () => undefined, exportRunsAlone: () => false } : facts;
    this.values = new ValueFlow(
      this.bindings,
      this.apis,
      this.nodes,
      (module, name) => this.project?.importFacts(module, name),
      (module, name) => this.project?.importSummary(module, name),
      (name, index, call) => (call ? this.project?.callArguments(name, index) : this.project?.constructorArguments(name, index)) ?? [],
      (module) => this.project?.importMayQueueData(module) ?? false,
      (module) => this.project?.importMayMakeTracedTasks(module) ?? false,
      (fn) => this.exportNameOf(fn),
      () => (this.keepsWorkHint ??= KEEPS_WORK_HINT.test(this.text)),
      (name, index, call) => this.project?.argumentKeys(name, index, call),
    );
    this.scopes = new TracedScopes(
      this.nodes,
      this.apis,
      this.values,
      () => this.project?.registrations() ?? [],
      (name) => this.exportedFunction(name),
      (module) => this.project?.importMayRegister(module) ?? false,
      (name) => {
        const exported = this.exportedValue(name);
        return exported && "node" in exported ? exported.node : undefined;
      },
      () => this.exportNames(),
    );
    this.work = new TracedWork(this.nodes, this.bindings, this.apis, this.values);
    this.provenance = new Provenance(this.nodes, this.bindings, this.values, (fn) => (this.exportNameOf(fn) ? this.tracedCallerScopes().find((scope) => scope.fn === fn)?.freshParams : undefined));
    this.handoffs = new Handoffs(this.nodes, this.bindings, this.values, this.work, (node) => !!this.scopes.enclosing(node));
    this.http = new HttpModel(this.ast, this.nodes, this.bindings, this.apis, this.values, this.settings, this.text, this.filename);
    this.iterators = new Iterators(this.nodes, this.bindings, this.values, this.work, this.scopes, (call, index, scope) => this.keptByCall(call, index, scope));
    this.runTrees = new RunTrees(this.nodes, this.apis, this.values);
    this.streams = new Streams({
      nodes: this.nodes,
      variableOf: (id) => this.bindings.variableOf(id),
      values: this.values,
      text: this.text,
      resolveApi: (expr) => this.apis.resolveApi(expr),
      functionDoesTracedWork: (fn) => this.work.functionDoesTracedWork(fn),
      callbackDoesTracedWork: (expr) => this.work.callbackDoesTracedWork(expr),
      isCreatedInside: (expr, fn) => this.provenance.isCreatedInside(expr, fn),
      rootVariable: (expr) => this.provenance.rootVariable(expr),
      importedWriteSide: (value) => {
        const target = projectExportOf(value);
        return target && /\bwrite\b|_write|transform/.test(this.text) ? this.project?.importFacts(target.module, target.name)?.writeSide : undefined;
      },
    });
  }

  // Node lists ------------------------------------------------------------------------------------------------------
  get calls(): CallLike[] { return this.nodes.calls; }
  get functions(): FunctionNode[] { return this.nodes.functions; }
  get handlerAssignments(): TSESTree.AssignmentExpression[] { return this.nodes.handlerAssignments; }
  get importDeclarations(): TSESTree.ImportDeclaration[] { return this.nodes.importDeclarations; }
  get requireCalls(): TSESTree.CallExpression[] { return this.nodes.requireCalls; }
  get importExpressions(): TSESTree.ImportExpression[] { return this.nodes.importExpressions; }
  /** Calls whose range lies inside `node`. */
  callsWithin(node: Node): CallLike[] { return nodesWithin(this.nodes.calls, node); }

  // Bindings --------------------------------------------------------------------------------------------------------
  variableOf(identifier: Node): MinimalVariable | undefined { return this.bindings.variableOf(identifier); }
  scopeAt(node: Node): MinimalScope { return this.bindings.scopeAt(node); }
  lookupName(node: Node, name: string): MinimalVariable | undefined { return this.bindings.lookupName(node, name); }
  isNameTaken(name: string, site: Node, fn?: FunctionNode): boolean { return this.bindings.isNameTaken(name, site, fn); }
  initializerOf(variable: MinimalVariable): Node | undefined { return this.bindings.initializerOf(variable); }
  functionOf(variable: MinimalVariable): FunctionNode | undefined { return this.bindings.functionOf(variable); }
  isDeclaredInside(variable: MinimalVariable, fn: FunctionNode): boolean { return this.bindings.isDeclaredInside(variable, fn); }

  /** The function an expression denotes: inline, or the one function it may hold through value flow. */
  resolveFunction(expr: Node | undefined | null): { fn: FunctionNode; inline: boolean } | undefined {
    if (!expr) return undefined;
    const node = unwrapExpression(expr);
    const values = this.values.valuesOf(node);
    const fns = values.filter((v): v is Extract<Value, { type: "function" }> => v.type === "function");
    if (fns.length !== 1 || fns.length !== values.length) return undefined;
    return { fn: fns[0].fn, inline: fns[0].fn === node };
  }

  /** The value of property `name` in an object literal. */
  objectProperty(object: TSESTree.ObjectExpression, name: string): Node | undefined { return objectProperty(object, name); }

  // API resolution --------------------------------------------------------------------------------------------------
  resolveApi(expr: Node | undefined | null): ApiRef | undefined { return this.apis.resolveApi(expr); }
  isApi(expr: Node | undefined | null, modulePredicate: (specifier: string) => boolean, names: ReadonlySet<string> | string): boolean {
    return this.apis.isApi(expr, modulePredicate, names);
  }
  isTraceableFactory(callee: Node): boolean { return this.apis.isTraceableFactory(callee); }
  isGetCurrentRunTree(expr: Node): boolean { return this.apis.isGetCurrentRunTree(expr); }
  moduleSpecifiers(): string[] { return this.apis.moduleSpecifiers(); }
  get usesLanggraph(): boolean { return this.moduleSpecifiers().some(isLanggraphModule); }

  // Values ----------------------------------------------------------------------------------------------------------
  valueKind(expr: Node | undefined | null): ValueKind { return this.values.valueKind(expr); }
  valueKinds(expr: Node | undefined | null): ValueKind[] { return this.values.valueKinds(expr); }
  valuesOf(expr: Node | undefined | null): Value[] { return this.values.valuesOf(expr); }
  /** Facts the project index has about an imported value. */
  importFacts(value: Extract<Value, { type: "import" }>): ExportFacts | undefined { return this.values.importFacts(value); }

  // Traced scopes ---------------------------------------------------------------------------------------------------
  tracedScopes(): TracedScope[] { return this.scopes.all(); }
  tracedScopeOf(fn: FunctionNode): TracedScope | undefined { return this.scopes.of(fn); }
  enclosingTracedScope(node: Node): TracedScope | undefined { return this.scopes.enclosing(node); }

  // Traced work -----------------------------------------------------------------------------------------------------
  runnableMethodCall(call: CallLike): string | undefined { return this.work.runnableMethodCall(call); }
  traceableCall(call: CallLike): "traceable-fn" | "task-fn" | undefined { return this.work.traceableCall(call); }
  isTracedWork(call: CallLike): boolean { return this.work.isTracedWork(call); }
  passesParentExplicitly(call: TSESTree.CallExpression, index: number): boolean { return this.work.passesParentExplicitly(call, index); }
  isInPinnedContext(node: Node, boundary: Node): boolean { return this.work.isInPinnedContext(node, boundary); }
  isContextPinningCall(call: TSESTree.CallExpression): boolean { return this.work.isContextPinningCall(call); }
  functionDoesTracedWork(fn: FunctionNode): boolean { return this.work.functionDoesTracedWork(fn); }
  callbackDoesTracedWork(expr: Node): boolean { return this.work.callbackDoesTracedWork(expr); }
  /** The least concurrency the queue `owner` holds may have been made with, when the code spells it (`model/concurrency.ts`). */
  queueConcurrency(owner: Node, library: Parameters<typeof queueConcurrency>[2]): number | undefined {
    return queueConcurrency({ valuesOf: (e) => this.values.valuesOf(e), variableOf: (i) => this.bindings.variableOf(i), parameterValues: (fn, i) => this.values.parameterValues(fn, i), callerValues: (i) => this.values.callerValues(i), importFacts: (v) => this.values.importFacts(v), callSites: (fn) => this.values.callSites(fn), returnedQueueConcurrency: (call) => this.values.importedCalleeSummary(call)?.summary.returnsQueueConcurrency }, owner, library);
  }

  // Provenance ------------------------------------------------------------------------------------------------------
  isCreatedInside(expr: Node, fn: FunctionNode): boolean { return this.provenance.isCreatedInside(expr, fn); }
  rootVariable(expr: Node): MinimalVariable | undefined { return this.provenance.rootVariable(expr); }
  /** The file's calls of an in-file function, and whether it is also handed away (value flow). */
  localCallSites(fn: FunctionNode): { sites: readonly Node[]; escapes: boolean } { return this.values.callSites(fn); }

  // Runtime ---------------------------------------------------------------------------------------------------------
  /** Whether AsyncLocalStorage carries the run tree in this file, and why. */
  get runtime(): RuntimeInfo {
    return (this.runtimeInfo ??= fileRuntime(this.ast, this.moduleSpecifiers(), this.settings, this.filename, this.cwd, () => this.project?.programRuntime()));
  }

  // Workers ---------------------------------------------------------------------------------------------------------
  /** Work handed to other threads and processes, and this file's entries as a worker module (`model/workers.ts`). */
  get workers(): Workers {
    return (this.workersPart ??= new Workers(this));
  }

  // Exports ---------------------------------------------------------------------------------------------------------
  /**
   * What this file exports under `name`: the exported expression or function (`export function f`,
   * `export const f = ...`, `export { g as f }`, `export default`, `module.exports = { f }`, `exports.f = ...`), or a
   * re-export from another module.
   */
  /** The names this file's own export statements declare (not those of `export *`). */
  exportNames(): string[] {
    const names: string[] = [];
    for (const statement of this.ast.body) {
      if (statement.type === "ExportDefaultDeclaration") names.push("default");
      if (statement.type !== "ExportNamedDeclaration" || statement.exportKind === "type") continue;
      const declaration = statement.declaration;
      if ((declaration?.type === "FunctionDeclaration" || declaration?.type === "ClassDeclaration") && declaration.id) names.push(declaration.id.name);
      if (declaration?.type === "VariableDeclaration") for (const d of declaration.declarations) if (d.id.type === "Identifier") names.push(d.id.name);
      for (const specifier of statement.specifiers) names.push(specifier.exported.type === "Identifier" ? specifier.exported.name : String(specifier.exported.value));
    }
    return names;
  }

  /** The names this file exports, written or through `module.exports` / `exports.x` (memo). */
  private allExportNames(): string[] {
    if (this.exportNameList) return this.exportNameList;
    const names = new Set(this.exportNames());
    for (const assignment of this.nodes.assignments) {
      const left = unwrapExpression(assignment.left);
      if (left.type !== "MemberExpression") continue;
      const object = unwrapExpression(left.object);
      const key = memberName(left);
      if (key === undefined) continue;
      if (isModuleExportsObject(object)) names.add(key);
      else if (key === "exports" && object.type === "Identifier" && object.name === "module") {
        names.add("default");
        const right = unwrapExpression(assignment.right);
        if (right.type === "ObjectExpression") for (const p of right.properties) if (p.type === "Property" && !p.computed && p.key.type === "Identifier") names.add(p.key.name);
      }
    }
    return (this.exportNameList = [...names]);
  }

  /**
   * The name another module imports `fn` by: an exported function (`createClient`), the constructor's class, or a
   * method of an exported object, class or instance (`rpc.call`). Undefined when the file does not export it.
   */
  exportNameOf(fn: FunctionNode | ClassNode): string | undefined {
    if (this.exportNameMemo.has(fn)) return this.exportNameMemo.get(fn);
    let found: string | undefined;
    const holds = (node: Node | undefined): boolean => {
      if (!node) return false;
      const target = unwrapExpression(node);
      if (target === fn) return true;
      return this.values.valuesOf(target).some((v) => (v.type === "function" && v.fn === fn) || (v.type === "class" && v.node === fn));
    };
    const method = fn.type !== "ClassDeclaration" && fn.type !== "ClassExpression" && fn.parent && (fn.parent.type === "MethodDefinition" || fn.parent.type === "PropertyDefinition" || fn.parent.type === "Property") ? fn.parent : undefined;
    const key = method && !method.computed && method.key.type === "Identifier" ? method.key.name : undefined;
    for (const name of this.allExportNames()) {
      const whole = this.exportedValue(name);
      if (whole && "node" in whole && holds(whole.node)) { found = name; break; }
      if (key) {
        const member = this.exportedValue(`${name}.${key}`);
        if (member && "node" in member && holds(member.node)) { found = `${name}.${key}`; break; }
        // A method of the object an exported function returns (`createApiClient().getReviewers`).
        const returned = this.exportedValue(`${name}().${key}`);
        if (returned && "node" in returned && holds(returned.node)) { found = `${name}().${key}`; break; }
      }
    }
    this.exportNameMemo.set(fn, found);
    return found;
  }

  exportedValue(name: string): { node: Node } | { module: string; name: string } | undefined {
    // A member of what an exported function or static method returns (`TokenBucket.for().schedule`).
    const returned = name.lastIndexOf("().");
    if (returned > 0 && name.indexOf(".") < returned) return this.exportedMember(name.slice(0, returned + 2), name.slice(returned + 3));
    const dot = name.indexOf(".");
    if (dot > 0) return this.exportedMember(name.slice(0, dot), name.slice(dot + 1));
    if (name.endsWith("()")) return this.returnedFunction(name.slice(0, -2));
    for (const statement of this.ast.body) {
      if (statement.type === "ExportDefaultDeclaration" && name === "default") return { node: statement.declaration as Node };
      if (statement.type === "ExportAllDeclaration" && !statement.exported && name !== "default") {
        const facts = { module: statement.source.value, name };
        if (this.project?.importFacts(facts.module, name)) return facts;
        continue;
      }
      if (statement.type !== "ExportNamedDeclaration") continue;
      const declaration = statement.declaration;
      if (declaration?.type === "FunctionDeclaration" && declaration.id?.name === name) return { node: declaration };
      if (declaration?.type === "ClassDeclaration" && declaration.id?.name === name) return { node: declaration };
      if (declaration?.type === "VariableDeclaration") {
        for (const declarator of declaration.declarations) {
          if (declarator.id.type === "Identifier" && declarator.id.name === name && declarator.init) return { node: declarator.init };
        }
      }
      for (const specifier of statement.specifiers) {
        const exported = specifier.exported.type === "Identifier" ? specifier.exported.name : String(specifier.exported.value);
        if (exported !== name) continue;
        const local = specifier.local.type === "Identifier" ? specifier.local.name : String(specifier.local.value);
        if (statement.source) return { module: statement.source.value, name: local };
        return { node: specifier.local };
      }
    }
    // CommonJS.
    for (const assignment of this.nodes.assignments) {
      const left = unwrapExpression(assignment.left);
      if (left.type !== "MemberExpression") continue;
      const object = unwrapExpression(left.object);
      const key = left.property.type === "Identifier" && !left.computed ? left.property.name : undefined;
      if (key === name && isModuleExportsObject(object)) return { node: assignment.right };
      if (key === "exports" && object.type === "Identifier" && object.name === "module") {
        const found = this.moduleExportsValue(assignment.right, name);
        if (found) return found;
      }
    }
    // TypeScript's `export = { queue }` in a CommonJS module.
    for (const statement of this.ast.body) {
      if (statement.type !== "TSExportAssignment") continue;
      const found = this.moduleExportsValue(statement.expression, name);
      if (found) return found;
    }
    // `Object.assign(module.exports, { f, queue })`.
    if (this.text.includes("Object.assign")) {
      for (const call of this.nodes.calls) {
        if (call.type !== "CallExpression" || call.parent?.type !== "ExpressionStatement" || call.parent.parent?.type !== "Program") continue;
        const callee = unwrapExpression(call.callee);
        if (callee.type !== "MemberExpression" || memberName(callee) !== "assign" || unwrapExpression(callee.object).type !== "Identifier" || (unwrapExpression(callee.object) as TSESTree.Identifier).name !== "Object") continue;
        const target = call.arguments[0];
        if (!target || target.type === "SpreadElement" || !isModuleExportsObject(unwrapExpression(target))) continue;
        for (const source of call.arguments.slice(1).reverse()) {
          const object = source.type === "SpreadElement" ? undefined : unwrapExpression(source);
          const value = object?.type === "ObjectExpression" ? objectProperty(object, name) : undefined;
          if (value) return { node: value };
        }
      }
    }
    return undefined;
  }

  /** What `module.exports = right` (or `export = right`) exports under `name`. */
  private moduleExportsValue(expr: Node, name: string): { node: Node } | { module: string; name: string } | undefined {
    const right = unwrapExpression(expr);
    if (right.type === "ObjectExpression") {
      const value = objectProperty(right, name);
      if (value) return { node: value };
      // The default import of a CommonJS module is its `module.exports`.
      if (name === "default") return { node: right };
      // `module.exports = { ...require("./impl"), extra }`: the names of another module.
      for (const property of [...right.properties].reverse()) {
        if (property.type !== "SpreadElement") continue;
        const spread = unwrapExpression(property.argument);
        const required = spread.type === "CallExpression" ? this.apis.resolveApi(spread) : undefined;
        if (required?.name === "*" && isProjectSpecifier(required.module)) return { module: required.module, name };
      }
      return undefined;
    }
    // `module.exports = require("./impl")`: a barrel re-exporting every name of another module.
    const required = right.type === "CallExpression" ? this.apis.resolveApi(right) : undefined;
    if (required?.name === "*") return { module: required.module, name };
    if (name === "default") return { node: right };
    if (right.type === "Identifier") {
      // `module.exports = registry` with `const registry = { add, queue }`.
      const values = this.values.valuesOf(right);
      const value = values.length === 1 && values[0].type === "object" ? objectProperty(values[0].node, name) : undefined;
      if (value) return { node: value };
    }
    // `module.exports = new Registry()` / `= class Jobs {}`: a named import is a method of that value.
    if (right.type === "NewExpression" || right.type === "ClassExpression" || right.type === "Identifier") return this.exportedMember("default", name);
    return undefined;
  }

  /**
   * A method of an object or instance this file exports (`export const answers = { write() {} }`,
   * `export const answers = new Answers()`), or of a class it exports (static, or of its instances), for the export
   * path `owner.key`.
   */
  /** The function an exported factory returns (`export function coalesce(save, ms) { return function request(...) {...} }`), exported as `coalesce()`. */
  private returnedFunction(factory: string): { node: Node } | undefined {
    const fn = this.exportedFunction(factory);
    if (!fn) return undefined;
    const returned = (this.nodes.returns.get(fn) ?? []).flatMap((r) => this.values.valuesOf(r)).filter((v): v is Extract<Value, { type: "function" }> => v.type === "function");
    return returned.length === 1 ? { node: returned[0].fn } : undefined;
  }

  private exportedMember(owner: string, key: string): { node: Node } | { module: string; name: string } | undefined {
    if (owner.endsWith("()")) {
      // A method of what the exported function returns (an instance of a class, an object literal), or of one of
      // its properties (`makeContainer().scorer.run`: the container's scorer).
      const path = key.split(".");
      if (path.length > 2) return undefined;
      const fn = this.exportedFunction(owner.slice(0, -2));
      if (!fn) return undefined;
      let returned = (this.nodes.returns.get(fn) ?? []).flatMap((r) => this.values.valuesOf(r));
      if (path.length === 2) returned = this.values.propertyValues(returned.filter((v) => v.type === "object"), path[0], undefined, 0);
      key = path[path.length - 1];
      for (const value of returned) {
        const cls = value.type === "new" ? this.values.valuesOf(value.node.callee).find((v) => v.type === "class") : undefined;
        const members = cls && cls.type === "class" ? this.values.instanceMemberValues(cls.node, key) : value.type === "object" ? this.values.propertyValues([value], key, undefined, 0) : [];
        const method = members.find((v): v is Extract<Value, { type: "function" }> => v.type === "function");
        if (method) return { node: method.fn };
      }
      return undefined;
    }
    if (key.includes(".")) {
      // A method of an instance a class or object keeps in a member (`SurveyScheduler.shared.schedule`, with `static
      // get shared() { return (SurveyScheduler.#instance ??= new SurveyScheduler()); }` or `static shared = new ...`).
      const [holder, method, ...rest] = key.split(".");
      if (rest.length > 0) return undefined;
      const base = this.exportedValue(owner);
      if (!base || !("node" in base)) return undefined;
      const held = base.node.type === "Identifier" ? this.values.valuesOf(base.node) : [];
      const cls: ClassNode | undefined = base.node.type === "ClassDeclaration" || base.node.type === "ClassExpression" ? base.node : held.length === 1 && held[0].type === "class" ? held[0].node : undefined;
      const kept = cls ? this.values.propertyValues([{ type: "class", node: cls }], holder, undefined, 0) : this.values.propertyValues(this.values.valuesOf(base.node), holder, undefined, 0);
      for (const value of kept) {
        const made = value.type === "new" ? this.values.valuesOf(value.node.callee).find((v): v is Extract<Value, { type: "class" }> => v.type === "class") : undefined;
        const members = made ? this.values.instanceMemberValues(made.node, method) : value.type === "object" ? this.values.propertyValues([value], method, undefined, 0) : [];
        const fn = members.find((v): v is Extract<Value, { type: "function" }> => v.type === "function");
        if (fn) return { node: fn.fn };
      }
      return undefined;
    }
    const base = this.exportedValue(owner);
    if (!base) return undefined;
    if (!("node" in base)) return { module: base.module, name: `${base.name}.${key}` };
    // An instance of a class imported from another module (`export const jobs = new JobQueue()`): its class's method there.
    // (Also held in a variable the module exports: `module.exports = { routingConfig$ }`.)
    let made = unwrapExpression(base.node);
    if (made.type === "Identifier") {
      const held = this.values.valuesOf(made);
      if (held.length === 1 && held[0].type === "new") made = held[0].node;
    }
    if (made.type === "NewExpression") {
      const target = importedCalleeOf(made.callee, (expr) => this.values.valuesOf(expr));
      if (target && !target.name.includes(".")) return { module: target.module, name: `${target.name}.${key}` };
    }
    // A class: its static method, or a method of its instances (`new Answers(model).write`).
    // Also a class held in a variable (`module.exports = AuditSink`, `export default Service`).
    const held = base.node.type === "Identifier" ? this.values.valuesOf(base.node) : [];
    const cls: ClassNode | undefined = base.node.type === "ClassDeclaration" || base.node.type === "ClassExpression" ? base.node : held.length === 1 && held[0].type === "class" ? held[0].node : undefined;
    const members = cls ? [...this.values.propertyValues([{ type: "class", node: cls }], key, undefined, 0), ...this.values.instanceMemberValues(cls, key)] : this.values.propertyValues(this.values.valuesOf(base.node), key, undefined, 0);
    const fn = members.find((v): v is Extract<Value, { type: "function" }> => v.type === "function");
    if (fn) return { node: fn.fn };
    // An object kept on it (`Ticker.shared = new Ticker(4)` with `module.exports = Ticker`): its methods are reached
    // through it (`shared.subscribe`).
    const kept = members.length === 1 && (members[0].type === "new" || members[0].type === "object") ? members[0] : undefined;
    return kept && "node" in kept ? { node: kept.node } : undefined;
  }

  /** The expression this file exports under `name`, when it is written here. */
  /**
   * For an object literal this file exports (`export const monitor = { onBeat: null }`): the fields of it that a
   * callback this file arms at load calls (`setInterval(() => monitor.onBeat?.(n), 8)` at the top level). A function
   * an importer stores there runs later in that timer's context, outside the importer's trace.
   */
  fieldsCalledAtLoad(name: string): string[] {
    const node = this.exportedValueNode(name);
    const declarator = node?.parent;
    if (!node || unwrapExpression(node).type !== "ObjectExpression" || declarator?.type !== "VariableDeclarator" || declarator.id.type !== "Identifier") return [];
    const variable = this.bindings.variableOf(declarator.id);
    const out = new Set<string>();
    for (const reference of variable?.references ?? []) {
      const member = (reference.identifier as Node).parent;
      if (member?.type !== "MemberExpression" || member.object !== reference.identifier) continue;
      let call: Node | undefined = member.parent;
      if (call?.type === "ChainExpression") call = call.parent;
      if (call?.type !== "CallExpression" || unwrapExpression(call.callee) !== member) continue;
      // The outermost function around the call is a callback handed to a call made at the top level (a timer, a listener).
      let outer: Node | undefined;
      for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) outer = fn;
      const armer = outer?.parent;
      if (!outer || armer?.type !== "CallExpression" || !armer.arguments.includes(outer as TSESTree.CallExpressionArgument) || enclosingFunction(armer)) continue;
      const key = memberName(member);
      if (key) out.add(key);
    }
    return [...out].sort();
  }

  exportedValueNode(name: string): Node | undefined {
    const exported = this.exportedValue(name);
    return exported && "node" in exported ? exported.node : undefined;
  }

  /** The function this file exports under `name`. */
  exportedFunction(name: string): FunctionNode | undefined {
    const exported = this.exportedValue(name);
    if (!exported || !("node" in exported)) return undefined;
    return this.resolveFunction(exported.node)?.fn;
  }

  /** `fn` as a function that starts child runs and could be handed the scope's config (`model/config-helpers.ts`). */
  configHelper(fn: FunctionNode): ConfigHelper | undefined {
    return configHelperOf(this, fn);
  }

  /** The config-helper facts of the function this file exports under `name`. */
  exportedConfigHelper(name: string): ConfigHelperFacts | undefined {
    const fn = this.exportedFunction(name);
    // A function typed `(…, config: RunnableConfig)` is a scope of its own, and a helper to its callers.
    if (!fn || (this.tracedScopeOf(fn) && !this.tracedScopeOf(fn)!.byConfigType)) return undefined;
    const helper = configHelperOf(this, fn);
    return helper && configHelperFacts(this, helper);
  }

  /** Whether the function this file exports under `name` returns configs without their callbacks (`stripsCallbacks`). */
  exportReturnsWithoutCallbacks(name: string): boolean {
    const fn = this.exportedFunction(name);
    return !!fn && stripsCallbacks(this, fn);
  }

  /** The config parameters the function this file exports under `name` keeps from its first call (kept-configs.ts). */
  exportKeepsFirstConfig(name: string): KeptConfig[] {
    const fn = this.exportedFunction(name);
    return fn ? keptConfigParams(this, fn) : [];
  }

  /** For `call` of a function (of this file or another module) that returns a queue it makes: what its worker does. */
  returnedQueueWorker(call: TSESTree.CallExpression): QueueWorkerFacts | undefined {
    const local = this.resolveFunction(call.callee);
    if (local && !local.inline) return returnedQueueWorkerFacts(this, local.fn, this.nodes.returns.get(local.fn) ?? []);
    return this.values.importedCalleeSummary(call)?.summary.returnsQueueWorker;
  }

  /** For a traced function this file exports as `name`: whether the project's importers call it one at a time. */
  /** For {@link SequentialModel}: the length of the array literal an expression holds, when known. */
  arrayLength(expr: Node): number | undefined {
    return this.values.literalArrayLength(expr);
  }

  exportRunsAlone(name: string): boolean {
    return this.project?.exportRunsAlone(name) ?? false;
  }

  /**
   * Whether this file's calls of the functions it imports from `target` as `names` run one at a time; undefined when it
   * imports none of them (top-level imports and `require` destructuring).
   */
  importRunsAlone(target: string, names: string[]): boolean | undefined {
    let found: boolean | undefined;
    const consider = (id: Node) => {
      if (id.type !== "Identifier") return;
      const values = this.values.valuesOf(id);
      const imported = values.length === 1 ? projectExportOf(values[0]) : undefined;
      if (!imported || !names.includes(imported.name) || resolveProjectModule(imported.module, path.resolve(this.cwd, this.filename)) !== target) return;
      const variable = this.bindings.variableOf(id);
      if (!variable) return;
      found = (found ?? true) && callsRunAlone(this, variable);
    };
    for (const statement of this.ast.body) {
      if (statement.type === "ImportDeclaration") for (const specifier of statement.specifiers) consider(specifier.local as Node);
      if (statement.type === "VariableDeclaration") {
        for (const declarator of statement.declarations) {
          if (declarator.id.type === "ObjectPattern") for (const p of declarator.id.properties) if (p.type === "Property") consider(p.value as Node);
        }
      }
    }
    return found;
  }

  /** The config parameters a function of this file keeps from its first call (kept-configs.ts). */
  keptConfigParams(fn: FunctionNode): KeptConfig[] {
    return keptConfigParams(this, fn);
  }

  /** Whether the function this file exports under `name` returns only fresh objects of plain options. */
  exportReturnsPlainOptions(name: string): boolean {
    const fn = this.exportedFunction(name);
    const returned = fn && !fn.generator ? this.nodes.returns.get(fn) ?? [] : [];
    return returned.length > 0 && returned.every((r) => isFreshConfig(this, r));
  }

  /**
   * Whether the value this file exports under `name` (not a function) is a userland thenable whose `then` keeps its
   * callbacks (`export const ready = new ReadyGate()`, its `then` pushing them onto a field): whoever settles it runs them.
   */
  exportKeepsThenCallbacks(name: string): boolean {
    const exported = this.exportedValue(name);
    if (!exported || !("node" in exported) || this.resolveFunction(exported.node)) return false;
    return thenKeepsCallbacks(this, exported.node);
  }

  /**
   * Whether the function this file exports under `name` hands one of its parameters to a call that pins the async
   * context (`export const handOver = (rt, fn) => withRunTree(rt, fn)`): a call of it runs that callback pinned.
   */
  exportPinsCallbacks(name: string): boolean {
    const fn = this.exportedFunction(name);
    if (!fn) return false;
    return this.callsWithin(fn).some((call) => call.type === "CallExpression" && this.work.isContextPinningCall(call) && call.arguments.some((arg) => arg.type !== "SpreadElement" && this.handoffs.paramIndexOf(unwrapExpression(arg), fn) !== undefined));
  }

  /** Calls of this file's exports made inside traced scopes of other project files. */
  scopeCallers(): ScopeCaller[] {
    return this.project?.scopeCallers() ?? [];
  }

  /**
   * The functions this file exports that are no traced scope themselves but are called inside traced scopes of other
   * project files (a plain traceable's too), each as the scope its callers' trace makes of it: what such a function
   * does during the call runs in the caller's trace (a callback it makes and stores for a timer of another object).
   * The label names the export and one caller, for messages. Asks the project index: keep it behind cheap checks.
   */
  tracedCallerScopes(): TracedScope[] {
    if (this.tracedCallerScopesCache) return this.tracedCallerScopesCache;
    const out: TracedScope[] = [];
    const callers = this.scopeCallers();
    for (const name of new Set(callers.map((c) => c.exportName))) {
      const fn = this.exportedFunction(name);
      if (!fn || this.tracedScopeOf(fn) || out.some((s) => s.fn === fn)) continue;
      const caller = callers.find((c) => c.exportName === name)!;
      const file = path.relative(path.dirname(path.resolve(this.cwd, this.filename)), caller.file).split(path.sep).join("/");
      // The parameters every caller fills with an object it makes during its trace.
      const all = callers.filter((c) => c.exportName === name);
      const fresh = (all[0].fresh ?? []).filter((i) => all.every((c) => c.fresh?.includes(i)));
      const headers = (all[0].headers ?? []).filter((i) => all.every((c) => c.headers?.includes(i)));
      out.push({ fn, kind: "traceable", inline: false, label: `call of \`${name}\` made inside a ${caller.label} in ${file}`, registeredIn: caller.file, ...(fresh.length > 0 ? { freshParams: fresh } : {}), ...(headers.length > 0 ? { headerParams: headers } : {}) });
    }
    return (this.tracedCallerScopesCache = out);
  }
  private tracedCallerScopesCache: TracedScope[] | undefined;

  /**
   * Whether argument `index` of `call` (made in `scope`) is kept beyond the call, as the summary of the function it
   * calls says: in a store of another module, or of this file, that outlives `scope` (a module-level binding, or a
   * field of an object made outside `scope`: `pump.attach(gen)` on a pump started at load).
   */
  keptByCall(call: TSESTree.CallExpression, index: number, scope: FunctionNode): boolean {
    const callee = unwrapExpression(call.callee);
    const objectOutside = () => callee.type === "MemberExpression" && !this.provenance.isCreatedInside(callee.object, scope);
    // Data too: an iterator is no function, and the helper may take it beside data only.
    for (const helper of this.handoffs.helperSummaries(call, "any")) {
      if (helper.fn && contains(helper.fn, call)) continue;
      for (const entry of helper.summary.get(index) ?? []) {
        if (!["stored", "assigned", "queued"].includes(entry.handoff.kind) || entry.elements || entry.deferred || entry.receiverParam !== undefined) continue;
        if (entry.imported) {
          const receiver = entry.imported.receiver;
          if (!receiver?.outlives) continue;
          if (receiver.perObject ? objectOutside() : !receiver.createdPerCall) return true;
          continue;
        }
        const receiver = entry.handoff.receiver;
        if (!receiver || !helper.fn) continue;
        if (rootedAtThis(receiver)) {
          if (objectOutside()) return true;
          continue;
        }
        const root = this.provenance.rootVariable(receiver);
        if (root && !this.bindings.isDeclaredInside(root, helper.fn) && !this.bindings.isDeclaredInside(root, scope)) return true;
      }
    }
    return false;
  }

  /** What the project index says about the project function `callee` denotes, when it is one imported function. */
  importedFunctionFacts(callee: Node): { facts: ExportFacts; module: string; name: string } | undefined {
    const target = importedCalleeOf(callee, (expr) => this.values.valuesOf(expr));
    const facts = target && this.project?.importFacts(target.module, target.name);
    return facts ? { facts, module: target!.module, name: target!.name } : undefined;
  }

  /**
   * How many calls `call` (inside traced function `scopeFn`) may have in flight at once: the calls one trace makes
   * there together (one, or one per element of an array literal) times the traces the script runs at once; `"many"`
   * for one per element of a collection of unknown length. Undefined when the script does not say how many traces.
   */
  callsAtOnce(call: Node, scopeFn: FunctionNode): number | "many" | undefined {
    const repeated = repeatedPerElement(call);
    const perTrace = !repeated ? 1 : (repeated.count ?? (repeated.collection ? this.values.literalArrayLength(repeated.collection) : undefined));
    if (perTrace === undefined) return "many";
    const traces = tracesAtOnce(this, scopeFn);
    return traces === undefined ? undefined : perTrace * traces;
  }

  /**
   * Calls of imported project functions inside this file's traced scopes (for the project index): `config` when the
   * scope has a config to hand over (pass-runnable-config threads it), else a plain traceable's (bind-detached-callback
   * judges what the function hands over as done inside the trace).
   */
  importedScopeCalls(): ImportedScopeCall[] {
    const out: ImportedScopeCall[] = [];
    const add = (call: CallLike, label: string, config = true, scopeFn?: FunctionNode): boolean => {
      if (call.type !== "CallExpression") return false;
      const target = importedCalleeOf(call.callee, (expr) => this.values.valuesOf(expr));
      if (!target) return false;
      const { module, name } = target;
      // The arguments made afresh during the call's frame (so during the scope): objects whose events fire there.
      const frame = enclosingFunction(call);
      const fresh = frame ? call.arguments.flatMap((a, i) => (a.type !== "SpreadElement" && this.provenance.isCreatedInside(a, frame) ? [i] : [])) : [];
      // The arguments that carry the run tree's headers (`weighingJob(box)` returning `{ box, traceHeaders: ... }`).
      const headers = /\btoHeaders\b/.test(this.text) ? call.arguments.flatMap((a, i) => (a.type !== "SpreadElement" && this.workers.carriesHeaders(a) ? [i] : [])) : [];
      // Made by a scope whose traces run one at a time, waiting for this call (asked only of the scope itself).
      const alone = !!scopeFn && tracesRunOneAtATime(this, scopeFn, call);
      const atOnce = scopeFn ? this.callsAtOnce(call, scopeFn) : undefined;
      const known = out.find((c) => c.module === module && c.name === name && c.label === label);
      if (!known) out.push({ module, name, label, config, ...(fresh.length > 0 ? { fresh } : {}), ...(headers.length > 0 ? { headers } : {}), ...(alone ? { alone } : {}), ...(atOnce !== undefined ? { atOnce } : {}) });
      else {
        if (!alone) delete known.alone;
        // Two sites of one scope may overlap: their counts add up.
        if (known.atOnce === undefined || atOnce === undefined) delete known.atOnce;
        else known.atOnce = known.atOnce === "many" || atOnce === "many" ? "many" : known.atOnce + atOnce;
        known.config ||= config;
        const kept = (known.fresh ?? []).filter((i) => fresh.includes(i));
        if (kept.length > 0) known.fresh = kept;
        else delete known.fresh;
        const keptHeaders = (known.headers ?? []).filter((i) => headers.includes(i));
        if (keptHeaders.length > 0) known.headers = keptHeaders;
        else delete known.headers;
      }
      return true;
    };
    // An in-file helper the scope calls (up to two deep) hands the config on to the imported functions it calls, once
    // fixed: they are called on the scope's behalf.
    const visited = new Set<FunctionNode>();
    const visitedPlain = new Set<FunctionNode>();
    const throughHelper = (call: CallLike, label: string, depth: number, config: boolean) => {
      if (call.type !== "CallExpression" || depth > IMPORTED_HELPER_DEPTH) return;
      const resolved = this.resolveFunction(call.callee);
      const seen = config ? visited : visitedPlain;
      if (!resolved || resolved.inline || seen.has(resolved.fn) || this.tracedScopeOf(resolved.fn)) return;
      seen.add(resolved.fn);
      for (const inner of this.callsWithin(resolved.fn)) if (!add(inner, label, config)) throughHelper(inner, label, depth + 1, config);
    };
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression") continue;
      const scope = this.enclosingTracedScope(call);
      if (!scope) continue;
      const config = scope.configParamIndex !== undefined;
      if (!add(call, scope.label, config, scope.fn)) throughHelper(call, scope.label, 1, config);
    }
    // An exported helper called inside traced scopes of other files is given their config (pass-runnable-config's
    // fix): the project functions it calls are called on those scopes' behalf too, and are threaded in turn.
    if (RELATIVE_IMPORT.test(this.text) && this.nodes.calls.some((c) => !this.enclosingTracedScope(c) && importedCalleeOf(c.callee, (expr) => this.values.valuesOf(expr)))) {
      const callers = this.scopeCallers().filter((c) => c.config);
      for (const name of new Set(callers.map((c) => c.exportName))) {
        const fn = this.exportedFunction(name);
        if (!fn || this.tracedScopeOf(fn) || !this.configHelper(fn)) continue;
        const caller = callers.find((c) => c.exportName === name)!;
        const label = `${caller.label} (through \`${name}\`)`;
        visited.add(fn);
        for (const inner of this.callsWithin(fn)) if (!add(inner, label)) throughHelper(inner, label, 1, true);
      }
    }
    return out;
  }

  /**
   * The `new` of classes imported from project modules this file makes (`calls`: its calls of functions and methods
   * imported from project modules instead), with the kinds each argument may have, the numbers it spells and, for a
   * queue library's object, the module that loads the library (for the project index: a service handed its queue, a
   * factory handed a traceable and a concurrency).
   */
  importedConstructions(calls = false): ImportedConstruction[] {
    const out: ImportedConstruction[] = [];
    for (const call of this.nodes.calls) {
      if ((call.type === "CallExpression") !== calls) continue;
      const target = importedCalleeOf(call.callee, (expr) => this.values.valuesOf(expr));
      if (!target || (call.type === "NewExpression" && target.name.includes("."))) continue;
      const args = call.arguments.map((arg) => {
        if (arg.type === "SpreadElement") return [];
        const numbers = spelledNumbers(this.constantOf(arg));
        const propertyKinds = this.literalPropertyKinds(arg);
        if (numbers) return [{ kind: "unknown", numbers, ...(propertyKinds ? { propertyKinds } : {}) } satisfies InjectedArgument];
        const instance = this.projectInstanceOf(arg);
        if (instance) return [{ kind: "unknown", instanceOf: instance } satisfies InjectedArgument];
        const properties = this.projectInstanceProperties(arg);
        if (properties) return [{ kind: "unknown", properties, ...(propertyKinds ? { propertyKinds } : {}) } satisfies InjectedArgument];
        if (propertyKinds) return [{ kind: "unknown", propertyKinds } satisfies InjectedArgument];
        return this.values.valueKinds(arg).flatMap((kind): InjectedArgument[] => {
          // A function of this file that starts child runs (`(entry) => persist(entry)`) handed to the callee.
          if (kind === "unknown") return isFunctionNode(unwrapExpression(arg)) && this.work.callbackDoesTracedWork(arg) ? [{ kind: "traced-work-fn" }] : [];
          if (kind !== "p-queue" && kind !== "p-limit") return [{ kind }];
          const loadedBy = this.values.loadedBy(arg, kind) ?? { file: path.resolve(this.cwd, this.filename), packages: this.apis.packagesLoadedAs(kind) };
          return [{ kind, loadedBy }];
        });
      });
      // Every call is kept, with the keys of the options it writes: a default no caller overrides is what runs.
      out.push({ module: target.module, name: target.name, args, keys: call.arguments.map((arg) => literalKeys(arg.type === "SpreadElement" ? arg : this.constantOf(arg))), ...(call.type === "CallExpression" ? { call: true } : {}) });
    }
    return out;
  }

  /** What a `const` of this file names (`const HOST_OPTIONS = { concurrency: 4 }` for `HOST_OPTIONS`), else `arg` itself. */
  private constantOf(arg: Node): Node {
    const node = unwrapExpression(arg);
    if (node.type !== "Identifier") return arg;
    const variable = this.bindings.variableOf(node);
    const declaration = (variable?.defs[0]?.node as Node | undefined)?.parent;
    const init = variable && declaration?.type === "VariableDeclaration" && declaration.kind === "const" ? this.bindings.initializerOf(variable) : undefined;
    return init ?? arg;
  }

  /**
   * For an object literal of options (`{ render: renderLabel, concurrency: 1 }`): the kinds of its properties that hold
   * functions doing traced work (a traceable, a closure that starts child runs), for the module that receives them.
   */
  private literalPropertyKinds(arg: Node): Record<string, ValueKind[]> | undefined {
    const node = unwrapExpression(arg);
    if (node.type !== "ObjectExpression") return undefined;
    let out: Record<string, ValueKind[]> | undefined;
    for (const property of node.properties) {
      if (property.type !== "Property" || property.computed || property.kind !== "init") continue;
      const key = property.key.type === "Identifier" ? property.key.name : property.key.type === "Literal" ? String(property.key.value) : undefined;
      if (key === undefined) continue;
      const value = property.value as Node;
      const kinds: ValueKind[] = this.values.valueKinds(value).filter((kind) => kind === "traceable-fn" || kind === "runnable");
      if (kinds.length === 0 && isFunctionNode(unwrapExpression(value)) && this.work.callbackDoesTracedWork(value)) kinds.push("traced-work-fn");
      if (kinds.length === 0 && this.work.isSnapshotFunction(value)) kinds.push("context-capture");
      if (kinds.length > 0) (out ??= {})[key] = kinds;
    }
    return out;
  }

  /** For an object literal of dependencies (`{ limiter: new TokenBucket(), client }`): its properties holding project instances. */
  private projectInstanceProperties(arg: Node): Record<string, { file: string; name: string; returned?: true }> | undefined {
    const node = unwrapExpression(arg);
    if (node.type !== "ObjectExpression") return undefined;
    let out: Record<string, { file: string; name: string; returned?: true }> | undefined;
    for (const property of node.properties) {
      if (property.type !== "Property" || property.computed) continue;
      const key = propertyKey(property);
      if (key === undefined) continue;
      const held = this.projectInstanceOf(property.value as Node) ?? this.projectFactoryResult(property.value as Node);
      if (held) (out ??= {})[key] = held;
    }
    return out;
  }

  /**
   * For a call of a function another project module exports that returns a function (`createLimiter(1)`): that
   * module's file and the export path of what it returns (`createLimiter()`).
   */
  private projectFactoryResult(arg: Node): { file: string; name: string; returned: true } | undefined {
    const values = this.values.valuesOf(arg);
    if (values.length !== 1 || values[0].type !== "call") return undefined;
    const target = importedCalleeOf(values[0].node.callee, (expr) => this.values.valuesOf(expr));
    if (!target || /[.(]/.test(target.name) || this.project?.importFacts(target.module, `${target.name}()`)?.kind === undefined) return undefined;
    const file = resolveProjectModule(target.module, path.resolve(this.cwd, this.filename));
    return file ? { file, name: `${target.name}()`, returned: true } : undefined;
  }

  /** Whether an import specifier of this file names the project file `file` (an absolute path). */
  resolvesTo(specifier: string, file: string): boolean {
    return resolveProjectModule(specifier, path.resolve(this.cwd, this.filename)) === file;
  }

  /** For `new X(...)` of a class another project module exports (or a variable holding one): that module's file and export. */
  private projectInstanceOf(arg: Node): { file: string; name: string } | undefined {
    const values = this.values.valuesOf(arg);
    if (values.length === 1 && values[0].type === "call") {
      // What a static factory of another module's class returns (`EmbedBatcher.withFakeProvider()`).
      const target = importedCalleeOf(values[0].node.callee, (expr) => this.values.valuesOf(expr));
      const name = target && !target.name.includes("(") ? this.project?.importSummary(target.module, target.name)?.returnsInstanceOf : undefined;
      const file = name ? resolveProjectModule(target!.module, path.resolve(this.cwd, this.filename)) : undefined;
      return file && name ? { file, name } : undefined;
    }
    if (values.length !== 1 || values[0].type !== "new") return undefined;
    const made = values[0].node as TSESTree.NewExpression;
    const target = importedCalleeOf(made.callee, (expr) => this.values.valuesOf(expr));
    if (!target || target.name.includes(".") || target.name.includes("(")) return undefined;
    const file = resolveProjectModule(target.module, path.resolve(this.cwd, this.filename));
    return file ? { file, name: target.name } : undefined;
  }

  /** What the function this file exports under `name` does with its parameters, as plain data (`model/summaries.ts`). */
  exportSummary(name: string): FunctionSummary | undefined {
    return summarizeExport(this, name);
  }

  /** What another module learns by importing `name` from this file. */
  exportFacts(name: string, modelOf: () => JsModel = () => this): ExportFacts | undefined {
    const exported = this.exportedValue(name);
    if (!exported) return undefined;
    if (!("node" in exported)) return this.project?.importFacts(exported.module, exported.name);
    const node = exported.node;
    const kinds = this.values.valueKinds(node);
    const kind = kinds[0];
    // Whether the export does traced work is asked far less often than its kind, and costs a walk of its body (and of
    // what it calls in other modules): computed on first use, once, by this file's model (rebuilt by `modelOf` when
    // the project index has dropped it). A cycle through other modules, or a chain deeper than the bound, reads false.
    let doesTracedWork: boolean | undefined = kind === "traceable-fn" || kind === "task-fn" ? true : undefined;
    let computing = false;
    let configHelper: ConfigHelperFacts | null | undefined;
    // A yes/no fact computed once when first read; a cycle through other modules (it reads false while computed), or
    // a chain deeper than the bound, reads false.
    const boundedFact = (compute: () => boolean) => {
      let value: boolean | undefined;
      return () => {
        if (value !== undefined) return value;
        if (lazyFactsDepth >= MAX_LAZY_FACTS_DEPTH) return false;
        value = false;
        lazyFactsDepth++;
        try {
          value = compute();
        } finally {
          lazyFactsDepth--;
        }
        return value;
      };
    };
    const keepsThenCallbacks = boundedFact(() => modelOf().exportKeepsThenCallbacks(name));
    // The class the export is: declared there, or named by it (`module.exports = { TestRunner }`).
    const exportedClass = (model: JsModel): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined => {
      const exported = model.exportedValue(name);
      if (!exported || !("node" in exported)) return undefined;
      const node = unwrapExpression(exported.node);
      if (node.type === "ClassDeclaration" || node.type === "ClassExpression") return node;
      const classes = model.valuesOf(node).filter((v): v is Extract<Value, { type: "class" }> => v.type === "class");
      return classes.length === 1 ? classes[0].node : undefined;
    };
    const instancesKeepThen = boundedFact(() => {
      const model = modelOf();
      const cls = exportedClass(model);
      if (!cls) return false;
      const then = cls.body.body.find((m): m is TSESTree.MethodDefinition => m.type === "MethodDefinition" && !m.static && m.kind === "method" && m.key.type === "Identifier" && m.key.name === "then");
      return !!then && !then.value.async && thenMethodKeepsCallbacks(model, then.value as FunctionNode);
    });
    // A class whose instances run their listeners in the context they were made in (`extends EventEmitterAsyncResource`).
    const instancesPin = boundedFact(() => {
      if (!/EventEmitterAsyncResource/.test(this.text)) return false;
      const model = modelOf();
      const cls = exportedClass(model);
      return !!cls && classPinsListeners(model, cls);
    });
    let calledFields: string[] | undefined;
    let fieldCallers: Record<string, string[] | null> | undefined;
    let writeSide: ExportFacts["writeSide"] | null | undefined;
    const mentionsStreams = /\bstream\b/.test(this.text);
    const pinsCallbacks = boundedFact(() => modelOf().exportPinsCallbacks(name));
    const sharedBatcher = boundedFact(() => {
      if (unwrapExpression(node).type !== "CallExpression") return false;
      const model = modelOf();
      const made = model.exportedValueNode(name);
      const call = made && unwrapExpression(made);
      return call?.type === "CallExpression" && model.handoffs.makesTracedBatcher(call);
    });
    const returnsPlainOptions = boundedFact(() => modelOf().exportReturnsPlainOptions(name));
    const returnsWithoutCallbacks = boundedFact(() => modelOf().exportReturnsWithoutCallbacks(name));
    let ignoredParams: number[] | undefined;
    let keepsFirstConfig: KeptConfig[] | undefined;
    let emittedBy: string[] | null | undefined;
    let keysRead: string[] | undefined;
    const moduleText = this.text;
    const keepsHint = KEEPS_HINT.test(this.text);
    const queueLibrary = queueLibraryOfKind(kind);
    let concurrency: number | null | undefined;
    const facts: ExportFacts = {
      kind,
      // Read only when a task submitted to this queue elsewhere would be reported.
      get concurrency() {
        if (concurrency === undefined) {
          const model = modelOf();
          concurrency = (queueLibrary ? model.queueConcurrency(model.exportedValueNode(name) ?? node, queueLibrary) : undefined) ?? null;
        }
        return concurrency ?? undefined;
      },
      get keepsThenCallbacks() {
        return keepsThenCallbacks();
      },
      get instancesKeepThenCallbacks() {
        return instancesKeepThen();
      },
      get instancesPinListeners() {
        return instancesPin();
      },
      get sharedBatcher() {
        return sharedBatcher();
      },
      // Asked only for a queue of this module given an item that carries the submitter's run tree under a key.
      get keysRead() {
        return (keysRead ??= [...modelOf().handoffs.keysReadBack()]);
      },
      get calledFields() {
        if (calledFields === undefined) {
          const model = modelOf();
          // A class, or an instance of one the module makes and exports (`module.exports = { scheduler: new MatchScheduler() }`).
          const exported = model.exportedValueNode(name);
          const made = exported ? model.valuesOf(exported).filter((v): v is Extract<Value, { type: "new" }> => v.type === "new") : [];
          const instanceOf = made.length === 1 ? model.valuesOf(made[0].node.callee).filter((v): v is Extract<Value, { type: "class" }> => v.type === "class") : [];
          const cls = exportedClass(model) ?? (instanceOf.length === 1 ? instanceOf[0].node : undefined);
          calledFields = cls ? fieldsCalledByClass(cls) : model.fieldsCalledAtLoad(name);
          fieldCallers = cls ? fieldCallersOfClass(cls) : undefined;
        }
        return calledFields;
      },
      get fieldCallers() {
        void this.calledFields;
        return fieldCallers;
      },
      get writeSide() {
        if (writeSide !== undefined) return writeSide ?? undefined;
        writeSide = null;
        if (!mentionsStreams || lazyFactsDepth >= MAX_LAZY_FACTS_DEPTH) return undefined;
        lazyFactsDepth++;
        try {
          const model = modelOf();
          const exported = model.exportedValue(name);
          writeSide = (exported && "node" in exported ? model.streams.exportWriteSide(exported.node) : undefined) ?? null;
        } finally {
          lazyFactsDepth--;
        }
        return writeSide ?? undefined;
      },
      get pinsCallbacks() {
        return pinsCallbacks();
      },
      get configHelper() {
        if (configHelper !== undefined) return configHelper ?? undefined;
        // Helpers that call each other across modules (an import cycle) would ask one another without end: a chain
        // deeper than the bound reads as no helper.
        if (configFactsDepth >= MAX_CONFIG_FACTS_DEPTH) return undefined;
        configFactsDepth++;
        try {
          configHelper = modelOf().exportedConfigHelper(name) ?? null;
        } finally {
          configFactsDepth--;
        }
        return configHelper ?? undefined;
      },
      get returnsPlainOptions() {
        return returnsPlainOptions();
      },
      get returnsWithoutCallbacks() {
        return returnsWithoutCallbacks();
      },
      get ignoredParams() {
        if (ignoredParams === undefined) {
          const fn = modelOf().exportedFunction(name);
          ignoredParams = fn ? ignoredParamsOf(modelOf(), fn) : [];
        }
        return ignoredParams.length > 0 ? ignoredParams : undefined;
      },
      get keepsFirstConfig() {
        keepsFirstConfig ??= keepsHint ? modelOf().exportKeepsFirstConfig(name) : [];
        return keepsFirstConfig.length > 0 ? keepsFirstConfig : undefined;
      },
      // Asked only for an emitter of this module that another module listens to.
      get emittedBy() {
        if (emittedBy === undefined) {
          emittedBy = null;
          if (/\.(?:emit|dispatchEvent|write|end|push)\s*\(/.test(moduleText)) {
            const model = modelOf();
            const node = model.exportedValueNode(name);
            const declared = node?.parent?.type === "VariableDeclarator" && node.parent.init === node && node.parent.id.type === "Identifier" ? node.parent.id : undefined;
            // Or a name the module exports by reference (`module.exports = { verdicts }`, `export { verdicts }`).
            const root = declared ? model.variableOf(declared) : node?.type === "Identifier" ? model.rootVariable(node) : undefined;
            const found = root ? moduleDispatchers(model, root) : [];
            if (found.length > 0) emittedBy = found;
          }
        }
        return emittedBy ?? undefined;
      },
      // Asked only for an emitter another module emits on with a payload that carries callbacks.
      payloadKeeper: (event: string) => {
        if (!/\.(?:on|once|addListener|prependListener)\s*\(/.test(this.text)) return undefined;
        const model = modelOf();
        const exported = model.exportedValueNode(name);
        const store = exported ? model.handoffs.eventPayloadKeeper(exported, event) : undefined;
        return store ? model.text.slice(store.range[0], store.range[1]) : undefined;
      },
      get doesTracedWork() {
        if (doesTracedWork !== undefined) return doesTracedWork;
        if (computing || lazyFactsDepth >= MAX_LAZY_FACTS_DEPTH) return false;
        computing = true;
        lazyFactsDepth++;
        try {
          const model = modelOf();
          const exported = model.exportedValue(name);
          doesTracedWork = !!exported && "node" in exported && model.work.callbackDoesTracedWork(exported.node);
        } finally {
          computing = false;
          lazyFactsDepth--;
        }
        return doesTracedWork;
      },
    };
    if (kind === "p-queue" || kind === "p-limit") facts.loadedBy = this.values.loadedBy(node, kind) ?? { file: path.resolve(this.cwd, this.filename), packages: this.apis.packagesLoadedAs(kind) };
    const literal = unwrapExpression(node);
    if (literal.type === "ObjectExpression") facts.plainOptions = literal.properties.every((p) => p.type === "Property") && objectProperty(literal, "callbacks") === undefined;
    // A class: what `new` of it makes, for the modules that import it (a `Runnable` subclass makes runnables).
    const classNode = literal.type === "ClassDeclaration" || literal.type === "ClassExpression" ? literal : this.values.valuesOf(node).find((v): v is Extract<Value, { type: "class" }> => v.type === "class")?.node;
    if (classNode?.superClass && this.values.kindOfNewClass(classNode) === "runnable") facts.instanceKind = "runnable";
    const wrapped = kind === "traceable-fn" ? this.runTrees.traceableCallOf(node) : undefined;
    const fn = wrapped && this.runTrees.wrappedFunction(wrapped);
    if (fn) facts.runTreeFirst = runTreeParamName(fn) !== undefined;
    const own = kind === "traceable-fn" ? undefined : this.resolveFunction(node)?.fn;
    if (own?.generator) facts.generator = own.async ? "async" : "sync";
    else if (own) {
      const lazy = this.iterators.lazyIterableOf(own);
      if (lazy) facts.iterable = lazy.generator.async ? "async" : "sync";
    }
    return facts;
  }
}

/** How many in-file helpers deep {@link JsModel.importedScopeCalls} looks for calls of imported functions. */
const IMPORTED_HELPER_DEPTH = 2;

const modelCache = new WeakMap<object, JsModel>();
const PINNING_HINT = /\bwithRunTree\b|\.(?:bind|snapshot)\s*\(/;
/** Text every function that keeps its first call's config has (kept-configs.ts). */
const KEEPS_HINT = /\.has\(|\?\?=|\|\|=|\.get\(/;
const ITERABLE_METHOD = /\[\s*Symbol\.(asyncIterator|iterator)\s*\]/;
/** How deep lazily computed export facts may ask other modules' export facts (see {@link JsModel.exportFacts}). */
const MAX_LAZY_FACTS_DEPTH = 3;
let lazyFactsDepth = 0;
/** How many modules deep config-helper facts ask the facts of the helpers they call (see {@link JsModel.exportFacts}). */
const MAX_CONFIG_FACTS_DEPTH = 8;
let configFactsDepth = 0;

/**
 * The models {@link getModel} built lately (for ESLint, `check`, `fix`), by absolute file name, at most
 * {@link MAX_RECENT_MODELS}: when the project index asks about a file linted moments ago, with the same text and
 * settings, that model answers, and the file is not parsed a second time.
 */
const recentModels = new Map<string, JsModel>();
const MAX_RECENT_MODELS = 32;
function rememberModel(model: JsModel): void {
  const file = path.resolve(model.cwd, model.filename);
  recentModels.delete(file);
  recentModels.set(file, model);
  if (recentModels.size > MAX_RECENT_MODELS) recentModels.delete(recentModels.keys().next().value!);
}
function recentModel(file: string, text: string, settings: ResolvedSettings): JsModel | undefined {
  const model = recentModels.get(file);
  return model && model.settings === settings && model.text === text ? model : undefined;
}

/** The model of a file on disk for the project index: one built lately for the same text, or a fresh parse. */
export function modelOnDisk(file: string, text: string, settings: ResolvedSettings): JsModel {
  return recentModel(file, text, settings) ?? new JsModel({ ...parseForIndex(text, file), settings, cwd: path.dirname(file) });
}

setModelHooks({
  exportFacts(file, text, name, settings, memo) {
    // The project index may drop the memo's model (it keeps a bounded number): a later question rebuilds one.
    const modelOf = () => {
      const held = memo.model as JsModel | undefined;
      return held && held.settings === settings ? held : modelOnDisk(file, text, settings);
    };
    const plain = plainFunctionExport(text, name);
    if (plain) {
      // A plain function's kind is known from its declaration: the file is parsed only if a later question needs it.
      let full: ExportFacts | undefined | null;
      const fullFacts = () => {
        if (full === undefined) full = null, (full = modelOf().exportFacts(name, modelOf) ?? null);
        return full;
      };
      return {
        kind: "unknown",
        get doesTracedWork() {
          return fullFacts()?.doesTracedWork ?? false;
        },
        get configHelper() {
          return fullFacts()?.configHelper;
        },
        get returnsPlainOptions() {
          return fullFacts()?.returnsPlainOptions;
        },
        get returnsWithoutCallbacks() {
          return fullFacts()?.returnsWithoutCallbacks;
        },
        get ignoredParams() {
          return fullFacts()?.ignoredParams;
        },
        // A function that keeps its first call's config tests or fills a store (`.has(`, `??=`): others are not parsed.
        get keepsFirstConfig() {
          return KEEPS_HINT.test(text) ? fullFacts()?.keepsFirstConfig : undefined;
        },
        // A function that pins a callback names a pinning API (`withRunTree`, `bind`, `snapshot`): others are not parsed.
        get pinsCallbacks() {
          return PINNING_HINT.test(text) ? fullFacts()?.pinsCallbacks : undefined;
        },
        // A function returning a stream whose write side runs or traces names a stream: others are not parsed.
        get writeSide() {
          return /\bstream\b/.test(text) ? fullFacts()?.writeSide : undefined;
        },
        // A function returning a lazy iterable names `Symbol.asyncIterator` / `Symbol.iterator`: others are not parsed.
        get iterable() {
          return plain === "function" && ITERABLE_METHOD.test(text) ? fullFacts()?.iterable : undefined;
        },
        ...(plain === "function" ? {} : { generator: plain }),
      };
    }
    let model = memo.model as JsModel | undefined;
    if (!model || model.settings !== settings) memo.model = model = modelOnDisk(file, text, settings);
    return model.exportFacts(name, modelOf);
  },
  importedScopeCalls(file, text, settings, cwd) {
    // A file with traced scopes either says so in its text or has its functions registered by another file.
    // Or else its exports are helpers called inside scopes elsewhere, and it calls the project's helpers in turn.
    if (!precheckText(text, settings) && !isRegisteredElsewhere(file, cwd, settings) && !(RELATIVE_IMPORT.test(text) && (isCalledFromScopesElsewhere(file, cwd, settings) || importsRegistrationHelper(file)))) return [];
    const model = recentModel(file, text, settings) ?? new JsModel({ ...parseForIndex(text, file), settings, cwd });
    return model.importedScopeCalls();
  },
  importerRunsAlone(file, text, settings, target, names) {
    return modelOnDisk(file, text, settings).importRunsAlone(target, names);
  },
  importedConstructions(file, text, settings, calls) {
    return modelOnDisk(file, text, settings).importedConstructions(calls);
  },
  exportSummary(file, text, name, settings, memo) {
    let model = memo.model as JsModel | undefined;
    if (!model || model.settings !== settings) memo.model = model = modelOnDisk(file, text, settings);
    // A part read later uses the model the index still holds, or a transient one (it bounds the models it keeps).
    const modelOf = () => {
      const held = memo.model as JsModel | undefined;
      return held && held.settings === settings ? held : modelOnDisk(file, text, settings);
    };
    return summarizeExport(model, name, modelOf, withinNesting);
  },
  importedRegistrations(file, text, settings) {
    // A model built lately for the same text reads the same registrations (they do not depend on other files').
    const recent = recentModel(file, text, settings);
    if (recent) {
      recent.scopes.registrationTargets();
      return recent.scopes.importedRegistrations;
    }
    const parsed = parseForIndex(text, file);
    // Registrations are read from the file and what it imports (a helper that calls `addNode` for it): its own
    // scopes do not depend on other files' registrations.
    const model = new JsModel({ ...parsed, settings, cwd: path.dirname(file), project: "imports" });
    model.scopes.registrationTargets();
    return model.scopes.importedRegistrations;
  },
});

setWorkerModelLoader((file, text, settings) => {
  const parsed = parseForIndex(text, file);
  return new JsModel({ ...parsed, filename: file, settings, cwd: path.dirname(file) });
});

const PLAIN_FUNCTION_PATTERNS = new Map<string, { exported: RegExp; declared: RegExp; listed: RegExp; assigned: RegExp }>();
const escapeName = (name: string) => name.replace(/[$]/g, "\\$");
/**
 * Whether `text` exports `name` as a plain function, by its text alone:
 * - `export [async] function[*] name(` or `export const name = [async] (…) =>` / `= [async] function`;
 * - a top-level `[async] function[*] name(` exported as itself: `export { name }` or, in CommonJS (as compilers emit
 *   it), `exports.name = name;`.
 * Such an export is no traceable, runnable or queue (a `const` cannot be reassigned; a function declaration that is
 * assigned to anywhere does not count). Returns the generator kind for a generator function, "function" for any
 * other function, or undefined when the text does not say (the model must parse it).
 */
export function plainFunctionExport(text: string, name: string): "function" | "sync" | "async" | undefined {
  if (name.includes(".")) return undefined; // a member of an export: the model must look
  let patterns = PLAIN_FUNCTION_PATTERNS.get(name);
  if (!patterns) {
    const id = escapeName(name);
    const S = "[ \\t]";
    patterns = {
      exported: new RegExp(
        `^${S}*export${S}+(?:(async${S}+)?function${S}*(\\*)?${S}*${id}${S}*[(<]|const${S}+${id}${S}*(?::[^=\\n]*)?=${S}*(?:async${S}*)?(?:function\\b(?!${S}*\\*)|\\([^()]*\\)${S}*(?::[^=\\n]*)?=>|[A-Za-z_$][\\w$]*${S}*=>))`,
        "m",
      ),
      declared: new RegExp(`^(async${S}+)?function${S}*(\\*)?${S}*${id}${S}*[(<]`, "m"),
      listed: new RegExp(`^${S}*export${S}*\\{[^}]*(?<![\\w$])(?<!\\bas${S}+)${id}(?![\\w$])(?!${S}+as\\b)[^}]*\\}(?!${S}*from\\b)|^exports\\.${id}${S}*=${S}*${id}${S}*;`, "m"),
      assigned: new RegExp(`(?<![\\w$.])${id}${S}*=[^=>]`),
    };
    if (PLAIN_FUNCTION_PATTERNS.size > 10_000) PLAIN_FUNCTION_PATTERNS.clear();
    PLAIN_FUNCTION_PATTERNS.set(name, patterns);
  }
  const kind = (match: RegExpExecArray) => (match[2] ? (match[1] ? "async" : "sync") : "function");
  const exported = patterns.exported.exec(text);
  if (exported) {
    if (/\bconst\b/.test(exported[0])) return "function";
    return patterns.assigned.test(text) ? undefined : kind(exported);
  }
  const declared = patterns.declared.exec(text);
  if (!declared || !patterns.listed.test(text)) return undefined;
  // `exports.name = name;` is an assignment to a member, which `assigned` does not count.
  return patterns.assigned.test(text) ? undefined : kind(declared);
}

let modelObserver: ((model: JsModel) => void) | undefined;
/**
 * Calls `observer` with every model {@link getModel} builds until the returned function is called (`check` reads
 * each analysed file's runtime from the model the rules built, rather than parsing the file again).
 */
export function observeModels(observer: (model: JsModel) => void): () => void {
  modelObserver = observer;
  return () => {
    if (modelObserver === observer) modelObserver = undefined;
  };
}

/** The model of a file, built once per AST and shared by every rule that asks. */
export function getModel(input: ModelInput): JsModel {
  const cached = modelCache.get(input.ast);
  if (cached && cached.settings === input.settings) return cached;
  const model = new JsModel(input);
  modelCache.set(input.ast, model);
  rememberModel(model);
  modelObserver?.(model);
  return model;
}

/** The plain keys of an object literal argument (`{ retries: 2, onDone }`), or null for any other argument. */
function literalKeys(arg: Node): string[] | null {
  const node = unwrapExpression(arg);
  if (node.type !== "ObjectExpression") return null;
  const keys: string[] = [];
  for (const property of node.properties) {
    if (property.type !== "Property" || property.computed) return null;
    const key = propertyKey(property);
    if (key === undefined) return null;
    keys.push(key);
  }
  return keys;
}

/** The numbers an argument spells out (`4`, `{ concurrency: 4, interval: 20 }`), as {@link InjectedArgument.numbers}. */
function spelledNumbers(arg: Node): Record<string, number> | undefined {
  const node = unwrapExpression(arg);
  if (node.type === "Literal" && typeof node.value === "number") return { "": node.value };
  if (node.type !== "ObjectExpression") return undefined;
  const out: Record<string, number> = {};
  for (const property of node.properties) {
    if (property.type !== "Property" || property.computed || property.key.type !== "Identifier") continue;
    const value = unwrapExpression(property.value);
    if (value.type === "Literal" && typeof value.value === "number") out[property.key.name] = value.value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `exports` or `module.exports`: the object a CommonJS module exports. */
function isModuleExportsObject(n: Node): boolean {
  return (n.type === "Identifier" && n.name === "exports") || (n.type === "MemberExpression" && unwrapExpression(n.object).type === "Identifier" && (unwrapExpression(n.object) as TSESTree.Identifier).name === "module" && !n.computed && n.property.type === "Identifier" && n.property.name === "exports");
}
