import Foundation
import PostgresLibPQ
import VLedgerCore

/// Where sign-in passwords are checked: PostgreSQL itself, by a connection opened as the person
/// with the password given (then closed). The path must make PostgreSQL ask for the password;
/// a path that lets people in without one (trust, peer) would grant sessions on a check that
/// cannot fail, so password sign-in is then refused.
public struct PasswordPath: Sendable {
    public let connectionString: String
    /// Set at start by `probe` when the path is known not to ask; each sign-in also checks.
    public let refusal: String?

    public init(connectionString: String, refusal: String? = nil) {
        self.connectionString = connectionString
        self.refusal = refusal
    }

    public var displayName: String { DatabaseLocator.redacted(connectionString) }

    /// Checks one password, off Swift's cooperative threads (libpq blocks while connecting).
    public func check(login: String, password: String) async -> PasswordCheck {
        let connectionString = self.connectionString
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Connection.checkPassword(connectionString, user: login, password: password))
            }
        }
    }

    /// At start: tries a person's login with a password nobody has. Let in means the path does
    /// not ask for passwords: sign-in is off, and `serve` says why.
    public func probe(person: String?) async -> PasswordPath {
        guard let person else { return self }
        let nobodysPassword = SessionTokens.make()
        switch await check(login: person, password: nobodysPassword) {
        case .accepted, .notAsked:
            return PasswordPath(connectionString: connectionString,
                                refusal: Catalog.text("ui.serve.no_password_path", ["path": displayName], in: .en))
        case .refused:
            return self
        }
    }
}
