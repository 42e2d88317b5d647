/**
 * Value flow: the values an expression may hold, followed through local and module-level variables (their
 * initialisers and every later assignment), object properties, array elements, destructuring, `for ... of`,
 * function returns and parameters (a parameter holds what the file's call sites pass), and what kind of thing each
 * value is (a traceable, a runnable, a limiter, ...).
 *
 * Everything is computed on demand and cached per node; recursion is bounded by depth and guarded against cycles,
 * so the answers are sound for what one file (plus the project index) can see, and "unknown" elsewhere.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import type { KeptConfig } from "./kept-configs.js";
import { builtinModules } from "node:module";
import {
  RUNNABLE_DERIVING_METHODS,
  TRACED_CLIENT_WRAPPERS,
  isLangchainModule,
  isLanggraphModule,
  isLangsmithModule,
  queueLibraryOf,
} from "../apis.js";
import type { MinimalVariable } from "../scope.js";
import { isProjectSpecifier, patternKeyFor, type ApiRef, type ApiResolver } from "./api.js";
import { classMemberKey, contains, enclosingFunction, isFunctionNode, memberName, nodesWithin, propertyKey, unwrapExpression, type CallLike, type FileNodes, type FunctionNode, type Node } from "./ast.js";
import type { Bindings } from "./bindings.js";
import type { ConfigHelperFacts } from "./config-helpers.js";
import { importedCallSummary, type FunctionSummary, type ImportedCall, type SummaryLookup } from "./summaries.js";

/** What a value is, as far as the model can tell. */
export type ValueKind =
  | "traceable-fn"
  | "task-fn"
  | "runnable"
  | "graph-builder"
  | "traced-client"
  | "p-limit"
  | "p-queue"
  | "async-queue"
  | "fastq-queue"
  | "foreign"
  /** A plain function that starts child runs when called (only as another module passes it: an injected argument). */
  | "traced-work-fn"
  /** `AsyncLocalStorage.snapshot` itself, uncalled, as another module passes it (an option to capture callers' context). */
  | "context-capture"
  | "unknown";

export type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/** Array methods that add elements in place. */
const GROWING_METHODS = new Set(["push", "unshift", "splice", "fill"]);

/** Methods of Node's emitters and streams that return the object itself. */
const NODE_CHAINING_METHODS = new Set(["on", "once", "addListener", "prependListener", "prependOnceListener", "off", "removeListener", "setEncoding", "setMaxListeners", "resume", "pause", "setDefaultEncoding"]);
const NODE_EMITTER_MODULE = /^(node:)?(events|stream|stream\/promises|net|readline)$/;

/** One value an expression may hold. */
export type Value =
  | { type: "function"; fn: FunctionNode }
  | { type: "object"; node: TSESTree.ObjectExpression }
  | { type: "array"; node: TSESTree.ArrayExpression }
  | { type: "new"; node: TSESTree.NewExpression }
  /** The result of a call the model does not look into (a library call, an unknown callee). */
  | { type: "call"; node: TSESTree.CallExpression }
  /** A library export or a member of one. */
  | { type: "api"; api: ApiRef; node: Node }
  /** An export of one of the project's own modules (resolved by the project index). */
  | { type: "import"; module: string; name: string; node: Node }
  /** A parameter of a callback that a library call (made at `call`) invokes: the library supplies it. */
  | { type: "callback-param"; fn: FunctionNode; index: number; call: CallLike }
  | { type: "this"; node: Node }
  | { type: "class"; node: ClassNode }
  /**
   * A partial application of a traceable (`extract.bind(null, { req, page })`): a new function object, made where
   * the `.bind(...)` call runs, that starts the traceable's runs with some arguments fixed. `target` holds the
   * values of the bound function.
   */
  | { type: "bound"; node: TSESTree.CallExpression; target: Value[] }
  /**
   * A part of an export of one of the project's modules: each of the property values of an exported object (a loop
   * over `Object.entries` / `Object.values` of an imported object). What it holds is known in that module only.
   */
  | { type: "imported-part"; module: string; name: string; part: "each"; node: Node }
  /**
   * What another project module passes to a constructor parameter of a class this file exports (`new Service(queue)`
   * there), as that module judges it: its kind and, for a queue library's object, the module that loads the library.
   */
  | { type: "injected"; kind: ValueKind; loadedBy?: LoadedBy; numbers?: Readonly<Record<string, number>>; instanceOf?: { file: string; name: string }; properties?: InjectedArgument["properties"]; propertyKinds?: InjectedArgument["propertyKinds"]; node: Node }
  /** `writtenKeys`: an options object some unseen callers pass, of which only these keys may be written. */
  | { type: "unknown"; node: Node; writtenKeys?: readonly string[] };

/** A module and the package names it loads a queue library as (`p-queue-8`): its install decides the version. */
export interface LoadedBy {
  file: string;
  packages: string[];
}

/** One argument of a `new` of an exported class made in another module: each kind it may have. */
export interface InjectedArgument {
  kind: ValueKind;
  /** An instance of a class another project module exports (`new ModelHost(10)`): its file (absolute) and export. */
  instanceOf?: { file: string; name: string };
  loadedBy?: LoadedBy;
  /** The numbers the argument spells out: itself (key `""`), or the numeric properties of an options object literal. */
  numbers?: Readonly<Record<string, number>>;
  /**
   * For an object literal: its properties that hold instances of project classes (`createBot({ limiter: new Bucket()
   * })`), or, with `returned`, the function a project module's exported factory returns (`{ limit: createLimiter(1)
   * }`: `name` is then the export path `createLimiter()`).
   */
  properties?: Readonly<Record<string, { file: string; name: string; returned?: true }>>;
  /** For an object literal: the kinds the model knows of its other properties (`{ render: renderLabel }`: a traceable). */
  propertyKinds?: Readonly<Record<string, readonly ValueKind[]>>;
}

/**
 * The project index as value flow sees it: what other modules pass to parameter `index` of the class exported as `name`
 * (`call`: of the function or method exported as `name`, `rpc.call`).
 */
export type ConstructionLookup = (name: string, index: number, call: boolean) => InjectedArgument[];

/** What the project index knows about an export of another module. */
export interface ExportFacts {
  kind: ValueKind;
  /** The property names the module reads anywhere (`p.requestedBy`, `const { trace } = job`): what its code may use of an item. */
  keysRead?: string[];
  /** For a class: whether the `then` of its instances keeps the callbacks it is given for later (a userland thenable). */
  instancesKeepThenCallbacks?: boolean;
  /** For a class: the members of `this` its own code calls (`this.onComplete?.(result)`): a function stored there runs later. */
  calledFields?: string[];
  /**
   * For a class (or an instance of one): for each field in `calledFields`, the methods whose calls run it (the call
   * sits in the method's body, or in a loop or timer the method starts), or null when something else runs it too
   * (the constructor's timer, a listener).
   */
  fieldCallers?: Readonly<Record<string, readonly string[] | null>>;
  /** For a class: whether its instances run their listeners in the context they were made in (an `EventEmitterAsyncResource`). */
  instancesPinListeners?: boolean;
  /**
   * For a function made at load by a batcher factory (`export const loadArtist = createLoader(fetchArtists)`): its
   * drain does traced work, with what the factory call passes or of its own. Every caller's items share it.
   */
  sharedBatcher?: boolean;
  /**
   * For a Node stream made at load, a stream class, or a function returning a stream: what its write side does with
   * each chunk (see streams.ts).
   */
  writeSide?: { runsChunk: boolean; tracedWork: boolean };
  doesTracedWork: boolean;
  /** For a traceable: whether the function it wraps declares a RunTree first parameter (see run-trees.ts). */
  runTreeFirst?: boolean;
  /** For a queue: the least concurrency it is made with, when the code spells it (`model/concurrency.ts`). */
  concurrency?: number;
  /** For a generator function: which kind (see iterators.ts). */
  generator?: "sync" | "async";
  /**
   * For a function that returns a lazy iterable (an object whose `[Symbol.asyncIterator]` / `[Symbol.iterator]` is a
   * generator): which kind of generator (see iterators.ts).
   */
  iterable?: "sync" | "async";
  /** For a function that starts child runs without a config: how to hand it one (see config-helpers.ts). */
  configHelper?: ConfigHelperFacts;
  /** An object literal of plain options: no spreads, no `callbacks` (a config's defaults, `{ tags, metadata }`). */
  plainOptions?: boolean;
  /** For a function: it hands a parameter to a call that pins the async context (`withRunTree(rt, fn)`). */
  pinsCallbacks?: boolean;
  /** For a value (not a function): a userland thenable whose `then` keeps its callbacks for whoever settles it later. */
  keepsThenCallbacks?: boolean;
  /** For a function: whether every value it returns is a fresh object of plain options (`makeOptions(state)`). */
  returnsPlainOptions?: boolean;
  /**
   * For a function: whether every value it returns is a config without its callbacks (`const { callbacks, ...rest } =
   * config; return rest`, or a literal that clears them): see config-helpers.ts `stripsCallbacks`.
   */
  returnsWithoutCallbacks?: boolean;
  /** For a function: the parameters its body never reads (a config handed there is dropped). */
  ignoredParams?: number[];
  /** For a queue or limiter: where it was made (its module's install of the library decides its version). */
  loadedBy?: LoadedBy;
  /** For a class: the kind of its instances, when known (a subclass of a LangChain `Runnable`: "runnable"). */
  instanceKind?: ValueKind;
  /** For a function: the config parameters it keeps from its first call and hands back (see kept-configs.ts). */
  keepsFirstConfig?: KeptConfig[];
  /**
   * For an emitter: the store a listener of its module keeps an event's payload in (`jobs.on("x", (job) =>
   * buffer.push(job))`), as text (see handoffs.ts `eventPayloadKeeper`).
   */
  payloadKeeper?: (event: string) => string | undefined;
  /** For an exported emitter: the module's functions that emit on it (`pumpOutbox` calling `smtpEvents.emit(...)`). */
  emittedBy?: string[];
}

/** The project index as value flow sees it: facts about `name` exported by `module`, imported from `fromFile`. */
export type ImportLookup = (module: string, name: string) => ExportFacts | undefined;

const MAX_DEPTH = 8;
const TRACEABLE_KINDS: readonly ValueKind[] = ["traceable-fn", "task-fn"];
const ELEMENT_READING_METHODS = new Set(["shift", "pop", "at", "find", "findLast"]);
const ELEMENT_WRITING_METHODS = new Set(["push", "unshift"]);

export class ValueFlow {
  private readonly cache = new Map<Node, Value[]>();
  private readonly variableCache = new Map<MinimalVariable, Value[]>();
  private readonly paramCache = new Map<FunctionNode, Map<number, Value[]>>();
  private readonly callSiteCache = new Map<FunctionNode, { sites: CallLike[]; escapes: boolean }>();
  private readonly setterWrites = new Map<FunctionNode, Node[]>();
  private methodCalls: Map<string, TSESTree.CallExpression[]> | undefined;
  private readonly kindCache = new Map<Node, ValueKind[]>();
  private readonly active = new Set<unknown>();
  private propertyWrites: Map<string, TSESTree.AssignmentExpression[]> | undefined;
  private elementWrites: Map<MinimalVariable, Node[]> | undefined;

  constructor(
    private readonly bindings: Bindings,
    private readonly apis: ApiResolver,
    private readonly nodes: FileNodes,
    private readonly lookupImport: ImportLookup = () => undefined,
    private readonly lookupSummary?: SummaryLookup,
    private readonly lookupConstruction?: ConstructionLookup,
    /** Whether a project module (as written here) may hand data to a worker queue or channel (a text check). */
    private readonly mayQueueData: (module: string) => boolean = () => true,
    /** Whether a project module (as written here) may make tasks that start traced runs (a text check). */
    private readonly mayMakeTracedTasks: (module: string) => boolean = () => true,
    /** The name another module imports a function or method of this file by (`createClient`, `rpc.call`). */
    private readonly exportNameOf?: (fn: FunctionNode | ClassNode) => string | undefined,
    /** Whether this file keeps work for later (a queue library, a timer): only then are its exports' callers asked. */
    private readonly asksCallers: () => boolean = () => false,
    /** The keys other modules' calls of an export write at an argument (see `ProjectFacts.argumentKeys`). */
    private readonly lookupArgumentKeys: (name: string, index: number, call: boolean) => { keys: string[]; passed: boolean } | undefined = () => undefined,
  ) {}

  // ---------------------------------------------------------------------------------------------------------------
  // Values
  // ---------------------------------------------------------------------------------------------------------------

  /** The values `expr` may hold. */
  valuesOf(expr: Node | null | undefined, depth = 0): Value[] {
    if (!expr) return [];
    const node = unwrapExpression(expr);
    const cached = this.cache.get(node);
    if (cached) return cached;
    if (depth > MAX_DEPTH || this.active.has(node)) return [{ type: "unknown", node }];
    this.active.add(node);
    let result: Value[];
    try {
      result = dedupe(this.compute(node, depth));
    } finally {
      this.active.delete(node);
    }
    if (depth === 0 || this.active.size === 0) this.cache.set(node, result);
    return result;
  }

  private compute(node: Node, depth: number): Value[] {
    const next = depth + 1;
    switch (node.type) {
      case "ArrowFunctionExpression":
      case "FunctionExpression":
      case "FunctionDeclaration":
        return [{ type: "function", fn: node }];
      case "ObjectExpression":
        return [{ type: "object", node }];
      case "ArrayExpression":
        return [{ type: "array", node }];
      case "NewExpression":
        return [{ type: "new", node }];
      case "ClassExpression":
        return [{ type: "class", node }];
      case "ThisExpression":
        return [{ type: "this", node }];
      case "Literal":
      case "TemplateLiteral":
      case "BinaryExpression":
      case "UnaryExpression":
      case "UpdateExpression":
        return [];
      case "AwaitExpression":
        return this.valuesOf(node.argument, next);
      case "ConditionalExpression":
        return [...this.valuesOf(node.consequent, next), ...this.valuesOf(node.alternate, next)];
      case "LogicalExpression":
        // `a && b` is `a` only when `a` is falsy, which no function or object is: its values are `b`'s.
        if (node.operator === "&&") return this.valuesOf(node.right, next);
        return [...this.valuesOf(node.left, next), ...this.valuesOf(node.right, next)];
      case "SequenceExpression":
        return this.valuesOf(node.expressions[node.expressions.length - 1], next);
      case "AssignmentExpression":
        return this.valuesOf(node.right, next);
      case "Identifier":
        return this.identifierValues(node, next);
      case "MemberExpression":
        return this.memberValues(node, next);
      case "CallExpression":
        return this.callValues(node, next);
      default:
        return [{ type: "unknown", node }];
    }
  }

  private identifierValues(node: TSESTree.Identifier, depth: number): Value[] {
    const variable = this.bindings.variableOf(node);
    if (!variable) return node.name === "undefined" ? [] : [{ type: "unknown", node }];
    return this.variableValues(variable, node, depth);
  }

