import { describeRule } from "./helpers.js";

const HEAD = `import httpx
import os
import requests
from langsmith import traceable
`;

const THIRD_PARTY = [
  `requests.post("https://api.openai.com/v1/chat", json={})`,
  `httpx.get("https://localhost.evil.example/api")`,
  `httpx.get("http://127.0.0.1.nip.io/api")`,
  `requests.get(f"https://{host}/api")`,
  `requests.get("https://internal.corp.example.attacker.io/x")`,
  `requests.get(url)`,
  `requests.get(os.environ["PAYMENTS_URL"] + "/charge")`,
  `requests.get("//cdn.example.com/x")`,
];

describeRule("py-propagate-trace-headers", {
  valid: [
    ...THIRD_PARTY.map((call) => ({
      name: `third party: ${call}`,
      settings: { services: ["https://internal.corp.example", "https://*.svc.corp.example/**", "$ORDERS_URL"] },
      code: `${HEAD}

@traceable
def parent(host, url):
    return ${call}
`,
    })),
    { name: "headers already propagated", code: `${HEAD}
from langsmith import get_current_run_tree


@traceable
def parent():
    rt = get_current_run_tree()
    return requests.get("http://localhost:8000/a", headers=rt.to_headers())
` },
    { name: "outside any trace", code: `${HEAD}

def plain():
    return requests.get("http://localhost:8000/a")
` },
    { name: "RemoteGraph with distributed_tracing", code: `from langgraph.pregel.remote import RemoteGraph

g = RemoteGraph("agent", url="http://localhost:8123", distributed_tracing=True)
` },
    { name: "unknown base, path this file does not serve", code: `${HEAD}
from fastapi import FastAPI

app = FastAPI()


@app.post("/classify")
async def classify(body: dict) -> dict:
    return body


@traceable
def parent(base_url):
    return httpx.post(f"{base_url}/other", json={})
` },
    { name: "unknown base with a served path, headers already sent", code: `${HEAD}
from langsmith import get_current_run_tree
from fastapi import FastAPI

app = FastAPI()


@app.post("/classify")
async def classify(body: dict) -> dict:
    return body


@traceable
def parent(base_url):
    return httpx.post(f"{base_url}/classify", json={}, headers=get_current_run_tree().to_headers())
` },
  ],
  invalid: [
    {
      name: "unknown base URL + a path this file serves: a suggestion",
      code: `${HEAD}
from fastapi import FastAPI

app = FastAPI()


@app.post("/classify")
async def classify(body: dict) -> dict:
    return body


@traceable
def parent(base_url):
    return httpx.post(f"{base_url}/classify", json={})
`,
      errors: ["request"],
      suggestion: `import httpx
import os
import requests
from langsmith import traceable, get_current_run_tree

from fastapi import FastAPI

app = FastAPI()


@app.post("/classify")
async def classify(body: dict) -> dict:
    return body


@traceable
def parent(base_url):
    return httpx.post(f"{base_url}/classify", json={}, headers=get_current_run_tree().to_headers() if get_current_run_tree() else {})
`,
    },
    {
      name: "base + \"/classify\" concatenation: a suggestion",
      code: `${HEAD}
from fastapi import FastAPI

app = FastAPI()


@app.post("/classify")
async def classify(body: dict) -> dict:
    return body


@traceable
def parent(base_url):
    return requests.post(base_url + "/classify", json={})
`,
      errors: ["request"],
      suggestion: `import httpx
import os
import requests
from langsmith import traceable, get_current_run_tree

from fastapi import FastAPI

app = FastAPI()


@app.post("/classify")
async def classify(body: dict) -> dict:
    return body


@traceable
def parent(base_url):
    return requests.post(base_url + "/classify", json={}, headers=get_current_run_tree().to_headers() if get_current_run_tree() else {})
`,
    },
    {
      name: "loopback URL without headers",
      code: `${HEAD}

@traceable
def parent():
    return requests.get("http://localhost:8000/answer", timeout=5)
`,
      errors: ["request"],
      output: `import httpx
import os
import requests
from langsmith import traceable, get_current_run_tree


@traceable
def parent():
    return requests.get("http://localhost:8000/answer", timeout=5, headers=get_current_run_tree().to_headers() if get_current_run_tree() else {})
`,
    },
    {
      name: "existing dict headers are merged",
      code: `${HEAD}

@traceable
def parent():
    return httpx.post("http://127.0.0.1:9000/x", headers={"x-api-key": "k"})
`,
      errors: ["request"],
      output: `import httpx
import os
import requests
from langsmith import traceable, get_current_run_tree


@traceable
def parent():
    return httpx.post("http://127.0.0.1:9000/x", headers={"x-api-key": "k", **(get_current_run_tree().to_headers() if get_current_run_tree() else {})})
`,
    },
    {
      name: "service from the settings (prefix), async client in a variable",
      settings: { services: ["https://orders.corp.example"] },
      code: `${HEAD}

@traceable
async def parent(order_id):
    async with httpx.AsyncClient() as client:
        return await client.get(f"https://orders.corp.example/orders/{order_id}")
`,
      errors: ["request"],
      output: `import httpx
import os
import requests
from langsmith import traceable, get_current_run_tree


@traceable
async def parent(order_id):
    async with httpx.AsyncClient() as client:
        return await client.get(f"https://orders.corp.example/orders/{order_id}", headers=get_current_run_tree().to_headers() if get_current_run_tree() else {})
`,
    },
    {
      name: "service from an environment variable ($ENV) and a glob",
      settings: { services: ["$ORDERS_URL", "https://*.svc.corp.example/**"] },
      code: `${HEAD}

BASE = os.getenv("ORDERS_URL")


@traceable
def parent():
    a = requests.get(f"{BASE}/orders")
    b = requests.get("https://billing.svc.corp.example/v1/invoices")
    return a, b
`,
      errors: ["request", "request"],
      output: `import httpx
import os
import requests
from langsmith import traceable, get_current_run_tree


BASE = os.getenv("ORDERS_URL")


@traceable
def parent():
    a = requests.get(f"{BASE}/orders", headers=get_current_run_tree().to_headers() if get_current_run_tree() else {})
    b = requests.get("https://billing.svc.corp.example/v1/invoices", headers=get_current_run_tree().to_headers() if get_current_run_tree() else {})
    return a, b
`,
    },
    {
      name: "headers in a variable: suggestion",
      code: `${HEAD}

@traceable
def parent(h):
    return requests.get("/internal/answer", headers=h)
`,
      errors: ["request"],
      suggestion: `import httpx
import os
import requests
from langsmith import traceable, get_current_run_tree


@traceable
def parent(h):
    return requests.get("/internal/answer", headers={**(h or {}), **(get_current_run_tree().to_headers() if get_current_run_tree() else {})})
`,
    },
    {
      name: "RemoteGraph on loopback",
      code: `from langgraph.pregel.remote import RemoteGraph

g = RemoteGraph("agent", url="http://localhost:8123")
`,
      errors: ["remoteGraph"],
      output: `from langgraph.pregel.remote import RemoteGraph

g = RemoteGraph("agent", url="http://localhost:8123", distributed_tracing=True)
`,
    },
    {
      name: "RemoteGraph elsewhere: suggestion",
      code: `from langgraph.pregel.remote import RemoteGraph

g = RemoteGraph("agent", url="https://my-deployment.langgraph.app")
`,
      errors: ["remoteGraph"],
      suggestion: `from langgraph.pregel.remote import RemoteGraph

g = RemoteGraph("agent", url="https://my-deployment.langgraph.app", distributed_tracing=True)
`,
    },
  ],
});
