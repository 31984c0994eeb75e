import ArgumentParser
import Foundation
import VLedgerCore

struct VolunteerImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import volunteers from CSV (header: name,id_number,phone,district_code,registered_on).",
        discussion: """
            Optional columns: guardian_name, guardian_phone, guardian_consent (yes/no). UTF-8 with or without BOM, \
            or GB18030, detected. The whole file is checked first and every bad row reported with its line: \
            with any bad row nothing is written, unless --skip-bad (then the good rows are written and the bad \
            ones saved to a rejects file you can fix and import). A person already registered with the same \
            data counts as already present, so importing a file twice adds nothing.
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
                try VolunteerImport.run(URL(fileURLWithPath: file), options: options, on: db)
            }
        }
    }
}
