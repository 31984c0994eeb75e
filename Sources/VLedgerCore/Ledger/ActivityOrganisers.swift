import PostgresLibPQ

/// More organisers for an activity than its owner (activity_organiser, 0040): they record and decide
/// hours on it like the owner, so an entry one of them recorded can be approved by another (nobody
/// approves their own). Only the owner (or an admin) adds and removes them; the database's policies
/// decide that (0042), these functions only give the clearer message first.
extension ActivityService {
    public enum OrganiserChange: Sendable, Equatable {
        case added, alreadyPresent, removed
    }

    public static func addOrganiser(_ activity: Int64, login: String, on db: isolated Connection) throws -> OrganiserChange {
        let login = try organiserLogin(login, on: db)
        try requireActivity(activity, on: db)
        let inserted = try db.execute("""
            INSERT INTO activity_organiser (activity_id, login) VALUES (\(activity), \(login)) ON CONFLICT DO NOTHING
            """)
        return inserted == 0 ? .alreadyPresent : .added
    }

    public static func removeOrganiser(_ activity: Int64, login: String, on db: isolated Connection) throws -> OrganiserChange {
        let login = login.trimmingCharacters(in: .whitespaces)
        try requireActivity(activity, on: db)
        let listed = try db.query("SELECT 1 FROM activity_organiser WHERE activity_id = \(activity) AND login = \(login)").first != nil
        guard listed else {
            throw RuleViolation(field: "login", value: login, code: "not_an_organiser", args: ["activity": "\(activity)"])
        }
        // Row-level security lets only the owner's (or an admin's) DELETE see the row.
        guard try db.execute("DELETE FROM activity_organiser WHERE activity_id = \(activity) AND login = \(login)") == 1 else {
            throw RuleViolation(field: "activity", value: String(activity), code: "activity_not_yours")
        }
        return .removed
    }

    /// Organisers (or admins) of this database only: a login of another role could not record hours anyway.
    static func organiserLogin(_ text: String, on db: isolated Connection) throws -> String {
        let login = text.trimmingCharacters(in: .whitespaces)
        guard let row = try db.query("SELECT role FROM app_user WHERE login = \(login)").first else {
            throw RuleViolation(field: "login", value: login, code: "no_such_user")
        }
        let role: String = try row.decode(0)
        guard role == "organiser" || role == "admin" else {
            throw RuleViolation(field: "login", value: login, code: "organiser_role", args: ["role": "\(role)"])
        }
        return login
    }

    static func requireActivity(_ id: Int64, on db: isolated Connection) throws {
        guard try db.query("SELECT 1 FROM activity WHERE id = \(id)").first != nil else {
            throw RuleViolation(field: "activity", value: String(id), code: "no_such_activity")
        }
    }
}
