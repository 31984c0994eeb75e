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
