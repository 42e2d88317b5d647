/**
 * The `trace-nesting` ESLint plugin: `import traceNesting from "trace-nesting"`, then use
 * `traceNesting.configs.recommended` (or `strict`) in `eslint.config.js`.
 */
import tsParser from "@typescript-eslint/parser";
import type { Linter } from "eslint";
import { STRICT_RULE_OPTIONS } from "./js/detectors/index.js";
import bindDetachedCallback from "../rules/bind-detached-callback.js";
import bindQueuedTask from "../rules/bind-queued-task.js";
import continueDistributedTrace from "../rules/continue-distributed-trace.js";
import passRunnableConfig from "../rules/pass-runnable-config.js";
import propagateTraceHeaders from "../rules/propagate-trace-headers.js";
import continueTraceInWorker from "../rules/continue-trace-in-worker.js";
import propagateTraceToWorker from "../rules/propagate-trace-to-worker.js";
import noDetachedIterator from "../rules/no-detached-iterator.js";
import passParentRunTree from "../rules/pass-parent-run-tree.js";
import setUpAsyncContext from "../rules/set-up-async-context.js";
import type { TraceNestingRule } from "./eslint/create-rule.js";
import { readPackageJson } from "./package-info.js";
import { notebookProcessor } from "./processors/notebook.js";
import pyContextToThread from "../rules/py-context-to-thread.js";
import pyContinueDistributedTrace from "../rules/py-continue-distributed-trace.js";
import pyIneffectiveParentHandoff from "../rules/py-ineffective-parent-handoff.js";
import pyPassConfigPre311 from "../rules/py-pass-config-pre-311.js";
import pyPropagateTraceHeaders from "../rules/py-propagate-trace-headers.js";
import { pythonLanguage } from "./python/eslint-language.js";

export type { TraceNestingSettings } from "./js/settings.js";

const pkg = readPackageJson();
const NAMESPACE = "trace-nesting";

export const rules: Record<string, TraceNestingRule> = {
  "bind-detached-callback": bindDetachedCallback,
  "bind-queued-task": bindQueuedTask,
  "continue-trace-in-worker": continueTraceInWorker,
  "pass-runnable-config": passRunnableConfig,
  "continue-distributed-trace": continueDistributedTrace,
  "propagate-trace-headers": propagateTraceHeaders,
  // Python rules (`trace-nesting/python` language, `configs.python`); no-ops on JavaScript.
  "py-context-to-thread": pyContextToThread as unknown as TraceNestingRule,
  "py-continue-distributed-trace": pyContinueDistributedTrace as unknown as TraceNestingRule,
  "py-ineffective-parent-handoff": pyIneffectiveParentHandoff as unknown as TraceNestingRule,
  "py-pass-config-pre-311": pyPassConfigPre311 as unknown as TraceNestingRule,
  "py-propagate-trace-headers": pyPropagateTraceHeaders as unknown as TraceNestingRule,
  "propagate-trace-to-worker": propagateTraceToWorker,
  "no-detached-iterator": noDetachedIterator,
  "pass-parent-run-tree": passParentRunTree,
  "set-up-async-context": setUpAsyncContext,
};

/** The Python files `configs.python` applies to. */
export const PYTHON_FILES = ["**/*.py"];

/** The files our configs apply to. */
export const FILES = ["**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}"];

interface Plugin {
  meta: { name: string; version: string; namespace: string };
  rules: typeof rules;
  languages: { python: typeof pythonLanguage };
  configs: { recommended: Linter.Config; strict: Linter.Config; distributed: Linter.Config; python: Linter.Config };
  /** `notebook`: the JS/TS code cells of Jupyter notebooks (`processor: "trace-nesting/notebook"` on `**\/*.ipynb`). */
  processors: { notebook: Linter.Processor };
}

const plugin: Plugin = {
  meta: { name: pkg.name, version: pkg.version, namespace: NAMESPACE },
  rules,
  languages: { python: pythonLanguage },
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
  [`${NAMESPACE}/continue-trace-in-worker`]: "error",
  [`${NAMESPACE}/pass-runnable-config`]: "error",
  [`${NAMESPACE}/propagate-trace-headers`]: "error",
  // Only handlers that a call in the project sends requests to, and servers started inside a trace.
  [`${NAMESPACE}/continue-distributed-trace`]: ["error", { reportRoots: false }],
  [`${NAMESPACE}/propagate-trace-to-worker`]: "error",
  [`${NAMESPACE}/no-detached-iterator`]: "error",
  [`${NAMESPACE}/pass-parent-run-tree`]: "error",
  [`${NAMESPACE}/set-up-async-context`]: "error",
});

/**
 * `strict`: also portability hazards (code that nests in Node only because AsyncLocalStorage is set up), and the
 * other options of {@link STRICT_RULE_OPTIONS}.
 */
plugin.configs.strict = config("strict", {
  ...(plugin.configs.recommended.rules as Linter.RulesRecord),
  ...Object.fromEntries(Object.entries(STRICT_RULE_OPTIONS).map(([rule, options]) => [`${NAMESPACE}/${rule}`, ["error", options]])),
});

/**
 * `distributed`: `recommended` plus every request handler that does traced work without continuing the incoming
 * trace (for services that are called by other traced services).
 */
plugin.configs.distributed = config("distributed", {
  ...plugin.configs.recommended.rules,
  [`${NAMESPACE}/continue-distributed-trace`]: ["error", { reportRoots: true }],
});

/** `python`: the `py-*` rules on `.py` files, with the `trace-nesting/python` language. */
plugin.configs.python = {
  name: `${NAMESPACE}/python`,
  files: PYTHON_FILES,
  plugins: { [NAMESPACE]: plugin as never },
  language: `${NAMESPACE}/python`,
  rules: {
    [`${NAMESPACE}/py-context-to-thread`]: "error",
    [`${NAMESPACE}/py-continue-distributed-trace`]: "error",
    [`${NAMESPACE}/py-ineffective-parent-handoff`]: "error",
    [`${NAMESPACE}/py-pass-config-pre-311`]: "error",
    [`${NAMESPACE}/py-propagate-trace-headers`]: "error",
  },
};

export const configs = plugin.configs;
export const meta = plugin.meta;
export default plugin;
