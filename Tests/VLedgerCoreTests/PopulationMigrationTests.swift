import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// 0060 on a database that already holds a population of 0 (allowed before it): the migration
/// applies, the old row stays in the append-only history, and no new 0 can be written.
struct PopulationMigrationTests {
    @Test func aZeroRecordedBeforeTheRuleStaysAndNoNewOneCanBeWritten() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let connection = try await database.connect()
            let real = try MigrationRunner.locateDirectory()
            let before = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-migrations-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: before, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: before) }
            for file in try FileManager.default.contentsOfDirectory(atPath: real.path) where file.hasSuffix(".sql") && file < "0060" {
                try FileManager.default.copyItem(at: real.appendingPathComponent(file), to: before.appendingPathComponent(file))
            }
            try await MigrationRunner(directory: before).migrate(on: connection)
            try await connection.execute("INSERT INTO district (code, name, built_up) VALUES ('210682001', '凤凰城街道', true)")
            try await connection.execute("INSERT INTO population_revision (district_code, year, residents) VALUES ('210682001', 2019, 0)")

            let applied = try await MigrationRunner(directory: real).migrate(on: connection)
            #expect(applied.contains("0060_population_positive.sql"))
            let validated = try await connection.query("SELECT convalidated FROM pg_constraint WHERE conname = 'population_residents_positive'")
                .single().decode(0, as: Bool.self)
            #expect(validated == false, "the old 0 keeps the constraint from covering the history")
            await #expect(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO population_revision (district_code, year, residents) VALUES ('210682001', 2019, 0)")
            }
            #expect(try await connection.query("SELECT count(*) FROM population_revision").single().decode(0, as: Int.self) == 1)
            await connection.close()
        }
    }
}
