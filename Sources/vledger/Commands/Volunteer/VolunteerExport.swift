import ArgumentParser
import VLedgerCore

struct VolunteerExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: tr("help.volunteer_export.abstract"),
        discussion: tr("help.volunteer_export.discussion")
    )

    @Option(help: ArgumentHelp(tr("help.volunteer_export.format"))) var format: ExportFormat = .csv
    @OptionGroup var output: SheetOutputOptions
    @Option(help: ArgumentHelp(tr("help.volunteer_export.district"))) var district: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp(tr("help.volunteer_export.asOf"))) var asOf: String?
    @Flag(help: ArgumentHelp(tr("help.volunteer_export.reveal"))) var reveal = false
    @OptionGroup var database: DatabaseOptions

    enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case csv, xlsx }

    func run() async throws {
        let sheetFormat: SheetFormat = format == .csv ? .csv : .xlsx
        try output.check(sheetFormat)
        let connection = try await database.connect()
        let volunteers = try await VolunteerQueries.list(
            VolunteerListQuery(asOf: try asOf.map { try DateInput.parse($0, field: "as-of") }, district: district), in: LedgerSession(connection))
        let printer = VolunteerOutput(reveal: reveal)
        try output.emit(sheetFormat, text: { printer.export(volunteers) }, workbook: { printer.exportWorkbook(volunteers) })
        if !reveal { StandardError.write(tr("ui.volunteer.export_masked")) }
    }
}
