/**
 * The plain nodes of src/python/parse.ts against tree-sitter's own tree: every named node with its type and range,
 * in order, and every field child (anonymous ones included), for the Python fixtures and code that exercises the
 * grammar's corners (`is not`/`not in`, keywords used as names, line continuations, comments inside expressions).
 * The conversion asks for fields only under types that have them and does not walk into tokens: this checks it
 * loses nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Language, Parser, type Node } from "web-tree-sitter";
import { beforeAll, describe, expect, it } from "vitest";
import { initPythonParser, parsePython, type PyNode } from "../../src/python/parse.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const CORNERS = `from . import a
from .. mod import (b,  # why
    c as d)
import x.y as z, w
print = exec = 1
match = type = 2
if a is not b and c not in d or not e:
    f = g \\
        + h
result = call(  # comment
    x,  # another
    *args, key=lambda q: q ** 2, **kw)
async def fn(p, /, *, k: int = 1) -> None:
    await fn(p)
    async with ctx() as (u, v):
        yield [i async for i in it if i]
    return f"{x!r:>{width}} {y=}" + rb'\\x00' + """doc"""
class K(Base, metaclass=M):
    @decorator(arg)
    def m(self): return ...
try:
    pass
except* (E1, E2) as err:
    raise X from err
finally:
    del a[1:2, ::3]
match cmd:
    case {"k": [1, *rest]} | Point(x=0) if rest:
        pass
type Alias[T] = list[T]
x += 1; y @= 2; z //= 3
`;

let language: Language;
let parser: Parser;

beforeAll(async () => {
  await initPythonParser();
  await Parser.init();
  language = await Language.load(createRequire(import.meta.url).resolve("tree-sitter-python/tree-sitter-python.wasm"));
  parser = new Parser();
  parser.setLanguage(language);
});

/** One line per named node (type, range, parent), then its field children, in a depth-first walk. */
function fromTreeSitter(node: Node, out: string[]): string[] {
  out.push(`${node.type} ${node.startIndex}-${node.endIndex} in ${node.parent?.type ?? "-"}`);
  const fields: string[] = [];
  for (const name of language.fields) {
    if (!name) continue;
    for (const child of node.childrenForFieldName(name)) if (child) fields.push(`${name}=${child.type}@${child.startIndex}-${child.endIndex}`);
  }
  if (fields.length > 0) out.push(`  fields ${fields.sort().join(" ")}`);
  for (const child of node.namedChildren) if (child) fromTreeSitter(child, out);
  return out;
}

function fromPlainNodes(node: PyNode, out: string[]): string[] {
  out.push(`${node.type} ${node.startIndex}-${node.endIndex} in ${node.parent?.type ?? "-"}`);
  const fields: string[] = [];
  for (const name of language.fields) {
    if (!name) continue;
    for (const child of node.childrenForFieldName(name)) fields.push(`${name}=${child.type}@${child.startIndex}-${child.endIndex}`);
  }
  if (fields.length > 0) out.push(`  fields ${fields.sort().join(" ")}`);
  for (const child of node.namedChildren) fromPlainNodes(child, out);
  return out;
}

function programs(): [string, string][] {
  const out: [string, string][] = [["corners", CORNERS]];
  const fixtures = path.join(ROOT, "fixtures/python/runtime");
  for (const rule of readdirSync(fixtures, { withFileTypes: true })) {
    if (!rule.isDirectory() || rule.name.startsWith("_")) continue;
    for (const name of readdirSync(path.join(fixtures, rule.name)).filter((n) => /^[^.].*\.py$/.test(n))) {
      out.push([`${rule.name}/${name}`, readFileSync(path.join(fixtures, rule.name, name), "utf8")]);
    }
  }
  return out;
}

describe("Python trees as plain nodes", () => {
  it("hold every named node and every field child of tree-sitter's tree", () => {
    const all = programs();
    expect(all.length).toBeGreaterThan(40);
    for (const [where, text] of all) {
      const tree = parser.parse(text)!;
      try {
        expect(tree.rootNode.hasError, where).toBe(false);
        const expected = fromTreeSitter(tree.rootNode, []);
        expect(fromPlainNodes(parsePython(text, where).rootNode, []), where).toEqual(expected);
      } finally {
        tree.delete();
      }
    }
    // Not vacuous: the corners hold anonymous field children and keywords used as names.
    const corners = fromPlainNodes(parsePython(CORNERS).rootNode, []).join("\n");
    expect(corners).toContain("operators=is not@");
    expect(corners).toContain("operators=not in@");
    expect(corners).toContain("operator=+=@");
  });
});
