/**
 * Traced scopes: which functions run as a traced run (a traceable, a runnable, a tool, a graph node, a task, an
 * entrypoint, a function reading the current run tree), found through the factory table of `../apis.ts`, the
 * user's own wrappers and factories, LangGraph's `addNode` / `.pipe(fn)`, config-typed parameters, and
 * registrations made in other files of the project (through the project index).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { CONFIG_TYPE_NAMES, SCOPE_FACTORIES, isLangchainModule, isLanggraphModule, isLibraryModule, type ScopeFactory, type ScopeKind } from "../apis.js";
import { calleeMethodName, isFunctionNode, memberName, objectProperty, propertyKey, stringLiteralValue, unwrapExpression, type FileNodes, type FunctionNode, type Node } from "./ast.js";
import type { ApiResolver } from "./api.js";
import { enclosingClass, importedCalleeOf, importedMemberOf, projectExportOf, type ValueFlow } from "./values.js";

export interface TracedScope {
  fn: FunctionNode;
  kind: ScopeKind;
  /** Index of the parameter that receives the RunnableConfig, when the library passes one. */
  configParamIndex?: number;
  /** The function is written inline as the factory's argument, so TypeScript types its parameters from context. */
  inline: boolean;
  /** Human-readable description for messages, e.g. `RunnableLambda`, `graph node "retrieve"`. */
  label: string;
  /** Where the registration that makes this function a scope was found, when it is in another file. */
  registeredIn?: string;
  /** A scope only because a parameter is typed as a config (`config: RunnableConfig`): callers must pass one. */
  byConfigType?: boolean;
  /** For a function that is a scope because other files call it in their traces: the parameters every such call fills with an object it makes there. */
  freshParams?: number[];
  /** For such a function: the parameters every caller fills with an object that carries the caller's run tree headers. */
  headerParams?: number[];
}

/** A registration of one of this file's exported functions as a traced scope, made in another file. */
export interface ExternalRegistration {
  exportName: string;
  kind: ScopeKind;
  label: string;
  configParamIndex?: number;
  file: string;
  /** Not the export itself but a part of it ({@link RegisteredPart}). */
  part?: RegisteredPart;
  /** For part "member": the property of the exported object. */
  key?: string;
}

/**
 * Which part of an export a registration registers: "each" property value of an exported object (`addNode(NODES)`,
 * a loop over `Object.entries(NODES)`), one "member" of it (`addNode("a", nodes.retrieve)`), or the functions an
 * exported factory "returns" (`addNode("a", makeNode(llm))`).
 */
export type RegisteredPart = "each" | "member" | "returned";

/** A project function imported into this file and registered here as a traced scope. */
export interface ImportedRegistration {
  module: string;
  name: string;
  kind: ScopeKind;
  label: string;
  configParamIndex?: number;
  /** Not the export itself but a part of it ({@link RegisteredPart}). */
  part?: RegisteredPart;
  /** For part "member": the property of the exported object. */
  key?: string;
}

export class TracedScopes {
  private readonly byFunction = new Map<FunctionNode, TracedScope>();
  /** Registrations here of functions imported from the project's other modules. */
  readonly importedRegistrations: ImportedRegistration[] = [];
  private readonly enclosingCache = new Map<Node, TracedScope | null>();
  /** Every expression registered as a traced scope, as written (for the summaries of exported functions). */
  private readonly targets: { target: Node; kind: ScopeKind; label: string; configParamIndex?: number }[] = [];
  private computed = false;
  private localComputed = false;

  constructor(
    private readonly nodes: FileNodes,
    private readonly apis: ApiResolver,
    private readonly values: ValueFlow,
    private readonly external: () => readonly ExternalRegistration[],
    private readonly exportedFunction: (name: string) => FunctionNode | undefined,
    /** Whether the project module `module` (as written here) may register what it is given (a text check). */
    private readonly mayRegister: (module: string) => boolean = () => true,
    /** The expression this file exports under a name (defined in this file). */
    private readonly exportedNode: (name: string) => Node | undefined = () => undefined,
    /** The names this file exports (its own declarations and export lists). */
    private readonly exportNames: () => string[] = () => [],
  ) {}

  all(): TracedScope[] {
    this.compute();
    return [...this.byFunction.values()];
  }

  of(fn: FunctionNode): TracedScope | undefined {
    this.compute();
    return this.byFunction.get(fn);
  }

