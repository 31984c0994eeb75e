import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 16 §1: the working-day calendar (0160), the provenance of every hours entry decided by
/// the database (0161), late entries approved only by the office, an admin or the owner, the
/// metrics' `minutes_by_provenance` and the statement's split (0162).
struct ProvenanceTests {
    static func bool(_ db: Connection, _ sql: SQL) async throws -> Bool {
        try await db.query(sql).single().decode(0)
    }

    static func text(_ db: Connection, _ sql: SQL) async throws -> String {
        try await db.query(sql).single().decode(0)
    }

    @Test func theSeededCalendarHoldsTheStateCouncilsArrangements() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            for day in 10...17 {
                #expect(try await !Self.bool(db, "SELECT vl_is_working_day(make_date(2024, 2, \(day)))"), "2024-02-\(day) 春节 off")
            }
            #expect(try await Self.bool(db, "SELECT vl_is_working_day('2024-02-04') AND vl_is_working_day('2024-02-18')"), "the Sundays worked")
            for day in 1...8 {
                #expect(try await !Self.bool(db, "SELECT vl_is_working_day(make_date(2025, 10, \(day)))"), "2025-10-0\(day) 国庆 off")
            }
            #expect(try await Self.bool(db, "SELECT vl_is_working_day('2025-09-28') AND vl_is_working_day('2025-10-11')"))
            #expect(try await Self.bool(db, "SELECT vl_is_working_day('2024-03-05') AND NOT vl_is_working_day('2024-03-09')"), "the plain week")
            #expect(try await !Self.bool(db, "SELECT vl_is_working_day('2018-02-16') OR vl_is_working_day('2020-02-01') OR vl_is_working_day('2026-02-20')"))
            // Counting: 10-01..10-08 off, then Thursday, Friday and the Saturday worked.
            #expect(try await Self.text(db, "SELECT vl_working_days_between('2025-09-30', '2025-10-11')::text") == "3")
            #expect(try await Self.text(db, "SELECT vl_add_working_days('2025-09-30', 3)::text") == "2025-10-11")
            #expect(try await Self.text(db, "SELECT vl_add_working_days('2024-02-08', 2)::text") == "2024-02-18", "across 春节 to the Sunday worked")
            // Both functions agree on every day of 2018–2026.
            #expect(try await Self.text(db, """
                SELECT count(*)::text FROM generate_series(DATE '2018-01-01', DATE '2026-12-20', interval '1 day') d
                 WHERE vl_working_days_between(d::date, vl_add_working_days(d::date, 10)) <> 10
                """) == "0")
            #expect(try await Self.text(db, "SELECT count(DISTINCT extract(year FROM day))::text FROM calendar_day WHERE day >= '2018-01-01'") == "9")
            await db.close()
        }
    }

    @Test func calendarRowsKeepTheirRulesAndOnlyTheOfficeWrites() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let db = try await database.connect()
                let before = try await LedgerFixtures.count(db, "calendar_day")
                RuleProbe.expectRule(await RuleProbe.attempt(db, "INSERT INTO calendar_day (day, kind, name) VALUES ('2027-03-03', 'workday', '调休')"),
                                "calendar_workday_weekend", field: "day")
                RuleProbe.expectRule(await RuleProbe.attempt(db, "INSERT INTO calendar_day (day, kind, name) VALUES ('2027-03-03', 'party', '节')"),
                                "calendar_day_kind_known", field: "kind")
                RuleProbe.expectRule(await RuleProbe.attempt(db, "INSERT INTO calendar_day (day, kind, name) VALUES ('2027-03-03', 'holiday', ' ')"),
                                "calendar_day_name_present", field: "name")
                RuleProbe.expectRule(await RuleProbe.attempt(db, "UPDATE calendar_day SET name = '春' WHERE day = '2024-02-10'"), "calendar_day_fixed", field: "day")
                RuleProbe.expectRule(await RuleProbe.attempt(db, "SELECT vl_add_working_days('2024-01-01', -1)"), "calendar_days_range", field: "days")
                #expect(try await LedgerFixtures.count(db, "calendar_day") == before, "nothing written")
                await db.close()

                let organiser = try await logins.connect(as: try await logins.login("organiser"))
                #expect(await RuleProbe.attempt(organiser, "INSERT INTO calendar_day (day, kind, name) VALUES ('2027-03-03', 'holiday', '节')")?.sqlState == .insufficientPrivilege)
                #expect(try await LedgerFixtures.count(organiser, "calendar_day") == before, "everybody reads it")
                await organiser.close()
                let office = try await logins.connect(as: try await logins.login("office"))
                #expect(await RuleProbe.attempt(office, "INSERT INTO calendar_day (day, kind, name) VALUES ('2027-03-03', 'holiday', '节')") == nil)
                #expect(try await Self.text(office, "SELECT recorded_by FROM calendar_day WHERE day = '2027-03-03'") == (try await Self.text(office, "SELECT session_user::text")))
                #expect(await RuleProbe.attempt(office, "DELETE FROM calendar_day WHERE day = '2027-03-03'") == nil)
                await office.close()
            }
        }
    }

    @Test func calendarImportChecksEveryRowThenListsTheYear() async throws {
        try await TestDatabase.with { database in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vl-calendar-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let bad = directory.appendingPathComponent("bad.csv")
            try "日期,类型,名称\n2027-02-06,放假,春节\n2027-02-03,上班,春节\n2027-02-07,假期,春节\n".write(to: bad, atomically: true, encoding: .utf8)
            let refused = try await CLIRunner.run(["calendar", "import", bad.path], database: database)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("line 3") && refused.stderr.contains("line 4"), "\(refused.stderr)")
            let db = try await database.connect()
            #expect(try await LedgerFixtures.count(db, "calendar_day WHERE day >= '2027-01-01'") == 0, "nothing written")

            let good = directory.appendingPathComponent("good.csv")
            try "day,kind,name\n2027-02-06,holiday,春节\n2027/2/8,休,春节\n2027-02-20,workday,春节\n2024-02-10,holiday,春节\n2024-02-18,normal,\n".write(to: good, atomically: true, encoding: .utf8)
            let imported = try await CLIRunner.run(["calendar", "import", good.path], database: database)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(try await LedgerFixtures.count(db, "calendar_day WHERE day >= '2027-01-01'") == 3)
            #expect(try await !Self.bool(db, "SELECT vl_is_working_day('2027-02-08')"))
            #expect(try await !Self.bool(db, "SELECT vl_is_working_day('2024-02-18')"), "normal: the Sunday is a Sunday again")
            let listed = try await CLIRunner.run(["calendar", "list", "--year", "2027", "--format", "csv"], database: database)
            #expect(listed.stdout == "day,weekday,kind,name\n2027-02-06,6,holiday,春节\n2027-02-08,1,holiday,春节\n2027-02-20,6,workday,春节\n", "\(listed.stdout)")
            let table = try await CLIRunner.run(["calendar", "list", "--year", "2024", "--lang", "zh"], database: database)
            #expect(table.status == 0 && table.stdout.contains("日期") && table.stdout.contains("春节"), "\(table.stdout)")
            #expect(try await CLIRunner.run(["calendar", "list", "--year", "1999"], database: database).status != 0)
            await db.close()
        }
    }

    /// The provenance each path gets, whatever the client sends.
    @Test func theDatabaseDecidesEachEntrysProvenance() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let volunteer = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            let old = try await LedgerFixtures.activity(db)
            let late: Int64 = try await db.query("""
                INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, provenance)
                VALUES (\(volunteer.id), \(old), '2019-03-01 09:00+08', 60, 'clock') RETURNING id
                """).single().decode(0)
            #expect(try await Self.text(db, "SELECT provenance FROM hours_entry WHERE id = \(late)") == "late", "the client's value is not kept")
            #expect(try await Self.bool(db, "SELECT vl_hours_entry_is_late(\(late))"))
            // Recorded the day the activity ended: entered.
            let recent = try await db.query("""
                INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                VALUES ('昨日活动', '210682001', '李组织', date_trunc('hour', now()) - interval '5 hours', date_trunc('hour', now()) - interval '2 hours') RETURNING id
                """).single().decode(0, as: Int64.self)
            let entered: Int64 = try await db.query("""
                INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes)
                SELECT \(volunteer.id), id, starts_at, 60 FROM activity WHERE id = \(recent) RETURNING id
                """).single().decode(0)
            #expect(try await Self.text(db, "SELECT provenance FROM hours_entry WHERE id = \(entered)") == "entered")
            let current = try await LedgerFixtures.currentActivity(db, startedMinutesAgo: 90, endsInMinutes: 60)
            // A tap with a time an hour back is a person's entry, not the clock's.
            let third = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01", name: "王五")
            let backdated: Int64 = try await db.query("""
                INSERT INTO hours_checkin (volunteer_id, activity_id, checked_in_at) VALUES (\(third.id), \(current), now() - interval '80 minutes') RETURNING id
                """).single().decode(0)
            _ = try await db.query("SELECT vl_check_out(\(backdated), now() - interval '10 minutes')").single()
            let kinds = try await db.query("""
                SELECT v.name, e.provenance FROM hours_entry e JOIN volunteer v ON v.id = e.volunteer_id
                 WHERE e.activity_id = \(current) ORDER BY v.name
                """).map { "\(try $0.decode(0, as: String.self))=\(try $0.decode(1, as: String.self))" }
            #expect(kinds == ["王五=entered"], "the backdated tap is a person's entry: \(kinds)")
            await db.close()
        }
    }

    @Test func aCheckOutOnTheClockIsClock() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let volunteer = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            let current = try await LedgerFixtures.currentActivity(db, startedMinutesAgo: 90, endsInMinutes: 60)
            // The check-in was written 30 minutes ago at the time it holds (the owner loads it so).
            let checkin: Int64 = try await db.query("""
                INSERT INTO hours_checkin (volunteer_id, activity_id, checked_in_at, recorded_at)
                VALUES (\(volunteer.id), \(current), date_trunc('second', now()) - interval '30 minutes', date_trunc('second', now()) - interval '30 minutes' + interval '5 seconds') RETURNING id
                """).single().decode(0)
            let entry: Int64 = try await db.query("SELECT vl_check_out(\(checkin), now())").single().decode(0)
            #expect(try await Self.text(db, "SELECT provenance FROM hours_entry WHERE id = \(entry)") == "clock")
            // A correction taking minutes away keeps the provenance of the entry it corrects.
            let added: Int64 = try await db.query("""
                INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, corrects_id, reason, source)
                SELECT volunteer_id, activity_id, service_start, -5, id, '早退', 'correction' FROM hours_entry WHERE id = \(entry) RETURNING id
                """).single().decode(0)
            #expect(try await Self.text(db, "SELECT provenance FROM hours_entry WHERE id = \(added)") == "clock")
            await db.close()
        }
    }

    /// An organiser's approval of a late entry is refused in the database, through plain SQL as a
    /// real login and through the CLI; the office, an admin and the owner approve it.
    @Test func lateEntriesNeedTheOffice() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let owner = try await database.connect()
                let volunteer = try await LedgerFixtures.volunteer(owner, registeredOn: "2019-01-01")
                let activity = try await LedgerFixtures.activity(owner)
                let bob = try await logins.login("organiser")
                let carol = try await logins.login("organiser")
                for login in [bob, carol] {
                    try await owner.execute("INSERT INTO activity_organiser (activity_id, login) VALUES (\(activity), \(login))")
                }
                let bobDB = try await logins.connect(as: bob)
                var ids: [Int64] = []
                for hour in 9...11 {
                    ids.append(try await bobDB.query("""
                        INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes)
                        VALUES (\(volunteer.id), \(activity), make_timestamptz(2019, 3, 1, \(hour), 0, 0, 'Asia/Shanghai'), 30) RETURNING id
                        """).single().decode(0))
                }
                #expect(try await Self.text(owner, "SELECT string_agg(DISTINCT provenance, ',') FROM hours_entry") == "late")
                await bobDB.close()
                let carolDB = try await logins.connect(as: carol)
                RuleProbe.expectRule(await RuleProbe.attempt(carolDB, "INSERT INTO hours_decision (entry_id, decision) VALUES (\(ids[0]), 'approved')"),
                                "late_needs_office", field: "entry")
                RuleProbe.expectRule(await RuleProbe.attempt(carolDB, "INSERT INTO hours_decision (entry_id, decision) SELECT id, 'approved' FROM hours_entry"),
                                "late_needs_office", field: "entry")
                #expect(try await LedgerFixtures.count(owner, "hours_decision") == 0, "nothing written")
                // Rejecting one stays the organiser's.
                #expect(await RuleProbe.attempt(carolDB, "INSERT INTO hours_decision (entry_id, decision, reason) VALUES (\(ids[2]), 'rejected', '重复')") == nil)
                await carolDB.close()
                let refused = try await CLIRunner.run(["hours", "approve", String(ids[0])], database: nil,
                                                      environment: ["VLEDGER_DATABASE_URL": try await logins.connectionString(as: carol)])
                #expect(refused.status != 0 && refused.stderr.contains("late"), "\(refused.stderr)")
                #expect(try await LedgerFixtures.count(owner, "hours_decision WHERE decision = 'approved'") == 0)

                let office = try await logins.connect(as: try await logins.login("office"))
                #expect(await RuleProbe.attempt(office, "INSERT INTO hours_decision (entry_id, decision) VALUES (\(ids[0]), 'approved')") == nil)
                await office.close()
                let admin = try await logins.connectionString(as: try await logins.login("admin"))
                let approved = try await CLIRunner.run(["hours", "approve", String(ids[1])], database: nil, environment: ["VLEDGER_DATABASE_URL": admin])
                #expect(approved.status == 0, "\(approved.stderr)")
                #expect(try await LedgerFixtures.count(owner, "hours_decision WHERE decision = 'approved'") == 2)
                let listed = try await CLIRunner.run(["hours", "list", "--activity", String(activity), "--format", "json"], database: database)
                #expect(listed.stdout.contains("\"provenance\": \"late\""), "\(listed.stdout)")
                let table = try await CLIRunner.run(["hours", "list", "--activity", String(activity), "--lang", "zh"], database: database)
                #expect(table.stdout.contains("补录"), "\(table.stdout)")
                await owner.close()
            }
        }
    }

    @Test func theOfficeDecidesOnlyLateEntries() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let owner = try await database.connect()
                let volunteer = try await LedgerFixtures.volunteer(owner, registeredOn: "2019-01-01")
                let recent = try await owner.query("""
                    INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                    VALUES ('近期活动', '210682001', '李组织', date_trunc('hour', now()) - interval '5 hours', date_trunc('hour', now()) - interval '2 hours') RETURNING id
                    """).single().decode(0, as: Int64.self)
                let entry: Int64 = try await owner.query("""
                    INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes) SELECT \(volunteer.id), id, starts_at, 60 FROM activity WHERE id = \(recent) RETURNING id
                    """).single().decode(0)
                let office = try await logins.connect(as: try await logins.login("office"))
                let error = await RuleProbe.attempt(office, "INSERT INTO hours_decision (entry_id, decision) VALUES (\(entry), 'approved')")
                #expect(error?.constraint == "late_office_decides_late", "\(String(describing: error))")
                #expect(try await LedgerFixtures.count(owner, "hours_decision") == 0)
                await office.close()
                await owner.close()
            }
        }
    }

    /// Stored at record time: neither a calendar edit nor a replay changes a past entry's
    /// provenance, and the metrics' split sums to approved_minutes, checked by hand SQL.
    @Test func provenanceSurvivesCalendarEditsAndReplays() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let volunteer = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            let activity = try await db.query("""
                INSERT INTO activity (title, district_code, organiser, starts_at, ends_at)
                VALUES ('上月活动', '210682001', '李组织', date_trunc('day', now()) - interval '30 days' + interval '9 hours',
                        date_trunc('day', now()) - interval '30 days' + interval '11 hours') RETURNING id
                """).single().decode(0, as: Int64.self)
            // Recorded and approved a minute back (the owner keeps original times), so a replay of
            // this second holds both.
            let entry: Int64 = try await db.query("""
                INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, recorded_at)
                SELECT \(volunteer.id), id, starts_at, 90, now() - interval '2 minutes' FROM activity WHERE id = \(activity) RETURNING id
                """).single().decode(0)
            try await db.execute("INSERT INTO hours_decision (entry_id, decision, decided_at) VALUES (\(entry), 'approved', now() - interval '1 minute')")
            #expect(try await Self.text(db, "SELECT provenance FROM hours_entry WHERE id = \(entry)") == "late")
            let year = try await Self.text(db, "SELECT extract(year FROM starts_at AT TIME ZONE vl_time_zone())::text FROM activity WHERE id = \(activity)")
            // The next whole second: every row written so far is recorded by then.
            let moment = try await Self.text(db, "SELECT to_char(date_trunc('second', clock_timestamp() + interval '1 second') AT TIME ZONE vl_time_zone(), 'YYYY-MM-DD HH24:MI:SS')")
            let replay = ["metrics", "--year", year, "--as-recorded-at", moment, "--format", "json"]
            let before = try await CLIRunner.run(replay, database: database)
            #expect(before.status == 0, "\(before.stderr)")
            // Every weekday since the activity made a holiday: counted now, the entry would be in time.
            try await db.execute("""
                INSERT INTO calendar_day (day, kind, name)
                SELECT d::date, 'holiday', '临时放假' FROM generate_series(date_trunc('day', now()) - interval '29 days', date_trunc('day', now()), interval '1 day') d
                 WHERE extract(isodow FROM d) < 6 ON CONFLICT (day) DO NOTHING
                """)
            try await db.execute("DELETE FROM calendar_day WHERE kind = 'workday' AND day >= (now() - interval '30 days')::date")
            #expect(try await Self.text(db, """
                SELECT vl_hours_provenance(source, request_id, volunteer_id, activity_id, service_start, minutes, corrects_id, recorded_at)
                  FROM hours_entry WHERE id = \(entry)
                """) == "entered", "the edited calendar would decide otherwise")
            #expect(try await Self.text(db, "SELECT provenance FROM hours_entry WHERE id = \(entry)") == "late", "the stored one stays")
            let after = try await CLIRunner.run(replay, database: database)
            #expect(CLIRunner.withoutAuditHead(after.stdout) == CLIRunner.withoutAuditHead(before.stdout))
            #expect(before.stdout.contains("\"minutes_by_provenance\": {\n      \"clock\": 0,\n      \"entered\": 0,\n      \"late\": 90\n    }"), "\(before.stdout)")
            let now = try await CLIRunner.run(["metrics", "--year", year, "--format", "json"], database: database)
            try await Self.expectSplitMatchesHandSQL(now.stdout, year: Int(year)!, on: db)
            await db.close()
        }
    }

    /// Every district's and the city's split sums to approved_minutes and equals the split summed
    /// by hand from the ledger.
    static func expectSplitMatchesHandSQL(_ json: String, year: Int, on db: Connection, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], sourceLocation: sourceLocation)
        let districts = try #require(object["districts"] as? [[String: Any]], sourceLocation: sourceLocation)
        let city = try #require(object["city"] as? [String: Any], sourceLocation: sourceLocation)
        func line(_ level: String, _ code: String, _ row: [String: Any]) -> String {
            let split = row["minutes_by_provenance"] as? [String: Any] ?? [:]
            let parts = ["clock", "entered", "late"].map { (split[$0] as? NSNumber)?.int64Value ?? -1 }
            #expect(parts.reduce(0, +) == (row["approved_minutes"] as? NSNumber)?.int64Value, "\(level) \(code)", sourceLocation: sourceLocation)
            return ([level, code] + parts.map(String.init)).joined(separator: ",")
        }
        let got = districts.sorted { ($0["code"] as? String ?? "") < ($1["code"] as? String ?? "") }
            .map { line("district", $0["code"] as? String ?? "", $0) } + [line("city", "", city)]
        let expected = try await db.query("\(unsafeRaw: MetricsHandSQL.provenanceQuery(year: year))").map { row in
            (0..<5).map { row.text($0) ?? "" }.joined(separator: ",")
        }
        #expect(got == expected, sourceLocation: sourceLocation)
    }

    /// The sample city carries all three kinds; its figures' split is the hand-computed one, over
    /// the rollup, the ledger and a replay.
    @Test func theSampleCityShowsEveryProvenance() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let options = try SampleOptions(volunteers: 600, entries: 6000, seed: 7, years: 2, districts: 5, lastYear: 2024)
            _ = try await SampleLoader.load(options, on: db, quiet: true)
            let kinds = try await db.query("""
                SELECT e.provenance, count(*) FILTER (WHERE d.decision = 'approved'), count(*) FILTER (WHERE d.entry_id IS NULL)
                  FROM hours_entry e LEFT JOIN hours_decision d ON d.entry_id = e.id GROUP BY 1 ORDER BY 1
                """).map { (try $0.decode(0, as: String.self), try $0.decode(1, as: Int.self), try $0.decode(2, as: Int.self)) }
            #expect(kinds.map(\.0) == ["clock", "entered", "late"], "\(kinds)")
            #expect(kinds.allSatisfy { $0.1 > 0 }, "approved minutes of each kind: \(kinds)")
            #expect((kinds.last?.2 ?? 0) > 0, "late entries waiting for the office")
            let rollup = try await CLIRunner.run(["metrics", "--year", "2024", "--format", "json"], database: database)
            try await Self.expectSplitMatchesHandSQL(rollup.stdout, year: 2024, on: db)
            let ledger = try await CLIRunner.run(["metrics", "--year", "2024", "--format", "json", "--from-ledger"], database: database)
            #expect(CLIRunner.withoutAuditHead(ledger.stdout) == CLIRunner.withoutAuditHead(rollup.stdout))
            // A replay: the rollup less what came later equals the ledger as of then.
            let replay = ["metrics", "--year", "2024", "--as-recorded-at", "2024-12-01 00:00", "--format", "json"]
            let replayed = try await CLIRunner.run(replay, database: database)
            let replayedLedger = try await CLIRunner.run(replay + ["--from-ledger"], database: database)
            #expect(replayed.status == 0 && replayed.stdout == replayedLedger.stdout)
            #expect(replayed.stdout.contains("minutes_by_provenance"))
            let monthEnd = try await CLIRunner.run(["metrics", "--year", "2024", "--as-of", "2024-06-30", "--format", "json"], database: database)
            let monthLedger = try await CLIRunner.run(["metrics", "--year", "2024", "--as-of", "2024-06-30", "--format", "json", "--from-ledger"], database: database)
            #expect(CLIRunner.withoutAuditHead(monthEnd.stdout) == CLIRunner.withoutAuditHead(monthLedger.stdout))
            let table = try await CLIRunner.run(["metrics", "--year", "2024", "--lang", "zh"], database: database)
            #expect(table.stdout.contains("补录"), "\(table.stdout)")
            await db.close()
        }
    }

    /// The statement's own section: the split of its approved minutes, and `statement verify`
    /// passes for statements with it and for those issued without it (before 0162).
    @Test func statementsShowTheSplitAndStillVerify() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let volunteer = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            let activity = try await LedgerFixtures.activity(db)
            try await db.execute("""
                INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes) VALUES (\(volunteer.id), \(activity), '2019-03-01 09:00+08', 120)
                """)
            try await db.execute("INSERT INTO hours_decision (entry_id, decision) SELECT id, 'approved' FROM hours_entry")
            let issued = try await CLIRunner.run(["statement", volunteer.number, "--issuer", "凤城市文明办", "--from", "2019-01-01", "--to", "2019-12-31", "--format", "json"], database: database)
            #expect(issued.status == 0, "\(issued.stderr)")
            #expect(issued.stdout.contains("\"minutes_by_provenance\": {\n    \"clock\": 0,\n    \"entered\": 0,\n    \"late\": 120\n  }"), "\(issued.stdout)")
            let number = try await Self.text(db, "SELECT number FROM statement_issue ORDER BY id DESC LIMIT 1")
            #expect(try await Self.text(db, "SELECT provenance::text FROM statement_issue WHERE number = \(number)") == #"{"late": 120, "clock": 0, "entered": 0}"#)
            let text = try await CLIRunner.run(["statement", volunteer.number, "--issuer", "凤城市文明办", "--from", "2019-01-01", "--to", "2019-12-31"], database: database)
            #expect(text.stdout.contains("补录 2.00 小时"), "\(text.stdout)")
            // Issued without the section, as before 0162.
            try await db.execute("ALTER TABLE statement_issue DISABLE TRIGGER statement_issue_provenance")
            let plain = try await CLIRunner.run(["statement", volunteer.number, "--issuer", "凤城市文明办", "--from", "2019-01-01", "--to", "2019-06-30", "--format", "json"], database: database)
            try await db.execute("ALTER TABLE statement_issue ENABLE ALWAYS TRIGGER statement_issue_provenance")
            #expect(plain.status == 0 && !plain.stdout.contains("minutes_by_provenance"), "\(plain.stdout)")
            for row in try await db.query("SELECT number FROM statement_issue ORDER BY id").map({ try $0.decode(0, as: String.self) }) {
                let verified = try await CLIRunner.run(["statement", "verify", row], database: database)
                #expect(verified.status == 0, "\(row): \(verified.stdout) \(verified.stderr)")
            }
            await db.close()
        }
    }
}
