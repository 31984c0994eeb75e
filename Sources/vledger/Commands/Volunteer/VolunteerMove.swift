import ArgumentParser
import VLedgerCore

struct VolunteerMove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Move a volunteer to another district from a date (the earlier district stays in the history)."
    )

    @Argument(help: "Volunteer number or ID number.") var volunteer: String
    @Option(help: "Code of the new district.") var district: String
    @Option(help: "Date the move takes effect, YYYY-MM-DD: after registration, not in the future.") var on: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        try await connection.transaction { db in try VolunteerRegistry.move(volunteer, toDistrict: district, on: on, on: db) }
        StandardError.write("moved to \(district) from \(on)")
    }
}
