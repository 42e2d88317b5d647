import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { rule, tester } from "./helpers.js";

const RULE = "set-up-async-context";

/** A project on disk: the program verdict comes from the project index, which reads the files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "trace-nesting-async-context-"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "app", type: "module" }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const CHAIN = `import { RunnableLambda } from "@langchain/core/runnables";

export const retrieve = RunnableLambda.from(async (q: string) => [q]);
export const answer = RunnableLambda.from(async (q: string) => retrieve.invoke(q));
`;
const SCRIPT = `${CHAIN.replace(/export const/g, "const")}\nconsole.log(await answer.invoke("refunds"));\n`;
const ENTRY = `import { answer } from "./chain";

console.log(await answer.invoke("refunds"));
`;
const CJS_ENTRY = `"use strict";
const { RunnableLambda } = require("@langchain/core/runnables");
const retrieve = RunnableLambda.from(async (q) => [q]);
const answer = RunnableLambda.from(async (q) => retrieve.invoke(q));
answer.invoke("refunds").then(console.log);
`;

const coreOnly = project({ "src/chain.ts": CHAIN, "src/main.ts": ENTRY });
const withTraceable = project({ "src/chain.ts": CHAIN, "src/main.ts": `import "langsmith/traceable";\n${ENTRY}` });
const web = project({ "src/chain.ts": `import "@langchain/langgraph/web";\n${CHAIN}`, "src/main.ts": ENTRY });
const cjs = project({ "main.cjs": CJS_ENTRY });
const imported = project({ "src/setup.ts": `import { RunnableLambda } from "@langchain/core/runnables";\nregister(RunnableLambda);\n`, "src/main.ts": `import "./setup";\nimport "@langchain/core/context";\nstart();\n` });
const exporting = project({ "src/main.ts": `import { RunnableLambda } from "@langchain/core/runnables";\nexport const answer = RunnableLambda.from(async (q: string) => q);\nconsole.log(await answer.invoke("refunds"));\n` });
const PASSING = CHAIN.replace("async (q: string) => retrieve.invoke(q)", "async (q: string, config) => retrieve.invoke(q, config)");
const passesConfig = project({ "src/chain.ts": PASSING, "src/main.ts": ENTRY });
const tests = project({ "src/chain.ts": CHAIN, "test/chain.test.ts": ENTRY.replace("./chain", "../src/chain") });

tester({}).run(RULE, rule(RULE), {
  valid: [
    { name: "a library module of the program: reported on the entry only", code: CHAIN, filename: path.join(coreOnly, "src/chain.ts") },
    { name: "the entry loads langsmith/traceable (sets AsyncLocalStorage up)", code: `import "langsmith/traceable";\n${ENTRY}`, filename: path.join(withTraceable, "src/main.ts") },
    { name: "a /web program: meant to run without AsyncLocalStorage (pass-runnable-config's)", code: ENTRY, filename: path.join(web, "src/main.ts") },
    { name: "a test file is not a program entry", code: ENTRY.replace("./chain", "../src/chain"), filename: path.join(tests, "test/chain.test.ts") },
    { name: "settings say Node: the user vouches for AsyncLocalStorage", code: ENTRY, filename: path.join(coreOnly, "src/main.ts"), settings: { "trace-nesting": { runtime: "node" } } },
    {
      name: "a module that runs something when loaded but is imported by the real entry",
      code: `import { RunnableLambda } from "@langchain/core/runnables";\nregister(RunnableLambda);\n`,
      filename: path.join(imported, "src/setup.ts"),
    },
    {
      name: "a file that exports is a library module",
      code: `import { RunnableLambda } from "@langchain/core/runnables";\nexport const answer = RunnableLambda.from(async (q: string) => q);\nconsole.log(await answer.invoke("refunds"));\n`,
      filename: path.join(exporting, "src/main.ts"),
    },
    { name: "unsaved text that loads another project module: its program is unknown", code: ENTRY, filename: "unsaved-main.ts" },
    { name: "unsaved text that only exports: not a program", code: CHAIN, filename: "unsaved-chain.ts" },
    { name: "a core-only program whose runnables hand their config on everywhere: it nests", code: ENTRY, filename: path.join(passesConfig, "src/main.ts") },
    { name: "unsaved single-file program whose runnables pass their config", code: SCRIPT.replace("async (q: string) => retrieve.invoke(q)", "async (q: string, config) => retrieve.invoke(q, config)"), filename: "unsaved-main.ts" },
    { name: "text already importing @langchain/core/context (newer than the disk)", code: `import "@langchain/core/context";\n${ENTRY}`, filename: path.join(coreOnly, "src/main.ts") },
  ],
  invalid: [
    {
      name: "core-only ESM entry: suggestion imports @langchain/core/context first",
      code: ENTRY,
      filename: path.join(coreOnly, "src/main.ts"),
      output: null,
      errors: [
        {
          messageId: "noAsyncContext",
          line: 1,
          suggestions: [{ messageId: "suggestImport", output: `import "@langchain/core/context";\n${ENTRY}` }],
        },
      ],
    },
    {
      name: "unsaved text (not on disk): judged as a program of one file",
      code: `${SCRIPT}`,
      filename: "unsaved-main.ts",
      output: null,
      errors: [{ messageId: "noAsyncContext", suggestions: [{ messageId: "suggestImport", output: `import "@langchain/core/context";\n${SCRIPT}` }] }],
    },
    {
      name: "CommonJS entry: require after the directive",
      code: CJS_ENTRY,
      filename: path.join(cjs, "main.cjs"),
      output: null,
      errors: [
        {
          messageId: "noAsyncContext",
          line: 2,
          suggestions: [{ messageId: "suggestImport", output: CJS_ENTRY.replace('"use strict";\n', '"use strict";\nrequire("@langchain/core/context");\n') }],
        },
      ],
    },
  ],
});
