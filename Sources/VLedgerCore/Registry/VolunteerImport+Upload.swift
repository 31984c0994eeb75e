import Foundation
import PostgresLibPQ

/// What an uploaded import did: the same report as `vledger volunteer import`, and the rejects
/// file's bytes (the service hands them out; it writes no file).
public struct ImportUpload: Sendable {
    public var outcome: ImportOutcome
    /// The bad rows with a `reason` column (UTF-8 with BOM), when bad rows were skipped.
    public var rejects: [UInt8]?
}

extension VolunteerImport {
    /// Uploads at most this many bytes (a city's register as CSV, with room).
    public static let uploadLimit = 50 * 1_048_576

    /// An uploaded spreadsheet (CSV, or the first sheet of an xlsx workbook): validated whole,
    /// staged and written in one write transaction of the session, exactly as the CLI imports a
    /// file. Throws `VLedgerError.importRejected` (nothing written) when a row is bad and
    /// `skipBad` is false.
    public static func upload(_ bytes: [UInt8], source: String, skipBad: Bool, encoding: TextEncoding? = nil,
                              in session: LedgerSession) async throws -> ImportUpload {
        let document = try SpreadsheetUpload.document(bytes, source: source, encoding: encoding, aliases: HeaderAliases.volunteers)
        try document.requireColumns(requiredColumns)
        let options = ImportOptions(skipBad: skipBad, showProgress: false, encoding: encoding)
        var (report, rejects) = try await checkAndWrite(document, options: options, in: session)
        report.sortProblems()
        return ImportUpload(outcome: ImportOutcome(report: report, encoding: document.encoding),
                            rejects: rejects.isEmpty ? nil : RejectsFile.bytes(document, problems: rejects))
    }
}

/// An uploaded file's rows: an xlsx workbook (a ZIP, "PK\u{3}\u{4}") by its first sheet, anything
/// else as CSV text (UTF-8 or GB18030, as `CSVFile` reads files).
public enum SpreadsheetUpload {
    public static func document(_ bytes: [UInt8], source: String, encoding: TextEncoding? = nil,
                                aliases: [String: [String]]) throws -> CSVDocument {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return try XLSXReader.document(bytes, source: source, aliases: aliases)
        }
        return try CSVFile.parse(bytes: bytes, source: source, encoding: encoding, aliases: aliases)
    }
}
