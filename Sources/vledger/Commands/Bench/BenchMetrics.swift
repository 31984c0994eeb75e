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
        abstract: tr("help.bench_metrics.abstract"),
        discussion: tr("help.bench_metrics.discussion")
    )

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var city: BenchCityOptions
    var runs: Int { city.runs }

    func run() async throws {
        try await city.with(locator: database.locator, label: "metrics") { year, url, connection in
            try await measure(year: year, url: url, on: connection)
        }
    }

    func measure(year: Int, url: String, on connection: Connection) async throws {
        let vledger = BenchProcess.vledger
        let environment = ["VLEDGER_DATABASE_URL": url]
        let report = ["metrics", "--year", String(year)]
        // A replay of the records as they stood on 1 December (the rollup less the later records
        // when there are few of them, else the ledger as of then: MetricsQuery decides).
        let replay = report + ["--as-recorded-at", "\(year)-12-01 00:00"]
        let csv = ["--format", "csv"]

        // The figures must be the same before any time counts.
        let expected = try Self.csvRows(BenchProcess.output(vledger, report + csv, environment: environment))
        guard try Self.csvRows(BenchProcess.output(vledger, report + csv + ["--from-ledger"], environment: environment)) == expected,
              try BenchProcess.output(vledger, replay + csv, environment: environment)
                == BenchProcess.output(vledger, replay + csv + ["--from-ledger"], environment: environment)
        else {
            throw VLedgerError.conflict("bench: `vledger metrics` over the rollup differs from `vledger metrics --from-ledger`")
        }
        for fromLedger in [false, true] {
            let rows = try await connection.withIsolated { db in
                try db.execute("SET jit = off")
                return try db.query(Self.handSQL(year: year, fromLedger: fromLedger)).map { row in
                    CSVWriter.line((0..<17).map { row.text($0) ?? "" })
                }
            }
            guard rows == expected else {
                throw VLedgerError.conflict("bench: hand-written SQL (\(fromLedger ? "ledger" : "rollup")) differs from vledger metrics:\n"
                    + zip(rows, expected).filter { $0 != $1 }.prefix(3).map { "sql:     \($0)\nvledger: \($1)" }.joined(separator: "\n"))
            }
        }
        print("same figures: hand-written SQL (rollup and ledger) = vledger metrics = vledger metrics --from-ledger, "
              + "\(expected.count) rows (districts + city); --as-recorded-at \(year)-12-01 = with --from-ledger")
        try await Self.checkProvenance(year: year, json: BenchProcess.output(vledger, report + ["--format", "json"], environment: environment), on: connection)

        let json = report + ["--format", "json"]
        try BenchProcess.timed(vledger, json, environment: environment)  // warm the caches like every other contender
        let whole = try Self.median(runs) { try BenchProcess.timed(vledger, json, environment: environment) }
        var lines = [("vledger metrics --year \(year) --format json (whole process)", whole)]
        for (label, arguments) in [("--as-recorded-at \(year)-12-01 (replay)", replay),
                                   ("--from-ledger (sums the ledger itself)", report + ["--from-ledger"]),
                                   ("--as-recorded-at \(year)-12-01 --from-ledger", replay + ["--from-ledger"])] {
            let run = arguments + ["--format", "json"]
            try BenchProcess.timed(vledger, run, environment: environment)
            lines.append(("vledger metrics --year \(year) \(label), whole process",
                          try Self.median(runs) { try BenchProcess.timed(vledger, run, environment: environment) }))
        }
        var fastestQuery = Double.infinity
        var fastestProcess = Double.infinity
        let psql = try? BenchProcess.psql()
        for fromLedger in [false, true] {
            let label = fromLedger ? "ledger tables" : "yearly rollup"
            let statement = Self.handSQL(year: year, fromLedger: fromLedger)
            var onConnection: [Double] = []
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                try await connection.withIsolated { db in
                    try db.execute("SET jit = off")
                    try db.execute("SET work_mem = '64MB'")
                    _ = try db.query(statement)
                }
                onConnection.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            let inConnection = BenchStatistics.median(onConnection)
            lines.append(("hand-written SQL over the \(label), on an open connection", inConnection))
            fastestQuery = min(fastestQuery, inConnection)
            if let psql {
                let script = "SET jit = off; SET work_mem = '64MB'; " + MetricsHandSQL.csvQuery(year: year, fromLedger: fromLedger)
                let viaPsql = try Self.median(runs) { try BenchProcess.timed(psql, ["-X", "-q", "-A", "-t", "-c", script, url]) }
                lines.append(("hand-written SQL over the \(label), psql whole process", viaPsql))
                fastestProcess = min(fastestProcess, viaPsql)
            }
        }
        for (label, seconds) in lines {
            print(String(format: "%8.1f ms  %@", seconds * 1000, label))
        }
        if fastestProcess.isFinite {
            print(String(format: "ratio vledger / fastest hand-written SQL through psql (both whole processes): %.2f", whole / fastestProcess))
        }
        print(String(format: "ratio vledger / fastest hand-written SQL query alone (no process, no connection): %.2f", whole / fastestQuery))
    }

    /// Only program-chosen integers are in the text (see MetricsHandSQL).
    static func handSQL(year: Int, fromLedger: Bool) -> SQL {
        "\(unsafeRaw: MetricsHandSQL.csvQuery(year: year, fromLedger: fromLedger))"
    }

    /// `minutes_by_provenance` of every district and the city equals the split summed by hand
    /// from the ledger (MetricsHandSQL.provenanceQuery), and sums to `approved_minutes`.
    static func checkProvenance(year: Int, json: String, on connection: Connection) async throws {
        let expected = try await connection.withIsolated { db in
            try db.query("\(unsafeRaw: MetricsHandSQL.provenanceQuery(year: year))").map { row in
                (0..<5).map { row.text($0) ?? "" }.joined(separator: ",")
            }
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let districts = object["districts"] as? [[String: Any]], let city = object["city"] as? [String: Any] else {
            throw VLedgerError.conflict("bench: `vledger metrics --format json` has no districts and city")
        }
        func line(_ level: String, _ code: String, _ row: [String: Any]) throws -> String {
            guard let split = row["minutes_by_provenance"] as? [String: Any],
                  let clock = (split["clock"] as? NSNumber)?.int64Value,
                  let entered = (split["entered"] as? NSNumber)?.int64Value, let late = (split["late"] as? NSNumber)?.int64Value,
                  let approved = (row["approved_minutes"] as? NSNumber)?.int64Value, clock + entered + late == approved else {
                throw VLedgerError.conflict("bench: \(level) \(code): minutes_by_provenance missing or not summing to approved_minutes")
            }
            return "\(level),\(code),\(clock),\(entered),\(late)"
        }
        let got = try districts.sorted { ($0["code"] as? String ?? "") < ($1["code"] as? String ?? "") }
            .map { try line("district", $0["code"] as? String ?? "", $0) } + [try line("city", "", city)]
        guard got == expected else {
            throw VLedgerError.conflict("bench: minutes_by_provenance differs from the hand-written split:\n"
                + zip(got, expected).filter { $0 != $1 }.prefix(3).map { "vledger: \($0)\nsql:     \($1)" }.joined(separator: "\n"))
        }
        print("same provenance split: hand-written SQL over the ledger = vledger metrics minutes_by_provenance, \(got.count) rows")
    }

    static func csvRows(_ output: String) -> [String] {
        output.split(separator: "\n").dropFirst().map(String.init)
    }

    static func median(_ runs: Int, _ body: () throws -> Double) throws -> Double {
        BenchStatistics.median(try (0..<runs).map { _ in try body() })
    }
}
