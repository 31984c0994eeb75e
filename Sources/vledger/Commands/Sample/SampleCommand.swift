import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore

struct SampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Fill an empty database with a generated city for demos and benchmarks.",
        discussion: """
            About 30 districts of one city (most in the built-up area) with their residents per year (some revised), \
            volunteers with valid ID numbers registered over several years (some move or leave), activities, and hours \
            entries (most approved, recent ones often pending, a few rejected or corrected). The same --seed and \
            --last-year always give the same city. Only into an empty database: it refuses one that already holds \
            districts, volunteers, activities or hours.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Number of volunteers.")
    var volunteers: Int = 20_000

    @Option(help: "Number of original hours entries (corrections come on top, about 2 %).")
    var entries: Int = 300_000

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 1

    @Option(help: "Calendar years with activities and hours, ending with --last-year.")
    var years: Int = 3

    @Option(help: "Number of districts.")
    var districts: Int = 30

    @Option(name: .customLong("last-year"), help: "Last year with data. Default: the year before the current one (city time).")
    var lastYear: Int?

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func run() async throws {
        let connection = try await database.connect()
        let thisYear = try await connection.withIsolated { db in
            try Settings.today(timeZone: try Settings.load(db).timeZone, on: db).year
        }
        let options = try SampleOptions(
            volunteers: volunteers, entries: entries, seed: seed, years: years, districts: districts, lastYear: lastYear ?? thisYear - 1)
        guard options.lastYear < thisYear else {
            throw RuleViolation(field: "last-year", value: String(options.lastYear), code: "sample_last_year", args: ["year": "\(thisYear)"])
        }
        let started = Date()
        let summary = try await SampleLoader.load(options, on: connection, quiet: quiet)
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        print("sample city loaded in \(seconds) s: \(summary.districts) districts, \(summary.volunteers) volunteers, "
              + "\(summary.activities) activities, \(summary.entries) hours entries and \(summary.corrections) corrections "
              + "(\(summary.firstYear)–\(summary.lastYear)); try: vledger metrics --year \(summary.lastYear)")
    }
}
