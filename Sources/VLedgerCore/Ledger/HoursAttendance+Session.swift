import Foundation
import PostgresLibPQ

extension HoursAttendance {
    /// An organiser taps a volunteer in (now), as the person, in one write.
    public static func checkIn(activity: Int64, volunteer: String, in session: LedgerSession) async throws -> Int64 {
        try await session.write { db in try checkIn(activity: activity, volunteer: volunteer, at: nil, on: db) }
    }

    /// An organiser taps a volunteer out (now): the pending entry of the minutes served.
    public static func checkOut(activity: Int64, volunteer: String, in session: LedgerSession) async throws -> CheckedOut {
        try await session.write { db in try checkOut(activity: activity, volunteer: volunteer, at: nil, on: db) }
    }
}
