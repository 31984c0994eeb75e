import Foundation
import PostgresLibPQ
import VLedgerTestSupport

/// A fresh, unmigrated database and one connection to it; the connection is closed before the
/// database is dropped so the drop never has to force anything.
func withConnection<T: Sendable>(_ body: @Sendable (TestDatabase, Connection) async throws -> T) async throws -> T {
    try await TestDatabase.with(migrated: false) { database in
        let connection = try await database.connect()
        do {
            let value = try await body(database, connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }
}

/// Same, under a hang guard that starts once the test is admitted (see `TestDatabase.with(deadline:)`).
func withConnection<T: Sendable>(
    deadline: Duration, _ body: @escaping @Sendable (TestDatabase, Connection) async throws -> T
) async throws -> T {
    try await TestDatabase.with(migrated: false, deadline: deadline) { database in
        let connection = try await database.connect()
        do {
            let value = try await body(database, connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }
}

/// Microseconds since 1970, the precision PostgreSQL keeps; comparing these avoids false
/// mismatches from the binary fraction of `Date`.
func microseconds(_ date: Date) -> Int64 {
    Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
}

/// The number of rows in `table`, read on a connection of its own so that it sees only
/// committed data.
func committedCount(_ table: String, in database: TestDatabase) async throws -> Int {
    let reader = try await database.connect()
    let count = try await reader.query("SELECT count(*) FROM \(unsafeRaw: table)").single().decode(0, as: Int.self)
    await reader.close()
    return count
}
