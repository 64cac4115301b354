#!/usr/bin/env bash
# Embeds the same generated passages with sentence-transformers (the peer) and with rag, in one
# run, and prints both reports and the ratio. The peer lives in .venv-peers and is never part of
# the product or of CI. Run it on an idle machine: the two share the cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="$root/.venv-peers"
rag="$root/.build/release/rag"
model="$root/models/all-MiniLM-L6-v2"
threads="${THREADS:-$(nproc)}"

if [ ! -x "$venv/bin/python" ]; then
  echo "bench-peers: creating $venv with sentence-transformers 6.2.0 (CPU PyTorch)" >&2
  python3 -m venv "$venv"
  # PyTorch's default wheel on PyPI is the CUDA build (gigabytes); use a CPU wheel when the
  # machine has one, else PyTorch's CPU-only build through pip.
  cpu_wheel="$(ls /opt/wheels/torch-*+cpu*.whl 2>/dev/null | head -n 1 || true)"
  if [ -n "$cpu_wheel" ]; then
    "$venv/bin/pip" install --quiet "$cpu_wheel"
  else
    "$venv/bin/pip" install --quiet "torch==2.13.0"
  fi
  "$venv/bin/pip" install --quiet "sentence-transformers==6.2.0"
fi

texts="$(mktemp --suffix=.jsonl)"
trap 'rm -f "$texts"' EXIT
"$rag" bench embed --write-texts "$texts" "$@"

peer_json="$(HF_HUB_OFFLINE=1 "$venv/bin/python" "$root/scripts/peer_sentence_transformers.py" \
  --model "$model" --texts "$texts" --threads "$threads")"
rag_json="$("$rag" bench embed --texts "$texts" --threads "$threads" --json "$@")"

python3 - "$peer_json" "$rag_json" <<'PY'
import json, sys
peer, rag = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("peer:", json.dumps(peer, sort_keys=True))
print("rag: ", json.dumps(rag, sort_keys=True))
print(json.dumps({
    "texts_per_second_ratio": round(rag["texts_per_second"] / peer["texts_per_second"], 3),
    "tokens_per_second_ratio": round(rag["tokens_per_second"] / peer["tokens_per_second"], 3),
    "query_latency_ratio_peer_over_rag": round(peer["query_median_milliseconds"] / rag["query_median_milliseconds"], 3),
}, sort_keys=True))
PY
