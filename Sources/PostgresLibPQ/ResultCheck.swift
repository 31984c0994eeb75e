import CLibPQ

/// The one place a `PGresult` is judged. Every libpq call that returns a result goes through
/// `consume`, which turns it into a `QueryResult` or a typed `PostgresError` and always clears it.
enum ResultCheck {
    static func consume(
        _ result: OpaquePointer?, connection: OpaquePointer, query: String,
        accepting accepted: [ExecStatusType] = [PGRES_COMMAND_OK, PGRES_TUPLES_OK]
    ) throws -> QueryResult {
        defer { PQclear(result) }
        guard let result else {
            throw connectionError(connection, query: query, fallback: "no result from the server")
        }
        let status = PQresultStatus(result)
        if accepted.contains(status) {
            return read(result)
        }
        if status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR {
            if PQstatus(connection) == CONNECTION_BAD {
                throw connectionError(connection, query: query, fallback: field(result, "M") ?? "connection closed")
            }
            throw serverError(result, query: query)
        }
        throw PostgresError(
            kind: .protocolViolation,
            message: "unexpected result status \(String(cString: PQresStatus(status)))",
            query: query
        )
    }

    static func serverError(_ result: OpaquePointer, query: String?) -> PostgresError {
        let message = field(result, "M") ?? String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines
        return PostgresError(
            kind: .server,
            sqlState: field(result, "C").map(SQLState.init),
            message: message,
            detail: field(result, "D"),
            hint: field(result, "H"),
            constraint: field(result, "n"),
            table: field(result, "t"),
            column: field(result, "c"),
            query: query
        )
    }

    static func connectionError(_ connection: OpaquePointer, query: String?, fallback: String) -> PostgresError {
        let text = String(cString: PQerrorMessage(connection)).trimmingTrailingNewlines
        let lost = PQstatus(connection) == CONNECTION_BAD
        return PostgresError(
            kind: lost ? .connectionLost : .protocolViolation,
            sqlState: lost ? SQLState("08006") : nil,
            message: text.isEmpty ? fallback : text,
            query: query
        )
    }

    private static func field(_ result: OpaquePointer, _ code: Character) -> String? {
        guard let ascii = code.asciiValue, let pointer = PQresultErrorField(result, Int32(ascii)) else { return nil }
        return String(cString: pointer)
    }

    private static func read(_ result: OpaquePointer) -> QueryResult {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns: [QueryResult.Column] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            // A COPY result has columns but no names (PQfname gives NULL).
            let name = PQfname(result, Int32(column)).map { String(cString: $0) } ?? ""
            columns.append(.init(name: name, typeOID: PQftype(result, Int32(column))))
        }
        var values: [String?] = []
        values.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(result, row, column))
                    let pointer = UnsafeRawPointer(PQgetvalue(result, row, column)!)
                    values.append(String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self))
                }
            }
        }
        let tuples = String(cString: PQcmdTuples(result))
        return QueryResult(columns: columns, values: values, affectedRows: Int(tuples) ?? rowCount)
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
