/**
 * The variant generator: derives, from a runtime fixture, the indirect forms real code writes the same pattern in.
 *
 * A *site* is a place where a value that matters for nesting is handed over: an inline function passed as an
 * argument (a listener, a queued task, a callback) whose body calls something, or the receiver of a runnable call
 * (`child.invoke(x)`). Each variant rewrites one site, with text edits only, so that the program does exactly the
 * same thing at run time:
 * - `local`: the value is first held in a local constant;
 * - `property` / `element`: ... in an object property / an array element;
 * - `module-holder`: ... assigned to a module-level variable on the way (`(held = value)`);
 * - `class-field`: ... kept in a field of a class instance;
 * - `private-field`: ... kept in a `#private` field of a class instance, read through a getter;
 * - `helper1` / `helper2`: the call that hands it over is made by an in-file helper, one or two calls deep;
 * - `helper-file`: ... by a helper exported from another file of the program;
 * - `helper-barrel`: ... by that helper, imported through a barrel file that re-exports it (`export * from`);
 * - `helper-method`: ... by a method of an object another file of the program exports (`helpers.handOver(...)`);
 * - `helper-cjs`: ... by a helper exported from a CommonJS file (`module.exports = { handOver }`) that the ES module
 *   program loads with `createRequire(import.meta.url)` (only helpers that import nothing: the CommonJS build of a
 *   package is another module instance than its ES build);
 * - `factory`: the traced scope around the site is built by a factory (`make(fn, options)` returning
 *   `traceable(fn, options)` / `RunnableLambda.from(fn)`);
 * - `child-param`: the traced child the callback calls is a parameter of a function that builds the callback, and
 *   the call site passes the traceable;
 * - `receiver-getter`: the module-level object the callback is handed to (an emitter, a queue, a registry) is reached
 *   through a getter function (`getBus().on(...)`), the way code reaches a singleton;
 * - `static-getter`: ... through a class's static getter (`Services.bus.on(...)`).
 * The runtime suite runs every variant to check that it keeps its fixture's verdict (this tests the generator), then
 * that the rules flag, fix and nest it (or leave it alone).
 */
import { parse } from "@typescript-eslint/typescript-estree";
import type { TSESTree } from "@typescript-eslint/utils";
import { visitorKeys } from "@typescript-eslint/visitor-keys";
import path from "node:path";

type Node = TSESTree.Node;
type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | TSESTree.FunctionDeclaration;

export type VariantKind =
  | "local"
  | "property"
  | "element"
  | "module-holder"
  | "class-field"
  | "private-field"
  | "helper1"
  | "helper2"
  | "helper-file"
  | "helper-barrel"
  | "helper-method"
  | "helper-cjs"
  | "factory"
  | "child-param"
  | "receiver-getter"
  | "static-getter";

export const VARIANT_KINDS: readonly VariantKind[] = ["local", "property", "element", "module-holder", "class-field", "private-field", "helper1", "helper2", "helper-file", "helper-barrel", "helper-method", "helper-cjs", "factory", "child-param", "receiver-getter", "static-getter"];

export interface Variant {
  kind: VariantKind;
  /** Which site, for messages: `line:column` of the value rewritten. */
  site: string;
  text: string;
  /** Other files of the variant program, by base name (written next to it). */
  files: Record<string, string>;
}

interface Edit {
  range: [number, number];
  text: string;
}

/** Factories whose function argument becomes a traced scope. */
const SCOPE_FACTORIES = new Set(["traceable", "tool", "task", "entrypoint"]);
/** Methods of runnables that start a child run. */
const RUNNABLE_METHODS = new Set(["invoke", "stream", "batch", "streamEvents"]);
/** Calls an inline function is never pulled out of (it would change what the program does or be no hand-off). */
const NOT_A_HANDOFF = new Set(["Promise", "then", "catch", "finally", "map", "filter", "forEach", "reduce", "some", "every", "find", "from"]);

