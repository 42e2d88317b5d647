/**
 * The project index: what the project's other modules export and register, and which programs a file belongs to.
 * Shared by the ESLint rules, `check`, `fix`, the codemods and the editor.
 *
 * - Modules resolve as TypeScript resolves them (`./resolve.ts`).
 * - Each module's summary (its model, built from the file on disk) is cached per process and re-validated by the
 *   file's modification time and size when it is used more than {@link STAT_TTL_MS} after the last look, so a
 *   long-running editor server sees edits; the list of project files and the resolutions are refreshed after
 *   {@link LISTING_TTL_MS}.
 * - Exports: whether an exported value is a traceable, a runnable, a function that does traced work.
 * - Registrations: functions exported here and registered elsewhere as graph nodes, tasks, entrypoints or runnables,
 *   also through barrels that re-export them, and parts of exports (a member or each value of an exported object, what
 *   an exported factory returns).
 *   Only the files that import this one (by the import graph, refreshed with the listing) are asked, each
 *   re-validated on disk; a file that starts importing and registering it is seen when the listing is refreshed,
 *   like a new file. (Asking every project file, each re-validated by a `stat`, made every query cost a pass over
 *   the whole project: quadratic in the number of files.)
 * - Programs: whether the program entries that reach this file load a module that sets AsyncLocalStorage up.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { globSync } from "tinyglobby";
import { CHILD_RUN_CALL, REGISTRATION_CALL_PATTERN } from "../apis.js";
import type { ResolvedSettings } from "../settings.js";
import type { RuntimeInfo } from "../model/runtime.js";
import type { ExternalRegistration, RegisteredPart } from "../model/scopes.js";
import { sameExportName, type ExportFacts, type InjectedArgument } from "../model/values.js";
import type { FunctionSummary } from "../model/summaries.js";
import { clearResolutionCache, mayNameProjectModule, resolveProjectModule } from "./resolve.js";
import { alsEffect, alsVerdict, buildImporters, programRoots, SPECIFIER_PATTERN, type ProgramEffect, type ProgramRoot } from "./programs.js";

/**
 * How long a project's file listing (and the import graph checked against it) is trusted before it is listed again:
 * an editor sees a new file, or an edit to another file's imports, after at most this long; a batch run over a large
 * project lists it a few times a minute rather than for every file.
 */
export const LISTING_TTL_MS = 10_000;
/** How long the directory that roots a project (its nearest package.json) is trusted, per directory. */
const ROOT_TTL_MS = 30_000;
/**
 * How long a file's cached text is trusted before its modification time and size are looked at again: a batch run
 * asks about the same module hundreds of times (28,000 `stat` calls for 4,500 files on the bench's library corpus),
 * an editor sees another file's saved edit after at most this long.
 */
export const STAT_TTL_MS = 1_000;
const MAX_NESTING = 3;
const IGNORED = ["**/node_modules/**", "**/dist/**", "**/build/**", "**/out/**", "**/coverage/**", "**/.next/**", "**/.git/**", "**/.scratch/**"];
const SOURCE_GLOB = "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}";
const REGISTRATION_HINT = new RegExp(`${REGISTRATION_CALL_PATTERN.source}|\\btraceable\\s*\\(\\s*[A-Za-z_$][\\w$]*\\s*[,)]`);
/** A helper module that registers what it is given calls a registration API (not merely names one). */
const REGISTRATION_CALL = REGISTRATION_CALL_PATTERN;

export interface ProjectFacts {
  /** What `module` (as written in this file) exports under `name`. */
  importFacts(module: string, name: string): ExportFacts | undefined;
  /** The library API the project module `module` (as written in this file) re-exports under `name`. */
  libraryReexport(module: string, name: string): { module: string; name: string } | undefined;
  /** This file's exports registered as traced scopes in other files. */
  registrations(): ExternalRegistration[];
  /** The runtime of the programs this file belongs to, when the project shows it. */
  programRuntime(): RuntimeInfo | undefined;
  /** Calls of this file's exports made inside traced scopes in the files importing it (`config`: the scope has one). */
  scopeCallers(): ScopeCaller[];
  /**
   * Whether the files importing this one call its export `exportName` one call at a time (each awaited in turn, in the
   * script's own flow): false when no file imports it, or any may overlap its calls.
   */
  exportRunsAlone(exportName: string): boolean;
  /** What the files importing this one pass at `index` to `new` of the class this file exports as `exportName`. */
  constructorArguments(exportName: string, index: number): InjectedArgument[];
  /**
   * What the files importing this one pass at `index` to calls of the function or method this file exports as
   * `exportName` (`createClient`, `rpc.call`): a traceable, a function that starts child runs, a queue.
   */
  callArguments(exportName: string, index: number): InjectedArgument[];
  /**
   * The keys the files importing this one write at `index` of their calls (`call`) or `new` of `exportName`, when
   * every such call passes nothing there or an object literal of plain keys (`passed`: some call passes one).
   */
  argumentKeys(exportName: string, index: number, call: boolean): { keys: string[]; passed: boolean } | undefined;
  /** Whether the project module `module` (as written in this file) may register functions it is given (text only). */
  importMayRegister(module: string): boolean;
  /**
   * Whether the project module `module` (as written here) may hand data it is given to a worker queue or a channel: its
   * text, or that of a module it imports (a text check).
   */
  importMayQueueData(module: string): boolean;
  /**
   * Whether the project module `module` (as written here) may make tasks that start traced runs: its text starts child
   * runs or binds functions, or a module it imports (two deep) starts child runs (a text check).
   */
  importMayMakeTracedTasks(module: string): boolean;
  /** What the function `module` exports under `name` does with its parameters (`model/summaries.ts`). */
  importSummary(module: string, name: string): FunctionSummary | undefined;
  /**
   * Whether another file of the program `entry` loads (itself first, at most 200) starts a child run that finds its
   * parent only through AsyncLocalStorage: without it, the program splits somewhere. This file is left out: its
   * caller judges the text it holds, which may be newer than the disk's.
   */
  programStartsImplicitChild(entry: string): boolean;
}

/** A call of an exported function, made inside a traced scope of another file. */
export interface ScopeCaller {
  exportName: string;
  /** The calling file. */
  file: string;
  /** The scope's label (`graph node "respond"`). */
  label: string;
  /** The scope has a config to hand over (a runnable, a graph node: not a plain traceable). */
  config: boolean;
  /** The arguments every such call makes afresh during the scope (`AbortSignal.timeout(ms)`, `new EventEmitter()`). */
  fresh?: number[];
  /** The arguments every such call passes as an object carrying the run tree's headers (`{ job, traceHeaders: rt.toHeaders() }`). */
  headers?: number[];
  /** Every such call is waited for by a scope whose traces run one at a time (see sequential.ts). */
  alone?: boolean;
  /**
   * How many of these calls the calling file may have in flight at once: the calls each trace makes together (one, or
   * one per element of an array literal) times the traces its script runs at once (`tracesAtOnce`); `"many"` when a
   * trace makes one per element of a collection of unknown length. Absent when the file does not say.
   */
  atOnce?: number | "many";
}

