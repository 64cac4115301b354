#!/usr/bin/env python3
"""Writes the hand-made part of the regression corpus of hostile files, Tests/Fixtures/malformed/KIND/.

Each file is one classic way a file can be damaged or forged (a truncated header, a count of 2^63, an offset past
the end, invalid UTF-8, nesting that would exhaust the stack...), named after it. The Swift tests feed every file
of these folders to the reader of its kind and require a parse or the reader's typed error naming the file, never a
crash; `make fuzz` starts each fuzz target from its folder too. Inputs the fuzzer found are added to the same
folders by hand, minimised, as `fuzz-*` files, and are not written by this script.

Deterministic: running it again rewrites the same bytes. Only the standard library; run from anywhere.
"""
import json
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "malformed")


def write(kind, name, data):
    folder = os.path.join(ROOT, kind)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    assert len(data) <= 100_000, (kind, name, len(data))
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------------------------------------------------------
# GGUF

def u8(v): return struct.pack("<B", v)
def u32(v): return struct.pack("<I", v & 0xFFFFFFFF)
def u64(v): return struct.pack("<Q", v & 0xFFFFFFFFFFFFFFFF)
def i32(v): return struct.pack("<i", v)
def f32(v): return struct.pack("<f", v)


def gstr(text, length=None):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return u64(len(data) if length is None else length) + data


T_U8, T_I8, T_U16, T_I16, T_U32, T_I32, T_F32, T_BOOL, T_STR, T_ARR, T_U64, T_I64, T_F64 = range(13)


def kv(key, vtype, payload):
    return gstr(key) + u32(vtype) + payload


def kv_str(key, text): return kv(key, T_STR, gstr(text))
def kv_u32(key, value): return kv(key, T_U32, u32(value))
def kv_f32(key, value): return kv(key, T_F32, f32(value))


def kv_str_array(key, items):
    return kv(key, T_ARR, u32(T_STR) + u64(len(items)) + b"".join(gstr(i) for i in items))


def kv_i32_array(key, items):
    return kv(key, T_ARR, u32(T_I32) + u64(len(items)) + b"".join(i32(i) for i in items))


def tensor_info(name, dims, ttype, offset):
    return gstr(name) + u32(len(dims)) + b"".join(u64(d) for d in dims) + u32(ttype) + u64(offset)


def gguf(kvs, infos=(), data=b"", tensor_count=None, kv_count=None, version=3, alignment=32, magic=b"GGUF"):
    head = magic + u32(version) + u64(len(infos) if tensor_count is None else tensor_count)
    head += u64(len(kvs) if kv_count is None else kv_count) + b"".join(kvs) + b"".join(infos)
    head += b"\0" * ((-len(head)) % alignment)
    return head + data


ARCH = kv_str("general.architecture", "llama")
F32_INFO = tensor_info("t", [4], 0, 0)
F32_DATA = b"\0" * 16
VALID = gguf([ARCH], [F32_INFO], F32_DATA)


