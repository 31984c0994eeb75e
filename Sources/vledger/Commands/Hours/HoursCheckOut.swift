import ArgumentParser
import VLedgerCore

struct HoursCheckOut: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-out",
        abstract: tr("help.hours_check_out.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var clock: ClockOptions

    func run() async throws {
        let (activityID, when) = try clock.parsed()
        let db = try await database.connect()
        let volunteer = clock.volunteer
        let out = try await HoursAttendance.checkOut(activity: activityID, volunteer: volunteer, at: when, in: LedgerSession(db))
        if let id = out.entryID {
            if out.capped { StandardError.write(tr("ui.hours.checkout_capped", ["minutes": String(out.minutes)])) }
            print(id)
        } else {
            StandardError.write(tr("ui.hours.checkout_short"))
        }
    }
}
