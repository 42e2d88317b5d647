// The caller of docs/rules/bind-detached-callback.md's `sms.mjs` example: `sendSms` is called inside a traceable here.
import { traceable } from "langsmith/traceable";
import { sendSms } from "./sms.mjs";

export const confirmBooking = traceable(async (booking) => sendSms(`+1-${booking}`, `Booking ${booking} confirmed`), {
  name: "confirm_booking",
});
