import Dispatch

/// Runs synchronous work (embedding, a FAISS search, an ingest) on a dispatch queue instead of
/// Swift's cooperative threads. There are only as many of those as cores, and a server runs its
/// connections on them: work that holds them makes every other request wait for a thread, and
/// which one gets it next is not first come, first served (a long tail of latency under load).
/// Callers bound how much runs at once with an `AdmissionQueue`.
public enum BlockingWork {
    private static let queue = DispatchQueue(label: "rag.blocking-work", qos: .userInitiated, attributes: .concurrent)
    /// The work started and not finished, so that a process can wait for it before it exits.
    private static let running = DispatchGroup()

    public static func run<T: Sendable, Failure: Error>(_ work: @escaping @Sendable () throws(Failure) -> T)
        async throws(Failure) -> T
    {
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            queue.async(group: running) {
                do throws(Failure) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Waits until no work runs, at most `seconds`; false when some still did.
    ///
    /// A request whose client went away leaves its work running (it cannot be interrupted), and a
    /// process should not exit under it: its libraries are torn down at exit while it still uses
    /// them (a server stopped just after a burst of requests once crashed inside OpenBLAS).
    @discardableResult
    public static func waitUntilIdle(seconds: Double) -> Bool {
        running.wait(timeout: .now() + seconds) == .success
    }
}
