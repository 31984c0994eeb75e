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

    /// `forced`: the encoding the user named (`--encoding`); nil to detect it.
    public static func decode(_ bytes: [UInt8], file: String = "file", as forced: TextEncoding? = nil) throws -> Decoded {
        switch forced {
        case .utf8?, .utf8BOM?:
            let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
            guard let text = validUTF8(bytes.dropFirst(hasBOM ? 3 : 0)) else {
                throw UserFacingError.error(.invalid, "file_not_utf8", ["file": file])
            }
            return Decoded(text: text, encoding: hasBOM ? .utf8BOM : .utf8)
        case .gb18030?:
            guard let converted = iconvConvert(bytes, from: "GB18030", to: "UTF-8"), let text = validUTF8(converted[...]) else {
                throw UserFacingError.error(.invalid, "file_not_gb18030", ["file": file])
            }
            return Decoded(text: text, encoding: .gb18030)
        case nil:
            break
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = bytes.dropFirst(3)
            guard let text = validUTF8(body) else {
                throw UserFacingError.error(.invalid, "file_bom_not_utf8", ["file": file])
            }
            return Decoded(text: text, encoding: .utf8BOM)
        }
        // Excel's "Unicode text" is UTF-16 (tab-separated): say so rather than read it as GB18030 noise.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw UserFacingError.error(.invalid, "file_utf16", ["file": file])
        }
        if let text = validUTF8(bytes[...]) {
            if let alternative = implausibleUTF8(text, bytes: bytes) {
                throw UserFacingError.error(.invalid, "file_encoding_ambiguous", [
                    "file": file, "utf8": RuleViolation.quoted(alternative.utf8), "gb18030": RuleViolation.quoted(alternative.gb18030)])
            }
            return Decoded(text: text, encoding: .utf8)
        }
        guard let converted = iconvConvert(bytes, from: "GB18030", to: "UTF-8"),
              let text = validUTF8(converted[...]) else {
            throw UserFacingError.error(.invalid, "file_encoding_unknown", ["file": file])
        }
        return Decoded(text: text, encoding: .gb18030)
    }

    /// GB18030 bytes of Chinese text are sometimes valid UTF-8 too (`一` as GB18030 is D2 BB, UTF-8
    /// for `һ`): such a file decodes as UTF-8 into a run of Cyrillic, Arabic, Latin-1 and other
    /// two-byte letters no Chinese register holds. When most of the non-ASCII text is such
    /// two-byte letters and the same bytes read as GB18030 are mostly Chinese characters, the
    /// file is ambiguous: the samples of both readings are returned, and the user decides.
    static func implausibleUTF8(_ text: String, bytes: [UInt8]) -> (utf8: String, gb18030: String)? {
        var nonASCII = 0
        var twoByte = 0
        for scalar in text.unicodeScalars where scalar.value >= 0x80 {
            nonASCII += 1
            if scalar.value < 0x800 { twoByte += 1 }
        }
        guard nonASCII > 0, twoByte * 2 > nonASCII,
              let converted = iconvConvert(bytes, from: "GB18030", to: "UTF-8"), let other = validUTF8(converted[...]) else { return nil }
        var otherNonASCII = 0
        var han = 0
        for scalar in other.unicodeScalars where scalar.value >= 0x80 {
            otherNonASCII += 1
            if (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value) || (0x3000...0x303F).contains(scalar.value)
                || (0xFF00...0xFFEF).contains(scalar.value) || scalar.value == 0xB7 { han += 1 }
        }
        guard otherNonASCII > 0, han * 10 >= otherNonASCII * 8 else { return nil }
        func sample(_ text: String) -> String {
            let words = text.split(whereSeparator: { $0 == "," || $0.isNewline }).filter { $0.unicodeScalars.contains { $0.value >= 0x80 } }
            return words.prefix(3).joined(separator: ",")
        }
        return (sample(text), sample(other))
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
