import type { InvalidTestCase, ValidTestCase } from "@typescript-eslint/rule-tester";
import { readFileSync } from "node:fs";
import path from "node:path";
import { BROWSER, describeIdempotency, projectOnDisk, rule, tester } from "./helpers.js";

const RULE = "pass-runnable-config";
type Options = [Record<string, unknown>];

const LC = `import { RunnableLambda } from "@langchain/core/runnables";\n`;
const WEB = `import { StateGraph } from "@langchain/langgraph/web";\n`;
const WHY_BROWSER = 'this file runs without AsyncLocalStorage (settings runtime "browser"), where LangChain finds the parent run only through the config, so the child starts its own trace';

const NODE_SETTINGS = { "trace-nesting": { runtime: "node" } };
const MAKE_STEP = `${LC}const splitter = RunnableLambda.from(async (text: string) => text.split(" "));
function makeStep(name: string, fn: (input: any, config?: any) => Promise<unknown>) {
  return RunnableLambda.from((input: any) => fn(input)).withConfig({ runName: name });
}
`;
const valid: ValidTestCase<Options>[] = [
  {
    name: "a DynamicStructuredTool function's third parameter is the config its library fills (run manager second)",
    code: `import { DynamicStructuredTool } from "@langchain/core/tools";
import { patchConfig } from "@langchain/core/runnables";
import { chain } from "./chain";
export const t = new DynamicStructuredTool({ name: "t", description: "d", schema: {} as never, func: async (input, runManager, config) => chain.invoke(input, patchConfig(config, { callbacks: runManager?.getChild() })) });`,
  },
  {
    name: "a list of handlers written before the spread config (the config's callbacks win)",
    code: `${LC}const recommend = RunnableLambda.from(async (x: string) => x);
export const page = RunnableLambda.from(async (x: string, config) => recommend.invoke(x, { callbacks: [{ handleChainEnd() {} }], ...config }));`,
  },
  {
    name: "a step factory whose functions take no config, or take something else second",
    code: `${MAKE_STEP}export const trim = makeStep("trim", async (doc: any) => doc.trim());
export const split = makeStep("split", async (doc: any, options: any) => splitter.invoke(doc, options));`,
  },
  ...[
    ["hands its config over in the options", "complete(q, { retries: 1, config })"],
    ["hands options made elsewhere (not known to lack a config)", "complete(q, opts)"],
    ["spreads options that may hold a config", "complete(q, { ...opts, retries: 1 })"],
  ].map(([form, call]) => ({
    name: `a helper that takes its config as a property of an options object: the caller ${form}`,
    code: `${LC}const model = RunnableLambda.from(async (x: string) => x);
async function complete(prompt: string, options: { config?: object; retries?: number } = {}) {
  const { config, retries = 0 } = options;
  return model.invoke(prompt, config);
}
declare const opts: { config?: object };
export const parent = RunnableLambda.from(async (q: string, config) => ${call});`,
  })),

  {
    name: "a subclass method the library calls with a config that hands it on (Runnable invoke, StructuredTool _call), or another method",
    code: `import { Runnable, RunnableLambda } from "@langchain/core/runnables";
import { StructuredTool } from "@langchain/core/tools";
import { patchConfig } from "@langchain/core/runnables";
const child = RunnableLambda.from(async (x: string) => x);
export class Step extends Runnable<string, string> {
  lc_namespace = ["demo"];
  async invoke(input: string, options?: object) { return child.invoke(input, options); }
  async describe(input: string) { return input; }
}
export class Lookup extends StructuredTool {
  name = "lookup";
  description = "d";
  schema = {} as never;
  async _call(input: string, runManager?: { getChild(): unknown }, config?: object) {
    return child.invoke(input, patchConfig(config, { callbacks: runManager?.getChild() as never }));
  }
}
class Plain extends Object {
  async invoke(input: string) { return child.invoke(input); }
}
export const plain = new Plain();`,
  },
  {
    name: "a helper whose callback is a runnable of its own (its config is its own), or that passes options with callbacks",
    code: `${LC}const child = RunnableLambda.from(async (x: string) => x);
const wrap = (items: string[]) => RunnableLambda.from(async (x: string, config) => child.invoke(x, config)).batch(items, { callbacks: [] });
export const parent = RunnableLambda.from(async (items: string[], config) => wrap(items));`,
  },
  {
    name: "a config literal that spreads the scope's config, or an object holding callbacks",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
const TRACED = { callbacks: [] as unknown[] };
export const a = RunnableLambda.from(async (x: number, config) => child.invoke(x, { ...config, runName: "a" }));
export const b = RunnableLambda.from(async (x: number, config) => child.invoke(x, { ...TRACED, runName: "b" }));`,
    settings: { "trace-nesting": { runtime: "browser" } },
  },
  ...[
    ["an instance of a class of this file", `class FunctionsClient {
  async invoke(request: { functionName: string; payload: unknown }) { return request; }
}
const functions = new FunctionsClient();`],
    ["an object literal of this file", `const functions = {
  async invoke(request: { functionName: string; payload: unknown }) { return request; },
};`],
  ].map(([form, client]) => ({
    name: `.invoke() on a client that is not a runnable: ${form}`,
    code: `${LC}${client}
export const notify = RunnableLambda.from(async (userId: string) => functions.invoke({ functionName: "send-email", payload: { userId } }));`,
    settings: { "trace-nesting": { runtime: "browser" } },
  })),
  {
    name: "a helper that already receives the config",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
async function enrich(x: number, config?: object) {
  return child.invoke(x, config);
}
export const parent = RunnableLambda.from(async (x: number, config) => enrich(x, config));`,
  },
  {
    name: "a helper that starts no child run",
    code: `${LC}const format = (x: number) => String(x);
export const parent = RunnableLambda.from(async (x: number, config) => format(x));`,
  },
  {
    name: "Node with AsyncLocalStorage: a RunnableLambda calling a child without config nests (recommended)",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number) => child.invoke(x));`,
    settings: { "trace-nesting": { runtime: "auto" } },
  },
  {
    name: "LangGraph node (Node entry) calling a runnable without config nests",
    code: `import { StateGraph, Annotation } from "@langchain/langgraph";
import { ChatOpenAI } from "@langchain/openai";
const model = new ChatOpenAI();
const State = Annotation.Root({ q: Annotation<string> });
export const graph = new StateGraph(State).addNode("answer", async (state) => ({ q: String(await model.invoke(state.q)) }));`,
    settings: { "trace-nesting": { runtime: "auto" } },
  },
  {
    name: "config passed on",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, config));`,
  },
  {
    name: "config spread into the options",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { ...config, tags: ["child"] }));`,
  },
  {
    name: "callbacks passed by hand",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { callbacks: config?.callbacks }));`,
  },
  {
    name: "an options variable is taken as a config",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => { const options = { ...config, runName: "c" }; return child.invoke(x, options); });`,
  },
  {
    name: "traceable handed the config first",
    code: `${LC}import { traceable } from "langsmith/traceable";
const step = traceable(async (x: number) => x * 2, { name: "step" });
export const parent = RunnableLambda.from(async (x: number, config) => step(config, x));`,
  },
  {
    name: "a child called outside any runnable has no parent to lose",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export async function main() { return child.invoke(1); }`,
  },
  {
    name: "inside a traceable (not a runnable): not this rule's pattern",
    code: `${LC}import { traceable } from "langsmith/traceable";
const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = traceable(async (x: number) => child.invoke(x));`,
  },
  {
    name: "a LangGraph task receives no config",
    code: `import { task } from "@langchain/langgraph/web";
import { RunnableLambda } from "@langchain/core/runnables";
const child = RunnableLambda.from(async (x: number) => x + 1);
export const t = task("t", async (x: number) => child.invoke(x));`,
  },
  {
    name: "invoke on a non-LangChain client (AWS Lambda) is not a runnable",
    code: `${LC}import { LambdaClient } from "@aws-sdk/client-lambda";
const lambda = new LambdaClient({});
export const parent = RunnableLambda.from(async (x: string) => lambda.invoke({ FunctionName: x }));`,
  },
  {
    name: "stream/batch on a receiver of unknown origin are not assumed to be runnables",
    code: `${LC}export const parent = RunnableLambda.from(async (x: { s: { stream(v: number): unknown } }) => x.s.stream(1));`,
  },
  {
    name: "explicitly passing a run tree to a traceable",
    code: `${LC}import { traceable, getCurrentRunTree } from "langsmith/traceable";
const step = traceable(async (x: number) => x * 2, { name: "step" });
export const parent = RunnableLambda.from(async (x: number) => { const rt = getCurrentRunTree(); return step(rt, x); });`,
  },
];

valid.push({
  name: "a helper whose options are a config in part, given the caller's config",
  code: `${LC}const scorer = RunnableLambda.from(async (x: string) => x);
async function scoreAll(items: string[], { callbacks, maxConcurrency = 2 }: { callbacks?: any; maxConcurrency?: number } = {}) {
  return scorer.batch(items, { callbacks, maxConcurrency });
}
export const parent = RunnableLambda.from(async (items: string[], config) => scoreAll(items, config));`,
});
valid.push({
  name: "an object of functions whose keys alone reach addNode is no registration of its values",
  code: `${WEB}${LC}const lookup = RunnableLambda.from(async (q: string) => q);
async function notes(state: { q: string }) {
  return { notes: await lookup.invoke(state.q) };
}
function withNames(builder: any, nodes: Record<string, unknown>, run: (name: string) => Promise<unknown>) {
  for (const [name] of Object.entries(nodes)) builder.addNode(name, run);
  return builder;
}
export const graph = withNames(new StateGraph({ channels: {} }), { notes }, async () => ({}));
export const direct = (q: string) => notes({ q });`,
});

valid.push({
  name: "addSequence on something that is no graph builder, in a file that does not load LangGraph, registers nothing",
  code: `${LC}const lookup = RunnableLambda.from(async (q: string) => q);
async function notes(state: { q: string }) {
  return { notes: await lookup.invoke(state.q) };
}
const steps: { addSequence(list: unknown[]): void } = { addSequence() {} };
steps.addSequence([["notes", notes]]);
export const direct = (q: string) => notes({ q });`,
});

valid.push({
  name: "a conditional-edge router that passes its config on",
  code: `${WEB}${LC}const judge = RunnableLambda.from(async (q: string) => q);
async function route(state: { q: string }, config?: object) {
  return (await judge.invoke(state.q, config)) === "a" ? "a" : "b";
}
export const graph = new StateGraph({ channels: {} }).addConditionalEdges("__start__", route, ["a", "b"]);`,
});

