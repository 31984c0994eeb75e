import Checksums
import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// Issue 16 §4: the support-rate survey's arithmetic (Wilson interval, sample size), its rules in
/// the database, who may write it; and the evidence pack's window and checksums.
struct SurveyTests {
    /// Values computed by hand from the closed form (x = 0 and x = n reduce to z²/(n+z²) and n/(n+z²)).
    @Test func theWilsonIntervalMatchesHandComputedValues() {
        func bounds(_ x: Int64, _ n: Int64) -> [String] {
            let interval = WilsonInterval(supportive: x, sample: n)
            return [WilsonInterval.text(interval.lower), WilsonInterval.text(interval.upper)]
        }
        #expect(bounds(90, 100) == ["0.8256", "0.9448"])
        #expect(bounds(371, 400) == ["0.8978", "0.9490"])
        #expect(bounds(0, 10) == ["0.0000", "0.2775"])     // 3.8415 / 13.8415
        #expect(bounds(10, 10) == ["0.7225", "1.0000"])    // 10 / 13.8415
        #expect(bounds(1100, 1200) == ["0.8997", "0.9310"])
        #expect(WilsonInterval.sampleNeeded(supportive: 90, sample: 100) == 385)
        #expect(WilsonInterval.sampleNeeded(supportive: 371, sample: 400) == 288)
        #expect(WilsonInterval.sampleNeeded(supportive: 10, sample: 10) == 1068, "no spread observed: the worst case")
    }

    @Test func meetsIsDecidedOnTheExactShareAndTheLowerBoundWarns() throws {
        let target = SupportRateReport.planTarget
        let exactlyOnTarget = SupportRateFigures(waves: 1, sample: 1000, supportive: 900, target: target)
        #expect(exactlyOnTarget.share == "0.9000" && exactlyOnTarget.meets == true && exactlyOnTarget.lowerBoundBelowTarget == true)
        let justBelow = SupportRateFigures(waves: 1, sample: 100_000, supportive: 89_999, target: target)
        #expect(justBelow.share == "0.9000" && justBelow.meets == false, "rounds to 0.9000 but is below 90 %")
        let clear = SupportRateFigures(waves: 2, sample: 2000, supportive: 1900, target: target)
        #expect(clear.meets == true && clear.lowerBoundBelowTarget == false)
        #expect(throws: RuleViolation(field: "target-support-rate", value: "1.5", code: "ratio")) { try SupportRateReport.target("1.5") }
        #expect(try SupportRateReport.target("0.85").text == "0.85")
    }

    @Test func methodsAreKnownInBothWords() throws {
        #expect(try SurveyMethod.parse("入户") == .household)
        #expect(try SurveyMethod.parse("电话调查") == .phone)
        #expect(try SurveyMethod.parse(" Online ") == .online)
        #expect(throws: RuleViolation(field: "method", value: "问卷", code: "survey_wave_method_known")) { try SurveyMethod.parse("问卷") }
    }

