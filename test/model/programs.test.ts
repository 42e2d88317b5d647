/** Which texts run something when loaded (a program entry), as the project index and set-up-async-context read them. */
import { describe, expect, it } from "vitest";
import { TOP_LEVEL_RUN } from "../../src/js/project/programs.js";

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
  ])("%s runs something", (_why, text) => {
    expect(TOP_LEVEL_RUN.test(text)).toBe(true);
  });

  it.each([
    ["only exports", `export function run() {}\nexport const x = 1;\n`],
    ["compiled CommonJS boilerplate", `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.run = void 0;\nconst tslib_1 = require("tslib");\ntslib_1.__exportStar(require("./a.cjs"), exports);\n__export(require("./b"));\nexports.run = run;\n`],
    ["a bare require", `require("./setup");\nmodule.exports = { run };\n`],
    ["AMD define", `define(["a"], function (a) { return a; });\n`],
    ["an indented call (inside a function)", `export function run() {\n  main();\n}\n`],
  ])("%s does not", (_why, text) => {
    expect(TOP_LEVEL_RUN.test(text)).toBe(false);
  });
});
