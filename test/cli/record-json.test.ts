/** `record --json` keeps stdout for the report: the command's own stdout goes to stderr (unless --out). */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runRecord } from "../../src/cli/record.js";
import { builtPackage } from "./build.js";
import { makeProject } from "./project.js";

const PROGRAM = path.join(import.meta.dirname, "fixtures", "prints-a-lot.mjs");
let bin: string;
beforeAll(() => {
  bin = path.join(builtPackage(), "src/cli.js");
});

const env = () => {
  const out: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const name of Object.keys(out)) if (/^(LANGSMITH|LANGCHAIN)_/.test(name)) delete out[name];
  return out;
};

describe("record --json and the command's stdout", () => {
  it("record --json -- node prints-a-lot.mjs | JSON.parse succeeds; the program's output is on stderr", () => {
    const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
    const parse = `const r = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(JSON.stringify(r.summary))`;
    const result = spawnSync("sh", ["-c", `${q(process.execPath)} ${q(bin)} record --json -- ${q(process.execPath)} ${q(PROGRAM)} | ${q(process.execPath)} -e ${q(parse)}`], {
      encoding: "utf8",
      env: env(),
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(result.status, result.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ traces: 1, runs: 4 });
    expect(result.stderr).toContain("line 1999: {\"not\": \"the report\"} [");
    expect(result.stderr).toContain("a warning on stderr");
  });

  it("with --out FILE nothing changes: the program's stdout stays on stdout", () => {
    const dir = makeProject({});
    const out = path.join(dir, "trace.json");
    const result = spawnSync(process.execPath, [bin, "record", "--json", "--out", out, "--", process.execPath, PROGRAM], { encoding: "utf8", env: env(), maxBuffer: 64 * 1024 * 1024 });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("line 1999:");
    expect(result.stderr).not.toContain("line 1999:");
    expect(JSON.parse(readFileSync(out, "utf8")).summary).toMatchObject({ traces: 1, runs: 4 });
  });

  it("the programmatic form routes a piped command's stdout to the stderr writer too", async () => {
    let stdout = "";
    let stderr = "";
    const code = await runRecord(["--json", "--", process.execPath, PROGRAM], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: env(),
      childStdio: "pipe",
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).forest).toHaveLength(1);
    expect(stderr).toContain("line 0:");
  });
});
