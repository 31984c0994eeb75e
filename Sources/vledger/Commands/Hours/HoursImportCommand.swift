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
        try await ImportPrinter.run(importOptions, database) { options, session in
            try await HoursImport.importFile(file, options: options, approve: approve, in: session)
        }
    }
}
