/** Notebooks and Markdown/MDX documents: check reports at the right cell/line/column, fix edits only what it must. */
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCheck } from "../../src/cli/check.js";
import { setPythonCellLinter } from "../../src/cli/embedded.js";
import { runFix } from "../../src/cli/fix.js";
import { notebookCells } from "../../src/processors/notebook.js";
import { LISTENER_TS, LISTENER_TS_FIXED, makeProject, read } from "./project.js";
import plugin from "../../src/index.js";

const lines = (s: string) => s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
const indent = (s: string, by: string) => s.replace(/^(?=.)/gm, by);
const LISTENER_JS = LISTENER_TS.replace(/: string/g, "");
const LISTENER_JS_FIXED = LISTENER_TS_FIXED.replace(/: string/g, "");

/** nbformat 4 as Jupyter writes it (indent 1, a float in an output, metadata keys in Jupyter's order). */
function notebook(cells: unknown[], language = "typescript"): string {
  const nb = {
    cells,
    metadata: { kernelspec: { display_name: "Deno", language, name: "deno" }, language_info: { name: language, version: "5.6.2" }, zeta: 1, alpha: 2 },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(nb, null, 1)}\n`;
}
const markdownCell = { cell_type: "markdown", id: "m1", metadata: {}, source: ["# Splits\n", "A listener."] };
const outputCell = {
  cell_type: "code",
  execution_count: 1,
  id: "c1",
  metadata: { tags: ["setup"] },
  outputs: [{ name: "stdout", output_type: "stream", text: ["1.5\n"] }],
  source: lines("const ratio = 1.5;\nconsole.log(ratio);"),
};
const NOTEBOOK = notebook([markdownCell, outputCell, { cell_type: "code", execution_count: 2, id: "c2", metadata: {}, outputs: [], source: lines(LISTENER_TS) }]).replace('"zeta": 1,', '"zeta": 1.50,');

const MARKDOWN = `# Tracing guide

\`\`\`ts
${LISTENER_TS}\`\`\`

1. In a list:

   \`\`\`js
${indent(LISTENER_JS, "   ")}   \`\`\`

A fragment is not an error:

\`\`\`ts
const answer = await chain.invoke(...);
\`\`\`
`;

const MDX = `import { Tabs, TabItem } from "@site/tabs";

<Tabs>
<TabItem value="ts">

\`\`\`typescript
${LISTENER_TS}\`\`\`

</TabItem>
</Tabs>
`;

afterEach(() => setPythonCellLinter(undefined));

describe("check reads notebooks and Markdown/MDX code blocks", () => {
  it("reports at the right notebook cell, line and column, and at the document's line in Markdown/MDX", async () => {
    const dir = makeProject({ "nb/demo.ipynb": NOTEBOOK, "docs/guide.md": MARKDOWN, "docs/page.mdx": MDX, "docs/CHANGELOG.md": "# 1.0\n" });
    const result = await runCheck({ cwd: dir, format: "json" });
    const where = Object.fromEntries(
      result.results.map((r) => [path.relative(dir, r.filePath), r.messages.map((m) => [m.ruleId, m.line, m.column, m.message.slice(0, 8)])]),
    );
    expect(where).toEqual({
      "docs/guide.md": [
        ["trace-nesting/bind-detached-callback", 11, 21, "This `on"],
        ["trace-nesting/bind-detached-callback", 25, 24, "This `on"],
      ],
      "docs/page.mdx": [["trace-nesting/bind-detached-callback", 14, 21, "This `on"]],
      "nb/demo.ipynb": [["trace-nesting/bind-detached-callback", 8, 21, "cell 3: "]],
    });
    // The fragment does not parse: skipped, not a parse error (exit 1, not 2).
    expect(result.exitCode).toBe(1);
    expect(result.summary).toMatchObject({ filesFound: 4, analysed: 3, skippedByPrecheck: 1 });
    expect(MARKDOWN.split("\n")[10]).toContain('bus.on("message", (m: string) => child(m));');
    expect(MARKDOWN.split("\n")[24].slice(23)).toMatch(/^\(m\) => child\(m\)/);
  });

  it("a JavaScript cell magic in a Python notebook is read as JavaScript; Python cells go to the Python hook", async () => {
    const nb = notebook(
      [
        { cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: lines("import langsmith\nprint(1)\n") },
        { cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: lines(`%%javascript\n${LISTENER_JS}`) },
      ],
      "python",
    );
    expect(notebookCells(nb).map((c) => c.language)).toEqual(["python", "javascript"]);
    const dir = makeProject({ "a.ipynb": nb });
    const received: unknown[] = [];
    setPythonCellLinter((cells, file) => {
      received.push(...cells.map((c) => [c.cell, c.source, path.basename(file)]));
      return [{ cell: 1, rule: "pass-runnable-config", messageId: "x", message: "from the Python engine", kind: "none", line: 1, column: 1, endLine: 1, endColumn: 5 }];
    });
    const result = await runCheck({ cwd: dir, format: "json" });
    expect(received).toContainEqual([1, "import langsmith\nprint(1)\n", "a.ipynb"]);
    expect(result.results[0].messages.map((m) => [m.line, m.column, m.message.slice(0, 14)])).toEqual([
      [9, 21, "cell 2: This `"], // line 1 is the magic
      [1, 1, "cell 1: from t"],
    ]);
  });
});

describe("fix writes notebooks and documents back", () => {
  it("a notebook: only the edited cell's source changes; metadata, outputs, other cells, key order and indentation are kept", async () => {
    const dir = makeProject({ "demo.ipynb": NOTEBOOK });
    const summary = await runFix({ cwd: dir, jobs: 0 });
    expect(summary).toMatchObject({ exitCode: 0, filesChanged: 1, fixesApplied: 1 });
    const after = read(dir, "demo.ipynb");
    const expected = NOTEBOOK.replace(
      JSON.stringify(lines(LISTENER_TS), null, 1).replace(/\n/g, "\n   ").replace(/\]$/, "]"),
      JSON.stringify(lines(LISTENER_TS_FIXED), null, 1).replace(/\n/g, "\n   ").replace(/\]$/, "]"),
    );
    expect(expected).not.toBe(NOTEBOOK);
    expect(after).toBe(expected);
    expect(NOTEBOOK).toContain('"zeta": 1.50,');
    expect(after).toContain('"zeta": 1.50,'); // untouched metadata keeps its bytes (JSON.stringify would write 1.5)
    expect(Object.keys(JSON.parse(after).metadata)).toEqual(["kernelspec", "language_info", "zeta", "alpha"]);
    expect((await runFix({ cwd: dir, jobs: 0 })).filesChanged).toBe(0);
  });

  it("a notebook cell's source stored as one string stays one string; a cell magic line stays", async () => {
    const nb = notebook([{ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: `%%javascript\n${LISTENER_JS}` }], "python");
    const dir = makeProject({ "a.ipynb": nb });
    await runFix({ cwd: dir, jobs: 0 });
    expect(JSON.parse(read(dir, "a.ipynb")).cells[0].source).toBe(`%%javascript\n${LISTENER_JS_FIXED}`);
  });

  it("Markdown and MDX: the code blocks are fixed in place (indented blocks stay indented), fragments left alone", async () => {
    const dir = makeProject({ "guide.md": MARKDOWN, "page.mdx": MDX });
    const summary = await runFix({ cwd: dir, jobs: 0 });
    expect(summary).toMatchObject({ exitCode: 0, filesChanged: 2, fixesApplied: 3 });
    expect(read(dir, "guide.md")).toBe(MARKDOWN.replace(LISTENER_TS, LISTENER_TS_FIXED).replace(indent(LISTENER_JS, "   "), indent(LISTENER_JS_FIXED, "   ")));
    expect(read(dir, "page.mdx")).toBe(MDX.replace(LISTENER_TS, LISTENER_TS_FIXED));
  });

  it("findings that need a person name the notebook cell", async () => {
    // A module-level listener removed later by identity: binding it would change what `off` removes, so a suggestion only.
    const bus = `import { EventEmitter } from "node:events";
import { traceable } from "langsmith/traceable";
const child = traceable(async (m: unknown) => m, { name: "child" });
export const bus = new EventEmitter();
const onMsg = (m: unknown) => child(m);
export const parent = traceable(async () => {
  bus.on("msg", onMsg);
  return () => bus.off("msg", onMsg);
}, { name: "parent" });
`;
    const dir = makeProject({ "a.ipynb": notebook([markdownCell, { cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: lines(bus) }]) });
    const summary = await runFix({ cwd: dir, jobs: 0 });
    expect(summary.needsPerson).toEqual([expect.objectContaining({ file: "a.ipynb", cell: 2, line: 7, rule: "bind-detached-callback", message: expect.stringMatching(/^cell 2: This `on` listener does traced work/) })]);
  });

  it("ESLint users: @eslint/markdown's processor for Markdown, the plugin's trace-nesting/notebook processor for notebooks", async () => {
    const { ESLint } = await import("eslint");
    const markdown = (await import("@eslint/markdown")).default;
    const dir = makeProject({ "a.ipynb": NOTEBOOK, "b.md": MARKDOWN });
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ["**/*.md"], plugins: { markdown: markdown as never }, processor: "markdown/markdown" },
        { files: ["**/*.ipynb"], plugins: { "trace-nesting": plugin as never }, processor: "trace-nesting/notebook" },
        plugin.configs.recommended,
      ],
    });
    const results = await eslint.lintFiles(["a.ipynb", "b.md"]);
    const ours = (r: (typeof results)[number]) => r.messages.filter((m) => m.ruleId?.startsWith("trace-nesting/")).map((m) => [m.line, m.column, m.message.slice(0, 8)]);
    expect(results.map(ours)).toEqual([[[8, 21, "cell 3: "]], [[11, 21, "This `on"], [25, 24, "This `on"]]]);
  });
});
