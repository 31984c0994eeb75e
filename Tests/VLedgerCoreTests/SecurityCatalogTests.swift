import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// The schema read from the catalog, checked against decisions written down here (issue 11,
/// sections 5 and 7): no function that reads a table, runs as a trigger or with its owner's rights
/// lacks a fixed search_path, and every table is listed with its decision. A table created by a
/// later migration fails `everyTableIsListedWithItsDecision` until it has an entry below.
struct SecurityCatalogTests {
    /// What was decided for one table. `grants`: per role, the table privileges, and
    /// `columns(…)` for privileges held on some columns only; roles without any are left out.
    struct Decision: Equatable, CustomStringConvertible {
        /// off, enabled or forced, then the policy names.
        var rls: String
        /// nil: audited (vl_audit_attach); otherwise why not.
        var notAuditedBecause: String?
        /// "actor" (vl_actor_check refuses writes by anyone but a person, the service acting for
        /// one, or the owner), "actor, stamp" (who/when columns also set by the database), "none".
        var stamping: String
        var grants: String

        var description: String {
            "rls: \(rls) | audit: \(notAuditedBecause.map { "no (\($0))" } ?? "yes") | \(stamping) | \(grants)"
        }
    }

    static let readAll = "staff=SELECT; organiser=SELECT; office=SELECT"
    static let adminWrites = "admin=DELETE INSERT SELECT UPDATE"

