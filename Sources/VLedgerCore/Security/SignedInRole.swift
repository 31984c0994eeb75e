import PostgresLibPQ

/// The role of the person a transaction acts for, as the pages show it next to their name:
/// the database's own membership (pg_has_role), so the page says what the grants will do.
public enum SignedInRole {
    /// The person's login (the role the transaction acts as) and their group role.
    public static func current(in session: LedgerSession) async throws -> (login: String, role: UserRole?) {
        try await session.read { db in
            let row = try db.query("""
                SELECT pg_has_role(current_user, 'vledger_admin', 'MEMBER'), pg_has_role(current_user, 'vledger_office', 'MEMBER'),
                       pg_has_role(current_user, 'vledger_organiser', 'MEMBER'), pg_has_role(current_user, 'vledger_staff', 'MEMBER'),
                       current_user::text
                """).single()
            let login: String = try row.decode(4)
            for (index, role) in [UserRole.admin, .office, .organiser, .staff].enumerated() where try row.decode(index, as: Bool.self) {
                return (login, role)
            }
            return (login, nil)
        }
    }
}
