/**
 * Squiggles and quick fixes in an editor, through the real ESLint language server (`vscode-eslint-language-server`
 * from vscode-langservers-extracted, the server of VS Code's ESLint extension) spoken to over stdio with
 * vscode-jsonrpc, the way the VS Code client does: the settings it answers `workspace/configuration` with, pull
 * diagnostics, code actions whose commands come back as `workspace/applyEdit` requests.
 *
 * The project is a scratch copy with its own `eslint.config.js` (`configs.recommended`, and `configs.python` for
 * `.py` files through the `trace-nesting/python` language), `eslint` linked from this repository and
 * `trace-nesting` linked to a staged build of the package.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_MODULES, stagePackage } from "../package/stage.js";

// ---------------------------------------------------------------------------------------------------------------
// The project
// ---------------------------------------------------------------------------------------------------------------

const FILES: Record<string, string> = {
  "package.json": `${JSON.stringify({ name: "editor-fixture", private: true, type: "module" }, null, 2)}\n`,
  "eslint.config.js": `import traceNesting from "trace-nesting";

export default [traceNesting.configs.recommended, traceNesting.configs.python];
`,
  // A Python agent: a plain thread pool around a traceable inside a trace.
  "agent/summarize.py": `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable


@traceable
def summarize(doc):
    return doc[:100]


@traceable
def summarize_all(docs):
    with ThreadPoolExecutor(max_workers=4) as pool:
        return [f.result() for f in [pool.submit(summarize, d) for d in docs]]
`,
  // p-limit 4 (linked below): a limiter shared by every trace.
  "src/embed.ts": `import pLimit from "p-limit";
import { traceable } from "langsmith/traceable";

const limit = pLimit(1);
const embed = traceable(async (text: string) => text.length, { name: "embed" });

export const embedAll = traceable(async (texts: string[]) => {
  return Promise.all(texts.map((text) => limit(() => embed(text))));
});
`,
  // A listener declared at module level, registered in a trace, fired from outside and removed later by identity: a
  // suggestion only.
  "src/bus.ts": `import { EventEmitter } from "node:events";
import { traceable } from "langsmith/traceable";
const child = traceable(async (m: unknown) => m, { name: "child" });
export const bus = new EventEmitter();
const onMsg = (m: unknown) => child(m);
export const parent = traceable(async () => {
  bus.on("msg", onMsg);
  return () => bus.off("msg", onMsg);
}, { name: "parent" });
`,
  // A LangGraph /web graph: one node without config, one traceable called without config (two fixes).
  "web/graph.ts": `import { Annotation, StateGraph } from "@langchain/langgraph/web";
import { RunnableLambda } from "@langchain/core/runnables";
import { traceable } from "langsmith/traceable";

const lookup = RunnableLambda.from(async (q: string) => q.toUpperCase());
const logAnswer = traceable(async (answer: string) => answer, { name: "log_answer" });
const State = Annotation.Root({ q: Annotation<string>(), a: Annotation<string>() });

export const graph = new StateGraph(State)
  .addNode("lookup", async (state) => ({ a: await lookup.invoke(state.q) }))
  .addNode("log", async (state, config) => {
    await logAnswer(state.a);
    return {};
  });
`,
};

const EMBED_FIXED = `import pLimit from "p-limit";
import { traceable } from "langsmith/traceable";
import { AsyncLocalStorage } from "node:async_hooks";

const limit = pLimit(1);
const embed = traceable(async (text: string) => text.length, { name: "embed" });

export const embedAll = traceable(async (texts: string[]) => {
  return Promise.all(texts.map((text) => limit(AsyncLocalStorage.bind(() => embed(text)))));
});
`;

const SUMMARIZE_FIXED = `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable
from langsmith.utils import ContextThreadPoolExecutor


@traceable
def summarize(doc):
    return doc[:100]


@traceable
def summarize_all(docs):
    with ContextThreadPoolExecutor(max_workers=4) as pool:
        return [f.result() for f in [pool.submit(summarize, d) for d in docs]]
`;

// ---------------------------------------------------------------------------------------------------------------
// A minimal LSP client
// ---------------------------------------------------------------------------------------------------------------

interface Position {
  line: number;
  character: number;
}
interface Range {
  start: Position;
  end: Position;
}
interface TextEdit {
  range: Range;
  newText: string;
}
interface Diagnostic {
  range: Range;
  message: string;
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
}
interface Command {
  title: string;
  command: string;
  arguments?: unknown[];
}
interface CodeAction {
  title: string;
  kind?: string;
  command?: Command;
  isPreferred?: boolean;
  diagnostics?: Diagnostic[];
}
interface WorkspaceEdit {
  changes?: Record<string, TextEdit[]>;
  documentChanges?: { textDocument: { uri: string; version: number | null }; edits: TextEdit[] }[];
}

/** Offset of an LSP position (UTF-16 code units, like JS strings). */
function offsetAt(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf("\n", offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + position.character, text.length);
}

