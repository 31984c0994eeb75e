import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// What each role may and may not do, tried with plain SQL as that role's login: the database
/// refuses, not only the CLI.
struct SecurityRolesTests {
    static let districtA = "210682001"
    static let districtB = "210682002"

    /// Two districts, a volunteer in each, written by the superuser.
    static func seed(_ database: TestDatabase) async throws -> (volunteerA: Int64, volunteerB: Int64) {
        let admin = try await database.connect()
        let ids = try await admin.transaction { db in
            try db.execute("INSERT INTO district (code, name, built_up) VALUES (\(districtA), '凤凰城街道', true), (\(districtB), '汤山城街道', true)")
            var ids: [Int64] = []
            for (index, district) in [districtA, districtB].enumerated() {
                let id = try db.query("""
                    INSERT INTO volunteer (name, id_number, phone, registered_on)
                    VALUES (\("志愿者\(index)"), \(TestIDNumber.make(sequence: index + 1)), \("1381234567\(index)"), '2019-01-01')
                    RETURNING id
                    """).single().decode(0, as: Int64.self)
                try db.execute("INSERT INTO volunteer_district (volunteer_id, district_code, effective_from) VALUES (\(id), \(district), '2019-01-01')")
                ids.append(id)
            }
            return (ids[0], ids[1])
        }
        await admin.close()
        return ids
    }

    static func count(_ database: TestDatabase, _ sql: SQL) async throws -> Int64 {
        let admin = try await database.connect()
        let value = try await admin.query(sql).single().decode(0, as: Int64.self)
        await admin.close()
        return value
    }

    @Test func staffSeeAndChangeOnlyTheVolunteersOfTheirDistrict() async throws {
        try await TestDatabase.with { database in
            let (volunteerA, volunteerB) = try await Self.seed(database)
            try await TestLogins.with(database) { logins in
                let staff = try await logins.login("staff", district: Self.districtA)
                let conn = try await logins.connect(as: staff)
                let seen = try await conn.query("SELECT id, id_number, phone FROM volunteer ORDER BY id")
                #expect(seen.map { try! $0.decode(0, as: Int64.self) } == [volunteerA])
                #expect(try seen.single().decode(1, as: String.self) == TestIDNumber.make(sequence: 1), "staff read their own district's ID numbers in full")

                // Another district's volunteer is invisible, so an UPDATE finds nothing to change.
                let changed = try await conn.execute("UPDATE volunteer SET phone = '13900000000' WHERE id = \(volunteerB)")
                #expect(changed == 0)
                #expect(try await Self.count(database, "SELECT count(*) FROM volunteer WHERE phone = '13900000000'") == 0)

                let move = await #expect(throws: PostgresError.self) {
                    try await conn.execute("INSERT INTO volunteer_district (volunteer_id, district_code, effective_from) VALUES (\(volunteerB), \(Self.districtA), '2020-01-01')")
                }
                #expect(move?.sqlState == .insufficientPrivilege)
                #expect(move?.message.contains("is not of your district \(Self.districtA)") == true)
                let leave = await #expect(throws: PostgresError.self) {
                    try await conn.execute("INSERT INTO volunteer_deregistration (volunteer_id, effective_on, reason) VALUES (\(volunteerB), '2020-01-01', 'moved away')")
                }
                #expect(leave?.message.contains("staff change only the volunteers of their own district") == true)

                // Registering into another district is refused at its first district row (the ID
                // numbers checked first, as every registration by staff must be: 0250).
                _ = try await conn.query("SELECT vl_registration_check(ARRAY[\(TestIDNumber.make(sequence: 7)), \(TestIDNumber.make(sequence: 8))])")
                let register = await #expect(throws: PostgresError.self) {
                    try await conn.transaction { db in
                        let id = try db.query("""
                            INSERT INTO volunteer (name, id_number, phone, registered_on)
                            VALUES ('王五', \(TestIDNumber.make(sequence: 7)), '13700000007', '2019-03-01') RETURNING id
                            """).single().decode(0, as: Int64.self)
                        try db.execute("INSERT INTO volunteer_district (volunteer_id, district_code, effective_from) VALUES (\(id), \(Self.districtB), '2019-03-01')")
                    }
                }
                #expect(register?.message.contains("register volunteers only into their own district") == true)
                #expect(try await Self.count(database, "SELECT count(*) FROM volunteer") == 2)
                #expect(try await Self.count(database, "SELECT count(*) FROM volunteer_district") == 2)
                #expect(try await Self.count(database, "SELECT count(*) FROM volunteer_deregistration") == 0)

