import Foundation
import PostgresLibPQ

/// The report's SQL: one statement over the indexes and derived tables of migration 0185, each
/// rule reading only the rows that can break it (EXPLAIN ANALYZE of it is what `vledger bench
/// anomalies` times through psql). The settings and the year's bounds are read first and bound
/// as parameters, so that the planner sees constants and ranges become index scans.
public enum HoursAnomalySQL {
    public struct Parameters: Sendable, Equatable {
        public var lateDays: Int
        public var hourlyEntries: Int
        public var dailyHours: Int
        public var noticeHours: Int
        public var burstMinutes: Int
        public var burstVolunteers: Int
        public var timeZone: String
        /// The year's first instant and the next year's (±infinity for every year), as PostgreSQL prints them.
        public var from: String
        public var until: String
        public var fromDay: String
        public var untilDay: String

        public static func load(year: Int?, limits: HoursAnomalies.Limits, on db: isolated Connection) throws -> Parameters {
            let row = try db.query(sql(year: year, limits: limits)).single()
            return Parameters(
                lateDays: try row.decode(0), hourlyEntries: try row.decode(1), dailyHours: try row.decode(2),
                noticeHours: try row.decode(3), burstMinutes: try row.decode(4), burstVolunteers: try row.decode(5),
                timeZone: try row.decode(6), from: try row.decode(7), until: try row.decode(8),
                fromDay: try row.decode(9), untilDay: try row.decode(10))
        }

        public static func sql(year: Int?, limits: HoursAnomalies.Limits) -> SQL {
            """
                SELECT coalesce(\(limits.lateDays)::int, vl_setting('late_recording_days')::int, 30),
                       coalesce(\(limits.recorderHourlyEntries)::int, vl_setting('recorder_hourly_entries_limit')::int, 120),
                       coalesce(vl_setting('daily_hours_limit')::int, 12),
                       coalesce(\(limits.dailyNoticeHours)::int, vl_setting('daily_hours_notice')::int, 8),
                       coalesce(\(limits.burstMinutes)::int, vl_setting('recorder_burst_minutes')::int, 10),
                       coalesce(\(limits.burstVolunteers)::int, vl_setting('recorder_burst_volunteers')::int, 30),
                       tz,
                       CASE WHEN y IS NULL THEN '-infinity'::timestamptz ELSE make_date(y, 1, 1)::timestamp AT TIME ZONE tz END::text,
                       CASE WHEN y IS NULL THEN 'infinity'::timestamptz ELSE make_date(y + 1, 1, 1)::timestamp AT TIME ZONE tz END::text,
                       CASE WHEN y IS NULL THEN '-infinity'::date ELSE make_date(y, 1, 1) END::text,
                       CASE WHEN y IS NULL THEN 'infinity'::date ELSE make_date(y + 1, 1, 1) END::text,
                       -- A plan of milliseconds is not worth compiling (as the metrics, MetricsService).
                       set_config('jit', 'off', true)
                FROM (SELECT vl_time_zone() AS tz, \(year)::int AS y) p
                """
        }
    }

    /// The lookups by ID number of `HoursAnomalies.lookups`.
    public static func lookups(year: Int?) -> SQL {
        """
        SELECT login, vl_local_text(hour), lookups, missed, refused, limit_per_hour,
               array_to_string(missed_keys[1:5], ', ') || CASE WHEN cardinality(missed_keys) > 5 THEN ', …' ELSE '' END
        FROM vl_id_lookup_hours()
        WHERE \(year)::int IS NULL OR extract(year FROM hour AT TIME ZONE vl_time_zone()) = \(year)::int
        ORDER BY hour, login
        """
    }

