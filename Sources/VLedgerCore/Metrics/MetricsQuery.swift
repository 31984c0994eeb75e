import Foundation
import PostgresLibPQ

/// Reads the ledger for the metrics (SPEC.md "The annual metrics").
///
/// Definitions, exactly as computed here, for year Y, reference date D, city time zone Z and,
/// with `--as-recorded-at`, a moment T:
/// - window: service_start ≥ Y-01-01 00:00 in Z and < the earlier of (Y+1)-01-01 00:00 and
///   (D+1) 00:00 in Z ("service start in W and on or before D");
/// - R: volunteers with registered_on ≤ D and no deregistration with effective_on ≤ D, in the
///   district of their volunteer_district row with the latest effective_from ≤ D;
/// - net minutes of a volunteer: the plain sum of `minutes` over their approved entries in the
///   window, originals and signed corrections alike (a correction copies the service start of
///   the entry it corrects, so both always fall in the same window); not clamped;
/// - A: volunteers in R whose net minutes are > 0; approved_minutes: the sum of the net minutes of
///   the volunteers in R (minutes of volunteers not in R on D — deregistered — do not count);
/// - P: the residents of the district for Y from its latest population_revision;
/// - under T every row recorded after T is ignored: volunteers, district rows, moves,
///   deregistrations, population revisions, entries (recorded_at) and decisions (decided_at).
public enum MetricsQuery {
    /// The district's counts on D, straight from the ledger tables.
    struct DistrictRow: Sendable {
        var code: String
        var name: String
        var builtUp: Bool
        var population: Int64?
        var registered: Int64
        var active: Int64
        var approvedMinutes: Int64
    }

    struct Window: Sendable {
        var start: Date
        var end: Date
    }

    /// Start and end of the window as instants, and T resolved in the city's zone.
    static func window(year: Int, asOf: CalendarDate, timeZone: String, on db: isolated Connection) throws -> Window {
        let dayAfter = asOf.adding(days: 1)
        let row = try db.query("""
            SELECT make_timestamptz(\(year), 1, 1, 0, 0, 0, \(timeZone)),
                   least(make_timestamptz(\(year + 1), 1, 1, 0, 0, 0, \(timeZone)),
                         make_timestamptz(\(dayAfter.year), \(dayAfter.month), \(dayAfter.day), 0, 0, 0, \(timeZone)))
            """).single()
        return Window(start: try row.decode(0), end: try row.decode(1))
    }

    /// `column <= T`, or nothing without T.
    static func recordedBy(_ column: String, _ moment: Date?) -> SQL {
        guard let moment else { return "" }
        return " AND \(unsafeRaw: column) <= \(moment)"
    }

    /// Counts per district code of the volunteers registered on D (code nil: no district row
    /// visible on D, which only a replay between a registration's two rows can produce).
    ///
    /// The net minutes come from the rollups (`metrics_volunteer_year` for a whole year,
    /// `metrics_volunteer_month` up to a month's end; both kept equal to the ledger by triggers,
    /// see 0030_metrics.sql) wherever the window is a whole year or ends at a month's end; a
    /// mid-month reference date, or `fromLedger`, sums the ledger's entries and decisions.
    /// Under T, when few records came after T, the rollup's minutes less those of the approved
    /// entries recorded or decided after T: the ledger is append-only and a decision is final, so
    /// what stood at T is exactly what stands now without those (0045 indexes them); otherwise
    /// the ledger as of T.
    static func volunteerCounts(
        year: Int, asOf: CalendarDate, window: Window, recordedAt moment: Date?, fromLedger: Bool, on db: isolated Connection
    ) throws -> [(code: String?, registered: Int64, active: Int64, minutes: Int64)] {
        let monthEnd = asOf.day == CalendarDate.daysIn(month: asOf.month, year: asOf.year)
        let rollup: SQL?
        if fromLedger {
            rollup = nil
        } else if asOf >= CalendarDate(year: year, month: 12, day: 31)! {
            rollup = "SELECT volunteer_id, minutes FROM metrics_volunteer_year WHERE year = \(year)"
        } else if asOf.year == year && monthEnd {
            rollup = """
                SELECT volunteer_id, sum(minutes) AS minutes FROM metrics_volunteer_month
                 WHERE year = \(year) AND month <= \(asOf.month) GROUP BY volunteer_id
                """
        } else {
            rollup = nil
        }
        let net: SQL
        switch (rollup, moment) {
        case (let rollup?, nil):
            net = rollup
        case (let rollup?, let moment?) where try fewRecords(after: moment, on: db):
            net = """
                SELECT volunteer_id, sum(minutes) AS minutes FROM (
                    \(rollup)
                    UNION ALL
                    SELECT e.volunteer_id, -e.minutes
                      FROM hours_entry e
                      JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
                     WHERE e.service_start >= \(window.start) AND e.service_start < \(window.end)
                       AND e.id IN (SELECT l.entry_id FROM hours_decision l WHERE l.decision = 'approved' AND l.decided_at > \(moment)
                                    UNION
                                    SELECT l.id FROM hours_entry l WHERE l.recorded_at > \(moment))
                ) later GROUP BY volunteer_id
                """
        default:
            net = """
                SELECT e.volunteer_id, sum(e.minutes) AS minutes
                  FROM hours_entry e
                  JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'\(recordedBy("d.decided_at", moment))
                 WHERE e.service_start >= \(window.start) AND e.service_start < \(window.end)\(recordedBy("e.recorded_at", moment))
                 GROUP BY e.volunteer_id
            """
        }
        let rows = try db.query("""
            WITH \(registeredVolunteers(asOf: asOf, recordedAt: moment)),
            net AS (\(net))
            SELECT r.district_code,
                   count(*) AS registered,
                   count(*) FILTER (WHERE n.minutes > 0) AS active,
                   coalesce(sum(n.minutes), 0)::bigint AS minutes
              FROM registered r
              LEFT JOIN net n ON n.volunteer_id = r.id
             GROUP BY r.district_code
            """)
        return try rows.map { row in
            (try row.decode(0, as: String?.self), try row.decode(1, as: Int64.self), try row.decode(2, as: Int64.self), try row.decode(3, as: Int64.self))
        }
    }

