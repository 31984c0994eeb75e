import ArgumentParser
import VLedgerCore

struct ActivityImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import activities from CSV (header: title,district_code,organiser,starts,ends[,category]); all rows or none.",
        discussion: "UTF-8 (with or without BOM) or GB18030. Every bad row is reported with its line; nothing is written if any is bad. Prints the new ids, one a line."
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "CSV file.") var file: String

    func run() async throws {
        let db = try await database.connect()
        do {
            let (ids, report) = try await db.transaction { tx in try ActivityService.importFile(file, on: tx) }
            ids.forEach { print($0) }
            StandardError.write(report.summary)
        } catch VLedgerError.importRejected(let report) {
            report.problems.forEach { StandardError.write($0.description) }
            throw VLedgerError.importRejected(report)
        }
    }
}
