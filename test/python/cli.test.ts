import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck, withCliFooter } from "../../src/cli/check.js";
import { runFix } from "../../src/cli/fix.js";
import { makeProject, read } from "../cli/project.js";
import { LISTENER_TS as BROKEN_TS } from "../cli/project.js";

const BROKEN_PY = `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable


@traceable
def child(x):
    return x


@traceable
def parent(xs):
    with ThreadPoolExecutor() as ex:
        return [f.result() for f in [ex.submit(child, x) for x in xs]]
`;

const FIXED_PY = `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable
from langsmith.utils import ContextThreadPoolExecutor


@traceable
def child(x):
    return x


@traceable
def parent(xs):
    with ContextThreadPoolExecutor() as ex:
        return [f.result() for f in [ex.submit(child, x) for x in xs]]
`;

const PLAIN_PY = `import threading


def work():
    threading.Thread(target=print).start()
`;

const GRAPH_PY = `from langgraph.graph import StateGraph
from langchain_openai import ChatOpenAI

model = ChatOpenAI()


async def node(state):
    return {"out": await model.ainvoke(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
`;

describe("check and fix on Python files", () => {
  it("check reports .py findings next to JS ones; the pre-check skips files that import no tracing module", async () => {
    const dir = makeProject({ "pyproject.toml": '[project]\nrequires-python = ">=3.11"\n', "app.py": BROKEN_PY, "plain.py": PLAIN_PY, "a.ts": BROKEN_TS });
    const result = await runCheck({ cwd: dir, format: "json" });
    expect(result.exitCode).toBe(1);
    const byFile = Object.fromEntries(result.results.map((r) => [path.basename(r.filePath), r.messages.map((m) => m.ruleId)]));
    expect(byFile["app.py"]).toEqual(["trace-nesting/py-context-to-thread"]);
    expect(byFile["plain.py"]).toBeUndefined();
    expect(byFile["a.ts"]?.length).toBeGreaterThan(0);
    expect(result.skippedByPrecheck).toBeGreaterThanOrEqual(1);
    const json = JSON.parse(result.output) as { filePath: string; messages: { message: string; fix?: unknown }[] }[];
    const py = json.find((r) => r.filePath.endsWith("app.py"))!;
    expect(py.messages[0].message).toContain('Python 3.11: pyproject.toml requires-python ">=3.11"');
    expect(py.messages[0].fix).toBeDefined();
  });

  it("check --lang python prints ESLint's stylish report without building an ESLint instance, counting the .py files found", async () => {
    const dir = makeProject({ "pyproject.toml": '[project]\nrequires-python = ">=3.11"\n', "app.py": BROKEN_PY, "plain.py": PLAIN_PY });
    const unused = class {
      constructor() {
        throw new Error("ESLint is not needed for a stylish report of Python files");
      }
    };
    const result = await runCheck({ cwd: dir, lang: "python", ESLint: unused as never });
    expect(result.exitCode).toBe(1);
    const { ESLint } = await import("eslint");
    const expected = await (await new ESLint({ cwd: dir }).loadFormatter("stylish")).format(result.results);
    expect(result.output).toContain(withCliFooter(expected).trimEnd());
    expect(result.output).toContain("trace-nesting check: 2 files found, 1 analysed, 1 skipped by the pre-check");
  });

  it("--lang restricts the files; --python sets the version", async () => {
    const dir = makeProject({ "app.py": BROKEN_PY, "graph.py": GRAPH_PY, "a.ts": BROKEN_TS });
    const onlyPy = await runCheck({ cwd: dir, lang: "python", python: "3.10" });
    expect(onlyPy.results.map((r) => path.basename(r.filePath)).sort()).toEqual(["app.py", "graph.py"]);
    expect(onlyPy.results.find((r) => r.filePath.endsWith("graph.py"))!.messages.map((m) => m.ruleId)).toEqual(["trace-nesting/py-pass-config-pre-311"]);
    const on311 = await runCheck({ cwd: dir, lang: "python", python: "3.11" });
    // On 3.11 no rule applies to the graph: the pre-check skips it unparsed.
    expect(on311.results.some((r) => r.filePath.endsWith("graph.py"))).toBe(false);
    expect(on311.results.find((r) => r.filePath.endsWith("app.py"))!.messages.map((m) => m.ruleId)).toEqual(["trace-nesting/py-context-to-thread"]);
    const onlyJs = await runCheck({ cwd: dir, lang: "js" });
    expect(onlyJs.results.map((r) => path.basename(r.filePath))).toEqual(["a.ts"]);
    await expect(runCheck({ cwd: dir, python: "three" })).rejects.toThrow(/Python version/);
    await expect(runCheck({ cwd: dir, lang: "python", paths: ["missing"] })).rejects.toThrow(/missing: no such file or directory/);
    // Nothing to check is no error (exit 0, a one-line note); only paths that do not exist are.
    expect(await runCheck({ cwd: dir, lang: "python", paths: ["a.ts"] })).toMatchObject({ exitCode: 0, output: "trace-nesting check: no Python files to check under a.ts; nothing to check.\n" });
  });

  it("every format carries Python findings (sarif, github)", async () => {
    const dir = makeProject({ "app.py": BROKEN_PY });
    const sarif = JSON.parse((await runCheck({ cwd: dir, format: "sarif" })).output) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.runs[0].results.map((r) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri])).toEqual([["trace-nesting/py-context-to-thread", "app.py"]]);
    const github = (await runCheck({ cwd: dir, format: "github" })).output;
    expect(github).toMatch(/^::error file=app\.py,line=13,/);
  });

  it("a .py file that does not parse exits 2", async () => {
    // A file the pre-check passes (a traceable and a thread pool); files it skips are never parsed.
    const dir = makeProject({ "bad.py": "from langsmith import traceable\nfrom concurrent.futures import ThreadPoolExecutor\ndef broken(:\n    pool.submit(f)\n" });
    const result = await runCheck({ cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.fatalErrorCount).toBe(1);
  });

  it("fix rewrites .py files (named or found), twice is once", async () => {
    const dir = makeProject({ "app.py": BROKEN_PY, "pkg/graph.py": GRAPH_PY, "pyproject.toml": '[project]\nrequires-python = ">=3.10"\n' });
    const summary = await runFix({ cwd: dir, force: true });
    expect(summary.errors).toEqual([]);
    expect(summary.changedFiles.map((f) => f.file).sort()).toEqual(["app.py", "pkg/graph.py"]);
    expect(readFileSync(path.join(dir, "app.py"), "utf8")).toBe(FIXED_PY);
    expect(readFileSync(path.join(dir, "pkg/graph.py"), "utf8")).toContain("async def node(state, config):");
    const again = await runFix({ cwd: dir, force: true });
    expect(again.changedFiles).toEqual([]);
    expect(again.exitCode).toBe(0);
    const named = await runFix({ cwd: dir, paths: ["app.py"], force: true, dry: true });
    expect(named.filesScanned).toBe(1);
  });

  it("fix --lang js leaves .py files alone; --rule selects Python rules", async () => {
    const dir = makeProject({ "app.py": BROKEN_PY, "graph.py": GRAPH_PY });
    const js = await runFix({ cwd: dir, lang: "js", force: true, dry: true });
    expect(js.changedFiles).toEqual([]);
    const onlyConfig = await runFix({ cwd: dir, rules: ["py-pass-config-pre-311"], python: "3.9", force: true, dry: true });
    expect(onlyConfig.changedFiles.map((f) => f.file)).toEqual(["graph.py"]);
  });

  it("notebook Python cells: cells share one namespace, findings are reported at their cell and line", async () => {
    const code = (source: string) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: source.match(/[^\n]*\n|[^\n]+$/g) ?? [] });
    const nb = `${JSON.stringify(
      {
        cells: [
          code("%pip install langsmith\nfrom concurrent.futures import ThreadPoolExecutor\nfrom langsmith import traceable\n"),
          { cell_type: "markdown", metadata: {}, source: ["# Fan out"] },
          code("@traceable\ndef child(x):\n    return x\n"),
          code("@traceable\ndef parent(xs):\n    with ThreadPoolExecutor() as ex:\n        return [f.result() for f in [ex.submit(child, x) for x in xs]]\n"),
        ],
        metadata: { kernelspec: { display_name: "Python 3", language: "python", name: "python3" }, language_info: { name: "python" } },
        nbformat: 4,
        nbformat_minor: 5,
      },
      null,
      1,
    )}\n`;
    const dir = makeProject({ "demo.ipynb": nb });
    const result = await runCheck({ cwd: dir, format: "json", python: "3.11" });
    const messages = result.results.find((r) => r.filePath.endsWith("demo.ipynb"))!.messages;
    expect(messages.map((m) => [m.ruleId, m.line, m.column, m.message.slice(0, 8)])).toEqual([["trace-nesting/py-context-to-thread", 4, 38, "cell 4: "]]);
    expect(result.exitCode).toBe(1);
    // A look-alike notebook (ContextThreadPoolExecutor) reports nothing.
    const clean = makeProject({ "demo.ipynb": nb.replace('"from concurrent.futures import ThreadPoolExecutor\\n"', '"from langsmith.utils import ContextThreadPoolExecutor as ThreadPoolExecutor\\n"') });
    expect(read(clean, "demo.ipynb")).toContain("ContextThreadPoolExecutor as ThreadPoolExecutor");
    const cleanResult = await runCheck({ cwd: clean, format: "json", python: "3.11" });
    expect(cleanResult.results.flatMap((r) => r.messages)).toEqual([]);
  });
});
