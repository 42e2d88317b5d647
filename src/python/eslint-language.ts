/**
 * `trace-nesting/python`: an ESLint language (the `languages` API of ESLint >= 9.7) for `.py` files, so that
 * `eslint` and the ESLint editor extension run the `py-*` rules with their fixes and suggestions.
 *
 * The AST handed to ESLint is one `PyModule` node (rules visit it once and ask the Python model); comments are
 * kept for `# eslint-disable...` directives. The tree-sitter runtime is loaded when this module is imported (a
 * top-level await), because ESLint's `parse` is synchronous.
 */
import { ConfigCommentParser, Directive, TextSourceCodeBase, VisitNodeStep } from "@eslint/plugin-kit";
import { initPythonParser, kids, parsePython, PythonParseError, walk } from "./parse.js";

await initPythonParser();

interface Position {
  line: number;
  column: number;
}
interface Loc {
  start: Position;
  end: Position;
}

export interface PyComment {
  type: "Comment";
  value: string;
  range: [number, number];
  loc: Loc;
}

export interface PyModuleNode {
  type: "PyModule";
  range: [number, number];
  loc: Loc;
  comments: PyComment[];
}

const commentParser = new ConfigCommentParser();
const DIRECTIVE = /^\s*eslint(?:-enable|-disable(?:(?:-next)?-line)?)?(?:\s|$)/u;

function position(row: number, column: number): Position {
  return { line: row + 1, column: column + 1 };
}

export class PythonSourceCode extends TextSourceCodeBase {
  declare ast: PyModuleNode;
  readonly comments: PyComment[];
  #steps: VisitNodeStep[] | undefined;

  constructor({ text, ast }: { text: string; ast: PyModuleNode }) {
    super({ text, ast, lineEndingPattern: /\r\n|[\r\n]/u });
    this.ast = ast;
    this.comments = ast.comments;
  }

  getInlineConfigNodes(): PyComment[] {
    return this.comments.filter((comment) => DIRECTIVE.test(comment.value));
  }

  getDisableDirectives(): { problems: { ruleId: null; message: string; loc: Loc }[]; directives: Directive[] } {
    const directives: Directive[] = [];
    for (const comment of this.getInlineConfigNodes()) {
      const parsed = commentParser.parseDirective(comment.value);
      if (!parsed) continue;
      const { label, value, justification } = parsed;
      if (label === "eslint-disable" || label === "eslint-enable" || label === "eslint-disable-next-line" || label === "eslint-disable-line") {
        directives.push(new Directive({ type: label.slice("eslint-".length) as never, node: comment, value, justification }));
      }
    }
    return { problems: [], directives };
  }

  applyInlineConfig(): { configs: never[]; problems: never[] } {
    return { configs: [], problems: [] };
  }

  override getParent(): undefined {
    return undefined;
  }

  override traverse(): Iterable<VisitNodeStep> {
    this.#steps ??= [
      new VisitNodeStep({ target: this.ast, phase: 1, args: [this.ast] }),
      new VisitNodeStep({ target: this.ast, phase: 2, args: [this.ast] }),
    ];
    return this.#steps;
  }
}

export const pythonLanguage = {
  fileType: "text" as const,
  lineStart: 1 as const,
  columnStart: 1 as const,
  nodeTypeKey: "type",
  visitorKeys: { PyModule: [] as string[] },
  defaultLanguageOptions: {},
  validateLanguageOptions(): void {},

  parse(file: { body: string | Uint8Array; path: string }) {
    const text = typeof file.body === "string" ? file.body : new TextDecoder().decode(file.body);
    try {
      const tree = parsePython(text, file.path);
      const comments: PyComment[] = [];
      walk(tree.rootNode, (node) => {
        if (node.type === "comment") {
          comments.push({
            type: "Comment",
            value: node.text.replace(/^#/, ""),
            range: [node.startIndex, node.endIndex],
            loc: { start: position(node.startPosition.row, node.startPosition.column), end: position(node.endPosition.row, node.endPosition.column) },
          });
        }
        return kids(node).length > 0;
      });
      const lines = text.split(/\r\n|[\r\n]/);
      const ast: PyModuleNode = {
        type: "PyModule",
        range: [0, text.length],
        loc: { start: { line: 1, column: 1 }, end: { line: lines.length, column: lines[lines.length - 1].length + 1 } },
        comments,
      };
      tree.delete();
      return { ok: true as const, ast };
    } catch (error) {
      if (error instanceof PythonParseError) {
        return { ok: false as const, errors: [{ message: error.reason, line: error.line, column: error.column + 1 }] };
      }
      throw error;
    }
  },

  createSourceCode(file: { body: string | Uint8Array }, parseResult: { ast: PyModuleNode }) {
    const text = typeof file.body === "string" ? file.body : new TextDecoder().decode(file.body);
    return new PythonSourceCode({ text, ast: parseResult.ast });
  },
};
