/**
 * Whether the traces a traced function starts can overlap, as far as its own file shows: a script that awaits each
 * call in turn (`for (const doc of docs) await ingest(doc)`, at the top level or in a `main()` it calls once) runs one
 * trace at a time, so a queue or batcher shared between its traces never holds two traces' work at once (measured:
 * a shared p-limit 3, p-queue 6 or lazily started drain loop nests under traces awaited one after another and splits
 * under `Promise.all`). Only for a function the file does not export, whose every use is such a call, whose hand-off
 * the traced function itself waits for, in a file whose top-level flow starts no traces concurrently.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import type { MinimalVariable } from "../scope.js";
import { pointFreeCallback, sameExportName } from "./values.js";
import { constNumber, contains, enclosingFunction, isFunctionNode, memberName, repeatedPerElement, runningFrame, scriptOrRunningFrame, unwrapExpression, walkNodes, type FunctionNode, type Node } from "./ast.js";

export interface SequentialModel {
  readonly ast: TSESTree.Program;
  variableOf(id: TSESTree.Identifier): MinimalVariable | undefined;
  /** For a traced function the file exports as `name`: whether every importing file runs its calls one at a time. */
  exportRunsAlone?(name: string): boolean;
  /** The length of the array an expression holds, when the value flow knows it (an array literal). */
  arrayLength?(expr: Node): number | undefined;
}

const COMBINATORS = new Set(["all", "allSettled", "race", "any"]);

/** The variable a traced function is held in (`const ingest = traceable(async (...) => ...)`, `function ingest`). */
function holderOf(model: SequentialModel, fn: FunctionNode): MinimalVariable | undefined {
  if (fn.type === "FunctionDeclaration") return fn.id ? model.variableOf(fn.id) : undefined;
  let node: Node = fn;
  while (node.parent && node.parent.type === "CallExpression" && node.parent.arguments.includes(node as TSESTree.CallExpressionArgument)) node = node.parent;
  const declarator = node.parent;
  return declarator?.type === "VariableDeclarator" && declarator.init === node && declarator.id.type === "Identifier" ? model.variableOf(declarator.id) : undefined;
}

function isExported(variable: MinimalVariable): boolean {
  const def = variable.defs[0] as unknown as { node: Node } | undefined;
  for (let n: Node | undefined = def?.node; n; n = n.parent) if (n.type === "ExportNamedDeclaration" || n.type === "ExportDefaultDeclaration") return true;
  // `export { ingest }`; `export default ingest`, `module.exports = { ingest }`, `exports.ingest = ingest` are uses
  // that are not awaited calls, which the caller refuses anyway.
  return variable.references.some((r) => (r.identifier as Node).parent?.type === "ExportSpecifier");
}

/** A function the top level calls once (`main()`, `main().catch(...)`, `void main()`) and that nothing else uses. */
function calledOnceAtTopLevel(model: SequentialModel, fn: FunctionNode): boolean {
  const variable = holderOf(model, fn);
  if (!variable || enclosingFunction(fn)) return false;
  const uses = variable.references.filter((r) => !(r as { init?: boolean }).init && (r.identifier as Node) !== (fn as { id?: Node }).id);
  return uses.length === 1 && (() => {
    const id = uses[0].identifier as Node;
    return id.parent?.type === "CallExpression" && id.parent.callee === id && !enclosingFunction(id.parent) && !inLoop(id.parent);
  })();
}

function inLoop(node: Node): boolean {
  for (let n = node.parent; n && !isFunctionNode(n); n = n.parent) if (/^(For|ForIn|ForOf|While|DoWhile)Statement$/.test(n.type)) return true;
  return false;
}

/** The frames a script's flow runs in: the top level, and a function it calls once. */
function isScriptFrame(model: SequentialModel, frame: FunctionNode | undefined): boolean {
  return !frame || calledOnceAtTopLevel(model, frame) || immediatelyInvokedAtTopLevel(frame);
}

/** `(async () => { ... })()` (also `void`, `.catch(...)` on it) in the top level, outside any loop. */
function immediatelyInvokedAtTopLevel(fn: FunctionNode): boolean {
  const call = fn.parent;
  return call?.type === "CallExpression" && call.callee === fn && call.arguments.length === 0 && !enclosingFunction(call) && !inLoop(call);
}

