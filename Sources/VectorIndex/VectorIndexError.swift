/// Everything that can go wrong in a vector index or a collection on disk.
///
/// Each case says what was being done and, from FAISS or SQLite, their own message.
public enum VectorIndexError: Error, CustomStringConvertible, Sendable, Equatable {
    /// FAISS refused an operation (a bad factory string, removal on HNSW, …).
    case faiss(operation: String, message: String)
    /// A vector whose length is not the index's dimension.
    case dimensionMismatch(expected: Int, found: Int)
    /// A file could not be written, synced or renamed into place.
    case io(path: String, reason: String)
    /// SQLite refused an operation on the collection's database.
    case database(path: String, message: String)
    /// The disk holding the collection is full; the write that failed was rolled back.
    case diskFull(path: String)
    /// The collection was built with another embedder (or dimension) than the one opening it.
    case embedderMismatch(path: String, stored: String, requested: String)

    public var description: String {
        switch self {
        case .faiss(let operation, let message):
            return "FAISS could not \(operation): \(message)"
        case .dimensionMismatch(let expected, let found):
            return "vector has \(found) dimensions, the index holds \(expected)-dimensional vectors"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .database(let path, let message):
            return "\(path): \(message)"
        case .diskFull(let path):
            return
                "\(path): the disk is full; nothing of the change that failed was stored. Free some space and run it again"
        case .embedderMismatch(let path, let stored, let requested):
            return
                "\(path) was built with the embedder \(stored), not \(requested); open it with that embedder (--model), or ingest into a new collection"
        }
    }
}
