// docs/rules/bind-detached-callback.md's `sms.mjs` example, fixed: `sendSms` binds the delivery it hands to the
// gateway, so the delivery runs in the trace of whoever called `sendSms` (booking.mjs).
import { traceable } from "langsmith/traceable";
import { AsyncLocalStorage } from "node:async_hooks";

const deliver = traceable(async (to, text) => `${to}: ${text.length} chars`, { name: "deliver_sms" });

const pending = [];
setInterval(() => {
  for (const run of pending.splice(0, 1)) run();
}, 10);

export function sendSms(to, text) {
  return new Promise((resolve, reject) => {
    pending.push(AsyncLocalStorage.bind(() => deliver(to, text).then(resolve, reject)));
  });
}
