import ArgumentParser
import VLedgerCore

struct ActivityList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: tr("help.activity_list.abstract"))

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp(tr("help.activity_list.district"))) var district: String?
    @Option(help: ArgumentHelp(tr("help.activity_list.format"))) var format: OutputFormat = .table

    func run() async throws {
        let db = try await database.connect()
        let rows = try await ActivityService.list(district: district, in: LedgerSession(db))
        print(ActivityOutput.render(rows, format: format), terminator: "")
    }
}
