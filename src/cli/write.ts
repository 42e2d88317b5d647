/**
 * Atomic file replacement: the new content goes to a temporary file in the same directory (same file system),
 * gets the original's permission bits, is flushed to disk, and is renamed over the original. A run interrupted at
 * any point leaves every file either wholly old or wholly new, and no temporary file survives an error.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";

/** Marker in temporary file names, so that a stray one is recognisable. */
export const TEMP_MARKER = ".trace-nesting-";

export class FileChangedError extends Error {
  constructor(readonly file: string) {
    super(`${file}: changed on disk while trace-nesting was working on it; not written`);
    this.name = "FileChangedError";
  }
}

/**
 * Replace `file` with `content`. When `expected` is given, the file is re-read first and left alone (throwing
 * {@link FileChangedError}) if it no longer holds exactly those bytes. Symbolic links are followed: the target is
 * replaced, the link stays.
 */
export async function writeFileAtomic(file: string, content: string, expected?: Buffer): Promise<void> {
  const target = await fs.realpath(file);
  const stats = await fs.stat(target);
  if (expected) {
    const current = await fs.readFile(target);
    if (!current.equals(expected)) throw new FileChangedError(file);
  }
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, "wx", stats.mode & 0o7777);
    await handle.writeFile(content, "utf8");
    // The creation mode is filtered by the umask: set the original's bits exactly.
    await handle.chmod(stats.mode & 0o7777);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, target);
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}
