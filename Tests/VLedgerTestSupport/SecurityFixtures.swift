import Foundation
import PostgresLibPQ

/// Database logins for a test: created through `vl_user_add` with unique names (roles are
/// cluster-wide and tests run in parallel), reached with the test server's URL and the user
/// replaced, and dropped at the end whatever happens.
public enum TestLogins {
    /// Runs `body` with a way to create logins in `database`; every login made is dropped afterwards.
    public static func with<T: Sendable>(
        _ database: TestDatabase, _ body: @Sendable (LoginMaker) async throws -> T
    ) async throws -> T {
        let maker = LoginMaker(database: database)
        do {
            let value = try await body(maker)
            try await maker.dropAll()
            return value
        } catch {
            try? await maker.dropAll()
            throw error
        }
    }
}

public actor LoginMaker {
    public let database: TestDatabase
    private var created: [String] = []

    init(database: TestDatabase) {
        self.database = database
    }

    /// A new login with `role` ("staff", "organiser", "office", "admin"), created by the superuser.
    public func login(_ role: String, district: String? = nil, prefix: String = "t") async throws -> String {
        let name = "\(prefix)_\(role.prefix(3))_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let admin = try await database.connect()
        try await admin.execute("SELECT vl_user_add(\(name), \(role), \(district), NULL)")
        await admin.close()
        created.append(name)
        return name
    }

    /// Remembers a login made some other way (e.g. by the CLI) so it is dropped at the end.
    public func adopt(_ name: String) {
        created.append(name)
    }

    public func connectionString(as login: String) throws -> String {
        try TestServer.connectionString(database: database.name, user: login)
    }

    public func connect(as login: String) async throws -> Connection {
        try await Connection.connect(try connectionString(as: login))
    }

    func dropAll() async throws {
        guard !created.isEmpty else { return }
        let admin = try await Connection.connect(try TestServer.adminConnectionString())
        for name in created {
            // A login that is still connected cannot be dropped: end its sessions first, and wait
            // (up to a minute each, a hang bound) until they have ended.
            try await admin.execute("SELECT pg_terminate_backend(pid, 60000) FROM pg_stat_activity WHERE usename = \(name)")
            try await admin.execute("DROP ROLE IF EXISTS \(unsafeRaw: "\"" + name + "\"")")
        }
        await admin.close()
        created.removeAll()
    }
}

extension TestServer {
    /// The test server, another database, another user (same host, port and authentication).
    public static func connectionString(database: String, user: String) throws -> String {
        let admin = try adminConnectionString()
        if admin.hasPrefix("postgres://") || admin.hasPrefix("postgresql://") {
            guard var components = URLComponents(string: admin) else { throw NotConfigured() }
            components.path = "/" + database
            components.user = user
            components.password = nil
            return components.string!
        }
        return admin + " dbname=" + database + " user=" + user
    }
}

/// Valid resident ID numbers for test data (GB 11643-1999 check digit).
public enum TestIDNumber {
    public static func make(region: String = "210682", birth: String = "19800101", sequence: Int) -> String {
        let base = region + birth + String(format: "%03d", sequence % 1000)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let total = zip(base, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return base + String(Array("10X98765432")[total % 11])
    }
}
