import PostgresLibPQ

/// An error a person can act on: which field, which value (masked when personal), which rule.
///
/// `code` names the rule: the catalog renders `rule.CODE` with `args`, `field` and `value` in the
/// chosen language. The database's rules use their constraint name (e.g. `hours_no_overlap`), so
/// the same bad row gets the same code on every path. `rule` is the English text (the JSON
/// reports' `rule`, logs, and the fallback when the catalog has no entry).
public struct RuleViolation: Error, Sendable, CustomStringConvertible {
    public var field: String
    /// Already masked when personal.
    public var value: String?
    public var rule: String
    /// Line of an imported file, when the value came from one.
    public var line: Int?
    public var code: String?
    public var args: [String: String]

    /// A rule given by its English text (and optionally its code and arguments, as the
    /// database's rules give them).
    public init(field: String, value: String?, rule: String, line: Int? = nil, code: String? = nil, args: [String: String] = [:]) {
        self.field = field
        self.value = value
        self.rule = rule
        self.line = line
        self.code = code
        self.args = args
    }

    /// A rule of the catalog: `rule.CODE`, filled with `args`.
    public init(field: String, value: String?, code: String, args: [String: String] = [:], line: Int? = nil) {
        self.field = field
        self.value = value
        self.code = code
        self.args = args
        self.line = line
        var all = args
        all["field"] = field
        if let value { all["value"] = value }
        self.rule = Catalog.text("rule.\(code)", all, in: .en)
    }

    public var userFacing: UserFacingError {
        UserFacingError(.invalid, code: code ?? "rule", field: field, value: value, args: args, line: line, english: rule)
    }

    /// The line for people in `language` (standard error, reports, rejects files).
    public func message(in language: Language = LanguageChoice.current) -> String { userFacing.message(in: language) }

    /// English, whatever the chosen language: logs, interpolation, tests.
    public var description: String { message(in: .en) }
}

extension RuleViolation: Equatable {
    /// The same field, value and line, and the same English text: the same refusal, whichever
    /// path made it.
    public static func == (lhs: RuleViolation, rhs: RuleViolation) -> Bool {
        lhs.field == rhs.field && lhs.value == rhs.value && lhs.line == rhs.line && lhs.rule == rhs.rule
    }
}

extension RuleViolation {
    /// At most this many characters of a value are quoted in a message.
    public static let quotedLimit = 60
    /// A rule is our own text but may hold a value (a column name); a bound keeps a line a line.
    static let ruleLimit = 400

    /// A value as a message shows it: control characters (ESC, line breaks, bidirectional
    /// overrides) escaped, and cut after `quotedLimit` characters with the full length named,
    /// so a 2 MB header cell gives a short line and an ESC sequence never reaches the terminal.
    public static func quoted(_ value: String, in language: Language = .en) -> String {
        escaped(value, limit: quotedLimit, in: language)
    }

    public static func escaped(_ value: String, limit: Int, in language: Language = .en) -> String {
        var result = ""
        var shown = 0
        for character in value {
            if shown == limit {
                result += Catalog.text("ui.quoted_cut", ["count": String(value.count)], in: language)
                break
            }
            shown += 1
            for scalar in character.unicodeScalars {
                switch scalar.value {
                case 0x0A: result += "\\n"
                case 0x0D: result += "\\r"
                case 0x09: result += "\\t"
                case 0x00..<0x20, 0x7F..<0xA0, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
                    result += "\\u{" + String(scalar.value, radix: 16) + "}"
                default: result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}

/// Errors of vledger itself, outside the rules of a single field.
public enum VLedgerError: Error, Sendable, CustomStringConvertible {
    case configuration(String)
    case notFound(what: String, key: String)
    case conflict(String)
    case refused(String)
    case importRejected(ImportReport)

    /// English, whatever the chosen language.
    public var description: String { message(in: .en) }

    public func message(in language: Language = LanguageChoice.current) -> String {
        switch self {
        case .configuration(let message): return message
        case .notFound(let what, let key):
            return Catalog.text("error.not_found", ["what": Catalog.text("ui.thing.\(what)", in: language), "key": key], in: language)
        case .conflict(let message): return message
        case .refused(let message): return message
        case .importRejected(let report): return report.summary(in: language)
        }
    }
}

/// What an import found: every bad row with its line and reason.
public struct ImportReport: Sendable, Equatable {
    public var file: String
    public var totalRows: Int
    public var applied: Int
    public var skippedDuplicates: Int
    public var problems: [RuleViolation]

    public init(file: String, totalRows: Int, applied: Int = 0, skippedDuplicates: Int = 0, problems: [RuleViolation] = []) {
        self.file = file
        self.totalRows = totalRows
        self.applied = applied
        self.skippedDuplicates = skippedDuplicates
        self.problems = problems
    }

    /// In English (logs, tests); `summary(in:)` for people.
    public var summary: String { summary(in: .en) }

    public func summary(in language: Language = LanguageChoice.current) -> String {
        if problems.isEmpty {
            return Catalog.text("ui.import.summary_clean", ["file": file, "rows": String(totalRows), "applied": String(applied),
                                                            "present": String(skippedDuplicates)], in: language)
        }
        let badLines = Set(problems.compactMap(\.line)).count
        return Catalog.text("ui.import.summary_rejected", ["file": file, "bad": String(badLines), "rows": String(totalRows),
                                                           "first": problems[0].message(in: language)], in: language)
    }
}
