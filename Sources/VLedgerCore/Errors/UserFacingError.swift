import PostgresLibPQ

/// What a person is told about a refusal or failure: a stable code with its arguments, rendered
/// from the catalog in the chosen language (`Catalog`). The CLI prints it as one line; the HTTP
/// service returns `{code, field, message}` with `category.httpStatus`.
public struct UserFacingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Category: String, Sendable {
        /// A value breaks a rule (422).
        case invalid
        /// What was named does not exist (404).
        case notFound
        /// Conflicts with what is already recorded (409).
        case conflict
        /// The login may not (403).
        case forbidden
        /// Too many tries: wait (429).
        case rateLimited
        /// Setup or environment (500 to a client; a person at the terminal can fix it).
        case configuration
        /// Anything else (500).
        case failure
        /// A request that cannot be read: malformed JSON, a wrong content type (400).
        case malformed
        /// No session, or a session that is over; a sign-in that failed (401).
        case unauthenticated
        /// A body over the limit (413).
        case tooLarge

        public var httpStatus: Int {
            switch self {
            case .invalid: return 422
            case .notFound: return 404
            case .conflict: return 409
            case .forbidden: return 403
            case .rateLimited: return 429
            case .configuration, .failure: return 500
            case .malformed: return 400
            case .unauthenticated: return 401
            case .tooLarge: return 413
            }
        }
    }

    public var category: Category
    /// The catalog key's code: `rule.CODE` when `field` is set, else `error.CODE`.
    public var code: String
    public var field: String?
    /// Already masked when personal.
    public var value: String?
    public var args: [String: String]
    /// Line of an imported file.
    public var line: Int?
    /// The English text as it was made (a database message, a rule's text with its details):
    /// English shows it as is; another language shows its catalog entry, else this.
    public var english: String?

    public init(_ category: Category, code: String, field: String? = nil, value: String? = nil,
                args: [String: String] = [:], line: Int? = nil, english: String? = nil) {
        self.category = category
        self.code = code
        self.field = field
        self.value = value
        self.args = args
        self.line = line
        self.english = english
    }

    public var key: String { field == nil ? "error.\(code)" : "rule.\(code)" }

    /// The text without line and field: what the rule says.
    public func ruleText(in language: Language = LanguageChoice.current) -> String {
        var all = args
        if let field { all["field"] = field }
        if let value { all["value"] = value }
        if language == .en, let english { return english }
        if let template = Catalog.table(language)[key] {
            return Catalog.fill(template, all)
        }
        if let english { return english }
        return Catalog.text(key, all, in: language)
    }

    /// The whole line: `line 3: phone "138****0000": must be …` / `第 3 行：手机号(phone)「138****0000」：…`.
    public func message(in language: Language = LanguageChoice.current) -> String {
        var text = ""
        if let line { text += Catalog.text("ui.line_prefix", ["line": String(line)], in: language) }
        if let field {
            text += Catalog.fieldLabel(RuleViolation.quoted(field, in: language), in: language)
            if let value { text += Catalog.text("ui.quoted_value", ["value": RuleViolation.quoted(value, in: language)], in: language) }
            text += Catalog.text("ui.field_separator", in: language)
        }
        // A rule's text may repeat a value (a column name): bounded and escaped like a value.
        return text + (field == nil ? ruleText(in: language)
                                    : RuleViolation.escaped(ruleText(in: language), limit: RuleViolation.ruleLimit, in: language))
    }

    /// English, whatever the chosen language: logs, interpolation, tests.
    public var description: String { message(in: .en) }
}

extension UserFacingError {
    /// A refusal of a value by a rule of vledger's own (no database constraint).
    public static func rule(_ code: String, field: String, value: String? = nil, args: [String: String] = [:]) -> UserFacingError {
        UserFacingError(.invalid, code: code, field: field, value: value, args: args)
    }

    public static func error(_ category: Category, _ code: String, _ args: [String: String] = [:]) -> UserFacingError {
        UserFacingError(category, code: code, args: args)
    }
}

// MARK: - Matching database errors in `catch` clauses, as GRDB does

/// `catch SQLState.uniqueViolation { … }`: matches a server error of that state.
public func ~= (state: SQLState, error: any Error) -> Bool {
    (error as? PostgresError)?.sqlState == state
}

/// A rule or constraint by name: `catch DatabaseRule("volunteer_id_number_unique") { … }`, or with
/// its state: `catch DatabaseRule("volunteer_id_number_unique", .uniqueViolation)`.
public struct DatabaseRule: Sendable, Hashable {
    public var name: String
    public var state: SQLState?

    public init(_ name: String, _ state: SQLState? = nil) {
        self.name = name
        self.state = state
    }

    public static func ~= (rule: DatabaseRule, error: any Error) -> Bool {
        guard let error = error as? PostgresError, error.constraint == rule.name else { return false }
        return rule.state.map { $0 == error.sqlState } ?? true
    }
}

extension SQLState {
    /// `catch SQLState.uniqueViolation.on("volunteer_id_number_unique")`.
    public func on(_ constraint: String) -> DatabaseRule { DatabaseRule(constraint, self) }
}
