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
    /// (SampleLoader), as the owner writing original record times. One statement per table and
    /// kind (volunteers are never chosen twice, so all check-ins go in at once).
    static func write(_ city: SampleCity, on db: isolated Connection) throws {
        let year = city.options.lastYear
        let districts = city.districts.map(\.code)
        guard !districts.isEmpty else { return }
        var chosen: [Int64] = []
        var clock: [(activity: Int64, volunteer: Int64, slot: Int, organiser: String)] = []
        for index in 0..<clockActivities {
            let district = districts[index * 7 % districts.count]
            let day = CalendarDate(year: year, month: index + 1, day: 12)!
            let activity = try activity(title: "扫码签到·社区志愿服务", district: district, day: day, recordedDaysBefore: 7, on: db)
            let volunteers = try freeVolunteers(district: district, activity: activity, limit: clockVolunteers, except: chosen, on: db)
            chosen += volunteers
            clock += volunteers.enumerated().map { (activity, $0.element, $0.offset, "sample_organiser_" + district) }
        }
        var late: [(activity: Int64, volunteer: Int64, organiser: String, approved: Bool)] = []
        for index in 0..<lateActivities {
            let district = districts[(index * 11 + 3) % districts.count]
            let day = CalendarDate(year: year, month: index * 2 + 1, day: 20)!
            let activity = try activity(title: "纸质签到表补录·文明实践活动", district: district, day: day, recordedDaysBefore: 5, on: db)
            let volunteers = try freeVolunteers(district: district, activity: activity, limit: lateVolunteers, except: chosen, on: db)
            chosen += volunteers
            late += volunteers.map { (activity, $0, "sample_organiser_" + district, index < lateActivities - 2) }
        }
        try clockEntries(clock, on: db)
        try lateEntries(late, on: db)
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
    static func freeVolunteers(district: String, activity: Int64, limit: Int, except: [Int64], on db: isolated Connection) throws -> [Int64] {
        try db.query("""
            WITH a AS (SELECT starts_at, ends_at, (starts_at AT TIME ZONE vl_time_zone())::date AS day FROM activity WHERE id = \(activity))
            SELECT v.id
              FROM volunteer v, a
             WHERE v.registered_on <= a.day AND v.id <> ALL (\(except)::bigint[])
               AND (SELECT vd.district_code FROM volunteer_district vd WHERE vd.volunteer_id = v.id AND vd.effective_from <= a.day
                     ORDER BY vd.effective_from DESC LIMIT 1) = \(district)
               AND NOT EXISTS (SELECT 1 FROM volunteer_deregistration x WHERE x.volunteer_id = v.id)
               AND NOT EXISTS (SELECT 1 FROM hours_entry e WHERE e.volunteer_id = v.id
                                  AND e.service_start >= a.starts_at - interval '1 day' AND e.service_start < a.ends_at + interval '1 day')
             ORDER BY v.id
             LIMIT \(limit)
            """).map { try $0.decode(0) }
    }

    /// Tap check-ins a few minutes after the start and check-outs before the end, each written at
    /// the moment it holds; the entries are the check-outs', approved the next day.
    static func clockEntries(_ rows: [(activity: Int64, volunteer: Int64, slot: Int, organiser: String)], on db: isolated Connection) throws {
        guard !rows.isEmpty else { return }
        let minutes = rows.map { 180 - $0.slot % 10 - ($0.slot * 7) % 25 }
        try db.execute("""
            CREATE TEMP TABLE vl_sample_clock ON COMMIT DROP AS
            SELECT r.volunteer_id, r.activity_id, a.starts_at + (r.slot % 10) * interval '1 minute' AS checked_in_at, r.minutes, r.organiser,
                   NULL::bigint AS checkin_id
              FROM unnest(\(rows.map(\.volunteer))::bigint[], \(rows.map(\.activity))::bigint[], \(rows.map(\.slot))::int[],
                          \(minutes)::int[], \(rows.map(\.organiser))::text[]) AS r(volunteer_id, activity_id, slot, minutes, organiser)
              JOIN activity a ON a.id = r.activity_id
            """)
        try db.execute("""
            WITH inserted AS (
                INSERT INTO hours_checkin (volunteer_id, activity_id, checked_in_at, source, recorded_by, recorded_at)
                SELECT volunteer_id, activity_id, checked_in_at, 'tap', organiser, checked_in_at + interval '20 seconds'
                  FROM vl_sample_clock ORDER BY activity_id, volunteer_id
                RETURNING id, volunteer_id, activity_id)
            UPDATE vl_sample_clock c SET checkin_id = i.id FROM inserted i WHERE i.volunteer_id = c.volunteer_id AND i.activity_id = c.activity_id
            """)
        try db.execute("""
            INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, request_id, source, recorded_by, recorded_at)
            SELECT volunteer_id, activity_id, checked_in_at, minutes, 'checkin:' || checkin_id, 'checkout', organiser,
                   checked_in_at + minutes * interval '1 minute' + interval '30 seconds'
              FROM vl_sample_clock ORDER BY checkin_id
            """)
        try db.execute("""
            INSERT INTO hours_checkout (checkin_id, checked_out_at, automatic, entry_id, source, recorded_by, recorded_at)
            SELECT c.checkin_id, e.service_start + e.minutes * interval '1 minute', false, e.id, 'tap', c.organiser, e.recorded_at
              FROM vl_sample_clock c JOIN hours_entry e ON e.request_id = 'checkin:' || c.checkin_id ORDER BY c.checkin_id
            """)
        try db.execute("""
            INSERT INTO hours_decision (entry_id, decision, decided_by, decided_at)
            SELECT e.id, 'approved', \(SampleLoader.reviewer), e.recorded_at + interval '1 day'
              FROM vl_sample_clock c JOIN hours_entry e ON e.request_id = 'checkin:' || c.checkin_id ORDER BY e.id
            """)
    }

    /// Paper sign-in sheets entered 40 days after the activity (late), whole mornings.
    static func lateEntries(_ rows: [(activity: Int64, volunteer: Int64, organiser: String, approved: Bool)], on db: isolated Connection) throws {
        guard !rows.isEmpty else { return }
        let ids: [Int64] = try db.query("""
            INSERT INTO hours_entry (volunteer_id, activity_id, service_start, minutes, source, recorded_by, recorded_at)
            SELECT r.volunteer_id, a.id, a.starts_at, 150, 'record', r.organiser, a.ends_at + interval '40 days' + r.n * interval '1 minute'
              FROM unnest(\(rows.map(\.volunteer))::bigint[], \(rows.map(\.activity))::bigint[], \(rows.map(\.organiser))::text[])
                   WITH ORDINALITY AS r(volunteer_id, activity_id, organiser, n)
              JOIN activity a ON a.id = r.activity_id
             ORDER BY r.n
            RETURNING id
            """).map { try $0.decode(0) }
        let approved = zip(ids, rows).filter { $0.1.approved }.map(\.0)
        try db.execute("""
            INSERT INTO hours_decision (entry_id, decision, decided_by, decided_at)
            SELECT id, 'approved', \(SampleLoader.reviewer), recorded_at + interval '2 days' FROM hours_entry WHERE id = ANY (\(approved)::bigint[]) ORDER BY id
            """)
    }
}
