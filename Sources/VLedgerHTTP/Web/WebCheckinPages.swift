import Foundation
import HTTPTypes
import Hummingbird
import QRCode
import VLedgerCore

/// The organiser's activities and full-screen check-in code, and the volunteer's own check-in
/// page the code's QR opens.
enum WebCheckinPages {
    static func register(on router: Router<APIContext>, api: API) {
        router.get("/activities") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                let rows = try await api.database.asPerson(visitor.person) { session in try await ActivityService.list(district: nil, in: session) }
                let today = String(CityTime.text(Date()).prefix(10))
                let shown = rows.filter { String($0.endsAt.prefix(10)) >= today }.sorted { $0.startsAt < $1.startsAt }.prefix(100)
                return WebPage.render("activities", title: WebText.text("activities.title"), visitor: visitor, values: ["activities": shown.map { row in
                    ["id": row.id, "title": row.title, "starts": minutes(row.startsAt), "ends": minutes(row.endsAt), "category": row.category,
                     "organiser": row.organiser, "open": row.openCheckIns] as [String: Any]
                }])
            }
        }
        router.get("/activities/{id}/screen") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                let id = try ActivityService.parseID(try Parse.path(context, "id"))
                let action = (try? CheckinAction.parse(Parse.query(request, "action") ?? "in")) ?? .checkIn
                var values: [String: Any] = ["id": id, "action": action.rawValue, "actionName": name(action),
                                             "otherAction": other(action).rawValue, "otherName": name(other(action))]
                do {
                    let (row, code) = try await api.database.asPerson(visitor.person) { session in
                        (try await ActivityService.show(id, in: session), try await CheckinCodes.current(activity: id, action: action, in: session))
                    }
                    let url = CheckinCodes.checkinURL(base: base(request, api), activity: id, code: code)
                    values["title"] = row.title
                    values["code"] = code.code
                    values["url"] = url
                    values["qr"] = try QRCode(text: url).svg(border: 4, pixelsPerModule: 8)
                    // The code changes at the next 30-second slot; the page reloads then.
                    values["seconds"] = 30 - Int(Date().timeIntervalSince1970) % 30
                } catch {
                    values["title"] = WebText.text("activity.fallback", ["id": String(id)])
                    values["error"] = FormError(error, fields: []).message
                }
                return WebPage.render("screen", title: WebText.text("screen.title", ["action": name(action)]), visitor: visitor, values: values)
            }
        }
        // The volunteer's phone: no session, the code is the proof of presence.
        router.get("/checkin/{id}") { request, context -> Response in
            let id = try ActivityService.parseID(try Parse.path(context, "id"))
            let action = (try? CheckinAction.parse(Parse.query(request, "action") ?? "in")) ?? .checkIn
            let visitor = await WebSession.visitor(request, context, api)
            return await page(id, action, api, visitor: visitor, values: ["code": Parse.query(request, "code") ?? ""])
        }
        router.post("/checkin/{id}") { request, context -> Response in
            var request = request
            let id = try ActivityService.parseID(try Parse.path(context, "id"))
            let form = try await WebForm.read(&request)
            let action = (try? CheckinAction.parse(form.text("action"))) ?? .checkIn
            let typed = ["volunteer": form.text("volunteer"), "phone_last4": form.text("phone_last4"), "code": form.text("code")]
            do {
                let recorded = try await CheckinRoutes.selfCheck(
                    api: api, request: request, context: context, activity: id, volunteer: typed["volunteer"]!,
                    phoneLast4: typed["phone_last4"]!, code: typed["code"]!, action: action)
                var message = WebText.text("checkin.done", ["action": name(action), "at": minutes(CityTime.text(recorded.at))])
                if let served = recorded.minutes {
                    message += WebText.text(recorded.approved ? "checkin.served_approved" : "checkin.served_pending", ["minutes": String(served)])
                }
                return WebPage.done(title: WebText.text("checkin.done_title", ["action": name(action)]), message: message, visitor: nil,
                                    links: action == .checkIn ? [("/checkin/\(id)?action=out", WebText.text("checkin.later_out"))] : [])
            } catch {
                let failure = FormError(error, fields: ["volunteer", "phone_last4", "code"],
                                        aliases: ["checkin_code": "code", "activity": "code", "checkin_identity": "volunteer"])
                let status = HTTPResponse.Status(code: APIError.userFacing(for: error).category.httpStatus)
                return await page(id, action, api, visitor: nil, values: (typed as [String: Any]).merging(failure.values) { $1 }, status: status)
            }
        }
    }

    static func page(_ id: Int64, _ action: CheckinAction, _ api: API, visitor: WebVisitor?, values: [String: Any],
                     status: HTTPResponse.Status = .ok) async -> Response {
        var all = values
        all["id"] = id
        all["action"] = action.rawValue
        all["actionName"] = name(action)
        // The title while the activity takes codes; outside that the database says nothing of it.
        let title = try? await api.database.asService { session in try await CheckinPage.title(activity: id, in: session) }
        all["title"] = (title ?? nil) ?? WebText.text("activity.fallback", ["id": String(id)])
        return WebPage.render("checkin", title: name(action), visitor: visitor, values: all, status: status)
    }

    static func name(_ action: CheckinAction) -> String { WebText.text(action == .checkIn ? "action.in" : "action.out") }
    static func other(_ action: CheckinAction) -> CheckinAction { action == .checkIn ? .checkOut : .checkIn }

    /// `2026-12-02T09:00:00+08:00` (or with a space) → `2026-12-02 09:00`.
    static func minutes(_ text: String) -> String { String(text.prefix(16)).replacingOccurrences(of: "T", with: " ") }

    /// The address phones open: the Host the organiser's browser used (so it works on the
    /// intranet name), https when serve sits behind the TLS proxy.
    static func base(_ request: Request, _ api: API) -> String {
        let host = request.head.authority ?? "localhost"
        return (api.settings.secureCookie ? "https://" : "http://") + host
    }
}
