/**
 * What the project index learns about a plain function export from its declaration alone, without parsing the
 * module (the fast path of the model's export facts), and that the facts it defers still come out right.
 */
import { describe, expect, it } from "vitest";
import { plainFunctionExport } from "../../src/js/model.js";

describe("plainFunctionExport", () => {
  it.each([
    ["export function foo(a) {}", "function"],
    ["export async function foo(a) {}", "function"],
    ["export function foo<T>(a: T) {}", "function"],
    ["export async function* foo(a) {}", "async"],
    ["export function *foo(a) {}", "sync"],
    ["export const foo = async (a, b) => a;", "function"],
    ["export const foo: Handler = x => x;", "function"],
    ["export const foo = function (a) { return a; };", "function"],
    ["  export const foo = (q: string): Promise<string> => Promise.resolve(q);", "function"],
    ["function foo(a) {}\nexport { bar, foo };", "function"],
    ["async function* foo(a) {}\nexport { foo as foo2, foo };", "async"],
    ['"use strict";\nexports.foo = void 0;\nfunction foo(a) {}\nexports.foo = foo;', "function"],
  ])("%s is a plain function (%s)", (text, expected) => {
    expect(plainFunctionExport(text, "foo")).toBe(expected);
  });

  it.each([
    ["a traceable", "export const foo = traceable(async () => 1);"],
    ["a runnable", "export const foo = RunnableLambda.from(async () => 1);"],
    ["a const generator function (its kind needs the parse)", "export const foo = async function* () {};"],
    ["a function declaration assigned to later", "export function foo() {}\nfoo = traceable(foo);"],
    ["another name with the same prefix", "export function foobar() {}"],
    ["parameters the pattern does not read", "export const foo = (a = f()) => a;"],
    ["a re-export", "export { foo } from './foo';"],
    ["a declaration exported under another name only", "function foo() {}\nexport { foo as bar };"],
    ["another module's export of the same name", "function foo() {}\nexport { foo } from './other';"],
    ["a nested declaration", "export { foo };\nconst foo = traceable(() => {\n  function foo() {}\n});"],
    ["a CommonJS export of something else", "function foo() {}\nexports.foo = traceable(foo);"],
    ["a declaration assigned to later, in CommonJS", "function foo() {}\nfoo = wrap(foo);\nexports.foo = foo;"],
  ])("%s is left to the parse", (_why, text) => {
    expect(plainFunctionExport(text, "foo")).toBeUndefined();
  });

  it("reads names with a dollar sign literally", () => {
    expect(plainFunctionExport("export const $x = () => 1;", "$x")).toBe("function");
    expect(plainFunctionExport("export const ax = () => 1;", "$x")).toBeUndefined();
  });
});
