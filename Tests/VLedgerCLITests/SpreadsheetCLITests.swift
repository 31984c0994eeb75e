import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Files as Chinese Excel and WPS write them, workbooks read back by a real reader, and input
/// hygiene (issue 12 §3 and §5), as whole processes.
struct SpreadsheetCLITests {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static func id(_ body17: String) -> String {
        let sum = zip(body17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body17 + String(Array("10X98765432")[sum % 11])
    }

    static func fullWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value >= 0x21 && $0.value <= 0x7E ? Unicode.Scalar($0.value + 0xFEE0)! : $0 }))
    }

    static func folder() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-sheets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = try folder().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// As Excel's "CSV UTF-8" saves: a byte order mark and CRLF.
    static func excelCSV(_ lines: [String]) -> [UInt8] {
        [0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    @discardableResult
    static func run(_ arguments: [String], _ database: TestDatabase, status expected: Int32 = 0,
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIRunner.Result {
        let result = try await CLIRunner.run(arguments, database: database)
        #expect(result.status == expected, "vledger \(arguments.joined(separator: " ").prefix(300)): \(result.stderr.prefix(2000))",
                sourceLocation: sourceLocation)
        return result
    }

    static func count(_ database: TestDatabase, _ table: String) async throws -> Int {
        let db = try await database.connect()
        return try await LedgerFixtures.count(db, table)
    }

    static func withCity(_ body: @Sendable (TestDatabase) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            try await run(["district", "add", "--code", "210682001", "--name", "凤凰城街道", "--built-up"], database)
            try await body(database)
        }
    }

    /// The last line of a refusal: one line, starting as every error does.
    static func refusal(_ result: CLIRunner.Result, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        let line = result.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(line.hasPrefix("vledger: error: "), "\(result.stderr.prefix(500))", sourceLocation: sourceLocation)
        return line
    }

    // MARK: §3 files as Excel and WPS make them

    @Test func anExcelMadeVolunteerSheetWithChineseHeadersImports() async throws {
        try await Self.withCity { db in
            let a = Self.id("21068219900101123"), b = Self.id("21068219910202123"), c = Self.id("21068219920303123")
            // WPS: Chinese headers, two empty header cells after the last column and the commas that go with them,
            // dates three ways, an ID number and a phone typed in full-width mode, a code with an ideographic space.
            let url = try Self.file("志愿者.csv", Self.excelCSV([
                "姓名,身份证号码,手机号码,所属区划,注册日期,,",
                "张伟,\(a),13812345678,210682001,2025/4/6,,",
                "李娜,\(Self.fullWidth(b.replacingOccurrences(of: "X", with: "x"))),１３８　１２３４　５６７９,２１０６８２００１,2025年4月6日,,",
                "王芳,\(c),13812345670,210682001\u{3000},2025-4-6,,",
                ",,,,,,",
            ]))
            let imported = try await Self.run(["volunteer", "import", url.path, "--format", "json"], db)
            #expect(imported.stdout.contains("\"applied\": 3"), "\(imported.stdout)")
            let csv = try await Self.run(["volunteer", "list", "--format", "csv", "--reveal"], db).stdout
            #expect(csv.contains("张伟,\(a),13812345678,210682001,凤凰城街道,2025-04-06"))
            #expect(csv.contains("李娜,\(b),13812345679,210682001,凤凰城街道,2025-04-06"))
            #expect(csv.contains("王芳,\(c),13812345670,210682001,凤凰城街道,2025-04-06"))
            // Imported again: already present, under the same normalised values.
            let again = try await Self.run(["volunteer", "import", url.path, "--format", "json"], db)
            #expect(again.stdout.contains("\"already_present\": 3"))

            // A GB18030 file (Excel's "CSV" on a Chinese Windows) with Chinese headers.
            let gbText = "姓名,身份证号,联系电话,区划代码,注册日期\r\n赵敏,\(Self.id("21068219930404123")),13812345671,210682001,2025/5/1\r\n"
            let gb = try Self.file("gb.csv", try #require(gb18030(gbText)))
            let gbImport = try await Self.run(["volunteer", "import", gb.path], db)
            #expect(gbImport.stderr.contains("(GB18030)"), "\(gbImport.stderr)")
            #expect(try await Self.count(db, "volunteer") == 4)
        }
    }

    @Test func activitiesAndHoursWithChineseHeadersAndExcelTimesImport() async throws {
        try await Self.withCity { db in
            let person = Self.id("21068219900101123")
            try await Self.run(["volunteer", "register", "--name", "张伟", "--id-number", person, "--phone", "13812345678",
                                "--district", "210682001", "--registered-on", "2025-01-01"], db)
            let activities = try Self.file("活动.csv", Self.excelCSV([
                "活动名称,区划代码,组织者,开始时间,结束时间,类别,",
                "敬老院探访,210682001,王老师,2025/4/6 9:00,2025年4月6日 12:00:00,助老,",
                "河道清理,２１０６８２００１,李老师,2025-4-7 8:00,2025-4-7 11:30,环保,",
            ]))
            let created = try await Self.run(["activity", "import", activities.path, "--format", "json"], db)
            #expect(created.stdout.contains("\"applied\": 2"), "\(created.stdout) \(created.stderr)")
            let listed = try await Self.run(["activity", "list", "--format", "csv"], db).stdout
            #expect(listed.contains("2025-04-06T09:00:00+08:00"), "\(listed)")
            #expect(listed.contains("2025-04-06T12:00:00+08:00"))
            let dbc = try await db.connect()
            let ids = try await dbc.query("SELECT id FROM activity ORDER BY id").map { try $0.decode(0, as: Int64.self) }
            let hours = try Self.file("时长.csv", Self.excelCSV([
                "志愿者编号,活动编号,开始时间,服务时长（分钟）,,",
                "VL00000001,\(ids[0]),2025/4/6 9:00,１２０,,",
                "\(Self.fullWidth(person)),\(ids[1]),2025年4月7日 8:00,90,,",
            ]))
            let recorded = try await Self.run(["hours", "import", hours.path, "--format", "json"], db)
            #expect(recorded.stdout.contains("\"applied\": 2"), "\(recorded.stdout) \(recorded.stderr)")
            let json = try await Self.run(["hours", "list", "--format", "json"], db).stdout
            #expect(json.contains("\"service_start\": \"2025-04-06T09:00:00+08:00\""), "\(json)")
            #expect(json.contains("\"minutes\": 120"))
            #expect(json.contains("\"minutes\": 90"))
        }
    }

    @Test func aGB18030FileThatIsAlsoValidUTF8IsRefusedUntilTheEncodingIsGiven() async throws {
        try await Self.withCity { db in
            // 谢伟 and 姚平 in GB18030 happen to be valid UTF-8 (лΰ…): such a file was stored as that mojibake before.
            let text = "name,id_number,phone,district_code,registered_on\r\n谢伟,\(Self.id("21068219900101123")),13812345678,210682001,2025-04-06\r\n"
                + "姚平,\(Self.id("21068219910101123")),13812345679,210682001,2025-04-06\r\n"
            let bytes = try #require(gb18030(text))
            #expect(TextDecoding.validUTF8(bytes[...]) != nil)
            let url = try Self.file("wps.csv", bytes)
            let refused = try await CLIRunner.run(["volunteer", "import", url.path], database: db)
            let line = Self.refusal(refused)
            #expect(line.contains("--encoding gb18030 or --encoding utf-8"), "\(line)")
            #expect(line.contains("谢伟"))
            #expect(try await Self.count(db, "volunteer") == 0)
            try await Self.run(["volunteer", "import", url.path, "--encoding", "gb18030"], db)
            let names = try await Self.run(["volunteer", "list", "--format", "csv"], db).stdout
            #expect(names.contains(",谢伟,") && names.contains(",姚平,"), "\(names)")
        }
    }

    @Test func anArgumentThatIsNotUTF8IsRefusedAndNothingIsWritten() async throws {
        try await Self.withCity { db in
            // Process takes Swift strings: the bytes go through a shell's printf.
            let script = "exec \"$0\" volunteer register --name \"$(printf 'ab\\377')\" --id-number \(Self.id("21068219900101123")) "
                + "--phone 13812345678 --district 210682001 --registered-on 2025-04-06"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script, CLIRunner.executable().path]
            var environment = ProcessInfo.processInfo.environment
            environment["VLEDGER_DATABASE_URL"] = db.connectionString
            // English, as CLIRunner runs the binary.
            for name in ["LC_ALL", "LC_MESSAGES", "LANG"] { environment.removeValue(forKey: name) }
            environment["LC_ALL"] = CLIRunner.englishLocale
            process.environment = environment
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = Pipe()
            try process.run()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 1)
            #expect(stderr == "vledger: error: argument \"ab\\xff\": the value of --name is not valid UTF-8 text; set the terminal to UTF-8 (LANG=zh_CN.UTF-8) and type it again\n")
            #expect(try await Self.count(db, "volunteer") == 0)
        }
    }

    // MARK: §3 workbooks read back by openpyxl

    static func sampleCity(_ database: TestDatabase) async throws {
        try await run(["sample", "--volunteers", "120", "--entries", "900", "--years", "1", "--districts", "4", "--last-year", "2024", "--quiet"], database)
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    static func double(_ value: Any?) -> Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        return nil
    }

    static func double(_ cell: SpreadsheetReader.Cell) -> Double? {
        switch cell {
        case .int(let v): return Double(v)
        case .float(let v): return v
        default: return nil
        }
    }

    @Test(.enabled(if: SpreadsheetReader.available, "python3 is not installed: the workbooks cannot be read back with openpyxl"))
    func metricsWorkbookHasTheFiguresOfTheJSON() async throws {
        try await TestDatabase.with { db in
            try await Self.sampleCity(db)
            let out = try Self.folder().appendingPathComponent("指标.xlsx")
            let written = try await Self.run(["metrics", "--year", "2024", "--format", "xlsx", "--out", out.path], db)
            #expect(written.stdout.isEmpty)
            let book = try SpreadsheetReader.read(out)
            #expect(book.names == ["年度指标"])
            let rows = try #require(book.sheets["年度指标"])
            #expect(rows[0].map(\.description) == ["level", "code", "name", "built_up", "population", "registered", "active", "approved_minutes",
                                                   "registration_share", "participation_rate", "hours_per_volunteer",
                                                   "meets_registration_share", "meets_participation_rate", "meets_hours_per_volunteer",
                                                   "registrations_needed", "participants_needed", "hours_needed"])
            let report = try #require(try Self.json(try await Self.run(["metrics", "--year", "2024", "--format", "json"], db).stdout) as? [String: Any])
            let districts = try #require(report["districts"] as? [[String: Any]])
            #expect(rows.count == 1 + districts.count + 1)
            for (index, district) in districts.enumerated() {
                let row = rows[index + 1]
                #expect(row[1] == .text(district["code"] as! String), "district codes stay text")
                #expect(row[3] == .bool(district["built_up"] as! Bool))
                #expect(row[5] == .int((district["registered"] as! NSNumber).intValue))
                #expect(row[6] == .int((district["active"] as! NSNumber).intValue))
                #expect(row[7] == .int((district["approved_minutes"] as! NSNumber).intValue))
                for (column, key) in [(8, "registration_share"), (9, "participation_rate"), (10, "hours_per_volunteer")] {
                    if let expected = Self.double(district[key]) {
                        #expect(Self.double(row[column]) == expected, "\(key) of \(district["code"]!)")
                    } else {
                        #expect(row[column] == .none)
                    }
                }
            }
            let city = try #require(report["city"] as? [String: Any])
            #expect(rows.last?[5] == .int((city["registered"] as! NSNumber).intValue))
            #expect(Self.double(rows.last![10]) == Self.double(city["hours_per_volunteer"]))

            // By month: one sheet, as of each month's end.
            let months = try Self.folder().appendingPathComponent("m.xlsx")
            try await Self.run(["metrics", "--year", "2024", "--by", "month", "--format", "xlsx", "--out", months.path], db)
            let monthly = try SpreadsheetReader.read(months)
            #expect(monthly.names == ["月度指标"])
            #expect(monthly.sheets["月度指标"]?.count == 1 + 12 * (districts.count + 1))
        }
    }

    @Test(.enabled(if: SpreadsheetReader.available, "python3 is not installed: the workbooks cannot be read back with openpyxl"))
    func volunteerAndHoursWorkbooksMatchTheirJSON() async throws {
        try await TestDatabase.with { db in
            try await Self.sampleCity(db)
            let folder = try Self.folder()
            // Volunteers: masked as on screen, ID numbers as text.
            try await Self.run(["volunteer", "list", "--format", "xlsx", "--out", folder.appendingPathComponent("v.xlsx").path], db)
            let volunteers = try SpreadsheetReader.read(folder.appendingPathComponent("v.xlsx"))
            #expect(volunteers.names == ["志愿者"])
            let listed = try #require(try Self.json(try await Self.run(["volunteer", "list", "--format", "json"], db).stdout) as? [[String: Any]])
            let rows = try #require(volunteers.sheets["志愿者"])
            #expect(rows.count == listed.count + 1)
            #expect(rows[0].map(\.description) == ["number", "name", "id_number", "phone", "district_code", "district_name", "registered_on"])
            for (row, volunteer) in zip(rows.dropFirst(), listed) {
                #expect(row[0] == .text(volunteer["number"] as! String))
                #expect(row[2] == .text(volunteer["id_number"] as! String))
                #expect(row[4] == .text(volunteer["district_code"] as! String))
            }
            // Inactive volunteers carry approved minutes: numbers.
            try await Self.run(["volunteer", "list", "--inactive", "--year", "2024", "--format", "xlsx", "--out", folder.appendingPathComponent("i.xlsx").path], db)
            let inactive = try SpreadsheetReader.read(folder.appendingPathComponent("i.xlsx"))
            if let first = inactive.sheets["志愿者"]?.dropFirst().first {
                #expect(first.last == .int(0))
            }
            // The export, revealed: every column text, so it types back into `volunteer import`.
            try await Self.run(["volunteer", "export", "--reveal", "--format", "xlsx", "--out", folder.appendingPathComponent("e.xlsx").path], db)
            let export = try #require(try SpreadsheetReader.read(folder.appendingPathComponent("e.xlsx")).sheets["志愿者"])
            #expect(export.dropFirst().allSatisfy { row in row[1].description.count == 18 && { if case .text = row[1] { return true } else { return false } }() })
            #expect(export.dropFirst().allSatisfy { row in { if case .text = row[2] { return true } else { return false } }() })

            // Hours: every entry, minutes as numbers, the nets on their own sheet.
            try await Self.run(["hours", "list", "--format", "xlsx", "--out", folder.appendingPathComponent("h.xlsx").path], db)
            let hours = try SpreadsheetReader.read(folder.appendingPathComponent("h.xlsx"))
            #expect(hours.names == ["服务时长", "净时长"])
            let hoursJSON = try #require(try Self.json(try await Self.run(["hours", "list", "--format", "json"], db).stdout) as? [String: Any])
            let entries = try #require(hoursJSON["entries"] as? [[String: Any]])
            let nets = try #require(hoursJSON["net"] as? [[String: Any]])
            let entryRows = try #require(hours.sheets["服务时长"])
            #expect(entryRows.count == entries.count + 1)
            for (row, entry) in zip(entryRows.dropFirst(), entries) {
                #expect(row[0] == .int((entry["entry"] as! NSNumber).intValue))
                #expect(row[7] == .int((entry["minutes"] as! NSNumber).intValue))
                #expect(row[9] == .text(entry["status"] as! String))
            }
            let netRows = try #require(hours.sheets["净时长"])
            #expect(netRows.count == nets.count + 1)
            for (row, net) in zip(netRows.dropFirst(), nets) {
                #expect(row[2] == .int((net["net_minutes"] as! NSNumber).intValue))
                #expect(Self.double(row[3]) == Self.double(net["net_hours"]))
            }
        }
    }

    @Test(.enabled(if: SpreadsheetReader.available, "python3 is not installed: the workbooks cannot be read back with openpyxl"))
    func anImportReportIsAWorkbookToo() async throws {
        try await Self.withCity { db in
            let url = try Self.file("v.csv", Self.excelCSV([
                "姓名,身份证号,手机号,所属区划,注册日期",
                "张伟,\(Self.id("21068219900101123")),13812345678,210682001,2025/4/6",
                "李娜,\(Self.id("21068219910101123")),123,210682001,2025/4/6",
            ]))
            let out = try Self.folder().appendingPathComponent("报告.xlsx")
            let refused = try await CLIRunner.run(["volunteer", "import", url.path, "--format", "xlsx", "--out", out.path], database: db)
            #expect(refused.status == 1)
            let book = try SpreadsheetReader.read(out)
            #expect(book.names == ["导入报告", "问题"])
            let summary = try #require(book.sheets["导入报告"])
            #expect(summary[0].map(\.description) == ["file", "rows", "applied", "already_present", "bad_rows", "written", "rejects_file"])
            #expect(summary[1][1] == .int(2) && summary[1][4] == .int(1) && summary[1][5] == .bool(false))
            let problems = try #require(book.sheets["问题"])
            #expect(problems.count == 2)
            #expect(problems[1][0] == .int(3) && problems[1][1] == .text("phone"))
            #expect(try await Self.count(db, "volunteer") == 0)
        }
    }

    @Test func excelCSVHasAByteOrderMarkAndCRLFAndMachineCSVStaysAsItWas() async throws {
        try await Self.withCity { db in
            try await Self.run(["volunteer", "register", "--name", "张伟", "--id-number", Self.id("21068219900101123"), "--phone", "13812345678",
                                "--district", "210682001", "--registered-on", "2025-01-01"], db)
            let excel = try await Self.run(["volunteer", "list", "--format", "csv", "--excel"], db).stdout
            #expect(excel.hasPrefix("\u{FEFF}number,name,"))
            #expect(excel.unicodeScalars.filter { $0 == "\n" }.count == 2 && excel.contains("registered_on\r\nVL00000001,"))
            let machine = try await Self.run(["volunteer", "list", "--format", "csv"], db).stdout
            #expect(machine.hasPrefix("number,name,") && !machine.contains("\r"))
            let refused = try await CLIRunner.run(["volunteer", "list", "--excel"], database: db)
            #expect(refused.status != 0 && refused.stderr.contains("--excel is for --format csv"))
        }
    }

    // MARK: §5 input hygiene

    @Test func aHugeHeaderGivesAShortErrorAndEscapesAreNotEchoed() async throws {
        try await Self.withCity { db in
            let header = String(repeating: "列", count: 2_000_000)
            let url = try Self.file("big.csv", Array((header + "\n1\n").utf8))
            let result = try await CLIRunner.run(["volunteer", "import", url.path], database: db)
            let line = Self.refusal(result)
            #expect(result.stderr.utf8.count < 1_000, "\(result.stderr.utf8.count) bytes")
            #expect(line.contains("… (2000000 characters)"))
            let escape = try Self.file("esc.csv", Array("name,id_number,phone,district_code,registered_on\n张伟,\(Self.id("21068219900101123")),13812345678,\u{1B}[2J\u{1B}]0;owned\u{07},2025-04-06\n".utf8))
            let echoed = try await CLIRunner.run(["volunteer", "import", escape.path], database: db)
            #expect(echoed.status == 1)
            #expect(!echoed.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(echoed.stderr)")
            #expect(echoed.stderr.contains("district_code \"\\u{1b}[2J\\u{1b}]0;owned\\u{7}\": no such district"), "\(echoed.stderr)")
            #expect(try await Self.count(db, "volunteer") == 0)
        }
    }

    @Test func textFieldsHaveLengthLimitsInTheDatabaseWithTheLimitInTheMessage() async throws {
        try await Self.withCity { db in
            let long = { (count: Int) in String(repeating: "长", count: count) }
            let base = ["activity", "create", "--title", "探访", "--district", "210682001", "--starts", "2025-04-06 09:00", "--ends", "2025-04-06 11:00"]
            let organiser = try await CLIRunner.run(base + ["--organiser", long(101)], database: db)
            #expect(Self.refusal(organiser) == "vledger: error: organiser: must be at most 100 characters")
            let category = try await CLIRunner.run(base + ["--organiser", "王老师", "--category", long(51)], database: db)
            #expect(Self.refusal(category) == "vledger: error: category: must be at most 50 characters")
            #expect(try await Self.count(db, "activity") == 0)
            let sheet = try Self.file("a.csv", Array("title,district_code,organiser,starts,ends\n探访,210682001,\(long(101)),2025/4/6 9:00,2025/4/6 11:00\n".utf8))
            let imported = try await CLIRunner.run(["activity", "import", sheet.path], database: db)
            #expect(imported.stderr.contains("line 2: organiser: must be at most 100 characters"), "\(imported.stderr)")
            #expect(try await Self.count(db, "activity") == 0)
            let activity = try await Self.run(base + ["--organiser", long(100), "--category", long(50)], db).output

            try await Self.run(["volunteer", "register", "--name", "张伟", "--id-number", Self.id("21068219900101123"), "--phone", "13812345678",
                                "--district", "210682001", "--registered-on", "2025-01-01"], db)
            let reason = try await CLIRunner.run(["volunteer", "deregister", "VL00000001", "--on", "2025-06-01", "--reason", long(501)], database: db)
            #expect(Self.refusal(reason) == "vledger: error: reason: must be at most 500 characters")
            #expect(try await Self.count(db, "volunteer_deregistration") == 0)
            let request = try await CLIRunner.run(["hours", "record", "--activity", activity, "--volunteer", "VL00000001", "--minutes", "60",
                                                   "--request-id", String(repeating: "r", count: 201)], database: db)
            #expect(Self.refusal(request) == "vledger: error: request_id: must be at most 200 characters")
            #expect(try await Self.count(db, "hours_entry") == 0)

            // The database itself refuses, whoever writes.
            let conn = try await db.connect()
            for (statement, constraint) in [
                ("UPDATE activity SET organiser = repeat('x', 101)", "activity_organiser_length"),
                ("INSERT INTO population_revision (district_code, year, residents, source) VALUES ('210682001', 2025, 10, repeat('x', 201))", "population_source_length"),
                ("UPDATE activity SET category = repeat('x', 51)", "activity_category_length"),
            ] {
                do {
                    try await conn.execute("\(unsafeRaw: statement)")
                    Issue.record("\(statement) was accepted")
                } catch let error as PostgresError {
                    #expect(error.constraint == constraint, "\(error)")
                }
            }
        }
    }

    @Test func settingsAreCheckedWhenSet() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            for (name, value, message) in [
                ("minimum_age", "abc", "minimum_age \"abc\": must be a whole number of years from 1 to 100"),
                ("minimum_age", "0", "minimum_age \"0\": must be a whole number of years from 1 to 100"),
                ("time_zone", "Mars/Olympus", "time_zone \"Mars/Olympus\": not a time zone name PostgreSQL knows (like Asia/Shanghai)"),
                ("daily_hours_limit", "25", "daily_hours_limit \"25\": must be a whole number of hours from 1 to 24"),
                ("late_recording_days", "-1", "late_recording_days \"-1\": must be a whole number of days from 0 to 3650"),
                ("recorder_hourly_entries_limit", "many", "recorder_hourly_entries_limit \"many\": must be a whole number of entries from 1 to 100000"),
                ("star_thresholds_hours", "100,300,200,1000,1500",
                 "star_thresholds_hours \"100,300,200,1000,1500\": must be five increasing positive whole numbers of hours, like 100,300,600,1000,1500"),
            ] {
                do {
                    try await db.execute("UPDATE setting SET value = \(value) WHERE name = \(name)")
                    Issue.record("\(name) = \(value) was accepted")
                } catch {
                    #expect(UserMessage.line(for: error) == message)
                }
            }
            let stored = try await db.query("SELECT name, value FROM setting ORDER BY name").map { "\(try $0.decode(0, as: String.self))=\(try $0.decode(1, as: String.self))" }
            // The recognition criteria's defaults (0171) are stored settings too.
            #expect(stored == ["daily_hours_limit=12", "id_lookup_misses_per_hour=10", "late_recording_days=30", "minimum_age=14",
                               "recognition_community_criteria=volunteer_share=0.10,categories=3,teams=2",
                               "recognition_org_criteria=founded_years=3,projects=2,members=20,active_share=0.60",
                               "recognition_star_org_thresholds=1:star1=0.10,projects=1,activities=12;2:star1=0.20,projects=2,activities=24;3:star2=0.20,projects=3,activities=48",
                               "recorder_hourly_entries_limit=120",
                               "registration_checks_per_key_per_day=5",
                               "star_thresholds_hours=100,300,600,1000,1500", "time_zone=Asia/Shanghai"])
            try await db.execute("UPDATE setting SET value = '16' WHERE name = 'minimum_age'")
            try await db.execute("UPDATE setting SET value = 'Asia/Urumqi' WHERE name = 'time_zone'")
        }
    }

    @Test func offsetsBeyondFourteenHoursAndLocalTimesThatDoNotExistAreRefused() async throws {
        try await Self.withCity { db in
            let base = ["activity", "create", "--title", "探访", "--district", "210682001", "--organiser", "王老师"]
            let offset = try await CLIRunner.run(base + ["--starts", "2025-04-06T09:00:00+25:00", "--ends", "2025-04-06 11:00"], database: db)
            #expect(Self.refusal(offset) == "vledger: error: starts \"2025-04-06T09:00:00+25:00\": offset +25:00 is beyond ±14:00 (the time zones in use run from -12:00 to +14:00)")
            // China kept summer time 1986–1991: on 1986-05-04 the clocks went from 02:00 to 03:00.
            let gap = try await CLIRunner.run(base + ["--starts", "1986-05-04 02:30", "--ends", "1986-05-04 05:00"], database: db)
            #expect(Self.refusal(gap) == "vledger: error: starts \"1986-05-04 02:30:00\": does not exist in Asia/Shanghai (the clocks were put forward over it); give the time with an offset")
            let file = try Self.file("a.csv", Array("title,district_code,organiser,starts,ends\n探访,210682001,王老师,1986/5/4 2:15,1986/5/4 5:00\n探访,210682001,王老师,2025/4/6 9:00,2025/4/6 9:00-25:00\n".utf8))
            let imported = try await CLIRunner.run(["activity", "import", file.path], database: db)
            #expect(imported.status == 1)
            #expect(imported.stderr.contains("line 2: starts \"1986-05-04 02:15:00\": does not exist in Asia/Shanghai"), "\(imported.stderr)")
            #expect(imported.stderr.contains("line 3: ends \"2025/4/6 9:00-25:00\": offset -25:00 is beyond ±14:00"), "\(imported.stderr)")
            #expect(try await Self.count(db, "activity") == 0)
            // The same two refusals in an hours roster, found before any rule runs.
            let roster = try Self.file("h.csv", Array("volunteer,activity,start,minutes\nVL00000001,1,1986/5/4 2:30,60\nVL00000001,1,2025-04-06T09:00:00+15:00,60\n".utf8))
            let hours = try await CLIRunner.run(["hours", "import", roster.path], database: db)
            #expect(hours.status == 1)
            #expect(hours.stderr.contains("line 2: start \"1986-05-04 02:30:00\": does not exist in Asia/Shanghai"), "\(hours.stderr)")
            #expect(hours.stderr.contains("line 3: start \"2025-04-06T09:00:00+15:00\": offset +15:00 is beyond ±14:00"), "\(hours.stderr)")
            #expect(try await Self.count(db, "hours_entry") == 0)
        }
    }

    @Test func aPopulationSheetWithChineseHeadersImports() async throws {
        try await Self.withCity { db in
            let url = try Self.file("人口.csv", Self.excelCSV(["区划代码,年份,常住人口,数据来源,", "２１０６８２００１,２０２５,\"21,000\",统计公报,"]))
            try await Self.run(["population", "import", url.path], db)
            let listed = try await Self.run(["population", "list", "--format", "csv"], db).stdout
            #expect(listed.contains("210682001,凤凰城街道,2025,21000,"), "\(listed)")
            let long = try Self.file("long.csv", Array("district_code,year,residents,source\n210682001,2024,100,\(String(repeating: "源", count: 201))\n".utf8))
            let refused = try await CLIRunner.run(["population", "import", long.path], database: db)
            #expect(refused.stderr.contains("line 2: source: must be at most 200 characters"), "\(refused.stderr)")
            _ = Self.refusal(refused)
            #expect(!(try await Self.run(["population", "list", "--format", "csv"], db).stdout.contains(",2024,")))
        }
    }
}

/// GB18030 bytes of `text`, as Excel on a Chinese Windows saves them.
func gb18030(_ text: String) -> [UInt8]? { TextDecoding.gb18030(text) }
