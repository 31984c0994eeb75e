import Foundation
import PostgresLibPQ

/// Which database a command uses: `--database-url`, else `VLEDGER_DATABASE_URL`, else the
/// embedded cluster vledger starts itself in its data folder.
public struct DatabaseLocator: Sendable {
    public enum Source: Sendable, Equatable {
        case option, environment, embedded(home: String)
    }

    public let connectionString: String
    public let source: Source
    let cluster: EmbeddedCluster?

    public init(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let option, !option.isEmpty {
            connectionString = option
            source = .option
            cluster = nil
        } else if let url = environment["VLEDGER_DATABASE_URL"], !url.isEmpty {
            connectionString = url
            source = .environment
            cluster = nil
        } else {
            let cluster = EmbeddedCluster()
            self.cluster = cluster
            connectionString = cluster.connectionString
            source = .embedded(home: cluster.home.path)
        }
    }

    public var embeddedCluster: EmbeddedCluster? { cluster }

    /// A person-readable name of the database, without any password.
    public var displayName: String {
        switch source {
        case .option: return "--database-url \(Self.redacted(connectionString))"
        case .environment: return "VLEDGER_DATABASE_URL \(Self.redacted(connectionString))"
        case .embedded(let home): return "embedded PostgreSQL in \(home)"
        }
    }

    /// Opens a connection, starting the embedded cluster first when that is the database in use,
    /// and applies pending migrations unless told not to.
    public func connect(migrate: Bool = true, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Connection {
        if let cluster {
            try cluster.ensureRunning(progress: progress)
        }
        let connection = try await Connection.connect(connectionString)
        // A client that is killed or loses its network mid-statement would otherwise leave the
        // server working on (or waiting for locks for) that statement for as long as it takes:
        // PostgreSQL 14+ checks the socket every few seconds while a statement runs.
        try await connection.execute("""
            SELECT set_config('client_connection_check_interval', '2s', false)
            WHERE current_setting('server_version_num')::int >= 140000
            """)
        // Without --lang or a locale that names a language, the deployment's setting decides.
        await connection.applyLanguageSetting()
        await connection.applyCityTimeZone()
        if migrate {
            try await MigrationRunner(directory: try MigrationRunner.locateDirectory()).migrate(on: connection, progress: progress)
        }
        return connection
    }

    /// Hides `password=…` and the password of a URL.
    public static func redacted(_ connectionString: String) -> String {
        var text = connectionString
        if let range = text.range(of: #"://[^:/@]+:[^@]*@"#, options: .regularExpression) {
            let userPart = text[range].dropFirst(3).split(separator: ":").first ?? ""
            text.replaceSubrange(range, with: "://\(userPart):***@")
        }
        return text.replacingOccurrences(of: #"password\s*=\s*('[^']*'|\S+)"#, with: "password=***", options: .regularExpression)
    }
}
