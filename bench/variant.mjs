/**
 * One bench variant in its own process (forked by bench/run.mjs with IPC), so that each variant's peak memory is its
 * own and no variant warms caches for another. Messages from the parent:
 *
 * - `{ type: "lint", files }`: ESLint#lintFiles on these files (variant A: the ESLint instance is built once per
 *   process, like one `eslint` run);
 * - `{ type: "run" }`: the whole command once over `cwd` (variant B);
 * - `{ type: "exit" }`: reply with the peak resident set size and exit.
 *
 * Every reply carries wall and CPU milliseconds (CPU of the whole process, worker threads included).
 * argv: <lint|run> <variant name> <cwd>
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [mode, name, cwd] = process.argv.slice(2);
const loadStarted = performance.now();

async function importDist(relative) {
  const file = path.join(root, "dist", relative);
  return existsSync(file) ? import(pathToFileURL(file).href) : undefined;
}

const plugin = (await importDist("src/index.js")).default;
const { ESLint } = await import("eslint");
// The commands' modules are loaded before timing, like ESLint's for the parse-only run.
const { runCheck } = mode === "run" ? await importDist("src/cli/check.js") : {};
const { runFix } = mode === "run" ? await importDist("src/cli/fix.js") : {};

const quiet = { reportUnusedDisableDirectives: "off" };
const ALL_SOURCES = { name: "bench/all-sources", files: ["**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}"] };

/** Node's globals, for `no-undef` in the typical config (what `globals.node` gives a real project). */
const NODE_GLOBALS = Object.fromEntries(
  ["process", "require", "module", "exports", "__dirname", "__filename", "Buffer", "console", "setTimeout", "clearTimeout", "setInterval", "clearInterval",
    "setImmediate", "clearImmediate", "queueMicrotask", "globalThis", "global", "URL", "URLSearchParams", "TextEncoder", "TextDecoder", "AbortController",
    "AbortSignal", "fetch", "Headers", "Request", "Response", "FormData", "Blob", "structuredClone", "performance", "crypto", "ReadableStream",
    "WritableStream", "TransformStream", "Event", "EventTarget", "BroadcastChannel", "MessageChannel", "atob", "btoa", "WebSocket", "navigator", "window",
    "document", "self"].map((g) => [g, "readonly"]),
);

async function typicalConfig() {
  const js = (await import("@eslint/js")).default;
  const tseslint = (await import("typescript-eslint")).default;
  return [ALL_SOURCES, js.configs.recommended, ...tseslint.configs.recommended, { name: "bench/node", languageOptions: { globals: NODE_GLOBALS }, linterOptions: quiet }];
}

const strictConfig = { ...plugin.configs.strict, linterOptions: quiet };
// The very same config without rules: ESLint still reads, parses and traverses every file.
const parseOnlyConfig = { ...plugin.configs.strict, name: "parse-only", rules: {}, linterOptions: quiet };
// The same rules, ids and options, each returning no visitors.
const idleRules = Object.fromEntries(Object.entries(plugin.rules).map(([id, rule]) => [id, { ...rule, create: () => ({}) }]));
const idleConfig = { ...strictConfig, name: "idle-rules", plugins: { "trace-nesting": { ...plugin, rules: idleRules } } };

const eslintFor = (configs, extra = {}) => new ESLint({ cwd, overrideConfigFile: true, overrideConfig: configs, ignore: false, cache: false, ...extra });

function summarize(results) {
  let problems = 0;
  let ours = 0;
  let fatal = 0;
  for (const result of results) {
    for (const message of result.messages) {
      problems++;
      if (message.ruleId?.startsWith("trace-nesting/")) ours++;
    }
    fatal += result.fatalErrorCount;
  }
  return { files: results.length, problems, ours, fatal };
}

/** Variant A: ESLint configs linted chunk by chunk. Variant B: commands over the whole directory. */
const lintVariants = {
  "parse-only": async () => eslintFor([parseOnlyConfig]),
  "idle rules": async () => eslintFor([idleConfig]),
  strict: async () => eslintFor([strictConfig]),
  typical: async () => eslintFor(await typicalConfig()),
  "typical + recommended": async () => eslintFor([...(await typicalConfig()), { ...plugin.configs.recommended, linterOptions: quiet }]),
};
const commandVariants = {
  "parse-only": async () => {
    const s = summarize(await eslintFor([parseOnlyConfig]).lintFiles(["."]));
    return `${s.files} files, ${s.fatal} parse errors`;
  },
  check: async () => {
    const r = await runCheck({ cwd, paths: ["."], format: "json", noIgnore: true });
    return `${r.filesScanned} files, ${r.filesLinted} linted, ${r.skippedByPrecheck} skipped by the pre-check, ${r.errorCount} problems, ${r.fatalErrorCount} parse errors`;
  },
  "fix --dry": async () => {
    const s = await runFix({ cwd, paths: ["."], dry: true, noIgnore: true });
    return `${s.filesScanned} files, ${s.filesAnalyzed} analysed, ${s.skippedByPrecheck} skipped by the pre-check, ${s.filesChanged} would change, ${s.errors.length} errors, ${s.workers} workers`;
  },
};

async function measure(fn) {
  globalThis.gc?.();
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const result = await fn();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  return { result, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

let eslint;
if (mode === "lint" && lintVariants[name]) eslint = await lintVariants[name]();
else if (mode !== "run" || !commandVariants[name]) throw new Error(`unknown variant ${mode} ${name}`);
process.send({ type: "ready", loadMs: performance.now() - loadStarted });

process.on("message", async (message) => {
  try {
    if (message.type === "lint") {
      const { result, ms, cpuMs } = await measure(() => eslint.lintFiles(message.files));
      process.send({ type: "done", ms, cpuMs, summary: summarize(result) });
    } else if (message.type === "run") {
      const { result, ms, cpuMs } = await measure(commandVariants[name]);
      process.send({ type: "done", ms, cpuMs, summary: result });
    } else if (message.type === "exit") {
      process.send({ type: "exit", maxRssKb: process.resourceUsage().maxRSS }, () => process.exit(0));
    }
  } catch (error) {
    process.send({ type: "error", message: String(error?.stack ?? error) }, () => process.exit(1));
  }
});
