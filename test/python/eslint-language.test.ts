import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { tempProject } from "./helpers.js";

const dir = tempProject();

const BROKEN = `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable


@traceable
def child(x):
    return x


@traceable
def parent(xs):
    with ThreadPoolExecutor() as ex:
        return list(ex.map(child, xs))
`;

function linter() {
  return new Linter({ configType: "flat", cwd: dir });
}

const settings = { "trace-nesting": { python: "3.10" } };

describe("ESLint language trace-nesting/python", () => {
  it("reports on .py files with the python config, and fixes", () => {
    const config = [{ ...plugin.configs.python, settings }] as Linter.Config[];
    const messages = linter().verify(BROKEN, config, { filename: "app.py" });
    expect(messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([["trace-nesting/py-context-to-thread", 13, 21]]);
    expect(messages[0].message).toContain("Python 3.10");
    expect(messages[0].fix).toBeDefined();
    const fixed = linter().verifyAndFix(BROKEN, config, { filename: "app.py" });
    expect(fixed.output).toContain("with ContextThreadPoolExecutor() as ex:");
    expect(fixed.output).toContain("from langsmith.utils import ContextThreadPoolExecutor");
    expect(fixed.output).toContain("ex.map(child, list(xs))");
    expect(fixed.messages).toEqual([]);
  });

  it("offers suggestions", () => {
    const code = `import threading
from langsmith import traceable


@traceable
def child(x):
    return x


@traceable
def parent(x):
    threading.Thread(target=child, args=(x,)).start()
`;
    const messages = linter().verify(code, [{ ...plugin.configs.python, settings }] as Linter.Config[], { filename: "t.py" });
    const thread = messages.find((m) => m.ruleId === "trace-nesting/py-context-to-thread");
    expect(thread?.suggestions?.[0].desc).toBe("Run the target in a copy of the caller's context (one copy per thread).");
  });

  it("autofix: false offers the fix as a suggestion", () => {
    const config = [{ ...plugin.configs.python, settings, rules: { "trace-nesting/py-context-to-thread": ["error", { autofix: false }] } }] as Linter.Config[];
    const [message] = linter().verify(BROKEN, config, { filename: "app.py" });
    expect(message.fix).toBeUndefined();
    expect(message.suggestions?.[0].desc).toBe("Apply the fix (autofix is off for this rule).");
    expect(message.suggestions?.[0].fix.text).toContain("ContextThreadPoolExecutor");
  });

  it("honours # eslint-disable-next-line comments", () => {
    const code = BROKEN.replace("        return list(ex.map(child, xs))", "        # eslint-disable-next-line trace-nesting/py-context-to-thread\n        return list(ex.map(child, xs))");
    const messages = linter().verify(code, [{ ...plugin.configs.python, settings }] as Linter.Config[], { filename: "app.py" });
    expect(messages).toEqual([]);
  });

  it("reports a parse error as fatal", () => {
    const messages = linter().verify("def broken(:\n    pass\n", [plugin.configs.python] as Linter.Config[], { filename: "bad.py" });
    expect(messages).toHaveLength(1);
    expect(messages[0].fatal).toBe(true);
  });

  it("Python rules are no-ops on JavaScript, JavaScript rules on Python", () => {
    const js = `import { traceable } from "langsmith";\nexport const f = traceable(async () => 1);\n`;
    const onJs = linter().verify(
      js,
      [{ ...plugin.configs.recommended, rules: { ...plugin.configs.recommended.rules, ...plugin.configs.python.rules } }] as Linter.Config[],
      { filename: "a.ts" },
    );
    expect(onJs.filter((m) => m.fatal)).toEqual([]);
    expect(onJs.filter((m) => (m.ruleId ?? "").includes("/py-"))).toEqual([]);
    const onPy = linter().verify(
      BROKEN,
      [{ ...plugin.configs.python, settings, rules: { ...plugin.configs.python.rules, ...plugin.configs.recommended.rules } }] as Linter.Config[],
      { filename: "app.py" },
    );
    expect(onPy.map((m) => m.ruleId)).toEqual(["trace-nesting/py-context-to-thread"]);
  });
});
