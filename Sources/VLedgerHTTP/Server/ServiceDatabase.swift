import Foundation
import PostgresLibPQ
import VLedgerCore

/// The service's connections (as the service login) and the one way routes reach the ledger:
/// a `LedgerSession` acting for the person, so every transaction starts with
/// `SET LOCAL ROLE person` and the database's grants, row-level security, actor rules and
/// audit trail apply as for that person's own login.
public struct ServiceDatabase: Sendable {
    public let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// Work for a signed-in person.
    public func asPerson<T: Sendable>(_ person: Person, _ body: @Sendable (LedgerSession) async throws -> T) async throws -> T {
        try await pool.withConnection { connection in try await body(LedgerSession(connection, actingFor: person.login)) }
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
