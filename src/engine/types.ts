/**
 * Language-neutral data that every detector returns and every front end consumes.
 *
 * A detector never talks to ESLint or jscodeshift: it returns findings as plain data. The ESLint rule turns a
 * finding into a report (with a fix or a suggestion); the codemod and the CLI apply the very same edits as text.
 * Nothing here depends on JavaScript, so a second language (Python) can produce the same shape.
 */

/** Replace the half-open character range `[start, end)` of the original text with `text`. */
export interface TextEdit {
  range: readonly [number, number];
  text: string;
}

/**
 * How a finding's edits may be applied.
 * - `fix`: safe to apply without review (ESLint `--fix`, `trace-nesting fix`).
 * - `suggestion`: changes behaviour beyond the trace context (identity of a listener, a type, ...):
 *   offered in editors, listed by the CLI as needing a person, never applied automatically.
 * - `none`: report only, no edits.
 */
export type FixKind = "fix" | "suggestion" | "none";

export interface Finding<N = unknown> {
  /** The node to report on (an ESTree node for JavaScript). */
  node: N;
  /** `[start, end)` of the reported source text; equals the node's range for ESTree nodes. */
  range: readonly [number, number];
  messageId: string;
  data?: Record<string, string>;
  fixKind: FixKind;
  /** Non-overlapping edits in any order. Empty when `fixKind` is `none`. */
  edits: TextEdit[];
  /** Message id used for the suggestion's description when `fixKind` is `suggestion`. */
  suggestionMessageId?: string;
}

/** Static description of a detector, shared by the ESLint rule, the codemod and the CLI. */
export interface DetectorMeta {
  /** Rule name without the plugin prefix, e.g. `pass-runnable-config`. */
  name: string;
  description: string;
  /** Message templates with `{{placeholders}}`, ESLint style. */
  messages: Record<string, string>;
  /** Whether the rule is on in `configs.recommended`. */
  recommended: boolean;
}
