"""The language-model peer for `make bench-peers`: llama.cpp (llama-cpp-python) on the prompt rag uses.

Reads the token ids written by `rag bench llm --write-prompt-ids`, processes them as one prompt,
then generates --new-tokens tokens greedily, and prints one JSON object with the keys of
`rag bench llm --json`. Benchmark tooling only.
"""
import argparse
import json
import os
import resource
import time

import llama_cpp
import numpy
from llama_cpp import Llama


def last_logits(llm):
    """The logits of the last evaluated token, read from the context (only they are computed)."""
    pointer = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
    return numpy.ctypeslib.as_array(pointer, shape=(llm.n_vocab(),))


def resident_megabytes():
    """The resident set now, from /proc/self/statm (0 where there is none)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1048576


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--prompt-ids", required=True)
    parser.add_argument("--new-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    with open(args.prompt_ids, encoding="utf-8") as handle:
        ids = json.load(handle)
    resident_before_load = resident_megabytes()
    llm = Llama(
        model_path=args.model, n_ctx=max(2048, len(ids) + args.new_tokens + 8), n_batch=512,
        n_threads=args.threads, n_threads_batch=args.threads, verbose=False)
    llm.eval(ids[:8])  # warm-up: page the weights in
    llm.reset()

    start = time.perf_counter()
    llm.eval(ids)
    prefill = time.perf_counter() - start
    token = int(last_logits(llm).argmax())
    first = time.perf_counter() - start
    decode_start = time.perf_counter()
    for _ in range(args.new_tokens - 1):
        llm.eval([token])
        token = int(last_logits(llm).argmax())
    decode = time.perf_counter() - decode_start

    print(json.dumps({
        "model": os.path.basename(args.model),
        "precision": "llama.cpp",
        "threads": args.threads,
        "prompt_tokens": len(ids),
        "new_tokens": args.new_tokens,
        "prefill_tokens_per_second": len(ids) / prefill,
        "decode_tokens_per_second": (args.new_tokens - 1) / decode,
        "time_to_first_token_milliseconds": first * 1000,
        "peak_resident_megabytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "resident_before_load_megabytes": resident_before_load,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
