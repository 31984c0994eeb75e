import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// An organiser creates an activity; the same rules as `vledger activity create` and the API.
enum WebActivityPages {
    static let fields: Set<String> = ["title", "district", "organiser", "starts", "ends", "category"]

    static func register(on router: Router<APIContext>, api: API) {
        router.get("/activities/new") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                try await WebActivityPages.form(visitor, api, values: ["organiser": visitor.login])
            }
        }
        router.post("/activities/new") { request, context -> Response in
            try await WebPages.posted(request, context, api) { visitor, form in
                // datetime-local sends 2026-12-02T09:00; the CLI's form is 2026-12-02 09:00.
                let time = { (name: String) in form.text(name).replacingOccurrences(of: "T", with: " ") }
                do {
                    let activity = NewActivity(
                        title: form.text("title"), districtCode: form.text("district"), organiser: form.text("organiser"),
                        starts: try TimeInput.parse(time("starts"), field: "starts"), ends: try TimeInput.parse(time("ends"), field: "ends"),
                        category: form.text("category").isEmpty ? nil : form.text("category"))
                    let id = try await api.database.asPerson(visitor.person) { session in try await ActivityService.create(activity, in: session) }
                    return WebPage.done(title: WebText.text("new_activity.done_title"),
                                        message: WebText.text("new_activity.done", ["title": activity.title, "id": String(id)]), visitor: visitor, links: [
                        ("/activities/\(id)/screen?action=in", WebText.text("new_activity.open_code")), ("/activities", WebText.text("activities.back")),
                    ])
                } catch {
                    var typed: [String: Any] = [:]
                    for name in fields { typed[name] = form.text(name) }
                    let failure = FormError(error, fields: fields, aliases: ["district_code": "district"])
                    return try await WebActivityPages.form(visitor, api, values: typed.merging(failure.values) { $1 },
                                          status: HTTPResponse.Status(code: APIError.userFacing(for: error).category.httpStatus))
                }
            }
        }
    }

    /// The form, with the catalogue's categories to pick from when the office has made one (0150).
    static func form(_ visitor: WebVisitor, _ api: API, values: [String: Any], status: HTTPResponse.Status = .ok) async throws -> Response {
        let categories = (try? await api.database.asPerson(visitor.person) { session in try await ServiceCategories.list(in: session) }) ?? []
        let chosen = values["category"] as? String
        var all = values
        all["has_categories"] = !categories.isEmpty
        all["categories"] = categories.map { c -> [String: Any] in
            ["code": c.code, "name": c.name, "selected": c.code == chosen || c.name == chosen,
             "indent": c.parentCode == nil ? "" : "　"]
        }
        return try await WebRegisterPages.form(visitor, api, values: all, status: status, template: "new_activity", title: WebText.text("new_activity.title"))
    }
}
