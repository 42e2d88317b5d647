/**
 * `trace-nesting record [options] -- <command> [args...]`: runs a command with LangSmith tracing pointed at a local
 * recorder, waits until runs stop arriving after it exits, and prints the trace forest it produced.
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { constants as osConstants } from "node:os";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import pc from "picocolors";
import {
  formatForest,
  startRecorder,
  summarizeForest,
  type IngestMode,
  type Recorder,
  type RecorderStats,
  type TraceNode,
} from "../recorder/index.js";

export interface RecordOptions {
  /** The command and its arguments. */
  command: string[];
  /** Print the forest as JSON instead of a tree. */
  json?: boolean;
  /** Write the report to this file instead of stdout. */
  out?: string;
  /** After the command exits, wait until no request has arrived for this long (default 300 ms). */
  quietMs?: number;
  /** Give up waiting for quiet after this long (default 30 s); the forest is printed anyway, with a warning. */
  maxWaitMs?: number;
  /** Replace LANGSMITH_* / LANGCHAIN_* settings the user already has. */
  forceEnv?: boolean;
  /** Which ingest endpoint the recorder advertises (default multipart). */
  ingest?: IngestMode;
  /** Advertise gzip request bodies. */
  gzip?: boolean;
  /** Colour the tree (default: when writing to a terminal that supports it). */
  color?: boolean;
}

interface Writer {
  write(text: string): unknown;
}

export interface RecordIO {
  stdout?: Writer;
  stderr?: Writer;
  /** Environment the command starts from (default process.env). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** "inherit" (default) hands the terminal to the command; "pipe" copies its output to `stdout`/`stderr`. */
  childStdio?: "inherit" | "pipe";
  /** Forward SIGINT/SIGTERM/SIGHUP to the command while it runs (default true). */
  forwardSignals?: boolean;
}

export const RECORDER_API_KEY = "trace-nesting-recorder";

interface EnvGroup {
  what: string;
  names: string[];
  value: (url: string) => string;
  /** Whether a value the user set lets the recording work as well. */
  compatible: (value: string, url: string) => boolean;
  /** Whether keeping the user's value deserves a warning. */
  warn: boolean;
}

const trimSlash = (s: string): string => s.trim().replace(/\/+$/, "");

const ENV_GROUPS: EnvGroup[] = [
  {
    what: "tracing switch",
    names: ["LANGSMITH_TRACING", "LANGSMITH_TRACING_V2", "LANGCHAIN_TRACING_V2", "LANGCHAIN_TRACING"],
    value: () => "true",
    compatible: (v) => v.trim().toLowerCase() === "true",
    warn: true,
  },
  {
    what: "endpoint",
    names: ["LANGSMITH_ENDPOINT", "LANGCHAIN_ENDPOINT"],
    value: (url) => url,
    compatible: (v, url) => trimSlash(v) === url,
    warn: true,
  },
  {
    // Uncompressed bodies, unless --gzip: the Python SDK otherwise warns that the server lacks zstd on every run.
    // The user's own choice is kept either way: the recorder reads gzip too.
    what: "compression switch",
    names: ["LANGSMITH_DISABLE_RUN_COMPRESSION"],
    value: () => "true",
    compatible: () => true,
    warn: false,
  },
  {
    // Any key works with the recorder, and a kept key only travels to the recorder when the endpoint is ours.
    what: "API key",
    names: ["LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"],
    value: () => RECORDER_API_KEY,
    compatible: () => true,
    warn: false,
  },
];

