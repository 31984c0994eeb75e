import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresLibPQ
import VLedgerCore
import VLedgerHTTP
import VLedgerTestSupport

/// A `vledger serve` router over a test database: a service login (member of the NOINHERIT
/// vledger_service), people with passwords, and the sign-in path to the database vledger_signin,
/// where the test server asks for passwords (deploy/throwaway-pg.sh).
struct ServeHarness: Sendable {
    let database: TestDatabase
    let logins: LoginMaker
    let client: any TestClientProtocol
    let log: CapturedLog
    static let password = "correct horse 42"

    /// People made for the test, by role; all with `password`.
    struct People: Sendable {
        let admin: String, admin2: String, office: String, organiser: String, staff: String
    }

    static func with(
        settings: ServeSettings = ServeSettings(), signInOnTrustPath: Bool = false, live: Bool = false,
        _ body: @escaping @Sendable (ServeHarness, People) async throws -> Void
    ) async throws {
        try await TestDatabase.with(deadline: .seconds(600)) { database in
            try await TestLogins.with(database) { logins in
                let owner = try await database.connect()
                try await LedgerFixtures.district(owner)
                let people = People(
                    admin: try await person(.admin, owner, logins), admin2: try await person(.admin, owner, logins),
                    office: try await person(.office, owner, logins), organiser: try await person(.organiser, owner, logins),
                    staff: try await person(.staff, owner, logins, district: "210682001"))
                let service = "t_svc_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
                // The name is ours (letters and digits): safe to place as an identifier.
                try await owner.execute("CREATE ROLE \(unsafeRaw: service) LOGIN IN ROLE vledger_service")
                await logins.adopt(service)
                await owner.close()

                let pool = ConnectionPool(connectionString: try await logins.connectionString(as: service), maxConnections: 4)
                let signIn = try signInPath(database, trust: signInOnTrustPath)
                let path = await PasswordPath(connectionString: signIn).probe(person: people.admin)
                let api = API(database: ServiceDatabase(pool: pool), passwordPath: path, settings: settings)
                let log = CapturedLog()
                let router = VLedgerServer.router(api: api, metrics: ServiceMetrics(), migrations: nil)
                // Live: a real socket on a free port, with a short idle timeout for the slow-client test.
                let app = VLedgerServer.application(router: router, host: "127.0.0.1", port: 0,
                                                    logger: Logger(label: "test") { _ in log.handler() }, idleTimeout: .seconds(1))
                do {
                    try await app.test(live ? .live : .router) { client in
                        try await body(ServeHarness(database: database, logins: logins, client: client, log: log), people)
                    }
                    await pool.close()
                } catch {
                    await pool.close()
                    throw error
                }
            }
        }
    }

    static func person(_ role: UserRole, _ owner: Connection, _ logins: LoginMaker, district: String? = nil) async throws -> String {
        let login = "t_\(role.rawValue.prefix(3))_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        try await owner.withIsolated { db in
            try UserAccounts.add(login: login, role: role, districtCode: district, password: password, on: db)
        }
        await logins.adopt(login)
        return login
    }

    /// The test server's database vledger_signin (passwords asked) or the test's own (trust).
    static func signInPath(_ database: TestDatabase, trust: Bool) throws -> String {
        var components = URLComponents(string: database.connectionString)!
        if !trust { components.path = "/vledger_signin" }
        components.user = "nobody"
        components.password = nil
        return components.string!
    }

    func owner() async throws -> Connection { try await database.connect() }

    // MARK: requests

    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let text: String
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]) ?? [:] }
        var code: String? { json["code"] as? String }
    }

    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
              headers extra: [(String, String)] = [], contentType: String = "application/json") async throws -> Reply {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = contentType }
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    func signIn(_ login: String, password: String = ServeHarness.password) async throws -> String {
        let reply = try await call(.post, "/api/v1/sessions", json: #"{"login":"\#(login)","password":"\#(password)"}"#)
        guard reply.status == .created, let token = reply.json["token"] as? String else {
            throw HarnessError(message: "sign-in of \(login) gave \(reply.status): \(reply.text)")
        }
        return token
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Every log line the service writes, with its metadata, for the test that no personal data is in them.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String] = []

    var lines: [String] { lock.lock(); defer { lock.unlock() }; return entries }

    func append(_ line: String) { lock.lock(); entries.append(line); lock.unlock() }

    func handler() -> any LogHandler { Handler(log: self) }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        }
    }
}
