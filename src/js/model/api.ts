/**
 * API resolution: which library export an expression denotes, through imports, aliases, namespaces, `require`,
 * destructuring and `await import()`. Answers by module specifier and exported name; what the names mean lives in
 * the tables of `../apis.ts`.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { isLangsmithModule, TRACEABLE_NAMES } from "../apis.js";
import type { ResolvedSettings } from "../settings.js";
import type { MinimalVariable } from "../scope.js";
import { memberName, stringLiteralValue, unwrapExpression, type FileNodes, type Node } from "./ast.js";
import type { Bindings } from "./bindings.js";

/** An imported API: `name` is the exported name, `default`, or `*` for the module object itself. */
export interface ApiRef {
  module: string;
  name: string;
}

export class ApiResolver {
  private readonly apiByVariable = new Map<MinimalVariable, ApiRef | null>();
  private specifiersCache: string[] | undefined;

  constructor(
    private readonly bindings: Bindings,
    private readonly nodes: FileNodes,
    private readonly settings: ResolvedSettings,
    /** The package a specifier really loads when it is an npm alias (`p-queue-8` → `p-queue`): see `versions.ts`. */
    private readonly aliasOf: (specifier: string) => string | undefined = () => undefined,
    /** Whether the file's text mentions `createRequire` (only then is a bound `require` asked where it comes from). */
    private readonly mentionsCreateRequire = true,
    /**
     * The library API a project module re-exports under `name` (`export { StateGraph } from "@langchain/langgraph/web"`
     * in a module that picks the app's LangGraph entry point): see the project index's `libraryReexport`.
     */
    private readonly reexportedApi: (specifier: string, name: string) => ApiRef | undefined = () => undefined,
  ) {}

  /** A named API of a project module that re-exports it from a library: that library's API. */
  private throughProject(ref: ApiRef | undefined): ApiRef | undefined {
    if (!ref || ref.name === "*" || ref.name === "default" || !isProjectSpecifier(ref.module)) return ref;
    const key = `${ref.module}\0${ref.name}`;
    let found = this.reexports.get(key);
    if (found === undefined) this.reexports.set(key, (found = this.reexportedApi(ref.module, ref.name) ?? null));
    return found ? { module: this.canonicalModule(found.module), name: found.name } : ref;
  }
  private readonly reexports = new Map<string, ApiRef | null>();

  /**
   * The module a specifier written in this file denotes, by its package's own name: an npm alias counts as the
   * package it installs. Every API answer names modules this way.
   */
  canonicalModule(specifier: string): string {
    let known = this.canonical.get(specifier);
    if (known === undefined) this.canonical.set(specifier, (known = this.aliasOf(specifier) ?? specifier));
    return known;
  }
  private readonly canonical = new Map<string, string>();

  /** The packages this file loads under an alias of `pkg` (`p-queue-8` for `p-queue`), and `pkg` itself if named. */
  packagesLoadedAs(pkg: string): string[] {
    const out = new Set<string>();
    for (const written of this.writtenSpecifiers()) {
      const canonical = this.canonicalModule(written);
      if (canonical !== pkg && !canonical.startsWith(`${pkg}/`)) continue;
      out.add(written === canonical ? pkg : written.slice(0, written.length - (canonical.length - pkg.length)));
    }
    return [...out];
  }

  /** The library API an expression denotes. */
  resolveApi(expr: Node | undefined | null): ApiRef | undefined {
    if (!expr) return undefined;
    const node = unwrapExpression(expr);
    switch (node.type) {
      case "Identifier": {
        const variable = this.bindings.variableOf(node);
        return variable ? this.apiOfVariable(variable) : undefined;
      }
      case "MemberExpression": {
        const name = memberName(node);
        if (!name) return undefined;
        const object = this.resolveApi(node.object);
        if (object && (object.name === "*" || object.name === "default")) return this.throughProject({ module: object.module, name });
        return undefined;
      }
      case "CallExpression": {
        if (this.isRequireFunction(node.callee)) {
          const specifier = stringLiteralValue(node.arguments[0]);
          if (specifier) return { module: this.canonicalModule(specifier), name: "*" };
        }
        return undefined;
      }
      case "AwaitExpression":
        return this.resolveApi(node.argument);
      case "LogicalExpression": {
        // The interop idiom `mod.default ?? mod` (also `||`): both sides name the same module's export.
        if (node.operator === "&&") return undefined;
        const left = this.resolveApi(node.left);
        const right = this.resolveApi(node.right);
        if (!left || !right || left.module !== right.module) return undefined;
        if (left.name === right.name) return left;
        const wrappers = new Set(["*", "default"]);
        return wrappers.has(right.name) ? left : wrappers.has(left.name) ? right : undefined;
      }
      case "ImportExpression": {
        const specifier = stringLiteralValue(node.source);
        return specifier ? { module: this.canonicalModule(specifier), name: "*" } : undefined;
      }
      default:
        return undefined;
    }
  }