/** A `new` of a class imported from `module` as `name`: what each argument may be (its kinds, where a queue is made). */
export interface ImportedConstruction {
  module: string;
  /** The export (`Service`), or an exported object's or instance's member (`rpc.call`) for a call. */
  name: string;
  args: InjectedArgument[][];
  /**
   * Per argument: the keys of an object literal written there (`{ retries: 2 }`: `["retries"]`), or null for anything
   * else. Past the last argument, the call passes nothing.
   */
  keys?: (readonly string[] | null)[];
  /** A call of an exported function or method rather than a `new` of an exported class. */
  call?: true;
}

/** A call, inside a traced scope, of a function imported from `module` as `name`. */
export interface ImportedScopeCall {
  module: string;
  name: string;
  label: string;
  /** The scope has a config to hand over. */
  config: boolean;
  /** The arguments every such call makes afresh during the scope. */
  fresh?: number[];
  /** The arguments every such call passes as an object carrying the run tree's headers. */
  headers?: number[];
  /** The scope's traces run one at a time in that file's script, each waiting for this call (sequential.ts). */
  alone?: boolean;
  /** How many such calls may be in flight at once: per trace, times the traces the script runs at once (see `ScopeCaller`). */
  atOnce?: number | "many";
}

interface FileEntry {
  /** When the file on disk was last seen to match this entry ({@link STAT_TTL_MS}). */
  checkedAt: number;
  mtimeMs: number;
  size: number;
  text: string;
  specifiers?: string[];
  exports?: Map<string, ExportFacts | null>;
  registrations?: { module: string; name: string; kind: ExternalRegistration["kind"]; label: string; configParamIndex?: number; part?: ExternalRegistration["part"]; key?: string }[];
  scopeCalls?: ImportedScopeCall[];
  constructions?: ImportedConstruction[];
  importedCalls?: ImportedConstruction[];
  model?: unknown;
  /** Its re-export statements (read when a registration may pass through it as a barrel). */
  reexports?: ReexportStatements;
  /** Whether the text matches {@link REGISTRATION_HINT} / {@link REGISTRATION_CALL} (memo). */
  registrationHint?: boolean;
  /** Whether the text matches {@link DATA_QUEUE_HINT} (memo). */
  dataQueueHint?: boolean;
  registrationCall?: boolean;
  /** Whether the text matches {@link CHILD_RUN_HINT} (memo). */
  childRunHint?: boolean;
  /** Whether the text matches {@link REEXPORT_HINT} (memo). */
  reexportHint?: boolean;
  /** Function summaries of the file's exports, by name (null: not a function, or being computed). */
  summaries?: Map<string, FunctionSummary | null>;
}

/** Builds a model for a file on disk (set by the model module, which owns parsing; avoids an import cycle). */
export interface ModelHooks {
  /**
   * `memo` lives as long as the file's cache entry (until the file changes on disk): the hook keeps the file's model
   * there, so that a module asked about several of its exports is parsed once, not once per name.
   */
  exportFacts(file: string, text: string, name: string, settings: ResolvedSettings, memo: { model?: unknown }): ExportFacts | undefined;
  importedRegistrations(file: string, text: string, settings: ResolvedSettings): FileEntry["registrations"];
  /** Calls of imported functions inside the file's traced scopes (with the project's registrations of its own). */
  importedScopeCalls(file: string, text: string, settings: ResolvedSettings, cwd: string): ImportedScopeCall[];
  /** The `new` expressions of imported project classes the file makes, with what their arguments may be. */
  importedConstructions?(file: string, text: string, settings: ResolvedSettings, calls: boolean): ImportedConstruction[];
  /**
   * Whether the file's calls of `names` imported from `target` run one at a time (see sequential.ts `callsRunAlone`);
   * undefined when the file imports none of them.
   */
  importerRunsAlone?(file: string, text: string, settings: ResolvedSettings, target: string, names: string[]): boolean | undefined;
  /** The summary of the function exported under `name` (`memo` as for {@link exportFacts}). */
  exportSummary?(file: string, text: string, name: string, settings: ResolvedSettings, memo: { model?: unknown }): FunctionSummary | undefined;
}

/**
 * Whether a file on disk starts a child run that finds its parent only through AsyncLocalStorage. What counts is
 * pass-runnable-config's to say (its findings in portability mode): the detectors set this when they load, as the
 * model module sets {@link ModelHooks}.
 */
export type ImplicitChildQuestion = (file: string, text: string, settings: ResolvedSettings) => boolean;
let implicitChildQuestion: ImplicitChildQuestion | undefined;
export function setImplicitChildQuestion(value: ImplicitChildQuestion): void {
  implicitChildQuestion = value;
}

let hooks: ModelHooks | undefined;
export function setModelHooks(value: ModelHooks): void {
  hooks = value;
}

const files = new Map<string, FileEntry>();
const listings = new Map<string, { at: number; files: string[] }>();
interface ImportGraph {
  files: string[];
  builtAt: number;
  importers: Map<string, string[]>;
  verdicts: Map<string, RuntimeInfo | null>;
  /** Per file: whether it is a program entry (memo for {@link programRoots}). */
  entries: Map<string, boolean>;
  /** Per program: what loading it does to AsyncLocalStorage (memo for {@link alsVerdict}). */
  effects: Map<string, ProgramEffect>;
  /** The cache entries of `files` the graph was built from: when none has changed on disk, the graph still holds. */
  snapshot: (FileEntry | undefined)[];
  /** Facts computed over the whole project ({@link projectMemo}), kept as long as the graph holds. */
  memos: Map<string, unknown>;
  /** Per file: the barrels its exports can be imported through ({@link exportViews}). */
  views: Map<string, ExportView[]>;
  /**
   * Per settings and file: whether it starts a child run that finds its parent only through AsyncLocalStorage. Kept
   * with the graph, not the file, since the answer also depends on other files (a node registered elsewhere).
   */
  implicitChild?: WeakMap<ResolvedSettings, Map<string, boolean>>;
}
const graphs = new Map<string, ImportGraph>();
let nesting = 0;

function entry(file: string): FileEntry | undefined {
  const now = Date.now();
  const known = files.get(file);
  if (known && now - known.checkedAt < STAT_TTL_MS && now >= known.checkedAt) return known;
  let stat;
  try {
    stat = statSync(file, { throwIfNoEntry: false });
  } catch {
    stat = undefined; // not a readable path
  }
  if (!stat) {
    files.delete(file);
    return undefined;
  }
  if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) {
    known.checkedAt = now;
    return known;
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const fresh: FileEntry = { checkedAt: now, mtimeMs: stat.mtimeMs, size: stat.size, text };
  files.set(file, fresh);
  return fresh;
}