/** Apply LSP edits (non-overlapping, as the protocol requires), from the end so offsets stay valid. */
function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits
    .map((edit) => ({ start: offsetAt(text, edit.range.start), end: offsetAt(text, edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

/** What VS Code's ESLint extension answers `workspace/configuration` with (its defaults, flat config on). */
function extensionSettings(workspace: string) {
  return {
    validate: "on",
    packageManager: "npm",
    useESLintClass: false,
    useFlatConfig: true,
    experimental: { useFlatConfig: false },
    codeAction: {
      disableRuleComment: { enable: true, location: "separateLine", commentStyle: "line" },
      showDocumentation: { enable: true },
    },
    codeActionOnSave: { enable: false, mode: "all" },
    format: false,
    quiet: false,
    onIgnoredFiles: "off",
    options: {},
    rulesCustomizations: [],
    run: "onType",
    problems: { shortenToSingleLine: false },
    nodePath: null,
    workingDirectory: { mode: "location" },
    workspaceFolder: { name: path.basename(workspace), uri: pathToFileURL(workspace).href },
  };
}

class Client {
  readonly documents = new Map<string, { text: string; version: number }>();
  readonly log: string[] = [];
  private constructor(
    readonly server: ChildProcess,
    readonly connection: MessageConnection,
  ) {}

  static async start(workspace: string): Promise<Client> {
    const bin = path.join(REPO_MODULES, "vscode-langservers-extracted", "bin", "vscode-eslint-language-server");
    const server = spawn(process.execPath, [bin, "--stdio"], { cwd: workspace, stdio: ["pipe", "pipe", "pipe"] });
    const connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    const client = new Client(server, connection);
    server.stderr!.on("data", (chunk: Buffer) => client.log.push(`[stderr] ${chunk.toString()}`));
    connection.onRequest("workspace/configuration", (params: { items: unknown[] }) => params.items.map(() => extensionSettings(workspace)));
    connection.onRequest("client/registerCapability", () => null);
    connection.onRequest("client/unregisterCapability", () => null);
    connection.onRequest("window/workDoneProgress/create", () => null);
    connection.onRequest("workspace/diagnostic/refresh", () => null);
    connection.onRequest("workspace/applyEdit", (params: { edit: WorkspaceEdit }) => ({ applied: client.applyEdit(params.edit) }));
    for (const method of ["eslint/noConfig", "eslint/noLibrary", "eslint/probeFailed", "eslint/openDoc"]) {
      connection.onRequest(method, (params: unknown) => {
        client.log.push(`${method} ${JSON.stringify(params)}`);
        return {};
      });
    }
    connection.onNotification("window/logMessage", (params: { message: string }) => client.log.push(params.message));
    connection.onNotification((method: string, params: unknown) => client.log.push(`${method} ${JSON.stringify(params)}`));
    connection.listen();
    const uri = pathToFileURL(workspace).href;
    await connection.sendRequest("initialize", {
      processId: process.pid,
      clientInfo: { name: "trace-nesting editor test" },
      rootUri: uri,
      workspaceFolders: [{ uri, name: path.basename(workspace) }],
      capabilities: {
        workspace: {
          configuration: true,
          applyEdit: true,
          workspaceFolders: true,
          workspaceEdit: { documentChanges: true },
          didChangeConfiguration: { dynamicRegistration: true },
          diagnostics: { refreshSupport: true },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: true },
          diagnostic: { dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true },
          codeAction: {
            dynamicRegistration: false,
            isPreferredSupport: true,
            codeActionLiteralSupport: { codeActionKind: { valueSet: ["", "quickfix", "refactor", "source", "source.fixAll", "source.fixAll.eslint"] } },
          },
        },
        window: { workDoneProgress: true },
      },
    });
    await connection.sendNotification("initialized", {});
    return client;
  }

  private applyEdit(edit: WorkspaceEdit): boolean {
    const perUri: [string, TextEdit[]][] = [
      ...Object.entries(edit.changes ?? {}),
      ...(edit.documentChanges ?? []).map((change) => [change.textDocument.uri, change.edits] as [string, TextEdit[]]),
    ];
    for (const [uri, edits] of perUri) {
      const document = this.documents.get(uri);
      if (!document) return false;
      this.change(uri, applyTextEdits(document.text, edits));
    }
    return perUri.length > 0;
  }

  open(file: string, text: string, languageId = "typescript"): string {
    const uri = pathToFileURL(file).href;
    this.documents.set(uri, { text, version: 1 });
    void this.connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId, version: 1, text },
    });
    return uri;
  }

  /** Replace the document's text, as an editor does after applying an edit. */
  change(uri: string, text: string): void {
    const document = this.documents.get(uri)!;
    document.text = text;
    document.version += 1;
    void this.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: document.version },
      contentChanges: [{ text }],
    });
  }

  text(uri: string): string {
    return this.documents.get(uri)!.text;
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.connection.sendRequest<{ kind: string; items: Diagnostic[] }>("textDocument/diagnostic", { textDocument: { uri } });
    return report.items;
  }

  codeActions(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    return this.connection.sendRequest<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ["quickfix"], triggerKind: 1 },
    });
  }

  /** Run an action's command; the server answers with a `workspace/applyEdit` that this client applies. */
  async execute(action: CodeAction): Promise<void> {
    expect(action.command, `action "${action.title}" has no command`).toBeDefined();
    await this.connection.sendRequest("workspace/executeCommand", { command: action.command!.command, arguments: action.command!.arguments });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.server.exitCode !== null) resolve();
      else this.server.once("exit", () => resolve());
    });
    try {
      await Promise.race([this.connection.sendRequest("shutdown"), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      await this.connection.sendNotification("exit");
    } catch {
      // the server may already be gone
    }
    const timer = setTimeout(() => this.server.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------------------------

let work: string;
let project: string;
let client: Client | undefined;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "trace-nesting-editor-"));
  const stage = stagePackage(work);
  project = path.join(work, "project");
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    writeFileSync(path.join(project, file), text);
  }
  const modules = path.join(project, "node_modules");
  mkdirSync(modules);
  symlinkSync(stage.dir, path.join(modules, "trace-nesting"), "dir");
  symlinkSync(path.join(REPO_MODULES, "eslint"), path.join(modules, "eslint"), "dir");
  symlinkSync(path.join(REPO_MODULES, "p-limit-4"), path.join(modules, "p-limit"), "dir");
  client = await Client.start(project);
}, 300_000);

