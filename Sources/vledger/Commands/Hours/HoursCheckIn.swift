import ArgumentParser
import VLedgerCore

struct HoursCheckIn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-in",
        abstract: tr("help.hours_check_in.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var clock: ClockOptions

    func run() async throws {
        let (activityID, when) = try clock.parsed()
        let db = try await database.connect()
        let volunteer = clock.volunteer
        let id = try await HoursAttendance.checkIn(activity: activityID, volunteer: volunteer, at: when, in: LedgerSession(db))
        print(id)
    }
}
