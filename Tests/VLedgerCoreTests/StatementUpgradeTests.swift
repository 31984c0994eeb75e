import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// A city that issued statements before 0080 (the client computed them and stored what it printed):
/// after the upgrade the honest ones verify, a forged one is invalid and not reprinted, new ones are
/// numbered on, and the audit trail, whose older images lack 0080's new columns, is intact.
struct StatementUpgradeTests {
    @Test func statementsIssuedBefore0080AreCheckedOnTheirTotals() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let db = try await database.connect()
            let source = try MigrationRunner.locateDirectory()
            let before = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-migrations-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: before, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: before) }
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name < "0080" {
                try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: before.appendingPathComponent(name))
            }
            _ = try await MigrationRunner(directory: before).migrate(on: db)
            let volunteer = try await StatementTests.setUp(db)
            let year = try await db.query("SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int").single().decode(0, as: Int.self)
            // As 0044 allowed: the number taken from the counter, the figures sent by the client.
            try await db.execute("INSERT INTO statement_counter (year, last_number) VALUES (\(year), 2)")
            try await db.execute("""
                INSERT INTO statement_issue (number, year, sequence, volunteer_id, period_from, period_to, total_minutes,
                                             cumulative_minutes, star_level, content, content_text, issued_by)
                VALUES (\(String(format: "%04d-000001", year)), \(year), 1, \(volunteer), '2019-01-01', '2019-12-31', 240, 240, 0,
                        '{"honest": true}', 'HONEST', '凤城市文明办'),
                       (\(String(format: "%04d-000002", year)), \(year), 2, \(volunteer), '2019-01-01', '2019-12-31', 90000, 90000, 5,
                        '{}', 'FORGED', 'x')
                """)

            _ = try await MigrationRunner(directory: source).migrate(on: db)
            let honest = try await db.withIsolated { tx in try StatementService.verify(number: String(format: "%04d-000001", year), on: tx) }
            #expect(honest.valid, "\(String(describing: honest.problem))")
            let forged = try await db.withIsolated { tx in try StatementService.verify(number: String(format: "%04d-000002", year), on: tx) }
            #expect(!forged.valid && forged.problem?.contains("90000 approved minutes printed, the ledger held 240") == true)
            let reprinted = try await db.withIsolated { tx in try StatementService.reprint(number: String(format: "%04d-000001", year), format: .text, on: tx) }
            #expect(reprinted == "HONEST")
            await #expect(throws: RuleViolation.self) {
                try await db.withIsolated { tx in _ = try StatementService.reprint(number: String(format: "%04d-000002", year), format: .text, on: tx) }
            }
            let next = try await db.transaction { tx in
                try StatementService.issue(volunteer: "VL00000001", from: "2019-01-01", to: "2019-12-31", issuer: nil, on: tx)
            }
            #expect(next.number == String(format: "%04d-000003", year) && next.totalMinutes == 240)
            let audit = try await db.transaction(isolation: .repeatableRead, readOnly: true) { tx in try AuditTrail.verify(on: tx) }
            #expect(audit.intact, "\(String(describing: audit.problem))")
        }
    }
}
