import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 11, sections 1, 2 and 5, as attacks: each connects as a real login of its role, tries
/// the attack through plain SQL, and checks that it is refused and that the figures (`metrics`
/// JSON), the statements and the replays (`--as-recorded-at`) print byte for byte what they
/// printed before.
struct SecurityAttackTests {
    static let districtA = "210682001"
    static let districtB = "210682002"
    static let pastMoment = "2019-06-01 00:00+08"

    struct City: Sendable {
        var volunteerA: Int64
        var volunteerB: Int64
        /// Organised by alice and bob.
        var shared: Int64
        /// Organised by bob only.
        var bobs: Int64
        /// Recorded by alice just now, pending.
        var alicesEntry: Int64
        var statement: String
        var staff: String
        var alice: String
        var bob: String
        var office: String
        var admin: String
    }

    /// Two built-up districts with residents for 2019, a volunteer in each, an approved hour for
    /// A's volunteer in 2019 (written by the owner with its original record times, as a load),
    /// a statement issued for it, and a pending entry alice recorded herself.
    static func city(_ database: TestDatabase, _ logins: LoginMaker) async throws -> City {
        let owner = try await database.connect()
        let f = MetricsFixture(owner)
        try await f.district(districtA, "凤凰城街道")
        try await f.district(districtB, "汤山城街道")
        try await f.population(districtA, year: 2019, residents: 100)
        try await f.population(districtB, year: 2019, residents: 80)
        let volunteerA = try await f.volunteer(1, district: districtA, registeredOn: "2018-01-01")
        let volunteerB = try await f.volunteer(2, district: districtB, registeredOn: "2018-01-01")
        let shared = try await f.activity(district: districtA, starts: "2019-05-01 08:00+08", ends: "2019-05-01 12:00+08")
        let bobs = try await f.activity(district: districtA, starts: "2019-05-02 08:00+08", ends: "2019-05-02 12:00+08", title: "河道清理")
        try await f.approvedEntry(volunteerA, activity: shared, start: "2019-05-01 08:00+08", minutes: 60)

        let staff = try await logins.login("staff", district: districtA)
        let alice = try await logins.login("organiser")
        let bob = try await logins.login("organiser")
        let office = try await logins.login("office")
        let admin = try await logins.login("admin")
        try await owner.execute("INSERT INTO activity_organiser (activity_id, login) VALUES (\(shared), \(alice)), (\(shared), \(bob)), (\(bobs), \(bob))")
        await owner.close()

        let asAlice = try await logins.connect(as: alice)
        let alicesEntry = try await asAlice.query("""
            INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes)
            VALUES (\(volunteerA), \(shared), '2019-05-01 09:00+08', 30) RETURNING id
            """).single().decode(0, as: Int64.self)
        await asAlice.close()

        let issued = try await CLIRunner.run(
            ["statement", "VL00000001", "--from", "2019-01-01", "--to", "2019-12-31", "--format", "json", "--issuer", "凤城市文明办"], database: database)
        #expect(issued.status == 0, "\(issued.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(issued.stdout.utf8)) as? [String: Any])
        let statement = try #require(object["statement_number"] as? String)
        return City(volunteerA: volunteerA, volunteerB: volunteerB, shared: shared, bobs: bobs, alicesEntry: alicesEntry,
                    statement: statement, staff: staff, alice: alice, bob: bob, office: office, admin: admin)
    }

