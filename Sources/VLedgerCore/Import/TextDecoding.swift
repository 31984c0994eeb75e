import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The encodings spreadsheets arrive in: Excel writes UTF-8 (often with a BOM) or, on a Chinese
/// Windows, GB18030. The encoding is detected, never asked: a file that is valid UTF-8 is UTF-8,
/// anything else is read as GB18030 (a superset of GBK and GB2312).
public enum TextEncoding: String, Sendable, Equatable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 with BOM"
    case gb18030 = "GB18030"
}

public enum TextDecoding {
    public struct Decoded: Sendable {
        public let text: String
        public let encoding: TextEncoding
    }

    public static func decode(_ bytes: [UInt8], file: String = "file") throws -> Decoded {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = bytes.dropFirst(3)
            guard let text = validUTF8(body) else {
                throw VLedgerError.refused("\(file): starts with a UTF-8 byte order mark but is not valid UTF-8")
            }
            return Decoded(text: text, encoding: .utf8BOM)
        }
        // Excel's "Unicode text" is UTF-16 (tab-separated): say so rather than read it as GB18030 noise.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw VLedgerError.refused("\(file): is UTF-16 (Excel \"Unicode text\"); save it from Excel as \"CSV UTF-8\" instead")
        }
        if let text = validUTF8(bytes[...]) {
            return Decoded(text: text, encoding: .utf8)
        }
        guard let converted = iconvConvert(bytes, from: "GB18030", to: "UTF-8"),
              let text = validUTF8(converted[...]) else {
            throw VLedgerError.refused("\(file): is neither UTF-8 nor GB18030 text (save it from Excel as CSV UTF-8)")
        }
        return Decoded(text: text, encoding: .gb18030)
    }

    /// The text when `bytes` are valid UTF-8, else nil. Decoding replaces every invalid sequence
    /// with U+FFFD, so valid input is exactly input that re-encodes to itself (portable where
    /// `String(validating:as:)` is not yet available: macOS 14).
    public static func validUTF8(_ bytes: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.utf8.elementsEqual(bytes) ? text : nil
    }

    /// GB18030 bytes of `text` (tests and the benchmark write files the way Excel would).
    public static func gb18030(_ text: String) -> [UInt8]? {
        iconvConvert(Array(text.utf8), from: "UTF-8", to: "GB18030")
    }

    /// Glibc's iconv: Foundation on Linux has no GB18030 `String.Encoding`.
    /// nil when the conversion is unavailable or the input is not valid in `from`.
    static func iconvConvert(_ bytes: [UInt8], from: String, to: String) -> [UInt8]? {
        let descriptor = iconv_open(to, from)
        guard let descriptor, descriptor != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(descriptor) }
        if bytes.isEmpty { return [] }
        var input = bytes
        // GB18030 → UTF-8 grows at most 2× (two bytes → three, four → four); UTF-8 → GB18030 shrinks or stays.
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var produced = 0
        let complete: Bool = input.withUnsafeMutableBytes { inBuffer in
            output.withUnsafeMutableBytes { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress!.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress!.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                produced = outBuffer.count - outLeft
                return result != -1 && inLeft == 0
            }
        }
        guard complete else { return nil }
        output.removeSubrange(produced...)
        return output
    }
}
