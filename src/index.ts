/**
 * The `trace-nesting` ESLint plugin: `import traceNesting from "trace-nesting"`, then use
 * `traceNesting.configs.recommended` (or `strict`) in `eslint.config.js`.
 */
import tsParser from "@typescript-eslint/parser";
import type { Linter } from "eslint";
import bindDetachedCallback from "../rules/bind-detached-callback.js";
import bindQueuedTask from "../rules/bind-queued-task.js";
import passRunnableConfig from "../rules/pass-runnable-config.js";
import pyContextToThread from "../rules/py-context-to-thread.js";
import pyContinueDistributedTrace from "../rules/py-continue-distributed-trace.js";
import pyIneffectiveParentHandoff from "../rules/py-ineffective-parent-handoff.js";
import pyPassConfigPre311 from "../rules/py-pass-config-pre-311.js";
import pyPropagateTraceHeaders from "../rules/py-propagate-trace-headers.js";
import type { TraceNestingRule } from "./eslint/create-rule.js";
import { readPackageJson } from "./package-info.js";
import { pythonLanguage } from "./python/eslint-language.js";

export type { TraceNestingSettings } from "./js/settings.js";

const pkg = readPackageJson();
const NAMESPACE = "trace-nesting";

export const rules: Record<string, TraceNestingRule> = {
  "bind-detached-callback": bindDetachedCallback,
  "bind-queued-task": bindQueuedTask,
  "pass-runnable-config": passRunnableConfig,
  // Python rules (`trace-nesting/python` language, `configs.python`); no-ops on JavaScript.
  "py-context-to-thread": pyContextToThread as unknown as TraceNestingRule,
  "py-continue-distributed-trace": pyContinueDistributedTrace as unknown as TraceNestingRule,
  "py-ineffective-parent-handoff": pyIneffectiveParentHandoff as unknown as TraceNestingRule,
  "py-pass-config-pre-311": pyPassConfigPre311 as unknown as TraceNestingRule,
  "py-propagate-trace-headers": pyPropagateTraceHeaders as unknown as TraceNestingRule,
};

/** The Python files `configs.python` applies to. */
export const PYTHON_FILES = ["**/*.py"];

/** The files our configs apply to. */
export const FILES = ["**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}"];

interface Plugin {
  meta: { name: string; version: string; namespace: string };
  rules: typeof rules;
  languages: { python: typeof pythonLanguage };
  configs: { recommended: Linter.Config; strict: Linter.Config; python: Linter.Config };
}

const plugin: Plugin = {
  meta: { name: pkg.name, version: pkg.version, namespace: NAMESPACE },
  rules,
  languages: { python: pythonLanguage },
  configs: {} as Plugin["configs"],
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
});

/** `strict`: also portability hazards, code that nests in Node only because AsyncLocalStorage is set up. */
plugin.configs.strict = config("strict", {
  [`${NAMESPACE}/bind-detached-callback`]: "error",
  [`${NAMESPACE}/bind-queued-task`]: "error",
  [`${NAMESPACE}/pass-runnable-config`]: ["error", { portability: true }],
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
