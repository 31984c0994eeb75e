import Foundation
import PostgresLibPQ

/// An activity as listed: times in the city's time zone with their offset.
public struct ActivityRow: Sendable, Equatable {
    public let id: Int64
    public let title: String
    public let category: String
    public let districtCode: String
    public let organiser: String
    public let startsAt: String
    public let endsAt: String
    public let lengthMinutes: Int
    public let closedAt: String?
    public let entries: Int
    public let approvedMinutes: Int64
    public let openCheckIns: Int
}

public struct NewActivity: Sendable {
    public var title: String
    public var districtCode: String
    public var organiser: String
    public var starts: TimeInput
    public var ends: TimeInput
    public var category: String?
    /// The organisation that runs it (id, name or credit code), if any.
    public var organisation: String?
    /// The community project it belongs to (id or name), if any.
    public var project: String?

    public init(title: String, districtCode: String, organiser: String, starts: TimeInput, ends: TimeInput, category: String? = nil,
                organisation: String? = nil) {
        self.title = title
        self.districtCode = districtCode
        self.organiser = organiser
        self.starts = starts
        self.ends = ends
        self.category = category
        self.organisation = organisation
    }
}

public enum ActivityService {
    /// An ACTIVITY argument: the activity's id.
    public static func parseID(_ text: String, field: String = "activity") throws -> Int64 {
        let trimmed = SpreadsheetText.halfwidth(text).trimmingCharacters(in: .whitespaces)
        guard let id = Int64(trimmed), id > 0 else {
            throw RuleViolation(field: field, value: trimmed, code: "activity_id")
        }
        return id
    }

    public static func create(_ activity: NewActivity, on db: isolated Connection) throws -> Int64 {
        let settings = try Settings.load(db)
        let title = activity.title.trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty, title.count <= 200 else {
            throw RuleViolation(field: "title", value: title, code: "activity_title_present")
        }
        let organiser = activity.organiser.trimmingCharacters(in: .whitespaces)
        guard !organiser.isEmpty else { throw RuleViolation(field: "organiser", value: organiser, code: "not_empty") }
        // The same limits as the database's (0110), checked first so an import names the line.
        guard organiser.count <= 100 else { throw RuleViolation(field: "organiser", value: nil, code: "activity_organiser_length") }
        let category = activity.category?.trimmingCharacters(in: .whitespaces)
        if let category, category.isEmpty { throw RuleViolation(field: "category", value: category, code: "not_empty") }
        if let category, category.count > 50 { throw RuleViolation(field: "category", value: nil, code: "activity_category_length") }
        let filed = try category.map { try ServiceCategories.forActivity($0, on: db) }
        let organisation = try activity.organisation.map { try Organisations.resolve($0, on: db) }
        let project = try activity.project.map { try Projects.resolve($0, on: db) }
        if let organisation, let project { try Projects.requireRunBy(organisation, project: project, on: db) }
        let code = SpreadsheetText.halfwidth(activity.districtCode).trimmingCharacters(in: .whitespaces)
        guard try db.query("SELECT 1 FROM district WHERE code = \(code)").count == 1 else {
            throw RuleViolation(field: "district", value: code, code: "unknown_district")
        }
        let starts = try activity.starts.resolve(timeZone: settings.timeZone, field: "starts", on: db)
        let ends = try activity.ends.resolve(timeZone: settings.timeZone, field: "ends", on: db)
        guard ends > starts else {
            throw RuleViolation(field: "ends", value: nil, code: "activity_ends_after_start")
        }
        return try db.query("""
            INSERT INTO activity (title, category, category_code, district_code, organiser, starts_at, ends_at, organisation_id, project_id)
            VALUES (\(title), coalesce(\(filed?.text), '综合'), \(filed?.code), \(code), \(organiser), \(starts), \(ends), \(organisation), \(project))
            RETURNING id
            """).single().decode(0)
    }

    /// Times through the inlined vl_local_text(ts, zone) of 0261, the zone read once (OFFSET 0
    /// keeps it a column, so the call stays inlinable): a city's activities list in a fraction of
    /// a second, not ~50 µs a time each.
    static let selectRows: SQL = """
        SELECT a.id, a.title, a.category, a.district_code, a.organiser, vl_local_text(a.starts_at, z.tz), vl_local_text(a.ends_at, z.tz),
               a.length_minutes, vl_local_text(a.closed_at, z.tz),
               (SELECT count(*) FROM hours_entry e WHERE e.activity_id = a.id),
               (SELECT coalesce(sum(e.minutes), 0) FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
                 WHERE e.activity_id = a.id),
               (SELECT count(*) FROM hours_checkin c WHERE c.activity_id = a.id
                   AND NOT EXISTS (SELECT 1 FROM hours_checkout o WHERE o.checkin_id = c.id))
        FROM activity a CROSS JOIN (SELECT vl_time_zone() AS tz OFFSET 0) z
        """

