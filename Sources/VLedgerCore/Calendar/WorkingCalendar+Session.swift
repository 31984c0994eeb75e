import Foundation
import PostgresLibPQ

// The working calendar's calls with their transactions chosen here (see `LedgerSession`).

extension WorkingCalendar {
    public static func list(year: Int?, in session: LedgerSession) async throws -> [CalendarDay] {
        try await session.read { db in try list(year: year, on: db) }
    }

    /// CSV with columns day, kind (holiday / workday / normal) and name; every row is checked
    /// first and one bad row writes nothing unless `skipBad`. A day already recorded the same way
    /// is left alone; a day recorded otherwise is deleted and recorded again (both in the trail).
    public static func importFile(_ url: URL, options: ImportOptions = ImportOptions(), in session: LedgerSession) async throws -> ImportOutcome {
        let document = try ImportSheet.read(url, options: options, aliases: headerAliases, required: importColumns)
        let report = try await session.write { db in try apply(document, options: options, on: db) }
        return try ImportSheet.committed(report, of: document, options: options)
    }
}
