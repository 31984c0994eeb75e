import ArgumentParser

struct PopulationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population",
        abstract: "Keep the permanent residents (常住人口) of each district and year; revisions are kept.",
        subcommands: [PopulationSet.self, PopulationList.self, PopulationImport.self]
    )
}
