import type { InvalidTestCase, ValidTestCase } from "@typescript-eslint/rule-tester";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describeIdempotency, NODE, rule, tester } from "./helpers.js";

const RULE = "continue-distributed-trace";
type Options = [Record<string, unknown>];
const ROOTS: Options = [{ reportRoots: true }];

const IMP = `import { traceable } from "langsmith/traceable";\nconst answer = traceable(async (q: string) => q, { name: "answer" });\n`;
const IMP_FIXED = `import { traceable, withRunTree } from "langsmith/traceable";\nimport { RunTree } from "langsmith/run_trees";\nconst answer = traceable(async (q: string) => q, { name: "answer" });\n`;
const EXPRESS = `import express from "express";\n`;

/** A project on disk: a server module and a client module that calls its route. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "trace-nesting-distributed-"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "p", type: "module" }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
const SERVER = `${EXPRESS}${IMP}const app = express();\napp.post("/api/answer", async (req, res) => {\n  res.json({ a: await answer(req.body.q) });\n});\n`;
const withCaller = project({
  "src/server.ts": SERVER,
  "src/client.ts": `export async function ask(q: string) { return fetch("/api/answer", { method: "POST", body: q }); }\n`,
});
const withoutCaller = project({ "src/server.ts": SERVER, "src/client.ts": `export async function ask(q: string) { return fetch("/api/other", { method: "POST", body: q }); }\n` });

const valid: ValidTestCase<Options>[] = [
  { name: "recommended: a handler no caller in the project names is a root by design", code: SERVER, filename: path.join(project({}), "src/server.ts") },
  { name: "recommended, project on disk: the only client calls another route", code: SERVER, filename: path.join(withoutCaller, "src/server.ts") },
  {
    name: "recommended: the server's own file calls third parties; its route registration is no caller",
    code: `${EXPRESS}import axios from "axios";\n${IMP}const app = express();\napp.post("/api/answer", async (req, res) => res.json({ a: await answer(req.body.q), b: (await axios.get("https://example.com/x")).data }));`,
    filename: path.join(project({}), "src/server.ts"),
  },
  { name: "a handler with no traced work", code: `${EXPRESS}${IMP}const app = express();\napp.get("/health", async (req, res) => res.send("ok"));`, options: ROOTS },
  {
    name: "a handler that already continues the trace",
    code: `${EXPRESS}${IMP}import { RunTree } from "langsmith/run_trees";\nimport { withRunTree } from "langsmith/traceable";\nconst app = express();\napp.post("/a", async (req, res) => {\n  const parent = RunTree.fromHeaders(req.headers as Record<string, string | string[]>);\n  res.json(parent ? await withRunTree(parent, () => answer(req.body.q)) : await answer(req.body.q));\n});`,
    options: ROOTS,
  },
  {
    name: "a handler passing the incoming headers as the traceable's parent",
    code: `${EXPRESS}${IMP}import { RunTree } from "langsmith/run_trees";\nconst app = express();\napp.post("/a", async (req, res) => res.json(await answer(RunTree.fromHeaders(req.headers) as never, req.body.q)));`,
    options: ROOTS,
  },
  { name: "a server started outside any trace", code: `import { createServer } from "node:http";\n${IMP}const server = createServer((req, res) => route(req, res));\nserver.listen(3000);` },
  { name: "a server-like object that is no server", code: `${IMP}const cache = { listen: (p: number) => p };\nexport const boot = traceable(async () => cache.listen(3000));` },
  { name: "no AsyncLocalStorage in this file", code: SERVER, options: ROOTS, settings: { "trace-nesting": { runtime: "browser" } } },
];

const invalid: InvalidTestCase<string, Options>[] = [
  {
    name: "Express handler (distributed)",
    code: `${EXPRESS}${IMP}const app = express();\napp.post("/api/answer", async (req, res) => {\n  const a = await answer(req.body.q);\n  res.json({ a });\n});`,
    options: ROOTS,
    output: `${EXPRESS}${IMP_FIXED}const app = express();\napp.post("/api/answer", async (req, res) => {\n  const parentRun = RunTree.fromHeaders(req.headers as Record<string, string | string[]>);\n  const handle = async () => {\n    const a = await answer(req.body.q);\n    res.json({ a });\n  };\n  return parentRun ? withRunTree(parentRun, handle) : handle();\n});`,
    errors: [{ messageId: "notContinued", data: { framework: "express" } }],
  },
  {
    name: "recommended: a handler whose route a client in the same file calls",
    code: `${EXPRESS}${IMP}const app = express();\napp.post("/api/answer", async (req, res) => res.json({ a: await answer(req.body.q) }));\nexport const ask = traceable(async (q: string) => fetch("/api/answer", { method: "POST", body: q }));`,
    output: `${EXPRESS}${IMP_FIXED}const app = express();\napp.post("/api/answer", async (req, res) => {\n  const parentRun = RunTree.fromHeaders(req.headers as Record<string, string | string[]>);\n  const handle = async () => res.json({ a: await answer(req.body.q) });\n  return parentRun ? withRunTree(parentRun, handle) : handle();\n});\nexport const ask = traceable(async (q: string) => fetch("/api/answer", { method: "POST", body: q }));`,
    errors: [{ messageId: "notContinued" }],
  },
  {
    name: "recommended, project on disk: a client in another file calls the route",
    code: SERVER,
    filename: path.join(withCaller, "src/server.ts"),
    output: `${EXPRESS}${IMP_FIXED}const app = express();\napp.post("/api/answer", async (req, res) => {\n  const parentRun = RunTree.fromHeaders(req.headers as Record<string, string | string[]>);\n  const handle = async () => {\n    res.json({ a: await answer(req.body.q) });\n  };\n  return parentRun ? withRunTree(parentRun, handle) : handle();\n});\n`,
    errors: [{ messageId: "notContinued" }],
  },
  {
    name: "Express router, handler in a variable",
    code: `${EXPRESS}${IMP}const router = express.Router();\nconst handler = async (req: any, res: any) => res.json(await answer(req.body.q));\nrouter.post("/a", handler);`,
    options: ROOTS,
    output: `${EXPRESS}${IMP_FIXED}const router = express.Router();\nconst handler = async (req: any, res: any) => {\n  const parentRun = RunTree.fromHeaders(req.headers as Record<string, string | string[]>);\n  const handle = async () => res.json(await answer(req.body.q));\n  return parentRun ? withRunTree(parentRun, handle) : handle();\n};\nrouter.post("/a", handler);`,
    errors: [{ messageId: "notContinued" }],
  },
  {
    name: "Fastify route",
    code: `import Fastify from "fastify";\n${IMP}const app = Fastify();\napp.post("/a", async (request: any) => ({ a: await answer(request.body.q) }));`,
    options: ROOTS,
    output: `import Fastify from "fastify";\n${IMP_FIXED}const app = Fastify();\napp.post("/a", async (request: any) => {\n  const parentRun = RunTree.fromHeaders(request.headers as Record<string, string | string[]>);\n  const handle = async () => ({ a: await answer(request.body.q) });\n  return parentRun ? withRunTree(parentRun, handle) : handle();\n});`,
    errors: [{ messageId: "notContinued", data: { framework: "fastify" } }],
  },
  {
    name: "Hono: headers from c.req.raw",
    code: `import { Hono } from "hono";\n${IMP}const app = new Hono();\napp.post("/a", async (c) => c.json({ a: await answer(await c.req.text()) }));`,
    options: ROOTS,
    output: `import { Hono } from "hono";\n${IMP_FIXED}const app = new Hono();\napp.post("/a", async (c) => {\n  const parentRun = RunTree.fromHeaders(c.req.raw.headers);\n  const handle = async () => c.json({ a: await answer(await c.req.text()) });\n  return parentRun ? withRunTree(parentRun, handle) : handle();\n});`,
    errors: [{ messageId: "notContinued", data: { framework: "hono" } }],
  },
  {
    name: "Koa middleware",
    code: `import Koa from "koa";\n${IMP}const app = new Koa();\napp.use(async (ctx) => {\n  ctx.body = await answer(String(ctx.query.q));\n});`,
    options: ROOTS,
    output: `import Koa from "koa";\n${IMP_FIXED}const app = new Koa();\napp.use(async (ctx) => {\n  const parentRun = RunTree.fromHeaders(ctx.headers as Record<string, string | string[]>);\n  const handle = async () => {\n    ctx.body = await answer(String(ctx.query.q));\n  };\n  return parentRun ? withRunTree(parentRun, handle) : handle();\n});`,
    errors: [{ messageId: "notContinued", data: { framework: "koa" } }],
  },
  {
    name: "Next.js route handler",
    code: `${IMP}export async function POST(req: Request) {\n  return Response.json({ a: await answer(await req.text()) });\n}`,
    filename: "app/api/answer/route.ts",
    options: ROOTS,
    output: `${IMP_FIXED}export async function POST(req: Request) {\n  const parentRun = RunTree.fromHeaders(req.headers);\n  const handle = async () => {\n    return Response.json({ a: await answer(await req.text()) });\n  };\n  return parentRun ? withRunTree(parentRun, handle) : handle();\n}`,
    errors: [{ messageId: "notContinued", data: { framework: "Next.js route" } }],
  },
  {
    name: "a synchronous http handler gets a suggestion (making it async changes what it returns)",
    code: `import http from "node:http";\n${IMP}http.createServer((req, res) => { answer("x").then((a) => res.end(a)); });`,
    options: ROOTS,
    output: null,
    errors: [
      {
        messageId: "notContinued",
        suggestions: [{ messageId: "suggestContinue", output: `import http from "node:http";\n${IMP_FIXED}http.createServer((req, res) => {\n  const parentRun = RunTree.fromHeaders(req.headers as Record<string, string | string[]>);\n  const handle = async () => { answer("x").then((a) => res.end(a)); }; return parentRun ? withRunTree(parentRun, handle) : handle(); });` }],
      },
    ],
  },
  {
    name: "a server started inside a traced function (recommended)",
    code: `import { createServer } from "node:http";\n${IMP}export const boot = traceable(async () => {\n  const server = createServer((req, res) => route(req, res));\n  server.listen(3000);\n});`,
    output: null,
    errors: [{ messageId: "serverInTrace", data: { where: "traceable" } }],
  },
  {
    name: "an Express app listening inside a traced function",
    code: `${EXPRESS}${IMP}const app = express();\nexport const boot = traceable(async () => app.listen(3000));`,
    output: null,
    errors: [{ messageId: "serverInTrace" }],
  },
];

// A server created by a helper imported from another module of the project: the handler passed to it is a handler.
const serverHelpers = project({
  "src/serve.ts": `import http from "node:http";
export function serve(handler) {
  return http.createServer(handler);
}
export function describeHandler(handler) {
  return handler.name;
}
`,
});
const SERVE = path.join(serverHelpers, "src/main.ts");
const XS = `import { serve, describeHandler } from "./serve";
${IMP}`;
const XS_FIXED = `import { serve, describeHandler } from "./serve";
${IMP_FIXED}`;
valid.push(
  { name: "an imported helper that creates no server", filename: SERVE, options: ROOTS, code: `${XS}export const name = describeHandler(async (req, res) => res.end(await answer("x")));` },
  { name: "a handler given to an imported server helper, doing no traced work", filename: SERVE, options: ROOTS, code: `${XS}const server = serve(async (req, res) => route(req, res));
server.listen(3000);` },
);
invalid.push({
  name: "a handler given to a server created by an imported helper",
  filename: SERVE,
  code: `${XS}const server = serve(async (req, res) => {
  res.end(await answer("x"));
});
server.listen(3000);`,
  options: ROOTS,
  output: `${XS_FIXED}const server = serve(async (req, res) => {
  const parentRun = RunTree.fromHeaders(req.headers as Record<string, string | string[]>);
  const handle = async () => {
    res.end(await answer("x"));
  };
  return parentRun ? withRunTree(parentRun, handle) : handle();
});
server.listen(3000);`,
  errors: [{ messageId: "notContinued", data: { framework: "Node http" } }],
});

// A server made or started by a helper (of another module, or of this file), called inside a traced function.
const hookServers = project({
  "src/hooks.ts": `import http from "node:http";
let server: http.Server | undefined;
export function createHookServer() {
  return http.createServer((req, res) => route(req, res));
}
export function ensureHookServer() {
  if (!server) {
    server = http.createServer((req, res) => route(req, res));
    server.listen(0);
  }
  return server;
}
`,
});
const HOOKS = path.join(hookServers, "src/main.ts");
const XH = `import { createHookServer, ensureHookServer } from "./hooks";
${IMP}`;
valid.push(
  { name: "a server an imported helper makes, started at module load", filename: HOOKS, code: `${XH}const server = createHookServer();\nserver.listen(0);\nexport const ask = traceable(async (q: string) => answer(q));` },
  { name: "an imported helper that starts a server, called at module load", filename: HOOKS, code: `${XH}ensureHookServer();\nexport const ask = traceable(async (q: string) => answer(q));` },
);
invalid.push(
  {
    name: "a server an imported helper makes, started inside a traced function",
    filename: HOOKS,
    code: `${XH}export const boot = traceable(async () => {\n  const server = createHookServer();\n  server.listen(0);\n});`,
    output: null,
    errors: [{ messageId: "serverInTrace", data: { where: "traceable" } }],
  },
  {
    name: "an imported helper that starts a server, called inside a traced function",
    filename: HOOKS,
    code: `${XH}export const configure = traceable(async () => {\n  ensureHookServer();\n  return answer("configured");\n});`,
    output: null,
    errors: [{ messageId: "serverStartedByHelper", data: { where: "traceable", callee: "ensureHookServer" } }],
  },
  {
    name: "an in-file helper that starts a server, called inside a traced function",
    code: `import { createServer } from "node:http";\n${IMP}function boot() {\n  const server = createServer((req, res) => route(req, res));\n  server.listen(0);\n  return server;\n}\nexport const start = traceable(async () => boot());`,
    output: null,
    errors: [{ messageId: "serverStartedByHelper", data: { where: "traceable", callee: "boot" } }],
  },
);
valid.push(
  {
    name: "a server the traced function starts, uses and closes itself (it lives within the trace)",
    code: `import { createServer } from "node:http";\n${IMP}export const probe = traceable(async () => {\n  const server = createServer((req, res) => route(req, res));\n  server.listen(0);\n  await fetch("http://127.0.0.1:1/");\n  server.close();\n});`,
  },
  {
    name: "a server an in-file helper starts, closed by the traced function that started it",
    code: `import { createServer } from "node:http";\n${IMP}async function boot() {\n  const server = createServer((req, res) => route(req, res));\n  server.listen(0);\n  return server;\n}\nexport const session = traceable(async () => {\n  const daemon = await boot();\n  daemon.close();\n});`,
  },
);
invalid.push({
  name: "a server an in-file helper starts, closed later by a timer (it outlives the trace)",
  code: `import { createServer } from "node:http";\n${IMP}async function boot() {\n  const server = createServer((req, res) => route(req, res));\n  server.listen(0);\n  return server;\n}\nexport const session = traceable(async () => {\n  const daemon = await boot();\n  setTimeout(() => daemon.close(), 60_000);\n});`,
  output: null,
  errors: [{ messageId: "serverStartedByHelper", data: { where: "traceable", callee: "boot" } }],
});

// A server whose inline listener calls only builtins and methods of what it is given (a stub, a health check)
// starts no runs, whatever context its requests run in (measured: fixtures/runtime/continue-distributed-trace/
// stub-server-in-trace).
valid.push(
  {
    name: "a health-check server started in a trace: its listener only answers with builtins",
    code: `import { createServer } from "node:http";\n${IMP}export const boot = traceable(async () => {\n  const server = createServer((req, res) => { res.writeHead(200); res.end(JSON.stringify({ ok: true, at: Date.now() })); });\n  server.listen(0);\n  return answer("up");\n});`,
  },
  {
    name: "a stub net server an in-file helper starts in a trace, answering from a timer with builtins",
    code: `import net from "node:net";\n${IMP}async function connectHub() {\n  const hub = net.createServer((sock) => setTimeout(() => sock.end(JSON.stringify({ t: 31 }) + "\\n"), 20));\n  await new Promise((r) => hub.listen(0, "127.0.0.1", r));\n  return net.connect((hub.address() as net.AddressInfo).port, "127.0.0.1");\n}\nexport const arm = traceable(async () => {\n  const socket = await connectHub();\n  socket.on("data", (buf) => answer(String(buf)));\n});`,
  },
);
invalid.push({
  name: "a server started in a trace whose inline listener calls a function of the program",
  code: `import { createServer } from "node:http";\n${IMP}function route(req: unknown, res: { end(s: string): void }) { res.end("ok"); }\nexport const boot = traceable(async () => {\n  const server = createServer((req, res) => { route(req, res); });\n  server.listen(0);\n});`,
  output: null,
  errors: [{ messageId: "serverInTrace", data: { where: "traceable" } }],
});
invalid.push({
  name: "a builtin name the program declares itself is the program's function (JSON shadowed by an import)",
  code: `import { createServer } from "node:http";\nimport { JSON } from "./codec";\n${IMP}export const boot = traceable(async () => {\n  const server = createServer((req, res) => res.end(JSON.stringify({ ok: true })));\n  server.listen(0);\n});`,
  output: null,
  errors: [{ messageId: "serverInTrace", data: { where: "traceable" } }],
});

invalid.push({
  name: "a builtin name declared inside the traced function is the program's function (setTimeout shadowed by a local)",
  code: `import { createServer } from "node:http";\n${IMP}export const boot = traceable(async (audit: (s: string) => Promise<string>) => {\n  const setTimeout = (note: string) => audit(note);\n  const server = createServer((req, res) => { setTimeout(String(req.url)); res.end("ok"); });\n  server.listen(0);\n});`,
  output: null,
  errors: [{ messageId: "serverInTrace", data: { where: "traceable" } }],
});

// A server another module's factory returns inside an object (`return { server, routes }`), started inside a trace.
const endpointProject = project({
  "src/endpoint.ts": `import http from "node:http";\nimport { traceable } from "langsmith/traceable";\nexport const handle = traceable(async (p: unknown) => p, { name: "handle" });\nexport function createEndpoint() {\n  const routes = new Map<string, (p: unknown) => Promise<unknown>>();\n  const server = http.createServer((req, res) => { routes.get(req.url ?? "")?.({}).then((r) => res.end(JSON.stringify(r))); });\n  return { server, routes };\n}\n`,
});
const ENDPOINT_APP = (inside: string, outside: string) => `import { traceable } from "langsmith/traceable";\nimport { createEndpoint, handle } from "./endpoint";\nconst endpoint = createEndpoint();\n${outside}export const boot = traceable(async () => {\n  endpoint.routes.set("/loans", handle);\n  ${inside}\n}, { name: "boot" });`;
invalid.push({
  name: "a server another module's factory returns in an object, started inside a trace",
  code: ENDPOINT_APP(`endpoint.server.listen(0);`, ""),
  filename: path.join(endpointProject, "src/app.ts"),
  output: null,
  errors: [{ messageId: "serverInTrace", data: { where: "traceable" } }],
});
valid.push(
  { name: "the same server started outside the trace", code: ENDPOINT_APP(`return endpoint.routes.size;`, "endpoint.server.listen(0);\n"), filename: path.join(endpointProject, "src/app.ts") },
  { name: "another key of the returned object called inside the trace", code: ENDPOINT_APP(`endpoint.routes.clear();`, ""), filename: path.join(endpointProject, "src/app.ts") },
);

// A `net` server runs its connection listener in the context it was started in, but its sockets' `data` events in
// none (measured: fixtures/runtime/continue-distributed-trace/net-server-*).
valid.push({
  name: "a net server started in a trace whose connection listener only sets up the socket (its data events run in no trace)",
  code: `import net from "node:net";\n${IMP}export const boot = traceable(async () => {\n  const server = net.createServer((sock) => { sock.setEncoding("utf8"); sock.on("data", (chunk) => answer(String(chunk))); });\n  server.listen(0);\n  return server;\n});`,
});
invalid.push({
  name: "a net server started in a trace whose connection listener does traced work itself",
  code: `import net from "node:net";\n${IMP}export const boot = traceable(async () => {\n  const server = net.createServer((sock) => { answer("hello").then((a) => sock.end(a)); });\n  server.listen(0);\n  return server;\n});`,
  output: null,
  errors: [{ messageId: "serverInTrace", data: { where: "traceable" } }],
});

// A helper that calls `listen` on the server it is given (`await listen(server)`), with the server made by another helper.
invalid.push({
  name: "a server a helper makes, started by another helper that calls listen on the server it is passed, inside a trace",
  code: `import http from "node:http";\n${IMP}function createReceiver() { return http.createServer((req, res) => { answer("x").then((a) => res.end(a)); }); }\nfunction listen(server: http.Server) { return new Promise((resolve) => server.listen(0, () => resolve(server.address()))); }\nexport const boot = traceable(async () => { const server = createReceiver(); await listen(server); return server; });`,
  output: null,
  errors: [{ messageId: "serverStartedByHelper", data: { where: "traceable", callee: "listen" } }],
});
valid.push({
  name: "the same listen helper called outside any trace, and a helper given something that is not a server",
  code: `import http from "node:http";\n${IMP}function listen(server: { listen(port: number, cb: () => void): void }) { return new Promise<void>((resolve) => server.listen(0, () => resolve())); }\nexport const server = http.createServer((req, res) => route(req, res));\nawait listen(server);\nexport const boot = traceable(async () => listen({ listen: (_p: number, cb: () => void) => cb() }));`,
});

tester(NODE).run(RULE, rule(RULE), { valid, invalid });
// Cases with a project on disk lie outside the working directory, which the idempotency linter's config does not match.
describeIdempotency(RULE, invalid.filter((c) => !c.filename?.startsWith(tmpdir()) && c.errors.every((e) => e.messageId !== "serverInTrace" && e.messageId !== "serverStartedByHelper")) as never, NODE);