    static func decode(_ row: Row) throws -> ActivityRow {
        ActivityRow(
            id: try row.decode(0), title: try row.decode(1), category: try row.decode(2), districtCode: try row.decode(3),
            organiser: try row.decode(4), startsAt: try row.decode(5), endsAt: try row.decode(6), lengthMinutes: try row.decode(7),
            closedAt: try row.decode(8), entries: try row.decode(9), approvedMinutes: try row.decode(10), openCheckIns: try row.decode(11))
    }

    public static func list(district: String?, on db: isolated Connection) throws -> [ActivityRow] {
        try db.query("\(selectRows) WHERE (\(district)::text IS NULL OR a.district_code = \(district)) ORDER BY a.starts_at, a.id")
            .map(decode)
    }

    public static func show(_ id: Int64, on db: isolated Connection) throws -> ActivityRow {
        guard let row = try db.query("\(selectRows) WHERE a.id = \(id)").first else {
            throw RuleViolation(field: "activity", value: String(id), code: "no_such_activity")
        }
        return try decode(row)
    }

    /// Closes the activity: no more hours are recorded on it (corrections still are), and every
    /// open check-in is closed at its end as an auto_checkout entry awaiting review (the
    /// `activity_closed` trigger does that in this same transaction). Returns the check-ins closed.
    public static func close(_ id: Int64, on db: isolated Connection) throws -> (alreadyClosed: Bool, checkInsClosed: Int) {
        guard let row = try db.query("SELECT closed_at IS NOT NULL FROM activity WHERE id = \(id) FOR UPDATE").first else {
            throw RuleViolation(field: "activity", value: String(id), code: "no_such_activity")
        }
        if try row.decode(0, as: Bool.self) { return (true, 0) }
        let before = try openCheckIns(id, on: db)
        try db.execute("UPDATE activity SET closed_at = now() WHERE id = \(id)")
        return (false, before)
    }

    static func openCheckIns(_ id: Int64, on db: isolated Connection) throws -> Int {
        try db.query("""
            SELECT count(*) FROM hours_checkin c WHERE c.activity_id = \(id)
               AND NOT EXISTS (SELECT 1 FROM hours_checkout o WHERE o.checkin_id = c.id)
            """).single().decode(0)
    }

    static let importColumns = ["title", "district_code", "organiser", "starts", "ends"]

    static func apply(_ table: CSVDocument, skipBad: Bool, on db: isolated Connection) throws -> ([Int64], ImportReport) {
        var problems: [RuleViolation] = []
        var parsed: [(line: Int, activity: NewActivity)] = []
        for record in table.records {
            if let shape = table.shapeProblem(record) {
                problems.append(shape)
                continue
            }
            do {
                let starts = try TimeInput.parse(table.value(record, "starts"), field: "starts")
                let ends = try TimeInput.parse(table.value(record, "ends"), field: "ends")
                var activity = NewActivity(
                    title: table.value(record, "title"), districtCode: table.value(record, "district_code"),
                    organiser: table.value(record, "organiser"), starts: starts, ends: ends,
                    category: RowImport.optional(table, record, "category"), organisation: RowImport.optional(table, record, "org"))
                activity.project = RowImport.optional(table, record, "project")
                parsed.append((record.line, activity))
            } catch var violation as RuleViolation {
                violation.line = record.line
                problems.append(violation)
            }
        }
        var ids: [Int64] = []
        // Each row in a savepoint, so that every bad row is found and reported, and undone alone.
        for (line, activity) in parsed {
            do {
                ids.append(try db.transaction { tx in try create(activity, on: tx) })
            } catch var violation as RuleViolation {
                violation.line = line
                problems.append(violation)
            } catch let error as PostgresError where error.kind == .server {
                // A rule of one field keeps its code and arguments (the reader's language later);
                // another refusal is said as it reads now.
                let refusal = UserMessage.userFacing(for: error)
                problems.append(refusal.field.map { field in
                    RuleViolation(field: field, value: refusal.value, rule: refusal.ruleText(in: .en), line: line, code: refusal.code, args: refusal.args)
                } ?? RuleViolation(field: "row", value: nil, rule: UserMessage.line(for: error), line: line))
            }
        }
        var report = ImportReport(file: table.source, totalRows: table.records.count, applied: ids.count, problems: problems)
        report.sortProblems()
        if !problems.isEmpty && !skipBad {
            report.applied = 0
            throw VLedgerError.importRejected(report)
        }
        return (ids, report)
    }
}