/** Settings that send runs elsewhere or drop some: kept with a warning, removed by --force-env. */
const DIVERTING_VARS: { name: string; diverts: (value: string) => boolean; effect: string }[] = [
  { name: "LANGSMITH_RUNS_ENDPOINTS", diverts: () => true, effect: "sends runs to other endpoints" },
  { name: "LANGCHAIN_RUNS_ENDPOINTS", diverts: () => true, effect: "sends runs to other endpoints" },
  {
    name: "LANGSMITH_TRACING_SAMPLING_RATE",
    diverts: (v) => Number(v) !== 1,
    effect: "drops a share of the traces",
  },
  {
    name: "LANGCHAIN_TRACING_SAMPLING_RATE",
    diverts: (v) => Number(v) !== 1,
    effect: "drops a share of the traces",
  },
  { name: "LANGSMITH_TRACING_MODE", diverts: (v) => v.trim().toLowerCase() === "otel", effect: "exports runs as OpenTelemetry spans" },
  { name: "LANGSMITH_OTEL_ENABLED", diverts: (v) => v.trim().toLowerCase() === "true", effect: "exports runs as OpenTelemetry spans" },
  { name: "OTEL_ENABLED", diverts: (v) => v.trim().toLowerCase() === "true", effect: "exports runs as OpenTelemetry spans" },
];

/**
 * The command's environment: tracing on, pointed at the recorder, with a dummy key, in both the LANGSMITH_* and the
 * legacy LANGCHAIN_* names. A setting the user made explicitly is kept (with a warning when it stops the
 * recording from working) unless `forceEnv`.
 */
export function recordEnv(
  base: NodeJS.ProcessEnv,
  url: string,
  { forceEnv = false, gzip = false }: { forceEnv?: boolean; gzip?: boolean } = {},
): { env: NodeJS.ProcessEnv; warnings: string[] } {
  const env: NodeJS.ProcessEnv = { ...base };
  const warnings: string[] = [];
  const isSet = (name: string): boolean => typeof env[name] === "string" && env[name]!.trim().length > 0;
  for (const group of ENV_GROUPS) {
    if (gzip && group.names.includes("LANGSMITH_DISABLE_RUN_COMPRESSION")) continue;
    const userSet = group.names.filter(isSet);
    const conflicting = userSet.filter((n) => !group.compatible(env[n]!, url));
    if (userSet.length === 0 || forceEnv) {
      if (forceEnv && conflicting.length > 0)
        warnings.push(`--force-env: replacing ${conflicting.map((n) => `${n}=${env[n]}`).join(", ")}`);
      for (const n of group.names) env[n] = group.value(url);
      continue;
    }
    if (conflicting.length === 0) {
      // The user's values agree with ours: fill in the other names without touching theirs.
      for (const n of group.names) if (!isSet(n)) env[n] = group.value(url);
      continue;
    }
    if (group.warn)
      warnings.push(
        `keeping ${conflicting.map((n) => `${n}=${env[n]}`).join(", ")} (the ${group.what}); ` +
          `runs may not reach the recorder. Use --force-env to override.`,
      );
  }
  for (const v of DIVERTING_VARS) {
    if (!isSet(v.name) || !v.diverts(env[v.name]!)) continue;
    if (forceEnv) {
      warnings.push(`--force-env: removing ${v.name}=${env[v.name]}`);
      delete env[v.name];
    } else {
      warnings.push(`keeping ${v.name}=${env[v.name]}, which ${v.effect}; use --force-env to remove it.`);
    }
  }
  return { env, warnings };
}

function parseMs(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError("expected a whole number of milliseconds.");
  return Number(value);
}

const FORWARDED_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + ((osConstants.signals as Record<string, number>)[signal] ?? 0);
}

interface ChildResult {
  /** Exit code to report for the command. */
  code: number;
  /** Why the command could not run, when it could not. */
  spawnError?: string;
}

/**
 * Run the command. With `stdoutToStderr` (the JSON report goes to stdout), the command's own stdout is sent to
 * stderr, so that the report is the only thing on stdout.
 */
