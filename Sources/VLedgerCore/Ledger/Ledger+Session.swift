import Foundation
import PostgresLibPQ

// The ledger's calls with their transactions chosen here (see `LedgerSession`), for the CLI and
// the HTTP service alike.

extension HoursService {
    public static func record(
        activity: Int64, volunteer: String, minutes: Int, start: TimeInput? = nil, requestID: String? = nil,
        in session: LedgerSession
    ) async throws -> Recorded {
        try await session.write { db in
            try record(activity: activity, volunteer: volunteer, minutes: minutes, start: start, requestID: requestID, on: db)
        }
    }

    public static func approve(_ ids: [Int64], in session: LedgerSession) async throws -> [Decided] {
        try await session.write { db in try approve(ids, on: db) }
    }

    public static func reject(_ id: Int64, reason: String, in session: LedgerSession) async throws -> Decided {
        try await session.write { db in try reject(id, reason: reason, on: db) }
    }

    public static func correct(_ id: Int64, deltaMinutes: Int, reason: String, requestID: String? = nil,
                               in session: LedgerSession) async throws -> Recorded {
        try await session.write { db in try correct(id, deltaMinutes: deltaMinutes, reason: reason, requestID: requestID, on: db) }
    }
}

extension HoursListing {
    public static func load(volunteer: String?, activity: Int64?, in session: LedgerSession) async throws -> HoursListing {
        try await session.snapshot { db in try load(volunteer: volunteer, activity: activity, on: db) }
    }
}

extension HoursAnomalies {
    public static func find(year: Int?, limits: Limits = Limits(), in session: LedgerSession) async throws
        -> (anomalies: [HoursAnomaly], lookups: [IDLookupAnomaly])
    {
        try await session.snapshot { db in (try find(year: year, limits: limits, on: db), try lookups(year: year, on: db)) }
    }
}

extension ActivityService {
    public static func create(_ activity: NewActivity, in session: LedgerSession) async throws -> Int64 {
        try await session.write { db in try create(activity, on: db) }
    }

    public static func list(district: String?, in session: LedgerSession) async throws -> [ActivityRow] {
        try await session.read { db in try list(district: district, on: db) }
    }

    public static func show(_ id: Int64, in session: LedgerSession) async throws -> ActivityRow {
        try await session.read { db in try show(id, on: db) }
    }

    public static func close(_ id: Int64, in session: LedgerSession) async throws -> (alreadyClosed: Bool, checkInsClosed: Int) {
        try await session.write { db in try close(id, on: db) }
    }

    public static func addOrganiser(_ activity: Int64, login: String, in session: LedgerSession) async throws -> OrganiserChange {
        try await session.write { db in try addOrganiser(activity, login: login, on: db) }
    }

    @discardableResult
    public static func removeOrganiser(_ activity: Int64, login: String, in session: LedgerSession) async throws -> OrganiserChange {
        try await session.write { db in try removeOrganiser(activity, login: login, on: db) }
    }

    /// `title,district_code,organiser,starts,ends[,category,org,project]` (columns in any order): every row is
    /// checked first; one bad row and nothing is written, unless `options.skipBad`: then the good
    /// rows are written and the bad ones saved to the rejects file once those are committed.
    /// Returns the new ids in file order.
    public static func importFile(_ path: String, options: ImportOptions = ImportOptions(showProgress: false),
                                  in session: LedgerSession) async throws -> (ids: [Int64], outcome: ImportOutcome) {
        try await RowImport.run(path, aliases: HeaderAliases.activities, required: importColumns, options: options, in: session) {
            table, skipBad, db in try apply(table, skipBad: skipBad, on: db)
        }
    }
}

extension HoursImport {
    /// One write for the roster; with `approve`, the new entries are approved in it too.
    public static func importFile(_ path: String, options: ImportOptions = ImportOptions(showProgress: false), approve: Bool = false,
                                  in session: LedgerSession) async throws -> ImportOutcome {
        let table = try ImportSheet.read(path, options: options, aliases: HeaderAliases.hours, required: header)
        let progress = options.showProgress ? ProgressReporter(label: "staging \(table.source)") : nil
        let skipBad = options.skipBad
        let (report, approved) = try await session.write { db in
            try apply(table, skipBad: skipBad, approve: approve, progress: progress, on: db)
        }
        return try ImportSheet.committed(report, of: table, options: options, approved: approve ? approved : nil)
    }
}
