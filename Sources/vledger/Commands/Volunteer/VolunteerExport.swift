import ArgumentParser
import VLedgerCore

struct VolunteerExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the registered volunteers as CSV that `volunteer import` accepts (with --reveal).",
        discussion: "Without --reveal ID numbers and phones are masked, and such a file cannot be imported."
    )

    @Option(help: "csv, or xlsx (a workbook, sheet 志愿者, every column text; with --out FILE or redirected).") var format: ExportFormat = .csv
    @OptionGroup var output: SheetOutputOptions
    @Option(help: "Only volunteers belonging to this district today (or on --as-of).") var district: String?
    @Option(name: .customLong("as-of"), help: "The day whose register is exported (default today).") var asOf: String?
    @Flag(help: "Write ID numbers and phones in full.") var reveal = false
    @OptionGroup var database: DatabaseOptions

    enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case csv, xlsx }

    func run() async throws {
        let sheetFormat: SheetFormat = format == .csv ? .csv : .xlsx
        try output.check(sheetFormat)
        let connection = try await database.connect()
        let volunteers = try await connection.transaction(readOnly: true) { db in
            let day = try asOf.map { try DateInput.parse($0, field: "as-of") }
            return try VolunteerQueries.list(VolunteerListQuery(asOf: day, district: district), on: db)
        }
        let printer = VolunteerOutput(reveal: reveal)
        try output.emit(sheetFormat, text: { printer.export(volunteers) }, workbook: { printer.exportWorkbook(volunteers) })
        if !reveal { StandardError.write("ID numbers and phones are masked; export with --reveal for a file `volunteer import` accepts") }
    }
}
