import ArgumentParser
import VLedgerCore

struct VolunteerRegister: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a volunteer; prints the new volunteer number alone on stdout.",
        discussion: """
            The volunteer's own consent is recorded with the registration. Under 18 on the registration date \
            needs --guardian-name, --guardian-phone and --guardian-consent. One registration per ID number: \
            a second is refused, naming the existing volunteer number.
            """
    )

    @Option(help: "Real name.") var name: String
    @Option(name: .customLong("id-number"), help: "Resident ID number (18 characters; an old 15-digit number is upgraded).")
    var idNumber: String
    @Option(help: "11-digit mainland mobile number.") var phone: String
    @Option(help: "Code of the home district.") var district: String
    @Option(name: .customLong("registered-on"), help: "Registration date YYYY-MM-DD (default: today in the city's time zone).")
    var registeredOn: String?
    @Option(name: .customLong("guardian-name"), help: "Guardian's name (required under 18).") var guardianName: String?
    @Option(name: .customLong("guardian-phone"), help: "Guardian's mobile number (required under 18).") var guardianPhone: String?
    @Flag(name: .customLong("guardian-consent"), help: "The guardian has consented (recorded with the time).")
    var guardianConsent = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let request = RegistrationRequest(
            name: name, idNumber: idNumber, phone: phone, district: district, registeredOn: registeredOn,
            guardianName: guardianName, guardianPhone: guardianPhone, guardianConsent: guardianConsent)
        let connection = try await database.connect()
        let number = try await connection.transaction { db in try VolunteerRegistry.register(request, on: db) }
        print(number)
    }
}
