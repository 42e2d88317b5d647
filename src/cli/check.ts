/**
 * `trace-nesting check [paths...]`: report what splits traces, through ESLint's Node API, so the target
 * project's `eslint.config.*` (its ignores, parser settings and our `settings["trace-nesting"]`) applies. Files
 * without a config, or whose config does not load the plugin, get `configs.recommended` (or `strict`). Only our
 * rules run (ESLint's `ruleFilter`), and files the text pre-check proves free of findings are not parsed at all.
 *
 * A project config that does not load does not stop the run: its files are checked with our config and the report
 * starts with a warning (see ./check-configs.ts). `noConfigLookup` skips project configs on purpose.
 *
 * Exit codes: 0 clean (also: nothing to check); 1 findings (any error, or more warnings than `--max-warnings`);
 * 2 usage errors (paths that do not exist), files that do not parse or could not be checked.
 */
import { createRequire } from "node:module";
import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Command } from "commander";
import type { ESLint as DefaultESLint, Linter } from "eslint";
import { STRICT_RULE_OPTIONS } from "../js/detectors/index.js";
import { readPackageJson } from "../package-info.js";
import type { RuntimeSetting, TraceNestingSettings } from "../js/settings.js";
import { ConfigLoadCache, errorFirstLine, fileProblemResult, formatConfigWarnings, lintResilient, type ConfigProblem } from "./check-configs.js";
import { buildSummary, countRuntimes, formatSummaryLine, runtimeLabel, type CheckSummary, type RuntimeLabel } from "./check-summary.js";
import { isEmbeddedDoc, isNotebookFile } from "./doc-files.js";
import { collectFiles } from "./files.js";
import { checkPythonFiles, collectPythonFiles, pythonSettings, splitPaths } from "./python.js";
import { addCommonOptions, displayPath, readSettingsOption, ruleList, runCommand, type CommonCliOptions, type RunSelection } from "./options.js";
import { UsageError, validateRuleNames, withRuntime } from "./usage.js";

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
  /** Use no project `eslint.config.*` (ESLint's `--no-config-lookup`): our config on every file. */
  noConfigLookup?: boolean;
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
  /** Files linted with our default config (no project config, one without the plugin, or one that did not load). */
  filesWithDefaultConfig: number;
  /** Project configs that did not load; their files were checked with our config. */
  configProblems: ConfigProblem[];
  /** What was looked at (also printed after the stylish report, in SARIF `runs[0].properties`). */
  summary: CheckSummary;
  /**
   * Text for a person that is not part of a machine-readable report (`json`, `sarif`): config warnings, the
   * summary line, "nothing to check". The CLI prints it on stderr; with `stylish` it is already in `output`.
   */
  notes: string;
}

