import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// Metrics and statements.
enum ReportRoutes {
    static func register(on router: Router<APIContext>, api: API) {
        router.get("/api/v1/metrics") { request, context -> Response in
            guard let yearText = Parse.query(request, "year") else {
                throw UserFacingError(.invalid, code: "json_field_required", field: "year")
            }
            guard let year = Int(yearText) else { throw UserFacingError(.invalid, code: "query_parameter", field: "year", value: String(yearText.prefix(60))) }
            let metricsRequest = try MetricsRequest(
                year: year, asOf: Parse.query(request, "as_of"), asRecordedAt: Parse.query(request, "as_recorded_at"),
                scope: try MetricsScope.parse(Parse.query(request, "scope") ?? MetricsScope.builtUp.rawValue))
            let report = try await api.asPerson(request, context) { session in try await MetricsService.run(metricsRequest, in: session) }
            // Byte for byte what `vledger metrics --format json` prints.
            return JSONResponse.text(report.json.rendered() + "\n")
        }
        router.post("/api/v1/statements") { request, context -> Response in
            var request = request
            let body = try await JSONBody.read(&request, allowed: ["volunteer", "from", "to", "issuer"])
            let (volunteer, from, to, issuer) = (try body.string("volunteer"), try body.optionalString("from"),
                                                 try body.optionalString("to"), try body.optionalString("issuer"))
            let statement = try await api.asPerson(request, context) { session in
                try await StatementService.issue(volunteer: volunteer, from: from, to: to, issuer: issuer, in: session)
            }
            return JSONResponse.text(statement.json.rendered() + "\n", status: .created)
        }
        router.get("/api/v1/statements/{number}") { request, context -> Response in
            let number = try Parse.path(context, "number")
            let text = try await api.asPerson(request, context) { session in try await StatementService.reprint(number: number, format: .json, in: session) }
            return JSONResponse.text(text)
        }
        // Public: anyone holding a printed statement may check it (no session).
        router.get("/api/v1/statements/{number}/verify") { _, context -> Response in
            let number = try Parse.path(context, "number")
            let result = try await api.database.asService { session in try await StatementService.verify(number: number, in: session) }
            guard result.found else { throw UserFacingError(.notFound, code: "no_such_statement", field: "number", value: String(number.prefix(60))) }
            return JSONResponse.make(result.json)
        }
    }
}
