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
    public static func find(year: Int?, in session: LedgerSession) async throws -> (anomalies: [HoursAnomaly], lookups: [IDLookupAnomaly]) {
        try await session.snapshot { db in (try find(year: year, on: db), try lookups(year: year, on: db)) }
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
}
