import ArgumentParser
import VLedgerCore

struct HoursApprove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: tr("help.hours_approve.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.hours_approve.entries"))) var entries: [String]

    func run() async throws {
        let ids = try entries.map { try HoursService.parseEntryID($0) }
        guard !ids.isEmpty else { throw ValidationError(tr("error.usage_entries_needed")) }
        let db = try await database.connect()
        let outcomes = try await HoursService.approve(ids, in: LedgerSession(db))
        outcomes.forEach { print($0.message) }
    }
}
