import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// The pages (issue 14): sign-in, the public statement check and the printable statement; the
/// organiser's activities, check-in screen and the volunteer's self check-in; the office's
/// dashboard. Handlers are thin: they call the same VLedgerCore services as the API.
enum WebPages {
    static func register(on router: Router<APIContext>, api: API) {
        WebSignInPages.register(on: router, api: api)
        WebStatementPages.register(on: router, api: api)
        WebCheckinPages.register(on: router, api: api)
        WebDashboardPages.register(on: router, api: api)
        WebHoursPages.register(on: router, api: api)
        WebRegisterPages.register(on: router, api: api)
        WebAttendancePages.register(on: router, api: api)
        WebActivityPages.register(on: router, api: api)
        WebImportPages.register(on: router, api: api)
        WebVolunteerPages.register(on: router, api: api)
        WebOfficePages.register(on: router, api: api)
    }

    /// A page for signed-in people: the visitor, or the way to sign in.
    static func signedIn(
        _ request: Request, _ context: APIContext, _ api: API, _ body: (WebVisitor) async throws -> Response
    ) async throws -> Response {
        guard let visitor = await WebSession.visitor(request, context, api) else { return WebSession.signInRedirect(request) }
        return try await body(visitor)
    }

    /// A form post of a signed-in person: the form and the visitor, or (no session, a missing or
    /// wrong CSRF token) a page saying so, never the API's JSON.
    static func posted(
        _ request: Request, _ context: APIContext, _ api: API, _ body: (WebVisitor, WebForm) async throws -> Response
    ) async throws -> Response {
        var request = request
        let form = try await WebForm.read(&request)
        return try await posted(request, form, context, api, body)
    }

    /// The same for a form already read (an upload's fields).
    static func posted(
        _ request: Request, _ form: WebForm, _ context: APIContext, _ api: API, _ body: (WebVisitor, WebForm) async throws -> Response
    ) async throws -> Response {
        let visitor: WebVisitor
        do {
            visitor = try await WebSession.poster(request, form, context, api)
        } catch {
            let facing = APIError.userFacing(for: error)
            var response = WebPage.done(title: WebText.text("done.not_ok"), message: FormError(error, fields: []).message, visitor: nil,
                                        links: [("/signin", WebText.text("signin.title"))], ok: false)
            response.status = HTTPResponse.Status(code: facing.category.httpStatus)
            return response
        }
        return try await body(visitor, form)
    }
}

enum WebSignInPages {
    static func register(on router: Router<APIContext>, api: API) {
        router.get("/") { request, context -> Response in
            guard let visitor = await WebSession.visitor(request, context, api) else { return WebPage.redirect("/signin") }
            return WebPage.redirect(visitor.home)
        }
        // Browsers ask for it on every site; there is none (and no 404 in the log for it).
        router.get("/favicon.ico") { _, _ -> Response in Response(status: .noContent) }
        router.get("/signin") { request, context -> Response in
            let visitor = await WebSession.visitor(request, context, api)
            return WebPage.render("signin", title: WebText.text("signin.title"), visitor: visitor, values: ["next": safeNext(Parse.query(request, "next"))])
        }
        router.post("/signin") { request, context -> Response in
            var request = request
            let form = try await WebForm.read(&request)
            let login = form.text("login"), next = safeNext(form["next"])
            var context = context
            context.clientAddress = CheckinRoutes.clientAddress(request, context, api)
            do {
                let reply = try await SessionRoutes.signIn(login: login, password: form["password"] ?? "", context: context, api: api)
                var headers = HTTPFields()
                headers[.setCookie] = reply.headers[.setCookie]
                return WebPage.redirect(next, headers: headers)
            } catch {
                let failure = FormError(error, fields: [])
                return WebPage.render("signin", title: WebText.text("signin.title"), visitor: nil, values: ["login": login, "next": next, "error": failure.message],
                                      status: HTTPResponse.Status(code: APIError.userFacing(for: error).category.httpStatus))
            }
        }
        router.post("/signout") { request, context -> Response in
            var request = request
            let form = try await WebForm.read(&request)
            var headers = HTTPFields()
            headers[.setCookie] = SessionRoutes.cookie(value: "", maxAge: 0, api: api)
            if let visitor = try? await WebSession.poster(request, form, context, api) {
                _ = try await api.database.asPerson(visitor.person) { session in
                    try await WebSessions.close(tokenHashHex: visitor.person.tokenHashHex, in: session)
                }
            }
            var response = WebPage.done(title: WebText.text("signout.title"), message: WebText.text("signout.message"), visitor: nil,
                                        links: [("/signin", WebText.text("signout.again"))])
            response.headers[.setCookie] = headers[.setCookie]
            return response
        }
    }

