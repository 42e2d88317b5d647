import type { InvalidTestCase, ValidTestCase } from "@typescript-eslint/rule-tester";
import { describe, expect, it } from "vitest";
import { isOwnedUrl } from "../../src/js/model/http.js";
import { describeIdempotency, NODE, rule, tester } from "./helpers.js";

const RULE = "propagate-trace-headers";
type Options = [Record<string, unknown>];

/** The file's tracing import (last import), and what the fix makes of it. */
const IMP = `import { traceable } from "langsmith/traceable";\n`;
const IMP_FIXED = `import { traceable, getCurrentRunTree } from "langsmith/traceable";\nimport { isRunTree } from "langsmith/run_trees";\n`;
const HELPER = `

/** The current run's \`langsmith-trace\` and \`baggage\` headers; none outside a trace or with tracing off. */
function langsmithTraceHeaders() {
  const runTree = getCurrentRunTree(true);
  return isRunTree(runTree) ? runTree.toHeaders() : {};
}
`;
const SERVICES = (services: string[]) => ({ "trace-nesting": { runtime: "node", services } });
const SDK = `import { Client } from "@langchain/langgraph-sdk";\n`;
const CLIENT = `const client = new Client({ apiUrl: "https://agents.example.com" });\n`;

const valid: ValidTestCase<Options>[] = [
  {
    name: "fetch to this file's own loopback server, whose handler starts no runs (it settles a callback kept by the trace)",
    code: `import http from "node:http";\n${IMP}const waiters = new Map<string, () => void>();\nconst server = http.createServer((req, res) => { waiters.get(req.url ?? "")?.(); res.end("ok"); });\nexport const ask = traceable(async (port: number) => fetch(\`http://127.0.0.1:\${port}/hook\`));`,
  },
  { name: "third-party absolute URL", code: `${IMP}export const ask = traceable(async (q: string) => fetch("https://api.openai.com/v1/chat", { method: "POST", body: q }));` },
  { name: "third-party host in a template literal", code: `${IMP}export const ask = traceable(async (q: string) => fetch(\`https://search.example.com/?q=\${q}\`));` },
  { name: "third-party base of new URL", code: `${IMP}export const ask = traceable(async (q: string) => fetch(new URL("/v1/search", "https://search.example.com")));` },
  { name: "URL from an env variable that services does not list", code: `${IMP}export const ask = traceable(async () => fetch(\`\${process.env.PARTNER_URL}/v1/x\`));`, settings: SERVICES(["$SEARCH_URL"]) },
  { name: "URL from an unknown parameter", code: `${IMP}export const ask = traceable(async (url: string) => fetch(url));` },
  { name: "URL from a let variable (may change)", code: `${IMP}let base = "http://localhost:3000";\nexport function setBase(b: string) { base = b; }\nexport const ask = traceable(async () => fetch(base + "/x"));` },
  { name: "loopback-looking host that goes on", code: `${IMP}export const ask = traceable(async (h: string) => fetch("http://localhost" + h));` },
  { name: "a subdomain of localhost's lookalike", code: `${IMP}export const ask = traceable(async () => fetch("http://127.0.0.1.nip.example/x"));` },
  { name: "services prefix does not match a longer host", code: `${IMP}export const ask = traceable(async () => fetch("https://api.corp.example.evil.com/x"));`, settings: SERVICES(["https://api.corp.example"]) },
  { name: "services glob does not match another domain", code: `${IMP}export const ask = traceable(async () => fetch("https://corp.example.evil.com/x"));`, settings: SERVICES(["https://*.corp.example/**"]) },
  { name: "outside any traced scope", code: `${IMP}export async function ask(q: string) { return fetch("/api/answer", { method: "POST", body: q }); }` },
  {
    name: "already sends the run's headers",
    code: `${IMP}import { getCurrentRunTree } from "langsmith/traceable";\nexport const ask = traceable(async () => fetch("/api/answer", { headers: getCurrentRunTree().toHeaders() }));`,
  },
  {
    name: "headers held in a local from toHeaders()",
    code: `${IMP}import { getCurrentRunTree } from "langsmith/traceable";\nexport const ask = traceable(async () => {\n  const headers = getCurrentRunTree().toHeaders();\n  return fetch("/api/answer", { headers });\n});`,
  },
  {
    name: "headers spread from a local holding toHeaders()",
    code: `${IMP}import { getCurrentRunTree } from "langsmith/traceable";\nexport const ask = traceable(async () => {\n  const trace = getCurrentRunTree().toHeaders();\n  return fetch("/api/answer", { headers: { ...trace, accept: "text/plain" } });\n});`,
  },
  {
    name: "headers set on a Headers instance by toHeaders(h)",
    code: `${IMP}import { getCurrentRunTree } from "langsmith/traceable";\nexport const ask = traceable(async () => {\n  const headers = new Headers();\n  getCurrentRunTree().toHeaders(headers);\n  return fetch("/api/answer", { headers });\n});`,
  },
  {
    name: "SDK run whose configurable already carries the trace (built in a helper)",
    code: `${SDK}${IMP}import { getCurrentRunTree } from "langsmith/traceable";\n${CLIENT}function traceConfig() { return { configurable: getCurrentRunTree().toHeaders() }; }\nexport const plan = traceable(async (q: string) => client.runs.wait(null, "agent", { input: { q }, config: traceConfig() }));`,
  },
  { name: "a helper that no traced scope calls", code: `${IMP}export async function ping() { return fetch("/health"); }\nexport const other = traceable(async () => 1);` },
  { name: "no AsyncLocalStorage in this file", code: `${IMP}export const ask = traceable(async () => fetch("/api/answer"));`, settings: { "trace-nesting": { runtime: "browser" } } },
  { name: "a local function named fetch", code: `${IMP}const fetch = async (u: string) => u;\nexport const ask = traceable(async () => fetch("/api/answer"));` },
];