    /// Every table of vledger's schema. Grants are the whole truth for a role: a role listed
    /// with SELECT only cannot write the table through plain SQL.
    static let decisions: [String: Decision] = [
        "activity": Decision(
            rls: "enabled: admin_all, organiser_change, organiser_create, read_all", stamping: "actor, stamp",
            grants: "staff=SELECT; organiser=INSERT SELECT columns(UPDATE); office=SELECT; \(adminWrites)"),
        "activity_organiser": Decision(
            rls: "enabled: admin_all, owner_adds, owner_removes, read_all", stamping: "actor, stamp",
            grants: "staff=SELECT; organiser=DELETE INSERT SELECT; office=SELECT; \(adminWrites)"),
        // Check-in codes (0140): the per-activity secret is read and made only by the owner-rights
        // check-in functions; no role has any grant, and the trail (read by the office and the
        // admin) must not hold it.
        "activity_checkin_secret": Decision(
            rls: "off",
            notAuditedBecause: "it holds the secret of the check-in codes; the trail is read by the office and the admin",
            stamping: "actor, stamp", grants: ""),
        // Every self check-in try (0140), written only by vl_self_checkin_attempt (owner's rights,
        // no write grant), by design by the service login acting for no person: who/when set by
        // the database, without 0070's statement check (which refuses that login).
        // Issue 16 (0160): the working-day calendar; the office and the admin keep it (insert and
        // delete, never rewritten), everybody reads it.
        "calendar_day": Decision(
            rls: "off", stamping: "actor, stamp",
            grants: "staff=SELECT; organiser=SELECT; office=DELETE INSERT SELECT; admin=DELETE INSERT SELECT"),
        "checkin_attempt": Decision(rls: "off", stamping: "stamp without actor check", grants: "office=SELECT; admin=SELECT"),
        // Written only by vl_user_add (owner's rights), so no policy: nobody has a write grant.
        "app_user": Decision(rls: "off", stamping: "actor, stamp", grants: "\(readAll); admin=SELECT"),
        "audit_chain": Decision(
            rls: "forced: audit_chain_owner_append, audit_chain_owner_read, office_read",
            notAuditedBecause: "it is the trail: links are appended by the owner-rights audit writer and never changed (refusing trigger, ENABLE ALWAYS)",
            // recorded_at is clock_timestamp() written by that writer itself; no role may insert.
            stamping: "who/when columns not stamped by vl_stamp_attach", grants: "office=SELECT; admin=SELECT"),
        "audit_log": Decision(
            rls: "forced: audit_log_owner_append, audit_log_owner_read, office_read",
            notAuditedBecause: "it is the trail: rows are appended with their link and never changed",
            stamping: "none", grants: "office=SELECT; admin=SELECT"),
        // No personal data; the office changes names and the built-up flag (history: district_built_up).
        // Issue 15 (0154): community projects, planned by district staff for their district, by
        // organisers for their organisations, by the office for any; append-only.
        "community_project": Decision(
            rls: "enabled: admin_all, office_write, organiser_write, read_all, staff_write", stamping: "actor, stamp",
            grants: "staff=INSERT SELECT; organiser=INSERT SELECT; office=INSERT SELECT; admin=INSERT SELECT"),
        "district": Decision(rls: "off", stamping: "actor, stamp", grants: "staff=SELECT; organiser=SELECT; office=INSERT SELECT UPDATE; \(adminWrites)"),
        // Written only by the trigger on district (owner's rights): nobody chooses `was` or back-dates it.
        "district_built_up": Decision(rls: "off", stamping: "actor, stamp", grants: "\(readAll); admin=SELECT"),
        // Written only by the owner-rights trigger vl_stamp_loaded during the owner's loads.
        "historic_load": Decision(rls: "off", stamping: "actor", grants: "\(readAll); admin=SELECT"),
        "hours_checkin": Decision(rls: "off", stamping: "actor, stamp", grants: "staff=SELECT; organiser=INSERT SELECT; office=SELECT; \(adminWrites)"),
        "hours_checkout": Decision(rls: "off", stamping: "actor, stamp", grants: "staff=SELECT; organiser=INSERT SELECT; office=SELECT; \(adminWrites)"),
        // Issue 16 (0161): the office decides late entries (补录) only (office_decide_late).
        "hours_decision": Decision(
            rls: "enabled: admin_all, office_decide_late, organiser_decide, read_all", stamping: "actor, stamp",
            grants: "staff=SELECT; organiser=INSERT SELECT; office=INSERT SELECT; \(adminWrites)"),
        "hours_entry": Decision(
            rls: "enabled: admin_all, organiser_record, read_all", stamping: "actor, stamp",
            grants: "staff=SELECT; organiser=INSERT SELECT; office=SELECT; \(adminWrites)"),
        // Lookups by ID number (0090), written only by vl_id_lookup_request / vl_id_lookup_result
        // (owner's rights); the office and the admin read all, others their own.
        "id_lookup": Decision(rls: "enabled: own_read, read_all", stamping: "actor, stamp", grants: "\(readAll); admin=SELECT"),
        "id_lookup_answer": Decision(
            rls: "off",
            notAuditedBecause: "each key's outcome for the asker only; its counts reach the trail through id_lookup_outcome once committed (an audited copy would show the office its own lookup's outcome before commit)",
            stamping: "actor", grants: "admin=SELECT"),
        "id_lookup_budget": Decision(
            rls: "off",
            notAuditedBecause: "a derived counter and lock (the misses of the last hour); every miss is in id_lookup_outcome",
            stamping: "actor", grants: "admin=SELECT"),
        // Registration checks (0250), written only by vl_registration_check (owner's rights).
        "registration_check": Decision(
            rls: "off",
            notAuditedBecause: "a hash of a full ID number with its mask known is as good as the number, and the office reads the trail",
            stamping: "who/when columns not stamped by vl_stamp_attach", grants: "admin=SELECT"),
        "registration_check_budget": Decision(
            rls: "off",
            notAuditedBecause: "a derived counter and lock (the login's checks); every check is in registration_check",
            stamping: "none", grants: "admin=SELECT"),
        // Issue 16 §2 (0185): derived from the ledger by owner-rights triggers for `hours anomalies`; no role writes them.
        "hours_self_approval": Decision(
            rls: "off", notAuditedBecause: "derived from audited ledger rows (entries and decisions) and rebuilt from them",
            stamping: "actor", grants: "\(readAll); admin=SELECT"),
        "hours_volunteer_day": Decision(
            rls: "off", notAuditedBecause: "derived from audited ledger rows (entries and decisions) and rebuilt from them",
            stamping: "actor", grants: "\(readAll); admin=SELECT"),
        "id_lookup_outcome": Decision(rls: "enabled: own_read, read_all", stamping: "actor, stamp", grants: "\(readAll); admin=SELECT"),
        // Kept by owner-rights triggers from the ledger; no role writes them (0072).
        // Issue 16 (0161): approved minutes by provenance, kept like the rollups above from the
        // ledger by owner-rights triggers; no role writes them.
        "metrics_provenance_month": Decision(
            rls: "off",
            notAuditedBecause: "derived from the audited ledger and rebuilt from it (vl_metrics_provenance_rebuild); a trail of it would double every approval's",
            stamping: "actor", grants: "\(readAll); admin=SELECT"),
        "metrics_provenance_year": Decision(
            rls: "off",
            notAuditedBecause: "derived from the audited ledger and rebuilt from it (vl_metrics_provenance_rebuild); a trail of it would double every approval's",
            stamping: "actor", grants: "\(readAll); admin=SELECT"),
        // Issue 14 (0262): the month-end figures per volunteer, kept from the registry and the
        // rollups by owner-rights triggers for the dashboard; no role writes them.
        "metrics_volunteer_monthend": Decision(
            rls: "off",
            notAuditedBecause: "derived from the audited registry and ledger and rebuilt from them (vl_metrics_monthend_rebuild)",
            stamping: "actor", grants: "\(readAll); admin=SELECT"),
        "metrics_volunteer_month": Decision(rls: "off", stamping: "actor", grants: "\(readAll); admin=SELECT"),
        "metrics_volunteer_year": Decision(rls: "off", stamping: "actor", grants: "\(readAll); admin=SELECT"),
        // Issue 15 (0151): kept by the office, no personal data; a row is never rewritten (its
        // standing changes by organisation_status, append-only like the other histories).
        "organisation": Decision(rls: "off", stamping: "actor, stamp", grants: "staff=SELECT; organiser=SELECT; office=INSERT SELECT; admin=INSERT SELECT"),
        "organisation_leave": Decision(
            rls: "enabled: admin_all, organiser_write, read_all, staff_write", stamping: "actor, stamp",
            grants: "staff=INSERT SELECT; organiser=INSERT SELECT; office=SELECT; admin=INSERT SELECT"),
        // Staff write memberships of their own district's volunteers, organisers of the organisations they act for.
        "organisation_membership": Decision(
            rls: "enabled: admin_all, organiser_write, read_all, staff_write", stamping: "actor, stamp",
            grants: "staff=INSERT SELECT; organiser=INSERT SELECT; office=SELECT; admin=INSERT SELECT"),
        // Which organiser logins act for an organisation: the office links and unlinks them.
        "organisation_organiser": Decision(
            rls: "off", stamping: "actor, stamp", grants: "staff=SELECT; organiser=SELECT; office=DELETE INSERT SELECT; admin=DELETE INSERT SELECT"),
        "organisation_status": Decision(rls: "off", stamping: "actor, stamp", grants: "staff=SELECT; organiser=SELECT; office=INSERT SELECT; admin=INSERT SELECT"),
        "population_revision": Decision(rls: "off", stamping: "actor, stamp", grants: "staff=SELECT; organiser=SELECT; office=INSERT SELECT UPDATE; \(adminWrites)"),
        // The migration ledger, written by the migration runner as the owner.
        // The service reads it for /healthz (0131).
        "schema_migration": Decision(rls: "off", stamping: "actor", grants: "\(readAll); admin=SELECT; service=SELECT"),
        // Issue 15 (0150): the office's catalogue of service categories; never deleted (activities file under it).
        "service_category": Decision(
            rls: "off", stamping: "actor, stamp", grants: "staff=SELECT; organiser=SELECT; office=INSERT SELECT columns(UPDATE); admin=INSERT SELECT UPDATE"),
        "setting": Decision(rls: "off", stamping: "actor, stamp", grants: "staff=SELECT; organiser=SELECT; office=INSERT SELECT UPDATE; \(adminWrites)"),
        // Statements (section 3 of issue 11, 0080): only vl_statement_issue (owner's rights) takes a
        // number and writes a statement, computed from the ledger; no role writes either table.
        "statement_counter": Decision(rls: "off", stamping: "actor", grants: "staff=SELECT; organiser=SELECT; office=SELECT; admin=SELECT"),
        "statement_issue": Decision(rls: "off", stamping: "actor, stamp", grants: "staff=SELECT; organiser=SELECT; office=SELECT; admin=SELECT"),
        // Issue 16 §4 (0180): the support-rate survey's waves, recorded by the office (a district's
        // own staff would grade itself), read by everyone (counts only); append-only.
        "survey_wave": Decision(
            rls: "enabled: admin_all, office_write, read_all", stamping: "actor, stamp",
            grants: "staff=SELECT; organiser=SELECT; office=INSERT SELECT; admin=INSERT SELECT"),
        // 0260: a wave's individual answers, written with it by the office, anonymous; append-only.
        "survey_response": Decision(
            rls: "enabled: admin_all, office_write, read_all", stamping: "actor, stamp",
            grants: "staff=SELECT; organiser=SELECT; office=INSERT SELECT; admin=INSERT SELECT"),
        // 0263: a mistaken wave withdrawn by a row of its own, by whoever may record waves; append-only.
        "survey_wave_withdrawal": Decision(
            rls: "enabled: admin_all, office_write, read_all", stamping: "actor, stamp",
            grants: "staff=SELECT; organiser=SELECT; office=INSERT SELECT; admin=INSERT SELECT"),
        // Issue 15 (0153): training, apart from service; organisers record it for the organisations
        // they act for, the office for any; append-only.
        "training_attendance": Decision(
            rls: "enabled: admin_all, office_write, organiser_write, read_all", stamping: "actor, stamp",
            grants: "staff=SELECT; organiser=INSERT SELECT; office=INSERT SELECT; admin=INSERT SELECT"),
        "training_course": Decision(
            rls: "enabled: admin_all, office_write, organiser_write, read_all", stamping: "actor, stamp",
            grants: "staff=SELECT; organiser=INSERT SELECT; office=INSERT SELECT; admin=INSERT SELECT"),
        // Sessions of `vledger serve` (0130): only through owner-rights functions (vl_session_*),
        // no grant to anyone, RLS on without a policy as a second lock.
        "web_session": Decision(
            rls: "enabled",
            notAuditedBecause: "access records, not ledger facts: frequent, and token hashes stay out of the trail; revocations keep who and when in the row",
            stamping: "actor, stamp", grants: ""),
        "volunteer": Decision(
            rls: "enabled: admin_all, read_all, staff_change, staff_read, staff_register", stamping: "actor, stamp",
            grants: "staff=INSERT SELECT columns(UPDATE); organiser=columns(SELECT); office=columns(SELECT); \(adminWrites)"),
        // Issue 14 (0262): kept like metrics_volunteer_monthend.
        "volunteer_stretch": Decision(
            rls: "off",
            notAuditedBecause: "derived from the audited registry (registrations, moves, deregistrations) and rebuilt from it (vl_metrics_monthend_rebuild)",
            stamping: "actor", grants: "\(readAll); admin=SELECT"),
        // Written by the trigger on volunteer in the corrector's name; phones masked in it.
        "volunteer_correction": Decision(rls: "off", stamping: "actor, stamp", grants: "staff=INSERT SELECT; organiser=SELECT; office=SELECT; \(adminWrites)"),
        "volunteer_deregistration": Decision(
            rls: "enabled: admin_all, read_all, staff_change, staff_read, staff_remove, staff_write", stamping: "actor, stamp",
            grants: "staff=DELETE INSERT SELECT columns(UPDATE); organiser=SELECT; office=SELECT; \(adminWrites)"),
        "volunteer_district": Decision(
            rls: "enabled: admin_all, read_all, staff_change, staff_read, staff_write", stamping: "actor, stamp",
            grants: "staff=INSERT SELECT columns(UPDATE); organiser=SELECT; office=SELECT; \(adminWrites)"),
        // Issue 16 §3 (0170): awards and evaluations, written by the staff of the volunteer's district,
        // the office and admins (not organisers); everyone reads them; append-only.
        "volunteer_award": Decision(
            rls: "enabled: admin_all, office_write, read_all, staff_write", stamping: "actor, stamp",
            grants: "staff=INSERT SELECT; organiser=SELECT; office=INSERT SELECT; admin=INSERT SELECT"),
        "volunteer_evaluation": Decision(
            rls: "enabled: admin_all, office_write, read_all, staff_write", stamping: "actor, stamp",
            grants: "staff=INSERT SELECT; organiser=SELECT; office=INSERT SELECT; admin=INSERT SELECT"),
        // 0263: withdrawals of mistaken awards and evaluations, by whoever may record them; append-only.
        "volunteer_award_withdrawal": Decision(
            rls: "enabled: admin_all, office_write, read_all, staff_write", stamping: "actor, stamp",
            grants: "staff=INSERT SELECT; organiser=SELECT; office=INSERT SELECT; admin=INSERT SELECT"),
        "volunteer_evaluation_withdrawal": Decision(
            rls: "enabled: admin_all, office_write, read_all, staff_write", stamping: "actor, stamp",
            grants: "staff=INSERT SELECT; organiser=SELECT; office=INSERT SELECT; admin=INSERT SELECT"),
        // Issue 15 (0152): political affiliation is personal: staff of the volunteer's district write
        // and read, the office reads for figures, organisers not at all; append-only.
        "volunteer_party_status": Decision(
            rls: "enabled: admin_all, office_read, staff_read, staff_write", stamping: "actor, stamp",
            grants: "staff=INSERT SELECT; office=SELECT; admin=INSERT SELECT"),
    ]

