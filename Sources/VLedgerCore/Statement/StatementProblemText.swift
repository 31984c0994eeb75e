import Foundation

/// What the database finds wrong with a statement (vl_statement_problem, 0080) is English text,
/// the `problem` of `statement verify --format json`, the same in every language. People read it
/// from the catalog: each of the database's sentences has a code, and its values are kept.
public enum StatementProblemText {
    static let patterns: [(code: String, pattern: String, names: [String])] = [
        ("no_such_statement", #"^no statement with this number was issued$"#, []),
        ("volunteer_missing", #"^volunteer (.+) does not exist$"#, ["volunteer"]),
        ("number_mismatch", #"^its number does not match its year and sequence$"#, []),
        ("number_year", #"^numbered for (.+) but issued on (.+)$"#, ["year", "day"]),
        ("period_not_past", #"^its period (.+) to (.+) was not a past period on (.+)$"#, ["from", "to", "day"]),
        ("time_zone", #"^time zone (.+), but the setting was (.+) when it was issued$"#, ["printed", "held"]),
        ("star_thresholds", #"^star thresholds (.+), but the setting was (.+) when it was issued$"#, ["printed", "held"]),
        ("dated", #"^dated (.+), but issued on (.+)$"#, ["printed", "held"]),
        ("volunteer_printed", #"^the volunteer printed \((.+)\) is not volunteer (.+)$"#, ["printed", "volunteer"]),
        ("name_printed", #"^the name printed \((.+)\) is not the volunteer's name when it was issued$"#, ["printed"]),
        ("minutes", #"^(-?[0-9]+) approved minutes printed, the ledger held (-?[0-9]+) when it was issued$"#, ["printed", "held"]),
        ("cumulative", #"^(-?[0-9]+) cumulative minutes printed, the ledger held (-?[0-9]+) when it was issued$"#, ["printed", "held"]),
        ("star_level", #"^star level (.+) printed, the ledger gives (.+)$"#, ["printed", "held"]),
        ("activities", #"^its activities are not the approved hours the ledger held when it was issued$"#, []),
        ("activity_names", #"^its activities are not printed as the ledger names them$"#, []),
        ("audit_missing", #"^the audit trail holds no record of its issue$"#, []),
        ("audit_differs", #"^the stored statement differs from the one the audit trail recorded at its issue$"#, []),
        ("number_not_counted", #"^its number was not taken from statement_counter$"#, []),
    ]

    /// `problem` in `language`; the text as it is when it is none of the known sentences.
    public static func localized(_ problem: String, in language: Language = LanguageChoice.current) -> String {
        guard language != .en else { return problem }
        for (code, pattern, names) in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                  let match = regex.firstMatch(in: problem, range: NSRange(problem.startIndex..., in: problem)) else { continue }
            var args: [String: String] = [:]
            for (index, name) in names.enumerated() {
                if let range = Range(match.range(at: index + 1), in: problem) { args[name] = String(problem[range]) }
            }
            return Catalog.text("ui.statement.problem.\(code)", args, in: language)
        }
        return problem
    }
}
