import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// `metrics --by organisation|category|project` and the party-member row on a small city
/// computed by hand (issue 15), now, replayed as recorded at a moment, and at a mid-year date.
struct MetricsByTests {
    /// v1..v4 registered 2018 (v5 too, deregistered 2019-10-01). O1 (registered) and O2
    /// (professional, under O1). Memberships: v1 O1 from 01-01; v2 O1 02-01 to 06-01; v3 O1 from
    /// 03-01 but recorded 2020-01-10; v4 O2 from 01-01; v1 O2 from 04-01; v5 O1 from 01-01.
    /// act1 (O1, elderly, project P1) 05-01: v1 120 less 30 corrected = 90, v2 60, v5 50.
    /// act2 (O2, medical) 06-01: v3 45 approved on 2020-01-05, v4 30 pending.
    /// act3 (no organisation, 综合 → other) 07-01: v4 20.
    /// Party: v1 from 01-01; v2 from 01-01 recorded 2020-02-01; v4 from 03-01, not from 09-01; v5.
    static func city(_ database: TestDatabase) async throws {
        let db = try await database.connect()
        let f = MetricsFixture(db)
        try await f.district("210682001", "凤凰城街道")
        try await f.population("210682001", year: 2019, residents: 100)
        let v = try await (1...5).asyncMap { try await f.volunteer($0, district: "210682001", registeredOn: "2018-01-01") }
        let o1 = try await db.query("""
            INSERT INTO organisation (name, kind, credit_code, district_code, founded_on, recorded_at)
            VALUES ('凤城市志愿者协会', 'registered', '91110000802100433B', '210682001', '2015-03-05', '2016-01-01 00:00+08') RETURNING id
            """).single().decode(0, as: Int64.self)
        let o2 = try await db.query("""
            INSERT INTO organisation (name, kind, field, parent_id, district_code, founded_on, recorded_at)
            VALUES ('医疗卫生志愿服务队', 'professional', '医疗卫生', \(o1), '210682001', '2016-01-01', '2016-01-02 00:00+08') RETURNING id
            """).single().decode(0, as: Int64.self)
        func join(_ org: Int64, _ volunteer: Int64, _ on: String, recorded: String) async throws -> Int64 {
            try await db.query("""
                INSERT INTO organisation_membership (organisation_id, volunteer_id, joined_on, recorded_at)
                VALUES (\(org), \(volunteer), \(on)::date, \(recorded)::timestamptz) RETURNING id
                """).single().decode(0)
        }
        _ = try await join(o1, v[0], "2019-01-01", recorded: "2019-01-01 09:00+08")
        let left = try await join(o1, v[1], "2019-02-01", recorded: "2019-02-01 09:00+08")
        try await db.execute("INSERT INTO organisation_leave (membership_id, left_on, recorded_at) VALUES (\(left), '2019-06-01', '2019-06-01 09:00+08')")
        _ = try await join(o1, v[2], "2019-03-01", recorded: "2020-01-10 09:00+08")
        _ = try await join(o2, v[3], "2019-01-01", recorded: "2019-01-01 09:00+08")
        _ = try await join(o2, v[0], "2019-04-01", recorded: "2019-04-01 09:00+08")
        _ = try await join(o1, v[4], "2019-01-01", recorded: "2019-01-01 09:00+08")
        try await db.execute("""
            INSERT INTO community_project (name, plan, district_code, organisation_id, starts_on, ends_on, target_volunteers, target_minutes, recorded_at)
            VALUES ('关爱空巢老人结对服务', '每周上门探访', '210682001', \(o1), '2019-01-01', '2019-12-31', 3, 600, '2018-12-01 00:00+08')
            """)
        let act1 = try await f.activity(district: "210682001", starts: "2019-05-01 08:00+08", ends: "2019-05-01 12:00+08", title: "上门探访")
        let act2 = try await f.activity(district: "210682001", starts: "2019-06-01 08:00+08", ends: "2019-06-01 12:00+08", title: "社区义诊")
        let act3 = try await f.activity(district: "210682001", starts: "2019-07-01 08:00+08", ends: "2019-07-01 12:00+08", title: "楼道清理")
        try await db.execute("UPDATE activity SET organisation_id = \(o1), category_code = 'elderly', project_id = 1 WHERE id = \(act1)")
        try await db.execute("UPDATE activity SET organisation_id = \(o2), category_code = 'medical' WHERE id = \(act2)")
        let original = try await f.approvedEntry(v[0], activity: act1, start: "2019-05-01 08:00+08", minutes: 120)
        try await f.approve(try await f.correct(original, delta: -30))
        try await f.approvedEntry(v[1], activity: act1, start: "2019-05-01 08:00+08", minutes: 60)
        try await f.approvedEntry(v[4], activity: act1, start: "2019-05-01 08:00+08", minutes: 50)
        try await f.approve(try await f.entry(v[2], activity: act2, start: "2019-06-01 08:00+08", minutes: 45), at: "2020-01-05 10:00+08")
        _ = try await f.entry(v[3], activity: act2, start: "2019-06-01 08:00+08", minutes: 30)
        try await f.approvedEntry(v[3], activity: act3, start: "2019-07-01 08:00+08", minutes: 20)
        try await f.deregister(v[4], on: "2019-10-01")
        try await db.execute("""
            INSERT INTO volunteer_party_status (volunteer_id, party_member, effective_on, recorded_at) VALUES
                (\(v[0]), true, '2019-01-01', '2019-01-02 09:00+08'),
                (\(v[1]), true, '2019-01-01', '2020-02-01 09:00+08'),
                (\(v[3]), true, '2019-03-01', '2019-03-02 09:00+08'),
                (\(v[3]), false, '2019-09-01', '2019-09-02 09:00+08'),
                (\(v[4]), true, '2019-01-01', '2019-01-02 09:00+08')
            """)
        // Once an activity has hours its grouping stays (replays read what the hours were recorded under).
        do {
            try await db.execute("UPDATE activity SET category_code = 'culture' WHERE id = \(act3)")
            Issue.record("the category of an activity with hours changed")
        } catch let error as PostgresError {
            #expect(error.constraint == "activity_grouping_fixed")
        }
        await db.close()
    }

