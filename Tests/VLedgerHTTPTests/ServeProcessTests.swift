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

                let process = Process()
                process.executableURL = CLIRunner.executable()
                process.arguments = ["--lang", "en", "serve", "--listen", "127.0.0.1:0",
                                     "--database-url", try await logins.connectionString(as: service)]
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
                let answer = try await SlowClient.exchange(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")

                kill(process.processIdentifier, SIGTERM)
                try await waitUntil("serve exits after SIGTERM", within: .seconds(120)) { !process.isRunning }
                errors.fileHandleForReading.readabilityHandler = nil
                #expect(process.terminationStatus == 0, "\(captured.text)")
                #expect(captured.text.contains("closing the database pool"))
                #expect(captured.text.contains("vledger serve stopped"))
            }
        }
    }
}

final class Captured: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.lock(); data.append(more); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}
