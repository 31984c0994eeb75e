import Foundation
import PostgresLibPQ

/// One day of the office's working-day calendar (0160): a day off or a weekend day worked.
public struct CalendarDay: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case holiday, workday
    }

    public let day: CalendarDate
    public let kind: Kind
    public let name: String

    /// ISO weekday, Monday 1 … Sunday 7.
    public var weekday: Int { day.isoWeekday }
}

/// The working-day calendar the office keeps: public holidays and adjusted working days (调休),
/// seeded with the State Council's arrangements; the 10-working-day recording window of an hours
/// entry is counted on it (0161).
public enum WorkingCalendar {
    /// An import row's kind: the two kinds the table holds, or `normal` to take a day back to the
    /// plain week (its row is deleted).
    static let kindAliases: [String: String] = [
        "holiday": "holiday", "休": "holiday", "假日": "holiday", "放假": "holiday", "节假日": "holiday",
        "workday": "workday", "班": "workday", "上班": "workday", "调休上班": "workday", "工作日": "workday",
        "normal": "normal", "平常": "normal", "删除": "normal",
    ]

    public static let headerAliases: [String: [String]] = [
        "day": ["日期"],
        "kind": ["类型"],
        "name": ["名称", "节日", "节假日名称"],
    ]

    public static func list(year: Int?, on db: isolated Connection) throws -> [CalendarDay] {
        if let year, !(2000...2100).contains(year) {
            throw RuleViolation(field: "year", value: String(year), code: "calendar_day_range")
        }
        let rows = try db.query("""
            SELECT day, kind, name FROM calendar_day
             WHERE \(year)::int IS NULL OR extract(year FROM day) = \(year)::int
             ORDER BY day
            """)
        return try rows.map { row in
            CalendarDay(day: try row.decode(0, as: CalendarDate.self), kind: CalendarDay.Kind(rawValue: try row.decode(1))!, name: try row.decode(2))
        }
    }

    /// Whether a day is a working day, and the day `days` working days after it.
    public static func workingDay(_ day: CalendarDate, on db: isolated Connection) throws -> Bool {
        try db.query("SELECT vl_is_working_day(\(day))").single().decode(0)
    }

    public static func adding(workingDays days: Int, to day: CalendarDate, on db: isolated Connection) throws -> CalendarDate {
        try db.query("SELECT vl_add_working_days(\(day), \(days))").single().decode(0, as: CalendarDate.self)
    }

    static let importColumns = ["day", "kind"]

    static func apply(_ document: CSVDocument, options: ImportOptions, on db: isolated Connection) throws -> ImportReport {
        var problems: [RuleViolation] = []
        var good: [(day: CalendarDate, kind: String, name: String)] = []
        var seen: [CalendarDate: Int] = [:]
        for record in document.records {
            if let shape = document.shapeProblem(record) { problems.append(shape); continue }
            do {
                let day = try DateInput.parse(document.value(record, "day"), field: "day")
                guard (2000...2100).contains(day.year) else {
                    throw RuleViolation(field: "day", value: day.description, code: "calendar_day_range")
                }
                let kindText = SpreadsheetText.halfwidth(document.value(record, "kind")).trimmingCharacters(in: .whitespaces)
                guard let kind = kindAliases[kindText.lowercased()] else {
                    throw RuleViolation(field: "kind", value: kindText, code: "calendar_day_kind_known")
                }
                let weekend = day.isoWeekday >= 6
                if kind == "workday" && !weekend {
                    throw RuleViolation(field: "day", value: day.description, code: "calendar_workday_weekend")
                }
                let name = document.value(record, "name").trimmingCharacters(in: .whitespaces)
                if kind != "normal" && (name.isEmpty || name.count > 50) {
                    throw RuleViolation(field: "name", value: String(name.prefix(60)), code: "calendar_day_name_present")
                }
                if let first = seen[day] {
                    throw RuleViolation(field: "day", value: day.description, code: "calendar_day_twice",
                                        args: ["first": String(first), "second": String(record.line)])
                }
                seen[day] = record.line
                good.append((day, kind, name))
            } catch var violation as RuleViolation {
                violation.line = record.line
                problems.append(violation)
            }
        }
        var report = ImportReport(file: document.source, totalRows: document.records.count, problems: problems)
        report.sortProblems()
        if !problems.isEmpty && !options.skipBad { throw VLedgerError.importRejected(report) }
        let current = Dictionary(uniqueKeysWithValues: try list(year: nil, on: db).map { ($0.day, $0) })
        let changed = good.filter { row in
            guard let existing = current[row.day] else { return row.kind != "normal" }
            return row.kind == "normal" || existing.kind.rawValue != row.kind || existing.name != row.name
        }
        report.skippedDuplicates = good.count - changed.count
        if !changed.isEmpty {
            let days = changed.map(\.day.description)
            try db.execute("DELETE FROM calendar_day WHERE day = ANY (\(days)::date[])")
            let kept = changed.filter { $0.kind != "normal" }
            try db.execute("""
                INSERT INTO calendar_day (day, kind, name)
                SELECT day, kind, name FROM unnest(\(kept.map(\.day.description))::date[], \(kept.map(\.kind))::text[], \(kept.map(\.name))::text[])
                    AS r(day, kind, name)
                """)
            report.applied = changed.count
        }
        return report
    }
}

extension CalendarDate {
    /// ISO weekday, Monday 1 … Sunday 7 (1970-01-01 was a Thursday).
    var isoWeekday: Int {
        let days = daysSinceEpoch
        return ((days + 3) % 7 + 7) % 7 + 1
    }
}
