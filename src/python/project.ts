/**
 * The project index for Python: the `.py` files of the project (the nearest directory upwards with
 * `pyproject.toml`, `setup.cfg`, `setup.py` or `.git`), each module's facts computed on demand from its own model
 * (without the index, so no recursion) and cached by file and modification time:
 * - which top-level functions do traced work (so a helper imported from another module counts);
 * - which functions other files register as LangGraph nodes (`builder.add_node("n", module.fn)`).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { PyModel } from "./model.js";
import { field, parsePython } from "./parse.js";
import { addNodeTargets, IMPORT_STATEMENTS, pythonCode } from "./precheck.js";
import type { PySettings } from "./settings.js";
import { LOWEST_SUPPORTED } from "./version.js";
import { mayRegisterViews, viewIndex, viewRegistrations, type ViewRegistration } from "./project-routes.js";
import { continuesTrace, routerEndpoints } from "./servers.js";

const SKIPPED_DIRS = new Set(["node_modules", ".git", ".venv", "venv", "env", ".env", "__pycache__", "site-packages", ".tox", ".nox", "build", "dist", ".mypy_cache", ".ruff_cache", ".pytest_cache"]);
const MAX_FILES = 5000;

interface ModuleFacts {
  mtimeMs: number;
  /** Top-level functions that do traced work. */
  tracedFunctions?: Set<string>;
}

/** A graph registration as the registering file writes it: the module (as imported there) and the function's name. */
interface RawRegistration {
  module: string;
  name: string;
}

/**
 * The registrations of each file that calls `add_node`, by file and modification time. They depend on the file
 * alone (the modules are resolved by each project), so projects share them.
 */
const registrationCache = new Map<string, { mtimeMs: number; registrations: RawRegistration[] }>();
/**
 * Names the file's imports bind (`from m import a, b as c` binds `a` and `c`; `import x.y` binds `x`), or undefined
 * when a wildcard import binds names the text does not show.
 */
function importedNames(text: string): Set<string> | undefined {
  const names = new Set<string>();
  for (const statement of text.match(IMPORT_STATEMENTS) ?? []) {
    const from = /^\s*from\s/.test(statement);
    const list = from ? statement.slice(statement.search(/\bimport\b/) + "import".length) : statement.replace(/^\s*import\s/, "");
    for (const part of list.replace(/[()\\]/g, " ").split(",")) {
      const words = part.trim().split(/\s+/);
      if (words[0] === "*") return undefined;
      const bound = words[1] === "as" ? words[2] : from ? words[0] : words[0]?.split(".")[0];
      if (bound) names.add(bound);
    }
  }
  return names;
}

/**
 * Whether a file's `add_node(...)` calls may register an imported function, which is what the model records: the
 * registered function (the second positional argument, or the only one) is an imported name or an attribute of one
 * (`fn`, `nodes.fn`), in the code (comments and docstrings left out). Otherwise the file is not parsed for
 * registrations.
 */
function mayRegisterImported(text: string): boolean {
  const names = importedNames(text);
  if (!names) return true;
  return addNodeTargets(pythonCode(text)).some((target) => {
    const root = /^([A-Za-z_]\w*)(?:\s*\.\s*[A-Za-z_]\w*)?$/.exec(target)?.[1];
    return root !== undefined && names.has(root);
  });
}

/** Whether each file mentions `add_node`, read once per run and shared by projects. */
const addNodeFiles = new Map<string, boolean>();

/**
 * Text that can make a function do traced work in a model without the project index: a tracing module, a graph
 * registration, a runnable method call, or one of the project's wrappers (checked separately). A module without
 * any of them has no traced functions, and is not parsed for its facts.
 */
