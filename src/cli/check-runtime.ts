/**
 * The runtime the JavaScript model infers for a file no rule modelled (for `check`'s summary line). Apart from
 * ./check-summary.ts because it loads the JavaScript model, which `check` loads only for JavaScript files.
 */
import { getModel } from "../js/model.js";
import { parseForIndex } from "../js/parse.js";
import { resolveSettings, type TraceNestingSettings } from "../js/settings.js";
import { runtimeLabel, type RuntimeLabel } from "./check-summary.js";

/** The runtime the model infers for one file's text, or undefined when it does not parse. */
export function inferRuntime(text: string, file: string, settings: TraceNestingSettings | undefined, cwd: string): RuntimeLabel | undefined {
  try {
    // No finding is reported from this parse: the fast AST without locations serves, as for the project index.
    const parsed = parseForIndex(text, file);
    const model = getModel({ ast: parsed.ast, scopeManager: parsed.scopeManager, text: parsed.text, filename: file, settings: resolveSettings(settings), cwd });
    return runtimeLabel(model.runtime);
  } catch {
    return undefined;
  }
}