    static func json(_ arguments: [String], _ database: TestDatabase) async throws -> [String: Any] {
        let result = try await CLIRunner.run(["metrics", "--year", "2019", "--format", "json"] + arguments, database: database)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    }

    static func rows(_ report: [String: Any], _ keys: [String]) -> [String] {
        (report["rows"] as? [[String: Any]] ?? []).map { row in keys.map { "\(row[$0] ?? "nil")" }.joined(separator: "/") }
    }

    static func party(_ report: [String: Any]) -> String {
        let party = report["party_members"] as? [String: Any] ?? [:]
        return ["registered", "active", "approved_minutes"].map { "\(party[$0] ?? "nil")" }.joined(separator: "/")
    }

    @Test func byOrganisationCategoryAndProjectAsComputedByHand() async throws {
        try await TestDatabase.with { database in
            try await Self.city(database)
            let before = try await CLIRunner.run(["metrics", "--year", "2019", "--format", "json"], database: database)

            let organisations = try await Self.json(["--by", "organisation"], database)
            #expect(Self.rows(organisations, ["key", "members", "active_members", "approved_minutes"]) == ["1/2/2/150", "2/2/2/45"])
            #expect(organisations["approved_minutes"] as? Int == 215)
            #expect(Self.party(organisations) == "2/2/150")
            let share = try #require((organisations["rows"] as? [[String: Any]])?.first?["active_share"] as? [String: Any])
            #expect(share["numerator"] as? Int == 2 && share["denominator"] as? Int == 2)

            let replay = try await Self.json(["--by", "organisation", "--as-recorded-at", "2019-12-31 12:00"], database)
            #expect(Self.rows(replay, ["key", "members", "active_members", "approved_minutes"]) == ["1/1/1/150", "2/2/2/0"])
            #expect(replay["approved_minutes"] as? Int == 170)
            #expect(replay["as_recorded_at"] as? String == "2019-12-31T12:00:00+08:00")
            #expect(Self.party(replay) == "1/1/90")

            // On 2019-06-30 v5 is still registered (O1 member, party member, 50 minutes) and v4's
            // 20 minutes of 07-01 lie after D.
            let midYear = try await Self.json(["--by", "organisation", "--as-of", "2019-06-30"], database)
            #expect(Self.rows(midYear, ["key", "members", "active_members", "approved_minutes"]) == ["1/3/3/200", "2/2/1/45"])
            #expect(Self.party(midYear) == "4/3/200")

            let categories = try await Self.json(["--by", "category"], database)
            let used = Self.rows(categories, ["key", "activities", "volunteers", "approved_minutes"]).filter { !$0.hasSuffix("/0/0/0") }
            #expect(used == ["elderly/1/2/150", "medical/1/1/45", "other/1/1/20"])
            let categoryText = try await CLIRunner.run(["metrics", "--year", "2019", "--by", "category", "--format", "json"], database: database)
            #expect(categoryText.stdout.contains("\"minutes_share\": {\n        \"numerator\": 150,\n        \"denominator\": 215,\n        \"value\": 0.6977\n      }"),
                    "\(categoryText.stdout)")

            let projects = try await Self.json(["--by", "project"], database)
            #expect(Self.rows(projects, ["key", "activities", "volunteers", "approved_minutes", "target_volunteers", "target_minutes"]) == ["1/1/2/150/3/600"])

            let csv = try await CLIRunner.run(["metrics", "--year", "2019", "--by", "project", "--format", "csv"], database: database)
            #expect(csv.stdout.replacingOccurrences(of: "\r\n", with: "\n") == """
                level,key,name,district,activities,volunteers,approved_minutes,target_volunteers,target_minutes,volunteers_share_of_target,minutes_share_of_target
                project,1,关爱空巢老人结对服务,210682001,1,2,150,3,600,0.6667,0.2500
                party_members,,,2,2,150,1.0000,,,,

                """, "\(csv.stdout)")
            let table = try await CLIRunner.run(["--lang", "zh", "metrics", "--year", "2019", "--by", "organisation"], database: database)
            #expect(table.stdout.contains("中共党员：在册 2 人，参与服务 2 人（2/2 = 1.0000），经审核服务时长 2.50 小时"), "\(table.stdout)")

            // The default report is untouched by all of it.
            let after = try await CLIRunner.run(["metrics", "--year", "2019", "--format", "json"], database: database)
            #expect(after.stdout == before.stdout)
            let city = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
            #expect((city["city"] as? [String: Any])?["approved_minutes"] as? Int == 215)
        }
    }

    /// Organisers read the figures but not party status: no party row for them, no refusal.
    @Test func organisersGetTheFiguresWithoutThePartyRow() async throws {
        try await TestDatabase.with { database in
            try await Self.city(database)
            try await TestLogins.with(database) { logins in
                let url = try await logins.connectionString(as: try await logins.login("organiser"))
                let result = try await CLIRunner.run(["metrics", "--year", "2019", "--by", "organisation", "--format", "json"],
                                                     database: nil, environment: ["VLEDGER_DATABASE_URL": url])
                #expect(result.status == 0, "\(result.stderr)")
                let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
                #expect(report["party_members"] is NSNull)
                #expect(Self.rows(report, ["key", "members", "active_members", "approved_minutes"]) == ["1/2/2/150", "2/2/2/45"])
            }
        }
    }
}