  /** Every value a variable may hold: its definition and every assignment to it anywhere in the file. */
  variableValues(variable: MinimalVariable, at: Node, depth = 0): Value[] {
    const cached = this.variableCache.get(variable);
    if (cached) return cached;
    if (this.active.has(variable)) return [];
    this.active.add(variable);
    const out: Value[] = [];
    try {
      for (const def of variable.defs) out.push(...this.definitionValues(variable, def.type, def.node as Node, def.name as Node, at, depth));
      for (const reference of variable.references as readonly { identifier: unknown; writeExpr?: unknown; init?: boolean }[]) {
        const write = reference.writeExpr as Node | null | undefined;
        if (!write || reference.init) continue;
        out.push(...this.valuesOf(write, depth));
      }
    } finally {
      this.active.delete(variable);
    }
    const result = dedupe(out);
    if (depth <= 1) this.variableCache.set(variable, result);
    return result;
  }

  private definitionValues(variable: MinimalVariable, type: string, defNode: Node, name: Node, at: Node, depth: number): Value[] {
    switch (type) {
      case "FunctionName":
        return isFunctionNode(defNode) ? [{ type: "function", fn: defNode }] : [];
      case "ClassName":
        return defNode.type === "ClassDeclaration" || defNode.type === "ClassExpression" ? [{ type: "class", node: defNode }] : [];
      case "ImportBinding": {
        const api = this.apis.resolveApi(name);
        if (!api) return [{ type: "unknown", node: at }];
        if (!isLibrarySpecifier(api.module)) return [{ type: "import", module: api.module, name: api.name, node: name }];
        return [{ type: "api", api, node: name }];
      }
      case "Variable": {
        const declarator = defNode as TSESTree.VariableDeclarator;
        const loop = declarator.parent?.parent;
        if (!declarator.init && loop && loop.type === "ForOfStatement") {
          const iterated = objectIteration(loop.right);
          if (iterated) return this.iteratedValues(declarator.id, name, iterated, depth);
          return this.patternValues(declarator.id, name, this.iterationValues(loop.right, depth), depth);
        }
        if (!declarator.init) return [];
        if (declarator.id.type === "Identifier") {
          const api = this.apis.resolveApi(declarator.init);
          if (api && !isProjectSpecifier(api.module) && api.name !== "*") return [{ type: "api", api, node: declarator.init }];
          return this.valuesOf(declarator.init, depth);
        }
        const api = this.apis.resolveApi(name);
        if (api) return [projectOrApiValue(api, name)];
        return this.patternValues(declarator.id, name, this.valuesOf(declarator.init, depth), depth);
      }
      case "Parameter": {
        if (!isFunctionNode(defNode)) return [{ type: "unknown", node: at }];
        const fn = defNode;
        const index = fn.params.findIndex((param) => param.range[0] <= name.range[0] && name.range[1] <= param.range[1]);
        if (index < 0) return [{ type: "unknown", node: at }];
        let param: Node = fn.params[index];
        // `constructor(private readonly queue: Queue)`: the parameter inside the property.
        if (param.type === "TSParameterProperty") param = param.parameter;
        // A default is one more value of the parameter: of the name itself, or of the pattern it is destructured by
        // (`{ config } = {}` leaves `config` undefined, it does not make it `{}`).
        let defaults: Value[] = [];
        if (param.type === "AssignmentPattern") {
          // A default no call leaves to apply (`{ wrap = (f) => f } = {}` with every call passing its options) is none.
          defaults = this.everyCallPasses(fn, index) ? [] : this.valuesOf(param.right, depth);
          param = param.left;
        }
        if (param.type === "RestElement") return [{ type: "unknown", node: at }];
        const out: Value[] = param.type === "Identifier" || param === name ? defaults : defaults.length === 0 ? [] : this.patternValues(param, name, defaults, depth);
        // `Object.entries(o).forEach(([key, value]) => ...)`: the callback's first parameter iterates `o`.
        const loop = fn.parent;
        const loopCallee = loop?.type === "CallExpression" && loop.arguments[0] === fn ? unwrapExpression(loop.callee) : undefined;
        const reduces = loopCallee?.type === "MemberExpression" && memberName(loopCallee) === "reduce";
        // `entries.reduce((graph, [name, fn]) => graph.addNode(name, fn), new StateGraph(State))`: the accumulator
        // starts as the initial value and is what the callback returns; the second parameter iterates.
        if (reduces && index === 0 && loop?.type === "CallExpression" && loop.arguments[1] && loop.arguments[1].type !== "SpreadElement") {
          return [...out, ...this.valuesOf(loop.arguments[1], depth + 1)];
        }
        if ((reduces ? index === 1 : index === 0) && loop?.type === "CallExpression" && loop.arguments[0] === fn) {
          const callee = unwrapExpression(loop.callee);
          const iterating = callee.type === "MemberExpression" && (reduces || ITERATING_METHODS.has(memberName(callee) ?? ""));
          const iterated = iterating ? objectIteration((callee as TSESTree.MemberExpression).object) : undefined;
          if (iterated) return [...out, ...this.iteratedValues(param, name, iterated, depth)];
          // `nodes.forEach((node, name) => ...)` over a Map: the first parameter takes each of its values.
          if (callee.type === "MemberExpression" && memberName(callee) === "forEach") {
            const maps = this.mapsOf(this.valuesOf(callee.object, depth));
            if (maps.length > 0) return [...out, ...this.patternValues(param, name, this.mapEntryValues(maps, depth), depth)];
          }
          // `plan.steps.map((step) => ...)` over arrays the model knows: the first parameter takes each element.
          if (callee.type === "MemberExpression" && iterating) {
            const arrays = this.valuesOf(callee.object, depth);
            if (arrays.length > 0 && arrays.every((v) => v.type === "array" || (v.type === "call" && derivedArray(v.node)))) return [...out, ...this.patternValues(param, name, this.elementValues(arrays, depth), depth)];
          }
        }
        const passed = this.parameterValues(fn, index, depth);
        if (param.type === "Identifier") out.push(...passed);
        else out.push(...this.patternValues(param, name, passed, depth));
        return out;
      }
      default:
        void variable;
        return [{ type: "unknown", node: at }];
    }
  }

  /** The values `name` takes in `pattern` when it iterates `Object.entries(o)` (as `[key, value]`) or `Object.values(o)`. */
  private iteratedValues(pattern: Node, name: Node, iterated: { form: "entries" | "values"; object: Node }, depth: number): Value[] {
    if (depth >= MAX_DEPTH) return [{ type: "unknown", node: name }];
    const values: Value[] = [];
    for (const object of this.valuesOf(iterated.object, depth + 1)) {
      const imported = projectExportOf(object);
      if (imported) values.push({ type: "imported-part", ...imported, part: "each", node: name });
      // A namespace import of a project module (`import * as nodes`): each of its exports.
      const namespace = object.type === "import" ? object.module : object.type === "api" && isProjectSpecifier(object.api.module) && object.api.name === "*" ? object.api.module : undefined;
      if (namespace !== undefined && !imported && (object.type !== "import" || object.name === "*")) values.push({ type: "imported-part", module: namespace, name: "*", part: "each", node: name });
      if (object.type !== "object") continue;
      for (const property of object.node.properties) {
        if (property.type === "Property") values.push(...this.valuesOf(property.value, depth + 1));
      }
    }
    if (iterated.form === "values") return this.patternValues(pattern, name, values, depth);
    if (pattern.type !== "ArrayPattern") return [{ type: "unknown", node: name }];
    const second = pattern.elements[1];
    if (second && second.range[0] <= name.range[0] && name.range[1] <= second.range[1]) return this.patternValues(second, name, values, depth);
    return [{ type: "unknown", node: name }];
  }

  /** The values bound to `name` inside a destructuring `pattern` whose source holds `source`. */
  private patternValues(pattern: Node, name: Node, source: Value[], depth: number): Value[] {
    if (pattern === name) return source;
    if (pattern.type === "Identifier") return pattern === name ? source : [];
    if (pattern.type === "AssignmentPattern") return [...this.patternValues(pattern.left, name, source, depth), ...this.valuesOf(pattern.right, depth)];
    if (pattern.type === "ObjectPattern") {
      for (const property of pattern.properties) {
        if (property.type !== "Property") continue;
        if (!(property.value.range[0] <= name.range[0] && name.range[1] <= property.value.range[1])) continue;
        const key = propertyKey(property);
        const inner = key === undefined ? [] : this.propertyValues(source, key, undefined, depth);
        // A property default that no source leaves to apply: every source is an object literal writing that key (a
        // traced function's own parameter stands for its wrapper's calls when every one of them passes it).
        const known = source.filter((v) => !this.standsForWrapperCalls(v));
        const everyHasKey = key !== undefined && known.length > 0 && known.every((v) => v.type === "object" && v.node.properties.some((p) => p.type === "Property" && propertyKey(p) === key));
        if (everyHasKey && property.value.type === "AssignmentPattern") return this.patternValues(property.value.left, name, inner, depth);
        // A defaulted property of an object the file cannot see (another module's caller, a library's callback
        // argument): what the caller puts there is unknown, not just the default.
        // (The importers' calls read as options literals, `writtenKeys`, say whether any passes the key; the injected
        // value that stands for those same calls then adds nothing.)
        const keysRead = known.find((v): v is Extract<Value, { type: "unknown" }> => v.type === "unknown" && !!v.writtenKeys);
        // Importer calls whose every value for the key is of a kind the index names (`captureContext:
        // AsyncLocalStorage.snapshot` in each): what they write is known.
        const injected = known.filter((v): v is Extract<Value, { type: "injected" }> => v.type === "injected");
        const writtenKnown = key !== undefined && injected.length > 0 && injected.every((v) => !!v.propertyKinds?.[key]);
        const unseen =
          property.value.type === "AssignmentPattern" &&
          property.value.left === name &&
          known.some((v) => (v.type === "unknown" && !(v.writtenKeys && key !== undefined && (!v.writtenKeys.includes(key) || writtenKnown))) || (v.type === "injected" && !(key !== undefined && v.propertyKinds?.[key]) && !(keysRead && key !== undefined && !keysRead.writtenKeys!.includes(key))) || v.type === "callback-param");
        if (unseen) return [...this.patternValues(property.value, name, inner, depth), { type: "unknown", node: name }];
        return this.patternValues(property.value, name, inner, depth);
      }
      void patternKeyFor;
      return [{ type: "unknown", node: name }];
    }
    if (pattern.type === "ArrayPattern") return this.patternValues(pattern.elements.find((e) => e && e.range[0] <= name.range[0] && name.range[1] <= e.range[1]) ?? name, name, this.elementValues(source, depth), depth);
    return [{ type: "unknown", node: name }];
  }

