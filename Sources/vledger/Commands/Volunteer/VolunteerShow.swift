import ArgumentParser
import VLedgerCore

struct VolunteerShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: tr("help.volunteer_show.abstract")
    )

    @Argument(help: ArgumentHelp(tr("help.volunteer_show.volunteer"))) var volunteer: String
    @Option(help: ArgumentHelp(tr("help.volunteer_show.format"))) var format: OutputFormat = .table
    @Flag(help: ArgumentHelp(tr("help.volunteer_show.reveal"))) var reveal = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let details = try await VolunteerQueries.show(volunteer, in: LedgerSession(connection))
        print(VolunteerOutput(reveal: reveal).details(details, format: format), terminator: "")
    }
}
