import Foundation

/// The DETAIL of an error raised by one of the database's rules (migration 0120, `vl_raise`):
/// `{"field": "start", "value": "2026-12-01T09:30:00+08:00", "args": {"other_entry": "17"}}`.
/// Every argument is a string, values are masked when personal. A refusal that is not about one
/// value (`vl_refuse`, 0121: a login may not write this row) has no field. This parsing is the only way a
/// server's DETAIL reaches a person: any other DETAIL (which may echo key values) is dropped.
public struct RuleDetail: Sendable, Equatable, Decodable {
    public var field: String?
    public var value: String?
    public var args: [String: String]

    public init(field: String?, value: String? = nil, args: [String: String] = [:]) {
        self.field = field
        self.value = value
        self.args = args
    }

    /// nil unless `text` is such an object.
    public init?(parsing text: String?) {
        guard let text, text.hasPrefix("{"), let data = text.data(using: .utf8),
              let detail = try? JSONDecoder().decode(RuleDetail.self, from: data) else { return nil }
        self = detail
    }

    enum CodingKeys: String, CodingKey { case field, value, args }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        field = try container.decodeIfPresent(String.self, forKey: .field)
        value = try container.decodeIfPresent(String.self, forKey: .value)
        args = try container.decodeIfPresent([String: String].self, forKey: .args) ?? [:]
    }

    /// Arguments as the database stores them beside a collected problem (a jsonb object's text).
    /// One decoder for all: a report decodes one object per row it finds (thousands), and making
    /// a decoder costs more than decoding a small object.
    public static func arguments(_ json: String?) -> [String: String] {
        guard let json else { return [:] }
        if let args = flatObject(json) { return args }
        guard let args = try? decoder.decode([String: String].self, from: Data(json.utf8)) else { return [:] }
        return args
    }

    /// jsonb's text of an object of strings without escapes (`{"a": "x", "b": "y"}`), the shape
    /// nearly every row has, read straight from its bytes; nil for anything else (escapes,
    /// numbers, nesting), which the decoder then reads.
    static func flatObject(_ json: String) -> [String: String]? {
        let bytes = Array(json.utf8)
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}"), !bytes.contains(backslash) else { return nil }
        var result: [String: String] = [:]
        var i = 1
        func skipSpaces() { while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 } }
        func string() -> String? {
            guard i < bytes.count, bytes[i] == quote, let end = bytes[(i + 1)...].firstIndex(of: quote) else { return nil }
            defer { i = end + 1 }
            return String(decoding: bytes[(i + 1)..<end], as: UTF8.self)
        }
        skipSpaces()
        if bytes[i] == UInt8(ascii: "}") { return i == bytes.count - 1 ? result : nil }
        while true {
            skipSpaces()
            guard let key = string() else { return nil }
            skipSpaces()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpaces()
            guard let value = string() else { return nil }
            result[key] = value
            skipSpaces()
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            return bytes[i] == UInt8(ascii: "}") && i == bytes.count - 1 ? result : nil
        }
    }

    private static let decoder = JSONDecoder()
}