def write_gguf():
    k = "gguf"
    write(k, "empty.gguf", b"")
    write(k, "magic-only.gguf", b"GGUF")
    write(k, "truncated-in-tensor-count.gguf", VALID[:13])
    write(k, "truncated-in-metadata-key.gguf", VALID[:30])
    write(k, "truncated-in-tensor-info.gguf", VALID[:60])
    write(k, "truncated-tensor-data.gguf", VALID[:-8])
    write(k, "wrong-magic-ggml.gguf", b"GGML" + VALID[4:])
    write(k, "version-1.gguf", gguf([ARCH], [F32_INFO], F32_DATA, version=1))
    write(k, "version-4.gguf", gguf([ARCH], [F32_INFO], F32_DATA, version=4))
    write(k, "big-endian-version.gguf", gguf([ARCH], [F32_INFO], F32_DATA, version=0x03000000))
    write(k, "tensor-count-2^63.gguf", gguf([ARCH], [F32_INFO], F32_DATA, tensor_count=1 << 63))
    write(k, "tensor-count-2^64-1.gguf", gguf([ARCH], [F32_INFO], F32_DATA, tensor_count=(1 << 64) - 1))
    write(k, "tensor-count-past-end.gguf", gguf([ARCH], [F32_INFO], F32_DATA, tensor_count=1000))
    write(k, "metadata-count-2^63.gguf", gguf([ARCH], [F32_INFO], F32_DATA, kv_count=1 << 63))
    write(k, "metadata-count-past-end.gguf", gguf([ARCH], [F32_INFO], F32_DATA, kv_count=5000))
    write(k, "key-length-2^63.gguf", gguf([gstr("general.architecture", 1 << 63)[:8] + b"x" * 20]))
    write(k, "key-length-past-end.gguf", gguf([gstr("general.architecture", 4096)]))
    write(k, "string-value-length-2^64-1.gguf", gguf([kv("general.name", T_STR, u64((1 << 64) - 1) + b"abc")]))
    write(k, "string-value-past-end.gguf", gguf([kv("general.name", T_STR, u64(1 << 20) + b"abc")]))
    write(k, "array-count-2^62-uint64.gguf", gguf([kv("a", T_ARR, u32(T_U64) + u64(1 << 62) + u64(1))]))
    write(k, "array-count-2^63-strings.gguf", gguf([kv("a", T_ARR, u32(T_STR) + u64(1 << 63) + gstr("x"))]))
    write(k, "array-count-past-end.gguf", gguf([kv("a", T_ARR, u32(T_U8) + u64(100) + b"\1\2\3")]))
    nested = u32(T_U8) + u64(0)
    for _ in range(100):
        nested = u32(T_ARR) + u64(1) + nested
    write(k, "arrays-nested-100-deep.gguf", gguf([gstr("nested") + u32(T_ARR) + nested]))
    deep = u32(T_U8) + u64(0)
    for _ in range(5_000):
        deep = u32(T_ARR) + u64(1) + deep
    write(k, "arrays-nested-5000-deep.gguf", gguf([gstr("deep") + u32(T_ARR) + deep]))
    write(k, "array-element-type-unknown.gguf", gguf([kv("a", T_ARR, u32(77) + u64(1) + b"\0")]))
    write(k, "value-type-unknown.gguf", gguf([kv("a", 13, u32(0))]))
    write(k, "value-type-2^32-1.gguf", gguf([kv("a", 0xFFFFFFFF, u32(0))]))
    write(k, "bool-byte-2.gguf", gguf([kv("flag", T_BOOL, u8(2))]))
    write(k, "key-invalid-utf8.gguf", gguf([gstr(b"general.\xff\xfe") + u32(T_U8) + u8(1)]))
    write(k, "key-overlong-utf8.gguf", gguf([gstr(b"\xc0\xafkey") + u32(T_U8) + u8(1)]))
    write(k, "string-value-invalid-utf8.gguf", gguf([kv("general.name", T_STR, gstr(b"ok\xed\xa0\x80surrogate"))]))
    write(k, "string-array-invalid-utf8.gguf", gguf([kv("tokenizer.ggml.tokens", T_ARR, u32(T_STR) + u64(2) + gstr("a") + gstr(b"\x80"))]))
    write(k, "tensor-name-invalid-utf8.gguf", gguf([ARCH], [tensor_info(b"t\xff", [4], 0, 0)], F32_DATA))
    write(k, "key-empty.gguf", gguf([kv("", T_U8, u8(1))]))
    write(k, "key-twice.gguf", gguf([ARCH, ARCH], [F32_INFO], F32_DATA))
    write(k, "tensor-twice.gguf", gguf([ARCH], [F32_INFO, tensor_info("t", [4], 0, 32)], F32_DATA * 3))
    write(k, "alignment-3.gguf", gguf([ARCH, kv_u32("general.alignment", 3)], [F32_INFO], F32_DATA))
    write(k, "alignment-0.gguf", gguf([ARCH, kv_u32("general.alignment", 0)], [F32_INFO], F32_DATA))
    write(k, "alignment-2^31.gguf", gguf([ARCH, kv_u32("general.alignment", 1 << 31)], [F32_INFO], F32_DATA))
    write(k, "alignment-a-string.gguf", gguf([ARCH, kv_str("general.alignment", "32")], [F32_INFO], F32_DATA))
    write(k, "tensor-offset-misaligned.gguf", gguf([ARCH], [tensor_info("t", [4], 0, 4)], F32_DATA * 2))
    write(k, "tensor-offset-past-end.gguf", gguf([ARCH], [tensor_info("t", [4], 0, 4096)], F32_DATA))
    write(k, "tensor-offset-2^64-32.gguf", gguf([ARCH], [tensor_info("t", [4], 0, (1 << 64) - 32)], F32_DATA))
    write(k, "tensor-offset-2^63.gguf", gguf([ARCH], [tensor_info("t", [4], 0, 1 << 63)], F32_DATA))
    write(k, "tensor-ends-past-end.gguf", gguf([ARCH], [tensor_info("t", [64], 0, 0)], F32_DATA))
    write(k, "tensors-overlapping.gguf", gguf([ARCH], [tensor_info("a", [16], 0, 0), tensor_info("b", [8], 0, 32)], F32_DATA * 6))
    write(k, "tensors-same-offset.gguf", gguf([ARCH], [tensor_info("a", [4], 0, 0), tensor_info("b", [4], 0, 0)], F32_DATA))
    write(k, "tensor-5-dimensions.gguf", gguf([ARCH], [tensor_info("t", [1, 1, 1, 1, 4], 0, 0)], F32_DATA))
    write(k, "tensor-2^32-dimensions.gguf", gguf([ARCH], [gstr("t") + u32(0xFFFFFFFF) + u64(4)], F32_DATA))
    write(k, "tensor-dimension-2^63.gguf", gguf([ARCH], [tensor_info("t", [1 << 63], 0, 0)], F32_DATA))
    write(k, "tensor-dimensions-overflow.gguf", gguf([ARCH], [tensor_info("t", [1 << 32, 1 << 32, 1 << 32], 0, 0)], F32_DATA))
    write(k, "tensor-q8-overflow.gguf", gguf([ARCH], [tensor_info("t", [32, 1 << 61], 8, 0)], F32_DATA))
    write(k, "tensor-zero-dimension-huge-others.gguf", gguf([ARCH], [tensor_info("t", [0, 1 << 62, 1 << 62], 0, 0)], F32_DATA))
    write(k, "tensor-type-unknown-99.gguf", gguf([ARCH], [tensor_info("t", [4], 99, 0)], F32_DATA))
    write(k, "tensor-type-removed-4.gguf", gguf([ARCH], [tensor_info("t", [32], 4, 0)], F32_DATA))
    write(k, "tensor-q4-row-of-33.gguf", gguf([ARCH], [tensor_info("t", [33, 2], 2, 0)], b"\0" * 64))
    write(k, "tensor-q4-no-dimensions.gguf", gguf([ARCH], [tensor_info("t", [], 2, 0)], b"\0" * 32))


# ---------------------------------------------------------------------------------------------------------------
# GGUF models: a tiny llama (one layer, width 16, 2 heads of 8, 1 key/value head, feed-forward 16, 8 tokens),
# every tensor F32, each file with one thing wrong.

VOCAB = ["a", "b", "Ġ", "Ġa", "<|endoftext|>", "<|im_start|>", "<|im_end|>", "\n"]
WIDTH, HEADS, KV_HEADS, HEAD_SIZE, FFN = 16, 2, 1, 8, 16


