import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// The error line a user would read for `body`'s failure; fails the test when it succeeds.
func failureLine(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> String {
    do {
        try await body()
        Issue.record("expected an error, got success", sourceLocation: sourceLocation)
        return ""
    } catch {
        return UserMessage.line(for: error)
    }
}

func record(_ db: Connection, activity: Int64, volunteer: String, minutes: Int, start: String? = nil, requestID: String? = nil) async throws -> Int64 {
    let startInput = try start.map { try TimeInput.parse($0, field: "start") }
    return try await db.transaction { tx in
        try HoursService.record(activity: activity, volunteer: volunteer, minutes: minutes, start: startInput, requestID: requestID, on: tx)
    }.id
}

func approve(_ db: Connection, _ ids: Int64...) async throws {
    _ = try await db.transaction { tx in try HoursService.approve(ids, on: tx) }
}

func correct(_ db: Connection, _ id: Int64, _ delta: Int, reason: String = "roster fixed") async throws -> Int64 {
    try await db.transaction { tx in try HoursService.correct(id, deltaMinutes: delta, reason: reason, on: tx) }.id
}

func approvedNet(_ db: Connection, volunteer: Int64, activity: Int64) async throws -> Int {
    try await db.query("""
        SELECT coalesce(sum(minutes), 0)::int FROM hours_entry_status WHERE volunteer_id = \(volunteer) AND activity_id = \(activity) AND status = 'approved'
        """).single().decode(0)
}

struct LedgerRulesTests {
    @Test func recordedEntryIsPendingUntilApproved() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let id = try await record(db, activity: a, volunteer: v.number, minutes: 90)
            let row = try await db.query("SELECT status, service_start = (SELECT starts_at FROM activity WHERE id = \(a)), source, recorded_by FROM hours_entry_status WHERE id = \(id)").single()
            #expect(try row.decode(0, as: String.self) == "pending")
            #expect(try row.decode(1, as: Bool.self))
            #expect(try row.decode(2, as: String.self) == "record")
            #expect(try await approvedNet(db, volunteer: v.id, activity: a) == 0)
            try await approve(db, id)
            #expect(try await approvedNet(db, volunteer: v.id, activity: a) == 90)
        }
    }

    @Test func volunteerNotYetRegisteredOnServiceDateIsRefused() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db, registeredOn: "2019-03-02")
            let a = try await LedgerFixtures.activity(db)
            let line = await failureLine { _ = try await record(db, activity: a, volunteer: v.number, minutes: 60) }
            #expect(line.contains("volunteer \"\(v.number)\": not registered on the service date 2019-03-01"))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 0)
        }
    }

    @Test func serviceDateIsTheLocalDate() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            // 00:30 on 1 March in Shanghai is still 28 February in UTC: registered on 1 March counts.
            let v = try await LedgerFixtures.volunteer(db, registeredOn: "2019-03-01")
            let a = try await LedgerFixtures.activity(db, starts: "2019-03-01 00:00+08", ends: "2019-03-01 02:00+08")
            _ = try await record(db, activity: a, volunteer: v.number, minutes: 60, start: "2019-03-01 00:30")
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 1)
        }
    }

    @Test func deregisteredVolunteerIsRefused() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            try await LedgerFixtures.deregister(db, v, on: "2019-03-01")
            let a = try await LedgerFixtures.activity(db)
            let line = await failureLine { _ = try await record(db, activity: a, volunteer: v.idNumber, minutes: 60) }
            #expect(line.contains("deregistered on 2019-03-01"))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 0)
        }
    }

    @Test func unknownActivityAndVolunteerAreRefused() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            var line = await failureLine { _ = try await record(db, activity: a + 100, volunteer: v.number, minutes: 60) }
            #expect(line == "activity \"\(a + 100)\": no such activity")
            line = await failureLine { _ = try await record(db, activity: a, volunteer: "VL99999999", minutes: 60) }
            #expect(line == "volunteer \"VL99999999\": no such volunteer")
            // Bypassing vledger does not help: the trigger says the same.
            line = await failureLine {
                try await db.execute("INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes) VALUES (\(v.id), \(a + 100), now() - interval '1 day', 5)")
            }
            #expect(line.contains("no such activity"))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 0)
        }
    }

    @Test func serviceOutsideTheActivityIsRefused() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            var line = await failureLine { _ = try await record(db, activity: a, volunteer: v.number, minutes: 181) }
            #expect(line.contains("181 minutes from then lie outside activity \(a)"))
            line = await failureLine { _ = try await record(db, activity: a, volunteer: v.number, minutes: 30, start: "2019-03-01 08:59") }
            #expect(line.contains("lie outside activity"))
            line = await failureLine { _ = try await record(db, activity: a, volunteer: v.number, minutes: 31, start: "2019-03-01T11:30:00+08:00") }
            #expect(line.contains("lie outside activity"))
            line = await failureLine { _ = try await record(db, activity: a, volunteer: v.number, minutes: 0) }
            #expect(line.contains("minutes \"0\": must be a positive whole number"))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 0)
            // The whole activity is fine.
            _ = try await record(db, activity: a, volunteer: v.number, minutes: 180)
        }
    }

    @Test func serviceInTheFutureIsRefused() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.currentActivity(db, startedMinutesAgo: 60, endsInMinutes: 120)
            let line = await failureLine { _ = try await record(db, activity: a, volunteer: v.number, minutes: 90) }
            #expect(line.contains("would end in the future"))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 0)
            _ = try await record(db, activity: a, volunteer: v.number, minutes: 59)
        }
    }

    @Test func overlappingServiceIsRefusedUntilTheFirstIsRejected() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let b = try await LedgerFixtures.activity(db, starts: "2019-03-01 10:00+08", ends: "2019-03-01 16:00+08")
            let first = try await record(db, activity: a, volunteer: v.number, minutes: 120)
            // Another activity at the same time: one person cannot serve twice at once.
            let line = await failureLine { _ = try await record(db, activity: b, volunteer: v.number, minutes: 60) }
            #expect(line.contains("overlaps entry \(first)"))
            #expect(line.contains("cannot overlap"))
            // An interval that encloses the first one is refused too.
            let b2 = try await LedgerFixtures.activity(db, starts: "2019-03-01 08:00+08", ends: "2019-03-01 16:00+08")
            _ = await failureLine { _ = try await record(db, activity: b2, volunteer: v.number, minutes: 300) }
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 1)
            // Back to back is fine.
            _ = try await record(db, activity: b, volunteer: v.number, minutes: 60, start: "2019-03-01 11:00")
            // Rejecting the first frees its interval.
            _ = try await db.transaction { tx in try HoursService.reject(first, reason: "was not there", on: tx) }
            _ = try await record(db, activity: b, volunteer: v.number, minutes: 60, start: "2019-03-01 10:00")
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 3)
        }
    }

    @Test func correctionsToZeroBelowZeroAboveLengthAndPending() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)  // 180 minutes
            let first = try await record(db, activity: a, volunteer: v.number, minutes: 60)
            let second = try await record(db, activity: a, volunteer: v.number, minutes: 60, start: "2019-03-01 10:00")
            try await approve(db, first, second)

            // Below zero: refused, nothing written.
            var line = await failureLine { _ = try await correct(db, first, -61) }
            #expect(line.contains("delta_minutes \"-61\": would take entry \(first) below zero"))
            // Into the next entry: refused.
            line = await failureLine { _ = try await correct(db, first, 61) }
            #expect(line.contains("into entry \(second)"))
            #expect(line.contains("cannot overlap"))
            line = await failureLine { _ = try await correct(db, second, 121) }
            #expect(line.contains("would run past the end of activity"))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 2)

            // A pending correction does not count.
            let toZero = try await correct(db, first, -60, reason: "did not come")
            #expect(try await approvedNet(db, volunteer: v.id, activity: a) == 120)
            // Approved, to zero: allowed.
            try await approve(db, toZero)
            #expect(try await approvedNet(db, volunteer: v.id, activity: a) == 60)
            // Correcting a correction corrects the original, and the copy is exact.
            let again = try await correct(db, toZero, 15, reason: "came for a quarter hour")
            let row = try await db.query("""
                SELECT c.corrects_id, c.volunteer_id = o.volunteer_id AND c.activity_id = o.activity_id AND c.service_start = o.service_start, c.source
                FROM hours_entry c JOIN hours_entry o ON o.id = c.corrects_id WHERE c.id = \(again)
                """).single()
            #expect(try row.decode(0, as: Int64.self) == first)
            #expect(try row.decode(1, as: Bool.self))
            #expect(try row.decode(2, as: String.self) == "correction")
            line = await failureLine { _ = try await correct(db, first, 0) }
            #expect(line.contains("must not be zero"))
            line = await failureLine { _ = try await correct(db, first, 5, reason: "  ") }
            #expect(line.contains("reason"))
        }
    }

    @Test func correctionsMustPointAtOriginalsAndCopyThem() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let w = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let first = try await record(db, activity: a, volunteer: v.number, minutes: 60)
            let fix = try await correct(db, first, -10)
            var line = await failureLine {
                try await db.execute("""
                    INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, corrects_id, reason, source)
                    SELECT \(w.id), activity_id, service_start, 30, id, 'move it', 'correction' FROM hours_entry WHERE id = \(first)
                    """)
            }
            #expect(line.contains("keeps the volunteer, activity and service start"))
            line = await failureLine {
                try await db.execute("""
                    INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, corrects_id, reason, source)
                    SELECT volunteer_id, activity_id, service_start, 5, id, 'chain', 'correction' FROM hours_entry WHERE id = \(fix)
                    """)
            }
            #expect(line.contains("is itself a correction"))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 2)
        }
    }

    @Test func correctionsAreCheckedForTheWorstCaseAndApprovedInOrder() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let first = try await record(db, activity: a, volunteer: v.number, minutes: 60)
            let up = try await correct(db, first, 100)
            // -100 would leave -40 minutes if +100 were rejected: refused now, not at some later decision.
            var line = await failureLine { _ = try await correct(db, first, -100) }
            #expect(line.contains("delta_minutes \"-100\": would take entry \(first) below zero"))
            // +30 would end at 12:10 if both were approved, past the activity's end at 12:00.
            line = await failureLine { _ = try await correct(db, first, 30) }
            #expect(line.contains("would run past the end of activity"))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 2)
            let down = try await correct(db, first, -50)
            // A correction waits for its original.
            line = await failureLine { try await approve(db, down) }
            #expect(line.contains("approve the original first"))
            #expect(try await LedgerFixtures.count(db, "hours_decision") == 0)
            try await approve(db, first, up, down)
            #expect(try await approvedNet(db, volunteer: v.id, activity: a) == 110)
        }
    }


    @Test func anEntryIsDecidedOnce() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let id = try await record(db, activity: a, volunteer: v.number, minutes: 60)
            let first = try await db.transaction { tx in try HoursService.approve([id], on: tx) }
            #expect(first == [.approved(id)])
            let second = try await db.transaction { tx in try HoursService.approve([id], on: tx) }
            guard case .alreadyApproved(id, _, _) = second[0] else { Issue.record("expected already approved"); return }
            #expect(second[0].message.contains("nothing changed"))
            let line = await failureLine { _ = try await db.transaction { tx in try HoursService.reject(id, reason: "no", on: tx) } }
            #expect(line.contains("decided once"))
            let direct = await failureLine { try await db.execute("INSERT INTO hours_decision (entry_id, decision, reason) VALUES (\(id), 'rejected', 'x')") }
            #expect(direct.contains("already decided"))
            #expect(try await LedgerFixtures.count(db, "hours_decision") == 1)
        }
    }

    @Test func rejectingAnOriginalRejectsItsPendingCorrections() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let id = try await record(db, activity: a, volunteer: v.number, minutes: 60)
            let fix = try await correct(db, id, 30)
            _ = try await db.transaction { tx in try HoursService.reject(id, reason: "not there", on: tx) }
            let status: String = try await db.query("SELECT status FROM hours_entry_status WHERE id = \(fix)").single().decode(0)
            #expect(status == "rejected")
            let line = await failureLine { _ = try await correct(db, id, 10) }
            #expect(line.contains("rejected entry cannot be corrected"))
        }
    }

    @Test func ledgerRowsCannotBeUpdatedOrDeleted() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let id = try await record(db, activity: a, volunteer: v.number, minutes: 60)
            try await approve(db, id)
            let statements: [SQL] = [
                "UPDATE hours_entry SET minutes = 600 WHERE id = \(id)",
                "DELETE FROM hours_entry WHERE id = \(id)",
                "UPDATE hours_decision SET decision = 'rejected', reason = 'x' WHERE entry_id = \(id)",
                "DELETE FROM hours_decision WHERE entry_id = \(id)",
                "TRUNCATE hours_decision",
                "TRUNCATE hours_entry CASCADE",
            ]
            for statement in statements {
                let line = await failureLine { try await db.execute(statement) }
                #expect(line.contains("append-only"), "\(statement)")
            }
            let row = try await db.query("SELECT minutes, status FROM hours_entry_status WHERE id = \(id)").single()
            #expect(try row.decode(0, as: Int.self) == 60)
            #expect(try row.decode(1, as: String.self) == "approved")
        }
    }

    @Test func retriedRequestNeverCountsTwice() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let first = try await record(db, activity: a, volunteer: v.number, minutes: 60, requestID: "form-17")
            let retry = try await db.transaction { tx in
                try HoursService.record(activity: a, volunteer: v.idNumber, minutes: 60, requestID: "form-17", on: tx)
            }
            #expect(retry.id == first && retry.alreadyRecorded)
            let line = await failureLine { _ = try await record(db, activity: a, volunteer: v.number, minutes: 61, requestID: "form-17") }
            #expect(line.contains("request_id \"form-17\": already used by entry \(first)"))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 1)
        }
    }

    @Test func closedActivityTakesCorrectionsOnly() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let w = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            let id = try await record(db, activity: a, volunteer: v.number, minutes: 60)
            let closed = try await db.transaction { tx in try ActivityService.close(a, on: tx) }
            #expect(closed.alreadyClosed == false)
            let line = await failureLine { _ = try await record(db, activity: a, volunteer: w.number, minutes: 60) }
            #expect(line.contains("closed at"))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 1)
            _ = try await correct(db, id, -15)
            let reopen = await failureLine { try await db.execute("UPDATE activity SET closed_at = NULL WHERE id = \(a)") }
            #expect(reopen.contains("cannot be reopened"))
            let again = try await db.transaction { tx in try ActivityService.close(a, on: tx) }
            #expect(again.alreadyClosed)
        }
    }

    @Test func activityTimesAreFixedOnceItHasHours() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db)
            _ = try await record(db, activity: a, volunteer: v.number, minutes: 60)
            let line = await failureLine { try await db.execute("UPDATE activity SET ends_at = ends_at + interval '5 hours' WHERE id = \(a)") }
            #expect(line.contains("start and end cannot change"))
        }
    }

    @Test func attendanceCreditsEveryoneOrNobody() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let w = try await LedgerFixtures.volunteer(db)
            let late = try await LedgerFixtures.volunteer(db, registeredOn: "2019-06-01")
            let a = try await LedgerFixtures.activity(db)
            let line = await failureLine {
                _ = try await db.transaction { tx in
                    try HoursAttendance.attendance(activity: a, volunteers: [v.number, w.number, late.number], minutes: nil, on: tx)
                }
            }
            #expect(line.contains("not registered"))
            #expect(try await LedgerFixtures.count(db, "hours_entry") == 0)
            let ids = try await db.transaction { tx in
                try HoursAttendance.attendance(activity: a, volunteers: [w.number, v.idNumber], minutes: nil, on: tx)
            }
            #expect(ids.count == 2)
            let minutes: [Int] = try await db.query("SELECT minutes FROM hours_entry WHERE source = 'attendance' ORDER BY id").map { try $0.decode(0) }
            #expect(minutes == [180, 180])
        }
    }
}
