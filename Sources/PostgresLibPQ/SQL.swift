/// A statement with its parameters kept apart from its text.
///
/// Every interpolated value becomes a `$n` parameter; raw text can only enter through the
/// explicitly named `unsafeRaw:` interpolation. Literal text is a `StaticString`, so even
/// `SQL(stringLiteral:)` takes only text written in the program: user text cannot become SQL by accident.
///
///     let sql: SQL = "SELECT number FROM volunteer WHERE id_number = \(idNumber)"
public struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    enum Part: Sendable {
        case text(String)
        case bind(String?)
    }

    var parts: [Part]

    public init(stringLiteral value: StaticString) {
        parts = [.text(value.description)]
    }

    public init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            parts.append(.text(literal.description))
        }

        /// A value, sent as a parameter.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            parts.append(.bind(value.postgresText))
        }

        /// A possibly-NULL value, sent as a parameter.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            parts.append(.bind(value?.postgresText))
        }

        /// Another statement fragment; its parameters are renumbered into this one.
        public mutating func appendInterpolation(_ fragment: SQL) {
            parts.append(contentsOf: fragment.parts)
        }

        /// Text pasted into the statement as it is. Only for identifiers and keywords the program
        /// itself chose, never for anything a user typed.
        public mutating func appendInterpolation(unsafeRaw text: String) {
            parts.append(.text(text))
        }
    }

    /// Joins fragments with a separator, e.g. conditions with " AND ".
    public static func joined(_ fragments: [SQL], separator: StaticString) -> SQL {
        var result = SQL(parts: [])
        for (index, fragment) in fragments.enumerated() {
            if index > 0 { result.parts.append(.text(separator.description)) }
            result.parts.append(contentsOf: fragment.parts)
        }
        return result
    }

    init(parts: [Part]) { self.parts = parts }

    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        SQL(parts: lhs.parts + rhs.parts)
    }

    /// The statement text with `$1…$n` placeholders, and the parameters in order.
    public var rendered: (text: String, parameters: [String?]) {
        var text = ""
        var parameters: [String?] = []
        for part in parts {
            switch part {
            case .text(let literal): text += literal
            case .bind(let value):
                parameters.append(value)
                text += "$\(parameters.count)"
            }
        }
        return (text, parameters)
    }

    /// The statement text only; parameter values are never shown.
    public var description: String { rendered.text }
}
