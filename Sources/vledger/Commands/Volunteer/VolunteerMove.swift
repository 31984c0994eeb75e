import ArgumentParser
import VLedgerCore

struct VolunteerMove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: tr("help.volunteer_move.abstract")
    )

    @Argument(help: ArgumentHelp(tr("help.volunteer_move.volunteer"))) var volunteer: String
    @Option(help: ArgumentHelp(tr("help.volunteer_move.district"))) var district: String
    @Option(help: ArgumentHelp(tr("help.volunteer_move.on"))) var on: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        try await VolunteerRegistry.move(volunteer, toDistrict: district, on: on, in: LedgerSession(connection))
        StandardError.write(tr("ui.volunteer.moved", ["district": "\(district)", "on": "\(on)"]))
    }
}
