/**
 * jscodeshift transform: the fixes of every trace-nesting rule, exactly as `eslint --fix` applies them.
 * `npx jscodeshift -t node_modules/trace-nesting/dist/codemods/all.js --extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs src/`
 * Options: `--runtime=node|browser|auto`, `--settings='<JSON>'`, `--strict`, `--rules=<rule>,<rule>` (see docs/cli.md).
 */
import { createTransformer } from "../src/cli/codemod.js";

export default createTransformer();
