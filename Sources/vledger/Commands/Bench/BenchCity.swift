import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore

/// The sample city the read benchmarks (`bench metrics`, `bench anomalies`) measure on: loaded
/// into a throwaway database, or a database an earlier `--keep` run left (`--reuse NAME`).
enum BenchCity {
    static func validate(reuse: String?) throws {
        if let reuse, reuse.isEmpty || !reuse.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw ValidationError(tr("error.usage_bench_reuse", ["name": reuse]))
        }
    }

    /// Runs `body` with the year to measure (the city's last), the database's URL and a connection.
    static func with(
        locator: DatabaseLocator, label: String, volunteers: Int, entries: Int, seed: UInt64, keep: Bool, reuse: String?,
        _ body: (_ year: Int, _ url: String, _ connection: Connection) async throws -> Void
    ) async throws {
        if let reuse {
            let existing = BenchDatabase.existing(locator: locator, name: reuse)
            let connection = try await DatabaseLocator(option: existing.connectionString).connect(migrate: true)
            let year = try await reusedCity(on: connection)
            try await body(year, existing.connectionString, connection)
            await connection.close()
            return
        }
        try await BenchDatabase.using(locator: locator, label: label, keep: keep) { scratch in
            let connection = try await scratch.connect()
            let year = try await load(volunteers: volunteers, entries: entries, seed: seed, on: connection)
            try await body(year, scratch.connectionString, connection)
            await connection.close()
        }
    }

    /// Loads the sample city; returns its last year, the one measured.
    static func load(volunteers: Int, entries: Int, seed: UInt64, on connection: Connection) async throws -> Int {
        let thisYear = try await connection.withIsolated { db in
            try Settings.today(timeZone: try Settings.load(db).timeZone, on: db).year
        }
        let options = try SampleOptions(volunteers: volunteers, entries: entries, seed: seed, lastYear: thisYear - 1)
        let loadStart = Date()
        let summary = try await SampleLoader.load(options, on: connection)
        print("sample city: \(summary.volunteers) volunteers, \(summary.entries) entries + \(summary.corrections) corrections, "
              + "\(summary.activities) activities, loaded in \(String(format: "%.1f", Date().timeIntervalSince(loadStart))) s")
        return options.lastYear
    }

    /// What a kept database holds; the year measured is that of its latest service.
    static func reusedCity(on connection: Connection) async throws -> Int {
        let row = try await connection.query("""
            SELECT (SELECT count(*) FROM volunteer), (SELECT count(*) FROM hours_entry WHERE corrects_id IS NULL),
                   (SELECT count(*) FROM hours_entry WHERE corrects_id IS NOT NULL),
                   (SELECT extract(year FROM max(service_start) AT TIME ZONE vl_time_zone())::int FROM hours_entry)
            """).single()
        guard let year = try row.decode(3, as: Int?.self) else {
            throw VLedgerError.refused("bench: the database to reuse holds no hours; load one with --keep first")
        }
        print("sample city (reused): \(try row.decode(0, as: Int64.self)) volunteers, \(try row.decode(1, as: Int64.self)) entries + "
              + "\(try row.decode(2, as: Int64.self)) corrections")
        return year
    }
}

/// The options of the read benchmarks' city, declared once (`bench metrics`, `bench anomalies`).
struct BenchCityOptions: ParsableArguments {
    @Option(help: ArgumentHelp(tr("help.bench_metrics.volunteers")))
    var volunteers: Int = 100_000

    @Option(help: ArgumentHelp(tr("help.bench_metrics.entries")))
    var entries: Int = 3_000_000

    @Option(help: ArgumentHelp(tr("help.bench_metrics.seed")))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp(tr("help.bench_metrics.runs")))
    var runs: Int = 5

    @Flag(help: ArgumentHelp(tr("help.bench_metrics.keep")))
    var keep = false

    @Option(help: ArgumentHelp(tr("help.bench_metrics.reuse"), valueName: "name"))
    var reuse: String?

    func validate() throws {
        guard (1...50).contains(runs) else { throw ValidationError(tr("error.usage_bench_runs", ["min": "1", "max": "50"])) }
        try BenchCity.validate(reuse: reuse)
    }

    func with(locator: DatabaseLocator, label: String,
              _ body: (_ year: Int, _ url: String, _ connection: Connection) async throws -> Void) async throws {
        try await BenchCity.with(locator: locator, label: label, volunteers: volunteers, entries: entries, seed: seed,
                                 keep: keep, reuse: reuse, body)
    }
}
