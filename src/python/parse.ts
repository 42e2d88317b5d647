/**
 * Python parsing with tree-sitter compiled to WebAssembly: `web-tree-sitter` (the runtime) and the grammar's
 * `tree-sitter-python.wasm` shipped in the `tree-sitter-python` npm package. No native build is involved.
 *
 * The runtime and the grammar are loaded once, lazily, by {@link initPythonParser} (async: WebAssembly
 * compilation); after that {@link parsePython} is synchronous, which is what ESLint's `Language#parse` needs.
 *
 * Each tree-sitter tree is converted once, in one cursor walk, into plain JavaScript nodes ({@link PyNode}: type,
 * range, named children, field names, parent) and freed right away: every later question (`parent`, `children`,
 * fields) is a property read instead of a call into WebAssembly (where `parent` walks down from the root each
 * time). Anonymous tokens are kept only where a field names them (`operator` of `a + b`).
 * Node offsets are indices into the JavaScript string (UTF-16 code units), like ESTree ranges.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Language, Parser, type Node, type Tree } from "web-tree-sitter";

let parser: Parser | undefined;
let loading: Promise<void> | undefined;
/** Per grammar symbol id: whether the node type is named. */
let namedTypes: boolean[] = [];
let typeNames: string[] = [];
let fieldNames: (string | null)[] = [];
/** Per grammar symbol id: whether a node of the type may have children that a field names (node-types.json). */
let hasFields: boolean[] = [];
/** Per grammar symbol id: whether the converted tree needs the node's children (see {@link walkChildren}). */
let walkChildren: boolean[] = [];

/**
 * Named types that are single tokens: they have no children. Anonymous nodes are tokens too, except `is not` and
 * `not in` (two keywords each); none has a named descendant or a field, so their children are never kept.
 */
const TOKEN_TYPES = new Set(["identifier", "integer", "float", "true", "false", "none", "comment", "string_start", "string_end", "escape_sequence", "ellipsis", "type_conversion"]);

/** The named types whose children fields may name, from the grammar's node-types.json (undefined: not readable). */
function typesWithFields(require: NodeJS.Require): Set<string> | undefined {
  try {
    const types = JSON.parse(readFileSync(require.resolve("tree-sitter-python/src/node-types.json"), "utf8")) as { type: string; named: boolean; fields?: Record<string, unknown> }[];
    return new Set(types.filter((t) => t.fields && Object.keys(t.fields).length > 0).map((t) => t.type));
  } catch {
    return undefined;
  }
}

/** Load the tree-sitter runtime and the Python grammar (once; later calls return the same promise). */
export function initPythonParser(): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    await Parser.init();
    const language = await Language.load(require.resolve("tree-sitter-python/tree-sitter-python.wasm"));
    const instance = new Parser();
    instance.setLanguage(language);
    typeNames = language.types.map((name) => name ?? "ERROR");
    namedTypes = typeNames.map((_, id) => language.nodeTypeIsNamed(id));
    fieldNames = language.fields;
    const withFields = typesWithFields(require);
    // Anonymous parents (`is not`) never have fields; named ones do when node-types.json says so (all, unread).
    hasFields = typeNames.map((name, id) => namedTypes[id] && (withFields === undefined || withFields.has(name)));
    walkChildren = typeNames.map((name, id) => namedTypes[id] && !TOKEN_TYPES.has(name));
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

/** A row and column (both 0-based; the column in UTF-16 code units), as tree-sitter gives them. */
export interface PyPoint {
  row: number;
  column: number;
}

/** The source a tree was parsed from, shared by its nodes: the text and, computed on first use, line starts. */
class Source {
  private lineStarts: number[] | undefined;
  constructor(readonly text: string) {}

  point(offset: number): PyPoint {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = this.text.indexOf("\n"); i !== -1; i = this.text.indexOf("\n", i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { row: low, column: offset - starts[low] };
  }
}

const NO_CHILDREN: readonly PyNode[] = Object.freeze([]);

/** A syntax node: plain data made from the tree-sitter tree (see the module comment). */
export class PyNode {
  /** Named children in source order (comments included), like tree-sitter's `namedChildren`. */
  namedChildren: readonly PyNode[] = NO_CHILDREN;
  /** Children that a field names (`name`, `body`, `operator`...), in source order; `fieldNames[i]` is the name. */
  private fieldChildren: PyNode[] | undefined;
  private fieldNamesOf: string[] | undefined;

  constructor(
    /** Unique within the process (an increasing number), usable as a map key. */
    readonly id: number,
    readonly type: string,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly parent: PyNode | null,
    /** Whether tree-sitter calls the node named (anonymous tokens appear only as field values). */
    readonly isNamed: boolean,
    private readonly source: Source,
  ) {}

