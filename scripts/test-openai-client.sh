#!/usr/bin/env bash
# Starts `rag serve` on loopback over a small collection and drives it with the official `openai`
# Python package (in .venv-client, created here; never part of the product), then stops the
# server with SIGTERM and checks that it shut down cleanly.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rag="${RAG:-$root/.build/debug/rag}"
venv="$root/.venv-client"
openai_version="3.57.0"

if ! "$venv/bin/python" -c "import openai, sys; sys.exit(openai.__version__ != '$openai_version')" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "openai==$openai_version"
fi

work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$rag" ingest corpora/aurora-x2/maintenance.md corpora/aurora-x2/user-manual.md --data "$work/data" >/dev/null
key="client-check-key"
"$rag" serve --data "$work/data" --port 0 --adapters "${RAG_FIXTURES:-$root/../shared/fixtures}/adapters" --load aurora-qv \
  --api-key "$key" >"$work/serve.out" 2>"$work/serve.log" &
server=$!

port=""
for _ in $(seq 1 600); do
  port="$(sed -n 's|^rag serve: listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$work/serve.out")"
  if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; then break; fi
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; echo "rag serve exited" >&2; exit 1; }
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/serve.log" >&2; exit 1; }

"$venv/bin/python" Tests/client/openai_client_check.py "http://127.0.0.1:$port" "$key"

kill -TERM "$server"
status=0
wait "$server" || status=$?
server=""
if [ "$status" -ne 0 ]; then
  cat "$work/serve.log" >&2
  echo "rag serve exited with $status after SIGTERM" >&2
  exit 1
fi
grep -c ' /v1/' "$work/serve.log" | xargs -I{} echo "rag serve: logged {} requests, stopped cleanly on SIGTERM"
