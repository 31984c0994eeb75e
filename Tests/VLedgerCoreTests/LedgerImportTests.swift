import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

func writeTemp(_ text: String, bytes: [UInt8]? = nil, name: String = "roster.csv") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-ledger-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(bytes ?? Array(text.utf8)).write(to: url)
    return url.path
}

func importHours(_ db: Connection, _ path: String, approve: Bool = false, skipBad: Bool = false) async throws -> ImportOutcome {
    try await HoursImport.importFile(path, options: ImportOptions(skipBad: skipBad, showProgress: false), approve: approve, on: db)
}

func importProblems(_ body: () async throws -> Void) async -> [RuleViolation] {
    do {
        try await body()
        Issue.record("expected the import to be rejected")
        return []
    } catch VLedgerError.importRejected(let report) {
        return report.problems
    } catch {
        Issue.record("unexpected error \(error)")
        return []
    }
}

struct LedgerImportTests {
    @Test func goodFileIsImportedAndApprovedOnceOnly() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let w = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let path = try writeTemp("""
                volunteer,activity,start,minutes
                \(v.number),\(a),2019-03-01 09:00,60
                \(w.idNumber),\(a),2019-03-01T10:00:00+08:00,90
                \(v.number),\(a),2019-03-01 10:30,30

                """)
            let result = try await importHours(db, path, approve: true)
            #expect(result.report.applied == 3)
            #expect(result.approved == 3)
            #expect(result.report.problems.isEmpty)
            let row = try await db.query("""
                SELECT count(*), count(*) FILTER (WHERE status = 'approved'), count(*) FILTER (WHERE source = 'import' AND request_id LIKE 'import:%')
                FROM hours_entry_status
                """).single()
            #expect(try row.decode(0, as: Int.self) == 3)
            #expect(try row.decode(1, as: Int.self) == 3)
            #expect(try row.decode(2, as: Int.self) == 3)
            // The same file again adds nothing.
            let again = try await importHours(db, path, approve: true)
            #expect(again.report.applied == 0)
            #expect(again.report.skippedDuplicates == 3)
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 3)
            #expect(try await LedgerFixtures.count(db, "hours_decision") == 3)
        }
    }

    @Test func everyBadRowIsReportedAndNothingWritten() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let late = try await LedgerFixtures.volunteer(db, registeredOn: "2019-04-01")
            let gone = try await LedgerFixtures.volunteer(db)
            try await LedgerFixtures.deregister(db, gone, on: "2019-02-01")
            let a = try await LedgerFixtures.activity(db)
            let path = try writeTemp("""
                volunteer,activity,start,minutes
                \(v.number),\(a),2019-03-01 09:00,60
                VL99999999,\(a),2019-03-01 09:00,60
                \(v.number),\(a + 50),2019-03-01 09:00,60
                \(v.number),\(a),2019-03-01 25:00,60
                \(v.number),\(a),2019-03-01 11:00,ten
                \(v.number),\(a),2019-03-01 11:30,60
                \(late.number),\(a),2019-03-01 09:00,60
                \(gone.number),\(a),2019-03-01 09:00,60
                \(v.number),\(a),2019-03-01 09:30,60
                \(v.number),\(a),2019-03-01 09:00,60
                110105198001010011,\(a),2019-03-01 09:00,60
                \(v.number),\(a)
                """)
            let problems = await importProblems { _ = try await importHours(db, path) }
            let byLine = Dictionary(grouping: problems, by: { $0.line ?? 0 })
            #expect(byLine[2] == nil)
            #expect(byLine[3]?.first?.description == "line 3: volunteer \"VL99999999\": no such volunteer")
            #expect(byLine[4]?.first?.field == "activity")
            #expect(byLine[5]?.first?.field == "start")
            #expect(byLine[6]?.first?.field == "minutes")
            #expect(byLine[7]?.first?.rule.contains("outside activity") == true)
            #expect(byLine[8]?.first?.rule.contains("not registered") == true)
            #expect(byLine[9]?.first?.rule.contains("deregistered") == true)
            #expect(byLine[10]?.first?.rule.contains("overlaps line") == true)
            #expect(byLine[11]?.first?.rule == "duplicates line 2")
            // A bad ID number is masked in the report.
            #expect(byLine[12]?.first?.value == "110105********0011")
            #expect(byLine[13]?.first?.rule == "has 2 fields but the header has 4")
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 0)
        }
    }

    @Test func skipBadWritesGoodRowsAndSavesTheRest() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let existing = try await record(db, activity: a, volunteer: v.number, minutes: 30, start: "2019-03-01 11:00")
            let path = try writeTemp("""
                volunteer,activity,start,minutes
                \(v.number),\(a),2019-03-01 09:00,60
                \(v.number),\(a),2019-03-01 11:15,30
                VL99999999,\(a),2019-03-01 09:00,60

                """)
            let result = try await importHours(db, path, skipBad: true)
            #expect(result.report.applied == 1)
            #expect(result.report.problems.map(\.line) == [3, 4])
            #expect(result.report.problems[0].rule.contains("overlaps entry \(existing)"))
            let rejects = try String(contentsOfFile: try #require(result.rejectsFile), encoding: .utf8)
            let lines = rejects.split(whereSeparator: \.isNewline)
            #expect(lines.count == 3)
            #expect(lines[0].hasSuffix("volunteer,activity,start,minutes,reason"))
            #expect(lines[2].hasPrefix("VL99999999,"))
            #expect(lines[2].hasSuffix(",\"line 4: volunteer \"\"VL99999999\"\": no such volunteer\""))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 2)
            // The rejects file, fixed, is imported as it is (its reason column is extra).
            let fixed = rejects.replacingOccurrences(of: "VL99999999,\(a),2019-03-01 09:00,60", with: "\(v.number),\(a),2019-03-01 10:30,30")
                .replacingOccurrences(of: "2019-03-01 11:15", with: "2019-03-01 10:00")
            try Data(fixed.utf8).write(to: URL(fileURLWithPath: try #require(result.rejectsFile)))
            let again = try await importHours(db, try #require(result.rejectsFile))
            #expect(again.report.problems.isEmpty)
            #expect(again.report.applied == 2)
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 4)
        }
    }

    @Test func netMinutesStayWithinTheActivityAcrossLinesAndLedger() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let first = try await record(db, activity: a, volunteer: v.number, minutes: 60)
            _ = try await correct(db, first, 60)  // pending +60: 120 of 180 minutes may yet count
            let path = try writeTemp("""
                volunteer,activity,start,minutes
                \(v.number),\(a),2019-03-01 10:00,61

                """)
            let problems = await importProblems { _ = try await importHours(db, path) }
            #expect(problems.count == 1)
            // 10:00 lies inside the entry of 09:00 should its pending +60 be approved.
            #expect(problems.first?.field == "start")
            #expect(problems.first?.code == "hours_no_overlap")
            #expect(problems.first?.rule.contains("overlaps entry \(first)") == true)
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 2)
        }
    }

    @Test func gb18030AndByteOrderMarkFilesAreRead() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let text = "volunteer,activity,start,minutes\r\n\(v.number),\(a),2019-03-01 09:00,60\r\n"
            var gb = Array(text.utf8)
            // 中 in GB18030 (D6 D0) is not UTF-8: the file is read as GB18030, and the row with it in
            // the minutes field is bad, reported with the decoded value.
            gb += Array("\(v.number),\(a),2019-03-01 10:00,\"".utf8) + [0xD6, 0xD0] + Array("\"\r\n".utf8)
            let gbPath = try writeTemp("", bytes: gb)
            let table = try CSVFile.read(URL(fileURLWithPath: gbPath))
            #expect(table.encoding == .gb18030)
            #expect(table.records[1].values[3] == "中")
            let problems = await importProblems { _ = try await importHours(db, gbPath) }
            #expect(problems.map(\.line) == [3])
            #expect(problems.first?.value == "中")

            let bomPath = try writeTemp("", bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
            let result = try await importHours(db, bomPath)
            #expect(result.report.applied == 1)
        }
    }

    @Test func everyTimeFormReadsTheSameInstant() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db, starts: "2019-03-01 00:00+08", ends: "2019-03-02 00:00+08")
            let path = try writeTemp("""
                volunteer,activity,start,minutes
                \(v.number),\(a),2019-03-01 09:00,10
                \(v.number),\(a),2019-03-01T10:00:30,10
                \(v.number),\(a),2019-03-01T11:00:00+0800,10
                \(v.number),\(a),2019-03-01T04:00:00Z,10
                \(v.number),\(a),2019-03-01 13:00+08,10
                \(v.number),\(a),2019-03-01T14:00:00.5+08:00,10
                \(v.number),\(a), 2019-03-01 15:00 ,10
                \(v.number),\(a),2019-02-29 09:00,10
                \(v.number),\(a),2019-03-01 24:00,10

                """)
            let problems = await importProblems { _ = try await importHours(db, path) }
            #expect(problems.map(\.line) == [9, 10])
            #expect(problems.allSatisfy { $0.field == "start" })
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropLast(2).joined(separator: "\n") + "\n"
            try Data(lines.utf8).write(to: URL(fileURLWithPath: path))
            _ = try await importHours(db, path)
            let starts: [String] = try await db.query("SELECT vl_local_text(service_start) FROM hours_entry ORDER BY service_start").map { try $0.decode(0) }
            #expect(starts == ["2019-03-01T09:00:00+08:00", "2019-03-01T10:00:30+08:00", "2019-03-01T11:00:00+08:00", "2019-03-01T12:00:00+08:00",
                               "2019-03-01T13:00:00+08:00", "2019-03-01T14:00:00+08:00", "2019-03-01T15:00:00+08:00"])
        }
    }

    @Test func csvParsingHandlesQuotesAndBlankLines() throws {
        let table = try CSVFile.parse(bytes: Array("a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n\n3,4\n".utf8), source: "t.csv")
        #expect(table.header == ["a", "b"])
        #expect(table.records.count == 2)
        #expect(table.records[0].values == ["x, \"y\"", "two\nlines"])
        #expect(table.records[1].line == 5)
    }

    /// Columns are found by name, so a roster with its columns in another order, or with an
    /// extra column (a rejects file's reason), reads the same.
    @Test func columnsAreFoundByName() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let path = try writeTemp("""
                Minutes,start,note,volunteer,activity
                60,2019-03-01 09:00,first,\(v.number),\(a)

                """)
            let result = try await importHours(db, path)
            #expect(result.report.applied == 1)
            let minutes: Int = try await db.query("SELECT minutes FROM hours_entry").single().decode(0)
            #expect(minutes == 60)
            let missing = try writeTemp("volunteer,activity,minutes\n\(v.number),\(a),60\n")
            let error = await #expect(throws: RuleViolation.self) { _ = try await importHours(db, missing) }
            #expect(error?.description.contains("missing column start") == true)
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 1)
        }
    }
}
