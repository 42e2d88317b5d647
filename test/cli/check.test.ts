import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { ESLint as ESLint9 } from "eslint-9";
import { describe, expect, it } from "vitest";
import { formatGithub, runCheck } from "../../src/cli/check.js";
import plugin from "../../src/index.js";
import { builtPackage } from "./build.js";
import { BROKEN_TS, LISTENER_TS, LISTENER_TS_FIXED, makeProject, PLAIN_TS, WEB_GRAPH_TS } from "./project.js";

const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, "sarif-schema-2.1.0.json"), "utf8")) as Record<string, unknown>;
// Both are CommonJS; their default export is the module itself.
const require = createRequire(import.meta.url);
const AjvDraft04 = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;
const ajv = new AjvDraft04({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

describe("trace-nesting check", () => {
  it("without a project config: our recommended config on every JS/TS extension; exit 1 with findings", async () => {
    const dir = makeProject({
      "a.ts": LISTENER_TS,
      "b.mts": LISTENER_TS,
      "c.cts": LISTENER_TS,
      "d.tsx": LISTENER_TS,
      "e.js": LISTENER_TS.replace(/: string/g, ""),
      "f.mjs": LISTENER_TS.replace(/: string/g, ""),
      "g.cjs": LISTENER_TS.replace(/: string/g, "").replace(/import \{ (\w+) \} from ("[^"]+");/g, "const { $1 } = require($2);").replace("export const", "exports.x ="),
      "h.jsx": LISTENER_TS.replace(/: string/g, ""),
      "plain.ts": PLAIN_TS,
    });
    const result = await runCheck({ cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.configFiles).toEqual([]);
    expect(result.filesScanned).toBe(9);
    expect(result.skippedByPrecheck).toBe(1);
    expect(result.filesLinted).toBe(8);
    expect(result.errorCount).toBe(8);
    for (const r of result.results) {
      expect(r.messages.map((m) => m.ruleId), r.filePath).toEqual(["trace-nesting/bind-detached-callback"]);
    }
    expect(result.output).toContain("trace-nesting/bind-detached-callback");
    expect(result.output).toContain("8 problems (8 errors, 0 warnings)");
  });

  it("exit 0 on clean code; directives naming other plugins' rules are not reported", async () => {
    const dir = makeProject({ "a.ts": `${LISTENER_TS_FIXED}// eslint-disable-next-line @typescript-eslint/no-explicit-any\nexport const x: any = 1;\n`, "b.ts": PLAIN_TS });
    const result = await runCheck({ cwd: dir });
    expect(result).toMatchObject({ exitCode: 0, errorCount: 0, warningCount: 0 });
    // Only the summary line.
    expect(result.output).toBe("trace-nesting check: 2 files found, 1 analysed, 1 skipped by the pre-check, 0 ignored; runtimes: node 1.\n");
  });

  it("exit 2 when a file does not parse, with its position in the report", async () => {
    const dir = makeProject({ "broken.ts": BROKEN_TS, "a.ts": LISTENER_TS });
    const result = await runCheck({ cwd: dir, format: "json" });
    expect(result.exitCode).toBe(2);
    expect(result.fatalErrorCount).toBe(1);
    const broken = result.results.find((r) => r.filePath.endsWith("broken.ts"))!;
    expect(broken.messages[0]).toMatchObject({ fatal: true, line: 3 });
    // The column is ESLint's: @typescript-eslint/parser hands it a 0-based one (10), espree a 1-based one (11).
    expect([10, 11]).toContain(broken.messages[0].column);
    // Findings in the other files are still reported.
    expect(result.results.find((r) => r.filePath.endsWith("a.ts"))!.errorCount).toBe(1);
  });

  it("files the pre-check skips are never parsed: a syntax error there does not count", async () => {
    const dir = makeProject({ "junk.ts": "const = ;\n", "a.ts": LISTENER_TS_FIXED });
    const result = await runCheck({ cwd: dir });
    expect(result).toMatchObject({ exitCode: 0, skippedByPrecheck: 1, filesLinted: 1 });
  });

  it("rejects unknown rules, formats and paths", async () => {
    const dir = makeProject({ "a.ts": LISTENER_TS, "notes/readme.md": "# notes\n" });
    await expect(runCheck({ cwd: dir, rules: ["nope"] })).rejects.toThrow(/unknown rule "nope"/);
    await expect(runCheck({ cwd: dir, format: "xml" as never })).rejects.toThrow(/unknown format "xml"/);
    await expect(runCheck({ cwd: dir, paths: ["nowhere"] })).rejects.toThrow(/nowhere: no such file or directory/);
    // A directory without JS/TS files is not an error (test/cli/check-repos.test.ts).
    expect((await runCheck({ cwd: dir, paths: ["notes"] })).exitCode).toBe(0);
  });

  it("--format json is ESLint's result shape", async () => {
    const dir = makeProject({ "a.ts": LISTENER_TS });
    const result = await runCheck({ cwd: dir, format: "json" });
    const parsed = JSON.parse(result.output) as Record<string, unknown>[];
    expect(parsed).toHaveLength(1);
    expect(Object.keys(parsed[0]).sort()).toEqual(
      ["errorCount", "fatalErrorCount", "filePath", "fixableErrorCount", "fixableWarningCount", "messages", "source", "suppressedMessages", "usedDeprecatedRules", "warningCount"].sort(),
    );
    expect(parsed[0]).toMatchObject({ filePath: path.join(dir, "a.ts"), errorCount: 1, fixableErrorCount: 1 });
    expect((parsed[0].messages as Record<string, unknown>[])[0]).toMatchObject({
      ruleId: "trace-nesting/bind-detached-callback",
      severity: 2,
      messageId: "listener",
      line: 8,
      column: 21,
      fix: expect.objectContaining({ range: expect.any(Array), text: expect.any(String) }),
    });
  });

  it("--format sarif is valid SARIF 2.1.0 with helpUri from the rule docs and relative locations", async () => {
    const dir = makeProject({ "src/a.ts": LISTENER_TS, "src/graph.ts": WEB_GRAPH_TS, "src/broken.ts": BROKEN_TS });
    const result = await runCheck({ cwd: dir, format: "sarif" });
    const log = JSON.parse(result.output) as {
      version: string;
      runs: {
        tool: { driver: { name: string; version: string; rules: { id: string; helpUri: string; shortDescription: { text: string } }[] } };
        results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }[] }[];
        originalUriBaseIds: Record<string, { uri: string }>;
        invocations?: { toolConfigurationNotifications?: unknown[] }[];
      }[];
    };
    const valid = validateSarif(log);
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe("trace-nesting");
    const ruleIds = run.tool.driver.rules.map((r) => r.id).sort();
    expect(ruleIds).toEqual(["trace-nesting/bind-detached-callback", "trace-nesting/pass-runnable-config"]);
    for (const rule of run.tool.driver.rules) {
      expect(rule.helpUri).toBe(plugin.rules[rule.id.slice("trace-nesting/".length)].meta.docs!.url);
      expect(rule.helpUri).toMatch(/^https:\/\/.*\/docs\/rules\/[a-z-]+\.md$/);
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
    }
    expect(run.results.map((r) => r.ruleId).sort()).toEqual(["trace-nesting/bind-detached-callback", "trace-nesting/pass-runnable-config", "trace-nesting/pass-runnable-config"]);
    const location = run.results[0].locations[0].physicalLocation;
    expect(location.artifactLocation).toMatchObject({ uriBaseId: "%SRCROOT%" });
    expect(location.artifactLocation.uri).toMatch(/^src\/[a-z]+\.ts$/);
    expect(run.originalUriBaseIds["%SRCROOT%"].uri).toBe(pathToFileURL(`${dir}/`).href);
    // The parse error is a tool notification, not a result.
    expect(JSON.stringify(run.invocations)).toContain("Expression expected");
    expect(result.exitCode).toBe(2);
  });

  it("the SARIF validation rejects a log that breaks the schema", () => {
    expect(validateSarif({ version: "2.1.0", runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  it("--format github prints workflow annotations", async () => {
    const dir = makeProject({ "src/a.ts": LISTENER_TS, "src/broken.ts": BROKEN_TS });
    const result = await runCheck({ cwd: dir, format: "github" });
    const lines = result.output.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=src\/a\.ts,line=8,endLine=8,col=21,endColumn=44,title=trace-nesting\/bind-detached-callback::This `on` listener does traced work/);
    expect(lines[1]).toMatch(/^::error file=src\/broken\.ts,line=3,col=1[01],title=parse error::Parsing error: /);
  });

  it("github annotations escape newlines, percent signs, commas and colons", () => {
    const out = formatGithub(
      [
        {
          filePath: "/p/a,b:c.ts",
          messages: [{ ruleId: "trace-nesting/x", severity: 1, message: "50% done\nnext line", line: 1, column: 2 }],
          suppressedMessages: [],
          errorCount: 0,
          fatalErrorCount: 0,
          warningCount: 1,
          fixableErrorCount: 0,
          fixableWarningCount: 0,
          usedDeprecatedRules: [],
        },
      ],
      "/p",
    );
    expect(out).toBe("::warning file=a%2Cb%3Ac.ts,line=1,col=2,title=trace-nesting/x::50%25 done%0Anext line\n");
  });

  it("--rule, --runtime and --strict select what is reported", async () => {
    const dir = makeProject({ "graph.ts": WEB_GRAPH_TS, "listener.ts": LISTENER_TS, "node-chain.ts": WEB_GRAPH_TS.replace("@langchain/langgraph/web", "@langchain/langgraph") });
    const rules = async (options: Parameters<typeof runCheck>[0]) =>
      (await runCheck({ cwd: dir, ...options })).results.flatMap((r) => r.messages.map((m) => `${path.basename(r.filePath)} ${m.ruleId}`)).sort();
    expect(await rules({ rules: ["bind-detached-callback"] })).toEqual(["listener.ts trace-nesting/bind-detached-callback"]);
    expect(await rules({ rules: ["pass-runnable-config"] })).toEqual(["graph.ts trace-nesting/pass-runnable-config", "graph.ts trace-nesting/pass-runnable-config"]);
    expect(await rules({ rules: ["pass-runnable-config"], runtime: "node" })).toEqual([]);
    expect(await rules({ rules: ["pass-runnable-config"], runtime: "browser" })).toEqual([
      "graph.ts trace-nesting/pass-runnable-config",
      "graph.ts trace-nesting/pass-runnable-config",
      "node-chain.ts trace-nesting/pass-runnable-config",
      "node-chain.ts trace-nesting/pass-runnable-config",
    ]);
    // strict: the Node graph is a portability hazard.
    expect((await rules({ rules: ["pass-runnable-config"], strict: true })).filter((r) => r.startsWith("node-chain.ts"))).toHaveLength(2);
  });

  it("honours the project's eslint.config.js: its ignores and settings; our config is added where it lacks the plugin", async () => {
    const dir = makeProject({
      "eslint.config.js": `export default [
  { ignores: ["generated/**"] },
  { files: ["**/*.ts"], settings: { "trace-nesting": { runtime: "browser" } } },
];
`,
      "package.json": `{ "type": "module" }\n`,
      "src/graph.ts": WEB_GRAPH_TS.replace("@langchain/langgraph/web", "@langchain/langgraph"),
      "generated/listener.ts": LISTENER_TS,
    });
    const result = await runCheck({ cwd: dir });
    expect(result.configFiles).toEqual([path.join(dir, "eslint.config.js")]);
    expect(result.ignoredByConfig).toBe(1);
    expect(result.filesWithDefaultConfig).toBe(1);
    expect(result.results.map((r) => path.relative(dir, r.filePath))).toEqual(["src/graph.ts"]);
    // runtime "browser" from the project's settings makes the Node graph a no-AsyncLocalStorage file.
    expect(result.results[0].messages.map((m) => m.ruleId)).toEqual(["trace-nesting/pass-runnable-config", "trace-nesting/pass-runnable-config"]);
    // The command line's runtime wins over the project's.
    expect((await runCheck({ cwd: dir, runtime: "node" })).errorCount).toBe(0);
  });

  it("uses the project's own plugin configuration when it loads the plugin, and reports only our rules", async () => {
    const pluginUrl = pathToFileURL(path.join(builtPackage(), "src/index.js")).href;
    const dir = makeProject({
      "eslint.config.mjs": `import traceNesting from ${JSON.stringify(pluginUrl)};
export default [
  traceNesting.configs.recommended,
  { rules: { "trace-nesting/bind-detached-callback": "warn", "no-unused-vars": "error", "no-undef": "error" } },
];
`,
      "a.ts": `${LISTENER_TS}const unused = 1; // eslint-disable-line no-console\n`,
    });
    const result = await runCheck({ cwd: dir });
    expect(result.filesWithDefaultConfig).toBe(0);
    expect(result.results[0].messages.map((m) => [m.ruleId, m.severity])).toEqual([["trace-nesting/bind-detached-callback", 1]]);
    expect(result.exitCode).toBe(1);
    expect((await runCheck({ cwd: dir, maxWarnings: 1 })).exitCode).toBe(0);
    expect((await runCheck({ cwd: dir, maxWarnings: -1 })).exitCode).toBe(0);
  });

  it("paths outside the working directory are usage errors; paths whose files the config all ignores are nothing to check", async () => {
    const outside = makeProject({ "a.ts": LISTENER_TS });
    const dir = makeProject({ "eslint.config.js": `export default [{ ignores: ["vendor/**"] }];\n`, "vendor/a.ts": LISTENER_TS, "src/b.ts": LISTENER_TS });
    await expect(runCheck({ cwd: dir, paths: [outside] })).rejects.toThrow(/is outside the working directory .*: run check from a directory that contains it/);
    expect((await runCheck({ cwd: dir, paths: ["vendor"] })).output).toMatch(/every file under vendor is ignored by the ESLint config \(eslint\.config\.js\); nothing to check/);
    expect((await runCheck({ cwd: dir })).errorCount).toBe(1);
  });

  it("a project config that fails to load is a warning: the run goes on with our config", async () => {
    const dir = makeProject({ "eslint.config.mjs": `import x from "no-such-package-anywhere";\nexport default [x];\n`, "a.ts": LISTENER_TS });
    const result = await runCheck({ cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/^warning: eslint\.config\.mjs could not be loaded: .*no-such-package-anywhere/);
  });

  it("works with ESLint 9 as well", async () => {
    const dir = makeProject({ "a.ts": LISTENER_TS, "graph.ts": WEB_GRAPH_TS, "plain.ts": PLAIN_TS });
    const with9 = await runCheck({ cwd: dir, ESLint: ESLint9 as never, format: "json" });
    const with10 = await runCheck({ cwd: dir, format: "json" });
    const summary = (r: typeof with9) => r.results.map((x) => [path.basename(x.filePath), x.messages.map((m) => [m.ruleId, m.line, m.column])]);
    expect(summary(with9)).toEqual(summary(with10));
    expect(with9.exitCode).toBe(1);
    expect(with9.errorCount).toBe(3);
  });
});