afterAll(async () => {
  await client?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
}, 60_000);

/** Failure messages carry the server's log: what it loaded, or why it did not lint. */
const context = () => `server log:\n${client!.log.join("\n").slice(-4000)}`;

describe("the ESLint language server with trace-nesting", () => {
  it("shows a squiggle with our rule id, and the quick fix binds the task", async () => {
    const c = client!;
    const uri = c.open(path.join(project, "src/embed.ts"), FILES["src/embed.ts"]);
    const diagnostics = await c.diagnostics(uri);
    expect(diagnostics.map((d) => d.code), context()).toEqual(["trace-nesting/bind-queued-task"]);
    const [diagnostic] = diagnostics;
    expect(diagnostic.source).toBe("eslint");
    expect(diagnostic.severity).toBe(1); // error
    expect(diagnostic.message).toMatch(/^p-limit 4\.0\.0 starts a queued task/);
    // The squiggle covers the task handed to the limiter.
    const line = FILES["src/embed.ts"].split("\n")[7];
    const task = "() => embed(text)";
    expect(diagnostic.range).toEqual({ start: { line: 7, character: line.indexOf(task) }, end: { line: 7, character: line.indexOf(task) + task.length } });
    expect(diagnostic.codeDescription?.href).toMatch(/docs\/rules\/bind-queued-task\.md$/);

    const actions = await c.codeActions(uri, diagnostic);
    const titles = actions.map((a) => a.title);
    expect(titles).toContain("Fix this trace-nesting/bind-queued-task problem");
    expect(titles).toContain("Disable trace-nesting/bind-queued-task for this line");
    expect(titles).toContain("Show documentation for trace-nesting/bind-queued-task");
    const fix = actions.find((a) => a.title === "Fix this trace-nesting/bind-queued-task problem")!;
    expect(fix.isPreferred).toBe(true);
    await c.execute(fix);
    expect(c.text(uri)).toBe(EMBED_FIXED);
    // The fixed text is clean.
    expect(await c.diagnostics(uri)).toEqual([]);
  });

  it("offers the fixes of pass-runnable-config in a /web graph, and applies each", async () => {
    const c = client!;
    const uri = c.open(path.join(project, "web/graph.ts"), FILES["web/graph.ts"]);
    const diagnostics = await c.diagnostics(uri);
    expect(diagnostics.map((d) => [d.code, d.range.start.line]), context()).toEqual([
      ["trace-nesting/pass-runnable-config", 9],
      ["trace-nesting/pass-runnable-config", 11],
    ]);
    expect(diagnostics[0].message).toMatch(/`lookup.invoke` is called inside a graph node "lookup" without its `config`/);
    expect(diagnostics[1].message).toMatch(/Traceable `logAnswer` is called inside a graph node "log" without its `config`/);

    // The node without config: a fix.
    const nodeActions = await c.codeActions(uri, diagnostics[0]);
    const fix = nodeActions.find((a) => a.title === "Fix this trace-nesting/pass-runnable-config problem");
    expect(fix, nodeActions.map((a) => a.title).join("\n")).toBeDefined();
    await c.execute(fix!);
    expect(c.text(uri)).toBe(
      FILES["web/graph.ts"].replace(
        '.addNode("lookup", async (state) => ({ a: await lookup.invoke(state.q) }))',
        '.addNode("lookup", async (state, config) => ({ a: await lookup.invoke(state.q, config) }))',
      ),
    );

    // The traceable: a fix guarded by langsmith's isRunnableConfigLike (unchanged with tracing off).
    const remaining = await c.diagnostics(uri);
    expect(remaining.map((d) => [d.code, d.range.start.line])).toEqual([["trace-nesting/pass-runnable-config", 11]]);
    const actions = await c.codeActions(uri, remaining[0]);
    const traceableFix = actions.find((a) => a.title === "Fix this trace-nesting/pass-runnable-config problem");
    expect(traceableFix, actions.map((a) => a.title).join("\n")).toBeDefined();
    const before = c.text(uri);
    await c.execute(traceableFix!);
    expect(c.text(uri)).toBe(
      before
        .replace('import { traceable } from "langsmith/traceable";\n', 'import { traceable } from "langsmith/traceable";\nimport { isRunnableConfigLike } from "langsmith/run_trees";\n')
        .replace("await logAnswer(state.a);", "await (isRunnableConfigLike(config) ? logAnswer(config, state.a) : logAnswer(state.a));"),
    );
    expect(await c.diagnostics(uri)).toEqual([]);
  });

  it("offers a suggestion, never a fix, where the fix would change behaviour (a listener removed by identity)", async () => {
    const c = client!;
    const uri = c.open(path.join(project, "src/bus.ts"), FILES["src/bus.ts"]);
    const diagnostics = await c.diagnostics(uri);
    expect(diagnostics.map((d) => [d.code, d.range.start.line]), context()).toEqual([["trace-nesting/bind-detached-callback", 6]]);
    const actions = await c.codeActions(uri, diagnostics[0]);
    const titles = actions.map((a) => a.title);
    expect(titles).not.toContain("Fix this trace-nesting/bind-detached-callback problem");
    const suggestion = actions.find((a) => a.title.startsWith("Wrap the callback in `AsyncLocalStorage.bind(...)`"));
    expect(suggestion, titles.join("\n")).toBeDefined();
    await c.execute(suggestion!);
    expect(c.text(uri)).toContain('bus.on("msg", AsyncLocalStorage.bind(onMsg));');
    expect(c.text(uri)).toContain('import { AsyncLocalStorage } from "node:async_hooks";');
    expect(await c.diagnostics(uri)).toEqual([]);
  });

  it("lints Python (eslint.validate including python) and applies the quick fix", async () => {
    const c = client!;
    // The extension sends documents of the languages in `eslint.validate`; answering `validate: "on"` for a
    // `python` document is what it does when `eslint.validate` lists `python`.
    const uri = c.open(path.join(project, "agent/summarize.py"), FILES["agent/summarize.py"], "python");
    const diagnostics = await c.diagnostics(uri);
    expect(diagnostics.map((d) => [d.code, d.range.start.line]), context()).toEqual([["trace-nesting/py-context-to-thread", 12]]);
    expect(diagnostics[0].message).toMatch(/^`submit` on a plain ThreadPoolExecutor runs traced work in a pool thread with empty contextvars/);
    expect(diagnostics[0].message).toMatch(/\(Python 3\.\d+: .+\.\)$/);
    expect(diagnostics[0].codeDescription?.href).toMatch(/docs\/rules\/py-context-to-thread\.md$/);
    const actions = await c.codeActions(uri, diagnostics[0]);
    const fix = actions.find((a) => a.title === "Fix this trace-nesting/py-context-to-thread problem");
    expect(fix, actions.map((a) => a.title).join("\n")).toBeDefined();
    await c.execute(fix!);
    expect(c.text(uri)).toBe(SUMMARIZE_FIXED);
    expect(await c.diagnostics(uri)).toEqual([]);
  });
});
