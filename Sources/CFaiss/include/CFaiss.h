// A small C API over the FAISS C++ library, for Swift.
//
// Debian's libfaiss-dev ships the static C++ library only (its own C API headers are present but
// their symbols are not compiled in), so this target wraps the few calls rag needs. Every call
// that can fail returns a status and, on failure, writes a message into `error` (at most
// `error_size` bytes, NUL-terminated); no C++ exception ever crosses into Swift.
#ifndef RAG_CFAISS_H
#define RAG_CFAISS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Status codes.
enum {
    RAG_FAISS_OK = 0,
    /// FAISS refused the operation (its own exception), e.g. a bad factory string.
    RAG_FAISS_ERROR = 1,
    /// A standard C++ exception, e.g. out of memory.
    RAG_FAISS_SYSTEM_ERROR = 2,
    /// An argument was invalid before FAISS was called (null pointer, negative count).
    RAG_FAISS_INVALID_ARGUMENT = 3,
};

/// An index; opaque to the caller.
typedef struct rag_faiss_index rag_faiss_index;

/// Creates an empty index from a factory string ("IDMap2,Flat", "IDMap2,HNSW32", "IVF64,Flat", …)
/// with the inner-product metric.
int rag_faiss_create(const char *factory, int dimension, rag_faiss_index **out, char *error, size_t error_size);

/// Frees an index (null is fine).
void rag_faiss_free(rag_faiss_index *index);

/// Vector length.
int rag_faiss_dimension(const rag_faiss_index *index);

/// Number of vectors held.
int64_t rag_faiss_count(const rag_faiss_index *index);

/// Whether the index needs no (more) training before vectors are added.
int rag_faiss_is_trained(const rag_faiss_index *index);

/// Trains the index on `n` vectors (IVF variants need it; others ignore it).
int rag_faiss_train(rag_faiss_index *index, int64_t n, const float *vectors, char *error, size_t error_size);

/// Adds `n` vectors (n × dimension floats) with their ids.
int rag_faiss_add(
    rag_faiss_index *index, int64_t n, const float *vectors, const int64_t *ids, char *error, size_t error_size);

/// Removes the vectors with these ids; `removed` receives how many were found.
int rag_faiss_remove(
    rag_faiss_index *index, int64_t n, const int64_t *ids, int64_t *removed, char *error, size_t error_size);

/// For each of `n` queries, the `k` best (highest inner product) vectors: `scores` and `ids` are
/// n × k; missing results have id -1.
int rag_faiss_search(
    const rag_faiss_index *index, int64_t n, const float *queries, int64_t k, float *scores, int64_t *ids,
    char *error, size_t error_size);

/// Sets a search-time parameter ("efSearch" for HNSW, "nprobe" for IVF), through IDMap wrappers.
int rag_faiss_set_parameter(
    rag_faiss_index *index, const char *name, double value, char *error, size_t error_size);

/// Writes the index to `path` (the caller writes to a temporary name and renames).
int rag_faiss_write(const rag_faiss_index *index, const char *path, char *error, size_t error_size);

/// Reads an index written by `rag_faiss_write`.
int rag_faiss_read(const char *path, rag_faiss_index **out, char *error, size_t error_size);

#ifdef __cplusplus
}
#endif

#endif
