import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cleanEnv, fixture } from "./helpers.js";

// The installed bin, as users run it. It needs `npm run build` (CI builds in `npm ci` via `prepare`); this test
// builds nothing itself.
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/src/cli.js");

describe("trace-nesting record through the built bin", () => {
  it("forwards Ctrl-C to the command, then prints everything it traced and exits with its code", async () => {
    expect(existsSync(BIN), `${BIN} is missing: run \`npm run build\` first`).toBe(true);
    const child = spawn(process.execPath, [BIN, "record", "--no-color", "--", process.execPath, fixture("wait-signal.mjs")], {
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const ready = new Promise<void>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("ready")) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    await ready;
    child.kill("SIGINT");
    const code = await exited;
    expect(err).toBe("");
    expect(code).toBe(42);
    expect(out).toMatch(/^ready\ngot SIGINT\nbefore-signal {2}chain {2}(?:\d+ms|\d+\.\d+s)\non-signal {2}chain {2}(?:\d+ms|\d+\.\d+s)\n\n2 traces, 2 runs\n$/);
  });
});
