import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

/// libpq blocks its thread while a statement runs. Each connection has its own serial queue, so
/// slow statements on separate connections overlap instead of queuing behind the few threads of
/// Swift's cooperative pool (two on this machine).
///
/// Nothing here is measured with a clock: each test waits for a state that could never be reached
/// if the blocking calls held the cooperative threads, under a hang guard that starts after the
/// test is admitted.
struct BlockingCallTests {
    /// A barrier inside the database: each caller counts its arrival (a sequence, which does not
    /// wait for transactions) and stays in its statement until all `parties` have arrived. Nobody
    /// leaves before the last arrives, so when it returns all were running at the same moment.
    static let barrier = """
        CREATE SEQUENCE barrier_arrivals;
        CREATE FUNCTION barrier(parties int, give_up_after interval) RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE
            started timestamptz := clock_timestamp();
            arrived bigint := nextval('barrier_arrivals');
        BEGIN
            LOOP
                SELECT last_value INTO arrived FROM barrier_arrivals;
                IF arrived >= parties THEN RETURN arrived; END IF;
                IF clock_timestamp() - started > give_up_after THEN
                    RAISE EXCEPTION 'barrier: % of % statements arrived within %: they do not all run at once', arrived, parties, give_up_after;
                END IF;
                PERFORM pg_sleep(0.01);
            END LOOP;
        END $$;
        """

    @Test func slowStatementsOnSeparateConnectionsRunAtTheSameTime() async throws {
        try await TestDatabase.with(migrated: false, deadline: .seconds(300)) { database in
            let count = 12
            var opened: [Connection] = []
            for _ in 0..<count { opened.append(try await database.connect()) }
            let connections = opened
            try await connections[0].executeScript(unsafeSQL: Self.barrier)
            // Run one after another on two threads, only two would ever arrive: the barrier gives up.
            let arrivals = try await withThrowingTaskGroup(of: Int.self) { group in
                for connection in connections {
                    group.addTask {
                        try await connection.query("SELECT barrier(\(count), '240 seconds')").single().decode(0, as: Int.self)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(arrivals == Array(repeating: count, count: count))
            for connection in connections { await connection.close() }
        }
    }

    @Test func theCooperativePoolStaysResponsiveWhileStatementsBlock() async throws {
        try await TestDatabase.with(migrated: false, deadline: .seconds(300)) { database in
            let admin = try await database.connect()
            var opened: [Connection] = []
            for _ in 0..<4 { opened.append(try await database.connect()) }
            let connections = opened
            // Four statements that cannot end while the test holds the lock.
            try await admin.execute("SELECT pg_advisory_lock(7)")
            let blocked = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for connection in connections {
                        group.addTask {
                            _ = try await connection.transaction { db in try db.execute("SELECT pg_advisory_xact_lock_shared(7)") }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            try await SessionWaits.untilBlocked(4, on: "advisory", admin: admin)
            // Plain async work is not starved while four connections are blocked inside libpq:
            // with their threads taken it could not run at all, and the hang guard would fire.
            let sum = await withTaskGroup(of: Int.self) { group in
                for value in 0..<100 { group.addTask { await Task.yield(); return value } }
                return await group.reduce(0, +)
            }
            #expect(sum == 4950)
            // ...and it ran while they were still blocked.
            #expect(try await SessionWaits.blocked(on: "advisory", admin: admin) == 4)
            try await admin.execute("SELECT pg_advisory_unlock(7)")
            try await blocked.value
            for connection in connections { await connection.close() }
            await admin.close()
        }
    }
}
