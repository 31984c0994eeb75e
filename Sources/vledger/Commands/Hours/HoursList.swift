import ArgumentParser
import VLedgerCore

struct HoursList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List entries with status, who recorded and decided them and when, corrections under the entry they correct, and net minutes."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Volunteer number or ID number.") var volunteer: String?
    @Option(help: "Activity id.") var activity: String?
    @Option(help: "table, json, csv or xlsx (a workbook, sheets 服务时长 and 净时长; with --out FILE or redirected).") var format: SheetFormat = .table
    @OptionGroup var output: SheetOutputOptions

    func run() async throws {
        try output.check(format)
        let activityID = try activity.map { try ActivityService.parseID($0) }
        let db = try await database.connect()
        let volunteer = self.volunteer
        let listing = try await db.transaction(readOnly: true) { tx in
            try HoursListing.load(volunteer: volunteer, activity: activityID, on: tx)
        }
        try output.emit(format, text: {
            switch format {
            case .table, .xlsx: return listing.table()
            case .json: return listing.json().rendered() + "\n"
            case .csv: return listing.csv()
            }
        }, workbook: { listing.workbook() })
    }
}
