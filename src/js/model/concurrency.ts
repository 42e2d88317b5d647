/**
 * How many tasks a queue or limiter runs at once, when the code says so with numbers: `pLimit(1)`,
 * `new PQueue({ concurrency: 4 })`, `fastq(worker, 1)`, also through a constant, a
 * parameter whose call sites (in this file, or in the project's other modules) pass a number or an options object.
 *
 * A shared limiter whose concurrency is above 1 starts a task inside the submitting call while it has free slots:
 * such a task nests; it lands under another trace only once more tasks wait than there are slots (measured). The rule
 * uses this to tell a serialising queue (it always splits under two traces) from a wide one (it splits under load).
 * The `async` library (and neo-async) is never wide: its queues start waiting items in one pass that the first push
 * schedules, so with free slots too a second trace's item runs in the first one's context (measured).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import type { QueueLibrary } from "../apis.js";
import type { MinimalVariable } from "../scope.js";
import { contains, isFunctionNode, memberName, objectProperty, parameterPlace, unwrapExpression, type FunctionNode, type Node } from "./ast.js";
import type { ExportFacts, Value } from "./values.js";

export interface ConcurrencyModel {
  valuesOf(expr: Node): Value[];
  variableOf(identifier: Node): MinimalVariable | undefined;
  parameterValues(fn: FunctionNode, index: number): Value[];
  callerValues(identifier: Node): Value[];
  importFacts(value: Extract<Value, { type: "import" }>): ExportFacts | undefined;
  /** The calls of `fn` in this file (`new Queue(4)` for a constructor), and whether it escapes them. */
  callSites?(fn: FunctionNode): { sites: readonly (TSESTree.CallExpression | TSESTree.NewExpression)[]; escapes: boolean };
  /** For a call of a function of the project that returns a queue it makes (`queueFor(section, worker)`): its concurrency. */
  returnedQueueConcurrency?(call: TSESTree.CallExpression): number | undefined;
}

const MAX_DEPTH = 4;

/**
 * The smallest concurrency the queue `owner` holds may have been made with, when every way it may be made says it
 * with a number; undefined when any does not (or the queue is not seen being made).
 */
export function queueConcurrency(model: ConcurrencyModel, owner: Node, library: QueueLibrary | "channel" | "batcher" | "poller"): number | undefined {
  // A queue another module makes and exports (`module.exports = pLimit(4)`): as that module spells it.
  const held = model.valuesOf(owner);
  if (held.length === 1 && held[0].type === "import") return model.importFacts(held[0])?.concurrency;
  // A queue a function of another module makes and returns: as that module's summary spells it.
  if (held.length === 1 && held[0].type === "call" && held[0].node.type === "CallExpression" && model.returnedQueueConcurrency) {
    const callee = model.valuesOf(held[0].node.callee);
    if (callee.length === 1 && callee[0].type === "import") return model.returnedQueueConcurrency(held[0].node);
  }
  const made = model.valuesOf(owner).filter((v): v is Extract<Value, { type: "call" | "new" }> => v.type === "call" || v.type === "new");
  if (made.length === 0 || made.length !== model.valuesOf(owner).filter((v) => v.type !== "unknown" || v.node !== owner).length) return undefined;
  let least: number | undefined;
  for (const value of made) {
    const found = creationConcurrency(model, value.node, library);
    if (found === undefined) return undefined;
    least = least === undefined ? found : Math.min(least, found);
  }
  return least;
}

