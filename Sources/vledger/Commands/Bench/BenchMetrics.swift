import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore

/// `vledger bench metrics`: a sample city in a throwaway database, `vledger metrics` timed as a
/// whole process against the fastest hand-written SQL for the same figures, and the proof that
/// both give the same numbers.
struct BenchMetrics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Time `vledger metrics` (whole process) against hand-written SQL on a generated city.",
        discussion: """
            Creates a database with a unique name on the server of --database-url / $VLEDGER_DATABASE_URL, loads a \
            sample city of the given size, runs `vledger metrics --year Y --format json` several times as a separate \
            process, and the same figures as one hand-written SQL statement (over the yearly rollup and over the raw \
            ledger tables; through psql as a whole process when psql is installed, and on an open connection), checks \
            that the SQL prints exactly the figures of `vledger metrics --format csv`, prints the medians and ratios, \
            and drops the database (unless --keep).
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Volunteers in the sample city.")
    var volunteers: Int = 100_000

    @Option(help: "Original hours entries in the sample city.")
    var entries: Int = 3_000_000

    @Option(help: "Seed of the sample city.")
    var seed: UInt64 = 1

    @Option(help: "Timed runs of each contender (the median is reported).")
    var runs: Int = 5

    @Flag(help: "Keep the benchmark database instead of dropping it.")
    var keep = false

    func run() async throws {
        guard (1...50).contains(runs) else { throw ValidationError("--runs must be from 1 to 50") }
        let locator = database.locator
        let admin = try await database.connect(migrate: false)
        let name = "vledger_bench_metrics_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let url = try ConnectionStringDatabase.replacing(database: String(name), in: locator.connectionString)
        try await admin.execute("CREATE DATABASE \(unsafeRaw: String(name))")
        StandardError.write("bench: created database \(name)")
        do {
            try await measure(url: url)
        } catch {
            if !keep { _ = try? await admin.execute("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)") }
            throw error
        }
        if keep {
            StandardError.write("bench: kept database \(name)")
        } else {
            try await admin.execute("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)")
            StandardError.write("bench: dropped database \(name)")
        }
    }

    func measure(url: String) async throws {
        let connection = try await DatabaseLocator(option: url).connect(migrate: true)
        let thisYear = try await connection.withIsolated { db in
            try Settings.today(timeZone: try Settings.load(db).timeZone, on: db).year
        }
        let options = try SampleOptions(volunteers: volunteers, entries: entries, seed: seed, lastYear: thisYear - 1)
        let loadStart = Date()
        let summary = try await SampleLoader.load(options, on: connection)
        let loadSeconds = Date().timeIntervalSince(loadStart)
        print("sample city: \(summary.volunteers) volunteers, \(summary.entries) entries + \(summary.corrections) corrections, "
              + "\(summary.activities) activities, loaded in \(String(format: "%.1f", loadSeconds)) s")
        let year = options.lastYear
        let executable = Self.executablePath()

        // The figures must be the same before any time counts.
        let csv = try Self.runProcess(executable, ["metrics", "--year", String(year), "--format", "csv"], url: url)
        let expected = csv.output.split(separator: "\n").dropFirst().map(String.init)
        for fromLedger in [false, true] {
            let sql = MetricsHandSQL.csvQuery(year: year, fromLedger: fromLedger)
            let rows = try await connection.withIsolated { db in
                try db.execute("SET jit = off")
                return try db.query("\(unsafeRaw: sql)").map { row in
                    CSVWriter.line((0..<17).map { row.text($0) ?? "" })
                }
            }
            guard rows == expected else {
                throw VLedgerError.conflict("bench: hand-written SQL (\(fromLedger ? "ledger" : "rollup")) differs from vledger metrics:\n"
                    + zip(rows, expected).filter { $0 != $1 }.prefix(3).map { "sql:     \($0)\nvledger: \($1)" }.joined(separator: "\n"))
            }
        }
        print("same figures: hand-written SQL (rollup and ledger) = vledger metrics, \(expected.count) rows (districts + city)")

        let arguments = ["metrics", "--year", String(year), "--format", "json"]
        _ = try Self.runProcess(executable, arguments, url: url)  // warm the caches like every other contender
        let vledger = try Self.median(runs) { _ = try Self.runProcess(executable, arguments, url: url) }
        var lines = [("vledger metrics --year \(year) --format json (whole process)", vledger)]
        var fastestQuery = Double.infinity
        var fastestProcess = Double.infinity
        for fromLedger in [false, true] {
            let label = fromLedger ? "ledger tables" : "yearly rollup"
            let sql = "SET jit = off; SET work_mem = '64MB'; " + MetricsHandSQL.csvQuery(year: year, fromLedger: fromLedger)
            let statement: SQL = "\(unsafeRaw: MetricsHandSQL.csvQuery(year: year, fromLedger: fromLedger))"
            let inConnection = try await Self.medianAsync(runs) {
                try await connection.withIsolated { db in
                    try db.execute("SET jit = off")
                    try db.execute("SET work_mem = '64MB'")
                    _ = try db.query(statement)
                }
            }
            lines.append(("hand-written SQL over the \(label), on an open connection", inConnection))
            fastestQuery = min(fastestQuery, inConnection)
            if let psql = Self.psqlPath() {
                let viaPsql = try Self.median(runs) { _ = try Self.runProcess(psql, ["-X", "-q", "-A", "-t", "-c", sql, url], url: nil) }
                lines.append(("hand-written SQL over the \(label), psql whole process", viaPsql))
                fastestProcess = min(fastestProcess, viaPsql)
            }
        }
        for (label, seconds) in lines {
            print(String(format: "%8.1f ms  %@", seconds * 1000, label))
        }
        if fastestProcess.isFinite {
            print(String(format: "ratio vledger / fastest hand-written SQL through psql (both whole processes): %.2f", vledger / fastestProcess))
        }
        print(String(format: "ratio vledger / fastest hand-written SQL query alone (no process, no connection): %.2f", vledger / fastestQuery))
        await connection.close()
    }

    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    static func psqlPath() -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(folder)/psql"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    struct ProcessOutput {
        var output: String
    }

    /// Runs a program to completion; a failure is an error carrying its standard error.
    static func runProcess(_ path: String, _ arguments: [String], url: String?) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if let url { environment["VLEDGER_DATABASE_URL"] = url }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw VLedgerError.conflict("bench: \(URL(fileURLWithPath: path).lastPathComponent) \(arguments.first ?? "") failed: "
                + String(decoding: errorData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return ProcessOutput(output: String(decoding: data, as: UTF8.self))
    }

    static func median(_ runs: Int, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }

    static func medianAsync(_ runs: Int, _ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try await body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }
}
