import Foundation
import VLedgerCore

/// Arguments arrive as bytes; Swift's `CommandLine.arguments` silently replaces what is not
/// UTF-8 with U+FFFD, and a name typed in a GBK terminal would be stored as `ab��`. Refused
/// before parsing, naming the argument, with the bytes shown as the terminal cannot.
enum ArgumentEncoding {
    static func requireUTF8() throws {
        let argv = CommandLine.unsafeArgv
        var previous: String?
        for index in 1..<Int(CommandLine.argc) {
            guard let pointer = argv[index] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer)))
            if let text = TextDecoding.validUTF8(bytes[...]) {
                previous = text
                continue
            }
            let shown = bytes.prefix(40).map { $0 < 0x80 && $0 >= 0x20 ? String(UnicodeScalar($0)) : String(format: "\\x%02x", $0) }.joined()
            let which = previous.map { $0.hasPrefix("-") ? "the value of \($0)" : "argument \(index)" } ?? "argument \(index)"
            throw RuleViolation(
                field: "argument", value: shown,
                rule: "\(which) is not valid UTF-8 text; set the terminal to UTF-8 (LANG=zh_CN.UTF-8) and type it again")
        }
    }
}
