import ArgumentParser
import VLedgerCore

struct HoursCloseOpenCheckIns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close-open-checkins",
        abstract: "Close an activity's forgotten check-ins at its end (or now) as auto_checkout entries flagged for review."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Activity id.") var activity: String

    func run() async throws {
        let activityID = try ActivityService.parseID(activity)
        let db = try await database.connect()
        let closed = try await LedgerRetry.transaction(db) { tx in try HoursAttendance.closeOpenCheckIns(activity: activityID, on: tx) }
        StandardError.write("activity \(activityID): \(closed) open check-in(s) closed automatically, flagged for review")
    }
}
