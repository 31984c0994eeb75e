import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A private PostgreSQL cluster that vledger owns and starts on demand.
///
/// Layout under `home` (`VLEDGER_HOME`):
///
///     home/pgdata        the data directory (initdb)
///     home/run           the Unix socket directory (no TCP port is ever opened)
///     home/postgres.log  the server log
///     home/lock          flock'd while a vledger process initialises/starts/stops the server
///
/// PostgreSQL refuses to run as root, so when the effective user is root every
/// server-side program (initdb, pg_ctl, postgres) runs as the `postgres` OS user
/// through `runuser`, and `home` belongs to that user. Client programs (psql, createdb)
/// run as the current user: the socket uses trust authentication.
public struct EmbeddedCluster: Sendable {
    /// The vledger home folder (`VLEDGER_HOME`).
    public let home: URL

    /// The database and superuser names inside the cluster.
    public static let databaseName = "vledger"
    /// An empty database whose socket line asks for passwords (scram-sha-256): `vledger serve`
    /// checks sign-in passwords by connecting to it as the person, so PostgreSQL, not vledger,
    /// checks them. Every other line is trust, guarded by the socket folder's 0700 mode.
    public static let signinDatabaseName = "vledger_signin"
    public static let superuserName = "vledger"
    /// The port number only names the socket file (`.s.PGSQL.<port>`); nothing listens on TCP.
    public static let port = 5432

    /// - Parameter home: the vledger home folder. `nil` means `$VLEDGER_HOME` if set, else the
    ///   default: `/var/lib/vledger` for root, else `$XDG_DATA_HOME/vledger` or `~/.local/share/vledger`.
    public init(home: URL? = nil) {
        if let home {
            self.home = home.standardizedFileURL
        } else {
            self.home = Self.defaultHome()
        }
    }

    public var dataDirectory: URL { home.appendingPathComponent("pgdata", isDirectory: true) }
    public var socketDirectory: URL { home.appendingPathComponent("run", isDirectory: true) }
    public var logFile: URL { home.appendingPathComponent("postgres.log", isDirectory: false) }
    var lockFile: URL { home.appendingPathComponent("lock", isDirectory: false) }
    var initdbDirectory: URL { home.appendingPathComponent("pgdata.initdb", isDirectory: true) }

    /// libpq key=value connection string for the cluster's database.
    public var connectionString: String {
        "host=\(Self.libpqQuote(socketDirectory.path)) port=\(Self.port) "
            + "dbname=\(Self.databaseName) user=\(Self.superuserName)"
    }

    /// Where `vledger serve` checks passwords (see `signinDatabaseName`).
    public var signinConnectionString: String {
        "host=\(Self.libpqQuote(socketDirectory.path)) port=\(Self.port) dbname=\(Self.signinDatabaseName)"
    }

    public struct Status: Sendable, Equatable {
        /// The data directory exists and holds a cluster (`PG_VERSION`).
        public var initialized: Bool
        /// A postmaster for the data directory is alive.
        public var running: Bool
        /// The postmaster's process id, when running.
        public var pid: Int32?

        public init(initialized: Bool, running: Bool, pid: Int32?) {
            self.initialized = initialized
            self.running = running
            self.pid = pid
        }
    }

    /// Cheap: reads files only, spawns nothing.
    public func status() -> Status {
        let fm = FileManager.default
        let initialized = fm.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
        guard initialized, let pid = postmasterPID(), Self.isPostgresProcess(pid) else {
            return Status(initialized: initialized, running: false, pid: nil)
        }
        return Status(initialized: true, running: true, pid: pid)
    }

