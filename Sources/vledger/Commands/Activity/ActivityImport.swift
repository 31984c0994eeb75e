import ArgumentParser
import VLedgerCore

struct ActivityImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import activities from CSV (header: title,district_code,organiser,starts,ends[,category]); all rows or none.",
        discussion: """
            UTF-8 (with or without BOM) or GB18030. Every bad row is reported with its line; nothing is written if any \
            is bad, unless --skip-bad. Prints the new ids, one a line (with --format json, the report instead).
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "CSV file.") var file: String
    @OptionGroup var importOptions: ImportFlags

    func run() async throws {
        let connection = try await database.connect()
        let options = importOptions.options
        let format = importOptions.format
        try await ImportPrinter.run(format: format, out: importOptions.out) {
            let (ids, outcome) = try await connection.withIsolated { db in try ActivityService.importFile(file, options: options, on: db) }
            if format == .none { ids.forEach { print($0) } }
            return outcome
        }
    }
}
