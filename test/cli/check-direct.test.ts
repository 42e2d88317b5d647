/**
 * `check` runs our detectors itself on files without a project ESLint config and hands ESLint only the files where
 * ESLint may report something (src/cli/check-direct.ts). The report must be ESLint's, byte for byte: here ESLint
 * itself, with the very config `check` uses there, lints every analysed file, and the two reports are compared.
 */
import { cpSync } from "node:fs";
import path from "node:path";
import { ESLint, type Linter } from "eslint";
import { describe, expect, it } from "vitest";
import { onlyOurMessages, runCheck } from "../../src/cli/check.js";
import { fastParser } from "../../src/js/fast-parser.js";
import plugin from "../../src/index.js";
import { BROKEN_TS, LISTENER_TS, LISTENER_TS_FIXED, makeProject, PLAIN_TS, WEB_GRAPH_TS } from "./project.js";

const repo = path.resolve(import.meta.dirname, "../..");

/** A subclass that records which files ESLint was asked to lint. */
function recordingEslint(): { ESLint: typeof ESLint; linted: string[] } {
  const linted: string[] = [];
  class Recording extends ESLint {
    override async lintFiles(patterns: string | string[]): Promise<ESLint.LintResult[]> {
      linted.push(...(Array.isArray(patterns) ? patterns : [patterns]));
      return super.lintFiles(patterns);
    }
  }
  return { ESLint: Recording, linted };
}

/** ESLint's own report with `check`'s config for files without a project config, our messages kept (as `check` does). */
async function eslintReport(cwd: string, files: string[], strict: boolean, rules?: string[]): Promise<ESLint.LintResult[]> {
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      { ignores: ["!**/node_modules/"] },
      strict ? plugin.configs.strict : plugin.configs.recommended,
      { languageOptions: { parser: fastParser } },
      { linterOptions: { reportUnusedDisableDirectives: "off" } },
    ] as Linter.Config[],
    ruleFilter: ({ ruleId }) => ruleId.startsWith("trace-nesting/") && (!rules || rules.includes(ruleId.slice("trace-nesting/".length))),
  });
  const results = await eslint.lintFiles(files);
  for (const result of results) onlyOurMessages(result);
  return results.sort((a, b) => a.filePath.localeCompare(b.filePath));
}

/** Every runtime fixture and app, and the cases where ESLint must have its say. */
function project(): string {
  const dir = makeProject({
    // Comments ESLint reads: a suppressed finding, an inline config turning a strict-only option on, `eslint-env`.
    "directives/disabled.ts": LISTENER_TS.replace("  bus.on(", "  // eslint-disable-next-line trace-nesting/bind-detached-callback\n  bus.on("),
    "directives/other-plugin.ts": `${LISTENER_TS_FIXED}// eslint-disable-next-line @typescript-eslint/no-explicit-any\nexport const x: any = 1;\n`,
    "directives/inline-config.ts": `/* eslint trace-nesting/bind-detached-callback: "off" */\n${LISTENER_TS}`,
    "directives/env.js": `/* eslint-env node */\n${LISTENER_TS.replace(/: string/g, "")}`,
    // What ESLint's JavaScript language does to a text before parsing: a BOM is dropped, a shebang is a comment.
    "text/bom.ts": `\uFEFF${LISTENER_TS}`,
    "text/shebang.js": `#!/usr/bin/env node\n${LISTENER_TS.replace(/: string/g, "")}`,
    "text/clean-shebang.mjs": `#!/usr/bin/env node\n${LISTENER_TS_FIXED.replace(/: string/g, "")}`,
    "text/crlf.ts": LISTENER_TS.replace(/\n/g, "\r\n"),
    "text/broken.ts": BROKEN_TS,
    "text/plain.ts": PLAIN_TS,
    "text/web.ts": WEB_GRAPH_TS,
    "text/common.cjs": `const { traceable } = require("langsmith/traceable");\nconst { EventEmitter } = require("node:events");\nconst bus = new EventEmitter();\nconst child = traceable(async (m) => m);\nexports.parent = traceable(async () => { bus.on("m", (m) => child(m)); });\n`,
    "text/clean.ts": LISTENER_TS_FIXED,
  });
  cpSync(path.join(repo, "fixtures/runtime"), path.join(dir, "runtime"), { recursive: true });
  cpSync(path.join(repo, "fixtures/apps"), path.join(dir, "apps"), { recursive: true });
  return dir;
}

