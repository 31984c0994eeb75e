import ArgumentParser
import VLedgerCore

struct ActivityImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: tr("help.activity_import.abstract"),
        discussion: tr("help.activity_import.discussion")
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.activity_import.file"))) var file: String
    @OptionGroup var importOptions: ImportFlags

    func run() async throws {
        let connection = try await database.connect()
        let options = importOptions.options
        let format = importOptions.format
        try await ImportPrinter.run(format: format, out: importOptions.out) {
            let (ids, outcome) = try await ActivityService.importFile(file, options: options, in: LedgerSession(connection))
            if format == .none { ids.forEach { print($0) } }
            return outcome
        }
    }
}
