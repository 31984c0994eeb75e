import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport

/// The command-line contract of activities and hours, run as whole processes.
struct LedgerCLITests {
    func temp(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-cli-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func expectFailure(_ result: CLIRunner.Result, contains text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.last?.hasPrefix("vledger: error: ") == true, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test func anomaliesOfAYearOutOfRangeAreRefused() async throws {
        try await TestDatabase.with { database in
            for year in ["-1", "0", "10000"] {
                let result = try await CLIRunner.run(["hours", "anomalies", "--year", year], database: database)
                expectFailure(result, contains: "year \"\(year)\": must be a year from 1949 to 9998")
            }
        }
    }

    @Test func activityCreatePrintsTheIdAlone() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            try await LedgerFixtures.district(db)
            let ok = try await CLIRunner.run(["activity", "create", "--title", "敬老院探访", "--district", "210682001", "--organiser", "王老师",
                                        "--starts", "2019-05-01 09:00", "--ends", "2019-05-01T11:30:00+08:00", "--category", "助老"], database: database)
            #expect(ok.status == 0, "\(ok.stderr)")
            let id = try #require(Int64(ok.output))
            #expect(ok.stdout == "\(id)\n")
            let row = try await db.query("SELECT length_minutes, category FROM activity WHERE id = \(id)").single()
            #expect(try row.decode(0, as: Int.self) == 150)
            #expect(try row.decode(1, as: String.self) == "助老")

            let bad = try await CLIRunner.run(["activity", "create", "--title", "x", "--district", "999999", "--organiser", "o",
                                         "--starts", "2019-05-01 09:00", "--ends", "2019-05-01 08:00"], database: database)
            expectFailure(bad, contains: "district \"999999\": no such district")
            let backwards = try await CLIRunner.run(["activity", "create", "--title", "x", "--district", "210682001", "--organiser", "o",
                                               "--starts", "2019-05-01 09:00", "--ends", "2019-05-01 08:00"], database: database)
            expectFailure(backwards, contains: "ends: must be after starts")
            #expect(try await LedgerFixtures.count(db, "activity") == 1)

            let file = try temp("title,district_code,organiser,starts,ends\n清扫,210682001,李,2019-06-01 09:00,2019-06-01 10:00\n坏行,210682001,李,2019-06-01 09:00,never\n")
            let rejected = try await CLIRunner.run(["activity", "import", file], database: database)
            expectFailure(rejected, contains: "line 3: ends \"never\"")
            #expect(try await LedgerFixtures.count(db, "activity") == 1)
            let good = try temp("\u{FEFF}title,district_code,organiser,starts,ends,category\n清扫,210682001,李,2019-06-01 09:00,2019-06-01 10:00,环保\n")
            let imported = try await CLIRunner.run(["activity", "import", good], database: database)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(try await LedgerFixtures.count(db, "activity") == 2)
            let listed = try await CLIRunner.run(["activity", "list", "--format", "json"], database: database)
            let activities = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            #expect(activities.map { $0["title"] as? String } == ["敬老院探访", "清扫"])
            #expect(activities[1]["category"] as? String == "环保")
            #expect(activities[0]["starts"] as? String == "2019-05-01T09:00:00+08:00")
            let table = try await CLIRunner.run(["activity", "list", "--district", "210682001"], database: database)
            #expect(table.stdout.contains("敬老院探访"))
        }
    }

