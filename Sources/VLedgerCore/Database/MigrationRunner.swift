import Foundation
import PostgresLibPQ

/// Applies the numbered plain-SQL files of `db/migrations` in order, each in its own transaction,
/// recording name and checksum. A file that changed after it was applied stops everything.
public struct MigrationRunner: Sendable {
    public struct Migration: Sendable, Equatable {
        public let name: String
        public let sql: String
    }

    public struct Applied: Sendable, Equatable {
        public let name: String
        public let checksum: String
        public let appliedAt: Date
    }

    public enum State: String, Sendable {
        case applied, pending, changed
    }

    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The migration files, sorted by name (`0001_core.sql`, `0002_…`).
    public func migrations() throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw UserFacingError.error(.configuration, "migrations_unreadable", ["folder": directory.path, "detail": error.localizedDescription])
        }
        return try names.filter { $0.hasSuffix(".sql") }.sorted().map { name in
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path), let sql = String(data: data, encoding: .utf8) else {
                throw UserFacingError.error(.configuration, "migration_not_utf8", ["file": url.path])
            }
            return Migration(name: name, sql: sql)
        }
    }

    /// Applies every pending migration; returns the names applied (empty when up to date).
    @discardableResult
    public func migrate(on connection: Connection, progress: @Sendable (String) -> Void = { _ in }) async throws -> [String] {
        let files = try migrations()
        return try await connection.withIsolated { db in
            // One migrator at a time, across processes.
            try db.execute("SELECT pg_advisory_lock(hashtext('vledger.migrate'))")
            defer { _ = try? db.execute("SELECT pg_advisory_unlock(hashtext('vledger.migrate'))") }
            try Self.ensureLedgerTable(db)
            let applied = try Self.appliedMigrations(db)
            try Self.refuseChanged(files: files, applied: applied, db: db)
            var done: [String] = []
            for migration in files where applied[migration.name] == nil {
                progress(tr("ui.db.applying", ["name": migration.name]))
                try db.transaction { tx in
                    try tx.executeScript(unsafeSQL: migration.sql)
                    try tx.execute("""
                        INSERT INTO schema_migration (name, checksum)
                        VALUES (\(migration.name), encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex'))
                        """)
                }
                done.append(migration.name)
            }
            if !done.isEmpty {
                // Functions created by any migration get the schema's fixed search_path (0071).
                try db.transaction { tx in
                    if try tx.query("SELECT to_regproc('vl_pin_search_path') IS NOT NULL").single().decode(0, as: Bool.self) {
                        try tx.execute("SELECT count(*) FROM vl_pin_search_path()")
                    }
                }
            }
            return done
        }
    }

    /// Each file with its state, plus applied migrations whose file is gone.
    public func status(on connection: Connection) async throws -> [(name: String, state: State, appliedAt: Date?)] {
        let files = try migrations()
        return try await connection.withIsolated { db in
            let applied = try Self.tableExists(db) ? Self.appliedMigrations(db) : [:]
            let checksums = try Self.checksums(of: files.filter { applied[$0.name] != nil }, db: db)
            var rows: [(String, State, Date?)] = []
            for file in files {
                if let record = applied[file.name] {
                    rows.append((file.name, checksums[file.name] == record.checksum ? .applied : .changed, record.appliedAt))
                } else {
                    rows.append((file.name, .pending, nil))
                }
            }
            return rows
        }
    }

    static func tableExists(_ db: isolated Connection) throws -> Bool {
        try db.query("SELECT to_regclass('schema_migration') IS NOT NULL").single().decode(0, as: Bool.self)
    }

    static func ensureLedgerTable(_ db: isolated Connection) throws {
        guard try !tableExists(db) else { return }
        try db.execute("""
            CREATE TABLE schema_migration (
                name       text PRIMARY KEY,
                checksum   text NOT NULL,
                applied_by text NOT NULL DEFAULT current_user,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
            )
            """)
    }

    static func appliedMigrations(_ db: isolated Connection) throws -> [String: Applied] {
        var applied: [String: Applied] = [:]
        for row in try db.query("SELECT name, checksum, applied_at FROM schema_migration") {
            let record = Applied(name: try row.decode(0), checksum: try row.decode(1), appliedAt: try row.decode(2))
            applied[record.name] = record
        }
        return applied
    }

    /// Checksums of several files in one round trip: every command checks the applied migrations
    /// before it starts, so this sits on the path of `volunteer register` and `hours record`.
    static func checksums(of files: [Migration], db: isolated Connection) throws -> [String: String] {
        guard !files.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for row in try db.query("""
            SELECT f.name, encode(sha256(convert_to(f.sql, 'UTF8')), 'hex')
            FROM unnest(\(files.map(\.name))::text[], \(files.map(\.sql))::text[]) AS f(name, sql)
            """) {
            result[try row.decode(0)] = try row.decode(1)
        }
        return result
    }

    static func refuseChanged(files: [Migration], applied: [String: Applied], db: isolated Connection) throws {
        let checksums = try checksums(of: files.filter { applied[$0.name] != nil }, db: db)
        for file in files {
            guard let record = applied[file.name] else { continue }
            if checksums[file.name] != record.checksum {
                throw UserFacingError.error(.configuration, "migration_changed",
                                            ["name": file.name, "applied_at": record.appliedAt.formatted(.iso8601)])
            }
        }
    }

    /// Finds `db/migrations`: $VLEDGER_MIGRATIONS_DIR, an installed share folder beside the
    /// executable, or the source tree the executable was built in.
    public static func locateDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let explicit = environment["VLEDGER_MIGRATIONS_DIR"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        var candidates: [URL] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        candidates.append(folder.appendingPathComponent("../share/vledger/db/migrations").standardized)
        for _ in 0..<8 {
            candidates.append(folder.appendingPathComponent("db/migrations"))
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("db/migrations"))
        // The source tree this file was compiled from: tests and `swift run` from elsewhere.
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../db/migrations").standardized)
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return candidate
            }
        }
        throw UserFacingError.error(.configuration, "migrations_not_found")
    }
}
