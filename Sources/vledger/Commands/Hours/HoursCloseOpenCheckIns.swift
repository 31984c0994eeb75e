import ArgumentParser
import VLedgerCore

struct HoursCloseOpenCheckIns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close-open-checkins",
        abstract: tr("help.hours_close_open_check_ins.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp(tr("help.hours_close_open_check_ins.activity"))) var activity: String

    func run() async throws {
        let activityID = try ActivityService.parseID(activity)
        let db = try await database.connect()
        let closed = try await HoursAttendance.closeOpenCheckIns(activity: activityID, in: LedgerSession(db))
        StandardError.write(tr("ui.hours.checkins_closed", ["activity": String(activityID), "count": String(closed)]))
    }
}
