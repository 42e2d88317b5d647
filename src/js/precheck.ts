import type { TSESTree } from "@typescript-eslint/utils";
import { isLangchainModule, isLangsmithModule } from "./apis.js";
import type { ResolvedSettings } from "./settings.js";

/**
 * Every finding needs a tracing API in the file (a traced scope or traced work), and those come from
 * langsmith / LangChain / LangGraph imports or the project's own wrapper names. A file whose text has no module
 * specifier of those packages (a quote right before `langsmith`, `@langchain/` or `langchain`) and no wrapper name
 * has no findings; most files in a repository are like that, and skipping them costs one regex.
 */
const TRACING_MENTION = /["'`](?:langsmith|@langchain\/|langchain)/;

function mentionsUserNames(text: string, settings: ResolvedSettings): boolean {
  for (const name of settings.traceableWrappers) if (text.includes(name)) return true;
  for (const name of settings.runnableFactories) if (text.includes(name)) return true;
  return false;
}

export function precheckText(text: string, settings: ResolvedSettings): boolean {
  return TRACING_MENTION.test(text) || mentionsUserNames(text, settings);
}

const NESTED_TRACING_LOAD = /(?:require|import)\s*\(\s*["'`](?:langsmith|@langchain\/|langchain)/;

function isTracingModule(specifier: unknown): boolean {
  return typeof specifier === "string" && (isLangsmithModule(specifier) || isLangchainModule(specifier));
}

/**
 * Second gate, after parsing and before building the model: the file must load a tracing module (top-level import,
 * export-from, import-equals or require; a nested `require()`/`import()` is found by text) or mention a user-named
 * wrapper. Files that only mention LangChain in comments or strings stop here.
 */
export function loadsTracingApi(program: TSESTree.Program, text: string, settings: ResolvedSettings): boolean {
  let perSettings = gateCache.get(program);
  if (!perSettings) gateCache.set(program, (perSettings = new WeakMap()));
  let result = perSettings.get(settings);
  if (result === undefined) perSettings.set(settings, (result = computeLoadsTracingApi(program, text, settings)));
  return result;
}

/** Per program and settings: every rule asks for the same file. */
const gateCache = new WeakMap<TSESTree.Program, WeakMap<ResolvedSettings, boolean>>();

function computeLoadsTracingApi(program: TSESTree.Program, text: string, settings: ResolvedSettings): boolean {
  for (const statement of program.body) {
    switch (statement.type) {
      case "ImportDeclaration":
      case "ExportAllDeclaration":
        if (isTracingModule(statement.source.value)) return true;
        break;
      case "ExportNamedDeclaration":
        if (statement.source && isTracingModule(statement.source.value)) return true;
        break;
      case "TSImportEqualsDeclaration":
        if (statement.moduleReference.type === "TSExternalModuleReference" && isTracingModule(statement.moduleReference.expression.value)) return true;
        break;
      default:
        break;
    }
  }
  return NESTED_TRACING_LOAD.test(text) || mentionsUserNames(text, settings);
}
