import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

struct StatementTests {
    /// A volunteer with approved, pending, rejected and corrected hours in 2019 and 2020.
    static func setUp(_ db: Connection) async throws -> Int64 {
        let f = MetricsFixture(db)
        try await f.district("210682001", "凤凰城街道")
        let volunteer = try await f.volunteer(7, district: "210682001", registeredOn: "2018-05-04", name: "张伟")
        let march = try await f.activity(district: "210682001", starts: "2019-03-01 08:00+08", ends: "2019-03-01 12:00+08", title: "文明交通劝导")
        let newYear = try await f.activity(district: "210682001", starts: "2019-12-31 22:00+08", ends: "2020-01-01 02:00+08", title: "防汛应急值守")
        let june = try await f.activity(district: "210682001", starts: "2020-06-01 08:00+08", ends: "2020-06-01 12:00+08", title: "社区健康义诊")
        let worked = try await f.approvedEntry(volunteer, activity: march, start: "2019-03-01 08:00+08", minutes: 200)
        try await f.approve(try await f.correct(worked, delta: -20))
        try await f.approvedEntry(volunteer, activity: newYear, start: "2019-12-31 22:00+08", minutes: 60)    // 2019, local
        try await f.approvedEntry(volunteer, activity: newYear, start: "2020-01-01 00:30+08", minutes: 60)    // 2020, local
        let doubled = try await f.approvedEntry(volunteer, activity: june, start: "2020-06-01 08:00+08", minutes: 90)
        try await f.approve(try await f.correct(doubled, delta: -90, reason: "重复登记，核减为零"))
        let other = try await f.activity(district: "210682001", starts: "2020-07-01 08:00+08", ends: "2020-07-01 12:00+08", title: "敬老院陪伴服务")
        try await f.entry(volunteer, activity: other, start: "2020-07-01 08:00+08", minutes: 120)               // pending
        let other2 = try await f.activity(district: "210682001", starts: "2020-08-01 08:00+08", ends: "2020-08-01 12:00+08", title: "社区读书会")
        try await f.reject(try await f.entry(volunteer, activity: other2, start: "2020-08-01 08:00+08", minutes: 120))
        return volunteer
    }

    @Test func aStatementListsTheApprovedHoursOfThePeriodAndIsNumberedAndStored() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            _ = try await Self.setUp(db)
            try await db.execute("UPDATE setting SET value = '3,4,5,6,7' WHERE name = 'star_thresholds_hours'")
            let year = try await db.query("SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int").single().decode(0, as: Int.self)
            let idNumber = MetricsFixture.idNumber(7)

