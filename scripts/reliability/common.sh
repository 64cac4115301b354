# Shared by the reliability checks: start and stop `rag serve` on loopback, read its memory.
# Sourced, not run. Expects $root (the repository) and $work (a scratch folder).

rag="${RAG:-$root/.build/release/rag}"
server=""
port=""

# start_server DATA_DIR [extra rag serve options...]: starts the server on a free port and waits
# until /healthz answers; sets $server (its pid) and $port.
start_server() {
  local data="$1"
  shift
  : >"$work/serve.out"
  "$rag" serve --data "$data" --port 0 "$@" >"$work/serve.out" 2>>"$work/serve.log" &
  server=$!
  port=""
  for _ in $(seq 1 600); do
    port="$(sed -n 's|^rag serve: listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$work/serve.out")"
    if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; then return 0; fi
    kill -0 "$server" 2>/dev/null || { tail -20 "$work/serve.log" >&2; echo "rag serve exited" >&2; return 1; }
    sleep 0.2
  done
  echo "rag serve did not become healthy" >&2
  return 1
}

# stop_server: SIGTERM, then wait; fails when the server does not exit cleanly.
stop_server() {
  [ -n "$server" ] || return 0
  kill -TERM "$server" 2>/dev/null || true
  local status=0
  wait "$server" || status=$?
  server=""
  if [ "$status" -ne 0 ]; then
    # A crash report (Swift's backtracer) starts at "Program crashed"; show it whole.
    if grep -q 'Program crashed' "$work/serve.log"; then
      sed -n '/Program crashed/,$p' "$work/serve.log" | head -300 >&2
    else
      tail -20 "$work/serve.log" >&2
    fi
    echo "rag serve exited with $status after SIGTERM" >&2
    return 1
  fi
}

# kill_server: kill -9, as a crash or a power cut would.
kill_server() {
  [ -n "$server" ] || return 0
  kill -KILL "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}

# rss_kib PID: resident memory in KiB.
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

cleanup() {
  kill_server
  if [ -n "${mounted:-}" ]; then ${SUDO:-} umount "$mounted" 2>/dev/null || true; fi
  rm -rf "$work"
}
