/**
 * Running detectors outside ESLint (codemods, CLI `fix`): parse, build the model, collect findings as plain data
 * with their interpolated messages and positions.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import type { Finding } from "../engine/types.js";
import { jsDetectors } from "./detectors/index.js";
import type { CommonOptions, JsDetector } from "./detectors/types.js";
import { getModel } from "./model.js";
import { parseFast, type ParsedSource } from "./parse.js";
import { precheckFile, precheckText, worthModelling } from "./precheck.js";
import { resolveSettings, type ResolvedSettings, type TraceNestingSettings } from "./settings.js";

export interface JsFinding extends Finding<TSESTree.Node> {
  ruleName: string;
  message: string;
  /** 1-based line and column of the start and end of the reported range (ESLint's convention). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  suggestionMessage?: string;
}

export interface DetectOptions {
  settings?: TraceNestingSettings;
  /** Rule name -> options; when given, only these rules run. */
  rules?: Record<string, Record<string, unknown> | undefined>;
  /** Directory that `browserFiles` globs and relative file names are resolved against. */
  cwd?: string;
}

/** Replace `{{ name }}` placeholders, as ESLint does. */
export function interpolate(template: string, data: Record<string, string> | undefined): string {
  if (!data) return template;
  return template.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (match, key: string) => (key in data ? data[key] : match));
}

/** Merge user options over a detector's defaults. */
export function resolveOptions<O extends CommonOptions>(detector: JsDetector<O>, options: Partial<O> | undefined): Required<O> {
  return { ...detector.defaultOptions, ...(options ?? {}) } as Required<O>;
}

/** The fix kind after the `autofix` option: a fix becomes a suggestion when autofix is off. */
export function effectiveFixKind(finding: Finding, options: CommonOptions): Finding["fixKind"] {
  return finding.fixKind === "fix" && options.autofix === false ? "suggestion" : finding.fixKind;
}

function selectedDetectors(options: DetectOptions): { detector: JsDetector<CommonOptions>; options: Required<CommonOptions> }[] {
  const out: { detector: JsDetector<CommonOptions>; options: Required<CommonOptions> }[] = [];
  for (const detector of jsDetectors) {
    if (options.rules && !(detector.meta.name in options.rules)) continue;
    out.push({ detector, options: resolveOptions(detector, options.rules?.[detector.meta.name] as Partial<CommonOptions> | undefined) });
  }
  return out;
}

/**
 * Cheap test: false means the file certainly has no findings. With a file name, a file that another project file
 * registers as a graph node (or task, entrypoint, runnable) passes too.
 */
export function precheck(text: string, settings?: TraceNestingSettings | ResolvedSettings, filename?: string, cwd?: string): boolean {
  const resolved = settings && "traceableWrappers" in settings && settings.traceableWrappers instanceof Set
    ? (settings as ResolvedSettings)
    : resolveSettings(settings as TraceNestingSettings | undefined);
  return filename ? precheckFile(text, resolved, filename, cwd) : precheckText(text, resolved);
}

/** Findings of an already parsed file. */
export function detectParsed(parsed: ParsedSource, options: DetectOptions = {}): JsFinding[] {
  const settings = resolveSettings(options.settings);
  if (!worthModelling(parsed, parsed.ast, settings, parsed.filename, options.cwd)) return [];
  const model = getModel({ ast: parsed.ast, scopeManager: parsed.scopeManager, text: parsed.text, filename: parsed.filename, settings, cwd: options.cwd });
  const findings: JsFinding[] = [];
  for (const { detector, options: ruleOptions } of selectedDetectors(options)) {
    for (const finding of detector.detect(model, ruleOptions)) {
      const fixKind = effectiveFixKind(finding, ruleOptions);
      const loc = finding.node.loc;
      findings.push({
        ...finding,
        fixKind,
        ruleName: detector.meta.name,
        message: interpolate(detector.meta.messages[finding.messageId], finding.data),
        suggestionMessage: finding.suggestionMessageId ? interpolate(detector.meta.messages[finding.suggestionMessageId], finding.data) : undefined,
        line: loc.start.line,
        column: loc.start.column + 1,
        endLine: loc.end.line,
        endColumn: loc.end.column + 1,
      });
    }
  }
  findings.sort((a, b) => a.range[0] - b.range[0] || a.ruleName.localeCompare(b.ruleName));
  return findings;
}

/**
 * Findings of a file's text (without BOM). Files that fail the pre-check are not parsed. Throws
 * `SourceParseError` (with file, line and column) when the file cannot be parsed.
 */
export function detectInText(text: string, filename: string, options: DetectOptions = {}): JsFinding[] {
  if (!precheck(text, options.settings, filename, options.cwd)) return [];
  return detectParsed(parseFast(text, filename), options);
}
