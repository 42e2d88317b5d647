/**
 * A staged copy of the package as `npm pack` would see it: package.json, the `files` it lists and the built
 * `dist/`. The repository's dist/ is copied when it is newer than every source file (as after `npm ci`, which
 * builds in `prepare`); otherwise the sources are compiled into the stage with the repository's build config. Either
 * way the shared dist/ is neither rewritten nor read while other tests might rebuild it.
 *
 * `node_modules` in the stage links to the repository's, so the staged package also runs in place.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const REPO_MODULES = path.join(ROOT, "node_modules");

/** The newest modification time of the files under `dir` whose names match `pattern`. */
function newest(dir: string, pattern: RegExp): number {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full, pattern));
    else if (pattern.test(entry.name)) latest = Math.max(latest, statSync(full).mtimeMs);
  }
  return latest;
}

/** Whether dist/ is at least as new as every source it is built from. */
export function distIsFresh(): boolean {
  const built = newest(path.join(ROOT, "dist"), /\.js$/);
  const sources = Math.max(
    statSync(path.join(ROOT, "package.json")).mtimeMs,
    ...["src", "rules", "codemods"].map((dir) => newest(path.join(ROOT, dir), /\.ts$/)),
  );
  return built > 0 && built >= sources;
}

export interface Stage {
  dir: string;
  /** How dist/ got there. */
  dist: "copied" | "compiled";
}

/** Stage the package in `<work>/<name>`. Throws with the compiler output when the build fails. */
export function stagePackage(work: string, name = "staging"): Stage {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { files?: string[] };
  cpSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
  for (const entry of [...(manifest.files ?? []), "README.md", "LICENSE"]) {
    if (entry === "dist" || !existsSync(path.join(ROOT, entry))) continue;
    cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  let dist: Stage["dist"];
  if (distIsFresh()) {
    cpSync(path.join(ROOT, "dist"), path.join(dir, "dist"), { recursive: true });
    dist = "copied";
  } else {
    const tsc = spawnSync(process.execPath, [path.join(REPO_MODULES, "typescript", "bin", "tsc"), "-p", "tsconfig.build.json", "--outDir", path.join(dir, "dist")], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 300_000,
    });
    if (tsc.status !== 0) throw new Error(`building the package failed:\n${tsc.stdout}${tsc.stderr}${tsc.error?.message ?? ""}`);
    dist = "compiled";
  }
  symlinkSync(REPO_MODULES, path.join(dir, "node_modules"), "dir");
  return { dir, dist };
}
