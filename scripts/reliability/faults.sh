#!/usr/bin/env bash
# Faults: kill -9 of `rag serve` during an upload-triggered ingest and during generation, a client
# that disconnects mid-stream, SIGTERM under load, and a disk that fills up during ingest. After
# each, the collection must pass `rag index check` and hold every document that was acknowledged.
# Writes data/reliability/faults.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
SUDO="$([ "$(id -u)" = 0 ] || echo sudo)"
work="$(mktemp -d)"
mounted=""
source scripts/reliability/common.sh
trap cleanup EXIT
mkdir -p data/reliability
results=()
fail() { echo "faults: FAILED: $*" >&2; exit 1; }
pass() { echo "faults: $1"; results+=("$1"); }

check_collection() { # DATA_DIR: the collection is consistent
  "$rag" index check --data "$1" --json >"$work/check.json" || fail "rag index check: $(cat "$work/check.json")"
}
has_document() { # DATA_DIR SOURCE
  "$rag" documents list --data "$1" 2>/dev/null | grep -q -- "$2"
}

# A long manual: hundreds of chunks, so that ingesting it takes seconds.
python3 - "$work/long-manual.md" <<'PY'
import sys
sections = []
for n in range(400):
    sections.append(f"## Procedure {n}\n\nStep {n}: open panel {n} and turn valve {n} a quarter turn clockwise. "
                    f"Wait {n % 60} seconds until the indicator {n} turns green, then close panel {n}. "
                    f"If the indicator stays amber, repeat step {n} once and call support with code E{n:04d}.\n")
open(sys.argv[1], "w").write("# Long service manual\n\n" + "\n".join(sections))
PY

# 1. kill -9 during an upload-triggered ingest.
data="$work/upload"
"$rag" ingest corpora/aurora-x2/maintenance.md --data "$data" >/dev/null
start_server "$data"
status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/v1/documents" \
  -H 'Content-Type: application/json' -d '{"source": "acknowledged.md", "text": "# Acknowledged\n\nThe acknowledged note says the blue lever opens the hatch."}')"
[ "$status" = 201 ] || fail "the small upload got $status"
curl -s -o /dev/null -X POST "http://127.0.0.1:$port/v1/documents" -F "file=@$work/long-manual.md" &
upload=$!
sleep "${KILL_AFTER_SECONDS:-3}"
kill -0 "$upload" 2>/dev/null || fail "the long upload ended before the kill; raise its size"
kill_server
wait "$upload" 2>/dev/null || true
start_server "$data"
stop_server
check_collection "$data"
has_document "$data" acknowledged.md || fail "the acknowledged upload is gone after kill -9"
has_document "$data" maintenance.md || fail "maintenance.md is gone after kill -9"
long="absent"
has_document "$data" long-manual.md && long="complete"
pass "kill -9 during an upload's ingest: collection consistent ($(cat "$work/check.json")), acknowledged upload kept, the interrupted one $long"

# 2. kill -9 during generation.
start_server "$data"
curl -s -N -X POST "http://127.0.0.1:$port/v1/query" -H 'Content-Type: application/json' \
  -d '{"question": "How do I open the hatch?", "stream": true, "max_tokens": 400}' >"$work/stream.txt" &
stream=$!
for _ in $(seq 1 100); do grep -q 'chat.completion.chunk' "$work/stream.txt" 2>/dev/null && break; sleep 0.1; done
kill_server
wait "$stream" 2>/dev/null || true
start_server "$data"
stats="$(curl -sf "http://127.0.0.1:$port/v1/ab/stats")" || fail "/v1/ab/stats after kill -9 during generation"
answer="$(curl -sf -X POST "http://127.0.0.1:$port/v1/query" -H 'Content-Type: application/json' \
  -d '{"question": "What does the blue lever open?", "max_tokens": 24}')" || fail "no answer after restart"
