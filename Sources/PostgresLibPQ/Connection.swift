import CLibPQ
import Foundation

/// One PostgreSQL connection, used by one caller at a time.
///
/// The actor runs on its own serial queue: the blocking libpq calls made in its methods never
/// hold a thread of Swift's cooperative pool. Work that must not interleave with other callers
/// (a transaction, a COPY) is a synchronous closure that receives the isolated connection.
public actor Connection {
    private nonisolated let executor: SerialQueueExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private var owned: OwnedConnection?
    private var transactionDepth = 0
    /// The string this connection was opened with, for `queryOnOwnSession`.
    private var connectionString: String?
    private var handle: OpaquePointer? { owned?.pointer }

    private init(label: String) {
        executor = SerialQueueExecutor(label: label)
    }

    /// Opens a connection from any libpq connection string (URL or key=value).
    /// The session speaks UTF-8 and ISO dates, and reads and prints timestamps in UTC, so that
    /// nothing depends on the server's or the user's settings.
    public static func connect(_ connectionString: String, applicationName: String = "vledger") async throws -> Connection {
        let connection = Connection(label: "postgres.connection")
        try await connection.open(connectionString, applicationName: applicationName)
        return connection
    }

    private func open(_ connectionString: String, applicationName: String) throws {
        let opened = connectionString.withCString { PQconnectdb($0) }
        guard let opened else {
            throw PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(opened) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(opened)).oneLine
            PQfinish(opened)  // also after a failed connect: libpq allocated it
            throw PostgresError(kind: .connectionFailed, message: message)
        }
        owned = OwnedConnection(opened)
        self.connectionString = connectionString
        // libpq prints server notices and warnings to standard error by default; vledger's
        // standard error carries only its own progress and one-line errors.
        PQsetNoticeProcessor(opened, { _, _ in }, nil)
        try execute("SET client_encoding = 'UTF8'")
        try execute("SET DateStyle = 'ISO, YMD'")
        try execute("SET TimeZone = 'UTC'")
        try execute("SET IntervalStyle = 'iso_8601'")
        try execute("SELECT set_config('application_name', \(applicationName), false)")
    }

    /// Closes the connection now rather than when the last reference goes.
    public func close() {
        owned = nil
    }

    /// False once the connection is closed or broken; a pool drops such connections.
    /// Also notices a server that hung up while the connection sat idle (a terminated session, a
    /// restarted server), which libpq otherwise learns only when the next statement fails.
    public var isUsable: Bool {
        guard let handle else { return false }
        readPendingInput(handle)
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Reads whatever the server sent unasked, without waiting. A session that was ended sends
    /// its reason and then closes: the first read takes the message, a later one meets the end
    /// of the stream, and libpq marks the connection bad.
    private func readPendingInput(_ handle: OpaquePointer) {
        guard PQtransactionStatus(handle) == PQTRANS_IDLE else { return }
        for _ in 0..<4 {
            var socket = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard socket.fd >= 0, poll(&socket, 1, 0) == 1 else { return }
            guard PQconsumeInput(handle) == 1 else { return }
        }
    }

    /// The server's process id for this session (for pg_terminate_backend and diagnostics).
    public var backendPID: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    func liveHandle(for query: String) throws -> OpaquePointer {
        guard let handle else {
            throw PostgresError(kind: .connectionLost, message: "the connection is closed", query: query)
        }
        return handle
    }

    /// Runs one parameterised statement and returns its rows.
    @discardableResult
    public func query(_ sql: SQL) throws -> QueryResult {
        let (text, parameters) = sql.rendered
        return try Self.execParams(try liveHandle(for: text), text, parameters)
    }

    /// `PQexecParams` for every statement with parameters, on whichever session runs it. A value
    /// with a NUL character is refused here: C strings end at the first NUL, so libpq would send
    /// the text before it and the statement would run on a value nobody typed.
    @discardableResult
    static func execParams(_ connection: OpaquePointer, _ text: String, _ parameters: [String?]) throws -> QueryResult {
        if let bad = parameters.firstIndex(where: { $0?.utf8.contains(0) == true }) {
            throw PostgresError(kind: .server, sqlState: SQLState("22021"), message: "parameter $\(bad + 1) contains a NUL character", query: text)
        }
        // libpq wants `const char * const *`; strdup gives each value a lifetime we control.
        let copies: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        let result = pointers.withUnsafeBufferPointer { values in
            text.withCString { command in
                PQexecParams(connection, command, Int32(values.count), nil, values.baseAddress, nil, nil, 0)
            }
        }
        return try ResultCheck.consume(result, connection: connection, query: text)
    }

    /// Same as `query`, for statements whose rows are not needed.
    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        try query(sql).affectedRows
    }

    /// Runs a script of several statements without parameters (migrations). The text must come
    /// from the program's own files, never from a user.
    public func executeScript(unsafeSQL script: String) throws {
        let connection = try liveHandle(for: "script")
        let result = script.withCString { PQexec(connection, $0) }
        _ = try ResultCheck.consume(result, connection: connection, query: "script")
    }

    public enum IsolationLevel: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// Nested calls become savepoints, so a helper can be transactional on its own and inside a caller's transaction.
    @discardableResult
    public func transaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted, readOnly: Bool = false,
        _ body: @Sendable (isolated Connection) throws -> T
    ) throws -> T {
        let savepoint = transactionDepth > 0 ? "vledger_sp_\(transactionDepth)" : nil
        if let savepoint {
            try execute("SAVEPOINT \(unsafeRaw: savepoint)")
        } else {
            try execute("BEGIN ISOLATION LEVEL \(unsafeRaw: isolation.rawValue)\(unsafeRaw: readOnly ? " READ ONLY" : "")")
        }
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        let value: T
        do {
            value = try body(self)
        } catch {
            // The original error is what the caller needs; a failed rollback on a dead connection adds nothing.
            if let savepoint {
                _ = try? execute("ROLLBACK TO SAVEPOINT \(unsafeRaw: savepoint)")
            } else {
                _ = try? execute("ROLLBACK")
            }
            throw error
        }
        if let handle, PQtransactionStatus(handle) == PQTRANS_INERROR {
            // The body caught an SQL error and went on. The server would answer COMMIT with a
            // silent ROLLBACK, so returning normally would report writes that never happened.
            if let savepoint {
                _ = try? execute("ROLLBACK TO SAVEPOINT \(unsafeRaw: savepoint)")
            } else {
                _ = try? execute("ROLLBACK")
            }
            throw PostgresError(
                kind: .server, sqlState: SQLState("25P02"),
                message: "the transaction was rolled back: a statement in it failed and its error was caught, so nothing in it was kept"
            )
        }
        if let savepoint {
            try execute("RELEASE SAVEPOINT \(unsafeRaw: savepoint)")
        } else {
            try execute("COMMIT")
        }
        return value
    }

    /// True inside `transaction` (a statement now would be part of it).
    public var inTransaction: Bool { transactionDepth > 0 }

    /// Runs one statement on a session of its own, opened with the same connection string and
    /// committed on its own whatever this connection's transaction does afterwards (for what must
    /// stay recorded even when the caller's transaction is rolled back). The session takes on the
    /// role this connection acts as now (`SET LOCAL ROLE`, as a service login does for a person),
    /// so the statement is counted against the same person.
    @discardableResult
    public func queryOnOwnSession(_ sql: SQL) throws -> QueryResult {
        guard let connectionString else {
            throw PostgresError(kind: .connectionLost, message: "the connection is closed")
        }
        let role: String = try query("SELECT current_setting('role')").single().decode(0)
        let (text, parameters) = sql.rendered
        guard let opened = connectionString.withCString({ PQconnectdb($0) }) else {
            throw PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection")
        }
        let own = OwnedConnection(opened)
        guard PQstatus(opened) == CONNECTION_OK else {
            throw PostgresError(kind: .connectionFailed, message: String(cString: PQerrorMessage(opened)).oneLine)
        }
        PQsetNoticeProcessor(opened, { _, _ in }, nil)
        _ = try ResultCheck.consume(PQexec(opened, "SET client_encoding = 'UTF8'"), connection: opened, query: "SET client_encoding")
        if role != "none" {
            try Self.execParams(opened, "SELECT set_config('role', $1, false)", [role])
        }
        let rows = try Self.execParams(opened, text, parameters)
        withExtendedLifetime(own) {}
        return rows
    }

    /// Runs `body` with exclusive use of the connection but no transaction of its own.
    @discardableResult
    public func withIsolated<T: Sendable>(_ body: @Sendable (isolated Connection) throws -> T) rethrows -> T {
        try body(self)
    }
}

/// Owns a `PGconn`: `PQfinish` runs exactly once, when the last reference goes. Only the
/// `Connection` actor holds one, and only touches it from its own executor.
final class OwnedConnection: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        PQfinish(pointer)
    }
}
