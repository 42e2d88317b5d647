/**
 * Module resolution as TypeScript and Node resolve it (relative paths, `paths` / `baseUrl` in tsconfig, package
 * `exports` / `imports`, index files, `.js` → `.ts`), through TypeScript's own resolver, with the nearest
 * tsconfig's compiler options (bundler resolution and `allowJs` when there is none). Only files of the project
 * itself resolve: declaration files and anything under `node_modules` do not.
 */
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
 * Whether `specifier`, loaded from `fromFile`, may name one of the project's own modules: a relative or absolute
 * path, a package `imports` name (`#x`), the common `@/` and `~/` aliases, or any bare specifier when the nearest
 * tsconfig maps module names (`paths` or `baseUrl`). Anything else is a package, not worth resolving.
 */
export function mayNameProjectModule(specifier: string, fromFile: string): boolean {
  if (/^(?:\.|\/|#|@\/|~\/)/.test(specifier)) return true;
  if (specifier.startsWith("node:")) return false;
  try {
    const options = compilerOptionsFor(path.dirname(fromFile));
    return options.paths !== undefined || options.baseUrl !== undefined;
  } catch {
    return false;
  }
}

/** Forget every resolution (files were added or removed). */
export function clearResolutionCache(): void {
  resolved.clear();
  optionsByDir.clear();
  resolutionCaches.clear();
}