  /**
   * Whether a callee loads a module as CommonJS `require` does: the free `require`, a `require` made by
   * `createRequire(import.meta.url)` (from `node:module`, also `module.createRequire`), or such a call itself
   * (`createRequire(import.meta.url)("./registry.cjs")`).
   */
  isRequireFunction(callee: Node): boolean {
    const node = unwrapExpression(callee);
    if (!this.mentionsCreateRequire) return node.type === "Identifier" && node.name === "require" && !this.bindings.variableOf(node);
    if (node.type === "Identifier") {
      const variable = this.bindings.variableOf(node);
      if (node.name === "require" && !variable) return true;
      if (!variable || variable.defs.length !== 1 || variable.defs[0].type !== "Variable") return false;
      const declarator = variable.defs[0].node as TSESTree.VariableDeclarator;
      if (declarator.id.type !== "Identifier" || !declarator.init || declarator.parent?.type !== "VariableDeclaration" || declarator.parent.kind !== "const") return false;
      return this.isCreateRequireCall(declarator.init);
    }
    return this.isCreateRequireCall(node);
  }

  private isCreateRequireCall(expr: Node): boolean {
    const node = unwrapExpression(expr);
    if (node.type !== "CallExpression") return false;
    const api = this.resolveApi(node.callee);
    return !!api && (api.module === "module" || api.module === "node:module") && api.name === "createRequire";
  }

  private apiOfVariable(variable: MinimalVariable): ApiRef | undefined {
    if (this.apiByVariable.has(variable)) return this.apiByVariable.get(variable) ?? undefined;
    this.apiByVariable.set(variable, null); // cycle guard
    const result = this.throughProject(this.computeApiOfVariable(variable));
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
          return specifier ? { module: this.canonicalModule(specifier), name: "*" } : undefined;
        }
        return undefined;
      }
      const declaration = node.parent as TSESTree.ImportDeclaration | undefined;
      if (!declaration || declaration.type !== "ImportDeclaration") return undefined;
      const module = this.canonicalModule(declaration.source.value);
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
        const key = patternKeyFor(declarator.id, def.name as Node);
        return key ? { module: source.module, name: key } : undefined;
      }
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
    return namedIn(callee, this.settings.traceableWrappers);
  }

  /** Whether a callee is one of the user's own runnable factories (`settings.runnableFactories`). */
  isRunnableFactoryName(callee: Node): boolean {
    return namedIn(callee, this.settings.runnableFactories);
  }

  isGetCurrentRunTree(expr: Node): boolean {
    return this.isApi(expr, isLangsmithModule, "getCurrentRunTree");
  }

  /** Every module the file imports or requires, by its package's own name ({@link canonicalModule}). */
  moduleSpecifiers(): string[] {
    return (this.canonicalCache ??= this.writtenSpecifiers().map((specifier) => this.canonicalModule(specifier)));
  }
  private canonicalCache: string[] | undefined;

  /** Every module specifier the file imports or requires, as written. */
  writtenSpecifiers(): string[] {
    if (this.specifiersCache) return this.specifiersCache;
    const out: string[] = [];
    for (const declaration of this.nodes.importDeclarations) out.push(declaration.source.value);
    for (const call of this.nodes.requireCalls) {
      const specifier = stringLiteralValue(call.arguments[0]);
      if (specifier) out.push(specifier);
    }
    for (const expression of this.nodes.importExpressions) {
      const specifier = stringLiteralValue(expression.source);
      if (specifier) out.push(specifier);
    }
    return (this.specifiersCache = out);
  }
}

function namedIn(callee: Node, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  const node = unwrapExpression(callee);
  if (node.type === "Identifier") return names.has(node.name);
  if (node.type === "MemberExpression") {
    const name = memberName(node);
    return !!name && names.has(name);
  }
  return false;
}

/** In `{ a: b, c } = ...`, the property key under which `identifier` is bound (one level deep). */
export function patternKeyFor(pattern: TSESTree.ObjectPattern, identifier: Node): string | undefined {
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

/** Whether a specifier names a module of the project itself (relative, absolute, or a common alias prefix). */
export function isProjectSpecifier(specifier: string): boolean {
  return specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("#") || specifier.startsWith("@/") || specifier.startsWith("~/");
}
