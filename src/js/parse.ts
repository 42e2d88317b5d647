/**
 * Parsing for the front ends that do not go through ESLint (codemods, CLI `fix`) and for the project index: the AST
 * ESLint gets from `@typescript-eslint/parser` (typescript-estree), and the typescript-eslint scope manager for
 * bindings. `parseSource` is typescript-estree itself; `parseFast` and `parseForIndex` build the same AST with
 * oxc-parser where it accepts the text (test/model/parse.test.ts compares the two node for node).
 */
import type * as Estree from "@typescript-eslint/typescript-estree";
import type * as ScopeManagerModule from "@typescript-eslint/scope-manager";
import type { ScopeManager } from "@typescript-eslint/scope-manager";
import type { TSESTree } from "@typescript-eslint/utils";
import path from "node:path";
import { lazyRequire } from "../lazy-require.js";

// typescript-estree (which loads TypeScript) and the scope manager are loaded on first parse, so that commands and
// modules that never parse JavaScript (`check --lang python`) do not pay for them.
let estree: typeof Estree | undefined;
let scopeManagerModule: typeof ScopeManagerModule | undefined;
function load(): { parse: typeof Estree.parse; TSError: typeof Estree.TSError; analyze: typeof ScopeManagerModule.analyze } {
  estree ??= lazyRequire<typeof Estree>("@typescript-eslint/typescript-estree");
  return { parse: estree.parse, TSError: estree.TSError, analyze: loadScopeManager().analyze };
}
/** The scope manager alone (oxc-parser's ASTs need no typescript-estree, nor TypeScript). */
export function loadScopeManager(): typeof ScopeManagerModule {
  return (scopeManagerModule ??= lazyRequire<typeof ScopeManagerModule>("@typescript-eslint/scope-manager"));
}

export interface ParsedSource {
  ast: TSESTree.Program;
  scopeManager: ScopeManager;
  text: string;
  filename: string;
}

