import ArgumentParser
import VLedgerCore

struct CategoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "category",
        abstract: tr("help.category.abstract"),
        subcommands: [CategoryList.self, CategoryAdd.self]
    )
}

struct CategoryList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: tr("help.category_list.abstract"))

    @Option(help: ArgumentHelp(tr("help.category_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let categories = try await ServiceCategories.list(in: LedgerSession(connection))
        let header = ["code", "name", "parent"]
        let rows = categories.map { [$0.code, $0.name, $0.parentCode ?? ""] }
        switch format {
        case .table:
            var table = TextTable(header: header)
            table.context = "category"
            rows.forEach { table.append($0) }
            print(table.rendered(), terminator: "")
        case .csv:
            print(CSVWriter.document(header: header, rows: rows), terminator: "")
        case .json:
            print(JSONValue.array(categories.map {
                .object([("code", .string($0.code)), ("name", .string($0.name)), ("parent", $0.parentCode.map { .string($0) } ?? .null)])
            }).rendered())
        }
    }
}

struct CategoryAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: tr("help.category_add.abstract"), discussion: tr("help.category_add.discussion"))

    @Option(help: ArgumentHelp(tr("help.category_add.code"))) var code: String
    @Option(help: ArgumentHelp(tr("help.category_add.name"))) var name: String
    @Option(help: ArgumentHelp(tr("help.category_add.parent"))) var parent: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let category = try await ServiceCategories.add(code: code, name: name, parent: parent, in: LedgerSession(connection))
        StandardError.write(tr("ui.category.added", ["code": category.code, "name": category.name]))
    }
}
