/**
 * jscodeshift transform: the `trace-nesting/pass-parent-run-tree` fixes (docs/rules/pass-parent-run-tree.md).
 * `npx jscodeshift -t node_modules/trace-nesting/dist/codemods/pass-parent-run-tree.js --extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs src/`
 */
import { createTransformer } from "../src/cli/codemod.js";

export default createTransformer(["pass-parent-run-tree"]);
