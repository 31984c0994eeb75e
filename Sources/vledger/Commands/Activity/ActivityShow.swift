import ArgumentParser
import VLedgerCore

struct ActivityShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: tr("help.activity_show.abstract"))

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.activity_show.activity"))) var activity: String
    @Option(help: ArgumentHelp(tr("help.activity_show.format"))) var format: OutputFormat = .table

    func run() async throws {
        let id = try ActivityService.parseID(activity)
        let db = try await database.connect()
        let row = try await ActivityService.show(id, in: LedgerSession(db))
        if format == .json {
            print(ActivityOutput.json(row).rendered())
        } else {
            print(ActivityOutput.render([row], format: format), terminator: "")
        }
    }
}
