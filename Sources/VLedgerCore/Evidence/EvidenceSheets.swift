import Foundation

/// The indicator workbook of the pack: the metrics rows as `metrics --format xlsx` has them, the
/// support rate, and a sheet per district holding every key of that district's JSON object
/// (flattened: `meets.registration_share`), so a key another part adds reaches it unchanged.
enum EvidenceSheets {
    static func workbook(_ report: MetricsReport) -> Workbook {
        var sheets = report.workbook.sheets
        if let supportRate = report.supportRate { sheets.append(supportRate.sheet) }
        guard case .object(let members) = report.json else { return Workbook(sheets: sheets) }
        let byKey = Dictionary(members, uniquingKeysWith: { first, _ in first })
        var support: [String: JSONValue] = [:]
        if case .object(let rate)? = byKey["support_rate"], case .array(let rows)? = Dictionary(rate, uniquingKeysWith: { a, _ in a })["districts"] {
            for case .object(let row) in rows {
                if case .string(let code)? = Dictionary(row, uniquingKeysWith: { a, _ in a })["code"] { support[code] = .object(row) }
            }
        }
        if case .object(let city)? = byKey["city"] {
            var rows = flatten(.object(city))
            if case .object(let rate)? = byKey["support_rate"], let cityRate = Dictionary(rate, uniquingKeysWith: { a, _ in a })["city"] {
                rows += flatten(cityRate, prefix: "support_rate.")
            }
            sheets.append(sheet(name: "城市", rows: rows))
        }
        if case .array(let districts)? = byKey["districts"] {
            for case .object(let district) in districts {
                let fields = Dictionary(district, uniquingKeysWith: { a, _ in a })
                guard case .string(let code)? = fields["code"] else { continue }
                var name = code
                if case .string(let text)? = fields["name"] { name += " " + text }
                var rows = flatten(.object(district))
                if let rate = support[code] { rows += flatten(rate, prefix: "support_rate.").filter { !["support_rate.code", "support_rate.name", "support_rate.built_up"].contains($0.key) } }
                sheets.append(sheet(name: name, rows: rows))
            }
        }
        return Workbook(sheets: sheets)
    }

    static func sheet(name: String, rows: [(key: String, value: SheetCell)]) -> Sheet {
        Sheet(name: name, header: ["key", "value"], rows: rows.map { [.text($0.key), $0.value] })
    }

    /// `(key path, value)` for every leaf, typed as the JSON has it; arrays by index (`warnings.0.code`).
    static func flatten(_ value: JSONValue, prefix: String = "") -> [(key: String, value: SheetCell)] {
        let key = String(prefix.dropLast())
        switch value {
        case .object(let members):
            return members.flatMap { flatten($0.1, prefix: prefix + $0.0 + ".") }
        case .array(let elements):
            return elements.enumerated().flatMap { flatten($0.element, prefix: prefix + String($0.offset) + ".") }
        case .string(let text): return [(key, .text(text))]
        case .number(let text): return [(key, .number(text))]
        case .bool(let flag): return [(key, .bool(flag))]
        case .null: return [(key, .empty)]
        }
    }
}