const TRACED_WORK_HINT = /\b(?:langsmith|langchain\w*|langgraph)\b|add_node|\.\s*a?(?:invoke|batch|stream|stream_events|stream_log|batch_as_completed|transform)\s*\(/;

const projects = new Map<string, PythonProject>();

/**
 * Texts of project files the running command has already read (absolute file → text), used instead of reading them
 * again; set by `check` for the duration of one run (see {@link withKnownTexts}).
 */
let knownTexts: ReadonlyMap<string, string> | undefined;

/** Run `run` with `texts` (absolute file → the text just read from it) standing in for reading those files. */
export async function withKnownTexts<T>(texts: ReadonlyMap<string, string>, run: () => Promise<T>): Promise<T> {
  const previous = knownTexts;
  knownTexts = texts;
  try {
    return await run();
  } finally {
    knownTexts = previous;
  }
}

/** Project roots by directory (looked up once per directory and run). */
const roots = new Map<string, string>();

/** The nearest directory upwards from `dir` (itself included) with a project marker, or null; each directory looked at once per run. */
const markedDirs = new Map<string, string | null>();

function markedAncestor(dir: string): string | null {
  const known = markedDirs.get(dir);
  if (known !== undefined) return known;
  const parent = path.dirname(dir);
  const found = ["pyproject.toml", "setup.cfg", "setup.py", ".git"].some((marker) => existsSync(path.join(dir, marker))) ? dir : parent === dir ? null : markedAncestor(parent);
  markedDirs.set(dir, found);
  return found;
}

export function findProjectRoot(file: string): string {
  const start = path.dirname(path.resolve(file));
  const cached = roots.get(start);
  if (cached !== undefined) return cached;
  const root = markedAncestor(start) ?? start;
  roots.set(start, root);
  return root;
}

/** The (cached) project of a file. */
export function projectFor(file: string, settings: PySettings): PythonProject {
  const root = findProjectRoot(file);
  let project = projects.get(root);
  if (!project) projects.set(root, (project = new PythonProject(root, settings)));
  return project;
}

export function clearPythonProjects(): void {
  projects.clear();
  registrationCache.clear();
  addNodeFiles.clear();
  roots.clear();
  markedDirs.clear();
}

export class PythonProject {
  private files: string[] | undefined;
  private registering: string[] | undefined;
  private readonly facts = new Map<string, ModuleFacts>();
  /** Absolute module names resolved against the (cached) file list. */
  private readonly modules = new Map<string, string | undefined>();

  constructor(
    readonly root: string,
    private readonly settings: PySettings,
  ) {}

  /** The project's `.py` files (absolute), listed once. */
  pythonFiles(): string[] {
    if (this.files) return this.files;
    const out: string[] = [];
    const visit = (dir: string) => {
      if (out.length >= MAX_FILES) return;
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) visit(path.join(dir, entry.name));
        } else if (entry.isFile() && entry.name.endsWith(".py")) out.push(path.join(dir, entry.name));
      }
    };
    visit(this.root);
    this.files = out.sort();
    return this.files;
  }

  /** The file a module name refers to from `fromFile` (`.nodes`, `app.nodes`), if it is in the project. */
  resolveModule(fromFile: string, module: string): string | undefined {
    const relative = /^(\.+)(.*)$/.exec(module);
    if (relative) {
      let dir = path.dirname(path.resolve(fromFile));
      for (let i = 1; i < relative[1].length; i++) dir = path.dirname(dir);
      const parts = relative[2] ? relative[2].split(".") : [];
      const base = path.join(dir, ...parts);
      for (const candidate of [`${base}.py`, path.join(base, "__init__.py")]) if (existsSync(candidate)) return candidate;
      return undefined;
    }
    if (this.modules.has(module)) return this.modules.get(module);
    const suffix = module.split(".").join(path.sep);
    const matches = this.pythonFiles().filter((file) => file.endsWith(`${path.sep}${suffix}.py`) || file.endsWith(`${path.sep}${suffix}${path.sep}__init__.py`));
    const found = matches.sort((a, b) => a.length - b.length)[0];
    this.modules.set(module, found);
    return found;
  }

  /** The cached facts of a file, reset when its modification time changed; undefined when it cannot be read. */
  private entry(file: string): ModuleFacts | undefined {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    const cached = this.facts.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached;
    const fresh: ModuleFacts = { mtimeMs };
    this.facts.set(file, fresh);
    return fresh;
  }

  /** The file's model without the project index (no recursion), or undefined when it cannot be read or parsed. */
  private modelOf(file: string, text: string): PyModel | undefined {
    try {
      return new PyModel(parsePython(text, file), text, file, { version: LOWEST_SUPPORTED, source: "", major: 3, minor: 9 }, this.settings);
    } catch {
      return undefined;
    }
  }

  private read(file: string): string | undefined {
    const known = knownTexts?.get(file);
    if (known !== undefined) return known;
    try {
      return readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  }

  /** Top-level functions of `file` that do traced work (computed once per modification time). */
  private tracedFunctionsOf(file: string): Set<string> {
    const facts = this.entry(file);
    if (!facts) return new Set();
    if (facts.tracedFunctions) return facts.tracedFunctions;
    const tracedFunctions = new Set<string>();
    facts.tracedFunctions = tracedFunctions;
    const text = this.read(file);
    if (text === undefined || (!TRACED_WORK_HINT.test(text) && !this.settings.traceableWrappers.some((name) => text.includes(name)))) return tracedFunctions;
    const model = this.modelOf(file, text);
    if (!model) return tracedFunctions;
    for (const fn of model.functions) {
      if (!model.enclosingFunction(fn.node) && model.functionDoesTracedWork(fn)) tracedFunctions.add(fn.name);
    }
    return tracedFunctions;
  }

  /** The graph registrations `file` writes (shared by projects, computed once per modification time). */
  private registrationsOf(file: string): RawRegistration[] {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return [];
    }
    const cached = registrationCache.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.registrations;
    const registrations: RawRegistration[] = [];
    registrationCache.set(file, { mtimeMs, registrations });
    const text = this.read(file);
    const model = text === undefined || !mayRegisterImported(text) ? undefined : this.modelOf(file, text);
    if (!model) return registrations;
    for (const call of model.allCalls()) {
      if (model.methodName(call) !== "add_node") continue;
      const args = model.positionalArgs(call);
      const target = args.length >= 2 ? args[1] : args[0];
      if (!target) continue;
      if (target.type === "identifier") {
        const binding = model.imports.get(target.text);
        if (binding?.fromImport) registrations.push({ module: binding.module, name: binding.qualified.slice(binding.module.length + 1) });
      } else if (target.type === "attribute") {
        const object = field(target, "object");
        const binding = object?.type === "identifier" ? model.imports.get(object.text) : undefined;
        if (binding) registrations.push({ module: binding.qualified, name: field(target, "attribute")?.text ?? "" });
      }
    }
    return registrations;
  }

  /** Whether `from module import name` in `fromFile` imports a function that does traced work. */
  importedDoesTracedWork(fromFile: string, module: string, name: string): boolean {
    const source = this.resolveModule(fromFile, module);
    if (!source || path.resolve(source) === path.resolve(fromFile)) return false;
    return this.tracedFunctionsOf(source).has(name);
  }

  /** Whether `module.attr` (through `import module`) is a function of a project module that does traced work. */
  moduleAttributeDoesTracedWork(fromFile: string, qualified: string): boolean {
    const dot = qualified.lastIndexOf(".");
    if (dot < 0) return false;
    return this.importedDoesTracedWork(fromFile, qualified.slice(0, dot), qualified.slice(dot + 1));
  }

  /** Names of `file`'s top-level functions that other project files register as graph nodes. */
  registeredNodes(file: string): string[] {
    return this.registrationIndex().get(path.resolve(file)) ?? [];
  }

  private viewFiles: string[] | undefined;
  private views: { stamp: string; checkedAt: number; byTarget: Map<string, string[]> } | undefined;
  private readonly viewRegistrationCache = new Map<string, { mtimeMs: number; registrations: ViewRegistration[] }>();

  /**
   * Names of `file`'s top-level functions and classes that other modules of the project register as Django views
   * (`path()`/`re_path()`), rebuilt when a registering file changed (looked at most once per second).
   */
  djangoViews(file: string): string[] {
    this.viewFiles ??= this.pythonFiles().filter((other) => {
      const text = this.read(other);
      return text !== undefined && mayRegisterViews(text);
    });
    const now = Date.now();
    if (!this.views || now - this.views.checkedAt >= 1000) {
      const mtimes = this.viewFiles.map((other) => {
        try {
          return statSync(other).mtimeMs;
        } catch {
          return -1;
        }
      });
      const stamp = mtimes.join(",");
      if (this.views?.stamp === stamp) this.views.checkedAt = now;
      else {
        const registrationsOf = (other: string): ViewRegistration[] => {
          const mtimeMs = mtimes[this.viewFiles!.indexOf(other)];
          const cached = this.viewRegistrationCache.get(other);
          if (cached && cached.mtimeMs === mtimeMs) return cached.registrations;
          const text = this.read(other);
          const model = text === undefined ? undefined : this.modelOf(other, text);
          const registrations = model ? viewRegistrations(model) : [];
          this.viewRegistrationCache.set(other, { mtimeMs, registrations });
          return registrations;
        };
        this.views = { stamp, checkedAt: now, byTarget: viewIndex(this.viewFiles, registrationsOf, (from, module) => this.resolveModule(from, module)) };
      }
    }
    return this.views.byTarget.get(path.resolve(file)) ?? [];
  }

  /**
   * Whether `from module import name` in `fromFile` imports a FastAPI router (defined in that module) with an
   * endpoint that does traced work without continuing the caller's trace by hand.
   */
  importedRouterStartsTrace(fromFile: string, module: string, name: string): boolean {
    const source = this.resolveModule(fromFile, module);
    if (!source || path.resolve(source) === path.resolve(fromFile)) return false;
    const text = this.read(source);
    if (text === undefined) return false;
    let model: PyModel;
    try {
      // With the project index, so that its handlers' helpers imported from other modules count.
      model = new PyModel(parsePython(text, source), text, source, { version: LOWEST_SUPPORTED, source: "", major: 3, minor: 9 }, this.settings, this);
    } catch {
      return false;
    }
    return routerEndpoints(model, name).some((endpoint) => {
      if (endpoint.fn) return model.functionDoesTracedWork(endpoint.fn) && !continuesTrace(endpoint.fn.body.text);
      return endpoint.imported !== undefined && source !== fromFile && this.importedEndpointStartsTrace(source, endpoint.imported.module, endpoint.imported.name);
    });
  }

  /**
   * Whether `from module import name` in `fromFile` imports a server endpoint that does traced work without
   * continuing the caller's trace by hand (`tracing_context(parent=...)`).
   */
  importedEndpointStartsTrace(fromFile: string, module: string, name: string): boolean {
    if (!this.importedDoesTracedWork(fromFile, module, name)) return false;
    const source = this.resolveModule(fromFile, module);
    const text = source === undefined ? undefined : this.read(source);
    const model = text === undefined ? undefined : this.modelOf(source!, text);
    const fn = model?.functions.find((f) => f.name === name && !model.enclosingFunction(f.node));
    return fn !== undefined && !continuesTrace(fn.body.text);
  }

  private index: { stamp: string; checkedAt: number; byTarget: Map<string, string[]> } | undefined;

  /**
   * Registered functions by the file that defines them, built from every file of the project that mentions
   * `add_node` (found once per project) and rebuilt when one of them changed.
   */
  private registrationIndex(): Map<string, string[]> {
    this.registering ??= this.pythonFiles().filter((other) => {
      let mentions = addNodeFiles.get(other);
      if (mentions === undefined) addNodeFiles.set(other, (mentions = this.read(other)?.includes("add_node") ?? false));
      return mentions;
    });
    // The registering files' modification times, looked at most once per second (a run asks for every file).
    const now = Date.now();
    if (this.index && now - this.index.checkedAt < 1000) return this.index.byTarget;
    const stamp = this.registering
      .map((other) => {
        try {
          return statSync(other).mtimeMs;
        } catch {
          return -1;
        }
      })
      .join(",");
    if (this.index?.stamp === stamp) {
      this.index.checkedAt = now;
      return this.index.byTarget;
    }
    const byTarget = new Map<string, string[]>();
    for (const other of this.registering) {
      for (const { module, name } of this.registrationsOf(other)) {
        const source = this.resolveModule(other, module);
        if (!source || path.resolve(source) === path.resolve(other)) continue;
        const target = path.resolve(source);
        const names = byTarget.get(target) ?? [];
        names.push(name);
        byTarget.set(target, names);
      }
    }
    this.index = { stamp, checkedAt: now, byTarget };
    return byTarget;
  }
}
