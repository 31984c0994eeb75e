import ArgumentParser
import VLedgerCore

struct PopulationSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: tr("help.population_set.abstract")
    )

    @Option(help: ArgumentHelp(tr("help.population_set.district"))) var district: String
    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.population_set.year"))) var year: Int
    // Read as text, unconditionally: "--residents -5" must reach the rule and get its message,
    // not "Missing value" because "-5" looks like an option.
    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.population_set.residents"), valueName: "residents"))
    var residents: String
    @Option(help: ArgumentHelp(tr("help.population_set.source"))) var source: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let figure = try await Population.set(district: district, year: year, residentsText: residents, source: source, in: LedgerSession(connection))
        StandardError.write(tr("ui.population.set", ["code": figure.districtCode, "name": figure.districtName, "year": String(figure.year), "residents": String(figure.residents)]))
    }
}
