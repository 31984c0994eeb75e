import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// Staff find the district's volunteers (masked in the list, as every listing is), open one,
/// move them to another district or deregister them; the same services as the CLI and the API.
enum WebVolunteerPages {
    static let pageSize = 50

    static func register(on router: Router<APIContext>, api: API) {
        router.get("/volunteers") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                let search = WebForm.parse(request.uri.query ?? "").optional("q")
                let district = Parse.query(request, "district")
                let cursor = Parse.query(request, "cursor")
                var values: [String: Any] = ["q": search ?? ""]
                let (districts, all) = try await api.database.asPerson(visitor.person) { session in
                    (try await Districts.list(in: session),
                     try await VolunteerQueries.list(VolunteerListQuery(district: district, search: search), in: session))
                }
                values["districts"] = districts.map { ["code": $0.code, "name": $0.name, "selected": $0.code == district] as [String: Any] }
                let page = CursorPage(all, cursor: cursor, limit: pageSize, key: \.number)
                values["volunteers"] = page.items.map { v -> [String: Any] in
                    ["number": v.number, "name": v.name, "district": v.districtName, "phone": Masking.phone(v.phone),
                     "id_number": Masking.idNumber(v.idNumber), "registered_on": v.registeredOn.description]
                }
                values["has_volunteers"] = !page.items.isEmpty
                values["from"] = page.start + 1
                values["to"] = page.start + page.items.count
                values["total"] = all.count
                var query: [(String, String)] = []
                if let search, !search.isEmpty { query.append(("q", search)) }
                if let district { query.append(("district", district)) }
                if cursor != nil { values["first_page"] = link(query) }
                if let next = page.next { values["next_page"] = link(query + [("cursor", next)]) }
                return WebPage.render("volunteers", title: WebText.text("volunteers.title"), visitor: visitor, values: values)
            }
        }
        router.get("/volunteers/{number}") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                let number = try Parse.path(context, "number")
                return try await detail(number, visitor, api, values: [:])
            }
        }
        router.post("/volunteers/{number}/move") { request, context -> Response in
            try await WebPages.posted(request, context, api) { visitor, form in
                let number = try Parse.path(context, "number")
                let (district, on) = (form.text("district"), form.text("on"))
                do {
                    try await api.database.asPerson(visitor.person) { session in
                        try await VolunteerRegistry.move(number, toDistrict: district, on: on, in: session)
                    }
                    return WebPage.done(title: WebText.text("volunteer.moved_title"),
                                        message: WebText.text("volunteer.moved", ["number": number, "on": on, "district": district]), visitor: visitor,
                                        links: links(number))
                } catch {
                    let failure = FormError(error, fields: ["move_district", "move_on"],
                                            aliases: ["district": "move_district", "district_code": "move_district", "on": "move_on"])
                    return try await detail(number, visitor, api, values: failure.values.merging(["move_on": on, "move_to": district]) { $1 },
                                            status: status(error))
                }
            }
        }
        router.post("/volunteers/{number}/deregister") { request, context -> Response in
            try await WebPages.posted(request, context, api) { visitor, form in
                let number = try Parse.path(context, "number")
                let (on, reason) = (form.text("on"), form.text("reason"))
                do {
                    try await api.database.asPerson(visitor.person) { session in
                        try await VolunteerRegistry.deregister(number, on: on, reason: reason, in: session)
                    }
                    return WebPage.done(title: WebText.text("volunteer.deregistered_title"),
                                        message: WebText.text("volunteer.deregistered", ["number": number, "on": on, "reason": reason]), visitor: visitor,
                                        links: links(number))
                } catch {
                    let failure = FormError(error, fields: ["dereg_on", "dereg_reason"], aliases: ["on": "dereg_on", "reason": "dereg_reason"])
                    return try await detail(number, visitor, api, values: failure.values.merging(["dereg_on": on, "dereg_reason": reason]) { $1 },
                                            status: status(error))
                }
            }
        }
    }

    /// Where to go after a move or a deregistration.
    static func links(_ number: String) -> [(String, String)] {
        [("/volunteers/\(number)", WebText.text("volunteer.view")), ("/volunteers", WebText.text("volunteer.back"))]
    }

    static func status(_ error: any Error) -> HTTPResponse.Status {
        HTTPResponse.Status(code: APIError.userFacing(for: error).category.httpStatus)
    }

    /// One volunteer as the database lets the visitor see them (volunteer_masked, 0042), with the
    /// move and deregister forms; a refusal to show them is a page saying so.
    static func detail(_ number: String, _ visitor: WebVisitor, _ api: API, values: [String: Any],
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let shown: (VolunteerDetails, [District])
        do {
            shown = try await api.database.asPerson(visitor.person) { session in
                (try await VolunteerQueries.show(number, in: session), try await Districts.list(in: session))
            }
        } catch {
            var response = WebPage.done(title: WebText.text("volunteer.cannot_view"), message: FormError(error, fields: []).message, visitor: visitor,
                                        links: [("/volunteers", WebText.text("volunteer.back"))], ok: false)
            response.status = WebVolunteerPages.status(error)
            return response
        }
        let (v, districts) = shown
        let current = v.districts.last
        let today = String(CityTime.text(Date()).prefix(10))
        var all: [String: Any] = [
            "number": v.number, "name": v.name, "id_number": v.idNumber, "phone": v.phone, "registered_on": v.registeredOn.description,
            "district": current.map { WebText.text("form.named_code", ["name": $0.name, "code": $0.code]) } ?? "—", "csrf": visitor.csrf,
            "history": v.districts.map { ["from": $0.effectiveFrom.description, "name": $0.name, "code": $0.code, "by": $0.recordedBy] },
            "has_history": !v.districts.isEmpty, "move_on": today, "dereg_on": today,
        ]
        if let guardian = v.guardianName { all["guardian"] = "\(guardian) \(v.guardianPhone ?? "")" }
        if let left = v.deregistration { all["deregistered"] = WebText.text("volunteer.deregistered_value", ["on": left.effectiveOn.description, "reason": left.reason]) }
        all.merge(values) { $1 }
        let chosen = values["move_to"] as? String
        all["districts"] = districts.filter { $0.code != current?.code || chosen == $0.code }.map {
            ["code": $0.code, "name": $0.name, "selected": $0.code == chosen] as [String: Any]
        }
        return WebPage.render("volunteer", title: WebText.text("volunteer.title", ["number": v.number]), visitor: visitor, values: all, status: status)
    }

    static func link(_ query: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let text = query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return "/volunteers" + (text.isEmpty ? "" : "?" + text)
    }
}

/// A page of an ordered listing: the cursor is the key of the last item of the previous page.
struct CursorPage<Item> {
    let items: [Item]
    let start: Int
    /// The cursor of the page after, nil on the last page.
    let next: String?

    init(_ all: [Item], cursor: String?, limit: Int, key: (Item) -> String) {
        start = cursor.flatMap { cursor in all.firstIndex { key($0) == cursor }.map { $0 + 1 } } ?? 0
        items = Array(all[min(start, all.count)...].prefix(limit))
        next = start + items.count < all.count ? items.last.map(key) : nil
    }
}
