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
    // Handler discovery beyond decorators: routes lists, blueprints, Django views (issue 11).
    {
      name: "Flask handler with tracing_context(parent=dict(request.headers.items(lower=True)))",
      code: `from flask import Flask, request
from langsmith import traceable, tracing_context

app = Flask(__name__)


@traceable
def answer(q):
    return q


@app.route("/ask", methods=["POST"])
def ask():
    with tracing_context(parent=dict(request.headers.items(lower=True))):
        return answer(request.json["q"])
`,
    },
    {
      name: "Starlette routes=[...] with TracingMiddleware in middleware=[...]",
      code: `from langsmith import traceable
from langsmith.middleware import TracingMiddleware
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route


@traceable
def answer(q):
    return q


async def ask(request):
    return answer(await request.json())


app = Starlette(routes=[Route("/ask", ask)], middleware=[Middleware(TracingMiddleware)])
`,
    },
    {
      name: "Starlette routes in a variable, app.add_middleware(TracingMiddleware)",
      code: `from langsmith import traceable
from langsmith.middleware import TracingMiddleware
from starlette.applications import Starlette
from starlette.routing import Route


@traceable
def answer(q):
    return q


async def ask(request):
    return answer(await request.json())


routes = [Route("/ask", ask)]
app = Starlette(routes=routes)
app.add_middleware(TracingMiddleware)
`,
    },
    {
      name: "Starlette routes whose handlers continue the trace by hand",
      code: `from langsmith import traceable, tracing_context
from starlette.applications import Starlette
from starlette.routing import Route


@traceable
def answer(q):
    return q


async def ask(request):
    with tracing_context(parent=request.headers):
        return answer(await request.json())


async def explicit(request):
    return answer(await request.json(), langsmith_extra={"parent": request.headers})


app = Starlette(routes=[Route("/ask", ask), Route("/explicit", explicit)])
`,
    },
    {
      name: "Starlette routes whose handlers do no traced work",
      code: `from langsmith import traceable
from starlette.applications import Starlette
from starlette.routing import Route


@traceable
def answer(q):
    return q


def health(request):
    return {"ok": True}


app = Starlette(routes=[Route("/health", health)])
`,
    },
    {
      name: "imported Starlette endpoint that does no traced work",
      filename: "svc/app.py",
      files: {
        "svc/__init__.py": ``,
        "svc/endpoints.py": `from langsmith import traceable


def health(request):
    return {"ok": True}
`,
      },
      code: `from starlette.applications import Starlette
from starlette.routing import Route

from .endpoints import health

app = Starlette(routes=[Route("/health", health)])
`,
    },
    {
      name: "imported Starlette endpoint that continues the trace by hand",
      filename: "svc/app.py",
      files: {
        "svc/__init__.py": ``,
        "svc/endpoints.py": `from langsmith import traceable, tracing_context


@traceable
def answer(q):
    return q


async def ask(request):
    with tracing_context(parent=request.headers):
        return answer(request.query_params["q"])
`,
      },
      code: `from starlette.applications import Starlette
from starlette.routing import Route

from .endpoints import ask

app = Starlette(routes=[Route("/ask", ask)])
`,
    },
    {
      name: "Flask blueprint handler that does no traced work",
      code: `from flask import Blueprint

from langsmith import traceable

bp = Blueprint("qa", __name__)


@bp.get("/health")
def health():
    return {"ok": True}
`,
    },
    {
      name: "Django view that already wraps its body in tracing_context(parent=request.headers)",
      code: `from django.http import JsonResponse
from django.urls import path
from langsmith import traceable, tracing_context


@traceable
def answer(q):
    return q


def ask(request):
    with tracing_context(parent=request.headers):
        return JsonResponse({"answer": answer(request.GET["q"])})


urlpatterns = [path("ask", ask)]
`,
    },
    {
      name: "Django views that do no traced work (function and class-based)",
      code: `from django.http import JsonResponse
from django.urls import path
from django.views import View
from langsmith import traceable


def health(request):
    return JsonResponse({"ok": True})


class Status(View):
    def get(self, request):
        return JsonResponse({"ok": True})


urlpatterns = [path("health", health), path("status", Status.as_view())]
`,
    },
    {
      name: "a plain function with a request parameter in a non-Django module",
      code: `from langsmith import traceable


@traceable
def answer(q):
    return q


def handle(request):
    return answer(request["q"])
`,
    },
    {
      name: "a helper taking request in a Django module, not registered as a view",
      filename: "qa/views.py",
      files: {
        "qa/__init__.py": ``,
        "qa/urls.py": `from django.urls import path

from . import views

urlpatterns = [path("ask", views.ask)]
`,
      },
      code: `from django.http import JsonResponse
from langsmith import traceable


@traceable
def answer(q):
    return q


def question_of(request):
    return answer(request.GET["q"])
`,
    },
    {
      name: "a non-view method of a class-based view",
      code: `from django.views import View
from langsmith import traceable


@traceable
def answer(q):
    return q


class Ask(View):
    def render_answer(self, request):
        return answer(request.GET["q"])
`,
    },
    {
      name: "router imported from another module whose handlers do no traced work",
      filename: "svc/main.py",
      files: {
        "svc/__init__.py": ``,
        "svc/api.py": `from fastapi import APIRouter

router = APIRouter()


@router.get("/health")
def health():
    return {"ok": True}
`,
      },
      code: `from fastapi import FastAPI

from .api import router

app = FastAPI()
app.include_router(router)
`,
    },
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
    with tracing_context(parent=dict(request.headers.items(lower=True))):
        q = request.json["q"]
        return answer(q)
