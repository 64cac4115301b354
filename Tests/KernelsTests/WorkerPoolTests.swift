import Dispatch
import Kernels
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Worker pool")
struct WorkerPoolTests {
    /// Counts how often each part ran.
    final class Tally: @unchecked Sendable {
        let counts: UnsafeMutablePointer<Atomic<Int>>
        let size: Int
        init(_ size: Int) {
            self.size = size
            counts = .allocate(capacity: size)
            for index in 0..<size { (counts + index).initialize(to: Atomic(0)) }
        }
        deinit {
            counts.deinitialize(count: size)
            counts.deallocate()
        }
        func add(_ index: Int) { counts[index].add(1, ordering: .relaxed) }
        var values: [Int] { (0..<size).map { counts[$0].load(ordering: .relaxed) } }
    }

    @Test("every part runs exactly once, over many jobs in a row", arguments: [1, 2, 3, 7, 64])
    func everyPartOnce(parts: Int) {
        let pool = WorkerPool(threads: 3)
        let tally = Tally(parts)
        for _ in 0..<2000 { pool.run(parts) { tally.add($0) } }
        #expect(tally.values == [Int](repeating: 2000, count: parts))
    }

    @Test("a job started inside a job runs on the calling thread instead of deadlocking")
    func nestedJobs() {
        let pool = WorkerPool(threads: 2)
        let tally = Tally(4 * 3)
        pool.run(4) { outer in
            pool.run(3) { inner in tally.add(outer * 3 + inner) }
        }
        #expect(tally.values == [Int](repeating: 1, count: 12))
    }

    @Test("callers on several threads at once all get their parts run")
    func concurrentCallers() {
        let pool = WorkerPool(threads: 2)
        let tally = Tally(8 * 5)
        DispatchQueue.concurrentPerform(iterations: 8) { caller in
            for _ in 0..<200 { pool.run(5) { tally.add(caller * 5 + $0) } }
        }
        #expect(tally.values == [Int](repeating: 200, count: 40))
    }

    @Test("workers that fell asleep wake up for the next job")
    func wakesAfterSleep() {
        let pool = WorkerPool(threads: 2)
        let tally = Tally(2)
        pool.run(2) { tally.add($0) }
        usleep(20_000)  // well past the spin time: the worker sleeps on its condition variable
        pool.run(2) { tally.add($0) }
        #expect(tally.values == [2, 2])
    }

    @Test("after a worker stalls in a part, the next jobs still run every part exactly once")
    func stalledWorker() {
        let pool = WorkerPool(threads: 2)
        let tally = Tally(4)
        let caller = pthread_self()
        // The caller's parts take 0.1 ms, so the worker joins; its own take 3 ms, far longer than
        // the caller's share: a stall, after which the caller runs jobs alone for a while.
        for _ in 0..<5 {
            pool.run(4) { part in
                if pthread_equal(pthread_self(), caller) == 0 {
                    usleep(3000)
                } else {
                    usleep(100)
                }
                tally.add(part)
            }
        }
        for _ in 0..<500 { pool.run(4) { tally.add($0) } }
        #expect(tally.values == [Int](repeating: 505, count: 4))
    }

    @Test("a pool of one thread runs everything on the caller")
    func singleThread() {
        let pool = WorkerPool(threads: 1)
        let tally = Tally(5)
        pool.run(5) { tally.add($0) }
        #expect(tally.values == [1, 1, 1, 1, 1])
        #expect(pool.threadCount == 1)
    }
}
