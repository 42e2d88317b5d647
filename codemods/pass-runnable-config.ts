/**
 * jscodeshift transform: the `trace-nesting/pass-runnable-config` fixes (docs/rules/pass-runnable-config.md).
 * `npx jscodeshift -t node_modules/trace-nesting/dist/codemods/pass-runnable-config.js --extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs src/`
 */
import { createTransformer } from "../src/cli/codemod.js";

export default createTransformer(["pass-runnable-config"]);
