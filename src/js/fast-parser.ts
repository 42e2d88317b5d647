/**
 * An ESLint parser for `trace-nesting check`, where only our rules run and the config is ours: oxc-parser builds the
 * TS-ESTree AST (`astType: "ts"`) about 2.5 times as fast as typescript-estree (`parse.ts`), and the typescript-eslint
 * scope manager analyses it as `@typescript-eslint/parser` would. Our rules read the AST, ranges, locations, comments
 * (for `eslint-disable` directives) and scopes, never tokens: the token list is left empty.
 *
 * A text oxc-parser rejects (or a binding that does not load) goes to `@typescript-eslint/parser`, so that what does
 * not parse is reported with typescript-estree's error, and what typescript-estree accepts is never lost.
 * Projects' own ESLint configs keep their own parser: this one is used only for files linted with our default config.
 */
import type * as ScopeManagerModule from "@typescript-eslint/scope-manager";
import type { Linter } from "eslint";
import { lazyRequire } from "../lazy-require.js";
import { analyzeWithOxc, tsVisitorKeys } from "./parse.js";

type TsParser = { parseForESLint(code: string, options?: Record<string, unknown>): Linter.ESLintParseResult };
let tsParser: TsParser | undefined;

export function parseForESLint(code: string, options: Record<string, unknown> = {}): Linter.ESLintParseResult {
  const filePath = typeof options.filePath === "string" ? options.filePath : "file.ts";
  const ecmaFeatures = (options.ecmaFeatures ?? {}) as { globalReturn?: boolean };
  const analysis = analyzeWithOxc(code, filePath, {
    // As @typescript-eslint/parser: the source type ESLint asks for (anything but "module" is a script).
    sourceType: options.sourceType === "module" ? "module" : "script",
    globalReturn: ecmaFeatures.globalReturn,
    jsxPragma: options.jsxPragma as string | null | undefined,
    jsxFragmentName: options.jsxFragmentName as string | null | undefined,
    lib: options.lib as ScopeManagerModule.AnalyzeOptions["lib"],
    // `locations: false` (ours, for `check`'s own run of the detectors): no `loc`, which only reports need.
    locations: options.locations !== false,
  });
  if (!analysis) {
    tsParser ??= lazyRequire<TsParser>("@typescript-eslint/parser");
    return tsParser.parseForESLint(code, options);
  }
  const { ast } = analysis;
  ast.comments = analysis.comments;
  ast.tokens = [];
  return {
    ast: ast as unknown as Linter.ESLintParseResult["ast"],
    scopeManager: analysis.scopeManager as unknown as Linter.ESLintParseResult["scopeManager"],
    visitorKeys: tsVisitorKeys() as Record<string, string[]>,
    services: {},
  };
}

/** The parser object for a flat config's `languageOptions.parser`. */
export const fastParser: Linter.Parser = { meta: { name: "trace-nesting/fast-parser" }, parseForESLint };