    /// What the city prints: the 2019 figures, two replays (rollup and ledger), a replay of a
    /// mid-year reference date, and the statement reprinted.
    static func printed(_ database: TestDatabase, _ city: City) async throws -> [String] {
        let runs: [[String]] = [
            ["metrics", "--year", "2019", "--format", "json"],
            ["metrics", "--year", "2019", "--format", "json", "--as-recorded-at", "2019-12-31 12:00"],
            ["metrics", "--year", "2019", "--format", "json", "--as-recorded-at", "2019-12-31 12:00", "--from-ledger"],
            ["metrics", "--year", "2019", "--format", "json", "--as-of", "2019-06-30", "--as-recorded-at", "2020-03-01 00:00"],
            // The month-ends of the dashboard, from the rows 0262 keeps per volunteer.
            ["metrics", "--year", "2019", "--by", "month", "--format", "csv"],
            ["statement", "--reprint", city.statement, "--format", "json"],
        ]
        var printed: [String] = []
        for arguments in runs {
            let result = try await CLIRunner.run(arguments, database: database)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            // Today's report carries today's audit head, which any accepted write moves on; a
            // replay and a statement carry the head they were computed at, which must not move.
            printed.append(arguments.contains("--as-recorded-at") || arguments.first == "statement" ? result.stdout : CLIRunner.withoutAuditHead(result.stdout))
        }
        return printed
    }

    /// Runs `sql` (in a transaction with `setting` set locally, when given) and returns the
    /// database's refusal, or nil when it was accepted.
    static func attempt(_ conn: Connection, with setting: (name: String, value: String)? = nil, _ sql: SQL) async -> PostgresError? {
        do {
            if let setting {
                try await conn.transaction { db in
                    try db.execute("SELECT set_config(\(setting.name), \(setting.value), true)")
                    try db.execute(sql)
                }
            } else {
                try await conn.execute(sql)
            }
            return nil
        } catch let error as PostgresError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    static func attemptAs(_ conn: Connection, role: String, _ sql: SQL) async -> PostgresError? {
        await attempt(conn, with: ("role", role), sql)
    }

    static func scalar(_ database: TestDatabase, _ sql: SQL) async throws -> String {
        let owner = try await database.connect()
        let value = try await owner.query(sql).single().text(0) ?? "NULL"
        await owner.close()
        return value
    }

    // MARK: - Section 1: the actor of every row is the person who logged in

    @Test func noLoginChoosesTheActorOfARow() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let city = try await Self.city(database, logins)
                let before = try await Self.printed(database, city)
                let asAlice = try await logins.connect(as: city.alice)
                let asBob = try await logins.connect(as: city.bob)
                let asAdmin = try await logins.connect(as: city.admin)
                let asStaff = try await logins.connect(as: city.staff)

                // The issue's attack: approve one's own entry as the group role.
                let asGroup = await Self.attemptAs(asAlice, role: "vledger_organiser", """
                    INSERT INTO hours_decision (entry_id, decision, decided_by) VALUES (\(city.alicesEntry), 'approved', 'vledger_organiser')
                    """)
                #expect(asGroup?.sqlState == .insufficientPrivilege)
                #expect(asGroup?.message.contains("acting as role vledger_organiser, which is not a person") == true, "\(String(describing: asGroup))")
                // …or naming the co-organiser as the one who decided.
                let namingBob = await Self.attempt(asAlice, """
                    INSERT INTO hours_decision (entry_id, decision, decided_by) VALUES (\(city.alicesEntry), 'approved', \(city.bob))
                    """)
                #expect(namingBob?.message == "decided_by must be your own login \(city.alice), not \"\(city.bob)\"")
                // …or switching to the group in the middle of the statement.
                let midStatement = await Self.attempt(asAlice, """
                    INSERT INTO hours_decision (entry_id, decision)
                    SELECT \(city.alicesEntry), 'approved' FROM (SELECT set_config('role', 'vledger_organiser', true)) s
                    """)
                #expect(midStatement?.sqlState == .insufficientPrivilege, "\(String(describing: midStatement))")
                // Bob or the admin record an entry in alice's name (she could then "approve" her co-organiser's work).
                for (conn, login) in [(asBob, city.bob), (asAdmin, city.admin)] {
                    let forged = await Self.attempt(conn, """
                        INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, recorded_by)
                        VALUES (\(city.volunteerA), \(city.shared), '2019-05-01 10:00+08', 30, \(city.alice))
                        """)
                    #expect(forged?.message == "recorded_by must be your own login \(login), not \"\(city.alice)\"")
                }
                let adminDecides = await Self.attempt(asAdmin, """
                    INSERT INTO hours_decision (entry_id, decision, decided_by) VALUES (\(city.alicesEntry), 'approved', \(city.bob))
                    """)
                #expect(adminDecides?.message == "decided_by must be your own login \(city.admin), not \"\(city.bob)\"")
                let staffForges = await Self.attempt(asStaff, """
                    INSERT INTO volunteer (name, id_number, phone, registered_on, recorded_by)
                    VALUES ('伪造', \(MetricsFixture.idNumber(40)), '13800138040', '2019-01-02', 'someone_else')
                    """)
                #expect(staffForges?.message == "recorded_by must be your own login \(city.staff), not \"someone_else\"")
                // The admin's owner_login on an activity is an assignment, but its recorder is still the admin.
                let activityForged = await Self.attempt(asAdmin, """
                    INSERT INTO activity (title, district_code, organiser, starts_at, ends_at, recorded_by)
                    VALUES ('伪造', \(Self.districtA), '某人', '2019-05-03 08:00+08', '2019-05-03 12:00+08', \(city.bob))
                    """)
                #expect(activityForged?.sqlState == .insufficientPrivilege)

                // A login that is not a person of this database (made outside vl_user_add) writes nothing.
                let stray = "t_stray_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
                let superuser = try await database.connect()
                try await superuser.execute("CREATE ROLE \(unsafeRaw: stray) LOGIN IN ROLE vledger_organiser")
                await logins.adopt(stray)
                let asStray = try await logins.connect(as: stray)
                let strayWrite = await Self.attempt(asStray, """
                    INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                    VALUES ('无名', \(Self.districtA), '某人', '2019-05-03 08:00+08', '2019-05-03 12:00+08')
                    """)
                #expect(strayWrite?.message.hasPrefix("vledger: login \(stray) is neither a person of this database (app_user) nor its owner") == true,
                        "\(String(describing: strayWrite))")
                await asStray.close()
                await superuser.close()

