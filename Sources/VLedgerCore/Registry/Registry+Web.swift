import Foundation
import PostgresLibPQ

extension VolunteerQueries {
    /// Registered volunteers with no approved hours in `year` (`vledger volunteer list --inactive`),
    /// for a person of the HTTP service: the outreach list.
    public static func inactive(year: Int, asOf: CalendarDate? = nil, district: String? = nil,
                                in session: LedgerSession) async throws -> [VolunteerListing] {
        try await session.read { db in try inactive(year: year, asOf: asOf, district: district, on: db) }
    }
}
