import ArgumentParser
import VLedgerCore

struct HoursList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: tr("help.hours_list.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp(tr("help.hours_list.volunteer"))) var volunteer: String?
    @Option(help: ArgumentHelp(tr("help.hours_list.activity"))) var activity: String?
    @Option(help: ArgumentHelp(tr("help.hours_list.format"))) var format: SheetFormat = .table
    @OptionGroup var output: SheetOutputOptions

    func run() async throws {
        try output.check(format)
        let activityID = try activity.map { try ActivityService.parseID($0) }
        let db = try await database.connect()
        let listing = try await HoursListing.load(volunteer: volunteer, activity: activityID, in: LedgerSession(db))
        try output.emit(format, text: {
            switch format {
            case .table, .xlsx: return listing.table()
            case .json: return listing.json().rendered() + "\n"
            case .csv: return listing.csv()
            }
        }, workbook: { listing.workbook() })
    }
}
