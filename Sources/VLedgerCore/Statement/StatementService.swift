import Foundation
import PostgresLibPQ

/// Issues statements through the database (vl_statement_issue, 0080: it computes the approved
/// hours of the period from the ledger, numbers the statement YYYY-nnnnnn, gap-free per year of
/// issue, and stores it), prints them again and verifies them.
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
        guard let row = try db.query("SELECT registered_on, current_user FROM volunteer_masked WHERE id = \(volunteer.id)").first else {
            throw try VolunteerLookup.notReadable(volunteer, on: db)
        }
        let registeredOn: CalendarDate = try row.decode(0)
        let login: String = try row.decode(1)

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

        // The database computes, numbers and stores the statement (0080): no client chooses its figures.
        let id = try db.query("SELECT vl_statement_issue(\(volunteer.id), \(start), \(end), \(issuedBy))").single().decode(0, as: Int64.self)
        guard let statement = try load(where: "id = \(id)", on: db) else {
            throw RuleViolation(field: "statement", value: String(id), code: "statement_unreadable")
        }
        return statement
    }

    /// A statement issued by vl_statement_issue, rendered from what the database computed and stored.
    /// Nil for no such row, or for a row issued before 0080 (kept as printed: content, content_text).
    static func load(where condition: SQL, on db: isolated Connection) throws -> Statement? {
        guard let row = try db.query("""
            SELECT number, issued_on, issued_by, volunteer_number, name, id_type, masked_id_number, period_from, period_to,
                   total_minutes, cumulative_minutes, star_level, star_thresholds_hours::text, audit_head_id, audit_head_hash,
                   to_char(audit_head_recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), id, training::text,
                   provenance::text
              FROM statement_issue s WHERE \(condition) AND activities IS NOT NULL
            """).first else { return nil }
        let id: Int64 = try row.decode(16)
        let activities = try db.query("""
            SELECT a->>'title', a->>'category', (a->>'date')::date, (a->>'minutes')::bigint
              FROM statement_issue s, jsonb_array_elements(s.activities) WITH ORDINALITY t(a, n)
             WHERE s.id = \(id) ORDER BY n
            """).map { row in
            Statement.Activity(title: try row.decode(0), category: try row.decode(1), date: try row.decode(2), minutes: try row.decode(3))
        }
        let thresholds = try row.decode(12, as: String.self).trimmingCharacters(in: CharacterSet(charactersIn: "{}"))
            .split(separator: ",").compactMap { Int($0) }
        let head: AuditTrail.Head? = try row.decode(13, as: Int64?.self).map { link in
            AuditTrail.Head(id: link, hash: try row.decode(14), recordedAt: try row.decode(15))
        }
        var statement = Statement(
            number: try row.decode(0), issuedOn: try row.decode(1), issuer: try row.decode(2), volunteerNumber: try row.decode(3),
            name: try row.decode(4), idType: try row.decode(5), maskedIDNumber: try row.decode(6), from: try row.decode(7),
            to: try row.decode(8), totalMinutes: try row.decode(9), activities: activities, cumulativeMinutes: try row.decode(10),
            starLevel: try row.decode(11), starThresholdsHours: thresholds, auditHead: head)
        statement.training = try StatementTraining.decode(try row.decode(17, as: String?.self))
        statement.recognition = try StatementRecognition.load(statementID: id, on: db)
        statement.provenance = try StatementProvenance.decode(try row.decode(18, as: String?.self))
        return statement
    }

    /// A statement as it was issued: its stored JSON or text, unchanged. A statement that does not
    /// match the ledger as it stood when it was issued (a row written around the database's
    /// rules, or one stored before 0080 by a client) is not printed again.
    public static func reprint(number: String, format: StatementFormat, on db: isolated Connection) throws -> String {
        let trimmed = number.trimmingCharacters(in: .whitespaces)
        let check = try verify(number: trimmed, on: db)
        if check.found && !check.valid {
            throw RuleViolation(field: "reprint", value: trimmed, code: "statement_reprint_invalid",
                                args: ["problem": check.problem.map { StatementProblemText.localized($0) } ?? "statement verify"])
        }
        if let statement = try load(where: "number = \(trimmed)", on: db) {
            return format == .json ? statement.json.rendered() + "\n" : statement.text
        }
        guard let row = try db.query("SELECT content, content_text FROM statement_issue WHERE number = \(trimmed)").first else {
            throw RuleViolation(field: "reprint", value: trimmed, code: "no_such_statement")
        }
        return format == .json ? try row.decode(0, as: String.self) + "\n" : try row.decode(1, as: String.self)
    }

    /// `vledger statement verify NUMBER`: the statement replayed at the moment it was issued (vl_statement_check, 0080).
    public struct Verification: Sendable, Equatable {
        public let found: Bool
        public let valid: Bool
        public let problem: String?
        public let number: String
        public let maskedName: String?
        public let from: CalendarDate?
        public let to: CalendarDate?
        public let totalMinutes: Int64?
        public let issuedAt: Date?

        /// The hours as a statement prints them (two decimals).
        public var hours: String? { totalMinutes.map(Statement.hours) }

        /// What the public check shows: {valid, number, name (masked), period, hours}.
        public var json: JSONValue {
            .object([
                ("valid", .bool(valid)),
                ("number", .string(number)),
                ("name", maskedName.map { .string($0) } ?? .null),
                ("period", from.flatMap { from in to.map { to in .object([("from", .string(from.description)), ("to", .string(to.description))]) } } ?? .null),
                ("hours", totalMinutes.map { .number(Statement.hours($0)) } ?? .null),
                ("problem", problem.map { .string($0) } ?? .null),
            ])
        }
    }

    public static func verify(number: String, on db: isolated Connection) throws -> Verification {
        let row = try db.query("""
            SELECT is_found, is_valid, problem, statement_number, masked_name, period_from, period_to, total_minutes, issued_at
              FROM vl_statement_check(\(number))
            """).single()
        return Verification(
            found: try row.decode(0), valid: try row.decode(1), problem: try row.decode(2, as: String?.self), number: try row.decode(3),
            maskedName: try row.decode(4, as: String?.self), from: try row.decode(5, as: CalendarDate?.self),
            to: try row.decode(6, as: CalendarDate?.self), totalMinutes: try row.decode(7, as: Int64?.self),
            issuedAt: try row.decode(8, as: Date?.self))
    }
}

public enum StatementFormat: String, Sendable, CaseIterable {
    case text, json
}
