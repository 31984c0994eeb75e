import PostgresLibPQ

/// An error a person can act on: which field, which value (masked when personal), which rule.
public struct RuleViolation: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    /// Already masked when personal.
    public var value: String?
    public var rule: String
    /// Line of an imported file, when the value came from one.
    public var line: Int?
    /// The rule's stable name when the database refused it (the constraint of its error, e.g.
    /// `hours_no_overlap`): the same bad row gets the same code on every path.
    public var code: String?

    public init(field: String, value: String?, rule: String, line: Int? = nil, code: String? = nil) {
        self.field = field
        self.value = value
        self.rule = rule
        self.line = line
        self.code = code
    }

    public var description: String {
        let location = line.map { "line \($0): " } ?? ""
        let shown = value.map { " \"\(Self.quoted($0))\"" } ?? ""
        return "\(location)\(Self.quoted(field))\(shown): \(Self.escaped(rule, limit: Self.ruleLimit))"
    }

    /// At most this many characters of a value are quoted in a message.
    public static let quotedLimit = 60
    /// A rule is our own text but may hold a value (a column name); a bound keeps a line a line.
    static let ruleLimit = 400

    /// A value as a message shows it: control characters (ESC, line breaks, bidirectional
    /// overrides) escaped, and cut after `quotedLimit` characters with the full length named,
    /// so a 2 MB header cell gives a short line and an ESC sequence never reaches the terminal.
    public static func quoted(_ value: String) -> String {
        escaped(value, limit: quotedLimit)
    }

    public static func escaped(_ value: String, limit: Int) -> String {
        var result = ""
        var shown = 0
        for character in value {
            if shown == limit {
                result += "… (\(value.count) characters)"
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

    public var description: String {
        switch self {
        case .configuration(let message): return message
        case .notFound(let what, let key): return "\(what) \(key) not found"
        case .conflict(let message): return message
        case .refused(let message): return message
        case .importRejected(let report): return report.summary
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

    public var summary: String {
        if problems.isEmpty {
            return "\(file): \(totalRows) rows, \(applied) applied, \(skippedDuplicates) already present"
        }
        let badLines = Set(problems.compactMap(\.line)).count
        return "\(file): \(badLines) of \(totalRows) rows are bad, nothing was written (first: \(problems[0]))"
    }
}
