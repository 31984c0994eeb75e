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
    @Option(help: "table, json or csv.") var format: OutputFormat = .table

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
