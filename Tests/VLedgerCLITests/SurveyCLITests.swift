import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 16 §4 through the binary: `survey add/import/report`, and `support_rate` in the metrics
/// (null without waves, read as of T in a replay).
struct SurveyCLITests {
    static func city(_ database: TestDatabase) async throws {
        let db = try await database.connect()
        let f = MetricsFixture(db)
        try await f.district("210682001", "凤凰城街道")
        try await f.district("210682002", "宝山镇", builtUp: false)
        try await f.population("210682001", year: 2025, residents: 100)
        try await f.population("210682002", year: 2025, residents: 50)
        await db.close()
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test func addReportsAndRefusesBadInput() async throws {
        try await TestDatabase.with { database in
            try await Self.city(database)
            let added = try await CLIRunner.run(["survey", "add", "--on", "2025-06-10", "--method", "入户", "--district", "210682001",
                                                 "--sample", "400", "--supportive", "371", "--surveyor", "凤城市统计调查中心"], database: database)
            #expect(added.status == 0 && added.stdout == "1\n", "\(added.stderr)")
            for (arguments, needle) in [
                (["--sample", "0", "--supportive", "0"], "sample \"0\""),
                (["--sample", "100", "--supportive", "101"], "supportive \"101\""),
                (["--sample", "-3", "--supportive", "0"], "sample \"-3\""),
                (["--sample", "abc", "--supportive", "0"], "sample \"abc\""),
            ] {
                let bad = try await CLIRunner.run(["--lang", "en", "survey", "add", "--on", "2025-07-01", "--method", "phone", "--district", "210682001"] + arguments,
                                                  database: database)
                #expect(bad.status != 0 && bad.stderr.contains(needle), "\(arguments): \(bad.stderr)")
            }
            let method = try await CLIRunner.run(["--lang", "zh", "survey", "add", "--on", "2025-07-01", "--method", "问卷", "--district", "210682001",
                                                  "--sample", "10", "--supportive", "9"], database: database)
            #expect(method.status != 0 && method.stderr.contains("调查方式(method)「问卷」"), "\(method.stderr)")
            let future = try await CLIRunner.run(["--lang", "en", "survey", "add", "--on", "2999-01-01", "--method", "phone", "--district", "210682001",
                                                  "--sample", "10", "--supportive", "9"], database: database)
            #expect(future.status != 0 && future.stderr.contains("a wave is recorded once it was held"), "\(future.stderr)")
            let twice = try await CLIRunner.run(["--lang", "en", "survey", "add", "--on", "2025-06-10", "--method", "household", "--district", "210682001",
                                                 "--sample", "10", "--supportive", "9"], database: database)
            #expect(twice.status != 0 && twice.stderr.contains("already has a wave"), "\(twice.stderr)")
            _ = try await CLIRunner.run(["survey", "add", "--on", "2025-09-01", "--method", "street", "--district", "210682002",
                                         "--sample", "100", "--supportive", "80"], database: database)

            let report = try await CLIRunner.run(["survey", "report", "--year", "2025", "--format", "json"], database: database)
            #expect(report.status == 0, "\(report.stderr)")
            let object = try Self.json(report.stdout)
            let city = try #require(object["city"] as? [String: Any])
            #expect(city["sample"] as? Int == 400 && city["supportive"] as? Int == 371, "the city row sums the built-up districts")
            #expect((city["share"] as? NSNumber)?.stringValue == "0.9275")
            #expect(city["meets"] as? Bool == true && city["lower_bound_below_target"] as? Bool == true)
            #expect(report.stdout.contains("\"lower\": 0.8978,\n") && report.stdout.contains("\"upper\": 0.9490\n"), "\(report.stdout)")
            #expect(city["sample_needed"] as? Int == 288)
            #expect(report.stderr.contains("0.8978"), "the lower bound below the target warns: \(report.stderr)")
            let districts = try #require(object["districts"] as? [[String: Any]])
            #expect(districts.map { $0["code"] as? String } == ["210682001", "210682002"])
            #expect(districts[1]["meets"] as? Bool == false)
            let stricter = try await CLIRunner.run(["survey", "report", "--year", "2025", "--format", "json", "--target-support-rate", "0.95"], database: database)
            #expect(try Self.json(stricter.stdout)["target"] as? NSNumber == 0.95)
            #expect((try Self.json(stricter.stdout)["city"] as? [String: Any])?["meets"] as? Bool == false)
            let all = try await CLIRunner.run(["survey", "report", "--year", "2025", "--format", "csv", "--scope", "all"], database: database)
            #expect(all.stdout.contains("\ncity,,city (all),,2,500,451,0.9020,"), "\(all.stdout)")
            let table = try await CLIRunner.run(["--lang", "zh", "survey", "report", "--year", "2025"], database: database)
            #expect(table.stdout.contains("0.9275 ✓") && table.stdout.contains("[0.8978, 0.9490] !"), "\(table.stdout)")
            let none = try await CLIRunner.run(["survey", "report", "--year", "2024"], database: database)
            #expect(none.status != 0)
        }
    }

    @Test func importAppliesGoodRowsOrReportsEveryBadOne() async throws {
        try await TestDatabase.with { database in
            try await Self.city(database)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("survey-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let bad = folder.appendingPathComponent("bad.csv")
            try """
                调查日期,调查方式,区划代码,样本量,支持人数
                2025-05-01,入户,210682001,300,280
                2025-05-02,问卷,210682001,300,280
                2025-05-03,电话,210682001,300,301
                2025-05-04,网络,999999999,300,1
                2025-05-01,入户,210682001,300,280
                """.write(to: bad, atomically: true, encoding: .utf8)
            let rejected = try await CLIRunner.run(["--lang", "en", "survey", "import", bad.path, "--format", "json"], database: database)
            #expect(rejected.status != 0)
            let report = try Self.json(rejected.stdout)
            #expect(report["written"] as? Bool == false && report["bad_rows"] as? Int == 4, "\(rejected.stdout)")
            let problems = try #require(report["problems"] as? [[String: Any]])
            #expect(problems.map { $0["line"] as? Int } == [3, 4, 5, 6])
            #expect(problems.map { $0["field"] as? String } == ["method", "supportive", "district", "on"])
            let db = try await database.connect()
            #expect(try await LedgerFixtures.count(db, "survey_wave") == 0, "nothing written")

            let good = folder.appendingPathComponent("good.csv")
            try """
                surveyed_on,method,district_code,sample_size,supportive,surveyor
                2025-05-01,household,210682001,300,280,统计局
                2025-05-02,online,210682002,200,170,
                """.write(to: good, atomically: true, encoding: .utf8)
            let applied = try await CLIRunner.run(["survey", "import", good.path, "--format", "json"], database: database)
            #expect(applied.status == 0, "\(applied.stderr)")
            #expect(try Self.json(applied.stdout)["applied"] as? Int == 2)
            let again = try await CLIRunner.run(["survey", "import", good.path, "--format", "json"], database: database)
            #expect(try Self.json(again.stdout)["already_present"] as? Int == 2 && (try Self.json(again.stdout)["applied"] as? Int) == 0)
            #expect(try await LedgerFixtures.count(db, "survey_wave") == 2)
            let skipped = try await CLIRunner.run(["survey", "import", bad.path, "--skip-bad", "--format", "json"], database: database)
            #expect(try Self.json(skipped.stdout)["already_present"] as? Int == 1, "\(skipped.stdout)")
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad.rejects.csv").path))
            await db.close()
        }
    }

    /// `survey import-responses`: one row per citizen asked, a wave per district, day and method,
    /// written whole or not at all; the same file again adds nothing; xlsx too.
    @Test func individualAnswersBecomeWaves() async throws {
        try await TestDatabase.with { database in
            try await Self.city(database)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("answers.csv")
            try """
                调查日期,调查方式,区划代码,回答,问卷编号
                2025-06-01,入户,210682001,支持,Q001
                2025-06-01,入户,210682001,不支持,Q002
                2025-06-01,入户,210682001,认同,Q003
                2025-06-02,电话,210682002,是,
                2025-06-02,电话,210682002,也许,
                2025-06-03,网络,210682001,是,13812345678
                """.write(to: file, atomically: true, encoding: .utf8)
            let refused = try await CLIRunner.run(["--lang", "en", "survey", "import-responses", file.path, "--format", "json"], database: database)
            #expect(refused.status != 0)
            let report = try Self.json(refused.stdout)
            #expect(report["written"] as? Bool == false && report["bad_rows"] as? Int == 3, "\(refused.stdout)")
            let problems = try #require(report["problems"] as? [[String: Any]])
            #expect(problems.map { $0["line"] as? Int } == [5, 6, 7])
            #expect(problems.map { $0["field"] as? String } == ["answer", "answer", "respondent"])
            #expect(!refused.stdout.contains("13812345678") && !refused.stderr.contains("13812345678"), "a phone in the file is not repeated")
            let db = try await database.connect()
            #expect(try await LedgerFixtures.count(db, "survey_wave") == 0, "nothing written")

            let skipped = try await CLIRunner.run(["survey", "import-responses", file.path, "--skip-bad", "--format", "json"], database: database)
            #expect(skipped.status == 0, "\(skipped.stderr)")
            #expect(try Self.json(skipped.stdout)["applied"] as? Int == 3)
            let row = try await db.query("SELECT sample_size, supportive, method FROM survey_wave").single()
            #expect(try row.decode(0, as: Int.self) == 3 && (try row.decode(1, as: Int.self)) == 2 && (try row.decode(2, as: String.self)) == "household",
                    "only the whole wave; the wave with a bad answer is not written from its other answers")
            let again = try await CLIRunner.run(["survey", "import-responses", file.path, "--skip-bad", "--format", "json"], database: database)
            let againReport = try Self.json(again.stdout)
            #expect(againReport["already_present"] as? Int == 3 && againReport["applied"] as? Int == 0)
            #expect(try await LedgerFixtures.count(db, "survey_response") == 3)
            let listed = try await CLIRunner.run(["survey", "list", "--format", "csv"], database: database)
            #expect(listed.stdout.hasPrefix("id,surveyed_on,method,district_code,sample_size,supportive,surveyor,answers,withdrawn_at,withdrawn_reason\n"))
            #expect(listed.stdout.contains(",household,210682001,3,2,,3,,\n"), "\(listed.stdout)")

            // Other answers for the recorded wave: bad rows, not a second wave.
            let other = folder.appendingPathComponent("other.csv")
            try "surveyed_on,method,district_code,answer\n2025-06-01,household,210682001,yes\n".write(to: other, atomically: true, encoding: .utf8)
            let clash = try await CLIRunner.run(["--lang", "en", "survey", "import-responses", other.path], database: database)
            #expect(clash.status != 0 && clash.stderr.contains("already has a wave"), "\(clash.stderr)")

            // An xlsx workbook by its first sheet.
            let book = folder.appendingPathComponent("answers.xlsx")
            let sheet = Sheet(name: "answers", header: ["surveyed_on", "method", "district_code", "answer"],
                              textRows: [["2025-09-01", "street", "210682002", "no"], ["2025-09-01", "street", "210682002", "yes"]],
                              numericColumns: [])
            try Data(Workbook(sheets: [sheet]).data()).write(to: book)
            let fromBook = try await CLIRunner.run(["survey", "import-responses", book.path, "--format", "json"], database: database)
            #expect(fromBook.status == 0, "\(fromBook.stderr)")
            #expect(try Self.json(fromBook.stdout)["applied"] as? Int == 2, "\(fromBook.stdout)")
            let report2025 = try await CLIRunner.run(["survey", "report", "--year", "2025", "--scope", "all", "--format", "json"], database: database)
            let city = try #require(try Self.json(report2025.stdout)["city"] as? [String: Any])
            #expect(city["sample"] as? Int == 5 && city["supportive"] as? Int == 3, "the answers' waves count as any wave")
            await db.close()
        }
    }

    /// A new key only: null without waves; with them, per district and for the city; a replay
    /// reads the waves recorded by T.
    @Test func metricsCarrySupportRateAsRecorded() async throws {
        try await TestDatabase.with { database in
            try await Self.city(database)
            let before = try await CLIRunner.run(["metrics", "--year", "2025", "--format", "json"], database: database)
            #expect(before.stdout.contains("\n  \"warnings\": [],\n  \"support_rate\": null,\n  \"audit_head\": "), "\(before.stdout)")
            _ = try await CLIRunner.run(["survey", "add", "--on", "2025-06-10", "--method", "household", "--district", "210682001",
                                         "--sample", "400", "--supportive", "371"], database: database)
            let db = try await database.connect()
            let moment = try await db.query("SELECT to_char(clock_timestamp() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD\"T\"HH24:MI:SS.US+08:00')")
                .single().decode(0, as: String.self)
            await db.close()
            _ = try await CLIRunner.run(["survey", "add", "--on", "2025-10-10", "--method", "phone", "--district", "210682001",
                                         "--sample", "100", "--supportive", "50"], database: database)
            let now = try Self.json(try await CLIRunner.run(["metrics", "--year", "2025", "--format", "json"], database: database).stdout)
            let rate = try #require(now["support_rate"] as? [String: Any])
            #expect((rate["city"] as? [String: Any])?["sample"] as? Int == 500)
            #expect((rate["districts"] as? [[String: Any]])?.count == 1)
            let replay = try await CLIRunner.run(["metrics", "--year", "2025", "--as-recorded-at", moment, "--format", "json"], database: database)
            let replayed = try #require(try Self.json(replay.stdout)["support_rate"] as? [String: Any], "\(replay.stderr)")
            #expect((replayed["city"] as? [String: Any])?["sample"] as? Int == 400)
            #expect((replayed["city"] as? [String: Any])?["meets"] as? Bool == true)
            let early = try await CLIRunner.run(["metrics", "--year", "2025", "--as-of", "2025-08-31", "--format", "json"], database: database)
            #expect(((try Self.json(early.stdout)["support_rate"] as? [String: Any])?["city"] as? [String: Any])?["sample"] as? Int == 400,
                    "waves after the reference date do not count")
            let other = try await CLIRunner.run(["metrics", "--year", "2024", "--format", "json"], database: database)
            #expect(try Self.json(other.stdout)["support_rate"] is NSNull)
        }
    }

