import PostgresLibPQ
import Testing
import VLedgerTestSupport

struct CopyWithColumnsTests {
    /// A COPY's start result describes its columns without names; reading it must not crash.
    @Test func copyIntoSeveralColumnsLoadsEveryRow() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let connection = try await Connection.connect(database.connectionString)
            try await connection.execute("CREATE TABLE t (a int, b text, c date)")
            let loaded = try await connection.withIsolated { db in
                try db.copyIn("COPY t (a, b, c) FROM STDIN") { writer in
                    try writer.write(["1", "凤凰城街道\t\\", "2019-12-31"])
                    try writer.write(["2", nil, nil])
                }
            }
            #expect(loaded == 2)
            let rows = try await connection.query("SELECT a, b, c::text FROM t ORDER BY a")
            #expect(try rows[0].decode(1, as: String.self) == "凤凰城街道\t\\" && rows[1].decode(1, as: String?.self) == nil)
        }
    }
}