    @Test func hoursRecordCorrectApproveAndList() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db, name: "张小红")
            let a = try await LedgerFixtures.activity(db)
            let recorded = try await CLIRunner.run(["hours", "record", "--activity", "\(a)", "--volunteer", v.number, "--minutes", "120",
                                              "--request-id", "sheet-1"], database: database)
            #expect(recorded.status == 0, "\(recorded.stderr)")
            let entry = try #require(Int64(recorded.output))
            #expect(recorded.stdout == "\(entry)\n")
            // The same request again: the same id, nothing added.
            let retry = try await CLIRunner.run(["hours", "record", "--activity", "\(a)", "--volunteer", v.idNumber, "--minutes", "120",
                                           "--request-id", "sheet-1"], database: database)
            #expect(retry.status == 0)
            #expect(retry.output == "\(entry)")
            // Overlapping service: refused with one line, nothing written.
            let overlap = try await CLIRunner.run(["hours", "record", "--activity", "\(a)", "--volunteer", v.number, "--minutes", "30",
                                             "--start", "2019-03-01 10:30"], database: database)
            expectFailure(overlap, contains: "cannot overlap")
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 1)

            let approved = try await CLIRunner.run(["hours", "approve", "\(entry)"], database: database)
            #expect(approved.status == 0)
            let again = try await CLIRunner.run(["hours", "approve", "\(entry)"], database: database)
            #expect(again.status == 0)
            #expect(again.stdout.contains("already approved"))
            #expect(try await LedgerFixtures.count(db, "hours_decision") == 1)

            let corrected = try await CLIRunner.run(["hours", "correct", "\(entry)", "--delta-minutes", "-30", "--reason", "left at 10:30"], database: database)
            #expect(corrected.status == 0, "\(corrected.stderr)")
            let correction = try #require(Int64(corrected.output))
            let below = try await CLIRunner.run(["hours", "correct", "\(entry)", "--delta-minutes", "-100", "--reason", "typo"], database: database)
            expectFailure(below, contains: "below zero")

            // Pending correction: not counted yet.
            var json = try await CLIRunner.run(["hours", "list", "--volunteer", v.number, "--format", "json"], database: database)
            #expect(json.status == 0)
            var object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            var net = try #require((object["net"] as? [[String: Any]])?.first)
            #expect(net["net_minutes"] as? Int == 120)
            let entries = try #require(object["entries"] as? [[String: Any]])
            #expect(entries.count == 2)
            #expect(entries[1]["corrects"] as? Int == Int(entry))
            #expect(entries[0]["recorded_by"] as? String == "postgres")
            #expect(entries[0]["decided_at"] is String)

            _ = try await CLIRunner.run(["hours", "approve", "\(correction)"], database: database)
            json = try await CLIRunner.run(["hours", "list", "--activity", "\(a)", "--format", "json"], database: database)
            object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            net = try #require((object["net"] as? [[String: Any]])?.first)
            #expect(net["net_minutes"] as? Int == 90)
            #expect("\(net["net_hours"] ?? "")" == "1.5")

            let table = try await CLIRunner.run(["hours", "list"], database: database)
            #expect(table.stdout.contains("张小红"))
            #expect(table.stdout.contains("↳\(correction)"))
            let csv = try await CLIRunner.run(["hours", "list", "--format", "csv"], database: database)
            #expect(csv.stdout.hasPrefix("entry,corrects,volunteer"))

            let reject = try await CLIRunner.run(["hours", "reject", "\(entry)", "--reason", "x"], database: database)
            expectFailure(reject, contains: "decided once")
            let badEntry = try await CLIRunner.run(["hours", "approve", "abc"], database: database)
            expectFailure(badEntry, contains: "entry \"abc\"")
        }
    }

    @Test func activityImportSkipBadKeepsTheGoodRows() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            try await LedgerFixtures.district(db)
            let file = try temp("""
                starts,ends,title,district_code,organiser
                2019-06-01 09:00,2019-06-01 10:00,清扫,210682001,李
                2019-06-01 09:00,never,坏行,210682001,李
                2019-06-02 09:00,2019-06-02 10:00,探访,999999,李
                2019-06-03 09:00,2019-06-03 10:00,植树,210682001,李

                """)
            let skipped = try await CLIRunner.run(["activity", "import", file, "--skip-bad"], database: database)
            #expect(skipped.status == 0, "\(skipped.stderr)")
            #expect(skipped.stdout.split(separator: "\n").count == 2)
            let rejects = String(file.dropLast(".csv".count)) + ".rejects.csv"
            #expect(skipped.stderr.contains("4 rows (UTF-8), 2 applied, 0 already present, 2 bad rows skipped and saved to \(rejects)"))
            #expect(skipped.stderr.contains("line 3: ends \"never\""))
            let titles: [String] = try await db.query("SELECT title FROM activity ORDER BY id").map { try $0.decode(0) }
            #expect(titles == ["清扫", "植树"])
            let saved = try String(contentsOfFile: rejects, encoding: .utf8)
            #expect(saved.contains("坏行") && saved.contains("探访") && !saved.contains("植树"))
            let json = try await CLIRunner.run(["activity", "import", file, "--format", "json"], database: database)
            #expect(json.status != 0)
            #expect(json.stderr.contains("2 of 4 rows are bad, nothing was written"))
            #expect(json.stdout.contains("\"bad_rows\": 2") && json.stdout.contains("\"written\": false"))
            #expect(try await LedgerFixtures.count(db, "activity") == 2)
        }
    }

    @Test func hoursImportExitCodesAndReport() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let bad = try temp("volunteer,activity,start,minutes\n\(v.number),\(a),2019-03-01 09:00,60\nVL00000999,\(a),2019-03-01 09:00,60\n\(v.number),\(a),2019-03-01 09:00,-5\n")
            let rejected = try await CLIRunner.run(["hours", "import", bad], database: database)
            expectFailure(rejected, contains: "nothing was written")
            #expect(rejected.stderr.contains("line 3: volunteer \"VL00000999\": no such volunteer"))
            #expect(rejected.stderr.contains("line 4: minutes \"-5\""))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 0)

            let skipped = try await CLIRunner.run(["hours", "import", bad, "--skip-bad", "--approve", "--format", "json"], database: database)
            #expect(skipped.status == 0, "\(skipped.stderr)")
            #expect(skipped.stdout.contains("\"applied\": 1,\n  \"already_present\": 0,\n  \"approved\": 1,"), "\(skipped.stdout)")
            let rejects = String(bad.dropLast(".csv".count)) + ".rejects.csv"
            #expect(skipped.stderr.contains("1 applied, 0 already present, 1 approved, 2 bad rows skipped and saved to \(rejects)"))
            #expect(FileManager.default.fileExists(atPath: rejects))
            #expect(try await LedgerFixtures.count(db, "hours_decision") == 1)
            let again = try await CLIRunner.run(["hours", "import", bad, "--skip-bad", "--format", "json"], database: database)
            #expect(again.status == 0)
            #expect(again.stderr.contains("0 applied, 1 already present"))
            #expect(again.stdout.contains("\"already_present\": 1"))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 1)

            let header = try temp("who,what\nx,y\n")
            expectFailure(try await CLIRunner.run(["hours", "import", header], database: database), contains: "expected volunteer,activity,start,minutes")
        }
    }

    @Test func attendanceCheckInAndOutAndAnomalies() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let w = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let b = try await LedgerFixtures.activity(db, starts: "2019-03-02 09:00+08", ends: "2019-03-02 12:00+08")
            let attended = try await CLIRunner.run(["hours", "attendance", "--activity", "\(a)", v.number, w.number, "--minutes", "90"], database: database)
            #expect(attended.status == 0, "\(attended.stderr)")
            #expect(attended.output.split(separator: "\n").count == 2)
            let checkIn = try await CLIRunner.run(["hours", "check-in", "--activity", "\(b)", "--volunteer", v.number, "--at", "2019-03-02 09:05"], database: database)
            #expect(checkIn.status == 0, "\(checkIn.stderr)")
            let checkOut = try await CLIRunner.run(["hours", "check-out", "--activity", "\(b)", "--volunteer", v.number, "--at", "2019-03-02 10:05"], database: database)
            #expect(checkOut.status == 0, "\(checkOut.stderr)")
            let entry = try #require(Int64(checkOut.output))
            #expect(try await db.query("SELECT minutes FROM hours_entry WHERE id = \(entry)").single().decode(0, as: Int.self) == 60)
            _ = try await CLIRunner.run(["hours", "check-in", "--activity", "\(b)", "--volunteer", w.number, "--at", "2019-03-02 09:00"], database: database)
            let closed = try await CLIRunner.run(["activity", "close", "\(b)"], database: database)
            #expect(closed.status == 0)
            #expect(closed.stderr.contains("1 open check-in(s) closed automatically"))
            let anomalies = try await CLIRunner.run(["hours", "anomalies", "--year", "2019", "--format", "json"], database: database)
            #expect(anomalies.status == 0)
            let list = try #require(try JSONSerialization.jsonObject(with: Data(anomalies.stdout.utf8)) as? [[String: Any]])
            #expect(list.contains { $0["kind"] as? String == "auto_checkout" })
            let shown = try await CLIRunner.run(["activity", "show", "\(b)", "--format", "json"], database: database)
            #expect(shown.stdout.contains("\"closed_at\": \"20"))
        }
    }
}