    /// Initialises the cluster on first use, starts the server if it is not running, waits until it
    /// accepts connections and creates the `vledger` database if missing. Safe to call from several
    /// processes at once (flock on `home/lock`). `progress` receives short human-readable lines.
    public func ensureRunning(progress: (String) -> Void = { _ in }) throws {
        try checkSocketPathLength()
        let bin = try Self.postgresBinDirectory()
        let account = try Self.serverAccount()
        try prepareHome(account: account)

        try withLock(progress: progress) {
            if !status().initialized {
                try initialize(bin: bin, account: account, progress: progress)
            }
            try writeRuntimeConfig(account: account)
            let hbaChanged = try writeAccessRules(account: account)
            if !status().running {
                progress(tr("ui.db.starting_postgres", ["log": logFile.path]))
                try start(bin: bin)
            } else if hbaChanged {
                try reload(bin: bin)
            }
            try createDatabaseIfMissing(Self.databaseName, bin: bin)
            try createDatabaseIfMissing(Self.signinDatabaseName, bin: bin)
        }
    }

    /// Stops the server (`pg_ctl stop -m fast`). Does nothing when it is not running.
    public func stop() throws {
        guard status().running else { return }
        let bin = try Self.postgresBinDirectory()
        try withLock(progress: { _ in }) {
            guard status().running else { return }
            let pgCtl = bin.appendingPathComponent("pg_ctl")
            let args = ["-D", dataDirectory.path, "-m", "fast", "-w", "-t", "60", "-s", "stop"]
            let result = try Self.run(pgCtl, args, asServerUser: true, timeout: 90)
            if result.status != 0 && status().running {
                throw EmbeddedClusterError(
                    "stop_failed", command: result.commandLine, exitStatus: result.status,
                    output: result.output + "\n" + logTail())
            }
        }
    }

    // MARK: - PostgreSQL binaries

