import Foundation

/// Hang guards for tests, in place of Swift Testing's `.timeLimit`, whose clock also runs while
/// a test queues at `TestGate` and so fails tests on a busy machine. A guard here starts only when
/// it is called, i.e. after admission. Its bounds are hang detectors (minutes), never claims about
/// speed: those belong in `vledger bench`.

/// Thrown when a guarded body is still running at its deadline.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let what: String
    public let deadline: Duration
    public var description: String {
        "\(what) still running \(deadline) after it started: it hangs (this is a hang guard, not a speed limit)"
    }
}

/// Runs `body`, or throws `DeadlineExceeded` once `deadline` has passed, whichever comes first.
/// The body runs in an unstructured task (it inherits task-locals such as the gate's admission)
/// so that a body stuck in a blocking call cannot keep the test waiting: on the deadline the test
/// fails and the body is cancelled and abandoned.
public func withDeadline<T: Sendable>(
    _ deadline: Duration, _ what: String = "the test body",
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let outcome = Outcome(continuation)
        let work = Task {
            do {
                outcome.finish(.success(try await body()))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        let timer = Task {
            try await Task.sleep(for: deadline)
            if outcome.finish(.failure(DeadlineExceeded(what: what, deadline: deadline))) { work.cancel() }
        }
        outcome.onFinish { timer.cancel() }
    }
}

/// Polls `condition` every `interval` until it holds; throws `DeadlineExceeded` naming `what` if it
/// still does not hold after `within` (a hang guard, so minutes). For waiting on an observable
/// state (a backend's state in pg_stat_activity, a pool's waiter count) instead of sleeping and
/// assuming another task got there.
public func waitUntil(
    _ what: String, within: Duration = .seconds(120), interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let end = clock.now + within
    while true {
        if try await condition() { return }
        if clock.now >= end { throw DeadlineExceeded(what: "waiting until \(what)", deadline: within) }
        try await Task.sleep(for: interval)
    }
}

/// The one result of a race, delivered to the continuation exactly once.
private final class Outcome<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var finished: (@Sendable () -> Void)?

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = continuation
    }

    /// Runs `action` when the race is decided (now, if it already is).
    func onFinish(_ action: @escaping @Sendable () -> Void) {
        let decided = lock.withLock { () -> Bool in
            if continuation == nil { return true }
            finished = action
            return false
        }
        if decided { action() }
    }

    /// True if this call decided the race.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let taken = lock.withLock { () -> (CheckedContinuation<T, any Error>, (@Sendable () -> Void)?)? in
            guard let continuation else { return nil }
            defer { self.continuation = nil; finished = nil }
            return (continuation, finished)
        }
        guard let (continuation, action) = taken else { return false }
        continuation.resume(with: result)
        action?()
        return true
    }
}
