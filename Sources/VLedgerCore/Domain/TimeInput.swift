import Foundation
import PostgresLibPQ

/// A DATE, from an argument or a file: `2025-04-06`, or as Excel and WPS write it
/// (`2025-4-6`, `2025/4/6`, `2025年4月6日`, full-width digits); always a real day.
public enum DateInput {
    public static let forms = "2025-04-06, 2025/4/6 or 2025年4月6日"

    public static func parse(_ text: String, field: String) throws -> CalendarDate {
        let trimmed = SpreadsheetText.halfwidth(text).trimmingCharacters(in: .whitespaces)
        if let date = CalendarDate(iso: trimmed) { return date }
        var scanner = DateTimeScanner(trimmed)
        guard let date = scanner.date(), scanner.atEnd else {
            throw RuleViolation(field: field, value: trimmed, code: "date_form")
        }
        return date
    }
}

/// A TIME, from an argument or a file: ISO 8601 with an offset (`2019-12-31T23:30:00+08:00`),
/// or a local time read in the city's time zone (`2019-12-31 23:30`, `2019/12/31 9:00`,
/// `2019年12月31日 9:00:00`). Offsets are at most ±14:00.
public enum TimeInput: Sendable, Equatable {
    case instant(Date)
    case local(date: CalendarDate, hour: Int, minute: Int, second: Int)

    public static func parse(_ text: String, field: String) throws -> TimeInput {
        let trimmed = SpreadsheetText.halfwidth(text).trimmingCharacters(in: .whitespaces)
        let bad = RuleViolation(field: field, value: trimmed, code: "time_form")
        var scanner = DateTimeScanner(trimmed)
        guard let date = scanner.date() else { throw bad }
        if !scanner.take("T") { scanner.skip([" "]) }
        guard let time = scanner.time() else { throw bad }
        switch scanner.offset() {
        case nil:
            throw bad
        case .outOfRange(let written)?:
            throw RuleViolation(field: field, value: trimmed, code: "time_offset_range", args: ["offset": written])
        case .absent?:
            return .local(date: date, hour: time.hour, minute: time.minute, second: time.second)
        case .minutes(let minutes)?:
            let offset = (minutes < 0 ? "-" : "+") + String(format: "%02d:%02d", abs(minutes) / 60, abs(minutes) % 60)
            let full = "\(date) " + String(format: "%02d:%02d:%02d", time.hour, time.minute, time.second)
                + (time.fraction.isEmpty ? "" : "." + time.fraction) + offset
            guard let instant = TimestampParsing.parse(full) else { throw bad }
            return .instant(instant)
        }
    }

    /// The instant this names, reading a local time in `timeZone` (PostgreSQL's tz database,
    /// the same one the metrics use). A local time that does not exist is an error.
    public func resolve(timeZone: String, field: String? = nil, on db: isolated Connection) throws -> Date {
        switch self {
        case .instant(let date):
            return date
        case .local(let date, let hour, let minute, let second):
            // make_timestamptz moves a time in a gap (clocks put forward) silently; read back, it differs.
            let row = try db.query("""
                SELECT t, (t AT TIME ZONE \(timeZone)) = make_timestamp(\(date.year), \(date.month), \(date.day), \(hour), \(minute), \(second)::float8)
                FROM make_timestamptz(\(date.year), \(date.month), \(date.day), \(hour), \(minute), \(second)::float8, \(timeZone)) AS t
                """).single()
            guard try row.decode(1, as: Bool.self) else {
                throw RuleViolation(
                    field: field ?? "time", value: "\(date) " + String(format: "%02d:%02d:%02d", hour, minute, second),
                    code: "time_exists_locally", args: ["zone": timeZone])
            }
            return try row.decode(0, as: Date.self)
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
