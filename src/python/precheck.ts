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

const SCOPE_NAMES = ["traceable", "tool", "chain", "RunnableLambda", "task", "entrypoint", "trace", "tracing_context"];
const SCOPE_ATTRIBUTE = new RegExp(String.raw`\.\s*(?:${SCOPE_NAMES.join("|")})\b`);
const SCOPE_NAME = new RegExp(String.raw`\b(?:${SCOPE_NAMES.join("|")})\b`);

/**
 * Whether the code may hold a traced scope, what "inside a trace" needs: a run-starting decorator or wrapper
 * (`traceable`, `tool`, `chain`, `RunnableLambda`, `task`, `entrypoint`) or a `trace`/`tracing_context` block,
 * each reachable only through an import that names it or an attribute of an imported module (`ls.traceable`);
 * a graph registration (`add_node`, here or in another module); or one of the project's own wrappers.
 */
export function mayHoldTracedScope(code: string, context: PyPrecheckContext): boolean {
  if (code.includes("add_node") || SCOPE_ATTRIBUTE.test(code)) return true;
  if ((code.match(IMPORT_STATEMENTS) ?? []).some((statement) => SCOPE_NAME.test(statement) || /\bimport\s*\(?\s*\*/.test(statement))) return true;
  if (context.settings.traceableWrappers.some((name) => code.includes(name))) return true;
  return context.registeredElsewhere();
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

const PREFIX = /[rRbBuUfFtT]/;
const SPECIAL = /[#'"]/g;

/**
 * The code of a Python file without its comments and the contents of its string literals (docstrings, mostly),
 * which hold prose and examples but nothing the model reads as code. f-strings (and t-strings) keep their text:
 * their `{...}` parts are code. Each removed piece leaves one space, so tokens never join.
 */
export function pythonCode(text: string): string {
  let out = "";
  let from = 0;
  SPECIAL.lastIndex = 0;
  for (let match = SPECIAL.exec(text); match; match = SPECIAL.exec(text)) {
    const at = match.index;
    if (match[0] === "#") {
      const end = text.indexOf("\n", at);
      out += `${text.slice(from, at)} `;
      from = end < 0 ? text.length : end;
      SPECIAL.lastIndex = from;
      continue;
    }
    const quote = match[0];
    let prefixStart = at;
    while (prefixStart > 0 && at - prefixStart < 3 && PREFIX.test(text[prefixStart - 1])) prefixStart--;
    const formatted = prefixStart > 0 && /\w/.test(text[prefixStart - 1]) ? false : /[fFtT]/.test(text.slice(prefixStart, at));
    const triple = text.startsWith(quote.repeat(3), at);
    const delimiter = triple ? quote.repeat(3) : quote;
    let end = at + delimiter.length;
    for (;;) {
      if (end >= text.length) break;
      const c = text[end];
      if (c === "\\") end += 2;
      else if (!triple && c === "\n") break;
      else if (text.startsWith(delimiter, end)) {
        end += delimiter.length;
        break;
      } else end++;
    }
    end = Math.min(end, text.length);
    if (!formatted) {
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
