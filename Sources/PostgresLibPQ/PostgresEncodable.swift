import Foundation

/// A Swift value sent as a query parameter, in PostgreSQL's text format.
public protocol PostgresEncodable: Sendable {
    var postgresText: String { get }
}

extension String: PostgresEncodable {
    public var postgresText: String { self }
}

extension Substring: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int16: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Bool: PostgresEncodable {
    public var postgresText: String { self ? "true" : "false" }
}

extension Double: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Decimal: PostgresEncodable {
    /// `Decimal.description` always uses "." whatever the process locale.
    public var postgresText: String { description }
}

extension Date: PostgresEncodable {
    public var postgresText: String { TimestampText.format(self) }
}

extension CalendarDate: PostgresEncodable {
    public var postgresText: String { description }
}

extension UUID: PostgresEncodable {
    public var postgresText: String { uuidString.lowercased() }
}

/// Arrays travel as one array literal parameter, for `= ANY(\(ids))`.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public var postgresText: String {
        "{" + map { PostgresArrayText.quote($0.postgresText) }.joined(separator: ",") + "}"
    }
}

enum PostgresArrayText {
    /// Escapes by Unicode scalar, not by `Character`: a quote or backslash followed by a combining
    /// mark is one `Character` that compares unequal to `"` or `\`, and would go out unescaped.
    static func quote(_ element: String) -> String {
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in element.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { quoted.append("\\") }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }
}
