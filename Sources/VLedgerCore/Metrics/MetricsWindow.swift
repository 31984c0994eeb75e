import Foundation
import PostgresLibPQ

/// The 12 months the evaluation's online materials cover: ending one month before the visit
/// (issue 16 §5). For a visit on V the window runs from V − 13 months through the day before
/// V − 1 month (a day past a month's end is clamped to it): visit 2026-06-15 → 2025-05-15 …
/// 2026-05-14. Within it the metrics read as for a year, with:
/// - service starts from `from` 00:00 to `through` + 1 day 00:00 in the city's zone;
/// - the registration date D (registered, district, built-up) = `through`;
/// - the population year = the calendar year holding most of the window's days (the earlier on a
///   tie): the figure the statistics bureau has published by the visit.
public struct MetricsWindow: Sendable, Equatable {
    public var from: CalendarDate
    public var through: CalendarDate
    public var visit: CalendarDate

    public init(visit: CalendarDate) {
        self.visit = visit
        let end = Self.monthsBefore(visit, 1)
        from = Self.monthsBefore(visit, 13)
        through = end.adding(days: -1)
    }

    static func monthsBefore(_ date: CalendarDate, _ months: Int) -> CalendarDate {
        let index = date.year * 12 + (date.month - 1) - months
        let year = index / 12, month = index % 12 + 1
        return CalendarDate(year: year, month: month, day: min(date.day, CalendarDate.daysIn(month: month, year: year)))!
    }

    public var populationYear: Int {
        guard from.year != through.year else { return from.year }
        let yearEnd = CalendarDate(year: from.year, month: 12, day: 31)!
        let inFirst = yearEnd.daysSinceEpoch - from.daysSinceEpoch + 1
        let inSecond = through.daysSinceEpoch - CalendarDate(year: through.year, month: 1, day: 1)!.daysSinceEpoch + 1
        return inFirst >= inSecond ? from.year : through.year
    }

    /// The metrics request for the window: year = the population year, as of `through`.
    public func request(asRecordedAt: String?, scope: MetricsScope, targets: MetricsTargets) throws -> MetricsRequest {
        var request = try MetricsRequest(year: populationYear, asOf: through.description, asRecordedAt: asRecordedAt, scope: scope, targets: targets)
        request.window = self
        request.fromLedger = true
        return request
    }

    var json: JSONValue {
        .object([("visit", .string(visit.description)), ("from", .string(from.description)), ("through", .string(through.description)),
                 ("registered_on", .string(through.description)), ("population_year", .int(populationYear))])
    }
}

extension MetricsQuery {
    /// The window's instants: `from` 00:00 to the day after `through` 00:00, in the city's zone.
    static func window(_ window: MetricsWindow, timeZone: String, on db: isolated Connection) throws -> Window {
        let end = window.through.adding(days: 1)
        let row = try db.query("""
            SELECT make_timestamptz(\(window.from.year), \(window.from.month), \(window.from.day), 0, 0, 0, \(timeZone)),
                   make_timestamptz(\(end.year), \(end.month), \(end.day), 0, 0, 0, \(timeZone))
            """).single()
        return Window(start: try row.decode(0), end: try row.decode(1))
    }
}

extension MetricsReport {
    /// Keys added after SPEC's, before `audit_head` (which stays last): the window when there is
    /// one, and the fourth indicator.
    var additionalMembers: [(String, JSONValue)] {
        (request.window.map { [("window", $0.json)] } ?? []) + [("support_rate", supportRateJSON)]
    }
}
