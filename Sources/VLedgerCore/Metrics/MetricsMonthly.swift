import Foundation
import PostgresLibPQ

/// The volunteers' figures of MetricsQuery.volunteerCounts and MetricsProvenance.byDistrict for
/// every month-end of a year at once, in ONE statement over the monthly rollups (issue 14: the
/// dashboard of a 100,000-volunteer city in ≤ 300 ms), instead of one full compute per month.
///
/// Only for the records as they stand (no T), month-end reference dates within the year and
/// the rollups (not `--from-ledger`, no window): exactly what the per-month computes read then,
/// so the figures are the same (MetricsMonthlyTests compares both on a city with corrections,
/// moves and deregistrations).
///
/// How: a volunteer is in R on D when registered_on ≤ D < deregistration, in the district of the
/// volunteer_district row with the latest effective_from ≤ D, i.e. D in [effective_from, next
/// row's effective_from). Each such stretch of days is a range of month-ends [a, b]. A rollup row
/// of month k adds its minutes to every month-end m ≥ k of the stretch: [max(k, a), b]. A
/// volunteer is active on month-end m when their running sum of months ≤ m is > 0: the running
/// sum of month k holds until their next month with a row. Each range becomes +x at its first
/// month and −x after its last; the statement sums those per district and month, and the running
/// sum over the months (done here) gives each month-end's figures.
enum MetricsMonthly {
    /// One district code's volunteers on one month-end (code nil: no district row on D).
    struct Counts: Sendable, Equatable {
        var registered: Int64 = 0
        var active: Int64 = 0
        var minutes: Int64 = 0
        var provenance = ProvenanceMinutes.zero
    }

    /// What MetricsService.compute reads for one reference date, already computed.
    struct Volunteers: Sendable {
        var counts: [(code: String?, registered: Int64, active: Int64, minutes: Int64)]
        var provenance: [String: ProvenanceMinutes]
    }

    /// Whether the fast path serves the request's month-ends 1…`months` (all at a month's end).
    static func serves(_ request: MetricsRequest) -> Bool {
        request.asRecordedAt == nil && !request.fromLedger && request.window == nil
    }

