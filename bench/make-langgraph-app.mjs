#!/usr/bin/env node
/**
 * Writes a multi-file LangGraph app for the bench (`npm run bench`): a TypeScript project of 300+ files laid out the
 * way production LangGraph apps are, deterministic for a given seed (same seed, same bytes).
 *
 * - src/graphs/*.ts: one StateGraph per domain, each node imported from its own file and registered with `addNode`
 *   (imports written relative, relative with `.js`, and through the tsconfig `paths` alias `@/*`);
 * - src/nodes/<graph>/*.ts: one node per file, in five kinds: typed `(state, config: RunnableConfig)` importing only
 *   types and messages; no tracing import at all; a `traceable` helper inside; a p-limit fan-out; a call into a
 *   traced helper of src/lib with `config: LangGraphRunnableConfig`;
 * - src/state, src/prompts (ChatPromptTemplate), src/tools (`tool()` with zod), src/lib (traced helpers, p-queue
 *   work queues, plain helpers), src/services and src/utils (no tracing at all), src/types (interfaces only), test/,
 *   program entries (src/index.ts, src/server.ts, src/worker.ts, scripts/*.ts), tsconfig.json with `paths`.
 *
 * Usage: node bench/make-langgraph-app.mjs [--out DIR] [--seed N] [--graphs N]
 * Default output: .scratch/langgraph-app (gitignored). Prints one JSON line: { out, files, bytes, byKind }.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** mulberry32: a small seeded PRNG, so that the app is the same on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeLanggraphApp({ out, seed = 20260, graphs: graphCount = 12 }) {
  const random = prng(seed);
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const shuffle = (list) => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  };
  const cap = (s) => s[0].toUpperCase() + s.slice(1);
  const camel = (...parts) => parts[0] + parts.slice(1).map(cap).join("");

  const files = new Map();
  const kinds = {};
  const write = (file, kind, text) => {
    files.set(file, text);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  };

  const NOUNS = ["ticket", "account", "invoice", "order", "customer", "document", "chunk", "query", "report", "session", "message", "policy", "product", "review", "entity", "record", "payload", "summary", "intent", "citation"];
  const VERBS = ["normalize", "parse", "format", "score", "rank", "merge", "split", "validate", "clean", "dedupe", "extract", "group", "filter", "map", "collect", "resolve", "compute", "render", "encode", "truncate"];
  const FIELDS = ["id", "title", "body", "status", "priority", "createdAt", "updatedAt", "owner", "tags", "score", "source", "language", "region", "amount", "currency", "channel"];
  const GRAPHS = ["support", "research", "billing", "onboarding", "triage", "summarize", "sqlAgent", "rag", "email", "planner", "review", "ingest", "compliance", "sales", "translate", "qa"].slice(0, graphCount);
  const NODE_NAMES = ["classify", "retrieve", "rerank", "draft", "critique", "route", "extract", "validate", "enrich", "condense", "respond", "escalate", "plan", "execute", "reflect", "finalize", "lookup", "grade"];

  // A pure function of realistic shape (string, array, object and branch work): the bulk of a real code base.
  function helperFunction(name, exported = true) {
    const noun = pick(NOUNS);
    const field = pick(FIELDS);
    const other = pick(FIELDS);
    const Type = cap(name);
    const head = `${exported ? "export " : ""}function ${name}`;
    switch (int(0, 5)) {
      case 0:
        return `/** ${cap(pick(VERBS))}s the ${noun} ${field} values, skipping empty ones. */
