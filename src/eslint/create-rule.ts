/**
 * The ESLint front end of a detector: the rule builds (or reuses) the file's model, runs the detector and turns
 * each finding into a report with a fix or a suggestion made of the very same text edits the codemod applies.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import type { JSONSchema4 } from "@typescript-eslint/utils/json-schema";
import { readPackageJson } from "../package-info.js";
import type { CommonOptions, JsDetector } from "../js/detectors/types.js";
import { getModel } from "../js/model.js";
import { precheckSource, worthModelling } from "../js/precheck.js";
import { effectiveFixKind, resolveOptions } from "../js/run.js";
import type { MinimalScopeManager } from "../js/scope.js";
import { settingsFromEslint } from "../js/settings.js";

/** Where a rule's documentation lives (shipped in the package under `docs/rules/`). */
export function ruleDocsUrl(name: string): string {
  const pkg = readPackageJson();
  const repo = String((pkg.repository as { url?: string } | undefined)?.url ?? "")
    .replace(/^git\+/, "")
    .replace(/\.git$/, "");
  return `${repo}/blob/main/docs/rules/${name}.md`;
}

export type TraceNestingRule = TSESLint.RuleModule<string, [Record<string, unknown>]> & {
  meta: TSESLint.RuleMetaData<string, unknown, [Record<string, unknown>]> & { defaultOptions: [Record<string, unknown>] };
};

export function createRule<O extends CommonOptions>(detector: JsDetector<O>): TraceNestingRule {
  const schema: JSONSchema4[] = [
    {
      type: "object",
      properties: detector.optionProperties,
      additionalProperties: false,
    },
  ];
  const defaultOptions = [{ ...detector.defaultOptions }] as [Record<string, unknown>];
  return {
    meta: {
      type: "problem",
      docs: {
        description: detector.meta.description,
        url: ruleDocsUrl(detector.meta.name),
      },
      fixable: "code",
      hasSuggestions: true,
      schema,
      messages: detector.meta.messages,
      defaultOptions,
    },
    defaultOptions,
    create(context) {
      const settings = settingsFromEslint(context.settings as Record<string, unknown>);
      const sourceCode = context.sourceCode;
      // Another language (Python through `trace-nesting/python`): the JavaScript rules have nothing to say.
      if ((sourceCode.ast as { type?: string } | undefined)?.type !== "Program") return {};
      if (!precheckSource(sourceCode, settings, context.filename, context.cwd)) return {};
      const options = resolveOptions(detector, context.options[0] as Partial<O> | undefined);
      return {
        Program(program: TSESTree.Program) {
          if (!worthModelling(sourceCode, program, settings, context.filename, context.cwd)) return;
          const model = getModel({
            ast: program,
            scopeManager: sourceCode.scopeManager as unknown as MinimalScopeManager,
            text: sourceCode.text,
            filename: context.filename,
            settings,
            cwd: context.cwd,
            visitorKeys: sourceCode.visitorKeys as Record<string, readonly string[]>,
          });
          for (const finding of detector.detect(model, options)) {
            const kind = effectiveFixKind(finding, options);
            const fix =
              finding.edits.length > 0
                ? (fixer: TSESLint.RuleFixer) => finding.edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text))
                : null;
            context.report({
              node: finding.node,
              messageId: finding.messageId,
              data: finding.data,
              fix: kind === "fix" ? fix : null,
              suggest:
                kind === "suggestion" && fix && finding.suggestionMessageId
                  ? [{ messageId: finding.suggestionMessageId, data: finding.data, fix }]
                  : null,
            });
          }
        },
      };
    },
  };
}
