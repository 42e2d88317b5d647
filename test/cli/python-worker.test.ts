/**
 * `check` lints Python files on a second thread when there are many (src/cli/python-lint.ts): the report must be
 * the same, byte for byte, as on one thread. TRACE_NESTING_PYTHON_WORKER=1 uses the worker whatever the sizes,
 * 0 never does.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { builtPackage, REPO } from "./build.js";
import { makeProject } from "./project.js";

let bin: string;
beforeAll(() => {
  bin = path.join(builtPackage(), "src/cli.js");
});

function check(cwd: string, worker: "0" | "1", ...args: string[]) {
  const result = spawnSync(process.execPath, [bin, "check", "--lang", "python", "--format", "json", "--max-warnings", "-1", ...args, "."], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", TRACE_NESTING_PYTHON_WORKER: worker },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every Python runtime fixture, a module registered as a graph node by another one, and a file that does not parse. */
function projectFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const fixtures = path.join(REPO, "fixtures/python/runtime");
  for (const rule of readdirSync(fixtures, { withFileTypes: true })) {
    if (!rule.isDirectory() || rule.name.startsWith("_")) continue;
    for (const name of readdirSync(path.join(fixtures, rule.name)).filter((n) => n.endsWith(".py"))) {
      files[`${rule.name}/${name}`] = readFileSync(path.join(fixtures, rule.name, name), "utf8");
    }
  }
  files["app/nodes.py"] = "from langchain_core.runnables import RunnableLambda\n\nchain = RunnableLambda(lambda x: x)\n\n\nasync def answer(state):\n    return {'out': await chain.ainvoke(state['q'])}\n";
  files["app/graph.py"] = "from langgraph.graph import StateGraph\nfrom app.nodes import answer\nbuilder = StateGraph(dict)\nbuilder.add_node('answer', answer)\n";
  files["broken.py"] = "from langsmith import traceable\nfrom concurrent.futures import ThreadPoolExecutor\ndef broken(:\n    pool.submit(f)\n";
  files["pyproject.toml"] = "[project]\nname = 'app'\n";
  return files;
}

describe("check on Python files with a second thread", () => {
  it("reports the same findings and parse errors as on one thread", { timeout: 120_000 }, () => {
    const dir = makeProject(projectFiles());
    for (const args of [[], ["--python", "3.10"]]) {
      const one = check(dir, "0", ...args);
      const two = check(dir, "1", ...args);
      expect(two).toEqual(one);
      expect(one.code).toBe(2); // broken.py does not parse
      const results = JSON.parse(one.stdout) as { filePath: string; messages: { ruleId: string | null; fatal?: boolean }[] }[];
      const messages = results.flatMap((r) => r.messages.map((m) => ({ file: path.relative(dir, r.filePath), ...m })));
      // Not vacuous: findings of several rules, the parse error, and (below 3.11) the node registered in another module.
      expect(new Set(messages.map((m) => m.ruleId)).size).toBeGreaterThanOrEqual(args.length > 0 ? 5 : 4);
      expect(messages.some((m) => m.file === "broken.py" && m.fatal)).toBe(true);
      if (args.length > 0) expect(messages.some((m) => m.file === path.join("app", "nodes.py") && m.ruleId === "trace-nesting/py-pass-config-pre-311")).toBe(true);
    }
  });
});
