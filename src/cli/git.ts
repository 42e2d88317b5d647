/**
 * The safety check before `fix` writes: uncommitted changes (modified, staged or untracked files) under the paths
 * being fixed, so that the fixes can be reviewed as one diff and undone with git.
 */
import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { findGitRoot } from "./files.js";

const run = promisify(execFile);

export interface DirtyState {
  /** Git work trees that contain the given paths. */
  roots: string[];
  /** Absolute paths with uncommitted changes under the given paths. */
  dirty: string[];
  /** Set when git could not be run; the check was skipped. */
  unavailable?: string;
}

/** Uncommitted changes under `paths` (absolute), per git work tree. Paths outside any work tree are not checked. */
export async function uncommittedChanges(paths: readonly string[]): Promise<DirtyState> {
  const byRoot = new Map<string, string[]>();
  for (const p of paths) {
    let dir = p;
    try {
      if (!statSync(p).isDirectory()) dir = path.dirname(p);
    } catch {
      dir = path.dirname(p);
    }
    const root = findGitRoot(dir);
    if (!root) continue;
    const list = byRoot.get(root) ?? [];
    list.push(p);
    byRoot.set(root, list);
  }
  const state: DirtyState = { roots: [...byRoot.keys()], dirty: [] };
  for (const [root, pathspecs] of byRoot) {
    let stdout: string;
    try {
      ({ stdout } = await run("git", ["-C", root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ...pathspecs], {
        maxBuffer: 64 * 1024 * 1024,
        encoding: "utf8",
      }));
    } catch (error) {
      const err = error as NodeJS.ErrnoException & { stderr?: string };
      state.unavailable = err.code === "ENOENT" ? "git is not installed" : String(err.stderr || err.message).trim();
      continue;
    }
    const entries = stdout.split("\0");
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (entry.length < 4) continue;
      const status = entry.slice(0, 2);
      state.dirty.push(path.join(root, entry.slice(3)));
      if (status[0] === "R" || status[0] === "C") i++; // the rename/copy source follows
    }
  }
  return state;
}
