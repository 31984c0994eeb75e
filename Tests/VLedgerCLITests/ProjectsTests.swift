import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 15, community projects (0154): their rules, who plans them, and the report on a small
/// fixture computed by hand.
struct ProjectsTests {
    static func organisation(_ db: Connection) async throws -> Int64 {
        try await db.query("""
            INSERT INTO organisation (name, kind, credit_code, district_code, founded_on)
            VALUES ('凤城市志愿者协会', 'registered', '91110000802100433B', '210682001', '2015-03-05') RETURNING id
            """).single().decode(0)
    }

    static func project(_ org: Int64, name: String = "关爱空巢老人结对服务", district: String = "210682001", from: String = "2019-01-01", to: String = "2019-12-31") -> SQL {
        """
        INSERT INTO community_project (name, plan, district_code, organisation_id, starts_on, ends_on, target_volunteers, target_minutes)
        VALUES (\(name), '每周上门探访', \(district), \(org), \(from)::date, \(to)::date, 3, 600)
        """
    }

    @Test func projectsAndTheirActivitiesKeepTheirRules() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district("210682001", "凤凰城街道")
            try await f.district("210682002", "汤山城街道")
            let org = try await Self.organisation(db)
            #expect(await RuleProbe.attempt(db, Self.project(org)) == nil)
            let project = try await db.query("SELECT id FROM community_project").single().decode(0, as: Int64.self)
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.project(org)), "community_project_name_unique", field: "name")
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.project(org, name: "乙", from: "2019-06-01", to: "2019-05-01")), "community_project_period_order", field: "ends_on")
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.project(org, name: "丙", from: "2010-01-01")), "community_project_organisation_active", field: "org")
            RuleProbe.expectRule(await RuleProbe.attempt(db, "UPDATE community_project SET target_minutes = 6000"), "community_project_fixed", field: "project")
            #expect(try await db.query("SELECT count(*) FROM community_project").single().decode(0, as: Int.self) == 1)

            let inside = try await f.activity(district: "210682001", starts: "2019-05-01 08:00+08", ends: "2019-05-01 12:00+08")
            let outside = try await f.activity(district: "210682001", starts: "2020-05-01 08:00+08", ends: "2020-05-01 12:00+08")
            let elsewhere = try await f.activity(district: "210682002", starts: "2019-05-01 08:00+08", ends: "2019-05-01 12:00+08")
            #expect(await RuleProbe.attempt(db, "UPDATE activity SET project_id = \(project) WHERE id = \(inside)") == nil)
            RuleProbe.expectRule(await RuleProbe.attempt(db, "UPDATE activity SET project_id = \(project) WHERE id = \(outside)"), "activity_project_period", field: "project")
            RuleProbe.expectRule(await RuleProbe.attempt(db, "UPDATE activity SET project_id = \(project) WHERE id = \(elsewhere)"), "activity_project_district", field: "project")
            #expect(try await db.query("SELECT count(*) FROM activity WHERE project_id IS NOT NULL").single().decode(0, as: Int.self) == 1)
            await db.close()
        }
    }

    @Test func staffPlanTheirDistrictsAndOrganisersTheirOrganisations() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let owner = try await database.connect()
                try await LedgerFixtures.district(owner, code: "210682001")
                try await LedgerFixtures.district(owner, code: "210682002", name: "汤山城街道")
                let org = try await Self.organisation(owner)
                let aliceLogin = try await logins.login("organiser")
                try await owner.execute("INSERT INTO organisation_organiser (organisation_id, login) VALUES (\(org), \(aliceLogin))")
                await owner.close()
                let staff = try await logins.connect(as: try await logins.login("staff", district: "210682001"))
                let alice = try await logins.connect(as: aliceLogin)
                let bob = try await logins.connect(as: try await logins.login("organiser"))
                #expect(await RuleProbe.attempt(staff, Self.project(org, name: "他区项目", district: "210682002"))?.sqlState == .insufficientPrivilege)
                #expect(await RuleProbe.attempt(bob, Self.project(org, name: "乙项目"))?.sqlState == .insufficientPrivilege)
                #expect(await RuleProbe.attempt(staff, Self.project(org, name: "本区项目")) == nil)
                #expect(await RuleProbe.attempt(alice, Self.project(org, name: "协会项目", district: "210682002")) == nil)
                let project = try await alice.query("SELECT id FROM community_project WHERE name = '协会项目'").single().decode(0, as: Int64.self)
                func activity(_ conn: Connection) async -> PostgresError? {
                    await RuleProbe.attempt(conn, """
                        INSERT INTO activity (title, district_code, organiser, starts_at, ends_at, project_id)
                        VALUES ('探访', '210682002', '李', '2019-05-01 09:00+08', '2019-05-01 10:00+08', \(project))
                        """)
                }
                RuleProbe.expectRule(await activity(bob), "activity_project_acts_for", field: "project")
                #expect(await activity(alice) == nil)
                for conn in [staff, alice, bob] { await conn.close() }
            }
        }
    }

    /// By hand: v1 120 approved less a 30 correction approved = 90 on the first activity; v2 60
    /// approved on the second; v3 45 pending and v4 30 rejected count nothing; an activity
    /// outside the project does not count. Volunteers 2 of 3, minutes 150 of 600.
    @Test func theReportAgainstTheTargets() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district("210682001", "凤凰城街道")
            let org = try await Self.organisation(db)
            try await db.execute(Self.project(org))
            let v = try await (1...4).asyncMap { try await f.volunteer($0, district: "210682001", registeredOn: "2019-01-01") }
            let first = try await f.activity(district: "210682001", starts: "2019-05-01 08:00+08", ends: "2019-05-01 12:00+08", title: "上门探访")
            let second = try await f.activity(district: "210682001", starts: "2019-06-01 08:00+08", ends: "2019-06-01 12:00+08", title: "陪伴聊天")
            let other = try await f.activity(district: "210682001", starts: "2019-07-01 08:00+08", ends: "2019-07-01 12:00+08")
            try await db.execute("UPDATE activity SET project_id = 1 WHERE id IN (\(first), \(second))")
            let original = try await f.approvedEntry(v[0], activity: first, start: "2019-05-01 08:00+08", minutes: 120)
            try await f.approve(try await f.correct(original, delta: -30))
            try await f.approvedEntry(v[1], activity: second, start: "2019-06-01 08:00+08", minutes: 60)
            _ = try await f.entry(v[2], activity: second, start: "2019-06-01 09:00+08", minutes: 45)
            try await f.reject(try await f.entry(v[3], activity: second, start: "2019-06-01 10:00+08", minutes: 30))
            try await f.approvedEntry(v[2], activity: other, start: "2019-07-01 08:00+08", minutes: 200)
            await db.close()

            let json = try await CLIRunner.run(["project", "report", "关爱空巢老人结对服务", "--format", "json"], database: database)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stderr)")
            #expect(object["volunteers"] as? Int == 2)
            #expect(object["approved_minutes"] as? Int == 150)
            #expect(object["target_minutes"] as? Int == 600)
            #expect(json.stdout.contains("\"minutes_share_of_target\": {\n    \"numerator\": 150,\n    \"denominator\": 600,\n    \"value\": 0.2500\n  }"), "\(json.stdout)")
            let activities = try #require(object["activities"] as? [[String: Any]])
            #expect(activities.map { $0["approved_minutes"] as? Int } == [90, 60])
            #expect(activities.map { $0["volunteers"] as? Int } == [1, 1])
            let table = try await CLIRunner.run(["--lang", "zh", "project", "report", "1"], database: database)
            #expect(table.stdout.contains("参与志愿者 2 人 / 目标 3 人；经审核服务时长 2.50 小时（150 分钟）/ 目标 10.00 小时（600 分钟）"), "\(table.stdout)")
            let missing = try await CLIRunner.run(["project", "report", "无此项目"], database: database)
            #expect(missing.status != 0 && missing.stderr.contains("project \"无此项目\": no such project"), "\(missing.stderr)")
            let bad = try await CLIRunner.run(["project", "add", "--name", "x", "--plan", "y", "--district", "210682001", "--org", "1", "--from", "2019-01-01",
                                               "--to", "2019-12-31", "--target-volunteers=-3", "--target-hours", "10"], database: database)
            #expect(bad.status != 0 && bad.stderr.contains("target-volunteers \"-3\""), "\(bad.stderr)")
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
