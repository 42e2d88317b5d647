import type { InvalidTestCase, ValidTestCase } from "@typescript-eslint/rule-tester";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BROWSER, NODE, describeIdempotency, rule, tester } from "./helpers.js";

const RULE = "pass-parent-run-tree";
type Options = [Record<string, unknown>];

const IMP = `import { traceable } from "langsmith/traceable";\n`;
const RT = `import type { RunTree } from "langsmith/run_trees";\n`;

/** A project on disk whose `lib.ts` exports traceables, one declaring a RunTree first and one not. */
const projectDir = mkdtempSync(path.join(tmpdir(), "trace-nesting-run-tree-"));
writeFileSync(path.join(projectDir, "package.json"), JSON.stringify({ name: "app", type: "module" }));
writeFileSync(
  path.join(projectDir, "lib.ts"),
  `${IMP}${RT}export const declared = traceable(async (runTree: RunTree, q: string) => q, { name: "declared" });
export const plain = traceable(async (q: string) => q, { name: "plain" });
`,
);
const inProject = path.join(projectDir, "app.ts");

const valid: ValidTestCase<Options>[] = [
  {
    name: "a runnable called inside a traceable with callbacks (a config) passed",
    code: `${IMP}${RT}import { RunnableLambda } from "@langchain/core/runnables";
const retrieve = RunnableLambda.from(async (q: string) => [q]);
export const answer = traceable(async (runTree: RunTree, q: string, callbacks: never) => retrieve.invoke(q, { callbacks }));`,
  },
  {
    name: "already hands over its run tree",
    code: `${IMP}${RT}const child = traceable(async (runTree: RunTree, x: number) => x);
export const parent = traceable(async (runTree: RunTree, x: number) => child(runTree, x));`,
  },
  {
    name: "entry point with ROOT, children outside traced scopes",
    code: `import { traceable, ROOT } from "langsmith/traceable";
const child = traceable(async (x: number) => x);
export async function main() { return child(ROOT, 1); }
export const other = () => child(2);`,
  },
  {
    name: "Node with AsyncLocalStorage: nests (recommended is silent)",
    code: `${IMP}const child = traceable(async (x: number) => x);
export const parent = traceable(async (x: number) => child(x));`,
    settings: { "trace-nesting": NODE },
  },
  {
    name: "a runnable calling a traceable is pass-runnable-config's",
    code: `${IMP}import { RunnableLambda } from "@langchain/core/runnables";
const child = traceable(async (x: number) => x);
export const lambda = RunnableLambda.from(async (x: number) => child(x));`,
  },
  {
    name: "a plain function (not a traceable) calling a traceable",
    code: `${IMP}const child = traceable(async (x: number) => x);
export async function run(x: number) { return child(x); }`,
  },
];

