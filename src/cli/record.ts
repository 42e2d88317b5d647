import type { Command } from "commander";

/** Registers the `record` command. Placeholder until the command is implemented. */
export function registerRecord(program: Command): void {
  program
    .command("record")
    .description("not implemented yet")
    .action(() => {
      process.stderr.write("trace-nesting record: not implemented yet\n");
      process.exitCode = 2;
    });
}