`,
    },
    {
      name: "Starlette routes in a variable (Route, Mount with routes=) without middleware",
      code: `from langsmith import traceable
from starlette.applications import Starlette
from starlette.routing import Mount, Route


@traceable
def answer(q):
    return q


async def ask(request):
    return answer(await request.json())


def health(request):
    return {"ok": True}


routes = [
    Route("/health", health),
    Mount("/v1", routes=[Route("/ask", endpoint=ask, methods=["POST"])]),
]
app = Starlette(debug=True, routes=routes)
`,
      errors: ["middleware"],
      output: `from langsmith import traceable
from starlette.applications import Starlette
from starlette.routing import Mount, Route
from langsmith.middleware import TracingMiddleware


@traceable
def answer(q):
    return q


async def ask(request):
    return answer(await request.json())


def health(request):
    return {"ok": True}


routes = [
    Route("/health", health),
    Mount("/v1", routes=[Route("/ask", endpoint=ask, methods=["POST"])]),
]
app = Starlette(debug=True, routes=routes)
app.add_middleware(TracingMiddleware)
`,
    },
    {
      name: "FastAPI add_api_route without middleware",
      code: `from fastapi import FastAPI
from langchain_core.runnables import RunnableLambda

chain = RunnableLambda(lambda x: x)


def ask(q: str):
    return chain.invoke(q)


app = FastAPI()
app.add_api_route("/ask", ask, methods=["GET"])
`,
      errors: ["middleware"],
      output: `from fastapi import FastAPI
from langchain_core.runnables import RunnableLambda
from langsmith.middleware import TracingMiddleware

chain = RunnableLambda(lambda x: x)


def ask(q: str):
    return chain.invoke(q)


app = FastAPI()
app.add_middleware(TracingMiddleware)
app.add_api_route("/ask", ask, methods=["GET"])
`,
    },
    {
      name: "APIRouter(routes=[APIRoute(...)]) included into the app",
      code: `from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from langsmith import traceable


@traceable
def answer(q):
    return q


def ask(q: str):
    return answer(q)


router = APIRouter(routes=[APIRoute("/ask", ask)])
app = FastAPI()
app.include_router(router)
`,
      errors: ["middleware"],
      output: `from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from langsmith import traceable