    /// The decision as the catalog of a migrated database says it is, for every table.
    static func catalog(_ db: Connection) async throws -> [String: Decision] {
        let rows = try await db.query("""
            SELECT c.relname::text,
                   CASE WHEN NOT c.relrowsecurity THEN 'off' WHEN c.relforcerowsecurity THEN 'forced' ELSE 'enabled' END
                     || coalesce(': ' || (SELECT string_agg(p.polname, ', ' ORDER BY p.polname) FROM pg_policy p WHERE p.polrelid = c.oid), ''),
                   EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'zz_vl_audit_insert')
                     AND EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'zz_vl_audit_update')
                     AND EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'zz_vl_audit_delete')
                     AND EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'zz_vl_audit_truncate'),
                   EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = '_vl_actor'),
                   EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = '_vl_stamp'),
                   EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                             AND a.attname = ANY (vl_stamp_actor_columns() || vl_stamp_time_columns())),
                   coalesce((SELECT string_agg(g.role || '=' || g.privs, '; ' ORDER BY g.ord) FROM (
                       SELECT r.ord, r.role,
                              concat_ws(' ', (SELECT string_agg(a.privilege_type, ' ' ORDER BY a.privilege_type) FROM aclexplode(c.relacl) a WHERE a.grantee = r.oid),
                                        (SELECT 'columns(' || string_agg(DISTINCT x.privilege_type, ' ') || ')'
                                           FROM pg_attribute att CROSS JOIN LATERAL aclexplode(att.attacl) x
                                          WHERE att.attrelid = c.oid AND x.grantee = r.oid)) AS privs
                         FROM (VALUES (1, 'staff', 'vledger_staff'), (2, 'organiser', 'vledger_organiser'), (3, 'office', 'vledger_office'),
                                      (4, 'admin', 'vledger_admin'), (5, 'service', 'vledger_service'), (6, 'public', NULL)) AS v(ord, role, rolname)
                         CROSS JOIN LATERAL (SELECT v.ord, v.role, coalesce((SELECT oid FROM pg_roles WHERE rolname = v.rolname), 0::oid) AS oid) r
                   ) g WHERE g.privs <> ''), '')
              FROM pg_class c
             WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
             ORDER BY c.relname
            """)
        var found: [String: Decision] = [:]
        for row in rows {
            let name: String = try row.decode(0)
            let audited: Bool = try row.decode(2)
            let actor: Bool = try row.decode(3)
            let stamp: Bool = try row.decode(4)
            let stampColumns: Bool = try row.decode(5)
            // A table with who/when columns and no stamp trigger is a decision nobody may make.
            let stamping = stamp ? (actor ? "actor, stamp" : "stamp without actor check")
                : stampColumns ? "who/when columns not stamped by vl_stamp_attach" : actor ? "actor" : "none"
            found[name] = Decision(
                rls: try row.decode(1),
                notAuditedBecause: audited ? nil : (decisions[name]?.notAuditedBecause ?? "NOT AUDITED, no reason given"),
                stamping: stamping, grants: try row.decode(6))
        }
        return found
    }

