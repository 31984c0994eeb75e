import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import VLedgerCore

/// Who is looking at a page: the person of the cookie session, their role and the CSRF token
/// forms carry (the same token the API's X-CSRF-Token header takes).
struct WebVisitor: Sendable {
    let person: Person
    let login: String
    let role: UserRole?
    let csrf: String

    var roleName: String { WebText.text("role." + (role?.rawValue ?? "none")) }

    /// The pages of the menu this visitor's role may use (the database still decides every
    /// request: a link left out is not a refusal, and a page typed in is refused by the rules).
    var menu: [WebMenu.Item] { WebMenu.items(for: role) }

    /// Where `/` takes them: the page of their day's work.
    var home: String { WebMenu.home(for: role) }
}

/// A page's HTML, rendered from the templates into the layout (who is signed in, their role,
/// sign-out), with a policy that lets the browser load nothing from anywhere but this origin.
enum WebPage {
    static let policy = "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func render(_ template: String, title: String, visitor: WebVisitor?, values: [String: Any] = [:],
                       status: HTTPResponse.Status = .ok, bodyClass: String = "") -> Response {
        let content = WebTemplates.library.render(values.merging(WebText.values) { $1 }, withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "content": content, "bodyClass": bodyClass, "lang": WebText.htmlLang]
        if let visitor {
            layout["who"] = ["login": visitor.login, "role": visitor.roleName, "csrf": visitor.csrf]
            layout["menu"] = visitor.menu.map { ["href": $0.path, "label": WebText.text("nav." + $0.key)] }
        }
        layout.merge(WebText.values) { $1 }
        return html(WebTemplates.library.render(layout, withTemplate: "layout") ?? "", status: status)
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Content-Security-Policy")!] = policy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }

    /// The page saying what happened, with where to go next.
    static func done(title: String, message: String, visitor: WebVisitor?, links: [(String, String)], ok: Bool = true) -> Response {
        render("done", title: title, visitor: visitor, values: [
            "message": message, "ok": ok, "links": links.map { ["href": $0.0, "label": $0.1] },
        ])
    }
}

/// Sessions for pages: the cookie, resolved as the API resolves it.
enum WebSession {
    /// The visitor, or nil when the request has no live session.
    static func visitor(_ request: Request, _ context: APIContext, _ api: API) async -> WebVisitor? {
        guard let cookie = request.cookies[Authenticator.cookieName]?.value, SessionTokens.wellFormed(cookie) else { return nil }
        guard let person = try? api.authenticator.person(for: request),
              let who = try? await api.database.asPerson(person, { session in try await SignedInRole.current(in: session) })
        else { return nil }
        return WebVisitor(person: person, login: who.login, role: who.role, csrf: SessionTokens.csrf(for: cookie))
    }

    /// A form post of a signed-in visitor: the CSRF token comes as the form's `csrf` field and is
    /// checked by the same authenticator as the API's header.
    static func poster(_ request: Request, _ form: WebForm, _ context: APIContext, _ api: API) async throws -> WebVisitor {
        var head = request.head
        head.headerFields[Authenticator.csrfHeader] = form["csrf"] ?? ""
        let checked = Request(head: head, body: .init(buffer: ByteBuffer()))
        let person = try api.authenticator.person(for: checked)
        let who = try await api.database.asPerson(person) { session in try await SignedInRole.current(in: session) }
        return WebVisitor(person: person, login: who.login, role: who.role, csrf: form["csrf"] ?? "")
    }

    /// Pages that need a session send the visitor to sign in first, and back afterwards.
    static func signInRedirect(_ request: Request) -> Response {
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return WebPage.redirect("/signin?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
    }
}

/// An `application/x-www-form-urlencoded` body (at most 64 KB).
struct WebForm: Sendable {
    let values: [String: String]

    subscript(_ name: String) -> String? { values[name] }

    func text(_ name: String) -> String { (values[name] ?? "").trimmingCharacters(in: .whitespaces) }

    /// The trimmed value, nil when absent or empty.
    func optional(_ name: String) -> String? { text(name).isEmpty ? nil : text(name) }

    static func read(_ request: inout Request) async throws -> WebForm {
        let buffer = try await request.collectBody(upTo: 65_536)
        return parse(String(buffer: buffer))
    }

    static func parse(_ text: String) -> WebForm {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let name = parts.first else { continue }
            values[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return WebForm(values: values)
    }
}

/// A refusal as a form shows it: the message next to its field when the form has that field,
/// else above the form.
struct FormError {
    let field: String?
    let message: String

    init(_ error: any Error, fields: Set<String>, aliases: [String: String] = [:]) {
        let facing = APIError.userFacing(for: error)
        let field = facing.field.map { aliases[$0] ?? $0 }
        self.field = field.flatMap { fields.contains($0) ? $0 : nil }
        switch facing.category {
        case .failure, .configuration: message = Catalog.text("error.internal", in: WebText.language)
        // Next to its field the rule's own sentence reads best; above the form, with the field named.
        default: message = self.field != nil ? facing.ruleText(in: WebText.language) : facing.message(in: WebText.language)
        }
    }

    /// Template values: `error_FIELD` next to the field, `error` above the form.
    var values: [String: Any] {
        if let field { return ["error_\(field)": message, "invalid_\(field)": true] }
        return ["error": message]
    }
}
