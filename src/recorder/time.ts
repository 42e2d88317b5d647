/**
 * Run timestamps as the SDKs send them, turned into epoch microseconds.
 *
 * The JS SDK sends `start_time` as an ISO string with six fractional digits (the last three are its execution
 * order, not real microseconds) and `end_time` as epoch milliseconds; the Python SDK sends ISO strings with a UTC
 * offset. Dotted-order segments carry `YYYYMMDDTHHMMSSffffffZ<run id>`.
 */

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch microseconds of an SDK timestamp, or undefined when absent or unreadable. */
export function toEpochMicros(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? Math.round(value * 1000) : undefined;
  if (typeof value !== "string" || value.length === 0) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const m = ISO_RE.exec(value.trim());
  if (!m) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms * 1000;
  }
  const [, y, mo, d, h, mi, s, frac = "", tz] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  const micros = Number((frac + "000000").slice(0, 6));
  let offsetMinutes = 0;
  if (tz && tz.toUpperCase() !== "Z") {
    const sign = tz.startsWith("-") ? -1 : 1;
    const digits = tz.slice(1).replace(":", "");
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0"));
  }
  // No offset: both SDKs mean UTC.
  return (ms - offsetMinutes * 60_000) * 1000 + micros;
}

/** Milliseconds, for display and for comparisons at the precision both SDKs really measure. */
export function toEpochMillis(value: unknown): number | undefined {
  const us = toEpochMicros(value);
  return us === undefined ? undefined : Math.floor(us / 1000);
}

export interface DottedSegment {
  /** Epoch microseconds encoded in the segment (JS: the last three digits are the execution order). */
  micros: number;
  id: string;
}

const SEGMENT_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{6})Z(.+)$/;

/** Splits a dotted order into its segments; undefined if any segment is malformed. */
export function parseDottedOrder(dotted: unknown): DottedSegment[] | undefined {
  if (typeof dotted !== "string" || dotted.length === 0) return undefined;
  const out: DottedSegment[] = [];
  for (const part of dotted.split(".")) {
    const m = SEGMENT_RE.exec(part);
    if (!m) return undefined;
    const [, y, mo, d, h, mi, s, us, id] = m;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    out.push({ micros: ms * 1000 + Number(us), id: id! });
  }
  return out;
}

/** "12ms", "1.24s", "2m03s". */
export function formatDuration(ms: number): string {
  if (ms < 0) return `${ms}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, "0")}s`;
}
