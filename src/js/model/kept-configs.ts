/**
 * Which functions keep the config of the first call that reaches them: a config parameter stored, as it is or as a
 * property of a record, in storage that outlives the call and is written only when it is empty (`if
 * (!sessions.has(id)) sessions.set(id, { id, config })`, `cached ??= { config }`), with the function handing back
 * what that storage holds (`return sessions.get(id)`). Every later call gets the first call's config back, with its
 * callbacks: a child run with it lands under the first call's run, or starts a trace of its own once that run has
 * ended (measured: runtime fixtures `cached-config-*`).
 *
 * One question, one answer: `keptConfigParams(model, fn)` for a function of this file; the project index hands the
 * same answer to other modules as `ExportFacts.keepsFirstConfig`.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { calleeMethodName, isFunctionNode, propertyKey, unwrapExpression, type CallLike, type FunctionNode, type Node } from "./ast.js";
import type { MinimalVariable } from "../scope.js";
import { CONFIG_PARAM } from "./config-helpers.js";

/** A parameter a function keeps from its first call, and where the record it hands back holds it. */
export interface KeptConfig {
  /** The parameter's position. */
  param: number;
  /** The property of the handed-back record that holds it (`session.config`); absent when the record is the config itself. */
  key?: string;
}

/** The parts of the model this needs. */
export interface KeptConfigModel {
  readonly text: string;
  callsWithin(node: Node): CallLike[];
  readonly nodes: { returns: Map<FunctionNode, Node[]>; assignments: TSESTree.AssignmentExpression[] };
  variableOf(id: TSESTree.Identifier): MinimalVariable | undefined;
  isDeclaredInside(variable: MinimalVariable, fn: FunctionNode): boolean;
}

