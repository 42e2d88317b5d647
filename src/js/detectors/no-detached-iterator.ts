/**
 * no-detached-iterator: a generator created inside a traced scope that does traced work while it is consumed and
 * leaves the scope in a way langsmith does not wrap: inside an object or array, as the pull source of a `Response`
 * body, stored on a field or a module-level holder, or (a sync generator) returned. Its runs start when the
 * consumer pulls, after the scope returned, outside its run (ground truth §2: SPLIT(root); for a `Response` only
 * with a slow reader). Returning an async generator or a ReadableStream itself is NESTED and never reported.
 *
 * The fix binds each `next()` / `return()` / `throw()` of the iterator to the async context captured where it is
 * created (`AsyncLocalStorage.snapshot()`). It keeps the iterator object and its protocol: a sync generator's
 * `next()` stays synchronous (never `withRunTree`, which returns a Promise, nor `traceable(function*)`, which
 * breaks synchronous consumers), and with tracing off the snapshot just calls the method.
 */
import { ASYNC_LOCAL_STORAGE, planImport } from "../imports.js";
import type { DetachedIterator, JsModel } from "../model.js";
import { isTypeScriptFile, wrapEdits } from "./edits.js";
import { AUTOFIX_OPTION, type CommonOptions, type JsDetector, type JsFindingData } from "./types.js";

const HOW: Record<DetachedIterator["escape"], string> = {
  object: "inside an object",
  array: "inside an array",
  response: "as the pull source of a `Response` body",
  stored: "stored outside the function",
  helper: "packed into an object by a helper",
  handed: "handed to a call that keeps it for later (whoever pulls it then runs it)",
  "returned-sync": "returned as a plain sync generator",
};

/** `((iterator, run) => { ... })(<creation>, AsyncLocalStorage.snapshot())`: each method runs in the captured context. */
export function bindIteratorText(als: string, typed: boolean): { before: string; after: string } {
  const args = (method: string) => (typed ? `(...args: Parameters<typeof ${method}>)` : "(...args)");
  const before =
    "((iterator, run) => { const { next, return: finish, throw: fail } = iterator; return Object.assign(iterator, { " +
    `next: ${args("next")} => run(() => next.apply(iterator, args)), ` +
    `return: ${args("finish")} => run(() => finish.apply(iterator, args)), ` +
    `throw: ${args("fail")} => run(() => fail.apply(iterator, args)) }); })(`;
  return { before, after: `, ${als}.snapshot())` };
}

/**
 * For a lazy iterable (`paginate(query)` returning `{ async *[Symbol.asyncIterator]() { ... } }`): its iterator method
 * is replaced, on the same object, by one that binds each iterator it hands out as {@link bindIteratorText} does.
 */
export function bindIterableText(als: string, typed: boolean, isAsync: boolean): { before: string; after: string } {
  const key = isAsync ? "Symbol.asyncIterator" : "Symbol.iterator";
  const inner = bindIteratorText(als, typed).before;
  const args = typed ? "(...args: Parameters<typeof open>)" : "(...args)";
  const before = `((iterable, run) => { const open = iterable[${key}]; return Object.assign(iterable, { [${key}]: ${args} => ${inner}open.apply(iterable, args), run) }); })(`;
  return { before, after: `, ${als}.snapshot())` };
}

export const noDetachedIterator: JsDetector<CommonOptions> = {
  meta: {
    name: "no-detached-iterator",
    description: "Bind generators that leave a traced function inside an object, a Response body or a field to the function's context.",
    recommended: true,
    messages: {
      detached:
        "{{kind}} `{{generator}}` leaves this {{where}} {{how}}, where langsmith does not wrap it, so its traced calls run when it is consumed, after the {{where}} returned, and start their own traces. Binding each `next()` to the context captured here (`AsyncLocalStorage.snapshot()`) keeps them under this run and keeps the iterator's protocol.",
      suggestBind: "Bind the iterator's `next`, `return` and `throw` to the context captured here with `AsyncLocalStorage.snapshot()`.",
    },
  },
  optionProperties: { autofix: AUTOFIX_OPTION },
  defaultOptions: { autofix: true },
  detect(model: JsModel) {
    // Without AsyncLocalStorage there is no context to capture: pass-parent-run-tree covers those runtimes.
    if (!model.runtime.als) return [];
    const findings: JsFindingData[] = [];
    for (const iterator of model.iterators.detached()) {
      const call = iterator.creation;
      const plan = planImport(model, ASYNC_LOCAL_STORAGE, call);
      const typed = isTypeScriptFile(model.filename);
      const { before, after } = iterator.iterable ? bindIterableText(plan.expression, typed, iterator.async) : bindIteratorText(plan.expression, typed);
      const name = model.text.slice(call.callee.range[0], call.callee.range[1]);
      findings.push({
        node: call,
        range: call.range,
        messageId: "detached",
        data: {
          kind: iterator.iterable ? (iterator.async ? "The lazy async iterable of" : "The lazy iterable of") : iterator.async ? "Async generator" : "Generator",
          generator: name.length > 40 ? `${name.slice(0, 37)}...` : name,
          where: iterator.scope.label,
          how: iterator.viaStream && iterator.escape !== "response" ? `through a ReadableStream ${HOW[iterator.escape]}` : HOW[iterator.escape],
        },
        fixKind: "fix",
        edits: [...plan.edits, ...wrapEdits(call, before, after)],
        suggestionMessageId: "suggestBind",
      });
    }
    return findings;
  },
};
