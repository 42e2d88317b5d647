/**
 * bind-queued-task: a task handed to a concurrency limiter or queue that does not keep the submitter's async
 * context: p-queue < 10 (`add`, `addAll`), p-limit < 5 (`limit(fn)`), and the `async` library's queues. A queued
 * task starts from whichever call freed a slot, so its runs land under another trace's run (SPLIT other) or start
 * a new trace. Limiters created inside the traced scope serve one trace and nest; p-queue >= 10 and p-limit >= 5
 * keep the context and are never flagged. Ground truth §2.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import semver from "semver";
import { CONTEXT_PRESERVING_SINCE, isLangchainModule } from "../apis.js";
import { ASYNC_LOCAL_STORAGE, planImport } from "../imports.js";
import { calleeMethodName, isFunctionNode, unwrapExpression, type JsModel, type Node, type TracedScope, type ValueKind } from "../model.js";
import { installedVersion } from "../versions.js";
import { wrapEdits } from "./edits.js";
import { AUTOFIX_OPTION, type CommonOptions, type JsDetector, type JsFindingData } from "./types.js";

const ASYNC_QUEUE_METHODS = new Set(["push", "unshift", "pushAsync", "unshiftAsync"]);

interface Submission {
  library: "p-queue" | "p-limit" | "async";
  /** The limiter or queue expression. */
  owner: Node;
  /** The task expressions to bind. */
  tasks: Node[];
  /** For `addAll(tasks)` with a non-literal array: the array expression. */
  taskArray?: Node;
}

function submissionOf(model: JsModel, call: TSESTree.CallExpression): Submission | undefined {
  const callee = unwrapExpression(call.callee);
  const kindOf = (node: Node): ValueKind => model.valueKind(node);
  if ((callee.type === "Identifier" || callee.type === "MemberExpression") && kindOf(callee) === "p-limit") {
    const task = call.arguments[0];
    return task && task.type !== "SpreadElement" ? { library: "p-limit", owner: callee, tasks: [task] } : undefined;
  }
  if (callee.type !== "MemberExpression") return undefined;
  const method = calleeMethodName(call);
  if (!method) return undefined;
  const ownerKind = kindOf(callee.object);
  if (ownerKind === "p-queue" && (method === "add" || method === "addAll")) {
    const first = call.arguments[0];
    if (!first || first.type === "SpreadElement") return undefined;
    if (method === "add") return { library: "p-queue", owner: callee.object, tasks: [first] };
    const array = unwrapExpression(first);
    if (array.type === "ArrayExpression") {
      const tasks = array.elements.filter((e): e is TSESTree.Expression => !!e && e.type !== "SpreadElement");
      return { library: "p-queue", owner: callee.object, tasks };
    }
    return { library: "p-queue", owner: callee.object, tasks: [], taskArray: first };
  }
  if (ownerKind === "async-queue" && ASYNC_QUEUE_METHODS.has(method)) {
    const first = call.arguments[0];
    if (!first || first.type === "SpreadElement") return undefined;
    return { library: "async", owner: callee.object, tasks: [first] };
  }
  return undefined;
}

/** Whether a task may start traced runs: known traced work, or inside a traced scope a call of the project's own code. */
function taskMayTrace(model: JsModel, task: Node, scope: TracedScope | undefined): boolean {
  if (model.callbackDoesTracedWork(task)) return true;
  if (!scope) return false;
  const node = unwrapExpression(task);
  if (!isFunctionNode(node)) {
    // A function reference imported from the project's own code.
    const api = model.resolveApi(node);
    return !!api && isProjectModule(api.module);
  }
  return model.callsWithin(node).some((call) => {
    if (call.type !== "CallExpression" || model.isContextPinningCall(call) || model.isInPinnedContext(call, node)) return false;
    const api = model.resolveApi(unwrapExpression(call.callee));
    // Functions imported from the project's own modules may well be traceables; LangChain calls start runs.
    return !!api && (isProjectModule(api.module) || isLangchainModule(api.module));
  });
}

function isProjectModule(specifier: string): boolean {
  return specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("#") || specifier.startsWith("@/") || specifier.startsWith("~/");
}

/** For an `async` queue fed data items: whether its worker (the queue factory's first argument) may trace. */
function asyncWorkerMayTrace(model: JsModel, owner: Node, scope: TracedScope): boolean {
  const variable = model.rootVariable(owner);
  const init = variable && model.initializerOf(variable);
  const creation = init && unwrapExpression(init);
  if (!creation || creation.type !== "CallExpression") return true; // cannot see the worker: report
  const worker = creation.arguments[0];
  return !!worker && worker.type !== "SpreadElement" && taskMayTrace(model, worker, scope);
}