function isFunction(node: Node | null | undefined): node is FunctionNode {
  return !!node && (node.type === "ArrowFunctionExpression" || node.type === "FunctionExpression" || node.type === "FunctionDeclaration");
}

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === "TSAsExpression" || n.type === "TSNonNullExpression" || n.type === "TSSatisfiesExpression" || n.type === "ChainExpression") n = n.expression;
  return n;
}

function walk(node: Node, visit: (node: Node, parent: Node | undefined) => void, parent?: Node): void {
  visit(node, parent);
  const keys = (visitorKeys as Record<string, readonly string[]>)[node.type] ?? [];
  for (const key of keys) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item && typeof item === "object" && "type" in item) walk(item as Node, visit, node);
    } else if (child && typeof child === "object" && "type" in child) walk(child as Node, visit, node);
  }
}

function calleeName(call: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === "Identifier") return callee.name;
  if (callee.type === "MemberExpression" && !callee.computed && callee.property.type === "Identifier") return callee.property.name;
  return undefined;
}

class Program {
  readonly ast: TSESTree.Program;
  readonly parents = new Map<Node, Node>();
  readonly calls: (TSESTree.CallExpression | TSESTree.NewExpression)[] = [];
  /** Module-level names bound to a traced-scope factory call or a runnable construction. */
  readonly tracedNames = new Set<string>();
  readonly isCommonJs: boolean;
  readonly lastImportEnd: number;
  /** Names bound by the file's imports (or top-level `require`s), with the statement that binds each. */
  readonly imported = new Map<string, string>();
  /** Names the file's own top-level `const` / `let` / `var` declarations bind. */
  readonly moduleVariables = new Set<string>();

