import { describeRule } from "./helpers.js";

const HEAD = `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable


@traceable
def child(x):
    return x
`;

describeRule("py-context-to-thread", {
  valid: [
    { name: "ContextThreadPoolExecutor", code: `${HEAD}
from langsmith.utils import ContextThreadPoolExecutor


@traceable
def parent(xs):
    with ContextThreadPoolExecutor() as ex:
        return [ex.submit(child, x).result() for x in xs]
` },
    { name: "LangChain's executor from the config", code: `${HEAD}
from langchain_core.runnables.config import get_executor_for_config


@traceable
def parent(xs, config):
    with get_executor_for_config(config) as ex:
        return list(ex.map(child, xs))
` },
    { name: "pool outside any trace", code: `${HEAD}

def outside(xs):
    with ThreadPoolExecutor() as ex:
        return list(ex.map(child, xs))
` },
    { name: "worker that does no traced work", code: `${HEAD}

def plain(x):
    return x * 2


@traceable
def parent(xs):
    with ThreadPoolExecutor() as ex:
        return list(ex.map(plain, xs))
` },
    { name: "explicit parent captured in the parent", code: `${HEAD}
from langsmith import get_current_run_tree


@traceable
def parent(xs):
    rt = get_current_run_tree()
    with ThreadPoolExecutor() as ex:
        return [ex.submit(child, x, langsmith_extra={"parent": rt}).result() for x in xs]
` },
    { name: "copy_context().run per submit", code: `${HEAD}
import contextvars


@traceable
def parent(x):
    with ThreadPoolExecutor() as ex:
        return ex.submit(contextvars.copy_context().run, child, x).result()
` },
    { name: "asyncio.to_thread, create_task and gather", code: `${HEAD}
import asyncio


@traceable
async def parent(x):
    a = asyncio.create_task(asyncio.to_thread(child, x))
    return await asyncio.gather(a, asyncio.to_thread(child, x))
` },
    { name: "thread target wrapped in a copied context", code: `${HEAD}
import threading
from contextvars import copy_context
from functools import partial


@traceable
def parent(x):
    t = threading.Thread(target=partial(copy_context().run, child), args=(x,))
    t.start()
    t.join()
` },
    { name: "run_in_executor with a ContextThreadPoolExecutor", code: `${HEAD}
import asyncio
from langsmith.utils import ContextThreadPoolExecutor

POOL = ContextThreadPoolExecutor()


@traceable
async def parent(x):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(POOL, child, x)
` },
    { name: "worker helper imported from a module that does no traced work", files: { "helpers.py": "def work(x):\n    return x\n" }, code: `${HEAD}
from helpers import work


@traceable
def parent(xs):
    with ThreadPoolExecutor() as ex:
        return list(ex.map(work, xs))
` },
    { name: "worker function that enters tracing_context(parent=p) with the run tree passed in", code: `${HEAD}
from langsmith import tracing_context, get_current_run_tree


def in_worker(x, parent):
    with tracing_context(parent=parent):
        return child(x)


@traceable
def parent(x):
    rt = get_current_run_tree()
    with ThreadPoolExecutor() as ex:
        return ex.submit(in_worker, x, rt).result()
` },
    { name: "worker function in a variable that passes langsmith_extra={'parent': p}", code: `${HEAD}
from langsmith import get_current_run_tree


def in_worker(x, rt):
    return child(x, langsmith_extra={"parent": rt})


@traceable
def parent(xs):
    rt = get_current_run_tree()
    work = in_worker
    with ThreadPoolExecutor() as ex:
        return [ex.submit(work, x, rt).result() for x in xs]
` },
  ],
  invalid: [
    {
      name: "worker function that reads the run tree itself for tracing_context (not a parameter)",
      code: `${HEAD}
from langsmith import tracing_context, get_current_run_tree


def in_worker(x):
    with tracing_context(parent=get_current_run_tree()):
        return child(x)


@traceable
def parent(x):
    with ThreadPoolExecutor() as ex:
        return ex.submit(in_worker, x).result()
`,
      errors: ["pool"],
      output: `${HEAD}
from langsmith import tracing_context, get_current_run_tree
from langsmith.utils import ContextThreadPoolExecutor


def in_worker(x):
    with tracing_context(parent=get_current_run_tree()):
        return child(x)


@traceable
def parent(x):
    with ContextThreadPoolExecutor() as ex:
        return ex.submit(in_worker, x).result()
`,
    },
    {
      name: "submit and map on a with-pool",
      code: `${HEAD}

@traceable
def parent(xs):
    with ThreadPoolExecutor(max_workers=4) as ex:
        futures = [ex.submit(child, x) for x in xs]
        return list(ex.map(child, (x for x in xs)))
`,
      errors: ["pool", "pool"],
      output: `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable
from langsmith.utils import ContextThreadPoolExecutor


@traceable
def child(x):
    return x


@traceable
def parent(xs):
    with ContextThreadPoolExecutor(max_workers=4) as ex:
        futures = [ex.submit(child, x) for x in xs]
        return list(ex.map(child, list(x for x in xs)))
`,
    },
    {
      name: "executor in a variable, worker defined elsewhere through a helper",
      code: `${HEAD}

def helper(x):
    return child(x) + 1


def run_all(xs):
    pool = ThreadPoolExecutor()
    futures = [pool.submit(helper, x) for x in xs]
    pool.shutdown()
    return futures


@traceable
def parent(xs):
    return run_all(xs)
`,
      errors: ["pool"],
      output: `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable
from langsmith.utils import ContextThreadPoolExecutor


@traceable
def child(x):
    return x


def helper(x):
    return child(x) + 1


def run_all(xs):
    pool = ContextThreadPoolExecutor()
    futures = [pool.submit(helper, x) for x in xs]
    pool.shutdown()
    return futures


@traceable
def parent(xs):
    return run_all(xs)
`,
    },
    {
      name: "module-level pool shared by traces, worker imported from another module",
      files: { "work.py": "from langsmith import traceable\n\n\n@traceable\ndef step(x):\n    return x\n" },
      code: `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable
from work import step

POOL = ThreadPoolExecutor(8)


@traceable
def parent(x):
    return POOL.submit(step, x).result()
`,
      errors: ["pool"],
      output: `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable
from work import step
from langsmith.utils import ContextThreadPoolExecutor

POOL = ContextThreadPoolExecutor(8)


@traceable
def parent(x):
    return POOL.submit(step, x).result()
`,
    },
    {
      name: "worker reached as module.attribute of a project module",
      files: { "steps.py": "from langsmith import traceable\n\n\n@traceable\ndef step(x):\n    return x\n" },
      code: `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable
import steps


@traceable
def parent(xs):
    with ThreadPoolExecutor() as ex:
        return [ex.submit(steps.step, x).result() for x in xs]
`,
      errors: ["pool"],
      output: `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable
import steps
from langsmith.utils import ContextThreadPoolExecutor


@traceable
def parent(xs):
    with ContextThreadPoolExecutor() as ex:
        return [ex.submit(steps.step, x).result() for x in xs]
`,
    },
    {
      name: "retriever.invoke submitted; LangChain config helpers in the file",
      code: `from concurrent.futures import ThreadPoolExecutor
from langchain_core.runnables import RunnableConfig, RunnableLambda


def search(queries, retriever, config: RunnableConfig):
    with ThreadPoolExecutor() as ex:
        return list(ex.map(retriever.invoke, queries))


chain = RunnableLambda(search)
`,
      errors: ["pool"],
      output: `from concurrent.futures import ThreadPoolExecutor
from langchain_core.runnables import RunnableConfig, RunnableLambda
from langchain_core.runnables.config import ContextThreadPoolExecutor


def search(queries, retriever, config: RunnableConfig):
    with ContextThreadPoolExecutor() as ex:
        return list(ex.map(retriever.invoke, list(queries)))


chain = RunnableLambda(search)
`,
    },
    {
      name: "pool passed on: suggestion",
      code: `${HEAD}

def use(pool, xs):
    return pool


@traceable
def parent(xs):
    ex = ThreadPoolExecutor()
    use(ex, xs)
    return ex.submit(child, 1).result()
`,
      errors: ["pool"],
    },
    {
      name: "threading.Thread joined",
      code: `import threading
from langsmith import traceable


@traceable
def child(x):
    return x


@traceable
def parent(x):
    t = threading.Thread(target=child, args=(x,))
    t.start()
    t.join()
`,
      errors: ["thread"],
      output: `import threading
from langsmith import traceable
import functools
import contextvars


@traceable
def child(x):
    return x


@traceable
def parent(x):
    t = threading.Thread(target=functools.partial(contextvars.copy_context().run, child), args=(x,))
    t.start()
    t.join()
`,
    },
    {
      name: "threading.Thread not joined: suggestion",
      code: `import threading
from langsmith import traceable


@traceable
def child(x):
    return x


@traceable
def parent(x):
    threading.Thread(target=lambda: child(x)).start()
`,
      errors: ["thread"],
      suggestion: `import threading
from langsmith import traceable
import functools
import contextvars


@traceable
def child(x):
    return x


@traceable
def parent(x):
    threading.Thread(target=functools.partial(contextvars.copy_context().run, lambda: child(x))).start()
`,
    },
    {
      name: "awaited run_in_executor(None, ...) becomes asyncio.to_thread",
      code: `import asyncio
from langsmith import traceable


@traceable
def child(x):
    return x


@traceable
async def parent(x):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, child, x)
`,
      errors: ["executor"],
      output: `import asyncio
from langsmith import traceable


@traceable
def child(x):
    return x


@traceable
async def parent(x):
    loop = asyncio.get_running_loop()
    return await asyncio.to_thread(child, x)
`,
    },
    {
      name: "run_in_executor with an executor: copy_context().run",
      code: `import asyncio
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from langsmith import traceable

POOL = ThreadPoolExecutor()


@traceable
def child(x):
    return x


@traceable
async def parent(x):
    fut = asyncio.get_running_loop().run_in_executor(POOL, child, x)
    return await fut
`,
      errors: ["executor"],
      output: `import asyncio
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from langsmith import traceable

POOL = ThreadPoolExecutor()


@traceable
def child(x):
    return x


@traceable
async def parent(x):
    fut = asyncio.get_running_loop().run_in_executor(POOL, copy_context().run, child, x)
    return await fut
`,
    },
  ],
});
