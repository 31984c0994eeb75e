import Foundation
import PostgresLibPQ

// Awards, evaluations and the recognition reports with their transactions chosen here (see `LedgerSession`).

extension Recognition {
    public static func addAward(volunteer: String, name: String, on dateText: String, body: String, in session: LedgerSession) async throws -> Int64 {
        try await session.write { db in try addAward(volunteer: volunteer, name: name, on: dateText, body: body, on: db) }
    }

    public static func addEvaluation(volunteer: String, score: String?, grade: String?, on dateText: String, evaluator: String, note: String?,
                                     in session: LedgerSession) async throws -> Int64 {
        try await session.write { db in
            try addEvaluation(volunteer: volunteer, score: score, grade: grade, on: dateText, evaluator: evaluator, note: note, on: db)
        }
    }

    public static func awards(volunteer: String?, year: Int?, in session: LedgerSession) async throws -> [AwardRow] {
        try await session.read { db in try awards(volunteer: volunteer, year: year, on: db) }
    }

    public static func evaluations(volunteer: String?, year: Int?, in session: LedgerSession) async throws -> [EvaluationRow] {
        try await session.read { db in try evaluations(volunteer: volunteer, year: year, on: db) }
    }
}

extension RecognitionReports {
    /// One snapshot: every row's figures and the criteria they are held to come from the same moment.
    public static func run(_ kind: RecognitionKind, year: Int, top: Int = 10, in session: LedgerSession) async throws -> RecognitionReport {
        try await session.snapshot { db in try compute(kind, year: year, top: top, on: db) }
    }
}
