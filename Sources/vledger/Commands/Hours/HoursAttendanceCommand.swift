import ArgumentParser
import VLedgerCore

struct HoursAttendanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: "Credit volunteers who attended an activity with its length (or --minutes); prints the entry ids, one a line."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Activity id.") var activity: String
    @Option(parsing: .unconditional, help: "Minutes for each (default: the activity's length).") var minutes: Int?
    @Argument(help: "Volunteer numbers or ID numbers.") var volunteers: [String]

    func run() async throws {
        let activityID = try ActivityService.parseID(activity)
        let db = try await database.connect()
        let (volunteers, minutes) = (self.volunteers, self.minutes)
        let ids = try await LedgerRetry.transaction(db) { tx in
            try HoursAttendance.attendance(activity: activityID, volunteers: volunteers, minutes: minutes, on: tx)
        }
        ids.forEach { print($0) }
    }
}
