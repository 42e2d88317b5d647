import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface PackageJson {
  name: string;
  version: string;
  [key: string]: unknown;
}

let cached: PackageJson | undefined;

/** This package's own package.json, found by walking up from this module (works from `src/` and `dist/src/`). */
export function readPackageJson(): PackageJson {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "package.json");
    try {
      const pkg = JSON.parse(readFileSync(candidate, "utf8")) as PackageJson;
      if (pkg.name === "trace-nesting") return (cached = pkg);
    } catch {
      // keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("trace-nesting: cannot find its own package.json");
    dir = parent;
  }
}

/** Root directory of this package. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;
      if (pkg.name === "trace-nesting") return dir;
    } catch {
      // keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("trace-nesting: cannot find its own package root");
    dir = parent;
  }
}