/** `tasks.map((task) => AsyncLocalStorage.bind(task))`: every task already bound. */
function isBoundMap(model: JsModel, array: Node): boolean {
  if (array.type !== "CallExpression" || calleeMethodName(array) !== "map") return false;
  const mapper = array.arguments[0] && unwrapExpression(array.arguments[0]);
  if (!mapper || !isFunctionNode(mapper) || mapper.body.type === "BlockStatement") return false;
  const body = unwrapExpression(mapper.body);
  return body.type === "CallExpression" && model.isContextPinningCall(body);
}

function isAlreadyBound(model: JsModel, task: Node): boolean {
  const node = unwrapExpression(task);
  return node.type === "CallExpression" && model.isContextPinningCall(node);
}

export const bindQueuedTask: JsDetector<CommonOptions> = {
  meta: {
    name: "bind-queued-task",
    description: "Bind tasks handed to p-queue < 10, p-limit < 5 or async queues shared across traces.",
    recommended: true,
    messages: {
      queued:
        "{{library}} starts a queued task from whichever call freed a slot, not from this {{where}}, so the task's runs land in another trace or start a new one. Binding the task with `AsyncLocalStorage.bind` when it is submitted keeps it under the current run.",
      queuedData:
        "The `async` queue runs its worker for this item in the async context of whichever call started the queue's work, not of this {{where}}, so the worker's runs land in another trace or start a new one. Push a function bound with `AsyncLocalStorage.bind`, or pass `getCurrentRunTree()` with the item and run the work in `withRunTree`.",
      suggestBind: "Wrap the task in `AsyncLocalStorage.bind(...)`.",
    },
  },
  optionProperties: { autofix: AUTOFIX_OPTION },
  defaultOptions: { autofix: true },
  detect(model) {
    if (!model.runtime.als) return []; // without AsyncLocalStorage binding cannot help; explicit parents are the remedy
    const findings: JsFindingData[] = [];
    const versionCache = new Map<string, string | null>();
    for (const call of model.calls) {
      if (call.type !== "CallExpression") continue;
      const submission = submissionOf(model, call);
      if (!submission) continue;
      let version = "";
      if (submission.library !== "async") {
        if (!versionCache.has(submission.library)) {
          const found = installedVersion(submission.library, model.filename, model.settings.versions, model.cwd);
          versionCache.set(submission.library, found?.version ?? null);
        }
        const found = versionCache.get(submission.library);
        // Unknown version: stay silent rather than guess (documented).
        if (!found || semver.gte(found, CONTEXT_PRESERVING_SINCE[submission.library])) continue;
        version = found;
      }
      const scope = model.enclosingTracedScope(call);
      if (scope && model.isCreatedInside(submission.owner, scope.fn)) continue; // one trace's own limiter: NESTED
      const data = {
        library: version ? `${submission.library} ${version}` : submission.library,
        where: scope ? scope.label : "caller's trace",
      };
      const plan = () => planImport(model, ASYNC_LOCAL_STORAGE, call);
      if (submission.taskArray) {
        if (!scope) continue;
        const array = unwrapExpression(submission.taskArray);
        if (isBoundMap(model, array)) continue;
        const simple = array.type === "Identifier" || array.type === "MemberExpression" || array.type === "CallExpression";
        const p = plan();
        findings.push({
          node: submission.taskArray,
          range: submission.taskArray.range,
          messageId: "queued",
          data,
          fixKind: simple ? "fix" : "none",
          edits: simple ? [...p.edits, { range: [array.range[1], array.range[1]], text: `.map((task) => ${p.expression}.bind(task))` }] : [],
          suggestionMessageId: "suggestBind",
        });
        continue;
      }
      for (const task of submission.tasks) {
        if (isAlreadyBound(model, task)) continue;
        const node = unwrapExpression(task);
        const isFunctionTask = isFunctionNode(node) || !!model.resolveFunction(node) || ["traceable-fn", "task-fn"].includes(model.valueKind(node));
        if (submission.library === "async" && !isFunctionTask) {
          // A data item for the queue's shared worker: nothing to bind at submit time.
          if (scope && asyncWorkerMayTrace(model, submission.owner, scope)) findings.push({ node: task, range: task.range, messageId: "queuedData", data, fixKind: "none", edits: [] });
          continue;
        }
        if (!taskMayTrace(model, task, scope)) continue;
        const p = plan();
        findings.push({
          node: task,
          range: task.range,
          messageId: "queued",
          data,
          fixKind: "fix",
          edits: [...p.edits, ...wrapEdits(task, `${p.expression}.bind(`, ")")],
          suggestionMessageId: "suggestBind",
        });
      }
    }
    return findings;
  },
};
