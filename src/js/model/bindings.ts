/**
 * Bindings: which variable an identifier names, where a variable is declared, what a name means at a place.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { isFunctionNode, unwrapExpression, type FunctionNode, type Node } from "./ast.js";
import type { MinimalScope, MinimalScopeManager, MinimalVariable } from "../scope.js";

export class Bindings {
  private readonly variableByIdentifier = new Map<Node, MinimalVariable | null>();

  constructor(readonly scopeManager: MinimalScopeManager) {
    for (const scope of scopeManager.scopes) {
      for (const reference of scope.references) this.variableByIdentifier.set(reference.identifier as Node, reference.resolved);
      for (const variable of scope.variables) {
        for (const identifier of variable.identifiers) this.variableByIdentifier.set(identifier as Node, variable);
      }
    }
  }

  /** The variable an identifier refers to or declares, or undefined for globals and unknowns. */
  variableOf(identifier: Node): MinimalVariable | undefined {
    const variable = this.variableByIdentifier.get(identifier);
    // Globals declared by the environment (`require` under commonjs, browser globals) have no definitions.
    return variable && variable.defs.length > 0 ? variable : undefined;
  }

  /** The innermost scope containing `node`. */
  scopeAt(node: Node): MinimalScope {
    for (let current: Node | undefined = node; current; current = current.parent) {
      const scope = this.scopeManager.acquire(current, true);
      if (scope) return scope;
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
      if (fnScope && declaresWithin(fnScope, name)) return true;
    }
    return false;
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

  /** Whether an identifier names a global: no declaration of the file binds it (`setTimeout`, `process`). */
  isGlobal(identifier: Node): boolean {
    const variable = this.variableOf(identifier);
    return !variable || variable.defs.length === 0;
  }

  /** Whether a variable is declared by `let`/`const`/`var`/function inside `fn` (not one of `fn`'s parameters). */
  isDeclaredInside(variable: MinimalVariable, fn: FunctionNode): boolean {
    const def = variable.defs[0];
    // A parameter of a function nested inside `fn` still comes from its caller, which may be outside.
    if (!def || def.type === "Parameter") return false;
    const declNode = def.node as Node;
    return declNode.range[0] >= fn.range[0] && declNode.range[1] <= fn.range[1] && declNode !== fn;
  }

  /** Whether a variable lives at module level (outlives every call of the file's functions). */
  isModuleLevel(variable: MinimalVariable): boolean {
    const type = variable.scope.type;
    return type === "module" || type === "global";
  }
}

function declaresWithin(scope: MinimalScope, name: string): boolean {
  if (scope.set.has(name)) return true;
  return scope.childScopes.some((child) => declaresWithin(child, name));
}
