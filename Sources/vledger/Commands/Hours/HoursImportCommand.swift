import ArgumentParser
import VLedgerCore

struct HoursImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: tr("help.hours_import.abstract"),
        discussion: tr("help.hours_import.discussion")
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.hours_import.file"))) var file: String
    @Flag(help: ArgumentHelp(tr("help.hours_import.approve"))) var approve = false
    @OptionGroup var importOptions: ImportFlags

    func run() async throws {
        let db = try await database.connect()
        let options = importOptions.options
        try await ImportPrinter.run(format: importOptions.format, out: importOptions.out) {
            try await HoursImport.importFile(file, options: options, approve: approve, in: LedgerSession(db))
        }
    }
}
