/**
 * jscodeshift transform: the `trace-nesting/no-detached-iterator` fixes (docs/rules/no-detached-iterator.md).
 * `npx jscodeshift -t node_modules/trace-nesting/dist/codemods/no-detached-iterator.js --extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs src/`
 */
import { createTransformer } from "../src/cli/codemod.js";

export default createTransformer(["no-detached-iterator"]);
