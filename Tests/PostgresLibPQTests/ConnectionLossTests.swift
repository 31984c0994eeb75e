import Foundation
import PostgresLibPQ
import Testing
import VLedgerTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A session that dies mid-transaction: the caller gets `.connectionLost` promptly, never a hang
/// or a crash, and the server keeps nothing of the unfinished transaction.
///
/// "Promptly" is checked without a clock: a statement that is cut off sleeps for an hour, so a
/// caller that learnt of the loss only when it ended would trip the hang guard (minutes, counted
/// from admission, never from the queue at TestGate).
struct ConnectionLossTests {
    /// Waits (off the cooperative pool's time, by polling) until `pid` is in `state` running a query like `pattern`.
    static func waitForBackend(_ pid: Int32, state: String, queryLike pattern: String, admin: Connection) async throws {
        try await waitUntil("backend \(pid) is \(state) running \(pattern)") {
            try await admin.query(
                "SELECT 1 FROM pg_stat_activity WHERE pid = \(pid) AND state = \(state) AND query LIKE \(pattern)"
            ).count == 1
        }
    }

    /// pg_terminate_backend waits this long (ms) for the session to end, and returns false if it
    /// has not: a hang bound for a busy machine, not an expected duration.
    static let terminateWait = 60_000

    static func expectLost(_ error: (any Error)?) {
        guard let lost = error as? PostgresError else {
            Issue.record("expected a PostgresError, got \(String(describing: error))")
            return
        }
        #expect(lost.kind == .connectionLost, "\(lost.debugDescription)")
        #expect(lost.description.hasPrefix("the connection to PostgreSQL was lost"))
        #expect(!lost.description.contains("\n"), "one line: \(lost.description)")
    }

    @Test func terminatedBetweenStatementsOfATransaction() async throws {
        try await withConnection(deadline: .seconds(300)) { database, connection in
            try await connection.execute("CREATE TABLE entry (id int)")
            let pid = await connection.backendPID
            let admin = try await database.connect()
            let killed = DispatchSemaphore(value: 0)
            // Should anything below throw, the blocked transaction body must still be let go.
            defer { killed.signal() }
            let writer = Task { () -> (any Error)? in
                do {
                    try await connection.transaction { db in
                        try db.execute("INSERT INTO entry VALUES (1)")
                        killed.wait()  // blocks the connection's own queue, not the cooperative pool
                        try db.execute("INSERT INTO entry VALUES (2)")
                    }
                    return nil
                } catch {
                    return error
                }
            }
            try await Self.waitForBackend(pid, state: "idle in transaction", queryLike: "INSERT%", admin: admin)
            #expect(try await admin.query("SELECT pg_terminate_backend(\(pid), \(Self.terminateWait))").single().decode(0, as: Bool.self))
            killed.signal()
            let error = await writer.value
            Self.expectLost(error)
            #expect(await !connection.isUsable)
            let again = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
            #expect(again?.kind == .connectionLost)
            #expect(try await committedCount("entry", in: database) == 0)
            await admin.close()
        }
    }

    @Test func terminatedDuringAStatementOfATransaction() async throws {
        try await withConnection(deadline: .seconds(300)) { database, connection in
            try await connection.execute("CREATE TABLE entry (id int)")
            let pid = await connection.backendPID
            let admin = try await database.connect()
            let writer = Task { () -> (any Error)? in
                do {
                    try await connection.transaction { db in
                        try db.execute("INSERT INTO entry SELECT generate_series(1, 1000)")
                        try db.execute("SELECT pg_sleep(3600)")  // ends only by the loss
                    }
                    return nil
                } catch {
                    return error
                }
            }
            try await Self.waitForBackend(pid, state: "active", queryLike: "SELECT pg_sleep%", admin: admin)
            _ = try await admin.query("SELECT pg_terminate_backend(\(pid))")
            let error = await writer.value
            Self.expectLost(error)
            #expect(try await committedCount("entry", in: database) == 0)
            await admin.close()
        }
    }

    @Test func terminatedDuringACopy() async throws {
        try await withConnection(deadline: .seconds(300)) { database, connection in
            try await connection.execute("CREATE TABLE staging (id int8, value text)")
            let pid = await connection.backendPID
            let admin = try await database.connect()
            let halfway = DispatchSemaphore(value: 0)
            let killed = DispatchSemaphore(value: 0)
            defer { killed.signal() }
            let loader = Task { () -> (any Error)? in
                do {
                    try await connection.withIsolated { db in
                        try db.copyIn("COPY staging FROM STDIN") { writer in
                            for index in 0..<50_000 { try writer.write([String(index), "第\(index)行"]) }
                            halfway.signal()
                            killed.wait()
                            for index in 50_000..<400_000 { try writer.write([String(index), "第\(index)行"]) }
                        }
                    }
                    return nil
                } catch {
                    return error
                }
            }
            // A hang bound only: 50,000 rows take well under a second on a quiet machine.
            let reachedHalfway = try await ThrowawayCluster.offPool { halfway.wait(timeout: .now() + 240) == .success }
            try #require(reachedHalfway, "the COPY never got halfway")
            #expect(try await admin.query("SELECT pg_terminate_backend(\(pid), \(Self.terminateWait))").single().decode(0, as: Bool.self))
            killed.signal()
            Self.expectLost(await loader.value)
            #expect(try await committedCount("staging", in: database) == 0)
            await admin.close()
        }
    }

