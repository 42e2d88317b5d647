/**
 * Programs: which entry points reach a file through the project's imports, and whether each loads a module that
 * sets AsyncLocalStorage up (ground truth §1). An entry is a project file no other project file imports and that
 * runs something when loaded (a top-level call or `await`), not a test or a config file. A file reached by no entry
 * (a library module) gets no verdict from here.
 */
import path from "node:path";
import { NO_ALS_MODULES } from "../apis.js";
import type { RuntimeInfo } from "../model/runtime.js";

/** `import ... from "x"`, `import "x"`, `export ... from "x"`, `require("x")`, `import("x")`, `createRequire(import.meta.url)("x")`. */
export const SPECIFIER_PATTERN = /(?:^|[\s;(])(?:import|export)\b[^"'`;]*?\bfrom\s*["']([^"'\n]+)["']|(?:^|[\s;])import\s*["']([^"'\n]+)["']|\b(?:require|import)\s*\(\s*["']([^"'\n]+)["']\s*\)|\bcreateRequire\s*\([^()]*\)\s*\(\s*["']([^"'\n]+)["']\s*\)/gm;

const SETTERS = new Set(["langsmith/traceable", "langsmith/langchain", "@langchain/core/context", "@langchain/core/callbacks/dispatch", "@langchain/langgraph", "langchain"]);
const NON_SETTERS = new Set(["langsmith", "langsmith/run_trees", "langsmith/singletons/traceable", "langsmith/schemas", "@langchain/langgraph/web", "@langchain/core/callbacks/dispatch/web", "@langchain/openai"]);
const TEST_OR_CONFIG = /(?:\.(?:test|spec|config|stories)\.[cm]?[jt]sx?$)|(?:^|[\\/])(?:__tests__|__mocks__|test|tests)[\\/]/;
/**
 * A line that runs something when the module loads: a top-level call, `await`, `void`, an async IIFE. Module
 * (also a chain written over several lines: `app\n  .listen(...)`); module boilerplate that compilers emit at the top level (`Object.defineProperty(exports, …)`, `tslib.__exportStar(…)`,
 * `__export(…)`, a bare `require(…)`, AMD `define(…)`) is not a program running.
 */
export const TOP_LEVEL_RUN = /^(?:await\s|void\s|(?!(?:Object\.\w+|(?:[A-Za-z_$][\w$]*\.)?__\w+|exports\.\w+|module\.exports|define)\s*\(|require\s*\([^()\n]*\)\s*;?\s*$)[A-Za-z_$][\w$]*(?:\s*\??\.[A-Za-z_$][\w$]*)*\s*\(|\(async\b|\(\s*\(\s*\)\s*=>)/m;

/** What loading a module specifier does to AsyncLocalStorage: sets it up, leaves it alone, or may do either. */
export function alsEffect(specifier: string): "sets" | "none" | "unknown" | "unrelated" {
  if (SETTERS.has(specifier)) return "sets";
  if (NON_SETTERS.has(specifier)) return "none";
  if (specifier.startsWith("@langchain/core/")) return "none";
  if (specifier.startsWith("langsmith/") || specifier.startsWith("@langchain/") || specifier.startsWith("langchain/")) return "unknown";
  return "unrelated";
}

function isProgramEntry(file: string, text: string): boolean {
  if (TEST_OR_CONFIG.test(file)) return false;
  return TOP_LEVEL_RUN.test(text);
}

export interface ProgramRoot {
  file: string;
  /** It runs something when loaded (a program entry), rather than only exporting (a library module). */
  entry: boolean;
  /** Another project file imports it (it is a program root only because it runs something itself). */
  imported?: boolean;
}

/** Who imports whom among the project's files: target file -> importing files. */
export function buildImporters(
  projectFiles: readonly string[],
  specifiersOf: (file: string) => string[],
  resolve: (specifier: string, from: string) => string | undefined,
  mayNameProjectModule: (specifier: string, from: string) => boolean = (specifier) => /^(?:\.|\/|#|@\/|~\/)/.test(specifier),
): Map<string, string[]> {
  const importers = new Map<string, string[]>();
  for (const from of projectFiles) {
    for (const specifier of specifiersOf(from)) {
      if (!mayNameProjectModule(specifier, from)) continue;
      const target = resolve(specifier, from);
      if (!target) continue;
      const list = importers.get(target);
      if (list) list.push(from);
      else importers.set(target, [from]);
    }
  }
  return importers;
}

/** The roots of the import graph from which `file` is reached (itself included when nothing imports it). */
export function programRoots(file: string, importers: ReadonlyMap<string, string[]>, textOf: (file: string) => string, entries?: Map<string, boolean>): ProgramRoot[] {
  const roots: ProgramRoot[] = [];
  const seen = new Set<string>([file]);
  const queue = [file];
  const isEntry = (f: string): boolean => {
    let known = entries?.get(f);
    if (known === undefined) {
      known = isProgramEntry(f, textOf(f));
      entries?.set(f, known);
    }
    return known;
  };
  while (queue.length > 0) {
    const current = queue.shift()!;
    const parents = importers.get(current) ?? [];
    const entry = isEntry(current);
    if (parents.length === 0 || (current === file && entry)) roots.push({ file: current, entry, imported: parents.length > 0 });
    for (const parent of parents) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      queue.push(parent);
    }
  }
  return roots;
}

/** What loading a program (and every project module it reaches) does to AsyncLocalStorage, and the tracing modules it loads. */
export interface ProgramEffect {
  effect: "sets" | "none" | "unknown";
  tracing: string[];
}

function programEffect(program: string, specifiersOf: (file: string) => string[], resolve: (specifier: string, from: string) => string | undefined): ProgramEffect {
  const seen = new Set<string>([program]);
  const queue = [program];
  let effect: ProgramEffect["effect"] = "none";
  const tracing: string[] = [];
  while (queue.length > 0 && effect === "none") {
    const current = queue.shift()!;
    for (const specifier of specifiersOf(current)) {
      const target = resolve(specifier, current);
      if (target) {
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
        continue;
      }
      const e = alsEffect(specifier);
      if (e === "unrelated") continue;
      if (e !== "none") {
        effect = e;
        break;
      }
      if (!tracing.includes(specifier)) tracing.push(specifier);
    }
  }
  return { effect, tracing };
}

/**
 * The verdict for `file` from its programs: no AsyncLocalStorage when some program certainly never sets it up.
 * `effects` memoizes each program's walk (it does not depend on `file`), for callers that keep it while the
 * project's files are unchanged.
 */
export function alsVerdict(
  file: string,
  programs: readonly ProgramRoot[],
  root: string,
  specifiersOf: (file: string) => string[],
  resolve: (specifier: string, from: string) => string | undefined,
  effects?: Map<string, ProgramEffect>,
): RuntimeInfo | undefined {
  for (const { file: program, entry, imported } of programs) {
    let known = effects?.get(program);
    if (!known) {
      known = programEffect(program, specifiersOf, resolve);
      effects?.set(program, known);
    }
    const { effect, tracing } = known;
    // A library module's importers decide its runtime, unless it is built for a runtime without AsyncLocalStorage.
    const web = tracing.find((specifier) => NO_ALS_MODULES.has(specifier));
    if (effect === "none" && web && program !== file) {
      const where = path.relative(root, program).split(path.sep).join("/") || path.basename(program);
      return { als: false, reason: `it is part of ${where}, which imports ${web}` };
    }
    if (effect === "none" && tracing.length > 0 && entry) {
      const where = path.relative(root, program).split(path.sep).join("/") || path.basename(program);
      const self = program === file ? "this file is a program entry that" : `program entry ${where}`;
      return {
        als: false,
        reason: `${self} loads no module that sets up AsyncLocalStorage (only ${tracing.slice(0, 3).join(", ")}${tracing.length > 3 ? ", ..." : ""})`,
        program: { entry: program, self: program === file && !imported, modules: tracing },
      };
    }
  }
  return undefined;
}
