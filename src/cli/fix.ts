import type { Command } from "commander";

/** Registers the `fix` command. Placeholder until the command is implemented. */
export function registerFix(program: Command): void {
  program
    .command("fix")
    .description("not implemented yet")
    .action(() => {
      process.stderr.write("trace-nesting fix: not implemented yet\n");
      process.exitCode = 2;
    });
}
