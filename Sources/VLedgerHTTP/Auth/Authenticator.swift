import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// Who is asking: `Authorization: Bearer TOKEN` (API clients) or the session cookie (pages;
/// then every request but GET and HEAD carries `X-CSRF-Token`, tied to the session).
public struct Authenticator: Sendable {
    public static let cookieName = "vledger_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    let database: ServiceDatabase

    /// The person of a live session, else 401; 403 for a cookie request without its CSRF token.
    func person(for request: Request, context: APIContext) async throws -> Person {
        let (token, viaCookie) = try Self.token(in: request)
        if viaCookie, request.method != .get, request.method != .head {
            guard let sent = request.headers[Self.csrfHeader], SessionTokens.same(sent, SessionTokens.csrf(for: token)) else {
                throw UserFacingError(.forbidden, code: "csrf")
            }
        }
        let hash = SessionTokens.hashHex(token)
        guard let resolved = try await database.asService({ session in
            try await session.read { db in try WebSessions.resolve(tokenHashHex: hash, on: db) }
        }) else {
            throw UserFacingError(.unauthenticated, code: "session_invalid")
        }
        return Person(login: resolved.login, sessionID: resolved.id, tokenHashHex: hash, viaCookie: viaCookie)
    }

    static func token(in request: Request) throws -> (String, viaCookie: Bool) {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw UserFacingError(.unauthenticated, code: "unauthenticated") }
            let token = parts[1].trimmingCharacters(in: .whitespaces)
            guard SessionTokens.wellFormed(token) else { throw UserFacingError(.unauthenticated, code: "session_invalid") }
            return (token, false)
        }
        if let cookie = request.cookies[cookieName]?.value {
            guard SessionTokens.wellFormed(cookie) else { throw UserFacingError(.unauthenticated, code: "session_invalid") }
            return (cookie, true)
        }
        throw UserFacingError(.unauthenticated, code: "unauthenticated")
    }
}
