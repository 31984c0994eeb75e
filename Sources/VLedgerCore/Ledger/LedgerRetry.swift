import Foundation
import PostgresLibPQ

public enum LedgerRetry {
    /// Runs `body` in a transaction, again when PostgreSQL aborted it as a deadlock victim or a
    /// serialization failure (nothing of it was committed, so a replay cannot double-write),
    /// at most `attempts` times, with a short random pause between tries.
    public static func transaction<T: Sendable>(
        _ connection: Connection, attempts: Int = 5, retried: (@Sendable () -> Void)? = nil,
        _ body: @Sendable (isolated Connection) throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await connection.transaction(body)
            } catch let error as PostgresError where isRetryable(error) && attempt < attempts {
                attempt += 1
                retried?()
                try await Task.sleep(nanoseconds: UInt64.random(in: 1_000_000...(20_000_000 * UInt64(attempt))))
            }
        }
    }

    public static func isRetryable(_ error: PostgresError) -> Bool {
        error.sqlState == .deadlockDetected || error.sqlState == .serializationFailure
    }
}
