/**
 * Which files a command looks at: the JS/TS files under the given paths (tinyglobby), never `node_modules` or
 * `.git`, and, unless told otherwise, neither build output nor what `.gitignore` files (and `.git/info/exclude`)
 * ignore (the `ignore` package, which implements git's matching rules).
 */
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import { glob, isDynamicPattern } from "tinyglobby";
import { isJsTsFile } from "../js/parse.js";
import { isEmbeddedDoc } from "./doc-files.js";
import { UsageError } from "./usage.js";

/** Directories never walked into. */
export const ALWAYS_SKIPPED_DIRS = ["node_modules", ".git"] as const;
/** Build output and caches, skipped unless a path names them directly. */
export const BUILD_OUTPUT_DIRS = ["dist", "build", "out", "coverage", ".next", ".nuxt", ".output", ".svelte-kit", ".turbo", ".vercel", ".cache", ".yarn"] as const;

/** JS/TS files, and documents with embedded code (Markdown/MDX code blocks, notebook cells: ./embedded.ts). */
const SOURCE_GLOB = "**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx,md,mdx,ipynb}";
const isSourceFile = (file: string): boolean => isJsTsFile(file) || isEmbeddedDoc(file);
/** Declaration files and minified bundles hold no code worth fixing. */
const GENERATED_FILES = ["**/*.d.ts", "**/*.d.mts", "**/*.d.cts", "**/*.min.js"];

export interface CollectOptions {
  cwd: string;
  /** Files, directories or glob patterns; `["."]` when empty. */
  paths: readonly string[];
  /** Skip build output directories (default true). */
  skipBuildOutput?: boolean;
  /** Skip what `.gitignore` files ignore (default true). */
  respectGitignore?: boolean;
  /** Which files: JavaScript/TypeScript (default) or Python (`.py`, never inside virtual environments). */
  language?: "js" | "python";
}

const PYTHON_GLOB = "**/*.py";
/** Virtual environments and caches hold no project code. */
const PYTHON_SKIPPED_DIRS = [".venv", "venv", "__pycache__", ".tox", ".nox", "site-packages", ".mypy_cache", ".ruff_cache", ".pytest_cache"];

function isPythonFile(file: string): boolean {
  return path.extname(file).toLowerCase() === ".py";
}

export interface CollectedFiles {
  /** Absolute paths, sorted, each file once (symbolic links to a file already listed are dropped). */
  files: string[];
  /** Files skipped because `.gitignore` ignores them. */
  gitignored: number;
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/** The root of the git work tree containing `dir`, if any (a `.git` directory or file). */
export function findGitRoot(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, ".git"))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
  }
}

/** `.gitignore` rules of a tree, loaded lazily per directory, applied as git does (deeper files win). */
export class GitignoreMatcher {
  private readonly perDir = new Map<string, Ignore | null>();

  constructor(private readonly root: string) {
    // `.git/info/exclude` holds rules for the whole tree, read before the root `.gitignore`.
    const rules = [readText(path.join(root, ".git", "info", "exclude")), readText(path.join(root, ".gitignore"))].filter((t) => t !== undefined);
    this.perDir.set(root, rules.length > 0 ? ignore().add(rules.join("\n")) : null);
  }

  private load(file: string): Ignore | null {
    const text = readText(file);
    return text === undefined ? null : ignore().add(text);
  }

  private rulesOf(dir: string): Ignore | null {
    let rules = this.perDir.get(dir);
    if (rules === undefined) {
      rules = this.load(path.join(dir, ".gitignore"));
      this.perDir.set(dir, rules);
    }
    return rules;
  }

  /** Whether git would ignore `file` (absolute, inside the root), or the directory `file` when `directory` is set. */
  ignores(file: string, directory = false): boolean {
    const relative = path.relative(this.root, file);
    if (!relative || relative.startsWith("..") || path.isAbsolute(relative)) return false;
    const parts = relative.split(path.sep);
    let ignored = false;
    let dir = this.root;
    for (let i = 0; i < parts.length; i++) {
      const rules = this.rulesOf(dir);
      if (rules) {
        const result = rules.test(toPosix(path.relative(dir, file)) + (directory ? "/" : ""));
        if (result.ignored) ignored = true;
        else if (result.unignored) ignored = false;
      }
      if (i < parts.length - 1) dir = path.join(dir, parts[i]);
    }
    return ignored;
  }
}

