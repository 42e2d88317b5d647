import { execFileSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { applyPatch } from "diff";
import { describe, expect, it } from "vitest";
import { formatFixSummary, runFix } from "../../src/cli/fix.js";
import { TEMP_MARKER, writeFileAtomic, FileChangedError } from "../../src/cli/write.js";
import { expectedPath, listCases } from "../codemods/helpers.js";
import { BROKEN_TS, commitAll, git, IDENTITY_TS, LISTENER_TS, LISTENER_TS_FIXED, makeProject, PLAIN_TS, read, snapshot, WEB_GRAPH_TS, writeFiles } from "./project.js";

function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...allFiles(full));
    else out.push(full);
  }
  return out;
}

describe("trace-nesting fix", () => {
  it("fixes every codemod fixture case to its reviewed expected output, and a second run changes nothing", async () => {
    for (const fixture of listCases()) {
      const files: Record<string, string> = {};
      for (const input of fixture.inputs) files[input] = readFileSync(path.join(fixture.dir, input), "utf8");
      const dir = makeProject(files);
      const options = { cwd: dir, settings: fixture.config.settings, strict: fixture.config.strict, jobs: 0 };
      const first = await runFix(options);
      expect(first.errors, fixture.name).toEqual([]);
      for (const input of fixture.inputs) {
        expect(read(dir, input), `${fixture.name}/${input}`).toBe(readFileSync(path.join(fixture.dir, expectedPath(input)), "utf8"));
      }
      const second = await runFix(options);
      expect(second.filesChanged, fixture.name).toBe(0);
      expect(second.fixesApplied).toBe(0);
      expect(snapshot(dir)).toEqual(snapshot(dir));
    }
  });

  it("reports counts, changed files and findings that need a person; exit 1 while such findings remain", async () => {
    const dir = makeProject({ "src/listener.ts": LISTENER_TS, "src/graph.ts": WEB_GRAPH_TS, "src/plain.ts": PLAIN_TS, "src/bus.ts": IDENTITY_TS });
    const progress: string[] = [];
    const summary = await runFix({ cwd: dir, onStart: (total) => progress.push(`start ${total}`), onProgress: (done, total) => progress.push(`${done}/${total}`) });
    expect(progress).toEqual(["start 3", "1/3", "2/3", "3/3"]);
    expect(summary).toMatchObject({
      exitCode: 1,
      dry: false,
      filesScanned: 4,
      skippedByPrecheck: 1,
      filesAnalyzed: 3,
      filesChanged: 2,
      fixesApplied: 3,
      errors: [],
      workers: 0,
    });
    expect(summary.changedFiles.map((f) => f.file).sort()).toEqual(["src/graph.ts", "src/listener.ts"]);
    expect(read(dir, "src/listener.ts")).toBe(LISTENER_TS_FIXED);
    expect(read(dir, "src/graph.ts")).toContain("async (state: { q: string }, config) => {");
    expect(read(dir, "src/graph.ts")).toContain("lookup.invoke(state.q, config)");
    expect(read(dir, "src/graph.ts")).toContain("(isRunnableConfigLike(config) ? logFeedback(config, notes) : logFeedback(notes))");
    expect(read(dir, "src/plain.ts")).toBe(PLAIN_TS);
    expect(read(dir, "src/bus.ts")).toBe(IDENTITY_TS);
    expect(summary.needsPerson).toHaveLength(1);
    expect(summary.needsPerson[0]).toMatchObject({ file: "src/bus.ts", rule: "bind-detached-callback", kind: "suggestion", line: 7, column: 17 });
    expect(summary.needsPerson[0].message).toContain("This `on` listener does traced work");
    expect(summary.needsPerson[0].suggestion).toBe("Wrap the callback in `AsyncLocalStorage.bind(...)` (this changes its identity: update code that removes or compares it).");
    const text = formatFixSummary(summary);
    expect(text).toContain("4 files scanned, 1 skipped by the pre-check, 2 changed, 3 fixes applied.");
    expect(text).toContain("src/bus.ts:7:17");
    expect(text).toContain("suggestion only");
  });

  it("exit 0 when nothing is left to do", async () => {
    const dir = makeProject({ "a.ts": LISTENER_TS, "b.ts": PLAIN_TS });
    expect((await runFix({ cwd: dir })).exitCode).toBe(0);
    const again = await runFix({ cwd: dir });
    expect(again).toMatchObject({ exitCode: 0, filesChanged: 0, fixesApplied: 0, needsPerson: [] });
  });

  it("lists a file that does not parse with its position, never writes it, fixes the others, and exits 2", async () => {
    const dir = makeProject({ "src/broken.ts": BROKEN_TS, "src/listener.ts": LISTENER_TS });
    const summary = await runFix({ cwd: dir });
    expect(summary.exitCode).toBe(2);
    expect(summary.errors).toEqual([{ file: "src/broken.ts", kind: "parse", line: 3, column: 11, message: expect.stringContaining("Expression expected") }]);
    expect(read(dir, "src/broken.ts")).toBe(BROKEN_TS);
    expect(read(dir, "src/listener.ts")).toBe(LISTENER_TS_FIXED);
    expect(formatFixSummary(summary)).toMatch(/src\/broken\.ts:3:11 {2}parse error: .*Expression expected.*\(not written\)/);
  });

  it("leaves a file that is not valid UTF-8 alone and reports it", async () => {
    const dir = makeProject({ "ok.ts": LISTENER_TS });
    const bytes = Buffer.concat([Buffer.from(LISTENER_TS.replace("child(m)", "child(m) /* ")), Buffer.from([0xff, 0xfe]), Buffer.from(" */\n")]);
    writeFileSync(path.join(dir, "latin.ts"), bytes);
    const summary = await runFix({ cwd: dir });
    expect(summary.errors).toEqual([{ file: "latin.ts", kind: "encoding", message: "not valid UTF-8; left unchanged" }]);
    expect(readFileSync(path.join(dir, "latin.ts")).equals(bytes)).toBe(true);
    expect(summary.exitCode).toBe(2);
  });

  it("--dry writes nothing and returns unified diffs that apply to the originals (git apply too)", async () => {
    const dir = makeProject({ "src/listener.ts": LISTENER_TS, "src/graph.ts": WEB_GRAPH_TS, "src/plain.ts": PLAIN_TS });
    commitAll(dir);
    const before = snapshot(dir);
    const summary = await runFix({ cwd: dir, dry: true });
    expect(snapshot(dir)).toEqual(before);
    expect(summary).toMatchObject({ dry: true, filesChanged: 2, fixesApplied: 3, exitCode: 1 });
    const listener = summary.changedFiles.find((f) => f.file === "src/listener.ts")!;
    expect(listener.diff).toMatch(/^--- a\/src\/listener\.ts\n\+\+\+ b\/src\/listener\.ts\n@@ /);
    expect(applyPatch(LISTENER_TS, listener.diff!)).toBe(LISTENER_TS_FIXED);
    const patch = path.join(dir, "..", `${path.basename(dir)}.patch`);
    writeFileSync(patch, summary.changedFiles.map((f) => f.diff).join(""));
    git(dir, "apply", "--check", patch);
    git(dir, "apply", patch);
    expect(read(dir, "src/listener.ts")).toBe(LISTENER_TS_FIXED);
  });

  it("--dry exits 0 when there is nothing to change", async () => {
    const dir = makeProject({ "a.ts": LISTENER_TS_FIXED });
    expect(await runFix({ cwd: dir, dry: true })).toMatchObject({ exitCode: 0, filesChanged: 0, changedFiles: [] });
  });

  it("refuses to write over uncommitted changes, explains why, and writes with --force", async () => {
    const dir = makeProject({ "src/listener.ts": LISTENER_TS, "src/other.ts": PLAIN_TS });
    commitAll(dir);
    writeFileSync(path.join(dir, "src/other.ts"), `${PLAIN_TS}// work in progress\n`);
    const refused = await runFix({ cwd: dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.refused?.dirtyFiles).toEqual(["src/other.ts"]);
    expect(refused.refused?.wouldChange).toEqual(["src/listener.ts"]);
    expect(refused.refused?.reason).toMatch(/uncommitted changes in git.*Nothing was written.*commit or stash.*--dry.*--force/s);
    expect(refused.filesChanged).toBe(0);
    expect(read(dir, "src/listener.ts")).toBe(LISTENER_TS);
    expect(formatFixSummary(refused)).toContain("Refused to write");

    const forced = await runFix({ cwd: dir, force: true });
    expect(forced).toMatchObject({ exitCode: 0, filesChanged: 1 });
    expect(read(dir, "src/listener.ts")).toBe(LISTENER_TS_FIXED);
  });

  it("counts untracked files as uncommitted, and only looks at the paths being fixed", async () => {
    const dir = makeProject({ "app/listener.ts": LISTENER_TS, "docs/notes.md": "notes\n" });
    commitAll(dir);
    writeFiles(dir, { "app/new.ts": PLAIN_TS, "docs/draft.md": "draft\n" });
    const refused = await runFix({ cwd: dir, paths: ["app"] });
    expect(refused.refused?.dirtyFiles).toEqual(["app/new.ts"]);
    git(dir, "add", "app/new.ts");
    git(dir, "commit", "-q", "-m", "new file");
    // docs/ is dirty but not being fixed.
    const written = await runFix({ cwd: dir, paths: ["app"] });
    expect(written).toMatchObject({ exitCode: 0, filesChanged: 1 });
    expect(git(dir, "status", "--porcelain")).toContain("docs/draft.md");
  });

  it("skips node_modules, build output and .gitignore'd files (nested rules and negations too)", async () => {
    const dir = makeProject({
      ".gitignore": "generated/\n*.gen.ts\n",
      "src/app.ts": LISTENER_TS,
      "src/app.gen.ts": LISTENER_TS,
      "generated/client.ts": LISTENER_TS,
      "node_modules/lib/index.ts": LISTENER_TS,
      "dist/app.js": LISTENER_TS,
      "build/app.js": LISTENER_TS,
      "coverage/x.js": LISTENER_TS,
      ".next/server.js": LISTENER_TS,
      "pkg/.gitignore": "local/\n!keep.gen.ts\n",
      "pkg/local/a.ts": LISTENER_TS,
      "pkg/keep.gen.ts": LISTENER_TS,
      "pkg/index.ts": LISTENER_TS,
      "types/api.d.ts": "export declare const traceable: unknown;\n",
    });
    const summary = await runFix({ cwd: dir });
    expect(summary.changedFiles.map((f) => f.file).sort()).toEqual(["pkg/index.ts", "pkg/keep.gen.ts", "src/app.ts"]);
    expect(summary.skippedByGitignore).toBe(3);
    for (const skipped of ["src/app.gen.ts", "generated/client.ts", "node_modules/lib/index.ts", "dist/app.js", "build/app.js", "coverage/x.js", ".next/server.js", "pkg/local/a.ts"]) {
      expect(read(dir, skipped), skipped).toBe(LISTENER_TS);
    }
  });

  it("applies .gitignore rules of the enclosing git work tree and of .git/info/exclude", async () => {
    const dir = makeProject({ ".gitignore": "vendor/\n", "apps/web/src/a.ts": LISTENER_TS, "apps/web/vendor/b.ts": LISTENER_TS, "apps/web/scratch.ts": LISTENER_TS });
    git(dir, "init", "-q");
    writeFileSync(path.join(dir, ".git/info/exclude"), "scratch.ts\n");
    const summary = await runFix({ cwd: path.join(dir, "apps/web"), force: true });
    expect(summary.changedFiles.map((f) => f.file)).toEqual(["src/a.ts"]);
  });

  it("fixes a file named directly even where a directory walk would skip it; --no-ignore walks everything", async () => {
    const dir = makeProject({ "dist/app.js": LISTENER_TS.replace(/: string/g, ""), "src/a.ts": LISTENER_TS });
    const named = await runFix({ cwd: dir, paths: ["dist/app.js"] });
    expect(named.changedFiles.map((f) => f.file)).toEqual(["dist/app.js"]);
    const dir2 = makeProject({ "dist/app.ts": LISTENER_TS, ".gitignore": "ignored.ts\n", "ignored.ts": LISTENER_TS });
    const all = await runFix({ cwd: dir2, noIgnore: true });
    expect(all.changedFiles.map((f) => f.file).sort()).toEqual(["dist/app.ts", "ignored.ts"]);
  });

  it("walks a directory named on the command line even when .gitignore ignores it", async () => {
    const dir = makeProject({ ".gitignore": "vendor/\n", "vendor/lib/a.ts": LISTENER_TS, "vendor/lib/dist/b.ts": LISTENER_TS, "src/c.ts": LISTENER_TS });
    const walked = await runFix({ cwd: dir, dry: true });
    expect(walked.changedFiles.map((f) => f.file)).toEqual(["src/c.ts"]);
    const named = await runFix({ cwd: dir, dry: true, paths: ["vendor/lib"] });
    // Build output inside it is still skipped.
    expect(named.changedFiles.map((f) => f.file)).toEqual(["vendor/lib/a.ts"]);
  });

  it("rejects unknown rules, runtimes and paths with a usage error", async () => {
    const dir = makeProject({ "a.ts": LISTENER_TS });
    await expect(runFix({ cwd: dir, rules: ["no-such-rule"] })).rejects.toThrow(/unknown rule "no-such-rule"; the rules are: bind-detached-callback, bind-queued-task, continue-distributed-trace, continue-trace-in-worker, no-detached-iterator, pass-parent-run-tree, pass-runnable-config, propagate-trace-headers, propagate-trace-to-worker, set-up-async-context/);
    await expect(runFix({ cwd: dir, paths: ["missing"] })).rejects.toThrow(/missing: no such file or directory/);
    await expect(runFix({ cwd: dir, settings: { runtime: "deno" as never } })).rejects.toThrow(/runtime must be/);
    await expect(runFix({ cwd: dir, paths: ["a.ts", "README.md"] })).rejects.toThrow(/no such file|not a JavaScript/);
    expect(read(dir, "a.ts")).toBe(LISTENER_TS);
  });

  it("--rule and --runtime select what is fixed", async () => {
    const dir = makeProject({ "graph.ts": WEB_GRAPH_TS, "listener.ts": LISTENER_TS });
    const onlyBind = await runFix({ cwd: dir, rules: ["bind-detached-callback"], dry: true });
    expect(onlyBind.changedFiles.map((f) => f.file)).toEqual(["listener.ts"]);
    // With runtime node the /web file counts as having AsyncLocalStorage: pass-runnable-config stays silent.
    const node = await runFix({ cwd: dir, rules: ["pass-runnable-config"], runtime: "node", dry: true });
    expect(node.changedFiles).toEqual([]);
    const browser = await runFix({ cwd: dir, rules: ["pass-runnable-config"], runtime: "browser", dry: true });
    expect(browser.changedFiles.map((f) => f.file)).toEqual(["graph.ts"]);
  });

  it("writes atomically: keeps the file mode, follows symlinks, leaves no temporary files", async () => {
    const dir = makeProject({ "src/a.ts": LISTENER_TS, "src/b.ts": LISTENER_TS });
    chmodSync(path.join(dir, "src/a.ts"), 0o751);
    symlinkSync(path.join(dir, "src/b.ts"), path.join(dir, "link.ts"));
    const summary = await runFix({ cwd: dir, paths: ["src", "link.ts"] });
    expect(summary.errors).toEqual([]);
    expect(statSync(path.join(dir, "src/a.ts")).mode & 0o777).toBe(0o751);
    expect(read(dir, "src/b.ts")).toBe(LISTENER_TS_FIXED);
    expect(statSync(path.join(dir, "link.ts"), { throwIfNoEntry: true }).isFile()).toBe(true);
    expect(execFileSync("readlink", [path.join(dir, "link.ts")], { encoding: "utf8" }).trim()).toBe(path.join(dir, "src/b.ts"));
    expect(allFiles(dir).filter((f) => f.includes(TEMP_MARKER))).toEqual([]);
  });

  it("an atomic write never replaces a file that changed meanwhile, and cleans up after a failed write", async () => {
    const dir = makeProject({ "a.ts": "old\n" });
    const file = path.join(dir, "a.ts");
    await expect(writeFileAtomic(file, "new\n", Buffer.from("something else\n"))).rejects.toBeInstanceOf(FileChangedError);
    expect(read(dir, "a.ts")).toBe("old\n");
    chmodSync(dir, 0o555);
    try {
      if (process.getuid?.() !== 0) {
        await expect(writeFileAtomic(file, "new\n")).rejects.toThrow();
        expect(read(dir, "a.ts")).toBe("old\n");
      }
    } finally {
      chmodSync(dir, 0o755);
    }
    await writeFileAtomic(file, "new\n", Buffer.from("old\n"));
    expect(read(dir, "a.ts")).toBe("new\n");
    expect(readdirSync(dir)).toEqual(["a.ts"]);
  });

  it("gives the same result in worker threads as in this thread", async () => {
    const { builtPackage } = await import("./build.js");
    const built = (await import(path.join(builtPackage(), "src/cli/fix.js"))) as typeof import("../../src/cli/fix.js");
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) {
      files[`src/l${i}.ts`] = LISTENER_TS;
      files[`src/g${i}.ts`] = WEB_GRAPH_TS;
      files[`src/p${i}.ts`] = PLAIN_TS;
    }
    files["src/broken.ts"] = BROKEN_TS;
    const inThread = makeProject(files);
    const pooled = makeProject(files);
    const a = await built.runFix({ cwd: inThread, jobs: 0 });
    const b = await built.runFix({ cwd: pooled, jobs: 2 });
    expect(b.workers).toBe(2);
    expect(a.workers).toBe(0);
    const strip = (s: typeof a) => ({ ...s, workers: 0, durationMs: 0, changedFiles: [...s.changedFiles].sort((x, y) => x.file.localeCompare(y.file)) });
    expect(strip(b)).toEqual(strip(a));
    expect(b.filesChanged).toBe(24);
    expect(snapshot(pooled)).toEqual(snapshot(inThread));
  });
});
