/**
 * py-context-to-thread: traced work handed to another thread inside a trace starts with empty contextvars, so it
 * becomes its own trace (ground truth §5: `ThreadPoolExecutor.submit/map`, `threading.Thread(target=...)`,
 * `loop.run_in_executor(None, f)`, a module-level pool shared by traces all SPLIT; `ContextThreadPoolExecutor`,
 * `copy_context().run` per hand-off, `asyncio.to_thread` NEST).
 */
import type { TextEdit } from "../../engine/types.js";
import { PY_APIS } from "../apis.js";
import { copyContextRun, hasExplicitParent, isContextWrapped, isJoined, isNone, isSized, poolOf, referencesOf } from "../handoffs.js";
import { mergeInsertions, planFromImport, planModuleImport, planQualified } from "../imports.js";
import type { PyModel } from "../model.js";
import { field, type PyNode } from "../parse.js";
import { mayHoldTracedScope, type PyPrecheckContext } from "../precheck.js";
import { finding, VERSION_NOTE, type PyDetector, type PyFinding } from "./types.js";

const meta = {
  name: "py-context-to-thread",
  description: "Hand traced work to threads with the trace's context (ContextThreadPoolExecutor, copy_context().run, asyncio.to_thread).",
  recommended: true,
  messages: {
    pool:
      "`{{method}}` on a plain ThreadPoolExecutor runs traced work in a pool thread with empty contextvars, so it starts its own trace. {{fix}}" + VERSION_NOTE,
    thread: "`threading.Thread` starts with empty contextvars, so the traced work in its target starts its own trace. {{fix}}" + VERSION_NOTE,
    executor: "`run_in_executor` runs traced work in a pool thread with empty contextvars, so it starts its own trace. {{fix}}" + VERSION_NOTE,
    suggestPool: "Use ContextThreadPoolExecutor (copies the context per submit).",
    suggestThread: "Run the target in a copy of the caller's context (one copy per thread).",
  },
} as const;

function iterableEdits(model: PyModel, mapCall: PyNode): TextEdit[] | undefined {
  const iterables = model.positionalArgs(mapCall).slice(1);
  if (model.hasSplatArgs(mapCall)) return undefined;
  return iterables.filter((it) => !isSized(model, it)).flatMap((it) => it.type === "generator_expression" ? [{ range: [it.startIndex, it.startIndex] as const, text: "list" }] : [
    { range: [it.startIndex, it.startIndex] as const, text: "list(" },
    { range: [it.endIndex, it.endIndex] as const, text: ")" },
  ]);
}

/** Replace the pool's constructor; wrap every `.map` iterable that is not sized (ContextThreadPoolExecutor.map needs len()). */
function poolFix(model: PyModel, constructor: PyNode, name: string | undefined): { edits: TextEdit[]; safe: boolean } {
  const usesLangChain = (PY_APIS.langchainConfigHelpers as readonly string[]).some((q) => [...model.imports.values()].some((b) => b.qualified === q));
  const plan = usesLangChain
    ? planFromImport(model, "langchain_core.runnables.config", "ContextThreadPoolExecutor", PY_APIS.contextPool)
    : planFromImport(model, "langsmith.utils", "ContextThreadPoolExecutor", PY_APIS.contextPool);
  const callee = model.callee(constructor)!;
  const edits: TextEdit[] = [...plan.edits, { range: [callee.startIndex, callee.endIndex], text: plan.ref }];
  let safe = true;
  if (name) {
    for (const ref of referencesOf(model, name, constructor)) {
      const parent = ref.parent;
      if (!parent) continue;
      if (parent.type === "as_pattern_target" || (parent.type === "assignment" && field(parent, "left")?.id === ref.id)) continue;
      if (parent.type === "attribute" && field(parent, "object")?.id === ref.id) {
        const method = field(parent, "attribute")?.text;
        const call = parent.parent?.type === "call" ? parent.parent : undefined;
        if (method === "map" && call) {
          const wraps = iterableEdits(model, call);
          if (!wraps) safe = false;
          else edits.push(...wraps);
          continue;
        }
        if (method === "submit" || method === "shutdown") continue;
      }
      // The pool escapes (passed on, returned, stored): its other uses are not visible here.
      safe = false;
    }
  } else {
    const parent = constructor.parent;
    if (parent?.type === "attribute" && field(parent, "attribute")?.text === "map" && parent.parent?.type === "call") {
      const wraps = iterableEdits(model, parent.parent);
      if (!wraps) safe = false;
      else edits.push(...wraps);
    }
  }
  return { edits: mergeInsertions(edits), safe };
}

