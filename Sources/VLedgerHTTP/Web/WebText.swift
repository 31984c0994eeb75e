import Foundation
import Mustache
import VLedgerCore

/// The pages' texts, from the catalog (`web.…` keys, Catalog+zh+Web.swift and Catalog+en+Web.swift)
/// in the request's language: Accept-Language as for the API's errors, zh by default.
///
/// Templates never hold a text. They name it: `{{t.signin.title}}` for `web.signin.title`, and
/// `{{#tr}}outreach.range{{/tr}}` for a text with placeholders, whose `{name}` are filled from the
/// values around it (escaped like any value).
enum WebText {
    /// Set for the whole request by `LanguageMiddleware`.
    @TaskLocal static var language: Language = .zh

    /// `<html lang>`, as Content-Language says it.
    static var htmlLang: String { language == .zh ? "zh-CN" : "en" }

    /// The text of `web.KEY` with its placeholders filled.
    static func text(_ key: String, _ args: [String: String] = [:]) -> String {
        Catalog.text("web." + key, args, in: language)
    }

    /// The values every template gets: `t` and `tr`.
    static var values: [String: Any] {
        ["t": tables[language] ?? [:], "tr": lambda(language)]
    }

    /// `web.a.b` as `t["a"]["b"]`, built once per language and never written after (hence unsafe is safe).
    nonisolated(unsafe) static let tables: [Language: [String: Any]] = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, nested($0)) })

    static func nested(_ language: Language) -> [String: Any] {
        var root: [String: Any] = [:]
        for (key, value) in Catalog.table(language) where key.hasPrefix("web.") {
            insert(value, at: key.dropFirst(4).split(separator: ".").map(String.init)[...], into: &root)
        }
        return root
    }

    static func insert(_ value: String, at path: ArraySlice<String>, into table: inout [String: Any]) {
        guard let head = path.first else { return }
        if path.count == 1 {
            table[head] = value
            return
        }
        var child = table[head] as? [String: Any] ?? [:]
        insert(value, at: path.dropFirst(), into: &child)
        table[head] = child
    }

    /// The number of texts reachable through `t` (the test checks none is hidden by another's key).
    static func leaves(_ table: [String: Any]) -> Int {
        table.values.reduce(0) { count, value in count + ((value as? [String: Any]).map(leaves) ?? 1) }
    }

    /// `{{#tr}}KEY{{/tr}}`: the text, HTML-escaped, its `{name}` made into `{{name}}` so that the
    /// values come from the section's context and are escaped as values are.
    static func lambda(_ language: Language) -> MustacheLambda {
        MustacheLambda { key in
            // The raw text: Catalog.text would fill its placeholders with nothing.
            let key = "web." + key.trimmingCharacters(in: .whitespacesAndNewlines)
            return template(Catalog.table(language)[key] ?? Catalog.en[key] ?? key)
        }
    }

    static func template(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "{{", with: "{ {")
        var result = ""
        var rest = Substring(escaped)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(of: "}") else { break }
            let name = rest[after..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                result += "{{\(name)}}"
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
