import Foundation
import PostgresLibPQ

/// `metrics --by organisation|category|project` (issue 15), with the exactness rules of the
/// district figures (MetricsQuery): year Y, reference date D, window W, R on D, net approved
/// minutes (originals and signed corrections, each approved, service start in W; volunteers in R
/// only), and under `--as-recorded-at` T every row recorded after T ignored. Every share is
/// printed with the two integers it is made of. Definitions:
/// - organisation (recorded by T): members on D = volunteers in R with a membership joined on or
///   before D and not left on or before D (joins and leaves recorded by T); active members =
///   members with net minutes > 0 (on any activity); approved_minutes = the net minutes on the
///   activities it ran; active share = active / members;
/// - category: activities = activities of the category with approved minutes in W; volunteers =
///   volunteers in R with net minutes > 0 on them; approved_minutes their net minutes; share of
///   the city's net minutes on all activities;
/// - project (recorded by T, period overlapping W): as category, beside the targets;
/// - party members: volunteers in R who are party members on D as recorded by T
///   (vl_party_member_on), the active among them and their net minutes.
/// An activity's category, organisation and project no longer change once it has hours (0150,
/// 0151, 0154), so a replay reads the grouping the hours were recorded under.
public enum MetricsGrouping: String, Sendable, CaseIterable {
    case organisation, category, project
}

public struct GroupedMetricsRow: Sendable, Equatable {
    public var key: String
    public var name: String
    /// organisation: kind; category: parent code; project: district.
    public var detail: String?
    /// organisation: members on D; category/project: activities with approved minutes.
    public var count: Int64
    /// organisation: active members; category/project: volunteers with net minutes > 0.
    public var active: Int64
    public var approvedMinutes: Int64
    /// project only.
    public var targetVolunteers: Int64?
    public var targetMinutes: Int64?
}

public struct PartyMetricsRow: Sendable, Equatable {
    public var registered: Int64
    public var active: Int64
    public var approvedMinutes: Int64
}

public struct GroupedMetricsReport: Sendable, Equatable {
    public var grouping: MetricsGrouping
    public var request: MetricsRequest
    public var timeZone: String
    public var asRecordedAt: String?
    public var rows: [GroupedMetricsRow]
    /// Net minutes of all volunteers in R (the category shares' denominator).
    public var totalMinutes: Int64
    /// nil for a login that may not read party status (organisers): no row rather than a refusal.
    public var party: PartyMetricsRow?
    /// The login reads only some districts' volunteers: the figures cover those only.
    public var partial: Bool
    public var auditHead: AuditTrail.Head?
}

extension MetricsService {
    public static func runGrouped(_ grouping: MetricsGrouping, _ request: MetricsRequest, on connection: Connection) async throws -> GroupedMetricsReport {
        try await runGrouped(grouping, request, in: LedgerSession(connection))
    }

