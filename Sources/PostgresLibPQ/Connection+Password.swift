import CLibPQ
import Foundation

extension Connection {
    /// The SCRAM-SHA-256 verifier of `password` for role `user`, computed here by libpq
    /// (`PQencryptPasswordConn`), so that `CREATE ROLE … PASSWORD` receives a hash and the clear
    /// password never reaches the server, its statement log or pg_stat_activity.
    public func scramVerifier(password: String, user: String) throws -> String {
        let connection = try liveHandle(for: "PQencryptPasswordConn")
        guard let encrypted = PQencryptPasswordConn(connection, password, user, "scram-sha-256") else {
            throw PostgresError(
                kind: .protocolViolation,
                message: "cannot hash the password: \(String(cString: PQerrorMessage(connection)).oneLine)")
        }
        defer { PQfreemem(encrypted) }
        return String(cString: encrypted)
    }
}

/// What PostgreSQL said about a login and password (`Connection.checkPassword`).
public enum PasswordCheck: Sendable, Equatable {
    /// The server asked for the password and accepted it.
    case accepted
    /// The server refused the connection (a wrong password, an unknown or NOLOGIN role).
    case refused
    /// The server let the login in without asking for a password (trust, peer): the check proved
    /// nothing.
    case notAsked
}

extension Connection {
    /// Opens a connection as `user` with `password` on the server `connectionString` names (its
    /// own user and password are replaced), asks whether the server used the password
    /// (`PQconnectionUsedPassword`), and closes it. Parameters go to libpq as keyword/value
    /// pairs: nothing is spliced into a connection string. Blocks its thread while connecting.
    public static func checkPassword(_ connectionString: String, user: String, password: String) -> PasswordCheck {
        let keywords = ["dbname", "user", "password", "application_name", "connect_timeout"]
        let values = [connectionString, user, password, "vledger sign-in", "10"]
        // libpq reads C strings: "secret\0anything" would be checked as "secret". A NUL is in no
        // login's name or password, so the try is refused without asking the server.
        guard !values.contains(where: { $0.utf8.contains(0) }) else { return .refused }
        let keywordCopies = keywords.map { strdup($0) }
        let valueCopies = values.map { strdup($0) }
        defer {
            keywordCopies.forEach { free($0) }
            valueCopies.forEach { free($0) }
        }
        var keywordPointers: [UnsafePointer<CChar>?] = keywordCopies.map { $0.map { UnsafePointer($0) } } + [nil]
        var valuePointers: [UnsafePointer<CChar>?] = valueCopies.map { $0.map { UnsafePointer($0) } } + [nil]
        // expand_dbname = 1: the first dbname may itself be a URL or key=value string; the later
        // user and password override what it says.
        guard let opened = keywordPointers.withUnsafeMutableBufferPointer({ keys in
            valuePointers.withUnsafeMutableBufferPointer { vals in PQconnectdbParams(keys.baseAddress, vals.baseAddress, 1) }
        }) else { return .refused }
        defer { PQfinish(opened) }
        guard PQstatus(opened) == CONNECTION_OK else { return .refused }
        return PQconnectionUsedPassword(opened) == 1 ? .accepted : .notAsked
    }
}
