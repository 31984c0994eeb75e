import Foundation
import PostgresLibPQ
import Testing
import VLedgerCore
import VLedgerTestSupport

/// The `vledger serve` process itself: it starts on the address given, answers, and on SIGTERM
/// stops cleanly (the server first, then the pool).
struct ServeProcessTests {
    @Test func serveStartsAnswersAndStopsOnSIGTERM() async throws {
        try await TestDatabase.with(deadline: .seconds(300)) { database in
            try await TestLogins.with(database) { logins in
                let owner = try await database.connect()
                let service = "t_svc_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
                try await owner.execute("CREATE ROLE \(unsafeRaw: service) LOGIN IN ROLE vledger_service")
                await logins.adopt(service)
                await owner.close()

                try await ServeProcess.run(["--database-url", try await logins.connectionString(as: service)]) { server in
                    let answer = try await SlowClient.exchange(port: server.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
                }
            }
        }
    }
}

extension ServeProcessTests {
    /// The README's default: no URL, the embedded cluster. Its socket trusts vledger's own OS
    /// user, except on the sign-in database, where PostgreSQL asks for the person's password, so
    /// password sign-in works there and a wrong password is refused.
    @Test func serveOnTheEmbeddedDefaultChecksPasswordsThroughPostgreSQL() async throws {
        let home = URL(fileURLWithPath: "/tmp").appendingPathComponent("vl-serve-\(UUID().uuidString.prefix(8))")
        let environment = ["VLEDGER_HOME": home.path]
        let outcome = await Result(catching: { try await Self.signInOnTheEmbeddedDefault(environment) })
        _ = try? await CLIRunner.run(["db", "stop"], database: nil, environment: environment)
        try? FileManager.default.removeItem(at: home)
        try outcome.get()
    }

    static func signInOnTheEmbeddedDefault(_ environment: [String: String]) async throws {
        let added = try await CLIRunner.run(["user", "add", "org_e", "--role", "organiser", "--password"], database: nil,
                                            environment: environment.merging(["VLEDGER_NEW_PASSWORD": "Right-Horse-7"]) { $1 })
        #expect(added.status == 0, "\(added.stderr)")
        try await ServeProcess.run([], environment: environment) { server in
            #expect(server.output.contains("password sign-in: PostgreSQL asks for passwords"), "\(server.output)")
            let right = try await signIn(port: server.port, login: "org_e", password: "Right-Horse-7")
            #expect(right.hasPrefix("HTTP/1.1 201"), "\(right)")
            let wrong = try await signIn(port: server.port, login: "org_e", password: "Wrong-Horse-7")
            #expect(wrong.hasPrefix("HTTP/1.1 401"), "\(wrong)")
        }
    }

    static func signIn(port: Int, login: String, password: String) async throws -> String {
        let body = #"{"login":"\#(login)","password":"\#(password)"}"#
        return try await SlowClient.exchange(port: port, """
            POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\
            Connection: close\r\n\r\n\(body)
            """)
    }
}

/// A `vledger serve` process on a free loopback port for the length of `body`, then SIGTERM:
/// it must stop cleanly (the server first, then the pool) with status 0.
enum ServeProcess {
    struct Running { let port: Int; let output: String }

    static func run(_ arguments: [String], environment extra: [String: String] = [:],
                    _ body: (Running) async throws -> Void) async throws {
        let process = Process()
        process.executableURL = CLIRunner.executable()
        process.arguments = ["--lang", "en", "serve", "--listen", "127.0.0.1:0"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "VLEDGER_DATABASE_URL")
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let captured = Captured()
        errors.fileHandleForReading.readabilityHandler = { handle in captured.append(handle.availableData) }
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        try await waitUntil("serve says where it listens", within: .seconds(120)) { captured.text.contains("listening on http://") }
        let text = captured.text
        let address = try #require(text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression).map { String(text[$0]) })
        let port = try #require(Int(address.split(separator: ":").last ?? ""))
        try await body(Running(port: port, output: text))

        kill(process.processIdentifier, SIGTERM)
        try await waitUntil("serve exits after SIGTERM", within: .seconds(120)) { !process.isRunning }
        errors.fileHandleForReading.readabilityHandler = nil
        #expect(process.terminationStatus == 0, "\(captured.text)")
        #expect(captured.text.contains("closing the database pool"))
        #expect(captured.text.contains("vledger serve stopped"))
    }
}

final class Captured: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.lock(); data.append(more); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}
