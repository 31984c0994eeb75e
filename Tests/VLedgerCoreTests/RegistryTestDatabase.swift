import PostgresLibPQ
import VLedgerTestSupport

/// A migrated test database with one connection, for tests that run their body isolated on it.
enum RegistryTestDatabase {
    static func withDatabase<T: Sendable>(_ body: @escaping @Sendable (isolated Connection) throws -> T) async throws -> T {
        try await TestDatabase.with { database in
            let connection = try await database.connect()
            defer { Task { await connection.close() } }
            return try await connection.withIsolated(body)
        }
    }
}