describe("check without a project config: our detectors, then ESLint where it may report", () => {
  const dir = project();

  for (const variant of [{ strict: false }, { strict: true }, { strict: false, rules: ["pass-runnable-config", "bind-queued-task"] }]) {
    it(`reports exactly what ESLint reports (${JSON.stringify(variant)})`, async () => {
      const { ESLint: Recording, linted } = recordingEslint();
      const result = await runCheck({ cwd: dir, format: "json", noIgnore: true, ESLint: Recording, ...variant });
      const files = result.results.map((r) => r.filePath);
      expect(files.length).toBeGreaterThan(100);
      const expected = await eslintReport(dir, files, variant.strict, variant.rules);
      expect(JSON.stringify(result.results)).toBe(JSON.stringify(expected));
      expect(result.output).toBe(`${JSON.stringify(expected)}\n`);

      // ESLint linted the files with something to report, or comments it reads, and no other.
      const withFindings = new Set(expected.filter((r) => r.messages.length > 0).map((r) => r.filePath));
      const readsComments = new Set(files.filter((f) => /directives[\\/]/.test(f)));
      const handed = new Set(linted.map((f) => path.resolve(dir, f)));
      for (const file of withFindings) expect(handed, file).toContain(file);
      for (const file of readsComments) expect(handed, file).toContain(file);
      for (const file of handed) expect(withFindings.has(file) || readsComments.has(file), file).toBe(true);
      expect(files.length - handed.size).toBeGreaterThan(20); // the detectors alone answered for these
    });
  }

  it("hands ESLint the files it must report on: parse errors, suppressed findings, findings in texts with a BOM or shebang", async () => {
    const { ESLint: Recording, linted } = recordingEslint();
    const result = await runCheck({ cwd: dir, paths: ["text", "directives"], format: "json", ESLint: Recording });
    const byName = new Map(result.results.map((r) => [path.relative(dir, r.filePath).split(path.sep).join("/"), r]));
    expect(byName.get("text/broken.ts")?.fatalErrorCount).toBe(1);
    expect(byName.get("text/web.ts")?.messages.length).toBeGreaterThan(0);
    for (const name of ["text/bom.ts", "text/shebang.js", "text/crlf.ts", "text/common.cjs"]) {
      expect(byName.get(name)?.messages.map((m) => m.ruleId), name).toEqual(["trace-nesting/bind-detached-callback"]);
    }
    // ESLint 10 reports an `eslint-env` comment as an error of its own, besides our finding.
    expect(byName.get("directives/env.js")?.messages.map((m) => m.ruleId)).toContain("trace-nesting/bind-detached-callback");
    for (const name of ["directives/disabled.ts", "directives/inline-config.ts", "directives/other-plugin.ts", "text/clean.ts", "text/clean-shebang.mjs"]) {
      expect(byName.get(name)?.messages, name).toEqual([]);
    }
    expect(byName.get("directives/disabled.ts")?.suppressedMessages.map((m) => m.ruleId)).toEqual(["trace-nesting/bind-detached-callback"]);
    const handed = linted.map((f) => path.relative(dir, path.resolve(dir, f)).split(path.sep).join("/")).sort();
    expect(handed).toEqual([
      "directives/disabled.ts",
      "directives/env.js",
      "directives/inline-config.ts",
      "directives/other-plugin.ts",
      "text/bom.ts",
      "text/broken.ts",
      "text/common.cjs",
      "text/crlf.ts",
      "text/shebang.js",
      "text/web.ts",
    ]);
  });
});
