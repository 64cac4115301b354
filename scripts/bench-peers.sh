#!/usr/bin/env bash
# Embeds the same generated passages with sentence-transformers (the peer), with rag in exact
# (float32) mode and with rag in fast (int8) mode, in one run, and prints the three reports and
# the ratios to the peer. The peer lives in a virtual environment (.venv-peers, or $PEERS_VENV)
# and is never part of the product or of CI. Run it on an idle machine: they share the cores.
# Extra arguments go to `rag bench embed` (e.g. --count 300).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="${PEERS_VENV:-$root/.venv-peers}"
rag="$root/.build/release/rag"
models="${RAG_MODELS:-$root/models}"
model="$models/all-MiniLM-L6-v2"
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
exact_json="$("$rag" bench embed --model "$model" --texts "$texts" --threads "$threads" --mode exact --json "$@")"
fast_json="$("$rag" bench embed --model "$model" --texts "$texts" --threads "$threads" --mode fast --json "$@")"

python3 - "$peer_json" "$exact_json" "$fast_json" <<'PY'
import json, sys
peer, exact, fast = (json.loads(argument) for argument in sys.argv[1:4])
print("peer:      ", json.dumps(peer, sort_keys=True))
print("rag exact: ", json.dumps(exact, sort_keys=True))
print("rag fast:  ", json.dumps(fast, sort_keys=True))
def ratios(rag):
    return {
        "tokens_per_second_ratio": round(rag["tokens_per_second"] / peer["tokens_per_second"], 3),
        "texts_per_second_ratio": round(rag["texts_per_second"] / peer["texts_per_second"], 3),
        "query_latency_ratio_peer_over_rag": round(
            peer["query_median_milliseconds"] / rag["query_median_milliseconds"], 3),
    }
print(json.dumps({"exact": ratios(exact), "fast": ratios(fast),
                  "fast_over_exact_tokens_per_second": round(fast["tokens_per_second"] / exact["tokens_per_second"], 3)},
                 sort_keys=True))
PY
