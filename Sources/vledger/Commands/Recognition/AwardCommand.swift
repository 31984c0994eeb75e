import ArgumentParser
import VLedgerCore

struct AwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "award", abstract: tr("help.award.abstract"),
                                                    subcommands: [AwardAdd.self, AwardList.self, AwardWithdraw.self])
}

struct AwardAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: tr("help.award_add.abstract"), discussion: tr("help.award_add.discussion"))

    @Argument(help: ArgumentHelp(tr("help.org_join.volunteer"))) var volunteer: String
    @Option(help: ArgumentHelp(tr("help.award_add.name"))) var name: String
    @Option(help: ArgumentHelp(tr("help.award_add.on"), valueName: "date")) var on: String
    @Option(help: ArgumentHelp(tr("help.award_add.body"))) var body: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let id = try await Recognition.addAward(volunteer: volunteer, name: name, on: on, body: body, in: LedgerSession(connection))
        print(id)
    }
}

struct AwardList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: tr("help.award_list.abstract"))

    @Option(help: ArgumentHelp(tr("help.training_list.volunteer"))) var volunteer: String?
    @Option(help: ArgumentHelp(tr("help.award_list.year"))) var year: Int?
    @Option(help: ArgumentHelp(tr("help.org_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    static let header = ["id", "number", "volunteer", "award", "awarded_on", "body", "withdrawn_at", "withdrawn_reason"]

    func run() async throws {
        let connection = try await database.connect()
        let rows = try await Recognition.awards(volunteer: volunteer, year: year, in: LedgerSession(connection))
        let fields = rows.map { [String($0.id), $0.number, $0.volunteer, $0.name, $0.awardedOn.description, $0.body] + $0.withdrawn.cells }
        switch format {
        case .csv: print(CSVWriter.document(header: Self.header, rows: fields), terminator: "")
        case .table:
            var table = TextTable(header: Self.header, alignments: Self.header.indices.map { $0 == 0 ? .right : .left })
            table.context = "recognition"
            fields.forEach { table.append($0) }
            print(table.rendered(), terminator: "")
        case .json:
            print(JSONValue.array(rows.map(Self.json)).rendered())
        }
    }

    static func json(_ a: AwardRow) -> JSONValue {
        .object([("id", .int(a.id)), ("number", .string(a.number)), ("volunteer", .string(a.volunteer)), ("award", .string(a.name)),
                 ("awarded_on", .string(a.awardedOn.description)), ("body", .string(a.body)), ("withdrawn", a.withdrawn.json)])
    }
}