const invalid: InvalidTestCase<string, Options>[] = [
  {
    name: "a list of handlers written after the spread config replaces its callbacks",
    code: `${LC}const recommend = RunnableLambda.from(async (x: string) => x);
export const page = RunnableLambda.from(async (x: string, config) => recommend.invoke(x, { ...config, callbacks: [{ handleChainEnd() {} }] }));`,
    output: null,
    errors: [{ messageId: "replacedCallbacks" }],
  },
  {
    name: "a step factory's lambda calls the function it wraps without a config that one of them passes on",
    code: `${MAKE_STEP}export const trim = makeStep("trim", async (doc: any) => doc.trim());
export const split = makeStep("split", async (doc: any, config: any) => splitter.invoke(doc, config));`,
    output: `${MAKE_STEP.replace("(input: any) => fn(input)", "(input: any, config) => fn(input, config)")}export const trim = makeStep("trim", async (doc: any) => doc.trim());
export const split = makeStep("split", async (doc: any, config: any) => splitter.invoke(doc, config));`,
    errors: [{ messageId: "forwardedWithoutConfig", data: { callee: "fn", inner: "`splitter.invoke`", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  {
    name: "a Runnable subclass's own invoke calls a child without the options it receives",
    code: `import { Runnable, RunnableLambda } from "@langchain/core/runnables";
const maskPii = RunnableLambda.from(async (x: string) => x);
export class Redactor extends Runnable<string, string> {
  lc_namespace = ["demo"];
  async invoke(input: string, options?: object) {
    return maskPii.invoke(input);
  }
}`,
    output: `import { Runnable, RunnableLambda } from "@langchain/core/runnables";
const maskPii = RunnableLambda.from(async (x: string) => x);
export class Redactor extends Runnable<string, string> {
  lc_namespace = ["demo"];
  async invoke(input: string, options?: object) {
    return maskPii.invoke(input, options);
  }
}`,
    errors: [{ messageId: "missingConfig", data: { callee: "maskPii.invoke", scope: "Runnable subclass's invoke", config: "options", why: WHY_BROWSER } }],
  },
  {
    name: "a StructuredTool subclass's _call without its config parameters: they are added and the child gets the run manager's callbacks",
    code: `import { RunnableLambda } from "@langchain/core/runnables";
import { StructuredTool } from "@langchain/core/tools";
const geocode = RunnableLambda.from(async (x: string) => x);
export default class LookupAddress extends StructuredTool {
  name = "lookup_address";
  description = "d";
  schema = {} as never;
  async _call({ address }: { address: string }) {
    return geocode.invoke(address);
  }
}`,
    output: `import { RunnableLambda, type RunnableConfig, patchConfig } from "@langchain/core/runnables";
import { StructuredTool } from "@langchain/core/tools";
const geocode = RunnableLambda.from(async (x: string) => x);
export default class LookupAddress extends StructuredTool {
  name = "lookup_address";
  description = "d";
  schema = {} as never;
  async _call({ address }: { address: string }, runManager: unknown, config?: RunnableConfig) {
    return geocode.invoke(address, patchConfig(config, { callbacks: runManager?.getChild() }));
  }
}`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "a helper declared outside the runnable makes child runs: the config is threaded through it",
    code: `${LC}import { traceable } from "langsmith/traceable";
const child = RunnableLambda.from(async (x: number) => x + 1);
const log = traceable(async (x: number) => x, { name: "log" });
async function enrich(x: number) {
  await log(x);
  return child.invoke(x);
}
export const parent = RunnableLambda.from(async (x: number, config) => enrich(x));
export const elsewhere = () => enrich(2);`,
    output: `import { RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";
import { traceable } from "langsmith/traceable";
import { isRunnableConfigLike } from "langsmith/run_trees";
const child = RunnableLambda.from(async (x: number) => x + 1);
const log = traceable(async (x: number) => x, { name: "log" });
async function enrich(x: number, config?: RunnableConfig) {
  await (isRunnableConfigLike(config) ? log(config, x) : log(x));
  return child.invoke(x, config);
}
export const parent = RunnableLambda.from(async (x: number, config) => enrich(x, config));
export const elsewhere = () => enrich(2);`,
    errors: [{ messageId: "helperWithoutConfig" }],
  },
  {
    name: "a helper whose child runs sit in a callback it makes (Promise.all over a map)",
    code: `${LC}const tagger = RunnableLambda.from(async (x: string) => x);
async function tagAll(items: string[]) {
  return Promise.all(items.map((item) => tagger.invoke(item)));
}
export const parent = RunnableLambda.from(async (items: string[], config) => tagAll(items));`,
    output: `import { RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";
const tagger = RunnableLambda.from(async (x: string) => x);
async function tagAll(items: string[], config?: RunnableConfig) {
  return Promise.all(items.map((item) => tagger.invoke(item, config)));
}
export const parent = RunnableLambda.from(async (items: string[], config) => tagAll(items, config));`,
    errors: [{ messageId: "helperWithoutConfig", data: { callee: "tagAll", inner: "`tagger.invoke`", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  {
    name: "a helper that gives its child options without callbacks: the config is spread into them",
    code: `${LC}const embedder = RunnableLambda.from(async (x: string) => x);
const embedAll = (items: string[]) => embedder.batch(items, { maxConcurrency: 2 });
export const parent = RunnableLambda.from(async (items: string[], config) => embedAll(items));`,
    output: `import { RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";
const embedder = RunnableLambda.from(async (x: string) => x);
const embedAll = (items: string[], config?: RunnableConfig) => embedder.batch(items, { ...config, maxConcurrency: 2 });
export const parent = RunnableLambda.from(async (items: string[], config) => embedAll(items, config));`,
    errors: [{ messageId: "helperWithoutConfig", data: { callee: "embedAll", inner: "`embedder.batch`", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  {
    name: "a helper whose options are a config in part (their callbacks go to the child's config): the caller's config is passed there",
    code: `${LC}const scorer = RunnableLambda.from(async (x: string) => x);
async function scoreAll(items: string[], { callbacks, maxConcurrency = 2 }: { callbacks?: any; maxConcurrency?: number } = {}) {
  return scorer.batch(items, { callbacks, maxConcurrency });
}
export const parent = RunnableLambda.from(async (items: string[], config) => scoreAll(items));`,
    output: `${LC}const scorer = RunnableLambda.from(async (x: string) => x);
async function scoreAll(items: string[], { callbacks, maxConcurrency = 2 }: { callbacks?: any; maxConcurrency?: number } = {}) {
  return scorer.batch(items, { callbacks, maxConcurrency });
}
export const parent = RunnableLambda.from(async (items: string[], config) => scoreAll(items, config));`,
    errors: [{ messageId: "helperWithoutConfig", data: { callee: "scoreAll", inner: "`scorer.batch`", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  ...[
    ["destructured in the parameter", "async function complete(prompt: string, { config, retries = 0 }: { config?: object; retries?: number } = {}) {\n  return model.invoke(prompt, config);\n}"],
    ["destructured from the options in the body", "async function complete(prompt: string, options: { config?: object; retries?: number } = {}) {\n  const { config, retries = 0 } = options;\n  return model.invoke(prompt, config);\n}"],
    ["read as a property where the child is called", "async function complete(prompt: string, options?: { config?: object; retries?: number }) {\n  return model.invoke(prompt, options?.config);\n}"],
    ["spread into the child's options", "async function complete(prompt: string, options: { config?: object; retries?: number } = {}) {\n  const { config } = options;\n  return model.invoke(prompt, { ...config, runName: \"complete\" });\n}"],
  ].flatMap(([form, helper]) => [
    {
      name: `a helper that takes its config as a property of an options object (${form}), called without it`,
      code: `${LC}const model = RunnableLambda.from(async (x: string) => x);
${helper}
export const parent = RunnableLambda.from(async (q: string, config) => complete(q, { retries: 1 }));`,
      output: `${LC}const model = RunnableLambda.from(async (x: string) => x);
${helper}
export const parent = RunnableLambda.from(async (q: string, config) => complete(q, { retries: 1, config }));`,
      errors: [{ messageId: "optionsWithoutConfig", data: { callee: "complete", inner: "`model.invoke`", property: "config", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
    },
    {
      name: `a helper that takes its config as a property of an options object (${form}), called without options`,
      code: `${LC}const model = RunnableLambda.from(async (x: string) => x);
${helper}
export const parent = RunnableLambda.from(async (q: string, cfg) => complete(q));`,
      output: `${LC}const model = RunnableLambda.from(async (x: string) => x);
${helper}
export const parent = RunnableLambda.from(async (q: string, cfg) => complete(q, { config: cfg }));`,
      errors: [{ messageId: "optionsWithoutConfig" }],
    },
  ]),
  {
    name: "a helper that takes its config as a property of an options object, given an empty one",
    code: `${LC}const model = RunnableLambda.from(async (x: string) => x);
const complete = (prompt: string, { config }: { config?: object } = {}) => model.invoke(prompt, config);
export const parent = RunnableLambda.from(async (q: string, config) => complete(q, {}));`,
    output: `${LC}const model = RunnableLambda.from(async (x: string) => x);
const complete = (prompt: string, { config }: { config?: object } = {}) => model.invoke(prompt, config);
export const parent = RunnableLambda.from(async (q: string, config) => complete(q, { config }));`,
    errors: [{ messageId: "optionsWithoutConfig" }],
  },
  {
    name: "a node registered through a helper, calling a helper that takes an optional argument",
    code: `${WEB}const lookup = RunnableLambda.from(async (q: string) => q);
${LC.trim()}
const fetchNotes = (q: string, limit?: number) => lookup.invoke(q);
function register(builder: any, name: string, node: (state: { q: string }) => Promise<unknown>) {
  return builder.addNode(name, node);
}
export const graph = register(new StateGraph({ channels: {} }), "notes", async (state: { q: string }) => ({ notes: await fetchNotes(state.q) }));`,
    output: `${WEB}const lookup = RunnableLambda.from(async (q: string) => q);
import { RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";
const fetchNotes = (q: string, limit?: number, config?: RunnableConfig) => lookup.invoke(q, config);
function register(builder: any, name: string, node: (state: { q: string }) => Promise<unknown>) {
  return builder.addNode(name, node);
}
export const graph = register(new StateGraph({ channels: {} }), "notes", async (state: { q: string }, config?: RunnableConfig) => ({ notes: await fetchNotes(state.q, undefined, config) }));`,
    errors: [{ messageId: "helperWithoutConfig" }],
  },
  ...[
    ["for…of over Object.entries", "  for (const [name, node] of Object.entries(nodes)) builder.addNode(name, node);"],
    ["Object.values(…).forEach", "  Object.values(nodes).forEach((node) => builder.addNode(node.name, node));"],
    ["Object.entries(…).reduce over the builder", "  Object.entries(nodes).reduce((g, [name, node]) => g.addNode(name, node), builder);"],
  ].map(([form, loop]) => ({
    name: `nodes registered from an object by an in-file helper (${form})`,
    code: `${WEB}${LC}const lookup = RunnableLambda.from(async (q: string) => q);
async function notes(state: { q: string }) {
  return { notes: await lookup.invoke(state.q) };
}
function withNodes(builder: any, nodes: Record<string, (state: { q: string }) => Promise<unknown>>) {
${loop}
  return builder;
}
export const graph = withNodes(new StateGraph({ channels: {} }), { notes });`,
    output: `${WEB}import { RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";
const lookup = RunnableLambda.from(async (q: string) => q);
async function notes(state: { q: string }, config?: RunnableConfig) {
  return { notes: await lookup.invoke(state.q, config) };
}
function withNodes(builder: any, nodes: Record<string, (state: { q: string }) => Promise<unknown>>) {
${loop}
  return builder;
}
export const graph = withNodes(new StateGraph({ channels: {} }), { notes });`,
    errors: [{ messageId: "missingConfig" }],
  })),
  ...[
    ["for…of over the Map", "for (const [name, node] of NODES) builder.addNode(name, node);"],
    ["for…of over its entries()", "for (const [name, node] of NODES.entries()) builder.addNode(name, node);"],
    ["for…of over its values()", "for (const node of NODES.values()) builder.addNode(node.name, node);"],
    ["its forEach", "NODES.forEach((node, name) => builder.addNode(name, node));"],
    ["get()", `builder.addNode("notes", NODES.get("notes"));`],
  ].map(([form, loop]) => ({
    name: `nodes held in a Map and registered from it (${form})`,
    code: `${WEB}${LC}const lookup = RunnableLambda.from(async (q: string) => q);
async function notes(state: { q: string }) {
  return { notes: await lookup.invoke(state.q) };
}
const NODES = new Map([["notes", notes]]);
const builder = new StateGraph({ channels: {} });
${loop}
export const graph = builder.compile();`,
    output: `${WEB}import { RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";
const lookup = RunnableLambda.from(async (q: string) => q);
async function notes(state: { q: string }, config?: RunnableConfig) {
  return { notes: await lookup.invoke(state.q, config) };
}
const NODES = new Map([["notes", notes]]);
const builder = new StateGraph({ channels: {} });
${loop}
export const graph = builder.compile();`,
    errors: [{ messageId: "missingConfig" }],
  })),
  ...[
    ["addSequence with [name, node] pairs", `new StateGraph({ channels: {} }).addSequence([["notes", notes]])`],
    ["addSequence with an object of nodes", `new StateGraph({ channels: {} }).addSequence({ notes })`],
    ["addNode with an object of nodes held by a variable", `new StateGraph({ channels: {} }).addNode(NODES)`],
    ["addSequence with pairs held by a variable", `new StateGraph({ channels: {} }).addSequence(PAIRS)`],
  ].map(([form, graph]) => ({
    name: `nodes registered together: ${form}`,
    code: `${WEB}${LC}const lookup = RunnableLambda.from(async (q: string) => q);
async function notes(state: { q: string }) {
  return { notes: await lookup.invoke(state.q) };
}
const NODES = { notes };
const PAIRS: [string, typeof notes][] = [["notes", notes]];
export const graph = ${graph};`,
    output: `${WEB}import { RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";
const lookup = RunnableLambda.from(async (q: string) => q);
async function notes(state: { q: string }, config?: RunnableConfig) {
  return { notes: await lookup.invoke(state.q, config) };
}
const NODES = { notes };
const PAIRS: [string, typeof notes][] = [["notes", notes]];
export const graph = ${graph};`,
    errors: [{ messageId: "missingConfig", data: { callee: "lookup.invoke", scope: 'graph node "notes"', config: "config", why: 'this file runs without AsyncLocalStorage (settings runtime "browser"), where LangChain finds the parent run only through the config, so the child starts its own trace' } }],
  })),
  {
    name: "a conditional-edge router calling a runnable without its config",
    code: `${WEB}${LC}const judge = RunnableLambda.from(async (q: string) => q);
async function route(state: { q: string }) {
  return (await judge.invoke(state.q)) === "a" ? "a" : "b";
}
export const graph = new StateGraph({ channels: {} }).addConditionalEdges("__start__", route, ["a", "b"]);`,
    output: `${WEB}import { RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";
const judge = RunnableLambda.from(async (q: string) => q);
async function route(state: { q: string }, config?: RunnableConfig) {
  return (await judge.invoke(state.q, config)) === "a" ? "a" : "b";
}
export const graph = new StateGraph({ channels: {} }).addConditionalEdges("__start__", route, ["a", "b"]);`,
    errors: [{ messageId: "missingConfig", data: { callee: "judge.invoke", scope: "conditional-edge router", config: "config", why: 'this file runs without AsyncLocalStorage (settings runtime "browser"), where LangChain finds the parent run only through the config, so the child starts its own trace' } }],
  },
  {
    name: "/web graph node: config parameter added and passed",
    code: `${WEB}import { ChatOpenAI } from "@langchain/openai";
const model = new ChatOpenAI();
export const graph = new StateGraph({ channels: {} }).addNode("answer", async (state) => {
  const reply = await model.invoke(state.messages);
  return { messages: [reply] };
});`,
    settings: { "trace-nesting": { runtime: "auto" } },
    output: `${WEB}import { ChatOpenAI } from "@langchain/openai";
const model = new ChatOpenAI();
export const graph = new StateGraph({ channels: {} }).addNode("answer", async (state, config) => {
  const reply = await model.invoke(state.messages, config);
  return { messages: [reply] };
});`,
    errors: [{ messageId: "missingConfig", data: { callee: "model.invoke", scope: 'graph node "answer"', config: "config", why: "this file runs without AsyncLocalStorage (imports @langchain/langgraph/web), where LangChain finds the parent run only through the config, so the child starts its own trace" } }],
  },
  {
    name: "existing config parameter with another name",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, cfg) => child.invoke(x));`,
    output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, cfg) => child.invoke(x, cfg));`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "fresh config literal gets the parent's config spread in",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { tags: ["child"] }));`,
    output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { ...config, tags: ["child"] }));`,
    errors: [{ messageId: "freshConfig" }],
  },
  {
    name: "a config literal that spreads module-level defaults (no callbacks in them): the parent's config goes first",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
const DEFAULTS = { tags: ["search"], metadata: { index: "docs-v2" } };
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { ...DEFAULTS, runName: "search" }));`,
    output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
const DEFAULTS = { tags: ["search"], metadata: { index: "docs-v2" } };
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { ...config, ...DEFAULTS, runName: "search" }));`,
    errors: [{ messageId: "freshConfig" }],
  },
  {
    name: "empty config literal",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, {}));`,
    output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { ...config }));`,
    errors: [{ messageId: "freshConfig" }],
  },
  {
    name: "streamEvents options literal",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async function* (x: number) { yield* child.streamEvents(x, { version: "v2" }); });`,
    output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async function* (x: number, config) { yield* child.streamEvents(x, { ...config, version: "v2" }); });`,
    errors: [{ messageId: "freshConfig" }],
  },
  {
    name: "tool(): (input) becomes (input, config)",
    code: `import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { retriever } from "./retriever";
export const search = tool(async ({ query }) => {
  const docs = await retriever.invoke(query);
  return docs.map((d) => d.pageContent).join("\\n");
}, { name: "search", schema: z.object({ query: z.string() }) });`,
    output: `import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { retriever } from "./retriever";
export const search = tool(async ({ query }, config) => {
  const docs = await retriever.invoke(query, config);
  return docs.map((d) => d.pageContent).join("\\n");
}, { name: "search", schema: z.object({ query: z.string() }) });`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "tool() whose function declares (input, runManager, config): tool() fills only the first two, so `config` is undefined",
    code: `import { tool } from "@langchain/core/tools";
import { retriever } from "./retriever";
export const search = tool(async ({ query }, _runManager, config) => retriever.invoke(query, config), { name: "search" });`,
    output: `import { tool } from "@langchain/core/tools";
import { retriever } from "./retriever";
export const search = tool(async ({ query }, _runManager, config) => retriever.invoke(query, _runManager), { name: "search" });`,
    errors: [{ messageId: "unfilledConfig", data: { callee: "retriever.invoke", param: "config", config: "_runManager", scope: "tool()", why: WHY_BROWSER } }],
  },
  {
    name: "RunnableLambda.from whose function passes a third parameter as the config",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, options, config) => child.invoke(x, config));`,
    output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, options, config) => child.invoke(x, options));`,
    errors: [{ messageId: "unfilledConfig", data: { callee: "child.invoke", param: "config", config: "options", scope: "RunnableLambda", why: WHY_BROWSER } }],
  },
  {
    name: "DynamicTool: config is the third parameter, the run manager's child callbacks patched in",
    code: `import { DynamicTool } from "@langchain/core/tools";
import { chain } from "./chain";
export const t = new DynamicTool({ name: "t", description: "d", func: async (input) => chain.invoke(input) });`,
    output: `import { DynamicTool } from "@langchain/core/tools";
import { chain } from "./chain";
import { patchConfig } from "@langchain/core/runnables";
export const t = new DynamicTool({ name: "t", description: "d", func: async (input, runManager, config) => chain.invoke(input, patchConfig(config, { callbacks: runManager?.getChild() })) });`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "DynamicTool whose function takes the run manager but not the config: the config is added after it",
    code: `import { DynamicTool } from "@langchain/core/tools";
import { chain } from "./chain";
export const t = new DynamicTool({ name: "t", description: "d", func: async (input, runManager) => chain.invoke(input) });`,
    output: `import { DynamicTool } from "@langchain/core/tools";
import { chain } from "./chain";
import { patchConfig } from "@langchain/core/runnables";
export const t = new DynamicTool({ name: "t", description: "d", func: async (input, runManager, config) => chain.invoke(input, patchConfig(config, { callbacks: runManager?.getChild() })) });`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "a function inside an object step of RunnableSequence.from (a RunnableMap of its own)",
    filename: "chain.js",
    code: `import { RunnableLambda, RunnableSequence } from "@langchain/core/runnables";
const retriever = RunnableLambda.from(async (q) => [q]);
export const chain = RunnableSequence.from([
  { context: async (input) => (await retriever.invoke(input.question)).join("\\n"), question: (input) => input.question },
  async ({ context, question }) => \`\${context} \${question}\`,
]);`,
    output: `import { RunnableLambda, RunnableSequence } from "@langchain/core/runnables";
const retriever = RunnableLambda.from(async (q) => [q]);
export const chain = RunnableSequence.from([
  { context: async (input, config) => (await retriever.invoke(input.question, config)).join("\\n"), question: (input) => input.question },
  async ({ context, question }) => \`\${context} \${question}\`,
]);`,
    settings: { "trace-nesting": { runtime: "browser" } },
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "a helper that calls another helper that calls the child: the config is threaded through both",
    filename: "chain.js",
    code: `${LC}const model = RunnableLambda.from(async (q) => q);
async function callModel(question) {
  const reply = await model.invoke([["human", question]]);
  return reply;
}
async function ask(q) {
  return callModel(\`Briefly: \${q}\`);
}
export const answer = RunnableLambda.from(async (question) => ({ question, text: await ask(question) }));`,
    output: `${LC}const model = RunnableLambda.from(async (q) => q);
async function callModel(question, config) {
  const reply = await model.invoke([["human", question]], config);
  return reply;
}
async function ask(q, config) {
  return callModel(\`Briefly: \${q}\`, config);
}
export const answer = RunnableLambda.from(async (question, config) => ({ question, text: await ask(question, config) }));`,
    settings: { "trace-nesting": { runtime: "browser" } },
    errors: [{ messageId: "helperWithoutConfig" }],
  },
  {
    name: "named function declaration in TypeScript: annotated parameter and merged type import",
    code: `import { RunnableLambda, RunnableSequence } from "@langchain/core/runnables";
const child = RunnableLambda.from(async (x: string) => x);
async function summarize(text: string) {
  return child.invoke(text);
}
export const chain = RunnableLambda.from(summarize);`,
    output: `import { RunnableLambda, RunnableSequence, type RunnableConfig } from "@langchain/core/runnables";
const child = RunnableLambda.from(async (x: string) => x);
async function summarize(text: string, config?: RunnableConfig) {
  return child.invoke(text, config);
}
export const chain = RunnableLambda.from(summarize);`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "named function in JavaScript: no annotation",
    filename: "chain.js",
    code: `${LC}const child = RunnableLambda.from(async (x) => x);
function summarize(text) {
  return child.invoke(text);
}
export const chain = RunnableLambda.from(summarize);`,
    output: `${LC}const child = RunnableLambda.from(async (x) => x);
function summarize(text, config) {
  return child.invoke(text, config);
}
export const chain = RunnableLambda.from(summarize);`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "arrow without parentheses",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async x => child.invoke(x));`,
    output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x, config) => child.invoke(x, config));`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "no parameters and no arguments",
    code: `${LC}const child = RunnableLambda.from(async () => 1);
export const parent = RunnableLambda.from(async () => child.invoke());`,
    output: `${LC}const child = RunnableLambda.from(async () => 1);
export const parent = RunnableLambda.from(async (_input, config) => child.invoke(undefined, config));`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "`config` is taken: the added parameter is runnableConfig",
    code: `${LC}const config = { retries: 2 };
const child = RunnableLambda.from(async (x: number) => x + config.retries);
export const parent = RunnableLambda.from(async (x: number) => child.invoke(x));`,
    output: `${LC}const config = { retries: 2 };
const child = RunnableLambda.from(async (x: number) => x + config.retries);
export const parent = RunnableLambda.from(async (x: number, runnableConfig) => child.invoke(x, runnableConfig));`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "two calls in one scope: the parameter is added once (two passes)",
    code: `${LC}const a = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number) => (await a.invoke(x)) + (await a.invoke(x)));`,
    output: [
      `${LC}const a = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => (await a.invoke(x, config)) + (await a.invoke(x)));`,
      `${LC}const a = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => (await a.invoke(x, config)) + (await a.invoke(x, config)));`,
    ],
    errors: [{ messageId: "missingConfig" }, { messageId: "missingConfig" }],
  },
  {
    name: "traceable inside a runnable: the hand-off is guarded by langsmith's own isRunnableConfigLike (tracing off keeps the arguments)",
    code: `${LC}import { traceable } from "langsmith/traceable";
const step = traceable(async (x: number) => x * 2, { name: "step" });
export const parent = RunnableLambda.from(async (x: number, config) => step(x));`,
    output: `${LC}import { traceable } from "langsmith/traceable";
import { isRunnableConfigLike } from "langsmith/run_trees";
const step = traceable(async (x: number) => x * 2, { name: "step" });
export const parent = RunnableLambda.from(async (x: number, config) => (isRunnableConfigLike(config) ? step(config, x) : step(x)));`,
    errors: [{ messageId: "traceableWithoutConfig" }],
  },
  {
    name: "traceable inside a graph node without a config parameter: the parameter is added and the hand-off guarded",
    code: `import { StateGraph } from "@langchain/langgraph/web";
import { traceable } from "langsmith/traceable";
import { isRunnableConfigLike as isConfig } from "langsmith/run_trees";
const score = traceable(async (text: string) => text.length, { name: "score" });
export const graph = new StateGraph({ channels: { answer: null } }).addNode("grade", async (state: { answer: string }) => ({ score: await score(state.answer) }));`,
    output: `import { StateGraph } from "@langchain/langgraph/web";
import { traceable } from "langsmith/traceable";
import { isRunnableConfigLike as isConfig } from "langsmith/run_trees";
const score = traceable(async (text: string) => text.length, { name: "score" });
export const graph = new StateGraph({ channels: { answer: null } }).addNode("grade", async (state: { answer: string }, config) => ({ score: await (isConfig(config) ? score(config, state.answer) : score(state.answer)) }));`,
    errors: [{ messageId: "traceableWithoutConfig" }],
  },
  {
    name: "destructured config parameter: reported without a fix",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, { tags }) => child.invoke(x));`,
    output: null,
    errors: [{ messageId: "destructuredConfig" }],
  },
  {
    name: "strict (portability) reports in Node too, saying why",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number) => child.invoke(x));`,
    settings: { "trace-nesting": { runtime: "auto" } },
    options: [{ portability: true }],
    output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, config));`,
    errors: [
      {
        messageId: "missingConfig",
        data: {
          callee: "child.invoke",
          scope: "RunnableLambda",
          config: "config",
          why: "it nests here only because AsyncLocalStorage is set up; in browsers, `/web` builds and core-only Node, where the config is the only link to the parent run, the child starts its own trace",
        },
      },
    ],
  },
  {
    name: '"use client" files run without AsyncLocalStorage',
    code: `"use client";
${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number) => child.invoke(x));`,
    settings: { "trace-nesting": { runtime: "auto" } },
    output: `"use client";
${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, config));`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "browserFiles glob",
    filename: "src/web/chain.ts",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number) => child.invoke(x));`,
    settings: { "trace-nesting": { browserFiles: ["src/web/**"] } },
    output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, config));`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "autofix: false turns the fix into a suggestion",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x));`,
    options: [{ autofix: false }],
    output: null,
    errors: [
      {
        messageId: "missingConfig",
        suggestions: [
          {
            messageId: "suggestPassConfig",
            output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, config));`,
          },
        ],
      },
    ],
  },
  {
    name: "CommonJS require and destructuring",
    filename: "chain.cjs",
    code: `const { RunnableLambda: RL } = require("@langchain/core/runnables");
const child = RL.from(async (x) => x + 1);
exports.parent = RL.from(async (x) => child.invoke(x));`,
    output: `const { RunnableLambda: RL } = require("@langchain/core/runnables");
const child = RL.from(async (x) => x + 1);
exports.parent = RL.from(async (x, config) => child.invoke(x, config));`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "namespace import and a local alias",
    code: `import * as runnables from "@langchain/core/runnables";
const Lambda = runnables.RunnableLambda;
const child = Lambda.from(async (x: number) => x + 1);
export const parent = Lambda.from(async (x: number) => child.invoke(x));`,
    output: `import * as runnables from "@langchain/core/runnables";
const Lambda = runnables.RunnableLambda;
const child = Lambda.from(async (x: number) => x + 1);
export const parent = Lambda.from(async (x: number, config) => child.invoke(x, config));`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "user-named runnable factory from settings",
    code: `import { makeStep } from "./steps";
import { llm } from "./llm";
export const step = makeStep(async (input: string) => llm.invoke(input));`,
    settings: { "trace-nesting": { runtime: "browser", runnableFactories: ["makeStep"] } },
    output: `import { makeStep } from "./steps";
import { llm } from "./llm";
export const step = makeStep(async (input: string, config) => llm.invoke(input, config));`,
    errors: [{ messageId: "missingConfig" }],
  },
];

// Configs that reach child runs without the parent's callbacks: `ensureConfig()` without an argument (it finds a
// config only through AsyncLocalStorage), and fresh options made by a function (`makeOptions(state)`), also handed to a
// helper that passes its options parameter on as the config.
const LCE = `import { RunnableLambda, ensureConfig, patchConfig } from "@langchain/core/runnables";\n`;
valid.push(
  {
    name: "ensureConfig given the scope's config, and patchConfig over the scope's config",
    code: `${LCE}const child = RunnableLambda.from(async (x: number) => x + 1);
export const a = RunnableLambda.from(async (x: number, config) => child.invoke(x, patchConfig(ensureConfig(config), { runName: "a" })));
export const b = RunnableLambda.from(async (x: number, config) => child.invoke(x, patchConfig(config, { runName: "b" })));`,
  },
  {
    name: "a helper that builds its child's config with ensureConfig(config) from a config it is given",
    code: `${LCE}const child = RunnableLambda.from(async (x: number) => x + 1);
async function ask(x: number, runName: string, config?: object) {
  const cfg = patchConfig(ensureConfig(config), { runName });
  return child.invoke(x, cfg);
}
export const parent = RunnableLambda.from(async (x: number, config) => ask(x, "ask", config));`,
  },
  {
    name: "ensureConfig() read for its configurable values only, not handed to a child run",
    code: `${LCE}const child = RunnableLambda.from(async (x: number) => x + 1);
function userOf() {
  return ensureConfig().configurable?.userId;
}
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x + Number(userOf()), config));`,
  },
  {
    name: "Node with AsyncLocalStorage: ensureConfig() in a helper finds the parent (recommended)",
    code: `import "@langchain/core/context";
${LCE}const child = RunnableLambda.from(async (x: number) => x + 1);
async function ask(x: number) {
  return child.invoke(x, patchConfig(ensureConfig(), { runName: "ask" }));
}
export const parent = RunnableLambda.from(async (x: number) => ask(x));`,
    settings: { "trace-nesting": { runtime: "auto" } },
  },
  {
    name: "options made by a function that spreads the config it is given (Promise.all over items)",
    code: `${LC}const scorer = RunnableLambda.from(async (x: string) => x.length);
const makeOptions = (name: string, config: object) => ({ ...config, runName: \`score_\${name}\`, tags: ["score"] });
export const parent = RunnableLambda.from(async (items: string[], config) => Promise.all(items.map((item) => scorer.invoke(item, makeOptions(item, config)))));`,
  },
  {
    name: "a helper that hands its options parameter on, given the scope's config spread into fresh options",
    code: `${LC}const model = RunnableLambda.from(async (x: string) => x);
const makeOptions = (topic: string) => ({ tags: [topic] });
async function callModel(prompt: string, options = {}) {
  return model.invoke(prompt, options);
}
export const parent = RunnableLambda.from(async (topic: string, config) => callModel(topic, { ...config, ...makeOptions(topic) }));`,
  },
);
invalid.push(
  {
    name: "ensureConfig() without an argument in the child's config: the scope's config goes into it",
    code: `${LCE}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number) => child.invoke(x, patchConfig(ensureConfig(), { runName: "child" })));`,
    output: `${LCE}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, patchConfig(ensureConfig(config), { runName: "child" })));`,
    errors: [{ messageId: "ambientConfig", data: { callee: "child.invoke", scope: "RunnableLambda", config: "config", why: WHY_BROWSER, ambient: "ensureConfig()" } }],
  },
  {
    name: "a helper whose child's config comes from ensureConfig() through a local: threaded, ensureConfig given it",
    code: `${LCE}const child = RunnableLambda.from(async (x: number) => x + 1);
async function ask(x: number, runName = "ask") {
  const config = patchConfig(ensureConfig(), { runName });
  return child.invoke(x, config);
}
export const parent = RunnableLambda.from(async ({ x }: { x: number }) => ask(x, "qa"));`,
    output: `import { RunnableLambda, ensureConfig, patchConfig, type RunnableConfig } from "@langchain/core/runnables";
const child = RunnableLambda.from(async (x: number) => x + 1);
async function ask(x: number, runName = "ask", runnableConfig?: RunnableConfig) {
  const config = patchConfig(ensureConfig(runnableConfig), { runName });
  return child.invoke(x, config);
}
export const parent = RunnableLambda.from(async ({ x }: { x: number }, config) => ask(x, "qa", config));`,
    errors: [{ messageId: "helperWithoutConfig", data: { callee: "ask", inner: "`child.invoke`", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  {
    name: "ensureConfig() spread into a config literal in a helper",
    code: `${LCE}const child = RunnableLambda.from(async (x: number) => x + 1);
const ask = (x: number) => child.invoke(x, { ...ensureConfig(), tags: ["ask"] });
export const parent = RunnableLambda.from(async (x: number, config) => ask(x));`,
    output: `import { RunnableLambda, ensureConfig, patchConfig, type RunnableConfig } from "@langchain/core/runnables";
const child = RunnableLambda.from(async (x: number) => x + 1);
const ask = (x: number, config?: RunnableConfig) => child.invoke(x, { ...ensureConfig(config), tags: ["ask"] });
export const parent = RunnableLambda.from(async (x: number, config) => ask(x, config));`,
    errors: [{ messageId: "helperWithoutConfig" }],
  },
  {
    name: "options made by a function of the file: the scope's config is spread around them",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
function makeOptions(x: number) {
  return { tags: ["child"], metadata: { x } };
}
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, makeOptions(x)));`,
    output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
function makeOptions(x: number) {
  return { tags: ["child"], metadata: { x } };
}
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { ...config, ...makeOptions(x) }));`,
    errors: [{ messageId: "freshConfig" }],
  },
  {
    name: "a helper that hands its options parameter on as the config, given fresh options by the scope",
    code: `${LC}const model = RunnableLambda.from(async (x: string) => x);
const makeOptions = (topic: string) => ({ tags: [topic] });
async function callModel(prompt: string, options = {}) {
  return model.invoke(prompt, options);
}
export const parent = RunnableLambda.from(async (topic: string, config) => callModel(topic, makeOptions(topic)));`,
    output: `${LC}const model = RunnableLambda.from(async (x: string) => x);
const makeOptions = (topic: string) => ({ tags: [topic] });
async function callModel(prompt: string, options = {}) {
  return model.invoke(prompt, options);
}
export const parent = RunnableLambda.from(async (topic: string, config) => callModel(topic, { ...config, ...makeOptions(topic) }));`,
    errors: [{ messageId: "freshConfig" }],
  },
  {
    name: "a helper that hands its options parameter on, called with none: the config goes there",
    code: `${LC}const model = RunnableLambda.from(async (x: string) => x);
async function callModel(prompt: string, options = {}) {
  return model.invoke(prompt, { ...options, runName: "model" });
}
export const parent = RunnableLambda.from(async (topic: string, config) => callModel(topic));`,
    output: `${LC}const model = RunnableLambda.from(async (x: string) => x);
async function callModel(prompt: string, options = {}) {
  return model.invoke(prompt, { ...options, runName: "model" });
}
export const parent = RunnableLambda.from(async (topic: string, config) => callModel(topic, config));`,
    errors: [{ messageId: "helperWithoutConfig" }],
  },
  ...["cfg", "runConfig"].map((name) => ({
    name: `a helper that takes its config as the \`${name}\` property of an options object, given an empty one`,
    code: `${LC}const model = RunnableLambda.from(async (x: string) => x);
const complete = (prompt: string, { ${name} }: { ${name}?: object } = {}) => model.invoke(prompt, ${name});
export const parent = RunnableLambda.from(async (q: string, config) => complete(q, {}));`,
    output: `${LC}const model = RunnableLambda.from(async (x: string) => x);
const complete = (prompt: string, { ${name} }: { ${name}?: object } = {}) => model.invoke(prompt, ${name});
export const parent = RunnableLambda.from(async (q: string, config) => complete(q, { ${name}: config }));`,
    errors: [{ messageId: "optionsWithoutConfig" }],
  })),
  {
    name: "a helper of a helper that hands its options on, given options made by a function: threaded, the config spread around them",
    code: `${LC}const model = RunnableLambda.from(async (x: string) => x);
const makeOptions = (topic: string) => ({ tags: [topic] });
async function callModel(prompt: string, options = {}) {
  return model.invoke(prompt, options);
}
async function runPrompt(topic: string) {
  return callModel(\`Write about \${topic}\`, makeOptions(topic));
}
export const parent = RunnableLambda.from(async (topic: string, config) => runPrompt(topic));`,
    output: `import { RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";
const model = RunnableLambda.from(async (x: string) => x);
const makeOptions = (topic: string) => ({ tags: [topic] });
async function callModel(prompt: string, options = {}) {
  return model.invoke(prompt, options);
}
async function runPrompt(topic: string, config?: RunnableConfig) {
  return callModel(\`Write about \${topic}\`, { ...config, ...makeOptions(topic) });
}
export const parent = RunnableLambda.from(async (topic: string, config) => runPrompt(topic, config));`,
    errors: [{ messageId: "helperWithoutConfig", data: { callee: "runPrompt", inner: "`callModel`", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
);

// A method of another module that takes the config inside an options object with a default (`{ config } = {}`) and
// passes it on: the default leaves `config` undefined, it does not make it a fresh `{}`.
const optionsProject = projectOnDisk({
  "src/llm.js": `import { RunnableLambda } from "@langchain/core/runnables";
export class LlmService {
  #model = RunnableLambda.from(async (x) => x);
  async complete(prompt, { config } = {}) {
    return this.#model.invoke(prompt, config);
  }
}
export const llm = new LlmService();
`,
  "src/main.js": `import { RunnableLambda } from "@langchain/core/runnables";
import { llm } from "./llm.js";
export const chatTurn = RunnableLambda.from(async (input, config) => llm.complete(input, { config }));
`,
});
valid.push(
  { name: "a method of another module taking `{ config } = {}` and passing it on (its own file)", filename: path.join(optionsProject, "src/llm.js"), code: readFileSync(path.join(optionsProject, "src/llm.js"), "utf8") },
  { name: "a method of another module taking `{ config } = {}`, given `{ config }` (the caller's file)", filename: path.join(optionsProject, "src/main.js"), code: readFileSync(path.join(optionsProject, "src/main.js"), "utf8") },
);

// A graph node registered by a helper imported from another module of the project is a node all the same.
const graphHelpers = projectOnDisk({
  "src/steps.js": `export function addStep(builder, name, node) {
  return builder.addNode(name, node);
}
export function describeStep(builder, name, node) {
  return \`\${name}: \${node.name}\`;
}
`,
});
const GRAPH = path.join(graphHelpers, "src/graph.js");
const XG = `import { StateGraph } from "@langchain/langgraph/web";
import { RunnableLambda } from "@langchain/core/runnables";
import { addStep, describeStep } from "./steps.js";
const draft = RunnableLambda.from(async (q) => q);
`;
valid.push(
  { name: "an imported helper that registers nothing", filename: GRAPH, code: `${XG}export const label = describeStep(new StateGraph({ channels: {} }), "respond", async (state) => ({ a: await draft.invoke(state.q) }));` },
  { name: "a node registered by an imported helper that passes the config on", filename: GRAPH, code: `${XG}export const graph = addStep(new StateGraph({ channels: {} }), "respond", async (state, config) => ({ a: await draft.invoke(state.q, config) }));` },
  {
    name: "an imported helper's addNode on something that is no graph builder, in a file without LangGraph",
    filename: GRAPH,
    code: `import { RunnableLambda } from "@langchain/core/runnables";
import { addStep } from "./steps.js";
const draft = RunnableLambda.from(async (q) => q);
const registry = { addNode: (name, fn) => fn };
export const step = addStep(registry, "respond", async (state) => ({ a: await draft.invoke(state.q) }));`,
  },
);
invalid.push({
  name: "/web graph node registered by a helper imported from another module",
  filename: GRAPH,
  code: `${XG}export const graph = addStep(new StateGraph({ channels: {} }), "respond", async (state) => ({ a: await draft.invoke(state.q) }));`,
  output: `${XG}export const graph = addStep(new StateGraph({ channels: {} }), "respond", async (state, config) => ({ a: await draft.invoke(state.q, config) }));`,
  settings: { "trace-nesting": { runtime: "auto" } },
  errors: [{ messageId: "missingConfig", data: { callee: "draft.invoke", scope: 'graph node "respond"', config: "config", why: "this file runs without AsyncLocalStorage (imports @langchain/langgraph/web), where LangChain finds the parent run only through the config, so the child starts its own trace" } }],
});

// Options of a runnable call on a receiver of unknown origin (`this.grader`, set from a constructor parameter), and
// methods of the class a runnable's function calls through `this`.
const GRADER = `${LC}export class Evaluator {
  constructor(private readonly grader: any, private readonly concurrency = 2) {}
`;
valid.push(
  {
    name: "options without a RunnableConfig key on a receiver of unknown origin (a job queue's batch, a client's stream)",
    code: `${GRADER}  asRunnable() {
    return RunnableLambda.from(async (items: string[]) => {
      await this.grader.batch(items, { size: 10, retries: 2 });
      return this.grader.stream(items[0], { signal: AbortSignal.timeout(1000) });
    });
  }
}`,
  },
  {
    name: "a private method that already receives and passes the config",
    code: `${LC}export class Triage {
  constructor(private readonly model: any) {}
  chain = RunnableLambda.from(async (ticket: string, config) => this.#classify(ticket, config));
  async #classify(ticket: string, config?: object) {
    return this.model.invoke(ticket, config);
  }
}`,
  },
  {
    name: "a private method that starts no child run",
    code: `${LC}export class Triage {
  chain = RunnableLambda.from(async (ticket: string, config) => this.#normalise(ticket));
  #normalise(ticket: string) {
    return ticket.trim();
  }
}`,
  },
);
invalid.push(
  {
    name: "batch options with maxConcurrency on a receiver of unknown origin: the config is spread into them",
    code: `${GRADER}  asRunnable() {
    return RunnableLambda.from(async (items: string[]) => {
      const scores = await this.grader.batch(items, { maxConcurrency: this.concurrency });
      return scores.length;
    });
  }
}`,
    output: `${GRADER}  asRunnable() {
    return RunnableLambda.from(async (items: string[], config) => {
      const scores = await this.grader.batch(items, { ...config, maxConcurrency: this.concurrency });
      return scores.length;
    });
  }
}`,
    errors: [{ messageId: "freshConfig", data: { callee: "this.grader.batch", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  {
    name: "stream options held in a variable, with a runName, on a parameter",
    code: `${LC}export const make = (summarizer: any) =>
  RunnableLambda.from(async (text: string, config) => {
    const options = { runName: "summary" };
    return summarizer.stream(text, options);
  });`,
    output: `${LC}export const make = (summarizer: any) =>
  RunnableLambda.from(async (text: string, config) => {
    const options = { ...config, runName: "summary" };
    return summarizer.stream(text, options);
  });`,
    errors: [{ messageId: "freshConfig", data: { callee: "summarizer.stream", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  ...[
    ["a private method", "#classify"],
    ["a public method", "classify"],
  ].map(([form, method]) => ({
    name: `a RunnableLambda built in a constructor that calls ${form} of its class, which invokes the model`,
    code: `${LC}export class Triage {
  chain: any;
  constructor(private readonly model: any) {
    this.chain = RunnableLambda.from(async (ticket: string) => this.${method}(ticket));
  }
  async ${method}(ticket: string) {
    const reply = await this.model.invoke(\`Classify: \${ticket}\`);
    return String(reply.content);
  }
}`,
    output: `import { RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";
export class Triage {
  chain: any;
  constructor(private readonly model: any) {
    this.chain = RunnableLambda.from(async (ticket: string, config) => this.${method}(ticket, config));
  }
  async ${method}(ticket: string, config?: RunnableConfig) {
    const reply = await this.model.invoke(\`Classify: \${ticket}\`, config);
    return String(reply.content);
  }
}`,
    errors: [{ messageId: "helperWithoutConfig", data: { callee: `this.${method}`, inner: "`this.model.invoke`", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  })),
);

// Functions in the fields of RunnablePassthrough.assign / RunnableMap / RunnableParallel, and in an object given to
// .pipe() or a runnable's .assign(): LangChain makes each a RunnableLambda and hands it the config.
const MAP = `import { RunnableLambda, RunnableMap, RunnableParallel, RunnablePassthrough } from "@langchain/core/runnables";
const extractor = RunnableLambda.from(async (text: string) => text.split(" "));
`;
valid.push(
  {
    name: "an assign field that passes its config on, and one that starts no child run",
    code: `${MAP}export const enrich = RunnablePassthrough.assign({
  words: (input: { text: string }) => input.text.split(/\\s+/).length,
  keywords: async (input: { text: string }, config) => extractor.invoke(input.text, config),
});`,
  },
  {
    name: "Object.assign of an object of functions is no runnable",
    code: `${MAP}export const handlers = Object.assign({}, { keywords: async (input: { text: string }) => extractor.invoke(input.text) });`,
  },
);
invalid.push(
  {
    name: "a RunnablePassthrough.assign field calls a chain without the config",
    code: `${MAP}export const enrich = RunnablePassthrough.assign({
  keywords: async (input: { text: string }) => extractor.invoke(input.text),
});`,
    output: `${MAP}export const enrich = RunnablePassthrough.assign({
  keywords: async (input: { text: string }, config) => extractor.invoke(input.text, config),
});`,
    errors: [{ messageId: "missingConfig", data: { callee: "extractor.invoke", scope: "RunnablePassthrough.assign field", config: "config", why: WHY_BROWSER } }],
  },
  {
    name: "assign fields held by a variable: the added parameter is typed",
    code: `${MAP}const fields = {
  keywords: async (input: { text: string }) => extractor.invoke(input.text),
};
export const enrich = RunnablePassthrough.assign(fields);`,
    output: `import { RunnableLambda, RunnableMap, RunnableParallel, RunnablePassthrough, type RunnableConfig } from "@langchain/core/runnables";
const extractor = RunnableLambda.from(async (text: string) => text.split(" "));
const fields = {
  keywords: async (input: { text: string }, config?: RunnableConfig) => extractor.invoke(input.text, config),
};
export const enrich = RunnablePassthrough.assign(fields);`,
    errors: [{ messageId: "missingConfig", data: { callee: "extractor.invoke", scope: "RunnablePassthrough.assign field", config: "config", why: WHY_BROWSER } }],
  },
  ...[
    ["RunnableMap.from", "RunnableMap.from({ keywords: FN })", "RunnableMap step"],
    ["new RunnableParallel({ steps })", "new RunnableParallel({ steps: { keywords: FN } })", "RunnableParallel step"],
    ["a runnable's .assign()", "extractor.assign({ keywords: FN })", "assign field"],
    [".pipe() with an object", "extractor.pipe({ keywords: FN })", "RunnableMap step (from .pipe)"],
  ].map(([form, written, scope]) => ({
    name: `a function in the steps of ${form} calls a chain without the config`,
    code: `${MAP}export const step = ${written.replace("FN", "async (input: any) => extractor.invoke(String(input))")};`,
    output: `${MAP}export const step = ${written.replace("FN", "async (input: any, config) => extractor.invoke(String(input), config)")};`,
    errors: [{ messageId: "missingConfig", data: { callee: "extractor.invoke", scope, config: "config", why: WHY_BROWSER } }],
  })),
  {
    name: "a prompt's .assign() field, in a file that imports no runnable factory",
    code: `import { ChatPromptTemplate } from "@langchain/core/prompts";
import { extractor } from "./chains";
const prompt = ChatPromptTemplate.fromTemplate("Keywords of {text}");
export const enrich = prompt.assign({ keywords: async (value: unknown) => extractor.invoke(String(value)) });`,
    output: `import { ChatPromptTemplate } from "@langchain/core/prompts";
import { extractor } from "./chains";
const prompt = ChatPromptTemplate.fromTemplate("Keywords of {text}");
export const enrich = prompt.assign({ keywords: async (value: unknown, config) => extractor.invoke(String(value), config) });`,
    errors: [{ messageId: "missingConfig", data: { callee: "extractor.invoke", scope: "assign field", config: "config", why: WHY_BROWSER } }],
  },
);

// A config that sets `callbacks` to nothing drops the only link to the parent run without AsyncLocalStorage: a
// suggestion hands the parent's callbacks back (not a fix: the code clears them on purpose).
const cleared = (callee: string) => ({ messageId: "clearedCallbacks", data: { callee, scope: "RunnableLambda", config: "config", why: WHY_BROWSER } });
invalid.push(
  {
    name: "a config literal that spreads the parent's config and clears its callbacks",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { ...config, callbacks: undefined, tags: ["quiet"] }));`,
    output: null,
    errors: [
      {
        ...cleared("child.invoke"),
        suggestions: [
          {
            messageId: "suggestRestoreCallbacks",
            output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { ...config, callbacks: config?.callbacks, tags: ["quiet"] }));`,
          },
        ],
      },
    ],
  },
  {
    name: "a config rebuilt by a function of the file that clears the callbacks (`[]`), reached through a field set by Object.assign",
    code: `${LC}const silence = (c: object) => ({ ...c, callbacks: [] });
class Pipeline {
  constructor(ranker: unknown) { Object.assign(this, { ranker }); }
  get run() { return RunnableLambda.from(async (x: string, config) => (this as any).ranker.invoke(x, silence(config))); }
}
new Pipeline(RunnableLambda.from(async (x: string) => x));`,
    output: null,
    errors: [
      {
        ...cleared("(this as any).ranker.invoke"),
        suggestions: [
          {
            messageId: "suggestRestoreCallbacks",
            output: `${LC}const silence = (c: object) => ({ ...c, callbacks: [] });
class Pipeline {
  constructor(ranker: unknown) { Object.assign(this, { ranker }); }
  get run() { return RunnableLambda.from(async (x: string, config) => (this as any).ranker.invoke(x, { ...silence(config), callbacks: config?.callbacks })); }
}
new Pipeline(RunnableLambda.from(async (x: string) => x));`,
          },
        ],
      },
    ],
  },
  {
    name: "a config held in a local, cleared with null; the scope gets its config parameter",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number) => {
  const options = { runName: "inner", callbacks: null };
  return child.invoke(x, options);
});`,
    output: null,
    errors: [
      {
        ...cleared("child.invoke"),
        suggestions: [
          {
            messageId: "suggestRestoreCallbacks",
            output: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => {
  const options = { runName: "inner", callbacks: null };
  return child.invoke(x, { ...options, callbacks: config?.callbacks });
});`,
          },
        ],
      },
    ],
  },
);
valid.push(
  {
    name: "callbacks cleared, then the parent's config spread over them: the callbacks come back",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { callbacks: undefined, ...config }));`,
  },
  {
    name: "a config rebuilt by a function that keeps the callbacks (only the run name cleared)",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
const rename = (c: object) => ({ ...c, runName: undefined });
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, rename(config)));`,
  },
  {
    name: "callbacks replaced by the parent's own",
    code: `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { ...config, callbacks: config?.callbacks }));`,
  },
);

// A helper given the scope's config (a wrapper object's `invoke`, a step's `run`) that starts its child runs without it
// or with fresh options: its config parameter is passed on to them.
const GUARD = `${LC}const rerank = RunnableLambda.from(async (docs: number[]) => docs.reverse());
function guard(runnable: typeof rerank, ms = 500) {
  return { invoke: (input: number[], config?: { signal?: AbortSignal }) => runnable.invoke(input, %OPTIONS%) };
}
const guarded = guard(rerank);
`;
const STEPS = `${LC}const labeler = RunnableLambda.from(async (x: string) => x);
const tagged = (config: { tags?: string[] } | undefined, ...extra: string[]) => ({ tags: [...(config?.tags ?? []), ...extra] });
const steps = [{ name: "label", run: (input: string, config?: { tags?: string[] }) => %CALL% }];
`;
valid.push(
  {
    name: "a wrapper's invoke given the scope's config that spreads it into its options",
    code: `${GUARD.replace("%OPTIONS%", "{ ...config, signal: config?.signal ?? AbortSignal.timeout(ms) }")}export const search = RunnableLambda.from(async (docs: number[], config) => guarded.invoke(docs, config));`,
  },
  {
    name: "a step's run given the scope's config that passes it on",
    code: `${STEPS.replace("%CALL%", "labeler.invoke(input, config)")}export const classify = RunnableLambda.from(async (input: string, config) => {
  for (const step of steps) await step.run(input, config);
});`,
  },
  {
    name: "a wrapper's invoke that drops its config, given something other than the scope's config",
    code: `${GUARD.replace("%OPTIONS%", "{ signal: config?.signal ?? AbortSignal.timeout(ms) }")}export const search = RunnableLambda.from(async (docs: number[], config) => guarded.invoke(docs, { signal: AbortSignal.timeout(5) }));`,
  },
);
invalid.push(
  {
    name: "a wrapper's invoke given the scope's config builds fresh options from its signal alone",
    code: `${GUARD.replace("%OPTIONS%", "{ signal: config?.signal ?? AbortSignal.timeout(ms) }")}export const search = RunnableLambda.from(async (docs: number[], config) => guarded.invoke(docs, config));`,
    output: `${GUARD.replace("%OPTIONS%", "{ ...config, signal: config?.signal ?? AbortSignal.timeout(ms) }")}export const search = RunnableLambda.from(async (docs: number[], config) => guarded.invoke(docs, config));`,
    errors: [{ messageId: "helperDropsConfig", data: { callee: "guarded.invoke", inner: "`runnable.invoke`", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  {
    name: "a step's run given the scope's config passes options a function rebuilds from its tags",
    code: `${STEPS.replace("%CALL%", 'labeler.invoke(input, tagged(config, "labeler"))')}export const classify = RunnableLambda.from(async (input: string, config) => {
  for (const step of steps) await step.run(input, config);
});`,
    output: `${STEPS.replace("%CALL%", 'labeler.invoke(input, { ...config, ...tagged(config, "labeler") })')}export const classify = RunnableLambda.from(async (input: string, config) => {
  for (const step of steps) await step.run(input, config);
});`,
    errors: [{ messageId: "helperDropsConfig", data: { callee: "step.run", inner: "`labeler.invoke`", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  {
    name: "a step's run given the scope's config calls the child without any",
    code: `${STEPS.replace("%CALL%", "labeler.invoke(input)")}export const classify = RunnableLambda.from(async (input: string, config) => Promise.all(steps.map((step) => step.run(input, config))));`,
    output: `${STEPS.replace("%CALL%", "labeler.invoke(input, config)")}export const classify = RunnableLambda.from(async (input: string, config) => Promise.all(steps.map((step) => step.run(input, config))));`,
    errors: [{ messageId: "helperDropsConfig", data: { callee: "step.run", inner: "`labeler.invoke`", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
);

// A config written as nothing (`undefined`, `null`, `void 0`) where the config goes is no config.
invalid.push(
  {
    name: "batch with `undefined` for its config and batch options after it: the config takes its place",
    code: `${LC}const scorer = RunnableLambda.from(async (x: string) => x.length);
export const rank = RunnableLambda.from(async (items: string[], config) => scorer.batch(items, undefined, { maxConcurrency: 2 }));`,
    output: `${LC}const scorer = RunnableLambda.from(async (x: string) => x.length);
export const rank = RunnableLambda.from(async (items: string[], config) => scorer.batch(items, config, { maxConcurrency: 2 }));`,
    errors: [{ messageId: "missingConfig", data: { callee: "scorer.batch", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  {
    name: "a method of an injected scorer passing `null` for the config, called without the config",
    code: `${LC}const scorer = RunnableLambda.from(async (x: string) => x.length);
class Ranker {
  constructor(private readonly scoring: typeof scorer) {}
  async rank(items: string[]) {
    return this.scoring.batch(items, null, { maxConcurrency: 2 });
  }
}
const ranker = new Ranker(scorer);
export const rank = RunnableLambda.from(async (items: string[]) => ranker.rank(items));`,
    output: `import { RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";
const scorer = RunnableLambda.from(async (x: string) => x.length);
class Ranker {
  constructor(private readonly scoring: typeof scorer) {}
  async rank(items: string[], config?: RunnableConfig) {
    return this.scoring.batch(items, config, { maxConcurrency: 2 });
  }
}
const ranker = new Ranker(scorer);
export const rank = RunnableLambda.from(async (items: string[], config) => ranker.rank(items, config));`,
    errors: [{ messageId: "helperWithoutConfig", data: { callee: "ranker.rank", inner: "`this.scoring.batch`", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
);

// A tool function's config is the one the tool was called with: handed on as it is (or spread without callbacks of
// its own), the child becomes the tool's sibling. The tool's own run goes in through its run manager.
const DT = `import { DynamicStructuredTool } from "@langchain/core/tools";
import { chain } from "./chain";
`;
valid.push(
  {
    name: "a tool function hands the child the run manager's callbacks patched into its config",
    code: `${DT}import { patchConfig } from "@langchain/core/runnables";
export const t = new DynamicStructuredTool({ name: "t", description: "d", schema: {} as never, func: async (input, runManager, config) => chain.invoke(input, { ...patchConfig(config, { callbacks: runManager?.getChild() }), runName: "c" }) });`,
  },
  {
    name: "a tool function sets the child's callbacks itself next to the spread config",
    code: `${DT}export const t = new DynamicStructuredTool({ name: "t", description: "d", schema: {} as never, func: async (input, runManager, config) => chain.invoke(input, { ...config, callbacks: runManager?.getChild() }) });`,
  },
  {
    name: "a tool() function hands on its config as it is (tool() gives its function the tool's own config)",
    code: `import { tool } from "@langchain/core/tools";
import { chain } from "./chain";
export const t = tool(async (input: string, config) => chain.invoke(input, { ...config, runName: "c" }), { name: "t", description: "d" });`,
  },
);
invalid.push(
  {
    name: "a tool function hands its config on as it is",
    code: `${DT}export const t = new DynamicStructuredTool({ name: "t", description: "d", schema: {} as never, func: async (input, _runManager, config) => chain.invoke(input, config) });`,
    output: `${DT}import { patchConfig } from "@langchain/core/runnables";
export const t = new DynamicStructuredTool({ name: "t", description: "d", schema: {} as never, func: async (input, _runManager, config) => chain.invoke(input, patchConfig(config, { callbacks: _runManager?.getChild() })) });`,
    errors: [{ messageId: "toolParentConfig", data: { callee: "chain.invoke", scope: "DynamicStructuredTool", config: "patchConfig(config, { callbacks: _runManager?.getChild() })", why: WHY_BROWSER } }],
  },
  {
    name: "a tool function spreads its config into the child's options with a run name",
    code: `${DT}export const t = new DynamicStructuredTool({ name: "t", description: "d", schema: {} as never, func: async (input, runManager, config) => chain.invoke(input, { ...config, runName: "c", metadata: { ...config?.metadata, via: "t" } }) });`,
    output: `${DT}import { patchConfig } from "@langchain/core/runnables";
export const t = new DynamicStructuredTool({ name: "t", description: "d", schema: {} as never, func: async (input, runManager, config) => chain.invoke(input, { ...patchConfig(config, { callbacks: runManager?.getChild() }), runName: "c", metadata: { ...config?.metadata, via: "t" } }) });`,
    errors: [{ messageId: "toolParentConfig" }],
  },
);

// A runnable the subclass composes, taken from its caller by the constructor (`this.summarizer = summarizer`): this
// file cannot see what is passed, but `this.summarizer.batch(...)` in a Runnable subclass calls a runnable.
const COMPOSED = (fn: string, base = "Runnable<string, string>", extra = "") => `import { Runnable${extra} } from "@langchain/core/runnables";
export class Summarizer extends ${base} {
  lc_namespace = ["demo"];
  summarizer: any;
  constructor({ summarizer }: { summarizer: any }) {
    super();
    this.summarizer = summarizer;
  }
  async invoke(input: string, options?: object) {
    return this._callWithConfig(${fn}, input, { ...options, runName: "Summarizer" });
  }
}`;
invalid.push({
  name: "a runnable the Runnable subclass's constructor takes from its caller, batched without a config in the function given to _callWithConfig",
  code: COMPOSED("async (diff: string) => (await this.summarizer.batch(diff.split(\"\\n\"))).join(\" \")"),
  output: COMPOSED("async (diff: string, config, runManager) => (await this.summarizer.batch(diff.split(\"\\n\"), patchConfig(config, { callbacks: runManager?.getChild() }))).join(\" \")", "Runnable<string, string>", ", patchConfig"),
  errors: [{ messageId: "missingConfig", data: { callee: "this.summarizer.batch", scope: "function given to `_callWithConfig`", config: "patchConfig(config, { callbacks: runManager?.getChild() })", why: WHY_BROWSER } }],
});
valid.push({
  name: "a member batched in a class that extends nothing of LangChain's (a DataLoader-like batch)",
  code: `export class Loader {
  loader: any;
  constructor({ loader }: { loader: any }) {
    this.loader = loader;
  }
  load(keys: string[]) {
    return this.loader.batch(keys);
  }
}`,
});

// The function a Runnable subclass hands to `this._callWithConfig` gets `(input, config, runManager)`: the caller's
// config and the run the library started. Its children nest with the run manager's child callbacks patched in.
const ROUTER = (fn: string, extra = "") => `import { Runnable, RunnableLambda${extra} } from "@langchain/core/runnables";
const english = RunnableLambda.from(async (text: string) => text);
export class Router extends Runnable<string, string> {
  lc_namespace = ["demo"];
  async invoke(input: string, options?: object) {
    return this._callWithConfig(${fn}, input, { ...options, runName: "Router" });
  }
}`;
valid.push(
  { name: "a function given to _callWithConfig that patches the run manager's callbacks in", code: ROUTER("(text: string, config, runManager) => english.invoke(text, patchConfig(config, { callbacks: runManager?.getChild() }))", ", patchConfig") },
  {
    name: "a function given to _callWithConfig that assigns the patched config to its config parameter first",
    code: ROUTER("async (text: string, config, runManager) => { config = patchConfig(config, { callbacks: runManager?.getChild() }); const t = await english.invoke(text, config); return english.invoke(t, { ...config, runName: 'again' }); }", ", patchConfig"),
  },
  {
    name: "_callWithConfig on a class that extends nothing of LangChain's",
    code: `import { RunnableLambda } from "@langchain/core/runnables";
const english = RunnableLambda.from(async (text: string) => text);
class Base { _callWithConfig(fn: (x: string) => unknown, x: string) { return fn(x); } }
export class Router extends Base {
  run(input: string) {
    return this._callWithConfig((text: string) => text.trim(), input);
  }
}`,
  },
);
invalid.push(
  {
    name: "a function given to _callWithConfig calls a child without a config: config and run manager added",
    code: ROUTER("(text: string) => english.invoke(text)"),
    output: ROUTER("(text: string, config, runManager) => english.invoke(text, patchConfig(config, { callbacks: runManager?.getChild() }))", ", patchConfig"),
    errors: [{ messageId: "missingConfig", data: { callee: "english.invoke", scope: "function given to `_callWithConfig`", config: "patchConfig(config, { callbacks: runManager?.getChild() })", why: WHY_BROWSER } }],
  },
  {
    name: "a function given to _callWithConfig hands its config on as it is: the run manager is added after it",
    code: ROUTER("(text: string, config) => english.invoke(text, config)"),
    output: ROUTER("(text: string, config, runManager) => english.invoke(text, patchConfig(config, { callbacks: runManager?.getChild() }))", ", patchConfig"),
    errors: [{ messageId: "toolParentConfig", data: { callee: "english.invoke", scope: "function given to `_callWithConfig`", config: "patchConfig(config, { callbacks: runManager?.getChild() })", why: WHY_BROWSER } }],
  },
);
valid.push(
  { name: "a function given to _callWithConfig that patches a run name and the run manager's callbacks in", code: ROUTER("(text: string, config, runManager) => english.invoke(text, patchConfig(config, { runName: 'en', callbacks: runManager?.getChild() }))", ", patchConfig") },
  { name: "a function given to _callWithConfig that patches a run name into a config already given the run manager's callbacks", code: ROUTER("(text: string, config, runManager) => english.invoke(text, patchConfig(patchConfig(config, { callbacks: runManager?.getChild() }), { runName: 'en' }))", ", patchConfig") },
);
invalid.push({
  name: "a function given to _callWithConfig hands its config on patched with a run name only: the run manager's callbacks patched in first",
  code: ROUTER("(text: string, config, runManager) => english.invoke(text, patchConfig(config, { runName: 'en' }))", ", patchConfig"),
  output: ROUTER("(text: string, config, runManager) => english.invoke(text, patchConfig(patchConfig(config, { callbacks: runManager?.getChild() }), { runName: 'en' }))", ", patchConfig"),
  errors: [{ messageId: "toolParentConfig", data: { callee: "english.invoke", scope: "function given to `_callWithConfig`", config: "patchConfig(config, { callbacks: runManager?.getChild() })", why: WHY_BROWSER } }],
});

// The library does not enter AsyncLocalStorage for that function: reported with AsyncLocalStorage set up too
// (fixtures/runtime/pass-runnable-config/als-call-with-config).
const WHY_OUTSIDE_ALS =
  "LangChain does not enter AsyncLocalStorage for the function a Runnable subclass hands to `_callWithConfig`, so even where AsyncLocalStorage is set up the child finds its parent only through the config, and starts its own trace";
invalid.push({
  name: "a function given to _callWithConfig calls a child without a config, with AsyncLocalStorage set up",
  settings: NODE_SETTINGS,
  code: ROUTER("(text: string) => english.invoke(text)"),
  output: ROUTER("(text: string, config, runManager) => english.invoke(text, patchConfig(config, { callbacks: runManager?.getChild() }))", ", patchConfig"),
  errors: [{ messageId: "missingConfig", data: { callee: "english.invoke", scope: "function given to `_callWithConfig`", config: "patchConfig(config, { callbacks: runManager?.getChild() })", why: WHY_OUTSIDE_ALS } }],
});
valid.push({ name: "a RunnableLambda calling a child without a config, with AsyncLocalStorage set up (the lambda runs inside it)", settings: NODE_SETTINGS, code: `${LC}const english = RunnableLambda.from(async (text: string) => text);\nexport const route = RunnableLambda.from(async (text: string) => english.invoke(text));` });

// A retriever's `_getRelevantDocuments(query, runManager)` gets no config: the library calls it outside the retriever's
// run, and only the run manager links a child to that run (fixtures/runtime/pass-runnable-config/core-only-retriever).
const RETRIEVER = (method: string, extra = "") => `import { BaseRetriever } from "@langchain/core/retrievers";
import { RunnableLambda } from "@langchain/core/runnables";
const score = RunnableLambda.from(async (q: string) => [q]);${extra}
export class Faq extends BaseRetriever {
  lc_namespace = ["faq"];
  ${method}
}`;
valid.push(
  { name: "a retriever hands its child the run manager's child callbacks", code: RETRIEVER("async _getRelevantDocuments(query: string, runManager?: any) { await score.invoke(query, { callbacks: runManager?.getChild() }); return []; }") },
  {
    name: "a retriever hands its child options kept in a local that carry the child callbacks",
    code: RETRIEVER("async _getRelevantDocuments(query: string, runManager?: any) { const options = { callbacks: runManager?.getChild(), runName: 'score' }; await score.invoke(query, options); return []; }"),
  },
  { name: "another method of a retriever, which the library does not call", code: RETRIEVER("async warm(query: string) { await score.invoke(query); }") },
  {
    name: "a _getRelevantDocuments method of a class that extends no retriever",
    code: `import { RunnableLambda } from "@langchain/core/runnables";
const score = RunnableLambda.from(async (q: string) => [q]);
class Base {}
export class Faq extends Base {
  async _getRelevantDocuments(query: string) { await score.invoke(query); return []; }
}`,
  },
);
invalid.push(
  {
    name: "a retriever calls a child without a config: it gets the run manager's child callbacks",
    code: RETRIEVER("async _getRelevantDocuments(query: string, runManager?: any) { await score.invoke(query); return []; }"),
    output: RETRIEVER("async _getRelevantDocuments(query: string, runManager?: any) { await score.invoke(query, { callbacks: runManager?.getChild() }); return []; }"),
    errors: [{ messageId: "missingRunManagerConfig", data: { callee: "score.invoke", scope: "retriever's _getRelevantDocuments", config: "{ callbacks: runManager?.getChild() }", why: WHY_BROWSER } }],
  },
  {
    name: "a retriever without the run manager parameter: it is added, under the name the method leaves free",
    code: RETRIEVER("async _getRelevantDocuments(query: string) { const ranked = await score.invoke(query); return ranked.map((pageContent) => ({ pageContent, metadata: {} })); }"),
    output: RETRIEVER("async _getRelevantDocuments(query: string, runManager?: { getChild(): unknown }) { const ranked = await score.invoke(query, { callbacks: runManager?.getChild() }); return ranked.map((pageContent) => ({ pageContent, metadata: {} })); }"),
    errors: [{ messageId: "missingRunManagerConfig", data: { callee: "score.invoke", scope: "retriever's _getRelevantDocuments", config: "{ callbacks: runManager?.getChild() }", why: WHY_BROWSER } }],
  },
  {
    name: "a retriever gives its child fresh options: the child callbacks go first in them",
    code: RETRIEVER("async _getRelevantDocuments(query: string, manager?: any) { await score.invoke(query, { runName: 'score', tags: ['faq'] }); return []; }"),
    output: RETRIEVER("async _getRelevantDocuments(query: string, manager?: any) { await score.invoke(query, { callbacks: manager?.getChild(), runName: 'score', tags: ['faq'] }); return []; }"),
    errors: [{ messageId: "freshConfig", data: { callee: "score.invoke", scope: "retriever's _getRelevantDocuments", config: "{ callbacks: manager?.getChild() }", why: WHY_BROWSER } }],
  },
  {
    name: "a retriever batches over a child held in a field",
    code: RETRIEVER("scorer = score;\n  async _getRelevantDocuments(query: string, runManager?: any) { const docs = await this.scorer.batch([query, query.toLowerCase()]); return docs.flat(); }"),
    output: RETRIEVER("scorer = score;\n  async _getRelevantDocuments(query: string, runManager?: any) { const docs = await this.scorer.batch([query, query.toLowerCase()], { callbacks: runManager?.getChild() }); return docs.flat(); }"),
    errors: [{ messageId: "missingRunManagerConfig", data: { callee: "this.scorer.batch", scope: "retriever's _getRelevantDocuments", config: "{ callbacks: runManager?.getChild() }", why: WHY_BROWSER } }],
  },
);

// A child bound to the scope's own config during the call (`rank.withConfig(config)`) carries the parent's callbacks.
valid.push({
  name: "a child bound with withConfig(config) in the scope, invoked without options",
  code: `${LC}const rank = RunnableLambda.from(async (x: string) => x);
export const parent = RunnableLambda.from(async (x: string, config) => {
  const scoped = rank.withConfig(config);
  return scoped.invoke(x);
});`,
});
invalid.push(
  {
    name: "a child bound with withConfig to fresh tags in the scope, invoked without options",
    code: `${LC}const rank = RunnableLambda.from(async (x: string) => x);
export const parent = RunnableLambda.from(async (x: string, config) => {
  const scoped = rank.withConfig({ tags: ["rank"] });
  return scoped.invoke(x);
});`,
    output: `${LC}const rank = RunnableLambda.from(async (x: string) => x);
export const parent = RunnableLambda.from(async (x: string, config) => {
  const scoped = rank.withConfig({ tags: ["rank"] });
  return scoped.invoke(x, config);
});`,
    errors: [{ messageId: "missingConfig" }],
  },
  {
    name: "a child bound with withConfig(config) once, by whichever call came first, and kept",
    code: `${LC}const rank = RunnableLambda.from(async (x: string) => x);
let bound: ReturnType<typeof rank.withConfig> | undefined;
export const parent = RunnableLambda.from(async (x: string, config) => {
  bound ??= rank.withConfig(config);
  return bound.invoke(x);
});`,
    output: `${LC}const rank = RunnableLambda.from(async (x: string) => x);
let bound: ReturnType<typeof rank.withConfig> | undefined;
export const parent = RunnableLambda.from(async (x: string, config) => {
  bound ??= rank.withConfig(config);
  return bound.invoke(x, config);
});`,
    errors: [{ messageId: "missingConfig" }],
  },
);

// A config handed back without its callbacks by a function that takes them out of the object (`const { callbacks,
// ...rest } = config; return rest`), of this file or another module.
const SANITIZE = (pattern: string) => `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
function sanitize(config: Record<string, unknown> = {}) {
  const ${pattern} = config;
  return plain;
}
`;
const SANITIZED = (options: string) => `import { createRequire } from "node:module";
${LC}const sanitizeConfig = createRequire(import.meta.url)("./sanitize.cjs");
const child = RunnableLambda.from(async (x) => x + 1);
export const parent = RunnableLambda.from(async (x, config) => {
  const safe = sanitizeConfig(config);
  return child.invoke(x, ${options});
});`;
const sanitizeProject = projectOnDisk({
  "src/sanitize.cjs": `module.exports = function sanitizeConfig(config = {}) {
  const { callbacks, signal, ...plain } = config;
  return plain;
};
`,
});
valid.push({
  name: "a config taken apart by a function of the file that keeps its callbacks (only the signal is left out)",
  code: `${SANITIZE("{ signal, ...plain }")}export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, sanitize(config)));`,
});
invalid.push(
  {
    name: "a config handed back by a function of the file that leaves its callbacks out",
    code: `${SANITIZE("{ callbacks, signal, ...plain }")}export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, sanitize(config)));`,
    output: null,
    errors: [
      {
        ...cleared("child.invoke"),
        suggestions: [{ messageId: "suggestRestoreCallbacks", output: `${SANITIZE("{ callbacks, signal, ...plain }")}export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, { ...sanitize(config), callbacks: config?.callbacks }));` }],
      },
    ],
  },
  {
    name: "a config handed back without its callbacks by a CommonJS module loaded through createRequire, held in a local",
    filename: path.join(sanitizeProject, "src/main.mjs"),
    code: SANITIZED("safe"),
    output: null,
    errors: [{ ...cleared("child.invoke"), suggestions: [{ messageId: "suggestRestoreCallbacks", output: SANITIZED("{ ...safe, callbacks: config?.callbacks }") }] }],
  },
);

// A helper that copies a list of keys from the config (a loop over a literal list) and leaves `callbacks` out of it.
const PICK = (keys: string, loop: string) => `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
const FORWARDED = [${keys}];
function forwardOptions(config: any, extra = {}) {
  const out: Record<string, unknown> = {};
  ${loop}
  return { ...out, ...extra };
}
export const parent = RunnableLambda.from(async (x: number, config) => child.invoke(x, forwardOptions(config, { metadata: { step: 1 } })));`;
const FOR_OF = "for (const k of FORWARDED) if (config && config[k] !== undefined) out[k] = config[k];";
const FOR_EACH = "FORWARDED.forEach((key) => { out[key] = config?.[key]; });";
const pickedProject = projectOnDisk({
  "src/options.mjs": `const FORWARDED_KEYS = ["tags", "metadata", "configurable", "signal"];
export function forwardOptions(config, extra = {}) {
  const out = {};
  for (const k of FORWARDED_KEYS) if (config && config[k] !== undefined) out[k] = config[k];
  return { ...out, ...extra };
}
`,
  "src/keeps.mjs": `const FORWARDED_KEYS = ["tags", "metadata", "callbacks"];
export function forwardOptions(config, extra = {}) {
  const out = {};
  for (const k of FORWARDED_KEYS) out[k] = config[k];
  return { ...out, ...extra };
}
`,
});
const PICKED_MAIN = (module: string, options = "forwardOptions(config, { metadata: { modality: \"CT\" } })") => `${LC}import { forwardOptions } from "./${module}";
const estimate = RunnableLambda.from((study) => ({ mb: study.frames * 0.5 }));
export const plan = RunnableLambda.from(async (study, config) => estimate.invoke(study, ${options}));`;
valid.push(
  { name: "a helper that copies a list of keys including callbacks", code: PICK('"tags", "callbacks", "metadata"', FOR_OF) },
  { name: "a helper that copies a list of keys into a copy that also spreads the config", code: PICK('"tags"', FOR_OF).replace("{ ...out, ...extra }", "{ ...config, ...out, ...extra }") },
  { name: "a helper that copies listed keys and then sets the callbacks", code: PICK('"tags"', FOR_OF + " out.callbacks = config?.callbacks;") },
  { name: "another module's helper that copies a list of keys including callbacks", filename: path.join(pickedProject, "src/main.mjs"), code: PICKED_MAIN("keeps.mjs") },
);
invalid.push(
  ...[FOR_OF, FOR_EACH].map((loop) => ({
    name: `a helper that copies a list of keys without callbacks (${loop.slice(0, 12)})`,
    code: PICK('"tags", "metadata", "signal"', loop),
    output: null,
    errors: [{ ...cleared("child.invoke"), suggestions: [{ messageId: "suggestRestoreCallbacks", output: PICK('"tags", "metadata", "signal"', loop).replace("forwardOptions(config, { metadata: { step: 1 } })", "{ ...forwardOptions(config, { metadata: { step: 1 } }), callbacks: config?.callbacks }") }] }],
  })),
  {
    name: "another module's helper that copies a list of keys without callbacks",
    filename: path.join(pickedProject, "src/main.mjs"),
    code: PICKED_MAIN("options.mjs"),
    output: null,
    errors: [{ ...cleared("estimate.invoke"), suggestions: [{ messageId: "suggestRestoreCallbacks", output: PICKED_MAIN("options.mjs", "{ ...forwardOptions(config, { metadata: { modality: \"CT\" } }), callbacks: config?.callbacks }") }] }],
  },
);

// A helper that builds the forwarded config from named keys of the parent's (destructured, or read as members).
const named = (body: string) => `export function childConfig(config, extra = {}) {
${body}
}
`;
const namedProject = projectOnDisk({
  "src/destructured.mjs": named("  const { tags, metadata, configurable } = config ?? {};\n  return { tags, metadata, configurable, ...extra };"),
  "src/members.mjs": named("  return { tags: config.tags, metadata: config.metadata, ...extra };"),
  "src/keeps.mjs": named("  const { tags, metadata, callbacks } = config ?? {};\n  return { tags, metadata, callbacks, ...extra };"),
  "src/spreads.mjs": named("  const { tags } = config ?? {};\n  return { ...config, tags, ...extra };"),
});
const NAMED_MAIN = (module: string, options = "childConfig(config, { runName: \"estimate\" })") => `${LC}import { childConfig } from "./${module}";
const estimate = RunnableLambda.from((study) => ({ mb: study.frames * 0.5 }));
export const plan = RunnableLambda.from(async (study, config) => estimate.invoke(study, ${options}));`;
valid.push(
  { name: "another module's helper that builds the config from named keys including callbacks", filename: path.join(namedProject, "src/main.mjs"), code: NAMED_MAIN("keeps.mjs") },
  { name: "another module's helper that spreads the config and overrides a named key", filename: path.join(namedProject, "src/main.mjs"), code: NAMED_MAIN("spreads.mjs") },
);
invalid.push(
  ...["destructured.mjs", "members.mjs"].map((module) => ({
    name: `another module's helper that builds the config from named keys without callbacks (${module})`,
    filename: path.join(namedProject, "src/main.mjs"),
    code: NAMED_MAIN(module),
    output: null,
    errors: [{ ...cleared("estimate.invoke"), suggestions: [{ messageId: "suggestRestoreCallbacks", output: NAMED_MAIN(module, "{ ...childConfig(config, { runName: \"estimate\" }), callbacks: config?.callbacks }") }] }],
  })),
);

// A helper given the parent's config where it never reads it (`stepConfig(step, config)` returning `step.config`).
const ignoring = projectOnDisk({
  "src/pipeline.cjs": "function stepConfig(step, parentConfig) {\n  return step.config;\n}\nfunction carried(step, parentConfig) {\n  return { ...step.config, callbacks: parentConfig?.callbacks };\n}\nmodule.exports = { stepConfig, carried };\n",
});
const IGNORING_MAIN = (helper: string, options = `${helper}(step, config)`) => `const { RunnableLambda } = require("@langchain/core/runnables");
const { stepConfig, carried } = require("./pipeline.cjs");
const weigh = RunnableLambda.from(async (rx) => rx);
const steps = [{ runnable: weigh, config: { tags: ["peds"] } }];
exports.check = RunnableLambda.from(async (rx, config) => {
  let cur = rx;
  for (const step of steps) cur = await step.runnable.invoke(cur, ${options});
  return cur;
});
`;
valid.push({ name: "another module's helper that carries the parent config's callbacks into the step's config", filename: path.join(ignoring, "src/main.cjs"), code: IGNORING_MAIN("carried") });
invalid.push({
  name: "another module's helper given the parent config where it never reads it",
  filename: path.join(ignoring, "src/main.cjs"),
  code: IGNORING_MAIN("stepConfig"),
  output: null,
  errors: [{ ...cleared("step.runnable.invoke"), suggestions: [{ messageId: "suggestRestoreCallbacks", output: IGNORING_MAIN("stepConfig", "{ ...stepConfig(step, config), callbacks: config?.callbacks }") }] }],
});

// A helper module that also makes the steps (`makeStep(name, fn)` returning `RunnableLambda.from(fn)`): the caller's
// file names no LangChain API, its scopes come from that factory, and it hands the helper their config.
const STEP_FACTORY = (invoke: string) => `const { RunnableLambda } = require("@langchain/core/runnables");
function makeStep(name, fn) {
  return RunnableLambda.from(fn).withConfig({ runName: name });
}
function delegate(step, input, config) {
  return ${invoke};
}
module.exports = { makeStep, delegate };
`;
const STEP_FACTORY_MAIN = `const { makeStep, delegate } = require("./steps.cjs");
const checkRest = makeStep("checkRest", async (req) => ({ ok: req.restHours >= 12 }));
const roster = makeStep("roster", async (req, config) => (await delegate(checkRest, req, config)).ok);
roster.invoke({ restHours: 14 });
`;
const stepFactoryDropped = projectOnDisk({ "src/steps.cjs": STEP_FACTORY("step.invoke(input)"), "src/main.cjs": STEP_FACTORY_MAIN });
const stepFactoryPassed = projectOnDisk({ "src/steps.cjs": STEP_FACTORY("step.invoke(input, config)"), "src/main.cjs": STEP_FACTORY_MAIN });
valid.push({ name: "a helper module whose step factory makes the caller's scopes, the helper passing their config on", filename: path.join(stepFactoryPassed, "src/steps.cjs"), code: STEP_FACTORY("step.invoke(input, config)") });
invalid.push({
  name: "a helper module whose step factory makes the caller's scopes (the caller names no LangChain API), the helper dropping their config",
  filename: path.join(stepFactoryDropped, "src/steps.cjs"),
  code: STEP_FACTORY("step.invoke(input)"),
  output: STEP_FACTORY("step.invoke(input, config)"),
  errors: [{ messageId: "exportedHelperWithoutConfig" }],
});

// patchConfig / mergeConfigs build on the config they are given first: on a module-level literal of options, the
// result has no callbacks.
const PATCHED = (base: string) => `import { RunnableLambda, patchConfig } from "@langchain/core/runnables";
const BASE = { tags: ["billing"], metadata: { service: "billing" } };
const charge = RunnableLambda.from(async (x: number) => x);
export const parent = RunnableLambda.from(async (x: number, config) => charge.invoke(x, patchConfig(${base}, { runName: "charge" })));`;
valid.push({ name: "patchConfig on the scope's config", code: PATCHED("config") });
invalid.push({
  name: "patchConfig on a module-level literal of options instead of the scope's config",
  code: PATCHED("BASE"),
  output: PATCHED("BASE").replace('charge.invoke(x, patchConfig(BASE, { runName: "charge" }))', 'charge.invoke(x, { ...config, ...patchConfig(BASE, { runName: "charge" }) })'),
  errors: [{ messageId: "freshConfig", data: { callee: "charge.invoke", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
});

// LangGraph's getConfig() reads the node's config from AsyncLocalStorage only: without it, the child gets none.
const GETCONFIG = `import { StateGraph } from "@langchain/langgraph/web";
import { getConfig } from "@langchain/langgraph/web";
import { RunnableLambda } from "@langchain/core/runnables";
const moderate = RunnableLambda.from(async (t: string) => t);
`;
invalid.push({
  name: "a /web graph node whose child's config comes from getConfig(), kept in a local the node also sets in a catch",
  code: `${GETCONFIG}async function moderateNode(state: { text: string }) {
  let config;
  try { config = getConfig(); } catch { config = undefined; }
  return { flagged: await moderate.invoke(state.text, config) };
}
export const graph = new StateGraph({ channels: {} }).addNode("moderate", moderateNode);`,
  output: `${GETCONFIG}async function moderateNode(state: { text: string }, runnableConfig?: RunnableConfig) {
  let config;
  try { config = runnableConfig; } catch { config = undefined; }
  return { flagged: await moderate.invoke(state.text, config) };
}
export const graph = new StateGraph({ channels: {} }).addNode("moderate", moderateNode);`.replace('import { RunnableLambda } from "@langchain/core/runnables";', 'import { RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";'),
  errors: [{ messageId: "ambientConfig", data: { callee: "moderate.invoke", scope: 'graph node "moderate"', config: "runnableConfig", why: "this file runs without AsyncLocalStorage (imports @langchain/langgraph/web), where LangChain finds the parent run only through the config, so the child starts its own trace", ambient: "getConfig()" } }],
  settings: { "trace-nesting": { runtime: "auto" } },
});

// One part of the config handed over as the whole: no callbacks (a suggestion passes the whole config).
const PART = (body: string) => `${LC}const search = RunnableLambda.from(async (q: string) => q);
export const parent = RunnableLambda.from(async (q: string, config) => {
${body}
});`;
valid.push({ name: "the whole config with its configurable replaced", code: PART("  return search.invoke(q, { ...config, configurable: { tenant: config?.configurable?.tenant } });") });
invalid.push(
  {
    name: "config.configurable handed over as the child's config",
    code: PART("  return search.invoke(q, config.configurable);"),
    output: null,
    errors: [{ messageId: "partOfConfig", data: { callee: "search.invoke", scope: "RunnableLambda", config: "config", why: WHY_BROWSER, part: "configurable" }, suggestions: [{ messageId: "suggestPassConfig", output: PART("  return search.invoke(q, config);") }] }],
  },
  {
    name: "a part destructured from the config handed over as the child's config",
    code: PART("  const { configurable } = config;\n  return search.invoke(q, configurable);"),
    output: null,
    errors: [{ messageId: "partOfConfig", data: { callee: "search.invoke", scope: "RunnableLambda", config: "config", why: WHY_BROWSER, part: "configurable" }, suggestions: [{ messageId: "suggestPassConfig", output: PART("  const { configurable } = config;\n  return search.invoke(q, config);") }] }],
  },
);

// A run manager's bare handler list as the child's callbacks carries no parent run.
const HANDLERS = (callbacks: string) => `import { DynamicStructuredTool } from "@langchain/core/tools";
import { chain } from "./chain";
export const t = new DynamicStructuredTool({ name: "t", description: "d", schema: {} as never, func: async (input, runManager) => chain.invoke(input, { callbacks: ${callbacks} }) });`;
valid.push({ name: "a tool function hands its child the run manager's child callbacks", code: HANDLERS("runManager?.getChild()") });
invalid.push(
  {
    name: "a tool function hands its child the run manager's inheritable handlers",
    code: HANDLERS("runManager?.inheritableHandlers"),
    output: HANDLERS("runManager?.getChild()"),
    errors: [{ messageId: "bareHandlers", data: { callee: "chain.invoke", scope: "DynamicStructuredTool", config: "config", why: WHY_BROWSER, manager: "runManager", handlers: "inheritableHandlers" } }],
  },
  {
    name: "a tool function hands its child the run manager's handlers (local ones too): a suggestion",
    code: HANDLERS("runManager?.handlers"),
    output: null,
    errors: [{ messageId: "bareHandlers", suggestions: [{ messageId: "suggestChildCallbacks", output: HANDLERS("runManager?.getChild()") }] }],
  },
);

// A bound runnable method handed point-free to an array method gets each element's index as its config.
const FANOUT = (body: string) => `${LC}const worker = RunnableLambda.from(async (sku: string) => sku);
export const parent = RunnableLambda.from(async (skus: string[], config) => {
${body}
});`;
valid.push({ name: "an array method's callback that passes the element and the config", code: FANOUT("  return Promise.all(skus.map((sku) => worker.invoke(sku, config)));") });
invalid.push(
  {
    name: "worker.invoke.bind(worker) handed to map",
    code: FANOUT("  return Promise.all(skus.map(worker.invoke.bind(worker)));"),
    output: FANOUT("  return Promise.all(skus.map((item) => (worker.invoke.bind(worker))(item, config)));"),
    errors: [{ messageId: "pointFreeInvoke", data: { callee: "worker.invoke.bind(worker)", method: "map", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  {
    name: "a bound invoke held in a local and handed to map",
    code: FANOUT("  const run = worker.invoke.bind(worker);\n  return Promise.all(skus.map(run));"),
    output: FANOUT("  const run = worker.invoke.bind(worker);\n  return Promise.all(skus.map((item) => run(item, config)));"),
    errors: [{ messageId: "pointFreeInvoke", data: { callee: "run", method: "map", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
);

// A list of handlers written as the child's callbacks replaces the parent's: without AsyncLocalStorage the child starts
// its own trace (fixtures/runtime/pass-runnable-config/core-only-replaced-callbacks; with it, it nests: als-replaced-callbacks).
const AUDITED = (options: string) => `${LC}const payout = RunnableLambda.from(async (x: number) => x);
const audit = { name: "audit", handleChainStart() {} };
export const refund = RunnableLambda.from(async (amount: number, config) => payout.invoke(amount, ${options}));`;
invalid.push(
  {
    name: "a list of handlers written as the child's callbacks (callbacks: [audit])",
    code: AUDITED("{ callbacks: [audit], tags: [\"refund\"] }"),
    output: null,
    errors: [{ messageId: "replacedCallbacks", data: { callee: "payout.invoke", handlers: "[audit]", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  {
    name: "one branch of the child's config replaces the callbacks with a list of handlers",
    code: AUDITED("amount > 100 ? { callbacks: [audit] } : config"),
    output: null,
    errors: [{ messageId: "replacedCallbacks" }],
  },
);
// The same list built by an in-file helper the lambda hands its config to (`withAudit(config)`), or held at module level.
const AUDIT_HELPER = (body: string) => AUDITED("withAudit(config)").replace("export const refund", `function withAudit(config?: { callbacks?: unknown[] }) {\n  ${body}\n}\nexport const refund`);
invalid.push(
  {
    name: "an in-file helper that builds a fresh config with a list of handlers, ignoring the config it is given",
    code: AUDIT_HELPER(`return { callbacks: [audit], tags: ["audited"] };`),
    output: null,
    errors: [{ messageId: "replacedCallbacks", data: { callee: "payout.invoke", handlers: "[audit]", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
  {
    name: "a module-level config literal with a list of handlers",
    code: AUDITED("AUDITED_RUN").replace("export const refund", `const AUDITED_RUN = { callbacks: [audit] };\nexport const refund`),
    output: null,
    errors: [{ messageId: "replacedCallbacks", data: { callee: "payout.invoke", handlers: "[audit]", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
  },
);
valid.push(
  { name: "an in-file helper that adds the handler to the config it is given", code: AUDIT_HELPER(`return { ...config, callbacks: [audit, ...(config?.callbacks ?? [])] };`) },
  { name: "an in-file helper that takes the handlers from the config it is given", code: AUDIT_HELPER(`return { tags: ["audited"], callbacks: [...(config?.callbacks ?? []), audit] };`) },
);
valid.push(
  { name: "the handlers added to the parent's callbacks (a spread of the config's list)", code: AUDITED("{ ...config, callbacks: [audit, ...(config?.callbacks ?? [])] }") },
  { name: "the parent's callback manager copied with the handler", code: AUDITED("{ ...config, callbacks: config?.callbacks?.copy?.([audit]) }") },
);
valid.push({ name: "a list of handlers as the child's callbacks, with AsyncLocalStorage set up (LangChain attaches them to the current run)", settings: NODE_SETTINGS, code: AUDITED("{ callbacks: [audit] }") });

// A child's config kept from the first call (`this.#config ??= config`): later calls hand their children that one.
const AGENT = (keep: string) => `${LC}const tool = RunnableLambda.from(async (x: string) => x);
class Agent {
  #config: object | undefined;
  bind(config: object) {
    ${keep}
    return this;
  }
  act(x: string) {
    return tool.invoke(x, this.#config);
  }
}
const agent = new Agent();
export const parent = RunnableLambda.from(async (x: string, config) => agent.bind(config).act(x));`;
valid.push({ name: "a config field set by every call (=), read by the child call", code: AGENT("this.#config = config;") });
valid.push({ name: "a config field set by every call (=), spread into the child's options, with AsyncLocalStorage", settings: NODE_SETTINGS, code: AGENT("this.#config = config;").replace("tool.invoke(x, this.#config)", "tool.invoke(x, { ...this.#config, runName: \"act\" })") });
const SESSION = (made: string) => `${LC}const tool = RunnableLambda.from(async (x: string) => x);
const sessions = new Map<string, { config?: object }>();
const sessionFor = (id: string) => { if (!sessions.has(id)) sessions.set(id, {}); return sessions.get(id)!; };
export async function respond(state: { id: string; text: string }, config: { configurable: { thread_id: string } }) {
  const session = ${made};
  session.config ??= config;
  return tool.invoke(state.text, { ...session.config, runName: "reply" });
}`;
invalid.push({
  name: "a property of a per-thread record from a store that only the first turn sets (session.config ??= config)",
  settings: NODE_SETTINGS,
  code: SESSION("sessionFor(config.configurable.thread_id)"),
  output: null,
  errors: [{ messageId: "memoizedConfig", data: { callee: "tool.invoke", holder: "session.config" } }],
});
valid.push({ name: "the same property of an object made in each call", settings: NODE_SETTINGS, code: SESSION("{} as { config?: object }") });
invalid.push({
  name: "a config field only the first call sets (??=), spread into the child's options, with AsyncLocalStorage",
  settings: NODE_SETTINGS,
  code: AGENT("this.#config ??= config;").replace("tool.invoke(x, this.#config)", "tool.invoke(x, { ...this.#config, runName: \"act\" })"),
  output: null,
  errors: [{ messageId: "memoizedConfig", data: { callee: "tool.invoke", holder: "this.#config" } }],
});
invalid.push({
  name: "a record of the first call's callbacks only the first call sets (??= { callbacks: config?.callbacks, tags })",
  code: AGENT('this.#config ??= { callbacks: config?.callbacks, tags: ["gateway"] };'),
  output: null,
  errors: [{ messageId: "memoizedConfig", data: { callee: "tool.invoke", holder: "this.#config" } }],
});
valid.push(
  { name: "a record of each call's callbacks set by every call (=)", code: AGENT('this.#config = { callbacks: config?.callbacks, tags: ["gateway"] };') },
  { name: "a record of fixed options only the first call sets (??=): no callbacks of any call", settings: NODE_SETTINGS, code: AGENT('this.#config ??= { tags: ["gateway"] };') },
);
invalid.push({
  name: "a config field only the first call sets (??=), read by the child call",
  code: AGENT("this.#config ??= config;"),
  output: null,
  errors: [{ messageId: "memoizedConfig", data: { callee: "tool.invoke", holder: "this.#config" } }],
});

// A record a function of this file keeps from its first call (`if (!store.has(k)) store.set(k, { config })`, then
// `return store.get(k)`): the child's config read from it is the first call's from the second call on.
const KEEPER = (keeper: string, use = "const session = sessionFor(config);\n  return tool.invoke(state.text, { ...session.config, runName: \"reply\" });") => `${LC}const tool = RunnableLambda.from(async (x: string) => x);
${keeper}
export const respond = RunnableLambda.from(async (state: { text: string }, config: any) => {
  ${use}
});`;
invalid.push(
  {
    name: "a record kept in a module-level map only when missing, holding the first call's config (if (!map.has(k)) map.set(k, { config }))",
    settings: NODE_SETTINGS,
    code: KEEPER(`const sessions = new Map();
function sessionFor(config: any) {
  const id = config.configurable.thread_id;
  if (!sessions.has(id)) sessions.set(id, { id, config });
  return sessions.get(id);
}`),
    output: null,
    errors: [{ messageId: "cachedConfig", data: { callee: "tool.invoke", holder: "session.config", keeper: "sessionFor" } }],
  },
  {
    name: "the record read first (if (!cached)), built in a local, and the config handed over as it is",
    code: KEEPER(`const cache = new Map<string, any>();
const tenantSettings = (tenant: string, cfg: any) => {
  const cached = cache.get(tenant);
  if (!cached) {
    const entry = { tenant, currency: "EUR", cfg };
    cache.set(tenant, entry);
  }
  return cache.get(tenant);
};`, "const settings = tenantSettings(\"acme\", config);\n  return tool.invoke(state.text, settings.cfg);"),
    output: null,
    errors: [{ messageId: "cachedConfig", data: { callee: "tool.invoke", holder: "settings.cfg", keeper: "tenantSettings" } }],
  },
  {
    name: "an early return for a known key, then the store written, and an awaited keeper",
    settings: NODE_SETTINGS,
    code: KEEPER(`const contexts = new Map<string, any>();
async function contextFor(key: string, config: any) {
  if (contexts.has(key)) return contexts.get(key);
  contexts.set(key, config);
  return contexts.get(key);
}`, "const kept = await contextFor(\"k\", config);\n  return tool.invoke(state.text, { ...kept, runName: \"reply\" });"),
    output: null,
    errors: [{ messageId: "cachedConfig", data: { callee: "tool.invoke", holder: "kept", keeper: "contextFor" } }],
  },
  {
    name: "a keeper reached through a RunnableLambda whose function returns its call",
    settings: NODE_SETTINGS,
    code: KEEPER(`const sessions = new Map();
function sessionFor(id: string, config: any) {
  if (!sessions.has(id)) sessions.set(id, { id, config });
  return sessions.get(id);
}
const bootstrap = RunnableLambda.from((id: string, config) => sessionFor(id, config));`, "const session = await bootstrap.invoke(\"t1\", config);\n  return tool.invoke(state.text, { ...session.config, runName: \"reply\" });"),
    output: null,
    errors: [{ messageId: "cachedConfig", data: { callee: "tool.invoke", holder: "session.config", keeper: "sessionFor" } }],
  },
);
valid.push(
  { name: "a record written on every call (no has() guard) holds the current call's config", settings: NODE_SETTINGS, code: KEEPER(`const sessions = new Map();
function sessionFor(config: any) {
  const id = config.configurable.thread_id;
  sessions.set(id, { ...sessions.get(id), id, config });
  return sessions.get(id);
}`) },
  { name: "a record kept only when missing, but holding options of its own, not the config parameter", settings: NODE_SETTINGS, code: KEEPER(`const sessions = new Map();
function sessionFor(config: any) {
  const id = config.configurable.thread_id;
  if (!sessions.has(id)) sessions.set(id, { id, config: { tags: ["support"] } });
  return sessions.get(id);
}`) },
  { name: "a guarded store made inside the call (it keeps nothing for the next call)", settings: NODE_SETTINGS, code: KEEPER(`function sessionFor(config: any) {
  const sessions = new Map();
  const id = config.configurable.thread_id;
  if (!sessions.has(id)) sessions.set(id, { id, config });
  return sessions.get(id);
}`) },
  { name: "a keeper whose record is read, but the child gets the current config", settings: NODE_SETTINGS, code: KEEPER(`const sessions = new Map();
function sessionFor(config: any) {
  const id = config.configurable.thread_id;
  if (!sessions.has(id)) sessions.set(id, { id, config, turns: 0 });
  return sessions.get(id);
}`, "const session = sessionFor(config);\n  session.turns += 1;\n  return tool.invoke(state.text, { ...config, runName: \"reply\" });") },
  { name: "a keeper that keeps the config but hands back something else (a count)", settings: NODE_SETTINGS, code: KEEPER(`const seen = new Map();
function sessionFor(config: any) {
  const id = config.configurable.thread_id;
  if (!seen.has(id)) seen.set(id, { config });
  return { config, turns: seen.size };
}`) },
);

// The keeper in another module of the project (ESM, and CommonJS loaded with require), and a look-alike module
// whose store writes every call's config.
const keeperProject = projectOnDisk({
  "src/sessions.js": `const sessions = new Map();
export function sessionFor(config) {
  const threadId = config.configurable.thread_id;
  if (!sessions.has(threadId)) sessions.set(threadId, { threadId, config, turns: 0 });
  const session = sessions.get(threadId);
  session.turns += 1;
  return session;
}
export function liveSession(config) {
  const threadId = config.configurable.thread_id;
  sessions.set(threadId, { threadId, config });
  return sessions.get(threadId);
}
`,
  "src/tenants.cjs": `const cache = new Map();
async function tenantContext(tenantId, config) {
  if (!cache.has(tenantId)) {
    cache.set(tenantId, { tenantId, currency: "EUR", config });
  }
  return cache.get(tenantId);
}
module.exports = { tenantContext };
`,
});
const IMPORTED_KEEPER = (imports: string, made: string) => `${imports}
const tool = RunnableLambda.from(async (x) => x);
export const respond = RunnableLambda.from(async (state, config) => {
  const session = ${made};
  return tool.invoke(state.text, { ...session.config, runName: "reply" });
});`;
invalid.push(
  {
    name: "a record an imported function keeps from the first call (ESM module of the project)",
    filename: path.join(keeperProject, "src/main.js"),
    code: IMPORTED_KEEPER(`import { RunnableLambda } from "@langchain/core/runnables";\nimport { sessionFor } from "./sessions.js";`, "sessionFor(config)"),
    output: null,
    errors: [{ messageId: "cachedConfig", data: { callee: "tool.invoke", holder: "session.config", keeper: "sessionFor" } }],
  },
  {
    name: "a record a required CommonJS function keeps from the first call, awaited",
    filename: path.join(keeperProject, "src/main.cjs"),
    code: IMPORTED_KEEPER(`const { RunnableLambda } = require("@langchain/core/runnables");\nconst { tenantContext } = require("./tenants.cjs");`, "await tenantContext(state.tenant, config)"),
    output: null,
    errors: [{ messageId: "cachedConfig", data: { callee: "tool.invoke", holder: "session.config", keeper: "tenantContext" } }],
  },
);
valid.push({
  name: "a record an imported function writes on every call",
  filename: path.join(keeperProject, "src/main.js"),
  code: IMPORTED_KEEPER(`import { RunnableLambda } from "@langchain/core/runnables";\nimport { liveSession } from "./sessions.js";`, "liveSession(config)"),
});

// A scope's config kept for work that runs after the scope returns: handed in a record to a helper that keeps it in a
// store drained by a timer started at load.
const OUTBOX = (append: string, use: string) => `${LC}const emailCustomer = RunnableLambda.from(async (x: unknown) => x);
const rows: { payload: unknown; config?: unknown; ack?: (v: unknown) => void }[] = [];
setInterval(async () => {
  for (const row of rows.splice(0)) row.ack?.(await emailCustomer.invoke(row.payload, row.config as any));
}, 5);
${append}
export const closeTicket = RunnableLambda.from(async (ticket: string, config) => {
  ${use}
  return ticket;
});`;
const APPEND = "function append(row: { payload: unknown; config?: unknown }) {\n  rows.push(row);\n}";
const APPEND_WAIT = "function appendAndWait(row: { payload: unknown; config?: unknown }) {\n  return new Promise((ack) => rows.push({ ...row, ack }));\n}";
invalid.push(
  {
    name: "the scope's config handed in a record to a helper that keeps it for a relay started at load",
    settings: NODE_SETTINGS,
    code: OUTBOX(APPEND, "append({ payload: ticket, config });"),
    output: null,
    errors: [{ messageId: "configKeptForLater", data: { scope: "RunnableLambda", receiver: "rows", via: " (through `append()`)" } }],
  },
  {
    name: "the scope's config itself kept by the helper, without AsyncLocalStorage",
    code: OUTBOX("function keep(config: unknown) {\n  rows.push({ payload: \"late\", config });\n}", "keep(config);"),
    output: null,
    errors: [{ messageId: "configKeptForLater", data: { scope: "RunnableLambda", receiver: "rows", via: " (through `keep()`)" } }],
  },
);
valid.push(
  { name: "the scope waits for the relay (await on the helper's promise)", settings: NODE_SETTINGS, code: OUTBOX(APPEND_WAIT, "await appendAndWait({ payload: ticket, config });") },
  { name: "the scope hands back the helper's promise", settings: NODE_SETTINGS, code: OUTBOX(APPEND_WAIT, "return appendAndWait({ payload: ticket, config });") },
  { name: "a record without the config", settings: NODE_SETTINGS, code: OUTBOX(APPEND, "append({ payload: ticket });") },
  { name: "the config handed to a helper that only reads it", settings: NODE_SETTINGS, code: OUTBOX("function tagsOf(config: { tags?: string[] }) {\n  return config.tags ?? [];\n}", "tagsOf(config);") },
);

// Callbacks from getLangchainCallbacks(run) for a hand-made RunTree parent: measured not to nest with langsmith 0.12.
const RUN_TREE_CALLBACKS = (body: string, extra = "") => `import { RunTree } from "langsmith";
import { RunnableLambda } from "@langchain/core/runnables";
import { getLangchainCallbacks } from "langsmith/langchain";
${extra}const parseDiff = RunnableLambda.from(async (raw: string) => raw.length);
export async function ingestPush(diff: string) {
  const run = new RunTree({ name: "ingest_push", inputs: { diff } });
${body}
}`;
invalid.push(
  {
    name: "a runnable given callbacks from getLangchainCallbacks(run) for a hand-made run tree",
    settings: NODE_SETTINGS,
    code: RUN_TREE_CALLBACKS("  return parseDiff.invoke(diff, { callbacks: await getLangchainCallbacks(run) });"),
    output: null,
    errors: [{ messageId: "runTreeCallbacks", data: { callee: "parseDiff.invoke", runTree: "run" } }],
  },
  {
    name: "the same callbacks held in a local first, without AsyncLocalStorage",
    code: RUN_TREE_CALLBACKS("  const callbacks = await getLangchainCallbacks(run);\n  return parseDiff.invoke(diff, { callbacks, runName: \"parse\" });"),
    output: null,
    errors: [{ messageId: "runTreeCallbacks", data: { callee: "parseDiff.invoke", runTree: "run" } }],
  },
);
valid.push(
  {
    name: "callbacks from getLangchainCallbacks(run) whose tracer the file updates from the run tree",
    settings: NODE_SETTINGS,
    code: RUN_TREE_CALLBACKS("  const callbacks: any = await getLangchainCallbacks(run);\n  callbacks.handlers.find((h: any) => h.name === \"langchain_tracer\")?.updateFromRunTree(run);\n  return parseDiff.invoke(diff, { callbacks });"),
  },
  {
    name: "getLangchainCallbacks(getCurrentRunTree()) inside a traceable, with AsyncLocalStorage",
    settings: NODE_SETTINGS,
    code: `import { RunnableLambda } from "@langchain/core/runnables";
import { getLangchainCallbacks } from "langsmith/langchain";
import { traceable, getCurrentRunTree } from "langsmith/traceable";
const parseDiff = RunnableLambda.from(async (raw: string) => raw.length);
export const ingest = traceable(async (diff: string) => parseDiff.invoke(diff, { callbacks: await getLangchainCallbacks(getCurrentRunTree()) }));`,
  },
  {
    name: "a runnable given callbacks from getLangchainCallbacks(run) with another langsmith minor installed (unmeasured)",
    settings: { "trace-nesting": { runtime: "node", versions: { langsmith: "0.13.1" } } },
    code: RUN_TREE_CALLBACKS("  return parseDiff.invoke(diff, { callbacks: await getLangchainCallbacks(run) });"),
  },
);

// A callback manager handed over as the whole config: `invoke` reads a RunnableConfig and finds no `callbacks` in it
// (measured: the chain starts its own trace without AsyncLocalStorage). A tool's legacy `call` accepts callbacks there.
const DYN = `import { DynamicTool } from "@langchain/core/tools";
import { chain } from "./chain";
`;
valid.push(
  { name: "a callback manager given to a tool's legacy call(), which reads callbacks there", code: `${DYN}export const t = new DynamicTool({ name: "t", description: "d", func: async (input, runManager) => chain.call(input, runManager?.getChild()) });` },
  { name: "a callback manager given as the callbacks of a config", code: `${DYN}export const t = new DynamicTool({ name: "t", description: "d", func: async (input, runManager) => chain.invoke(input, { callbacks: runManager?.getChild() }) });` },
);
invalid.push(
  {
    name: "a callback manager given as the whole config of invoke: wrapped in { callbacks }",
    code: `${DYN}export const t = new DynamicTool({ name: "t", description: "d", func: async (input, runManager) => chain.invoke(input, runManager?.getChild()) });`,
    output: `${DYN}export const t = new DynamicTool({ name: "t", description: "d", func: async (input, runManager) => chain.invoke(input, { callbacks: runManager?.getChild() }) });`,
    errors: [{ messageId: "callbackManagerAsConfig", data: { callee: "chain.invoke", manager: "runManager?.getChild()", config: "{ callbacks: runManager?.getChild() }", why: WHY_BROWSER } }],
  },
  {
    name: "the tool's options built by a registering helper from what its callers pass (new DynamicTool(def))",
    code: `${DYN}const registry = new Map();
function register(def) {
  registry.set(def.name, new DynamicTool(def));
}
register({ name: "summarize", description: "d", func: async (diff, runManager) => chain.invoke(diff, runManager.getChild("summary")) });`,
    output: `${DYN}const registry = new Map();
function register(def) {
  registry.set(def.name, new DynamicTool(def));
}
register({ name: "summarize", description: "d", func: async (diff, runManager) => chain.invoke(diff, { callbacks: runManager.getChild("summary") }) });`,
    errors: [{ messageId: "callbackManagerAsConfig" }],
  },
);

// `batch(inputs, config, { maxConcurrency })` on a receiver of unknown origin: the batch options make it a runnable's.
const EVAL = `import { RunnableLambda } from "@langchain/core/runnables";
export function createEvalRun(evaluators: { batch(...args: unknown[]): Promise<unknown[]> }[]) {
  return RunnableLambda.from(async (rows: unknown[], config) => {
    const scores = [];
`;
valid.push({ name: "a batch of another API with other options, inside a runnable", code: `${EVAL}    for (const evaluator of evaluators) scores.push(...(await evaluator.batch(rows, undefined, { size: 10 })));
    return scores;
  });
}` });
invalid.push({
  name: "batch with runnable batch options and no config, on a receiver of unknown origin",
  code: `${EVAL}    for (const evaluator of evaluators) scores.push(...(await evaluator.batch(rows, undefined, { maxConcurrency: 2 })));
    return scores;
  });
}`,
  output: `${EVAL}    for (const evaluator of evaluators) scores.push(...(await evaluator.batch(rows, config, { maxConcurrency: 2 })));
    return scores;
  });
}`,
  errors: [{ messageId: "missingConfig" }],
});

// A chat model's `_generate` (measured: fixtures/runtime/pass-runnable-config/core-only-chat-model-child): its call
// options hold no callbacks and its LLM run manager has no getChild(). Reported without a fix.
const CHAT = (body: string) => `import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { CallbackManager } from "@langchain/core/callbacks/manager";
import { moderate } from "./moderate";
export class HouseChatModel extends BaseChatModel {
  _llmType() { return "house"; }
  async _generate(messages: any[], options: any, runManager?: any) {
    ${body}
    return { generations: [] };
  }
}`;
valid.push(
  { name: "a chat model's _generate hands its child a callback manager made from the run manager", code: CHAT("const callbacks = new CallbackManager(runManager?.runId); await moderate.invoke(messages, { ...options, callbacks });") },
  { name: "another method of a chat model, which the library does not call with a run", code: CHAT("return null;").replace("_llmType() {", "async warm(x: string) { await moderate.invoke(x); }\n  _llmType() {") },
);
invalid.push(
  {
    name: "a chat model's _generate hands its child its call options",
    code: CHAT("await moderate.invoke(messages, options);"),
    output: null,
    errors: [{ messageId: "chatModelChild", data: { callee: "moderate.invoke", scope: "chat model's _generate", why: WHY_BROWSER } }],
  },
  {
    name: "a chat model's _generate calls its child without options, or with options that spread the call options",
    code: CHAT("await moderate.invoke(messages); await moderate.invoke(messages, { ...options, runName: 'moderate' });"),
    output: null,
    errors: [{ messageId: "chatModelChild" }, { messageId: "chatModelChild" }],
  },
);

// A runnable bound to one call's callbacks and kept for every later call (measured with AsyncLocalStorage:
// fixtures/runtime/pass-runnable-config/als-memoized-callbacks, and its look-alike als-memoized-callbacks-nests).
const KEPT = `import { RunnableLambda } from "@langchain/core/runnables";
import { crmLookup, impls } from "./tools";
`;
valid.push(
  { name: "a kept tool configured without callbacks", settings: NODE_SETTINGS, code: `${KEPT}let toolkit: any;
export function getToolkit(config: any) {
  toolkit ??= { crm: crmLookup.withConfig({ tags: ["toolkit"] }) };
  return toolkit;
}` },
  { name: "LangChain callbacks read in an async function run on every call (not kept)", settings: NODE_SETTINGS, code: `${KEPT}import { getLangchainCallbacks } from "langsmith/langchain";
export async function check(email: string) {
  const callbacks = await (async () => await getLangchainCallbacks())();
  return crmLookup.invoke(email, { callbacks });
}` },
  { name: "LangChain callbacks held in a local and bound for this call only (nothing keeps the bound runnable)", settings: NODE_SETTINGS, code: `${KEPT}import { getLangchainCallbacks } from "langsmith/langchain";
export async function lookup(region: string) {
  const handlers = await getLangchainCallbacks();
  const bound = crmLookup.withConfig({ callbacks: handlers, metadata: { region } });
  return bound.invoke(region);
}` },
  { name: "a tool bound to a call's callbacks made for that call, and a map filled per call without a has() guard", settings: NODE_SETTINGS, code: `${KEPT}const seen = new Map();
export const answer = RunnableLambda.from(async (email: string, config) => {
  const crm = crmLookup.withConfig({ callbacks: config?.callbacks });
  seen.set(email, crm.withConfig({ ...config }));
  return crm.invoke(email);
});` },
);
// An object of this file's class made with one call's callbacks, which its methods hand to their child runs.
const GATEWAY = (made: string) => `${KEPT}class PaymentsGateway {
  #callbacks: any;
  constructor({ callbacks }: { callbacks?: any }) {
    this.#callbacks = callbacks;
  }
  refund(id: string) {
    return crmLookup.invoke(id, { callbacks: this.#callbacks });
  }
}
let gateway: PaymentsGateway | undefined;
export function gatewayFor(config: any) {
  ${made}
  return gateway;
}`;
invalid.push({
  name: "an object made with the first call's callbacks, kept by ??= in a module-level holder",
  settings: NODE_SETTINGS,
  code: GATEWAY("gateway ??= new PaymentsGateway({ callbacks: config.callbacks });"),
  output: null,
  errors: [{ messageId: "keptCallbacks", data: { callee: "PaymentsGateway", holder: "gateway" } }],
});
valid.push(
  { name: "an object made with each call's callbacks (=)", settings: NODE_SETTINGS, code: GATEWAY("gateway = new PaymentsGateway({ callbacks: config.callbacks });") },
  { name: "an object made once without callbacks (??=)", settings: NODE_SETTINGS, code: GATEWAY("gateway ??= new PaymentsGateway({});") },
);
invalid.push(
  {
    name: "LangChain callbacks held in a local first, then bound and kept in a map only when missing",
    settings: NODE_SETTINGS,
    code: `${KEPT}import { getLangchainCallbacks } from "langsmith/langchain";
const perRegion = new Map<string, any>();
export async function lookupFor(region: string) {
  if (!perRegion.has(region)) {
    const handlers = await getLangchainCallbacks();
    perRegion.set(region, crmLookup.withConfig({ callbacks: handlers, metadata: { region } }));
  }
  return perRegion.get(region);
}`,
    output: null,
    errors: [{ messageId: "keptCallbacks", data: { callee: "crmLookup.withConfig", holder: "perRegion" } }],
  },
  {
    name: "a tool bound to the first call's callbacks, put in a map after an early return for a known key",
    settings: NODE_SETTINGS,
    code: `${KEPT}const perUser = new Map<string, any>();
export function lookupFor(user: string, config: any) {
  if (perUser.has(user)) return perUser.get(user);
  perUser.set(user, crmLookup.withConfig({ callbacks: config.callbacks }));
  return perUser.get(user);
}`,
    output: null,
    errors: [{ messageId: "keptCallbacks", data: { callee: "crmLookup.withConfig", holder: "perUser" } }],
  },
  {
    name: "a tool bound to the first call's callbacks, kept by ??= in a module-level holder (with AsyncLocalStorage)",
    settings: NODE_SETTINGS,
    code: `${KEPT}let toolkit: any;
export function getToolkit(config: any) {
  toolkit ??= { crm: crmLookup.withConfig({ callbacks: config.callbacks, tags: ["toolkit"] }) };
  return toolkit;
}`,
    output: null,
    errors: [{ messageId: "keptCallbacks", data: { callee: "crmLookup.withConfig", holder: "toolkit" } }],
  },
  {
    name: "LangChain callbacks read once in an async initialiser whose promise a static field keeps (??=)",
    settings: NODE_SETTINGS,
    code: `${KEPT}import { getLangchainCallbacks } from "langsmith/langchain";
export class Moderation {
  #callbacks: any;
  static #shared: Promise<Moderation> | undefined;
  static shared() {
    Moderation.#shared ??= (async () => {
      const client = new Moderation();
      client.#callbacks = await getLangchainCallbacks();
      return client;
    })();
    return Moderation.#shared;
  }
  check(email: string) {
    return crmLookup.invoke(email, { callbacks: this.#callbacks });
  }
}`,
    output: null,
    errors: [{ messageId: "keptCallbacks", data: { callee: "getLangchainCallbacks", holder: "Moderation.#shared" } }],
  },
  {
    name: "a runnable bound to a spread config, put in a map only when missing, and a memoizing helper's function",
    settings: NODE_SETTINGS,
    code: `${KEPT}const memoize = (fn: (...args: any[]) => any, keyOf = (x: any) => x) => {
  const cache = new Map();
  return (...args: any[]) => {
    const k = keyOf(...args);
    if (!cache.has(k)) cache.set(k, fn(...args));
    return cache.get(k);
  };
};
export class Registry {
  #loaders = new Map();
  loaderFor(id: string, config: any) {
    if (!this.#loaders.has(id)) this.#loaders.set(id, crmLookup.withConfig({ ...config }));
    return this.#loaders.get(id);
  }
  bind = memoize((name: string, config: any) => impls.get(name).withConfig({ callbacks: config?.callbacks }), (name: string) => name);
}`,
    output: null,
    errors: [
      { messageId: "keptCallbacks", data: { callee: "crmLookup.withConfig", holder: "this.#loaders" } },
      { messageId: "keptCallbacks", data: { callee: "impls.get(name).withConfig", holder: "memoize()" } },
    ],
  },
);

// A method that keeps the first config it is given in a private field and hands it back, called inline as the config:
// of a class of this file, or of another module's (`ctx.configFor(config)` on an instance made at load).
const CONTEXT_CLASS = `export class ReviewerContext {
  #config: any = null;
  configFor(config: any) {
    this.#config ??= config;
    return this.#config;
  }
}
`;
const contextProject = projectOnDisk({ "src/reviewer-context.ts": CONTEXT_CLASS });
invalid.push(
  {
    name: "a method of this file's class that keeps its first config in a private field, called inline as the child's config",
    settings: NODE_SETTINGS,
    code: KEEPER(`${CONTEXT_CLASS}const ctx = new ReviewerContext();`, "return tool.invoke(state.text, ctx.configFor(config));"),
    output: null,
    errors: [{ messageId: "cachedConfig", data: { callee: "tool.invoke", holder: "ctx.configFor(config)", keeper: "ctx.configFor" } }],
  },
  {
    name: "the same method of another module's class, on an instance made at load",
    settings: NODE_SETTINGS,
    code: KEEPER(`import { ReviewerContext } from "./reviewer-context";\nconst ctx = new ReviewerContext();`, "return tool.invoke(state.text, ctx.configFor(config));"),
    filename: path.join(contextProject, "src/app.ts"),
    output: null,
    errors: [{ messageId: "cachedConfig", data: { callee: "tool.invoke", holder: "ctx.configFor(config)", keeper: "ctx.configFor" } }],
  },
);
valid.push({
  name: "a method that merges each call's config over defaults it keeps, called inline as the child's config",
  settings: NODE_SETTINGS,
  code: KEEPER(`class ReviewerContext {
  #defaults: any = null;
  configFor(config: any) {
    this.#defaults ??= { tags: ["review-bot"] };
    return { ...this.#defaults, ...config };
  }
}
const ctx = new ReviewerContext();`, "return tool.invoke(state.text, ctx.configFor(config));"),
});

// A helper that hands the rest of its options on as the child's config (`{ attempts, ...config }`).
const RETRY = `${LC}const child = RunnableLambda.from(async (x: number) => x + 1);
async function invokeWithRetry(runnable: typeof child, input: number, { attempts = 3, ...config }: Record<string, unknown> = {}) {
  for (let i = 0; i < attempts - 1; i++) {
    try {
      return await runnable.invoke(input, config);
    } catch {}
  }
  return runnable.invoke(input, config);
}
`;
invalid.push({
  name: "a helper handing the rest of its options on as the child's config, given options without the parent's",
  code: `${RETRY}export const parent = RunnableLambda.from(async (x: number, config) => invokeWithRetry(child, x, { attempts: 2 }));`,
  output: `${RETRY}export const parent = RunnableLambda.from(async (x: number, config) => invokeWithRetry(child, x, { ...config, attempts: 2 }));`,
  errors: [{ messageId: "freshConfig" }],
});
valid.push({
  name: "a helper handing the rest of its options on as the child's config, given the parent's config spread in",
  code: `${RETRY}export const parent = RunnableLambda.from(async (x: number, config) => invokeWithRetry(child, x, { ...config, attempts: 2 }));`,
});
// A factory's parameter that other modules of the project fill with a runnable (`makePublisher(tileRenderer)`): its
// `.stream(...)` inside the RunnableLambda the factory makes is a child run (measured:
// fixtures/runtime/pass-runnable-config/factory-param-runnable-cross-file).
const PUBLISHER = (call: string, params = "zoom") => `import { RunnableLambda } from "@langchain/core/runnables";
export const makePublisher = (renderer, { bucket = "tiles" } = {}) =>
  RunnableLambda.from(async (${params}) => {
    const keys = [];
    for await (const key of await ${call}) keys.push(\`\${bucket}/\${key}\`);
    return keys;
  });
`;
const publishers = projectOnDisk({
  "src/steps.js": PUBLISHER("renderer.stream(zoom)"),
  "src/main.js": `import { RunnableLambda } from "@langchain/core/runnables";
import { makePublisher } from "./steps.js";
const tileRenderer = RunnableLambda.from(async function* (zoom) { yield \`\${zoom}/0\`; });
export const publisher = makePublisher(tileRenderer);
`,
  "src/plain.js": PUBLISHER("source.stream(zoom)").replace("makePublisher = (renderer", "makeCopier = (source"),
  "src/files.js": `import { createReadStream } from "node:fs";
import { makeCopier } from "./plain.js";
export const copier = makeCopier({ stream: (path) => createReadStream(path) });
`,
});
invalid.push({
  name: "a factory's parameter that another module fills with a runnable, streamed inside the RunnableLambda it makes without config",
  filename: path.join(publishers, "src/steps.js"),
  code: PUBLISHER("renderer.stream(zoom)"),
  output: PUBLISHER("renderer.stream(zoom, config)", "zoom, config"),
  errors: [{ messageId: "missingConfig" }],
});
valid.push(
  { name: "the same factory passing the config on", filename: path.join(publishers, "src/steps.js"), code: PUBLISHER("renderer.stream(zoom, config)", "zoom, config") },
  { name: "a factory whose parameter other modules fill with a plain object whose `stream` is no runnable", filename: path.join(publishers, "src/plain.js"), code: PUBLISHER("source.stream(zoom)").replace("makePublisher = (renderer", "makeCopier = (source") },
);

// The scope's config handed to a helper that has no parameter for it (`verifyAll(state, config)` for `verifyAll(state)`):
// dropped as surely as when left out (measured on an unseen program); the fix adds the parameter and passes it on.
const UNRECEIVED = (params: string, inner: string) => `${LC}const child = RunnableLambda.from(async (x: string) => x);
async function verifyAll(${params}) {
  ${inner}
}
export const parent = RunnableLambda.from(async (items: string[], config) => verifyAll(items, config));`;
invalid.push({
  name: "a helper called with the scope's config as an argument it has no parameter for",
  code: UNRECEIVED("items: string[]", "for (const item of items) await child.invoke(item);"),
  output: UNRECEIVED("items: string[], config?: RunnableConfig", "for (const item of items) await child.invoke(item, config);").replace("import { RunnableLambda } from", "import { RunnableLambda, type RunnableConfig } from"),
  errors: [{ messageId: "helperWithoutConfig", data: { callee: "verifyAll", inner: "`child.invoke`", scope: "RunnableLambda", config: "config", why: WHY_BROWSER } }],
});
valid.push(
  { name: "the same helper with a config parameter it passes on", code: UNRECEIVED("items: string[], config?: object", "for (const item of items) await child.invoke(item, config);") },
  { name: "the same helper reading the extra argument through `arguments`", code: UNRECEIVED("items: string[]", "for (const item of items) await child.invoke(item, arguments[1]);").replace("async function verifyAll", "async function verifyAll") },
);

// `ensureConfig({ runName })`: without AsyncLocalStorage it finds no config to merge, so the literal is all the child
// gets (measured on an unseen program); the fix spreads the scope's config into it.
const ENSURED = (literal: string, held: boolean) => `${LCE}const child = RunnableLambda.from(async (x: number) => x + 1);
export const parent = RunnableLambda.from(async (x: number, config) => {
  ${held ? `const cfg = ensureConfig(${literal});\n  return child.invoke(x, cfg);` : `return child.invoke(x, ensureConfig(${literal}));`}
});`;
for (const held of [true, false]) {
  invalid.push({
    name: `ensureConfig given a fresh literal of options${held ? ", held in a local" : ""}`,
    code: ENSURED('{ runName: "screen", metadata: { lot: x } }', held),
    output: ENSURED('{ ...config, runName: "screen", metadata: { lot: x } }', held),
    errors: [{ messageId: "freshConfig" }],
  });
}
valid.push({ name: "ensureConfig given the scope's config spread into a literal", code: ENSURED('{ ...config, runName: "screen" }', true) });

// Options held in a `const` before the call (`const opts = { retries: 1 }; complete(q, opts)`, measured on an unseen
// program through a helper of another module): the fix hands a copy with the config added.
const HELD_OPTIONS = (body: string) => `${LC}const model = RunnableLambda.from(async (x: string) => x);
async function complete(prompt: string, options: { config?: object; retries?: number } = {}) {
  return model.invoke(prompt, options.config);
}
export const parent = RunnableLambda.from(async (q: string, config) => {
  ${body}
});`;
invalid.push({
  name: "a helper that takes its config as a property of options held in a const, which lack it",
  code: HELD_OPTIONS("const opts = { retries: 1 };\n  return complete(q, opts);"),
  output: HELD_OPTIONS("const opts = { retries: 1 };\n  return complete(q, { ...opts, config });"),
  errors: [{ messageId: "optionsWithoutConfig" }],
});
valid.push(
  { name: "the same options given the config in the const", code: HELD_OPTIONS("const opts = { retries: 1, config };\n  return complete(q, opts);") },
  { name: "the same options given the config later (`opts.config = config`)", code: HELD_OPTIONS("const opts: { retries: number; config?: object } = { retries: 1 };\n  opts.config = config;\n  return complete(q, opts);") },
);

tester(BROWSER).run(RULE, rule(RULE), { valid, invalid });
describeIdempotency(RULE, invalid as never, BROWSER, ["destructuredConfig", "partOfConfig", "memoizedConfig", "chatModelChild", "keptCallbacks", "replacedCallbacks", "cachedConfig", "configKeptForLater", "runTreeCallbacks"]);
