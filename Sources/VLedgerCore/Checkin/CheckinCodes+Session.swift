import Foundation
import PostgresLibPQ

extension CheckinCodes {
    /// A write, though it only shows a code: the activity's secret is made on first use.
    public static func current(activity: Int64, action: CheckinAction, in session: LedgerSession) async throws -> Code {
        try await session.write { db in try current(activity: activity, action: action, on: db) }
    }
}
