import Foundation
import PostgresLibPQ

/// The shape every issue-15 import shares: read the sheet (CSV or xlsx, encoding detected),
/// require its columns, write the rows in one write of the session (`apply`: each row in its own
/// savepoint, `Organisations.applyRows`), and save the bad rows to the rejects file once the good
/// ones are committed, when they were skipped.
enum RowImport {
    static func run(_ path: String, aliases: [String: [String]], required: [String], options: ImportOptions, in session: LedgerSession,
                    _ apply: @escaping @Sendable (CSVDocument, Bool, isolated Connection) throws -> ([Int64], ImportReport))
        async throws -> (ids: [Int64], outcome: ImportOutcome)
    {
        let table = try ImportSheet.read(path, options: options, aliases: aliases, required: required)
        let skipBad = options.skipBad
        let (ids, report) = try await session.write { db in try apply(table, skipBad, db) }
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
    static let attendanceColumns = ["course", "volunteer"]

    static func attendRow(_ table: CSVDocument, _ record: CSVRecord, on row: isolated Connection) throws -> Int64 {
        try attend(course: table.value(record, "course"), volunteer: table.value(record, "volunteer"),
                   hours: RowImport.optional(table, record, "hours"), certificate: RowImport.optional(table, record, "certificate"),
                   expires: RowImport.optional(table, record, "expires_on"), on: row)
    }
}
