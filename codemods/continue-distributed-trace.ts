/**
 * jscodeshift transform: the `trace-nesting/continue-distributed-trace` fixes (docs/rules/continue-distributed-trace.md).
 * `npx jscodeshift -t node_modules/trace-nesting/dist/codemods/continue-distributed-trace.js --extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs src/`
 */
import { createTransformer } from "../src/cli/codemod.js";

export default createTransformer(["continue-distributed-trace"]);
