import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// The audit trail: every change recorded with who and when, personal data masked, one chain
/// link per statement, nothing changeable by the roles, and a rewritten history detected.
struct AuditTrailTests {
    static func verify(_ database: TestDatabase) async throws -> AuditTrail.Verification {
        let conn = try await database.connect()
        let result = try await conn.transaction(isolation: .repeatableRead, readOnly: true) { db in try AuditTrail.verify(on: db) }
        await conn.close()
        return result
    }

    @Test func everyChangeIsRecordedWithTheRealLoginAndPersonalDataMasked() async throws {
        try await TestDatabase.with { database in
            let (volunteerA, _) = try await SecurityRolesTests.seed(database)
            try await TestLogins.with(database) { logins in
                let staff = try await logins.login("staff", district: SecurityRolesTests.districtA)
                let conn = try await logins.connect(as: staff)
                try await conn.execute("UPDATE volunteer SET phone = '13911112222' WHERE id = \(volunteerA)")
                try await conn.execute("INSERT INTO volunteer_deregistration (volunteer_id, effective_on, reason) VALUES (\(volunteerA), '2020-01-01', '搬离本市')")
                // History rows cannot be deleted (0010_registry_rules.sql): the refused DELETE writes nothing.
                await #expect(throws: PostgresError.self) {
                    try await conn.execute("DELETE FROM volunteer_deregistration WHERE volunteer_id = \(volunteerA)")
                }
                await conn.close()

                let admin = try await database.connect()
                let rows = try await admin.query("""
                    SELECT table_name, operation, session_login, current_login, row_key::text, old_row::text, new_row::text
                    FROM audit_trail WHERE session_login = \(staff) ORDER BY link_id, ordinal
                    """)
                #expect(rows.map { "\(try! $0.decode(0, as: String.self)) \(try! $0.decode(1, as: String.self))" }
                        == ["volunteer_correction INSERT", "volunteer UPDATE", "volunteer_deregistration INSERT"])
                #expect(rows.allSatisfy { (try? $0.decode(3, as: String.self)) == staff })
                // The phone correction kept by the registry's trigger is itself audited, first.
                #expect(try rows[0].decode(6, as: String.self).contains("\"field\":\"phone\""))
                let update = rows[1]
                #expect(try update.decode(4, as: String.self) == "[\(volunteerA)]")
                let old = try update.decode(5, as: String.self)
                let new = try update.decode(6, as: String.self)
                #expect(old.contains("\"phone\": \"138****5670\"") && new.contains("\"phone\": \"139****2222\""))
                #expect(new.contains("\"id_number\": \"\(Masking.idNumber(TestIDNumber.make(sequence: 1)))\""))
                #expect(try rows[2].decode(6, as: String.self).contains("搬离本市"))
                // No full ID number or phone anywhere in the trail, from any table.
                let leaks = try await admin.query("""
                    SELECT count(*) FROM audit_log
                    WHERE concat(old_row::text, new_row::text) LIKE ANY (\([TestIDNumber.make(sequence: 1), TestIDNumber.make(sequence: 2), "13911112222", "13812345670"].map { "%\($0)%" }))
                    """).single().decode(0, as: Int64.self)
                #expect(leaks == 0)
                await admin.close()
                #expect(try await Self.verify(database).intact)
            }
        }
    }

    @Test func aStatementIsOneLinkCoveringAllItsRows() async throws {
        try await TestDatabase.with { database in
            let conn = try await database.connect()
            let before = try await Self.verify(database)
            let inserted = try await conn.execute("""
                INSERT INTO district (code, name) SELECT '210682' || lpad(g::text, 3, '0'), '街道' || g FROM generate_series(1, 500) g
                """)
            #expect(inserted == 500)
            try await conn.execute("UPDATE district SET built_up = true WHERE code < '210682100'")
            try await conn.execute("UPDATE district SET name = name WHERE false")  // changes nothing: no link
            let links = try await conn.query("""
                SELECT operation, row_count FROM audit_chain WHERE table_name = 'district' ORDER BY id
                """).map { "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: Int64.self))" }
            #expect(links == ["INSERT 500", "UPDATE 99"])
            // TRUNCATE has no rows to list, but leaves a link saying it happened and who did it.
            try await conn.execute("TRUNCATE population_revision")
            let truncated = try await conn.query("SELECT operation, row_count, session_login FROM audit_chain ORDER BY id DESC LIMIT 1").single()
            #expect(try truncated.decode(0, as: String.self) == "TRUNCATE" && truncated.decode(1, as: Int64.self) == 0)
            let pairs = try await conn.query("""
                SELECT count(*) FROM audit_trail WHERE table_name = 'district' AND operation = 'UPDATE'
                  AND old_row->>'built_up' = 'false' AND new_row->>'built_up' = 'true' AND old_row->>'code' = new_row->>'code'
                """).single().decode(0, as: Int64.self)
            #expect(pairs == 99, "old and new of each row are paired by primary key")
            await conn.close()
            let after = try await Self.verify(database)
            // The UPDATE of built_up also wrote the 99 changes of the flag's history (0071), as one statement.
            #expect(after.intact && after.links == before.links + 4 && after.rows == before.rows + 698)
        }
    }

    @Test func concurrentWritersKeepOneUnbrokenChain() async throws {
        try await TestDatabase.with { database in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        let conn = try await database.connect()
                        for step in 0..<15 {
                            try await conn.transaction { db in
                                try db.execute("INSERT INTO district (code, name) VALUES (\(String(format: "21068%d%03d", writer + 1, step)), 'w')")
                                try db.execute("UPDATE district SET built_up = true WHERE code = \(String(format: "21068%d%03d", writer + 1, step))")
                            }
                        }
                        await conn.close()
                    }
                }
                try await group.waitForAll()
            }
            let result = try await Self.verify(database)
            #expect(result.intact, "\(result.problem ?? "")")
            let conn = try await database.connect()
            let gapless = try await conn.query("SELECT max(id) = count(*) FROM audit_chain").single().decode(0, as: Bool.self)
            #expect(gapless)
            await conn.close()
        }
    }

    @Test func noRoleCanChangeOrDeleteAuditRowsAndTheOwnerIsStoppedToo() async throws {
        try await TestDatabase.with { database in
            _ = try await SecurityRolesTests.seed(database)
            let before = try await Self.verify(database)
            try await TestLogins.with(database) { logins in
                for role in ["admin", "office", "organiser", "staff"] {
                    let login = try await logins.login(role, district: role == "staff" ? SecurityRolesTests.districtA : nil)
                    let conn = try await logins.connect(as: login)
                    let statements: [SQL] = [
                        "DELETE FROM audit_log", "UPDATE audit_log SET new_row = '{}'", "TRUNCATE audit_log",
                        "DELETE FROM audit_chain WHERE id = 1", "UPDATE audit_chain SET hash = 'x'", "TRUNCATE audit_chain",
                        "INSERT INTO audit_chain SELECT * FROM audit_chain WHERE id = 1",
                        "INSERT INTO audit_log (link_id, ordinal) VALUES (999999, 1)",
                        "SELECT vl_audit_close_link(999999, 'x', 'district', 'INSERT', 0, 'x', 'x')",
                    ]
                    for statement in statements {
                        let refused = await #expect(throws: PostgresError.self, "\(role): \(statement)") { try await conn.execute(statement) }
                        #expect(refused?.sqlState == .insufficientPrivilege, "\(role): \(statement)")
                    }
                    await conn.close()
                }
            }
            // The owner (here the superuser) is stopped by the trigger.
            let owner = try await database.connect()
            for statement: SQL in ["DELETE FROM audit_log", "UPDATE audit_chain SET hash = 'x'", "TRUNCATE audit_chain"] {
                let refused = await #expect(throws: PostgresError.self) { try await owner.execute(statement) }
                #expect(refused?.message.hasPrefix("the audit trail cannot be changed or deleted") == true)
            }
            await owner.close()
            let after = try await Self.verify(database)
            #expect(after.intact && after.rows >= before.rows)
        }
    }

    @Test func verifyDetectsARowChangedBehindItsBack() async throws {
        try await TestDatabase.with { database in
            let (volunteerA, _) = try await SecurityRolesTests.seed(database)
            let conn = try await database.connect()
            try await conn.execute("UPDATE volunteer SET name = '改名' WHERE id = \(volunteerA)")
            try await conn.execute("INSERT INTO district (code, name) VALUES ('210682009', '后来')")
            #expect(try await Self.verify(database).intact)
            let target = try await conn.query("SELECT id FROM audit_chain WHERE table_name = 'volunteer' AND operation = 'UPDATE'").single().decode(0, as: Int64.self)

            // An audit row rewritten (protection trigger disabled for that statement, as only a superuser can).
            try await conn.transaction { db in
                try db.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_refuse_change")
                try db.execute("UPDATE audit_log SET new_row = replace(new_row::text, '改名', '原名')::json WHERE link_id = \(target)")
                try db.execute("ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_refuse_change")
            }
            let result = try await Self.verify(database)
            #expect(!result.intact)
            #expect(result.brokenLink == target)
            #expect(result.problem?.hasPrefix("its audit rows were changed (UPDATE volunteer by") == true)

            await conn.close()
        }
    }

    @Test func verifyDetectsARewrittenLinkARemovedLinkAndForgedRows() async throws {
        try await TestDatabase.with { database in
            _ = try await SecurityRolesTests.seed(database)
            let conn = try await database.connect()
            try await conn.execute("INSERT INTO district (code, name) VALUES ('210682009', '后来')")
            let links = try await conn.query("SELECT max(id) FROM audit_chain").single().decode(0, as: Int64.self)
            let middle = links - 1

            // Each tampering is made and verified inside one transaction, then rolled back.
            func tampered(_ statements: [SQL]) async throws -> AuditTrail.Verification {
                try await conn.withIsolated { db in
                    try db.execute("BEGIN")
                    defer { _ = try? db.execute("ROLLBACK") }
                    try db.execute("ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_refuse_change")
                    for statement in statements { try db.execute(statement) }
                    return try AuditTrail.verify(on: db)
                }
            }
            // Who did it, changed.
            var result = try await tampered(["UPDATE audit_chain SET session_login = 'someone_else' WHERE id = \(middle)"])
            #expect(result.brokenLink == middle && result.problem?.contains("does not match its hash") == true)
            // Rewritten with a recomputed hash: the next link no longer follows.
            result = try await tampered(["""
                UPDATE audit_chain SET session_login = 'someone_else',
                    hash = vl_audit_link_hash(previous_hash, id, table_name, operation, row_count, 'someone_else', current_login, transaction_id, recorded_at, rows_digest)
                WHERE id = \(middle)
                """])
            #expect(result.brokenLink == links && result.problem == "its previous_hash is not the hash of the link before")
            // A link removed.
            result = try await tampered(["DELETE FROM audit_chain WHERE id = \(middle)"])
            #expect(result.brokenLink == middle)
            #expect(try await Self.verify(database).intact, "every tampering above was rolled back")
            await conn.close()
        }
    }

    @Test func textWithSQLInItIsStoredAsTextAndChangesNothingElse() async throws {
        try await TestDatabase.with { database in
            _ = try await SecurityRolesTests.seed(database)
            try await TestLogins.with(database) { logins in
                let nasty = [
                    "Robert'); DROP TABLE volunteer; --",
                    "'; DELETE FROM audit_log; SELECT '",
                    "\"; ALTER TABLE volunteer DISABLE ROW LEVEL SECURITY; --",
                    "$$; DROP FUNCTION vl_audit_verify(); $$",
                    "x\\\\'; TRUNCATE audit_chain; --",
                ]
                let staff = try await logins.login("staff", district: SecurityRolesTests.districtA)
                let conn = try await logins.connect(as: staff)
                _ = try await conn.query("SELECT vl_registration_check(\(nasty.indices.map { TestIDNumber.make(sequence: 100 + $0) })::text[])")
                var ids: [Int64] = []
                for (index, text) in nasty.enumerated() {
                    let id = try await conn.transaction { db in
                        let id = try db.query("""
                            INSERT INTO volunteer (name, id_number, phone, registered_on) VALUES (\(text), \(TestIDNumber.make(sequence: 100 + index)), '13700000100', '2019-01-01')
                            RETURNING id
                            """).single().decode(0, as: Int64.self)
                        try db.execute("INSERT INTO volunteer_district (volunteer_id, district_code, effective_from) VALUES (\(id), \(SecurityRolesTests.districtA), '2019-01-01')")
                        try db.execute("INSERT INTO volunteer_deregistration (volunteer_id, effective_on, reason) VALUES (\(id), '2020-01-01', \(text))")
                        return id
                    }
                    ids.append(id)
                }
                // The same text as CSV cells through COPY (the path the imports take).
                try await conn.withIsolated { db in
                    try db.execute("CREATE TEMP TABLE cells (name text, reason text)")
                    try db.copyIn("COPY cells (name, reason) FROM STDIN") { writer in
                        for text in nasty { try writer.write([text, text]) }
                    }
                    let back = try db.query("SELECT count(*) FROM cells WHERE name = reason AND name = ANY (\(nasty))").single().decode(0, as: Int64.self)
                    #expect(back == Int64(nasty.count))
                }
                let organiser = try await logins.login("organiser")
                let asOrganiser = try await logins.connect(as: organiser)
                for text in nasty {
                    try await asOrganiser.execute("""
                        INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                        VALUES (\(text), \(SecurityRolesTests.districtA), \(text), '2019-05-01 08:00+08', '2019-05-01 09:00+08')
                        """)
                }
                await asOrganiser.close()
                let stored = try await conn.query("""
                    SELECT v.name, d.reason FROM volunteer v JOIN volunteer_deregistration d ON d.volunteer_id = v.id
                    WHERE v.id = ANY (\(ids)) ORDER BY v.id
                    """).map { [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)] }
                #expect(stored == nasty.map { [$0, $0] })
                await conn.close()
                let admin = try await database.connect()
                #expect(try await admin.query("SELECT count(*) FROM volunteer").single().decode(0, as: Int64.self) == 2 + Int64(nasty.count))
                #expect(try await admin.query("SELECT count(*) FROM activity WHERE title = ANY (\(nasty))").single().decode(0, as: Int64.self) == Int64(nasty.count))
                #expect(try await admin.query("SELECT relrowsecurity FROM pg_class WHERE oid = 'volunteer'::regclass").single().decode(0, as: Bool.self))
                #expect(try await admin.query("SELECT to_regprocedure('vl_audit_verify()') IS NOT NULL").single().decode(0, as: Bool.self))
                await admin.close()
                let result = try await Self.verify(database)
                #expect(result.intact)
            }
        }
    }
}
