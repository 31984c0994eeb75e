import ArgumentParser
import VLedgerCore

struct PopulationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population",
        abstract: tr("help.population.abstract"),
        subcommands: [PopulationSet.self, PopulationList.self, PopulationImport.self]
    )
}
