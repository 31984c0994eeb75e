import ArgumentParser
import VLedgerCore

struct VolunteerRegister: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: tr("help.volunteer_register.abstract"),
        discussion: tr("help.volunteer_register.discussion")
    )

    @Option(help: ArgumentHelp(tr("help.volunteer_register.name"))) var name: String
    @Option(name: .customLong("id-number"), help: ArgumentHelp(tr("help.volunteer_register.idNumber")))
    var idNumber: String
    @Option(help: ArgumentHelp(tr("help.volunteer_register.phone"))) var phone: String
    @Option(help: ArgumentHelp(tr("help.volunteer_register.district"))) var district: String
    @Option(name: .customLong("registered-on"), help: ArgumentHelp(tr("help.volunteer_register.registeredOn")))
    var registeredOn: String?
    @Option(name: .customLong("guardian-name"), help: ArgumentHelp(tr("help.volunteer_register.guardianName"))) var guardianName: String?
    @Option(name: .customLong("guardian-phone"), help: ArgumentHelp(tr("help.volunteer_register.guardianPhone"))) var guardianPhone: String?
    @Flag(name: .customLong("guardian-consent"), help: ArgumentHelp(tr("help.volunteer_register.guardianConsent")))
    var guardianConsent = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let request = RegistrationRequest(
            name: name, idNumber: idNumber, phone: phone, district: district, registeredOn: registeredOn,
            guardianName: guardianName, guardianPhone: guardianPhone, guardianConsent: guardianConsent)
        let connection = try await database.connect()
        let number = try await VolunteerRegistry.register(request, in: LedgerSession(connection))
        print(number)
    }
}
