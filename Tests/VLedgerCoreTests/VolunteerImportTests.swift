import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

struct VolunteerImportTests {
    static let header = "name,id_number,phone,district_code,registered_on"

    static func file(_ lines: [String], bom: Bool = false, gb18030: Bool = false) throws -> URL {
        let text = lines.joined(separator: "\r\n") + "\r\n"
        let bytes: [UInt8] = gb18030 ? try #require(TextDecoding.gb18030(text)) : (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
        return try RegistryFixture.temporaryFile("volunteers.csv", bytes: bytes)
    }

    static func row(_ name: String, born: String, sequence: Int = 1, phone: String = "13812345678", district: String = RegistryFixture.districtA, on date: String = "2019-03-01") -> String {
        "\(name),\(RegistryFixture.id(born: born, sequence: sequence)),\(phone),\(district),\(date)"
    }

    func withDistricts(_ body: @escaping @Sendable (isolated Connection) throws -> Void) async throws {
        try await RegistryTestDatabase.withDatabase { db in
            try RegistryFixture.districts(db)
            try body(db)
        }
    }

    func rejected(_ url: URL, options: ImportOptions = ImportOptions(showProgress: false), on db: isolated Connection) throws -> ImportReport {
        do {
            _ = try VolunteerImport.run(url, options: options, on: db)
        } catch VLedgerError.importRejected(let report) {
            return report
        }
        Issue.record("the import was not rejected")
        return ImportReport(file: "", totalRows: 0)
    }

    static let quiet = ImportOptions(showProgress: false)

