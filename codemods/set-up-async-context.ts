/**
 * jscodeshift transform for `trace-nesting/set-up-async-context` (docs/rules/set-up-async-context.md). The rule's
 * fix is a suggestion and codemods apply autofixes only, so this transform leaves files unchanged; it is listed for
 * completeness (`trace-nesting check` reports the finding with its suggestion).
 * `npx jscodeshift -t node_modules/trace-nesting/dist/codemods/set-up-async-context.js --extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs src/`
 */
import { createTransformer } from "../src/cli/codemod.js";

export default createTransformer(["set-up-async-context"]);