  /** The nearest enclosing function of `node` that is a traced scope (not `node` itself). */
  enclosing(node: Node): TracedScope | undefined {
    this.compute();
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
      const scope = this.byFunction.get(current);
      if (scope) {
        result = scope;
        break;
      }
    }
    for (const fn of visited) this.enclosingCache.set(fn, result ?? null);
    return result;
  }

  /** Every expression the file registers as a traced scope (`addNode(name, target)`, `traceable(target)`, ...). */
  registrationTargets(): readonly { target: Node; kind: ScopeKind; label: string; configParamIndex?: number }[] {
    this.computeLocal();
    return this.targets;
  }

  private add(target: Node | undefined | null, kind: ScopeKind, label: string, configParamIndex?: number, registeredIn?: string): void {
    if (!target) return;
    if (target.type !== "SpreadElement") this.targets.push({ target, kind, label, configParamIndex });
    const member = this.importedMember(target);
    if (member) this.importedRegistrations.push({ ...member.export, kind, label, configParamIndex, part: "member", key: member.key });
    for (const value of this.values.valuesOf(target)) {
      const imported = projectExportOf(value);
      if (imported) {
        this.importedRegistrations.push({ module: imported.module, name: imported.name, kind, label, configParamIndex });
        continue;
      }
      if (value.type === "imported-part") {
        this.importedRegistrations.push({ module: value.module, name: value.name, kind, label, configParamIndex, part: value.part });
        continue;
      }
      if (value.type === "call") {
        // What a factory of another module returns (`addNode("agent", makeAgent(llm))`): its returned functions.
        const callees = this.values.valuesOf(value.node.callee);
        const factory = callees.length === 1 ? projectExportOf(callees[0]) : undefined;
        if (factory) this.importedRegistrations.push({ ...factory, kind, label, configParamIndex, part: "returned" });
        continue;
      }
      if (value.type !== "function" || this.byFunction.has(value.fn)) continue;
      const inline = unwrapExpression(target) === value.fn;
      this.byFunction.set(value.fn, { fn: value.fn, kind, inline, label, configParamIndex, registeredIn });
    }
  }

  /**
   * `nodes.retrieve` with `nodes` an object another module exports (`import { nodes }`, or a default import of
   * `export default { retrieve }`): that export and the key.
   */
  private importedMember(target: Node): { export: { module: string; name: string }; key: string } | undefined {
    let node = unwrapExpression(target);
    // `agent.plan.bind(agent)`: the method bound.
    if (node.type === "CallExpression" && node.callee.type === "MemberExpression" && memberName(node.callee) === "bind") node = unwrapExpression(node.callee.object);
    if (node.type !== "MemberExpression") return undefined;
    const member = importedMemberOf(node, (expr) => this.values.valuesOf(expr));
    if (member) return { export: { module: member.module, name: member.name }, key: member.key };
    const key = memberName(node);
    if (key === undefined) return undefined;
    // A default import's member reads as the module's named export (CommonJS interop); it is a member of the default too.
    const api = this.apis.resolveApi(node.object);
    return api && api.name === "default" ? { export: { module: api.module, name: "default" }, key } : undefined;
  }

  private factoryFor(expr: Node, form: ScopeFactory["form"]): ScopeFactory | undefined {
    const api = this.apis.resolveApi(expr);
    if (!api) return undefined;
    return SCOPE_FACTORIES.find((f) => f.form === form && f.name === api.name && isLibraryModule(f.library, api.module));
  }

  private compute(): void {
    if (this.computed) return;
    this.computed = true;
    this.computeLocal();
    for (const registration of this.external()) {
      for (const { fn, label } of this.registeredFunctions(registration)) {
        if (!this.byFunction.has(fn)) this.byFunction.set(fn, { fn, kind: registration.kind, inline: false, label, configParamIndex: registration.configParamIndex, registeredIn: registration.file });
      }
    }
    // A function whose parameter is typed as a config (`(state, config: RunnableConfig)`) runs as a node or runnable.
    for (const fn of this.nodes.functions) {
      if (this.byFunction.has(fn)) continue;
      const index = configTypedParameter(fn);
      if (index !== undefined && index > 0) this.byFunction.set(fn, { fn, kind: "graph-node", inline: false, label: "graph node or runnable (config-typed parameter)", configParamIndex: index, byConfigType: true });
    }
  }

  /** The functions of this file an external registration registers: the export itself, or a part of it. */
  private registeredFunctions(registration: ExternalRegistration): { fn: FunctionNode; label: string }[] {
    if (registration.exportName === "*" && registration.part === "each") {
      // Every export of the module, iterated through a namespace import (`Object.entries(nodes)`).
      return this.exportNames().flatMap((name) => {
        const fn = this.exportedFunction(name);
        return fn ? [{ fn, label: registration.kind === "graph-node" ? `graph node "${name}"` : registration.label }] : [];
      });
    }
    if (!registration.part || registration.part === "member") {
      // The export, or one member of it by its export path (`nodes.retrieve`, `Agent.plan`: the model's exportedValue).
      const fn = this.exportedFunction(registration.part ? `${registration.exportName}.${registration.key ?? ""}` : registration.exportName);
      return fn ? [{ fn, label: registration.label }] : [];
    }
    const exported = this.exportedNode(registration.exportName);
    if (!exported) return [];
    const out: { fn: FunctionNode; label: string }[] = [];
    const functionsOf = (expr: Node | null | undefined, label: string) => {
      for (const value of expr ? this.values.valuesOf(expr) : []) if (value.type === "function") out.push({ fn: value.fn, label });
    };
    if (registration.part === "returned") {
      for (const value of this.values.valuesOf(exported)) {
        if (value.type !== "function") continue;
        for (const returned of this.nodes.returns.get(value.fn) ?? []) functionsOf(returned, registration.label);
      }
      return out;
    }
    for (const value of this.values.valuesOf(exported)) {
      if (value.type !== "object") continue;
      for (const property of value.node.properties) {
        if (property.type !== "Property") continue;
        const key = propertyKey(property);
        functionsOf(property.value as Node, registration.kind === "graph-node" && key !== undefined ? `graph node "${key}"` : registration.label);
      }
    }
    return out;
  }

  /** Whether `node` sits in a class extending one of LangChain's base classes (`Runnable`, `BaseRetriever`, ...). */
  private inRunnableSubclass(node: Node): boolean {
    const cls = enclosingClass(node);
    if (!cls || !cls.superClass) return false;
    const api = this.apis.resolveApi(cls.superClass);
    return !!api && isLangchainModule(api.module);
  }

  /** The registrations written in this file (the project's other files not consulted). */
  private computeLocal(): void {
    if (this.localComputed) return;
    this.localComputed = true;
    const usesLanggraph = this.apis.moduleSpecifiers().some(isLanggraphModule);
    // A method of a class extending a LangChain base class the library calls with a config.
    for (const cls of this.nodes.classes) {
      if (!cls.superClass) continue;
      const base = this.factoryFor(cls.superClass, "subclass");
      if (!base) continue;
      for (const member of cls.body.body) {
        if (member.type !== "MethodDefinition" || member.kind !== "method" || member.static || member.computed) continue;
        if (member.key.type !== "Identifier" || member.key.name !== base.method) continue;
        const fn = member.value as FunctionNode;
        if (!this.byFunction.has(fn)) this.byFunction.set(fn, { fn, kind: base.kind, inline: false, label: base.label, configParamIndex: base.configParamIndex });
      }
    }
    for (const call of this.nodes.calls) {
      const callee = unwrapExpression(call.callee);
      if (call.type === "NewExpression") {
        const factory = this.factoryFor(callee, "new");
        if (!factory) continue;
        const options = call.arguments[0];
        // The options literal, written inline or held by a value (`new DynamicTool(def)` in a `register(def)` helper
        // whose callers pass `{ name, func }`).
        const literals = !options || options.type === "SpreadElement" ? [] : options.type === "ObjectExpression" ? [options] : this.values.valuesOf(options).flatMap((v) => (v.type === "object" && v.node.type === "ObjectExpression" ? [v.node] : []));
        for (const literal of literals) {
          const func = objectProperty(literal, factory.property!);
          if (factory.fields) this.addCollection(func, factory.label);
          else this.add(func, factory.kind, factory.label, factory.configParamIndex);
        }
        continue;
      }
      if (this.apis.isTraceableFactory(callee)) {
        this.add(call.arguments[0], "traceable", "traceable");
        continue;
      }
      if (this.apis.isRunnableFactoryName(callee)) {
        const name = callee.type === "Identifier" ? callee.name : calleeMethodName(call) ?? "factory";
        this.add(call.arguments[0], "runnable", name, 1);
        continue;
      }
      const direct = this.factoryFor(callee, "call") ?? this.factoryFor(callee, "reader");
      if (direct) {
        if (direct.form === "reader") this.addReader(call);
        else this.add(call.arguments[direct.arg!], direct.kind, direct.label, direct.configParamIndex);
        continue;
      }
      if (callee.type !== "MemberExpression") continue;
      const method = memberName(callee);
      if (!method) continue;
      if (method === "from") {
        const from = this.factoryFor(callee.object, "from");
        if (from) {
          this.add(call.arguments[from.arg!], from.kind, from.label, from.configParamIndex);
          continue;
        }
      }
      const collection = this.factoryFor(callee.object, "collection");
      if (collection && method === (collection.method ?? "from")) {
        this.addCollection(call.arguments[0], collection.label);
        continue;
      }
      // `this._callWithConfig(fn, input, options)` in a Runnable subclass: the library calls `fn(input, config,
      // runManager)` with the caller's config and the run it starts (measured:
      // fixtures/runtime/pass-runnable-config/core-only-call-with-config).
      if (method === "_callWithConfig" && unwrapExpression(callee.object).type === "ThisExpression" && this.inRunnableSubclass(call)) {
        this.add(call.arguments[0], "with-config-callback", "function given to `_callWithConfig`", 1);
        continue;
      }
      if ((method === "addNode" || method === "addSequence") && (usesLanggraph || this.values.valueKinds(callee.object).includes("graph-builder"))) {
        this.addNodes(call as TSESTree.CallExpression);
        continue;
      }
      if (method === "addConditionalEdges" && (usesLanggraph || this.values.valueKinds(callee.object).includes("graph-builder"))) {
        // The router runs as a RunnableLambda that LangGraph calls with (state, config) (measured:
        // fixtures/runtime/pass-runnable-config/web-conditional-edge).
        this.add(call.arguments[1], "runnable", "conditional-edge router", 1);
        continue;
      }
      if ((method === "pipe" || method === "assign") && this.values.valueKinds(callee.object).includes("runnable")) {
        // `.pipe(fn)` coerces a function to a RunnableLambda; `.pipe({ a: fn })` and `.assign({ a: fn })` an object to a
        // RunnableMap whose functions are RunnableLambdas.
        const argument = call.arguments[0];
        const fields = argument && argument.type !== "SpreadElement" && this.values.valuesOf(argument).some((v) => v.type === "object");
        if (fields) this.addCollection(argument, method === "pipe" ? "RunnableMap step (from .pipe)" : "assign field");
        else if (method === "pipe") this.add(argument, "runnable", "RunnableLambda (from .pipe)", 1);
      }
    }
    // Calls of functions imported from project modules that register a function passed to them (`summaries.ts`).
    for (const call of this.nodes.calls) {
      if (call.type !== "CallExpression") continue;
      // Summaries cost a parse of the other module: asked only of modules whose text may register anything.
      const callee = unwrapExpression(call.callee);
      if (callee.type !== "Identifier" && callee.type !== "MemberExpression") continue;
      const module = importedCalleeOf(callee, (expr) => this.values.valuesOf(expr))?.module;
      if (module === undefined || !this.mayRegister(module)) continue;
      const imported = this.values.importedCall(call);
      for (const registration of imported?.summary.registrations ?? []) {
        if (registration.receiverParam !== undefined) {
          const receiver = call.arguments[registration.receiverParam];
          if (!receiver || receiver.type === "SpreadElement" || !(usesLanggraph || this.values.valueKinds(receiver).includes("graph-builder"))) continue;
        }
        if (registration.eachValue) {
          // An object of functions (written here, or held by a variable), each registered under its key.
          const object = call.arguments[registration.param];
          if (!object || object.type === "SpreadElement") continue;
          for (const value of this.values.valuesOf(object)) {
            if (value.type !== "object") continue;
            for (const property of value.node.properties) {
              if (property.type === "Property") this.add(property.value, registration.kind, `graph node "${propertyKey(property) ?? "?"}"`, registration.configParamIndex);
            }
          }
          continue;
        }
        const name = registration.nameParam !== undefined ? stringLiteralValue(call.arguments[registration.nameParam]) : undefined;
        const label = name !== undefined && registration.kind === "graph-node" ? `graph node "${name}"` : registration.label;
        const target = call.arguments[registration.param];
        if (target && target.type !== "SpreadElement") this.add(target, registration.kind, label, registration.configParamIndex);
      }
    }
  }

  private addReader(call: Node): void {
    for (let current: Node | undefined = call.parent; current; current = current.parent) {
      if (isFunctionNode(current)) {
        if (!this.byFunction.has(current)) this.byFunction.set(current, { fn: current, kind: "run-tree-reader", inline: false, label: "function reading getCurrentRunTree()" });
        return;
      }
    }
  }

  /**
   * `addNode(name, fn)`, and the forms that register several nodes at once (`addNode` and `addSequence` with an
   * object of nodes or an array of `[name, fn]` pairs), written in the call or held by a variable.
   */
  private addNodes(call: TSESTree.CallExpression): void {
    const first = call.arguments[0];
    const nodeName = stringLiteralValue(first);
    if (nodeName !== undefined) {
      this.add(call.arguments[1], "graph-node", `graph node "${nodeName}"`, 1);
      return;
    }
    if (!first || first.type === "SpreadElement") return;
    const literal = first.type === "ObjectExpression" || first.type === "ArrayExpression";
    if (!literal && call.arguments[1] && memberName(unwrapExpression(call.callee) as TSESTree.MemberExpression) === "addNode") {
      // The name comes from elsewhere (a variable, a helper's parameter): the function is a node all the same.
      this.add(call.arguments[1], "graph-node", "graph node", 1);
      return;
    }
    const held = literal ? [] : this.values.valuesOf(first);
    for (const value of held) {
      // An object of nodes exported by another module (`addNode(NODES)`): each of its values is a node there.
      const imported = projectExportOf(value);
      if (imported) this.importedRegistrations.push({ ...imported, kind: "graph-node", label: "graph node", configParamIndex: 1, part: "each" });
    }
    const collections = literal ? [first] : held.flatMap((v) => (v.type === "object" || v.type === "array" ? [v.node] : []));
    for (const collection of collections) {
      if (collection.type === "ObjectExpression") {
        for (const property of collection.properties) {
          if (property.type === "Property") this.add(property.value, "graph-node", `graph node "${propertyKey(property) ?? "?"}"`, 1);
        }
        continue;
      }
      for (const element of collection.elements) {
        const pairs = !element || element.type === "SpreadElement" ? [] : element.type === "ArrayExpression" ? [element] : this.values.valuesOf(element).flatMap((v) => (v.type === "array" ? [v.node] : []));
        for (const pair of pairs) this.add(pair.elements[1], "graph-node", `graph node "${stringLiteralValue(pair.elements[0]) ?? "?"}"`, 1);
      }
    }
  }

  private addCollection(collection: Node | undefined, label: string, written = true): void {
    if (!collection || collection.type === "SpreadElement") return;
    if (collection.type !== "ArrayExpression" && collection.type !== "ObjectExpression") {
      // The steps or fields held by a variable (`const fields = { ... }; RunnablePassthrough.assign(fields)`): their
      // functions are not typed by the call's context.
      for (const value of this.values.valuesOf(collection)) if ((value.type === "object" || value.type === "array") && (value.node as Node) !== collection) this.addCollection(value.node, label, false);
      return;
    }
    const step = (target: Node) => {
      this.add(target, "runnable", label, 1);
      const scope = isFunctionNode(target) ? this.byFunction.get(target) : undefined;
      if (scope && !written) scope.inline = false;
    };
    if (collection.type === "ArrayExpression") {
      for (const element of collection.elements) {
        if (!element) continue;
        // An object step (`{ context: async (input) => ... }`) is coerced to a RunnableMap: each function in it is a
        // RunnableLambda of its own.
        if (element.type === "ObjectExpression") this.addCollection(element, label, written);
        else if (element.type !== "SpreadElement") step(element);
      }
    } else {
      for (const property of collection.properties) if (property.type === "Property") step(property.value as Node);
    }
  }
}

/** The index of a parameter annotated with a config type (`RunnableConfig`, `LangGraphRunnableConfig`, `Runtime<...>`). */
export function configTypedParameter(fn: FunctionNode): number | undefined {
  for (let i = 0; i < fn.params.length; i++) {
    let param: Node = fn.params[i];
    if (param.type === "AssignmentPattern") param = param.left;
    const annotation = (param as { typeAnnotation?: TSESTree.TSTypeAnnotation }).typeAnnotation?.typeAnnotation;
    if (annotation && annotation.type === "TSTypeReference") {
      const name = annotation.typeName.type === "Identifier" ? annotation.typeName.name : annotation.typeName.type === "TSQualifiedName" ? annotation.typeName.right.name : undefined;
      if (name && CONFIG_TYPE_NAMES.has(name)) return i;
    }
  }
  return undefined;
}