                // The admin raising the default report's minutes in the rollup, without a ledger row (0072).
                for sql: SQL in ["UPDATE metrics_volunteer_year SET minutes = minutes + 6000",
                                 "INSERT INTO metrics_volunteer_year (volunteer_id, year, minutes) VALUES (\(city.volunteerB), 2019, 1500)",
                                 "DELETE FROM metrics_volunteer_month",
                                 // The dashboard's month-end rows and the stretches they come from (0262).
                                 "UPDATE metrics_volunteer_monthend SET minutes_12 = minutes_12 + 6000",
                                 "INSERT INTO volunteer_stretch (volunteer_id, since, until, code) VALUES (\(city.volunteerB), '2018-01-01', '2018-06-01', \(Self.districtA))",
                                 "DELETE FROM volunteer_stretch",
                                 "SELECT vl_metrics_monthend_rebuild()",
                                 "SELECT vl_metrics_monthend_refresh(ARRAY[\(city.volunteerB)]::bigint[])"] {
                    let rollup = await Self.attempt(asAdmin, sql)
                    #expect(rollup?.sqlState == .insufficientPrivilege, "\(String(describing: rollup))")
                }

                #expect(try await Self.scalar(database, "SELECT count(*)::text FROM hours_decision") == "1")
                #expect(try await Self.scalar(database, "SELECT count(*)::text FROM hours_entry") == "2")
                #expect(try await Self.scalar(database, "SELECT recorded_by FROM hours_entry WHERE id = \(city.alicesEntry)") == city.alice)
                for conn in [asAlice, asBob, asAdmin, asStaff] { await conn.close() }
                #expect(try await Self.printed(database, city) == before)
            }
        }
    }

    /// The HTTP service's contract: a login in vledger_service acts for the person it SET LOCAL
    /// ROLEs to, and only for a person; a person never acts as someone else.
    @Test func theServiceLoginActsOnlyForThePersonOfTheTransaction() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let city = try await Self.city(database, logins)
                let service = "t_svc_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
                let superuser = try await database.connect()
                try await superuser.execute("CREATE ROLE \(unsafeRaw: service) LOGIN IN ROLE vledger_service")
                await logins.adopt(service)
                try await superuser.execute("GRANT \(unsafeRaw: city.alice) TO \(unsafeRaw: service)")
                try await superuser.execute("GRANT vledger_organiser TO \(unsafeRaw: service)")
                let asService = try await logins.connect(as: service)
                let entry: SQL = """
                    INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes)
                    VALUES (\(city.volunteerA), \(city.shared), '2019-05-01 10:00+08', 20)
                    """

                let alone = await Self.attempt(asService, entry)
                #expect(alone?.message.contains("a service login acts for a person: SET LOCAL ROLE person in each transaction") == true, "\(String(describing: alone))")
                let asGroup = await Self.attemptAs(asService, role: "vledger_organiser", entry)
                #expect(asGroup?.message.contains("which is not a person") == true)
                let id = try await asService.transaction { db in
                    try db.execute("SET LOCAL ROLE \(unsafeRaw: city.alice)")
                    return try db.query("\(entry) RETURNING id").single().decode(0, as: Int64.self)
                }
                #expect(try await Self.scalar(database, "SELECT recorded_by FROM hours_entry WHERE id = \(id)") == city.alice)
                #expect(try await Self.scalar(database, "SELECT current_login FROM audit_chain WHERE table_name = 'hours_entry' ORDER BY id DESC LIMIT 1") == city.alice)
                // Acting for alice, the service cannot self-approve for her either.
                let selfApproval = await Self.attemptAs(asService, role: city.alice, "INSERT INTO hours_decision (entry_id, decision) VALUES (\(id), 'approved')")
                #expect(selfApproval?.constraint == "hours_decision_not_self_approved")
                await asService.close()

                // A person granted another person's role still writes only as themselves.
                try await superuser.execute("GRANT \(unsafeRaw: city.bob) TO \(unsafeRaw: city.alice)")
                let asAlice = try await logins.connect(as: city.alice)
                let asBob = await Self.attemptAs(asAlice, role: city.bob, "INSERT INTO hours_decision (entry_id, decision) VALUES (\(city.alicesEntry), 'approved')")
                #expect(asBob?.message.contains("a person writes only as themselves") == true, "\(String(describing: asBob))")
                await asAlice.close()
                await superuser.close()
                #expect(try await Self.scalar(database, "SELECT count(*)::text FROM hours_decision") == "1")
            }
        }
    }

    // MARK: - Section 2: a replay of a past moment never changes

    /// For every table a replay reads, every role tries to write a row dated before the replayed
    /// moment, and to move an existing row's record time there. All refused; the office's own
    /// change of a built-up flag is kept in its history and leaves 2019 and its replays alone.
    @Test func noRoleBackDatesWhatAReplayReads() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let city = try await Self.city(database, logins)
                let before = try await Self.printed(database, city)
                let past = Self.pastMoment
                let inserts: [(table: String, sql: SQL)] = [
                    ("district", "INSERT INTO district (code, name, built_up, recorded_at) VALUES ('210682009', '伪造街道', true, \(past))"),
                    ("district_built_up", """
                        INSERT INTO district_built_up (district_code, built_up, was, effective_from, recorded_at)
                        VALUES (\(Self.districtB), false, true, '2019-01-01', \(past))
                        """),
                    ("population_revision", "INSERT INTO population_revision (district_code, year, residents, recorded_at) VALUES (\(Self.districtA), 2019, 1, \(past))"),
                    ("volunteer", """
                        INSERT INTO volunteer (name, id_number, phone, registered_on, recorded_at)
                        VALUES ('伪造', \(MetricsFixture.idNumber(50)), '13800138050', '2019-01-02', \(past))
                        """),
                    ("volunteer_district", """
                        INSERT INTO volunteer_district (volunteer_id, district_code, effective_from, recorded_at)
                        VALUES (\(city.volunteerA), \(Self.districtB), '2019-03-01', \(past))
                        """),
                    ("volunteer_deregistration", """
                        INSERT INTO volunteer_deregistration (volunteer_id, effective_on, reason, recorded_at)
                        VALUES (\(city.volunteerA), '2019-02-01', '迁出', \(past))
                        """),
                    ("hours_entry", """
                        INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, recorded_at)
                        VALUES (\(city.volunteerA), \(city.shared), '2019-05-01 10:00+08', 30, '2019-05-02 00:00+08')
                        """),
                    ("hours_decision", "INSERT INTO hours_decision (entry_id, decision, decided_at) VALUES (\(city.alicesEntry), 'approved', '2019-05-02 00:00+08')"),
                ]
                let timeColumn = ["district": "recorded_at", "district_built_up": "recorded_at", "population_revision": "recorded_at",
                                  "volunteer": "recorded_at", "volunteer_district": "recorded_at", "volunteer_deregistration": "recorded_at",
                                  "hours_entry": "recorded_at", "hours_decision": "decided_at"]
                // Who may write each table at all (the others are refused by privileges or policies).
                let writers: [String: Set<String>] = [
                    "district": ["office", "admin"], "population_revision": ["office", "admin"],
                    "volunteer": ["staff", "admin"], "volunteer_district": ["staff", "admin"], "volunteer_deregistration": ["staff", "admin"],
                    "hours_entry": ["alice", "bob", "admin"], "hours_decision": ["bob", "admin"], "district_built_up": [],
                ]
                let roles = [("staff", city.staff), ("alice", city.alice), ("bob", city.bob), ("office", city.office), ("admin", city.admin)]
                var tried = 0
                for (name, login) in roles {
                    let conn = try await logins.connect(as: login)
                    for (table, sql) in inserts {
                        let error = await Self.attempt(conn, sql)
                        #expect(error != nil, "\(name) wrote a back-dated \(table) row")
                        if writers[table]!.contains(name) {
                            #expect(error?.message.contains("set by the database when the row is written") == true, "\(name) \(table): \(String(describing: error))")
                        }
                        let moved = await Self.attempt(conn, "UPDATE \(unsafeRaw: table) SET \(unsafeRaw: timeColumn[table]!) = \(past)")
                        // A role that sees no row of the table changes nothing; one that does is refused.
                        let rowsStillAsRecorded = try await Self.scalar(database, """
                            SELECT count(*)::text FROM \(unsafeRaw: table) WHERE \(unsafeRaw: timeColumn[table]!) = \(past)::timestamptz
                            """)
                        #expect(rowsStillAsRecorded == "0", "\(name) moved a \(table) record time")
                        // Those who may update the table's other columns are refused by the stamp rule.
                        if (name == "admin" && table != "district_built_up" && table != "volunteer_deregistration")
                            || (name == "office" && ["district", "population_revision"].contains(table)) {
                            #expect(moved?.message.contains("never changed") == true, "\(name) UPDATE \(table): \(String(describing: moved))")
                        }
                        tried += 2
                    }
                    await conn.close()
                }
                #expect(tried == 80)
                // COPY goes through the same rule (on a table without row-level security, where
                // PostgreSQL lets a non-owner COPY at all).
                let copier = try await logins.connect(as: city.office)
                let copied = await #expect(throws: PostgresError.self) {
                    try await copier.withIsolated { db in
                        _ = try db.copyIn("COPY population_revision (district_code, year, residents, recorded_at) FROM STDIN") { writer in
                            try writer.write([Self.districtA, "2019", "1", "2019-06-01 00:00+08"])
                        }
                    }
                }
                #expect(copied?.message.contains("set by the database when the row is written") == true, "\(String(describing: copied))")
                await copier.close()

                // The office takes district B out of the built-up area today: allowed, and dated.
                let asOffice = try await logins.connect(as: city.office)
                #expect(try await asOffice.execute("UPDATE district SET built_up = false WHERE code = \(Self.districtB)") == 1)
                await asOffice.close()
                #expect(try await Self.scalar(database, """
                    SELECT concat_ws(' ', built_up, was, recorded_by, effective_from = vl_today()) FROM district_built_up WHERE district_code = \(Self.districtB)
                    """) == "f t \(city.office) t")

                #expect(try await Self.printed(database, city) == before, "figures, replays and the statement print as before")
                // Nothing written by the attacks: the only history row is the office's change.
                #expect(try await Self.scalar(database, "SELECT count(*)::text FROM district") == "2")
                #expect(try await Self.scalar(database, "SELECT count(*)::text FROM population_revision") == "2")
                #expect(try await Self.scalar(database, "SELECT count(*)::text FROM volunteer_district") == "2")
                #expect(try await Self.scalar(database, "SELECT count(*)::text FROM hours_entry") == "2")
                #expect(try await Self.scalar(database, "SELECT count(*)::text FROM hours_decision") == "1")
            }
        }
    }

    /// A replay reads the built-up flag as it stood: a change recorded after T moves no replay of
    /// T, and one effective after D no report for D.
    @Test func replaysReadTheBuiltUpFlagAsItWasRecorded() async throws {
        try await TestDatabase.with { database in
            let owner = try await database.connect()
            try await owner.execute("INSERT INTO district (code, name, built_up) VALUES (\(Self.districtA), '凤凰城街道', true)")
            try await owner.execute("INSERT INTO population_revision (district_code, year, residents) VALUES (\(Self.districtA), 2019, 100)")
            let moment = try await owner.query("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')").single().decode(0, as: String.self)
            // A change effective from 2019 (an owner's correction, as a historic load would write it).
            try await owner.execute("""
                INSERT INTO district_built_up (district_code, built_up, was, effective_from) VALUES (\(Self.districtA), false, true, '2019-07-01')
                """)
            await owner.close()
            func city(_ extra: [String]) async throws -> String {
                let result = try await CLIRunner.run(["metrics", "--year", "2019", "--format", "csv"] + extra, database: database)
                #expect(result.status == 0, "\(result.stderr)")
                return result.stdout.split(separator: "\n").first { $0.hasPrefix("district,") }.map(String.init) ?? ""
            }
            #expect(try await city([]).hasPrefix("district,210682001,凤凰城街道,false,"))
            #expect(try await city(["--as-of", "2019-06-30"]).hasPrefix("district,210682001,凤凰城街道,true,"))
            #expect(try await city(["--as-recorded-at", moment]).hasPrefix("district,210682001,凤凰城街道,true,"), "recorded after the moment")
        }
    }

    /// Only the owner writes rows with their original record times; each such statement is kept
    /// in historic_load, and a replay that rests on them says so.
    @Test func historicLoadsAreTheOwnersAndReplaysSayWhenTheyRestOnThem() async throws {
        try await TestDatabase.with { database in
            let owner = try await database.connect()
            let loginName = try await owner.query("SELECT session_user::text").single().decode(0, as: String.self)
            try await owner.execute("INSERT INTO district (code, name, built_up) VALUES (\(Self.districtA), '凤凰城街道', true)")
            #expect(try await Self.scalar(database, "SELECT count(*)::text FROM historic_load") == "0", "stamped rows are not loads")
            let late = try await CLIRunner.run(["metrics", "--year", "2019", "--as-recorded-at", "2999-01-01 00:00"], database: database)
            #expect(late.status == 0 && !late.stderr.contains("rests on"), "\(late.stderr)")

            try await owner.execute("""
                INSERT INTO population_revision (district_code, year, residents, recorded_at)
                VALUES (\(Self.districtA), 2019, 100, '2019-03-01 00:00+08'), (\(Self.districtA), 2019, 120, '2019-11-01 00:00+08')
                """)
            #expect(try await Self.scalar(database, """
                SELECT concat_ws(' ', table_name, row_count, earliest_record = '2019-03-01 00:00+08', latest_record = '2019-11-01 00:00+08', loaded_by)
                  FROM historic_load
                """) == "population_revision 2 t t \(loginName)")
            let replay = try await CLIRunner.run(["metrics", "--year", "2019", "--format", "json", "--as-recorded-at", "2019-12-31 00:00"], database: database)
            #expect(replay.status == 0)
            #expect(replay.stderr.contains("warning: this replay rests on 2 row(s) loaded by \(loginName) with their original record times"), "\(replay.stderr)")
            let before = try await CLIRunner.run(["metrics", "--year", "2019", "--as-recorded-at", "2019-01-01 00:00"], database: database)
            #expect(!before.stderr.contains("rests on"), "nothing loaded was recorded by then: \(before.stderr)")
            // Not even the owner writes a record time in the future, or moves one.
            let future = await Self.attempt(owner, "INSERT INTO population_revision (district_code, year, residents, recorded_at) VALUES (\(Self.districtA), 2019, 1, '2999-01-01 00:00+08')")
            #expect(future?.constraint == "population_revision_recorded_at_not_future")
            let moved = await Self.attempt(owner, "UPDATE district SET recorded_at = '2001-01-01 00:00+08'")
            #expect(moved?.message == "vledger: district.recorded_at: written once by the database when the row was recorded; it is never changed")
            await owner.close()

            // The sample city is such a load, and keeps working.
            try await TestDatabase.with { sampleDatabase in
                let loaded = try await CLIRunner.run(["sample", "--volunteers", "60", "--entries", "300", "--districts", "3", "--years", "1", "--last-year", "2019", "--quiet"], database: sampleDatabase)
                #expect(loaded.status == 0, "\(loaded.stderr)")
                let tables = try await Self.scalar(sampleDatabase, "SELECT string_agg(DISTINCT table_name, ',' ORDER BY table_name) FROM historic_load")
                // Issue 15's organisations, memberships, party members, training and projects, and issue 16's
                // check-ins on the clock, survey waves, awards and evaluations, are loaded so too.
                #expect(tables == "activity,community_project,district,hours_checkin,hours_checkout,hours_decision,hours_entry,organisation,organisation_leave,organisation_membership,"
                        + "population_revision,survey_response,survey_wave,training_attendance,training_course,volunteer,volunteer_award,volunteer_deregistration,volunteer_district,"
                        + "volunteer_evaluation,volunteer_party_status")
                #expect(try await Self.scalar(sampleDatabase, "SELECT count(*)::text FROM hours_entry WHERE recorded_by NOT LIKE 'sample\\_organiser\\_%'") == "0")
                let sampleReplay = try await CLIRunner.run(["metrics", "--year", "2019", "--as-recorded-at", "2019-12-01 00:00"], database: sampleDatabase)
                #expect(sampleReplay.status == 0 && sampleReplay.stderr.contains("this replay rests on"), "\(sampleReplay.stderr)")
            }
        }
    }

    /// The time zone has no history of its own: a replay of a moment before the office changed it
    /// says that it reads the year in today's zone.
    @Test func aReplayBeforeATimeZoneChangeSaysSo() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let owner = try await database.connect()
                try await owner.execute("INSERT INTO district (code, name, built_up) VALUES (\(Self.districtA), '凤凰城街道', true)")
                await owner.close()
                let office = try await logins.login("office")
                let asOffice = try await logins.connect(as: office)
                try await asOffice.execute("UPDATE setting SET value = value WHERE name = 'time_zone'")  // no change: no warning
                let unchanged = try await CLIRunner.run(["metrics", "--year", "2019", "--as-recorded-at", "2019-12-31 00:00"], database: database)
                #expect(unchanged.status == 0 && !unchanged.stderr.contains("time zone"), "\(unchanged.stderr)")
                try await asOffice.execute("UPDATE setting SET value = 'Asia/Tokyo' WHERE name = 'time_zone'")
                await asOffice.close()
                let replay = try await CLIRunner.run(["metrics", "--year", "2019", "--as-recorded-at", "2019-12-31T00:00:00+08:00"], database: database)
                #expect(replay.status == 0)
                #expect(replay.stderr.contains("warning: the city's time zone setting was changed after this moment"), "\(replay.stderr)")
                #expect(replay.stderr.contains("the replay reads the year in today's zone Asia/Tokyo"))
                let later = try await CLIRunner.run(["metrics", "--year", "2019", "--as-recorded-at", "2999-01-01 00:00"], database: database)
                #expect(later.status == 0 && !later.stderr.contains("time zone"), "\(later.stderr)")
            }
        }
    }

    // MARK: - Section 5: functions cannot be hijacked through a temp schema

    @Test func tempTablesDoNotCaptureWhatTriggersAndPoliciesRead() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let city = try await Self.city(database, logins)
                let before = try await Self.printed(database, city)

                // The issue's attack: a correction kept in the staff member's own temp table.
                let asStaff = try await logins.connect(as: city.staff)
                try await asStaff.execute("""
                    CREATE TEMP TABLE volunteer_correction (id bigint, volunteer_id bigint, field text, old_value text, new_value text,
                                                            recorded_by text, recorded_at timestamptz)
                    """)
                #expect(try await asStaff.execute("UPDATE volunteer SET name = '更正后' WHERE id = \(city.volunteerA)") == 1)
                #expect(try await asStaff.query("SELECT count(*) FROM pg_temp.volunteer_correction").single().decode(0, as: Int64.self) == 0)
                #expect(try await Self.scalar(database, """
                    SELECT concat_ws(' ', field, new_value, recorded_by) FROM volunteer_correction WHERE volunteer_id = \(city.volunteerA)
                    """) == "name 更正后 \(city.staff)")
                // A temp app_user claiming another district: the policies still read the real one.
                try await asStaff.execute("CREATE TEMP TABLE app_user (login text, role text, district_code text)")
                try await asStaff.execute("INSERT INTO pg_temp.app_user VALUES (\(city.staff), 'admin', \(Self.districtB))")
                #expect(try await asStaff.query("SELECT id FROM volunteer ORDER BY id").map { try $0.decode(0, as: Int64.self) } == [city.volunteerA])
                #expect(try await asStaff.execute("UPDATE volunteer SET phone = '13900000000' WHERE id = \(city.volunteerB)") == 0)
                await asStaff.close()

                // A temp activity_organiser making alice an organiser of bob's activity.
                let asAlice = try await logins.connect(as: city.alice)
                try await asAlice.execute("CREATE TEMP TABLE activity_organiser (activity_id bigint, login text, added_by text, added_at timestamptz)")
                try await asAlice.execute("INSERT INTO pg_temp.activity_organiser VALUES (\(city.bobs), \(city.alice), \(city.alice), now())")
                let foreign = await Self.attempt(asAlice, """
                    INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes) VALUES (\(city.volunteerA), \(city.bobs), '2019-05-02 08:00+08', 60)
                    """)
                #expect(foreign?.message == "activity \(city.bobs) is not one of your activities: organisers record hours only on their own activities")
                // Temp ledger tables for the rules and the rollup to read.
                try await asAlice.execute("CREATE TEMP TABLE hours_decision (entry_id bigint, decision text, reason text, decided_by text, decided_at timestamptz)")
                try await asAlice.execute("CREATE TEMP TABLE metrics_volunteer_year (volunteer_id bigint, year int, minutes bigint)")
                try await asAlice.execute("CREATE TEMP TABLE setting (name text, value text, recorded_by text, recorded_at timestamptz)")
                try await asAlice.execute("INSERT INTO pg_temp.setting VALUES ('time_zone', 'Pacific/Kiritimati', NULL, NULL)")
                let asBob = try await logins.connect(as: city.bob)
                try await asBob.execute("INSERT INTO hours_decision (entry_id, decision, reason) VALUES (\(city.alicesEntry), 'rejected', '未到岗')")
                await asBob.close()
                await asAlice.close()
                #expect(try await Self.scalar(database, "SELECT decided_by FROM hours_decision WHERE entry_id = \(city.alicesEntry)") == city.bob)
                #expect(try await Self.printed(database, city) == before)
            }
        }
    }
}
