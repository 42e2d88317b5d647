/**
 * A compiled copy of the package for tests that must run JavaScript as users do (the bin, worker threads, the
 * jscodeshift runner). It is built once per source state into `.vitest-temp/build-<hash>/` (inside the repository,
 * so `node_modules` and `package.json` resolve), under a lock so parallel test files share one build.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export const REPO = path.resolve(import.meta.dirname, "../..");
const TEMP = path.join(REPO, ".vitest-temp");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (full.endsWith(".ts")) out.push(full);
  }
  return out;
}

function sourceHash(): string {
  const hash = createHash("sha256");
  const files = [...["src", "rules", "codemods"].flatMap((d) => sourceFiles(path.join(REPO, d))), path.join(REPO, "tsconfig.json"), path.join(REPO, "tsconfig.build.json")].sort();
  for (const file of files) {
    hash.update(path.relative(REPO, file));
    hash.update("\0");
    hash.update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 12);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The root of the compiled package (contains `src/cli.js`, `codemods/all.js`). */
export function builtPackage(): string {
  const out = path.join(TEMP, `build-${sourceHash()}`);
  const done = path.join(out, ".complete");
  if (existsSync(done)) return out;
  mkdirSync(TEMP, { recursive: true });
  const lock = path.join(TEMP, "build.lock");
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(done)) return out;
      // A lock left by a killed run is stale after two minutes.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // it went away meanwhile
      }
      if (Date.now() > deadline) throw new Error("timed out waiting for another test file's build");
      sleep(200);
    }
  }
  try {
    if (existsSync(done)) return out;
    rmSync(out, { recursive: true, force: true });
    const tsc = path.join(REPO, "node_modules/typescript/bin/tsc");
    // Type errors elsewhere in the tree do not stop the emit; a missing output does.
    const result = spawnSync(process.execPath, [tsc, "-p", path.join(REPO, "tsconfig.build.json"), "--outDir", out, "--declaration", "false", "--sourceMap", "false"], {
      cwd: REPO,
      encoding: "utf8",
    });
    for (const file of ["src/cli.js", "src/cli/fix-worker.js", "codemods/all.js"]) {
      if (!existsSync(path.join(out, file))) throw new Error(`build failed (${file} missing):\n${result.stdout}\n${result.stderr}`);
    }
    writeFileSync(done, new Date().toISOString());
    // Drop builds of older source states.
    for (const entry of readdirSync(TEMP)) {
      const full = path.join(TEMP, entry);
      if (entry.startsWith("build-") && full !== out && Date.now() - statSync(full).mtimeMs > 600_000) rmSync(full, { recursive: true, force: true });
    }
    return out;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
