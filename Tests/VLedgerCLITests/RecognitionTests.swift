import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 16 §3: awards and evaluations (their rules, who may write them as real logins through
/// plain SQL, the statement's sections) and the recognition reports with every criterion's figure.
struct RecognitionTests {
    static let own = "210682001"
    static let other = "210682002"

    static func count(_ db: Connection, _ table: String) async throws -> Int {
        try await db.query("SELECT count(*) FROM \(unsafeRaw: table)").single().decode(0, as: Int.self)
    }

    @Test func awardsAndEvaluationsKeepTheirRules() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            func award(_ name: String, _ on: String, _ body: String) -> SQL {
                "INSERT INTO volunteer_award (volunteer_id, name, awarded_on, body) VALUES (\(v.id), \(name), \(on)::date, \(body))"
            }
            RuleProbe.expectRule(await RuleProbe.attempt(db, award(" ", "2019-05-01", "文明办")), "volunteer_award_name_present", field: "name")
            RuleProbe.expectRule(await RuleProbe.attempt(db, award("优秀志愿者", "2019-05-01", "")), "volunteer_award_body_present", field: "body")
            RuleProbe.expectRule(await RuleProbe.attempt(db, award("优秀志愿者", "2999-05-01", "文明办")), "volunteer_award_not_future", field: "on")
            RuleProbe.expectRule(await RuleProbe.attempt(db, award("优秀志愿者", "2018-05-01", "文明办")), "volunteer_award_registered", field: "on")
            RuleProbe.expectRule(await RuleProbe.attempt(db, "INSERT INTO volunteer_award (volunteer_id, name, awarded_on, body) VALUES (999999, 'x', '2019-05-01', 'y')"),
                            "volunteer_award_volunteer_fkey", field: "volunteer")
            #expect(try await Self.count(db, "volunteer_award") == 0)
            #expect(await RuleProbe.attempt(db, award("优秀志愿者", "2019-05-01", "文明办")) == nil)
            RuleProbe.expectRule(await RuleProbe.attempt(db, award("优秀志愿者", "2019-05-01", "另一单位")), "volunteer_award_once", field: "name")
            RuleProbe.expectRule(await RuleProbe.attempt(db, "UPDATE volunteer_award SET body = '改'"), "volunteer_award_history_fixed", field: "volunteer_award")
            RuleProbe.expectRule(await RuleProbe.attempt(db, "DELETE FROM volunteer_award"), "volunteer_award_history_fixed", field: "volunteer_award")

            func evaluation(_ score: Int?, _ grade: String?, _ on: String = "2019-06-01", _ by: String = "服务站") -> SQL {
                "INSERT INTO volunteer_evaluation (volunteer_id, evaluated_on, score, grade, evaluator) VALUES (\(v.id), \(on)::date, \(score), \(grade), \(by))"
            }
            RuleProbe.expectRule(await RuleProbe.attempt(db, evaluation(nil, nil)), "volunteer_evaluation_score_or_grade", field: "score")
            RuleProbe.expectRule(await RuleProbe.attempt(db, evaluation(90, "good")), "volunteer_evaluation_score_or_grade", field: "score")
            RuleProbe.expectRule(await RuleProbe.attempt(db, evaluation(101, nil)), "volunteer_evaluation_score_range", field: "score")
            RuleProbe.expectRule(await RuleProbe.attempt(db, evaluation(nil, "superb")), "volunteer_evaluation_grade_known", field: "grade")
            RuleProbe.expectRule(await RuleProbe.attempt(db, evaluation(nil, "good", "2019-06-01", " ")), "volunteer_evaluation_evaluator_present", field: "evaluator")
            RuleProbe.expectRule(await RuleProbe.attempt(db, evaluation(nil, "good", "2999-06-01")), "volunteer_evaluation_not_future", field: "on")
            RuleProbe.expectRule(await RuleProbe.attempt(db, evaluation(nil, "good", "2018-06-01")), "volunteer_evaluation_registered", field: "on")
            #expect(try await Self.count(db, "volunteer_evaluation") == 0)
            #expect(await RuleProbe.attempt(db, evaluation(88, nil)) == nil)
            RuleProbe.expectRule(await RuleProbe.attempt(db, "DELETE FROM volunteer_evaluation"), "volunteer_evaluation_history_fixed", field: "volunteer_evaluation")

            try await db.withIsolated { tx in
                #expect(throws: RuleViolation(field: "score", value: nil, code: "volunteer_evaluation_score_or_grade")) {
                    try Recognition.addEvaluation(volunteer: v.number, score: nil, grade: nil, on: "2019-06-01", evaluator: "站", note: nil, on: tx)
                }
                #expect(throws: RuleViolation(field: "score", value: "1000", code: "volunteer_evaluation_score_range")) {
                    try Recognition.addEvaluation(volunteer: v.number, score: "1000", grade: nil, on: "2019-06-01", evaluator: "站", note: nil, on: tx)
                }
                #expect(throws: RuleViolation(field: "grade", value: "很好", code: "volunteer_evaluation_grade_known")) {
                    try Recognition.addEvaluation(volunteer: v.number, score: nil, grade: "很好", on: "2019-06-01", evaluator: "站", note: nil, on: tx)
                }
                #expect(throws: RuleViolation(field: "body", value: "", code: "volunteer_award_body_present")) {
                    try Recognition.addAward(volunteer: v.number, name: "优秀", on: "2019-06-01", body: " ", on: tx)
                }
                let id = try Recognition.addEvaluation(volunteer: v.number, score: nil, grade: "优秀", on: "2019-07-01", evaluator: "站", note: nil, on: tx)
                #expect(try tx.query("SELECT grade FROM volunteer_evaluation WHERE id = \(id)").single().decode(0, as: String.self) == "excellent")
            }
            #expect(try await Self.count(db, "volunteer_evaluation") == 2)
            await db.close()
        }
    }

    /// Staff write for the volunteers of their own district, the office for any; organisers and
    /// other districts' staff are refused by the database; who and when come from the database.
    @Test func onlyTheVolunteersStaffAndTheOfficeWriteThem() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let owner = try await database.connect()
                let v = try await LedgerFixtures.volunteer(owner, registeredOn: "2019-01-01", district: Self.own)
                try await LedgerFixtures.district(owner, code: Self.other, name: "别的街道")
                await owner.close()
                let staffLogin = try await logins.login("staff", district: Self.own)
                let staff = try await logins.connect(as: staffLogin)
                let stranger = try await logins.connect(as: try await logins.login("staff", district: Self.other))
                let organiser = try await logins.connect(as: try await logins.login("organiser"))
                let office = try await logins.connect(as: try await logins.login("office"))
                let award: SQL = "INSERT INTO volunteer_award (volunteer_id, name, awarded_on, body) VALUES (\(v.id), '优秀志愿者', '2019-05-01', '文明办')"
                let evaluation: SQL = "INSERT INTO volunteer_evaluation (volunteer_id, evaluated_on, grade, evaluator) VALUES (\(v.id), '2019-06-01', 'good', '服务站')"
                for sql in [award, evaluation] {
                    #expect(await RuleProbe.attempt(stranger, sql)?.sqlState == .insufficientPrivilege)
                    #expect(await RuleProbe.attempt(organiser, sql)?.sqlState == .insufficientPrivilege)
                    #expect(await RuleProbe.attempt(staff, sql) == nil)
                }
                #expect(await RuleProbe.attempt(staff, "INSERT INTO volunteer_award (volunteer_id, name, awarded_on, body, recorded_by) VALUES (\(v.id), '另一项', '2019-05-02', '文明办', 'someone_else')") != nil,
                        "nobody writes in another's name")
                #expect(await RuleProbe.attempt(office, "INSERT INTO volunteer_award (volunteer_id, name, awarded_on, body) VALUES (\(v.id), '十佳志愿者', '2019-12-01', '凤城市文明办')") == nil)
                #expect(await RuleProbe.attempt(organiser, "UPDATE volunteer_award SET name = 'x'")?.sqlState == .insufficientPrivilege)
                #expect(try await staff.query("SELECT recorded_by FROM volunteer_award WHERE name = '优秀志愿者'").single().decode(0, as: String.self) == staffLogin)
                #expect(try await organiser.query("SELECT count(*) FROM volunteer_award").single().decode(0, as: Int.self) == 2, "everyone reads them")
                for conn in [staff, stranger, organiser, office] { await conn.close() }
            }
        }
    }

    /// A statement of a period shows its awards and evaluations in sections of their own; the
    /// hours are as before, and a statement without them has neither key.
    @Test func theStatementShowsAwardsAndEvaluations() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            let plain = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01", name: "李四")
            let f = MetricsFixture(db)
            let activity = try await f.activity(district: Self.own, starts: "2019-05-01 08:00+08", ends: "2019-05-01 12:00+08")
            try await f.approvedEntry(v.id, activity: activity, start: "2019-05-01 08:00+08", minutes: 90)
            await db.close()
            let added = try await CLIRunner.run(["award", "add", v.number, "--name", "优秀志愿者", "--on", "2019-12-05", "--body", "凤城市文明办"], database: database)
            #expect(added.stdout == "1\n", "\(added.stderr)")
            let graded = try await CLIRunner.run(["evaluation", "add", v.number, "--grade", "优秀", "--on", "2019-11-20", "--by", "凤凰城街道志愿服务队"], database: database)
            #expect(graded.status == 0, "\(graded.stderr)")
            let scored = try await CLIRunner.run(["evaluation", "add", v.number, "--score", "92", "--on", "2019-11-21", "--by", "服务对象", "--note", "耐心细致"], database: database)
            #expect(scored.status == 0, "\(scored.stderr)")
            let bad = try await CLIRunner.run(["--lang", "zh", "evaluation", "add", v.number, "--score", "92", "--grade", "good", "--on", "2019-11-21", "--by", "x"], database: database)
            #expect(bad.status != 0 && bad.stdout.isEmpty && bad.stderr.contains("分数(score)"), "\(bad.stderr)")
            let early = try await CLIRunner.run(["--lang", "zh", "award", "add", v.number, "--name", "某奖", "--on", "2018-12-05", "--body", "文明办"], database: database)
            #expect(early.status != 0 && early.stderr.contains("早于志愿者 \(v.number) 的注册日期 2019-01-01"), "\(early.stderr)")

            let listed = try await CLIRunner.run(["award", "list", "--format", "json"], database: database)
            let awards = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]], "\(listed.stderr)")
            #expect(awards.count == 1 && awards.first?["award"] as? String == "优秀志愿者")
            let table = try await CLIRunner.run(["--lang", "zh", "evaluation", "list", "--volunteer", v.number], database: database)
            #expect(table.stdout.contains("优秀") && table.stdout.contains("评价人"), "\(table.stdout)")

            let issued = try await CLIRunner.run(["statement", v.number, "--from", "2019-01-01", "--to", "2019-12-31", "--format", "json", "--issuer", "凤城市文明办"],
                                                 database: database)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(issued.stdout.utf8)) as? [String: Any], "\(issued.stderr)")
            #expect(object["approved_minutes"] as? Int == 90)
            let stated = try #require(object["awards"] as? [[String: Any]])
            #expect(stated.first?["name"] as? String == "优秀志愿者" && stated.first?["body"] as? String == "凤城市文明办")
            let evaluations = try #require(object["evaluations"] as? [[String: Any]])
            #expect(evaluations.map { $0["grade"] as? String } == ["excellent", nil])
            #expect(evaluations.last?["score"] as? Int == 92)
            let number = try #require(object["statement_number"] as? String)
            let reprinted = try await CLIRunner.run(["statement", "--reprint", number, "--format", "json"], database: database)
            #expect(reprinted.stdout == issued.stdout)
            let text = try await CLIRunner.run(["statement", "--reprint", number], database: database)
            #expect(text.stdout.contains("表彰奖励：") && text.stdout.contains("服务评价：") && text.stdout.contains("92 分"), "\(text.stdout)")

            let none = try await CLIRunner.run(["statement", plain.number, "--from", "2019-01-01", "--to", "2019-12-31", "--format", "json", "--issuer", "凤城市文明办"],
                                               database: database)
            #expect(!none.stdout.contains("awards") && !none.stdout.contains("evaluations"), "\(none.stdout)")
        }
    }
}
