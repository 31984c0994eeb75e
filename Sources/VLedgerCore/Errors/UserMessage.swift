import PostgresLibPQ

/// The one place an error becomes the line a person reads on standard error.
public enum UserMessage {
    public static func line(for error: any Error) -> String {
        lineIfOurs(error) ?? String(describing: error)
    }

    /// nil for errors vledger does not know (ArgumentParser's own, which it prints itself).
    public static func lineIfOurs(_ error: any Error, in language: Language = LanguageChoice.current) -> String? {
        switch error {
        case let error as UserFacingError:
            return error.message(in: language)
        case let violation as RuleViolation:
            return violation.message(in: language)
        case let error as VLedgerError:
            return error.message(in: language)
        case let error as PostgresError:
            return userFacing(for: error).message(in: language)
        case let error as EmbeddedClusterError:
            return error.description
        default:
            return nil
        }
    }

    /// A database error as code, field and arguments. Rules raised by vledger's own functions
    /// carry the rule as the constraint, the field as the column, and an English MESSAGE
    /// `vledger: field "value": text`; other constraints are named by the catalog.
    public static func userFacing(for error: PostgresError) -> UserFacingError {
        guard error.kind == .server, let state = error.sqlState else {
            return UserFacingError(.failure, code: "database", args: ["detail": error.description], english: error.description)
        }
        if state == .raiseException || (state.errorClass == "23" && error.constraint != nil && error.message.hasPrefix("vledger:")) {
            let text = String(error.message.dropFirst(error.message.hasPrefix("vledger: ") ? 9 : 0))
            let parsed = parseRuleMessage(text)
            if let constraint = error.constraint, let parsed {
                var rendered = UserFacingError(.invalid, code: constraint, field: parsed.field, value: parsed.value, english: parsed.rule)
                rendered.args = ["detail": parsed.rule]
                return rendered
            }
            return UserFacingError(.invalid, code: error.constraint ?? "database_rule", args: ["detail": text], english: text)
        }
        if let constraint = error.constraint, let field = constraintFields[constraint] {
            return UserFacingError(category(of: state), code: constraint, field: field)
        }
        let constraint = error.constraint ?? ""
        switch state {
        case .insufficientPrivilege:
            return .error(.forbidden, "permission_denied", ["detail": error.message])
        case .foreignKeyViolation:
            return .error(.invalid, "foreign_key", ["constraint": error.constraint ?? "foreign key"])
        case .uniqueViolation:
            return .error(.conflict, "unique", ["constraint": error.constraint ?? "unique"])
        case .checkViolation:
            return .error(.invalid, "check", ["constraint": error.constraint ?? "check", "detail": error.message])
        case .exclusionViolation:
            return .error(.conflict, "exclusion", ["constraint": error.constraint ?? "exclusion"])
        default:
            _ = constraint
            return UserFacingError(.failure, code: "database", args: ["detail": error.description], english: error.description)
        }
    }

    static func category(of state: SQLState) -> UserFacingError.Category {
        switch state {
        case .uniqueViolation, .exclusionViolation: return .conflict
        case .insufficientPrivilege: return .forbidden
        default: return .invalid
        }
    }

    /// `field "value": rule` or `field: rule`, as the database's raisers write them.
    static func parseRuleMessage(_ text: String) -> (field: String, value: String?, rule: String)? {
        let fieldEnd = text.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") } ?? text.endIndex
        guard fieldEnd > text.startIndex else { return nil }
        let field = String(text[..<fieldEnd])
        var rest = text[fieldEnd...]
        var value: String?
        if rest.hasPrefix(" \"") {
            rest = rest.dropFirst(2)
            guard let close = rest.range(of: "\": ") else { return nil }
            value = String(rest[..<close.lowerBound])
            rest = rest[close.upperBound...]
        } else if rest.hasPrefix(": ") {
            rest = rest.dropFirst(2)
        } else {
            return nil
        }
        return (field, value, String(rest))
    }

    /// Constraints of the tables (no message of their own), by the field they guard; the catalog's
    /// `rule.CONSTRAINT` says what they mean. For errors that reach the database without a
    /// friendlier check in Swift first (concurrent writers, plain SQL).
    static let constraintFields: [String: String] = [
        "volunteer_id_number_unique": "id_number",
        "volunteer_id_number_valid": "id_number",
        "volunteer_phone_format": "phone",
        "volunteer_guardian_phone_format": "guardian_phone",
        "volunteer_minor_has_guardian": "guardian",
        "volunteer_guardian_complete": "guardian",
        "volunteer_born_before_registration": "registered_on",
        "volunteer_district_one_per_day": "on",
        "population_residents_positive": "residents",
        "population_residents_nonnegative": "residents",
        "district_pkey": "code",
        "district_code_format": "code",
        "district_name_present": "name",
        "hours_entry_request_unique": "request_id",
        "activity_ends_after_start": "ends",
        "deregistration_reason_present": "reason",
        "volunteer_deregistration_pkey": "volunteer",
        "hours_decision_pkey": "entry",
    ]
}
