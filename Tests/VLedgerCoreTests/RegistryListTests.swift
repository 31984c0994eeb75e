import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Listing, searching and the outreach list of volunteers without approved service in a year.
struct RegistryListTests {
    func register(_ name: String, born: String, on date: String, district: String = RegistryFixture.districtA, phone: String = "13812345678", on db: isolated Connection) throws -> String {
        try VolunteerRegistry.register(
            RegistrationRequest(name: name, idNumber: RegistryFixture.id(born: born), phone: phone, district: district, registeredOn: date), on: db)
    }

    @Test func searchByNamePhoneNumberOrIDNumber() async throws {
        try await RegistryTestDatabase.withDatabase { db in
            try RegistryFixture.districts(db)
            let zhang = try register("张伟", born: "1990-01-01", on: "2019-01-01", phone: "13812345678", on: db)
            let li = try register("李娜", born: "1991-01-01", on: "2019-01-01", district: RegistryFixture.districtB, phone: "13987654321", on: db)
            func search(_ text: String, _ db: isolated Connection) throws -> [String] {
                try VolunteerQueries.list(VolunteerListQuery(search: text), on: db).map(\.number)
            }
            #expect(try search("张", db) == [zhang])
            #expect(try search("7654", db) == [li])
            #expect(try search(li.lowercased(), db) == [li])
            #expect(try search(RegistryFixture.id(born: "1990-01-01"), db) == [zhang])
            #expect(try search("王", db).isEmpty)
            #expect(try VolunteerQueries.list(VolunteerListQuery(district: RegistryFixture.districtB), on: db).map(\.number) == [li])
            let line = RegistryFixture.failure { _ = try VolunteerQueries.list(VolunteerListQuery(district: "210682999"), on: db) }
            #expect(line == "district \"210682999\": no such district (add it with `vledger district add`)")
        }
    }

    @Test func inactiveListFollowsTheMetricsDefinitions() async throws {
        try await RegistryTestDatabase.withDatabase { db in
            try RegistryFixture.districts(db)
            let active = try register("甲", born: "1980-01-01", on: "2019-01-01", on: db)
            let pendingOnly = try register("乙", born: "1980-01-02", on: "2019-01-01", on: db)
            let correctedToZero = try register("丙", born: "1980-01-03", on: "2019-01-01", on: db)
            let lastEvening = try register("丁", born: "1980-01-04", on: "2019-01-01", on: db)
            let newYearNight = try register("戊", born: "1980-01-05", on: "2019-01-01", on: db)
            let left = try register("己", born: "1980-01-06", on: "2019-01-01", on: db)
            let later = try register("庚", born: "1980-01-07", on: "2020-01-01", on: db)
            let moved = try register("辛", born: "1980-01-08", on: "2019-01-01", on: db)
            let lastYear = try register("壬", born: "1980-01-09", on: "2018-01-01", on: db)
            try VolunteerRegistry.deregister(left, on: "2019-12-31", reason: "迁出", on: db)
            try VolunteerRegistry.move(moved, toDistrict: RegistryFixture.districtB, on: "2019-07-01", on: db)

            func activity(_ starts: String, _ ends: String, _ db: isolated Connection) throws -> Int64 {
                try db.query("""
                    INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                    VALUES ('社区清洁', \(RegistryFixture.districtA), '社区居委会', \(starts)::timestamptz, \(ends)::timestamptz) RETURNING id
                    """).single().decode(0)
            }
            func entry(_ number: String, _ activity: Int64, _ start: String, _ minutes: Int, approve: Bool = true, corrects: Int64? = nil, _ db: isolated Connection) throws -> Int64 {
                let id: Int64 = try db.query("""
                    INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, corrects_id, reason, source)
                    SELECT id, \(activity), \(start)::timestamptz, \(minutes), \(corrects), CASE WHEN \(corrects)::bigint IS NULL THEN NULL ELSE '录入错误' END,
                           CASE WHEN \(corrects)::bigint IS NULL THEN 'record' ELSE 'correction' END
                    FROM volunteer WHERE number = \(number) RETURNING id
                    """).single().decode(0)
                if approve { try db.execute("INSERT INTO hours_decision (entry_id, decision) VALUES (\(id), 'approved')") }
                return id
            }
            let june = try activity("2019-06-01 09:00+08", "2019-06-01 12:00+08", db)
            _ = try entry(active, june, "2019-06-01 09:00+08", 60, db)
            _ = try entry(pendingOnly, june, "2019-06-01 09:00+08", 60, approve: false, db)
            let original = try entry(correctedToZero, june, "2019-06-01 09:00+08", 60, db)
            _ = try entry(correctedToZero, june, "2019-06-01 09:00+08", -60, corrects: original, db)
            _ = try entry(moved, june, "2019-06-01 09:00+08", 60, db)
            let eve = try activity("2019-12-31 23:00+08", "2020-01-01 01:00+08", db)
            _ = try entry(lastEvening, eve, "2019-12-31 23:30+08", 20, db)
            _ = try entry(newYearNight, eve, "2020-01-01 00:30+08", 20, db)
            let old = try activity("2018-06-01 09:00+08", "2018-06-01 12:00+08", db)
            _ = try entry(lastYear, old, "2018-06-01 09:00+08", 60, db)

            let inactive = try VolunteerQueries.inactive(year: 2019, on: db)
            #expect(inactive.map(\.number) == [pendingOnly, correctedToZero, newYearNight, lastYear])
            #expect(inactive.allSatisfy { $0.districtCode == RegistryFixture.districtA && $0.approvedMinutes == 0 })
            #expect(try VolunteerQueries.inactive(year: 2019, district: RegistryFixture.districtB, on: db).isEmpty)
            // The mover counts in the district of the reference day: B from July, A before.
            #expect(try VolunteerQueries.inactive(year: 2019, asOf: CalendarDate(iso: "2019-05-31"), district: RegistryFixture.districtA, on: db).map(\.number).contains(moved))
            let output = VolunteerOutput(reveal: false).list(inactive, format: .csv)
            #expect(output.hasPrefix("number,name,id_number,phone,district_code,district_name,registered_on,approved_minutes\n"))
            #expect(!output.contains("13812345678"))
            #expect(output.contains("138****5678"))
            _ = later
        }
    }
}

