import ArgumentParser
import Foundation
import Logging
import PostgresLibPQ
import VLedgerCore
import VLedgerHTTP

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: tr("help.serve.abstract"),
        discussion: tr("help.serve.discussion")
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp(tr("help.serve.listen"), valueName: "host:port"))
    var listen: String = "127.0.0.1:8080"

    @Option(name: .customLong("signin-database-url"), help: ArgumentHelp(tr("help.serve.signinDatabaseURL"), valueName: "url"))
    var signinDatabaseURL: String?

    @Flag(name: .customLong("secure-cookie"), help: ArgumentHelp(tr("help.serve.secureCookie")))
    var secureCookie = false

    @Flag(name: .customLong("behind-proxy"), help: ArgumentHelp(tr("help.serve.behindProxy")))
    var behindProxy = false

    @Option(name: .customLong("session-hours"), help: ArgumentHelp(tr("help.serve.sessionHours"), valueName: "hours"))
    var sessionHours: Int = 12

    @Option(help: ArgumentHelp(tr("help.serve.pool"), valueName: "connections"))
    var pool: Int = 8

    func run() async throws {
        let (host, port) = try Self.address(listen)
        guard (1...720).contains(sessionHours) else { throw RuleViolation(field: "session-hours", value: String(sessionHours), code: "page_limit") }
        guard (1...200).contains(pool) else { throw RuleViolation(field: "pool", value: String(pool), code: "page_limit") }
        let locator = database.locator
        // Starts the embedded cluster when it is the database, reads the language and time zone
        // settings. The embedded database's login is its owner and migrates as every command
        // does; a service login cannot: migrations are then the owner's job, /healthz reports them.
        let first = try await locator.connect(migrate: locator.embeddedCluster != nil, progress: { StandardError.write($0) })
        let migrations = try MigrationRunner(directory: try MigrationRunner.locateDirectory())
        let pending = try await migrations.status(on: first).filter { $0.state != .applied }.count
        if pending > 0 { StandardError.write(tr("ui.serve.migrations_pending", ["count": String(pending)])) }
        let somePerson = (try? await first.query("SELECT vl_service_probe_login()").first?.decode(0, as: String?.self)) ?? nil
        await first.close()

        var passwordPath = PasswordPath(connectionString: signinDatabaseURL ?? locator.connectionString)
        passwordPath = await passwordPath.probe(person: somePerson)
        if let refusal = passwordPath.refusal {
            StandardError.write(tr("ui.serve.signin_refused", ["reason": refusal]))
        } else if somePerson == nil {
            StandardError.write(tr("ui.serve.no_person_to_probe"))
        } else {
            StandardError.write(tr("ui.serve.signin_ok", ["path": passwordPath.displayName]))
        }

        let connections = ConnectionPool(connectionString: locator.connectionString, maxConnections: pool)
        let api = API(database: ServiceDatabase(pool: connections), passwordPath: passwordPath,
                      settings: ServeSettings(sessionLifetimeSeconds: sessionHours * 3600, secureCookie: secureCookie,
                                              trustProxyAddress: behindProxy))
        var logger = Logger(label: "vledger.serve")
        logger.logLevel = .info
        let router = VLedgerServer.router(api: api, metrics: ServiceMetrics(), migrations: migrations)
        let display = locator.displayName
        let application = VLedgerServer.application(router: router, host: host, port: port, logger: logger) { channel in
            let bound = channel.localAddress.map { "\($0.ipAddress ?? host):\($0.port ?? port)" } ?? "\(host):\(port)"
            StandardError.write(tr("ui.serve.listening", ["address": bound, "database": display]))
        }
        try await VLedgerServer.run(application: application, pool: connections, logger: logger)
        StandardError.write(tr("ui.serve.stopping"))
    }

    /// `host:port`, `[v6]:port` or `:port` (loopback).
    static func address(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw RuleViolation(field: "listen", value: text, code: "query_parameter")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
