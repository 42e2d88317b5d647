/**
 * The documentation's examples are linted with the plugin, so that the docs cannot drift from the rules.
 *
 * Pages: every `docs/rules/<rule>.md` (one per rule in `plugin.rules`) and `docs/settings.md`.
 *
 * Every fenced block in `ts`, `tsx`, `mts`, `cts`, `js`, `jsx`, `mjs`, `cjs` or `python` (linted with `configs.python`)
 * on those pages must carry a marker:
 * an HTML comment on the line right before the opening fence.
 *
 *     <!-- incorrect -->        at least one problem from the page's rule, and no parse error
 *     <!-- correct -->          no problem from any trace-nesting rule, and no parse error
 *
 * Attributes, in any order after the kind; values in double or single quotes (single quotes suit JSON):
 *
 *     filename="agent.ts"                 the file name to lint as (default `example.<lang>`). It decides
 *                                         TypeScript vs JavaScript, CommonJS vs ESM for fixes, and `browserFiles`
 *                                         matching (relative to the repository root).
 *     settings='{"runtime":"browser"}'    JSON for `settings["trace-nesting"]` (default: none, so runtime "auto").
 *     config="strict"                     the plugin config to lint with: "recommended" (default), "strict" or
 *                                         "distributed".
 *     rule="bind-queued-task"             (incorrect) the rule that must report; default the page's rule.
 *                                         Required on pages that are not a rule's page (docs/settings.md).
 *     fixed                               (correct, no other attribute) the block is exactly the text that fixing
 *                                         the nearest incorrect block above it produces: ESLint's autofixes, then,
 *                                         for problems that only offer suggestions, their first suggestion, until
 *                                         nothing changes. It is linted with that incorrect block's attributes.
 *
 * Example:
 *
 *     <!-- incorrect filename="src/web/agent.ts" settings='{"browserFiles":["src/web/**"]}' -->
 *     ```ts
 *     ...
 *     ```
 */
