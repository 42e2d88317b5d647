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
  entrySetter: EntrySetter = () => undefined,
): RuntimeInfo {
  if (settings.runtime === "node") return { als: true, reason: 'settings runtime "node"' };
  if (settings.runtime === "browser") return { als: false, reason: 'settings runtime "browser"' };
  const web = specifiers.find((specifier) => NO_ALS_MODULES.has(specifier));
  const browser = browserSign(ast, settings, filename, cwd);
  if (web) {
    // A Node program entry (run by Node, not a UI file, nothing marking it for a browser) whose program loads a module
    // that sets AsyncLocalStorage up: the `/web` build uses that context (measured).
    const setter = !browser && !UI_FILE.test(filename) ? entrySetter() : undefined;
    if (setter) return { als: true, reason: `imports ${web}, but it is a program entry that loads ${setter.specifier} (in ${setter.file}), which sets AsyncLocalStorage up in Node` };
    return { als: false, reason: `imports ${web}` };
  }
  if (browser) return browser;
  return program() ?? { als: true, reason: "Node with AsyncLocalStorage" };
}

/** When the file is a program entry: the module its program loads that sets AsyncLocalStorage up (project index). */
export type EntrySetter = () => { specifier: string; file: string } | undefined;

/** A component file (JSX): part of a UI, which runs in a browser. */
const UI_FILE = /\.[jt]sx$/i;

/** What marks the file for a browser: a `"use client"` directive, or a `browserFiles` glob it matches. */
function browserSign(ast: TSESTree.Program, settings: ResolvedSettings, filename: string, cwd: string): RuntimeInfo | undefined {
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
  return undefined;
}
