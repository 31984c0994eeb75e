import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PostgresLibPQ
import Prometheus

/// Prometheus figures of the service: requests and their latency per route (the route's
/// pattern, never its values), and the connection pool's use at each scrape.
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let buckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                               .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                               .seconds(2.5), .seconds(5), .seconds(10)]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    func observe(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(name: "vledger_http_requests_total", labels: [("route", route), ("method", method), ("status", String(status))])
            .increment()
        registry.makeDurationHistogram(name: "vledger_http_request_duration_seconds", labels: [("route", route), ("method", method)], buckets: buckets)
            .record(duration)
    }

    /// The text format, with the pool's current use.
    func scrape(pool: ConnectionPool) async -> String {
        let usage = await pool.usage
        registry.makeGauge(name: "vledger_db_pool_connections_open").set(Double(usage.open))
        registry.makeGauge(name: "vledger_db_pool_connections_in_use").set(Double(usage.inUse))
        registry.makeGauge(name: "vledger_db_pool_connections_max").set(Double(await pool.maxConnections))
        registry.makeGauge(name: "vledger_db_pool_waiters").set(Double(await pool.waiterCount))
        return registry.emitToString()
    }
}

/// One log line per request: method, route pattern, status, milliseconds, request id. No path
/// values (volunteer numbers), no query, no headers, no body: nothing personal, no token.
struct RequestObserver: RouterMiddleware {
    typealias Context = APIContext
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // The error middleware inside renders every error; this is only a last resort.
            log(request, context, status: 500, elapsed: clock.now - start)
            throw error
        }
        log(request, context, status: Int(response.status.code), elapsed: clock.now - start)
        return response
    }

    func log(_ request: Request, _ context: APIContext, status: Int, elapsed: Duration) {
        let route = context.endpointPath ?? "unmatched"
        metrics.observe(route: route, method: request.method.rawValue, status: status, duration: elapsed)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue), "route": .string(route), "status": .stringConvertible(status),
            "ms": .string(String(format: "%.1f", milliseconds)),
        ])
    }
}
