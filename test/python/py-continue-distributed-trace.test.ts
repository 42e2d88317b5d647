import { describeRule } from "./helpers.js";

describeRule("py-continue-distributed-trace", {
  valid: [
    { name: "FastAPI with TracingMiddleware", code: `from fastapi import FastAPI
from langsmith import traceable
from langsmith.middleware import TracingMiddleware

app = FastAPI()
app.add_middleware(TracingMiddleware)


@traceable
def answer(q):
    return q


@app.post("/ask")
async def ask(q: str):
    return answer(q)
` },
    { name: "FastAPI handlers that do no traced work", code: `from fastapi import FastAPI
from langsmith import traceable

app = FastAPI()


@app.get("/health")
def health():
    return {"ok": True}
` },
    { name: "Flask handler with tracing_context(parent=request.headers)", code: `from flask import Flask, request
from langsmith import traceable, tracing_context

app = Flask(__name__)


@traceable
def answer(q):
    return q


@app.route("/ask", methods=["POST"])
def ask():
    with tracing_context(parent=request.headers):
        return answer(request.json["q"])
` },
  ],
  invalid: [
    {
      name: "FastAPI app without middleware",
      code: `from fastapi import FastAPI
from langsmith import traceable

app = FastAPI(title="qa")


@traceable
def answer(q):
    return q


@app.post("/ask")
async def ask(q: str):
    return answer(q)
`,
      errors: ["middleware"],
      output: `from fastapi import FastAPI
from langsmith import traceable
from langsmith.middleware import TracingMiddleware

app = FastAPI(title="qa")
app.add_middleware(TracingMiddleware)


@traceable
def answer(q):
    return q


@app.post("/ask")
async def ask(q: str):
    return answer(q)
`,
    },
    {
      name: "router included into the app; handler calls a chain",
      code: `from fastapi import APIRouter, FastAPI
from langchain_core.runnables import RunnableLambda

chain = RunnableLambda(lambda x: x)
router = APIRouter()


@router.get("/q")
def q(text: str):
    return chain.invoke(text)


app = FastAPI()
app.include_router(router)
`,
      errors: ["middleware"],
      output: `from fastapi import APIRouter, FastAPI
from langchain_core.runnables import RunnableLambda
from langsmith.middleware import TracingMiddleware

chain = RunnableLambda(lambda x: x)
router = APIRouter()


@router.get("/q")
def q(text: str):
    return chain.invoke(text)


app = FastAPI()
app.add_middleware(TracingMiddleware)
app.include_router(router)
`,
    },
    {
      name: "Flask handler: suggestion wraps the body",
      code: `from flask import Flask, request
from langsmith import traceable

app = Flask(__name__)


@traceable
def answer(q):
    return q


@app.route("/ask", methods=["POST"])
def ask():
    """Answer."""
    q = request.json["q"]
    return answer(q)
`,
      errors: ["handler"],
      suggestion: `from flask import Flask, request
from langsmith import traceable, tracing_context

app = Flask(__name__)


@traceable
def answer(q):
    return q


@app.route("/ask", methods=["POST"])
def ask():
    """Answer."""
    with tracing_context(parent=request.headers):
        q = request.json["q"]
        return answer(q)
`,
    },
  ],
});
