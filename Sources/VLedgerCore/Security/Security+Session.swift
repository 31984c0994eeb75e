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

    public static func add(login: String, role: UserRole, districtCode: String?, password: String?, displayName: String? = nil,
                           in session: LedgerSession) async throws {
        try await session.write { db in
            try add(login: login, role: role, districtCode: districtCode, password: password, displayName: displayName, on: db)
        }
    }
}

extension WebSessions {
    public static func open(tokenHashHex: String, lifetimeSeconds: Int, clientAddress: String?, in session: LedgerSession) async throws -> Opened {
        try await session.write { db in try open(tokenHashHex: tokenHashHex, lifetimeSeconds: lifetimeSeconds, clientAddress: clientAddress, on: db) }
    }

    @discardableResult
    public static func close(tokenHashHex: String, in session: LedgerSession) async throws -> Bool {
        try await session.write { db in try close(tokenHashHex: tokenHashHex, on: db) }
    }

    public static func list(in session: LedgerSession) async throws -> [WebSessionRow] {
        try await session.read { db in try list(on: db) }
    }

    @discardableResult
    public static func revoke(id: Int64, in session: LedgerSession) async throws -> Bool {
        try await session.write { db in try revoke(id: id, on: db) }
    }
}
