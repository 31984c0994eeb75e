import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

struct TransactionTests {
    struct Refused: Error, Equatable { let reason: String }

    static func makeTable(_ connection: Connection) async throws {
        try await connection.execute("CREATE TABLE entry (id int PRIMARY KEY, note text)")
    }

    @Test func returningCommitsAndTheValueComesBack() async throws {
        try await withConnection { database, connection in
            try await Self.makeTable(connection)
            let total = try await connection.transaction { db in
                try db.execute("INSERT INTO entry VALUES (1, 'a'), (2, 'b')")
                return try db.query("SELECT sum(id) FROM entry").single().decode(0, as: Int.self)
            }
            #expect(total == 3)
            #expect(try await committedCount("entry", in: database) == 2)
            #expect(await connection.isUsable)
        }
    }

    @Test func aSwiftErrorRollsEverythingBack() async throws {
        try await withConnection { database, connection in
            try await Self.makeTable(connection)
            let error = await #expect(throws: Refused.self) {
                try await connection.transaction { db in
                    try db.execute("INSERT INTO entry VALUES (1, 'a')")
                    try db.execute("INSERT INTO entry VALUES (2, 'b')")
                    throw Refused(reason: "rule broken after two writes")
                }
            }
            #expect(error == Refused(reason: "rule broken after two writes"))
            #expect(try await committedCount("entry", in: database) == 0)
            #expect(try await connection.query("SELECT count(*) FROM entry").single().decode(0, as: Int.self) == 0)
            #expect(await connection.isUsable)
        }
    }

    @Test func anSQLErrorRollsEverythingBack() async throws {
        try await withConnection { database, connection in
            try await Self.makeTable(connection)
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction { db in
                    try db.execute("INSERT INTO entry VALUES (1, 'a')")
                    try db.execute("INSERT INTO entry VALUES (1, 'duplicate')")
                }
            }
            #expect(error?.sqlState == .uniqueViolation)
            #expect(error?.constraint == "entry_pkey")
            #expect(try await committedCount("entry", in: database) == 0)
            #expect(await connection.isUsable)
        }
    }

    /// A body that catches an SQL error and carries on has an aborted transaction: the layer must
    /// not report success (the server turns COMMIT into ROLLBACK without an error).
    @Test func aSwallowedSQLErrorCannotLookLikeACommit() async throws {
        try await withConnection { database, connection in
            try await Self.makeTable(connection)
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction { db in
                    try db.execute("INSERT INTO entry VALUES (1, 'a')")
                    _ = try? db.execute("INSERT INTO entry VALUES (1, 'duplicate')")
                    return 42
                }
            }
            #expect(error?.sqlState == SQLState("25P02"))
            #expect(error?.description.contains("rolled back") == true)
            #expect(try await committedCount("entry", in: database) == 0)
            #expect(await connection.isUsable)
        }
    }

    @Test func nestedTransactionsAreSavepoints() async throws {
        try await withConnection { database, connection in
            try await Self.makeTable(connection)
            try await connection.transaction { db in
                try db.execute("INSERT INTO entry VALUES (1, 'outer before')")
                do {
                    try db.transaction { inner in
                        try inner.execute("INSERT INTO entry VALUES (2, 'inner, thrown away')")
                        throw Refused(reason: "inner")
                    }
                    Issue.record("the inner transaction should have thrown")
                } catch let refused as Refused {
                    #expect(refused.reason == "inner")
                }
                do {
                    try db.transaction { inner in
                        try inner.execute("INSERT INTO entry VALUES (3, 'inner, failing')")
                        try inner.execute("INSERT INTO entry VALUES (1, 'duplicate of outer')")
                    }
                    Issue.record("the inner transaction should have failed")
                } catch let error as PostgresError {
                    #expect(error.sqlState == .uniqueViolation)
                }
                try db.transaction { inner in
                    try inner.execute("INSERT INTO entry VALUES (4, 'inner, kept')")
                    try inner.transaction { innermost in
                        try innermost.execute("INSERT INTO entry VALUES (5, 'innermost, kept')")
                    }
                }
                try db.execute("INSERT INTO entry VALUES (6, 'outer after')")
            }
            let reader = try await database.connect()
            let ids = try await reader.query("SELECT id FROM entry ORDER BY id").map { try $0.decode(0, as: Int.self) }
            await reader.close()
            #expect(ids == [1, 4, 5, 6])
        }
    }

    @Test func anOuterFailureUndoesCommittedInnerWork() async throws {
        try await withConnection { database, connection in
            try await Self.makeTable(connection)
            await #expect(throws: Refused.self) {
                try await connection.transaction { db in
                    try db.transaction { inner in
                        try inner.execute("INSERT INTO entry VALUES (1, 'inner')")
                    }
                    throw Refused(reason: "outer")
                }
            }
            #expect(try await committedCount("entry", in: database) == 0)
            // The depth went back to zero: the next transaction is a real one that commits.
            try await connection.transaction { db in try db.execute("INSERT INTO entry VALUES (2, 'later')") }
            #expect(try await committedCount("entry", in: database) == 1)
        }
    }

    @Test func aFailedCommitSurfacesAsAnError() async throws {
        try await withConnection { database, connection in
            try await connection.executeScript(unsafeSQL: """
                CREATE TABLE parent (id int PRIMARY KEY);
                CREATE TABLE child (parent_id int CONSTRAINT child_parent_fkey REFERENCES parent DEFERRABLE INITIALLY DEFERRED);
                """)
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction { db in
                    try db.execute("INSERT INTO parent VALUES (1)")
                    // Checked only at COMMIT.
                    try db.execute("INSERT INTO child VALUES (99)")
                }
            }
            #expect(error?.sqlState == .foreignKeyViolation)
            #expect(error?.constraint == "child_parent_fkey")
            #expect(try await committedCount("parent", in: database) == 0)
            #expect(try await committedCount("child", in: database) == 0)
            #expect(await connection.isUsable)
            try await connection.transaction { db in try db.execute("INSERT INTO parent VALUES (2)") }
            #expect(try await committedCount("parent", in: database) == 1)
        }
    }

    @Test func readOnlyTransactionsRefuseWrites() async throws {
        try await withConnection { database, connection in
            try await Self.makeTable(connection)
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction(readOnly: true) { db in
                    try db.execute("INSERT INTO entry VALUES (1, 'a')")
                }
            }
            #expect(error?.sqlState == SQLState("25006"))
            #expect(try await committedCount("entry", in: database) == 0)
        }
    }

    @Test(arguments: [
        (Connection.IsolationLevel.readCommitted, "read committed"),
        (.repeatableRead, "repeatable read"),
        (.serializable, "serializable"),
    ])
    func isolationLevelIsApplied(_ level: Connection.IsolationLevel, _ shown: String) async throws {
        try await withConnection { _, connection in
            let seen = try await connection.transaction(isolation: level) { db in
                try db.query("SHOW transaction_isolation").single().decode(0, as: String.self)
            }
            #expect(seen == shown)
        }
    }

    @Test func inAnOpenTransactionTheConnectionIsNotReusable() async throws {
        try await withConnection { _, connection in
            let inside = try await connection.transaction { db in db.isUsable }
            #expect(inside == false)
            #expect(await connection.isUsable)
        }
    }

    @Test func withIsolatedRunsStatementsWithoutATransaction() async throws {
        try await withConnection { database, connection in
            try await Self.makeTable(connection)
            await #expect(throws: Refused.self) {
                try await connection.withIsolated { db in
                    try db.execute("INSERT INTO entry VALUES (1, 'kept: no transaction')")
                    throw Refused(reason: "after the write")
                }
            }
            #expect(try await committedCount("entry", in: database) == 1)
        }
    }
}