    /// Only a path of this site (never `//elsewhere` or a full address) is a place to go back to.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }
}

enum WebStatementPages {
    static func register(on router: Router<APIContext>, api: API) {
        // Public: whoever holds a statement number; it shows what the API's verify shows, nothing more.
        router.get("/verify") { request, context -> Response in
            let visitor = await WebSession.visitor(request, context, api)
            guard let number = Parse.query(request, "number")?.trimmingCharacters(in: .whitespaces), !number.isEmpty else {
                return WebPage.render("verify", title: WebText.text("verify.title"), visitor: visitor)
            }
            do {
                let result = try await api.database.asService { session in try await StatementService.verify(number: number, in: session) }
                guard result.found else {
                    throw UserFacingError(.notFound, code: "no_such_statement", field: "number", value: String(number.prefix(60)))
                }
                var shown: [String: Any] = ["valid": result.valid, "number": result.number]
                if let name = result.maskedName { shown["name"] = name }
                if let from = result.from, let to = result.to { shown["period"] = WebText.text("verify.period", ["from": from.description, "to": to.description]) }
                if let hours = result.hours { shown["hours"] = hours }
                return WebPage.render("verify", title: WebText.text("verify.title"), visitor: visitor, values: ["number": number, "result": shown])
            } catch {
                return WebPage.render("verify", title: WebText.text("verify.title"), visitor: visitor,
                                      values: ["number": number, "error": FormError(error, fields: ["number"]).message], status: .notFound)
            }
        }
        router.get("/statements/{number}/print") { request, context -> Response in
            try await WebPages.signedIn(request, context, api) { visitor in
                let number = try Parse.path(context, "number")
                do {
                    let json = try await api.asPerson(request, context) { session in
                        try await StatementService.reprint(number: number, format: .json, in: session)
                    }
                    return WebPage.render("statement", title: WebText.text("statement.title", ["number": number]), visitor: visitor, values: certificate(json))
                } catch {
                    return WebPage.done(title: WebText.text("statement.cannot_print"), message: FormError(error, fields: []).message, visitor: visitor,
                                        links: [("/verify?number=\(number)", WebText.text("statement.verify_link"))], ok: false)
                }
            }
        }
    }

    /// The values of the certificate, from the statement's JSON as it was issued.
    static func certificate(_ json: String) -> [String: Any] {
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
        let volunteer = object["volunteer"] as? [String: Any] ?? [:]
        let period = object["period"] as? [String: Any] ?? [:]
        let rows = (object["activities"] as? [[String: Any]] ?? []).map { activity in
            ["title": activity["title"] ?? "", "date": activity["date"] ?? "", "hours": hours(activity["approved_hours"])]
        }
        return [
            "number": object["statement_number"] ?? "", "name": volunteer["name"] ?? "", "volunteer": volunteer["number"] ?? "",
            "from": period["from"] ?? "", "to": period["to"] ?? "", "hours": hours(object["approved_hours"]),
            "issuer": object["issuer"] ?? "", "issued_at": object["issued_on"] ?? "", "rows": rows, "has_rows": !rows.isEmpty,
        ]
    }

    /// Hours as the statement wrote them (two decimals).
    static func hours(_ value: Any?) -> String {
        guard let number = value as? NSNumber else { return "" }
        return String(format: "%.2f", number.doubleValue)
    }
}
