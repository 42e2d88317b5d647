/** `check` on repositories as they are: configs that do not load, nothing to check, the summary, the footer. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck } from "../../src/cli/check.js";
import { LISTENER_TS, LISTENER_TS_FIXED, makeProject, PLAIN_TS, WEB_GRAPH_TS } from "./project.js";

const MISSING_PLUGIN = `import js from "@no-such-scope/eslint-js";\nexport default [js.configs.recommended];\n`;

describe("check with project configs that do not load", () => {
  it("a config importing a missing package: its files are checked with our config, the report starts with a warning", async () => {
    const dir = makeProject({ "eslint.config.js": MISSING_PLUGIN, "package.json": `{ "type": "module" }\n`, "src/a.ts": LISTENER_TS, "src/plain.ts": PLAIN_TS });
    const result = await runCheck({ cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.errorCount).toBe(1);
    // The config file is a JS file under itself: 3 files.
    expect(result.configProblems).toEqual([{ configFile: path.join(dir, "eslint.config.js"), reason: expect.stringContaining("@no-such-scope/eslint-js"), files: 3 }]);
    expect(result.output.startsWith("warning: eslint.config.js could not be loaded: Cannot find package '@no-such-scope/eslint-js'")).toBe(true);
    expect(result.output).toContain("--no-config-lookup");
    expect(result.output).toContain("trace-nesting/bind-detached-callback");
    expect(result.summary.configsNotLoaded).toEqual([path.join(dir, "eslint.config.js")]);
  });

  it("a syntax error and a .ts config without jiti: named with their reasons; exit never 2 for the config alone", async () => {
    const dir = makeProject({ "eslint.config.mjs": "export default [ {\n", "a.ts": LISTENER_TS_FIXED });
    const result = await runCheck({ cwd: dir, format: "json" });
    expect(result.exitCode).toBe(0);
    expect(result.configProblems[0].reason).toMatch(/Unexpected end of input/);
    // json stays ESLint's array; the warning goes to the notes (stderr).
    expect(JSON.parse(result.output)).toHaveLength(1);
    expect(result.notes).toMatch(/^warning: eslint\.config\.mjs could not be loaded: .*Unexpected end of input/);
    const ts = makeProject({ "eslint.config.ts": "const rules: unknown[] = [];\nexport default rules;\n", "a.ts": LISTENER_TS });
    const tsResult = await runCheck({ cwd: ts });
    expect(tsResult.exitCode).toBe(1);
    expect(tsResult.configProblems[0]).toMatchObject({ configFile: path.join(ts, "eslint.config.ts"), reason: expect.stringMatching(/jiti/) });
  });

  it("in a monorepo, one broken package config affects only the files under it", async () => {
    const dir = makeProject({
      "package.json": `{ "type": "module" }\n`,
      "packages/good/eslint.config.js": `export default [{ ignores: ["generated/**"] }, { settings: { "trace-nesting": { runtime: "browser" } } }];\n`,
      "packages/good/src/graph.ts": WEB_GRAPH_TS.replace("@langchain/langgraph/web", "@langchain/langgraph"),
      "packages/good/generated/a.ts": LISTENER_TS,
      "packages/broken/eslint.config.ts": "export default [] as unknown[];\n",
      "packages/broken/src/a.ts": LISTENER_TS,
    });
    const result = await runCheck({ cwd: dir });
    expect(result.configProblems.map((p) => path.relative(dir, p.configFile))).toEqual(["packages/broken/eslint.config.ts"]);
    expect(result.configProblems[0].files).toBe(2); // src/a.ts and the config file itself
    // The good package's config still applies: its ignores and its runtime setting.
    expect(result.ignoredByConfig).toBe(1);
    const byFile = Object.fromEntries(result.results.map((r) => [path.relative(dir, r.filePath), r.messages.map((m) => m.ruleId)]));
    expect(byFile).toEqual({
      "packages/broken/src/a.ts": ["trace-nesting/bind-detached-callback"],
      "packages/good/src/graph.ts": ["trace-nesting/pass-runnable-config", "trace-nesting/pass-runnable-config"],
    });
    expect(result.exitCode).toBe(1);
  });

  it("--no-config-lookup skips project configs on purpose, without a warning", async () => {
    const dir = makeProject({ "eslint.config.js": `export default [{ ignores: ["a.ts"] }];\n`, "package.json": `{ "type": "module" }\n`, "a.ts": LISTENER_TS });
    expect((await runCheck({ cwd: dir })).exitCode).toBe(0);
    const result = await runCheck({ cwd: dir, noConfigLookup: true });
    expect(result).toMatchObject({ exitCode: 1, errorCount: 1, configFiles: [], configProblems: [], ignoredByConfig: 0 });
    expect(result.output).not.toContain("warning:");
    const broken = makeProject({ "eslint.config.js": MISSING_PLUGIN, "package.json": `{ "type": "module" }\n`, "a.ts": LISTENER_TS });
    expect((await runCheck({ cwd: broken, noConfigLookup: true })).configProblems).toEqual([]);
  });

  it("a config that loads but is invalid for one file is reported at that file only", async () => {
    const dir = makeProject({
      "package.json": `{ "type": "module" }\n`,
      "eslint.config.js": `export default [{ files: ["bad.ts"], languageOptions: { ecmaVersion: "nope" } }];\n`,
      "bad.ts": LISTENER_TS,
      "good.ts": LISTENER_TS,
    });
    const result = await runCheck({ cwd: dir });
    expect(result.configProblems).toEqual([]);
    const bad = result.results.find((r) => r.filePath.endsWith("bad.ts"))!;
    expect(bad.messages).toEqual([expect.objectContaining({ fatal: true, message: expect.stringMatching(/^could not be checked: eslint\.config\.js: .*ecmaVersion/) })]);
    expect(result.results.find((r) => r.filePath.endsWith("good.ts"))!.messages.map((m) => m.ruleId)).toEqual(["trace-nesting/bind-detached-callback"]);
    expect(result.exitCode).toBe(2);
  });

  it("a SARIF run carries the summary in its properties and the config warning as a notification", async () => {
    const dir = makeProject({ "eslint.config.js": MISSING_PLUGIN, "package.json": `{ "type": "module" }\n`, "a.ts": LISTENER_TS });
    const log = JSON.parse((await runCheck({ cwd: dir, format: "sarif" })).output);
    expect(log.runs[0].properties["trace-nesting"].summary).toMatchObject({ filesFound: 2, analysed: 1, runtimes: { node: 1 } });
    expect(log.runs[0].invocations[0].toolConfigurationNotifications[0]).toMatchObject({ level: "warning", message: { text: expect.stringContaining("could not be loaded") } });
    const github = (await runCheck({ cwd: dir, format: "github" })).output;
    expect(github.split("\n")[0]).toMatch(/^::warning file=eslint\.config\.js,title=trace-nesting%3A config not loaded::could not be loaded/);
  });
});

describe("check: nothing to check, the summary line, the footer", () => {
  it("a directory without JS/TS files, or whose files the config all ignores, exits 0 with a one-line note", async () => {
    const dir = makeProject({ "notes/readme.txt": "notes\n", "vendor/a.ts": LISTENER_TS, "eslint.config.js": `export default [{ ignores: ["vendor/**"] }];\n`, "package.json": `{ "type": "module" }\n` });
    const empty = await runCheck({ cwd: dir, paths: ["notes"] });
    expect(empty).toMatchObject({ exitCode: 0, output: "trace-nesting check: no JavaScript, TypeScript or Python files to check under notes; nothing to check.\n" });
    const ignored = await runCheck({ cwd: dir, paths: ["vendor"], format: "json" });
    expect(ignored).toMatchObject({ exitCode: 0, output: "[]\n" });
    expect(ignored.notes).toMatch(/every file under vendor is ignored by the ESLint config \(eslint\.config\.js\); nothing to check/);
    const sarif = JSON.parse((await runCheck({ cwd: dir, paths: ["notes"], format: "sarif" })).output);
    expect(sarif.runs[0].results).toEqual([]);
    await expect(runCheck({ cwd: dir, paths: ["nowhere"] })).rejects.toThrow(/nowhere: no such file or directory/);
  });

  it("the summary counts files found, analysed, skipped, ignored and the runtimes inferred", async () => {
    const dir = makeProject({
      "package.json": `{ "type": "module" }\n`,
      "eslint.config.js": `export default [{ ignores: ["skip/**"] }];\n`,
      "a.ts": LISTENER_TS,
      "web/graph.ts": WEB_GRAPH_TS,
      "plain.ts": PLAIN_TS,
      "skip/x.ts": LISTENER_TS,
    });
    const result = await runCheck({ cwd: dir });
    // eslint.config.js is found too (and skipped by the pre-check).
    expect(result.summary).toEqual({ filesFound: 5, analysed: 2, skippedByPrecheck: 2, ignored: 1, runtimes: { node: 1, "web build": 1 }, configsNotLoaded: [] });
    expect(result.output.trimEnd().split("\n").at(-1)).toBe(
      "trace-nesting check: 5 files found, 2 analysed, 2 skipped by the pre-check, 1 ignored; runtimes: node 1, web build 1.",
    );
    const clean = await runCheck({ cwd: makeProject({ "a.ts": LISTENER_TS_FIXED }) });
    expect(clean.output).toBe("trace-nesting check: 1 file found, 1 analysed, 0 skipped by the pre-check, 0 ignored; runtimes: node 1.\n");
  });

  it("the fixable footer names trace-nesting fix", async () => {
    const result = await runCheck({ cwd: makeProject({ "a.ts": LISTENER_TS }) });
    expect(result.output).toContain("potentially fixable with `trace-nesting fix` (or `trace-nesting check --fix`)");
    expect(result.output).not.toContain("`--fix` option");
  });

  it("a LangGraph `runtime` parameter is named as such, apart from the AsyncLocalStorage verdict", async () => {
    const dir = makeProject({
      "graph.ts": `import { StateGraph, type Runtime } from "@langchain/langgraph/web";
import { RunnableLambda } from "@langchain/core/runnables";

const lookup = RunnableLambda.from(async (q: string) => q);
export const graph = new StateGraph({ channels: {} }).addNode("notes", async (state: { q: string }, runtime: Runtime) => {
  await lookup.invoke(state.q);
  return {};
});
`,
    });
    const [message] = (await runCheck({ cwd: dir })).results[0].messages;
    expect(message.message).toMatch(/^`lookup.invoke` is called inside a graph node "notes" without its `runtime`: this file runs without AsyncLocalStorage \(imports @langchain\/langgraph\/web\)/);
    expect(message.message).toContain("Passing `runtime` as the call's config nests it with or without AsyncLocalStorage.");
  });
});
