/**
 * `trace-nesting check [paths...]`: report what splits traces, through ESLint's Node API, so the target
 * project's `eslint.config.*` (its ignores, parser settings and our `settings["trace-nesting"]`) applies. Files
 * without a config, or whose config does not load the plugin, get `configs.recommended` (or `strict`). Only our
 * rules run (ESLint's `ruleFilter`), and files the text pre-check proves free of findings are not parsed at all.
 *
 * Exit codes: 0 clean; 1 findings (any error, or more warnings than `--max-warnings`); 2 usage errors, a config
 * that fails to load, or files that do not parse.
 */
import { createRequire } from "node:module";
import { promises as fs } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Command } from "commander";
import type { ESLint as DefaultESLint, Linter } from "eslint";
import { readPackageJson } from "../package-info.js";
import { precheck } from "../js/run.js";
import { resolveSettings, type RuntimeSetting, type TraceNestingSettings } from "../js/settings.js";
import { collectFiles } from "./files.js";
import { addCommonOptions, displayPath, readSettingsOption, ruleList, runCommand, type CommonCliOptions, type RunSelection } from "./options.js";
import { UsageError, validateRuleNames, withRuntime } from "./transform.js";

export const FORMATS = ["stylish", "json", "sarif", "github"] as const;
export type CheckFormat = (typeof FORMATS)[number];

const NAMESPACE = "trace-nesting";
const JS_TS_GLOBS = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts", "**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs"];

/** `settings` are merged over the project's; `strict` also selects `configs.strict` where our config applies. */
export interface CheckOptions extends RunSelection {
  format?: CheckFormat;
  /** Warnings allowed before the exit code is 1 (default 0: any finding fails). */
  maxWarnings?: number;
  /** The ESLint class to use (default: the `eslint` package this one resolves: the project's). */
  ESLint?: typeof DefaultESLint;
}

export interface CheckResult {
  exitCode: 0 | 1 | 2;
  /** ESLint's results for the files that were linted. */
  results: DefaultESLint.LintResult[];
  /** The formatted report. */
  output: string;
  errorCount: number;
  warningCount: number;
  /** Files that could not be parsed. */
  fatalErrorCount: number;
  /** JS/TS files found under the paths. */
  filesScanned: number;
  /** Files the project's ESLint config ignores. */
  ignoredByConfig: number;
  /** Files the text pre-check proved free of findings (not parsed). */
  skippedByPrecheck: number;
  filesLinted: number;
  /** Config files used (absolute); empty when only our default config applied. */
  configFiles: string[];
  /** Files linted with our default config (no project config, or one without the plugin). */
  filesWithDefaultConfig: number;
}

type Group = "default" | "project" | "project-without-plugin";
type Plugin = (typeof import("../index.js"))["default"];

/** The plugin, loaded on first use so that `fix` and `record` never load ESLint. */
async function loadPlugin(): Promise<Plugin> {
  return (await import("../index.js")).default;
}

function isConfigMissing(error: unknown): boolean {
  return !!error && typeof error === "object" && (error as { messageTemplate?: string }).messageTemplate === "config-file-missing";
}

/** Our flat config for files no project config covers with the plugin. */
function defaultConfigs(plugin: Plugin, strict: boolean): Linter.Config[] {
  return [strict ? plugin.configs.strict : plugin.configs.recommended];
}

function settingsOverride(settings: TraceNestingSettings | undefined, strict: boolean): Linter.Config {
  const config: Linter.Config = {
    // Other plugins' rules are filtered out, so their disable directives would look unused.
    linterOptions: { reportUnusedDisableDirectives: "off" },
  };
  if (settings) config.settings = { [NAMESPACE]: settings };
  if (strict) config.rules = { [`${NAMESPACE}/pass-runnable-config`]: ["error", { portability: true }], [`${NAMESPACE}/pass-parent-run-tree`]: ["error", { portability: true }] };
  return config;
}

