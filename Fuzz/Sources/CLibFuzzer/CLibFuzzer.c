#include "CLibFuzzer.h"

// SwiftPM links an executable's entry point as `main` itself, so libFuzzer's own `main` cannot be used:
// the Swift entry point hands over to libFuzzer's driver instead. The driver exists only when the binary
// is linked with `-sanitize=fuzzer`, which `make fuzz` pairs with `-Xcc -DRAG_LIBFUZZER`.
#ifdef RAG_LIBFUZZER
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int rag_fuzz_run_driver(int *argc, char ***argv, rag_fuzz_callback callback) {
    return LLVMFuzzerRunDriver(argc, argv, callback);
}
#else
int rag_fuzz_run_driver(int *argc, char ***argv, rag_fuzz_callback callback) {
    (void)argc;
    (void)argv;
    (void)callback;
    return -1;
}
#endif
