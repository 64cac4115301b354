import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Long-lived worker threads for fine-grained parallel work: the matrix products of one short
/// input, where a job lasts tens of microseconds.
///
/// Waking a thread through the OS costs about as much as such a job (PLATFORM.md), so between jobs
/// the workers spin on a generation counter for a short while before they sleep, as llama.cpp's
/// thread pool does; a forward pass issues its jobs back to back and finds them awake.
///
/// A worker that the OS takes off its core in the middle of a part (other processes want the cores)
/// makes the caller wait for it, often a whole time slice, many times the job. After such a stall
/// the caller runs the next jobs alone (the workers, finding nothing, stop spinning and sleep,
/// leaving the cores to whoever took them), then tries the workers again; each stall soon after
/// a retry doubles the stretch it runs alone. On an idle machine no stall happens and nothing changes.
///
/// One job runs at a time. A caller that finds the pool busy (another thread's job, or a job
/// started from inside a job) runs its parts itself instead of waiting, so the pool can never
/// deadlock and never makes a caller slower than running alone.
///
/// Workers join a job rather than being counted in advance: a worker that the OS has not run by
/// the time the caller has taken every part is shut out, and the caller returns at once instead of
/// waiting a whole scheduler time slice for it. On a host where other processes keep the cores
/// busy this is the difference between a parallel product that is never much slower than one
/// thread and one that is ten times slower.
public final class WorkerPool: @unchecked Sendable {
    /// One pool for the process, with a worker per core besides the caller.
    public static let shared = WorkerPool(threads: Parallel.coreCount)

    /// Threads that take part in a job, the caller included.
    public let threadCount: Int

    /// How long an idle worker spins before it sleeps.
    private let spinNanoseconds: UInt64 = 200_000

    private let busy = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let nextPart = Atomic<Int>(0)
    /// The open job's admission: its generation above bit 16, a closed flag in bit 15, and the
    /// workers admitted below it. Workers join with a compare-and-swap while the flag is clear.
    private let ticket = Atomic<Int>(0)
    /// Admitted workers that have finished the open job.
    private let finishedWorkers = Atomic<Int>(0)
    private static let closedFlag = 1 << 15
    private static let admittedMask = (1 << 15) - 1
    // The job's fields, published by the release store to `generation` and read after an
    // acquiring load of it; the caller does not return before every worker is done with them.
    private nonisolated(unsafe) var job: ((Int) -> Void)?
    private nonisolated(unsafe) var partCount = 0
    // The stall back-off, touched only by the caller that holds `busy`.
    private nonisolated(unsafe) var soloJobs = 0
    private nonisolated(unsafe) var soloStretch = WorkerPool.shortestSoloStretch
    private nonisolated(unsafe) var jobsSinceStall = 0
    private static let shortestSoloStretch = 64
    private static let longestSoloStretch = 16384

    // Allocated, not stored inline: pthread objects must not move, and Swift gives no stable
    // address for a stored property passed with `&`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private nonisolated(unsafe) var sleepers = 0  // guarded by `mutex`

    /// Starts `threads - 1` workers (none for 1). Workers live as long as the process: each holds
    /// the pool, so a pool is never deallocated.
    public init(threads: Int) {
        threadCount = max(1, threads)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for _ in 1..<threadCount {
            let context = Unmanaged.passRetained(self).toOpaque()
            var thread = pthread_t()
            let started = pthread_create(
                &thread, nil,
                { context in
                    guard let context else { return nil }
                    Unmanaged<WorkerPool>.fromOpaque(context).takeRetainedValue().workerLoop()
                    return nil
                }, context)
            if started == 0 {
                pthread_detach(thread)
            } else {
                Unmanaged<WorkerPool>.fromOpaque(context).release()
            }
        }
    }

    /// Runs `body(i)` for every i in 0..<parts across the pool's threads (the caller's included)
    /// and returns when all are done. Calls must touch disjoint memory.
    public func run(_ parts: Int, _ body: (Int) -> Void) {
        guard parts > 1, threadCount > 1,
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for part in 0..<parts { body(part) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        if soloJobs > 0 {
            soloJobs -= 1
            for part in 0..<parts { body(part) }
            return
        }
        jobsSinceStall += 1
        withoutActuallyEscaping(body) { body in
            job = body
            partCount = parts
            nextPart.store(0, ordering: .relaxed)
            finishedWorkers.store(0, ordering: .relaxed)
            let current = generation.load(ordering: .relaxed) + 1
            ticket.store(current << 16, ordering: .releasing)
            generation.store(current, ordering: .releasing)
            pthread_mutex_lock(mutex)
            if sleepers > 0 { pthread_cond_broadcast(wake) }
            pthread_mutex_unlock(mutex)

            let started = Self.now()
            takeParts(body, parts)
            let taken = Self.now()
            // Every part is taken: shut out the workers that have not joined yet, then wait for
            // those that have (they may still be running a part).
            let admitted =
                ticket.bitwiseOr(Self.closedFlag, ordering: .acquiringAndReleasing).oldValue & Self.admittedMask
            // A worker still inside a part may have lost its core to another process; after a
            // short spin, yielding lets it run here instead of waiting out a whole time slice.
            var spins = 0
            while finishedWorkers.load(ordering: .acquiring) < admitted {
                spins += 1
                if spins > 2048 { sched_yield() }
            }
            job = nil
            // A wait longer than the caller's own share of the work (and than any scheduler
            // hiccup) means a worker lost its core.
            if spins > 2048, Self.now() - taken > max(Self.stallNanoseconds, 2 * (taken - started)) {
                backOffAfterStall()
            }
        }
    }

    /// Longest wait for the workers that is not counted as a stall.
    private static let stallNanoseconds: UInt64 = 200_000

    private func backOffAfterStall() {
        let soon = jobsSinceStall < 4 * soloStretch
        soloStretch = soon ? min(2 * soloStretch, Self.longestSoloStretch) : Self.shortestSoloStretch
        soloJobs = soloStretch
        jobsSinceStall = 0
    }

    private func takeParts(_ body: (Int) -> Void, _ parts: Int) {
        while true {
            let part = nextPart.add(1, ordering: .relaxed).oldValue
            guard part < parts else { return }
            body(part)
        }
    }

    private func workerLoop() {
        // Generation 0 is the one before any job; reading the counter here instead could miss a
        // job published before this thread got to run, and that job would wait for it forever.
        var seen = 0
        while true {
            _ = waitForJob(after: seen)
            // Join the open job, if it is still open; either way, wait next for a later one.
            var current = ticket.load(ordering: .acquiring)
            var admitted = false
            while current & Self.closedFlag == 0 {
                let (exchanged, found) = ticket.compareExchange(
                    expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
                if exchanged {
                    admitted = true
                    break
                }
                current = found
            }
            seen = current >> 16
            if admitted {
                if let body = job { takeParts(body, partCount) }
                finishedWorkers.add(1, ordering: .releasing)
            }
        }
    }

    /// Spins for `spinNanoseconds`, then sleeps, until the generation moves past `seen`.
    private func waitForJob(after seen: Int) -> Int {
        let deadline = Self.now() + spinNanoseconds
        var spins = 0
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            spins += 1
            if spins & 1023 == 0, Self.now() > deadline { break }
        }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            sleepers += 1
            pthread_cond_wait(wake, mutex)
            sleepers -= 1
        }
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