${head}(items: Array<Record<string, unknown>>, limit = ${int(5, 50)}): string[] {
  const out: string[] = [];
  for (const item of items) {
    const value = item["${field}"];
    if (value === undefined || value === null) continue;
    const text = String(value).trim().toLowerCase();
    if (text.length === 0 || out.includes(text)) continue;
    out.push(text.length > ${int(40, 200)} ? text.slice(0, ${int(40, 200)}) + "…" : text);
    if (out.length >= limit) break;
  }
  return out;
}
`;
      case 1:
        return `${head}(input: string): { ${field}: string; ${other}: number; valid: boolean } {
  const parts = input.split(/[,;|]/).map((part) => part.trim()).filter(Boolean);
  let ${other} = 0;
  for (const part of parts) {
    if (/^\\d+$/.test(part)) ${other} += Number.parseInt(part, 10);
    else if (part.startsWith("${noun.slice(0, 3)}")) ${other} += ${int(2, 9)};
  }
  const ${field} = parts.find((part) => !/^\\d+$/.test(part)) ?? "${pick(NOUNS)}";
  return { ${field}, ${other}, valid: parts.length > 0 && ${other} < ${int(100, 10000)} };
}
`;
      case 2:
        return `export interface ${Type}${cap(field)}Options {
  ${field}?: string;
  ${other}?: number;
  strict?: boolean;
}

