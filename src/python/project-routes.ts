/**
 * Django URL registrations across the project: which functions and classes of a module other modules serve as
 * views (`path("x", views.answer)`, `re_path(r"^x$", answer)` with `from .views import answer`,
 * `path("x", views.Answer.as_view())`). Read from the files that mention `django` and a route function, each parsed
 * once per modification time, without the project index (no recursion).
 */
import path from "node:path";
import type { PyModel } from "./model.js";
import { field } from "./parse.js";
import { importedModulePath } from "./servers.js";

const DJANGO_ROUTES = ["django.urls.path", "django.urls.re_path", "django.conf.urls.url"];

/** A view registration as the urls module writes it: the module (as imported there) and the function or class name. */
export interface ViewRegistration {
  module: string;
  name: string;
}

/** Whether a file's text may register Django views (cheap test before parsing). */
export function mayRegisterViews(text: string): boolean {
  return text.includes("django") && /\b(?:re_)?path\s*\(|\burl\s*\(/.test(text);
}

/** The views a (urls) module registers that live in other modules. */
export function viewRegistrations(model: PyModel): ViewRegistration[] {
  const out: ViewRegistration[] = [];
  for (const call of model.allCalls()) {
    const name = model.qualifiedName(model.callee(call));
    if (!name || !DJANGO_ROUTES.includes(name)) continue;
    const keyword = model.keywordArg(call, "view");
    let view = keyword ? field(keyword, "value") : model.positionalArgs(call)[1];
    if (!view) continue;
    // `V.as_view()` / `views.V.as_view()` registers the class V.
    if (view.type === "call" && model.methodName(view) === "as_view") view = model.receiver(view);
    if (!view) continue;
    if (view.type === "identifier") {
      const binding = model.imports.get(view.text);
      if (binding?.fromImport) out.push({ module: binding.module, name: binding.qualified.slice(binding.module.length + 1) });
    } else if (view.type === "attribute") {
      const object = field(view, "object");
      const binding = object?.type === "identifier" ? model.imports.get(object.text) : undefined;
      const attribute = field(view, "attribute")?.text;
      if (binding && attribute) out.push({ module: importedModulePath(binding), name: attribute });
    }
  }
  return out;
}

/** Registered views by the (absolute) file that defines them. */
export function viewIndex(
  files: readonly string[],
  registrationsOf: (file: string) => ViewRegistration[],
  resolve: (fromFile: string, module: string) => string | undefined,
): Map<string, string[]> {
  const byTarget = new Map<string, string[]>();
  for (const file of files) {
    for (const { module, name } of registrationsOf(file)) {
      const source = resolve(file, module);
      if (!source || path.resolve(source) === path.resolve(file)) continue;
      const target = path.resolve(source);
      const names = byTarget.get(target) ?? [];
      names.push(name);
      byTarget.set(target, names);
    }
  }
  return byTarget;
}
