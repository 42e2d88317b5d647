/**
 * The Python version a project targets, per file: the lowest version its declared range allows.
 *
 * Order: the `--python` option / `python` setting; then, from the file's directory upwards (the nearest directory
 * holding any of them wins, and within it this order): `pyproject.toml` `requires-python` (PEP 621 or
 * `[tool.poetry.dependencies] python`), `setup.cfg` `python_requires`, `.python-version`, `runtime.txt`
 * (`python-3.10.12`). Without any of them the lowest version LangSmith's Python SDK supports is assumed
 * ({@link LOWEST_SUPPORTED}) and the messages say so.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** The lowest Python version the `langsmith` SDK supports (its `requires-python` is `>=3.9`). */
export const LOWEST_SUPPORTED = "3.9";

export interface PythonTarget {
  /** `major.minor`, e.g. `3.10`. */
  version: string;
  /** Where it was read, e.g. `pyproject.toml requires-python ">=3.10"`, or `no declared version: lowest supported`. */
  source: string;
  major: number;
  minor: number;
}

function target(version: string, source: string): PythonTarget {
  const [major, minor] = version.split(".").map((n) => Number(n));
  return { version: `${major}.${minor}`, source, major, minor: minor ?? 0 };
}

/** `3`, `3.10`, `3.10.4` → `[3, 10]`. */
function majorMinor(text: string): [number, number] | undefined {
  const match = /^\s*(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), match[2] === undefined ? 0 : Number(match[2])];
}

/**
 * The lowest `major.minor` a PEP 440 specifier set (or a Poetry constraint) allows; undefined when it has no lower
 * bound. `>3.9` allows 3.9.1, so its lowest minor is 3.9.
 */
export function lowestAllowed(spec: string): string | undefined {
  const cmp = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
  let lowest: [number, number] | undefined;
  // `|` / `||` separate alternatives (Poetry); within one, every comma-separated lower bound applies.
  for (const alternative of spec.split(/\|+/)) {
    let bound: [number, number] | undefined;
    for (const clause of alternative.split(",")) {
      const match = /^\s*(~=|===|==|>=|>|\^|~)?\s*v?(\d[\d.*]*)/.exec(clause);
      const version = match ? majorMinor(match[2].replace(/\*/g, "0")) : undefined;
      if (version && (!bound || cmp(version, bound) > 0)) bound = version;
    }
    if (bound && (!lowest || cmp(bound, lowest) < 0)) lowest = bound;
  }
  return lowest ? `${lowest[0]}.${lowest[1]}` : undefined;
}

function read(file: string): string | undefined {
  // Most directories have none of the files: no exception for those.
  if (!existsSync(file)) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function fromPyproject(dir: string): PythonTarget | undefined {
  const text = read(path.join(dir, "pyproject.toml"));
  if (text === undefined) return undefined;
  const pep621 = /^\s*requires-python\s*=\s*["']([^"']+)["']/m.exec(text);
  if (pep621) {
    const version = lowestAllowed(pep621[1]);
    if (version) return target(version, `pyproject.toml requires-python "${pep621[1]}"`);
  }
  const poetry = /\[tool\.poetry\.dependencies\][^[]*?^\s*python\s*=\s*["']([^"']+)["']/ms.exec(text);
  if (poetry) {
    const version = lowestAllowed(poetry[1]);
    if (version) return target(version, `pyproject.toml [tool.poetry.dependencies] python "${poetry[1]}"`);
  }
  return undefined;
}

function fromSetupCfg(dir: string): PythonTarget | undefined {
  const text = read(path.join(dir, "setup.cfg"));
  const match = text === undefined ? null : /^\s*python_requires\s*=\s*(.+)$/m.exec(text);
  const version = match ? lowestAllowed(match[1].trim()) : undefined;
  return version ? target(version, `setup.cfg python_requires "${match![1].trim()}"`) : undefined;
}

function fromPythonVersionFile(dir: string): PythonTarget | undefined {
  const text = read(path.join(dir, ".python-version"));
  if (text === undefined) return undefined;
  // Several lines list several interpreters (pyenv): the lowest decides.
  const versions = text
    .split(/\r?\n/)
    .map((line) => majorMinor(line.replace(/^(?:python|cpython|pypy)-?/i, "")))
    .filter((v): v is [number, number] => v !== undefined)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return versions.length > 0 ? target(`${versions[0][0]}.${versions[0][1]}`, `.python-version "${text.trim().split(/\r?\n/)[0]}"`) : undefined;
}

function fromRuntimeTxt(dir: string): PythonTarget | undefined {
  const text = read(path.join(dir, "runtime.txt"));
  const match = text === undefined ? null : /python-(\d+(?:\.\d+)*)/.exec(text);
  const version = match ? majorMinor(match[1]) : undefined;
  return version ? target(`${version[0]}.${version[1]}`, `runtime.txt "${match![0]}"`) : undefined;
}

const cache = new Map<string, PythonTarget>();

/** Validate a `--python` / `python` setting value (`3.10`, `3.10.4`). */
export function parsePythonOption(value: string): PythonTarget {
  const version = /^\s*\d+\.\d+(?:\.\d+)?\s*$/.test(value) ? majorMinor(value) : undefined;
  if (!version) throw new TypeError(`trace-nesting: the Python version must look like 3.10, got ${JSON.stringify(value)}`);
  return target(`${version[0]}.${version[1]}`, `the "python" setting "${value.trim()}"`);
}

/** The target version for `filename` (absolute or relative to `cwd`). */
export function pythonTarget(filename: string, option?: string, cwd = process.cwd()): PythonTarget {
  if (option !== undefined) return parsePythonOption(option);
  const start = path.dirname(path.resolve(cwd, filename));
  const visited: string[] = [];
  let found: PythonTarget | undefined;
  for (let dir = start; ; dir = path.dirname(dir)) {
    const cached = cache.get(dir);
    if (cached) {
      found = cached;
      break;
    }
    visited.push(dir);
    const local = fromPyproject(dir) ?? fromSetupCfg(dir) ?? fromPythonVersionFile(dir) ?? fromRuntimeTxt(dir);
    if (local) {
      found = local;
      break;
    }
    // A repository's root ends the search (never read a declaration from outside the project).
    if (existsSync(path.join(dir, ".git")) || path.dirname(dir) === dir) break;
  }
  found ??= target(LOWEST_SUPPORTED, `no declared version (pyproject.toml, setup.cfg, .python-version, runtime.txt): assumed the lowest supported`);
  for (const dir of visited) cache.set(dir, found);
  return found;
}

/** Forget cached lookups (tests write project files). */
export function clearPythonTargetCache(): void {
  cache.clear();
}
