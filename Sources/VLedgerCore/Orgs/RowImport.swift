import Foundation
import PostgresLibPQ

/// The shape every issue-15 import shares: read the sheet (CSV or xlsx, encoding detected),
/// require its columns, write each row in its own savepoint (`Organisations.applyRows`), and
/// save the bad rows to the rejects file when they were skipped.
enum RowImport {
    static func run(_ path: String, aliases: [String: [String]], required: [String], options: ImportOptions, on db: isolated Connection,
                    _ write: @Sendable (CSVDocument, CSVRecord, isolated Connection) throws -> Int64) throws -> (ids: [Int64], outcome: ImportOutcome) {
        let table = try ImportSheet.read(path, options: options, aliases: aliases, required: required)
        let (ids, report) = try db.transaction { tx in try apply(table, skipBad: options.skipBad, on: tx, write) }
        return (ids, try ImportSheet.committed(report, of: table, options: options))
    }

    static func apply(_ table: CSVDocument, skipBad: Bool, on db: isolated Connection,
                      _ write: @Sendable (CSVDocument, CSVRecord, isolated Connection) throws -> Int64) throws -> ([Int64], ImportReport) {
        try Organisations.applyRows(table, skipBad: skipBad, on: db) { record, row in try write(table, record, row) }
    }

    /// A cell, or nil when it is empty.
    static func optional(_ table: CSVDocument, _ record: CSVRecord, _ column: String) -> String? {
        let value = table.value(record, column).trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }
}

extension HeaderAliases {
    public static let trainingAttendance: [String: [String]] = [
        "course": ["课程", "课程编号", "培训课程", "培训课程编号"],
        "volunteer": ["志愿者", "志愿者编号", "身份证号", "身份证号码"],
        "hours": ["学时", "学时(小时)", "学时（小时）"],
        "certificate": ["证书编号", "证书"],
        "expires_on": ["证书有效期", "有效期至", "证书有效期至"],
    ]
}

extension Training {
    /// `course,volunteer[,hours,certificate,expires_on]` (or 课程编号, 志愿者编号/身份证号, 学时,
    /// 证书编号, 证书有效期): an attendance a row, by the same rules as `training attend`; all rows
    /// or none, unless `options.skipBad`. Returns the ids of the attendances in file order.
    public static func importAttendance(_ path: String, options: ImportOptions = ImportOptions(showProgress: false),
                                        on db: isolated Connection) throws -> (ids: [Int64], outcome: ImportOutcome) {
        try RowImport.run(path, aliases: HeaderAliases.trainingAttendance, required: attendanceColumns, options: options, on: db) { table, record, row in
            try attendRow(table, record, on: row)
        }
    }

    static let attendanceColumns = ["course", "volunteer"]

    static func attendRow(_ table: CSVDocument, _ record: CSVRecord, on row: isolated Connection) throws -> Int64 {
        try attend(course: table.value(record, "course"), volunteer: table.value(record, "volunteer"),
                   hours: RowImport.optional(table, record, "hours"), certificate: RowImport.optional(table, record, "certificate"),
                   expires: RowImport.optional(table, record, "expires_on"), on: row)
    }
}
