import Foundation
import PostgresLibPQ

/// The roles a person's database login can have (group roles `vledger_<role>`).
public enum UserRole: String, Sendable, CaseIterable {
    case staff, organiser, office, admin
}

/// A person's database login as recorded in `app_user`.
public struct UserAccount: Sendable, Equatable {
    public let login: String
    public let role: String
    public let districtCode: String?
    public let createdBy: String
    public let createdAt: Date
    /// False when the role was dropped from the server (e.g. after a restore onto another server).
    public let canLogIn: Bool
}

/// Database logins for people. The login itself is created by `vl_user_add` in the database
/// (identifiers quoted there with format('%I')); no SQL is ever built from the login here.
public enum UserAccounts {
    /// `^[a-z_][a-z0-9_]{0,62}$`: a PostgreSQL identifier that needs no quoting, at most 63 bytes.
    public static func validateLogin(_ login: String) throws {
        let valid = login.utf8.count <= 63 && !login.isEmpty
            && login.utf8.enumerated().allSatisfy { index, byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
                    || (index > 0 && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            }
        guard valid else {
            throw RuleViolation(
                field: "login", value: login,
                code: "app_user_login_format")
        }
    }

    /// Creates the login (with a password when one is given: hashed here, sent as a SCRAM verifier)
    /// and records it. Runs as the caller, who must be an admin (or the owner).
    public static func add(
        login: String, role: UserRole, districtCode: String?, password: String?, displayName: String? = nil, on db: isolated Connection
    ) throws {
        if let displayName {
            let trimmed = displayName.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.count <= 100 else {
                throw RuleViolation(field: "display_name", value: String(displayName.prefix(60)), code: "app_user_display_name_length")
            }
        }
        try validateLogin(login)
        if role == .staff && districtCode == nil {
            throw RuleViolation(field: "district", value: nil, code: "app_user_staff_district")
        }
        let verifier = try password.map { password -> String in
            guard !password.isEmpty else {
                throw RuleViolation(field: "password", value: nil, code: "not_empty")
            }
            return try db.scramVerifier(password: password, user: login)
        }
        try db.query("SELECT vl_user_add(\(login), \(role.rawValue), \(districtCode), \(verifier))")
        if let displayName {
            try db.query("SELECT vl_user_set_display_name(\(login), \(displayName.trimmingCharacters(in: .whitespaces)))")
        }
    }

    public static func list(on db: isolated Connection) throws -> [UserAccount] {
        try db.query("""
            SELECT u.login, u.role, u.district_code, u.created_by, u.created_at,
                   EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = u.login AND r.rolcanlogin)
            FROM app_user u
            ORDER BY u.login
            """).map { row in
            UserAccount(
                login: try row.decode(0), role: try row.decode(1), districtCode: try row.decode(2, as: String?.self),
                createdBy: try row.decode(3), createdAt: try row.decode(4), canLogIn: try row.decode(5))
        }
    }
}
