import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 11, section 3 (statements cannot be forged) and section 6 (the audit trail notices what
/// it cannot prevent), as attacks: the forging and writing attempts connect as real logins of each
/// role through plain SQL; the tampering runs as the database's owner (the test server's
/// superuser), who can switch triggers off, and must then be noticed by `statement verify` and
/// `audit verify`.
struct StatementAndAuditTamperTests {
    typealias Attack = SecurityAttackTests

    static func cli(_ arguments: [String], _ database: TestDatabase) async throws -> CLIRunner.Result {
        try await CLIRunner.run(arguments, database: database)
    }

    static func cli(_ arguments: [String], as login: String, _ logins: LoginMaker) async throws -> CLIRunner.Result {
        try await CLIRunner.run(arguments, database: nil, environment: ["VLEDGER_DATABASE_URL": try await logins.connectionString(as: login)])
    }

    static func owner(_ database: TestDatabase, _ script: String) async throws {
        let owner = try await database.connect()
        try await owner.executeScript(unsafeSQL: script)
        await owner.close()
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    // MARK: - Section 3: statements cannot be forged

    /// The issue's attack: staff insert a statement with 90,000 minutes for another district's
    /// volunteer, and `--reprint` would print it.
    @Test func staffCannotForgeAStatement() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let city = try await Attack.city(database, logins)
                let before = try await Attack.printed(database, city)
                let asStaff = try await logins.connect(as: city.staff)

                let forged = await Attack.attempt(asStaff, """
                    INSERT INTO statement_issue (number, year, sequence, volunteer_id, period_from, period_to, total_minutes,
                                                 cumulative_minutes, star_level, content, content_text, issued_by)
                    VALUES ('2026-900001', 2026, 900001, \(city.volunteerB), '2019-01-01', '2019-12-31', 90000, 90000, 5, '{}', 'FORGED', 'x')
                    """)
                #expect(forged?.message.contains("permission denied for table statement_issue") == true, "\(String(describing: forged))")
                // Nor with every column of a statement issued by the database, nor by taking a number.
                let full = await Attack.attempt(asStaff, """
                    INSERT INTO statement_issue (number, year, sequence, volunteer_id, period_from, period_to, total_minutes,
                                                 cumulative_minutes, star_level, issued_by, issued_on, volunteer_number, name, id_type,
                                                 masked_id_number, time_zone, star_thresholds_hours, activities)
                    SELECT '2026-900001', 2026, 900001, \(city.volunteerA), '2019-01-01', '2019-12-31', 90000, 90000, 5, 'x', '2026-01-01',
                           'VL00000001', 'x', 'resident_id', 'x', 'Asia/Shanghai', '{100}', '[]'
                    """)
                #expect(full?.message.contains("permission denied") == true)
                #expect(await Attack.attempt(asStaff, "INSERT INTO statement_counter (year, last_number) VALUES (2030, 1)")?.message.contains("permission denied") == true)
                // The issuing function computes from the ledger, and only for the staff's own district.
                let other = await Attack.attempt(asStaff, "SELECT vl_statement_issue(\(city.volunteerB), '2019-01-01', '2019-12-31', 'x')")
                #expect(other?.message.contains("is not of your district") == true, "\(String(describing: other))")
                // The organiser issues no statements at all.
                let asAlice = try await logins.connect(as: city.alice)
                #expect(await Attack.attempt(asAlice, "SELECT vl_statement_issue(\(city.volunteerA), NULL, NULL, NULL)")?.message.contains("permission denied") == true)
                await asAlice.close()
                await asStaff.close()

                let reprint = try await Self.cli(["statement", "--reprint", "2026-900001"], database)
                #expect(reprint.status != 0 && !reprint.stdout.contains("FORGED"))
                #expect(try await Attack.scalar(database, "SELECT count(*) FROM statement_issue") == "1")
                #expect(try await Attack.printed(database, city) == before, "figures, replays and the statement print as before")

                // Staff issue for their own volunteer through `vledger statement`, as before.
                let own = try await Self.cli(["statement", "VL00000001", "--from", "2019-01-01", "--to", "2019-12-31", "--format", "json"], as: city.staff, logins)
                #expect(own.status == 0, "\(own.stderr)")
                #expect(try Self.json(own.stdout)["approved_minutes"] as? Int == 60)
            }
        }
    }

    /// No role, and not the owner either, inserts, updates, deletes or truncates statement rows directly.
    @Test func noRoleWritesStatementRows() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let city = try await Attack.city(database, logins)
                let before = try await Attack.printed(database, city)
                let writes: [SQL] = [
                    """
                    INSERT INTO statement_issue (number, year, sequence, volunteer_id, period_from, period_to, total_minutes,
                                                 cumulative_minutes, star_level, content, content_text, issued_by)
                    VALUES ('2026-900002', 2026, 900002, \(city.volunteerA), '2019-01-01', '2019-12-31', 90000, 90000, 5, '{}', 'FORGED', 'x')
                    """,
                    "UPDATE statement_issue SET total_minutes = 90000",
                    "UPDATE statement_issue SET name = 'FORGED'",
                    "DELETE FROM statement_issue",
                    "TRUNCATE statement_issue CASCADE",
                    "UPDATE statement_counter SET last_number = 1",
                    "DELETE FROM statement_counter",
                ]
                for login in [city.staff, city.alice, city.office, city.admin] {
                    let conn = try await logins.connect(as: login)
                    for sql in writes {
                        let refused = await Attack.attempt(conn, sql)
                        #expect(refused != nil, "\(login): \(sql.description) was accepted")
                    }
                    await conn.close()
                }
                // The owner: an insert whose figures are not the ledger's is refused by the database
                // (so is one without them); updates, deletes and truncates are refused, in replica mode too.
                let owner = try await database.connect()
                var ownerWrites: [SQL] = Array(writes.prefix(5)) + [
                    """
                    INSERT INTO statement_issue (number, year, sequence, volunteer_id, period_from, period_to, total_minutes,
                                                 cumulative_minutes, star_level, issued_by, issued_on, volunteer_number, name, id_type,
                                                 masked_id_number, time_zone, star_thresholds_hours, activities)
                    SELECT '2026-900003', 2026, 900003, v.id, '2019-01-01', '2019-12-31', 90000, 90000, 5, 'x',
                           (now() AT TIME ZONE 'Asia/Shanghai')::date, v.number, v.name, v.id_type, vl_mask_id_number(v.id_number),
                           'Asia/Shanghai', '{100,300,600,1000,1500}', '[]'
                      FROM volunteer v WHERE v.id = \(city.volunteerA)
                    """,
                ]
                // …nor one with the ledger's figures but another activity title.
                ownerWrites.append("""
                    INSERT INTO statement_issue (number, year, sequence, volunteer_id, period_from, period_to, total_minutes,
                                                 cumulative_minutes, star_level, issued_by, issued_on, volunteer_number, name, id_type,
                                                 masked_id_number, time_zone, star_thresholds_hours, activities)
                    SELECT '2026-900004', extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int, 900004, v.id, s.period_from, s.period_to,
                           s.total_minutes, s.cumulative_minutes, s.star_level, 'x', (now() AT TIME ZONE 'Asia/Shanghai')::date, v.number, v.name,
                           v.id_type, vl_mask_id_number(v.id_number), 'Asia/Shanghai', '{100,300,600,1000,1500}',
                           jsonb_set(s.activities, '{0,title}', '"伪造的活动"')
                      FROM volunteer v JOIN statement_issue s ON s.volunteer_id = v.id WHERE v.id = \(city.volunteerA)
                    """)
                // …nor an exact copy of the ledger's figures under a number the counter never gave.
                ownerWrites.append("""
                    INSERT INTO statement_issue (number, year, sequence, volunteer_id, period_from, period_to, total_minutes,
                                                 cumulative_minutes, star_level, issued_by, issued_on, volunteer_number, name, id_type,
                                                 masked_id_number, time_zone, star_thresholds_hours, activities)
                    SELECT lpad(s.year::text, 4, '0') || '-900005', s.year, 900005, v.id, s.period_from, s.period_to,
                           s.total_minutes, s.cumulative_minutes, s.star_level, 'x', s.issued_on, s.volunteer_number, s.name,
                           s.id_type, s.masked_id_number, s.time_zone, s.star_thresholds_hours, s.activities
                      FROM volunteer v JOIN statement_issue s ON s.volunteer_id = v.id WHERE v.id = \(city.volunteerA)
                    """)
                for sql in ownerWrites {
                    #expect(await Attack.attempt(owner, sql) != nil, "owner: \(sql.description) was accepted")
                    let replica = await Self.attemptInReplicaMode(owner, sql)
                    #expect(replica != nil, "owner in replica mode: \(sql.description) was accepted")
                }
                await owner.close()
                #expect(try await Attack.scalar(database, "SELECT count(*) FROM statement_issue") == "1")
                #expect(try await Attack.printed(database, city) == before)
                let verified = try await Self.cli(["statement", "verify", city.statement], database)
                #expect(verified.status == 0, "\(verified.stderr)")
            }
        }
    }

    static func attemptInReplicaMode(_ conn: Connection, _ sql: SQL) async -> PostgresError? {
        await Attack.attempt(conn, with: ("session_replication_role", "replica"), sql)
    }

    /// Issued, then verified: valid, also after later records (a new approved entry in the period
    /// and an approved correction), because verify replays the moment of issue; a new statement
    /// for the same period counts the later records.
    @Test func aStatementVerifiesAsIssuedAfterLaterChanges() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let city = try await Attack.city(database, logins)
                let verified = try await Self.cli(["statement", "verify", city.statement, "--format", "json"], database)
                #expect(verified.status == 0, "\(verified.stderr)")
                let object = try Self.json(verified.stdout)
                #expect(object["valid"] as? Bool == true && object["number"] as? String == city.statement)
                #expect(object["hours"] as? Double == 1.0)
                #expect((object["period"] as? [String: Any])?["from"] as? String == "2019-01-01")
                let name = try #require(object["name"] as? String)
                #expect(name.hasSuffix("*") && !name.dropFirst().contains(where: { $0 != "*" }), "masked: \(name)")
                let text = try await Self.cli(["statement", "verify", city.statement], database)
                #expect(text.status == 0 && text.stdout.contains("\(city.statement) valid") && text.stdout.contains("1.00 hours"), "\(text.stdout)")

                // The public check, for anyone (PUBLIC may execute it): exactly these keys.
                let asAlice = try await logins.connect(as: city.alice)
                let publicCheck = try await asAlice.query("SELECT vl_statement_verify(\(city.statement))::text").single().decode(0, as: String.self)
                #expect(Set(try Self.json(publicCheck).keys) == ["valid", "number", "name", "period", "hours"])
                #expect(try Self.json(publicCheck)["valid"] as? Bool == true)

                // Later: alice records more 2019 hours for the volunteer and the office approves them
                // (recorded years after the activity, they are late entries: 0161), her pending entry
                // recorded before the statement is approved only now, and a correction of the hour the
                // statement counted is recorded and approved.
                let entry = try await asAlice.query("""
                    INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes)
                    VALUES (\(city.volunteerA), \(city.shared), '2019-05-01 10:00+08', 90) RETURNING id
                    """).single().decode(0, as: Int64.self)
                let asBob = try await logins.connect(as: city.bob)
                let asOffice = try await logins.connect(as: try await logins.login("office"))
                try await asOffice.execute("INSERT INTO hours_decision (entry_id, decision) VALUES (\(entry), 'approved')")
                try await asOffice.execute("INSERT INTO hours_decision (entry_id, decision) VALUES (\(city.alicesEntry), 'approved')")
                // …and bob corrects the hour approved before the statement down by 15 minutes, alice approves that.
                let first = try await Attack.scalar(database, "SELECT id FROM hours_entry WHERE volunteer_id = \(city.volunteerA) AND minutes = 60 AND corrects_id IS NULL")
                let correction = try await asBob.query("""
                    INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, corrects_id, reason, source)
                    VALUES (\(city.volunteerA), \(city.shared), '2019-05-01 08:00+08', -15, \(Int64(first) ?? -1), '签退时间更正', 'correction') RETURNING id
                    """).single().decode(0, as: Int64.self)
                // The correction takes minutes away from an entry recorded in time: it keeps that
                // entry's provenance, so the activity's organisers decide it, not the office.
                try await asAlice.execute("INSERT INTO hours_decision (entry_id, decision) VALUES (\(correction), 'approved')")
                await asOffice.close()
                await asBob.close()
                await asAlice.close()
                let later = try await Self.cli(["statement", "verify", city.statement], database)
                #expect(later.status == 0, "still valid after later records: \(later.stdout) \(later.stderr)")
                let reissued = try await Self.cli(["statement", "VL00000001", "--from", "2019-01-01", "--to", "2019-12-31", "--format", "json"], database)
                #expect(try Self.json(reissued.stdout)["approved_minutes"] as? Int == 165, "\(reissued.stdout)")
                let second = try #require(try Self.json(reissued.stdout)["statement_number"] as? String)
                #expect(try await Self.cli(["statement", "verify", second], database).status == 0)
                // The statement carries the head of the audit chain it was computed at.
                let head = try #require(try Self.json(reissued.stdout)["audit_head"] as? [String: Any])
                #expect(try await Attack.scalar(database, "SELECT hash FROM audit_chain WHERE id = \(head["id"] as? Int ?? -1)") == head["hash"] as? String)

                // An unknown number: not valid, exit 1, one line.
                let unknown = try await Self.cli(["statement", "verify", "2026-999999"], database)
                #expect(unknown.status != 0 && unknown.stderr.contains("no statement with this number was issued"))
                // `verify` is the subcommand, never a volunteer; without a number it says so.
                let bare = try await Self.cli(["statement", "verify"], database)
                #expect(bare.status != 0 && bare.stderr.contains("number"), "\(bare.stderr)")
            }
        }
    }

    /// The owner switches the triggers off and edits a stored statement: verify says invalid.
    @Test func aTamperedStatementIsInvalid() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let city = try await Attack.city(database, logins)
                try await Self.owner(database, """
                    ALTER TABLE statement_issue DISABLE TRIGGER ALL;
                    UPDATE statement_issue SET total_minutes = 6000, cumulative_minutes = 6000, star_level = 1 WHERE number = '\(city.statement)';
                    ALTER TABLE statement_issue ENABLE TRIGGER ALL;
                    """)
                let tampered = try await Self.cli(["statement", "verify", city.statement], database)
                #expect(tampered.status == 1, "\(tampered.stdout)")
                #expect(tampered.stdout.contains("INVALID") && tampered.stderr.contains("6000 approved minutes printed, the ledger held 60"), "\(tampered.stderr)")
                let reprint = try await Self.cli(["statement", "--reprint", city.statement], database)
                #expect(reprint.status != 0 && reprint.stdout.isEmpty && reprint.stderr.contains("it is not printed again"), "\(reprint.stderr)")
                let asStaff = try await logins.connect(as: city.staff)
                let check = try await asStaff.query("SELECT vl_statement_verify(\(city.statement))->>'valid'").single().decode(0, as: String.self)
                #expect(check == "false")
                await asStaff.close()

                // Only a printed title changed, in replica mode: the figures still add up, but the
                // row is not the one the audit trail recorded at its issue.
                try await Self.owner(database, """
                    ALTER TABLE statement_issue DISABLE TRIGGER ALL;
                    UPDATE statement_issue SET total_minutes = 60, cumulative_minutes = 60, star_level = 0 WHERE number = '\(city.statement)';
                    ALTER TABLE statement_issue ENABLE TRIGGER ALL;
                    """)
                #expect(try await Self.cli(["statement", "verify", city.statement], database).status == 0, "restored")
                try await Self.owner(database, """
                    BEGIN;
                    SET LOCAL session_replication_role = replica;
                    ALTER TABLE statement_issue DISABLE TRIGGER statement_issue_immutable;
                    UPDATE statement_issue SET activities = jsonb_set(activities, '{0,title}', '"伪造的活动"') WHERE number = '\(city.statement)';
                    ALTER TABLE statement_issue ENABLE ALWAYS TRIGGER statement_issue_immutable;
                    COMMIT;
                    """)
                let renamed = try await Self.cli(["statement", "verify", city.statement], database)
                #expect(renamed.status == 1 && renamed.stderr.contains("differs from the one the audit trail recorded"), "\(renamed.stderr)")
                let audit = try await Self.cli(["audit", "verify"], database)
                #expect(audit.status == 1 && audit.stderr.contains("statement_issue"), "\(audit.stderr)")
            }
        }
    }

    // MARK: - Section 6: the audit trail notices what it cannot prevent

    /// (a) Rows changed, added and removed with `DISABLE TRIGGER ALL` or in replica mode.
    @Test func verifyNoticesRowsWrittenAroundTheTrail() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let city = try await Attack.city(database, logins)
                #expect(try await Self.cli(["audit", "verify"], database).status == 0)
                let attacks: [(tamper: String, undo: String, table: String)] = [
                    ("ALTER TABLE hours_entry DISABLE TRIGGER ALL; UPDATE hours_entry SET minutes = 90 WHERE id = \(city.alicesEntry); ALTER TABLE hours_entry ENABLE TRIGGER ALL;",
                     "ALTER TABLE hours_entry DISABLE TRIGGER ALL; UPDATE hours_entry SET minutes = 30 WHERE id = \(city.alicesEntry); ALTER TABLE hours_entry ENABLE TRIGGER ALL;",
                     "hours_entry"),
                    ("CREATE TABLE tamper_keep AS SELECT id, phone FROM volunteer; BEGIN; SET LOCAL session_replication_role = replica; UPDATE volunteer SET phone = '13800000000' WHERE id = \(city.volunteerB); COMMIT;",
                     "BEGIN; SET LOCAL session_replication_role = replica; UPDATE volunteer v SET phone = k.phone FROM tamper_keep k WHERE k.id = v.id; COMMIT; DROP TABLE tamper_keep;",
                     "volunteer"),
                    ("BEGIN; SET LOCAL session_replication_role = replica; INSERT INTO hours_decision (entry_id, decision, decided_by, decided_at) VALUES (\(city.alicesEntry), 'approved', 'postgres', '2019-05-02 10:00+08'); COMMIT;",
                     "BEGIN; SET LOCAL session_replication_role = replica; DELETE FROM hours_decision WHERE entry_id = \(city.alicesEntry); COMMIT;",
                     "hours_decision"),
                    ("BEGIN; SET LOCAL session_replication_role = replica; DELETE FROM population_revision WHERE district_code = '\(Attack.districtB)'; COMMIT;",
                     "", "population_revision"),
                ]
                for attack in attacks {
                    try await Self.owner(database, attack.tamper)
                    let verified = try await Self.cli(["audit", "verify"], database)
                    #expect(verified.status == 1, "\(attack.tamper): \(verified.stdout)")
                    #expect(verified.stderr.contains("audit trail does not match the tables: \(attack.table) "), "\(verified.stderr)")
                    if attack.undo.isEmpty { break }
                    try await Self.owner(database, attack.undo)
                    #expect(try await Self.cli(["audit", "verify"], database).status == 0, "undone: \(attack.undo)")
                }
            }
        }
    }

    /// (b) The last links deleted with their rows (and the data they recorded): the chain alone
    /// is consistent, but an anchor filed before catches it.
    @Test func anAnchorCatchesDeletedLastLinks() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                _ = try await Attack.city(database, logins)
                try await Self.owner(database, "UPDATE setting SET value = '13' WHERE name = 'daily_hours_limit'")
                let head = try await Self.cli(["audit", "head"], database)
                #expect(head.status == 0)
                let anchor = String(try #require(head.stdout.split(separator: " ").first))
                #expect(try await Self.cli(["audit", "verify", "--anchor", anchor], database).status == 0)
                let headJSON = try Self.json(try await Self.cli(["audit", "head", "--format", "json"], database).stdout)
                #expect("\(headJSON["id"] as? Int ?? -1):\(headJSON["hash"] as? String ?? "")" == anchor)

                try await Self.owner(database, """
                    BEGIN;
                    SET LOCAL session_replication_role = replica;
                    ALTER TABLE audit_chain DISABLE TRIGGER ALL;
                    ALTER TABLE audit_log DISABLE TRIGGER ALL;
                    DELETE FROM audit_log WHERE link_id = (SELECT max(id) FROM audit_chain);
                    DELETE FROM audit_chain WHERE id = (SELECT max(id) FROM audit_chain);
                    UPDATE setting SET value = '12' WHERE name = 'daily_hours_limit';
                    ALTER TABLE audit_chain ENABLE TRIGGER ALL;
                    ALTER TABLE audit_log ENABLE TRIGGER ALL;
                    COMMIT;
                    """)
                // Without the anchor nothing shows: that is why offices file one.
                #expect(try await Self.cli(["audit", "verify"], database).status == 0)
                let anchored = try await Self.cli(["audit", "verify", "--anchor", anchor], database)
                #expect(anchored.status == 1 && anchored.stderr.contains("is not in the chain") && anchored.stderr.contains("links were deleted"), "\(anchored.stderr)")
                let bad = try await Self.cli(["audit", "verify", "--anchor", "12:xyz"], database)
                #expect(bad.status != 0 && bad.stderr.contains("must be ID:HASH"), "\(bad.stderr)")
            }
        }
    }

    /// (c) A row changed, its image in the trail changed to match, and the whole chain recomputed:
    /// the chain and the tables agree, but an anchor filed before has another hash now.
    @Test func anAnchorCatchesARecomputedChain() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let city = try await Attack.city(database, logins)
                let filed = try await Self.cli(["metrics", "--year", "2019", "--format", "json"], database)
                let head = try #require(try Self.json(filed.stdout)["audit_head"] as? [String: Any])
                let anchor = "\(head["id"] as? Int ?? -1):\(head["hash"] as? String ?? "")"
                #expect(try await Self.cli(["audit", "verify", "--anchor", anchor], database).status == 0)

                try await Self.owner(database, """
                    BEGIN;
                    SET LOCAL session_replication_role = replica;
                    ALTER TABLE audit_chain DISABLE TRIGGER ALL;
                    ALTER TABLE audit_log DISABLE TRIGGER ALL;
                    UPDATE hours_entry SET minutes = 45 WHERE id = \(city.alicesEntry);
                    UPDATE audit_log l SET new_row = (l.new_row::jsonb || '{"minutes": 45}')::json
                      FROM audit_chain c
                     WHERE c.id = l.link_id AND c.table_name = 'hours_entry' AND l.row_key = jsonb_build_array(\(city.alicesEntry)::bigint);
                    DO $$
                    DECLARE
                        r record;
                        v_previous text := repeat('0', 64);
                        v_digest text;
                    BEGIN
                        FOR r IN SELECT * FROM audit_chain ORDER BY id LOOP
                            v_digest := vl_audit_link_digest(r.id);
                            UPDATE audit_chain SET rows_digest = v_digest, previous_hash = v_previous,
                                   hash = vl_audit_link_hash(v_previous, r.id, r.table_name, r.operation, r.row_count, r.session_login,
                                                             r.current_login, r.transaction_id, r.recorded_at, v_digest)
                             WHERE id = r.id RETURNING hash INTO v_previous;
                        END LOOP;
                    END
                    $$;
                    ALTER TABLE audit_chain ENABLE TRIGGER ALL;
                    ALTER TABLE audit_log ENABLE TRIGGER ALL;
                    COMMIT;
                    """)
                #expect(try await Self.cli(["audit", "verify"], database).status == 0, "a consistent rewrite: only an anchor shows it")
                let anchored = try await Self.cli(["audit", "verify", "--anchor", anchor], database)
                #expect(anchored.status == 1 && anchored.stderr.contains("the chain was rewritten"), "\(anchored.stderr)")
            }
        }
    }

    /// Untampered data is intact, the sample city included; its figures carry the head that
    /// `audit head` prints, and that head is a good anchor.
    @Test func theSampleCityIsIntact() async throws {
        try await TestDatabase.with { database in
            let loaded = try await Self.cli(["sample", "--volunteers", "200", "--entries", "2000", "--quiet"], database)
            #expect(loaded.status == 0, "\(loaded.stderr)")
            let verified = try await Self.cli(["audit", "verify"], database)
            #expect(verified.status == 0 && verified.stdout.hasPrefix("audit trail intact: "), "\(verified.stderr)")
            let head = try await Self.cli(["audit", "head"], database)
            let anchor = String(try #require(head.stdout.split(separator: " ").first))
            let anchored = try await Self.cli(["audit", "verify", "--anchor", anchor], database)
            #expect(anchored.status == 0 && anchored.stdout.contains("anchor \(anchor.prefix(while: { $0 != ":" })) held"), "\(anchored.stdout)")
            let lastYear = try await Attack.scalar(database, "SELECT max(extract(year FROM service_start))::int FROM hours_entry")
            let metrics = try await Self.cli(["metrics", "--year", lastYear, "--format", "json"], database)
            let carried = try #require(try Self.json(metrics.stdout)["audit_head"] as? [String: Any])
            #expect("\(carried["id"] as? Int ?? -1):\(carried["hash"] as? String ?? "")" == anchor)
            // A statement issued from the sample verifies.
            let issued = try await Self.cli(["statement", "VL00000001", "--format", "json"], database)
            #expect(issued.status == 0, "\(issued.stderr)")
            let number = try #require(try Self.json(issued.stdout)["statement_number"] as? String)
            #expect(try await Self.cli(["statement", "verify", number], database).status == 0)
            #expect(try await Self.cli(["audit", "verify"], database).status == 0)
        }
    }
}
