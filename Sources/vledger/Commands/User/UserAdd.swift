import ArgumentParser
import Foundation
import VLedgerCore

struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: tr("help.user_add.abstract"),
        discussion: tr("help.user_add.discussion")
    )

    @Argument(help: ArgumentHelp(tr("help.user_add.login")))
    var login: String

    @Option(help: ArgumentHelp(tr("help.user_add.role")))
    var role: UserRole

    @Option(help: ArgumentHelp(tr("help.user_add.district")))
    var district: String?

    @Flag(help: ArgumentHelp(tr("help.user_add.password")))
    var password = false

    @Option(name: .customLong("display-name"), help: ArgumentHelp(tr("help.user_add.displayName"), valueName: "name"))
    var displayName: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try UserAccounts.validateLogin(login)
        let secret = password ? try Self.readPassword() : nil
        let connection = try await database.connect()
        let (login, role, district) = (login, role, district)
        try await UserAccounts.add(login: login, role: role, districtCode: district, password: secret, displayName: displayName,
                                   in: LedgerSession(connection))
        StandardError.write(tr(district == nil ? "ui.user.created" : "ui.user.created_district", ["login": login, "role": role.rawValue, "district": district ?? ""]))
    }

    static func readPassword() throws -> String {
        if let fromEnvironment = ProcessInfo.processInfo.environment["VLEDGER_NEW_PASSWORD"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw RuleViolation(field: "password", value: nil, code: "password_none_given")
        }
        return line
    }
}

extension UserRole: ExpressibleByArgument {}
