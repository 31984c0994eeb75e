import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

/// The hang guard of the test support: a stuck body fails its test instead of hanging the suite,
/// and its database does not outlive it. The bodies here never end by themselves, so however
/// slow the machine, the guard is what ends them.
struct DeadlineTests {
    @Test func aBodyThatFinishesGivesItsValue() async throws {
        #expect(try await withDeadline(.seconds(300)) { 42 } == 42)
        struct Failed: Error {}
        await #expect(throws: Failed.self) { try await withDeadline(.seconds(300)) { throw Failed() } }
    }

    @Test func aStuckBodyFailsWithDeadlineExceeded() async throws {
        let release = DispatchSemaphore(value: 0)
        defer { release.signal() }
        let error = await #expect(throws: DeadlineExceeded.self) {
            try await withDeadline(.milliseconds(200), "the stuck body") {
                // Blocks a Dispatch thread, not the cooperative pool, until the test lets go.
                try await ThrowawayCluster.offPool { release.wait() }
            }
        }
        #expect(error?.description.hasPrefix("the stuck body still running 0.2 seconds after it started") == true,
                "\(String(describing: error))")
    }

    @Test func aBodyStuckInAStatementLosesItsDatabase() async throws {
        let name = NameBox()
        await #expect(throws: DeadlineExceeded.self) {
            try await TestDatabase.with(migrated: false, deadline: .seconds(1)) { database in
                name.set(database.name)
                let connection = try await database.connect()
                try await connection.execute("SELECT pg_sleep(3600)")
            }
        }
        // On a machine so busy that the body had not even begun within the second there is no
        // name to look for; the database was dropped all the same.
        guard let name = name.get() else { return }
        let admin = try await Connection.connect(try TestServer.adminConnectionString())
        let left = try await admin.query("SELECT count(*) FROM pg_database WHERE datname = \(name)").single().decode(0, as: Int.self)
        #expect(left == 0)
        await admin.close()
    }
}

private final class NameBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    func set(_ name: String) { lock.withLock { value = name } }
    func get() -> String? { lock.withLock { value } }
}