struct DistrictPopulationTests {
    @Test func districtRules() async throws {
        try await RegistryTestDatabase.withDatabase { db in
            try RegistryFixture.districts(db)
            func refused(_ code: String, _ name: String, _ expected: String, _ db: isolated Connection) throws {
                let line = RegistryFixture.failure { _ = try Districts.add(code: code, name: name, builtUp: false, on: db) }
                #expect(line == expected)
            }
            try refused("21068", "x", "code \"21068\": must be a GB/T 2260 code of 6, 9 or 12 digits", db)
            try refused("99068200", "x", "code \"99068200\": must be a GB/T 2260 code of 6, 9 or 12 digits", db)
            try refused("990682", "x", "code \"990682\": does not start with a GB/T 2260 province code (11…82)", db)
            try refused(RegistryFixture.districtA, "x", "code \"\(RegistryFixture.districtA)\": district already exists (凤凰城街道)", db)
            try refused("210682003", " ", "name: is required", db)
            let line = RegistryFixture.failure { try db.execute("INSERT INTO district (code, name) VALUES ('990682', 'x')") }
            #expect(line.contains("district_code_province"))
            #expect(try Districts.list(on: db).map(\.code) == [RegistryFixture.districtA, RegistryFixture.districtB])
        }
    }

    @Test func populationRevisionsAreKeptAndTheLatestIsInForce() async throws {
        try await RegistryTestDatabase.withDatabase { db in
            try RegistryFixture.districts(db)
            let first = try Population.set(district: RegistryFixture.districtA, year: 2019, residents: 210_000, on: db)
            try db.execute("SELECT pg_sleep(0.01)")
            _ = try Population.set(district: RegistryFixture.districtA, year: 2019, residents: 212_000, source: "统计年鉴", on: db)
            let inForce = try Population.list(on: db)
            #expect(inForce.map(\.residents) == [212_000])
            #expect(inForce.first?.source == "统计年鉴")
            let revisions = try Population.list(revisions: true, on: db)
            #expect(revisions.map(\.residents) == [210_000, 212_000])
            #expect(revisions.map(\.inForce) == [false, true])
            #expect(try Population.list(asRecordedAt: first.recordedAt, on: db).map(\.residents) == [210_000])
            let before = try db.query("SELECT count(*) FROM population_revision").single().decode(0, as: Int.self)
            #expect(RegistryFixture.failure { _ = try Population.set(district: "210682999", year: 2019, residents: 1, on: db) }
                    == "district \"210682999\": no such district (add it with `vledger district add`)")
            #expect(RegistryFixture.failure { _ = try Population.set(district: RegistryFixture.districtA, year: 1900, residents: 1, on: db) }
                    == "year \"1900\": must be a year from 1949 on")
            #expect(RegistryFixture.failure { _ = try Population.set(district: RegistryFixture.districtA, year: 2019, residents: -1, on: db) }
                    == "residents \"-1\": must be a positive whole number of residents")
            #expect(RegistryFixture.failure { try db.execute("UPDATE population_revision SET residents = 1") }
                    == "population_revision: history rows are kept as recorded and cannot be changed or deleted")
            #expect(try db.query("SELECT count(*) FROM population_revision").single().decode(0, as: Int.self) == before)
        }
    }

    @Test func populationImport() async throws {
        try await RegistryTestDatabase.withDatabase { db in
            try RegistryFixture.districts(db)
            let url = try RegistryFixture.temporaryFile("population.csv", bytes: Array("""
                district_code,year,residents
                \(RegistryFixture.districtA),2019,210000
                \(RegistryFixture.districtB),2019,"95,000"
                210682999,2019,1000
                \(RegistryFixture.districtA),2019,211000
                \(RegistryFixture.districtB),20x9,1

                """.utf8))
            do {
                _ = try Population.importFile(url, options: ImportOptions(showProgress: false), on: db)
                Issue.record("not rejected")
            } catch VLedgerError.importRejected(let report) {
                #expect(report.problems.map(\.description) == [
                    "line 4: district_code \"210682999\": no such district",
                    "line 5: district_code \"\(RegistryFixture.districtA)\": 2019 is given twice in this file (lines 2 and 5)",
                    "line 6: year \"20x9\": must be a year like 2019",
                ])
            }
            #expect(try Population.list(on: db).isEmpty)
            let outcome = try Population.importFile(url, options: ImportOptions(skipBad: true, showProgress: false), on: db)
            #expect(outcome.report.applied == 2)
            #expect(try Population.list(on: db).map(\.residents) == [210_000, 95_000])
            let again = try Population.importFile(url, options: ImportOptions(skipBad: true, showProgress: false), on: db)
            #expect(again.report.applied == 0)
            #expect(again.report.skippedDuplicates == 2)
        }
    }
}