/** A file that cannot be parsed: carries the file and the 1-based line / 1-based column of the error. */
export class SourceParseError extends Error {
  constructor(
    readonly filename: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${filename}:${line}:${column}: ${reason}`);
    this.name = "SourceParseError";
  }
}

const JSX_EXTENSIONS = new Set([".tsx", ".jsx", ".js", ".mjs", ".cjs"]);
export const JS_TS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx"] as const;

/** Whether a file name has one of the extensions we lint. */
export function isJsTsFile(filename: string): boolean {
  return (JS_TS_EXTENSIONS as readonly string[]).includes(path.extname(filename).toLowerCase());
}

/** Parse `text` (no BOM) as the file `filename` would be parsed by `@typescript-eslint/parser`. */
export function parseSource(text: string, filename: string): ParsedSource {
  const ext = path.extname(filename).toLowerCase();
  const { parse, TSError, analyze } = load();
  let ast: TSESTree.Program;
  try {
    ast = parse(text, {
      range: true,
      loc: true,
      comment: false,
      tokens: false,
      jsx: JSX_EXTENSIONS.has(ext),
      filePath: filename,
      jsDocParsingMode: "none",
    }) as TSESTree.Program;
  } catch (error) {
    if (error instanceof TSError) {
      throw new SourceParseError(filename, error.lineNumber, error.column + 1, error.message);
    }
    throw error;
  }
  const scopeManager = analyze(ast, {
    sourceType: ast.sourceType,
    jsxPragma: null,
    lib: NO_LIB,
  });
  return { ast, scopeManager, text, filename };
}

/**
 * No implicit library globals in our scope analyses: the scope manager would otherwise declare several hundred
 * definition-less variables (`Promise`, `Map`, ...) in every file's global scope, which costs a third of the analysis.
 * The model treats a variable without definitions as a global, bound or not, so its answers do not change.
 */
export const NO_LIB: never[] = [];

type OxcParser = typeof import("oxc-parser");
/** oxc-parser, or null where its native (or WebAssembly) binding does not load: then typescript-estree parses. */
let oxc: OxcParser | null | undefined;
export function loadOxc(): OxcParser | null {
  if (oxc !== undefined) return oxc;
  try {
    oxc = lazyRequire<OxcParser>("oxc-parser");
  } catch {
    oxc = null;
  }
  return oxc;
}

interface Position {
  line: number;
  column: number;
}
/** A node or comment as oxc-parser gives it (`range` asked for; `loc` added by {@link addLocations}). */
type Located = { range: [number, number]; loc?: { start: Position; end: Position }; start?: number; end?: number };
type VisitorKeys = Record<string, readonly string[]>;

/** Offset -> ESLint's 1-based line and 0-based column (lines end at `\r\n`, `\n`, `\r`, U+2028, U+2029). */
function locator(text: string): (offset: number) => Position {
  const starts = [0];
  const pattern = /\r\n|[\n\r\u2028\u2029]/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) starts.push(match.index + match[0].length);
  let last = 0;
  return (offset) => {
    // Nodes come mostly in source order: look near the line of the last answer first.
    let low = 0;
    let high = starts.length - 1;
    if (starts[last] <= offset && (last === high || starts[last + 1] > offset)) low = high = last;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    last = low;
    return { line: low + 1, column: offset - starts[low] };
  };
}

/**
 * Give every node (walked by `keys`) and comment ESLint's `loc`, and the comments their `range`. A template's raw
 * text keeps its `\r\n` as in the source, as typescript-estree has it (oxc-parser normalises it to `\n`).
 */
function addLocations(ast: TSESTree.Program, comments: Located[], text: string, keys: VisitorKeys): void {
  const at = locator(text);
  const carriageReturns = text.includes("\r");
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop() as Located & { type: string } & Record<string, unknown>;
    node.loc = { start: at(node.range[0]), end: at(node.range[1]) };
    if (carriageReturns && node.type === "TemplateElement") {
      (node.value as { raw: string }).raw = text.slice(node.range[0] + 1, node.range[1] - (node.tail ? 1 : 2));
    }
    for (const key of keys[node.type] ?? []) {
      const child = node[key];
      if (!child || typeof child !== "object") continue;
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof item === "object" && typeof (item as { type?: unknown }).type === "string") stack.push(item);
      } else if (typeof (child as { type?: unknown }).type === "string") stack.push(child);
    }
  }
  for (const comment of comments) {
    comment.range = [comment.start!, comment.end!];
    comment.loc = { start: at(comment.range[0]), end: at(comment.range[1]) };
  }
}

let visitorKeys: VisitorKeys | undefined;
/** typescript-eslint's visitor keys (what `addLocations` walks and ESLint traverses). */
export function tsVisitorKeys(): VisitorKeys {
  return (visitorKeys ??= lazyRequire<{ visitorKeys: VisitorKeys }>("@typescript-eslint/visitor-keys").visitorKeys);
}

/**
 * The TS-ESTree AST of `text` by oxc-parser (`astType: "ts"`, ranges; with `locations`, ESLint's `loc` on every node
 * and comment too), about 2.5 times as fast as typescript-estree; undefined when oxc-parser is not available or
 * rejects the text (callers then parse with typescript-estree, so that what parses, and the error of what does not,
 * stay typescript-estree's). The program's `sourceType` is "module" when the text imports or exports, as
 * typescript-estree says.
 */
export function parseWithOxc(text: string, filename: string, locations: boolean): { ast: TSESTree.Program; comments: TSESTree.Comment[] } | undefined {
  const parser = loadOxc();
  if (!parser) return undefined;
  const ext = path.extname(filename).toLowerCase();
  let result: ReturnType<OxcParser["parseSync"]>;
  try {
    result = parser.parseSync(filename, text, {
      lang: ext === ".tsx" ? "tsx" : ext === ".ts" || ext === ".mts" || ext === ".cts" ? "ts" : "jsx",
      sourceType: "unambiguous",
      astType: "ts",
      range: true,
      preserveParens: false,
    });
  } catch {
    return undefined;
  }
  if (result.errors.length > 0) return undefined;
  const ast = result.program as unknown as TSESTree.Program;
  const comments = result.comments as unknown as Located[];
  if (locations) addLocations(ast, comments, text, tsVisitorKeys());
  return { ast, comments: comments as unknown as TSESTree.Comment[] };
}

/** How a file's AST is analysed: ESLint's parser options, or ours (the source type the text has, no JSX pragma). */
export interface AnalysisOptions {
  /** Undefined: "module" when the text imports or exports, as typescript-estree says. */
  sourceType?: "module" | "script";
  globalReturn?: boolean;
  jsxPragma?: string | null;
  jsxFragmentName?: string | null;
  lib?: ScopeManagerModule.AnalyzeOptions["lib"];
  /** ESLint's `loc` on every node and comment, and `range` on comments (only reports need them). */
  locations: boolean;
}

export interface OxcAnalysis {
  ast: TSESTree.Program;
  comments: TSESTree.Comment[];
  scopeManager: ScopeManager;
}

/** One file's parse, shared within a {@link shareParses} run: its AST and its scope analyses by options. */
interface SharedParse {
  text: string;
  ast: TSESTree.Program;
  comments: TSESTree.Comment[];
  /** The source type the text has ("module" when it imports or exports); the AST's may be the one ESLint asked for. */
  detected: "module" | "script";
  located: boolean;
  analyses: Map<string, ScopeManager>;
}
/** The parses shared since {@link shareParses} by file name (the most recent {@link MAX_SHARED_PARSES}). */
let shared: Map<string, SharedParse> | undefined;
/** Parses kept apart from the most recent ones until sharing stops (see {@link keepParse}). */
let kept: Map<string, SharedParse> | undefined;
let sharingRuns = 0;
const MAX_SHARED_PARSES = 64;

/**
 * Until the returned function is called, a file parsed twice with the same text (by the project index, then by the
 * rules; by `check`'s own run of the detectors, then by ESLint for its report) is parsed once: the AST and the scope
 * analysis are shared, and so is the model built on them. Only for a run over files that do not change meanwhile
 * (`check`): elsewhere every parse is fresh, so that a model built on it sees the project as it is now (the editor
 * re-lints unchanged files after another one changed).
 */
export function shareParses(): () => void {
  if (sharingRuns++ === 0) (shared = new Map()), (kept = new Map());
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    if (--sharingRuns === 0) shared = kept = undefined;
  };
}

/** Keep the shared parse of `filename` until sharing stops: it will be asked for again (ESLint lints the file). */
export function keepParse(filename: string): void {
  const parse = shared?.get(filename);
  if (parse) kept!.set(filename, parse);
}

function analysisKey(filename: string, sourceType: string, options: AnalysisOptions): string {
  // A JSX pragma makes no difference where there can be no JSX.
  const pragma = /\.[cm]?ts$/i.test(filename) ? "" : `${options.jsxPragma}|${options.jsxFragmentName}`;
  return `${sourceType}|${options.globalReturn === true}|${pragma}|${options.lib === undefined || options.lib === NO_LIB ? "" : JSON.stringify(options.lib)}`;
}

/**
 * oxc-parser's AST of `text` with the typescript-eslint scope manager's analysis (see {@link parseWithOxc}), shared
 * while {@link shareParses} is on; undefined when oxc-parser is not available or rejects the text.
 */
export function analyzeWithOxc(text: string, filename: string, options: AnalysisOptions): OxcAnalysis | undefined {
  let parse = kept?.get(filename) ?? shared?.get(filename);
  if (!parse || parse.text !== text || (options.sourceType ?? parse.detected) !== parse.ast.sourceType) {
    const parsed = parseWithOxc(text, filename, options.locations);
    if (!parsed) return undefined;
    const detected = parsed.ast.sourceType;
    if (options.sourceType !== undefined) (parsed.ast as { sourceType: string }).sourceType = options.sourceType;
    parse = { text, ast: parsed.ast, comments: parsed.comments, detected, located: options.locations, analyses: new Map() };
    if (shared) {
      kept!.delete(filename);
      shared.delete(filename);
      shared.set(filename, parse);
      if (shared.size > MAX_SHARED_PARSES) shared.delete(shared.keys().next().value!);
    }
  } else if (options.locations && !parse.located) {
    addLocations(parse.ast, parse.comments as unknown as Located[], text, tsVisitorKeys());
    parse.located = true;
  }
  const sourceType = parse.ast.sourceType;
  const key = analysisKey(filename, sourceType, options);
  let scopeManager = parse.analyses.get(key);
  if (!scopeManager) {
    scopeManager = loadScopeManager().analyze(parse.ast, {
      sourceType,
      globalReturn: options.globalReturn,
      jsxPragma: options.jsxPragma,
      jsxFragmentName: options.jsxFragmentName,
      lib: options.lib ?? NO_LIB,
    });
    parse.analyses.set(key, scopeManager);
  }
  return { ast: parse.ast, comments: parse.comments, scopeManager };
}

/**
 * {@link parseSource} through oxc-parser where it can (locations included): for `fix` and the codemods, whose
 * findings carry positions. Same AST shape, ranges and scopes; a text oxc rejects goes to typescript-estree.
 */
export function parseFast(text: string, filename: string): ParsedSource {
  const analysis = analyzeWithOxc(text, filename, { jsxPragma: null, locations: true });
  return analysis ? { ast: analysis.ast, scopeManager: analysis.scopeManager, text, filename } : parseSource(text, filename);
}

/**
 * Parse a project module the current file imports, registers or is registered by (the project index reads it; no
 * finding is ever reported in it, so its nodes get no `loc`).
 */
export function parseForIndex(text: string, filename: string): ParsedSource {
  const analysis = analyzeWithOxc(text, filename, { jsxPragma: null, locations: false });
  return analysis ? { ast: analysis.ast, scopeManager: analysis.scopeManager, text, filename } : parseSource(text, filename);
}
