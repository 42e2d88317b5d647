/**
 * The Python part of `settings["trace-nesting"]`: `python` (target version, like `--python`), `services` (URL
 * prefixes, globs or `$ENV_NAME` of the user's own services, which may receive trace headers) and
 * `traceableWrappers` (shared with JavaScript: the project's own decorators that start a run).
 */
import { parsePythonOption } from "./version.js";

export interface PySettings {
  python?: string;
  services: string[];
  traceableWrappers: string[];
}

function strings(value: unknown, key: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new TypeError(`trace-nesting: settings["trace-nesting"].${key} must be an array of strings`);
  }
  return value as string[];
}

export function resolvePySettings(raw: Record<string, unknown> | undefined | null): PySettings {
  const python = raw?.python;
  if (python !== undefined) {
    if (typeof python !== "string") throw new TypeError(`trace-nesting: settings["trace-nesting"].python must be a string like "3.10"`);
    parsePythonOption(python);
  }
  return {
    python: python as string | undefined,
    services: strings(raw?.services, "services"),
    traceableWrappers: strings(raw?.traceableWrappers, "traceableWrappers"),
  };
}
