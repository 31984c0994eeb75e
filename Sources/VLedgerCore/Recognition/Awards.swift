import Foundation
import PostgresLibPQ

/// An award (表彰奖励) as listed.
public struct AwardRow: Sendable, Equatable {
    public let id: Int64
    public let number: String
    public let volunteer: String
    public let name: String
    public let awardedOn: CalendarDate
    public let body: String
    /// Set when it was withdrawn (0263): no longer on statements issued since.
    public let withdrawn: Withdrawal?
}

/// A service-quality evaluation (评价) as listed: a score or a grade.
public struct EvaluationRow: Sendable, Equatable {
    public let id: Int64
    public let number: String
    public let volunteer: String
    public let evaluatedOn: CalendarDate
    public let score: Int?
    public let grade: String?
    public let evaluator: String
    public let note: String?
    public let withdrawn: Withdrawal?
}

/// Awards and evaluations per volunteer (0170). The rules live in the database; the Swift side
/// parses arguments and checks the same limits first, so that a refusal names its field.
public enum Recognition {
    public static let grades = ["excellent", "good", "pass", "fail"]
    static let gradeWords = ["优秀": "excellent", "良好": "good", "合格": "pass", "不合格": "fail"]

    static func text(_ value: String, field: String, code: String, limit: Int) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= limit else { throw RuleViolation(field: field, value: String(trimmed.prefix(60)), code: code) }
        return trimmed
    }

    @discardableResult
    public static func addAward(volunteer: String, name: String, on dateText: String, body: String, on db: isolated Connection) throws -> Int64 {
        let ref = try VolunteerLookup.resolve(volunteer, on: db)
        let name = try text(name, field: "name", code: "volunteer_award_name_present", limit: 200)
        let body = try text(body, field: "body", code: "volunteer_award_body_present", limit: 100)
        let date = try DateInput.parse(dateText, field: "on")
        return try db.query("""
            INSERT INTO volunteer_award (volunteer_id, name, awarded_on, body) VALUES (\(ref.id), \(name), \(date), \(body)) RETURNING id
            """).single().decode(0)
    }

    /// `score` a whole number 0–100, or `grade` (excellent/good/pass/fail or 优秀/良好/合格/不合格): one of them.
    @discardableResult
    public static func addEvaluation(volunteer: String, score: String?, grade: String?, on dateText: String, evaluator: String, note: String?,
                                     on db: isolated Connection) throws -> Int64 {
        let ref = try VolunteerLookup.resolve(volunteer, on: db)
        let scoreText = score.map { SpreadsheetText.halfwidth($0).trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let gradeText = grade.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        guard (scoreText == nil) != (gradeText == nil) else {
            throw RuleViolation(field: "score", value: nil, code: "volunteer_evaluation_score_or_grade")
        }
        let points = try scoreText.map { text -> Int in
            guard text.range(of: "^[0-9]{1,3}$", options: .regularExpression) != nil, let value = Int(text), (0...100).contains(value) else {
                throw RuleViolation(field: "score", value: text, code: "volunteer_evaluation_score_range")
            }
            return value
        }
        let level = try gradeText.map { text -> String in
            guard let known = grades.contains(text.lowercased()) ? text.lowercased() : gradeWords[text] else {
                throw RuleViolation(field: "grade", value: String(text.prefix(60)), code: "volunteer_evaluation_grade_known")
            }
            return known
        }
        let evaluator = try text(evaluator, field: "evaluator", code: "volunteer_evaluation_evaluator_present", limit: 100)
        let note = note.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if let note, note.count > 500 { throw RuleViolation(field: "note", value: nil, code: "volunteer_evaluation_note_length") }
        let date = try DateInput.parse(dateText, field: "on")
        return try db.query("""
            INSERT INTO volunteer_evaluation (volunteer_id, evaluated_on, score, grade, evaluator, note)
            VALUES (\(ref.id), \(date), \(points), \(level), \(evaluator), \(note)) RETURNING id
            """).single().decode(0)
    }

    /// Number and name through the lookup every role may use (as the training listing does).
    public static func awards(volunteer: String?, year: Int?, on db: isolated Connection) throws -> [AwardRow] {
        let id = try volunteer.map { try VolunteerLookup.resolve($0, on: db).id }
        return try db.query("""
            SELECT a.id, v.number, v.name, a.name, a.awarded_on, a.body, \(Withdrawals.columns)
              FROM volunteer_award a CROSS JOIN LATERAL (SELECT l.number, l.name FROM vl_training_volunteer(a.volunteer_id) l) v
              LEFT JOIN volunteer_award_withdrawal x ON x.award_id = a.id
             WHERE (\(id)::bigint IS NULL OR a.volunteer_id = \(id)) AND (\(year)::int IS NULL OR extract(year FROM a.awarded_on) = \(year))
             ORDER BY a.awarded_on, a.id
            """).map {
            AwardRow(id: try $0.decode(0), number: try $0.decode(1), volunteer: try $0.decode(2), name: try $0.decode(3),
                     awardedOn: try $0.decode(4), body: try $0.decode(5), withdrawn: try Withdrawal.decode($0, from: 6))
        }
    }

    public static func evaluations(volunteer: String?, year: Int?, on db: isolated Connection) throws -> [EvaluationRow] {
        let id = try volunteer.map { try VolunteerLookup.resolve($0, on: db).id }
        return try db.query("""
            SELECT e.id, v.number, v.name, e.evaluated_on, e.score, e.grade, e.evaluator, e.note, \(Withdrawals.columns)
              FROM volunteer_evaluation e CROSS JOIN LATERAL (SELECT l.number, l.name FROM vl_training_volunteer(e.volunteer_id) l) v
              LEFT JOIN volunteer_evaluation_withdrawal x ON x.evaluation_id = e.id
             WHERE (\(id)::bigint IS NULL OR e.volunteer_id = \(id)) AND (\(year)::int IS NULL OR extract(year FROM e.evaluated_on) = \(year))
             ORDER BY e.evaluated_on, e.id
            """).map {
            EvaluationRow(id: try $0.decode(0), number: try $0.decode(1), volunteer: try $0.decode(2), evaluatedOn: try $0.decode(3),
                          score: try $0.decode(4), grade: try $0.decode(5), evaluator: try $0.decode(6), note: try $0.decode(7),
                          withdrawn: try Withdrawal.decode($0, from: 8))
        }
    }
}