/** The config parameters `fn` keeps from its first call (see the module comment). */
export function keptConfigParams(model: KeptConfigModel, fn: FunctionNode): KeptConfig[] {
  const params = configParams(fn);
  if (params.size === 0) return [];
  const body = model.text.slice(fn.body.range[0], fn.body.range[1]);
  if (!/\.has\(|\?\?=|\|\|=|\.get\(/.test(body)) return [];
  const found: KeptConfig[] = [];
  const add = (kept: KeptConfig | undefined) => {
    if (kept && !found.some((k) => k.param === kept.param && k.key === kept.key)) found.push(kept);
  };
  // `store.set(key, record)` where the store outlives the call and the write happens only when the key is missing.
  for (const call of model.callsWithin(fn)) {
    if (call.type !== "CallExpression" || calleeMethodName(call) !== "set" || call.arguments.length < 2) continue;
    const store = unwrapExpression((unwrapExpression(call.callee) as TSESTree.MemberExpression).object);
    if (!outlives(model, store, fn)) continue;
    const storeText = model.text.slice(store.range[0], store.range[1]);
    if (!writtenOnlyWhenMissing(model, call, storeText, fn)) continue;
    if (!returnsFrom(model, fn, storeText)) continue;
    add(storedConfig(model, call.arguments[1], params, fn));
  }
  // `holder ??= record`, `holder ||= record` with a holder that outlives the call, handed back.
  for (const assignment of model.nodes.assignments) {
    if ((assignment.operator !== "??=" && assignment.operator !== "||=") || !withinBody(fn, assignment)) continue;
    const target = unwrapExpression(assignment.left);
    if (!outlives(model, target, fn)) continue;
    if (!returnsFrom(model, fn, model.text.slice(target.range[0], target.range[1]))) continue;
    add(storedConfig(model, assignment.right, params, fn));
  }
  return found;
}

function configParams(fn: FunctionNode): Map<string, number> {
  const out = new Map<string, number>();
  fn.params.forEach((param, index) => {
    const id = param.type === "AssignmentPattern" ? param.left : param;
    if (id.type === "Identifier" && (CONFIG_PARAM.test(id.name) || /\bRunnableConfig\b/.test(typeText(id)))) out.set(id.name, index);
  });
  return out;
}

function typeText(id: TSESTree.Identifier): string {
  const annotation = id.typeAnnotation?.typeAnnotation;
  if (!annotation || annotation.type !== "TSTypeReference") return "";
  return annotation.typeName.type === "Identifier" ? annotation.typeName.name : "";
}

/** The direct body of `fn`, not a function nested in it (a callback defined there runs at another time). */
function withinBody(fn: FunctionNode, node: Node): boolean {
  if (node.range[0] < fn.body.range[0] || node.range[1] > fn.body.range[1]) return false;
  for (let current = node.parent; current && current !== fn; current = current.parent) if (isFunctionNode(current)) return false;
  return true;
}

/** A module-level binding (or a member of one), or a field of `this` (also static): it outlives the call. */
function outlives(model: KeptConfigModel, target: Node, fn: FunctionNode): boolean {
  let root = unwrapExpression(target);
  while (root.type === "MemberExpression") root = unwrapExpression(root.object);
  if (root.type === "ThisExpression") return true;
  if (root.type !== "Identifier") return false;
  const variable = model.variableOf(root);
  return !!variable && !model.isDeclaredInside(variable, fn) && variable.defs[0]?.type !== "Parameter";
}

/**
 * The write of `store` happens only when the key is missing: inside `if (!store.has(k))`, inside `if (!cached)` with
 * `cached` read from the store, or after `if (store.has(k)) return ...`.
 */
export function writtenOnlyWhenMissing(model: Pick<KeptConfigModel, "text" | "variableOf">, write: Node, storeText: string, fn: FunctionNode | undefined): boolean {
  const escaped = escapeRegExp(storeText);
  const missing = new RegExp(`!\\s*${escaped}\\.has\\(|${escaped}\\.has\\([^)]*\\)\\s*===?\\s*false`);
  for (let child: Node = write, current = write.parent; current && current !== fn; child = current, current = current.parent) {
    if (current.type === "IfStatement" && current.consequent === child) {
      const test = unwrapExpression(current.test);
      const text = model.text.slice(test.range[0], test.range[1]);
      if (missing.test(text)) return true;
      // `if (!cached)` / `if (cached === undefined)` with `const cached = store.get(k)`.
      const read = test.type === "UnaryExpression" && test.operator === "!" ? unwrapExpression(test.argument) : test.type === "BinaryExpression" && /^(===?|==)$/.test(test.operator) ? unwrapExpression(test.left) : undefined;
      if (read && read.type === "Identifier") {
        const definition = model.variableOf(read)?.defs[0]?.node as Node | undefined;
        const init = definition && definition.type === "VariableDeclarator" ? definition.init : undefined;
        if (init && new RegExp(`^${escaped}\\.get\\(`).test(model.text.slice(init.range[0], init.range[1]))) return true;
      }
    }
    // `if (store.has(k)) return store.get(k);` earlier in the same block.
    if (current.type === "BlockStatement" || current.type === "Program") {
      const index = (current.body as Node[]).indexOf(child);
      const earlier = (current.body as Node[]).slice(0, Math.max(index, 0));
      const present = new RegExp(`^${escaped}\\.has\\(`);
      if (earlier.some((s) => s.type === "IfStatement" && present.test(model.text.slice(s.test.range[0], s.test.range[1])) && returnsAlways(s.consequent))) return true;
    }
  }
  return false;
}

function returnsAlways(statement: Node): boolean {
  if (statement.type === "ReturnStatement") return true;
  return statement.type === "BlockStatement" && statement.body.some((s) => s.type === "ReturnStatement");
}

/** Some return of `fn` hands back what the storage holds (`return store.get(k)`, `return holder`, through a local). */
function returnsFrom(model: KeptConfigModel, fn: FunctionNode, storeText: string): boolean {
  const escaped = escapeRegExp(storeText);
  const reads = new RegExp(`^(await\\s+)?${escaped}(\\.get\\(|\\s*$)`);
  const holds = (expr: Node): boolean => {
    const node = unwrapExpression(expr);
    if (reads.test(model.text.slice(node.range[0], node.range[1]))) return true;
    if (node.type !== "Identifier") return false;
    const variable = model.variableOf(node);
    if (!variable) return false;
    const writes = [variable.defs[0]?.node as Node | undefined, ...variable.references.map((r) => (r as { writeExpr?: Node | null }).writeExpr ?? undefined)];
    return writes.some((w) => {
      const value = w && w.type === "VariableDeclarator" ? w.init : w;
      return !!value && reads.test(model.text.slice(value.range[0], value.range[1]));
    });
  };
  return (model.nodes.returns.get(fn) ?? []).some(holds);
}

/** The config parameter a stored value holds: the parameter itself, or a property of a record literal. */
function storedConfig(model: KeptConfigModel, stored: Node, params: Map<string, number>, fn: FunctionNode): KeptConfig | undefined {
  const paramIndex = (expr: Node): number | undefined => {
    const node = unwrapExpression(expr);
    if (node.type !== "Identifier" || !params.has(node.name)) return undefined;
    return model.variableOf(node)?.defs[0]?.type === "Parameter" ? params.get(node.name) : undefined;
  };
  let value = unwrapExpression(stored);
  // A record built first in a local (`const session = { id, config }; store.set(id, session)`).
  if (value.type === "Identifier" && paramIndex(value) === undefined) {
    const variable = model.variableOf(value);
    const definition = variable && model.isDeclaredInside(variable, fn) ? (variable.defs[0]?.node as Node | undefined) : undefined;
    if (definition && definition.type === "VariableDeclarator" && definition.init) value = unwrapExpression(definition.init);
  }
  const direct = paramIndex(value);
  if (direct !== undefined) return { param: direct };
  if (value.type !== "ObjectExpression") return undefined;
  for (const property of value.properties) {
    if (property.type !== "Property") continue;
    const index = paramIndex(property.value as Node);
    const key = propertyKey(property);
    if (index !== undefined && key) return { param: index, key };
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\#]/g, "\\$&");
}
