/**
 * The Python text pre-check, run before a file is parsed: a file reaches a detector only when its text holds the
 * tokens every finding of that detector needs (each detector declares them as `precheck`), and a file no detector
 * needs is never parsed.
 *
 * Every detector also needs traced code, which the model finds only through imports of a tracing module
 * (`langsmith`, `langchain`, `langchain_core`, `langgraph`), the project's own `traceableWrappers`, or, for a file
 * that imports none, traced code reached in another module: {@link mayHoldTracedCode} is that first gate.
 * Names the model resolves through imports (`ThreadPoolExecutor`, `threading.Thread`, `copy_context`) keep their
 * spelling under aliases (`from x import ThreadPoolExecutor as Pool` still names it), so a token test cannot miss
 * them. The tokens are looked for in the code only ({@link pythonCode}: comments and docstrings, where libraries
 * keep their examples, are left out). Every uncertainty passes.
 */
import { TRACING_MODULES } from "./apis.js";
import type { PySettings } from "./settings.js";
import type { PythonTarget } from "./version.js";

/** What a detector's pre-check may ask besides the text; the functions are called only when needed. */
export interface PyPrecheckContext {
  /** The file's whole text (the `code` the detectors get leaves string contents out). */
  text: string;
  settings: PySettings;
  /** The file's target Python version. */
  target(): PythonTarget;
  /** Whether another module of the project registers a function of this file as a LangGraph node. */
  registeredElsewhere(): boolean;
}

