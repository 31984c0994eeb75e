import Crypto
import Foundation

/// Session tokens: 256 random bits from the system's secure generator, base64url without
/// padding (43 characters). Only their SHA-256 is stored; the CSRF token of a cookie session is
/// an HMAC of a fixed label keyed by the session token, so it is tied to the session and needs
/// no storage, and JavaScript that cannot read the HttpOnly cookie cannot compute it.
public enum SessionTokens {
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return base64url(Data(bytes))
    }

    public static func hashHex(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public static func csrf(for token: String) -> String {
        let key = SymmetricKey(data: Data(token.utf8))
        return base64url(Data(HMAC<SHA256>.authenticationCode(for: Data("vledger csrf v1".utf8), using: key)))
    }

    /// Compares without stopping at the first difference.
    public static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A token as clients send it: 43 base64url characters; anything else is not looked up.
    public static func wellFormed(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
        }
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
