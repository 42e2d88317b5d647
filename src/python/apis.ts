/**
 * The Python APIs the model knows, by qualified name (`module.attribute`, as an import makes them reachable).
 * Several names reach the same object (`langsmith.traceable` is `langsmith.run_helpers.traceable`): each set lists
 * the public spellings.
 */
export const PY_APIS = {
  traceable: ["langsmith.traceable", "langsmith.run_helpers.traceable"],
  getCurrentRunTree: ["langsmith.get_current_run_tree", "langsmith.run_helpers.get_current_run_tree"],
  tracingContext: ["langsmith.tracing_context", "langsmith.run_helpers.tracing_context"],
  trace: ["langsmith.trace", "langsmith.run_helpers.trace"],
  runTree: ["langsmith.RunTree", "langsmith.run_trees.RunTree"],
  contextPool: [
    "langsmith.utils.ContextThreadPoolExecutor",
    "langchain_core.runnables.config.ContextThreadPoolExecutor",
    "langchain_core.runnables.ContextThreadPoolExecutor",
  ],
  getExecutorForConfig: ["langchain_core.runnables.config.get_executor_for_config", "langchain_core.runnables.get_executor_for_config"],
  langchainConfigHelpers: [
    "langchain_core.runnables.config.get_executor_for_config",
    "langchain_core.runnables.get_executor_for_config",
    "langchain_core.runnables.config.ensure_config",
    "langchain_core.runnables.ensure_config",
    "langchain_core.runnables.config.patch_config",
    "langchain_core.runnables.patch_config",
    "langchain_core.runnables.config.RunnableConfig",
    "langchain_core.runnables.RunnableConfig",
  ],
  runnableConfig: ["langchain_core.runnables.RunnableConfig", "langchain_core.runnables.config.RunnableConfig"],
  tracingMiddleware: ["langsmith.middleware.TracingMiddleware"],
  threadPool: ["concurrent.futures.ThreadPoolExecutor", "concurrent.futures.thread.ThreadPoolExecutor"],
  thread: ["threading.Thread"],
  copyContext: ["contextvars.copy_context"],
  partial: ["functools.partial"],
  toThread: ["asyncio.to_thread"],
  createTask: ["asyncio.create_task", "asyncio.ensure_future"],
  getLoop: ["asyncio.get_event_loop", "asyncio.get_running_loop", "asyncio.new_event_loop"],
  tool: ["langchain_core.tools.tool", "langchain_core.tools.convert.tool", "langchain.tools.tool", "langchain.agents.tool"],
  runnableLambda: ["langchain_core.runnables.RunnableLambda", "langchain_core.runnables.base.RunnableLambda"],
  chain: ["langchain_core.runnables.chain", "langchain_core.runnables.base.chain"],
  task: ["langgraph.func.task"],
  entrypoint: ["langgraph.func.entrypoint"],
  stateGraph: ["langgraph.graph.StateGraph", "langgraph.graph.state.StateGraph", "langgraph.graph.MessageGraph"],
  remoteGraph: ["langgraph.pregel.remote.RemoteGraph", "langgraph.pregel.RemoteGraph"],
  fastapi: ["fastapi.FastAPI", "starlette.applications.Starlette", "fastapi.applications.FastAPI"],
  apiRouter: ["fastapi.APIRouter", "fastapi.routing.APIRouter"],
  flask: ["flask.Flask", "quart.Quart"],
  environ: ["os.environ"],
  getenv: ["os.getenv", "os.environ.get"],
} as const;

export type PyApi = keyof typeof PY_APIS;

/** HTTP client functions called on the module (`requests.get(url)`). */
export const HTTP_MODULE_CALLS = new Set(
  ["requests", "httpx"].flatMap((m) => ["get", "post", "put", "patch", "delete", "head", "options", "request", "stream"].map((f) => `${m}.${f}`)),
);
/** HTTP client objects whose methods send requests. */
export const HTTP_CLIENTS = new Set(["requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession"]);
export const HTTP_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "send"]);

/** Runnable methods that start a run. */
export const RUNNABLE_METHODS = new Set(["invoke", "ainvoke", "batch", "abatch", "stream", "astream", "astream_events", "astream_log", "batch_as_completed", "abatch_as_completed", "transform", "atransform"]);

/** Modules whose import makes a file worth analysing. */
export const TRACING_MODULES = ["langsmith", "langchain", "langchain_core", "langgraph"];
