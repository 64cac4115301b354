#!/usr/bin/env bash
# Runs llama.cpp (llama-cpp-python, built natively in .venv-peers, never part of the product or of
# CI) and `rag bench llm` on the same prompt ids with the same thread count, in one run, and
# prints both reports and the ratios. Run it on an idle machine: the two share the cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="$root/.venv-peers"
rag="$root/.build/release/rag"
model="${MODEL:-$root/models/SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf}"
threads="${THREADS:-$(nproc)}"
prompt_tokens="${PROMPT_TOKENS:-512}"
new_tokens="${NEW_TOKENS:-128}"

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if ! "$venv/bin/python" -c "import llama_cpp" 2>/dev/null; then
  echo "bench-peers: building llama-cpp-python 0.3.36 natively in $venv (several minutes)" >&2
  "$venv/bin/pip" install --quiet numpy typing-extensions diskcache jinja2
  CMAKE_ARGS="-DGGML_NATIVE=ON" "$venv/bin/pip" install --quiet --no-deps "llama-cpp-python==0.3.36"
fi

ids="$(mktemp --suffix=.json)"
trap 'rm -f "$ids"' EXIT
"$rag" bench llm --model "$model" --prompt-tokens "$prompt_tokens" --write-prompt-ids "$ids"

peer_json="$("$venv/bin/python" "$root/scripts/peer_llama_cpp.py" --model "$model" --prompt-ids "$ids" \
  --new-tokens "$new_tokens" --threads "$threads")"
rag_json="$("$rag" bench llm --model "$model" --prompt-ids-file "$ids" --new-tokens "$new_tokens" \
  --threads "$threads" --json)"

python3 - "$peer_json" "$rag_json" <<'PY'
import json, sys
peer, rag = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("llama.cpp:", json.dumps(peer, sort_keys=True))
print("rag:      ", json.dumps(rag, sort_keys=True))
print(json.dumps({
    "prefill_ratio": round(rag["prefill_tokens_per_second"] / peer["prefill_tokens_per_second"], 3),
    "decode_ratio": round(rag["decode_tokens_per_second"] / peer["decode_tokens_per_second"], 3),
    "time_to_first_token_ratio_peer_over_rag": round(
        peer["time_to_first_token_milliseconds"] / rag["time_to_first_token_milliseconds"], 3),
    # What the model adds to each process: its peak less what the process held before loading it.
    "model_resident_megabytes": {
        name: round(report["peak_resident_megabytes"] - report["resident_before_load_megabytes"], 1)
        for name, report in (("llama.cpp", peer), ("rag", rag))
    },
}, sort_keys=True))
PY
