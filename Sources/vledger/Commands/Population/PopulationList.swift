import ArgumentParser
import Foundation
import VLedgerCore

struct PopulationList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show the population figure in force for each district and year, or every revision."
    )

    @Option(help: "Only this district.") var district: String?
    @Option(parsing: .unconditional, help: "Only this year.") var year: Int?
    @Flag(help: "Show every revision, with who recorded it and when; the figure in force is marked.") var revisions = false
    @Option(name: .customLong("as-recorded-at"), help: "The figures as recorded at this TIME (later revisions ignored).")
    var asRecordedAt: String?
    @Option(help: "table, json or csv.") var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let figures = try await connection.transaction(readOnly: true) { db in
            let moment = try asRecordedAt.map { try TimeInput.parse($0, field: "as-recorded-at").resolve(timeZone: try Settings.load(db).timeZone, on: db) }
            return try Population.list(district: district, year: year, revisions: revisions, asRecordedAt: moment, on: db)
        }
        print(PopulationOutput.render(figures, format: format, revisions: revisions), terminator: "")
    }
}
