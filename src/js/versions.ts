/**
 * The installed version of a package as seen from a linted file: Node resolution (walking up `node_modules`
 * directories to the package's own `package.json`), else the range declared in the nearest `package.json`
 * (its lowest version), else unknown. Cached per directory.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";

export interface InstalledVersion {
  version: string;
  /** Where it came from: an installed package.json, a declared range, or settings. */
  source: "installed" | "declared" | "settings";
}

const cache = new Map<string, InstalledVersion | null>();

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function findInstalled(pkg: string, dir: string): InstalledVersion | null {
  for (let current = dir; ; current = path.dirname(current)) {
    const key = `installed\0${pkg}\0${current}`;
    if (cache.has(key)) return cache.get(key)!;
    const manifest = readJson(path.join(current, "node_modules", pkg, "package.json"));
    if (manifest && typeof manifest.version === "string") {
      const found: InstalledVersion = { version: manifest.version, source: "installed" };
      cache.set(key, found);
      return found;
    }
    const parent = path.dirname(current);
    if (parent === current) {
      cache.set(key, null);
      return null;
    }
  }
}

function findDeclared(pkg: string, dir: string): InstalledVersion | null {
  for (let current = dir; ; current = path.dirname(current)) {
    const key = `declared\0${pkg}\0${current}`;
    if (cache.has(key)) return cache.get(key)!;
    const manifest = readJson(path.join(current, "package.json"));
    if (manifest) {
      let result: InstalledVersion | null = null;
      for (const field of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]) {
        const range = (manifest[field] as Record<string, string> | undefined)?.[pkg];
        if (typeof range !== "string") continue;
        const min = semver.validRange(range) ? semver.minVersion(range) : null;
        if (min) {
          result = { version: min.version, source: "declared" };
          break;
        }
      }
      // The nearest package.json decides, whether or not it declares the package.
      cache.set(key, result);
      return result;
    }
    const parent = path.dirname(current);
    if (parent === current) {
      cache.set(key, null);
      return null;
    }
  }
}

/** The version of `pkg` that `filename` would load; `overrides` (settings) win. */
export function installedVersion(
  pkg: string,
  filename: string,
  overrides: Readonly<Record<string, string>>,
  cwd: string = process.cwd(),
): InstalledVersion | undefined {
  const override = overrides[pkg];
  if (override !== undefined) {
    const coerced = semver.valid(override) ?? semver.minVersion(override)?.version;
    return coerced ? { version: coerced, source: "settings" } : undefined;
  }
  const dir = path.dirname(path.resolve(cwd, filename));
  return findInstalled(pkg, dir) ?? findDeclared(pkg, dir) ?? undefined;
}

/**
 * The package a bare specifier really loads when it names an npm alias (`"p-queue-8": "npm:p-queue@8"` installs
 * `node_modules/p-queue-8` with `"name": "p-queue"`): the specifier with the package's own name (`p-queue-8/dist` →
 * `p-queue/dist`). Undefined for a package installed under its own name, a relative or built-in specifier, or one
 * that is not installed.
 */
export function aliasedSpecifier(specifier: string, filename: string, cwd: string = process.cwd()): string | undefined {
  if (!/^[@a-z0-9]/i.test(specifier) || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  const pkg = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  if (!pkg || (specifier.startsWith("@") && parts.length < 2)) return undefined;
  // Only a name that mentions a package the rules know, and is not that package's own name, can be an alias worth a
  // lookup (`p-queue-8`, `langsmith-legacy`): every other specifier of every file would cost a walk up the tree.
  if (!ALIAS_HINT.test(pkg) || KNOWN_NAME.test(pkg)) return undefined;
  for (let current = path.dirname(path.resolve(cwd, filename)); ; current = path.dirname(current)) {
    const key = `alias\0${pkg}\0${current}`;
    let name = aliases.get(key);
    if (name === undefined) {
      const manifest = readJson(path.join(current, "node_modules", pkg, "package.json"));
      name = manifest ? (typeof manifest.name === "string" ? manifest.name : pkg) : null;
      aliases.set(key, name);
    }
    if (name !== null) return name === pkg ? undefined : `${name}${specifier.slice(pkg.length)}`;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
  }
}
const aliases = new Map<string, string | null>();
const ALIAS_HINT = /p-queue|p-limit|async|langsmith|langchain|langgraph/i;
const KNOWN_NAME = /^(?:p-queue|p-limit|async|langsmith|langchain|@langchain\/[\w.-]+)$/;

/** Forget cached lookups (tests, long-running editor sessions after an install). */
export function clearVersionCache(): void {
  cache.clear();
  aliases.clear();
}