    @Test func terminatedWhileIdle() async throws {
        try await withConnection(deadline: .seconds(300)) { database, connection in
            let pid = await connection.backendPID
            let admin = try await database.connect()
            // Waits until the session has ended: the next statement must meet a dead connection.
            #expect(try await admin.query("SELECT pg_terminate_backend(\(pid), \(Self.terminateWait))").single().decode(0, as: Bool.self))
            let error = await #expect(throws: PostgresError.self) { try await connection.execute("SELECT 1") }
            Self.expectLost(error)
            // The transaction helper reports the loss, not a confusing failure of its own.
            let inTransaction = await #expect(throws: PostgresError.self) {
                try await connection.transaction { db in try db.execute("SELECT 1") }
            }
            #expect(inTransaction?.kind == .connectionLost)
            await admin.close()
        }
    }

    /// A real crash: the postmaster of a private throwaway cluster is killed with SIGKILL while a
    /// transaction is open, then stopped with `pg_ctl stop -m immediate` during a statement.
    /// After each restart (crash recovery) nothing of the open transaction exists.
    /// Admitted through TestGate like a test with a database (it starts a server of its own), and
    /// guarded from admission on.
    @Test func serverKilledMidTransaction() async throws {
        try await TestGate.shared.admitted {
            let cluster = try await ThrowawayCluster.create()
            do {
                try await withDeadline(.seconds(600), "the crash test") {
                    try await cluster.start()
                    try await Self.killPostmasterBetweenStatements(cluster)
                    try await Self.stopImmediatelyDuringAStatement(cluster)
                    try await cluster.pgCtl(["stop", "-m", "fast", "-w"])
                }
            } catch {
                try? await cluster.pgCtl(["stop", "-m", "immediate", "-w"])
                cluster.remove()
                throw error
            }
            cluster.remove()
        }
    }

    static func killPostmasterBetweenStatements(_ cluster: ThrowawayCluster) async throws {
        let setup = try await Connection.connect(cluster.connectionString)
        try await setup.execute("CREATE TABLE entry (id int)")
        try await setup.execute("INSERT INTO entry VALUES (0)")
        await setup.close()

        let connection = try await Connection.connect(cluster.connectionString)
        let inserted = DispatchSemaphore(value: 0)
        let killed = DispatchSemaphore(value: 0)
        defer { killed.signal() }
        let writer = Task { () -> (any Error)? in
            do {
                try await connection.transaction { db in
                    try db.execute("INSERT INTO entry SELECT generate_series(1, 100)")
                    inserted.signal()
                    killed.wait()
                    try db.execute("INSERT INTO entry VALUES (101)")
                }
                return nil
            } catch {
                return error
            }
        }
        let insertedInTime = try await ThrowawayCluster.offPool { inserted.wait(timeout: .now() + 240) == .success }
        try #require(insertedInTime, "the transaction never got to its first insert")
        let postmaster = try #require(cluster.postmasterPID())
        #expect(kill(postmaster, SIGKILL) == 0)
        try await ThrowawayCluster.waitUntilGone(postmaster)
        killed.signal()
        expectLost(await writer.value)
        #expect(await !connection.isUsable)
        await connection.close()

        try await cluster.start()
        let reader = try await Connection.connect(cluster.connectionString)
        let ids = try await reader.query("SELECT id FROM entry ORDER BY id").map { try $0.decode(0, as: Int.self) }
        #expect(ids == [0])
        await reader.close()
    }

    static func stopImmediatelyDuringAStatement(_ cluster: ThrowawayCluster) async throws {
        let connection = try await Connection.connect(cluster.connectionString)
        let pid = await connection.backendPID
        let writer = Task { () -> (any Error)? in
            do {
                try await connection.transaction { db in
                    try db.execute("INSERT INTO entry SELECT generate_series(200, 300)")
                    try db.execute("SELECT pg_sleep(3600)")  // ends only by the stop
                }
                return nil
            } catch {
                return error
            }
        }
        let admin = try await Connection.connect(cluster.connectionString)
        try await waitForBackend(pid, state: "active", queryLike: "SELECT pg_sleep%", admin: admin)
        await admin.close()
        try await cluster.pgCtl(["stop", "-m", "immediate", "-w"])
        expectLost(await writer.value)
        await connection.close()

        try await cluster.start()
        let reader = try await Connection.connect(cluster.connectionString)
        let ids = try await reader.query("SELECT id FROM entry ORDER BY id").map { try $0.decode(0, as: Int.self) }
        #expect(ids == [0])
        await reader.close()
    }
}

