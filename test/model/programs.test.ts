/**
 * Which texts run something when loaded (a program entry), as the project index and set-up-async-context read them;
 * which specifiers may name a project module (the others are never resolved on disk).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TOP_LEVEL_RUN } from "../../src/js/project/programs.js";
import { clearResolutionCache, mayNameProjectModule } from "../../src/js/project/resolve.js";

describe("TOP_LEVEL_RUN", () => {
  it.each([
    ["a top-level call", `import { graph } from "./graph";\nmain();\n`],
    ["a method call", `const app = express();\napp.listen(3000);\n`],
    ["a top-level await", `await graph.invoke({});\n`],
    ["void of a promise", `void run();\n`],
    ["an async IIFE", `(async () => {\n  await run();\n})();\n`],
    ["a call after CommonJS boilerplate", `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nrun();\n`],
    ["dotenv's set-up", `require("dotenv").config();\n`],
    ["a required module started", `require("./server").start();\n`],
    ["a call chained over several lines", `const reply = makeReply(slack);\n\nreply\n  .invoke({ text: "hi" })\n  .then((r) => console.log(r));\n`],
  ])("%s runs something", (_why, text) => {
    expect(TOP_LEVEL_RUN.test(text)).toBe(true);
  });

  it.each([
    ["only exports", `export function run() {}\nexport const x = 1;\n`],
    ["compiled CommonJS boilerplate", `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.run = void 0;\nconst tslib_1 = require("tslib");\ntslib_1.__exportStar(require("./a.cjs"), exports);\n__export(require("./b"));\nexports.run = run;\n`],
    ["a bare require", `require("./setup");\nmodule.exports = { run };\n`],
    ["AMD define", `define(["a"], function (a) { return a; });\n`],
    ["an indented call (inside a function)", `export function run() {\n  main();\n}\n`],
    ["a chain that is an export's value", `export const app = express()\n  .use(cors());\n`],
  ])("%s does not", (_why, text) => {
    expect(TOP_LEVEL_RUN.test(text)).toBe(false);
  });
});

describe("mayNameProjectModule", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    clearResolutionCache();
  });
  const project = (tsconfig: object | undefined, dependencies: Record<string, string>) => {
    const root = mkdtempSync(path.join(tmpdir(), "tn-may-name-"));
    dirs.push(root);
    mkdirSync(path.join(root, "src"));
    writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "app", dependencies }));
    if (tsconfig) writeFileSync(path.join(root, "tsconfig.json"), JSON.stringify(tsconfig));
    clearResolutionCache();
    return path.join(root, "src", "main.ts");
  };

  it("paths and baseUrl: a pattern's match or an undeclared bare name may be a project module; a dependency is a package", () => {
    const from = project({ compilerOptions: { baseUrl: ".", paths: { "@app/*": ["src/*"], "nodes/*": ["src/nodes/*"] } } }, { "@langchain/core": "1", zod: "4" });
    expect(mayNameProjectModule("./graph", from)).toBe(true);
    expect(mayNameProjectModule("@/graph", from)).toBe(true);
    expect(mayNameProjectModule("@app/graph", from)).toBe(true);
    expect(mayNameProjectModule("nodes/retrieve", from)).toBe(true);
    expect(mayNameProjectModule("lib/model", from)).toBe(true); // baseUrl-relative
    expect(mayNameProjectModule("@langchain/core/runnables", from)).toBe(false);
    expect(mayNameProjectModule("zod", from)).toBe(false);
    expect(mayNameProjectModule("node:fs", from)).toBe(false);
    expect(mayNameProjectModule("fs", from)).toBe(false);
  });

  it("paths without baseUrl: only what a pattern matches", () => {
    const from = project({ compilerOptions: { paths: { "nodes/*": ["./src/nodes/*"] } } }, {});
    expect(mayNameProjectModule("nodes/retrieve", from)).toBe(true);
    expect(mayNameProjectModule("lib/model", from)).toBe(false);
  });

  it("no tsconfig: relative paths and the common aliases only", () => {
    const from = project(undefined, {});
    expect(mayNameProjectModule("../lib/model", from)).toBe(true);
    expect(mayNameProjectModule("#internal/model", from)).toBe(true);
    expect(mayNameProjectModule("lib/model", from)).toBe(false);
  });
});
