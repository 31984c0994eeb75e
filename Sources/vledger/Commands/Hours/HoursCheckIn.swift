import ArgumentParser
import VLedgerCore

struct HoursCheckIn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-in",
        abstract: "Check a volunteer in to an activity (default: now); prints the check-in id."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Activity id.") var activity: String
    @Option(help: "Volunteer number or ID number.") var volunteer: String
    @Option(help: ArgumentHelp("When (default: now).", valueName: "time")) var at: String?

    func run() async throws {
        let activityID = try ActivityService.parseID(activity)
        let when = try at.map { try TimeInput.parse($0, field: "at") }
        let db = try await database.connect()
        let volunteer = self.volunteer
        let id = try await LedgerRetry.transaction(db) { tx in
            try HoursAttendance.checkIn(activity: activityID, volunteer: volunteer, at: when, on: tx)
        }
        print(id)
    }
}