const invalid: InvalidTestCase<"implicitParent" | "implicitParentRewrite" | "suggestRewrite" | "runnableInTraceable", Options>[] = [
  {
    name: "callee declares a RunTree first, parent has its run tree: autofix",
    code: `${IMP}${RT}const child = traceable(async (runTree: RunTree, x: number) => x);
export const parent = traceable(async (runTree: RunTree, x: number) => child(x + 1));`,
    output: `${IMP}${RT}const child = traceable(async (runTree: RunTree, x: number) => x);
export const parent = traceable(async (runTree: RunTree, x: number) => child(runTree, x + 1));`,
    errors: [{ messageId: "implicitParent" }],
  },
  {
    name: "traced generator parent iterating a traced generator child (JavaScript, named run tree)",
    filename: "file.mjs",
    code: `${IMP}const tokens = traceable(async function* (rt, q) { yield q; });
export const stream = traceable(async function* (rt, q) {
  for await (const t of tokens(q)) yield t;
});`,
    output: `${IMP}const tokens = traceable(async function* (rt, q) { yield q; });
export const stream = traceable(async function* (rt, q) {
  for await (const t of tokens(rt, q)) yield t;
});`,
    errors: [{ messageId: "implicitParent" }],
  },
  {
    name: "callee and parent take no run tree: suggestion rewrites both signatures and every call (ROOT at entry points)",
    code: `${IMP}const child = traceable(async (x: number) => x * 2, { name: "child" });
const parent = traceable(async (x: number) => child(x + 1), { name: "parent" });
export async function main() {
  return parent(20);
}`,
    output: null,
    errors: [
      {
        messageId: "implicitParentRewrite",
        suggestions: [
          {
            messageId: "suggestRewrite",
            output: `import { traceable, ROOT } from "langsmith/traceable";
${RT}const child = traceable(async (runTree: RunTree, x: number) => x * 2, { name: "child" });
const parent = traceable(async (runTree: RunTree, x: number) => child(runTree, x + 1), { name: "parent" });
export async function main() {
  return parent(ROOT, 20);
}`,
          },
        ],
      },
    ],
  },
  {
    name: "callee's other calls are rewritten too; bare arrow parameter gets parentheses",
    filename: "file.js",
    code: `${IMP}const child = traceable(async x => x * 2);
export const parent = traceable(async (runTree, x) => child(x));
child(1);`,
    output: null,
    errors: [
      {
        messageId: "implicitParentRewrite",
        suggestions: [
          {
            messageId: "suggestRewrite",
            output: `import { traceable, ROOT } from "langsmith/traceable";
const child = traceable(async (runTree, x) => x * 2);
export const parent = traceable(async (runTree, x) => child(runTree, x));
child(ROOT, 1);`,
          },
        ],
      },
    ],
  },
  {
    name: "exported callee without a run tree: report only (callers elsewhere would shift)",
    code: `${IMP}export const child = traceable(async (x: number) => x);
export const parent = traceable(async (runTree: RunTree, x: number) => child(x));`,
    output: null,
    errors: [{ messageId: "implicitParentRewrite" }],
  },
  {
    name: "exported parent without a run tree: report only (its callers elsewhere would shift)",
    code: `${IMP}const child = traceable(async (x: number) => x);
export const parent = traceable(async (x: number) => child(x));`,
    output: null,
    errors: [{ messageId: "implicitParentRewrite" }],
  },
  {
    name: "callee imported from another file that declares a RunTree first: autofix through the project index",
    filename: inProject,
    code: `${IMP}${RT}import { declared } from "./lib";
export const parent = traceable(async (runTree: RunTree, q: string) => declared(q));`,
    output: `${IMP}${RT}import { declared } from "./lib";
export const parent = traceable(async (runTree: RunTree, q: string) => declared(runTree, q));`,
    errors: [{ messageId: "implicitParent" }],
  },
  {
    name: "callee imported from another file that does not declare one: report only",
    filename: inProject,
    code: `${IMP}${RT}import { plain } from "./lib";
export const parent = traceable(async (runTree: RunTree, q: string) => plain(q));`,
    output: null,
    errors: [{ messageId: "implicitParentRewrite" }],
  },
  {
    name: "a runnable called inside a traceable without callbacks: report only",
    code: `${IMP}${RT}import { RunnableLambda } from "@langchain/core/runnables";
const retrieve = RunnableLambda.from(async (q: string) => [q]);
export const answer = traceable(async (runTree: RunTree, q: string) => retrieve.invoke(q), { name: "answer" });`,
    output: null,
    errors: [{ messageId: "runnableInTraceable", data: { callee: "retrieve.invoke", parent: "answer", why: "this file runs without AsyncLocalStorage (settings runtime \"browser\"), so the child cannot find its parent and starts its own trace" } }],
  },
];

tester(BROWSER).run(RULE, rule(RULE), { valid, invalid });

tester(NODE).run(`${RULE} (strict: portability)`, rule(RULE), {
  valid: [],
  invalid: [
    {
      code: `${IMP}${RT}const child = traceable(async (runTree: RunTree, x: number) => x);
export const parent = traceable(async (runTree: RunTree, x: number) => child(x));`,
      options: [{ portability: true }],
      output: `${IMP}${RT}const child = traceable(async (runTree: RunTree, x: number) => x);
export const parent = traceable(async (runTree: RunTree, x: number) => child(runTree, x));`,
      errors: [{ messageId: "implicitParent" }],
    },
  ],
});

// Files outside the working directory are not linted by a flat config, so the project-index cases are left to RuleTester.
describeIdempotency(RULE, invalid.filter((c) => !c.name?.includes("report only") && c.filename !== inProject) as never, BROWSER);
