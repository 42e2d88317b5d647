/**
 * What `check` looked at, printed after every report: files found, analysed, skipped by the pre-check, ignored,
 * and the runtime the analysis inferred for the analysed files (whether AsyncLocalStorage carries the current
 * run tree there: Node, a browser, a `/web` build, or a Node program that loads only `@langchain/core`).
 * The runtime of a file no rule modelled is inferred in ./check-runtime.ts (it loads the JavaScript model).
 */
import type { ConfigProblem } from "./check-configs.js";

/** Where the analysed code runs, as the analysis inferred it. */
export type RuntimeLabel = "node" | "browser" | "web build" | "core-only program";

export interface CheckSummary {
  /** Files found under the paths (after .gitignore and build-output skips). */
  filesFound: number;
  /** Files parsed and analysed by the rules. */
  analysed: number;
  /** Files the text pre-check proved free of findings (never parsed). */
  skippedByPrecheck: number;
  /** Files the project's ESLint config ignores. */
  ignored: number;
  /** Analysed files per inferred runtime. */
  runtimes: Partial<Record<RuntimeLabel, number>>;
  /** Project configs that did not load (their files were checked with our config). */
  configsNotLoaded: string[];
}

/** The runtime label of a `RuntimeInfo` reason (see src/js/model/runtime.ts and src/js/project/programs.ts). */
export function runtimeLabel(info: { als: boolean; reason: string }): RuntimeLabel {
  if (info.als) return "node";
  if (/loads no module that sets up AsyncLocalStorage/.test(info.reason)) return "core-only program";
  if (/^imports |which imports /.test(info.reason)) return "web build";
  return "browser";
}

export function countRuntimes(labels: readonly (RuntimeLabel | undefined)[]): Partial<Record<RuntimeLabel, number>> {
  const out: Partial<Record<RuntimeLabel, number>> = {};
  for (const label of labels) if (label) out[label] = (out[label] ?? 0) + 1;
  return out;
}

export function buildSummary(counts: Omit<CheckSummary, "configsNotLoaded">, problems: readonly ConfigProblem[]): CheckSummary {
  return { ...counts, configsNotLoaded: problems.map((p) => p.configFile) };
}

/** One line, e.g. `trace-nesting check: 40 files found, 3 analysed, 36 skipped by the pre-check, 1 ignored; runtimes: node 2, web build 1.` */
export function formatSummaryLine(summary: CheckSummary): string {
  const runtimes = Object.entries(summary.runtimes)
    .filter(([, n]) => n && n > 0)
    .map(([label, n]) => `${label} ${n}`);
  const parts = [
    `${summary.filesFound} file${summary.filesFound === 1 ? "" : "s"} found`,
    `${summary.analysed} analysed`,
    `${summary.skippedByPrecheck} skipped by the pre-check`,
    `${summary.ignored} ignored`,
  ];
  const configs = summary.configsNotLoaded.length > 0 ? `; ${summary.configsNotLoaded.length} config${summary.configsNotLoaded.length === 1 ? "" : "s"} not loaded` : "";
  return `trace-nesting check: ${parts.join(", ")}${runtimes.length > 0 ? `; runtimes: ${runtimes.join(", ")}` : ""}${configs}.\n`;
}
