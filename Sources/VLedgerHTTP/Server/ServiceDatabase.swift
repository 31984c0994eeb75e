import Foundation
import PostgresLibPQ
import VLedgerCore

/// The service's connections (as the service login) and the one way routes reach the ledger:
/// a `LedgerSession` acting for the person: the request's one transaction starts by resolving
/// the session and `SET LOCAL ROLE person` in one statement, and the database's grants,
/// row-level security, actor rules and audit trail apply as for that person's own login.
public struct ServiceDatabase: Sendable {
    public let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// Work for the person of a session (401 when it is not live).
    public func asPerson<T: Sendable>(_ person: Person, _ body: @Sendable (LedgerSession) async throws -> T) async throws -> T {
        try await pool.withConnection { connection in try await body(LedgerSession(connection, webSession: person.tokenHashHex)) }
    }

    /// Work for a named person before a session exists (opening it at sign-in).
    public func asLogin<T: Sendable>(_ login: String, _ body: @Sendable (LedgerSession) async throws -> T) async throws -> T {
        try await pool.withConnection { connection in try await body(LedgerSession(connection, actingFor: login)) }
    }

    /// The service itself: resolving sessions, the public statement check, health.
    public func asService<T: Sendable>(_ body: @Sendable (LedgerSession) async throws -> T) async throws -> T {
        try await pool.withConnection { connection in try await body(LedgerSession(connection)) }
    }
}