/** {@link projectRoot} per directory, for {@link ROOT_TTL_MS} (a package.json may come or go, like a file). */
const roots = new Map<string, { at: number; root: string }>();

/**
 * The directory the project's files are listed from: the nearest one with a package.json, else `cwd` when the file
 * lies inside it, else the file's own directory (never a whole tree the file merely sits somewhere below).
 */
export function projectRoot(file: string, cwd: string): string {
  const start = path.dirname(file);
  const key = `${start}\0${cwd}`;
  const cached = roots.get(key);
  if (cached && Date.now() - cached.at < ROOT_TTL_MS) return cached.root;
  const root = findProjectRoot(file, cwd);
  roots.set(key, { at: Date.now(), root });
  return root;
}

/** Whether a directory holds a package.json, per directory for {@link ROOT_TTL_MS} (sibling directories share ancestors). */
const packageDirs = new Map<string, { at: number; has: boolean }>();
function hasPackageJson(dir: string): boolean {
  const cached = packageDirs.get(dir);
  if (cached && Date.now() - cached.at < ROOT_TTL_MS) return cached.has;
  let has: boolean;
  try {
    has = statSync(path.join(dir, "package.json"), { throwIfNoEntry: false }) !== undefined;
  } catch {
    has = false;
  }
  packageDirs.set(dir, { at: Date.now(), has });
  return has;
}

function findProjectRoot(file: string, cwd: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (hasPackageJson(dir)) return dir;
    const up = path.dirname(dir);
    if (up === dir) {
      const relative = path.relative(cwd, file);
      const inside = relative && !relative.startsWith("..") && !path.isAbsolute(relative);
      // A filesystem root as cwd (ESLint's RuleTester uses one for absolute paths) is no project.
      return inside && path.parse(cwd).root !== path.resolve(cwd) ? cwd : path.dirname(file);
    }
  }
}

/** The project's source files under `root` (cached for {@link LISTING_TTL_MS}). */
export function projectFiles(root: string): string[] {
  const cached = listings.get(root);
  if (cached && Date.now() - cached.at < LISTING_TTL_MS) return cached.files;
  const list = globSync(SOURCE_GLOB, { cwd: root, absolute: true, ignore: IGNORED, dot: false }).map((f) => path.resolve(f)).filter((f) => !/\.d\.[cm]?ts$/.test(f));
  list.sort();
  if (cached && (cached.files.length !== list.length || cached.files.some((f, i) => f !== list[i]))) clearResolutionCache(); // files came or went
  if (cached && cached.files.length === list.length && cached.files.every((f, i) => f === list[i])) {
    cached.at = Date.now();
    return cached.files;
  }
  listings.set(root, { at: Date.now(), files: list });
  return list;
}

/** The module specifiers a file loads, by a cheap text scan. */
export function specifiersOf(file: string): string[] {
  return specifiersOfEntry(entry(file));
}

/** {@link specifiersOf} from the cache when the file is there (for walks over a graph validated moments ago). */
function cachedSpecifiersOf(file: string): string[] {
  return specifiersOfEntry(files.get(file) ?? entry(file));
}

/** A tracing package's specifier is not resolved on the filesystem (it is never a project module), others are. */
function resolveIfProjectModule(specifier: string, from: string): string | undefined {
  if (alsEffect(specifier) !== "unrelated" && !mayNameProjectModule(specifier, from)) return undefined;
  return resolveProjectModule(specifier, from);
}

function specifiersOfEntry(e: FileEntry | undefined): string[] {
  if (!e) return [];
  if (!e.specifiers) {
    const out: string[] = [];
    SPECIFIER_PATTERN.lastIndex = 0;
    for (const match of e.text.matchAll(SPECIFIER_PATTERN)) out.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
    e.specifiers = out;
  }
  return e.specifiers;
}


