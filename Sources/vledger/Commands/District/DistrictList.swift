import ArgumentParser
import VLedgerCore

struct DistrictList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: tr("help.district_list.abstract"))

    @Option(help: ArgumentHelp(tr("help.district_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let districts = try await Districts.list(in: LedgerSession(connection))
        let header = ["code", "name", "built_up"]
        let rows = districts.map { [$0.code, $0.name, $0.builtUp ? "true" : "false"] }
        switch format {
        case .table:
            var table = TextTable(header: header)
            table.context = "district"
            rows.forEach { table.append($0) }
            print(table.rendered(), terminator: "")
        case .csv:
            print(CSVWriter.document(header: header, rows: rows), terminator: "")
        case .json:
            print(JSONValue.array(districts.map { .object([("code", .string($0.code)), ("name", .string($0.name)), ("built_up", .bool($0.builtUp))]) }).rendered())
        }
    }
}
