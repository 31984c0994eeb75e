import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// 0263: a survey wave, an award or an evaluation recorded by mistake is withdrawn by a row of its
/// own. Its rules and who may write it, as real logins through plain SQL; what it changes (the
/// support rate, statements issued from then on) and what it does not (replays of earlier moments,
/// statements already issued), through the binary.
struct WithdrawalTests {
    static let own = "210682001"
    static let other = "210682002"

    static func count(_ db: Connection, _ table: String) async throws -> Int {
        try await db.query("SELECT count(*) FROM \(unsafeRaw: table)").single().decode(0, as: Int.self)
    }

    static func wave(_ sample: Int = 400, _ supportive: Int = 371, district: String = own) -> SQL {
        "INSERT INTO survey_wave (surveyed_on, method, district_code, sample_size, supportive) VALUES ('2025-06-10', 'household', \(district), \(sample), \(supportive))"
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test func theDatabaseKeepsTheWithdrawalRules() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            try await db.execute(Self.wave())
            try await db.execute("INSERT INTO volunteer_award (volunteer_id, name, awarded_on, body) VALUES (\(v.id), '优秀志愿者', '2019-05-01', '文明办')")
            try await db.execute("INSERT INTO volunteer_evaluation (volunteer_id, evaluated_on, grade, evaluator) VALUES (\(v.id), '2019-06-01', 'good', '服务站')")

            for (table, column, field) in [("survey_wave_withdrawal", "wave_id", "wave"), ("volunteer_award_withdrawal", "award_id", "award"),
                                           ("volunteer_evaluation_withdrawal", "evaluation_id", "evaluation")] {
                func withdraw(_ id: Int, _ reason: String) -> SQL {
                    "INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: column), reason) VALUES (\(id), \(reason))"
                }
                RuleProbe.expectRule(await RuleProbe.attempt(db, withdraw(999, "录错")), "\(table)_\(field)_fkey", field: field)
                RuleProbe.expectRule(await RuleProbe.attempt(db, withdraw(1, " ")), "\(table)_reason_present", field: "reason")
                RuleProbe.expectRule(await RuleProbe.attempt(db, withdraw(1, String(repeating: "错", count: 201))), "\(table)_reason_present", field: "reason")
                #expect(try await Self.count(db, table) == 0, "nothing written by a refused withdrawal")
                #expect(await RuleProbe.attempt(db, withdraw(1, "录错")) == nil)
                let twice = await RuleProbe.attempt(db, withdraw(1, "又录错"))
                RuleProbe.expectRule(twice, "\(table)_once", field: field)
                #expect(twice.map { UserMessage.userFacing(for: $0).args["at"] ?? "" }?.hasPrefix("20") == true, "\(String(describing: twice))")
                RuleProbe.expectRule(await RuleProbe.attempt(db, "UPDATE \(unsafeRaw: table) SET reason = '改'"), "\(table)_history_fixed", field: table)
                RuleProbe.expectRule(await RuleProbe.attempt(db, "DELETE FROM \(unsafeRaw: table)"), "\(table)_history_fixed", field: table)
                #expect(try await Self.count(db, table) == 1)
            }

            // The right wave again: one wave of a district, day and method counts, among those not withdrawn.
            #expect(await RuleProbe.attempt(db, Self.wave(400, 317)) == nil)
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.wave(400, 300)), "survey_wave_once", field: "on")
            #expect(try await db.query("SELECT array_agg(generation ORDER BY id)::text FROM survey_wave").single().decode(0, as: String.self) == "{0,1}")
            #expect(await RuleProbe.attempt(db, "INSERT INTO volunteer_award (volunteer_id, name, awarded_on, body) VALUES (\(v.id), '优秀志愿者', '2019-05-01', '凤城市文明办')") == nil)
            RuleProbe.expectRule(await RuleProbe.attempt(db, "INSERT INTO volunteer_award (volunteer_id, name, awarded_on, body) VALUES (\(v.id), '优秀志愿者', '2019-05-01', '别处')"),
                            "volunteer_award_once", field: "name")

            // A writer reading an old snapshot (wave 2 not yet in it) counts the same generation and meets the unique key.
            try await db.execute("INSERT INTO survey_wave_withdrawal (wave_id, reason) VALUES (2, '再次录错')")
            let stale = try await database.connect()
            try await stale.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            #expect(try await Self.count(stale, "survey_wave") == 2)
            try await db.execute(Self.wave(400, 360))
            let raced = await RuleProbe.attempt(stale, Self.wave(400, 399))
            #expect(raced?.sqlState == .uniqueViolation && raced?.constraint == "survey_wave_once", "\(String(describing: raced))")
            try? await stale.execute("ROLLBACK")
            await stale.close()
            #expect(try await db.query("""
                SELECT count(*) FROM survey_wave w WHERE NOT EXISTS (SELECT 1 FROM survey_wave_withdrawal x WHERE x.wave_id = w.id)
                """).single().decode(0, as: Int.self) == 1)

            try await db.withIsolated { tx in
                #expect(throws: RuleViolation(field: "wave", value: "abc", code: "withdrawal_id")) {
                    try Withdrawals.withdraw(.wave, id: "abc", reason: "录错", on: tx)
                }
                #expect(throws: RuleViolation(field: "award", value: "0", code: "withdrawal_id")) {
                    try Withdrawals.withdraw(.award, id: "0", reason: "录错", on: tx)
                }
                #expect(throws: RuleViolation(field: "reason", value: "", code: "volunteer_evaluation_withdrawal_reason_present")) {
                    try Withdrawals.withdraw(.evaluation, id: "1", reason: "  ", on: tx)
                }
            }
            await db.close()
        }
    }

    /// The office and admins withdraw waves; the staff of the volunteer's district, the office and
    /// admins withdraw awards and evaluations; nobody else, and nobody in another's name.
    @Test func onlyThoseWhoMayWriteARowWithdrawIt() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let owner = try await database.connect()
                let v = try await LedgerFixtures.volunteer(owner, registeredOn: "2019-01-01", district: Self.own)
                try await LedgerFixtures.district(owner, code: Self.other, name: "别的街道")
                try await owner.execute(Self.wave())
                try await owner.execute("INSERT INTO volunteer_award (volunteer_id, name, awarded_on, body) VALUES (\(v.id), '优秀志愿者', '2019-05-01', '文明办')")
                try await owner.execute("INSERT INTO volunteer_evaluation (volunteer_id, evaluated_on, grade, evaluator) VALUES (\(v.id), '2019-06-01', 'good', '服务站')")
                let staffLogin = try await logins.login("staff", district: Self.own)
                let officeLogin = try await logins.login("office")
                let staff = try await logins.connect(as: staffLogin)
                let stranger = try await logins.connect(as: try await logins.login("staff", district: Self.other))
                let organiser = try await logins.connect(as: try await logins.login("organiser"))
                let office = try await logins.connect(as: officeLogin)

                let wave: SQL = "INSERT INTO survey_wave_withdrawal (wave_id, reason) VALUES (1, '录错')"
                let award: SQL = "INSERT INTO volunteer_award_withdrawal (award_id, reason) VALUES (1, '录错')"
                let evaluation: SQL = "INSERT INTO volunteer_evaluation_withdrawal (evaluation_id, reason) VALUES (1, '录错')"
                for (who, conn) in [("staff", staff), ("stranger", stranger), ("organiser", organiser)] {
                    #expect(await RuleProbe.attempt(conn, wave)?.sqlState == .insufficientPrivilege, "\(who) withdraws no wave: a district would grade itself")
                }
                for sql in [award, evaluation] {
                    #expect(await RuleProbe.attempt(stranger, sql)?.sqlState == .insufficientPrivilege, "another district's staff")
                    #expect(await RuleProbe.attempt(organiser, sql)?.sqlState == .insufficientPrivilege)
                }
                #expect(await RuleProbe.attempt(staff, "INSERT INTO volunteer_award_withdrawal (award_id, reason, recorded_by) VALUES (1, '录错', \(officeLogin))") != nil,
                        "nobody withdraws in another's name")
                #expect(await RuleProbe.attempt(office, "INSERT INTO survey_wave_withdrawal (wave_id, reason, recorded_at) VALUES (1, '录错', '2025-01-01')") != nil,
                        "nor back-dates a withdrawal")
                for (table, login) in [("survey_wave_withdrawal", officeLogin), ("volunteer_award_withdrawal", staffLogin)] {
                    #expect(try await Self.count(owner, table) == 0, "\(table): nothing written by the refusals (\(login))")
                }
                #expect(await RuleProbe.attempt(staff, award) == nil)
                #expect(await RuleProbe.attempt(office, evaluation) == nil)
                #expect(await RuleProbe.attempt(office, wave) == nil)
                #expect(try await owner.query("SELECT recorded_by FROM volunteer_award_withdrawal").single().decode(0, as: String.self) == staffLogin)
                #expect(try await owner.query("SELECT recorded_by FROM survey_wave_withdrawal").single().decode(0, as: String.self) == officeLogin)
                for sql: SQL in ["UPDATE volunteer_award_withdrawal SET reason = 'x'", "DELETE FROM survey_wave_withdrawal",
                                 "UPDATE survey_wave SET generation = 5", "TRUNCATE volunteer_evaluation_withdrawal"] {
                    for conn in [staff, organiser, office] { #expect(await RuleProbe.attempt(conn, sql) != nil, "\(sql)") }
                }
                #expect(try await organiser.query("SELECT count(*) FROM volunteer_award_withdrawal").single().decode(0, as: Int.self) == 1, "everyone reads them")
                #expect(try await owner.query("SELECT count(*) FROM audit_log l JOIN audit_chain c ON c.id = l.link_id WHERE c.table_name LIKE '%withdrawal'")
                    .single().decode(0, as: Int.self) == 3, "each withdrawal is in the audit trail")
                for conn in [staff, stranger, organiser, office, owner] { await conn.close() }
            }
        }
    }

    /// The support rate leaves a withdrawn wave out from the moment it is withdrawn; a replay of an
    /// earlier moment prints the figures filed then; the right wave can be recorded again.
    @Test func aWithdrawnWaveLeavesTheSupportRateAndReplaysKeepIt() async throws {
        try await TestDatabase.with { database in
            try await SurveyCLITests.city(database)
            let added = try await CLIRunner.run(["survey", "add", "--on", "2025-06-10", "--method", "入户", "--district", Self.own,
                                                 "--sample", "400", "--supportive", "391"], database: database)
            #expect(added.stdout == "1\n", "\(added.stderr)")
            let filed = try await CLIRunner.run(["metrics", "--year", "2025", "--format", "json"], database: database)
            let db = try await database.connect()
            let moment = try await db.query("SELECT to_char(clock_timestamp() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD\"T\"HH24:MI:SS.US+08:00')")
                .single().decode(0, as: String.self)

            for (arguments, needle) in [(["abc", "--reason", "录错"], "调查轮次(wave)「abc」"), (["1", "--reason", " "], "原因(reason)"),
                                        (["99", "--reason", "录错"], "没有这一轮调查")] {
                let bad = try await CLIRunner.run(["--lang", "zh", "survey", "withdraw"] + arguments, database: database)
                #expect(bad.status != 0 && bad.stdout.isEmpty && bad.stderr.contains(needle), "\(arguments): \(bad.stderr)")
            }
            #expect(try await Self.count(db, "survey_wave_withdrawal") == 0)
            let withdrawn = try await CLIRunner.run(["--lang", "zh", "survey", "withdraw", "1", "--reason", "支持人数录错，按调查报告重录"], database: database)
            #expect(withdrawn.status == 0 && withdrawn.stdout == "已撤销调查轮次 1，不再计入支持率。\n", "\(withdrawn.stderr)")
            let again = try await CLIRunner.run(["--lang", "zh", "survey", "withdraw", "1", "--reason", "再来"], database: database)
            #expect(again.status != 0 && again.stderr.contains("这一轮调查已于 20"), "\(again.stderr)")

            #expect(try await CLIRunner.run(["survey", "report", "--year", "2025"], database: database).status != 0, "no wave counts now")
            let redone = try await CLIRunner.run(["survey", "add", "--on", "2025-06-10", "--method", "household", "--district", Self.own,
                                                  "--sample", "400", "--supportive", "319"], database: database)
            #expect(redone.stdout == "2\n", "the right wave for the same district, day and method: \(redone.stderr)")
            let doubled = try await CLIRunner.run(["--lang", "zh", "survey", "add", "--on", "2025-06-10", "--method", "household", "--district", Self.own,
                                                   "--sample", "400", "--supportive", "300"], database: database)
            #expect(doubled.status != 0 && doubled.stderr.contains("先撤销原记录"), "\(doubled.stderr)")

            let now = try Self.json(try await CLIRunner.run(["metrics", "--year", "2025", "--format", "json"], database: database).stdout)
            let city = try #require((now["support_rate"] as? [String: Any])?["city"] as? [String: Any])
            #expect(city["supportive"] as? Int == 319 && city["waves"] as? Int == 1 && city["meets"] as? Bool == false)

            let replay = try await CLIRunner.run(["metrics", "--year", "2025", "--as-recorded-at", moment, "--format", "json"], database: database)
            let replayed = try #require(try Self.json(replay.stdout)["support_rate"] as? NSDictionary, "\(replay.stderr)")
            let original = try #require(try Self.json(filed.stdout)["support_rate"] as? NSDictionary)
            #expect(replayed == original, "the replay of the filed moment prints the filed support rate")
            #expect((original["city"] as? [String: Any])?["supportive"] as? Int == 391)

            let listed = try await CLIRunner.run(["survey", "list", "--format", "json"], database: database)
            let waves = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]], "\(listed.stderr)")
            #expect(waves.map { $0["id"] as? Int } == [1, 2])
            #expect((waves[0]["withdrawn"] as? [String: Any])?["reason"] as? String == "支持人数录错，按调查报告重录")
            #expect(waves[1]["withdrawn"] is NSNull)
            let table = try await CLIRunner.run(["--lang", "zh", "survey", "list"], database: database)
            #expect(table.stdout.contains("撤销原因") && table.stdout.contains("支持人数录错"), "\(table.stdout)")
            let csv = try await CLIRunner.run(["survey", "list", "--format", "csv"], database: database)
            #expect(csv.stdout.hasPrefix("id,surveyed_on,method,district_code,sample_size,supportive,surveyor,answers,withdrawn_at,withdrawn_reason\n"), "\(csv.stdout)")
            await db.close()
        }
    }

    /// A statement issued after a withdrawal leaves the award or evaluation out; one issued before
    /// reprints as issued.
    @Test func statementsIssuedAfterAWithdrawalLeaveItOut() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            let f = MetricsFixture(db)
            let activity = try await f.activity(district: Self.own, starts: "2019-05-01 08:00+08", ends: "2019-05-01 12:00+08")
            try await f.approvedEntry(v.id, activity: activity, start: "2019-05-01 08:00+08", minutes: 90)
            _ = try await CLIRunner.run(["award", "add", v.number, "--name", "优秀志愿者", "--on", "2019-12-05", "--body", "凤城市文名办"], database: database)
            _ = try await CLIRunner.run(["evaluation", "add", v.number, "--grade", "优秀", "--on", "2019-11-20", "--by", "别的志愿者"], database: database)
            let statement = ["statement", v.number, "--from", "2019-01-01", "--to", "2019-12-31", "--format", "json", "--issuer", "凤城市文明办"]
            let before = try await CLIRunner.run(statement, database: database)
            let issued = try Self.json(before.stdout)
            #expect((issued["awards"] as? [Any])?.count == 1 && (issued["evaluations"] as? [Any])?.count == 1, "\(before.stdout)")

            let award = try await CLIRunner.run(["--lang", "zh", "award", "withdraw", "1", "--reason", "授予单位录错"], database: database)
            #expect(award.stdout == "已撤销表彰奖励 1，此后出具的服务证明不再列出。\n", "\(award.stderr)")
            let evaluation = try await CLIRunner.run(["evaluation", "withdraw", "1", "--reason", "wrong volunteer"], database: database)
            #expect(evaluation.status == 0, "\(evaluation.stderr)")
            let bad = try await CLIRunner.run(["--lang", "zh", "award", "withdraw", "1", "--reason", String(repeating: "长", count: 201)], database: database)
            #expect(bad.status != 0 && bad.stderr.contains("原因(reason)"), "\(bad.stderr)")

            let number = try #require(issued["statement_number"] as? String)
            let reprinted = try await CLIRunner.run(["statement", "--reprint", number, "--format", "json"], database: database)
            #expect(reprinted.stdout == before.stdout, "a statement already issued is reprinted as issued")
            let verified = try await CLIRunner.run(["statement", "verify", number], database: database)
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")

            let after = try await CLIRunner.run(statement, database: database)
            #expect(!after.stdout.contains("\"awards\"") && !after.stdout.contains("\"evaluations\""), "\(after.stdout)")
            #expect(try Self.json(after.stdout)["approved_minutes"] as? Int == 90)

            let right = try await CLIRunner.run(["award", "add", v.number, "--name", "优秀志愿者", "--on", "2019-12-05", "--body", "凤城市文明办"], database: database)
            #expect(right.stdout == "2\n", "the award recorded again, right: \(right.stderr)")
            let latest = try Self.json(try await CLIRunner.run(statement, database: database).stdout)
            #expect((latest["awards"] as? [[String: Any]])?.map { $0["body"] as? String } == ["凤城市文明办"])

            let listed = try await CLIRunner.run(["award", "list", "--format", "json"], database: database)
            let awards = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]], "\(listed.stderr)")
            #expect(awards.map { ($0["withdrawn"] as? [String: Any])?["reason"] as? String } == ["授予单位录错", nil])
            let evaluations = try await CLIRunner.run(["--lang", "zh", "evaluation", "list"], database: database)
            #expect(evaluations.stdout.contains("wrong volunteer") && evaluations.stdout.contains("撤销时间"), "\(evaluations.stdout)")
            await db.close()
        }
    }
}
