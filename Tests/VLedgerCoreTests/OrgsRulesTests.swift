import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 15: service categories (0150) and organisations (0151). Each rule is fed bad input
/// through plain SQL as the owner (the rules hold on every path) and through the services; the
/// refusal names its code and field, and nothing is written.
struct OrgsRulesTests {
    /// GB 32100-2015 computed here independently of the database: the check character of 17.
    static func creditCode(_ first17: String) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var weight = 1
        var total = 0
        for character in first17 {
            total += alphabet.firstIndex(of: character)! * weight
            weight = weight * 3 % 31
        }
        return first17 + String(alphabet[(31 - total % 31) % 31])
    }

    /// The database's refusal of `sql`, or nil.
    static func refusal(_ db: Connection, _ sql: SQL) async -> PostgresError? {
        do {
            try await db.execute(sql)
            return nil
        } catch let error as PostgresError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    static func expectRule(_ error: PostgresError?, _ code: String, field: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error?.constraint == code, "\(String(describing: error))", sourceLocation: sourceLocation)
        if let error {
            #expect(UserMessage.userFacing(for: error).field == field, "\(error)", sourceLocation: sourceLocation)
        }
    }

    static func count(_ db: Connection, _ table: String) async throws -> Int {
        try await db.query("SELECT count(*) FROM \(unsafeRaw: table)").single().decode(0)
    }

    @Test func theCheckCharacterIsComputedAsTheStandardSays() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            // Published codes, then codes computed by the algorithm above.
            var valid = ["91110000802100433B", "91440300708461136T", "91350100M000100Y43"]
            valid += ["91210682MA0000001", "52210682MJ1234567", "12210682A12345678", "31210682MD0QXY7PG"].map(Self.creditCode)
            for code in valid {
                #expect(try await db.query("SELECT vl_credit_code_valid(\(code))").single().decode(0, as: Bool.self), "\(code)")
            }
            // One wrong check character for each, a letter the standard leaves out, a short code.
            let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
            var wrong = valid.map { code -> String in
                let last = alphabet.firstIndex(of: code.last!)!
                return String(code.dropLast()) + String(alphabet[(last + 1) % 31])
            }
            wrong += ["91110000802100433I", "9111000080210043SB", "91110000802100433", "911100008021004334B", "9111000080210043-B", "ab110000802100433b"]
            for code in wrong {
                #expect(try await db.query("SELECT vl_credit_code_valid(\(code))").single().decode(0, as: Bool.self) == false, "\(code)")
            }
            await db.close()
        }
    }

    @Test func categoriesAreSeededAndKeptByTheirRules() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let names = try await db.query("SELECT name FROM service_category ORDER BY name").map { try $0.decode(0, as: String.self) }
            #expect(Set(names) == ["关爱空巢老人", "关爱留守儿童", "帮扶困难职工", "助残服务", "党员志愿服务", "文明旅游", "文明交通", "文明上网",
                                   "文化服务", "医疗卫生", "法律服务", "环境保护", "消防安全", "社区服务", "其他"])
            Self.expectRule(await Self.refusal(db, "INSERT INTO service_category (code, name) VALUES ('Bad-Code', '某类')"),
                            "service_category_code_format", field: "code")
            Self.expectRule(await Self.refusal(db, "INSERT INTO service_category (code, name) VALUES ('dup', '文明交通')"),
                            "service_category_name_unique", field: "name")
            Self.expectRule(await Self.refusal(db, "INSERT INTO service_category (code, name, parent_code) VALUES ('child', '子类', 'nope')"),
                            "service_category_parent_fkey", field: "parent")
            try await db.execute("INSERT INTO service_category (code, name, parent_code) VALUES ('meals', '老年助餐', 'elderly')")
            Self.expectRule(await Self.refusal(db, "UPDATE service_category SET parent_code = 'meals' WHERE code = 'elderly'"),
                            "service_category_not_own_parent", field: "parent")
            Self.expectRule(await Self.refusal(db, "UPDATE service_category SET code = 'meal' WHERE code = 'meals'"),
                            "service_category_code_fixed", field: "code")
            #expect(try await Self.count(db, "service_category") == 16)

            try await db.withIsolated { tx in
                #expect(throws: RuleViolation(field: "code", value: "X", code: "service_category_code_format")) {
                    try ServiceCategories.add(code: "X", name: "某类", parent: nil, on: tx)
                }
                #expect(throws: RuleViolation(field: "name", value: "其他", code: "service_category_name_unique")) {
                    try ServiceCategories.add(code: "another", name: "其他", parent: nil, on: tx)
                }
                #expect(throws: RuleViolation(field: "parent", value: "无此类", code: "unknown_category")) {
                    try ServiceCategories.add(code: "another", name: "另一类", parent: "无此类", on: tx)
                }
                let added = try ServiceCategories.add(code: "tree_planting", name: "植树护绿", parent: "环境保护", on: tx)
                #expect([added.code, added.name, added.parentCode] == ["tree_planting", "植树护绿", "environment"])
            }
            await db.close()
        }
    }

    /// Activities written before 0150 with free text: a catalogue name or a known word files under
    /// its category, anything else under 其他, and the text stays as written.
    @Test func freeTextCategoriesMigrateAndKeepTheirText() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let connection = try await database.connect()
            let real = try MigrationRunner.locateDirectory()
            let before = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-migrations-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: before, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: before) }
            for file in try FileManager.default.contentsOfDirectory(atPath: real.path) where file.hasSuffix(".sql") && file < "0150" {
                try FileManager.default.copyItem(at: real.appendingPathComponent(file), to: before.appendingPathComponent(file))
            }
            try await MigrationRunner(directory: before).migrate(on: connection)
            try await LedgerFixtures.district(connection)
            for category in ["文明交通", "关爱老人", "环保", "助学支教", "综合", "civil_internet"] {
                try await connection.execute("""
                    INSERT INTO activity (title, category, district_code, organiser, starts_at, ends_at)
                    VALUES ('活动', \(category), '210682001', '李', '2019-03-01 09:00+08', '2019-03-01 10:00+08')
                    """)
            }
            let applied = try await MigrationRunner(directory: real).migrate(on: connection)
            #expect(applied.contains("0150_service_categories.sql"))
            let filed = try await connection.query("SELECT category, category_code FROM activity ORDER BY id")
                .map { "\(try $0.decode(0, as: String.self))=\(try $0.decode(1, as: String.self))" }
            #expect(filed == ["文明交通=civil_traffic", "关爱老人=elderly", "环保=environment", "助学支教=other", "综合=other",
                              "civil_internet=civil_internet"])
            // The same rule for a row written later without a code; a code that is not in the catalogue is refused.
            try await connection.execute("""
                INSERT INTO activity (title, category, district_code, organiser, starts_at, ends_at)
                VALUES ('活动', '义诊', '210682001', '李', '2019-03-02 09:00+08', '2019-03-02 10:00+08')
                """)
            #expect(try await connection.query("SELECT category_code FROM activity ORDER BY id DESC LIMIT 1").single().decode(0, as: String.self) == "medical")
            let unknown = await Self.refusal(connection, """
                INSERT INTO activity (title, category_code, district_code, organiser, starts_at, ends_at)
                VALUES ('活动', 'nope', '210682001', '李', '2019-03-02 09:00+08', '2019-03-02 10:00+08')
                """)
            #expect(unknown?.constraint == "activity_category_code_fkey")
            #expect(try await Self.count(connection, "activity") == 7)
            await connection.close()
        }
    }

    static func activity(_ category: String?) throws -> NewActivity {
        NewActivity(title: "探访", districtCode: "210682001", organiser: "李",
                    starts: try TimeInput.parse("2019-05-01 09:00", field: "starts"), ends: try TimeInput.parse("2019-05-01 10:00", field: "ends"),
                    category: category)
    }

    /// `--category` takes a code or a catalogue name; a mistyped code is refused.
    @Test func anActivityFilesUnderTheCategoryItNames() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            try await LedgerFixtures.district(db)
            try await db.withIsolated { tx in
                for category in ["elderly", "关爱空巢老人", "敬老", "新说法", nil] { _ = try ActivityService.create(try Self.activity(category), on: tx) }
                #expect(throws: RuleViolation(field: "category", value: "elderlyy", code: "unknown_category")) {
                    try ActivityService.create(try Self.activity("elderlyy"), on: tx)
                }
            }
            let rows = try await db.query("SELECT category, category_code FROM activity ORDER BY id")
                .map { "\(try $0.decode(0, as: String.self))=\(try $0.decode(1, as: String.self))" }
            #expect(rows == ["关爱空巢老人=elderly", "关爱空巢老人=elderly", "敬老=elderly", "新说法=other", "综合=other"])
            await db.close()
        }
    }

    static func organisation(_ db: Connection, name: String = "凤城市志愿者协会", kind: String = "registered", field: String? = nil,
                             credit: String? = "91110000802100433B", parent: Int64? = nil, founded: String = "2015-03-05") async throws -> Int64 {
        try await db.query("""
            INSERT INTO organisation (name, kind, field, credit_code, parent_id, district_code, founded_on)
            VALUES (\(name), \(kind), \(field), \(credit), \(parent), '210682001', \(founded)::date) RETURNING id
            """).single().decode(0)
    }

    @Test func organisationsKeepTheirRules() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            try await LedgerFixtures.district(db)
            let association = try await Self.organisation(db)
            func bad(_ name: String, kind: String, field: String? = nil, credit: String? = nil, parent: Int64? = nil, founded: String = "2016-01-01") async -> PostgresError? {
                await Self.refusal(db, """
                    INSERT INTO organisation (name, kind, field, credit_code, parent_id, district_code, founded_on)
                    VALUES (\(name), \(kind), \(field), \(credit), \(parent), '210682001', \(founded)::date)
                    """)
            }
            Self.expectRule(await bad("甲", kind: "registered", credit: "91110000802100433C"), "organisation_credit_code_valid", field: "credit_code")
            Self.expectRule(await bad("甲", kind: "registered", credit: "9111000080210043"), "organisation_credit_code_valid", field: "credit_code")
            Self.expectRule(await bad("甲", kind: "registered"), "organisation_credit_code_for_registered", field: "credit_code")
            Self.expectRule(await bad("甲", kind: "club", credit: "91440300708461136T"), "organisation_kind_known", field: "kind")
            Self.expectRule(await bad("甲", kind: "professional", parent: association), "organisation_field_for_professional", field: "field")
            Self.expectRule(await bad("甲", kind: "team", field: "法律", parent: association), "organisation_field_for_professional", field: "field")
            Self.expectRule(await bad("甲", kind: "team"), "organisation_team_has_parent", field: "parent")
            Self.expectRule(await bad("甲", kind: "team", parent: association, founded: "2010-01-01"), "organisation_founded_after_parent", field: "founded_on")
            Self.expectRule(await bad("甲", kind: "team", parent: association, founded: "2999-01-01"), "organisation_founded_not_future", field: "founded_on")
            Self.expectRule(await bad("甲", kind: "professional", field: "天文", parent: association), "organisation_field_known", field: "field")
            Self.expectRule(await bad("凤城市志愿者协会", kind: "team", parent: association), "organisation_name_unique", field: "name")
            Self.expectRule(await bad("乙", kind: "registered", credit: "91110000802100433B"), "organisation_credit_code_unique", field: "credit_code")
            Self.expectRule(await bad(" ", kind: "team", parent: association), "organisation_name_present", field: "name")
            Self.expectRule(await Self.refusal(db, "UPDATE organisation SET name = '改名' WHERE id = \(association)"), "organisation_fixed", field: "organisation")
            #expect(await Self.refusal(db, "DELETE FROM organisation WHERE id = \(association)")?.constraint == "organisation_history_fixed")
            #expect(try await Self.count(db, "organisation") == 1)

            let medical = try await Self.organisation(db, name: "医疗卫生志愿服务队", kind: "professional", field: "医疗卫生", credit: nil, parent: association, founded: "2016-01-01")
            try await db.execute("INSERT INTO organisation_status (organisation_id, status, effective_on) VALUES (\(medical), 'suspended', '2020-01-01')")
            Self.expectRule(await Self.refusal(db, "INSERT INTO organisation_status (organisation_id, status, effective_on) VALUES (\(medical), 'active', '2015-12-31')"),
                            "organisation_status_after_founding", field: "on")
            try await db.execute("INSERT INTO organisation_status (organisation_id, status, effective_on) VALUES (\(medical), 'dissolved', '2021-01-01')")
            Self.expectRule(await Self.refusal(db, "INSERT INTO organisation_status (organisation_id, status, effective_on) VALUES (\(medical), 'active', '2022-01-01')"),
                            "organisation_status_dissolved_final", field: "on")
            #expect(await Self.refusal(db, "INSERT INTO organisation_status (organisation_id, status, effective_on) VALUES (\(medical), 'closed', '2020-06-01')")?.constraint
                    == "organisation_status_known")
            #expect(await Self.refusal(db, "UPDATE organisation_status SET status = 'active'")?.constraint == "organisation_status_history_fixed")
            let standing = try await db.query("""
                SELECT vl_organisation_status_on(\(medical), '2015-06-01'), vl_organisation_status_on(\(medical), '2019-12-31'),
                       vl_organisation_status_on(\(medical), '2020-01-01'), vl_organisation_status_on(\(medical), '2021-06-01')
                """).single()
            #expect(try (0..<4).map { try standing.decode($0, as: String.self) } == ["not_founded", "active", "suspended", "dissolved"])
            #expect(try await Self.count(db, "organisation_status") == 2)
            await db.close()
        }
    }

    @Test func membershipsFollowEachOtherAndAreKeptAsRecorded() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let volunteer = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            let association = try await Self.organisation(db)
            let team = try await Self.organisation(db, name: "环保志愿服务队", kind: "professional", field: "环保", credit: nil, parent: association, founded: "2016-01-01")
            func join(_ organisation: Int64, _ on: String) async -> PostgresError? {
                await Self.refusal(db, "INSERT INTO organisation_membership (organisation_id, volunteer_id, joined_on) VALUES (\(organisation), \(volunteer.id), \(on)::date)")
            }
            func leave(_ organisation: Int64, _ on: String) async -> PostgresError? {
                await Self.refusal(db, """
                    INSERT INTO organisation_leave (membership_id, left_on)
                    SELECT max(id), \(on)::date FROM organisation_membership WHERE organisation_id = \(organisation) AND volunteer_id = \(volunteer.id)
                    """)
            }
            Self.expectRule(await join(association, "2018-12-31"), "organisation_membership_registered", field: "on")
            #expect(await join(association, "2019-02-01") == nil)
            #expect(await join(team, "2019-03-01") == nil, "several organisations at once")
            Self.expectRule(await join(association, "2019-04-01"), "organisation_membership_no_overlap", field: "on")
            Self.expectRule(await leave(association, "2019-02-01"), "organisation_leave_after_join", field: "on")
            #expect(await leave(association, "2019-06-01") == nil)
            Self.expectRule(await join(association, "2019-05-31"), "organisation_membership_no_overlap", field: "on")
            #expect(await join(association, "2019-06-01") == nil, "a new period from the day the last ended")
            #expect(await Self.refusal(db, "UPDATE organisation_leave SET left_on = '2019-07-01'")?.constraint == "organisation_leave_history_fixed")
            #expect(await Self.refusal(db, "DELETE FROM organisation_membership")?.constraint == "organisation_membership_history_fixed")
            try await db.execute("INSERT INTO organisation_status (organisation_id, status, effective_on) VALUES (\(team), 'suspended', '2019-04-01')")
            #expect(await leave(team, "2019-05-01") == nil)
            Self.expectRule(await join(team, "2019-07-01"), "organisation_membership_active", field: "on")
            #expect(try await Self.count(db, "organisation_membership") == 3)
            #expect(try await Self.count(db, "organisation_leave") == 2)

            // The services say the same, with the field named before the database is asked.
            try await db.withIsolated { tx in
                #expect(throws: RuleViolation(field: "org", value: "无此组织", code: "no_such_organisation")) {
                    try Organisations.join("无此组织", volunteer: volunteer.number, on: "2019-08-01", on: tx)
                }
                #expect(throws: RuleViolation(field: "volunteer", value: volunteer.number, code: "organisation_not_member")) {
                    try Organisations.leave("环保志愿服务队", volunteer: volunteer.number, on: "2019-08-01", on: tx)
                }
                #expect(throws: RuleViolation(field: "kind", value: "club", code: "organisation_kind_known")) {
                    try Organisations.add(NewOrganisation(name: "丙", kind: "club", district: "210682001", foundedOn: "2019-01-01"), on: tx)
                }
                #expect(throws: RuleViolation(field: "credit_code", value: "91110000802100433B", code: "organisation_credit_code_unique")) {
                    try Organisations.add(NewOrganisation(name: "丙", kind: "registered", creditCode: "91110000802100433b", district: "210682001", foundedOn: "2019-01-01"), on: tx)
                }
                let shown = try Organisations.show("凤城市志愿者协会", on: tx)
                #expect(shown.members.map { "\($0.joinedOn)-\($0.leftOn?.description ?? "")" } == ["2019-02-01-2019-06-01", "2019-06-01-"])
                #expect(shown.organisation.members == 1)
            }
            await db.close()
        }
    }
}
