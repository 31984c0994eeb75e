import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

struct MigrationTests {
    /// A copy of the real migrations in a temporary folder, so a test can edit one.
    func copyOfMigrations() throws -> URL {
        let source = try MigrationRunner.locateDirectory()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-migrations-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: copy)
        return copy
    }

    @Test func migratingTwiceChangesNothingTheSecondTime() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let connection = try await database.connect()
            let runner = MigrationRunner(directory: try MigrationRunner.locateDirectory())
            let first = try await runner.migrate(on: connection)
            #expect(first == (try runner.migrations().map(\.name)))
            let before = try await connection.query("SELECT name, checksum, applied_at FROM schema_migration ORDER BY name")
            let second = try await runner.migrate(on: connection)
            #expect(second.isEmpty)
            let after = try await connection.query("SELECT name, checksum, applied_at FROM schema_migration ORDER BY name")
            #expect(before.map { $0.text(0)! + $0.text(1)! + $0.text(2)! } == after.map { $0.text(0)! + $0.text(1)! + $0.text(2)! })
            #expect(try await runner.status(on: connection).allSatisfy { $0.state == .applied })
        }
    }

    @Test func anEditedAppliedMigrationIsRefusedByName() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let connection = try await database.connect()
            let folder = try copyOfMigrations()
            defer { try? FileManager.default.removeItem(at: folder) }
            let runner = MigrationRunner(directory: folder)
            try await runner.migrate(on: connection)
            let first = folder.appendingPathComponent("0001_core.sql")
            try (String(contentsOf: first, encoding: .utf8) + "\n-- edited\n").write(to: first, atomically: true, encoding: .utf8)
            let error = await #expect(throws: UserFacingError.self) { try await runner.migrate(on: connection) }
            #expect(error.map { "\($0)" }?.contains("0001_core.sql") == true)
            #expect(try await runner.status(on: connection).first { $0.name == "0001_core.sql" }?.state == .changed)
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let connection = try await database.connect()
            let folder = try copyOfMigrations()
            defer { try? FileManager.default.removeItem(at: folder) }
            try "CREATE TABLE half_done (id int);\nSELECT no_such_function();\n"
                .write(to: folder.appendingPathComponent("9999_broken.sql"), atomically: true, encoding: .utf8)
            let runner = MigrationRunner(directory: folder)
            await #expect(throws: PostgresError.self) { try await runner.migrate(on: connection) }
            #expect(try await connection.query("SELECT to_regclass('half_done') IS NULL").single().decode(0, as: Bool.self))
            let applied = try await connection.query("SELECT count(*) FROM schema_migration WHERE name = '9999_broken.sql'")
            #expect(try applied.single().decode(0, as: Int.self) == 0)
        }
    }
}
