import ArgumentParser
import VLedgerCore

struct HoursCorrect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Record a correction of an entry (signed minutes and a reason, pending until approved); prints its id alone."
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Entry id (a correction's id corrects its original).") var entry: String
    @Option(name: .customLong("delta-minutes"), parsing: .unconditional, help: ArgumentHelp("Signed change in minutes, e.g. -30 or +15.", valueName: "±minutes"))
    var deltaMinutes: String
    @Option(help: "Why.") var reason: String
    @Option(name: .customLong("request-id"), help: "A key that makes a retry safe.") var requestID: String?

    func run() async throws {
        let id = try HoursService.parseEntryID(entry)
        let text = deltaMinutes.trimmingCharacters(in: .whitespaces)
        guard let delta = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text) else {
            throw RuleViolation(field: "delta_minutes", value: text, code: "delta_minutes")
        }
        let db = try await database.connect()
        let (reason, requestID) = (self.reason, self.requestID)
        let recorded = try await LedgerRetry.transaction(db) { tx in
            try HoursService.correct(id, deltaMinutes: delta, reason: reason, requestID: requestID, on: tx)
        }
        print(recorded.id)
    }
}
