/**
 * jscodeshift transform: the `trace-nesting/continue-trace-in-worker` fixes (docs/rules/continue-trace-in-worker.md).
 * `npx jscodeshift -t node_modules/trace-nesting/dist/codemods/continue-trace-in-worker.js --extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs src/`
 */
import { createTransformer } from "../src/cli/codemod.js";

export default createTransformer(["continue-trace-in-worker"]);
