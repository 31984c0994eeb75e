import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 15's leftovers through the binary: training attendance from an Excel-made sheet,
/// activities imported with their organisation and project, and a project report replayed as
/// the records stood at a moment.
struct OrgsImportTests {
    static let own = "210682001"

    static func file(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-orgs-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func count(_ database: TestDatabase, _ table: String) async throws -> Int {
        let db = try await database.connect()
        let n = try await db.query("SELECT count(*) FROM \(unsafeRaw: table)").single().decode(0, as: Int.self)
        await db.close()
        return n
    }

    static func problems(_ result: CLIRunner.Result, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout) \(result.stderr)",
                                  sourceLocation: sourceLocation)
        return (report["problems"] as? [[String: Any]] ?? []).map { "\($0["line"] ?? "")/\($0["field"] ?? "")" }
    }

    /// Chinese headers, a GB18030 file as Excel saves it: every bad row named with its line and
    /// field and nothing written; the fixed file goes in whole.
    @Test func trainingAttendanceImportsAllOrNothing() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let first = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            let second = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01", name: "李四")
            try await db.execute("INSERT INTO training_course (name, content, study_minutes, organiser, held_on) VALUES ('通用培训', '理念', 120, '文明办', '2019-03-01')")
            await db.close()
            let header = "课程编号,志愿者编号,学时,证书编号,证书有效期\r\n"
            let badText = header + "1,\(first.number),1.5,FC-1,2021-03-01\r\n" + "2,\(second.number),,,\r\n" + "1,\(second.number),3,,\r\n"
                + "1,\(second.number),,,2021-03-01\r\n"
            let bad = try Self.file("training.csv", "")
            try Data(try #require(TextDecoding.gb18030(badText))).write(to: URL(fileURLWithPath: bad))
            let rejected = try await CLIRunner.run(["training", "import", bad, "--format", "json"], database: database)
            #expect(rejected.status != 0)
            #expect(try Self.problems(rejected) == ["3/course", "4/hours", "5/expires"], "\(rejected.stdout)")
            #expect(try await Self.count(database, "training_attendance") == 0)
            let zh = try await CLIRunner.run(["--lang", "zh", "training", "import", bad], database: database)
            #expect(zh.stderr.contains("第 4 行：学时(hours)「3.00」：学时须大于 0 且不超过课程学时"), "\(zh.stderr)")

            let good = try Self.file("training.csv", header + "1,\(first.number),1.5,FC-1,2021-03-01\r\n" + "1,\(second.number),,,\r\n")
            let applied = try await CLIRunner.run(["training", "import", good], database: database)
            #expect(applied.status == 0 && applied.stdout.split(separator: "\n").count == 2, "\(applied.stderr)")
            let listed = try await CLIRunner.run(["training", "list", "--format", "json"], database: database)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            #expect(rows.map { $0["study_minutes"] as? Int } == [90, 120])
        }
    }

    /// The organisation and project columns: an unknown one, or a project of another
    /// organisation, is refused with its line; nothing is written.
    @Test func activitiesImportWithTheirOrganisationAndProject() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            try await LedgerFixtures.district(db)
            let org = try await db.query("""
                INSERT INTO organisation (name, kind, credit_code, district_code, founded_on) VALUES ('凤城市志愿者协会', 'registered', '91110000802100433B', \(Self.own), '2015-03-05') RETURNING id
                """).single().decode(0, as: Int64.self)
            let team = try await db.query("""
                INSERT INTO organisation (name, kind, parent_id, district_code, founded_on) VALUES ('凤凰城街道志愿服务队', 'team', \(org), \(Self.own), '2016-01-01') RETURNING id
                """).single().decode(0, as: Int64.self)
            try await db.execute("""
                INSERT INTO community_project (name, plan, district_code, organisation_id, starts_on, ends_on, target_volunteers, target_minutes)
                VALUES ('关爱空巢老人结对服务', '每周上门探访', \(Self.own), \(org), '2019-01-01', '2019-12-31', 3, 600)
                """)
            // Said by the database too, for whoever writes around the CLI.
            let refused: PostgresError? = await {
                do {
                    try await db.execute("""
                        INSERT INTO activity (title, district_code, organiser, starts_at, ends_at, organisation_id, project_id)
                        VALUES ('x', \(Self.own), '李', '2019-05-01 08:00+08', '2019-05-01 10:00+08', \(team), 1)
                        """)
                    return nil
                } catch let error as PostgresError { return error } catch { return nil }
            }()
            #expect(refused?.constraint == "activity_project_organisation" && refused.map { UserMessage.userFacing(for: $0).field } == "project", "\(String(describing: refused))")
            await db.close()

            let header = "活动名称,区划代码,组织者,开始时间,结束时间,类别,志愿服务组织,项目\n"
            let row = "\(Self.own),李组织,2019-05-01 08:00,2019-05-01 10:00,elderly"
            let bad = try Self.file("activities.csv", header + "探访一,\(row),凤城市志愿者协会,关爱空巢老人结对服务\n" + "探访二,\(row),不存在的协会,\n"
                                    + "探访三,\(row),,没有的项目\n" + "探访四,\(row),凤凰城街道志愿服务队,关爱空巢老人结对服务\n")
            let rejected = try await CLIRunner.run(["activity", "import", bad, "--format", "json"], database: database)
            #expect(rejected.status != 0)
            #expect(try Self.problems(rejected) == ["3/org", "4/project", "5/project"], "\(rejected.stdout)")
            #expect(try await Self.count(database, "activity") == 0)
            let zh = try await CLIRunner.run(["--lang", "zh", "activity", "import", bad], database: database)
            #expect(zh.stderr.contains("第 5 行") && zh.stderr.contains("该项目由凤城市志愿者协会（组织 \(org)）承办，不是组织 \(team)"), "\(zh.stderr)")

            let good = try Self.file("activities.csv", header + "探访一,\(row),凤城市志愿者协会,关爱空巢老人结对服务\n" + "探访二,\(row),凤凰城街道志愿服务队,\n" + "探访三,\(row),,\n")
            let applied = try await CLIRunner.run(["activity", "import", good], database: database)
            #expect(applied.status == 0, "\(applied.stderr)")
            let check = try await database.connect()
            let stored = try await check.query("SELECT coalesce(organisation_id::text, '-') || '/' || coalesce(project_id::text, '-') FROM activity ORDER BY id")
                .map { try $0.decode(0, as: String.self) }
            #expect(stored == ["\(org)/1", "\(team)/-", "-/-"])
            await check.close()
        }
    }

    /// `project report --as-recorded-at T`: entries and decisions recorded after T left out.
    @Test func aProjectReportReplaysAsRecorded() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let f = MetricsFixture(db)
            try await f.district(Self.own, "凤凰城街道")
            let v1 = try await f.volunteer(1, district: Self.own, registeredOn: "2019-01-01")
            let v2 = try await f.volunteer(2, district: Self.own, registeredOn: "2019-01-01")
            let org = try await db.query("""
                INSERT INTO organisation (name, kind, credit_code, district_code, founded_on, recorded_at)
                VALUES ('凤城市志愿者协会', 'registered', '91110000802100433B', \(Self.own), '2015-03-05', '2018-01-01 00:00+08') RETURNING id
                """).single().decode(0, as: Int64.self)
            try await db.execute("""
                INSERT INTO community_project (name, plan, district_code, organisation_id, starts_on, ends_on, target_volunteers, target_minutes, recorded_at)
                VALUES ('关爱空巢老人结对服务', '每周上门探访', \(Self.own), \(org), '2019-01-01', '2019-12-31', 3, 600, '2018-12-01 00:00+08')
                """)
            let a = try await f.activity(district: Self.own, starts: "2019-05-01 08:00+08", ends: "2019-05-01 12:00+08")
            try await db.execute("UPDATE activity SET project_id = 1 WHERE id = \(a)")
            try await f.approvedEntry(v1, activity: a, start: "2019-05-01 08:00+08", minutes: 120)   // recorded 2019-05-01 11:00
            let late = try await f.entry(v2, activity: a, start: "2019-05-01 08:00+08", minutes: 60, recordedAt: "2019-06-01 10:00+08")
            try await f.approve(late, at: "2019-06-02 10:00+08")
            await db.close()

            func report(_ extra: [String]) async throws -> [String: Any] {
                let result = try await CLIRunner.run(["project", "report", "1", "--format", "json"] + extra, database: database)
                return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout) \(result.stderr)")
            }
            let now = try await report([])
            #expect(now["approved_minutes"] as? Int == 180 && now["volunteers"] as? Int == 2 && now["as_recorded_at"] == nil)
            let before = try await report(["--as-recorded-at", "2019-05-20 00:00"])
            #expect(before["approved_minutes"] as? Int == 120 && before["volunteers"] as? Int == 1, "\(before)")
            #expect((before["as_recorded_at"] as? String)?.hasPrefix("2019-05-20T00:00:00") == true, "\(before)")
            let decidedLater = try await report(["--as-recorded-at", "2019-06-01 12:00"])
            #expect(decidedLater["approved_minutes"] as? Int == 120, "recorded but not yet approved at T")

            let early = try await CLIRunner.run(["--lang", "zh", "project", "report", "1", "--as-recorded-at", "2018-06-01 00:00"], database: database)
            #expect(early.status != 0 && early.stdout.isEmpty && early.stderr.contains("项目 1 是在该时刻之后才登记的"), "\(early.stderr)")
            let garbage = try await CLIRunner.run(["project", "report", "1", "--as-recorded-at", "yesterday"], database: database)
            #expect(garbage.status != 0 && garbage.stderr.contains("as-recorded-at"), "\(garbage.stderr)")
        }
    }
}
