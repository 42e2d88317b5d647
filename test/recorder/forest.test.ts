import { describe, expect, it } from "vitest";
import {
  buildForest,
  formatDuration,
  formatForest,
  parseDottedOrder,
  summarizeForest,
  toEpochMicros,
  type RecordedRun,
} from "../../src/recorder/index.js";
import { shape } from "./helpers.js";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const seg = (iso: string, n: number) => `${iso.replace(/[-:.]/g, "")}Z${id(n)}`;

describe("timestamps", () => {
  it("reads the JS SDK's ISO strings and epoch milliseconds, and Python's offsets", () => {
    expect(toEpochMicros("2024-07-01T12:00:00.123456Z")).toBe(Date.UTC(2024, 6, 1, 12) * 1000 + 123456);
    expect(toEpochMicros(Date.UTC(2024, 6, 1, 12))).toBe(Date.UTC(2024, 6, 1, 12) * 1000);
    expect(toEpochMicros("2024-07-01T14:00:00.5+02:00")).toBe(Date.UTC(2024, 6, 1, 12) * 1000 + 500000);
    expect(toEpochMicros("2024-07-01T12:00:00.000001")).toBe(Date.UTC(2024, 6, 1, 12) * 1000 + 1);
    expect(toEpochMicros("yesterday")).toBeUndefined();
    expect(toEpochMicros(undefined)).toBeUndefined();
  });

  it("splits dotted orders into time and id", () => {
    expect(parseDottedOrder(`20240701T120000000001Z${id(1)}.20240701T120000005002Z${id(2)}`)).toEqual([
      { micros: Date.UTC(2024, 6, 1, 12) * 1000 + 1, id: id(1) },
      { micros: Date.UTC(2024, 6, 1, 12) * 1000 + 5002, id: id(2) },
    ]);
    expect(parseDottedOrder("not-a-dotted-order")).toBeUndefined();
  });

  it("formats durations", () => {
    expect([formatDuration(0), formatDuration(999), formatDuration(1234), formatDuration(12_340), formatDuration(123_000)]).toEqual([
      "0ms",
      "999ms",
      "1.23s",
      "12.3s",
      "2m03s",
    ]);
  });
});

describe("buildForest", () => {
  const T0 = Date.UTC(2024, 6, 1, 12);
  const run = (n: number, name: string, start: number, end: number | undefined, extra: Partial<RecordedRun> = {}): RecordedRun => ({
    id: id(n),
    name,
    run_type: "chain",
    start_time: new Date(T0 + start).toISOString(),
    ...(end === undefined ? {} : { end_time: T0 + end }),
    ...extra,
  });

  it("nests by parent_run_id, sorts roots by start and children by dotted order", () => {
    const forest = buildForest([
      run(3, "b-child", 5, 8, { parent_run_id: id(1), dotted_order: `${seg("2024-07-01T12:00:00.000001", 1)}.${seg("2024-07-01T12:00:00.005003", 3)}` }),
      run(2, "a-child", 5, 7, { parent_run_id: id(1), dotted_order: `${seg("2024-07-01T12:00:00.000001", 1)}.${seg("2024-07-01T12:00:00.005002", 2)}` }),
      run(4, "second-root", 50, 60),
      run(1, "first-root", 0, 10, { dotted_order: seg("2024-07-01T12:00:00.000001", 1) }),
    ]);
    expect(shape(forest)).toEqual([["first-root", ["a-child", "b-child"]], "second-root"]);
    expect(forest.every((n) => Object.keys(n.flags).length === 0)).toBe(true);
  });

  it("falls back to the dotted order when parent_run_id is absent", () => {
    const forest = buildForest([
      run(1, "root", 0, 10, { dotted_order: seg("2024-07-01T12:00:00.000001", 1) }),
      run(2, "child", 1, 2, { dotted_order: `${seg("2024-07-01T12:00:00.000001", 1)}.${seg("2024-07-01T12:00:00.001002", 2)}` }),
    ]);
    expect(shape(forest)).toEqual([["root", ["child"]]]);
  });

  it("keeps a run whose parent never arrived as a flagged root, and cuts cycles", () => {
    const forest = buildForest([
      run(1, "orphan", 0, 1, { parent_run_id: id(99) }),
      run(2, "loop-a", 10, 11, { parent_run_id: id(3) }),
      run(3, "loop-b", 20, 21, { parent_run_id: id(2) }),
    ]);
    expect(forest[0]!.run.name).toBe("orphan");
    expect(forest[0]!.flags.parentMissing).toBe(true);
    // Every run is still in the forest exactly once.
    const names: string[] = [];
    const visit = (n: (typeof forest)[number]) => (names.push(n.run.name!), n.children.forEach(visit));
    forest.forEach(visit);
    expect(names.sort()).toEqual(["loop-a", "loop-b", "orphan"]);
  });

  it("flags a child that started after its parent ended (same millisecond only if it outlived the parent)", () => {
    const forest = buildForest([
      run(1, "parent", 0, 10),
      run(2, "awaited", 2, 9, { parent_run_id: id(1) }),
      run(3, "fire-and-forget", 12, 20, { parent_run_id: id(1) }),
      run(4, "same-ms-outlived", 10, 15, { parent_run_id: id(1) }),
      run(5, "same-ms-done", 10, 10, { parent_run_id: id(1) }),
    ]);
    const flags = Object.fromEntries(forest[0]!.children.map((c) => [c.run.name, c.flags.startedAfterParentEnded === true]));
    expect(flags).toEqual({ awaited: false, "fire-and-forget": true, "same-ms-outlived": true, "same-ms-done": false });
  });

  it("flags roots that started while another trace was open", () => {
    const forest = buildForest([
      run(1, "long", 0, 100),
      run(2, "inside-long", 50, 60),
      run(3, "same-start-as-long", 0, 5),
      run(4, "after-all", 200, 210),
      run(5, "no-end", 300, undefined),
      run(6, "after-no-end", 310, 320),
    ]);
    const flags = Object.fromEntries(forest.map((n) => [n.run.name, n.flags.startedWhileOtherTraceOpen === true]));
    expect(flags).toEqual({
      long: false,
      "same-start-as-long": false,
      "inside-long": true,
      "after-all": false,
      "no-end": false,
      "after-no-end": false,
    });
  });

  it("flags a run known only from a patch", () => {
    const [node] = buildForest([{ id: id(1), end_time: 5 }]);
    expect(node!.flags.postMissing).toBe(true);
  });
});

