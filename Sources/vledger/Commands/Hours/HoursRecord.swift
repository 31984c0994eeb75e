import ArgumentParser
import VLedgerCore

struct HoursRecord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record minutes served by a volunteer on an activity (pending until approved); prints the entry id alone.",
        discussion: "With --request-id, sending the same request again prints the first entry's id and records nothing."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Activity id.") var activity: String
    @Option(help: "Volunteer number or ID number.") var volunteer: String
    @Option(parsing: .unconditional, help: "Whole minutes served (travel excluded).") var minutes: Int
    @Option(help: ArgumentHelp("When the service started (default: the activity's start).", valueName: "time")) var start: String?
    @Option(name: .customLong("request-id"), help: "A key of your choosing that makes a retry safe.") var requestID: String?

    func run() async throws {
        let activityID = try ActivityService.parseID(activity)
        let startTime = try start.map { try TimeInput.parse($0, field: "start") }
        let db = try await database.connect()
        let (volunteer, minutes, requestID) = (self.volunteer, self.minutes, self.requestID)
        let recorded = try await LedgerRetry.transaction(db) { tx in
            try HoursService.record(activity: activityID, volunteer: volunteer, minutes: minutes, start: startTime, requestID: requestID, on: tx)
        }
        if recorded.alreadyRecorded {
            StandardError.write("request \(requestID ?? ""): already recorded as entry \(recorded.id); nothing added")
        }
        print(recorded.id)
    }
}
