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
    public static func lineIfOurs(_ error: any Error) -> String? {
        unsafeLineIfOurs(error).map(terminalSafe)
    }

    static func unsafeLineIfOurs(_ error: any Error) -> String? {
        switch error {
        case let violation as RuleViolation:
            return violation.description
        case let error as VLedgerError:
            return error.description
        case let error as PostgresError:
            return line(for: error)
        case let error as EmbeddedClusterError:
            return error.description
        default:
            return nil
        }
    }

    static func line(for error: PostgresError) -> String {
        guard error.kind == .server, let state = error.sqlState else { return error.description }
        // Rules raised by our own triggers carry a message written for people.
        if state == .raiseException || (state.errorClass == "23" && error.constraint != nil && error.message.hasPrefix("vledger:")) {
            return String(error.message.dropFirst(error.message.hasPrefix("vledger: ") ? 9 : 0))
        }
        if let constraint = error.constraint, let text = constraintMessages[constraint] {
            return text
        }
        switch state {
        case .insufficientPrivilege:
            return "permission denied: your database login may not do this (\(error.message))"
        case .foreignKeyViolation:
            return "refers to something that does not exist (\(error.constraint ?? "foreign key"))"
        case .uniqueViolation:
            return "already recorded (\(error.constraint ?? "unique"))"
        case .checkViolation:
            return "breaks the rule \(error.constraint ?? "check") (\(error.message))"
        case .exclusionViolation:
            return "overlaps something already recorded (\(error.constraint ?? "exclusion"))"
        default:
            return error.description
        }
    }

    /// Constraint names mapped to what they mean, for errors that reach the database without a
    /// friendlier check in Swift first (concurrent writers, plain SQL).
    static let constraintMessages: [String: String] = [
        "volunteer_id_number_unique": "id_number: already registered (one registration per person)",
        "volunteer_id_number_valid": "id_number: not a valid resident ID number",
        "volunteer_phone_format": "phone: must be an 11-digit mainland mobile number",
        "volunteer_guardian_phone_format": "guardian_phone: must be an 11-digit mainland mobile number",
        "volunteer_minor_has_guardian": "guardian: a volunteer under 18 needs a guardian's name, phone and consent",
        "volunteer_guardian_complete": "guardian: name, phone and consent go together",
        "volunteer_born_before_registration": "registered_on: before the birth date in the ID number",
        "volunteer_district_one_per_day": "on: the volunteer already has a district change on that date",
        "population_residents_positive": "residents: must be a positive whole number of residents",
        "population_residents_nonnegative": "residents: must be a positive whole number of residents",
        "district_pkey": "code: district already exists",
        "district_code_format": "code: must be a GB/T 2260 code of 6, 9 or 12 digits",
        "district_name_present": "name: must not be empty",
        "hours_entry_request_unique": "request_id: already used",
        "activity_ends_after_start": "ends: must be after starts",
        "deregistration_reason_present": "reason: must not be empty",
        "volunteer_deregistration_pkey": "volunteer: already deregistered",
        "hours_decision_pkey": "entry: already decided (approved or rejected)",
        // Length limits (0110): the limit is in the message.
        "volunteer_name_present": "name: must not be empty (at most 100 characters)",
        "volunteer_guardian_name_length": "guardian_name: must be at most 100 characters",
        "activity_title_present": "title: must not be empty (at most 200 characters)",
        "activity_organiser_length": "organiser: must be at most 100 characters",
        "activity_category_length": "category: must be at most 50 characters",
        "deregistration_reason_length": "reason: must be at most 500 characters",
        "hours_entry_reason_length": "reason: must be at most 500 characters",
        "hours_entry_request_id_length": "request_id: must be at most 200 characters",
        "hours_decision_reason_length": "reason: must be at most 500 characters",
        "hours_checkout_note_length": "note: must be at most 500 characters",
        "population_source_length": "source: must be at most 200 characters",
        "statement_issue_issuer_length": "issuer: must be at most 100 characters",
        "volunteer_correction_value_length": "value: must be at most 100 characters",
        "setting_value_length": "value: a setting must be at most 200 characters",
    ]
}
