import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 10 §2 and §3: populations that cannot quietly lift a share, and a login that sees part
/// of the city getting figures labelled as such. Whole processes, as the office would run them.
struct HonestFiguresCLITests {
    static func run(_ arguments: [String], as url: String, stdin: String? = nil) async throws -> CLIRunner.Result {
        try await CLIRunner.run(arguments, database: nil, stdin: stdin, environment: ["VLEDGER_DATABASE_URL": url])
    }

    static func object(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [String: Any], sourceLocation: sourceLocation)
    }

    static func scalar(_ database: TestDatabase, _ sql: SQL) async throws -> String {
        let admin = try await database.connect()
        let value = try await admin.query(sql).single().decode(0, as: String.self)
        await admin.close()
        return value
    }

    static func oneLineError(_ result: CLIRunner.Result, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stderr == "vledger: error: \(expected)\n", sourceLocation: sourceLocation)
    }

    // MARK: §2 populations

    @Test func residentsMustBeAPositiveWholeNumberOnEveryPath() async throws {
        try await TestDatabase.with { database in
            let owner = database.connectionString
            #expect(try await Self.run(["district", "add", "--code", "210682001", "--name", "凤凰城街道", "--built-up"], as: owner).status == 0)
            // On a database without a 0 from before, the constraint covers every row.
            #expect(try await Self.scalar(database, "SELECT convalidated::text FROM pg_constraint WHERE conname = 'population_residents_positive'") == "true")
            let before = try await Self.scalar(database, "SELECT count(*)::text FROM population_revision")

            for (value, rule) in [("0", "must be a positive whole number of residents"), ("-5", "must be a positive whole number of residents"),
                                  ("-0", "must be a positive whole number of residents"), ("abc", "must be a whole number of residents"),
                                  ("1.5", "must be a whole number of residents")] {
                let refused = try await Self.run(["population", "set", "--district", "210682001", "--year", "2024", "--residents", value], as: owner)
                Self.oneLineError(refused, "residents \"\(value)\": \(rule)")
            }
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-pop-\(UUID().uuidString).csv")
            try Data("district_code,year,residents\n210682001,2024,0\n210682001,2025,-3\n".utf8).write(to: url)
            let imported = try await Self.run(["population", "import", url.path], as: owner)
            #expect(imported.status != 0)
            #expect(imported.stderr.contains("line 2: residents \"0\": must be a positive whole number"), "\(imported.stderr)")
            #expect(imported.stderr.contains("line 3: residents \"-3\": must be a positive whole number"), "\(imported.stderr)")

            // Plain SQL, as the office's own login: the database refuses it too, naming the rule.
            try await TestLogins.with(database) { logins in
                let office = try await logins.connect(as: try await logins.login("office"))
                await #expect(throws: PostgresError.self) {
                    try await office.execute("INSERT INTO population_revision (district_code, year, residents) VALUES ('210682001', 2024, 0)")
                }
                do {
                    try await office.execute("INSERT INTO population_revision (district_code, year, residents) VALUES ('210682001', 2024, 0)")
                } catch let error as PostgresError {
                    #expect(error.constraint == "population_residents_positive")
                    #expect(UserMessage.line(for: error) == "residents: must be a positive whole number of residents")
                }
                await office.close()
            }
            #expect(try await Self.scalar(database, "SELECT count(*)::text FROM population_revision") == before)
            let accepted = try await Self.run(["population", "set", "--district", "210682001", "--year", "2024", "--residents", "1"], as: owner)
            #expect(accepted.status == 0, "\(accepted.stderr)")
        }
    }

    /// "-5" given as an option's value reaches the rule (it used to be "Missing value for '--residents'"),
    /// and a usage error is one line too.
    @Test func negativeOptionValuesReachTheRulesAndUsageErrorsAreOneLine() async throws {
        try await TestDatabase.with { database in
            let owner = database.connectionString
            #expect(try await Self.run(["district", "add", "--code", "210682001", "--name", "凤凰城街道"], as: owner).status == 0)
            Self.oneLineError(try await Self.run(["population", "set", "--district", "210682001", "--year", "-5", "--residents", "10"], as: owner),
                              "year \"-5\": must be a year from 1949 on")
            Self.oneLineError(try await Self.run(["metrics", "--year", "-5"], as: owner), "year \"-5\": must be a year from 1949 to 9998")
            Self.oneLineError(try await Self.run(["volunteer", "list", "--inactive", "--year", "-3"], as: owner), "year \"-3\": must be a year from 1949 on")
            let usage = try await Self.run(["population", "set", "--district", "210682001"], as: owner)
            #expect(usage.status == 64)
            #expect(usage.stderr == "vledger: error: Missing expected argument '--year <year>' (see --help)\n")
            let help = try await Self.run(["population", "set", "--help"], as: owner)
            #expect(help.status == 0 && help.stdout.contains("--residents <residents>"))
            #expect(try await Self.scalar(database, "SELECT count(*)::text FROM population_revision") == "0")
        }
    }

    @Test func moreVolunteersThanResidentsIsWarnedInTheJSONAndOnStandardError() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district("210682001", "凤凰城街道")
            try await f.district("210682002", "凤山街道")
            try await f.district("210682003", "宝山镇")
            try await f.district("210682004", "新区街道")                  // no figure for 2024
            try await f.population("210682001", year: 2024, residents: 100)
            try await f.population("210682002", year: 2024, residents: 2)
            // A 0 recorded before 0060 stays in the append-only history: recreate one.
            try await db.execute("ALTER TABLE population_revision DROP CONSTRAINT population_residents_positive")
            try await f.population("210682003", year: 2024, residents: 0)
            try await db.execute("ALTER TABLE population_revision ADD CONSTRAINT population_residents_positive CHECK (residents > 0) NOT VALID")
            for n in 1...10 { _ = try await f.volunteer(n, district: "210682001", registeredOn: "2024-01-02") }
            for n in 11...13 { _ = try await f.volunteer(n, district: "210682002", registeredOn: "2024-01-02") }
            for n in 14...15 { _ = try await f.volunteer(n, district: "210682003", registeredOn: "2024-01-02") }
            await db.close()

            let result = try await Self.run(["metrics", "--year", "2024", "--format", "json", "--scope", "all"], as: database.connectionString)
            #expect(result.status == 0, "\(result.stderr)")
            let report = try Self.object(result.stdout)
            let warnings = try #require(report["warnings"] as? [[String: Any]])
            let exceeding = warnings.filter { $0["code"] as? String == "registered_exceeds_population" }
            #expect(exceeding.count == 2)
            let small = try #require(exceeding.first { $0["district"] as? String == "210682002" })
            #expect(small["registered"] as? Int == 3 && small["population"] as? Int == 2)
            let zero = try #require(exceeding.first { $0["district"] as? String == "210682003" })
            #expect(zero["registered"] as? Int == 2 && zero["population"] as? Int == 0)
            #expect(warnings.contains { $0["code"] as? String == "population_missing" && $0["district"] as? String == "210682004" })
            #expect(report["partial"] as? Bool == false)
            // The district meets its share only alongside the warning that names it.
            let districts = try #require(report["districts"] as? [[String: Any]])
            let row = try #require(districts.first { $0["code"] as? String == "210682002" })
            #expect((row["meets"] as? [String: Any])?["registration_share"] as? Bool == true)
            #expect(result.stderr.contains(
                "warning: district 210682002 凤山街道: 3 registered volunteers exceed its 2 residents for 2024; check its population figure (the city's registration share includes it)\n"),
                "\(result.stderr)")
            #expect(result.stderr.contains("warning: district 210682003 宝山镇: 2 registered volunteers exceed its 0 residents"))
            // SPEC's keys come first and unchanged; partial and warnings follow districts.
            let keys = ["\"year\"", "\"as_of\"", "\"time_zone\"", "\"scope\"", "\"targets\"", "\"city\"", "\"districts\"", "\"partial\"", "\"warnings\""]
            let positions = keys.map { result.stdout.range(of: "\n  " + $0)?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil } && positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "\(result.stdout)")

            // Without such districts there is nothing to warn about, and the array is empty.
            let clean = try await Self.run(["metrics", "--year", "2024", "--format", "json", "--scope", "all", "--as-of", "2024-01-01"],
                                           as: database.connectionString)
            #expect(try Self.object(clean.stdout)["warnings"] as? [Any] != nil)
        }
    }

    // MARK: §3 partial scope

    @Test func aLoginThatReadsPartOfTheCityGetsAPartialReportWithoutACityRow() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district("210682001", "凤凰城街道")
            try await f.district("210682002", "凤山街道")
            try await f.population("210682001", year: 2024, residents: 20)
            try await f.population("210682002", year: 2024, residents: 20)
            var ids: [Int64] = []
            for n in 1...3 { ids.append(try await f.volunteer(n, district: "210682001", registeredOn: "2024-01-02")) }
            for n in 4...8 { _ = try await f.volunteer(n, district: "210682002", registeredOn: "2024-01-02") }
            let activity = try await f.activity(district: "210682001", starts: "2024-03-01 08:00+08", ends: "2024-03-01 12:00+08")
            _ = try await f.approvedEntry(ids[0], activity: activity, start: "2024-03-01 08:00+08", minutes: 120)
            await db.close()

            try await TestLogins.with(database) { logins in
                let staffLogin = try await logins.login("staff", district: "210682001")
                let staff = try await logins.connectionString(as: staffLogin)
                let office = try await logins.connectionString(as: try await logins.login("office"))

                // The database says who reads what, from the policies.
                for (login, expected) in [(staffLogin, "f {210682001}"), (try await logins.login("organiser"), "t "),
                                          (try await logins.login("office"), "t "), (try await logins.login("admin"), "t ")] {
                    let connection = try await logins.connect(as: login)
                    let scope = try await connection.query("SELECT complete::text || ' ' || coalesce(districts::text, '') FROM vl_read_scope()")
                        .single().decode(0, as: String.self)
                    await connection.close()
                    #expect(scope.replacingOccurrences(of: "true", with: "t").replacingOccurrences(of: "false", with: "f") == expected, "\(login)")
                }
                #expect(try await Self.scalar(database, "SELECT complete::text FROM vl_read_scope()") == "true", "the owner")

                let partial = try await Self.run(["metrics", "--year", "2024", "--format", "json"], as: staff)
                #expect(partial.status == 0, "\(partial.stderr)")
                let report = try Self.object(partial.stdout)
                #expect(report["partial"] as? Bool == true)
                #expect(report["districts_covered"] as? [String] == ["210682001"])
                #expect(report["city"] is NSNull, "no city row pretending to be the city")
                let rows = try #require(report["districts"] as? [[String: Any]])
                #expect(rows.map { $0["code"] as? String } == ["210682001"])
                #expect(rows.first?["registered"] as? Int == 3 && rows.first?["active"] as? Int == 1 && rows.first?["approved_minutes"] as? Int == 120)
                let warnings = try #require(report["warnings"] as? [[String: Any]])
                #expect(warnings.contains { $0["code"] as? String == "partial_report" && $0["districts"] as? [String] == ["210682001"] })
                #expect(partial.stderr.hasPrefix("warning: partial report: this login reads only the volunteers of district(s) 210682001"), "\(partial.stderr)")

                let table = try await Self.run(["metrics", "--year", "2024"], as: staff)
                #expect(table.stdout.contains("partial report: district(s) 210682001 only, not the city"))
                #expect(!table.stdout.contains("\ncity ") && !table.stdout.contains("210682002"), "\(table.stdout)")
                let csv = try await Self.run(["metrics", "--year", "2024", "--format", "csv"], as: staff)
                #expect(csv.stdout.split(separator: "\n").count == 2 && !csv.stdout.contains("\ncity,"), "\(csv.stdout)")
                let months = try await Self.run(["metrics", "--year", "2024", "--by", "month", "--format", "json"], as: staff)
                let monthly = try #require(try JSONSerialization.jsonObject(with: Data(months.stdout.utf8)) as? [[String: Any]])
                #expect(monthly.count == 12 && monthly.allSatisfy { $0["city"] is NSNull && $0["partial"] as? Bool == true })

                // The office reads everything: the city's report, unlabelled.
                let whole = try Self.object(try await Self.run(["metrics", "--year", "2024", "--format", "json"], as: office).stdout)
                #expect(whole["partial"] as? Bool == false && whole["districts_covered"] == nil)
                #expect((whole["city"] as? [String: Any])?["registered"] as? Int == 8)
                #expect((whole["districts"] as? [Any])?.count == 2)
            }
        }
    }

    @Test func aVolunteerOfAnotherDistrictIsNamedAsSuchInOneLine() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district("210682001", "凤凰城街道")
            try await f.district("210682002", "凤山街道")
            _ = try await f.volunteer(1, district: "210682001", registeredOn: "2024-01-02")
            _ = try await f.volunteer(2, district: "210682002", registeredOn: "2024-01-02")
            await db.close()
            try await TestLogins.with(database) { logins in
                let staff = try await logins.connectionString(as: try await logins.login("staff", district: "210682001"))
                let own = try await Self.run(["volunteer", "show", "VL00000001"], as: staff)
                #expect(own.status == 0 && own.stdout.contains("VL00000001"), "\(own.stderr)")
                let expected = "volunteer \"VL00000002\": not a volunteer of your district 210682001 (or no such volunteer): staff see only the volunteers of their own district"
                Self.oneLineError(try await Self.run(["volunteer", "show", "VL00000002"], as: staff), expected)
                Self.oneLineError(try await Self.run(["volunteer", "show", MetricsFixture.idNumber(2)], as: staff), expected)
                Self.oneLineError(try await Self.run(["statement", "VL00000002"], as: staff), expected)
                Self.oneLineError(try await Self.run(["volunteer", "show", "VL99999999"], as: staff), "volunteer \"VL99999999\": no such volunteer")
                // The ID number of an unknown person is never printed in full.
                let unknown = MetricsFixture.idNumber(3)
                Self.oneLineError(try await Self.run(["volunteer", "show", unknown], as: staff), "volunteer \"\(Masking.idNumber(unknown))\": no such volunteer")
            }
        }
    }
}
