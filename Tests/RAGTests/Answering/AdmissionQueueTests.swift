import Testing

@testable import RAG

@Suite("Admission queue")
struct AdmissionQueueTests {
    @Test("slots run, a bounded number wait, the rest are refused; a release admits the next")
    func bounds() async throws {
        let queue = AdmissionQueue(slots: 1, maxWaiting: 1)
        let first = try await queue.admit()
        let waiting = Task { try await queue.admit() }
        while queue.waitingCount < 1 { await Task.yield() }
        await #expect(throws: AnsweringError.queueFull(waiting: 1)) { _ = try await queue.admit() }
        first.release()
        let second = try await waiting.value
        #expect(queue.runningCount == 1 && queue.waitingCount == 0)
        second.release()
        second.release()  // a second release does nothing
        #expect(queue.runningCount == 0)
    }

    @Test("a cancelled waiter leaves the queue and its slot is not lost")
    func cancellation() async throws {
        let queue = AdmissionQueue(slots: 1, maxWaiting: 4)
        var first: Admission? = try await queue.admit()
        let waiting = Task { try await queue.admit() }
        while queue.waitingCount < 1 { await Task.yield() }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiting.value }
        #expect(queue.waitingCount == 0)
        first = nil  // dropping the ticket releases it
        #expect(first == nil && queue.runningCount == 0)
        let again = try await queue.admit()
        #expect(queue.runningCount == 1)
        again.release()
    }
}
