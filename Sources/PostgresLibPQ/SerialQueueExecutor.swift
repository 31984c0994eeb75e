import Dispatch

/// Runs an actor's jobs on its own serial dispatch queue, so the blocking libpq calls made while
/// isolated to a connection never occupy a thread of Swift's shared cooperative pool.
final class SerialQueueExecutor: SerialExecutor, @unchecked Sendable {
    // The queue is only ever used through `async`, which is thread-safe.
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async {
            job.runSynchronously(on: self.asUnownedSerialExecutor())
        }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
