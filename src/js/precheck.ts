import type { TSESTree } from "@typescript-eslint/utils";
import { CHILD_RUN_CALL, CONFIG_TYPE_NAMES, isLangchainModule, isLangsmithModule, queueLibraryOf, TRACED_SCOPE_BASE_CLASSES, TRACED_SCOPE_FACTORIES, TRACED_SCOPE_METHODS } from "./apis.js";
import { importsChildRunModule, importsReexportedApi, isCalledFromScopesElsewhere, isEntryWithoutAsyncContext, isRegisteredElsewhere } from "./project/index.js";
import { TOP_LEVEL_RUN } from "./project/programs.js";
import type { ResolvedSettings } from "./settings.js";

/**
 * The text pre-check, run before anything is parsed. Every finding needs a traced scope (a function handed to one
 * of {@link TRACED_SCOPE_FACTORIES}, reached through an import of a langsmith / LangChain / LangGraph module, or a
 * `.pipe(fn)` / `.addNode(name, fn)` in a file that loads one), or a queue library (p-queue, p-limit, async), or one
 * of the project's own wrapper names. The model finds APIs only through module loads (`import`, `export ... from`,
 * `require`, `import()`), so a file passes when its text:
 *
 * - mentions a user-named wrapper or factory; or
 * - loads a queue library; or
 * - loads a tracing module and declares a class extending one of its base classes whose methods the library calls
 *   with a config (`extends Runnable`, `extends StructuredTool`); or
 * - loads a tracing module in a way that can bring in a traced-scope factory: a named import or destructuring
 *   `require` that names one, a namespace / default / plain `require` binding used as `ns.factory` or `ns[...]`,
 *   or any load this scan does not recognise (then any mention of a factory name anywhere passes); or loads one at
 *   all and calls `.pipe` or `.addNode`.
 *
 * Loads on lines that start like a comment (`//`, `*`, `/*`) and specifiers in other strings do not count: the
 * model would not see them either. Every uncertainty passes, so the pre-check only skips files that certainly have
 * no findings; most files in a repository mention no tracing module at all and cost one regex.
 */

const SPEC = String.raw`(?:langsmith|@langchain\/|langchain)[^"'\x60\n]*`;
const QUOTED_SPEC = String.raw`["']${SPEC}["']`;
const ID = String.raw`[A-Za-z_$][\w$]*`;

