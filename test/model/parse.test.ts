/**
 * The two parsers (src/js/parse.ts, src/js/fast-parser.ts): oxc-parser's TS-ESTree AST, with the locations we add,
 * against typescript-estree's, node for node, over every JavaScript/TypeScript fixture and over the corners of the
 * syntax; a text oxc-parser rejects falls back to typescript-estree, and one neither accepts keeps typescript-estree's
 * error with its position.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as estreeParse } from "@typescript-eslint/typescript-estree";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { parseForESLint } from "../../src/js/fast-parser.js";
import { keepParse, parseFast, parseForIndex, parseSource, parseWithOxc, shareParses, SourceParseError } from "../../src/js/parse.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The differences between two ASTs, ignoring `parent` (set by whoever walks the tree), oxc's own `start`/`end`
 * offsets, and `null` against `undefined` for an absent optional child. At most `limit` differences.
 */
function differences(a: unknown, b: unknown, where = "", out: string[] = [], limit = 5): string[] {
  if (out.length >= limit) return out;
  if (a === null || a === undefined || typeof a !== "object") {
    if (a !== b && !((a === null || a === undefined) && (b === null || b === undefined))) out.push(`${where}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    return out;
  }
  if (b === null || b === undefined || typeof b !== "object") {
    out.push(`${where}: an object vs ${JSON.stringify(b)}`);
    return out;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
      out.push(`${where}: ${Array.isArray(a) ? a.length : "no"} items vs ${Array.isArray(b) ? b.length : "no"}`);
      return out;
    }
    a.forEach((item, i) => differences(item, b[i], `${where}[${i}]`, out, limit));
    return out;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    if (key === "parent" || key === "start" || key === "end") continue;
    differences(left[key], right[key], `${where}.${String(left.type ?? "")}.${key}`, out, limit);
  }
  return out;
}

const SOURCES = globSync("fixtures/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}", { cwd: root, ignore: ["**/node_modules/**"] }).sort();

describe("oxc-parser's AST is typescript-estree's", () => {
  it("finds the fixtures", () => {
    expect(SOURCES.length).toBeGreaterThan(200);
  });

  it.each(SOURCES)("%s", (file) => {
    const text = readFileSync(path.join(root, file), "utf8").replace(/^\uFEFF/, "");
    const filename = path.join(root, file);
    const oxc = parseWithOxc(text, filename, true);
    expect(oxc, "oxc-parser accepts it").toBeDefined();
    expect(differences(parseSource(text, filename).ast, oxc!.ast)).toEqual([]);
  });

  const CORNERS: [string, string][] = [
    ["jsx.js", `const view = <List items={items.map((i) => <Item key={i.id} {...i} />)} />;\n`],
    ["generics.ts", `const pick = <T,>(x: T): T => x;\nfunction f<T extends object = {}>(a?: T, ...rest: number[]): asserts a is T {}\n`],
    ["types.tsx", `enum E { A = 1 }\ndeclare module "m" { export const x: number }\nabstract class C<T> implements I { private readonly a?: T; static #b = 1; constructor(public c: string) { super(); } }\n`],
    ["decorators.ts", `@sealed class Service { @inject() dep!: Dep; method(@param() p: string) { return this.dep?.run?.(p) ?? null; } }\n`],
    ["modern.mjs", `import json from "./a.json" with { type: "json" };\nexport * as ns from "./b.js";\nlabel: for await (const x of gen()) { x ||= 1n; continue label; }\nconst re = /a(?<n>b)/dgu, t = tag\`a\${b}c\`;\nusing r = open();\n`],
    ["script.cjs", `"use strict";\nconst { a } = require("./a");\nmodule.exports = async function* () { yield* a; };\n`],
    ["lines.ts", `const a = 1;\r\nconst b = \`x\r\ny\`;\u2028const c = 2;\u2029// comment\rconst d = "\\u2028";\n`],
    ["satisfies.ts", `const cfg = { a: 1 } satisfies Config as const;\ntype M<T> = { [K in keyof T]-?: T[K] extends infer U ? U : never };\n`],
  ];
  it.each(CORNERS)("%s", (name, text) => {
    const oxc = parseWithOxc(text, name, true);
    expect(oxc).toBeDefined();
    expect(differences(parseSource(text, name).ast, oxc!.ast)).toEqual([]);
  });

  it("gives comments typescript-estree's ranges and locations", () => {
    const text = `// a\r\nconst x = 1; /* b\nc */\u2028/** d */ const y = \`\${x}\`; // e\n`;
    const expected = estreeParse(text, { range: true, loc: true, comment: true, filePath: "c.ts" }).comments;
    expect(expected).toHaveLength(4);
    expect(differences(expected, parseWithOxc(text, "c.ts", true)!.comments)).toEqual([]);
  });
});

describe("what oxc-parser rejects goes to typescript-estree", () => {
  // A CommonJS module may return at its top level (Node wraps it in a function): typescript-estree parses it,
  // oxc-parser does not.
  const topLevelReturn = `const config = require("./config");\nif (!config.enabled) return;\nmodule.exports = config;\n`;

  it("parses with typescript-estree what oxc-parser rejects", () => {
    expect(parseWithOxc(topLevelReturn, "early.cjs", true)).toBeUndefined();
    const expected = parseSource(topLevelReturn, "early.cjs").ast;
    expect(differences(expected, parseFast(topLevelReturn, "early.cjs").ast)).toEqual([]);
    expect(differences(expected, parseForIndex(topLevelReturn, "early.cjs").ast, "", [], 5).every((d) => d.endsWith(".loc: an object vs undefined"))).toBe(true);
    expect(parseForESLint(topLevelReturn, { filePath: "early.cjs", sourceType: "commonjs" }).ast.body).toHaveLength(3);
  });

  it("keeps typescript-estree's error, with its position, for what neither parses", () => {
    const broken = `const a = 1;\nconst b = (;\n`;
    let error: unknown;
    try {
      parseFast(broken, "broken.ts");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SourceParseError);
    expect(error).toMatchObject({ filename: "broken.ts", line: 2, column: 12 });
    expect(() => parseForESLint(broken, { filePath: "broken.ts" })).toThrow(expect.objectContaining({ lineNumber: 2 }));
  });

  it("gives ESLint the source type it asked for, comments, no tokens, and typescript-eslint's visitor keys", () => {
    const result = parseForESLint(`/* eslint-disable */\nexport const a = 1;\n`, { filePath: "a.ts", sourceType: "script" });
    expect(result.ast.sourceType).toBe("script");
    expect(result.ast.tokens).toEqual([]);
    expect(result.ast.comments).toMatchObject([{ type: "Block", value: " eslint-disable ", loc: { start: { line: 1, column: 0 } } }]);
    expect(result.visitorKeys?.TSAsExpression).toEqual(["expression", "typeAnnotation"]);
    expect(result.scopeManager?.scopes.map((scope) => scope.type)).toEqual(["global"]);
    expect(parseForESLint(`export const a = 1;\n`, { filePath: "a.ts", sourceType: "module" }).scopeManager?.scopes.map((scope) => scope.type)).toEqual(["global", "module"]);
  });

  it("shares a file's parse only while sharing is on, with the same text and source type, keeping what ESLint will ask for", () => {
    const module = `import { a } from "./a";\nexport const b = () => a;\n`;
    const script = `const a = require("./a");\nmodule.exports = () => a;\n`;
    // Off: every parse is fresh.
    expect(parseForIndex(module, "/p/m.ts").ast).not.toBe(parseForIndex(module, "/p/m.ts").ast);
    const stop = shareParses();
    try {
      const index = parseForIndex(module, "/p/m.ts");
      expect(index.ast.range[1]).toBe(module.length);
      expect((index.ast.body[0] as { loc?: unknown }).loc).toBeUndefined();
      // ESLint's parse of the same text gets the same AST, with locations added, and the same analysis (no JSX in .ts).
      const eslint = parseForESLint(module, { filePath: "/p/m.ts", sourceType: "module" });
      expect(eslint.ast).toBe(index.ast);
      expect(eslint.scopeManager).toBe(index.scopeManager);
      expect(eslint.ast.body[0].loc).toEqual({ start: { line: 1, column: 0 }, end: { line: 1, column: 24 } });
      // Another text of the same file, another source type, another JSX pragma where JSX may be: parsed or analysed afresh.
      expect(parseForIndex(`${module}\n`, "/p/m.ts").ast).not.toBe(index.ast);
      const scriptIndex = parseForIndex(script, "/p/s.js");
      expect(scriptIndex.ast.sourceType).toBe("script");
      const scriptEslint = parseForESLint(script, { filePath: "/p/s.js", sourceType: "module" });
      expect(scriptEslint.ast).not.toBe(scriptIndex.ast);
      expect(scriptEslint.ast.sourceType).toBe("module");
      expect(scriptIndex.ast.sourceType).toBe("script");
      const jsx = parseForIndex(module, "/p/j.js");
      const jsxEslint = parseForESLint(module, { filePath: "/p/j.js", sourceType: "module" });
      expect(jsxEslint.ast).toBe(jsx.ast);
      expect(jsxEslint.scopeManager).not.toBe(jsx.scopeManager);
      // A kept parse outlives the most recent 64.
      const kept = parseForIndex(module, "/p/kept.ts");
      keepParse("/p/kept.ts");
      const first = parseForIndex(module, "/p/other-0.ts").ast;
      for (let i = 1; i < 70; i++) parseForIndex(module, `/p/other-${i}.ts`);
      expect(parseForIndex(module, "/p/kept.ts").ast).toBe(kept.ast);
      expect(parseForIndex(module, "/p/other-0.ts").ast).not.toBe(first); // not kept: dropped
    } finally {
      stop();
    }
    expect(parseForIndex(module, "/p/kept.ts").ast).not.toBe(parseForIndex(module, "/p/kept.ts").ast);
  });
});
