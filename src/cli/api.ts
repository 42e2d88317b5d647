/**
 * The command-line engine as a library: `import { runCheck, runFix } from "trace-nesting/cli"`.
 * Both resolve with what the commands print (`--json`); bad options or paths reject with a `UsageError`.
 */
export { runCheck, formatGithub, FORMATS, type CheckFormat, type CheckOptions, type CheckResult } from "./check.js";
export { runFix, formatFixSummary, fixSummaryJson, type ChangedFile, type FixError, type FixOptions, type FixSummary, type NeedsPersonFinding } from "./fix.js";
export { transformSource, RULE_NAMES, UsageError, type PlainFinding, type TransformOptions, type TransformResult } from "./transform.js";
export { createTransformer } from "./codemod.js";
