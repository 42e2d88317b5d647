import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { builtPackage } from "./build.js";
import { BROKEN_TS, commitAll, IDENTITY_TS, LISTENER_TS, LISTENER_TS_FIXED, makeProject, PLAIN_TS, read, snapshot, WEB_GRAPH_TS } from "./project.js";

let bin: string;
beforeAll(() => {
  bin = path.join(builtPackage(), "src/cli.js");
});

function cli(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the trace-nesting bin", () => {
  // Nine runs of the bin: generous on a loaded machine.
  it("check: exit codes 0 (clean), 1 (findings), 2 (parse error, usage error)", { timeout: 240_000 }, () => {
    expect(cli(makeProject({ "a.ts": LISTENER_TS_FIXED }), "check")).toMatchObject({
      code: 0,
      stdout: "trace-nesting check: 1 file found, 1 analysed, 0 skipped by the pre-check, 0 ignored; runtimes: node 1.\n",
    });
    const findings = cli(makeProject({ "a.ts": LISTENER_TS }), "check");
    expect(findings.code).toBe(1);
    expect(findings.stdout).toContain("trace-nesting/bind-detached-callback");
    const broken = cli(makeProject({ "a.ts": BROKEN_TS }), "check", "--format", "json");
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("1 file could not be parsed");
    const dir = makeProject({ "a.ts": LISTENER_TS });
    expect(cli(dir, "check", "--rule", "nope")).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown rule "nope"') });
    expect(cli(dir, "check", "--runtime", "deno")).toMatchObject({ code: 2, stderr: expect.stringContaining("Allowed choices are node, browser, auto") });
    expect(cli(dir, "check", "--format", "xml")).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown format "xml"') });
    expect(cli(dir, "check", "--no-such-option")).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown option") });
    expect(cli(dir, "check", "missing-dir")).toMatchObject({ code: 2, stderr: expect.stringContaining("missing-dir: no such file or directory") });
  });

  it("check --fix applies the fixes like fix, then reports what is left; --no-config-lookup; json keeps notes on stderr", () => {
    const dir = makeProject({ "src/a.ts": LISTENER_TS, "graph.ts": WEB_GRAPH_TS, "src/bus.ts": IDENTITY_TS });
    const fixed = cli(dir, "check", "--fix");
    expect(fixed.code).toBe(1); // the listener removed by identity gets a suggestion only: it needs a person
    expect(fixed.stderr).toContain("2 changed");
    expect(read(dir, "src/a.ts")).toBe(LISTENER_TS_FIXED);
    expect(read(dir, "src/bus.ts")).toBe(IDENTITY_TS);
    expect(fixed.stdout).toContain("trace-nesting/bind-detached-callback");
    expect(fixed.stdout).toContain("src/bus.ts");
    expect(fixed.stdout).not.toContain("pass-runnable-config");
    expect(cli(dir, "check", "--force")).toMatchObject({ code: 2, stderr: expect.stringContaining("--force only applies with --fix") });
    const broken = makeProject({ "eslint.config.mjs": `import x from "not-installed-plugin";\nexport default [x];\n`, "a.ts": LISTENER_TS });
    const json = cli(broken, "check", "--format", "json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toHaveLength(1);
    expect(json.stderr).toMatch(/^warning: eslint\.config\.mjs could not be loaded: Cannot find package 'not-installed-plugin'/);
    expect(json.stderr).toContain("trace-nesting check: 2 files found");
    const noLookup = cli(broken, "check", "--no-config-lookup");
    expect(noLookup.code).toBe(1);
    expect(noLookup.stdout).not.toContain("warning:");
    expect(cli(makeProject({ "docs/a.txt": "x\n" }), "check", "docs")).toMatchObject({ code: 0, stdout: "trace-nesting check: no JavaScript, TypeScript or Python files to check under docs; nothing to check.\n" });
  });

  it("check --rule accepts several names, --output-file writes the report", () => {
    const dir = makeProject({ "a.ts": LISTENER_TS, "graph.ts": WEB_GRAPH_TS });
    const both = cli(dir, "check", "--rule", "bind-detached-callback", "pass-runnable-config", "--format", "json");
    expect(JSON.parse(both.stdout).flatMap((r: { messages: unknown[] }) => r.messages)).toHaveLength(3);
    const comma = cli(dir, "check", "--rule", "bind-detached-callback,bind-queued-task", "--format", "json");
    expect(JSON.parse(comma.stdout).flatMap((r: { messages: unknown[] }) => r.messages)).toHaveLength(1);
    const out = cli(dir, "check", "-f", "sarif", "-o", "reports/trace.sarif");
    expect(out).toMatchObject({ code: 1, stdout: "" });
    expect(JSON.parse(read(dir, "reports/trace.sarif")).version).toBe("2.1.0");
  });

  it("fix: writes, prints a summary, and exits 0 when nothing is left", () => {
    const dir = makeProject({ "src/a.ts": LISTENER_TS, "src/plain.ts": PLAIN_TS });
    const result = cli(dir, "fix");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("trace-nesting fix: 2 files scanned, 1 skipped by the pre-check, 1 changed, 1 fixes applied.");
    expect(result.stdout).toContain("src/a.ts  (1 fix)");
    expect(read(dir, "src/a.ts")).toBe(LISTENER_TS_FIXED);
    expect(cli(dir, "fix").stdout).toContain("0 changed, 0 fixes applied.");
  });

  it("fix --dry prints a patch on stdout and the summary on stderr, writes nothing, exits 1", () => {
    const dir = makeProject({ "src/a.ts": LISTENER_TS });
    const before = snapshot(dir);
    const result = cli(dir, "fix", "--dry");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^--- a\/src\/a\.ts\n\+\+\+ b\/src\/a\.ts\n@@ -1,\d+ \+1,\d+ @@\n/);
    expect(result.stdout).toContain('+import { AsyncLocalStorage } from "node:async_hooks";');
    expect(result.stderr).toContain("1 would change, 1 fixes to apply; nothing written (--dry).");
    expect(snapshot(dir)).toEqual(before);
  });

  it("fix --json prints the summary as data, with no progress bar or colour", () => {
    const dir = makeProject({ "graph.ts": WEB_GRAPH_TS, "broken.ts": BROKEN_TS });
    const result = cli(dir, "fix", "--json");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("");
    const summary = JSON.parse(result.stdout);
    expect(Object.keys(summary).sort()).toEqual(
      [
        "changedFiles",
        "dry",
        "durationMs",
        "errors",
        "exitCode",
        "filesAnalyzed",
        "filesChanged",
        "filesScanned",
        "fixesApplied",
        "needsPerson",
        "skippedByGitignore",
        "skippedByPrecheck",
        "workers",
      ].sort(),
    );
    expect(summary).toMatchObject({
      exitCode: 2,
      filesScanned: 2,
      filesChanged: 1,
      changedFiles: [{ file: "graph.ts", fixesApplied: 2 }],
      errors: [{ file: "broken.ts", kind: "parse", line: 3, column: 11 }],
      needsPerson: [],
    });
    expect(read(dir, "broken.ts")).toBe(BROKEN_TS);
  });

  it("fix refuses a dirty git tree with exit 2 and a clear message; --force writes", () => {
    const dir = makeProject({ "a.ts": LISTENER_TS, "b.ts": PLAIN_TS });
    commitAll(dir);
    const original = readFileSync(path.join(dir, "b.ts"), "utf8");
    writeFileSync(path.join(dir, "b.ts"), `${original}// edited\n`);
    const refused = cli(dir, "fix");
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain("Refused to write: 1 file under the paths to fix has uncommitted changes in git.");
    expect(refused.stdout).toContain("  b.ts");
    expect(read(dir, "a.ts")).toBe(LISTENER_TS);
    expect(cli(dir, "fix", "--force").code).toBe(0);
    expect(read(dir, "a.ts")).toBe(LISTENER_TS_FIXED);
  });

  it("fix --jobs runs worker threads; bad values are usage errors", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`f${i}.ts`] = LISTENER_TS;
    const dir = makeProject(files);
    const result = cli(dir, "fix", "--jobs", "2", "--json");
    expect(JSON.parse(result.stdout)).toMatchObject({ workers: 2, filesChanged: 6, exitCode: 0 });
    expect(cli(dir, "fix", "--jobs", "-1")).toMatchObject({ code: 2, stderr: expect.stringContaining("--jobs must be a whole number") });
  });

  it("--settings takes inline JSON or a file", () => {
    const queue = `import PQueue from "p-queue";
import { traceable } from "langsmith/traceable";
const queue = new PQueue({ concurrency: 1 });
const work = traceable(async () => 1, { name: "work" });
export const run = traceable(async () => queue.add(() => work()), { name: "run" });
`;
    const dir = makeProject({ "q.ts": queue, "settings.json": `{ "versions": { "p-queue": "8.0.0" } }` });
    // Outside any install the version is unknown and the rule stays silent; the settings supply it.
    expect(cli(dir, "check").code).toBe(0);
    expect(cli(dir, "check", "--settings", '{"versions":{"p-queue":"8.0.0"}}').code).toBe(1);
    expect(cli(dir, "check", "--settings", '{"versions":{"p-queue":"10.0.0"}}').code).toBe(0);
    expect(cli(dir, "fix", "--dry", "--settings", "settings.json").stdout).toContain("queue.add(AsyncLocalStorage.bind(() => work()))");
    expect(cli(dir, "fix", "--settings", "{oops")).toMatchObject({ code: 2, stderr: expect.stringContaining("--settings: not valid JSON") });
  });

  it("--help lists the commands and options", () => {
    const help = cli(process.cwd(), "fix", "--help");
    expect(help.code).toBe(0);
    for (const option of ["--dry", "--force", "--json", "--runtime", "--rule", "--strict", "--settings", "--no-ignore", "--jobs"]) expect(help.stdout).toContain(option);
    const checkHelp = cli(process.cwd(), "check", "--help").stdout;
    for (const option of ["--format", "--max-warnings", "--output-file", "--runtime", "--rule"]) expect(checkHelp).toContain(option);
  });
});
