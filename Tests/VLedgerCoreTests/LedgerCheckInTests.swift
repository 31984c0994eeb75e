import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

struct LedgerCheckInTests {
    func at(_ text: String) throws -> TimeInput { try TimeInput.parse(text, field: "at") }

    @Test func checkOutCreditsWholeMinutesCappedAtTheEnd() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let w = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            _ = try await db.transaction { tx in try HoursAttendance.checkIn(activity: a, volunteer: v.number, at: try at("2019-03-01 09:10"), on: tx) }
            // A second check-in while one is open is refused.
            let twice = await failureLine {
                _ = try await db.transaction { tx in try HoursAttendance.checkIn(activity: a, volunteer: v.number, at: try at("2019-03-01 09:20"), on: tx) }
            }
            #expect(twice.contains("already checked in"))
            let out = try await db.transaction { tx in
                try HoursAttendance.checkOut(activity: a, volunteer: v.number, at: try at("2019-03-01T10:45:59+08:00"), on: tx)
            }
            #expect(out.minutes == 95)
            #expect(out.capped == false)
            _ = try await db.transaction { tx in try HoursAttendance.checkIn(activity: a, volunteer: w.number, at: try at("2019-03-01 11:00"), on: tx) }
            let capped = try await db.transaction { tx in
                try HoursAttendance.checkOut(activity: a, volunteer: w.number, at: try at("2019-03-01 18:00"), on: tx)
            }
            #expect(capped.minutes == 60)
            #expect(capped.capped)
            let sources: [String] = try await db.query("SELECT source || ':' || status FROM hours_entry_status ORDER BY id").map { try $0.decode(0) }
            #expect(sources == ["checkout:pending", "checkout:pending"])
            let none = await failureLine {
                _ = try await db.transaction { tx in try HoursAttendance.checkOut(activity: a, volunteer: w.number, at: nil, on: tx) }
            }
            #expect(none.contains("no open check-in"))
        }
    }

    @Test func checkInOutsideTheActivityIsRefused() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let line = await failureLine {
                _ = try await db.transaction { tx in try HoursAttendance.checkIn(activity: a, volunteer: v.number, at: try at("2019-03-01 12:00"), on: tx) }
            }
            #expect(line.contains("outside activity"))
            #expect(try await LedgerFixtures.count(db, "hours_checkin") == 0)
        }
    }

    @Test func closingAnActivityClosesForgottenCheckInsForReview() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let w = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let later = try await LedgerFixtures.activity(db, starts: "2019-03-01 11:00+08", ends: "2019-03-01 13:00+08")
            _ = try await db.transaction { tx in try HoursAttendance.checkIn(activity: a, volunteer: v.number, at: try at("2019-03-01 09:30"), on: tx) }
            _ = try await db.transaction { tx in try HoursAttendance.checkIn(activity: a, volunteer: w.number, at: try at("2019-03-01 09:00"), on: tx) }
            // w went on to another activity at 11:00 without checking out: the automatic
            // check-out stops where that service starts.
            _ = try await db.transaction { tx in
                _ = try HoursAttendance.checkOut(activity: a, volunteer: w.number, at: try at("2019-03-01 09:00"), on: tx)
                return try HoursAttendance.checkIn(activity: later, volunteer: w.number, at: try at("2019-03-01 11:00"), on: tx)
            }
            _ = try await record(db, activity: later, volunteer: v.number, minutes: 30, start: "2019-03-01 11:30")
            let closed = try await db.transaction { tx in try ActivityService.close(a, on: tx) }
            #expect(closed.checkInsClosed == 1)
            let row = try await db.query("""
                SELECT e.minutes, e.source, e.status FROM hours_checkout o JOIN hours_entry_status e ON e.id = o.entry_id
                WHERE o.automatic
                """).single()
            #expect(try row.decode(0, as: Int.self) == 120)  // 09:30 to 11:30, where v's next service starts
            #expect(try row.decode(1, as: String.self) == "auto_checkout")
            #expect(try row.decode(2, as: String.self) == "pending")
            #expect(try await db.query("SELECT count(*) FROM hours_checkin c WHERE c.activity_id = \(a) AND NOT EXISTS (SELECT 1 FROM hours_checkout o WHERE o.checkin_id = c.id)").single().decode(0, as: Int.self) == 0)
            let anomalies = try await db.transaction { tx in try HoursAnomalies.find(year: 2019, on: tx) }
            #expect(anomalies.contains { $0.kind == "auto_checkout" })
            // close-open-checkins does the same without closing.
            let n = try await db.transaction { tx in try HoursAttendance.closeOpenCheckIns(activity: later, on: tx) }
            #expect(n == 1)
        }
    }
}

struct LedgerAnomaliesTests {
    @Test func lateSelfApprovedAndOverTheDailyLimitAreListed() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let w = try await LedgerFixtures.volunteer(db)
            let long = try await LedgerFixtures.activity(db, starts: "2019-03-02 06:00+08", ends: "2019-03-02 23:00+08")
            let a = try await LedgerFixtures.activity(db)
            let big = try await record(db, activity: long, volunteer: v.number, minutes: 13 * 60)
            let small = try await record(db, activity: a, volunteer: w.number, minutes: 60)
            try await approve(db, small)
            let anomalies = try await db.transaction { tx in try HoursAnomalies.find(year: 2019, on: tx) }
            let kinds = Set(anomalies.map { "\($0.entryID):\($0.kind)" })
            #expect(kinds.contains("\(big):daily_limit"))
            #expect(kinds.contains("\(big):late_recording"))
            #expect(kinds.contains("\(small):self_approval"))
            #expect(!kinds.contains("\(small):daily_limit"))
            let none = try await db.transaction { tx in try HoursAnomalies.find(year: 2020, on: tx) }
            #expect(none.isEmpty)
            let burst = try await db.transaction { tx in
                try HoursAnomalies.find(year: nil, limits: .init(lateDays: 3650, recorderHourlyEntries: 1), on: tx)
            }
            #expect(burst.contains { $0.kind == "recorder_volume" && $0.entryID == small })
            #expect(!burst.contains { $0.kind == "late_recording" })
            let json = HoursAnomalies.json(anomalies).rendered()
            #expect(json.contains("\"reason\""))
        }
    }
}
