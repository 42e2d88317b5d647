/**
 * Parsing for the front ends that do not go through ESLint (codemods, CLI `fix`): typescript-estree for the AST,
 * the typescript-eslint scope manager for bindings, the same pair ESLint uses with `@typescript-eslint/parser`.
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
  scopeManagerModule ??= lazyRequire<typeof ScopeManagerModule>("@typescript-eslint/scope-manager");
  return { parse: estree.parse, TSError: estree.TSError, analyze: scopeManagerModule.analyze };
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
  });
  return { ast, scopeManager, text, filename };
}
