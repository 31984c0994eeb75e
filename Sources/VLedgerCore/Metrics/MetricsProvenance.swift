import Foundation
import PostgresLibPQ

/// Approved minutes by provenance (0161): `clock` (check-in and check-out on the server's clock),
/// `entered` (recorded within 10 working days of the activity's end), `late` (补录).
public struct ProvenanceMinutes: Sendable, Equatable {
    public var clock: Int64
    public var entered: Int64
    public var late: Int64

    public static let zero = ProvenanceMinutes(clock: 0, entered: 0, late: 0)

    public init(clock: Int64, entered: Int64, late: Int64) {
        self.clock = clock
        self.entered = entered
        self.late = late
    }

    public var total: Int64 { clock + entered + late }

    public static func + (lhs: ProvenanceMinutes, rhs: ProvenanceMinutes) -> ProvenanceMinutes {
        ProvenanceMinutes(clock: lhs.clock + rhs.clock, entered: lhs.entered + rhs.entered, late: lhs.late + rhs.late)
    }

    /// `{"clock": m, "entered": m, "late": m}`.
    public var json: JSONValue {
        .object([("clock", .int(clock)), ("entered", .int(entered)), ("late", .int(late))])
    }
}

/// The split of MetricsQuery.volunteerCounts' approved minutes by provenance, read the same way:
/// the provenance rollups of 0161 wherever the plain rollups serve, less the records after T for
/// a replay with few of them, else the ledger as of T. Per district code of the registered
/// volunteers on D, so each district's three counts sum to its approved_minutes.
enum MetricsProvenance {
    static func byDistrict(
        year: Int, asOf: CalendarDate, window: MetricsQuery.Window, recordedAt moment: Date?, fromLedger: Bool, on db: isolated Connection
    ) throws -> [String: ProvenanceMinutes] {
        let monthEnd = asOf.day == CalendarDate.daysIn(month: asOf.month, year: asOf.year)
        let rollup: SQL?
        if fromLedger {
            rollup = nil
        } else if asOf >= CalendarDate(year: year, month: 12, day: 31)! {
            rollup = "SELECT volunteer_id, clock, entered, late FROM metrics_provenance_year WHERE year = \(year)"
        } else if asOf.year == year && monthEnd {
            rollup = """
                SELECT volunteer_id, sum(clock) AS clock, sum(entered) AS entered, sum(late) AS late FROM metrics_provenance_month
                 WHERE year = \(year) AND month <= \(asOf.month) GROUP BY volunteer_id
                """
        } else {
            rollup = nil
        }
        let split: SQL = """
            coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'clock'), 0) AS clock,
                   coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'entered'), 0) AS entered,
                   coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'late'), 0) AS late
            """
        let negatedSplit: SQL = """
            -coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'clock'), 0),
                   -coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'entered'), 0),
                   -coalesce(sum(e.minutes) FILTER (WHERE e.provenance = 'late'), 0)
            """
        let net: SQL
        switch (rollup, moment) {
        case (let rollup?, nil):
            net = rollup
        case (let rollup?, let moment?) where try MetricsQuery.fewRecords(after: moment, on: db):
            net = """
                SELECT volunteer_id, sum(clock) AS clock, sum(entered) AS entered, sum(late) AS late FROM (
                    \(rollup)
                    UNION ALL
                    SELECT e.volunteer_id, \(negatedSplit)
                      FROM hours_entry e
                      JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
                     WHERE e.service_start >= \(window.start) AND e.service_start < \(window.end)
                       AND e.id IN (SELECT l.entry_id FROM hours_decision l WHERE l.decision = 'approved' AND l.decided_at > \(moment)
                                    UNION
                                    SELECT l.id FROM hours_entry l WHERE l.recorded_at > \(moment))
                     GROUP BY e.volunteer_id
                ) later GROUP BY volunteer_id
                """
        default:
            net = """
                SELECT e.volunteer_id, \(split)
                  FROM hours_entry e
                  JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'\(MetricsQuery.recordedBy("d.decided_at", moment))
                 WHERE e.service_start >= \(window.start) AND e.service_start < \(window.end)\(MetricsQuery.recordedBy("e.recorded_at", moment))
                 GROUP BY e.volunteer_id
            """
        }
        let rows = try db.query("""
            WITH \(MetricsQuery.registeredVolunteers(asOf: asOf, recordedAt: moment)),
            net AS (\(net))
            SELECT r.district_code, coalesce(sum(n.clock), 0)::bigint, coalesce(sum(n.entered), 0)::bigint, coalesce(sum(n.late), 0)::bigint
              FROM registered r
              JOIN net n ON n.volunteer_id = r.id
             WHERE r.district_code IS NOT NULL
             GROUP BY r.district_code
            """)
        var result: [String: ProvenanceMinutes] = [:]
        for row in rows {
            result[try row.decode(0)] = ProvenanceMinutes(clock: try row.decode(1), entered: try row.decode(2), late: try row.decode(3))
        }
        return result
    }
}

extension MetricsReport {
    /// The new key of issue 16, last in each district's and the city's object (every older key
    /// keeps its place).
    static func provenanceMembers(_ split: ProvenanceMinutes?) -> [(String, JSONValue)] {
        split.map { [("minutes_by_provenance", $0.json)] } ?? []
    }

    /// Under the people's table: one line per district (the order of the table) and the city,
    /// in hours, when the split was computed.
    var provenanceLines: String {
        func hours(_ minutes: Int64) -> String { ExactDecimal.quotient(Decimal(minutes), 60, places: 2) }
        func line(_ name: String, _ split: ProvenanceMinutes) -> String {
            "  " + tr("ui.metrics.provenance_line", ["name": name, "clock": hours(split.clock), "entered": hours(split.entered), "late": hours(split.late)]) + "\n"
        }
        var text = ""
        for district in districtsFurthestBehindFirst {
            if let split = district.provenance { text += line("\(district.code) \(district.name)", split) }
        }
        if coverage == .complete, let split = cityProvenance { text += line(tr("ui.metrics.city"), split) }
        return text.isEmpty ? "" : "\n" + tr("ui.metrics.provenance_title") + "\n" + text
    }
}
