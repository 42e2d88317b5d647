import { writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PyModel } from "../../src/python/model.js";
import { initPythonParser, parsePython, PythonParseError } from "../../src/python/parse.js";
import { projectFor } from "../../src/python/project.js";
import { resolvePySettings } from "../../src/python/settings.js";
import { clearPythonTargetCache, lowestAllowed, pythonTarget } from "../../src/python/version.js";
import { pythonPrecheck } from "../../src/python/index.js";
import { isOwnedUrl } from "../../src/python/urls.js";
import { tempProject } from "./helpers.js";

beforeAll(async () => {
  await initPythonParser();
});

function model(code: string, files: Record<string, string> = {}, filename = "app.py"): PyModel {
  const dir = tempProject({ ...files, [filename]: code });
  const settings = resolvePySettings({});
  const file = path.join(dir, filename);
  return new PyModel(parsePython(code, file), code, file, pythonTarget(file, "3.10"), settings, projectFor(file, settings));
}

describe("Python parser", () => {
  it("offsets are string indices (non-ASCII before a node)", () => {
    const code = 'x = "é😀"\ny = 1\n';
    const tree = parsePython(code);
    expect(tree.rootNode.namedChildren[1]!.startIndex).toBe(code.indexOf("y = 1"));
  });
  it("reports the position of a syntax error", () => {
    expect(() => parsePython("def f(:\n    pass\n", "bad.py")).toThrow(PythonParseError);
  });
});

describe("Python model", () => {
  it("resolves imports and aliases", () => {
    const m = model(`import langsmith as ls
from langsmith.run_helpers import traceable as tr
import concurrent.futures
from langchain_core.runnables import RunnableLambda as RL

a = ls.traceable
b = tr
c = concurrent.futures.ThreadPoolExecutor
d = RL
`);
    const values = ["a", "b", "c", "d"].map((name) => m.qualifiedName(m.valuesOf(name, m.root)[0]));
    expect(values).toEqual(["langsmith.traceable", "langsmith.run_helpers.traceable", "concurrent.futures.ThreadPoolExecutor", "langchain_core.runnables.RunnableLambda"]);
  });

  it("traced scopes: decorators, wrappers, graph nodes; traced work through helpers and parameters", () => {
    const m = model(`from langsmith import traceable
from langchain_core.tools import tool
from langchain_core.runnables import RunnableLambda
from langgraph.func import task
from langgraph.graph import StateGraph


@traceable(name="x")
def a(): ...


@tool
def b(): ...


def c(): ...


wrapped = RunnableLambda(c)


@task
async def d(): ...


def e(state): ...


StateGraph(dict).add_node("e", e)


def helper():
    return a()


def plain():
    return 1


def runner(fn):
    return fn()


def caller():
    runner(helper)
`);
    const fn = (name: string) => m.functions.find((f) => f.name === name)!;
    expect(["a", "b", "c", "d", "e", "helper", "plain"].map((n) => m.isTracedScope(fn(n)))).toEqual([true, true, true, true, true, false, false]);
    expect(m.graphNodeKind(fn("d"))).toBe("task");
    expect(m.graphNodeKind(fn("e"))).toBe("add_node");
    expect(m.functionDoesTracedWork(fn("helper"))).toBe(true);
    expect(m.functionDoesTracedWork(fn("plain"))).toBe(false);
    const call = m.callsIn(fn("runner").body)[0];
    expect(m.callDoesTracedWork(call)).toBe(true);
  });

  it("project index: traced helpers in other modules, nodes registered in other files", () => {
    const m = model(
      `from .steps import step, plain


async def node(state):
    return step(state)
`,
      {
        "pkg/__init__.py": "",
        "pkg/steps.py": "from langsmith import traceable\n\n\n@traceable\ndef step(x):\n    return x\n\n\ndef plain(x):\n    return x\n",
        "pkg/graph.py": "from langgraph.graph import StateGraph\nfrom pkg.nodes import node\n\nb = StateGraph(dict)\nb.add_node('n', node)\n",
      },
      "pkg/nodes.py",
    );
    const node = m.functions.find((f) => f.name === "node")!;
    expect(m.graphNodeKind(node)).toBe("add_node");
    const [stepCall] = m.callsIn(node.body);
    expect(m.callDoesTracedWork(stepCall)).toBe(true);
    expect(m.project!.importedDoesTracedWork(m.filename, ".steps", "plain")).toBe(false);
  });
});

