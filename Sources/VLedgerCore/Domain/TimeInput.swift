import Foundation
import PostgresLibPQ

/// A DATE argument: strictly `YYYY-MM-DD`, a real day.
public enum DateInput {
    public static func parse(_ text: String, field: String) throws -> CalendarDate {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let date = CalendarDate(iso: trimmed) else {
            throw RuleViolation(field: field, value: trimmed, rule: "must be a real date written YYYY-MM-DD")
        }
        return date
    }
}

/// A TIME argument: ISO 8601 with an offset (`2019-12-31T23:30:00+08:00`), or `YYYY-MM-DD HH:MM`
/// (seconds optional) read in the city's time zone.
public enum TimeInput: Sendable, Equatable {
    case instant(Date)
    case local(date: CalendarDate, hour: Int, minute: Int, second: Int)

    public static func parse(_ text: String, field: String) throws -> TimeInput {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let bad = RuleViolation(
            field: field, value: trimmed,
            rule: "must be a time like 2019-12-31T23:30:00+08:00 or 2019-12-31 23:30 (city time)")
        let bytes = Array(trimmed.utf8)
        guard bytes.count >= 16, let date = CalendarDate(iso: String(decoding: bytes[0..<10], as: UTF8.self)),
              bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              let hour = Int(String(decoding: bytes[11..<13], as: UTF8.self)),
              let minute = Int(String(decoding: bytes[14..<16], as: UTF8.self)),
              hour < 24, minute < 60
        else { throw bad }
        var rest = bytes[16...]
        var second = 0
        if rest.first == UInt8(ascii: ":") {
            guard rest.count >= 3, let value = Int(String(decoding: rest.dropFirst().prefix(2), as: UTF8.self)), value < 60 else { throw bad }
            second = value
            rest = rest.dropFirst(3)
        }
        if rest.isEmpty {
            return .local(date: date, hour: hour, minute: minute, second: second)
        }
        // An offset or Z follows (fractions of a second are accepted and kept).
        let full = String(decoding: bytes[0..<10], as: UTF8.self) + " "
            + String(format: "%02d:%02d:%02d", hour, minute, second) + String(decoding: rest, as: UTF8.self)
        guard let instant = TimestampParsing.parse(full) else { throw bad }
        return .instant(instant)
    }

    /// The instant this names, reading a local time in `timeZone` (PostgreSQL's tz database,
    /// the same one the metrics use). A local time that does not exist is an error.
    public func resolve(timeZone: String, on db: isolated Connection) throws -> Date {
        switch self {
        case .instant(let date):
            return date
        case .local(let date, let hour, let minute, let second):
            return try db.query("""
                SELECT make_timestamptz(\(date.year), \(date.month), \(date.day), \(hour), \(minute), \(second)::float8, \(timeZone))
                """).single().decode(0, as: Date.self)
        }
    }
}

enum TimestampParsing {
    /// `YYYY-MM-DD HH:MM:SS[.ffffff](Z|±HH[:MM])`.
    static func parse(_ text: String) -> Date? {
        var normalized = text
        if normalized.hasSuffix("Z") { normalized.removeLast(); normalized += "+00" }
        // Accept ±HHMM as well as ±HH:MM.
        if let sign = normalized.lastIndex(where: { $0 == "+" || $0 == "-" }), normalized.distance(from: sign, to: normalized.endIndex) == 5,
           !normalized[normalized.index(after: sign)...].contains(":") {
            let offset = normalized[normalized.index(after: sign)...]
            normalized = String(normalized[...sign]) + offset.prefix(2) + ":" + offset.suffix(2)
        }
        return Date(postgresText: normalized)
    }
}