    static func computeGrouped(_ grouping: MetricsGrouping, _ request: MetricsRequest, on db: isolated Connection) throws -> GroupedMetricsReport {
        let timeZone = try db.query("SELECT vl_time_zone()").single().decode(0, as: String.self)
        let moment = try request.asRecordedAt?.resolve(timeZone: timeZone, on: db)
        let window = try MetricsQuery.window(year: request.year, asOf: request.asOf, timeZone: timeZone, on: db)
        let asOf = request.asOf
        let base: SQL = """
            WITH \(MetricsQuery.registeredVolunteers(asOf: asOf, recordedAt: moment)),
            approved AS (
                SELECT e.volunteer_id, e.activity_id, e.minutes
                  FROM hours_entry e
                  JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'\(MetricsQuery.recordedBy("d.decided_at", moment))
                  JOIN registered r ON r.id = e.volunteer_id
                 WHERE e.service_start >= \(window.start) AND e.service_start < \(window.end)\(MetricsQuery.recordedBy("e.recorded_at", moment))
            )
            """
        let total = try db.query("\(base) SELECT coalesce(sum(minutes), 0)::bigint FROM approved").single().decode(0, as: Int64.self)
        let rows: [GroupedMetricsRow]
        switch grouping {
        case .organisation:
            rows = try db.query("""
                \(base),
                members AS (
                    SELECT DISTINCT m.organisation_id, m.volunteer_id
                      FROM organisation_membership m JOIN registered r ON r.id = m.volunteer_id
                     WHERE m.joined_on <= \(asOf)\(MetricsQuery.recordedBy("m.recorded_at", moment))
                       AND NOT EXISTS (SELECT 1 FROM organisation_leave l WHERE l.membership_id = m.id
                                        AND l.left_on <= \(asOf)\(MetricsQuery.recordedBy("l.recorded_at", moment)))),
                net AS (SELECT volunteer_id, sum(minutes) AS minutes FROM approved GROUP BY volunteer_id),
                ran AS (SELECT a.organisation_id, sum(x.minutes) AS minutes
                          FROM approved x JOIN activity a ON a.id = x.activity_id WHERE a.organisation_id IS NOT NULL GROUP BY a.organisation_id)
                SELECT o.id::text, o.name, o.kind,
                       (SELECT count(*) FROM members mm WHERE mm.organisation_id = o.id),
                       (SELECT count(*) FROM members mm JOIN net n ON n.volunteer_id = mm.volunteer_id WHERE mm.organisation_id = o.id AND n.minutes > 0),
                       coalesce((SELECT ran.minutes FROM ran WHERE ran.organisation_id = o.id), 0)::bigint, NULL::bigint, NULL::bigint
                  FROM organisation o
                 WHERE o.founded_on <= \(asOf)\(MetricsQuery.recordedBy("o.recorded_at", moment))
                 ORDER BY o.id
                """).map(decodeRow)
        case .category:
            rows = try db.query("""
                \(base),
                per AS (SELECT a.category_code, x.activity_id, x.volunteer_id, sum(x.minutes) AS minutes
                          FROM approved x JOIN activity a ON a.id = x.activity_id GROUP BY 1, 2, 3),
                byvol AS (SELECT category_code, volunteer_id, sum(minutes) AS minutes FROM per GROUP BY 1, 2)
                SELECT c.code, c.name, c.parent_code,
                       (SELECT count(DISTINCT p.activity_id) FROM per p WHERE p.category_code = c.code),
                       (SELECT count(*) FROM byvol b WHERE b.category_code = c.code AND b.minutes > 0),
                       coalesce((SELECT sum(b.minutes) FROM byvol b WHERE b.category_code = c.code), 0)::bigint, NULL::bigint, NULL::bigint
                  FROM service_category c
                 WHERE true\(MetricsQuery.recordedBy("c.recorded_at", moment))
                 ORDER BY c.code
                """).map(decodeRow)
        case .project:
            let yearStart = CalendarDate(year: request.year, month: 1, day: 1)!
            rows = try db.query("""
                \(base),
                per AS (SELECT a.project_id, x.activity_id, x.volunteer_id, sum(x.minutes) AS minutes
                          FROM approved x JOIN activity a ON a.id = x.activity_id WHERE a.project_id IS NOT NULL GROUP BY 1, 2, 3),
                byvol AS (SELECT project_id, volunteer_id, sum(minutes) AS minutes FROM per GROUP BY 1, 2)
                SELECT p.id::text, p.name, p.district_code,
                       (SELECT count(DISTINCT x.activity_id) FROM per x WHERE x.project_id = p.id),
                       (SELECT count(*) FROM byvol b WHERE b.project_id = p.id AND b.minutes > 0),
                       coalesce((SELECT sum(b.minutes) FROM byvol b WHERE b.project_id = p.id), 0)::bigint,
                       p.target_volunteers::bigint, p.target_minutes
                  FROM community_project p
                 WHERE p.starts_on <= \(asOf) AND p.ends_on >= \(yearStart)\(MetricsQuery.recordedBy("p.recorded_at", moment))
                 ORDER BY p.id
                """).map(decodeRow)
        }
        var party: PartyMetricsRow?
        if try db.query("SELECT has_table_privilege('volunteer_party_status', 'SELECT')").single().decode(0, as: Bool.self) {
            let row = try db.query("""
                \(base),
                net AS (SELECT volunteer_id, sum(minutes) AS minutes FROM approved GROUP BY volunteer_id),
                members AS (SELECT r.id FROM registered r WHERE vl_party_member_on(r.id, \(asOf), \(moment)::timestamptz))
                SELECT count(*), count(*) FILTER (WHERE n.minutes > 0), coalesce(sum(n.minutes), 0)::bigint
                  FROM members m LEFT JOIN net n ON n.volunteer_id = m.id
                """).single()
            party = PartyMetricsRow(registered: try row.decode(0), active: try row.decode(1), approvedMinutes: try row.decode(2))
        }
        let coverage = try readScope(on: db)
        let recordedText = try moment.map { try formatMoment($0, timeZone: timeZone, on: db) }
        return GroupedMetricsReport(
            grouping: grouping, request: request, timeZone: timeZone, asRecordedAt: recordedText, rows: rows, totalMinutes: total,
            party: party,
            partial: coverage != .complete, auditHead: try AuditTrail.head(at: moment, on: db))
    }

    static func decodeRow(_ row: Row) throws -> GroupedMetricsRow {
        GroupedMetricsRow(key: try row.decode(0), name: try row.decode(1), detail: try row.decode(2), count: try row.decode(3),
                          active: try row.decode(4), approvedMinutes: try row.decode(5), targetVolunteers: try row.decode(6), targetMinutes: try row.decode(7))
    }
}