describe("target Python version", () => {
  it("lowest version a range allows", () => {
    expect(lowestAllowed(">=3.10")).toBe("3.10");
    expect(lowestAllowed(">=3.9,<3.13")).toBe("3.9");
    expect(lowestAllowed("<4,>=3.11")).toBe("3.11");
    expect(lowestAllowed("~=3.10.2")).toBe("3.10");
    expect(lowestAllowed("^3.8 || ^3.11")).toBe("3.8");
    expect(lowestAllowed("==3.12.*")).toBe("3.12");
    expect(lowestAllowed("<3.12")).toBeUndefined();
  });

  it("reads pyproject.toml, setup.cfg, .python-version, runtime.txt, in that order; unknown: lowest supported", () => {
    clearPythonTargetCache();
    const a = tempProject({ "app.py": "" }, '[project]\nname = "a"\nrequires-python = ">=3.11"\n');
    expect(pythonTarget(path.join(a, "app.py"))).toMatchObject({ version: "3.11", source: 'pyproject.toml requires-python ">=3.11"' });
    const b = tempProject({ "setup.cfg": "[options]\npython_requires = >=3.8\n", "src/app.py": "" }, "[tool.black]\n");
    expect(pythonTarget(path.join(b, "src/app.py"))).toMatchObject({ version: "3.8", source: 'setup.cfg python_requires ">=3.8"' });
    const c = tempProject({ ".python-version": "3.10.13\n", "app.py": "" }, "[tool.black]\n");
    expect(pythonTarget(path.join(c, "app.py")).version).toBe("3.10");
    const d = tempProject({ "runtime.txt": "python-3.12.1\n", "app.py": "" }, "[tool.black]\n");
    expect(pythonTarget(path.join(d, "app.py"))).toMatchObject({ version: "3.12", source: 'runtime.txt "python-3.12.1"' });
    const e = tempProject({ "app.py": "" }, "[tool.poetry.dependencies]\npython = \"^3.10\"\n");
    expect(pythonTarget(path.join(e, "app.py")).version).toBe("3.10");
    const f = tempProject({ ".git/HEAD": "", "app.py": "" }, "[tool.black]\n");
    expect(pythonTarget(path.join(f, "app.py")).source).toMatch(/assumed the lowest supported/);
    expect(pythonTarget(path.join(a, "app.py"), "3.9")).toMatchObject({ version: "3.9", source: 'the "python" setting "3.9"' });
    writeFileSync(path.join(f, "pyproject.toml"), '[project]\nrequires-python = ">=3.12"\n');
    clearPythonTargetCache();
    expect(pythonTarget(path.join(f, "app.py")).version).toBe("3.12");
  });
});

describe("pre-check and owned URLs", () => {
  it("skips files importing no tracing module unless threads/HTTP meet traced calls (more in precheck.test.ts)", () => {
    expect(pythonPrecheck("import os\nprint(1)\n")).toBe(false);
    expect(pythonPrecheck("from langsmith import traceable\nfrom concurrent.futures import ThreadPoolExecutor\npool.submit(f)\n")).toBe(true);
    expect(pythonPrecheck("import langgraph.graph\nimport httpx\n")).toBe(true);
    expect(pythonPrecheck("from concurrent.futures import ThreadPoolExecutor\nfrom .steps import step\nThreadPoolExecutor().submit(step)\n")).toBe(true);
    expect(pythonPrecheck("import threading\nthreading.Thread(target=print).start()\n")).toBe(false);
  });

  it("owned: relative, loopback, services; never a look-alike host", () => {
    const services = ["https://api.corp.example", "https://*.svc.corp.example/**", "$ORDERS"];
    const owned = (prefix: string) => isOwnedUrl({ kind: "literal", prefix }, services);
    expect(["/x", "http://localhost:3000/a", "http://127.0.0.1/", "http://[::1]:80/", "https://api.corp.example/v1", "https://api.corp.example", "https://a.svc.corp.example/x"].map(owned)).toEqual(
      [true, true, true, true, true, true, true],
    );
    expect(["//evil.example/x", "http://localhost.evil.example/", "https://api.corp.example.evil.io/", "https://evil.io/https://api.corp.example/", "http://127.0.0.1.nip.io/", "https://", "https://a.svc.corp.example.evil.io/"].map(owned)).toEqual(
      [false, false, false, false, false, false, false],
    );
    expect(isOwnedUrl({ kind: "env", name: "ORDERS" }, services)).toBe(true);
    expect(isOwnedUrl({ kind: "env", name: "OTHER" }, services)).toBe(false);
  });
});

describe("rule names", () => {
  it("the light-weight list of Python rule names equals the detectors' names", async () => {
    const { PY_RULE_NAMES } = await import("../../src/python/rule-names.js");
    const { pyDetectors } = await import("../../src/python/detectors/index.js");
    expect([...PY_RULE_NAMES]).toEqual(pyDetectors.map((d) => d.meta.name));
  });
});
