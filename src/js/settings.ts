import semver from "semver";

/**
 * `settings["trace-nesting"]` in an ESLint config, and the same object for the codemods and the CLI.
 */
export type RuntimeSetting = "node" | "browser" | "auto";

export interface TraceNestingSettings {
  /** `node`: AsyncLocalStorage is set up; `browser`: it is not; `auto` (default): decided per file. */
  runtime?: RuntimeSetting;
  /** Globs (relative to the working directory) of files that run without AsyncLocalStorage in `auto` mode. */
  browserFiles?: string[];
  /** Names of the project's own wrappers of `traceable(fn, ...)`: their first argument is a traced scope. */
  traceableWrappers?: string[];
  /** Names of the project's own factories whose function argument runs as a runnable receiving `(input, config)`. */
  runnableFactories?: string[];
  /** Installed versions to assume, by package name (e.g. `{ "p-queue": "8.1.0" }`); overrides resolution. */
  versions?: Record<string, string>;
  /**
   * Services the project owns, which may receive trace headers: URL prefixes (`https://api.corp.example/`), globs
   * (`https://*.corp.example/**`), or `$ENV_NAME` for a URL built from `process.env.ENV_NAME`. Relative URLs,
   * loopback hosts and the LangGraph SDK's deployments are always owned.
   */
  services?: string[];
}

export interface ResolvedSettings {
  runtime: RuntimeSetting;
  browserFiles: readonly string[];
  traceableWrappers: ReadonlySet<string>;
  runnableFactories: ReadonlySet<string>;
  versions: Readonly<Record<string, string>>;
  services: readonly string[];
}

const resolvedCache = new WeakMap<object, ResolvedSettings>();
const EMPTY: ResolvedSettings = Object.freeze({
  runtime: "auto",
  browserFiles: [],
  traceableWrappers: new Set<string>(),
  runnableFactories: new Set<string>(),
  versions: {},
  services: [],
});

function stringArray(value: unknown, key: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new TypeError(`trace-nesting: settings["trace-nesting"].${key} must be an array of strings`);
  }
  return value as string[];
}

/** Validate and normalise settings; the result is cached per settings object. */
export function resolveSettings(raw: TraceNestingSettings | undefined | null): ResolvedSettings {
  if (!raw) return EMPTY;
  const cached = resolvedCache.get(raw);
  if (cached) return cached;
  const runtime = raw.runtime ?? "auto";
  if (runtime !== "node" && runtime !== "browser" && runtime !== "auto") {
    throw new TypeError(`trace-nesting: settings["trace-nesting"].runtime must be "node", "browser" or "auto", got ${JSON.stringify(runtime)}`);
  }
  const versions = raw.versions ?? {};
  if (typeof versions !== "object" || Array.isArray(versions) || Object.values(versions).some((v) => typeof v !== "string")) {
    throw new TypeError(`trace-nesting: settings["trace-nesting"].versions must map package names to version strings`);
  }
  for (const [name, version] of Object.entries(versions)) {
    if (!semver.valid(version) && !semver.validRange(version)) {
      throw new TypeError(`trace-nesting: settings["trace-nesting"].versions["${name}"] must be a version or range, got ${JSON.stringify(version)}`);
    }
  }
  const resolved: ResolvedSettings = {
    runtime,
    browserFiles: stringArray(raw.browserFiles, "browserFiles"),
    traceableWrappers: new Set(stringArray(raw.traceableWrappers, "traceableWrappers")),
    runnableFactories: new Set(stringArray(raw.runnableFactories, "runnableFactories")),
    versions,
    services: stringArray(raw.services, "services"),
  };
  resolvedCache.set(raw, resolved);
  return resolved;
}

/** Read our settings from an ESLint `context.settings` object. */
export function settingsFromEslint(settings: Record<string, unknown> | undefined): ResolvedSettings {
  return resolveSettings(settings?.["trace-nesting"] as TraceNestingSettings | undefined);
}
