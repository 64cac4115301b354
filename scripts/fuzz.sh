#!/usr/bin/env bash
# `make fuzz`: builds Fuzz/ (rag-fuzz) with libFuzzer and AddressSanitizer, then runs every target for
# FUZZ_SECONDS each, one after the other, on its seed corpus plus the checked-in regression corpus of
# Tests/Fixtures/malformed/TARGET/. Fails when any target crashes, hangs past FUZZ_TIMEOUT seconds on one
# input, allocates FUZZ_MALLOC_MB or more at once, or grows past 2 GB; the input that did it is kept in
# .build-fuzz/run/artifacts/TARGET/. Prints a table of executions, coverage and seconds per target (also
# written to .build-fuzz/run/report.md). Nothing here opens a socket.
#
#   FUZZ_SECONDS=60  FUZZ_TARGETS="gguf html"  FUZZ_SEED=0 (0: libFuzzer picks)  FUZZ_KEEP_CORPUS=1
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-gguf gguf-model tokenizer-gguf safetensors adapter tokenizer-json html markdown}
TIMEOUT=${FUZZ_TIMEOUT:-10}
MALLOC_MB=${FUZZ_MALLOC_MB:-256}
SEED=${FUZZ_SEED:-0}
BUILD=.build-fuzz
WORK=$BUILD/run

# A debug build (incremental, assertions on) optimised with -O, which keeps Swift's overflow and bounds checks:
# unoptimised Swift runs the readers' character loops several times slower, and executions are what find bugs.
echo "fuzz: building rag-fuzz with -sanitize=fuzzer,address -O ($BUILD)"
FLAGS=(--package-path Fuzz --scratch-path "$BUILD" -Xswiftc -sanitize=fuzzer,address -Xswiftc -O -Xcc -DRAG_LIBFUZZER)
build_started=$(date +%s)
"$SWIFT" build "${FLAGS[@]}" --product rag-fuzz 2>&1 | grep -v -E "Cannot export local symbol '__asan" || true
BIN="$("$SWIFT" build "${FLAGS[@]}" --show-bin-path)/rag-fuzz"
[ -x "$BIN" ] || { echo "fuzz: the build failed" >&2; exit 1; }
echo "fuzz: built in $(( $(date +%s) - build_started )) s"

# A fresh working corpus each run keeps the figures comparable; FUZZ_KEEP_CORPUS=1 grows the last one.
if [ "${FUZZ_KEEP_CORPUS:-0}" != 1 ]; then rm -rf "$WORK/corpus"; fi
rm -rf "$WORK/seeds" "$WORK/artifacts" "$WORK/logs"
mkdir -p "$WORK/corpus" "$WORK/artifacts" "$WORK/logs" "$WORK/scratch"
"$BIN" seeds "$WORK/seeds"

max_len() {
    case "$1" in
        gguf-model | adapter) echo 65536 ;;
        html | markdown) echo 8192 ;;
        *) echo 16384 ;;
    esac
}

report="$WORK/report.md"
{
    echo "| target | seconds | executions | exec/s | coverage (edges) | features | corpus | result |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
} > "$report"
failed=()
for target in $TARGETS; do
    corpus="$WORK/corpus/$target"
    mkdir -p "$corpus" "$WORK/artifacts/$target"
    cp "$WORK/seeds/$target/"* "$corpus/"
    if [ -d "Tests/Fixtures/malformed/$target" ]; then
        find "Tests/Fixtures/malformed/$target" -type f ! -name README.md -exec cp {} "$corpus/" \;
    fi
    case "$target" in
        html) find corpora -name '*.html' -exec cp {} "$corpus/" \; ;;
        markdown) find corpora -name '*.md' ! -name README.md -exec cp {} "$corpus/" \; ;;
    esac
    log="$WORK/logs/$target.log"
    echo "fuzz: $target for ${SECONDS_PER_TARGET} s ($(ls "$corpus" | wc -l) inputs to start from)"
    started=$(date +%s)
    set +e
    SWIFT_BACKTRACE=enable=no RAG_FUZZ_SCRATCH="$WORK/scratch" \
        ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=0:handle_abort=1" \
        timeout -k 10 $(( SECONDS_PER_TARGET + 120 )) "$BIN" "$target" \
        -max_total_time="$SECONDS_PER_TARGET" -timeout="$TIMEOUT" -rss_limit_mb=2048 -malloc_limit_mb="$MALLOC_MB" \
        -max_len="$(max_len "$target")" -seed="$SEED" -detect_leaks=0 -print_final_stats=1 \
        -artifact_prefix="$WORK/artifacts/$target/" "$corpus" > "$log" 2>&1
    status=$?
    set -e
    elapsed=$(( $(date +%s) - started ))
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    coverage=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<< "$last")
    features=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<< "$last")
    corpus_size=$(sed -n 's/.*corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<< "$last")
    if [ "$status" = 0 ]; then
        result=ok
    else
        result="FAILED (exit $status): $(grep -m1 -E 'ERROR: libFuzzer|ERROR: AddressSanitizer|Fatal error|rag-fuzz:' "$log" | cut -c1-120)"
        failed+=("$target")
    fi
    echo "| $target | $elapsed | ${executions:-?} | ${rate:-?} | ${coverage:-?} | ${features:-?} | ${corpus_size:-?} | $result |" >> "$report"
    echo "fuzz: $target: ${executions:-?} executions in $elapsed s, coverage ${coverage:-?}, $result"
done

echo
cat "$report"
if [ ${#failed[@]} -gt 0 ]; then
    echo
    echo "fuzz: FAILED: ${failed[*]}; inputs in $WORK/artifacts/, logs in $WORK/logs/" >&2
    echo "fuzz: replay one with $BIN TARGET FILE" >&2
    exit 1
fi
