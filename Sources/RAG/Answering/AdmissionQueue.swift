import Foundation

/// Lets a fixed number of jobs run at once and a bounded number wait; past that, a request is
/// refused at once (the service answers 429) instead of piling up until clients time out.
///
/// A waiting task that is cancelled (its client went away) leaves the queue.
public final class AdmissionQueue: @unchecked Sendable {
    /// Jobs that may run at once.
    public let slots: Int
    /// Jobs that may wait for a slot.
    public let maxWaiting: Int
    private let lock = NSLock()
    private var running = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, Error>)] = []
    private var nextID: UInt64 = 0

    public init(slots: Int, maxWaiting: Int) {
        self.slots = max(1, slots)
        self.maxWaiting = max(0, maxWaiting)
    }

    /// Jobs running now.
    public var runningCount: Int { lock.withLock { running } }
    /// Jobs waiting for a slot now.
    public var waitingCount: Int { lock.withLock { waiters.count } }

    /// Waits for a slot; the returned ticket gives it back when released or dropped.
    /// - Throws: `AnsweringError.queueFull` when `maxWaiting` jobs wait already;
    ///   `CancellationError` when the task is cancelled while waiting.
    public func admit() async throws -> Admission {
        let id = lock.withLock {
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                // Deciding and enqueueing under one lock: a slot freed in between cannot be missed.
                let outcome: Result<Void, Error>? = lock.withLock {
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if running < slots {
                        running += 1
                        return .success(())
                    }
                    if waiters.count >= maxWaiting { return .failure(AnsweringError.queueFull(waiting: waiters.count)) }
                    waiters.append((id, continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = lock.withLock {
                waiters.firstIndex { $0.id == id }.map { waiters.remove(at: $0) }
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
        // Either a free slot was taken or `release` handed one over (running stays counted).
        return Admission(queue: self)
    }

    /// Hands the slot to the next waiter, or frees it.
    fileprivate func release() {
        let next: CheckedContinuation<Void, Error>? = lock.withLock {
            if waiters.isEmpty {
                running -= 1
                return nil
            }
            return waiters.removeFirst().continuation
        }
        next?.resume()
    }
}

/// A running job's slot; released once, explicitly or when the ticket is dropped.
public final class Admission: @unchecked Sendable {
    private let queue: AdmissionQueue
    private let lock = NSLock()
    private var released = false

    fileprivate init(queue: AdmissionQueue) { self.queue = queue }

    public func release() {
        let first = lock.withLock {
            defer { released = true }
            return !released
        }
        if first { queue.release() }
    }

    deinit { if !released { queue.release() } }
}
