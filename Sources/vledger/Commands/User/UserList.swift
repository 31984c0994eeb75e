import ArgumentParser
import Foundation
import VLedgerCore

struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: tr("help.user_list.abstract")
    )

    @Option(help: ArgumentHelp(tr("help.user_list.format")))
    var format: OutputFormat = .table

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let users = try await UserAccounts.list(in: LedgerSession(connection))
        let header = ["login", "role", "district", "created_by", "created_at", "can_log_in"]
        let rows = users.map { user in
            [user.login, user.role, user.districtCode ?? "", user.createdBy, CityTime.text(user.createdAt), user.canLogIn ? "yes" : "no"]
        }
        switch format {
        case .table:
            var table = TextTable(header: header)
            rows.forEach { table.append($0) }
            print(table.rendered(), terminator: "")
        case .csv:
            print(CSVWriter.document(header: header, rows: rows), terminator: "")
        case .json:
            let values: [JSONValue] = users.map { user in
                .object([
                    ("login", .string(user.login)), ("role", .string(user.role)),
                    ("district", user.districtCode.map(JSONValue.string) ?? .null),
                    ("created_by", .string(user.createdBy)), ("created_at", .string(CityTime.text(user.createdAt))),
                    ("can_log_in", .bool(user.canLogIn)),
                ])
            }
            print(JSONValue.array(values).rendered())
        }
    }
}
