/**
 * The Python text pre-check (src/python/precheck.ts and each detector's `precheck`) may only skip what has no
 * findings. Over every Python program the project has (the runtime fixtures, broken, fixed and look-alikes, and
 * the rules' documented examples), the findings with the pre-check are exactly the findings without it, and every
 * file in which a rule finds something passes that rule's pre-check and the file pre-check.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { initPythonParser, lintPython, pythonDetectorsFor, pythonPrecheck, PY_RULE_NAMES } from "../../src/python/index.js";
import { pythonCode } from "../../src/python/precheck.js";
import { resolvePySettings } from "../../src/python/settings.js";
import { tempProject } from "./helpers.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const FIXTURES = path.join(ROOT, "fixtures/python/runtime");
const DOCS = path.join(ROOT, "docs/rules");

interface Program {
  where: string;
  code: string;
  settings: Record<string, unknown>;
}

/** Every runtime fixture, with each lint setting its case declares (and Python 3.10, where every rule applies). */
function fixturePrograms(): Program[] {
  const out: Program[] = [];
  for (const rule of readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!rule.isDirectory() || rule.name.startsWith("_")) continue;
    const dir = path.join(FIXTURES, rule.name);
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".py")).sort()) {
      const code = readFileSync(path.join(dir, name), "utf8");
      const caseFile = path.join(dir, `${name.replace(/(?:\.fixed)?\.py$/, "")}.json`);
      let lints: { settings?: Record<string, unknown> }[] = [];
      try {
        lints = (JSON.parse(readFileSync(caseFile, "utf8")) as { lint?: { settings?: Record<string, unknown> }[] }).lint ?? [];
      } catch {
        // a fixture without a case file
      }
      const variants = [{ python: "3.10" }, ...lints.map((l) => l.settings ?? {})];
      for (const settings of variants) out.push({ where: `${rule.name}/${name} ${JSON.stringify(settings)}`, code, settings });
    }
  }
  return out;
}

