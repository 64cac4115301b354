#ifndef RAG_CLIBFUZZER_H
#define RAG_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// What libFuzzer calls with each input; returns 0.
typedef int (*rag_fuzz_callback)(const uint8_t *data, size_t size);

/// Runs libFuzzer's driver (`LLVMFuzzerRunDriver`) over `argc`/`argv` with `callback` as the target and
/// returns its status; returns -1 at once when this binary was built without libFuzzer (no `RAG_LIBFUZZER`).
int rag_fuzz_run_driver(int *argc, char ***argv, rag_fuzz_callback callback);

#endif
