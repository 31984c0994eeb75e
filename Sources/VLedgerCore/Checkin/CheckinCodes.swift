import Foundation
import PostgresLibPQ

/// The 6-digit code an organiser's screen shows (0140): it changes every 30 seconds and is
/// accepted in its own slot and the next one, from 30 minutes before the activity's start to 30
/// minutes after its end. The database gives it only to an organiser of the activity (its owner
/// or an added organiser), the admin or the owner.
public enum CheckinCodes {
    public struct Code: Sendable, Equatable {
        public let code: String
        public let action: CheckinAction
        /// Accepted before this moment (the end of the next 30-second slot, or of the window).
        public let validUntil: Date
    }

    /// Runs in the caller's transaction, which must be the person's (the CLI's login, or the
    /// service's `SET LOCAL ROLE person`). `at`: the owner only (tests); everyone else gets the
    /// server's clock.
    public static func current(activity: Int64, action: CheckinAction, at: Date? = nil, on db: isolated Connection) throws -> Code {
        do {
            let row = try db.query("""
                SELECT code, action, valid_until FROM vl_checkin_code(\(activity), \(action.rawValue), \(at))
                """).single()
            return Code(code: try row.decode(0), action: action, validUntil: try row.decode(2))
        } catch {
            throw CheckinErrors.translate(error)
        }
    }

    /// The address a volunteer's phone opens from the QR code: `BASE/checkin/ACTIVITY?action=in&code=CODE`.
    public static func checkinURL(base: String, activity: Int64, code: Code) -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        return "\(trimmed)/checkin/\(activity)?action=\(code.action.rawValue)&code=\(code.code)"
    }
}
