import ArgumentParser
import Foundation
import VLedgerCore

/// Flags every CSV import takes.
struct ImportFlags: ParsableArguments {
    @Flag(name: .customLong("skip-bad"), help: ArgumentHelp(tr("help.import_flags.skipBad")))
    var skipBad = false
    @Option(help: ArgumentHelp(tr("help.import_flags.rejects"), valueName: "path"))
    var rejects: String?
    @Option(help: ArgumentHelp(tr("help.import_flags.format"))) var format: ImportReportFormat = .none
    @Option(help: ArgumentHelp(tr("help.import_flags.out"), valueName: "file"))
    var out: String?
    @Option(help: ArgumentHelp(tr("help.import_flags.encoding"), valueName: "encoding"))
    var encoding: ImportEncoding?
    @Flag(help: ArgumentHelp(tr("help.import_flags.quiet"))) var quiet = false

    var options: ImportOptions {
        ImportOptions(skipBad: skipBad, rejectsPath: rejects, showProgress: !quiet, encoding: encoding?.textEncoding)
    }

    func validate() throws {
        if format == .xlsx && out == nil && isatty(STDOUT_FILENO) == 1 {
            throw ValidationError(tr("error.usage_xlsx_needs_out"))
        }
        if out != nil && format == .none { throw ValidationError(tr("error.usage_out_needs_format")) }
    }
}

enum ImportEncoding: String, ExpressibleByArgument, CaseIterable {
    case gb18030
    case utf8 = "utf-8"

    init?(argument: String) {
        switch argument.lowercased() {
        case "gb18030", "gbk", "gb2312": self = .gb18030
        case "utf-8", "utf8": self = .utf8
        default: return nil
        }
    }

    var textEncoding: TextEncoding { self == .gb18030 ? .gb18030 : .utf8 }
}

enum ImportReportFormat: String, ExpressibleByArgument, CaseIterable {
    case none, json, xlsx
}

/// Prints what an import did: a summary line on stderr, every bad row on stderr, and with
/// --format json the report on stdout. A rejected file ends with a non-zero status.
enum ImportPrinter {
    /// An import command's whole run: connect, import through the service's session call, print.
    static func run(_ flags: ImportFlags, _ database: DatabaseOptions,
                    _ body: (ImportOptions, LedgerSession) async throws -> ImportOutcome) async throws {
        let session = LedgerSession(try await database.connect())
        let options = flags.options
        try await run(format: flags.format, out: flags.out) { try await body(options, session) }
    }

    static func run(format: ImportReportFormat, out: String? = nil, _ body: () async throws -> ImportOutcome) async throws {
        let output = SheetOutputOptions(out: out)
        do {
            let outcome = try await body()
            for problem in outcome.report.problems { StandardError.write(problem.message()) }
            StandardError.write(outcome.summary(in: LanguageChoice.current))
            try emit(format, output, json: { outcome.report.json(applied: true, rejectsFile: outcome.rejectsFile, approved: outcome.approved) },
                     workbook: { outcome.report.workbook(applied: true, rejectsFile: outcome.rejectsFile, approved: outcome.approved) })
        } catch VLedgerError.importRejected(let report) {
            for problem in report.problems { StandardError.write(problem.message()) }
            try emit(format, output, json: { report.json(applied: false) }, workbook: { report.workbook(applied: false) })
            throw VLedgerError.importRejected(report)
        }
    }

    static func emit(_ format: ImportReportFormat, _ output: SheetOutputOptions, json: () -> JSONValue, workbook: () -> Workbook) throws {
        switch format {
        case .none: return
        case .json: try output.emit(.json, text: { json().rendered() + "\n" }, workbook: workbook)
        case .xlsx: try output.emit(.xlsx, text: { "" }, workbook: workbook)
        }
    }
}
