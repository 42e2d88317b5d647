/**
 * Zero rule crashes over real code: every JS/TS file shipped in the installed `@langchain/*` packages and
 * `langsmith` is linted with all our rules on (`configs.strict`) under three runtime settings (node, browser,
 * auto with every setting in use). A crash is an exception thrown by a rule; a file the parser rejects is a parse
 * error, counted and reported on its own.
 *
 * Through ESLint, the text pre-check skips most of these files (LangChain's own code rarely makes traced scopes), so
 * the model and the detectors are also run directly on every file that loads a tracing module or queue library,
 * pre-check bypassed: the model must not crash on any real code, whatever a future pre-check lets through.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Linter, type Rule, type SourceCode } from "eslint";
import { glob } from "tinyglobby";
import { afterAll, describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { parseSource } from "../../src/js/parse.js";
import { getModel } from "../../src/js/model.js";
import { loadsTracingApi, precheckFile } from "../../src/js/precheck.js";
import { detectParsed } from "../../src/js/run.js";
import { resolveSettings } from "../../src/js/settings.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const NODE_MODULES = path.join(ROOT, "node_modules");
const EXTENSIONS = "js,cjs,mjs,jsx,ts,cts,mts,tsx";

/** The packages under test: every installed `@langchain/*` package, and `langsmith`. */
function packages(): string[] {
  const scoped = readdirSync(path.join(NODE_MODULES, "@langchain")).map((name) => `@langchain/${name}`);
  return [...scoped.sort(), "langsmith"];
}

interface Crash {
  rule: string;
  runtime: string;
  file: string;
  error: string;
}

