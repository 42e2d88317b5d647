/** The composite GitHub Action: its check step, run with bash as the runner would, against the built bin. */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { builtPackage, REPO } from "./build.js";
import { LISTENER_TS, makeProject, read } from "./project.js";

const require = createRequire(import.meta.url);
const yaml = require("js-yaml") as { load(text: string): unknown };

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}
const action = yaml.load(readFileSync(path.join(REPO, "action.yml"), "utf8")) as {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
};

function runCheckStep(dir: string, inputs: Record<string, string>) {
  const step = action.runs.steps.find((s) => s.id === "check")!;
  const output = path.join(dir, "github-output");
  writeFileSync(output, "");
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_OUTPUT: output, NO_COLOR: "1" };
  for (const [name, input] of Object.entries(action.inputs)) env[`INPUT_${name.toUpperCase().replace(/-/g, "_")}`] = inputs[name] ?? input.default ?? "";
  const result = spawnSync("bash", ["-e", "-c", step.run!], { cwd: dir, env, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, outputs: readFileSync(output, "utf8") };
}

describe("action.yml", () => {
  it("is a composite action: check with --format github, optional SARIF upload, fails on findings", () => {
    expect(action.runs.using).toBe("composite");
    const upload = action.runs.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif"))!;
    expect(upload.if).toContain("inputs.upload-sarif == 'true'");
    expect(action.inputs["upload-sarif"].default).toBe("false");
  });

  it("the check step annotates findings, records the exit code and writes SARIF when asked", () => {
    const dir = makeProject({ "src/a.ts": LISTENER_TS });
    // The project's installed copy is preferred over npx.
    mkdirSync(path.join(dir, "node_modules/.bin"), { recursive: true });
    const shim = path.join(dir, "node_modules/.bin/trace-nesting");
    writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(builtPackage(), "src/cli.js"))} "$@"\n`);
    chmodSync(shim, 0o755);
    const result = runCheckStep(dir, { paths: "src", "upload-sarif": "true" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^::error file=src\/a\.ts,line=8,endLine=8,col=21,endColumn=\d+,title=trace-nesting\/bind-detached-callback::/m);
    expect(result.outputs).toBe("exit-code=1\n");
    expect(JSON.parse(read(dir, "trace-nesting.sarif")).runs[0].results).toHaveLength(1);
    const cleanDir = makeProject({ "a.ts": "export const x = 1;\n", "node_modules/.bin/trace-nesting": readFileSync(shim, "utf8") });
    chmodSync(path.join(cleanDir, "node_modules/.bin/trace-nesting"), 0o755);
    const clean = runCheckStep(cleanDir, {});
    expect(clean.outputs).toBe("exit-code=0\n");
  });
});