/** Whether `call` is waited for before `fn` returns: awaited, or returned (also through `Promise.all`, `map`). */
export function waitedForIn(call: Node, fn: FunctionNode): boolean {
  let child: Node = call;
  for (let n = call.parent; n; child = n, n = n.parent) {
    if (n.type === "AwaitExpression" || n.type === "ReturnStatement") return true;
    if (n === fn) return fn.type === "ArrowFunctionExpression" && fn.body === child;
    if (isFunctionNode(n)) {
      // An array method's callback returning it (`items.map((x) => limit(...))`): judged at the method call.
      const parent = n.parent;
      if (parent?.type !== "CallExpression" || !parent.arguments.includes(n as TSESTree.CallExpressionArgument)) return false;
      if (!((n.type === "ArrowFunctionExpression" && n.body === child) || child.type === "BlockStatement")) return false;
      continue;
    }
    if (n.type === "ArrayExpression" || n.type === "ConditionalExpression" || n.type === "LogicalExpression" || n.type === "TSAsExpression" || n.type === "ChainExpression") continue;
    if (n.type === "CallExpression") {
      const callee = unwrapExpression(n.callee);
      if (callee.type === "MemberExpression" && (COMBINATORS.has(memberName(callee) ?? "") || ["map", "flatMap", "then"].includes(memberName(callee) ?? ""))) continue;
      return false;
    }
    if (n.type === "MemberExpression") continue;
    if (n.type === "BlockStatement" || n.type === "ExpressionStatement" || n.type === "VariableDeclarator" || n.type === "VariableDeclaration") {
      // `const x = await ...` is caught above; a bare statement or an unawaited local is not waited for.
      return false;
    }
  }
  return false;
}

/**
 * Whether the traces `fn` (a traced function of this file) starts run one at a time, and `site` (the hand-off inside
 * it) is waited for by each of them.
 */
export function tracesRunOneAtATime(model: SequentialModel, fn: FunctionNode, site: Node): boolean {
  return waitedForIn(site, fn) && traceRunsAlone(model, fn);
}

/**
 * Whether the traces `fn` (a traced function of this file) starts never overlap: the script awaits each in turn. An
 * exported one: when every file of the project that imports it calls it so (`exportRunsAlone`, the project index).
 */
export function traceRunsAlone(model: SequentialModel, fn: FunctionNode): boolean {
  const variable = holderOf(model, fn);
  if (!variable) {
    // A field a constructor sets (`this.handle = traceable(...)`), called on the instances the file keeps.
    const uses = fieldUses(model, fn);
    if (!uses) return false;
    let alone = runsAloneMemo.get(fn);
    if (alone === undefined) runsAloneMemo.set(fn, (alone = usesRunAlone(model, uses)));
    return alone;
  }
  if (isExported(variable)) return !!model.exportRunsAlone?.(variable.name) && callsRunAlone(model, variable, fn, true);
  // Not exported: the answer reads this file only, so it holds as long as the syntax tree does.
  let alone = runsAloneMemo.get(fn);
  if (alone === undefined) runsAloneMemo.set(fn, (alone = callsRunAlone(model, variable, fn)));
  return alone;
}

/**
 * Whether `fn` (a traced function of this file, not exported) starts one trace in all: its holder is used once, by a
 * call the script makes once (not in a loop, not in a function that may run again).
 */
export function traceRunsOnce(model: SequentialModel, fn: FunctionNode): boolean {
  const variable = holderOf(model, fn);
  if (!variable || isExported(variable)) return false;
  const uses = variable.references.filter((r) => !(r as { init?: boolean }).init && (r.identifier as Node) !== (fn as { id?: Node }).id);
  if (uses.length !== 1) return false;
  const id = uses[0].identifier as Node;
  const call = id.parent;
  return call?.type === "CallExpression" && call.callee === id && !inLoop(call) && isScriptFrame(model, enclosingFunction(call));
}

/** File-local answers per traced function, kept as long as its syntax tree (each parse makes new nodes). */
const runsAloneMemo = new WeakMap<FunctionNode, boolean>();
const atOnceMemo = new WeakMap<FunctionNode, { traces: number | undefined }>();

