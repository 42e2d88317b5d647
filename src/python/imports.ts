/**
 * Imports for Python fixes: reuse a binding that already exists, merge a name into an existing top-level
 * `from module import ...` line, or add one line after the last top-level import. Returns the name to use in the
 * fix and the edits (none when the import exists).
 */
import type { TextEdit } from "../engine/types.js";
import type { PyModel } from "./model.js";
import { field, kids } from "./parse.js";

export interface ImportPlan {
  /** How the fix refers to the imported object. */
  ref: string;
  edits: TextEdit[];
}

function topLevelImports(model: PyModel) {
  return kids(model.root).filter((n) => n.type === "import_statement" || n.type === "import_from_statement" || n.type === "future_import_statement");
}

/** Where a new import line goes: after the last top-level import, else after the docstring, else at the start. */
function newImportEdit(model: PyModel, line: string): TextEdit {
  const imports = topLevelImports(model);
  const eol = model.eol;
  if (imports.length > 0) {
    const last = imports[imports.length - 1];
    return { range: [last.endIndex, last.endIndex], text: `${eol}${line}` };
  }
  const first = kids(model.root)[0];
  if (first?.type === "expression_statement" && kids(first)[0]?.type === "string") {
    return { range: [first.endIndex, first.endIndex], text: `${eol}${line}` };
  }
  return { range: [0, 0], text: `${line}${eol}` };
}

/** `from module import name` (or an existing equivalent). `qualified` lists the names that reach the same object. */
export function planFromImport(model: PyModel, module: string, name: string, qualified: readonly string[] = [`${module}.${name}`]): ImportPlan {
  for (const [local, binding] of model.imports) {
    if (qualified.includes(binding.qualified)) return { ref: local, edits: [] };
  }
  for (const [local, binding] of model.imports) {
    if (!binding.fromImport && binding.qualified === module) return { ref: `${local}.${name}`, edits: [] };
  }
  for (const statement of topLevelImports(model)) {
    if (statement.type !== "import_from_statement" || field(statement, "module_name")?.text !== module) continue;
    if (kids(statement).some((c) => c.type === "wildcard_import")) continue;
    const names = kids(statement).filter((c) => c.id !== field(statement, "module_name")?.id && (c.type === "dotted_name" || c.type === "aliased_import"));
    const last = names[names.length - 1];
    if (!last) continue;
    return { ref: name, edits: [{ range: [last.endIndex, last.endIndex], text: `, ${name}` }] };
  }
  return { ref: name, edits: [newImportEdit(model, `from ${module} import ${name}`)] };
}

/** `import module` (or an existing `import module as m`): the ref is the module's local name. */
export function planModuleImport(model: PyModel, module: string): ImportPlan {
  for (const [local, binding] of model.imports) {
    if (!binding.fromImport && binding.qualified === module) return { ref: local, edits: [] };
  }
  return { ref: module, edits: [newImportEdit(model, `import ${module}`)] };
}

/** A reference to `module.name`: an existing from-import or module import, else `import module`. */
export function planQualified(model: PyModel, module: string, name: string): ImportPlan {
  for (const [local, binding] of model.imports) {
    if (binding.qualified === `${module}.${name}`) return { ref: local, edits: [] };
  }
  const plan = planModuleImport(model, module);
  return { ref: `${plan.ref}.${name}`, edits: plan.edits };
}

/** Merge edits that insert at the same offset (several imports after the same line). */
export function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const edit of edits) {
    const same = out.find((e) => e.range[0] === edit.range[0] && e.range[1] === edit.range[1] && e.range[0] === e.range[1]);
    if (same) same.text += edit.text;
    else out.push({ range: [edit.range[0], edit.range[1]], text: edit.text });
  }
  return out;
}
