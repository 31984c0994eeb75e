import ArgumentParser
import VLedgerCore

struct VolunteerDeregister: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deregister",
        abstract: "Deregister a volunteer from a date, with a reason (once; the record and history are kept)."
    )

    @Argument(help: "Volunteer number or ID number.") var volunteer: String
    @Option(help: "Date the volunteer leaves, YYYY-MM-DD: not before registration, not in the future.") var on: String
    @Option(help: "Why the volunteer leaves.") var reason: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        try await connection.transaction { db in try VolunteerRegistry.deregister(volunteer, on: on, reason: reason, on: db) }
        StandardError.write("deregistered from \(on)")
    }
}