/**
 * Whether the calls through `variable` (the traced function's holder, or an import of it) never overlap: each is
 * awaited in a script frame, or it is the one call there is, not waited for, with nothing of the file started after
 * it; and the script starts nothing concurrently. `others`: uses other than calls (an export) are allowed, and there
 * may be no call here at all.
 */
export function callsRunAlone(model: SequentialModel, variable: MinimalVariable, fn?: FunctionNode, others = false): boolean {
  const uses = variable.references.filter((r) => !(r as { init?: boolean }).init && (r.identifier as Node) !== (fn as { id?: Node } | undefined)?.id);
  return usesRunAlone(model, uses.map((use) => use.identifier as Node), others);
}

/**
 * The uses of a traced function held in a field its class's constructor sets (`this.handle = traceable(...)`): every
 * `x.handle` of the file (but the write), when the class is not exported and each use is read on `this` or on a
 * variable the file does not export. Undefined for any other holder.
 */
function fieldUses(model: SequentialModel, fn: FunctionNode): Node[] | undefined {
  let node: Node = fn;
  while (node.parent && node.parent.type === "CallExpression" && node.parent.arguments.includes(node as TSESTree.CallExpressionArgument)) node = node.parent;
  const assignment = node.parent;
  if (assignment?.type !== "AssignmentExpression" || assignment.right !== node || assignment.left.type !== "MemberExpression" || assignment.left.computed || unwrapExpression(assignment.left.object).type !== "ThisExpression") return undefined;
  const key = memberName(assignment.left);
  const ctor = enclosingFunction(assignment);
  const definition = ctor?.parent;
  const cls = definition?.parent?.parent;
  if (!key || definition?.type !== "MethodDefinition" || definition.kind !== "constructor" || !cls || (cls.type !== "ClassDeclaration" && cls.type !== "ClassExpression")) return undefined;
  if (cls.parent?.type === "ExportNamedDeclaration" || cls.parent?.type === "ExportDefaultDeclaration") return undefined;
  const classVariable = cls.id ? model.variableOf(cls.id) : undefined;
  if (classVariable && isExported(classVariable)) return undefined;
  const uses: Node[] = [];
  let readable = true;
  walkNodes(model.ast, (n) => {
    if (n.type !== "MemberExpression" || n === assignment.left || n.computed || memberName(n) !== key) return;
    const object = unwrapExpression(n.object);
    if (object.type === "Identifier") {
      const variable = model.variableOf(object);
      if (!variable || isExported(variable)) readable = false;
    } else if (object.type !== "ThisExpression") readable = false;
    uses.push(n);
  });
  return readable ? uses : undefined;
}

/** Whether the uses (identifiers or member reads) of a traced function's holder are calls that never overlap: see {@link callsRunAlone}. */
function usesRunAlone(model: SequentialModel, uses: Node[], others = false): boolean {
  const calls = uses.filter((id) => id.parent?.type === "CallExpression" && id.parent.callee === id);
  if (!others && (uses.length === 0 || calls.length !== uses.length)) return false;
  if (others && uses.some((use) => !calls.includes(use) && !isExportUse(use))) return false;
  const frames = new Set<FunctionNode | undefined>();
  for (const use of calls) {
    // A step of a promise chain built by `reduce` (`items.reduce((p, x) => p.then(() => f(x)), Promise.resolve())`):
    // each call starts when the previous one has ended; the chain is judged as the one call.
    const call = reduceChainOf(use.parent as TSESTree.CallExpression) ?? (use.parent as TSESTree.CallExpression);
    // Awaited; or the one call there is, made once (not in a loop): a single trace overlaps no other of its own.
    if (call.parent?.type !== "AwaitExpression" && (calls.length > 1 || inLoop(call) || !nothingStartsAfter(model, call))) return false;
    const frame = enclosingFunction(call);
    if (!isScriptFrame(model, frame)) return false;
    frames.add(frame);
  }
  // The script's flow starts nothing concurrently (`Promise.all`, a call it does not wait for is left to the others).
  for (const frame of frames) {
    let concurrent = false;
    walkNodes(frame ? frame.body : model.ast, (node) => {
      if (node.type !== "CallExpression" || (frame ? enclosingFunction(node) !== frame : !!enclosingFunction(node))) return;
      const callee = unwrapExpression(node.callee);
      if (callee.type === "MemberExpression" && COMBINATORS.has(memberName(callee) ?? "") && unwrapExpression(callee.object).type === "Identifier" && (unwrapExpression(callee.object) as TSESTree.Identifier).name === "Promise") concurrent = true;
    });
    if (concurrent) return false;
  }
  return true;
}