function detect(model: PyModel): PyFinding[] {
  const out: PyFinding[] = [];
  for (const call of model.allCalls()) {
    const method = model.methodName(call);
    if ((method === "submit" || method === "map") && model.receiver(call)) {
      const pool = poolOf(model, model.receiver(call)!);
      if (pool.kind !== "thread-pool" || !pool.ctor) continue;
      const worker = model.positionalArgs(call)[0];
      if (!worker || isContextWrapped(model, worker) || hasExplicitParent(model, call, worker)) continue;
      if (!model.insideTrace(call) || !model.workerDoesTracedWork(worker)) continue;
      const { edits, safe } = poolFix(model, pool.ctor, pool.name);
      const fix = safe
        ? "Fix: create the pool as ContextThreadPoolExecutor, which runs each submitted call in a copy of the caller's context."
        : "Use ContextThreadPoolExecutor (a suggestion: the pool is used where this file cannot see, and its map needs sized iterables).";
      out.push(finding(model, call, "pool", safe ? "fix" : "suggestion", edits, { method, fix }, safe ? undefined : "suggestPool"));
      continue;
    }
    if (model.is(model.callee(call), "thread")) {
      const target = model.keywordArg(call, "target");
      const value = target ? field(target, "value") : undefined;
      if (!value || isContextWrapped(model, value)) continue;
      if (!model.insideTrace(call) || !model.workerDoesTracedWork(value)) continue;
      const partial = planQualified(model, "functools", "partial");
      const copy = planQualified(model, "contextvars", "copy_context");
      const edits = mergeInsertions([
        ...partial.edits,
        ...copy.edits,
        { range: [value.startIndex, value.startIndex], text: `${partial.ref}(${copy.ref}().run, ` },
        { range: [value.endIndex, value.endIndex], text: ")" },
      ]);
      const joined = isJoined(model, call);
      const fix = joined
        ? "Fix: run the target in a copy of the caller's context, taken when the thread is created (one copy per thread)."
        : "Run the target in a copy of the caller's context (a suggestion: the thread is not joined here, and a child that starts after a root parent returned still starts its own trace; pass langsmith_extra={\"parent\": run_tree} for that).";
      out.push(finding(model, call, "thread", joined ? "fix" : "suggestion", edits, { fix }, joined ? undefined : "suggestThread"));
      continue;
    }
    if (method === "run_in_executor") {
      const [executor, worker] = model.positionalArgs(call);
      if (!executor || !worker || model.hasSplatArgs(call)) continue;
      if (copyContextRun(model, worker) || isContextWrapped(model, worker)) continue;
      if (!isNone(executor) && poolOf(model, executor).kind === "context-pool") continue;
      if (!model.insideTrace(call) || !model.workerDoesTracedWork(worker)) continue;
      let edits: TextEdit[];
      let fix: string;
      const awaited = call.parent?.type === "await";
      const toThreadAvailable = model.target.major > 3 || model.target.minor >= 9;
      if (isNone(executor) && awaited && toThreadAvailable) {
        const asyncio = planModuleImport(model, "asyncio");
        const rest = model.positionalArgs(call).slice(1);
        const argsText = model.text.slice(rest[0].startIndex, rest[rest.length - 1].endIndex);
        edits = [...asyncio.edits, { range: [call.startIndex, call.endIndex], text: `${asyncio.ref}.to_thread(${argsText})` }];
        fix = "Fix: `await asyncio.to_thread(...)` runs the function in a copy of the caller's context.";
      } else {
        const copy = planQualified(model, "contextvars", "copy_context");
        edits = [...copy.edits, { range: [worker.startIndex, worker.startIndex], text: `${copy.ref}().run, ` }];
        fix = "Fix: pass `copy_context().run` first, so the function runs in a copy of the caller's context.";
      }
      out.push(finding(model, call, "executor", "fix", mergeInsertions(edits), { fix }));
    }
  }
  return out;
}

/**
 * Every finding is a hand-off inside a trace: `.submit`/`.map` on a `ThreadPoolExecutor`, a `threading.Thread` or
 * `loop.run_in_executor`, in a file that may hold a traced scope.
 */
function precheck(code: string, context: PyPrecheckContext): boolean {
  const handOff =
    /\.\s*run_in_executor\s*\(/.test(code) ||
    (code.includes("ThreadPoolExecutor") && /\.\s*(?:submit|map)\s*\(/.test(code)) ||
    (/\bThread\b/.test(code) && /\bthreading\b/.test(code));
  return handOff && mayHoldTracedScope(code, context);
}

export const pyContextToThread: PyDetector = { meta, detect, precheck };
