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
            if let option = previous, option.hasPrefix("-") {
                throw RuleViolation(field: "argument", value: shown, code: "argument_value_not_utf8", args: ["option": option])
            }
            throw RuleViolation(field: "argument", value: shown, code: "argument_not_utf8", args: ["index": String(index)])
        }
    }
}