    /// R on D as two CTEs, `placed` and `registered (id, district_code)`: also the base of the
    /// figures by organisation, category and project (issue 15).
    static func registeredVolunteers(asOf: CalendarDate, recordedAt moment: Date?) -> SQL {
        """
        placed AS (
                SELECT DISTINCT ON (vd.volunteer_id) vd.volunteer_id, vd.district_code
                  FROM volunteer_district vd
                 WHERE vd.effective_from <= \(asOf)\(recordedBy("vd.recorded_at", moment))
                 ORDER BY vd.volunteer_id, vd.effective_from DESC
            ),
            registered AS (
                SELECT v.id, p.district_code
                  FROM volunteer v
                  LEFT JOIN placed p ON p.volunteer_id = v.id
                 WHERE v.registered_on <= \(asOf)\(recordedBy("v.recorded_at", moment))
                   AND NOT EXISTS (SELECT 1 FROM volunteer_deregistration x
                                    WHERE x.volunteer_id = v.id AND x.effective_on <= \(asOf)\(recordedBy("x.recorded_at", moment)))
            )
        """
    }

    /// At most this many approvals and entries after T are taken away from the rollup; past it,
    /// summing the ledger is faster (30,000,000 entries: 1.6 s with none after T, 9 s with
    /// 340,000, 15 s for the ledger whatever T).
    static let replayFromRollupLimit = 20_000

    /// Whether few enough records came after T for the rollup to serve a replay (a bounded count
    /// over the indexes of 0045).
    /// Rows the database owner loaded with their original record times (0070 `historic_load`)
    /// among the tables a replay of T reads, recorded at or before T: (statements, rows, first
    /// loaded at, loaded by).
    static func loadedRows(before moment: Date, on db: isolated Connection) throws -> (loads: Int64, rows: Int64, logins: String)? {
        let row = try db.query("""
            SELECT count(*), coalesce(sum(row_count), 0)::bigint, coalesce(string_agg(DISTINCT loaded_by, ', '), '')
              FROM historic_load
             WHERE earliest_record <= \(moment)
               AND table_name IN ('district', 'district_built_up', 'population_revision', 'volunteer', 'volunteer_district',
                                  'volunteer_deregistration', 'hours_entry', 'hours_decision', 'survey_wave',
                                  'survey_wave_withdrawal')
            """).single()
        let loads = try row.decode(0, as: Int64.self)
        return loads == 0 ? nil : (loads, try row.decode(1), try row.decode(2))
    }

    /// When the city's time zone setting was first changed after T (0073), if it was.
    static func timeZoneChanged(after moment: Date, on db: isolated Connection) throws -> Date? {
        try db.query("SELECT vl_setting_changed_after('time_zone', \(moment))").single().decode(0, as: Date?.self)
    }

    static func fewRecords(after moment: Date, on db: isolated Connection) throws -> Bool {
        let limit = replayFromRollupLimit
        return try db.query("""
            SELECT (SELECT count(*) FROM (SELECT 1 FROM hours_decision WHERE decision = 'approved' AND decided_at > \(moment) LIMIT \(limit + 1)) d)
                 + (SELECT count(*) FROM (SELECT 1 FROM hours_entry WHERE recorded_at > \(moment) LIMIT \(limit + 1)) e)
            """).single().decode(0, as: Int64.self) <= Int64(limit)
    }

    /// Districts as recorded at T, with the population figure for the year in force at T, and
    /// the built-up flag in force on D as recorded at T (its history, 0071).
    static func districts(year: Int, asOf: CalendarDate, recordedAt moment: Date?, on db: isolated Connection) throws
        -> [(code: String, name: String, builtUp: Bool, population: Int64?)]
    {
        let rows = try db.query("""
            SELECT d.code, d.name, vl_district_built_up_on(d.code, \(asOf)::date, \(moment)::timestamptz) AS built_up,
                   (SELECT p.residents FROM population_revision p
                     WHERE p.district_code = d.code AND p.year = \(year)\(recordedBy("p.recorded_at", moment))
                     ORDER BY p.recorded_at DESC, p.id DESC
                     LIMIT 1) AS residents
              FROM district d
             WHERE true\(recordedBy("d.recorded_at", moment))
             ORDER BY d.code
            """)
        return try rows.map { row in
            (try row.decode(0), try row.decode(1), try row.decode(2), try row.decode(3, as: Int64?.self))
        }
    }
}
