import path from "node:path";
import { describe, expect, it } from "vitest";
import allTransform from "../../codemods/all.js";
import bindQueuedTask from "../../codemods/bind-queued-task.js";
import { codemodOptions } from "../../src/cli/codemod.js";
import { SourceParseError } from "../../src/js/parse.js";
import { CASES_DIR } from "./helpers.js";

const QUEUE = `import PQueue from "p-queue";
import { EventEmitter } from "node:events";
import { traceable } from "langsmith/traceable";
const queue = new PQueue({ concurrency: 1 });
const bus = new EventEmitter();
const work = traceable(async () => 1, { name: "work" });
export const run = traceable(async () => {
  bus.on("x", () => work());
  return queue.add(() => work());
}, { name: "run" });
`;
const file = path.join(CASES_DIR, "scratch.ts");

describe("codemod options from the jscodeshift command line", () => {
  it("--settings as JSON text or an object, --runtime over it, --strict and --portability", () => {
    expect(codemodOptions(undefined, { settings: '{"versions":{"p-queue":"8.0.0"}}', runtime: "browser" })).toEqual({
      settings: { versions: { "p-queue": "8.0.0" }, runtime: "browser" },
      rules: undefined,
      ruleOptions: undefined,
    });
    expect(codemodOptions(undefined, { settings: { runtime: "node" } }).settings).toEqual({ runtime: "node" });
    const strictOptions = { "bind-queued-task": { wideLimiters: true }, "pass-runnable-config": { portability: true }, "pass-parent-run-tree": { portability: true }, "continue-distributed-trace": { reportRoots: true } };
    expect(codemodOptions(undefined, { strict: true }).ruleOptions).toEqual(strictOptions);
    expect(codemodOptions(undefined, { portability: true }).ruleOptions).toEqual(strictOptions);
    expect(() => codemodOptions(undefined, { settings: "{not json" })).toThrow(/--settings must be a JSON object/);
    expect(() => codemodOptions(undefined, { runtime: "deno" })).toThrow(/runtime must be one of node, browser, auto/);
  });

  it("--rules selects rules in all.js and narrows a single-rule transform", () => {
    expect(codemodOptions(undefined, { rules: "bind-queued-task, pass-runnable-config" }).rules).toEqual(["bind-queued-task", "pass-runnable-config"]);
    expect(codemodOptions(undefined, { rules: ["bind-queued-task", "pass-runnable-config"] }).rules).toEqual(["bind-queued-task", "pass-runnable-config"]);
    expect(codemodOptions(["bind-queued-task"], { rules: "bind-detached-callback" }).rules).toEqual([]);
    expect(() => codemodOptions(undefined, { rules: "nope" })).toThrow(/unknown rule "nope"/);
  });

  it("the options change what the transforms do", () => {
    const settings = JSON.stringify({ versions: { "p-queue": "8.0.0" } });
    const all = allTransform({ path: file, source: QUEUE }, {}, { settings })!;
    expect(all).toContain("queue.add(AsyncLocalStorage.bind(() => work()))");
    expect(all).toContain('bus.on("x", AsyncLocalStorage.bind(() => work()))');
    const onlyQueue = allTransform({ path: file, source: QUEUE }, {}, { settings, rules: "bind-queued-task" })!;
    expect(onlyQueue).toContain("queue.add(AsyncLocalStorage.bind(() => work()))");
    expect(onlyQueue).toContain('bus.on("x", () => work())');
    expect(bindQueuedTask({ path: file, source: QUEUE }, {}, { settings: JSON.stringify({ versions: { "p-queue": "10.0.0" } }) })).toBeUndefined();
    // Without AsyncLocalStorage binding cannot help: the bind rules stay silent.
    expect(allTransform({ path: file, source: QUEUE }, {}, { settings, runtime: "browser" })).toBeUndefined();
  });

  it("a file that does not parse throws an error that starts with file:line:column", () => {
    const broken = `import { traceable } from "langsmith/traceable";\nconst x = ;\n`;
    let error: unknown;
    try {
      allTransform({ path: file, source: broken }, {}, {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SourceParseError);
    expect((error as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:11: Expression expected`));
  });
});
