/**
 * py-ineffective-parent-handoff: hand-offs that look right but split or fail (ground truth §5).
 */
import type { TextEdit } from "../../engine/types.js";
import { copyContextRun, hasExplicitParent, isGenerator, isJoined, poolOf, statementOf, workerReadsRunTree } from "../handoffs.js";
import type { PyModel } from "../model.js";
import { field, kids, walk, type PyNode } from "../parse.js";
import { mayDecorateTraceable, mayHoldTracedScope, type PyPrecheckContext } from "../precheck.js";
import { finding, VERSION_NOTE, type PyDetector, type PyFinding } from "./types.js";

const meta = {
  name: "py-ineffective-parent-handoff",
  description: "Report parent hand-offs that look right but do not nest (or fail): run trees read in the worker, shared contexts, and more.",
  recommended: true,
  messages: {
    runTreeInWorker:
      "The worker calls `get_current_run_tree()` itself, in the new thread, where it returns None, so the child starts its own trace. Capture the run tree in the parent (`rt = get_current_run_tree()`) and pass `langsmith_extra={\"parent\": rt}`." +
      VERSION_NOTE,
    sharedContext:
      "One `copy_context()` object is entered by several threads: the second `run` raises RuntimeError (a Context can be entered by one thread at a time). Take a copy per hand-off: `copy_context().run`." +
      VERSION_NOTE,
    mapGenerator:
      "ContextThreadPoolExecutor.map needs sized iterables: over a generator it raises TypeError before any child runs. Fix: materialise it with `list(...)`." + VERSION_NOTE,
    extraConfig:
      "`langsmith_extra` has no `config` key: it is ignored and the child starts its own trace. Pass `config=` to a traceable that declares `config`, or `langsmith_extra={\"parent\": run_tree}`." +
      VERSION_NOTE,
    configNotDeclared:
      "`{{name}}` declares no `config` parameter, so the traceable drops the `config=` keyword and the child starts its own trace. Declare `config=None` on it (or pass `langsmith_extra={\"parent\": run_tree}`)." +
      VERSION_NOTE,
    outlivesRoot:
      "This {{what}} can outlive the traced function that starts it; the context holds the parent by weak reference, so a child that starts after a root parent returned becomes its own trace. Pass `langsmith_extra={\"parent\": run_tree}` (captured in the parent) or wait for it before returning." +
      VERSION_NOTE,
    suggestSharedContext: "Take a fresh `copy_context()` per hand-off.",
    suggestDeclareConfig: "Declare `config=None` on the traceable.",
  },
} as const;

const HANDOFF_METHODS = new Set(["submit", "map", "run_in_executor"]);

/** The worker expression of a hand-off call, if the call is one. */
function workerOf(model: PyModel, call: PyNode): PyNode | undefined {
  const method = model.methodName(call);
  if (method === "submit" || method === "map") return model.positionalArgs(call)[0];
  if (method === "run_in_executor") return model.positionalArgs(call)[1];
  if (model.is(model.callee(call), "thread")) {
    const target = model.keywordArg(call, "target");
    return target ? field(target, "value") : undefined;
  }
  return undefined;
}

function inLoop(node: PyNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === "for_statement" || current.type === "while_statement" || current.type === "list_comprehension" || current.type === "generator_expression") return true;
    if (current.type === "function_definition") return false;
  }
  return false;
}

