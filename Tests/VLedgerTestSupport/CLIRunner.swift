import Foundation

/// Runs the built `vledger` executable as a whole process, as a user or script would.
public enum CLIRunner {
    /// A metrics or statement JSON without its last key "audit_head" (the head of the audit chain
    /// it was computed at, 0081): for comparing figures across databases, or before and after
    /// writes that leave the figures alone but add links.
    public static func withoutAuditHead(_ json: String) -> String {
        guard let start = json.range(of: ",\n  \"audit_head\": ", options: .backwards) else { return json }
        return String(json[..<start.lowerBound]) + "\n}" + (json.hasSuffix("\n") ? "\n" : "")
    }

    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String

        /// Standard output without the final newline.
        public var output: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The locale the runner gives the binary unless a test sets its own.
    public static let englishLocale = "en_US.UTF-8"

    /// The executable next to the test bundle (`.build/debug/vledger`), or $VLEDGER_BIN.
    public static func executable() -> URL {
        if let path = ProcessInfo.processInfo.environment["VLEDGER_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("vledger")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../.build/debug/vledger").standardized
    }

    /// Runs `vledger ARGS --database-url URL`-style: the database is passed through the environment
    /// so every subcommand gets it without each test repeating the flag.
    ///
    /// Async on purpose: the wait for the child happens on a Dispatch thread, never on one of the
    /// few threads of Swift's cooperative pool that every other test shares.
    public static func run(
        _ arguments: [String], database: TestDatabase?, stdin: String? = nil, environment extra: [String: String] = [:]
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result {
                    try runBlocking(arguments, database: database, stdin: stdin, environment: extra)
                })
            }
        }
    }

    static func runBlocking(
        _ arguments: [String], database: TestDatabase?, stdin: String?, environment extra: [String: String]
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "VLEDGER_DATABASE_URL")
        if let database { environment["VLEDGER_DATABASE_URL"] = database.connectionString }
        // The existing tests read English; a test of the Chinese passes `--lang zh` or its own LC_ALL.
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] { environment.removeValue(forKey: name) }
        environment["LC_ALL"] = englishLocale
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes while the process runs so a large output cannot block it.
        let outData = LockedData()
        let errData = LockedData()
        let group = DispatchGroup()
        for (pipe, sink) in [(output, outData), (errors, errData)] {
            group.enter()
            DispatchQueue.global().async {
                sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        process.waitUntilExit()
        group.wait()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData.get(), as: UTF8.self),
            stderr: String(decoding: errData.get(), as: UTF8.self)
        )
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

extension Result where Failure == any Error {
    /// Captures the outcome of async work, so cleanup can run before it is rethrown.
    public init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
