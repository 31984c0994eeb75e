import ArgumentParser
import VLedgerCore

struct HoursReject: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: tr("help.hours_reject.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.hours_reject.entry"))) var entry: String
    @Option(help: ArgumentHelp(tr("help.hours_reject.reason"))) var reason: String

    func run() async throws {
        let id = try HoursService.parseEntryID(entry)
        let db = try await database.connect()
        let reason = self.reason
        let outcome = try await HoursService.reject(id, reason: reason, in: LedgerSession(db))
        print(outcome.message)
    }
}
