import { describeRule } from "./helpers.js";

const HEAD = `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable, get_current_run_tree
from langsmith.utils import ContextThreadPoolExecutor


@traceable
def child(x):
    return x
`;

describeRule("py-ineffective-parent-handoff", {
  valid: [
    { name: "run tree captured in the parent", code: `${HEAD}

@traceable
def parent(x):
    rt = get_current_run_tree()
    with ThreadPoolExecutor() as ex:
        return ex.submit(lambda: child(x, langsmith_extra={"parent": rt})).result()
` },
    { name: "copy_context() per submit", code: `${HEAD}
from contextvars import copy_context


@traceable
def parent(xs):
    with ThreadPoolExecutor() as ex:
        return [ex.submit(copy_context().run, child, x) for x in xs]
` },
    { name: "ContextThreadPoolExecutor.map over a list", code: `${HEAD}

@traceable
def parent(xs):
    items = [x for x in xs]
    with ContextThreadPoolExecutor() as ex:
        return list(ex.map(child, items))
` },
    { name: "config= to a traceable that declares config", code: `${HEAD}

@traceable
def helper(x, config=None):
    return x


@traceable
def parent(x, config):
    return helper(x, config=config)
` },
    { name: "joined thread inside a root traceable", code: `${HEAD}
import threading


@traceable
def parent(x):
    t = threading.Thread(target=child, args=(x,))
    t.start()
    t.join()
` },
    { name: "awaited task", code: `${HEAD}
import asyncio


@traceable
async def achild(x):
    return x


@traceable
async def parent(x):
    task = asyncio.create_task(achild(x))
    return await task
` },
    { name: "thread with an explicit parent", code: `${HEAD}
import threading


@traceable
def parent(x):
    rt = get_current_run_tree()
    threading.Thread(target=lambda: child(x, langsmith_extra={"parent": rt})).start()
` },
    { name: "task created and awaited in one statement", code: `${HEAD}
import asyncio


@traceable
async def achild(x):
    return x


@traceable
async def parent(x):
    d = await asyncio.create_task(achild(x))
    return [d]
` },
    { name: "copy_context().run thread that is joined", code: `${HEAD}
import contextvars
import threading


@traceable
def parent(x):
    t = threading.Thread(target=contextvars.copy_context().run, args=(child, x))
    t.start()
    t.join()
` },
    { name: "submit with config= to a traceable that declares config", code: `${HEAD}

@traceable
def helper(x, config=None):
    return x


def node(state, config):
    with ThreadPoolExecutor() as ex:
        return ex.submit(helper, state, config=config).result()
` },
  ],
  invalid: [
    {
      name: "config= through pool.submit to a traceable without a config parameter",
      code: `${HEAD}

def node(state, config):
    with ThreadPoolExecutor() as ex:
        return ex.submit(child, state, config=config).result()
`,
      errors: ["configNotDeclared"],
      suggestion: `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable, get_current_run_tree
from langsmith.utils import ContextThreadPoolExecutor


@traceable
def child(x, config=None):
    return x


def node(state, config):
    with ThreadPoolExecutor() as ex:
        return ex.submit(child, state, config=config).result()
`,
    },
    {
      name: "copy_context().run thread outliving a root traceable",
      code: `${HEAD}
import contextvars
import threading


def later(x):
    child(x)


@traceable
def parent(x):
    t = threading.Thread(target=contextvars.copy_context().run, args=(later, x))
    t.start()
    return "accepted"
`,
      errors: ["outlivesRoot"],
    },
    {
      name: "partial(copy_context().run, f) thread outliving a root traceable",
      code: `${HEAD}
import contextvars
import functools
import threading


@traceable
def parent(x):
    threading.Thread(target=functools.partial(contextvars.copy_context().run, child, x)).start()
    return "accepted"
`,
      errors: ["outlivesRoot"],
    },
    {
      name: "worker calls get_current_run_tree() itself",
      code: `${HEAD}

@traceable
def parent(x):
    with ThreadPoolExecutor() as ex:
        return ex.submit(lambda: child(x, langsmith_extra={"parent": get_current_run_tree()})).result()
`,
      errors: ["runTreeInWorker"],
    },
    {
      name: "worker function defined elsewhere reads the run tree",
      code: `${HEAD}


def work(x):
    return child(x, langsmith_extra={"parent": get_current_run_tree()})


@traceable
def parent(x):
    with ContextThreadPoolExecutor() as ex:
        return ex.submit(work, x).result()
`,
      errors: ["runTreeInWorker"],
    },
    {
      name: "one copy_context() shared by several submits",
      code: `${HEAD}
import contextvars


@traceable
def parent(xs):
    ctx = contextvars.copy_context()
    with ThreadPoolExecutor() as ex:
        return [ex.submit(ctx.run, child, x) for x in xs]
`,
      errors: ["sharedContext"],
    },
    {
      name: "ContextThreadPoolExecutor.map over a generator",
      code: `${HEAD}

@traceable
def parent(xs):
    with ContextThreadPoolExecutor() as ex:
        return list(ex.map(child, (x * 2 for x in xs)))
`,
      errors: ["mapGenerator"],
      output: `${HEAD}

@traceable
def parent(xs):
    with ContextThreadPoolExecutor() as ex:
        return list(ex.map(child, list(x * 2 for x in xs)))
`,
    },
    {
      name: "ContextThreadPoolExecutor.map over map()",
      code: `${HEAD}

@traceable
def parent(xs):
    with ContextThreadPoolExecutor() as ex:
        return list(ex.map(child, map(str, xs)))
`,
      errors: ["mapGenerator"],
      output: `${HEAD}

@traceable
def parent(xs):
    with ContextThreadPoolExecutor() as ex:
        return list(ex.map(child, list(map(str, xs))))
`,
    },
    {
      name: "langsmith_extra with a config key",
      code: `${HEAD}

def node(state, config):
    return child(state, langsmith_extra={"config": config})
`,
      errors: ["extraConfig"],
    },
    {
      name: "config= to a traceable without a config parameter",
      code: `${HEAD}

def node(state, config):
    return child(state, config=config)
`,
      errors: ["configNotDeclared"],
      suggestion: `from concurrent.futures import ThreadPoolExecutor
from langsmith import traceable, get_current_run_tree
from langsmith.utils import ContextThreadPoolExecutor


@traceable
def child(x, config=None):
    return x


def node(state, config):
    return child(state, config=config)
`,
    },
    {
      name: "thread outliving a root traceable",
      code: `${HEAD}
import threading


@traceable
def parent(x):
    threading.Thread(target=child, args=(x,)).start()
    return "started"
`,
      errors: ["outlivesRoot"],
    },
    {
      name: "fire-and-forget task in a root traceable",
      code: `${HEAD}
import asyncio


@traceable
async def achild(x):
    return x


@traceable
async def parent(x):
    asyncio.create_task(achild(x))
    return "started"
`,
      errors: ["outlivesRoot"],
    },
  ],
});
