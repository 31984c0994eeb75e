import ArgumentParser
import VLedgerCore

struct HoursCorrect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: tr("help.hours_correct.abstract")
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: ArgumentHelp(tr("help.hours_correct.entry"))) var entry: String
    @Option(name: .customLong("delta-minutes"), parsing: .unconditional, help: ArgumentHelp(tr("help.hours_correct.deltaMinutes"), valueName: "±minutes"))
    var deltaMinutes: String
    @Option(help: ArgumentHelp(tr("help.hours_correct.reason"))) var reason: String
    @Option(name: .customLong("request-id"), help: ArgumentHelp(tr("help.hours_correct.requestID"))) var requestID: String?

    func run() async throws {
        let id = try HoursService.parseEntryID(entry)
        let text = deltaMinutes.trimmingCharacters(in: .whitespaces)
        guard let delta = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text) else {
            throw RuleViolation(field: "delta_minutes", value: text, code: "delta_minutes")
        }
        let db = try await database.connect()
        let (reason, requestID) = (self.reason, self.requestID)
        let recorded = try await HoursService.correct(id, deltaMinutes: delta, reason: reason, requestID: requestID, in: LedgerSession(db))
        print(recorded.id)
    }
}
