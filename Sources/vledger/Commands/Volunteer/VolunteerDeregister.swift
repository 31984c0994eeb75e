import ArgumentParser
import VLedgerCore

struct VolunteerDeregister: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deregister",
        abstract: tr("help.volunteer_deregister.abstract")
    )

    @Argument(help: ArgumentHelp(tr("help.volunteer_deregister.volunteer"))) var volunteer: String
    @Option(help: ArgumentHelp(tr("help.volunteer_deregister.on"))) var on: String
    @Option(help: ArgumentHelp(tr("help.volunteer_deregister.reason"))) var reason: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        try await VolunteerRegistry.deregister(volunteer, on: on, reason: reason, in: LedgerSession(connection))
        StandardError.write(tr("ui.volunteer.deregistered", ["on": "\(on)"]))
    }
}