    @Test func utf8WithBOMIsImportedInFileOrder() async throws {
        try await withDistricts { db in
            let url = try Self.file([Self.header, Self.row("张三", born: "1990-01-01"), Self.row("李四", born: "1985-05-05", district: RegistryFixture.districtB)], bom: true)
            let outcome = try VolunteerImport.run(url, options: Self.quiet, on: db)
            #expect(outcome.encoding == .utf8BOM)
            #expect(outcome.report.applied == 2)
            let rows = try db.query("""
                SELECT v.number, v.name, vd.district_code, vd.effective_from FROM volunteer v JOIN volunteer_district vd ON vd.volunteer_id = v.id ORDER BY v.number
                """).map { [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self), try $0.decode(2, as: String.self), try $0.decode(3, as: CalendarDate.self).description] }
            #expect(rows == [["VL00000001", "张三", RegistryFixture.districtA, "2019-03-01"], ["VL00000002", "李四", RegistryFixture.districtB, "2019-03-01"]])
        }
    }

    @Test func gb18030FileWithChineseNames() async throws {
        try await withDistricts { db in
            let url = try Self.file([Self.header, Self.row("欧阳娜娜", born: "1990-01-01"), Self.row("诸葛亮", born: "1981-07-23")], gb18030: true)
            let outcome = try VolunteerImport.run(url, options: Self.quiet, on: db)
            #expect(outcome.encoding == .gb18030)
            #expect(outcome.report.applied == 2)
            let names = try db.query("SELECT name FROM volunteer ORDER BY number").map { try $0.decode(0, as: String.self) }
            #expect(names == ["欧阳娜娜", "诸葛亮"])
        }
    }

    @Test func badRowsAreAllReportedAndNothingIsWrittenThenSkipBadWritesTheRest() async throws {
        try await withDistricts { db in
            let wrongCheck = String(RegistryFixture.id(born: "1970-01-01").dropLast()) + (RegistryFixture.id(born: "1970-01-01").last == "1" ? "2" : "1")
            let url = try Self.file([
                Self.header,
                Self.row("张三", born: "1990-01-01"),                                          // 2 good
                "李四,\(wrongCheck),13812345678,\(RegistryFixture.districtA),2019-03-01",               // 3 check digit
                Self.row("王五", born: "1980-01-01", phone: "12345"),                           // 4 phone
                Self.row("赵六", born: "1981-01-01", district: "210682999"),                    // 5 district
                Self.row("孙七", born: "1982-01-01", on: ""),                                   // 6 no date
                Self.row("周八", born: "2006-01-01", on: "2020-06-01"),                         // 7 minor, no guardian
                "吴九,\"\(RegistryFixture.id(born: "1983-01-01")),13812345678\",\(RegistryFixture.districtA)",   // 8 shape
                Self.row("郑十", born: "1984-01-01"),                                           // 9 good
            ])
            let report = try rejected(url, on: db)
            #expect(report.problems.map(\.description) == [
                "line 3: id_number \"\(Masking.idNumber(wrongCheck))\": check digit does not match (GB 11643-1999)",
                "line 4: phone \"*****\": must be an 11-digit mainland mobile number",
                "line 5: district_code \"210682999\": no such district (add it with `vledger district add`)",
                "line 6: registered_on: is required (YYYY-MM-DD)",
                "line 7: guardian_name: a volunteer aged 14 at registration (under 18) needs a guardian's name, phone and recorded consent",
                "line 8: row: has 3 fields but the header has 5",
            ])
            #expect(report.totalRows == 8)
            #expect(report.summary.hasPrefix("\(url.path): 6 of 8 rows are bad, nothing was written"))
            #expect(try RegistryFixture.counts(db) == RegistryFixture.Counts())

            let outcome = try VolunteerImport.run(url, options: ImportOptions(skipBad: true, showProgress: false), on: db)
            #expect(outcome.report.applied == 2)
            #expect(try RegistryFixture.counts(db) == RegistryFixture.Counts(volunteers: 2, districtRows: 2))
            let rejectsPath = try #require(outcome.rejectsFile)
            #expect(rejectsPath == url.deletingPathExtension().path + ".rejects.csv")
            let rejects = try CSVFile.read(URL(fileURLWithPath: rejectsPath))
            #expect(rejects.encoding == .utf8BOM)
            #expect(rejects.header == ["name", "id_number", "phone", "district_code", "registered_on", "reason"])
            #expect(rejects.records.map { rejects.value($0, "name") } == ["李四", "王五", "赵六", "孙七", "周八", "吴九"])
            #expect(rejects.value(rejects.records[1], "reason") == "line 4: phone \"*****\": must be an 11-digit mainland mobile number")
            // The rejects keep the person's data as typed, so they can be fixed and imported again.
            #expect(rejects.value(rejects.records[0], "id_number") == wrongCheck)
        }
    }

    @Test func fixedRejectsFileImportsCleanly() async throws {
        try await withDistricts { db in
            let url = try Self.file([Self.header, Self.row("张三", born: "1990-01-01"), Self.row("王五", born: "1980-01-01", phone: "12345")])
            let outcome = try VolunteerImport.run(url, options: ImportOptions(skipBad: true, showProgress: false), on: db)
            let rejectsURL = URL(fileURLWithPath: try #require(outcome.rejectsFile))
            let fixed = try String(contentsOf: rejectsURL, encoding: .utf8).replacingOccurrences(of: ",12345,", with: ",13912345678,")
            try Data(fixed.utf8).write(to: rejectsURL)
            let second = try VolunteerImport.run(rejectsURL, options: Self.quiet, on: db)
            #expect(second.report.applied == 1)
            #expect(second.report.problems.isEmpty)
            #expect(try RegistryFixture.counts(db).volunteers == 2)
        }
    }

    @Test func importingTheSameFileTwiceAddsNothing() async throws {
        try await withDistricts { db in
            let url = try Self.file([Self.header, Self.row("张三", born: "1990-01-01"), Self.row("李四", born: "1985-05-05")])
            #expect(try VolunteerImport.run(url, options: Self.quiet, on: db).report.applied == 2)
            let again = try VolunteerImport.run(url, options: Self.quiet, on: db)
            #expect(again.report.applied == 0)
            #expect(again.report.skippedDuplicates == 2)
            #expect(again.summary.hasSuffix("2 rows (UTF-8), 0 applied, 2 already present"))
            #expect(try RegistryFixture.counts(db) == RegistryFixture.Counts(volunteers: 2, districtRows: 2))
        }
    }

    @Test func existingIDNumberWithOtherDataIsABadRowNamingTheVolunteer() async throws {
        try await withDistricts { db in
            let number = try VolunteerRegistry.register(RegistryFixture.request(name: "张三", born: "1990-01-01", sequence: 1), on: db)
            let url = try Self.file([Self.header, Self.row("张叁", born: "1990-01-01", phone: "13900000000"), Self.row("李四", born: "1985-05-05")])
            let report = try rejected(url, on: db)
            #expect(report.problems.map(\.description) == [
                "line 2: id_number \"\(Masking.idNumber(RegistryFixture.id(born: "1990-01-01", sequence: 1)))\": already registered as volunteer \(number) with a different name, phone",
            ])
            #expect(try RegistryFixture.counts(db).volunteers == 1)
        }
    }

    @Test func duplicatesInsideOneFileNameBothLines() async throws {
        try await withDistricts { db in
            let url = try Self.file([
                Self.header,
                Self.row("张三", born: "1990-01-01"),                       // 2
                Self.row("李四", born: "1985-05-05"),                       // 3
                Self.row("张三", born: "1990-01-01"),                       // 4 exact repeat of 2
                Self.row("李思", born: "1985-05-05"),                       // 5 same ID as 3, other name
            ])
            let report = try rejected(url, on: db)
            let id1 = Masking.idNumber(RegistryFixture.id(born: "1990-01-01", sequence: 1))
            let id2 = Masking.idNumber(RegistryFixture.id(born: "1985-05-05", sequence: 1))
            #expect(report.problems.map(\.description) == [
                "line 3: id_number \"\(id2)\": same ID number as line 5 with different data",
                "line 4: id_number \"\(id1)\": repeats line 2 (same person twice in this file)",
                "line 5: id_number \"\(id2)\": same ID number as line 3 with different data",
            ])
            #expect(try RegistryFixture.counts(db) == RegistryFixture.Counts())
            let outcome = try VolunteerImport.run(url, options: ImportOptions(skipBad: true, showProgress: false), on: db)
            #expect(outcome.report.applied == 1)
        }
    }

    @Test func minorsWithGuardianColumns() async throws {
        try await withDistricts { db in
            let url = try Self.file([
                Self.header + ",guardian_name,guardian_phone,guardian_consent",
                Self.row("小明", born: "2005-06-01", on: "2020-01-01") + ",张建国,13900000000,是",
                Self.row("小红", born: "2005-07-01", on: "2020-01-01") + ",张建国,13900000000,否",
                Self.row("小刚", born: "2005-08-01", on: "2020-01-01") + ",张建国,13900000000,maybe",
            ])
            let report = try rejected(url, on: db)
            #expect(report.problems.map(\.description) == [
                "line 3: guardian_consent: a volunteer aged 14 at registration (under 18) needs the guardian's recorded consent (guardian_consent=yes)",
                "line 4: guardian_consent \"maybe\": must be yes or no (是/否)",
            ])
            let outcome = try VolunteerImport.run(url, options: ImportOptions(skipBad: true, showProgress: false), on: db)
            #expect(outcome.report.applied == 1)
            #expect(try db.query("SELECT count(*) FROM volunteer WHERE guardian_consent_at IS NOT NULL").single().decode(0, as: Int.self) == 1)
        }
    }

    @Test func missingColumnsRefuseTheFile() async throws {
        try await withDistricts { db in
            let url = try Self.file(["name,id_number,phone", "张三,1,2"])
            let line = RegistryFixture.failure { _ = try VolunteerImport.run(url, options: Self.quiet, on: db) }
            #expect(line == "line 1: header \"name,id_number,phone\": missing columns district_code, registered_on (expected name,id_number,phone,district_code,registered_on)")
        }
    }

    @Test func hundredThousandRows() async throws {
        try await withDistricts { db in
            let text = VolunteerFileGenerator(districts: [RegistryFixture.districtA, RegistryFixture.districtB]).csv(count: 100_000)
            let url = try RegistryFixture.temporaryFile("big.csv", bytes: Array(text.utf8))
            let outcome = try VolunteerImport.run(url, options: Self.quiet, on: db)
            #expect(outcome.report.applied == 100_000)
            #expect(outcome.report.problems.isEmpty)
            #expect(try RegistryFixture.counts(db) == RegistryFixture.Counts(volunteers: 100_000, districtRows: 100_000))
            #expect(try db.query("SELECT max(number) FROM volunteer").single().decode(0, as: String.self) == "VL00100000")
            // How long it takes is `vledger bench volunteer-import`'s to say, not a test's.
            let again = try VolunteerImport.run(url, options: Self.quiet, on: db)
            #expect(again.report.applied == 0)
            #expect(again.report.skippedDuplicates == 100_000)
        }
    }
}