/**
 * For a call that is a step of a promise chain built by `reduce`, the `reduce` call: the step's result is what the
 * reducer's `prev.then(() => step)` (or an async reducer's `await prev; await step`) gives back, so each step starts
 * only once the one before it has settled (`orders.reduce((prev, rx) => prev.then(() => review(rx)),
 * Promise.resolve())`).
 */
function reduceChainOf(call: TSESTree.CallExpression): TSESTree.CallExpression | undefined {
  let step: Node = call;
  if (step.parent?.type === "AwaitExpression") step = step.parent;
  const inner = enclosingFunction(call);
  if (!inner) return undefined;
  const returned = (fn: FunctionNode, node: Node) => (fn.body === node) || (node.parent?.type === "ReturnStatement" && node.parent.parent === fn.body);
  // `prev.then(() => step(x))`, the `then` call given back by the reducer.
  const then = inner.parent;
  if (then?.type === "CallExpression" && then.arguments[0] === inner && returned(inner, step === call ? call : step)) {
    const callee = unwrapExpression(then.callee);
    const reducer = enclosingFunction(then);
    if (callee.type !== "MemberExpression" || memberName(callee) !== "then" || !reducer || !returned(reducer, then)) return undefined;
    const prev = reducer.params[0];
    const object = unwrapExpression(callee.object);
    if (!prev || prev.type !== "Identifier" || object.type !== "Identifier" || object.name !== prev.name) return undefined;
    return reduceCallOf(reducer);
  }
  // `async (prev, x) => { await prev; await step(x); }`.
  const prev = inner.params[0];
  if (!inner.async || step.type !== "AwaitExpression" || !prev || prev.type !== "Identifier" || inner.body.type !== "BlockStatement") return undefined;
  const first = inner.body.body[0];
  const waitsFirst = first?.type === "ExpressionStatement" && first.expression.type === "AwaitExpression" && unwrapExpression(first.expression.argument).type === "Identifier" && (unwrapExpression(first.expression.argument) as TSESTree.Identifier).name === prev.name;
  return waitsFirst && first.range[1] <= call.range[0] ? reduceCallOf(inner) : undefined;
}

/** The `x.reduce(reducer, Promise.resolve())` call a reducer is given to. */
function reduceCallOf(reducer: FunctionNode): TSESTree.CallExpression | undefined {
  const reduce = reducer.parent;
  if (reduce?.type !== "CallExpression" || reduce.arguments[0] !== reducer || reduce.arguments.length < 2) return undefined;
  const callee = unwrapExpression(reduce.callee);
  return callee.type === "MemberExpression" && memberName(callee) === "reduce" ? reduce : undefined;
}

/**
 * The most traces `fn` (a traced function of this file, not exported) may have running at once, as the file's script
 * starts them: a statement counts the calls it makes together (`Promise.all([f(a), f(b)])`: 2; `[a, b, c].map((x) =>
 * f(x))`: 3); a statement that waits for its calls overlaps only the calls started before it and not waited for.
 * Undefined when any use is not such a call in one script frame, or a count is not spelled by an array literal.
 */
export function tracesAtOnce(model: SequentialModel, fn: FunctionNode): number | undefined {
  let memo = atOnceMemo.get(fn);
  if (!memo) atOnceMemo.set(fn, (memo = { traces: countTracesAtOnce(model, fn) }));
  return memo.traces;
}

