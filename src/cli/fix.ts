/**
 * `trace-nesting fix [paths...]`: apply the rules' fixes over a tree, exactly as `eslint --fix` would, without
 * needing an ESLint config. Files are found by {@link collectFiles}, filtered by the text pre-check, fixed in
 * worker threads for large runs (in this thread for small ones) and written atomically by this thread.
 *
 * Exit codes: 0 nothing left to do; 1 findings remain that need a person (or, with `--dry`, fixes would be
 * applied); 2 errors: files that do not parse or could not be read or written, a refusal to write over
 * uncommitted changes, bad arguments.
 */
import { STRICT_RULE_OPTIONS } from "../js/detectors/index.js";
import { availableParallelism } from "node:os";
import { readFileSync } from "node:fs";
import path from "node:path";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import pc from "picocolors";
import { shareParses } from "../js/parse.js";
import { precheck } from "../js/run.js";
import { resolveSettings, type RuntimeSetting, type TraceNestingSettings } from "../js/settings.js";
import { isEmbeddedDoc, lintPythonCells, precheckTextOf } from "./embedded.js";
import { collectFiles } from "./files.js";
import { collectPythonFiles, fixPythonFiles, pythonSettings, splitPaths } from "./python.js";
import { connectPythonCells } from "./python-cells.js";
import { fixFileText, type FixTaskResult } from "./fix-task.js";
import { uncommittedChanges } from "./git.js";
import { addCommonOptions, displayPath, readSettingsOption, ruleList, runCommand, type CommonCliOptions, type RunSelection } from "./options.js";
import { runPool, workerAvailable, type PoolTask } from "./pool.js";
import { UsageError, validateRuleNames, withRuntime, type PlainFinding, type TransformOptions } from "./transform.js";
import { writeFileAtomic } from "./write.js";
import { forgetProjectFile } from "../js/project/index.js";

/** `runtime` overrides `settings.runtime`; settings do not come from the project's ESLint config. */
export interface FixOptions extends RunSelection {
  /** Compute everything, write nothing; each changed file gets a unified diff. */
  dry?: boolean;
  /** Write even when the target paths have uncommitted changes in git. */
  force?: boolean;
  /** Worker threads: 0 runs in this thread; default: by the number of files and `os.availableParallelism()`. */
  jobs?: number;
  /** Called after each analysed file (for progress bars). */
  onProgress?: (done: number, total: number) => void;
  /** Called once the number of files to analyse is known. */
  onStart?: (total: number) => void;
}

export interface ChangedFile {
  /** Relative to `cwd`, forward slashes. */
  file: string;
  fixesApplied: number;
  /** Unified diff (`--dry` only). */
  diff?: string;
}

export interface NeedsPersonFinding extends PlainFinding {
  file: string;
  /** Notebooks: the 1-based cell number; `line`/`column` are then inside the cell. */
  cell?: number;
}

export interface FixError {
  file: string;
  /** `parse`: syntax error; `encoding`: not UTF-8; `read`/`write`: I/O; `internal`: a bug in a fix. */
  kind: "parse" | "encoding" | "read" | "write" | "internal";
  message: string;
  line?: number;
  column?: number;
}

export interface FixSummary {
  exitCode: 0 | 1 | 2;
  dry: boolean;
  /** JS/TS files found under the paths after ignores. */
  filesScanned: number;
  /** Files the text pre-check proved free of findings (never parsed). */
  skippedByPrecheck: number;
  /** Files skipped because `.gitignore` ignores them. */
  skippedByGitignore: number;
  /** Files parsed and analysed. */
  filesAnalyzed: number;
  /** Files changed (with `--dry`: that would change). */
  filesChanged: number;
  fixesApplied: number;
  changedFiles: ChangedFile[];
  /** Findings no fix handles: suggestions (offered in editors) and report-only findings. */
  needsPerson: NeedsPersonFinding[];
  errors: FixError[];
  /** Set when nothing was written because of uncommitted changes. */
  refused?: { reason: string; dirtyFiles: string[]; wouldChange: string[] };
  /** Worker threads used (0: this thread). */
  workers: number;
  durationMs: number;
}

/**
 * Below this many files to analyse, starting workers costs more than it saves: each worker loads the engine and
 * builds its own project index (the import graph, other modules' summaries) before its first file, work the main
 * thread has already done in the pre-check. Measured on 2 cores (`fix --dry`, in the main thread against 2 workers):
 * 76 files of the bench's library corpus 2.2 s against 3.4 s, 142 of its LangGraph app 0.65 s against 1.48 s, 1,136
 * in eight copies of the app 3.4 s against 4.5 s.
 */
