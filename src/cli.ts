#!/usr/bin/env node
/**
 * `trace-nesting` command line: `check` (lint through ESLint's API), `fix` (codemods over a tree) and
 * `record` (run a command against a local LangSmith-compatible recorder and print the trace forest).
 */
import { Command } from "commander";
import { readPackageJson } from "./package-info.js";
import { registerCheck } from "./cli/check.js";
import { registerFix } from "./cli/fix.js";
import { registerRecord } from "./cli/record.js";

export function buildProgram(): Command {
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
  registerCheck(program);
  registerFix(program);
  registerRecord(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
