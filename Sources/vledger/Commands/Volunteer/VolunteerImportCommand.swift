import ArgumentParser
import Foundation
import VLedgerCore

struct VolunteerImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: tr("help.volunteer_import.abstract"),
        discussion: tr("help.volunteer_import.discussion")
    )

    @Argument(help: ArgumentHelp(tr("help.volunteer_import.file"))) var file: String
    @OptionGroup var importOptions: ImportFlags
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let options = importOptions.options
        try await ImportPrinter.run(format: importOptions.format, out: importOptions.out) {
            try await VolunteerImport.run(URL(fileURLWithPath: file), options: options, in: LedgerSession(connection))
        }
    }
}
