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
        try await ImportPrinter.run(importOptions, database) { options, session in
            try await VolunteerImport.run(URL(fileURLWithPath: file), options: options, in: session)
        }
    }
}
