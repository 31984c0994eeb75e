import Foundation
import PostgresLibPQ

extension ServiceCategories {
    /// The catalogue for a person of the HTTP service (the new-activity page's picker).
    public static func list(in session: LedgerSession) async throws -> [ServiceCategory] {
        try await session.read { db in try list(on: db) }
    }
}