function runChild(command: string[], env: NodeJS.ProcessEnv, io: RecordIO, stdout: Writer, stderr: Writer, stdoutToStderr = false): Promise<ChildResult> {
  const [file, ...args] = command;
  const pipe = io.childStdio === "pipe";
  if (stdoutToStderr) stdout = stderr;
  return new Promise((resolve) => {
    const child = spawn(file!, args, { env, cwd: io.cwd, stdio: pipe ? ["ignore", "pipe", "pipe"] : stdoutToStderr ? ["inherit", 2, "inherit"] : "inherit" });
    if (pipe) {
      child.stdout?.setEncoding("utf8").on("data", (s: string) => stdout.write(s));
      child.stderr?.setEncoding("utf8").on("data", (s: string) => stderr.write(s));
    }
    const forwarders = new Map<NodeJS.Signals, () => void>();
    // Ctrl-C in a terminal reaches the whole foreground process group, the command included: relaying it would
    // deliver it twice (a second Ctrl-C often means "exit now, skip the graceful shutdown" and its trace flush).
    // record still catches it, so that it survives to print the forest once the command has exited.
    const terminalDeliversSigint = !pipe && process.stdin.isTTY === true;
    if (io.forwardSignals !== false) {
      for (const sig of FORWARDED_SIGNALS) {
        const forward = (): void => {
          if (sig === "SIGINT" && terminalDeliversSigint) return;
          if (child.exitCode === null && child.signalCode === null) child.kill(sig);
        };
        forwarders.set(sig, forward);
        process.on(sig, forward);
      }
    }
    const cleanup = (): void => {
      for (const [sig, forward] of forwarders) process.off(sig, forward);
    };
    child.once("error", (err: NodeJS.ErrnoException) => {
      cleanup();
      const code = err.code === "ENOENT" ? 127 : err.code === "EACCES" ? 126 : 2;
      resolve({ code, spawnError: `cannot run ${JSON.stringify(file)}: ${err.message}` });
    });
    // "close" (not "exit"): the command's piped output is complete by then.
    child.once("close", (code, signal) => {
      cleanup();
      resolve({ code: signal ? signalExitCode(signal) : (code ?? 0) });
    });
  });
}

function jsonReport(forest: TraceNode[], stats: RecorderStats, command: string[], exitCode: number): string {
  return (
    JSON.stringify(
      {
        command,
        exitCode,
        summary: summarizeForest(forest),
        stats,
        forest,
      },
      null,
      2,
    ) + "\n"
  );
}

/** Runs the whole `record` command; resolves to the exit code (the command's, or 2 if the recording failed). */
export async function record(options: RecordOptions, io: RecordIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const warn = (msg: string): void => void stderr.write(`trace-nesting record: ${msg}\n`);
  if (options.command.length === 0 || !options.command[0]) {
    warn("no command given. Usage: trace-nesting record [options] -- <command> [args...]");
    return 2;
  }

  let recorder: Recorder;
  try {
    recorder = await startRecorder({ ingest: options.ingest, gzip: options.gzip });
  } catch (e) {
    warn(`cannot start the recorder: ${(e as Error).message}`);
    return 2;
  }

  try {
    const { env, warnings } = recordEnv(io.env ?? process.env, recorder.url, {
      forceEnv: options.forceEnv,
      gzip: options.gzip,
    });
    warnings.forEach(warn);

    const child = await runChild(options.command, env, io, stdout, stderr, options.json === true && options.out === undefined);
    if (child.spawnError) warn(child.spawnError);

    let recorderFailed = false;
    try {
      await recorder.waitForQuiet({ quietMs: options.quietMs ?? 300, timeoutMs: options.maxWaitMs ?? 30_000 });
    } catch (e) {
      warn(`${(e as Error).message}; printing what arrived so far.`);
    }

    const stats = recorder.stats();
    if (stats.badRequests > 0 || stats.serverErrors > 0) {
      recorderFailed = true;
      warn(
        `${stats.badRequests + stats.serverErrors} ingest request(s) were rejected, so runs may be missing:\n  ` +
          stats.rejections.join("\n  "),
      );
    }
    if (stats.unknownPaths > 0) {
      const unknown = Object.entries(stats.byEndpoint)
        .filter(([k]) => !/^(GET \/info|POST \/runs\/multipart|POST \/runs\/batch|POST \/runs|PATCH \/runs\/:id|POST \/feedback)$/.test(k.replace("/api/v1", "")))
        .map(([k, n]) => `${k} (${n})`);
      warn(`answered 404/405 to ${stats.unknownPaths} request(s) the recorder does not implement: ${unknown.join(", ")}`);
    }
    if (stats.runsReceived === 0 && !child.spawnError)
      warn("no runs were received. Does the command trace with langsmith or LangChain, and does it keep the environment?");

    const forest = recorder.forest();
    const exitCode = recorderFailed ? 2 : child.code;
    const color = options.color ?? (!options.json && options.out === undefined && io.stdout === undefined && pc.isColorSupported);
    const report = options.json ? jsonReport(forest, stats, options.command, child.code) : formatForest(forest, { color });
    if (options.out !== undefined) {
      try {
        await writeFile(options.out, report);
      } catch (e) {
        warn(`cannot write ${options.out}: ${(e as Error).message}`);
        stdout.write(report);
        return 2;
      }
    } else {
      stdout.write(report);
    }
    return exitCode;
  } finally {
    await recorder.close();
  }
}

