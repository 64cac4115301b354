import CFaiss

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One FAISS index with 64-bit ids and the inner-product metric (on unit vectors: cosine).
///
/// Searches may run concurrently with each other; `add`, `remove` and `train` take the write
/// side of a reader-writer lock, since FAISS itself allows no writer beside readers.
public final class FaissIndex: @unchecked Sendable {
    /// Vector length.
    public let dimension: Int
    private let handle: OpaquePointer
    private let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)

    private init(handle: OpaquePointer) {
        self.handle = handle
        dimension = Int(rag_faiss_dimension(handle))
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        rag_faiss_free(handle)
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// An empty index built by FAISS's `index_factory` ("IDMap2,Flat", "IDMap2,HNSW32", …).
    public convenience init(factory: String, dimension: Int) throws(VectorIndexError) {
        var handle: OpaquePointer?
        try Self.check("create an index from '\(factory)'") {
            rag_faiss_create(factory, Int32(dimension), &handle, $0, $1)
        }
        guard let handle else {
            throw .faiss(operation: "create an index from '\(factory)'", message: "no index returned")
        }
        self.init(handle: handle)
    }

    /// Reads an index written by `write(to:)`.
    public convenience init(contentsOf path: String) throws(VectorIndexError) {
        var handle: OpaquePointer?
        try Self.check("read \(path)") { rag_faiss_read(path, &handle, $0, $1) }
        guard let handle else { throw .faiss(operation: "read \(path)", message: "no index returned") }
        self.init(handle: handle)
    }

    /// Number of vectors held.
    public var count: Int { withLock(write: false) { Int(rag_faiss_count(handle)) } }

    /// Whether vectors can be added without training first.
    public var isTrained: Bool { withLock(write: false) { rag_faiss_is_trained(handle) != 0 } }

    /// Trains the index on sample vectors (IVF variants need it).
    public func train(_ vectors: [[Float]]) throws(VectorIndexError) {
        let flat = try flatten(vectors)
        try withLock(write: true) { () throws(VectorIndexError) in
            try Self.check("train") { rag_faiss_train(handle, Int64(vectors.count), flat, $0, $1) }
        }
    }

    /// Adds vectors with their ids.
    public func add(_ vectors: [[Float]], ids: [Int64]) throws(VectorIndexError) {
        guard vectors.count == ids.count else {
            throw .faiss(operation: "add", message: "\(vectors.count) vectors but \(ids.count) ids")
        }
        let flat = try flatten(vectors)
        try withLock(write: true) { () throws(VectorIndexError) in
            try Self.check("add \(vectors.count) vectors") {
                rag_faiss_add(handle, Int64(ids.count), flat, ids, $0, $1)
            }
        }
    }

    /// Removes the vectors with these ids and returns how many were found. HNSW indexes cannot
    /// remove (FAISS says so, as an error); callers filter their ids at search time instead.
    @discardableResult
    public func remove(ids: [Int64]) throws(VectorIndexError) -> Int {
        var removed: Int64 = 0
        try withLock(write: true) { () throws(VectorIndexError) in
            try Self.check("remove \(ids.count) ids") {
                rag_faiss_remove(handle, Int64(ids.count), ids, &removed, $0, $1)
            }
        }
        return Int(removed)
    }

    /// One search result: the id and its inner product with the query.
    public struct Match: Sendable, Equatable {
        public var id: Int64
        public var score: Float
    }

    /// The `k` vectors with the highest inner product with `query`, best first (fewer when the
    /// index holds fewer).
    public func search(_ query: [Float], k: Int) throws(VectorIndexError) -> [Match] {
        guard query.count == dimension else { throw .dimensionMismatch(expected: dimension, found: query.count) }
        guard k > 0 else { return [] }
        var scores = [Float](repeating: 0, count: k)
        var ids = [Int64](repeating: -1, count: k)
        try withLock(write: false) { () throws(VectorIndexError) in
            try Self.check("search") { rag_faiss_search(handle, 1, query, Int64(k), &scores, &ids, $0, $1) }
        }
        return zip(ids, scores).filter { $0.0 >= 0 }.map { Match(id: $0.0, score: $0.1) }
    }

    /// Sets a search-time parameter: "efSearch" for HNSW, "nprobe" for IVF.
    public func setParameter(_ name: String, _ value: Double) throws(VectorIndexError) {
        try withLock(write: true) { () throws(VectorIndexError) in
            try Self.check("set \(name) to \(value)") { rag_faiss_set_parameter(handle, name, value, $0, $1) }
        }
    }

    /// Writes the index to `path` atomically: to a temporary file beside it, synced to disk, then
    /// renamed over `path`, so a crash leaves either the old file or the new one, never half of one.
    public func write(to path: String) throws(VectorIndexError) {
        let temporary = "\(path).tmp-\(getpid())"
        do {
            try withLock(write: false) { () throws(VectorIndexError) in
                try Self.check("write \(temporary)") { rag_faiss_write(handle, temporary, $0, $1) }
            }
            try Self.sync(temporary)
            guard rename(temporary, path) == 0 else {
                throw VectorIndexError.io(path: path, reason: "rename failed: \(String(cString: strerror(errno)))")
            }
            let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(
                separator: "/")
            try Self.sync(directory.isEmpty ? "." : directory)
        } catch let error as VectorIndexError {
            unlink(temporary)
            throw error
        } catch {
            unlink(temporary)
            throw .io(path: path, reason: "\(error)")
        }
    }

    private static func sync(_ path: String) throws(VectorIndexError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .io(path: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw .io(path: path, reason: "fsync failed: \(String(cString: strerror(errno)))")
        }
    }

    private func flatten(_ vectors: [[Float]]) throws(VectorIndexError) -> [Float] {
        var flat: [Float] = []
        flat.reserveCapacity(vectors.count * dimension)
        for vector in vectors {
            guard vector.count == dimension else { throw .dimensionMismatch(expected: dimension, found: vector.count) }
            flat += vector
        }
        return flat
    }

    private func withLock<R, E: Error>(write: Bool, _ body: () throws(E) -> R) throws(E) -> R {
        if write { pthread_rwlock_wrlock(lock) } else { pthread_rwlock_rdlock(lock) }
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    /// Calls the shim with an error buffer and turns a failure into `.faiss`.
    private static func check(
        _ operation: @autoclosure () -> String, _ call: (UnsafeMutablePointer<CChar>, Int) -> Int32
    ) throws(VectorIndexError) {
        var buffer = [CChar](repeating: 0, count: 1024)
        let status = buffer.withUnsafeMutableBufferPointer { call($0.baseAddress!, $0.count) }
        guard status != 0 else { return }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        throw .faiss(operation: operation(), message: String(decoding: bytes, as: UTF8.self))
    }
}