describe("formatForest", () => {
  const T0 = Date.UTC(2024, 6, 1, 12);
  const at = (ms: number) => new Date(T0 + ms).toISOString();
  const runs: RecordedRun[] = [
    { id: id(1), name: "agent", run_type: "chain", start_time: at(0), end_time: T0 + 1500 },
    { id: id(2), name: "plan", run_type: "llm", start_time: at(10), end_time: T0 + 40, parent_run_id: id(1) },
    { id: id(3), name: "search", run_type: "tool", start_time: at(15), end_time: T0 + 35, parent_run_id: id(2), error: "Error: boom\n    at x" },
    { id: id(4), name: "late", run_type: "tool", start_time: at(1600), end_time: T0 + 1700, parent_run_id: id(1) },
    { id: id(5), name: "split", run_type: "tool", start_time: at(100), end_time: T0 + 120 },
  ];

  it("prints an indented tree with run type, duration and marks, then the summary", () => {
    expect(formatForest(buildForest(runs))).toBe(
      [
        "agent  chain  1.50s",
        "├─ plan  llm  30ms",
        "│  └─ search  tool  20ms  error: Error: boom",
        "└─ late  tool  100ms  [started after parent ended]",
        "split  tool  20ms  [started while another trace was open]",
        "",
        "2 traces, 5 runs; 1 child started after the parent ended; 1 root started while another trace was open; 1 run with an error",
        "",
      ].join("\n"),
    );
  });

  it("colours only when asked", () => {
    expect(formatForest(buildForest(runs), { color: true })).toMatch(/\u001b\[/);
    expect(formatForest(buildForest(runs), { color: false })).not.toMatch(/\u001b\[/);
  });

  it("prints the summary alone for an empty forest, and marks runs without end or parent", () => {
    expect(formatForest([])).toBe("0 traces, 0 runs\n");
    const text = formatForest(buildForest([{ id: id(7), name: "open", start_time: at(0), parent_run_id: id(8) }]));
    expect(text).toBe(`open  no end time  [parent ${id(8)} never received]\n\n1 trace, 1 run; 1 run with a parent never received\n`);
  });

  it("counts what it marks", () => {
    expect(summarizeForest(buildForest(runs))).toEqual({
      traces: 2,
      runs: 5,
      startedAfterParentEnded: 1,
      startedWhileOtherTraceOpen: 1,
      parentMissing: 0,
      errors: 1,
    });
  });
});
