import Foundation
import PostgresLibPQ

public struct CommunityProject: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let plan: String
    public let districtCode: String
    public let organisationID: Int64
    public let organisation: String
    public let startsOn: CalendarDate
    public let endsOn: CalendarDate
    public let targetVolunteers: Int64
    public let targetMinutes: Int64
}

/// A project's report: its activities, the volunteers with approved service on them, and the
/// approved (net) minutes, beside the targets with the integers every share is made of.
public struct ProjectReport: Sendable, Equatable {
    public struct Activity: Sendable, Equatable {
        public let id: Int64
        public let title: String
        public let startsAt: String
        public let volunteers: Int64
        public let approvedMinutes: Int64
    }

    public let project: CommunityProject
    public let activities: [Activity]
    /// Distinct volunteers with net approved minutes > 0 on the project's activities.
    public let volunteers: Int64
    public let approvedMinutes: Int64
    /// The replay's moment as printed (city time with its offset), nil for the records as they stand.
    public var asRecordedAt: String?
}

/// Community volunteer service projects (0154).
public enum Projects {
    public static func add(name: String, plan: String, district: String, organisation: String, from: String, to: String,
                           targetVolunteers: String, targetHours: String, on db: isolated Connection) throws -> Int64 {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200 else { throw RuleViolation(field: "name", value: name, code: "community_project_name_present") }
        let plan = plan.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !plan.isEmpty, plan.count <= 5000 else { throw RuleViolation(field: "plan", value: nil, code: "community_project_plan_present") }
        let code = try Districts.require(SpreadsheetText.halfwidth(district), on: db).code
        let organisationID = try Organisations.resolve(organisation, on: db)
        let start = try DateInput.parse(from, field: "from")
        let end = try DateInput.parse(to, field: "to")
        let volunteers = SpreadsheetText.halfwidth(targetVolunteers).trimmingCharacters(in: .whitespaces)
        guard let count = Int64(volunteers), (0...1_000_000).contains(count) else {
            throw RuleViolation(field: "target-volunteers", value: volunteers, code: "community_project_target_volunteers_range")
        }
        let hours = SpreadsheetText.halfwidth(targetHours).trimmingCharacters(in: .whitespaces)
        guard let whole = Int64(hours), (0...100_000_000).contains(whole) else {
            throw RuleViolation(field: "target-hours", value: hours, code: "community_project_target_minutes_range")
        }
        return try db.query("""
            INSERT INTO community_project (name, plan, district_code, organisation_id, starts_on, ends_on, target_volunteers, target_minutes)
            VALUES (\(name), \(plan), \(code), \(organisationID), \(start), \(end), \(count), \(whole * 60)) RETURNING id
            """).single().decode(0)
    }

    static let selectRows: SQL = """
        SELECT p.id, p.name, p.plan, p.district_code, p.organisation_id, o.name, p.starts_on, p.ends_on, p.target_volunteers, p.target_minutes
          FROM community_project p JOIN organisation o ON o.id = p.organisation_id
        """

    static func decode(_ row: Row) throws -> CommunityProject {
        CommunityProject(id: try row.decode(0), name: try row.decode(1), plan: try row.decode(2), districtCode: try row.decode(3),
                         organisationID: try row.decode(4), organisation: try row.decode(5), startsOn: try row.decode(6), endsOn: try row.decode(7),
                         targetVolunteers: Int64(try row.decode(8, as: Int.self)), targetMinutes: try row.decode(9))
    }

    public static func list(district: String?, on db: isolated Connection) throws -> [CommunityProject] {
        try db.query("\(selectRows) WHERE (\(district)::text IS NULL OR p.district_code = \(district)) ORDER BY p.id").map(decode)
    }

    /// A PROJECT argument: its id, or its name when only one district has a project of that name.
    public static func resolve(_ key: String, on db: isolated Connection) throws -> Int64 {
        let trimmed = SpreadsheetText.halfwidth(key).trimmingCharacters(in: .whitespaces)
        let rows = try db.query("SELECT id FROM community_project WHERE id = \(Int64(trimmed)) OR name = \(trimmed) ORDER BY id = \(Int64(trimmed)) DESC LIMIT 2")
        guard let first = rows.first, rows.count == 1 || Int64(trimmed) != nil else {
            throw RuleViolation(field: "project", value: trimmed, code: rows.isEmpty ? "no_such_project" : "project_name_ambiguous")
        }
        return try first.decode(0)
    }