/// A private PostgreSQL cluster in a temporary folder, listening only on a Unix socket there, for
/// tests that crash a server (never the shared test server). PostgreSQL refuses to run as root, so
/// as root the server programs run as the `postgres` OS user.
struct ThrowawayCluster: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let home: String
    let bin: String
    var data: String { home + "/data" }
    var connectionString: String { "host=\(home) port=5432 dbname=postgres user=postgres connect_timeout=10" }

    static func create() async throws -> ThrowawayCluster {
        var template = Array("/tmp/vlkill-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw Failure(description: "mkdtemp failed")
        }
        let home = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if geteuid() == 0 {
            guard let account = getpwnam("postgres") else { throw Failure(description: "no postgres OS user") }
            chown(home, account.pointee.pw_uid, account.pointee.pw_gid)
        }
        let cluster = ThrowawayCluster(home: home, bin: try serverBinDirectory())
        try await cluster.run("initdb", ["-D", cluster.data, "-U", "postgres", "-E", "UTF8", "--locale=C", "--auth=trust", "-N"])
        return cluster
    }

    /// The folder holding initdb and pg_ctl: `pg_config --bindir`, else Debian's versioned folder.
    static func serverBinDirectory() throws -> String {
        var candidates: [String] = []
        let pgConfig = Process()
        let output = Pipe()
        pgConfig.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        pgConfig.arguments = ["pg_config", "--bindir"]
        pgConfig.standardOutput = output
        pgConfig.standardError = FileHandle.nullDevice
        if (try? pgConfig.run()) != nil {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            pgConfig.waitUntilExit()
            candidates.append(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let debian = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += debian.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl") }) else {
            throw Failure(description: "PostgreSQL server programs (pg_ctl, initdb) not found")
        }
        return found
    }

    /// After a crash the old server processes may take a moment to exit and free shared memory,
    /// longer on a busy machine: retried for up to two minutes (a hang bound, not an expectation).
    func start() async throws {
        let clock = ContinuousClock()
        let giveUp = clock.now + .seconds(120)
        while true {
            do {
                return try await pgCtl([
                    "start", "-w", "-t", "120", "-l", home + "/server.log",
                    "-o", "-c listen_addresses='' -c unix_socket_directories='\(home)' -p 5432",
                ])
            } catch where clock.now < giveUp {
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    func postmasterPID() -> Int32? {
        guard let text = try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8),
              let first = text.split(separator: "\n").first else { return nil }
        return Int32(first)
    }

    func pgCtl(_ arguments: [String]) async throws {
        try await run("pg_ctl", ["-D", data, "-s"] + arguments)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: home)
    }

    /// posix_spawn and waitpid rather than Foundation's Process: on Linux, Process can keep waiting
    /// for a child that has exited when a daemon it started (the postmaster) outlives it.
    private func run(_ program: String, _ arguments: [String]) async throws {
        let path = bin + "/" + program
        let logPath = home + "/\(program).out"
        let command = geteuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", path] + arguments : [path] + arguments
        try await Self.offPool {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            // A file, not a pipe, and nothing else of this process: the server outlives pg_ctl.
            posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            Self.closeFrom(&actions, 3)
            Self.changeDirectory(&actions, "/")
            let argv = command.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
            guard spawned == 0 else { throw Failure(description: "cannot run \(command[0]): error \(spawned)") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            // WIFEXITED && WEXITSTATUS == 0, spelled out: the macros are not imported into Swift.
            guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
                let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw Failure(description: "\(program) \(arguments.joined(separator: " ")) failed (status \(status)): \(output)")
            }
        }
    }

    // glibc has these (2.29 / 2.34) but Swift's Glibc module does not import them.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private static func closeFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(actions, lowest)
    }

    private static func changeDirectory(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return }
        _ = path.withCString { unsafeBitCast(symbol, to: ChangeDirectory.self)(actions, $0) }
    }

    /// Starting and stopping a server blocks for seconds: that work runs on a dispatch queue so
    /// the two threads of the cooperative pool stay free for the other tests.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    static func waitUntilGone(_ pid: Int32) async throws {
        try await waitUntil("process \(pid) has exited") { kill(pid, 0) != 0 }
    }
}