stop_server
check_collection "$data"
pass "kill -9 during generation: restarted, answered, experiment log readable, collection consistent"

# 3. A client that disconnects mid-stream frees its slot.
start_server "$data"
curl -s -N --max-time 2 -X POST "http://127.0.0.1:$port/v1/query" -H 'Content-Type: application/json' \
  -d '{"question": "Describe every procedure in detail.", "stream": true, "max_tokens": 2000}' >/dev/null || true
running=1
for _ in $(seq 1 100); do
  running="$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^rag_generations_running / {print int($2)}')"
  [ "$running" = 0 ] && break
  sleep 0.1
done
[ "$running" = 0 ] || fail "the disconnected client's generation still runs"
curl -sf -X POST "http://127.0.0.1:$port/v1/query" -H 'Content-Type: application/json' \
  -d '{"question": "What does the blue lever open?", "max_tokens": 8}' >/dev/null || fail "no answer after a disconnect"
stop_server
pass "a client that disconnects mid-stream frees the model at once; the next question is answered"

# 4. SIGTERM while answering and under load: the answer in flight is finished, the server exits 0.
start_server "$data"
curl -s -N -X POST "http://127.0.0.1:$port/v1/query" -H 'Content-Type: application/json' \
  -d '{"question": "How do I open the hatch?", "stream": true, "max_tokens": 48}' >"$work/inflight.txt" &
inflight=$!
for _ in $(seq 1 100); do grep -q 'chat.completion.chunk' "$work/inflight.txt" 2>/dev/null && break; sleep 0.1; done
python3 -c 'import json; [print(json.dumps({"query": q, "k": 5})) for q in ["hatch", "blue lever", "valve", "indicator"]]' \
  >"$work/search.bodies"
WRK_BODIES="$work/search.bodies" wrk -t2 -c32 -d6s --timeout 10s -s scripts/reliability/wrk-report.lua \
  "http://127.0.0.1:$port/v1/search" >/dev/null 2>&1 &
load=$!
sleep 2
stop_server || fail "rag serve did not exit cleanly on SIGTERM under load"
wait "$inflight" || true
wait "$load" 2>/dev/null || true
tail -c 200 "$work/inflight.txt" | grep -q 'data: \[DONE\]' || fail "the answer in flight was cut by SIGTERM"
pass "SIGTERM during an answer and 32 connections of load: the answer finished with [DONE], exit 0"

# 5. The disk fills up during ingest.
mounted="$work/small-disk"
mkdir -p "$mounted"
$SUDO mount -t tmpfs -o size=3m tmpfs "$mounted" || fail "mounting a tmpfs needs root (or sudo)"
"$rag" ingest corpora/aurora-x2/maintenance.md --data "$mounted/data" >/dev/null
for n in 1 2 3 4 5 6; do cat "$work/long-manual.md"; done >"$work/huge-manual.md"
status=0
"$rag" ingest "$work/huge-manual.md" --data "$mounted/data" >"$work/full.out" 2>"$work/full.err" || status=$?
[ "$status" -ne 0 ] || fail "ingest on a full disk succeeded"
grep -qiE 'space|full' "$work/full.err" || fail "the error does not say the disk is full: $(cat "$work/full.err")"
error_line="$(grep -iE 'space|full' "$work/full.err" | head -1)"
# Checked as the failure left it: copied off the full disk (WAL file included), then opened.
cp -a "$mounted/data" "$work/after-full"
$SUDO umount "$mounted"
mounted=""
check_collection "$work/after-full"
has_document "$work/after-full" maintenance.md || fail "maintenance.md is gone after the disk filled up"
pass "disk full during ingest: exit $status, '$error_line'; collection consistent ($(cat "$work/check.json"))"

printf '%s\n' "${results[@]}" | python3 -c 'import json, sys; json.dump({"checks": [l.strip() for l in sys.stdin if l.strip()]}, open("data/reliability/faults.json", "w"), indent=2)'
echo "faults: passed"
