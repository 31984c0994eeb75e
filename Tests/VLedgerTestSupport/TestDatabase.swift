import Foundation
import PostgresLibPQ
import VLedgerCore

/// A database of its own for one test, on the server named by VLEDGER_TEST_DATABASE_URL,
/// cloned from a migrated template and dropped afterwards, so tests run in parallel and leave nothing.
public struct TestDatabase: Sendable {
    public let name: String
    /// libpq connection string for this test's database (pass it to `vledger --database-url`).
    public let connectionString: String

    /// Runs `body` with a fresh database that is always dropped afterwards.
    public static func with<T: Sendable>(
        migrated: Bool = true, _ body: @Sendable (TestDatabase) async throws -> T
    ) async throws -> T {
        try await TestGate.shared.admitted {
            try await withFresh(migrated: migrated, body)
        }
    }

    /// Same, with a hang guard that starts once the test is admitted and its database exists, so
    /// it never counts the wait at `TestGate` (Swift Testing's `.timeLimit` does: do not use it).
    /// A body still running at `deadline` fails the test with `DeadlineExceeded`; its database is
    /// then dropped WITH (FORCE), which ends its sessions and so frees a body stuck in a statement.
    public static func with<T: Sendable>(
        migrated: Bool = true, deadline: Duration, _ body: @escaping @Sendable (TestDatabase) async throws -> T
    ) async throws -> T {
        try await TestGate.shared.admitted {
            let database = try await create(migrated: migrated)
            do {
                let value = try await withDeadline(deadline) { try await body(database) }
                try await database.drop()
                return value
            } catch {
                try? await database.drop()
                throw error
            }
        }
    }

    private static func withFresh<T: Sendable>(
        migrated: Bool, _ body: @Sendable (TestDatabase) async throws -> T
    ) async throws -> T {
        let database = try await create(migrated: migrated)
        do {
            let value = try await body(database)
            try await database.drop()
            return value
        } catch {
            try? await database.drop()
            throw error
        }
    }

    public static func create(migrated: Bool = true) async throws -> TestDatabase {
        // Messages rendered in the test process read English, as the tests expect; tests of the
        // Chinese ask for it (`message(in: .zh)`).
        LanguageChoice.set(.en, source: .option)
        let admin = try await Connection.connect(try TestServer.adminConnectionString())
        let name = "vltest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        if migrated {
            let template = try await TestServer.migratedTemplate(admin: admin)
            try await TestServer.retryingBusyTemplate {
                try await admin.execute("CREATE DATABASE \(unsafeRaw: name) TEMPLATE \(unsafeRaw: template)")
            }
        } else {
            try await admin.execute("CREATE DATABASE \(unsafeRaw: name)")
        }
        await admin.close()
        return TestDatabase(name: name, connectionString: try TestServer.connectionString(database: name))
    }

    public func connect() async throws -> Connection {
        try await Connection.connect(connectionString)
    }

    public func drop() async throws {
        let admin = try await Connection.connect(try TestServer.adminConnectionString())
        try await admin.execute("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)")
        await admin.close()
    }
}

public enum TestServer {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "VLEDGER_TEST_DATABASE_URL is not set: run the tests with `bash deploy/test.sh`, which starts a throwaway PostgreSQL"
        }
    }

    /// The server tests use; a superuser connection to its maintenance database.
    public static func adminConnectionString() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["VLEDGER_TEST_DATABASE_URL"], !url.isEmpty else {
            throw NotConfigured()
        }
        return url
    }

    /// The same server, another database.
    public static func connectionString(database: String) throws -> String {
        let admin = try adminConnectionString()
        if admin.hasPrefix("postgres://") || admin.hasPrefix("postgresql://") {
            guard var components = URLComponents(string: admin) else { throw NotConfigured() }
            components.path = "/" + database
            return components.string!
        }
        // key=value form: a later keyword overrides an earlier one.
        return admin + " dbname=" + database
    }

    /// A template database holding the current migrations, named by their checksum, so each test
    /// database is a quick file copy instead of a migration run.
    static func migratedTemplate(admin: Connection) async throws -> String {
        let directory = try MigrationRunner.locateDirectory()
        let migrations = try MigrationRunner(directory: directory).migrations()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in migrations.flatMap({ Array(($0.name + $0.sql).utf8) }) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let template = "vledger_tmpl_" + String(hash, radix: 16)
        try await admin.execute("SELECT pg_advisory_lock(hashtext('vledger.test.template'))")
        do {
            let exists = try await admin.query("SELECT 1 FROM pg_database WHERE datname = \(template)").count == 1
            if !exists {
                try await admin.execute("CREATE DATABASE \(unsafeRaw: template)")
                let connection = try await Connection.connect(try connectionString(database: template))
                do {
                    try await MigrationRunner(directory: directory).migrate(on: connection)
                } catch {
                    await connection.close()
                    try await admin.execute("DROP DATABASE \(unsafeRaw: template) WITH (FORCE)")
                    throw error
                }
                await connection.close()
            }
        } catch {
            _ = try? await admin.execute("SELECT pg_advisory_unlock(hashtext('vledger.test.template'))")
            throw error
        }
        try await admin.execute("SELECT pg_advisory_unlock(hashtext('vledger.test.template'))")
        return template
    }

    /// Retries while the template is busy, for up to two minutes (on a busy machine "a moment"
    /// can be long; the bound is a hang guard, not an expectation).
    static func retryingBusyTemplate(_ body: () async throws -> Void) async throws {
        let clock = ContinuousClock()
        let giveUp = clock.now + .seconds(120)
        while true {
            do {
                return try await body()
            } catch let error as PostgresError where error.sqlState == SQLState("55006") && clock.now < giveUp {
                // Another test's CREATE DATABASE holds the template for a moment.
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}

/// Swift Testing starts every test at once; each test database brings its own connections (and
/// CLI processes bring more), which would exceed the server's max_connections on a big suite.
/// The gate lets a bounded number of tests hold a database at a time. A test that opens a second
/// database inside the first is already admitted and does not wait (no deadlock).
public actor TestGate {
    public static let shared = TestGate(limit: Int(ProcessInfo.processInfo.environment["VLEDGER_TEST_PARALLEL"] ?? "") ?? 8)

    @TaskLocal static var admittedHere = false

    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    public nonisolated func admitted<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if Self.admittedHere { return try await body() }
        await enter()
        do {
            let value = try await Self.$admittedHere.withValue(true) { try await body() }
            await leave()
            return value
        } catch {
            await leave()
            throw error
        }
    }

    private func enter() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
