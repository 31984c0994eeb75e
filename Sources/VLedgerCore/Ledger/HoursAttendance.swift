import Foundation
import PostgresLibPQ

/// Attendance for a whole activity, and check-in / check-out by the clock.
public enum HoursAttendance {
    /// Credits each volunteer with the activity's length (or `minutes`) from its start, as
    /// pending entries, all or none. Volunteers are locked in id order so that concurrent
    /// attendance lists never deadlock each other.
    public static func attendance(activity activityID: Int64, volunteers: [String], minutes: Int?, on db: isolated Connection) throws -> [Int64] {
        guard !volunteers.isEmpty else { throw RuleViolation(field: "volunteer", value: nil, code: "attendance_empty") }
        let activity = try HoursService.activity(activityID, on: db)
        let credited = minutes ?? activity.lengthMinutes
        guard credited > 0 else {
            throw RuleViolation(field: "minutes", value: String(credited), code: "hours_minutes_positive")
        }
        var refs: [VolunteerRef] = []
        for key in volunteers {
            let ref = try VolunteerLookup.resolve(key, on: db)
            if refs.contains(where: { $0.id == ref.id }) {
                throw RuleViolation(field: "volunteer", value: ref.number, code: "attendance_named_twice")
            }
            refs.append(ref)
        }
        var ids: [Int64: Int64] = [:]
        for ref in refs.sorted(by: { $0.id < $1.id }) {
            ids[ref.id] = try db.query("""
                INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, source)
                VALUES (\(ref.id), \(activityID), \(activity.startsAt), \(credited), 'attendance')
                RETURNING id
                """).single().decode(0)
        }
        return refs.map { ids[$0.id]! }
    }

    static func resolveAt(_ at: TimeInput?, on db: isolated Connection) throws -> Date {
        guard let at else { return try db.query("SELECT now()").single().decode(0) }
        return try at.resolve(timeZone: try Settings.load(db).timeZone, on: db)
    }

    /// Opens a check-in (default: now). Returns its id.
    public static func checkIn(activity activityID: Int64, volunteer: String, at: TimeInput?, on db: isolated Connection) throws -> Int64 {
        let ref = try VolunteerLookup.resolve(volunteer, on: db)
        _ = try HoursService.activity(activityID, on: db)
        let when = try resolveAt(at, on: db)
        return try db.query("""
            INSERT INTO hours_checkin (volunteer_id, activity_id, checked_in_at) VALUES (\(ref.id), \(activityID), \(when)) RETURNING id
            """).single().decode(0)
    }

    public struct CheckedOut: Sendable, Equatable {
        public let entryID: Int64?
        public let minutes: Int
        public let capped: Bool
    }

    /// Closes the volunteer's open check-in on the activity (default: now), crediting the whole
    /// minutes served up to the activity's end as a pending entry.
    public static func checkOut(activity activityID: Int64, volunteer: String, at: TimeInput?, on db: isolated Connection) throws -> CheckedOut {
        let ref = try VolunteerLookup.resolve(volunteer, on: db)
        _ = try HoursService.activity(activityID, on: db)
        let when = try resolveAt(at, on: db)
        guard let open = try db.query("""
            SELECT c.id FROM hours_checkin c
            WHERE c.volunteer_id = \(ref.id) AND c.activity_id = \(activityID)
              AND NOT EXISTS (SELECT 1 FROM hours_checkout o WHERE o.checkin_id = c.id)
            ORDER BY c.id DESC LIMIT 1
            """).first else {
            throw RuleViolation(field: "volunteer", value: ref.number, code: "no_open_checkin", args: ["activity": "\(activityID)"])
        }
        let checkinID: Int64 = try open.decode(0)
        let entry = try db.query("SELECT vl_check_out(\(checkinID), \(when))").single().decode(0, as: Int64?.self)
        let row = try db.query("""
            SELECT coalesce(e.minutes, 0), o.note IS NOT NULL FROM hours_checkout o LEFT JOIN hours_entry e ON e.id = o.entry_id
            WHERE o.checkin_id = \(checkinID)
            """).single()
        return CheckedOut(entryID: entry, minutes: try row.decode(0), capped: try row.decode(1))
    }

    /// Closes the activity's open check-ins at its end (or now) as auto_checkout entries, left
    /// pending and listed by `hours anomalies`. Returns how many were closed.
    public static func closeOpenCheckIns(activity activityID: Int64, on db: isolated Connection) throws -> Int {
        _ = try HoursService.activity(activityID, on: db)
        return try db.query("SELECT vl_close_open_checkins(\(activityID))").single().decode(0)
    }
}
