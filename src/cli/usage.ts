/**
 * Usage errors, rule names and `--runtime` for the CLI, without loading an analysis engine: the commands' option
 * parsing and file listing use them, so `check --lang python` loads no JavaScript analysis (./transform.ts, which
 * runs the JavaScript rules, re-exports them).
 */
import { JS_RULE_NAMES } from "../js/rule-names.js";
import type { RuntimeSetting, TraceNestingSettings } from "../js/settings.js";
import { PY_RULE_NAMES } from "../python/rule-names.js";

/** Every rule name `--rule` accepts: JavaScript, then Python (`py-...`). */
export const ALL_RULE_NAMES: readonly string[] = [...JS_RULE_NAMES, ...PY_RULE_NAMES];

/** Bad options or arguments: the CLI exits 2 with this message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Validate rule names; throws a usage error naming the known rules. */
export function validateRuleNames(names: readonly string[]): void {
  const unknown = names.filter((name) => !ALL_RULE_NAMES.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(`unknown rule ${unknown.map((n) => `"${n}"`).join(", ")}; the rules are: ${ALL_RULE_NAMES.join(", ")}`);
  }
}

/** Settings with the CLI's `--runtime` applied over them. */
export function withRuntime(settings: TraceNestingSettings | undefined, runtime: RuntimeSetting | undefined): TraceNestingSettings | undefined {
  if (!runtime) return settings;
  return { ...(settings ?? {}), runtime };
}

export const RUNTIMES: readonly RuntimeSetting[] = ["node", "browser", "auto"];

export function parseRuntime(value: unknown): RuntimeSetting | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string" && (RUNTIMES as readonly string[]).includes(value)) return value as RuntimeSetting;
  throw new UsageError(`runtime must be one of ${RUNTIMES.join(", ")}, got ${JSON.stringify(value)}`);
}
