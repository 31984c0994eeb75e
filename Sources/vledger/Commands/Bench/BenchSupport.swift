import Foundation
import PostgresLibPQ
import VLedgerCore

/// A database made for one benchmark run on the server the user named (or the embedded one),
/// migrated, and always dropped afterwards, so a benchmark never touches real data.
struct BenchDatabase {
    let name: String
    let connectionString: String

    func connect() async throws -> Connection {
        try await Connection.connect(connectionString)
    }

    /// Makes `count` databases, runs `body`, then drops them whatever happened (with `keep`, leaves
    /// them for another look or a rerun on the same data, and says so).
    static func with<T>(
        locator: DatabaseLocator, label: String, count: Int = 1, keep: Bool = false, _ body: ([BenchDatabase]) async throws -> T
    ) async throws -> T {
        let admin = try await locator.connect(migrate: false, progress: { StandardError.write($0) })
        var made: [BenchDatabase] = []
        func dropAll() async {
            for database in made {
                if keep {
                    StandardError.write("bench: kept database \(database.name)")
                } else {
                    _ = try? await admin.execute("DROP DATABASE IF EXISTS \(unsafeRaw: database.name) WITH (FORCE)")
                }
            }
            await admin.close()
        }
        do {
            for index in 0..<count {
                let name = "vledger_bench_\(label)_\(index)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
                try await admin.execute("CREATE DATABASE \(unsafeRaw: name)")
                StandardError.write("bench: created database \(name)")
                let database = BenchDatabase(name: name, connectionString: connectionString(locator.connectionString, database: name))
                made.append(database)
                let connection = try await database.connect()
                try await MigrationRunner(directory: try MigrationRunner.locateDirectory()).migrate(on: connection)
                await connection.close()
            }
            let value = try await body(made)
            await dropAll()
            return value
        } catch {
            await dropAll()
            throw error
        }
    }

    /// One throwaway database.
    static func using<T>(locator: DatabaseLocator, label: String, keep: Bool = false,
                         _ body: (BenchDatabase) async throws -> T) async throws -> T {
        try await with(locator: locator, label: label, keep: keep) { databases in try await body(databases[0]) }
    }

    /// A database an earlier run kept, on the same server.
    static func existing(locator: DatabaseLocator, name: String) -> BenchDatabase {
        BenchDatabase(name: name, connectionString: connectionString(locator.connectionString, database: name))
    }

    /// The same server, another database: the URL's path, or a later dbname= keyword (libpq
    /// lets a later keyword override an earlier one).
    static func connectionString(_ server: String, database: String) -> String {
        if server.hasPrefix("postgres://") || server.hasPrefix("postgresql://"), var components = URLComponents(string: server) {
            components.path = "/" + database
            return components.string ?? server
        }
        return server + " dbname=" + database
    }
}

enum BenchProcess {
    /// This very executable, so the benchmark measures the build that runs it.
    static var vledger: URL {
        Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    }

    /// psql, the yardstick of the import benchmarks: on PATH, else the embedded cluster's.
    static func psql() throws -> URL {
        var candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/psql" }
        if let bin = try? EmbeddedCluster.postgresBinDirectory() { candidates.append(bin.appendingPathComponent("psql").path) }
        candidates.append("/usr/bin/psql")
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw VLedgerError.configuration("psql not found on PATH: the benchmark compares against psql \\copy")
        }
        return URL(fileURLWithPath: found)
    }

    /// Runs a program to the end; returns wall-clock seconds. Output is captured and shown only on failure.
    @discardableResult
    static func timed(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> Double {
        try run(executable, arguments, environment: environment, keepOutput: false).seconds
    }

    /// Runs a program to the end; returns what it printed on standard output.
    static func output(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        try run(executable, arguments, environment: environment, keepOutput: true).output
    }

    private static func run(_ executable: URL, _ arguments: [String], environment: [String: String],
                            keepOutput: Bool) throws -> (seconds: Double, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let errors = Pipe()
        let output = keepOutput ? Pipe() : nil
        process.standardError = errors
        process.standardOutput = output ?? FileHandle.nullDevice
        let started = DispatchTime.now().uptimeNanoseconds
        try process.run()
        // Standard output is drained on another thread: a program that fills one pipe while we
        // wait on the other would never finish.
        let outputData = output.map { pipe in
            let box = DataBox()
            let reader = Thread { box.data = pipe.fileHandleForReading.readDataToEndOfFile(); box.done.signal() }
            reader.start()
            return box
        }
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        outputData?.done.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        guard process.terminationStatus == 0 else {
            throw VLedgerError.refused("\(executable.lastPathComponent) \(arguments.prefix(3).joined(separator: " ")) failed: \(String(decoding: errorData, as: UTF8.self))")
        }
        return (elapsed, String(decoding: outputData?.data ?? Data(), as: UTF8.self))
    }

    private final class DataBox: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }
}

/// Figures of repeated timings.
enum BenchStatistics {
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The smallest value that at least 95% of the values do not exceed.
    static func p95(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
    }

    static func rate(_ rows: Int, _ seconds: Double) -> String {
        String(format: "%.0f rows/s", Double(rows) / max(seconds, 0.000_001))
    }
}

/// The districts the benchmarks' generated people and activities belong to.
enum BenchDistricts {
    static let codes = ["210682001", "210682002", "210682003", "210682004", "210682005"]
    static let names = ["凤凰城街道", "元宝区街道", "振兴区街道", "振安区街道", "东港市街道"]

    static func add(on db: isolated Connection) throws {
        for (code, name) in zip(codes, names) {
            _ = try Districts.add(code: code, name: name, builtUp: true, on: db)
        }
    }
}

/// CPU time a PostgreSQL backend has used, as the backend itself reads it from /proc/self/stat
/// (Linux servers, superuser). Unlike wall time it hardly changes when other work shares the
/// cores, so a comparison of two runs stays meaningful on a busy machine.
enum BackendCPU {
    /// The query that returns the backend's /proc/self/stat line, for psql.
    static let query = "SELECT pg_read_file('/proc/self/stat')"

    /// User plus system seconds in a /proc/PID/stat line.
    static func seconds(stat: String) -> Double? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // After the command name: state is field 3, utime field 14 and stime field 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The backend's CPU seconds so far, or nil where the server does not tell.
    static func seconds(on db: Connection) async -> Double? {
        guard let stat = try? await db.query("SELECT pg_read_file('/proc/self/stat')").single().decode(0, as: String.self)
        else { return nil }
        return seconds(stat: stat)
    }

    static func text(_ seconds: Double?) -> String {
        seconds.map { String(format: "server CPU %.2f s", $0) } ?? "server CPU n/a"
    }
}
