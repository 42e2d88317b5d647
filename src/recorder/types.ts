/** A run as the recorder received it: the post and every patch for one id, merged (patch fields win). */
export interface RecordedRun {
  id: string;
  trace_id?: string;
  parent_run_id?: string | null;
  dotted_order?: string;
  name?: string;
  run_type?: string;
  start_time?: string | number;
  end_time?: string | number;
  inputs?: unknown;
  outputs?: unknown;
  error?: string | null;
  extra?: unknown;
  tags?: string[];
  /** Attachments received for the run (`attachment.<id>.<name>` parts): content type and byte size, not content. */
  attachments?: Record<string, { contentType: string; size: number }>;
  /** Any other field the SDK posted. */
  [field: string]: unknown;
}

export interface TraceNodeFlags {
  /** The run started after its parent's end time (a fire-and-forget child, or a late callback). */
  startedAfterParentEnded?: boolean;
  /** A root that started while another trace's root was still running (a split child often looks like this). */
  startedWhileOtherTraceOpen?: boolean;
  /** The run names a parent (parent_run_id or dotted order) that was never received. */
  parentMissing?: boolean;
  /** A patch arrived for this id but no post: name, start time and parent may be missing. */
  postMissing?: boolean;
}

export interface TraceNode {
  run: RecordedRun;
  children: TraceNode[];
  flags: TraceNodeFlags;
}

export interface RecorderStats {
  /** Every HTTP request, /info included. */
  requests: number;
  /** Requests answered 404 (unknown path) or 405 (known path, wrong method). */
  unknownPaths: number;
  /** Requests answered 400/413/415: their runs were rejected as a whole. */
  badRequests: number;
  /** Requests that failed inside the recorder (500). */
  serverErrors: number;
  /** Distinct run ids received. */
  runsReceived: number;
  /** Run operations received: posts and patches (a retried request counts again). */
  posts: number;
  patches: number;
  feedback: number;
  attachments: number;
  /** Requests per "METHOD /path" (run ids replaced by ":id"). */
  byEndpoint: Record<string, number>;
  /** Request bodies per Content-Encoding ("identity" when none). */
  byEncoding: Record<string, number>;
  /** The reasons given for the last rejected requests (at most 20). */
  rejections: string[];
}
