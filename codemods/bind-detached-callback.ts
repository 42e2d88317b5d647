/**
 * jscodeshift transform: the `trace-nesting/bind-detached-callback` fixes (docs/rules/bind-detached-callback.md).
 * `npx jscodeshift -t node_modules/trace-nesting/dist/codemods/bind-detached-callback.js --extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs src/`
 */
import { createTransformer } from "../src/cli/codemod.js";

export default createTransformer(["bind-detached-callback"]);
