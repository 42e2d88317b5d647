/**
 * Module resolution as TypeScript and Node resolve it (relative paths, `paths` / `baseUrl` in tsconfig, package
 * `exports` / `imports`, index files, `.js` → `.ts`), through TypeScript's own resolver, with the nearest
 * tsconfig's compiler options (bundler resolution and `allowJs` when there is none). Only files of the project
 * itself resolve: declaration files and anything under `node_modules` do not.
 */
import { statSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { lazyRequire } from "../../lazy-require.js";
import type TS from "typescript";

// Loaded on first use (typescript-estree, which parses every JavaScript file we look at, loads it too), so that
// commands that never resolve JavaScript modules (`check --lang python`) do not pay for it.
let typescript: typeof TS | undefined;
function ts(): typeof TS {
  return (typescript ??= lazyRequire<typeof TS>("typescript"));
}

const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/i;
const optionsByDir = new Map<string, TS.CompilerOptions>();
const resolutionCaches = new Map<TS.CompilerOptions, TS.ModuleResolutionCache>();
const resolved = new Map<string, string | null>();

function compilerOptionsFor(dir: string): TS.CompilerOptions {
  const cached = optionsByDir.get(dir);
  if (cached) return cached;
  const t = ts();
  const configPath = t.findConfigFile(dir, t.sys.fileExists, "tsconfig.json");
  let options: TS.CompilerOptions | undefined;
  if (configPath) {
    const existing = [...optionsByDir.entries()].find(([key]) => key === `config:${configPath}`)?.[1];
    if (existing) options = existing;
    else {
      const read = t.readConfigFile(configPath, t.sys.readFile);
      if (!read.error) {
        const parsed = t.parseJsonConfigFileContent(read.config, t.sys, path.dirname(configPath), undefined, configPath);
        options = { ...parsed.options, allowJs: true, noEmit: true };
      }
      if (options) optionsByDir.set(`config:${configPath}`, options);
    }
  }
  options ??= { allowJs: true, module: t.ModuleKind.ESNext, moduleResolution: t.ModuleResolutionKind.Bundler, noEmit: true };
  if (options.moduleResolution === undefined || options.moduleResolution === t.ModuleResolutionKind.Classic) {
    options = { ...options, moduleResolution: t.ModuleResolutionKind.Bundler, module: options.module ?? t.ModuleKind.ESNext };
  }
  optionsByDir.set(dir, options);
  return options;
}

/** The project source file `specifier` names from `fromFile`, or undefined (a package, a builtin, not found). */
export function resolveProjectModule(specifier: string, fromFile: string): string | undefined {
  if (specifier.startsWith("node:")) return undefined;
  const dir = path.dirname(fromFile);
  const key = `${dir}\0${specifier}`;
  const hit = resolved.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let result: string | undefined;
  try {
    const t = ts();
    const options = compilerOptionsFor(dir);
    const sibling = typeScriptSibling(specifier, dir, options);
    if (sibling !== undefined) {
      resolved.set(key, sibling);
      return sibling ?? undefined;
    }
    let cache = resolutionCaches.get(options);
    if (!cache) resolutionCaches.set(options, (cache = t.createModuleResolutionCache(dir, (f) => f, options)));
    const outcome = t.resolveModuleName(specifier, fromFile, options, t.sys, cache).resolvedModule;
    const file = outcome?.resolvedFileName;
    if (file && !outcome.isExternalLibraryImport && !/\.d\.[cm]?ts$/i.test(file) && SOURCE_FILE.test(file) && !file.split(/[\\/]/).includes("node_modules")) {
      result = path.resolve(file);
    }
  } catch {
    result = undefined;
  }
  resolved.set(key, result ?? null);
  return result;
}

/**
 * The files TypeScript's resolver tries, in order, for a relative specifier's extension (`loadModuleFromFile`):
 * `./x.js` -> `x.ts`, `x.tsx`, `x.d.ts`, then (with `allowJs`, always set here) `x.js`, `x.jsx`.
 */
const CANDIDATES: Record<string, string[]> = {
  ".js": [".ts", ".tsx", ".d.ts", ".js", ".jsx"],
  ".mjs": [".mts", ".d.mts", ".mjs"],
  ".cjs": [".cts", ".d.cts", ".cjs"],
  "": [".ts", ".tsx", ".d.ts", ".js", ".jsx"],
};

function isFile(candidate: string): boolean {
  // No exception for a missing file: most candidates are.
  return statSync(candidate, { throwIfNoEntry: false })?.isFile() ?? false;
}

/**
 * The answer TypeScript's resolver gives, found with a few `stat` calls, for the common case: a relative specifier
 * one of whose file candidates exists (`./x.js` naming `./x.ts`, or under bundler or node10 resolution `./x`).
 * - Under bundler, node16 and nodenext resolution TypeScript tries the candidates in one pass, before the
 *   directory forms: the first that exists is its answer (a declaration file: not a project source, undefined).
 * - Under node10 it tries the TypeScript and declaration candidates first (also as directories), then the
 *   JavaScript ones: only the first candidate is decided here.
 * TypeScript does not follow symlinks for relative paths; `rootDirs` and `moduleSuffixes` change the candidates, so
 * they go to the resolver. `null`: TypeScript would answer a declaration file. Undefined: ask TypeScript.
 */
function typeScriptSibling(specifier: string, dir: string, options: TS.CompilerOptions): string | null | undefined {
  if ((!specifier.startsWith("./") && !specifier.startsWith("../")) || specifier.endsWith("/") || specifier.endsWith("/.") || specifier.endsWith("/..")) return undefined;
  if (options.rootDirs || options.moduleSuffixes) return undefined;
  const base = path.resolve(dir, specifier);
  if (base.split(path.sep).includes("node_modules")) return undefined;
  const extension = path.extname(base);
  const kinds = ts().ModuleResolutionKind;
  const resolution = options.moduleResolution;
  // `./x.ts`, `./x.json`: TypeScript's own rules; `./x.service`: an extension it does not know, so one it appends to.
  if (extension !== "" && !(extension in CANDIDATES) && /^\.(?:[cm]?[jt]sx?|json)$/i.test(extension)) return undefined;
  const extensionless = extension === "" || !(extension in CANDIDATES);
  if (extensionless && resolution !== kinds.Bundler && resolution !== kinds.Node10) return undefined;
  const stem = extensionless ? base : base.slice(0, -extension.length);
  const candidates = CANDIDATES[extensionless ? "" : extension];
  const onePass = resolution === kinds.Bundler || resolution === kinds.Node16 || resolution === kinds.NodeNext;
  for (const suffix of onePass ? candidates : candidates.slice(0, 1)) {
    const candidate = stem + suffix;
    if (isFile(candidate)) return /\.d\.[cm]?ts$/.test(candidate) ? null : candidate;
  }
  return undefined;
}

/**
 * Whether `specifier`, loaded from `fromFile`, may name one of the project's own modules: a relative or absolute
 * path, a package `imports` name (`#x`), the common `@/` and `~/` aliases, a specifier that one of the nearest
 * tsconfig's `paths` patterns matches, or, under a `baseUrl`, any bare specifier that names no package the nearest
 * package.json depends on. Anything else is a package, not worth resolving (TypeScript's resolver would look
 * through node_modules for it, from every directory that imports it).
 */
export function mayNameProjectModule(specifier: string, fromFile: string): boolean {
  if (/^(?:\.|\/|#|@\/|~\/)/.test(specifier)) return true;
  if (specifier.startsWith("node:")) return false;
  try {
    const dir = path.dirname(fromFile);
    const options = compilerOptionsFor(dir);
    if (options.paths && Object.keys(options.paths).some((pattern) => matchesPathPattern(pattern, specifier))) return true;
    if (options.baseUrl === undefined) return false;
    return !dependenciesFor(dir).has(packageNameOf(specifier));
  } catch {
    return false;
  }
}

/** A tsconfig `paths` key (`@app/*`, `config`) matches the specifier. */
function matchesPathPattern(pattern: string, specifier: string): boolean {
  const star = pattern.indexOf("*");
  if (star < 0) return pattern === specifier;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) && specifier.endsWith(suffix);
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const dependenciesByDir = new Map<string, Set<string>>();
/** Every package the nearest package.json above `dir` depends on (any kind of dependency), with Node's builtins. */
function dependenciesFor(dir: string): Set<string> {
  const cached = dependenciesByDir.get(dir);
  if (cached) return cached;
  const t = ts();
  const found = t.findConfigFile(dir, t.sys.fileExists, "package.json");
  const names = new Set<string>(builtinModules);
  if (found) {
    try {
      const json = JSON.parse(t.sys.readFile(found) ?? "{}") as Record<string, unknown>;
      for (const field of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]) {
        const deps = json[field];
        if (deps && typeof deps === "object") for (const name of Object.keys(deps)) names.add(name);
      }
    } catch {
      /* an unreadable package.json declares nothing */
    }
  }
  dependenciesByDir.set(dir, names);
  return names;
}

/** Forget every resolution (files were added or removed). */
export function clearResolutionCache(): void {
  resolved.clear();
  dependenciesByDir.clear();
  optionsByDir.clear();
  resolutionCaches.clear();
}
