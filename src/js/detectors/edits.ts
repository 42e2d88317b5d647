/**
 * Small text-edit helpers shared by detectors.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import type { TextEdit } from "../../engine/types.js";
import type { FunctionNode, JsModel, Node } from "../model.js";

/** Wrap an expression's text: `AsyncLocalStorage.bind(<expr>)`. */
export function wrapEdits(node: Node, before: string, after: string): TextEdit[] {
  // The value of a shorthand property (`{ run, payload }`): written out as `run: <wrapped>`.
  const parent = node.parent;
  if (parent && parent.type === "Property" && parent.shorthand && parent.value === node && node.type === "Identifier") {
    return [{ range: [node.range[0], node.range[0]], text: `${node.name}: ${before}` }, { range: [node.range[1], node.range[1]], text: after }];
  }
  return [
    { range: [node.range[0], node.range[0]], text: before },
    { range: [node.range[1], node.range[1]], text: after },
  ];
}

/** Index of the `(` that opens a function's parameter list. */
function paramsOpenParen(model: JsModel, fn: FunctionNode): number | undefined {
  let from = fn.range[0];
  if (fn.typeParameters) from = fn.typeParameters.range[1];
  else if (fn.type !== "ArrowFunctionExpression" && fn.id) from = fn.id.range[1];
  const index = model.text.indexOf("(", from);
  return index >= 0 && index < fn.body.range[0] ? index : undefined;
}

/**
 * Edits that append parameters (`text` without a leading comma) to a function's parameter list, adding
 * parentheses to a bare single-parameter arrow function.
 */
export function appendParamsEdits(model: JsModel, fn: FunctionNode, text: string): TextEdit[] | undefined {
  const params = fn.params;
  if (params.length === 0) {
    const open = paramsOpenParen(model, fn);
    if (open === undefined) return undefined;
    const close = model.text.indexOf(")", open);
    if (close < 0) return undefined;
    return [{ range: [close, close], text }];
  }
  const last = params[params.length - 1];
  if (fn.type === "ArrowFunctionExpression" && params.length === 1) {
    const before = model.text.slice(fn.range[0], last.range[0]);
    if (!before.includes("(")) {
      return [{ range: [last.range[0], last.range[1]], text: `(${model.text.slice(last.range[0], last.range[1])}, ${text})` }];
    }
  }
  return [{ range: [last.range[1], last.range[1]], text: `, ${text}` }];
}

/** Edits that append one argument to a call (`text` is the argument). */
export function appendArgumentEdits(model: JsModel, call: TSESTree.CallExpression, text: string): TextEdit[] {
  const args = call.arguments;
  if (args.length > 0) {
    const last = args[args.length - 1];
    return [{ range: [last.range[1], last.range[1]], text: `, ${text}` }];
  }
  const close = call.range[1] - 1;
  return [{ range: [close, close], text }];
}

/**
 * Edits that give a runnable method call `config` as its config (its second argument): appended, after `undefined`
 * for a call without arguments, or in place of a config written as nothing (`batch(items, undefined, options)`).
 */
export function configArgumentEdits(model: JsModel, call: TSESTree.CallExpression, config: string): TextEdit[] {
  const args = call.arguments;
  if (args.length === 0) return appendArgumentEdits(model, call, `undefined, ${config}`);
  if (args.length >= 2) return [{ range: args[1].range, text: config }];
  return appendArgumentEdits(model, call, config);
}

/** Edits that prepend one argument to a call. */
export function prependArgumentEdits(call: TSESTree.CallExpression, text: string): TextEdit[] {
  const args = call.arguments;
  if (args.length > 0) return [{ range: [args[0].range[0], args[0].range[0]], text: `${text}, ` }];
  const close = call.range[1] - 1;
  return [{ range: [close, close], text }];
}

/** A short source excerpt for messages: the callee of a call (`retriever.invoke`). */
export function calleeText(model: JsModel, call: TSESTree.CallExpression | TSESTree.NewExpression): string {
  const text = model.text.slice(call.callee.range[0], call.callee.range[1]).replace(/\s+/g, " ");
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Whether the file is TypeScript (parameter annotations allowed). */
export function isTypeScriptFile(filename: string): boolean {
  return /\.(ts|tsx|mts|cts)$/i.test(filename);
}
