import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 15 through the binary and as real logins through plain SQL: categories and
/// organisations, who may write what, and the refusals people read.
struct OrgsCLITests {
    static let own = "210682001"
    static let other = "210682002"

    static func run(_ arguments: [String], _ database: TestDatabase, as url: String? = nil) async throws -> CLIRunner.Result {
        try await CLIRunner.run(arguments, database: url == nil ? database : nil, environment: url.map { ["VLEDGER_DATABASE_URL": $0] } ?? [:])
    }

    static func ok(_ arguments: [String], _ database: TestDatabase, as url: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIRunner.Result {
        let result = try await run(arguments, database, as: url)
        #expect(result.status == 0, "vledger \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    static func refused(_ result: CLIRunner.Result, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("vledger: error: "), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    static func count(_ database: TestDatabase, _ table: String) async throws -> Int {
        let db = try await database.connect()
        let n = try await db.query("SELECT count(*) FROM \(unsafeRaw: table)").single().decode(0, as: Int.self)
        await db.close()
        return n
    }

    static func attempt(_ conn: Connection, _ sql: SQL) async -> PostgresError? {
        do {
            try await conn.execute(sql)
            return nil
        } catch let error as PostgresError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func categoriesListAndAddWithRefusalsInBothLanguages() async throws {
        try await TestDatabase.with { database in
            let listed = try await Self.ok(["category", "list", "--format", "json"], database)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            #expect(rows.count == 15)
            #expect(rows.contains { $0["code"] as? String == "party_members" && $0["name"] as? String == "党员志愿服务" })
            let table = try await Self.ok(["--lang", "zh", "category", "list"], database)
            #expect(table.stdout.hasPrefix("代码"), "\(table.stdout)")
            #expect(table.stdout.contains("名称"))

            _ = try await Self.ok(["category", "add", "--code", "elderly_meals", "--name", "老年助餐", "--parent", "关爱空巢老人"], database)
            Self.refused(try await Self.run(["category", "add", "--code", "Meals!", "--name", "某类"], database),
                         "code \"Meals!\": must be a lower-case letter")
            Self.refused(try await Self.run(["--lang", "zh", "category", "add", "--code", "dup", "--name", "老年助餐"], database),
                         "(name)「老年助餐」：已有同名类别")
            #expect(try await Self.count(database, "service_category") == 16)

            let db = try await database.connect()
            try await LedgerFixtures.district(db)
            await db.close()
            let base = ["activity", "create", "--title", "送餐", "--district", Self.own, "--organiser", "李", "--starts", "2019-05-01 09:00", "--ends", "2019-05-01 10:00"]
            _ = try await Self.ok(base + ["--category", "elderly_meals"], database)
            Self.refused(try await Self.run(["--lang", "zh"] + base + ["--category", "elderly_mealz"], database),
                         "类别(category)「elderly_mealz」：没有这个服务类别")
            #expect(try await Self.count(database, "activity") == 1)
        }
    }

    static func file(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-orgs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// An Excel-made sheet with Chinese headers: every bad row named with its line and field,
    /// nothing written; the fixed file goes in whole, a parent found in a row above.
    @Test func organisationsImportAllOrNothingWithAReportPerRow() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            try await LedgerFixtures.district(db)
            await db.close()
            let header = "\u{FEFF}名称,类型,专业领域,统一社会信用代码,上级组织,所属区划,成立日期\r\n"
            let bad = try Self.file("orgs.csv", header
                + "凤城市志愿者协会,注册组织,,91110000802100433B,,210682001,2015-03-05\r\n"
                + "法律服务队,专业志愿服务队,法律,,凤城市志愿者协会,210682001,2016/5/4\r\n"
                + "某协会,注册组织,,91440300708461136X,,210682001,2015-03-05\r\n"
                + "某队,志愿服务队,,,,210682001,2016-01-01\r\n"
                + "天文队,专业志愿服务队,天文,,凤城市志愿者协会,210682001,2016-01-01\r\n")
            let rejected = try await Self.run(["org", "import", bad, "--format", "json"], database)
            #expect(rejected.status != 0)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(rejected.stdout.utf8)) as? [String: Any], "\(rejected.stdout) \(rejected.stderr)")
            let problems = try #require(report["problems"] as? [[String: Any]], "\(report)")
            #expect(problems.map { "\($0["line"] ?? "")/\($0["field"] ?? "")" } == ["4/credit_code", "5/parent", "6/field"], "\(problems)")
            #expect(try await Self.count(database, "organisation") == 0)
            let zh = try await Self.run(["--lang", "zh", "org", "import", bad], database)
            #expect(zh.stderr.contains("第 4 行：统一社会信用代码(credit_code)「91440300708461136X」"), "\(zh.stderr)")

            let good = try Self.file("orgs.csv", header
                + "凤城市志愿者协会,注册组织,,91110000802100433B,,210682001,2015-03-05\r\n"
                + "法律服务队,专业志愿服务队,法律,,凤城市志愿者协会,210682001,2016/5/4\r\n"
                + "某协会,注册组织,,91440300708461136T,,210682001,2015-03-05\r\n")
            let applied = try await Self.ok(["org", "import", good], database)
            #expect(applied.stdout.split(separator: "\n").count == 3)
            let listed = try await Self.ok(["org", "list", "--format", "json"], database)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            #expect(rows.map { $0["kind"] as? String } == ["registered", "professional", "registered"])
            #expect(rows[1]["founded_on"] as? String == "2016-05-04")
        }
    }

    /// Members from a sheet with Chinese headers: a bad row (an overlapping period) and nothing is written.
    @Test func membersImportAllOrNothing() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            try await LedgerFixtures.district(db)
            let first = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            let second = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01", name: "李四")
            await db.close()
            _ = try await Self.ok(["org", "add", "--name", "凤城市志愿者协会", "--kind", "registered", "--credit-code", "91110000802100433B",
                                   "--district", Self.own, "--founded", "2015-03-05"], database)
            let header = "组织,志愿者编号,加入日期,退出日期\n"
            let bad = try Self.file("members.csv", header + "凤城市志愿者协会,\(first.number),2019-02-01,2019-06-01\n"
                                    + "凤城市志愿者协会,\(first.number),2019-05-01,\n" + "凤城市志愿者协会,\(second.number),2019-03-01,\n")
            let rejected = try await Self.run(["org", "import-members", bad], database)
            #expect(rejected.status != 0 && rejected.stderr.contains("line 3: on \"2019-05-01\": volunteer \(first.number) is a member of 凤城市志愿者协会 since 2019-02-01 until 2019-06-01"),
                    "\(rejected.stderr)")
            #expect(try await Self.count(database, "organisation_membership") == 0)
            let good = try Self.file("members.csv", header + "凤城市志愿者协会,\(first.number),2019-02-01,2019-06-01\n"
                                     + "凤城市志愿者协会,\(first.number),2019-06-01,\n" + "凤城市志愿者协会,\(second.number),2019-03-01,\n")
            let applied = try await Self.ok(["org", "import-members", good], database)
            #expect(applied.stdout.split(separator: "\n").count == 3)
            #expect(try await Self.count(database, "organisation_membership") == 3)
            #expect(try await Self.count(database, "organisation_leave") == 1)
        }
    }

    @Test func organisationsThroughTheCommands() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            try await LedgerFixtures.district(db)
            let volunteer = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            await db.close()
            let added = try await Self.ok(["org", "add", "--name", "凤城市志愿者协会", "--kind", "registered", "--credit-code", "91110000802100433B",
                                           "--district", Self.own, "--founded", "2015-03-05"], database)
            #expect(added.stdout == "1\n")
            Self.refused(try await Self.run(["org", "add", "--name", "甲", "--kind", "registered", "--credit-code", "91110000802100433C",
                                             "--district", Self.own, "--founded", "2015-03-05"], database),
                         "credit_code \"91110000802100433C\": wrong check character (GB 32100-2015): the 18th character should be B")
            Self.refused(try await Self.run(["--lang", "zh", "org", "add", "--name", "甲", "--kind", "registered", "--credit-code", "91110000802100433C",
                                             "--district", Self.own, "--founded", "2015-03-05"], database),
                         "统一社会信用代码(credit_code)「91110000802100433C」：不是有效的统一社会信用代码")
            Self.refused(try await Self.run(["org", "add", "--name", "乙队", "--kind", "team", "--district", Self.own, "--founded", "2016-01-01"], database),
                         "parent: a team belongs to a parent organisation")
            _ = try await Self.ok(["org", "add", "--name", "医疗卫生志愿服务队", "--kind", "专业志愿服务队", "--field", "医疗卫生", "--parent", "凤城市志愿者协会",
                                   "--district", Self.own, "--founded", "2016-01-01"], database)
            #expect(try await Self.count(database, "organisation") == 2)

            _ = try await Self.ok(["org", "join", "凤城市志愿者协会", volunteer.number, "--on", "2019-02-01"], database)
            _ = try await Self.ok(["org", "join", "医疗卫生志愿服务队", volunteer.number, "--on", "2019-02-01"], database)
            Self.refused(try await Self.run(["--lang", "zh", "org", "join", "1", volunteer.number, "--on", "2019-03-01"], database),
                         "日期(on)「2019-03-01」：该志愿者在这一天已是本组织成员")
            Self.refused(try await Self.run(["org", "leave", "1", volunteer.number, "--on", "2019-01-15"], database),
                         "on \"2019-01-15\": not after the day of joining")
            _ = try await Self.ok(["org", "leave", "1", volunteer.number, "--on", "2019-06-01"], database)
            _ = try await Self.ok(["org", "status", "医疗卫生志愿服务队", "--status", "suspended", "--on", "2020-01-01", "--reason", "整顿"], database)
            let shown = try await Self.ok(["org", "show", "医疗卫生志愿服务队", "--format", "json"], database)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
            #expect(object["kind"] as? String == "professional")
            #expect(object["status"] as? String == "suspended")
            #expect((object["memberships"] as? [[String: Any]])?.count == 1)
            let listed = try await Self.ok(["--lang", "zh", "org", "list"], database)
            #expect(listed.stdout.contains("专业志愿服务队") && listed.stdout.contains("暂停"), "\(listed.stdout)")
            let csv = try await Self.ok(["org", "list", "--format", "csv"], database)
            #expect(csv.stdout.hasPrefix("id,name,kind,field,credit_code,parent,district,founded_on,status,members\n"))
            #expect(try await Self.count(database, "organisation_membership") == 2)
            #expect(try await Self.count(database, "organisation_leave") == 1)

            let base = ["activity", "create", "--title", "义诊", "--district", Self.own, "--organiser", "李", "--starts", "2020-02-01 09:00", "--ends", "2020-02-01 10:00"]
            Self.refused(try await Self.run(base + ["--org", "医疗卫生志愿服务队"], database), "the organisation is suspended on the activity's day")
            Self.refused(try await Self.run(base + ["--org", "无此组织"], database), "org \"无此组织\": no such organisation")
            _ = try await Self.ok(base + ["--org", "91110000802100433B"], database)
            #expect(try await Self.count(database, "activity") == 1)
        }
    }

    /// The office keeps categories and organisations; staff record memberships of their own
    /// district's volunteers; organisers act only for organisations they are linked to.
    @Test func eachRoleWritesOnlyWhatItMayThroughPlainSQL() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let owner = try await database.connect()
                try await LedgerFixtures.district(owner, code: Self.own)
                try await LedgerFixtures.district(owner, code: Self.other, name: "汤山城街道")
                let mine = try await LedgerFixtures.volunteer(owner, district: Self.own)
                let theirs = try await LedgerFixtures.volunteer(owner, district: Self.other, name: "李四")
                await owner.close()
                let staff = try await logins.connect(as: try await logins.login("staff", district: Self.own))
                let aliceLogin = try await logins.login("organiser")
                let alice = try await logins.connect(as: aliceLogin)
                let bob = try await logins.connect(as: try await logins.login("organiser"))
                let office = try await logins.connect(as: try await logins.login("office"))

                // Categories: the office only (and never renames a code).
                for conn in [staff, alice] {
                    #expect(await Self.attempt(conn, "INSERT INTO service_category (code, name) VALUES ('x_cat', '某类')")?.sqlState == .insufficientPrivilege)
                }
                #expect(await Self.attempt(office, "INSERT INTO service_category (code, name) VALUES ('x_cat', '某类')") == nil)
                #expect(await Self.attempt(office, "UPDATE service_category SET code = 'y_cat' WHERE code = 'x_cat'")?.sqlState == .insufficientPrivilege)
                #expect(await Self.attempt(office, "UPDATE service_category SET name = '某类服务' WHERE code = 'x_cat'") == nil)
                #expect(await Self.attempt(office, "DELETE FROM service_category WHERE code = 'x_cat'")?.sqlState == .insufficientPrivilege)
                #expect(await Self.attempt(office, "INSERT INTO service_category (code, name, recorded_by) VALUES ('z_cat', '另类', 'someone')")?.sqlState
                        == .insufficientPrivilege)

                // Organisations: the office registers them and links organisers.
                let insertOrganisation: SQL = """
                    INSERT INTO organisation (name, kind, credit_code, district_code, founded_on)
                    VALUES ('凤城市志愿者协会', 'registered', '91110000802100433B', '210682001', '2015-03-05')
                    """
                for conn in [staff, alice] {
                    #expect(await Self.attempt(conn, insertOrganisation)?.sqlState == .insufficientPrivilege)
                }
                #expect(await Self.attempt(office, insertOrganisation) == nil)
                let org = try await office.query("SELECT id FROM organisation").single().decode(0, as: Int64.self)
                #expect(await Self.attempt(alice, "INSERT INTO organisation_organiser (organisation_id, login) VALUES (\(org), \(aliceLogin))")?.sqlState
                        == .insufficientPrivilege, "an organiser never links themselves")
                #expect(await Self.attempt(staff, "INSERT INTO organisation_status (organisation_id, status, effective_on) VALUES (\(org), 'dissolved', '2020-01-01')")?.sqlState
                        == .insufficientPrivilege)

                // Memberships: staff for their own district's volunteers; organisers once linked; never the office.
                func join(_ volunteer: Int64, _ on: String) -> SQL {
                    "INSERT INTO organisation_membership (organisation_id, volunteer_id, joined_on) VALUES (\(org), \(volunteer), \(on)::date)"
                }
                #expect(await Self.attempt(staff, join(theirs.id, "2019-02-01"))?.sqlState == .insufficientPrivilege)
                #expect(await Self.attempt(office, join(mine.id, "2019-02-01"))?.sqlState == .insufficientPrivilege)
                #expect(await Self.attempt(alice, join(mine.id, "2019-02-01"))?.sqlState == .insufficientPrivilege)
                #expect(try await Self.count(database, "organisation_membership") == 0)
                #expect(await Self.attempt(staff, join(mine.id, "2019-02-01")) == nil)
                #expect(await Self.attempt(office, "INSERT INTO organisation_organiser (organisation_id, login) VALUES (\(org), \(aliceLogin))") == nil)
                #expect(await Self.attempt(office, "INSERT INTO organisation_organiser (organisation_id, login) VALUES (\(org), 'nobody_here')")?.constraint
                        == "organisation_organiser_is_organiser")
                #expect(await Self.attempt(alice, join(theirs.id, "2019-03-01")) == nil)
                #expect(await Self.attempt(alice, """
                    INSERT INTO organisation_membership (organisation_id, volunteer_id, joined_on, recorded_by) VALUES (\(org), \(theirs.id), '2019-04-01', 'someone')
                    """)?.sqlState == .insufficientPrivilege)
                #expect(await Self.attempt(bob, "INSERT INTO organisation_leave (membership_id, left_on) SELECT min(id), '2019-05-01' FROM organisation_membership")?.sqlState
                        == .insufficientPrivilege)
                #expect(await Self.attempt(alice, "INSERT INTO organisation_leave (membership_id, left_on) SELECT min(id), '2019-05-01' FROM organisation_membership") == nil)
                #expect(try await Self.count(database, "organisation_membership") == 2)
                #expect(try await Self.count(database, "organisation_leave") == 1)
                let recorders = try await office.query("SELECT string_agg(recorded_by, ',' ORDER BY id) FROM organisation_membership").single().decode(0, as: String.self)
                #expect(recorders.hasPrefix("t_sta_") && recorders.contains(",\(aliceLogin)"))

                // Activities for an organisation: only by an organiser who acts for it.
                func activity(_ organisation: Int64) -> SQL {
                    """
                    INSERT INTO activity (title, district_code, organiser, starts_at, ends_at, organisation_id)
                    VALUES ('义诊', '210682001', '李', '2019-05-01 09:00+08', '2019-05-01 10:00+08', \(organisation))
                    """
                }
                let refused = await Self.attempt(bob, activity(org))
                #expect(refused?.constraint == "activity_organisation_acts_for")
                #expect(refused.map { UserMessage.userFacing(for: $0).field } == "org")
                #expect(await Self.attempt(alice, activity(org)) == nil)
                #expect(await Self.attempt(bob, "UPDATE activity SET organisation_id = NULL")?.sqlState == nil, "bob sees no activity of his to change")
                #expect(try await Self.count(database, "activity") == 1)
                for conn in [staff, alice, bob, office] { await conn.close() }
            }
        }
    }
}
