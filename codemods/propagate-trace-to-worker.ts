/**
 * jscodeshift transform: the `trace-nesting/propagate-trace-to-worker` fixes (docs/rules/propagate-trace-to-worker.md).
 * `npx jscodeshift -t node_modules/trace-nesting/dist/codemods/propagate-trace-to-worker.js --extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs src/`
 */
import { createTransformer } from "../src/cli/codemod.js";

export default createTransformer(["propagate-trace-to-worker"]);
