import Foundation
import PostgresLibPQ

public struct ServiceCategory: Sendable, Equatable {
    public let code: String
    public let name: String
    public let parentCode: String?
}

/// The office's catalogue of service categories (0150). The database holds the rules (code
/// format, unique names, parents without cycles); the checks here come first only to name the
/// field before a transaction is spent.
public enum ServiceCategories {
    public static func list(on db: isolated Connection) throws -> [ServiceCategory] {
        try db.query("SELECT code, name, parent_code FROM service_category ORDER BY code").map(decode)
    }

    public static func add(code: String, name: String, parent: String?, on db: isolated Connection) throws -> ServiceCategory {
        let code = SpreadsheetText.halfwidth(code).trimmingCharacters(in: .whitespaces)
        guard code.range(of: "^[a-z][a-z0-9_]{1,39}$", options: .regularExpression) != nil else {
            throw RuleViolation(field: "code", value: code, code: "service_category_code_format")
        }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 50 else {
            throw RuleViolation(field: "name", value: name, code: "service_category_name_present")
        }
        if try db.query("SELECT 1 FROM service_category WHERE code = \(code)").count > 0 {
            throw RuleViolation(field: "code", value: code, code: "service_category_pkey")
        }
        if try db.query("SELECT 1 FROM service_category WHERE name = \(name)").count > 0 {
            throw RuleViolation(field: "name", value: name, code: "service_category_name_unique")
        }
        var parentCode: String?
        if let parent {
            guard let found = try resolve(parent, on: db) else {
                throw RuleViolation(field: "parent", value: parent, code: "unknown_category")
            }
            parentCode = found.code
        }
        return try decode(db.query("""
            INSERT INTO service_category (code, name, parent_code) VALUES (\(code), \(name), \(parentCode))
            RETURNING code, name, parent_code
            """).single())
    }

    /// The category a code or a catalogue name names, if any.
    public static func resolve(_ text: String, on db: isolated Connection) throws -> ServiceCategory? {
        let key = SpreadsheetText.halfwidth(text).trimmingCharacters(in: .whitespaces)
        return try db.query("SELECT code, name, parent_code FROM service_category WHERE code = \(key) OR name = \(key) ORDER BY code = \(key) DESC LIMIT 1")
            .first.map(decode)
    }

    /// What `--category` means for an activity: a code or a catalogue name is that category (its
    /// name becomes the text); a word shaped like a code but not in the catalogue is a mistyped
    /// code and refused; any other text is kept as written and filed by the database (0150).
    public static func forActivity(_ text: String, on db: isolated Connection) throws -> (text: String, code: String?) {
        if let found = try resolve(text, on: db) { return (found.name, found.code) }
        let key = SpreadsheetText.halfwidth(text).trimmingCharacters(in: .whitespaces)
        if key.range(of: "^[A-Za-z0-9_]+$", options: .regularExpression) != nil {
            throw RuleViolation(field: "category", value: key, code: "unknown_category")
        }
        return (text, nil)
    }

    static func decode(_ row: Row) throws -> ServiceCategory {
        ServiceCategory(code: try row.decode(0), name: try row.decode(1), parentCode: try row.decode(2))
    }
}
