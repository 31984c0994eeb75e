/// A small pool of connections for concurrent callers. Each caller gets a connection to itself
/// for the duration of `withConnection`; callers beyond `maxConnections` wait in order.
public actor ConnectionPool {
    public let connectionString: String
    public let maxConnections: Int
    private var idle: [Connection] = []
    private var opened = 0
    /// A waiter is resumed with a connection, or with nil meaning "a slot is free: open your own".
    private var waiters: [CheckedContinuation<Connection?, Never>] = []
    private var closed = false

    public init(connectionString: String, maxConnections: Int = 4) {
        precondition(maxConnections > 0)
        self.connectionString = connectionString
        self.maxConnections = maxConnections
    }

    @discardableResult
    public func withConnection<T: Sendable>(_ body: @Sendable (Connection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            await release(connection)
            return value
        } catch {
            await release(connection)
            throw error
        }
    }

    /// How many callers are waiting for a connection now (for diagnostics and tests).
    public var waiterCount: Int { waiters.count }

    /// Connections open now, and how many of them are in use (for a service's metrics).
    public var usage: (open: Int, inUse: Int) { (opened, opened - idle.count) }

    /// Closes idle connections; later calls fail.
    public func close() async {
        closed = true
        let connections = idle
        idle.removeAll()
        opened -= connections.count
        for connection in connections { await connection.close() }
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }

    private func acquire() async throws -> Connection {
        while true {
            guard !closed else { throw PostgresError(kind: .connectionFailed, message: "the connection pool is closed") }
            if let connection = idle.popLast() {
                if await connection.isUsable { return connection }
                // Its session ended while it sat idle: replace it rather than hand out a dead one.
                await connection.close()
                opened -= 1
                continue
            }
            if opened < maxConnections {
                opened += 1
                do {
                    return try await Connection.connect(connectionString)
                } catch {
                    opened -= 1
                    wakeOne()
                    throw error
                }
            }
            if let connection = await withCheckedContinuation({ waiters.append($0) }) {
                return connection
            }
        }
    }

    private func release(_ connection: Connection) async {
        if await connection.isUsable, !closed {
            if waiters.isEmpty {
                idle.append(connection)
            } else {
                waiters.removeFirst().resume(returning: connection)
            }
        } else {
            // Broken, or left inside a transaction: never hand it to someone else.
            await connection.close()
            opened -= 1
            wakeOne()
        }
    }

    private func wakeOne() {
        if !waiters.isEmpty { waiters.removeFirst().resume(returning: nil) }
    }
}