type Group = "default" | "project" | "project-without-plugin" | "config-not-loaded";
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
  if (strict) {
    config.rules = Object.fromEntries(Object.entries(STRICT_RULE_OPTIONS).map(([rule, ruleOptions]) => [`${NAMESPACE}/${rule}`, ["error", ruleOptions]]));
  }
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
function formatSarif(
  plugin: Plugin,
  results: DefaultESLint.LintResult[],
  cwd: string,
  eslintVersion: string,
  summary: CheckSummary,
  problems: readonly ConfigProblem[],
): string {
  const require = createRequire(import.meta.url);
  const sarifFormatter = require("@microsoft/eslint-formatter-sarif") as (results: DefaultESLint.LintResult[], data: unknown) => string;
  const rulesMeta: Record<string, unknown> = {};
  for (const [name, rule] of Object.entries(plugin.rules)) rulesMeta[`${NAMESPACE}/${name}`] = rule.meta;
  const log = JSON.parse(sarifFormatter(results, { cwd, rulesMeta })) as {
    $schema: string;
    runs: {
      tool: { driver: Record<string, unknown>; extensions?: unknown[] };
      originalUriBaseIds?: Record<string, unknown>;
      properties?: Record<string, unknown>;
      invocations?: { executionSuccessful: boolean; toolConfigurationNotifications?: unknown[] }[];
    }[];
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
    // What was looked at, where SARIF keeps tool-specific data (consumers ignore unknown property bags).
    run.properties = { ...(run.properties ?? {}), "trace-nesting": { summary } };
    if (problems.length > 0) {
      run.invocations ??= [{ executionSuccessful: true }];
      run.invocations[0].toolConfigurationNotifications = [
        ...(run.invocations[0].toolConfigurationNotifications ?? []),
        ...problems.map((p) => ({
          level: "warning",
          message: { text: `${p.configFile} could not be loaded (${p.reason}); ${p.files} file(s) checked with configs.recommended instead.` },
          locations: [{ physicalLocation: { artifactLocation: { uri: pathToFileURL(p.configFile).href } } }],
        })),
      ];
    }
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
export function onlyOurMessages(result: DefaultESLint.LintResult): void {
  const ours = (message: Linter.LintMessage) => message.fatal === true || (message.ruleId ?? "").startsWith(`${NAMESPACE}/`);
  if (result.messages.every(ours)) return;
  result.messages = result.messages.filter(ours);
  result.errorCount = result.messages.filter((m) => m.severity === 2).length;
  result.warningCount = result.messages.filter((m) => m.severity === 1).length;
  result.fixableErrorCount = result.messages.filter((m) => m.severity === 2 && m.fix).length;
  result.fixableWarningCount = result.messages.filter((m) => m.severity === 1 && m.fix).length;
  result.fatalErrorCount = result.messages.filter((m) => m.fatal).length;
}

/**
 * What checking JavaScript files and documents needs: the JavaScript pre-check and model, documents' code, and
 * notebooks' Python cells connected to the Python rules (`--python` and `--rule` apply).
 */
async function loadJsSide(options: CheckOptions) {
  const [{ precheck }, { observeModels }, { inferRuntime }, embedded, { connectPythonCells }, { fastParser }, { lintWithoutProjectConfig }] = await Promise.all([
    import("../js/run.js"),
    import("../js/model.js"),
    import("./check-runtime.js"),
    import("./embedded.js"),
    import("./python-cells.js"),
    import("../js/fast-parser.js"),
    import("./check-direct.js"),
  ]);
  await connectPythonCells(options.python, options.rules);
  return { precheck, observeModels, inferRuntime, embedded, fastParser, lintWithoutProjectConfig };
}

/** Lint the files under `options.paths` with our rules. Throws {@link UsageError} for bad options or paths. */
export async function runCheck(options: CheckOptions = {}): Promise<CheckResult> {
  // No file changes during a run: a file the project index parsed, or our detectors did, is not parsed again for
  // ESLint (see `shareParses`).
  const { shareParses } = await import("../js/parse.js");
  const stopSharing = shareParses();
  try {
    return await checkFiles(options);
  } finally {
    stopSharing();
  }
}

async function checkFiles(options: CheckOptions): Promise<CheckResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const format = options.format ?? "stylish";
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}"; the formats are: ${FORMATS.join(", ")}`);
  if (options.rules) validateRuleNames(options.rules);
  const selectedRules = options.rules && options.rules.length > 0 ? new Set(options.rules) : undefined;
  const strict = options.strict ?? false;
  const cliSettings = withRuntime(options.settings, options.runtime);
  if (cliSettings) {
    const { resolveSettings } = await import("../js/settings.js");
    try {
      resolveSettings(cliSettings);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const paths = options.paths && options.paths.length > 0 ? options.paths : ["."];
  const pySettings = pythonSettings(cliSettings, options.python);
  const split = splitPaths(cwd, paths, options.lang);
  const collected =
    split.js.length > 0 ? await collectFiles({ cwd, paths: split.js, skipBuildOutput: !options.noIgnore, respectGitignore: !options.noIgnore }) : { files: [], gitignored: 0 };
  // The JavaScript engine and documents' code (with notebooks' Python cells) are loaded only for the files that need
  // them: `check --lang python` loads no JavaScript analysis.
  const jsSide = collected.files.length > 0 ? await loadJsSide(options) : undefined;
  const pyCollected = await collectPythonFiles(cwd, split.python, options.noIgnore ?? false, options.lang === "python");
  // ESLint and the plugin (with the JavaScript engine and TypeScript) are loaded only when needed: for JavaScript
  // files, or to write the stylish or SARIF report. `check --lang python --format json|github` loads neither.
  const stylishAlone = collected.files.length === 0 && format === "stylish" ? loadStylishAlone() : undefined;
  const needsEslint = collected.files.length > 0 || format === "sarif" || (format !== "json" && format !== "github" && !stylishAlone);
  const ESLint = needsEslint ? (options.ESLint ?? (await import("eslint")).ESLint) : undefined;
  const plugin = needsEslint ? await loadPlugin() : undefined;
  const emptySarif = (summary: CheckSummary) => formatSarif(plugin!, [], cwd, ESLint!.version, summary, []);
  if (collected.files.length === 0 && pyCollected.files.length === 0) {
    const kinds = options.lang === "python" ? "Python" : options.lang === "js" ? "JavaScript or TypeScript" : "JavaScript, TypeScript or Python";
    return nothingToCheck(format, `no ${kinds} files to check under ${paths.join(", ")}`, 0, 0, emptySarif);
  }
  const outside = [...collected.files, ...pyCollected.files].find((file) => path.relative(cwd, file).startsWith(".."));
  if (outside) {
    // ESLint lints only files under its working directory (the base path of configs and ignores).
    throw new UsageError(`${outside} is outside the working directory ${cwd}: run check from a directory that contains it`);
  }

  // Which config governs each file: the project's (with or without our plugin), one that does not load, or none.
  // The extra `files` entry makes every JS/TS extension "matched", so that an undefined config means "ignored".
  const probe = ESLint ? new ESLint({ cwd, overrideConfig: { files: [...JS_TS_GLOBS] } }) : undefined;
  const loads = probe ? new ConfigLoadCache(probe) : undefined;
  const groups: Record<Group, string[]> = { default: [], project: [], "project-without-plugin": [], "config-not-loaded": [] };
  const configFiles = new Set<string>();
  const problems = new Map<string, ConfigProblem>();
  const fileProblems: DefaultESLint.LintResult[] = [];
  const texts = new Map<string, { text: string; settings: TraceNestingSettings | undefined }>();
  let ignoredByConfig = 0;
  let skippedByPrecheck = 0;
  const docs: string[] = [];
  const configLookups = new Map<string, Promise<string | undefined>>();
  for (const file of collected.files) {
    if (isEmbeddedDoc(file)) {
      // Markdown/MDX code blocks and notebook cells: our config (project configs rarely cover documents).
      let text = "";
      try {
        text = readFileSync(file, "utf8");
      } catch {
        /* unreadable: no code to check in it */
      }
      if (jsSide!.precheck(jsSide!.embedded.precheckTextOf(text, file), cliSettings) || (isNotebookFile(file) && jsSide!.embedded.lintPythonCells(text, file, cliSettings).length > 0)) docs.push(file);
      else skippedByPrecheck++;
      continue;
    }
    let config: Record<string, unknown> | undefined;
    let group: Group = "default";
    if (!options.noConfigLookup) {
      // The config file is looked up from the file's directory: once per directory.
      const dir = path.dirname(file);
      let lookup = configLookups.get(dir);
      if (!lookup) configLookups.set(dir, (lookup = probe!.findConfigFile(file).catch(() => undefined)));
      const configFile = await lookup;
      const loadError = configFile ? await loads!.loadError(configFile) : undefined;
      if (configFile && loadError !== undefined) {
        group = "config-not-loaded";
        const problem = problems.get(configFile) ?? { configFile, reason: loadError, files: 0 };
        problem.files++;
        problems.set(configFile, problem);
      } else {
        try {
          config = (await probe!.calculateConfigForFile(file)) as Record<string, unknown> | undefined;
          if (configFile) configFiles.add(configFile);
          if (config === undefined) {
            ignoredByConfig++;
            continue;
          }
          const plugins = (config.plugins ?? {}) as Record<string, unknown>;
          group = NAMESPACE in plugins ? "project" : "project-without-plugin";
        } catch (error) {
          if (!isConfigMissing(error)) {
            // The config loads, but not for this file (an invalid option in a block that matches it).
            if (configFile) configFiles.add(configFile);
            fileProblems.push(fileProblemResult({ file, message: `${configFile ? `${displayPath(cwd, configFile)}: ` : ""}${errorFirstLine(error)}` }));
            continue;
          }
          group = "default";
        }
      }
    }
    const projectSettings = ((config?.settings as Record<string, unknown> | undefined)?.[NAMESPACE] ?? undefined) as TraceNestingSettings | undefined;
    const settings = cliSettings ? { ...(projectSettings ?? {}), ...cliSettings } : projectSettings;
    let text: string;
    try {
      // Read in turn, synchronously: one call per file instead of a round trip through libuv's thread pool.
      text = readFileSync(file, "utf8");
    } catch {
      groups[group].push(file); // let ESLint report the read error
      continue;
    }
    if (!jsSide!.precheck(text, settings, file, cwd)) {
      skippedByPrecheck++;
      continue;
    }
    texts.set(file, { text, settings });
    groups[group].push(file);
  }
  const configProblems = [...problems.values()].sort((a, b) => a.configFile.localeCompare(b.configFile));

  if (collected.files.length > 0 && ignoredByConfig === collected.files.length && pyCollected.files.length === 0) {
    return nothingToCheck(format, `every file under ${paths.join(", ")} is ignored by the ESLint config (${[...configFiles].map((f) => displayPath(cwd, f)).join(", ") || "ignores"})`, collected.files.length, ignoredByConfig, emptySarif);
  }

  const ruleFilter = ({ ruleId }: { ruleId: string }) =>
    ruleId.startsWith(`${NAMESPACE}/`) && (!selectedRules || selectedRules.has(ruleId.slice(NAMESPACE.length + 1)));
  const results: DefaultESLint.LintResult[] = [...fileProblems];
  // The runtime of each analysed file, read from the model the rules build for it (files no rule modelled are parsed
  // for the summary afterwards).
  const modelledRuntimes = new Map<string, RuntimeLabel>();
  const stopObserving = jsSide ? jsSide.observeModels((model) => modelledRuntimes.set(path.resolve(model.cwd, model.filename), runtimeLabel(model.runtime))) : () => {};
  const withoutProjectConfig = [...groups.default, ...groups["config-not-loaded"]];
  try {
    if (withoutProjectConfig.length > 0) {
      const eslint = new ESLint!({
        cwd,
        overrideConfigFile: true,
        // Without a project config the file list is ours (a directory under node_modules is linted only when named),
        // and so is the parser: oxc-parser through `fast-parser.ts` (typescript-estree for what it rejects).
        overrideConfig: [{ ignores: ["!**/node_modules/"] }, ...defaultConfigs(plugin!, strict), { languageOptions: { parser: jsSide!.fastParser } }, settingsOverride(cliSettings, false)],
        ruleFilter,
      });
      // Our detectors first, ESLint only for the files where they find something (see check-direct.ts).
      results.push(...(await jsSide!.lintWithoutProjectConfig(eslint, cwd, withoutProjectConfig, texts, ruleFilter, jsSide!.fastParser, lintResilient)));
    }
    if (groups.project.length > 0) {
      const eslint = new ESLint!({ cwd, overrideConfig: settingsOverride(cliSettings, strict), ruleFilter });
      results.push(...(await lintResilient(eslint, groups.project)));
    }
    if (groups["project-without-plugin"].length > 0) {
      const eslint = new ESLint!({ cwd, overrideConfig: [...defaultConfigs(plugin!, strict), settingsOverride(cliSettings, false)], ruleFilter });
      results.push(...(await lintResilient(eslint, groups["project-without-plugin"])));
    }
    if (docs.length > 0) {
      const eslint = new ESLint!({
        cwd,
        overrideConfigFile: true,
        overrideConfig: [{ ignores: ["!**/node_modules/"] }, ...jsSide!.embedded.embeddedConfigs(), ...defaultConfigs(plugin!, strict), settingsOverride(cliSettings, false)],
        ruleFilter,
      });
      results.push(...(await lintResilient(eslint, docs)).map((result) => withEmbeddedFindings(jsSide!.embedded, result, cliSettings)));
    }
  } finally {
    stopObserving();
  }
  const python = await checkPythonFiles(pyCollected.files, { cwd, settings: pySettings, rules: options.rules });
  results.push(...python.results);
  skippedByPrecheck += python.skippedByPrecheck;
  results.sort((a, b) => a.filePath.localeCompare(b.filePath));
  for (const result of results) onlyOurMessages(result);

  let errorCount = 0;
  let warningCount = 0;
  let fatalErrorCount = 0;
  const runtimes: (RuntimeLabel | undefined)[] = [];
  for (const result of results) {
    errorCount += result.errorCount;
    warningCount += result.warningCount;
    fatalErrorCount += result.fatalErrorCount;
    const source = texts.get(result.filePath);
    if (source && result.fatalErrorCount === 0) runtimes.push(modelledRuntimes.get(path.resolve(result.filePath)) ?? jsSide!.inferRuntime(source.text, result.filePath, source.settings, cwd));
  }
  const summary = buildSummary(
    {
      filesFound: collected.files.length + pyCollected.files.length,
      analysed: results.filter((r) => r.fatalErrorCount === 0).length,
      skippedByPrecheck,
      ignored: ignoredByConfig,
      runtimes: countRuntimes(runtimes),
    },
    configProblems,
  );
  const warnings = formatConfigWarnings(configProblems, cwd);
  const summaryLine = formatSummaryLine(summary);
  let output: string;
  let notes = `${warnings}${summaryLine}`;
  if (format === "sarif") output = formatSarif(plugin!, results, cwd, ESLint!.version, summary, configProblems);
  else if (format === "github") output = `${githubConfigWarnings(configProblems, cwd)}${formatGithub(results, cwd)}`;
  // ESLint's json formatter is `JSON.stringify(results)`.
  else if (format === "json") output = JSON.stringify(results);
  else {
    const report = withCliFooter(stylishAlone ? stylishAlone(results) : await (await probe!.loadFormatter(format)).format(results));
    output = `${warnings}${report}${summaryLine}`;
    notes = "";
  }
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
    filesScanned: collected.files.length + pyCollected.files.length,
    ignoredByConfig,
    skippedByPrecheck,
    filesLinted: results.length,
    configFiles: [...configFiles].sort(),
    filesWithDefaultConfig: withoutProjectConfig.length + groups["project-without-plugin"].length,
    configProblems,
    summary,
    notes,
  };
}

/**
 * ESLint's stylish formatter by itself, from where ESLint 9 and 10 keep it, for a run without JavaScript files (no
 * need to load ESLint's API, its config system and the parser just to print the report); undefined elsewhere, and
 * the report then comes from `ESLint#loadFormatter` as before.
 */
function loadStylishAlone(): ((results: DefaultESLint.LintResult[]) => string) | undefined {
  try {
    const require = createRequire(import.meta.url);
    const formatter: unknown = require(path.join(path.dirname(require.resolve("eslint/package.json")), "lib", "cli-engine", "formatters", "stylish.js"));
    return typeof formatter === "function" ? (formatter as (results: DefaultESLint.LintResult[]) => string) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A document's result: code blocks that do not parse are fragments (`...`, elided code), not errors, so their
 * parse errors are dropped; a notebook's Python cells add their findings (once the Python engine is connected).
 */
function withEmbeddedFindings(embedded: typeof import("./embedded.js"), result: DefaultESLint.LintResult, settings: TraceNestingSettings | undefined): DefaultESLint.LintResult {
  const messages = result.messages.filter((message) => !message.fatal);
  if (isNotebookFile(result.filePath)) {
    let text = "";
    try {
      text = readFileSync(result.filePath, "utf8");
    } catch {
      // reported by ESLint already
    }
    for (const finding of embedded.lintPythonCells(text, result.filePath, settings)) {
      messages.push({
        ruleId: `${NAMESPACE}/${finding.rule}`,
        messageId: finding.messageId,
        message: finding.message,
        severity: 2,
        line: finding.line,
        column: finding.column,
        endLine: finding.endLine,
        endColumn: finding.endColumn,
      });
    }
  }
  const errorCount = messages.filter((m) => m.severity === 2).length;
  return {
    ...result,
    messages,
    errorCount,
    fatalErrorCount: 0,
    warningCount: messages.filter((m) => m.severity === 1).length,
    fixableErrorCount: messages.filter((m) => m.severity === 2 && m.fix).length,
    fixableWarningCount: messages.filter((m) => m.severity === 1 && m.fix).length,
  };
}

/** ESLint's stylish footer points at `--fix`; from this command, the fixes come from `trace-nesting fix`. */
export function withCliFooter(report: string): string {
  return report.replace(/potentially fixable with the `--fix` option/g, "potentially fixable with `trace-nesting fix` (or `trace-nesting check --fix`)");
}

/** A `::warning` annotation on each config that did not load. */
function githubConfigWarnings(problems: readonly ConfigProblem[], cwd: string): string {
  return problems
    .map((p) => {
      const file = displayPath(cwd, p.configFile).replace(/%/g, "%25").replace(/:/g, "%3A").replace(/,/g, "%2C");
      const text = `could not be loaded (${p.reason}); ${p.files} file(s) checked with trace-nesting's configs.recommended instead. Install its dependencies, or run check with --no-config-lookup.`;
      return `::warning file=${file},title=trace-nesting%3A config not loaded::${text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`;
    })
    .join("");
}

/** The result of a run with nothing to check: exit 0 with a one-line note. */
function nothingToCheck(format: CheckFormat, note: string, filesFound: number, ignored: number, sarif: (summary: CheckSummary) => string): CheckResult {
  const line = `trace-nesting check: ${note}; nothing to check.\n`;
  const summary = buildSummary({ filesFound, analysed: 0, skippedByPrecheck: 0, ignored, runtimes: {} }, []);
  const output = format === "json" ? "[]\n" : format === "stylish" ? line : format === "github" ? `::notice title=trace-nesting::${line.trim()}\n` : sarif(summary);
  return {
    exitCode: 0,
    results: [],
    output,
    errorCount: 0,
    warningCount: 0,
    fatalErrorCount: 0,
    filesScanned: filesFound,
    ignoredByConfig: ignored,
    skippedByPrecheck: 0,
    filesLinted: 0,
    configFiles: [],
    filesWithDefaultConfig: 0,
    configProblems: [],
    summary,
    notes: format === "stylish" ? "" : line,
  };
}

interface CheckCliOptions extends CommonCliOptions {
  format: string;
  maxWarnings?: string;
  outputFile?: string;
  ignore?: boolean;
  configLookup?: boolean;
  fix?: boolean;
  force?: boolean;
}

/**
 * `check --fix`: what ESLint users expect. The fixes are applied by `runFix` (the same engine, safety checks and
 * summary as `trace-nesting fix`, printed on stderr), then `check` reports what is left. Returns an exit code when
 * the fix step stopped the run (it refused to write, or files could not be fixed).
 */
async function applyFixesFirst(options: CheckOptions, force: boolean): Promise<number | undefined> {
  const { runFix, formatFixSummary } = await import("./fix.js");
  const summary = await runFix({ ...options, force, jobs: undefined });
  process.stderr.write(formatFixSummary(summary));
  return summary.refused ? 2 : undefined;
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
    .option("--no-config-lookup", "use no project eslint.config.* file: trace-nesting's recommended config on every file")
    .option("--fix", "apply the fixes first (as `trace-nesting fix` does, same safety checks), then report what is left")
    .option("--force", "with --fix: write even when the paths have uncommitted changes in git")
    .addHelpText(
      "after",
      "\nA project eslint.config.* that cannot be loaded does not stop the run: its files are checked with\n" +
        "configs.recommended and the report starts with a warning naming the config.\n" +
        "Exit codes: 0 clean or nothing to check; 1 findings; 2 bad arguments, missing paths, files that do not parse.",
    )
    .action(async (paths: string[], cli: CheckCliOptions) => {
      await runCommand("check", async () => {
        const cwd = process.cwd();
        let maxWarnings: number | undefined;
        if (cli.maxWarnings !== undefined) {
          maxWarnings = Number(cli.maxWarnings);
          if (!Number.isInteger(maxWarnings) || maxWarnings < -1) throw new UsageError(`--max-warnings must be a whole number >= -1, got ${cli.maxWarnings}`);
        }
        if (!(FORMATS as readonly string[]).includes(cli.format)) throw new UsageError(`unknown format "${cli.format}"; the formats are: ${FORMATS.join(", ")}`);
        const options: CheckOptions = {
          cwd,
          paths,
          runtime: cli.runtime,
          rules: ruleList(cli.rule),
          strict: cli.strict,
          settings: readSettingsOption(cli.settings, cwd),
          format: cli.format as CheckFormat,
          maxWarnings,
          noIgnore: cli.ignore === false,
          noConfigLookup: cli.configLookup === false,
          lang: cli.lang as CheckOptions["lang"],
          python: cli.python,
        };
        if (cli.fix) {
          const fixed = await applyFixesFirst(options, cli.force === true);
          if (fixed !== undefined) return fixed;
        } else if (cli.force) {
          throw new UsageError("--force only applies with --fix");
        }
        const result = await runCheck(options);
        if (result.notes) process.stderr.write(result.notes);
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
