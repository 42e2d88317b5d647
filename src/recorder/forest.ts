/**
 * Builds the trace forest from recorded runs and prints it.
 *
 * Parent: `parent_run_id` when present, else the second-to-last segment of `dotted_order`. A run whose parent was
 * never received becomes a root flagged `parentMissing`. Roots are sorted by start time, children by dotted order
 * (its segments start with the start time, then the execution order) and then start time.
 */
import pc from "picocolors";
import type { RecordedRun, TraceNode } from "./types.js";
import { formatDuration, parseDottedOrder, toEpochMicros, toEpochMillis } from "./time.js";

/** The id of the run's parent as the run itself states it, or undefined for a root. */
export function statedParentId(run: RecordedRun): string | undefined {
  if (typeof run.parent_run_id === "string" && run.parent_run_id.length > 0) return run.parent_run_id;
  const segments = parseDottedOrder(run.dotted_order);
  if (segments && segments.length >= 2) return segments[segments.length - 2]!.id;
  return undefined;
}

function startKey(run: RecordedRun): number {
  return toEpochMicros(run.start_time) ?? parseDottedOrder(run.dotted_order)?.at(-1)?.micros ?? Number.POSITIVE_INFINITY;
}

function compareRoots(a: TraceNode, b: TraceNode): number {
  const d = startKey(a.run) - startKey(b.run);
  if (d !== 0 && !Number.isNaN(d)) return d;
  return compareStrings(a.run.dotted_order, b.run.dotted_order) || compareStrings(a.run.id, b.run.id);
}

function compareChildren(a: TraceNode, b: TraceNode): number {
  const byDotted = compareStrings(a.run.dotted_order, b.run.dotted_order);
  if (typeof a.run.dotted_order === "string" && typeof b.run.dotted_order === "string" && byDotted !== 0) return byDotted;
  return compareRoots(a, b);
}

