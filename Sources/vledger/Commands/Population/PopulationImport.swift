import ArgumentParser
import Foundation
import VLedgerCore

struct PopulationImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: tr("help.population_import.abstract"),
        discussion: tr("help.population_import.discussion")
    )

    @Argument(help: ArgumentHelp(tr("help.population_import.file"))) var file: String
    @OptionGroup var importOptions: ImportFlags
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await ImportPrinter.run(importOptions, database) { options, session in
            try await Population.importFile(URL(fileURLWithPath: file), options: options, in: session)
        }
    }
}
