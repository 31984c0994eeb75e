import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 15, registration training (0153): courses and attendance with their rules, who may
/// record them, and the statement's own section (never the service hours).
struct TrainingTests {
    @Test func coursesAndAttendanceKeepTheirRules() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let volunteer = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            let course = try await db.query("""
                INSERT INTO training_course (name, content, study_minutes, organiser, held_on)
                VALUES ('通用培训', '志愿服务理念与礼仪', 120, '凤城市文明办', '2019-03-01') RETURNING id
                """).single().decode(0, as: Int64.self)
            RuleProbe.expectRule(await RuleProbe.attempt(db, "INSERT INTO training_course (name, content, study_minutes, organiser, held_on) VALUES ('x', 'y', 0, 'z', '2019-03-01')"),
                            "training_course_study_minutes_range", field: "hours")
            RuleProbe.expectRule(await RuleProbe.attempt(db, "INSERT INTO training_course (name, content, study_minutes, organiser, held_on) VALUES ('x', 'y', 60, 'z', '2999-03-01')"),
                            "training_course_not_future", field: "on")
            #expect(await RuleProbe.attempt(db, "INSERT INTO training_course (name, content, study_minutes, organiser, held_on) VALUES (' ', 'y', 60, 'z', '2019-03-01')")?.constraint
                    == "training_course_name_present")
            RuleProbe.expectRule(await RuleProbe.attempt(db, "UPDATE training_course SET study_minutes = 600"), "training_course_fixed", field: "course")
            func attend(_ minutes: Int?, _ certificate: String? = nil, _ expires: String? = nil) -> SQL {
                """
                INSERT INTO training_attendance (course_id, volunteer_id, study_minutes, certificate_number, certificate_expires_on)
                VALUES (\(course), \(volunteer.id), \(minutes), \(certificate), \(expires)::date)
                """
            }
            RuleProbe.expectRule(await RuleProbe.attempt(db, attend(121)), "training_attendance_study_minutes_range", field: "hours")
            RuleProbe.expectRule(await RuleProbe.attempt(db, attend(nil, nil, "2020-01-01")), "training_attendance_expiry_with_certificate", field: "expires")
            RuleProbe.expectRule(await RuleProbe.attempt(db, attend(nil, "C-1", "2019-03-01")), "training_attendance_expiry_after_course", field: "expires")
            #expect(try await db.query("SELECT count(*) FROM training_attendance").single().decode(0, as: Int.self) == 0)
            #expect(await RuleProbe.attempt(db, attend(nil, "C-1", "2021-03-01")) == nil)
            #expect(try await db.query("SELECT study_minutes FROM training_attendance").single().decode(0, as: Int.self) == 120, "the course's hours by default")
            RuleProbe.expectRule(await RuleProbe.attempt(db, attend(60)), "training_attendance_once", field: "volunteer")
            #expect(await RuleProbe.attempt(db, "DELETE FROM training_attendance")?.constraint == "training_attendance_history_fixed")

            try await db.withIsolated { tx in
                for bad in ["0", "-1", "1.333", "abc", "1.33", "200"] where bad != "200" {
                    #expect(throws: RuleViolation(field: "hours", value: bad, code: "training_hours_format")) { try Training.studyMinutes(bad) }
                }
                #expect(try Training.studyMinutes("1.5") == 90)
                #expect(try Training.studyMinutes("０.２５") == 15)
                #expect(throws: RuleViolation(field: "within", value: "4000", code: "training_within_range")) {
                    try Training.expiring(withinDays: 4000, from: nil, on: tx)
                }
                let soon = try Training.expiring(withinDays: 30, from: "2021-02-15", on: tx)
                #expect(soon.map(\.certificateNumber) == ["C-1"])
                #expect(try Training.expiring(withinDays: 30, from: "2021-03-02", on: tx).isEmpty, "expired ones are not expiring")
            }
            // Training is never service: no ledger row, no rollup.
            #expect(try await db.query("SELECT (SELECT count(*) FROM hours_entry) + (SELECT count(*) FROM metrics_volunteer_year)").single().decode(0, as: Int.self) == 0)
            await db.close()
        }
    }

    @Test func organisersRecordTrainingOnlyForTheirOrganisation() async throws {
        try await TestDatabase.with { database in
            try await TestLogins.with(database) { logins in
                let owner = try await database.connect()
                let volunteer = try await LedgerFixtures.volunteer(owner, registeredOn: "2019-01-01")
                let org = try await owner.query("""
                    INSERT INTO organisation (name, kind, credit_code, district_code, founded_on)
                    VALUES ('凤城市志愿者协会', 'registered', '91110000802100433B', '210682001', '2015-03-05') RETURNING id
                    """).single().decode(0, as: Int64.self)
                let aliceLogin = try await logins.login("organiser")
                try await owner.execute("INSERT INTO organisation_organiser (organisation_id, login) VALUES (\(org), \(aliceLogin))")
                await owner.close()
                let alice = try await logins.connect(as: aliceLogin)
                let bob = try await logins.connect(as: try await logins.login("organiser"))
                let staff = try await logins.connect(as: try await logins.login("staff", district: "210682001"))
                func course(_ organisation: Int64?) -> SQL {
                    "INSERT INTO training_course (name, content, study_minutes, organiser, organisation_id, held_on) VALUES ('通用培训', '理念', 120, '协会', \(organisation), '2019-03-01')"
                }
                #expect(await RuleProbe.attempt(bob, course(org))?.sqlState == .insufficientPrivilege)
                #expect(await RuleProbe.attempt(alice, course(nil))?.sqlState == .insufficientPrivilege, "an organiser names their organisation")
                #expect(await RuleProbe.attempt(staff, course(nil))?.sqlState == .insufficientPrivilege)
                #expect(await RuleProbe.attempt(alice, course(org)) == nil)
                let id = try await alice.query("SELECT id FROM training_course").single().decode(0, as: Int64.self)
                let attend: SQL = "INSERT INTO training_attendance (course_id, volunteer_id) VALUES (\(id), \(volunteer.id))"
                #expect(await RuleProbe.attempt(bob, attend)?.sqlState == .insufficientPrivilege)
                #expect(await RuleProbe.attempt(staff, attend)?.sqlState == .insufficientPrivilege)
                #expect(await RuleProbe.attempt(alice, attend) == nil)
                #expect(try await alice.query("SELECT recorded_by FROM training_attendance").single().decode(0, as: String.self) == aliceLogin)
                for conn in [alice, bob, staff] { await conn.close() }
            }
        }
    }

    /// A statement of a period with training shows it in a section of its own; the hours and every
    /// other key are as before, and a statement without training has no such key.
    @Test func theStatementShowsTrainingApartFromItsHours() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let volunteer = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01")
            let other = try await LedgerFixtures.volunteer(db, registeredOn: "2019-01-01", name: "李四")
            let f = MetricsFixture(db)
            let activity = try await f.activity(district: "210682001", starts: "2019-05-01 08:00+08", ends: "2019-05-01 12:00+08")
            try await f.approvedEntry(volunteer.id, activity: activity, start: "2019-05-01 08:00+08", minutes: 90)
            await db.close()
            let course = try await CLIRunner.run(["training", "add", "--name", "通用培训", "--content", "志愿服务理念", "--hours", "2", "--organiser", "凤城市文明办",
                                                  "--on", "2019-03-01"], database: database)
            #expect(course.stdout == "1\n", "\(course.stderr)")
            let attended = try await CLIRunner.run(["training", "attend", "1", volunteer.number, "--certificate", "FC-2019-001", "--expires", "2022-03-01"], database: database)
            #expect(attended.status == 0, "\(attended.stderr)")
            let bad = try await CLIRunner.run(["--lang", "zh", "training", "attend", "1", other.number, "--hours", "2.5"], database: database)
            #expect(bad.status != 0 && bad.stderr.contains("学时(hours)「2.50」：学时须大于 0 且不超过课程学时"), "\(bad.stderr)")

            let issued = try await CLIRunner.run(["statement", volunteer.number, "--from", "2019-01-01", "--to", "2019-12-31", "--format", "json", "--issuer", "凤城市文明办"],
                                                 database: database)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(issued.stdout.utf8)) as? [String: Any], "\(issued.stderr)")
            #expect(object["approved_minutes"] as? Int == 90)
            #expect(object["cumulative_approved_minutes"] as? Int == 90)
            let training = try #require(object["training"] as? [[String: Any]])
            #expect(training.count == 1)
            #expect(training.first?["study_minutes"] as? Int == 120)
            #expect(training.first?["certificate_number"] as? String == "FC-2019-001")
            #expect(issued.stdout.hasSuffix("  },\n  \"training\": [\n    {\n      \"course\": \"通用培训\",\n      \"content\": \"志愿服务理念\",\n      \"organiser\": \"凤城市文明办\",\n      \"date\": \"2019-03-01\",\n      \"study_minutes\": 120,\n      \"study_hours\": 2.00,\n      \"certificate_number\": \"FC-2019-001\",\n      \"certificate_expires_on\": \"2022-03-01\"\n    }\n  ]\n}\n"), "\(issued.stdout)")
            let number = try #require(object["statement_number"] as? String)
            let reprinted = try await CLIRunner.run(["statement", "--reprint", number, "--format", "json"], database: database)
            #expect(reprinted.stdout == issued.stdout)
            let text = try await CLIRunner.run(["statement", "--reprint", number], database: database)
            #expect(text.stdout.contains("注册培训（另行记录，不计入志愿服务时长）"))
            let verified = try await CLIRunner.run(["statement", "verify", number, "--format", "json"], database: database)
            #expect(verified.stdout.contains("\"valid\": true"), "\(verified.stdout)\(verified.stderr)")

            let plain = try await CLIRunner.run(["statement", other.number, "--from", "2019-01-01", "--to", "2019-12-31", "--format", "json", "--issuer", "凤城市文明办"],
                                                database: database)
            #expect(!plain.stdout.contains("training"), "\(plain.stdout)")
            #expect(plain.stdout.hasSuffix("\n  }\n}\n"), "ends with the audit head as before")
        }
    }
}
