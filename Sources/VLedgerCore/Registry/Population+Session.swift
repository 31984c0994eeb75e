import Foundation
import PostgresLibPQ

extension Population {
    /// `vledger population set` for a person of the HTTP service, from a form's text: a new
    /// revision, the earlier ones kept (the database's grants decide who may write it).
    public static func set(district: String, yearText: String, residentsText: String, source: String?,
                           in session: LedgerSession) async throws -> PopulationFigure {
        try await set(district: district, year: try self.year(text: yearText), residentsText: residentsText, source: source, in: session)
    }

    /// `vledger population set`: the year is a number already, the residents as typed.
    public static func set(district: String, year: Int, residentsText: String, source: String?,
                           in session: LedgerSession) async throws -> PopulationFigure {
        let residents = try self.residents(text: residentsText)
        return try await session.write { db in try set(district: district, year: year, residents: residents, source: source, on: db) }
    }

    public static func importFile(_ url: URL, options: ImportOptions = ImportOptions(), in session: LedgerSession) async throws -> ImportOutcome {
        let document = try ImportSheet.read(url, options: options, aliases: HeaderAliases.populations, required: importColumns)
        let report = try await session.write { db in try apply(document, options: options, on: db) }
        return try ImportSheet.committed(report, of: document, options: options)
    }

    /// A year as typed; not a number gets the year rule's message.
    public static func year(text: String, field: String = "year") throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Int(trimmed) else { throw RuleViolation(field: field, value: String(trimmed.prefix(20)), code: "population_year_range") }
        return try year(value, field: field)
    }
}