function countTracesAtOnce(model: SequentialModel, fn: FunctionNode): number | undefined {
  const variable = holderOf(model, fn);
  if (!variable || isExported(variable)) return undefined;
  const uses = variable.references.filter((r) => !(r as { init?: boolean }).init && (r.identifier as Node) !== (fn as { id?: Node }).id);
  if (uses.length === 0) return undefined;
  const statements = new Map<Node, { count: number; waited: boolean }>();
  let frame: FunctionNode | undefined | null = null;
  for (const use of uses) {
    const id = use.identifier as Node;
    const call = id.parent;
    if (call?.type !== "CallExpression") return undefined;
    // Handed point-free to an array method (`zones.map(optimizeZone)`): one call per element, all in that statement.
    const pointFree = call.callee !== id ? pointFreeCallback(call) : undefined;
    if (call.callee !== id && pointFree?.callback !== id) return undefined;
    const running = scriptOrRunningFrame(call);
    if (!isScriptFrame(model, running) || (frame !== null && running !== frame)) return undefined;
    frame = running;
    const repeated = pointFree ? undefined : repeatedPerElement(call);
    const count = pointFree ? model.arrayLength?.(pointFree.array) : repeated ? repeated.count : 1;
    if (count === undefined) return undefined;
    let statement: Node = call;
    let waited = false;
    while (statement.parent && statement.parent.type !== "Program" && statement.parent.type !== "BlockStatement") {
      if (statement.type === "AwaitExpression") waited = true;
      statement = statement.parent;
    }
    if (statement.type === "ExpressionStatement" && unwrapExpression(statement.expression).type === "AwaitExpression") waited = true;
    // A statement after which the script starts nothing of its own waits for nothing but overlaps nothing either.
    if (!waited && nothingStartsAfter(model, call)) waited = true;
    const entry = statements.get(statement) ?? { count: 0, waited: true };
    statements.set(statement, { count: entry.count + count, waited: entry.waited && waited });
  }
  let most = 0;
  let running = 0;
  for (const [, { count, waited }] of [...statements].sort(([a], [b]) => a.range[0] - b.range[0])) {
    most = Math.max(most, running + count);
    if (!waited) running += count;
  }
  return most;
}

/** A use that exports the binding (`export { ingest }`, `module.exports = { ingest }`, `exports.ingest = ingest`). */
function isExportUse(id: Node): boolean {
  const parent = id.parent;
  if (!parent) return false;
  if (parent.type === "ExportSpecifier" || parent.type === "ExportDefaultDeclaration") return true;
  if (parent.type === "Property" && parent.value === id && parent.parent?.type === "ObjectExpression") {
    const assignment = parent.parent.parent;
    return assignment?.type === "AssignmentExpression" && /^(module\.exports|exports)$/.test(memberText(assignment.left));
  }
  return parent.type === "AssignmentExpression" && parent.right === id && /^(module\.exports|exports)(\.|$)/.test(memberText(parent.left));
}

function memberText(node: Node): string {
  const n = unwrapExpression(node);
  if (n.type === "Identifier") return n.name;
  if (n.type === "MemberExpression") return `${memberText(n.object)}.${memberName(n) ?? "?"}`;
  return "";
}

/**
 * Whether the statements after the one holding `call`, in its block, call nothing of this file's own (a function or
 * an object it declares): a call not waited for then overlaps no other work the script starts.
 */
function nothingStartsAfter(model: SequentialModel, call: Node): boolean {
  let statement: Node = call;
  while (statement.parent && statement.parent.type !== "Program" && statement.parent.type !== "BlockStatement") statement = statement.parent;
  const block = statement.parent as TSESTree.Program | TSESTree.BlockStatement | undefined;
  if (!block) return false;
  const later = (block.body as Node[]).filter((s) => s.range[0] >= statement.range[1]);
  let starts = false;
  for (const s of later) {
    walkNodes(s, (node) => {
      if (starts || (node.type !== "CallExpression" && node.type !== "NewExpression")) return;
      let callee = unwrapExpression(node.callee);
      while (callee.type === "MemberExpression") callee = unwrapExpression(callee.object);
      if (callee.type === "Identifier" && (model.variableOf(callee)?.defs.length ?? 0) > 0) starts = true;
    });
  }
  return !starts;
}

/** The project's view of a function other files call inside their traces (`ScopeCaller` of the project index). */
export interface CallerModel {
  exportNameOf(fn: FunctionNode): string | undefined;
  scopeCallers(): readonly { exportName: string; alone?: boolean; atOnce?: number | "many" }[];
}

