import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Every test file makes its scratch projects under `os.tmpdir()`. This gives the whole run one directory of its own
 * there (the test processes inherit `TMPDIR`) and removes it when the run ends, so that a run leaves nothing behind.
 */
export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), "trace-nesting-tests-"));
  const previous = { TMPDIR: process.env.TMPDIR, TEMP: process.env.TEMP, TMP: process.env.TMP };
  process.env.TMPDIR = process.env.TEMP = process.env.TMP = root;
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    if (!process.env.TRACE_NESTING_KEEP_TEST_FILES) rmSync(root, { recursive: true, force: true });
  };
}