/** Make file URIs under `root` relative to the `%SRCROOT%` base, as SARIF consumers (code scanning) prefer. */
function relativizeUris(value: unknown, rootUri: string): void {
  if (Array.isArray(value)) {
    for (const item of value) relativizeUris(item, rootUri);
  } else if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.uri === "string" && record.uri.startsWith(rootUri)) {
      record.uri = record.uri.slice(rootUri.length);
      record.uriBaseId = "%SRCROOT%";
    }
    for (const child of Object.values(record)) relativizeUris(child, rootUri);
  }
}

/** SARIF 2.1.0 through `@microsoft/eslint-formatter-sarif`, with this tool as the driver and ESLint as an extension. */
function formatSarif(plugin: Plugin, results: DefaultESLint.LintResult[], cwd: string, eslintVersion: string): string {
  const require = createRequire(import.meta.url);
  const sarifFormatter = require("@microsoft/eslint-formatter-sarif") as (results: DefaultESLint.LintResult[], data: unknown) => string;
  const rulesMeta: Record<string, unknown> = {};
  for (const [name, rule] of Object.entries(plugin.rules)) rulesMeta[`${NAMESPACE}/${name}`] = rule.meta;
  const log = JSON.parse(sarifFormatter(results, { cwd, rulesMeta })) as {
    $schema: string;
    runs: { tool: { driver: Record<string, unknown>; extensions?: unknown[] }; originalUriBaseIds?: Record<string, unknown> }[];
  };
  const pkg = readPackageJson();
  const rootUri = pathToFileURL(cwd.endsWith(path.sep) ? cwd : `${cwd}${path.sep}`).href;
  log.$schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
  for (const run of log.runs) {
    const { name: _eslintName, version: _eslintVersion, informationUri: _eslintUri, ...driver } = run.tool.driver;
    run.tool.driver = {
      name: NAMESPACE,
      version: pkg.version,
      informationUri: String(pkg.homepage ?? "https://www.npmjs.com/package/trace-nesting"),
      ...driver,
    };
    run.tool.extensions = [{ name: "ESLint", version: eslintVersion, informationUri: "https://eslint.org" }];
    relativizeUris(run, rootUri);
    run.originalUriBaseIds = { "%SRCROOT%": { uri: rootUri } };
  }
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** GitHub Actions workflow commands: one `::error`/`::warning` annotation per finding. */
export function formatGithub(results: DefaultESLint.LintResult[], cwd: string): string {
  const data = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const property = (s: string) => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const lines: string[] = [];
  for (const result of results) {
    const file = displayPath(cwd, result.filePath);
    for (const message of result.messages) {
      const level = message.fatal || message.severity === 2 ? "error" : "warning";
      const props = [`file=${property(file)}`, `line=${message.line ?? 1}`];
      if (message.endLine) props.push(`endLine=${message.endLine}`);
      props.push(`col=${message.column ?? 1}`);
      if (message.endColumn) props.push(`endColumn=${message.endColumn}`);
      props.push(`title=${property(message.ruleId ?? (message.fatal ? "parse error" : "trace-nesting"))}`);
      lines.push(`::${level} ${props.join(",")}::${data(message.message)}`);
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/**
 * Keep our rules' messages and parse errors. ESLint also reports directives about other plugins' rules (an
 * `eslint-disable` comment naming a rule no config defines, unused directives): noise for this command.
 */
function onlyOurMessages(result: DefaultESLint.LintResult): void {
  const ours = (message: Linter.LintMessage) => message.fatal === true || (message.ruleId ?? "").startsWith(`${NAMESPACE}/`);
  if (result.messages.every(ours)) return;
  result.messages = result.messages.filter(ours);
  result.errorCount = result.messages.filter((m) => m.severity === 2).length;
  result.warningCount = result.messages.filter((m) => m.severity === 1).length;
  result.fixableErrorCount = result.messages.filter((m) => m.severity === 2 && m.fix).length;
  result.fixableWarningCount = result.messages.filter((m) => m.severity === 1 && m.fix).length;
  result.fatalErrorCount = result.messages.filter((m) => m.fatal).length;
}

/** Lint the files under `options.paths` with our rules. Throws {@link UsageError} for bad options or paths. */
export async function runCheck(options: CheckOptions = {}): Promise<CheckResult> {
  const ESLint = options.ESLint ?? (await import("eslint")).ESLint;
  const plugin = await loadPlugin();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const format = options.format ?? "stylish";
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}"; the formats are: ${FORMATS.join(", ")}`);
  if (options.rules) validateRuleNames(options.rules);
  const selectedRules = options.rules && options.rules.length > 0 ? new Set(options.rules) : undefined;
  const strict = options.strict ?? false;
  const cliSettings = withRuntime(options.settings, options.runtime);
  if (cliSettings) {
    try {
      resolveSettings(cliSettings);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const paths = options.paths && options.paths.length > 0 ? options.paths : ["."];
  const collected = await collectFiles({ cwd, paths, skipBuildOutput: !options.noIgnore, respectGitignore: !options.noIgnore });
  if (collected.files.length === 0) throw new UsageError(`no JavaScript or TypeScript files to check under ${paths.join(", ")}`);
  const outside = collected.files.find((file) => path.relative(cwd, file).startsWith(".."));
  if (outside) {
    // ESLint lints only files under its working directory (the base path of configs and ignores).
    throw new UsageError(`${outside} is outside the working directory ${cwd}: run check from a directory that contains it`);
  }

  // Which config governs each file: the project's (with or without our plugin), or none.
  // The extra `files` entry makes every JS/TS extension "matched", so that an undefined config means "ignored".
  const probe = new ESLint({ cwd, overrideConfig: { files: [...JS_TS_GLOBS] } });
  const groups: Record<Group, string[]> = { default: [], project: [], "project-without-plugin": [] };
  const configFiles = new Set<string>();
  let ignoredByConfig = 0;
  let skippedByPrecheck = 0;
  for (const file of collected.files) {
    let config: Record<string, unknown> | undefined;
    let group: Group;
    try {
      config = (await probe.calculateConfigForFile(file)) as Record<string, unknown> | undefined;
      const configFile = await probe.findConfigFile(file);
      if (configFile) configFiles.add(configFile);
      if (config === undefined) {
        ignoredByConfig++;
        continue;
      }
      const plugins = (config.plugins ?? {}) as Record<string, unknown>;
      group = NAMESPACE in plugins ? "project" : "project-without-plugin";
    } catch (error) {
      if (!isConfigMissing(error)) throw error;
      group = "default";
    }
    const projectSettings = ((config?.settings as Record<string, unknown> | undefined)?.[NAMESPACE] ?? undefined) as TraceNestingSettings | undefined;
    const settings = cliSettings ? { ...(projectSettings ?? {}), ...cliSettings } : projectSettings;
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch {
      groups[group].push(file); // let ESLint report the read error
      continue;
    }
    if (!precheck(text, settings, file, cwd)) {
      skippedByPrecheck++;
      continue;
    }
    groups[group].push(file);
  }

  if (ignoredByConfig === collected.files.length) {
    throw new UsageError(`every file under ${paths.join(", ")} is ignored by the ESLint config (${[...configFiles].join(", ") || "ignores"})`);
  }

  const ruleFilter = ({ ruleId }: { ruleId: string }) =>
    ruleId.startsWith(`${NAMESPACE}/`) && (!selectedRules || selectedRules.has(ruleId.slice(NAMESPACE.length + 1)));
  const results: DefaultESLint.LintResult[] = [];
  if (groups.default.length > 0) {
    const eslint = new ESLint({
      cwd,
      overrideConfigFile: true,
      // Without a project config the file list is ours (a directory under node_modules is linted only when named).
      overrideConfig: [{ ignores: ["!**/node_modules/"] }, ...defaultConfigs(plugin, strict), settingsOverride(cliSettings, false)],
      ruleFilter,
    });
    results.push(...(await eslint.lintFiles(groups.default)));
  }
  if (groups.project.length > 0) {
    const eslint = new ESLint({ cwd, overrideConfig: settingsOverride(cliSettings, strict), ruleFilter });
    results.push(...(await eslint.lintFiles(groups.project)));
  }
  if (groups["project-without-plugin"].length > 0) {
    const eslint = new ESLint({ cwd, overrideConfig: [...defaultConfigs(plugin, strict), settingsOverride(cliSettings, false)], ruleFilter });
    results.push(...(await eslint.lintFiles(groups["project-without-plugin"])));
  }
  results.sort((a, b) => a.filePath.localeCompare(b.filePath));
  for (const result of results) onlyOurMessages(result);

  let errorCount = 0;
  let warningCount = 0;
  let fatalErrorCount = 0;
  for (const result of results) {
    errorCount += result.errorCount;
    warningCount += result.warningCount;
    fatalErrorCount += result.fatalErrorCount;
  }
  let output: string;
  if (format === "sarif") output = formatSarif(plugin, results, cwd, ESLint.version);
  else if (format === "github") output = formatGithub(results, cwd);
  else output = await (await probe.loadFormatter(format)).format(results);
  if (format === "json" && !output.endsWith("\n")) output += "\n";

  const maxWarnings = options.maxWarnings ?? 0;
  const findingErrors = errorCount - fatalErrorCount;
  const exitCode: CheckResult["exitCode"] = fatalErrorCount > 0 ? 2 : findingErrors > 0 || (maxWarnings >= 0 && warningCount > maxWarnings) ? 1 : 0;
  return {
    exitCode,
    results,
    output,
    errorCount,
    warningCount,
    fatalErrorCount,
    filesScanned: collected.files.length,
    ignoredByConfig,
    skippedByPrecheck,
    filesLinted: results.length,
    configFiles: [...configFiles].sort(),
    filesWithDefaultConfig: groups.default.length + groups["project-without-plugin"].length,
  };
}

interface CheckCliOptions extends CommonCliOptions {
  format: string;
  maxWarnings?: string;
  outputFile?: string;
  ignore?: boolean;
}

/** Registers the `check` command. */
export function registerCheck(program: Command): void {
  const command = program
    .command("check")
    .description("report code that splits LangSmith traces, through ESLint (default: the current directory)")
    .argument("[paths...]", "files, directories or glob patterns");
  addCommonOptions(command)
    .option("-f, --format <format>", `output format: ${FORMATS.join(", ")}`, "stylish")
    .option("--max-warnings <n>", "number of warnings allowed before exiting 1 (default 0; -1: no limit)")
    .option("-o, --output-file <file>", "write the report to a file instead of stdout")
    .option("--no-ignore", "also check .gitignore'd files and build output (dist, build, out, coverage, .next, ...)")
    .action(async (paths: string[], cli: CheckCliOptions) => {
      await runCommand("check", async () => {
        const cwd = process.cwd();
        let maxWarnings: number | undefined;
        if (cli.maxWarnings !== undefined) {
          maxWarnings = Number(cli.maxWarnings);
          if (!Number.isInteger(maxWarnings) || maxWarnings < -1) throw new UsageError(`--max-warnings must be a whole number >= -1, got ${cli.maxWarnings}`);
        }
        if (!(FORMATS as readonly string[]).includes(cli.format)) throw new UsageError(`unknown format "${cli.format}"; the formats are: ${FORMATS.join(", ")}`);
        const result = await runCheck({
          cwd,
          paths,
          runtime: cli.runtime,
          rules: ruleList(cli.rule),
          strict: cli.strict,
          settings: readSettingsOption(cli.settings, cwd),
          format: cli.format as CheckFormat,
          maxWarnings,
          noIgnore: cli.ignore === false,
        });
        if (cli.outputFile) {
          const target = path.resolve(cwd, cli.outputFile);
          await fs.mkdir(path.dirname(target), { recursive: true });
          await fs.writeFile(target, result.output);
        } else {
          process.stdout.write(result.output);
        }
        if (result.fatalErrorCount > 0 && cli.format !== "stylish") {
          // Machine formats carry the parse errors; say why the exit code is 2 where a person will see it.
          process.stderr.write(`trace-nesting check: ${result.fatalErrorCount} file${result.fatalErrorCount === 1 ? "" : "s"} could not be parsed\n`);
        }
        return result.exitCode;
      });
    });
}