/** Any quoted tracing specifier: the first, cheapest test. */
const TRACING_MENTION = /["'`](?:langsmith|@langchain\/|langchain)/;
/** A tracing specifier in a load position. */
const TRACING_LOAD = new RegExp(String.raw`(?:\bfrom|\brequire\s*\(|\bimport\s*\(|\bimport)\s*["'\x60]${SPEC}`, "g");
/** A queue library loaded by import, require or import(). */
const QUEUE_LOAD = /(?:\bfrom|\brequire\s*\(|\bimport\s*\(|\bimport)\s*["'`](?:p-queue|p-limit|async|neo-async|fastq)(?:-v?\d[\w.]*)?(?:["'`/])/;
/**
 * A module that may keep work for later: it loads a queue library or starts timers. Only such a module asks the project
 * what its importers pass to its exported functions (a factory handed a traceable, a method handed a callback).
 */
export const KEEPS_WORK_HINT = new RegExp(String.raw`${QUEUE_LOAD.source}|\bset(?:Interval|Timeout|Immediate)\s*\(`);
/** Worker threads, pools and child processes, and a forked child's message handler (propagate-trace-to-worker, continue-trace-in-worker). */
const WORKER_HINT = /["'`](?:node:)?(?:worker_threads|child_process)["'`]|["'`](?:piscina|tinypool|workerpool)["'`/]|\bprocess\s*\.\s*(?:on|once)\s*\(\s*["'`]message/;

interface LoadForm {
  pattern: RegExp;
  /** Named bindings (`{ a, b as c }` text) and namespace-like identifiers the form brings in. */
  bindings(match: RegExpMatchArray): { named?: string; namespaces?: (string | undefined)[] };
}

/** The load forms the scan understands. Type-only imports and re-exports bind nothing usable at runtime. */
const LOAD_FORMS: LoadForm[] = [
  { pattern: new RegExp(String.raw`\bimport\s+type\s+(?:${ID}\s*|\*\s*as\s+${ID}\s*|\{[^{}]*\}\s*)from\s*${QUOTED_SPEC}`, "g"), bindings: () => ({}) },
  { pattern: new RegExp(String.raw`\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+${ID})?|\{[^{}]*\})\s*from\s*${QUOTED_SPEC}`, "g"), bindings: () => ({}) },
  {
    pattern: new RegExp(String.raw`\bimport\s+(?:(${ID})\s*,?\s*)?(?:\{([^{}]*)\}|\*\s*as\s+(${ID}))?\s*from\s*${QUOTED_SPEC}`, "g"),
    bindings: (m) => ({ namespaces: [m[1], m[3]], named: m[2] }),
  },
  { pattern: new RegExp(String.raw`\b(?:const|let|var)\s*\{([^{}]*)\}\s*=\s*require\s*\(\s*${QUOTED_SPEC}\s*\)`, "g"), bindings: (m) => ({ named: m[1] }) },
  // `x = require("...")`, `const x = __importStar(require("..."))`, TypeScript's `import x = require("...")`.
  { pattern: new RegExp(String.raw`(?<![\w$.])(${ID})\s*=\s*(?:${ID}\s*\(\s*)?require\s*\(\s*${QUOTED_SPEC}\s*\)`, "g"), bindings: (m) => ({ namespaces: [m[1]] }) },
];

const FACTORY_NAMES: ReadonlySet<string> = new Set(TRACED_SCOPE_FACTORIES);
const FACTORY_ALTERNATIVES = TRACED_SCOPE_FACTORIES.join("|");
const ANY_FACTORY = new RegExp(String.raw`\b(?:${FACTORY_ALTERNATIVES})\b`);
/** A class extending one of {@link TRACED_SCOPE_BASE_CLASSES}, by name or through a namespace (`extends core.Runnable`). */
const EXTENDS_BASE = new RegExp(String.raw`\bextends\s+(?:[A-Za-z_$][\w$]*\s*\.\s*)?(?:${TRACED_SCOPE_BASE_CLASSES.join("|")})\b`);
const SCOPE_METHOD = new RegExp(String.raw`\.\s*(?:${TRACED_SCOPE_METHODS.join("|")})\b`);
const COMMENT_LINE = /^(?:\/\/|\/\*|\*)/;
/** A config type on a parameter after the first: `(state, config: RunnableConfig)`. */
const CONFIG_TYPE = new RegExp(String.raw`,\s*[A-Za-z_$][\w$]*\s*\??\s*:\s*(?:${[...CONFIG_TYPE_NAMES].join("|")})\b`);
const EXPORTS = /\bexport\b|\bmodule\.exports\b|\bexports\./;

function mentionsUserNames(text: string, settings: ResolvedSettings): boolean {
  for (const name of settings.traceableWrappers) if (text.includes(name)) return true;
  for (const name of settings.runnableFactories) if (text.includes(name)) return true;
  return false;
}

/** The names a `{ a, b as c, d: e, type f }` binding list imports (the exported names, not the local ones). */
function importedNames(list: string): string[] {
  return list
    .split(",")
    .map((part) => part.trim().replace(/^type\s+/, "").split(/\s+as\s+|\s*:\s*/)[0].trim())
    .filter((name) => name.length > 0);
}

function usesAsNamespace(text: string, name: string): boolean {
  const escaped = name.replace(/\$/g, "\\$");
  return new RegExp(String.raw`(?<![\w$])${escaped}\s*(?:\.\s*(?:${FACTORY_ALTERNATIVES}|default)\b|\[)`).test(text);
}

/** Whether the tracing modules this text loads can bring a traced-scope factory into the file. */
function tracingLoadsMayMakeScopes(text: string): boolean {
  let loads = 0;
  TRACING_LOAD.lastIndex = 0;
  for (const match of text.matchAll(TRACING_LOAD)) {
    const lineStart = text.lastIndexOf("\n", match.index!) + 1;
    if (!COMMENT_LINE.test(text.slice(lineStart, match.index!).trimStart())) loads++;
  }
  if (loads === 0) return false;
  if (SCOPE_METHOD.test(text) || EXTENDS_BASE.test(text)) return true;
  // A function typed `(state, config: RunnableConfig)` is a node or runnable even when the file imports only types.
  if (CONFIG_TYPE.test(text)) return true;

  let recognised = 0;
  const ends = new Set<number>();
  for (const form of LOAD_FORMS) {
    form.pattern.lastIndex = 0;
    for (const match of text.matchAll(form.pattern)) {
      const end = match.index! + match[0].length;
      if (ends.has(end)) continue; // the plain-require form also matches inside the destructuring one's text
      ends.add(end);
      recognised++;
      const { named, namespaces } = form.bindings(match);
      if (named && importedNames(named).some((name) => FACTORY_NAMES.has(name))) return true;
      for (const namespace of namespaces ?? []) if (namespace && usesAsNamespace(text, namespace)) return true;
    }
  }
  // A load this scan does not understand (dynamic import, side-effect import, unusual layout): any factory name passes.
  return recognised < loads && ANY_FACTORY.test(text);
}

/**
 * One answer per file object (an AST, ESLint's SourceCode) and settings: every rule asks about the same file. `text`
 * is the file's text, which the object determines, so it is not part of the key.
 */
function memoized<K extends object>(compute: (key: K, text: string, settings: ResolvedSettings) => boolean) {
  const cache = new WeakMap<K, WeakMap<ResolvedSettings, boolean>>();
  return (key: K, text: string, settings: ResolvedSettings): boolean => {
    let perSettings = cache.get(key);
    if (!perSettings) cache.set(key, (perSettings = new WeakMap()));
    let result = perSettings.get(settings);
    if (result === undefined) perSettings.set(settings, (result = compute(key, text, settings)));
    return result;
  };
}

const precheckMemo = memoized<object>((_source, text, settings) => precheckText(text, settings));

/** {@link precheckText} of a source object's text (ESLint's SourceCode), once per object and settings. */
export function precheckSource(source: { text: string }, settings: ResolvedSettings, filename?: string, cwd?: string): boolean {
  return precheckMemo(source, source.text, settings) || registeredMemo(source, source.text, settings, filename, cwd);
}

/**
 * The second gate, for a parsed file: it loads a tracing module or a queue library ({@link loadsTracingApi}), or
 * another file of the project registers it (or it is a program entry without AsyncLocalStorage). Every front end
 * asks this before building a model: the ESLint rules (`source` is ESLint's SourceCode), `check`'s own run of the
 * detectors, `fix` and the codemods. Once per source object and settings.
 */
export function worthModelling(source: { text: string }, program: TSESTree.Program, settings: ResolvedSettings, filename?: string, cwd?: string): boolean {
  return loadsTracingApi(program, source.text, settings) || registeredMemo(source, source.text, settings, filename, cwd);
}

const registeredCache = new WeakMap<object, boolean>();
function registeredMemo(source: object, text: string, settings: ResolvedSettings, filename?: string, cwd?: string): boolean {
  let result = registeredCache.get(source);
  if (result === undefined) registeredCache.set(source, (result = registeredElsewhere(text, settings, filename, cwd)));
  return result;
}

/**
 * The pre-check for a file on disk: its text, or else whether another file of the project registers one of its
 * exports as a graph node, task, entrypoint or runnable (a node kept in its own file that imports nothing from
 * LangChain). The second question is asked only of files that export something.
 */
export function precheckFile(text: string, settings: ResolvedSettings, filename: string | undefined, cwd: string | undefined): boolean {
  if (precheckText(text, settings)) return true;
  return registeredElsewhere(text, settings, filename, cwd);
}

export function registeredElsewhere(text: string, settings: ResolvedSettings, filename: string | undefined, cwd: string | undefined): boolean {
  if (entryWithoutAsyncContext(text, settings, filename, cwd)) return true;
  if (!filename) return false;
  // A scope factory taken from a project module that re-exports langsmith's (`require("./triage.cjs").traceable`).
  if (RELATIVE_IMPORT.test(text) && ANY_FACTORY.test(text)) {
    try {
      if (importsReexportedApi(filename, text, FACTORY_NAMES, (specifier) => isLangsmithModule(specifier) || isLangchainModule(specifier))) return true;
    } catch {
      // unreadable: as if not
    }
  }
  if (!EXPORTS.test(text)) return false;
  try {
    if (isRegisteredElsewhere(filename, cwd ?? process.cwd(), settings)) return true;
    // A helper that starts child runs (a runnable method call, or a call of a project helper that does) and is called
    // inside traced scopes of other files, or by such a helper there.
    const startsChildRuns = CHILD_RUN_CALL.test(text) || (RELATIVE_IMPORT.test(text) && importsChildRunModule(filename));
    return startsChildRuns && isCalledFromScopesElsewhere(filename, cwd ?? process.cwd(), settings);
  } catch {
    return false;
  }
}

/** An import (or require) of a relative module: the file may call the project's own helpers. */
export const RELATIVE_IMPORT = /(?:from|require\s*\(|import\s*\()\s*["']\.\.?\//;


/**
 * A program entry (it runs something when loaded) whose program loads LangChain but nothing that sets
 * AsyncLocalStorage up: set-up-async-context reports on it even when its own text loads no tracing module.
 */
function entryWithoutAsyncContext(text: string, settings: ResolvedSettings, filename: string | undefined, cwd: string | undefined): boolean {
  if (!filename || settings.runtime !== "auto" || !TOP_LEVEL_RUN.test(text)) return false;
  try {
    return isEntryWithoutAsyncContext(filename, cwd ?? process.cwd(), settings);
  } catch {
    return false;
  }
}

/** Cheap text test: false means the file certainly has no findings. */
export function precheckText(text: string, settings: ResolvedSettings): boolean {
  if (mentionsUserNames(text, settings)) return true;
  if (QUEUE_LOAD.test(text)) return true;
  if (WORKER_HINT.test(text)) return true;
  return TRACING_MENTION.test(text) && tracingLoadsMayMakeScopes(text);
}

const NESTED_TRACING_LOAD = /(?:require|import)\s*\(\s*["'`](?:langsmith|@langchain\/|langchain|p-queue|p-limit|async["'`/]|neo-async["'`/]|fastq["'`/])/;

function isGatedModule(specifier: unknown): boolean {
  return typeof specifier === "string" && (isLangsmithModule(specifier) || isLangchainModule(specifier) || queueLibraryOf(specifier) !== undefined || VERSIONED_QUEUE_ALIAS.test(specifier));
}
/** A queue library installed under a versioned npm alias (`"p-queue-8": "npm:p-queue@8"`); the model reads its manifest. */
const VERSIONED_QUEUE_ALIAS = /^(?:p-queue|p-limit|async|neo-async|fastq)-v?\d[\w.]*(?:\/|$)/;

/**
 * Second gate, after parsing and before building the model: the file must load a tracing module or a queue
 * library (top-level import, export-from, import-equals or require; a nested `require()`/`import()` is found by
 * text) or mention a user-named wrapper. Files that only mention LangChain in comments or strings stop here.
 */
export const loadsTracingApi: (program: TSESTree.Program, text: string, settings: ResolvedSettings) => boolean = memoized(computeLoadsTracingApi);

function computeLoadsTracingApi(program: TSESTree.Program, text: string, settings: ResolvedSettings): boolean {
  for (const statement of program.body) {
    switch (statement.type) {
      case "ImportDeclaration":
      case "ExportAllDeclaration":
        if (isGatedModule(statement.source.value)) return true;
        break;
      case "ExportNamedDeclaration":
        if (statement.source && isGatedModule(statement.source.value)) return true;
        break;
      case "TSImportEqualsDeclaration":
        if (statement.moduleReference.type === "TSExternalModuleReference" && isGatedModule(statement.moduleReference.expression.value)) return true;
        break;
      default:
        break;
    }
  }
  return NESTED_TRACING_LOAD.test(text) || WORKER_HINT.test(text) || mentionsUserNames(text, settings);
}
