import ArgumentParser
import VLedgerCore

struct VolunteerShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a volunteer: details, district history, corrections and deregistration."
    )

    @Argument(help: "Volunteer number or ID number.") var volunteer: String
    @Option(help: "table (text) or json.") var format: OutputFormat = .table
    @Flag(help: "Show ID number, birth date and phones in full.") var reveal = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let details = try await connection.transaction(readOnly: true) { db in try VolunteerQueries.show(volunteer, on: db) }
        print(VolunteerOutput(reveal: reveal).details(details, format: format), terminator: "")
    }
}
