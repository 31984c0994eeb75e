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
        guard let json, let args = try? decoder.decode([String: String].self, from: Data(json.utf8)) else { return [:] }
        return args
    }

    private static let decoder = JSONDecoder()
}
