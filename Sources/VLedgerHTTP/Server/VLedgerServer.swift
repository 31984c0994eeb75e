import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PostgresLibPQ
import ServiceLifecycle
import VLedgerCore

/// The HTTP service: its router, and the process that serves it until SIGTERM or SIGINT.
public enum VLedgerServer {
    /// Connections idle longer than this (a client that stopped sending or reading) are closed.
    public static let idleTimeout: TimeAmount = .seconds(30)

    /// Every route, behind the request log and metrics, the language choice and error rendering.
    public static func router(api: API, metrics: ServiceMetrics, migrations: MigrationRunner?) -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        router.add(middleware: RequestObserver(metrics: metrics))
        router.add(middleware: LanguageMiddleware())
        router.add(middleware: APIErrorMiddleware())
        ServiceRoutes.register(on: router, api: api, metrics: metrics, migrations: migrations)
        SessionRoutes.register(on: router, api: api)
        RegistryRoutes.register(on: router, api: api)
        ImportRoutes.register(on: router, api: api)
        LedgerRoutes.register(on: router, api: api)
        ReportRoutes.register(on: router, api: api)
        CheckinRoutes.register(on: router, api: api)
        WebPages.register(on: router, api: api)
        return router
    }

    public static func application(
        router: Router<APIContext>, host: String, port: Int, logger: Logger, idleTimeout: TimeAmount = idleTimeout,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: idleTimeout)),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT: then new connections are refused, requests in flight
    /// finish, and the pool closes last.
    public static func run(application: some ApplicationProtocol, pool: ConnectionPool, logger: Logger) async throws {
        let group = ServiceGroup(configuration: .init(
            services: [PoolCloser(pool: pool, logger: logger), application],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

/// Closes the pool once the server in front of it has stopped (services stop in reverse order).
struct PoolCloser: Service {
    let pool: ConnectionPool
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("closing the database pool")
        await pool.close()
    }
}