const IMPORT_RE = new RegExp(String.raw`^\s*(?:from|import)\s+(?:${TRACING_MODULES.join("|")})\b`, "m");
const HANDS_OFF = /\b(?:ThreadPoolExecutor|Thread|run_in_executor|requests|httpx|aiohttp|RemoteGraph|FastAPI|Starlette|Flask|Quart|Blueprint|django|rest_framework)\b/;
const CROSS_FILE_CALL = /\.(?:a?invoke|a?stream|a?batch)\s*\(|^\s*from\s+\.|add_node/m;

/**
 * The first gate: a file that imports no tracing module (and names none of the project's wrappers) has no traced
 * scope of its own. It still passes when it uses threads or HTTP clients together with a call that could reach
 * traced code in another module (`.invoke(`, an import from the project, `add_node`).
 */
export function mayHoldTracedCode(text: string, settings?: PySettings): boolean {
  if (IMPORT_RE.test(text)) return true;
  if (settings?.traceableWrappers.some((name) => text.includes(name))) return true;
  return HANDS_OFF.test(text) && CROSS_FILE_CALL.test(text);
}

/** Import statements, with their parenthesised or backslash-continued names. */
export const IMPORT_STATEMENTS = /^[ \t]*(?:from|import)[ \t](?:[^\n(\\]|\\(?:\r?\n)?)*(?:\([^)]*\))?/gm;

let statementsMemo: { code: string; statements: readonly string[] } | undefined;

/** The import statements of `code` ({@link IMPORT_STATEMENTS}), remembered for the last code asked about. */
export function importStatements(code: string): readonly string[] {
  if (statementsMemo?.code !== code) statementsMemo = { code, statements: code.match(IMPORT_STATEMENTS) ?? [] };
  return statementsMemo.statements;
}

const SCOPE_NAMES = ["traceable", "tool", "chain", "RunnableLambda", "task", "entrypoint", "trace", "tracing_context"];
const SCOPE_ATTRIBUTE = new RegExp(String.raw`\.\s*(?:${SCOPE_NAMES.join("|")})\b`);
const SCOPE_ATTRIBUTES = new RegExp(SCOPE_ATTRIBUTE.source, "g");
const SCOPE_NAME = new RegExp(String.raw`\b(?:${SCOPE_NAMES.join("|")})\b`);
const IDENTIFIER = /^[A-Za-z_]\w*$/;

/**
 * Whether each name the import statements bind is bound (by at least one of them) to a tracing module or something
 * in one (`import langsmith as ls`, `from langsmith import run_helpers`: true; `import itertools`: false), as the
 * model's import bindings are. Undefined when the statements cannot all be read: a wildcard import, a form this
 * reading does not know, or an `import` keyword outside the statements found (`if x: import y`).
 */
function importBindings(code: string, statements: readonly string[]): Map<string, boolean> | undefined {
  if ((code.match(/\bimport\b/g) ?? []).length !== statements.length) return undefined;
  const bindings = new Map<string, boolean>();
  const bind = (name: string, module: string) => {
    if (!IDENTIFIER.test(name)) return false;
    const tracing = (TRACING_MODULES as readonly string[]).includes(module.split(".")[0]);
    bindings.set(name, bindings.get(name) === true || tracing);
    return true;
  };
  for (const statement of statements) {
    const flat = statement.replace(/\\\r?\n|[()]/g, " ").trim();
    const from = /^from\s+(\.*[\w.]*)\s+import\s+(.*)$/s.exec(flat);
    const plain = from ? null : /^import\s+(.*)$/s.exec(flat);
    if (!from && !plain) return undefined;
    for (const part of (from ? from[2] : plain![1]).split(",")) {
      const words = part.trim().split(/\s+/);
      if (words.length === 1 && words[0] === "" && from) continue; // a trailing comma
      const aliased = words.length === 3 && words[1] === "as";
      if (words.length !== 1 && !aliased) return undefined;
      const name = words[0];
      if (from) {
        if (!bind(aliased ? words[2] : name, from[1])) return undefined;
      } else if (!/^[A-Za-z_][\w.]*$/.test(name) || !bind(aliased ? words[2] : name.split(".")[0], name)) return undefined;
    }
  }
  return bindings;
}

/**
 * Whether an attribute access `chain.name` (at `dot`, the index of its `.`) may resolve to a tracing API: unless its
 * chain starts with a name that imports bind only to other modules (`itertools.chain`), whose qualified name the
 * model takes from the import.
 */
function attributeMayBeTracing(code: string, dot: number, bindings: ReadonlyMap<string, boolean>): boolean {
  let at = dot;
  let root: string | undefined;
  for (;;) {
    let end = at;
    while (end > 0 && /[\s\\]/.test(code[end - 1])) end--;
    let start = end;
    while (start > 0 && /\w/.test(code[start - 1])) start--;
    const word = code.slice(start, end);
    if (!IDENTIFIER.test(word)) return true;
    root = word;
    let before = start;
    while (before > 0 && /[\s\\]/.test(code[before - 1])) before--;
    if (code[before - 1] !== ".") break;
    at = before - 1;
  }
  return bindings.get(root) !== false;
}

/**
 * Whether the code may hold a traced scope, what "inside a trace" needs: a run-starting decorator or wrapper
 * (`traceable`, `tool`, `chain`, `RunnableLambda`, `task`, `entrypoint`) or a `trace`/`tracing_context` block,
 * each reachable only through an import from a tracing module that names it, or an attribute of a name that is
 * not imported from another module (`ls.traceable`, not `itertools.chain` or `from opentelemetry import trace`);
 * a graph registration (`add_node`, here or in another module); or one of the project's own wrappers.
 */
export function mayHoldTracedScope(code: string, context: PyPrecheckContext): boolean {
  // Several rules ask about the same file one after the other.
  if (scopeMemo?.code !== code || scopeMemo.settings !== context.settings) scopeMemo = { code, settings: context.settings, found: scopeInCode(code, context.settings) };
  return scopeMemo.found || context.registeredElsewhere();
}

let scopeMemo: { code: string; settings: PySettings; found: boolean } | undefined;

/** {@link mayHoldTracedScope} from the file's own code (without graph registrations in other modules). */
function scopeInCode(code: string, settings: PySettings): boolean {
  if (code.includes("add_node")) return true;
  const statements = importStatements(code);
  const bindings = importBindings(code, statements);
  if (!bindings) {
    if (SCOPE_ATTRIBUTE.test(code)) return true;
    if (statements.some((statement) => SCOPE_NAME.test(statement) || /\bimport\s*\(?\s*\*/.test(statement))) return true;
  } else {
    // Attributes in the code outside the import statements (`from opentelemetry.trace import x` is no attribute).
    const body = statements.length > 0 ? code.replace(IMPORT_STATEMENTS, (statement) => " ".repeat(statement.length)) : code;
    SCOPE_ATTRIBUTES.lastIndex = 0;
    for (let match = SCOPE_ATTRIBUTES.exec(body); match; match = SCOPE_ATTRIBUTES.exec(body)) {
      if (attributeMayBeTracing(body, match.index, bindings)) return true;
    }
    if (statements.some((statement) => SCOPE_NAME.test(statement) && importsModule(statement, TRACING_MODULES))) return true;
  }
  return settings.traceableWrappers.some((name) => code.includes(name));
}

/**
 * Whether the code imports one of `modules` (or a submodule) as a module: `import a, module as m`,
 * `from module.x import y`; not `from elsewhere import module` (a different object).
 */
export function importsModule(code: string, modules: readonly string[]): boolean {
  const statement = /^[ \t]*(from|import)[ \t]+([^\n]*)/gm;
  for (let match = statement.exec(code); match; match = statement.exec(code)) {
    const names = match[1] === "from" ? [match[2]] : match[2].split(",");
    for (const name of names) {
      const root = /^[\s(\\]*([A-Za-z_]\w*)/.exec(name)?.[1];
      if (root && modules.includes(root)) return true;
    }
  }
  return false;
}

const SPECIAL = /[#'"]/g;

/** Whether the character code is a string prefix letter (`rRbBuUfFtT`). */
function isPrefix(code: number): boolean {
  return code === 114 || code === 82 || code === 98 || code === 66 || code === 117 || code === 85 || code === 102 || code === 70 || code === 116 || code === 84;
}

/** Whether the character code is a word character (`\w`). */
function isWord(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}


/**
 * The code of a Python file without its comments and the contents of its string literals (docstrings, mostly),
 * which hold prose and examples but nothing the model reads as code. f-strings (and t-strings) keep their text:
 * their `{...}` parts are code. Each removed piece leaves one space, so tokens never join.
 */
export function pythonCode(text: string): string {
  let out = "";
  let from = 0;
  // The first backslash at or after a position (kept between strings: positions only grow).
  let escape = -1;
  const nextEscape = (at: number) => {
    if (escape < at && escape !== Number.MAX_SAFE_INTEGER) {
      escape = text.indexOf("\\", at);
      if (escape < 0) escape = Number.MAX_SAFE_INTEGER;
    }
    return escape;
  };
  /** The end of a string literal whose body starts at `at`: after its delimiter, at the newline ending a one-quote string, or the text's end. */
  const stringEnd = (at: number, quote: number, triple: boolean): number => {
    let end = at;
    if (triple) {
      // Jump from one backslash or closing delimiter to the next.
      const delimiter = String.fromCharCode(quote).repeat(3);
      for (;;) {
        const close = text.indexOf(delimiter, end);
        const backslash = nextEscape(end);
        if (backslash !== Number.MAX_SAFE_INTEGER && (close < 0 || backslash < close)) {
          end = backslash + 2;
          continue;
        }
        return close < 0 ? text.length : close + 3;
      }
    }
    const length = text.length;
    while (end < length) {
      const c = text.charCodeAt(end);
      if (c === 92) end += 2;
      else if (c === 10) return end;
      else if (c === quote) return end + 1;
      else end++;
    }
    return length;
  };
  SPECIAL.lastIndex = 0;
  for (let match = SPECIAL.exec(text); match; match = SPECIAL.exec(text)) {
    const at = match.index;
    const quote = text.charCodeAt(at);
    if (quote === 35) {
      const end = text.indexOf("\n", at);
      out += `${text.slice(from, at)} `;
      from = end < 0 ? text.length : end;
      SPECIAL.lastIndex = from;
      continue;
    }
    let prefixStart = at;
    while (prefixStart > 0 && at - prefixStart < 3 && isPrefix(text.charCodeAt(prefixStart - 1))) prefixStart--;
    let formatted = false;
    if (!(prefixStart > 0 && isWord(text.charCodeAt(prefixStart - 1)))) {
      for (let i = prefixStart; i < at; i++) {
        const c = text.charCodeAt(i);
        if (c === 102 || c === 70 || c === 116 || c === 84) formatted = true;
      }
    }
    const triple = text.charCodeAt(at + 1) === quote && text.charCodeAt(at + 2) === quote;
    const end = Math.min(stringEnd(at + (triple ? 3 : 1), quote, triple), text.length);
    if (!formatted) {
      const delimiter = triple ? match[0] + match[0] + match[0] : match[0];
      out += `${text.slice(from, at)}${delimiter} ${delimiter}`;
      from = end;
    }
    SPECIAL.lastIndex = end;
  }
  return out + text.slice(from);
}

/**
 * The function argument of each `add_node(...)` call in the code, as text: the second positional argument, or the
 * only one (what the model takes as the registered function); keyword arguments are skipped.
 */
export function addNodeTargets(code: string): string[] {
  const targets: string[] = [];
  const call = /\badd_node\s*\(/g;
  for (let match = call.exec(code); match; match = call.exec(code)) {
    // The top-level arguments, up to the call's closing parenthesis.
    const args: string[] = [];
    let depth = 1;
    let start = call.lastIndex;
    for (let end = start; end < code.length && depth > 0; end++) {
      const c = code[end];
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") depth--;
      if ((c === "," && depth === 1) || depth === 0) {
        args.push(code.slice(start, end));
        start = end + 1;
      }
    }
    const positional = args.map((arg) => arg.trim()).filter((arg) => arg !== "" && !/^[A-Za-z_]\w*\s*=(?!=)/.test(arg));
    const target = positional.length >= 2 ? positional[1] : positional[0];
    if (target !== undefined) targets.push(target);
  }
  return targets;
}

/**
 * Whether an `add_node(...)` call of the code may register a function of this file: its function argument is a
 * name defined here by `def` or bound by an assignment or `as` (which the model follows to a function).
 */
export function registersLocalFunction(code: string): boolean {
  return addNodeTargets(code).some((target) => {
    if (!/^[A-Za-z_]\w*$/.test(target)) return false;
    return new RegExp(String.raw`\bdef[ \t]+${target}\b|^[ \t]*${target}[ \t]*(?::[^=\n]*)?=(?!=)|\bas[ \t]+${target}\b`, "m").test(code);
  });
}

/**
 * Whether the code may decorate a function with langsmith's `@traceable`: `@traceable`, `@ls.traceable`, or a
 * name bound to it (`from langsmith import traceable as tr`, `tr = traceable`) used as a decorator.
 */
export function mayDecorateTraceable(code: string): boolean {
  if (/@[ \t]*(?:[A-Za-z_][\w.]*\.)?traceable\b/.test(code)) return true;
  const aliases = [...code.matchAll(/\btraceable[ \t]+as[ \t]+([A-Za-z_]\w*)|\b([A-Za-z_]\w*)[ \t]*=[ \t]*(?:[A-Za-z_][\w.]*\.)?traceable\b/g)].map((m) => m[1] ?? m[2]);
  return aliases.some((alias) => new RegExp(String.raw`@[ \t]*${alias}\b`).test(code));
}
