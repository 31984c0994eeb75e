import ArgumentParser
import VLedgerCore

struct VolunteerUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Correct a volunteer's name or phone (the earlier value is kept). ID number and registration date cannot be edited."
    )

    @Argument(help: "Volunteer number or ID number.") var volunteer: String
    @Option(help: "Corrected name.") var name: String?
    @Option(help: "Corrected mobile number.") var phone: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let ref = try await connection.transaction { db in try VolunteerRegistry.update(volunteer, name: name, phone: phone, on: db) }
        StandardError.write("volunteer \(ref.number) corrected")
    }
}
