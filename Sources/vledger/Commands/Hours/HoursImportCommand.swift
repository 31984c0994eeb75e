import ArgumentParser
import VLedgerCore

struct HoursImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a roster CSV (header: volunteer,activity,start,minutes): every row checked first, all or nothing.",
        discussion: """
            volunteer is a volunteer number or an ID number; start is a TIME. UTF-8 (with or without BOM) or GB18030. \
            Every bad row is reported with its line, field and reason, and nothing is written, unless --skip-bad: then the \
            good rows are written and the bad ones saved to a rejects file. Importing the same file again adds nothing.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "CSV file.") var file: String
    @Flag(help: "Approve the imported entries in the same transaction.") var approve = false
    @OptionGroup var importOptions: ImportFlags

    func run() async throws {
        let db = try await database.connect()
        let options = importOptions.options
        try await ImportPrinter.run(format: importOptions.format, out: importOptions.out) {
            try await HoursImport.importFile(file, options: options, approve: approve, on: db)
        }
    }
}
