/**
 * Streams: Node stream objects whose write side does traced work (`new Writable({ write(...) { ... } })`, a
 * `Transform` subclass's `_transform`), and the pipes that feed them (`source.pipe(sink)`, `pipeline(source, ...,
 * sink)`). A stream's `write`/`transform`/`flush`/`final` callbacks run inside whatever call writes to it: for a piped
 * stream, the source's `data` handler, so the async context of whoever writes to the source (a timer started at load,
 * another request). A source made during the traced scope (`Readable.from(items)`, `fs.createReadStream`) is fed in
 * the scope's context and nests; one made at load, imported, or kept by the module that made it for its own pump does
 * not (ground truth §2: listeners run in the emitter's context).
 *
 * The question answered here: which pipes written inside a traced scope hand write-side callbacks to a source that
 * something outside the scope drives.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { contains, enclosingFunction, isFunctionNode, memberName, nodesWithin, unwrapExpression, type FileNodes, type FunctionNode, type Node } from "./ast.js";
import type { ImportedCall } from "./summaries.js";
import type { Value, ValueFlow } from "./values.js";

/** The write-side callbacks of each Node stream class, as options (`write`) and as subclass methods (`_write`). */
const WRITE_SIDE: Readonly<Record<string, readonly string[]>> = {
  Writable: ["write", "writev", "final"],
  Duplex: ["write", "writev", "final"],
  Transform: ["transform", "flush", "final"],
  PassThrough: [],
};
/** The same, as a subclass writes them. */
const SUBCLASS_WRITE_SIDE: Readonly<Record<string, readonly string[]>> = {
  Writable: ["_write", "_writev", "_final"],
  Duplex: ["_write", "_writev", "_final"],
  Transform: ["_transform", "_flush", "_final"],
  PassThrough: ["_transform", "_flush", "_final"],
};
const STREAM_MODULE = /^(?:node:)?stream(?:\/promises)?$/;
/** Calls on a source, inside the scope, that feed it there (the sink's callbacks then run in the scope's context). */
const FEEDING_METHODS = new Set(["write", "push", "end", "unshift"]);
const MAX_DEPTH = 3;

/** A stream callback that does traced work: a function of this file, or a parameter another module's factory calls there. */
export type StreamCallback =
  | { type: "function"; fn: FunctionNode; name: string }
  /** Argument `index` of a call of another module's factory that calls it inside the stream's write side. */
  | { type: "argument"; call: TSESTree.CallExpression; index: number; name: string };

export interface StreamPipe {
  /** The `pipe` or `pipeline` call. */
  site: TSESTree.CallExpression;
  method: "pipe" | "pipeline";
  /** The stream whose writes drive the sinks. */
  source: Node;
  /** A stage the source feeds, and the stream callbacks of it that do traced work. */
  sinks: { node: Node; callbacks: StreamCallback[] }[];
}

/** What a stream's write side does with each chunk (`write(task, enc, done) { task.run() ... }`). */
export interface WriteSide {
  /** It calls the chunk, or a method of it (`task.run()`, `message.render()`): the writer's functions run there. */
  runsChunk: boolean;
  /** It does traced work itself (for the chunk's data). */
  tracedWork: boolean;
}

/** `stream.write(item)` on a stream whose write side runs the chunk or does traced work. */
export interface StreamWrite {
  site: TSESTree.CallExpression;
  stream: Node;
  item: Node;
  side: WriteSide;
}

export interface StreamsModel {
  nodes: FileNodes;
  variableOf(id: TSESTree.Identifier): unknown;
  values: ValueFlow;
  text: string;
  resolveApi(expr: Node | undefined | null): { module: string; name: string } | undefined;
  functionDoesTracedWork(fn: FunctionNode): boolean;
  callbackDoesTracedWork(expr: Node): boolean;
  isCreatedInside(expr: Node, fn: FunctionNode): boolean;
  rootVariable(expr: Node): unknown;
  /** What another project module's export says about its stream (an instance, a class, a factory's result). */
  importedWriteSide(value: Value): WriteSide | undefined;
}

export class Streams {
  private pipeList: StreamPipe[] | undefined;

  constructor(private readonly model: StreamsModel) {}

