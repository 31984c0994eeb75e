import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore

struct SampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: tr("help.sample.abstract"),
        discussion: tr("help.sample.discussion")
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp(tr("help.sample.volunteers")))
    var volunteers: Int = 20_000

    @Option(help: ArgumentHelp(tr("help.sample.entries")))
    var entries: Int = 300_000

    @Option(help: ArgumentHelp(tr("help.sample.seed")))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp(tr("help.sample.years")))
    var years: Int = 3

    @Option(help: ArgumentHelp(tr("help.sample.districts")))
    var districts: Int = 30

    @Option(name: .customLong("last-year"), help: ArgumentHelp(tr("help.sample.lastYear")))
    var lastYear: Int?

    @Flag(help: ArgumentHelp(tr("help.sample.quiet")))
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
        print(tr("ui.sample.loaded", [
            "seconds": seconds, "districts": String(summary.districts), "volunteers": String(summary.volunteers),
            "activities": String(summary.activities), "entries": String(summary.entries), "corrections": String(summary.corrections),
            "first": String(summary.firstYear), "last": String(summary.lastYear)]))
    }
}
