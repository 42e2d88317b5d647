/**
 * jscodeshift transform: the `trace-nesting/propagate-trace-headers` fixes (docs/rules/propagate-trace-headers.md).
 * `npx jscodeshift -t node_modules/trace-nesting/dist/codemods/propagate-trace-headers.js --extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs src/`
 */
import { createTransformer } from "../src/cli/codemod.js";

export default createTransformer(["propagate-trace-headers"]);