/** Every `python` block of the rules' pages, with its marker's settings. */
function docPrograms(): Program[] {
  const out: Program[] = [];
  for (const page of readdirSync(DOCS).filter((n) => n.startsWith("py-") && n.endsWith(".md"))) {
    const lines = readFileSync(path.join(DOCS, page), "utf8").split(/\r?\n/);
    let lastSettings: Record<string, unknown> = {};
    for (let i = 0; i < lines.length; i++) {
      if (!/^```python\s*$/.test(lines[i])) continue;
      const marker = /<!--\s*(incorrect|correct)(.*?)-->/.exec(lines[i - 1] ?? "");
      const settingsText = /settings='([^']*)'/.exec(marker?.[2] ?? "")?.[1];
      // A `fixed` block is linted with its incorrect block's settings.
      const settings = /\bfixed\b/.test(marker?.[2] ?? "") ? lastSettings : settingsText ? (JSON.parse(settingsText) as Record<string, unknown>) : {};
      if (marker?.[1] === "incorrect") lastSettings = settings;
      const body: string[] = [];
      const start = i;
      for (i++; i < lines.length && !lines[i].startsWith("```"); i++) body.push(lines[i]);
      out.push({ where: `${page}:${start + 1}`, code: `${body.join("\n")}\n`, settings });
    }
  }
  return out;
}

beforeAll(async () => {
  await initPythonParser();
});

describe("the Python pre-check skips only files without findings", () => {
  const programs = [...fixturePrograms(), ...docPrograms()];
  const found = new Map<string, number>();

  it("finds the programs", () => {
    expect(fixturePrograms().length).toBeGreaterThanOrEqual(40);
    expect(docPrograms().length).toBeGreaterThanOrEqual(20);
  });

  it("with the pre-check bypassed, every finding's file passes its rule's pre-check; findings are the same with it", async () => {
    const misses: string[] = [];
    for (const program of programs) {
      const dir = tempProject({ "app.py": program.code });
      const file = path.join(dir, "app.py");
      const bypassed = await lintPython(program.code, file, program.settings, { precheck: false });
      const checked = await lintPython(program.code, file, program.settings);
      expect(checked.map((f) => `${f.line}:${f.ruleId}:${f.messageId}`), program.where).toEqual(bypassed.map((f) => `${f.line}:${f.ruleId}:${f.messageId}`));
      const passing = new Set(pythonDetectorsFor(program.code, file, resolvePySettings(program.settings)).map((d) => d.meta.name));
      for (const rule of new Set(bypassed.map((f) => f.ruleId))) {
        found.set(rule, (found.get(rule) ?? 0) + 1);
        if (!passing.has(rule)) misses.push(`${program.where}: ${rule}`);
      }
      if (bypassed.length > 0 && !pythonPrecheck(program.code, file, program.settings)) misses.push(`${program.where}: the file pre-check`);
    }
    expect(misses).toEqual([]);
    // Not vacuous: every rule finds something in these programs.
    expect([...found.keys()].sort()).toEqual([...PY_RULE_NAMES].sort());
  });
});

describe("what the pre-check skips", () => {
  it("files that import no tracing module, unless threads/HTTP meet calls that may reach traced code", () => {
    expect(pythonPrecheck("import os\nprint(1)\n")).toBe(false);
    expect(pythonPrecheck("import threading\nthreading.Thread(target=print).start()\n")).toBe(false);
    expect(pythonPrecheck("from concurrent.futures import ThreadPoolExecutor\nfrom .steps import step\nThreadPoolExecutor().submit(step)\n")).toBe(true);
    expect(pythonPrecheck("from concurrent.futures import ThreadPoolExecutor\nThreadPoolExecutor().submit(print)\n")).toBe(false);
  });

  it("looks for tokens in the code, not in comments, docstrings or strings (f-strings are code)", () => {
    const doc = 'from langsmith import traceable\n\ndef f():\n    """Example:\n\n        with ThreadPoolExecutor() as pool:\n            pool.submit(g)\n    """\n    # threading.Thread(target=g)\n    return "loop.run_in_executor(None, g)"\n';
    expect(pythonPrecheck(doc)).toBe(false);
    expect(pythonPrecheck(`${doc}x = f"{pool.submit(g)}"\nfrom concurrent.futures import ThreadPoolExecutor\n`)).toBe(true);
    expect(pythonCode('a = "x#y"  # ThreadPoolExecutor\nb = r\'\\\'\' + """\nrun_in_executor\n""" + f\'{c}\'\n')).toBe('a = " "   \nb = r\' \' + """ """ + f\'{c}\'\n');
  });

  it("files with a tracing import but none of the tokens any rule needs", () => {
    expect(pythonPrecheck("from langsmith import traceable\n\n@traceable\ndef f(x):\n    return g(x)\n")).toBe(false);
    expect(pythonPrecheck("import langgraph.graph\n")).toBe(false);
    expect(pythonPrecheck("from langchain_core.runnables import RunnableLambda\nimport requests_toolbelt\n")).toBe(false);
  });

  it("per rule: only the rules whose tokens are present run", () => {
    // A file in a project of its own: no other module registers its functions as graph nodes.
    const file = path.join(tempProject(), "app.py");
    const rules = (code: string, settings: Record<string, unknown> = {}) => pythonDetectorsFor(code, file, resolvePySettings(settings)).map((d) => d.meta.name);
    expect(rules("from langsmith import traceable\nfrom concurrent.futures import ThreadPoolExecutor\npool.map(f, xs)\n")).toEqual(["py-context-to-thread"]);
    expect(rules("from langsmith import traceable\nfrom concurrent.futures import ThreadPoolExecutor\n")).toEqual([]);
    expect(rules("from langchain_core.runnables.config import run_in_executor\nawait run_in_executor(None, f)\n")).toEqual([]);
    expect(rules("from langsmith import traceable\nawait loop.run_in_executor(None, f)\n")).toEqual(["py-context-to-thread"]);
    // A thread in a traceable may outlive it: only with a function decorated with @traceable (or an alias of it).
    expect(rules("from langsmith import traceable\nimport threading\nthreading.Thread(target=f)\n")).toEqual(["py-context-to-thread"]);
    expect(rules("from langsmith import traceable\nimport threading\n@traceable\ndef f():\n    threading.Thread(target=g).start()\n")).toEqual(["py-context-to-thread", "py-ineffective-parent-handoff"]);
    expect(rules("from langsmith import traceable as tr\n@tr(name=\"x\")\ndef f(config=None):\n    ...\nf(1, config=c)\n")).toEqual(["py-ineffective-parent-handoff"]);
    // A shared context needs a named context's `.run` handed off; `langsmith_extra` needs a "config" key.
    expect(rules("import contextvars\nimport langsmith\nctx = contextvars.copy_context()\npool.submit(ctx.run, f)\n")).toEqual(["py-ineffective-parent-handoff"]);
    expect(rules("import contextvars\nfrom langsmith import traceable\nctx = contextvars.copy_context()\nctx.run(f)\npool.submit(g)\n")).toEqual([]);
    expect(rules("from langsmith import traceable\nf(x, langsmith_extra={\"config\": c})\n")).toEqual(["py-ineffective-parent-handoff"]);
    expect(rules("from langsmith import traceable\nf(x, langsmith_extra={\"parent\": rt})\n")).toEqual([]);
    expect(rules("from langsmith import traceable\nimport os, httpx\n")).toEqual(["py-propagate-trace-headers"]);
    expect(rules("from langsmith import traceable\nfrom langsmith._client import httpx\n")).toEqual([]);
    expect(rules("from langsmith import get_current_run_tree\n")).toEqual([]);
    expect(rules("from langsmith import get_current_run_tree\nimport threading\nthreading.Thread(target=w)\n")).toEqual([]);
    expect(rules("from langsmith import get_current_run_tree, trace\nimport threading\nwith trace(\"x\"):\n    threading.Thread(target=w)\n")).toEqual(["py-context-to-thread", "py-ineffective-parent-handoff"]);
    expect(rules("from fastapi import FastAPI\nfrom langsmith import traceable\n")).toEqual(["py-continue-distributed-trace"]);
    // A function taking `request` is a view only next to a response or a view class (a project base view); an HTTP
    // client's hook is not.
    expect(rules("from langsmith import traceable\nfrom .base import JsonView\nclass Ask(JsonView):\n    def get(self, request):\n        ...\n")).toEqual(["py-continue-distributed-trace"]);
    expect(rules("from langsmith import traceable\nclass Transport:\n    def send(self, request):\n        ...\n")).toEqual([]);
    // Hand-offs and requests are reported inside a trace only: the file must be able to hold a traced scope.
    expect(rules("from langchain_core.runnables import Runnable\nfrom concurrent.futures import ThreadPoolExecutor\npool.submit(f)\n")).toEqual([]);
    expect(rules("import langsmith as ls\nfrom concurrent.futures import ThreadPoolExecutor\n@ls.traceable\ndef f():\n    pool.submit(g)\n")).toEqual(["py-context-to-thread"]);
    expect(rules("from langsmith import traceable as tr\nimport httpx\n")).toEqual(["py-propagate-trace-headers"]);
    expect(rules("from langchain_core.runnables import Runnable\nimport httpx\n")).toEqual([]);
    expect(rules("from langgraph.pregel.remote import RemoteGraph\n")).toEqual(["py-propagate-trace-headers"]);
    // Scope names only count where the model can resolve them to a tracing API: not attributes of names imported
    // from other modules (`itertools.chain`), nor imports from other modules (`from opentelemetry import trace`).
    const pool = "from langsmith import utils\nfrom concurrent.futures import ThreadPoolExecutor\npool.submit(f)\n";
    expect(rules(`import itertools\n${pool}x = itertools.chain(a, b)\n`)).toEqual([]);
    expect(rules(`from opentelemetry import trace as otel_trace\nfrom opentelemetry.trace import set_span_in_context\nimport opentelemetry.trace\n${pool}with otel_trace.get_tracer(n).start_as_current_span("s"):\n    opentelemetry.trace.x()\n`)).toEqual([]);
    expect(rules("import langsmith\nfrom opentelemetry import trace\nimport requests\nwith trace.use_span(s):\n    requests.get(u)\n")).toEqual([]);
    // ... but do where the name may be a tracing module: imported from one, bound otherwise, or imports not all read.
    expect(rules(`import langsmith.run_helpers as rh\n${pool}with rh.trace("x"):\n    pass\n`)).toEqual(["py-context-to-thread"]);
    expect(rules(`from langsmith import run_helpers\n${pool}rh = run_helpers\n@rh.traceable\ndef g():\n    pass\n`)).toEqual(["py-context-to-thread"]);
    expect(rules(`import itertools\nfrom langsmith import run_helpers as itertools\n${pool}itertools.chain(a)\n`)).toEqual(["py-context-to-thread"]);
    expect(rules(`if X: import itertools\n${pool}itertools.chain(a)\n`)).toEqual(["py-context-to-thread"]);
    expect(rules(`from itertools import *\n${pool}itertools.chain(a)\n`)).toEqual(["py-context-to-thread"]);
    expect(rules(`import itertools\n${pool}self.chain(a)\n`)).toEqual(["py-context-to-thread"]);
    expect(rules(`from langsmith import (\n    utils,\n    trace,\n)\nimport requests\n`)).toEqual(["py-propagate-trace-headers"]);
    // Graph nodes: below 3.11 only.
    const graph = "from langgraph.graph import StateGraph\nasync def node(state):\n    return await chain.ainvoke(state)\nbuilder.add_node(\"n\", node)\n";
    expect(rules(graph, { python: "3.10" })).toEqual(["py-pass-config-pre-311"]);
    expect(rules(graph, { python: "3.11" })).toEqual([]);
    // add_node must register a function of this file (defined here, or a name bound here); a parameter is not one.
    expect(rules("from langgraph.graph import StateGraph\ndef answer(state):\n    return chain.invoke(state)\nstep = answer\nbuilder.add_node(\"n\", step)\n", { python: "3.10" })).toEqual(["py-pass-config-pre-311"]);
    expect(rules("from langgraph.graph import StateGraph\nclass G:\n    def add(self, key, action):\n        self.add_node(key, action)\n", { python: "3.10" })).toEqual([]);
    expect(rules("from langgraph.func import task\n@task\nasync def step(x):\n    return x\n", { python: "3.9" })).toEqual(["py-pass-config-pre-311"]);
    // The project's own wrappers count as traced code.
    expect(rules("import threading\n@my_traced\ndef f():\n    threading.Thread(target=g).start()\n", { traceableWrappers: ["my_traced"] })).toEqual(["py-context-to-thread"]);
    expect(rules("import threading\n@my_traced\ndef f():\n    threading.Thread(target=g).start()\n")).toEqual([]);
  });

  it("an async function of a module another module registers as a graph node reaches py-pass-config-pre-311", () => {
    const nodes = "import langchain_core\nasync def answer(state):\n    return await llm.ainvoke(state[\"q\"])\n";
    const dir = tempProject({ "app/nodes.py": nodes, "app/graph.py": "from langgraph.graph import StateGraph\nfrom app.nodes import answer\nbuilder = StateGraph(dict)\nbuilder.add_node(\"answer\", answer)\n" });
    const file = path.join(dir, "app/nodes.py");
    const settings = resolvePySettings({ python: "3.10" });
    expect(pythonDetectorsFor(nodes, file, settings).map((d) => d.meta.name)).toEqual(["py-pass-config-pre-311"]);
    // Through a module imported in a parenthesised list, used as `nodes.answer`.
    const listed = tempProject({ "app/nodes.py": nodes, "app/graph.py": "from langgraph.graph import StateGraph\nfrom app import (\n    other,\n    nodes,\n)\nbuilder = StateGraph(dict)\nbuilder.add_node(\"answer\", nodes.answer)\n" });
    expect(pythonDetectorsFor(nodes, path.join(listed, "app/nodes.py"), settings).map((d) => d.meta.name)).toEqual(["py-pass-config-pre-311"]);
    // Through an alias; a file whose add_node calls name no import registers nothing from other modules.
    const aliased = tempProject({ "app/nodes.py": nodes, "app/graph.py": "from langgraph.graph import StateGraph\nfrom app.nodes import answer as respond\nbuilder = StateGraph(dict)\nbuilder.add_node(\n    \"answer\",\n    respond,\n)\n" });
    expect(pythonDetectorsFor(nodes, path.join(aliased, "app/nodes.py"), settings).map((d) => d.meta.name)).toEqual(["py-pass-config-pre-311"]);
    const local = tempProject({ "app/nodes.py": nodes, "app/graph.py": "from langgraph.graph import StateGraph\nimport app.nodes\ndef answer(state):\n    return state\nbuilder = StateGraph(dict)\nbuilder.add_node(\"answer\", answer)\n" });
    expect(pythonDetectorsFor(nodes, path.join(local, "app/nodes.py"), settings)).toEqual([]);
    const alone = tempProject({ "app/nodes.py": nodes });
    expect(pythonDetectorsFor(nodes, path.join(alone, "app/nodes.py"), settings)).toEqual([]);
  });
});
