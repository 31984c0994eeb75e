import Foundation
import PostgresLibPQ

// Attendance calls with their transactions chosen here (see `LedgerSession`).

extension HoursAttendance {
    /// A volunteer tapped in, now or at a given time (a CLI option for the owner's historic loads).
    public static func checkIn(activity: Int64, volunteer: String, at time: TimeInput? = nil, in session: LedgerSession) async throws -> Int64 {
        try await session.write { db in try checkIn(activity: activity, volunteer: volunteer, at: time, on: db) }
    }

    /// A volunteer tapped out: the pending entry of the minutes served.
    public static func checkOut(activity: Int64, volunteer: String, at time: TimeInput? = nil, in session: LedgerSession) async throws -> CheckedOut {
        try await session.write { db in try checkOut(activity: activity, volunteer: volunteer, at: time, on: db) }
    }

    public static func closeOpenCheckIns(activity: Int64, in session: LedgerSession) async throws -> Int {
        try await session.write { db in try closeOpenCheckIns(activity: activity, on: db) }
    }

    /// One write for the whole list: all of them are recorded or none.
    public static func attendance(activity: Int64, volunteers: [String], minutes: Int?, in session: LedgerSession) async throws -> [Int64] {
        try await session.write { db in try attendance(activity: activity, volunteers: volunteers, minutes: minutes, on: db) }
    }
}