from langsmith.middleware import TracingMiddleware


@traceable
def answer(q):
    return q


def ask(q: str):
    return answer(q)


router = APIRouter(routes=[APIRoute("/ask", ask)])
app = FastAPI()
app.add_middleware(TracingMiddleware)
app.include_router(router)
`,
    },
    {
      name: "Starlette endpoints imported from another module of the project",
      filename: "svc/app.py",
      files: {
        "svc/__init__.py": ``,
        "svc/endpoints.py": `from langsmith import traceable


@traceable
def answer(q):
    return q


async def ask(request):
    return answer(request.query_params["q"])


async def stream(websocket):
    await websocket.accept()
`,
      },
      code: `from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute

from .endpoints import ask, stream

app = Starlette(routes=[Route("/ask", ask), WebSocketRoute("/ws", stream)])
`,
      errors: ["middleware"],
      output: `from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute

from .endpoints import ask, stream
from langsmith.middleware import TracingMiddleware

app = Starlette(routes=[Route("/ask", ask), WebSocketRoute("/ws", stream)])
app.add_middleware(TracingMiddleware)
`,
    },
    {
      name: "Flask blueprint in its own file: suggestion wraps the body with the lower-cased headers",
      filename: "svc/routes.py",
      files: {
        "svc/__init__.py": ``,
        "svc/agent.py": `from langsmith import traceable


@traceable
def answer(q):
    return q
`,
      },
      code: `from flask import Blueprint, jsonify

from .agent import answer

bp = Blueprint("qa", __name__)


@bp.route("/ask", methods=["POST"])
def ask():
    return jsonify(answer("q"))
`,
      errors: ["handler"],
      suggestion: `from flask import Blueprint, jsonify, request

from .agent import answer
from langsmith import tracing_context

bp = Blueprint("qa", __name__)


@bp.route("/ask", methods=["POST"])
def ask():
    with tracing_context(parent=dict(request.headers.items(lower=True))):
        return jsonify(answer("q"))
`,
    },
    {
      name: "Flask: request.headers passed as a parent as it is (tracing_context and langsmith_extra)",
      code: `from flask import Flask, request
from langsmith import traceable, tracing_context

app = Flask(__name__)


@traceable
def answer(q):
    return q


@app.post("/ask")
def ask():
    with tracing_context(parent=request.headers):
        return answer(request.json["q"])


@app.post("/explicit")
def explicit():
    return answer(request.json["q"], langsmith_extra={"parent": request.headers})
`,
      errors: ["werkzeugHeaders", "werkzeugHeaders"],
      message: /^`request\.headers` holds werkzeug's headers, .*`dict\(request\.headers\.items\(lower=True\)\)`/,
      output: `from flask import Flask, request
from langsmith import traceable, tracing_context

app = Flask(__name__)


@traceable
def answer(q):
    return q


@app.post("/ask")
def ask():
    with tracing_context(parent=dict(request.headers.items(lower=True))):
        return answer(request.json["q"])


@app.post("/explicit")
def explicit():
    return answer(request.json["q"], langsmith_extra={"parent": dict(request.headers.items(lower=True))})
`,
    },
    {
      name: "Django views registered in urls.py of the package (function view, async class-based view)",
      filename: "site/qa/views.py",
      files: {
        "site/__init__.py": ``,
        "site/qa/__init__.py": ``,
        "site/qa/urls.py": `from django.urls import path

from . import views

urlpatterns = [path("ask", views.ask), path("ask2", views.Ask.as_view())]
`,
      },
      code: `import json

from django.http import JsonResponse
from django.views import View
from langsmith import traceable


@traceable
def answer(q):
    return q


def ask(request):
    """Answer one question."""
    q = json.loads(request.body)["q"]
    return JsonResponse({"answer": answer(q)})


