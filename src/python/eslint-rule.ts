/**
 * The ESLint front end of a Python detector, for files linted with the `trace-nesting/python` language: the rule
 * visits the `PyModule` node once, asks the Python engine for its findings and reports them with the same edits
 * `trace-nesting fix` applies. On any other language (JavaScript) the rule does nothing.
 */
import type { Rule } from "eslint";
import { ruleDocsUrl } from "../eslint/create-rule.js";
import type { PyDetector } from "./detectors/types.js";
import { detectPython } from "./index.js";
import type { PythonSourceCode } from "./eslint-language.js";
import { resolvePySettings } from "./settings.js";

export function createPyRule(detector: PyDetector): Rule.RuleModule {
  return {
    meta: {
      type: "problem",
      docs: { description: detector.meta.description, url: ruleDocsUrl(detector.meta.name) },
      fixable: "code",
      hasSuggestions: true,
      schema: [
        {
          type: "object",
          properties: { autofix: { type: "boolean", description: "false: offer fixes as editor suggestions only" } },
          additionalProperties: false,
        },
      ],
      defaultOptions: [{ autofix: true }],
      messages: { ...detector.meta.messages, suggestAutofixOff: "Apply the fix (autofix is off for this rule)." },
    },
    create(context) {
      const sourceCode = context.sourceCode as unknown as PythonSourceCode;
      if ((sourceCode.ast as { type?: string } | undefined)?.type !== "PyModule") return {};
      const autofix = (context.options[0] as { autofix?: boolean } | undefined)?.autofix !== false;
      const settings = resolvePySettings(context.settings?.["trace-nesting"] as Record<string, unknown> | undefined);
      return {
        PyModule() {
          const findings = detectPython(sourceCode.text, context.filename, settings, { rules: [detector.meta.name], cwd: context.cwd });
          for (const found of findings) {
            // `autofix: false` turns fixes into suggestions (the same edits, applied by a person).
            const finding = !autofix && found.fixKind === "fix" ? { ...found, fixKind: "suggestion" as const, suggestionMessageId: found.suggestionMessageId ?? "suggestAutofixOff" } : found;
            const loc = { start: sourceCode.getLocFromIndex(finding.range[0]), end: sourceCode.getLocFromIndex(finding.range[1]) };
            const fix =
              finding.edits.length > 0
                ? (fixer: Rule.RuleFixer) => finding.edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text))
                : null;
            context.report({
              loc,
              messageId: finding.messageId,
              data: finding.data,
              fix: finding.fixKind === "fix" ? fix : null,
              suggest: finding.fixKind === "suggestion" && fix && finding.suggestionMessageId ? [{ messageId: finding.suggestionMessageId, data: finding.data, fix }] : null,
            } as Rule.ReportDescriptor);
          }
        },
      } as Rule.RuleListener;
    },
  };
}