  constructor(
    readonly text: string,
    readonly filename: string,
  ) {
    this.ast = parse(text, { range: true, loc: true, jsx: false, filePath: filename }) as TSESTree.Program;
    walk(this.ast, (node, parent) => {
      if (parent) this.parents.set(node, parent);
      if (node.type === "CallExpression" || node.type === "NewExpression") this.calls.push(node);
    });
    this.isCommonJs = filename.endsWith(".cjs");
    let lastImport = 0;
    for (const statement of this.ast.body) {
      if (statement.type === "ImportDeclaration") {
        lastImport = statement.range[1];
        for (const specifier of statement.specifiers) this.imported.set(specifier.local.name, text.slice(...statement.range));
      } else if (this.isCommonJs && statement.type === "VariableDeclaration" && /\brequire\s*\(/.test(text.slice(...statement.range))) {
        lastImport = statement.range[1];
        for (const declarator of statement.declarations) {
          const names = declarator.id.type === "Identifier" ? [declarator.id.name] : declarator.id.type === "ObjectPattern" ? declarator.id.properties.flatMap((p) => (p.type === "Property" && p.value.type === "Identifier" ? [p.value.name] : [])) : [];
          for (const name of names) this.imported.set(name, text.slice(...statement.range));
        }
      }
      if (statement.type !== "VariableDeclaration") continue;
      for (const declarator of statement.declarations) {
        if (declarator.id.type === "Identifier" && !this.imported.has(declarator.id.name)) this.moduleVariables.add(declarator.id.name);
        if (declarator.id.type !== "Identifier" || !declarator.init) continue;
        const init = unwrap(declarator.init);
        if (init.type === "CallExpression" || init.type === "NewExpression") {
          const name = calleeName(init);
          const text = this.text.slice(...init.range);
          if ((name && (SCOPE_FACTORIES.has(name) || name === "from")) || /^new\s+Runnable|RunnableLambda|StateGraph|\.compile\(/.test(text) || /\.(pipe|withConfig|bind)\(/.test(text)) {
            this.tracedNames.add(declarator.id.name);
          }
        }
      }
    }
    this.lastImportEnd = lastImport;
  }

  parent(node: Node): Node | undefined {
    return this.parents.get(node);
  }

  /** Whether a function around `node` declares its own `name` (a parameter or a local), hiding the module's. */
  shadowedAt(node: Node, name: string): boolean {
    for (let fn = this.enclosingFunction(node); fn; fn = this.enclosingFunction(fn)) {
      const declares = (pattern: Node): boolean => pattern.type === "Identifier" && pattern.name === name;
      if (fn.params.some((param) => declares(param.type === "AssignmentPattern" ? param.left : param))) return true;
      let found = false;
      walk(fn.body, (n) => {
        if (n.type === "VariableDeclarator" && declares(n.id) && this.enclosingFunction(n) === fn) found = true;
      });
      if (found) return true;
    }
    return false;
  }

  enclosingFunction(node: Node): FunctionNode | undefined {
    for (let n = this.parent(node); n; n = this.parent(n)) if (isFunction(n)) return n;
    return undefined;
  }

  /** Whether the value mentions (calls, directly or through a module-level function) something that traces. */
  mentionsTracedWork(node: Node): boolean {
    const text = this.text.slice(...node.range);
    if (/\.(invoke|stream|batch|ainvoke)\s*\(/.test(text)) return true;
    for (const name of this.tracedNames) if (new RegExp(`\\b${name}\\b`).test(text)) return true;
    return false;
  }

  /**
   * Where a statement can be inserted before the evaluation of `node`, in the same function and block: the
   * innermost statement in a block list, when nothing between it and the node opens a scope of its own.
   */
  insertionPoint(node: Node): { at: number; indent: string; arrowBody?: TSESTree.Expression } | undefined {
    const fn = this.enclosingFunction(node);
    let child: Node = node;
    for (let n = this.parent(node); n; child = n, n = this.parent(n)) {
      if (n === fn) {
        // An arrow with an expression body: the body becomes a block.
        if (n.type === "ArrowFunctionExpression" && n.body === child && n.body.type !== "BlockStatement") return { at: child.range[0], indent: "", arrowBody: child as TSESTree.Expression };
        return undefined;
      }
      if (n.type === "BlockStatement" || n.type === "Program") {
        const lineStart = this.text.lastIndexOf("\n", child.range[0] - 1) + 1;
        const indent = /^[ \t]*/.exec(this.text.slice(lineStart))![0];
        if (lineStart + indent.length !== child.range[0]) return undefined; // not at the start of its line
        return { at: child.range[0], indent };
      }
      // Moving a value out of a loop body, a loop head or a switch case would change its bindings.
      if (/^(For|ForIn|ForOf|While|DoWhile)Statement$/.test(n.type) || n.type === "SwitchCase" || n.type === "ClassBody") return undefined;
    }
    return undefined;
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 2; new RegExp(`\\b${name}\\b`).test(this.text); i++) name = `${base}${i}`;
    return name;
  }
}

/** Apply non-overlapping edits. */
function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.range[0] - a.range[0] || b.range[1] - a.range[1]);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.range[0]) + edit.text + out.slice(edit.range[1]);
  return out;
}

interface Site {
  /** The value rewritten. */
  value: Node;
  /** The call it is handed to (or whose receiver it is). */
  call: TSESTree.CallExpression | TSESTree.NewExpression;
  role: "argument" | "receiver";
}

function sitesOf(program: Program): Site[] {
  const sites: Site[] = [];
  for (const call of program.calls) {
    const name = calleeName(call);
    if (call.type === "CallExpression" && call.optional) continue;
    // Receivers of runnable calls: `child.invoke(x)`.
    if (call.type === "CallExpression" && name && RUNNABLE_METHODS.has(name)) {
      const callee = unwrap(call.callee);
      if (callee.type === "MemberExpression" && unwrap(callee.object).type === "Identifier" && program.tracedNames.has((unwrap(callee.object) as TSESTree.Identifier).name) && program.enclosingFunction(call)) {
        sites.push({ value: callee.object, call, role: "receiver" });
      }
    }
    if (name && (SCOPE_FACTORIES.has(name) || NOT_A_HANDOFF.has(name))) continue;
    if (call.type === "NewExpression" && name === "Promise") continue;
    if (call.callee.type === "Super") continue;
    for (const arg of call.arguments) {
      if (!isFunction(arg)) continue;
      if (arg.async === false && arg.generator) continue;
      if (!program.mentionsTracedWork(arg.body)) continue;
      sites.push({ value: arg, call, role: "argument" });
    }
  }
  // At most three sites per program, the ones most likely to matter first (arguments, then receivers).
  return sites.sort((a, b) => (a.role === b.role ? a.value.range[0] - b.value.range[0] : a.role === "argument" ? -1 : 1)).slice(0, 3);
}