${head}(records: ${Type}Like[], options: ${Type}${cap(field)}Options = {}): Map<string, ${Type}Like[]> {
  const groups = new Map<string, ${Type}Like[]>();
  for (const record of records) {
    const key = String(record.${field} ?? options.${field} ?? "unknown");
    if (options.strict && key === "unknown") throw new Error(\`${noun} \${record.id} has no ${field}\`);
    const list = groups.get(key);
    if (list) list.push(record);
    else groups.set(key, [record]);
  }
  return groups;
}

type ${Type}Like = { id: string; ${field}?: string | number; ${other}?: unknown };
`;
      case 3:
        return `${head}(status: string, attempts: number): "${pick(["retry", "wait"])}" | "fail" | "done" {
  switch (status) {
    case "ok":
    case "accepted":
      return "done";
    case "rate_limited":
      return attempts < ${int(2, 6)} ? "${pick(["retry", "wait"])}" : "fail";
    case "timeout":
      if (attempts > ${int(3, 8)}) return "fail";
      return "${pick(["retry", "wait"])}";
    default:
      return attempts === 0 ? "${pick(["retry", "wait"])}" : "fail";
  }
}
`;
      case 4:
        return `${head}(values: number[]): { mean: number; p95: number; max: number } {
  if (values.length === 0) return { mean: 0, p95: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  const index = Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95));
  const top = sorted.slice(-${int(3, 10)});
  return { mean: Math.round(mean * 100) / 100, p95: sorted[index], max: top[top.length - 1] };
}
`;
      default:
        return `const ${name.toUpperCase()}_DEFAULTS = { ${field}: "${pick(NOUNS)}", ${other}: ${int(1, 99)}, enabled: ${chance(0.5)} };

${head}(overrides: Partial<typeof ${name.toUpperCase()}_DEFAULTS> = {}) {
  const merged = { ...${name.toUpperCase()}_DEFAULTS, ...overrides };
  const issues: string[] = [];
  if (!merged.${field}) issues.push("${field} is required");
  if (typeof merged.${other} === "number" && merged.${other} < 0) issues.push("${other} must be positive");
  return { value: merged, issues, ok: issues.length === 0 };
}
`;
    }
  }
  const usedNames = new Set();
  function uniqueName(prefix) {
    for (;;) {
      const name = camel(prefix ?? pick(VERBS), pick(NOUNS), pick(FIELDS));
      if (!usedNames.has(name)) {
        usedNames.add(name);
        return name;
      }
    }
  }
  const helpers = (count) => {
    const names = [];
    const text = [];
    for (let i = 0; i < count; i++) {
      const name = uniqueName();
      names.push(name);
      text.push(helperFunction(name));
    }
    return { names, text: text.join("\n") };
  };

  // Import paths in the three styles a TypeScript project mixes.
  const importPath = (fromDir, target) => {
    const style = int(0, 2);
    if (style === 0) return `@/${target}`;
    let rel = path.posix.relative(fromDir, `src/${target}`);
    if (!rel.startsWith(".")) rel = `./${rel}`;
    return style === 1 ? `${rel}.js` : rel;
  };

  // --- utils, types, services: no tracing at all --------------------------------------------------------------
  const utils = [];
  for (let i = 0; i < 40; i++) {
    const name = `${pick(VERBS)}-${pick(NOUNS)}-${i}`;
    const { names, text } = helpers(int(5, 12));
    utils.push({ module: `utils/${name}`, names });
    write(`src/utils/${name}.ts`, "util (no tracing)", `/**\n * ${cap(name.replace(/-/g, " "))} helpers.\n */\n\n${text}`);
  }
  for (let i = 0; i < 20; i++) {
    const noun = NOUNS[i % NOUNS.length];
    const fields = shuffle(FIELDS).slice(0, int(5, 12));
    write(
      `src/types/${noun}.ts`,
      "types",
      `export interface ${cap(noun)} {\n${fields.map((f) => `  ${f}${chance(0.3) ? "?" : ""}: ${pick(["string", "number", "boolean", "string[]", "Date", "Record<string, unknown>"])};`).join("\n")}\n}\n\n` +
        `export type ${cap(noun)}Id = string & { readonly __brand: "${noun}" };\n\nexport interface ${cap(noun)}Page {\n  items: ${cap(noun)}[];\n  cursor?: string;\n  total: number;\n}\n\n` +
        `export type ${cap(noun)}Event =\n  | { type: "created"; ${noun}: ${cap(noun)} }\n  | { type: "updated"; ${noun}: ${cap(noun)}; changes: Partial<${cap(noun)}> }\n  | { type: "deleted"; id: ${cap(noun)}Id };\n`,
    );
  }
  for (let i = 0; i < 30; i++) {
    const noun = pick(NOUNS);
    const util = pick(utils);
    const dir = "src/services";
    const { text } = helpers(int(3, 8));
    write(
      `${dir}/${noun}-service-${i}.ts`,
      "service (no tracing)",
      `import type { ${cap(noun)} } from "${importPath(dir, `types/${noun}`)}";\nimport { ${util.names[0]} } from "${importPath(dir, util.module)}";\n\n` +
        `export class ${cap(noun)}Service${i} {\n  private readonly cache = new Map<string, ${cap(noun)}>();\n\n  constructor(private readonly baseUrl: string, private readonly timeoutMs = ${int(1000, 30000)}) {}\n\n` +
        `  async get(id: string): Promise<${cap(noun)} | undefined> {\n    const hit = this.cache.get(id);\n    if (hit) return hit;\n    const response = await fetch(\`\${this.baseUrl}/${noun}s/\${encodeURIComponent(id)}\`, { signal: AbortSignal.timeout(this.timeoutMs) });\n    if (response.status === 404) return undefined;\n    if (!response.ok) throw new Error(\`${noun} \${id}: HTTP \${response.status}\`);\n    const value = (await response.json()) as ${cap(noun)};\n    this.cache.set(id, value);\n    return value;\n  }\n\n` +
        `  async list(query: string): Promise<${cap(noun)}[]> {\n    const response = await fetch(\`\${this.baseUrl}/${noun}s?q=\${encodeURIComponent(query)}\`);\n    const items = (await response.json()) as ${cap(noun)}[];\n    void ${util.names[0]};\n    return items;\n  }\n}\n\n${text}`,
    );
  }

  // --- lib: the model, traced helpers, work queues, plain helpers -------------------------------------------------
  write(
    "src/lib/model.ts",
    "lib (model)",
    `import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";\n\nexport const chatModel = new ChatOpenAI({ model: "gpt-4o-mini", temperature: 0 });\nexport const strongModel = new ChatOpenAI({ model: "gpt-4o", temperature: 0.2 });\nexport const embeddings = new OpenAIEmbeddings({ model: "text-embedding-3-small" });\n`,
  );
  const traced = [];
  for (let i = 0; i < 10; i++) {
    const noun = pick(NOUNS);
    const name = uniqueName(pick(["search", "fetch", "embed", "lookup", "score"]));
    const dir = "src/lib";
    const util = pick(utils);
    const { text } = helpers(int(1, 4));
    traced.push({ module: `lib/traced-${i}`, name });
    write(
      `${dir}/traced-${i}.ts`,
      "lib (traceable)",
      `import { traceable } from "langsmith/traceable";\nimport { ${util.names[0]} } from "${importPath(dir, util.module)}";\nimport { embeddings } from "${importPath(dir, "lib/model")}";\n\n` +
        `export const ${name} = traceable(\n  async (query: string, k = ${int(3, 10)}) => {\n    const vector = await embeddings.embedQuery(query);\n    const hits = await fetch("http://search.internal/${noun}", { method: "POST", body: JSON.stringify({ vector, k }) }).then((r) => r.json());\n    return ${util.names[0]}.length >= 0 ? (hits as Array<{ id: string; score: number }>) : [];\n  },\n  { name: "${name}", run_type: "${pick(["retriever", "tool", "chain"])}" },\n);\n\n${text}`,
    );
  }
  const queues = [];
  for (let i = 0; i < 8; i++) {
    const dir = "src/lib";
    const name = uniqueName("enqueue");
    const usesQueue = i % 2 === 0;
    const t = pick(traced);
    queues.push({ module: `lib/queue-${i}`, name });
    write(
      `${dir}/queue-${i}.ts`,
      usesQueue ? "lib (p-queue)" : "lib (p-limit)",
      (usesQueue
        ? `import PQueue from "p-queue";\nimport { ${t.name} } from "${importPath(dir, t.module)}";\n\nconst queue = new PQueue({ concurrency: ${int(2, 8)}, interval: 1000, intervalCap: ${int(5, 50)} });\n\n` +
          `export function ${name}(query: string) {\n  return queue.add(() => ${t.name}(query));\n}\n\nexport async function drain() {\n  await queue.onIdle();\n}\n`
        : `import pLimit from "p-limit";\nimport { ${t.name} } from "${importPath(dir, t.module)}";\n\nconst limit = pLimit(${int(2, 8)});\n\n` +
          `export function ${name}(queries: string[]) {\n  return Promise.all(queries.map((query) => limit(() => ${t.name}(query))));\n}\n`) + `\n${helpers(int(1, 3)).text}`,
    );
  }
  const plainLib = [];
  for (let i = 0; i < 22; i++) {
    const name = pick(["cache", "logger", "retry", "http", "env", "metrics", "ids", "clock", "errors", "config", "flags"]) + `-${i}`;
    const { names, text } = helpers(int(3, 8));
    plainLib.push({ module: `lib/${name}`, names });
    write(`src/lib/${name}.ts`, "lib (plain)", text);
  }

  // --- prompts, tools ---------------------------------------------------------------------------------------------
  const prompts = [];
  for (let i = 0; i < 24; i++) {
    const name = `${pick(NODE_NAMES)}Prompt${i}`;
    prompts.push({ module: `prompts/prompt-${i}`, name });
    const lines = Array.from({ length: int(6, 20) }, () => `- ${cap(pick(VERBS))} every ${pick(NOUNS)} by its ${pick(FIELDS)} before you ${pick(VERBS)} the ${pick(NOUNS)}.`);
    write(
      `src/prompts/prompt-${i}.ts`,
      "prompt",
      `import { ChatPromptTemplate, MessagesPlaceholder } from "@langchain/core/prompts";\n\nconst INSTRUCTIONS = \`You are a careful assistant.\n${lines.join("\n")}\`;\n\n` +
        `export const ${name} = ChatPromptTemplate.fromMessages([\n  ["system", INSTRUCTIONS],\n  new MessagesPlaceholder("messages"),\n  ["human", "{input}"],\n]);\n`,
    );
  }
  const tools = [];
  for (let i = 0; i < 16; i++) {
    const noun = pick(NOUNS);
    const name = camel("get", noun, "tool", String(i));
    const dir = "src/tools";
    const service = `services/${noun}-service-0`;
    tools.push({ module: `tools/${noun}-${i}`, name });
    write(
      `${dir}/${noun}-${i}.ts`,
      "tool",
      `import { tool } from "@langchain/core/tools";\nimport { z } from "zod";\n\n` +
        `export const ${name} = tool(\n  async ({ id, ${pick(FIELDS)} }) => {\n    const response = await fetch(\`http://api.internal/${noun}s/\${id}\`);\n    if (!response.ok) return \`no ${noun} \${id}\`;\n    return JSON.stringify(await response.json());\n  },\n  {\n    name: "${name}",\n    description: "Look up a ${noun} by id (${service}).",\n    schema: z.object({ id: z.string(), ${pick(FIELDS)}: z.string().optional() }),\n  },\n);\n`,
    );
  }

  // --- graphs: state, nodes in their own files, the graph that registers them --------------------------------------
  const graphs = [];
  for (const g of GRAPHS) {
    const G = cap(g);
    const fields = shuffle(FIELDS).slice(0, int(2, 6));
    write(
      `src/state/${g}.ts`,
      "state",
      `import { Annotation, MessagesAnnotation } from "@langchain/langgraph";\nimport type { Document } from "@langchain/core/documents";\n\n` +
        `export const ${G}State = Annotation.Root({\n  ...MessagesAnnotation.spec,\n  query: Annotation<string>(),\n  documents: Annotation<Document[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),\n` +
        fields.map((f) => `  ${f}: Annotation<string | undefined>(),\n`).join("") +
        `  steps: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),\n});\n\nexport type ${G}StateType = typeof ${G}State.State;\nexport type ${G}Update = typeof ${G}State.Update;\n`,
    );
    const nodes = shuffle(NODE_NAMES).slice(0, 8);
    const nodeImports = [];
    for (const [index, node] of nodes.entries()) {
      const dir = `src/nodes/${g}`;
      const stateImport = `import type { ${G}StateType } from "${importPath(dir, `state/${g}`)}";`;
      const util = pick(utils);
      const lib = pick(plainLib);
      const local = helpers(int(0, 3));
      const kind = [0, 0, 0, 1, 1, 2, 3, 4][(index + GRAPHS.indexOf(g)) % 8];
      let text;
      if (kind === 0) {
        const prompt = pick(prompts);
        text =
          `import type { RunnableConfig } from "@langchain/core/runnables";\nimport { ${pick(["AIMessage", "HumanMessage"])}, SystemMessage } from "@langchain/core/messages";\n${stateImport}\n` +
          `import { chatModel } from "${importPath(dir, "lib/model")}";\nimport { ${prompt.name} } from "${importPath(dir, prompt.module)}";\nimport { ${util.names[0]} } from "${importPath(dir, util.module)}";\n\n` +
          `export async function ${node}(state: ${G}StateType, config: RunnableConfig) {\n  const messages = await ${prompt.name}.formatMessages({ messages: state.messages, input: state.query });\n  const response = await chatModel.invoke([new SystemMessage("${cap(node)} the ${g} request."), ...messages], config);\n  void ${util.names[0]};\n  return { messages: [response], steps: 1 };\n}\n`;
      } else if (kind === 1) {
        text =
          `${stateImport}\nimport { ${util.names[0]} } from "${importPath(dir, util.module)}";\nimport { ${lib.names[0]} } from "${importPath(dir, lib.module)}";\n\n` +
          `export const ${node} = async (state: ${G}StateType) => {\n  const texts = state.documents.map((d) => d.pageContent);\n  if (texts.length === 0) return { steps: 1 };\n  void ${util.names[0]};\n  void ${lib.names[0]};\n  return { query: texts.join("\\n").slice(0, ${int(500, 4000)}), steps: 1 };\n};\n`;
      } else if (kind === 2) {
        const tool = pick(tools);
        text =
          `import { traceable } from "langsmith/traceable";\nimport type { LangGraphRunnableConfig } from "@langchain/langgraph";\n${stateImport}\nimport { ${tool.name} } from "${importPath(dir, tool.module)}";\n\n` +
          `const ${node}Step = traceable(async (query: string) => ${tool.name}.invoke({ id: query }), { name: "${g}.${node}" });\n\n` +
          `export async function ${node}(state: ${G}StateType, config: LangGraphRunnableConfig) {\n  config.writer?.({ status: "${node}" });\n  const result = await ${node}Step(state.query);\n  return { query: String(result), steps: 1 };\n}\n`;
      } else if (kind === 3) {
        const t = pick(traced);
        text =
          `import pLimit from "p-limit";\n${stateImport}\nimport { ${t.name} } from "${importPath(dir, t.module)}";\n\nconst limit = pLimit(${int(2, 6)});\n\n` +
          `export async function ${node}(state: ${G}StateType) {\n  const queries = state.query.split("\\n").filter(Boolean).slice(0, ${int(3, 12)});\n  const hits = await Promise.all(queries.map((q) => limit(() => ${t.name}(q))));\n  return { documents: hits.flat().map((h) => ({ pageContent: h.id, metadata: { score: h.score } })), steps: 1 };\n}\n`;
      } else {
        const q = pick(queues);
        text =
          `import type { LangGraphRunnableConfig } from "@langchain/langgraph";\nimport { AIMessage } from "@langchain/core/messages";\n${stateImport}\nimport { ${q.name} } from "${importPath(dir, q.module)}";\n\n` +
          `export const ${node} = async (state: ${G}StateType, config: LangGraphRunnableConfig) => {\n  const result = await ${q.name}(${q.module.includes("queue-") && Number(q.module.slice(-1)) % 2 === 1 ? "[state.query]" : "state.query"});\n  return { messages: [new AIMessage(JSON.stringify(result))], steps: 1 };\n};\n`;
      }
      write(`${dir}/${node}.ts`, ["node (types/messages only)", "node (no tracing import)", "node (traceable)", "node (p-limit)", "node (helper queue)"][kind], `${text}${local.text ? `\n${local.text}` : ""}`);
      nodeImports.push(node);
    }
    const dir = "src/graphs";
    write(
      `${dir}/${g}.ts`,
      "graph",
      `import { StateGraph, START, END } from "@langchain/langgraph";\nimport { ${G}State } from "${importPath(dir, `state/${g}`)}";\n` +
        nodeImports.map((n) => `import { ${n} } from "${importPath(dir, `nodes/${g}/${n}`)}";`).join("\n") +
        `\n\nexport function build${G}Graph() {\n  return new StateGraph(${G}State)\n` +
        nodeImports.map((n) => `    .addNode("${n}", ${n})`).join("\n") +
        `\n    .addEdge(START, "${nodeImports[0]}")\n` +
        nodeImports.slice(1).map((n, i) => `    .addEdge("${nodeImports[i]}", "${n}")`).join("\n") +
        `\n    .addEdge("${nodeImports.at(-1)}", END)\n    .compile();\n}\n\nexport const ${g}Graph = build${G}Graph();\n`,
    );
    graphs.push({ g, module: `graphs/${g}` });
  }

  // --- program entries and tests ------------------------------------------------------------------------------------
  write(
    "src/index.ts",
    "entry",
    graphs.map(({ g, module }) => `import { ${g}Graph } from "./${module}.js";`).join("\n") +
      `\n\nconst graphs = { ${graphs.map(({ g }) => g).join(", ")} };\n\nasync function main(name: keyof typeof graphs, query: string) {\n  const result = await graphs[name].invoke({ query, messages: [] });\n  console.log(JSON.stringify(result, null, 2));\n}\n\nawait main((process.argv[2] ?? "${graphs[0].g}") as keyof typeof graphs, process.argv[3] ?? "hello");\n`,
  );
  write(
    "src/server.ts",
    "entry",
    `import http from "node:http";\n` +
      graphs.slice(0, 4).map(({ g, module }) => `import { ${g}Graph } from "@/${module}";`).join("\n") +
      `\n\nconst routes = { ${graphs.slice(0, 4).map(({ g }) => `"/${g}": ${g}Graph`).join(", ")} };\n\n` +
      `http\n  .createServer(async (req, res) => {\n    const graph = routes[req.url as keyof typeof routes];\n    if (!graph) return void res.writeHead(404).end();\n    let body = "";\n    for await (const chunk of req) body += chunk;\n    const result = await graph.invoke({ query: body, messages: [] });\n    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));\n  })\n  .listen(Number(process.env.PORT ?? 3000));\n`,
  );
  write(
    "src/worker.ts",
    "entry",
    `import { ${queues[0].name}, drain } from "./${queues[0].module}.js";\n\nfor (const line of (process.env.QUERIES ?? "").split(",")) ${queues[0].name}(line);\nawait drain();\n`,
  );
  for (const name of ["seed", "eval", "export"]) {
    const graph = pick(graphs);
    write(`scripts/${name}.ts`, "entry", `import { ${graph.g}Graph } from "../src/${graph.module}";\n\nconst inputs = ["a", "b", "c"].map((query) => ({ query, messages: [] }));\nconst results = await ${graph.g}Graph.batch(inputs);\nconsole.log("${name}", results.length);\n`);
  }
  for (let i = 0; i < 20; i++) {
    const graph = graphs[i % graphs.length];
    const util = pick(utils);
    write(
      `test/${graph.g}-${i}.test.ts`,
      "test",
      `import { describe, expect, it } from "vitest";\nimport { build${cap(graph.g)}Graph } from "../src/${graph.module}";\nimport { ${util.names[0]} } from "../src/${util.module}";\n\n` +
        `describe("${graph.g} graph", () => {\n  it("compiles", () => {\n    expect(build${cap(graph.g)}Graph()).toBeDefined();\n  });\n  it("has helpers", () => {\n    expect(typeof ${util.names[0]}).toBe("function");\n  });\n});\n`,
    );
  }
  write(
    "package.json",
    "config",
    `${JSON.stringify({ name: "langgraph-bench-app", private: true, type: "module", scripts: { start: "tsx src/index.ts" }, dependencies: { "@langchain/core": "^1.0.0", "@langchain/langgraph": "^1.0.0", "@langchain/openai": "^1.0.0", langsmith: "^0.12.0", "p-limit": "^6.0.0", "p-queue": "^8.0.0", zod: "^4.0.0" } }, null, 2)}\n`,
  );
  write(
    "tsconfig.json",
    "config",
    `${JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, baseUrl: ".", paths: { "@/*": ["src/*"] }, skipLibCheck: true }, include: ["src", "scripts", "test"] }, null, 2)}\n`,
  );

  rmSync(out, { recursive: true, force: true });
  let bytes = 0;
  let sources = 0;
  for (const [file, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const full = path.join(out, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    bytes += Buffer.byteLength(text);
    if (file.endsWith(".ts")) sources++;
  }
  return { out, files: files.size, sources, bytes, byKind: kinds };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: "string" }, seed: { type: "string" }, graphs: { type: "string" } } });
  const result = makeLanggraphApp({
    out: path.resolve(values.out ?? path.join(root, ".scratch", "langgraph-app")),
    seed: values.seed ? Number(values.seed) : undefined,
    graphs: values.graphs ? Number(values.graphs) : undefined,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