function readText(file: string): string | undefined {
  // Most directories have no .gitignore: no exception for those.
  if (!existsSync(file)) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function ignorePatterns(skipBuildOutput: boolean, generated = true): string[] {
  const dirs: string[] = [...ALWAYS_SKIPPED_DIRS, ...(skipBuildOutput ? BUILD_OUTPUT_DIRS : [])];
  return [...dirs.map((d) => `**/${d}/**`), ...(generated ? GENERATED_FILES : [])];
}

/**
 * The JS/TS files under `paths`. A file named directly is always included (if it has a JS/TS extension);
 * directories and glob patterns are walked with the skips above. Throws a usage error for a path that does not
 * exist or a named file that is not JS/TS.
 */
export async function collectFiles(options: CollectOptions): Promise<CollectedFiles> {
  const cwd = path.resolve(options.cwd);
  const paths = options.paths.length > 0 ? options.paths : ["."];
  const skipBuildOutput = options.skipBuildOutput ?? true;
  const respectGitignore = options.respectGitignore ?? true;
  const python = options.language === "python";
  const sourceGlob = python ? PYTHON_GLOB : SOURCE_GLOB;
  const accepts = python ? isPythonFile : isSourceFile;
  // Generated JavaScript (`*.d.ts`, `*.min.js`) is no `.py` file: fewer patterns to test against every path.
  const ignoreList = python ? [...ignorePatterns(skipBuildOutput, false), ...PYTHON_SKIPPED_DIRS.map((d) => `**/${d}/**`)] : ignorePatterns(skipBuildOutput);
  const explicit = new Set<string>();
  const walked = new Set<string>();
  let gitignored = 0;
  const matchers = new Map<string, GitignoreMatcher>();
  const gitRoots = new Map<string, string | null>();
  /** Drop what `.gitignore` ignores: rules of the git work tree, or of the walked directory outside git. */
  /** {@link findGitRoot}, each directory looked at once. */
  const gitRootOf = (dir: string): string | null => {
    let gitRoot = gitRoots.get(dir);
    if (gitRoot === undefined) {
      const parent = path.dirname(dir);
      gitRoot = existsSync(path.join(dir, ".git")) ? dir : parent === dir ? null : gitRootOf(parent);
      gitRoots.set(dir, gitRoot);
    }
    return gitRoot;
  };
  const matcherFor = (dir: string, walkRoot: string): GitignoreMatcher => {
    const root = gitRootOf(path.resolve(dir)) ?? walkRoot;
    let matcher = matchers.get(root);
    if (!matcher) matchers.set(root, (matcher = new GitignoreMatcher(root)));
    return matcher;
  };
  const keep = (file: string, walkRoot: string): boolean => {
    if (!respectGitignore) return true;
    if (!matcherFor(path.dirname(file), walkRoot).ignores(file)) return true;
    gitignored++;
    return false;
  };
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      stats = undefined;
    }
    if (stats?.isFile()) {
      if (python && !accepts(absolute)) throw new UsageError(`${given}: not a Python file (.py)`);
      if (!accepts(absolute)) throw new UsageError(`${given}: not a JavaScript or TypeScript file, a Markdown/MDX file or a notebook (extensions: .ts .tsx .mts .cts .js .jsx .mjs .cjs .md .mdx .ipynb)`);
      explicit.add(absolute);
    } else if (stats?.isDirectory()) {
      const found = await glob(sourceGlob, { cwd: absolute, absolute: true, dot: true, ignore: ignoreList, followSymbolicLinks: false, onlyFiles: true });
      // A directory that is itself ignored (`node_modules/pkg`, `vendor/`) was asked for by name: walk all of it.
      const named = respectGitignore && matcherFor(absolute, absolute).ignores(absolute, true);
      for (const file of found) {
        const resolved = path.resolve(file);
        if (!walked.has(resolved) && (named || keep(resolved, absolute))) walked.add(resolved);
      }
    } else if (isDynamicPattern(given)) {
      const found = await glob(toPosix(given), { cwd, absolute: true, dot: true, ignore: ignoreList, followSymbolicLinks: false, onlyFiles: true });
      for (const file of found) {
        const resolved = path.resolve(file);
        if (accepts(resolved) && !walked.has(resolved) && keep(resolved, cwd)) walked.add(resolved);
      }
    } else {
      throw new UsageError(`${given}: no such file or directory`);
    }
  }
  // A file reached twice (through a symbolic link) is handled once, under its first name.
  const seen = new Set<string>();
  const files: string[] = [];
  for (const file of [...new Set([...explicit, ...walked])].sort()) {
    let real = file;
    try {
      real = realpathSync.native(file);
    } catch {
      // a dangling link: reported when it is read
    }
    if (seen.has(real)) continue;
    seen.add(real);
    files.push(file);
  }
  return { files, gitignored };
}
