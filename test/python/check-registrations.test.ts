/**
 * `check --lang python` in a fresh process (this file runs alone: nothing has loaded the parser before): the
 * pre-check reads graph registrations from other modules, which it parses, so the parser is loaded first.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck } from "../../src/cli/check.js";
import { makeProject } from "../cli/project.js";

describe("check --lang python as the first thing a process does", () => {
  it("finds an async node that another module registers (below 3.11)", async () => {
    const dir = makeProject({
      "pyproject.toml": "[project]\nname = 'app'\nrequires-python = '>=3.10'\n",
      "app/nodes.py": "from langchain_core.runnables import RunnableLambda\n\nchain = RunnableLambda(lambda x: x)\n\n\nasync def answer(state):\n    return {'out': await chain.ainvoke(state['q'])}\n",
      "app/graph.py": "from langgraph.graph import StateGraph\nfrom app.nodes import answer\n\nbuilder = StateGraph(dict)\nbuilder.add_node('answer', answer)\n",
    });
    const result = await runCheck({ cwd: dir, lang: "python", format: "json" });
    expect(result.results.map((r) => [path.relative(dir, r.filePath), r.messages.map((m) => m.ruleId)])).toEqual([[path.join("app", "nodes.py"), ["trace-nesting/py-pass-config-pre-311"]]]);
  });
});
