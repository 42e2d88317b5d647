/**
 * The scratch project the package acceptance test installs the packed tarball into. Patterns come from the
 * ground truth (SPLIT rows that the rules must report, NESTED rows that look alike and must stay clean), written
 * differently from the rules' own tests and fixtures. A line that must be reported ends with
 * `// expect: <rule>`; every other line must not be.
 *
 * The files are kept as strings so that the repository's own type-check never sees them (they import packages the
 * repository does not have, and use JSX).
 */

export const ESLINT_CONFIG = `import traceNesting from "trace-nesting";

export default [
  { ignores: ["**/node_modules/**"] },
  traceNesting.configs.recommended,
];
`;

export const PACKAGE_JSON = {
  name: "acceptance-scratch",
  version: "1.0.0",
  private: true,
  type: "module",
  dependencies: {
    "@langchain/core": "^1.4.0",
    "@langchain/langgraph": "^1.7.3",
    async: "^3.2.6",
    langsmith: "^0.12.0",
    react: "^19.0.0",
  },
};

/** `legacy/`: a workspace package that declares p-queue 8 and p-limit 4 (not installed: the declared range decides). */
export const LEGACY_PACKAGE_JSON = {
  name: "legacy-jobs",
  private: true,
  type: "module",
  dependencies: { "p-limit": "^4.0.0", "p-queue": "^8.1.0" },
};

