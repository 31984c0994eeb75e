import ArgumentParser
import VLedgerCore

struct HoursAttendanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: tr("help.hours_attendance.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp(tr("help.hours_attendance.activity"))) var activity: String
    @Option(parsing: .unconditional, help: ArgumentHelp(tr("help.hours_attendance.minutes"))) var minutes: Int?
    @Argument(help: ArgumentHelp(tr("help.hours_attendance.volunteers"))) var volunteers: [String]

    func run() async throws {
        let activityID = try ActivityService.parseID(activity)
        let db = try await database.connect()
        let (volunteers, minutes) = (self.volunteers, self.minutes)
        let ids = try await HoursAttendance.attendance(activity: activityID, volunteers: volunteers, minutes: minutes, in: LedgerSession(db))
        ids.forEach { print($0) }
    }
}
