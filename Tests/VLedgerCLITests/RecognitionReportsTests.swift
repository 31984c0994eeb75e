import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 16 §3's reports on a small city whose every figure is known: each criterion's figure
/// (a share with its two integers) and ✓/✗, the criteria as settings checked when set.
struct RecognitionReportsTests {
    static let own = "210682001"

    static func report(_ arguments: [String], _ database: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let result = try await CLIRunner.run(["recognition"] + arguments + ["--year", "2019", "--format", "json"], database: database)
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout) \(result.stderr)",
                            sourceLocation: sourceLocation)
    }

    static func rows(_ report: [String: Any]) -> [[String: Any]] { report["rows"] as? [[String: Any]] ?? [] }

    /// criterion → "value/numerator/denominator/meets" (value with four decimals; numerator and
    /// denominator only for a share).
    static func criteria(_ row: [String: Any]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (row["criteria"] as? [[String: Any]] ?? []).map { c in
            let value = (c["value"] as? NSNumber).map { String(format: "%.4f", $0.doubleValue) } ?? "null"
            let parts = [value] + [c["numerator"], c["denominator"]].compactMap { ($0 as? NSNumber).map { String($0.int64Value) } }
                + [(c["meets"] as? Bool).map { String($0) } ?? "?"]
            return (c["criterion"] as? String ?? "", parts.joined(separator: "/"))
        })
    }

    /// Three volunteers of one community, members of its association; v1 120 clock minutes
    /// recorded by an organiser, v2 60 clock minutes self-approved (an anomaly), v3 none.
    static func city(_ database: TestDatabase) async throws -> (v1: String, v2: String) {
        let db = try await database.connect()
        let f = MetricsFixture(db)
        try await f.district(Self.own, "凤凰城街道")
        try await f.population(Self.own, year: 2019, residents: 20)
        let ids = [try await f.volunteer(1, district: Self.own, registeredOn: "2019-01-01"),
                   try await f.volunteer(2, district: Self.own, registeredOn: "2019-01-01"),
                   try await f.volunteer(3, district: Self.own, registeredOn: "2019-01-01")]
        let org = try await db.query("""
            INSERT INTO organisation (name, kind, credit_code, district_code, founded_on) VALUES ('凤城市志愿者协会', 'registered', '91110000802100433B', \(Self.own), '2015-03-05') RETURNING id
            """).single().decode(0, as: Int64.self)
        for name in ["凤凰城街道志愿服务队", "凤凰城街道医疗志愿服务队"] {
            try await db.execute("INSERT INTO organisation (name, kind, parent_id, district_code, founded_on) VALUES (\(name), 'team', \(org), \(Self.own), '2016-01-01')")
        }
        for id in ids { try await db.execute("INSERT INTO organisation_membership (organisation_id, volunteer_id, joined_on) VALUES (\(org), \(id), '2019-01-02')") }
        try await db.execute("""
            INSERT INTO community_project (name, plan, district_code, organisation_id, starts_on, ends_on, target_volunteers, target_minutes)
            VALUES ('关爱空巢老人结对服务', '每周上门探访', \(Self.own), \(org), '2019-01-01', '2019-12-31', 3, 600)
            """)
        var activities: [Int64] = []
        for (day, category) in [("05-01", "elderly"), ("05-02", "community"), ("05-03", "environment")] {
            let a = try await f.activity(district: Self.own, starts: "2019-\(day) 08:00+08", ends: "2019-\(day) 12:00+08")
            try await db.execute("UPDATE activity SET category_code = \(category), organisation_id = \(org) WHERE id = \(a)")
            activities.append(a)
        }
        // Clock entries: a tap check-in and check-out crediting the entry.
        for (index, (volunteer, minutes, recorder)) in [(ids[0], 120, "li_organiser"), (ids[1], 60, "")].enumerated() {
            let start = "2019-05-0\(index + 1) 08:00+08"
            let entry = try await db.query("""
                INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, source, recorded_by, recorded_at)
                VALUES (\(volunteer), \(activities[index]), \(start)::timestamptz, \(minutes), 'checkout',
                        coalesce(nullif(\(recorder), ''), current_user), \(start)::timestamptz + interval '3 hours')
                RETURNING id
                """).single().decode(0, as: Int64.self)
            try await f.approve(entry)
            let checkin = try await db.query("""
                INSERT INTO hours_checkin (volunteer_id, activity_id, checked_in_at) VALUES (\(volunteer), \(activities[index]), \(start)::timestamptz) RETURNING id
                """).single().decode(0, as: Int64.self)
            try await db.execute("""
                INSERT INTO hours_checkout (checkin_id, checked_out_at, automatic, entry_id)
                VALUES (\(checkin), \(start)::timestamptz + make_interval(mins => \(minutes)), false, \(entry))
                """)
        }
        // Three categories with approved service: the third activity's entry is a plain one.
        try await f.approvedEntry(ids[1], activity: activities[2], start: "2019-05-03 08:00+08", minutes: 30)
        try await db.execute("UPDATE setting SET value = '1,2,3,4,5' WHERE name = 'star_thresholds_hours'")
        let numbers = try await db.query("SELECT number FROM volunteer ORDER BY id").map { try $0.decode(0, as: String.self) }
        await db.close()
        return (numbers[0], numbers[1])
    }

    @Test func everyReportGivesEachCriterionsFigure() async throws {
        try await TestDatabase.with { database in
            let (v1, v2) = try await Self.city(database)

            let stars = try await Self.report(["stars"], database)
            #expect(Self.rows(stars).map { "\($0["number"] ?? "")/\($0["star_level_before"] ?? "")/\($0["star_level"] ?? "")" } == ["\(v1)/0/2", "\(v2)/0/1"], "\(stars)")

            let exemplary = try await Self.report(["exemplary", "--top", "1"], database)
            let ranked = Self.rows(exemplary)
            #expect(ranked.map { $0["number"] as? String } == [v1], "\(exemplary)")
            #expect(Self.criteria(ranked[0]) == ["clock_hours": "2.0000/true", "anomalies": "0.0000/true"], "\(ranked)")
            let both = Self.rows(try await Self.report(["exemplary", "--top", "2"], database))
            #expect(both.map { Self.criteria($0)["anomalies"] } == ["0.0000/true", "2.0000/false"], "self-approvals are anomalies is an anomaly: listed, not a candidate")

            let orgs = try await Self.report(["organisations"], database)
            let association = try #require(Self.rows(orgs).first { $0["org_name"] as? String == "凤城市志愿者协会" })
            #expect(Self.criteria(association) == ["founded_years": "4.0000/true", "projects": "1.0000/false", "members": "3.0000/false", "active_share": "0.6667/2/3/true"],
                    "\(association)")
            #expect(association["meets"] as? Bool == false)
            #expect((orgs["settings"] as? [String: String])?["recognition_org_criteria"] == "founded_years=3,projects=2,members=20,active_share=0.60")

            let communities = try await Self.report(["communities"], database)
            let community = try #require(Self.rows(communities).first)
            #expect(Self.criteria(community) == ["volunteer_share": "0.1500/3/20/true", "categories": "3.0000/true", "teams": "2.0000/true"], "\(community)")
            #expect(community["meets"] as? Bool == true && communities["meeting"] as? Int == 1)

            let starOrgs = try await Self.report(["star-organisations"], database)
            let starred = try #require(Self.rows(starOrgs).first { $0["org_name"] as? String == "凤城市志愿者协会" })
            #expect(Self.criteria(starred)["level1_star1_share"] == "0.6667/2/3/true")
            #expect(Self.criteria(starred)["level1_activities"] == "3.0000/false")
            #expect(starred["level"] as? Int == 0)

            let table = try await CLIRunner.run(["--lang", "zh", "recognition", "communities", "--year", "2019"], database: database)
            #expect(table.stdout.contains("3/20 = 0.1500 ≥ 0.1000 ✓") && table.stdout.contains("达标 1 / 1"), "\(table.stdout)")
            let csv = try await CLIRunner.run(["recognition", "organisations", "--year", "2019", "--format", "csv"], database: database)
            #expect(csv.stdout.hasPrefix("org,org_name,kind,founded_on,founded_years,founded_years_meets,projects,projects_meets,members,members_meets,active_share,active_share_meets,meets"),
                    "\(csv.stdout)")
        }
    }

    /// The office sets the criteria; a malformed one is refused with its code and field and
    /// the setting stays as it was; the reports follow the new value.
    @Test func theCriteriaAreSettingsCheckedWhenSet() async throws {
        try await TestDatabase.with { database in
            _ = try await Self.city(database)
            let db = try await database.connect()
            for (name, bad) in [("recognition_org_criteria", "founded_years=3,projects=2"), ("recognition_org_criteria", "founded_years=3,projects=2,members=20,active_share=1.5"),
                                ("recognition_community_criteria", "volunteer_share=10%,categories=3,teams=2"),
                                ("recognition_star_org_thresholds", "2:star1=0.10,projects=1,activities=12"),
                                ("recognition_star_org_thresholds", "1:star6=0.10,projects=1,activities=12")] {
                do {
                    try await db.execute("UPDATE setting SET value = \(bad) WHERE name = \(name)")
                    Issue.record("\(name) = \(bad) was accepted")
                } catch let error as PostgresError {
                    #expect(error.constraint == "setting_\(name)_valid", "\(error)")
                    #expect(UserMessage.userFacing(for: error).field == name)
                }
            }
            #expect(try await db.query("SELECT value FROM setting WHERE name = 'recognition_org_criteria'").single().decode(0, as: String.self)
                    == "founded_years=3,projects=2,members=20,active_share=0.60")
            try await db.execute("UPDATE setting SET value = 'founded_years=3,projects=1,members=3,active_share=0.60' WHERE name = 'recognition_org_criteria'")
            try await db.execute("UPDATE setting SET value = '1:star1=0.50,projects=1,activities=3' WHERE name = 'recognition_star_org_thresholds'")
            await db.close()
            let orgs = try await Self.report(["organisations"], database)
            #expect(Self.rows(orgs).first { $0["org_name"] as? String == "凤城市志愿者协会" }?["meets"] as? Bool == true)
            let starOrgs = try await Self.report(["star-organisations"], database)
            #expect(Self.rows(starOrgs).first { $0["org_name"] as? String == "凤城市志愿者协会" }?["level"] as? Int == 1)

            let check = try await database.connect()
            await #expect(throws: RuleViolation(field: "year", value: "1999", code: "recognition_year_range")) {
                _ = try await RecognitionReports.run(.stars, year: 1999, on: check)
            }
            await check.close()
            let zh = try await CLIRunner.run(["--lang", "zh", "recognition", "exemplary", "--year", "2019", "--top", "0"], database: database)
            #expect(zh.status != 0 && zh.stdout.isEmpty && zh.stderr.contains("候选人数(top)「0」：须为 1 到 1000 之间的整数"), "\(zh.stderr)")
        }
    }
}
