import CLibPQ

extension Connection {
    /// Bulk load with `COPY … FROM STDIN` (text format). `body` writes rows; they are streamed to
    /// the server in large chunks. If `body` throws, the COPY is aborted and nothing is loaded.
    /// Returns the number of rows the server loaded.
    @discardableResult
    public func copyIn(_ sql: SQL, _ body: (CopyWriter) throws -> Void) throws -> Int {
        let (text, parameters) = sql.rendered
        guard parameters.isEmpty else {
            throw PostgresError(kind: .protocolViolation, message: "COPY statements cannot take parameters", query: text)
        }
        let connection = try liveHandle(for: text)
        let start = text.withCString { PQexec(connection, $0) }
        _ = try ResultCheck.consume(start, connection: connection, query: text, accepting: [PGRES_COPY_IN])

        let writer = CopyWriter(connection: connection, query: text)
        var failure: (any Error)?
        do {
            try body(writer)
            try writer.flush()
        } catch {
            failure = error
        }
        let ended = failure == nil ? PQputCopyEnd(connection, nil) : PQputCopyEnd(connection, "aborted by the client")
        if ended != 1 {
            failure = failure ?? ResultCheck.connectionError(connection, query: text, fallback: "could not end COPY")
        }
        // Every result is read and cleared, including the error result of an aborted COPY.
        var loaded = 0
        while let result = PQgetResult(connection) {
            do {
                loaded = try ResultCheck.consume(result, connection: connection, query: text).affectedRows
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return loaded
    }
}

/// Encodes rows in COPY text format and sends them in chunks. Lengths are UTF-8 byte counts.
public final class CopyWriter {
    private let connection: OpaquePointer
    private let query: String
    private var buffer: [UInt8] = []
    private let chunkSize = 1 << 18
    public private(set) var rowsWritten = 0

    init(connection: OpaquePointer, query: String) {
        self.connection = connection
        self.query = query
        buffer.reserveCapacity(chunkSize + 4096)
    }

    /// One row; nil is SQL NULL. A refused row leaves nothing in the stream, so a caller may skip it and go on.
    public func write(_ fields: [String?]) throws {
        let rowStart = buffer.count
        do {
            try encode(fields)
        } catch {
            buffer.removeSubrange(rowStart...)
            throw error
        }
        rowsWritten += 1
        if buffer.count >= chunkSize { try flush() }
    }

    private func encode(_ fields: [String?]) throws {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(0x09) }
            guard let field else {
                buffer.append(0x5C)
                buffer.append(0x4E)  // \N
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case 0x5C: buffer.append(0x5C); buffer.append(0x5C)
                case 0x0A: buffer.append(0x5C); buffer.append(0x6E)
                case 0x0D: buffer.append(0x5C); buffer.append(0x72)
                case 0x09: buffer.append(0x5C); buffer.append(0x74)
                case 0x00:
                    throw PostgresError(kind: .server, sqlState: SQLState("22021"), message: "COPY value contains a NUL character", query: query)
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(0x0A)
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBytes { bytes in
            PQputCopyData(connection, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        guard sent == 1 else {
            throw ResultCheck.connectionError(connection, query: query, fallback: "could not send COPY data")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
