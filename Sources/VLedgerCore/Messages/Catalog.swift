/// The messages people read, one table per language (Catalog+en.swift, Catalog+zh.swift), keyed
/// by stable codes:
/// - `rule.CODE`: a refused value; CODE is the rule's name (the database constraint when the
///   database enforces it). Placeholders `{field}`, `{value}` and the rule's own arguments.
/// - `error.CODE`: other refusals and failures (`VLedgerError`, database errors without a rule).
/// - `field.NAME`: how a field is named in the message (the stable name is shown beside it).
/// - `help.…`: command abstracts, discussions and option help.
/// - `ui.…`: table headers, values, progress lines, reports.
///
/// A placeholder is `{name}`; a missing argument renders as an empty string. The test
/// `CatalogTests` checks that both tables have the same keys and the same placeholders.
public enum Catalog {
    /// Each feature keeps its messages in its own pair of files (`Catalog+zh+Feature.swift`,
    /// `Catalog+en+Feature.swift`) and lists its part here; a key belongs to one part only
    /// (`CatalogTests` checks).
    static let zhParts: [[String: String]] = [
        zhCore, zhCheckin, zhHTTP, zhOrgs, zhBench, zhWeb, zhCluster, zhAnomalies, zhRecognition, zhProvenance, zhSurvey, zhEvidence, zhDashboard, zhWithdrawal,
    ]
    static let enParts: [[String: String]] = [
        enCore, enCheckin, enHTTP, enOrgs, enBench, enWeb, enCluster, enAnomalies, enRecognition, enProvenance, enSurvey, enEvidence, enDashboard, enWithdrawal,
    ]

    public static let zh: [String: String] = merged(zhParts)
    public static let en: [String: String] = merged(enParts)

    /// Keys that more than one part defines (must be none).
    public static func keysInMoreThanOnePart(_ language: Language) -> [String] {
        let parts = language == .zh ? zhParts : enParts
        var seen: [String: Int] = [:]
        for part in parts { for key in part.keys { seen[key, default: 0] += 1 } }
        return seen.filter { $0.value > 1 }.keys.sorted()
    }

    static func merged(_ parts: [[String: String]]) -> [String: String] {
        parts.reduce(into: [:]) { table, part in table.merge(part) { first, _ in first } }
    }

    public static func table(_ language: Language) -> [String: String] {
        switch language {
        case .zh: return zh
        case .en: return en
        }
    }

    public static func has(_ key: String, in language: Language = LanguageChoice.current) -> Bool {
        table(language)[key] != nil
    }

    /// The text of `key` with its placeholders filled; the English text when the language has no
    /// entry, the key itself when neither has (a test keeps that from shipping).
    public static func text(_ key: String, _ args: [String: String] = [:], in language: Language = LanguageChoice.current) -> String {
        let template = table(language)[key] ?? en[key] ?? key
        return fill(template, args)
    }

    /// Fills `{name}` placeholders. A part in `[…]` that holds a placeholder is left out when any
    /// of its placeholders has no argument (a database path that knows less than the Swift one).
    public static func fill(_ template: String, _ args: [String: String]) -> String {
        // Bytes, not Foundation's contains(String): that one is a locale-aware search, and every
        // row of a long report (anomalies: two texts a row) renders a template.
        guard template.utf8.contains(UInt8(ascii: "{")) else { return template }
        if template.utf8.contains(UInt8(ascii: "[")) {
            var result = ""
            var rest = Substring(template)
            while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
                result += rest[..<open]
                let inner = String(rest[rest.index(after: open)..<close])
                let names = placeholders(inner)
                if names.isEmpty {
                    result += rest[open...close]
                } else if names.allSatisfy({ args[$0] != nil }) {
                    result += inner
                }
                rest = rest[rest.index(after: close)...]
            }
            return fillPlain(result + rest, args)
        }
        return fillPlain(template, args)
    }

    /// Over the UTF-8 bytes: the braces are ASCII, so their indices are the String's too, and a
    /// long report renders thousands of texts (the Character walk was a quarter of
    /// `hours anomalies` at 9,537 rows).
    static func fillPlain(_ template: String, _ args: [String: String]) -> String {
        let bytes = template.utf8
        var result = ""
        result.reserveCapacity(bytes.count + 16)
        var start = bytes.startIndex
        while let open = bytes[start...].firstIndex(of: UInt8(ascii: "{")) {
            let afterOpen = bytes.index(after: open)
            guard let close = bytes[afterOpen...].firstIndex(of: UInt8(ascii: "}")) else { break }
            result += template[start..<open]
            let name = template[afterOpen..<close]
            if isPlaceholderName(name) {
                result += args[String(name)] ?? ""
            } else {
                result += template[open...close]
            }
            start = bytes.index(after: close)
        }
        return result + template[start...]
    }

    /// Letters, digits and `_`; ASCII is decided by its bytes, anything else by its Characters.
    static func isPlaceholderName(_ name: Substring) -> Bool {
        guard !name.isEmpty else { return false }
        var ascii = true
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                continue
            case 0x80...:
                ascii = false
            default:
                return false
            }
        }
        return ascii || name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// The placeholders of a template, for the test that compares the languages.
    public static func placeholders(_ template: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { break }
            let name = String(rest[afterOpen..<close])
            if isPlaceholderName(Substring(name)) { names.insert(name) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// A field as people read it: `手机号(phone)` in Chinese, `phone` in English.
    public static func fieldLabel(_ field: String, in language: Language = LanguageChoice.current) -> String {
        guard language != .en, let label = table(language)["field.\(field)"] else { return field }
        return "\(label)(\(field))"
    }
}

/// Shorthand for the catalog text of `key` in the current language.
public func tr(_ key: String, _ args: [String: String] = [:]) -> String {
    Catalog.text(key, args)
}
