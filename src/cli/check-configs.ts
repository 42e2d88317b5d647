/**
 * `check` on real repositories: project `eslint.config.*` files that do not load (a plugin that is not installed,
 * a `.ts` config without `jiti`, a syntax error) must not stop the run. Files under such a config are checked
 * with our own config instead, and the report names the config, the reason and the way out. A config that loads
 * but fails for one file (an invalid option in a `files` block) is reported for that file only.
 *
 * The settings of a config that does not load are not read: a config is a program (imports, spreads, function
 * calls), and guessing at its `settings["trace-nesting"]` from its text would be right only for the simplest
 * ones. The warning says to pass them with `--settings` instead.
 */
import path from "node:path";
import type { ESLint, Linter } from "eslint";
import { displayPath } from "./options.js";

/** A project config that could not be loaded, and how many files fell back to our config because of it. */
export interface ConfigProblem {
  /** Absolute path of the config file. */
  configFile: string;
  /** The loader's error message (first line). */
  reason: string;
  /** Files under this config that were checked with our config instead. */
  files: number;
}

/** A file ESLint could not check although its config loaded (reported in that file's result). */
export interface FileProblem {
  file: string;
  message: string;
}

/** A file name no config's `files` pattern matches: calculating its config loads the config file and nothing more. */
const PROBE_NAME = ".trace-nesting-config-probe";

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n").find((line) => line.trim().length > 0)?.trim() ?? "unknown error";
}

/** Whether a config file loads, asked once per config file. */
export class ConfigLoadCache {
  private readonly cache = new Map<string, Promise<string | undefined>>();

  constructor(private readonly probe: ESLint) {}

  /** The reason `configFile` does not load, or undefined when it loads. */
  loadError(configFile: string): Promise<string | undefined> {
    let pending = this.cache.get(configFile);
    if (!pending) {
      const probeFile = path.join(path.dirname(configFile), PROBE_NAME);
      pending = this.probe.calculateConfigForFile(probeFile).then(
        () => undefined,
        (error: unknown) => firstLine(error),
      );
      this.cache.set(configFile, pending);
    }
    return pending;
  }
}

/** The warning printed before the report, one paragraph per config. */
export function formatConfigWarnings(problems: readonly ConfigProblem[], cwd: string): string {
  if (problems.length === 0) return "";
  const lines: string[] = [];
  for (const problem of problems) {
    lines.push(
      `warning: ${displayPath(cwd, problem.configFile)} could not be loaded: ${problem.reason}`,
      `  ${problem.files} file${problem.files === 1 ? " under it was" : "s under it were"} checked with trace-nesting's configs.recommended instead, ` +
        `without that config's ignores and settings["trace-nesting"] (pass those with --settings).`,
    );
  }
  lines.push(
    "  To use the project's config, install what it needs (e.g. `npm install` in its package; `jiti` for eslint.config.ts); " +
      "to skip project configs on purpose, run with --no-config-lookup.",
    "",
  );
  return `${lines.join("\n")}\n`;
}

/** A result for a file ESLint failed on, so the failure shows at that file and the run goes on. */
export function fileProblemResult(problem: FileProblem): ESLint.LintResult {
  const message: Linter.LintMessage = {
    ruleId: null,
    fatal: true,
    severity: 2,
    message: `could not be checked: ${problem.message}`,
    line: 1,
    column: 1,
  };
  return {
    filePath: problem.file,
    messages: [message],
    suppressedMessages: [],
    errorCount: 1,
    fatalErrorCount: 1,
    warningCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
  } as ESLint.LintResult;
}

/**
 * Lint `files`; when ESLint throws for the batch (one file's config is invalid, a parser crashes), lint them one
 * by one so that only the failing files are reported as such.
 */
export async function lintResilient(eslint: ESLint, files: readonly string[]): Promise<ESLint.LintResult[]> {
  if (files.length === 0) return [];
  try {
    return await eslint.lintFiles([...files]);
  } catch (error) {
    if (files.length === 1) return [fileProblemResult({ file: files[0], message: firstLine(error) })];
  }
  const results: ESLint.LintResult[] = [];
  for (const file of files) {
    try {
      results.push(...(await eslint.lintFiles([file])));
    } catch (error) {
      results.push(fileProblemResult({ file, message: firstLine(error) }));
    }
  }
  return results;
}

export { firstLine as errorFirstLine };
