import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Coarse-grained parallelism over the machine's cores.
///
/// Waking a thread costs tens of microseconds here, so work is split into as few pieces as
/// there are cores, each a whole batch slice, never a single small product (PLATFORM.md).
public enum Parallel {
    /// The cores online.
    public static let coreCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Runs `body(i)` for i in 0..<count on up to `count` threads and returns when all are done.
    ///
    /// The calls run at the same time: each must touch memory no other call touches (its own
    /// rows, columns or batch). That is the caller's contract, as for any parallel loop, which is
    /// why `body` need not be `@Sendable`.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 {
            if count == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { work in
            nonisolated(unsafe) let shared = work
            DispatchQueue.concurrentPerform(iterations: count) { shared($0) }
        }
    }

    /// Splits 0..<total into `parts` contiguous ranges whose sizes are multiples of `granule`
    /// (except the last), for handing one range to each thread.
    public static func ranges(of total: Int, parts: Int, granule: Int = 16) -> [Range<Int>] {
        let parts = max(1, parts)
        var size = (total + parts - 1) / parts
        size = (size + granule - 1) / granule * granule
        return stride(from: 0, to: total, by: max(size, 1)).map { $0..<min($0 + size, total) }
    }
}
