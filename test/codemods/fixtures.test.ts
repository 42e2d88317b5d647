import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffLines } from "diff";
import { describe, expect, it } from "vitest";
import allTransform from "../../codemods/all.js";
import bindDetachedCallback from "../../codemods/bind-detached-callback.js";
import bindQueuedTask from "../../codemods/bind-queued-task.js";
import continueDistributedTrace from "../../codemods/continue-distributed-trace.js";
import passRunnableConfig from "../../codemods/pass-runnable-config.js";
import propagateTraceHeaders from "../../codemods/propagate-trace-headers.js";
import continueTraceInWorker from "../../codemods/continue-trace-in-worker.js";
import propagateTraceToWorker from "../../codemods/propagate-trace-to-worker.js";
import noDetachedIterator from "../../codemods/no-detached-iterator.js";
import passParentRunTree from "../../codemods/pass-parent-run-tree.js";
import setUpAsyncContext from "../../codemods/set-up-async-context.js";
import { parseSource } from "../../src/js/parse.js";
import { RULE_NAMES } from "../../src/cli/transform.js";
import { eslintFix, expectedPath, fixWithOrigins, jscodeshiftOptions, listCases, transformOptionsOf, type TrackedEdit } from "./helpers.js";

const UPDATE = process.env.UPDATE_EXPECTED === "1";
const perRule = {
  "bind-detached-callback": bindDetachedCallback,
  "bind-queued-task": bindQueuedTask,
  "continue-trace-in-worker": continueTraceInWorker,
  "pass-runnable-config": passRunnableConfig,
  "continue-distributed-trace": continueDistributedTrace,
  "propagate-trace-headers": propagateTraceHeaders,
  "propagate-trace-to-worker": propagateTraceToWorker,
  "no-detached-iterator": noDetachedIterator,
  "pass-parent-run-tree": passParentRunTree,
  "set-up-async-context": setUpAsyncContext,
} as const;
const api = { report: () => undefined };

function runTransform(transform: typeof allTransform, file: string, source: string, options: Record<string, unknown>): string {
  return transform({ path: file, source }, api, options) ?? source;
}

function lineOf(text: string, index: number): number {
  let line = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Every line an independent line diff shows as changed holds one of the edits: nothing else was touched. */
function changesOnlyAtEdits(input: string, output: string, edits: readonly TrackedEdit[]): string[] {
  const editLines = edits
    .filter((edit) => edit.start >= 0)
    .map((edit) => [lineOf(input, edit.start), lineOf(input, Math.max(edit.start, edit.end - 1))] as const);
  const touches = (from: number, to: number) => editLines.some(([a, b]) => a <= to && b >= from);
  const problems: string[] = [];
  let line = 0;
  for (const part of diffLines(input, output)) {
    const count = part.count ?? part.value.split("\n").length - 1;
    if (part.removed) {
      if (!touches(line, line + count - 1)) problems.push(`lines ${line + 1}-${line + count} changed without an edit: ${JSON.stringify(part.value)}`);
      line += count;
    } else if (part.added) {
      if (!touches(line - 1, line)) problems.push(`text inserted at line ${line + 1} without an edit: ${JSON.stringify(part.value)}`);
    } else {
      line += count;
    }
  }
  return problems;
}

const cases = listCases();

describe("codemod fixtures", () => {
  it("has the cases the codemod contract asks for", () => {
    const names = cases.map((c) => c.name);
    expect(names.length).toBeGreaterThanOrEqual(8);
    const all = cases.flatMap((c) => c.inputs.map((f) => readFileSync(path.join(c.dir, f), "utf8")));
    const extensions = new Set(cases.flatMap((c) => c.inputs.map((f) => path.extname(f))));
    for (const ext of [".ts", ".tsx", ".js", ".mjs", ".mts", ".cjs"]) expect(extensions).toContain(ext);
    expect(all.some((t) => /require\(/.test(t))).toBe(true);
    expect(all.some((t) => /from 'events'/.test(t))).toBe(true);
    expect(all.some((t) => /import type \{[^}]*\} from "node:async_hooks"/.test(t))).toBe(true);
    expect(all.some((t) => /import \{ AsyncResource \} from "node:async_hooks"/.test(t))).toBe(true);
    expect(cases.filter((c) => c.hasTsconfig).length).toBeGreaterThanOrEqual(4);
  });

  for (const fixture of cases) {
    describe(fixture.name, () => {
      for (const input of fixture.inputs) {
        const file = path.join(fixture.dir, input);
        const source = readFileSync(file, "utf8");
        const options = jscodeshiftOptions(fixture.config);

        it(`${input}: the codemod writes exactly what eslint --fix writes, and the reviewed expected output`, () => {
          const eslint = eslintFix(source, file, fixture.config, fixture.dir);
          expect(eslint.messages.filter((m) => m.fatal)).toEqual([]);
          const output = runTransform(allTransform, file, source, options);
          expect(output).toBe(eslint.output);
          const expectedFile = path.join(fixture.dir, expectedPath(input));
          if (UPDATE) writeFileSync(expectedFile, output);
          expect(existsSync(expectedFile), `${expectedFile} is missing (review the output, then UPDATE_EXPECTED=1)`).toBe(true);
          expect(output).toBe(readFileSync(expectedFile, "utf8"));
        });

        it(`${input}: each single-rule codemod matches eslint --fix with only that rule`, () => {
          for (const rule of RULE_NAMES) {
            const eslint = eslintFix(source, file, fixture.config, fixture.dir, [rule]);
            expect(runTransform(perRule[rule as keyof typeof perRule], file, source, options), rule).toBe(eslint.output);
          }
        });

        it(`${input}: a second run changes nothing, the output parses, and only the edited ranges changed`, () => {
          const output = runTransform(allTransform, file, source, options);
          expect(allTransform({ path: file, source: output }, api, options)).toBeUndefined();
          expect(() => parseSource(output.replace(/^\uFEFF/, ""), file)).not.toThrow();
          const tracked = fixWithOrigins(source, file, transformOptionsOf(fixture.config, fixture.dir));
          expect(tracked.output).toBe(output);
          expect(changesOnlyAtEdits(source, output, tracked.edits)).toEqual([]);
          // Every original character outside the edits' replaced ranges survives, in order.
          const kept = tracked.origin.filter((i) => i >= 0);
          for (let i = 1; i < kept.length; i++) expect(kept[i]).toBeGreaterThan(kept[i - 1]);
          const replaced = tracked.edits.filter((e) => e.start >= 0).reduce((n, e) => n + (e.end - e.start), 0);
          const bom = source.startsWith("\uFEFF") ? 1 : 0;
          expect(kept.length).toBe(source.length - bom - replaced);
          if (source.startsWith("\uFEFF")) expect(output.startsWith("\uFEFF")).toBe(true);
          if (source.includes("\r\n")) expect(output.replace(/\r\n/g, "").includes("\n")).toBe(false);
        });
      }
    });
  }

  it("changes something in most cases and nothing where the code nests", () => {
    const changed = new Map<string, boolean>();
    for (const fixture of cases) {
      for (const input of fixture.inputs) {
        const file = path.join(fixture.dir, input);
        const source = readFileSync(file, "utf8");
        changed.set(`${fixture.name}/${input}`, allTransform({ path: file, source }, api, jscodeshiftOptions(fixture.config)) !== undefined);
      }
    }
    expect(changed.get("esm-ts-listener/src/nested.ts")).toBe(false);
    expect(changed.get("queues-modern/jobs.ts")).toBe(false);
    expect([...changed.values()].filter(Boolean).length).toBeGreaterThanOrEqual(10);
  });
});
