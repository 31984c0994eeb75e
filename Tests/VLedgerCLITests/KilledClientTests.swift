import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A `vledger` process killed mid-statement: the server notices the dead client within seconds
/// (client_connection_check_interval) instead of working on, or waiting for locks, for minutes.
struct KilledClientTests {
    @Test func aKilledImportStopsItsStatementOnTheServer() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-kill-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let roster = folder.appendingPathComponent("roster.csv")
            try Data("volunteer,activity,start,minutes\n\(v.number),\(a),2019-03-01 09:00,60\n".utf8).write(to: roster)

            // Holding the volunteer's row lock keeps the import's statement waiting: without the
            // check, its backend would wait for as long as the lock is held, client or no client.
            let holder = try await database.connect()
            try await holder.execute("BEGIN")
            try await holder.execute("SELECT 1 FROM volunteer WHERE id = \(v.id) FOR UPDATE")

            let process = Process()
            process.executableURL = CLIRunner.executable()
            process.arguments = ["hours", "import", roster.path]
            var environment = ProcessInfo.processInfo.environment
            environment["VLEDGER_DATABASE_URL"] = database.connectionString
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()

            var backend: Int32?
            try await waitUntil("the import waits for the volunteer's lock") {
                backend = try await db.query("""
                    SELECT pid FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = 'vledger' AND wait_event_type = 'Lock'
                    """).first?.decode(0)
                return backend != nil
            }
            let pid = try #require(backend)
            kill(process.processIdentifier, SIGKILL)
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async { process.waitUntilExit(); done.resume() }
            }
            // The check runs every 2 s. The lock is still held all along, so only the check can
            // end the backend; the wait is a hang guard, not a speed claim.
            try await waitUntil("backend \(pid) ends after its client was killed") {
                try await db.query("SELECT 1 FROM pg_stat_activity WHERE pid = \(pid)").count == 0
            }
            try await holder.execute("ROLLBACK")
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 0)
            await holder.close()
            await db.close()
        }
    }
}