function creationConcurrency(model: ConcurrencyModel, creation: TSESTree.CallExpression | TSESTree.NewExpression, library: QueueLibrary | "channel" | "batcher" | "poller"): number | undefined {
  const args = creation.arguments.filter((a): a is TSESTree.Expression => a.type !== "SpreadElement");
  if (args.length !== creation.arguments.length) return undefined;
  switch (library) {
    case "p-limit": {
      // `pLimit(n)`, or `pLimit({ concurrency: n })` (p-limit 6).
      const first = args[0];
      return first ? least(numbersOf(model, first, "concurrency", 0)) : undefined;
    }
    case "p-queue": {
      // `new PQueue({ concurrency: n })`. A rate limit (`interval`, `intervalCap`) holds tasks back whatever the free
      // slots, and releases them from its own timer: such a queue is never wide. Without the option p-queue runs
      // everything at once, but the code does not say so with a number: not judged.
      const first = args[0];
      if (!first) return undefined;
      // The options written there, or held by a constant or a parameter (`new PQueue(rateLimit)`).
      const options = unwrapExpression(first);
      const literals = options.type === "ObjectExpression" ? [options] : model.valuesOf(first).flatMap((v) => (v.type === "object" ? [v.node] : []));
      if (literals.some((o) => objectProperty(o, "interval") || objectProperty(o, "intervalCap"))) return 1;
      // Made paused (`autoStart: false`): every task waits for `start()`, which runs it in the context of whoever
      // starts the queue, whatever the free slots.
      // Unless every `start()` comes right after the same function's own `add`s (`queue.add(...); queue.start()` in
      // the trace): the starter's own tasks then run in its context, the slots as for a running queue.
      if (literals.some((o) => { const auto = objectProperty(o, "autoStart"); const value = auto && unwrapExpression(auto); return value?.type === "Literal" && value.value === false; }) && !startedByAdders(model, creation)) return 1;
      return least(numbersOf(model, first, "concurrency", 0, true));
    }
    case "async":
      // The `async` library's queues (and neo-async's) start waiting items in one pass scheduled by the first push:
      // with free slots too, a second trace's item runs in the first one's context (measured). Never wide.
      return 1;
    case "fastq": {
      // `fastq(worker, n)`, `fastq(that, worker, n)`, `fastq.promise(...)`.
      const last = args[args.length - 1];
      return last && args.length >= 2 ? least(numbersOf(model, last, undefined, 0)) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Whether the paused queue `made` makes is held by one variable whose every `start()` is in a function that adds to
 * it earlier in the same body (and there is at least one).
 */
function startedByAdders(model: ConcurrencyModel, made: Node): boolean {
  const holder = made.parent;
  if (holder?.type !== "VariableDeclarator" || holder.init !== made || holder.id.type !== "Identifier") return false;
  const variable = model.variableOf(holder.id);
  if (!variable) return false;
  const method = (reference: Node) => {
    const parent = reference.parent;
    return parent?.type === "MemberExpression" && parent.object === reference && parent.parent?.type === "CallExpression" && parent.parent.callee === parent ? memberName(parent) : undefined;
  };
  const frameOf = (node: Node): Node | undefined => {
    for (let n = node.parent; n; n = n.parent) if (isFunctionNode(n)) return n;
    return undefined;
  };
  const refs = variable.references.map((r) => r.identifier as Node);
  const starts = refs.filter((r) => method(r) === "start");
  return starts.length > 0 && starts.every((start) => {
    const frame = frameOf(start);
    return !!frame && refs.some((r) => (method(r) === "add" || method(r) === "addAll") && r.range[0] < start.range[0] && contains(frame, r));
  });
}

/** `process.env.NAME` (also `process.env["NAME"]`). */
function isEnvironmentRead(expr: Node): boolean {
  const node = unwrapExpression(expr);
  if (node.type !== "MemberExpression") return false;
  const env = unwrapExpression(node.object);
  return env.type === "MemberExpression" && memberName(env) === "env" && unwrapExpression(env.object).type === "Identifier" && (unwrapExpression(env.object) as TSESTree.Identifier).name === "process";
}

/** A number conversion's argument: `Number(x)`, `parseInt(x, 10)`, `parseFloat(x)`, `+x`. */
function convertedFrom(expr: Node): Node | undefined {
  const node = unwrapExpression(expr);
  if (node.type === "UnaryExpression" && node.operator === "+") return node.argument;
  if (node.type !== "CallExpression" || node.arguments.length === 0 || node.arguments[0].type === "SpreadElement") return undefined;
  const callee = unwrapExpression(node.callee);
  const name = callee.type === "Identifier" ? callee.name : callee.type === "MemberExpression" && unwrapExpression(callee.object).type === "Identifier" && (unwrapExpression(callee.object) as TSESTree.Identifier).name === "Number" ? memberName(callee) : undefined;
  return name === "Number" || name === "parseInt" || name === "parseFloat" ? node.arguments[0] : undefined;
}

/**
 * The default of a number read from the environment: `Number(process.env.N ?? 8)`, `Number(process.env.N) || 8`,
 * `parseInt(process.env.N ?? "8", 10)`, `+process.env.N || 8` (the default as a number literal, or a numeric string
 * inside the conversion).
 */
function environmentDefault(expr: Node): Node | undefined {
  const node = unwrapExpression(expr);
  const inner = convertedFrom(node);
  const logical = unwrapExpression(inner ?? node);
  if (logical.type !== "LogicalExpression" || (logical.operator !== "??" && logical.operator !== "||")) return undefined;
  const left = convertedFrom(logical.left) ?? logical.left;
  if (!isEnvironmentRead(left)) return undefined;
  const right = unwrapExpression(logical.right);
  // Inside the conversion a numeric string is the number it spells (`parseInt(process.env.N ?? "8")`).
  if (inner && right.type === "Literal" && typeof right.value === "string" && /^\d+$/.test(right.value.trim())) return { ...right, value: Number(right.value), raw: right.value.trim() } as Node;
  return right;
}

function least(numbers: number[] | undefined): number | undefined {
  return numbers && numbers.length > 0 ? Math.min(...numbers) : undefined;
}

/**
 * The numbers an expression may hold (`key`: the property of an options object it may be instead). Undefined when
 * any value is not a number seen here. `inObject`: the expression is an options object, read at `key` only.
 */
function numbersOf(model: ConcurrencyModel, expr: Node, key: string | undefined, depth: number, inObject = false): number[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const node = unwrapExpression(expr);
  if (!inObject && node.type === "Literal" && typeof node.value === "number") return [node.value];
  // Read from the environment with a default (`Number(process.env.OCR_CONCURRENCY ?? 8)`, `parseInt(env.N) || 4`):
  // the default, the number the program runs with when the variable is not set.
  if (!inObject) {
    const fallback = environmentDefault(node);
    if (fallback) return numbersOf(model, fallback, undefined, depth + 1);
  }
  if (node.type === "ObjectExpression" && key) {
    const value = objectProperty(node, key);
    return value ? numbersOf(model, value, undefined, depth + 1) : undefined;
  }
  if (node.type !== "Identifier") return undefined;
  const variable = model.variableOf(node);
  if (!variable || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0] as unknown as { type: string; node: Node; parent?: Node };
  if (def.type === "Variable") {
    const declarator = def.node as TSESTree.VariableDeclarator;
    const declaration = declarator.parent as TSESTree.VariableDeclaration | undefined;
    if (declaration?.kind !== "const" || declarator.id.type !== "Identifier" || !declarator.init) return undefined;
    return numbersOf(model, declarator.init, key, depth + 1, inObject);
  }
  if (def.type !== "Parameter" || !isFunctionNode(def.node)) return undefined;
  const fn = def.node;
  const declared = (variable.identifiers[0] as Node | undefined) ?? node;
  const found = parameterPlace(fn, declared);
  if (found) {
    const { index } = found;
    const fallbackNode = found.fallback && unwrapExpression(found.fallback);
    const place = { key: found.key, fallback: fallbackNode?.type === "Literal" && typeof fallbackNode.value === "number" ? fallbackNode.value : undefined };
    // `{ concurrency }` destructured from an options parameter: that property of what the callers pass.
    const property = place.key ?? key;
    // Every call in this file spells the number there (`new FingerprintQueue(4)`), and none elsewhere can call it.
    const calls = model.callSites?.(fn);
    if (calls && !calls.escapes && calls.sites.length > 0 && !place.key) {
      const spelled = calls.sites.map((site) => site.arguments[index]).map((arg) => (arg && arg.type !== "SpreadElement" ? numbersOf(model, arg, key, depth + 1, inObject) : undefined));
      if (spelled.every((n) => n && n.length > 0)) return spelled.flatMap((n) => n!);
    }
    const out: number[] = [];
    const values = [...model.parameterValues(fn, index), ...model.callerValues(declared)];
    // The marker of callers the file cannot see (an exported function) does not count when the project's are known.
    const seen = values.filter((v) => !(v.type === "unknown" && v.node === fn.params[index]));
    if (seen.length === 0) return place.fallback !== undefined ? [place.fallback] : undefined;
    for (const value of seen) {
      if (value.type === "injected") {
        // The property asked for (`{ concurrency }`), or, for the parameter as a whole, the plain number passed to it.
        const number = value.numbers?.[property ?? ""] ?? (place.key === undefined ? value.numbers?.[""] : undefined);
        if (number === undefined) return undefined;
        out.push(number);
        continue;
      }
      const found = value.type === "object" ? numbersOf(model, value.node, property, depth + 1) : value.type === "unknown" ? numbersOf(model, value.node, place.key ? property : key, depth + 1, inObject && !place.key) : undefined;
      if (!found) return undefined;
      out.push(...found);
    }
    return out;
  }
  return undefined;
}

