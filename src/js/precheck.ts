import type { ResolvedSettings } from "./settings.js";

/**
 * Every finding needs a tracing API in the file (a traced scope or traced work), and those come from
 * langsmith / LangChain / LangGraph imports or the project's own wrapper names. A file whose text mentions none
 * of them has no findings; most files in a repository are like that, and skipping them costs one regex.
 */
const TRACING_MENTION = /langsmith|langchain|traceable/;

export function precheckText(text: string, settings: ResolvedSettings): boolean {
  if (TRACING_MENTION.test(text)) return true;
  for (const name of settings.traceableWrappers) if (text.includes(name)) return true;
  for (const name of settings.runnableFactories) if (text.includes(name)) return true;
  return false;
}