/** What {@link localCallersRunOneAtATime} asks besides: the file's calls of a function, and the traced scope around a node. */
export interface LocalCallerModel extends SequentialModel {
  localCallSites(fn: FunctionNode): { sites: readonly Node[]; escapes: boolean };
  enclosingTracedScope(node: Node): { fn: FunctionNode } | undefined;
}

/**
 * For a hand-off in an in-file function (not exported, never handed away) that waits for it (`scheduleSpray(job)`
 * returning `padLimit(() => ...)`): whether every call of that function is made in a traced scope of this file whose
 * traces run one at a time, each waiting for the call.
 */
function localCallersRunOneAtATime(model: CallerModel & Partial<LocalCallerModel>, call: Node): boolean {
  if (!model.localCallSites || !model.enclosingTracedScope) return false;
  const frame = runningFrame(call);
  if (!frame || !waitedForIn(call, frame) || model.exportNameOf(frame)) return false;
  const { sites, escapes } = model.localCallSites(frame);
  if (escapes || sites.length === 0) return false;
  return sites.every((site) => {
    const scope = model.enclosingTracedScope!(site);
    return !!scope && tracesRunOneAtATime(model as LocalCallerModel, scope.fn, site);
  });
}

/** For a hand-off outside this file's traced scopes: the exported function whose call runs it, when it waits for it. */
function waitingExport(model: CallerModel, call: Node): string | undefined {
  // The function whose call runs the hand-off (past `fields.map((f) => limit(...))` callbacks).
  const frame = runningFrame(call);
  const name = frame ? model.exportNameOf(frame) : undefined;
  return frame && name && waitedForIn(call, frame) ? name : undefined;
}

/**
 * For a hand-off outside this file's traced scopes: whether the function making it is one the project's other files
 * call inside their traces, every such call made by a scope whose traces run one at a time and wait for it, and the
 * function itself waits for the hand-off (returns or awaits it).
 */
export function callersRunOneAtATime(model: CallerModel & Partial<LocalCallerModel>, call: Node): boolean {
  if (localCallersRunOneAtATime(model, call)) return true;
  const name = waitingExport(model, call);
  const callers = name ? model.scopeCallers().filter((c) => sameExportName(c.exportName, name)) : [];
  return callers.length > 0 && callers.every((c) => c.alone);
}

/**
 * For a hand-off outside this file's traced scopes, in a function the project's other files call inside their traces
 * and that waits for it: how many of its calls those files may have in flight at once (the sum of their `atOnce`);
 * `"many"` when one makes a call per element of a collection of unknown length; undefined when any does not say.
 */
export function callersInFlight(model: CallerModel, call: Node): number | "many" | undefined {
  const name = waitingExport(model, call);
  const callers = name ? model.scopeCallers().filter((c) => sameExportName(c.exportName, name)) : [];
  if (callers.length === 0 || callers.some((c) => c.atOnce === undefined)) return undefined;
  if (callers.some((c) => c.atOnce === "many")) return "many";
  return callers.reduce((sum, c) => sum + (c.atOnce as number), 0);
}

/**
 * Whether the traces `fn` (a traced function of this file) starts run one at a time and leave a timer of `ms` armed at
 * `site` time to fire before the next trace's hand-off: the trace itself waits longer than `ms` after `site` (an
 * awaited sleep in its body), or the script sleeps longer than `ms` after each call before the next one. A debouncer or
 * batcher whose timer is re-armed by every call then flushes each trace's item in the trace that armed it (measured:
 * fixtures/runtime/bind-queued-task/debounce-spaced-traces).
 */
