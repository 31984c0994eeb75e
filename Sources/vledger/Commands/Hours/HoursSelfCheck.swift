import ArgumentParser
import VLedgerCore

/// What the volunteer's phone sends (`POST /api/v1/activities/{id}/checkins|checkouts`), from a
/// shell: for the service login or the owner, to try the path the service takes.
struct SelfCheckOptions: ParsableArguments {
    @Option(help: ArgumentHelp(tr("help.self_checkin.activity"))) var activity: String
    @Option(help: ArgumentHelp(tr("help.self_checkin.volunteer"))) var volunteer: String
    @Option(name: .customLong("phone-last4"), help: ArgumentHelp(tr("help.self_checkin.phone_last4"))) var phoneLast4: String
    @Option(help: ArgumentHelp(tr("help.self_checkin.code"))) var code: String
    @Option(name: .customLong("client-address"), help: ArgumentHelp(tr("help.self_checkin.client_address"))) var clientAddress: String?

    func record(_ action: CheckinAction, database: DatabaseOptions) async throws {
        let id = try ActivityService.parseID(activity)
        let db = try await database.connect()
        // The plain connection: the attempt commits on its own before the check-in, so it counts if the check-in fails.
        let done = try await SelfCheckin.record(activity: id, volunteer: volunteer, phoneLast4: phoneLast4, code: code,
                                                action: action, clientAddress: clientAddress, on: db)
        let time = CityTime.text(done.at)
        switch (done.action, done.entryID) {
        case (.checkIn, _):
            print(tr("ui.checkin.recorded_in", ["time": time, "checkin": String(done.checkinID)]))
        case (.checkOut, let entry?):
            print(tr("ui.checkin.recorded_out", [
                "time": time, "minutes": String(done.minutes ?? 0), "entry": String(entry),
                "status": tr(done.approved ? "ui.checkin.approved" : "ui.checkin.pending"),
            ]))
        case (.checkOut, nil):
            print(tr("ui.checkin.recorded_out_short", ["time": time]))
        }
    }
}

struct HoursSelfCheckIn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "self-check-in", abstract: tr("help.hours_self_check_in.abstract"))
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: SelfCheckOptions

    func run() async throws { try await options.record(.checkIn, database: database) }
}

struct HoursSelfCheckOut: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "self-check-out", abstract: tr("help.hours_self_check_out.abstract"))
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: SelfCheckOptions

    func run() async throws { try await options.record(.checkOut, database: database) }
}
