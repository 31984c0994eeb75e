import ArgumentParser
import Foundation
import PostgresLibPQ
import VLedgerCore

struct AuditLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: tr("help.audit_log.abstract")
    )

    @Option(help: ArgumentHelp(tr("help.audit_log.table")))
    var table: String?

    @Option(help: ArgumentHelp(tr("help.audit_log.since")))
    var since: String?

    @Option(help: ArgumentHelp(tr("help.audit_log.limit")))
    var limit: Int = 100

    @Option(help: ArgumentHelp(tr("help.audit_log.format")))
    var format: OutputFormat = .table

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard limit > 0 else { throw ValidationError(tr("error.usage_limit_positive")) }
        guard format != .csv else { throw ValidationError(tr("error.usage_format_table_json")) }
    }

    func run() async throws {
        let since = try self.since.map { try TimeInput.parse($0, field: "since") }
        let connection = try await database.connect()
        let (table, limit) = (table, limit)
        let entries = try await AuditTrail.log(table: table, since: since, limit: limit, in: LedgerSession(connection))
        switch format {
        case .json:
            // The rows are stored JSON text; they are written out as they are.
            let values: [JSONValue] = entries.map { entry in
                .object([
                    ("link", .int(entry.link)), ("ordinal", entry.ordinal.map { .int($0) } ?? .null),
                    ("recorded_at", .string(CityTime.text(entry.recordedAt))),
                    ("session_login", .string(entry.sessionLogin)), ("current_login", .string(entry.currentLogin)),
                    ("table", .string(entry.table)), ("operation", .string(entry.operation)),
                    ("key", entry.key.map(JSONValue.number) ?? .null),
                    ("old", entry.oldRow.map(JSONValue.number) ?? .null),
                    ("new", entry.newRow.map(JSONValue.number) ?? .null),
                ])
            }
            print(JSONValue.array(values).rendered())
        case .table, .csv:
            var output = TextTable(header: ["link", "recorded_at", "login", "as", "table", "operation", "key", "change"])
            for entry in entries {
                let change = [entry.oldRow.map { "old " + $0 }, entry.newRow.map { "new " + $0 }].compactMap { $0 }.joined(separator: " ")
                output.append([
                    String(entry.link), CityTime.text(entry.recordedAt), entry.sessionLogin, entry.currentLogin,
                    entry.table, entry.operation, entry.key ?? "", change,
                ])
            }
            print(output.rendered(), terminator: "")
        }
    }
}
