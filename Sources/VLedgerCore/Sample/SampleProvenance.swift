import Foundation
import PostgresLibPQ

/// The sample city's hours of every provenance (issue 16 §1), so the demo shows all three kinds:
/// the generated hours are `entered` (recorded within days) or, for some corrections, `late`;
/// this adds, in the last year, one activity a month whose volunteers checked in and out on the
/// clock (`clock`), and activities whose paper sign-in sheets were entered 40 days after (补录,
/// `late`): most approved by the sample's reviewer (the loading owner approves), the last two
/// left pending for the office. Deterministic: the volunteers are the first free ones by id.
enum SampleProvenance {
    static let clockActivities = 12
    static let clockVolunteers = 20
    static let lateActivities = 6
    static let lateVolunteers = 15

    /// Runs inside the sample's transaction, with the session's time zone set to the city's
    /// (SampleLoader), as the owner writing original record times.
    static func write(_ city: SampleCity, on db: isolated Connection) throws {
        let year = city.options.lastYear
        let districts = city.districts.map(\.code)
        guard !districts.isEmpty else { return }
        for index in 0..<clockActivities {
            let district = districts[index * 7 % districts.count]
            let day = CalendarDate(year: year, month: index + 1, day: 12)!
            let activity = try activity(title: "扫码签到·社区志愿服务", district: district, day: day, recordedDaysBefore: 7, on: db)
            let volunteers = try freeVolunteers(district: district, activity: activity, limit: clockVolunteers, on: db)
            for (slot, volunteer) in volunteers.enumerated() {
                try clockEntry(activity: activity, volunteer: volunteer, slot: slot, district: district, on: db)
            }
        }
        for index in 0..<lateActivities {
            let district = districts[(index * 11 + 3) % districts.count]
            let day = CalendarDate(year: year, month: index * 2 + 1, day: 20)!
            let activity = try activity(title: "纸质签到表补录·文明实践活动", district: district, day: day, recordedDaysBefore: 5, on: db)
            let volunteers = try freeVolunteers(district: district, activity: activity, limit: lateVolunteers, on: db)
            try lateEntries(activity: activity, volunteers: volunteers, district: district, approved: index < lateActivities - 2, on: db)
        }
    }

    /// An activity of 09:00–12:00 local on `day`, organised like the district's other activities.
    static func activity(title: String, district: String, day: CalendarDate, recordedDaysBefore: Int, on db: isolated Connection) throws -> Int64 {
        try db.query("""
            INSERT INTO activity (title, category, district_code, organiser, starts_at, ends_at, recorded_at)
            SELECT \(title), '社区服务', \(district),
                   coalesce((SELECT a.organiser FROM activity a WHERE a.district_code = \(district) ORDER BY a.id LIMIT 1), '社区志愿服务队'),
                   \(day)::date + time '09:00', \(day)::date + time '12:00', \(day.adding(days: -recordedDaysBefore))::date + time '18:00'
            RETURNING id
            """).single().decode(0)
    }

    /// Volunteers of the district serving on the day with nothing else recorded that day (so no
    /// overlap or daily rule can refuse them), first by id.
    static func freeVolunteers(district: String, activity: Int64, limit: Int, on db: isolated Connection) throws -> [Int64] {
        try db.query("""
            WITH a AS (SELECT starts_at, ends_at, (starts_at AT TIME ZONE vl_time_zone())::date AS day FROM activity WHERE id = \(activity))
            SELECT v.id
              FROM volunteer v, a
             WHERE v.registered_on <= a.day
               AND (SELECT vd.district_code FROM volunteer_district vd WHERE vd.volunteer_id = v.id AND vd.effective_from <= a.day
                     ORDER BY vd.effective_from DESC LIMIT 1) = \(district)
               AND NOT EXISTS (SELECT 1 FROM volunteer_deregistration x WHERE x.volunteer_id = v.id)
               AND NOT EXISTS (SELECT 1 FROM hours_entry e WHERE e.volunteer_id = v.id
                                  AND e.service_start >= a.starts_at - interval '1 day' AND e.service_start < a.ends_at + interval '1 day')
             ORDER BY v.id
             LIMIT \(limit)
            """).map { try $0.decode(0) }
    }

    /// A tap check-in a few minutes after the start and a check-out before the end, each written
    /// at the moment it holds; the entry is the check-out's, approved the next day.
    static func clockEntry(activity: Int64, volunteer: Int64, slot: Int, district: String, on db: isolated Connection) throws {
        let organiser = "sample_organiser_" + district
        let checkin: Int64 = try db.query("""
            INSERT INTO hours_checkin (volunteer_id, activity_id, checked_in_at, source, recorded_by, recorded_at)
            SELECT \(volunteer), id, starts_at + \(slot % 10) * interval '1 minute', 'tap', \(organiser),
                   starts_at + \(slot % 10) * interval '1 minute' + interval '20 seconds'
              FROM activity WHERE id = \(activity)
            RETURNING id
            """).single().decode(0)
        let minutes = 180 - slot % 10 - (slot * 7) % 25
        let entry: Int64 = try db.query("""
            INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, request_id, source, recorded_by, recorded_at)
            SELECT c.volunteer_id, c.activity_id, c.checked_in_at, \(minutes), 'checkin:' || c.id, 'checkout', \(organiser),
                   c.checked_in_at + \(minutes) * interval '1 minute' + interval '30 seconds'
              FROM hours_checkin c WHERE c.id = \(checkin)
            RETURNING id
            """).single().decode(0)
        try db.execute("""
            INSERT INTO hours_checkout (checkin_id, checked_out_at, automatic, entry_id, source, recorded_by, recorded_at)
            SELECT \(checkin), e.service_start + e.minutes * interval '1 minute', false, e.id, 'tap', \(organiser), e.recorded_at
              FROM hours_entry e WHERE e.id = \(entry)
            """)
        try db.execute("""
            INSERT INTO hours_decision (entry_id, decision, decided_by, decided_at)
            SELECT id, 'approved', \(SampleLoader.reviewer), recorded_at + interval '1 day' FROM hours_entry WHERE id = \(entry)
            """)
    }

    /// Paper sign-in sheets entered 40 days after the activity (late), whole mornings.
    static func lateEntries(activity: Int64, volunteers: [Int64], district: String, approved: Bool, on db: isolated Connection) throws {
        guard !volunteers.isEmpty else { return }
        let ids: [Int64] = try db.query("""
            INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, source, recorded_by, recorded_at)
            SELECT v, a.id, a.starts_at, 150, 'record', \("sample_organiser_" + district), a.ends_at + interval '40 days' + n * interval '1 minute'
              FROM activity a, unnest(\(volunteers)::bigint[]) WITH ORDINALITY AS t(v, n)
             WHERE a.id = \(activity)
             ORDER BY n
            RETURNING id
            """).map { try $0.decode(0) }
        guard approved else { return }
        try db.execute("""
            INSERT INTO hours_decision (entry_id, decision, decided_by, decided_at)
            SELECT id, 'approved', \(SampleLoader.reviewer), recorded_at + interval '2 days' FROM hours_entry WHERE id = ANY (\(ids)::bigint[])
            """)
    }
}
