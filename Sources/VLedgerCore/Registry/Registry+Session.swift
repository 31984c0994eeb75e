import Foundation
import PostgresLibPQ

// The registry's calls with their transactions chosen here (see `LedgerSession`).

extension VolunteerRegistry {
    /// Two transactions: the check of the ID number (0250) commits before the registration.
    public static func register(_ request: RegistrationRequest, in session: LedgerSession) async throws -> String {
        let valid = try await session.write { db in
            let valid = try validated(request, on: db)
            try RegistrationCheck.record([valid.idNumber.value], on: db)
            return valid
        }
        return try await session.write { db in try register(valid, on: db) }
    }

    public static func move(_ key: String, toDistrict code: String, on dateText: String, in session: LedgerSession) async throws {
        try await session.write { db in try move(key, toDistrict: code, on: dateText, on: db) }
    }

    public static func deregister(_ key: String, on dateText: String, reason: String, in session: LedgerSession) async throws {
        try await session.write { db in try deregister(key, on: dateText, reason: reason, on: db) }
    }

    public static func update(_ key: String, name: String?, phone: String?, in session: LedgerSession) async throws -> VolunteerRef {
        try await session.write { db in try update(key, name: name, phone: phone, on: db) }
    }
}

extension VolunteerQueries {
    public static func show(_ key: String, in session: LedgerSession) async throws -> VolunteerDetails {
        try await session.read { db in try show(key, on: db) }
    }

    public static func list(_ query: VolunteerListQuery, in session: LedgerSession) async throws -> [VolunteerListing] {
        try await session.read { db in try list(query, on: db) }
    }
}

extension Population {
    public static func list(district: String? = nil, year: Int? = nil, in session: LedgerSession) async throws -> [PopulationFigure] {
        try await session.read { db in try list(district: district, year: year, on: db) }
    }

    /// Every revision, or the figures as they stood at a moment (read in the city's time zone).
    public static func list(district: String?, year: Int?, revisions: Bool, asRecordedAt: String?,
                            in session: LedgerSession) async throws -> [PopulationFigure] {
        try await session.read { db in
            let moment = try asRecordedAt.map { try TimeInput.parse($0, field: "as-recorded-at").resolve(timeZone: try Settings.load(db).timeZone, on: db) }
            return try list(district: district, year: year, revisions: revisions, asRecordedAt: moment, on: db)
        }
    }
}

extension StatementService {
    public static func issue(volunteer key: String, from: String?, to: String?, issuer: String?, in session: LedgerSession) async throws -> Statement {
        try await session.write { db in try issue(volunteer: key, from: from, to: to, issuer: issuer, on: db) }
    }

    /// One snapshot: the check and the stored copy agree.
    public static func reprint(number: String, format: StatementFormat, in session: LedgerSession) async throws -> String {
        try await session.snapshot { db in try reprint(number: number, format: format, on: db) }
    }

    public static func verify(number: String, in session: LedgerSession) async throws -> Verification {
        try await session.snapshot { db in try verify(number: number, on: db) }
    }
}

extension MetricsService {
    /// The figures for the request, in one consistent snapshot.
    public static func run(_ request: MetricsRequest, in session: LedgerSession) async throws -> MetricsReport {
        try await session.snapshot { db in
            try tune(db)
            return try compute(request, on: db)
        }
    }
}
