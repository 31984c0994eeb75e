import Foundation
import PostgresLibPQ

/// Registering an ID number takes a committed check first (migration 0250), so that a
/// registration rolled back cannot answer "is this number registered?" uncounted. The check
/// says nothing of what is registered; a login may check only a few numbers sharing one masked
/// form a day.
public enum RegistrationCheck {
    /// Records the check in the caller's transaction: the caller commits it before registering
    /// (the session path: one `write` for the check, then one for the registration).
    public static func record(_ idNumbers: [String], on db: isolated Connection) throws {
        guard !idNumbers.isEmpty else { return }
        _ = try db.query("SELECT vl_registration_check(\(idNumbers)::text[])")
    }

    /// Records and commits the check on a plain connection: at once when no transaction is open,
    /// else on a session of its own (the login is the person, as for the CLI), since a check
    /// inside the caller's transaction would count only if that transaction commits.
    public static func take(_ idNumbers: [String], on db: isolated Connection) throws {
        guard !idNumbers.isEmpty else { return }
        let check: SQL = "SELECT vl_registration_check(\(idNumbers)::text[])"
        if db.inTransaction {
            _ = try db.queryOnOwnSession(check)
        } else {
            _ = try db.query(check)
        }
    }
}
