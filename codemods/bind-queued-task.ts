/**
 * jscodeshift transform: the `trace-nesting/bind-queued-task` fixes (docs/rules/bind-queued-task.md).
 * `npx jscodeshift -t node_modules/trace-nesting/dist/codemods/bind-queued-task.js --extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs src/`
 */
import { createTransformer } from "../src/cli/codemod.js";

export default createTransformer(["bind-queued-task"]);
