// The C API of CFaiss.h over FAISS's C++ classes. HNSW, NSG and NNDescent headers include
// <omp.h>, which Swift's clang cannot find; they are not needed here: indexes are built through
// index_factory and tuned through ParameterSpace.
#include "CFaiss.h"

#include <faiss/AutoTune.h>
#include <faiss/Index.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>

#include <cstring>
#include <exception>
#include <new>
#include <string>

struct rag_faiss_index {
    faiss::Index *index;
};

namespace {

void write_error(char *error, size_t error_size, const std::string &message) {
    if (error == nullptr || error_size == 0) return;
    size_t length = message.size() < error_size - 1 ? message.size() : error_size - 1;
    std::memcpy(error, message.data(), length);
    error[length] = '\0';
}

/// Runs `body`, turning every exception into a status code and a message.
template <typename Body>
int guarded(char *error, size_t error_size, Body body) {
    try {
        body();
        return RAG_FAISS_OK;
    } catch (const faiss::FaissException &exception) {
        write_error(error, error_size, exception.msg);
        return RAG_FAISS_ERROR;
    } catch (const std::exception &exception) {
        write_error(error, error_size, exception.what());
        return RAG_FAISS_SYSTEM_ERROR;
    } catch (...) {
        write_error(error, error_size, "unknown C++ exception");
        return RAG_FAISS_SYSTEM_ERROR;
    }
}

int invalid(char *error, size_t error_size, const char *message) {
    write_error(error, error_size, message);
    return RAG_FAISS_INVALID_ARGUMENT;
}

}  // namespace

extern "C" {

int rag_faiss_create(const char *factory, int dimension, rag_faiss_index **out, char *error, size_t error_size) {
    if (factory == nullptr || out == nullptr) return invalid(error, error_size, "null argument");
    if (dimension <= 0) return invalid(error, error_size, "dimension must be positive");
    *out = nullptr;
    return guarded(error, error_size, [&] {
        faiss::Index *index = faiss::index_factory(dimension, factory, faiss::METRIC_INNER_PRODUCT);
        *out = new rag_faiss_index{index};
    });
}

void rag_faiss_free(rag_faiss_index *index) {
    if (index == nullptr) return;
    delete index->index;
    delete index;
}

int rag_faiss_dimension(const rag_faiss_index *index) { return index ? index->index->d : 0; }

int64_t rag_faiss_count(const rag_faiss_index *index) { return index ? index->index->ntotal : 0; }

int rag_faiss_is_trained(const rag_faiss_index *index) { return index && index->index->is_trained ? 1 : 0; }

int rag_faiss_train(rag_faiss_index *index, int64_t n, const float *vectors, char *error, size_t error_size) {
    if (index == nullptr || (n > 0 && vectors == nullptr)) return invalid(error, error_size, "null argument");
    if (n < 0) return invalid(error, error_size, "negative count");
    return guarded(error, error_size, [&] { index->index->train(n, vectors); });
}

int rag_faiss_add(
    rag_faiss_index *index, int64_t n, const float *vectors, const int64_t *ids, char *error, size_t error_size) {
    if (index == nullptr || (n > 0 && (vectors == nullptr || ids == nullptr)))
        return invalid(error, error_size, "null argument");
    if (n < 0) return invalid(error, error_size, "negative count");
    return guarded(error, error_size, [&] { index->index->add_with_ids(n, vectors, ids); });
}

int rag_faiss_remove(
    rag_faiss_index *index, int64_t n, const int64_t *ids, int64_t *removed, char *error, size_t error_size) {
    if (index == nullptr || removed == nullptr || (n > 0 && ids == nullptr))
        return invalid(error, error_size, "null argument");
    if (n < 0) return invalid(error, error_size, "negative count");
    *removed = 0;
    return guarded(error, error_size, [&] {
        faiss::IDSelectorBatch selector(n, ids);
        *removed = index->index->remove_ids(selector);
    });
}

int rag_faiss_search(
    const rag_faiss_index *index, int64_t n, const float *queries, int64_t k, float *scores, int64_t *ids,
    char *error, size_t error_size) {
    if (index == nullptr || (n > 0 && (queries == nullptr || scores == nullptr || ids == nullptr)))
        return invalid(error, error_size, "null argument");
    if (n < 0 || k <= 0) return invalid(error, error_size, "count must be >= 0 and k > 0");
    return guarded(error, error_size, [&] { index->index->search(n, queries, k, scores, ids); });
}

int rag_faiss_set_parameter(
    rag_faiss_index *index, const char *name, double value, char *error, size_t error_size) {
    if (index == nullptr || name == nullptr) return invalid(error, error_size, "null argument");
    return guarded(error, error_size, [&] {
        faiss::ParameterSpace().set_index_parameter(index->index, name, value);
    });
}

int rag_faiss_write(const rag_faiss_index *index, const char *path, char *error, size_t error_size) {
    if (index == nullptr || path == nullptr) return invalid(error, error_size, "null argument");
    return guarded(error, error_size, [&] { faiss::write_index(index->index, path); });
}

int rag_faiss_read(const char *path, rag_faiss_index **out, char *error, size_t error_size) {
    if (path == nullptr || out == nullptr) return invalid(error, error_size, "null argument");
    *out = nullptr;
    return guarded(error, error_size, [&] {
        faiss::Index *index = faiss::read_index(path);
        *out = new rag_faiss_index{index};
    });
}

}  // extern "C"