  get text(): string {
    return this.source.text.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): PyPoint {
    return this.source.point(this.startIndex);
  }

  get endPosition(): PyPoint {
    return this.source.point(this.endIndex);
  }

  /** The first child the field `name` names. */
  childForFieldName(name: string): PyNode | null {
    const names = this.fieldNamesOf;
    if (!names) return null;
    const index = names.indexOf(name);
    return index < 0 ? null : this.fieldChildren![index];
  }

  /** Every child the field `name` names. */
  childrenForFieldName(name: string): PyNode[] {
    const names = this.fieldNamesOf;
    if (!names) return [];
    return this.fieldChildren!.filter((_, i) => names[i] === name);
  }

  /** @internal */
  addChild(child: PyNode, field: string | null): void {
    if (child.isNamed) {
      if (this.namedChildren === NO_CHILDREN) this.namedChildren = [child];
      else (this.namedChildren as PyNode[]).push(child);
    }
    if (field) {
      (this.fieldChildren ??= []).push(child);
      (this.fieldNamesOf ??= []).push(field);
    }
  }
}

/** A parsed file: its root node. Nothing to free (the tree-sitter tree is freed when it is converted). */
export interface PyTree {
  readonly rootNode: PyNode;
  readonly text: string;
  /** Kept for callers written against tree-sitter trees: does nothing. */
  delete(): void;
}

let nextId = 1;

/** Convert a tree-sitter tree to {@link PyNode}s in one cursor walk (named nodes, and anonymous ones a field names). */
function convert(tree: Tree, text: string): PyTree {
  const source = new Source(text);
  const cursor = tree.walk();
  try {
    const root = new PyNode(nextId++, typeNames[cursor.nodeTypeId] ?? "ERROR", cursor.startIndex, cursor.endIndex, null, true, source);
    // The kept node each cursor depth attaches its children to (anonymous nodes are not kept: their children,
    // if any, attach to the nearest kept ancestor).
    const owners: PyNode[] = [root];
    // The grammar symbol of the cursor's parent at each depth: a field can name a child only under some types.
    const parentTypes: number[] = [cursor.nodeTypeId];
    if (cursor.gotoFirstChild()) {
      let depth = 1;
      for (;;) {
        const typeId = cursor.nodeTypeId;
        const named = namedTypes[typeId] ?? true;
        const fieldId = hasFields[parentTypes[depth - 1]] ?? true ? cursor.currentFieldId : 0;
        const field = fieldId ? fieldNames[fieldId] : null;
        const owner = owners[depth - 1];
        let self = owner;
        if (named || field) {
          self = new PyNode(nextId++, typeNames[typeId] ?? "ERROR", cursor.startIndex, cursor.endIndex, owner, named, source);
          owner.addChild(self, field);
        }
        if ((walkChildren[typeId] ?? true) && cursor.gotoFirstChild()) {
          owners[depth] = self;
          parentTypes[depth] = typeId;
          depth++;
          continue;
        }
        while (!cursor.gotoNextSibling()) {
          if (depth === 1 || !cursor.gotoParent()) return { rootNode: root, text, delete() {} };
          depth--;
        }
      }
    }
    return { rootNode: root, text, delete() {} };
  } finally {
    cursor.delete();
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
export function parsePython(text: string, filename = "<input>"): PyTree {
  if (!parser) throw new Error("trace-nesting: the Python parser is not loaded; await initPythonParser() first");
  const tree = parser.parse(text);
  if (!tree) throw new PythonParseError(filename, 1, 0, "the parser returned no tree");
  try {
    const rootNode = tree.rootNode;
    if (rootNode.hasError) {
      const error = firstError(rootNode) ?? rootNode;
      const reason = error.isMissing ? `missing ${error.type}` : `invalid syntax near ${JSON.stringify(error.text.slice(0, 20))}`;
      throw new PythonParseError(filename, error.startPosition.row + 1, error.startPosition.column, reason);
    }
    return convert(tree, text);
  } finally {
    tree.delete();
  }
}

/** Named children of a node. */
export function kids(node: PyNode): readonly PyNode[] {
  return node.namedChildren;
}

export function field(node: PyNode, name: string): PyNode | undefined {
  return node.childForFieldName(name) ?? undefined;
}

/** Depth-first walk over named nodes; `visit` returning false skips the children. */
export function walk(node: PyNode, visit: (node: PyNode) => boolean | void): void {
  if (visit(node) === false) return;
  for (const child of node.namedChildren) walk(child, visit);
}
