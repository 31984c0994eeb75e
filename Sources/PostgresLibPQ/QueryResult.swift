/// The rows of a finished statement, copied out of libpq (the `PGresult` is already cleared).
public struct QueryResult: Sendable, RandomAccessCollection {
    public let columns: [Column]
    /// Rows affected by INSERT/UPDATE/DELETE/COPY, from the command tag.
    public let affectedRows: Int
    let values: [String?]

    public struct Column: Sendable, Equatable {
        public let name: String
        public let typeOID: UInt32
    }

    init(columns: [Column], values: [String?], affectedRows: Int) {
        self.columns = columns
        self.values = values
        self.affectedRows = affectedRows
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.isEmpty ? 0 : values.count / columns.count }
    public subscript(position: Int) -> Row { Row(result: self, index: position) }

    /// The only row; an error when there are none or several.
    public func single() throws -> Row {
        guard count == 1 else {
            throw PostgresError(kind: .decoding, message: "expected exactly one row, got \(count)")
        }
        return self[0]
    }

    func columnIndex(_ name: String) throws -> Int {
        guard let index = columns.firstIndex(where: { $0.name == name }) else {
            throw PostgresError(kind: .decoding, message: "no column named \"\(name)\" in the result")
        }
        return index
    }
}

/// One row of a `QueryResult`. Columns are read by position or name, into the Swift type asked for.
public struct Row: Sendable {
    let result: QueryResult
    let index: Int

    /// The raw text of a column (nil for NULL).
    public func text(_ column: Int) -> String? {
        result.values[index * result.columns.count + column]
    }

    public func isNull(_ column: Int) -> Bool { text(column) == nil }

    /// A non-NULL value; NULL or an incompatible column type is an error naming the column.
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws -> T {
        guard let value = try decode(column, as: Optional<T>.self) else {
            throw PostgresError(kind: .decoding, message: "column \"\(result.columns[column].name)\" is NULL, expected \(T.self)")
        }
        return value
    }

    /// A value that may be NULL.
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T?.Type = T?.self) throws -> T? {
        guard column >= 0, column < result.columns.count else {
            throw PostgresError(kind: .decoding, message: "column \(column) is out of range (\(result.columns.count) columns)")
        }
        let info = result.columns[column]
        if let accepted = T.acceptedTypes, !accepted.contains(info.typeOID) {
            let advice = info.typeOID == PostgresType.timestamp && accepted.contains(PostgresType.timestamptz)
                ? " (a timestamp without time zone names no instant: use timestamptz or AT TIME ZONE)" : ""
            throw PostgresError(
                kind: .decoding,
                message: "column \"\(info.name)\" is \(PostgresType.displayName(info.typeOID)), which cannot be read as \(T.self)\(advice)"
            )
        }
        guard let raw = text(column) else { return nil }
        guard let value = T(postgresText: raw) else {
            // The value itself stays out of the message: it may be personal data.
            throw PostgresError(
                kind: .decoding,
                message: "column \"\(info.name)\" holds a value that is not a valid \(T.self)\(Row.reason(raw, typeOID: info.typeOID))"
            )
        }
        return value
    }

    /// Why a value of a supported type may still not fit the Swift type.
    private static func reason(_ raw: String, typeOID: UInt32) -> String {
        if raw.hasSuffix(" BC") { return " (a BC date, before year 1)" }
        if raw.hasSuffix("infinity") || raw.hasSuffix("Infinity") || raw == "NaN" {
            return " (\(raw): not a finite value)"
        }
        if typeOID == PostgresType.numeric { return " (more significant digits than Decimal holds exactly)" }
        if typeOID == PostgresType.date { return " (outside the years 1 to 9999)" }
        return ""
    }

    public func decode<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try decode(try result.columnIndex(name), as: T.self)
    }

    public func decode<T: PostgresDecodable>(_ name: String, as type: T?.Type = T?.self) throws -> T? {
        try decode(try result.columnIndex(name), as: T?.self)
    }
}