  /** The values of property `key` of any of `objects` (object literals, instances of local classes, `this`). */
  propertyValues(objects: Value[], key: string, member: TSESTree.MemberExpression | undefined, depth: number): Value[] {
    const out: Value[] = [];
    for (const object of objects) {
      switch (object.type) {
        case "object":
          for (const property of object.node.properties) {
            // Spreads are followed to the depth bound: an object may spread itself (`state = { ...state, x }`).
            if (property.type === "SpreadElement") out.push(...(depth < MAX_DEPTH ? this.propertyValues(this.valuesOf(property.argument, depth + 1), key, undefined, depth + 1) : []));
            else if (propertyKey(property) === key) {
              if (property.kind === "get") out.push(...this.returnedValues(property.value as FunctionNode, depth));
              else if (property.kind !== "set") out.push(...this.valuesOf(property.value, depth));
            }
          }
          break;
        case "new": {
          const cls = this.localClass(object.node.callee, depth);
          if (cls) out.push(...this.classMemberValues(cls, key, depth));
          else {
            // A constructor function of this file: its `F.prototype.key = ...` methods.
            const ctor = this.valuesOf(object.node.callee, depth).find((v): v is Extract<Value, { type: "function" }> => v.type === "function");
            const methods = ctor ? this.prototypeValues(ctor.fn, key, depth) : [];
            if (methods.length > 0) out.push(...methods);
            else if (member) out.push({ type: "unknown", node: member });
          }
          break;
        }
        case "this": {
          const cls = enclosingClass(object.node);
          if (cls) out.push(...this.classMemberValues(cls, key, depth));
          else {
            // `this` in a method of an object literal: that object.
            const owner = objectLiteralOfMethod(object.node);
            if (owner && depth < MAX_DEPTH) out.push(...this.propertyValues([{ type: "object", node: owner }], key, member, depth + 1));
          }
          break;
        }
        case "class":
          out.push(...this.classMemberValues(object.node, key, depth, true));
          break;
        case "function":
        case "array":
          break;
        case "injected": {
          // A dependency another module puts in the object it passes (`new ReportService({ limit: createLimiter(1) })`).
          const held = object.properties?.[key];
          const kinds = object.propertyKinds?.[key];
          if (held?.returned) out.push({ type: "import", module: held.file, name: held.name, node: member ?? object.node });
          else if (held) out.push({ type: "injected", kind: "unknown", instanceOf: { file: held.file, name: held.name }, node: member ?? object.node });
          else if (kinds) for (const kind of kinds) out.push({ type: "injected", kind, node: member ?? object.node });
          else if (member) out.push({ type: "unknown", node: member });
          break;
        }
        case "import":
          // A member of another module's export taken apart (`const { enqueue } = Jobs`: a static method).
          if (!member && !/[.(]/.test(object.name)) out.push({ type: "import", module: object.module, name: `${object.name}.${key}`, node: object.node });
          else if (member) out.push({ type: "unknown", node: member });
          break;
        case "call": {
          const entries = this.fromEntriesValues(object.node, depth);
          if (entries) {
            out.push(...entries);
            break;
          }
          // A part of what another module's exported function returns (`const { scorer } = makeContainer()`,
          // `container.scorer`): that module names it `makeContainer().scorer`.
          const made = depth < MAX_DEPTH ? singleProjectExport(this.valuesOf(object.node.callee, depth + 1)) : undefined;
          if (made && !/[.(]/.test(made.name)) out.push({ type: "import", module: made.module, name: `${made.name}().${key}`, node: member ?? object.node });
          else if (member) out.push({ type: "unknown", node: member });
          break;
        }
        default:
          if (member) out.push({ type: "unknown", node: member });
      }
    }
    // Objects spread into objects (`state = { ...state, x }` written many times) reach one value many ways.
    return out.length > 16 ? dedupe(out) : out;
  }

  /**
   * The values a `for…of` over `expr` takes: the elements of an array, the `[key, value]` pairs of a `Map` (also
   * through `.entries()`), a Map's values through `.values()`.
   */
  private iterationValues(expr: Node, depth: number): Value[] {
    const call = unwrapExpression(expr);
    if (call.type === "CallExpression" && call.arguments.length === 0) {
      const callee = unwrapExpression(call.callee);
      const method = callee.type === "MemberExpression" ? memberName(callee) : undefined;
      if (callee.type === "MemberExpression" && (method === "entries" || method === "values")) {
        const maps = this.mapsOf(this.valuesOf(callee.object, depth));
        if (maps.length > 0) return method === "entries" ? this.elementValues(maps, depth) : this.mapEntryValues(maps, depth);
      }
    }
    return this.elementValues(this.valuesOf(expr, depth), depth);
  }

  /** The `new Map(...)` values among `values`. */
  private mapsOf(values: Value[]): Extract<Value, { type: "new" }>[] {
    return values.filter((v): v is Extract<Value, { type: "new" }> => v.type === "new" && this.isGlobalConstructor(v.node, "Map"));
  }

  /** The values (the second element of each `[key, value]` pair) of `new Map(pairs)` values. */
  private mapEntryValues(maps: Extract<Value, { type: "new" }>[], depth: number): Value[] {
    const out: Value[] = [];
    for (const pair of this.elementValues(maps, depth)) {
      if (pair.type === "array") {
        const second = pair.node.elements[1];
        if (second && second.type !== "SpreadElement") out.push(...this.valuesOf(second, depth));
      } else out.push({ type: "unknown", node: "node" in pair ? pair.node : pair.fn });
    }
    // What `holder.set(key, value)` puts in later (`caps.set(user, pLimit(1))`).
    for (const map of maps) {
      const holder = this.holderVariable(map.node);
      if (holder) for (const written of this.mapSetsOf(holder)) out.push(...this.valuesOf(written, depth));
      else for (const written of this.fieldMapSets(map.node)) out.push(...this.valuesOf(written, depth));
    }
    return out;
  }

  /**
   * For a `new Map()` that initialises a class field (`static #buckets = new Map()`, `#cache = new Map()`): what the
   * class's `X.<field>.set(key, value)` calls put in (`TokenBucket.#buckets.set(key, new TokenBucket(opts))`).
   */
  private fieldMapSets(made: Node): Node[] {
    const field = made.parent;
    if (!field || field.type !== "PropertyDefinition" || field.value !== made) return [];
    const key = classMemberKey(field);
    const cls = enclosingClass(field);
    if (key === undefined || !cls) return [];
    const out: Node[] = [];
    for (const call of nodesWithin(this.nodes.calls, cls)) {
      if (call.type !== "CallExpression" || call.arguments.length !== 2 || call.arguments[1].type === "SpreadElement") continue;
      const callee = unwrapExpression(call.callee);
      if (callee.type !== "MemberExpression" || memberName(callee) !== "set") continue;
      const owner = unwrapExpression(callee.object);
      if (owner.type === "MemberExpression" && memberName(owner) === key && enclosingClass(owner) === cls) out.push(call.arguments[1]);
    }
    return out;
  }

  /** The values given to `holder.set(key, value)` anywhere in the file. */
  private mapSetsOf(holder: MinimalVariable): Node[] {
    if (!this.mapSets) {
      this.mapSets = new Map();
      for (const call of this.nodes.calls) {
        if (call.type !== "CallExpression" || call.arguments.length !== 2) continue;
        const callee = unwrapExpression(call.callee);
        if (callee.type !== "MemberExpression" || memberName(callee) !== "set") continue;
        const object = unwrapExpression(callee.object);
        const value = call.arguments[1];
        if (object.type !== "Identifier" || value.type === "SpreadElement") continue;
        const variable = this.bindings.variableOf(object);
        if (!variable) continue;
        const list = this.mapSets.get(variable);
        if (list) list.push(value);
        else this.mapSets.set(variable, [value]);
      }
    }
    return this.mapSets.get(holder) ?? [];
  }
  private mapSets: Map<MinimalVariable, Node[]> | undefined;

  /** An array, or a `new Map()` / `new WeakMap()` of the global classes: a collection its elements are read out of. */
  isCollection(value: Value): boolean {
    return value.type === "array" || (value.type === "new" && (this.isGlobalConstructor(value.node, "Map") || this.isGlobalConstructor(value.node, "WeakMap")));
  }

  /** `new Map(...)` / `new Set(...)` of the global class (not a local one of the same name). */
  /**
   * The values of an object made by `Object.fromEntries(pairs)` (`Object.fromEntries(docs.map((d) => [d, make(d)]))`):
   * the second element of each pair; undefined when the call is no such thing.
   */
  private fromEntriesValues(call: TSESTree.CallExpression, depth: number): Value[] | undefined {
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "MemberExpression" || memberName(callee) !== "fromEntries" || call.arguments.length !== 1) return undefined;
    const owner = unwrapExpression(callee.object);
    if (owner.type !== "Identifier" || owner.name !== "Object") return undefined;
    const variable = this.bindings.variableOf(owner);
    if (variable && variable.defs.length > 0) return undefined;
    const source = call.arguments[0];
    if (source.type === "SpreadElement" || depth >= MAX_DEPTH) return [{ type: "unknown", node: call }];
    const out: Value[] = [];
    for (const pair of this.elementValues(this.valuesOf(source, depth + 1), depth + 1)) {
      const value = pair.type === "array" ? pair.node.elements[1] : undefined;
      if (value && value.type !== "SpreadElement") out.push(...this.valuesOf(value, depth + 1));
      else out.push({ type: "unknown", node: call });
    }
    return out;
  }

  private isGlobalConstructor(node: TSESTree.NewExpression, name: "Map" | "Set" | "WeakMap"): boolean {
    const callee = unwrapExpression(node.callee);
    if (callee.type !== "Identifier" || callee.name !== name) return false;
    const variable = this.bindings.variableOf(callee);
    return !variable || variable.defs.length === 0;
  }

  /** What `F.prototype.key = value` assignments put on the prototype of constructor function `fn`. */
  private prototypeValues(fn: FunctionNode, key: string, depth: number): Value[] {
    const out: Value[] = [];
    for (const write of this.propertyWritesOf(key)) {
      const target = unwrapExpression((write.left as TSESTree.MemberExpression).object);
      if (target.type !== "MemberExpression" || memberName(target) !== "prototype") continue;
      if (this.valuesOf(target.object, depth).some((v) => v.type === "function" && v.fn === fn)) out.push(...this.valuesOf(write.right, depth));
    }
    return out;
  }

  /**
   * The values stored in the elements of any of `arrays` (literals, and what is pushed or assigned into them). A
   * `new Map(pairs)` or `new Set(values)` holds the elements of the iterable it was made from.
   */
  elementValues(arrays: Value[], depth: number): Value[] {
    const out: Value[] = [];
    // Bounded like every other walk: an array may spread itself (`items = [...items, x]`).
    if (depth > MAX_DEPTH * 2) return arrays.length > 0 && "node" in arrays[0] ? [{ type: "unknown", node: arrays[0].node as Node }] : [];
    for (const array of arrays) {
      if (array.type === "new" && (this.isGlobalConstructor(array.node, "Map") || this.isGlobalConstructor(array.node, "Set"))) {
        const source = array.node.arguments[0];
        if (source && source.type !== "SpreadElement") out.push(...this.elementValues(this.valuesOf(source, depth), depth + 1));
      } else if (array.type === "array") {
        for (const element of array.node.elements) {
          if (!element) continue;
          if (element.type === "SpreadElement") out.push(...this.elementValues(this.valuesOf(element.argument, depth), depth + 1));
          else out.push(...this.valuesOf(element, depth));
        }
        const holder = this.holderVariable(array.node);
        if (holder) for (const written of this.elementWritesOf(holder)) out.push(...this.valuesOf(written, depth));
      } else if (array.type === "call" && this.fromEntriesValues(array.node, depth)) {
        // An object made from `[key, value]` pairs, read with a key not known here: any of its values.
        out.push(...this.fromEntriesValues(array.node, depth)!);
      } else if (array.type === "call" && derivedArray(array.node)) {
        // `items.map(fn)`: what `fn` returns; `items.filter(fn)`, `items.slice()`: the elements of `items` (bounded:
        // `items = items.filter(...)` derives an array from itself).
        const derived = derivedArray(array.node)!;
        if (depth >= MAX_DEPTH) out.push({ type: "unknown", node: array.node });
        else if (derived.form === "map") {
          const mapped = this.valuesOf(derived.fn, depth + 1).filter((v): v is Extract<Value, { type: "function" }> => v.type === "function");
          if (mapped.length === 0) out.push({ type: "unknown", node: array.node });
          for (const { fn } of mapped) for (const returned of this.nodes.returns.get(fn) ?? []) out.push(...this.valuesOf(returned, depth + 1));
        } else out.push(...this.elementValues(this.valuesOf(derived.source, depth + 1), depth + 1));
      } else if (array.type === "object") {
        // An object read with a key not known here (`limiters[host]`, a cache per key): any of its property values,
        // and whatever the file writes into it by key (`limiters[host] ??= pLimit(2)`).
        for (const property of array.node.properties) {
          if (property.type === "SpreadElement") out.push(...(depth < MAX_DEPTH ? this.elementValues(this.valuesOf(property.argument, depth + 1), depth + 1) : []));
          else if (property.kind === "init") out.push(...this.valuesOf(property.value, depth));
        }
        const holder = this.holderVariable(array.node);
        if (holder) for (const written of this.elementWritesOf(holder)) out.push(...this.valuesOf(written, depth));
      } else if (array.type !== "function") {
        out.push({ type: "unknown", node: "node" in array ? array.node : array.fn });
      }
    }
    return out;
  }

  /**
   * The values of `expr`, a traced function's own parameter standing for what its wrapper's calls pass when the file
   * sees every one of them (not for what the library might pass).
   */
  wrappedCallValuesOf(expr: Node, depth = 0): Value[] {
    return this.valuesOf(expr, depth).filter((v) => !this.standsForWrapperCalls(v));
  }

  /** A traced function's own parameter whose wrapper's calls the file sees every one of: those calls' values stand for it. */
  private standsForWrapperCalls(v: Value): boolean {
    return v.type === "callback-param" && this.wrapsAsTraceable(v.call, v.fn) && !!this.knownCallSites(v.fn);
  }

  private memberValues(node: TSESTree.MemberExpression, depth: number): Value[] {
    const api = this.apis.resolveApi(node);
    if (api) return [projectOrApiValue(api, node)];
    // A traced function's own parameter stands for what its wrapper's calls pass, when the file sees every one of them.
    const objects = this.wrappedCallValuesOf(node.object, depth);
    const key = memberName(node);
    if (node.computed && key === undefined) return this.elementValues(objects, depth);
    if (key === undefined) return [{ type: "unknown", node }];
    const out = this.propertyValues(objects, key, node, depth);
    for (const write of this.propertyWritesOf(key)) {
      const target = write.left as TSESTree.MemberExpression;
      if (target === node) continue;
      if (sameObject(this.bindings, target.object, node.object)) out.push(...this.valuesOf(write.right, depth));
    }
    return out;
  }

  private callValues(node: TSESTree.CallExpression, depth: number): Value[] {
    const callee = unwrapExpression(node.callee);
    // `require("./outbox.cjs")`: the module's `module.exports`, what its default import is (also when handed on).
    if (this.isModuleLoad(node)) {
      const api = this.apis.resolveApi(node);
      if (api && isProjectSpecifier(api.module)) return [{ type: "import", module: api.module, name: "default", node }];
    }
    if (callee.type === "MemberExpression") {
      const method = memberName(callee);
      // `AsyncLocalStorage.bind(fn)` made at module load pins the load's context, which holds no trace: it does what
      // `fn` does, in no trace (see TracedWork.isContextPinningCall).
      if (method === "bind" && node.arguments.length === 1 && node.arguments[0].type !== "SpreadElement" && !enclosingFunction(node)) {
        const owner = this.apis.resolveApi(callee.object);
        if (owner && /^(node:)?async_hooks$/.test(owner.module) && (owner.name === "AsyncLocalStorage" || owner.name === "AsyncResource")) return this.valuesOf(node.arguments[0], depth + 1);
      }
      if (method === "bind") {
        const bound = this.valuesOf(callee.object, depth);
        // A traceable with arguments fixed (`extract.bind(null, { req, page })`) is a function object of its own,
        // made here: it runs the traceable, but it is not the traceable a registry keeps.
        const traceable = (v: Value) => v.type !== "function" && TRACEABLE_KINDS.includes(this.kindOfValue(v));
        if (node.arguments.length > 1 && bound.length > 0 && bound.every(traceable)) return [{ type: "bound", node, target: bound }];
        // `f.bind(null, x)` does what `f` does (a traceable stays one: `renderChart.bind(null)`).
        if (bound.some((v) => v.type === "function" || traceable(v))) return bound;
      }
      // `map.set(k, v)` gives back the map (`locks.set(id, new Lock()).get(id)`).
      if (method === "set" && depth < MAX_DEPTH) {
        const collections = this.valuesOf(callee.object, depth + 1);
        if (collections.length > 0 && collections.every((v) => this.isCollection(v))) return collections;
      }
      if (method === "get" && node.arguments.length === 1) {
        // `nodes.get("plan")` on a `new Map(pairs)`: any of its values.
        const maps = this.mapsOf(this.valuesOf(callee.object, depth));
        if (maps.length > 0) return this.mapEntryValues(maps, depth);
      }
      if (method && ELEMENT_READING_METHODS.has(method)) {
        const arrays = this.valuesOf(callee.object, depth);
        if (arrays.some((v) => v.type === "array")) return this.elementValues(arrays, depth);
      }
      // A method of a Node emitter or stream that returns it (`stream.resume()`, `feed.setEncoding("utf8")`).
      if (method && NODE_CHAINING_METHODS.has(method) && depth < MAX_DEPTH) {
        const objects = this.valuesOf(callee.object, depth + 1);
        const nodeObject = (v: Value) => {
          if (v.type !== "new") return false;
          const api = this.apis.resolveApi(v.node.callee);
          return !!api && NODE_EMITTER_MODULE.test(api.module);
        };
        if (objects.length > 0 && objects.every(nodeObject)) return objects;
      }
      // A fluent method of another module's class (`new PluginHost().use(plugin)` returning `this`): the instance.
      if (method && this.lookupSummary && unwrapExpression(callee.object).type === "NewExpression") {
        const objects = this.valuesOf(callee.object, depth);
        const made = objects.length === 1 && objects[0].type === "new" ? singleProjectExport(this.valuesOf(objects[0].node.callee)) : undefined;
        if (made && !made.name.includes("(") && this.lookupSummary(made.module, `${made.name}.${method}`)?.returnsThis) return objects;
      }
    }
    const callees = this.valuesOf(callee, depth);
    const functions = callees.filter((v): v is Extract<Value, { type: "function" }> => v.type === "function");
    if (functions.length === 0 || functions.length < callees.length) return [{ type: "call", node }];
    const out: Value[] = [];
    for (const { fn } of functions) {
      for (const returned of this.nodes.returns.get(fn) ?? []) {
        // A function that gives back a parameter as it is (`wrap = (fn) => fn`): what this call passes there.
        const index = this.returnedParamIndex(returned, fn);
        const arg = index !== undefined ? node.arguments[index] : undefined;
        if (arg && arg.type !== "SpreadElement") out.push(...this.valuesOf(arg, depth + 1));
        else out.push(...this.valuesOf(returned, depth));
      }
    }
    return out;
  }

  /**
   * Whether a call gives back one of its arguments as it is: every function its callee may hold returns a parameter
   * of its own on every return (`wrap = (fn) => fn`), and the callee may hold nothing else.
   */
  returnsArgumentAsIs(call: TSESTree.CallExpression): boolean {
    const callees = this.valuesOf(call.callee);
    if (callees.length === 0 || !callees.every((v) => v.type === "function")) return false;
    return callees.every((v) => {
      const fn = (v as Extract<Value, { type: "function" }>).fn;
      const returns = this.nodes.returns.get(fn) ?? [];
      return returns.length > 0 && returns.every((returned) => this.returnedParamIndex(returned, fn) !== undefined);
    });
  }

  /** The index of the plain parameter of `fn` that `returned` is, never re-assigned, or undefined. */
  private returnedParamIndex(returned: Node, fn: FunctionNode): number | undefined {
    const id = unwrapExpression(returned);
    if (id.type !== "Identifier") return undefined;
    const variable = this.bindings.variableOf(id);
    const def = variable?.defs[0];
    if (!variable || variable.defs.length !== 1 || def?.type !== "Parameter" || def.node !== fn) return undefined;
    if (variable.references.some((r) => { const ref = r.identifier as Node; return ref.parent?.type === "AssignmentExpression" && ref.parent.left === ref; })) return undefined;
    const index = fn.params.findIndex((p) => p.type === "Identifier" && p.name === id.name);
    return index >= 0 ? index : undefined;
  }

  /**
   * Whether every call of `fn` is known and passes argument `index` (so its default never applies): the file's calls of
   * a function that does not escape, or of the traceable it is wrapped in, held in a variable used only by calls.
   */
  everyCallPasses(fn: FunctionNode, index: number): boolean {
    const sites = this.knownCallSites(fn);
    const libraryCall = this.libraryCallTakingCallback(fn);
    const pointFree = libraryCall?.type === "CallExpression" ? this.wrapperPointFreeArrays(libraryCall).length : 0;
    if (pointFree > 0 && index > 2) return false;
    return !!sites && sites.length + pointFree > 0 && sites.every((site) => site.arguments.length > index && site.arguments.slice(0, index + 1).every((a) => a.type !== "SpreadElement"));
  }

  /** Every call of `fn`, when the file makes them all: of a function that does not escape, or of the traceable it is wrapped in (held in a variable used only by calls). */
  private knownCallSites(fn: FunctionNode): CallLike[] | undefined {
    const libraryCall = this.libraryCallTakingCallback(fn);
    if (!libraryCall) {
      const found = this.callSites(fn);
      return found.escapes ? undefined : found.sites;
    }
    if (libraryCall.type !== "CallExpression" || !this.wrapsAsTraceable(libraryCall, fn)) return undefined;
    const holder = libraryCall.parent;
    if (holder?.type !== "VariableDeclarator" || holder.id.type !== "Identifier") return undefined;
    const variable = this.bindings.variableOf(holder.id);
    const sites = this.wrapperCallSites(libraryCall);
    // A point-free use (`zones.map(optimizeZone)`) is a call per element, passing the element, index and array.
    const pointFree = this.wrapperPointFreeArrays(libraryCall).length;
    return variable && sites.length + pointFree === variable.references.filter((r) => (r.identifier as Node) !== holder.id).length ? sites : undefined;
  }

  /**
   * Values without the parameter of a traced function whose every call this file makes and sees (`watchTable("x")`
   * for `traceable(async (table, poller = sharedPoller) => ...)`): what those calls pass is among the values already.
   */
  private withoutSeenCallerParams(values: Value[]): Value[] {
    const kept = values.filter((v) => !this.standsForWrapperCalls(v));
    return kept.length > 0 ? kept : values;
  }

  /** Whether a call loads a module (`require("./jobs.cjs")`, a `require` made by `createRequire`): its result is the module's exports. */
  isModuleLoad(call: TSESTree.CallExpression): boolean {
    return call.arguments.length === 1 && this.apis.isRequireFunction(call.callee);
  }

  /**
   * For a call of a project function imported from another module: whether its result may outlive the call (its
   * summary's `returnsShared`); undefined when the callee is no such function or its module cannot tell.
   */
  importedResultIsShared(call: TSESTree.CallExpression): boolean | undefined {
    if (!this.lookupSummary) return undefined;
    const target = importedCalleeOf(unwrapExpression(call.callee), (expr) => this.valuesOf(expr));
    return target ? this.lookupSummary(target.module, target.name)?.returnsShared : undefined;
  }

  /**
   * The summary of method `key` of the object an expression holds when another module made it (`rows` holding
   * `createRowCoalescer(fetch)`, an instance of an exported class): what the method does with its parameters.
   */
  importedMethodSummary(object: Node, key: string): FunctionSummary | undefined {
    if (!this.lookupSummary) return undefined;
    // The instance another module's export keeps in a member (`SurveyScheduler.shared`, see `importedMemberOf`).
    const held = unwrapExpression(object);
    if (held.type === "MemberExpression" && !held.computed && held.property.type === "Identifier") {
      const owners = this.valuesOf(held.object);
      const owner = owners.length === 1 ? projectExportOf(owners[0]) : undefined;
      if (owner && !/[.(]/.test(owner.name)) return this.lookupSummary(owner.module, `${owner.name}.${held.property.name}.${key}`);
    }
    const objects = injectedInstanceOnly(this.receiverValues(object));
    if (objects.length !== 1) return undefined;
    // An object another module exports (`module.exports = new Outbox()` required here): its method there.
    if (objects[0].type === "import" && objects[0].name !== "*" && !objects[0].name.includes("(")) return this.lookupSummary(objects[0].module, `${objects[0].name}.${key}`);
    if (objects[0].type === "injected") return objects[0].instanceOf ? this.lookupSummary(objects[0].instanceOf.file, `${objects[0].instanceOf.name}.${key}`) : undefined;
    const made = objects[0].type === "call" ? singleProjectExport(this.valuesOf(objects[0].node.callee)) : objects[0].type === "new" ? singleProjectExport(this.valuesOf(objects[0].node.callee)) : undefined;
    if (!made || made.name.includes("(")) return undefined;
    return this.lookupSummary(made.module, objects[0].type === "call" ? `${made.name}().${key}` : `${made.name}.${key}`);
  }

  /**
   * For a call of a project function imported from another module: whether it returns an array of traced tasks it
   * made during the call (its summary's `returnsTracedTasks`: closures or partial applications of traceables).
   */
  importedReturnsTracedTasks(call: TSESTree.CallExpression): boolean {
    if (!this.lookupSummary) return false;
    const target = importedCalleeOf(unwrapExpression(call.callee), (expr) => this.valuesOf(expr));
    return !!target && this.mayMakeTracedTasks(target.module) && this.lookupSummary(target.module, target.name)?.returnsTracedTasks === true;
  }

  /** The summary of the project function of another module an expression names (`items.map(schedule)`), if any. */
  importedFunction(expr: Node): ImportedCall | undefined {
    if (!this.lookupSummary) return undefined;
    const node = unwrapExpression(expr);
    if (node.type !== "Identifier" && node.type !== "MemberExpression") return undefined;
    const target = importedCalleeOf(node, (e) => this.valuesOf(e));
    const summary = target && this.lookupSummary(target.module, target.name);
    if (!target || !summary) return undefined;
    return { module: target.module, name: target.name, localName: node.type === "Identifier" ? node.name : (memberName(node) ?? target.name), summary };
  }

  /**
   * Whether `expr` holds what a project function of another module returns, or a value another module exports (an
   * instance made at its load: `export const ready = new ReadyGate()`), and that is a userland thenable whose `then`
   * keeps its callbacks for whoever settles it later (the summary's `returnsKeepingThenable`, the export's
   * `keepsThenCallbacks`).
   */
  importedResultKeepsThenCallbacks(expr: Node): boolean {
    const lookup = this.lookupSummary;
    return this.valuesOf(expr).some((value) => {
      if (value.type === "import") return this.lookupImport(value.module, value.name)?.keepsThenCallbacks === true;
      // An instance of another module's class whose `then` keeps the callbacks (`new Permit().then(cb)`).
      if (value.type === "new") {
        const made = singleProjectExport(this.valuesOf(value.node.callee));
        return !!made && this.lookupImport(made.module, made.name)?.instancesKeepThenCallbacks === true;
      }
      if (value.type !== "call" || !lookup) return false;
      const target = importedCalleeOf(unwrapExpression(value.node.callee), (e) => this.valuesOf(e));
      return !!target && lookup(target.module, target.name)?.returnsKeepingThenable === true;
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Parameters and call sites
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * The values parameter `index` of `fn` may hold: what every call site in the file passes, plus "unknown" when the
   * function is exported or escapes somewhere the model cannot follow. A callback handed to a library call gets a
   * `callback-param` value: the library supplies it.
   */
  parameterValues(fn: FunctionNode, index: number, depth = 0): Value[] {
    let perFn = this.paramCache.get(fn);
    const cached = perFn?.get(index);
    if (cached) return cached;
    const out: Value[] = [];
    const libraryCall = this.libraryCallTakingCallback(fn);
    if (libraryCall) {
      // A defaulted parameter of a traceable's function that no call of the traceable fills (`sink = rowNormalizer`,
      // the traceable only called here, with fewer arguments): the default alone, nothing from langsmith.
      const param = fn.params[index];
      const unfilled = param?.type === "AssignmentPattern" && this.wrapsAsTraceable(libraryCall, fn) && this.wrapperNeverFills(libraryCall as TSESTree.CallExpression, index);
      if (!unfilled) out.push({ type: "callback-param", fn, index, call: libraryCall });
      // `const watch = traceable(async (feed) => ...)`: the traced function gets what the file's calls of `watch`
      // pass (a run tree or config handed first is taken off by langsmith: such calls are left out).
      if (libraryCall.type === "CallExpression" && this.wrapsAsTraceable(libraryCall, fn)) {
        for (const site of this.wrapperCallSites(libraryCall)) {
          if (site.arguments.slice(0, index + 1).some((a) => a.type === "SpreadElement")) continue;
          const first = site.arguments[0];
          if (first && first.type === "Identifier" && /config|runtree/i.test(first.name)) continue;
          const arg = site.arguments[index];
          if (arg) out.push(...this.valuesOf(arg, depth + 1));
        }
        // `zones.map(optimizeZone)`: each element of `zones` first, then its index and the array.
        for (const array of this.wrapperPointFreeArrays(libraryCall)) {
          if (index === 0) out.push(...this.elementValues(this.valuesOf(array, depth + 1), depth + 1));
          else if (index === 2) out.push(...this.valuesOf(array, depth + 1));
          else out.push({ type: "unknown", node: array });
        }
      }
    } else {
      const { sites, escapes } = this.callSites(fn);
      if (escapes) {
        // What the project's other modules pass, when the function leaves this file only as an export and their calls
        // pass nothing there or an options literal: nothing (the default runs), or an object of those keys.
        const keys = this.exportCallerKeys(fn, index);
        if (!keys) out.push({ type: "unknown", node: fn.params[index] ?? fn });
        else if (keys.passed) out.push({ type: "unknown", node: fn.params[index] ?? fn, writtenKeys: keys.keys });
      }
      // The constructor of an exported class: what the project's other modules pass (a queue injected by the caller).
      const exportedAs = escapes && this.lookupConstruction ? (this.exportedClassName(fn) ?? this.exportedClassByName(fn)) : undefined;
      if (exportedAs) {
        for (const arg of this.lookupConstruction!(exportedAs, index, false)) out.push({ type: "injected", kind: arg.kind, loadedBy: arg.loadedBy, numbers: arg.numbers, ...(arg.instanceOf ? { instanceOf: arg.instanceOf } : {}), ...(arg.properties ? { properties: arg.properties } : {}), ...(arg.propertyKinds ? { propertyKinds: arg.propertyKinds } : {}), node: fn.params[index] ?? fn });
      } else if (escapes && this.keepsForLater(fn, index)) {
        // An exported function or method of a module that keeps work for later, whose parameter it calls, stores or
        // hands to a function of its own (`limit(call)`): what the project's other modules pass to it.
        out.push(...this.callerValuesOf(fn, index));
      }
      if (index === 0) for (const value of this.setterWrites.get(fn) ?? []) out.push(...this.valuesOf(value, depth + 1));
      for (const site of sites) {
        const spreadBefore = site.arguments.slice(0, index + 1).some((a) => a.type === "SpreadElement");
        if (spreadBefore) {
          out.push({ type: "unknown", node: site });
          continue;
        }
        const arg = site.arguments[index];
        if (arg) out.push(...this.valuesOf(arg, depth + 1));
      }
    }
    const result = dedupe(out);
    if (depth <= 1) {
      if (!perFn) this.paramCache.set(fn, (perFn = new Map()));
      perFn.set(index, result);
    }
    return result;
  }

  /**
   * For a defaulted parameter of a function (or constructor) that leaves this file only as an export, in a module
   * that keeps work for later: the keys the project's other modules write there (see `ProjectFacts.argumentKeys`).
   */
  private exportCallerKeys(fn: FunctionNode, index: number): { keys: string[]; passed: boolean } | undefined {
    const param = fn.params[index];
    if (param?.type !== "AssignmentPattern") return undefined;
    // Asked in a module that keeps work for later, or for a function-valued default (a task hook: `{ wrap = (fn) => fn }`).
    const defaultsAFunction = isFunctionNode(unwrapExpression(param.right)) || (param.left.type === "ObjectPattern" && param.left.properties.some((p) => p.type === "Property" && p.value.type === "AssignmentPattern" && isFunctionNode(unwrapExpression(p.value.right))));
    if (!defaultsAFunction && !this.asksCallers()) return undefined;
    const method = fn.parent;
    const cls = method?.type === "MethodDefinition" && method.kind === "constructor" ? method.parent?.parent : undefined;
    if (method?.type === "MethodDefinition" && !cls) return undefined;
    const id = cls && (cls.type === "ClassDeclaration" || cls.type === "ClassExpression") ? (cls.id ?? (cls.parent?.type === "VariableDeclarator" && cls.parent.id.type === "Identifier" ? cls.parent.id : undefined)) : undefined;
    if (cls && !id) return undefined;
    const holder = id ? (this.bindings.lookupName(cls!.parent ?? cls!, id.name) ?? this.bindings.variableOf(id)) : this.functionVariable(fn);
    if (!holder || !isExported(holder) || !usedOnlyByCallsAndExports(holder)) return undefined;
    const name = cls ? (this.exportedClassName(fn) ?? this.exportedClassByName(fn)) : this.exportNameOf?.(fn);
    return name ? this.lookupArgumentKeys(name, index, !cls) : undefined;
  }

  /**
   * For a parameter of a function this file exports (`fn` in `export function createLimitedClient(fn, opts)`), in a
   * module that keeps work for later (a queue library, a timer): what the project's other modules pass to it
   * (`createLimitedClient(scoreLead, { concurrency: 1 })`), as injected values. Asked only where a parameter is called
   * or handed to a queue, not by every value question (it parses the importers).
   */
  callerValues(expr: Node): Value[] {
    const node = unwrapExpression(expr);
    if (node.type !== "Identifier" || !this.lookupConstruction || !this.asksCallers()) return [];
    const param = this.escapingParameter(node, true);
    return param ? this.callerValuesOf(param.fn, param.index) : [];
  }

  /**
   * The function and index of the parameter an identifier names, when the function escapes the file (other modules
   * may call it). `within`: also a name a destructured parameter binds (`{ limiter }`), as that parameter's index.
   */
  private escapingParameter(node: TSESTree.Identifier, within: boolean): { fn: FunctionNode; index: number } | undefined {
    const variable = this.bindings.variableOf(node);
    const def = variable?.defs.length === 1 ? (variable.defs[0] as unknown as { type: string; node: Node }) : undefined;
    if (!def || def.type !== "Parameter" || !isFunctionNode(def.node)) return undefined;
    const fn = def.node;
    const declared = variable!.identifiers[0] as Node | undefined;
    const index = fn.params.findIndex((p) => !!declared && (p === declared || (within ? contains(p, declared) : p.type === "AssignmentPattern" && p.left === declared)));
    return index >= 0 && this.callSites(fn).escapes ? { fn, index } : undefined;
  }

  /**
   * For a parameter of an exported function, read in a function handed to a tracing library (`makePublisher(renderer)`
   * returning `RunnableLambda.from(async (zoom) => renderer.stream(zoom))`): whether a call in another module of the
   * project passes a value of `kind` there (`makePublisher(tileRenderer)`, a runnable).
   */
  callersPass(expr: Node, kind: ValueKind): boolean {
    const node = unwrapExpression(expr);
    if (node.type !== "Identifier" || !this.lookupConstruction || !this.insideTracingCallback(node)) return false;
    const param = this.escapingParameter(node, false);
    return !!param && this.callerValuesOf(param.fn, param.index, false).some((v) => v.type === "injected" && v.kind === kind);
  }

  /**
   * The values a method call's receiver may hold, with, for a parameter of a function other modules call whose method
   * is handed a function (`host.whenReady(cb)` in `createChat(host)`), the instances of project classes those modules
   * pass (their methods' summaries are in their modules). Asked only where a method call passes a function: it reads
   * the other modules' calls.
   */
  receiverValues(expr: Node): Value[] {
    const values = this.withoutSeenCallerParams(this.valuesOf(expr));
    const node = unwrapExpression(expr);
    if (!this.lookupConstruction || node.type !== "Identifier" || (values.length > 0 && !values.some((v) => v.type === "unknown"))) return values;
    const variable = this.bindings.variableOf(node);
    const def = variable?.defs.length === 1 ? (variable.defs[0] as unknown as { type: string; node: Node }) : undefined;
    if (!def || def.type !== "Parameter" || !isFunctionNode(def.node)) return values;
    const fn = def.node;
    if (!this.insideTracingCallback(node) && !this.makesTracedFunctions(fn)) return values;
    const declared = variable!.identifiers[0] as Node | undefined;
    const index = fn.params.findIndex((p) => p === declared || (p.type === "AssignmentPattern" && p.left === declared));
    if (index < 0) return this.destructuredReceiverValues(fn, declared, values);
    if (!this.callSites(fn).escapes || !this.handedAFunction(fn, index)) return values;
    let perFn = this.receiverCache.get(fn);
    let injected = perFn?.get(index);
    if (!injected) {
      injected = this.callerValuesOf(fn, index, false).filter((v) => v.type === "injected" && !!v.instanceOf);
      if (!perFn) this.receiverCache.set(fn, (perFn = new Map()));
      perFn.set(index, injected);
    }
    return injected.length > 0 ? dedupe([...values, ...injected]) : values;
  }
  private readonly receiverCache = new Map<FunctionNode, Map<number, Value[]>>();

  /**
   * A property of an object parameter, destructured (`createBot({ limiter })`), that other modules fill with an
   * instance of a project class (`createBot({ limiter: new TokenBucket() })`): that instance, when they all agree.
   */
  private destructuredReceiverValues(fn: FunctionNode, declared: Node | undefined, values: Value[]): Value[] {
    const property = declared?.parent?.type === "AssignmentPattern" ? declared.parent.parent : declared?.parent;
    const pattern = property?.parent;
    if (!declared || !property || property.type !== "Property" || !pattern || pattern.type !== "ObjectPattern") return values;
    const key = propertyKey(property);
    const param = pattern.parent?.type === "AssignmentPattern" ? pattern.parent : pattern;
    const index = fn.params.indexOf(param as TSESTree.Parameter);
    if (key === undefined || index < 0 || !this.callSites(fn).escapes || !this.exportNameOf) return values;
    const name = this.exportNameOf(fn);
    if (!name) return values;
    const found: Value[] = [];
    for (const arg of this.lookupConstruction!(name, index, true)) {
      const instance = arg.properties?.[key];
      if (instance && !instance.returned) found.push({ type: "injected", kind: "unknown", instanceOf: instance, node: declared });
    }
    return found.length > 0 ? dedupe([...values, ...found]) : values;
  }

  /**
   * Whether `node` sits in a function handed to a tracing library's call (`traceable(async () => ...)`,
   * `RunnableLambda.from(...)`, `tool(...)`) or in a method of a class extending one of its classes: the cheap,
   * syntactic stand-in for "inside a traced scope" that gates questions which read other modules.
   */
  /**
   * Whether a function calls a tracing library's factory in its body (`createBot({ limiter })` making `traceable(...)`
   * and the helper `callModel` its traced functions call): its parameters are the dependencies of traced work.
   */
  private makesTracedFunctions(fn: FunctionNode): boolean {
    let makes = this.tracedFactories.get(fn);
    if (makes === undefined) {
      makes = nodesWithin(this.nodes.calls, fn).some((call) => call.type === "CallExpression" && isTracingModule(this.apis.resolveApi(call.callee)?.module));
      this.tracedFactories.set(fn, makes);
    }
    return makes;
  }
  private readonly tracedFactories = new Map<FunctionNode, boolean>();

  private fromTracingModule(callee: Node): boolean {
    if (isTracingModule(this.apis.resolveApi(callee)?.module)) return true;
    const target = unwrapExpression(callee);
    return target.type === "MemberExpression" && isTracingModule(this.apis.resolveApi(target.object)?.module);
  }

  private insideTracingCallback(node: Node): boolean {
    for (let current: Node | undefined = node.parent; current; current = current.parent) {
      const parent = current.parent;
      if (!parent) break;
      // `traceable(fn)`, `RunnableLambda.from(fn)` (the class's module), `tool(fn, ...)`.
      if (isFunctionNode(current) && parent.type === "CallExpression" && parent.arguments.includes(current as TSESTree.CallExpressionArgument) && this.fromTracingModule(parent.callee)) return true;
      if ((parent.type === "ClassDeclaration" || parent.type === "ClassExpression") && parent.superClass && isTracingModule(this.apis.resolveApi(parent.superClass)?.module)) return true;
    }
    return false;
  }

  private callerValuesOf(fn: FunctionNode, index: number, gated = true): Value[] {
    if (!this.lookupConstruction || (gated && !this.asksCallers())) return [];
    const name = this.exportNameOf?.(fn);
    if (!name) return [];
    return this.lookupConstruction(name, index, true).map((arg): Value => ({ type: "injected", kind: arg.kind, loadedBy: arg.loadedBy, numbers: arg.numbers, ...(arg.instanceOf ? { instanceOf: arg.instanceOf } : {}), node: fn.params[index] }));
  }

  /**
   * Whether parameter `index` of `fn` (a plain identifier) is used as work kept for later may use it: called, stored
   * (assigned, put in an object or array), or handed to a function of this file (`limit(call)`). A parameter only
   * handed to an imported function or read (`enqueue(query)` passing `query` on) is not: its callers are not asked.
   */
  /** Whether the parameter's method is called with a function (`param.whenReady(() => ...)`, `param.add(x, { onDone })`). */
  private handedAFunction(fn: FunctionNode, index: number): boolean {
    if (!this.lookupConstruction) return false;
    const param = fn.params[index];
    const id = param?.type === "AssignmentPattern" ? param.left : param;
    if (!id || id.type !== "Identifier") return false;
    const variable = this.bindings.variableOf(id);
    const isFunctionArg = (arg: Node): boolean => {
      const node = unwrapExpression(arg);
      if (isFunctionNode(node)) return true;
      return node.type === "ObjectExpression" && node.properties.some((p) => p.type === "Property" && isFunctionNode(unwrapExpression(p.value as Node)));
    };
    return !!variable && variable.references.some((reference) => {
      const member = (reference.identifier as Node).parent;
      const call = member?.parent;
      return !!member && member.type === "MemberExpression" && member.object === reference.identifier && !!call && call.type === "CallExpression" && call.callee === member && call.arguments.some((a) => a.type !== "SpreadElement" && isFunctionArg(a));
    });
  }

  private keepsForLater(fn: FunctionNode, index: number): boolean {
    if (!this.lookupConstruction || !this.asksCallers()) return false;
    const param = fn.params[index];
    const id = param?.type === "AssignmentPattern" ? param.left : param;
    if (!id || id.type !== "Identifier") return false;
    const variable = this.bindings.variableOf(id);
    return !!variable && variable.references.some((reference) => {
      const identifier = reference.identifier as Node;
      const parent = identifier.parent;
      if (!parent) return false;
      if (parent.type === "CallExpression" && parent.callee === identifier) return true;
      if (parent.type === "AssignmentExpression" && parent.right === identifier) return true;
      if ((parent.type === "Property" && parent.value === identifier) || parent.type === "ArrayExpression") return true;
      if (parent.type === "CallExpression" && parent.arguments.includes(identifier as TSESTree.CallExpressionArgument)) {
        return !this.valuesOf(parent.callee).some((v) => v.type === "import" || v.type === "api");
      }
      return false;
    });
  }

  /** The calls the file makes of the function a call returns when that result is held in a variable (`const f = traceable(...)`). */
  private wrapperCallSites(call: TSESTree.CallExpression): TSESTree.CallExpression[] {
    const parent = call.parent;
    if (!parent || parent.type !== "VariableDeclarator" || parent.init !== call || parent.id.type !== "Identifier") return [];
    const variable = this.bindings.variableOf(parent.id);
    if (!variable) return [];
    const sites: TSESTree.CallExpression[] = [];
    for (const reference of variable.references) {
      const identifier = reference.identifier as Node;
      const user = identifier.parent;
      if (user && user.type === "CallExpression" && unwrapExpression(user.callee) === identifier) sites.push(user);
    }
    return sites;
  }

  /**
   * The arrays whose elements the function a call returns is handed to point-free, when that result is held in a
   * variable (`const optimizeZone = traceable(...)`, then `zones.map(optimizeZone)`): `zones`.
   */
  wrapperPointFreeArrays(call: TSESTree.CallExpression): Node[] {
    const parent = call.parent;
    if (!parent || parent.type !== "VariableDeclarator" || parent.init !== call || parent.id.type !== "Identifier") return [];
    const variable = this.bindings.variableOf(parent.id);
    if (!variable) return [];
    const arrays: Node[] = [];
    for (const reference of variable.references) {
      const identifier = reference.identifier as Node;
      const user = identifier.parent;
      const form = user && user.type === "CallExpression" ? pointFreeCallback(user) : undefined;
      if (form && form.callback === identifier) arrays.push(form.array);
    }
    return arrays;
  }

  /**
   * Whether the function `call` makes (`const load = traceable(...)`) is only ever called in this file, by name, and no
   * call passes argument `index` (nor spreads before it).
   */
  private wrapperNeverFills(call: TSESTree.CallExpression, index: number): boolean {
    const parent = call.parent;
    if (!parent || parent.type !== "VariableDeclarator" || parent.init !== call || parent.id.type !== "Identifier") return false;
    const variable = this.bindings.variableOf(parent.id);
    if (!variable || isExported(variable)) return false;
    return variable.references.every((reference) => {
      const identifier = reference.identifier as Node;
      if (variable.identifiers.includes(identifier as TSESTree.Identifier)) return true;
      const user = identifier.parent;
      return !!user && user.type === "CallExpression" && unwrapExpression(user.callee) === identifier && user.arguments.length <= index && !user.arguments.some((a) => a.type === "SpreadElement");
    });
  }

  /**
   * If `fn` is written inline as an argument of a call to something that is not a local function (or of a local
   * factory that wraps it as a traceable, see `wrapsAsTraceable`): that call.
   */
  private libraryCallTakingCallback(fn: FunctionNode): CallLike | undefined {
    const parent = fn.parent;
    if (!parent || (parent.type !== "CallExpression" && parent.type !== "NewExpression")) return undefined;
    if (!parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) return undefined;
    const callees = this.valuesOf(parent.callee);
    return callees.some((v) => v.type === "function") && !this.localTraceableFactory(parent, fn) ? undefined : parent;
  }

  /**
   * Whether `call` makes the traceable that runs `fn`: `traceable(fn, ...)`, or a local factory given `fn`
   * (`makeTraced(fn, options)` doing `return traceable(a0, a1)`). The traceable's calls then pass `fn` its arguments.
   */
  private wrapsAsTraceable(call: CallLike, fn: FunctionNode): boolean {
    if (call.type !== "CallExpression") return false;
    return (call.arguments[0] === fn && this.apis.isTraceableFactory(call.callee)) || this.localTraceableFactory(call, fn);
  }

  /** Whether `call` is of one local function that returns `traceable(p, ...)` of the parameter `fn` is passed as. */
  private localTraceableFactory(call: CallLike, fn: FunctionNode): boolean {
    if (call.type !== "CallExpression") return false;
    const index = call.arguments.indexOf(fn as TSESTree.CallExpressionArgument);
    const callees = this.valuesOf(call.callee);
    if (index < 0 || callees.length !== 1 || callees[0].type !== "function") return false;
    const maker = callees[0].fn;
    const param = maker.params[index];
    const returns = this.nodes.returns.get(maker) ?? [];
    if (!param || param.type !== "Identifier" || returns.length !== 1) return false;
    const made = unwrapExpression(returns[0]);
    const first = made.type === "CallExpression" ? made.arguments[0] : undefined;
    return made.type === "CallExpression" && this.apis.isTraceableFactory(made.callee) && first?.type === "Identifier" && first.name === param.name;
  }

  /** The calls of `fn` the file makes, and whether `fn` also escapes (exported, stored, passed on). */
  callSites(fn: FunctionNode): { sites: CallLike[]; escapes: boolean } {
    const cached = this.callSiteCache.get(fn);
    if (cached) return cached;
    const result = { sites: [] as CallLike[], escapes: false };
    this.callSiteCache.set(fn, result);
    const constructed = this.constructorOf(fn);
    if (constructed) {
      // A constructor's call sites are the `new C(...)` of its class (a class that escapes may be built elsewhere too).
      result.escapes = constructed.escapes;
      result.sites.push(...constructed.sites);
      return result;
    }
    const method = this.methodOf(fn);
    if (method) {
      // A method or setter of a class of this file: its calls (`service.setScorer(fn)`) and, for a setter, the
      // assignments to it (`service.scorer = fn`) on instances of the class, `this` in it, or the class (static).
      const { sites, writes } = this.memberUses(method.cls, method.key, method.isStatic, method.kind === "set");
      result.sites.push(...sites);
      result.escapes = true; // a method may also be called where the value flow does not see the instance
      this.setterWrites.set(fn, writes);
      return result;
    }
    const variable = this.functionVariable(fn);
    if (!variable) {
      const parent = fn.parent;
      const isArgument = parent && (parent.type === "CallExpression" || parent.type === "NewExpression") && parent.arguments.includes(fn as TSESTree.CallExpressionArgument);
      if (isArgument) {
        // Handed to a local function: its parameter is called somewhere we do not track here.
        result.escapes = true;
      } else if (parent && parent.type === "CallExpression" && parent.callee === fn) {
        result.sites.push(parent); // an IIFE
      } else result.escapes = true;
      return result;
    }
    if (isExported(variable)) result.escapes = true;
    for (const reference of variable.references) {
      const identifier = reference.identifier as Node;
      if (variable.identifiers.includes(identifier)) continue;
      const parent = identifier.parent;
      if (parent && (parent.type === "CallExpression" || parent.type === "NewExpression") && unwrapExpression(parent.callee) === identifier) {
        result.sites.push(parent);
      } else if (parent && parent.type === "ExportSpecifier") {
        result.escapes = true;
      } else if ((reference as { writeExpr?: unknown }).writeExpr) {
        continue;
      } else {
        result.escapes = true;
      }
    }
    return result;
  }

  /** For a method or setter of a class (not a constructor or getter): its class, key and kind. */
  private methodOf(fn: FunctionNode): { cls: ClassNode; key: string; isStatic: boolean; kind: "method" | "set" } | undefined {
    const method = fn.parent;
    if (!method || method.type !== "MethodDefinition" || method.computed || (method.kind !== "method" && method.kind !== "set")) return undefined;
    const cls = method.parent?.parent;
    if (!cls || (cls.type !== "ClassDeclaration" && cls.type !== "ClassExpression")) return undefined;
    const key = classMemberKey(method);
    return key === undefined ? undefined : { cls, key, isStatic: method.static, kind: method.kind };
  }

  /**
   * The calls `x.key(...)` and (for a setter) the assignments `x.key = v` of this file whose `x` may be an instance
   * of `cls` (`new C()`, `this` in it), or `cls` itself for a static member.
   */
  private memberUses(cls: ClassNode, key: string, isStatic: boolean, setter: boolean): { sites: CallLike[]; writes: Node[] } {
    const sites: CallLike[] = [];
    const writes: Node[] = [];
    const isOwner = (object: Node) =>
      this.valuesOf(object).some((v) =>
        isStatic ? v.type === "class" && v.node === cls : (v.type === "this" && enclosingClass(v.node) === cls) || (v.type === "new" && this.valuesOf(v.node.callee).some((c) => c.type === "class" && c.node === cls)),
      );
    if (setter) {
      for (const write of this.propertyWritesOf(key)) if (isOwner((write.left as TSESTree.MemberExpression).object)) writes.push(write.right);
      return { sites, writes };
    }
    for (const call of this.methodCallsNamed(key)) if (isOwner(((unwrapExpression(call.callee) as TSESTree.MemberExpression).object))) sites.push(call);
    return { sites, writes };
  }

  /** The file's method calls `x.key(...)` by key (indexed once per file). */
  private methodCallsNamed(key: string): TSESTree.CallExpression[] {
    if (!this.methodCalls) {
      this.methodCalls = new Map();
      for (const call of this.nodes.calls) {
        const callee = call.type === "CallExpression" ? unwrapExpression(call.callee) : undefined;
        const name = callee?.type === "MemberExpression" ? memberName(callee) : undefined;
        if (name === undefined) continue;
        const list = this.methodCalls.get(name);
        if (list) list.push(call as TSESTree.CallExpression);
        else this.methodCalls.set(name, [call as TSESTree.CallExpression]);
      }
    }
    return this.methodCalls.get(key) ?? [];
  }

  /** For the constructor of a class the file exports some other way (`module.exports = Sink`): the name importers use. */
  private exportedClassByName(fn: FunctionNode): string | undefined {
    const method = fn.parent;
    if (!method || method.type !== "MethodDefinition" || method.kind !== "constructor" || !this.asksCallers()) return undefined;
    const cls = method.parent?.parent;
    if (!cls || (cls.type !== "ClassDeclaration" && cls.type !== "ClassExpression")) return undefined;
    const name = this.exportNameOf?.(cls);
    return name && !name.includes(".") ? name : undefined;
  }

  /** For the constructor of a class the file exports as it is declared (`export class C`, `export default class`): the name. */
  private exportedClassName(fn: FunctionNode): string | undefined {
    const method = fn.parent;
    if (!method || method.type !== "MethodDefinition" || method.kind !== "constructor") return undefined;
    const cls = method.parent?.parent;
    if (!cls || (cls.type !== "ClassDeclaration" && cls.type !== "ClassExpression")) return undefined;
    const holder = cls.parent?.type === "VariableDeclarator" ? cls.parent.parent?.parent : cls.parent;
    if (holder?.type === "ExportDefaultDeclaration") return "default";
    if (holder?.type !== "ExportNamedDeclaration") return undefined;
    const id = cls.id ?? (cls.parent?.type === "VariableDeclarator" && cls.parent.id.type === "Identifier" ? cls.parent.id : undefined);
    return id?.name;
  }

  /** For a class constructor: the `new` expressions of its class, and whether the class escapes this file's view. */
  private constructorOf(fn: FunctionNode): { sites: CallLike[]; escapes: boolean } | undefined {
    const method = fn.parent;
    if (!method || method.type !== "MethodDefinition" || method.kind !== "constructor") return undefined;
    const cls = method.parent?.parent;
    if (!cls || (cls.type !== "ClassDeclaration" && cls.type !== "ClassExpression")) return undefined;
    const id = cls.id ?? (cls.parent?.type === "VariableDeclarator" && cls.parent.id.type === "Identifier" ? cls.parent.id : undefined);
    // The binding outside the class (a class declaration also binds its name inside its own scope).
    const variable = id ? (this.bindings.lookupName(cls.parent ?? cls, id.name) ?? this.bindings.variableOf(id)) : undefined;
    if (!variable) return { sites: [], escapes: true };
    const out = { sites: [] as CallLike[], escapes: isExported(variable) };
    // Inside its own body a class's name is a binding of the class scope (`static create() { return new C(...) }`).
    const inner = id && cls.id ? this.bindings.lookupName(cls.body, id.name) : undefined;
    const references = inner && inner !== variable ? [...variable.references, ...inner.references] : variable.references;
    for (const reference of references) {
      const identifier = reference.identifier as Node;
      if (variable.identifiers.includes(identifier) || inner?.identifiers.includes(identifier)) continue;
      const parent = identifier.parent;
      if (parent && parent.type === "NewExpression" && unwrapExpression(parent.callee) === identifier) out.sites.push(parent);
      else if (parent && parent.type === "ClassDeclaration") continue; // extends
      else if (parent && parent.type === "MemberExpression" && parent.object === identifier && inner?.references.includes(reference)) continue; // its own static members
      else out.escapes = true;
    }
    return out;
  }

  /** The variable that names a function: its declaration's name, or `const f = <fn>`. */
  functionVariable(fn: FunctionNode): MinimalVariable | undefined {
    if (fn.type === "FunctionDeclaration" && fn.id) return this.bindings.variableOf(fn.id);
    const parent = fn.parent;
    if (parent && parent.type === "VariableDeclarator" && parent.init === fn && parent.id.type === "Identifier") return this.bindings.variableOf(parent.id);
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Kinds
  // ---------------------------------------------------------------------------------------------------------------

  /** The library API an expression denotes (see `api.ts`). */
  apiOf(expr: Node | undefined | null): { module: string; name: string } | undefined {
    return this.apis.resolveApi(expr);
  }

  /** The kinds of the values an expression may hold (without "unknown" unless nothing is known). */
  valueKinds(expr: Node | undefined | null): ValueKind[] {
    if (!expr) return ["unknown"];
    const node = unwrapExpression(expr);
    const cached = this.kindCache.get(node);
    if (cached) return cached;
    if (this.active.has(`kind:${node.range[0]}:${node.range[1]}`)) return ["unknown"];
    const key = `kind:${node.range[0]}:${node.range[1]}`;
    this.active.add(key);
    const kinds = new Set<ValueKind>();
    try {
      for (const value of this.valuesOf(node)) kinds.add(this.kindOfValue(value));
    } finally {
      this.active.delete(key);
    }
    const known = [...kinds].filter((k) => k !== "unknown");
    const result: ValueKind[] = known.length > 0 ? known : ["unknown"];
    this.kindCache.set(node, result);
    return result;
  }

  /**
   * For a queue library's object of `kind` the expression holds, the module that makes it (and loads the library), when
   * that is another module: one imported from it, or one another module passes to this file's class.
   */
  loadedBy(expr: Node, kind: ValueKind): LoadedBy | undefined {
    for (const value of this.valuesOf(expr)) {
      if (value.type === "injected" && value.kind === kind && value.loadedBy) return value.loadedBy;
      if (value.type === "import" && this.kindOfValue(value) === kind) {
        const loadedBy = this.lookupImport(value.module, value.name)?.loadedBy;
        if (loadedBy) return loadedBy;
      }
      // What a function of another module returns (`queueFor(tenant)`), also through locals: made in that module.
      if (value.type === "call" && this.lookupSummary) {
        const target = importedCalleeOf(unwrapExpression(value.node.callee), (e) => this.valuesOf(e));
        const summary = target ? this.lookupSummary(target.module, target.name) : undefined;
        if (summary?.returnsLoadedBy && summary.returns.includes(kind)) return summary.returnsLoadedBy;
      }
    }
    return undefined;
  }

  /** The most specific kind the expression may hold ("unknown" when none is known). */
  valueKind(expr: Node | undefined | null): ValueKind {
    return this.valueKinds(expr)[0];
  }

  /** Whether every value the expression may hold is of one of `kinds` (and at least one is). */
  isEvery(expr: Node, kinds: readonly ValueKind[]): boolean {
    const values = this.valuesOf(expr);
    return values.length > 0 && values.every((v) => kinds.includes(this.kindOfValue(v)));
  }

  kindOfValue(value: Value): ValueKind {
    switch (value.type) {
      case "call":
        return this.kindOfCall(value.node);
      case "new":
        return this.kindOfNew(value.node);
      case "import":
        return this.lookupImport(value.module, value.name)?.kind ?? "unknown";
      case "bound": {
        const kinds = value.target.map((v) => this.kindOfValue(v));
        return kinds.find((k) => k === "traceable-fn") ?? kinds.find((k) => k === "task-fn") ?? "unknown";
      }
      case "injected":
        return value.kind;
      default:
        return "unknown";
    }
  }

  private kindOfCall(call: TSESTree.CallExpression): ValueKind {
    const callee = unwrapExpression(call.callee);
    if (this.apis.isTraceableFactory(callee)) return "traceable-fn";
    const api = this.apis.resolveApi(callee);
    if (api) {
      if (isLangsmithModule(api.module) && TRACED_CLIENT_WRAPPERS.has(api.name)) return "traced-client";
      if (isLanggraphModule(api.module) && api.name === "task") return "task-fn";
      if (isLanggraphModule(api.module) && api.name === "entrypoint") return "runnable";
      if (isLangchainModule(api.module) && api.name === "tool") return "runnable";
      const queueLib = queueLibraryOf(api.module);
      if (queueLib === "p-limit" && (api.name === "default" || api.name === "*" || api.name === "pLimit")) return "p-limit";
      if (queueLib === "async" && /^(queue|cargo|cargoQueue|priorityQueue)$/.test(api.name)) return "async-queue";
      // `require("async/queue")(worker, n)`
      if (queueLib === "async" && (api.name === "default" || api.name === "*") && api.module !== "async" && api.module !== "neo-async") return "async-queue";
      // `fastq(worker, n)`, `fastq(that, worker, n)`, `fastq.promise(worker, n)`
      if (queueLib === "fastq" && (api.name === "default" || api.name === "*" || api.name === "promise" || api.name === "fastq")) return "fastq-queue";
    }
    if (callee.type === "MemberExpression") {
      const method = memberName(callee);
      // Static factories on LangChain classes: RunnableLambda.from, ChatPromptTemplate.fromMessages, ...
      const owner = this.apis.resolveApi(callee.object);
      if (owner && isLangchainModule(owner.module) && owner.name !== "*" && method && /^from/.test(method)) return "runnable";
      if (method && RUNNABLE_DERIVING_METHODS.has(method)) {
        const receiver = this.valueKinds(callee.object);
        if (receiver.includes("runnable") || receiver.includes("graph-builder")) return "runnable";
      }
      if (method && /^(addNode|addEdge|addConditionalEdges|addSequence|setEntryPoint|setFinishPoint)$/.test(method)) {
        if (this.valueKinds(callee.object).includes("graph-builder")) return "graph-builder";
      }
    }
    // A call of a project function that is handed a function: what its summary says it returns (a queue a helper
    // builds around a worker). Other calls of imported traceable factories are handled by the callers that look at callees.
    const imported = this.importedCall(call);
    if (imported && imported.summary.returns.length > 0) return imported.summary.returns[0];
    // A project function called with data only (`limiterFor(tenant)`): what it returns, from its summary.
    if (!imported && this.lookupSummary) {
      const target = importedCalleeOf(callee, (expr) => this.valuesOf(expr));
      const returns = target ? this.lookupSummary(target.module, target.name)?.returns : undefined;
      if (returns && returns.length > 0) return returns[0];
    }
    return "unknown";
  }

  /**
   * The kind of the instances of a class with a base class: runnables through a LangChain base class, of a library or
   * of another project module (`class EchoModel extends BaseModel` with `BaseModel extends Runnable` there).
   */
  kindOfNewClass(cls: ClassNode, depth = 0): ValueKind {
    if (!cls.superClass) return "foreign";
    const base = this.apis.resolveApi(cls.superClass);
    if (base && isLangchainModule(base.module)) return "runnable";
    if (base && isProjectSpecifier(base.module) && this.lookupImport(base.module, base.name)?.instanceKind === "runnable") return "runnable";
    const local = base || depth >= MAX_DEPTH ? undefined : this.localClass(cls.superClass, 0);
    return local && local !== cls && local.superClass ? this.kindOfNewClass(local, depth + 1) : "unknown";
  }

  private kindOfNew(expr: TSESTree.NewExpression): ValueKind {
    const api = this.apis.resolveApi(expr.callee);
    if (!api) {
      // An instance of a class of this file: a runnable only through a LangChain base class.
      const cls = this.localClass(expr.callee, 0);
      if (!cls) return "unknown";
      if (!cls.superClass) return "foreign";
      return this.kindOfNewClass(cls);
    }
    // An instance of a class another project module exports: what that module says its instances are.
    if (isProjectSpecifier(api.module)) return this.lookupImport(api.module, api.name)?.instanceKind ?? "unknown";
    if (isLanggraphModule(api.module) && /Graph$/.test(api.name)) return "graph-builder";
    if (isLangchainModule(api.module)) return "runnable";
    if (queueLibraryOf(api.module) === "p-queue") return "p-queue";
    return "foreign";
  }

  /**
   * A call of a function imported from a project module, with the function's summary (`summaries.ts`): asked only
   * when the call passes a function, and cached per call.
   */
  /** The summary of the project export a call or `new` calls, whatever it passes (`new Worker(queue, handle)`). */
  importedCalleeSummary(call: CallLike): { module: string; name: string; summary: FunctionSummary } | undefined {
    if (!this.lookupSummary) return undefined;
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "Identifier" && callee.type !== "MemberExpression") return undefined;
    const target = importedCalleeOf(callee, (expr) => this.valuesOf(expr));
    const summary = target ? this.lookupSummary(target.module, target.name) : undefined;
    return target && summary ? { ...target, summary } : undefined;
  }

  importedCall(call: CallLike): ImportedCall | undefined {
    const cached = this.importedCalls.get(call);
    if (cached !== undefined) return cached ?? undefined;
    this.importedCalls.set(call, null); // cycle guard
    // A traceable handed on as it is (`rpc.call(req, decodeReply)`) is a function too.
    // An instance that carries functions of its own (`clock.subscribe(this)`, the clock calling `sub.onTick()`) too.
    const carriesFunctions = (expr: Node) => {
      const node = unwrapExpression(expr);
      const cls = node.type === "ThisExpression" ? enclosingClass(node) : undefined;
      return !!cls && this.instanceFunctions(cls).length > 0;
    };
    const found = importedCallSummary(call, (expr) => this.valuesOf(expr), this.lookupSummary, (expr) => this.holdsTasks(expr) || this.valueKinds(expr).some((kind) => TRACEABLE_KINDS.includes(kind)) || carriesFunctions(expr), false, (expr) => this.receiverValues(expr));
    this.importedCalls.set(call, found ?? null);
    return found;
  }
  private readonly importedCalls = new Map<CallLike, ImportedCall | null>();

  /** The same for a call of any imported function, whatever its arguments are (an iterator handed to a pump). */
  importedCallOfAnyArgument(call: CallLike): ImportedCall | undefined {
    return importedCallSummary(call, (expr) => this.valuesOf(expr), this.lookupSummary, undefined, true, (expr) => this.receiverValues(expr));
  }

  /**
   * The same for a call that may pass data only (`mailer.send({ to })` inside a traced scope): a helper of another
   * module may hand the data to a queue whose worker traces. Asked by bind-queued-task for calls in traced scopes.
   */
  importedDataCall(call: CallLike): ImportedCall | undefined {
    const cached = this.importedDataCalls.get(call);
    if (cached !== undefined) return cached ?? undefined;
    this.importedDataCalls.set(call, null); // cycle guard
    const found = this.importedCall(call) ?? (this.dataCallee(call) ? importedCallSummary(call, (expr) => this.valuesOf(expr), this.lookupSummary, undefined, true) : undefined);
    this.importedDataCalls.set(call, found ?? null);
    return found;
  }
  private readonly importedDataCalls = new Map<CallLike, ImportedCall | null>();

  /** Whether a call with data only names a function of a project module that may hand data to a queue worker. */
  private dataCallee(call: CallLike): boolean {
    if (call.type !== "CallExpression" || call.arguments.length === 0) return false;
    const callee = unwrapExpression(call.callee);
    if (callee.type !== "Identifier" && callee.type !== "MemberExpression") return false;
    const target = importedCalleeOf(callee, (expr) => this.valuesOf(expr));
    return !!target && this.mayQueueData(target.module);
  }

  /**
   * Whether an expression holds an array of functions: made by a map or written as a literal here (partial
   * applications, closures), or returned by a project function that makes traced tasks.
   */
  holdsTasks(expr: Node): boolean {
    const values = this.valuesOf(expr);
    if (values.some((v) => v.type === "call" && !derivedArray(v.node) && this.importedReturnsTracedTasks(v.node))) return true;
    const arrays = values.filter((v) => v.type === "array" || (v.type === "call" && derivedArray(v.node)));
    return arrays.length > 0 && this.elementValues(arrays, 0).some((v) => v.type === "bound" || v.type === "function");
  }

  /** Facts the project index has about an imported value. */
  importFacts(value: Extract<Value, { type: "import" }>): ExportFacts | undefined {
    return this.lookupImport(value.module, value.name);
  }

  /** Facts about the export of a project module a value is (an import, or a `require`d name), if it is one. */
  projectExportFacts(value: Value): ExportFacts | undefined {
    const exported = projectExportOf(value);
    return exported ? this.lookupImport(exported.module, exported.name) : undefined;
  }

  /** Facts about a method of an object or instance another project module exports (`chunker.chunks` of `new Chunker()`). */
  importedMemberFacts(callee: Node): ExportFacts | undefined {
    const member = importedMemberOf(callee, (expr) => this.valuesOf(expr), (expr) => this.receiverValues(expr));
    return member ? this.lookupImport(member.module, `${member.name}.${member.key}`) : undefined;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------------------------

  private localClass(callee: Node, depth: number): ClassNode | undefined {
    for (const value of this.valuesOf(callee, depth)) if (value.type === "class") return value.node;
    return undefined;
  }

  /** The values of member `key` of the instances of `cls` (its methods, fields, and what its methods assign to `this`). */
  instanceMemberValues(cls: ClassNode, key: string): Value[] {
    return this.classMemberValues(cls, key, 0, false);
  }

  private classMemberValues(cls: ClassNode, key: string, depth: number, isStatic = false): Value[] {
    const out: Value[] = [];
    for (const member of cls.body.body) {
      // A TypeScript parameter property (`constructor(private readonly queue: Queue) {}`): what is passed to it.
      if (!isStatic && member.type === "MethodDefinition" && member.kind === "constructor") {
        for (const param of member.value.params) {
          if (param.type !== "TSParameterProperty") continue;
          const id = param.parameter.type === "AssignmentPattern" ? param.parameter.left : param.parameter;
          if (id.type === "Identifier" && id.name === key) out.push(...this.valuesOf(id, depth));
        }
      }
      if ((member.type === "MethodDefinition" || member.type === "PropertyDefinition") && !member.computed && member.static === isStatic) {
        if (classMemberKey(member) !== key) continue;
        // A getter's value is what it returns (`get ready() { return gate; }` read as `this.ready`); a setter holds none.
        if (member.type === "MethodDefinition" && member.kind === "get") out.push(...this.returnedValues(member.value as FunctionNode, depth));
        else if (member.type === "MethodDefinition") {
          if (member.kind !== "set") out.push({ type: "function", fn: member.value as FunctionNode });
        }
        else if (member.value) out.push(...this.valuesOf(member.value, depth));
      }
    }
    for (const write of this.propertyWritesOf(key)) {
      const target = write.left as TSESTree.MemberExpression;
      const object = unwrapExpression(target.object);
      if (!isStatic && object.type === "ThisExpression" && enclosingClass(object) === cls) out.push(...this.valuesOf(write.right, depth));
      // A static member set from outside the class (`Ticker.shared = new Ticker(4)`).
      if (isStatic && object.type === "Identifier" && depth < MAX_DEPTH && this.valuesOf(object, depth + 1).some((v) => v.type === "class" && v.node === cls)) out.push(...this.valuesOf(write.right, depth + 1));
      // A member set on an instance made in this file (`const sync = new WarehouseSync(); sync.emit = traceable(...)`,
      // in a static factory or anywhere else): the instances' value of it.
      if (!isStatic && object.type === "Identifier" && depth < MAX_DEPTH && this.valuesOf(object, depth + 1).some((v) => v.type === "new" && this.valuesOf(v.node.callee, depth + 1).some((c) => c.type === "class" && c.node === cls))) out.push(...this.valuesOf(write.right, depth + 1));
    }
    // Not declared here: inherited from a class of this file (`class SchemaWatcher extends Observable`).
    if (out.length === 0 && cls.superClass && depth < MAX_DEPTH) {
      const bases = this.valuesOf(cls.superClass, depth + 1).filter((v): v is Extract<Value, { type: "class" }> => v.type === "class");
      if (bases.length === 1 && bases[0].node !== cls) return this.classMemberValues(bases[0].node, key, depth + 1, isStatic);
    }
    return out;
  }

  /** What a function of this file may return (a getter's value). */
  private returnedValues(fn: FunctionNode, depth: number): Value[] {
    if (depth >= MAX_DEPTH) return [{ type: "unknown", node: fn }];
    return (this.nodes.returns.get(fn) ?? []).flatMap((returned) => this.valuesOf(returned, depth + 1));
  }

  /**
   * The length of the longest array literal an expression may hold, when every value it may hold is one whose length
   * is fixed: no spread in it, and not grown after it is made (`batches.push(x)`, `batches[i] = x`).
   */
  literalArrayLength(expr: Node, depth = 0): number | undefined {
    // A traced function's own parameter stands for its wrapper's calls when every one of them is seen here.
    const values = this.valuesOf(expr).filter((v) => !this.standsForWrapperCalls(v));
    const fixed = (v: Value): v is Extract<Value, { type: "array" }> => v.type === "array" && v.node.type === "ArrayExpression" && v.node.elements.every((e) => e && e.type !== "SpreadElement") && !this.mayGrow(v.node);
    if (values.length === 0) return undefined;
    let most = 0;
    for (const value of values) {
      if (fixed(value)) most = Math.max(most, value.node.elements.length);
      else {
        // `robots.map((id) => ({ id }))`: as long as the array it maps.
        const callee = value.type === "call" ? unwrapExpression(value.node.callee) : undefined;
        const mapped = callee?.type === "MemberExpression" && memberName(callee) === "map" && depth < 3 ? this.literalArrayLength(callee.object, depth + 1) : undefined;
        if (mapped === undefined) return undefined;
        most = Math.max(most, mapped);
      }
    }
    return most;
  }

  /** Whether an array literal held by a variable may grow after it is made. */
  private mayGrow(literal: TSESTree.ArrayExpression): boolean {
    const holder = literal.parent;
    if (holder?.type !== "VariableDeclarator" || holder.init !== literal) return false;
    if (holder.id.type !== "Identifier") return true;
    const variable = this.bindings.variableOf(holder.id);
    return !!variable && variable.references.some((reference) => {
      const use = (reference.identifier as Node).parent;
      if (use?.type !== "MemberExpression" || use.object !== reference.identifier) return false;
      const call = use.parent;
      if (call?.type === "CallExpression" && call.callee === use) return GROWING_METHODS.has(memberName(use) ?? "");
      return call?.type === "AssignmentExpression" && call.left === use;
    });
  }

  /** The constructor that `new C(...)` runs, for a class of this file that declares one. */
  constructorsOf(call: TSESTree.NewExpression): FunctionNode[] {
    return this.valuesOf(call.callee).flatMap((v) => {
      if (v.type !== "class") return [];
      const ctor = v.node.body.body.find((m): m is TSESTree.MethodDefinition => m.type === "MethodDefinition" && m.kind === "constructor");
      return ctor ? [ctor.value as FunctionNode] : [];
    });
  }

  /**
   * The functions an instance of `cls` carries as own fields: written in the class body (`onTick = (t) => ...`) or
   * assigned to `this.key` in its constructor or methods (`this.onTick = (t) => ...`). Methods are the prototype's.
   */
  instanceFunctions(cls: ClassNode): FunctionNode[] {
    const out: FunctionNode[] = [];
    for (const member of cls.body.body) {
      if (member.type === "PropertyDefinition" && !member.static && member.value && isFunctionNode(unwrapExpression(member.value))) out.push(unwrapExpression(member.value) as FunctionNode);
    }
    for (const assignment of this.nodes.assignments) {
      if (assignment.operator !== "=" || assignment.left.type !== "MemberExpression") continue;
      const object = unwrapExpression(assignment.left.object);
      const right = unwrapExpression(assignment.right);
      if (object.type === "ThisExpression" && isFunctionNode(right) && enclosingClass(object) === cls) out.push(right);
    }
    return out;
  }

  /**
   * The values written to fields of the object a local holds, in the function that declares it, before `site`
   * (`const alarm = makeAlarm(id); alarm.onTrip = trip; arm(alarm)`): what the object carries when it is handed on
   * there, whoever made it.
   */
  fieldsWrittenBefore(id: TSESTree.Identifier, site: Node): Node[] {
    const variable = this.bindings.variableOf(id);
    const declarator = variable?.defs[0]?.node as Node | undefined;
    if (!variable || variable.defs.length !== 1 || declarator?.type !== "VariableDeclarator") return [];
    const frame = enclosingFunction(declarator);
    const out: Node[] = [];
    for (const assignment of this.nodes.assignments) {
      if (assignment.range[1] > site.range[0]) break;
      const left = assignment.left;
      if (assignment.operator !== "=" || left.type !== "MemberExpression" || left.computed || enclosingFunction(assignment) !== frame) continue;
      const object = unwrapExpression(left.object);
      if (object.type === "Identifier" && this.bindings.variableOf(object) === variable) out.push(assignment.right);
    }
    return out;
  }

  /**
   * The value last written to `obj.key` (a local or module-level `obj`) by a statement of the function that reads it,
   * before `site` and not under a condition (`handlers.scanned = wrap(handlers.scanned); on("x", handlers.scanned)`):
   * what the read holds there.
   */
  memberWrittenBefore(member: TSESTree.MemberExpression, site: Node): Node | undefined {
    const key = memberName(member);
    const object = unwrapExpression(member.object);
    if (key === undefined || member.computed || object.type !== "Identifier") return undefined;
    const variable = this.bindings.variableOf(object);
    const frame = enclosingFunction(member);
    if (!variable || !frame || frame.body.type !== "BlockStatement") return undefined;
    let found: Node | undefined;
    for (const statement of frame.body.body) {
      if (statement.range[0] >= site.range[0]) break;
      const expr = statement.type === "ExpressionStatement" ? unwrapExpression(statement.expression) : undefined;
      if (expr?.type !== "AssignmentExpression" || expr.operator !== "=" || expr.left.type !== "MemberExpression" || expr.left.computed || memberName(expr.left) !== key) continue;
      const target = unwrapExpression(expr.left.object);
      if (target.type === "Identifier" && this.bindings.variableOf(target) === variable) found = expr.right;
    }
    return found;
  }

  private propertyWritesOf(key: string): TSESTree.AssignmentExpression[] {
    if (!this.propertyWrites) {
      this.propertyWrites = new Map();
      for (const assignment of this.nodes.assignments) {
        if (assignment.left.type !== "MemberExpression" || assignment.operator !== "=") continue;
        const name = memberName(assignment.left);
        if (name === undefined) continue;
        const list = this.propertyWrites.get(name);
        if (list) list.push(assignment);
        else this.propertyWrites.set(name, [assignment]);
      }
    }
    return this.propertyWrites.get(key) ?? [];
  }

  /** The variable an array literal is held in (`const queue = []`), for finding what is pushed into it. */
  private holderVariable(array: TSESTree.ArrayExpression | TSESTree.NewExpression | TSESTree.ObjectExpression): MinimalVariable | undefined {
    const parent = array.parent;
    if (parent && parent.type === "VariableDeclarator" && parent.init === array && parent.id.type === "Identifier") return this.bindings.variableOf(parent.id);
    if (parent && parent.type === "AssignmentExpression" && parent.right === array && parent.left.type === "Identifier") return this.bindings.variableOf(parent.left);
    return undefined;
  }

  private elementWritesOf(holder: MinimalVariable): Node[] {
    if (!this.elementWrites) {
      this.elementWrites = new Map();
      const add = (variable: MinimalVariable | undefined, value: Node) => {
        if (!variable) return;
        const list = this.elementWrites!.get(variable);
        if (list) list.push(value);
        else this.elementWrites!.set(variable, [value]);
      };
      for (const call of this.nodes.calls) {
        if (call.type !== "CallExpression") continue;
        const callee = unwrapExpression(call.callee);
        if (callee.type !== "MemberExpression") continue;
        const method = memberName(callee);
        if (!method || !ELEMENT_WRITING_METHODS.has(method) && method !== "splice") continue;
        const object = unwrapExpression(callee.object);
        if (object.type !== "Identifier") continue;
        const variable = this.bindings.variableOf(object);
        const args = method === "splice" ? call.arguments.slice(2) : call.arguments;
        for (const arg of args) if (arg.type !== "SpreadElement") add(variable, arg);
      }
      for (const assignment of this.nodes.assignments) {
        const left = assignment.left;
        if (left.type !== "MemberExpression" || !left.computed) continue;
        const object = unwrapExpression(left.object);
        if (object.type === "Identifier") add(this.bindings.variableOf(object), assignment.right);
      }
    }
    return this.elementWrites.get(holder) ?? [];
  }
}

/** Specifiers whose exports the model knows from its tables (tracing and queue libraries, Node builtins). */
function isLibrarySpecifier(specifier: string): boolean {
  if (isProjectSpecifier(specifier)) return false;
  return isLangsmithModule(specifier) || isLangchainModule(specifier) || queueLibraryOf(specifier) !== undefined || specifier.startsWith("node:") || NODE_BUILTINS.has(specifier.split("/")[0]);
}

const NODE_BUILTINS = new Set(builtinModules);

function dedupe(values: Value[]): Value[] {
  const seen = new Set<unknown>();
  const out: Value[] = [];
  for (const value of values) {
    const key = value.type === "function" ? value.fn : value.type === "api" ? `${value.api.module}\0${value.api.name}` : value.type === "import" ? `import\0${value.module}\0${value.name}` : value.type === "callback-param" ? `${value.index}\0${value.fn.range[0]}` : value.type === "injected" ? `injected\0${value.kind}\0${value.loadedBy?.file}\0${JSON.stringify(value.numbers ?? null)}` : value.node;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/**
 * What a resolved API names: an export of one of the project's modules (a member of a `require`d or default-imported
 * CommonJS module, `registry.queue`, `const { queue } = require("./jobs.cjs")`) is an import, as a named import of it
 * is; a library's export is an API.
 */
function projectOrApiValue(api: ApiRef, node: Node): Value {
  if (isProjectSpecifier(api.module) && api.name !== "*") return { type: "import", module: api.module, name: api.name, node };
  return { type: "api", api, node };
}

export function enclosingClass(node: Node): ClassNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === "ClassBody") {
      const cls = current.parent;
      if (cls && (cls.type === "ClassDeclaration" || cls.type === "ClassExpression")) return cls;
    }
    // `this` inside a non-arrow function that is not a class member refers to something else.
    if ((current.type === "FunctionExpression" || current.type === "FunctionDeclaration") && current.parent?.type !== "MethodDefinition") return undefined;
  }
  return undefined;
}

/** Whether two object expressions denote the same object: the same variable (through the same member path), or `this` of one class. */
export function sameObject(bindings: Bindings, a: Node, b: Node): boolean {
  const x = unwrapExpression(a);
  const y = unwrapExpression(b);
  if (x.type === "ThisExpression" && y.type === "ThisExpression") return enclosingClass(x) === enclosingClass(y) && enclosingClass(x) !== undefined;
  if (x.type === "Identifier" && y.type === "Identifier") {
    const vx = bindings.variableOf(x);
    return !!vx && vx === bindings.variableOf(y);
  }
  if (x.type === "MemberExpression" && y.type === "MemberExpression") {
    const nx = memberName(x);
    return nx !== undefined && nx === memberName(y) && sameObject(bindings, x.object, y.object);
  }
  return false;
}

/**
 * Whether every use of a binding is a call or `new` of it, or its export (`export`, `module.exports = { f }`,
 * `exports.f = f`): it leaves the file only as an export, so the project's importers make every other call.
 */
function usedOnlyByCallsAndExports(variable: MinimalVariable): boolean {
  return variable.references.every((reference) => {
    const identifier = reference.identifier as Node;
    if (variable.identifiers.includes(identifier as TSESTree.Identifier)) return true;
    const parent = identifier.parent;
    if (!parent) return false;
    if ((parent.type === "CallExpression" || parent.type === "NewExpression") && unwrapExpression(parent.callee) === identifier) return true;
    if (parent.type === "ExportSpecifier" || parent.type === "ExportDefaultDeclaration") return true;
    if (parent.type === "Property" && parent.value === identifier && parent.parent?.type === "ObjectExpression") {
      const assignment = parent.parent.parent;
      return !!assignment && assignment.type === "AssignmentExpression" && isModuleExports(assignment.left);
    }
    return parent.type === "AssignmentExpression" && parent.right === identifier && isModuleExports(parent.left);
  });
}

function isExported(variable: MinimalVariable): boolean {
  for (const def of variable.defs) {
    let node = def.node as Node | undefined;
    if (node?.type === "VariableDeclarator") node = node.parent;
    const parent = node?.parent;
    if (parent && (parent.type === "ExportNamedDeclaration" || parent.type === "ExportDefaultDeclaration")) return true;
  }
  for (const reference of variable.references) {
    const parent = (reference.identifier as Node).parent;
    if (parent && (parent.type === "ExportSpecifier" || parent.type === "ExportDefaultDeclaration")) return true;
    // CommonJS: `module.exports = { f }`, `exports.f = f`.
    if (parent && parent.type === "Property" && parent.parent?.type === "ObjectExpression") {
      const assignment = parent.parent.parent;
      if (assignment && assignment.type === "AssignmentExpression" && isModuleExports(assignment.left)) return true;
    }
    if (parent && parent.type === "AssignmentExpression" && parent.right === reference.identifier && isModuleExports(parent.left)) return true;
  }
  return false;
}

function isModuleExports(node: Node): boolean {
  const n = unwrapExpression(node);
  if (n.type === "Identifier") return n.name === "exports";
  if (n.type !== "MemberExpression") return false;
  const object = unwrapExpression(n.object);
  if (object.type === "Identifier" && (object.name === "module" || object.name === "exports")) return true;
  return isModuleExports(object);
}

/**
 * The export of one of the project's modules a value is: an import (`import { f } from "./m"`), or a member of a
 * namespace import or a destructured `require` of a project module (`ns.f`, `const { f } = require("./m")`).
 */
/** The object literal whose method (or function-valued property) encloses `node` as its `this`, if any. */
function objectLiteralOfMethod(node: Node): TSESTree.ObjectExpression | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === "ArrowFunctionExpression") continue;
    if (current.type === "FunctionExpression") {
      const property = current.parent;
      return property && property.type === "Property" && property.value === current && property.parent?.type === "ObjectExpression" ? property.parent : undefined;
    }
    if (current.type === "FunctionDeclaration" || current.type === "ClassBody") return undefined;
  }
  return undefined;
}

export function projectExportOf(value: Value): { module: string; name: string } | undefined {
  if (value.type === "import") return value.name === "*" ? undefined : { module: value.module, name: value.name };
  if (value.type === "api" && isProjectSpecifier(value.api.module) && value.api.name !== "*") return { module: value.api.module, name: value.api.name };
  return undefined;
}

/**
 * The project function a callee names: an export of one of the project's modules ({@link projectExportOf}), or a
 * method of an object or instance one exports (`answers.write` with `import { answers }`), named by its export path
 * (`answers.write`).
 */
export function importedCalleeOf(callee: Node, valuesOf: (expr: Node) => Value[], receiverValuesOf: (expr: Node) => Value[] = valuesOf): { module: string; name: string } | undefined {
  const values = valuesOf(callee);
  if (values.length === 1) {
    const direct = projectExportOf(values[0]);
    if (direct) return direct;
    // The function an exported factory returns (`const requestSave = coalesce(save, 10)`): named `coalesce()`.
    if (values[0].type === "call") {
      const made = singleProjectExport(valuesOf(values[0].node.callee));
      if (made && !made.name.includes("(") && !made.name.includes(".")) return { module: made.module, name: `${made.name}()` };
    }
  }
  const member = importedMemberOf(callee, valuesOf, receiverValuesOf);
  return member && !FUNCTION_METHODS.has(member.key) ? { module: member.module, name: `${member.name}.${member.key}` } : undefined;
}
// `call` and `apply` are left in: on an exported function they name nothing the other module exports (its lookups come
// back empty), and on an exported object or instance they are its own methods (an RPC client's `rpc.call(req, cb)`).
const FUNCTION_METHODS = new Set(["then", "bind"]);

/**
 * `owner.key` where `owner` is an object, class or instance another project module exports: the export and the key.
 * The owner may be the export itself (`import { answers }`, a default import of `export default { ... }`), or an
 * instance of an exported class made here (`new Answers(model)`).
 */
export function importedMemberOf(expr: Node, valuesOf: (expr: Node) => Value[], receiverValuesOf: (expr: Node) => Value[] = valuesOf, depth = 0): { module: string; name: string; key: string } | undefined {
  // A chain of calls on calls is followed a few steps; a value made from itself (`client` holding `client.route(...)`'s
  // result) would loop.
  if (depth > 4) return undefined;
  const node = unwrapExpression(expr);
  if (node.type !== "MemberExpression") return undefined;
  const key = memberName(node);
  if (key === undefined) return undefined;
  // A member of a member of another module's export (`SurveyScheduler.shared.schedule`, with `shared` a static getter
  // or property holding an instance): named by that path (`SurveyScheduler.shared`), resolved in that module.
  const object = unwrapExpression(node.object);
  if (object.type === "MemberExpression" && !object.computed && object.property.type === "Identifier") {
    const owners = valuesOf(object.object);
    const owner = owners.length === 1 ? projectExportOf(owners[0]) : undefined;
    if (owner && !/[.(]/.test(owner.name)) return { module: owner.module, name: `${owner.name}.${object.property.name}`, key };
  }
  const objects = injectedInstanceOnly(receiverValuesOf(node.object));
  if (objects.length !== 1) return undefined;
  // What an exported function returns (`flags().onChange(...)`, a singleton getter): named `flags()`.
  if (objects[0].type === "call") {
    // Also a static method of an imported class (`TokenBucket.for(key).schedule(...)`: named `TokenBucket.for()`).
    const made = singleProjectExport(valuesOf(objects[0].node.callee)) ?? importedMemberOf(objects[0].node.callee, valuesOf, receiverValuesOf, depth + 1);
    const name = made && ("key" in made && made.key !== undefined ? `${made.name}.${made.key}` : made.name);
    return made && name && !name.includes("(") ? { module: made.module, name: `${name}()`, key } : undefined;
  }
  // An instance of another module's class handed in by a caller of this file (`createChat(new ModelHost(10))`).
  if (objects[0].type === "injected") return objects[0].instanceOf ? { module: objects[0].instanceOf.file, name: objects[0].instanceOf.name, key } : undefined;
  const owner = objects[0].type === "new" ? singleProjectExport(valuesOf(objects[0].node.callee)) : projectExportOf(objects[0]);
  return owner && { ...owner, key };
}

/**
 * A parameter of an exported function holds what the file cannot see (`unknown`) and the instances of project classes
 * the other modules pass (`injected` with `instanceOf`): when they all pass one class, that instance stands for it.
 */
function isTracingModule(module: string | undefined): boolean {
  return !!module && (module === "langsmith" || module.startsWith("langsmith/") || module.startsWith("@langchain/"));
}

function injectedInstanceOnly(values: Value[]): Value[] {
  const instances = values.filter((v): v is Extract<Value, { type: "injected" }> => v.type === "injected" && !!v.instanceOf);
  if (instances.length === 0 || values.some((v) => v.type !== "unknown" && !instances.includes(v as never))) return values;
  const first = instances[0].instanceOf!;
  return instances.every((v) => v.instanceOf!.file === first.file && v.instanceOf!.name === first.name) ? [instances[0]] : values;
}

function singleProjectExport(values: Value[]): { module: string; name: string } | undefined {
  return values.length === 1 ? projectExportOf(values[0]) : undefined;
}

/** Array methods whose callback's first parameter takes each element in turn. */
/**
 * An array made from another by a method call: `source.map(fn)` (elements: what `fn` returns), or `source.filter(fn)`
 * / `source.slice(...)` / `source.reverse()` / `source.toReversed()` (elements: `source`'s).
 */
export function derivedArray(call: TSESTree.CallExpression): { form: "map"; fn: Node } | { form: "same"; source: Node } | undefined {
  const callee = unwrapExpression(call.callee);
  if (callee.type !== "MemberExpression") return undefined;
  const method = memberName(callee);
  // `Array.from(source, fn)` maps like `source.map(fn)` (`Array.from({ length: n }, () => new Worker(...))`).
  const arrayFrom = method === "from" && unwrapExpression(callee.object).type === "Identifier" && (unwrapExpression(callee.object) as TSESTree.Identifier).name === "Array";
  if (method === "map" || (arrayFrom && call.arguments.length === 2)) {
    const fn = call.arguments[method === "map" ? 0 : 1];
    return fn && fn.type !== "SpreadElement" ? { form: "map", fn } : undefined;
  }
  return method && SAME_ELEMENT_METHODS.has(method) ? { form: "same", source: callee.object } : undefined;
}
const SAME_ELEMENT_METHODS = new Set(["filter", "slice", "reverse", "toReversed", "toSorted", "sort"]);

export const ITERATING_METHODS: ReadonlySet<string> = new Set(["forEach", "map", "flatMap", "filter", "some", "every"]);

/**
 * Whether two export names name one export: the same, or a member of a CommonJS module's `module.exports` object
 * (`default.useSender`, as its own model names it) and the name an importer reads it by (`useSender`).
 */
export function sameExportName(a: string, b: string): boolean {
  return a === b || a === `default.${b}` || b === `default.${a}`;
}

/**
 * `items.map(submit)`, `items.forEach(queue.push)`: a function reference handed point-free to an array method, which
 * calls it with each element of `items` (an inline callback is not point-free: its body is read where it is written).
 */
export function pointFreeCallback(call: CallLike): { callback: Node; array: Node } | undefined {
  if (call.type !== "CallExpression") return undefined;
  const callee = unwrapExpression(call.callee);
  if (callee.type !== "MemberExpression" || !ITERATING_METHODS.has(memberName(callee) ?? "")) return undefined;
  const callback = call.arguments[0];
  if (!callback || callback.type === "SpreadElement" || isFunctionNode(unwrapExpression(callback))) return undefined;
  const node = unwrapExpression(callback);
  if (node.type !== "Identifier" && node.type !== "MemberExpression") return undefined;
  return { callback: node, array: callee.object };
}

/** `Object.entries(o)` / `Object.values(o)`: which, and `o`. */
export function objectIteration(expr: Node): { form: "entries" | "values"; object: Node } | undefined {
  const call = unwrapExpression(expr);
  if (call.type !== "CallExpression" || call.arguments.length !== 1 || call.arguments[0].type === "SpreadElement") return undefined;
  const callee = unwrapExpression(call.callee);
  if (callee.type !== "MemberExpression") return undefined;
  const object = unwrapExpression(callee.object);
  if (object.type !== "Identifier" || object.name !== "Object") return undefined;
  const method = memberName(callee);
  if (method !== "entries" && method !== "values") return undefined;
  return { form: method, object: call.arguments[0] };
}