class Ask(View):
    async def post(self, req, *args, **kwargs):
        return JsonResponse({"answer": answer(req.POST["q"])})


def not_a_view(request):
    return answer(request)
`,
      errors: ["handler", "handler"],
      message: /^The view `(?:ask` .*`with tracing_context\(parent=request\.headers\):`|Ask\.post` .*`with tracing_context\(parent=req\.headers\):`)/,
      suggestion: `import json

from django.http import JsonResponse
from django.views import View
from langsmith import traceable, tracing_context


@traceable
def answer(q):
    return q


def ask(request):
    """Answer one question."""
    with tracing_context(parent=request.headers):
        q = json.loads(request.body)["q"]
        return JsonResponse({"answer": answer(q)})


class Ask(View):
    async def post(self, req, *args, **kwargs):
        return JsonResponse({"answer": answer(req.POST["q"])})


def not_a_view(request):
    return answer(request)
`,
    },
    {
      name: "DRF @api_view and APIView methods; a traceable view gets no fix",
      code: `from langsmith import traceable
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.views import APIView


@traceable
def answer(q):
    return q


@api_view(["POST"])
def ask(request):
    return Response({"answer": answer(request.data["q"])})


class AskView(APIView):
    def get(self, request, format=None):
        return Response({"answer": answer(request.query_params["q"])})

    def helper(self, request):
        return answer(request)


@api_view(["GET"])
@traceable
def traced(request):
    return Response({"answer": answer("x")})
`,
      errors: ["handler", "handler", "handler"],
      suggestion: `from langsmith import traceable, tracing_context
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.views import APIView


@traceable
def answer(q):
    return q


@api_view(["POST"])
def ask(request):
    with tracing_context(parent=request.headers):
        return Response({"answer": answer(request.data["q"])})


class AskView(APIView):
    def get(self, request, format=None):
        return Response({"answer": answer(request.query_params["q"])})

    def helper(self, request):
        return answer(request)


@api_view(["GET"])
@traceable
def traced(request):
    return Response({"answer": answer("x")})
`,
    },
    {
      name: "Django view registered with re_path in urls.py through from .views import",
      filename: "qa/views.py",
      files: {
        "qa/__init__.py": ``,
        "qa/agent.py": `from langsmith import traceable


@traceable
def answer(q):
    return q
`,
        "qa/urls.py": `from django.urls import re_path

from .views import ask

urlpatterns = [re_path(r"^ask$", ask, name="ask")]
`,
      },
      code: `from django.http import JsonResponse

from .agent import answer


def ask(request):
    return JsonResponse({"answer": answer(request.GET["q"])})


def helper(request):
    return answer(request.GET["q"])
`,
      errors: ["handler"],
      suggestion: `from django.http import JsonResponse

from .agent import answer
from langsmith import tracing_context


def ask(request):
    with tracing_context(parent=request.headers):
        return JsonResponse({"answer": answer(request.GET["q"])})


def helper(request):
    return answer(request.GET["q"])
`,
    },
    {
      name: "Quart: dict(request.headers) keeps title-cased names; fixed to the lower-cased items",
      code: `from langsmith import traceable, tracing_context
from quart import Quart, request

app = Quart(__name__)


@traceable
def answer(q):
    return q


@app.post("/ask")
async def ask():
    with tracing_context(parent=dict(request.headers)):
        return answer((await request.get_json())["q"])
`,
      errors: ["werkzeugHeaders"],
      message: /^`dict\(request\.headers\)` holds werkzeug's headers/,
      output: `from langsmith import traceable, tracing_context
from quart import Quart, request

app = Quart(__name__)


@traceable
def answer(q):
    return q


@app.post("/ask")
async def ask():
    with tracing_context(parent=dict(request.headers.items(lower=True))):
        return answer((await request.get_json())["q"])
`,
    },
    {
      name: "Quart handler: the suggestion imports request from quart",
      code: `from langsmith import traceable
from quart import Quart

app = Quart(__name__)


@traceable
def answer(q):
    return q


@app.get("/ask")
async def ask():
    return answer("q")
`,
      errors: ["handler"],
      suggestion: `from langsmith import traceable, tracing_context
from quart import Quart, request

app = Quart(__name__)


@traceable
def answer(q):
    return q


@app.get("/ask")
async def ask():
    with tracing_context(parent=dict(request.headers.items(lower=True))):
        return answer("q")
`,
    },
    {
      name: "class registered with Ask.as_view() in urls.py; its base comes from the project, not from Django",
      filename: "qa/views.py",
      files: {
        "qa/__init__.py": ``,
        "qa/base.py": `class JsonView:
    pass
`,
        "qa/urls.py": `from django.urls import path

from .views import Ask

urlpatterns = [path("ask", Ask.as_view())]
`,
      },
      code: `from langsmith import traceable

from .base import JsonView


@traceable
def answer(q):
    return q


class Ask(JsonView):
    def get(self, request):
        return answer(request.GET["q"])

    def describe(self, request):
        return answer("describe")
`,
      errors: ["handler"],
      message: /^The view `Ask\.get`/,
      suggestion: `from langsmith import traceable, tracing_context

from .base import JsonView


@traceable
def answer(q):
    return q


class Ask(JsonView):
    def get(self, request):
        with tracing_context(parent=request.headers):
            return answer(request.GET["q"])

    def describe(self, request):
        return answer("describe")
`,
    },
    {
      name: "Starlette endpoint given as module.function of a project module, and add_route",
      filename: "svc/app.py",
      files: {
        "svc/__init__.py": ``,
        "svc/endpoints.py": `from langsmith import traceable


@traceable
def answer(q):
    return q


def ask(request):
    return answer(request.query_params["q"])
`,
      },
      code: `from starlette.applications import Starlette

from . import endpoints

app = Starlette()
app.add_route("/ask", endpoints.ask)
`,
      errors: ["middleware"],
      output: `from starlette.applications import Starlette

from . import endpoints
from langsmith.middleware import TracingMiddleware

app = Starlette()
app.add_middleware(TracingMiddleware)
app.add_route("/ask", endpoints.ask)
`,
    },
    {
      name: "Flask add_url_rule(view_func=...)",
      code: `from flask import Flask
from langsmith import traceable

app = Flask(__name__)


@traceable
def answer(q):
    return q


def ask():
    return answer("q")


app.add_url_rule("/ask", view_func=ask)
`,
      errors: ["handler"],
      suggestion: `from flask import Flask, request
from langsmith import traceable, tracing_context

app = Flask(__name__)


@traceable
def answer(q):
    return q


def ask():
    with tracing_context(parent=dict(request.headers.items(lower=True))):
        return answer("q")


app.add_url_rule("/ask", view_func=ask)
`,
    },
    {
      name: "routers imported from other modules (from .api import router; admin.router) with traced handlers",
      filename: "svc/main.py",
      files: {
        "svc/__init__.py": ``,
        "svc/agent.py": `from langsmith import traceable


@traceable
def answer(q):
    return q
`,
        "svc/api.py": `from fastapi import APIRouter

from .agent import answer

router = APIRouter(prefix="/api")


@router.post("/ask")
async def ask(q: str):
    return {"answer": answer(q)}
`,
        "svc/admin.py": `from fastapi import APIRouter

router = APIRouter()


@router.get("/health")
def health():
    return {"ok": True}
`,
      },
      code: `from fastapi import FastAPI

from . import admin
from .api import router

app = FastAPI()
app.include_router(admin.router)
app.include_router(router)
`,
      errors: ["middleware"],
      output: `from fastapi import FastAPI

from . import admin
from .api import router
from langsmith.middleware import TracingMiddleware

app = FastAPI()
app.add_middleware(TracingMiddleware)
app.include_router(admin.router)
app.include_router(router)
`,
    },
  ],
});
