/**
 * The three rules on the indirect forms real code uses: callbacks, tasks and configs held in variables, object
 * properties and array elements, handed over by in-file helpers (one and two levels deep, wrapped in object literals
 * or closures), kept in module-level variables and class fields, traced scopes built by factories whose parameter is
 * the child, thenables and emitters handed out by in-file functions; and the NESTED look-alikes of each.
 */
import { describeIdempotency, rule, tester } from "./helpers.js";

const bindDetachedCallbackInvalid = [
    {
      name: "listener held in a local variable",
      settings: {"trace-nesting":{"runtime":"node"}},
      code: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  const onTick = async () => {\n    await child(\"tick\");\n  };\n  bus.once(\"tick\", onTick);\n});\n",
      errors: [{"messageId":"listener","line":10,"column":20}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  const onTick = async () => {\n    await child(\"tick\");\n  };\n  bus.once(\"tick\", AsyncLocalStorage.bind(onTick));\n});\n",
    },
    {
      name: "listener held in an object property",
      settings: {"trace-nesting":{"runtime":"node"}},
      code: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  const handlers = { onTick: async () => child(\"tick\") };\n  bus.once(\"tick\", handlers.onTick);\n});\n",
      errors: [{"messageId":"listener","line":8,"column":20}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  const handlers = { onTick: async () => child(\"tick\") };\n  bus.once(\"tick\", AsyncLocalStorage.bind(handlers.onTick));\n});\n",
    },
    {
      name: "listener held in an array element",
      settings: {"trace-nesting":{"runtime":"node"}},
      code: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  const handlers = [async () => child(\"tick\")];\n  bus.once(\"tick\", handlers[0]);\n});\n",
      errors: [{"messageId":"listener","line":8,"column":20}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  const handlers = [async () => child(\"tick\")];\n  bus.once(\"tick\", AsyncLocalStorage.bind(handlers[0]));\n});\n",
    },
    {
      name: "listener registered by a one-level helper",
      settings: {"trace-nesting":{"runtime":"node"}},
      code: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nfunction subscribe(listener: () => Promise<unknown>) {\n  bus.once(\"tick\", listener);\n}\n\nexport const parent = traceable(async () => {\n  subscribe(async () => child(\"tick\"));\n});\n",
      errors: [{"messageId":"listener","line":11,"column":13}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nfunction subscribe(listener: () => Promise<unknown>) {\n  bus.once(\"tick\", listener);\n}\n\nexport const parent = traceable(async () => {\n  subscribe(AsyncLocalStorage.bind(async () => child(\"tick\")));\n});\n",
    },
    {
      name: "callback stored by a two-level helper inside an object literal",
      settings: {"trace-nesting":{"runtime":"node"}},
      code: "import { traceable } from \"langsmith/traceable\";\n\nconst pending: { run: () => unknown }[] = [];\nsetInterval(() => {\n  for (const entry of pending.splice(0)) entry.run();\n}, 5);\n\nfunction register(entry: { run: () => unknown }) {\n  pending.push(entry);\n}\nfunction schedule(run: () => unknown) {\n  register({ run });\n}\n\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  schedule(() => child(\"later\"));\n});\n",
      errors: [{"messageId":"stored","line":17,"column":12}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst pending: { run: () => unknown }[] = [];\nsetInterval(() => {\n  for (const entry of pending.splice(0)) entry.run();\n}, 5);\n\nfunction register(entry: { run: () => unknown }) {\n  pending.push(entry);\n}\nfunction schedule(run: () => unknown) {\n  register({ run });\n}\n\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  schedule(AsyncLocalStorage.bind(() => child(\"later\")));\n});\n",
    },
    {
      name: "closure assigned to a module-level variable a timer calls",
      settings: {"trace-nesting":{"runtime":"node"}},
      code: "import { traceable } from \"langsmith/traceable\";\n\nlet next: (() => unknown) | undefined;\nsetInterval(() => next?.(), 5);\n\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  next = () => child(\"later\");\n});\n",
      errors: [{"messageId":"assigned","line":8,"column":10}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nlet next: (() => unknown) | undefined;\nsetInterval(() => next?.(), 5);\n\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  next = AsyncLocalStorage.bind(() => child(\"later\"));\n});\n",
    },
    {
      name: "closure assigned to a class field a timer calls",
      settings: {"trace-nesting":{"runtime":"node"}},
      code: "import { traceable } from \"langsmith/traceable\";\n\nclass Pump {\n  callback?: () => unknown;\n  constructor() {\n    setInterval(() => this.callback?.(), 5);\n  }\n}\nconst pump = new Pump();\n\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  pump.callback = () => child(\"later\");\n});\n",
      errors: [{"messageId":"assigned","line":13,"column":19}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nclass Pump {\n  callback?: () => unknown;\n  constructor() {\n    setInterval(() => this.callback?.(), 5);\n  }\n}\nconst pump = new Pump();\n\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  pump.callback = AsyncLocalStorage.bind(() => child(\"later\"));\n});\n",
    },
    {
      name: "then on a thenable from an in-file function that keeps the callback",
      settings: {"trace-nesting":{"runtime":"node"}},
      code: "import { traceable } from \"langsmith/traceable\";\n\nconst waiters: ((value: number) => void)[] = [];\nsetInterval(() => {\n  for (const waiter of waiters.splice(0)) waiter(1);\n}, 5);\nfunction ready() {\n  return { then(resolve: (value: number) => void) { waiters.push(resolve); } };\n}\n\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  ready().then(() => child(\"ready\"));\n});\n",
      errors: [{"messageId":"thenable","line":13,"column":16}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst waiters: ((value: number) => void)[] = [];\nsetInterval(() => {\n  for (const waiter of waiters.splice(0)) waiter(1);\n}, 5);\nfunction ready() {\n  return { then(resolve: (value: number) => void) { waiters.push(resolve); } };\n}\n\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  ready().then(AsyncLocalStorage.bind(() => child(\"ready\")));\n});\n",
    },
    {
      name: "task handed to a hand-written queue through enqueue",
      settings: {"trace-nesting":{"runtime":"node"}},
      code: "import { traceable } from \"langsmith/traceable\";\n\nconst queue: (() => Promise<unknown>)[] = [];\nlet draining = false;\nasync function drain() {\n  draining = true;\n  while (queue.length > 0) await queue.shift()!();\n  draining = false;\n}\nfunction enqueue(task: () => Promise<unknown>) {\n  queue.push(task);\n  if (!draining) void drain();\n}\n\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  enqueue(() => child(\"queued\"));\n});\n",
      errors: [{"messageId":"stored","line":17,"column":11}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst queue: (() => Promise<unknown>)[] = [];\nlet draining = false;\nasync function drain() {\n  draining = true;\n  while (queue.length > 0) await queue.shift()!();\n  draining = false;\n}\nfunction enqueue(task: () => Promise<unknown>) {\n  queue.push(task);\n  if (!draining) void drain();\n}\n\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  enqueue(AsyncLocalStorage.bind(() => child(\"queued\")));\n});\n",
    },
    {
      name: "traced scope built by a factory whose parameter is the child",
      settings: {"trace-nesting":{"runtime":"node"}},
      code: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nconst makeStep = (name: string, step: (x: string) => Promise<string>) =>\n  traceable(async () => {\n    bus.once(\"tick\", async () => step(name));\n  }, { name });\n\nexport const parent = makeStep(\"parent\", child);\n",
      errors: [{"messageId":"listener","line":8,"column":22}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nconst makeStep = (name: string, step: (x: string) => Promise<string>) =>\n  traceable(async () => {\n    bus.once(\"tick\", AsyncLocalStorage.bind(async () => step(name)));\n  }, { name });\n\nexport const parent = makeStep(\"parent\", child);\n",
    },
    {
      name: "emitter returned by an in-file function that hands out a shared one",
      settings: {"trace-nesting":{"runtime":"node"}},
      code: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nfunction events() {\n  return bus;\n}\n\nexport const parent = traceable(async () => {\n  events().once(\"tick\", async () => child(\"tick\"));\n});\n",
      errors: [{"messageId":"listener","line":11,"column":25}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nfunction events() {\n  return bus;\n}\n\nexport const parent = traceable(async () => {\n  events().once(\"tick\", AsyncLocalStorage.bind(async () => child(\"tick\")));\n});\n",
    },
];

tester().run("bind-detached-callback (indirect forms)", rule("bind-detached-callback"), {
  valid: [
    { name: "response object of http.get called inside the scope", settings: {"trace-nesting":{"runtime":"node"}}, code: "import { traceable } from \"langsmith/traceable\";\nimport http from \"node:http\";\n\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(\n  async (url: string) =>\n    new Promise((resolve) => {\n      http.get(url, (res) => {\n        res.on(\"data\", async (chunk) => child(String(chunk)));\n        res.on(\"end\", resolve);\n      });\n    }),\n);\n" },
    { name: "helper registers on an emitter the scope creates and emits", settings: {"trace-nesting":{"runtime":"node"}}, code: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nfunction subscribe(events: EventEmitter, listener: () => Promise<unknown>) {\n  events.once(\"tick\", listener);\n}\n\nexport const parent = traceable(async () => {\n  const local = new EventEmitter();\n  subscribe(local, async () => child(\"tick\"));\n  local.emit(\"tick\");\n});\n" },
    { name: "emitter made fresh by an in-file factory", settings: {"trace-nesting":{"runtime":"node"}}, code: "import { traceable } from \"langsmith/traceable\";\nimport { EventEmitter } from \"node:events\";\n\nconst bus = new EventEmitter();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nfunction makeEvents() {\n  return new EventEmitter();\n}\n\nexport const parent = traceable(async () => {\n  const events = makeEvents();\n  events.once(\"tick\", async () => child(\"tick\"));\n  events.emit(\"tick\");\n});\n" },
    { name: "closure assigned to a module-level variable and called inside the same scope", settings: {"trace-nesting":{"runtime":"node"}}, code: "import { traceable } from \"langsmith/traceable\";\n\nlet next: (() => unknown) | undefined;\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  next = () => child(\"now\");\n  await next();\n});\n" },
    { name: "helper pushes into an array the scope owns", settings: {"trace-nesting":{"runtime":"node"}}, code: "import { traceable } from \"langsmith/traceable\";\n\nfunction collect(list: (() => unknown)[], task: () => unknown) {\n  list.push(task);\n}\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  const tasks: (() => unknown)[] = [];\n  collect(tasks, () => child(\"now\"));\n  await Promise.all(tasks.map((task) => task()));\n});\n" },
    { name: "helper binds the callback before storing it", settings: {"trace-nesting":{"runtime":"node"}}, code: "import { AsyncLocalStorage } from \"node:async_hooks\";\nimport { traceable } from \"langsmith/traceable\";\n\nconst pending: (() => unknown)[] = [];\nsetInterval(() => pending.splice(0).forEach((task) => task()), 5);\nfunction later(task: () => unknown) {\n  pending.push(AsyncLocalStorage.bind(task));\n}\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  later(() => child(\"later\"));\n});\n" },
    { name: "thenable whose then calls the callback at once", settings: {"trace-nesting":{"runtime":"node"}}, code: "import { traceable } from \"langsmith/traceable\";\n\nfunction now() {\n  return { then(resolve: (value: number) => unknown) { return resolve(1); } };\n}\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  now().then(() => child(\"now\"));\n});\n" },
  ],
  invalid: bindDetachedCallbackInvalid,
});

describeIdempotency("bind-detached-callback", bindDetachedCallbackInvalid, {});

const bindQueuedTaskInvalid = [
    {
      name: "task held in a local variable",
      settings: {"trace-nesting":{"versions":{"p-limit":"4.0.0"}}},
      code: "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\n\nconst limit = pLimit(1);\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  const task = () => child(\"a\");\n  return limit(task);\n});\n",
      errors: [{"messageId":"queued","line":8,"column":16}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst limit = pLimit(1);\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => {\n  const task = () => child(\"a\");\n  return limit(AsyncLocalStorage.bind(task));\n});\n",
    },
    {
      name: "task submitted by a one-level helper",
      settings: {"trace-nesting":{"versions":{"p-limit":"4.0.0"}}},
      code: "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\n\nconst limit = pLimit(1);\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nfunction throttled<T>(task: () => Promise<T>) {\n  return limit(task);\n}\n\nexport const parent = traceable(async () => throttled(() => child(\"a\")));\n",
      errors: [{"messageId":"queued","line":7,"column":16}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst limit = pLimit(1);\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nfunction throttled<T>(task: () => Promise<T>) {\n  return limit(AsyncLocalStorage.bind(task));\n}\n\nexport const parent = traceable(async () => throttled(() => child(\"a\")));\n",
    },
    {
      name: "task submitted by a two-level helper wrapping it in a closure",
      settings: {"trace-nesting":{"versions":{"p-limit":"4.0.0"}}},
      code: "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\n\nconst limit = pLimit(1);\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nfunction throttled<T>(task: () => Promise<T>) {\n  return limit(() => task());\n}\nfunction run<T>(task: () => Promise<T>) {\n  return throttled(task);\n}\n\nexport const parent = traceable(async () => run(() => child(\"a\")));\n",
      errors: [{"messageId":"queued","line":7,"column":16}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst limit = pLimit(1);\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nfunction throttled<T>(task: () => Promise<T>) {\n  return limit(AsyncLocalStorage.bind(() => task()));\n}\nfunction run<T>(task: () => Promise<T>) {\n  return throttled(task);\n}\n\nexport const parent = traceable(async () => run(() => child(\"a\")));\n",
    },
    {
      name: "queue kept in a class field",
      settings: {"trace-nesting":{"versions":{"p-queue":"8.1.1"}}},
      code: "import { traceable } from \"langsmith/traceable\";\nimport PQueue from \"p-queue\";\n\nclass Service {\n  queue = new PQueue({ concurrency: 1 });\n}\nconst service = new Service();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => service.queue.add(() => child(\"a\")));\n",
      errors: [{"messageId":"queued","line":9,"column":63}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport PQueue from \"p-queue\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nclass Service {\n  queue = new PQueue({ concurrency: 1 });\n}\nconst service = new Service();\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => service.queue.add(AsyncLocalStorage.bind(() => child(\"a\"))));\n",
    },
    {
      name: "limiter held in a module-level variable assigned later",
      settings: {"trace-nesting":{"versions":{"p-limit":"4.0.0"}}},
      code: "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\n\nlet limit: ReturnType<typeof pLimit>;\nexport function init() {\n  limit = pLimit(1);\n}\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => limit(() => child(\"a\")));\n",
      errors: [{"messageId":"queued","line":9,"column":51}],
      output: "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nlet limit: ReturnType<typeof pLimit>;\nexport function init() {\n  limit = pLimit(1);\n}\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => limit(AsyncLocalStorage.bind(() => child(\"a\"))));\n",
    },
    {"name": "limiter per key, cached in a module-level object with ??= and read back by the same key", "settings": {"trace-nesting": {"versions": {"p-limit": "4.0.0"}}}, "code": "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\n\nconst limits: Record<string, ReturnType<typeof pLimit>> = {};\nfunction limitFor(host: string) {\n  limits[host] ??= pLimit(1);\n  return limits[host];\n}\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async (host: string, paths: string[]) => {\n  const limit = limitFor(host);\n  return Promise.all(paths.filter(Boolean).map((p) => limit(() => child(p))));\n});\n", "errors": [{"messageId": "queued", "line": 12, "column": 61}], "output": "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst limits: Record<string, ReturnType<typeof pLimit>> = {};\nfunction limitFor(host: string) {\n  limits[host] ??= pLimit(1);\n  return limits[host];\n}\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async (host: string, paths: string[]) => {\n  const limit = limitFor(host);\n  return Promise.all(paths.filter(Boolean).map((p) => limit(AsyncLocalStorage.bind(() => child(p)))));\n});\n"},
    {"name": "limiter per key, written into a module-level object by key when missing", "settings": {"trace-nesting": {"versions": {"p-limit": "4.0.0"}}}, "code": "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\n\nconst limits: { [tenant: string]: ReturnType<typeof pLimit> } = { default: pLimit(1) };\nfunction limitFor(tenant: string) {\n  if (!(tenant in limits)) limits[tenant] = pLimit(1);\n  return limits[tenant];\n}\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async (tenant: string) => limitFor(tenant)(() => child(tenant)));\n", "errors": [{"messageId": "queued", "line": 10, "column": 76}], "output": "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\nimport { AsyncLocalStorage } from \"node:async_hooks\";\n\nconst limits: { [tenant: string]: ReturnType<typeof pLimit> } = { default: pLimit(1) };\nfunction limitFor(tenant: string) {\n  if (!(tenant in limits)) limits[tenant] = pLimit(1);\n  return limits[tenant];\n}\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async (tenant: string) => limitFor(tenant)(AsyncLocalStorage.bind(() => child(tenant))));\n"},
];

tester().run("bind-queued-task (indirect forms)", rule("bind-queued-task"), {
  valid: [
    { name: "helper that makes its own limiter per call", settings: {"trace-nesting":{"versions":{"p-limit":"4.0.0"}}}, code: "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\n\nfunction throttled<T>(task: () => Promise<T>) {\n  const limit = pLimit(1);\n  return limit(task);\n}\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async () => throttled(() => child(\"a\")));\n" },
    { name: "limiters per key in an object each call makes for itself", settings: {"trace-nesting":{"versions":{"p-limit":"4.0.0"}}}, code: "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async (stages: string[]) => {\n  const limits: Record<string, ReturnType<typeof pLimit>> = {};\n  for (const stage of stages) limits[stage] ??= pLimit(1);\n  return Promise.all(stages.map((stage) => limits[stage](() => child(stage))));\n});\n" },
    { name: "limiters per key in a module-level object, p-limit 5", settings: {"trace-nesting":{"versions":{"p-limit":"5.0.0"}}}, code: "import { traceable } from \"langsmith/traceable\";\nimport pLimit from \"p-limit\";\nconst limits: Record<string, ReturnType<typeof pLimit>> = {};\nconst child = traceable(async (x: string) => x, { name: \"child\" });\nexport const parent = traceable(async (host: string) => {\n  limits[host] ??= pLimit(1);\n  return limits[host](() => child(host));\n});\n" },
  ],
  invalid: bindQueuedTaskInvalid,
});

describeIdempotency("bind-queued-task", bindQueuedTaskInvalid, {});

const passRunnableConfigInvalid = [
    {
      name: "config literal held in a local variable",
      settings: {"trace-nesting":{"runtime":"browser"}},
      code: "import { RunnableLambda } from \"@langchain/core/runnables\";\nimport { tool } from \"@langchain/core/tools\";\n\nconst lookup = tool(async (q: string) => q, { name: \"lookup\" });\nexport const answer = RunnableLambda.from(async (q: string, config) => {\n  const options = { tags: [\"lookup\"] };\n  return lookup.invoke(q, options);\n});\n",
      errors: [{"messageId":"freshConfig","line":7,"column":10}],
      output: "import { RunnableLambda } from \"@langchain/core/runnables\";\nimport { tool } from \"@langchain/core/tools\";\n\nconst lookup = tool(async (q: string) => q, { name: \"lookup\" });\nexport const answer = RunnableLambda.from(async (q: string, config) => {\n  const options = { ...config, tags: [\"lookup\"] };\n  return lookup.invoke(q, options);\n});\n",
    },
    {
      name: "child runnable is a factory parameter",
      settings: {"trace-nesting":{"runtime":"browser"}},
      code: "import { RunnableLambda, type Runnable } from \"@langchain/core/runnables\";\n\nconst retrieve = RunnableLambda.from(async (q: string) => [q]);\nconst makeStep = (child: Runnable<string, string[]>) => RunnableLambda.from(async (q: string) => child.invoke(q));\nexport const step = makeStep(retrieve);\n",
      errors: [{"messageId":"missingConfig","line":4,"column":98}],
      output: "import { RunnableLambda, type Runnable } from \"@langchain/core/runnables\";\n\nconst retrieve = RunnableLambda.from(async (q: string) => [q]);\nconst makeStep = (child: Runnable<string, string[]>) => RunnableLambda.from(async (q: string, config) => child.invoke(q, config));\nexport const step = makeStep(retrieve);\n",
    },
    {
      name: "graph node kept in its own function typed with RunnableConfig",
      settings: {"trace-nesting":{"runtime":"browser"}},
      code: "import type { RunnableConfig } from \"@langchain/core/runnables\";\nimport { model } from \"./model\";\n\nexport async function summarize(state: { text: string }, config: RunnableConfig) {\n  return { summary: await model.invoke(state.text) };\n}\n",
      errors: [{"messageId":"missingConfig","line":5,"column":27}],
      output: "import type { RunnableConfig } from \"@langchain/core/runnables\";\nimport { model } from \"./model\";\n\nexport async function summarize(state: { text: string }, config: RunnableConfig) {\n  return { summary: await model.invoke(state.text, config) };\n}\n",
    },
];

tester().run("pass-runnable-config (indirect forms)", rule("pass-runnable-config"), {
  valid: [

  ],
  invalid: passRunnableConfigInvalid,
});

describeIdempotency("pass-runnable-config", passRunnableConfigInvalid, {});

