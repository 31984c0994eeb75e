import Foundation
import PostgresLibPQ

/// Where a service call runs and for whom: one connection, and for the HTTP service the person
/// the transaction acts for (`SET LOCAL ROLE person`, the contract of migration 0070). The CLI
/// passes its own connection and no person (the login is the person).
///
/// Services choose the kind of transaction (`read`, `snapshot`, `write`) and the retry of
/// deadlock and serialization victims here, once, so both front ends share the choice.
public struct LedgerSession: Sendable {
    /// Whom a transaction acts for, when not the login itself.
    public enum Acting: Sendable, Equatable {
        /// A person of app_user, by login.
        case person(String)
        /// The person of a live `vledger serve` session (SHA-256 of its token, hex): resolved and
        /// taken on in the transaction's first statement, so one transaction serves a request.
        case webSession(tokenHashHex: String)
    }

    public let connection: Connection
    /// nil: the login itself.
    public let acting: Acting?

    public init(_ connection: Connection, actingFor person: String? = nil) {
        self.connection = connection
        self.acting = person.map { .person($0) }
    }

    public init(_ connection: Connection, webSession tokenHashHex: String) {
        self.connection = connection
        self.acting = .webSession(tokenHashHex: tokenHashHex)
    }

    /// A write: READ COMMITTED, replayed when PostgreSQL chose it as a deadlock or serialization
    /// victim (nothing of it was committed).
    public func write<T: Sendable>(_ body: @escaping @Sendable (isolated Connection) throws -> T) async throws -> T {
        let person = acting
        return try await LedgerRetry.transaction(connection) { db in
            try Self.actAs(person, on: db)
            return try body(db)
        }
    }

    /// Reads that need no single snapshot.
    public func read<T: Sendable>(_ body: @escaping @Sendable (isolated Connection) throws -> T) async throws -> T {
        let person = acting
        return try await connection.transaction(readOnly: true) { db in
            try Self.actAs(person, on: db)
            return try body(db)
        }
    }

    /// Reads that must agree with each other (figures, statements): one REPEATABLE READ snapshot.
    public func snapshot<T: Sendable>(_ body: @escaping @Sendable (isolated Connection) throws -> T) async throws -> T {
        let person = acting
        return try await connection.transaction(isolation: .repeatableRead, readOnly: true) { db in
            try Self.actAs(person, on: db)
            return try body(db)
        }
    }

    /// `SET LOCAL ROLE person`, the name sent as a parameter (set_config checks membership as
    /// SET ROLE does), so no identifier is ever spliced. A web session's person comes from
    /// `vl_session_resolve` in the same statement; none (unknown, expired, revoked): 401.
    static func actAs(_ acting: Acting?, on db: isolated Connection) throws {
        switch acting {
        case .none:
            return
        case .person(let login):
            try db.execute("SELECT set_config('role', \(login), true)")
        case .webSession(let hash):
            guard try db.query("SELECT set_config('role', s.login, true) FROM vl_session_resolve(decode(\(hash), 'hex')) s").first != nil
            else { throw UserFacingError(.unauthenticated, code: "session_invalid") }
        }
    }
}
