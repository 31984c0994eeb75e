import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A client on a plain socket that sends some bytes and then nothing: the server's idle
/// timeout must end the connection (the read then meets the end of the stream).
enum SlowClient {
    static func sendAndReadUntilClosed(port: Int, _ text: String) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try blocking(port: port, text).closed })
            }
        }
    }

    /// A whole request on a new connection; the reply as text.
    static func exchange(port: Int, _ text: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { String(decoding: try blocking(port: port, text).received, as: UTF8.self) })
            }
        }
    }

    struct SocketError: Error { let step: String }

    static func blocking(port: Int, _ text: String) throws -> (closed: Bool, received: [UInt8]) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(step: "socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SocketError(step: "connect") }
        // A hang guard, not a timing: a server that never closes fails the test after a minute.
        var guardTime = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &guardTime, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(text.utf8)
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw SocketError(step: "send") }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var received: [UInt8] = []
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return (true, received) }       // closed by the server
            if count < 0 { return (errno == ECONNRESET, received) }
            received += buffer[0..<count]
        }
    }
}
