import PostgresLibPQ

/// Which way a volunteer passes the door: the code of each differs.
public enum CheckinAction: String, Sendable, CaseIterable, Codable {
    case checkIn = "in"
    case checkOut = "out"

    /// `in` or `out`, as the API and the CLI spell it.
    public static func parse(_ text: String) throws -> CheckinAction {
        guard let action = CheckinAction(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw UserFacingError.rule("checkin_action_known", field: "action", value: String(text.prefix(20)))
        }
        return action
    }
}

/// Errors of the check-in functions (0140) as the front ends answer them: the database's rule
/// with the category its status comes from (an unknown activity 404, a lock 429, an organiser of
/// another activity 403, every other refusal 422).
enum CheckinErrors {
    static func translate(_ error: any Error) -> any Error {
        guard let error = error as? PostgresError else { return error }
        var facing = UserMessage.userFacing(for: error)
        switch error.constraint {
        case "checkin_activity_unknown": facing.category = .notFound
        case "checkin_locked": facing.category = .rateLimited
        case "checkin_code_organiser":
            // The catalog's sentence in both languages (the database's names the login).
            facing = UserFacingError(.forbidden, code: "checkin_code_organiser", field: "activity")
        default:
            if error.sqlState == .insufficientPrivilege { facing.category = .forbidden }
        }
        return facing
    }
}
