import ArgumentParser
import VLedgerCore

struct VolunteerUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: tr("help.volunteer_update.abstract")
    )

    @Argument(help: ArgumentHelp(tr("help.volunteer_update.volunteer"))) var volunteer: String
    @Option(help: ArgumentHelp(tr("help.volunteer_update.name"))) var name: String?
    @Option(help: ArgumentHelp(tr("help.volunteer_update.phone"))) var phone: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let ref = try await VolunteerRegistry.update(volunteer, name: name, phone: phone, in: LedgerSession(connection))
        StandardError.write(tr("ui.volunteer.corrected", ["number": ref.number]))
    }
}