                // Their own district: register, move out, and then the volunteer is no longer theirs.
                try await conn.transaction { db in
                    let id = try db.query("""
                        INSERT INTO volunteer (name, id_number, phone, registered_on)
                        VALUES ('赵六', \(TestIDNumber.make(sequence: 8)), '13700000008', '2019-03-01') RETURNING id
                        """).single().decode(0, as: Int64.self)
                    try db.execute("INSERT INTO volunteer_district (volunteer_id, district_code, effective_from) VALUES (\(id), \(Self.districtA), '2019-03-01')")
                }
                try await conn.execute("INSERT INTO volunteer_district (volunteer_id, district_code, effective_from) VALUES (\(volunteerA), \(Self.districtB), '2020-06-01')")
                #expect(try await conn.query("SELECT count(*) FROM volunteer").single().decode(0, as: Int64.self) == 1)
                await conn.close()
            }
        }
    }

    @Test func organisersRecordAndDecideOnlyOnTheirActivitiesAndNeverApproveThemselves() async throws {
        try await TestDatabase.with { database in
            let (volunteerA, _) = try await Self.seed(database)
            try await TestLogins.with(database) { logins in
                let alice = try await logins.login("organiser")
                let bob = try await logins.login("organiser")
                let admin = try await logins.login("admin")
                let asAlice = try await logins.connect(as: alice)
                let asBob = try await logins.connect(as: bob)
                let asAdmin = try await logins.connect(as: admin)
                let bobsActivity = try await asBob.query("""
                    INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                    VALUES ('河道清理', \(Self.districtA), '鲍勃', '2019-05-01 08:00+08', '2019-05-01 12:00+08') RETURNING id
                    """).single().decode(0, as: Int64.self)
                let alicesActivity = try await asAlice.query("""
                    INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                    VALUES ('敬老院', \(Self.districtA), '爱丽丝', date_trunc('hour', now()) - interval '2 days',
                            date_trunc('hour', now()) - interval '2 days' + interval '4 hours') RETURNING id
                    """).single().decode(0, as: Int64.self)

                let foreign = await #expect(throws: PostgresError.self) {
                    try await asAlice.execute("""
                        INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes)
                        VALUES (\(volunteerA), \(bobsActivity), '2019-05-01 08:00+08', 60)
                        """)
                }
                #expect(foreign?.sqlState == .insufficientPrivilege)
                #expect(foreign?.message == "activity \(bobsActivity) is not one of your activities: organisers record hours only on their own activities")
                let spoofed = await #expect(throws: PostgresError.self) {
                    try await asAlice.execute("""
                        INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, recorded_by)
                        SELECT \(volunteerA), id, starts_at, 60, \(bob) FROM activity WHERE id = \(alicesActivity)
                        """)
                }
                #expect(spoofed?.message == "recorded_by must be your own login \(alice), not \"\(bob)\"")
                let changedOwner = await #expect(throws: PostgresError.self) {
                    try await asAlice.execute("UPDATE activity SET owner_login = \(alice) WHERE id = \(bobsActivity)")
                }
                #expect(changedOwner?.sqlState == .insufficientPrivilege)
                #expect(try await Self.count(database, "SELECT count(*) FROM hours_entry") == 0)

                let entry = try await asAlice.query("""
                    INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes)
                    SELECT \(volunteerA), id, starts_at, 90 FROM activity WHERE id = \(alicesActivity) RETURNING id
                    """).single().decode(0, as: Int64.self)
                let selfApproval = await #expect(throws: PostgresError.self) {
                    try await asAlice.execute("INSERT INTO hours_decision (entry_id, decision) VALUES (\(entry), 'approved')")
                }
                #expect(selfApproval?.constraint == "hours_decision_not_self_approved")
                #expect(UserMessage.line(for: selfApproval!) == "entry \(entry): you recorded it yourself, so another organiser or an admin must approve it")
                let notHis = await #expect(throws: PostgresError.self) {
                    try await asBob.execute("INSERT INTO hours_decision (entry_id, decision) VALUES (\(entry), 'approved')")
                }
                #expect(notHis?.message.contains("which is not one of your activities") == true)
                #expect(try await Self.count(database, "SELECT count(*) FROM hours_decision") == 0)

                // (Alice's activity is two days old: an entry recorded within the 10 working days is
                // the organisers' to decide; a late one would be the office's, 0161.)
                // Bob added as a second organiser of Alice's activity may approve Alice's entry.
                try await asAlice.execute("INSERT INTO activity_organiser (activity_id, login) VALUES (\(alicesActivity), \(bob))")
                try await asBob.execute("INSERT INTO hours_decision (entry_id, decision) VALUES (\(entry), 'approved')")
                #expect(try await Self.count(database, "SELECT count(*) FROM hours_decision WHERE decided_by = \(bob)") == 1)

                // An admin may approve an entry they recorded themselves (it shows in hours anomalies).
                let adminEntry = try await asAdmin.query("""
                    INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes)
                    VALUES (\(volunteerA), \(bobsActivity), '2019-05-01 08:00+08', 30) RETURNING id
                    """).single().decode(0, as: Int64.self)
                try await asAdmin.execute("INSERT INTO hours_decision (entry_id, decision) VALUES (\(adminEntry), 'approved')")
                for connection in [asAlice, asBob, asAdmin] { await connection.close() }
            }
        }
    }

    @Test func personalDataIsMaskedForTheOfficeAndOrganisersAlsoInPlainSQL() async throws {
        try await TestDatabase.with { database in
            let (volunteerA, _) = try await Self.seed(database)
            try await TestLogins.with(database) { logins in
                let fullID = TestIDNumber.make(sequence: 1)
                for role in ["office", "organiser"] {
                    let login = try await logins.login(role)
                    let conn = try await logins.connect(as: login)
                    for column in ["id_number", "phone", "guardian_phone", "birth_date", "*"] {
                        let refused = await #expect(throws: PostgresError.self, "\(role) reading \(column)") {
                            try await conn.query("SELECT \(unsafeRaw: column) FROM volunteer")
                        }
                        #expect(refused?.sqlState == .insufficientPrivilege)
                    }
                    // Nor by filtering on it, which would let them guess numbers one by one.
                    await #expect(throws: PostgresError.self) {
                        try await conn.query("SELECT id FROM volunteer WHERE id_number LIKE '2106%'")
                    }
                    let names = try await conn.query("SELECT number, name FROM volunteer ORDER BY id")
                    #expect(names.count == 2, "\(role) resolves volunteers by number and name")
                    let masked = try await conn.query("SELECT id_number, phone, birth_date FROM volunteer_masked WHERE id = \(volunteerA)").single()
                    #expect(try masked.decode(0, as: String.self) == Masking.idNumber(fullID))
                    #expect(try masked.decode(1, as: String.self) == "138****5670")
                    #expect(try masked.decode(2, as: String?.self) == nil)
                    // By ID number in two steps, counted (0090): the one-step lookup refuses it.
                    await #expect(throws: PostgresError.self) { try await conn.query("SELECT number FROM vl_volunteer_lookup(\(fullID))") }
                    let asked = try await conn.query("SELECT vl_id_lookup_request(ARRAY[\(fullID)])").single().decode(0, as: Int64.self)
                    let found = try await conn.query("SELECT number FROM vl_id_lookup_result(\(asked))").single()
                    #expect(try found.decode(0, as: String.self).hasPrefix("VL"))
                    await conn.close()
                }
                let admin = try await logins.login("admin")
                let asAdmin = try await logins.connect(as: admin)
                #expect(try await asAdmin.query("SELECT id_number FROM volunteer_masked WHERE id = \(volunteerA)").single().decode(0, as: String.self) == fullID)
                await asAdmin.close()
                let otherStaff = try await logins.login("staff", district: Self.districtB)
                let asOther = try await logins.connect(as: otherStaff)
                #expect(try await asOther.query("SELECT id_number FROM volunteer_masked WHERE id = \(volunteerA)").isEmpty)
                await asOther.close()
            }
        }
    }

    @Test func theOfficeWritesDistrictsPopulationAndSettingsOnly() async throws {
        try await TestDatabase.with { database in
            _ = try await Self.seed(database)
            try await TestLogins.with(database) { logins in
                let office = try await logins.login("office")
                let conn = try await logins.connect(as: office)
                try await conn.execute("INSERT INTO district (code, name) VALUES ('210682003', '新区')")
                try await conn.execute("INSERT INTO population_revision (district_code, year, residents) VALUES ('210682003', 2019, 12000)")
                try await conn.execute("UPDATE setting SET value = '16' WHERE name = 'minimum_age'")
                let statements: [SQL] = [
                    "INSERT INTO volunteer (name, id_number, phone, registered_on) VALUES ('x', \(TestIDNumber.make(sequence: 9)), '13700000009', '2019-01-01')",
                    "INSERT INTO activity (title, district_code, organiser, starts_at, ends_at) VALUES ('t', '210682003', 'o', '2019-05-01 08:00+08', '2019-05-01 09:00+08')",
                    "DELETE FROM district WHERE code = '210682003'",
                    "UPDATE volunteer SET name = 'y'",
                ]
                for statement in statements {
                    let refused = await #expect(throws: PostgresError.self, "\(statement)") { try await conn.execute(statement) }
                    #expect(refused?.sqlState == .insufficientPrivilege)
                    #expect(UserMessage.line(for: refused!).hasPrefix("permission denied: your database login may not do this"))
                }
                #expect(try await conn.query("SELECT count(*) FROM hours_entry_status").single().decode(0, as: Int64.self) == 0)
                await conn.close()
                #expect(try await Self.count(database, "SELECT count(*) FROM district") == 3)
                #expect(try await Self.count(database, "SELECT count(*) FROM volunteer") == 2)
                #expect(try await Self.count(database, "SELECT count(*) FROM activity") == 0)
            }
        }
    }

    @Test func loginsAreCreatedOnlyWithValidNamesAndOnlyByAdmins() async throws {
        try await TestDatabase.with { database in
            _ = try await Self.seed(database)
            try await TestLogins.with(database) { logins in
                let admin = try await logins.connect(as: try await logins.login("admin"))
                let office = try await logins.connect(as: try await logins.login("office"))
                for bad in ["Robert", "1abc", "x\"; DROP ROLE postgres; --", "a b", "x'); DROP TABLE volunteer; --", String(repeating: "a", count: 64), "pg_sneaky", "vledger_admin"] {
                    await #expect(throws: (any Error).self, "\(bad)") {
                        try await admin.transaction { db in
                            try UserAccounts.add(login: bad, role: .office, districtCode: nil, password: nil, on: db)
                        }
                    }
                    // The database refuses it too, when Swift's check is bypassed.
                    let refused = await #expect(throws: PostgresError.self) {
                        try await admin.execute("SELECT vl_user_add(\(bad), 'office', NULL, NULL)")
                    }
                    #expect(refused?.message.hasPrefix("vledger: login") == true)
                }
                let injectedDistrict = await #expect(throws: PostgresError.self) {
                    try await admin.execute("SELECT vl_user_add('t_ok_district', 'staff', '210682001''; DROP TABLE volunteer; --', NULL)")
                }
                #expect(injectedDistrict?.message.contains("no such district") == true)
                let byOffice = await #expect(throws: PostgresError.self) {
                    try await office.execute("SELECT vl_user_add('t_by_office', 'admin', NULL, NULL)")
                }
                #expect(byOffice?.sqlState == .insufficientPrivilege)
                let ownRights = await #expect(throws: PostgresError.self) {
                    try await office.execute("INSERT INTO app_user (login, role) VALUES ('t_forged', 'admin')")
                }
                #expect(ownRights?.sqlState == .insufficientPrivilege)
                #expect(try await Self.count(database, "SELECT count(*) FROM volunteer") == 2)
                #expect(try await Self.count(database, "SELECT count(*) FROM pg_roles WHERE rolname IN ('t_by_office', 't_forged', 't_ok_district')") == 0)

                let name = "t_pw_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
                await logins.adopt(name)
                try await admin.transaction { db in
                    try UserAccounts.add(login: name, role: .staff, districtCode: Self.districtA, password: "correct horse", on: db)
                }
                let stored = try await Self.text(database, "SELECT rolpassword FROM pg_authid WHERE rolname = \(name)")
                #expect(stored.hasPrefix("SCRAM-SHA-256$"), "only the hash reaches the server")
                let users = try await admin.transaction { db in try UserAccounts.list(on: db) }
                let user = try #require(users.first { $0.login == name })
                #expect(user.role == "staff" && user.districtCode == Self.districtA && user.canLogIn)
                await admin.close()
                await office.close()
            }
        }
    }

    static func text(_ database: TestDatabase, _ sql: SQL) async throws -> String {
        let admin = try await database.connect()
        let value = try await admin.query(sql).single().decode(0, as: String.self)
        await admin.close()
        return value
    }
}