  /** Every `pipe`/`pipeline` call of this file whose later stages have write-side callbacks doing traced work. */
  pipes(): StreamPipe[] {
    if (this.pipeList) return this.pipeList;
    const out: StreamPipe[] = [];
    if (!/\.pipe\s*\(|\bpipeline\s*\(/.test(this.model.text)) return (this.pipeList = out);
    for (const call of this.model.nodes.calls) {
      if (call.type !== "CallExpression" || call.arguments.some((a) => a.type === "SpreadElement")) continue;
      const callee = unwrapExpression(call.callee);
      let source: Node | undefined;
      let stages: Node[] = [];
      let method: StreamPipe["method"];
      if (callee.type === "MemberExpression" && memberName(callee) === "pipe" && call.arguments.length >= 1) {
        // `source.pipe(sink)`; a runnable's `pipe` takes no stream, so its argument has no write side.
        source = callee.object;
        stages = [call.arguments[0] as Node];
        method = "pipe";
      } else if (this.isPipeline(callee) && call.arguments.length >= 2) {
        source = call.arguments[0] as Node;
        stages = (call.arguments.slice(1) as Node[]).filter((a) => !isFunctionNode(unwrapExpression(a)));
        method = "pipeline";
      } else continue;
      const sinks = stages.map((node) => ({ node, callbacks: this.tracedCallbacksOf(node) })).filter((s) => s.callbacks.length > 0);
      if (sinks.length > 0) out.push({ site: call, method, source, sinks });
    }
    return (this.pipeList = out);
  }

  /**
   * Whether the source of a pipe written in `fn` is driven from outside `fn`: made before `fn` ran (at load, by the
   * caller, imported) and not fed by `fn` itself after the pipe; or made by a function that also keeps it in storage
   * of its module (a map of open channels a pump writes to).
   */
  drivenOutside(pipe: StreamPipe, fn: FunctionNode): boolean {
    const source = this.head(pipe);
    if (this.model.isCreatedInside(source, fn)) return this.retainedByMaker(source, 0);
    return !this.fedInside(source, fn, pipe.site);
  }

  /** The stream that feeds a pipe: its source, or the head of a chain (`a.pipe(b).pipe(sink)`: `a`). */
  head(pipe: StreamPipe): Node {
    let source = unwrapExpression(pipe.source);
    for (let depth = 0; source.type === "CallExpression" && depth < 8; depth++) {
      const callee = unwrapExpression(source.callee);
      if (callee.type !== "MemberExpression" || memberName(callee) !== "pipe") break;
      source = unwrapExpression(callee.object);
    }
    return source;
  }

  /** The stream callbacks of a sink expression that do traced work. */
  tracedCallbacksOf(expr: Node): StreamCallback[] {
    const out: StreamCallback[] = [];
    for (const value of this.model.values.valuesOf(unwrapExpression(expr))) {
      if (value.type === "new") {
        for (const [name, fn] of this.writeSide(value.node as TSESTree.NewExpression)) if (this.model.functionDoesTracedWork(fn)) out.push({ type: "function", fn, name });
      } else if (value.type === "call") {
        const imported = this.model.values.importedCall(value.node);
        for (const index of imported?.summary.streamCallsParams ?? []) {
          const arg = (value.node as TSESTree.CallExpression).arguments[index];
          if (arg && arg.type !== "SpreadElement" && this.model.callbackDoesTracedWork(arg)) out.push({ type: "argument", call: value.node as TSESTree.CallExpression, index, name: importedName(imported!) });
        }
      }
    }
    return out;
  }

  /** Every `x.write(item)` of this file on a stream whose write side runs the chunk or does traced work. */
  writes(): StreamWrite[] {
    if (this.writeList) return this.writeList;
    const out: StreamWrite[] = [];
    if (!/\.write\s*\(/.test(this.model.text)) return (this.writeList = out);
    for (const call of this.model.nodes.calls) {
      if (call.type !== "CallExpression" || call.arguments.length === 0 || call.arguments[0].type === "SpreadElement") continue;
      const callee = unwrapExpression(call.callee);
      if (callee.type !== "MemberExpression" || memberName(callee) !== "write") continue;
      const side = this.writeSideOf(callee.object);
      if (side && (side.runsChunk || side.tracedWork)) out.push({ site: call, stream: callee.object, item: call.arguments[0] as Node, side });
    }
    return (this.writeList = out);
  }
  private writeList: StreamWrite[] | undefined;

  /** What the write side of the stream an expression holds does: made in this file, or by another module. */
  writeSideOf(expr: Node): WriteSide | undefined {
    const values = this.model.values.valuesOf(unwrapExpression(expr));
    if (values.length !== 1) return undefined;
    const value = values[0];
    if (value.type === "new") {
      const local = this.sideOf(this.writeSide(value.node as TSESTree.NewExpression));
      if (local) return local;
      const callee = this.model.values.valuesOf(unwrapExpression((value.node as TSESTree.NewExpression).callee));
      return callee.length === 1 ? this.model.importedWriteSide(callee[0]) : undefined;
    }
    if (value.type === "call") {
      const callee = this.model.values.valuesOf(unwrapExpression((value.node as TSESTree.CallExpression).callee));
      const side = callee.length === 1 ? this.model.importedWriteSide(callee[0]) : undefined;
      if (!side) return undefined;
      // A factory calling a traced function the caller passes (`createWriter(writeBatch)`).
      const passed = this.tracedCallbacksOf(value.node).length > 0;
      return passed ? { ...side, tracedWork: true } : side;
    }
    return this.model.importedWriteSide(value);
  }

  /** Whether a `write(chunk, encoding, done)` / `transform(...)` callback calls `done` only in its own body, never later. */
  private completesSynchronously(fn: FunctionNode): boolean {
    const done = fn.params[2];
    if (!done || done.type !== "Identifier") return false;
    const variable = this.model.variableOf(done);
    let direct = false;
    for (const call of nodesWithin(this.model.nodes.calls, fn)) {
      if (call.type !== "CallExpression") continue;
      const callee = unwrapExpression(call.callee);
      const passed = call.arguments.some((a) => a.type !== "SpreadElement" && unwrapExpression(a).type === "Identifier" && this.model.variableOf(unwrapExpression(a) as TSESTree.Identifier) === variable);
      const called = callee.type === "Identifier" && this.model.variableOf(callee) === variable;
      if (!called && !passed) continue;
      if (passed || enclosingFunction(call) !== fn) return false; // handed on, or called from a callback: later
      direct = true;
    }
    return direct;
  }

  /** For an exported value (a stream made at load, a stream class, a factory): what its write side does. */
  exportWriteSide(node: Node): WriteSide | undefined {
    const expr = unwrapExpression(node);
    if (expr.type === "ClassDeclaration" || expr.type === "ClassExpression") return this.sideOf(this.classWriteSide(expr));
    for (const value of this.model.values.valuesOf(expr)) {
      const made =
        value.type === "new" ? [value.node as TSESTree.NewExpression]
        : value.type === "function" ? (this.model.nodes.returns.get(value.fn) ?? []).flatMap((r) => this.model.values.valuesOf(unwrapExpression(r)).flatMap((v) => (v.type === "new" ? [v.node as TSESTree.NewExpression] : [])))
        : [];
      const side = value.type === "class" ? this.sideOf(this.classWriteSide(value.node as TSESTree.ClassDeclaration)) : made.map((m) => this.sideOf(this.writeSide(m))).find((found) => found);
      if (side) return side;
    }
    return undefined;
  }

  /** What a stream's write-side callbacks do with each chunk; undefined when it has none. */
  private sideOf(named: [string, FunctionNode][]): WriteSide | undefined {
    if (named.length === 0) return undefined;
    const all = named.map(([, fn]) => fn);
    // A write side that calls its completion callback synchronously (`record.deliver(x); done()`) finishes each
    // chunk inside the `write()` that brought it: nothing waits in the buffer for another writer's completion.
    const callbacks = all.filter((fn) => !this.completesSynchronously(fn));
    const runsChunk = callbacks.some((fn) => {
      const chunk = fn.params[0];
      if (!chunk || chunk.type !== "Identifier") return false;
      const variable = this.model.variableOf(chunk);
      return nodesWithin(this.model.nodes.calls, fn).some((call) => {
        if (call.type !== "CallExpression") return false;
        let callee = unwrapExpression(call.callee);
        if (callee.type === "MemberExpression") callee = unwrapExpression(callee.object);
        return callee.type === "Identifier" && this.model.variableOf(callee) === variable;
      });
    });
    return { runsChunk, tracedWork: callbacks.some((fn) => this.model.functionDoesTracedWork(fn)) };
  }

  /** The parameters of `fn` that a stream it returns calls in its write side (for its summary). */
  paramsCalledByReturnedStream(fn: FunctionNode, returns: readonly Node[]): number[] {
    const out = new Set<number>();
    for (const r of returns) {
      for (const value of this.model.values.valuesOf(unwrapExpression(r))) {
        if (value.type !== "new" || !contains(fn, value.node)) continue;
        for (const [, callback] of this.writeSide(value.node as TSESTree.NewExpression)) {
          for (const call of nodesWithin(this.model.nodes.calls, callback)) {
            if (call.type !== "CallExpression") continue;
            const callee = unwrapExpression(call.callee);
            if (callee.type !== "Identifier") continue;
            const def = (this.model.variableOf(callee) as { defs: readonly { type: string; node: unknown }[] } | undefined)?.defs[0];
            if (def?.type !== "Parameter" || def.node !== fn) continue;
            const index = fn.params.findIndex((p) => p.type === "Identifier" && p.name === callee.name);
            if (index >= 0) out.add(index);
          }
        }
      }
    }
    return [...out];
  }

  /** `new Writable({ write })`, `new Transform({ transform, flush })`, or `new Sub()` of a stream subclass of this file. */
  private writeSide(made: TSESTree.NewExpression): [string, FunctionNode][] {
    const api = this.model.resolveApi(made.callee);
    if (api && STREAM_MODULE.test(api.module) && api.name in WRITE_SIDE) {
      const options = made.arguments[0];
      if (!options || options.type === "SpreadElement") return [];
      const out: [string, FunctionNode][] = [];
      for (const object of this.model.values.valuesOf(unwrapExpression(options))) {
        if (object.type !== "object") continue;
        for (const p of (object.node as TSESTree.ObjectExpression).properties) {
          if (p.type !== "Property" || p.computed || p.key.type !== "Identifier" || !WRITE_SIDE[api.name]!.includes(p.key.name)) continue;
          const fn = this.functionOf(p.value as Node);
          if (fn) out.push([p.key.name, fn]);
        }
      }
      return out;
    }
    // A class of this file extending a stream class: its `_write`, `_transform`, ... (also from a class between).
    const classes = this.model.values.valuesOf(unwrapExpression(made.callee)).filter((v): v is Extract<Value, { type: "class" }> => v.type === "class");
    return classes.length === 1 ? this.classWriteSide(classes[0].node as TSESTree.ClassDeclaration) : [];
  }

  private classWriteSide(start: TSESTree.ClassDeclaration | TSESTree.ClassExpression): [string, FunctionNode][] {
    const out: [string, FunctionNode][] = [];
    let cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined = start;
    for (let depth = 0; cls && depth < MAX_DEPTH; depth++) {
      for (const member of cls.body.body) {
        if (member.type !== "MethodDefinition" || member.static || member.kind !== "method" || member.key.type !== "Identifier") continue;
        const name = member.key.name;
        if (!out.some(([known]) => known === name)) out.push([name, member.value as FunctionNode]);
      }
      const base = cls.superClass ? this.model.resolveApi(cls.superClass) : undefined;
      const names = base && STREAM_MODULE.test(base.module) ? SUBCLASS_WRITE_SIDE[base.name] : undefined;
      if (names) return out.filter(([name]) => names.includes(name));
      const next: Extract<Value, { type: "class" }>[] = cls.superClass ? this.model.values.valuesOf(cls.superClass).filter((v): v is Extract<Value, { type: "class" }> => v.type === "class") : [];
      cls = next.length === 1 ? (next[0].node as TSESTree.ClassDeclaration) : undefined;
    }
    return [];
  }

  private functionOf(expr: Node): FunctionNode | undefined {
    const node = unwrapExpression(expr);
    if (isFunctionNode(node)) return node;
    const values = this.model.values.valuesOf(node);
    return values.length === 1 && values[0].type === "function" ? values[0].fn : undefined;
  }

  private isPipeline(callee: Node): boolean {
    const api = this.model.resolveApi(callee);
    return !!api && STREAM_MODULE.test(api.module) && api.name === "pipeline";
  }

  /** `fn` feeds the source itself after the pipe (`source.write(...)`, `source.end()`): the sinks run in its context. */
  private fedInside(source: Node, fn: FunctionNode, site: Node): boolean {
    const root = this.model.rootVariable(source);
    if (!root) return false;
    for (const call of nodesWithin(this.model.nodes.calls, fn)) {
      if (call.type !== "CallExpression" || call.range[0] < site.range[1]) continue;
      const callee = unwrapExpression(call.callee);
      if (callee.type === "MemberExpression" && FEEDING_METHODS.has(memberName(callee) ?? "") && this.model.rootVariable(callee.object) === root) {
        if (enclosingFunction(call) === fn || enclosingFunction(call) === enclosingFunction(site)) return true;
      }
    }
    return false;
  }

  /**
   * A source made during the scope by a function that also keeps it in storage of its module (`channels.set(id,
   * out); return out`): whoever reads that storage writes to it, outside the scope.
   */
  private retainedByMaker(source: Node, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    const node = unwrapExpression(source);
    if (node.type === "Identifier") {
      const values = this.model.values.valuesOf(node);
      return values.length > 0 && values.some((v) => v.type === "call" && this.retainedByMaker(v.node as Node, depth + 1));
    }
    if (node.type !== "CallExpression") return false;
    const imported = this.model.values.importedCall(node);
    if (imported) return imported.summary.returnsRetained === true;
    const fns = this.model.values.valuesOf(unwrapExpression(node.callee)).filter((v): v is Extract<Value, { type: "function" }> => v.type === "function");
    return fns.length === 1 && returnsRetained(this.model, fns[0].fn, this.model.nodes.returns.get(fns[0].fn) ?? []);
  }
}

/** Storage that outlives a call: `set`/`push`/`add`/`unshift` on it keeps its argument. */
const KEEPING_METHODS: Readonly<Record<string, number>> = { set: 1, push: 0, add: 0, unshift: 0 };

/**
 * Whether every value `fn` returns is an object it made (`const out = new PassThrough()`) and also keeps in storage
 * declared outside it (`channels.set(id, out)`, `open.push(out)`, `current = out`).
 */
export function returnsRetained(model: Pick<StreamsModel, "nodes" | "variableOf" | "rootVariable">, fn: FunctionNode, returns: readonly Node[]): boolean {
  if (returns.length === 0) return false;
  const outer = (expr: Node): boolean => {
    const root = model.rootVariable(expr) as { scope?: { block: Node } } | undefined;
    const block = root?.scope?.block;
    return !!block && !contains(fn, block);
  };
  return returns.every((r) => {
    const id = unwrapExpression(r);
    if (id.type !== "Identifier") return false;
    const variable = model.variableOf(id) as { defs: readonly { type: string; node: unknown }[] } | undefined;
    if (!variable || variable.defs[0]?.type !== "Variable") return false;
    const init = (variable.defs[0].node as TSESTree.VariableDeclarator).init;
    if (!init || unwrapExpression(init).type !== "NewExpression") return false;
    const same = (arg: Node | undefined) => !!arg && arg.type !== "SpreadElement" && unwrapExpression(arg).type === "Identifier" && model.variableOf(unwrapExpression(arg) as TSESTree.Identifier) === variable;
    for (const call of nodesWithin(model.nodes.calls, fn)) {
      if (call.type !== "CallExpression") continue;
      const callee = unwrapExpression(call.callee);
      const method = callee.type === "MemberExpression" ? memberName(callee) : undefined;
      if (method === undefined || !(method in KEEPING_METHODS)) continue;
      if (same(call.arguments[KEEPING_METHODS[method]!] as Node | undefined) && outer((callee as TSESTree.MemberExpression).object)) return true;
    }
    for (const assignment of model.nodes.assignments) {
      if (!contains(fn, assignment) || !same(assignment.right)) continue;
      if (outer(assignment.left)) return true;
    }
    return false;
  });
}

function importedName(call: ImportedCall): string {
  return call.localName;
}
