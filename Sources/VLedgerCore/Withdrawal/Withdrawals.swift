import Foundation
import PostgresLibPQ

/// What may be withdrawn (撤销) when it was recorded by mistake (0263): a survey wave, an award,
/// an evaluation. The row stays as recorded; the withdrawal is a row of its own, once, with a reason.
public enum WithdrawalKind: String, Sendable, CaseIterable {
    case wave, award, evaluation

    /// The table of the withdrawals, whose rule codes start with it.
    var table: String {
        switch self {
        case .wave: return "survey_wave_withdrawal"
        case .award: return "volunteer_award_withdrawal"
        case .evaluation: return "volunteer_evaluation_withdrawal"
        }
    }
}

/// A withdrawal as listed beside the row it withdraws.
public struct Withdrawal: Sendable, Equatable {
    public let reason: String
    /// City time, as `hours list` prints record times.
    public let at: String
    public let by: String

    /// From the three columns of `Withdrawals.columns`, starting at `index`; nil when the row stands.
    static func decode(_ row: Row, from index: Int) throws -> Withdrawal? {
        guard let reason = try row.decode(index, as: String?.self) else { return nil }
        return Withdrawal(reason: reason, at: try row.decode(index + 1), by: try row.decode(index + 2))
    }

    public var json: JSONValue {
        .object([("reason", .string(reason)), ("at", .string(at)), ("by", .string(by))])
    }
}

public enum Withdrawals {
    /// The reason, the time and the login of a withdrawal joined as `x`, for a listing's SELECT.
    static let columns: SQL = "x.reason, vl_local_text(x.recorded_at, vl_time_zone()), x.recorded_by"

    /// Withdraws record `id` of `kind` with `reason`. The database holds every rule (0263); the
    /// same checks run here first so that a refusal names its field before a round trip.
    public static func withdraw(_ kind: WithdrawalKind, id text: String, reason: String, on db: isolated Connection) throws {
        let trimmed = SpreadsheetText.halfwidth(text).trimmingCharacters(in: .whitespaces)
        guard let id = Int64(trimmed), id > 0 else {
            throw RuleViolation(field: kind.rawValue, value: String(trimmed.prefix(60)), code: "withdrawal_id")
        }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 200 else {
            throw RuleViolation(field: "reason", value: String(reason.prefix(60)), code: "\(kind.table)_reason_present")
        }
        switch kind {
        case .wave: try db.execute("INSERT INTO survey_wave_withdrawal (wave_id, reason) VALUES (\(id), \(reason))")
        case .award: try db.execute("INSERT INTO volunteer_award_withdrawal (award_id, reason) VALUES (\(id), \(reason))")
        case .evaluation: try db.execute("INSERT INTO volunteer_evaluation_withdrawal (evaluation_id, reason) VALUES (\(id), \(reason))")
        }
    }

    public static func withdraw(_ kind: WithdrawalKind, id: String, reason: String, in session: LedgerSession) async throws {
        try await session.write { db in try withdraw(kind, id: id, reason: reason, on: db) }
    }
}
