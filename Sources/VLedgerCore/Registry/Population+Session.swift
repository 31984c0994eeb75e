import Foundation
import PostgresLibPQ

extension Population {
    /// `vledger population set` for a person of the HTTP service, from a form's text: a new
    /// revision, the earlier ones kept (the database's grants decide who may write it).
    public static func set(district: String, yearText: String, residentsText: String, source: String?,
                           in session: LedgerSession) async throws -> PopulationFigure {
        let year = try self.year(text: yearText)
        let residents = try self.residents(text: residentsText)
        return try await session.write { db in try set(district: district, year: year, residents: residents, source: source, on: db) }
    }

    /// A year as typed; not a number gets the year rule's message.
    public static func year(text: String, field: String = "year") throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Int(trimmed) else { throw RuleViolation(field: field, value: String(trimmed.prefix(20)), code: "population_year_range") }
        return try year(value, field: field)
    }
}
