import Foundation
import VLedgerCore

/// ArgumentParser's own usage errors are English; in another language the common ones are said
/// from the catalog with what they name (the option, the value). Anything else stays as written.
enum UsageText {
    static let patterns: [(pattern: String, key: String, names: [String])] = [
        (#"^Missing expected argument '(.*)'$"#, "error.usage_missing_argument", ["argument"]),
        (#"^Missing value for '(.*)'$"#, "error.usage_missing_value", ["option"]),
        (#"^Unexpected argument '(.*)'$"#, "error.usage_unexpected_argument", ["argument"]),
        (#"^Unexpected arguments (.*)$"#, "error.usage_unexpected_argument", ["argument"]),
        (#"^Unknown option '(.*)'$"#, "error.usage_unknown_option", ["option"]),
        (#"^The value '(.*)' is invalid for '(.*)'\. Please provide one of (.*)\.$"#, "error.usage_invalid_choice", ["value", "option", "choices"]),
        (#"^The value '(.*)' is invalid for '(.*)'(?:: .*)?$"#, "error.usage_invalid_value", ["value", "option"]),
    ]

    static func localized(_ line: String, in language: Language = LanguageChoice.current) -> String {
        guard language != .en else { return line }
        for (pattern, key, names) in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                  let match = regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) else { continue }
            var args: [String: String] = [:]
            for (index, name) in names.enumerated() {
                if let range = Range(match.range(at: index + 1), in: line) { args[name] = String(line[range]) }
            }
            if let choices = args["choices"] {
                args["choices"] = choices.replacingOccurrences(of: " or ", with: ", ").replacingOccurrences(of: " and ", with: ", ")
            }
            return Catalog.text(key, args, in: language)
        }
        return line
    }
}
