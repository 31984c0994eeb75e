import Foundation
import PostgresLibPQ

public struct District: Sendable, Equatable {
    public let code: String
    public let name: String
    public let builtUp: Bool
    public let recordedBy: String
    public let recordedAt: Date
}

/// The office's districts: GB/T 2260 administrative division codes (6 digits for a county,
/// 9 or 12 for a township/street and below), a name, and whether the district lies in the
/// urban built-up area that the registration share is measured against.
public enum Districts {
    /// Province-level prefixes of GB/T 2260 (the first two digits of every code).
    static let provinces: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    ]

    public static func validCode(_ text: String, field: String = "code") throws -> String {
        let code = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard [6, 9, 12].contains(code.utf8.count), code.allSatisfy(\.isASCIIDigit) else {
            throw RuleViolation(field: field, value: code, code: "district_code_format")
        }
        guard provinces.contains(String(code.prefix(2))) else {
            throw RuleViolation(field: field, value: code, code: "district_code_province")
        }
        return code
    }

    public static func add(code: String, name: String, builtUp: Bool, on db: isolated Connection) throws -> District {
        let code = try validCode(code)
        let name = try RegistrationRules.personName(name, field: "name")
        if let existing = try db.query("SELECT name FROM district WHERE code = \(code)").first {
            throw RuleViolation(field: "code", value: code, code: "district_exists", args: ["name": "\(try existing.decode(0, as: String.self))"])
        }
        let row = try db.query("""
            INSERT INTO district (code, name, built_up) VALUES (\(code), \(name), \(builtUp))
            RETURNING code, name, built_up, recorded_by, recorded_at
            """).single()
        return try district(row)
    }

    public static func list(on db: isolated Connection) throws -> [District] {
        try db.query("SELECT code, name, built_up, recorded_by, recorded_at FROM district ORDER BY code").map(district)
    }

    /// The district named by `code`, or a RuleViolation on `field`.
    public static func require(_ code: String, field: String = "district", on db: isolated Connection) throws -> District {
        let code = code.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let row = try db.query("SELECT code, name, built_up, recorded_by, recorded_at FROM district WHERE code = \(code)").first else {
            throw RuleViolation(field: field, value: code, code: code.isEmpty ? "required" : "no_such_district")
        }
        return try district(row)
    }

    static func district(_ row: Row) throws -> District {
        District(code: try row.decode(0), name: try row.decode(1), builtUp: try row.decode(2),
                 recordedBy: try row.decode(3), recordedAt: try row.decode(4))
    }
}
