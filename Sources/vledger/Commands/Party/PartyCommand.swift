import ArgumentParser
import VLedgerCore

struct PartyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "party", abstract: tr("help.party.abstract"), subcommands: [PartyRecord.self, PartyShow.self])
}

struct PartyRecord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record", abstract: tr("help.party_record.abstract"),
                                                    discussion: tr("help.party_record.discussion"))

    @Argument(help: ArgumentHelp(tr("help.org_join.volunteer"))) var volunteer: String
    @Option(help: ArgumentHelp(tr("help.party_record.status"))) var status: String
    @Option(help: ArgumentHelp(tr("help.party_record.on"), valueName: "date")) var on: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        try await PartyMembers.record(volunteer, status: status, on: on, in: LedgerSession(connection))
        StandardError.write(tr("ui.party.recorded", ["volunteer": volunteer, "on": on]))
    }
}

struct PartyShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: tr("help.party_show.abstract"))

    @Argument(help: ArgumentHelp(tr("help.org_join.volunteer"))) var volunteer: String
    @Option(help: ArgumentHelp(tr("help.org_list.format"))) var format: OutputFormat = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let connection = try await database.connect()
        let (ref, rows) = try await PartyMembers.history(volunteer, in: LedgerSession(connection))
        let header = ["number", "party_member", "effective_on", "recorded_by"]
        switch format {
        case .json:
            print(JSONValue.array(rows.map {
                .object([("number", .string(ref.number)), ("party_member", .bool($0.partyMember)), ("effective_on", .string($0.effectiveOn.description)),
                         ("recorded_by", .string($0.recordedBy))])
            }).rendered())
        case .csv:
            print(CSVWriter.document(header: header, rows: rows.map { [ref.number, $0.partyMember ? "true" : "false", $0.effectiveOn.description, $0.recordedBy] }),
                  terminator: "")
        case .table:
            var table = TextTable(header: header)
            rows.forEach { table.append([ref.number, tr($0.partyMember ? "ui.party.member" : "ui.party.not_member"), $0.effectiveOn.description, $0.recordedBy]) }
            print(table.rendered(), terminator: "")
        }
    }
}
