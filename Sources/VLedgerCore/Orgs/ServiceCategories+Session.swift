import Foundation
import PostgresLibPQ

extension ServiceCategories {
    /// The catalogue for a person of the HTTP service (the new-activity page's picker).
    public static func list(in session: LedgerSession) async throws -> [ServiceCategory] {
        try await session.read { db in try list(on: db) }
    }

    public static func add(code: String, name: String, parent: String?, in session: LedgerSession) async throws -> ServiceCategory {
        try await session.write { db in try add(code: code, name: name, parent: parent, on: db) }
    }
}
