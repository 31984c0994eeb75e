import PostgresLibPQ

/// A VOLUNTEER argument: a volunteer number (`VL00000001`) or an ID number (15 or 18 characters).
public struct VolunteerRef: Sendable, Equatable {
    public let id: Int64
    public let number: String
    public let name: String
}

/// Resolution goes through vl_volunteer_lookup (0042): every role may turn a number or an ID number
/// into a volunteer, even roles that may not read ID numbers or that volunteer's other details.
public enum VolunteerLookup {
    public static func resolve(_ key: String, field: String = "volunteer", on db: isolated Connection) throws -> VolunteerRef {
        let trimmed = key.trimmingCharacters(in: .whitespaces).uppercased()
        let rows: QueryResult
        if trimmed.hasPrefix("VL") {
            rows = try db.query("SELECT id, number, name FROM vl_volunteer_lookup(\(trimmed))")
        } else if trimmed.count == 18 || trimmed.count == 15 {
            let idNumber = try IDNumber(trimmed, field: field)
            switch try IDLookup.lookUp([idNumber.value], on: db).first {
            case .found(let ref)?: return ref
            default: throw RuleViolation(field: field, value: Masking.idNumber(trimmed), rule: "no such volunteer", code: "volunteer_exists")
            }
        } else {
            throw RuleViolation(field: field, value: Masking.idNumber(trimmed), code: "volunteer_reference")
        }
        guard let row = rows.first else {
            let shown = trimmed.hasPrefix("VL") ? trimmed : Masking.idNumber(trimmed)
            throw RuleViolation(field: field, value: shown, rule: "no such volunteer", code: "volunteer_exists")
        }
        return VolunteerRef(id: try row.decode(0), number: try row.decode(1), name: try row.decode(2))
    }

    /// The error for a volunteer that exists but that row-level security hides from this login:
    /// community staff read only the volunteers of their own district (as it stands today).
    public static func notReadable(_ ref: VolunteerRef, field: String = "volunteer", on db: isolated Connection) throws -> RuleViolation {
        let district = try db.query("SELECT vl_login_district(current_user::text)").single().decode(0, as: String?.self)
        if let district {
            return RuleViolation(field: field, value: ref.number,
                                 code: "volunteer_other_district", args: ["district": "\(district)"])
        }
        return RuleViolation(field: field, value: ref.number, code: "volunteer_not_readable")
    }
}

/// Lookups by ID number (0090): every one that finds nothing counts against the login, and a
/// login that missed `id_lookup_misses_per_hour` times within the hour is refused for the hour.
/// Two steps, so that a lookup's answer is read only once the lookup that counts it has
/// committed: the request runs on a session of its own (the caller's transaction may be rolled back
/// or read-only), then the result is read here.
public enum IDLookup {
    public enum Outcome: Sendable, Equatable {
        case found(VolunteerRef)
        case notFound
        /// Not looked up: the login is limited for the hour.
        case refused
    }

    /// The outcome of each ID number, in order. With `partial` false a refusal is an error (rule
    /// `id_lookup_limited`, one line); with true refused numbers come back as `.refused`.
    public static func lookUp(_ idNumbers: [String], partial: Bool = false, on db: isolated Connection) throws -> [Outcome] {
        guard !idNumbers.isEmpty else { return [] }
        let request: SQL = "SELECT vl_id_lookup_request(\(idNumbers)::text[])"
        // Always on a session of its own: the caller's transaction may be rolled back or read-only.
        let asked = try db.queryOnOwnSession(request)
        let lookupID: Int64 = try asked.single().decode(0)
        let rows = try db.query("SELECT outcome, id, number, name FROM vl_id_lookup_result(\(lookupID), \(partial)) ORDER BY ordinal")
        return try rows.map { row in
            switch try row.decode(0, as: String.self) {
            case "found":
                return .found(VolunteerRef(id: try row.decode(1), number: try row.decode(2), name: try row.decode(3)))
            case "refused": return .refused
            default: return .notFound
            }
        }
    }
}
