/**
 * CommonJS and module interop in the model and the project index: a CommonJS module loaded from an ES module through
 * `createRequire(import.meta.url)` or a default import (the default import of a CommonJS module is its
 * `module.exports`), members of `module.exports` that are no functions (a queue, an instance), `Object.assign(module.exports, …)`,
 * `module.exports = { ...require("./impl") }`, `module.exports = new Service()` and TypeScript's `export =`.
 */
import { Linter } from "eslint";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import plugin from "../../src/index.js";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function project(files: Record<string, string>, manifest: object = { name: "app", private: true, type: "module" }): string {
  const root = mkdtempSync(path.join(tmpdir(), "trace-nesting-cjs-"));
  roots.push(root);
  writeFileSync(path.join(root, "package.json"), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const P_QUEUE_8 = { runtime: "node", versions: { "p-queue": "8.1.1" } };

/** The message ids every trace-nesting rule reports on `file`. */
function findings(root: string, file: string, settings: Record<string, unknown> = P_QUEUE_8): string[] {
  const linter = new Linter({ configType: "flat", cwd: root });
  const config = [{ ...plugin.configs.recommended, settings: { "trace-nesting": settings } }] as Linter.Config[];
  const filename = path.join(root, file);
  const messages = linter.verify(readFileSync(filename, "utf8"), config, { filename });
  expect(messages.filter((m) => !m.ruleId?.startsWith("trace-nesting/"))).toEqual([]);
  return messages.map((m) => `${m.line}:${m.messageId}`);
}

const TRACED = `import { traceable } from "langsmith/traceable";
const child = traceable(async (x) => x, { name: "child" });
`;
const JOBS = `const PQueue = require("p-queue").default;
const queue = new PQueue({ concurrency: 1 });
module.exports = { queue, stats: { submitted: 0 } };
`;

describe("a CommonJS module loaded from an ES module", () => {
  it("through a require made by createRequire(import.meta.url)", () => {
    const root = project({
      "jobs.cjs": JOBS,
      "main.mjs": `import { createRequire } from "node:module";
${TRACED}const require = createRequire(import.meta.url);
const jobs = require("./jobs.cjs");
export const handle = traceable(async (x) => jobs.queue.add(() => child(x)));
`,
    });
    expect(findings(root, "main.mjs")).toEqual(["6:queued"]);
  });

  it("through createRequire called in place, and module.createRequire of a namespace import", () => {
    const root = project({
      "jobs.cjs": JOBS,
      "main.mjs": `import * as nodeModule from "node:module";
import { createRequire } from "module";
${TRACED}const load = nodeModule.createRequire(import.meta.url);
const { queue } = load("./jobs.cjs");
export const a = traceable(async (x) => queue.add(() => child(x)));
export const b = traceable(async (x) => createRequire(import.meta.url)("./jobs.cjs").queue.add(() => child(x)));
`,
    });
    expect(findings(root, "main.mjs")).toEqual(["7:queued", "8:queued"]);
  });

  it("through a default import: a member that is no function (a queue) is looked up in module.exports", () => {
    const root = project({
      "jobs.cjs": JOBS,
      "main.mjs": `${TRACED}import jobs from "./jobs.cjs";
export const handle = traceable(async (x) => { jobs.stats.submitted++; return jobs.queue.add(() => child(x)); });
`,
    });
    expect(findings(root, "main.mjs")).toEqual(["4:queued"]);
  });

  it("a module required inside the traced function is the module loaded before, not an object made there", () => {
    const root = project({
      "jobs.cjs": JOBS,
      "main.cjs": `const { traceable } = require("langsmith/traceable");
const child = traceable(async (x) => x, { name: "child" });
exports.handle = traceable(async (x) => require("./jobs.cjs").queue.add(() => child(x)));
`,
    });
    expect(findings(root, "main.cjs")).toEqual(["3:queued"]);
  });

  it("a require of a local function named require is no module load", () => {
    const root = project({
      "jobs.cjs": JOBS,
      "main.mjs": `${TRACED}const require = (name) => ({ queue: { add: (task) => task(), name } });
const jobs = require("./jobs.cjs");
export const handle = traceable(async (x) => jobs.queue.add(() => child(x)));
`,
    });
    expect(findings(root, "main.mjs")).toEqual([]);
  });

  it("a queue the CommonJS module makes per call, or a p-queue 10 queue, is not reported", () => {
    const root = project({
      "batch.cjs": `const PQueue = require("p-queue").default;
function runBatch(tasks) {
  const queue = new PQueue({ concurrency: 1 });
  return queue.addAll(tasks);
}
module.exports = { runBatch };
`,
      "jobs.cjs": JOBS,
      "main.mjs": `import { createRequire } from "node:module";
${TRACED}const require = createRequire(import.meta.url);
const batch = require("./batch.cjs");
const jobs = require("./jobs.cjs");
export const a = traceable(async (x) => batch.runBatch([() => child(x), () => child(x + 1)]));
export const b = traceable(async (x) => jobs.queue.add(() => child(x)));
`,
    });
    expect(findings(root, "main.mjs")).toEqual(["8:queued"]);
    expect(findings(root, "main.mjs", { runtime: "node", versions: { "p-queue": "10.0.0" } })).toEqual([]);
  });
});

describe("a client a CommonJS class's static factory makes, handed to a factory of traceables", () => {
  it("is followed a bounded number of steps (the chain of calls on calls once overflowed the stack)", () => {
    const root = project(
      {
        "routing.cjs": `const net = require("node:net");
class RoutingClient {
  #sock;
  #pending = new Map();
  static async connect(port) {
    const c = new RoutingClient();
    c.#sock = net.connect(port, "127.0.0.1");
    c.#sock.on("data", (d) => c.#onData(d));
    await new Promise((r) => c.#sock.once("connect", r));
    return c;
  }
  #onData(d) {
    const [ticket, agent] = String(d).split(" ");
    this.#pending.get(ticket)?.(agent);
  }
  route(ticket, onAssigned) {
    this.#pending.set(ticket, onAssigned);
    this.#sock.write(ticket);
  }
}
module.exports = { RoutingClient };
`,
        "main.cjs": `const { traceable } = require("langsmith/traceable");
const { RoutingClient } = require("./routing.cjs");
const notify = traceable(async (agent) => agent, { name: "notify" });
function makeAssigner(client) {
  return traceable(async (id) => notify(await new Promise((resolve) => client.route(id, resolve))), { name: "assign" });
}
(async () => {
  const client = await RoutingClient.connect(7000);
  makeAssigner(client);
})();
`,
      },
      { name: "app", private: true },
    );
    // The resolver is settled by the socket's data, which the call itself writes for: nothing to report, and no crash.
    expect(findings(root, "main.cjs")).toEqual([]);
  });
});

describe("forms of module.exports", () => {
  const MAIN = `${TRACED}import jobs from "./jobs.cjs";
export const handle = traceable(async (x) => jobs.queue.add(() => child(x)));
`;

  it("Object.assign(module.exports, { … }) (names Node's named imports cannot see: reached through the default import)", () => {
    const root = project({
      "jobs.cjs": `const { default: PQueue } = require("p-queue");
const queue = new PQueue({ concurrency: 1 });
Object.assign(module.exports, { queue });
`,
      "main.mjs": MAIN,
    });
    expect(findings(root, "main.mjs")).toEqual(["4:queued"]);
  });

  it("module.exports = { ...require(\"./impl\") }", () => {
    const root = project({
      "impl.cjs": `const pq = require("p-queue");\nexports.queue = new pq.default({ concurrency: 1 });\n`,
      "jobs.cjs": `module.exports = { ...require("./impl.cjs"), version: 2 };\n`,
      "main.mjs": MAIN,
    });
    expect(findings(root, "main.mjs")).toEqual(["4:queued"]);
  });

  it("module.exports = an object held in a variable, then module.exports.x = …", () => {
    const root = project({
      "jobs.cjs": `const PQueue = require("p-queue").default;
const registry = { queue: new PQueue({ concurrency: 1 }) };
module.exports = registry;
module.exports.later = new PQueue({ concurrency: 1 });
`,
      "main.mjs": `${TRACED}import jobs from "./jobs.cjs";
export const a = traceable(async (x) => jobs.queue.add(() => child(x)));
export const b = traceable(async (x) => jobs.later.add(() => child(x)));
`,
    });
    expect(findings(root, "main.mjs")).toEqual(["4:queued", "5:queued"]);
  });

  it("module.exports = new Service(): its methods, through a default import and createRequire", () => {
    const outbox = `class Outbox {
  constructor() {
    this.pending = [];
    setInterval(() => { for (const run of this.pending.splice(0)) run(); }, 10);
  }
  submit(job) {
    this.pending.push(job);
  }
  now(job) {
    return job();
  }
}
module.exports = new Outbox();
`;
    const root = project({
      "outbox.cjs": outbox,
      "main.mjs": `${TRACED}import outbox from "./outbox.cjs";
export const a = traceable(async (x) => { outbox.submit(() => child(x)); });
export const b = traceable(async (x) => outbox.now(() => child(x)));
`,
      "loaded.mjs": `import { createRequire } from "node:module";
${TRACED}const require = createRequire(import.meta.url);
const { submit } = require("./outbox.cjs");
export const a = traceable(async (x) => { submit(() => child(x)); });
`,
    });
    expect(findings(root, "main.mjs")).toEqual(["4:stored"]);
    expect(findings(root, "loaded.mjs")).toEqual(["6:stored"]);
  });

  it("module.exports = new Service() required and handed on: through a getter, to a helper of this file and of another module", () => {
    const root = project({
      "outbox.cjs": `class Outbox {
  constructor() {
    this.pending = [];
    setInterval(() => { for (const run of this.pending.splice(0)) run(); }, 10);
  }
  submit(job) {
    this.pending.push(job);
  }
}
module.exports = new Outbox();
`,
      "helpers.mjs": `export function handOver(target, job) {\n  return target.submit(job);\n}\n`,
      "main.mjs": `import { createRequire } from "node:module";
import { handOver } from "./helpers.mjs";
${TRACED}const require = createRequire(import.meta.url);
const outbox = require("./outbox.cjs");
function getOutbox() {
  return outbox;
}
function submitVia(target, job) {
  return target.submit(job);
}
export const a = traceable(async (x) => { getOutbox().submit(() => child(x)); });
export const b = traceable(async (x) => { submitVia(outbox, () => child(x)); });
export const c = traceable(async (x) => { handOver(outbox, () => child(x)); });
`,
    });
    expect(findings(root, "main.mjs")).toEqual(["13:stored", "14:stored", "15:stored"]);
  });

  it("TypeScript's export = in a .cts module, default-imported from a .mts module", () => {
    const root = project({
      "jobs.cts": `import PQueue = require("p-queue");\nconst queue = new PQueue.default({ concurrency: 1 });\nexport = { queue };\n`,
      "main.mts": `import { traceable } from "langsmith/traceable";
const child = traceable(async (x: number) => x, { name: "child" });
import jobs from "./jobs.cjs";
export const handle = traceable(async (x: number) => jobs.queue.add(() => child(x)));
`,
    });
    expect(findings(root, "main.mts")).toEqual(["4:queued"]);
  });
});

describe("resolution of CommonJS specifiers", () => {
  it("require of an extensionless path and of a directory (index.js), in a package without type module", () => {
    const root = project(
      {
        "lib/index.js": JOBS,
        "jobs.js": JOBS,
        "main.js": `const { traceable } = require("langsmith/traceable");
const child = traceable(async (x) => x, { name: "child" });
const lib = require("./lib");
const { queue } = require("./jobs");
exports.a = traceable(async (x) => lib.queue.add(() => child(x)));
exports.b = traceable(async (x) => queue.add(() => child(x)));
`,
      },
      { name: "app", private: true },
    );
    expect(findings(root, "main.js")).toEqual(["5:queued", "6:queued"]);
  });
});

describe("resolution under a tsconfig with nodenext resolution", () => {
  it("a require made by createRequire in an ES module resolves an extensionless path and a directory as require does", () => {
    const root = project({
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", allowJs: true } }),
      "lib/index.cjs": JOBS,
      "lib/package.json": JSON.stringify({ main: "index.cjs" }),
      "jobs.cjs": JOBS,
      "main.mjs": `import { createRequire } from "node:module";
${TRACED}const require = createRequire(import.meta.url);
const lib = require("./lib");
export const a = traceable(async (x) => lib.queue.add(() => child(x)));
`,
    });
    expect(findings(root, "main.mjs")).toEqual(["6:queued"]);
  });
});

describe("a CommonJS helper module of a /web graph, loaded with createRequire", () => {
  it("the node's call of the helper and the helper's runnable call are reported in their own files", () => {
    const root = project({
      "helpers.cjs": `const { RunnableLambda } = require("@langchain/core/runnables");
const draft = RunnableLambda.from(async (q) => q);
async function writeAnswer(q) {
  return draft.invoke(q);
}
module.exports = { writeAnswer };
`,
      "graph.mjs": `import { createRequire } from "node:module";
import { StateGraph } from "@langchain/langgraph/web";
const require = createRequire(import.meta.url);
const helpers = require("./helpers.cjs");
export const graph = new StateGraph({ channels: {} }).addNode("respond", async (state) => ({ a: await helpers.writeAnswer(state.q) }));
`,
    });
    expect(findings(root, "graph.mjs", { runtime: "auto" })).toEqual(["5:importedHelperWithoutConfig"]);
    expect(findings(root, "helpers.cjs", { runtime: "auto" })).toEqual(["4:exportedHelperWithoutConfig"]);
  });
});