extension GroupedMetricsReport {
    var countName: String { grouping == .organisation ? "members" : "activities" }
    var activeName: String { grouping == .organisation ? "active_members" : "volunteers" }
    var detailName: String { grouping == .organisation ? "kind" : grouping == .category ? "parent" : "district" }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("year", .int(request.year)), ("as_of", .string(request.asOf.description))]
        if let asRecordedAt { members.append(("as_recorded_at", .string(asRecordedAt))) }
        members += [
            ("time_zone", .string(timeZone)),
            ("by", .string(grouping.rawValue)),
            ("rows", .array(rows.map { row in
                var fields: [(String, JSONValue)] = [
                    ("key", .string(row.key)), ("name", .string(row.name)), (detailName, row.detail.map { .string($0) } ?? .null),
                    (countName, .int(row.count)), (activeName, .int(row.active)), ("approved_minutes", .int(row.approvedMinutes)),
                    ("approved_hours", .number(HoursListing.hours(row.approvedMinutes))),
                ]
                switch grouping {
                case .organisation: fields.append(("active_share", MetricsRatio.json(row.active, row.count)))
                case .category: fields.append(("minutes_share", MetricsRatio.json(row.approvedMinutes, totalMinutes)))
                case .project:
                    fields += [("target_volunteers", .int(row.targetVolunteers ?? 0)), ("target_minutes", .int(row.targetMinutes ?? 0)),
                               ("volunteers_share_of_target", MetricsRatio.json(row.active, row.targetVolunteers ?? 0)),
                               ("minutes_share_of_target", MetricsRatio.json(row.approvedMinutes, row.targetMinutes ?? 0))]
                }
                return .object(fields)
            })),
            ("approved_minutes", .int(totalMinutes)),
            ("party_members", party.map { party in .object([
                ("registered", .int(party.registered)), ("active", .int(party.active)),
                ("approved_minutes", .int(party.approvedMinutes)), ("approved_hours", .number(HoursListing.hours(party.approvedMinutes))),
                ("active_share", MetricsRatio.json(party.active, party.registered)),
            ]) } ?? .null),
            ("partial", .bool(partial)),
            ("audit_head", auditHead?.json ?? .null),
        ]
        return .object(members)
    }

    var header: [String] {
        var names = ["key", "name", detailName, countName, activeName, "approved_minutes"]
        switch grouping {
        case .organisation: names += ["active_share"]
        case .category: names += ["minutes_share"]
        case .project: names += ["target_volunteers", "target_minutes", "volunteers_share_of_target", "minutes_share_of_target"]
        }
        return names
    }

    func fields(_ row: GroupedMetricsRow, people: Bool) -> [String] {
        func share(_ n: Int64, _ d: Int64) -> String { people ? MetricsRatio.text(n, d) : MetricsRatio.value(n, d) ?? "" }
        let detail = people && grouping == .organisation ? row.detail.map { tr("ui.org.kind.\($0)") } : row.detail
        var fields = [row.key, row.name, detail ?? "", String(row.count), String(row.active), String(row.approvedMinutes)]
        switch grouping {
        case .organisation: fields.append(share(row.active, row.count))
        case .category: fields.append(share(row.approvedMinutes, totalMinutes))
        case .project:
            fields += [String(row.targetVolunteers ?? 0), String(row.targetMinutes ?? 0),
                       share(row.active, row.targetVolunteers ?? 0), share(row.approvedMinutes, row.targetMinutes ?? 0)]
        }
        return fields
    }

    /// The rows, then the party-member row (level `party_members`).
    public var csv: String {
        let partyRows = party.map { party in
            [["party_members", "", "", String(party.registered), String(party.active), String(party.approvedMinutes),
              MetricsRatio.value(party.active, party.registered) ?? ""] + Array(repeating: "", count: header.count - 6)]
        } ?? []
        return CSVWriter.document(header: ["level"] + header, rows: rows.map { [grouping.rawValue] + fields($0, people: false) } + partyRows)
    }

    public var table: String {
        var text = tr("ui.metrics_by.title", ["year": String(request.year), "as_of": request.asOf.description, "by": tr("ui.metrics_by.\(grouping.rawValue)")])
            + (asRecordedAt.map { tr("ui.metrics.as_recorded", ["at": $0]) } ?? "") + "\n"
        var table = TextTable(header: header, alignments: header.indices.map { $0 >= 3 ? .right : .left })
        table.context = "metrics_by"
        rows.forEach { table.append(fields($0, people: true)) }
        text += table.rendered()
        if let party {
            text += tr("ui.metrics_by.party", ["registered": String(party.registered), "active": String(party.active),
                                               "share": MetricsRatio.text(party.active, party.registered), "hours": HoursListing.hours(party.approvedMinutes)]) + "\n"
        }
        if partial { text += tr("ui.metrics_by.partial") + "\n" }
        return text
    }
}

extension GroupedMetricsReport {
    /// The CSV's rows as a typed sheet.
    public var workbook: Workbook {
        let names = ["level"] + header
        let numeric: Set<String> = Set(names.filter { !["level", "key", "name", "kind", "parent", "district"].contains($0) })
        let rows = try? CSVFile.parse(text: csv, source: "metrics").records.map(\.values)
        return Workbook(sheets: [Sheet(name: grouping.rawValue, header: names, textRows: rows ?? [], numericColumns: numeric)])
    }
}
