import Checksums
import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 16 §5: `vledger evidence` writes the pack; the same T gives the same bytes, whatever was
/// recorded since, and the manifest's checksums are those of the files.
struct EvidenceCLITests {
    static func city(_ database: TestDatabase) async throws {
        let db = try await database.connect()
        let f = MetricsFixture(db)
        try await f.district("210682001", "凤凰城街道")
        try await f.district("210682002", "宝山镇", builtUp: false)
        try await f.population("210682001", year: 2025, residents: 100)
        try await f.population("210682002", year: 2025, residents: 50)
        let june = try await f.activity(district: "210682001", starts: "2025-06-01 08:00+08", ends: "2025-06-01 12:00+08")
        let march = try await f.activity(district: "210682002", starts: "2026-03-01 08:00+08", ends: "2026-03-01 12:00+08")
        let one = try await f.volunteer(1, district: "210682001", registeredOn: "2024-01-01")
        let two = try await f.volunteer(2, district: "210682002", registeredOn: "2024-01-01")
        try await f.approvedEntry(one, activity: june, start: "2025-06-01 08:00+08", minutes: 240)
        try await f.approvedEntry(two, activity: march, start: "2026-03-01 08:00+08", minutes: 120)
        try await db.execute("""
            INSERT INTO survey_wave (surveyed_on, method, district_code, sample_size, supportive)
            VALUES ('2025-06-10', 'household', '210682001', 400, 371)
            """)
        await db.close()
    }

    static func object(_ data: Data?) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data ?? Data()) as? [String: Any])
    }

    static func text(_ data: Data?) -> String { String(decoding: data ?? Data(), as: UTF8.self) }

    static func files(_ folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            result[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return result
    }

    @Test func theSameMomentGivesTheSameBytes() async throws {
        try await TestDatabase.with { database in
            try await Self.city(database)
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let first = root.appendingPathComponent("first"), second = root.appendingPathComponent("second")
            let run = try await CLIRunner.run(["evidence", "--year", "2025", "--visit", "2026-06-15", "--out", first.path], database: database)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("indicators-2025.xlsx"), "progress on stderr: \(run.stderr)")
            #expect(run.stdout.isEmpty)
            let written = try Self.files(first)
            #expect(Set(written.keys) == [
                "indicators-2025.json", "indicators-2025.csv", "indicators-2025.xlsx", "activities-2025.csv", "activities-2025.xlsx",
                "indicators-window-2025-05-15-2026-05-14.json", "indicators-window-2025-05-15-2026-05-14.csv", "indicators-window-2025-05-15-2026-05-14.xlsx",
                "activities-window-2025-05-15-2026-05-14.csv", "activities-window-2025-05-15-2026-05-14.xlsx",
                "definitions.json", "README.md", "commands.sh", "manifest.json", "SHA256SUMS",
            ])
            let manifest = try Self.object(written["manifest.json"])
            let moment = try #require(manifest["as_recorded_at"] as? String)
            #expect(manifest["audit_head"] is [String: Any])
            for entry in try #require(manifest["files"] as? [[String: Any]]) {
                let name = try #require(entry["name"] as? String)
                #expect(entry["sha256"] as? String == SHA256.hex(Array(written[name] ?? Data())), "\(name)")
            }
            // Recorded after T: must not reach a regeneration at T.
            let db = try await database.connect()
            try await db.execute("INSERT INTO survey_wave (surveyed_on, method, district_code, sample_size, supportive) VALUES ('2025-07-01', 'phone', '210682001', 100, 10)")
            await db.close()
            let again = try await CLIRunner.run(["evidence", "--year", "2025", "--visit", "2026-06-15", "--as-recorded-at", moment, "--out", second.path],
                                                database: database)
            #expect(again.status == 0, "\(again.stderr)")
            let regenerated = try Self.files(second)
            #expect(regenerated.keys.sorted() == written.keys.sorted())
            for (name, bytes) in written { #expect(regenerated[name] == bytes, "\(name) differs") }

            let year = try Self.object(written["indicators-2025.json"])
            #expect(year["as_recorded_at"] as? String == moment)
            #expect(((year["support_rate"] as? [String: Any])?["city"] as? [String: Any])?["sample"] as? Int == 400)
            let window = try Self.object(written["indicators-window-2025-05-15-2026-05-14.json"])
            #expect((window["window"] as? [String: Any])?["population_year"] as? Int == 2025)
            #expect((window["city"] as? [String: Any])?["approved_minutes"] as? Int == 240, "the built-up district's June service")
            #expect(((window["districts"] as? [[String: Any]])?.last)?["approved_minutes"] as? Int == 120, "March 2026 is in the window")
            let yearCity = try #require(year["city"] as? [String: Any])
            #expect(yearCity["approved_minutes"] as? Int == 240)
            let activities = Self.text(written["activities-2025.csv"])
            #expect(activities.hasPrefix("activity,title,category,") && activities.contains(",240,4.00,1"), "\(activities)")
            let readme = Self.text(written["README.md"])
            #expect(readme.contains("vledger evidence --year 2025 --as-recorded-at \(moment) --scope built_up --visit 2026-06-15 --out ."), "\(readme)")
            let definitions = Self.text(written["definitions.json"])
            #expect(definitions.contains("\"residents\": 100") && definitions.contains("\"source\": \"test\""))
            // The workbook holds a sheet per district, built from the JSON (so new keys reach it).
            let sheets = Self.text(written["indicators-2025.xlsx"])
            #expect(sheets.contains("210682001 凤凰城街道") && sheets.contains("support_rate.share"))
            // The JSON of the year is what `vledger metrics` prints for the same T.
            let metrics = try await CLIRunner.run(["metrics", "--year", "2025", "--as-recorded-at", moment, "--format", "json"], database: database)
            #expect(Data(metrics.stdout.utf8) == written["indicators-2025.json"])
        }
    }

    @Test func badRequestsWriteNothing() async throws {
        try await TestDatabase.with { database in
            try await Self.city(database)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            for arguments in [["--year", "2025", "--visit", "2026-13-01"], ["--year", "1800"], ["--year", "2025", "--as-recorded-at", "yesterday"],
                              ["--year", "2025", "--target-support-rate", "2"]] {
                let bad = try await CLIRunner.run(["evidence"] + arguments + ["--out", folder.path], database: database)
                #expect(bad.status != 0 && !bad.stderr.isEmpty, "\(arguments)")
                #expect(!FileManager.default.fileExists(atPath: folder.path), "\(arguments)")
            }
        }
    }
}
