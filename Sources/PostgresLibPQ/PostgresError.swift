/// Every failure of the PostgreSQL layer. The SQLSTATE and the server's fields are kept, typed,
/// so callers decide on codes, never on message text.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The connection could not be opened.
        case connectionFailed
        /// The connection broke while in use. Whatever was in flight is unknown to the caller:
        /// it is never replayed automatically, because a replay outside its transaction double-writes.
        case connectionLost
        /// The server answered with an error (see `sqlState`).
        case server
        /// A value could not be turned into the Swift type asked for.
        case decoding
        /// libpq or the server did something this layer does not expect.
        case protocolViolation
    }

    public var kind: Kind
    /// Five-character SQLSTATE, e.g. "23505" for a unique violation.
    public var sqlState: SQLState?
    public var message: String
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var table: String?
    public var column: String?
    /// Statement text that failed (never includes parameter values).
    public var query: String?

    public init(
        kind: Kind, sqlState: SQLState? = nil, message: String, detail: String? = nil, hint: String? = nil,
        constraint: String? = nil, table: String? = nil, column: String? = nil, query: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
        self.query = query
    }

    /// Safe to show a user: no server detail (which may echo personal data in key values).
    public var description: String {
        switch kind {
        case .connectionFailed: return "cannot connect to PostgreSQL: \(message)"
        case .connectionLost: return "the connection to PostgreSQL was lost; the last statement may not have completed: \(message)"
        case .server:
            return "database error \(sqlState?.code ?? "?????")\(constraint.map { " (\($0))" } ?? ""): \(message)"
        case .decoding: return "cannot read database value: \(message)"
        case .protocolViolation: return "unexpected PostgreSQL behaviour: \(message)"
        }
    }

    public var debugDescription: String {
        var parts = [description]
        if let detail { parts.append("detail: \(detail)") }
        if let hint { parts.append("hint: \(hint)") }
        if let table { parts.append("table: \(table)") }
        if let column { parts.append("column: \(column)") }
        if let query { parts.append("query: \(query)") }
        return parts.joined(separator: "; ")
    }
}

/// A SQLSTATE code, with names for the ones vledger reacts to.
public struct SQLState: Hashable, Sendable, CustomStringConvertible {
    public let code: String
    public init(_ code: String) { self.code = code }
    public var description: String { code }

    /// The class is the first two characters: "23" integrity constraint violation, "08" connection exception.
    public var errorClass: String { String(code.prefix(2)) }

    public static let uniqueViolation = SQLState("23505")
    public static let foreignKeyViolation = SQLState("23503")
    public static let notNullViolation = SQLState("23502")
    public static let checkViolation = SQLState("23514")
    public static let exclusionViolation = SQLState("23P01")
    public static let raiseException = SQLState("P0001")
    public static let serializationFailure = SQLState("40001")
    public static let deadlockDetected = SQLState("40P01")
    public static let insufficientPrivilege = SQLState("42501")
    public static let undefinedTable = SQLState("42P01")
    public static let duplicateDatabase = SQLState("42P04")
    public static let invalidTextRepresentation = SQLState("22P02")
    public static let invalidDatetimeFormat = SQLState("22007")
    public static let datetimeFieldOverflow = SQLState("22008")
    public static let adminShutdown = SQLState("57P01")
    public static let queryCanceled = SQLState("57014")
}
