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

    /// A link of the chain as an anchor: filed outside the database, checked later with
    /// `audit verify --anchor ID:HASH`.
    public struct Head: Sendable, Equatable {
        public let id: Int64
        public let hash: String
        /// UTC, microseconds, as the link's hash covers it.
        public let recordedAt: String?

        public init(id: Int64, hash: String, recordedAt: String?) {
            self.id = id
            self.hash = hash
            self.recordedAt = recordedAt
        }

        public var anchor: String { "\(id):\(hash)" }

        public var json: JSONValue {
            .object([("id", .int(id)), ("hash", .string(hash)), ("recorded_at", recordedAt.map { .string($0) } ?? .null)])
        }

        /// `ID:HASH` as `audit head` prints it.
        public static func parse(anchor text: String) throws -> (id: Int64, hash: String) {
            let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let id = Int64(parts[0]), id > 0,
                  parts[1].count == 64, parts[1].allSatisfy({ $0.isHexDigit }) else {
                throw RuleViolation(field: "anchor", value: text, code: "audit_anchor_format")
            }
            return (id, parts[1].lowercased())
        }
    }

    /// The head of the chain as recorded at `moment` (the last link written by then; nil: now).
    /// Nil for an empty trail. Readable by every role (vl_audit_head_at, 0081).
    public static func head(at moment: Date? = nil, on db: isolated Connection) throws -> Head? {
        guard let row = try db.query("SELECT id, hash, recorded_at FROM vl_audit_head_at(\(moment)) WHERE id IS NOT NULL").first else {
            return nil
        }
        return Head(id: try row.decode(0), hash: try row.decode(1), recordedAt: try row.decode(2, as: String?.self))
    }

    /// Recomputes the chain; compares every audited table's rows with the trail's last images of
    /// them (a change made with the triggers off, 0081); with an anchor, checks that the chain
    /// still holds that link with that hash.
    public static func verify(anchor: (id: Int64, hash: String)? = nil, on db: isolated Connection) throws -> Verification {
        var broken = try db.query("SELECT link_id, problem FROM vl_audit_verify()").first.map { row in
            (try row.decode(0, as: Int64?.self), try row.decode(1, as: String.self))
        }
        if broken == nil, let anchor,
           let problem = try db.query("SELECT vl_audit_verify_anchor(\(anchor.id), \(anchor.hash))").single().decode(0, as: String?.self) {
            broken = (anchor.id, "anchor \(anchor.id):\(anchor.hash): " + problem)
        }
        if broken == nil, let row = try db.query("SELECT table_name, row_key::text, problem FROM vl_audit_verify_rows() LIMIT 1").first {
            let table: String = try row.decode(0)
            let key = try row.decode(1, as: String?.self) ?? "(no key)"
            broken = (nil, "\(table) \(key): " + (try row.decode(2, as: String.self)))
        }
        let head = try db.query("""
            SELECT (SELECT count(*) FROM audit_chain), (SELECT count(*) FROM audit_log),
                   (SELECT id FROM audit_chain ORDER BY id DESC LIMIT 1), (SELECT hash FROM audit_chain ORDER BY id DESC LIMIT 1)
            """).single()
        return Verification(
            links: try head.decode(0), rows: try head.decode(1),
            headLink: try head.decode(2, as: Int64?.self), headHash: try head.decode(3, as: String?.self),
            brokenLink: broken?.0, problem: broken?.1)
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
