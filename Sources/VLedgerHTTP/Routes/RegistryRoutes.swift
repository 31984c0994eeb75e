import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// Volunteers, districts and populations.
enum RegistryRoutes {
    /// Most volunteers in one page of the list; `limit` chooses fewer.
    static let pageLimit = 500

    static func register(on router: Router<APIContext>, api: API) {
        router.post("/api/v1/volunteers") { request, context -> Response in
            var request = request
            let body = try await JSONBody.read(&request, allowed: [
                "name", "id_number", "phone", "district", "registered_on", "guardian_name", "guardian_phone", "guardian_consent"])
            let registration = RegistrationRequest(
                name: try body.string("name"), idNumber: try body.string("id_number"), phone: try body.string("phone"),
                district: try body.string("district"), registeredOn: try body.optionalString("registered_on"),
                guardianName: try body.optionalString("guardian_name"), guardianPhone: try body.optionalString("guardian_phone"),
                guardianConsent: try body.optionalBool("guardian_consent") ?? false)
            let number = try await api.asPerson(request, context) { session in try await VolunteerRegistry.register(registration, in: session) }
            return JSONResponse.make(.object([("number", .string(number))]), status: .created)
        }
        router.get("/api/v1/volunteers") { request, context -> Response in
            let limit = try Parse.queryInt(request, "limit") ?? 100
            guard (1...pageLimit).contains(limit) else {
                throw UserFacingError(.invalid, code: "page_limit", field: "limit", value: String(limit))
            }
            let cursor = Parse.query(request, "cursor")
            let query = VolunteerListQuery(district: Parse.query(request, "district"), search: Parse.query(request, "search"))
            let all = try await api.asPerson(request, context) { session in try await VolunteerQueries.list(query, in: session) }
            // The listing is ordered by district and number: the cursor is the position after
            // the last number of the previous page.
            let page = CursorPage(all, cursor: cursor, limit: limit, key: \.number)
            return JSONResponse.make(.object([("volunteers", VolunteerOutput(reveal: false).listJSON(page.items)),
                                              ("next_cursor", page.next.map { .string($0) } ?? .null)]))
        }
        router.get("/api/v1/volunteers/{number}") { request, context -> Response in
            let number = try Parse.path(context, "number")
            let details = try await api.asPerson(request, context) { session in try await VolunteerQueries.show(number, in: session) }
            // volunteer_masked (0042) gives personal values in full only to those who may read them.
            return JSONResponse.make(VolunteerOutput(reveal: true).detailsJSON(details))
        }
        router.post("/api/v1/volunteers/{number}/move") { request, context -> Response in
            var request = request
            let number = try Parse.path(context, "number")
            let body = try await JSONBody.read(&request, allowed: ["district", "on"])
            let (district, on) = (try body.string("district"), try body.string("on"))
            try await api.asPerson(request, context) { session in try await VolunteerRegistry.move(number, toDistrict: district, on: on, in: session) }
            return JSONResponse.make(.object([("number", .string(number)), ("district", .string(district)), ("on", .string(on))]))
        }
        router.post("/api/v1/volunteers/{number}/deregister") { request, context -> Response in
            var request = request
            let number = try Parse.path(context, "number")
            let body = try await JSONBody.read(&request, allowed: ["on", "reason"])
            let (on, reason) = (try body.string("on"), try body.string("reason"))
            try await api.asPerson(request, context) { session in try await VolunteerRegistry.deregister(number, on: on, reason: reason, in: session) }
            return JSONResponse.make(.object([("number", .string(number)), ("deregistered_on", .string(on))]))
        }
        router.get("/api/v1/districts") { request, context -> Response in
            let districts = try await api.asPerson(request, context) { session in try await Districts.list(in: session) }
            return JSONResponse.make(.array(districts.map { .object([("code", .string($0.code)), ("name", .string($0.name)), ("built_up", .bool($0.builtUp))]) }))
        }
        router.get("/api/v1/populations") { request, context -> Response in
            let (district, year) = (Parse.query(request, "district"), try Parse.queryInt(request, "year").map { try Population.year($0) })
            let figures = try await api.asPerson(request, context) { session in try await Population.list(district: district, year: year, in: session) }
            return JSONResponse.text(PopulationOutput.render(figures, format: .json, revisions: false))
        }
    }
}
