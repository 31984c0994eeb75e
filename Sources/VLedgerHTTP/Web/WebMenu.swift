import VLedgerCore

/// The menu: each role sees the pages it may use. Only a convenience: every page asks the
/// database as the visitor, and the rules (grants, row-level security) refuse what the role may not do.
enum WebMenu {
    struct Item: Equatable {
        /// The text is `web.nav.KEY`.
        let key: String
        let path: String
        let roles: Set<UserRole>
    }

    static let all: [Item] = [
        Item(key: "activities", path: "/activities", roles: [.organiser, .admin]),
        Item(key: "pending", path: "/hours/pending", roles: [.organiser, .admin]),
        Item(key: "dashboard", path: "/dashboard", roles: [.office, .admin]),
        Item(key: "outreach", path: "/outreach", roles: [.office, .staff, .admin]),
        Item(key: "anomalies", path: "/anomalies", roles: [.office, .admin]),
        Item(key: "volunteers", path: "/volunteers", roles: [.staff, .admin]),
        Item(key: "register", path: "/volunteers/new", roles: [.staff, .admin]),
        Item(key: "import", path: "/volunteers/import", roles: [.staff, .admin]),
        Item(key: "populations", path: "/populations", roles: [.office, .admin]),
        Item(key: "districts", path: "/districts", roles: [.office, .admin]),
        // Public: whoever holds a statement number.
        Item(key: "verify", path: "/verify", roles: Set(UserRole.allCases)),
    ]

    static func home(for role: UserRole?) -> String {
        switch role {
        case .organiser, .admin: return "/activities"
        case .staff: return "/volunteers"
        case .office: return "/dashboard"
        case nil: return "/verify"
        }
    }

    static func items(for role: UserRole?) -> [Item] {
        guard let role else { return all.filter { $0.path == "/verify" } }
        return all.filter { $0.roles.contains(role) }
    }
}
