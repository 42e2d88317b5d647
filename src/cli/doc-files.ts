/**
 * Which files are documents with embedded code (Markdown/MDX, notebooks): by extension only, so that listing files
 * loads no analysis (./embedded.ts, which reads their code, re-exports these).
 */
import path from "node:path";

export const MARKDOWN_EXTENSIONS = [".md", ".mdx"] as const;
export const NOTEBOOK_EXTENSIONS = [".ipynb"] as const;
export const EMBEDDED_EXTENSIONS = [...MARKDOWN_EXTENSIONS, ...NOTEBOOK_EXTENSIONS] as const;

const extOf = (file: string) => path.extname(file).toLowerCase();
export const isMarkdownFile = (file: string): boolean => (MARKDOWN_EXTENSIONS as readonly string[]).includes(extOf(file));
export const isNotebookFile = (file: string): boolean => (NOTEBOOK_EXTENSIONS as readonly string[]).includes(extOf(file));
/** A document whose embedded code `check` and `fix` read. */
export const isEmbeddedDoc = (file: string): boolean => isMarkdownFile(file) || isNotebookFile(file);
