import Foundation
import PostgresLibPQ

// The survey's calls with their transactions chosen here (see `LedgerSession`).

extension SurveyWaves {
    public static func add(on dateText: String, method: String, district: String, sample: String, supportive: String, surveyor: String?,
                           in session: LedgerSession) async throws -> Int64 {
        try await session.write { db in
            try add(on: dateText, method: method, district: district, sample: sample, supportive: supportive, surveyor: surveyor, on: db)
        }
    }

    public static func list(year: Int?, in session: LedgerSession) async throws -> [SurveyWave] {
        try await session.read { db in try list(year: year, on: db) }
    }

    /// Imports `surveyed_on,method,district_code,sample_size,supportive[,surveyor]` (or the Chinese
    /// headers above). A row that repeats a recorded wave exactly is "already present"; one that
    /// gives other figures for a recorded district, day and method is a bad row.
    public static func importFile(_ url: URL, options: ImportOptions = ImportOptions(), in session: LedgerSession) async throws -> ImportOutcome {
        let document = try ImportSheet.read(url, options: options, aliases: aliases, required: importColumns)
        let report = try await session.write { db in try apply(document, options: options, on: db) }
        return try ImportSheet.committed(report, of: document, options: options)
    }
}

extension SurveyResponses {
    /// Imports `surveyed_on,method,district_code,answer[,respondent][,surveyor]` from CSV or xlsx.
    /// A wave is written whole or not at all: one bad answer refuses its wave (the other rows of
    /// it are reported too), since a wave of the readable answers only would be another sample.
    /// A file imported again adds nothing: a wave already recorded with the same answers is
    /// "already present"; other answers for a recorded district, day and method are bad rows.
    public static func importFile(_ url: URL, options: ImportOptions = ImportOptions(), in session: LedgerSession) async throws -> ImportOutcome {
        let document = try sheet(url, options: options)
        let report = try await session.write { db in try apply(document, options: options, on: db) }
        return try ImportSheet.committed(report, of: document, options: options)
    }
}
