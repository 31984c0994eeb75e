import Foundation
import PostgresLibPQ

/// Reading and checking the audit trail written by the triggers of migration 0041.
public enum AuditTrail {
    public struct Verification: Sendable, Equatable {
        public let links: Int64
        public let rows: Int64
        /// Hash of the last link: write it down with a filed report; a later verify that prints
        /// another head for the same link number means the history was rewritten.
        public let headLink: Int64?
        public let headHash: String?
        /// The first link that is not what it was written as, and why; nil when intact.
        public let brokenLink: Int64?
        public let problem: String?

        public var intact: Bool { problem == nil }
    }

    public static func verify(on db: isolated Connection) throws -> Verification {
        let broken = try db.query("SELECT link_id, problem FROM vl_audit_verify()").first
        let head = try db.query("""
            SELECT (SELECT count(*) FROM audit_chain), (SELECT count(*) FROM audit_log),
                   (SELECT id FROM audit_chain ORDER BY id DESC LIMIT 1), (SELECT hash FROM audit_chain ORDER BY id DESC LIMIT 1)
            """).single()
        return Verification(
            links: try head.decode(0), rows: try head.decode(1),
            headLink: try head.decode(2, as: Int64?.self), headHash: try head.decode(3, as: String?.self),
            brokenLink: try broken?.decode(0, as: Int64?.self), problem: try broken?.decode(1, as: String?.self))
    }

    public struct Entry: Sendable, Equatable {
        public let link: Int64
        public let ordinal: Int?
        public let recordedAt: Date
        public let sessionLogin: String
        public let currentLogin: String
        public let table: String
        public let operation: String
        public let key: String?
        public let oldRow: String?
        public let newRow: String?
    }

    /// Newest first. `table` and `since` filter; personal data in the rows is already masked.
    public static func log(table: String?, since: Date?, limit: Int, on db: isolated Connection) throws -> [Entry] {
        var conditions: [SQL] = []
        if let table { conditions.append("table_name = \(table)") }
        if let since { conditions.append("recorded_at >= \(since)") }
        let filter: SQL = conditions.isEmpty ? "" : "WHERE " + SQL.joined(conditions, separator: " AND ")
        return try db.query("""
            SELECT link_id, ordinal, recorded_at, session_login, current_login, table_name, operation,
                   row_key::text, old_row::text, new_row::text
            FROM audit_trail \(filter)
            ORDER BY link_id DESC, ordinal
            LIMIT \(limit)
            """).map { row in
            Entry(
                link: try row.decode(0), ordinal: try row.decode(1, as: Int?.self), recordedAt: try row.decode(2),
                sessionLogin: try row.decode(3), currentLogin: try row.decode(4), table: try row.decode(5),
                operation: try row.decode(6), key: try row.decode(7, as: String?.self),
                oldRow: try row.decode(8, as: String?.self), newRow: try row.decode(9, as: String?.self))
        }
    }
}
