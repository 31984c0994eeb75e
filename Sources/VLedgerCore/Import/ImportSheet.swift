import Foundation

/// The steps every file import takes around its write, shared by the plain-connection and the
/// session variants so that only the transaction differs between them. The sheet is read before
/// any transaction (a replayed write does not read the file again); the rejects file is written
/// only once the good rows are committed, so it never lists rows that were in fact not saved.
enum ImportSheet {
    static func read(_ url: URL, options: ImportOptions, aliases: [String: [String]], required: [String]) throws -> CSVDocument {
        let document = try CSVFile.read(url, encoding: options.encoding, aliases: aliases)
        try document.requireColumns(required)
        return document
    }

    static func read(_ path: String, options: ImportOptions, aliases: [String: [String]], required: [String]) throws -> CSVDocument {
        try read(URL(fileURLWithPath: path), options: options, aliases: aliases, required: required)
    }

    /// `rejects`: the rows to save when they are not the report's problems themselves.
    static func committed(_ report: ImportReport, of document: CSVDocument, options: ImportOptions,
                          rejects: [RuleViolation]? = nil, approved: Int? = nil) throws -> ImportOutcome {
        var outcome = ImportOutcome(report: report, encoding: document.encoding, approved: approved)
        let rejects = rejects ?? report.problems
        if !rejects.isEmpty {
            let target = options.rejectsURL(for: document.source)
            try RejectsFile.write(document, problems: rejects, to: target)
            outcome.rejectsFile = target.path
        }
        return outcome
    }
}
