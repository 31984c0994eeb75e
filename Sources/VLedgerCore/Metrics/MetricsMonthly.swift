import Foundation
import PostgresLibPQ

/// The volunteers' figures of MetricsQuery.volunteerCounts and MetricsProvenance.byDistrict for
/// every month-end of a year at once (issue 14: the dashboard of a 100,000-volunteer city in
/// ≤ 300 ms), instead of one full compute per month.
///
/// Only for the records as they stand (no T), month-end reference dates within the year and
/// the rollups (not `--from-ledger`, no window): exactly what the per-month computes read then,
/// so the figures are the same (MetricsMonthlyTests compares both on a city with corrections,
/// moves and deregistrations).
///
/// How: the triggers of 0262 keep, per volunteer, the stretches of days they are in R in one
/// district code (`volunteer_stretch`) and, per year with rollups, their approved minutes up to
/// each month-end inside each stretch (`metrics_volunteer_monthend`, 0 outside it). A code's
/// registered volunteers on month-end D are its stretches covering D (counted by the first and
/// the last month-end each covers); its minutes a column's sum, its active volunteers the count
/// of that column's values above 0. Two aggregates over rows the writers already shaped.
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

    /// Whether the fast path serves the request's month-ends (each at a month's end): the
    /// records as they stand, read by a login that reads the whole city. The rows of 0262 carry
    /// every volunteer, while a district's staff count only the volunteers RLS shows them, so a
    /// partial login keeps the per-month computes and gets the same figures either way.
    static func serves(_ request: MetricsRequest, coverage: MetricsCoverage) -> Bool {
        request.asRecordedAt == nil && !request.fromLedger && request.window == nil && coverage == .complete
    }

    /// The month-end of `request` when it is one the fast path serves alone (the year report of
    /// a past year, `--as-of` a month's last day).
    static func monthEnd(of request: MetricsRequest) -> Int? {
        let asOf = request.asOf
        return asOf.year == request.year && asOf.day == CalendarDate.daysIn(month: asOf.month, year: asOf.year) ? asOf.month : nil
    }

    /// The figures of month-ends `months` of `year` (each the last day of its month), by month.
    static func volunteers(year: Int, months: ClosedRange<Int>, on db: isolated Connection) throws -> [Int: Volunteers] {
        precondition(months.lowerBound >= 1 && months.upperBound <= 12)
        let end = { (month: Int) in CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))! }
        let (first, last) = (end(months.lowerBound), end(months.upperBound))
        var figures: [String?: [Int: Counts]] = [:]
        // Per code, the stretches by the first month-end they cover (a) and the first they no
        // longer cover (b): a volunteer is registered on month-ends a ..< b.
        for row in try db.query("""
            SELECT code,
                   CASE WHEN since <= \(first) THEN \(months.lowerBound) ELSE extract(month FROM since)::int END,
                   CASE WHEN until > \(last) THEN \(months.upperBound + 1) ELSE extract(month FROM until)::int END,
                   count(*)
              FROM volunteer_stretch
             WHERE since <= \(last) AND until > \(first)
             GROUP BY 1, 2, 3
            """) {
            let code = try row.decode(0, as: String?.self)
            let (a, b, count) = (try row.decode(1, as: Int.self), try row.decode(2, as: Int.self), try row.decode(3, as: Int64.self))
            for month in a..<max(a, b) { figures[code, default: [:]][month, default: Counts()].registered += count }
        }
        let columns = months.map { month -> String in
            let k = month < 10 ? "0\(month)" : "\(month)"
            return "sum(minutes_\(k)), count(*) FILTER (WHERE minutes_\(k) > 0), sum(clock_\(k)), sum(entered_\(k)), sum(late_\(k))"
        }.joined(separator: ", ")
        for row in try db.query("SELECT code, \(unsafeRaw: columns) FROM metrics_volunteer_monthend WHERE year = \(year) GROUP BY code") {
            let code = try row.decode(0, as: String?.self)
            for month in months {
                let at = 1 + (month - months.lowerBound) * 5
                var counts = figures[code, default: [:]][month, default: Counts()]
                counts.minutes = try row.decode(at)
                counts.active = try row.decode(at + 1)
                counts.provenance = ProvenanceMinutes(clock: try row.decode(at + 2), entered: try row.decode(at + 3), late: try row.decode(at + 4))
                figures[code, default: [:]][month] = counts
            }
        }
        var result: [Int: Volunteers] = [:]
        for month in months {
            // As the per-month statement: a code only when someone of it is registered on D.
            let present = figures.compactMap { code, byMonth in byMonth[month].flatMap { $0.registered > 0 ? (code, $0) : nil } }
            result[month] = Volunteers(
                counts: present.sorted { ($0.0 ?? "") < ($1.0 ?? "") }.map { ($0.0, $0.1.registered, $0.1.active, $0.1.minutes) },
                provenance: Dictionary(uniqueKeysWithValues: present.compactMap { entry in entry.0.map { ($0, entry.1.provenance) } }))
        }
        return result
    }
}
