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
    public static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count <= 1 {
            if count == 1 { body(0) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }
}
