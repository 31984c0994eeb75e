import Foundation
import PostgresLibPQ

// Party membership's calls with their transactions chosen here (see `LedgerSession`).

extension PartyMembers {
    public static func record(_ volunteer: String, status text: String, on dateText: String, in session: LedgerSession) async throws {
        try await session.write { db in try record(volunteer, status: text, on: dateText, on: db) }
    }

    public static func history(_ volunteer: String, in session: LedgerSession) async throws -> (VolunteerRef, [PartyStatusRow]) {
        try await session.read { db in try history(volunteer, on: db) }
    }
}
