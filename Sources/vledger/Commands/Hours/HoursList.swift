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
    @Option(help: ArgumentHelp(tr("help.hours_list.format"))) var format: OutputFormat = .table

    func run() async throws {
        let activityID = try activity.map { try ActivityService.parseID($0) }
        let db = try await database.connect()
        let volunteer = self.volunteer
        let listing = try await db.transaction(readOnly: true) { tx in
            try HoursListing.load(volunteer: volunteer, activity: activityID, on: tx)
        }
        switch format {
        case .table: print(listing.table(), terminator: "")
        case .json: print(listing.json().rendered())
        case .csv: print(listing.csv(), terminator: "")
        }
    }
}
