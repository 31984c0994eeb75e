import ArgumentParser
import Foundation
import VLedgerCore

struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create a database login for a person, with a role (and a district for staff).",
        discussion: """
            Needs an admin login (or the database owner). With --password the password is read from \
            $VLEDGER_NEW_PASSWORD, else from the first line of standard input — never from the command line, \
            where other users of the machine could see it — and is sent to the server only as a SCRAM-SHA-256 hash.
            """
    )

    @Argument(help: "Login name: lower-case letters, digits and _, not starting with a digit.")
    var login: String

    @Option(help: "staff, organiser, office or admin.")
    var role: UserRole

    @Option(help: "District code (required for staff: they see and change that district's volunteers).")
    var district: String?

    @Flag(help: "Set a password, read from $VLEDGER_NEW_PASSWORD or standard input.")
    var password = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try UserAccounts.validateLogin(login)
        let secret = password ? try Self.readPassword() : nil
        let connection = try await database.connect()
        let (login, role, district) = (login, role, district)
        try await connection.transaction { db in
            try UserAccounts.add(login: login, role: role, districtCode: district, password: secret, on: db)
        }
        StandardError.write("created login \(login) (\(role.rawValue)\(district.map { ", district \($0)" } ?? ""))")
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