extension VolunteerImportTests {
    @Test func excelNumberFormatOfIDNumbersIsExplained() async throws {
        try await withDistricts { db in
            let url = try Self.file([Self.header, "张三,2.10682E+17,13812345678,\(RegistryFixture.districtA),2019-03-01"])
            let report = try rejected(url, on: db)
            #expect(report.problems.map(\.description) == [
                "line 2: id_number \"2.10682E+17\": Excel turned the ID number into a number; format the column as text and save the file again",
            ])
        }
    }

    @Test func deregisteredPersonIsNotRegisteredAgain() async throws {
        try await withDistricts { db in
            let number = try VolunteerRegistry.register(RegistryFixture.request(), on: db)
            try VolunteerRegistry.deregister(number, on: "2020-01-01", reason: "迁出", on: db)
            let line = RegistryFixture.failure { _ = try VolunteerRegistry.register(RegistryFixture.request(registeredOn: "2021-01-01"), on: db) }
            #expect(line == "id_number \"\(Masking.idNumber(RegistryFixture.request().idNumber))\": already registered as volunteer \(number) (one registration per person, deregistered on 2020-01-01)")
            #expect(try RegistryFixture.counts(db) == RegistryFixture.Counts(volunteers: 1, districtRows: 1, deregistrations: 1))
        }
    }
}
