/**
 * Options shared by `check` and `fix`, and the plumbing that turns a command's outcome into an exit code.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Option, type Command } from "commander";
import type { RuntimeSetting, TraceNestingSettings } from "../js/settings.js";
import { ALL_RULE_NAMES, RUNTIMES, UsageError, validateRuleNames } from "./usage.js";

/** What `check` and `fix` (and their programmatic forms) select and how they configure the rules. */
export interface RunSelection {
  /** Directory paths are resolved against and reported relative to (default `process.cwd()`). */
  cwd?: string;
  /** Files, directories or globs (default `["."]`). */
  paths?: readonly string[];
  /** Overrides `settings["trace-nesting"].runtime`. */
  runtime?: RuntimeSetting;
  /** Only these rules (names without the plugin prefix). */
  rules?: readonly string[];
  /** The strict config: pass-runnable-config with `portability: true`. */
  strict?: boolean;
  /** `settings["trace-nesting"]`. */
  settings?: TraceNestingSettings;
  /** Include `.gitignore`d files and build output. */
  noIgnore?: boolean;
  /** Only JavaScript/TypeScript or only Python files (default both). */
  lang?: "js" | "python";
  /** Target Python version (`3.10`), over the project's declared one. */
  python?: string;
}

export interface CommonCliOptions {
  runtime?: RuntimeSetting;
  rule?: string[];
  strict?: boolean;
  settings?: string;
  lang?: string;
  python?: string;
}

/** Adds `--runtime`, `--rule`, `--strict` and `--settings` to a command. */
export function addCommonOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--runtime <runtime>", "whether the code runs with AsyncLocalStorage: node (it does), browser (it does not), auto (decided per file)").choices(
        RUNTIMES as string[],
      ),
    )
    .addOption(new Option("--rule <name...>", `only these rules (${ALL_RULE_NAMES.join(", ")})`))
    .option("--strict", "also report portability hazards: code that nests in Node only because AsyncLocalStorage is set up (the strict config)")
    .option("--settings <json-or-file>", 'settings["trace-nesting"] as a JSON object or a JSON file (traceableWrappers, runnableFactories, browserFiles, versions, python, services)')
    .addOption(new Option("--lang <lang>", "only JavaScript/TypeScript or only Python files (default: both)").choices(["js", "python"]))
    .option("--python <version>", "target Python version, e.g. 3.10 (default: read from pyproject.toml, setup.cfg, .python-version or runtime.txt)");
}

/** `--rule` values, accepting both `--rule a b` and `--rule a,b`; validated. */
export function ruleList(values: readonly string[] | undefined): string[] | undefined {
  if (!values || values.length === 0) return undefined;
  const names = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  validateRuleNames(names);
  return names;
}

/** `--settings`: inline JSON (starting with `{`) or the path of a JSON file. */
export function readSettingsOption(value: string | undefined, cwd: string): TraceNestingSettings | undefined {
  if (value === undefined) return undefined;
  let text = value.trim();
  let source = "--settings";
  if (!text.startsWith("{")) {
    source = value;
    try {
      text = readFileSync(path.resolve(cwd, value), "utf8");
    } catch (error) {
      throw new UsageError(`--settings ${value}: cannot read the file (${(error as Error).message})`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new UsageError(`${source}: must be a JSON object`);
  return parsed as TraceNestingSettings;
}

/** Relative, forward-slash path for output. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return (relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file).split(path.sep).join("/");
}

/** Run a command body; usage errors print their message and exit 2, other errors too (with a stack in DEBUG). */
export async function runCommand(name: string, body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`trace-nesting ${name}: ${message}\n`);
    if (!(error instanceof UsageError) && process.env.DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 2;
  }
}