import { Linter } from "eslint";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RULES_DIR = path.join(ROOT, "docs", "rules");
const SETTINGS_PAGE = path.join(ROOT, "docs", "settings.md");
const LANGS = new Set(["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "python"]);
const ATTRIBUTES = new Set(["filename", "settings", "config", "rule", "fixed"]);
const NAMESPACE = "trace-nesting";

interface Example {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  kind: "incorrect" | "correct";
  code: string;
  filename: string;
  settings: Record<string, unknown> | undefined;
  config: "recommended" | "strict" | "distributed";
  rule: string | undefined;
  /** For `fixed` blocks: the incorrect example whose fixed output this block shows. */
  fixedFrom?: Example;
}

class MarkerError extends Error {}

function parseAttributes(text: string, where: string): Map<string, string | true> {
  const attributes = new Map<string, string | true>();
  const pattern = /\s*([a-z-]+)(?:=(?:"([^"]*)"|'([^']*)'))?/gy;
  let rest = text;
  while (rest.trim() !== "") {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (!match || match[0].trim() === "") throw new MarkerError(`${where}: cannot read marker attributes at "${rest.trim()}"`);
    const name = match[1];
    if (!ATTRIBUTES.has(name)) throw new MarkerError(`${where}: unknown marker attribute "${name}"`);
    if (attributes.has(name)) throw new MarkerError(`${where}: attribute "${name}" given twice`);
    const value = match[2] ?? match[3];
    attributes.set(name, value ?? true);
    rest = rest.slice(match[0].length);
  }
  return attributes;
}

/** Every marked example of a page; throws MarkerError on an unmarked code block or a malformed marker. */
function parseExamples(page: string, markdown: string, pageRule: string | undefined): Example[] {
  const lines = markdown.split(/\r?\n/);
  const examples: Example[] = [];
  let lastIncorrect: Example | undefined;
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(`{3,}|~{3,})\s*([A-Za-z]*)/.exec(lines[i]);
    if (!fence) continue;
    const [, indent, ticks, lang] = fence;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith(`${indent}${ticks}`); i++) body.push(lines[i].slice(indent.length));
    if (i >= lines.length) throw new MarkerError(`${page}:${start + 1}: code block is never closed`);
    if (!LANGS.has(lang)) continue;
    const where = `${page}:${start + 1}`;
    const marker = /^\s*<!--\s*(incorrect|correct)\b(.*?)-->\s*$/.exec(lines[start - 1] ?? "");
    if (!marker) throw new MarkerError(`${where}: \`${lang}\` block without a <!-- incorrect --> or <!-- correct --> marker on the line before`);
    const kind = marker[1] as "incorrect" | "correct";
    const attributes = parseAttributes(marker[2], where);
    const code = body.join("\n") + "\n";
    if (attributes.has("fixed")) {
      if (kind !== "correct") throw new MarkerError(`${where}: "fixed" is only for correct blocks`);
      if (attributes.size > 1) throw new MarkerError(`${where}: a "fixed" block takes its attributes from its incorrect block`);
      if (!lastIncorrect) throw new MarkerError(`${where}: "fixed" block with no incorrect block above it`);
      examples.push({ ...lastIncorrect, line: start + 1, kind, code, rule: undefined, fixedFrom: lastIncorrect });
      continue;
    }
    const config = attributes.get("config") ?? "recommended";
    if (config !== "recommended" && config !== "strict" && config !== "distributed") throw new MarkerError(`${where}: config must be "recommended", "strict" or "distributed"`);
    const filename = attributes.get("filename") ?? `example.${lang === "python" ? "py" : lang}`;
    if (filename === true) throw new MarkerError(`${where}: filename needs a value`);
    const settingsText = attributes.get("settings");
    let settings: Record<string, unknown> | undefined;
    if (settingsText !== undefined) {
      if (settingsText === true) throw new MarkerError(`${where}: settings needs a JSON value`);
      try {
        settings = JSON.parse(settingsText) as Record<string, unknown>;
      } catch (error) {
        throw new MarkerError(`${where}: settings is not JSON: ${(error as Error).message}`);
      }
    }
    const ruleAttr = attributes.get("rule");
    if (ruleAttr === true) throw new MarkerError(`${where}: rule needs a value`);
    if (ruleAttr !== undefined && kind !== "incorrect") throw new MarkerError(`${where}: "rule" is only for incorrect blocks`);
    const rule = kind === "incorrect" ? (ruleAttr ?? pageRule) : undefined;
    if (kind === "incorrect" && !rule) throw new MarkerError(`${where}: incorrect block needs rule="<rule>" on this page`);
    if (rule && !(rule in plugin.rules)) throw new MarkerError(`${where}: no rule "${rule}"`);
    const example: Example = { page, line: start + 1, kind, code, filename, settings, config, rule };
    examples.push(example);
    if (kind === "incorrect") lastIncorrect = example;
  }
  return examples;
}

const linter = new Linter({ cwd: ROOT });

function configFor(example: Example): Linter.Config[] {
  // Python blocks are linted with the Python language and rules (configs.python).
  const base = example.filename.endsWith(".py") ? plugin.configs.python : plugin.configs[example.config];
  return [{ ...base, settings: example.settings ? { [NAMESPACE]: example.settings } : {} }];
}

function lint(example: Example, code = example.code) {
  return linter.verify(code, configFor(example), { filename: example.filename });
}

/** Autofixes, then first suggestions, until nothing changes (the same order a user gets from `--fix` then the editor). */
function fixCompletely(example: Example): string {
  let text = example.code;
  for (let pass = 0; pass < 10; pass++) {
    const fixed = linter.verifyAndFix(text, configFor(example), { filename: example.filename });
    text = fixed.output;
    const withSuggestion = fixed.messages.find((m) => m.ruleId?.startsWith(`${NAMESPACE}/`) && m.suggestions && m.suggestions.length > 0);
    if (!withSuggestion) return text;
    const { range, text: replacement } = withSuggestion.suggestions![0].fix;
    text = text.slice(0, range[0]) + replacement + text.slice(range[1]);
  }
  throw new Error(`${example.page}:${example.line}: fixes did not converge`);
}

function describeProblems(messages: Linter.LintMessage[]): string[] {
  return messages.map((m) => `${m.line}:${m.column} ${m.ruleId ?? "(parser)"}: ${m.message}`);
}

function loadPage(file: string, pageRule: string | undefined): Example[] {
  return parseExamples(path.relative(ROOT, file), readFileSync(file, "utf8"), pageRule);
}

const ruleNames = Object.keys(plugin.rules).sort();
const pageFiles = existsSync(RULES_DIR) ? readdirSync(RULES_DIR).filter((f) => f.endsWith(".md")).sort() : [];

describe("marker syntax", () => {
  it("reads kinds and attributes", () => {
    const md = [
      "<!-- incorrect filename=\"src/agent.ts\" settings='{\"runtime\":\"browser\"}' config=\"strict\" -->",
      "```ts",
      "a();",
      "```",
      "<!-- correct fixed -->",
      "```ts",
      "b();",
      "```",
      "```json",
      "{}",
      "```",
    ].join("\n");
    const [incorrect, fixed] = parseExamples("page.md", md, "bind-queued-task");
    expect(incorrect).toMatchObject({ kind: "incorrect", line: 2, filename: "src/agent.ts", settings: { runtime: "browser" }, config: "strict", rule: "bind-queued-task", code: "a();\n" });
    expect(fixed).toMatchObject({ kind: "correct", line: 6, filename: "src/agent.ts", config: "strict", code: "b();\n", fixedFrom: incorrect });
  });

  it("rejects unmarked blocks, unknown attributes, bad JSON and orphan fixed blocks", () => {
    expect(() => parseExamples("p.md", "```ts\nx;\n```", "bind-queued-task")).toThrow(/p\.md:1: `ts` block without/);
    expect(() => parseExamples("p.md", "<!-- correct colour=\"red\" -->\n```js\nx;\n```", undefined)).toThrow(/unknown marker attribute "colour"/);
    expect(() => parseExamples("p.md", "<!-- correct settings='{runtime}' -->\n```js\nx;\n```", undefined)).toThrow(/settings is not JSON/);
    expect(() => parseExamples("p.md", "<!-- correct fixed -->\n```js\nx;\n```", undefined)).toThrow(/no incorrect block above/);
    expect(() => parseExamples("p.md", "<!-- incorrect -->\n```js\nx;\n```", undefined)).toThrow(/needs rule=/);
    expect(() => parseExamples("p.md", "<!-- incorrect rule=\"no-such-rule\" -->\n```js\nx;\n```", undefined)).toThrow(/no rule "no-such-rule"/);
  });
});

describe("every rule is documented", () => {
  it.each(ruleNames)("%s has a page under docs/rules/, linked from meta.docs.url", (name) => {
    const url = plugin.rules[name].meta.docs?.url;
    expect(url).toBeTypeOf("string");
    expect(url!.endsWith(`docs/rules/${name}.md`)).toBe(true);
    expect(existsSync(path.join(RULES_DIR, `${name}.md`))).toBe(true);
  });

  it("every page belongs to a rule", () => {
    expect(pageFiles.map((f) => f.replace(/\.md$/, ""))).toEqual(ruleNames);
  });

  it.each(ruleNames)("%s: the page names the rule and documents every option", (name) => {
    const text = readFileSync(path.join(RULES_DIR, `${name}.md`), "utf8");
    expect(text.split("\n")[0]).toContain(name);
    const schema = plugin.rules[name].meta.schema as unknown as { properties?: Record<string, unknown> }[];
    const options = Object.keys(schema[0]?.properties ?? {});
    expect(options).toContain("autofix");
    const optionsSection = /^## Options\n([\s\S]*?)(?=^## )/m.exec(text)?.[1] ?? "";
    for (const option of options) expect(optionsSection).toContain(`\`${option}\``);
  });

  it("the README's rule table lists every rule", () => {
    const readme = path.join(ROOT, "README.md");
    expect(existsSync(readme), "README.md is missing").toBe(true);
    const text = readFileSync(readme, "utf8");
    for (const name of ruleNames) expect(text, `README.md does not mention ${name}`).toContain(name);
  });
});

for (const name of ruleNames) {
  const file = path.join(RULES_DIR, `${name}.md`);
  if (!existsSync(file)) continue;
  describe(`docs/rules/${name}.md`, () => {
    const examples = loadPage(file, name);

    it("has incorrect and correct examples", () => {
      expect(examples.filter((e) => e.kind === "incorrect" && e.rule === name).length).toBeGreaterThan(0);
      expect(examples.filter((e) => e.kind === "correct").length).toBeGreaterThan(0);
    });

    describeExamples(examples);
  });
}

describe("docs/settings.md", () => {
  it("exists", () => {
    expect(existsSync(SETTINGS_PAGE)).toBe(true);
  });
  if (existsSync(SETTINGS_PAGE)) describeExamples(loadPage(SETTINGS_PAGE, undefined));
});

function describeExamples(examples: Example[]): void {
  for (const example of examples) {
    const title = `${example.kind}${example.fixedFrom ? " (fixed)" : ""} example at line ${example.line} (${example.filename}, ${example.config})`;
    it(title, () => {
      const messages = lint(example);
      const fatal = messages.filter((m) => m.fatal);
      expect(describeProblems(fatal), "parse errors").toEqual([]);
      const ours = messages.filter((m) => m.ruleId?.startsWith(`${NAMESPACE}/`));
      if (example.kind === "incorrect") {
        const fromRule = ours.filter((m) => m.ruleId === `${NAMESPACE}/${example.rule}`);
        expect(fromRule.length, `expected a problem from ${example.rule}; got ${JSON.stringify(describeProblems(messages))}`).toBeGreaterThan(0);
      } else {
        expect(describeProblems(ours)).toEqual([]);
      }
      if (example.fixedFrom) {
        expect(fixCompletely(example.fixedFrom)).toBe(example.code);
      }
    });
  }
}
