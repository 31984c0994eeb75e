import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// Health, Prometheus metrics and the OpenAPI document.
enum ServiceRoutes {
    static func register(on router: Router<APIContext>, api: API, metrics: ServiceMetrics, migrations: MigrationRunner?) {
        router.get("/healthz") { _, _ -> Response in
            var problems: [JSONValue] = []
            do {
                let pending = try await api.database.asService { session -> Int in
                    try await session.connection.execute("SELECT 1")
                    guard let migrations else { return 0 }
                    return try await migrations.status(on: session.connection).filter { $0.state != .applied }.count
                }
                if pending > 0 { problems.append(.string("migrations_pending")) }
            } catch {
                problems.append(.string("database_unreachable"))
            }
            return JSONResponse.make(.object([("status", .string(problems.isEmpty ? "ok" : "unhealthy")), ("problems", .array(problems))]),
                                     status: problems.isEmpty ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ -> Response in
            let text = await metrics.scrape(pool: api.database.pool)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/api/v1/openapi.json") { _, _ -> Response in
            JSONResponse.text(OpenAPIDocument.json)
        }
    }
}
