import ArgumentParser
import VLedgerCore

struct HoursImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a roster CSV (header: volunteer,activity,start,minutes): every row checked first, all or nothing.",
        discussion: """
            volunteer is a volunteer number or an ID number; start is a TIME. UTF-8 (with or without BOM) or GB18030. \
            Every bad row is reported with its line, field and reason, and nothing is written, unless --skip-bad: then the \
            good rows are written and the bad ones saved to a rejects file. Importing the same file again adds nothing.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "CSV file.") var file: String
    @Flag(help: "Approve the imported entries in the same transaction.") var approve = false
    @Flag(name: .customLong("skip-bad"), help: "Write the good rows and save the bad ones to the rejects file.") var skipBad = false
    @Option(help: "Where --skip-bad saves bad rows (default FILE.rejects.csv).") var rejects: String?

    func run() async throws {
        let db = try await database.connect()
        let options = HoursImport.Options(approve: approve, skipBad: skipBad, rejectsPath: rejects)
        let file = self.file
        let progress = ProgressReporter(label: "staging \(file)")
        do {
            let result = try await LedgerRetry.transaction(db) { tx in
                try HoursImport.run(path: file, options: options, progress: progress, on: tx)
            }
            result.report.problems.forEach { StandardError.write($0.description) }
            var summary = "\(file): \(result.report.totalRows) rows, \(result.report.applied) recorded, "
                + "\(result.report.skippedDuplicates) already imported"
            if options.approve { summary += ", \(result.approved) approved" }
            if let rejects = result.rejectsFile {
                summary += "; \(Set(result.report.problems.compactMap(\.line)).count) bad rows saved to \(rejects)"
            }
            StandardError.write(summary)
        } catch VLedgerError.importRejected(let report) {
            report.problems.forEach { StandardError.write($0.description) }
            throw VLedgerError.importRejected(report)
        }
    }
}
