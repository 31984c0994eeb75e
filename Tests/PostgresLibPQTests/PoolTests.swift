import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

/// Records which connections are in use at once, to catch a pool that hands one out twice.
actor UsageTracker {
    private var inUse: [ObjectIdentifier: Int] = [:]
    private(set) var mostAtOnce = 0
    private(set) var sharedUses = 0

    func enter(_ connection: Connection) {
        let id = ObjectIdentifier(connection)
        inUse[id, default: 0] += 1
        if inUse[id]! > 1 { sharedUses += 1 }
        mostAtOnce = max(mostAtOnce, inUse.values.reduce(0, +))
    }

    func leave(_ connection: Connection) {
        let id = ObjectIdentifier(connection)
        inUse[id]! -= 1
        if inUse[id] == 0 { inUse[id] = nil }
    }
}

struct PoolTests {
    static let clientSessions: SQL = """
        SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'
        """

    /// Each task runs a transaction across several awaits. Two tasks on one connection would
    /// interleave: a second BEGIN, a clobbered SET LOCAL, a temp table that already exists.
    @Test func fiftyTasksShareAPoolOfFourWithoutInterleaving() async throws {
        try await TestDatabase.with(migrated: false, deadline: .seconds(300)) { database in
            let pool = ConnectionPool(connectionString: database.connectionString, maxConnections: 4)
            let tracker = UsageTracker()
            let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
                for task in 0..<50 {
                    group.addTask {
                        try await pool.withConnection { connection in
                            await tracker.enter(connection)
                            let pid = await connection.backendPID
                            try await connection.execute("BEGIN")
                            try await connection.execute("SELECT set_config('vledger.task', \(String(task)), true)")
                            try await connection.execute("CREATE TEMP TABLE mine (task int) ON COMMIT DROP")
                            try await connection.execute("INSERT INTO mine VALUES (\(task))")
                            try await Task.sleep(for: .milliseconds(task % 5 * 3))  // mixes the order, asserts nothing
                            let row = try await connection.query("""
                                SELECT current_setting('vledger.task'), (SELECT array_agg(task) FROM mine)::text,
                                       pg_backend_pid(), (\(Self.clientSessions))
                                """).single()
                            #expect(try row.decode(0, as: String.self) == String(task))
                            #expect(try row.decode(1, as: String.self) == "{\(task)}")
                            #expect(try row.decode(2, as: Int32.self) == pid)
                            #expect(try row.decode(3, as: Int.self) <= 4)
                            try await connection.execute("COMMIT")
                            await tracker.leave(connection)
                            return pid
                        }
                    }
                }
                return try await group.reduce(into: [Int32]()) { $0.append($1) }
            }
            #expect(pids.count == 50)
            #expect(Set(pids).count <= 4)
            #expect(await tracker.sharedUses == 0)
            #expect(await tracker.mostAtOnce <= 4)
            await pool.close()
        }
    }

    @Test func brokenConnectionsAreDroppedAndReplaced() async throws {
        try await TestDatabase.with(migrated: false, deadline: .seconds(300)) { database in
            let pool = ConnectionPool(connectionString: database.connectionString, maxConnections: 2)
            let outcomes = await withTaskGroup(of: (Int, (any Error)?).self) { group in
                for task in 0..<20 {
                    group.addTask {
                        do {
                            try await pool.withConnection { connection in
                                if task % 6 == 0 {
                                    // The session ends under the caller's feet.
                                    try await connection.execute("SELECT pg_terminate_backend(pg_backend_pid())")
                                } else {
                                    try await connection.execute("SELECT pg_sleep(0.01)")
                                }
                            }
                            return (task, nil)
                        } catch {
                            return (task, error)
                        }
                    }
                }
                return await group.reduce(into: [(Int, (any Error)?)]()) { $0.append($1) }
            }
            for (task, error) in outcomes {
                if task % 6 == 0 {
                    #expect((error as? PostgresError)?.kind == .connectionLost, "task \(task): \(String(describing: error))")
                } else {
                    #expect(error == nil, "task \(task): \(String(describing: error))")
                }
            }
            let sessions = try await pool.withConnection { connection in
                try await connection.query(Self.clientSessions).single().decode(0, as: Int.self)
            }
            #expect(sessions <= 2)
            await pool.close()
        }
    }

    /// A connection whose server session ended while it sat idle in the pool is not handed out.
    @Test func aConnectionKilledWhileIdleIsReplacedOnCheckout() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let pool = ConnectionPool(connectionString: database.connectionString, maxConnections: 1)
            let first = try await pool.withConnection { await $0.backendPID }
            let admin = try await database.connect()
            // Waits (up to a minute, a hang bound) until the session has ended.
            let ended = try await admin.query("SELECT pg_terminate_backend(\(first), 60000)").single().decode(0, as: Bool.self)
            #expect(ended)
            let second = try await pool.withConnection { connection in
                try await connection.query("SELECT pg_backend_pid()").single().decode(0, as: Int32.self)
            }
            #expect(second != first)
            await admin.close()
            await pool.close()
        }
    }

    @Test func aThrowingBodyReturnsItsConnection() async throws {
        struct Failed: Error {}
        try await TestDatabase.with(migrated: false) { database in
            let pool = ConnectionPool(connectionString: database.connectionString, maxConnections: 1)
            let first = try await pool.withConnection { await $0.backendPID }
            await #expect(throws: Failed.self) {
                try await pool.withConnection { _ in throw Failed() }
            }
            await #expect(throws: PostgresError.self) {
                try await pool.withConnection { try await $0.execute("SELECT 1 / 0") }
            }
            #expect(try await pool.withConnection { await $0.backendPID } == first)
            await pool.close()
        }
    }

    @Test func aConnectionLeftInATransactionIsNeverReused() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let pool = ConnectionPool(connectionString: database.connectionString, maxConnections: 1)
            try await pool.withConnection { try await $0.execute("CREATE TABLE entry (id int)") }
            let first = try await pool.withConnection { connection in
                try await connection.execute("BEGIN")
                try await connection.execute("INSERT INTO entry VALUES (1)")
                return await connection.backendPID
            }
            let (second, count) = try await pool.withConnection { connection in
                (await connection.backendPID,
                 try await connection.query("SELECT count(*) FROM entry").single().decode(0, as: Int.self))
            }
            #expect(second != first)
            #expect(count == 0)
            await pool.close()
        }
    }

    @Test func waitersAreToldWhenConnectingFails() async throws {
        let pool = ConnectionPool(connectionString: "postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=5", maxConnections: 2)
        let failures = try await withDeadline(.seconds(300)) {
            await withTaskGroup(of: PostgresError.Kind?.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do {
                        try await pool.withConnection { _ in }
                        return nil
                    } catch {
                        return (error as? PostgresError)?.kind
                    }
                }
            }
            return await group.reduce(into: [PostgresError.Kind?]()) { $0.append($1) }
            }
        }
        #expect(failures.count == 10)
        #expect(failures.allSatisfy { $0 == .connectionFailed })
        await pool.close()
    }

    @Test func closingThePoolReleasesWaitersAndHolders() async throws {
        try await TestDatabase.with(migrated: false, deadline: .seconds(300)) { database in
            let pool = ConnectionPool(connectionString: database.connectionString, maxConnections: 1)
            let admin = try await database.connect()
            // The holder's statement waits for a lock the test holds, so it is surely still inside
            // its `withConnection` when the pool closes, however slow the machine.
            try await admin.execute("SELECT pg_advisory_lock(11)")
            let holding = Task {
                try await pool.withConnection { connection in
                    try await connection.execute("SELECT pg_advisory_xact_lock_shared(11)")
                    return await connection.backendPID
                }
            }
            try await SessionWaits.untilBlocked(1, on: "advisory", admin: admin)
            let waiting = Task { try await pool.withConnection { _ in } }
            try await waitUntil("a second caller waits for the pool's only connection") { await pool.waiterCount == 1 }
            await pool.close()
            let waiterError = await #expect(throws: PostgresError.self) { try await waiting.value }
            #expect(waiterError?.message.contains("closed") == true)
            try await admin.execute("SELECT pg_advisory_unlock(11)")
            let held = try await holding.value
            await #expect(throws: PostgresError.self) { try await pool.withConnection { _ in } }
            // The holder's connection was closed on release, not parked in a closed pool.
            try await waitUntil("the holder's session \(held) has ended") {
                try await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = \(held)").count == 0
            }
            await admin.close()
        }
    }
}
