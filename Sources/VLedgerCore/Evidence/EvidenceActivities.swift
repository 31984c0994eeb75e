import Foundation
import PostgresLibPQ

/// The activities of a period for the evidence pack, as recorded at T: category, organisation,
/// district, organiser, times, and the approved minutes and volunteers behind them.
public struct EvidenceActivity: Sendable, Equatable {
    public var id: Int64
    public var title: String
    public var category: String
    public var categoryCode: String?
    public var organisation: String?
    public var districtCode: String
    public var organiser: String
    public var starts: String
    public var ends: String
    public var approvedMinutes: Int64
    public var volunteers: Int64
}

enum EvidenceActivities {
    static let header = ["activity", "title", "category", "category_code", "organisation", "district_code", "organiser", "starts", "ends",
                         "approved_minutes", "approved_hours", "volunteers"]

    /// Activities starting in [start, end) and recorded by T; minutes of their entries approved
    /// (recorded and decided) by T; volunteers with net approved minutes above zero.
    static func list(start: Date, end: Date, timeZone: String, recordedAt moment: Date, on db: isolated Connection) throws -> [EvidenceActivity] {
        try db.query("""
            WITH net AS (
                SELECT e.activity_id, e.volunteer_id, sum(e.minutes) AS minutes
                  FROM hours_entry e
                  JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved' AND d.decided_at <= \(moment)
                 WHERE e.recorded_at <= \(moment)
                   AND e.activity_id IN (SELECT id FROM activity WHERE starts_at >= \(start) AND starts_at < \(end))
                 GROUP BY e.activity_id, e.volunteer_id
            )
            SELECT a.id, a.title, a.category, a.category_code, o.name, a.district_code, a.organiser,
                   to_char(a.starts_at AT TIME ZONE \(timeZone), 'YYYY-MM-DD HH24:MI'), to_char(a.ends_at AT TIME ZONE \(timeZone), 'YYYY-MM-DD HH24:MI'),
                   coalesce((SELECT sum(n.minutes) FROM net n WHERE n.activity_id = a.id), 0)::bigint,
                   (SELECT count(*) FROM net n WHERE n.activity_id = a.id AND n.minutes > 0)
              FROM activity a
              LEFT JOIN organisation o ON o.id = a.organisation_id AND o.recorded_at <= \(moment)
             WHERE a.starts_at >= \(start) AND a.starts_at < \(end) AND a.recorded_at <= \(moment)
             ORDER BY a.starts_at, a.id
            """).map { row in
            EvidenceActivity(id: try row.decode(0), title: try row.decode(1), category: try row.decode(2), categoryCode: try row.decode(3),
                             organisation: try row.decode(4), districtCode: try row.decode(5), organiser: try row.decode(6),
                             starts: try row.decode(7), ends: try row.decode(8), approvedMinutes: try row.decode(9), volunteers: try row.decode(10))
        }
    }

    static func rows(_ activities: [EvidenceActivity]) -> [[String]] {
        activities.map {
            [String($0.id), $0.title, $0.category, $0.categoryCode ?? "", $0.organisation ?? "", $0.districtCode, $0.organiser, $0.starts, $0.ends,
             String($0.approvedMinutes), HoursListing.hours($0.approvedMinutes), String($0.volunteers)]
        }
    }
}
