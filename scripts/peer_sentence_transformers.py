"""The peer for `make bench-peers`: sentence-transformers on the texts rag embeds.

Reads the JSON-lines file written by `rag bench embed --write-texts` (first line: the single
query, then the passages), embeds the passages in batches of 32 and times the query, and prints
one JSON object with the same keys as `rag bench embed --json`. Benchmark tooling only.
"""
import argparse
import json
import statistics
import time

import torch
from sentence_transformers import SentenceTransformer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--texts", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--query-runs", type=int, default=50)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    with open(args.texts, encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle if line.strip()]
    query, passages = lines[0], lines[1:]
    model = SentenceTransformer(args.model, device="cpu")
    tokenizer = model.tokenizer
    tokens = sum(min(len(tokenizer(p)["input_ids"]), model.max_seq_length) for p in passages)

    model.encode(passages[: args.batch_size], batch_size=args.batch_size)  # warm-up
    start = time.perf_counter()
    model.encode(passages, batch_size=args.batch_size, normalize_embeddings=True)
    seconds = time.perf_counter() - start

    for _ in range(3):
        model.encode(query)
    latencies = []
    for _ in range(args.query_runs):
        begin = time.perf_counter()
        model.encode(query)
        latencies.append((time.perf_counter() - begin) * 1e3)
    latencies.sort()
    print(json.dumps({
        "model": "sentence-transformers " + __import__("sentence_transformers").__version__,
        "mode": "float32",
        "threads": torch.get_num_threads(),
        "batch_size": args.batch_size,
        "texts": len(passages),
        "tokens": tokens,
        "seconds": seconds,
        "texts_per_second": len(passages) / seconds,
        "tokens_per_second": tokens / seconds,
        "query_tokens": len(tokenizer(query)["input_ids"]),
        "query_median_milliseconds": statistics.median(latencies),
        "query_p90_milliseconds": latencies[min(len(latencies) - 1, len(latencies) * 9 // 10)],
    }, sort_keys=True))


if __name__ == "__main__":
    main()
