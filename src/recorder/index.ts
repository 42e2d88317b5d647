/**
 * The recorder: a local LangSmith-compatible ingest endpoint that keeps every run, and the trace forest built
 * from what it received. Used by `trace-nesting record` and by the runtime tests.
 */
export { startRecorder } from "./server.js";
export type { IngestMode, Recorder, RecorderOptions, WaitForQuietOptions } from "./server.js";
export { buildForest, formatForest, formatSummary, statedParentId, summarizeForest } from "./forest.js";
export type { ForestSummary } from "./forest.js";
export { IngestError, RunStore, parseBatch, parseMultipart, parseSingleRun } from "./ingest.js";
export type { RunOperation } from "./ingest.js";
export type { RecordedRun, RecorderStats, TraceNode, TraceNodeFlags } from "./types.js";
export { formatDuration, parseDottedOrder, toEpochMicros, toEpochMillis } from "./time.js";
