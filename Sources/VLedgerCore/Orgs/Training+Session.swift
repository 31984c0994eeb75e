import Foundation
import PostgresLibPQ

// Training's calls with their transactions chosen here (see `LedgerSession`).

extension Training {
    public static func addCourse(name: String, content: String, hours: String, organiser: String, organisation: String?,
                                 on dateText: String, in session: LedgerSession) async throws -> Int64 {
        try await session.write { db in
            try addCourse(name: name, content: content, hours: hours, organiser: organiser, organisation: organisation, on: dateText, on: db)
        }
    }

    @discardableResult
    public static func attend(course: String, volunteer: String, hours: String?, certificate: String?, expires: String?,
                              in session: LedgerSession) async throws -> Int64 {
        try await session.write { db in
            try attend(course: course, volunteer: volunteer, hours: hours, certificate: certificate, expires: expires, on: db)
        }
    }

    public static func attendance(volunteer: String?, in session: LedgerSession) async throws -> [TrainingAttendanceRow] {
        try await session.read { db in try attendance(volunteer: volunteer, on: db) }
    }

    public static func expiring(withinDays days: Int, from day: String?, in session: LedgerSession) async throws -> [TrainingAttendanceRow] {
        try await session.read { db in try expiring(withinDays: days, from: day, on: db) }
    }

    /// `course,volunteer[,hours,certificate,expires_on]` (or 课程编号, 志愿者编号/身份证号, 学时,
    /// 证书编号, 证书有效期): an attendance a row, by the same rules as `training attend`; all rows
    /// or none, unless `options.skipBad`. Returns the ids of the attendances in file order.
    public static func importAttendance(_ path: String, options: ImportOptions = ImportOptions(showProgress: false),
                                        in session: LedgerSession) async throws -> (ids: [Int64], outcome: ImportOutcome) {
        try await RowImport.run(path, aliases: HeaderAliases.trainingAttendance, required: attendanceColumns, options: options, in: session) {
            table, skipBad, db in try RowImport.apply(table, skipBad: skipBad, on: db) { table, record, row in try attendRow(table, record, on: row) }
        }
    }
}