function lineColumn(program: Program, node: Node): string {
  return `${node.loc.start.line}:${node.loc.start.column + 1}`;
}

/** Edits that hold the value of `site` in a statement inserted before its use. */
function holdBefore(program: Program, site: Site, declaration: (value: string) => { decl: string; use: string }): Edit[] | undefined {
  const point = program.insertionPoint(site.call);
  if (!point) return undefined;
  const value = program.text.slice(...site.value.range);
  const { decl, use } = declaration(value);
  if (point.arrowBody) {
    // From just after `=>` to the arrow's end, so that a parenthesized body keeps its parentheses.
    const arrow = program.parent(point.arrowBody)!;
    const start = program.text.lastIndexOf("=>", point.arrowBody.range[0]) + 2;
    const end = arrow.range[1];
    const bodyText = program.text.slice(start, end);
    const replaced = bodyText.slice(0, site.value.range[0] - start) + use + bodyText.slice(site.value.range[1] - start);
    return [{ range: [start, end], text: ` { ${decl} return ${replaced.trim()}; }` }];
  }
  return [
    { range: [point.at, point.at], text: `${decl}\n${point.indent}` },
    { range: [site.value.range[0], site.value.range[1]], text: use },
  ];
}

/** The helper function that performs the hand-off call of `site`, with the call's parts as parameters. */
const GLOBALS = new Set(["setTimeout", "setInterval", "setImmediate", "queueMicrotask", "process", "globalThis", "Promise", "EventTarget", "MessageChannel", "AbortController"]);

/**
 * The helper function that performs the hand-off call of `site`, with the call's parts as parameters. A receiver or
 * callee that is an import or a global stays written in the helper (as real helpers do: `async.queue(worker)`), with
 * its import statement for a helper in another file; anything else is passed in.
 */
function helperFor(program: Program, site: Site, name: string): { declaration: string; call: string; imports: string[] } | undefined {
  const call = site.call;
  if (call.arguments.some((a) => a.type === "SpreadElement")) return undefined;
  const args = call.arguments.map((a) => program.text.slice(...a.range));
  const params = call.arguments.map((_, i) => `p${i}`);
  const callee = unwrap(call.callee);
  const isNew = call.type === "NewExpression";
  let target: Node;
  let rest = "";
  if (callee.type === "MemberExpression") {
    if (callee.object.type === "Super" || callee.computed) return undefined;
    target = unwrap(callee.object);
    rest = `.${program.text.slice(...callee.property.range)}`;
  } else if (callee.type === "Identifier") target = callee;
  else return undefined;
  const targetText = program.text.slice(...target.range);
  const fixed = target.type === "Identifier" && (program.imported.has(target.name) || GLOBALS.has(target.name));
  const expression = `${isNew ? "new " : ""}${fixed ? targetText : "target"}${rest}(${params.join(", ")})`;
  const ownParams = fixed ? params : ["target", ...params];
  return {
    declaration: `function ${name}(${ownParams.join(", ")}) {\n  return ${expression};\n}`,
    call: `${name}(${(fixed ? args : [targetText, ...args]).join(", ")})`,
    imports: fixed && target.type === "Identifier" && program.imported.has(target.name) ? [program.imported.get(target.name)!] : [],
  };
}

/** The enclosing `traceable(fn, ...)` / `RunnableLambda.from(fn)` call whose function holds the site. */
function enclosingFactoryCall(program: Program, node: Node): TSESTree.CallExpression | undefined {
  for (let n = program.parent(node); n; n = program.parent(n)) {
    if (n.type !== "CallExpression") continue;
    const name = calleeName(n);
    const first = n.arguments[0];
    if (!first || !isFunction(first) || !(first.range[0] <= node.range[0] && node.range[1] <= first.range[1])) continue;
    if (name === "traceable" || (name === "from" && /RunnableLambda/.test(program.text.slice(...n.callee.range)))) return n;
  }
  return undefined;
}