const MIN_FILES_FOR_WORKERS = 512;
const FILES_PER_WORKER = 256;

function chooseWorkers(candidates: number, requested: number | undefined): number {
  if (requested !== undefined) return Math.max(0, Math.floor(requested));
  // With two cores or fewer, the main thread and the garbage collector already use them.
  const cores = availableParallelism();
  if (candidates < MIN_FILES_FOR_WORKERS || cores <= 2 || !workerAvailable()) return 0;
  return Math.max(1, Math.min(cores - 1, Math.ceil(candidates / FILES_PER_WORKER)));
}

interface Candidate {
  absolute: string;
  display: string;
  bytes: Buffer;
  text: string;
}

/** Fix the files under `options.paths`. Throws {@link UsageError} for bad options or paths. */
export async function runFix(options: FixOptions = {}): Promise<FixSummary> {
  const started = performance.now();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (options.rules) validateRuleNames(options.rules);
  const settings = withRuntime(options.settings, options.runtime);
  try {
    resolveSettings(settings);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const transformOptions: TransformOptions = {
    settings,
    rules: options.rules && options.rules.length > 0 ? [...options.rules] : undefined,
    ruleOptions: options.strict ? STRICT_RULE_OPTIONS : undefined,
    cwd,
  };
  const dry = options.dry ?? false;
  const pySettings = pythonSettings(settings, options.python);
  await connectPythonCells(options.python, options.rules);
  const split = splitPaths(cwd, options.paths && options.paths.length > 0 ? options.paths : ["."], options.lang);
  const collected =
    split.js.length > 0
      ? await collectFiles({ cwd, paths: split.js, skipBuildOutput: !options.noIgnore, respectGitignore: !options.noIgnore })
      : { files: [], gitignored: 0 };
  const pyCollected = await collectPythonFiles(cwd, split.python, options.noIgnore ?? false, options.lang === "python");

  const errors: FixError[] = [];
  const candidates: Candidate[] = [];
  let skippedByPrecheck = 0;
  const results = new Map<Candidate, FixTaskResult>();
  let workers = 0;
  // Nothing is written before every file is analysed: a file the project index parsed is not parsed again for its
  // own fixes (see `shareParses`).
  const stopSharing = shareParses();
  try {
    for (const absolute of collected.files) {
      const display = displayPath(cwd, absolute);
      let bytes: Buffer;
      try {
        // Read in turn, synchronously: one call per file instead of a round trip through libuv's thread pool.
        bytes = readFileSync(absolute);
      } catch (error) {
        errors.push({ file: display, kind: "read", message: (error as Error).message });
        continue;
      }
      const text = bytes.toString("utf8");
      // Documents are pre-checked on their text only (the project index knows JS/TS modules, not documents).
      const embedded = isEmbeddedDoc(absolute);
      if (!(embedded ? precheck(precheckTextOf(text, absolute), settings) || lintPythonCells(text, absolute, settings).length > 0 : precheck(text, settings, absolute, cwd))) {
        skippedByPrecheck++;
        continue;
      }
      if (!Buffer.from(text, "utf8").equals(bytes)) {
        errors.push({ file: display, kind: "encoding", message: "not valid UTF-8; left unchanged" });
        continue;
      }
      candidates.push({ absolute, display, bytes, text });
    }

    workers = chooseWorkers(candidates.length, options.jobs);
    options.onStart?.(candidates.length);
    let done = 0;
    const record = (candidate: Candidate, result: FixTaskResult) => {
      results.set(candidate, result);
      options.onProgress?.(++done, candidates.length);
    };
    if (workers === 0) {
      for (const candidate of candidates) {
        record(candidate, fixFileText(candidate.text, candidate.absolute, transformOptions));
        // Let a progress bar repaint and signals through on long in-thread runs.
        if (done % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } else {
      const byTask = new Map<PoolTask, Candidate>();
      const tasks = candidates.map((candidate) => {
        const task: PoolTask = { file: candidate.absolute, text: candidate.text };
        byTask.set(task, candidate);
        return task;
      });
      await runPool(tasks, workers, transformOptions, (task, result) => record(byTask.get(task)!, result));
    }
  } finally {
    stopSharing();
  }

  // Python files: fixed in this thread by the Python engine.
  const python = await fixPythonFiles(pyCollected.files, { cwd, settings: pySettings, rules: options.rules });
  skippedByPrecheck += python.skippedByPrecheck;
  errors.push(...python.errors);

  const needsPerson: NeedsPersonFinding[] = [...python.needsPerson];
  const changed: { candidate: Candidate; output: string; fixesApplied: number }[] = python.changed.map(({ output, fixesApplied, ...candidate }) => ({
    candidate,
    output,
    fixesApplied,
  }));
  for (const candidate of candidates) {
    const result = results.get(candidate)!;
    if (!result.ok) {
      errors.push({ file: candidate.display, ...result.error, message: result.error.kind === "parse" ? `${result.error.message} (not written)` : result.error.message });
      continue;
    }
    for (const finding of result.remaining) needsPerson.push({ file: candidate.display, ...finding });
    if (result.changed) changed.push({ candidate, output: result.output, fixesApplied: result.fixesApplied });
  }

  let refused: FixSummary["refused"];
  const changedFiles: ChangedFile[] = [];
  if (dry) {
    for (const { candidate, output, fixesApplied } of changed) {
      const diff = createTwoFilesPatch(`a/${candidate.display}`, `b/${candidate.display}`, candidate.text, output, undefined, undefined, {
        headerOptions: FILE_HEADERS_ONLY,
      });
      changedFiles.push({ file: candidate.display, fixesApplied, diff });
    }
  } else if (changed.length > 0) {
    if (!options.force) {
      const state = await uncommittedChanges((options.paths && options.paths.length > 0 ? options.paths : ["."]).map((p) => path.resolve(cwd, p)));
      if (state.dirty.length > 0) {
        const dirtyFiles = state.dirty.map((file) => displayPath(cwd, file));
        refused = {
          reason:
            `${dirtyFiles.length} file${dirtyFiles.length === 1 ? "" : "s"} under the paths to fix ${dirtyFiles.length === 1 ? "has" : "have"} uncommitted changes in git. ` +
            "Nothing was written, so that the fixes do not mix with work in progress: commit or stash first, and the fixes arrive as one diff to review " +
            "(and to undo with `git checkout -- <paths>`). Run with --dry to see the changes, or --force to write anyway.",
          dirtyFiles,
          wouldChange: changed.map(({ candidate }) => candidate.display),
        };
      }
    }
    if (!refused) {
      for (const { candidate, output, fixesApplied } of changed) {
        try {
          await writeFileAtomic(candidate.absolute, output, candidate.bytes);
          forgetProjectFile(candidate.absolute);
          changedFiles.push({ file: candidate.display, fixesApplied });
        } catch (error) {
          errors.push({ file: candidate.display, kind: "write", message: (error as Error).message });
        }
      }
    }
  }

  const fixesApplied = refused ? 0 : changedFiles.reduce((sum, file) => sum + file.fixesApplied, 0);
  errors.sort((a, b) => a.file.localeCompare(b.file));
  const exitCode: FixSummary["exitCode"] = errors.length > 0 || refused ? 2 : needsPerson.length > 0 || (dry && changedFiles.length > 0) ? 1 : 0;
  return {
    exitCode,
    dry,
    filesScanned: collected.files.length + pyCollected.files.length,
    skippedByPrecheck,
    skippedByGitignore: collected.gitignored + pyCollected.gitignored,
    filesAnalyzed: candidates.length + python.analyzed - errors.filter((e) => (e.kind === "parse" || e.kind === "internal") && !e.file.endsWith(".py")).length,
    filesChanged: changedFiles.length,
    fixesApplied,
    changedFiles,
    needsPerson,
    errors,
    refused,
    workers,
    durationMs: Math.round(performance.now() - started),
  };
}

function plural(n: number, word: string, suffix = "s"): string {
  return `${n} ${word}${n === 1 ? "" : suffix}`;
}

/** The human-readable report of a fix run. */
export function formatFixSummary(summary: FixSummary): string {
  const lines: string[] = [];
  const verb = summary.dry ? "would change" : "changed";
  const applied = summary.dry ? "fixes to apply" : "fixes applied";
  lines.push(
    `${pc.bold("trace-nesting fix")}: ${plural(summary.filesScanned, "file")} scanned, ${summary.skippedByPrecheck} skipped by the pre-check, ` +
      `${summary.filesChanged} ${verb}, ${summary.fixesApplied} ${applied}` +
      (summary.dry ? "; nothing written (--dry)." : "."),
  );
  if (summary.refused) {
    lines.push("", pc.red(`Refused to write: ${summary.refused.reason}`));
    lines.push(`${plural(summary.refused.wouldChange.length, "file")} would change. Uncommitted:`);
    const shown = summary.refused.dirtyFiles.slice(0, 10);
    for (const file of shown) lines.push(`  ${file}`);
    if (summary.refused.dirtyFiles.length > shown.length) lines.push(`  ... and ${summary.refused.dirtyFiles.length - shown.length} more`);
  } else if (!summary.dry && summary.changedFiles.length > 0) {
    lines.push("", "Changed:");
    for (const file of summary.changedFiles) lines.push(`  ${file.file}  (${plural(file.fixesApplied, "fix", "es")})`);
  }
  if (summary.needsPerson.length > 0) {
    lines.push("", pc.yellow(`${plural(summary.needsPerson.length, "finding")} ${summary.needsPerson.length === 1 ? "needs" : "need"} a person:`));
    for (const finding of summary.needsPerson) {
      const why = finding.kind === "suggestion" ? "suggestion only, not applied automatically" : finding.kind === "none" ? "no automatic fix" : "fix did not converge";
      const where = finding.cell !== undefined ? `${finding.file} cell ${finding.cell}:${finding.line}:${finding.column}` : `${finding.file}:${finding.line}:${finding.column}`;
      lines.push(`  ${where}  ${pc.dim(finding.rule)}  (${why})`);
      lines.push(`    ${finding.message}`);
      if (finding.suggestion) lines.push(`    ${pc.dim(`suggestion: ${finding.suggestion}`)}`);
    }
  }
  if (summary.errors.length > 0) {
    lines.push("", pc.red(`${plural(summary.errors.length, "file")} could not be fixed:`));
    for (const error of summary.errors) {
      const position = error.line !== undefined ? `:${error.line}:${error.column ?? 0}` : "";
      lines.push(`  ${error.file}${position}  ${error.kind === "parse" ? "parse error: " : ""}${error.message}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The JSON form of a fix run (`--json`). */
export function fixSummaryJson(summary: FixSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

interface FixCliOptions extends CommonCliOptions {
  dry?: boolean;
  force?: boolean;
  json?: boolean;
  jobs?: string;
  ignore?: boolean;
  progress?: boolean;
}

/** Registers the `fix` command. */
export function registerFix(program: Command): void {
  const command = program
    .command("fix")
    .description("apply the rules' fixes to the JS/TS files under the paths (default: the current directory)")
    .argument("[paths...]", "files, directories or glob patterns");
  addCommonOptions(command)
    .option("--dry", "print a unified diff of every change and write nothing")
    .option("--force", "write even when the paths have uncommitted changes in git")
    .option("--json", "print the summary as JSON on stdout")
    .option("--jobs <n>", "worker threads (0: none; default: by file count and available cores)")
    .option("--no-ignore", "also fix .gitignore'd files and build output (dist, build, out, coverage, .next, ...)")
    .option("--no-progress", "never show a progress bar")
    .action(async (paths: string[], cli: FixCliOptions) => {
      await runCommand("fix", async () => {
        const cwd = process.cwd();
        let jobs: number | undefined;
        if (cli.jobs !== undefined) {
          jobs = Number(cli.jobs);
          if (!Number.isInteger(jobs) || jobs < 0) throw new UsageError(`--jobs must be a whole number >= 0, got ${cli.jobs}`);
        }
        const showProgress = cli.progress !== false && !cli.json && process.stderr.isTTY === true;
        let bar: cliProgress.SingleBar | undefined;
        const summary = await runFix({
          cwd,
          paths,
          runtime: cli.runtime,
          rules: ruleList(cli.rule),
          strict: cli.strict,
          settings: readSettingsOption(cli.settings, cwd),
          dry: cli.dry,
          force: cli.force,
          jobs,
          noIgnore: cli.ignore === false,
          lang: cli.lang as FixOptions["lang"],
          python: cli.python,
          onStart(total) {
            if (!showProgress || total < 100) return;
            bar = new cliProgress.SingleBar(
              { stream: process.stderr, format: "trace-nesting fix [{bar}] {value}/{total} files", hideCursor: true, clearOnComplete: true },
              cliProgress.Presets.shades_classic,
            );
            bar.start(total, 0);
          },
          onProgress(doneCount) {
            bar?.update(doneCount);
          },
        });
        bar?.stop();
        if (cli.json) {
          process.stdout.write(fixSummaryJson(summary));
        } else if (summary.dry) {
          for (const file of summary.changedFiles) process.stdout.write(file.diff ?? "");
          process.stderr.write(formatFixSummary(summary));
        } else {
          process.stdout.write(formatFixSummary(summary));
        }
        return summary.exitCode;
      });
    });
}
