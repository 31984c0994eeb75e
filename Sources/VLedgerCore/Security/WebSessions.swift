import Foundation
import PostgresLibPQ

/// A session of `vledger serve` as an admin sees it: never the token or its hash.
public struct WebSessionRow: Sendable, Equatable {
    public let id: Int64
    public let login: String
    public let createdAt: Date
    public let expiresAt: Date
    public let revokedAt: Date?
    public let revokedBy: String?
    /// Cut to its network part by the database.
    public let clientAddress: String?
    public let live: Bool
}

/// Sessions of the HTTP service, through the owner-rights functions of migration 0130. The
/// token's SHA-256 arrives here as hex; the token itself never reaches the database.
public enum WebSessions {
    public struct Opened: Sendable, Equatable {
        public let id: Int64
        public let expiresAt: Date
    }

    public struct Resolved: Sendable, Equatable {
        public let id: Int64
        public let login: String
        public let expiresAt: Date
    }

    /// Opens a session for the person the transaction acts for.
    public static func open(tokenHashHex: String, lifetimeSeconds: Int, clientAddress: String?, on db: isolated Connection) throws -> Opened {
        let row = try db.query("""
            SELECT session_id, expires_at FROM vl_session_open(decode(\(tokenHashHex), 'hex'), make_interval(secs => \(lifetimeSeconds)), \(clientAddress))
            """).single()
        return Opened(id: try row.decode(0), expiresAt: try row.decode(1))
    }

    /// The live session of this token hash, if any (expired, revoked or unknown: nil).
    public static func resolve(tokenHashHex: String, on db: isolated Connection) throws -> Resolved? {
        guard let row = try db.query("SELECT session_id, login, expires_at FROM vl_session_resolve(decode(\(tokenHashHex), 'hex'))").first
        else { return nil }
        return Resolved(id: try row.decode(0), login: try row.decode(1), expiresAt: try row.decode(2))
    }

    /// Ends the acting person's own session; false when it was not live.
    @discardableResult
    public static func close(tokenHashHex: String, on db: isolated Connection) throws -> Bool {
        try db.query("SELECT vl_session_close(decode(\(tokenHashHex), 'hex'))").single().decode(0)
    }

    public static func list(on db: isolated Connection) throws -> [WebSessionRow] {
        try db.query("""
            SELECT session_id, login, created_at, expires_at, revoked_at, revoked_by, client_address, live FROM vl_session_list()
            """).map { row in
            WebSessionRow(
                id: try row.decode(0), login: try row.decode(1), createdAt: try row.decode(2), expiresAt: try row.decode(3),
                revokedAt: try row.decode(4, as: Date?.self), revokedBy: try row.decode(5, as: String?.self),
                clientAddress: try row.decode(6, as: String?.self), live: try row.decode(7))
        }
    }

    /// Revokes a session by its id (admins); false when it was already revoked.
    @discardableResult
    public static func revoke(id: Int64, on db: isolated Connection) throws -> Bool {
        try db.query("SELECT vl_session_revoke(\(id))").single().decode(0)
    }
}
