import type { Command } from "commander";

/** Registers the `check` command. Placeholder until the command is implemented. */
export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("not implemented yet")
    .action(() => {
      process.stderr.write("trace-nesting check: not implemented yet\n");
      process.exitCode = 2;
    });
}