/** Every variant of a fixture program; variants that cannot be written for a site are left out. */
export function variantsOf(text: string, filename: string): Variant[] {
  const program = new Program(text, filename);
  const out: Variant[] = [];
  const seen = new Set<string>();
  const base = path.basename(filename, path.extname(filename));
  const ext = path.extname(filename);
  const add = (kind: VariantKind, site: Site, edits: Edit[] | undefined, files: Record<string, string> = {}) => {
    if (!edits) return;
    const next = applyEdits(text, edits);
    if (next === text || seen.has(next)) return;
    seen.add(next);
    out.push({ kind, site: lineColumn(program, site.value), text: next, files });
  };
  const atModuleEnd = (code: string): Edit => ({ range: [text.length, text.length], text: `${text.endsWith("\n") ? "" : "\n"}\n${code}\n` });
  const afterImports = (code: string): Edit => ({ range: [program.lastImportEnd, program.lastImportEnd], text: `${program.lastImportEnd === 0 ? "" : "\n"}${code}${program.lastImportEnd === 0 ? "\n" : ""}` });

  for (const site of sitesOf(program)) {
    const value = program.text.slice(...site.value.range);
    const local = program.fresh("heldValue");
    add("local", site, holdBefore(program, site, (v) => ({ decl: `const ${local} = ${v};`, use: local })));
    const holder = program.fresh("holder");
    add("property", site, holdBefore(program, site, (v) => ({ decl: `const ${holder} = { value: ${v} };`, use: `${holder}.value` })));
    const list = program.fresh("heldList");
    add("element", site, holdBefore(program, site, (v) => ({ decl: `const ${list} = [${v}];`, use: `${list}[0]` })));
    const moduleHeld = program.fresh("moduleHeld");
    add("module-holder", site, [afterImports(`let ${moduleHeld};`), { range: [site.value.range[0], site.value.range[1]], text: `(${moduleHeld} = ${value})` }]);
    const box = program.fresh("ValueBox");
    add("class-field", site, [
      afterImports(`class ${box} {\n  constructor(value) {\n    this.value = value;\n  }\n}`),
      { range: [site.value.range[0], site.value.range[1]], text: `new ${box}(${value}).value` },
    ]);
    const privateBox = program.fresh("PrivateBox");
    add("private-field", site, [
      afterImports(`class ${privateBox} {\n  #value;\n  constructor(value) {\n    this.#value = value;\n  }\n  get value() {\n    return this.#value;\n  }\n}`),
      { range: [site.value.range[0], site.value.range[1]], text: `new ${privateBox}(${value}).value` },
    ]);
    if (site.role === "argument") {
      const name1 = program.fresh("handOver");
      const helper = helperFor(program, site, name1);
      if (helper) {
        add("helper1", site, [atModuleEnd(helper.declaration), { range: [site.call.range[0], site.call.range[1]], text: helper.call }]);
        const name2 = program.fresh("handOverVia");
        const params = helper.declaration.slice(helper.declaration.indexOf("(") + 1, helper.declaration.indexOf(")"));
        const outer = `function ${name2}(${params}) {\n  return ${name1}(${params});\n}`;
        add("helper2", site, [atModuleEnd(`${helper.declaration}\n\n${outer}`), { range: [site.call.range[0], site.call.range[1]], text: helper.call.replace(name1, name2) }]);
        const helperFile = `${base}.variant-helpers${ext}`;
        const load = program.isCommonJs ? `const { ${name1} } = require("./${helperFile}");` : `import { ${name1} } from "./${helperFile}";`;
        const header = helper.imports.map((statement) => `${statement}\n`).join("");
        const exported = program.isCommonJs ? `${header}${helper.declaration}\nmodule.exports = { ${name1} };\n` : `${header}export ${helper.declaration}\n`;
        add("helper-file", site, [afterImports(load), { range: [site.call.range[0], site.call.range[1]], text: helper.call }], { [helperFile]: exported });
        const barrelFile = `${base}.variant-index${ext}`;
        const viaBarrel = load.replace(`./${helperFile}`, `./${barrelFile}`);
        const barrel = program.isCommonJs ? `module.exports = require("./${helperFile}");\n` : `export * from "./${helperFile}";\n`;
        add("helper-barrel", site, [afterImports(viaBarrel), { range: [site.call.range[0], site.call.range[1]], text: helper.call }], { [helperFile]: exported, [barrelFile]: barrel });
        const owner = program.fresh("helpers");
        const method = helper.declaration.replace(/^function /, "").replace(/\n/g, "\n  ");
        const objectFile = `${base}.variant-service${ext}`;
        const service = program.isCommonJs ? `${header}const ${owner} = {\n  ${method},\n};\nmodule.exports = { ${owner} };\n` : `${header}export const ${owner} = {\n  ${method},\n};\n`;
        const loadOwner = program.isCommonJs ? `const { ${owner} } = require("./${objectFile}");` : `import { ${owner} } from "./${objectFile}";`;
        add("helper-method", site, [afterImports(loadOwner), { range: [site.call.range[0], site.call.range[1]], text: `${owner}.${helper.call}` }], { [objectFile]: service });
        if (!program.isCommonJs && helper.imports.length === 0) {
          const cjsFile = `${base}.variant-helpers.cjs`;
          const createRequire = program.fresh("createRequire");
          const binding = createRequire === "createRequire" ? createRequire : `createRequire as ${createRequire}`;
          const loadCjs = `import { ${binding} } from "node:module";\nconst { ${name1} } = ${createRequire}(import.meta.url)("./${cjsFile}");`;
          add("helper-cjs", site, [afterImports(loadCjs), { range: [site.call.range[0], site.call.range[1]], text: helper.call }], { [cjsFile]: `${helper.declaration}\nmodule.exports = { ${name1} };\n` });
        }
      }
      // The receiver the callback is handed to, a module-level object, is reached through a getter function.
      const callee = unwrap(site.call.callee);
      const owner = callee.type === "MemberExpression" ? unwrap(callee.object) : undefined;
      if (owner && owner.type === "Identifier" && program.moduleVariables.has(owner.name) && !program.shadowedAt(owner, owner.name)) {
        const getter = program.fresh(`get${owner.name[0].toUpperCase()}${owner.name.slice(1)}`);
        add("receiver-getter", site, [atModuleEnd(`function ${getter}() {\n  return ${owner.name};\n}`), { range: [owner.range[0], owner.range[1]], text: `${getter}()` }]);
        const services = program.fresh("Services");
        add("static-getter", site, [afterImports(`class ${services} {\n  static get ${owner.name}() {\n    return ${owner.name};\n  }\n}`), { range: [owner.range[0], owner.range[1]], text: `${services}.${owner.name}` }]);
      }
      // The callback is built by a local factory whose parameter is the traced child it calls.
      const fn = site.value as FunctionNode;
      const child = [...program.tracedNames].find((name) => new RegExp(`\\b${name}\\s*\\(`).test(program.text.slice(...fn.body.range)));
      if (child) {
        const step = program.fresh("step");
        const build = program.fresh("makeCallback");
        const rewritten = value.replace(new RegExp(`\\b${child}(\\s*\\()`, "g"), `${step}$1`);
        add("child-param", site, holdBefore(program, site, () => ({ decl: `const ${build} = (${step}) => ${rewritten};`, use: `${build}(${child})` })));
      }
    }
    const factory = enclosingFactoryCall(program, site.value);
    if (factory) {
      const make = program.fresh("makeTraced");
      const calleeText = program.text.slice(...factory.callee.range);
      const args = factory.arguments.map((a) => program.text.slice(...a.range));
      const params = args.map((_, i) => `a${i}`);
      add("factory", site, [
        atModuleEnd(`function ${make}(${params.join(", ")}) {\n  return ${calleeText}(${params.join(", ")});\n}`),
        { range: [factory.range[0], factory.range[1]], text: `${make}(${args.join(", ")})` },
      ]);
    }
  }
  return out;
}