    /// The directory holding pg_ctl, initdb and postgres: `$VLEDGER_PG_BINDIR`, else
    /// `pg_config --bindir` (if it holds pg_ctl), else the highest `/usr/lib/postgresql/*/bin`,
    /// else the directory of `pg_ctl` on `PATH`.
    public static func postgresBinDirectory() throws -> URL {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["VLEDGER_PG_BINDIR"], !dir.isEmpty {
            let url = URL(fileURLWithPath: dir, isDirectory: true).standardizedFileURL
            guard isServerBinDirectory(url) else {
                throw EmbeddedClusterError("bindir_invalid", ["dir": dir])
            }
            return url
        }
        if let pgConfig = findInPath("pg_config", env: env),
           let result = try? run(pgConfig, ["--bindir"], asServerUser: false, timeout: 30),
           result.status == 0 {
            let dir = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
            if !dir.isEmpty {
                let url = URL(fileURLWithPath: dir, isDirectory: true).standardizedFileURL
                if isServerBinDirectory(url) { return url }
            }
        }
        let debianRoot = "/usr/lib/postgresql"
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: debianRoot) {
            let sorted = versions.sorted { versionKey($0).lexicographicallyPrecedes(versionKey($1)) }
            for version in sorted.reversed() {
                let url = URL(fileURLWithPath: "\(debianRoot)/\(version)/bin", isDirectory: true)
                if isServerBinDirectory(url) { return url }
            }
        }
        if let pgCtl = findInPath("pg_ctl", env: env) {
            let url = pgCtl.resolvingSymlinksInPath().deletingLastPathComponent()
            if isServerBinDirectory(url) { return url }
        }
        throw EmbeddedClusterError("binaries_missing")
    }

    // MARK: - Steps

    private func checkSocketPathLength() throws {
        // sun_path is 108 bytes including the terminating NUL.
        let socketPath = socketDirectory.appendingPathComponent(".s.PGSQL.\(Self.port)").path
        let length = socketPath.utf8.count
        if length > 107 {
            throw EmbeddedClusterError("socket_path_long", ["path": socketPath, "length": "\(length)"])
        }
    }

    /// Creates home (0700) and its run/ folder; as root, both belong to the postgres user.
    private func prepareHome(account: ServerAccount?) throws {
        let fm = FileManager.default
        let homePath = home.path
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: homePath, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw EmbeddedClusterError("home_not_directory", ["path": homePath])
            }
            if let account, try ownerUID(homePath) != account.uid {
                // Only take over an empty folder: never chown someone's populated directory.
                let entries = (try? fm.contentsOfDirectory(atPath: homePath)) ?? []
                guard entries.isEmpty else {
                    throw EmbeddedClusterError("home_not_owned", ["path": homePath, "user": account.name])
                }
                try makePrivate(homePath, account: account)
            }
        } else {
            let parent = home.deletingLastPathComponent()
            do {
                // Intermediate folders get the default (umask) mode so postgres can traverse them.
                try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw EmbeddedClusterError("create_folder_failed", ["path": parent.path, "reason": error.localizedDescription])
            }
            if mkdir(homePath, 0o700) != 0 && errno != EEXIST {
                throw EmbeddedClusterError("create_home_failed", ["path": homePath, "reason": Self.errnoString()])
            }
            try makePrivate(homePath, account: account)
            if let account {
                do {
                    try checkServerUserAccess(account)
                } catch {
                    _ = rmdir(homePath)
                    throw error
                }
            }
        }

        let runPath = socketDirectory.path
        if !fm.fileExists(atPath: runPath) {
            if mkdir(runPath, 0o700) != 0 && errno != EEXIST {
                throw EmbeddedClusterError("create_socket_folder_failed", ["path": runPath, "reason": Self.errnoString()])
            }
            try makePrivate(runPath, account: account)
        } else if let account, try ownerUID(runPath) != account.uid {
            try makePrivate(runPath, account: account)
        }
    }

    /// As root: every ancestor of home must be traversable by the postgres user.
    private func checkServerUserAccess(_ account: ServerAccount) throws {
        let check = try Self.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "test -w \"$1\" && test -x \"$1\"", "sh", home.path],
            asServerUser: true, timeout: 30)
        if check.status != 0 {
            throw EmbeddedClusterError("server_user_no_access", ["user": account.name, "path": home.path])
        }
    }

    private func makePrivate(_ path: String, account: ServerAccount?) throws {
        if let account, chown(path, account.uid, account.gid) != 0 {
            throw EmbeddedClusterError("chown_failed", ["path": path, "user": account.name, "reason": Self.errnoString()])
        }
        if chmod(path, 0o700) != 0 {
            throw EmbeddedClusterError("chmod_failed", ["path": path, "reason": Self.errnoString()])
        }
    }

    private func ownerUID(_ path: String) throws -> uid_t {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw EmbeddedClusterError("stat_failed", ["path": path, "reason": Self.errnoString()])
        }
        return st.st_uid
    }

    private func initialize(bin: URL, account: ServerAccount?, progress: (String) -> Void) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: dataDirectory.path) {
            throw EmbeddedClusterError("not_a_cluster", ["path": dataDirectory.path])
        }
        if let account { try checkServerUserAccess(account) }
        progress(tr("ui.db.initialising", ["path": dataDirectory.path]))

        // initdb into a scratch folder and rename it into place, so an interrupted initdb never
        // leaves a half-made data directory behind that looks initialised.
        let scratch = initdbDirectory
        if fm.fileExists(atPath: scratch.path) { try fm.removeItem(at: scratch) }
        let initdb = bin.appendingPathComponent("initdb")
        var lastResult: CommandResult?
        for locale in ["C.UTF-8", "C"] {
            let args = [
                "-D", scratch.path, "-U", Self.superuserName, "-E", "UTF8", "--locale=\(locale)",
                "--auth-local=trust", "--auth-host=reject",
            ]
            let result = try Self.run(initdb, args, asServerUser: true, timeout: 600)
            if result.status == 0 {
                lastResult = nil
                break
            }
            lastResult = result
            if fm.fileExists(atPath: scratch.path) { try? fm.removeItem(at: scratch) }
            // Only a missing C.UTF-8 locale is worth a retry with plain C.
            if !result.output.localizedCaseInsensitiveContains("locale") { break }
        }
        if let failed = lastResult {
            throw EmbeddedClusterError(
                "initdb_failed", command: failed.commandLine, exitStatus: failed.status, output: failed.output)
        }

        // Settings that must hold even if vledger.conf went missing: never listen on TCP.
        let conf = scratch.appendingPathComponent("postgresql.conf")
        let addition = """

            # --- vledger ---
            listen_addresses = ''
            # Socket folder and logging are rewritten by vledger before every start:
            include = 'vledger.conf'

            """
        do {
            let handle = try FileHandle(forWritingTo: conf)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(addition.utf8))
        } catch {
            throw EmbeddedClusterError("update_failed", ["path": conf.path, "reason": error.localizedDescription])
        }
        if rename(scratch.path, dataDirectory.path) != 0 {
            throw EmbeddedClusterError("rename_failed", ["from": scratch.path, "to": dataDirectory.path, "reason": Self.errnoString()])
        }
    }

    /// home/pgdata/vledger.conf: the parts that depend on where home is.
    private func writeRuntimeConfig(account: ServerAccount?) throws {
        let url = dataDirectory.appendingPathComponent("vledger.conf")
        let text = """
            # Written by vledger before every start; local edits are overwritten.
            listen_addresses = ''
            port = \(Self.port)
            unix_socket_directories = \(Self.confQuote(socketDirectory.path))
            unix_socket_permissions = 0700
            logging_collector = off
            log_destination = 'stderr'

            """
        _ = try writeServerFile(url, text, account: account)
    }

    /// Writes a file of the server's (mode 0600, owned by the server's account); false when it
    /// already held exactly this text.
    private func writeServerFile(_ url: URL, _ text: String, account: ServerAccount?) throws -> Bool {
        let data = Data(text.utf8)
        if let existing = try? Data(contentsOf: url), existing == data { return false }
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw EmbeddedClusterError("write_failed", ["path": url.path, "reason": error.localizedDescription])
        }
        if let account {
            _ = chown(url.path, account.uid, account.gid)
        }
        _ = chmod(url.path, 0o600)
        return true
    }

    /// home/pgdata/pg_hba.conf, rewritten like vledger.conf (clusters made before sign-in
    /// existed get it at their next start). True when it changed.
    private func writeAccessRules(account: ServerAccount?) throws -> Bool {
        let url = dataDirectory.appendingPathComponent("pg_hba.conf")
        let text = """
            # Written by vledger before every start; local edits are overwritten.
            # Only the Unix socket exists (listen_addresses = ''), in a folder only vledger's user may enter.
            # TYPE  DATABASE        USER  METHOD
            # Sign-in passwords of `vledger serve` are checked by PostgreSQL here:
            local   \(Self.signinDatabaseName)  all   scram-sha-256
            local   all             all   trust

            """
        return try writeServerFile(url, text, account: account)
    }

    private func reload(bin: URL) throws {
        let pgCtl = bin.appendingPathComponent("pg_ctl")
        let result = try Self.run(pgCtl, ["-D", dataDirectory.path, "-s", "reload"], asServerUser: true, timeout: 60)
        guard result.status == 0 else {
            throw EmbeddedClusterError("reload_failed", command: result.commandLine,
                                       exitStatus: result.status, output: result.output)
        }
    }

    private func start(bin: URL) throws {
        let pgCtl = bin.appendingPathComponent("pg_ctl")
        let args = ["-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60", "-s", "start"]
        let result = try Self.run(pgCtl, args, asServerUser: true, timeout: 120)
        guard result.status == 0 else {
            throw EmbeddedClusterError(
                "start_failed", ["log": logFile.path], command: result.commandLine,
                exitStatus: result.status, output: result.output + "\n" + logTail())
        }
    }

    /// Checks with psql first (one spawn on every call), so the server log does not collect an
    /// "already exists" ERROR each time vledger starts; createdb only when the database is missing.
    private func createDatabaseIfMissing(_ name: String, bin: URL) throws {
        let psql = try Self.clientProgram("psql", bin: bin)
        let connection = ["-h", socketDirectory.path, "-p", String(Self.port), "-U", Self.superuserName, "-w"]
        let query = "SELECT 1 FROM pg_database WHERE datname = '\(name)'"
        let check = try Self.run(
            psql, ["-X", "-q", "-A", "-t"] + connection + ["-d", "postgres", "-c", query],
            asServerUser: false, timeout: 60)
        guard check.status == 0 else {
            throw EmbeddedClusterError(
                "connect_failed", ["log": logFile.path], command: check.commandLine,
                exitStatus: check.status, output: check.output + "\n" + logTail())
        }
        if check.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1" { return }

        let createdb = try Self.clientProgram("createdb", bin: bin)
        let result = try Self.run(createdb, connection + [name], asServerUser: false, timeout: 60)
        if result.status != 0 && !result.output.contains("already exists") {
            throw EmbeddedClusterError(
                "create_database_failed", ["name": name], command: result.commandLine,
                exitStatus: result.status, output: result.output)
        }
    }

    private static func clientProgram(_ name: String, bin: URL) throws -> URL {
        let program = bin.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: program.path) { return program }
        guard let found = findInPath(name, env: ProcessInfo.processInfo.environment) else {
            throw EmbeddedClusterError("client_missing", ["name": name, "dir": bin.path])
        }
        return found
    }

    // MARK: - Lock

    private func withLock<T>(progress: (String) -> Void, _ body: () throws -> T) throws -> T {
        // O_CLOEXEC: the postmaster started below must not inherit (and so hold) the lock.
        let fd = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw EmbeddedClusterError("lock_open_failed", ["path": lockFile.path, "reason": Self.errnoString()])
        }
        defer { close(fd) }  // closing releases the flock
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw EmbeddedClusterError("lock_failed", ["path": lockFile.path, "reason": Self.errnoString()])
            }
            progress(tr("ui.db.waiting_lock"))
            let deadline = Date().addingTimeInterval(300)
            while flock(fd, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else {
                    throw EmbeddedClusterError("lock_failed", ["path": lockFile.path, "reason": Self.errnoString()])
                }
                if Date() > deadline {
                    throw EmbeddedClusterError("lock_timeout", ["path": lockFile.path, "seconds": "300"])
                }
                usleep(100_000)
            }
        }
        return try body()
    }

    // MARK: - Status helpers

    private func postmasterPID() -> Int32? {
        let url = dataDirectory.appendingPathComponent("postmaster.pid")
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8),
              let first = text.split(whereSeparator: \.isNewline).first,
              let pid = Int32(first.trimmingCharacters(in: .whitespaces)), pid > 0
        else { return nil }
        return pid
    }

    private static func isPostgresProcess(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        // Guard against a stale postmaster.pid whose pid now belongs to another program.
        if let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) {
            let text = String(decoding: cmdline, as: UTF8.self)
            return text.contains("postgres") || text.contains("postmaster")
        }
        return true
    }

    private func logTail(lines: Int = 5) -> String {
        guard let handle = try? FileHandle(forReadingFrom: logFile) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > 65_536 ? size - 65_536 : 0
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { return "" }
        let all = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        // Drop the "2026-01-02 03:04:05.678 UTC [1234] " prefix of each line.
        return all.suffix(lines).map { line -> String in
            guard line.first?.isNumber == true, let bracket = line.firstIndex(of: "]"),
                  line.distance(from: line.startIndex, to: bracket) < 48
            else { return String(line) }
            return line[line.index(after: bracket)...].trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    // MARK: - Home, accounts, quoting

    static func defaultHome(
        environment env: [String: String] = ProcessInfo.processInfo.environment,
        effectiveUID: uid_t = geteuid()
    ) -> URL {
        if let dir = env["VLEDGER_HOME"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true).standardizedFileURL
        }
        if effectiveUID == 0 {
            return URL(fileURLWithPath: "/var/lib/vledger", isDirectory: true)
        }
        if let xdg = env["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("vledger", isDirectory: true)
                .standardizedFileURL
        }
        var userHome = env["HOME"] ?? ""
        if userHome.isEmpty, let pw = getpwuid(effectiveUID), let dir = pw.pointee.pw_dir {
            userHome = String(cString: dir)
        }
        if userHome.isEmpty { userHome = NSHomeDirectory() }
        return URL(fileURLWithPath: userHome, isDirectory: true)
            .appendingPathComponent(".local/share/vledger", isDirectory: true).standardizedFileURL
    }

    struct ServerAccount: Sendable {
        var name: String
        var uid: uid_t
        var gid: gid_t
    }

    /// nil when not root (the server runs as the current user); the postgres account when root.
    static func serverAccount() throws -> ServerAccount? {
        guard geteuid() == 0 else { return nil }
        guard let pw = getpwnam("postgres") else {
            throw EmbeddedClusterError("no_postgres_user")
        }
        return ServerAccount(name: "postgres", uid: pw.pointee.pw_uid, gid: pw.pointee.pw_gid)
    }

    /// libpq connection-string value quoting: single quotes, with \ and ' backslash-escaped.
    static func libpqQuote(_ value: String) -> String {
        let needsQuotes = value.isEmpty
            || value.contains { $0.isWhitespace || $0 == "'" || $0 == "\\" || $0 == "=" }
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return "'\(escaped)'"
    }

    /// postgresql.conf string quoting.
    static func confQuote(_ value: String) -> String {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''")
        return "'\(escaped)'"
    }

    static func shellQuote(_ value: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,@%+")
        if !value.isEmpty && value.allSatisfy({ safe.contains($0) }) { return value }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func errnoString() -> String {
        String(cString: strerror(errno))
    }

    // MARK: - Running programs

    static func isServerBinDirectory(_ dir: URL) -> Bool {
        let fm = FileManager.default
        return ["pg_ctl", "initdb", "postgres"].allSatisfy {
            fm.isExecutableFile(atPath: dir.appendingPathComponent($0).path)
        }
    }

    static func findInPath(_ name: String, env: [String: String]) -> URL? {
        let path = env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = URL(fileURLWithPath: String(dir), isDirectory: true).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Numeric sort key for folder names like "9.6", "15", "16".
    static func versionKey(_ name: String) -> [Int] {
        name.split(separator: ".").map { Int($0) ?? -1 }
    }

    struct CommandResult {
        var status: Int32
        var output: String
        var commandLine: String
    }

    /// Runs a program and waits for it (at most `timeout` seconds). stdin is /dev/null; stdout and
    /// stderr go to one unlinked temporary file; no other descriptor is inherited; libpq's PG*
    /// variables are removed and messages are in English. `asServerUser`: as root, run as postgres
    /// (through runuser, from /).
    ///
    /// posix_spawn + waitpid rather than Foundation's `Process`: on Linux, `Process` notices a
    /// child's exit through a descriptor that the child inherits, so a daemon started by the child
    /// (pg_ctl start → postmaster) keeps it open and `Process` never sees pg_ctl exit.
    static func run(_ executable: URL, _ arguments: [String], asServerUser: Bool, timeout: TimeInterval) throws
        -> CommandResult
    {
        var argv = [executable.path] + arguments
        var displayed = argv
        if asServerUser, geteuid() == 0 {
            let runuser = ["/usr/sbin/runuser", "/sbin/runuser"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            }
            guard let runuser else {
                throw EmbeddedClusterError("runuser_missing")
            }
            displayed = [runuser, "-u", "postgres", "--"] + argv
            // cd / first: root's working folder (often /root) is closed to postgres.
            argv = [runuser, "-u", "postgres", "--", "/bin/sh", "-c", "cd / && exec \"$0\" \"$@\""] + argv
        }
        let commandLine = displayed.map(shellQuote).joined(separator: " ")

        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("vledger-cmd.XXXXXX").utf8CString)
        let outputFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard outputFD >= 0 else {
            throw EmbeddedClusterError("tempfile_failed", ["command": commandLine, "reason": errnoString()])
        }
        _ = fcntl(outputFD, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let output = FileHandle(fileDescriptor: outputFD, closeOnDealloc: true)

        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["LC_ALL"] = "C"
        environment["LANG"] = "C"
        let envp = environment.map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 2)
        for fd in openDescriptors() where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] {
            sigaddset(&defaultSignals, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var pid: pid_t = 0
        let spawnError = withCStringArray(argv) { cArgv in
            withCStringArray(envp) { cEnvp in
                posix_spawn(&pid, argv[0], &actions, &attributes, cArgv, cEnvp)
            }
        }
        guard spawnError == 0 else {
            throw EmbeddedClusterError("spawn_failed", ["command": commandLine, "reason": String(cString: strerror(spawnError))])
        }

        var waitStatus: Int32 = 0
        var timedOut = false
        let deadline = Date().addingTimeInterval(timeout)
        var killDeadline: Date?
        var pause: useconds_t = 1_000
        while true {
            let result = waitpid(pid, &waitStatus, WNOHANG)
            if result == pid { break }
            if result < 0 {
                if errno == EINTR { continue }
                throw EmbeddedClusterError("waitpid_failed", ["command": commandLine, "reason": errnoString()])
            }
            let now = Date()
            if !timedOut && now > deadline {
                timedOut = true
                kill(pid, SIGTERM)
                killDeadline = now.addingTimeInterval(5)
            } else if let limit = killDeadline, now > limit {
                kill(pid, SIGKILL)
                killDeadline = nil
            }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }

        var text = ""
        if (try? output.seek(toOffset: 0)) != nil, let data = try? output.readToEnd() {
            text = String(decoding: data, as: UTF8.self)
        }
        if timedOut {
            throw EmbeddedClusterError(
                "command_timeout", ["seconds": "\(Int(timeout))"], command: commandLine, exitStatus: nil, output: text)
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (macros).
        let signal = waitStatus & 0x7f
        let status = signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal
        return CommandResult(status: status, output: text, commandLine: commandLine)
    }

    /// This process's open file descriptors (Linux /proc; else a plain range).
    private static func openDescriptors() -> [Int32] {
        if let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            return names.compactMap { Int32($0) }.sorted()
        }
        return Array(0..<256)
    }

    private static func withCStringArray<R>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R
    ) -> R {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// One line: what failed, the command, its exit status and the last lines of its output or of the
/// server log. The text comes from the catalog (`cluster.KEY`), so the person who set vledger up
/// reads it in their language; the command and the output tail stay as the system printed them.
public struct EmbeddedClusterError: Error, CustomStringConvertible, Sendable {
    /// The catalog key without its `cluster.` prefix: stable, for tests and scripts.
    public var key: String
    public var args: [String: String]
    public var command: String?
    public var exitStatus: Int32?
    /// The last (up to 5) non-empty lines of the command's output or of the server log.
    public var outputTail: [String]

    public init(_ key: String, _ args: [String: String] = [:], command: String? = nil, exitStatus: Int32? = nil,
                output: String = "") {
        self.key = key
        self.args = args
        self.command = command
        self.exitStatus = exitStatus
        self.outputTail = Array(
            output.split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
                .suffix(5))
    }

    public func message(in language: Language) -> String {
        var text = Catalog.text("cluster.\(key)", args, in: language)
        if let command {
            text += exitStatus.map { Catalog.text("cluster.command_status", ["command": command, "status": "\($0)"], in: language) }
                ?? Catalog.text("cluster.command", ["command": command], in: language)
        }
        if !outputTail.isEmpty {
            text += Catalog.text("cluster.output", ["output": outputTail.joined(separator: " | ")], in: language)
        }
        return text
    }

    public var description: String { message(in: .en) }
}
