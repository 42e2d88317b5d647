/**
 * Python parsing with tree-sitter compiled to WebAssembly: `web-tree-sitter` (the runtime) and the grammar's
 * `tree-sitter-python.wasm` shipped in the `tree-sitter-python` npm package. No native build is involved.
 *
 * The runtime and the grammar are loaded once, lazily, by {@link initPythonParser} (async: WebAssembly
 * compilation); after that {@link parsePython} is synchronous, which is what ESLint's `Language#parse` needs.
 * Node offsets are indices into the JavaScript string (UTF-16 code units), like ESTree ranges.
 */
import { createRequire } from "node:module";
import { Language, Parser, type Node, type Tree } from "web-tree-sitter";

export type PyNode = Node;
export type PyTree = Tree;

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** Load the tree-sitter runtime and the Python grammar (once; later calls return the same promise). */
export function initPythonParser(): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    await Parser.init();
    const language = await Language.load(require.resolve("tree-sitter-python/tree-sitter-python.wasm"));
    const instance = new Parser();
    instance.setLanguage(language);
    parser = instance;
  })();
  return loading;
}

export function pythonParserReady(): boolean {
  return parser !== undefined;
}

/** A Python file that does not parse: the first error node's position (1-based line, 0-based column). */
export class PythonParseError extends Error {
  constructor(
    readonly filename: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${filename}:${line}:${column}: ${reason}`);
    this.name = "PythonParseError";
  }
}

function firstError(node: Node): Node | undefined {
  if (node.isError || node.isMissing) return node;
  if (!node.hasError) return undefined;
  for (const child of node.children) {
    if (child && (child.hasError || child.isError || child.isMissing)) {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return node;
}

/** Parse `text` synchronously; {@link initPythonParser} must have resolved. Throws {@link PythonParseError}. */
export function parsePython(text: string, filename = "<input>"): Tree {
  if (!parser) throw new Error("trace-nesting: the Python parser is not loaded; await initPythonParser() first");
  const tree = parser.parse(text);
  if (!tree) throw new PythonParseError(filename, 1, 0, "the parser returned no tree");
  if (tree.rootNode.hasError) {
    const error = firstError(tree.rootNode) ?? tree.rootNode;
    const reason = error.isMissing ? `missing ${error.type}` : `invalid syntax near ${JSON.stringify(error.text.slice(0, 20))}`;
    const line = error.startPosition.row + 1;
    const column = error.startPosition.column;
    tree.delete();
    throw new PythonParseError(filename, line, column, reason);
  }
  return tree;
}

/** Named children of a node, without nulls. */
export function kids(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

export function field(node: Node, name: string): Node | undefined {
  return node.childForFieldName(name) ?? undefined;
}

/** Depth-first walk over named nodes; `visit` returning false skips the children. */
export function walk(node: Node, visit: (node: Node) => boolean | void): void {
  if (visit(node) === false) return;
  for (const child of kids(node)) walk(child, visit);
}
