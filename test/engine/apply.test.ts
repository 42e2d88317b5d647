import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import { applyOnePass, fixToFixpoint, mergeEdits } from "../../src/engine/apply.js";
import type { Finding } from "../../src/engine/types.js";
import plugin from "../../src/index.js";
import { detectInText } from "../../src/js/run.js";

const finding = (edits: Finding["edits"], fixKind: Finding["fixKind"] = "fix"): Finding => ({
  node: null,
  range: [0, 0],
  messageId: "m",
  fixKind,
  edits,
});

describe("mergeEdits", () => {
  it("merges a finding's edits into one replacement spanning them, keeping the text between", () => {
    expect(mergeEdits("abcdef", [{ range: [4, 4], text: "X" }, { range: [1, 2], text: "Y" }])).toEqual({ range: [1, 4], text: "YcdX" });
  });
  it("rejects overlapping edits", () => {
    expect(() => mergeEdits("abcdef", [{ range: [1, 3], text: "" }, { range: [2, 4], text: "" }])).toThrow(/overlap/);
  });
});

describe("applyOnePass", () => {
  it("applies non-overlapping fixes and leaves overlapping ones for the next pass", () => {
    const a = finding([{ range: [0, 1], text: "A" }, { range: [5, 5], text: "!" }]);
    const b = finding([{ range: [3, 4], text: "B" }]);
    const c = finding([{ range: [6, 6], text: "C" }]);
    const result = applyOnePass("abcdefg", [b, a, c]);
    expect(result.output).toBe("Abcde!fCg");
    expect(result.applied).toEqual([a, c]);
  });
  it("never applies suggestions or report-only findings unless asked", () => {
    const s = finding([{ range: [0, 0], text: "S" }], "suggestion");
    expect(applyOnePass("x", [s]).output).toBe("x");
    expect(applyOnePass("x", [s], ["suggestion"]).output).toBe("Sx");
  });
});

describe("fixToFixpoint", () => {
  it("repeats detection until nothing applies and keeps a BOM", () => {
    let calls = 0;
    const detect = (text: string) => {
      calls++;
      return text.length < 3 ? [finding([{ range: [text.length, text.length], text: "x" }])] : [];
    };
    const result = fixToFixpoint("\uFEFFa", detect);
    expect(result.output).toBe("\uFEFFaxx");
    expect(result.fixesApplied).toBe(2);
    expect(calls).toBe(3);
  });

  it("produces exactly what ESLint --fix produces, over several rules and passes", () => {
    const code = `\uFEFFimport { traceable } from "langsmith/traceable";
import { RunnableLambda } from "@langchain/core/runnables";
import { EventEmitter } from "node:events";
import PQueue from "p-queue";
const bus = new EventEmitter();
const queue = new PQueue();
const child = traceable(async (x: unknown) => x, { name: "child" });
const step = RunnableLambda.from(async (x: number) => x);
export const parent = traceable(async () => {
  bus.on("a", () => child("a"));
  bus.on("b", () => child("b"));
  await queue.add(() => child("c"));
});
export const lambda = RunnableLambda.from(async (x: number) => (await step.invoke(x)) + (await step.invoke(x, {})));
`;
    const settings = { runtime: "node" as const, versions: { "p-queue": "8.1.1" } };
    const linter = new Linter({ configType: "flat" });
    const eslint = linter.verifyAndFix(code, [{ ...plugin.configs.strict, settings: { "trace-nesting": settings } }] as never, { filename: "agent.ts" });
    const ours = fixToFixpoint(code, (text) =>
      detectInText(text, "agent.ts", { settings, rules: { "bind-detached-callback": {}, "bind-queued-task": {}, "pass-runnable-config": { portability: true } } }),
    );
    expect(eslint.fixed).toBe(true);
    expect(ours.output).toBe(eslint.output);
    expect(ours.remaining).toEqual([]);
    expect(ours.fixesApplied).toBe(5);
  });
});
