import Foundation
import Synchronization
import Testing

@testable import RAG

@Suite("Blocking work")
struct BlockingWorkTests {
    @Test("waiting until idle returns once work nobody awaits has finished, and reports work still running")
    func waitUntilIdle() async throws {
        let started = Mutex(false)
        let finished = Mutex(false)
        let release = DispatchSemaphore(value: 0)
        // Work whose caller went away: nothing awaits it, yet it runs to its end.
        let caller = Task {
            await BlockingWork.run {
                started.withLock { $0 = true }
                release.wait()
                finished.withLock { $0 = true }
            }
        }
        caller.cancel()
        while !started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(!BlockingWork.waitUntilIdle(seconds: 0.05))
        release.signal()
        #expect(BlockingWork.waitUntilIdle(seconds: 60))
        #expect(finished.withLock { $0 })
    }
}