export function projectFacts(filename: string, cwd: string, settings: ResolvedSettings): ProjectFacts | undefined {
  if (!hooks) return undefined;
  const file = path.resolve(cwd, filename);
  /** The calls of the export `exportName` (or, not `call`: its `new`) that the files importing this one make. */
  const importerCalls = (exportName: string, call: boolean): ImportedConstruction[] => {
    const graph = importGraph(projectRoot(file, cwd));
    const out: ImportedConstruction[] = [];
    for (const view of exportViews(file, graph)) {
      for (const other of new Set(graph.importers.get(view.file))) {
        if (other === file) continue;
        for (const construction of constructionsIn(other, settings, call)) {
          const dot = call ? construction.name.indexOf(".") : -1;
          const head = dot > 0 ? construction.name.slice(0, dot) : construction.name;
          const tail = dot > 0 ? construction.name.slice(dot) : "";
          if (!view.original(head).some((o) => sameExportName(o.name + tail, exportName) && !o.part)) continue;
          if (resolveProjectModule(construction.module, other) === view.file) out.push(construction);
        }
      }
    }
    return out;
  };
  /** What the files importing this one pass at `index` to `new` of the export `exportName` (or, `call`: to calls of it). */
  const injectedArguments = (exportName: string, index: number, call: boolean): InjectedArgument[] => {
    const out: InjectedArgument[] = [];
    const seen = new Set<string>();
    for (const construction of importerCalls(exportName, call)) {
      for (const arg of construction.args[index] ?? []) {
        const key = JSON.stringify(arg);
        if (!seen.has(key)) {
          seen.add(key);
          out.push(arg);
        }
      }
    }
    return out;
  };
  /**
   * The keys the files importing this one write at `index` of their calls (or `new`) of `exportName`: undefined when
   * no such call is seen or one passes there anything but an object literal of plain keys; `passed: false` when no
   * call passes an argument there.
   */
  const argumentKeys = (exportName: string, index: number, call: boolean): { keys: string[]; passed: boolean } | undefined => {
    const calls = importerCalls(exportName, call);
    const keys = new Set<string>();
    let passed = false;
    for (const { keys: shapes } of calls) {
      if (!shapes) return undefined;
      if (index >= shapes.length) continue;
      const shape = shapes[index];
      if (shape === null) return undefined;
      passed = true;
      for (const key of shape) keys.add(key);
    }
    return calls.length > 0 ? { keys: [...keys], passed } : undefined;
  };
  return {
    argumentKeys,
    libraryReexport(module, name) {
      return libraryReexportOf(module, file, name);
    },
    importFacts(module, name) {
      if (nesting >= MAX_NESTING) return undefined;
      const target = resolveProjectModule(module, file);
      if (!target || target === file) return undefined;
      return exportFactsOf(target, name, settings);
    },
    registrations() {
      const root = projectRoot(file, cwd);
      const graph = importGraph(root);
      const out: ExternalRegistration[] = [];
      // Only a file that imports this one (or a barrel re-exporting it) can register its exports (the registration
      // names the module it imported them from); each is re-validated on disk here, so an edit that drops a
      // registration is seen at once.
      for (const view of exportViews(file, graph)) {
        for (const other of new Set(graph.importers.get(view.file))) {
          if (other === file) continue;
          for (const registration of registrationsIn(other, settings) ?? []) {
            const originals = view.original(registration.name, registration.part, registration.key);
            if (originals.length === 0 || resolveProjectModule(registration.module, other) !== view.file) continue;
            for (const original of originals) {
              const label = original.label !== undefined && registration.kind === "graph-node" ? `graph node "${original.label}"` : registration.label;
              out.push({ exportName: original.name, kind: registration.kind, label, configParamIndex: registration.configParamIndex, file: other, part: original.part, key: original.key });
            }
          }
        }
      }
      return out;
    },
    scopeCallers() {
      const root = projectRoot(file, cwd);
      const graph = importGraph(root);
      const out: ScopeCaller[] = [];
      for (const view of exportViews(file, graph)) {
        for (const other of new Set(graph.importers.get(view.file))) {
          if (other === file) continue;
          for (const call of scopeCallsIn(other, settings, root)) {
            const originals = view.original(call.name);
            if (originals.length === 0 || resolveProjectModule(call.module, other) !== view.file) continue;
            for (const { name, part } of originals) if (!part) out.push({ exportName: name, file: other, label: call.label, config: call.config, ...(call.fresh ? { fresh: call.fresh } : {}), ...(call.headers ? { headers: call.headers } : {}), ...(call.alone ? { alone: true } : {}), ...(call.atOnce !== undefined ? { atOnce: call.atOnce } : {}) });
          }
        }
      }
      return out;
    },
    exportRunsAlone(exportName) {
      if (!hooks?.importerRunsAlone) return false;
      const root = projectRoot(file, cwd);
      const graph = importGraph(root);
      let seen = 0;
      for (const view of exportViews(file, graph)) {
        for (const other of new Set(graph.importers.get(view.file))) {
          if (other === file) continue;
          const e = entry(other);
          if (!e) return false;
          // The names the importer may use for the export (through a barrel: as that barrel re-exports it).
          const names = [exportName];
          const answer = hooks.importerRunsAlone(other, e.text, settings, view.file, names);
          if (answer === false) return false;
          if (answer === true) seen++;
        }
      }
      return seen > 0;
    },
    constructorArguments(exportName, index) {
      return injectedArguments(exportName, index, false);
    },
    callArguments(exportName, index) {
      return injectedArguments(exportName, index, true);
    },
    importMayRegister(module) {
      const target = resolveProjectModule(module, file);
      const e = target && target !== file ? entry(target) : undefined;
      return !!e && mayRegister(target!, e, 1);
    },
    importMayMakeTracedTasks(module) {
      const target = resolveProjectModule(module, file);
      const e = target && target !== file ? entry(target) : undefined;
      return !!e && ((e.childRunHint ??= CHILD_RUN_HINT.test(e.text)) || BIND_CALL.test(e.text) || importsChildRunModule(target!));
    },
    importMayQueueData(module) {
      const target = resolveProjectModule(module, file);
      const e = target && target !== file ? entry(target) : undefined;
      return !!e && mayQueueData(target!, e, 1);
    },
    importSummary(module, name) {
      if (nesting >= MAX_NESTING) return undefined;
      const target = resolveProjectModule(module, file);
      if (!target || target === file) return undefined;
      return exportSummaryOf(target, name, settings);
    },
    programStartsImplicitChild(entryFile) {
      if (!implicitChildQuestion) return false;
      const graph = importGraph(projectRoot(file, cwd));
      const perSettings = (graph.implicitChild ??= new WeakMap());
      let known = perSettings.get(settings);
      if (!known) perSettings.set(settings, (known = new Map()));
      for (const { file: other, text } of programFiles(path.resolve(cwd, entryFile))) {
        if (other === file) continue;
        let answer = known.get(other);
        if (answer === undefined) {
          try {
            answer = implicitChildQuestion(other, text, settings);
          } catch {
            answer = true; // a module we cannot read: keep the program's verdict
          }
          known.set(other, answer);
        }
        if (answer) return true;
      }
      return false;
    },
    programRuntime() {
      const root = projectRoot(file, cwd);
      const graph = importGraph(root);
      const cached = graph.verdicts.get(file);
      if (cached !== undefined) return cached ?? undefined;
      // The graph was validated on disk within the listing's lifetime: its files' texts are read from the cache, not
      // stat-ed again on every step of every program walk; and a tracing package's specifier goes straight to its
      // AsyncLocalStorage effect, without a filesystem resolution.
      const textOf = (f: string) => (files.get(f) ?? entry(f))?.text ?? "";
      const programs: ProgramRoot[] = programRoots(file, graph.importers, textOf, graph.entries);
      const verdict = alsVerdict(file, programs, root, cachedSpecifiersOf, resolveIfProjectModule, graph.effects);
      graph.verdicts.set(file, verdict ?? null);
      return verdict;
    },
  };
}

/**
 * The project's import graph, re-validated when the file listing is refreshed and rebuilt only when a file came,
 * went or changed on disk (each file's imports are re-read only when it changed).
 */
function importGraph(root: string): ImportGraph {
  const list = projectFiles(root);
  const cached = graphs.get(root);
  if (cached && cached.files === list) {
    if (Date.now() - cached.builtAt < LISTING_TTL_MS) return cached;
    // The same files: re-validate each on disk, and rebuild (and forget the verdicts) only when one has changed.
    if (list.every((f, i) => entry(f) === cached.snapshot[i])) {
      cached.builtAt = Date.now();
      return cached;
    }
  }
  const graph: ImportGraph = {
    files: list,
    builtAt: Date.now(),
    importers: buildImporters(list, specifiersOf, resolveProjectModule, mayNameProjectModule),
    verdicts: new Map(),
    entries: new Map(),
    effects: new Map(),
    snapshot: list.map((f) => files.get(f)),
    memos: new Map(),
    views: new Map(),
  };
  graphs.set(root, graph);
  return graph;
}

/**
 * The modules through which `file`'s exports can be imported: the file itself, and the barrels that re-export it
 * (`export * from "./retrieve"`, `export { retrieve as fetchDocs } from "./retrieve"`, an import exported again, or
 * an import put in an exported object literal: `export const NODES = { retrieve, answer }`), up to
 * {@link MAX_REEXPORT_DEPTH} barrels deep. `original` maps a name the view exports (and the part of it registered)
 * to the names `file` exports (empty: the view does not export it from `file`).
 */