    @Test func theVisitWindowIsTheTwelveMonthsEndingAMonthBefore() {
        let window = MetricsWindow(visit: CalendarDate(iso: "2026-06-15")!)
        #expect(window.from.description == "2025-05-15" && window.through.description == "2026-05-14")
        #expect(window.populationYear == 2025)
        let endOfMonth = MetricsWindow(visit: CalendarDate(iso: "2026-03-31")!)
        #expect(endOfMonth.from.description == "2025-02-28" && endOfMonth.through.description == "2026-02-27")
        let january = MetricsWindow(visit: CalendarDate(iso: "2026-01-10")!)
        #expect(january.from.description == "2024-12-10" && january.through.description == "2025-12-09" && january.populationYear == 2025)
        let late = MetricsWindow(visit: CalendarDate(iso: "2026-11-20")!)
        #expect(late.populationYear == 2026, "most of 2025-10-20 … 2026-10-19 lies in 2026")
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    static func wave(_ on: String = "2025-06-10", method: String = "household", district: String = "210682001", sample: Int = 400, supportive: Int = 371) -> SQL {
        """
        INSERT INTO survey_wave (surveyed_on, method, district_code, sample_size, supportive)
        VALUES (\(on)::date, \(method), \(district), \(sample), \(supportive))
        """
    }

    /// Every rule refuses through plain SQL, with its code and field, and writes nothing.
    @Test func theDatabaseRefusesBadWaves() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            try await LedgerFixtures.district(db)
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.wave(sample: 0, supportive: 0)), "survey_wave_sample_positive", field: "sample")
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.wave(sample: -5, supportive: 0)), "survey_wave_sample_positive", field: "sample")
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.wave(sample: 100, supportive: 101)), "survey_wave_supportive_range", field: "supportive")
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.wave(sample: 100, supportive: -1)), "survey_wave_supportive_range", field: "supportive")
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.wave(method: "问卷")), "survey_wave_method_known", field: "method")
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.wave("1999-12-31")), "survey_wave_date_range", field: "on")
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.wave("2999-01-01")), "survey_wave_not_future", field: "on")
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.wave(district: "999999999")), "survey_wave_district_fkey", field: "district")
            #expect(try await LedgerFixtures.count(db, "survey_wave") == 0)
            #expect(await RuleProbe.attempt(db, Self.wave()) == nil)
            RuleProbe.expectRule(await RuleProbe.attempt(db, Self.wave(sample: 10, supportive: 9)), "survey_wave_once", field: "on")
            #expect(await RuleProbe.attempt(db, "UPDATE survey_wave SET supportive = 400")?.constraint == "survey_wave_history_fixed")
            #expect(await RuleProbe.attempt(db, "DELETE FROM survey_wave")?.constraint == "survey_wave_history_fixed")
            #expect(try await db.query("SELECT supportive FROM survey_wave").single().decode(0, as: Int.self) == 371)
            await db.close()
        }
    }

    /// The office (and the admin) records waves; community staff and organisers read them only,
    /// and nobody records a wave in someone else's name.
    @Test func onlyTheOfficeRecordsWaves() async throws {
        try await TestDatabase.with { database in
            let owner = try await database.connect()
            try await LedgerFixtures.district(owner)
            await owner.close()
            try await TestLogins.with(database) { logins in
                let office = try await logins.connect(as: try await logins.login("office"))
                let staff = try await logins.connect(as: try await logins.login("staff", district: "210682001"))
                let organiser = try await logins.connect(as: try await logins.login("organiser"))
                #expect(await RuleProbe.attempt(staff, Self.wave())?.sqlState == .insufficientPrivilege)
                #expect(await RuleProbe.attempt(organiser, Self.wave())?.sqlState == .insufficientPrivilege)
                #expect(await RuleProbe.attempt(office, """
                    INSERT INTO survey_wave (surveyed_on, method, district_code, sample_size, supportive, recorded_by)
                    VALUES ('2025-06-10', 'phone', '210682001', 100, 95, 'someone_else')
                    """) != nil, "recorded_by is the login's")
                #expect(await RuleProbe.attempt(office, Self.wave()) == nil)
                #expect(try await staff.query("SELECT count(*) FROM survey_wave").single().decode(0, as: Int.self) == 1)
                #expect(await RuleProbe.attempt(office, "UPDATE survey_wave SET supportive = 1") != nil)
                for conn in [office, staff, organiser] { await conn.close() }
            }
        }
    }

    /// Individual answers (0260) through plain SQL as the office: a wave's answers make up its
    /// sample exactly at commit, are never added later, changed or removed, and name no one.
    @Test func answersMakeUpTheirWaveExactly() async throws {
        try await TestDatabase.with { database in
            let owner = try await database.connect()
            try await LedgerFixtures.district(owner)
            await owner.close()
            try await TestLogins.with(database) { logins in
                let office = try await logins.connect(as: try await logins.login("office"))
                let staff = try await logins.connect(as: try await logins.login("staff", district: "210682001"))
                func wave(_ sample: Int, _ supportive: Int, answers: [Bool], on day: String = "2025-06-10") -> SQL {
                    """
                    WITH w AS (INSERT INTO survey_wave (surveyed_on, method, district_code, sample_size, supportive)
                               VALUES (\(day)::date, 'street', '210682001', \(sample), \(supportive)) RETURNING id)
                    INSERT INTO survey_response (wave_id, ordinal, supportive)
                    SELECT w.id, a.ordinal, a.answer FROM w, unnest(\(answers)::boolean[]) WITH ORDINALITY AS a(answer, ordinal)
                    """
                }
                // Too few answers, the wrong supportive count: refused when the transaction commits.
                RuleProbe.expectRule(await RuleProbe.attempt(office, wave(3, 2, answers: [true, false])), "survey_response_totals", field: "wave")
                RuleProbe.expectRule(await RuleProbe.attempt(office, wave(3, 2, answers: [true, true, true])), "survey_response_totals", field: "wave")
                let owner = try await database.connect()
                #expect(try await LedgerFixtures.count(owner, "survey_wave") == 0, "the wave went with its answers")
                #expect(try await LedgerFixtures.count(owner, "survey_response") == 0)
                #expect(await RuleProbe.attempt(office, wave(3, 2, answers: [true, false, true])) == nil)
                let id: Int64 = try await owner.query("SELECT id FROM survey_wave").single().decode(0)
                // No answer joins a recorded wave later, and none is changed or removed.
                RuleProbe.expectRule(await RuleProbe.attempt(office, "INSERT INTO survey_response (wave_id, ordinal, supportive) VALUES (\(id), 4, true)"),
                                "survey_response_totals", field: "wave")
                #expect(await RuleProbe.attempt(office, "UPDATE survey_response SET supportive = true")?.sqlState == .insufficientPrivilege)
                #expect(await RuleProbe.attempt(owner, "UPDATE survey_response SET supportive = true")?.constraint == "survey_response_history_fixed")
                #expect(await RuleProbe.attempt(owner, "DELETE FROM survey_response")?.constraint == "survey_response_history_fixed")
                RuleProbe.expectRule(await RuleProbe.attempt(office, "INSERT INTO survey_response (wave_id, ordinal, supportive) VALUES (999, 1, true)"),
                                "survey_response_wave_fkey", field: "wave")
                // Answers name no one.
                for personal in ["13812345678", TestIDNumber.make(sequence: 5), String(repeating: "x", count: 41)] {
                    RuleProbe.expectRule(await RuleProbe.attempt(owner, """
                        WITH w AS (INSERT INTO survey_wave (surveyed_on, method, district_code, sample_size, supportive)
                                   VALUES ('2025-07-01', 'phone', '210682001', 1, 1) RETURNING id)
                        INSERT INTO survey_response (wave_id, ordinal, supportive, respondent) SELECT w.id, 1, true, \(personal) FROM w
                        """), "survey_response_respondent_anonymous", field: "respondent")
                }
                // Staff read answers but do not write them.
                #expect(await RuleProbe.attempt(staff, "INSERT INTO survey_response (wave_id, ordinal, supportive) VALUES (\(id), 4, true)")?.sqlState
                        == .insufficientPrivilege)
                #expect(try await staff.query("SELECT count(*) FROM survey_response").single().decode(0, as: Int.self) == 3)
                #expect(try await owner.query("SELECT sample_size, supportive FROM survey_wave").single().decode(0, as: Int.self) == 3)
                #expect(try await LedgerFixtures.count(owner, "survey_response") == 3)
                for conn in [office, staff, owner] { await conn.close() }
            }
        }
    }
}
