/**
 * set-up-async-context: a Node program that uses LangChain runnables (`@langchain/core`) but whose entry point loads
 * no module that sets AsyncLocalStorage up (ground truth §1: `@langchain/core/runnables` and the other core modules
 * do not; `@langchain/core/context`, `langsmith/traceable`, `@langchain/langgraph` and `langchain` do). In such a
 * program every runnable, tool or graph node called without `config` starts its own trace (ground truth §2:
 * "SPLIT(root) in a core-only Node app"). Reported once per program, on its entry file; the program verdict comes
 * from the project index (`src/js/project/programs.ts`).
 *
 * The remedy is one import at the top of the entry point: `import "@langchain/core/context"`. It is offered as a
 * suggestion, not an autofix: with AsyncLocalStorage, nested runnables also inherit the caller's config (tags,
 * metadata, `configurable`, callbacks) from the context, which changes more than the traces.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { existsSync } from "node:fs";
import path from "node:path";
import { NO_ALS_MODULES } from "../apis.js";
import { modelOnDisk, type JsModel } from "../model.js";
import { precheckText } from "../precheck.js";
import { setImplicitChildQuestion } from "../project/index.js";
import { alsEffect, TOP_LEVEL_RUN } from "../project/programs.js";
import { passRunnableConfig } from "./pass-runnable-config.js";
import { AUTOFIX_OPTION, type CommonOptions, type JsDetector, type JsFindingData } from "./types.js";

export const CONTEXT_MODULE = "@langchain/core/context";

function isCommonJs(model: JsModel): boolean {
  const ext = path.extname(model.filename).toLowerCase();
  if (ext === ".cjs" || ext === ".cts") return true;
  if (ext === ".mjs" || ext === ".mts") return false;
  return model.importDeclarations.length === 0 && model.requireCalls.length > 0;
}

/**
 * Text that is not on disk (an unsaved editor buffer, stdin, a documentation example) has no place in the project
 * index: judge it as a program of one file when it runs something and loads no other project module.
 */
function singleFileProgram(model: JsModel): { entry: string; self: boolean; modules: readonly string[] } | undefined {
  if (model.settings.runtime !== "auto" || existsSync(path.resolve(model.cwd, model.filename))) return undefined;
  if (!TOP_LEVEL_RUN.test(model.text) || /\.(test|spec|config)\.[cm]?[jt]sx?$/.test(model.filename)) return undefined;
  const modules: string[] = [];
  for (const specifier of model.moduleSpecifiers()) {
    if (/^[./#~@]\//.test(specifier) || specifier.startsWith(".")) return undefined; // other project modules: unknown
    const effect = alsEffect(specifier);
    if (effect === "sets" || effect === "unknown") return undefined;
    if (effect === "none") modules.push(specifier);
  }
  return modules.length > 0 ? { entry: model.filename, self: true, modules } : undefined;
}

function exportsSomething(model: JsModel): boolean {
  if (model.ast.body.some((s) => s.type === "ExportNamedDeclaration" || s.type === "ExportDefaultDeclaration" || s.type === "ExportAllDeclaration")) return true;
  return /^\s*(?:module\.)?exports\b|\bObject\.defineProperty\(\s*(?:module\.)?exports\b/m.test(model.text);
}

/**
 * Whether the program `entry` starts, anywhere in its own files, a child run that finds its parent only through
 * AsyncLocalStorage: this file's text (what pass-runnable-config reports in portability mode), then the program's
 * other files, a question of the project index (cached with each file until it changes).
 */
function programStartsImplicitChild(model: JsModel, entry: string): boolean {
  if (startsImplicitChild(model)) return true;
  return existsSync(path.resolve(model.cwd, model.filename)) && model.project?.programStartsImplicitChild(entry) === true;
}

const PORTABILITY = { portability: true, autofix: false };
function startsImplicitChild(model: JsModel): boolean {
  return passRunnableConfig.detect(model, PORTABILITY).length > 0;
}

setImplicitChildQuestion((file, text, settings) => precheckText(text, settings) && startsImplicitChild(modelOnDisk(file, text, settings)));

export const setUpAsyncContext: JsDetector<CommonOptions> = {
  meta: {
    name: "set-up-async-context",
    description: "Set AsyncLocalStorage up in the entry point of a Node program that uses LangChain runnables but loads nothing that does.",
    recommended: true,
    messages: {
      noAsyncContext:
        "This program entry loads LangChain ({{modules}}) but no module that sets up AsyncLocalStorage, so every runnable, tool or graph node called without `config` starts its own trace. Importing `@langchain/core/context` first in this entry point sets AsyncLocalStorage up for the whole program.",
      suggestImport: "Import `@langchain/core/context` first in this entry point.",
    },
  },
  optionProperties: { autofix: AUTOFIX_OPTION },
  defaultOptions: { autofix: true },
  detect(model) {
    const program = model.runtime.program ?? singleFileProgram(model);
    if (!program || !program.self) return [];
    // A file that exports is a library module that happens to run something when loaded (compiled CommonJS does).
    if (exportsSomething(model)) return [];
    // The text being linted may be newer than the file the project index read: trust its own imports.
    if (model.moduleSpecifiers().some((specifier) => alsEffect(specifier) === "sets")) return [];
    // A program built on `/web` entry points is meant to run without AsyncLocalStorage: pass-runnable-config's job.
    if (program.modules.some((m) => NO_ALS_MODULES.has(m))) return [];
    if (!program.modules.some((m) => m.startsWith("@langchain/"))) return [];
    // Only a program in which something does split without AsyncLocalStorage: a child run started without the
    // config in reach (what pass-runnable-config reports). A program that hands its config on everywhere nests.
    if (!programStartsImplicitChild(model, program.entry)) return [];
    const body = model.ast.body;
    const first = body.find((s) => !(s.type === "ExpressionStatement" && "directive" in s && s.directive)) as TSESTree.ProgramStatement | undefined;
    if (!first) return [];
    const eol = model.text.includes("\r\n") ? "\r\n" : "\n";
    const statement = isCommonJs(model) ? `require("${CONTEXT_MODULE}");` : `import "${CONTEXT_MODULE}";`;
    const finding: JsFindingData = {
      node: first,
      range: first.range,
      messageId: "noAsyncContext",
      data: { modules: program.modules.slice(0, 3).join(", ") + (program.modules.length > 3 ? ", ..." : "") },
      fixKind: "suggestion",
      edits: [{ range: [first.range[0], first.range[0]], text: `${statement}${eol}` }],
      suggestionMessageId: "suggestImport",
    };
    return [finding];
  },
};
