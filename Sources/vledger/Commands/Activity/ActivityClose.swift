import ArgumentParser
import VLedgerCore

struct ActivityClose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: tr("help.activity_close.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.activity_close.activity"))) var activity: String

    func run() async throws {
        let id = try ActivityService.parseID(activity)
        let db = try await database.connect()
        let result = try await ActivityService.close(id, in: LedgerSession(db))
        if result.alreadyClosed {
            StandardError.write(tr("ui.activity.already_closed", ["activity": String(id)]))
        } else {
            StandardError.write(result.checkInsClosed > 0
                ? tr("ui.activity.closed_with_checkins", ["activity": String(id), "count": String(result.checkInsClosed)])
                : tr("ui.activity.closed", ["activity": String(id)]))
        }
    }
}
