/**
 * Import edits that match the file: reuse an existing binding, merge into an existing import or `require`
 * destructuring from the same module (never into a type-only import for a value), or add one statement in the
 * file's own style (ESM `import` or CommonJS `require`, quote style, semicolons, `node:` prefix, line endings).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { builtinModules } from "node:module";
import path from "node:path";
import type { TextEdit } from "../engine/types.js";
import { stringLiteralValue, unwrapExpression, type JsModel, type Node } from "./model.js";

export interface ImportRequest {
  /** The specifier to write in a new import, e.g. `node:async_hooks`. */
  module: string;
  /** Other specifiers that provide the same binding (`async_hooks` for `node:async_hooks`). */
  equivalentModules?: readonly string[];
  /** The exported name. */
  name: string;
  /** Import only as a type (`import type`), for annotations. */
  typeOnly?: boolean;
}

export interface ImportPlan {
  /** The expression that names the binding at the use site (`AsyncLocalStorage`, `hooks.AsyncLocalStorage`). */
  expression: string;
  /** Edits that make the binding exist; empty when it already does. */
  edits: TextEdit[];
}

const BUILTINS = new Set(builtinModules);

interface FileStyle {
  esm: boolean;
  quote: string;
  semicolon: string;
  eol: string;
  nodePrefix: boolean;
}

function fileStyle(model: JsModel): FileStyle {
  const text = model.text;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const ext = path.extname(model.filename).toLowerCase();
  const topLevelRequires = topLevelRequireStatements(model);
  const hasModuleSyntax = model.ast.body.some(
    (s) => s.type === "ImportDeclaration" || s.type === "ExportNamedDeclaration" || s.type === "ExportDefaultDeclaration" || s.type === "ExportAllDeclaration",
  );
  let esm: boolean;
  if (ext === ".cjs" || ext === ".cts") esm = hasModuleSyntax && ext === ".cts";
  else if (ext === ".mjs" || ext === ".mts") esm = true;
  else esm = hasModuleSyntax || topLevelRequires.length === 0;

  const literals: TSESTree.Literal[] = [];
  for (const declaration of model.importDeclarations) literals.push(declaration.source);
  for (const call of model.requireCalls) {
    const arg = call.arguments[0];
    if (arg && arg.type === "Literal") literals.push(arg);
  }
  literals.sort((a, b) => a.range[0] - b.range[0]);
  const firstRaw = literals[0] ? text.slice(literals[0].range[0], literals[0].range[0] + 1) : '"';
  const quote = firstRaw === "'" ? "'" : '"';

  const specifiers = model.moduleSpecifiers();
  const nodePrefix = specifiers.some((s) => s.startsWith("node:")) || !specifiers.some((s) => BUILTINS.has(s) && !s.startsWith("_"));

  const sample: Node | undefined = model.importDeclarations[0] ?? topLevelRequires[0] ?? model.ast.body[0];
  const semicolon = sample ? (text.slice(sample.range[0], sample.range[1]).trimEnd().endsWith(";") ? ";" : "") : ";";
  return { esm, quote, semicolon, eol, nodePrefix };
}

/** Top-level `const x = require("...")` statements. */
function topLevelRequireStatements(model: JsModel): TSESTree.VariableDeclaration[] {
  const out: TSESTree.VariableDeclaration[] = [];
  for (const statement of model.ast.body) {
    if (statement.type !== "VariableDeclaration") continue;
    if (statement.declarations.some((d) => d.init && isRequireCall(d.init))) out.push(statement);
  }
  return out;
}

function isRequireCall(node: Node): node is TSESTree.CallExpression {
  const n = unwrapExpression(node);
  return n.type === "CallExpression" && n.callee.type === "Identifier" && n.callee.name === "require" && n.arguments.length === 1;
}

function requireSpecifier(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  const n = unwrapExpression(node);
  return isRequireCall(n) ? stringLiteralValue(n.arguments[0]) : undefined;
}

/** The local name bound at module level by an identifier node, if it still means that binding at `site`. */
function visibleAs(model: JsModel, identifier: TSESTree.Identifier, site: Node): boolean {
  const declared = model.variableOf(identifier);
  return !!declared && model.lookupName(site, identifier.name) === declared;
}

/**
 * Plan how to refer to `request.name` from `site`: reuse, merge, or add an import. The plan's edits are
 * deterministic for a given file, so two findings in one file produce identical (and thus mergeable) edits.
 */