const crashes: Crash[] = [];
const parseErrors: { file: string; message: string }[] = [];
/** Per runtime and rule: in how many files the rule set up visitors (i.e. actually analysed the file). */
const analysed = new Map<string, number>();
const findings = new Map<string, number>();
let linted = 0;
/** Per runtime: files the model and detectors analysed with the text pre-check bypassed. */
const modelled = new Map<string, number>();
/** Files the text pre-check would skip although the model finds traced scopes or findings in them. */
const precheckMisses: string[] = [];
/** File and runtime pairs in which the model found traced scopes. */
let scoped = 0;
/** Cheap filter for the direct run: a specifier of a module the second gate looks for. */
const MAY_LOAD = /["'`](?:langsmith|@langchain\/|langchain|p-queue|p-limit|async)/;
let current = { file: "", runtime: "" };

/**
 * The plugin's own rules, each wrapped so that an exception is recorded with its rule, runtime and file and the
 * other rules keep running. Everything else (configs, options, settings handling) is the plugin's.
 */
function wrappedRules(rules: Record<string, Rule.RuleModule>, sink: Crash[]): Record<string, Rule.RuleModule> {
  const out: Record<string, Rule.RuleModule> = {};
  for (const [name, original] of Object.entries(rules)) {
    const record = (error: unknown) => {
      sink.push({ rule: name, runtime: current.runtime, file: current.file, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    };
    out[name] = {
      ...original,
      create(context) {
        let visitors: Rule.RuleListener;
        try {
          visitors = original.create(context);
        } catch (error) {
          record(error);
          return {};
        }
        const handlers = Object.entries(visitors);
        if (handlers.length > 0) {
          const key = `${current.runtime} ${name}`;
          analysed.set(key, (analysed.get(key) ?? 0) + 1);
        }
        const guarded: Rule.RuleListener = {};
        for (const [selector, handler] of handlers) {
          guarded[selector] = (...args: unknown[]) => {
            try {
              (handler as (...a: unknown[]) => void)(...args);
            } catch (error) {
              record(error);
            }
          };
        }
        return guarded;
      },
    };
  }
  return out;
}

const guardedPlugin = { ...plugin, rules: wrappedRules(plugin.rules as unknown as Record<string, Rule.RuleModule>, crashes) };

const RUNTIMES: Record<string, Record<string, unknown>> = {
  node: { runtime: "node" },
  browser: { runtime: "browser" },
  auto: {
    runtime: "auto",
    browserFiles: ["**/web/**", "**/*browser*"],
    traceableWrappers: ["traceableWithMetadata"],
    runnableFactories: ["createRunnable"],
    versions: { "p-queue": "8.1.0" },
  },
};

function configFor(runtime: string): Linter.Config[] {
  return [
    {
      ...plugin.configs.strict,
      plugins: { "trace-nesting": guardedPlugin as never },
      // Shipped files carry directives for rules that are not loaded here; they are not under test.
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
      settings: { "trace-nesting": RUNTIMES[runtime] },
    },
  ];
}

const CONFIGS = Object.fromEntries(Object.keys(RUNTIMES).map((runtime) => [runtime, configFor(runtime)]));
// cwd = node_modules, so that ESLint's default `**/node_modules/` ignore does not apply to the files under test.
const linter = new Linter({ configType: "flat", cwd: NODE_MODULES });

function lintFile(file: string): void {
  const text = readFileSync(file, "utf8");
  let sourceCode: SourceCode | undefined;
  for (const runtime of Object.keys(RUNTIMES)) {
    current = { file, runtime };
    // Parse once; the other runtimes reuse the parsed SourceCode.
    const messages = linter.verify(sourceCode ?? text, CONFIGS[runtime], { filename: file });
    const fatal = messages.find((m) => m.fatal);
    if (fatal) {
      parseErrors.push({ file: path.relative(NODE_MODULES, file), message: `${fatal.line}:${fatal.column} ${fatal.message}` });
      return;
    }
    sourceCode ??= linter.getSourceCode();
    for (const message of messages) {
      const key = `${runtime} ${message.ruleId ?? "(none)"}`;
      findings.set(key, (findings.get(key) ?? 0) + 1);
    }
  }
  linted += 1;
  if (MAY_LOAD.test(text)) modelDirectly(file, text);
}

/** The model and every detector on one file, pre-check bypassed; an exception is a crash of "model". */
function modelDirectly(file: string, text: string): void {
  const parsed = parseSource(text.replace(/^\uFEFF/, ""), file);
  for (const [runtime, settings] of Object.entries(RUNTIMES)) {
    if (!loadsTracingApi(parsed.ast, parsed.text, resolveSettings(settings))) return;
    try {
      const resolved = resolveSettings(settings);
      const found = detectParsed(parsed, { settings, cwd: NODE_MODULES });
      modelled.set(runtime, (modelled.get(runtime) ?? 0) + 1);
      // The pre-check may skip only files where the model finds nothing to analyse.
      const scopes = getModel({ ...parsed, settings: resolved, cwd: NODE_MODULES }).tracedScopes().length;
      if (scopes > 0) scoped++;
      if ((scopes > 0 || found.length > 0) && !precheckFile(parsed.text, resolved, file, NODE_MODULES)) {
        precheckMisses.push(`${runtime} ${path.relative(NODE_MODULES, file)}: ${scopes} traced scopes, ${found.length} findings`);
      }
    } catch (error) {
      crashes.push({ rule: "model (pre-check bypassed)", runtime, file, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
}

describe("the crash harness", () => {
  it("records an exception thrown by a rule, with its rule and file, and keeps linting", () => {
    const sink: Crash[] = [];
    const rules = wrappedRules(
      {
        boom: { create: () => ({ CallExpression: () => { throw new Error("boom"); } }) },
        quiet: { create: (context) => ({ Program: (node) => context.report({ node, message: "ran" }) }) },
      },
      sink,
    );
    const probe = new Linter({ configType: "flat" });
    current = { file: "probe.ts", runtime: "test" };
    const messages = probe.verify("f();", [{ files: ["**/*.ts"], plugins: { probe: { rules } }, rules: { "probe/boom": "error", "probe/quiet": "error" } }], { filename: "probe.ts" });
    expect(sink.map((c) => [c.rule, c.file, c.error.split("\n")[0]])).toEqual([["boom", "probe.ts", "Error: boom"]]);
    expect(messages.map((m) => m.message)).toEqual(["ran"]);
  });
});

describe("zero rule crashes over the installed @langchain/* and langsmith sources", () => {
  const all: string[] = [];

  for (const pkg of packages()) {
    it(`${pkg}: every shipped JS/TS file lints without a rule crash`, async () => {
      const dir = path.join(NODE_MODULES, pkg);
      const files = await glob(`**/*.{${EXTENSIONS}}`, { cwd: dir, absolute: true, ignore: ["**/node_modules/**"], followSymbolicLinks: true });
      all.push(...files);
      const crashesBefore = crashes.length;
      for (const file of files) lintFile(file);
      expect(crashes.slice(crashesBefore)).toEqual([]);
    }, 600_000);
  }

  it("covered the real corpus, and the rules analysed it", () => {
    // Thousands of files: a broken glob or a moved install must not make this pass vacuously.
    expect(all.length).toBeGreaterThan(2000);
    expect(all.some((f) => f.endsWith(".d.ts")) && all.some((f) => f.endsWith(".cjs")) && all.some((f) => f.endsWith(".js"))).toBe(true);
    // A parse error is a problem of our parser setup, not of the rules; it must stay rare (listed in the summary).
    expect(parseErrors.length).toBeLessThan(all.length / 100);
    expect(linted + parseErrors.length).toBe(all.length);
    // Every rule really analysed files in every runtime through ESLint (the files that pass the pre-check), and the
    // model ran on every file that loads a tracing module or queue library (about one in ten of these files).
    for (const runtime of Object.keys(RUNTIMES)) {
      // The py- rules run on Python files only (the trace-nesting/python language); this corpus is JavaScript.
      for (const rule of Object.keys(plugin.rules).filter((name) => !name.startsWith("py-"))) {
        expect(analysed.get(`${runtime} ${rule}`) ?? 0, `${runtime} ${rule}`).toBeGreaterThan(50);
      }
      expect(modelled.get(runtime) ?? 0, `${runtime}: files modelled with the pre-check bypassed`).toBeGreaterThan(all.length / 20);
    }
    // ... and that check had real scopes to compare against.
    expect(scoped).toBeGreaterThan(0);
    expect(precheckMisses).toEqual([]);
  });

  afterAll(() => {
    const lines = [
      `corpus: ${linted + parseErrors.length} files linted under ${Object.keys(RUNTIMES).join(", ")}; rule crashes: ${crashes.length}; parse errors: ${parseErrors.length}`,
      ...parseErrors.slice(0, 20).map((e) => `  parse error: ${e.file} ${e.message}`),
      `  files analysed per runtime and rule: ${JSON.stringify(Object.fromEntries(analysed))}`,
      `  files modelled with the pre-check bypassed, per runtime: ${JSON.stringify(Object.fromEntries(modelled))}`,
      `  messages per runtime and rule: ${JSON.stringify(Object.fromEntries(findings))}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  });
});
