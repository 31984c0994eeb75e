import ArgumentParser
import Foundation
import VLedgerCore

/// Sessions of `vledger serve`, for admins: who, since and until when, from which network; never
/// a token. `--revoke ID` ends one at once.
struct UserSessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: tr("help.user_sessions.abstract")
    )

    @Option(help: ArgumentHelp(tr("help.user_sessions.revoke"), valueName: "id"))
    var revoke: Int64?

    @Option(help: ArgumentHelp(tr("help.user_list.format")))
    var format: OutputFormat = .table

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        if let revoke {
            let changed = try await WebSessions.revoke(id: revoke, in: LedgerSession(connection))
            print(tr(changed ? "ui.sessions.revoked" : "ui.sessions.already_revoked", ["id": String(revoke)]))
            return
        }
        let sessions = try await WebSessions.list(in: LedgerSession(connection))
        let header = ["id", "login", "created_at", "expires_at", "revoked_at", "revoked_by", "address", "live"]
        let rows = sessions.map { s in
            [String(s.id), s.login, CityTime.text(s.createdAt), CityTime.text(s.expiresAt), s.revokedAt.map { CityTime.text($0) } ?? "",
             s.revokedBy ?? "", s.clientAddress ?? "", s.live ? "yes" : "no"]
        }
        switch format {
        case .table:
            var table = TextTable(header: header)
            rows.forEach { table.append($0) }
            print(table.rendered(), terminator: "")
        case .csv:
            print(CSVWriter.document(header: header, rows: rows), terminator: "")
        case .json:
            print(JSONValue.array(sessions.map { s in
                .object([
                    ("id", .int(s.id)), ("login", .string(s.login)), ("created_at", .string(CityTime.text(s.createdAt))),
                    ("expires_at", .string(CityTime.text(s.expiresAt))),
                    ("revoked_at", s.revokedAt.map { .string(CityTime.text($0)) } ?? .null),
                    ("revoked_by", s.revokedBy.map(JSONValue.string) ?? .null),
                    ("address", s.clientAddress.map(JSONValue.string) ?? .null), ("live", .bool(s.live)),
                ])
            }).rendered())
        }
    }
}