    @Test func everyTableIsListedWithItsDecision() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let found = try await Self.catalog(db)
            await db.close()
            let unlisted = found.keys.filter { Self.decisions[$0] == nil }.sorted()
            #expect(unlisted.isEmpty, """
                tables without a decision in SecurityCatalogTests.decisions (RLS and policies, audited or why not, \
                vl_stamp_attach, grants per role): \(unlisted.map { "\($0): \(found[$0]!)" }.joined(separator: "; "))
                """)
            let gone = Self.decisions.keys.filter { found[$0] == nil }.sorted()
            #expect(gone.isEmpty, "decisions for tables that no longer exist: \(gone)")
            for (name, decision) in Self.decisions.sorted(by: { $0.key < $1.key }) {
                guard let actual = found[name] else { continue }
                #expect(actual == decision, "\(name): the catalog says \(actual); decided: \(decision)")
            }
        }
    }

    /// The test above notices a new table: one made here without any of the attach calls.
    @Test func aNewTableWithoutDecisionsIsNoticed() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            try await db.execute("CREATE TABLE training_session (id bigint PRIMARY KEY, title text, recorded_by text NOT NULL DEFAULT current_user, recorded_at timestamptz NOT NULL DEFAULT now())")
            let found = try await Self.catalog(db)
            #expect(Self.decisions["training_session"] == nil)
            #expect(found["training_session"] == Decision(
                rls: "off", notAuditedBecause: "NOT AUDITED, no reason given", stamping: "who/when columns not stamped by vl_stamp_attach", grants: ""))
            // The three attach calls give it the standard decision.
            try await db.execute("SELECT vl_security_attach('training_session'), vl_audit_attach('training_session'), vl_stamp_attach('training_session')")
            let attached = try await Self.catalog(db)
            #expect(attached["training_session"] == Decision(rls: "off", stamping: "actor, stamp", grants: "staff=SELECT; organiser=SELECT; office=SELECT; admin=SELECT"))
            await db.close()
        }
    }

    /// Section 5: every function of the schema that reads or writes a table, is a trigger or runs
    /// with its owner's rights has the schema's fixed search_path (pg_temp last).
    @Test func noFunctionLacksAFixedSearchPath() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let unpinned = try await db.query("SELECT f::text FROM vl_functions_without_fixed_path() f").map { try $0.decode(0, as: String.self) }
            #expect(unpinned.isEmpty, "functions without `SET search_path = <schema>, pg_catalog, pg_temp` (run SELECT vl_pin_search_path() at the end of the migration): \(unpinned)")
            let path = try await db.query("SELECT vl_fixed_search_path()").single().decode(0, as: String.self)
            #expect(path == "public, pg_catalog, pg_temp")
            // Not vacuous: the triggers of the registry and ledger are among those pinned.
            let pinned = try await db.query("""
                SELECT count(*) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace
                   AND proname IN ('vl_volunteer_keep_corrections', 'vl_hours_entry_rules', 'vl_setting', 'vl_stamp_hours_entry', 'vl_actor_check')
                   AND ('search_path=' || vl_fixed_search_path()) = ANY (proconfig)
                """).single().decode(0, as: Int64.self)
            #expect(pinned == 5)

            // A function a later migration creates is listed until the pinning helper runs.
            try await db.execute("""
                CREATE FUNCTION vl_later_helper() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM volunteer $$
                """)
            try await db.execute("""
                CREATE FUNCTION vl_later_rules(bigint) RETURNS boolean LANGUAGE plpgsql AS $$
                BEGIN RETURN EXISTS (SELECT 1 FROM hours_entry WHERE id = $1); END $$
                """)
            try await db.execute("CREATE FUNCTION vl_later_pure(int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT $1 + 1 $$")
            try await db.execute("CREATE FUNCTION vl_later_check(int) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN $1 > 0; END $$")
            let later = try await db.query("SELECT f::text FROM vl_functions_without_fixed_path() f").map { try $0.decode(0, as: String.self) }
            // Compared as sets: vl_functions_without_fixed_path (0071) ends in `ORDER BY 1::text`, an
            // expression, not the first column, so its rows come in pg_proc's physical order.
            #expect(later.sorted() == ["vl_later_helper()", "vl_later_rules(bigint)"], "code naming no table may stay as it is; a table reader may not")
            let changed = try await db.query("SELECT f::text FROM vl_pin_search_path() f").map { try $0.decode(0, as: String.self) }
            #expect(changed.sorted() == ["vl_later_helper()", "vl_later_rules(bigint)"])
            #expect(try await db.query("SELECT count(*) FROM vl_functions_without_fixed_path()").single().decode(0, as: Int64.self) == 0)
            await db.close()
        }
    }

    /// The migration runner pins what any migration created (later migrations need not remember).
    @Test func theMigrationRunnerPinsFunctionsOfLaterMigrations() async throws {
        try await TestDatabase.with(migrated: false) { database in
            let source = try MigrationRunner.locateDirectory()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-migrations-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: source, to: folder)
            defer { try? FileManager.default.removeItem(at: folder) }
            try """
                CREATE FUNCTION vl_training_rules() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                """.write(to: folder.appendingPathComponent("9999_later.sql"), atomically: true, encoding: .utf8)
            let db = try await database.connect()
            try await MigrationRunner(directory: folder).migrate(on: db)
            #expect(try await db.query("SELECT count(*) FROM vl_functions_without_fixed_path()").single().decode(0, as: Int64.self) == 0)
            let config = try await db.query("SELECT array_to_string(proconfig, ',') FROM pg_proc WHERE proname = 'vl_training_rules'").single().decode(0, as: String.self)
            #expect(config == "search_path=public, pg_catalog, pg_temp")
            await db.close()
        }
    }
}
