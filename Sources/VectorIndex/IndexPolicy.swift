/// The FAISS structures a collection's vectors can be kept in.
public enum IndexLayout: String, Sendable, CaseIterable {
    /// Exact search over every vector; removes deleted ids at once. Best below some 20,000 vectors.
    case flat
    /// HNSW graph (32 links per node): fast approximate search at any size, slow to build, and
    /// unable to remove vectors (PLATFORM.md), so deleted ids are filtered until a rebuild.
    case hnsw
    /// Inverted lists over k-means cells, searched in the nearest `nprobe` cells: quick to build,
    /// removes ids, approximate; needs enough vectors to train its cells.
    case ivf
}

/// Which layout a collection's index gets when it is built (first opened, rebuilt or compacted).
///
/// An index loaded from disk keeps the layout it was written with; the policy takes effect at the
/// next rebuild.
public struct IndexPolicy: Sendable, Equatable {
    /// A fixed layout, or nil to choose by size: Flat below `approximateThreshold`, HNSW above.
    public var layout: IndexLayout?
    public var approximateThreshold: Int

    public init(layout: IndexLayout? = nil, approximateThreshold: Int = 20_000) {
        self.layout = layout
        self.approximateThreshold = max(0, approximateThreshold)
    }

    /// Flat up to 20,000 vectors, HNSW above.
    public static let automatic = IndexPolicy()

    /// Vectors each IVF cell should get at least, for k-means to place it well (FAISS warns below 39).
    static let vectorsPerCell = 39

    /// The layout for an index of `count` vectors. IVF with too few vectors to train falls back to Flat.
    public func layout(forCount count: Int) -> IndexLayout {
        switch layout {
        case nil: return count < approximateThreshold ? .flat : .hnsw
        case .ivf: return count >= Self.minimumCells * Self.vectorsPerCell ? .ivf : .flat
        case let fixed?: return fixed
        }
    }

    static let minimumCells = 16

    /// IVF cells for `count` vectors: about 4·√n, a power of two, so that each holds hundreds.
    public static func cellCount(forCount count: Int) -> Int {
        var cells = minimumCells
        let target = 4 * Double(count).squareRoot()
        while Double(cells * 2) <= target, (cells * 2) * vectorsPerCell <= count, cells < 65_536 { cells *= 2 }
        return cells
    }

    /// Cells searched per query: an eighth of them (at least 8), which keeps recall@10 on sentence
    /// embeddings high while reading a small share of the vectors.
    public static func probeCount(cells: Int) -> Int { min(cells, max(8, cells / 8)) }

    /// The FAISS factory string of `layout` for `count` vectors.
    public static func factory(_ layout: IndexLayout, count: Int) -> String {
        switch layout {
        case .flat: return "IDMap2,Flat"
        case .hnsw: return "IDMap2,HNSW32"
        // IVF keeps ids in its lists itself. Wrapped in IDMap2 its removals would corrupt the map:
        // IDMap2 compacts its id table on removal, assuming the inner index renumbers, which IVF does not.
        case .ivf: return "IVF\(cellCount(forCount: count)),Flat"
        }
    }
}
