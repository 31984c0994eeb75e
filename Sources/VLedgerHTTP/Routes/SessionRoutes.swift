import Foundation
import HTTPTypes
import Hummingbird
import Logging
import VLedgerCore

/// Sign-in and sign-out (`POST /api/v1/sessions`, `DELETE /api/v1/sessions/current`).
enum SessionRoutes {
    static let realIP = HTTPField.Name("X-Real-IP")!

    static func register(on router: Router<APIContext>, api: API) {
        router.post("/api/v1/sessions") { request, context -> Response in
            var request = request
            let body = try await JSONBody.read(&request, allowed: ["login", "password"])
            let login = try body.string("login"), password = try body.string("password")
            var context = context
            if api.settings.trustProxyAddress, let forwarded = request.headers[realIP]?.trimmingCharacters(in: .whitespaces), !forwarded.isEmpty {
                context.clientAddress = String(forwarded.prefix(64))
            }
            return try await signIn(login: login, password: password, context: context, api: api)
        }
        router.delete("/api/v1/sessions/current") { request, context -> Response in
            let person = try api.authenticator.person(for: request)
            _ = try await api.database.asPerson(person) { session in try await WebSessions.close(tokenHashHex: person.tokenHashHex, in: session) }
            var headers = HTTPFields()
            headers[.setCookie] = cookie(value: "", maxAge: 0, api: api)
            return JSONResponse.empty(.noContent, headers: headers)
        }
    }

    static func signIn(login: String, password: String, context: APIContext, api: API) async throws -> Response {
        let address = context.clientAddress
        let key = String(login.prefix(64))
        if let wait = await api.limiter.waitBeforeTry(login: key, address: address) {
            throw UserFacingError(.rateLimited, code: "signin_rate_limited", args: ["seconds": String(wait)])
        }
        if api.passwordPath.refusal != nil {
            throw UserFacingError(.unauthenticated, code: "signin_not_checked")
        }
        guard (try? UserAccounts.validateLogin(login)) != nil, !password.isEmpty else {
            await api.limiter.failed(login: key, address: address)
            throw UserFacingError(.unauthenticated, code: "signin_failed")
        }
        switch await api.passwordPath.check(login: login, password: password) {
        case .refused:
            await api.limiter.failed(login: key, address: address)
            throw UserFacingError(.unauthenticated, code: "signin_failed")
        case .notAsked:
            context.logger.warning("password sign-in refused: PostgreSQL did not ask for a password on the sign-in path")
            throw UserFacingError(.unauthenticated, code: "signin_not_checked")
        case .accepted:
            break
        }
        let token = SessionTokens.make()
        let hash = SessionTokens.hashHex(token)
        let lifetime = api.settings.sessionLifetimeSeconds
        let opened: WebSessions.Opened
        do {
            opened = try await api.database.asLogin(login) { session in
                try await WebSessions.open(tokenHashHex: hash, lifetimeSeconds: lifetime, clientAddress: address, in: session)
            }
        } catch {
            // A login with a right password that is not a person of this database (the owner, the
            // service login): no session, and no more said than for a wrong password.
            await api.limiter.failed(login: key, address: address)
            throw UserFacingError(.unauthenticated, code: "signin_failed")
        }
        await api.limiter.succeeded(login: key)
        var headers = HTTPFields()
        headers[.setCookie] = cookie(value: token, maxAge: lifetime, api: api)
        return JSONResponse.make(.object([
            ("token", .string(token)),
            ("expires_at", .string(CityTime.text(opened.expiresAt))),
            ("csrf_token", .string(SessionTokens.csrf(for: token))),
        ]), status: .created, headers: headers)
    }

    static func cookie(value: String, maxAge: Int, api: API) -> String {
        "\(Authenticator.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (api.settings.secureCookie ? "; Secure" : "")
    }
}
