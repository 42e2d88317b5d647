#!/usr/bin/env bash
# Creates the Python 3.11 venv the Python runtime oracle and the Python bench use: <repo>/.venv-py311 (gitignored),
# with the pinned packages of fixtures/python/requirements.txt. Idempotent: a stamp file holds the hash of the
# requirements and the interpreter; when it matches, nothing is done.
#
# Environment:
#   PYTHON311            the interpreter to build the venv from (default ~/.pyenv/versions/3.11.7/bin/python)
#   TRACE_NESTING_WHEELS wheels the package mirror lacks (default: shared/wheels next to the repo, or next to an
#                        ancestor directory: ../shared/wheels in CI; for a clone, also beside its origin)
#   PIP_INDEX_URL        the package index (default: the first extra index in `pip config`, e.g. file:///opt/pypi/simple;
#                        pip's default index is unreachable here and costs minutes of retries)
# Exits non-zero, loudly, when anything cannot be installed: the Python suite needs these packages.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
venv="$repo/.venv-py311"
req="$repo/fixtures/python/requirements.txt"
python="${PYTHON311:-$HOME/.pyenv/versions/3.11.7/bin/python}"
# shared/ sits next to the clone in CI (../shared); a git worktree may sit one level deeper: look upwards. A clone
# made elsewhere (`git clone . "$(mktemp -d)"`) looks beside the repository it was cloned from too.
find_wheels() {
  local dir start origin
  origin="$(git -C "$repo" config --get remote.origin.url 2>/dev/null || true)"
  for start in "$repo" "$origin"; do
    [ -n "$start" ] && [ -d "$start" ] || continue
    dir="$(dirname "$(cd "$start" && pwd)")"
    while [ "$dir" != "/" ]; do
      if [ -d "$dir/shared/wheels" ]; then echo "$dir/shared/wheels"; return; fi
      dir="$(dirname "$dir")"
    done
  done
  echo "$(dirname "$repo")/shared/wheels"
}
wheels="${TRACE_NESTING_WHEELS:-$(find_wheels)}"

fail() { echo "python-env: $*" >&2; exit 1; }

[ -x "$python" ] || fail "no Python 3.11 interpreter at $python (set PYTHON311)"
"$python" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' || fail "$python is not CPython 3.11"
[ -f "$req" ] || fail "missing $req"

stamp_value="$( { cat "$req"; "$python" -VV; echo "$wheels"; } | sha256sum | cut -d' ' -f1)"
stamp="$venv/.trace-nesting-stamp"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_value" ]; then
  echo "python-env: $venv is up to date"
  exit 0
fi

if [ -z "${PIP_INDEX_URL:-}" ]; then
  extra="$("$python" -m pip config get global.extra-index-url 2>/dev/null || true)"
  first="${extra%% *}"
  first="${first//\'/}"
  if [ -n "$first" ]; then export PIP_INDEX_URL="$first"; fi
fi
echo "python-env: creating $venv (index ${PIP_INDEX_URL:-pip default}, wheels $wheels)"

rm -f "$stamp"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv" || fail "could not create the venv"
find_links=()
if [ -d "$wheels" ]; then find_links=(--find-links "$wheels"); else echo "python-env: warning: no $wheels" >&2; fi
PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install --quiet --retries 1 --timeout 30 \
  "${find_links[@]}" -r "$req" || fail "pip install failed (index ${PIP_INDEX_URL:-default}, wheels $wheels)"
"$venv/bin/python" - <<'PY' || fail "installed packages do not import"
import importlib.metadata as m
for name, want in [("langsmith", "0.14.0"), ("langchain-core", "1.6.5"), ("langgraph", "1.2.12")]:
    got = m.version(name)
    assert got == want, f"{name} {got} != {want}"
import langsmith, langchain_core, langgraph, fastapi, httpx, uvicorn, requests, django, flask  # noqa: F401
PY
echo "$stamp_value" > "$stamp"
echo "python-env: ready ($("$venv/bin/python" -V))"
