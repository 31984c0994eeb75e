import Foundation
import PostgresLibPQ

// The audit trail's and the accounts' calls with their transactions chosen here (see `LedgerSession`).

extension AuditTrail {
    /// `since` is read in the city's time zone, from the settings of the same transaction.
    public static func log(table: String?, since: TimeInput?, limit: Int, in session: LedgerSession) async throws -> [Entry] {
        try await session.read { db in
            let instant = try since.map { try $0.resolve(timeZone: Settings.load(db).timeZone, on: db) }
            return try log(table: table, since: instant, limit: limit, on: db)
        }
    }

    /// One snapshot: every link and every table image is read as of the same moment.
    public static func verify(anchor: (id: Int64, hash: String)?, in session: LedgerSession) async throws -> Verification {
        try await session.snapshot { db in try verify(anchor: anchor, on: db) }
    }

    public static func head(in session: LedgerSession) async throws -> Head? {
        try await session.read { db in try head(on: db) }
    }
}

extension UserAccounts {
    public static func list(in session: LedgerSession) async throws -> [UserAccount] {
        try await session.read { db in try list(on: db) }
    }
}
