#!/usr/bin/env bash
# Load on loopback with wrk: /v1/search with 64 connections, streaming /v1/query with 16 clients
# (within the queue bound), then 40 streaming clients (past it). Passes when no request gets a 5xx,
# no connection is dropped, only 429 answers past the queue bound, and resident memory does not
# grow over the run. Writes data/reliability/load.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
seconds="${LOAD_SECONDS:-60}"
overload_seconds="${OVERLOAD_SECONDS:-20}"
work="$(mktemp -d)"
source scripts/reliability/common.sh
trap cleanup EXIT
mkdir -p data/reliability

"$rag" ingest corpora --data "$work/data" >/dev/null
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
questions = [json.loads(line)["question"] for line in open("corpora/aurora-x2/qa.jsonl") if line.strip()]
with open(f"{work}/search.bodies", "w") as out:
    for q in questions:
        out.write(json.dumps({"query": q, "k": 5}) + "\n")
with open(f"{work}/query.bodies", "w") as out:
    for index, q in enumerate(questions):
        out.write(json.dumps({"question": q, "stream": True, "max_tokens": 32, "user": f"load-{index}"}) + "\n")
PY

start_server "$work/data" --queue-limit 16
echo "load: rag serve pid $server on port $port; $seconds s per phase"

# Samples resident memory every second until told to stop.
sample_rss() {
  while [ -f "$work/sampling" ]; do
    echo "$(date +%s.%N) $(rss_kib "$server")" >>"$work/rss.txt"
    sleep 1
  done
}
touch "$work/sampling"
sample_rss &
sampler=$!

run_wrk() { # NAME CONNECTIONS SECONDS BODIES PATH TIMEOUT
  echo "load: $1: $2 connections for $3 s on $5" >&2
  WRK_BODIES="$4" wrk -t2 -c"$2" -d"$3"s --timeout "$6" -s scripts/reliability/wrk-report.lua \
    "http://127.0.0.1:$port$5" | tail -1 >"$work/$1.json"
  cat "$work/$1.json" >&2
}
run_wrk search 64 "$seconds" "$work/search.bodies" /v1/search 30s
echo "mark query" >>"$work/rss.txt"
run_wrk query 16 "$seconds" "$work/query.bodies" /v1/query 120s
rm -f "$work/sampling"
wait "$sampler" || true
run_wrk overload 40 "$overload_seconds" "$work/query.bodies" /v1/query 120s
metrics="$(curl -sf "http://127.0.0.1:$port/metrics")"
stop_server

python3 - "$work" "$seconds" <<'PY'
import json, sys
work, seconds = sys.argv[1], int(sys.argv[2])
phases = {name: json.load(open(f"{work}/{name}.json")) for name in ("search", "query", "overload")}
# Memory per phase: the peak of its second half against the peak of its first (the first half
# includes warm-up: the language model's buffers are allocated by the first answers).
series = {"search": [], "query": []}
phase = "search"
for stamp, value in (line.split() for line in open(f"{work}/rss.txt")):
    if stamp == "mark":
        phase = value
    elif value.isdigit() and int(value) > 0:
        series[phase].append(int(value) / 1024)
memory = {}
problems = []
for name, rss in series.items():
    half = len(rss) // 2
    if half == 0:
        problems.append(f"{name}: no memory samples")
        continue
    first, second = max(rss[:half]), max(rss[half:])
    memory[name] = {"samples": len(rss), "first_half_max_mib": round(first, 1),
                    "second_half_max_mib": round(second, 1), "growth": round((second - first) / first, 4)}
for name, phase in phases.items():
    statuses = {int(status): count for status, count in phase["statuses"].items()}
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    dropped = sum(phase["socket_errors"].values())
    allowed = {200, 429} if name == "overload" else {200}
    if server_errors: problems.append(f"{name}: {server_errors} responses were 5xx")
    if dropped: problems.append(f"{name}: {dropped} connections dropped or timed out {phase['socket_errors']}")
    unexpected = {status: count for status, count in statuses.items() if status not in allowed}
    if unexpected: problems.append(f"{name}: unexpected statuses {unexpected}")
    if phase["requests"] == 0: problems.append(f"{name}: no request completed")
if 429 not in {int(s) for s in phases["overload"]["statuses"]}:
    problems.append("overload: 40 clients past a queue of 16 got no 429")
for name, figures in memory.items():
    if figures["growth"] > 0.05:
        problems.append(f"{name}: resident memory grew {figures['growth']:.1%} from the first half of the phase "
                        "to the second")
report = {"phases": phases, "resident_memory": memory, "problems": problems}
json.dump(report, open("data/reliability/load.json", "w"), indent=2)
for name, phase in phases.items():
    print(f"load: {name}: {phase['requests']} requests, {phase['requests_per_second']:.1f}/s, "
          f"statuses {phase['statuses']}, p50 {phase['latency_ms']['p50']:.1f} ms, "
          f"p99 {phase['latency_ms']['p99']:.1f} ms, socket errors {sum(phase['socket_errors'].values())}")
for name, figures in memory.items():
    print(f"load: {name}: resident memory {figures['first_half_max_mib']} MiB (first half peak) -> "
          f"{figures['second_half_max_mib']} MiB (second half peak), {figures['growth']:+.1%}")
if problems:
    print("load: FAILED\n  " + "\n  ".join(problems))
    sys.exit(1)
print("load: passed")
PY
