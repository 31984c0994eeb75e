import Foundation
import PostgresLibPQ

/// Where a service call runs and for whom: one connection, and for the HTTP service the person
/// the transaction acts for (`SET LOCAL ROLE person`, the contract of migration 0070). The CLI
/// passes its own connection and no person (the login is the person).
///
/// Services choose the kind of transaction (`read`, `snapshot`, `write`) and the retry of
/// deadlock and serialization victims here, once, so both front ends share the choice.
public struct LedgerSession: Sendable {
    public let connection: Connection
    /// The person to act for; nil: the login itself.
    public let actingFor: String?

    public init(_ connection: Connection, actingFor: String? = nil) {
        self.connection = connection
        self.actingFor = actingFor
    }

    /// A write: READ COMMITTED, replayed when PostgreSQL chose it as a deadlock or serialization
    /// victim (nothing of it was committed).
    public func write<T: Sendable>(_ body: @escaping @Sendable (isolated Connection) throws -> T) async throws -> T {
        let person = actingFor
        return try await LedgerRetry.transaction(connection) { db in
            try Self.actAs(person, on: db)
            return try body(db)
        }
    }

    /// Reads that need no single snapshot.
    public func read<T: Sendable>(_ body: @escaping @Sendable (isolated Connection) throws -> T) async throws -> T {
        let person = actingFor
        return try await connection.transaction(readOnly: true) { db in
            try Self.actAs(person, on: db)
            return try body(db)
        }
    }

    /// Reads that must agree with each other (figures, statements): one REPEATABLE READ snapshot.
    public func snapshot<T: Sendable>(_ body: @escaping @Sendable (isolated Connection) throws -> T) async throws -> T {
        let person = actingFor
        return try await connection.transaction(isolation: .repeatableRead, readOnly: true) { db in
            try Self.actAs(person, on: db)
            return try body(db)
        }
    }

    /// `SET LOCAL ROLE person`, the name sent as a parameter (set_config checks membership as
    /// SET ROLE does), so no identifier is ever spliced.
    static func actAs(_ person: String?, on db: isolated Connection) throws {
        guard let person else { return }
        try db.execute("SELECT set_config('role', \(person), true)")
    }
}
