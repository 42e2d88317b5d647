/** Throwaway projects on disk for the CLI tests. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory holding `files` (relative path -> content). */
export function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "trace-nesting-cli-"));
  created.push(dir);
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Every file under `dir` (relative path -> content), `.git` excluded. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      if (entry === ".git") continue;
      const full = path.join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(path.relative(dir, full).split(path.sep).join("/"), readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return out;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });
}

/** Make `dir` a git repository with everything committed. */
export function commitAll(dir: string): void {
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "initial");
}

export const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");

/** A listener registered in a trace and fired from outside: one safe fix (bind-detached-callback). */
export const LISTENER_TS = `import { EventEmitter } from "node:events";
import { traceable } from "langsmith/traceable";

export const bus = new EventEmitter();
const child = traceable(async (m: string) => m, { name: "child" });

export const parent = traceable(async () => {
  bus.on("message", (m: string) => child(m));
}, { name: "parent" });
`;

export const LISTENER_TS_FIXED = `import { EventEmitter } from "node:events";
import { traceable } from "langsmith/traceable";
import { AsyncLocalStorage } from "node:async_hooks";

export const bus = new EventEmitter();
const child = traceable(async (m: string) => m, { name: "child" });

export const parent = traceable(async () => {
  bus.on("message", AsyncLocalStorage.bind((m: string) => child(m)));
}, { name: "parent" });
`;

/** A `/web` graph node calling a runnable and a traceable: two fixes. */
export const WEB_GRAPH_TS = `import { StateGraph } from "@langchain/langgraph/web";
import { RunnableLambda } from "@langchain/core/runnables";
import { traceable } from "langsmith/traceable";

const lookup = RunnableLambda.from(async (q: string) => q);
const logFeedback = traceable(async (text: string) => text, { name: "log_feedback" });

export const graph = new StateGraph({ channels: {} }).addNode("notes", async (state: { q: string }) => {
  const notes = await lookup.invoke(state.q);
  await logFeedback(notes);
  return {};
});
`;

/**
 * A listener declared at module level, registered in a trace, fired from outside and removed later by identity:
 * suggestion only, since it cannot be bound where it is made (line 7).
 */
export const IDENTITY_TS = `import { EventEmitter } from "node:events";
import { traceable } from "langsmith/traceable";
const child = traceable(async (m: unknown) => m, { name: "child" });
export const bus = new EventEmitter();
const onMsg = (m: unknown) => child(m);
export const parent = traceable(async () => {
  bus.on("msg", onMsg);
  return () => bus.off("msg", onMsg);
}, { name: "parent" });
`;

/** Mentions a tracing API, so it is parsed: and it does not parse (line 3, column 11). */
export const BROKEN_TS = `import { traceable } from "langsmith/traceable";

const x = ;
export const t = traceable(async () => x);
`;

/** Mentions no tracing API: the pre-check skips it. */
export const PLAIN_TS = `export const add = (a: number, b: number) => a + b;\n`;
