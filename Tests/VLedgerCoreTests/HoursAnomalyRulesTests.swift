import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// The rules of issue 16 §2 on small constructed ledgers: each found at its threshold and not
/// just below it (migration 0185 and HoursAnomalySQL).
struct HoursAnomalyRulesTests {
    func at(_ text: String) throws -> TimeInput { try TimeInput.parse(text, field: "at") }

    func find(_ db: Connection, year: Int? = 2019, _ limits: HoursAnomalies.Limits = .init()) async throws -> [HoursAnomaly] {
        try await db.transaction(readOnly: true) { tx in try HoursAnomalies.find(year: year, limits: limits, on: tx) }
    }

    /// The inlined two-argument form of 0261 gives exactly the text of the one that reads the
    /// setting, in zones east and west of UTC, with half-hour offsets, and across a DST change.
    @Test func theInlinedLocalTextIsTheSettingsText() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            for zone in ["Asia/Shanghai", "America/St_Johns", "Asia/Kolkata", "UTC", "Europe/Berlin"] {
                try await db.execute("INSERT INTO setting (name, value) VALUES ('time_zone', \(zone)) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value")
                let differing: Int = try await db.query("""
                    SELECT count(*)::int FROM generate_series('2019-03-01 00:00+00'::timestamptz, '2019-11-30 00:00+00', interval '7 hours 13 minutes') t
                     WHERE vl_local_text(t) IS DISTINCT FROM vl_local_text(t, \(zone))
                    """).single().decode(0)
                #expect(differing == 0, "\(zone)")
            }
            #expect(try await db.query("SELECT vl_local_text('2019-06-01 12:00+00', 'America/St_Johns')").single().decode(0, as: String.self)
                    == "2019-06-01T09:30:00-02:30")
            await db.close()
        }
    }

    @Test func moreThanTwelveHoursIsHighMoreThanEightIsLowEightIsNothing() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let long = try await LedgerFixtures.activity(db, starts: "2019-03-02 06:00+08", ends: "2019-03-02 23:00+08")
            var entries: [String: Int64] = [:]
            for (name, minutes) in [("13h", 13 * 60), ("12h", 12 * 60), ("9h", 9 * 60), ("8h", 8 * 60), ("rejected 9h", 9 * 60)] {
                let v = try await LedgerFixtures.volunteer(db)
                entries[name] = try await record(db, activity: long, volunteer: v.number, minutes: minutes, start: "2019-03-02 06:00")
            }
            let ids = entries
            let rejectedID = try #require(ids["rejected 9h"])
            _ = try await db.transaction { tx in try HoursService.reject(rejectedID, reason: "没有到场", on: tx) }
            let found = try await find(db)
            func daily(_ name: String) -> HoursAnomaly? { found.first { $0.entryID == ids[name] && $0.kind.hasPrefix("daily_") } }
            let over = try #require(daily("13h"))
            #expect(over.kind == "daily_limit" && over.severity == .high && over.code == "A03")
            #expect(over.args["minutes"] == "780" && over.args["limit"] == "12")
            for name in ["12h", "9h"] {
                let long = try #require(daily(name), "\(name)")
                #expect(long.kind == "daily_long" && long.severity == .low && long.code == "A08")
                #expect(long.args["limit"] == "8" && long.args["max"] == "12")
                #expect(long.reason(in: .zh).contains("超过 8 小时"))
            }
            #expect(daily("8h") == nil)
            #expect(daily("rejected 9h") == nil)
            // The lower threshold is a setting; an override for one report moves it too.
            #expect(try await find(db, .init(dailyNoticeHours: 9)).contains { $0.entryID == ids["9h"] && $0.kind.hasPrefix("daily_") } == false)
            try await db.execute("INSERT INTO setting (name, value) VALUES ('daily_hours_notice', '11')")
            let raised = try await find(db)
            #expect(raised.contains { $0.entryID == ids["12h"] && $0.kind == "daily_long" })
            #expect(!raised.contains { $0.entryID == ids["9h"] && $0.kind.hasPrefix("daily_") })
        }
    }

    @Test func oneLoginEnteringManyVolunteersWithinTheWindowIsABurst() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let a = try await LedgerFixtures.activity(db)
            var ids: [Int64] = []
            for _ in 0..<4 {
                let v = try await LedgerFixtures.volunteer(db)
                ids.append(try await record(db, activity: a, volunteer: v.number, minutes: 30))
            }
            // One volunteer entered many times is not many volunteers.
            let same = try await LedgerFixtures.volunteer(db)
            let b = try await LedgerFixtures.activity(db, starts: "2019-03-05 09:00+08", ends: "2019-03-05 12:00+08")
            for slot in 0..<6 {
                _ = try await record(db, activity: b, volunteer: same.number, minutes: 10, start: "2019-03-05 09:\(slot)0")
            }
            let burst = try await find(db, .init(burstMinutes: 60, burstVolunteers: 4)).filter { $0.kind == "recorder_burst" }
            #expect(Set(burst.map(\.entryID)).isSuperset(of: ids))
            #expect(burst.count == 10, "the four volunteers' entries and the other volunteer's six: five volunteers in the window")
            let first = try #require(burst.first)
            #expect(first.code == "A09" && first.severity == .high && first.args["volunteers"] == "5" && first.args["limit"] == "4")
            #expect(first.reason(in: .zh).contains("5 名志愿者"))
            // At the limit (five volunteers, limit five) there is no burst, nor with the default of 30.
            #expect(try await find(db, .init(burstMinutes: 60, burstVolunteers: 5)).allSatisfy { $0.kind != "recorder_burst" })
            #expect(try await find(db).allSatisfy { $0.kind != "recorder_burst" })
            // The limit is a setting (the window's default, 10 minutes, holds every entry here).
            try await db.execute("INSERT INTO setting (name, value) VALUES ('recorder_burst_volunteers', '2')")
            #expect(try await find(db).contains { $0.kind == "recorder_burst" })
        }
    }

    @Test func checkInsAtActivitiesWhoseTimesOverlapOrTouch() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let a = try await LedgerFixtures.activity(db, starts: "2019-03-01 09:00+08", ends: "2019-03-01 12:00+08")
            let overlapping = try await LedgerFixtures.activity(db, starts: "2019-03-01 10:00+08", ends: "2019-03-01 13:00+08")
            let touching = try await LedgerFixtures.activity(db, starts: "2019-03-01 12:00+08", ends: "2019-03-01 14:00+08")
            let apart = try await LedgerFixtures.activity(db, starts: "2019-03-01 12:01+08", ends: "2019-03-01 14:00+08")
            func attend(_ volunteer: String, _ activity: Int64, _ from: String, _ to: String) async throws -> Int64? {
                _ = try await db.transaction { tx in try HoursAttendance.checkIn(activity: activity, volunteer: volunteer, at: try at(from), on: tx) }
                return try await db.transaction { tx in try HoursAttendance.checkOut(activity: activity, volunteer: volunteer, at: try at(to), on: tx) }.entryID
            }
            let v = try await LedgerFixtures.volunteer(db)
            let w = try await LedgerFixtures.volunteer(db)
            let u = try await LedgerFixtures.volunteer(db)
            let vA = try #require(try await attend(v.number, a, "2019-03-01 09:05", "2019-03-01 10:00"))
            let vB = try #require(try await attend(v.number, overlapping, "2019-03-01 10:05", "2019-03-01 11:00"))
            let wA = try #require(try await attend(w.number, a, "2019-03-01 09:05", "2019-03-01 10:00"))
            let wC = try #require(try await attend(w.number, touching, "2019-03-01 12:05", "2019-03-01 13:00"))
            let uA = try #require(try await attend(u.number, a, "2019-03-01 09:05", "2019-03-01 10:00"))
            let uA2 = try #require(try await attend(u.number, a, "2019-03-01 10:30", "2019-03-01 11:00"))
            let uD = try #require(try await attend(u.number, apart, "2019-03-01 12:05", "2019-03-01 13:00"))
            let found = try await find(db).filter { $0.kind == "checkin_overlap" }
            let byEntry = Dictionary(uniqueKeysWithValues: found.map { ($0.entryID, $0) })
            #expect(byEntry[vA]?.severity == .high && byEntry[vA]?.args["overlapping"] == String(overlapping))
            #expect(byEntry[vB]?.severity == .high && byEntry[vB]?.args["overlapping"] == String(a))
            #expect(byEntry[wA]?.severity == .medium && byEntry[wA]?.args["touching"] == String(touching))
            #expect(byEntry[wC]?.severity == .medium && byEntry[wC]?.args["touching"] == String(a))
            #expect(byEntry[wA]?.reason(in: .zh).contains("首尾相接：活动 \(touching)") == true)
            for entry in [uA, uA2, uD] { #expect(byEntry[entry] == nil, "one minute apart, or the same activity twice") }
            #expect(found.allSatisfy { $0.code == "A10" })
            #expect(try await find(db, year: 2020).isEmpty)
        }
    }

    @Test func theDerivedDaysFollowTheLedgerAndItsTimeZone() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let a = try await LedgerFixtures.activity(db, starts: "2019-03-01 06:00+08", ends: "2019-03-01 23:00+08")
            let first = try await record(db, activity: a, volunteer: v.number, minutes: 120, start: "2019-03-01 06:00")
            try await approve(db, first)
            _ = try await correct(db, first, -30)
            _ = try await record(db, activity: a, volunteer: v.number, minutes: 60, start: "2019-03-01 09:00")
            let rejected = try await record(db, activity: a, volunteer: v.number, minutes: 60, start: "2019-03-01 11:00")
            _ = try await db.transaction { tx in try HoursService.reject(rejected, reason: "重复", on: tx) }
            let expected = """
                SELECT e.volunteer_id, (e.service_start AT TIME ZONE vl_time_zone())::date AS day, sum(e.minutes)
                FROM hours_entry e WHERE NOT EXISTS (SELECT 1 FROM hours_decision d WHERE d.entry_id = e.id AND d.decision = 'rejected')
                GROUP BY 1, 2 ORDER BY 1, 2
                """
            func rows(_ sql: SQL) async throws -> [String] {
                try await db.query(sql).map { "\(try $0.decode(0, as: Int64.self)) \(try $0.decode(1, as: String.self)) \(try $0.decode(2, as: Int64.self))" }
            }
            let kept: SQL = "SELECT volunteer_id, day::text, minutes FROM hours_volunteer_day WHERE minutes <> 0 ORDER BY 1, 2"
            #expect(try await rows(kept) == ["\(v.id) 2019-03-01 150"])
            #expect(try await rows(kept) == (try await rows("SELECT volunteer_id, day::text, sum FROM (\(unsafeRaw: expected)) x")))
            // Another time zone moves the 06:00 service to the day before.
            try await db.execute("UPDATE setting SET value = 'Europe/London' WHERE name = 'time_zone'")
            #expect(try await rows(kept) == ["\(v.id) 2019-02-28 90", "\(v.id) 2019-03-01 60"])
        }
    }

    @Test func badSettingsAreRefusedWithTheirCodeAndField() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            for (name, value) in [("daily_hours_notice", "0"), ("daily_hours_notice", "25"), ("daily_hours_notice", "8h"),
                                  ("recorder_burst_minutes", "0"), ("recorder_burst_minutes", "1441"),
                                  ("recorder_burst_volunteers", "1"), ("recorder_burst_volunteers", "many")] {
                do {
                    try await db.execute("INSERT INTO setting (name, value) VALUES (\(name), \(value))")
                    Issue.record("\(name) = \(value) was accepted")
                } catch let error as PostgresError {
                    #expect(error.constraint == "setting_\(name)_valid", "\(error)")
                    #expect(error.column == name)
                    let facing = UserMessage.userFacing(for: error)
                    #expect(facing.code == "setting_\(name)_valid")
                    #expect(untranslatedEnglish(facing.message(in: .zh)).isEmpty, "\(facing.message(in: .zh))")
                }
            }
            try await db.execute("INSERT INTO setting (name, value) VALUES ('recorder_burst_minutes', '5')")
            do {
                try await db.execute("UPDATE setting SET value = '-5' WHERE name = 'recorder_burst_minutes'")
                Issue.record("an update to -5 was accepted")
            } catch let error as PostgresError {
                #expect(error.constraint == "setting_recorder_burst_minutes_valid")
            }
            let stored = try await db.query("SELECT name || '=' || value FROM setting WHERE name IN ('daily_hours_notice', 'recorder_burst_minutes', 'recorder_burst_volunteers')")
                .map { try $0.decode(0, as: String.self) }
            #expect(stored == ["recorder_burst_minutes=5"])
            // The overrides of one report keep the same ranges and codes.
            for (limits, field) in [(HoursAnomalies.Limits(dailyNoticeHours: 0), "daily_hours_notice"),
                                    (HoursAnomalies.Limits(burstMinutes: 1441), "recorder_burst_minutes"),
                                    (HoursAnomalies.Limits(burstVolunteers: 1), "recorder_burst_volunteers"),
                                    (HoursAnomalies.Limits(lateDays: -1), "late_recording_days")] {
                do {
                    _ = try await find(db, limits)
                    Issue.record("\(field) override accepted")
                } catch let error as RuleViolation {
                    #expect(error.code == "setting_\(field)_valid" && error.field == field)
                }
            }
        }
    }

    @Test func theFormatsSayTheReasonTheCodeAndTheSeverity() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let v = try await LedgerFixtures.volunteer(db)
            let long = try await LedgerFixtures.activity(db, starts: "2019-03-02 06:00+08", ends: "2019-03-02 23:00+08")
            let entry = try await record(db, activity: long, volunteer: v.number, minutes: 13 * 60, start: "2019-03-02 06:00")
            let found = try await find(db)
            let table = HoursAnomalies.table(found, in: .zh)
            let lines = table.split(separator: "\n")
            #expect(lines[0].contains("记录编号") && lines[0].contains("规则代码") && lines[0].contains("级别") && lines[0].contains("原因"))
            #expect(table.contains("A03") && table.contains("高") && table.contains("超过每日上限 12 小时"))
            // Aligned: the severity column starts at the same terminal column on every line.
            let columns = lines.filter { $0.contains("A0") }.map { line in TextTable.displayWidth(String(line[..<line.range(of: "A0")!.lowerBound])) }
            #expect(Set(columns).count == 1)
            let json = HoursAnomalies.json(found, lookups: []).rendered()
            let list = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
            let daily = try #require(list.first { $0["kind"] as? String == "daily_limit" })
            #expect(daily["entry"] as? Int64 == entry || daily["entry"] as? Int == Int(entry))
            #expect(daily["code"] as? String == "A03" && daily["severity"] as? String == "high")
            #expect((daily["reason"] as? String)?.contains("more than the daily limit of 12 hours") == true)
            #expect((daily["reason_zh"] as? String)?.contains("超过每日上限 12 小时") == true)
            // The keys of before, in their order, then the new ones.
            let keys = json.split(separator: "\n").filter { $0.hasPrefix("    \"") }.prefix(13).map { $0.split(separator: "\"")[1] }
            #expect(keys == ["entry", "kind", "reason", "volunteer", "activity", "service_start", "minutes", "status", "recorded_by",
                             "recorded_at", "code", "severity", "reason_zh"])
            let csv = HoursAnomalies.csv(found, lookups: [])
            #expect(csv.hasPrefix("entry,kind,reason,volunteer,activity,service_start,minutes,status,recorded_by,recorded_at,code,severity,reason_zh\n"))
            #expect(csv.contains(",A03,high,"))
            #expect(HoursAnomalies.rules.map(\.code) == (1...HoursAnomalies.rules.count).map { String(format: "A%02d", $0) })
            #expect(Set(HoursAnomalies.rules.map(\.kind)).count == HoursAnomalies.rules.count)
            for rule in HoursAnomalies.rules where !rule.kind.hasPrefix("id_lookup") {
                #expect(Catalog.has("anomaly.\(rule.kind)", in: .zh) && Catalog.has("anomaly.\(rule.kind)", in: .en), "\(rule.kind)")
            }
        }
    }
    /// A11: what the database stored as late (0161) is listed with its working days; an entry
    /// recorded within the 10 working days is not.
    @Test func entriesRecordedAfterTenWorkingDaysAreLateEntries() async throws {
        try await TestDatabase.with { database in
            let db = try await database.connect()
            let old = try await LedgerFixtures.activity(db, starts: "2019-03-01 09:00+08", ends: "2019-03-01 12:00+08")
            let volunteer = try await LedgerFixtures.volunteer(db)
            let late = try await record(db, activity: old, volunteer: volunteer.number, minutes: 60, start: "2019-03-01 09:00")
            let recent = try await LedgerFixtures.currentActivity(db, startedMinutesAgo: 180, endsInMinutes: -60)
            let onTime: Int64 = try await db.query("""
                INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes)
                SELECT \(volunteer.id), id, starts_at, 60 FROM activity WHERE id = \(recent) RETURNING id
                """).single().decode(0)
            let found = try await find(db).filter { $0.kind == "late_entry" }
            let row = try #require(found.first { $0.entryID == late })
            #expect(row.code == "A11" && row.severity == .medium)
            #expect(row.args["limit"] == "10")
            let days = try #require(Int(row.args["working_days"] ?? ""))
            let expected: Int = try await db.query("""
                SELECT vl_working_days_between('2019-03-01'::date, (recorded_at AT TIME ZONE vl_time_zone())::date) FROM hours_entry WHERE id = \(late)
                """).single().decode(0)
            #expect(days == expected && days > 10)
            #expect(row.reason(in: .zh).contains("个工作日"))
            let thisYear: Int = try await db.query("SELECT extract(year FROM now() AT TIME ZONE vl_time_zone())::int").single().decode(0)
            #expect(try await find(db, year: thisYear).contains { $0.entryID == onTime } == false)
        }
    }
}
