import Foundation
import PostgresLibPQ

/// Issues statements: gathers the approved hours of a period, numbers the statement
/// (YYYY-nnnnnn, gap-free per year of issue) and records what was issued.
public enum StatementService {
    /// `from` defaults to the registration date, `to` to today (city time); `to` may not be in
    /// the future and `from` may not follow `to`; a deregistered volunteer's `to` defaults to the
    /// deregistration date. `issuer` defaults to the issuing person's display name (`user add
    /// --display-name`), else their database login.
    public static func issue(volunteer key: String, from: String?, to: String?, issuer: String?, on db: isolated Connection) throws -> Statement {
        let settings = try Settings.load(db)
        let today = try Settings.today(timeZone: settings.timeZone, on: db)
        let volunteer = try VolunteerLookup.resolve(key, on: db)
        // volunteer_masked (0042): the office reads ID numbers masked only, which is all a statement prints.
        guard let row = try db.query("SELECT id_type, id_number, registered_on, current_user FROM volunteer_masked WHERE id = \(volunteer.id)").first else {
            throw try VolunteerLookup.notReadable(volunteer, on: db)
        }
        let idType: String = try row.decode(0)
        let idNumber: String = try row.decode(1)
        let registeredOn: CalendarDate = try row.decode(2)
        let login: String = try row.decode(3)

        let left = try db.query("SELECT effective_on FROM volunteer_deregistration WHERE volunteer_id = \(volunteer.id)").first
            .map { try $0.decode(0, as: CalendarDate.self) }
        let end = try to.map { try DateInput.parse($0, field: "to") } ?? min(left ?? today, today)
        guard end <= today else {
            throw RuleViolation(field: "to", value: end.description, code: "not_after_today", args: ["today": "\(today)"])
        }
        let start = try from.map { try DateInput.parse($0, field: "from") } ?? min(registeredOn, end)
        guard start <= end else {
            throw RuleViolation(field: "from", value: start.description, code: "from_after_to", args: ["to": "\(end)"])
        }
        let displayName = try db.query("SELECT vl_display_name()").single().decode(0, as: String?.self)
        let issuedBy = (issuer ?? displayName ?? login).trimmingCharacters(in: .whitespaces)
        guard !issuedBy.isEmpty, issuedBy.count <= 100 else {
            throw RuleViolation(field: "issuer", value: issuedBy, code: "statement_issue_issuer_present")
        }

        let zone = settings.timeZone
        let periodStart = try db.query("SELECT make_timestamptz(\(start.year), \(start.month), \(start.day), 0, 0, 0, \(zone))").single().decode(0, as: Date.self)
        let after = end.adding(days: 1)
        let periodEnd = try db.query("SELECT make_timestamptz(\(after.year), \(after.month), \(after.day), 0, 0, 0, \(zone))").single().decode(0, as: Date.self)
        let activities = try db.query("""
            SELECT a.title, a.category, min((e.service_start AT TIME ZONE \(zone))::date) AS day, sum(e.minutes)::bigint AS minutes
              FROM hours_entry e
              JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
              JOIN activity a ON a.id = e.activity_id
             WHERE e.volunteer_id = \(volunteer.id) AND e.service_start >= \(periodStart) AND e.service_start < \(periodEnd)
             GROUP BY a.id, a.title, a.category
            HAVING sum(e.minutes) <> 0
             ORDER BY day, a.id
            """).map { row in
            Statement.Activity(title: try row.decode(0), category: try row.decode(1), date: try row.decode(2), minutes: try row.decode(3))
        }
        let cumulative = try db.query("""
            SELECT coalesce(sum(e.minutes), 0)::bigint
              FROM hours_entry e JOIN hours_decision d ON d.entry_id = e.id AND d.decision = 'approved'
             WHERE e.volunteer_id = \(volunteer.id) AND e.service_start < \(periodEnd)
            """).single().decode(0, as: Int64.self)

        // The counter row is locked until commit: numbers are unique and without gaps.
        let sequence = try db.query("""
            INSERT INTO statement_counter (year, last_number) VALUES (\(today.year), 1)
            ON CONFLICT (year) DO UPDATE SET last_number = statement_counter.last_number + 1
            RETURNING last_number
            """).single().decode(0, as: Int.self)
        let number = String(format: "%04d-%06d", today.year, sequence)
        let statement = Statement(
            number: number, issuedOn: today, issuer: issuedBy, volunteerNumber: volunteer.number, name: volunteer.name,
            idType: idType, maskedIDNumber: Masking.idNumber(idNumber), from: start, to: end,
            totalMinutes: activities.reduce(0) { $0 + $1.minutes }, activities: activities, cumulativeMinutes: cumulative,
            starLevel: Statement.starLevel(cumulativeMinutes: cumulative, thresholdsHours: settings.starThresholdsHours),
            starThresholdsHours: settings.starThresholdsHours)
        try db.execute("""
            INSERT INTO statement_issue (number, year, sequence, volunteer_id, period_from, period_to, total_minutes,
                                         cumulative_minutes, star_level, content, content_text, issued_by)
            VALUES (\(number), \(today.year), \(sequence), \(volunteer.id), \(start), \(end), \(statement.totalMinutes),
                    \(cumulative), \(statement.starLevel), \(statement.json.rendered()), \(statement.text), \(issuedBy))
            """)
        return statement
    }

    /// A statement as it was issued: its stored JSON or text, unchanged.
    public static func reprint(number: String, format: StatementFormat, on db: isolated Connection) throws -> String {
        let trimmed = number.trimmingCharacters(in: .whitespaces)
        guard let row = try db.query("SELECT content, content_text FROM statement_issue WHERE number = \(trimmed)").first else {
            throw RuleViolation(field: "reprint", value: trimmed, code: "no_such_statement")
        }
        return format == .json ? try row.decode(0, as: String.self) + "\n" : try row.decode(1, as: String.self)
    }
}

public enum StatementFormat: String, Sendable, CaseIterable {
    case text, json
}