def f32_block(count, seed):
    return b"".join(f32(((i * 2654435761 + seed) % 1000) / 5000.0 - 0.1) for i in range(count))


def model_tensors(width=WIDTH, vocab=len(VOCAB), skip=(), types=None, shapes=None):
    shapes = dict(shapes or {})
    types = dict(types or {})
    specs = [
        ("token_embd.weight", [width, vocab]),
        ("output_norm.weight", [width]),
        ("blk.0.attn_norm.weight", [width]),
        ("blk.0.attn_q.weight", [width, HEADS * HEAD_SIZE]),
        ("blk.0.attn_k.weight", [width, KV_HEADS * HEAD_SIZE]),
        ("blk.0.attn_v.weight", [width, KV_HEADS * HEAD_SIZE]),
        ("blk.0.attn_output.weight", [HEADS * HEAD_SIZE, width]),
        ("blk.0.ffn_norm.weight", [width]),
        ("blk.0.ffn_gate.weight", [width, FFN]),
        ("blk.0.ffn_up.weight", [width, FFN]),
        ("blk.0.ffn_down.weight", [FFN, width]),
    ]
    infos, data = [], b""
    for index, (name, dims) in enumerate(specs):
        if name in skip:
            continue
        dims = shapes.get(name, dims)
        count = 1
        for d in dims:
            count *= d
        ttype = types.get(name, 0)
        infos.append(tensor_info(name, dims, ttype, len(data)))
        if ttype == 0:
            block = f32_block(count, index)
        else:
            block = b"\0" * ({1: 2 * count, 28: 8 * count}.get(ttype) or count // 32 * 34)
        data += block + b"\0" * ((-len(block)) % 32)
    return infos, data


def model_metadata(overrides=None, drop=()):
    entries = {
        "general.architecture": kv_str("general.architecture", "llama"),
        "llama.block_count": kv_u32("llama.block_count", 1),
        "llama.context_length": kv_u32("llama.context_length", 64),
        "llama.embedding_length": kv_u32("llama.embedding_length", WIDTH),
        "llama.feed_forward_length": kv_u32("llama.feed_forward_length", FFN),
        "llama.attention.head_count": kv_u32("llama.attention.head_count", HEADS),
        "llama.attention.head_count_kv": kv_u32("llama.attention.head_count_kv", KV_HEADS),
        "llama.rope.freq_base": kv_f32("llama.rope.freq_base", 10000.0),
        "llama.attention.layer_norm_rms_epsilon": kv_f32("llama.attention.layer_norm_rms_epsilon", 1e-5),
        "tokenizer.ggml.model": kv_str("tokenizer.ggml.model", "gpt2"),
        "tokenizer.ggml.pre": kv_str("tokenizer.ggml.pre", "smollm"),
        "tokenizer.ggml.tokens": kv_str_array("tokenizer.ggml.tokens", VOCAB),
        "tokenizer.ggml.token_type": kv_i32_array("tokenizer.ggml.token_type", [1, 1, 1, 1, 3, 3, 3, 1]),
        "tokenizer.ggml.merges": kv_str_array("tokenizer.ggml.merges", ["Ġ a"]),
        "tokenizer.ggml.bos_token_id": kv_u32("tokenizer.ggml.bos_token_id", 4),
        "tokenizer.ggml.eos_token_id": kv_u32("tokenizer.ggml.eos_token_id", 6),
        "tokenizer.chat_template": kv_str("tokenizer.chat_template", "{{'<|im_start|>' + message['role']}}"),
    }
    for key, value in (overrides or {}).items():
        entries[key] = value
    return [v for k, v in entries.items() if k not in drop]


def model(overrides=None, drop=(), **tensor_options):
    infos, data = model_tensors(**tensor_options)
    return gguf(model_metadata(overrides, drop), infos, data)


def write_models():
    k = "gguf-model"
    write(k, "valid-tiny-llama.gguf", model())
    write(k, "context-length-2^40.gguf", model({"llama.context_length": kv("llama.context_length", T_U64, u64(1 << 40))}))
    write(k, "context-length-2^62.gguf", model({"llama.context_length": kv("llama.context_length", T_U64, u64(1 << 62))}))
    write(k, "context-length-0.gguf", model({"llama.context_length": kv_u32("llama.context_length", 0)}))
    write(k, "context-length-negative.gguf", model({"llama.context_length": kv("llama.context_length", T_I64, u64(-5))}))
    write(k, "block-count-2^31.gguf", model({"llama.block_count": kv_u32("llama.block_count", 1 << 31)}))
    write(k, "block-count-2-one-layer-of-tensors.gguf", model({"llama.block_count": kv_u32("llama.block_count", 2)}))
    write(k, "head-count-0.gguf", model({"llama.attention.head_count": kv_u32("llama.attention.head_count", 0)}))
    write(k, "head-count-kv-3.gguf", model({"llama.attention.head_count_kv": kv_u32("llama.attention.head_count_kv", 3)}))
    write(k, "head-count-above-width.gguf", model({"llama.attention.head_count": kv_u32("llama.attention.head_count", 64)}))
    write(k, "heads-times-key-length-overflow.gguf", model({
        "llama.attention.head_count": kv("llama.attention.head_count", T_U64, u64(1 << 32)),
        "llama.attention.head_count_kv": kv("llama.attention.head_count_kv", T_U64, u64(1 << 32)),
        "llama.attention.key_length": kv("llama.attention.key_length", T_U64, u64(1 << 32))}))
    write(k, "key-length-2^40.gguf", model({"llama.attention.key_length": kv("llama.attention.key_length", T_U64, u64(1 << 40))}))
    write(k, "embedding-length-2^62.gguf", model({"llama.embedding_length": kv("llama.embedding_length", T_U64, u64(1 << 62))}))
    write(k, "feed-forward-2^62.gguf", model({"llama.feed_forward_length": kv("llama.feed_forward_length", T_U64, u64(1 << 62))}))
    write(k, "vocab-size-2^40.gguf", model({"llama.vocab_size": kv("llama.vocab_size", T_U64, u64(1 << 40))}))
    write(k, "rope-dimensions-odd.gguf", model({"llama.rope.dimension_count": kv_u32("llama.rope.dimension_count", 7)}))
    write(k, "rope-dimensions-2^40.gguf", model({"llama.rope.dimension_count": kv("llama.rope.dimension_count", T_U64, u64(1 << 40))}))
    write(k, "rope-base-nan.gguf", model({"llama.rope.freq_base": kv_f32("llama.rope.freq_base", float("nan"))}))
    write(k, "rope-base-infinity.gguf", model({"llama.rope.freq_base": kv_f32("llama.rope.freq_base", float("inf"))}))
    write(k, "rope-base-half.gguf", model({"llama.rope.freq_base": kv_f32("llama.rope.freq_base", 0.5)}))
    write(k, "rms-epsilon-negative.gguf", model({"llama.attention.layer_norm_rms_epsilon": kv_f32("llama.attention.layer_norm_rms_epsilon", -1.0)}))
    write(k, "block-count-a-string.gguf", model({"llama.block_count": kv_str("llama.block_count", "1")}))
    write(k, "architecture-gpt2.gguf", model({"general.architecture": kv_str("general.architecture", "gpt2")}))
    write(k, "architecture-missing.gguf", model(drop=("general.architecture",)))
    write(k, "tokens-missing.gguf", model(drop=("tokenizer.ggml.tokens",)))
    write(k, "tokens-fewer-than-embedding-rows.gguf", model({"tokenizer.ggml.tokens": kv_str_array("tokenizer.ggml.tokens", VOCAB[:7]), "tokenizer.ggml.token_type": kv_i32_array("tokenizer.ggml.token_type", [1] * 7)}))
    write(k, "tensor-missing.gguf", model(skip=("blk.0.ffn_up.weight",)))
    write(k, "tensor-transposed.gguf", model(shapes={"blk.0.attn_k.weight": [KV_HEADS * HEAD_SIZE, WIDTH]}))
    write(k, "norm-quantised.gguf", model(types={"output_norm.weight": 8}, shapes={"output_norm.weight": [32]}))
    write(k, "norm-f16.gguf", model(types={"output_norm.weight": 1}))
    write(k, "matrix-of-unsupported-type-f64.gguf", model(types={"blk.0.ffn_down.weight": 28}))
    write(k, "chat-template-unknown.gguf", model({"tokenizer.chat_template": kv_str("tokenizer.chat_template", "{{ messages }}")}))


def write_tokenizer_gguf():
    k = "tokenizer-gguf"

    def tok(overrides=None, drop=()):
        keys = [m for m in model_metadata(overrides, drop) if b"tokenizer." in m[:40]]
        return gguf(keys)

    write(k, "valid.gguf", tok())
    write(k, "model-llama-sentencepiece.gguf", tok({"tokenizer.ggml.model": kv_str("tokenizer.ggml.model", "llama")}))
    write(k, "model-missing.gguf", tok(drop=("tokenizer.ggml.model",)))
    write(k, "pre-unknown.gguf", tok({"tokenizer.ggml.pre": kv_str("tokenizer.ggml.pre", "no-such-pre-tokenizer")}))
    write(k, "tokens-empty.gguf", tok({"tokenizer.ggml.tokens": kv_str_array("tokenizer.ggml.tokens", []), "tokenizer.ggml.token_type": kv_i32_array("tokenizer.ggml.token_type", [])}))
    write(k, "tokens-integers.gguf", tok({"tokenizer.ggml.tokens": kv_i32_array("tokenizer.ggml.tokens", [1, 2, 3])}))
    write(k, "token-twice.gguf", tok({"tokenizer.ggml.tokens": kv_str_array("tokenizer.ggml.tokens", ["a", "a"] + VOCAB[2:])}))
    write(k, "token-types-fewer-than-tokens.gguf", tok({"tokenizer.ggml.token_type": kv_i32_array("tokenizer.ggml.token_type", [1, 1])}))
    write(k, "token-types-out-of-range.gguf", tok({"tokenizer.ggml.token_type": kv_i32_array("tokenizer.ggml.token_type", [-7, 99, 1 << 30, 6, 3, 4, 5, 0])}))
    write(k, "merge-without-space.gguf", tok({"tokenizer.ggml.merges": kv_str_array("tokenizer.ggml.merges", ["Ġa"])}))
    write(k, "merge-of-unknown-tokens.gguf", tok({"tokenizer.ggml.merges": kv_str_array("tokenizer.ggml.merges", ["x y"])}))
    write(k, "merge-result-not-a-token.gguf", tok({"tokenizer.ggml.merges": kv_str_array("tokenizer.ggml.merges", ["a b"])}))
    write(k, "merge-empty-string.gguf", tok({"tokenizer.ggml.merges": kv_str_array("tokenizer.ggml.merges", ["", " ", "  "])}))
    write(k, "bos-id-2^40.gguf", tok({"tokenizer.ggml.bos_token_id": kv("tokenizer.ggml.bos_token_id", T_U64, u64(1 << 40))}))
    write(k, "bos-id-2^64-1.gguf", tok({"tokenizer.ggml.bos_token_id": kv("tokenizer.ggml.bos_token_id", T_U64, u64((1 << 64) - 1))}))
    write(k, "eos-id-negative.gguf", tok({"tokenizer.ggml.eos_token_id": kv("tokenizer.ggml.eos_token_id", T_I32, i32(-1))}))
    write(k, "add-bos-without-bos.gguf", tok({"tokenizer.ggml.add_bos_token": kv("tokenizer.ggml.add_bos_token", T_BOOL, u8(1))}, drop=("tokenizer.ggml.bos_token_id",)))
    write(k, "byte-token-malformed.gguf", tok({"tokenizer.ggml.token_type": kv_i32_array("tokenizer.ggml.token_type", [6, 6, 6, 6, 6, 6, 6, 6])}))
    write(k, "special-token-empty.gguf", tok({"tokenizer.ggml.tokens": kv_str_array("tokenizer.ggml.tokens", ["a", "b", "Ġ", "Ġa", "", "<|im_start|>", "<|im_end|>", "\n"])}))


# ---------------------------------------------------------------------------------------------------------------
# safetensors

def st(header, data=b"", declared=None):
    raw = header if isinstance(header, bytes) else header.encode("utf-8")
    return u64(len(raw) if declared is None else declared) + raw + data


def st_json(tensors, data=b""):
    return st(json.dumps(tensors, separators=(",", ":")), data)


GOOD = {"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}


def write_safetensors():
    k = "safetensors"
    write(k, "empty.safetensors", b"")
    write(k, "seven-bytes.safetensors", b"\x02\0\0\0\0\0\0")
    write(k, "header-length-2^63.safetensors", st("{}", declared=1 << 63))
    write(k, "header-length-2^64-1.safetensors", st("{}", declared=(1 << 64) - 1))
    write(k, "header-length-past-end.safetensors", st("{}", declared=4096))
    write(k, "header-length-zero.safetensors", st(b"", declared=0))
    write(k, "header-not-json.safetensors", st("{not json"))
    write(k, "header-json-array.safetensors", st("[1,2,3]"))
    write(k, "header-nested-10000-deep.safetensors", st('{"t":' + "[" * 10000 + "]" * 10000 + "}"))
    write(k, "header-invalid-utf8.safetensors", st(b'{"t\xff": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}}'))
    write(k, "header-trailing-garbage.safetensors", st('{} {}'))
    write(k, "header-nul-inside.safetensors", st(b'{"a\0b": 1}'))
    write(k, "tensor-not-object.safetensors", st_json({"t": [1, 2]}))
    write(k, "dtype-unknown.safetensors", st_json({"t": {"dtype": "F4", "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 8))
    write(k, "dtype-number.safetensors", st_json({"t": {"dtype": 32, "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 8))
    write(k, "dtype-missing.safetensors", st_json({"t": {"shape": [2], "data_offsets": [0, 8]}}, b"\0" * 8))
    write(k, "shape-negative.safetensors", st_json({"t": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}, b"\0" * 8))
    write(k, "shape-overflow.safetensors", st_json({"t": {"dtype": "F32", "shape": [1 << 32, 1 << 32, 1 << 32], "data_offsets": [0, 8]}}, b"\0" * 8))
    write(k, "shape-2^62-times-4.safetensors", st_json({"t": {"dtype": "F32", "shape": [1 << 62], "data_offsets": [0, 8]}}, b"\0" * 8))
    write(k, "shape-zero-and-huge.safetensors", st_json({"t": {"dtype": "F64", "shape": [0, 1 << 62, 1 << 62], "data_offsets": [0, 0]}}))
    write(k, "shape-floats.safetensors", st('{"t":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}', b"\0" * 8))
    write(k, "shape-1e400.safetensors", st('{"t":{"dtype":"F32","shape":[1e400],"data_offsets":[0,8]}}', b"\0" * 8))
    write(k, "shape-2^64.safetensors", st('{"t":{"dtype":"U8","shape":[18446744073709551616],"data_offsets":[0,8]}}', b"\0" * 8))
    write(k, "offsets-past-end.safetensors", st_json({"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 4))
    write(k, "offsets-2^63.safetensors", st_json({"t": {"dtype": "U8", "shape": [8], "data_offsets": [(1 << 63) - 8, (1 << 63) - 1 + 1 - 1]}}))
    write(k, "offsets-near-int-max.safetensors", st_json({"t": {"dtype": "U8", "shape": [8], "data_offsets": [(1 << 63) - 9, (1 << 63) - 1]}}))
    write(k, "offsets-reversed.safetensors", st_json({"t": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}, b"\0" * 8))
    write(k, "offsets-negative.safetensors", st_json({"t": {"dtype": "F32", "shape": [2], "data_offsets": [-8, 0]}}, b"\0" * 8))
    write(k, "offsets-three-numbers.safetensors", st_json({"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8, 16]}}, b"\0" * 16))
    write(k, "offsets-length-mismatch.safetensors", st_json({"t": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, b"\0" * 8))
    write(k, "tensors-overlapping.safetensors", st_json({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}, b"\0" * 16))
    write(k, "tensor-twice.safetensors", st('{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"t":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}', b"\0" * 16))
    write(k, "metadata-not-strings.safetensors", st_json({"__metadata__": {"format": 1}, **GOOD}, b"\0" * 8))
    write(k, "metadata-twice.safetensors", st('{"__metadata__":{},"__metadata__":{}}'))
    write(k, "f32-nan-and-infinity.safetensors", st_json(GOOD, struct.pack("<ff", float("nan"), float("inf"))))


# ---------------------------------------------------------------------------------------------------------------
# PEFT adapters: adapter_config.json, a NUL byte, adapter_model.safetensors (the fuzz target's format). The base
# is SampleFiles.tinyModel(): one layer, width 32, query width 32, key/value width 16, feed-forward 32.

PREFIX = "base_model.model.model.layers.0.self_attn."


def lora(rank=2, modules=(("q_proj", 32), ("v_proj", 16)), prefix=PREFIX, dtype="F32", values=None, shapes=None):
    tensors, data = {}, b""
    for module, outputs in modules:
        for role, shape in (("lora_A", [rank, 32]), ("lora_B", [outputs, rank])):
            name = f"{prefix}{module}.{role}.weight"
            shape = (shapes or {}).get(name, shape)
            count = 1
            for d in shape:
                count *= d
            block = values(count) if values else f32_block(count, len(tensors))
            tensors[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(block)]}
            data += block
    return st_json(tensors, data)


def config(**fields):
    base = {"peft_type": "LORA", "r": 2, "lora_alpha": 4.0, "target_modules": ["q_proj", "v_proj"], "bias": "none"}
    base.update(fields)
    return json.dumps(base).encode("utf-8")


def write_adapters():
    k = "adapter"
    write(k, "valid", config() + b"\0" + lora())
    write(k, "config-empty", b"" + b"\0" + lora())
    write(k, "config-not-json", b"{'r': 2}" + b"\0" + lora())
    write(k, "config-array", b"[]" + b"\0" + lora())
    write(k, "config-nested-10000-deep", b'{"r": ' + b"[" * 10000 + b"]" * 10000 + b"}\0" + lora())
    write(k, "config-invalid-utf8", b'{"r": 2, "lora_alpha": 4, "target_modules": ["q\xff"]}\0' + lora())
    write(k, "r-string", config(r="2") + b"\0" + lora())
    write(k, "r-float", config(r=2.5) + b"\0" + lora())
    write(k, "r-zero", config(r=0) + b"\0" + lora())
    write(k, "r-negative", config(r=-2) + b"\0" + lora())
    write(k, "r-2^62-tensors-of-rank-2", config(r=1 << 62) + b"\0" + lora())
    write(k, "r-2^63", config().replace(b'"r": 2', b'"r": 9223372036854775808') + b"\0" + lora())
    write(k, "alpha-string", config(lora_alpha="4") + b"\0" + lora())
    write(k, "alpha-1e999", config().replace(b'"lora_alpha": 4.0', b'"lora_alpha": 1e999') + b"\0" + lora())
    write(k, "alpha-1e300", config(lora_alpha=1e300) + b"\0" + lora())
    write(k, "alpha-pattern-1e999", config().replace(b'"bias"', b'"alpha_pattern": {"v_proj": 1e999}, "bias"') + b"\0" + lora())
    write(k, "alpha-pattern-1e300", config(alpha_pattern={"q_proj": 1e300}) + b"\0" + lora())
    write(k, "rank-pattern-zero", config(rank_pattern={"q_proj": 0}) + b"\0" + lora())
    write(k, "rank-pattern-string", config(rank_pattern={"q_proj": "2"}) + b"\0" + lora())
    write(k, "rank-pattern-not-object", config(rank_pattern=[2]) + b"\0" + lora())
    write(k, "rank-pattern-bad-regex", config(rank_pattern={"q_proj([": 4}) + b"\0" + lora())
    write(k, "target-modules-number", config(target_modules=7) + b"\0" + lora())
    write(k, "target-modules-empty", config(target_modules=[]) + b"\0" + lora())
    write(k, "target-modules-mixed", config(target_modules=["q_proj", 3]) + b"\0" + lora())
    write(k, "target-modules-bad-regex", config(target_modules="q_proj([") + b"\0" + lora())
    write(k, "target-modules-backtracking-regex", config(target_modules="(.*a){20}") + b"\0" + lora())
    write(k, "rank-pattern-backtracking", config(rank_pattern={"(.*)*(.*)*(.*)*x": 2}) + b"\0" + lora())
    write(k, "alpha-pattern-backtracking", config(alpha_pattern={"((.*)*)*y": 2.0}) + b"\0" + lora())
    write(k, "rank-pattern-alternation-repeated", config(rank_pattern={"(a|.)*(a|.)*(a|.)*(a|.)*x": 2}) + b"\0" + lora())
    write(k, "rank-pattern-many-wildcards", config(rank_pattern={".*.*.*.*.*.*x": 2}) + b"\0" + lora())
    write(k, "rank-pattern-peft-style", config(rank_pattern={"model.layers.0.self_attn.q_proj": 2, ".*v_proj": 2}) + b"\0" + lora())
    write(k, "target-modules-missing-in-base", config(target_modules=["foo_proj"]) + b"\0" + lora(modules=(("foo_proj", 32),)))
    write(k, "missing-target-tensors", config(target_modules=["q_proj", "v_proj", "k_proj"]) + b"\0" + lora())
    write(k, "peft-type-prefix-tuning", config(peft_type="PREFIX_TUNING") + b"\0" + lora())
    write(k, "use-dora", config(use_dora=True) + b"\0" + lora())
    write(k, "modules-to-save", config(modules_to_save=["lm_head"]) + b"\0" + lora())
    write(k, "bias-all", config(bias="all") + b"\0" + lora())
    write(k, "weights-empty", config() + b"\0")
    write(k, "weights-not-safetensors", config() + b"\0" + b"PK\3\4 not a safetensors file")
    write(k, "weights-no-tensors", config() + b"\0" + st_json({}))
    write(k, "lora-a-without-b", config() + b"\0" + st_json({PREFIX + "q_proj.lora_A.weight": {"dtype": "F32", "shape": [2, 32], "data_offsets": [0, 256]}}, b"\0" * 256))
    write(k, "layer-negative", config() + b"\0" + lora(prefix="base_model.model.model.layers.-1.self_attn."))
    write(k, "layer-plus-sign", config() + b"\0" + lora(prefix="base_model.model.model.layers.+0.self_attn."))
    write(k, "layer-2^63", config() + b"\0" + lora(prefix="base_model.model.model.layers.9223372036854775808.self_attn."))
    write(k, "layer-beyond-base", config() + b"\0" + lora(prefix="base_model.model.model.layers.5.self_attn."))
    write(k, "layer-missing", config() + b"\0" + lora(prefix="base_model.model.model.self_attn."))
    write(k, "embedding-target", config() + b"\0" + lora(prefix="base_model.model.model.embed_tokens.", modules=(("x", 32),)))
    write(k, "projection-unknown", config() + b"\0" + lora(modules=(("qkv_proj", 32),)))
    write(k, "shape-of-another-rank", config() + b"\0" + lora(rank=4))
    write(k, "shape-transposed", config() + b"\0" + lora(shapes={PREFIX + "q_proj.lora_A.weight": [32, 2]}))
    write(k, "weights-nan", config() + b"\0" + lora(values=lambda n: struct.pack("<f", float("nan")) * n))
    write(k, "weights-f64", config() + b"\0" + lora(dtype="F64", values=lambda n: b"\0" * 8 * n))
    write(k, "weights-i8", config() + b"\0" + lora(dtype="I8", values=lambda n: b"\1" * n))


# ---------------------------------------------------------------------------------------------------------------
# WordPiece tokenizer.json

def wordpiece(vocab=None, model_fields=None, **root):
    vocab = vocab if vocab is not None else {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "the": 4, "##s": 5}
    model = {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": vocab}
    model.update(model_fields or {})
    document = {
        "normalizer": {"type": "BertNormalizer", "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
        "model": model,
    }
    document.update(root)
    return json.dumps(document)


def write_wordpiece():
    k = "tokenizer-json"
    write(k, "valid.json", wordpiece())
    write(k, "empty.json", b"")
    write(k, "not-json.json", "{model: WordPiece}")
    write(k, "invalid-utf8.json", wordpiece().encode("utf-8").replace(b'"the"', b'"th\xc3"'))
    write(k, "nested-10000-deep.json", '{"model": ' + "[" * 10000 + "]" * 10000 + "}")
    write(k, "vocab-missing.json", wordpiece(model_fields={"vocab": None}).replace('"vocab": null, ', "").replace(', "vocab": null', ""))
    write(k, "vocab-an-array.json", wordpiece(vocab=[["the", 4]]))
    write(k, "vocab-empty.json", wordpiece(vocab={}))
    write(k, "model-missing.json", json.dumps({"pre_tokenizer": {"type": "BertPreTokenizer"}}))
    write(k, "model-bpe.json", wordpiece(model_fields={"type": "BPE"}))
    write(k, "id-negative.json", wordpiece(vocab={"[UNK]": -1, "[CLS]": 2, "[SEP]": 3, "[PAD]": 0}))
    write(k, "id-fraction.json", wordpiece(vocab={"[UNK]": 1.5, "[CLS]": 2, "[SEP]": 3, "[PAD]": 0}))
    write(k, "id-2^40.json", wordpiece(vocab={"[UNK]": 1 << 40, "[CLS]": 2, "[SEP]": 3, "[PAD]": 0}))
    write(k, "id-16777215.json", wordpiece(vocab={"[UNK]": 16777215, "[CLS]": 2, "[SEP]": 3, "[PAD]": 0}))
    write(k, "id-1e308.json", wordpiece().replace('"[UNK]": 1', '"[UNK]": 1e308'))
    write(k, "id-string.json", wordpiece(vocab={"[UNK]": "1", "[CLS]": 2, "[SEP]": 3, "[PAD]": 0}))
    write(k, "ids-shared.json", wordpiece(vocab={"[UNK]": 0, "[CLS]": 0, "[SEP]": 0, "[PAD]": 0}))
    write(k, "unk-token-missing.json", wordpiece(model_fields={"unk_token": "[NOPE]"}))
    write(k, "cls-missing.json", wordpiece(vocab={"[PAD]": 0, "[UNK]": 1, "[SEP]": 3}, post_processor=None))
    write(k, "cls-id-past-vocabulary.json", wordpiece(post_processor={"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 999999]}))
    write(k, "sep-id-negative.json", wordpiece(post_processor={"type": "BertProcessing", "sep": ["[SEP]", -3], "cls": ["[CLS]", 2]}))
    write(k, "template-ids-past-vocabulary.json", wordpiece(post_processor={
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "[CLS]"}}, {"Sequence": {"id": "A"}}, {"SpecialToken": {"id": "[SEP]"}}],
        "special_tokens": {"[CLS]": {"ids": [70000]}, "[SEP]": {"ids": [3]}}}))
    write(k, "template-single-of-four.json", wordpiece(post_processor={"type": "TemplateProcessing", "single": [{}, {}, {}, {}]}))
    write(k, "post-processor-roberta.json", wordpiece(post_processor={"type": "RobertaProcessing"}))
    write(k, "max-input-chars-negative.json", wordpiece(model_fields={"max_input_chars_per_word": -1}))
    write(k, "max-input-chars-2^62.json", wordpiece(model_fields={"max_input_chars_per_word": 1 << 62}))
    write(k, "continuing-prefix-empty.json", wordpiece(model_fields={"continuing_subword_prefix": ""}))
    write(k, "normalizer-lowercase-string.json", wordpiece(normalizer={"type": "BertNormalizer", "lowercase": "yes"}))
    write(k, "normalizer-unknown.json", wordpiece(normalizer={"type": "NFKC"}))
    write(k, "pre-tokenizer-missing.json", wordpiece(pre_tokenizer=None))
    write(k, "added-token-without-content.json", wordpiece(added_tokens=[{"id": 9}]))
    write(k, "added-token-empty-content.json", wordpiece(added_tokens=[{"id": 9, "content": ""}]))
    write(k, "added-tokens-1000.json", wordpiece(added_tokens=[{"id": i, "content": f"[T{i}]", "normalized": i % 2 == 0} for i in range(1000)]))


# ---------------------------------------------------------------------------------------------------------------
# HTML and Markdown (read through DocumentReader, so the encodings are attacked too)

def write_documents():
    # Kept to tens of kilobytes each: the sizes at which a quadratic reader would hang are built in code by the
    # tests (ReaderScalingTests), not checked in.
    k = "html"
    write(k, "empty.html", b"")
    write(k, "nested-5000-divs.html", "<div>" * 5000 + "x" + "</div>" * 5000)
    write(k, "nested-5000-unclosed.html", "<b><i>" * 2500 + "text")
    write(k, "unterminated-tag.html", '<p>before</p><div class="x' + " y" * 3000)
    write(k, "unterminated-comment.html", "<p>a</p><!-- " + "- -> --!>" * 1000)
    write(k, "unterminated-script.html", "<script>" + "if (a < b) { '</scrip' }\n" * 500)
    write(k, "unterminated-titles.html", "<title>" * 3000)
    write(k, "unterminated-end-tags.html", "</a" * 5000)
    write(k, "unbalanced-quotes.html", '<a href="' * 2000 + "<a href='x'>" * 500 + ">")
    write(k, "lone-brackets.html", "< <! <? </ <a" * 1500)
    write(k, "entities-huge-numbers.html", "<p>&#99999999999999999999; &#x110000; &#xFFFFFFFFF; &#0; &#xD800; &#55296; &#1114111; &#x; &#;</p>")
    write(k, "entities-5000.html", "&amp;&#65;&#x42;&nbsp;&unknown;&" * 1000)
    write(k, "heading-then-5000-paragraphs.html", "<h1>" + "<p>" * 5000)
    write(k, "heading-then-5000-breaks.html", "<h2>" + "<br>" * 5000)
    write(k, "5000-cells.html", "<table><tr>" + "<td>x" * 5000)
    write(k, "nested-pre.html", "<pre>" * 2000 + "code\n  kept" + "</pre>" * 2001)
    write(k, "nested-svg.html", "<svg>" * 2000 + "<p>dropped</p>" + "</svg>" * 1999 + "<p>kept?</p>")
    write(k, "nul-bytes.html", b"<p>a\0b</p>")
    write(k, "invalid-utf8.html", b"<p>caf\xe9</p>")
    write(k, "utf16-odd-length.html", b"\xff\xfe<\0p\0>")
    write(k, "utf16-lone-surrogate.html", b"\xff\xfe" + "<p>".encode("utf-16-le") + b"\x00\xd8" + "</p>".encode("utf-16-le"))
    write(k, "utf16-big-endian.html", b"\xfe\xff" + "<h1>BE</h1><p>ok</p>".encode("utf-16-be"))
    write(k, "combining-marks.html", "<h1>" + "e" + "\u0301" * 5000 + "</h1><p>" + "\u200d" * 2000 + "</p>")
    write(k, "carriage-returns.html", "<pre>\r\r\n" * 2000 + "\r")

    k = "markdown"
    write(k, "empty.md", b"")
    write(k, "nested-indented-lists.md", "".join(" " * i + "- item\n" for i in range(0, 200, 2)) * 2)
    write(k, "nested-10000-list-markers.md", "- " * 10000 + "x\n")
    write(k, "nested-10000-quotes.md", "> " * 10000 + "quote\n")
    write(k, "nested-quotes-growing.md", "".join(">" * i + " q\n" for i in range(1, 200)))
    write(k, "nested-5000-links.md", "[" * 5000 + "x" + "](u)" * 5000 + "\n")
    write(k, "nested-images.md", "![" * 3000 + "]()" * 3000 + "\n")
    write(k, "unclosed-fence.md", "```\n" + "code\n" * 2000)
    write(k, "unclosed-front-matter.md", "---\n" + "key: value\n" * 2000)
    write(k, "unclosed-comments.md", "<!-- open\n" * 3000)
    write(k, "unclosed-inline-comments.md", "<!--" * 5000 + "\n")
    write(k, "code-spans-of-every-length.md", "".join("`" * n + "x" for n in range(1, 150)) + "\n")
    write(k, "backticks-20000.md", "`" * 20000 + "\n")
    write(k, "emphasis-20000.md", "*_~" * 7000 + "\n")
    write(k, "brackets-unmatched.md", "[" * 10000 + "\n" + "(" * 10000 + "\n")
    write(k, "escapes-20000.md", "\\" * 20000 + "\n")
    write(k, "table-10000-pipes.md", "|" * 10000 + "\n|---|\n" + "| a " * 3000 + "\n")
    write(k, "headings-5000.md", "".join("#" * (i % 7 + 1) + " h\n" for i in range(5000)))
    write(k, "setext-3000.md", "text\n===\n" * 3000)
    write(k, "angle-brackets.md", "<" * 10000 + "\n" + "<a" * 5000 + "\n")
    write(k, "entities.md", "&#99999999999; &#x110000; &#0; &amp" * 500 + "\n")
    write(k, "ordered-list-10-digit-markers.md", "1234567890. x\n" * 1000)
    write(k, "invalid-utf8.md", b"# caf\xe9\n")
    write(k, "nul-byte.md", b"# a\0b\n")
    write(k, "only-carriage-returns.md", "\r" * 20000)
    write(k, "combining-marks.md", "# " + "a" + "\u0308" * 5000 + "\n")


if __name__ == "__main__":
    write_gguf()
    write_models()
    write_tokenizer_gguf()
    write_safetensors()
    write_adapters()
    write_wordpiece()
    write_documents()
    total = sum(len(files) for _, _, files in os.walk(ROOT))
    print(f"wrote {total} files under {os.path.normpath(ROOT)}")