export function tracesSpacedBeyond(model: SequentialModel, fn: FunctionNode, site: Node, ms: number): boolean {
  if (!traceRunsAlone(model, fn)) return false;
  const margin = ms + 5;
  if (sleptAfter(model, site, fn) >= margin) return true;
  const variable = holderOf(model, fn);
  const uses = variable ? variable.references.filter((r) => !(r as { init?: boolean }).init && (r.identifier as Node) !== (fn as { id?: Node }).id).map((r) => r.identifier as Node) : fieldUses(model, fn);
  if (!uses || uses.length === 0) return false;
  const calls = uses.filter((use) => use.parent?.type === "CallExpression" && use.parent.callee === use).map((use) => use.parent as Node);
  return calls.every((call) => {
    const statement = statementOf(call);
    const block = statement?.parent;
    if (!statement || !block || (block.type !== "BlockStatement" && block.type !== "Program")) return false;
    const body = block.body as Node[];
    let slept = 0;
    for (const next of body.slice(body.indexOf(statement) + 1)) {
      if (calls.some((other) => contains(next, other))) return slept >= margin;
      slept += sleepOf(model, next) ?? 0;
    }
    // The last statement of its block: in a loop body the next iteration's call comes after these sleeps.
    return slept >= margin || (!inLoop(statement) && !calls.some((other) => other.range[0] > call.range[0] && !contains(block, other)));
  });
}

/** The statement directly in a block (or the program) that holds `node`. */
function statementOf(node: Node): Node | undefined {
  let child: Node = node;
  for (let n = node.parent; n; child = n, n = n.parent) {
    if (n.type === "BlockStatement" || n.type === "Program") return child;
    if (isFunctionNode(n)) return undefined;
  }
  return undefined;
}

/** The ms the statements after `site`'s statement in `fn`'s body sleep (awaited), before `fn` returns. */
function sleptAfter(model: SequentialModel, site: Node, fn: FunctionNode): number {
  const statement = statementOf(site);
  const block = statement?.parent;
  if (!statement || !block || block.type !== "BlockStatement" || block !== fn.body) return 0;
  let slept = 0;
  for (const next of block.body.slice(block.body.indexOf(statement as TSESTree.Statement) + 1)) slept += sleepOf(model, next) ?? 0;
  return slept;
}

/**
 * The ms an awaited sleep statement waits: `await new Promise((r) => setTimeout(r, N))`, `await setTimeout(N)` (of
 * `timers/promises`), or `await sleep(N)` for a function of this file that wraps `setTimeout` around its parameter.
 */
function sleepOf(model: SequentialModel, statement: Node): number | undefined {
  const expr = statement.type === "ExpressionStatement" ? unwrapExpression(statement.expression) : undefined;
  if (!expr || expr.type !== "AwaitExpression") return undefined;
  const awaited = unwrapExpression(expr.argument);
  if (awaited.type === "NewExpression" && awaited.callee.type === "Identifier" && awaited.callee.name === "Promise") {
    const executor = awaited.arguments[0];
    if (!executor || !isFunctionNode(executor as Node)) return undefined;
    let ms: number | undefined;
    walkNodes(executor as Node, (node) => {
      if (ms === undefined && node.type === "CallExpression" && unwrapExpression(node.callee).type === "Identifier" && (unwrapExpression(node.callee) as TSESTree.Identifier).name === "setTimeout" && node.arguments[1]) ms = constNumber(node.arguments[1] as Node, (id) => model.variableOf(id));
    });
    return ms;
  }
  if (awaited.type !== "CallExpression" || awaited.arguments.length !== 1 || awaited.callee.type !== "Identifier") return undefined;
  const ms = constNumber(awaited.arguments[0] as Node, (id) => model.variableOf(id));
  if (ms === undefined) return undefined;
  if (awaited.callee.name === "setTimeout") return ms;
  // A local sleep helper: one parameter, a body that arms setTimeout with it.
  const variable = model.variableOf(awaited.callee);
  const def = variable?.defs[0] as unknown as { node: Node } | undefined;
  const node = def?.node;
  const helper = node && isFunctionNode(node) ? node : node?.type === "VariableDeclarator" && node.init && isFunctionNode(unwrapExpression(node.init)) ? (unwrapExpression(node.init) as FunctionNode) : undefined;
  const param = helper?.params.length === 1 && helper.params[0].type === "Identifier" ? helper.params[0].name : undefined;
  if (!helper || !param) return undefined;
  let arms = false;
  walkNodes(helper.body, (n) => {
    if (n.type === "CallExpression" && unwrapExpression(n.callee).type === "Identifier" && (unwrapExpression(n.callee) as TSESTree.Identifier).name === "setTimeout" && n.arguments[1]?.type === "Identifier" && n.arguments[1].name === param) arms = true;
  });
  return arms ? ms : undefined;
}
