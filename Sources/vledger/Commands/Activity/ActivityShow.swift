import ArgumentParser
import VLedgerCore

struct ActivityShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one activity.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Activity id.") var activity: String
    @Option(help: "table, json or csv.") var format: OutputFormat = .table

    func run() async throws {
        let id = try ActivityService.parseID(activity)
        let db = try await database.connect()
        let row = try await db.transaction(readOnly: true) { tx in try ActivityService.show(id, on: tx) }
        if format == .json {
            print(ActivityOutput.json(row).rendered())
        } else {
            print(ActivityOutput.render([row], format: format), terminator: "")
        }
    }
}
