import ArgumentParser
import VLedgerCore

struct HoursReject: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Reject a pending entry with a reason (its pending corrections are rejected with it)."
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Entry id.") var entry: String
    @Option(help: "Why it is rejected.") var reason: String

    func run() async throws {
        let id = try HoursService.parseEntryID(entry)
        let db = try await database.connect()
        let reason = self.reason
        let outcome = try await LedgerRetry.transaction(db) { tx in try HoursService.reject(id, reason: reason, on: tx) }
        print(outcome.message)
    }
}
