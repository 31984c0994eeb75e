import ArgumentParser
import Foundation
import VLedgerCore

struct PopulationList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: tr("help.population_list.abstract")
    )

    @Option(help: ArgumentHelp(tr("help.population_list.district"))) var district: String?
    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.population_list.year"))) var year: Int?
    @Flag(help: ArgumentHelp(tr("help.population_list.revisions"))) var revisions = false
    @Option(name: .customLong("as-recorded-at"), help: ArgumentHelp(tr("help.population_list.asRecordedAt")))
    var asRecordedAt: String?
    @Option(help: ArgumentHelp(tr("help.population_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let figures = try await Population.list(district: district, year: year, revisions: revisions, asRecordedAt: asRecordedAt,
                                                in: LedgerSession(connection))
        print(PopulationOutput.render(figures, format: format, revisions: revisions), terminator: "")
    }
}
