import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TraceNode } from "../../src/recorder/index.js";

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
export const fixture = (name: string): string => path.join(FIXTURES, name);

/** process.env without any LangSmith/LangChain setting, so that tests start from a known environment. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(LANGSMITH|LANGCHAIN)_/.test(k) || k === "OTEL_ENABLED") continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export interface Captured {
  stdout: { write(s: string): boolean };
  stderr: { write(s: string): boolean };
  out(): string;
  err(): string;
}

export function capture(): Captured {
  let out = "";
  let err = "";
  return {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
    out: () => out,
    err: () => err,
  };
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), "trace-nesting-recorder-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every node of a forest, depth first, with its parent node's run id (undefined for roots). */
export function flatten(forest: readonly TraceNode[]): { node: TraceNode; parentId: string | undefined }[] {
  const out: { node: TraceNode; parentId: string | undefined }[] = [];
  const visit = (node: TraceNode, parentId: string | undefined): void => {
    out.push({ node, parentId });
    node.children.forEach((c) => visit(c, node.run.id));
  };
  forest.forEach((root) => visit(root, undefined));
  return out;
}

/** The forest as nested names: `["parent", ["child"]]`-style, for shape assertions. */
export function shape(forest: readonly TraceNode[]): unknown[] {
  return forest.map((n) => (n.children.length === 0 ? n.run.name : [n.run.name, shape(n.children)]));
}
