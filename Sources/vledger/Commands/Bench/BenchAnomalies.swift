import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore

/// `vledger bench anomalies`: `vledger hours anomalies` timed as a whole process on the sample
/// city of `bench metrics` against the very same statements run through psql, after checking
/// that both find the same rows.
struct BenchAnomalies: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomalies",
        abstract: tr("help.bench_anomalies.abstract"),
        discussion: tr("help.bench_anomalies.discussion")
    )

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var city: BenchCityOptions
    var runs: Int { city.runs }

    func run() async throws {
        try await city.with(locator: database.locator, label: "anomalies") { year, url, connection in
            try await measure(year: year, url: url, on: connection)
        }
    }

    func measure(year: Int, url: String, on connection: Connection) async throws {
        let vledger = BenchProcess.vledger
        let environment = ["VLEDGER_DATABASE_URL": url]
        let report = ["hours", "anomalies", "--year", String(year)]
        let psql = try BenchProcess.psql()

        // The statements vledger runs, with the values it binds written in, for psql.
        let parameters = try await connection.withIsolated { db in
            try db.transaction(readOnly: true) { tx in try HoursAnomalySQL.Parameters.load(year: year, limits: .init(), on: tx) }
        }
        let setup = Self.inlined(HoursAnomalySQL.Parameters.sql(year: year, limits: .init()))
        let main = Self.inlined(HoursAnomalySQL.entries(parameters))
        let lookups = Self.inlined(HoursAnomalySQL.lookups(year: year))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vledger-bench-anomalies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("report.sql")
        let rows = folder.appendingPathComponent("rows.sql")
        try "BEGIN READ ONLY;\n\(setup);\n\(main);\n\(lookups);\nCOMMIT;\n".write(to: script, atomically: true, encoding: .utf8)
        try "BEGIN READ ONLY;\n\\o /dev/null\n\(setup);\n\\o\n\(main);\nCOMMIT;\n".write(to: rows, atomically: true, encoding: .utf8)

        StandardError.write("bench: comparing the rows of vledger and of psql")
        let csv = try BenchProcess.output(vledger, report + ["--format", "csv"], environment: environment)
        let fromVledger = csv.split(separator: "\n").dropFirst().map { line -> String in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            return "\(cells[0]),\(cells[1])"
        }.filter { !$0.hasPrefix(",") }.sorted()
        let fromPsql = try BenchProcess.output(psql, ["-X", "-q", "-A", "-t", "-F", ",", "-v", "ON_ERROR_STOP=1", "-f", rows.path, url])
            .split(separator: "\n").compactMap { line -> String? in
                let cells = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
                return cells.count > 2 ? "\(cells[1]),\(cells[0])" : nil
            }.sorted()
        guard fromVledger == fromPsql else {
            throw VLedgerError.conflict("bench: vledger hours anomalies found \(fromVledger.count) rows, the same SQL through psql \(fromPsql.count)")
        }
        let kinds = Dictionary(grouping: fromVledger, by: { $0.split(separator: ",")[1] }).map { "\($0.key) \($0.value.count)" }.sorted()
        print("same rows: vledger hours anomalies = the same SQL through psql, \(fromVledger.count) rows (\(kinds.joined(separator: ", ")))")

        let json = report + ["--format", "json"]
        StandardError.write("bench: timing vledger hours anomalies, \(runs) runs")
        try BenchProcess.timed(vledger, json, environment: environment)  // warm the caches like the other contender
        let whole = BenchStatistics.median(try (0..<runs).map { _ in try BenchProcess.timed(vledger, json, environment: environment) })
        StandardError.write("bench: timing the same statements through psql, \(runs) runs")
        let arguments = ["-X", "-q", "-A", "-t", "-o", "/dev/null", "-v", "ON_ERROR_STOP=1", "-f", script.path, url]
        try BenchProcess.timed(psql, arguments)
        let viaPsql = BenchStatistics.median(try (0..<runs).map { _ in try BenchProcess.timed(psql, arguments) })
        let plan = try await connection.withIsolated { db in
            try db.transaction(readOnly: true) { tx in
                _ = try tx.query(HoursAnomalySQL.Parameters.sql(year: year, limits: .init()))
                return try tx.query("EXPLAIN (ANALYZE, FORMAT JSON) \(HoursAnomalySQL.entries(parameters))").single().decode(0, as: String.self)
            }
        }
        let execution = Self.executionTime(plan)

        print(String(format: "%8.1f ms  vledger hours anomalies --year %d --format json (whole process)", whole * 1000, year))
        print(String(format: "%8.1f ms  the same statements through psql (whole process)", viaPsql * 1000))
        if let execution {
            print(String(format: "%8.1f ms  EXPLAIN ANALYZE execution time of the report's statement", execution))
        }
        print(String(format: "ratio vledger / psql (both whole processes): %.2f", whole / viaPsql))
    }

    /// The statement with its parameters written in as literals. Only for psql in this
    /// benchmark: the values are vledger's own (settings, a year, bounds the database printed).
    static func inlined(_ sql: SQL) -> String {
        let (text, parameters) = sql.rendered
        var result = text
        for (index, value) in parameters.enumerated().reversed() {
            let literal = value.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL"
            result = result.replacingOccurrences(of: "$\(index + 1)", with: literal)
        }
        return result
    }

    static func executionTime(_ plan: String) -> Double? {
        guard let data = plan.data(using: .utf8),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return nil }
        return list.first?["Execution Time"] as? Double
    }
}
