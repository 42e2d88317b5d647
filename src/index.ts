/**
 * The `trace-nesting` ESLint plugin: `import traceNesting from "trace-nesting"`, then use
 * `traceNesting.configs.recommended` (or `strict`) in `eslint.config.js`.
 */
import tsParser from "@typescript-eslint/parser";
import type { Linter } from "eslint";
import bindDetachedCallback from "../rules/bind-detached-callback.js";
import bindQueuedTask from "../rules/bind-queued-task.js";
import continueDistributedTrace from "../rules/continue-distributed-trace.js";
import passRunnableConfig from "../rules/pass-runnable-config.js";
import propagateTraceHeaders from "../rules/propagate-trace-headers.js";
import type { TraceNestingRule } from "./eslint/create-rule.js";
import { readPackageJson } from "./package-info.js";
import { notebookProcessor } from "./processors/notebook.js";

export type { TraceNestingSettings } from "./js/settings.js";

const pkg = readPackageJson();
const NAMESPACE = "trace-nesting";

export const rules: Record<string, TraceNestingRule> = {
  "bind-detached-callback": bindDetachedCallback,
  "bind-queued-task": bindQueuedTask,
  "pass-runnable-config": passRunnableConfig,
  "continue-distributed-trace": continueDistributedTrace,
  "propagate-trace-headers": propagateTraceHeaders,
};

/** The files our configs apply to. */
export const FILES = ["**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}"];

interface Plugin {
  meta: { name: string; version: string; namespace: string };
  rules: typeof rules;
  configs: { recommended: Linter.Config; strict: Linter.Config; distributed: Linter.Config };
  /** `notebook`: the JS/TS code cells of Jupyter notebooks (`processor: "trace-nesting/notebook"` on `**\/*.ipynb`). */
  processors: { notebook: Linter.Processor };
}

const plugin: Plugin = {
  meta: { name: pkg.name, version: pkg.version, namespace: NAMESPACE },
  rules,
  configs: {} as Plugin["configs"],
  processors: { notebook: notebookProcessor },
};

function config(name: string, ruleEntries: Linter.RulesRecord): Linter.Config {
  return {
    name: `${NAMESPACE}/${name}`,
    files: FILES,
    plugins: { [NAMESPACE]: plugin as never },
    languageOptions: {
      parser: tsParser as Linter.Parser,
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    rules: ruleEntries,
  };
}

/** `recommended`: every rule, reporting what splits in the file's own runtime. */
plugin.configs.recommended = config("recommended", {
  [`${NAMESPACE}/bind-detached-callback`]: "error",
  [`${NAMESPACE}/bind-queued-task`]: "error",
  [`${NAMESPACE}/pass-runnable-config`]: "error",
  [`${NAMESPACE}/propagate-trace-headers`]: "error",
  // Only handlers that a call in the project sends requests to, and servers started inside a trace.
  [`${NAMESPACE}/continue-distributed-trace`]: ["error", { reportRoots: false }],
});

/** `strict`: also portability hazards, code that nests in Node only because AsyncLocalStorage is set up. */
plugin.configs.strict = config("strict", {
  [`${NAMESPACE}/bind-detached-callback`]: "error",
  [`${NAMESPACE}/bind-queued-task`]: "error",
  [`${NAMESPACE}/pass-runnable-config`]: ["error", { portability: true }],
  [`${NAMESPACE}/propagate-trace-headers`]: "error",
  [`${NAMESPACE}/continue-distributed-trace`]: ["error", { reportRoots: true }],
});

/**
 * `distributed`: `recommended` plus every request handler that does traced work without continuing the incoming
 * trace (for services that are called by other traced services).
 */
plugin.configs.distributed = config("distributed", {
  [`${NAMESPACE}/bind-detached-callback`]: "error",
  [`${NAMESPACE}/bind-queued-task`]: "error",
  [`${NAMESPACE}/pass-runnable-config`]: "error",
  [`${NAMESPACE}/propagate-trace-headers`]: "error",
  [`${NAMESPACE}/continue-distributed-trace`]: ["error", { reportRoots: true }],
});

export const configs = plugin.configs;
export const meta = plugin.meta;
export default plugin;