function addRecordCommand(parent: Command, io: RecordIO, onDone: (code: number) => void): Command {
  return parent
    .command("record")
    .description("run a command with LangSmith tracing sent to a local recorder and print the trace forest it produced")
    .argument("<command...>", "the command to run and its arguments (put them after --)")
    .option("--json", "print the forest as JSON instead of a tree; without --out, the command's own stdout goes to stderr so that stdout holds only the JSON")
    .option("--out <file>", "write the report to FILE instead of stdout")
    .option("--quiet-ms <n>", "after the command exits, wait until no run has arrived for N ms", parseMs, 300)
    .option("--max-wait-ms <n>", "stop waiting for runs after N ms and print what arrived", parseMs, 30_000)
    .option("--force-env", "replace LANGSMITH_*/LANGCHAIN_* settings already in the environment")
    .addOption(
      new Option("--ingest <endpoint>", "ingest endpoint the recorder advertises in /info")
        .choices(["multipart", "batch"])
        .default("multipart"),
    )
    .option("--gzip", "advertise gzip request bodies in /info")
    .option("--no-color", "print the tree without colours")
    .passThroughOptions()
    .addHelpText(
      "after",
      "\nExamples:\n  trace-nesting record -- node app.mjs\n  trace-nesting record --json -- node app.mjs | jq .summary   (the command's stdout goes to stderr)\n  trace-nesting record --json --out trace.json -- npm test\n\n" +
        "Exit code: the command's own, or 2 if the recorder failed.",
    )
    .action(async (command: string[], opts: Record<string, unknown>) => {
      const code = await record(
        {
          command,
          json: opts.json === true,
          out: opts.out as string | undefined,
          quietMs: opts.quietMs as number,
          maxWaitMs: opts.maxWaitMs as number,
          forceEnv: opts.forceEnv === true,
          ingest: opts.ingest as IngestMode,
          gzip: opts.gzip === true,
          // --no-color sets color false; otherwise decide from the output.
          color: opts.color === false ? false : undefined,
        },
        io,
      );
      onDone(code);
    });
}

/** Registers the `record` command on the program. */
export function registerRecord(program: Command, io: RecordIO = {}): void {
  // `record node --inspect app.js` must hand `--inspect` to node: options after the command pass through, which
  // commander allows only with positional options on the program.
  program.enablePositionalOptions();
  addRecordCommand(program, io, (code) => {
    process.exitCode = code;
  });
}

/**
 * The `record` command on its own: `argv` is what follows `trace-nesting record`
 * (e.g. `["--json", "--", "node", "app.mjs"]`). Resolves to the exit code; never exits the process.
 */
export async function runRecord(argv: string[], io: RecordIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let code = 0;
  const program = new Command()
    .name("trace-nesting")
    .exitOverride()
    .configureOutput({ writeOut: (s) => void stdout.write(s), writeErr: (s) => void stderr.write(s) })
    .enablePositionalOptions();
  addRecordCommand(program, io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(["record", ...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return code;
}