function detect(model: PyModel): PyFinding[] {
  const out: PyFinding[] = [];
  const contextUses = new Map<string, PyNode[]>();
  for (const call of model.allCalls()) {
    const worker = workerOf(model, call);
    if (worker) {
      // A worker that reads the run tree in the new thread.
      const read = workerReadsRunTree(model, worker);
      if (read && model.insideTrace(call)) out.push(finding(model, read, "runTreeInWorker", "none", []));
      // copy_context() objects used by hand-offs.
      const wrapped = copyContextRun(model, worker) ?? (() => {
        const value = model.valueOf(worker);
        if (value.type === "call" && model.is(model.callee(value), "partial")) {
          const first = model.positionalArgs(value)[0];
          return first ? copyContextRun(model, first) : undefined;
        }
        return undefined;
      })();
      if (wrapped?.type === "identifier") {
        const list = contextUses.get(wrapped.text) ?? [];
        list.push(call);
        contextUses.set(wrapped.text, list);
        if (inLoop(call)) list.push(call);
      }
      // ContextThreadPoolExecutor.map over a generator.
      if (model.methodName(call) === "map" && poolOf(model, model.receiver(call)!).kind === "context-pool") {
        const gens = model.positionalArgs(call).slice(1).filter((it) => isGenerator(model, it));
        if (gens.length > 0) {
          const edits: TextEdit[] = gens.flatMap((it) =>
            it.type === "generator_expression"
              ? [{ range: [it.startIndex, it.startIndex] as const, text: "list" }]
              : [
                  { range: [it.startIndex, it.startIndex] as const, text: "list(" },
                  { range: [it.endIndex, it.endIndex] as const, text: ")" },
                ],
          );
          out.push(finding(model, call, "mapGenerator", "fix", edits));
        }
      }
    }
    // langsmith_extra={"config": ...}
    const extra = model.keywordArg(call, "langsmith_extra");
    const extraValue = extra ? field(extra, "value") : undefined;
    if (extraValue?.type === "dictionary") {
      for (const pair of kids(extraValue)) {
        const key = pair.type === "pair" ? field(pair, "key") : undefined;
        if (key?.type === "string" && /^["']config["']$/.test(key.text)) out.push(finding(model, pair, "extraConfig", "none", []));
      }
    }
    // config= to a traceable that does not declare it.
    const configArg = model.keywordArg(call, "config");
    // `pool.submit(f, x, config=config)` passes the keyword on to `f`.
    const callee = model.methodName(call) === "submit" && worker ? worker : model.callee(call);
    if (configArg && callee?.type === "identifier") {
      const target = model.functionNamed(callee.text, callee);
      if (target && model.isTraceable(target) && !target.params.includes("config") && !kids(target.paramsNode).some((p) => p.type === "dictionary_splat_pattern")) {
        const params = kids(target.paramsNode).filter((p) => p.type !== "comment");
        const last = params[params.length - 1];
        const edits: TextEdit[] = last
          ? [{ range: [last.endIndex, last.endIndex], text: ", config=None" }]
          : [{ range: [target.paramsNode.startIndex + 1, target.paramsNode.startIndex + 1], text: "config=None" }];
        out.push(finding(model, configArg, "configNotDeclared", "suggestion", edits, { name: target.name }, "suggestDeclareConfig"));
      }
    }
    // A thread or fire-and-forget task that outlives a root traceable.
    const scope = model.enclosingTracedScope(call);
    if (scope && model.isTraceable(scope) && model.enclosingFunction(call)?.node.id === scope.node.id && !calledFromTrace(model, scope.name)) {
      const target = worker ? threadTarget(model, call, worker) : undefined;
      if (model.is(model.callee(call), "thread") && target && !isJoined(model, call) && model.workerDoesTracedWork(target) && !hasExplicitParent(model, call, target)) {
        out.push(finding(model, call, "outlivesRoot", "none", [], { what: "thread" }));
      } else if (model.is(model.callee(call), "createTask") && isFireAndForget(model, call)) {
        const coroutine = model.positionalArgs(call)[0];
        if (coroutine?.type === "call" && model.callDoesTracedWork(coroutine) && !hasExplicitParent(model, coroutine)) {
          out.push(finding(model, call, "outlivesRoot", "none", [], { what: "task" }));
        }
      }
    }
  }
  for (const [, uses] of contextUses) {
    if (uses.length < 2) continue;
    const reported = new Set<number>();
    for (const use of uses) {
      if (reported.has(use.id)) continue;
      reported.add(use.id);
      out.push(finding(model, use, "sharedContext", "none", []));
    }
  }
  return out;
}

/**
 * The function a thread really runs: its target, or, for `target=copy_context().run, args=(f, ...)` and
 * `target=partial(copy_context().run, f, ...)`, the function `f` run in the copied context.
 */
function threadTarget(model: PyModel, call: PyNode, target: PyNode): PyNode | undefined {
  if (copyContextRun(model, target)) {
    const args = model.keywordArg(call, "args");
    const value = args ? field(args, "value") : undefined;
    if (value?.type !== "tuple" && value?.type !== "list") return undefined;
    return kids(value).find((c) => c.type !== "comment");
  }
  const value = model.valueOf(target);
  if (value.type === "call" && model.is(model.callee(value), "partial")) {
    const [first, fn] = model.positionalArgs(value);
    if (first && copyContextRun(model, first)) return fn;
  }
  return target;
}

/** Whether the task's result is never awaited in the function: a bare statement `asyncio.create_task(...)`. */
function isFireAndForget(model: PyModel, call: PyNode): boolean {
  const statement = statementOf(call);
  if (statement.type === "expression_statement" && kids(statement)[0]?.id === call.id) return true;
  if (statement.type === "expression_statement" && kids(statement)[0]?.type === "assignment") {
    const assignment = kids(statement)[0];
    // `d = await asyncio.create_task(...)` awaits it right there.
    if (field(assignment, "right")?.id !== call.id) return false;
    const name = field(assignment, "left");
    if (name?.type !== "identifier") return false;
    const fn = model.enclosingFunction(call);
    let awaited = false;
    walk(fn?.body ?? model.root, (node) => {
      if ((node.type === "await" || node.type === "call") && node.id !== call.id && kids(node).some((c) => c.type === "identifier" && c.text === name.text)) awaited = true;
      if (node.type === "argument_list" && kids(node).some((c) => c.type === "identifier" && c.text === name.text)) awaited = true;
      return !awaited;
    });
    return !awaited;
  }
  return false;
}

function calledFromTrace(model: PyModel, name: string): boolean {
  return model.allCalls().some((call) => {
    const callee = model.callee(call);
    return callee?.type === "identifier" && callee.text === name && model.insideTrace(call);
  });
}

/**
 * The tokens of each finding: a hand-off with `get_current_run_tree` (run tree read in the worker, inside a trace)
 * or with a named context's `ctx.run` as the worker (shared context), `.map` on a LangChain/langsmith context pool
 * (over a generator), `langsmith_extra={...}` with a `"config"` key, and a function decorated with `@traceable`
 * given a `config=` keyword or starting a thread or task.
 */
function precheck(code: string, context: PyPrecheckContext): boolean {
  if (/\blangsmith_extra\s*=\s*\{/.test(code) && /["']config["']\s*:/.test(context.text)) return true;
  const handOff = /\.\s*(?:submit|map|run_in_executor)\s*\(|\bThread\b/.test(code);
  if (handOff && code.includes("copy_context") && /[A-Za-z_]\w*\s*\.\s*run\s*[,)]/.test(code)) return true;
  if (handOff && code.includes("get_current_run_tree") && mayHoldTracedScope(code, context)) return true;
  if (/ContextThreadPoolExecutor|get_executor_for_config/.test(code) && /\.\s*map\s*\(/.test(code)) return true;
  return /\bconfig\s*=|\bThread\b|create_task|ensure_future/.test(code) && mayDecorateTraceable(code);
}

export const pyIneffectiveParentHandoff: PyDetector = { meta, detect, precheck };
