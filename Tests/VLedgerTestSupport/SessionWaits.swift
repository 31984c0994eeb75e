import PostgresLibPQ

/// Observable states of other sessions, for tests that must know another connection got
/// somewhere before they go on (instead of sleeping and assuming it did).
public enum SessionWaits {
    /// Waits until at least `count` sessions of `admin`'s database are blocked on a heavyweight
    /// lock of type `event` (pg_stat_activity.wait_event: "advisory" for pg_advisory_lock,
    /// "transactionid" for a row or unique-key conflict with another open transaction).
    public static func untilBlocked(_ count: Int, on event: String, admin: Connection) async throws {
        try await waitUntil("\(count) sessions wait on a lock of type \(event)") {
            try await blocked(on: event, admin: admin) >= count
        }
    }

    /// How many sessions of `admin`'s database are blocked on a lock of type `event` now.
    public static func blocked(on event: String, admin: Connection) async throws -> Int {
        // Each call is its own transaction, so pg_stat_activity is read afresh.
        try await admin.query("""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = \(event)
            """).single().decode(0, as: Int.self)
    }
}
