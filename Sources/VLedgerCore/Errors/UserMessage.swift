import PostgresLibPQ

/// The one place an error becomes the line a person reads on standard error.
public enum UserMessage {
    public static func line(for error: any Error) -> String {
        lineIfOurs(error) ?? terminalSafe(String(describing: error))
    }

    /// The last guard before a terminal: control characters other than line breaks and tabs
    /// (an ESC sequence in a value a database message repeats) escaped, and the text bounded.
    public static func terminalSafe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F..<0xA0).contains($0.value) })
                || text.utf8.count > 4000 else { return text }
        var result = ""
        for scalar in text.unicodeScalars.prefix(4000) {
            if (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F..<0xA0).contains(scalar.value) {
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > 4000 ? result + "…" : result
    }

    /// nil for errors vledger does not know (ArgumentParser's own, which it prints itself).
    public static func lineIfOurs(_ error: any Error, in language: Language = LanguageChoice.current) -> String? {
        unsafeLineIfOurs(error, in: language).map(terminalSafe)
    }

    static func unsafeLineIfOurs(_ error: any Error, in language: Language) -> String? {
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
            return error.message(in: language)
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
        // vledger's own raisers (vl_raise, vl_refuse): the code, field and arguments from the DETAIL.
        if let constraint = error.constraint, let detail = RuleDetail(parsing: error.detail) {
            let text = String(error.message.dropFirst(error.message.hasPrefix("vledger: ") ? 9 : 0))
            guard let field = detail.field else {
                return UserFacingError(category(of: state), code: constraint, args: detail.args, english: text)
            }
            return UserFacingError(category(of: state), code: constraint, field: field, value: detail.value, args: detail.args,
                                   english: parseRuleMessage(text)?.rule ?? text)
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
        // A value the database could not take (a NUL character, a number out of range, a
        // malformed date) that no rule of ours caught first: the input's fault, whichever front
        // end it came through, said without the SQL.
        if state.errorClass == "22", error.constraint == nil {
            return UserFacingError(.invalid, code: "invalid_value")
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

    /// `field "value": rule` or `field: rule`, as the database's raisers write them (the English
    /// text; the code, field, value and arguments come from the DETAIL, `RuleDetail`).
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
        // Length limits (0110): the limit is in the catalog's text.
        "volunteer_name_present": "name",
        "volunteer_guardian_name_length": "guardian_name",
        "activity_title_present": "title",
        "activity_organiser_length": "organiser",
        "activity_category_length": "category",
        "deregistration_reason_length": "reason",
        "hours_entry_reason_length": "reason",
        "hours_entry_request_id_length": "request_id",
        "hours_decision_reason_length": "reason",
        "hours_checkout_note_length": "note",
        "population_source_length": "source",
        "statement_issue_issuer_length": "issuer",
        "volunteer_correction_value_length": "value",
        "setting_value_length": "value",
    ]
}
