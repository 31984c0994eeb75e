import ArgumentParser
import Foundation
import VLedgerCore

struct PopulationImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import population figures from CSV (header: district_code,year,residents[,source]).",
        discussion: """
            UTF-8 (with or without BOM) or GB18030, detected. The whole file is checked first: with any bad row \
            nothing is written, unless --skip-bad. A row repeating the figure in force is counted as already present.
            """
    )

    @Argument(help: "The CSV file.") var file: String
    @OptionGroup var importOptions: ImportFlags
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let options = importOptions.options
        try await ImportPrinter.run(format: importOptions.format, out: importOptions.out) {
            try await connection.withIsolated { db in
                try Population.importFile(URL(fileURLWithPath: file), options: options, on: db)
            }
        }
    }
}
