import Foundation
import Testing
import VLedgerTestSupport

struct DbCommandTests {
    @Test func migrateTwiceThenStatusShowsEverythingApplied() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let first = try await CLIRunner.run(["db", "migrate"], database: database)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stderr.contains("applying 0001_core.sql"))
            let second = try await CLIRunner.run(["db", "migrate"], database: database)
            #expect(second.status == 0)
            #expect(second.stderr.contains("up to date"))
            #expect(!second.stderr.contains("applying"))
            let status = try await CLIRunner.run(["db", "status"], database: database)
            #expect(status.status == 0)
            #expect(status.stdout.contains("VLEDGER_DATABASE_URL"))
            #expect(status.stdout.contains("applied  0001_core.sql"))
        }
    }

    @Test func anUnreachableDatabaseIsOneClearLine() async throws {
        let result = try await CLIRunner.run(
            ["db", "status", "--database-url", "postgresql://nobody:secret@127.0.0.1:1/none"], database: nil)
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.last?.hasPrefix("vledger: error: cannot connect to PostgreSQL") == true)
        #expect(!result.stderr.contains("secret"))
    }

    /// The README's default: no URL at all, vledger starts its own cluster in VLEDGER_HOME.
    @Test func embeddedDatabaseStartsItselfAndStops() async throws {
        let home = URL(fileURLWithPath: "/tmp").appendingPathComponent("vlhome-\(UUID().uuidString.prefix(8))")
        let outcome = await Result(catching: { try await embeddedLifecycle(home: home) })
        _ = try? await CLIRunner.run(["db", "stop"], database: nil, environment: ["VLEDGER_HOME": home.path])
        try? FileManager.default.removeItem(at: home)
        try outcome.get()
    }

    func embeddedLifecycle(home: URL) async throws {
        let environment = ["VLEDGER_HOME": home.path]
        let status = try await CLIRunner.run(["db", "status"], database: nil, environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("embedded PostgreSQL in \(home.path)"))
        let migrate = try await CLIRunner.run(["db", "migrate"], database: nil, environment: environment)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        let again = try await CLIRunner.run(["db", "status"], database: nil, environment: environment)
        #expect(again.stdout.contains("embedded server: running"))
        #expect(again.stdout.contains("applied  0001_core.sql"))
        let stop = try await CLIRunner.run(["db", "stop"], database: nil, environment: environment)
        #expect(stop.status == 0, "\(stop.stderr)")
        let stopped = try await CLIRunner.run(["db", "status"], database: nil, environment: environment)
        #expect(stopped.stdout.contains("embedded server: stopped"))
    }
}
