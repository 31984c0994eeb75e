import Foundation
import PostgresLibPQ

extension VolunteerImport {
    /// `vledger volunteer import FILE` in the session's writes, as an upload is imported; the
    /// rejects file is written once the rows are committed.
    public static func run(_ url: URL, options: ImportOptions = ImportOptions(), in session: LedgerSession) async throws -> ImportOutcome {
        let document = try ImportSheet.read(url, options: options, aliases: HeaderAliases.volunteers, required: requiredColumns)
        let (report, rejects) = try await checkAndWrite(document, options: options, in: session)
        return try outcome(report, rejects: rejects, of: document, options: options)
    }

    /// Two writes: the rows' registration check (0250) commits first, so that it counts even when
    /// the rows are then refused, and only then are the rows written.
    static func checkAndWrite(_ document: CSVDocument, options: ImportOptions, in session: LedgerSession) async throws -> (ImportReport, [RuleViolation]) {
        try await session.write { db in try checkValidRows(document, on: db) }
        return try await session.write { db in try apply(document, options: options, checks: .committed, on: db) }
    }
}