    /// The demo city carries deterministic waves, so `survey report` and the metrics' fourth
    /// indicator show figures out of the box.
    @Test func theSampleCityHasSurveyWaves() async throws {
        let arguments = ["sample", "--volunteers", "300", "--entries", "2000", "--years", "2", "--districts", "6", "--last-year", "2024", "--quiet"]
        let first = try await TestDatabase.with { database in
            let loaded = try await CLIRunner.run(arguments, database: database)
            #expect(loaded.status == 0, "\(loaded.stderr)")
            let report = try await CLIRunner.run(["survey", "report", "--year", "2024", "--format", "json", "--scope", "all"], database: database)
            #expect(report.status == 0, "\(report.stderr)")
            #expect((try Self.json(report.stdout)["districts"] as? [[String: Any]])?.count == 6)
            let metrics = try await CLIRunner.run(["metrics", "--year", "2023", "--format", "json"], database: database)
            #expect(try Self.json(metrics.stdout)["support_rate"] is [String: Any])
            return try await CLIRunner.run(["survey", "list", "--format", "csv"], database: database).stdout
        }
        let second = try await TestDatabase.with { database in
            _ = try await CLIRunner.run(arguments, database: database)
            return try await CLIRunner.run(["survey", "list", "--format", "csv"], database: database).stdout
        }
        #expect(first == second && first.split(separator: "\n").count > 12, "the same seed gives the same waves")
        #expect(first.split(separator: "\n").dropFirst().contains { !$0.hasSuffix(",0") }, "some waves come with their individual answers")
    }
}