/** Relative path -> content. */
export const FILES: Record<string, string> = {
  // Node: a request stream fed by the HTTP server, and the process emitter, both listened to inside a trace.
  "src/server.ts": `import { readFile } from "node:fs";
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { traceable } from "langsmith/traceable";

const audit = traceable(async (event: string, detail?: unknown) => ({ event, detail }), { name: "audit" });

export const handleUpload = traceable(
  async (req: IncomingMessage) => {
    let size = 0;
    req.on("data", (chunk: Buffer) => { // expect: bind-detached-callback
      size += chunk.length;
      void audit("chunk", chunk.length);
    });
    await new Promise((resolve) => req.once("end", resolve));
    return size;
  },
  { name: "handle_upload" },
);

export const supervise = traceable(
  async () => {
    process.once("SIGTERM", async () => { // expect: bind-detached-callback
      await audit("shutdown");
    });
  },
  { name: "supervise" },
);

// NESTED look-alikes: a Node core callback, a stream created and read inside, a timer scheduled inside,
// children awaited together.
export const ingestFile = traceable(
  async (file: string) => {
    readFile(file, "utf8", (error, text) => {
      if (!error) void audit("read", text.length);
    });
    const lines = Readable.from(["header", "body"]);
    lines.on("data", (line: string) => void audit("line", line));
    setTimeout(() => void audit("later"), 10);
    await Promise.all([audit("a"), audit("b")]);
  },
  { name: "ingest_file" },
);
`,

  // Node: LangGraph (Node entry) node and RunnableLambda without config: NESTED with AsyncLocalStorage, so
  // recommended stays quiet.
  "src/graph.ts": `import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { RunnableLambda } from "@langchain/core/runnables";

const State = Annotation.Root({ q: Annotation<string>(), a: Annotation<string>() });
const normalize = RunnableLambda.from(async (q: string) => q.trim().toLowerCase());
const lookup = RunnableLambda.from(async (q: string) => normalize.invoke(q));

export const graph = new StateGraph(State)
  .addNode("lookup", async (state) => ({ a: await lookup.invoke(state.q) }))
  .addEdge(START, "lookup")
  .addEdge("lookup", END)
  .compile();
`,

  // CommonJS TypeScript: a BroadcastChannel made at module load, its handler set inside a trace.
  "src/channels.cts": `const { EventEmitter } = require("node:events");
const { traceable } = require("langsmith/traceable");

const notify = traceable(async (message: unknown) => message, { name: "notify" });
const updates = new BroadcastChannel("updates");

const watch = traceable(
  async () => {
    updates.onmessage = (event: MessageEvent) => { // expect: bind-detached-callback
      void notify(event.data);
    };
    // NESTED: an emitter created and fired inside the trace.
    const local = new EventEmitter();
    local.on("tick", (n: number) => notify(n));
    local.emit("tick", 1);
  },
  { name: "watch" },
);

module.exports = { watch };
`,

  // ESM JavaScript: a userland thenable and a module-level callback registry.
  "src/deferred.js": `import { getCurrentRunTree, traceable, withRunTree } from "langsmith/traceable";

class Deferred {
  #callbacks = [];
  then(onFulfilled) {
    this.#callbacks.push(onFulfilled);
  }
  resolve(value) {
    for (const callback of this.#callbacks) callback(value);
  }
}

export const configReady = new Deferred();
const subscribers = new Set();
const record = traceable(async (value) => value, { name: "record" });

export const waitForConfig = traceable(
  async () => {
    configReady.then((settings) => record(settings)); // expect: bind-detached-callback
    subscribers.add(async (event) => { // expect: bind-detached-callback
      await record(event);
    });
    // NESTED: pinned to this run explicitly.
    const runTree = getCurrentRunTree();
    subscribers.add((event) => withRunTree(runTree, () => record(event)));
  },
  { name: "wait_for_config" },
);

export function publish(event) {
  for (const subscriber of subscribers) subscriber(event);
}
`,

  // CommonJS JavaScript: the async library's queues, shared by every batch.
  "src/legacy.cjs": `const { queue } = require("async");
const { traceable } = require("langsmith/traceable");

const enrich = traceable(async (item) => ({ ...item, enriched: true }), { name: "enrich" });
const work = queue(async (task) => task(), 2);
const enrichQueue = queue(async (item) => enrich(item), 2);

const enrichBatch = traceable(
  async (items) => {
    for (const item of items) {
      work.push(async () => enrich(item)); // expect: bind-queued-task
      enrichQueue.push(item); // expect: bind-queued-task
    }
    await work.drain();
  },
  { name: "enrich_batch" },
);

module.exports = { enrichBatch };
`,

  // p-queue 8 and p-limit 4 (declared in legacy/package.json), shared at module level.
  "legacy/jobs.mts": `import { AsyncLocalStorage } from "node:async_hooks";
import PQueue from "p-queue";
import pLimit from "p-limit";
import { traceable } from "langsmith/traceable";

const queue = new PQueue({ concurrency: 1 });
const limit = pLimit(1);
const score = traceable(async (doc: string) => doc.length, { name: "score" });

export const scoreAll = traceable(
  async (docs: string[]) => {
    const first = await queue.add(() => score(docs[0])); // expect: bind-queued-task
    await queue.addAll([
      () => score(docs[1]), // expect: bind-queued-task
      AsyncLocalStorage.bind(() => score(docs[2])),
    ]);
    const rest = await Promise.all(docs.map((doc) => limit(() => score(doc)))); // expect: bind-queued-task
    // NESTED: a limiter created inside the trace serves only this trace.
    const own = pLimit(1);
    await own(() => score("own"));
    return [first, ...rest];
  },
  { name: "score_all" },
);
`,

  // The same code against p-queue 10 and p-limit 5 (installed in modern/node_modules): NESTED, never flagged.
  "modern/jobs.mts": `import PQueue from "p-queue";
import pLimit from "p-limit";
import { traceable } from "langsmith/traceable";

const queue = new PQueue({ concurrency: 1 });
const limit = pLimit(1);
const score = traceable(async (doc: string) => doc.length, { name: "score" });

export const scoreAll = traceable(
  async (docs: string[]) => {
    const first = await queue.add(() => score(docs[0]));
    await queue.addAll([() => score(docs[1])]);
    const rest = await Promise.all(docs.map((doc) => limit(() => score(doc))));
    return [first, ...rest];
  },
  { name: "score_all" },
);
`,

  "web/chains.ts": `import { RunnableLambda } from "@langchain/core/runnables";

export const retriever = RunnableLambda.from(async (q: string) => [\`doc about \${q}\`]);
export const answerChain = RunnableLambda.from(async (input: { q: string }) => \`answer to \${input.q}\`);
export const summarizer = RunnableLambda.from(async (text: string) => text.slice(0, 80));
export const classifier = RunnableLambda.from(async (text: string) => (text.includes("refund") ? "billing" : "general"));
`,

  // A client component: no AsyncLocalStorage in the browser.
  "web/assistant.tsx": `"use client";
import { useState } from "react";
import { RunnableLambda } from "@langchain/core/runnables";
import { traceable } from "langsmith/traceable";
import { answerChain, retriever } from "./chains";

const search = RunnableLambda.from(async (q: string) => retriever.invoke(q)); // expect: pass-runnable-config
// NESTED look-alike: the config is passed on.
const respond = RunnableLambda.from(async (q: string, config) => answerChain.invoke({ q }, config));

// bind-detached-callback is silent here: without AsyncLocalStorage binding cannot help; explicit parents are the
// remedy (pass-parent-run-tree reports it; observe is exported, so the rewrite is left to a person).
const clicks = new EventTarget();
const track = traceable(async (what: string) => what, { name: "track" });
export const observe = traceable(async () => {
  clicks.addEventListener("click", () => void track("click")); // expect: pass-parent-run-tree
});

export function Assistant() {
  const [text, setText] = useState("");
  return (
    <div>
      <button onClick={async () => setText(String(await respond.invoke(text)))}>Ask</button>
      <button onClick={async () => setText(String(await search.invoke(text)))}>Search</button>
      <p>{text}</p>
    </div>
  );
}
`,

  "web/widget.jsx": `"use client";
import { tool } from "@langchain/core/tools";
import { summarizer } from "./chains";

export const summarize = tool(async (input) => summarizer.invoke(input), { // expect: pass-runnable-config
  name: "summarize",
  description: "Summarize a text.",
});

// NESTED look-alike: a fresh config that spreads the parent's.
export const summarizeTagged = tool(async (input, config) => summarizer.invoke(input, { ...config, tags: ["widget"] }), {
  name: "summarize_tagged",
  description: "Summarize a text, tagged.",
});

export function Widget({ text }) {
  return <p className="widget">{text}</p>;
}
`,

  // The functional API from the /web entry.
  "web/workflow.mjs": `import { entrypoint, MemorySaver } from "@langchain/langgraph/web";
import { traceable } from "langsmith/traceable";
import { classifier } from "./chains.js";

const logDecision = traceable(async (label) => label, { name: "log_decision" });

export const triage = entrypoint({ name: "triage", checkpointer: new MemorySaver() }, async (ticket) => {
  const label = await classifier.invoke(ticket.text); // expect: pass-runnable-config
  await logDecision(label); // expect: pass-runnable-config
  return label;
});

// NESTED look-alike: the entrypoint passes its config on.
export const triageWithConfig = entrypoint({ name: "triage_with_config" }, async (ticket, config) => classifier.invoke(ticket.text, config));
`,
};

export interface Expected {
  file: string;
  line: number;
  ruleId: string;
}

/** The findings the markers ask for, sorted. */
export function expectedFindings(): Expected[] {
  const out: Expected[] = [];
  for (const [file, text] of Object.entries(FILES)) {
    text.split("\n").forEach((line, index) => {
      const match = /\/\/ expect: ([a-z-]+)\s*$/.exec(line);
      if (match) out.push({ file, line: index + 1, ruleId: `trace-nesting/${match[1]}` });
    });
  }
  return sortFindings(out);
}

export function sortFindings<T extends Expected>(list: T[]): T[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId));
}