    /// An activity naming both runs under the project's own organisation (the database's rule
    /// 0155 too; said here first so an import names the line and the project).
    static func requireRunBy(_ organisation: Int64, project: Int64, on db: isolated Connection) throws {
        let row = try db.query("""
            SELECT p.organisation_id, o.name FROM community_project p JOIN organisation o ON o.id = p.organisation_id WHERE p.id = \(project)
            """).single()
        let owner: Int64 = try row.decode(0)
        guard owner == organisation else {
            throw RuleViolation(field: "project", value: String(project), code: "activity_project_organisation",
                                args: ["org": try row.decode(1, as: String.self), "org_id": String(owner), "activity_org": String(organisation)])
        }
    }

    /// With `asRecordedAt` T, the report as the records stood at T: activities, entries and
    /// decisions recorded after T are left out (an activity's project no longer changes once it
    /// has hours, 0154, so the activities with hours at T are those of the project now).
    public static func report(_ key: String, asRecordedAt: String? = nil, on db: isolated Connection) throws -> ProjectReport {
        let id = try resolve(key, on: db)
        let timeZone = try db.query("SELECT vl_time_zone()").single().decode(0, as: String.self)
        let moment = try asRecordedAt.map { try TimeInput.parse($0, field: "as-recorded-at").resolve(timeZone: timeZone, field: "as-recorded-at", on: db) }
        let project = try decode(db.query("\(selectRows) WHERE p.id = \(id)").single())
        if let moment, try db.query("SELECT 1 FROM community_project WHERE id = \(id) AND recorded_at > \(moment)").count > 0 {
            throw RuleViolation(field: "as-recorded-at", value: asRecordedAt, code: "project_recorded_later", args: ["project": String(id)])
        }
        let activitiesOf: SQL = "SELECT a.id FROM activity a WHERE a.project_id = \(id)\(MetricsQuery.recordedBy("a.recorded_at", moment))"
        // Net minutes per volunteer and activity: originals and signed corrections, each approved.
        let net: SQL = """
            SELECT e.activity_id, e.volunteer_id, sum(e.minutes) AS minutes
              FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'\(MetricsQuery.recordedBy("d.decided_at", moment))
             WHERE e.activity_id IN (\(activitiesOf))\(MetricsQuery.recordedBy("e.recorded_at", moment))
             GROUP BY e.activity_id, e.volunteer_id
            """
        let activities = try db.query("""
            WITH net AS (\(net))
            SELECT a.id, a.title, vl_local_text(a.starts_at, z.tz),
                   count(n.volunteer_id) FILTER (WHERE n.minutes > 0), coalesce(sum(n.minutes), 0)::bigint
              FROM activity a LEFT JOIN net n ON n.activity_id = a.id
             -- The zone read once for the inlined vl_local_text(ts, zone) of 0261 (see ActivityService.selectRows).
             CROSS JOIN (SELECT vl_time_zone() AS tz OFFSET 0) z
             WHERE a.id IN (\(activitiesOf))
             GROUP BY a.id, z.tz ORDER BY a.starts_at, a.id
            """).map {
            ProjectReport.Activity(id: try $0.decode(0), title: try $0.decode(1), startsAt: try $0.decode(2), volunteers: try $0.decode(3),
                                   approvedMinutes: try $0.decode(4))
        }
        let totals = try db.query("""
            WITH net AS (\(net)), byvol AS (SELECT volunteer_id, sum(minutes) AS minutes FROM net GROUP BY volunteer_id)
            SELECT count(*) FILTER (WHERE minutes > 0), coalesce(sum(minutes), 0)::bigint FROM byvol
            """).single()
        let recorded = try moment.map { try MetricsService.formatMoment($0, timeZone: timeZone, on: db) }
        return ProjectReport(project: project, activities: activities, volunteers: try totals.decode(0), approvedMinutes: try totals.decode(1),
                             asRecordedAt: recorded)
    }
}
