import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

/// `vledger hours anomalies` as a whole process: its three formats and its overrides' checks.
struct AnomaliesCLITests {
    @Test func tableJSONAndCSVSayTheRuleItsCodeAndSeverity() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let long = try await LedgerFixtures.activity(db, starts: "2019-03-02 06:00+08", ends: "2019-03-02 23:00+08")
            let recorded = try await CLIRunner.run(["hours", "record", "--activity", "\(long)", "--volunteer", v.number, "--minutes", "600",
                                                    "--start", "2019-03-02 06:00"], database: database)
            #expect(recorded.status == 0, "\(recorded.stderr)")

            let csv = try await CLIRunner.run(["hours", "anomalies", "--year", "2019", "--format", "csv"], database: database)
            #expect(csv.status == 0, "\(csv.stderr)")
            let lines = csv.stdout.split(separator: "\n")
            #expect(lines.first == "entry,kind,reason,volunteer,activity,service_start,minutes,status,recorded_by,recorded_at,code,severity,reason_zh")
            #expect(lines.contains { $0.contains(",daily_long,") && $0.contains(",A08,low,") })

            let json = try await CLIRunner.run(["hours", "anomalies", "--year", "2019", "--format", "json"], database: database)
            let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(list.contains { $0["kind"] as? String == "daily_long" && $0["code"] as? String == "A08" && $0["severity"] as? String == "low" })

            let table = try await CLIRunner.run(["hours", "anomalies", "--year", "2019", "--lang", "zh"], database: database)
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("规则代码") && table.stdout.contains("级别") && table.stdout.contains("低"))
            #expect(table.stdout.contains("超过 8 小时（未超过每日上限 12 小时）"))
            // Below the lower threshold nothing daily is listed.
            let raised = try await CLIRunner.run(["hours", "anomalies", "--year", "2019", "--daily-notice-hours", "10", "--format", "csv"], database: database)
            #expect(raised.status == 0 && !raised.stdout.contains(",daily_"), "\(raised.stdout)")
        }
    }

    @Test func overridesOutOfRangeAreRefusedWithTheirField() async throws {
        try await TestDatabase.with { database in
            for (option, value, message) in [
                ("--burst-volunteers", "1", "recorder_burst_volunteers \"1\": must be a whole number of volunteers from 2 to 100000"),
                ("--burst-minutes", "0", "recorder_burst_minutes \"0\": must be a whole number of minutes from 1 to 1440"),
                ("--daily-notice-hours", "25", "daily_hours_notice \"25\": must be a whole number of hours from 1 to 24"),
            ] {
                let result = try await CLIRunner.run(["hours", "anomalies", option, value], database: database)
                #expect(result.status != 0 && result.stdout.isEmpty)
                #expect(result.stderr.contains(message), "\(result.stderr)")
            }
        }
    }
}
