import Foundation
import PostgresLibPQ

/// What the volunteer's own check-in page may show of an activity: its title, only while the
/// activity takes codes (vl_checkin_page_activity, 0190); nil otherwise.
public enum CheckinPage {
    public static func title(activity: Int64, in session: LedgerSession) async throws -> String? {
        try await session.read { db in
            try db.query("SELECT title FROM vl_checkin_page_activity(\(activity))").first?.decode(0, as: String.self)
        }
    }
}
