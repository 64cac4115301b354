#if canImport(Glibc)
    import CMalloc
    import Glibc
#endif

/// Hands the pages of freed heap memory back to the system.
///
/// Loading a model frees the file's parsed metadata and the tokenizer's scaffolding (2 MB for
/// SmolLM2), which lie among the weights' allocations where nothing that large is allocated again:
/// glibc keeps such free blocks resident until something reuses them. `malloc_trim` releases the
/// whole pages inside them (they read back as zeros if a later allocation takes them); elsewhere
/// this does nothing.
enum FreedMemory {
    static func release() {
        #if canImport(Glibc)
            _ = malloc_trim(0)
        #endif
    }
}