            let statement = try await db.transaction { tx in
                try StatementService.issue(volunteer: "VL00000001", from: "2019-01-01", to: "2019-12-31", issuer: "凤城市文明办", on: tx)
            }
            #expect(statement.number == String(format: "%04d-000001", year))
            #expect(statement.name == "张伟" && statement.volunteerNumber == "VL00000001" && statement.idType == "resident_id")
            #expect(statement.maskedIDNumber == "210682********" + idNumber.suffix(4) && !statement.text.contains(idNumber))
            #expect(statement.activities == [
                Statement.Activity(title: "文明交通劝导", category: "综合", date: CalendarDate(iso: "2019-03-01")!, minutes: 180),
                Statement.Activity(title: "防汛应急值守", category: "综合", date: CalendarDate(iso: "2019-12-31")!, minutes: 60),
            ])
            #expect(statement.totalMinutes == 240 && statement.cumulativeMinutes == 240)
            // 4 h reaches the thresholds of 3 h and 4 h, exactly.
            #expect(statement.starLevel == 2 && statement.starLabel == "★★ 二星级志愿者")
            #expect(statement.issuer == "凤城市文明办")
            #expect(statement.text.contains("共计 4.00 小时") && statement.text.contains("出具人：凤城市文明办"))

            // Looked up by ID number; whole history by default; the zeroed, pending and rejected hours are left out.
            let whole = try await db.transaction { tx in try StatementService.issue(volunteer: idNumber, from: nil, to: nil, issuer: nil, on: tx) }
            #expect(whole.number == String(format: "%04d-000002", year))
            #expect(whole.from == CalendarDate(iso: "2018-05-04")! && whole.issuer == "postgres")
            #expect(whole.activities.map(\.minutes) == [180, 120] && whole.totalMinutes == 300)
            #expect(whole.cumulativeMinutes == 300 && whole.starLevel == 3)

            let stored = try await db.query("""
                SELECT number, volunteer_id, period_from::text, period_to::text, total_minutes, cumulative_minutes, star_level, content, issued_by
                  FROM statement_issue ORDER BY sequence
                """)
            #expect(stored.count == 2)
            #expect(try stored[0].decode(4, as: Int64.self) == 240 && stored[0].decode(2, as: String.self) == "2019-01-01")
            // The database computed and stored the figures (0080); nothing printed by the client is kept.
            #expect(try stored[0].decode(7, as: String?.self) == nil)
            let reprintedJSON = try await db.withIsolated { tx in try StatementService.reprint(number: statement.number, format: .json, on: tx) }
            #expect(reprintedJSON == statement.json.rendered() + "\n")
            #expect(try stored[1].decode(8, as: String.self) == "postgres")
            let reprinted = try await db.withIsolated { tx in try StatementService.reprint(number: statement.number, format: .text, on: tx) }
            #expect(reprinted == statement.text)
            let parsed = try JSONSerialization.jsonObject(with: Data(statement.json.rendered().utf8)) as? [String: Any]
            #expect(parsed?["approved_minutes"] as? Int == 240 && parsed?["star_level"] as? Int == 2)
        }
    }

    @Test func aBadPeriodIsRefusedAndNothingIsIssued() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            _ = try await Self.setUp(db)
            await #expect(throws: RuleViolation(field: "from", value: "2020-01-01", rule: "must not be after --to (2019-12-31)")) {
                try await db.transaction { tx in try StatementService.issue(volunteer: "VL00000001", from: "2020-01-01", to: "2019-12-31", issuer: nil, on: tx) }
            }
            await #expect(throws: RuleViolation.self) {
                try await db.transaction { tx in try StatementService.issue(volunteer: "VL00000001", from: nil, to: "2999-01-01", issuer: nil, on: tx) }
            }
            await #expect(throws: RuleViolation(field: "volunteer", value: "VL99999999", rule: "no such volunteer", code: "volunteer_exists")) {
                try await db.transaction { tx in try StatementService.issue(volunteer: "VL99999999", from: nil, to: nil, issuer: nil, on: tx) }
            }
            let written = try await db.query("SELECT (SELECT count(*) FROM statement_issue) + (SELECT count(*) FROM statement_counter)").single()
            #expect(try written.decode(0, as: Int64.self) == 0)
        }
    }

    @Test func anIssuedStatementCannotBeChanged() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            _ = try await Self.setUp(db)
            let statement = try await db.transaction { tx in try StatementService.issue(volunteer: "VL00000001", from: nil, to: nil, issuer: nil, on: tx) }
            do {
                try await db.execute("UPDATE statement_issue SET total_minutes = 99999")
                Issue.record("an issued statement was changed")
            } catch let error as PostgresError {
                #expect(UserMessage.line(for: error) == "statement \"\(statement.number)\": an issued statement is never changed or removed")
            }
            await #expect(throws: PostgresError.self) { try await db.execute("DELETE FROM statement_issue") }
            #expect(try await db.query("SELECT total_minutes FROM statement_issue").single().decode(0, as: Int64.self) == 300)
        }
    }

    @Test func starLevelsFollowTheThresholdsExactly() {
        let thresholds = [100, 300, 600, 1000, 1500]
        #expect(Statement.starLevel(cumulativeMinutes: 5999, thresholdsHours: thresholds) == 0)
        #expect(Statement.starLevel(cumulativeMinutes: 6000, thresholdsHours: thresholds) == 1)
        #expect(Statement.starLevel(cumulativeMinutes: 18000, thresholdsHours: thresholds) == 2)
        #expect(Statement.starLevel(cumulativeMinutes: 89_999, thresholdsHours: thresholds) == 4)
        #expect(Statement.starLevel(cumulativeMinutes: 90_000, thresholdsHours: thresholds) == 5)
        #expect(Statement.starLevel(cumulativeMinutes: 10_000_000, thresholdsHours: thresholds) == 5)
    }
}
