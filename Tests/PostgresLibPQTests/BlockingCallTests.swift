import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

/// libpq blocks its thread while a statement runs. Each connection has its own serial queue, so
/// slow statements on separate connections overlap instead of queuing behind the few threads of
/// Swift's cooperative pool (two on this machine).
struct BlockingCallTests {
    @Test(.timeLimit(.minutes(1)))
    func slowStatementsOnSeparateConnectionsRunAtTheSameTime() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let count = 12
            var opened: [Connection] = []
            for _ in 0..<count { opened.append(try await database.connect()) }
            let connections = opened
            let clock = ContinuousClock()
            let started = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for connection in connections {
                    group.addTask { try await connection.execute("SELECT pg_sleep(0.3)") }
                }
                try await group.waitForAll()
            }
            let elapsed = clock.now - started
            // One after another on two threads would take 12 × 0.3 / 2 = 1.8 s.
            #expect(elapsed < .milliseconds(1200), "took \(elapsed)")
            #expect(elapsed >= .milliseconds(300))
            for connection in connections { await connection.close() }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func theCooperativePoolStaysResponsiveWhileStatementsBlock() async throws {
        try await TestDatabase.with(migrated: false) { database in
            var opened: [Connection] = []
            for _ in 0..<4 { opened.append(try await database.connect()) }
            let connections = opened
            let slow = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for connection in connections {
                        group.addTask {
                            _ = try await connection.transaction { db in try db.execute("SELECT pg_sleep(1)") }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            // Plain async work is not starved while four connections are blocked inside libpq.
            let clock = ContinuousClock()
            let started = clock.now
            let sum = await withTaskGroup(of: Int.self) { group in
                for value in 0..<100 { group.addTask { await Task.yield(); return value } }
                return await group.reduce(0, +)
            }
            let elapsed = clock.now - started
            #expect(sum == 4950)
            #expect(elapsed < .milliseconds(500), "took \(elapsed)")
            try await slow.value
            for connection in connections { await connection.close() }
        }
    }
}