export function planImport(model: JsModel, request: ImportRequest, site: Node): ImportPlan {
  const modules = new Set([request.module, ...(request.equivalentModules ?? [])]);
  const style = fileStyle(model);

  // 1. Reuse an existing binding.
  for (const declaration of model.importDeclarations) {
    if (!modules.has(declaration.source.value)) continue;
    const declarationIsType = declaration.importKind === "type";
    if (declarationIsType && !request.typeOnly) continue;
    for (const specifier of declaration.specifiers) {
      if (!visibleAs(model, specifier.local, site)) continue;
      if (specifier.type === "ImportSpecifier") {
        const imported = specifier.imported.type === "Identifier" ? specifier.imported.name : String(specifier.imported.value);
        if (imported === request.name && (request.typeOnly || specifier.importKind !== "type")) {
          return { expression: specifier.local.name, edits: [] };
        }
      } else if (!request.typeOnly) {
        // Namespace or default import of a module object: `hooks.AsyncLocalStorage`.
        if (specifier.type === "ImportNamespaceSpecifier" || BUILTINS.has(request.module.replace(/^node:/, ""))) {
          return { expression: `${specifier.local.name}.${request.name}`, edits: [] };
        }
      }
    }
  }
  if (!request.typeOnly) {
    for (const call of model.requireCalls) {
      const declarator = call.parent;
      if (!declarator || declarator.type !== "VariableDeclarator" || declarator.init !== call) continue;
      if (!modules.has(stringLiteralValue(call.arguments[0]) ?? "")) continue;
      if (declarator.id.type === "Identifier" && visibleAs(model, declarator.id, site)) {
        return { expression: `${declarator.id.name}.${request.name}`, edits: [] };
      }
      if (declarator.id.type === "ObjectPattern") {
        for (const property of declarator.id.properties) {
          if (property.type !== "Property" || property.computed) continue;
          const key = property.key.type === "Identifier" ? property.key.name : stringLiteralValue(property.key);
          const value = property.value.type === "AssignmentPattern" ? property.value.left : property.value;
          if (key === request.name && value.type === "Identifier" && visibleAs(model, value, site)) {
            return { expression: value.name, edits: [] };
          }
        }
      }
    }
  }

  // The name a new binding would take; fall back to an alias when the plain name is taken.
  let local = request.name;
  if (model.lookupName(site, local) || model.scopeManager.scopes[0]?.set.has(local) || moduleScopeHas(model, local)) {
    local = `${request.name}ForTracing`;
  }
  const specifierText = local === request.name ? request.name : `${request.name} as ${local}`;

  // 2. Merge into an existing import / require destructuring from the same module.
  for (const declaration of model.importDeclarations) {
    if (!modules.has(declaration.source.value)) continue;
    const declarationIsType = declaration.importKind === "type";
    if (declarationIsType && !request.typeOnly) continue; // never put a value into `import type`
    const named = declaration.specifiers.filter((s): s is TSESTree.ImportSpecifier => s.type === "ImportSpecifier");
    if (named.length === 0) continue;
    const last = named[named.length - 1];
    const prefix = request.typeOnly && !declarationIsType ? "type " : "";
    return { expression: local, edits: [{ range: [last.range[1], last.range[1]], text: `, ${prefix}${specifierText}` }] };
  }
  if (!request.typeOnly) {
    for (const statement of topLevelRequireStatements(model)) {
      for (const declarator of statement.declarations) {
        if (!modules.has(requireSpecifier(declarator.init) ?? "")) continue;
        if (declarator.id.type !== "ObjectPattern") continue;
        const properties = declarator.id.properties;
        const last = properties[properties.length - 1];
        if (!last || last.type === "RestElement") continue;
        const text = local === request.name ? request.name : `${request.name}: ${local}`;
        return { expression: local, edits: [{ range: [last.range[1], last.range[1]], text: `, ${text}` }] };
      }
    }
  }

  // 3. A new statement in the file's style.
  const specifier = request.module.startsWith("node:") && !style.nodePrefix ? request.module.slice(5) : request.module;
  const q = style.quote;
  let statement: string;
  if (request.typeOnly) statement = `import type { ${specifierText} } from ${q}${specifier}${q}${style.semicolon}`;
  else if (style.esm) statement = `import { ${specifierText} } from ${q}${specifier}${q}${style.semicolon}`;
  else {
    const binding = local === request.name ? request.name : `${request.name}: ${local}`;
    statement = `const { ${binding} } = require(${q}${specifier}${q})${style.semicolon}`;
  }
  const anchor = insertionAnchor(model, style.esm || !!request.typeOnly);
  if (anchor) return { expression: local, edits: [{ range: [anchor.range[1], anchor.range[1]], text: `${style.eol}${statement}` }] };
  const first = model.ast.body[0];
  const at = first ? first.range[0] : model.text.length;
  return { expression: local, edits: [{ range: [at, at], text: `${statement}${style.eol}` }] };
}

function moduleScopeHas(model: JsModel, name: string): boolean {
  const global = model.scopeManager.scopes[0];
  if (!global) return false;
  return global.childScopes.some((scope) => scope.type === "module" && scope.set.has(name));
}

/** The statement after which a new import goes: the last import (ESM) or top-level require, else the directives. */
function insertionAnchor(model: JsModel, esm: boolean): Node | undefined {
  const body = model.ast.body;
  if (esm) {
    const imports = body.filter((s) => s.type === "ImportDeclaration");
    if (imports.length > 0) return imports[imports.length - 1];
  } else {
    const requires = topLevelRequireStatements(model);
    if (requires.length > 0) return requires[requires.length - 1];
  }
  let lastDirective: Node | undefined;
  for (const statement of body) {
    if (statement.type === "ExpressionStatement" && "directive" in statement && statement.directive) lastDirective = statement;
    else break;
  }
  return lastDirective;
}

/** `AsyncLocalStorage` from `node:async_hooks`, the binding the bind fixes use. */
export const ASYNC_LOCAL_STORAGE: ImportRequest = {
  module: "node:async_hooks",
  equivalentModules: ["async_hooks"],
  name: "AsyncLocalStorage",
};

/**
 * `isRunnableConfigLike` from `langsmith/run_trees`: the very test `traceable` applies to its first argument to take
 * a LangChain parent from it (importing this module sets up no AsyncLocalStorage).
 */
export const IS_RUNNABLE_CONFIG_LIKE: ImportRequest = {
  module: "langsmith/run_trees",
  name: "isRunnableConfigLike",
};

/** `patchConfig` from `@langchain/core/runnables`: a `DynamicTool` function's child config (see pass-runnable-config). */
export const PATCH_CONFIG: ImportRequest = {
  module: "@langchain/core/runnables",
  name: "patchConfig",
};

/** `RunnableConfig` from `@langchain/core/runnables`, for annotating an added parameter in TypeScript. */
export const RUNNABLE_CONFIG_TYPE: ImportRequest = {
  module: "@langchain/core/runnables",
  name: "RunnableConfig",
  typeOnly: true,
};