const invalid: InvalidTestCase<string, Options>[] = [
  {
    name: "fetch to a relative URL without init",
    code: `${IMP}export const ask = traceable(async () => fetch("/api/answer"));`,
    output: `${IMP_FIXED}export const ask = traceable(async () => fetch("/api/answer", { headers: langsmithTraceHeaders() }));${HELPER}`,
    errors: [{ messageId: "missing", data: { label: "fetch", where: "traceable" } }],
  },
  {
    name: "fetch to this file's own loopback server whose handler does traced work",
    code: `import http from "node:http";\n${IMP}const record = traceable(async (u: string) => u);\nconst server = http.createServer(async (req, res) => { await record(req.url ?? ""); res.end("ok"); });\nexport const ask = traceable(async (port: number) => fetch(\`http://127.0.0.1:\${port}/hit\`));`,
    output: `import http from "node:http";\n${IMP_FIXED}const record = traceable(async (u: string) => u);\nconst server = http.createServer(async (req, res) => { await record(req.url ?? ""); res.end("ok"); });\nexport const ask = traceable(async (port: number) => fetch(\`http://127.0.0.1:\${port}/hit\`, { headers: langsmithTraceHeaders() }));${HELPER}`,
    errors: [{ messageId: "missing" }],
  },
  {
    name: "fetch to loopback through a const base URL; headers object literal",
    code: `${IMP}const BASE = \`http://127.0.0.1:\${process.env.PORT}\`;\nexport const ask = traceable(async (q: string) => fetch(\`\${BASE}/answer\`, { method: "POST", headers: { "content-type": "text/plain" }, body: q }));`,
    output: `${IMP_FIXED}const BASE = \`http://127.0.0.1:\${process.env.PORT}\`;\nexport const ask = traceable(async (q: string) => fetch(\`\${BASE}/answer\`, { method: "POST", headers: { "content-type": "text/plain", ...langsmithTraceHeaders() }, body: q }));${HELPER}`,
    errors: [{ messageId: "missing" }],
  },
  {
    name: "fetch with the init in a variable",
    code: `${IMP}export const ask = traceable(async (q: string) => {\n  const init = { method: "POST", headers: { accept: "application/json" }, body: q };\n  return fetch("/api/answer", init);\n});`,
    output: `${IMP_FIXED}export const ask = traceable(async (q: string) => {\n  const init = { method: "POST", headers: { accept: "application/json" }, body: q };\n  return fetch("/api/answer", { ...init, headers: { ...init.headers, ...langsmithTraceHeaders() } });\n});${HELPER}`,
    errors: [{ messageId: "missing" }],
  },
  {
    name: "fetch with a Headers instance: copied, never mutated",
    code: `${IMP}export const ask = traceable(async () => {\n  const headers = new Headers({ accept: "application/json" });\n  return fetch("http://localhost:8080/answer", { headers });\n});`,
    output: `${IMP_FIXED}export const ask = traceable(async () => {\n  const headers = new Headers({ accept: "application/json" });\n  return fetch("http://localhost:8080/answer", { headers: new Headers([...headers, ...Object.entries(langsmithTraceHeaders())]) });\n});${HELPER}`,
    errors: [{ messageId: "missing" }],
  },
  {
    name: "fetch of new URL(path, base) with an owned base from services",
    code: `${IMP}export const ask = traceable(async () => fetch(new URL("/v1/answer", process.env.ANSWER_URL)));`,
    settings: SERVICES(["$ANSWER_URL"]),
    output: `${IMP_FIXED}export const ask = traceable(async () => fetch(new URL("/v1/answer", process.env.ANSWER_URL), { headers: langsmithTraceHeaders() }));${HELPER}`,
    errors: [{ messageId: "missing" }],
  },
  {
    name: "axios.get to a host matched by a services glob",
    code: `import axios from "axios";\n${IMP}export const ask = traceable(async (q: string) => axios.get(\`https://search.corp.example/v1/\${q}\`));`,
    settings: SERVICES(["https://*.corp.example/**"]),
    output: `import axios from "axios";\n${IMP_FIXED}export const ask = traceable(async (q: string) => axios.get(\`https://search.corp.example/v1/\${q}\`, { headers: langsmithTraceHeaders() }));${HELPER}`,
    errors: [{ messageId: "missing", data: { label: "axios.get", where: "traceable" } }],
  },
  {
    name: "axios instance with an env base URL, posted from a helper the traced function calls",
    code: `import axios from "axios";\n${IMP}const api = axios.create({ baseURL: process.env.SEARCH_URL });\nasync function search(q: string) {\n  return api.post("/search", { q });\n}\nexport const ask = traceable(async (q: string) => search(q));`,
    settings: SERVICES(["$SEARCH_URL"]),
    output: `import axios from "axios";\n${IMP_FIXED}const api = axios.create({ baseURL: process.env.SEARCH_URL });\nasync function search(q: string) {\n  return api.post("/search", { q }, { headers: langsmithTraceHeaders() });\n}\nexport const ask = traceable(async (q: string) => search(q));${HELPER}`,
    errors: [{ messageId: "missing", data: { label: "api.post", where: "traceable" } }],
  },
  {
    name: "got with options, to a services prefix",
    code: `import got from "got";\n${IMP}export const ask = traceable(async (q: string) => got.post("https://api.corp.example/answer", { json: { q } }));`,
    settings: SERVICES(["https://api.corp.example/"]),
    output: `import got from "got";\n${IMP_FIXED}export const ask = traceable(async (q: string) => got.post("https://api.corp.example/answer", { json: { q }, headers: langsmithTraceHeaders() }));${HELPER}`,
    errors: [{ messageId: "missing" }],
  },
  {
    name: "http.request(url, callback): options go before the callback",
    code: `import http from "node:http";\n${IMP}export const ask = traceable(async () => new Promise((resolve) => http.request("http://localhost:3000/answer", resolve).end()));`,
    output: `import http from "node:http";\n${IMP_FIXED}export const ask = traceable(async () => new Promise((resolve) => http.request("http://localhost:3000/answer", { headers: langsmithTraceHeaders() }, resolve).end()));${HELPER}`,
    errors: [{ messageId: "missing", data: { label: "http.request", where: "traceable" } }],
  },
  {
    name: "LangGraph SDK runs.create without a config",
    code: `${SDK}${IMP}${CLIENT}export const plan = traceable(async (q: string) => client.runs.create("thread-1", "agent", { input: { q } }));`,
    output: `${SDK}${IMP_FIXED}${CLIENT}export const plan = traceable(async (q: string) => client.runs.create("thread-1", "agent", { input: { q }, config: { configurable: langsmithTraceHeaders() } }));${HELPER}`,
    errors: [{ messageId: "missingRun", data: { label: "client.runs.create", where: "traceable" } }],
  },
  {
    name: "LangGraph SDK runs.stream with a configurable literal",
    code: `${SDK}${IMP}${CLIENT}export const plan = traceable(async (q: string) => client.runs.stream(null, "agent", { input: { q }, config: { configurable: { user_id: "u1" } } }));`,
    output: `${SDK}${IMP_FIXED}${CLIENT}export const plan = traceable(async (q: string) => client.runs.stream(null, "agent", { input: { q }, config: { configurable: { user_id: "u1", ...langsmithTraceHeaders() } } }));${HELPER}`,
    errors: [{ messageId: "missingRun" }],
  },
  {
    name: "LangGraph SDK runs.wait with the payload in a variable, client from a factory function",
    code: `${SDK}${IMP}function makeClient() { return new Client({ apiUrl: process.env.AGENT_URL }); }\nconst agents = makeClient();\nexport const plan = traceable(async (payload: { input: object }) => agents.runs.wait(null, "agent", payload));`,
    output: `${SDK}${IMP_FIXED}function makeClient() { return new Client({ apiUrl: process.env.AGENT_URL }); }\nconst agents = makeClient();\nexport const plan = traceable(async (payload: { input: object }) => agents.runs.wait(null, "agent", { ...payload, config: { ...payload?.config, configurable: { ...payload?.config?.configurable, ...langsmithTraceHeaders() } } }));${HELPER}`,
    errors: [{ messageId: "missingRun" }],
  },
  {
    name: "RemoteGraph.invoke without a config",
    code: `import { RemoteGraph } from "@langchain/langgraph/remote";\n${IMP}const researcher = new RemoteGraph({ graphId: "researcher", url: process.env.RESEARCH_URL });\nexport const plan = traceable(async (topic: string) => researcher.invoke({ topic }));`,
    output: `import { RemoteGraph } from "@langchain/langgraph/remote";\n${IMP_FIXED}const researcher = new RemoteGraph({ graphId: "researcher", url: process.env.RESEARCH_URL });\nexport const plan = traceable(async (topic: string) => researcher.invoke({ topic }, { configurable: langsmithTraceHeaders() }));${HELPER}`,
    errors: [{ messageId: "missingRun", data: { label: "researcher.invoke", where: "traceable" } }],
  },
  {
    name: "RemoteGraph.stream with a config holding a thread id",
    code: `import { RemoteGraph } from "@langchain/langgraph/remote";\n${IMP}const researcher = new RemoteGraph({ graphId: "researcher", url: "https://r.example.com" });\nexport const plan = traceable(async (topic: string) => researcher.stream({ topic }, { configurable: { thread_id: "t1" } }));`,
    output: `import { RemoteGraph } from "@langchain/langgraph/remote";\n${IMP_FIXED}const researcher = new RemoteGraph({ graphId: "researcher", url: "https://r.example.com" });\nexport const plan = traceable(async (topic: string) => researcher.stream({ topic }, { configurable: { thread_id: "t1", ...langsmithTraceHeaders() } }));${HELPER}`,
    errors: [{ messageId: "missingRun" }],
  },
  {
    name: "a run scheduled for later gets a suggestion",
    code: `${SDK}${IMP}${CLIENT}export const plan = traceable(async (q: string) => client.runs.create("t", "agent", { input: { q }, afterSeconds: 60 }));`,
    output: null,
    errors: [
      {
        messageId: "scheduled",
        suggestions: [{ messageId: "suggestHeaders", output: `${SDK}${IMP_FIXED}${CLIENT}export const plan = traceable(async (q: string) => client.runs.create("t", "agent", { input: { q }, afterSeconds: 60, config: { configurable: langsmithTraceHeaders() } }));${HELPER}` }],
      },
    ],
  },
  {
    name: "the helper already in the file is reused",
    code: `${IMP_FIXED}export const ask = traceable(async () => fetch("/api/answer"));${HELPER}`,
    output: `${IMP_FIXED}export const ask = traceable(async () => fetch("/api/answer", { headers: langsmithTraceHeaders() }));${HELPER}`,
    errors: [{ messageId: "missing" }],
  },
  {
    name: "headers of unknown kind: reported without a fix",
    code: `${IMP}export const ask = traceable(async (headers: HeadersInit) => fetch("/api/answer", { headers }));`,
    output: null,
    errors: [{ messageId: "missing" }],
  },
];

