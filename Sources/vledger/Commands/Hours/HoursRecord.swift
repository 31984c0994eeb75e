import ArgumentParser
import VLedgerCore

struct HoursRecord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: tr("help.hours_record.abstract"),
        discussion: tr("help.hours_record.discussion")
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp(tr("help.hours_record.activity"))) var activity: String
    @Option(help: ArgumentHelp(tr("help.hours_record.volunteer"))) var volunteer: String
    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.hours_record.minutes"))) var minutes: Int
    @Option(help: ArgumentHelp(tr("help.hours_record.start"), valueName: "time")) var start: String?
    @Option(name: .customLong("request-id"), help: ArgumentHelp(tr("help.hours_record.requestID"))) var requestID: String?

    func run() async throws {
        let activityID = try ActivityService.parseID(activity)
        let startTime = try start.map { try TimeInput.parse($0, field: "start") }
        let db = try await database.connect()
        let (volunteer, minutes, requestID) = (self.volunteer, self.minutes, self.requestID)
        let recorded = try await HoursService.record(
            activity: activityID, volunteer: volunteer, minutes: minutes, start: startTime, requestID: requestID, in: LedgerSession(db))
        if recorded.alreadyRecorded {
            StandardError.write(tr("ui.hours.request_repeated", ["request": requestID ?? "", "entry": String(recorded.id)]))
        }
        print(recorded.id)
    }
}
