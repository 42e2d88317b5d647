/**
 * Runtime: whether AsyncLocalStorage carries the current run tree where this file runs (ground truth §1), and why.
 * Settings decide first; then what the file itself shows (a `/web` import, a `"use client"` directive, a
 * `browserFiles` glob); then what the program it belongs to loads (the project index: a Node program whose entry
 * points load no module that sets AsyncLocalStorage up runs without it, a browser entry runs without it).
 */
import path from "node:path";
import { minimatch } from "minimatch";
import type { TSESTree } from "@typescript-eslint/utils";
import { NO_ALS_MODULES } from "../apis.js";
import type { ResolvedSettings } from "../settings.js";

export interface RuntimeInfo {
  /** Whether AsyncLocalStorage carries the current run tree in this file. */
  als: boolean;
  /** Why, in words, e.g. `imports @langchain/langgraph/web`. */
  reason: string;
  /**
   * When the verdict comes from a Node program whose entry loads no module that sets AsyncLocalStorage up: that
   * entry (absolute path), whether it is this file (and no other project file imports it), and the tracing modules
   * the program loads.
   */
  program?: { entry: string; self: boolean; modules: readonly string[] };
}

/** What the project knows about the programs a file belongs to (from the project index). */
export type ProgramRuntime = () => RuntimeInfo | undefined;

export function fileRuntime(
  ast: TSESTree.Program,
  specifiers: readonly string[],
  settings: ResolvedSettings,
  filename: string,
  cwd: string,
  program: ProgramRuntime,
): RuntimeInfo {
  if (settings.runtime === "node") return { als: true, reason: 'settings runtime "node"' };
  if (settings.runtime === "browser") return { als: false, reason: 'settings runtime "browser"' };
  for (const specifier of specifiers) {
    if (NO_ALS_MODULES.has(specifier)) return { als: false, reason: `imports ${specifier}` };
  }
  for (const statement of ast.body) {
    if (statement.type !== "ExpressionStatement" || !("directive" in statement) || !statement.directive) break;
    if (statement.directive === "use client") return { als: false, reason: 'has a "use client" directive' };
  }
  if (settings.browserFiles.length > 0) {
    const relative = path.relative(cwd, path.resolve(cwd, filename)).split(path.sep).join("/");
    for (const glob of settings.browserFiles) {
      if (minimatch(relative, glob, { dot: true })) return { als: false, reason: `matches browserFiles "${glob}"` };
    }
  }
  return program() ?? { als: true, reason: "Node with AsyncLocalStorage" };
}