    /// The figures of month-ends 1…`months` of `year` (each the last day of its month), by month.
    static func volunteers(year: Int, months: Int, on db: isolated Connection) throws -> [Int: Volunteers] {
        precondition((1...12).contains(months))
        let first = CalendarDate(year: year, month: 1, day: 31)!
        let last = CalendarDate(year: year, month: months, day: CalendarDate.daysIn(month: months, year: year))!
        let rows = try db.query("""
            WITH placed AS (
                SELECT volunteer_id, district_code, effective_from AS since,
                       lead(effective_from) OVER w AS until, row_number() OVER w = 1 AS first
                  FROM volunteer_district
                 WHERE effective_from <= \(last)
                WINDOW w AS (PARTITION BY volunteer_id ORDER BY effective_from)
            ),
            stretch AS (
                SELECT v.id AS volunteer_id, s.code,
                       greatest(v.registered_on, s.since) AS since,
                       least(coalesce(x.effective_on, 'infinity'::date), s.until) AS until
                  FROM volunteer v
                  LEFT JOIN volunteer_deregistration x ON x.volunteer_id = v.id
                  LEFT JOIN placed p ON p.volunteer_id = v.id
                 CROSS JOIN LATERAL (
                       SELECT p.district_code, coalesce(p.since, '-infinity'::date), coalesce(p.until, 'infinity'::date)
                       UNION ALL
                       -- Before the first district row: registered without a district.
                       SELECT NULL, '-infinity'::date, p.since WHERE p.first
                  ) s(code, since, until)
                 WHERE v.registered_on <= \(last) AND (x.effective_on IS NULL OR x.effective_on > \(first))
            ),
            span AS MATERIALIZED (
                SELECT volunteer_id, code,
                       CASE WHEN since <= \(first) THEN 1 WHEN since > \(last) THEN \(months + 1)
                            ELSE extract(month FROM since)::int END AS a,
                       CASE WHEN until > \(last) THEN \(months) WHEN until <= \(first) THEN 0
                            ELSE extract(month FROM until)::int - 1 END AS b
                  FROM stretch
            ),
            monthly AS (
                SELECT volunteer_id, month, minutes,
                       sum(minutes) OVER w AS running, lead(month, 1, \(months + 1)) OVER w AS next
                  FROM metrics_volunteer_month
                 WHERE year = \(year) AND month <= \(months)
                WINDOW w AS (PARTITION BY volunteer_id ORDER BY month)
            ),
            ranges AS (
                SELECT code, a AS since, b + 1 AS until, 1 AS registered, 0 AS active,
                       0::bigint AS minutes, 0::bigint AS clock, 0::bigint AS entered, 0::bigint AS late
                  FROM span WHERE a <= b
                UNION ALL
                SELECT s.code, r.since, r.until, 0, r.active, r.minutes, 0, 0, 0
                  FROM span s
                  JOIN monthly m ON m.volunteer_id = s.volunteer_id AND m.month <= s.b
                 CROSS JOIN LATERAL (VALUES (greatest(m.month, s.a), s.b + 1, 0, m.minutes),
                                            (greatest(m.month, s.a), least(m.next, s.b + 1), CASE WHEN m.running > 0 THEN 1 ELSE 0 END, 0::bigint)
                  ) r(since, until, active, minutes)
                 WHERE r.since < r.until AND (r.minutes <> 0 OR r.active <> 0)
                UNION ALL
                SELECT s.code, greatest(p.month, s.a), s.b + 1, 0, 0, 0, p.clock, p.entered, p.late
                  FROM span s
                  JOIN metrics_provenance_month p ON p.volunteer_id = s.volunteer_id AND p.month <= s.b
                 WHERE p.year = \(year) AND p.month <= \(months) AND greatest(p.month, s.a) <= s.b
            )
            SELECT r.code, e.month, sum(e.sign * r.registered)::bigint, sum(e.sign * r.active)::bigint,
                   sum(e.sign * r.minutes)::bigint, sum(e.sign * r.clock)::bigint, sum(e.sign * r.entered)::bigint, sum(e.sign * r.late)::bigint
              FROM ranges r
             CROSS JOIN LATERAL (VALUES (r.since, 1), (r.until, -1)) e(month, sign)
             WHERE e.month <= \(months)
             GROUP BY r.code, e.month
            """)
        // Changes per code and month, then the running sums month by month.
        var changes: [String?: [Int: Counts]] = [:]
        for row in rows {
            let code = try row.decode(0, as: String?.self)
            let month = try row.decode(1, as: Int.self)
            changes[code, default: [:]][month] = Counts(
                registered: try row.decode(2), active: try row.decode(3), minutes: try row.decode(4),
                provenance: ProvenanceMinutes(clock: try row.decode(5), entered: try row.decode(6), late: try row.decode(7)))
        }
        var result: [Int: Volunteers] = [:]
        var standing: [String?: Counts] = [:]
        for month in 1...months {
            for (code, byMonth) in changes {
                guard let change = byMonth[month] else { continue }
                var counts = standing[code] ?? Counts()
                counts.registered += change.registered
                counts.active += change.active
                counts.minutes += change.minutes
                counts.provenance = counts.provenance + change.provenance
                standing[code] = counts
            }
            // As the per-month statement: a code only when someone of it is registered on D.
            let present = standing.filter { $0.value.registered > 0 }
            result[month] = Volunteers(
                counts: present.sorted { ($0.key ?? "") < ($1.key ?? "") }.map { ($0.key, $0.value.registered, $0.value.active, $0.value.minutes) },
                provenance: Dictionary(uniqueKeysWithValues: present.compactMap { entry in entry.key.map { ($0, entry.value.provenance) } }))
        }
        return result
    }
}
