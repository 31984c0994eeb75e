import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// Staff register a volunteer: the ID number is checked as typed (the page's script: length,
/// birth date, check digit; guardian fields for minors) and again by the same rules as the CLI.
enum WebRegisterPages {
    static let fields: Set<String> = ["name", "id_number", "phone", "district", "registered_on", "guardian_name", "guardian_phone",
                                      "guardian_consent"]

    static func register(on router: Router<APIContext>, api: API) {
        router.get("/volunteers/new") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                try await form(visitor, api, values: [:])
            }
        }
        router.post("/volunteers/new") { request, context -> Response in
            try await WebPages.posted(request, context, api) { visitor, posted in
                let optional = { (name: String) -> String? in posted.text(name).isEmpty ? nil : posted.text(name) }
                let registration = RegistrationRequest(
                    name: posted.text("name"), idNumber: posted.text("id_number"), phone: posted.text("phone"), district: posted.text("district"),
                    registeredOn: optional("registered_on"), guardianName: optional("guardian_name"), guardianPhone: optional("guardian_phone"),
                    guardianConsent: posted["guardian_consent"] == "yes")
                do {
                    let number = try await api.database.asPerson(visitor.person) { session in try await VolunteerRegistry.register(registration, in: session) }
                    return WebPage.done(title: WebText.text("register.done_title"),
                                        message: WebText.text("register.done", ["name": registration.name, "number": number]), visitor: visitor,
                                        links: [("/volunteers/new", WebText.text("register.again"))])
                } catch {
                    var typed: [String: Any] = [:]
                    for name in fields { typed[name] = posted.text(name) }
                    typed["guardian_consent"] = registration.guardianConsent
                    let failure = FormError(error, fields: fields, aliases: ["district_code": "district"])
                    typed["minor"] = registration.guardianName != nil || failure.field?.hasPrefix("guardian") == true
                    return try await form(visitor, api, values: typed.merging(failure.values) { $1 },
                                          status: HTTPResponse.Status(code: APIError.userFacing(for: error).category.httpStatus))
                }
            }
        }
    }

    static func form(_ visitor: WebVisitor, _ api: API, values: [String: Any], status: HTTPResponse.Status = .ok,
                     template: String = "register", title: String? = nil) async throws -> Response {
        let districts = try await api.database.asPerson(visitor.person) { session in try await Districts.list(in: session) }
        let chosen = values["district"] as? String
        var all = values
        all["csrf"] = visitor.csrf
        all["districts"] = districts.map { ["code": $0.code, "name": $0.name, "selected": $0.code == chosen] as [String: Any] }
        return WebPage.render(template, title: title ?? WebText.text("register.title"), visitor: visitor, values: all, status: status)
    }
}
