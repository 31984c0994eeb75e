import Foundation
import PostgresLibPQ
import VLedgerCore

/// A database made for one benchmark run on the server the user named, migrated, and dropped
/// afterwards whatever happens.
struct RegistryBenchDatabase {
    let name: String
    let connectionString: String

    static func with<T>(
        server: String, label: String, count: Int = 1, _ body: ([RegistryBenchDatabase]) async throws -> T
    ) async throws -> T {
        let admin = try await Connection.connect(server)
        var made: [RegistryBenchDatabase] = []
        do {
            for index in 0..<count {
                let name = "vledger_bench_\(label)_\(index)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
                try await admin.execute("CREATE DATABASE \(unsafeRaw: name)")
                let database = RegistryBenchDatabase(name: name, connectionString: connectionString(server, database: name))
                made.append(database)
                let connection = try await Connection.connect(database.connectionString)
                try await MigrationRunner(directory: try MigrationRunner.locateDirectory()).migrate(on: connection)
                await connection.close()
            }
            let value = try await body(made)
            for database in made { try await admin.execute("DROP DATABASE IF EXISTS \(unsafeRaw: database.name) WITH (FORCE)") }
            return value
        } catch {
            for database in made { _ = try? await admin.execute("DROP DATABASE IF EXISTS \(unsafeRaw: database.name) WITH (FORCE)") }
            throw error
        }
    }

    /// The same server, another database: the URL's path, or a later dbname= keyword (libpq
    /// lets a later keyword override an earlier one).
    static func connectionString(_ server: String, database: String) -> String {
        if server.hasPrefix("postgres://") || server.hasPrefix("postgresql://"), var components = URLComponents(string: server) {
            components.path = "/" + database
            return components.string ?? server
        }
        return server + " dbname=" + database
    }
}

enum RegistryBenchProcess {
    /// This very executable, so the benchmark measures the build that runs it.
    static var vledger: URL {
        Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    }

    /// Runs a program to the end; returns wall-clock seconds. Output is captured and shown only on failure.
    @discardableResult
    static func timed(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> Double {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let started = DispatchTime.now().uptimeNanoseconds
        try process.run()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        guard process.terminationStatus == 0 else {
            throw VLedgerError.refused("\(executable.lastPathComponent) \(arguments.prefix(3).joined(separator: " ")) failed: \(String(decoding: errorData, as: UTF8.self))")
        }
        return elapsed
    }

    static func find(_ program: String) -> URL? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(program)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}

enum RegistryBenchDistricts {
    static let codes = ["210682001", "210682002", "210682003", "210682004", "210682005"]
    static let names = ["凤凰城街道", "元宝区街道", "振兴区街道", "振安区街道", "东港市街道"]

    static func add(on db: isolated Connection) throws {
        for (code, name) in zip(codes, names) {
            _ = try Districts.add(code: code, name: name, builtUp: true, on: db)
        }
    }
}
