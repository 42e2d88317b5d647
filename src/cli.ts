#!/usr/bin/env node
/**
 * `trace-nesting` command line: `check` (lint through ESLint's API), `fix` (codemods over a tree) and
 * `record` (run a command against a local LangSmith-compatible recorder and print the trace forest).
 */
import { Command } from "commander";
import { readPackageJson } from "./package-info.js";

type Register = (program: Command) => void;

/** Each command's module, loaded only when the command may run (`check` loads neither `fix` nor `record`). */
const COMMANDS: Record<string, () => Promise<Register>> = {
  check: async () => (await import("./cli/check.js")).registerCheck,
  fix: async () => (await import("./cli/fix.js")).registerFix,
  record: async () => (await import("./cli/record.js")).registerRecord,
};

/** The program with the command `command` (the first argument), or with every command when it names none. */
export async function buildProgram(command: string | undefined = process.argv[2]): Promise<Command> {
  const pkg = readPackageJson();
  const program = new Command()
    .name("trace-nesting")
    .description("Find and fix code that splits LangSmith traces.")
    .version(pkg.version)
    .showHelpAfterError()
    .exitOverride((err) => {
      // commander's own usage errors (unknown option, missing argument) exit 2, like our other usage errors.
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") process.exit(0);
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  // `record` needs positional options (its command's own options end where the recorded command starts); set here
  // too so that every command parses the same whichever commands are loaded.
  program.enablePositionalOptions();
  const names = command !== undefined && Object.hasOwn(COMMANDS, command) ? [command] : Object.keys(COMMANDS);
  const registers = await Promise.all(names.map((name) => COMMANDS[name]()));
  for (const register of registers) register(program);
  return program;
}

/** Resolves once everything written to `stream` so far is flushed. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}

await (await buildProgram()).parseAsync(process.argv);
if (process.argv[2] === "check") {
  // The report is written and nothing is left to do: exit once stdout and stderr are flushed, rather than wait for
  // the heap and the Python parser's WebAssembly to be torn down (about 30 ms of a Python check).
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}
