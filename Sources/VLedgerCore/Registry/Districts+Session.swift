import Foundation
import PostgresLibPQ

// The districts' calls with their transactions chosen here (see `LedgerSession`).

extension Districts {
    public static func add(code: String, name: String, builtUp: Bool, in session: LedgerSession) async throws -> District {
        try await session.write { db in try add(code: code, name: name, builtUp: builtUp, on: db) }
    }

    public static func list(in session: LedgerSession) async throws -> [District] {
        try await session.read { db in try list(on: db) }
    }
}
