import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// Activities and hours.
enum LedgerRoutes {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    static func register(on router: Router<APIContext>, api: API) {
        router.post("/api/v1/activities") { request, context -> Response in
            var request = request
            let body = try await JSONBody.read(&request, allowed: ["title", "district", "organiser", "starts", "ends", "category"])
            let activity = NewActivity(
                title: try body.string("title"), districtCode: try body.string("district"), organiser: try body.string("organiser"),
                starts: try TimeInput.parse(try body.string("starts"), field: "starts"),
                ends: try TimeInput.parse(try body.string("ends"), field: "ends"), category: try body.optionalString("category"))
            let id = try await api.asPerson(request, context) { session in try await ActivityService.create(activity, in: session) }
            return JSONResponse.make(.object([("id", .int(id))]), status: .created)
        }
        router.get("/api/v1/activities") { request, context -> Response in
            let district = Parse.query(request, "district")
            let rows = try await api.asPerson(request, context) { session in try await ActivityService.list(district: district, in: session) }
            return JSONResponse.make(.array(rows.map(ActivityOutput.json)))
        }
        router.get("/api/v1/activities/{id}") { request, context -> Response in
            let id = try ActivityService.parseID(try Parse.path(context, "id"))
            let row = try await api.asPerson(request, context) { session in try await ActivityService.show(id, in: session) }
            return JSONResponse.make(ActivityOutput.json(row))
        }
        // The check-in routes (GET /api/v1/activities/{id}/checkin-code, POST …/checkins and
        // …/checkouts) are registered by `CheckInRoutes.register` (branch `checkin`); their
        // contract is already in the OpenAPI document.

        router.post("/api/v1/hours") { request, context -> Response in
            var request = request
            let key = try requestKey(request)
            let body = try await JSONBody.read(&request, allowed: ["activity", "volunteer", "minutes", "start"])
            let activity = try ActivityService.parseID(try body.idText("activity"))
            let (volunteer, minutes) = (try body.string("volunteer"), try body.int("minutes"))
            let start = try body.optionalString("start").map { try TimeInput.parse($0, field: "start") }
            let recorded = try await api.asPerson(request, context) { session in
                try await HoursService.record(activity: activity, volunteer: volunteer, minutes: minutes, start: start, requestID: key, in: session)
            }
            return JSONResponse.make(.object([("id", .int(recorded.id))]), status: recorded.alreadyRecorded ? .ok : .created)
        }
        router.get("/api/v1/hours") { request, context -> Response in
            let volunteer = Parse.query(request, "volunteer")
            let activity = try Parse.query(request, "activity").map { try ActivityService.parseID($0) }
            let listing = try await api.asPerson(request, context) { session in try await HoursListing.load(volunteer: volunteer, activity: activity, in: session) }
            return JSONResponse.make(listing.json())
        }
        router.get("/api/v1/hours/anomalies") { request, context -> Response in
            let year = try Parse.queryInt(request, "year")
            let found = try await api.asPerson(request, context) { session in try await HoursAnomalies.find(year: year, in: session) }
            return JSONResponse.make(HoursAnomalies.json(found.anomalies, lookups: found.lookups))
        }
        router.post("/api/v1/hours/{id}/approve") { request, context -> Response in
            let id = try HoursService.parseEntryID(try Parse.path(context, "id"))
            let outcome = try await api.asPerson(request, context) { session in try await HoursService.approve([id], in: session) }
            return JSONResponse.make(decided(outcome.first ?? .approved(id)))
        }
        router.post("/api/v1/hours/{id}/reject") { request, context -> Response in
            var request = request
            let id = try HoursService.parseEntryID(try Parse.path(context, "id"))
            let reason = try await JSONBody.read(&request, allowed: ["reason"]).string("reason")
            let outcome = try await api.asPerson(request, context) { session in try await HoursService.reject(id, reason: reason, in: session) }
            return JSONResponse.make(decided(outcome))
        }
        router.post("/api/v1/hours/{id}/corrections") { request, context -> Response in
            var request = request
            let id = try HoursService.parseEntryID(try Parse.path(context, "id"))
            let key = try requestKey(request)
            let body = try await JSONBody.read(&request, allowed: ["delta_minutes", "reason"])
            let (delta, reason) = (try body.int("delta_minutes"), try body.string("reason"))
            let recorded = try await api.asPerson(request, context) { session in
                try await HoursService.correct(id, deltaMinutes: delta, reason: reason, requestID: key, in: session)
            }
            return JSONResponse.make(.object([("id", .int(recorded.id))]), status: recorded.alreadyRecorded ? .ok : .created)
        }
    }

    /// The Idempotency-Key header, the request id of the entry: visible ASCII, 1 to 100 characters.
    static func requestKey(_ request: Request) throws -> String? {
        guard let key = request.headers[idempotencyKey] else { return nil }
        guard (1...100).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw UserFacingError(.invalid, code: "idempotency_key", field: "Idempotency-Key")
        }
        return key
    }

    static func decided(_ outcome: HoursService.Decided) -> JSONValue {
        func object(_ id: Int64, _ status: String, changed: Bool, by: String? = nil, at: String? = nil) -> JSONValue {
            .object([("id", .int(id)), ("status", .string(status)), ("changed", .bool(changed)),
                     ("decided_by", by.map { .string($0) } ?? .null), ("decided_at", at.map { .string($0) } ?? .null)])
        }
        switch outcome {
        case .approved(let id): return object(id, "approved", changed: true)
        case .alreadyApproved(let id, let by, let at): return object(id, "approved", changed: false, by: by, at: at)
        case .rejected(let id): return object(id, "rejected", changed: true)
        case .alreadyRejected(let id, let by, let at): return object(id, "rejected", changed: false, by: by, at: at)
        }
    }
}