valid.push({
  name: "headers held in a local from an optional toHeaders?.() call on an optional run tree",
  code: `${IMP}import { getCurrentRunTree } from "langsmith/traceable";\nexport const ask = traceable(async () => {\n  const headers = getCurrentRunTree(true)?.toHeaders?.() ?? {};\n  return fetch("/api/answer", { method: "POST", headers });\n});`,
});

tester(NODE).run(RULE, rule(RULE), { valid, invalid });
describeIdempotency(RULE, invalid.filter((c) => c.output !== null || c.errors.some((e) => "suggestions" in e)) as never, NODE);

describe("isOwnedUrl", () => {
  it("owns relative URLs and loopback hosts, never unknown or third-party hosts", () => {
    expect(isOwnedUrl("/api", true, [])).toBe(true);
    expect(isOwnedUrl("api/answer", true, [])).toBe(true);
    expect(isOwnedUrl("http://localhost:3000/x", true, [])).toBe(true);
    expect(isOwnedUrl("http://127.0.0.1:", false, [])).toBe(true);
    expect(isOwnedUrl("http://[::1]/x", true, [])).toBe(true);
    expect(isOwnedUrl("http://localhost", false, [])).toBe(false);
    expect(isOwnedUrl("https://example.com/x", true, [])).toBe(false);
    expect(isOwnedUrl("//cdn.example.com/x", true, [])).toBe(false);
    expect(isOwnedUrl("", false, [])).toBe(false);
  });

  it("matches services prefixes at a boundary and globs by host", () => {
    expect(isOwnedUrl("https://api.corp.example/v1", true, ["https://api.corp.example"])).toBe(true);
    expect(isOwnedUrl("https://api.corp.example.evil.com/v1", true, ["https://api.corp.example"])).toBe(false);
    expect(isOwnedUrl("https://a.corp.example/v1/", false, ["https://*.corp.example/**"])).toBe(true);
    expect(isOwnedUrl("https://a.corp.example", false, ["https://*.corp.example/**"])).toBe(false);
    expect(isOwnedUrl("https://corp.example.evil.com/x", true, ["https://*.corp.example/**"])).toBe(false);
  });
});
