import Foundation
import HTTPTypes
import Hummingbird
import VLedgerCore

/// How the service runs: settings of `vledger serve`.
public struct ServeSettings: Sendable {
    public var sessionLifetimeSeconds: Int
    /// The cookie gets `Secure` (behind a TLS proxy).
    public var secureCookie: Bool
    public var signInLimits: SignInLimiter.Limits
    /// Behind the reverse proxy every connection comes from it: the client's address is then the
    /// proxy's X-Real-IP (set by it, never by the client), else each client would share one limit.
    public var trustProxyAddress: Bool

    public init(sessionLifetimeSeconds: Int = 12 * 3600, secureCookie: Bool = false, signInLimits: SignInLimiter.Limits = .init(),
                trustProxyAddress: Bool = false) {
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.secureCookie = secureCookie
        self.signInLimits = signInLimits
        self.trustProxyAddress = trustProxyAddress
    }
}

/// What the routes share. Handlers are thin: parse, call a VLedgerCore service through
/// `asPerson`, render.
public struct API: Sendable {
    public let database: ServiceDatabase
    public let passwordPath: PasswordPath
    public let settings: ServeSettings
    let authenticator: Authenticator
    let limiter: SignInLimiter
    /// Rejects of recent uploaded imports, for their uploaders to download.
    let rejects = RejectsStore()

    public init(database: ServiceDatabase, passwordPath: PasswordPath, settings: ServeSettings) {
        self.database = database
        self.passwordPath = passwordPath
        self.settings = settings
        self.authenticator = Authenticator()
        self.limiter = SignInLimiter(limits: settings.signInLimits)
    }

    /// Resolves the session and runs `body` acting for its person.
    func asPerson<T: Sendable>(_ request: Request, _ context: APIContext,
                               _ body: @Sendable (LedgerSession) async throws -> T) async throws -> T {
        let person = try authenticator.person(for: request)
        return try await database.asPerson(person, body)
    }
}

/// Parsing of path and query values, with the field named when one is wrong.
enum Parse {
    static func query(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    static func queryInt(_ request: Request, _ name: String) throws -> Int? {
        guard let text = query(request, name) else { return nil }
        guard let value = Int(text) else { throw UserFacingError(.invalid, code: "query_parameter", field: name, value: String(text.prefix(60))) }
        return value
    }

    static func path(_ context: APIContext, _ name: String) throws -> String {
        try context.parameters.require(name)
    }
}