function compareStrings(a: unknown, b: unknown): number {
  const x = typeof a === "string" ? a : "";
  const y = typeof b === "string" ? b : "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A child "started after its parent ended" when its start is later than the parent's end. Both SDKs measure in
 * milliseconds, so a start in the very millisecond the parent ended counts only if the child also outlived it.
 */
function startedAfterEnd(child: RecordedRun, parent: RecordedRun): boolean {
  const start = toEpochMillis(child.start_time);
  const parentEnd = toEpochMillis(parent.end_time);
  if (start === undefined || parentEnd === undefined) return false;
  if (start > parentEnd) return true;
  if (start < parentEnd) return false;
  const end = toEpochMillis(child.end_time);
  return end !== undefined && end > parentEnd;
}

export function buildForest(runs: readonly RecordedRun[]): TraceNode[] {
  const nodes = new Map<string, TraceNode>();
  for (const run of runs) {
    if (nodes.has(run.id)) continue;
    nodes.set(run.id, { run, children: [], flags: {} });
  }
  const parentOf = new Map<string, string>();
  for (const node of nodes.values()) {
    if (node.run.start_time === undefined && node.run.name === undefined) node.flags.postMissing = true;
    const pid = statedParentId(node.run);
    if (pid === undefined || pid === node.run.id) continue;
    if (!nodes.has(pid)) {
      node.flags.parentMissing = true;
      continue;
    }
    parentOf.set(node.run.id, pid);
  }
  // Malformed input could chain runs into a cycle; cut it where it closes so that every run is printed.
  for (const id of nodes.keys()) {
    const seen = new Set<string>([id]);
    let cur = parentOf.get(id);
    while (cur !== undefined) {
      if (seen.has(cur)) {
        parentOf.delete(id);
        break;
      }
      seen.add(cur);
      cur = parentOf.get(cur);
    }
  }
  const roots: TraceNode[] = [];
  for (const node of nodes.values()) {
    const pid = parentOf.get(node.run.id);
    const parent = pid === undefined ? undefined : nodes.get(pid);
    if (!parent) {
      roots.push(node);
      continue;
    }
    parent.children.push(node);
    if (startedAfterEnd(node.run, parent.run)) node.flags.startedAfterParentEnded = true;
  }
  for (const node of nodes.values()) node.children.sort(compareChildren);
  roots.sort(compareRoots);
  markOverlappingRoots(roots);
  return roots;
}

/** Flags each root that started while an earlier-started root (another trace) had not yet ended. */
function markOverlappingRoots(sortedRoots: TraceNode[]): void {
  let maxEnd = Number.NEGATIVE_INFINITY;
  let i = 0;
  while (i < sortedRoots.length) {
    // Roots with the same start are not "inside" each other: process the group against earlier roots only.
    const start = toEpochMillis(sortedRoots[i]!.run.start_time);
    let j = i;
    while (j < sortedRoots.length && toEpochMillis(sortedRoots[j]!.run.start_time) === start) j++;
    if (start !== undefined) {
      for (let k = i; k < j; k++) if (maxEnd > start) sortedRoots[k]!.flags.startedWhileOtherTraceOpen = true;
    }
    for (let k = i; k < j; k++) {
      const end = toEpochMillis(sortedRoots[k]!.run.end_time);
      if (end !== undefined && end > maxEnd) maxEnd = end;
    }
    i = j === i ? i + 1 : j;
  }
}

export interface ForestSummary {
  traces: number;
  runs: number;
  startedAfterParentEnded: number;
  startedWhileOtherTraceOpen: number;
  parentMissing: number;
  errors: number;
}

export function summarizeForest(forest: readonly TraceNode[]): ForestSummary {
  const s: ForestSummary = {
    traces: forest.length,
    runs: 0,
    startedAfterParentEnded: 0,
    startedWhileOtherTraceOpen: 0,
    parentMissing: 0,
    errors: 0,
  };
  const visit = (n: TraceNode): void => {
    s.runs++;
    if (n.flags.startedAfterParentEnded) s.startedAfterParentEnded++;
    if (n.flags.startedWhileOtherTraceOpen) s.startedWhileOtherTraceOpen++;
    if (n.flags.parentMissing) s.parentMissing++;
    if (typeof n.run.error === "string" && n.run.error.length > 0) s.errors++;
    n.children.forEach(visit);
  };
  forest.forEach(visit);
  return s;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function formatSummary(s: ForestSummary): string {
  const parts = [`${plural(s.traces, "trace", "traces")}, ${plural(s.runs, "run", "runs")}`];
  if (s.startedAfterParentEnded > 0)
    parts.push(`${plural(s.startedAfterParentEnded, "child", "children")} started after the parent ended`);
  if (s.startedWhileOtherTraceOpen > 0)
    parts.push(`${plural(s.startedWhileOtherTraceOpen, "root", "roots")} started while another trace was open`);
  if (s.parentMissing > 0) parts.push(`${plural(s.parentMissing, "run", "runs")} with a parent never received`);
  if (s.errors > 0) parts.push(`${plural(s.errors, "run", "runs")} with an error`);
  return parts.join("; ");
}

function firstLine(text: string, max = 80): string {
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** An indented tree of every trace, then a blank line and the summary line. */
export function formatForest(forest: readonly TraceNode[], opts: { color?: boolean } = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const lines: string[] = [];
  const label = (node: TraceNode): string => {
    const { run, flags } = node;
    const name = typeof run.name === "string" && run.name.length > 0 ? run.name : `(unnamed ${run.id})`;
    const bits = [c.bold(name)];
    if (typeof run.run_type === "string") bits.push(c.cyan(run.run_type));
    const start = toEpochMillis(run.start_time);
    const end = toEpochMillis(run.end_time);
    bits.push(c.dim(start !== undefined && end !== undefined ? formatDuration(end - start) : "no end time"));
    if (flags.startedAfterParentEnded) bits.push(c.yellow("[started after parent ended]"));
    if (flags.startedWhileOtherTraceOpen) bits.push(c.yellow("[started while another trace was open]"));
    if (flags.parentMissing) bits.push(c.yellow(`[parent ${String(run.parent_run_id ?? statedParentId(run))} never received]`));
    if (flags.postMissing) bits.push(c.yellow("[only a patch received]"));
    if (typeof run.error === "string" && run.error.length > 0) bits.push(c.red(`error: ${firstLine(run.error)}`));
    return bits.join("  ");
  };
  const walk = (node: TraceNode, prefix: string, last: boolean): void => {
    lines.push(`${prefix}${c.dim(last ? "└─ " : "├─ ")}${label(node)}`);
    const childPrefix = prefix + c.dim(last ? "   " : "│  ");
    node.children.forEach((child, i) => walk(child, childPrefix, i === node.children.length - 1));
  };
  for (const root of forest) {
    lines.push(label(root));
    root.children.forEach((child, i) => walk(child, "", i === root.children.length - 1));
  }
  if (forest.length > 0) lines.push("");
  lines.push(formatSummary(summarizeForest(forest)));
  return lines.join("\n") + "\n";
}
