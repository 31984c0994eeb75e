import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// The districts' permanent residents by year, and the office's form recording a new figure:
/// the service of `vledger population set` (a new revision with its source; earlier ones kept).
enum WebPopulationPages {
    /// The form's fields, and the service's field each refusal names.
    static let fields: Set<String> = ["set_district", "set_year", "set_residents", "set_source"]
    static let aliases = ["district": "set_district", "district_code": "set_district", "year": "set_year", "residents": "set_residents",
                          "source": "set_source"]

    static func register(on router: Router<APIContext>, api: API) {
        router.get("/populations") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                try await page(visitor, api, yearText: Parse.query(request, "year"), typed: [:])
            }
        }
        router.post("/populations") { request, context -> Response in
            try await WebPages.posted(request, context, api) { visitor, form in
                let typed = Dictionary(uniqueKeysWithValues: fields.map { ($0, form.text($0)) })
                do {
                    let figure = try await api.database.asPerson(visitor.person) { session in
                        try await Population.set(district: typed["set_district"]!, yearText: typed["set_year"]!,
                                                 residentsText: typed["set_residents"]!, source: form.optional("set_source"), in: session)
                    }
                    return WebPage.done(title: WebText.text("populations.set_title"), message: WebText.text("populations.set_done", [
                        "name": figure.districtName, "code": figure.districtCode, "year": String(figure.year), "residents": String(figure.residents),
                    ]), visitor: visitor, links: [("/populations?year=\(figure.year)", WebText.text("populations.back"))])
                } catch {
                    let failure = FormError(error, fields: fields, aliases: aliases)
                    // A refusal of no field of the form (not allowed, say) above the form, not above the list.
                    var shown: [String: Any] = (typed as [String: Any]).merging(failure.values) { $1 }
                    if failure.field == nil { shown["set_error"] = failure.message }
                    shown["error"] = nil
                    return try await page(visitor, api, yearText: nil, typed: shown,
                                          status: HTTPResponse.Status(code: APIError.userFacing(for: error).category.httpStatus))
                }
            }
        }
    }

    static func page(_ visitor: WebVisitor, _ api: API, yearText: String?, typed: [String: Any],
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        var values: [String: Any] = ["year": yearText ?? ""]
        let districts = (try? await api.database.asPerson(visitor.person) { session in try await Districts.list(in: session) }) ?? []
        do {
            let year = try yearText.map { try Population.year(try WebOfficePages.yearValue($0)) }
            let figures = try await api.database.asPerson(visitor.person) { session in try await Population.list(year: year, in: session) }
            values["figures"] = figures.map { f -> [String: Any] in
                ["district": f.districtName, "code": f.districtCode, "year": f.year, "residents": f.residents, "source": f.source ?? "—",
                 "by": f.recordedBy, "at": CityTime.text(f.recordedAt).prefix(16).replacingOccurrences(of: "T", with: " "),
                 "in_force": f.inForce]
            }
            values["has_figures"] = !figures.isEmpty
        } catch {
            values["error"] = FormError(error, fields: []).message
        }
        // The form for those whose role writes populations (0042 grants them; the database decides).
        values["may_set"] = visitor.role == .office || visitor.role == .admin
        values["csrf"] = visitor.csrf
        let chosen = typed["set_district"] as? String
        values["set_districts"] = districts.map { ["code": $0.code, "name": $0.name, "selected": $0.code == chosen] as [String: Any] }
        values["set_year"] = yearText ?? WebOfficePages.thisYear()
        values.merge(typed) { $1 }
        return WebPage.render("populations", title: WebText.text("populations.title"), visitor: visitor, values: values, status: status)
    }
}
