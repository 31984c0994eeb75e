import Foundation
import PostgresLibPQ

// Community projects' calls with their transactions chosen here (see `LedgerSession`).

extension Projects {
    public static func add(name: String, plan: String, district: String, organisation: String, from: String, to: String,
                           targetVolunteers: String, targetHours: String, in session: LedgerSession) async throws -> Int64 {
        try await session.write { db in
            try add(name: name, plan: plan, district: district, organisation: organisation, from: from, to: to,
                    targetVolunteers: targetVolunteers, targetHours: targetHours, on: db)
        }
    }

    public static func list(district: String?, in session: LedgerSession) async throws -> [CommunityProject] {
        try await session.read { db in try list(district: district, on: db) }
    }

    /// One snapshot: the activities' figures add up to the project's totals.
    public static func report(_ key: String, asRecordedAt: String? = nil, in session: LedgerSession) async throws -> ProjectReport {
        try await session.snapshot { db in try report(key, asRecordedAt: asRecordedAt, on: db) }
    }
}
