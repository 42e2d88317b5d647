/**
 * The < 3.11 simulation (fixtures/python/runtime/_support/py310sim/sitecustomize.py) against the real thing: the
 * stdlib half must make CPython 3.11 observe contexts exactly as CPython 3.10 does (tasks, gather, to_thread,
 * run_in_executor, threads, copy_context, which calls accept `context=`), and the library half must put every
 * version gate, including the copies imported by value, in its < 3.11 form. Never skipped: a missing 3.10 or venv
 * fails.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { PY310_SIM, PY_SUPPORT, PYTHON310, parseReport, requireVenv } from "./python-harness.js";

const run = promisify(execFile);
const OBSERVATIONS = path.join(PY_SUPPORT, "context_observations.py");
const PYTHON311 = process.env.PYTHON311 ?? path.join(process.env.HOME ?? "~", ".pyenv/versions/3.11.7/bin/python");

async function observe(python: string, sim: boolean): Promise<Record<string, unknown>> {
  if (!existsSync(python)) throw new Error(`${python} is missing (set PYTHON310 / PYTHON311)`);
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: "1" };
  delete env.PYTHONPATH;
  if (sim) env.PYTHONPATH = PY310_SIM;
  const { stdout } = await run(python, [OBSERVATIONS], { env, timeout: 60_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("the < 3.11 simulation", () => {
  it("observes contexts like a real CPython 3.10 (stdlib only)", async () => {
    const [real310, sim, plain311] = await Promise.all([observe(PYTHON310, false), observe(PYTHON311, true), observe(PYTHON311, false)]);
    expect(Object.keys(real310).length).toBeGreaterThan(20);
    expect(sim).toEqual(real310);
    // The observations can tell the versions apart: plain 3.11 differs exactly where 3.11 added `context=`.
    const differing = Object.keys(real310).filter((k) => JSON.stringify(real310[k]) !== JSON.stringify(plain311[k]));
    expect(differing.sort()).toEqual(["create_task_context_kw", "create_task_has_context_parameter", "loop_create_task_context_kw"]);
  });

  it("puts langsmith's, LangChain's and LangGraph's version gates in their < 3.11 form", async () => {
    const python = requireVenv();
    const script = [
      "import langgraph.graph, langgraph.pregel._executor, langchain_core.runnables",
      "from langsmith._internal import _aiter",
      "print('langsmith_accepts_context', _aiter.asyncio_accepts_context())",
      "import oracle_support; oracle_support.flush_traces()",
    ].join("\n");
    const outputs = await Promise.all(
      [true, false].map(async (sim) => {
        const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: "1", LANGSMITH_TRACING: "false" };
        env.PYTHONPATH = sim ? `${PY310_SIM}${path.delimiter}${PY_SUPPORT}` : PY_SUPPORT;
        return (await run(python, ["-c", script], { env, timeout: 60_000 })).stdout;
      }),
    );
    const [simOut, plainOut] = outputs as [string, string];
    expect(simOut).toContain("langsmith_accepts_context False");
    expect(parseReport(simOut)).toEqual({ asyncioContext: "0", flags: { lc: "0", lg_future: "0", lg_executor: "0", lg_runnable: "0" } });
    expect(plainOut).toContain("langsmith_accepts_context True");
    expect(parseReport(plainOut)).toEqual({ asyncioContext: "1", flags: { lc: "1", lg_future: "1", lg_executor: "1", lg_runnable: "1" } });
  });

  it("covers every module that imports a gate by value", async () => {
    const python = requireVenv();
    // Find, with ast, every `from <gate module> import <gate>` in the installed langchain_core and langgraph, then
    // import each importer under the simulation and read its copy.
    const script = `
import ast, importlib, json, pathlib, langchain_core, langgraph
gates = {"langchain_core.runnables.utils": "asyncio_accepts_context", "langgraph._internal._future": "CONTEXT_NOT_SUPPORTED", "langgraph._internal._runnable": "ASYNCIO_ACCEPTS_CONTEXT"}
found = {}
for pkg, root in [(p, pathlib.Path(d)) for p in (langchain_core, langgraph) for d in p.__path__]:
    for file in root.rglob("*.py"):
        module = ".".join((pkg.__name__, *file.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and gates.get(node.module) in [a.name for a in node.names]:
                name = gates[node.module]
                value = getattr(importlib.import_module(module), name)
                found[f"{module}.{name}"] = value() if callable(value) else value
print(json.dumps(found, sort_keys=True))
`;
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: "1", LANGSMITH_TRACING: "false", PYTHONPATH: PY310_SIM };
    const found = JSON.parse((await run(python, ["-c", script], { env, timeout: 60_000 })).stdout) as Record<string, boolean>;
    // Measured with langchain-core 1.6.5 and langgraph 1.2.12: one importer, and it holds the < 3.11 value.
    expect(found).toEqual({ "langgraph.pregel._executor.CONTEXT_NOT_SUPPORTED": true });
  });
});
