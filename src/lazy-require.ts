/**
 * Synchronous, lazy loading of CommonJS dependencies (TypeScript, typescript-estree) from modules that run as ES
 * modules (the CLI, the plugin) and as CommonJS under jscodeshift's Babel hook alike. `import.meta` cannot be
 * used for the base path (Babel's CommonJS output cannot hold it), so the base is this module's own file, read
 * from the call stack.
 */
import { createRequire } from "node:module";

let base: NodeJS.Require | undefined;

function thisFile(): string {
  const original = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, stack) => stack;
    const stack = new Error().stack as unknown as NodeJS.CallSite[];
    const file = stack[0]?.getFileName();
    if (!file) throw new Error("trace-nesting: cannot locate its own module to load dependencies from");
    return file;
  } finally {
    Error.prepareStackTrace = original;
  }
}

/** `require(id)` resolved from this package. */
export function lazyRequire<T>(id: string): T {
  base ??= createRequire(thisFile());
  return base(id) as T;
}
