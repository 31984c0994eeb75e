import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// Check-in by code (SPEC "HTTP contract"): the organiser's current code, and the volunteer's
/// own check-in and check-out, which need no session (the code, number and phone digits are the proof).
enum CheckinRoutes {
    static func register(on router: Router<APIContext>, api: API) {
        router.get("/api/v1/activities/{id}/checkin-code") { request, context -> Response in
            let id = try ActivityService.parseID(try Parse.path(context, "id"))
            let action = try CheckinAction.parse(Parse.query(request, "action") ?? "")
            let code = try await api.asPerson(request, context) { session in try await CheckinCodes.current(activity: id, action: action, in: session) }
            return JSONResponse.make(.object([
                ("code", .string(code.code)), ("action", .string(code.action.rawValue)),
                ("valid_until", .string(CityTime.text(code.validUntil))),
            ]))
        }
        for (path, action) in [("checkins", CheckinAction.checkIn), ("checkouts", CheckinAction.checkOut)] {
            router.post("/api/v1/activities/{id}/\(path)") { request, context -> Response in
                var request = request
                let id = try ActivityService.parseID(try Parse.path(context, "id"))
                let body = try await JSONBody.read(&request, allowed: ["volunteer", "phone_last4", "code"])
                let recorded = try await selfCheck(
                    api: api, request: request, context: context, activity: id, volunteer: try body.string("volunteer"),
                    phoneLast4: try body.string("phone_last4"), code: try body.string("code"), action: action)
                return JSONResponse.make(json(recorded), status: .created)
            }
        }
    }

    /// The volunteer's own try, on the service login's connection acting for nobody; the client's
    /// address from the connection, or from the proxy's X-Real-IP when serve is behind it.
    static func selfCheck(
        api: API, request: Request, context: APIContext, activity: Int64, volunteer: String, phoneLast4: String, code: String,
        action: CheckinAction
    ) async throws -> SelfCheckin.Recorded {
        let address = clientAddress(request, context, api)
        return try await api.database.asService { session in
            // The plain connection: the attempt commits on its own before the check-in, so it counts if the check-in fails.
            try await SelfCheckin.record(activity: activity, volunteer: volunteer, phoneLast4: phoneLast4, code: code, action: action,
                                         clientAddress: address, on: session.connection)
        }
    }

    static func clientAddress(_ request: Request, _ context: APIContext, _ api: API) -> String? {
        if api.settings.trustProxyAddress, let forwarded = request.headers[SessionRoutes.realIP]?.trimmingCharacters(in: .whitespaces),
           !forwarded.isEmpty {
            return String(forwarded.prefix(64))
        }
        return context.clientAddress
    }

    static func json(_ recorded: SelfCheckin.Recorded) -> JSONValue {
        .object([
            ("id", .int(recorded.checkinID)), ("action", .string(recorded.action.rawValue)), ("at", .string(CityTime.text(recorded.at))),
            ("entry_id", recorded.entryID.map { .int($0) } ?? .null), ("minutes", recorded.minutes.map { .int($0) } ?? .null),
            ("approved", .bool(recorded.approved)),
        ])
    }
}
