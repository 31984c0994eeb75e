import Foundation

/// English words left in a text meant for a Chinese reader: runs of four or more ASCII letters,
/// leaving out what is the same in every language — values quoted 「…」 or `…`, the stable names
/// beside a field label (`手机号(phone)`), ArgumentParser's '…' choices and <value> names, codes and names with `_`, `-`, `.`, `/` or digits
/// (rule codes, flags, file names, times), all-capital abbreviations (CSV, UTF, YYYY) and the
/// names of products in `allowed`.
public func untranslatedEnglish(_ text: String, allowing extra: Set<String> = []) -> [String] {
    var rest = text
    for pattern in ["「[^」]*」", "`[^`]*`", "\"[^\"]*\"", "“[^”]*”", "'[^']*'", "<[^>]*>", "\\([A-Za-z_][A-Za-z0-9_.\\-]*\\)", "--[A-Za-z][A-Za-z0-9-]*"] {
        rest = rest.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
    }
    let allowed = untranslatedAllowed.union(extra)
    var words: [String] = []
    var token = ""
    func flush() {
        defer { token = "" }
        guard token.count >= 4, token.allSatisfy({ $0.isASCII && $0.isLetter }) else { return }
        guard token != token.uppercased(), !allowed.contains(token) else { return }
        words.append(token)
    }
    for character in rest {
        if character.isASCII && (character.isLetter || character.isNumber || "_-./:+".contains(character)) {
            token.append(character)
        } else {
            flush()
        }
    }
    flush()
    return words
}

/// Names that a Chinese text keeps as they are.
let untranslatedAllowed: Set<String> = [
    "vledger", "Excel", "PostgreSQL", "Office", "LibreOffice", "Asia", "Shanghai", "Chongqing", "Harbin", "Urumqi",
    "xlsx", "json", "true", "false", "help",
]
