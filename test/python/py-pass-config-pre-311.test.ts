import { describeRule } from "./helpers.js";

const GRAPH = `from langgraph.graph import StateGraph
from langchain_openai import ChatOpenAI

model = ChatOpenAI()
`;

describeRule("py-pass-config-pre-311", {
  valid: [
    { name: "Python 3.11: everything nests", settings: { python: "3.11" }, code: `${GRAPH}

async def node(state):
    return {"out": await model.ainvoke(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
` },
    { name: "version from pyproject requires-python >=3.11", settings: { python: undefined }, pyproject: '[project]\nrequires-python = ">=3.11"\n', code: `${GRAPH}

async def node(state):
    return {"out": await model.ainvoke(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
` },
    { name: "config passed", code: `${GRAPH}
from langchain_core.runnables import RunnableConfig


async def node(state, config: RunnableConfig):
    return {"out": await model.ainvoke(state["q"], config)}


builder = StateGraph(dict)
builder.add_node(node)
` },
    { name: "config passed by keyword", code: `${GRAPH}

async def node(state, config):
    return {"out": await model.ainvoke(state["q"], config=config)}


builder = StateGraph(dict)
builder.add_node("node", node)
` },
    { name: "plain langsmith async code outside LangGraph nests on < 3.11", code: `import asyncio
from langsmith import traceable


@traceable
async def child(x):
    return x


@traceable
async def parent(x):
    return await asyncio.gather(child(x), child(x))
` },
    { name: "LangChain chain outside LangGraph nests on < 3.11", code: `from langchain_core.runnables import RunnableLambda
from langchain_openai import ChatOpenAI

model = ChatOpenAI()


async def step(x):
    return await model.ainvoke(x)


chain = RunnableLambda(step)
` },
    { name: "a .stream() on an HTTP client is no runnable", code: `${GRAPH}
import httpx


async def node(state):
    async with httpx.AsyncClient() as client:
        async with client.stream("GET", "http://localhost:8000/x") as response:
            return {"out": await response.aread()}


builder = StateGraph(dict)
builder.add_node("node", node)
` },
    { name: "sync node (sync graph.invoke nests)", code: `${GRAPH}

def node(state):
    return {"out": model.invoke(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
` },
    { name: "traceable that declares config receives it", code: `${GRAPH}
from langsmith import traceable


@traceable
async def helper(q, config=None):
    return q


async def node(state, config):
    return {"out": await helper(state["q"], config=config)}


builder = StateGraph(dict)
builder.add_node("node", node)
` },
    { name: "sync node of a graph run with sync invoke", code: `${GRAPH}

def node(state):
    return {"out": model.invoke(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
graph = builder.compile()
graph.invoke({"q": "x"})
` },
    { name: "sync node of a graph whose runs this file does not show", code: `${GRAPH}

def node(state):
    return {"out": model.invoke(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
graph = builder.compile()
` },
    { name: "sync node; another graph is run with ainvoke", code: `${GRAPH}

def node(state):
    return {"out": model.invoke(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
graph = builder.compile()
other = StateGraph(dict).compile()


async def main():
    graph.invoke({"q": "x"})
    await other.ainvoke({"q": "x"})
` },
  ],
  invalid: [
    {
      name: "sync node of a graph run with ainvoke (through compile().with_config())",
      code: `${GRAPH}

def node(state):
    return {"out": model.invoke(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
graph = builder.compile().with_config(run_name="g")


async def main():
    return await graph.ainvoke({"q": "x"})
`,
      errors: ["runnable"],
      output: `${GRAPH}

def node(state, config):
    return {"out": model.invoke(state["q"], config)}


builder = StateGraph(dict)
builder.add_node("node", node)
graph = builder.compile().with_config(run_name="g")


async def main():
    return await graph.ainvoke({"q": "x"})
`,
    },
    {
      name: "sync node of a graph streamed with astream",
      code: `${GRAPH}

def node(state):
    return {"out": model.invoke(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
app = builder.compile()


async def main():
    async for chunk in app.astream({"q": "x"}):
        print(chunk)
`,
      errors: ["runnable"],
      output: `${GRAPH}

def node(state, config):
    return {"out": model.invoke(state["q"], config)}


builder = StateGraph(dict)
builder.add_node("node", node)
app = builder.compile()


async def main():
    async for chunk in app.astream({"q": "x"}):
        print(chunk)
`,
    },
    {
      name: "async node registered with add_node calls ainvoke without config",
      code: `${GRAPH}

async def node(state):
    return {"out": await model.ainvoke(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
`,
      errors: ["runnable"],
      output: `${GRAPH}

async def node(state, config):
    return {"out": await model.ainvoke(state["q"], config)}


builder = StateGraph(dict)
builder.add_node("node", node)
`,
    },
    {
      name: "annotated node: RunnableConfig imported; gather of two calls",
      code: `import asyncio
from langgraph.graph import StateGraph
from langchain_openai import ChatOpenAI

model = ChatOpenAI()


async def node(state: dict) -> dict:
    a, b = await asyncio.gather(model.ainvoke(state["q"]), model.ainvoke(state["r"]))
    return {"out": [a, b]}


builder = StateGraph(dict)
builder.add_node("node", node)
`,
      errors: ["runnable", "runnable"],
      output: `import asyncio
from langgraph.graph import StateGraph
from langchain_openai import ChatOpenAI
from langchain_core.runnables import RunnableConfig

model = ChatOpenAI()


async def node(state: dict, config: RunnableConfig) -> dict:
    a, b = await asyncio.gather(model.ainvoke(state["q"], config), model.ainvoke(state["r"], config))
    return {"out": [a, b]}


builder = StateGraph(dict)
builder.add_node("node", node)
`,
    },
    {
      name: "node registered in another file",
      files: {
        "graph.py": `from langgraph.graph import StateGraph
from nodes import answer

builder = StateGraph(dict)
builder.add_node("answer", answer)
`,
      },
      filename: "nodes.py",
      code: `from langchain_openai import ChatOpenAI
from langchain_core.runnables import RunnableConfig

model = ChatOpenAI()


async def answer(state):
    return {"out": await model.ainvoke(state["q"])}
`,
      errors: ["runnable"],
      output: `from langchain_openai import ChatOpenAI
from langchain_core.runnables import RunnableConfig

model = ChatOpenAI()


async def answer(state, config):
    return {"out": await model.ainvoke(state["q"], config)}
`,
    },
    {
      name: "version read from pyproject requires-python",
      settings: { python: undefined },
      pyproject: '[project]\nrequires-python = ">=3.10,<4"\n',
      message: /\(Python 3\.10: pyproject\.toml requires-python ">=3\.10,<4"\.\)$/,
      code: `${GRAPH}

async def node(state, config):
    return {"out": await model.ainvoke(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
`,
      errors: ["runnable"],
      output: `${GRAPH}

async def node(state, config):
    return {"out": await model.ainvoke(state["q"], config)}


builder = StateGraph(dict)
builder.add_node("node", node)
`,
    },
    {
      name: "traceable declaring config gets config=config",
      code: `${GRAPH}
from langsmith import traceable


@traceable
async def helper(q, config=None):
    return q


async def node(state, config):
    return {"out": await helper(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
`,
      errors: ["traceable"],
      output: `${GRAPH}
from langsmith import traceable


@traceable
async def helper(q, config=None):
    return q


async def node(state, config):
    return {"out": await helper(state["q"], config=config)}


builder = StateGraph(dict)
builder.add_node("node", node)
`,
    },
    {
      name: "traceable without config: suggestion",
      code: `${GRAPH}
from langsmith import traceable


@traceable
async def helper(q):
    return q


async def node(state, config):
    return {"out": await helper(state["q"])}


builder = StateGraph(dict)
builder.add_node("node", node)
`,
      errors: ["traceable"],
      suggestion: `${GRAPH}
from langsmith import traceable


@traceable
async def helper(q, config=None):
    return q


async def node(state, config):
    return {"out": await helper(state["q"], config=config)}


builder = StateGraph(dict)
builder.add_node("node", node)
`,
    },
    {
      name: "@task: suggestion",
      code: `from langgraph.func import task
from langchain_openai import ChatOpenAI

model = ChatOpenAI()


@task
async def step(q):
    return await model.ainvoke(q)
`,
      errors: ["runnable"],
      suggestion: `from langgraph.func import task
from langchain_openai import ChatOpenAI

model = ChatOpenAI()


@task
async def step(q, config):
    return await model.ainvoke(q, config)
`,
    },
  ],
});