    /// kind, entry, volunteer number, activity, service start, minutes, status, recorded by,
    /// recorded at, arguments (JSON text), severity when the row's differs from the rule's.
    /// Times are formatted by the two-argument vl_local_text (0261), which the planner inlines.
    public static func entries(_ p: Parameters) -> SQL {
        """
        WITH hand AS MATERIALIZED (
            -- Hand entries (not imports, check-outs or loads) recorded since the year began.
            SELECT e.id, e.recorded_by, e.recorded_at, e.volunteer_id, e.service_start
            FROM hours_entry e
            WHERE e.source IN ('record', 'attendance', 'correction') AND e.recorded_at >= \(p.from)::timestamptz - interval '1 day'
        ),
        late AS (
            SELECT 'late_recording' AS kind, e.id, NULL::text AS severity,
                   jsonb_build_object('days', floor(extract(epoch FROM (e.recorded_at - e.service_start) - e.minutes * interval '1 minute') / 86400)::int::text,
                                      'limit', \(p.lateDays)::text) AS args
            FROM hours_entry e
            WHERE e.corrects_id IS NULL
              AND (e.recorded_at - e.service_start) - e.minutes * interval '1 minute' > \(p.lateDays)::int * interval '1 day'
              AND e.service_start >= \(p.from)::timestamptz AND e.service_start < \(p.until)::timestamptz
        ),
        hourly AS (
            SELECT h.recorded_by, date_trunc('hour', h.recorded_at) AS hour, count(*) AS entries
            FROM hand h GROUP BY 1, 2 HAVING count(*) > \(p.hourlyEntries)::int
        ),
        volume AS (
            SELECT 'recorder_volume' AS kind, e.id, NULL::text AS severity,
                   jsonb_build_object('login', e.recorded_by, 'entries', v.entries::text, 'minutes', m.minutes::text,
                                      'hour', vl_local_text(v.hour, \(p.timeZone)::text), 'limit', \(p.hourlyEntries)::text) AS args
            FROM hourly v
            CROSS JOIN LATERAL (SELECT sum(x.minutes) AS minutes FROM hours_entry x
                                WHERE x.source IN ('record', 'attendance', 'correction') AND x.recorded_by = v.recorded_by
                                  AND x.recorded_at >= v.hour AND x.recorded_at < v.hour + interval '1 hour') m
            JOIN hours_entry e ON e.source IN ('record', 'attendance', 'correction') AND e.recorded_by = v.recorded_by
                              AND e.recorded_at >= v.hour AND e.recorded_at < v.hour + interval '1 hour'
            WHERE e.service_start >= \(p.from)::timestamptz AND e.service_start < \(p.until)::timestamptz
        ),
        windowed AS (
            SELECT h.recorded_by, h.recorded_at,
                   count(*) OVER (PARTITION BY h.recorded_by ORDER BY h.recorded_at
                                  RANGE BETWEEN \(p.burstMinutes)::int * interval '1 minute' PRECEDING AND CURRENT ROW) AS entries
            FROM hand h
        ),
        -- Windows ending at an entry with more entries than the limit of volunteers: only those can
        -- hold more volunteers than it; their volunteers are counted exactly.
        bursts AS (
            SELECT w.recorded_by, w.recorded_at AS until, x.volunteers, x.entries
            FROM (SELECT DISTINCT recorded_by, recorded_at FROM windowed WHERE entries > \(p.burstVolunteers)::int) w
            CROSS JOIN LATERAL (
                SELECT count(DISTINCT h.volunteer_id) AS volunteers, count(*) AS entries FROM hours_entry h
                WHERE h.source IN ('record', 'attendance', 'correction') AND h.recorded_by = w.recorded_by
                  AND h.recorded_at >= w.recorded_at - \(p.burstMinutes)::int * interval '1 minute' AND h.recorded_at <= w.recorded_at) x
            WHERE x.volunteers > \(p.burstVolunteers)::int
        ),
        burst AS (
            SELECT DISTINCT ON (e.id) 'recorder_burst' AS kind, e.id, NULL::text AS severity,
                   jsonb_build_object('login', b.recorded_by, 'volunteers', b.volunteers::text, 'entries', b.entries::text,
                                      'from', vl_local_text(b.until - \(p.burstMinutes)::int * interval '1 minute', \(p.timeZone)::text), 'until', vl_local_text(b.until, \(p.timeZone)::text),
                                      'window', \(p.burstMinutes)::text, 'limit', \(p.burstVolunteers)::text) AS args
            FROM bursts b
            JOIN hours_entry e ON e.source IN ('record', 'attendance', 'correction') AND e.recorded_by = b.recorded_by
                              AND e.recorded_at >= b.until - \(p.burstMinutes)::int * interval '1 minute' AND e.recorded_at <= b.until
            WHERE e.service_start >= \(p.from)::timestamptz AND e.service_start < \(p.until)::timestamptz
            ORDER BY e.id, b.volunteers DESC, b.until
        ),
        daily AS (
            SELECT 'daily_' || CASE WHEN d.minutes > \(p.dailyHours)::int * 60 THEN 'limit' ELSE 'long' END AS kind, e.id, NULL::text AS severity,
                   jsonb_build_object('minutes', d.minutes::text, 'day', d.day::text,
                                      'limit', CASE WHEN d.minutes > \(p.dailyHours)::int * 60 THEN \(p.dailyHours)::int ELSE \(p.noticeHours)::int END::text,
                                      'max', \(p.dailyHours)::text) AS args
            FROM hours_volunteer_day d
            JOIN hours_entry e ON e.volunteer_id = d.volunteer_id
                              AND e.service_start >= d.day::timestamp AT TIME ZONE \(p.timeZone)::text
                              AND e.service_start < (d.day + 1)::timestamp AT TIME ZONE \(p.timeZone)::text
            WHERE d.minutes > least(\(p.noticeHours)::int, \(p.dailyHours)::int) * 60
              AND d.day >= \(p.fromDay)::date AND d.day < \(p.untilDay)::date
              AND NOT EXISTS (SELECT 1 FROM hours_decision x WHERE x.entry_id = e.id AND x.decision = 'rejected')
        ),
        auto AS (
            SELECT 'auto_checkout' AS kind, e.id, NULL::text AS severity, '{}'::jsonb AS args
            FROM hours_entry e
            WHERE e.source = 'auto_checkout' AND e.service_start >= \(p.from)::timestamptz AND e.service_start < \(p.until)::timestamptz
        ),
        self AS (
            SELECT 'self_approval' AS kind, s.entry_id AS id, NULL::text AS severity, jsonb_build_object('login', e.recorded_by) AS args
            FROM hours_self_approval s JOIN hours_entry e ON e.id = s.entry_id
            WHERE s.service_start >= \(p.from)::timestamptz AND s.service_start < \(p.until)::timestamptz
        ),
        -- Each volunteer's activities checked in at, by start: one overlaps or touches an earlier one
        -- when it starts before the latest end so far, a later one when the next starts before it ends.
        attended AS (
            SELECT DISTINCT c.volunteer_id, c.activity_id, a.starts_at, a.ends_at
            FROM hours_checkin c JOIN activity a ON a.id = c.activity_id
            WHERE c.checked_in_at >= \(p.from)::timestamptz - (SELECT coalesce(max(x.length_minutes) + 1, 0) * interval '1 minute' FROM activity x)
              AND c.checked_in_at < \(p.until)::timestamptz + (SELECT coalesce(max(x.length_minutes) + 1, 0) * interval '1 minute' FROM activity x)
        ),
        near AS (
            SELECT t.*
            FROM (SELECT a.*,
                         max(a.ends_at) OVER (PARTITION BY a.volunteer_id ORDER BY a.starts_at, a.activity_id
                                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_end,
                         lead(a.starts_at) OVER (PARTITION BY a.volunteer_id ORDER BY a.starts_at, a.activity_id) AS next_start
                  FROM attended a) t
            WHERE t.earlier_end >= t.starts_at OR t.next_start <= t.ends_at
        ),
        pairs AS (
            SELECT f.volunteer_id, f.activity_id,
                   string_agg(g.activity_id::text, ', ' ORDER BY g.starts_at, g.activity_id)
                       FILTER (WHERE g.starts_at < f.ends_at AND f.starts_at < g.ends_at) AS overlapping,
                   string_agg(g.activity_id::text, ', ' ORDER BY g.starts_at, g.activity_id)
                       FILTER (WHERE NOT (g.starts_at < f.ends_at AND f.starts_at < g.ends_at)) AS touching
            FROM near f JOIN near g ON g.volunteer_id = f.volunteer_id AND g.activity_id <> f.activity_id
                                   AND g.starts_at <= f.ends_at AND f.starts_at <= g.ends_at
            GROUP BY 1, 2
        ),
        overlap AS (
            SELECT 'checkin_overlap' AS kind, e.id, CASE WHEN p.overlapping IS NULL THEN 'medium' END AS severity,
                   jsonb_strip_nulls(jsonb_build_object('overlapping', p.overlapping, 'touching', p.touching)) AS args
            FROM pairs p
            JOIN hours_checkin c ON c.volunteer_id = p.volunteer_id AND c.activity_id = p.activity_id
            JOIN hours_checkout o ON o.checkin_id = c.id
            JOIN hours_entry e ON e.id = o.entry_id
            WHERE e.service_start >= \(p.from)::timestamptz AND e.service_start < \(p.until)::timestamptz
        ),
        -- Entries the database stored as late (0161: after the 10 working days of 第十一条, 补录), over
        -- the partial index of late entries: they count only once the office or an admin approves.
        -- The working days are counted once per pair of days (a load of late entries shares few),
        -- and each entry's activity is looked up by id (OFFSET 0: not a scan of every activity).
        late_days AS MATERIALIZED (
            SELECT e.id, (a.ends_at AT TIME ZONE \(p.timeZone)::text)::date AS ended, (e.recorded_at AT TIME ZONE \(p.timeZone)::text)::date AS recorded
            FROM hours_entry e CROSS JOIN LATERAL (SELECT x.ends_at FROM activity x WHERE x.id = e.activity_id OFFSET 0) a
            WHERE e.provenance = 'late' AND e.service_start >= \(p.from)::timestamptz AND e.service_start < \(p.until)::timestamptz
        ),
        late_counts AS (
            SELECT d.ended, d.recorded, vl_working_days_between(d.ended, d.recorded) AS days
            FROM (SELECT DISTINCT ended, recorded FROM late_days) d
        ),
        entry_late AS (
            SELECT 'late_entry' AS kind, l.id, NULL::text AS severity,
                   jsonb_build_object('working_days', c.days::text, 'limit', '10') AS args
            FROM late_days l JOIN late_counts c ON c.ended = l.ended AND c.recorded = l.recorded
        ),
        found AS (
            SELECT * FROM late UNION ALL SELECT * FROM volume UNION ALL SELECT * FROM burst UNION ALL SELECT * FROM daily
            UNION ALL SELECT * FROM auto UNION ALL SELECT * FROM self UNION ALL SELECT * FROM overlap UNION ALL SELECT * FROM entry_late
        )
        -- The few rows found, each with its entry looked up by id: OFFSET 0 keeps the lookup a
        -- nested loop whatever the estimates (a hash join here would read the whole ledger).
        SELECT f.kind, e.id, e.number, e.activity_id, vl_local_text(e.service_start, \(p.timeZone)::text), e.minutes, e.status, e.recorded_by,
               vl_local_text(e.recorded_at, \(p.timeZone)::text), f.args::text, f.severity
        FROM found f
        CROSS JOIN LATERAL (
            SELECT x.id, v.number, x.activity_id, x.service_start, x.minutes, x.status, x.recorded_by, x.recorded_at
            FROM hours_entry_status x JOIN volunteer v ON v.id = x.volunteer_id
            WHERE x.id = f.id
            OFFSET 0) e
        ORDER BY e.service_start, e.id, f.kind
        """
    }
}
