/**
 * The `trace-nesting` ESLint plugin: `import traceNesting from "trace-nesting"`, then use
 * `traceNesting.configs.recommended` (or `strict`) in `eslint.config.js`.
 */
import tsParser from "@typescript-eslint/parser";
import type { Linter } from "eslint";
import bindDetachedCallback from "../rules/bind-detached-callback.js";
import bindQueuedTask from "../rules/bind-queued-task.js";
import noDetachedIterator from "../rules/no-detached-iterator.js";
import passParentRunTree from "../rules/pass-parent-run-tree.js";
import passRunnableConfig from "../rules/pass-runnable-config.js";
import setUpAsyncContext from "../rules/set-up-async-context.js";
import type { TraceNestingRule } from "./eslint/create-rule.js";
import { readPackageJson } from "./package-info.js";

export type { TraceNestingSettings } from "./js/settings.js";

const pkg = readPackageJson();
const NAMESPACE = "trace-nesting";

export const rules: Record<string, TraceNestingRule> = {
  "bind-detached-callback": bindDetachedCallback,
  "bind-queued-task": bindQueuedTask,
  "no-detached-iterator": noDetachedIterator,
  "pass-parent-run-tree": passParentRunTree,
  "pass-runnable-config": passRunnableConfig,
  "set-up-async-context": setUpAsyncContext,
};

/** The files our configs apply to. */
export const FILES = ["**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}"];

interface Plugin {
  meta: { name: string; version: string; namespace: string };
  rules: typeof rules;
  configs: { recommended: Linter.Config; strict: Linter.Config };
}

const plugin: Plugin = {
  meta: { name: pkg.name, version: pkg.version, namespace: NAMESPACE },
  rules,
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
  [`${NAMESPACE}/no-detached-iterator`]: "error",
  [`${NAMESPACE}/pass-parent-run-tree`]: "error",
  [`${NAMESPACE}/pass-runnable-config`]: "error",
  [`${NAMESPACE}/set-up-async-context`]: "error",
});

/** `strict`: also portability hazards, code that nests in Node only because AsyncLocalStorage is set up. */
plugin.configs.strict = config("strict", {
  [`${NAMESPACE}/bind-detached-callback`]: "error",
  [`${NAMESPACE}/bind-queued-task`]: "error",
  [`${NAMESPACE}/no-detached-iterator`]: "error",
  [`${NAMESPACE}/pass-parent-run-tree`]: ["error", { portability: true }],
  [`${NAMESPACE}/pass-runnable-config`]: ["error", { portability: true }],
  [`${NAMESPACE}/set-up-async-context`]: "error",
});

export const configs = plugin.configs;
export const meta = plugin.meta;
export default plugin;
