import ArgumentParser
import VLedgerCore

/// Flags every CSV import takes.
struct ImportFlags: ParsableArguments {
    @Flag(name: .customLong("skip-bad"), help: ArgumentHelp(tr("help.import_flags.skipBad")))
    var skipBad = false
    @Option(help: ArgumentHelp(tr("help.import_flags.rejects"), valueName: "path"))
    var rejects: String?
    @Option(help: ArgumentHelp(tr("help.import_flags.format"))) var format: ImportReportFormat = .none
    @Flag(help: ArgumentHelp(tr("help.import_flags.quiet"))) var quiet = false

    var options: ImportOptions { ImportOptions(skipBad: skipBad, rejectsPath: rejects, showProgress: !quiet) }
}

enum ImportReportFormat: String, ExpressibleByArgument, CaseIterable {
    case none, json
}

/// Prints what an import did: a summary line on stderr, every bad row on stderr, and with
/// --format json the report on stdout. A rejected file ends with a non-zero status.
enum ImportPrinter {
    static func run(format: ImportReportFormat, _ body: () async throws -> ImportOutcome) async throws {
        do {
            let outcome = try await body()
            for problem in outcome.report.problems { StandardError.write(problem.message()) }
            StandardError.write(outcome.summary(in: LanguageChoice.current))
            if format == .json { print(outcome.report.json(applied: true, rejectsFile: outcome.rejectsFile, approved: outcome.approved).rendered()) }
        } catch VLedgerError.importRejected(let report) {
            for problem in report.problems { StandardError.write(problem.message()) }
            if format == .json { print(report.json(applied: false).rendered()) }
            throw VLedgerError.importRejected(report)
        }
    }
}