function exportViews(file: string, graph: ImportGraph): ExportView[] {
  const cached = graph.views.get(file);
  if (cached) return cached;
  const views: ExportView[] = [{ file, original: (name, part, key) => [{ name, part, key }], depth: 0 }];
  graph.views.set(file, views);
  const seen = new Set([file]);
  for (let i = 0; i < views.length && i < 32; i++) {
    const view = views[i];
    if (view.depth >= MAX_REEXPORT_DEPTH) continue;
    for (const barrel of new Set(graph.importers.get(view.file))) {
      if (seen.has(barrel)) continue;
      const e = files.get(barrel) ?? entry(barrel);
      if (!e || !(e.reexportHint ??= REEXPORT_HINT.test(e.text))) continue;
      const reexports = reexportsOf(e, barrel, view.file);
      if (!reexports) continue;
      seen.add(barrel);
      const original = (name: string, part?: RegisteredPart, key?: string): OriginalName[] => {
        // Each export of a namespace (`Object.entries(nodes)` over `import * as nodes`): whatever the barrel re-exports.
        if (name === "*" && part === "each") {
          if (reexports.all) return view.original("*", "each");
          return [...reexports.names.values()].flatMap((inner) => (inner === "default" ? [] : view.original(inner, undefined)));
        }
        // A member's export path (`answers.write`): its owner is what the barrel re-exports.
        const dot = name.indexOf(".");
        const head = dot > 0 ? name.slice(0, dot) : name;
        const tail = dot > 0 ? name.slice(dot) : "";
        const innerHead = reexports.all ? (head === "default" ? undefined : head) : reexports.names.get(head);
        const inner = innerHead === undefined ? undefined : innerHead + tail;
        const out = inner === undefined ? [] : view.original(inner, part, key);
        // The values of an exported object literal holding imports of `view.file` (each, or the one under `key`):
        // those imports, registered whole.
        if (part === "each" || part === "member") {
          for (const held of reexports.each.get(name) ?? []) {
            if (part === "member" && held.key !== key) continue;
            out.push(...view.original(held.name, undefined).map((o) => ({ ...o, label: o.label ?? held.key })));
          }
        }
        return out;
      };
      views.push({ file: barrel, original, depth: view.depth + 1 });
    }
  }
  return views;
}
interface OriginalName {
  name: string;
  part?: RegisteredPart;
  /** For part "member": the property of the exported object. */
  key?: string;
  /** The key of a barrel's exported object that holds it (it names a graph node). */
  label?: string;
}
interface ExportView {
  file: string;
  original: (name: string, part?: RegisteredPart, key?: string) => OriginalName[];
  depth: number;
}
const MAX_REEXPORT_DEPTH = 3;
const REEXPORT_HINT = /\bexport\s*(?:\*|\{|default\b|const\b)|__exportStar\s*\(|\bmodule\.exports\s*=\s*(?:require\b|\{)/;
const EXPORT_STAR = /(?:^|[\s;])export\s*\*\s*from\s*["']([^"'\n]+)["']|(?:__exportStar\s*\(|\bmodule\.exports\s*=)\s*require\s*\(\s*["']([^"'\n]+)["']\s*\)/g;
const EXPORT_FROM = /(?:^|[\s;])export\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["']([^"'\n]+)["']/g;
const IMPORT_NAMED = /(?:^|[\s;])import\s+(?:type\s+)?(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*["']([^"'\n]+)["']/g;
const EXPORT_LIST = /(?:^|[\s;])export\s*\{([^}]*)\}(?!\s*from\b)/g;
/** `const { a, b: c } = require("x")` (CommonJS named imports). */
const REQUIRE_NAMED = /(?:^|[\s;])(?:const|let|var)\s*\{([^{}]*)\}\s*=\s*require\s*\(\s*["']([^"'\n]+)["']\s*\)/g;
/** `module.exports = { a, b: c }` (a flat object literal). */
const MODULE_EXPORTS_OBJECT = /\bmodule\.exports\s*=\s*\{([^{}]*)\}/g;
const EXPORT_DEFAULT_NAME = /(?:^|[\s;])export\s+default\s+([A-Za-z_$][\w$]*)\s*;?\s*$/gm;
/** `export const NODES = { a, b: c }` (a flat object literal, optionally typed), or `export default { a, b: c }`. */
const EXPORT_OBJECT = /(?:^|[\s;])export\s+(?:const\s+([A-Za-z_$][\w$]*)\s*(?::[^=\n]*)?=|default)\s*\{([^{}]*)\}/g;

/** `a`, `a as b`, `type T`, `default as c` -> [local, exported] pairs. */
function specifierPairs(list: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of list.split(",")) {
    const part = raw.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "").trim();
    if (!part || /^type\s/.test(part)) continue;
    const match = /^([A-Za-z_$][\w$]*|"[^"]*"|'[^']*')(?:\s+as\s+([A-Za-z_$][\w$]*|"[^"]*"|'[^']*'))?$/.exec(part);
    if (!match) continue;
    const unquote = (name: string) => name.replace(/^["']|["']$/g, "");
    out.push([unquote(match[1]), unquote(match[2] ?? match[1])]);
  }
  return out;
}

/** The identifiers an object literal's properties hold, with their keys: `a` (shorthand), `key: a`, `"key": a`. */
function objectPropertyIdentifiers(body: string): { key: string; local: string }[] {
  const out: { key: string; local: string }[] = [];
  for (const raw of body.split(",")) {
    const part = raw.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "").trim();
    const match = /^(?:([A-Za-z_$][\w$]*|"[^"]*"|'[^']*')\s*:\s*)?([A-Za-z_$][\w$]*)$/.exec(part);
    if (match) out.push({ key: (match[1] ?? match[2]).replace(/^["']|["']$/g, ""), local: match[2] });
  }
  return out;
}

interface Reexports {
  /** `export * from` the target: every name but the default. */
  all: boolean;
  /** Exported name -> the name in the target. */
  names: Map<string, string>;
  /** An exported object literal -> the target's names it holds as property values, with their keys. */
  each: Map<string, { name: string; key: string }[]>;
}

/** A file's re-export statements by specifier, read from its text once (kept with its cache entry). */
interface ReexportStatements {
  /** `export * from "x"` (and compiled `__exportStar(require("x"))`). */
  stars: string[];
  /** `export { a, b as c } from "x"`: specifier -> [inner, exported] pairs. */
  from: [string, [string, string][]][];
  /** Named and default imports: specifier -> [inner, local] pairs. */
  imports: [string, [string, string][]][];
  /** `export { local as exported }` (no `from`). */
  exportList: [string, string][];
  /** `export default local`. */
  defaultNames: string[];
  /** `export const NAME = { key: local, ... }`. */
  objects: { name: string; properties: { key: string; local: string }[] }[];
}

/**
 * The library API the project module `specifier` (imported by `fromFile`) re-exports under `name`: `export { StateGraph }
 * from "@langchain/langgraph/web"`, an import of it exported again, or the one library a module re-exports whole
 * (`export * from "@langchain/langgraph/web"`, `module.exports = require(...)`); through project barrels, a few deep.
 */
function libraryReexportOf(specifier: string, fromFile: string, name: string, depth = 0): { module: string; name: string } | undefined {
  if (depth > MAX_REEXPORT_DEPTH || !mayNameProjectModule(specifier, fromFile)) return undefined;
  const target = resolveProjectModule(specifier, fromFile);
  if (!target || target === fromFile) return undefined;
  const e = entry(target);
  if (!e || !(e.reexportHint ??= REEXPORT_HINT.test(e.text))) return undefined;
  const statements = reexportStatements(e);
  const follow = (from: string, inner: string) => (mayNameProjectModule(from, target) ? libraryReexportOf(from, target, inner, depth + 1) : { module: from, name: inner });
  for (const [from, pairs] of statements.from) {
    const pair = pairs.find(([, exported]) => exported === name);
    if (pair) return follow(from, pair[0]);
  }
  const listed = statements.exportList.find(([, exported]) => exported === name);
  if (listed) {
    for (const [from, pairs] of statements.imports) {
      const pair = pairs.find(([, local]) => local === listed[0]);
      if (pair) return follow(from, pair[0]);
    }
  }
  const libraries = statements.stars.filter((from) => !mayNameProjectModule(from, target));
  if (libraries.length === 1) return { module: libraries[0], name };
  if (libraries.length > 1) return undefined;
  for (const from of statements.stars) {
    const found = libraryReexportOf(from, target, name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function reexportStatements(e: FileEntry): ReexportStatements {
  if (e.reexports) return e.reexports;
  const text = e.text;
  const statements: ReexportStatements = { stars: [], from: [], imports: [], exportList: [], defaultNames: [], objects: [] };
  for (const match of text.matchAll(EXPORT_STAR)) statements.stars.push(match[1] ?? match[2]);
  for (const match of text.matchAll(EXPORT_FROM)) statements.from.push([match[2], specifierPairs(match[1])]);
  for (const match of text.matchAll(IMPORT_NAMED)) {
    const pairs = specifierPairs(match[2] ?? "");
    if (match[1]) pairs.push(["default", match[1]]);
    if (pairs.length > 0) statements.imports.push([match[3], pairs]);
  }
  // CommonJS: `const { traceable } = require("langsmith/traceable")` exported again in `module.exports = { traceable }`.
  for (const match of text.matchAll(REQUIRE_NAMED)) {
    const pairs = objectPropertyIdentifiers(match[1]).map(({ key, local }): [string, string] => [key, local]);
    if (pairs.length > 0) statements.imports.push([match[2], pairs]);
  }
  if (statements.imports.length > 0) {
    for (const match of text.matchAll(MODULE_EXPORTS_OBJECT)) statements.exportList.push(...objectPropertyIdentifiers(match[1]).map(({ key, local }): [string, string] => [local, key]));
    for (const match of text.matchAll(EXPORT_LIST)) statements.exportList.push(...specifierPairs(match[1]));
    for (const match of text.matchAll(EXPORT_DEFAULT_NAME)) statements.defaultNames.push(match[1]);
    for (const match of text.matchAll(EXPORT_OBJECT)) statements.objects.push({ name: match[1] ?? "default", properties: objectPropertyIdentifiers(match[2]) });
  }
  return (e.reexports = statements);
}

/**
 * What `barrel` re-exports from the module `target`; undefined when nothing. `export * as ns` is not followed (its
 * members are reached as `ns.name`).
 */
function reexportsOf(e: FileEntry, barrel: string, target: string): Reexports | undefined {
  const statements = reexportStatements(e);
  const result: Reexports = { all: false, names: new Map(), each: new Map() };
  const resolvesToTarget = (specifier: string) => mayNameProjectModule(specifier, barrel) && resolveProjectModule(specifier, barrel) === target;
  if (statements.stars.some(resolvesToTarget)) return { ...result, all: true };
  for (const [specifier, pairs] of statements.from) {
    if (!resolvesToTarget(specifier)) continue;
    for (const [inner, exported] of pairs) result.names.set(exported, inner);
  }
  // `import { retrieve } from "./retrieve"; export { retrieve };` (or `export default retrieve`, or an object).
  const imported = new Map<string, string>();
  for (const [specifier, pairs] of statements.imports) {
    if (!resolvesToTarget(specifier)) continue;
    for (const [inner, local] of pairs) imported.set(local, inner);
  }
  if (imported.size > 0) {
    for (const [local, exported] of statements.exportList) {
      const inner = imported.get(local);
      if (inner !== undefined) result.names.set(exported, inner);
    }
    for (const local of statements.defaultNames) {
      const inner = imported.get(local);
      if (inner !== undefined) result.names.set("default", inner);
    }
    for (const object of statements.objects) {
      const held = object.properties.flatMap(({ key, local }) => (imported.has(local) ? [{ name: imported.get(local)!, key }] : []));
      if (held.length > 0) result.each.set(object.name, held);
    }
  }
  return result.names.size > 0 || result.each.size > 0 ? result : undefined;
}

function exportFactsOf(file: string, name: string, settings: ResolvedSettings): ExportFacts | undefined {
  const e = entry(file);
  if (!e || !hooks) return undefined;
  e.exports ??= new Map();
  if (e.exports.has(name)) return e.exports.get(name) ?? undefined;
  e.exports.set(name, null); // cycle guard
  nesting++;
  let facts: ExportFacts | undefined;
  try {
    facts = hooks.exportFacts(file, e.text, name, settings, e);
    keepModel(e);
  } catch {
    facts = undefined; // a file that does not parse tells us nothing
  } finally {
    nesting--;
  }
  e.exports.set(name, facts ?? null);
  return facts;
}

/**
 * Runs a lazily computed part of another module's facts (a summary's facet, `summaries.ts`) within the nesting bound
 * that eager questions keep: past it, `fallback` answers and is marked incomplete (not to be kept).
 */
export function withinNesting<T>(compute: () => T, fallback: T): { value: T; complete: boolean } {
  if (nesting >= MAX_NESTING) return { value: fallback, complete: false };
  nesting++;
  try {
    return { value: compute(), complete: true };
  } finally {
    nesting--;
  }
}

/** The summary of the function `file` exports under `name`, cached with the file's entry (dropped when it changes). */
function exportSummaryOf(file: string, name: string, settings: ResolvedSettings): FunctionSummary | undefined {
  const e = entry(file);
  if (!e || !hooks?.exportSummary) return undefined;
  e.summaries ??= new Map();
  if (e.summaries.has(name)) return e.summaries.get(name) ?? undefined;
  e.summaries.set(name, null); // cycle guard
  nesting++;
  let summary: FunctionSummary | undefined;
  try {
    summary = hooks.exportSummary(file, e.text, name, settings, e);
    keepModel(e);
  } catch (error) {
    if (process.env.TRACE_NESTING_DEBUG) console.error(error);
    summary = undefined; // a file that does not parse tells us nothing
  } finally {
    nesting--;
  }
  e.summaries.set(name, summary ?? null);
  return summary;
}

/**
 * The entries holding a parsed model, least recently used first: at most {@link MAX_MODELS} are kept, so that a
 * run over a large project does not hold every imported module's syntax tree (the parse is what a later question
 * about the same module saves; the facts already asked stay cached either way).
 */
const MAX_MODELS = 64;
const modelHolders = new Set<FileEntry>();
function keepModel(e: FileEntry): void {
  modelHolders.delete(e);
  if (e.model === undefined) return;
  modelHolders.add(e);
  if (modelHolders.size <= MAX_MODELS) return;
  const oldest = modelHolders.values().next().value!;
  modelHolders.delete(oldest);
  oldest.model = undefined;
}

/**
 * Whether `hinted` holds for the text of `file` at `depth`, or for that of a project module it imports (up to
 * {@link HELPER_DEPTH} modules deep): a text test for a question about a helper of helpers.
 */
function hintedThroughImports(file: string, e: FileEntry, depth: number, hinted: (e: FileEntry, depth: number) => boolean, seen = new Set<string>()): boolean {
  if (hinted(e, depth)) return true;
  if (depth >= HELPER_DEPTH) return false;
  seen.add(file);
  for (const specifier of specifiersOfEntry(e)) {
    if (!mayNameProjectModule(specifier, file)) continue;
    const target = resolveProjectModule(specifier, file);
    if (!target || seen.has(target)) continue;
    const other = entry(target);
    if (other && hintedThroughImports(target, other, depth + 1, hinted, seen)) return true;
  }
  return false;
}
const HELPER_DEPTH = 2;

/**
 * Whether `file` may register functions as traced scopes: it calls a registration API itself, or it imports a project
 * module that does (a helper that calls `addNode` for its caller). Each text is tested once per version (the tests walk
 * importers and their imports again for every file asked).
 */
function mayRegister(file: string, e: FileEntry, depth = 0): boolean {
  return hintedThroughImports(file, e, depth, (x, d) => (d === 0 ? (x.registrationHint ??= REGISTRATION_HINT.test(x.text)) : (x.registrationCall ??= REGISTRATION_CALL.test(x.text))));
}

/**
 * A worker queue library loaded (async, neo-async, fastq, under any npm alias), a debounce package (lodash's, its
 * own packages: `apis.ts`, `debounceFunctionIndex`), or a `for await` loop (a hand-written channel's consumer): a
 * module without any, and importing none that has one, hands no data to a queue worker.
 */
const DATA_QUEUE_HINT = /["'`](?:async|neo-async|fastq)(?:-[\w.]+)?["'`/]|["'`](?:lodash(?:-es)?|underscore|debounce|just-debounce-it|just-throttle|throttle-debounce|lodash\.(?:debounce|throttle))["'`/]|\bfor\s+await\b/;

function mayQueueData(file: string, e: FileEntry, depth: number): boolean {
  return hintedThroughImports(file, e, depth, (x) => (x.dataQueueHint ??= DATA_QUEUE_HINT.test(x.text)));
}

function registrationsIn(file: string, settings: ResolvedSettings): FileEntry["registrations"] {
  const e = entry(file);
  if (!e || !hooks) return [];
  if (e.registrations) return e.registrations;
  if (!mayRegister(file, e)) return (e.registrations = []);
  e.registrations = []; // cycle guard
  nesting++;
  try {
    e.registrations = hooks.importedRegistrations(file, e.text, settings) ?? [];
  } catch (error) {
    if (process.env.TRACE_NESTING_DEBUG) console.error(error);
    e.registrations = [];
  } finally {
    nesting--;
  }
  return e.registrations;
}

/**
 * A fact computed once over the whole project of `filename` and kept while the project's import graph holds (no file
 * came, went or changed on disk; re-validated like the graph). `compute` gets the project's files and their cached
 * texts. `key` names the fact and whatever it depends on besides the files (the settings, for instance).
 */
export function projectMemo<T>(filename: string, cwd: string, key: string, compute: (files: readonly string[], textOf: (file: string) => string | undefined) => T): T {
  const graph = importGraph(projectRoot(path.resolve(cwd, filename), cwd));
  if (graph.memos.has(key)) return graph.memos.get(key) as T;
  const value = compute(graph.files, (file) => entry(file)?.text);
  graph.memos.set(key, value);
  return value;
}

/**
 * The names the project's files call at load, in a top-level declaration (`const geocode = createGeocoder();`,
 * `export const limiter = clients.makeLimiter(2)`), with the files that do: read from the texts (a line that starts
 * the declaration at column 0), once per project. What a factory's module asks before it leaves the queue its closure
 * uses to the callers.
 */
export function namesCalledAtLoad(filename: string, cwd: string): ReadonlyMap<string, readonly string[]> {
  return projectMemo(filename, cwd, "names-called-at-load", (files, textOf) => {
    const names = new Map<string, string[]>();
    for (const file of files) {
      const text = textOf(file);
      if (!text) continue;
      for (const line of text.matchAll(LOAD_LINE)) {
        // Only what the line runs at load: not the body of a function it declares (`= traceable(async (x) => make(x))`).
        const atLoad = line[0].split(/=>|\bfunction\b|\basync\b/)[0];
        for (const call of atLoad.matchAll(CALLED_NAME)) {
          const known = names.get(call[1]);
          if (!known) names.set(call[1], [file]);
          else if (!known.includes(file)) known.push(file);
        }
      }
    }
    return names;
  });
}

/**
 * Whether some file of the project calls `name` at load and may take it from `module`: the module itself, or a file
 * that imports or requires it (its specifiers, resolved as the project index resolves them).
 */
export function calledAtLoadFrom(module: string, cwd: string, name: string): boolean {
  const callers = namesCalledAtLoad(module, cwd).get(name);
  if (!callers) return false;
  const target = path.resolve(cwd, module);
  return callers.some((file) => file === target || cachedSpecifiersOf(file).some((specifier) => resolveIfProjectModule(specifier, file) === target));
}

/** A line that starts a top-level declaration or export at column 0, and the names called on it. */
const LOAD_LINE = /^(?:export\s+(?:default\s+)?)?(?:(?:const|let|var)\s|module\.exports\b|exports\.)[^\n]*/gm;
const CALLED_NAME = /([A-Za-z_$][\w$]*)\s*\(/g;

/**
 * The `new` of imported project classes a file makes (`calls`: its calls of imported project functions and methods
 * instead), with what their arguments may be: its model's answer, kept with its cache entry.
 */
function constructionsIn(file: string, settings: ResolvedSettings, calls: boolean): ImportedConstruction[] {
  const e = entry(file);
  if (!e || !hooks?.importedConstructions) return [];
  const key = calls ? "importedCalls" : "constructions";
  const known = e[key];
  if (known) return known;
  // For the `new` of a class, only a file whose text constructs something is parsed.
  if ((!calls && !/\bnew\s+[A-Za-z_$]/.test(e.text)) || nesting >= MAX_NESTING) return [];
  e[key] = []; // cycle guard
  nesting++;
  try {
    e[key] = hooks.importedConstructions(file, e.text, settings, calls);
  } catch (error) {
    if (process.env.TRACE_NESTING_DEBUG) console.error(error);
    e[key] = [];
  } finally {
    nesting--;
  }
  return e[key]!;
}

/** `root`: the project's root, the calling file's model's working directory (so that it sees the same project). */
function scopeCallsIn(file: string, settings: ResolvedSettings, root: string): ImportedScopeCall[] {
  const e = entry(file);
  if (!e || !hooks) return [];
  if (e.scopeCalls) return e.scopeCalls;
  // The caller's scopes may come from registrations in a third file (a node registered in graph.ts), and its helpers
  // may be called from scopes in a third file: its model is project-aware, within the nesting bound. An answer cut
  // short by the bound is not kept (a later question from nearer may see the whole chain).
  if (nesting >= MAX_NESTING) return [];
  e.scopeCalls = []; // cycle guard
  nesting++;
  try {
    e.scopeCalls = hooks.importedScopeCalls(file, e.text, settings, root);
  } catch (error) {
    if (process.env.TRACE_NESTING_DEBUG) console.error(error);
    e.scopeCalls = [];
  } finally {
    nesting--;
  }
  return e.scopeCalls;
}

/**
 * The project files a program entry loads, itself first, breadth first (at most `limit`), with their texts: for
 * questions about a whole program (does any of its runnables call a child without its config?).
 */
export function programFiles(file: string, limit = 200): { file: string; text: string }[] {
  const start = path.resolve(file);
  const order = [start];
  const seen = new Set(order);
  const out: { file: string; text: string }[] = [];
  for (let i = 0; i < order.length; i++) {
    const current = order[i];
    const e = entry(current);
    if (!e) continue;
    out.push({ file: current, text: e.text });
    for (const specifier of specifiersOfEntry(e)) {
      if (order.length >= limit || !mayNameProjectModule(specifier, current)) continue;
      const target = resolveProjectModule(specifier, current);
      if (target && !seen.has(target)) {
        seen.add(target);
        order.push(target);
      }
    }
  }
  return out;
}

/** A runnable method call or a traceable, as text: what a module of config helpers says somewhere. */
const BIND_CALL = /\.\s*bind\s*\(/;
const CHILD_RUN_HINT = new RegExp(`${CHILD_RUN_CALL.source}|\\btraceable\\b`);

/**
 * Whether `file` imports (directly, or through one more project module) a project module whose text starts child
 * runs: a helper of helpers (`prep` calls `llm.complete`, which invokes the model) may need a config threaded through
 * it. Text only, for the pre-check, before the costlier question of who calls the file's exports.
 */
export function importsChildRunModule(filename: string, depth = 2): boolean {
  const file = path.resolve(filename);
  const seen = new Set([file]);
  let layer = [file];
  for (let level = 0; level < depth && layer.length > 0; level++) {
    const next: string[] = [];
    for (const current of layer) {
      for (const specifier of specifiersOfEntry(files.get(current) ?? entry(current))) {
        if (!specifier.startsWith(".") || !mayNameProjectModule(specifier, current)) continue;
        const target = resolveProjectModule(specifier, current);
        if (!target || seen.has(target)) continue;
        seen.add(target);
        const e = entry(target);
        if (!e) continue;
        if ((e.childRunHint ??= CHILD_RUN_HINT.test(e.text))) return true;
        next.push(target);
      }
    }
    layer = next;
  }
  return false;
}

/** Whether `file` exports functions called inside traced scopes with a config of other project files (for the text pre-check). */
export function isCalledFromScopesElsewhere(filename: string, cwd: string, settings: ResolvedSettings): boolean {
  return projectFacts(filename, cwd, settings)?.scopeCallers().some((c) => c.config) ?? false;
}

/**
 * Whether `text` (the file `filename`) imports one of `names` from a project module that re-exports it from a tracing
 * library (`const { traceable } = require("./triage.cjs")`, that module exporting langsmith's): for the text pre-check.
 */
export function importsReexportedApi(filename: string, text: string, names: ReadonlySet<string>, isTracingModule: (specifier: string) => boolean): boolean {
  const pairs: [string, string][] = [];
  for (const match of text.matchAll(IMPORT_NAMED)) for (const [imported] of specifierPairs(match[2] ?? "")) pairs.push([match[3], imported]);
  for (const match of text.matchAll(REQUIRE_NAMED)) for (const { key } of objectPropertyIdentifiers(match[1])) pairs.push([match[2], key]);
  return pairs.some(([specifier, name]) => {
    if (!names.has(name) || !mayNameProjectModule(specifier, filename)) return false;
    const api = libraryReexportOf(specifier, filename, name);
    return !!api && isTracingModule(api.module);
  });
}

/**
 * Whether `file` imports a project module (or one of that module's imports) that passes functions to a registration
 * API (`makeStep(name, fn)` returning `RunnableLambda.from(fn)`): its calls of that module may make traced scopes the
 * file's own text does not name.
 */
export function importsRegistrationHelper(file: string): boolean {
  const e = entry(path.resolve(file));
  return !!e && hintedThroughImports(path.resolve(file), e, 0, (x, d) => d > 0 && (x.registrationCall ??= REGISTRATION_CALL.test(x.text)));
}

/** Whether `file` is registered as a traced scope in another project file (for the text pre-check). */
export function isRegisteredElsewhere(filename: string, cwd: string, settings: ResolvedSettings): boolean {
  return (projectFacts(filename, cwd, settings)?.registrations().length ?? 0) > 0;
}

/** Whether the file is the entry of a Node program that loads no module setting AsyncLocalStorage up (programs.ts). */
export function isEntryWithoutAsyncContext(filename: string, cwd: string, settings: ResolvedSettings): boolean {
  return projectFacts(filename, cwd, settings)?.programRuntime()?.program?.self === true;
}

/** Forget what is cached of `file` (this process has just written it: seen at once, not after {@link STAT_TTL_MS}). */
export function forgetProjectFile(file: string): void {
  files.delete(path.resolve(file));
}

/**
 * `file` is about to hold `text` (a codemod returned it; jscodeshift writes it after the transform returns): the
 * index answers from that text at once, and looks at the disk again after {@link STAT_TTL_MS}, as for any file.
 */
export function expectProjectFileText(file: string, text: string): void {
  files.set(path.resolve(file), { checkedAt: Date.now(), mtimeMs: Number.NaN, size: -1, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text });
}

/** Forget every cached file (tests). */
export function clearProjectIndex(): void {
  files.clear();
  modelHolders.clear();
  graphs.clear();
  listings.clear();
  roots.clear();
  packageDirs.clear();
  clearResolutionCache();
}
